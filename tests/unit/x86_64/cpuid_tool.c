// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpuid_tool < host-dump: read the "HOST leaf sub a b c d" lines of the
 * bare dumper as the host's CPUID, and print what x86_64/lib/cpuid_policy shows a
 * PV dom0 for every leaf of hv_cpuid_leaves.h, as "LAMINA ..." lines.
 */
#include <stdio.h>
#include <string.h>

#include <asm/cpuid_policy.h>
#include "cpuid_leaves.h"

#define MAX_ROWS 512

struct row {
	unsigned int leaf, sub;
	struct pv_cpuid_leaf r;
};

static struct row rows[MAX_ROWS];
static unsigned int nr_rows;
static struct pv_cpuid_ctx ctx;

static void from_table(void *arg, uint32_t leaf, uint32_t sub, struct pv_cpuid_leaf *res)
{
	(void)arg;
	for (unsigned int i = 0; i < nr_rows; i++)
		if (rows[i].leaf == leaf && rows[i].sub == sub) {
			*res = rows[i].r;
			return;
		}
	*res = (struct pv_cpuid_leaf){ 0 };
}

static void show(uint32_t leaf, uint32_t sub)
{
	struct pv_cpuid_leaf r;

	pv_cpuid(&ctx, leaf, sub, &r);
	printf("LAMINA %08x %08x %08x %08x %08x %08x\n", leaf, sub, r.a, r.b, r.c, r.d);
}

int main(void)
{
	char line[256];

	while (fgets(line, sizeof(line), stdin) && nr_rows < MAX_ROWS) {
		struct row *w = &rows[nr_rows];
		const char *p = strstr(line, "HOST ");

		if (p && sscanf(p, "HOST %x %x %x %x %x %x", &w->leaf, &w->sub, &w->r.a, &w->r.b,
				&w->r.c, &w->r.d) == 6)
			nr_rows++;
	}
	if (nr_rows == 0) {
		fprintf(stderr, "cpuid_tool: no HOST lines\n");
		return 1;
	}
	ctx.host = from_table;
	ctx.hardware_domain = true;
	/*
	 * The dump is the forced CPUID of a dom0 kernel; Xen runs with XSAVE on
	 * when it can, and synthesizes ARCH_CAPS on Intel hosts.
	 */
	ctx.kernel_mode = true;
	ctx.enlightened = true;
	for (unsigned int i = 0; i < nr_rows; i++) {
		struct row *w = &rows[i];

		if (w->leaf == 1 && w->sub == 0)
			ctx.host_osxsave = (w->r.c >> 26) & 1;
		if (w->leaf == 0 && w->sub == 0)
			ctx.arch_caps = w->r.b == 0x756e6547; /* GenuineIntel */
	}
	/*
	 * Xen 4.17.7 hides AVX when virtualised on an Intel CPU without GDS_NO
	 * ("Mitigating GDS by disabling AVX while virtualised"): QEMU's CPU
	 * says HYPERVISOR and has no ARCH_CAPS, so GDS_NO is absent.
	 */
	for (unsigned int i = 0; i < nr_rows; i++)
		if (ctx.arch_caps && rows[i].leaf == 1 && rows[i].sub == 0)
			ctx.hide_avx = (rows[i].r.c >> 28 & 1) && (rows[i].r.c >> 31 & 1);
	/*
	 * The bare dumper runs in 32-bit mode, where an Intel CPU (and QEMU's
	 * model of one) clears SYSCALL in 0x80000001 EDX; Xen reads it in long
	 * mode. Put it back when the CPU has long mode.
	 */
	for (unsigned int i = 0; i < nr_rows; i++)
		if (ctx.arch_caps && rows[i].leaf == 0x80000001u && (rows[i].r.d >> 29 & 1))
			rows[i].r.d |= 1u << 11;
	HV_CPUID_FOR_EACH(show);
	return 0;
}
