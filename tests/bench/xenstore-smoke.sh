#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Smoke test of the xenstore benchmark: runs tests/bench/xenstore with a tiny
# iteration count against all four daemons and checks that each one answered
# every operation correctly (the client checks every value it reads back, and
# a shared transaction counter must equal the commits), then feeds the floor
# responder hostile input and checks that it drops only the offender. No
# timing is asserted. One PASS/FAIL line per check.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/build/tests/bench
fails=0
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; fails=$((fails + 1)); }

out=$(mktemp /tmp/xsbench-smoke.XXXXXX)
work=$(mktemp -d /tmp/xsbench-smoke.XXXXXX)
fpid=
cleanup() {
	[ -n "$fpid" ] && kill "$fpid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$out" "$work"
}
trap cleanup EXIT

timeout 120 bash "$top/tests/bench/xenstore" --iters 40 --rounds 1 \
	--txns 48 --clients 1,4,16 --timeout 20 >"$out" 2>&1
rc=$?
if [ $rc = 0 ]; then
	pass "xenstore-bench script ran"
else
	fail "xenstore-bench script ran (rc $rc)"
	tail -n 20 "$out"
fi

nrows=$((5 + 3 * 2))
for name in floor lamina xen-c oxen; do
	line=$(grep "^DAEMON $name " "$out")
	verdict=$(echo "$line" | awk '{ print $3 }')
	rows=$(grep -c "^BENCH: xenstore $name .* errors=0$" "$out")
	if [ "$verdict" = ok ] && [ "$rows" = $nrows ]; then
		pass "xenstore-bench $name answered every op correctly ($rows rows)"
	else
		echo "INFO: $name: ${line:-no verdict}; $rows of $nrows rows clean"
		grep "^BENCH: xenstore $name " "$out" | grep -v 'errors=0$' | sed 's/^BENCH:/INFO:/'
		fail "xenstore-bench $name answered every op correctly"
	fi
done

# The client refuses a bad command line instead of running on garbage.
"$bin/xs_bench_client" --iters 0 >/dev/null 2>&1
[ $? = 2 ] && pass "xs_bench_client rejects --iters 0" ||
	fail "xs_bench_client rejects --iters 0"
"$bin/xs_bench_client" --bogus >/dev/null 2>&1
[ $? = 2 ] && pass "xs_bench_client rejects an unknown option" ||
	fail "xs_bench_client rejects an unknown option"

# Hostile input against the floor: each offender is dropped or gets an
# ERROR, and a well-behaved client is still served afterwards.
"$bin/xs_null_responder" "$work/socket" >"$work/floor.log" 2>&1 &
fpid=$!
for _ in $(seq 50); do [ -S "$work/socket" ] && break; sleep 0.1; done

# The checks can fail: the floor stores nothing, so a client that expects a
# real store must find wrong values in every row that reads data back.
XENSTORED_PATH=$work/socket timeout 20 "$bin/xs_bench_client" --iters 10 \
	--rounds 1 --txns 8 --clients 1 >"$work/neg.out" 2>&1
rc=$?
bad=$(grep -c -E '^(OP (write|read|directory|transaction)|CONTEND 1-(disjoint|shared)) .*errors=[1-9]' "$work/neg.out")
if [ $rc = 1 ] && [ "$bad" = 6 ]; then
	pass "client reports the floor's empty answers as wrong (6 rows)"
else
	cat "$work/neg.out"
	fail "client reports the floor's empty answers as wrong (rc $rc, $bad rows)"
fi

python3 - "$work/socket" <<'EOF'
import socket, struct, sys, time

path = sys.argv[1]
XS_READ, XS_WATCH, XS_ERROR, XS_WATCH_EVENT = 2, 4, 16, 15

def conn():
    for _ in range(500):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.connect(path)
            return s
        except BlockingIOError:  # backlog full for a moment
            s.close()
            time.sleep(0.01)
    raise OSError("cannot connect")

def send(s, typ, body, req=7, length=None):
    s.sendall(struct.pack("<IIII", typ, req, 0,
                          len(body) if length is None else length) + body)

def reply(s):
    hdr = b""
    while len(hdr) < 16:
        chunk = s.recv(16 - len(hdr))
        if not chunk:
            return None
        hdr += chunk
    typ, req, tx, ln = struct.unpack("<IIII", hdr)
    body = b""
    while len(body) < ln:
        body += s.recv(ln - len(body))
    return typ, req, body

def check(name, ok):
    print(("PASS: " if ok else "FAIL: ") + name)
    return ok

good = True
s = conn()
send(s, 9999, b"x\0")
good &= check("floor answers an unknown type with ERROR EINVAL",
              reply(s) == (XS_ERROR, 7, b"EINVAL\0"))
send(s, XS_WATCH, b"/no-nul")
good &= check("floor answers a WATCH without NUL terminators with EINVAL",
              reply(s) == (XS_ERROR, 7, b"EINVAL\0"))
s.close()

s = conn()
send(s, XS_READ, b"", length=4097)
try:
    dropped = s.recv(16) == b""
except OSError:
    dropped = True
good &= check("floor drops a client whose length exceeds XENSTORE_PAYLOAD_MAX",
              dropped)
s.close()

s = conn()
s.sendall(struct.pack("<IIII", XS_READ, 1, 0, 100) + b"/half")
s.close()

# More connections than the table holds: the extra ones are closed, the
# first ones are still served.
many = [conn() for _ in range(300)]
send(many[0], XS_READ, b"/a\0", req=5)
first_ok = reply(many[0]) == (XS_READ, 5, b"")
try:
    send(many[-1], XS_READ, b"/a\0", req=6)
    last_closed = reply(many[-1]) is None
except OSError:
    last_closed = True
good &= check("floor serves its first 256 connections and closes the rest",
              first_ok and last_closed)
for c in many:
    c.close()

# The responder notices the 300 hang-ups in its own time: until then a new
# connection may still find the table full and be closed, so try a while.
served = False
for _ in range(100):
    s = conn()
    try:
        send(s, XS_READ, b"/a\0", req=42)
        served = reply(s) == (XS_READ, 42, b"")
    except OSError:
        served = False
    if served:
        break
    s.close()
    time.sleep(0.02)
good &= check("floor still serves others after hostile clients", served)
if not served:
    s = conn()
send(s, XS_WATCH, b"/w\0tok\0", req=43)
r1, r2 = reply(s), reply(s)
good &= check("floor acks WATCH and sends the initial event",
              r1 == (XS_WATCH, 43, b"OK\0") and
              r2 == (XS_WATCH_EVENT, 0, b"/w\0tok\0"))
s.close()
sys.exit(0 if good else 1)
EOF
[ $? = 0 ] || fails=$((fails + 1))
kill -0 "$fpid" 2>/dev/null && pass "floor responder survived hostile input" ||
	fail "floor responder survived hostile input"

exit $((fails != 0))
