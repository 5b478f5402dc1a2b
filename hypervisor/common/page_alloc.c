// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page allocator: one bit per machine frame below 4 GiB (1 = in use or
 * not RAM), a rotating search hint, and a byte per frame for its guest type.
 *
 *   alloc_bitmap  [mfn / 64] bit (mfn % 64)   1 = not free
 *   frame_types   [mfn]                       enum frame_type
 *
 * Locks: alloc_lock guards alloc_bitmap, nr_free and hint.
 */
#include <lamina/console.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/spinlock.h>

#define MAX_FRAMES (HV_DIRECTMAP_SIZE >> PAGE_SHIFT)
#define MAX_RESERVED 16

static uint64_t alloc_bitmap[MAX_FRAMES / 64];
static uint8_t frame_types[MAX_FRAMES];
static uint64_t nr_free, max_mfn, hint;
static spinlock_t alloc_lock;
static struct boot_range reserved[MAX_RESERVED];
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
}

mfn_t mm_alloc_page(void)
{
	uint64_t words = (max_mfn + 63) / 64;

	spin_lock(&alloc_lock);
	for (uint64_t n = 0; n < words; n++) {
		uint64_t w = (hint + n) % words;

		if (alloc_bitmap[w] != ~0ULL) {
			uint64_t bit = __builtin_ctzll(~alloc_bitmap[w]);
			uint64_t mfn = w * 64 + bit;

			alloc_bitmap[w] |= 1ULL << bit;
			nr_free--;
			hint = w;
			spin_unlock(&alloc_lock);
			memset(mfn_to_virt(_mfn(mfn)), 0, PAGE_SIZE);
			return _mfn(mfn);
		}
	}
	spin_unlock(&alloc_lock);
	return _mfn(INVALID_MFN_RAW);
}

static bool frame_free(uint64_t mfn)
{
	return !(alloc_bitmap[mfn / 64] & (1ULL << (mfn % 64)));
}

uint64_t mm_alloc_contig(uint64_t n)
{
	uint64_t run = 0;

	spin_lock(&alloc_lock);
	for (uint64_t mfn = 0; n && mfn < max_mfn; mfn++) {
		run = frame_free(mfn) ? run + 1 : 0;
		if (run == n) {
			uint64_t first = mfn + 1 - n;

			for (uint64_t m = first; m <= mfn; m++)
				alloc_bitmap[m / 64] |= 1ULL << (m % 64);
			nr_free -= n;
			spin_unlock(&alloc_lock);
			return first;
		}
	}
	spin_unlock(&alloc_lock);
	return INVALID_MFN_RAW;
}

void mm_free_page(mfn_t mfn)
{
	uint64_t m = mfn_x(mfn);

	ASSERT(m < max_mfn);
	spin_lock(&alloc_lock);
	ASSERT(alloc_bitmap[m / 64] & (1ULL << (m % 64)));
	alloc_bitmap[m / 64] &= ~(1ULL << (m % 64));
	frame_types[m] = FT_NONE;
	nr_free++;
	spin_unlock(&alloc_lock);
}

uint64_t mm_free_pages(void)
{
	return nr_free;
}

uint64_t mm_max_mfn(void)
{
	return max_mfn;
}

#define FT_PINNED 0x80 /* in frame_types: a page table the guest pinned */

void mm_set_frame_type(mfn_t mfn, enum frame_type t)
{
	if (mfn_x(mfn) < MAX_FRAMES)
		frame_types[mfn_x(mfn)] = (uint8_t)t;
}

enum frame_type mm_frame_type(mfn_t mfn)
{
	return mfn_x(mfn) < max_mfn ? (enum frame_type)(frame_types[mfn_x(mfn)] & ~FT_PINNED)
				    : FT_NONE;
}

bool mm_frame_pinned(mfn_t mfn)
{
	return mfn_x(mfn) < max_mfn && (frame_types[mfn_x(mfn)] & FT_PINNED);
}

void mm_set_frame_pinned(mfn_t mfn, bool pinned)
{
	if (mfn_x(mfn) < max_mfn)
		frame_types[mfn_x(mfn)] = (uint8_t)((frame_types[mfn_x(mfn)] & ~FT_PINNED) |
						    (pinned ? FT_PINNED : 0));
}
