// SPDX-License-Identifier: MIT
/*
 * domctl: a toolstack in a dom0 kernel. With domctl, sysctl, memory_op and
 * foreign mmu_update it creates a PV domU, gives it memory and limits,
 * builds it (page tables, code, a console ring), gives its vCPU a context,
 * starts it, reads what the domU wrote into its console ring through a
 * foreign mapping, and destroys it; and it tries every error path Xen 4.17
 * has on the way (interface versions, unknown and reserved domains, self,
 * bad pointers, bad configurations and vCPU contexts, double destroy). The
 * domU itself calls domctl and sysctl unprivileged. Every answer is the one
 * real Xen gives.
 *
 * The domU's memory (pfn = its virtual page):
 *   0 L4  1 L3  2 L2  3 L1 (read-only)  4 code (domctl-guest.S)  5 stack
 *   6 console ring (struct xencons_interface)  7 its domctl/sysctl requests
 *   (0x7000, 0x7400, 0x7800, pausedomain 0x7c00, remote_shutdown 0x7e00) and
 *   their answers (0x7f00, 0x7f08, 0x7f10, 0x7f18, 0x7f20)
 */
#include "domctl-lib.h"
#include <gpv/hypercall.h>
#include <gpv/mm.h>
#include <gpv/test.h>
#include <gpv/time.h>
#include <xen/domctl.h>
#include <xen/io/console.h>
#include <xen/sysctl.h>

#define P DC_P
#define RW DC_RW
#define US DC_US
#define AD DC_AD
#define BAD_PTR 0xffff800000000000UL /* the hypervisor's range: -EFAULT */
#define NR_PAGES 8
#define DOMU_CODE 0x4000UL
#define DOMU_STACK_TOP 0x6000UL
#define SECOND_DOMID 77

extern const char domu_code_start[], domu_code_end[];

#define scratch dc_scratch
static unsigned long domu_mfn[NR_PAGES];
static bool on_lamina;

static void check_sysctl(void)
{
	struct xen_sysctl op;
	struct xen_domctl_getdomaininfo list[4];
	uint8_t map[8] = { 0 };
	struct xen_sysctl_cputopo topo[2];
	struct xen_sysctl_meminfo mi = { 0 };
	uint32_t dist = 0, ncpus;

	gpv_test_area("sysctl");
	dc_sinit(&op, XEN_SYSCTL_physinfo);
	gpv_test_eq(dc_sysctl(&op), 0, "physinfo");
	gpv_test_check(op.u.physinfo.nr_cpus >= 1 &&
			       op.u.physinfo.max_cpu_id + 1 >= op.u.physinfo.nr_cpus,
		       "physinfo: nr_cpus and max_cpu_id");
	gpv_test_check(op.u.physinfo.total_pages > 0 &&
			       op.u.physinfo.free_pages <= op.u.physinfo.total_pages,
		       "physinfo: total and free pages");
	gpv_test_check(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_pv,
		       "physinfo: PV capability");
	gpv_test_check(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1,
		       "physinfo: grant tables v1");
	gpv_test_check(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2,
		       "physinfo: grant tables v2");
	gpv_test_eq(op.u.physinfo.nr_nodes, 1, "physinfo: one node");
	gpv_test_eq(op.u.physinfo.max_node_id, 63, "physinfo: max_node_id 63");
	gpv_test_check(op.u.physinfo.hw_cap[0] & 1, "physinfo: hw_cap has the FPU bit");
	gpv_test_info("physinfo: %u cpus, %u threads/core, %u cores/socket, %lu pages (%lu free), "
		      "%u kHz, caps %#x",
		      op.u.physinfo.nr_cpus, op.u.physinfo.threads_per_core,
		      op.u.physinfo.cores_per_socket, (unsigned long)op.u.physinfo.total_pages,
		      (unsigned long)op.u.physinfo.free_pages, op.u.physinfo.cpu_khz,
		      op.u.physinfo.capabilities);
	ncpus = op.u.physinfo.nr_cpus;
	dc_sinit(&op, XEN_SYSCTL_physinfo);
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1;
	gpv_test_eq(dc_sysctl(&op), -XEN_EACCES, "interface version 0x14: -EACCES");
	gpv_test_eq(dc_sysctl((void *)BAD_PTR), -XEN_EFAULT, "request at a bad address: -EFAULT");
	dc_sinit(&op, 0xfff);
	gpv_test_eq(dc_sysctl(&op), -XEN_ENOSYS, "unknown sub-op: -ENOSYS");
	dc_sinit(&op, XEN_SYSCTL_cputopoinfo);
	gpv_test_eq(dc_sysctl(&op), 0, "cputopoinfo without a buffer");
	gpv_test_eq(op.u.cputopoinfo.num_cpus, ncpus, "cputopoinfo: one entry per CPU");
	set_xen_guest_handle(op.u.cputopoinfo.cputopo, topo);
	op.u.cputopoinfo.num_cpus = 1;
	gpv_test_eq(dc_sysctl(&op), 0, "cputopoinfo of CPU 0");
	/* Xen leaves the core unknown (~0) where CPUID reports no topology (QEMU's model). */
	gpv_test_checkf((topo[0].core == 0 || topo[0].core == XEN_INVALID_CORE_ID) &&
				topo[0].socket == 0 && topo[0].node == 0,
			"CPU 0: core 0 (or unknown), socket 0, node 0", "core %u socket %u node %u",
			topo[0].core, topo[0].socket, topo[0].node);
	dc_sinit(&op, XEN_SYSCTL_numainfo);
	gpv_test_eq(dc_sysctl(&op), 0, "numainfo without buffers");
	gpv_test_eq(op.u.numainfo.num_nodes, 1, "numainfo: one node");
	set_xen_guest_handle(op.u.numainfo.meminfo, &mi);
	set_xen_guest_handle(op.u.numainfo.distance, &dist);
	gpv_test_eq(dc_sysctl(&op), 0, "numainfo of node 0");
	gpv_test_check(mi.memsize > 0 && mi.memfree <= mi.memsize, "node 0: size and free memory");
	gpv_test_eq(dist, 10, "node 0: distance 10 to itself");
	dc_sinit(&op, XEN_SYSCTL_sched_id);
	gpv_test_eq(dc_sysctl(&op), 0, "sched_id");
	gpv_test_eq(op.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT2, "sched_id: credit2");
	dc_sinit(&op, XEN_SYSCTL_getdomaininfolist);
	op.u.getdomaininfolist.max_domains = 4;
	set_xen_guest_handle(op.u.getdomaininfolist.buffer, list);
	gpv_test_eq(dc_sysctl(&op), 0, "getdomaininfolist");
	gpv_test_eq(op.u.getdomaininfolist.num_domains, 1, "getdomaininfolist: dom0 alone");
	gpv_test_eq(list[0].domain, 0, "getdomaininfolist: first is dom0");
	set_xen_guest_handle(op.u.getdomaininfolist.buffer, (void *)BAD_PTR);
	gpv_test_eq(dc_sysctl(&op), -XEN_EFAULT, "getdomaininfolist to a bad buffer: -EFAULT");
	dc_sinit(&op, XEN_SYSCTL_cpupool_op);
	op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
	set_xen_guest_handle(op.u.cpupool_op.cpumap.bitmap, map);
	op.u.cpupool_op.cpumap.nr_bits = 64;
	gpv_test_eq(dc_sysctl(&op), 0, "cpupool info of pool 0");
	gpv_test_eq(op.u.cpupool_op.sched_id, XEN_SCHEDULER_CREDIT2, "cpupool 0: credit2");
	gpv_test_eq(op.u.cpupool_op.n_dom, 1, "cpupool 0: one domain");
	gpv_test_check(map[0] & 1, "cpupool 0: has CPU 0");
	op.u.cpupool_op.cpupool_id = 1;
	gpv_test_eq(dc_sysctl(&op), -XEN_ENOENT, "cpupool info after the last pool: -ENOENT");
}

