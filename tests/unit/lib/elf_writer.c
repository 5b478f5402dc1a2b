// SPDX-License-Identifier: GPL-2.0-only
/*
 * A tiny ELF64 writer for the synthetic PV kernel images the ELF-note and
 * layout tests build (lib/elfnote.c): an ELF header, program headers and Xen
 * notes, little-endian, in one fixed buffer.
 */
#include <string.h>
#include <xen/elfnote.h>

#include "elf_writer.h"

void img_put(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Header plus room for @phnum program headers; data follows at 0x400. */
void img_init(struct img *im, unsigned int phnum)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->buf, "\177ELF", 4);
	im->buf[4] = 2; /* ELFCLASS64 */
	im->buf[5] = 1; /* LSB */
	im->buf[6] = 1;
	img_put(im->buf + 16, 2, 2);  /* ET_EXEC */
	img_put(im->buf + 18, 62, 2); /* EM_X86_64 */
	img_put(im->buf + 20, 1, 4);
	img_put(im->buf + 32, 64, 8); /* e_phoff */
	img_put(im->buf + 52, 64, 2);
	img_put(im->buf + 54, 56, 2);
	img_put(im->buf + 56, phnum, 2);
	im->phoff = 64;
	im->len = 0x400;
}

void img_phdr(struct img *im, uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
	      uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
	uint8_t *p = im->buf + im->phoff + 56 * im->phnum++;

	img_put(p, type, 4);
	img_put(p + 4, flags, 4);
	img_put(p + 8, off, 8);
	img_put(p + 16, vaddr, 8);
	img_put(p + 24, paddr, 8);
	img_put(p + 32, filesz, 8);
	img_put(p + 40, memsz, 8);
	img_put(p + 48, 0x1000, 8);
}

/* Append a note (name "Xen" unless @name) at im->len; returns its size. */
size_t img_note(struct img *im, const char *name, uint32_t type, const void *desc, uint32_t descsz)
{
	size_t start = im->len, namesz = strlen(name) + 1;
	uint8_t *p = im->buf + im->len;

	img_put(p, namesz, 4);
	img_put(p + 4, descsz, 4);
	img_put(p + 8, type, 4);
	memcpy(p + 12, name, namesz);
	im->len += 12 + ((namesz + 3) & ~3u);
	memcpy(im->buf + im->len, desc, descsz);
	im->len += (descsz + 3) & ~3u;
	return im->len - start;
}

size_t note_str(struct img *im, uint32_t type, const char *s)
{
	return img_note(im, "Xen", type, s, (uint32_t)strlen(s) + 1);
}

size_t note_u64(struct img *im, uint32_t type, uint64_t v)
{
	uint8_t d[8];

	img_put(d, v, 8);
	return img_note(im, "Xen", type, d, 8);
}

/*
 * A small valid PV kernel: one PT_NOTE (notes at 0x400) and one PT_LOAD of
 * 0x1000 file bytes at p_paddr 0x100000 (+ 0x2000 bss), entry at its start.
 * @extra adds more notes after the standard ones.
 */
void img_standard(struct img *im, void (*extra)(struct img *))
{
	size_t notes_off, notes_len;

	img_init(im, 2);
	notes_off = im->len;
	note_str(im, XEN_ELFNOTE_GUEST_OS, "linux");
	note_str(im, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_str(im, XEN_ELFNOTE_LOADER, "generic");
	note_u64(im, XEN_ELFNOTE_VIRT_BASE, VBASE);
	note_u64(im, XEN_ELFNOTE_PADDR_OFFSET, 0);
	note_u64(im, XEN_ELFNOTE_ENTRY, VBASE + 0x100000);
	if (extra)
		extra(im);
	notes_len = im->len - notes_off;
	im->len = (im->len + 0xfff) & ~(size_t)0xfff;
	img_phdr(im, 4, 4, notes_off, 0, 0, notes_len, notes_len);
	img_phdr(im, 1, 5, im->len, VBASE + 0x100000, 0x100000, 0x1000, 0x3000);
	for (size_t i = 0; i < 0x1000; i++)
		im->buf[im->len + i] = (uint8_t)(i * 7 + 1);
	im->len += 0x1000;
}
