# SPDX-License-Identifier: GPL-2.0-only
#
# Lamina's one build. Each part adds its own rules in <part>/build.mk; this file
# holds the shared flags, the out-of-tree layout under build/, and the
# top-level targets. Stable outputs other tools pick up:
#   build/lamina             the hypervisor's multiboot image
#   build/xenstored          the xenstore daemon
#   build/lxl                the toolstack
#   build/guest-pv/          guest-pv's library and test kernels
#
# A part registers what it builds and tests by appending to:
#   ALL_TARGETS    files `make all` builds
#   UNIT_TESTS     CUnit binaries `make test` runs
#   SCRIPT_TESTS   test scripts `make test` runs (see tests/run-tests.sh)
#   BENCHES        benchmark scripts `make bench` runs

# Goals that need what scripts/deps.sh installs. Named on the command line,
# they first run deps, then the whole goal list in a new make that reads the
# makefiles only then: nothing a part computes while make reads it ($(shell),
# $(wildcard): the compiler's include directory, /boot/xen-*.gz, the unpacked
# Debian kernel) can see the machine as it was before the install. This level
# reads nothing else, so it works on a machine with nothing installed. The
# new make builds on every CPU unless -j was given.
DEPS_GOALS := run test test-unit test-scripts test-xen xen-shell xen-rig bench fuzz soak deps

ifneq ($(if $(LAMINA_DEPS_DONE),,$(filter $(DEPS_GOALS),$(MAKECMDGOALS))),)
.PHONY: $(MAKECMDGOALS) lamina-deps-then-make
$(MAKECMDGOALS): lamina-deps-then-make
	@:
lamina-deps-then-make:
	@bash scripts/deps.sh
	+@$(if $(filter-out deps,$(MAKECMDGOALS)),$(MAKE) --no-print-directory \
		$(if $(filter -j%,$(MAKEFLAGS)),,-j$$(nproc)) LAMINA_DEPS_DONE=1 \
		$(filter-out deps,$(MAKECMDGOALS)),:)
else

BUILD ?= build
O := $(BUILD)

CC ?= gcc
HOSTCC ?= $(CC)
LD ?= ld
OBJCOPY ?= objcopy

WARN_FLAGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
	-Wshadow -Wundef -Wpointer-arith -Wvla -Wformat=2 -Wno-format-nonliteral

# Hosted code: xenstore/, dom0-tools/, unit tests.
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN_FLAGS) -D_GNU_SOURCE -MMD -MP
HOST_LDFLAGS :=

# Freestanding code: hypervisor/, guest-pv/. Parts add their own model flags.
FREE_CFLAGS := -std=gnu11 -O2 -g $(WARN_FLAGS) -ffreestanding -fno-builtin \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-fno-stack-protector -fno-pic -fno-pie -mno-red-zone -mno-sse -mno-mmx \
	-mno-sse2 -mno-avx -mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-fno-common -MMD -MP
FREE_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments

# Keep every intermediate file (objects made by pattern rules): deleted after
# a first build, they were made again by the next make, once their .d files
# named them.
.SECONDARY:

ALL_TARGETS :=
UNIT_TESTS :=
SCRIPT_TESTS :=
BENCHES :=

.PHONY: all test test-unit test-scripts bench run deps format check-format \
	check-headers clean help
all:

-include hypervisor/build.mk
-include guest-pv/build.mk
-include xenstore/build.mk
-include dom0-tools/build.mk
-include demo/build.mk
-include tests/build.mk

all: $(ALL_TARGETS)

deps:
	bash scripts/deps.sh

# Every test: CUnit suites, then the boot, integration and rig scripts. The
# guest scripts that measure CPU shares and times run first, alone; then the
# Xen rig boot (one busy CPU, 7-8 minutes) runs in the background while the
# other scripts run in the foreground, the Lamina rig boot (1.5 minutes) among
# them, near their end (tests/run-tests.sh; RUN_TESTS_SERIAL=1 runs everything
# one after another). The foreground took 4 minutes of the Xen rig's 7.5 in a
# fresh-machine run, so the Lamina rig fits beside it.
TEST_ALONE := tests/guest/on-xen.sh tests/guest/on-lamina.sh tests/guest/two-domain.sh
TEST_OVERLAP := tests/xen/test-xen-rig.sh
test: all
	bash tests/run-tests.sh --unit "$(UNIT_TESTS)" --scripts "$(SCRIPT_TESTS)" \
		--alone "$(TEST_ALONE)" --overlap "$(TEST_OVERLAP)"

