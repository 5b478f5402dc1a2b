// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading an xl.cfg: the text goes through libxlutil (xlu_cfg_readdata, the
 * parser xl uses, so quoting, lists and '+=' mean what they mean to xl), then
 * each key lxl knows is fetched with xlu_cfg_get_* and checked here, with
 * xl's defaults: memory 32 MiB, maxmem = memory, vcpus 1, maxvcpus = vcpus,
 * on_poweroff/on_reboot/on_crash = destroy/restart/destroy. Decision: a value
 * xl only warns about (memory = "abc") is an error here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"

int cfg_error(const struct cfg_ctx *c, const char *key, const char *fmt, ...)
{
	int line = key ? cfg_key_line(c->data, c->len, key) : 0;
	va_list ap;

	if (line)
		fprintf(c->report, "%s:%d: ", c->name, line);
	else
		fprintf(c->report, "%s: ", c->name);
	if (key)
		fprintf(c->report, "%s: ", key);
	va_start(ap, fmt);
	vfprintf(c->report, fmt, ap);
	va_end(ap);
	fputc('\n', c->report);
	return -EINVAL;
}

/* An optional string: 0 (absent leaves *out NULL), -EINVAL, -ENOMEM. */
static int get_str(struct cfg_ctx *c, const char *key, char **out)
{
	const char *v;
	int rc = xlu_cfg_get_string(c->xlu, key, &v, 0);

	*out = NULL;
	if (rc == ESRCH)
		return 0;
	if (rc)
		return cfg_error(c, key, "must be a string");
	*out = strdup(v);
	return *out ? 0 : -ENOMEM;
}

/* An optional bounded number; absent leaves *out alone. */
static int get_num(struct cfg_ctx *c, const char *key, long min, long max, unsigned long *out)
{
	long v;
	int rc = xlu_cfg_get_long(c->xlu, key, &v, 1);

	if (rc == ESRCH)
		return 0;
	if (rc)
		return cfg_error(c, key, "must be a number");
	if (v < min || v > max)
		return cfg_error(c, key, "%ld is out of range (%ld to %ld)", v, min, max);
	*out = (unsigned long)v;
	return 0;
}

static const char *const cfg_action_names[] = {
	[CFG_ACT_DESTROY] = "destroy",
	[CFG_ACT_RESTART] = "restart",
	[CFG_ACT_RENAME_RESTART] = "rename-restart",
	[CFG_ACT_PRESERVE] = "preserve",
};

const char *cfg_action_name(enum cfg_action a)
{
	return (unsigned int)a < 4 ? cfg_action_names[a] : "?";
}

static int get_action(struct cfg_ctx *c, const char *key, enum cfg_action *out)
{
	const char *v;
	int rc = xlu_cfg_get_string(c->xlu, key, &v, 0);

	if (rc == ESRCH)
		return 0;
	if (rc)
		return cfg_error(c, key, "must be a string");
	for (unsigned int i = 0; i < 4; i++) {
		if (!strcmp(v, cfg_action_names[i])) {
			*out = i;
			return 0;
		}
	}
	if (!strncmp(v, "coredump-", 9) || !strcmp(v, "soft-reset"))
		return cfg_error(c, key,
				 "'%s' is not supported by lxl (destroy, restart, "
				 "rename-restart, preserve)",
				 v);
	return cfg_error(c, key,
			 "unknown action '%s' (destroy, restart, rename-restart, "
			 "preserve)",
			 v);
}

bool cfg_name_valid(const char *name)
{
	size_t n = strlen(name);
	bool digits = true;

	if (n == 0 || n > CFG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (ch <= ' ' || ch >= 0x7f || ch == '/' || ch == '\\' || ch == '"' || ch == '\'')
			return false;
		if (ch < '0' || ch > '9')
			digits = false;
	}
	return !digits;
}

static int read_name(struct cfg_ctx *c, struct cfg_domain *d)
{
	const char *v;
	int rc = xlu_cfg_get_string(c->xlu, "name", &v, 0);

	if (rc == ESRCH)
		return cfg_error(c, NULL, "no name given (name = \"...\")");
	if (rc)
		return cfg_error(c, "name", "must be a string");
	if (!cfg_name_valid(v))
		return cfg_error(c, "name",
				 "'%s' is not a valid domain name (1-%d printable "
				 "characters, not all digits, no '/', quotes or spaces)",
				 v, CFG_NAME_MAX);
	strcpy(d->name, v);
	return 0;
}

