#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot tests of the hypervisor under QEMU (TCG): dom0 boots and powers the
# machine off with its verdict, the command line (loglvl=, console=) works,
# every -smp CPU comes up, a bad dom0 image or a crashing dom0 ends the
# machine with the documented codes and a register dump, never a hang.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
lamina=$top/build/lamina
hello=$top/build/guest-pv/hello.elf
crash=$top/build/tests/boot/crash-guest.elf
logdir=$top/build/tests/boot
mkdir -p "$logdir"
failed=0

check() { # check NAME CONDITION...
	local name=$1
	shift
	if "$@"; then echo "PASS: $name"; else echo "FAIL: $name"; failed=1; fi
}

boot() { # boot LOG ARGS... -> sets rc
	local log=$1
	shift
	"$top/scripts/qemu-run.sh" --kernel "$lamina" --timeout 30 --log "$log" "$@" >/dev/null 2>&1
	rc=$?
}

# grep reads to the end (no -q): under pipefail, grep -q leaving early made
# tr's SIGPIPE a false "no" on logs longer than a pipe's buffer.
has() { tr -d '\r' <"$1" | grep -E -- "$2" >/dev/null; }
lacks() { ! has "$1" "$2"; }

# 1. hello as dom0, multiboot 1, one CPU.
log=$logdir/hello.log
boot "$log" --append "console=com1 loglvl=all" --module "$hello hello-arg=1"
check "hello dom0 powers off with code 0" [ "$rc" = 0 ]
check "banner and loader" has "$log" '^\(LAMINA\) Lamina hypervisor.*multiboot1'
check "dom0 command line passed on" has "$log" "module 0: .*'hello-arg=1'"
check "hypervisor command line without the image name" has "$log" 'command line: console=com1 loglvl=all$'
check "guest console output reaches COM1" has "$log" '^PASS: hello'
check "dom0 shutdown reason printed" has "$log" 'dom0 shut down: poweroff'
check "TSC calibrated" has "$log" 'TSC [1-9][0-9]* kHz'

# 2. loglvl=error hides the hypervisor's info lines, not the guest's output.
log=$logdir/loglvl.log
boot "$log" --append "loglvl=error" --module "$hello"
check "loglvl=error: boots" [ "$rc" = 0 ]
check "loglvl=error: no info lines" lacks "$log" 'Lamina hypervisor'
check "loglvl=error: guest output kept" has "$log" '^PASS: hello'

# 3. console=none: silent hypervisor, the verdict still comes back.
log=$logdir/console-none.log
boot "$log" --append "console=none" --module "$hello"
check "console=none: verdict 0" [ "$rc" = 0 ]
check "console=none: no hypervisor output" lacks "$log" 'LAMINA'

# 4. SMP: every CPU QEMU gives comes up.
log=$logdir/smp.log
boot "$log" --append "loglvl=all" --smp 4 --module "$hello"
check "smp 4: dom0 still runs" [ "$rc" = 0 ]
check "smp 4: 4 CPUs online" has "$log" '4 CPUs online'

# 5. No dom0 module, and a module that is not a PV kernel: code 0x70.
log=$logdir/nomodule.log
boot "$log" --append "loglvl=all"
check "no module: exit code 112" [ "$rc" = 112 ]
check "no module: says why" has "$log" 'no dom0 kernel'
log=$logdir/badelf.log
boot "$log" --append "loglvl=all" --module "$top/tests/boot/boot.sh"
check "non-ELF dom0: exit code 112" [ "$rc" = 112 ]
check "non-ELF dom0: refused by the checks" has "$log" 'dom0 kernel refused'

