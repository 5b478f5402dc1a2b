# SPDX-License-Identifier: GPL-2.0-only
# xenstored: the core (store, protocol; no I/O, unit-tested directly), the
# ring/evtchn transport over Xen's libraries, and the daemon around them.

XS_CORE_SRCS := xs_tree.c xs_path.c xs_perm.c xs_view.c xs_txn.c xs_watch.c xs_conn.c \
	xs_dispatch.c xs_nodeops.c xs_watchops.c xs_domain.c xs_control.c xs_store.c xs_ring.c \
	xs_snap.c xs_snap_load.c xs_check.c xs_check_same.c
XS_DAEMON_SRCS := xs_main.c xs_loop.c xs_xen.c xs_state.c
XS_CORE_OBJS := $(addprefix $(O)/obj/xenstore/,$(XS_CORE_SRCS:.c=.o))
XS_DAEMON_OBJS := $(addprefix $(O)/obj/xenstore/,$(XS_DAEMON_SRCS:.c=.o))
XS_LIBS := -lxenevtchn -lxengnttab -lxenforeignmemory -lxenctrl

$(O)/obj/xenstore/%.o: xenstore/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Ixenstore -c -o $@ $<

$(O)/xenstored: $(XS_DAEMON_OBJS) $(XS_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ $(XS_LIBS)

ALL_TARGETS += $(O)/xenstored
