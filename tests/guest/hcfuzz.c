// SPDX-License-Identifier: MIT
/*
 * hcfuzz: a stateful hypercall fuzzer, run as dom0 (hcfuzz.h draws the
 * whole run). Each seed builds valid state, then makes `steps` calls, each
 * one row of the tables or a multicall of several, and checks after every
 * step that the hypervisor still answers and, when the call was refused,
 * that nothing the guest can observe changed; then it tears the state down.
 *
 * Kernel command line (all optional):
 *   seed=N        run seed N only (the failing seed a report names)
 *   seeds=A-B     run seeds A to B
 *   steps=N       steps per seed (default HCF_STEPS)
 *   trace         print every step: "T seed.step row rc detail | call"
 * Without seed/seeds it runs seeds 1..HCF_SEEDS and the regression seeds.
 * Each seed ends with an INFO line carrying a digest of its steps' answers
 * (row, errno or success, statuses): hypervisors that answer alike print
 * the same digests (tests/guest/hcfuzz.sh compares Lamina's with Xen's).
 */
#include <gpv/evtchn.h>
#include <gpv/gnttab.h>
#include <gpv/test.h>

#include "hcfuzz.h"

#define HCF_SEEDS 6
#define HCF_STEPS 300
#define HCF_VERSION ((4 << 16) | 17)

/*
 * Seeds that once found a hypervisor bug, run by default (docs/fuzzing.md
 * says what each found and which commit fixed it); ended by 0.
 */
static const unsigned int regress_seeds[] = { 0 };

static const struct hcf_op *const tables[] = { hcf_mm_ops, hcf_ev_ops, hcf_gnt_ops, hcf_misc_ops,
					       hcf_ctl_ops };

static struct hcf_state st;
static struct hcf_call calls[HCF_MULTI];
static multicall_entry_t mc[HCF_MULTI] __attribute__((aligned(64)));
static struct hcf_obs before, after;
static uint64_t copies[2][HCF_POOL][512]; /* when tracing */
static bool trace;
static char why[160];

struct hcf_run {
	unsigned long steps, refused, compared, multis;
	uint64_t digest;
};

/* A number after @key in the command line, or @def. */
static unsigned long arg_num(const char *key, unsigned long def, unsigned long *second)
{
	const char *p = strstr((const char *)gpv_start_info->cmd_line, key);
	unsigned long v = 0, w = 0;

	if (!p)
		return def;
	for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (second && *p == '-')
		for (p++; *p >= '0' && *p <= '9'; p++)
			w = w * 10 + (unsigned long)(*p - '0');
	if (second)
		*second = w ? w : v;
	return v;
}

/* A row by weight (@multi: only rows that may go in a multicall). */
static const struct hcf_op *pick_row(bool multi)
{
	unsigned int total = 0, n;

	for (unsigned int t = 0; t < GPV_ARRAY_SIZE(tables); t++)
		for (const struct hcf_op *o = tables[t]; o->name; o++)
			total += multi && o->no_multi ? 0 : o->weight;
	n = hcf_below(&st, total);
	for (unsigned int t = 0; t < GPV_ARRAY_SIZE(tables); t++) {
		for (const struct hcf_op *o = tables[t]; o->name; o++) {
			unsigned int w = multi && o->no_multi ? 0 : o->weight;

			if (n < w)
				return o;
			n -= w;
		}
	}
	return tables[0];
}

static void gen_call(struct hcf_call *c, bool multi)
{
	do {
		memset(c, 0, sizeof(*c));
		c->op = pick_row(multi);
	} while (!c->op->gen(&st, c));
}

/*
 * A refused call that may still have done part of its work: a failed
 * write-back (-EFAULT) of an op that writes one, or a batch of several.
 */
static bool may_have_acted(const struct hcf_call *c, long rc)
{
	if (rc >= 0)
		return true;
	if (rc == -XEN_EFAULT && c->op->writes_back)
		return true;
	switch (c->nr) {
	case __HYPERVISOR_mmu_update:
	case __HYPERVISOR_mmuext_op:
		return c->arg[1] > 1;
	case __HYPERVISOR_grant_table_op:
		return c->arg[2] > 1;
	default:
		return false;
	}
}

