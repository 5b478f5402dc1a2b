// SPDX-License-Identifier: MIT
/*
 * The toolstack helpers of tests/guest/domctl-lib.h: requests, getdomaininfo,
 * the scratch page for foreign mappings, free memory and the domain count.
 */
#include "domctl-lib.h"
#include <gpv/hypercall.h>
#include <gpv/mm.h>
#include <gpv/test.h>
#include <gpv/time.h>

char dc_scratch[4096] __attribute__((aligned(4096)));
static uint64_t scratch_ptr, scratch_pte;

long dc_domctl(struct xen_domctl *op)
{
	return GPV_HC1(__HYPERVISOR_domctl, op);
}

long dc_sysctl(struct xen_sysctl *op)
{
	return GPV_HC1(__HYPERVISOR_sysctl, op);
}

void dc_dinit(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	op->domain = dom;
}

void dc_sinit(struct xen_sysctl *op, uint32_t cmd)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
}

long dc_simple(uint32_t cmd, domid_t dom)
{
	struct xen_domctl op;

	dc_dinit(&op, cmd, dom);
	return dc_domctl(&op);
}

long dc_info(domid_t dom, struct xen_domctl_getdomaininfo *out)
{
	struct xen_domctl op;
	long rc;

	dc_dinit(&op, XEN_DOMCTL_getdomaininfo, dom);
	rc = dc_domctl(&op);
	*out = op.u.getdomaininfo;
	return rc;
}

void dc_cfg(struct xen_domctl *op, domid_t want)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;

	dc_dinit(op, XEN_DOMCTL_createdomain, want);
	c->max_vcpus = 1;
	c->max_evtchn_port = 1023;
	c->max_grant_frames = 4;
	c->max_maptrack_frames = 128;
	c->grant_opts = XEN_DOMCTL_GRANT_version(1);
}

long dc_make_small_domu(xen_pfn_t *mfn, unsigned int nr)
{
	struct xen_memory_reservation r = { .nr_extents = nr };
	struct xen_domctl op;
	long id;

	dc_cfg(&op, 0);
	if (!gpv_test_eq(dc_domctl(&op), 0, "createdomain"))
		return -1;
	id = op.domain;
	dc_dinit(&op, XEN_DOMCTL_max_vcpus, (domid_t)id);
	op.u.max_vcpus.max = 1;
	gpv_test_eq(dc_domctl(&op), 0, "max_vcpus 1");
	dc_dinit(&op, XEN_DOMCTL_max_mem, (domid_t)id);
	op.u.max_mem.max_memkb = 8 * 4;
	gpv_test_eq(dc_domctl(&op), 0, "max_mem 8 pages");
	for (unsigned int i = 0; i < nr; i++)
		mfn[i] = i;
	r.domid = (domid_t)id;
	set_xen_guest_handle(r.extent_start, mfn);
	gpv_test_eq(gpv_memory_op(XENMEM_populate_physmap, &r), nr, "populate_physmap for it");
	return id;
}

int dc_scratch_init(void)
{
	uint64_t e[4];

	if (gpv_pt_walk((unsigned long)dc_scratch, e) != 4)
		return -1;
	scratch_ptr = DC_ADDR(e[2]) + (((unsigned long)dc_scratch >> 12) & 511) * 8;
	scratch_pte = e[3];
	return 0;
}

static void invlpg_scratch(void)
{
	struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL,
				.arg1.linear_addr = (unsigned long)dc_scratch };

	gpv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long dc_map_foreign(unsigned long mfn, domid_t dom)
{
	mmu_update_t r = { .ptr = scratch_ptr | MMU_NORMAL_PT_UPDATE,
			   .val = (mfn << 12) | DC_P | DC_RW | DC_US | DC_AD };
	long rc = gpv_mmu_update(&r, 1, NULL, dom);

	invlpg_scratch();
	return rc;
}

void dc_unmap_foreign(void)
{
	mmu_update_t r = { .ptr = scratch_ptr | MMU_NORMAL_PT_UPDATE, .val = scratch_pte };

	gpv_mmu_update(&r, 1, NULL, DOMID_SELF);
	invlpg_scratch();
}

