// SPDX-License-Identifier: GPL-2.0-only
/*
 * The keys of an xl.cfg text and their lines, found by a small scanner over
 * the same lexical rules libxlutil applies (comments from '#', strings in
 * single or double quotes, lists in brackets that may span lines, statements
 * ended by a newline or ';'). libxlutil keeps where a setting was to itself;
 * lxl needs it for its own errors ("t.cfg:4: memory: ...") and to warn about
 * keys it does not know. It runs only on text libxlutil has accepted.
 */
#include <ctype.h>
#include <string.h>

#include "cfg_int.h"

/* Every key lxl reads. */
static const char *const cfg_known_keys[] = {
	"name",	     "type",	 "builder", "memory",  "maxmem", "vcpus", "maxvcpus",
	"cpus",	     "kernel",	 "ramdisk", "cmdline", "extra",	 "root",  "on_poweroff",
	"on_reboot", "on_crash", "disk",    "vif",     "uuid",	 NULL,
};

bool cfg_key_known(const char *key)
{
	for (int i = 0; cfg_known_keys[i]; i++)
		if (!strcmp(cfg_known_keys[i], key))
			return true;
	return false;
}

/* Skip a quoted string starting at @p (its quote); returns past the close. */
static const char *skip_string(const char *p, const char *end, int *line)
{
	char q = *p++;

	while (p < end && *p != q) {
		if (*p == '\\' && q == '"' && p + 1 < end)
			p++;
		if (*p == '\n')
			(*line)++;
		p++;
	}
	return p < end ? p + 1 : end;
}

int cfg_scan_keys(const char *data, int len, cfg_key_fn fn, void *arg)
{
	const char *p = data, *end = data + len;
	int line = 1, depth = 0, n = 0;
	bool at_start = true;

	while (p < end) {
		if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
			continue;
		}
		if (*p == '\n' || *p == ';') {
			if (*p == '\n')
				line++;
			if (depth == 0)
				at_start = true;
			p++;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			p = skip_string(p, end, &line);
			at_start = false;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '[')
			depth++;
		else if (*p == ']' && depth > 0)
			depth--;
		if (at_start && depth == 0 && (isalpha((unsigned char)*p) || *p == '_')) {
			char key[CFG_KEY_MAX];
			int k = 0;

			while (p < end && (isalnum((unsigned char)*p) || *p == '_')) {
				if (k < CFG_KEY_MAX - 1)
					key[k++] = *p;
				p++;
			}
			key[k] = '\0';
			if (fn)
				fn(key, line, arg);
			n++;
			at_start = false;
			continue;
		}
		at_start = false;
		p++;
	}
	return n;
}

struct warn_ctx {
	const char *name;
	FILE *report;
	int count;
};

static void warn_one(const char *key, int line, void *arg)
{
	struct warn_ctx *w = arg;

	if (cfg_key_known(key))
		return;
	fprintf(w->report, "%s:%d: warning: unknown key '%s' ignored\n", w->name, line, key);
	w->count++;
}

int cfg_warn_unknown_keys(const char *name, const char *data, int len, FILE *report)
{
	struct warn_ctx w = { .name = name, .report = report, .count = 0 };

	cfg_scan_keys(data, len, warn_one, &w);
	return w.count;
}

struct line_ctx {
	const char *key;
	int line;
};

static void line_one(const char *key, int line, void *arg)
{
	struct line_ctx *l = arg;

	if (!strcmp(key, l->key))
		l->line = line; /* the last assignment wins, as in libxlutil */
}

int cfg_key_line(const char *data, int len, const char *key)
{
	struct line_ctx l = { .key = key, .line = 0 };

	cfg_scan_keys(data, len, line_one, &l);
	return l.line;
}
