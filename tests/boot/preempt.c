// SPDX-License-Identifier: GPL-2.0-only
/*
 * Long hypercalls are preempted and continued, as Xen's
 * hypercall_create_continuation: a multicall of 5,000 entries, a 1 MiB
 * console_io write, and 20,000-entry mmu_update and mmuext_op batches. Each
 * starts with an event pending and events unmasked but not yet delivered, so
 * the hypervisor's first preemption check must stop the call, return to the
 * guest (the upcall runs), and have the guest re-execute the hypercall with
 * updated arguments. The upcall handler records how far the call had got:
 * part-way proves the preemption, and the results prove the continuation
 * lost and repeated nothing. The console write's lines are counted by
 * tests/boot/boot.sh in the log (and the handler's marker line must fall
 * before the last of them). Runs on Xen 4.17 (tests/boot/on-xen.sh) too.
 */
#include <gpv/evtchn.h>
#include <gpv/gpv.h>
#include <gpv/hypercalls.h>
#include <gpv/lib.h>
#include <gpv/mm.h>
#include <gpv/test.h>

#define MC_ENTRIES 5000
#define MC_LINE_EVERY 10 /* every 10th entry is a console_io line: nested continuations */
#define MC_SENTINEL 0x5a5a5a5aUL
#define FILL_LINES 16384
#define FILL_LINE_LEN 64 /* 16384 * 64 = 1 MiB */
#define BATCH 20000

static multicall_entry_t mc[MC_ENTRIES];
static char mc_lines[MC_ENTRIES / MC_LINE_EVERY][16];
static char fill[FILL_LINES * FILL_LINE_LEN];
static mmu_update_t mmu[BATCH];
static struct mmuext_op ext[BATCH];
static unsigned int done;

/* What the upcall saw of the call it interrupted. */
static volatile long seen = -1;
static volatile unsigned long hits;
static enum { WATCH_NONE, WATCH_MC, WATCH_CONSOLE, WATCH_DONE } watching;
static evtchn_port_t local, remote;

static void on_event(evtchn_port_t port, void *data)
{
	static const char marker[] = "preempt-marker: the upcall ran inside the console write\n";

	(void)port;
	(void)data;
	hits++;
	if (watching == WATCH_MC)
		seen = mc[MC_ENTRIES - 1].result == MC_SENTINEL; /* 1: the last entry had not run */
	else if (watching == WATCH_DONE)
		seen = __atomic_load_n(&done, __ATOMIC_SEQ_CST);
	else if (watching == WATCH_CONSOLE)
		gpv_console_io(CONSOLEIO_write, sizeof(marker) - 1, (void *)marker);
}

/*
 * An event pending and events unmasked without a hypercall: the next
 * hypercall's first preemption check sees an upcall to deliver.
 */