/* type/builder: lxl builds PV guests only. */
static int read_type(struct cfg_ctx *c)
{
	const char *v;

	if (!xlu_cfg_get_string(c->xlu, "type", &v, 1) && strcmp(v, "pv"))
		return cfg_error(c, "type", "'%s' guests are not supported by lxl (only pv)", v);
	if (!xlu_cfg_get_string(c->xlu, "builder", &v, 1) && strcmp(v, "generic") &&
	    strcmp(v, "linux"))
		return cfg_error(c, "builder", "'%s' is not supported by lxl (only pv)", v);
	return 0;
}

/* cmdline, or "root=ROOT EXTRA" as xl builds it; cmdline wins with a warning. */
static int read_cmdline(struct cfg_ctx *c, struct cfg_domain *d)
{
	char *root = NULL, *extra = NULL;
	int rc;

	rc = get_str(c, "cmdline", &d->cmdline);
	if (!rc)
		rc = get_str(c, "root", &root);
	if (!rc)
		rc = get_str(c, "extra", &extra);
	if (rc)
		goto out;
	if (d->cmdline && (root || extra)) {
		fprintf(c->report, "%s: warning: ignoring root= and extra= in favour of cmdline=\n",
			c->name);
	} else if (root || extra) {
		if (asprintf(&d->cmdline, "%s%s%s%s", root ? "root=" : "", root ? root : "",
			     root && extra ? " " : "", extra ? extra : "") < 0) {
			d->cmdline = NULL;
			rc = -ENOMEM;
		}
	}
out:
	free(root);
	free(extra);
	return rc;
}

static int read_uuid(struct cfg_ctx *c, struct cfg_domain *d)
{
	const char *v;
	unsigned int b[16];

	if (xlu_cfg_get_string(c->xlu, "uuid", &v, 1))
		return 0;
	if (strlen(v) != 36 || sscanf(v, "%2x%2x%2x%2x-%2x%2x-%2x%2x-%2x%2x-%2x%2x%2x%2x%2x%2x",
				      &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7], &b[8],
				      &b[9], &b[10], &b[11], &b[12], &b[13], &b[14], &b[15]) != 16)
		return cfg_error(c, "uuid", "'%s' is not a UUID", v);
	for (int i = 0; i < 16; i++)
		d->uuid[i] = (uint8_t)b[i];
	d->uuid_set = true;
	return 0;
}

static int read_sizes(struct cfg_ctx *c, struct cfg_domain *d)
{
	unsigned long vcpus = 1, maxvcpus = 0, mem = 32, maxmem = 0;
	int rc;

	rc = get_num(c, "memory", 1, CFG_MEMORY_MAX_MB, &mem);
	if (!rc)
		rc = get_num(c, "maxmem", 1, CFG_MEMORY_MAX_MB, &maxmem);
	if (!rc)
		rc = get_num(c, "vcpus", 1, CFG_MAX_VCPUS, &vcpus);
	if (!rc)
		rc = get_num(c, "maxvcpus", 1, CFG_MAX_VCPUS, &maxvcpus);
	if (rc)
		return rc;
	if (maxmem && maxmem < mem)
		return cfg_error(c, "maxmem", "%lu MiB is below memory (%lu MiB)", maxmem, mem);
	if (maxvcpus && maxvcpus < vcpus)
		return cfg_error(c, "maxvcpus", "%lu is below vcpus (%lu)", maxvcpus, vcpus);
	d->memory_mb = mem;
	d->maxmem_mb = maxmem ? maxmem : mem;
	d->vcpus = (unsigned int)vcpus;
	d->maxvcpus = (unsigned int)(maxvcpus ? maxvcpus : vcpus);
	return 0;
}