static char cbuf[16384];

/* One readconsole into cbuf: rc; *count and *index what came back. */
static long readcons(bool incremental, bool clear, uint32_t *index, uint32_t *count)
{
	struct xen_sysctl op;
	long rc;

	dc_sinit(&op, XEN_SYSCTL_readconsole);
	set_xen_guest_handle(op.u.readconsole.buffer, cbuf);
	op.u.readconsole.count = *count;
	op.u.readconsole.incremental = incremental;
	op.u.readconsole.clear = clear;
	op.u.readconsole.index = *index;
	rc = dc_sysctl(&op);
	*count = op.u.readconsole.count;
	*index = op.u.readconsole.index;
	return rc;
}

/* The console ring: the hypervisor's own lines, read whole, incrementally, cleared. */
static void check_readconsole(void)
{
	struct xen_sysctl op;
	uint32_t index = 0, count = sizeof(cbuf) - 1, last;
	unsigned int reads = 0;

	gpv_test_area("readconsole");
	gpv_test_eq(readcons(false, false, &index, &count), 0, "readconsole from the oldest line");
	cbuf[count] = 0;
	gpv_test_check(count > 0, "the ring holds the boot's lines");
	gpv_test_check(strstr(cbuf, on_lamina ? "(LAMINA) " : "(XEN) ") == cbuf,
		       "it starts with the hypervisor's line prefix");
	do {
		count = sizeof(cbuf) - 1;
		last = index;
		readcons(true, false, &index, &count);
	} while (count && ++reads < 64);
	gpv_test_check(count == 0 && index == last, "incremental reads reach the newest line");
	dc_sinit(&op, XEN_SYSCTL_readconsole);
	op.u.readconsole.count = 8;
	set_xen_guest_handle(op.u.readconsole.buffer, (void *)BAD_PTR);
	gpv_test_eq(dc_sysctl(&op), -XEN_EFAULT, "readconsole to a bad buffer: -EFAULT");
	reads = 0;
	do {
		count = sizeof(cbuf) - 1;
		readcons(false, true, &index, &count);
	} while (count && ++reads < 64);
	count = sizeof(cbuf) - 1;
	gpv_test_eq(readcons(false, false, &index, &count), 0, "readconsole after clearing");
	gpv_test_eq(count, 0, "the ring is empty");
}

