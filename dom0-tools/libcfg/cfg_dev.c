// SPDX-License-Identifier: GPL-2.0-only
/*
 * The list-valued keys of an xl.cfg: disk = [...] (each spec through
 * libxlutil's xlu_disk_parse, the grammar xl-disk-configuration.txt
 * documents), vif = [...] (comma-separated key=value, as xl parses them),
 * and cpus (one cpu list for every vCPU, or a list with one per vCPU).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"

bool cfg_cpumap_test(const struct cfg_cpumap *map, unsigned int cpu)
{
	return cpu < CFG_MAX_CPUS && (map->bits[cpu / 64] >> (cpu % 64)) & 1;
}

static void cpumap_range(struct cfg_cpumap *map, unsigned long a, unsigned long b, bool on)
{
	for (unsigned long i = a; i <= b; i++) {
		if (on)
			map->bits[i / 64] |= 1ULL << (i % 64);
		else
			map->bits[i / 64] &= ~(1ULL << (i % 64));
	}
}

/* One "N", "N-M", "^N", "^N-M" or "all" item; 0 or -EINVAL. */
static int cpus_item(const char *tok, struct cfg_cpumap *map)
{
	bool not = tok[0] == '^';
	unsigned long a, b;
	char *end;

	if (!strcmp(tok, "all")) {
		cpumap_range(map, 0, CFG_MAX_CPUS - 1, true);
		return 0;
	}
	if (not )
		tok++;
	if (!isdigit((unsigned char)tok[0]))
		return -EINVAL;
	a = strtoul(tok, &end, 10);
	b = a;
	if (*end == '-') {
		if (!isdigit((unsigned char)end[1]))
			return -EINVAL;
		b = strtoul(end + 1, &end, 10);
	}
	if (*end || a > b || b >= CFG_MAX_CPUS)
		return -EINVAL;
	cpumap_range(map, a, b, !not );
	return 0;
}

int cfg_parse_cpus(const char *s, struct cfg_cpumap *map)
{
	char buf[256], *save = NULL, *tok;
	bool any = false;

	memset(map, 0, sizeof(*map));
	if (strlen(s) >= sizeof(buf) || !s[0])
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (cpus_item(tok, map))
			return -EINVAL;
	}
	for (unsigned int i = 0; i < CFG_MAX_CPUS / 64; i++)
		any |= map->bits[i] != 0;
	return any ? 0 : -EINVAL;
}

int cfg_read_cpus(struct cfg_ctx *c, struct cfg_domain *d)
{
	XLU_ConfigList *list;
	const char *s;
	int n;

	d->cpus = calloc(d->maxvcpus, sizeof(*d->cpus));
	if (!d->cpus)
		return -ENOMEM;
	if (!xlu_cfg_get_list(c->xlu, "cpus", &list, &n, 1)) {
		if (n < 1 || (unsigned int)n > d->maxvcpus)
			return cfg_error(c, "cpus",
					 "a list needs 1 to maxvcpus (%u) entries, has %d",
					 d->maxvcpus, n);
		for (unsigned int i = 0; i < d->maxvcpus; i++) {
			/* vCPUs past the list's end may run anywhere, as in xl. */
			s = (int)i < n ? xlu_cfg_get_listitem(list, (int)i) : "all";
			if (!s || cfg_parse_cpus(s, &d->cpus[i]))
				return cfg_error(c, "cpus", "entry %u '%s' is not a cpu list", i,
						 s ? s : "(not a string)");
		}
		d->cpus_set = true;
		return 0;
	}
	if (xlu_cfg_get_string(c->xlu, "cpus", &s, 1))
		return 0;
	if (cfg_parse_cpus(s, &d->cpus[0]))
		return cfg_error(c, "cpus", "'%s' is not a cpu list (e.g. \"0-3,^2\" or \"all\")",
				 s);
	for (unsigned int i = 1; i < d->maxvcpus; i++)
		d->cpus[i] = d->cpus[0];
	d->cpus_set = true;
	return 0;
}

