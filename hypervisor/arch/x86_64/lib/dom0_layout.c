// SPDX-License-Identifier: GPL-2.0-only
/*
 * dom0's start-of-day layout (see asm/dom0_layout.h): the same sequence of
 * round-ups Xen 4.17's dom0_construct_pv performs, with every addition checked
 * for wrap-around because VIRT_BASE and the segment addresses come from the
 * (untrusted) kernel image.
 */
#include <asm/canonical.h>
#include <asm/dom0_layout.h>

#include <xen/errno.h>
#include <xen/xen.h>

#define L4_SHIFT 39
#define L3_SHIFT 30
#define L2_SHIFT 21
#define SUPERPAGE_4M ((uint64_t)1 << 22)
#define MIN_SLACK ((uint64_t)512 << 10)
#define P2M_ENTRY_SIZE 8 /* sizeof(unsigned long) for a 64-bit guest */

/* *x = round_up(*x, align) with align a power of two; false on wrap. */
static bool round_up(uint64_t *x, uint64_t align)
{
	uint64_t r = (*x + align - 1) & ~(align - 1);

	if (r < *x)
		return false;
	*x = r;
	return true;
}

/* *x += n; false on wrap. */
static bool add(uint64_t *x, uint64_t n)
{
	if (*x + n < *x)
		return false;
	*x += n;
	return true;
}

/* [lo, hi) is non-empty-or-empty, canonical, and does not cross the hole. */
static bool canonical_range(uint64_t lo, uint64_t hi)
{
	if (hi == lo)
		return is_canonical_address(lo);
	return is_canonical_address(lo) && is_canonical_address(hi - 1) &&
	       (lo >= 0xffff800000000000ull) == (hi - 1 >= 0xffff800000000000ull);
}

static bool overlaps_xen(uint64_t lo, uint64_t hi)
{
	return lo < PV_XEN_VIRT_END && hi > PV_XEN_VIRT_START;
}

uint64_t pv_dom0_nr_blocks(uint64_t lo, uint64_t hi, unsigned int shift)
{
	/* Xen's NR(): the index span, written to survive hi near 2^64. */
	return ((hi - 1) >> shift) - (lo >> shift) + 1;
}

static unsigned int order_from_bytes(uint64_t bytes)
{
	unsigned int order = 0;
	uint64_t pages = (bytes + PV_PAGE_SIZE - 1) >> PV_PAGE_SHIFT;

	while (((uint64_t)1 << order) < pages)
		order++;
	return order;
}

/* Xen's dom0_build.c checks on the image's features. */
static int check_features(const struct pv_elf_image *im)
{
	if (pv_elf_has_note(im, XEN_ELFNOTE_SUPPORTED_FEATURES) &&
	    !pv_elf_feature_supported(im, XENFEAT_dom0))
		return -XEN_EINVAL;
	if (pv_elf_feature_required(im, XENFEAT_supervisor_mode_kernel))
		return -XEN_EINVAL;
	return 0;
}

/*
 * The page-table count: Xen searches n = 2, 3, ... for the first n whose
 * layout needs at most n frames. need(n) never decreases with n, so jumping
 * straight to need(n) skips only values that cannot be solutions: same
 * answer, in a few steps even for a huge (hostile) kernel.
 */
