// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: lxl's config reading (dom0-tools/libcfg, over Debian's
 * libxlutil) on arbitrary bytes. The input up to its first NUL is an
 * xl.cfg, written to a memory file and read with cfg_read_file() as
 * `lxl create FILE` reads it; every NUL-separated string after it is a
 * "key=value" override (xl create's trailing arguments, at most 8). The
 * whole input, NULs included, also goes through cfg_read_data().
 * Checked besides ASan/UBSan/leaks: the answer is 0 or -EINVAL (-ENOMEM
 * never happens here); an accepted domain has what the toolstack relies on
 * (a valid name, a kernel, memory and vCPU counts in range and ordered,
 * actions known, disk and vif counts within their arrays, each disk with a
 * vdev, a cpu map per vCPU when cpus= was given); reading the same bytes
 * twice gives the same domain; cfg_read_data() on the file part agrees with
 * cfg_read_file(); cfg_free() leaves a zeroed description.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dom0-tools/libcfg/cfg.h"

#define MAX_OVER 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *report;

static void check_domain(const struct cfg_domain *d)
{
	if (!cfg_name_valid(d->name) || !d->kernel)
		abort();
	if (d->memory_mb < 1 || d->memory_mb > d->maxmem_mb || d->maxmem_mb > CFG_MEMORY_MAX_MB)
		abort();
	if (d->vcpus < 1 || d->vcpus > d->maxvcpus || d->maxvcpus > CFG_MAX_VCPUS)
		abort();
	if (d->on_poweroff > CFG_ACT_PRESERVE || d->on_reboot > CFG_ACT_PRESERVE ||
	    d->on_crash > CFG_ACT_PRESERVE)
		abort();
	if (d->nr_disks > CFG_MAX_DISKS || d->nr_vifs > CFG_MAX_VIFS)
		abort();
	for (unsigned int i = 0; i < d->nr_disks; i++)
		if (!d->disks[i].vdev || (!d->disks[i].target && !d->disks[i].cdrom))
			abort();
	for (unsigned int i = 0; i < d->nr_vifs; i++)
		if (d->vifs[i].mac[sizeof(d->vifs[i].mac) - 1])
			abort();
	if (d->cpus_set && !d->cpus)
		abort();
}

static bool str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The parts of two readings of the same text that must agree. */
static bool same_domain(const struct cfg_domain *a, const struct cfg_domain *b)
{
	if (strcmp(a->name, b->name) || !str_same(a->kernel, b->kernel) ||
	    !str_same(a->ramdisk, b->ramdisk) || !str_same(a->cmdline, b->cmdline))
		return false;
	if (a->memory_mb != b->memory_mb || a->maxmem_mb != b->maxmem_mb || a->vcpus != b->vcpus ||
	    a->maxvcpus != b->maxvcpus || a->cpus_set != b->cpus_set ||
	    a->nr_disks != b->nr_disks || a->nr_vifs != b->nr_vifs)
		return false;
	if (a->cpus_set && memcmp(a->cpus, b->cpus, a->maxvcpus * sizeof(*a->cpus)))
		return false;
	for (unsigned int i = 0; i < a->nr_disks; i++)
		if (!str_same(a->disks[i].target, b->disks[i].target) ||
		    strcmp(a->disks[i].vdev, b->disks[i].vdev) ||
		    a->disks[i].devid != b->disks[i].devid)
			return false;
	for (unsigned int i = 0; i < a->nr_vifs; i++)
		if (strcmp(a->vifs[i].mac, b->vifs[i].mac) ||
		    !str_same(a->vifs[i].bridge, b->vifs[i].bridge))
			return false;
	return true;
}

static bool is_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static void check_rc(int rc)
{
	if (rc != 0 && rc != -EINVAL)
		abort();
}

/* The file part through a memory file and cfg_read_file(), as lxl create does. */
static int read_as_file(const uint8_t *text, size_t len, const char *const *over, int nover,
			struct cfg_domain *out)
{
	char path[64];
	int fd = memfd_create("fuzz.cfg", 0), rc;

	if (fd < 0)
		abort();
	if (len && write(fd, text, len) != (ssize_t)len)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = cfg_read_file(path, over, nover, report, out);
	close(fd);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cfg_domain a, b;
	char *copy = malloc(size + 1);
	const char *over[MAX_OVER];
	size_t flen;
	int nover = 0, ra, rb;

	if (!report)
		report = fopen("/dev/null", "w");
	if (!copy || !report)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	flen = strlen(copy);
	for (size_t p = flen + 1; p < size && nover < MAX_OVER; p += strlen(copy + p) + 1)
		over[nover++] = copy + p;

	ra = read_as_file(data, flen, over, nover, &a);
	check_rc(ra);
	rb = cfg_read_data("fuzz.cfg", copy, (int)flen, over, nover, report, &b);
	check_rc(rb);
	if (ra != rb || (!ra && !same_domain(&a, &b)))
		abort();
	if (!ra)
		check_domain(&a);
	cfg_free(&a);
	cfg_free(&b);
	if (!is_zero(&a, sizeof(a)))
		abort();
	/* The raw bytes, NULs and all: a NUL anywhere is refused. */
	rb = cfg_read_data("fuzz.cfg", (const char *)data, (int)size, NULL, 0, report, &b);
	check_rc(rb);
	if (memchr(data, '\0', size) ? rb != -EINVAL : rb != ra && nover == 0)
		abort();
	cfg_free(&b);
	free(copy);
	return 0;
}
