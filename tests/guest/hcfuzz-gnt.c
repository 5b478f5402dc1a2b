// SPDX-License-Identifier: MIT
/*
 * hcfuzz rows: grant tables. GNTTABOP_copy between the grants the fuzzer
 * gave itself and frames (refs in and out of range, read-only grants as
 * destination, other domains, offsets and lengths across the page, several
 * ops at once), setup_table (counts, frame lists at bad addresses),
 * query_size, get/set_version (1 and invalid ones only: version 2 would
 * rewrite the table's layout under the fuzzer), unknown ops. Neither
 * side of a copy is the hypervisor's shared_info (hcf_data_frame).
 */
#include <gpv/gnttab.h>

#include "hcfuzz.h"

/* A grant reference: mostly one given at build, sometimes out of range. */
static grant_ref_t gref(struct hcf_state *s)
{
	switch (hcf_below(s, 10)) {
	case 0:
		return (grant_ref_t)hcf_rand(s);
	case 1:
		return gpv_gnttab_nr_entries() + hcf_below(s, 2);
	case 2:
		return hcf_below(s, GNTTAB_NR_RESERVED_ENTRIES);
	default:
		return s->first_gref + hcf_below(s, s->grefs + 1);
	}
}

/* One side of a copy: a grant of ours, or a frame (never shared_info: hcf_data_frame). */
static bool side(struct hcf_state *s, grant_ref_t *ref, xen_pfn_t *gmfn, domid_t *dom, bool dest)
{
	bool by_ref = hcf_chance(s, 60);

	*dom = hcf_chance(s, 85) ? (hcf_chance(s, 50) ? 0 : DOMID_SELF) : hcf_dom(s);
	if (by_ref) {
		*ref = gref(s);
	} else if (dest) {
		unsigned int k = hcf_below(s, 10);

		*gmfn = k < 7	? s->pg[8 + hcf_below(s, 8)].mfn
			: k < 9 ? hcf_frame(s, HCF_FR_POOL)
				: hcf_frame(s, hcf_chance(s, 50) ? HCF_FR_M2P : HCF_FR_HUGE);
	} else {
		*gmfn = hcf_data_frame(s);
	}
	return by_ref;
}

static bool gen_copy(struct hcf_state *s, struct hcf_call *c)
{
	static const uint16_t lens[] = { 8, 64, 4096, 4097, 0, 100 };
	static const uint16_t offs[] = { 0, 8, 4088, 4095, 2048 };
	unsigned int n = 1 + hcf_below(s, 3);
	unsigned long count = hcf_chance(s, 90) ? n : hcf_count(s, 3);
	struct gnttab_copy *op = (void *)c->buf;

	/*
	 * More ops than were written: the array ends where the mapping does,
	 * so the hypervisor faults on the next one instead of carrying out
	 * whatever follows in this kernel's memory (Xen does, with
	 * continuations, writing each status back). Not in a multicall, whose
	 * calls share that edge.
	 */
	if (count > n && s->in_multi)
		count = n;
	if (count > n)
		op = (void *)(s->hole - n * sizeof(*op));
	for (unsigned int i = 0; i < n; i++) {
		op[i].flags = 0;
		if (side(s, &op[i].source.u.ref, &op[i].source.u.gmfn, &op[i].source.domid, false))
			op[i].flags |= GNTCOPY_source_gref;
		if (side(s, &op[i].dest.u.ref, &op[i].dest.u.gmfn, &op[i].dest.domid, true))
			op[i].flags |= GNTCOPY_dest_gref;
		if (hcf_chance(s, 5)) {
			uint16_t was = op[i].flags;

			op[i].flags |= (uint16_t)hcf_rand(s);
			/*
			 * A frame side the junk flags made a grant side would name
			 * a frame number as reference: a number that differs
			 * between the hypervisors (in range on one, not the other).
			 */
			if ((op[i].flags & ~was) & GNTCOPY_source_gref)
				op[i].source.u.ref = gref(s);
			if ((op[i].flags & ~was) & GNTCOPY_dest_gref)
				op[i].dest.u.ref = gref(s);
		}
		op[i].source.offset = offs[hcf_below(s, GPV_ARRAY_SIZE(offs))];
		op[i].dest.offset = offs[hcf_below(s, GPV_ARRAY_SIZE(offs))];
		op[i].len = lens[hcf_below(s, GPV_ARRAY_SIZE(lens))];
		op[i].status = 12345;
	}
	c->nr = __HYPERVISOR_grant_table_op;
	c->arg[0] = GNTTABOP_copy;
	c->arg[1] = op == (void *)c->buf ? hcf_in_ptr(s, op, sizeof(*op)) : (unsigned long)op;
	c->arg[2] = count;
	hcf_desc(c, "gnttab copy n %lu [0] flags %#x src %#lx/%#x+%u dst %#lx/%#x+%u len %u", count,
		 op[0].flags, (unsigned long)op[0].source.u.gmfn, op[0].source.domid,
		 op[0].source.offset, (unsigned long)op[0].dest.u.gmfn, op[0].dest.domid,
		 op[0].dest.offset, op[0].len);
	return true;
}