static void check_domctl_basics(void)
{
	struct xen_domctl op;
	struct xen_domctl_getdomaininfo di;
	shared_info_t *si = gpv_shared_info;
	uint8_t hard[2] = { 0, 0xff }, soft[2] = { 0, 0xff };

	gpv_test_area("domctl");
	dc_dinit(&op, XEN_DOMCTL_getdomaininfo, 0);
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION + 1;
	gpv_test_eq(dc_domctl(&op), -XEN_EACCES, "interface version 0x16: -EACCES");
	gpv_test_eq(dc_domctl((void *)BAD_PTR), -XEN_EFAULT, "request at a bad address: -EFAULT");
	gpv_test_eq(dc_info(0, &di), 0, "getdomaininfo of dom0");
	gpv_test_eq(di.domain, 0, "dom0: domain 0");
	gpv_test_check(di.flags & XEN_DOMINF_running, "dom0: running");
	gpv_test_check(!(di.flags & (XEN_DOMINF_paused | XEN_DOMINF_shutdown | XEN_DOMINF_dying)),
		       "dom0: not paused, shut down or dying");
	gpv_test_eq(di.flags >> XEN_DOMINF_shutdownshift, 0xffff, "dom0: no shutdown code (~0)");
	gpv_test_check(di.nr_online_vcpus >= 1, "dom0: a vCPU online");
	gpv_test_eq((long)di.tot_pages, (long)gpv_start_info->nr_pages, "dom0: tot_pages");
	gpv_test_eq((long)di.shared_info_frame, (long)(gpv_start_info->shared_info >> 12),
		    "dom0: shared_info_frame");
	(void)si;
	gpv_test_eq(dc_info(DOMID_FIRST_RESERVED, &di), -XEN_EINVAL,
		    "getdomaininfo of a reserved id: -EINVAL");
	gpv_test_eq(dc_info(0x7000, &di), -XEN_ESRCH,
		    "getdomaininfo with no domain at or above: -ESRCH");
	gpv_test_eq(dc_simple(XEN_DOMCTL_pausedomain, 0x7000), -XEN_ESRCH,
		    "pause an unknown domain: -ESRCH");
	gpv_test_eq(dc_simple(XEN_DOMCTL_pausedomain, DOMID_SELF), -XEN_ESRCH,
		    "DOMID_SELF names no domain for domctl: -ESRCH");
	gpv_test_eq(dc_simple(XEN_DOMCTL_pausedomain, 0), -XEN_EINVAL, "pause of self: -EINVAL");
	gpv_test_eq(dc_simple(XEN_DOMCTL_unpausedomain, 0), -XEN_EINVAL,
		    "unpause of a domain the toolstack never paused: -EINVAL");
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, 0), -XEN_EINVAL,
		    "destroy of self: -EINVAL");
	gpv_test_eq(dc_simple(0xfff, 0), -XEN_ENOSYS, "unknown sub-op: -ENOSYS");
	dc_dinit(&op, XEN_DOMCTL_getvcpuaffinity, 0);
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;
	set_xen_guest_handle(op.u.vcpuaffinity.cpumap_hard.bitmap, hard);
	set_xen_guest_handle(op.u.vcpuaffinity.cpumap_soft.bitmap, soft);
	op.u.vcpuaffinity.cpumap_hard.nr_bits = op.u.vcpuaffinity.cpumap_soft.nr_bits = 16;
	gpv_test_eq(dc_domctl(&op), 0, "getvcpuaffinity of dom0's vCPU 0");
	gpv_test_check((hard[0] & 1) && (soft[0] & 1) && !hard[1] && !soft[1],
		       "hard and soft affinity: CPU 0, no CPU past the online ones");
	op.u.vcpuaffinity.flags = 0;
	gpv_test_eq(dc_domctl(&op), -XEN_EINVAL, "getvcpuaffinity without hard or soft: -EINVAL");
	op.u.vcpuaffinity.vcpu = 4096;
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	gpv_test_eq(dc_domctl(&op), -XEN_EINVAL, "getvcpuaffinity of vCPU 4096: -EINVAL");
	dc_dinit(&op, XEN_DOMCTL_get_address_size, 0);
	gpv_test_eq(dc_domctl(&op), 0, "get_address_size of dom0");
	gpv_test_eq(op.u.address_size.size, 64, "dom0 is 64-bit");
}

/* XEN_SYSCTL_scheduler_op (`xl sched-credit2` without -d, and -s): pool 0's rate limit. */
static long sched_global(uint32_t pool, uint32_t sched_id, uint32_t cmd, uint32_t *ratelimit)
{
	struct xen_sysctl op;
	long rc;

	dc_sinit(&op, XEN_SYSCTL_scheduler_op);
	op.u.scheduler_op.cpupool_id = pool;
	op.u.scheduler_op.sched_id = sched_id;
	op.u.scheduler_op.cmd = cmd;
	op.u.scheduler_op.u.sched_credit2.ratelimit_us = *ratelimit;
	rc = dc_sysctl(&op);
	*ratelimit = op.u.scheduler_op.u.sched_credit2.ratelimit_us;
	return rc;
}

static void check_sysctl_scheduler_op(void)
{
	const uint32_t c2 = XEN_SCHEDULER_CREDIT2, get = XEN_SYSCTL_SCHEDOP_getinfo,
		       put = XEN_SYSCTL_SCHEDOP_putinfo;
	uint32_t rl = 7;

	gpv_test_area("sysctl scheduler_op");
	gpv_test_eq(sched_global(0, c2, get, &rl), 0, "credit2 getinfo of pool 0");
	/* Xen's credit2 limits at 1000 us by default; Lamina's has no limit (0: disabled). */
	gpv_test_eq(rl, on_lamina ? 0 : 1000, "ratelimit: Xen 1000 us, Lamina 0 (none)");
	rl = 50;
	gpv_test_eq(sched_global(0, c2, put, &rl), -XEN_EINVAL, "ratelimit 50 us (< 100): -EINVAL");
	rl = 500001;
	gpv_test_eq(sched_global(0, c2, put, &rl), -XEN_EINVAL,
		    "ratelimit 500001 us (> 500000): -EINVAL");
	rl = 0;
	gpv_test_eq(sched_global(0, c2, 7, &rl), -XEN_EINVAL, "an unknown command: -EINVAL");
	gpv_test_eq(sched_global(5, c2, get, &rl), -XEN_ESRCH, "pool 5 (none): -ESRCH");
	gpv_test_eq(sched_global(0, XEN_SCHEDULER_CREDIT, get, &rl), -XEN_EINVAL,
		    "credit1's id for a credit2 pool: -EINVAL");
	rl = 2000;
	gpv_test_eq(sched_global(0, c2, put, &rl), on_lamina ? -XEN_EOPNOTSUPP : 0,
		    "ratelimit 2000 us: Xen sets it, Lamina -EOPNOTSUPP (it has no limit)");
	rl = 0;
	gpv_test_eq(sched_global(0, c2, put, &rl), 0, "ratelimit 0 (disabled)");
	gpv_test_eq(rl, 0, "putinfo answers the new value");
	rl = 7;
	gpv_test_eq(sched_global(0, c2, get, &rl), 0, "getinfo again");
	gpv_test_eq(rl, 0, "rate limiting is off");
	rl = 1000;
	if (!on_lamina)
		sched_global(0, c2, put, &rl); /* Xen's default back */
}

static long vcpuinfo(domid_t dom, uint32_t vcpu, struct xen_domctl_getvcpuinfo *out)
{
	struct xen_domctl op;
	long rc;

	dc_dinit(&op, XEN_DOMCTL_getvcpuinfo, dom);
	op.u.getvcpuinfo.vcpu = vcpu;
	rc = dc_domctl(&op);
	*out = op.u.getvcpuinfo;
	return rc;
}

