// SPDX-License-Identifier: MIT
/*
 * Guest user mode for the test kernels (see umode.h): the setup Xen needs
 * (MMUEXT_NEW_USER_BASEPTR, stack_switch, the syscall callback) and the
 * hook that brings the kernel back.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/test.h>
#include "umode.h"

void umode_resume(void);
extern unsigned long umode_kernel_rsp;

struct gpv_regs umode_seen;
unsigned long umode_flags;
unsigned int umode_hits;
static char kstack[8192] __attribute__((aligned(16)));
static char ustack[8192] __attribute__((aligned(16)));

bool umode_init(void)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR };
	struct callback_register cb = {
		.type = CALLBACKTYPE_syscall,
		.flags = CALLBACKF_mask_events,
		.address = (unsigned long)gpv_syscall_entry,
	};

	op.arg1.mfn = gpv_virt_to_mfn((void *)gpv_start_info->pt_base);
	if (gpv_mmuext_op(&op, 1, NULL, DOMID_SELF))
		return false;
	if (gpv_stack_switch(FLAT_KERNEL_SS, (unsigned long)kstack + sizeof(kstack)))
		return false;
	return gpv_callback_op(CALLBACKOP_register, &cb) == 0;
}

void umode_regs(struct gpv_regs *r, void (*fn)(void))
{
	memset(r, 0, sizeof(*r));
	r->rip = (unsigned long)fn;
	r->cs = FLAT_USER_CS;
	r->rflags = 0x202;
	r->rsp = (unsigned long)ustack + sizeof(ustack) - 64;
	r->ss = FLAT_USER_SS;
}

int umode_back(struct gpv_regs *r)
{
	unsigned long f;

	asm volatile("pushfq; popq %0" : "=r"(f));
	umode_flags = f;
	umode_seen = *r;
	umode_hits++;
	r->rip = (unsigned long)umode_resume;
	r->rsp = umode_kernel_rsp;
	r->cs = FLAT_KERNEL_CS & ~3;
	r->ss = FLAT_KERNEL_SS;
	r->rflags = 0x2;
	return 0;
}
