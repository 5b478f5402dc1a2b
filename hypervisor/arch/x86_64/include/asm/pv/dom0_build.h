/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the PV code: the builder (pv/dom0_build.c) that dom0 and the
 * boot-time domUs (pv/domain_build.c) share. A build is:
 *   pv_build_check   parse the kernel, compute the layout for nr_pages
 *   (domain_create, domain_alloc_memory, a domU's rings and ports)
 *   pv_build_fill    write kernel, initrd, p2m, start_info, page tables
 *   pv_build_start   vCPU 0's start-of-day registers; up and unpaused
 */
#ifndef LAMINA_ASM_PV_DOM0_BUILD_H
#define LAMINA_ASM_PV_DOM0_BUILD_H

#include <asm/dom0_layout.h>
#include <asm/regs.h>
#include <lamina/domain.h>
#include <lamina/elfnote.h>

struct pv_build {
	const char *name; /* "dom0", "dom1", ...: for messages */
	bool initdomain;  /* SIF_PRIVILEGED | SIF_INITDOMAIN */
	const void *kernel, *initrd;
	size_t kernel_len, initrd_len; /* initrd_len 0: none */
	const char *cmdline;
	/* A domU's rings: start_info's store and console (0 for dom0). */
	uint64_t store_mfn, console_mfn;
	uint32_t store_evtchn, console_evtchn;
	/* Computed by pv_build_check. */
	struct pv_elf_image kimage;
	struct pv_dom0_layout layout;
};

/* Parses the kernel and lays the domain out in nr_pages: 0 or -Exxx (said why). */
int pv_build_check(struct pv_build *b, uint64_t nr_pages);
/* The first pfn after everything the layout places (kernel .. stack, p2m, initrd). */
uint64_t pv_build_end_pfn(const struct pv_build *b);
/* Fills d's memory (allocated, nr_pages as checked): 0 or -Exxx. */
int pv_build_fill(struct pv_build *b, struct domain *d);
/* Sets vCPU 0's start-of-day registers, brings it up and unpauses d. */
void pv_build_start(const struct pv_build *b, struct domain *d);
/* Fills a hypercall page with the 64-bit PV stubs (syscall-based). */
void pv_write_hypercall_page(void *page);

#endif