static void arm(int what)
{
	gpv_events_mask(1);
	watching = what;
	seen = -1;
	hits = 0;
	gpv_evtchn_send(remote);
	__atomic_store_n(&gpv_vcpu_info()->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
}

static void check_multicall(void)
{
	unsigned int bad = 0;
	long rc;

	gpv_test_area("preempt: multicall");
	for (unsigned int i = 0; i < MC_ENTRIES; i++) {
		mc[i] = (multicall_entry_t){ .op = __HYPERVISOR_xen_version,
					     .args = { XENVER_pagesize },
					     .result = MC_SENTINEL };
		if (i % MC_LINE_EVERY == MC_LINE_EVERY - 1) {
			char *l = mc_lines[i / MC_LINE_EVERY];

			gpv_snprintf(l, sizeof(mc_lines[0]), "mc-line %04u\n", i / MC_LINE_EVERY);
			mc[i].op = __HYPERVISOR_console_io;
			mc[i].args[0] = CONSOLEIO_write;
			mc[i].args[1] = strlen(l);
			mc[i].args[2] = (unsigned long)l;
		}
	}
	arm(WATCH_MC);
	rc = gpv_multicall(mc, MC_ENTRIES);
	gpv_test_eq(rc, 0, "a multicall of 5000 entries returns 0");
	for (unsigned int i = 0; i < MC_ENTRIES; i++) {
		long want = mc[i].op == __HYPERVISOR_console_io ? 0 : 4096;

		bad += (long)mc[i].result != want;
	}
	gpv_test_eq(bad, 0, "every entry ran once with its result (4096 or console_io's 0)");
	gpv_test_eq(hits, 1, "the pending upcall ran once");
	gpv_test_eq(seen, 1, "it ran before the last entry: the multicall was preempted");
}

static void check_console(void)
{
	long rc;

	gpv_test_area("preempt: console_io");
	for (unsigned int i = 0; i < FILL_LINES; i++) {
		char *l = fill + i * FILL_LINE_LEN;

		gpv_snprintf(l, FILL_LINE_LEN, "preempt-fill %05u ", i);
		for (unsigned int j = strlen(l); j < FILL_LINE_LEN - 1; j++)
			l[j] = 'a' + (i + j) % 26;
		l[FILL_LINE_LEN - 1] = '\n';
	}
	arm(WATCH_CONSOLE);
	rc = gpv_console_io(CONSOLEIO_write, sizeof(fill), fill);
	gpv_console_io(CONSOLEIO_write, 20, "\npreempt-fill-end  \n");
	gpv_test_eq(rc, 0, "a 1 MiB console_io write returns 0");
	gpv_test_eq(hits, 1, "the pending upcall ran once (its marker line is in the log)");
}

static void check_batch(bool ext_op)
{
	unsigned long mfn = gpv_virt_to_mfn(fill), pfn = gpv_mfn_to_pfn(mfn);
	long rc;

	gpv_test_area(ext_op ? "preempt: mmuext_op" : "preempt: mmu_update");
	for (unsigned int i = 0; i < BATCH; i++) {
		/* Harmless and repeatable: M2P[mfn] = its own pfn; a local TLB flush. */
		mmu[i] = (mmu_update_t){ .ptr = (mfn << 12) | MMU_MACHPHYS_UPDATE, .val = pfn };
		ext[i] = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_LOCAL };
	}
	/*
	 * An interrupt between arm()'s unmask and the hypercall (a tick; under
	 * TCG on a loaded host it came once in Xen's mmuext_op) delivers the
	 * upcall before the call, which then sees 0 done: the set-up was lost,
	 * not the preemption, so the batch runs again, at most 3 times in all.
	 * A batch never preempted still shows as 20000, one that stops before
	 * its first entry as 0 three times.
	 */
	for (int run = 1;; run++) {
		done = 0;
		arm(WATCH_DONE);
		rc = ext_op ? gpv_mmuext_op(ext, BATCH, &done, DOMID_SELF)
			    : gpv_mmu_update(mmu, BATCH, &done, DOMID_SELF);
		if (seen != 0 || run == 3)
			break;
		gpv_test_info("the upcall ran before the call (seen 0): run %d of at most 3",
			      run + 1);
	}
	gpv_test_eq(rc, 0, "a batch of 20000 returns 0");
	gpv_test_eq(done, BATCH, "the done count is 20000 (added up over the continuations)");
	gpv_test_eq(hits, 1, "the pending upcall ran once");
	gpv_test_checkf(seen > 0 && seen < BATCH,
			"it saw a part-done count: the batch was preempted", "seen %ld", seen);
	gpv_test_eq(gpv_mfn_to_pfn(mfn), (long)pfn, "the M2P entry is still right");
}

int gpv_main(void)
{
	long a, b;

	gpv_test_area("preempt: set-up");
	a = gpv_evtchn_alloc_unbound(DOMID_SELF);
	b = a > 0 ? gpv_evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a) : -1;
	gpv_test_check(a > 0 && b > 0, "a loopback event channel");
	if (a <= 0 || b <= 0)
		return gpv_test_finish();
	local = (evtchn_port_t)a;
	remote = (evtchn_port_t)b;
	gpv_evtchn_set_handler(local, on_event, NULL);
	gpv_evtchn_unmask(local);
	check_multicall();
	check_console();
	check_batch(false);
	check_batch(true);
	gpv_events_mask(1);
	return gpv_test_finish();
}
