// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cross-CPU TLB flushes (after Xen's flush_tlb_mask and its flush IPI):
 *
 *   tlb_domain[cpu]   the domain whose page tables CPU cpu loaded last
 *                     (pv_load_context); its TLB may hold that domain's
 *                     translations, and no other guest's (CR4.PGE is off, so
 *                     a CR3 load drops everything)
 *   tlb_cpus          the CPUs that ever loaded a guest's tables (bits only
 *                     set): mm_tlb_mask looks at those alone
 *   req[cpu], done[cpu]  flush generations: a requester bumps req[cpu] and
 *                     sends VEC_FLUSH; the CPU reloads CR3 and publishes the
 *                     generation it served in done[cpu]
 *   call_fn[cpu]      a function the IPI also runs there (the self-test's probe)
 *   tlb_clock, flushed_at[cpu]   Xen's TLB clock: it moves before every flush
 *                     this file makes or sees (a served request, a local one,
 *                     a CR3 load of another domain's tables), and flushed_at
 *                     is its value then; a CPU whose flushed_at is not past a
 *                     page's stamp may still cache what the page was
 *                     (mm_tlb_stale). Flushes the guest asks for are not
 *                     counted: they only make the filter flush more
 *
 * A requester waits until every target served its generation, serving the
 * requests made of itself meanwhile: two CPUs flushing each other with
 * interrupts off in the hypervisor do not deadlock, and so does a CPU that
 * spins on a lock (arch_lock_relax, lamina/spinlock.h): a requester may hold
 * a lock another CPU waits for. Targets are online CPUs that
 * take interrupts: a guest's CPU, or an AP idling with interrupts on.
 */
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/setup.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/mm.h>

#define APIC_EOI 0xb0
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define ICR_BUSY (1u << 12)

static const struct domain *volatile tlb_domain[HV_MAX_CPUS];
static uint64_t tlb_cpus;
static volatile uint64_t req[HV_MAX_CPUS], done[HV_MAX_CPUS];
static void (*volatile call_fn[HV_MAX_CPUS])(void);
static uint64_t tlb_clock = 1;
static volatile uint64_t flushed_at[HV_MAX_CPUS];

/* A flush of this CPU's TLB, on the clock. */
static void flush_local(unsigned int cpu)
{
	uint64_t t = __atomic_add_fetch(&tlb_clock, 1, __ATOMIC_SEQ_CST);

	write_cr3(read_cr3());
	__atomic_store_n(&flushed_at[cpu], t, __ATOMIC_RELEASE);
}

uint64_t mm_tlb_clock(void)
{
	return __atomic_load_n(&tlb_clock, __ATOMIC_SEQ_CST);
}

uint64_t mm_tlb_stale(const struct domain *d, uint64_t stamp)
{
	unsigned int self = this_cpu()->id;
	uint64_t mask = mm_tlb_mask(d), stale = 0;

	for (unsigned int cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if ((mask & (1ULL << cpu)) &&
		    __atomic_load_n(&flushed_at[cpu], __ATOMIC_ACQUIRE) <= stamp)
			stale |= 1ULL << cpu;
	if (stale & (1ULL << self))
		flush_local(self);
	return stale & ~(1ULL << self);
}

void mm_tlb_loaded(const struct domain *d)
{
	unsigned int cpu = this_cpu()->id;

	tlb_domain[cpu] = d;
	if (!(__atomic_load_n(&tlb_cpus, __ATOMIC_RELAXED) & (1ULL << cpu)))
		__atomic_fetch_or(&tlb_cpus, 1ULL << cpu, __ATOMIC_SEQ_CST);
	/* Its CR3 load (the caller's, next) flushes everything: CR4.PGE is off. */
	__atomic_store_n(&flushed_at[cpu], __atomic_add_fetch(&tlb_clock, 1, __ATOMIC_SEQ_CST),
			 __ATOMIC_SEQ_CST);
}

uint64_t mm_tlb_mask(const struct domain *d)
{
	uint64_t mask = 0;

	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the entries changed before we look */
	for (uint64_t m = __atomic_load_n(&tlb_cpus, __ATOMIC_SEQ_CST); m; m &= m - 1) {
		unsigned int cpu = (unsigned int)__builtin_ctzll(m);

		if (tlb_domain[cpu] && (!d || tlb_domain[cpu] == d))
			mask |= 1ULL << cpu;
	}
	return mask;
}

/* Serves this CPU's pending flush and call. */
static void serve(unsigned int cpu)
{
	uint64_t want = __atomic_load_n(&req[cpu], __ATOMIC_ACQUIRE);
	void (*fn)(void) = call_fn[cpu];

	if (done[cpu] != want) {
		flush_local(cpu);
		__atomic_store_n(&done[cpu], want, __ATOMIC_RELEASE);
	}
	if (fn) {
		fn();
		__atomic_store_n(&call_fn[cpu], NULL, __ATOMIC_RELEASE);
	}
}

/* A CPU spinning on a lock with interrupts off answers the flushes asked of it. */
void arch_lock_relax(void)
{
	unsigned int cpu = this_cpu()->id;

	if (__atomic_load_n(&req[cpu], __ATOMIC_ACQUIRE) != done[cpu] || call_fn[cpu])
		serve(cpu);
	asm volatile("pause");
}

void arch_flush_ipi(void)
{
	apic_write(APIC_EOI, 0);
	serve(this_cpu()->id);
}

static void send_ipi(unsigned int cpu)
{
	while (apic_read(APIC_ICR_LO) & ICR_BUSY)
		asm volatile("pause");
	apic_write(APIC_ICR_HI, percpu[cpu].apic_id << 24);
	apic_write(APIC_ICR_LO, VEC_FLUSH); /* fixed, physical destination */
}

void mm_flush_cpus(uint64_t mask)
{
	unsigned int self = this_cpu()->id;
	uint64_t gen[HV_MAX_CPUS];

	if (mask & (1ULL << self))
		flush_local(self);
	for (unsigned int cpu = 0; cpu < HV_MAX_CPUS; cpu++) {
		if (cpu == self || !(mask & (1ULL << cpu)) || !percpu[cpu].online) {
			mask &= ~(1ULL << cpu);
			continue;
		}
		gen[cpu] = __atomic_add_fetch(&req[cpu], 1, __ATOMIC_SEQ_CST);
		send_ipi(cpu);
	}
	for (unsigned int cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		while ((mask & (1ULL << cpu)) &&
		       __atomic_load_n(&done[cpu], __ATOMIC_ACQUIRE) < gen[cpu]) {
			serve(self);
			asm volatile("pause");
		}
}

void mm_flush_domain(const struct domain *d)
{
	mm_flush_cpus(mm_tlb_mask(d) | (1ULL << this_cpu()->id));
}

/* Runs fn on CPU cpu (an online AP taking interrupts) and waits for it. */
static void call_on(unsigned int cpu, void (*fn)(void))
{
	__atomic_store_n(&call_fn[cpu], fn, __ATOMIC_RELEASE);
	send_ipi(cpu);
	while (__atomic_load_n(&call_fn[cpu], __ATOMIC_ACQUIRE))
		asm volatile("pause");
}

/* --- lamina_selftest=tlb --- */

#define PROBE_VA (HV_LDT_VIRT + HV_MAX_CPUS * HV_LDT_AREA_SIZE)
#define MARK_A 0xa5a5a5a5a5a5a5a5ULL
#define MARK_B 0x5b5b5b5b5b5b5b5bULL

static volatile uint64_t probe_seen[HV_MAX_CPUS];
static const struct domain probe_dom; /* stands for a domain an AP ran */
static unsigned int st_checks, st_failed;

static void probe_read(void)
{
	probe_seen[this_cpu()->id] = *(volatile uint64_t *)PROBE_VA;
}

static void probe_load_domain(void)
{
	mm_tlb_loaded(&probe_dom);
}

static void st_check(bool ok, const char *what, unsigned int cpu)
{
	st_checks++;
	if (!ok) {
		st_failed++;
		printk(LOG_ERR, "selftest tlb: FAIL: %s (CPU%u)", what, cpu);
	}
}

/* Every AP reads the probe page: how many saw want. */
static unsigned int probe_all(uint64_t want, uint64_t aps)
{
	unsigned int n = 0;

	for (unsigned int cpu = 1; cpu < HV_MAX_CPUS; cpu++)
		if (aps & (1ULL << cpu)) {
			call_on(cpu, probe_read);
			n += probe_seen[cpu] == want;
		}
	return n;
}

static void remap_probe(uint64_t *pte, mfn_t m)
{
	*pte = (mfn_x(m) << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_NX;
	invlpg(PROBE_VA);
}

/* The flush IPIs' test: APs cache a mapping, it changes, only the flush makes them see it. */
static void run_selftest(uint64_t *pte, mfn_t a, mfn_t b, uint64_t aps, unsigned int nr)
{
	unsigned int stale, first = 0;
	uint64_t stamp;

	*(uint64_t *)mfn_to_virt(a) = MARK_A;
	*(uint64_t *)mfn_to_virt(b) = MARK_B;
	remap_probe(pte, a);
	st_check(probe_all(MARK_A, aps) == nr, "every AP reads the first page", 0);
	remap_probe(pte, b); /* this CPU only: the APs may still cache the old entry */
	stale = probe_all(MARK_A, aps);
	mm_flush_cpus(aps);
	st_check(probe_all(MARK_B, aps) == nr, "after mm_flush_cpus every AP reads the new page",
		 0);
	while (!(aps & (1ULL << ++first)))
		;
	/* The domain mask: only the AP that "ran" probe_dom is in it, and it gets flushed. */
	call_on(first, probe_load_domain);
	st_check(mm_tlb_mask(&probe_dom) == 1ULL << first, "the domain's dirty mask", first);
	remap_probe(pte, a);
	call_on(first, probe_read); /* may still see B */
	mm_flush_domain(&probe_dom);
	call_on(first, probe_read);
	st_check(probe_seen[first] == MARK_A, "mm_flush_domain flushed the domain's CPU", first);
	/* The TLB clock: stale for a stamp taken after its last flush, not once flushed. */
	stamp = mm_tlb_clock();
	st_check(mm_tlb_stale(&probe_dom, stamp) == 1ULL << first, "stale since a later stamp",
		 first);
	mm_flush_cpus(1ULL << first);
	st_check(!mm_tlb_stale(&probe_dom, stamp), "not stale once flushed", first);
	tlb_domain[first] = NULL;
	*pte = 0;
	mm_flush_cpus(aps | 1);
	printk(LOG_INFO,
	       "selftest tlb: %s: %u checks, %u failed, %u APs, %u of them still saw the old page "
	       "before the flush",
	       st_failed ? "FAIL" : "PASS", st_checks, st_failed, nr, stale);
}

void mm_flush_selftest(void)
{
	uint64_t *pte = paging_l1e(PROBE_VA), aps = 0;
	mfn_t a = mm_alloc_page(), b = mm_alloc_page();
	unsigned int nr = 0;

	for (unsigned int cpu = 1; cpu < HV_MAX_CPUS; cpu++)
		if (percpu[cpu].online) {
			aps |= 1ULL << cpu;
			nr++;
		}
	if (!pte || mfn_x(a) == INVALID_MFN_RAW || mfn_x(b) == INVALID_MFN_RAW)
		printk(LOG_ERR, "selftest tlb: FAIL: no memory");
	else if (!nr)
		printk(LOG_INFO, "selftest tlb: SKIP: no AP online");
	else
		run_selftest(pte, a, b, aps, nr);
	if (mfn_x(a) != INVALID_MFN_RAW)
		mm_free_page(a);
	if (mfn_x(b) != INVALID_MFN_RAW)
		mm_free_page(b);
}
