// SPDX-License-Identifier: GPL-2.0-only
/*
 * bounce_tool < guest-log: for each "FRAME ..." line hv_bounce_guest
 * printed on Xen, compute the frame x86_64/lib/bounce_frame builds for the same
 * registers, vCPU state, handler and error code, and print PASS when its
 * address and its words are Xen's, FAIL with both otherwise.
 */
#include <stdio.h>
#include <string.h>

#include <asm/bounce_frame.h>
#include <asm/descriptor.h>
#include <asm/hypercall_page.h>

static uint8_t xen_page[PV_HYPERCALL_PAGE_SIZE];
static unsigned int page_bytes;

/* One "HCPAGE off hex" line into xen_page. */
static void take_page_line(const char *line)
{
	unsigned int off, i, b;
	const char *hex;

	if (sscanf(line, "HCPAGE %x", &off) != 1 || off + 64 > sizeof(xen_page))
		return;
	hex = strchr(line + 7, ' ');
	for (i = 0; hex && i < 64 && sscanf(hex + 1 + 2 * i, "%2x", &b) == 1; i++)
		xen_page[off + i] = (uint8_t)b;
	page_bytes += i;
}

/* One "DESC in rc written" line: pv_check_descriptor's verdict against Xen's. */
static int check_desc(const char *line)
{
	unsigned long long in, written, mine;
	long rc;
	bool ok;

	if (sscanf(line, "DESC %llx %ld %llx", &in, &rc, &written) != 3) {
		printf("FAIL: unreadable DESC line\n");
		return 1;
	}
	mine = in;
	ok = pv_check_descriptor((uint64_t *)&mine);
	if ((ok && rc == 0 && mine == written) ||
	    (!ok && rc == -22 && written == 0x5a5a5a5a5a5a5a5aull)) {
		printf("PASS: descriptor %016llx: %s as Xen 4.17%s\n", in,
		       ok ? "accepted" : "refused", ok && mine != in ? ", fixed up" : "");
		return 0;
	}
	printf("FAIL: descriptor %016llx: Xen rc %ld wrote %016llx; Lamina %s %016llx\n", in, rc,
	       written, ok ? "accepts" : "refuses", mine);
	return 1;
}

static int check_page(void)
{
	uint8_t mine[PV_HYPERCALL_PAGE_SIZE];
	unsigned int i;

	pv_hypercall_page_fill(mine);
	if (page_bytes != sizeof(xen_page)) {
		printf("FAIL: hypercall page: %u of 4096 bytes from the guest\n", page_bytes);
		return 1;
	}
	for (i = 0; i < sizeof(mine); i++)
		if (mine[i] != xen_page[i]) {
			printf("FAIL: hypercall page differs from Xen's at byte %#x (xen %02x, "
			       "lamina %02x)\n",
			       i, xen_page[i], mine[i]);
			return 1;
		}
	printf("PASS: hypercall page: all 4096 bytes as Xen 4.17 writes them\n");
	return 0;
}

/* One "IRET ..." line: what pv_iret says the guest lands with, against Xen. */
static int check_iret(const char *line)
{
	unsigned long flags, rflags, rsp, rip, o[7], mask;
	struct cpu_user_regs r;
	struct pv_vcpu_mode v = { .kernel_mode = true, .upcall_mask = 1 };
	struct iret_context c;
	struct pv_iret out;
	int ok;

	if (sscanf(line, "IRET %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx %lx %lu", &flags, &rflags,
		   &rsp, &rip, &o[0], &o[1], &o[2], &o[3], &o[4], &o[5], &o[6], &mask) != 12) {
		printf("FAIL: unreadable IRET line\n");
		return 1;
	}
	memset(&r, 0, sizeof(r));
	c = (struct iret_context){ .rax = 0x7777,
				   .r11 = 0xdddd,
				   .rcx = 0xcccc,
				   .flags = flags,
				   .rip = rip,
				   .cs = 0xe030,
				   .rflags = rflags,
				   .rsp = rsp,
				   .ss = 0xe028 };
	ok = pv_iret(&r, &v, &c, &out) == 0 && out.rax == o[0] && out.regs.rcx == o[1] &&
	     out.regs.r11 == o[2] && out.regs.rflags == o[3] && out.regs.rsp == o[4] &&
	     out.regs.cs == o[5] && out.regs.ss == o[6] && out.upcall_mask == mask;
	if (ok) {
		printf("PASS: iret flags %#lx rflags %#lx: lands as on Xen (rflags %#lx, mask "
		       "%lu)\n",
		       flags, rflags, o[3], mask);
		return 0;
	}
	printf("FAIL: iret flags %#lx rflags %#lx: Xen rax %#lx rcx %#lx r11 %#lx rflags %#lx "
	       "rsp %#lx cs %#lx ss %#lx mask %lu; Lamina %#lx %#lx %#lx %#lx %#lx %#x %#x %u\n",
	       flags, rflags, o[0], o[1], o[2], o[3], o[4], o[5], o[6], mask,
	       (unsigned long)out.rax, (unsigned long)out.regs.rcx, (unsigned long)out.regs.r11,
	       (unsigned long)out.regs.rflags, (unsigned long)out.regs.rsp, out.regs.cs,
	       out.regs.ss, out.upcall_mask);
	return 1;
}

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

		if (strstr(line, "SOFTINT ") == line) {
			unsigned int dpl, hit;

			if (sscanf(line, "SOFTINT %u %u", &dpl, &hit) == 2 &&
			    pv_softint_permitted((uint8_t)dpl, true) == (hit != 0)) {
				printf("PASS: int $n from kernel through a DPL %u gate: %s, as "
				       "Xen\n",
				       dpl, hit ? "delivered" : "#GP");
			} else {
				printf("FAIL: int $n through a DPL %u gate: Xen %s\n", dpl,
				       hit ? "delivered" : "#GP");
				bad = 1;
			}
			continue;
		}
		if (strstr(line, "DESC ") == line) {
			bad |= check_desc(line);
			continue;
		}
		if (strstr(line, "HCPAGE ") == line) {
			take_page_line(line);
			continue;
		}
		if (strstr(line, "IRET ") == line) {
			bad |= check_iret(line);
			n++;
			continue;
		}
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
		printf("FAIL: no FRAME or IRET line from the guest\n");
	bad |= check_page();
	return n && !bad ? 0 : 1;
}
