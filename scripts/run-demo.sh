#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make run`: boot build/lamina under QEMU with the demo kernel as dom0
# (demo/demo.c, build/guest-pv/demo.elf), stream the serial console as it
# comes (the hypervisor's lines and the domains'), and end with a verdict:
# exit 0 only when QEMU ended with code 0 and every domain printed its RESULT
# line with no failed check.
#   run-demo.sh [KERNEL [DOM0-CMDLINE]]
# Its log is build/run-demo.log.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:-$top/build/guest-pv/demo.elf}
cmdline=${2:-demo domus=1}
log=$top/build/run-demo.log
timeout=60

# The domains of the demo, "NAME|KERNEL|COMMAND LINE", one module each: dom0
# is the first. Once the hypervisor builds boot-time guests, a guest is one
# more line here (passed the way the hypervisor takes them: further modules,
# or its command line); each domain prints its own RESULT line on the
# console and the verdict needs all of them.
domains=("dom0|$kernel|$cmdline"
	"dom1|$top/build/guest-pv/two-domain-domu.elf|")
# How the hypervisor builds the boot-time guests: one domu= each (docs/hypervisor.md).
domus='domu=1,mem=16M,cmdline="mode=demo"'

if [ ! -f "$top/build/lamina" ]; then
	echo "run-demo: build first (make all): no build/lamina" >&2
	exit 2
fi
modules=()
names=()
for d in "${domains[@]}"; do
	IFS='|' read -r name k args <<<"$d"
	[ -f "$k" ] || { echo "run-demo: build first (make all): no $k for $name" >&2; exit 2; }
	modules+=(--module "$k $args")
	names+=("$name ($(basename "$k"))")
done

cat <<EOF
== make run: Lamina, a Xen-compatible PV hypervisor, in a QEMU machine (2 CPUs, 512 MiB) ==
Domains: ${names[*]}. What the console below shows:
  (LAMINA) ...   the hypervisor: boot, memory, CPUs, building dom0 from the first module
  demo: N. ...   dom0, a small guest-pv kernel in ring 3, trying one part of the Xen 4.17 PV ABI
  (d1) ...       dom1, a boot-time unprivileged domain scheduled beside dom0, its console_io lines
  PASS / FAIL    a check dom0 made on what Lamina answered (the same kernel passes on real Xen 4.17)
  INFO           what it saw on the way
It ends by itself: dom0 powers off and Lamina ends the machine with dom0's code.
------------------------------------------------------------------------------------------
EOF

mkdir -p "$(dirname "$log")"
: >"$log"
t0=$(date +%s)
"$top/scripts/qemu-run.sh" --kernel "$top/build/lamina" --append "console=com1 loglvl=info $domus" \
	"${modules[@]}" --smp 2 --timeout "$timeout" --log "$log" &
qpid=$!
tail -n +1 -f --pid=$qpid "$log" 2>/dev/null | tr -d '\r'
wait $qpid
rc=$?
secs=$(($(date +%s) - t0))
echo "------------------------------------------------------------------------------------------"

clean=$(tr -d '\r\000' <"$log")
results=$(echo "$clean" | grep -cE '^(\(d[0-9]+\) )?RESULT: ')
passed=$(echo "$clean" | grep -cE '^(\(d[0-9]+\) )?PASS: ')
failed=$(echo "$clean" | grep -cE '^(\(d[0-9]+\) )?FAIL: ')
why=
case $rc in
0) ;;
124) why="the machine did not end within ${timeout} s" ;;
125) why="QEMU stopped without a verdict (reset or power-off)" ;;
126) why="QEMU could not run" ;;
*) why="the machine ended with code $rc" ;;
esac
[ -z "$why" ] && [ "$results" -lt ${#domains[@]} ] &&
	why="$results of ${#domains[@]} domains printed their RESULT line"
[ -z "$why" ] && [ "$failed" -gt 0 ] && why="$failed checks failed"
[ -z "$why" ] && [ "$passed" = 0 ] && why="no check ran"
if [ -z "$why" ]; then
	echo "make run: PASS: Lamina booted ${#domains[@]} domain(s); $passed checks passed," \
		"none failed; the machine ended with code 0 after $secs s (log: build/run-demo.log)"
	exit 0
fi
echo "make run: FAILED: $why; $passed checks passed, $failed failed (log: build/run-demo.log)"
echo "$clean" | grep -E '^(\(d[0-9]+\) )?FAIL: ' | head -n 10
[ $rc = 0 ] && rc=1
exit $rc
