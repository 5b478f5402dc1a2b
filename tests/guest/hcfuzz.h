/* SPDX-License-Identifier: MIT */
/*
 * hcfuzz, the stateful hypercall fuzzer (hcfuzz.c runs it, hcfuzz-*.c hold
 * the table rows). A seed's run builds valid state, then attacks it step by
 * step:
 *
 *   build:   pool pages (some read-only, an L1 -> L2 -> L3 chain built and
 *            pinned, L1 entries mapping data pages), grants to itself,
 *            ports (unbound, interdomain to itself, a VIRQ, an IPI), a FIFO
 *            control block when the seed asks for one
 *   attack:  each step one row of the tables (picked by weight) makes one
 *            call from the state with mutated arguments, or a multicall of
 *            up to four rows' calls
 *   check:   after each step the hypervisor answers; a refused call (< 0)
 *            left the observation (hcf_obs) exactly as it was
 *   teardown: what the model holds is undone, each undo must succeed, and
 *            then every pool page must be mappable writable again
 *
 * A row never calls the hypervisor itself: it fills an hcf_call (number,
 * arguments, argument memory in the call's own buffer, a description), so
 * the same row serves a single step and a multicall entry; its after() hook
 * updates the model with the result. A new op is a new row.
 */
#ifndef HCFUZZ_H
#define HCFUZZ_H

#include <gpv/gpv.h>

#define HCF_POOL 16	 /* pool pages */
#define HCF_PORTS 32	 /* ports the observation covers (0..31) */
#define HCF_GREFS 24	 /* grant entries the observation covers */
#define HCF_MAX_OWNED 24 /* ports the model holds */
#define HCF_BUF 512	 /* argument memory per call */
#define HCF_MULTI 4	 /* calls in one multicall */
#define HCF_DESC 96

/* Frames that are not the pool's: the hypervisor's and impossible ones. */
enum hcf_frame {
	HCF_FR_POOL,   /* a pool page (index chosen by the row) */
	HCF_FR_SHINFO, /* shared_info: the hypervisor's, shared with us */
	HCF_FR_M2P,    /* the M2P's L3 (our L4's slot 256): a hypervisor table */
	HCF_FR_L4,     /* the running L4 */
	HCF_FR_HUGE,   /* beyond any memory */
	HCF_FR_NR,
};

struct hcf_page {
	void *va;
	unsigned long mfn, pfn;
	int pinned; /* level the model knows it pinned at, 0 when not */
	bool hvw;   /* the hypervisor writes it at will (FIFO control block, array) */
};

struct hcf_state {
	uint64_t rng;
	uint8_t *edge; /* a writable page whose next page (hole) is unmapped */
	uint8_t *hole;
	uint8_t *ro;		/* a page mapped read-only, never a table */
	uint8_t *win;		/* where grants are mapped (its own frame otherwise) */
	int map_handle;		/* the one grant mapping the fuzzer holds, -1 when none */
	unsigned long map_addr; /* and where it is */
	struct hcf_page pg[HCF_POOL];
	unsigned long shinfo_mfn, m2p_mfn, l4_mfn;
	int owned[HCF_MAX_OWNED]; /* ports bound by the fuzzer, -1 when free */
	bool fifo;		  /* init_control succeeded (reset at teardown) */
	bool ldt_set, user_base_set, gdt_set, timers_set, debugreg_set, fpu_ts;
	unsigned int grefs; /* entries granted at build (from GNTTAB_NR_RESERVED) */
	unsigned int first_gref;
	long res_drift; /* reservation changes the fuzzer could not undo */
	unsigned int seed;
	unsigned long step;
	bool in_multi; /* generating a multicall's entries */
};

/* One call a row makes; buf holds the memory its pointer arguments name. */
struct hcf_call {
	unsigned int nr;
	unsigned long arg[5];
	const struct hcf_op *op;
	long detail;   /* what after() found beyond the return value (statuses) */
	uint32_t done; /* the count mmu_update/mmuext_op report done, when asked */
	char desc[HCF_DESC];
	uint64_t buf[HCF_BUF / 8] __attribute__((aligned(64)));
};

struct hcf_op {
	const char *name;
	unsigned int weight;
	/* Fill @c from the state (arguments mutated at will); false: skip the row. */
	bool (*gen)(struct hcf_state *s, struct hcf_call *c);
	/* The model's update after the call answered @rc (NULL: nothing to note). */
	void (*after)(struct hcf_state *s, struct hcf_call *c, long rc);
	/*
	 * A copy-out failure may leave the operation done (Xen does the op, then
	 * fails to write the answer): -EFAULT from such a row is not a refusal.
	 */
	bool writes_back;
	/* Not in a multicall (the row's after() needs the call's memory). */
	bool no_multi;
	/*
	 * May change the reservation for good even when it "fails" (a page
	 * given whose number could not be written back stays the domain's).
	 */
	bool moves_reservation;
};

