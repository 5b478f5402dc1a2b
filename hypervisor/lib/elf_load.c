// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a parsed dom0 kernel (lamina/elfnote.h): its PT_LOAD segments copied
 * to where p_paddr puts them, the rest of the span zeroed. The parse result
 * is re-checked against the image, so a stale or forged one cannot make the
 * copy run outside either buffer.
 */
#include <lamina/elfnote.h>

#include <xen/errno.h>

/* Byte loops kept as loops: the hypervisor has no memcpy/memset to call. */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) static void
copy_bytes(uint8_t *dst, const uint8_t *src, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		dst[i] = src[i];
}

__attribute__((optimize("no-tree-loop-distribute-patterns"))) static void zero_bytes(uint8_t *dst,
										     uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		dst[i] = 0;
}

int pv_elf_load(const void *img, size_t len, const struct pv_elf_image *im, void *dest,
		uint64_t dest_len)
{
	uint8_t *d = dest;
	unsigned int i;

	if (!img || !dest || im->nr_segs == 0 || im->nr_segs > PV_ELF_MAX_SEGS ||
	    im->pend < im->pstart || dest_len < im->pend - im->pstart)
		return -XEN_EINVAL;
	for (i = 0; i < im->nr_segs; i++) {
		const struct pv_elf_seg *s = &im->segs[i];

		if (s->filesz > s->memsz || s->filesz > len || s->offset > len - s->filesz ||
		    s->paddr < im->pstart || s->paddr + s->memsz > im->pend)
			return -XEN_EINVAL;
	}
	zero_bytes(d, im->pend - im->pstart);
	for (i = 0; i < im->nr_segs; i++) {
		const struct pv_elf_seg *s = &im->segs[i];

		copy_bytes(d + (s->paddr - im->pstart), (const uint8_t *)img + s->offset,
			   s->filesz);
	}
	return 0;
}
