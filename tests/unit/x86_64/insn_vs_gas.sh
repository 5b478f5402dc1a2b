#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# x86_64/lib/insn_decode against GNU as: assemble each instruction the decoder knows
# (with prefixes, REX, ModRM/SIB/displacement forms), in 64-bit and in 32-bit
# code, and check that the decoder finds the same length and the expected
# kind at every instruction's offset. An independent encoder keeps the
# decoder's own table test from sharing its author's mistakes.
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
tool=$top/build/tests/unit/x86_64/insn_tool
work=$top/build/tests/hv_insn_gas
mkdir -p "$work"
bad=0

# check MODE FILE: FILE holds "kind|instruction" lines.
check() {
	local mode=$1 list=$2 s=$work/insn$1.s o=$work/insn$1.o b=$work/insn$1.bin i=0 kind insn
	{
		echo ".code$mode"
		while IFS='|' read -r kind insn; do
			[ -n "$kind" ] || continue
			printf 'i%d_%s: %s\n' "$i" "$kind" "$insn"
			i=$((i + 1))
		done <"$list"
		echo "iend_end:"
	} >"$s"
	if ! as --64 -o "$o" "$s" 2>"$work/as.err" || ! objcopy -O binary -j .text "$o" "$b"; then
		echo "FAIL: $mode-bit: GNU as refused the list: $(head -3 "$work/as.err")"
		bad=1
		return
	fi
	# symbols in address order give each instruction's offset and length
	local prev_off='' prev_kind='' addr sym off
	while read -r addr _ sym; do
		case $sym in
		i[0-9]*_* | iend_*) ;;
		*) continue ;;
		esac
		off=$((16#$addr))
		[ -n "$prev_off" ] && printf '%x %d %s\n' "$prev_off" $((off - prev_off)) "${prev_kind//_/-}"
		prev_off=$off
		prev_kind=${sym#*_}
	done < <(nm -n "$o") >"$work/offsets$mode"
	"$tool" "$b" "$mode" <"$work/offsets$mode" || bad=1
}

cat >"$work/list64" <<'LIST'
cpuid|cpuid
cpuid|.byte 0x0f, 0x0b, 0x78, 0x65, 0x6e; cpuid
rdmsr|rdmsr
wrmsr|wrmsr
rdtsc|rdtsc
rdtscp|rdtscp
rdpmc|rdpmc
mov_from_cr|mov %cr4, %rax
mov_from_cr|mov %cr2, %r9
mov_from_cr|mov %cr8, %r15
mov_to_cr|mov %rax, %cr3
mov_to_cr|mov %r12, %cr0
mov_from_dr|mov %dr7, %rcx
mov_to_dr|mov %rdx, %dr0
in|in $0x61, %al
in|in $0x71, %eax
in|in $0x71, %ax
in|in (%dx), %al
in|in (%dx), %eax
out|out %al, $0x80
out|out %ax, (%dx)
ins|insb
ins|rep insw
outs|rep outsb %fs:(%rsi), (%dx)
outs|addr32 outsl
cli|cli
sti|sti
hlt|hlt
clts|clts
invd|invd
wbinvd|wbinvd
int|int $0x80
int3|int3
int1|int1
ud2|ud2
sldt|sldt %eax
str|str %ecx
lldt|lldt %dx
ltr|ltr %r8w
verr|verr %ax
verw|verw (%rbx)
smsw|smsw %eax
smsw|smsw %rax
smsw|smsw (%rbx)
lmsw|lmsw %ax
swapgs|swapgs
monitor|monitor
mwait|mwait
clac|clac
stac|stac
xgetbv|xgetbv
xsetbv|xsetbv
lgdt|lgdt (%rax)
sgdt|sgdt 0x10(%rsp)
lidt|lidt 0x12345678(%rip)
sidt|sidt -8(%rbp,%rcx,8)
invlpg|invlpg (%rdi)
invlpg|invlpg 0x1000(,%rbx,8)
invlpg|invlpg 0x1000(%r13,%r11,2)
invlpg|addr32 invlpg (%eax)
lgdt|lgdt %gs:0x40(%r12)
in|data16 cs in $0x40, %al
LIST

cat >"$work/list32" <<'LIST'
cpuid|cpuid
mov_from_cr|mov %cr0, %eax
mov_to_cr|mov %ecx, %cr4
into|into
int|int $0x21
in|in $0x60, %al
outs|rep outsw
lmsw|addr16 lmsw 8(%bp,%si)
sidt|sidt 0x1000
lgdt|lgdt (%esp)
invlpg|invlpg 4(%ebx,%esi,4)
LIST

check 64 "$work/list64"
check 32 "$work/list32"
exit $bad
