// SPDX-License-Identifier: GPL-2.0-only
/*
 * A pretend toolstack for fuzz_d0_args: libtk, libhyp and the few xenstore
 * calls lxl's commands make, answered from a small table of domains held
 * here, so the command line runs to the point where it would talk to the
 * hypervisor or xenstored and no further. Each stand-in also checks what it
 * is handed (the handles tk_open gave, a domain id that was resolved, a
 * pin bitmap readable to its end, names xl would take): a violation aborts,
 * which the fuzzer reports. fork, usleep and poll are wrapped (-Wl,--wrap):
 * the create monitor is never forked (fork fails with EAGAIN), sleeps and
 * timed polls return at once.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "d0_fake.h"
#include <xenstore.h>

#include "dom0-tools/libxsu/xsu.h"

#define FAKE_HYP ((struct hyp *)0x1000)
#define FAKE_XS ((struct xs_handle *)0x2000)

static const struct fake_dom {
	uint32_t domid;
	const char *name;
	bool shutdown;
	unsigned int vcpus;
} fake_doms[] = {
	{ 0, "Domain-0", false, 2 },
	{ 1, "guest", false, 1 },
	{ 7, "web", true, 4 },
	{ 12, "12x", false, 1 },
};
#define NR_FAKE_DOMS (sizeof(fake_doms) / sizeof(fake_doms[0]))

unsigned long d0_fake_calls;
static bool shut_asked[NR_FAKE_DOMS];

static const struct fake_dom *find_dom(uint32_t domid)
{
	for (size_t i = 0; i < NR_FAKE_DOMS; i++)
		if (fake_doms[i].domid == domid)
			return &fake_doms[i];
	return NULL;
}

/* Every call past the command line: the handles must be the open ones. */
static void check_hyp(const struct hyp *h)
{
	if (h != FAKE_HYP || lxl_tk.hyp != FAKE_HYP)
		abort();
	d0_fake_calls++;
}

/* A domain id handed down must be one tk_resolve/tk_find_name/list gave out. */
static const struct fake_dom *check_dom(uint32_t domid)
{
	const struct fake_dom *d = find_dom(domid);

	check_hyp(FAKE_HYP);
	if (!d)
		abort();
	return d;
}

void d0_fake_reset(void)
{
	memset(&lxl_tk, 0, sizeof(lxl_tk));
	memset(shut_asked, 0, sizeof(shut_asked));
	d0_fake_calls = 0;
}

int tk_open(struct tk *tk)
{
	tk->hyp = FAKE_HYP;
	tk->xs = FAKE_XS;
	tk->msg[0] = '\0';
	return 0;
}

void tk_close(struct tk *tk)
{
	if (tk->hyp != FAKE_HYP || tk->xs != FAKE_XS)
		abort();
	tk->hyp = NULL;
	tk->xs = NULL;
}

static int fail(struct tk *tk, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tk->msg, sizeof(tk->msg), fmt, ap);
	va_end(ap);
	return rc;
}

int tk_find_name(struct tk *tk, const char *name, uint32_t *domid)
{
	check_hyp(tk->hyp);
	for (size_t i = 0; i < NR_FAKE_DOMS; i++) {
		if (!strcmp(fake_doms[i].name, name)) {
			*domid = fake_doms[i].domid;
			return 0;
		}
	}
	return fail(tk, -ESRCH, "no domain named '%s'", name);
}

int tk_resolve(struct tk *tk, const char *name_or_id, uint32_t *domid)
{
	char *end;
	unsigned long v;

	check_hyp(tk->hyp);
	if (!tk_find_name(tk, name_or_id, domid))
		return 0;
	if (name_or_id[0] < '0' || name_or_id[0] > '9')
		return -ESRCH;
	v = strtoul(name_or_id, &end, 10);
	if (*end || !find_dom((uint32_t)v))
		return fail(tk, -ESRCH, "no domain with id %s", name_or_id);
	*domid = (uint32_t)v;
	return 0;
}

char *tk_domain_name(struct tk *tk, uint32_t domid)
{
	check_hyp(tk->hyp);
	return find_dom(domid) ? strdup(find_dom(domid)->name) : NULL;
}

int tk_create(struct tk *tk, const struct cfg_domain *cfg, const struct tk_create_opts *o,
	      uint32_t *domid)
{
	check_hyp(tk->hyp);
	if (!cfg_name_valid(cfg->name) || !cfg->kernel || !o->config_path)
		abort();
	*domid = 1;
	return 0;
}

int tk_destroy(struct tk *tk, uint32_t domid)
{
	check_dom(domid);
	return domid ? 0 : fail(tk, -EPERM, "cannot destroy Domain-0");
}

int tk_rename(struct tk *tk, uint32_t domid, const char *name)
{
	check_dom(domid);
	if (!cfg_name_valid(name))
		return fail(tk, -EINVAL, "'%s' is not a valid domain name", name);
	return 0;
}

int tk_shutdown(struct tk *tk, uint32_t domid, bool reboot)
{
	const struct fake_dom *d = check_dom(domid);

	(void)reboot;
	if (!domid)
		return fail(tk, -EPERM, "Domain-0 cannot be shut down by lxl");
	shut_asked[d - fake_doms] = true; /* so that -w ends */
	return 0;
}

