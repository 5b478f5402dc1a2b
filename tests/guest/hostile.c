// SPDX-License-Identifier: MIT
/*
 * hostile: hypercall arguments a broken or malicious kernel passes. Each
 * must get an error, never crash or hang the hypervisor: unknown hypercall
 * numbers (through the page and through inline syscall, up to 2^32-1)
 * answer -ENOSYS; unmapped, non-canonical and hypervisor-range pointers
 * answer -EFAULT; out-of-range values answer -EINVAL (or what Xen 4.17
 * answers, which is the reference).
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/test.h>

#define UNMAPPED 0x00007f0000000000UL
#define NONCANON 0x8000000000000000UL
#define XENRANGE 0xffff830000000000UL

static const unsigned long bad_ptrs[] = { UNMAPPED, NONCANON, XENRANGE, (4UL << 20) - 2 };
static const char *const bad_names[] = { "unmapped", "non-canonical", "hypervisor-range",
					 "straddling the end of the mapping" };

static void check_unknown(void)
{
	static const unsigned long page_nrs[] = { 11, 43, 47, 56, 63, 64, 100, 127 };
	static const unsigned long sys_nrs[] = { 11,  43,   63,		  128,
						 255, 1000, 0x7fffffffUL, 0xffffffffUL };
	char name[80];
	size_t i;

	gpv_test_area("hostile: unknown hypercalls");
	for (i = 0; i < GPV_ARRAY_SIZE(page_nrs); i++) {
		gpv_snprintf(name, sizeof(name), "hypercall %lu via the page = -ENOSYS",
			     page_nrs[i]);
		gpv_test_eq(gpv_hcall_page((unsigned int)page_nrs[i], 1, 2, 3, 4, 5), -XEN_ENOSYS,
			    name);
	}
	for (i = 0; i < GPV_ARRAY_SIZE(sys_nrs); i++) {
		gpv_snprintf(name, sizeof(name), "hypercall %#lx via syscall = -ENOSYS",
			     sys_nrs[i]);
		gpv_test_eq(gpv_hcall_syscall((unsigned int)sys_nrs[i], 1, 2, 3, 4, 5), -XEN_ENOSYS,
			    name);
	}
}

static void check_pointers(void)
{
	char name[96];
	size_t i;

	for (i = 0; i < GPV_ARRAY_SIZE(bad_ptrs); i++) {
		void *p = (void *)bad_ptrs[i];

		gpv_snprintf(name, sizeof(name), "xen_version(extraversion) %s = -EFAULT",
			     bad_names[i]);
		gpv_test_eq(gpv_xen_version(XENVER_extraversion, p), -XEN_EFAULT, name);
		gpv_snprintf(name, sizeof(name), "console_io write %s = -EFAULT", bad_names[i]);
		gpv_test_eq(gpv_console_io(CONSOLEIO_write, 8, p), -XEN_EFAULT, name);
		gpv_snprintf(name, sizeof(name), "set_trap_table %s = -EFAULT", bad_names[i]);
		gpv_test_eq(gpv_set_trap_table(p), -XEN_EFAULT, name);
		gpv_snprintf(name, sizeof(name), "multicall %s = -EFAULT", bad_names[i]);
		gpv_test_eq(gpv_multicall(p, 1), -XEN_EFAULT, name);
		gpv_snprintf(name, sizeof(name), "sched_op(shutdown) %s = -EFAULT", bad_names[i]);
		gpv_test_eq(gpv_sched_op(SCHEDOP_shutdown, p), -XEN_EFAULT, name);
		gpv_snprintf(name, sizeof(name), "event_channel_op(send) %s = -EFAULT",
			     bad_names[i]);
		gpv_test_eq(gpv_event_channel_op(EVTCHNOP_send, p), -XEN_EFAULT, name);
		gpv_snprintf(name, sizeof(name), "callback_op(register) %s = -EFAULT",
			     bad_names[i]);
		gpv_test_eq(gpv_callback_op(CALLBACKOP_register, p), -XEN_EFAULT, name);
		gpv_snprintf(name, sizeof(name), "mmu_update %s = -EFAULT", bad_names[i]);
		gpv_test_eq(gpv_mmu_update(p, 1, NULL, DOMID_SELF), -XEN_EFAULT, name);
		gpv_snprintf(name, sizeof(name), "mmuext_op %s = -EFAULT", bad_names[i]);
		gpv_test_eq(gpv_mmuext_op(p, 1, NULL, DOMID_SELF), -XEN_EFAULT, name);
	}
}

/*
 * PHYSDEVOP_irq_status_query as Xen 4.17 answers dom0 on one CPU with 24
 * GSIs (QEMU's): 24 + 208 vectors, capped at the machine's 208 IRQs; each
 * needs an EOI, none is shared. XENMEM_memory_map: -EFAULT, else -ENOSYS
 * (a PV dom0 is given no map).
 */
