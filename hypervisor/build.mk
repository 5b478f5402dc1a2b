# SPDX-License-Identifier: GPL-2.0-only
# The hypervisor: a freestanding x86-64 kernel, linked high (HV_IMAGE_VIRT)
# and turned into a flat image whose multiboot 1 and 2 headers carry the load
# addresses, so QEMU's -kernel and GRUB both load it as it is.
#
# The tree (docs/architecture.md):
#   lib/, arch/x86_64/lib/   pure code: built into the hypervisor and into the
#                            host unit tests (tests/unit/), checked below
#   common/                  generic hypervisor code
#   arch/x86_64/             boot, CPU, traps, paging; pv/ the PV personality
#
# Variables other parts use:
#   HV_XEN_VERSION_FLAGS     the Xen interface version the hypervisor is built
#                            against (the one place it is set)
#   HV_LIB_DIR, HV_LIB_MODULES, HV_ARCH_LIB_DIR, HV_ARCH_LIB_MODULES
#                            the pure modules (the one list of them)
#   HV_LIB_CFLAGS            what a pure module needs to build on the host

# __XEN_TOOLS__: the hypervisor sees the toolstack's ABI too (domctl.h, sysctl.h), as Xen's own build does.
HV_XEN_VERSION_FLAGS := -D__XEN_INTERFACE_VERSION__=0x00040e00 -D__XEN_TOOLS__
HV_XENINC := $(O)/obj/hypervisor/xeninc
# The name the top-level check-headers rule knows Xen's headers by.
PV_XEN_INC := $(HV_XENINC)

# Pure modules: no hardware access, no hypervisor state, only their own
# headers, <stdint.h>-like compiler headers and Xen's public headers.
HV_LIB_DIR := hypervisor/lib
HV_LIB_MODULES := string vsnprintf strtoull elfnote elf_load xen_version
HV_LIB_HEADERS := hypervisor/include/lamina/types.h hypervisor/include/lamina/lib.h \
	hypervisor/include/lamina/elfnote.h hypervisor/include/lamina/xen_version.h
HV_ARCH_LIB_DIR := hypervisor/arch/x86_64/lib
HV_ARCH_LIB_MODULES := insn_decode insn_info cpuid_policy msr_policy vmce_policy bounce_frame \
	descriptor hypercall_page dom0_layout
HV_ARCH_LIB_HEADERS := $(patsubst %,hypervisor/arch/x86_64/include/asm/%.h,insn_decode \
	cpuid_policy msr_policy bounce_frame descriptor hypercall_page dom0_layout canonical)
HV_LIB_SRCS := $(patsubst %,$(HV_LIB_DIR)/%.c,$(HV_LIB_MODULES))
HV_ARCH_LIB_SRCS := $(patsubst %,$(HV_ARCH_LIB_DIR)/%.c,$(HV_ARCH_LIB_MODULES))
HV_INCLUDES := -Ihypervisor/include -Ihypervisor/arch/x86_64/include -isystem $(HV_XENINC)
HV_LIB_CFLAGS := $(HV_INCLUDES) $(HV_XEN_VERSION_FLAGS)

