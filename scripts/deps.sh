#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what Lamina needs to build, run and test, from Debian's archive only.
# As root it installs what is missing; otherwise it prints the apt-get lines and
# stops. QEMU comes from bookworm-backports (7.2's TCG breaks PV guests), added
# on the mirror the machine's own apt sources already name. The Debian kernel is
# downloaded and unpacked into build/, never installed on the host.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}

# One package a line: add a package with a one-line change.
pkgs=(
	build-essential gcc make binutils # the build
	libxen-dev                        # Xen 4.17's public headers and libraries
	libyajl-dev
	libzstd-dev                       # lxl is linked statically: libxenguest.a's zstd loader
	liblzma-dev zlib1g-dev libbz2-dev # ... and its xz, gzip and bzip2 loaders (static archives)
	uuid-dev                          # ... and libxenlight.a's libuuid
	iproute2                          # the rig's dom0: Xen's vif hotplug script (ip link, bridge)
	libcunit1-dev                     # the unit tests
	xen-hypervisor-4.17-amd64         # the real-Xen rig and on-xen.sh
	xen-utils-4.17
	xenstore-utils
	busybox-static                    # the rig's initramfs
	cpio
	xz-utils
	gzip
	zstd
	valgrind
	clang-format                      # make format, make check-format
	clang                             # the fuzzers (tests/fuzz/): clang 14 ...
	libclang-rt-14-dev                # ... and its libFuzzer and sanitizer runtimes
	llvm                              # llvm-symbolizer: sanitizer reports and LSan suppressions by name
	python3
	util-linux
	dpkg-dev
	grub-common                       # bootable images
	grub-pc-bin
	mtools
	xorriso
	gdb
)
backport_pkgs=(qemu-system-x86 qemu-utils)

# The first plain Debian mirror named by the machine's apt sources
# (deb822 "URIs:" or one-line "deb URI suite"), never a security mirror.
find_mirror() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '/^[[:space:]]*URIs:/ { for (i = 2; i <= NF; i++) print $i }
		     /^[[:space:]]*deb[[:space:]]/ { for (i = 2; i <= NF; i++)
			if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f"
	done | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1
}

# The packages of "$@" that are not installed, from one dpkg-query (it runs on
# every `make test`, so it must stay fast).
missing_pkgs() {
	local installed p
	installed=" $(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null |
		awk '$2 == "install" && $3 == "ok" && $4 == "installed" { printf "%s ", $1 }')"
	for p in "$@"; do
		case "$installed" in *" $p "*) ;; *) echo "$p" ;; esac
	done
}

qemu_is_new_enough() {
	command -v qemu-system-x86_64 >/dev/null || return 1
	local v
	v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ "${v:-0}" -ge 8 ]
}

bp_list=/etc/apt/sources.list.d/lamina-bookworm-backports.list
mirror=$(find_mirror || true)
missing=$(missing_pkgs "${pkgs[@]}")
need_qemu=0
qemu_is_new_enough || need_qemu=1

if [ "$(id -u)" != 0 ]; then
	if [ -n "$missing" ] || [ $need_qemu = 1 ]; then
		echo "deps: missing packages; run as root, or:" >&2
		[ -n "$missing" ] && echo "  apt-get install -y" $missing >&2
		[ $need_qemu = 1 ] && echo "  echo 'deb ${mirror:-MIRROR} bookworm-backports main' > $bp_list &&" \
			"apt-get update && apt-get install -y -t bookworm-backports ${backport_pkgs[*]}" >&2
		exit 1
	fi
else
	export DEBIAN_FRONTEND=noninteractive
	if [ $need_qemu = 1 ] && [ ! -f "$bp_list" ]; then
		[ -n "$mirror" ] || { echo "deps: no Debian mirror in apt sources" >&2; exit 1; }
		echo "deb $mirror bookworm-backports main" >"$bp_list"
	fi
	# apt's own output goes to build/deps.log; its tail is shown on failure.
	if [ -n "$missing" ] || [ $need_qemu = 1 ]; then
		mkdir -p "$build"
		aptlog=$build/deps.log
		: >"$aptlog"
		apt_step() {
			"$@" >>"$aptlog" 2>&1 && return 0
			echo "deps: failed: $*" >&2
			tail -n 20 "$aptlog" >&2
			exit 1
		}
		echo "deps: installing from Debian:" $missing \
			"$([ $need_qemu = 1 ] && echo "${backport_pkgs[*]} (bookworm-backports)")" \
			"(apt's output: ${aptlog#"$top"/})"
		apt_step apt-get update -q
		# shellcheck disable=SC2086
		[ -z "$missing" ] || apt_step apt-get install -y -q --no-install-recommends $missing
		[ $need_qemu = 0 ] || apt_step apt-get install -y -q --no-install-recommends \
			-t bookworm-backports "${backport_pkgs[@]}"
	fi
fi

# The Debian kernel, unpacked (not installed) into build/debian-kernel/.
kdir=$build/debian-kernel
# As root, apt's download user (_apt) may not write into build/: download as root.
dl=(apt-get download -q)
[ "$(id -u)" = 0 ] && dl+=(-o APT::Sandbox::User=root)
if [ ! -f "$kdir/.unpacked" ]; then
	echo "deps: downloading Debian's kernel (linux-image-amd64) into ${kdir#"$top"/}/"
	mkdir -p "$kdir"
	(
		cd "$kdir"
		rm -f ./*.deb
		if ! "${dl[@]}" linux-image-amd64 >/dev/null 2>&1; then
			apt-get update -q >/dev/null 2>&1 || true
			"${dl[@]}" linux-image-amd64 >/dev/null
		fi
		img=$(dpkg-deb -f linux-image-amd64_*.deb Depends | tr ',' '\n' |
			sed -n 's/^ *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1)
		"${dl[@]}" "$img" >/dev/null
		dpkg-deb -x "$img"_*.deb root
		echo "$img" >.unpacked
	)
fi
echo "deps: ok (qemu $(qemu-system-x86_64 --version | head -n 1 | awk '{print $4}'), kernel $(cat "$kdir/.unpacked"), ${SECONDS} s)"