/* The statuses, folded, as the step's detail (compared across hypervisors). */
static void after_copy(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct gnttab_copy *op = (const void *)c->buf;
	long d = 0;

	(void)s;
	if (rc || c->arg[1] != (unsigned long)c->buf)
		return;
	for (unsigned long i = 0; i < c->arg[2] && i < 3; i++)
		d = d * 100 + (op[i].status < 0 ? -op[i].status : op[i].status + 50);
	c->detail = d;
}

static bool gen_setup_table(struct hcf_state *s, struct hcf_call *c)
{
	struct gnttab_setup_table *st = (void *)c->buf;

	st->dom = hcf_chance(s, 80) ? DOMID_SELF : hcf_dom(s);
	st->nr_frames = hcf_chance(s, 70) ? 1 + hcf_below(s, GPV_GNTTAB_MAX_FRAMES)
					  : (uint32_t)hcf_count(s, 80);
	st->status = 12345;
	/* Up to 80 frames: the list goes in the scratch page, not in c->buf. */
	set_xen_guest_handle(st->frame_list, (xen_pfn_t *)hcf_ptr(s, s->edge));
	c->nr = __HYPERVISOR_grant_table_op;
	c->arg[0] = GNTTABOP_setup_table;
	c->arg[1] = hcf_ptr(s, st);
	c->arg[2] = hcf_chance(s, 90) ? 1 : hcf_count(s, 2);
	hcf_desc(c, "gnttab setup_table dom %#x nr %u list %p count %lu", st->dom, st->nr_frames,
		 (void *)st->frame_list.p, c->arg[2]);
	return true;
}

/* The status field (at @off in the op) as the step's detail. */
static void status_detail(struct hcf_call *c, long rc, size_t off)
{
	if (!rc && c->arg[1] == (unsigned long)c->buf)
		c->detail = *(const int16_t *)((const uint8_t *)c->buf + off);
}

static void after_setup_table(struct hcf_state *s, struct hcf_call *c, long rc)
{
	(void)s;
	status_detail(c, rc, offsetof(struct gnttab_setup_table, status));
}

static bool gen_query_size(struct hcf_state *s, struct hcf_call *c)
{
	struct gnttab_query_size *q = (void *)c->buf;

	q->dom = hcf_chance(s, 70) ? DOMID_SELF : hcf_dom(s);
	c->nr = __HYPERVISOR_grant_table_op;
	c->arg[0] = GNTTABOP_query_size;
	c->arg[1] = hcf_ptr(s, q);
	c->arg[2] = hcf_chance(s, 90) ? 1 : hcf_count(s, 2);
	hcf_desc(c, "gnttab query_size dom %#x count %lu", q->dom, c->arg[2]);
	return true;
}

static void after_query_size(struct hcf_state *s, struct hcf_call *c, long rc)
{
	(void)s;
	status_detail(c, rc, offsetof(struct gnttab_query_size, status));
}

static bool gen_version(struct hcf_state *s, struct hcf_call *c)
{
	static const uint32_t versions[] = { 1, 0, 3, 0xffffffff };
	bool set = hcf_chance(s, 50);

	c->buf[0] = hcf_chance(s, 50) ? DOMID_SELF : hcf_dom(s);
	if (set)
		c->buf[0] = versions[hcf_below(s, GPV_ARRAY_SIZE(versions))];
	c->nr = __HYPERVISOR_grant_table_op;
	c->arg[0] = set ? GNTTABOP_set_version : GNTTABOP_get_version;
	c->arg[1] = hcf_ptr(s, c->buf);
	c->arg[2] = hcf_chance(s, 90) ? 1 : hcf_count(s, 2);
	hcf_desc(c, "gnttab %s_version %#lx count %lu", set ? "set" : "get",
		 (unsigned long)c->buf[0], c->arg[2]);
	return true;
}

static bool gen_unknown(struct hcf_state *s, struct hcf_call *c)
{
	static const unsigned int cmds[] = { 12, 13, 14, 99, 0x7fffffff };

	c->nr = __HYPERVISOR_grant_table_op;
	c->arg[0] = cmds[hcf_below(s, GPV_ARRAY_SIZE(cmds))];
	c->arg[1] = hcf_ptr(s, c->buf);
	c->arg[2] = 1;
	hcf_desc(c, "gnttab op %lu", c->arg[0]);
	return true;
}

