/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libcfg: a domain's xl.cfg, read by Debian's libxlutil (the parser xl itself
 * uses) into a plain description that the toolstack builds from. It knows
 * nothing of Xen: no hypercall, no xenstore. Every error names the file, the
 * line where libxlutil knows it, and what is wrong; keys lxl does not use get
 * a warning and are ignored.
 *
 *   cfg_read_file/cfg_read_data -> struct cfg_domain -> cfg_free
 *            ^ key=value overrides (xl create's trailing arguments)
 */
#ifndef LAMINA_DOM0_CFG_H
#define LAMINA_DOM0_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CFG_NAME_MAX 64
#define CFG_MAX_CPUS 512
#define CFG_MAX_VCPUS 512
#define CFG_MAX_DISKS 16
#define CFG_MAX_VIFS 16
#define CFG_MEMORY_MAX_MB (16 * 1024 * 1024)

/* What happens when a guest powers off, reboots or crashes (xl.cfg(5)). */
enum cfg_action {
	CFG_ACT_DESTROY,
	CFG_ACT_RESTART,
	CFG_ACT_RENAME_RESTART,
	CFG_ACT_PRESERVE,
};

/* A set of physical CPUs; all bits set means "all". */
struct cfg_cpumap {
	uint64_t bits[CFG_MAX_CPUS / 64];
};

struct cfg_disk {
	char *target;	/* pdev_path: file or device; NULL for an empty cdrom */
	char *vdev;	/* xvda, hdc, ... */
	char *format;	/* raw, qcow2, ... (libxlutil's name) */
	bool readwrite; /* mode w */
	bool cdrom;
	int devid; /* virtual device number derived from vdev */
};

struct cfg_vif {
	char mac[18]; /* "00:16:3e:xx:xx:xx", empty: chosen at create */
	char *bridge;
	char *ip;
	char *vifname;
	char *model;
	char *script;
	char *type;
	char *rate;
	int backend_domid;
};

struct cfg_domain {
	char name[CFG_NAME_MAX + 1];
	char *kernel;
	char *ramdisk;
	char *cmdline; /* as xl builds it from cmdline, or root + extra */
	unsigned long memory_mb;
	unsigned long maxmem_mb;
	unsigned int vcpus;
	unsigned int maxvcpus;
	bool cpus_set;		 /* cpus= given */
	struct cfg_cpumap *cpus; /* [maxvcpus] hard affinity, when cpus_set */
	enum cfg_action on_poweroff;
	enum cfg_action on_reboot;
	enum cfg_action on_crash;
	bool uuid_set;
	uint8_t uuid[16];
	unsigned int nr_disks;
	struct cfg_disk disks[CFG_MAX_DISKS];
	unsigned int nr_vifs;
	struct cfg_vif vifs[CFG_MAX_VIFS];
};

/*
 * Read @path (or @len bytes of @data, reported as @name) with libxlutil,
 * apply the @nover "key=value" overrides in order (each as one more line of
 * the file), and fill @out. Errors and warnings go to @report, one line each,
 * "NAME:LINE: ..." where the line is known. Returns 0, -EINVAL for a file xl
 * would refuse, -ENOENT/-EACCES when @path cannot be read, -ENOMEM.
 */
int cfg_read_file(const char *path, const char *const *over, int nover, FILE *report,
		  struct cfg_domain *out);
int cfg_read_data(const char *name, const char *data, int len, const char *const *over, int nover,
		  FILE *report, struct cfg_domain *out);

/* Release what cfg_read_* allocated in @d; @d may be zeroed or half-filled. */
void cfg_free(struct cfg_domain *d);

/* "destroy", "restart", ... for @a. */
const char *cfg_action_name(enum cfg_action a);

/* Parse a cpu list as xl does ("all", "0-3,^2", "5"); 0 or -EINVAL. */
int cfg_parse_cpus(const char *s, struct cfg_cpumap *map);

/* True when @map has CPU @cpu. */
bool cfg_cpumap_test(const struct cfg_cpumap *map, unsigned int cpu);

/* A domain name xl and lxl accept: 1-64 bytes, printable, not only digits, no '/'. */
bool cfg_name_valid(const char *name);

/*
 * Warn on @report about every top-level key of @data that lxl does not know
 * (xl.cfg keys lxl does not use included), with its line. Returns how many.
 */
int cfg_warn_unknown_keys(const char *name, const char *data, int len, FILE *report);

#endif