test-unit: all
	bash tests/run-tests.sh --unit "$(UNIT_TESTS)" --scripts ""

test-scripts: all
	bash tests/run-tests.sh --unit "" --scripts "$(SCRIPT_TESTS)"

bench: all
	@for b in $(BENCHES); do echo "== $$b"; bash $$b || exit 1; done

# The system at work: Lamina boots the demo kernel as dom0 (scripts/run-demo.sh).
run: all
	bash scripts/run-demo.sh

C_SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(C_SOURCES)

check-format:
	@bad=0; for f in $(C_SOURCES); do \
		clang-format --dry-run -Werror $$f >/dev/null 2>&1 || { echo "not formatted: $$f"; bad=1; }; \
	done; exit $$bad

# Every header compiles on its own with its part's flags (STYLE.md: headers
# are self-contained). A header is checked as the only include of a unit.
HEADERS = $(shell git ls-files '*.h' 2>/dev/null)
HDR_HOST_CFLAGS = $(HOST_CFLAGS) -Ixenstore -Itests/unit -Itests/xenstore -Ihypervisor/include \
	-Ihypervisor/arch/x86_64/include
define check_header_group
for h in $(filter $(1),$(HEADERS)); do \
	echo "#include \"$$h\"" | $(CC) $(filter-out -MMD -MP,$(2)) -I. -x c -fsyntax-only - \
		|| { echo "not self-contained: $$h"; bad=1; }; \
done;
endef
check-headers: $(HV_XENINC)/xen $(GPV_SYSINC)/xen $(PV_XEN_INC)/xen
	@bad=0; \
	$(call check_header_group,hypervisor/%,$(HV_CFLAGS)) \
	$(call check_header_group,guest-pv/% tests/guest/%,$(GPV_CFLAGS)) \
	$(call check_header_group,xenstore/% dom0-tools/% \
		$(filter-out tests/guest/%,$(filter tests/%,$(HEADERS))),$(HDR_HOST_CFLAGS)) \
	[ $$bad = 0 ] && echo "check-headers: $(words $(HEADERS)) headers self-contained"; exit $$bad

clean:
	rm -rf $(BUILD)/lamina $(BUILD)/xenstored $(BUILD)/lxl $(BUILD)/obj \
		$(BUILD)/guest-pv $(BUILD)/tests

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# One line per target. tests/deps/help-test.sh fails when a .PHONY target of
# any build.mk is missing here; HELP_HIDDEN names the parts of other targets.
HELP_HIDDEN := gpv-check-headers lamina-deps-then-make
define HELP_TEXT
Lamina's targets. The ones marked * first install what is missing (as root:
scripts/deps.sh, Debian packages and Debian's kernel; as a user it prints the
apt-get lines). Plain `make` builds everything once that is done.
  run            * boot Lamina in QEMU with the demo kernel as dom0 and show it at work (~5 s once built)
  test           * build and run every test: CUnit suites, boots, xenstored, the real-Xen rig
  test-unit      * the CUnit suites only
  test-scripts   * the test scripts only (boots under QEMU, xenstored, the rig)
  test-xen       * every real-Xen rig scenario (Xen 4.17 with Debian's kernel as dom0)
  xen-shell      * boot the real-Xen rig with a shell on the console (XENSTORED=xen|lamina)
  xen-rig        * build the real-Xen rig's images (build/xen-rig/)
  bench          * run the benchmarks and print their figures
  soak           * the real-Xen rig's 100 lxl create/destroy cycles back to baseline (~3-5 min)
  fuzz           * run the fuzzers (tests/fuzz/)
  deps           * install what is missing, unpack Debian's kernel into build/
  all              build everything (the default goal)
  format           clang-format every tracked .c and .h in place
  check-format     fail on any tracked .c or .h clang-format would change
  check-headers    compile every tracked header on its own with its part's flags
  clean            remove what the build made (keeps build/debian-kernel)
  help             this list
endef
export HELP_TEXT
help:
	@echo "$$HELP_TEXT"

endif
