/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny ELF64 writer for synthetic PV kernel images (tests only).
 */
#ifndef LAMINA_TESTS_HV_ELF_WRITER_H
#define LAMINA_TESTS_HV_ELF_WRITER_H

#include <stddef.h>
#include <stdint.h>

/* The VIRT_BASE every standard image uses. */
#define VBASE 0xffffffff80000000ull

struct img {
	uint8_t buf[32768];
	size_t len;
	unsigned int phnum;
	size_t phoff;
};

/* Store @v little-endian in @n bytes at @p. */
void img_put(uint8_t *p, uint64_t v, int n);
/* Header plus room for @phnum program headers; data follows at 0x400. */
void img_init(struct img *im, unsigned int phnum);
/* Append a program header. */
void img_phdr(struct img *im, uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
	      uint64_t paddr, uint64_t filesz, uint64_t memsz);
/* Append a note (name @name) at im->len; returns its size. */
size_t img_note(struct img *im, const char *name, uint32_t type, const void *desc, uint32_t descsz);
/* Append a "Xen" note holding a string / a 64-bit value; returns its size. */
size_t note_str(struct img *im, uint32_t type, const char *s);
size_t note_u64(struct img *im, uint32_t type, uint64_t v);
/*
 * A small valid PV kernel: one PT_NOTE and one PT_LOAD of 0x1000 file bytes at
 * p_paddr 0x100000 (+ 0x2000 bss), entry at its start; @extra adds notes.
 */
void img_standard(struct img *im, void (*extra)(struct img *));

#endif
