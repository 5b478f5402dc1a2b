// SPDX-License-Identifier: MIT
/*
 * hcfuzz's observation of the domain (what struct hcf_obs holds, see
 * hcfuzz.h) and the teardown of a seed's state. Probes that change
 * anything (mapping a read-only page writable, pinning a pinned page) put
 * it back before they return, so observing twice gives the same answer.
 */
#include <gpv/gnttab.h>
#include <gpv/mm.h>

#include "hcfuzz.h"

#define PTE_AD 0x60UL
#define PTE_G 0x100UL
#define PTE_GUEST_KERNEL (1UL << 52) /* Xen's _PAGE_GUEST_KERNEL, flag bit 12 */
#define PTE_ADDR 0x000ffffffffff000UL
#define PTE_CACHE 0x98UL /* PWT PCD PAT */

static long ext1(unsigned int cmd, unsigned long mfn)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

	return gpv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * What may change in a word without a call having succeeded, as Xen 4.17
 * does it too: in a live page table (the running L4 mapped at a pool
 * address) the accessed and dirty bits the processor sets as it walks; in
 * a present entry, what validation adjusts in place (user, global and
 * guest-kernel bits, and the caching bits of an I/O frame, made
 * uncacheable), kept even when a later entry fails the pin.
 */
static uint64_t stable(uint64_t w)
{
	w &= ~PTE_AD;
	return w & HCF_P ? w & ~(HCF_US | PTE_G | PTE_GUEST_KERNEL | PTE_CACHE) : w;
}

static uint64_t page_hash(const uint8_t *p)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (unsigned int i = 0; i < 4096; i += 8) {
		h ^= stable(*(const uint64_t *)(p + i));
		h *= 0x100000001b3ULL;
	}
	return h | 1;
}

static bool pool_frame(const struct hcf_state *s, unsigned long mfn)
{
	for (unsigned int i = 0; i < HCF_POOL; i++)
		if (s->pg[i].mfn == mfn)
			return !s->pg[i].hvw;
	return false;
}

static void observe_page(struct hcf_state *s, struct hcf_obs *o, unsigned int i)
{
	const struct hcf_page *p = &s->pg[i];
	uint64_t e[4], pte;
	unsigned long va = (unsigned long)p->va;

	o->hash[i] = 0;
	o->wprobe[i] = 1;
	o->repin[i] = 1;
	if (p->pinned) {
		o->repin[i] = ext1(MMUEXT_PIN_L1_TABLE + p->pinned - 1, p->mfn);
		if (!o->repin[i])
			ext1(MMUEXT_UNPIN_TABLE, p->mfn); /* it was not pinned: undo ours */
	}
	if (gpv_pt_walk(va, e) < 4) {
		o->pte[i] = 0;
		return;
	}
	pte = e[3];
	o->pte[i] = pte & ~PTE_AD;
	/* Only a pool frame: anything else (our stack, shared_info) changes by itself. */
	if (!p->hvw && pool_frame(s, (pte & PTE_ADDR) >> 12)) {
		o->hash[i] = page_hash(p->va);
		if (o->copy)
			memcpy(o->copy[i], p->va, 4096);
	}
	if (((pte & PTE_ADDR) >> 12) == p->mfn && !(pte & HCF_RW)) {
		o->wprobe[i] = gpv_update_va_mapping(
			va, ((uint64_t)p->mfn << 12) | HCF_P | HCF_RW | HCF_US, UVMF_INVLPG);
		if (!o->wprobe[i] && gpv_update_va_mapping(va, pte, UVMF_INVLPG))
			o->wprobe[i] = 1000; /* could not put the read-only entry back */
	}
}

void hcf_observe(struct hcf_state *s, struct hcf_obs *o)
{
	domid_t self = DOMID_SELF;
	uint64_t(*copy)[512] = o->copy;

	memset(o, 0, sizeof(*o));
	o->copy = copy;
	/*
	 * A call with UVMF_NONE left the TLB stale on purpose (the guest's
	 * choice, as on Xen): flush it, so the pages read are the ones mapped.
	 */
	ext1(MMUEXT_TLB_FLUSH_LOCAL, 0);
	o->cur_res = gpv_memory_op(XENMEM_current_reservation, &self);
	o->max_res = gpv_memory_op(XENMEM_maximum_reservation, &self);
	for (unsigned int i = 0; i < HCF_POOL; i++)
		observe_page(s, o, i);
	for (unsigned int p = 0; p < HCF_PORTS; p++) {
		o->port[p].dom = DOMID_SELF;
		o->port[p].port = p;
		o->port_rc[p] = gpv_event_channel_op(EVTCHNOP_status, &o->port[p]);
	}
	for (unsigned int g = 0; g < HCF_GREFS; g++) {
		const grant_entry_v1_t *e = gpv_gnttab_entry(s->first_gref + g);

		if (e)
			o->gnt[g] = *e;
	}
}

bool hcf_obs_diff(const struct hcf_obs *a, const struct hcf_obs *b, char *out, size_t len)
{
	if (a->cur_res != b->cur_res || a->max_res != b->max_res) {
		gpv_snprintf(out, len, "reservation %ld/%ld -> %ld/%ld", a->cur_res, a->max_res,
			     b->cur_res, b->max_res);
		return true;
	}
	for (unsigned int i = 0; i < HCF_POOL; i++) {
		if (a->hash[i] != b->hash[i] && a->copy && b->copy)
			for (unsigned int w = 0; w < 512; w++)
				if (stable(a->copy[i][w]) != stable(b->copy[i][w]))
					gpv_printf("T page %u word %u: %#lx -> %#lx\n", i, w,
						   (unsigned long)a->copy[i][w],
						   (unsigned long)b->copy[i][w]);
		if (a->pte[i] != b->pte[i] || a->hash[i] != b->hash[i]) {
			gpv_snprintf(out, len, "pool page %u: entry %#lx -> %#lx, contents %s", i,
				     (unsigned long)a->pte[i], (unsigned long)b->pte[i],
				     a->hash[i] == b->hash[i] ? "same" : "changed");
			return true;
		}
		if (a->wprobe[i] != b->wprobe[i] || a->repin[i] != b->repin[i]) {
			gpv_snprintf(out, len,
				     "pool page %u: mapping it writable %ld -> %ld, pinning again "
				     "%ld -> %ld",
				     i, a->wprobe[i], b->wprobe[i], a->repin[i], b->repin[i]);
			return true;
		}
	}
	for (unsigned int p = 0; p < HCF_PORTS; p++) {
		if (a->port_rc[p] != b->port_rc[p] ||
		    memcmp(&a->port[p], &b->port[p], sizeof(a->port[p]))) {
			gpv_snprintf(out, len, "port %u: status %ld/%u -> %ld/%u", p, a->port_rc[p],
				     a->port[p].status, b->port_rc[p], b->port[p].status);
			return true;
		}
	}
	for (unsigned int g = 0; g < HCF_GREFS; g++) {
		if (memcmp(&a->gnt[g], &b->gnt[g], sizeof(a->gnt[g]))) {
			gpv_snprintf(out, len, "grant entry %u: flags %#x -> %#x", g,
				     a->gnt[g].flags, b->gnt[g].flags);
			return true;
		}
	}
	return false;
}