include hypervisor/arch/x86_64/mm/build.mk
include hypervisor/common/sched/build.mk
HV_SRCS_C := $(wildcard hypervisor/common/*.c hypervisor/arch/x86_64/*.c \
	hypervisor/arch/x86_64/boot/*.c hypervisor/arch/x86_64/pv/*.c) \
	$(HV_LIB_SRCS) $(HV_ARCH_LIB_SRCS) $(MM_SRCS) $(SCHED_SRCS)
HV_SRCS_S := $(wildcard hypervisor/arch/x86_64/*.S hypervisor/arch/x86_64/boot/*.S)
HV_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(HV_SRCS_C)) $(patsubst %.S,$(O)/obj/%.o,$(HV_SRCS_S))
# -ffunction-sections: lamina.lds puts the hot paths' functions on one page.
HV_CFLAGS := $(FREE_CFLAGS) -fpie -mcmodel=small -fomit-frame-pointer -ffunction-sections \
	$(HV_INCLUDES) $(HV_XEN_VERSION_FLAGS) -D__LAMINA_HYPERVISOR__
HV_LDS := hypervisor/arch/x86_64/lamina.lds

ALL_TARGETS += $(O)/lamina $(O)/obj/hypervisor/lib-pure.ok

$(HV_XENINC)/xen:
	@mkdir -p $(HV_XENINC)
	ln -sfn /usr/include/xen $@

$(O)/obj/hypervisor/%.o: hypervisor/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -c -o $@ $<

$(O)/obj/hypervisor/%.o: hypervisor/%.S | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(O)/obj/hypervisor/lamina.elf: $(HV_OBJS) $(HV_LDS)
	$(LD) $(FREE_LDFLAGS) --build-id=sha1 -T $(HV_LDS) -o $@ $(HV_OBJS)

$(O)/lamina: $(O)/obj/hypervisor/lamina.elf
	$(OBJCOPY) -O binary $< $@

# "Pure" is checked, not promised (as part of `make all`):
#  - a lib source includes only lib headers (and compiler/Xen headers);
#  - a generic lib object calls only generic lib code; an arch lib object
#    calls only lib code (generic or its own arch's);
#  - every lib header compiles freestanding on its own.
HV_LIB_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(HV_LIB_SRCS))
HV_ARCH_LIB_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(HV_ARCH_LIB_SRCS))
# defined SYMBOLS OBJS / undefined OBJS: the symbols the objects define / need.
hv_defined = nm --defined-only $(1) | awk 'NF == 3 && $$2 ~ /[TDBR]/ { print $$3 }' | sort -u
hv_undefined = nm -u $(1) | awk 'NF == 2 { print $$2 }' | sort -u

$(O)/obj/hypervisor/lib-pure.ok: $(HV_LIB_OBJS) $(HV_ARCH_LIB_OBJS) $(HV_LIB_HEADERS) \
		$(HV_ARCH_LIB_HEADERS) | $(HV_XENINC)/xen
	@for h in $(HV_LIB_HEADERS) $(HV_ARCH_LIB_HEADERS); do \
		echo "#include \"$$h\"" | $(CC) $(filter-out -MMD -MP,$(FREE_CFLAGS)) $(HV_LIB_CFLAGS) \
			-I. -x c -fsyntax-only - || { echo "lib header not self-contained: $$h"; exit 1; }; \
	done
	@for s in $(HV_LIB_SRCS) $(HV_ARCH_LIB_SRCS); do \
		deps=$$($(CC) $(filter-out -MMD -MP,$(FREE_CFLAGS)) $(HV_LIB_CFLAGS) -MM $$s | \
			tr -d '\\' | tr ' ' '\n' | grep '\.h$$' | grep -v '^/\|xeninc/xen/'); \
		for d in $$deps; do \
			case " $(HV_LIB_HEADERS) $(HV_ARCH_LIB_HEADERS) " in *" $$d "*) ;; \
			*) echo "lib module $$s includes a non-lib header: $$d"; exit 1 ;; esac; \
		done; \
	done
	@lib=$$($(call hv_defined,$(HV_LIB_OBJS))); arch=$$($(call hv_defined,$(HV_ARCH_LIB_OBJS))); \
	bad=$$($(call hv_undefined,$(HV_LIB_OBJS)) | grep -vxF "$$lib"); \
	if [ -n "$$bad" ]; then echo "hypervisor/lib calls outside lib: $$bad"; exit 1; fi; \
	bad=$$($(call hv_undefined,$(HV_ARCH_LIB_OBJS)) | grep -vxF "$$lib" | grep -vxF "$$arch"); \
	if [ -n "$$bad" ]; then echo "arch/x86_64/lib calls outside lib: $$bad"; exit 1; fi
	@touch $@
