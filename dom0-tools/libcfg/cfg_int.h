/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libcfg's insides, shared by its files only: the key scanner and the
 * reading context that carries the text, its name and the report stream.
 */
#ifndef LAMINA_DOM0_CFG_INT_H
#define LAMINA_DOM0_CFG_INT_H

#include <libxlutil.h>

#include "cfg.h"

#define CFG_KEY_MAX 64

typedef void (*cfg_key_fn)(const char *key, int line, void *arg);

/* Call @fn for every top-level key of @data with its line; returns how many. */
int cfg_scan_keys(const char *data, int len, cfg_key_fn fn, void *arg);

/* The line of the last assignment to @key in @data, 0 when none. */
int cfg_key_line(const char *data, int len, const char *key);

/* True for the keys lxl reads. */
bool cfg_key_known(const char *key);

/* One file being read. */
struct cfg_ctx {
	const char *name; /* as reported */
	const char *data; /* the whole text, overrides appended */
	int len;
	FILE *report;
	XLU_Config *xlu;
};

/* Report "NAME:LINE: KEY: message" (LINE left out when unknown); -EINVAL. */
int cfg_error(const struct cfg_ctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* disk = [...] and vif = [...] into @d. */
int cfg_read_disks(struct cfg_ctx *c, struct cfg_domain *d);
int cfg_read_vifs(struct cfg_ctx *c, struct cfg_domain *d);

/* One vif spec ("mac=...,bridge=...") into @v; 0 or -EINVAL (reported). */
int cfg_parse_vif(struct cfg_ctx *c, const char *spec, struct cfg_vif *v);

/* cpus = "..." or cpus = [...] into d->cpus. */
int cfg_read_cpus(struct cfg_ctx *c, struct cfg_domain *d);

#endif
