/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libhyp: the hypervisor as the toolstack sees it, over Debian's libxenctrl
 * (domctl, sysctl) and libxenguest (the PV domain builder). Domain ids and
 * plain numbers in, 0 or -Exxx out (the errno libxenctrl left), so callers
 * can say what went wrong instead of "-3".
 */
#ifndef LAMINA_DOM0_HYP_H
#define LAMINA_DOM0_HYP_H

#include <stdbool.h>
#include <stdint.h>

struct hyp;

/* One domain as getdomaininfo reports it. */
struct hyp_dominfo {
	uint32_t domid;
	uint8_t handle[16];
	bool dying, crashed, shutdown, paused, blocked, running;
	unsigned int shutdown_reason; /* SHUTDOWN_* when shutdown */
	uint64_t nr_pages;
	uint64_t max_memkb;
	uint64_t cpu_time_ns;
	unsigned int nr_online_vcpus;
	unsigned int max_vcpu_id;
	unsigned int cpupool;
};

/* The host (sysctl physinfo and xen_version). */
struct hyp_host {
	unsigned int nr_cpus, nr_nodes, cores_per_socket, threads_per_core;
	unsigned int cpu_khz;
	uint64_t total_pages, free_pages, scrub_pages, outstanding_pages;
	unsigned int max_cpu_id;
	int xen_major, xen_minor;
	char xen_extra[16];
	char xen_caps[1024];
	char xen_commandline[1024];
	char xen_changeset[64];
	unsigned long pagesize;
	/* What xl info prints besides: physinfo's hw_cap and capabilities
	 * (XEN_SYSCTL_PHYSCAP_*), page sharing, CPUs in no pool, the platform
	 * parameters, how Xen was compiled and its build id (hex). */
	uint32_t hw_cap[8];
	uint32_t capabilities;
	char virt_caps[160]; /* the capabilities as xl words them: "pv hvm hap ..." */
	uint64_t sharing_freed_pages, sharing_used_frames;
	unsigned int free_cpus;
	uint64_t virt_start;
	char cc_compiler[64], cc_compile_by[16], cc_compile_domain[32], cc_compile_date[32];
	char build_id[129];
};

/* One CPU's place (sysctl cputopoinfo); HYP_TOPO_INVALID where Xen has none. */
#define HYP_TOPO_INVALID (~0U)
struct hyp_cputopo {
	uint32_t core, socket, node;
};

/* One NUMA node's memory in bytes (sysctl numainfo); a memsize of
 * HYP_TOPO_INVALID (Xen's 32-bit XEN_INVALID_MEM_SZ) is no node. */
struct hyp_numa_node {
	uint64_t memsize, memfree;
};

/* A PCI device (segment, bus, devfn) for hyp_pci_topology. */
struct hyp_pci_dev {
	uint16_t seg;
	uint8_t bus, devfn;
};

/* What createdomain and the first limits need. */
struct hyp_create {
	uint8_t handle[16];
	unsigned int max_vcpus;
	uint64_t target_kb; /* memory: Xen's max_mem is this + 1 MiB, as libxl sets it */
	uint64_t maxmem_kb; /* maxmem: the memory map's limit */
};

/* The PV builder's inputs and results. */
struct hyp_pv_image {
	const char *kernel;
	const char *ramdisk; /* NULL: none */
	const char *cmdline;
	unsigned int memory_mb;
	unsigned int max_vcpus;
	/* results */
	unsigned int store_evtchn_port, console_evtchn_port;
	unsigned long store_frame, console_frame;
	const char *failed_step; /* the xc_dom_* call that failed, for messages */
};

struct hyp_vcpu {
	unsigned int vcpu;
	bool online, blocked, running;
	int cpu;
	uint64_t cpu_time_ns;
	uint64_t affinity;	/* hard affinity, first 64 CPUs */
	uint64_t soft_affinity; /* soft affinity, first 64 CPUs */
};

/* Open the privileged interface; NULL with errno set. */
struct hyp *hyp_open(void);
void hyp_close(struct hyp *h);

int hyp_host_info(struct hyp *h, struct hyp_host *out);

/* Only physinfo's CPU counts and free pages (one hypercall; hyp_host_info
 * makes about twenty): what a create checks. */
int hyp_host_physinfo(struct hyp *h, struct hyp_host *out);

/* Every CPU's topology into a malloc'ed array; returns the count or -Exxx. */
int hyp_cpu_topology(struct hyp *h, struct hyp_cputopo **out);

/* Every node's memory and the node-to-node distances (@*dist is n * n, row
 * per node), both malloc'ed; returns the node count or -Exxx. */
int hyp_numa_info(struct hyp *h, struct hyp_numa_node **out, uint32_t **dist);