/* What `xl vcpu-list` and `xl mem-max 0` send about dom0 itself. */
static void check_dom0_toolstack(void)
{
	struct xen_domctl_getvcpuinfo vi;
	struct xen_domctl_getdomaininfo di;
	struct xen_domctl op;
	uint64_t max0;
	uint16_t w = 0, c = 0;

	gpv_test_area("vcpu-list, mem-max, sched-credit2 of dom0");
	gpv_test_eq(vcpuinfo(0, 0, &vi), 0, "getvcpuinfo of dom0's vCPU 0");
	gpv_test_check(vi.online && vi.running && !vi.blocked && vi.cpu == 0,
		       "online, running (it is the caller), not blocked, on CPU 0");
	gpv_test_check(vi.cpu_time > 0, "it has run (cpu_time > 0)");
	gpv_test_eq(vcpuinfo(0, 4096, &vi), -XEN_EINVAL, "vCPU 4096: -EINVAL");
	gpv_test_eq(vcpuinfo(0x7000, 0, &vi), -XEN_ESRCH, "an unknown domain: -ESRCH");
	gpv_test_eq(dc_info(0, &di), 0, "getdomaininfo of dom0");
	max0 = di.max_pages;
	dc_dinit(&op, XEN_DOMCTL_max_mem, 0);
	op.u.max_mem.max_memkb = (di.tot_pages + 256) * 4;
	gpv_test_eq(dc_domctl(&op), 0, "max_mem of dom0 itself (xl mem-max 0)");
	gpv_test_eq(dc_info(0, &di), 0, "getdomaininfo");
	gpv_test_eq((long)(di.max_pages - di.tot_pages), 256, "max_pages is tot_pages + 256");
	op.u.max_mem.max_memkb = max0 * 4;
	gpv_test_eq(dc_domctl(&op), 0, "max_mem back");
	gpv_test_eq(dc_info(0, &di), 0, "getdomaininfo");
	gpv_test_eq((long)di.max_pages, (long)max0, "max_pages as before");
	dc_dinit(&op, XEN_DOMCTL_max_mem, 0x7000);
	gpv_test_eq(dc_domctl(&op), -XEN_ESRCH, "max_mem of an unknown domain: -ESRCH");
	gpv_test_eq(dc_simple(XEN_DOMCTL_unpausedomain, 0x7000), -XEN_ESRCH,
		    "unpause an unknown domain: -ESRCH");
	dc_dinit(&op, XEN_DOMCTL_scheduler_op, 0);
	op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
	op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	gpv_test_eq(dc_domctl(&op), 0, "credit2 getinfo of dom0");
	w = op.u.scheduler_op.u.credit2.weight;
	c = op.u.scheduler_op.u.credit2.cap;
	gpv_test_check(w == 256 && c == 0, "dom0: weight 256, no cap");
	op.domain = 0x7000;
	gpv_test_eq(dc_domctl(&op), -XEN_ESRCH, "scheduler_op of an unknown domain: -ESRCH");
}

static bool has_hvm(void)
{
	struct xen_sysctl op;

	dc_sinit(&op, XEN_SYSCTL_physinfo);
	return !dc_sysctl(&op) && (op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_hvm);
}

static void check_bad_configs(void)
{
	static const struct {
		const char *name;
		uint32_t flags, emu, grant_opts, max_vcpus;
		int32_t gframes;
		long want;
	} bad[] = {
		{ "an unknown flag: -EINVAL", 1U << 30, 0, 1, 1, 4, -XEN_EINVAL },
		{ "HAP without HVM: -EINVAL", XEN_DOMCTL_CDF_hap, 0, 1, 1, 4, -XEN_EINVAL },
		{ "no vCPUs: -EINVAL", 0, 0, 1, 0, 4, -XEN_EINVAL },
		{ "grant table version 0: -EINVAL", 0, 0, 0, 1, 4, -XEN_EINVAL },
		{ "unknown grant options: -EINVAL", 0, 0, 0x101, 1, 4, -XEN_EINVAL },
		{ "grant table version 3: -EINVAL", 0, 0, 3, 1, 4, -XEN_EINVAL },
		{ "no grant frames: -EINVAL", 0, 0, 1, 1, 0, -XEN_EINVAL },
		{ "100000 grant frames: -EINVAL", 0, 0, 1, 1, 100000, -XEN_EINVAL },
		{ "a LAPIC for PV: -EOPNOTSUPP", 0, XEN_X86_EMU_LAPIC, 1, 1, 4, -XEN_EOPNOTSUPP },
		{ "unknown emulators: -EINVAL", 0, 1U << 20, 1, 1, 4, -XEN_EINVAL },
	};
	struct xen_domctl op;

	gpv_test_area("createdomain");
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dc_cfg(&op, 0);
		op.u.createdomain.flags = bad[i].flags;
		op.u.createdomain.arch.emulation_flags = bad[i].emu;
		op.u.createdomain.grant_opts = bad[i].grant_opts;
		op.u.createdomain.max_vcpus = bad[i].max_vcpus;
		op.u.createdomain.max_grant_frames = bad[i].gframes;
		gpv_test_eq(dc_domctl(&op), bad[i].want, bad[i].name);
	}
	/* HVM: -EINVAL where the machine has none, else no emulators is -EOPNOTSUPP. */
	dc_cfg(&op, 0);
	op.u.createdomain.flags = XEN_DOMCTL_CDF_hvm;
	gpv_test_eq(dc_domctl(&op), has_hvm() ? -XEN_EOPNOTSUPP : -XEN_EINVAL,
		    "HVM without emulators: -EINVAL (no HVM) or -EOPNOTSUPP");
	dc_cfg(&op, DOMID_FIRST_RESERVED - 1);
	gpv_test_eq(dc_domctl(&op), 0, "requested id 0x7fef");
	gpv_test_eq(op.domain, DOMID_FIRST_RESERVED - 1, "got id 0x7fef");
	dc_cfg(&op, DOMID_FIRST_RESERVED - 1);
	gpv_test_eq(dc_domctl(&op), -XEN_EEXIST, "the same id again: -EEXIST");
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, DOMID_FIRST_RESERVED - 1), 0, "destroy it");
}

