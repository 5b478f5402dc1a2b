// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suites for lib/elfnote and x86_64/lib/dom0_layout: the real Debian 6.1 kernel
 * (extracted from the bzImage's xz payload at setup, as scripts/extract-vmlinux
 * does) must give the notes and the layout real Xen 4.17 printed for it with
 * dom0_mem=1024M (docs in shared/design/reference/linux-pv-dom0.md 1.1-1.2);
 * synthetic images built here probe every malformed-input path.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xen/errno.h>

#include <asm/dom0_layout.h>
#include <lamina/elfnote.h>
#include "cunit_run.h"

#include "elf_writer.h"

static int parse(const struct img *im, struct pv_elf_image *out)
{
	return pv_elf_parse(im->buf, im->len, out);
}

static struct pv_elf_image pi; /* large: keep off the stack */

/* ---- the real Debian kernel ---- */

static uint8_t *vmlinux;
static size_t vmlinux_len;

static const char *build_dir(void)
{
	const char *b = getenv("BUILD");

	return b && *b ? b : "build";
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		p = malloc((size_t)n);
		if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
			free(p);
			p = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return p;
}

/*
 * Extract vmlinux from the bzImage: the payload (an xz stream) starts at
 * (setup_sects + 1) * 512 + payload_offset and is payload_length bytes long;
 * its last 4 bytes are the decompressed size. Cached in build/tests/.
 */
static int load_vmlinux(void)
{
	char path[512], cmd[2048], bz_path[512];
	uint8_t *bz;
	size_t bz_len, start, plen;
	uint32_t want;
	glob_t g;
	FILE *f;

	snprintf(path, sizeof(path), "%s/debian-kernel/root/boot/vmlinuz-*", build_dir());
	if (glob(path, 0, NULL, &g) != 0 || g.gl_pathc < 1) {
		fprintf(stderr, "hv_elfnote: no Debian kernel under %s (run make deps)\n", path);
		return -1;
	}
	snprintf(bz_path, sizeof(bz_path), "%s", g.gl_pathv[0]);
	globfree(&g);
	bz = read_file(bz_path, &bz_len);
	if (!bz || bz_len < 0x300)
		return -1;
	start = ((size_t)(bz[0x1f1] ? bz[0x1f1] : 4) + 1) * 512 +
		(bz[0x248] | bz[0x249] << 8 | bz[0x24a] << 16 | (size_t)bz[0x24b] << 24);
	plen = bz[0x24c] | bz[0x24d] << 8 | bz[0x24e] << 16 | (size_t)bz[0x24f] << 24;
	if (start + plen > bz_len || plen < 4) {
		free(bz);
		return -1;
	}
	want = bz[start + plen - 4] | bz[start + plen - 3] << 8 | bz[start + plen - 2] << 16 |
	       (uint32_t)bz[start + plen - 1] << 24;
	snprintf(path, sizeof(path), "%s/tests/hv_vmlinux", build_dir());
	vmlinux = read_file(path, &vmlinux_len);
	if (vmlinux && vmlinux_len == want) {
		free(bz);
		return 0;
	}
	free(vmlinux);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/tests && xz -dc --single-stream > %s.tmp && mv %s.tmp %s",
		 build_dir(), path, path, path);
	f = popen(cmd, "w");
	if (!f || fwrite(bz + start, 1, plen, f) != plen) {
		free(bz);
		if (f)
			pclose(f);
		return -1;
	}
	free(bz);
	if (pclose(f) != 0)
		return -1;
	vmlinux = read_file(path, &vmlinux_len);
	return vmlinux && vmlinux_len == want ? 0 : -1;
}

static void test_debian_notes(void)
{
	CU_ASSERT_FATAL(vmlinux != NULL);
	CU_ASSERT_EQUAL_FATAL(pv_elf_parse(vmlinux, vmlinux_len, &pi), 0);
	CU_ASSERT_FALSE(pi.notes_from_sections);
	CU_ASSERT_STRING_EQUAL(pi.notes.guest_os, "linux");
	CU_ASSERT_STRING_EQUAL(pi.notes.guest_version, "2.6");
	CU_ASSERT_STRING_EQUAL(pi.notes.xen_version, "xen-3.0");
	CU_ASSERT_STRING_EQUAL(pi.notes.loader, "generic");
	CU_ASSERT_STRING_EQUAL(pi.notes.pae_mode, "yes");
	CU_ASSERT_STRING_EQUAL(pi.notes.features, "!writable_page_tables|pae_pgdir_above_4gb");
	CU_ASSERT_EQUAL(pi.notes.virt_base, 0xffffffff80000000ull);
	CU_ASSERT_EQUAL(pi.notes.paddr_offset, 0);
	CU_ASSERT_EQUAL(pi.notes.entry, 0xffffffff830791c0ull);
	CU_ASSERT_EQUAL(pi.notes.init_p2m, 0x0000008000000000ull);
	CU_ASSERT_EQUAL(pi.notes.hv_start_low, 0xffff800000000000ull);
	CU_ASSERT_EQUAL(pi.notes.phys32_entry, 0x01000850);
	CU_ASSERT_EQUAL(pi.notes.mod_start_pfn, 1);
	CU_ASSERT_EQUAL(pi.notes.suspend_cancel, 1);
	CU_ASSERT_EQUAL(pi.notes.l1_mfn_valid_mask, 1);
	CU_ASSERT_EQUAL(pi.notes.l1_mfn_valid_value, 1);
	/* SUPPORTED_FEATURES 0x8801 | FEATURES' writable_page_tables, pae_pgdir */
	CU_ASSERT_EQUAL(pi.notes.f_supported[0], 0x8801u | 0x10u);
	CU_ASSERT_EQUAL(pi.notes.f_required[0], 1u << XENFEAT_writable_page_tables);
	CU_ASSERT_FALSE(pv_elf_has_note(&pi, XEN_ELFNOTE_HYPERCALL_PAGE));
	CU_ASSERT_TRUE(pv_elf_feature_supported(&pi, XENFEAT_dom0));
	CU_ASSERT_EQUAL(pi.virt_hypercall, PV_ELF_UNSET);
	CU_ASSERT_TRUE(pi.unmapped_initrd);
}

