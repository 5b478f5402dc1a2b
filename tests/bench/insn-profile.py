# SPDX-License-Identifier: MIT
#
# gdb (python) side of tests/bench/insn-profile: attached to a QEMU started
# with -S and a gdb stub under -icount, it lets the benchmark kernel run to
# the Nth call of an operation, single-steps the whole machine (guest and
# hypervisor) through that one call, and prints how many instructions each
# function took. Under TCG a gdb single step is one executed instruction
# (a `rep movs` iteration counts once, as it does for -icount), so the total
# is what the benchmark's rdtsc delta counts for one operation (less the
# loop around it, and any interrupt: QEMU steps with interrupts held off).
#
# Parameters come from the environment (the wrapper sets them):
#   IP_PORT      the gdb stub's TCP port
#   IP_SYMS      ELF files to name addresses with, separated by ':'
#   IP_AFTER     "FUNC:N": first let FUNC be entered N times (0: not used)
#   IP_OP        the function to trace (a symbol of one of IP_SYMS), or 0xADDR
#   IP_UNTIL     if set (0xADDR), trace from IP_OP to this address, not to the return
#   IP_SKIP      calls of IP_OP to let run before the traced one
#   IP_TRACE     if set, a file for every step's address and function
#   IP_MAX       give up after this many steps (default 200000)
import bisect
import os
import subprocess

import gdb


def load_symbols(paths):
    """Sorted (address, name) of every function symbol of the ELF files."""
    syms = []
    for p in paths:
        out = subprocess.run(["nm", "-n", "--defined-only", p], capture_output=True,
                             text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in "tTwW":
                syms.append((int(f[0], 16), f[2]))
    syms.sort()
    return syms


def namer(syms):
    addrs = [a for a, _ in syms]

    def name(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        # Past the last symbol or far from any: an address of unnamed code
        # (real Xen is stripped), grouped by 256-byte block.
        if i < 0 or pc - addrs[i] > 0x4000:
            return "?%x" % (pc & ~0xff)
        return syms[i][1]
    return name


def reg(name):
    return int(gdb.selected_frame().read_register(name)) & 0xFFFFFFFFFFFFFFFF


def u64(addr):
    mem = gdb.selected_inferior().read_memory(addr, 8)
    return int.from_bytes(bytes(mem), "little")


def run_to(addr, times):
    """Continue to the times-th execution of addr by a guest (ring 3: a PV kernel)."""
    bp = gdb.Breakpoint("*0x%x" % addr, internal=True)
    while times > 0:
        gdb.execute("continue", to_string=True)
        if reg("rip") != addr:
            raise RuntimeError("the machine stopped at 0x%x" % reg("rip"))
        if reg("cs") & 3 == 3:
            times -= 1
    bp.delete()


def lookup(by_name, fn):
    """A function's address; a name GCC suffixed (run.constprop.0) matches too."""
    if fn.startswith("0x"):
        return int(fn, 16)
    if fn in by_name:
        return by_name[fn]
    for n, a in by_name.items():
        if n.startswith(fn + "."):
            return a
    raise RuntimeError("no function %s" % fn)


def main():
    env = os.environ
    syms = load_symbols([p for p in env["IP_SYMS"].split(":") if p])
    name = namer(syms)
    by_name = {n: a for a, n in syms}
    gdb.execute("set pagination off")
    gdb.execute("set architecture i386:x86-64", to_string=True)
    gdb.execute("target remote 127.0.0.1:%s" % env["IP_PORT"], to_string=True)
    after = env.get("IP_AFTER", "")
    if after:
        fn, n = after.rsplit(":", 1)
        if int(n) > 0:
            run_to(lookup(by_name, fn), int(n))
    op = lookup(by_name, env["IP_OP"])
    run_to(op, int(env.get("IP_SKIP", "0")) + 1)
    rsp0 = reg("rsp")
    ret = u64(rsp0)
    if env.get("IP_UNTIL"):
        ret, rsp0 = int(env["IP_UNTIL"], 16), None
    limit = int(env.get("IP_MAX", "200000"))
    counts, order, trace = {}, [], []
    steps = 0
    pc = reg("rip")
    while not (pc == ret and (rsp0 is None or reg("rsp") == rsp0 + 8)):
        n = name(pc)
        if n not in counts:
            counts[n] = 0
            order.append(n)
        counts[n] += 1
        if "IP_TRACE" in env:
            trace.append("%016x %s" % (pc, n))
        steps += 1
        if steps >= limit:
            print("insn-profile: gave up after %d steps" % steps)
            break
        gdb.execute("stepi", to_string=True)
        pc = reg("rip")
    if "IP_TRACE" in env:
        with open(env["IP_TRACE"], "w") as f:
            f.write("\n".join(trace) + "\n")
    print("insn-profile: %s, call %d: %d instructions" %
          (env["IP_OP"], int(env.get("IP_SKIP", "0")) + 1, steps))
    print("%6s  %s" % ("insns", "function (in order of first execution)"))
    for n in order:
        print("%6d  %s" % (counts[n], n))
    gdb.execute("kill", to_string=True)


try:
    main()
except Exception as e:  # a message, not a gdb backtrace
    print("insn-profile: %s" % e)
    raise
