// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl's JSON output (-j/--json) through yajl: every document is an object
 * {"lxl_schema": 1, "kind": "<listing>", ...} so scripts can check what they
 * parse; the fields of each kind are documented in docs/lxl.md and only
 * ever added to within a schema version.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "lxl.h"

struct lxl_json {
	yajl_gen g;
};

static void str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

struct lxl_json *lxl_json_begin(const char *kind)
{
	struct lxl_json *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->g = yajl_gen_alloc(NULL);
	if (!j->g) {
		free(j);
		return NULL;
	}
	yajl_gen_config(j->g, yajl_gen_beautify, 1);
	yajl_gen_map_open(j->g);
	lxl_json_key_int(j, "lxl_schema", LXL_JSON_SCHEMA);
	lxl_json_key_str(j, "kind", kind);
	return j;
}

void lxl_json_key_str(struct lxl_json *j, const char *key, const char *val)
{
	if (!j)
		return;
	str(j->g, key);
	if (val)
		str(j->g, val);
	else
		yajl_gen_null(j->g);
}

void lxl_json_key_int(struct lxl_json *j, const char *key, long long val)
{
	if (!j)
		return;
	str(j->g, key);
	yajl_gen_integer(j->g, val);
}

void lxl_json_key_double(struct lxl_json *j, const char *key, double val)
{
	if (!j)
		return;
	str(j->g, key);
	yajl_gen_double(j->g, val);
}

void lxl_json_key_bool(struct lxl_json *j, const char *key, bool val)
{
	if (!j)
		return;
	str(j->g, key);
	yajl_gen_bool(j->g, val);
}

void lxl_json_array(struct lxl_json *j, const char *key)
{
	if (!j)
		return;
	if (key)
		str(j->g, key);
	yajl_gen_array_open(j->g);
}

void lxl_json_object(struct lxl_json *j, const char *key)
{
	if (!j)
		return;
	if (key)
		str(j->g, key);
	yajl_gen_map_open(j->g);
}

void lxl_json_close_array(struct lxl_json *j)
{
	if (j)
		yajl_gen_array_close(j->g);
}

void lxl_json_close_object(struct lxl_json *j)
{
	if (j)
		yajl_gen_map_close(j->g);
}

void lxl_json_discard(struct lxl_json *j)
{
	if (!j)
		return;
	yajl_gen_free(j->g);
	free(j);
}

int lxl_json_end(struct lxl_json *j)
{
	const unsigned char *buf;
	size_t len;
	int rc = 1;

	if (!j)
		return lxl_err("cannot allocate the JSON generator");
	yajl_gen_map_close(j->g);
	if (yajl_gen_get_buf(j->g, &buf, &len) == yajl_gen_status_ok) {
		fwrite(buf, 1, len, stdout);
		rc = 0;
	} else {
		lxl_err("malformed JSON document (an lxl bug)");
	}
	yajl_gen_free(j->g);
	free(j);
	return rc;
}