static void test_debian_segments(void)
{
	unsigned int i, percpu = 0;

	CU_ASSERT_EQUAL_FATAL(pv_elf_parse(vmlinux, vmlinux_len, &pi), 0);
	CU_ASSERT_EQUAL(pi.nr_segs, 4);
	CU_ASSERT_EQUAL(pi.pstart, 0x1000000);
	CU_ASSERT_EQUAL(pi.pend, 0x4a00000);
	CU_ASSERT_EQUAL(pi.virt_kstart, 0xffffffff81000000ull);
	CU_ASSERT_EQUAL(pi.virt_kend, 0xffffffff84a00000ull);
	CU_ASSERT_EQUAL(pi.virt_entry, 0xffffffff830791c0ull);
	for (i = 0; i < pi.nr_segs; i++)
		if (pi.segs[i].vaddr == 0 && pi.segs[i].paddr == 0x3044000)
			percpu++;
	CU_ASSERT_EQUAL(percpu, 1); /* .data..percpu: placed by p_paddr */
}

static void test_debian_layout(void)
{
	struct pv_dom0_layout l;

	CU_ASSERT_EQUAL_FATAL(pv_elf_parse(vmlinux, vmlinux_len, &pi), 0);
	/* dom0_mem=1024M, an initrd: Xen's "VIRTUAL MEMORY ARRANGEMENT". */
	CU_ASSERT_EQUAL_FATAL(pv_dom0_layout(&pi, 262144, 5 << 20, &l), 0);
	CU_ASSERT_EQUAL(l.vkern_start, 0xffffffff81000000ull);
	CU_ASSERT_EQUAL(l.vkern_end, 0xffffffff84a00000ull);
	CU_ASSERT_EQUAL(l.vinitrd_start, 0);
	CU_ASSERT_EQUAL(l.vinitrd_end, 0);
	CU_ASSERT_TRUE(l.p2m_separate);
	CU_ASSERT_EQUAL(l.vphysmap_start, 0x0000008000000000ull);
	CU_ASSERT_EQUAL(l.vphysmap_end, 0x0000008000200000ull);
	CU_ASSERT_EQUAL(l.vstartinfo_start, 0xffffffff84a00000ull);
	CU_ASSERT_EQUAL(l.vstartinfo_end, 0xffffffff84a004b8ull);
	CU_ASSERT_EQUAL(l.vpt_start, 0xffffffff84a01000ull);
	CU_ASSERT_EQUAL(l.vpt_end, 0xffffffff84a2a000ull);
	CU_ASSERT_EQUAL(l.nr_pt_frames, 41);
	CU_ASSERT_EQUAL(l.nr_l4, 1);
	CU_ASSERT_EQUAL(l.nr_l3, 1);
	CU_ASSERT_EQUAL(l.nr_l2, 1);
	CU_ASSERT_EQUAL(l.nr_l1, 38);
	CU_ASSERT_EQUAL(l.vstack_start, 0xffffffff84a2a000ull);
	CU_ASSERT_EQUAL(l.vstack_end, 0xffffffff84a2b000ull);
	CU_ASSERT_EQUAL(l.v_start, 0xffffffff80000000ull);
	CU_ASSERT_EQUAL(l.v_end, 0xffffffff84c00000ull);
	CU_ASSERT_EQUAL(l.virt_entry, 0xffffffff830791c0ull);
	CU_ASSERT_EQUAL(l.alloc_order, 15); /* 76 MiB -> a 128 MiB chunk */
	CU_ASSERT_EQUAL(l.initrd_pfn, 1u << 15);
	CU_ASSERT_EQUAL(l.initrd_pages, (5 << 20) >> 12);
	CU_ASSERT_EQUAL(l.p2m_pages, 512);
	CU_ASSERT_EQUAL(l.p2m_l3, 1); /* L4 slot 1 is new */
	CU_ASSERT_EQUAL(l.p2m_l2, 1);
	CU_ASSERT_EQUAL(l.p2m_l1, 1);
	CU_ASSERT_EQUAL(l.first_p2m_pfn, 32768 + 1280);
	CU_ASSERT_EQUAL(l.nr_p2m_frames, 515);
	/*
	 * The reference boot's initrd (0x1077a9 bytes): Xen printed "Dom0 alloc.:
	 * 128 MiB chunk (229112 pages to be allocated)".
	 */
	CU_ASSERT_EQUAL_FATAL(pv_dom0_layout(&pi, 262144, 0x1077a9, &l), 0);
	CU_ASSERT_EQUAL(262144 - (1u << l.alloc_order) - l.initrd_pages, 229112);
	CU_ASSERT_EQUAL(l.v_end, 0xffffffff84c00000ull); /* an unmapped initrd moves nothing */
}

