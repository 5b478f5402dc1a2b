// SPDX-License-Identifier: MIT
/*
 * vcpu_op on a one-vCPU domain, as Xen 4.17 answers it: is_up, up of a
 * vCPU already up, initialise of one already initialised (-EEXIST, after
 * the copy: a bad pointer is -EFAULT first), ids without a vCPU (-ENOENT;
 * the id is 32 bits, the command an int), unknown commands (-ENOSYS),
 * get_physid (with one CPU, dom0's vCPU counts as pinned), runstate: the state,
 * the time a SCHEDOP_block spends blocked, the registered area (any guest
 * address, even unaligned; a hypervisor address is -EFAULT) and its update.
 * Last, VCPUOP_down of the only vCPU that is up powers the domain off, as
 * on Xen: this kernel ends that way, after its RESULT line.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/time.h>
#include <gpv/test.h>

#define MS 1000000ULL
#define BAD_PTR ((void *)0x00007f0000000000UL)
#define HV_PTR ((void *)0xffff830000000000UL)

static unsigned long timer_events;
static struct vcpu_guest_context ctx;
static struct vcpu_runstate_info area;
static uint8_t unaligned_buf[sizeof(struct vcpu_runstate_info) + 8];

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	timer_events++;
}

static long runstate(unsigned int id, struct vcpu_runstate_info *r)
{
	return gpv_vcpu_op(VCPUOP_get_runstate_info, id, r);
}

static long register_area(void *p)
{
	struct vcpu_register_runstate_memory_area a;

	a.addr.v = p;
	return gpv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a);
}

static void check_ids(void)
{
	struct vcpu_get_physid id;

	gpv_test_area("vcpu_op: ids");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 0, NULL), 1, "is_up(0) = 1");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), -XEN_ENOENT, "is_up(1) = -ENOENT");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 0xffffffffU, NULL), -XEN_ENOENT,
		    "is_up(0xffffffff) = -ENOENT");
	gpv_test_eq(gpv_hcall(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 1UL << 32, 0, 0, 0), 1,
		    "the id is 32 bits: 2^32 is vCPU 0");
	gpv_test_eq(gpv_hcall(__HYPERVISOR_vcpu_op, (1UL << 32) | VCPUOP_is_up, 0, 0, 0, 0), 1,
		    "the command is an int: 2^32 + is_up is is_up");
	gpv_test_eq(gpv_vcpu_op(99, 0, NULL), -XEN_ENOSYS, "unknown command = -ENOSYS");
	gpv_test_eq(gpv_vcpu_op(-1, 0, NULL), -XEN_ENOSYS, "command -1 = -ENOSYS");
	gpv_test_eq(gpv_vcpu_op(99, 5, NULL), -XEN_ENOENT, "unknown command on vCPU 5 = -ENOENT");
	/* One CPU: Xen counts dom0's vCPU as pinned (its affinity is one CPU). */
	id.phys_id = ~0ULL;
	gpv_test_eq(gpv_vcpu_op(VCPUOP_get_physid, 0, &id), 0, "get_physid with one CPU = 0");
	gpv_test_eq((long)id.phys_id, 0, "CPU 0: APIC id 0, ACPI id 0");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_get_physid, 0, BAD_PTR), -XEN_EFAULT,
		    "get_physid to an unmapped buffer = -EFAULT");
}

static void check_initialise(void)
{
	gpv_test_area("vcpu_op: initialise and up");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_initialise, 0, BAD_PTR), -XEN_EFAULT,
		    "initialise with an unmapped context = -EFAULT");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_initialise, 0, HV_PTR), -XEN_EFAULT,
		    "initialise with a hypervisor address = -EFAULT");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_initialise, 0, &ctx), -XEN_EEXIST,
		    "initialise of the running vCPU = -EEXIST");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_initialise, 1, &ctx), -XEN_ENOENT,
		    "initialise of vCPU 1 = -ENOENT");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_up, 0, NULL), 0, "up of a vCPU already up = 0");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 0, NULL), 1, "still up");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_up, 2, NULL), -XEN_ENOENT, "up(2) = -ENOENT");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_down, 2, NULL), -XEN_ENOENT, "down(2) = -ENOENT");
}

