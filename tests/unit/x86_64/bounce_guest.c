// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest-pv kernel that takes "int3" (#BP, no error code) and a blocked
 * "int $0x80" (#GP, error code (0x80 << 3) | 2) through its own handlers at
 * stack pointers of both alignments modulo 16 and prints the frames Xen built
 * ("FRAME kind shift pre_rsp pre_rflags mask handler rip frame_addr w0..w7"),
 * and then calls the iret hypercall with made-up contexts and prints where
 * it landed ("IRET flags rflags rsp rip rax rcx r11 rflags rsp cs ss mask"),
 * whether "int $n" from kernel mode reaches gates of DPL 0-3 ("SOFTINT dpl
 * hit"), what update_descriptor makes of hostile descriptors ("DESC in rc
 * written"),
 * and the hypercall page Xen wrote ("HCPAGE offset bytes"), so that
 * bounce_vs_xen.sh can check x86_64/lib/bounce_frame, pv_iret, x86_64/lib/descriptor and
 * x86_64/lib/hypercall_page against real Xen.
 */
#include <gpv/gpv.h>
#include <gpv/hypercall.h>
#include <gpv/hypercalls.h>
#include <gpv/mm.h>
#include <gpv/test.h>
#include <gpv/traps.h>

#include "descriptor_cases.h"

extern uint64_t hv_frame[8], hv_frame_addr;
void hv_bp_handler(void);
void hv_gp_handler(void);
void hv_do_int3(uint64_t pre[2], unsigned long shift);
void hv_do_int80(uint64_t pre[2], unsigned long shift);
extern char hv_after_int3[], hv_at_int80[], hv_iret_landing[];
void hv_do_iret(uint64_t out[8], uint64_t flags, uint64_t rflags);
void hv_soft_handler(void);
void hv_int90(void), hv_int91(void), hv_int92(void), hv_int93(void);
extern volatile uint8_t hv_soft_hit;

/* "int $0x90+dpl" from kernel mode through a gate of that DPL: reached or #GP? */
static void softint_cases(void)
{
	static void (*const trig[4])(void) = { hv_int90, hv_int91, hv_int92, hv_int93 };
	struct trap_info t[6] = { { 0 } };

	for (unsigned int dpl = 0; dpl < 4; dpl++)
		t[dpl] = (struct trap_info){ .vector = (uint8_t)(0x90 + dpl),
					     .flags = (uint8_t)dpl,
					     .cs = FLAT_KERNEL_CS,
					     .address = (unsigned long)hv_soft_handler };
	t[4] = (struct trap_info){ .vector = 13,
				   .cs = FLAT_KERNEL_CS,
				   .address = (unsigned long)hv_gp_handler };
	gpv_set_trap_table(t);
	for (unsigned int dpl = 0; dpl < 4; dpl++) {
		hv_soft_hit = 0;
		trig[dpl]();
		gpv_printf("SOFTINT %u %u\n", dpl, hv_soft_hit);
	}
	gpv_trap_install(13, 0);
}

/* The iret hypercall with flags @flags and frame RFLAGS @rflags, and where it landed. */
static void iret_case(uint64_t flags, uint64_t rflags)
{
	uint64_t out[8];

	hv_do_iret(out, flags, rflags);
	gpv_printf("IRET %lx %lx %lx %lx", (unsigned long)flags, (unsigned long)rflags,
		   (unsigned long)out[7], (unsigned long)hv_iret_landing);
	for (int i = 0; i < 7; i++)
		gpv_printf(" %lx", (unsigned long)out[i]);
	gpv_printf(" %u\n", gpv_vcpu_info()->evtchn_upcall_mask);
	gpv_vcpu_info()->evtchn_upcall_mask = 1; /* events stay masked */
}

static void show(const char *kind, unsigned long shift, const uint64_t pre[2], uint8_t mask,
		 unsigned long handler, unsigned long rip)
{
	gpv_printf("FRAME %s %lu %lx %lx %u %lx %lx %lx", kind, shift, (unsigned long)pre[0],
		   (unsigned long)pre[1], mask, handler, rip, (unsigned long)hv_frame_addr);
	for (int i = 0; i < 8; i++)
		gpv_printf(" %lx", (unsigned long)hv_frame[i]);
	gpv_printf("\n");
}

int gpv_main(void)
{
	struct trap_info t[3] = {
		{ .vector = 3,
		  .flags = 3,
		  .cs = FLAT_KERNEL_CS,
		  .address = (unsigned long)hv_bp_handler },
		{ .vector = 13,
		  .flags = 0,
		  .cs = FLAT_KERNEL_CS,
		  .address = (unsigned long)hv_gp_handler },
		{ 0 },
	};
	long rc;

	gpv_test_area("hv_bounce_guest");
	rc = gpv_set_trap_table(t);
	gpv_test_eq(rc, 0, "set_trap_table for #BP and #GP");
	for (unsigned long shift = 0; shift < 16; shift += 8) {
		uint64_t pre[2];
		uint8_t mask = gpv_vcpu_info()->evtchn_upcall_mask;

		hv_do_int3(pre, shift);
		show("bp", shift, pre, mask, (unsigned long)hv_bp_handler,
		     (unsigned long)hv_after_int3);
		hv_do_int80(pre, shift);
		show("gp", shift, pre, mask, (unsigned long)hv_gp_handler,
		     (unsigned long)hv_at_int80);
	}
	gpv_trap_install(3, 3);
	gpv_trap_install(13, 0);
	iret_case(0, 0x3046);		/* IOPL 3, IF clear: masks events */
	iret_case(0, 0x3246 | 0x20000); /* IF set (unmasks), VM set */
	iret_case(1u << 8 /* VGCF_in_syscall */, 0x246);
	softint_cases();
	/* update_descriptor of each case into an ordinary page, and what it wrote */
	for (unsigned int i = 0; i < sizeof(hv_desc_cases) / sizeof(hv_desc_cases[0]); i++) {
		static uint64_t scratch[512] __attribute__((aligned(4096)));
		uint64_t maddr = ((uint64_t)gpv_virt_to_mfn(scratch) << 12) + 8 * i;

		scratch[i] = 0x5a5a5a5a5a5a5a5aull;
		rc = gpv_update_descriptor(maddr, hv_desc_cases[i]);
		gpv_printf("DESC %016llx %ld %016llx\n", (unsigned long long)hv_desc_cases[i], rc,
			   (unsigned long long)scratch[i]);
	}
	/* the hypercall page Xen wrote for us, 64 bytes a line */
	for (unsigned int off = 0; off < 4096; off += 64) {
		gpv_printf("HCPAGE %x ", off);
		for (unsigned int i = 0; i < 64; i++)
			gpv_printf("%02x", (uint8_t)gpv_hypercall_page[off + i]);
		gpv_printf("\n");
	}
	return gpv_test_finish();
}
