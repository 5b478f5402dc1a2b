// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV builder, after xen/arch/x86/pv/dom0_build.c: parse the kernel
 * (lamina/elfnote.h), compute the start-of-day layout (asm/dom0_layout.h), then
 * give the domain one physically contiguous run of frames (pfn N = mfn base + N)
 * and fill it: kernel, initrd, p2m list, start_info, bootstrap page tables
 * (mapped read-only), boot stack; plus the hypercall page, shared_info and
 * the read-only M2P. The kernel image is untrusted: the parser and layout
 * calculator check it; this file checks what it adds (sizes against memory).
 * dom0 and the boot-time domUs (pv/domain_build.c) are built by the same
 * steps (struct pv_build); a domU's start_info differs only in its flags
 * and its console and xenstore rings.
 */
#include <asm/dom0_layout.h>
#include <asm/hypercall_page.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/pv/dom0_build.h>
#include <lamina/arch.h>
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/elfnote.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>
#include <lamina/timer.h>
#include <xen/errno.h>

#define DOM0_DEFAULT_MEM (256ULL << 20)
#define HV_KEEP_FREE (8ULL << 20) /* left to the hypervisor when sizing dom0 */

static bool m2p_ready;

static void *pfn_virt(uint64_t mfn_base, uint64_t pfn)
{
	return mfn_to_virt(_mfn(mfn_base + pfn));
}

static uint64_t dom0_pages(void)
{
	uint64_t want = boot_opts.dom0_mem ? boot_opts.dom0_mem : DOM0_DEFAULT_MEM;
	uint64_t avail = mm_free_pages() << PAGE_SHIFT;
	uint64_t domus = boot_domus_mem();

	/* What the domu= options ask for is not dom0's to take by default. */
	avail = avail > domus ? avail - domus : 0;
	if (avail < HV_KEEP_FREE * 2)
		return 0;
	if (want > avail - HV_KEEP_FREE)
		want = avail - HV_KEEP_FREE;
	return want >> PAGE_SHIFT;
}

/* Page-table frames handed out in order from the pfn range [next, end). */
struct pt_alloc {
	uint64_t base, next, end;
};

/* Maps va -> pfn with flags in the tree under l4, allocating tables from pa. */
static int map_page(uint64_t *l4, uint64_t va, uint64_t mfn, uint64_t flags, struct pt_alloc *pa)
{
	const uint64_t upper = PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D;
	uint64_t *t = l4;

	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &t[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			if (pa->next >= pa->end)
				return -XEN_ENOMEM;
			*e = ((pa->base + pa->next++) << PAGE_SHIFT) | upper;
		}
		t = maddr_to_virt(*e & PTE_ADDR_MASK);
	}
	t[(va >> 12) & 511] = (mfn << PAGE_SHIFT) | flags;
	return 0;
}

/*
 * Types the tree as Xen's builder leaves it: the L4 validated (and with it
 * every table and page it maps: the tables themselves are mapped read-only,
 * so they validate), pinned, and the vCPU's kernel base pointer, which holds
 * a reference of its own. Without m2p_strict the kernel L4 has the RO M2P.
 */
static int pin_page_tables(struct domain *d, uint64_t l4)
{
	struct mm_ctx c;
	int rc;

	mm_ctx_init(&c, d, d->id);
	spin_lock(&mm_lock);
	rc = mm_get_page_and_type(&c, l4, d->id, MM_PGT_L4);
	if (!rc) {
		mm_env_page(l4)->flags |= MM_PGF_PINNED;
		rc = mm_get_page_and_type(&c, l4, d->id, MM_PGT_L4);
	}
	spin_unlock(&mm_lock);
	if (rc) {
		printk(LOG_ERR, "dom0: its initial page tables do not validate (%d)", rc);
		return rc;
	}
	((uint64_t *)mfn_to_virt(_mfn(l4)))[HV_FIRST_SLOT] = paging_idle_l4()[HV_FIRST_SLOT];
	d->vcpu[0]->arch.guest_table = _mfn(l4);
	return 0;
}

/*
 * Writes the bootstrap page tables: [v_start, v_end) -> pfn 0.., the
 * page-table frames read-only; with INIT_P2M also the p2m at its own address,
 * its pages and tables taken from first_p2m_pfn on.
 */
static int build_page_tables(struct pv_build *b, struct domain *d, uint64_t base)
{
	const struct pv_dom0_layout *l = &b->layout;
	uint64_t pt_pfn = (l->vpt_start - l->v_start) >> PAGE_SHIFT;
	struct pt_alloc pa = { base, pt_pfn + 1, pt_pfn + l->nr_pt_frames };
	uint64_t *l4 = pfn_virt(base, pt_pfn);
	int rc;

	for (uint64_t va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
		uint64_t pfn = (va - l->v_start) >> PAGE_SHIFT;
		uint64_t flags = PTE_P | PTE_RW | PTE_US | PTE_A;

		if (pfn >= pt_pfn && pfn < pt_pfn + l->nr_pt_frames)
			flags &= ~PTE_RW;
		rc = map_page(l4, va, base + pfn, flags, &pa);
		if (rc)
			return rc;
	}
	if (l->p2m_separate) {
		pa = (struct pt_alloc){ base, l->first_p2m_pfn + l->p2m_pages,
					l->first_p2m_pfn + l->nr_p2m_frames };
		for (uint64_t i = 0; i < l->p2m_pages; i++) {
			rc = map_page(l4, l->vphysmap_start + i * PAGE_SIZE,
				      base + l->first_p2m_pfn + i, PTE_P | PTE_RW | PTE_US | PTE_A,
				      &pa);
			if (rc)
				return rc;
		}
	}
	return pin_page_tables(d, base + pt_pfn);
}

