// SPDX-License-Identifier: MIT
/*
 * grant_user: a grant op from guest user space. In a 64-bit PV domain user
 * mode has no hypercalls: the syscall a kernel would make goes to the
 * kernel's own syscall callback, so a user process cannot map, unmap or
 * copy grants behind its kernel. The op below would map a grant the
 * domain really gave itself; afterwards its status, the grant entry and
 * the target PTE must be untouched, on Xen 4.17 as on Lamina.
 */
#include <gpv/gpv.h>
#include <gpv/gnttab.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>
#include "umode.h"

#define SENTINEL 0x7777

void t_user_map(void);
struct gnttab_map_grant_ref t_user_op;

int gpv_main(void)
{
	uint8_t *page = gpv_page_alloc(), *win = gpv_page_alloc();
	domid_t self = gpv_is_dom0() ? 0 : DOMID_SELF;
	uint64_t before[4], after[4];
	struct gpv_regs r;
	long ref;

	gpv_test_area("gnttab from user mode");
	if (!gpv_test_eq(gpv_gnttab_init(1), 0, "grant table set up") ||
	    !gpv_test_check(umode_init(), "user mode set up"))
		return gpv_test_finish();
	ref = gpv_gnttab_grant(self, gpv_virt_to_mfn(page), false);
	t_user_op = (struct gnttab_map_grant_ref){ .host_addr = (unsigned long)win,
						   .flags = GNTMAP_host_map,
						   .ref = (grant_ref_t)ref,
						   .dom = self,
						   .status = SENTINEL };
	gpv_pt_walk((unsigned long)win, before);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, umode_back);
	gpv_trap_set_hook(13, umode_back);
	gpv_trap_set_hook(6, umode_back);
	umode_regs(&r, t_user_map);
	umode_run(&r);
	gpv_test_eq(umode_hits, 1, "one return to the kernel");
	gpv_test_eq((long)umode_seen.vector, GPV_VEC_SYSCALL,
		    "the user's hypercall reached the kernel's syscall callback");
	gpv_test_eq((long)(umode_seen.cs & 3), 3, "from user mode");
	gpv_test_eq(t_user_op.status, SENTINEL, "the op was not run: its status is untouched");
	gpv_test_eq(gpv_gnttab_entry((grant_ref_t)ref)->flags, GTF_permit_access,
		    "the grant was not pinned");
	gpv_pt_walk((unsigned long)win, after);
	gpv_test_eq((long)after[3], (long)before[3], "the PTE is unchanged");
	gpv_test_eq(gpv_gnttab_end((grant_ref_t)ref), 0, "the grant ends");
	return gpv_test_finish();
}