# 6. A dom0 that faults with no trap table: crashed (code 3), registers dumped.
log=$logdir/crash-ud.log
boot "$log" --append "loglvl=all" --module "$crash"
check "guest #UD crash: exit code 3" [ "$rc" = 3 ]
check "guest #UD crash: reported" has "$log" 'dom0 crashed: unhandled trap 6'
check "guest #UD crash: register dump" has "$log" 'RBX: 1badc0de5a5a5a5a'
log=$logdir/crash-pf.log
boot "$log" --append "loglvl=all" --module "$crash pf"
check "guest #GP (non-canonical) crash: exit code 3" [ "$rc" = 3 ]
check "guest #GP crash: reported" has "$log" 'dom0 crashed: unhandled trap 13'
log=$logdir/crash-tf.log
boot "$log" --append "loglvl=all" --module "$crash tf"
check "SYSENTER with TF set: the guest crashes (code 3), not the hypervisor" [ "$rc" = 3 ]
check "SYSENTER with TF set: #GP for the guest" has "$log" 'dom0 crashed: unhandled trap 13'

# 6b. A fuzzing dom0: hostile hypercall arguments and random MSRs; the
#     hypervisor must answer them all and let the kernel report.
log=$logdir/fuzz.log
boot "$log" --append "loglvl=all" --module "$top/build/tests/boot/fuzz.elf"
check "fuzz: dom0 survives and powers off with code 0" [ "$rc" = 0 ]
check "fuzz: hypercalls answered" has "$log" '^PASS: fuzz: the hypervisor answered every fuzzed hypercall'
check "fuzz: still answering afterwards" has "$log" '^PASS: fuzz: the hypervisor still answers xen_version'

