// SPDX-License-Identifier: GPL-2.0-only
/*
 * A PV vCPU's debug registers (after xen/arch/x86/pv/misc-hypercalls.c
 * set_debugreg and x86_emulate.c x86emul_read_dr): the set_debugreg and
 * get_debugreg hypercalls, and the values behind the emulated mov to/from
 * %dr0-%dr7. Xen's checks:
 *   %dr0-3  a breakpoint address: the lower canonical half or above the
 *           hypervisor's range (-EPERM otherwise);
 *   %dr6    32 bits (-EINVAL), reserved bits forced (read as 0xffff0ff0);
 *   %dr7    32 bits (-EINVAL), reserved bits forced (bit 10 reads 1), GD
 *           refused (-EPERM), an I/O breakpoint refused without CR4.DE
 *           (and with it kept out of the real %dr7: real_dr7);
 *   %dr4/5  alias %dr6/7 while the guest's CR4.DE is clear, else -ENODEV
 *           (#UD), as any other number.
 * The values are loaded into the CPU when written by the running vCPU and
 * by pv_load_debugregs() when a vCPU is switched in; the hypervisor itself
 * never uses the debug registers. A #DB from the guest is reported to it
 * with its %dr6 bits merged into the virtual %dr6 (pv_debug_trap); one in
 * the hypervisor (a guest data breakpoint hit by a guest-memory copy, or
 * the MOV SS shadow of XSA-260 on the first entry instruction) arrives on
 * its own IST stack and is dropped (pv_debug_trap_hv), as Xen's do_debug.
 */
#include <asm/layout.h>
#include <asm/percpu.h>
#include <asm/pv/debugreg.h>
#include <asm/pv/emul.h>
#include <asm/pv/hypercalls.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/hypercall.h>
#include <xen/errno.h>

#define DR6_DEFAULT 0xffff0ff0ULL /* reserved bits read as 1 */
#define DR6_KEEP 0xffffefffULL	  /* bits a guest may hold in %dr6 */
#define DR7_ONE 0x400ULL	  /* bit 10 reads as 1 */
#define DR7_KEEP 0xffff27ffULL	  /* the defined bits */
#define DR7_GD (1ULL << 13)	  /* general detect: refused */
#define DR7_ENABLES 0xffULL	  /* L0-3, G0-3 */
#define CR4_DE (1ULL << 3)
#define DR7_RW_IO 2u /* RW field value of an I/O breakpoint */

/* CR4.DE as the guest's mov from CR4 shows it (pv/ctrlreg.c). */
static bool cr4_de(struct vcpu *v)
{
	uint64_t cr4 = 0;

	return !pv_read_cr(v, 4, &cr4) && (cr4 & CR4_DE);
}

static bool breakpoint_addr_ok(uint64_t a)
{
	return a < (1ULL << 47) || a >= HV_VIRT_END;
}

static void load_dr(unsigned int reg, uint64_t val)
{
	switch (reg) {
	case 0:
		asm volatile("mov %0, %%dr0" ::"r"(val));
		break;
	case 1:
		asm volatile("mov %0, %%dr1" ::"r"(val));
		break;
	case 2:
		asm volatile("mov %0, %%dr2" ::"r"(val));
		break;
	case 3:
		asm volatile("mov %0, %%dr3" ::"r"(val));
		break;
	case 6:
		asm volatile("mov %0, %%dr6" ::"r"(val));
		break;
	case 7:
		asm volatile("mov %0, %%dr7" ::"r"(val));
		break;
	default:
		break;
	}
}

/*
 * The %dr7 the CPU gets for the guest's: an I/O breakpoint's enables left
 * out (the real CR4.DE is clear, where RW 10b is undefined), as Xen keeps
 * them in dr7_emul. Port emulation raises their #DB (pv_io_breakpoints).
 */
static uint64_t real_dr7(uint64_t dr7)
{
	for (unsigned int i = 0; i < 4; i++)
		if (((dr7 >> (16 + 4 * i)) & 3) == DR7_RW_IO)
			dr7 &= ~(3ULL << (2 * i));
	return dr7;
}

