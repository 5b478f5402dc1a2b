/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the boot loader told us, in a loader-neutral form: the hypervisor's
 * command line, the RAM ranges and the modules (first: dom0's kernel with its
 * command line; second: dom0's initrd). Filled by the arch's loader code.
 */
#ifndef LAMINA_BOOT_H
#define LAMINA_BOOT_H

#include <lamina/types.h>

#define BOOT_MAX_RANGES 32
#define BOOT_MAX_MODULES 8
#define BOOT_MAX_DOMUS 4
#define BOOT_DOMU_CMDLINE_MAX 256
#define BOOT_CMDLINE_MAX 1024

struct boot_range {
	paddr_t start, end; /* [start, end) */
};

/* One entry of the loader's memory map, any type (E820: 1 RAM, 2 reserved ...). */
struct boot_map_entry {
	paddr_t start, end; /* [start, end) */
	uint32_t type;
};

struct boot_module {
	paddr_t start, end;
	char cmdline[BOOT_CMDLINE_MAX]; /* the module string after its path */
};

struct boot_info {
	const char *loader; /* "multiboot1" / "multiboot2" */
	char cmdline[BOOT_CMDLINE_MAX];
	unsigned int nr_ranges;
	struct boot_range ram[BOOT_MAX_RANGES];
	unsigned int nr_map; /* the whole map, sorted by address */
	struct boot_map_entry map[BOOT_MAX_RANGES];
	unsigned int nr_modules;
	struct boot_module mod[BOOT_MAX_MODULES];
};

/*
 * A boot-time unprivileged domain (domu= on the command line, see
 * common/cmdline.c and docs/hypervisor.md): dom1, dom2, ... in order.
 */
struct boot_domu {
	unsigned int module; /* the multiboot module holding its kernel (>= 1) */
	uint64_t mem;	     /* bytes */
	unsigned int vcpus;
	unsigned int weight, cap; /* the scheduler's (0: default weight, no cap) */
	bool has_cmdline;	  /* cmdline= given; else the module's own string */
	char cmdline[BOOT_DOMU_CMDLINE_MAX];
};

/* Options from the hypervisor command line (Xen's names). */
struct boot_options {
	bool console_none;     /* console=none */
	bool console_to_ring;  /* console_to_ring: dom0's console_io output into the ring too */
	int loglvl;	       /* loglvl=none|error|warning|info|debug|all */
	uint64_t dom0_mem;     /* dom0_mem=<size>[KMG], bytes; 0: default */
	bool noreboot;	       /* noreboot */
	bool hypercall_trace;  /* hypercall_trace: print every failing hypercall (debugging) */
	bool selftest_fault;   /* lamina_selftest=hvfault: fault on purpose (tests) */
	bool selftest_stack;   /* lamina_selftest=stackfault: fault with a bad RSP (tests) */
	bool selftest_domains; /* lamina_selftest=domains: the domain lifecycle loop (tests) */
	bool selftest_tlb;     /* lamina_selftest=tlb: the cross-CPU TLB flush IPIs (tests) */
	bool selftest_smap;    /* lamina_selftest=smap: read dom0's entry byte without STAC */
	bool selftest_smep;    /* lamina_selftest=smep: call dom0's entry point from ring 0 */
	bool smp;	       /* lamina_smp=on (default): APs run vCPUs; off: boot CPU only */
	unsigned int dom0_vcpus_min; /* dom0_max_vcpus=<n> | <min>-<max>; both 0: the default */
	unsigned int dom0_vcpus_max; /* (one per CPU, or 1 with lamina_smp=off) */
	unsigned int nr_domus;	     /* domu=...: the boot-time domUs */
	struct boot_domu domu[BOOT_MAX_DOMUS];
};

extern struct boot_options boot_opts;
/* What the loader reported, kept for XENMEM_machine_memory_map. */
extern const struct boot_info *hv_boot_info;

/* Parses a Xen-like command line into boot_opts; unknown words are ignored. */
void cmdline_parse(const char *cmdline, struct boot_options *opts);

/* Whether multiboot module n is named by a domu= option (so not dom0's initrd). */
bool boot_module_is_domu(unsigned int n);
/* The memory the domu= options ask for, in bytes (dom0's default leaves it). */
uint64_t boot_domus_mem(void);
/* Builds and starts the boot-time domUs (arch/<arch>/pv/domain_build.c). */
void domain_build_boot_domus(const struct boot_info *bi);

/* Generic boot, after the arch set up the boot CPU: never returns. */
void lamina_main(struct boot_info *bi) __attribute__((noreturn));

#endif