/* The sub-op of a multiplexed hypercall (its first argument, or the mmuext command). */
static long subop(const struct hcf_call *c)
{
	switch (c->nr) {
	case __HYPERVISOR_mmuext_op:
		return c->arg[0] == (unsigned long)c->buf
			       ? (long)((const struct mmuext_op *)(const void *)c->buf)->cmd
			       : -1;
	case __HYPERVISOR_vcpu_op:
	case __HYPERVISOR_event_channel_op:
	case __HYPERVISOR_grant_table_op:
	case __HYPERVISOR_memory_op:
	case __HYPERVISOR_sched_op:
	case __HYPERVISOR_physdev_op:
	case __HYPERVISOR_xen_version:
	case __HYPERVISOR_console_io:
	case __HYPERVISOR_vm_assist:
		return (long)(c->arg[0] & 0xffffffffUL);
	default:
		return -1;
	}
}

/*
 * Fold the step into the digest and, when tracing, print it: "T seed.step
 * row nr/sub answer detail | call" where the answer is the errno or 0 for
 * any success (the part before '|' is what two hypervisors must agree on).
 */
static void note(struct hcf_run *r, const struct hcf_call *c, long rc)
{
	long class = rc < 0 ? rc : 0;

	r->digest = (r->digest ^ (uint64_t)(class + 1000 * c->detail)) * 0x100000001b3ULL;
	r->digest ^= (uint64_t)c->nr << 16 | (uint64_t)(subop(c) & 0xffff);
	if (trace)
		gpv_printf("T %u.%lu %s %u/%ld %ld %ld | %s\n", st.seed, st.step, c->op->name,
			   c->nr, subop(c), class, c->detail, c->desc);
}

/* One call; returns whether a refusal must have left everything as it was. */
static bool single_step(struct hcf_run *r)
{
	struct hcf_call *c = &calls[0];
	long rc;

	gen_call(c, false);
	if (trace)
		gpv_printf("> %s\n", c->desc); /* before: a call that hangs is named */
	rc = gpv_hcall(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4]);
	if (c->op->after)
		c->op->after(&st, c, rc);
	note(r, c, rc);
	r->refused += rc < 0;
	return !may_have_acted(c, rc);
}

/* A multicall of 2-4 rows' calls; the same question for the whole batch. */
static bool multi_step(struct hcf_run *r)
{
	unsigned int n = 2 + hcf_below(&st, HCF_MULTI - 1);
	unsigned long count = n, ptr = (unsigned long)mc;
	bool quiet = true;
	long rc;

	st.in_multi = true;
	for (unsigned int i = 0; i < n; i++) {
		gen_call(&calls[i], true);
		mc[i].op = calls[i].nr;
		memcpy(mc[i].args, calls[i].arg, sizeof(calls[i].arg));
		mc[i].args[5] = 0;
		mc[i].result = 0x5a5a5a5a5a5aUL; /* not run */
	}
	st.in_multi = false;
	if (trace)
		for (unsigned int i = 0; i < n; i++)
			gpv_printf("> [%u] %s\n", i, calls[i].desc);
	if (hcf_chance(&st, 10))
		ptr = hcf_in_ptr(&st, mc, sizeof(mc[0]));
	rc = gpv_multicall((multicall_entry_t *)ptr, (unsigned int)count);
	r->multis++;
	for (unsigned int i = 0; i < n; i++) {
		long res = (long)mc[i].result;

		if (mc[i].result == 0x5a5a5a5a5a5aUL)
			continue;
		if (calls[i].op->after)
			calls[i].op->after(&st, &calls[i], res);
		note(r, &calls[i], res);
		quiet = quiet && !may_have_acted(&calls[i], res);
	}
	note(r,
	     &(struct hcf_call){ .op = &(const struct hcf_op){ .name = "multicall" },
				 .nr = __HYPERVISOR_multicall,
				 .desc = "multicall" },
	     rc);
	r->refused += rc < 0;
	return quiet && (rc >= 0 || ptr != (unsigned long)mc);
}

/* Every page the model holds pinned is still pinned (pinning it again is refused). */
static bool pins_hold(const struct hcf_obs *o)
{
	for (unsigned int i = 0; i < HCF_POOL; i++) {
		if (st.pg[i].pinned && o->repin[i] != -XEN_EINVAL) {
			gpv_snprintf(why, sizeof(why),
				     "pool page %u, pinned at L%d, pins again: %ld", i,
				     st.pg[i].pinned, o->repin[i]);
			return false;
		}
	}
	return true;
}

