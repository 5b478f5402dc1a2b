// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frame table: one struct page_info (asm/page_info.h) per frame below
 * the allocator's highest frame, in memory taken from the allocator at boot,
 * and the hooks through which the pure state machine (arch/x86_64/mm/)
 * reaches frames: the direct map, the allocator for a domain page's last
 * reference, the hypervisor's L4 slots, the descriptor check.
 *
 *   mm_frame_table[mfn]   owner / type / counts of machine frame mfn
 *
 * Locks: mm_lock serialises every frame-table change (it is taken by the
 * callers of the pure code: the MMU hypercalls, ptwr, the builder); the
 * allocator's own lock nests inside it (mm_env_freed frees a frame).
 */
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/setup.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <asm/descriptor.h>
#include <asm/pv/ldt.h>
#include <xen/errno.h>

spinlock_t mm_lock;
struct page_info *mm_frame_table;
uint64_t mm_nr_frames;

void mm_frame_table_init(void)
{
	uint64_t n = mm_max_mfn(),
		 pages = ROUNDUP(n * sizeof(struct page_info), PAGE_SIZE) >> PAGE_SHIFT;
	mfn_t first = mm_alloc_contig(pages);

	if (mfn_eq(first, INVALID_MFN))
		panic("no memory for the frame table (%lu pages)", pages);
	mm_frame_table = mfn_to_virt(first);
	for (uint64_t mfn = 0; mfn < n; mfn++) {
		struct page_info *pg = &mm_frame_table[mfn];

		*pg = (struct page_info){ .owner = DOMID_INVALID };
		switch (mm_frame_state(mfn)) {
		case MM_FRAME_FREE:
			break;
		case MM_FRAME_USED:
			pg->owner = DOMID_XEN;
			pg->count = 1;
			break;
		case MM_FRAME_NOT_RAM:
			pg->owner = DOMID_IO;
			break;
		}
	}
	mm_nr_frames = n;
	printk(LOG_INFO, "frame table: %lu frames, %lu KiB at mfn 0x%lx", n, pages * 4,
	       mfn_x(first));
}

void mm_frame_allocated(mfn_t mfn)
{
	if (mfn_x(mfn) < mm_nr_frames)
		mm_frame_table[mfn_x(mfn)] = (struct page_info){ .owner = DOMID_XEN, .count = 1 };
}

void arch_mm_frame_freed(mfn_t mfn)
{
	if (mfn_x(mfn) >= mm_nr_frames)
		return;
	/* Not a guest frame any more: the M2P forgets it, as Xen's free_domheap_pages. */
	if (mm_frame_table[mfn_x(mfn)].owner < DOMID_FIRST_RESERVED ||
	    mm_frame_table[mfn_x(mfn)].owner == MM_DOMID_ORPHAN)
		mm_m2p_set(mfn, ~0ULL);
	mm_frame_table[mfn_x(mfn)] = (struct page_info){ .owner = DOMID_INVALID };
}

void mm_assign_page(mfn_t mfn, domid_t d)
{
	struct page_info *pg = mm_env_page(mfn_x(mfn));

	ASSERT(pg && pg->owner == DOMID_XEN && pg->count == 1);
	*pg = (struct page_info){ .owner = d, .count = 1, .flags = MM_PGF_ALLOCATED };
}

void mm_share_xen_page(mfn_t mfn, domid_t d)
{
	struct page_info *pg = mm_env_page(mfn_x(mfn));

	ASSERT(pg && pg->owner == DOMID_XEN);
	/* A type ref of its own: it can never become a table or a GDT page. */
	*pg = (struct page_info){ .owner = d,
				  .count = 1,
				  .type = MM_PGT_WRITABLE,
				  .type_count = 1,
				  .flags = MM_PGF_VALIDATED | MM_PGF_XEN_HEAP };
}

void mm_give_back(struct mm_ctx *c, uint64_t m)
{
	struct page_info *pg = mm_env_page(m);

	if (pg->flags & MM_PGF_PINNED) {
		pg->flags &= (uint8_t)~MM_PGF_PINNED;
		mm_put_page_and_type(c, m);
	}
	if (pg->flags & MM_PGF_ALLOCATED) {
		pg->flags &= (uint8_t)~MM_PGF_ALLOCATED;
		mm_put_page(c, m);
	}
}