/* Creates the domU: its id, or -1. */
static long create_domu(void)
{
	struct xen_domctl op;
	struct xen_domctl_getdomaininfo di;
	long rc;

	gpv_test_area("createdomain");
	dc_cfg(&op, 0);
	rc = dc_domctl(&op);
	gpv_test_eq(rc, 0, "a PV domU, 1 vCPU, id chosen by the hypervisor");
	if (rc)
		return -1;
	gpv_test_check(op.domain > 0 && op.domain < DOMID_FIRST_RESERVED, "a domU id");
	gpv_test_check(op.u.createdomain.flags & XEN_DOMCTL_CDF_oos_off,
		       "flags come back with oos_off (meaningless for PV)");
	gpv_test_eq(dc_info(op.domain, &di), 0, "getdomaininfo of the new domain");
	gpv_test_eq(di.flags, XEN_DOMINF_paused | 0xffffU << XEN_DOMINF_shutdownshift,
		    "new domain: paused by the toolstack, nothing else");
	gpv_test_eq(di.nr_online_vcpus, 0, "new domain: no vCPU online");
	gpv_test_eq(di.max_vcpu_id, XEN_INVALID_MAX_VCPU_ID,
		    "new domain: no vCPU before max_vcpus");
	{
		struct xen_domctl_getvcpuinfo vi;

		gpv_test_eq(vcpuinfo(op.domain, 0, &vi), -XEN_ESRCH,
			    "getvcpuinfo before max_vcpus made it: -ESRCH");
	}
	gpv_test_eq((long)di.tot_pages, 0, "new domain: no pages");
	gpv_test_eq((long)di.max_pages, 0, "new domain: max_pages 0");
	gpv_test_check(di.shared_info_frame != 0, "new domain: a shared_info frame");
	gpv_test_eq(di.cpupool, 0, "new domain: in cpupool 0");
	gpv_test_eq(di.ssidref, 0, "new domain: ssidref 0");
	return op.domain;
}

#define UNSET 0x5a5a5a5a5a5a5a5aUL

/* The domU's requests page: three domctls, a sysctl, a remote shutdown, answers unset. */
static void fill_requests(char *page)
{
	struct xen_domctl *good = (void *)page, *old = (void *)(page + 0x400);
	struct xen_domctl *pause = (void *)(page + 0xc00);
	struct xen_sysctl *phys = (void *)(page + 0x800);
	struct sched_remote_shutdown *rs = (void *)(page + 0xe00);
	uint64_t *answers = (void *)(page + 0xf00);

	dc_dinit(good, XEN_DOMCTL_getdomaininfo, 0);
	dc_dinit(old, XEN_DOMCTL_getdomaininfo, 0);
	old->interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
	dc_sinit(phys, XEN_SYSCTL_physinfo);
	dc_dinit(pause, XEN_DOMCTL_pausedomain, 0);
	rs->domain_id = 0;
	rs->reason = SHUTDOWN_poweroff;
	for (unsigned int i = 0; i < 5; i++)
		answers[i] = UNSET;
}

/* The domU's code page and requests page (dc_fill_small_domu writes the tables). */
static void fill_page(unsigned int pfn, char *page)
{
	if (pfn == 4)
		memcpy(page, domu_code_start, (size_t)(domu_code_end - domu_code_start));
	if (pfn == 7)
		fill_requests(page);
}

/* Gives the domU a vCPU, memory and its pages' contents, and pins its L4. */
static int build_domu(domid_t id)
{
	struct xen_domctl op;
	struct xen_memory_reservation r = { .nr_extents = NR_PAGES, .domid = id };
	xen_pfn_t list[NR_PAGES + 4];

	gpv_test_area("build");
	dc_dinit(&op, XEN_DOMCTL_max_vcpus, id);
	op.u.max_vcpus.max = 2;
	gpv_test_eq(dc_domctl(&op), -XEN_EINVAL, "max_vcpus other than createdomain's: -EINVAL");
	op.u.max_vcpus.max = 1;
	gpv_test_eq(dc_domctl(&op), 0, "max_vcpus 1");
	dc_dinit(&op, XEN_DOMCTL_max_mem, id);
	op.u.max_mem.max_memkb = NR_PAGES * 4;
	gpv_test_eq(dc_domctl(&op), 0, "max_mem 32 KiB");
	for (unsigned int i = 0; i < NR_PAGES + 4; i++)
		list[i] = i;
	r.nr_extents = NR_PAGES + 4;
	set_xen_guest_handle(r.extent_start, list);
	gpv_test_eq(gpv_memory_op(XENMEM_populate_physmap, &r), NR_PAGES,
		    "populate_physmap stops at max_pages (8 of 12)");
	for (unsigned int i = 0; i < NR_PAGES; i++)
		domu_mfn[i] = list[i];
	if (!gpv_test_eq(dc_scratch_init(), 0, "the scratch page's L1 entry"))
		return -1;
	return dc_fill_small_domu(id, domu_mfn, fill_page);
}

static void ctx_init(struct vcpu_guest_context *c)
{
	dc_small_ctx(c, domu_mfn[0]);
}

static long setctx(domid_t id, uint32_t vcpu, struct vcpu_guest_context *c)
{
	struct xen_domctl op;

	dc_dinit(&op, XEN_DOMCTL_setvcpucontext, id);
	op.u.vcpucontext.vcpu = vcpu;
	set_xen_guest_handle(op.u.vcpucontext.ctxt, c);
	return dc_domctl(&op);
}

static long getctx(domid_t id, uint32_t vcpu, struct vcpu_guest_context *c)
{
	struct xen_domctl op;

	dc_dinit(&op, XEN_DOMCTL_getvcpucontext, id);
	op.u.vcpucontext.vcpu = vcpu;
	set_xen_guest_handle(op.u.vcpucontext.ctxt, c);
	return dc_domctl(&op);
}