# 6c. An initrd (the second module): mapped after the kernel, intact.
log=$logdir/initrd.log
size=$(stat -c %s "$crash")
sum=$(od -An -v -tu1 "$crash" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')
boot "$log" --append "loglvl=all" --module "$top/build/tests/boot/initrd.elf size=$size sum=$sum" \
	--module "$crash"
check "initrd: dom0 checks it and powers off with code 0" [ "$rc" = 0 ]
check "initrd: bytes intact" has "$log" "^PASS: initrd: the initrd's bytes arrived intact"

# 6d. Page tables a guest builds and pins (a user L4), and the refusals.
log=$logdir/pagetables.log
boot "$log" --append "loglvl=all" --module "$top/build/tests/boot/pagetables.elf"
check "pagetables: dom0 passes its checks (code 0)" [ "$rc" = 0 ]
check "pagetables: a pinned L4 becomes the user base" has "$log" '^PASS: pagetables: MMUEXT_NEW_USER_BASEPTR with the pinned L4'
check "pagetables: a self-mapping L1 is refused" has "$log" '^PASS: pagetables: an L1 mapping itself writable'

# 6e. memory_op as a dom0 sees it (counts, the M2P, the machine memory map).
log=$logdir/memory.log
boot "$log" --append "loglvl=all dom0_mem=48M" --module "$top/build/tests/boot/memory.elf"
check "memory_op: dom0 passes its checks (code 0)" [ "$rc" = 0 ]
check "memory_op: the M2P translates dom0's frames" has "$log" '^PASS: memory_op: the M2P maps frame 5 back to pfn 5'

# 6f. vcpu_info moved into the guest's page, and a runstate area.
log=$logdir/vcpuinfo.log
boot "$log" --append "loglvl=all" --module "$top/build/tests/boot/vcpuinfo.elf"
check "vcpu_info: dom0 passes its checks (code 0)" [ "$rc" = 0 ]
check "vcpu_info: events land in the new vcpu_info" has "$log" '^PASS: vcpu_info: the upcall is pending in the new vcpu_info'

# 7. The hypervisor's own fault: register dump, panic, code 127.
log=$logdir/hvfault.log
boot "$log" --append "lamina_selftest=hvfault" --module "$hello"
check "hypervisor fault: exit code 127" [ "$rc" = 127 ]
check "hypervisor fault: FATAL TRAP named" has "$log" 'FATAL TRAP #GP in the hypervisor'
check "hypervisor fault: ring-0 RIP in the image" has "$log" 'RIP: e008:ffff82d04'
check "hypervisor fault: panic line" has "$log" 'PANIC: hypervisor fault'

# 7b. A fault with an unusable stack pointer (as RSP is in the first
# instructions of the SYSCALL entry) reaches #DF on its own IST stack: a dump
# and code 127, not a triple fault (status 125).
log=$logdir/stackfault.log
boot "$log" --append "lamina_selftest=stackfault" --module "$hello"
check "stack fault: exit code 127 (no triple fault)" [ "$rc" = 127 ]
check "stack fault: #DF handled on its IST stack" has "$log" 'FATAL TRAP #DF in the hypervisor'
check "stack fault: the dump shows the bad RSP" has "$log" 'RSP: 0000000000001000'

# 7c. The domain lifecycle: domains created, given memory, paused, shut down,
# crashed and destroyed in a loop, and every per-domain unit's set-up made to
# fail once; the free frames and the domain count come back to their baseline
# after each (common/domain_selftest.c). dom0 then boots as usual. 90 s: at load
# average 9 the 200 rounds took 31-47 s (the binary before the per-domain locks 31 s).
log=$logdir/selftest-domains.log
boot "$log" --append "loglvl=all lamina_selftest=domains" --module "$hello" --timeout 90
check "domain lifecycle: dom0 still boots and powers off (code 0)" [ "$rc" = 0 ]
check "domain lifecycle: 200 rounds, every check passed" \
	has "$log" 'selftest domains: PASS: [0-9]+ checks, 0 failed, 200 rounds'
check "domain lifecycle: no check failed" lacks "$log" 'selftest domains: FAIL'
check "domain lifecycle: every unit's failure unwound" has "$log" 'dom7: timers set-up failed'
check "domain lifecycle: dom0 created after the loop" has "$log" 'starting dom0'

# 7d. Cross-CPU TLB flushes (arch/x86_64/flush.c): with 4 CPUs the APs read
# a hypervisor mapping, it is changed on the boot CPU, and only the flush IPI
# makes every AP see the new page; the domain's dirty mask names the AP that
# loaded it, and mm_flush_domain reaches it. dom0 then boots as usual.
log=$logdir/selftest-tlb.log
boot "$log" --append "loglvl=all lamina_selftest=tlb" --smp 4 --module "$hello"
check "tlb flush: dom0 still boots and powers off (code 0)" [ "$rc" = 0 ]
check "tlb flush: every check passed on 3 APs" \
	has "$log" 'selftest tlb: PASS: [0-9]+ checks, 0 failed, 3 APs'
check "tlb flush: no check failed" lacks "$log" 'selftest tlb: FAIL'

# 7c. SMEP and SMAP where the CPU has them (QEMU's max model): a guest-pv
# kernel with user mode, bounces and hostile copies runs as before; the
# hypervisor reading dom0's memory without STAC, or calling dom0's code, is a
# #PF in the hypervisor (on a model without them, Westmere, both succeed).
log=$logdir/smap-traps.log
boot "$log" --append "loglvl=all" --cpu max --module "$top/build/guest-pv/traps.elf"
check "SMEP/SMAP: both on with -cpu max" has "$log" 'SMEP on, SMAP on'
check "SMEP/SMAP: the traps kernel passes (code 0)" [ "$rc" = 0 ]
check "SMEP/SMAP: the traps kernel reports no failure" has "$log" '^RESULT: [0-9]+ passed, 0 failed'
for t in smap smep; do
	log=$logdir/selftest-$t.log
	boot "$log" --append "lamina_selftest=$t" --cpu max --module "$hello"
	check "lamina_selftest=$t: exit code 127" [ "$rc" = 127 ]
	check "lamina_selftest=$t: a #PF in the hypervisor" has "$log" 'FATAL TRAP #PF in the hypervisor'
	check "lamina_selftest=$t: the access did not happen" lacks "$log" "lamina_selftest=$t: .*is off"
done

# 7d. Long hypercalls are preempted and continued (tests/boot/preempt.c, also
# on real Xen in on-xen.sh): a 5000-entry multicall, a 1 MiB console_io
# write, 20000-entry mmu_update and mmuext_op batches. The console's lines
# come out exactly once each, in order, with the upcall's marker among them.
log=$logdir/preempt.log
boot "$log" --append "loglvl=all" --module "$top/build/tests/boot/preempt.elf"
check "preemption: the kernel's checks pass (code 0)" [ "$rc" = 0 ]
check "preemption: every check of the kernel passed" has "$log" '^RESULT: [0-9]+ passed, 0 failed'
fills=$(tr -d '\r' <"$log" | sed -n 's/^preempt-fill \([0-9]\{5\}\) .*/\1/p')
check "preemption: 16384 console lines of the 1 MiB write, each once, in order" \
	[ "$(printf '%s\n' "$fills" | awk '$1 + 0 != NR - 1 { bad = 1 } END { print NR, bad + 0 }')" = "16384 0" ]
check "preemption: 500 console lines from the multicall's entries" \
	[ "$(tr -d '\r' <"$log" | grep -c '^mc-line [0-9]')" = 500 ]
marker=$(tr -d '\r' <"$log" | grep -n '^preempt-marker' | head -1 | cut -d: -f1)
last=$(tr -d '\r' <"$log" | grep -n '^preempt-fill 16383 ' | head -1 | cut -d: -f1)
before() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -lt "$2" ]; }
check "preemption: the upcall ran inside the console write (its marker before the last line)" \
	before "$marker" "$last"