static int size_page_tables(struct pv_dom0_layout *l)
{
	uint64_t n = 2;

	for (;;) {
		uint64_t need;

		l->vpt_end = l->vpt_start;
		if (n > (PV_DOM0_MAX_PAGES << 1) || !add(&l->vpt_end, n * PV_PAGE_SIZE))
			return -XEN_EINVAL;
		l->vstack_start = l->vpt_end;
		l->vstack_end = l->vstack_start;
		if (!add(&l->vstack_end, PV_PAGE_SIZE))
			return -XEN_EINVAL;
		l->v_end = l->vstack_end;
		if (!round_up(&l->v_end, SUPERPAGE_4M))
			return -XEN_EINVAL;
		if (l->v_end - l->vstack_end < MIN_SLACK && !add(&l->v_end, SUPERPAGE_4M))
			return -XEN_EINVAL;
		l->nr_l4 = 1;
		l->nr_l3 = pv_dom0_nr_blocks(l->v_start, l->v_end, L4_SHIFT);
		l->nr_l2 = pv_dom0_nr_blocks(l->v_start, l->v_end, L3_SHIFT);
		l->nr_l1 = pv_dom0_nr_blocks(l->v_start, l->v_end, L2_SHIFT);
		need = l->nr_l4 + l->nr_l3 + l->nr_l2 + l->nr_l1;
		if (need <= n) {
			l->nr_pt_frames = n;
			return 0;
		}
		n = need;
	}
}

/* Blocks of 2^@shift bytes [lo, hi) touches that [vlo, vhi) does not. */
static uint64_t new_blocks(uint64_t lo, uint64_t hi, uint64_t vlo, uint64_t vhi, unsigned int shift)
{
	uint64_t first = lo >> shift, last = (hi - 1) >> shift;
	uint64_t vfirst = vlo >> shift, vlast = (vhi - 1) >> shift;
	uint64_t n = last - first + 1;
	uint64_t a = first > vfirst ? first : vfirst, b = last < vlast ? last : vlast;

	return a <= b ? n - (b - a + 1) : n;
}

/*
 * Where the p2m goes when the image asks for INIT_P2M, and the frames that
 * hold and map it: Xen's setup_pv_physmap, with 4 KiB pages only. Those
 * frames take the PFNs after the first chunk and the initrd.
 */
static int place_separate_p2m(const struct pv_elf_image *im, struct pv_dom0_layout *l)
{
	uint64_t bytes = l->nr_pages * P2M_ENTRY_SIZE, s, e;

	l->vphysmap_start = im->p2m_base;
	l->vphysmap_end = im->p2m_base;
	if ((im->p2m_base & (PV_PAGE_SIZE - 1)) || !add(&l->vphysmap_end, bytes))
		return -XEN_EINVAL;
	s = l->vphysmap_start;
	e = l->vphysmap_end;
	/* Xen panics when the ranges meet, even end to start. */
	if (!canonical_range(s, e) || overlaps_xen(s, e) || (l->v_start <= e && s <= l->v_end))
		return -XEN_EINVAL;
	l->p2m_pages = (bytes + PV_PAGE_SIZE - 1) >> PV_PAGE_SHIFT;
	l->p2m_l3 = new_blocks(s, e, l->v_start, l->v_end, L4_SHIFT);
	l->p2m_l2 = new_blocks(s, e, l->v_start, l->v_end, L3_SHIFT);
	l->p2m_l1 = new_blocks(s, e, l->v_start, l->v_end, L2_SHIFT);
	l->first_p2m_pfn = ((uint64_t)1 << l->alloc_order) + l->initrd_pages;
	l->nr_p2m_frames = l->p2m_pages + l->p2m_l3 + l->p2m_l2 + l->p2m_l1;
	if (l->first_p2m_pfn + l->nr_p2m_frames > l->nr_pages)
		return -XEN_ENOMEM;
	return 0;
}

static int place_regions(const struct pv_elf_image *im, uint64_t initrd_len,
			 struct pv_dom0_layout *l)
{
	uint64_t next = l->vkern_end;

