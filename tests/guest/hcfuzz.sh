#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The stateful hypercall fuzzer (tests/guest/hcfuzz*.c) as dom0 on Lamina
# and on real Xen 4.17, the same seeds on both, each step traced. On each
# hypervisor the kernel's own checks must pass (every refused call left the
# state as it was, every seed's teardown worked); then the traces are
# compared step by step: a call refused on one must be refused with the
# same errno on the other (and grant copies must give the same statuses).
# Differences listed in tests/guest/hcfuzz-known.txt (ops Lamina does not
# implement yet, each with its reason) are counted, not failed; the first
# other difference fails, naming the seed and the step to replay.
#
#   hcfuzz.sh [KERNEL-ARGS]     (default: the kernel's default seeds)
set -uo pipefail
. "$(dirname "$0")/boot-lib.sh"

args=${1:-}
elf=${HCFUZZ_ELF:-$GPV_TOP/build/guest-pv/hcfuzz.elf}
logdir=$GPV_TOP/build/tests/hcfuzz
known=$GPV_TOP/tests/guest/hcfuzz-known.txt
mkdir -p "$logdir"
bad=0
if [ ! -f "$elf" ] || [ ! -f "$GPV_LAMINA" ]; then
	echo "FAIL: hcfuzz: $elf or $GPV_LAMINA not built"
	exit 1
fi

start=$(date +%s.%N)
gpv_boot_lamina "$elf trace $args" "$logdir/lamina.log" 120
rc=$?
echo "INFO: hcfuzz: lamina run took $(echo "$(date +%s.%N) - $start" | bc) s"
gpv_report hcfuzz "$logdir/lamina.log" lamina || bad=1
if [ "$rc" = 0 ]; then
	echo "PASS: lamina: hcfuzz: exit code 0 (SHUTDOWN_poweroff)"
else
	echo "FAIL: lamina: hcfuzz: exit code 0 (SHUTDOWN_poweroff) (got $rc)"
	bad=1
fi

start=$(date +%s.%N)
gpv_boot_xen "$elf trace $args" "$logdir/xen.log" 120
echo "INFO: hcfuzz: xen run took $(echo "$(date +%s.%N) - $start" | bc) s"
gpv_report hcfuzz "$logdir/xen.log" xen || bad=1

python3 - "$logdir/lamina.log" "$logdir/xen.log" "$known" <<'PY' || bad=1
import re, sys

def steps(path):
    out = []
    for line in open(path, errors="replace"):
        line = line.replace("\r", "").replace("\0", "")
        if re.match(r"^T [0-9]+\.[0-9]+ ", line):
            key, _, desc = line.rstrip("\n").partition(" | ")
            out.append((key.split(), desc))
    return out

# Each known line: nr/sub lamina-errno xen-errno keep|part details reason, where
# details is "*" (equal), "~" (any that differ) or "lamina-detail,xen-detail", keep says the call changes
# nothing either way (the comparison goes on), part that the states may
# differ from there (the rest of that seed is not compared).
known = {}
for line in open(sys.argv[3]):
    f = line.split(None, 5)
    if len(f) >= 5 and not line.startswith("#"):
        known[(f[0], f[1], f[2], f[4])] = (f[3], f[5].strip() if len(f) > 5 else "")
lam, xen = steps(sys.argv[1]), steps(sys.argv[2])
seen, stopped, compared = {}, {}, 0
for (a, da), (b, db) in zip(lam, xen):
    # a, b: ["T", "seed.step", row, "nr/sub", errno, detail]
    seed, step = a[1].split(".")
    if seed in stopped:
        continue
    compared += 1
    if a == b:
        continue
    k = (a[3], a[4], b[4], a[5] + "," + b[5])
    if a[5] == b[5] and (a[3], a[4], b[4], "*") in known:
        k = (a[3], a[4], b[4], "*")
    elif a[5] != b[5] and k not in known and (a[3], a[4], b[4], "~") in known:
        k = (a[3], a[4], b[4], "~")
    if a[:4] == b[:4] and k in known:
        seen[k] = seen.get(k, 0) + 1
        if known[k][0] == "part":
            stopped[seed] = step
        continue
    print("FAIL: hcfuzz: lamina and xen answer alike, step by step: seed %s step %s: "
          "lamina %s, xen %s (replay: hcfuzz.elf seed=%s trace)" % (seed, step,
          " ".join(a[2:]), " ".join(b[2:]), seed))
    print("INFO: hcfuzz: lamina call: %s" % da)
    print("INFO: hcfuzz: xen call:    %s" % db)
    sys.exit(1)
if len(lam) != len(xen) or not lam:
    print("FAIL: hcfuzz: lamina and xen ran as many steps (%d, %d)" % (len(lam), len(xen)))
    sys.exit(1)
for seed, step in sorted(stopped.items()):
    print("INFO: hcfuzz: seed %s compared up to step %s (a known difference in what "
          "succeeded: the states part there)" % (seed, step))
for k in sorted(set(known) - set(seen)):
    print("INFO: hcfuzz: known difference not met in this run: %s" % " ".join(k))
for k, n in sorted(seen.items()):
    print("INFO: hcfuzz: known difference %s: lamina %s, xen %s (%s), %d times: %s" %
          (k[0], k[1], k[2], k[3], n, known[k][1]))
print("PASS: hcfuzz: lamina and xen answer alike, step by step (%d of %d calls compared, "
      "%d known differences)" % (compared, len(lam), sum(seen.values())))
PY
exit $bad
