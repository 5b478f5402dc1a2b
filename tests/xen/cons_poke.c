// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile console guest, played from dom0 for the rig: maps a domain's
 * console ring (by its ring-ref, as a privileged dom0 may) and either
 * corrupts the indexes ("index": out_prod far beyond out_cons) or floods it
 * for SECS seconds ("flood SECS": writes as fast as the backend drains, as
 * a runaway guest would). Exits 0 when it could do it.
 *
 *   cons_poke DOMID index | flood SECS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xenforeignmemory.h>
#include <xenstore.h>
#include <xen/xen.h>
#include <xen/io/console.h>

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void flood(struct xencons_interface *r, double secs)
{
	double end = now_s() + secs;
	unsigned long written = 0;

	while (now_s() < end) {
		XENCONS_RING_IDX cons = r->out_cons, prod = r->out_prod;

		while ((XENCONS_RING_IDX)(prod - cons) < sizeof(r->out)) {
			r->out[MASK_XENCONS_IDX(prod, r->out)] = (prod % 64) ? 'F' : '\n';
			prod++;
			written++;
		}
		__atomic_thread_fence(__ATOMIC_RELEASE);
		r->out_prod = prod;
		usleep(1000);
	}
	printf("cons_poke: flooded %lu bytes in %.0f s\n", written, secs);
}

int main(int argc, char **argv)
{
	struct xencons_interface *r;
	xenforeignmemory_handle *fm;
	struct xs_handle *xs;
	char path[64], *ref;
	xen_pfn_t pfn;
	uint32_t domid;

	if (argc < 3 || (strcmp(argv[2], "index") && (strcmp(argv[2], "flood") || argc < 4))) {
		fprintf(stderr, "usage: cons_poke DOMID index | flood SECS\n");
		return 2;
	}
	domid = (uint32_t)strtoul(argv[1], NULL, 10);
	xs = xs_open(0);
	snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", domid);
	ref = xs ? xs_read(xs, XBT_NULL, path, NULL) : NULL;
	if (!ref) {
		fprintf(stderr, "cons_poke: no %s\n", path);
		return 1;
	}
	pfn = strtoul(ref, NULL, 10);
	fm = xenforeignmemory_open(NULL, 0);
	r = fm ? xenforeignmemory_map(fm, domid, PROT_READ | PROT_WRITE, 1, &pfn, NULL) : NULL;
	if (!r) {
		perror("cons_poke: map");
		return 1;
	}
	if (!strcmp(argv[2], "index")) {
		r->out_prod = r->out_cons + 0x10000;
		printf("cons_poke: out_cons %u, out_prod %u\n", r->out_cons, r->out_prod);
	} else {
		flood(r, strtod(argv[3], NULL));
	}
	xenforeignmemory_unmap(fm, r, 1);
	xenforeignmemory_close(fm);
	xs_close(xs);
	free(ref);
	return 0;
}
