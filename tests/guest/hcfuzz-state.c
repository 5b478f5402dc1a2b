// SPDX-License-Identifier: MIT
/*
 * hcfuzz's state: building it (every build call must succeed), observing
 * it, and tearing it down (every undo must succeed, after which each pool
 * page is an ordinary writable page again and the reservation is what it
 * was). The observation is what the guest can see without changing
 * anything for good:
 *   - XENMEM_current_reservation and maximum_reservation;
 *   - each pool address's L1 entry (accessed/dirty bits aside) and a hash
 *     of the page behind it;
 *   - per pool page mapped read-only, whether it can be mapped writable
 *     (tried, then the old entry put back): a table's type count shows;
 *   - per page the model has pinned, that pinning it again is -EINVAL;
 *   - EVTCHNOP_status of ports 0..HCF_PORTS-1;
 *   - the grant entries the fuzzer covers.
 */
#include <gpv/evtchn.h>
#include <gpv/gnttab.h>
#include <gpv/mm.h>
#include <gpv/page.h>

#include "hcfuzz.h"

static long ext1(unsigned int cmd, unsigned long mfn)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

	return gpv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long pt_write(unsigned long table_mfn, unsigned int slot, uint64_t val)
{
	mmu_update_t req = { .ptr = ((uint64_t)table_mfn << 12) + 8 * slot, .val = val };

	return gpv_mmu_update(&req, 1, NULL, DOMID_SELF);
}

static long map_page(const struct hcf_page *p, unsigned long flags)
{
	return gpv_update_va_mapping((unsigned long)p->va, ((uint64_t)p->mfn << 12) | flags,
				     UVMF_INVLPG);
}

static long reservation(unsigned int cmd)
{
	domid_t self = DOMID_SELF;

	return gpv_memory_op(cmd, &self);
}

long hcf_reservation(void)
{
	return reservation(XENMEM_current_reservation);
}

/* Pages that live across seeds: the pool, the scratch page and its hole, the RO page. */
int hcf_alloc(struct hcf_state *s)
{
	for (unsigned int i = 0; i < HCF_POOL; i++) {
		s->pg[i].va = gpv_page_alloc();
		if (!s->pg[i].va)
			return -XEN_ENOMEM;
		s->pg[i].mfn = gpv_virt_to_mfn(s->pg[i].va);
		s->pg[i].pfn = (unsigned long)s->pg[i].va >> 12;
	}
	s->edge = gpv_page_alloc();
	s->hole = gpv_page_alloc();
	s->ro = gpv_page_alloc();
	s->win = gpv_page_alloc();
	s->map_handle = -1;
	if (!s->win || !s->ro || s->hole != s->edge + 4096)
		return -XEN_ENOMEM;
	if (gpv_update_va_mapping((unsigned long)s->hole, 0, UVMF_INVLPG) ||
	    gpv_update_va_mapping((unsigned long)s->ro,
				  ((uint64_t)gpv_virt_to_mfn(s->ro) << 12) | HCF_P | HCF_US,
				  UVMF_INVLPG))
		return -XEN_EINVAL;
	s->shinfo_mfn = gpv_start_info->shared_info >> 12;
	s->l4_mfn = gpv_virt_to_mfn((void *)gpv_start_info->pt_base);
	/* L4 slot 256 (the M2P, read-only) names one of the hypervisor's tables. */
	s->m2p_mfn =
		(((const uint64_t *)gpv_start_info->pt_base)[256] & 0x000ffffffffff000UL) >> 12;
	return s->m2p_mfn ? 0 : -XEN_EINVAL;
}

/* Where a build stopped: the step number and what failed. */
struct hcf_blog {
	int step;
	char *why;
	size_t len;
};

/* Record build step @what's answer @rc; true when it succeeded. */
static bool ok(struct hcf_blog *l, long rc, const char *what)
{
	l->step++;
	if (rc >= 0)
		return true;
	gpv_snprintf(l->why, l->len, "%s = %ld", what, rc);
	return false;
}

static int build_tables(struct hcf_state *s, struct hcf_blog *l)
{
	struct hcf_page *p = s->pg;

	for (unsigned int i = 0; i < 8; i++)
		if (!ok(l, map_page(&p[i], HCF_P | HCF_US), "map pool page read-only"))
			return l->step;
	for (unsigned int i = 0; i < 4; i++)
		if (!ok(l, pt_write(p[0].mfn, i, ((uint64_t)p[8 + i].mfn << 12) | HCF_P | HCF_US),
			"L1 entry mapping a data page read-only"))
			return l->step;
	if (!ok(l, pt_write(p[0].mfn, 4, ((uint64_t)p[12].mfn << 12) | HCF_P | HCF_RW | HCF_US),
		"L1 entry mapping a data page writable") ||
	    !ok(l, ext1(MMUEXT_PIN_L1_TABLE, p[0].mfn), "pin the L1"))
		return l->step;
	p[0].pinned = 1;
	if (!ok(l, pt_write(p[1].mfn, 0, ((uint64_t)p[0].mfn << 12) | HCF_P | HCF_RW | HCF_US),
		"L2 entry") ||
	    !ok(l, ext1(MMUEXT_PIN_L2_TABLE, p[1].mfn), "pin the L2"))
		return l->step;
	p[1].pinned = 2;
	if (!ok(l, pt_write(p[2].mfn, 0, ((uint64_t)p[1].mfn << 12) | HCF_P | HCF_RW | HCF_US),
		"L3 entry") ||
	    !ok(l, ext1(MMUEXT_PIN_L3_TABLE, p[2].mfn), "pin the L3"))
		return l->step;
	p[2].pinned = 3;
	if (!ok(l, ext1(MMUEXT_PIN_L4_TABLE, p[3].mfn), "pin an empty L4"))
		return l->step;
	p[3].pinned = 4;
	return 0;
}

