// SPDX-License-Identifier: GPL-2.0-only
/*
 * layout_tool ELF NR_PAGES [INITRD_BYTES]: print what lib/elfnote and
 * x86_64/lib/dom0_layout make of a dom0 kernel, in the words and number format of
 * Xen 4.17's "VIRTUAL MEMORY ARRANGEMENT" boot message, so that
 * layout_vs_xen.sh can compare the two line by line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <xen/errno.h>

#include <asm/dom0_layout.h>
#include <lamina/elfnote.h>

static struct pv_elf_image im;

static void range(const char *label, uint64_t a, uint64_t b)
{
	printf("%s %016llx->%016llx\n", label, (unsigned long long)a, (unsigned long long)b);
}

int main(int argc, char **argv)
{
	struct pv_dom0_layout l;
	unsigned long long pages, initrd = 0;
	unsigned char *buf;
	long n;
	FILE *f;
	int rc;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s ELF NR_PAGES [INITRD_BYTES]\n", argv[0]);
		return 2;
	}
	pages = strtoull(argv[2], NULL, 0);
	if (argc == 4)
		initrd = strtoull(argv[3], NULL, 0);
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		perror(argv[1]);
		return 2;
	}
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(argv[1]);
		return 2;
	}
	fclose(f);
	rc = pv_elf_parse(buf, (size_t)n, &im);
	free(buf);
	if (rc) {
		printf("parse: %d\n", rc);
		return 1;
	}
	rc = pv_dom0_layout(&im, pages, initrd, &l);
	if (rc) {
		printf("layout: %d\n", rc);
		return 1;
	}
	printf("pages-to-be-allocated %llu\n",
	       pages - (1ull << l.alloc_order) - (unsigned long long)l.initrd_pages);
	range("Loaded kernel:", l.vkern_start, l.vkern_end);
	range("Init. ramdisk:", l.vinitrd_start, l.vinitrd_end);
	range("Phys-Mach map:", l.vphysmap_start, l.vphysmap_end);
	range("Start info:", l.vstartinfo_start, l.vstartinfo_end);
	range("Page tables:", l.vpt_start, l.vpt_end);
	range("Boot stack:", l.vstack_start, l.vstack_end);
	range("TOTAL:", l.v_start, l.v_end);
	printf("ENTRY ADDRESS: %016llx\n", (unsigned long long)l.virt_entry);
	return 0;
}
