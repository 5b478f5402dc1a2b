// SPDX-License-Identifier: MIT
/*
 * The event-channel and grant benchmark kernel (work a domain can do with
 * itself, so real Xen runs it too): an event round trip to itself (a send
 * on a loopback pair, the upcall it raises, the handler, the return), a
 * 2-level send that raises no upcall (masked port), a GNTTABOP_copy of a
 * granted 4 KiB page to a frame of its own, and a grant of its own page
 * mapped and unmapped again (two hypercalls), at a kernel address and as a
 * device map. Each is run in batches; the best batch's cycles per
 * operation is printed as "BENCH: <name> <n> cycles/op" (the copy also as
 * MB/s, the maps as pairs per second, from system time), with PASS lines
 * saying each operation did what it should.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/gnttab.h>
#include <gpv/hypercalls.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>
#include <gpv/time.h>

#define BATCHES 5
#define ITERS 2000

static unsigned long events;
static evtchn_port_t tx;
static struct gnttab_copy copy;
static struct gnttab_map_grant_ref map;
static struct gnttab_unmap_grant_ref unmap;

static void on_event(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	events++;
}

static long op_roundtrip(void)
{
	return gpv_evtchn_send(tx);
}

static long op_copy(void)
{
	long rc = gpv_grant_table_op(GNTTABOP_copy, &copy, 1);

	return rc ? rc : copy.status;
}

static long op_map_unmap(void)
{
	long rc = gpv_grant_table_op(GNTTABOP_map_grant_ref, &map, 1);

	if (rc || map.status)
		return rc ? rc : map.status;
	unmap.handle = map.handle;
	rc = gpv_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 1);
	return rc ? rc : unmap.status;
}

/* Best cycles/op over BATCHES batches, and that batch's ns; *last gets the last result. */
static uint64_t measure(long (*op)(void), long *last, uint64_t *best_ns)
{
	uint64_t best = ~0ULL;

	for (int b = 0; b < BATCHES; b++) {
		uint64_t n0 = gpv_time_now(), t0 = gpv_rdtsc(), dt;

		for (int i = 0; i < ITERS; i++)
			*last = op();
		dt = (gpv_rdtsc() - t0) / ITERS;
		if (dt < best) {
			best = dt;
			*best_ns = gpv_time_now() - n0;
		}
	}
	return best;
}

static uint64_t run(const char *name, long (*op)(void), long want)
{
	long last = 0x5a5a;
	uint64_t ns = 0, c = measure(op, &last, &ns);
	char label[80];

	gpv_printf("BENCH: %s %lu cycles/op\n", name, (unsigned long)c);
	gpv_snprintf(label, sizeof(label), "%s gives its expected result", name);
	gpv_test_eq(last, want, label);
	return ns;
}

static void bench_events(void)
{
	long a = gpv_evtchn_alloc_unbound(DOMID_SELF);
	long b = a > 0 ? gpv_evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a) : -1;

	gpv_test_checkf(a > 0 && b > 0, "a loopback pair", "%ld %ld", a, b);
	if (a <= 0 || b <= 0)
		return;
	tx = (evtchn_port_t)b;
	gpv_evtchn_set_handler((evtchn_port_t)a, on_event, NULL);
	gpv_evtchn_unmask((evtchn_port_t)a);
	gpv_events_mask(0);
	events = 0;
	run("evtchn_roundtrip_self", op_roundtrip, 0);
	gpv_events_mask(1);
	gpv_test_checkf(events >= (unsigned long)BATCHES * ITERS, "every send reached the handler",
			"%lu of %d", events, BATCHES * ITERS);
	gpv_shared_info->evtchn_mask[a / 64] |= 1UL << (a % 64);
	run("evtchn_send_masked", op_roundtrip, 0);
	gpv_evtchn_close((evtchn_port_t)b);
	gpv_evtchn_close((evtchn_port_t)a);
}

static void bench_copy(void)
{
	uint8_t *src = gpv_page_alloc(), *dst = gpv_page_alloc();
	long ref;
	uint64_t ns;

	if (gpv_gnttab_init(1)) {
		gpv_test_check(false, "grant table set up");
		return;
	}
	for (unsigned int i = 0; i < 4096; i++)
		src[i] = (uint8_t)i;
	ref = gpv_gnttab_grant(gpv_is_dom0() ? 0 : DOMID_SELF, gpv_virt_to_mfn(src), true);
	copy = (struct gnttab_copy){ .len = 4096, .flags = GNTCOPY_source_gref };
	copy.source.u.ref = (grant_ref_t)ref;
	copy.source.domid = DOMID_SELF;
	copy.dest.u.gmfn = gpv_virt_to_mfn(dst);
	copy.dest.domid = DOMID_SELF;
	ns = run("gnttab_copy_4k_self", op_copy, GNTST_okay);
	gpv_test_eq(dst[4095], src[4095], "the copy arrived");
	if (ns)
		gpv_printf("BENCH-MBS: gnttab_copy_4k_self %lu MB/s\n",
			   (unsigned long)((uint64_t)ITERS * 4096 * 1000 / ns));
	gpv_gnttab_end((grant_ref_t)ref);
}

static void bench_map(void)
{
	uint8_t *page = gpv_page_alloc(), *win = gpv_page_alloc();
	domid_t self = gpv_is_dom0() ? 0 : DOMID_SELF;
	long ref = gpv_gnttab_grant(self, gpv_virt_to_mfn(page), false);
	uint64_t ns;

	/* Maps go over an empty PTE, as Linux's. */
	gpv_update_va_mapping((unsigned long)win, 0, UVMF_INVLPG);
	map = (struct gnttab_map_grant_ref){ .host_addr = (unsigned long)win,
					     .flags = GNTMAP_host_map,
					     .ref = (grant_ref_t)ref,
					     .dom = self };
	unmap = (struct gnttab_unmap_grant_ref){ .host_addr = (unsigned long)win };
	ns = run("gnttab_map_unmap_self", op_map_unmap, GNTST_okay);
	if (ns)
		gpv_printf("BENCH-RATE: gnttab_map_unmap_self %lu /s\n",
			   (unsigned long)((uint64_t)ITERS * 1000000000ULL / ns));
	map = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map,
					     .ref = (grant_ref_t)ref,
					     .dom = self };
	unmap = (struct gnttab_unmap_grant_ref){ .dev_bus_addr = gpv_virt_to_mfn(page) << 12 };
	ns = run("gnttab_devmap_unmap_self", op_map_unmap, GNTST_okay);
	if (ns)
		gpv_printf("BENCH-RATE: gnttab_devmap_unmap_self %lu /s\n",
			   (unsigned long)((uint64_t)ITERS * 1000000000ULL / ns));
	gpv_test_eq(gpv_gnttab_entry((grant_ref_t)ref)->flags, GTF_permit_access,
		    "every map was undone");
	gpv_update_va_mapping((unsigned long)win, ((uint64_t)gpv_virt_to_mfn(win) << 12) | 7,
			      UVMF_INVLPG);
	gpv_gnttab_end((grant_ref_t)ref);
}

int gpv_main(void)
{
	gpv_test_area("bench");
	bench_events();
	bench_copy();
	bench_map();
	return gpv_test_finish();
}