/* The node of each of @n devices into @node (HYP_TOPO_INVALID: unknown); 0 or -Exxx. */
int hyp_pci_topology(struct hyp *h, const struct hyp_pci_dev *devs, unsigned int n, uint32_t *node);

/* Domain @domid's info; -ESRCH when there is none. */
int hyp_domain_info(struct hyp *h, uint32_t domid, struct hyp_dominfo *out);

/* Every domain, ascending ids, into a malloc'ed array; returns the count or -Exxx. */
int hyp_domain_list(struct hyp *h, struct hyp_dominfo **out);

/* Create an empty PV domain with its limits; on failure nothing is left. */
int hyp_domain_create(struct hyp *h, const struct hyp_create *c, uint32_t *domid);

/*
 * Build @img into the empty domain @domid with libxenguest: event channels for
 * xenstore and console (both served by dom0), kernel and ramdisk loaded,
 * start_info, page tables, p2m, console and xenstore rings, grant table
 * seeded. The domain stays paused.
 */
int hyp_build_pv(struct hyp *h, uint32_t domid, struct hyp_pv_image *img);

int hyp_domain_destroy(struct hyp *h, uint32_t domid);
int hyp_domain_pause(struct hyp *h, uint32_t domid);
int hyp_domain_unpause(struct hyp *h, uint32_t domid);
/* SCHEDOP_remote_shutdown with @reason (SHUTDOWN_*). */
int hyp_domain_shutdown(struct hyp *h, uint32_t domid, int reason);
/* Xen's max_mem of @domid to @kb plus libxl's 1 MiB of slack. */
int hyp_set_maxmem(struct hyp *h, uint32_t domid, uint64_t kb);

/* vCPU @vcpu of @domid; -ESRCH past its last vCPU. */
int hyp_vcpu_info(struct hyp *h, uint32_t domid, unsigned int vcpu, struct hyp_vcpu *out);
/*
 * Hard and soft affinity of a vCPU (bitmaps of @nbits CPUs); a NULL map is
 * left as it is.
 */
int hyp_vcpu_pin(struct hyp *h, uint32_t domid, unsigned int vcpu, const uint8_t *hard,
		 const uint8_t *soft, unsigned int nbits);

/* The schedulers whose parameters lxl reads and sets (Xen's XEN_SCHEDULER_* ids). */
#define HYP_SCHED_CREDIT 5
#define HYP_SCHED_CREDIT2 6
/*
 * A domain's weight and cap under @sched (HYP_SCHED_CREDIT or _CREDIT2):
 * -EINVAL (Xen's) when its cpupool runs another scheduler.
 */
int hyp_sched_dom_get(struct hyp *h, int sched, uint32_t domid, unsigned int *weight,
		      unsigned int *cap);
int hyp_sched_dom_set(struct hyp *h, int sched, uint32_t domid, unsigned int weight,
		      unsigned int cap);
/* A cpupool's scheduler parameters: credit has all three, credit2 the ratelimit. */
/* Their bounds (Xen's public/sysctl.h, checked in hyp_host.c). */
#define HYP_TSLICE_MIN_MS 1
#define HYP_TSLICE_MAX_MS 1000
#define HYP_RATELIMIT_MIN_US 100
#define HYP_RATELIMIT_MAX_US 500000
#define HYP_MIGR_DELAY_MAX_US 100000
struct hyp_sched_params {
	unsigned int tslice_ms, ratelimit_us, migr_delay_us;
};
int hyp_sched_params_get(struct hyp *h, int sched, unsigned int pool, struct hyp_sched_params *p);
int hyp_sched_params_set(struct hyp *h, int sched, unsigned int pool,
			 const struct hyp_sched_params *p);
/* The scheduler's name ("credit2", ...) for the pool @pool. */
int hyp_sched_name(struct hyp *h, unsigned int pool, const char **name);

/* Cpupool @pool from the first at or above @pool: its id, scheduler, CPUs, domains. */
struct hyp_pool {
	unsigned int id;
	const char *sched;
	int sched_id; /* Xen's XEN_SCHEDULER_* */
	unsigned int nr_cpus;
	uint64_t cpumap; /* its CPUs, the first 64 */
	unsigned int nr_domains;
};
int hyp_cpupool_next(struct hyp *h, unsigned int pool, struct hyp_pool *out);

/* Read Xen's console ring into @buf (NUL-terminated); @clear empties it. */
int hyp_read_console(struct hyp *h, char *buf, unsigned int size, bool clear);

/* Pages of @kb KiB, rounded up. */
static inline uint64_t hyp_kb_to_pages(uint64_t kb)
{
	return (kb + 3) / 4;
}

#endif