static void check_contexts(domid_t id)
{
	static struct vcpu_guest_context c, got;
	struct xen_domctl_getvcpuinfo vi;

	gpv_test_area("vcpucontext");
	gpv_test_eq(vcpuinfo(id, 0, &vi), 0, "getvcpuinfo before a context");
	gpv_test_check(!vi.online && !vi.running, "not online, not running");
	gpv_test_eq(vcpuinfo(id, 1, &vi), -XEN_EINVAL, "vCPU 1 of a 1-vCPU domain: -EINVAL");
	gpv_test_eq(getctx(id, 0, &got), -XEN_ENODATA, "getvcpucontext before a context: -ENODATA");
	ctx_init(&c);
	gpv_test_eq(setctx(id, 1, &c), -XEN_EINVAL, "vCPU 1 of a 1-vCPU domain: -EINVAL");
	gpv_test_eq(setctx(id, 0, (void *)BAD_PTR), -XEN_EFAULT,
		    "context at a bad address: -EFAULT");
	c.user_regs.rip = 0x0000800000000000UL;
	gpv_test_eq(setctx(id, 0, &c), -XEN_EINVAL, "non-canonical RIP: -EINVAL");
	ctx_init(&c);
	c.event_callback_eip = 0x8000000000000000UL;
	gpv_test_eq(setctx(id, 0, &c), -XEN_EINVAL, "non-canonical event callback: -EINVAL");
	ctx_init(&c);
	c.trap_ctxt[3].address = 0x0001000000000000UL;
	gpv_test_eq(setctx(id, 0, &c), -XEN_EINVAL, "non-canonical trap handler: -EINVAL");
	ctx_init(&c);
	c.ldt_base = 0x1234;
	gpv_test_eq(setctx(id, 0, &c), -XEN_EINVAL, "LDT base not page-aligned: -EINVAL");
	ctx_init(&c);
	c.gdt_ents = 15 * 512;
	gpv_test_eq(setctx(id, 0, &c), -XEN_EINVAL, "15 GDT frames: -EINVAL");
	ctx_init(&c);
	c.ctrlreg[3] = xen_pfn_to_cr3(gpv_virt_to_mfn(scratch));
	gpv_test_eq(setctx(id, 0, &c), -XEN_EINVAL, "CR3 of a frame not the domU's: -EINVAL");
	ctx_init(&c);
	c.ctrlreg[3] = xen_pfn_to_cr3(domu_mfn[3]);
	gpv_test_eq(setctx(id, 0, &c), -XEN_EINVAL, "CR3 of the domU's L1 table: -EINVAL");
	ctx_init(&c);
	c.ldt_ents = 8193;
	gpv_test_eq(setctx(id, 0, &c), -XEN_EINVAL, "8193 LDT entries: -EINVAL");
	ctx_init(&c);
	c.ldt_base = 0xffff830000000000UL;
	c.ldt_ents = 1;
	gpv_test_eq(setctx(id, 0, &c), -XEN_EINVAL, "an LDT in the hypervisor's range: -EINVAL");
	ctx_init(&c);
	c.user_regs.cs = FLAT_KERNEL_CS & ~3;
	c.user_regs.ss = FLAT_KERNEL_SS & ~3;
	c.kernel_ss = FLAT_KERNEL_SS & ~3;
	gpv_test_eq(setctx(id, 0, &c), 0, "ring-0 selectors are accepted (and fixed up)");
	gpv_test_eq(getctx(id, 0, &got), 0, "getvcpucontext");
	gpv_test_eq(got.user_regs.cs, FLAT_KERNEL_CS, "CS comes back with RPL 3");
	gpv_test_eq(got.user_regs.ss, FLAT_KERNEL_SS, "SS comes back with RPL 3");
	gpv_test_eq((long)got.kernel_ss, FLAT_KERNEL_SS, "kernel_ss comes back with RPL 3");
	gpv_test_eq((long)got.user_regs.rip, DOMU_CODE, "RIP");
	gpv_test_eq((long)got.user_regs.rsp, DOMU_STACK_TOP, "RSP");
	gpv_test_eq((long)got.user_regs.rflags, 0x1200, "RFLAGS: IF forced on, IOPL given back");
	gpv_test_eq((long)got.ctrlreg[3], (long)xen_pfn_to_cr3(domu_mfn[0]), "CR3");
	gpv_test_eq((long)(got.flags & (VGCF_online | VGCF_in_kernel)),
		    VGCF_online | VGCF_in_kernel, "flags: online, in kernel mode");
	gpv_test_eq((long)got.event_callback_eip, DOMU_CODE, "event callback");
	gpv_test_check(got.ldt_ents == 0 && got.ldt_base == 0, "no LDT");
	ctx_init(&c);
	c.ctrlreg[3] = xen_pfn_to_cr3(domu_mfn[1]);
	gpv_test_eq(setctx(id, 0, &c), -XEN_EOPNOTSUPP,
		    "another CR3 once the vCPU has a context: -EOPNOTSUPP");
	ctx_init(&c);
	c.ldt_base = 0x10000;
	c.ldt_ents = 16;
	gpv_test_eq(setctx(id, 0, &c), -XEN_EOPNOTSUPP,
		    "another LDT once the vCPU has a context: -EOPNOTSUPP");
	ctx_init(&c);
	c.user_regs.rflags = 0x200;
	gpv_test_eq(setctx(id, 0, &c), 0, "the same tables again, new registers");
	gpv_test_eq(getctx(id, 0, &got), 0, "getvcpucontext again");
	gpv_test_eq((long)got.user_regs.rflags, 0x200, "RFLAGS replaced");
	gpv_test_eq(vcpuinfo(id, 0, &vi), 0, "getvcpuinfo with a context");
	gpv_test_check(vi.online && !vi.running && !vi.blocked,
		       "online (VGCF_online), not running (paused), not blocked");
}

