// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page allocator: one bit per machine frame below 4 GiB (1 = in use or
 * not RAM) and a rotating search hint; multi-page hypervisor objects
 * (mm_alloc_heap); a domain's memory (domain_memory_*). Who owns an
 * allocated frame, and as what, is the frame table's (arch/x86_64/mm.c): an
 * allocated frame is the hypervisor's until mm_assign_page() gives it to a
 * domain, and the frame table is told when a frame comes back.
 *
 *   alloc_bitmap  [mfn / 64] bit (mfn % 64)   1 = not free
 *
 * Locks: alloc_lock guards alloc_bitmap, nr_free and hint.
 */
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/spinlock.h>
#include <xen/errno.h>

#define MAX_FRAMES (HV_DIRECTMAP_SIZE >> PAGE_SHIFT)
#define MAX_RESERVED 16

static uint64_t alloc_bitmap[MAX_FRAMES / 64];
static uint64_t nr_free, max_mfn, hint;
static spinlock_t alloc_lock;
static struct boot_range reserved[MAX_RESERVED];
static const struct boot_info *ram_info;
static unsigned int nr_reserved;

void mm_reserve(paddr_t start, paddr_t end)
{
	if (nr_reserved < MAX_RESERVED)
		reserved[nr_reserved++] = (struct boot_range){ start, end };
	else
		panic("too many reserved ranges");
}

static bool is_reserved(uint64_t mfn)
{
	paddr_t pa = mfn << PAGE_SHIFT;

	for (unsigned int i = 0; i < nr_reserved; i++)
		if (pa + PAGE_SIZE > reserved[i].start && pa < reserved[i].end)
			return true;
	return false;
}

void mm_init(const struct boot_info *bi)
{
	ram_info = bi;
	memset(alloc_bitmap, 0xff, sizeof(alloc_bitmap));
	for (unsigned int r = 0; r < bi->nr_ranges; r++) {
		uint64_t s = ROUNDUP(bi->ram[r].start, PAGE_SIZE) >> PAGE_SHIFT;
		uint64_t e = bi->ram[r].end >> PAGE_SHIFT;

		for (uint64_t mfn = s; mfn < e && mfn < MAX_FRAMES; mfn++) {
			if (mfn + 1 > max_mfn)
				max_mfn = mfn + 1;
			if (is_reserved(mfn))
				continue;
			alloc_bitmap[mfn / 64] &= ~(1ULL << (mfn % 64));
			nr_free++;
		}
	}
	printk(LOG_INFO, "memory: %lu MiB free, max mfn 0x%lx", nr_free >> 8, max_mfn);
	mm_frame_table_init();
}

static bool frame_free(uint64_t mfn);

enum mm_frame_state mm_frame_state(uint64_t mfn)
{
	if (mfn >= max_mfn)
		return MM_FRAME_NOT_RAM;
	if (frame_free(mfn))
		return MM_FRAME_FREE;
	/* As Xen: the first MiB is I/O whatever the map says. */
	for (unsigned int r = 0; mfn >= 0x100 && r < ram_info->nr_ranges; r++)
		if ((mfn << PAGE_SHIFT) >= ram_info->ram[r].start &&
		    ((mfn + 1) << PAGE_SHIFT) <= ram_info->ram[r].end)
			return MM_FRAME_USED;
	return MM_FRAME_NOT_RAM;
}

/* Under alloc_lock: the first free frame from the hint on, now in use; or INVALID_MFN_RAW. */
static uint64_t take_one(void)
{
	uint64_t words = (max_mfn + 63) / 64;

	for (uint64_t n = 0; n < words; n++) {
		uint64_t w = (hint + n) % words;

		if (alloc_bitmap[w] != ~0ULL) {
			uint64_t bit = __builtin_ctzll(~alloc_bitmap[w]);

			alloc_bitmap[w] |= 1ULL << bit;
			nr_free--;
			hint = w;
			return w * 64 + bit;
		}
	}
	return INVALID_MFN_RAW;
}

mfn_t mm_alloc_page(void)
{
	uint64_t mfn;

	spin_lock(&alloc_lock);
	mfn = take_one();
	spin_unlock(&alloc_lock);
	if (mfn == INVALID_MFN_RAW)
		return _mfn(INVALID_MFN_RAW);
	memset(mfn_to_virt(_mfn(mfn)), 0, PAGE_SIZE);
	mm_frame_allocated(_mfn(mfn));
	return _mfn(mfn);
}

