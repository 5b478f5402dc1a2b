#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Raw xenstore wire-protocol client for the integration tests: hostile
input that libxenstore would never send, and the live-update check.

  xsclient.py hostile   run every hostile-input check, print PASS/FAIL lines
  xsclient.py liveupdate <pid>   restart the daemon in place, check no loss
  xsclient.py control <cmd> [args]   send CONTROL, print the reply
Socket: $XENSTORED_PATH."""
import os
import socket
import struct
import sys
import time

XS_CONTROL, XS_DIRECTORY, XS_READ, XS_GET_PERMS, XS_WATCH, XS_UNWATCH = 0, 1, 2, 3, 4, 5
XS_TRANSACTION_START, XS_TRANSACTION_END, XS_INTRODUCE, XS_RELEASE = 6, 7, 8, 9
XS_GET_DOMAIN_PATH, XS_WRITE, XS_MKDIR, XS_RM, XS_SET_PERMS = 10, 11, 12, 13, 14
XS_WATCH_EVENT, XS_ERROR = 15, 16
PAYLOAD_MAX = 4096
SOCK = os.environ["XENSTORED_PATH"]
failed = 0


def check(name, ok, info=""):
    global failed
    print(("PASS: " if ok else "FAIL: ") + name + (f" ({info})" if info and not ok else ""))
    if not ok:
        failed += 1


class Conn:
    def __init__(self):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # A full listen backlog gives EAGAIN (Unix sockets): retry, as a
        # blocking client would wait.
        for _ in range(1000):
            try:
                self.s.connect(SOCK)
                break
            except BlockingIOError:
                time.sleep(0.01)
        self.s.settimeout(10)
        self.req = 0
        self.events = []

    def send_raw(self, data):
        self.s.sendall(data)

    def send(self, typ, payload, tx=0, req=None):
        self.req += 1
        self.send_raw(struct.pack("<IIII", typ, req or self.req, tx, len(payload)) + payload)

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.s.recv(n - len(buf))
            if not chunk:
                raise EOFError("closed")
            buf += chunk
        return buf

    def recv(self):
        typ, req, tx, ln = struct.unpack("<IIII", self.recv_exact(16))
        return typ, req, tx, self.recv_exact(ln)

    def call(self, typ, payload, tx=0):
        self.send(typ, payload, tx)
        while True:
            t, _, _, data = self.recv()
            if t == XS_WATCH_EVENT:
                self.events.append(data)
                continue
            return t, data

    def close(self):
        self.s.close()


def z(*args):
    return b"".join(a.encode() + b"\0" for a in args)


def write(c, path, val, tx=0):
    return c.call(XS_WRITE, path.encode() + b"\0" + val.encode(), tx)


def read(c, path, tx=0):
    return c.call(XS_READ, z(path), tx)


def alive(tag):
    c = Conn()
    t1, _ = write(c, "/hostile/alive", tag)
    t2, v = read(c, "/hostile/alive")
    c.close()
    return t1 == XS_WRITE and t2 == XS_READ and v == tag.encode()


def is_err(res, name):
    return res[0] == XS_ERROR and res[1] == name.encode() + b"\0"


def hostile():
    base = Conn()
    check("setup: committed data", write(base, "/hostile/keep", "precious")[0] == XS_WRITE)

    # Length over XENSTORE_PAYLOAD_MAX: that client is dropped.
    c = Conn()
    c.send_raw(struct.pack("<IIII", XS_READ, 1, 0, PAYLOAD_MAX + 1) + b"x" * 64)
    try:
        dropped = c.s.recv(16) == b""
    except OSError:
        dropped = True
    check("oversized length drops the client", dropped)
    check("others still served after oversized", alive("1"))

    # Malformed header fields: huge type, garbage.
    c = Conn()
    check("unknown type gets ENOSYS", is_err(c.call(0xfffe, z("/x")), "ENOSYS"))
    check("reply-only type gets ENOSYS", is_err(c.call(XS_ERROR, z("EINVAL")), "ENOSYS"))
    check("missing NUL gets EINVAL", is_err(c.call(XS_READ, b"/hostile/keep"), "EINVAL"))
    check("empty payload gets EINVAL", is_err(c.call(XS_READ, b""), "EINVAL"))
    check("path too long gets EINVAL", is_err(read(c, "/" + "a" * 3100), "EINVAL"))
    check("bad path characters get EINVAL", is_err(read(c, "/a b*c"), "EINVAL"))
    check("empty component gets EINVAL", is_err(write(c, "/a//b", "x"), "EINVAL"))
    check("unknown transaction id gets ENOENT", is_err(read(c, "/hostile/keep", tx=777), "ENOENT"))
    check("end of unknown transaction gets ENOENT",
          is_err(c.call(XS_TRANSACTION_END, z("T"), tx=778), "ENOENT"))
    check("garbage header gets ENOSYS", is_err(c.call(0x41414141, b"AAAA" * 3), "ENOSYS"))
    c.close()

    # A client that never reads its watch events.
    lazy = Conn()
    lazy.send(XS_WATCH, z("/hostile/flood", "tok"))
    w = Conn()
    ok = True
    for i in range(40000):
        w.send(XS_WRITE, b"/hostile/flood\0" + b"v" * 100)
        if i % 500 == 499:
            for _ in range(500):
                if w.recv()[0] != XS_WRITE:
                    ok = False
    check("writer served while a watcher never reads", ok)
    check("others still served after the flood", alive("2"))
    lazy.close()

    # Thousands of connections.
    conns = []
    try:
        for _ in range(3000):
            conns.append(Conn())
        ok = all(read(x, "/hostile/keep") == (XS_READ, b"precious") for x in conns[::300])
        check("3000 connections at once", ok and len(conns) == 3000, f"{len(conns)}")
    except OSError as e:
        check("3000 connections at once", False, str(e))
    for x in conns:
        x.close()
    check("served after 3000 connections close", alive("3"))

    # Disconnect mid-message (header only, then half a payload).
    for cut in (7, 16, 16 + 5):
        c = Conn()
        msg = struct.pack("<IIII", XS_WRITE, 1, 0, 20) + b"/hostile/half\0abcdef"
        c.send_raw(msg[:cut])
        c.close()
    time.sleep(0.1)
    check("mid-message disconnects leave no node", is_err(read(base, "/hostile/half"), "ENOENT"))

    # Open transactions on a client that goes away are dropped with it.
    c = Conn()
    t, data = c.call(XS_TRANSACTION_START, z(""))
    tx = int(data[:-1])
    write(c, "/hostile/txn-orphan", "x", tx)
    c.close()
    time.sleep(0.1)
    check("abandoned transaction commits nothing",
          is_err(read(base, "/hostile/txn-orphan"), "ENOENT"))

    check("committed data survives everything", read(base, "/hostile/keep") == (XS_READ, b"precious"))
    base.close()


def liveupdate(pid):
    c = Conn()
    for i in range(300):
        write(c, f"/lu/node{i}", f"value{i}")
    # Nodes written later exist already: creating them would change /lu,
    # which the first transaction touched (a real conflict).
    write(c, "/lu/flood", "")
    write(c, "/lu/watched", "")
    # Three open transactions: one that wrote, one whose read node will
    # change after the update, one whose read node will not.
    def start(conn):
        return int(conn.call(XS_TRANSACTION_START, z(""))[1][:-1])
    tx = start(c)
    write(c, "/lu/in-txn", "x", tx)
    c2, c3 = Conn(), Conn()
    tx2, tx3 = start(c2), start(c3)
    read(c2, "/lu/node5", tx2)
    read(c3, "/lu/node6", tx3)
    c.call(XS_WATCH, z("/lu/watched", "tokLU"))
    c.call(XS_SET_PERMS, z("/lu/node7", "n0", "r5"))
    c.events.clear()
    # A watcher that is not reading: its queued events must not stop the
    # update, and must still be there afterwards.
    lazy = Conn()
    lazy.send(XS_WATCH, z("/lu/flood", "lazy"))
    w = Conn()
    for i in range(3000):  # distinct events: identical ones would merge
        w.send(XS_WRITE, b"/lu/flood/%d\0" % i + b"f" * 200)
    for i in range(3000):
        w.recv()
    ctl = Conn()
    res = ctl.call(XS_CONTROL, z("live-update", "-s"))
    check("live-update -s answered OK", res == (XS_CONTROL, b"OK\0"), repr(res))
    # Same process (exec in place), same connections. The old daemon checks
    # the state first (slow under valgrind): wait for the exec.
    exe_ok = False
    for _ in range(300):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                exe_ok = b"--restore-state" in f.read()
        except OSError:
            break
        if exe_ok:
            break
        time.sleep(0.1)
    check("same pid, new image (exec'd with --restore-state)", exe_ok)
    ok = all(read(c, f"/lu/node{i}") == (XS_READ, f"value{i}".encode()) for i in range(300))
    check("no node lost across live update (old connection)", ok)
    check("perms kept across live update",
          c.call(XS_GET_PERMS, z("/lu/node7")) == (XS_GET_PERMS, b"n0\0r5\0"))
    check("transaction kept: sees its own write", read(c, "/lu/in-txn", tx) == (XS_READ, b"x"))
    check("transaction kept: still invisible outside", is_err(read(ctl, "/lu/in-txn"), "ENOENT"))
    check("transaction kept: commits after the update",
          c.call(XS_TRANSACTION_END, z("T"), tx=tx) == (XS_TRANSACTION_END, b"OK\0"))
    check("its write is there after the commit", read(ctl, "/lu/in-txn") == (XS_READ, b"x"))
    write(ctl, "/lu/node5", "changed")
    write(c2, "/lu/t2", "v", tx2)
    check("a real conflict across the update is EAGAIN",
          is_err(c2.call(XS_TRANSACTION_END, z("T"), tx=tx2), "EAGAIN"))
    write(c3, "/lu/t3", "v", tx3)
    check("no false conflict across the update (generations kept)",
          c3.call(XS_TRANSACTION_END, z("T"), tx=tx3) == (XS_TRANSACTION_END, b"OK\0"))
    write(ctl, "/lu/watched", "fire")
    t, data = read(c, "/lu/watched")
    got = any(e.startswith(b"/lu/watched\0tokLU") for e in c.events)
    check("watch kept across live update", got, repr(c.events))
    n = Conn()
    check("new connections after live update", read(n, "/lu/node299") == (XS_READ, b"value299"))
    res = n.call(XS_CONTROL, z("check"))
    check("tree consistent after live update", res == (XS_CONTROL, b"OK\0"), repr(res))
    got = 0
    lazy.s.settimeout(5)
    try:
        while got < 3001:
            t, _, _, data = lazy.recv()
            got += t == XS_WATCH_EVENT
    except (OSError, EOFError):
        pass
    check("all 3001 queued events delivered across live update", got == 3001, f"{got} events")
    for x in (c, c2, c3, ctl, n, lazy, w):
        x.close()


def control(args):
    c = Conn()
    t, data = c.call(XS_CONTROL, z(*args))
    sys.stdout.write(data.rstrip(b"\0").decode(errors="replace") + "\n")
    return t == XS_CONTROL


if __name__ == "__main__":
    if sys.argv[1] == "control":
        sys.exit(0 if control(sys.argv[2:]) else 1)
    if sys.argv[1] == "hostile":
        hostile()
    elif sys.argv[1] == "liveupdate":
        liveupdate(int(sys.argv[2]))
    sys.exit(1 if failed else 0)
