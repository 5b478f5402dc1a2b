// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the hypervisor's start of day on a dom0 kernel image
 * (hypervisor/lib/elfnote.c, elf_load.c and arch/x86_64/lib/dom0_layout.c,
 * built for the host): the input is the image. An image pv_elf_parse()
 * accepts is loaded (pv_elf_load() into a buffer of the size it asked for,
 * when that is at most 16 MiB; one byte less must be refused) and laid out
 * for a few memory and initrd sizes (pv_dom0_layout()). Checked: no memory
 * error or undefined behaviour, every accepted segment inside the image,
 * and a layout, when accepted, that is ordered and inside the guest's
 * virtual space below the hypervisor's hole.
 */
#include <stdlib.h>
#include <string.h>

#include <asm/dom0_layout.h>
#include <lamina/elfnote.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_layout(const struct pv_elf_image *im, uint64_t pages, uint64_t initrd)
{
	struct pv_dom0_layout l;

	if (pv_dom0_layout(im, pages, initrd, &l))
		return;
	if (l.v_start > l.vkern_start || l.vkern_start > l.vkern_end || l.v_end < l.vkern_end ||
	    l.vstack_end > l.v_end || l.vpt_start > l.vpt_end ||
	    (l.v_start < PV_XEN_VIRT_END && l.v_end > PV_XEN_VIRT_START) ||
	    l.nr_pt_frames < l.nr_l4 + l.nr_l3 + l.nr_l2 + l.nr_l1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pv_elf_image im;
	uint64_t need;
	unsigned int i;
	uint8_t *dest;

	if (pv_elf_parse(data, size, &im))
		return 0;
	for (i = 0; i < im.nr_segs; i++)
		if (im.segs[i].offset > size || im.segs[i].filesz > size - im.segs[i].offset)
			abort();
	need = im.pend - im.pstart;
	if (im.pend >= im.pstart && need <= (16u << 20)) {
		dest = malloc(need + 1);
		if (!dest)
			abort();
		if (need && !pv_elf_load(data, size, &im, dest, need - 1))
			abort();
		pv_elf_load(data, size, &im, dest, need);
		free(dest);
	}
	check_layout(&im, 1 << 18, 0);
	check_layout(&im, 4096, 1 << 20);
	check_layout(&im, (uint64_t)1 << 30, 123456789);
	return 0;
}
