// SPDX-License-Identifier: GPL-2.0-only
/*
 * elf_gen DIR: write small dom0 kernel images, one valid and several that
 * break one of libelf's acceptance rules each, for elf_vs_xen.sh to boot
 * on real Xen and to give to lib/elfnote. The kernel never runs: the script
 * stops QEMU once Xen has accepted or refused it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct img {
	unsigned char buf[8192];
	size_t len, notes_off;
};

static void put(unsigned char *p, unsigned long long v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void note(struct img *im, unsigned int type, const void *desc, unsigned int size)
{
	unsigned char *p = im->buf + im->len;

	put(p, 4, 4);
	put(p + 4, size, 4);
	put(p + 8, type, 4);
	memcpy(p + 12, "Xen", 4);
	memcpy(p + 16, desc, size);
	im->len += 16 + ((size + 3) & ~3u);
}

static void note_str(struct img *im, unsigned int type, const char *s)
{
	note(im, type, s, (unsigned int)strlen(s) + 1);
}

static void note_u64(struct img *im, unsigned int type, unsigned long long v)
{
	unsigned char d[8];

	put(d, v, 8);
	note(im, type, d, 8);
}

/*
 * An ELF64 with one PT_NOTE and one PT_LOAD (0x1000 bytes at p_paddr
 * 0x200000, p_vaddr @vaddr), entry @entry; @notes adds the Xen notes.
 */
static void build(struct img *im, unsigned long long vaddr, unsigned long long entry,
		  void (*notes)(struct img *))
{
	size_t nlen, load;
	unsigned char *ph;

	memset(im, 0, sizeof(*im));
	memcpy(im->buf, "\177ELF", 4);
	im->buf[4] = 2;
	im->buf[5] = 1;
	im->buf[6] = 1;
	put(im->buf + 16, 2, 2);
	put(im->buf + 18, 62, 2);
	put(im->buf + 20, 1, 4);
	put(im->buf + 24, entry, 8);
	put(im->buf + 32, 64, 8);
	put(im->buf + 52, 64, 2);
	put(im->buf + 54, 56, 2);
	put(im->buf + 56, 2, 2);
	im->len = 0x200;
	im->notes_off = im->len;
	notes(im);
	nlen = im->len - im->notes_off;
	load = 0x1000;
	ph = im->buf + 64;
	put(ph, 4, 4); /* PT_NOTE */
	put(ph + 4, 4, 4);
	put(ph + 8, im->notes_off, 8);
	put(ph + 32, nlen, 8);
	put(ph + 40, nlen, 8);
	ph += 56;
	put(ph, 1, 4); /* PT_LOAD */
	put(ph + 4, 5, 4);
	put(ph + 8, load, 8);
	put(ph + 16, vaddr, 8);
	put(ph + 24, 0x200000, 8);
	put(ph + 32, 0x1000, 8);
	put(ph + 40, 0x1000, 8);
	put(ph + 48, 0x1000, 8);
	memset(im->buf + load, 0xf4, 0x1000); /* hlt: it never runs anyway */
	im->len = load + 0x1000;
}

static void base_notes(struct img *im)
{
	note_str(im, 6, "linux");   /* GUEST_OS */
	note_str(im, 5, "xen-3.0"); /* XEN_VERSION */
	note_str(im, 8, "generic"); /* LOADER */
}

static void ok_virt_base(struct img *im)
{
	base_notes(im);
	note_u64(im, 3, 0xffffffff80000000ull); /* VIRT_BASE */
	note_u64(im, 4, 0);			/* PADDR_OFFSET */
	note_u64(im, 1, 0xffffffff80200010ull); /* ENTRY */
}

static void bad_feature(struct img *im)
{
	base_notes(im);
	note_str(im, 10, "writable_page_tables|!fly"); /* FEATURES */
}

static void no_dom0(struct img *im)
{
	unsigned char d[4];

	base_notes(im);
	put(d, 1, 4); /* SUPPORTED_FEATURES without XENFEAT_dom0 */
	note(im, 17, d, 4);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		unsigned long long vaddr, entry;
		void (*notes)(struct img *);
	} cases[] = {
		{ "ok-virt-base", 0xffffffff80200000ull, 0, ok_virt_base },
		{ "bad-feature", 0x200000, 0x200010, bad_feature },
		{ "no-dom0", 0x200000, 0x200010, no_dom0 },
	};
	static struct img im;
	char path[512];

	if (argc != 2)
		return 2;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *f;

		build(&im, cases[i].vaddr, cases[i].entry, cases[i].notes);
		snprintf(path, sizeof(path), "%s/%s.elf", argv[1], cases[i].name);
		f = fopen(path, "wb");
		if (!f || fwrite(im.buf, 1, im.len, f) != im.len)
			return 1;
		fclose(f);
		printf("%s\n", cases[i].name);
	}
	return 0;
}