/* The handle and the time offset, seen in getdomaininfo and the domU's shared_info. */
static void check_setters(domid_t id)
{
	struct xen_domctl op;
	struct xen_domctl_getdomaininfo di;
	const shared_info_t *s = (const void *)scratch;
	uint64_t sec0 = gpv_shared_info->wc_sec | (uint64_t)gpv_shared_info->wc_sec_hi << 32, sec;

	gpv_test_area("setters");
	dc_dinit(&op, XEN_DOMCTL_setdomainhandle, id);
	for (unsigned int i = 0; i < sizeof(op.u.setdomainhandle.handle); i++)
		op.u.setdomainhandle.handle[i] = (uint8_t)(0xa0 + i);
	gpv_test_eq(dc_domctl(&op), 0, "setdomainhandle");
	gpv_test_eq(dc_info(id, &di), 0, "getdomaininfo");
	gpv_test_check(!memcmp(di.handle, op.u.setdomainhandle.handle, sizeof(di.handle)),
		       "the handle comes back");
	dc_dinit(&op, XEN_DOMCTL_settimeoffset, id);
	op.u.settimeoffset.time_offset_seconds = 3600;
	gpv_test_eq(dc_domctl(&op), 0, "settimeoffset +3600 s");
	if (!gpv_test_eq(dc_map_foreign(di.shared_info_frame, id), 0, "map its shared_info"))
		return;
	sec = s->wc_sec | (uint64_t)s->wc_sec_hi << 32;
	gpv_test_checkf(sec == sec0 + 3600, "its wallclock is dom0's + 3600 s", "%lu vs %lu",
			(unsigned long)sec, (unsigned long)sec0);
	gpv_test_check(!(s->wc_version & 1), "wc_version even (no update in progress)");
	dc_unmap_foreign();
}

static void check_frames(domid_t id)
{
	struct xen_domctl op;
	uint64_t a[6] = { domu_mfn[0], domu_mfn[1], domu_mfn[2],
			  domu_mfn[3], domu_mfn[4], gpv_virt_to_mfn(scratch) };

	gpv_test_area("getpageframeinfo3");
	dc_dinit(&op, XEN_DOMCTL_getpageframeinfo3, id);
	op.u.getpageframeinfo3.num = 6;
	set_xen_guest_handle(op.u.getpageframeinfo3.array, a);
	gpv_test_eq(dc_domctl(&op), 0, "six frames");
	gpv_test_eq((long)a[0], (long)(XEN_DOMCTL_PFINFO_L4TAB | XEN_DOMCTL_PFINFO_LPINTAB),
		    "the L4: L4TAB, pinned");
	gpv_test_eq((long)a[1], (long)XEN_DOMCTL_PFINFO_L3TAB, "the L3: L3TAB");
	gpv_test_eq((long)a[2], (long)XEN_DOMCTL_PFINFO_L2TAB, "the L2: L2TAB");
	gpv_test_eq((long)a[3], (long)XEN_DOMCTL_PFINFO_L1TAB, "the L1: L1TAB");
	gpv_test_eq((long)a[4], (long)XEN_DOMCTL_PFINFO_NOTAB, "the code page: NOTAB");
	gpv_test_eq((long)a[5], (long)XEN_DOMCTL_PFINFO_XTAB, "a frame of dom0's: XTAB");
	op.u.getpageframeinfo3.num = 1025;
	gpv_test_eq(dc_domctl(&op), -XEN_E2BIG, "1025 frames: -E2BIG");
	op.u.getpageframeinfo3.num = 1;
	set_xen_guest_handle(op.u.getpageframeinfo3.array, (void *)BAD_PTR);
	gpv_test_eq(dc_domctl(&op), -XEN_EFAULT, "an array at a bad address: -EFAULT");
}

/* Pauses, unpauses and waits (at most 10 s) until the domU has shut down. */
static bool start_domu(domid_t id)
{
	struct xen_domctl_getdomaininfo di;
	uint64_t end;

	gpv_test_area("run");
	gpv_test_eq(dc_info(id, &di), 0, "getdomaininfo before it runs");
	gpv_test_eq(di.flags, XEN_DOMINF_paused | 0xffffU << XEN_DOMINF_shutdownshift,
		    "built: paused, not blocked, not running");
	gpv_test_eq(di.nr_online_vcpus, 1, "built: one vCPU online");
	gpv_test_eq(di.max_vcpu_id, 0, "built: max_vcpu_id 0");
	gpv_test_eq((long)di.tot_pages, NR_PAGES, "built: tot_pages 8");
	gpv_test_eq((long)di.max_pages, NR_PAGES, "built: max_pages 8");
	gpv_test_eq(dc_simple(XEN_DOMCTL_pausedomain, id), 0, "pause it once more");
	gpv_test_eq(dc_simple(XEN_DOMCTL_unpausedomain, id), 0,
		    "unpause: still the creator's pause");
	gpv_test_eq(dc_info(id, &di), 0, "getdomaininfo");
	gpv_test_check(di.flags & XEN_DOMINF_paused, "still paused");
	gpv_test_eq(dc_simple(XEN_DOMCTL_unpausedomain, id), 0, "unpause: it may run");
	gpv_test_eq(dc_simple(XEN_DOMCTL_unpausedomain, id), -XEN_EINVAL,
		    "a third unpause: -EINVAL");
	end = gpv_time_now() + 10000000000ULL;
	do {
		gpv_sched_op(SCHEDOP_yield, NULL);
		if (dc_info(id, &di))
			break;
	} while (!(di.flags & XEN_DOMINF_shutdown) && gpv_time_now() < end);
	gpv_test_check(di.flags & XEN_DOMINF_shutdown, "the domU ran and shut itself down");
	gpv_test_eq(di.flags >> XEN_DOMINF_shutdownshift, SHUTDOWN_poweroff,
		    "shutdown code: poweroff");
	gpv_test_check(!(di.flags & XEN_DOMINF_paused), "not paused by the toolstack");
	return true;
}