static void test_debian_load(void)
{
	uint64_t span;
	uint8_t *dest;
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(pv_elf_parse(vmlinux, vmlinux_len, &pi), 0);
	span = pi.pend - pi.pstart;
	dest = malloc(span);
	CU_ASSERT_FATAL(dest != NULL);
	memset(dest, 0xa5, span);
	CU_ASSERT_EQUAL(pv_elf_load(vmlinux, vmlinux_len, &pi, dest, span - 1), -XEN_EINVAL);
	CU_ASSERT_EQUAL(pv_elf_load(vmlinux, vmlinux_len, &pi, dest, span), 0);
	for (i = 0; i < pi.nr_segs; i++) {
		const struct pv_elf_seg *s = &pi.segs[i];
		uint8_t *at = dest + (s->paddr - pi.pstart);

		CU_ASSERT_EQUAL(memcmp(at, vmlinux + s->offset, s->filesz), 0);
		if (s->memsz > s->filesz)
			CU_ASSERT_EQUAL(at[s->memsz - 1], 0);
	}
	free(dest);
}

/* ---- synthetic images: acceptance rules ---- */

static void test_synthetic_ok(void)
{
	struct img im;
	static uint8_t dest[0x3000];

	img_standard(&im, NULL);
	CU_ASSERT_EQUAL_FATAL(parse(&im, &pi), 0);
	CU_ASSERT_EQUAL(pi.nr_segs, 1);
	CU_ASSERT_EQUAL(pi.virt_kstart, VBASE + 0x100000);
	CU_ASSERT_EQUAL(pi.virt_kend, VBASE + 0x103000);
	CU_ASSERT_EQUAL(pi.nr_xen_notes, 6);
	memset(dest, 0xff, sizeof(dest));
	CU_ASSERT_EQUAL(pv_elf_load(im.buf, im.len, &pi, dest, sizeof(dest)), 0);
	CU_ASSERT_EQUAL(dest[0], 1);
	CU_ASSERT_EQUAL(dest[0xfff], (uint8_t)(0xfff * 7 + 1));
	CU_ASSERT_EQUAL(dest[0x1000], 0); /* bss zeroed */
	CU_ASSERT_EQUAL(dest[0x2fff], 0);
	/* img/len that disagree with the parse result are refused */
	CU_ASSERT_EQUAL(pv_elf_load(im.buf, 0x1000, &pi, dest, sizeof(dest)), -XEN_EINVAL);
	CU_ASSERT_EQUAL(pv_elf_load(NULL, im.len, &pi, dest, sizeof(dest)), -XEN_EINVAL);
}

static void no_virt_base(struct img *im)
{
	(void)im;
}

static void test_no_virt_base_loads_as_linked(void)
{
	struct img im;
	size_t notes_off, notes_len;

	img_init(&im, 2);
	notes_off = im.len;
	note_str(&im, XEN_ELFNOTE_GUEST_OS, "linux");
	note_str(&im, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	no_virt_base(&im);
	notes_len = im.len - notes_off;
	im.len = 0x1000;
	img_phdr(&im, 4, 4, notes_off, 0, 0, notes_len, notes_len);
	/* linked at 0x400000 (p_paddr == p_vaddr), entry from e_entry */
	img_phdr(&im, 1, 5, im.len, 0x400000, 0x400000, 0x100, 0x100);
	img_put(im.buf + 24, 0x400010, 8);
	im.len += 0x100;
	CU_ASSERT_EQUAL_FATAL(parse(&im, &pi), 0);
	CU_ASSERT_EQUAL(pi.virt_base, 0);
	CU_ASSERT_EQUAL(pi.virt_kstart, 0x400000);
	CU_ASSERT_EQUAL(pi.virt_kend, 0x400100);
	CU_ASSERT_EQUAL(pi.virt_entry, 0x400010);
}

static void add_loader_only(struct img *im)
{
	note_str(im, XEN_ELFNOTE_GUEST_OS, "plan9"); /* LOADER generic still OK */
}

static void add_bad_os(struct img *im)
{
	note_str(im, XEN_ELFNOTE_LOADER, "elf");
	note_str(im, XEN_ELFNOTE_GUEST_OS, "netbsd");
}

static void add_old_xen(struct img *im)
{
	note_str(im, XEN_ELFNOTE_XEN_VERSION, "xen-2.0");
}

static void add_entry_outside(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_ENTRY, VBASE + 0x200000);
}

