// SPDX-License-Identifier: MIT
/*
 * Grant tables v1 within one domain, as Xen 4.17 answers them: query_size,
 * setup_table, get_version and set_version with their checks, and
 * GNTTABOP_copy to itself (a granted page to a frame and back, one status
 * per entry) with every refusal Xen gives: a bad reference, a read-only
 * grant as destination, a grant to another domain, a copy beyond the page,
 * a frame named for another domain, an unknown domain, a frame that is not
 * the domain's, one of its page tables as destination.
 */
#include <gpv/gpv.h>
#include <gpv/gnttab.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>

#define BAD_PTR ((void *)0x00007f0000000000UL)

static long gop(unsigned int cmd, void *op, unsigned int count)
{
	return gpv_grant_table_op(cmd, op, count);
}

static void check_table_ops(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	struct gnttab_set_version sv = { .version = 3 };
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
	xen_pfn_t frames[2];

	gpv_test_area("gnttab: table ops");
	gpv_test_eq(gop(GNTTABOP_query_size, &q, 1), 0, "query_size");
	gpv_test_eq(q.status, GNTST_okay, "query_size status okay");
	gpv_test_info("nr_frames %u max_nr_frames %u", q.nr_frames, q.max_nr_frames);
	gpv_test_checkf(q.nr_frames >= 1 && q.max_nr_frames >= 32,
			"at least one frame, room for 32", "%u of %u", q.nr_frames,
			q.max_nr_frames);
	gpv_test_eq(gop(GNTTABOP_query_size, &q, 2), -XEN_EINVAL, "query_size count 2 = -EINVAL");
	q.dom = 7;
	gpv_test_eq(gop(GNTTABOP_query_size, &q, 1), 0, "query_size of domain 7 returns 0");
	gpv_test_eq(q.status, GNTST_bad_domain, "with status bad_domain");
	gpv_test_eq(gop(GNTTABOP_get_version, &gv, 1), 0, "get_version");
	gpv_test_eq(gv.version, 1, "version 1");
	gv.dom = 7;
	gpv_test_eq(gop(GNTTABOP_get_version, &gv, 1), -XEN_ESRCH,
		    "get_version of domain 7 = -ESRCH");
	gpv_test_eq(gop(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL, "set_version(3) = -EINVAL");
	gpv_test_eq(sv.version, 1, "and reports version 1");
	sv.version = 1;
	gpv_test_eq(gop(GNTTABOP_set_version, &sv, 1), 0, "set_version(1) = 0");
	set_xen_guest_handle(st.frame_list, BAD_PTR);
	gpv_test_eq(gop(GNTTABOP_setup_table, &st, 1), 0,
		    "setup_table with an unmapped frame list returns 0");
	gpv_test_eq(st.status, GNTST_bad_virt_addr, "with status bad_virt_addr");
	set_xen_guest_handle(st.frame_list, frames);
	st.nr_frames = q.max_nr_frames + 1;
	st.dom = DOMID_SELF;
	gpv_test_eq(gop(GNTTABOP_setup_table, &st, 1), 0,
		    "setup_table beyond the maximum returns 0");
	gpv_test_eq(st.status, GNTST_general_error, "with status general_error");
	st = (struct gnttab_setup_table){ .dom = 7, .nr_frames = 1 };
	set_xen_guest_handle(st.frame_list, frames);
	gpv_test_eq(gop(GNTTABOP_setup_table, &st, 1), 0, "setup_table of domain 7 returns 0");
	gpv_test_eq(st.status, GNTST_bad_domain, "with status bad_domain");
	gpv_test_eq(gpv_gnttab_init(2), 0, "setup_table of 2 frames, mapped");
	q.dom = DOMID_SELF;
	gpv_test_eq(gop(GNTTABOP_query_size, &q, 1), 0, "query_size again");
	gpv_test_checkf(q.nr_frames >= 2, "the table has grown to 2 frames", "%u", q.nr_frames);
}

#define NONCANON ((void *)0x0000800000000000UL)
#define XEN_RANGE ((void *)0xffff800000001000UL)
#define CONT_BIT (1U << 12) /* the lowest of Xen's continuation bits (GNTTABOP_ARG_SHIFT) */

/*
 * The call's own forms, as Xen 4.17: get_version and set_version ignore
 * the count; continuation bits are for cache_flush only (-EINVAL), and there
 * a no-op with them is -EILSEQ; only an array's start is checked before its
 * ops are read (-EFAULT even for no op, or no frame).
 */
static void check_call_forms(void)
{
	struct gnttab_get_version gv = { .dom = DOMID_SELF };
	struct gnttab_set_version sv = { .version = 1 };
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 0 };
	struct gnttab_cache_flush f = { .length = 0, .op = GNTTAB_CACHE_CLEAN };
	struct gnttab_copy c = { .len = 0 };

	gpv_test_area("gnttab: call forms");
	gpv_test_eq(gop(GNTTABOP_set_version, &sv, 0), 0, "set_version(1) with count 0 = 0");
	gpv_test_eq(gop(GNTTABOP_get_version, &gv, 2), 0, "get_version with count 2 = 0");
	gpv_test_eq(gv.version, 1, "and reports version 1");
	gpv_test_eq(gop(GNTTABOP_copy | CONT_BIT, &c, 1), -XEN_EINVAL,
		    "copy with continuation bits = -EINVAL");
	gpv_test_eq(gop(0x7fffffff, &c, 1), -XEN_EINVAL,
		    "command 0x7fffffff (bits beyond the op) = -EINVAL");
	gpv_test_eq(gop(GNTTABOP_cache_flush, &f, 1), 0, "cache_flush of nothing = 0");
	gpv_test_eq(gop(GNTTABOP_cache_flush | CONT_BIT, &f, 1), -XEN_EILSEQ,
		    "cache_flush of nothing with continuation bits = -EILSEQ");
	gpv_test_eq(gop(GNTTABOP_copy, NONCANON, 0), -XEN_EFAULT,
		    "copy of 0 ops at a non-canonical address = -EFAULT");
	gpv_test_eq(gop(GNTTABOP_copy, XEN_RANGE, 0), -XEN_EFAULT,
		    "copy of 0 ops in the hypervisor's range = -EFAULT");
	gpv_test_eq(gop(GNTTABOP_copy, BAD_PTR, 0), 0, "copy of 0 ops at an unmapped address = 0");
	set_xen_guest_handle(st.frame_list, NONCANON);
	gpv_test_eq(gop(GNTTABOP_setup_table, &st, 1), -XEN_EFAULT,
		    "setup_table of 0 frames, list at a non-canonical address = -EFAULT");
	set_xen_guest_handle(st.frame_list, BAD_PTR);
	st.status = 99;
	gpv_test_eq(gop(GNTTABOP_setup_table, &st, 1), 0,
		    "setup_table of 0 frames, list unmapped = 0");
	gpv_test_eq(st.status, GNTST_okay, "with status okay");
}

