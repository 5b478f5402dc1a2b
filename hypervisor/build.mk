# SPDX-License-Identifier: GPL-2.0-only
# The hypervisor: a freestanding x86-64 kernel, linked high (HV_IMAGE_VIRT)
# and turned into a flat image whose multiboot 1 and 2 headers carry the load
# addresses, so QEMU's -kernel and GRUB both load it as it is.

HV_SRCS_C := $(wildcard hypervisor/common/*.c hypervisor/arch/x86_64/*.c \
	hypervisor/arch/x86_64/guest/*.c)
# The PV-logic engineer's pure modules (host-tested) that the hypervisor
# uses, built with the hypervisor's flags.
include hypervisor/arch/x86_64/pv/build.mk
HV_PV_USED := elfnote elf_load dom0_layout cpuid_policy xen_version msr_policy bounce_frame \
	insn_decode insn_info descriptor hypercall_page
HV_SRCS_C += $(patsubst %,hypervisor/arch/x86_64/pv/%.c,$(HV_PV_USED))
HV_SRCS_S := $(wildcard hypervisor/arch/x86_64/*.S hypervisor/arch/x86_64/boot/*.S)
HV_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(HV_SRCS_C)) $(patsubst %.S,$(O)/obj/%.o,$(HV_SRCS_S))
HV_XENINC := $(O)/obj/hypervisor/xeninc
# -ffunction-sections: lamina.lds puts the hot paths' functions on one page.
HV_CFLAGS := $(FREE_CFLAGS) -fpie -mcmodel=small -fno-omit-frame-pointer -ffunction-sections \
	-Ihypervisor/include -Ihypervisor/arch/x86_64/include -I$(HV_XENINC) \
	-D__XEN_INTERFACE_VERSION__=0x00040e00 -D__LAMINA_HYPERVISOR__
HV_LDS := hypervisor/arch/x86_64/lamina.lds

ALL_TARGETS += $(O)/lamina

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