static void add_p2m_inside(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_INIT_P2M, VBASE + 0x101000);
}

static void add_unknown_required(struct img *im)
{
	note_str(im, XEN_ELFNOTE_FEATURES, "writable_page_tables|!fly");
}

static void add_unknown_optional(struct img *im)
{
	note_str(im, XEN_ELFNOTE_FEATURES, "fly|!dom0|writable_descriptor_tables");
}

static void add_bsd_symtab(struct img *im)
{
	note_str(im, XEN_ELFNOTE_BSD_SYMTAB, "yes");
}

static void add_paddr_offset_too_big(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_PADDR_OFFSET, 0x200000); /* virt_base > kstart */
}

static void add_wrapping_base(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_VIRT_BASE, 0xfffffffffff00000ull);
	note_u64(im, XEN_ELFNOTE_ENTRY, 0xfffffffffff00000ull + 0x100000);
}

static void add_bad_numeric(struct img *im)
{
	img_note(im, "Xen", XEN_ELFNOTE_HV_START_LOW, "abc", 3);
}

static void add_unterminated_string(struct img *im)
{
	img_note(im, "Xen", XEN_ELFNOTE_GUEST_VERSION, "abcdXYZ", 4);
}

static void add_unknown_types(struct img *im)
{
	note_u64(im, 0x1000001, 5);	/* CRASH_INFO: ignored */
	note_u64(im, 63, 5);		/* unknown: ignored */
	img_note(im, "GNU", 3, "x", 1); /* not Xen */
	img_note(im, "Xe", XEN_ELFNOTE_LOADER, "bogus", 6);
}

static void add_bad_l1_mfn_valid(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_L1_MFN_VALID, 1); /* must be 16-byte pairs */
}

static void add_bad_supported(struct img *im)
{
	img_note(im, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, "abcdef", 6);
}

static int parse_with(void (*extra)(struct img *))
{
	static struct img im;

	img_standard(&im, extra);
	return parse(&im, &pi);
}

static void test_acceptance_rules(void)
{
	CU_ASSERT_EQUAL(parse_with(add_loader_only), 0);
	CU_ASSERT_EQUAL(parse_with(add_bad_os), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_old_xen), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_entry_outside), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_p2m_inside), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_unknown_required), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_unknown_optional), 0);
	CU_ASSERT_EQUAL(pi.notes.f_supported[0], (1u << XENFEAT_dom0) | 2u);
	CU_ASSERT_EQUAL(pi.notes.f_required[0], 1u << XENFEAT_dom0);
	CU_ASSERT_EQUAL(parse_with(add_bsd_symtab), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_paddr_offset_too_big), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_wrapping_base), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_bad_numeric), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_unterminated_string), 0);
	CU_ASSERT_STRING_EQUAL(pi.notes.guest_version, "abcd"); /* ends with its descriptor */
	CU_ASSERT_EQUAL(parse_with(add_unknown_types), 0);
	CU_ASSERT_STRING_EQUAL(pi.notes.loader, "generic");
	CU_ASSERT_EQUAL(pi.nr_xen_notes, 8);
	CU_ASSERT_EQUAL(parse_with(add_bad_l1_mfn_valid), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_with(add_bad_supported), -XEN_EINVAL);
}

static void test_paddr_offset_needs_virt_base(void)
{
	struct img im;
	size_t off, n;

	img_init(&im, 2);
	off = im.len;
	note_str(&im, XEN_ELFNOTE_GUEST_OS, "linux");
	note_str(&im, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_u64(&im, XEN_ELFNOTE_PADDR_OFFSET, 0);
	n = im.len - off;
	im.len = 0x1000;
	img_phdr(&im, 4, 4, off, 0, 0, n, n);
	img_phdr(&im, 1, 5, im.len, 0x400000, 0x400000, 0x10, 0x10);
	img_put(im.buf + 24, 0x400000, 8);
	im.len += 0x10;
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);
}

/* Notes only in a SHT_NOTE section (no PT_NOTE); a PT_NOTE at offset 0 is skipped. */
static void test_section_notes(void)
{
	struct img im;
	size_t off, n, sh;

	img_init(&im, 2);
	off = im.len;
	note_str(&im, XEN_ELFNOTE_GUEST_OS, "linux");
	note_str(&im, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	n = im.len - off;
	im.len = 0x1000;
	img_phdr(&im, 4, 4, 0, 0, 0, n, n); /* offset 0: libelf ignores it */
	img_phdr(&im, 1, 5, im.len, 0x400000, 0x400000, 0x10, 0x10);
	img_put(im.buf + 24, 0x400000, 8);
	im.len += 0x10;
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL); /* no notes found */
	sh = (im.len + 63) & ~(size_t)63;
	memset(im.buf + sh, 0, 3 * 64);
	img_put(im.buf + sh + 64 + 4, 7, 4); /* [1] SHT_NOTE */
	img_put(im.buf + sh + 64 + 24, off, 8);
	img_put(im.buf + sh + 64 + 32, n, 8);
	img_put(im.buf + sh + 128 + 4, 1, 4); /* [2] PROGBITS */
	img_put(im.buf + 40, sh, 8);
	img_put(im.buf + 58, 64, 2);
	img_put(im.buf + 60, 3, 2);
	im.len = sh + 3 * 64;
	CU_ASSERT_EQUAL_FATAL(parse(&im, &pi), 0);
	CU_ASSERT_TRUE(pi.notes_from_sections);
	CU_ASSERT_STRING_EQUAL(pi.notes.guest_os, "linux");
	/* a section table past the end, or with a bad entry size */
	CU_ASSERT_EQUAL(pv_elf_parse(im.buf, im.len - 1, &pi), -XEN_EINVAL);
	img_put(im.buf + 58, 40, 2);
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);
	img_put(im.buf + 58, 64, 2);
	img_put(im.buf + sh + 64 + 32, 0x100000, 8); /* note section past the end */
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);
}