static void fill_start_info(const struct pv_build *b, struct domain *d, uint64_t base)
{
	const struct pv_dom0_layout *l = &b->layout;
	start_info_t *si = pfn_virt(base, (l->vstartinfo_start - l->v_start) >> PAGE_SHIFT);

	snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64%s",
		 b->kimage.notes.pae_mode[0] ? "p" : "");
	si->nr_pages = d->nr_pages;
	si->shared_info = mfn_x(d->shared_info_mfn) << PAGE_SHIFT;
	si->flags = b->initdomain ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
	si->store_mfn = b->store_mfn;
	si->store_evtchn = b->store_evtchn;
	if (!b->initdomain) {
		si->console.domU.mfn = b->console_mfn;
		si->console.domU.evtchn = b->console_evtchn;
	}
	si->pt_base = l->vpt_start;
	si->nr_pt_frames = l->nr_pt_frames;
	si->mfn_list = l->vphysmap_start;
	if (l->p2m_separate) {
		si->first_p2m_pfn = l->first_p2m_pfn;
		si->nr_p2m_frames = l->nr_p2m_frames;
	}
	if (b->initrd_len) {
		si->mod_len = b->initrd_len;
		if (l->vinitrd_start) {
			si->mod_start = l->vinitrd_start;
		} else {
			si->mod_start = l->initrd_pfn;
			si->flags |= SIF_MOD_START_PFN;
		}
	}
	strlcpy((char *)si->cmd_line, b->cmdline, sizeof(si->cmd_line));
}

static int build_m2p(struct domain *d, uint64_t base)
{
	int rc = m2p_ready ? 0 : mm_m2p_init();

	m2p_ready |= !rc;
	for (uint64_t pfn = 0; !rc && pfn < d->nr_pages; pfn++)
		rc = mm_m2p_set(_mfn(base + pfn), pfn);
	return rc;
}

static int load_images(const struct pv_build *b, struct domain *d, uint64_t base)
{
	const struct pv_dom0_layout *l = &b->layout;
	uint64_t kpfn = (l->vkern_start - l->v_start) >> PAGE_SHIFT;
	int rc;

	rc = pv_elf_load(b->kernel, b->kernel_len, &b->kimage, pfn_virt(base, kpfn),
			 l->v_end - l->vkern_start);
	if (rc)
		return rc;
	if (b->initrd_len) {
		uint64_t ipfn = l->vinitrd_start ? (l->vinitrd_start - l->v_start) >> PAGE_SHIFT
						 : l->initrd_pfn;

		if (ipfn + (ROUNDUP(b->initrd_len, PAGE_SIZE) >> PAGE_SHIFT) > d->nr_pages)
			return -XEN_ENOMEM;
		memcpy(pfn_virt(base, ipfn), b->initrd, b->initrd_len);
	}
	/* The p2m list the guest reads at mfn_list (memory is contiguous). */
	{
		uint64_t *p2m = l->p2m_separate ? pfn_virt(base, l->first_p2m_pfn)
						: (uint64_t *)((uint8_t *)pfn_virt(base, 0) +
							       (l->vphysmap_start - l->v_start));

		for (uint64_t pfn = 0; pfn < d->nr_pages; pfn++)
			p2m[pfn] = base + pfn;
	}
	return 0;
}

/* Fills the domain's memory, frames [base, base + nr_pages): everything but the domain itself. */
static int fill_memory(struct pv_build *b, struct domain *d)
{
	uint64_t base = mfn_x(d->p2m_base);
	int rc;

	memset(pfn_virt(base, 0), 0, d->nr_pages << PAGE_SHIFT);
	/* libelf reads PAE_MODE "yes" as extended-cr3, and Xen then turns the assist on. */
	if (!strcmp(b->kimage.notes.pae_mode, "yes"))
		d->vm_assist |= 1UL << VMASST_TYPE_pae_extended_cr3;
	rc = build_m2p(d, base);
	if (!rc)
		rc = load_images(b, d, base);
	if (!rc)
		rc = build_page_tables(b, d, base);
	if (rc)
		return rc;
	fill_start_info(b, d, base);
	if (b->layout.virt_hypercall != PV_ELF_UNSET)
		pv_write_hypercall_page(pfn_virt(
			base, (b->layout.virt_hypercall - b->layout.v_start) >> PAGE_SHIFT));
	return 0;
}