/* Report the failing step, then undo what can be undone for the next seed. */
static bool fail_at(unsigned int seed, const char *what, const struct hcf_call *c, long res)
{
	gpv_test_checkf(false, "hcfuzz: a seed's run", "seed %u step %lu (%s): %s; last call: %s",
			seed, st.step, c ? c->op->name : "-", what, c ? c->desc : "-");
	gpv_test_info("hcfuzz: replay with seed=%u trace on the kernel command line", seed);
	if (hcf_teardown(&st, res, why, sizeof(why)))
		gpv_test_info("hcfuzz: seed %u: teardown after the failure: %s", seed, why);
	return false;
}

static bool run_seed(unsigned int seed, unsigned long steps)
{
	struct hcf_run r = { 0 };
	long res;
	int bad;

	memset(st.owned, -1, sizeof(st.owned));
	st.map_handle = -1;
	st.rng = (seed + 1) * 0x9e3779b97f4a7c15ULL;
	st.seed = seed;
	st.res_drift = 0;
	st.step = 0;
	res = hcf_reservation();
	bad = hcf_build(&st, seed & 1, why, sizeof(why));
	if (bad)
		return fail_at(seed, why, NULL, res);
	if (trace)
		for (unsigned int i = 0; i < HCF_POOL; i++)
			gpv_printf("T pool %u: va %p mfn %#lx\n", i, st.pg[i].va, st.pg[i].mfn);
	hcf_observe(&st, &before);
	if (!pins_hold(&before))
		return fail_at(seed, why, NULL, res);
	for (st.step = 1; st.step <= steps; st.step++) {
		bool quiet = hcf_chance(&st, 10) ? multi_step(&r) : single_step(&r);

		r.steps++;
		if (gpv_xen_version(XENVER_version, NULL) != HCF_VERSION)
			return fail_at(seed, "the hypervisor stopped answering", &calls[0], res);
		hcf_observe(&st, &after);
		if (!pins_hold(&after))
			return fail_at(seed, why, &calls[0], res);
		if (quiet && hcf_obs_diff(&before, &after, why, sizeof(why)))
			return fail_at(seed, why, &calls[0], res);
		r.compared += quiet;
		if (!quiet && calls[0].op->moves_reservation)
			st.res_drift += after.cur_res - before.cur_res;
		{
			uint64_t(*c0)[512] = before.copy;

			before = after;
			after.copy = c0; /* the two copies swap with the observations */
		}
	}
	bad = hcf_teardown(&st, res + st.res_drift, why, sizeof(why));
	if (bad) {
		gpv_test_checkf(false, "hcfuzz: a seed's teardown", "seed %u: %s", seed, why);
		return false;
	}
	gpv_test_info("hcfuzz: seed %u: %lu steps (%lu multicalls), %lu refused, %lu checked "
		      "unchanged, digest %#lx",
		      seed, r.steps, r.multis, r.refused, r.compared, (unsigned long)r.digest);
	return true;
}

int gpv_main(void)
{
	unsigned long last, first = arg_num("seeds=", 0, &last), steps;
	unsigned int passed = 0, total = 0;
	char name[96];

	gpv_test_area("hcfuzz");
	trace = strstr((const char *)gpv_start_info->cmd_line, "trace") != NULL;
	if (trace) {
		before.copy = copies[0];
		after.copy = copies[1];
	}
	steps = arg_num("steps=", HCF_STEPS, NULL);
	if (!first)
		first = last = arg_num("seed=", 0, NULL);
	gpv_events_mask(1);
	if (!gpv_test_eq(gpv_gnttab_init(1), 0, "a grant table") ||
	    !gpv_test_eq(hcf_alloc(&st), 0, "pool pages, a scratch page, a read-only page"))
		return gpv_test_finish();
	if (first) {
		for (unsigned long s = first; s <= last; s++, total++)
			passed += run_seed((unsigned int)s, steps);
	} else {
		for (unsigned int s = 1; s <= HCF_SEEDS; s++, total++)
			passed += run_seed(s, steps);
		for (unsigned int i = 0; regress_seeds[i]; i++, total++)
			passed += run_seed(regress_seeds[i], steps);
	}
	gpv_snprintf(name, sizeof(name), "%u of %u seeds ran clean (%lu steps each)", passed, total,
		     steps);
	gpv_test_check(passed == total, name);
	gpv_test_eq(gpv_xen_version(XENVER_version, NULL), HCF_VERSION,
		    "the hypervisor answers after the fuzzing");
	return gpv_test_finish();
}