static int build_events(struct hcf_state *s, struct hcf_blog *l, bool fifo)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	struct evtchn_init_control ic = { .control_gfn = s->pg[13].mfn };
	struct evtchn_expand_array ea = { .array_gfn = s->pg[14].mfn };
	long a, rc;

	a = gpv_evtchn_alloc_unbound(0);
	if (!ok(l, a, "alloc_unbound"))
		return l->step;
	hcf_own_port(s, (int)a);
	rc = gpv_evtchn_bind_interdomain(0, (evtchn_port_t)a);
	if (!ok(l, rc, "bind_interdomain to ourselves"))
		return l->step;
	hcf_own_port(s, (int)rc);
	rc = gpv_evtchn_alloc_unbound(0);
	if (!ok(l, rc, "a second alloc_unbound"))
		return l->step;
	hcf_own_port(s, (int)rc);
	rc = gpv_evtchn_bind_virq(VIRQ_DEBUG);
	if (!ok(l, rc, "bind_virq VIRQ_DEBUG"))
		return l->step;
	hcf_own_port(s, (int)rc);
	if (!ok(l, gpv_event_channel_op(EVTCHNOP_bind_ipi, &ipi), "bind_ipi"))
		return l->step;
	hcf_own_port(s, (int)ipi.port);
	if (!fifo)
		return 0;
	if (!ok(l, gpv_event_channel_op(EVTCHNOP_init_control, &ic), "init_control"))
		return l->step;
	s->fifo = true;
	s->pg[13].hvw = true;
	if (!ok(l, gpv_event_channel_op(EVTCHNOP_expand_array, &ea), "expand_array"))
		return l->step;
	s->pg[14].hvw = true;
	return 0;
}

/*
 * The valid state a seed starts from: pages 0-3 an L1 <- L2 <- L3 chain and
 * an empty L4, built and pinned (the L1 maps pages 8-11 read-only and 12
 * writable), pages 4-7 read-only, 8-15 writable; 4 grants to ourselves
 * (pages 8-11, two of them read-only); an unbound port, an interdomain one
 * bound to it, another unbound, VIRQ_DEBUG and an IPI; with @fifo the FIFO
 * control block in page 13 and an event array page in 14. Returns 0, or the
 * number of the step that failed with @why saying what.
 */
int hcf_build(struct hcf_state *s, bool fifo, char *why, size_t len)
{
	struct hcf_blog l = { 0, why, len };
	int step = build_tables(s, &l);

	if (step)
		return step;
	for (unsigned int i = 0; i < 4; i++) {
		long rc = gpv_gnttab_grant(0, s->pg[8 + i].mfn, i >= 2);

		if (!ok(&l, rc, "grant a page to ourselves"))
			return l.step;
		if (!i)
			s->first_gref = (unsigned int)rc;
	}
	s->grefs = 4;
	return build_events(s, &l, fifo);
}

/* Map @va's own frame there again with @flags. */
static long map_own(void *va, unsigned long flags)
{
	return gpv_update_va_mapping((unsigned long)va,
				     ((uint64_t)gpv_virt_to_mfn(va) << 12) | flags, UVMF_INVLPG);
}

/* An undo that must succeed: false (with @why) when it did not. */
static bool undo(struct hcf_blog *l, long rc, long want, const char *what)
{
	l->step++;
	if (rc == want)
		return true;
	gpv_snprintf(l->why, l->len, "%s = %ld (want %ld)", what, rc, want);
	return false;
}