/*
 * Where a grant is mapped: the window, else the read-only page, the hole,
 * or addresses that are not ours; never a page the fuzzer writes itself.
 */
static unsigned long map_addr(struct hcf_state *s)
{
	switch (hcf_below(s, 20)) {
	case 0:
		return (unsigned long)s->ro;
	case 1:
		return (unsigned long)s->hole;
	case 2:
		return HCF_UNMAPPED;
	case 3:
		return HCF_XENRANGE;
	case 4:
		return HCF_NONCANON;
	case 5:
		return (unsigned long)s->win + 8; /* not page-aligned */
	default:
		return (unsigned long)s->win;
	}
}

/*
 * Map one of our grants (or a wrong ref, domain, flags or address) at the
 * window page; at most one mapping at a time, which the model remembers
 * and the teardown unmaps.
 */
static bool gen_map(struct hcf_state *s, struct hcf_call *c)
{
	static const uint32_t flags[] = { GNTMAP_host_map, GNTMAP_host_map | GNTMAP_readonly,
					  GNTMAP_host_map | GNTMAP_application_map, 0,
					  GNTMAP_host_map | GNTMAP_contains_pte };
	struct gnttab_map_grant_ref *m = (void *)c->buf;

	if (s->map_handle >= 0)
		return false;
	m->host_addr = map_addr(s);
	m->flags = flags[hcf_below(s, GPV_ARRAY_SIZE(flags))];
	m->ref = gref(s);
	m->dom = hcf_chance(s, 85) ? (hcf_chance(s, 50) ? 0 : DOMID_SELF) : hcf_dom(s);
	m->status = 12345;
	c->nr = __HYPERVISOR_grant_table_op;
	c->arg[0] = GNTTABOP_map_grant_ref;
	c->arg[1] = hcf_in_ptr(s, m, sizeof(*m));
	c->arg[2] = 1;
	hcf_desc(c, "gnttab map ref %u dom %#x flags %#x at %#lx", m->ref, m->dom, m->flags,
		 (unsigned long)m->host_addr);
	return true;
}

static void after_map(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct gnttab_map_grant_ref *m = (const void *)c->buf;

	if (rc || c->arg[1] != (unsigned long)c->buf)
		return;
	c->detail = m->status;
	/* Wherever it went (the window, the read-only page, the hole), undone at teardown. */
	if (m->status == GNTST_okay) {
		s->map_handle = m->handle;
		s->map_addr = m->host_addr;
	}
}

static bool gen_unmap(struct hcf_state *s, struct hcf_call *c)
{
	struct gnttab_unmap_grant_ref *u = (void *)c->buf;

	u->host_addr =
		hcf_chance(s, 85) && s->map_handle >= 0 ? s->map_addr : hcf_ptr(s, s->win) & ~7UL;
	u->handle = s->map_handle >= 0 && hcf_chance(s, 80) ? (grant_handle_t)s->map_handle
							    : (grant_handle_t)hcf_below(s, 70000);
	u->dev_bus_addr = 0;
	u->status = 12345;
	c->nr = __HYPERVISOR_grant_table_op;
	c->arg[0] = GNTTABOP_unmap_grant_ref;
	c->arg[1] = hcf_in_ptr(s, u, sizeof(*u));
	c->arg[2] = 1;
	hcf_desc(c, "gnttab unmap handle %u at %#lx", u->handle, (unsigned long)u->host_addr);
	return true;
}

static void after_unmap(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct gnttab_unmap_grant_ref *u = (const void *)c->buf;

	if (rc || c->arg[1] != (unsigned long)c->buf)
		return;
	c->detail = u->status;
	if (u->status == GNTST_okay && s->map_handle >= 0 &&
	    u->handle == (grant_handle_t)s->map_handle)
		s->map_handle = -1;
}

const struct hcf_op hcf_gnt_ops[] = {
	{ .name = "gnttab_map", .weight = 3, .gen = gen_map, .after = after_map, .no_multi = true },
	{ .name = "gnttab_unmap",
	  .weight = 3,
	  .gen = gen_unmap,
	  .after = after_unmap,
	  .no_multi = true },
	{ .name = "gnttab_copy", .weight = 10, .gen = gen_copy, .after = after_copy },
	{ .name = "gnttab_setup_table",
	  .weight = 3,
	  .gen = gen_setup_table,
	  .after = after_setup_table,
	  .writes_back = true },
	{ .name = "gnttab_query_size",
	  .weight = 2,
	  .gen = gen_query_size,
	  .after = after_query_size },
	{ .name = "gnttab_version", .weight = 2, .gen = gen_version },
	{ .name = "gnttab_unknown", .weight = 1, .gen = gen_unknown },
	{ .name = NULL },
};
