/* SPDX-License-Identifier: MIT */
/*
 * One typed wrapper per hypercall number <xen/xen.h> defines, named after it.
 * Each returns what the hypervisor returned (0 / positive value / -errno).
 * iret has no wrapper here: it does not return (see gpv_iret in traps.h).
 */
#ifndef GPV_HYPERCALLS_H
#define GPV_HYPERCALLS_H

#include <gpv/hypercall.h>

static inline long gpv_set_trap_table(const struct trap_info *t)
{
	return GPV_HC1(__HYPERVISOR_set_trap_table, t);
}
static inline long gpv_mmu_update(mmu_update_t *req, unsigned int n, unsigned int *done,
				  domid_t dom)
{
	return GPV_HC4(__HYPERVISOR_mmu_update, req, n, done, dom);
}
static inline long gpv_set_gdt(const unsigned long *frames, unsigned int entries)
{
	return GPV_HC2(__HYPERVISOR_set_gdt, frames, entries);
}
static inline long gpv_stack_switch(unsigned long ss, unsigned long sp)
{
	return GPV_HC2(__HYPERVISOR_stack_switch, ss, sp);
}
static inline long gpv_set_callbacks(unsigned long event, unsigned long failsafe,
				     unsigned long syscall)
{
	return GPV_HC3(__HYPERVISOR_set_callbacks, event, failsafe, syscall);
}
static inline long gpv_fpu_taskswitch(int set)
{
	return GPV_HC1(__HYPERVISOR_fpu_taskswitch, set);
}
static inline long gpv_sched_op_compat(int cmd, unsigned long arg)
{
	return GPV_HC2(__HYPERVISOR_sched_op_compat, cmd, arg);
}
static inline long gpv_platform_op(void *op)
{
	return GPV_HC1(__HYPERVISOR_platform_op, op);
}
static inline long gpv_set_debugreg(int reg, unsigned long value)
{
	return GPV_HC2(__HYPERVISOR_set_debugreg, reg, value);
}
static inline long gpv_get_debugreg(int reg)
{
	return GPV_HC1(__HYPERVISOR_get_debugreg, reg);
}
static inline long gpv_update_descriptor(uint64_t maddr, uint64_t desc)
{
	return GPV_HC2(__HYPERVISOR_update_descriptor, maddr, desc);
}
static inline long gpv_memory_op(unsigned int cmd, void *arg)
{
	return GPV_HC2(__HYPERVISOR_memory_op, cmd, arg);
}
static inline long gpv_multicall(multicall_entry_t *calls, unsigned int n)
{
	return GPV_HC2(__HYPERVISOR_multicall, calls, n);
}
static inline long gpv_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
	return GPV_HC3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}
static inline long gpv_set_timer_op(uint64_t timeout)
{
	return GPV_HC1(__HYPERVISOR_set_timer_op, timeout);
}
static inline long gpv_event_channel_op_compat(void *op)
{
	return GPV_HC1(__HYPERVISOR_event_channel_op_compat, op);
}
static inline long gpv_xen_version(int cmd, void *arg)
{
	return GPV_HC2(__HYPERVISOR_xen_version, cmd, arg);
}
static inline long gpv_console_io(int cmd, unsigned int count, void *buf)
{
	return GPV_HC3(__HYPERVISOR_console_io, cmd, count, buf);
}
static inline long gpv_physdev_op_compat(void *op)
{
	return GPV_HC1(__HYPERVISOR_physdev_op_compat, op);
}
static inline long gpv_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
	return GPV_HC3(__HYPERVISOR_grant_table_op, cmd, uop, count);
}
static inline long gpv_vm_assist(unsigned int cmd, unsigned int type)
{
	return GPV_HC2(__HYPERVISOR_vm_assist, cmd, type);
}
static inline long gpv_update_va_mapping_otherdomain(unsigned long va, uint64_t pte,
						     unsigned long flags, domid_t dom)
{
	return GPV_HC4(__HYPERVISOR_update_va_mapping_otherdomain, va, pte, flags, dom);
}
static inline long gpv_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return GPV_HC3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}
static inline long gpv_set_segment_base(unsigned int which, unsigned long base)
{
	return GPV_HC2(__HYPERVISOR_set_segment_base, which, base);
}
static inline long gpv_mmuext_op(struct mmuext_op *op, unsigned int n, unsigned int *done,
				 domid_t dom)
{
	return GPV_HC4(__HYPERVISOR_mmuext_op, op, n, done, dom);
}
static inline long gpv_xsm_op(void *op)
{
	return GPV_HC1(__HYPERVISOR_xsm_op, op);
}
static inline long gpv_nmi_op(unsigned int cmd, void *arg)
{
	return GPV_HC2(__HYPERVISOR_nmi_op, cmd, arg);
}
static inline long gpv_sched_op(int cmd, void *arg)
{
	return GPV_HC2(__HYPERVISOR_sched_op, cmd, arg);
}
static inline long gpv_callback_op(int cmd, const void *arg)
{
	return GPV_HC2(__HYPERVISOR_callback_op, cmd, arg);
}
static inline long gpv_xenoprof_op(int op, void *arg)
{
	return GPV_HC2(__HYPERVISOR_xenoprof_op, op, arg);
}
static inline long gpv_event_channel_op(int cmd, void *arg)
{
	return GPV_HC2(__HYPERVISOR_event_channel_op, cmd, arg);
}
static inline long gpv_physdev_op(int cmd, void *arg)
{
	return GPV_HC2(__HYPERVISOR_physdev_op, cmd, arg);
}
static inline long gpv_hvm_op(unsigned long op, void *arg)
{
	return GPV_HC2(__HYPERVISOR_hvm_op, op, arg);
}
static inline long gpv_sysctl(void *u_sysctl)
{
	return GPV_HC1(__HYPERVISOR_sysctl, u_sysctl);
}
static inline long gpv_domctl(void *u_domctl)
{
	return GPV_HC1(__HYPERVISOR_domctl, u_domctl);
}
static inline long gpv_kexec_op(unsigned long op, void *arg)
{
	return GPV_HC2(__HYPERVISOR_kexec_op, op, arg);
}
static inline long gpv_tmem_op(void *op)
{
	return GPV_HC1(__HYPERVISOR_tmem_op, op);
}
static inline long gpv_argo_op(unsigned int cmd, void *a1, void *a2, unsigned long a3,
			       unsigned long a4)
{
	return GPV_HC5(__HYPERVISOR_argo_op, cmd, a1, a2, a3, a4);
}
static inline long gpv_xenpmu_op(unsigned int op, void *arg)
{
	return GPV_HC2(__HYPERVISOR_xenpmu_op, op, arg);
}
static inline long gpv_dm_op(domid_t dom, unsigned int nr_bufs, void *bufs)
{
	return GPV_HC3(__HYPERVISOR_dm_op, dom, nr_bufs, bufs);
}
static inline long gpv_hypfs_op(unsigned int cmd, const char *path, unsigned long len, void *buf,
				unsigned long buflen)
{
	return GPV_HC5(__HYPERVISOR_hypfs_op, cmd, path, len, buf, buflen);
}
/* __HYPERVISOR_mca is arch_0 (arch-x86/xen-mca.h). */
static inline long gpv_mca(void *op)
{
	return GPV_HC1(__HYPERVISOR_arch_0, op);
}

#endif