static void check_physdev(void)
{
	struct physdev_irq_status_query q = { .irq = 0, .flags = 0x5a };
	struct xen_memory_map map = { .nr_entries = 8 };

	gpv_test_eq(gpv_physdev_op(PHYSDEVOP_irq_status_query, &q), 0, "irq_status_query of irq 0");
	gpv_test_eq(q.flags, XENIRQSTAT_needs_eoi, "irq 0 needs an EOI, is not shared");
	q.irq = 207;
	gpv_test_eq(gpv_physdev_op(PHYSDEVOP_irq_status_query, &q), 0, "of irq 207 (the last)");
	q.irq = 208;
	gpv_test_eq(gpv_physdev_op(PHYSDEVOP_irq_status_query, &q), -XEN_EINVAL,
		    "of irq 208 = -EINVAL");
	q.irq = 0x80000000U;
	gpv_test_eq(gpv_physdev_op(PHYSDEVOP_irq_status_query, &q), -XEN_EINVAL,
		    "of irq 2^31 (negative) = -EINVAL");
	gpv_test_eq(gpv_physdev_op(PHYSDEVOP_irq_status_query, (void *)UNMAPPED), -XEN_EFAULT,
		    "with an unmapped argument = -EFAULT");
	gpv_test_eq(gpv_memory_op(XENMEM_memory_map, (void *)UNMAPPED), -XEN_EFAULT,
		    "XENMEM_memory_map with an unmapped argument = -EFAULT");
	gpv_test_eq(gpv_memory_op(XENMEM_memory_map, &map), -XEN_ENOSYS,
		    "XENMEM_memory_map = -ENOSYS (no map for a PV dom0)");
}

static void check_values(void)
{
	struct callback_register cb = { .type = CALLBACKTYPE_event, .address = NONCANON };
	unsigned long frames[16] = { 0 };
	long rc;

	gpv_test_eq(gpv_callback_op(CALLBACKOP_register, &cb), -XEN_EINVAL,
		    "event callback at a non-canonical address = -EINVAL");
	cb.type = 99;
	cb.address = 0x1000;
	gpv_test_eq(gpv_callback_op(CALLBACKOP_register, &cb), -XEN_ENOSYS,
		    "unknown callback type = -ENOSYS (as Xen 4.17)");
	gpv_test_eq(gpv_callback_op(99, &cb), -XEN_ENOSYS, "unknown callback_op = -ENOSYS");
	gpv_test_eq(gpv_set_gdt(frames, 15 * 512), -XEN_EINVAL, "set_gdt of 15 frames = -EINVAL");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_USER, NONCANON), -XEN_EINVAL,
		    "set_segment_base user GS non-canonical = -EINVAL");
	rc = gpv_update_va_mapping(NONCANON, 0, UVMF_INVLPG);
	gpv_test_checkf(rc == -XEN_EINVAL, "update_va_mapping of a non-canonical va = -EINVAL",
			"rc %ld", rc);
	rc = gpv_update_va_mapping(XENRANGE, 0, UVMF_INVLPG);
	gpv_test_checkf(rc == -XEN_EINVAL, "update_va_mapping in the hypervisor's range = -EINVAL",
			"rc %ld", rc);
	rc = gpv_update_va_mapping(4UL << 20, (gpv_start_info->pt_base & ~0xfffUL) | 7, 0);
	gpv_test_checkf(rc < 0, "update_va_mapping with a pfn for an mfn is refused", "rc %ld", rc);
	rc = gpv_update_va_mapping(gpv_start_info->pt_base,
				   (gpv_virt_to_mfn((void *)gpv_start_info->pt_base) << 12) | 7,
				   UVMF_INVLPG);
	gpv_test_checkf(rc == -XEN_EBUSY,
			"mapping the L4 page table writable = -EBUSY (as Xen 4.17)", "rc %ld", rc);
	gpv_test_eq(gpv_event_channel_op(EVTCHNOP_send, &(struct evtchn_send){ .port = 100000 }),
		    -XEN_EINVAL, "evtchn send to port 100000 = -EINVAL");
	gpv_test_eq(gpv_event_channel_op(99, NULL), -XEN_ENOSYS,
		    "unknown event_channel_op = -ENOSYS");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 100, NULL), -XEN_ENOENT,
		    "vcpu_op on vCPU 100 = -ENOENT");
	gpv_test_eq(gpv_memory_op(99, NULL), -XEN_ENOSYS, "unknown memory_op = -ENOSYS");
	gpv_test_eq(gpv_physdev_op(99, NULL), -XEN_ENOSYS, "unknown physdev_op = -ENOSYS");
	check_physdev();
	gpv_test_eq(gpv_vm_assist(VMASST_CMD_enable, 31), -XEN_EINVAL,
		    "vm_assist of an unknown type = -EINVAL");
	gpv_test_eq(gpv_fpu_taskswitch(1), 0, "fpu_taskswitch(1) after all that still works");
	gpv_fpu_taskswitch(0);
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096,
		    "the hypervisor still answers after the hostile calls");
}

int gpv_main(void)
{
	check_unknown();
	gpv_test_area("hostile: bad pointers");
	check_pointers();
	gpv_test_area("hostile: bad values");
	check_values();
	/* Again with every hypercall issued as an inline syscall. */
	gpv_hcall_set_mode(GPV_HCALL_SYSCALL);
	gpv_test_area("hostile: bad pointers (syscall)");
	check_pointers();
	gpv_test_area("hostile: bad values (syscall)");
	check_values();
	gpv_hcall_set_mode(GPV_HCALL_PAGE);
	return gpv_test_finish();
}