/* The rows, one table per family, each ended by a row without a name. */
extern const struct hcf_op hcf_mm_ops[];
extern const struct hcf_op hcf_ev_ops[];
extern const struct hcf_op hcf_gnt_ops[];
extern const struct hcf_op hcf_misc_ops[];
extern const struct hcf_op hcf_ctl_ops[];

/* xorshift64: the seed's only source of choices. */
uint64_t hcf_rand(struct hcf_state *s);
unsigned int hcf_below(struct hcf_state *s, unsigned int n);
bool hcf_chance(struct hcf_state *s, unsigned int percent);

/* A frame of kind @k (for HCF_FR_POOL a random pool page's); its mfn. */
unsigned long hcf_frame(struct hcf_state *s, enum hcf_frame k);
/* Mostly a pool page's mfn, sometimes one of the others. */
unsigned long hcf_any_frame(struct hcf_state *s);
/*
 * The same for a frame the hypervisor is asked to write or to copy from (a
 * copy's source or destination, CLEAR_PAGE's, the FIFO pages): never
 * shared_info. Written, its corruption is the guest's own doing (its time
 * and event mask are there); copied, it brings time into a pool page: the
 * TSC stamp, the scale each boot's calibration gives, the wall clock's
 * nanoseconds, different on each hypervisor and in each run, so what a
 * later pin of that page says is chance (seed 34: Xen's tsc_to_system_mul
 * was odd, so entry 7, shift 0xff above it, mapped a frame of the
 * HyperTransport hole: -EPERM; Lamina's was even, no entry there).
 */
unsigned long hcf_data_frame(struct hcf_state *s);
/* A pointer argument: mostly @good, sometimes unmapped, read-only, the hypervisor's... */
unsigned long hcf_ptr(struct hcf_state *s, void *good);
/*
 * For an array of @size-byte requests the hypervisor carries out (mmu
 * updates, mmuext ops, multicall entries, grant copies): the same, but
 * never readable memory with other contents (the read-only page, the
 * scratch page), which would be requests of their own: a zeroed multicall
 * entry is set_trap_table(NULL). A straddling pointer cuts the first one.
 */
unsigned long hcf_in_ptr(struct hcf_state *s, void *good, size_t size);
/* A port: mostly an owned one, sometimes 0, closed, out of range. */
uint32_t hcf_port(struct hcf_state *s);
/* A vCPU id: mostly 0, sometimes 1, huge. */
uint32_t hcf_vcpu(struct hcf_state *s);
/* A domain id: mostly ourselves (0 or DOMID_SELF), sometimes others. */
domid_t hcf_dom(struct hcf_state *s);
/* A count: mostly small, sometimes 0, huge. */
unsigned long hcf_count(struct hcf_state *s, unsigned long small);
/* A pool page index. */
unsigned int hcf_pg(struct hcf_state *s);

/* Remember / forget a bound port. */
void hcf_own_port(struct hcf_state *s, int port);
void hcf_drop_port(struct hcf_state *s, int port);

/* Hypervisor-range, non-canonical, unmapped addresses. */
#define HCF_XENRANGE 0xffff830000000000UL
#define HCF_NONCANON 0x8000000000000000UL
#define HCF_UNMAPPED 0x00007f0000000000UL
/* Page table entry bits. */
#define HCF_P 1UL
#define HCF_RW 2UL
#define HCF_US 4UL

/* What the guest sees of its state (hcfuzz-obs.c). */
struct hcf_obs {
	long cur_res, max_res;
	uint64_t pte[HCF_POOL];	 /* L1 entry of each pool address, A/D masked */
	uint64_t hash[HCF_POOL]; /* the page behind it, 0 when not mapped */
	long wprobe[HCF_POOL];	 /* mapping it writable: 0, -EBUSY ..., 1 when not tried */
	long repin[HCF_POOL];	 /* pinning a pinned page again, 1 when not tried */
	long port_rc[HCF_PORTS];
	struct evtchn_status port[HCF_PORTS];
	grant_entry_v1_t gnt[HCF_GREFS];
	uint64_t (*copy)[512]; /* when tracing: the pages' words (HCF_POOL pages) */
};

/* hcfuzz-state.c: pages for every seed; a seed's valid state (0 or the failing step). */
int hcf_alloc(struct hcf_state *s);
int hcf_build(struct hcf_state *s, bool fifo, char *why, size_t len);
long hcf_reservation(void);
/* hcfuzz-obs.c */
void hcf_observe(struct hcf_state *s, struct hcf_obs *o);
/* Where @a and @b differ, in words, into @out; false when they are the same. */
bool hcf_obs_diff(const struct hcf_obs *a, const struct hcf_obs *b, char *out, size_t len);
/* Undo the seed's state; 0 or the failing undo described in @why. */
int hcf_teardown(struct hcf_state *s, long reservation, char *why, size_t len);

/* Describe the call into c->desc. */
void hcf_desc(struct hcf_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