# 8. dom0_mem= sizes dom0.
log=$logdir/dom0mem.log
boot "$log" --append "loglvl=all dom0_mem=32M,max:32M" --module "$hello"
check "dom0_mem=32M: 8192 pages" has "$log" 'dom0: 8192 pages'

# 9. GRUB (a rescue ISO): multiboot 2, and multiboot 1 through GRUB 2, whose
#    command lines carry no image name.
iso_boot() { # iso_boot NAME KERNEL-CMD MODULE-CMD
	local name=$1 root=$logdir/iso-$1
	rm -rf "$root"
	mkdir -p "$root/boot/grub"
	cp "$lamina" "$hello" "$root/boot/"
	cat >"$root/boot/grub/grub.cfg" <<-CFG
		set timeout=0
		set default=0
		menuentry "lamina" {
			$2 /boot/lamina console=com1 loglvl=all
			$3 /boot/hello.elf $name-arg=1
			boot
		}
	CFG
	if ! grub-mkrescue -o "$logdir/$name.iso" "$root" >"$logdir/$name-mkrescue.log" 2>&1; then
		rc=126
		return
	fi
	"$top/scripts/qemu-run.sh" --iso "$logdir/$name.iso" --timeout 60 --log "$logdir/$name.log" \
		>/dev/null 2>&1
	rc=$?
}
iso_boot mb2 multiboot2 module2
log=$logdir/mb2.log
check "GRUB multiboot2: dom0 powers off with code 0" [ "$rc" = 0 ]
check "GRUB multiboot2: loader detected" has "$log" 'Lamina hypervisor.*multiboot2'
check "GRUB multiboot2: command line without image name" has "$log" 'command line: console=com1 loglvl=all$'
check "GRUB multiboot2: dom0 command line" has "$log" "module 0: .*'mb2-arg=1'"
check "GRUB multiboot2: guest ran" has "$log" '^PASS: hello'
iso_boot mb1 multiboot module
log=$logdir/mb1.log
check "GRUB multiboot1: dom0 powers off with code 0" [ "$rc" = 0 ]
check "GRUB multiboot1: dom0 command line" has "$log" "module 0: .*'mb1-arg=1'"

exit $failed
