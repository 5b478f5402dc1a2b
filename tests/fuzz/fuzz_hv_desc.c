// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the hypervisor's checks of what a PV guest hands it for
 * its own CPU state (hypervisor/arch/x86_64/lib/, built for the host):
 *   - pv_check_descriptor() on a GDT/LDT descriptor (set_gdt,
 *     update_descriptor): an accepted descriptor, as the check leaves it,
 *     is accepted again unchanged (the fix-ups are idempotent);
 *   - pv_bounce_frame() (an exception or event delivered to the guest) and
 *     pv_iret() (HYPERVISOR_iret) on guest registers, vCPU mode and iret
 *     frame all taken from the input: they must not fault, and a bounce
 *     never builds more than PV_BOUNCE_MAX_WORDS words.
 */
#include <stdlib.h>
#include <string.h>

#include <asm/bounce_frame.h>
#include <asm/descriptor.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input, read in order; zeros once it runs out. */
struct in {
	const uint8_t *p;
	size_t len, off;
};

static void take(struct in *in, void *dst, size_t n)
{
	size_t k = in->len - in->off < n ? in->len - in->off : n;

	memset(dst, 0, n);
	memcpy(dst, in->p + in->off, k);
	in->off += k;
}

static void check_descriptor(struct in *in)
{
	uint64_t d, again;

	take(in, &d, sizeof(d));
	if (!pv_check_descriptor(&d))
		return;
	again = d;
	if (!pv_check_descriptor(&again) || again != d)
		abort();
}

static void bounce_and_iret(struct in *in)
{
	struct cpu_user_regs regs;
	struct pv_vcpu_mode v;
	struct pv_trap_bounce tb;
	struct iret_context ctx;
	struct pv_bounce out;
	struct pv_iret ir;
	uint8_t flags;

	take(in, &regs, sizeof(regs));
	take(in, &flags, 1);
	memset(&v, 0, sizeof(v));
	v.kernel_mode = flags & 1;
	v.arch_iopl = flags & 2;
	v.has_user_pt = flags & 4;
	take(in, &v.kernel_sp, sizeof(v.kernel_sp));
	take(in, &v.upcall_mask, 1);
	take(in, &v.iopl, sizeof(v.iopl));
	memset(&tb, 0, sizeof(tb));
	take(in, &tb.eip, sizeof(tb.eip));
	take(in, &tb.error_code, sizeof(tb.error_code));
	tb.has_error_code = flags & 8;
	tb.mask_events = flags & 16;
	tb.failsafe = flags & 32;
	if (!pv_bounce_frame(&regs, &v, &tb, &out) && out.nr_words > PV_BOUNCE_MAX_WORDS)
		abort();
	take(in, &ctx, sizeof(ctx));
	pv_iret(&regs, &v, &ctx, &ir);
	pv_softint_permitted(flags >> 6, v.kernel_mode);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size, 0 };

	if (!size)
		return 0;
	in.off = 1;
	if (data[0] & 1)
		while (in.off < in.len)
			check_descriptor(&in);
	else
		bounce_and_iret(&in);
	return 0;
}
