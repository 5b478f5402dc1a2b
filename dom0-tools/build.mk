# SPDX-License-Identifier: GPL-2.0-only
# dom0-tools: one small library per interface (libcfg: xl.cfg via libxlutil;
# libhyp: the hypervisor via libxenctrl/libxenguest; libxsu: xenstore via
# libxenstore), the toolstack library above them (libtk), the thin CLI
# (lxl/, one file per command family) and the console backend (consoled/,
# on the small libraries only).

D0_OBJ := $(O)/obj/dom0-tools
D0_CFLAGS := $(HOST_CFLAGS) -I. -Idom0-tools/libcfg -Idom0-tools/libhyp -Idom0-tools/libxsu \
	-Idom0-tools/libtk -Idom0-tools/lxl

D0_CFG_SRCS := cfg_parse.c cfg_scan.c cfg_dev.c cfg_vif.c
D0_CFG_OBJS := $(addprefix $(D0_OBJ)/libcfg/,$(D0_CFG_SRCS:.c=.o))
# libxlutil's disk parser fills libxenlight's disk type: libxenlight is
# linked for that type's init/dispose/to_string only, never to drive Xen.
D0_HYP_SRCS := hyp_domain.c hyp_build.c hyp_host.c
D0_XSU_SRCS := xsu.c xsu_wire.c
D0_TK_SRCS := tk_ctx.c tk_create.c tk_store.c tk_destroy.c tk_ops.c tk_monitor.c
D0_LIB_OBJS := $(D0_CFG_OBJS) $(addprefix $(D0_OBJ)/libhyp/,$(D0_HYP_SRCS:.c=.o)) \
	$(addprefix $(D0_OBJ)/libxsu/,$(D0_XSU_SRCS:.c=.o)) $(addprefix $(D0_OBJ)/libtk/,$(D0_TK_SRCS:.c=.o))
D0_CFG_LIBS := -lxlutil -lxenlight

$(D0_OBJ)/%.o: dom0-tools/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(D0_CFLAGS) -c -o $@ $<

D0_LXL_SRCS := lxl_main.c out_json.c cmd_create.c cmd_list.c cmd_life.c cmd_uptime.c \
	cmd_console.c cmd_host.c cmd_sched.c cmd_vcpu.c
D0_LXL_OBJS := $(addprefix $(D0_OBJ)/lxl/,$(D0_LXL_SRCS:.c=.o))
D0_XEN_LIBS := -lxenguest -lxenctrl -lxenstore -lxentoollog -lyajl

# lxl is linked statically, from Debian's .a files (libxen-dev, libyajl-dev,
# libzstd-dev, ...): dynamically it loads about 20 libraries, and under Xen PV
# on TCG the loader's mmaps and relocations cost 70-150 ms per command (a
# static lxl starts in about 50 ms; docs/lxl.md, benchmark). libxenguest's
# kernel loaders register themselves from constructors, which nothing
# references: that archive goes in whole.
D0_LXL_STATIC_LIBS := -lxlutil -lxenlight -Wl,--whole-archive -lxenguest -Wl,--no-whole-archive \
	-lxenctrl -lxenstore -lxentoollog -lyajl_s -lxenevtchn -lxenhypfs -luuid -llzma -lz \
	-lzstd -lbz2 -lxencall -lxengnttab -lxenforeignmemory -lxendevicemodel -lxentoolcore

# libxenlight's user lookups (unused by lxl) make the linker warn about
# getpwnam_r in a static binary: those lines are filtered out.
$(O)/lxl: $(D0_OBJ)/lxl/main.o $(D0_LXL_OBJS) $(D0_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_LDFLAGS) -static -o $@ $^ $(D0_LXL_STATIC_LIBS) 2>$@.ld.log || \
		{ cat $@.ld.log >&2; exit 1; }
	@grep -v "getpw\|in function .userlookup_helper" $@.ld.log >&2 || true
	@rm -f $@.ld.log

ALL_TARGETS += $(O)/lxl

# lamina-consoled: the console backend, on the small libraries only.
D0_CONS_SRCS := consoled.c cons_dom.c cons_ring.c
D0_CONS_OBJS := $(addprefix $(D0_OBJ)/consoled/,$(D0_CONS_SRCS:.c=.o))
D0_CONS_LIB_OBJS := $(addprefix $(D0_OBJ)/libhyp/,$(D0_HYP_SRCS:.c=.o)) \
	$(addprefix $(D0_OBJ)/libxsu/,$(D0_XSU_SRCS:.c=.o))

$(O)/lamina-consoled: $(D0_CONS_OBJS) $(D0_CONS_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ -lxenevtchn -lxengnttab -lxenforeignmemory \
		-lxenguest -lxenctrl -lxenstore -lxentoollog -lutil

ALL_TARGETS += $(O)/lamina-consoled
BENCHES += tests/bench/lxl-create.sh
