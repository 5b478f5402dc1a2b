#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tests of scripts/deps.sh that change nothing on the machine: as a non-root
# user with packages missing it must print the exact apt-get lines and stop;
# the mirror it adds backports on comes from the machine's apt sources.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
pass() { echo "PASS: deps: $1"; }
fail() { echo "FAIL: deps: $1"; failed=1; }

# Stand-ins: every package reads as missing, the user is not root, and QEMU is 7.2.
mkdir -p "$tmp/bin"
printf '#!/bin/sh\necho "deinstall ok config-files"\n' >"$tmp/bin/dpkg-query"
printf '#!/bin/sh\necho 1000\n' >"$tmp/bin/id"
printf '#!/bin/sh\necho "QEMU emulator version 7.2.0"\n' >"$tmp/bin/qemu-system-x86_64"
chmod +x "$tmp/bin/"*

out=$(PATH="$tmp/bin:$PATH" BUILD="$tmp/build" bash "$top/scripts/deps.sh" 2>&1)
rc=$?
[ $rc != 0 ] && pass "non-root with missing packages stops with an error" ||
	fail "non-root with missing packages exited 0"
echo "$out" | grep -q '^  apt-get install -y .*libxen-dev.*libcunit1-dev' &&
	pass "prints the apt-get install line naming the packages" ||
	fail "no apt-get install line: $out"
echo "$out" | grep -q 'bookworm-backports' && pass "prints the backports step for QEMU" ||
	fail "no backports step: $out"
[ ! -e "$tmp/build/debian-kernel" ] && pass "non-root run downloads nothing" ||
	fail "non-root run went on to download"

# One dpkg-query answers for all packages: the installed ones (here gcc and
# make) are left out of the apt-get line, the others named.
cat >"$tmp/bin/dpkg-query" <<'STUB'
#!/bin/sh
for p; do
	case "$p" in
	gcc | make) echo "$p install ok installed" ;;
	libxen-dev) echo "$p deinstall ok config-files" ;;
	esac
done
STUB
out=$(PATH="$tmp/bin:$PATH" BUILD="$tmp/build" bash "$top/scripts/deps.sh" 2>&1)
line=$(echo "$out" | grep '^  apt-get install -y')
if echo "$line" | grep -qw libxen-dev && echo "$line" | grep -qw libcunit1-dev &&
	! echo "$line" | grep -qw gcc && ! echo "$line" | grep -qw make; then
	pass "only the packages not installed are named"
else
	fail "apt-get line with gcc and make installed: $line"
fi

# The mirror comes from the apt sources, never a security mirror.
mirror=$(bash -c "source <(sed -n '/^find_mirror()/,/^}/p' '$top/scripts/deps.sh'); find_mirror")
if [ -n "$mirror" ] && ! echo "$mirror" | grep -q security &&
	grep -rqsF "$mirror" /etc/apt/sources.list /etc/apt/sources.list.d/; then
	pass "backports mirror is one the apt sources name ($mirror)"
else
	fail "backports mirror '$mirror' is not from the apt sources"
fi
exit $failed