static bool frame_free(uint64_t mfn)
{
	return !(alloc_bitmap[mfn / 64] & (1ULL << (mfn % 64)));
}

mfn_t mm_alloc_contig(uint64_t n)
{
	return mm_alloc_contig_below(n, max_mfn);
}

mfn_t mm_alloc_contig_below(uint64_t n, uint64_t limit)
{
	uint64_t run = 0;

	if (limit > max_mfn)
		limit = max_mfn;
	spin_lock(&alloc_lock);
	if (n == 1 &&
	    limit == max_mfn) { /* one frame from the hint: populating a domain is not quadratic */
		uint64_t mfn = take_one();

		spin_unlock(&alloc_lock);
		if (mfn == INVALID_MFN_RAW)
			return INVALID_MFN;
		mm_frame_allocated(_mfn(mfn));
		return _mfn(mfn);
	}
	for (uint64_t mfn = 0; n && mfn < limit; mfn++) {
		run = frame_free(mfn) ? run + 1 : 0;
		if (run == n) {
			uint64_t first = mfn + 1 - n;

			for (uint64_t m = first; m <= mfn; m++)
				alloc_bitmap[m / 64] |= 1ULL << (m % 64);
			nr_free -= n;
			spin_unlock(&alloc_lock);
			for (uint64_t m = first; m <= mfn; m++)
				mm_frame_allocated(_mfn(m));
			return _mfn(first);
		}
	}
	spin_unlock(&alloc_lock);
	return INVALID_MFN;
}

void mm_free_page(mfn_t mfn)
{
	uint64_t m = mfn_x(mfn);

	ASSERT(m < max_mfn);
	spin_lock(&alloc_lock);
	ASSERT(alloc_bitmap[m / 64] & (1ULL << (m % 64)));
	alloc_bitmap[m / 64] &= ~(1ULL << (m % 64));
	nr_free++;
	spin_unlock(&alloc_lock);
	arch_mm_frame_freed(mfn);
}

uint64_t mm_free_pages(void)
{
	return nr_free;
}

uint64_t mm_max_mfn(void)
{
	return max_mfn;
}

void *mm_alloc_heap(size_t bytes)
{
	uint64_t n = ROUNDUP(bytes, PAGE_SIZE) >> PAGE_SHIFT;
	mfn_t first = mm_alloc_contig(n);
	void *p;

	if (mfn_eq(first, INVALID_MFN))
		return NULL;
	p = mfn_to_virt(first);
	memset(p, 0, n << PAGE_SHIFT);
	return p;
}

void mm_free_heap(void *p, size_t bytes)
{
	uint64_t first = ((uint64_t)p - HV_DIRECTMAP) >> PAGE_SHIFT;
	uint64_t n = ROUNDUP(bytes, PAGE_SIZE) >> PAGE_SHIFT;

	for (uint64_t i = 0; i < n; i++)
		mm_free_page(_mfn(first + i));
}

int domain_memory_init(struct domain *d)
{
	d->nr_pages = d->tot_pages = 0;
	d->max_pages = UINT32_MAX; /* as Xen's dom0 without dom0_mem=max: */
	d->p2m_base = INVALID_MFN;
	return 0;
}

/*
 * The domain's pages go back as Xen's relinquish_memory gives them back: the
 * pins' refs first (demoting its tables), then each page's allocation ref; a
 * page another domain still maps is freed when that mapping goes.
 */
void domain_memory_teardown(struct domain *d)
{
	mm_relinquish(d);
	d->nr_pages = 0;
	d->p2m_base = INVALID_MFN;
}

int domain_alloc_memory(struct domain *d, uint64_t nr_pages)
{
	mfn_t base;

	if (d->nr_pages || !nr_pages)
		return -XEN_EINVAL;
	base = mm_alloc_contig(nr_pages);
	if (mfn_eq(base, INVALID_MFN))
		return -XEN_ENOMEM;
	for (uint64_t i = 0; i < nr_pages; i++)
		mm_assign_page(mfn_add(base, i), d->id);
	d->p2m_base = base;
	d->nr_pages = nr_pages;
	d->tot_pages = nr_pages;
	return 0;
}
