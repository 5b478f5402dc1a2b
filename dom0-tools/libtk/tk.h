/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libtk: the toolstack. Above libhyp (the hypervisor), libxsu (xenstore) and
 * libcfg (xl.cfg), it does what xl's libxl does for lxl's commands: finds
 * domains by name or id, creates, builds and introduces a PV guest with the
 * standard xenstore tree and its device entries, destroys one leaving
 * nothing behind, and carries out the on_poweroff/on_reboot/on_crash policy
 * from a small per-domain monitor.
 *
 * Every failing call leaves one line in tk->msg saying what is wrong in the
 * user's terms ("no domain named 'web'", "not enough memory: 20 MiB free,
 * 64 MiB asked") and returns -Exxx.
 */
#ifndef LAMINA_DOM0_TK_H
#define LAMINA_DOM0_TK_H

#include <stdbool.h>
#include <stdint.h>

#include "dom0-tools/libcfg/cfg.h"
#include "dom0-tools/libhyp/hyp.h"

struct xs_handle;

struct tk {
	struct hyp *hyp;
	struct xs_handle *xs;
	char msg[512]; /* the last error, one line */
};

/* Open the hypervisor and xenstore; -Exxx with tk->msg on failure. */
/*
 * LXL_TIMING=1 in the environment: one line on stderr per phase (@what, the
 * ms since the previous call); the first call also prints the time from the
 * process's start to it, and with @what NULL only sets the clock.
 */
void tk_timing(const char *what);

int tk_open(struct tk *tk);
void tk_close(struct tk *tk);

/* Set tk->msg; returns @rc. */
int tk_fail(struct tk *tk, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A domain by id or name: -ESRCH "no domain named 'x'" / "no domain with id 7". */
int tk_resolve(struct tk *tk, const char *name_or_id, uint32_t *domid);

/* The name of @domid from xenstore (malloc'ed), or "(null)" style fallback NULL. */
char *tk_domain_name(struct tk *tk, uint32_t domid);

/* The id of a domain called @name; -ESRCH when none. */
int tk_find_name(struct tk *tk, const char *name, uint32_t *domid);

/* How lxl create runs: what xl create's -p and -F/-q change. */
struct tk_create_opts {
	bool paused;
	const char *config_path; /* recorded for restarts */
};

/*
 * Create, build and start the domain @cfg describes. Checks first (name not
 * in use, kernel and ramdisk readable, enough free memory), then creates;
 * any failure after that destroys what was made. *domid is the new id.
 */
int tk_create(struct tk *tk, const struct cfg_domain *cfg, const struct tk_create_opts *o,
	      uint32_t *domid);

/* Destroy @domid and remove every xenstore node lxl made for it. */
int tk_destroy(struct tk *tk, uint32_t domid);

/* Rename @domid to @name (checked, not in use). */
int tk_rename(struct tk *tk, uint32_t domid, const char *name);

/* Ask the guest to power off or reboot through control/shutdown. */
int tk_shutdown(struct tk *tk, uint32_t domid, bool reboot);

/* Set the balloon target (memory/target) of @domid, in KiB. */
int tk_mem_set(struct tk *tk, uint32_t domid, uint64_t kb);
/* Set the maximum (Xen's max_mem and memory/static-max), in KiB. */
int tk_mem_max(struct tk *tk, uint32_t domid, uint64_t kb);
/* Bring vCPUs [0, n) online and the rest offline (cpu/N/availability). */
int tk_vcpu_set(struct tk *tk, uint32_t domid, unsigned int n);

/* Seconds since @domid was started, from /vm/<uuid>/start_time; -ENOENT. */
int tk_uptime(struct tk *tk, uint32_t domid, double *secs);

/*
 * The per-domain monitor (xl's daemonised create): waits on @releaseDomain,
 * and when @domid shuts down applies @cfg's policy for the reason; returns
 * when the domain is gone for good (destroyed or preserved). @log gets one
 * line per event.
 */
int tk_monitor(struct tk *tk, uint32_t domid, const struct cfg_domain *cfg, FILE *log);

/* The last @n lines of @domid's console log (as lamina-consoled or xenconsoled keep it). */
int tk_console_tail(struct tk *tk, uint32_t domid, const char *name, unsigned int n, FILE *out);

/* "01234567-89ab-..." for @u into @out[37]. */
void tk_uuid_str(const uint8_t u[16], char out[37]);

#endif
