/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dom0 kernel image: an ELF64 x86-64 file in memory, its PT_LOAD segments
 * and its Xen ELF notes (<xen/elfnote.h>), read with every offset and size
 * bounds-checked against the image length, then accepted or refused with the
 * rules Xen 4.17's libelf applies to a PV kernel (libelf-dominfo.c):
 *
 *   - notes come from PT_NOTE segments; only if those hold no "Xen" note are
 *     SHT_NOTE sections searched (the legacy "__xen_guest" string is refused);
 *   - LOADER must start with "generic" or GUEST_OS with "linux";
 *   - XEN_VERSION must start with "xen-3.0";
 *   - PADDR_OFFSET without VIRT_BASE is refused; no VIRT_BASE means 0, so the
 *     image is loaded as linked (by p_paddr);
 *   - segments are placed by p_paddr: VA = VIRT_BASE + p_paddr - PADDR_OFFSET;
 *   - ENTRY (default e_entry) must lie inside [virt_kstart, virt_kend];
 *   - INIT_P2M must lie outside the kernel; a "!feature" in FEATURES that Xen
 *     does not know is refused.
 * The rules that belong to the dom0 builder (dom0 feature bit, Xen's private
 * area, ...) are applied by asm/dom0_layout.h.
 *
 * Lamina is stricter than libelf where libelf would go on with nonsense:
 * numeric notes must be 1, 2, 4 or 8 bytes (L1_MFN_VALID: 16-byte pairs;
 * SUPPORTED_FEATURES: 4-byte words), a string note ends at the end of its
 * descriptor even without a NUL (libelf reads on past it), PT_LOAD
 * segments must not overlap (by p_paddr), at most PV_ELF_MAX_SEGS of them, and
 * BSD_SYMTAB "yes" (symbol table loading) is not supported.
 */
#ifndef LAMINA_ELFNOTE_H
#define LAMINA_ELFNOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/elfnote.h>
#include <xen/features.h>
#include <xen/xen.h>

#define PV_ELF_MAX_SEGS 16
#define PV_ELF_MAX_NOTES 1024 /* total notes walked, as libelf's limit */
#define PV_ELF_STR_MAX 64     /* longer note strings are truncated */
#define PV_ELF_FEATURES_MAX 256
#define PV_ELF_UNSET (~(uint64_t)0)

/* One PT_LOAD segment as the file describes it. */
struct pv_elf_seg {
	uint64_t offset; /* file offset of the first byte */
	uint64_t paddr;	 /* p_paddr: where it goes, relative to PADDR_OFFSET */
	uint64_t vaddr;	 /* p_vaddr: informational only (may be 0, e.g. percpu) */
	uint64_t filesz;
	uint64_t memsz; /* memsz - filesz bytes are zeroed on load */
	uint32_t flags; /* PF_X 1, PF_W 2, PF_R 4 */
};

/* The Xen notes found. present has bit N set when note type N was seen. */
struct pv_elf_notes {
	uint64_t present;
	uint64_t entry;
	uint64_t hypercall_page;
	uint64_t virt_base;
	uint64_t paddr_offset;
	uint64_t hv_start_low;
	uint64_t l1_mfn_valid_mask;
	uint64_t l1_mfn_valid_value;
	uint64_t suspend_cancel;
	uint64_t init_p2m;
	uint64_t mod_start_pfn;
	uint64_t phys32_entry;
	char loader[PV_ELF_STR_MAX];
	char guest_os[PV_ELF_STR_MAX];
	char guest_version[PV_ELF_STR_MAX];
	char xen_version[PV_ELF_STR_MAX];
	char pae_mode[PV_ELF_STR_MAX];
	char bsd_symtab[PV_ELF_STR_MAX];
	char features[PV_ELF_FEATURES_MAX];
	uint32_t f_supported[XENFEAT_NR_SUBMAPS]; /* FEATURES + SUPPORTED_FEATURES */
	uint32_t f_required[XENFEAT_NR_SUBMAPS];  /* "!name" in FEATURES */
};

/* A parsed and accepted image. All virt_* values are guest virtual addresses. */
struct pv_elf_image {
	uint64_t e_entry;
	unsigned int nr_segs;
	struct pv_elf_seg segs[PV_ELF_MAX_SEGS];
	uint64_t pstart; /* lowest p_paddr of a PT_LOAD */
	uint64_t pend;	 /* highest p_paddr + p_memsz */
	unsigned int nr_xen_notes;
	bool notes_from_sections; /* true when found in SHT_NOTE, not PT_NOTE */
	struct pv_elf_notes notes;

	/* Derived as Xen's elf_xen_addr_calc_check does. */
	uint64_t virt_base;
	uint64_t paddr_offset;
	uint64_t virt_kstart;
	uint64_t virt_kend;
	uint64_t virt_entry;
	uint64_t virt_hypercall; /* PV_ELF_UNSET when no HYPERCALL_PAGE note */
	uint64_t p2m_base;	 /* PV_ELF_UNSET when no INIT_P2M note */
	bool unmapped_initrd;	 /* MOD_START_PFN note non-zero */
};

/*
 * Parse the ELF64 image [img, img+len) and its Xen notes into @out and apply
 * the acceptance rules above. Returns 0, -XEN_EINVAL for a malformed or
 * refused image, -XEN_E2BIG for more segments or notes than Lamina handles.
 * @out is zeroed first and is meaningful only when 0 is returned.
 */
int pv_elf_parse(const void *img, size_t len, struct pv_elf_image *out);

/* True when note type @type (< 64) was present in the image. */
bool pv_elf_has_note(const struct pv_elf_image *im, unsigned int type);

/* True when XENFEAT_ bit @feat is in the image's supported (or required) set. */
bool pv_elf_feature_supported(const struct pv_elf_image *im, unsigned int feat);
bool pv_elf_feature_required(const struct pv_elf_image *im, unsigned int feat);

/*
 * Copy the PT_LOAD segments of the parsed image into @dest, which stands for
 * the guest virtual range [im->virt_kstart, im->virt_kstart + dest_len), and
 * zero each segment's tail (memsz - filesz) and the gaps between segments.
 * Returns 0, or -XEN_EINVAL if @dest is too small or img/len disagree with @im.
 */
int pv_elf_load(const void *img, size_t len, const struct pv_elf_image *im, void *dest,
		uint64_t dest_len);

#endif
