// SPDX-License-Identifier: GPL-2.0-only
/*
 * One vif spec of an xl.cfg, "key=value,key=value", as xl reads it: mac,
 * bridge, ip, vifname, model, script, type, rate, backend. An unknown key is
 * warned about and ignored, as xl does; a malformed item or MAC is an error.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"

/* "00:16:3e:aa:bb:cc"; xl also accepts '-' separators. */
static bool mac_valid(const char *m)
{
	if (strlen(m) != 17)
		return false;
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? (m[i] != ':' && m[i] != '-') : !isxdigit((unsigned char)m[i]))
			return false;
	}
	/* Bit 0 of the first byte is the multicast bit: no NIC has it. */
	return (strtoul(m, NULL, 16) & 1) == 0;
}

static int vif_backend(struct cfg_ctx *c, const char *val, struct cfg_vif *v)
{
	char *end;
	unsigned long id = strtoul(val, &end, 10);

	/* Decision: a backend given by name needs a lookup; only dom0 or an id. */
	if (!strcmp(val, "Domain-0")) {
		v->backend_domid = 0;
		return 0;
	}
	if (!isdigit((unsigned char)val[0]) || *end || id >= 0x7ff0)
		return cfg_error(c, "vif", "backend '%s' is not a domain id", val);
	v->backend_domid = (int)id;
	return 0;
}

static int vif_item(struct cfg_ctx *c, const char *key, const char *val, struct cfg_vif *v)
{
	static const struct {
		const char *key;
		size_t off;
	} strs[] = {
		{ "bridge", offsetof(struct cfg_vif, bridge) },
		{ "ip", offsetof(struct cfg_vif, ip) },
		{ "vifname", offsetof(struct cfg_vif, vifname) },
		{ "model", offsetof(struct cfg_vif, model) },
		{ "script", offsetof(struct cfg_vif, script) },
		{ "type", offsetof(struct cfg_vif, type) },
		{ "rate", offsetof(struct cfg_vif, rate) },
	};

	if (!strcmp(key, "mac")) {
		if (!mac_valid(val))
			return cfg_error(c, "vif", "'%s' is not a unicast MAC address", val);
		for (int i = 0; i < 17; i++)
			v->mac[i] = (char)(i % 3 == 2 ? ':' : tolower((unsigned char)val[i]));
		v->mac[17] = '\0';
		return 0;
	}
	if (!strcmp(key, "backend"))
		return vif_backend(c, val, v);
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		char **slot = (char **)((char *)v + strs[i].off);

		if (strcmp(key, strs[i].key))
			continue;
		free(*slot);
		*slot = strdup(val);
		return *slot ? 0 : -ENOMEM;
	}
	fprintf(c->report, "%s: warning: vif: unknown option '%s' ignored\n", c->name, key);
	return 0;
}

int cfg_parse_vif(struct cfg_ctx *c, const char *spec, struct cfg_vif *v)
{
	char *buf = strdup(spec), *save = NULL, *tok;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	for (tok = strtok_r(buf, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		char *eq;

		while (isspace((unsigned char)*tok))
			tok++;
		if (!*tok)
			continue;
		eq = strchr(tok, '=');
		if (!eq || eq == tok) {
			rc = cfg_error(c, "vif", "'%s' is not key=value", tok);
			break;
		}
		*eq = '\0';
		rc = vif_item(c, tok, eq + 1, v);
	}
	free(buf);
	return rc;
}
