// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor command line, Xen's spelling: space-separated words,
 * "name" or "name=value". Understood: console=com1|none, loglvl=, dom0_mem=
 * (the first size; ",max:..." and "min:" parts are ignored), noreboot,
 * hypercall_trace (every hypercall that fails is printed with its
 * sub-op and arguments, 400 lines at most: what a toolstack is missing),
 * dom0_max_vcpus=<n>|<min>-<max> (as Xen: exactly n, or one vCPU per CPU of
 * the scheduler within [min, max]; at most 8), lamina_smp=on|off (on, the
 * default: every CPU runs vCPUs; off: only the boot CPU does; Xen's boolean
 * spellings 1/0, yes/no, true/false, enable/disable too),
 * and lamina_selftest=hvfault|stackfault|domains|tlb|smap|smep (the boot tests' way to exercise the
 * hypervisor's own fault paths: a read of a non-canonical address, or a
 * fault with an unmapped stack, which must reach #DF on its IST stack).
 * Anything else is ignored, as Xen ignores options it does not know.
 *
 * Boot-time domUs (Lamina's, after Xen's hyperlaunch proposal), one option
 * per domain, dom1 first:
 *   domu=<module>[,mem=<size>][,vcpus=<n>][,weight=<w>][,cap=<pct>][,cmdline=<text>]
 * <module> is the multiboot module index of its kernel (1 or more; module
 * 0 is dom0's kernel, and module 1 stays dom0's initrd unless a domu=
 * names it). mem defaults to 32M, vcpus to 1 (at most 8), weight to 256
 * (1..65535), cap to 0 (none; at most 100 per vCPU). cmdline= comes last
 * and takes the rest of the word; a word may be double-quoted in part to
 * hold spaces (domu=2,cmdline="a b"). Without it the guest gets the
 * module's own string, as dom0 does. A malformed domu= is refused with a
 * message and no domain; other domu= options stand.
 */
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/lib.h>

struct boot_options boot_opts = { .loglvl = LOG_INFO, .smp = true };

static bool word_is(const char *w, size_t n, const char *name)
{
	size_t l = strlen(name);

	return n == l && !strncmp(w, name, n);
}

/* Xen's parse_bool() spellings; anything else leaves *val as it was. */
static void parse_bool(const char *v, size_t n, bool *val)
{
	static const char *const yes[] = { "on", "1", "yes", "true", "enable" };
	static const char *const no[] = { "off", "0", "no", "false", "disable" };

	for (unsigned int i = 0; i < ARRAY_SIZE(yes); i++) {
		if (word_is(v, n, yes[i]))
			*val = true;
		if (word_is(v, n, no[i]))
			*val = false;
	}
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

#define DOMU_DEFAULT_MEM (32ULL << 20)
#define DOMU_MAX_VCPUS 8
#define DOMU_MAX_WEIGHT 65535

/* A decimal number filling [v, v + n) exactly: 0, or -1. */
static int parse_uint(const char *v, size_t n, unsigned int max, unsigned int *out)
{
	const char *end;
	uint64_t x;

	if (!n || *v < '0' || *v > '9')
		return -1;
	x = lib_strtoull(v, &end);
	if (end != v + n || x > max)
		return -1;
	*out = (unsigned int)x;
	return 0;
}

/* Copies the cmdline= text, dropping the double quotes. */
static void copy_unquoted(char *dst, size_t cap, const char *v, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < cap; i++)
		if (v[i] != '"')
			dst[o++] = v[i];
	dst[o] = 0;
}

/* One key=value of a domu= option: 0 or -1 (bad key or value). */
static int parse_domu_key(struct boot_domu *u, const char *k, size_t kn, const char *v, size_t vn)
{
	if (word_is(k, kn, "mem")) {
		u->mem = parse_size(v, vn);
		return u->mem >= (1ULL << 20) && v[0] >= '0' && v[0] <= '9' ? 0 : -1;
	}
	if (word_is(k, kn, "vcpus"))
		return parse_uint(v, vn, DOMU_MAX_VCPUS, &u->vcpus) || !u->vcpus ? -1 : 0;
	if (word_is(k, kn, "weight"))
		return parse_uint(v, vn, DOMU_MAX_WEIGHT, &u->weight) || !u->weight ? -1 : 0;
	if (word_is(k, kn, "cap"))
		return parse_uint(v, vn, 100 * DOMU_MAX_VCPUS, &u->cap);
	return -1;
}

/* domu=<module>[,key=value]...: appends a boot_domu, or says why not. */
static void parse_domu(const char *v, size_t n, struct boot_options *opts)
{
	struct boot_domu u = { .mem = DOMU_DEFAULT_MEM, .vcpus = 1 };
	const char *p = v, *end = v + n;
	const char *c = p;

	while (c < end && *c != ',')
		c++;
	if (parse_uint(p, c - p, BOOT_MAX_MODULES - 1, &u.module) || !u.module)
		goto bad;
	for (p = c; p < end; p = c) {
		const char *k = ++p, *eq = p;

		while (eq < end && *eq != '=' && *eq != ',')
			eq++;
		if (eq >= end || *eq != '=')
			goto bad;
		if (word_is(k, eq - k, "cmdline")) {
			copy_unquoted(u.cmdline, sizeof(u.cmdline), eq + 1, end - eq - 1);
			u.has_cmdline = true;
			break;
		}
		for (c = eq; c < end && *c != ','; c++)
			;
		if (parse_domu_key(&u, k, eq - k, eq + 1, c - eq - 1))
			goto bad;
	}
	if (u.cap > 100 * u.vcpus || opts->nr_domus >= BOOT_MAX_DOMUS)
		goto bad;
	opts->domu[opts->nr_domus++] = u;
	return;
bad:
	copy_unquoted(u.cmdline, 64, v, n);
	printk(LOG_ERR, "domu=%s%s refused (see docs/hypervisor.md for the syntax)", u.cmdline,
	       n > 63 ? "..." : "");
}

/*
 * dom0_max_vcpus=<n> (exactly n, more than the CPUs too) or <min>-<max>
 * (one per CPU within the bounds; an empty <min> is 1, an empty <max> no
 * limit), as Xen's; at most 8 either way.
 */
static void parse_dom0_vcpus(const char *v, size_t n, struct boot_options *opts)
{
	const char *dash = v, *end = v + n;
	unsigned int lo = 1, hi = ~0U;

	while (dash < end && *dash != '-')
		dash++;
	if (dash == end) {
		if (parse_uint(v, n, ~0U, &lo) || !lo)
			goto bad;
		hi = lo;
	} else if ((dash > v && parse_uint(v, dash - v, ~0U, &lo)) ||
		   (dash + 1 < end && parse_uint(dash + 1, end - dash - 1, ~0U, &hi)) || !lo ||
		   lo > hi) {
		goto bad;
	}
	opts->dom0_vcpus_min = MIN(lo, (unsigned int)DOMU_MAX_VCPUS);
	opts->dom0_vcpus_max = MIN(hi, (unsigned int)DOMU_MAX_VCPUS);
	return;
bad:
	printk(LOG_ERR, "dom0_max_vcpus=%.*s refused", (int)MIN(n, (size_t)32), v);
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
	else if (word_is(w, nlen, "hypercall_trace"))
		opts->hypercall_trace = true;
	else if (word_is(w, nlen, "lamina_selftest") && vlen) {
		opts->selftest_fault = word_is(eq + 1, vlen, "hvfault");
		opts->selftest_stack = word_is(eq + 1, vlen, "stackfault");
		opts->selftest_domains = word_is(eq + 1, vlen, "domains");
		opts->selftest_tlb = word_is(eq + 1, vlen, "tlb");
		opts->selftest_smap = word_is(eq + 1, vlen, "smap");
		opts->selftest_smep = word_is(eq + 1, vlen, "smep");
	} else if (word_is(w, nlen, "lamina_smp") && vlen)
		parse_bool(eq + 1, vlen, &opts->smp);
	else if (word_is(w, nlen, "dom0_max_vcpus") && vlen)
		parse_dom0_vcpus(eq + 1, vlen, opts);
	else if (word_is(w, nlen, "domu") && vlen)
		parse_domu(eq + 1, vlen, opts);
	else if (word_is(w, nlen, "console_to_ring"))
		opts->console_to_ring = !vlen || word_is(eq + 1, vlen, "1") ||
					word_is(eq + 1, vlen, "on") ||
					word_is(eq + 1, vlen, "true");
	else if (word_is(w, nlen, "console") && vlen)
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
		for (bool quoted = false; *p && (quoted || *p != ' '); p++)
			if (*p == '"')
				quoted = !quoted;
		if (p > start)
			parse_word(start, p - start, opts);
	}
}

bool boot_module_is_domu(unsigned int n)
{
	for (unsigned int i = 0; i < boot_opts.nr_domus; i++)
		if (boot_opts.domu[i].module == n)
			return true;
	return false;
}

uint64_t boot_domus_mem(void)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < boot_opts.nr_domus; i++)
		total += boot_opts.domu[i].mem;
	return total;
}
