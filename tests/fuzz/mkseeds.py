#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the seed corpora of the fuzzers into tests/fuzz/corpus/ (run by
hand when a harness's input format changes; the files are kept in the tree).

  mkseeds.py [name...]     (default: every corpus this script knows)"""
import os
import struct
import sys

TOP = os.path.dirname(os.path.abspath(__file__))

# xs_wire.h message types
CONTROL, DIRECTORY, READ, GET_PERMS, WATCH, UNWATCH, TX_START, TX_END = range(8)
INTRODUCE, RELEASE, GET_DOMAIN_PATH, WRITE, MKDIR, RM, SET_PERMS = range(8, 15)
RESUME, SET_TARGET, RESET_WATCHES, DIRECTORY_PART = 18, 19, 21, 24


def z(*args):
    return b"".join(a.encode() + b"\0" for a in args)


def step(conn, typ, payload, tx=0, keep=False):
    """One xs_msgs step: tx selector 0 = none, 2 = last started."""
    ln = len(payload)
    head = bytes([conn | (0x80 if keep else 0), typ, tx])
    if ln < 255:
        return head + bytes([ln]) + payload
    return head + b"\xff" + struct.pack("<H", ln) + payload


def xs_msgs():
    home = [step(0, MKDIR, z("/local/domain/1")), step(0, SET_PERMS, z("/local/domain/1", "n1")),
            step(0, MKDIR, z("/local/domain/2")), step(0, SET_PERMS, z("/local/domain/2", "n2", "r1"))]
    h = b"".join(home)
    return {
        "dom0-basic": step(0, WRITE, b"/a/b\0hello") + step(0, READ, z("/a/b")) +
        step(1, DIRECTORY, z("/a")) + step(0, GET_PERMS, z("/a/b")) + step(1, RM, z("/a")),
        "guest-home": h + step(2, WRITE, b"data/x\0v") + step(2, READ, z("data/x")) +
        step(3, READ, z("/local/domain/1/data/x")) + step(2, DIRECTORY, z("data")),
        "txn-commit": h + step(2, TX_START, z("")) + step(2, WRITE, b"t/a\0" + b"1", 2) +
        step(2, WRITE, b"t/b\0" + b"2", 2) + step(2, TX_END, z("T"), 2),
        "txn-rm-full": h + b"".join(step(2, WRITE, b"r/%d/x\0v" % i) for i in range(4)) +
        step(2, TX_START, z("")) + step(2, READ, z("r/0/x"), 2) + step(2, RM, z("r"), 2) +
        step(2, TX_END, z("T"), 2),
        # 11 nodes, then an RM of them all in a transaction: more than its 10
        # nodes (ENOSPC, nothing removed; before issue 12, orphans).
        "txn-rm-over-limit": h + b"".join(step(2, WRITE, b"r/%d/x\0v" % i) for i in range(5)) +
        step(2, TX_START, z("")) + step(2, RM, z("r"), 2) + step(2, TX_END, z("T"), 2),
        "txn-conflict": h + step(2, WRITE, b"c\0" + b"0") + step(2, TX_START, z("")) +
        step(2, READ, z("c"), 2) + step(0, WRITE, b"/local/domain/1/c\0" + b"9") +
        step(2, WRITE, b"c\0" + b"1", 2) + step(2, TX_END, z("T"), 2),
        "watches": h + step(2, WATCH, z("w", "tok")) + step(0, WATCH, z("@releaseDomain", "r")) +
        step(2, WRITE, b"w/x\0" + b"1", keep=True) + step(2, UNWATCH, z("w", "tok")) +
        step(2, RESET_WATCHES, b""),
        "perms-quota": h + step(2, WRITE, b"p\0" + b"v" * 200) +
        step(2, SET_PERMS, z("p", "n1", "r2", "w3")) + step(3, READ, z("/local/domain/1/p")) +
        b"".join(step(2, MKDIR, z("q/%d" % i)) for i in range(14)),
        "domains": step(0, INTRODUCE, z("7", "77", "3")) + step(0, GET_DOMAIN_PATH, z("7")) +
        step(0, SET_TARGET, z("7", "1")) + step(0, RESUME, z("7")) +
        step(0, RELEASE, z("7")) + step(0, RELEASE, z("1")),
        "live-update": h + step(2, WATCH, z("lu", "t")) + step(2, TX_START, z("")) +
        step(2, WRITE, b"lu/a\0" + b"1", 2) + step(2, READ, z("nothing/here"), 2) +
        step(0, CONTROL, z("live-update", "-s")) + step(2, TX_END, z("T"), 2) +
        step(2, READ, z("lu/a")),
        "target": h + step(5, WRITE, b"/local/domain/1/by5\0" + b"x") +
        step(5, SET_PERMS, z("/local/domain/1/by5", "n1", "r5")) + step(4, READ, z("/")),
        "directory-part": step(0, WRITE, b"/d/" + b"n" * 100 + b"\0") +
        step(0, DIRECTORY_PART, z("/d", "0")) + step(0, CONTROL, z("check")),
        "bad-frames": step(0, 99, b"junk") + step(1, READ, b"no-nul") +
        step(2, WRITE, b"") + step(0, 255, b"") + bytes([0, 2, 0, 255, 0x88, 0x13]),
    }


CORPORA = {"xs_msgs": xs_msgs}


def main():
    for name in sys.argv[1:] or CORPORA:
        d = os.path.join(TOP, "corpus", name)
        os.makedirs(d, exist_ok=True)
        for seed, data in CORPORA[name]().items():
            with open(os.path.join(d, seed), "wb") as f:
                f.write(data)
        print(f"{name}: {len(CORPORA[name]())} seeds in {d}")


if __name__ == "__main__":
    main()
