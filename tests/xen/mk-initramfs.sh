#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Assemble the Xen rig's dom0 initramfs from installed Debian packages only:
# busybox-static, Xen's tools (xen-utils-4.17, xenstore-utils) with every
# shared library they load, what Xen's hotplug scripts need (bash, iproute2,
# util-linux's losetup and flock), the Xen kernel modules of the unpacked
# linux-image-amd64 (with their dependencies, read from each module's
# .modinfo), the rig's dom0 scripts, and whatever Lamina binaries and test
# kernels exist.
#
#   mk-initramfs.sh OUT.cpio MODDIR RIGDIR [LAMINA-FILE=DEST]...
# MODDIR is lib/modules/<version> of the unpacked kernel; RIGDIR holds the
# dom0 scripts (init, lib.sh, scenario-*.sh) copied to /rig. Each
# LAMINA-FILE=DEST copies a Lamina file to DEST inside the image (missing
# files are left out: the scenarios that need them then fail, loudly).
set -euo pipefail

out=$1 moddir=$2 rigdir=$3
shift 3
# Private names: other engineers' `make all` may build this at the same time.
stage=$(mktemp -d "$out.d.XXXXXX")
trap 'rm -rf "$stage" "$out.tmp.$$"' EXIT
chmod 755 "$stage"
mkdir -p "$stage"/{bin,sbin,etc,proc,sys,dev,tmp,run,var/log/xen/console,var/lib/xen,lib/modules,rig,lamina/bin,lamina/guests}
ln -s ../run "$stage/var/run"
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true

# Copy FILE to the same path in the image, following symlinks.
put() {
	mkdir -p "$stage$(dirname "$1")"
	cp -L "$1" "$stage$1"
}

# Copy FILE and every shared library it loads (as ldd resolves them).
put_elf() {
	local f=$1 dest=${2:-$1} lib
	mkdir -p "$stage$(dirname "$dest")"
	cp -L "$f" "$stage$dest"
	{ ldd "$f" 2>/dev/null || true; } | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' |
		while read -r lib; do
			[ -e "$stage$lib" ] || put "$lib"
		done
}

is_elf() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

# busybox-static, with a link per applet.
cp /bin/busybox "$stage/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$stage/bin/$a" ] || ln -s busybox "$stage/bin/$a"
done

# Xen's tools: every ELF of xen-utils-4.17's bin directory and xenstore-utils.
for f in /usr/lib/xen-4.17/bin/* /usr/bin/xenstore*; do
	is_elf "$f" && put_elf "$f"
done
# pthread_cancel dlopen()s libgcc_s; ldd does not list it.
put "$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')"
[ -d /etc/xen ] && cp -a /etc/xen "$stage/etc/"
# What Xen's hotplug scripts (/etc/xen/scripts: block, vif-bridge) run that
# busybox lacks or does differently: bash, iproute2's ip, util-linux's
# losetup and flock. Ahead of busybox's in PATH (/usr/sbin, /usr/bin).
put_elf /bin/bash
for f in /usr/sbin/ip /usr/sbin/losetup /usr/bin/flock; do
	put_elf "$f"
done

# The Xen kernel modules and what they depend on, in load order.
modinfo_field() {
	objcopy -O binary --only-section=.modinfo "$1" /dev/stdout 2>/dev/null |
		tr '\0' '\n' | sed -n "s/^$2=//p"
}
declare -A seen=()
order=()
add_module() {
	local name=${1//_/-} path dep
	[ -n "${seen[$name]:-}" ] && return 0
	path=$(find "$moddir/kernel" -name "$name.ko*" -o -name "${name//-/_}.ko*" | head -n 1)
	[ -n "$path" ] || { echo "mk-initramfs: module $name not found" >&2; return 1; }
	seen[$name]=1
	for dep in $(modinfo_field "$path" depends | tr ',' ' '); do
		add_module "$dep"
	done
	case "$path" in
	*.ko.xz) xz -dc "$path" >"$stage/lib/modules/$name.ko" ;;
	*.ko.zst) zstd -qdc "$path" >"$stage/lib/modules/$name.ko" ;;
	*.ko.gz) gzip -dc "$path" >"$stage/lib/modules/$name.ko" ;;
	*) cp "$path" "$stage/lib/modules/$name.ko" ;;
	esac
	order+=("$name")
}
# loop and bridge: the disk (a file on a loop device) and the vif bridge of
# the device benchmark.
for m in xen-evtchn xen-privcmd xen-gntdev xen-gntalloc xenfs xen-blkback xen-netback loop bridge; do
	add_module "$m"
done
printf '%s\n' "${order[@]}" >"$stage/lib/modules/load-order"

# The rig's own dom0 scripts; /init is the rig's.
cp "$rigdir"/* "$stage/rig/"
chmod +x "$stage/rig/"*
ln -s rig/init "$stage/init"

# Lamina's binaries and test kernels, where they exist.
for spec in "$@"; do
	src=${spec%%=*} dest=${spec#*=}
	[ -f "$src" ] || continue
	if [ "${dest#/lamina/guests/}" = "$dest" ] && is_elf "$src"; then
		put_elf "$src" "$dest"
	else
		mkdir -p "$stage$(dirname "$dest")"
		cp "$src" "$stage$dest"
	fi
done

(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
