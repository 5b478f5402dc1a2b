// SPDX-License-Identifier: MIT
/*
 * traps, part 2: descriptor tables and the other per-vCPU hypercalls:
 * set_gdt (a frame must not be mapped writable; descriptors are checked and
 * their DPL raised), update_descriptor, vm_assist, the older set_callbacks,
 * callback_op unregister, and set_segment_base for the user %gs selector.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/traps.h>
#include <gpv/test.h>

#define DESC_CODE64 0x00af9a000000ffffULL /* 64-bit code, DPL 0 */
#define DESC_DATA 0x00cf92000000ffffULL	  /* data, DPL 0 */
#define DESC_TSS 0x0000890000000067ULL	  /* a system descriptor */
#define DPL_OF(d) ((unsigned int)((d) >> 45) & 3)

static uint64_t gdt[512] __attribute__((aligned(4096)));
static uint64_t plain[512] __attribute__((aligned(4096)));

static long map_gdt(bool writable)
{
	uint64_t pte = (gpv_virt_to_mfn(gdt) << 12) | (writable ? 7 : 5);

	return gpv_update_va_mapping((unsigned long)gdt, pte, UVMF_INVLPG);
}

static void check_gdt(void)
{
	unsigned long frame = gpv_virt_to_mfn(gdt);
	uint64_t maddr = (uint64_t)frame << 12;

	gpv_test_area("traps: descriptor tables");
	gdt[1] = DESC_CODE64;
	gdt[2] = DESC_DATA;
	gpv_test_eq(gpv_set_gdt(&frame, 16), -XEN_EINVAL, "set_gdt of a writable frame = -EINVAL");
	gpv_test_eq(map_gdt(false), 0, "remap the GDT frame read-only");
	gpv_test_eq(gpv_set_gdt(&frame, 16), 0, "set_gdt of a read-only frame returns 0");
	gpv_test_eq(DPL_OF(gdt[2]), 3, "set_gdt raised the data descriptor's DPL to 3");
	gpv_test_eq(gpv_update_descriptor(maddr + 3 * 8, DESC_DATA), 0,
		    "update_descriptor of a data descriptor returns 0");
	gpv_test_check(gdt[3] != 0, "the descriptor was written");
	gpv_test_eq(DPL_OF(gdt[3]), 3, "update_descriptor raised its DPL to 3");
	gpv_test_eq(gpv_update_descriptor(maddr + 4 * 8, DESC_TSS), -XEN_EINVAL,
		    "update_descriptor of a system descriptor = -EINVAL");
	gpv_test_eq((long)gdt[4], 0, "the refused descriptor was not written");
	gpv_test_eq(gpv_update_descriptor(maddr + 5 * 8 + 4, DESC_DATA), -XEN_EINVAL,
		    "update_descriptor at a misaligned address = -EINVAL");
	/* Xen 4.17 accepts an ordinary writable page (it validates the descriptor). */
	gpv_test_eq(gpv_update_descriptor((uint64_t)gpv_virt_to_mfn(plain) << 12, DESC_DATA), 0,
		    "update_descriptor on an ordinary writable page returns 0");
	gpv_test_eq(DPL_OF(plain[0]), 3, "and writes the descriptor with DPL 3");
	gpv_test_eq(gpv_update_descriptor((uint64_t)gpv_virt_to_mfn(plain) << 12, DESC_TSS),
		    -XEN_EINVAL, "a system descriptor there is still -EINVAL");
	gpv_test_eq(
		gpv_update_descriptor(
			gpv_start_info->pt_base
				? (uint64_t)gpv_virt_to_mfn((void *)gpv_start_info->pt_base) << 12
				: 0,
			DESC_DATA),
		-XEN_EINVAL, "update_descriptor into the L4 page table = -EINVAL");
}

static void check_misc(void)
{
	struct callback_unregister cu = { .type = CALLBACKTYPE_event };

	gpv_test_area("traps: per-vCPU hypercalls");
	gpv_test_eq(gpv_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0,
		    "vm_assist enable writable_pagetables");
	gpv_test_eq(gpv_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables), 0,
		    "vm_assist disable writable_pagetables");
	gpv_test_eq(gpv_vm_assist(99, VMASST_TYPE_writable_pagetables), -XEN_ENOSYS,
		    "vm_assist unknown command = -ENOSYS");
	gpv_test_eq(gpv_set_callbacks((unsigned long)gpv_event_entry,
				      (unsigned long)gpv_failsafe_entry,
				      (unsigned long)gpv_syscall_entry),
		    0, "set_callbacks (the older form) returns 0");
	{
		static const struct {
			unsigned int type;
			const char *name;
		} cbs[] = {
			{ CALLBACKTYPE_syscall32, "register the syscall32 callback" },
			{ CALLBACKTYPE_sysenter, "register the sysenter callback" },
			{ CALLBACKTYPE_failsafe, "register the failsafe callback again" },
		};
		struct callback_register cb = { .address = (unsigned long)gpv_syscall_entry };
		size_t i;

		for (i = 0; i < GPV_ARRAY_SIZE(cbs); i++) {
			cb.type = (uint16_t)cbs[i].type;
			cb.address = cbs[i].type == CALLBACKTYPE_failsafe
					     ? (unsigned long)gpv_failsafe_entry
					     : (unsigned long)gpv_syscall_entry;
			gpv_test_eq(gpv_callback_op(CALLBACKOP_register, &cb), 0, cbs[i].name);
		}
	}
	gpv_test_eq(gpv_callback_op(CALLBACKOP_unregister, &cu), -XEN_EINVAL,
		    "unregistering the event callback = -EINVAL");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0,
		    "set_segment_base GS_USER_SEL 0 returns 0");
	gpv_test_eq(gpv_stack_switch(FLAT_KERNEL_SS, (unsigned long)gpv_boot_stack_top), 0,
		    "stack_switch back to the boot stack");
}

void traps_check_desc(void);
void traps_check_desc(void)
{
	check_gdt();
	check_misc();
}
