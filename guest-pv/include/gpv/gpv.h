/* SPDX-License-Identifier: MIT */
/*
 * What a guest-pv kernel gets from start of day: the start_info page Xen
 * handed over, the mapped shared_info page, and the registers at entry. A
 * kernel defines gpv_main(); its return value is the shutdown verdict.
 */
#ifndef GPV_GPV_H
#define GPV_GPV_H

#include <gpv/xen.h>
#include <gpv/lib.h>
#include <gpv/hypercalls.h>
#include <gpv/console.h>

/* Registers as the domain builder left them at _start (head.S layout). */
struct gpv_boot_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t cs, ss, ds, rflags;
};

extern struct gpv_boot_regs gpv_boot_regs;
extern start_info_t *gpv_start_info;
extern shared_info_t *gpv_shared_info;
extern char _text[], _end[], __bss_start[], __bss_end[];
extern char gpv_boot_stack_top[];

/* The kernel's main; returns 0 for success, anything else for failure. */
int gpv_main(void);
/* C start of day, from head.S. */
void gpv_start(start_info_t *si);
/* SCHEDOP_shutdown with @reason; returns only if the hypervisor refused. */
long gpv_shutdown(unsigned int reason);
/* End the domain: poweroff when @failed is 0, reboot (reason 1) otherwise. */
void gpv_exit(int failed) __attribute__((noreturn));
/* Print @msg and end the domain with SHUTDOWN_crash. */
void gpv_panic(const char *msg) __attribute__((noreturn));
/* True when this domain is the initial (control) domain. */
bool gpv_is_dom0(void);
/* This vCPU's vcpu_info in shared_info (vCPU 0 only, for now). */
struct vcpu_info *gpv_vcpu_info(void);

#endif
