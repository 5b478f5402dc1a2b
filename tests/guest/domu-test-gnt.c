// SPDX-License-Identifier: MIT
/*
 * domu-test, grant mapping and copying: the domain grants a page to
 * itself, maps the grant read-only at another page, reads it there, sees
 * the entry marked GTF_reading (so ending the grant is refused), unmaps
 * it, copies from the grant with GNTTABOP_copy, and maps a bad reference.
 */
#include <gpv/gpv.h>
#include <gpv/gnttab.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>

void domu_check_grant_self(domid_t self);
void domu_check_grant_self(domid_t self)
{
	char *src = gpv_page_alloc(), *view = gpv_page_alloc(), *dst = gpv_page_alloc();
	grant_entry_v1_t *e;
	long ref, h;

	gpv_test_area("domu: grant map and copy");
	if (!gpv_test_check(src && view && dst, "three pages to work with"))
		return;
	memcpy(src, "grant me", 9);
	ref = gpv_gnttab_grant(self, gpv_virt_to_mfn(src), true);
	if (!gpv_test_checkf(ref > 0, "grant a page to itself", "%ld", ref))
		return;
	e = gpv_gnttab_entry((grant_ref_t)ref);
	h = gpv_gnttab_map(self, (grant_ref_t)ref, view, true);
	gpv_test_checkf(h >= 0, "GNTTABOP_map_grant_ref of its own grant", "%ld", h);
	if (h >= 0) {
		gpv_test_check(memcmp(view, "grant me", 9) == 0,
			       "the mapping shows the granted page");
		gpv_test_check(e->flags & GTF_reading, "the entry is marked GTF_reading");
		gpv_test_eq(gpv_gnttab_end((grant_ref_t)ref), -XEN_EBUSY,
			    "ending a grant that is mapped = -EBUSY");
		gpv_test_eq(gpv_gnttab_unmap(view, (grant_handle_t)h), 0,
			    "GNTTABOP_unmap_grant_ref, own frame restored");
		gpv_test_check(!(e->flags & GTF_reading), "GTF_reading cleared by the unmap");
		gpv_test_check(view[0] == 0, "the page shows its own frame again");
	}
	gpv_test_eq(gpv_gnttab_copy_in(self, (grant_ref_t)ref, 0, gpv_virt_to_mfn(dst), 100, 9),
		    GNTST_okay, "GNTTABOP_copy from the grant");
	gpv_test_check(memcmp(dst + 100, "grant me", 9) == 0, "the copy arrived");
	gpv_test_eq(gpv_gnttab_map(self, gpv_gnttab_nr_entries() + 5, view, true), GNTST_bad_gntref,
		    "mapping a reference past the table = GNTST_bad_gntref");
	gpv_test_eq(gpv_gnttab_end((grant_ref_t)ref), 0, "ending the grant after the unmap");
	gpv_page_free(src);
	gpv_page_free(view);
	gpv_page_free(dst);
}
