# SPDX-License-Identifier: GPL-2.0-only
#
# The real-Xen rig: Debian's Xen 4.17 with Debian's kernel as dom0 under QEMU,
# an initramfs assembled here from Debian packages, and Lamina's parts inside.
# Outputs go to $(O)/xen-rig/. `make test-xen` runs every rig scenario,
# `make xen-shell` boots the rig with a shell on the console.

XEN_RIG := $(O)/xen-rig
XEN_RIG_KVER_DIR := $(firstword $(wildcard $(O)/debian-kernel/root/lib/modules/*))
XEN_RIG_BZIMAGE := $(firstword $(wildcard $(O)/debian-kernel/root/boot/vmlinuz-*))
XEN_RIG_XEN_GZ := $(lastword $(sort $(wildcard /boot/xen-4.17-amd64.gz)))

# Lamina's files the rig carries, as SOURCE=DEST-IN-DOM0. The ones other
# parts build are listed by name so make builds them first; missing ones are
# left out of the image and the scenarios needing them fail.
XEN_RIG_LAMINA := $(O)/xenstored=/lamina/bin/xenstored \
	$(O)/lxl=/lamina/bin/lxl \
	$(O)/tests/bench/xs_bench_client=/lamina/bin/xs_bench_client \
	$(O)/lamina-consoled=/lamina/bin/lamina-consoled \
	$(O)/tests/xen/cons_poke=/lamina/bin/cons_poke \
	$(foreach k,hello domu-test xs-hostile crash fail pvctl,$(O)/guest-pv/$(k).elf=/lamina/guests/$(k).elf)
XEN_RIG_LAMINA_SRCS := $(foreach s,$(XEN_RIG_LAMINA),$(firstword $(subst =, ,$(s))))
XEN_RIG_DOM0_FILES := $(wildcard tests/xen/dom0/*)

$(XEN_RIG)/xen.elf: $(XEN_RIG_XEN_GZ)
	@mkdir -p $(dir $@)
	gunzip -c $< >$@.$$$$.tmp && mv $@.$$$$.tmp $@

# The unpacked Debian kernel comes from `make deps` (scripts/deps.sh).
XEN_RIG_NEED_KERNEL = @test -n "$(XEN_RIG_BZIMAGE)" -a -n "$(XEN_RIG_KVER_DIR)" || \
	{ echo "xen-rig: no Debian kernel under $(O)/debian-kernel: run make deps" >&2; exit 1; }

$(XEN_RIG)/vmlinux: $(XEN_RIG_BZIMAGE) tests/xen/mk-vmlinux.py
	$(XEN_RIG_NEED_KERNEL)
	@mkdir -p $(dir $@)
	python3 tests/xen/mk-vmlinux.py $(XEN_RIG_BZIMAGE) $@

# Rebuilt when a dom0 script, the kernel, or a Lamina file changes. The
# Lamina files are order-only when nothing builds them (wildcard), so a part
# that does not exist yet does not break the build.
$(XEN_RIG)/dom0.cpio: tests/xen/mk-initramfs.sh $(XEN_RIG_DOM0_FILES) \
		$(XEN_RIG_BZIMAGE) $(filter $(XEN_RIG_LAMINA_SRCS),$(ALL_TARGETS)) \
		$(wildcard $(XEN_RIG_LAMINA_SRCS))
	$(XEN_RIG_NEED_KERNEL)
	@mkdir -p $(dir $@)
	bash tests/xen/mk-initramfs.sh $@ $(XEN_RIG_KVER_DIR) tests/xen/dom0 \
		$(XEN_RIG_LAMINA)

# The rig's own dom0 tool: a hostile console guest played from dom0.
$(O)/tests/xen/cons_poke: tests/xen/cons_poke.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< -lxenforeignmemory -lxenstore
ALL_TARGETS += $(O)/tests/xen/cons_poke

XEN_RIG_FILES := $(XEN_RIG)/xen.elf $(XEN_RIG)/vmlinux $(XEN_RIG)/dom0.cpio
ALL_TARGETS += $(XEN_RIG_FILES)

.PHONY: test-xen xen-shell xen-rig soak
xen-rig: $(XEN_RIG_FILES)

# Every scenario, in the order one boot runs them.
XEN_RIG_SCENARIOS_ALL := xen guests-xen hostile-xen bench-xen lxl-xen lxl-cmd bench-lxl lamina \
	guests-lamina hostile bench-lamina lxl-lamina rollback

test-xen: all
	XEN_RIG_SCENARIOS="$(XEN_RIG_SCENARIOS_ALL)" bash tests/run-tests.sh \
		--unit "" --scripts "tests/xen/test-xen-rig.sh"

# The issue's 100 lxl create/destroy cycles back to baseline (scenario lxl-soak,
# docs/lxl.md); make test runs 5 of them.
soak: all
	XEN_RIG_SCENARIOS="lxl-soak" bash tests/run-tests.sh \
		--unit "" --scripts "tests/xen/test-xen-rig.sh"

xen-shell: $(XEN_RIG_FILES)
	bash tests/xen/xen-shell.sh $(or $(XENSTORED),xen)

# lxl-cmd runs in test-xen-rig.sh's boot; tests/xen/test-lxl-rig.sh runs it alone.
SCRIPT_TESTS += tests/xen/test-xen-rig.sh tests/xen/test-lamina-rig.sh
