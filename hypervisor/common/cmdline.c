// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor command line, Xen's spelling: space-separated words,
 * "name" or "name=value". Understood: console=com1|none, loglvl=, dom0_mem=
 * (the first size; ",max:..." and "min:" parts are ignored), noreboot,
 * and lamina_selftest=hvfault|stackfault|domains|tlb|smap|smep (the boot tests' way to exercise the
 * hypervisor's own fault paths: a read of a non-canonical address, or a
 * fault with an unmapped stack, which must reach #DF on its IST stack).
 * Anything else is ignored, as Xen ignores options it does not know.
 */
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/lib.h>

struct boot_options boot_opts = { .loglvl = LOG_INFO };

static bool word_is(const char *w, size_t n, const char *name)
{
	size_t l = strlen(name);

	return n == l && !strncmp(w, name, n);
}

static uint64_t parse_size(const char *v, size_t n)
{
	const char *end;
	uint64_t x = lib_strtoull(v, &end);

	if (end >= v + n)
		return x;
	switch (*end) {
	case 'G':
	case 'g':
		return x << 30;
	case 'M':
	case 'm':
		return x << 20;
	case 'K':
	case 'k':
		return x << 10;
	default:
		return x;
	}
}

static int parse_loglvl(const char *v, size_t n)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };

	if (word_is(v, n, "all"))
		return LOG_DEBUG;
	if (word_is(v, n, "none"))
		return -1;
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (word_is(v, n, names[i]))
			return (int)i;
	return LOG_INFO;
}

static void parse_word(const char *w, size_t n, struct boot_options *opts)
{
	const char *eq = w;
	size_t nlen, vlen;

	while (eq < w + n && *eq != '=')
		eq++;
	nlen = eq - w;
	vlen = eq < w + n ? n - nlen - 1 : 0;
	if (word_is(w, nlen, "noreboot"))
		opts->noreboot = true;
	else if (word_is(w, nlen, "lamina_selftest") && vlen) {
		opts->selftest_fault = word_is(eq + 1, vlen, "hvfault");
		opts->selftest_stack = word_is(eq + 1, vlen, "stackfault");
		opts->selftest_domains = word_is(eq + 1, vlen, "domains");
		opts->selftest_tlb = word_is(eq + 1, vlen, "tlb");
		opts->selftest_smap = word_is(eq + 1, vlen, "smap");
		opts->selftest_smep = word_is(eq + 1, vlen, "smep");
	} else if (word_is(w, nlen, "console") && vlen)
		opts->console_none = word_is(eq + 1, vlen, "none");
	else if (word_is(w, nlen, "loglvl") && vlen) {
		const char *slash = eq + 1;

		while (slash < w + n && *slash != '/')
			slash++;
		opts->loglvl = parse_loglvl(eq + 1, slash - eq - 1);
	} else if (word_is(w, nlen, "dom0_mem") && vlen) {
		const char *comma = eq + 1;

		while (comma < w + n && *comma != ',')
			comma++;
		if (comma > eq + 1 && eq[1] >= '0' && eq[1] <= '9')
			opts->dom0_mem = parse_size(eq + 1, comma - eq - 1);
	}
}

void cmdline_parse(const char *cmdline, struct boot_options *opts)
{
	const char *p = cmdline;

	while (*p) {
		const char *start;

		while (*p == ' ')
			p++;
		start = p;
		while (*p && *p != ' ')
			p++;
		if (p > start)
			parse_word(start, p - start, opts);
	}
}
