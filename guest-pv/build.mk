# SPDX-License-Identifier: MIT
#
# guest-pv: the static library (build/guest-pv/libgpv.a) and its linker
# script. A kernel is linked as
#   $(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) <its objects> $(GPV_LIB)
# (see tests/guest/build.mk).

GPV_OUT := $(O)/guest-pv
GPV_OBJ := $(O)/obj/guest-pv
GPV_LDS := guest-pv/gpv.lds
GPV_LIB := $(GPV_OUT)/libgpv.a
GPV_SYSINC := $(GPV_OUT)/sysinc

GPV_CFLAGS := $(FREE_CFLAGS) -mcmodel=small -fno-omit-frame-pointer \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
	-Iguest-pv/include -isystem $(GPV_SYSINC)
GPV_LDFLAGS := $(FREE_LDFLAGS) -T $(GPV_LDS)

GPV_SRCS := $(wildcard guest-pv/arch/*.c guest-pv/arch/*.S guest-pv/lib/*.c)
GPV_OBJS := $(patsubst guest-pv/%,$(GPV_OBJ)/%.o,$(basename $(GPV_SRCS)))

# Xen's public headers, and nothing else from /usr/include.
$(GPV_SYSINC)/xen:
	@mkdir -p $(GPV_SYSINC)
	ln -sfn /usr/include/xen $@

$(GPV_OBJ)/%.o: guest-pv/%.c | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -c -o $@ $<

$(GPV_OBJ)/%.o: guest-pv/%.S | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(GPV_LIB): $(GPV_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# The library's head object must be linked first (entry at 0).
GPV_HEAD := $(GPV_OBJ)/arch/head.o

ALL_TARGETS += $(GPV_LIB)

# Every public header compiles on its own.
GPV_HEADERS := $(wildcard guest-pv/include/gpv/*.h)
.PHONY: gpv-check-headers
gpv-check-headers: | $(GPV_SYSINC)/xen
	@for h in $(GPV_HEADERS); do \
		echo "#include <$${h#guest-pv/include/}>" | \
		$(CC) $(filter-out -MMD -MP,$(GPV_CFLAGS)) -x c -fsyntax-only - || { echo "not self-contained: $$h"; exit 1; }; \
	done
check-headers: gpv-check-headers
