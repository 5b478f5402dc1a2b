# SPDX-License-Identifier: GPL-2.0-only
# The xenstore benchmark: a libxenstore client, the do-nothing floor daemon,
# and the LD_PRELOAD stand-in that lets Xen's own xenstored and oxenstored
# start on a host with no hypervisor. Outputs under $(O)/tests/bench/.

XSB_OUT := $(O)/tests/bench
XSB_OBJ := $(O)/obj/tests/bench
XSB_CLIENT_OBJS := $(addprefix $(XSB_OBJ)/,xs_bench_main.o xs_bench_ops.o \
	xs_bench_contend.o)

ALL_TARGETS += $(XSB_OUT)/xs_bench_client $(XSB_OUT)/xs_null_responder \
	$(XSB_OUT)/xen_stub_preload.so
SCRIPT_TESTS += tests/bench/xenstore-smoke.sh
BENCHES += tests/bench/xenstore

$(XSB_OBJ)/%.o: tests/bench/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -c -o $@ $<

$(XSB_OUT)/xs_bench_client: $(XSB_CLIENT_OBJS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ -lxenstore

$(XSB_OUT)/xs_null_responder: $(XSB_OBJ)/xs_null_responder.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_LDFLAGS) -o $@ $^

# Position-independent: it is loaded into the Xen daemons with LD_PRELOAD.
$(XSB_OBJ)/xen_stub_preload.pic.o: tests/bench/xen_stub_preload.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -fPIC -c -o $@ $<

$(XSB_OUT)/xen_stub_preload.so: $(XSB_OBJ)/xen_stub_preload.pic.o
	@mkdir -p $(dir $@)
	$(HOSTCC) -shared -o $@ $^ -ldl
