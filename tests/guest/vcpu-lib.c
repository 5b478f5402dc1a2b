// SPDX-License-Identifier: MIT
/*
 * A first context for a kernel's own further vCPUs (see vcpu-lib.h).
 */
#include "vcpu-lib.h"

#include <gpv/lib.h>
#include <gpv/mm.h>

void vl_kernel_context(struct vcpu_guest_context *c, void (*entry)(void), void *stack_end)
{
	unsigned long top = (unsigned long)stack_end - 8;

	memset(c, 0, sizeof(*c));
	c->flags = VGCF_in_kernel;
	c->user_regs.rip = (unsigned long)entry;
	c->user_regs.rsp = top;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS;
	c->user_regs.rflags = 0x2;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = top;
	c->ctrlreg[3] = xen_pfn_to_cr3(gpv_virt_to_mfn((void *)gpv_start_info->pt_base));
}