void mm_relinquish(struct domain *d)
{
	struct mm_ctx c = { .pt_owner = d->id, .pg_owner = d->id, .deferred = MM_NO_MFN };

	/* Pins first: demoting a table drops the refs its entries hold. */
	mm_relinquish_tables_now(d);
	spin_lock(&mm_lock);
	for (uint64_t m = 0; m < mm_nr_frames; m++)
		if (mm_frame_table[m].owner == d->id)
			mm_give_back(&c, m);
	/*
	 * What is left is referenced from outside (a foreign or grant mapping):
	 * it stops being d's, so a later domain with d's id never owns it;
	 * it is freed with its last reference.
	 */
	for (uint64_t m = 0; m < mm_nr_frames; m++)
		if (mm_frame_table[m].owner == d->id)
			mm_frame_table[m].owner = MM_DOMID_ORPHAN;
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	d->mm_teardown_phase = 0;
	d->mm_teardown_next = 0;
}

int mm_remove_page(struct domain *d, mfn_t mfn)
{
	struct mm_ctx c = { .pt_owner = d->id, .pg_owner = d->id };
	int rc = -XEN_EINVAL;

	spin_lock(&mm_lock);
	if (mm_get_page(mfn_x(mfn), d->id)) {
		if (mm_env_page(mfn_x(mfn))->flags & MM_PGF_ALLOCATED) {
			mm_give_back(&c, mfn_x(mfn));
			rc = 0;
		}
		mm_put_page(&c, mfn_x(mfn));
	}
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return rc;
}

int mm_page_get(mfn_t mfn, const struct domain *d)
{
	bool ok;

	spin_lock(&mm_lock);
	ok = mm_get_page(mfn_x(mfn), d->id);
	spin_unlock(&mm_lock);
	return ok ? 0 : -XEN_EINVAL;
}

void mm_page_put(mfn_t mfn)
{
	struct mm_ctx c = { .pt_owner = DOMID_XEN, .pg_owner = DOMID_XEN };

	spin_lock(&mm_lock);
	mm_put_page(&c, mfn_x(mfn));
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
}

int mm_steal_check(const struct domain *d, mfn_t mfn)
{
	const struct page_info *pg = mm_env_page(mfn_x(mfn));

	/* As Xen's steal_page: d's, nothing but its allocation ref, no type in use. */
	if (!pg || pg->owner != d->id || pg->count != 1 || !(pg->flags & MM_PGF_ALLOCATED) ||
	    pg->type_count || (pg->flags & (MM_PGF_PINNED | MM_PGF_XEN_HEAP)))
		return -XEN_EINVAL;
	return 0;
}

void mm_steal_commit(struct domain *d, mfn_t mfn)
{
	struct mm_ctx c = { .pt_owner = d->id, .pg_owner = d->id };

	mm_give_back(&c, mfn_x(mfn));
}

domid_t mm_page_owner(mfn_t mfn)
{
	const struct page_info *pg = mm_env_page(mfn_x(mfn));

	return pg ? pg->owner : DOMID_IO;
}

/*
 * dom0 has every I/O frame the CPU can address, as Xen gives it
 * (iomem_caps up to the physical address width): a frame beyond that would
 * set reserved PTE bits, so it is -EPERM as on Xen.
 */
static uint64_t io_frames_end(void)
{
	static uint64_t end;
	uint32_t a, b, c, d;

	if (!end) {
		cpuid_count(0x80000000, 0, &a, &b, &c, &d);
		if (a >= 0x80000008)
			cpuid_count(0x80000008, 0, &a, &b, &c, &d);
		else
			a = 36;
		end = 1ULL << ((a & 0xff) - PAGE_SHIFT);
	}
	return end;
}

/* Adds [s, e] to the ranges kept in address order (nothing when full). */
static void add_io(struct arch_io_range *r, unsigned int *n, unsigned int max, uint64_t s,
		   uint64_t e, enum arch_io_kind kind)
{
	unsigned int i;

	if (*n >= max)
		return;
	for (i = *n; i > 0 && r[i - 1].first > s; i--)
		r[i] = r[i - 1];
	r[i] = (struct arch_io_range){ s, e, kind };
	(*n)++;
}

/* Whether the boot CPU is AMD's or Hygon's, and its family. */
static bool cpu_amd_family(unsigned int *family)
{
	uint32_t a, b, c, d;

	cpuid_count(0, 0, &a, &b, &c, &d);
	if (b != 0x68747541 && b != 0x6f677948) /* "Auth", "Hygo" */
		return false;
	cpuid_count(1, 0, &a, &b, &c, &d);
	*family = (a >> 8) & 0xf;
	if (*family == 0xf)
		*family += (a >> 20) & 0xff;
	return true;
}

