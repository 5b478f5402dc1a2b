// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host test of console_io's privilege check (hypervisor/common/console_io.c):
 * as Xen 4.17 with its default XSM policy, only the privileged (hardware)
 * domain may read the console or write to it; any other domain gets -EPERM
 * for both, with nothing written or read. The harness stands in for the
 * current vCPU, the guest-memory copy (a "guest pointer" is a host pointer)
 * and the console.
 */
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include "cunit_run.h"

static struct domain dom;
static struct vcpu vcpu;
static char written[256];
static size_t nwritten, nwrites, reads, nringed;

struct boot_options boot_opts;

struct vcpu *arch_current_vcpu(void)
{
	return &vcpu;
}

int copy_from_guest(void *dst, uint64_t src, uint64_t n)
{
	memcpy(dst, (const void *)src, n);
	return 0;
}

int copy_to_guest(uint64_t dst, const void *src, uint64_t n)
{
	memcpy((void *)dst, src, n);
	return 0;
}

void console_write(const char *s, size_t n)
{
	if (nwritten + n <= sizeof(written))
		memcpy(written + nwritten, s, n);
	nwritten += n;
	nwrites++;
}

void console_ring_guest(const char *s, size_t n)
{
	(void)s;
	nringed += n;
}

size_t console_read(char *s, size_t n)
{
	reads++;
	if (!n)
		return 0;
	s[0] = 'k';
	return 1;
}

/* Never preempted here (tests/boot/preempt covers the continuation). */
bool hypercall_preempt_check(void)
{
	return false;
}

long hypercall_create_continuation(unsigned int nr, const uint64_t a[HYPERCALL_NR_ARGS])
{
	(void)nr;
	(void)a;
	return HYPERCALL_NO_RETURN_VALUE;
}

static long console_io(unsigned int cmd, unsigned int count, void *buf)
{
	const uint64_t a[HYPERCALL_NR_ARGS] = { cmd, count, (uint64_t)buf };

	return do_console_io(a);
}

static void setup(bool privileged)
{
	memset(&dom, 0, sizeof(dom));
	dom.is_privileged = privileged;
	vcpu.domain = &dom;
	nwritten = nwrites = reads = nringed = 0;
	boot_opts.console_to_ring = false;
}

static void test_privileged(void)
{
	char in[4] = { 0 };

	setup(true);
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_write, 5, "hello"), 0);
	CU_ASSERT_EQUAL(nwritten, 5);
	CU_ASSERT_EQUAL(memcmp(written, "hello", 5), 0);
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_read, 1, in), 1);
	CU_ASSERT_EQUAL(in[0], 'k');
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_read, 0x80000000U, in), -XEN_E2BIG);
	CU_ASSERT_EQUAL(reads, 1);
	CU_ASSERT_EQUAL(nringed, 0);
	/* console_to_ring: the bytes go into the ring too (Xen's opt_console_to_ring). */
	boot_opts.console_to_ring = true;
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_write, 5, "hello"), 0);
	CU_ASSERT_EQUAL(nwritten, 10);
	CU_ASSERT_EQUAL(nringed, 5);
}

static void test_unprivileged(void)
{
	char in[4] = { 0 };

	setup(false);
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_write, 5, "hello"), -XEN_EPERM);
	CU_ASSERT_EQUAL(nwritten, 0);
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_read, 1, in), -XEN_EPERM);
	CU_ASSERT_EQUAL(reads, 0);
	CU_ASSERT_EQUAL(in[0], 0);
	/* Unknown sub-ops too: the check comes first, as Xen's xsm_console_io. */
	CU_ASSERT_EQUAL(console_io(99, 1, in), -XEN_EPERM);
}

/* A boot-time domU (is_console): its writes as "(dN) " lines, no reads. */
static void test_is_console(void)
{
	char in[4] = { 0 }, line[300];

	setup(false);
	dom.is_console = true;
	dom.id = 3;
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_write, 5, "ab\ncd"), 0);
	CU_ASSERT_EQUAL(nwritten, 8);
	CU_ASSERT_EQUAL(memcmp(written, "(d3) ab\n", 8), 0);
	/* Each line, prefix and newline with it, is one console write (one
	 * take of the console lock: another CPU's output cannot split it). */
	CU_ASSERT_EQUAL(nwrites, 1);
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_write, 3, "e\r\n"), 0);
	CU_ASSERT_EQUAL(nwritten, 17);
	CU_ASSERT_EQUAL(nwrites, 2);
	CU_ASSERT_EQUAL(memcmp(written + 8, "(d3) cde\n", 9), 0);
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_read, 1, in), -XEN_EPERM);
	CU_ASSERT_EQUAL(reads, 0);
	/* A line longer than the domain's buffer is cut, never overruns it. */
	nwritten = 0;
	memset(line, 'x', sizeof(line));
	CU_ASSERT_EQUAL(console_io(CONSOLEIO_write, sizeof(line), line), 0);
	CU_ASSERT_EQUAL(nwritten, 2 * (5 + sizeof(dom.cons_buf) + 1));
	CU_ASSERT_EQUAL(nwrites, 4);
	CU_ASSERT_EQUAL(dom.cons_len, sizeof(line) - 2 * sizeof(dom.cons_buf));
}

static const CU_TestInfo console_io_tests[] = {
	{ "privileged domain reads and writes", test_privileged },
	{ "any other domain: -EPERM, nothing done", test_unprivileged },
	{ "is_console domain: writes as (dN) lines, no reads", test_is_console },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "hv_console_io", console_io_tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
