// SPDX-License-Identifier: MIT
/*
 * boot: the start of day a PV dom0 sees, as the comment in <xen/xen.h> and
 * Xen 4.17's dom0 builder lay it out: start_info fields, the entry
 * registers, the order of kernel / p2m / start_info / page tables / stack,
 * the padding to 4 MiB, the bootstrap page tables mapped read-only, and the
 * read-only M2P agreeing with the p2m.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#define MB4 (4UL << 20)

static bool str_terminated(const char *s, size_t max)
{
	return strnlen(s, max) < max;
}

static void check_start_info(const start_info_t *si)
{
	gpv_test_area("boot: start_info");
	gpv_test_check(strncmp(si->magic, "xen-3.0-x86_64", 14) == 0, "magic is xen-3.0-x86_64");
	gpv_test_check(str_terminated(si->magic, sizeof(si->magic)), "magic NUL-terminated");
	gpv_test_check((si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)) ==
			       (SIF_PRIVILEGED | SIF_INITDOMAIN),
		       "flags have SIF_PRIVILEGED|SIF_INITDOMAIN");
	gpv_test_checkf(si->nr_pages > 0 && si->nr_pages <= (64UL << 20) / 4096,
			"nr_pages within dom0_mem=64M", "nr_pages %lu", si->nr_pages);
	gpv_test_checkf(si->shared_info && !(si->shared_info & 4095), "shared_info page-aligned",
			"%lx", si->shared_info);
	gpv_test_check(gpv_shared_info != NULL, "shared_info maps with update_va_mapping");
	gpv_test_check(!(si->pt_base & 4095), "pt_base page-aligned");
	gpv_test_checkf(si->nr_pt_frames >= 4, "nr_pt_frames >= 4 (L4, L3, L2, L1)", "%lu",
			si->nr_pt_frames);
	gpv_test_check(!(si->mfn_list & 7), "mfn_list aligned");
	gpv_test_check(str_terminated((const char *)si->cmd_line, MAX_GUEST_CMDLINE),
		       "cmd_line NUL-terminated");
	gpv_test_checkf(si->mod_start == 0 && si->mod_len == 0, "no initrd: mod_start/mod_len 0",
			"%lx/%lx", si->mod_start, si->mod_len);
}

static void check_registers(const start_info_t *si)
{
	const struct gpv_boot_regs *r = &gpv_boot_regs;

	gpv_test_area("boot: registers");
	gpv_test_eq((long)r->rsi, (long)si, "rsi = start_info");
	gpv_test_eq((long)(r->cs & 0xffff), FLAT_KERNEL_CS, "cs = FLAT_KERNEL_CS (0xe033)");
	gpv_test_eq((long)(r->ss & 0xffff), FLAT_KERNEL_SS, "ss = FLAT_KERNEL_SS (0xe02b)");
	gpv_test_checkf(r->rsp > si->pt_base + si->nr_pt_frames * 4096 && r->rsp <= MB4,
			"rsp in the boot stack after the page tables", "rsp %lx", r->rsp);
	gpv_test_check(!(r->rsp & 7), "rsp 8-byte aligned");
	gpv_test_check(gpv_vcpu_info() && gpv_vcpu_info()->evtchn_upcall_mask == 1,
		       "event upcalls masked at entry");
}

static void check_layout(const start_info_t *si)
{
	unsigned long kend = (unsigned long)_end;
	unsigned long p2m = si->mfn_list, sip = (unsigned long)si;
	unsigned long p2m_end = p2m + si->nr_pages * 8;
	unsigned long pt_end = si->pt_base + si->nr_pt_frames * 4096;
	uint64_t e[4];

	gpv_test_area("boot: layout");
	gpv_test_checkf(p2m >= kend, "p2m after the kernel", "p2m %lx end %lx", p2m, kend);
	gpv_test_checkf(sip >= p2m_end && !(sip & 4095), "start_info page after the p2m",
			"si %lx p2m end %lx", sip, p2m_end);
	gpv_test_checkf(si->pt_base > sip, "page tables after start_info", "pt %lx", si->pt_base);
	gpv_test_checkf(gpv_boot_regs.rsp >= pt_end, "stack after the page tables", "%lx",
			gpv_boot_regs.rsp);
	gpv_test_eq(gpv_pt_walk(MB4 - 4096, e), 4, "mapping runs to the 4 MiB boundary");
	gpv_test_checkf(gpv_pt_walk(MB4, e) < 4, "nothing mapped at 4 MiB", "L1e %lx",
			(unsigned long)e[3]);
	gpv_test_eq(gpv_pt_walk(si->pt_base, e), 4, "page tables mapped");
	gpv_test_check(!(e[3] & 2), "page tables mapped read-only");
	gpv_test_eq(gpv_pt_walk((unsigned long)_text, e), 4, "kernel mapped");
	gpv_test_check(e[3] & 2, "kernel mapped writable");
	gpv_test_eq((long)(e[3] >> 12 & 0xffffffffffUL), (long)gpv_virt_to_mfn(_text),
		    "L1 entry of _text matches mfn_list[0]");
}

static void check_m2p(const start_info_t *si)
{
	unsigned long pfn, bad = 0, first_bad = 0;
	uint64_t v;

	gpv_test_area("boot: m2p");
	for (pfn = 0; pfn < si->nr_pages; pfn++) {
		if (gpv_mfn_to_pfn(gpv_pfn_to_mfn(pfn)) != pfn) {
			if (!bad++)
				first_bad = pfn;
		}
	}
	gpv_test_checkf(bad == 0, "m2p[p2m[pfn]] == pfn for every pfn", "%lu bad, first %lu", bad,
			first_bad);
	gpv_test_check(gpv_probe_read(MACH2PHYS_VIRT_START, &v),
		       "m2p readable at 0xffff800000000000");
	gpv_test_check(!gpv_probe_write(MACH2PHYS_VIRT_START, v), "m2p write faults");
	gpv_test_eq((long)gpv_last_fault.vector, 14, "m2p write fault is #PF");
	gpv_test_checkf((gpv_last_fault.error & 3) == 3, "#PF error code: present, write", "%lx",
			gpv_last_fault.error);
}

/* Stub @nr loads @nr into eax and executes syscall, within its 32 bytes. */
static bool stub_ok(const unsigned char *stub, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i + 7 <= 32; i++)
		if (stub[i] == 0xb8 && stub[i + 1] == nr && !stub[i + 2] && !stub[i + 3] &&
		    !stub[i + 4] && stub[i + 5] == 0x0f && stub[i + 6] == 0x05)
			return true;
	return false;
}

