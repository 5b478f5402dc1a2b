# SPDX-License-Identifier: GPL-2.0-only
# dom0-tools' host tests: CUnit over libcfg (xl.cfg reading, hostile files)
# and over lxl's command-line handling.

D0_UT_OBJ := $(O)/obj/tests/dom0-tools
D0_UT_SRCS := ut_main.c ut_cfg.c ut_cfg_bad.c ut_args.c ut_cons.c ut_wire.c
D0_UT_OBJS := $(addprefix $(D0_UT_OBJ)/,$(D0_UT_SRCS:.c=.o))

$(D0_UT_OBJ)/%.o: tests/dom0-tools/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CUNIT_CFLAGS) $(D0_CFLAGS) -c -o $@ $<

$(O)/tests/unit/dom0-tools: $(D0_UT_OBJS) $(D0_LXL_OBJS) $(D0_LIB_OBJS) $(D0_OBJ)/consoled/cons_ring.o $(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(D0_CFG_LIBS) $(D0_XEN_LIBS) $(CUNIT_LIBS)

UNIT_TESTS += $(O)/tests/unit/dom0-tools
ALL_TARGETS += $(O)/tests/unit/dom0-tools
