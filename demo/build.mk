# SPDX-License-Identifier: GPL-2.0-only
# The kernel `make run` boots as dom0 (build/guest-pv/demo.elf), a guest-pv
# kernel linked like the test kernels (see guest-pv/build.mk), and the test
# that `make run`'s script gives the right verdict.
DEMO_OBJS := $(GPV_OBJ)/demo/demo.o

$(GPV_OBJ)/demo/%.o: demo/%.c | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -c -o $@ $<

$(GPV_OUT)/demo.elf: $(DEMO_OBJS) $(GPV_LIB) $(GPV_LDS)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $(DEMO_OBJS) $(GPV_LIB)

ALL_TARGETS += $(GPV_OUT)/demo.elf