/* Reads the domU's answers and console ring through foreign mappings. */
static void read_domu(domid_t id)
{
	const struct xencons_interface *ring = (const void *)scratch;
	const int64_t *answers = (const void *)(scratch + 0xf00);
	char line[32] = { 0 };

	gpv_test_area("domU");
	gpv_test_eq(dc_map_foreign(domu_mfn[7], id), 0,
		    "map its requests page (foreign mmu_update)");
	gpv_test_eq(answers[0], -XEN_EPERM, "domctl from a domU: -EPERM");
	gpv_test_eq(answers[1], -XEN_EACCES,
		    "domctl with a wrong version from a domU: -EACCES first");
	gpv_test_eq(answers[2], -XEN_EPERM, "sysctl from a domU: -EPERM");
	gpv_test_eq(answers[3], -XEN_EPERM, "SCHEDOP_remote_shutdown of dom0 from a domU: -EPERM");
	gpv_test_eq(answers[4], -XEN_EPERM, "pausedomain of dom0 from a domU: -EPERM");
	dc_unmap_foreign();
	gpv_test_eq(dc_map_foreign(domu_mfn[6], id), 0,
		    "map its console ring (foreign mmu_update)");
	gpv_test_eq(ring->out_prod, 16, "console ring: out_prod 16");
	memcpy(line, (const char *)ring->out, 16);
	gpv_test_check(!strcmp(line, "hello from domU\n"), "console ring: the domU's line");
	gpv_test_info("the domU wrote: %s", line);
	dc_unmap_foreign();
}

/* credit2's weight and cap of the (stopped) domU. */
static void check_scheduler_op(domid_t id)
{
	const uint32_t c2 = XEN_SCHEDULER_CREDIT2, get = XEN_DOMCTL_SCHEDOP_getinfo,
		       put = XEN_DOMCTL_SCHEDOP_putinfo;
	uint16_t w = 0, c = 0;

	gpv_test_area("scheduler_op");
	gpv_test_eq(dc_schedop(id, c2, get, &w, &c), 0, "credit2 getinfo");
	gpv_test_check(w == 256 && c == 0, "default: weight 256, no cap");
	w = 512, c = 0;
	gpv_test_eq(dc_schedop(id, c2, put, &w, &c), 0, "putinfo weight 512");
	w = 0, c = 50;
	gpv_test_eq(dc_schedop(id, c2, put, &w, &c), 0, "putinfo weight 0 (unchanged), cap 50");
	gpv_test_eq(dc_schedop(id, c2, get, &w, &c), 0, "getinfo");
	gpv_test_check(w == 512 && c == 50, "weight 512, cap 50");
	w = 0, c = 101;
	gpv_test_eq(dc_schedop(id, c2, put, &w, &c), -XEN_EINVAL, "cap 101 for one vCPU: -EINVAL");
	gpv_test_eq(dc_schedop(id, XEN_SCHEDULER_CREDIT, get, &w, &c), -XEN_EINVAL,
		    "another scheduler's id: -EINVAL");
	gpv_test_eq(dc_schedop(id, c2, 9, &w, &c), -XEN_EINVAL, "an unknown command: -EINVAL");
}

static void check_remote_shutdown(void)
{
	struct xen_domctl op;
	struct xen_domctl_getdomaininfo di;
	struct sched_remote_shutdown rs = { .domain_id = SECOND_DOMID, .reason = SHUTDOWN_reboot };

	gpv_test_area("shutdown");
	dc_cfg(&op, SECOND_DOMID);
	gpv_test_eq(dc_domctl(&op), 0, "a second domain, id 77");
	gpv_test_eq(gpv_sched_op(SCHEDOP_remote_shutdown, &rs), 0,
		    "SCHEDOP_remote_shutdown: reboot");
	gpv_test_eq(dc_info(SECOND_DOMID, &di), 0, "getdomaininfo");
	gpv_test_check(di.flags & XEN_DOMINF_shutdown, "it is shut down");
	gpv_test_eq(di.flags >> XEN_DOMINF_shutdownshift, SHUTDOWN_reboot, "with code reboot");
	rs.domain_id = 0x7000;
	gpv_test_eq(gpv_sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_ESRCH,
		    "remote shutdown of an unknown domain: -ESRCH");
	gpv_test_eq(gpv_sched_op(SCHEDOP_remote_shutdown, (void *)BAD_PTR), -XEN_EFAULT,
		    "remote shutdown from a bad address: -EFAULT");
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, SECOND_DOMID), 0, "destroy it");
}

static void check_destroy(domid_t id)
{
	struct xen_domctl_getdomaininfo di;
	struct xen_sysctl op;

	gpv_test_area("destroy");
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain");
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, id), -XEN_ESRCH,
		    "a second destroy: -ESRCH");
	gpv_test_eq(dc_simple(XEN_DOMCTL_pausedomain, id), -XEN_ESRCH,
		    "pause after destroy: -ESRCH");
	gpv_test_eq(dc_info(id, &di), -XEN_ESRCH,
		    "getdomaininfo after destroy: -ESRCH (none above)");
	dc_sinit(&op, XEN_SYSCTL_getdomaininfolist);
	op.u.getdomaininfolist.max_domains = 1;
	op.u.getdomaininfolist.first_domain = 1;
	set_xen_guest_handle(op.u.getdomaininfolist.buffer, &di);
	gpv_test_eq(dc_sysctl(&op), 0, "getdomaininfolist from domain 1 on");
	gpv_test_eq(op.u.getdomaininfolist.num_domains, 0, "no domain but dom0 is left");
}

static void detect(void)
{
	static xen_changeset_info_t cs;

	on_lamina = gpv_xen_version(XENVER_changeset, &cs) == 0 && !strcmp(cs, "lamina");
	gpv_test_info("hypervisor changeset: %s", cs);
}

int gpv_main(void)
{
	long id;

	detect();
	check_sysctl();
	check_readconsole();
	check_domctl_basics();
	check_sysctl_scheduler_op();
	check_dom0_toolstack();
	check_bad_configs();
	id = create_domu();
	if (id > 0 && !build_domu((domid_t)id)) {
		check_contexts((domid_t)id);
		check_frames((domid_t)id);
		check_setters((domid_t)id);
		if (start_domu((domid_t)id))
			read_domu((domid_t)id);
		check_scheduler_op((domid_t)id);
		check_remote_shutdown();
		check_destroy((domid_t)id);
	}
	return gpv_test_finish();
}
