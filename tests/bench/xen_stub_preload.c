// SPDX-License-Identifier: GPL-2.0-only
/*
 * An LD_PRELOAD stand-in for the few hypervisor calls Xen's own xenstored
 * (C) and oxenstored (OCaml) make when they start, so that both daemons can
 * be benchmarked over their Unix socket on a plain Linux host.
 *
 * What each daemon needs at start, found with strace and nm -D:
 *   - C xenstored crashes on its first write when started with -D (its
 *     domain accounting dereferences the never-opened libxenctrl handle),
 *     so it runs without -D: it opens libxenctrl, libxengnttab and
 *     libxenevtchn, binds VIRQ_DOM_EXC, reads dom0's event channel from
 *     /proc/xen/xsd_port and maps dom0's ring from /proc/xen/xsd_kva, then
 *     asks xc_domain_getinfo() whether node owners exist.
 *   - oxenstored raises RLIMIT_NOFILE to fs.nr_open, which a container
 *     without CAP_SYS_RESOURCE refuses; with --no-domain-init it needs
 *     only the libxenctrl and libxenevtchn handles.
 *
 * The stand-ins: handles are addresses of static bytes; the event channel
 * fd is the read end of a pipe nobody writes, so poll() never wakes on it;
 * ports are small counters; grant maps are fresh zeroed anonymous pages;
 * domain 0 exists and no other domain does; /proc/xen/xsd_port and
 * /proc/xen/xsd_kva open as memfds holding "1" and a zeroed page (an idle
 * ring: dom0's kernel never writes to it); an RLIMIT_NOFILE the host
 * refuses is clamped to the hard limit. Nothing here is ever used by a
 * benchmark client: the clients talk over the Unix socket only.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>

static char stub_xc_handle, stub_evtchn_handle, stub_gnttab_handle;
static int stub_evtchn_pipe[2] = { -1, -1 };
static evtchn_port_t stub_next_port = 1;

/* ---- libxenctrl ---- */

xc_interface *xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	(void)logger;
	(void)dombuild_logger;
	(void)open_flags;
	return (xc_interface *)&stub_xc_handle;
}

int xc_interface_close(xc_interface *xch)
{
	(void)xch;
	return 0;
}

/* Domain 0 exists and runs; every other domain id is absent. */
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid, unsigned int max_doms,
		      xc_dominfo_t *info)
{
	(void)xch;
	if (max_doms == 0 || first_domid != 0 || info == NULL)
		return 0;
	memset(info, 0, sizeof(*info));
	info->domid = 0;
	info->running = 1;
	info->max_vcpu_id = 0;
	info->nr_online_vcpus = 1;
	return 1;
}

/* ---- libxenevtchn ---- */

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int open_flags)
{
	(void)logger;
	(void)open_flags;
	if (stub_evtchn_pipe[0] < 0 && pipe(stub_evtchn_pipe) != 0)
		return NULL;
	return (xenevtchn_handle *)&stub_evtchn_handle;
}

xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd,
				   unsigned int open_flags)
{
	(void)fd;
	return xenevtchn_open(logger, open_flags);
}

int xenevtchn_close(xenevtchn_handle *xce)
{
	(void)xce;
	return 0;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
	(void)xce;
	return stub_evtchn_pipe[0];
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce;
	(void)port;
	return 0;
}

xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid)
{
	(void)xce;
	(void)domid;
	return stub_next_port++;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
						     evtchn_port_t remote_port)
{
	(void)xce;
	(void)domid;
	(void)remote_port;
	return stub_next_port++;
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
	(void)xce;
	(void)virq;
	return stub_next_port++;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce;
	(void)port;
	return 0;
}

/* Nothing is ever pending: the fd never becomes readable. */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	(void)xce;
	errno = EAGAIN;
	return -1;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce;
	(void)port;
	return 0;
}

/* ---- libxengnttab ---- */

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned open_flags)
{
	(void)logger;
	(void)open_flags;
	return (xengnttab_handle *)&stub_gnttab_handle;
}

int xengnttab_close(xengnttab_handle *xgt)
{
	(void)xgt;
	return 0;
}

int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
	(void)xgt;
	(void)nr_grants;
	return 0;
}

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot)
{
	void *p;

	(void)xgt;
	(void)domid;
	(void)ref;
	p = mmap(NULL, XC_PAGE_SIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
	(void)xgt;
	return munmap(start_address, (size_t)count * XC_PAGE_SIZE);
}

/* ---- files under /proc/xen, and the descriptor limit ---- */

/* A memfd standing in for /proc/xen/xsd_port or xsd_kva; -2 if not ours. */
static int stub_proc_xen(const char *path)
{
	static const char port[] = "1\n";
	int fd;

	if (path == NULL)
		return -2;
	if (strcmp(path, "/proc/xen/xsd_port") == 0) {
		fd = memfd_create("xsd_port", MFD_CLOEXEC);
		if (fd >= 0 && (write(fd, port, sizeof(port) - 1) != sizeof(port) - 1 ||
				lseek(fd, 0, SEEK_SET) != 0)) {
			close(fd);
			return -1;
		}
		return fd;
	}
	if (strcmp(path, "/proc/xen/xsd_kva") == 0) {
		fd = memfd_create("xsd_kva", MFD_CLOEXEC);
		if (fd >= 0 && ftruncate(fd, XC_PAGE_SIZE) != 0) {
			close(fd);
			return -1;
		}
		return fd;
	}
	return -2;
}

typedef int (*stub_openat_fn)(int, const char *, int, ...);

static int stub_real_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	static stub_openat_fn real;

	if (real == NULL)
		real = (stub_openat_fn)dlsym(RTLD_NEXT, "openat");
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return real(dirfd, path, flags, mode);
}

static int stub_open_common(int dirfd, const char *path, int flags, mode_t mode)
{
	int fd = stub_proc_xen(path);

	if (fd != -2)
		return fd;
	return stub_real_openat(dirfd, path, flags, mode);
}

/* The mode argument of open(2) is only there with O_CREAT or O_TMPFILE. */
static bool stub_has_mode(int flags)
{
	return (flags & O_CREAT) != 0 || (flags & __O_TMPFILE) == __O_TMPFILE;
}

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int openat64(int dirfd, const char *path, int flags, ...);

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (stub_has_mode(flags)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return stub_open_common(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (stub_has_mode(flags)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return stub_open_common(AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (stub_has_mode(flags)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return stub_open_common(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (stub_has_mode(flags)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return stub_open_common(dirfd, path, flags, mode);
}

typedef int (*stub_setrlimit_fn)(__rlimit_resource_t, const struct rlimit *);

/* A descriptor limit the host refuses is clamped to the hard limit. */
int setrlimit(__rlimit_resource_t resource, const struct rlimit *rlim)
{
	static stub_setrlimit_fn real;
	struct rlimit cur, clamped;
	int rc;

	if (real == NULL)
		real = (stub_setrlimit_fn)dlsym(RTLD_NEXT, "setrlimit");
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	rc = real(resource, rlim);
	if (rc == 0 || errno != EPERM || resource != RLIMIT_NOFILE ||
	    getrlimit(RLIMIT_NOFILE, &cur) != 0)
		return rc;
	clamped.rlim_max = cur.rlim_max;
	clamped.rlim_cur = rlim->rlim_cur < cur.rlim_max ? rlim->rlim_cur : cur.rlim_max;
	return real(resource, &clamped);
}