#define MSI_FIRST 0xfee00ULL /* MSI_ADDR_BASE_LO, the local APIC's page first */
#define MSI_LAST 0xfeeffULL  /* ... + MSI_ADDR_DEST_ID_MASK */
#define MAX_IOAPICS 8

unsigned int arch_io_ranges(struct arch_io_range *r, unsigned int max, uint64_t *io_end)
{
	uint64_t ioapic[MAX_IOAPICS], hpet;
	unsigned int n = 0, nr = acpi_ioapic_addrs(ioapic, MAX_IOAPICS), family, prot;

	*io_end = io_frames_end();
	for (unsigned int i = 0; i < nr; i++)
		if ((ioapic[i] >> PAGE_SHIFT) < MSI_FIRST || (ioapic[i] >> PAGE_SHIFT) > MSI_LAST)
			add_io(r, &n, max, ioapic[i] >> PAGE_SHIFT, ioapic[i] >> PAGE_SHIFT,
			       ARCH_IO_IOAPIC);
	add_io(r, &n, max, MSI_FIRST, MSI_LAST, ARCH_IO_DENIED);
	/* HyperTransport: the 12 GiB below 2^40 (2^width from family 0x17 on). */
	if (cpu_amd_family(&family)) {
		uint64_t top = family < 0x17 ? 1ULL << (40 - PAGE_SHIFT) : *io_end;

		add_io(r, &n, max, top - (3ULL << (32 - PAGE_SHIFT)), top - 1, ARCH_IO_DENIED);
	}
	/* The HPET: refused where its table protects its pages, else read-only (ro_hpet). */
	if (acpi_hpet(&hpet, &prot))
		add_io(r, &n, max, hpet >> PAGE_SHIFT, (hpet >> PAGE_SHIFT) + (prot == 2 ? 15 : 0),
		       prot == 1 || prot == 2 ? ARCH_IO_DENIED : ARCH_IO_RO);
	return n;
}

#define MAX_IO_RANGES 16
static struct mm_io_range io_ranges[MAX_IO_RANGES];
static unsigned int nr_io_ranges = ~0U;

/* The hardware domain's I/O ranges, as the pure code reads them (made once). */
static __attribute__((noinline)) unsigned int io_range_table(void)
{
	struct arch_io_range r[MAX_IO_RANGES];
	uint64_t end;

	if (__atomic_load_n(&nr_io_ranges, __ATOMIC_ACQUIRE) == ~0U) {
		unsigned int n = arch_io_ranges(r, MAX_IO_RANGES, &end);

		for (unsigned int i = 0; i < n; i++)
			io_ranges[i] = (struct mm_io_range){ r[i].first, r[i].last,
							     r[i].kind != ARCH_IO_DENIED };
		__atomic_store_n(&nr_io_ranges, n, __ATOMIC_RELEASE);
	}
	return nr_io_ranges;
}

/* The table's size, made at the first call (the check inline: mm_ctx_init is hot). */
static inline unsigned int io_ranges_made(void)
{
	unsigned int n = __atomic_load_n(&nr_io_ranges, __ATOMIC_ACQUIRE);

	return n != ~0U ? n : io_range_table();
}

void mm_ctx_init(struct mm_ctx *c, const struct domain *pt, domid_t pg_owner)
{
	*c = (struct mm_ctx){
		.pt_owner = pt->id,
		.pg_owner = pg_owner,
		.io_end = pt->id == 0 ? io_frames_end() : 0,
		.io_ranges = io_ranges,
		.nr_io_ranges = pt->id ? 0 : io_ranges_made(),
		.m2p_strict = pt->vm_assist & (1UL << VMASST_TYPE_m2p_strict),
		.deferred = MM_NO_MFN,
	};
}

void mm_ctx_flush_stale(struct mm_ctx *c)
{
	if (c->need_flush)
		mm_flush_cpus(mm_tlb_mask(NULL) | (1ULL << this_cpu()->id));
	else if (c->flush_mask)
		mm_flush_cpus(c->flush_mask); /* before the op that asked is issued again */
	c->need_flush = false;
	c->flush_mask = 0;
}

struct page_info *mm_env_page(uint64_t mfn)
{
	return mfn < mm_nr_frames ? &mm_frame_table[mfn] : NULL;
}