static int read_all(struct cfg_ctx *c, struct cfg_domain *d)
{
	int rc;

	d->on_poweroff = CFG_ACT_DESTROY;
	d->on_reboot = CFG_ACT_RESTART;
	d->on_crash = CFG_ACT_DESTROY;
	rc = read_name(c, d);
	rc = rc ? rc : read_type(c);
	rc = rc ? rc : read_sizes(c, d);
	rc = rc ? rc : get_str(c, "kernel", &d->kernel);
	rc = rc ? rc : get_str(c, "ramdisk", &d->ramdisk);
	rc = rc ? rc : read_cmdline(c, d);
	rc = rc ? rc : get_action(c, "on_poweroff", &d->on_poweroff);
	rc = rc ? rc : get_action(c, "on_reboot", &d->on_reboot);
	rc = rc ? rc : get_action(c, "on_crash", &d->on_crash);
	rc = rc ? rc : read_uuid(c, d);
	rc = rc ? rc : cfg_read_cpus(c, d);
	rc = rc ? rc : cfg_read_disks(c, d);
	rc = rc ? rc : cfg_read_vifs(c, d);
	if (!rc && !d->kernel)
		rc = cfg_error(c, NULL,
			       "no kernel given (kernel = \"...\"); lxl builds PV guests "
			       "from a kernel image");
	return rc;
}

/* @data + "\n" + each override + "\n", as xl joins them. */
static char *join_overrides(const char *data, int len, const char *const *over, int nover,
			    int *outlen)
{
	size_t total = (size_t)len + 2;
	char *buf, *p;

	for (int i = 0; i < nover; i++)
		total += strlen(over[i]) + 1;
	buf = malloc(total);
	if (!buf)
		return NULL;
	memcpy(buf, data, (size_t)len);
	p = buf + len;
	*p++ = '\n';
	for (int i = 0; i < nover; i++) {
		size_t n = strlen(over[i]);

		memcpy(p, over[i], n);
		p += n;
		*p++ = '\n';
	}
	*p = '\0';
	*outlen = (int)(p - buf);
	return buf;
}

int cfg_read_data(const char *name, const char *data, int len, const char *const *over, int nover,
		  FILE *report, struct cfg_domain *out)
{
	struct cfg_ctx c = { .name = name, .report = report };
	char *text;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len < 0 || memchr(data, '\0', (size_t)len)) {
		fprintf(report, "%s: not a text file (NUL byte)\n", name);
		return -EINVAL;
	}
	text = join_overrides(data, len, over, nover, &c.len);
	if (!text)
		return -ENOMEM;
	c.data = text;
	c.xlu = xlu_cfg_init(report, name);
	if (!c.xlu) {
		rc = -ENOMEM;
		goto out_free;
	}
	/* libxlutil reports syntax errors itself, as "NAME:LINE: ...". */
	if (xlu_cfg_readdata(c.xlu, text, c.len)) {
		rc = -EINVAL;
		goto out_destroy;
	}
	cfg_warn_unknown_keys(name, text, c.len, report);
	rc = read_all(&c, out);
	if (rc)
		cfg_free(out);
out_destroy:
	xlu_cfg_destroy(c.xlu);
out_free:
	free(text);
	return rc;
}

/* Decision: at most 1 MiB, as no real xl.cfg comes near it. */
#define CFG_FILE_MAX (1 << 20)

int cfg_read_file(const char *path, const char *const *over, int nover, FILE *report,
		  struct cfg_domain *out)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!f) {
		rc = -errno;
		fprintf(report, "%s: cannot open: %s\n", path, strerror(errno));
		return rc;
	}
	buf = malloc(CFG_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, CFG_FILE_MAX + 1, f);
	if (ferror(f)) {
		fprintf(report, "%s: cannot read: %s\n", path, strerror(errno));
		rc = -EIO;
	} else if (n > CFG_FILE_MAX) {
		fprintf(report, "%s: larger than %d bytes\n", path, CFG_FILE_MAX);
		rc = -EINVAL;
	} else {
		rc = cfg_read_data(path, buf, (int)n, over, nover, report, out);
	}
	free(buf);
	fclose(f);
	return rc;
}

void cfg_free(struct cfg_domain *d)
{
	free(d->kernel);
	free(d->ramdisk);
	free(d->cmdline);
	free(d->cpus);
	for (unsigned int i = 0; i < d->nr_disks; i++) {
		free(d->disks[i].target);
		free(d->disks[i].vdev);
		free(d->disks[i].format);
	}
	for (unsigned int i = 0; i < d->nr_vifs; i++) {
		struct cfg_vif *v = &d->vifs[i];

		free(v->bridge);
		free(v->ip);
		free(v->vifname);
		free(v->model);
		free(v->script);
		free(v->type);
		free(v->rate);
	}
	memset(d, 0, sizeof(*d));
}