int tk_mem_set(struct tk *tk, uint32_t domid, uint64_t kb)
{
	(void)tk;
	check_dom(domid);
	return kb ? 0 : -EINVAL;
}

int tk_mem_max(struct tk *tk, uint32_t domid, uint64_t kb)
{
	return tk_mem_set(tk, domid, kb);
}

int tk_vcpu_set(struct tk *tk, uint32_t domid, unsigned int n)
{
	const struct fake_dom *d = check_dom(domid);

	return n <= d->vcpus ? 0 : fail(tk, -EINVAL, "at most %u vCPUs", d->vcpus);
}

int tk_uptime(struct tk *tk, uint32_t domid, double *secs)
{
	(void)tk;
	check_dom(domid);
	*secs = 3601.5 * domid;
	return 0;
}

int tk_monitor(struct tk *tk, uint32_t domid, const struct cfg_domain *cfg, FILE *log)
{
	(void)cfg;
	(void)log;
	(void)tk;
	check_dom(domid);
	return 0;
}

void tk_uuid_str(const uint8_t u[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-0000-0000-0000-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static unsigned int fake_dom_pool(uint32_t domid)
{
	return domid == 12 ? 1 : 0;
}

static void fill_info(const struct fake_dom *d, struct hyp_dominfo *out)
{
	memset(out, 0, sizeof(*out));
	out->domid = d->domid;
	out->handle[15] = (uint8_t)d->domid;
	out->shutdown = d->shutdown || shut_asked[d - fake_doms];
	/* Asked to shut down: gone at once too, as with on_poweroff=destroy (-ww ends). */
	out->dying = shut_asked[d - fake_doms];
	out->nr_pages = 16384;
	out->max_memkb = 65536;
	out->nr_online_vcpus = d->vcpus;
	out->max_vcpu_id = d->vcpus - 1;
	out->cpupool = fake_dom_pool(d->domid);
}

int hyp_domain_info(struct hyp *h, uint32_t domid, struct hyp_dominfo *out)
{
	const struct fake_dom *d = find_dom(domid);

	check_hyp(h);
	if (!d)
		return -ESRCH;
	fill_info(d, out);
	return 0;
}

int hyp_domain_list(struct hyp *h, struct hyp_dominfo **out)
{
	check_hyp(h);
	*out = calloc(NR_FAKE_DOMS, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < NR_FAKE_DOMS; i++)
		fill_info(&fake_doms[i], &(*out)[i]);
	return (int)NR_FAKE_DOMS;
}

int hyp_domain_pause(struct hyp *h, uint32_t domid)
{
	check_hyp(h);
	check_dom(domid);
	return 0;
}

int hyp_domain_unpause(struct hyp *h, uint32_t domid)
{
	return hyp_domain_pause(h, domid);
}

int hyp_host_info(struct hyp *h, struct hyp_host *out)
{
	check_hyp(h);
	memset(out, 0, sizeof(*out));
	out->nr_cpus = 4;
	out->nr_nodes = 1;
	out->cores_per_socket = 4;
	out->threads_per_core = 1;
	out->cpu_khz = 2000000;
	out->total_pages = 65536;
	out->free_pages = 1024;
	out->max_cpu_id = 3;
	out->xen_major = 4;
	out->xen_minor = 17;
	strcpy(out->xen_caps, "xen-3.0-x86_64");
	out->pagesize = 4096;
	return 0;
}

int hyp_host_physinfo(struct hyp *h, struct hyp_host *out)
{
	return hyp_host_info(h, out);
}

/* lxl info -n: four cores of one socket on node 0, one node of 256 MiB. */
int hyp_cpu_topology(struct hyp *h, struct hyp_cputopo **out)
{
	check_hyp(h);
	*out = calloc(4, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (uint32_t i = 0; i < 4; i++)
		(*out)[i] = (struct hyp_cputopo){ i, 0, 0 };
	return 4;
}

int hyp_numa_info(struct hyp *h, struct hyp_numa_node **out, uint32_t **dist)
{
	check_hyp(h);
	*out = calloc(1, sizeof(**out));
	*dist = calloc(1, sizeof(**dist));
	if (!*out || !*dist)
		abort();
	(*out)[0] = (struct hyp_numa_node){ 256ULL << 20, 4ULL << 20 };
	(*dist)[0] = 10;
	return 1;
}

int hyp_pci_topology(struct hyp *h, const struct hyp_pci_dev *devs, unsigned int n, uint32_t *node)
{
	(void)devs;
	check_hyp(h);
	for (unsigned int i = 0; i < n; i++)
		node[i] = 0;
	return 0;
}

int hyp_vcpu_info(struct hyp *h, uint32_t domid, unsigned int vcpu, struct hyp_vcpu *out)
{
	const struct fake_dom *d = check_dom(domid);

	check_hyp(h);
	if (vcpu >= d->vcpus)
		return -ESRCH;
	memset(out, 0, sizeof(*out));
	out->vcpu = vcpu;
	out->online = true;
	out->cpu = (int)vcpu;
	out->affinity = ~0ULL;
	return 0;
}

int hyp_vcpu_pin(struct hyp *h, uint32_t domid, unsigned int vcpu, const uint8_t *hard,
		 const uint8_t *soft, unsigned int nbits)
{
	const struct fake_dom *d = check_dom(domid);
	uint8_t copy[CFG_MAX_CPUS / 8] = { 0 }, scopy[CFG_MAX_CPUS / 8] = { 0 };

	check_hyp(h);
	if (nbits > CFG_MAX_CPUS)
		abort();
	/* the whole bitmaps must be readable (ASan) */
	if (hard)
		memcpy(copy, hard, (nbits + 7) / 8);
	if (soft)
		memcpy(scopy, soft, (nbits + 7) / 8);
	return vcpu < d->vcpus && (!hard || copy[0]) ? 0 : -EINVAL;
}

/* Two pools: 0 runs credit2 (Pool-0), 1 credit, with domain 12 in it. */
static int fake_pool_sched(unsigned int pool)
{
	return pool == 0 ? HYP_SCHED_CREDIT2 : pool == 1 ? HYP_SCHED_CREDIT : -1;
}

int hyp_sched_params_get(struct hyp *h, int sched, unsigned int pool, struct hyp_sched_params *p)
{
	check_hyp(h);
	if (fake_pool_sched(pool) != sched)
		return -EINVAL;
	*p = (struct hyp_sched_params){ 30, 1000, 0 };
	return 0;
}

int hyp_sched_params_set(struct hyp *h, int sched, unsigned int pool,
			 const struct hyp_sched_params *p)
{
	check_hyp(h);
	if (fake_pool_sched(pool) != sched)
		return -EINVAL;
	/* lxl checks libxl's bounds before it asks */
	if (p->ratelimit_us > 500000 || (sched == HYP_SCHED_CREDIT && p->tslice_ms > 1000))
		abort();
	return 0;
}

int hyp_sched_dom_get(struct hyp *h, int sched, uint32_t domid, unsigned int *weight,
		      unsigned int *cap)
{
	check_hyp(h);
	check_dom(domid);
	if (fake_pool_sched(fake_dom_pool(domid)) != sched)
		return -EINVAL;
	*weight = 256;
	*cap = 0;
	return 0;
}

int hyp_sched_dom_set(struct hyp *h, int sched, uint32_t domid, unsigned int weight,
		      unsigned int cap)
{
	const struct fake_dom *d = check_dom(domid);

	check_hyp(h);
	if (fake_pool_sched(fake_dom_pool(domid)) != sched)
		return -EINVAL;
	/* lxl checks libxl's ranges before it asks */
	if (weight < 1 || weight > 65535 || cap > d->vcpus * 100)
		abort();
	return 0;
}

int hyp_sched_name(struct hyp *h, unsigned int pool, const char **name)
{
	check_hyp(h);
	if (fake_pool_sched(pool) < 0)
		return -ENOENT;
	*name = pool ? "credit" : "credit2";
	return 0;
}

int hyp_cpupool_next(struct hyp *h, unsigned int pool, struct hyp_pool *out)
{
	check_hyp(h);
	if (pool > 1)
		return -ENOENT;
	out->id = pool;
	out->sched_id = fake_pool_sched(pool);
	out->sched = pool ? "credit" : "credit2";
	out->nr_cpus = pool ? 1 : 3;
	out->nr_domains = pool ? 1 : NR_FAKE_DOMS - 1;
	return 0;
}

int hyp_read_console(struct hyp *h, char *buf, unsigned int size, bool clear)
{
	static const char text[] = "(XEN) Lamina\n(XEN) pretend console\n";

	(void)clear;
	check_hyp(h);
	if (size < sizeof(text))
		abort();
	memcpy(buf, text, sizeof(text));
	return (int)sizeof(text) - 1;
}

char *xsu_readf(struct xs_handle *xs, int *rc, const char *fmt, ...)
{
	if (xs != FAKE_XS)
		abort();
	check_hyp(FAKE_HYP);
	(void)fmt;
	if (rc)
		*rc = -ENOENT;
	return NULL; /* no console daemon publishes a tty */
}

/* LXL_TIMING's lines: nothing to time here. */
void tk_timing(const char *what)
{
	(void)what;
}

/* lxl's watches have a connection of their own (libxsu): none here, as with no daemon. */
int xsu_watch_open(const char *path, const char *token)
{
	(void)path;
	(void)token;
	check_hyp(FAKE_HYP);
	return -ENOTCONN;
}

int xsu_watch_drain(int fd)
{
	if (fd >= 0)
		abort();
	return -EIO;
}

void xsu_watch_close(int fd)
{
	if (fd >= 0)
		abort();
}

pid_t __wrap_fork(void);
pid_t __wrap_fork(void)
{
	errno = EAGAIN;
	return -1;
}

int __wrap_usleep(useconds_t us);
int __wrap_usleep(useconds_t us)
{
	(void)us;
	return 0;
}

int __real_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	(void)timeout;
	return __real_poll(fds, n, 0);
}