/* Timers, FPU, debug registers, LDT, user base pointer, L4 slots: set back. */
static bool undo_cpu(struct hcf_state *s, struct hcf_blog *l)
{
	static const unsigned int l4_slots[] = { 1, 2, 3, 4, 300, 511 };
	unsigned long l4m = (unsigned long)s->l4_mfn;
	struct mmuext_op ldt = { .cmd = MMUEXT_SET_LDT };
	struct mmuext_op ub = { .cmd = MMUEXT_NEW_USER_BASEPTR };

	if (!undo(l, gpv_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0, "stop one-shot") ||
	    !undo(l, gpv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0, "stop periodic") ||
	    !undo(l, gpv_set_timer_op(0), 0, "set_timer_op(0)") ||
	    !undo(l, gpv_fpu_taskswitch(0), 0, "fpu_taskswitch(0)"))
		return false;
	for (int r = 0; r < 4; r++)
		if (!undo(l, gpv_set_debugreg(r, 0), 0, "clear DR0-3"))
			return false;
	if (!undo(l, gpv_mmuext_op(&ldt, 1, NULL, DOMID_SELF), 0, "SET_LDT 0") ||
	    !undo(l, gpv_mmuext_op(&ub, 1, NULL, DOMID_SELF), 0, "NEW_USER_BASEPTR 0"))
		return false;
	for (unsigned int i = 0; i < GPV_ARRAY_SIZE(l4_slots); i++)
		if (!undo(l, pt_write(l4m, l4_slots[i], 0), 0, "clear a guest slot of the L4"))
			return false;
	s->ldt_set = s->user_base_set = s->timers_set = s->debugreg_set = s->fpu_ts = false;
	return true;
}

/* Ports closed (the fuzzer's, then every other by reset), grants revoked. */
static bool undo_events(struct hcf_state *s, struct hcf_blog *l)
{
	struct evtchn_reset reset = { .dom = DOMID_SELF };

	for (unsigned int i = 0; i < HCF_MAX_OWNED; i++) {
		if (s->owned[i] < 0)
			continue;
		if (!undo(l, gpv_evtchn_close((evtchn_port_t)s->owned[i]), 0,
			  "close an owned port"))
			return false;
		s->owned[i] = -1;
	}
	if (!undo(l, gpv_event_channel_op(EVTCHNOP_reset, &reset), 0, "EVTCHNOP_reset"))
		return false;
	if (s->map_handle >= 0) {
		struct gnttab_unmap_grant_ref u = { .host_addr = s->map_addr,
						    .handle = (grant_handle_t)s->map_handle };

		if (!undo(l, gpv_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1), 0,
			  "unmap the grant mapping") ||
		    !undo(l, u.status, GNTST_okay, "unmap the grant mapping: status"))
			return false;
		s->map_handle = -1;
	}
	/* The window, the read-only page and the hole as they were (a map may have moved them). */
	if (!undo(l, map_own(s->win, HCF_P | HCF_RW | HCF_US), 0, "the window as it was") ||
	    !undo(l, map_own(s->ro, HCF_P | HCF_US), 0, "the read-only page as it was") ||
	    !undo(l, gpv_update_va_mapping((unsigned long)s->hole, 0, UVMF_INVLPG), 0,
		  "the hole unmapped"))
		return false;
	s->fifo = false;
	for (unsigned int p = 1; p < HCF_PORTS; p++) {
		struct evtchn_status st = { .dom = DOMID_SELF, .port = p };

		gpv_event_channel_op(EVTCHNOP_status, &st);
		if (!undo(l, st.status, EVTCHNSTAT_closed, "every port closed after reset"))
			return false;
	}
	for (unsigned int g = 0; g < HCF_GREFS; g++) {
		grant_entry_v1_t *e = gpv_gnttab_entry(s->first_gref + g);

		if (!e)
			continue;
		if (!undo(l, e->flags & (GTF_reading | GTF_writing), 0, "no grant left in use"))
			return false;
		e->flags = 0;
		e->domid = 0;
		e->frame = 0;
	}
	return true;
}

int hcf_teardown(struct hcf_state *s, long res, char *why, size_t len)
{
	struct hcf_blog l = { 0, why, len };

	if (!undo_cpu(s, &l) || !undo_events(s, &l))
		return l.step;
	for (int level = 4; level >= 1; level--) {
		for (unsigned int i = 0; i < HCF_POOL; i++) {
			if (s->pg[i].pinned != level)
				continue;
			if (!undo(&l, ext1(MMUEXT_UNPIN_TABLE, s->pg[i].mfn), 0,
				  "unpin a pinned page"))
				return l.step;
			s->pg[i].pinned = 0;
		}
	}
	for (unsigned int i = 0; i < HCF_POOL; i++) {
		mmu_update_t m2p = { .ptr = ((uint64_t)s->pg[i].mfn << 12) | MMU_MACHPHYS_UPDATE,
				     .val = s->pg[i].pfn };

		if (!undo(&l, gpv_mmu_update(&m2p, 1, NULL, DOMID_SELF), 0, "M2P entry restored") ||
		    !undo(&l, map_page(&s->pg[i], HCF_P | HCF_RW | HCF_US), 0,
			  "every pool page writable again (no type left behind)"))
			return l.step;
		memset(s->pg[i].va, 0, 4096);
		s->pg[i].hvw = false;
	}
	if (!undo(&l, gpv_update_va_mapping((unsigned long)s->hole, 0, UVMF_INVLPG), 0,
		  "the hole unmapped") ||
	    !undo(&l, hcf_reservation(), res, "the reservation as before the seed"))
		return l.step;
	return 0;
}
