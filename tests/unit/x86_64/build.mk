# SPDX-License-Identifier: GPL-2.0-only
# Tests of hypervisor/arch/x86_64/lib/: CUnit suites, and the comparisons with
# real Xen (and GNU as) that each pure module has.

$(eval $(call hv_suite,x86_64,insn_decode,,insn_decode insn_info))
$(eval $(call hv_suite,x86_64,cpuid_msr,,cpuid_policy msr_policy vmce_policy))
$(eval $(call hv_suite,x86_64,bounce_frame,,bounce_frame))
$(eval $(call hv_suite,x86_64,hypercall_page,,hypercall_page))
$(eval $(call hv_suite,x86_64,descriptor,,descriptor))

# The dom0 layout, printed as Xen prints it, and compared with real Xen's boot.
$(eval $(call hv_tool,x86_64,layout_tool,elfnote elf_load,dom0_layout))
SCRIPT_TESTS += tests/unit/x86_64/layout_vs_xen.sh

# CPUID: the bare host dumper, the guest-pv dumper, the policy tool, and the
# script that compares the policy with real Xen on the same QEMU CPU.
HV_HOST32_CFLAGS := -std=gnu11 -O2 $(WARN_FLAGS) -m32 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -mgeneral-regs-only -Itests/unit/x86_64

$(HVT_OBJ)/x86_64/cpuid_host.o: tests/unit/x86_64/cpuid_host.c tests/unit/x86_64/cpuid_leaves.h
	@mkdir -p $(dir $@)
	$(CC) $(HV_HOST32_CFLAGS) -c -o $@ $<

ALL_TARGETS += $(HVT_OUT)/x86_64/cpuid_host.elf
$(HVT_OUT)/x86_64/cpuid_host.elf: $(HVT_OBJ)/x86_64/cpuid_host.o tests/unit/x86_64/cpuid_host.lds
	@mkdir -p $(dir $@)
	$(LD) -m elf_i386 -nostdlib -static --no-warn-rwx-segments \
		-T tests/unit/x86_64/cpuid_host.lds -o $@ $<

$(eval $(call hv_guest,x86_64,cpuid_guest,cpuid_guest))
$(eval $(call hv_tool,x86_64,cpuid_tool,,cpuid_policy))
SCRIPT_TESTS += tests/unit/x86_64/cpuid_vs_xen.sh

# The decoder against GNU as.
$(eval $(call hv_tool,x86_64,insn_tool,,insn_decode insn_info))
SCRIPT_TESTS += tests/unit/x86_64/insn_vs_gas.sh

# Bounce frames, iret and descriptors: the guest-pv kernel that records
# Xen's, the tool, the script.
$(eval $(call hv_guest,x86_64,bounce_guest,bounce_guest bounce_guest-asm))
$(eval $(call hv_tool,x86_64,bounce_tool,,bounce_frame hypercall_page descriptor))
SCRIPT_TESTS += tests/unit/x86_64/bounce_vs_xen.sh