/* Xen's virtual device number for xvdX[N], hdX[N], sdX[N]; -1 when not one. */
static int vdev_number(const char *v)
{
	int disk = 0, part = 0, i = 3;

	if (strncmp(v, "xvd", 3) && strncmp(v, "hd", 2) && strncmp(v, "sd", 2))
		return -1;
	if (v[0] != 'x')
		i = 2;
	if (!islower((unsigned char)v[i]))
		return -1;
	disk = v[i++] - 'a';
	if (islower((unsigned char)v[i]))
		disk = (disk + 1) * 26 + (v[i++] - 'a');
	if (isdigit((unsigned char)v[i])) {
		part = atoi(v + i);
		while (isdigit((unsigned char)v[i]))
			i++;
	}
	if (v[i] || part > 255)
		return -1;
	if (v[0] == 'h') {
		static const int ide_major[] = { 3, 22, 33, 34 };

		if (disk > 7 || part > 63)
			return -1;
		return (ide_major[disk / 2] << 8) | ((disk % 2) * 64) | part;
	}
	if (v[0] == 's')
		return disk < 16 && part < 16 ? (8 << 8) | (disk << 4) | part : -1;
	if (disk < 16 && part < 16)
		return (202 << 8) | (disk << 4) | part;
	return disk < (1 << 20) ? (1 << 28) | (disk << 8) | part : -1;
}

static int copy_disk(struct cfg_ctx *c, int idx, const libxl_device_disk *x, struct cfg_disk *o)
{
	const char *fmt = libxl_disk_format_to_string(x->format);

	if (!x->vdev)
		return cfg_error(c, "disk", "entry %d has no virtual device (vdev=...)", idx);
	o->devid = vdev_number(x->vdev);
	if (o->devid < 0)
		return cfg_error(c, "disk",
				 "entry %d: '%s' is not a virtual device name "
				 "(xvdX, hdX, sdX)",
				 idx, x->vdev);
	o->vdev = strdup(x->vdev);
	o->target = x->pdev_path ? strdup(x->pdev_path) : NULL;
	o->format = strdup(fmt ? fmt : "raw");
	o->readwrite = x->readwrite;
	o->cdrom = x->is_cdrom;
	if (!o->vdev || !o->format || (x->pdev_path && !o->target))
		return -ENOMEM;
	if (!o->target && !o->cdrom)
		return cfg_error(c, "disk", "entry %d (%s) has no target", idx, o->vdev);
	return 0;
}

int cfg_read_disks(struct cfg_ctx *c, struct cfg_domain *d)
{
	XLU_ConfigList *list;
	int n, rc = 0;

	rc = xlu_cfg_get_list(c->xlu, "disk", &list, &n, 1);
	if (rc)
		return rc == ESRCH ? 0 : cfg_error(c, "disk", "must be a list");
	if (n > CFG_MAX_DISKS)
		return cfg_error(c, "disk", "%d disks, lxl takes at most %d", n, CFG_MAX_DISKS);
	for (int i = 0; i < n && !rc; i++) {
		const char *spec = xlu_cfg_get_listitem(list, i);
		libxl_device_disk x;

		if (!spec)
			return cfg_error(c, "disk", "entry %d is not a string", i);
		libxl_device_disk_init(&x);
		if (xlu_disk_parse(c->xlu, 1, &spec, &x))
			rc = cfg_error(c, "disk", "entry %d '%s' is not a disk spec", i, spec);
		else
			rc = copy_disk(c, i, &x, &d->disks[d->nr_disks++]);
		libxl_device_disk_dispose(&x);
	}
	for (unsigned int i = 0; i < d->nr_disks && !rc; i++)
		for (unsigned int j = 0; j < i; j++)
			if (d->disks[i].devid == d->disks[j].devid)
				return cfg_error(c, "disk", "%s given twice", d->disks[i].vdev);
	return rc;
}

int cfg_read_vifs(struct cfg_ctx *c, struct cfg_domain *d)
{
	XLU_ConfigList *list;
	int n, rc = 0;

	rc = xlu_cfg_get_list(c->xlu, "vif", &list, &n, 1);
	if (rc)
		return rc == ESRCH ? 0 : cfg_error(c, "vif", "must be a list");
	if (n > CFG_MAX_VIFS)
		return cfg_error(c, "vif", "%d vifs, lxl takes at most %d", n, CFG_MAX_VIFS);
	for (int i = 0; i < n && !rc; i++) {
		const char *spec = xlu_cfg_get_listitem(list, i);

		if (!spec)
			return cfg_error(c, "vif", "entry %d is not a string", i);
		rc = cfg_parse_vif(c, spec, &d->vifs[d->nr_vifs++]);
	}
	return rc;
}