static struct gnttab_copy copy_op(unsigned int flags, unsigned long src, unsigned long dst,
				  unsigned int len)
{
	struct gnttab_copy c = { .len = (uint16_t)len, .flags = (uint16_t)flags };

	c.source.domid = DOMID_SELF;
	c.dest.domid = DOMID_SELF;
	if (flags & GNTCOPY_source_gref)
		c.source.u.ref = (grant_ref_t)src;
	else
		c.source.u.gmfn = src;
	if (flags & GNTCOPY_dest_gref)
		c.dest.u.ref = (grant_ref_t)dst;
	else
		c.dest.u.gmfn = dst;
	return c;
}

static int16_t copy1(struct gnttab_copy c)
{
	long rc = gop(GNTTABOP_copy, &c, 1);

	return rc ? (int16_t)rc : c.status;
}

/*
 * Which status an op with several wrong fields gets, as Xen 4.17 answers
 * (tried there): both domains are looked up first, so an unknown domain on
 * either side wins; then the source is claimed whole (a frame named by id
 * rather than DOMID_SELF, a bad reference or frame), then the destination;
 * the offsets and length last.
 */
static void check_copy_order(long ra, unsigned long ma, unsigned long mb, domid_t self)
{
	struct gnttab_copy c;

	c = copy_op(GNTCOPY_dest_gref, ma, (unsigned long)ra, 8);
	c.source.domid = self;
	c.dest.domid = DOMID_IO;
	gpv_test_eq(copy1(c), GNTST_bad_domain,
		    "order: a frame by own id, a grant of DOMID_IO = bad_domain");
	c = copy_op(0, ma, mb, 8);
	c.source.domid = self;
	c.dest.domid = 5;
	gpv_test_eq(copy1(c), GNTST_bad_domain,
		    "order: a frame by own id, a frame of domain 5 = bad_domain");
	c = copy_op(GNTCOPY_source_gref | GNTCOPY_dest_gref, 1U << 30, (unsigned long)ra, 8);
	c.dest.domid = 7;
	gpv_test_eq(copy1(c), GNTST_bad_domain,
		    "order: reference 2^30, a grant of domain 7 = bad_domain");
	c = copy_op(GNTCOPY_source_gref, 1U << 30, mb, 8);
	c.dest.domid = self;
	gpv_test_eq(copy1(c), GNTST_bad_gntref,
		    "order: reference 2^30, then a frame by own id = bad_gntref");
	c = copy_op(GNTCOPY_source_gref, (unsigned long)ra, 1UL << 30, 8);
	c.source.offset = 4090;
	gpv_test_eq(copy1(c), GNTST_bad_page,
		    "order: beyond the page, to a frame not the domain's = bad_page");
	c = copy_op(GNTCOPY_dest_gref, 1UL << 30, 1U << 30, 8);
	gpv_test_eq(copy1(c), GNTST_bad_page,
		    "order: a frame not the domain's, reference 2^30 = bad_page");
}