int pv_build_check(struct pv_build *b, uint64_t nr_pages)
{
	const struct pv_dom0_layout *l = &b->layout;
	int rc;

	rc = pv_elf_parse(b->kernel, b->kernel_len, &b->kimage);
	if (rc) {
		printk(LOG_ERR, "%s kernel refused by the ELF/notes checks (%d)", b->name, rc);
		return rc;
	}
	rc = pv_dom0_layout(&b->kimage, nr_pages, b->initrd_len, &b->layout);
	if (rc) {
		printk(LOG_ERR, "%s layout impossible (%d), %lu pages", b->name, rc, nr_pages);
		return rc;
	}
	if (l->p2m_separate && (l->first_p2m_pfn + l->nr_p2m_frames > nr_pages ||
				l->first_p2m_pfn < ((l->v_end - l->v_start) >> PAGE_SHIFT))) {
		printk(LOG_ERR, "%s: the INIT_P2M frames do not fit", b->name);
		return -XEN_ENOMEM;
	}
	return 0;
}

uint64_t pv_build_end_pfn(const struct pv_build *b)
{
	const struct pv_dom0_layout *l = &b->layout;
	uint64_t end = (l->v_end - l->v_start) >> PAGE_SHIFT;

	if (l->p2m_separate)
		end = MAX(end, l->first_p2m_pfn + l->nr_p2m_frames);
	if (b->initrd_len && !l->vinitrd_start)
		end = MAX(end, l->initrd_pfn + (ROUNDUP(b->initrd_len, PAGE_SIZE) >> PAGE_SHIFT));
	return end;
}

int pv_build_fill(struct pv_build *b, struct domain *d)
{
	int rc = fill_memory(b, d);

	if (rc)
		return rc;
	printk(LOG_INFO, "%s: %lu pages at mfn 0x%lx, kernel %lx-%lx entry %lx", b->name,
	       d->nr_pages, mfn_x(d->p2m_base), b->layout.vkern_start, b->layout.vkern_end,
	       b->layout.virt_entry);
	printk(LOG_INFO, "%s: start_info %lx, page tables %lx (%lu frames), stack %lx, end %lx",
	       b->name, b->layout.vstartinfo_start, b->layout.vpt_start, b->layout.nr_pt_frames,
	       b->layout.vstack_end, b->layout.v_end);
	return 0;
}

/* Xen's start-of-day registers: entry, boot stack, %rsi = start_info, IF set. */
void pv_build_start(const struct pv_build *b, struct domain *d)
{
	struct vcpu *v = d->vcpu[0];
	struct cpu_regs *r = &v->arch.user_regs;

	memset(r, 0, sizeof(*r));
	r->rip = b->layout.virt_entry;
	r->rsp = b->layout.vstack_end;
	r->rsi = b->layout.vstartinfo_start;
	r->cs = HV_GUEST_CS64;
	r->ss = HV_GUEST_DS;
	r->rflags = 0x202;
	v->arch.kernel_mode = true;
	timer_vcpu_start(v);
	sched_vcpu_up(v);
	domain_unpause(d);
}

/* Built once, from boot code only (builds are sequential). */
static struct pv_build dom0_build;

/*
 * dom0 is an ordinary domain (domain_create: id 0, sched_dom0_max_vcpus()
 * vCPUs of which vCPU 0 is up, privileged)
 * that this builder fills; a failure destroys it again. Its kernel is the
 * first module, its initrd the second unless a domU claims it.
 */
int domain_build_dom0(const struct boot_info *bi)
{
	struct pv_build *b = &dom0_build;
	uint64_t nr_pages = dom0_pages();
	struct domain *d;
	int rc;

	*b = (struct pv_build){ .name = "dom0", .initdomain = true };
	b->kernel = maddr_to_virt(bi->mod[0].start);
	b->kernel_len = bi->mod[0].end - bi->mod[0].start;
	b->cmdline = bi->mod[0].cmdline;
	if (bi->nr_modules > 1 && !boot_module_is_domu(1)) {
		b->initrd = maddr_to_virt(bi->mod[1].start);
		b->initrd_len = bi->mod[1].end - bi->mod[1].start;
	}
	rc = pv_build_check(b, nr_pages);
	if (rc)
		return rc;
	rc = domain_create(0, sched_dom0_max_vcpus(), true, &d);
	if (rc)
		return rc;
	rc = domain_alloc_memory(d, nr_pages);
	if (!rc)
		rc = pv_build_fill(b, d);
	if (rc) {
		domain_destroy(d);
		return rc;
	}
	hardware_domain = d;
	return 0;
}

/* Xen's 64-bit PV hypercall page (asm/hypercall_page.h), byte for byte. */
void pv_write_hypercall_page(void *page)
{
	pv_hypercall_page_fill(page);
}

void domain_run_dom0(void)
{
	struct domain *d = hardware_domain;
	struct vcpu *v = d->vcpu[0];

	pv_build_start(&dom0_build, d);
	if (boot_opts.selftest_smap || boot_opts.selftest_smep) {
		/* With dom0's tables loaded, as when it runs. */
		arch_context_switch(NULL, v);
		arch_selftest_guest_access(v->arch.user_regs.rip, boot_opts.selftest_smep);
		arch_context_switch(v, NULL);
	}
	printk(LOG_INFO, "starting dom0");
	sched_start();
}
