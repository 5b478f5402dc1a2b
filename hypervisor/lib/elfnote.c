// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF64 parsing for the dom0 builder: header, program headers, Xen notes, and
 * Xen's acceptance rules (see lamina/elfnote.h). The image is untrusted: every
 * field is read through rd*() at an offset already checked against the length,
 * and no pointer into the image is kept past a check.
 *
 *   ELF header (64 bytes)          e_phoff -> phdr[e_phnum] (56 bytes each)
 *   PT_NOTE / SHT_NOTE contents:   { namesz, descsz, type, name[namesz] pad4,
 *                                    desc[descsz] pad4 } ...
 */
#include <lamina/elfnote.h>

#include <xen/errno.h>

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define SHDR_SIZE 64
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_NOTE 7
#define PN_XNUM 0xffff

/* A bounded byte view of the image. */
struct view {
	const uint8_t *p;
	uint64_t len;
};

static uint64_t rd(const struct view *v, uint64_t off, unsigned int size)
{
	uint64_t val = 0;
	unsigned int i;

	for (i = size; i > 0; i--)
		val = (val << 8) | v->p[off + i - 1];
	return val;
}

/* True when [off, off + size) lies inside the view (overflow-safe). */
static bool in_view(const struct view *v, uint64_t off, uint64_t size)
{
	return size <= v->len && off <= v->len - size;
}

static uint64_t align4(uint64_t x)
{
	return (x + 3) & ~(uint64_t)3;
}

