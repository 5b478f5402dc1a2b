// SPDX-License-Identifier: MIT
/*
 * hcfuzz rows: the PV MMU. Pins and unpins at every level of pool pages,
 * the hypervisor's frames and impossible ones; mmu_update entries into the
 * pool's tables (any slot, misaligned, the hypervisor's L4 slots) naming
 * any frame with any flags, M2P updates; update_va_mapping of the pool's
 * own addresses and of addresses that are not the guest's; the other
 * mmuext commands (flushes, LDT, CLEAR/COPY_PAGE, the user base pointer,
 * NEW_BASEPTR only with frames that cannot be an L4). Counts are mostly 1,
 * sometimes 0 or huge with the array at the end of the mapped memory.
 */
#include <gpv/mm.h>

#include "hcfuzz.h"

static const unsigned long pte_flags[] = {
	HCF_P | HCF_US,
	HCF_P | HCF_RW | HCF_US,
	0,
	HCF_P | HCF_RW | HCF_US | 0x80,
	HCF_P | HCF_US | 0x100,
	HCF_P | HCF_US | (1UL << 63),
	HCF_P | HCF_RW | HCF_US | 0x18,
};

/* An entry value: mostly a frame with ordinary flags, sometimes anything. */
static uint64_t pte_val(struct hcf_state *s)
{
	if (hcf_chance(s, 5))
		return hcf_rand(s);
	return ((uint64_t)hcf_any_frame(s) << 12) |
	       pte_flags[hcf_below(s, GPV_ARRAY_SIZE(pte_flags))];
}

/*
 * Where an array of @n elements of @size bytes goes: mostly c->buf; for a
 * huge count the array ends where the mapping does, so reading past it faults.
 */
static void *array_at(struct hcf_state *s, struct hcf_call *c, unsigned long count, size_t size,
		      unsigned int n)
{
	if (count > n && !s->in_multi)
		return s->hole - n * size;
	return c->buf;
}

/* The 4th argument of mmu_update/mmuext_op: mostly ourselves. */
static domid_t foreign(struct hcf_state *s)
{
	return hcf_chance(s, 85) ? DOMID_SELF : hcf_dom(s);
}

/* One pin or unpin (@cmd < 0: a pin at a random level), of any frame. */
static bool gen_ext1(struct hcf_state *s, struct hcf_call *c, int cmd)
{
	unsigned long count = hcf_chance(s, 90) ? 1 : hcf_count(s, 3);
	struct mmuext_op *op;

	if (s->in_multi)
		count = count > 1 ? 1 : count;
	op = array_at(s, c, count, sizeof(*op), 1);
	op->cmd = cmd >= 0 ? (unsigned int)cmd : MMUEXT_PIN_L1_TABLE + hcf_below(s, 4);
	op->arg1.mfn = hcf_any_frame(s);
	c->nr = __HYPERVISOR_mmuext_op;
	c->arg[0] = hcf_in_ptr(s, op, sizeof(*op));
	c->arg[1] = count;
	/* With more than one op, where it stopped is needed to know what it did. */
	c->arg[2] = count <= 1 && hcf_chance(s, 70) ? 0 : (unsigned long)&c->done;
	if (count <= 1 && c->arg[2])
		c->arg[2] = hcf_ptr(s, &c->done);
	c->arg[3] = foreign(s);
	hcf_desc(c, "mmuext cmd %u mfn %#lx count %lu done %#lx dom %#lx", op->cmd, op->arg1.mfn,
		 count, c->arg[2], c->arg[3]);
	return true;
}

static bool gen_pin(struct hcf_state *s, struct hcf_call *c)
{
	return gen_ext1(s, c, -1);
}

static bool gen_unpin(struct hcf_state *s, struct hcf_call *c)
{
	return gen_ext1(s, c, MMUEXT_UNPIN_TABLE);
}

static int pool_index(const struct hcf_state *s, unsigned long mfn)
{
	for (int i = 0; i < HCF_POOL; i++)
		if (s->pg[i].mfn == mfn)
			return i;
	return -1;
}

/* The first op of a pin/unpin call was carried out (rc 0, or *pdone says so). */
static bool first_done(const struct hcf_call *c, long rc)
{
	if ((c->arg[3] != DOMID_SELF && c->arg[3] != 0) || !c->arg[1])
		return false;
	if (!rc)
		return true;
	return c->arg[2] == (unsigned long)&c->done && c->done >= 1;
}