static uint64_t read_dr6(void)
{
	uint64_t v;

	asm volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

/* The checked %dr7 value, or a negative error. */
static int64_t check_dr7(struct vcpu *v, uint64_t val)
{
	if (val >> 32)
		return -XEN_EINVAL;
	val = (val & DR7_KEEP) | DR7_ONE;
	if (val & DR7_GD)
		return -XEN_EPERM;
	/* As Xen: with any breakpoint enabled, an I/O one needs CR4.DE. */
	for (unsigned int i = 0; i < 4 && (val & DR7_ENABLES); i++) {
		if (((val >> (16 + 4 * i)) & 3) == DR7_RW_IO && !cr4_de(v))
			return -XEN_EPERM;
	}
	return (int64_t)val;
}

int pv_set_debugreg(struct vcpu *v, unsigned int reg, uint64_t val)
{
	bool live = v == this_vcpu();
	int64_t dr7;

	if ((reg == 4 || reg == 5) && cr4_de(v))
		return -XEN_ENODEV;
	switch (reg) {
	case 0 ... 3:
		if (!breakpoint_addr_ok(val))
			return -XEN_EPERM;
		v->arch.dr[reg] = val;
		break;
	case 4:
	case 6:
		if (val >> 32)
			return -XEN_EINVAL;
		v->arch.dr6 = (uint32_t)((val & DR6_KEEP) | DR6_DEFAULT);
		reg = 6;
		val = v->arch.dr6;
		break;
	case 5:
	case 7:
		dr7 = check_dr7(v, val);
		if (dr7 < 0)
			return (int)dr7;
		v->arch.dr7 = (uint32_t)dr7;
		reg = 7;
		val = real_dr7(v->arch.dr7);
		break;
	default:
		return -XEN_ENODEV;
	}
	if (live)
		load_dr(reg, val);
	return 0;
}

int pv_get_debugreg(struct vcpu *v, unsigned int reg, uint64_t *val)
{
	if ((reg == 4 || reg == 5) && cr4_de(v))
		return -XEN_ENODEV;
	switch (reg) {
	case 0 ... 3:
		*val = v->arch.dr[reg];
		return 0;
	case 4:
	case 6:
		*val = v->arch.dr6 ? v->arch.dr6 : DR6_DEFAULT;
		return 0;
	case 5:
	case 7:
		*val = v->arch.dr7 | DR7_ONE;
		return 0;
	default:
		return -XEN_ENODEV;
	}
}

/*
 * Xen's check_guest_io_breakpoint: the enabled I/O breakpoints of @v (RW
 * 10b, only while its CR4.DE is set) whose range, its address rounded down
 * to its length (LEN 00b 1, 01b 2, 11b 4, 10b 8 bytes), meets the ports
 * [port, port + len), as %dr6's B0-B3 bits.
 */
unsigned int pv_io_breakpoints(struct vcpu *v, unsigned int port, unsigned int len)
{
	static const uint8_t width[4] = { 1, 2, 8, 4 };
	uint64_t dr7 = v->arch.dr7;
	unsigned int hits = 0;

	if (!(dr7 & DR7_ENABLES) || !cr4_de(v))
		return 0;
	for (unsigned int i = 0; i < 4; i++) {
		unsigned int ctl = (unsigned int)(dr7 >> (16 + 4 * i)) & 0xf;
		uint64_t w, start;

		if (!(dr7 & (3ULL << (2 * i))) || (ctl & 3) != DR7_RW_IO)
			continue;
		w = width[ctl >> 2];
		start = v->arch.dr[i] & ~(w - 1);
		if (start < (uint64_t)port + len && start + w > port)
			hits |= 1u << i;
	}
	return hits;
}

void pv_emulated_db(struct vcpu *v, struct cpu_regs *regs, unsigned int hits)
{
	uint64_t cur = v->arch.dr6 ? v->arch.dr6 : DR6_DEFAULT;

	v->arch.dr6 = (uint32_t)(cur | hits | DR6_DEFAULT);
	pv_inject_exception(v, regs, TRAP_DB, -1);
}

void pv_load_debugregs(const struct vcpu *v)
{
	for (unsigned int i = 0; i < 4; i++)
		load_dr(i, v->arch.dr[i]);
	load_dr(6, v->arch.dr6 ? v->arch.dr6 : DR6_DEFAULT);
	load_dr(7, real_dr7(v->arch.dr7));
}

void pv_debug_trap(struct vcpu *v, struct cpu_regs *regs)
{
	uint64_t dr6 = read_dr6();
	uint64_t cur = v->arch.dr6 ? v->arch.dr6 : DR6_DEFAULT;

	load_dr(6, DR6_DEFAULT);
	/* Bits the CPU set (or, for the inverted ones, cleared) join the guest's. */
	cur |= dr6 & ~DR6_DEFAULT;
	cur &= dr6 | ~DR6_DEFAULT;
	v->arch.dr6 = (uint32_t)cur;
	pv_inject_exception(v, regs, TRAP_DB, -1);
}

void pv_debug_trap_hv(struct cpu_regs *regs)
{
	static unsigned int reported;
	uint64_t dr6 = read_dr6(), dr7;

	load_dr(6, DR6_DEFAULT);
	if (!(regs->rflags & X86_EFLAGS_TF) && reported < 16) {
		reported++;
		printk(LOG_WARN, "#DB in the hypervisor at %lx (dr6 %lx): dropped", regs->rip, dr6);
	}
	/*
	 * A guest's SYSENTER with TF set single-steps the entry: as Xen, let it
	 * run until the guest's flags are saved (its frame then shows TF), then
	 * drop it. TF in the hypervisor has no other source.
	 */
	if (regs->rip < (uint64_t)sysenter_entry || regs->rip >= (uint64_t)sysenter_eflags_saved)
		regs->rflags &= ~X86_EFLAGS_TF;
	/* An instruction breakpoint cannot match hypervisor code: if one did,
	 * retrying would loop, so turn every breakpoint off. */
	asm volatile("mov %%dr7, %0" : "=r"(dr7));
	for (unsigned int i = 0; i < 4; i++) {
		if ((dr6 & (1u << i)) && (dr7 & (3u << (2 * i))) && !((dr7 >> (16 + 4 * i)) & 3)) {
			printk(LOG_ERR, "#DB: instruction breakpoint in the hypervisor");
			load_dr(7, 0);
			break;
		}
	}
}

long do_set_debugreg(const uint64_t a[HYPERCALL_NR_ARGS])
{
	return pv_set_debugreg(this_vcpu(), (unsigned int)a[0], a[1]);
}

long do_get_debugreg(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t val;
	int rc = pv_get_debugreg(this_vcpu(), (unsigned int)a[0], &val);

	return rc ? rc : (long)val;
}
