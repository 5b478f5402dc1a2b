// SPDX-License-Identifier: GPL-2.0-only
/*
 * A dom0 that builds page tables of its own and pins them: a user L4 that
 * shares the kernel's lower-half L3 (MMUEXT_PIN_L4_TABLE, then
 * MMUEXT_NEW_USER_BASEPTR), and the refusals that keep pinning safe
 * without reference counts: a page still mapped writable, an L1 that maps
 * itself writable, an entry of the wrong level; and once pinned, a table
 * can never be mapped writable again.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>

#define PTE_P 1UL
#define PTE_RW 2UL
#define PTE_US 4UL
#define ADDR(e) ((e)&0x000ffffffffff000UL)

static long pin(unsigned int cmd, unsigned long mfn)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

	return gpv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long map(void *va, unsigned long mfn, unsigned long flags)
{
	return gpv_update_va_mapping((unsigned long)va, (mfn << 12) | flags, UVMF_INVLPG);
}

int gpv_main(void)
{
	uint64_t *l4 = gpv_page_alloc(), *l1 = gpv_page_alloc();
	const uint64_t *kl4 = (const uint64_t *)gpv_start_info->pt_base;
	unsigned long m4 = gpv_virt_to_mfn(l4), m1 = gpv_virt_to_mfn(l1);
	struct mmuext_op op;

	gpv_test_area("pagetables");
	if (!l4 || !l1)
		return gpv_test_check(false, "two free pages");
	/* A user L4: the kernel's lower half, nothing else. */
	for (unsigned int i = 0; i < 256; i++)
		l4[i] = kl4[i];
	gpv_test_eq(pin(MMUEXT_PIN_L4_TABLE, m4), -XEN_EINVAL,
		    "pinning a page that is still mapped writable = -EINVAL");
	gpv_test_eq(map(l4, m4, PTE_P | PTE_US), 0, "remap the new L4 read-only");
	gpv_test_eq(pin(MMUEXT_PIN_L4_TABLE, m4), 0, "pin it as an L4");
	gpv_test_check(l4[261] != 0, "the hypervisor's slots were filled in");
	gpv_test_eq((long)l4[256], 0, "but not the RO M2P slot (no m2p_strict)");
	gpv_test_eq(map(l4, m4, PTE_P | PTE_RW | PTE_US), -XEN_EBUSY,
		    "a pinned table can no longer be mapped writable (-EBUSY)");
	op = (struct mmuext_op){ .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = m4 };
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), 0,
		    "MMUEXT_NEW_USER_BASEPTR with the pinned L4");
	gpv_test_eq(pin(MMUEXT_PIN_L4_TABLE, m4), -XEN_EINVAL, "pinning it again = -EINVAL");
	gpv_test_eq(pin(MMUEXT_PIN_L3_TABLE, m4), -XEN_EINVAL, "and as another level too");
	gpv_test_eq(pin(MMUEXT_UNPIN_TABLE, m4), 0, "unpinning it");
	gpv_test_eq(pin(MMUEXT_UNPIN_TABLE, m4), -XEN_EINVAL, "unpinning twice = -EINVAL");
	gpv_test_eq(pin(MMUEXT_PIN_L4_TABLE, gpv_start_info->pt_base ? gpv_virt_to_mfn(kl4) : 0),
		    -XEN_EINVAL, "the builder's L4 is pinned already");

	/* An L1 that maps itself writable must not become a table. */
	l1[0] = (m1 << 12) | PTE_P | PTE_RW;
	gpv_test_eq(map(l1, m1, PTE_P | PTE_US), 0, "remap the L1 candidate read-only");
	gpv_test_eq(pin(MMUEXT_PIN_L1_TABLE, m1), -XEN_EBUSY,
		    "an L1 mapping itself writable = -EBUSY (as Xen)");
	gpv_test_eq(pin(MMUEXT_PIN_L2_TABLE, m1), -XEN_EINVAL,
		    "an L2 whose entry is not an L1 = -EINVAL");
	gpv_test_eq(pin(MMUEXT_PIN_L1_TABLE, ADDR(kl4[0]) >> 12), -XEN_EINVAL,
		    "the kernel's L3 as an L1 = -EINVAL");
	gpv_test_eq(pin(MMUEXT_PIN_L1_TABLE, 1UL << 40), -XEN_EINVAL,
		    "a frame beyond memory = -EINVAL");
	return gpv_test_finish();
}