/* Blocks until the one-shot timer 30 ms ahead has been delivered. */
static void block_30ms(void)
{
	unsigned long before = timer_events;

	gpv_timer_set(gpv_time_now() + 30 * MS);
	for (int i = 0; i < 10 && timer_events == before; i++) {
		gpv_sched_op(SCHEDOP_block, NULL);
		gpv_events_mask(1);
	}
}

static void check_runstate(void)
{
	struct vcpu_runstate_info a, b;
	uint64_t t0, t1, sum = 0;
	long port;

	gpv_test_area("vcpu_op: runstate");
	gpv_test_eq(runstate(0, &a), 0, "get_runstate_info(0)");
	gpv_test_eq(a.state, RUNSTATE_running, "the caller is running");
	gpv_test_check(a.time[RUNSTATE_running] > 0, "it has run for some time");
	gpv_test_checkf(a.state_entry_time <= gpv_time_now(), "it entered that state in the past",
			"%lu", (unsigned long)a.state_entry_time);
	gpv_test_eq(runstate(0, BAD_PTR), -XEN_EFAULT, "to an unmapped buffer = -EFAULT");
	gpv_test_eq(runstate(1, &a), -XEN_ENOENT, "get_runstate_info(1) = -ENOENT");

	gpv_test_eq(register_area(HV_PTR), -XEN_EFAULT, "area at a hypervisor address = -EFAULT");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, BAD_PTR), -XEN_EFAULT,
		    "register with an unmapped argument = -EFAULT");
	gpv_test_eq(register_area(BAD_PTR), 0, "area at an unmapped guest address = 0");
	gpv_test_eq(register_area(unaligned_buf + 1), 0, "an unaligned area = 0");
	gpv_test_eq(((struct vcpu_runstate_info *)(unaligned_buf + 1))->state, RUNSTATE_running,
		    "and it is written at once");
	gpv_test_eq(register_area(&area), 0, "register an aligned area");
	gpv_test_eq(area.state, RUNSTATE_running, "it says running at once");

	gpv_test_eq(gpv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0, "stop the periodic timer");
	port = gpv_evtchn_bind_virq(VIRQ_TIMER);
	if (!gpv_test_checkf(port > 0, "bind VIRQ_TIMER", "rc %ld", port))
		return;
	gpv_evtchn_set_handler((evtchn_port_t)port, on_timer, NULL);
	t0 = gpv_time_now();
	runstate(0, &a);
	block_30ms();
	runstate(0, &b);
	t1 = gpv_time_now();
	for (int i = 0; i < 4; i++)
		sum += b.time[i] - a.time[i];
	gpv_test_check(timer_events > 0, "the timer woke the blocked vCPU");
	/* The host may hold QEMU back anywhere: a floor well below 30 ms. */
	gpv_test_checkf(
		b.time[RUNSTATE_blocked] >= a.time[RUNSTATE_blocked] + 10 * MS,
		"a 30 ms block counts at least 10 ms blocked", "%lu us",
		(unsigned long)((b.time[RUNSTATE_blocked] - a.time[RUNSTATE_blocked]) / 1000));
	gpv_test_checkf(sum <= t1 - t0, "no more time accounted than passed",
			"%lu us accounted, %lu us passed", (unsigned long)(sum / 1000),
			(unsigned long)((t1 - t0) / 1000));
	gpv_test_checkf(area.time[RUNSTATE_blocked] >= a.time[RUNSTATE_blocked] + 10 * MS,
			"the registered area was updated", "%lu us blocked",
			(unsigned long)(area.time[RUNSTATE_blocked] / 1000));
	gpv_test_eq(register_area(NULL), 0, "unregister (NULL) = 0");
	gpv_evtchn_close((evtchn_port_t)port);
}

int gpv_main(void)
{
	long rc;

	check_ids();
	check_initialise();
	check_runstate();
	gpv_test_area("vcpu_op: down");
	gpv_test_info("vcpu: VCPUOP_down of the last vCPU up: the domain powers off");
	if (gpv_test_finish())
		return 1;
	rc = gpv_vcpu_op(VCPUOP_down, 0, NULL);
	gpv_printf("FAIL: vcpu_op: down: the last vCPU's down returned %ld\n", rc);
	return 1;
}