uint64_t *mm_env_map(uint64_t mfn)
{
	return mfn_to_virt(_mfn(mfn));
}

void mm_env_freed(uint64_t mfn)
{
	struct domain *d = domain_find(mm_frame_table[mfn].owner);

	if (d && d->tot_pages)
		d->tot_pages--;
	mm_free_page(_mfn(mfn));
}

void mm_env_l4_xen_slots(uint64_t *l4, uint64_t mfn, bool m2p_strict)
{
	(void)mfn;
	memcpy(&l4[HV_FIRST_SLOT], &paging_idle_l4()[HV_FIRST_SLOT],
	       (HV_LAST_SLOT - HV_FIRST_SLOT + 1) * sizeof(uint64_t));
	/* As Xen's init_xen_l4_slots: the RO M2P at validation only with m2p_strict. */
	if (!m2p_strict)
		l4[HV_FIRST_SLOT] = 0;
}

bool mm_env_descriptor_ok(uint64_t *desc)
{
	return pv_check_descriptor(desc);
}

static uint64_t nr_preemptions;

void mm_note_preemptions(uint32_t n)
{
	__atomic_add_fetch(&nr_preemptions, n, __ATOMIC_RELAXED);
}

uint64_t mm_preemptions(void)
{
	return __atomic_load_n(&nr_preemptions, __ATOMIC_RELAXED);
}

uint64_t mm_env_tlb_clock(void)
{
	return mm_tlb_clock();
}

uint64_t mm_env_tlb_stale(mm_domid_t owner, uint64_t stamp)
{
	const struct domain *d = domain_find(owner);

	return d ? mm_tlb_stale(d, stamp) : 0;
}

bool mm_env_preempt(void)
{
	return hypercall_preempt_check();
}

#define M2P_MAX_PAGES ((HV_DIRECTMAP_SIZE >> PAGE_SHIFT) * 8 / PAGE_SIZE)
#define M2P_CHUNK 512 /* frames: 2 MiB contiguous, as Xen's superpages of the M2P */

/* The M2P's frames, chunk by chunk: the guests' mapping is read-only, we write through these. */
static uint64_t m2p_chunks[M2P_MAX_PAGES / M2P_CHUNK];
static uint64_t m2p_nr_chunks;

/* Chunk c: 2 MiB of frames, all entries INVALID, mapped read-only for the guests. */
static int m2p_chunk(uint64_t c)
{
	mfn_t m = mm_alloc_contig(M2P_CHUNK);

	if (mfn_x(m) == INVALID_MFN_RAW)
		return -XEN_ENOMEM;
	memset(mfn_to_virt(m), 0xff, M2P_CHUNK * PAGE_SIZE);
	for (uint64_t i = 0; i < M2P_CHUNK; i++)
		if (paging_map_page(HV_RO_MPT_VIRT + (c * M2P_CHUNK + i) * PAGE_SIZE, mfn_add(m, i),
				    PTE_P | PTE_US | PTE_NX))
			return -XEN_ENOMEM;
	m2p_chunks[c] = mfn_x(m);
	return 0;
}

int mm_m2p_init(void)
{
	uint64_t pages = ROUNDUP(mm_max_mfn() * 8, PAGE_SIZE) >> PAGE_SHIFT;

	/* The other shared hypervisor mapping guests need: the LDT areas. */
	if (pv_ldt_init())
		return -XEN_ENOMEM;
	/* Once for all domains (the first builder sets it up). */
	while (m2p_nr_chunks * M2P_CHUNK < pages && m2p_nr_chunks < M2P_MAX_PAGES / M2P_CHUNK) {
		int rc = m2p_chunk(m2p_nr_chunks);

		if (rc)
			return rc;
		m2p_nr_chunks++;
	}
	return 0;
}

uint64_t mm_m2p_chunk_mfn(uint64_t c)
{
	return c < m2p_nr_chunks ? m2p_chunks[c] : INVALID_MFN_RAW;
}

int mm_m2p_set(mfn_t mfn, uint64_t pfn)
{
	uint64_t m = mfn_x(mfn), page = m / 512;

	if (page >= m2p_nr_chunks * M2P_CHUNK)
		return -XEN_EINVAL;
	((uint64_t *)mfn_to_virt(_mfn(m2p_chunks[page / M2P_CHUNK] + page % M2P_CHUNK)))[m % 512] =
		pfn;
	return 0;
}