static void check_copy(void)
{
	uint8_t *a = gpv_page_alloc(), *b = gpv_page_alloc();
	unsigned long ma = gpv_virt_to_mfn(a), mb = gpv_virt_to_mfn(b);
	unsigned long pt = gpv_virt_to_mfn((void *)gpv_start_info->pt_base);
	domid_t self = gpv_is_dom0() ? 0 : DOMID_SELF;
	long ra, rro, rother;
	struct gnttab_copy two[2];
	bool same = true;

	gpv_test_area("gnttab: copy to itself");
	for (unsigned int i = 0; i < 4096; i++) {
		a[i] = (uint8_t)(i * 7 + 1);
		b[i] = 0;
	}
	ra = gpv_gnttab_grant(self, ma, false);
	rro = gpv_gnttab_grant(self, mb, true);
	rother = gpv_gnttab_grant(5, ma, false);
	gpv_test_checkf(ra > 0 && rro > 0 && rother > 0, "three grants", "%ld %ld %ld", ra, rro,
			rother);
	gpv_test_eq(copy1(copy_op(GNTCOPY_source_gref, (unsigned long)ra, mb, 4096)), GNTST_okay,
		    "copy a granted page to a frame");
	for (unsigned int i = 0; i < 4096; i++)
		same = same && b[i] == a[i];
	gpv_test_check(same, "the frame holds the page's bytes");
	b[100] = 0x5a;
	gpv_test_eq(copy1(copy_op(GNTCOPY_dest_gref, mb, (unsigned long)ra, 4096)), GNTST_okay,
		    "copy a frame into a granted page");
	gpv_test_eq(a[100], 0x5a, "the granted page changed");
	gpv_test_eq(gpv_gnttab_entry((grant_ref_t)ra)->flags, GTF_permit_access,
		    "the entry is not left reading or writing");
	gpv_test_eq(copy1(copy_op(GNTCOPY_dest_gref, ma, (unsigned long)rro, 8)),
		    GNTST_general_error, "a read-only grant as destination = general_error");
	gpv_test_eq(copy1(copy_op(GNTCOPY_source_gref, (unsigned long)rother, mb, 8)),
		    GNTST_general_error, "a grant to domain 5 = general_error");
	gpv_test_eq(copy1(copy_op(GNTCOPY_source_gref, 1U << 30, mb, 8)), GNTST_bad_gntref,
		    "reference 2^30 = bad_gntref");
	two[0] = copy_op(GNTCOPY_source_gref, (unsigned long)ra, mb, 8);
	two[0].source.offset = 4090;
	two[1] = copy_op(0, ma, mb, 16);
	two[1].dest.domid = 5;
	gpv_test_eq(gop(GNTTABOP_copy, two, 2), 0, "two bad copies in one call return 0");
	gpv_test_eq(two[0].status, GNTST_bad_copy_arg, "beyond the page = bad_copy_arg");
	gpv_test_eq(two[1].status, GNTST_bad_domain,
		    "a frame named for domain 5 (which does not exist) = bad_domain");
	two[1] = copy_op(0, ma, mb, 16);
	two[1].dest.domid = self;
	gpv_test_eq(copy1(two[1]), gpv_is_dom0() ? GNTST_permission_denied : GNTST_okay,
		    "a frame named by the domain's own id, not DOMID_SELF = permission_denied");
	two[0] = copy_op(GNTCOPY_source_gref, (unsigned long)ra, mb, 8);
	two[0].source.domid = 7;
	gpv_test_eq(copy1(two[0]), GNTST_bad_domain, "a grant of domain 7 = bad_domain");
	gpv_test_eq(copy1(copy_op(0, 1UL << 30, mb, 8)), GNTST_bad_page,
		    "a frame that is not the domain's = bad_page");
	gpv_test_eq(copy1(copy_op(0, ma, pt, 8)), GNTST_general_error,
		    "its own L4 page table as destination = general_error");
	check_copy_order(ra, ma, mb, self);
	gpv_test_eq(gop(GNTTABOP_copy, BAD_PTR, 1), -XEN_EFAULT, "an unmapped op array = -EFAULT");
	gpv_test_eq(gop(GNTTABOP_copy, two, 0), 0, "no ops = 0");
	gpv_test_eq(gpv_gnttab_end((grant_ref_t)ra), 0, "end the grants");
	gpv_gnttab_end((grant_ref_t)rro);
	gpv_gnttab_end((grant_ref_t)rother);
}

int gpv_main(void)
{
	check_table_ops();
	check_call_forms();
	check_copy();
	return gpv_test_finish();
}