static void after_pin(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct mmuext_op *op = (const void *)c->arg[0];
	int i;

	/* Only when the op array is ours (not a bad pointer) can it be read. */
	if (c->arg[0] != (unsigned long)c->buf &&
	    c->arg[0] != (unsigned long)(s->hole - sizeof(*op)))
		return;
	if (!first_done(c, rc))
		return;
	i = pool_index(s, op->arg1.mfn);
	if (i < 0)
		return;
	if (op->cmd == MMUEXT_UNPIN_TABLE)
		s->pg[i].pinned = 0;
	else
		s->pg[i].pinned = (int)(op->cmd - MMUEXT_PIN_L1_TABLE + 1);
}

static bool gen_mmu_update(struct hcf_state *s, struct hcf_call *c)
{
	static const unsigned int slots[] = { 0, 1, 2, 3, 4, 511, 256, 260, 271, 300 };
	unsigned long count = hcf_chance(s, 60)	  ? 1
			      : hcf_chance(s, 60) ? 2 + hcf_below(s, 2)
						  : hcf_count(s, 4);
	mmu_update_t *req;
	unsigned int n;

	/* In a multicall the edge of the mapping is not ours alone: no huge counts. */
	if (s->in_multi && count > 3)
		count = 1;
	n = count > 3 ? 1 : (unsigned int)count;
	req = array_at(s, c, count, sizeof(*req), n);

	for (unsigned int i = 0; i < n; i++) {
		unsigned int kind = hcf_below(s, 20);
		uint64_t frame = hcf_data_frame(s);

		if (kind == 0) { /* M2P: a pool page's own pfn, another, or junk */
			unsigned int j = hcf_pg(s);

			req[i].ptr = ((uint64_t)s->pg[j].mfn << 12) | MMU_MACHPHYS_UPDATE;
			req[i].val = hcf_chance(s, 60) ? s->pg[j].pfn : hcf_rand(s) & 0xfffff;
			continue;
		}
		unsigned int slot = slots[hcf_below(s, GPV_ARRAY_SIZE(slots))];

		/* Slot 0 of the running L4 maps this kernel: never replaced. */
		if (frame == s->l4_mfn && slot == 0)
			slot = 300;
		req[i].ptr = (frame << 12) + 8 * slot;
		if (kind == 1)
			req[i].ptr += 1 + hcf_below(s, 7); /* misaligned */
		req[i].ptr |= kind == 2 ? MMU_PT_UPDATE_PRESERVE_AD : kind == 3 ? 3 : 0;
		req[i].val = pte_val(s);
	}
	c->nr = __HYPERVISOR_mmu_update;
	c->arg[0] = hcf_in_ptr(s, req, sizeof(*req));
	c->arg[1] = count;
	c->arg[2] = hcf_chance(s, 70) ? 0 : hcf_ptr(s, &c->done);
	c->arg[3] = foreign(s);
	hcf_desc(c, "mmu_update n %lu [0] ptr %#lx val %#lx dom %#lx", count,
		 (unsigned long)req[0].ptr, (unsigned long)req[0].val, c->arg[3]);
	return true;
}

static bool gen_update_va(struct hcf_state *s, struct hcf_call *c)
{
	static const unsigned long flags[] = { UVMF_INVLPG, UVMF_TLB_FLUSH, UVMF_NONE,
					       UVMF_INVLPG | UVMF_ALL, 7 };
	unsigned int i = hcf_pg(s), kind = hcf_below(s, 20);
	unsigned long va = (unsigned long)s->pg[i].va;
	uint64_t pte =
		((uint64_t)s->pg[i].mfn << 12) | (hcf_chance(s, 50) ? HCF_RW : 0) | HCF_P | HCF_US;

	if (kind == 0)
		pte = 0; /* unmap the pool page */
	else if (kind < 4)
		pte = pte_val(s); /* another frame at this address */
	else if (kind == 4)
		va = hcf_ptr(s, s->pg[i].va) & ~0xfffUL;
	/*
	 * Of the kernel's own mapping only the pool pages may change: not its
	 * code, data, stack, the scratch page, its hole or the read-only page.
	 */
	if (va < 4UL << 20 && va != (unsigned long)s->pg[i].va)
		va = HCF_UNMAPPED;
	c->nr = __HYPERVISOR_update_va_mapping;
	c->arg[0] = va;
	c->arg[1] = pte;
	c->arg[2] = flags[hcf_below(s, GPV_ARRAY_SIZE(flags))];
	hcf_desc(c, "update_va_mapping va %#lx pte %#lx flags %#lx", va, (unsigned long)pte,
		 c->arg[2]);
	return true;
}