uint64_t dc_free_pages(void)
{
	struct xen_sysctl op;

	dc_sinit(&op, XEN_SYSCTL_physinfo);
	return dc_sysctl(&op) ? 0 : op.u.physinfo.free_pages;
}

unsigned int dc_nr_domains(void)
{
	static struct xen_domctl_getdomaininfo list[16];
	struct xen_sysctl op;

	dc_sinit(&op, XEN_SYSCTL_getdomaininfolist);
	op.u.getdomaininfolist.max_domains = 16;
	set_xen_guest_handle(op.u.getdomaininfolist.buffer, list);
	return dc_sysctl(&op) ? 0 : op.u.getdomaininfolist.num_domains;
}

long dc_schedop(domid_t dom, uint32_t sched_id, uint32_t cmd, uint16_t *weight, uint16_t *cap)
{
	struct xen_domctl op;
	long rc;

	dc_dinit(&op, XEN_DOMCTL_scheduler_op, dom);
	op.u.scheduler_op.sched_id = sched_id;
	op.u.scheduler_op.cmd = cmd;
	op.u.scheduler_op.u.credit2.weight = *weight;
	op.u.scheduler_op.u.credit2.cap = *cap;
	rc = dc_domctl(&op);
	*weight = op.u.scheduler_op.u.credit2.weight;
	*cap = op.u.scheduler_op.u.credit2.cap;
	return rc;
}

int dc_fill_small_domu(domid_t id, const xen_pfn_t *mfn, void (*fill)(unsigned int, char *))
{
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = mfn[0] };

	for (unsigned int pfn = 0; pfn < DC_NR_PAGES; pfn++) {
		uint64_t *e = (uint64_t *)dc_scratch;

		if (dc_map_foreign(mfn[pfn], id))
			return gpv_test_check(false, "foreign mmu_update maps the domU's frames"),
			       -1;
		memset(dc_scratch, 0, sizeof(dc_scratch));
		if (pfn < 3) /* L4[0] -> L3, L3[0] -> L2, L2[0] -> L1 */
			e[0] = (mfn[pfn + 1] << 12) | DC_P | DC_RW | DC_US | DC_AD;
		for (unsigned int i = 0; pfn == 3 && i < DC_NR_PAGES; i++) /* tables read-only */
			e[i] = (mfn[i] << 12) | DC_P | DC_US | DC_AD | (i > 3 ? DC_RW : 0);
		fill(pfn, dc_scratch);
		dc_unmap_foreign();
	}
	gpv_test_check(true, "foreign mmu_update maps the domU's frames");
	return gpv_test_eq(gpv_mmuext_op(&pin, 1, NULL, id), 0,
			   "pin the domU's L4 (foreign mmuext_op)")
		       ? 0
		       : -1;
}

void dc_small_ctx(struct vcpu_guest_context *c, xen_pfn_t mfn0)
{
	memset(c, 0, sizeof(*c));
	c->flags = VGCF_in_kernel | VGCF_online;
	c->user_regs.rip = DC_CODE;
	c->user_regs.rsp = DC_STACK_TOP;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS;
	c->user_regs.rflags = 0x1000; /* IOPL 1: virtualised, given back */
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = DC_STACK_TOP;
	c->event_callback_eip = DC_CODE;
	c->failsafe_callback_eip = DC_CODE;
	c->ctrlreg[3] = xen_pfn_to_cr3(mfn0);
}

uint32_t dc_run_until_shutdown(domid_t id, unsigned int secs)
{
	struct xen_domctl_getdomaininfo di = { 0 };
	uint64_t end = gpv_time_now() + secs * 1000000000ULL;

	if (dc_simple(XEN_DOMCTL_unpausedomain, id))
		return 0;
	do {
		gpv_sched_op(SCHEDOP_yield, NULL);
		if (dc_info(id, &di))
			break;
	} while (!(di.flags & XEN_DOMINF_shutdown) && gpv_time_now() < end);
	return di.flags;
}
