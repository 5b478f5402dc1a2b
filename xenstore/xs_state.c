// SPDX-License-Identifier: GPL-2.0-only
/*
 * Restart without loss (live update). The daemon turns its whole state into
 * bytes (xs_snap.c), loads those bytes into a scratch store and compares it
 * with itself (xs_check.c): only when they are the same does it write the
 * state file and exec() the new binary on the same pid, so a state the new
 * daemon would refuse, or restore in part, is refused before the exec and
 * the old daemon goes on serving. The listening socket and every client
 * socket stay open across exec, so clients notice nothing. Rings are
 * mapped again and event channels re-bound from mfn and port.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xs_check.h"
#include "xs_daemon.h"
#include "xs_ops.h"
#include "xs_snap.h"

/* Socket connections come back on the same descriptors. */
static struct xs_conn *restore_socket(void *arg, struct xs_store *s, int fd)
{
	struct xs_daemon *d = arg;
	struct xs_conn *c;

	(void)s;
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return NULL; /* not open: the client is gone */
	if (xs_loop_add_socket_conn(d, fd, &c)) {
		close(fd);
		return NULL;
	}
	return c;
}

/* After the tree, before the domains: the loop and the Xen transport. */
static int restore_open(void *arg)
{
	struct xs_daemon *d = arg;
	int err = xs_loop_init(d);

	if (err)
		return err;
	if (!xs_xen_open(d) && !d->opts.no_domain_init)
		xs_xen_dom0_init(d, false);
	return 0;
}

static int read_file(const char *file, char **data, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t off = 0;
	int fd = open(file, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= 0 || st.st_size > (1l << 34)) {
		close(fd);
		return -EINVAL;
	}
	*data = malloc(st.st_size);
	if (!*data) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		n = read(fd, *data + off, st.st_size - off);
		if (n <= 0) {
			err = n < 0 ? -errno : -EINVAL;
			break;
		}
		off += n;
	}
	close(fd);
	*len = off;
	return err;
}

int xs_state_restore(struct xs_daemon *d, const char *file)
{
	struct xs_snap_hooks h = { restore_socket, restore_open, d };
	uint32_t lfd;
	char *data = NULL;
	size_t len = 0;
	int err = read_file(file, &data, &len);

	unlink(file);
	if (!err)
		err = xs_snap_listen_fd(data, len, &lfd);
	if (!err) {
		d->listen_fd = lfd;
		fcntl(lfd, F_SETFD, FD_CLOEXEC);
		err = xs_snap_load(&d->store, data, len, &h);
	}
	free(data);
	return err;
}

/* Would the new daemon restore exactly this state? 0, or why not. */
static int state_verify(struct xs_daemon *d, const struct xs_snap_buf *b, char *why, size_t size)
{
	struct xs_store v;
	int err = xs_check_store(&d->store, why, size);

	if (err)
		return err;
	err = xs_store_init(&v, &d->store.lim);
	if (err)
		return err;
	err = xs_snap_load(&v, b->data, b->len, NULL);
	if (err)
		snprintf(why, size, "the saved state does not load (%s)", strerror(-err));
	else
		err = xs_check_same(&d->store, &v, why, size);
	xs_store_free(&v);
	return err;
}

static int write_file(const char *file, const struct xs_snap_buf *b)
{
	FILE *f = fopen(file, "wbe");
	int err = 0;

	if (!f)
		return -errno;
	if (fwrite(b->data, 1, b->len, f) != b->len)
		err = -EIO;
	if (fclose(f))
		err = -EIO;
	if (err)
		unlink(file);
	return err;
}

/* Descriptors that must survive the exec: the listener and every client. */
static void set_inherit(struct xs_daemon *d, bool inherit)
{
	struct xs_list *l;

	fcntl(d->listen_fd, F_SETFD, inherit ? 0 : FD_CLOEXEC);
	for (l = d->store.conns.next; l != &d->store.conns; l = l->next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		if (c->fd >= 0)
			fcntl(c->fd, F_SETFD, inherit ? 0 : FD_CLOEXEC);
	}
}

static char **exec_args(struct xs_daemon *d, char *file)
{
	char **argv = calloc(d->opts.argc + 4, sizeof(*argv));
	int i, j;

	if (!argv)
		return NULL;
	argv[0] = d->opts.argv[0];
	for (i = 1, j = 1; i < d->opts.argc; i++) {
		if (!strcmp(d->opts.argv[i], "--restore-state")) {
			i++;
			continue;
		}
		argv[j++] = d->opts.argv[i];
	}
	argv[j++] = "--restore-state";
	argv[j++] = file;
	return argv;
}

int xs_live_update(struct xs_daemon *d)
{
	const char *bin = d->store.lu_binary ? d->store.lu_binary : d->self_exe;
	struct xs_snap_buf b;
	char file[300], why[256] = "";
	char **argv = NULL;
	int err;

	snprintf(file, sizeof(file), "%s.state", d->sock_path);
	err = xs_snap_save(&d->store, d->listen_fd, &b);
	if (!err)
		err = state_verify(d, &b, why, sizeof(why));
	if (!err && access(bin, X_OK))
		err = -errno;
	if (!err)
		err = write_file(file, &b);
	xs_snap_buf_free(&b);
	if (!err) {
		argv = exec_args(d, file);
		err = argv ? 0 : -ENOMEM;
	}
	if (err) {
		fprintf(stderr, "xenstored: live update refused, still serving: %s\n",
			why[0] ? why : strerror(-err));
		free(argv);
		return err;
	}
	set_inherit(d, true);
	fflush(NULL);
	execv(bin, argv);
	err = -errno;
	fprintf(stderr, "xenstored: live update: exec %s: %s\n", bin, strerror(errno));
	set_inherit(d, false);
	free(argv);
	unlink(file);
	return err;
}