static bool gen_mmuext_misc(struct hcf_state *s, struct hcf_call *c)
{
	static const unsigned int cmds[] = {
		MMUEXT_TLB_FLUSH_LOCAL,
		MMUEXT_INVLPG_LOCAL,
		MMUEXT_TLB_FLUSH_MULTI,
		MMUEXT_INVLPG_MULTI,
		MMUEXT_TLB_FLUSH_ALL,
		MMUEXT_INVLPG_ALL,
		MMUEXT_FLUSH_CACHE,
		MMUEXT_SET_LDT,
		MMUEXT_CLEAR_PAGE,
		MMUEXT_COPY_PAGE,
		MMUEXT_MARK_SUPER,
		MMUEXT_NEW_USER_BASEPTR,
		MMUEXT_NEW_BASEPTR,
		MMUEXT_FLUSH_CACHE_GLOBAL,
		99,
	};
	struct mmuext_op *op = (struct mmuext_op *)c->buf;

	op->cmd = cmds[hcf_below(s, GPV_ARRAY_SIZE(cmds))];
	op->arg1.mfn = hcf_data_frame(s);
	op->arg2.src_mfn = hcf_data_frame(s);
	switch (op->cmd) {
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_ALL:
		op->arg1.linear_addr = hcf_ptr(s, s->pg[hcf_pg(s)].va);
		break;
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_INVLPG_MULTI:
		op->arg1.linear_addr = (unsigned long)s->pg[hcf_pg(s)].va;
		c->buf[40] = hcf_chance(s, 50) ? 1 : hcf_rand(s);
		op->arg2.vcpumask.p = (void *)hcf_ptr(s, &c->buf[40]);
		break;
	case MMUEXT_SET_LDT:
		op->arg1.linear_addr = hcf_ptr(s, s->pg[hcf_pg(s)].va);
		op->arg2.nr_ents = hcf_chance(s, 30) ? 0 : (unsigned int)hcf_count(s, 512);
		break;
	case MMUEXT_NEW_USER_BASEPTR:
		if (hcf_chance(s, 20))
			op->arg1.mfn = 0;
		break;
	case MMUEXT_NEW_BASEPTR:
		/* Only frames that can never validate as an L4 (or we would be gone). */
		op->arg1.mfn = hcf_frame(s, hcf_chance(s, 50) ? HCF_FR_HUGE : HCF_FR_M2P);
		break;
	}
	c->nr = __HYPERVISOR_mmuext_op;
	c->arg[0] = hcf_in_ptr(s, op, sizeof(*op));
	c->arg[1] = 1;
	c->arg[3] = foreign(s);
	hcf_desc(c, "mmuext cmd %u arg1 %#lx arg2 %#lx (nr_ents %u) dom %#lx", op->cmd,
		 op->arg1.mfn, op->arg2.src_mfn, op->arg2.nr_ents, c->arg[3]);
	return true;
}

static void after_mmuext_misc(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct mmuext_op *op = (const void *)c->buf;

	if (rc || c->arg[0] != (unsigned long)op)
		return;
	if (op->cmd == MMUEXT_SET_LDT && op->arg2.nr_ents)
		s->ldt_set = true;
	if (op->cmd == MMUEXT_NEW_USER_BASEPTR && op->arg1.mfn)
		s->user_base_set = true;
}

const struct hcf_op hcf_mm_ops[] = {
	{ .name = "pin", .weight = 12, .gen = gen_pin, .after = after_pin },
	{ .name = "unpin", .weight = 8, .gen = gen_unpin, .after = after_pin },
	{ .name = "mmu_update", .weight = 14, .gen = gen_mmu_update },
	{ .name = "update_va_mapping", .weight = 8, .gen = gen_update_va },
	{ .name = "mmuext_misc", .weight = 6, .gen = gen_mmuext_misc, .after = after_mmuext_misc },
	{ .name = NULL },
};