/* ---- synthetic images: malformed input ---- */

static void test_truncated(void)
{
	struct img im;
	size_t cut;

	img_standard(&im, NULL);
	/* Every prefix shorter than the whole file is refused, and never read past. */
	for (cut = 0; cut < im.len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, im.buf, cut);
		CU_ASSERT_NOT_EQUAL(pv_elf_parse(copy, cut, &pi), 0);
		free(copy);
	}
	CU_ASSERT_EQUAL(pv_elf_parse(NULL, im.len, &pi), -XEN_EINVAL);
}

static void test_bad_headers(void)
{
	struct img im;
	const struct {
		size_t off;
		uint64_t val;
		int size;
	} cases[] = {
		{ 0, 0x7e, 1 },			  /* magic */
		{ 4, 1, 1 },			  /* ELFCLASS32 */
		{ 5, 2, 1 },			  /* big-endian */
		{ 6, 0, 1 },			  /* version */
		{ 18, 3, 2 },			  /* EM_386 */
		{ 54, 32, 2 },			  /* phentsize */
		{ 56, 0, 2 },			  /* no program headers */
		{ 56, 0xffff, 2 },		  /* PN_XNUM */
		{ 56, 300, 2 },			  /* phdrs past the end */
		{ 32, 0xfffffffffffffff0ull, 8 }, /* phoff wraps */
		{ 32, 0x100000, 8 },		  /* phoff past the end */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		img_standard(&im, NULL);
		img_put(im.buf + cases[i].off, cases[i].val, cases[i].size);
		CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);
	}
}

/* Patch field @field (byte offset in the phdr) of the PT_LOAD (phdr 1). */
static int parse_load_patched(size_t field, uint64_t val)
{
	static struct img im;

	img_standard(&im, NULL);
	img_put(im.buf + 64 + 56 + field, val, 8);
	return parse(&im, &pi);
}

static void test_bad_segments(void)
{
	static struct img im;
	size_t base;

	CU_ASSERT_EQUAL(parse_load_patched(32, 0x4000), -XEN_EINVAL);	   /* filesz > memsz */
	CU_ASSERT_EQUAL(parse_load_patched(8, 0x100000), -XEN_EINVAL);	   /* past the end */
	CU_ASSERT_EQUAL(parse_load_patched(8, ~0ull - 0x10), -XEN_EINVAL); /* wraps */
	CU_ASSERT_EQUAL(parse_load_patched(24, ~0ull - 0x1000), -XEN_EINVAL);
	CU_ASSERT_EQUAL(parse_load_patched(40, ~0ull), -XEN_EINVAL);
	/* no loadable segment: the PT_LOAD without R/W/X flags is not loadable */
	img_standard(&im, NULL);
	img_put(im.buf + 64 + 56 + 4, 0, 4);
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);

	/* overlapping segments (by p_paddr) */
	img_standard(&im, NULL);
	img_put(im.buf + 56, 3, 2);
	base = 64 + 2 * 56;
	memcpy(im.buf + base, im.buf + 64 + 56, 56);
	img_put(im.buf + base + 24, 0x102000, 8); /* inside the first's bss */
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);
	img_put(im.buf + base + 24, 0x103000, 8); /* adjacent: fine */
	img_put(im.buf + base + 16, 0, 8);
	CU_ASSERT_EQUAL(parse(&im, &pi), 0);
	CU_ASSERT_EQUAL(pi.nr_segs, 2);
	CU_ASSERT_EQUAL(pi.pend, 0x106000);

	/* more PT_LOADs than Lamina takes */
	img_standard(&im, NULL);
	img_put(im.buf + 56, 2 + PV_ELF_MAX_SEGS, 2);
	for (unsigned int i = 0; i < PV_ELF_MAX_SEGS; i++) {
		base = 64 + (2 + i) * 56;
		memcpy(im.buf + base, im.buf + 64 + 56, 56);
		img_put(im.buf + base + 24, 0x200000 + 0x10000 * i, 8);
	}
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_E2BIG);
}