/* Copy at most @n bytes of @src, stopping at a NUL; @dst is NUL-padded. */
static void copy_str(char *dst, size_t dst_size, const uint8_t *src, uint64_t n)
{
	size_t i;

	for (i = 0; i + 1 < dst_size && i < n && src[i]; i++)
		dst[i] = (char)src[i];
	for (; i < dst_size; i++)
		dst[i] = '\0';
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool str_starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* The feature names Xen 4.17's libelf knows in the FEATURES string. */
static const char *const feature_names[] = {
	[XENFEAT_writable_page_tables] = "writable_page_tables",
	[XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
	[XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
	[XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
	[XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
	[XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
	[XENFEAT_dom0] = "dom0",
};

#define NR_FEATURE_NAMES (sizeof(feature_names) / sizeof(feature_names[0]))

/* Parse "name|!name|..." into the supported/required bitmaps. */
static int parse_features(struct pv_elf_notes *n)
{
	const char *s = n->features;
	char tok[64];

	while (*s) {
		size_t len = 0;
		bool required = false, too_long = false;
		const char *name = tok;
		unsigned int i;

		while (*s && *s != '|') {
			if (len + 1 < sizeof(tok))
				tok[len++] = *s;
			else
				too_long = true;
			s++;
		}
		tok[len] = '\0';
		if (*s == '|')
			s++;
		if (tok[0] == '!') {
			required = true;
			name++;
		}
		for (i = 0; i < NR_FEATURE_NAMES; i++)
			if (!too_long && feature_names[i] && str_eq(name, feature_names[i]))
				break;
		if (i == NR_FEATURE_NAMES) {
			if (required)
				return -XEN_EINVAL;
			continue;
		}
		n->f_supported[i / 32] |= 1u << (i % 32);
		if (required)
			n->f_required[i / 32] |= 1u << (i % 32);
	}
	return 0;
}

static int note_numeric(const struct view *v, uint64_t off, uint64_t size, uint64_t *val)
{
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -XEN_EINVAL;
	*val = rd(v, off, (unsigned int)size);
	return 0;
}

/*
 * A string note is its descriptor up to the first NUL. Linux's FEATURES note
 * has none inside its descsz (the padding supplies it); libelf would read on
 * past the descriptor, Lamina stops at its end.
 */
static void note_string(const struct view *v, uint64_t off, uint64_t size, char *dst,
			size_t dst_size)
{
	copy_str(dst, dst_size, v->p + off, size);
}

/* The numeric notes and where their value goes; string notes below. */
static uint64_t *numeric_slot(struct pv_elf_notes *n, unsigned int type)
{
	switch (type) {
	case XEN_ELFNOTE_ENTRY:
		return &n->entry;
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		return &n->hypercall_page;
	case XEN_ELFNOTE_VIRT_BASE:
		return &n->virt_base;
	case XEN_ELFNOTE_PADDR_OFFSET:
		return &n->paddr_offset;
	case XEN_ELFNOTE_HV_START_LOW:
		return &n->hv_start_low;
	case XEN_ELFNOTE_SUSPEND_CANCEL:
		return &n->suspend_cancel;
	case XEN_ELFNOTE_INIT_P2M:
		return &n->init_p2m;
	case XEN_ELFNOTE_MOD_START_PFN:
		return &n->mod_start_pfn;
	case XEN_ELFNOTE_PHYS32_ENTRY:
		return &n->phys32_entry;
	}
	return NULL;
}

static char *string_slot(struct pv_elf_notes *n, unsigned int type, size_t *size)
{
	*size = PV_ELF_STR_MAX;
	switch (type) {
	case XEN_ELFNOTE_XEN_VERSION:
		return n->xen_version;
	case XEN_ELFNOTE_GUEST_OS:
		return n->guest_os;
	case XEN_ELFNOTE_GUEST_VERSION:
		return n->guest_version;
	case XEN_ELFNOTE_LOADER:
		return n->loader;
	case XEN_ELFNOTE_PAE_MODE:
		return n->pae_mode;
	case XEN_ELFNOTE_BSD_SYMTAB:
		return n->bsd_symtab;
	case XEN_ELFNOTE_FEATURES:
		*size = PV_ELF_FEATURES_MAX;
		return n->features;
	}
	return NULL;
}

/* One "Xen" note of @type with its descriptor at [off, off + size). */
static int parse_xen_note(const struct view *v, struct pv_elf_notes *n, unsigned int type,
			  uint64_t off, uint64_t size)
{
	uint64_t *num = numeric_slot(n, type);
	size_t str_size;
	char *str = string_slot(n, type, &str_size);
	uint64_t i;
	int rc = 0;

	if (num) {
		rc = note_numeric(v, off, size, num);
	} else if (str) {
		note_string(v, off, size, str, str_size);
		if (type == XEN_ELFNOTE_FEATURES)
			rc = parse_features(n);
	} else if (type == XEN_ELFNOTE_L1_MFN_VALID) {
		if (size == 0 || size % 16)
			return -XEN_EINVAL;
		n->l1_mfn_valid_mask = rd(v, off, 8);
		n->l1_mfn_valid_value = rd(v, off + 8, 8);
	} else if (type == XEN_ELFNOTE_SUPPORTED_FEATURES) {
		if (size == 0 || size % 4)
			return -XEN_EINVAL;
		for (i = 0; i < XENFEAT_NR_SUBMAPS && i < size / 4; i++)
			n->f_supported[i] |= (uint32_t)rd(v, off + 4 * i, 4);
	} else {
		return 0; /* a type Xen does not know: ignored, as Xen */
	}
	if (!rc)
		n->present |= (uint64_t)1 << type;
	return rc;
}

/*
 * Walk the notes in [off, off + size) (already checked to be in the image).
 * Adds the number of "Xen" notes to *nr_xen and of all notes to *nr_total.
 */
static int parse_note_area(const struct view *v, struct pv_elf_notes *n, uint64_t off,
			   uint64_t size, unsigned int *nr_xen, unsigned int *nr_total)
{
	uint64_t end = off + size;

	while (end - off >= 12) {
		uint64_t namesz = rd(v, off, 4), descsz = rd(v, off + 4, 4);
		unsigned int type = (unsigned int)rd(v, off + 8, 4);
		uint64_t name = off + 12, desc, next;
		int rc;

		if (++*nr_total > PV_ELF_MAX_NOTES)
			return -XEN_E2BIG;
		if (namesz > end - name)
			return -XEN_EINVAL;
		desc = name + align4(namesz);
		if (desc > end) { /* the name's padding runs off the end */
			if (descsz)
				return -XEN_EINVAL;
			desc = end;
		}
		if (descsz > end - desc)
			return -XEN_EINVAL;
		if (namesz == 4 && v->p[name] == 'X' && v->p[name + 1] == 'e' &&
		    v->p[name + 2] == 'n' && v->p[name + 3] == '\0') {
			rc = parse_xen_note(v, n, type, desc, descsz);
			if (rc)
				return rc;
			++*nr_xen;
		}
		next = desc + align4(descsz);
		if (next >= end)
			break;
		off = next;
	}
	return 0;
}

static int parse_notes(const struct view *v, struct pv_elf_image *im)
{
	uint64_t phoff = rd(v, 32, 8), shoff = rd(v, 40, 8);
	unsigned int phnum = (unsigned int)rd(v, 56, 2), shnum = (unsigned int)rd(v, 60, 2);
	unsigned int i, nr_total = 0;
	int rc;

	for (i = 0; i < phnum; i++) {
		uint64_t ph = phoff + (uint64_t)i * PHDR_SIZE;
		uint64_t off = rd(v, ph + 8, 8), size = rd(v, ph + 32, 8);

		if (rd(v, ph, 4) != PT_NOTE || off == 0) /* libelf skips offset 0 */
			continue;
		if (!in_view(v, off, size))
			return -XEN_EINVAL;
		rc = parse_note_area(v, &im->notes, off, size, &im->nr_xen_notes, &nr_total);
		if (rc)
			return rc;
	}
	if (im->nr_xen_notes || shnum == 0)
		return 0;
	if (rd(v, 58, 2) != SHDR_SIZE || !in_view(v, shoff, (uint64_t)shnum * SHDR_SIZE))
		return -XEN_EINVAL;
	for (i = 1; i < shnum; i++) {
		uint64_t sh = shoff + (uint64_t)i * SHDR_SIZE;
		uint64_t off = rd(v, sh + 24, 8), size = rd(v, sh + 32, 8);

		if (rd(v, sh + 4, 4) != SHT_NOTE)
			continue;
		if (!in_view(v, off, size))
			return -XEN_EINVAL;
		rc = parse_note_area(v, &im->notes, off, size, &im->nr_xen_notes, &nr_total);
		if (rc)
			return rc;
	}
	im->notes_from_sections = im->nr_xen_notes != 0;
	return 0;
}

static bool segs_overlap(const struct pv_elf_seg *a, const struct pv_elf_seg *b)
{
	if (!a->memsz || !b->memsz)
		return false;
	return a->paddr < b->paddr + b->memsz && b->paddr < a->paddr + a->memsz;
}

static int parse_segments(const struct view *v, struct pv_elf_image *im)
{
	uint64_t phoff = rd(v, 32, 8);
	unsigned int phnum = (unsigned int)rd(v, 56, 2);
	unsigned int i, j;

	im->pstart = PV_ELF_UNSET;
	im->pend = 0;
	for (i = 0; i < phnum; i++) {
		uint64_t ph = phoff + (uint64_t)i * PHDR_SIZE;
		struct pv_elf_seg *s;

		if (rd(v, ph, 4) != PT_LOAD || !(rd(v, ph + 4, 4) & 7))
			continue; /* not loadable, as libelf's elf_phdr_is_loadable */
		if (im->nr_segs == PV_ELF_MAX_SEGS)
			return -XEN_E2BIG;
		s = &im->segs[im->nr_segs++];
		s->flags = (uint32_t)rd(v, ph + 4, 4);
		s->offset = rd(v, ph + 8, 8);
		s->vaddr = rd(v, ph + 16, 8);
		s->paddr = rd(v, ph + 24, 8);
		s->filesz = rd(v, ph + 32, 8);
		s->memsz = rd(v, ph + 40, 8);
		if (s->filesz > s->memsz || !in_view(v, s->offset, s->filesz) ||
		    s->paddr + s->memsz < s->paddr)
			return -XEN_EINVAL;
		for (j = 0; j + 1 < im->nr_segs; j++)
			if (segs_overlap(s, &im->segs[j]))
				return -XEN_EINVAL;
		if (s->paddr < im->pstart)
			im->pstart = s->paddr;
		if (s->paddr + s->memsz > im->pend)
			im->pend = s->paddr + s->memsz;
	}
	return im->nr_segs ? 0 : -XEN_EINVAL;
}

static int check_header(const struct view *v)
{
	uint64_t phoff, phnum;

	if (!in_view(v, 0, EHDR_SIZE))
		return -XEN_EINVAL;
	if (v->p[0] != 0x7f || v->p[1] != 'E' || v->p[2] != 'L' || v->p[3] != 'F' ||
	    v->p[4] != ELFCLASS64 || v->p[5] != ELFDATA2LSB || v->p[6] != EV_CURRENT)
		return -XEN_EINVAL;
	if (rd(v, 18, 2) != EM_X86_64 || rd(v, 54, 2) != PHDR_SIZE)
		return -XEN_EINVAL;
	phoff = rd(v, 32, 8);
	phnum = rd(v, 56, 2);
	if (phnum == 0 || phnum == PN_XNUM || !in_view(v, phoff, phnum * PHDR_SIZE))
		return -XEN_EINVAL;
	return 0;
}

/* Xen's elf_xen_note_check and elf_xen_addr_calc_check for a PV image. */
static int accept(struct pv_elf_image *im)
{
	const struct pv_elf_notes *n = &im->notes;
	uint64_t off;

	if (!im->nr_xen_notes)
		return -XEN_EINVAL; /* "Not a Xen-ELF image" */
	if (!str_starts(n->loader, "generic") && !str_starts(n->guest_os, "linux"))
		return -XEN_EINVAL;
	if (!str_starts(n->xen_version, "xen-3.0"))
		return -XEN_EINVAL;
	if (str_eq(n->bsd_symtab, "yes"))
		return -XEN_EINVAL;
	if (pv_elf_has_note(im, XEN_ELFNOTE_PADDR_OFFSET) &&
	    !pv_elf_has_note(im, XEN_ELFNOTE_VIRT_BASE))
		return -XEN_EINVAL;

	im->virt_base = pv_elf_has_note(im, XEN_ELFNOTE_VIRT_BASE) ? n->virt_base : 0;
	im->paddr_offset = pv_elf_has_note(im, XEN_ELFNOTE_PADDR_OFFSET) ? n->paddr_offset : 0;
	off = im->virt_base - im->paddr_offset;
	im->virt_kstart = im->pstart + off;
	im->virt_kend = im->pend + off;
	im->virt_entry = pv_elf_has_note(im, XEN_ELFNOTE_ENTRY) ? n->entry : im->e_entry;
	im->virt_hypercall =
		pv_elf_has_note(im, XEN_ELFNOTE_HYPERCALL_PAGE) ? n->hypercall_page : PV_ELF_UNSET;
	im->p2m_base = pv_elf_has_note(im, XEN_ELFNOTE_INIT_P2M) ? n->init_p2m : PV_ELF_UNSET;
	im->unmapped_initrd = n->mod_start_pfn != 0;

	/* Wrap-around of the kernel range shows up as kstart > kend. */
	if (im->virt_kend - im->virt_kstart != im->pend - im->pstart)
		return -XEN_EINVAL;
	if (im->virt_kstart > im->virt_kend || im->virt_entry < im->virt_kstart ||
	    im->virt_entry > im->virt_kend || im->virt_base > im->virt_kstart)
		return -XEN_EINVAL;
	if (im->p2m_base != PV_ELF_UNSET && im->p2m_base >= im->virt_kstart &&
	    im->p2m_base < im->virt_kend)
		return -XEN_EINVAL;
	return 0;
}

int pv_elf_parse(const void *img, size_t len, struct pv_elf_image *out)
{
	struct view v = { .p = img, .len = len };
	uint8_t *raw = (uint8_t *)out;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(*out); i++)
		raw[i] = 0;
	if (!img)
		return -XEN_EINVAL;
	rc = check_header(&v);
	if (rc)
		return rc;
	out->e_entry = rd(&v, 24, 8);
	rc = parse_segments(&v, out);
	if (rc)
		return rc;
	rc = parse_notes(&v, out);
	if (rc)
		return rc;
	return accept(out);
}

bool pv_elf_has_note(const struct pv_elf_image *im, unsigned int type)
{
	return type < 64 && (im->notes.present >> type) & 1;
}

bool pv_elf_feature_supported(const struct pv_elf_image *im, unsigned int feat)
{
	return feat < 32 * XENFEAT_NR_SUBMAPS &&
	       (im->notes.f_supported[feat / 32] >> (feat % 32)) & 1;
}

bool pv_elf_feature_required(const struct pv_elf_image *im, unsigned int feat)
{
	return feat < 32 * XENFEAT_NR_SUBMAPS &&
	       (im->notes.f_required[feat / 32] >> (feat % 32)) & 1;
}