static void check_hypercall_page(void)
{
	const unsigned char *page = (const unsigned char *)gpv_hypercall_page;
	unsigned int nr, bad = 0, first = 0;

	gpv_test_area("boot: hypercall page");
	for (nr = 0; nr < 128; nr++)
		if (!stub_ok(page + nr * 32, nr) && !bad++)
			first = nr;
	gpv_test_checkf(bad == 0, "all 128 stubs are mov $nr, %eax; syscall", "%u bad, first %u",
			bad, first);
	gpv_test_check(page[0] != 0xcc, "the builder wrote the page");
}

static void check_page_alloc(void)
{
	size_t before = gpv_page_nr_free();
	char *a, *b, *c;
	uint64_t e[4];

	gpv_test_area("boot: page allocator");
	gpv_test_checkf(before >= 128, "at least 512 KiB free after the boot stack", "%lu pages",
			(unsigned long)before);
	a = gpv_page_alloc();
	b = gpv_page_alloc();
	gpv_test_check(a && b && a != b, "two distinct pages");
	gpv_test_check(a && !((unsigned long)a & 4095) && (unsigned long)a >= gpv_boot_regs.rsp,
		       "page-aligned, above the boot stack");
	gpv_test_check(a && gpv_pt_walk((unsigned long)a, e) == 4 && (e[3] & 2), "mapped writable");
	gpv_test_check(a && a[0] == 0 && a[4095] == 0, "zeroed");
	gpv_page_free(a);
	c = gpv_page_alloc();
	gpv_test_check(c == a, "a freed page is handed out again");
	gpv_page_free((void *)gpv_start_info);
	gpv_test_eq((long)gpv_page_nr_free(), (long)before - 2,
		    "freeing a page it never handed out is ignored");
	gpv_page_free(b);
	gpv_page_free(c);
}

int gpv_main(void)
{
	const start_info_t *si = gpv_start_info;

	check_start_info(si);
	check_registers(si);
	check_layout(si);
	check_m2p(si);
	check_hypercall_page();
	check_page_alloc();
	gpv_test_info("nr_pages %lu pt_base %lx nr_pt_frames %lu mfn_list %lx rsp %lx",
		      si->nr_pages, si->pt_base, si->nr_pt_frames, si->mfn_list, gpv_boot_regs.rsp);
	return gpv_test_finish();
}
