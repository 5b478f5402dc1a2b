// SPDX-License-Identifier: MIT
/*
 * The trap table and the dispatcher. gpv_traps_init() registers a gate for
 * every architectural exception (#BP and #OF reachable from user mode, as
 * on hardware) and the event and failsafe callbacks. A trap nobody hooked
 * prints a register dump and crashes the domain.
 */
#include <gpv/gpv.h>
#include <gpv/traps.h>
#include <gpv/probe.h>
#include <gpv/evtchn.h>

#define NR_HOOKS (GPV_VEC_FAILSAFE + 1)

extern char gpv_trap_stubs[];
extern char gpv_iret_syscall;

static gpv_trap_hook_t hooks[NR_HOOKS];

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS",
	"#NP", "#SS", "#GP", "#PF", "15",  "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

unsigned long gpv_trap_stub(unsigned int vector)
{
	return (unsigned long)gpv_trap_stubs + 32UL * (vector & 255);
}

gpv_trap_hook_t gpv_trap_set_hook(unsigned int vector, gpv_trap_hook_t hook)
{
	gpv_trap_hook_t old;

	if (vector >= NR_HOOKS)
		return NULL;
	old = hooks[vector];
	hooks[vector] = hook;
	return old;
}

long gpv_trap_install(unsigned int vector, unsigned int dpl)
{
	struct trap_info t[2] = {
		{ .vector = (uint8_t)vector,
		  .flags = (uint8_t)((dpl & 3) | 4),
		  .cs = FLAT_KERNEL_CS,
		  .address = gpv_trap_stub(vector) },
		{ 0 },
	};

	return gpv_set_trap_table(t);
}

void gpv_trap_iret_via_syscall(int on)
{
	gpv_iret_syscall = on ? 1 : 0;
}

static long register_callback(unsigned int type, void (*fn)(void), unsigned int flags)
{
	struct callback_register cb = {
		.type = (uint16_t)type,
		.flags = (uint16_t)flags,
		.address = (unsigned long)fn,
	};

	return gpv_callback_op(CALLBACKOP_register, &cb);
}

void gpv_traps_init(void)
{
	struct trap_info t[33];
	unsigned int v, n = 0;

	for (v = 0; v < 20; v++) {
		if (v == 2 || v == 15)
			continue;
		t[n].vector = (uint8_t)v;
		t[n].flags = (uint8_t)(((v == 3 || v == 4) ? 3 : 0) | 4);
		t[n].cs = FLAT_KERNEL_CS;
		t[n].address = gpv_trap_stub(v);
		n++;
	}
	memset(&t[n], 0, sizeof(t[n]));
	if (gpv_set_trap_table(t))
		gpv_printf("WARN: set_trap_table failed\n");
	gpv_evtchn_init();
	register_callback(CALLBACKTYPE_event, gpv_event_entry, 0);
	register_callback(CALLBACKTYPE_failsafe, gpv_failsafe_entry, CALLBACKF_mask_events);
}

void gpv_trap_dump(const struct gpv_regs *r)
{
	struct vcpu_info *vi = gpv_vcpu_info();
	const char *name = r->vector < 32 && exc_names[r->vector] ? exc_names[r->vector] : "";

	gpv_printf("TRAP: vector %lu %s error %lx cr2 %lx\n", r->vector, name, r->error,
		   vi ? vi->arch.cr2 : 0);
	gpv_printf("  rip %016lx cs %lx rflags %lx rsp %016lx ss %lx\n", r->rip, r->cs, r->rflags,
		   r->rsp, r->ss);
	gpv_printf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r->rax, r->rbx, r->rcx,
		   r->rdx);
	gpv_printf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", r->rsi, r->rdi, r->rbp,
		   r->r8);
	gpv_printf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", r->r9, r->r10, r->r11,
		   r->r12);
	gpv_printf("  r13 %016lx r14 %016lx r15 %016lx\n", r->r13, r->r14, r->r15);
}

void gpv_trap_dispatch(struct gpv_regs *regs)
{
	gpv_trap_hook_t hook = regs->vector < NR_HOOKS ? hooks[regs->vector] : NULL;
	unsigned long fixup = regs->vector < 32 ? gpv_probe_fixup(regs->rip) : 0;
	struct vcpu_info *vi = gpv_vcpu_info();

	if (fixup) {
		gpv_last_fault.vector = regs->vector;
		gpv_last_fault.error = regs->error;
		gpv_last_fault.rip = regs->rip;
		gpv_last_fault.cr2 = vi ? vi->arch.cr2 : 0;
		gpv_last_fault.count++;
		regs->rip = fixup;
		return;
	}
	if (hook && hook(regs) == 0)
		return;
	if (regs->vector == GPV_VEC_EVENT)
		return; /* events nobody listens to are dropped */
	gpv_trap_dump(regs);
	gpv_panic("unhandled trap");
}
