/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon around the store: options, the epoll loop with the Unix socket,
 * the Xen transport (rings, event channels, VIRQ_DOM_EXC) and the state file
 * used to restart in place (live update).
 */
#ifndef LAMINA_XS_DAEMON_H
#define LAMINA_XS_DAEMON_H

#include <stdbool.h>

#include "xs_store.h"

struct xs_xen;

struct xs_opts {
	bool no_fork;		/* -N */
	bool no_domain_init;	/* -D */
	bool output_pid;	/* -P */
	bool verbose;		/* -V */
	bool keep_orphans;	/* -K */
	const char *pid_file;	/* -F */
	const char *trace_file; /* -T */
	const char *restore;	/* --restore-state (live update) */
	char **argv;		/* to re-exec with on live update */
	int argc;
};

struct xs_daemon {
	struct xs_store store;
	struct xs_opts opts;
	int epfd;
	int listen_fd;
	int sig_fd;
	bool accept_paused; /* out of file descriptors */
	bool stop;
	char sock_path[256];
	char self_exe[4096]; /* this binary, for live update without -f */
	struct xs_xen *xen;  /* NULL without a hypervisor */
};

/* xs_loop.c */
int xs_loop_init(struct xs_daemon *d);
int xs_loop_signals(struct xs_daemon *d);
int xs_loop_add_socket_conn(struct xs_daemon *d, int fd, struct xs_conn **out);
int xs_loop_run(struct xs_daemon *d);
void xs_loop_fini(struct xs_daemon *d);
int xs_loop_watch_fd(struct xs_daemon *d, int fd, uint64_t tag);

/* xs_xen.c: 0, or -ENODEV when there is no hypervisor to talk to. */
int xs_xen_open(struct xs_daemon *d);
/* Open Xen's libraries without looking for /dev/xen/evtchn (tests). */
int xs_xen_attach(struct xs_daemon *d);
void xs_xen_close(struct xs_daemon *d);
/* Map dom0's own ring (/proc/xen/xsd_kva); with @introduce also serve it. */
int xs_xen_dom0_init(struct xs_daemon *d, bool introduce);
void xs_xen_event(struct xs_daemon *d);
void xs_xen_flush(struct xs_daemon *d, struct xs_conn *c);

/* xs_state.c */
int xs_state_restore(struct xs_daemon *d, const char *file);
/*
 * Save state, check that it loads back as the same store, and exec the new
 * binary; returns only when refused (the daemon goes on serving) or on
 * failure of the exec.
 */
int xs_live_update(struct xs_daemon *d);

#define XS_TAG_LISTEN 1
#define XS_TAG_EVTCHN 2
#define XS_TAG_SIGNAL 3

#endif