/* Patch the PT_NOTE header (phdr 0) or a note header in the note area. */
static void test_bad_notes(void)
{
	static struct img im;

	img_standard(&im, NULL);
	img_put(im.buf + 64 + 32, 0x100000, 8); /* note segment past the end */
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);

	img_standard(&im, NULL);
	img_put(im.buf + 0x400, 0xffffffff, 4); /* namesz runs past the area */
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);

	img_standard(&im, NULL);
	img_put(im.buf + 0x404, 0xfffffff0, 4); /* descsz runs past the area */
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);

	img_standard(&im, NULL);
	img_put(im.buf + 64 + 32, 13, 8); /* area ends inside the first note */
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);

	img_standard(&im, NULL);
	img_put(im.buf + 64 + 32, 11, 8); /* too short for a note header: no notes */
	CU_ASSERT_EQUAL(parse(&im, &pi), -XEN_EINVAL);
}

static void many_notes(struct img *im)
{
	/* 1100 empty non-Xen notes of 16 bytes each */
	for (int i = 0; i < 1100; i++)
		img_note(im, "Z", 1, "", 0);
}

static void test_too_many_notes(void)
{
	CU_ASSERT_EQUAL(parse_with(many_notes), -XEN_E2BIG);
}

/*
 * Mutation: flip 1-4 random bytes of a valid image's headers and notes,
 * many times over (fixed seed: reproducible). Whatever the parser says, it
 * must not read out of bounds (ASan), and what it accepts must be coherent.
 */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void add_more_notes(struct img *im)
{
	uint8_t d[4];

	note_str(im, XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
	img_put(d, 0x801, 4);
	img_note(im, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, d, 4);
	note_u64(im, XEN_ELFNOTE_INIT_P2M, 0x8000000000ull);
	note_u64(im, XEN_ELFNOTE_MOD_START_PFN, 1);
}

static void test_mutations(void)
{
	static struct img base, im;
	unsigned int accepted = 0, refused = 0;

	img_standard(&base, add_more_notes);
	for (int iter = 0; iter < 20000; iter++) {
		struct pv_dom0_layout l;
		int n = 1 + (int)(rng() % 4), rc;

		im = base;
		for (int k = 0; k < n; k++) {
			size_t at = rng() % 0x600; /* ELF header, phdrs, notes */

			im.buf[at] = (uint8_t)rng();
		}
		rc = parse(&im, &pi);
		CU_ASSERT_TRUE(rc == 0 || rc == -XEN_EINVAL || rc == -XEN_E2BIG);
		if (rc) {
			refused++;
			continue;
		}
		accepted++;
		CU_ASSERT_TRUE(pi.nr_segs >= 1 && pi.nr_segs <= PV_ELF_MAX_SEGS);
		CU_ASSERT_TRUE(pi.virt_kstart <= pi.virt_entry && pi.virt_entry <= pi.virt_kend);
		for (unsigned int i = 0; i < pi.nr_segs; i++)
			CU_ASSERT_TRUE(pi.segs[i].offset + pi.segs[i].filesz <= im.len);
		rc = pv_dom0_layout(&pi, 65536, 4096, &l);
		CU_ASSERT_TRUE(rc == 0 || rc == -XEN_EINVAL || rc == -XEN_ENOMEM);
		if (!rc) {
			CU_ASSERT_TRUE(l.v_start <= l.vkern_start &&
				       l.vkern_end <= l.vstartinfo_start);
			CU_ASSERT_TRUE(l.vpt_end <= l.vstack_start && l.vstack_end <= l.v_end);
			CU_ASSERT_EQUAL(l.v_end % (4 << 20), 0);
		}
	}
	/* both outcomes happen: the mutations reach past the first check */
	CU_ASSERT_TRUE(accepted > 100);
	CU_ASSERT_TRUE(refused > 100);
}

/* ---- dom0 layout rules ---- */

static void add_no_dom0(struct img *im)
{
	uint8_t d[4];

	img_put(d, 1, 4);
	img_note(im, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, d, 4);
}

static void add_dom0(struct img *im)
{
	uint8_t d[4];

	img_put(d, 1u << XENFEAT_dom0, 4);
	img_note(im, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, d, 4);
}

static void add_smk(struct img *im)
{
	note_str(im, XEN_ELFNOTE_FEATURES, "!supervisor_mode_kernel");
}

static void add_xen_area(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_VIRT_BASE, 0xffff800000000000ull);
	note_u64(im, XEN_ELFNOTE_ENTRY, 0xffff800000100000ull);
}

static void add_noncanonical(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_VIRT_BASE, 0x00007fffffe00000ull);
	note_u64(im, XEN_ELFNOTE_ENTRY, 0x00007fffffe00000ull + 0x100000);
}

static void add_top_of_space(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_VIRT_BASE, 0xffffffffffc00000ull - 0x100000);
	note_u64(im, XEN_ELFNOTE_ENTRY, 0xffffffffffc00000ull);
}

static void add_hcall_outside(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_HYPERCALL_PAGE, VBASE + 0x40000000);
}

static void add_hcall_inside(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_HYPERCALL_PAGE, VBASE + 0x101000);
}

