/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The start-of-day virtual layout of a 64-bit PV dom0, as <xen/xen.h>'s
 * "Start-of-day memory layout" comment and Xen 4.17's dom0_construct_pv
 * (xen/arch/x86/pv/dom0_build.c) lay it out. Pure arithmetic: given an
 * accepted kernel image (lamina/elfnote.h), dom0's page count and the initrd's
 * length, say where everything goes. Nothing is allocated or mapped here.
 *
 *   v_start = VIRT_BASE                                  (PFN 0)
 *   [vkern_start, vkern_end)     kernel, placed by p_paddr
 *   [vinitrd_start, vinitrd_end) initrd, unless MOD_START_PFN (then 0, 0)
 *   [vphysmap_start, _end)       p2m list, nr_pages * 8 bytes, unless INIT_P2M
 *                                (then it lives at the INIT_P2M address, and
 *                                its pages and tables come after the first
 *                                allocation chunk)
 *   [vstartinfo_start, _end)     start_info + dom0_vga_console_info
 *   [vpt_start, vpt_end)         bootstrap page tables: 1 L4, then L3/L2/L1
 *                                frames enough to map [v_start, v_end)
 *   [vstack_start, vstack_end)   one page of boot stack
 *   v_end                        rounded up to 4 MiB, with >= 512 KiB slack
 *
 * The builder's own checks also live here: the dom0 feature bit when the
 * image has SUPPORTED_FEATURES, no required supervisor_mode_kernel, no overlap
 * with Xen's private range (L4 slots 256-271), the hypercall page inside the
 * mapping, and enough pages for the first allocation chunk plus the initrd.
 * Lamina adds: every range canonical and free of arithmetic wrap-around, and
 * the INIT_P2M range page-aligned and clear of Xen's range (Xen also refuses
 * one that meets [v_start, v_end]).
 */
#ifndef LAMINA_ASM_DOM0_LAYOUT_H
#define LAMINA_ASM_DOM0_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include <lamina/elfnote.h>

#define PV_PAGE_SHIFT 12
#define PV_PAGE_SIZE ((uint64_t)1 << PV_PAGE_SHIFT)
#define PV_XEN_VIRT_START 0xffff800000000000ull /* HYPERVISOR_VIRT_START */
#define PV_XEN_VIRT_END 0xffff880000000000ull	/* HYPERVISOR_VIRT_END */
#define PV_DOM0_MAX_PAGES ((uint64_t)1 << 40)	/* 4 PiB: refuse beyond */

struct pv_dom0_layout {
	uint64_t v_start, v_end;
	uint64_t vkern_start, vkern_end;
	uint64_t vinitrd_start, vinitrd_end; /* both 0 when not mapped */
	uint64_t vphysmap_start, vphysmap_end;
	uint64_t vstartinfo_start, vstartinfo_end;
	uint64_t vpt_start, vpt_end;
	uint64_t vstack_start, vstack_end;
	uint64_t virt_entry;
	uint64_t virt_hypercall; /* PV_ELF_UNSET without a hypercall page */

	/* Bootstrap page tables: nr_pt_frames >= nr_l4 + nr_l3 + nr_l2 + nr_l1. */
	uint64_t nr_pt_frames;
	uint64_t nr_l4, nr_l3, nr_l2, nr_l1;

	/* Memory: the first chunk is 2^alloc_order pages holding [v_start, v_end). */
	uint64_t nr_pages;
	unsigned int alloc_order;
	uint64_t initrd_pfn; /* first PFN of the initrd (mod_start when unmapped) */
	uint64_t initrd_pages;

	/*
	 * INIT_P2M only (p2m_separate): the p2m pages and the page-table frames
	 * that map them at vphysmap_start and are not already part of the
	 * bootstrap tables (L3 per new L4 slot, L2 per new 1 GiB, L1 per new
	 * 2 MiB; the L4 is the bootstrap one). Lamina maps the separate p2m with
	 * 4 KiB pages only (Xen uses 2 MiB/1 GiB pages where it can, so its
	 * nr_p2m_frames is smaller). These frames take the PFNs from
	 * first_p2m_pfn on (start_info's first_p2m_pfn and nr_p2m_frames).
	 */
	bool p2m_separate;
	uint64_t p2m_pages;
	uint64_t p2m_l3, p2m_l2, p2m_l1;
	uint64_t first_p2m_pfn;
	uint64_t nr_p2m_frames;
};

/*
 * Compute dom0's layout for @im with @nr_pages pages and an initrd of
 * @initrd_len bytes (0: none). Returns 0 with @out filled, -XEN_EINVAL when
 * the image or the numbers break a rule above, -XEN_ENOMEM when @nr_pages
 * cannot hold the first allocation chunk plus the initrd (plus the separate
 * p2m's frames).
 */
int pv_dom0_layout(const struct pv_elf_image *im, uint64_t nr_pages, uint64_t initrd_len,
		   struct pv_dom0_layout *out);

/* Number of 2^@shift-aligned blocks touched by [lo, hi) (hi > lo). */
uint64_t pv_dom0_nr_blocks(uint64_t lo, uint64_t hi, unsigned int shift);

#endif
