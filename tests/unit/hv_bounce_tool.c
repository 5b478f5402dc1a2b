// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_bounce_tool < guest-log: for each "FRAME ..." line hv_bounce_guest
 * printed on Xen, compute the frame pv/bounce_frame builds for the same
 * registers, vCPU state, handler and error code, and print PASS when its
 * address and its words are Xen's, FAIL with both otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "pv/bounce_frame.h"

int main(void)
{
	char line[512];
	int n = 0, bad = 0;

	while (fgets(line, sizeof(line), stdin)) {
		unsigned long shift, rsp, rflags, mask, handler, rip, addr, w[8];
		char kind[8];
		struct cpu_user_regs r;
		struct pv_vcpu_mode v = { .kernel_mode = true };
		struct pv_trap_bounce tb = { 0 };
		struct pv_bounce b;
		const char *p = strstr(line, "FRAME ");
		int ok;

		if (!p ||
		    sscanf(p,
			   "FRAME %7s %lu %lx %lx %lu %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx",
			   kind, &shift, &rsp, &rflags, &mask, &handler, &rip, &addr, &w[0], &w[1],
			   &w[2], &w[3], &w[4], &w[5], &w[6], &w[7]) != 16)
			continue;
		n++;
		memset(&r, 0, sizeof(r));
		r.rcx = 0x1111222233334444ull;
		r.r11 = 0x5555666677778888ull;
		r.rip = rip;
		r.cs = 0xe033;
		r.rflags = rflags;
		r.rsp = rsp;
		r.ss = 0xe02b;
		v.upcall_mask = (uint8_t)mask;
		tb.eip = handler;
		if (!strcmp(kind, "gp")) {
			tb.has_error_code = true;
			tb.error_code = (0x80 << 3) | 2; /* what Xen reports for int $0x80 */
		}
		ok = pv_bounce_frame(&r, &v, &tb, &b) == 0 && b.frame_sp == addr;
		for (unsigned int i = 0; ok && i < b.nr_words; i++)
			ok = b.words[i] == w[i];
		if (ok) {
			printf("PASS: %s at rsp %%16 = %lu: frame at %#lx, its %u words as Xen's\n",
			       kind, rsp % 16, addr, b.nr_words);
		} else {
			bad = 1;
			printf("FAIL: %s at rsp %#lx: Xen frame at %#lx, Lamina at %#lx\n", kind,
			       rsp, addr, (unsigned long)b.frame_sp);
			for (int i = 0; i < 8; i++)
				printf("INFO:   word %d: xen %#lx lamina %#lx\n", i, w[i],
				       (unsigned long)b.words[i]);
		}
	}
	if (!n)
		printf("FAIL: no FRAME line from the guest\n");
	return n && !bad ? 0 : 1;
}