static void add_p2m_overlap(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_INIT_P2M, VBASE + 0x200000);
}

static void add_p2m_unaligned(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_INIT_P2M, 0x8000000010ull);
}

static int layout_with(void (*extra)(struct img *), uint64_t pages, uint64_t initrd,
		       struct pv_dom0_layout *l)
{
	int rc = parse_with(extra);

	return rc ? 1000 + rc : pv_dom0_layout(&pi, pages, initrd, l);
}

static void test_layout_rules(void)
{
	struct pv_dom0_layout l;

	CU_ASSERT_EQUAL(layout_with(add_no_dom0, 65536, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(add_dom0, 65536, 0, &l), 0);
	CU_ASSERT_EQUAL(layout_with(add_smk, 65536, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(add_xen_area, 65536, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(add_noncanonical, 65536, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(add_top_of_space, 65536, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(add_hcall_outside, 65536, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(add_hcall_inside, 65536, 0, &l), 0);
	CU_ASSERT_EQUAL(l.virt_hypercall, VBASE + 0x101000);
	CU_ASSERT_EQUAL(layout_with(add_p2m_overlap, 65536, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(add_p2m_unaligned, 65536, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(NULL, 0, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(NULL, ~0ull, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL(layout_with(NULL, 65536, ~0ull, &l), -XEN_EINVAL);
	/* 4 MiB mapped needs a 1024-page chunk: 1024 pages is not enough with an initrd */
	CU_ASSERT_EQUAL(layout_with(NULL, 1024, 0, &l), 0);
	CU_ASSERT_EQUAL(l.alloc_order, 10);
	CU_ASSERT_EQUAL(layout_with(NULL, 1024, 4096, &l), -XEN_ENOMEM);
	CU_ASSERT_EQUAL(layout_with(NULL, 300, 0, &l), -XEN_ENOMEM);
	CU_ASSERT_EQUAL(pv_dom0_layout(NULL, 65536, 0, &l), -XEN_EINVAL);
}

static void add_p2m_same_slot(struct img *im)
{
	/* below the kernel, in the same L4 slot (511) and 1 GiB as nothing else */
	note_u64(im, XEN_ELFNOTE_INIT_P2M, 0xffffff8000000000ull);
}

static void add_p2m_touching(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_INIT_P2M, VBASE - 65536 * 8); /* ends at v_start */
}

static void add_p2m_low(struct img *im)
{
	note_u64(im, XEN_ELFNOTE_INIT_P2M, 0x8000000000ull);
}

/* INIT_P2M: the frames counted only where the bootstrap tables lack them. */
static void test_layout_separate_p2m(void)
{
	struct pv_dom0_layout l;

	CU_ASSERT_EQUAL_FATAL(layout_with(add_p2m_same_slot, 65536, 0, &l), 0);
	CU_ASSERT_TRUE(l.p2m_separate);
	CU_ASSERT_EQUAL(l.p2m_pages, 128);
	CU_ASSERT_EQUAL(l.p2m_l3, 0); /* slot 511: the bootstrap L3 */
	CU_ASSERT_EQUAL(l.p2m_l2, 1);
	CU_ASSERT_EQUAL(l.p2m_l1, 1);
	CU_ASSERT_EQUAL(l.first_p2m_pfn, 1024);
	CU_ASSERT_EQUAL(l.nr_p2m_frames, 130);
	CU_ASSERT_EQUAL(layout_with(add_p2m_touching, 65536, 0, &l), -XEN_EINVAL);
	CU_ASSERT_EQUAL_FATAL(layout_with(add_p2m_low, 65536, 4096, &l), 0);
	CU_ASSERT_EQUAL(l.first_p2m_pfn, 1024 + 1);
	CU_ASSERT_EQUAL(l.nr_p2m_frames, 128 + 3);
	/* room for the chunk and the initrd, not for the p2m's frames */
	CU_ASSERT_EQUAL(layout_with(add_p2m_low, 1024, 0, &l), -XEN_ENOMEM);
	CU_ASSERT_EQUAL(layout_with(add_p2m_low, 1029, 0, &l), -XEN_ENOMEM);
	CU_ASSERT_EQUAL_FATAL(layout_with(add_p2m_low, 1030, 0, &l), 0);
	CU_ASSERT_EQUAL(l.nr_p2m_frames, 3 + 3);
}

/* A mapped initrd and an in-line p2m (no MOD_START_PFN, no INIT_P2M). */
static void test_layout_inline(void)
{
	struct pv_dom0_layout l;
	uint64_t kend = VBASE + 0x103000;

	CU_ASSERT_EQUAL_FATAL(layout_with(NULL, 65536, 10000, &l), 0);
	CU_ASSERT_FALSE(l.p2m_separate);
	CU_ASSERT_EQUAL(l.nr_p2m_frames, 0);
	CU_ASSERT_EQUAL(l.vinitrd_start, kend);
	CU_ASSERT_EQUAL(l.vinitrd_end, kend + 10000);
	CU_ASSERT_EQUAL(l.vphysmap_start, kend + 0x3000);
	CU_ASSERT_EQUAL(l.vphysmap_end, kend + 0x3000 + 65536 * 8);
	CU_ASSERT_EQUAL(l.vstartinfo_start, l.vphysmap_end);
	CU_ASSERT_EQUAL(l.vpt_start, l.vstartinfo_start + 0x1000);
	CU_ASSERT_EQUAL(l.initrd_pfn, (kend - VBASE) >> 12);
	CU_ASSERT_EQUAL(l.initrd_pages, 3);
	CU_ASSERT_EQUAL(l.vpt_start, VBASE + 0x187000);
	CU_ASSERT_EQUAL(l.v_end, VBASE + 0x400000);
	CU_ASSERT_EQUAL(l.nr_pt_frames, 5); /* L4, L3, L2, L1 x 2 */
	CU_ASSERT_EQUAL(l.nr_l1, 2);
	CU_ASSERT_EQUAL(l.vstack_start, l.vpt_start + 5 * 4096);
	CU_ASSERT_EQUAL(l.v_end % (4 << 20), 0);
	CU_ASSERT_TRUE(l.v_end - l.vstack_end >= 512 << 10);
}

/* Xen's own search (n = 2, 3, ...), to check the faster one against. */
static uint64_t xen_nr_pt(uint64_t v_start, uint64_t vpt_start)
{
	for (uint64_t n = 2;; n++) {
		uint64_t vstack_end = vpt_start + n * 4096 + 4096;
		uint64_t v_end = (vstack_end + (1ull << 22) - 1) & ~((1ull << 22) - 1);

		if (v_end - vstack_end < (512 << 10))
			v_end += 1ull << 22;
		if (1 + pv_dom0_nr_blocks(v_start, v_end, 39) +
			    pv_dom0_nr_blocks(v_start, v_end, 30) +
			    pv_dom0_nr_blocks(v_start, v_end, 21) <=
		    n)
			return n;
	}
}

static void test_pt_search_matches_xen(void)
{
	static struct img im;
	struct pv_dom0_layout l;
	uint64_t sizes[] = { 0x1000,	 0x1ff000,   0x3ff000,	 0x400000,   0x1000000,
			     0x3fe00000, 0x3ffff000, 0x40000000, 0x5ffff000, 0x60000000 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		img_standard(&im, NULL);
		img_put(im.buf + 64 + 56 + 40, sizes[i], 8); /* memsz of the PT_LOAD */
		CU_ASSERT_EQUAL_FATAL(parse(&im, &pi), 0);
		CU_ASSERT_EQUAL_FATAL(pv_dom0_layout(&pi, 1ull << 20, 0, &l), 0);
		CU_ASSERT_EQUAL(l.nr_pt_frames, xen_nr_pt(l.v_start, l.vpt_start));
		CU_ASSERT_TRUE(l.nr_l4 + l.nr_l3 + l.nr_l2 + l.nr_l1 <= l.nr_pt_frames);
	}
	/* a kernel far larger than dom0 fails fast with -ENOMEM */
	img_standard(&im, NULL);
	img_put(im.buf + 64 + 56 + 40, 0x7fe00000, 8);
	CU_ASSERT_EQUAL_FATAL(parse(&im, &pi), 0);
	CU_ASSERT_EQUAL(pv_dom0_layout(&pi, 262144, 0, &l), -XEN_ENOMEM);
}

static const CU_TestInfo debian_tests[] = {
	{ "notes of Debian 6.1 vmlinux", test_debian_notes },
	{ "segments placed by p_paddr", test_debian_segments },
	{ "layout with dom0_mem=1024M", test_debian_layout },
	{ "load copies and zeroes", test_debian_load },
	CU_TEST_INFO_NULL,
};

static const CU_TestInfo synthetic_tests[] = {
	{ "valid image loads", test_synthetic_ok },
	{ "no VIRT_BASE: loaded as linked", test_no_virt_base_loads_as_linked },
	{ "acceptance rules", test_acceptance_rules },
	{ "PADDR_OFFSET needs VIRT_BASE", test_paddr_offset_needs_virt_base },
	{ "SHT_NOTE section form", test_section_notes },
	{ "every truncation refused", test_truncated },
	{ "bad ELF headers", test_bad_headers },
	{ "bad segments", test_bad_segments },
	{ "bad notes", test_bad_notes },
	{ "too many notes", test_too_many_notes },
	{ "20000 mutated images", test_mutations },
	CU_TEST_INFO_NULL,
};

static const CU_TestInfo layout_tests[] = {
	{ "builder rules", test_layout_rules },
	{ "mapped initrd, inline p2m", test_layout_inline },
	{ "separate p2m frames", test_layout_separate_p2m },
	{ "page-table search equals Xen's", test_pt_search_matches_xen },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "elfnote: Debian kernel", debian_tests },
		{ "elfnote: synthetic images", synthetic_tests },
		{ "dom0_layout", layout_tests },
		{ NULL, NULL },
	};

	if (load_vmlinux() != 0)
		fprintf(stderr, "hv_elfnote: could not extract vmlinux; Debian tests will fail\n");
	return cunit_run(suites);
}
