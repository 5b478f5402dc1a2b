#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make help` lists every target a part declares .PHONY (but the internal ones
# the top Makefile names in HELP_HIDDEN), one line each; and the goals that
# need installed packages go through scripts/deps.sh in a make of their own,
# so that the makefiles are read only after the install.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
failed=0
pass() { echo "PASS: make-help: $1"; }
fail() { echo "FAIL: make-help: $1"; failed=1; }
# A make of its own: under `make test` the environment carries the outer
# make's flags, LAMINA_DEPS_DONE=1 among them.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u LAMINA_DEPS_DONE make --no-print-directory "$@"; }

help=$(mk help 2>&1) || fail "make help exits non-zero"
phony=$(mk -pq help 2>/dev/null | sed -n 's/^\.PHONY: //p' | tr ' ' '\n' |
	sort -u)
hidden=$(sed -n 's/^HELP_HIDDEN := //p' Makefile)
[ -n "$phony" ] || fail "no .PHONY target in make's database"
missing=
for t in $phony; do
	case " $hidden " in *" $t "*) continue ;; esac
	n=$(echo "$help" | grep -cE "^  $t +")
	[ "$n" = 1 ] || missing="$missing $t($n)"
done
[ -z "$missing" ] && pass "every .PHONY target has one line ($(echo $phony | wc -w) targets)" ||
	fail "targets without exactly one line in make help (add one to HELP_TEXT in the top Makefile):$missing"
missing=
for t in run test bench test-xen xen-shell fuzz deps format check-format check-headers clean; do
	echo "$help" | grep -qE "^  $t +[^ ]" || missing="$missing $t"
done
[ -z "$missing" ] && pass "the README's and CI's targets are listed" || fail "not listed:$missing"

# make -n: the deps goals run deps.sh first, then a new make with the goals.
# (":" lines are the goals' own empty recipes.)
out=$(mk -n test run 2>&1 | grep -vx : | head -n 2)
if [ "$(echo "$out" | sed -n 1p)" = "bash scripts/deps.sh" ] &&
	echo "$out" | sed -n 2p | grep -qE '^make --no-print-directory .*LAMINA_DEPS_DONE=1 test run$'; then
	pass "make test run: deps.sh, then one new make for both goals"
else
	fail "make -n test run begins with: $out"
fi
out=$(mk -n deps 2>&1 | grep -vx :)
[ "$out" = "bash scripts/deps.sh" ] && pass "make deps runs deps.sh once, no second make" ||
	fail "make -n deps: $out"
# The first level reads no part makefile: none of the variables computed from
# what deps installs (the compiler's include directory, Xen, the kernel) exists.
db=$(mk -pn deps 2>/dev/null)
missing=
echo "$db" | grep -q '^DEPS_GOALS :=' || missing=" (no database: make -pn deps failed)"
for v in FREE_CFLAGS HV_CFLAGS XEN_RIG_XEN_GZ XEN_RIG_BZIMAGE; do
	echo "$db" | grep -qE "^$v :?=" && missing="$missing $v"
done
[ -z "$missing" ] && pass "make deps reads no part makefile before deps.sh has run" ||
	fail "the first level computed:$missing"
db=$(mk -pq help 2>/dev/null)
echo "$db" | grep -qE '^FREE_CFLAGS :?=' && pass "make help reads the part makefiles (control)" ||
	fail "control: FREE_CFLAGS not found in make help's database"
exit $failed