	if (!round_up(&next, PV_PAGE_SIZE))
		return -XEN_EINVAL;
	if (!im->unmapped_initrd && initrd_len) {
		l->vinitrd_start = next;
		l->vinitrd_end = next;
		if (!add(&l->vinitrd_end, initrd_len))
			return -XEN_EINVAL;
		next = l->vinitrd_end;
		if (!round_up(&next, PV_PAGE_SIZE))
			return -XEN_EINVAL;
	}
	l->vphysmap_start = next;
	l->vphysmap_end = next;
	if (!l->p2m_separate && !add(&l->vphysmap_end, l->nr_pages * P2M_ENTRY_SIZE))
		return -XEN_EINVAL;
	l->vstartinfo_start = l->vphysmap_end;
	if (!round_up(&l->vstartinfo_start, PV_PAGE_SIZE))
		return -XEN_EINVAL;
	l->vstartinfo_end = l->vstartinfo_start;
	if (!add(&l->vstartinfo_end, sizeof(struct start_info)))
		return -XEN_EINVAL;
	l->vpt_start = l->vstartinfo_end;
	if (!round_up(&l->vpt_start, PV_PAGE_SIZE))
		return -XEN_EINVAL;
	/* The VGA info follows start_info but does not move the page tables. */
	l->vstartinfo_end += sizeof(struct dom0_vga_console_info);
	return size_page_tables(l);
}

int pv_dom0_layout(const struct pv_elf_image *im, uint64_t nr_pages, uint64_t initrd_len,
		   struct pv_dom0_layout *out)
{
	struct pv_dom0_layout l = { 0 };
	uint64_t count;
	int rc;

	*out = l;
	if (!im || nr_pages == 0 || nr_pages > PV_DOM0_MAX_PAGES ||
	    initrd_len > (PV_DOM0_MAX_PAGES << PV_PAGE_SHIFT))
		return -XEN_EINVAL;
	rc = check_features(im);
	if (rc)
		return rc;
	if (im->virt_kstart > im->virt_kend || im->virt_base > im->virt_kstart)
		return -XEN_EINVAL;
	/* A kernel bigger than dom0 can never fit: stop before any arithmetic. */
	if ((im->virt_kend - im->virt_base) >> PV_PAGE_SHIFT >= nr_pages)
		return -XEN_ENOMEM;

	l.nr_pages = nr_pages;
	l.v_start = im->virt_base;
	l.vkern_start = im->virt_kstart;
	l.vkern_end = im->virt_kend;
	l.virt_entry = im->virt_entry;
	l.virt_hypercall = im->virt_hypercall;
	l.p2m_separate = im->p2m_base != PV_ELF_UNSET;
	/* Lamina: a VIRT_BASE that is not page-aligned cannot be mapped. */
	if (l.v_start & (PV_PAGE_SIZE - 1))
		return -XEN_EINVAL;

	rc = place_regions(im, initrd_len, &l);
	if (rc)
		return rc;
	if (!canonical_range(l.v_start, l.v_end) || overlaps_xen(l.v_start, l.v_end))
		return -XEN_EINVAL;
	if (l.virt_hypercall != PV_ELF_UNSET &&
	    (l.virt_hypercall < l.v_start || l.virt_hypercall >= l.v_end ||
	     (l.virt_hypercall & (PV_PAGE_SIZE - 1))))
		return -XEN_EINVAL;

	count = l.v_end - l.v_start;
	if (l.vinitrd_start)
		count -= (initrd_len + PV_PAGE_SIZE - 1) & ~(PV_PAGE_SIZE - 1);
	l.alloc_order = order_from_bytes(count);
	l.initrd_pages = (initrd_len + PV_PAGE_SIZE - 1) >> PV_PAGE_SHIFT;
	if (l.alloc_order >= 63 || ((uint64_t)1 << l.alloc_order) + l.initrd_pages > nr_pages)
		return -XEN_ENOMEM;
	if (l.vinitrd_start)
		l.initrd_pfn = (l.vinitrd_start - l.v_start) >> PV_PAGE_SHIFT;
	else
		l.initrd_pfn = (uint64_t)1 << l.alloc_order;

	if (l.p2m_separate) {
		rc = place_separate_p2m(im, &l);
		if (rc)
			return rc;
	}
	*out = l;
	return 0;
}
