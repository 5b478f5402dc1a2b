/* SPDX-License-Identifier: MIT */
/*
 * Hypercalls, two ways: through the hypercall page Xen filled (stub N at
 * gpv_hypercall_page + 32 * N) or with an inline `syscall` from guest kernel
 * mode (what Debian's kernel does after XSA-466). Arguments go in rdi, rsi,
 * rdx, r10, r8; the result comes back in rax; rcx and r11 are clobbered.
 * gpv_hcall() uses the way chosen by gpv_hcall_set_mode(); the typed wrappers
 * in hypercalls.h all go through it.
 */
#ifndef GPV_HYPERCALL_H
#define GPV_HYPERCALL_H

#include <gpv/xen.h>

enum gpv_hcall_mode {
	GPV_HCALL_PAGE,
	GPV_HCALL_SYSCALL,
};

extern char gpv_hypercall_page[4096];

/* Issue hypercall @nr through the hypercall page. */
long gpv_hcall_page(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
		    unsigned long a4, unsigned long a5);
/* Issue hypercall @nr with an inline syscall instruction. */
long gpv_hcall_syscall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
		       unsigned long a4, unsigned long a5);
/* Issue hypercall @nr the current way. */
long gpv_hcall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
	       unsigned long a4, unsigned long a5);
/* Choose how gpv_hcall() enters the hypervisor; returns the previous mode. */
enum gpv_hcall_mode gpv_hcall_set_mode(enum gpv_hcall_mode mode);

#define GPV_HC0(nr) gpv_hcall((nr), 0, 0, 0, 0, 0)
#define GPV_HC1(nr, a) gpv_hcall((nr), (unsigned long)(a), 0, 0, 0, 0)
#define GPV_HC2(nr, a, b) gpv_hcall((nr), (unsigned long)(a), (unsigned long)(b), 0, 0, 0)
#define GPV_HC3(nr, a, b, c) \
	gpv_hcall((nr), (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), 0, 0)
#define GPV_HC4(nr, a, b, c, d)                                                     \
	gpv_hcall((nr), (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), \
		  (unsigned long)(d), 0)
#define GPV_HC5(nr, a, b, c, d, e)                                                  \
	gpv_hcall((nr), (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), \
		  (unsigned long)(d), (unsigned long)(e))

#endif
