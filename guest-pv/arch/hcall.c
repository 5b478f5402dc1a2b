// SPDX-License-Identifier: MIT
/*
 * The two hypercall entries. Xen's stubs and Xen's syscall path may clobber
 * rcx, r11 and (debug builds) the argument registers, so all of them are
 * declared as outputs.
 */
#include <gpv/hypercall.h>

static enum gpv_hcall_mode hcall_mode = GPV_HCALL_PAGE;

long gpv_hcall_page(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
		    unsigned long a4, unsigned long a5)
{
	register unsigned long rdi asm("rdi") = a1;
	register unsigned long rsi asm("rsi") = a2;
	register unsigned long rdx asm("rdx") = a3;
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	unsigned long stub = (unsigned long)gpv_hypercall_page + 32UL * (nr & 127);
	long ret;

	asm volatile("call *%[stub]"
		     : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10),
		       "+r"(r8), [stub] "+r"(stub)
		     :
		     : "rcx", "r11", "r9", "memory");
	return ret;
}

long gpv_hcall_syscall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
		       unsigned long a4, unsigned long a5)
{
	register unsigned long rdi asm("rdi") = a1;
	register unsigned long rsi asm("rsi") = a2;
	register unsigned long rdx asm("rdx") = a3;
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	long ret = nr;

	asm volatile("syscall"
		     : "+a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8)
		     :
		     : "rcx", "r11", "memory");
	return ret;
}

long gpv_hcall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
	       unsigned long a4, unsigned long a5)
{
	if (hcall_mode == GPV_HCALL_SYSCALL)
		return gpv_hcall_syscall(nr, a1, a2, a3, a4, a5);
	return gpv_hcall_page(nr, a1, a2, a3, a4, a5);
}

enum gpv_hcall_mode gpv_hcall_set_mode(enum gpv_hcall_mode mode)
{
	enum gpv_hcall_mode old = hcall_mode;

	hcall_mode = mode;
	return old;
}
