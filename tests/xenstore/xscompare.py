#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Differential test: the same raw requests to Lamina's xenstored and to
Xen 4.17's C xenstored, replies and watch events compared one by one.

  xscompare.py <lamina-socket> <xen-socket>
One PASS/FAIL line per request (the request's name). Numbers that are
allowed to differ (transaction ids, directory generations) are masked.
Deliberate differences (docs/xenstore.md) are not sent: Xen reads a bad
domid as 0 ("abc" -> dom0), Lamina answers EINVAL."""
import select
import socket
import struct
import sys

XS = dict(CONTROL=0, DIRECTORY=1, READ=2, GET_PERMS=3, WATCH=4, UNWATCH=5, TXN_START=6,
          TXN_END=7, INTRODUCE=8, RELEASE=9, GET_DOMAIN_PATH=10, WRITE=11, MKDIR=12, RM=13,
          SET_PERMS=14, WATCH_EVENT=15, ERROR=16, IS_INTRODUCED=17, RESUME=18, SET_TARGET=19,
          RESET_WATCHES=21, DIRECTORY_PART=22)
failed = 0


class Conn:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(5)
        self.s.connect(path)
        self.buf = b""

    def _msg(self, wait):
        while len(self.buf) < 16 or len(self.buf) < 16 + struct.unpack("<IIII", self.buf[:16])[3]:
            if not wait and not select.select([self.s], [], [], 0.05)[0]:
                return None
            data = self.s.recv(65536)
            if not data:
                raise EOFError
            self.buf += data
        typ, req, tx, ln = struct.unpack("<IIII", self.buf[:16])
        payload = self.buf[16:16 + ln]
        self.buf = self.buf[16 + ln:]
        return typ, req, tx, payload

    def call(self, typ, payload, tx=0, linger=True):
        self.s.sendall(struct.pack("<IIII", typ, 77, tx, len(payload)) + payload)
        events = []
        while True:
            m = self._msg(True)
            if m[0] == XS["WATCH_EVENT"]:
                events.append(m[3])
                continue
            reply = m
            break
        while linger:  # events queued right after the reply
            m = self._msg(False)
            if m is None:
                break
            events.append(m[3])
        return reply[0], reply[3], sorted(events)


def z(*args):
    return b"".join(a.encode() + b"\0" for a in args)


def script():
    """(name, type, payload, tx-key or None, mask) for every request."""
    big = "/c/big/" + "x" * 40
    steps = [
        ("write", "WRITE", b"/c/a\0one"), ("read", "READ", z("/c/a")),
        ("read missing", "READ", z("/c/missing")), ("read parent", "READ", z("/c")),
        ("mkdir", "MKDIR", z("/c/d")), ("mkdir existing", "MKDIR", z("/c/d")),
        ("mkdir deep", "MKDIR", z("/c/e/f/g")), ("directory", "DIRECTORY", z("/c")),
        ("directory of leaf", "DIRECTORY", z("/c/a")),
        ("directory missing", "DIRECTORY", z("/c/none")),
        ("rm missing child", "RM", z("/c/missing")), ("rm missing parent", "RM", z("/zz/y")),
        ("rm root", "RM", z("/")), ("rm subtree", "RM", z("/c/e")),
        ("read removed", "READ", z("/c/e/f/g")),
        ("write //", "WRITE", b"/c//x\0v"), ("write trailing /", "WRITE", b"/c/x/\0v"),
        ("write bad char", "WRITE", b"/c/a b\0v"), ("write no value NUL", "WRITE", b"/c/nonul"),
        ("read empty", "READ", b""), ("read no NUL", "READ", b"/c/a"),
        ("read two args", "READ", z("/c/a", "/c/d")),
        ("read long path", "READ", z("/" + "l" * 3100)),
        ("write binary", "WRITE", b"/c/bin\0a\0b\0"), ("read binary", "READ", z("/c/bin")),
        ("write empty value", "WRITE", b"/c/empty\0"), ("read empty value", "READ", z("/c/empty")),
        ("write relative", "WRITE", b"rel/x\0r"), ("read relative abs", "READ", z("/local/domain/0/rel/x")),
        ("unknown type", 999, z("/c")), ("error as request", "ERROR", z("EINVAL")),
        ("event as request", "WATCH_EVENT", z("/c", "t")),
        ("get perms", "GET_PERMS", z("/c/a")),
        ("set perms", "SET_PERMS", z("/c/a", "n0", "r1", "b2", "w3")),
        ("get perms after", "GET_PERMS", z("/c/a")),
        ("set perms bad", "SET_PERMS", z("/c/a", "x1")),
        ("set perms no id", "SET_PERMS", z("/c/a", "r")),
        ("set perms none", "SET_PERMS", z("/c/a")),
        ("set perms missing", "SET_PERMS", z("/c/none", "n0")),
        ("perms special", "GET_PERMS", z("@introduceDomain")),
        ("set perms special", "SET_PERMS", z("@releaseDomain", "n0", "r3")),
        ("watch unknown special", "WATCH", z("@bogus", "b")),
        ("initial tree", "DIRECTORY", z("/tool")),
        ("write special", "WRITE", b"@foo\0v"),
        ("domain path", "GET_DOMAIN_PATH", z("7")),
        ("introduced 0", "IS_INTRODUCED", z("0")), ("introduced 5", "IS_INTRODUCED", z("5")),
        ("release unknown", "RELEASE", z("5")), ("resume unknown", "RESUME", z("5")),
        ("set target unknown", "SET_TARGET", z("5", "6")),
        ("introduce 2 args", "INTRODUCE", z("5", "100")),
        ("txn end unknown", "TXN_END", z("T"), 4242),
        ("txn end tx 0", "TXN_END", z("T")),
        ("read in unknown txn", "READ", z("/c/a"), 4243),
        ("watch", "WATCH", z("/c", "tok")), ("watch dup", "WATCH", z("/c", "tok")),
        ("watch bad path", "WATCH", z("/c//x", "tok")),
        ("watch special", "WATCH", z("@releaseDomain", "rel")),
        ("watch relative", "WATCH", z("rel", "r")),
        ("write watched", "WRITE", b"/c/d/x\0w"),
        ("write watched relative", "WRITE", b"/local/domain/0/rel/y\0w"),
        ("write unwatched", "WRITE", b"/cc\0w"),
        ("watch below", "WATCH", z("/c/d/x", "below")),
        ("watch below missing", "WATCH", z("/c/d/x/none", "none")),
        ("rm watched", "RM", z("/c/d")),
        ("unwatch", "UNWATCH", z("/c", "tok")), ("unwatch again", "UNWATCH", z("/c", "tok")),
        ("write after unwatch", "WRITE", b"/c/a\0two"),
        ("reset watches", "RESET_WATCHES", b""),
        ("write after reset", "WRITE", b"/local/domain/0/rel/z\0w"),
        ("dir part", "DIRECTORY_PART", z("/c", "0")),
        ("dir part end", "DIRECTORY_PART", z("/c", "9999")),
        ("dir part leaf", "DIRECTORY_PART", z("/c/a", "0")),
        ("dir part no offset", "DIRECTORY_PART", z("/c")),
        ("write big name", "WRITE", (big + "\0v").encode()),
        ("control bad", "CONTROL", z("no-such-command")),
    ]
    return steps


def mask(typ, payload, name):
    if name.startswith("dir part") and typ == XS["DIRECTORY_PART"]:
        return payload[payload.index(b"\0"):]  # generation differs
    return payload


def run(lam_path, xen_path):
    lam, xen = Conn(lam_path), Conn(xen_path)
    global failed
    for step in script():
        name, typ, payload = step[0], step[1], step[2]
        tx = step[3] if len(step) > 3 else 0
        t = XS[typ] if isinstance(typ, str) else typ
        a = lam.call(t, payload, tx)
        b = xen.call(t, payload, tx)
        a = (a[0], mask(a[0], a[1], name), a[2])
        b = (b[0], mask(b[0], b[1], name), b[2])
        if a == b:
            print(f"PASS: same as Xen: {name}")
        else:
            print(f"FAIL: same as Xen: {name}")
            print(f"INFO: {name}: lamina {a!r} xen {b!r}")
            failed += 1
    # A transaction, ids masked: start, write, isolation, conflict.
    res = []
    for conn in (lam, xen):
        out = []
        _, tid, _ = conn.call(XS["TXN_START"], z(""))
        tid = int(tid[:-1])
        out.append(conn.call(XS["WRITE"], b"/t/in\0x", tid)[:2])
        out.append(conn.call(XS["READ"], z("/t/in"))[:2])
        out.append(conn.call(XS["READ"], z("/t/in"), tid)[:2])
        out.append(conn.call(XS["TXN_START"], z(""), tid)[:2])
        out.append(conn.call(XS["WRITE"], b"/t/in\0y")[:2])
        out.append(conn.call(XS["TXN_END"], z("T"), tid)[:2])
        out.append(conn.call(XS["READ"], z("/t/in"))[:2])
        out.append(conn.call(XS["TXN_END"], z("T"), tid)[:2])
        res.append(out)
    if res[0] == res[1]:
        print("PASS: same as Xen: transaction conflict sequence")
    else:
        print("FAIL: same as Xen: transaction conflict sequence")
        print(f"INFO: lamina {res[0]!r} xen {res[1]!r}")
        failed += 1
    conflicts(lam_path, xen_path)


# What a transaction does, then what another client does before the commit.
CONFLICTS = [
    ("create child / sibling created", [("WRITE", b"/p/a\0v")], ("WRITE", b"/p/b\0v")),
    ("write child / sibling created", [("WRITE", b"/p/x\0w")], ("WRITE", b"/p/c\0v")),
    ("directory / child's value written",
     [("DIRECTORY", z("/p")), ("WRITE", b"/q\0v")], ("WRITE", b"/p/x\0q")),
    ("read / same node written", [("READ", z("/p/x")), ("WRITE", b"/q2\0v")],
     ("WRITE", b"/p/x\0q")),
    ("write child / sibling removed", [("WRITE", b"/p/x\0z")], ("RM", z("/p/c"))),
    ("read missing / it is created", [("READ", z("/p/new")), ("WRITE", b"/q3\0v")],
     ("WRITE", b"/p/new\0v")),
    ("create below / parent written", [("WRITE", b"/p/x/deep\0v")],
     ("WRITE", b"/p/x\0parentval")),
    ("rm subtree / node inside written", [("RM", z("/p/x"))], ("WRITE", b"/p/x/deep\0w")),
    ("set perms / value written", [("SET_PERMS", z("/p/b", "n0", "r1"))],
     ("WRITE", b"/p/b\0new")),
    ("create at / / another created at /", [("WRITE", b"/u1\0v")], ("WRITE", b"/u2\0v")),
    ("write / another node written", [("WRITE", b"/p/x\0t")], ("WRITE", b"/p/b\0o")),
    ("create sibling / sibling created",
     [("WRITE", b"/p/new1\0v")], ("WRITE", b"/p/new2\0v")),
]


def conflicts(lam, xen):
    """Each case on both daemons: the commit's answer must be the same."""
    global failed
    for name, ops, other in CONFLICTS:
        answers = []
        for path in (lam, xen):
            c, o = Conn(path), Conn(path)
            c.call(XS["WRITE"], b"/p/x\0v")
            c.call(XS["WRITE"], b"/p/b\0v")
            c.call(XS["WRITE"], b"/p/c\0v")
            tid = int(c.call(XS["TXN_START"], z(""))[1][:-1])
            for typ, payload in ops:
                c.call(XS[typ], payload, tid)
            o.call(XS[other[0]], other[1])
            answers.append(c.call(XS["TXN_END"], z("T"), tid)[1])
            c.call(XS["RM"], z("/p"))
        if answers[0] == answers[1]:
            print(f"PASS: same as Xen: conflict? {name} ({answers[0][:-1].decode()})")
        else:
            print(f"FAIL: same as Xen: conflict? {name}")
            print(f"INFO: lamina {answers[0]!r} xen {answers[1]!r}")
            failed += 1


if __name__ == "__main__":
    run(sys.argv[1], sys.argv[2])
    sys.exit(1 if failed else 0)
