// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenver_tool < guest-log: print what lib/xen_version answers a PV dom0
 * (hardware domain, privileged, VMASST pae_extended_cr3 on as its PAE_MODE
 * note asks) for the sub-ops hv_xenver_guest asks, in its "XENVER cmd rc
 * bytes" format, then which of its MSRs x86_64/lib/msr_policy lets RDMSR read
 * ("MSR idx ok value"), with the guest's CPUID ("HOST" lines of the log) as
 * the host's.
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include <asm/msr_policy.h>
#include <lamina/xen_version.h>

static uint8_t buf[PV_XENVER_MAX_ARG];

struct row {
	uint32_t leaf, sub;
	struct pv_cpuid_leaf r;
};

static struct row rows[64];
static unsigned int nr_rows;

static void from_log(void *arg, uint32_t leaf, uint32_t sub, struct pv_cpuid_leaf *res)
{
	(void)arg;
	for (unsigned int i = 0; i < nr_rows; i++)
		if (rows[i].leaf == leaf && rows[i].sub == sub) {
			*res = rows[i].r;
			return;
		}
	*res = (struct pv_cpuid_leaf){ 0 };
}

/* RDMSR of every MSR the guest tried, in the log's order. */
static void msrs(char lines[][256], unsigned int n)
{
	struct pv_cpuid_ctx c = { .host = from_log, .hardware_domain = true, .kernel_mode = true };
	/* QEMU's boot CPU: APIC enabled at 0xfee00000; no CPUID faulting offered */
	struct pv_msr_ctx m = { .cpuid = &c, .host_efer = 0xd01, .apic_base = 0xfee00900 };
	struct pv_msr_vcpu v = { .kernel_mode = true };
	struct pv_cpuid_leaf l0;

	from_log(NULL, 0, 0, &l0);
	m.intel = l0.b == 0x756e6547;
	m.amd = l0.b == 0x68747541;
	m.host_has_misc_enable = true; /* QEMU has it on every model */
	c.arch_caps = m.intel;	       /* as Xen 4.17.7 on Intel */
	for (unsigned int i = 0; i < n; i++) {
		struct pv_msr_effect e;
		unsigned int idx;
		unsigned long long x;
		uint64_t val = 0;
		int ok;

		if (sscanf(lines[i], "MSR %x", &idx) == 1) {
			ok = pv_msr_read(&m, &v, idx, &val) == 0;
			printf("MSR %08x %d %016llx\n", idx, ok, (unsigned long long)val);
		} else if (sscanf(lines[i], "WRMSR %x %llx", &idx, &x) == 2) {
			pv_msr_read(&m, &v, idx, &val);
			ok = pv_msr_write(&m, &v, idx, val ^ x, &e) == 0;
			printf("WRMSR %08x %016llx %d\n", idx, x, ok);
		}
	}
}

static void op(const struct pv_xenver_info *info, unsigned int cmd, unsigned int n, uint32_t submap)
{
	size_t out;
	long rc;

	memset(buf, 0xaa, sizeof(buf));
	((struct xen_feature_info *)buf)->submap_idx = submap;
	rc = pv_xen_version(info, cmd, false, buf, sizeof(buf), &out);
	printf("XENVER %u %ld ", cmd, rc);
	for (unsigned int i = 0; i < n; i++)
		printf("%02x", buf[i]);
	printf("\n");
}

int main(void)
{
	static char lines[64][256];
	unsigned int nr_msr = 0;
	char line[256];

	while (fgets(line, sizeof(line), stdin)) {
		const char *p;
		struct row *w = &rows[nr_rows];

		if (((p = strstr(line, "MSR ")) == line || (p = strstr(line, "WRMSR ")) == line) &&
		    nr_msr < 64)
			snprintf(lines[nr_msr++], sizeof(lines[0]), "%s", p);
		else if ((p = strstr(line, "HOST ")) == line && nr_rows < 64 &&
			 sscanf(p, "HOST %x %x %x %x %x %x", &w->leaf, &w->sub, &w->r.a, &w->r.b,
				&w->r.c, &w->r.d) == 6)
			nr_rows++;
	}
	static const struct pv_xenver_info dom0 = {
		.extraversion = PV_XEN_EXTRAVERSION,
		.privileged = true,
		.hardware_domain = true,
		.pae_extended_cr3 = true,
	};

	op(&dom0, XENVER_version, 0, 0);
	op(&dom0, XENVER_capabilities, sizeof(xen_capabilities_info_t), 0);
	op(&dom0, XENVER_platform_parameters, sizeof(struct xen_platform_parameters), 0);
	op(&dom0, XENVER_get_features, sizeof(struct xen_feature_info), 0);
	op(&dom0, XENVER_get_features, sizeof(struct xen_feature_info), 1);
	op(&dom0, XENVER_pagesize, 0, 0);
	printf("XENVER %u %ld \n", XENVER_pagesize,
	       pv_xen_version(&dom0, XENVER_pagesize, true, buf, sizeof(buf), &(size_t){ 0 }));
	op(&dom0, XENVER_guest_handle, sizeof(xen_domain_handle_t), 0);
	op(&dom0, 11, 0, 0);
	op(&dom0, 0x7fffffff, 0, 0);
	msrs(lines, nr_msr);
	return 0;
}
