#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Random dom0 traffic with live updates mixed in (issue 12).

  xslufuzz.py <pid> <seed> <seconds>

Seeded, random but plausible wire messages from up to 8 socket connections:
every message type (and unknown ones), transaction ids 0-3, open ones and
random ones, paths (absolute, relative, special, invalid), permissions,
watches, introduce/release/set-target of pretend domains, over-long lengths
(the daemon drops that client), clients that vanish mid-message, requests
sent without waiting for their replies, and CONTROL live-update -s at random
moments. About every 150 messages, a quiet live update: every client's
replies are drained, the whole tree (values, perms, children) and the
counts of watches and transactions are read, live-update -s is sent, and
after it everything must read back the same, from the new image (its request
counter restarted). A refused live update is a failure too: the daemon's
store must always be transferable. Prints PASS/FAIL lines; exit 1 on failure.
Socket: $XENSTORED_PATH."""
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xsclient import (Conn, XS_CONTROL, XS_DIRECTORY, XS_GET_PERMS, XS_READ,  # noqa: E402
                      XS_WATCH_EVENT, check, z)
import xsclient  # noqa: E402

NAMES = ["a", "b", "c", "dev", "vbd", "51712", "state", "x_y", "@bad", "-"]
DOMS = [1, 2, 3, 5, 8]


def rand_path(rng):
    r = rng.random()
    if r < 0.05:
        return rng.choice(["@introduceDomain", "@releaseDomain", "@other", "/", "", "//x",
                           "/a/", "bad path", "/" + "p" * rng.randint(3000, 3100)])
    depth = rng.randint(1, 4)
    comps = [rng.choice(NAMES) for _ in range(depth)]
    if r < 0.2:
        return "/".join(comps)  # relative: below /local/domain/0
    if r < 0.35:
        return f"/local/domain/{rng.choice(DOMS)}/" + "/".join(comps)
    return "/f/" + "/".join(comps)


def rand_perms(rng):
    return [rng.choice("nrwb") + str(rng.choice([0] + DOMS + [77])) for _ in range(rng.randint(1, 4))]


def rand_payload(rng, typ):
    p = rand_path(rng)
    if typ in (2, 1, 3, 13, 12):  # READ DIRECTORY GET_PERMS RM MKDIR
        return z(p)
    if typ == 11:  # WRITE
        return p.encode() + b"\0" + rng.randbytes(rng.choice([0, 1, 5, 40, 300]))
    if typ == 14:  # SET_PERMS
        return z(p, *rand_perms(rng))
    if typ in (4, 5):  # WATCH UNWATCH
        return z(p, rng.choice(["t1", "t2", "tok"]))
    if typ == 7:  # TRANSACTION_END
        return z(rng.choice(["T", "T", "F", "X"]))
    if typ == 8:  # INTRODUCE
        return z(str(rng.choice(DOMS)), str(rng.randint(1, 3)), str(rng.randint(1, 9)))
    if typ in (9, 10, 18, 19):  # RELEASE GET_DOMAIN_PATH RESUME IS_DOMAIN_INTRODUCED
        return z(str(rng.choice(DOMS + [0, 99999])))
    if typ == 20:  # SET_TARGET
        return z(str(rng.choice(DOMS)), str(rng.choice(DOMS)))
    if typ == 0:  # CONTROL
        return z(*rng.choice([["check"], ["quota"], ["quota", "1"], ["memreport"], ["help"],
                              ["live-update", "-s"], ["log", "off"], ["bogus"]]))
    if typ == 24:  # DIRECTORY_PART
        return z(p, str(rng.choice([0, 1, 2, 100])))
    return z(p) if rng.random() < 0.5 else rng.randbytes(rng.randint(0, 20))


class Client:
    def __init__(self):
        self.c = Conn()
        self.c.s.settimeout(20)
        self.pending = 0
        self.txs = []

    def drain(self, wait):
        """Read what has arrived; with @wait, until no reply is pending."""
        self.c.s.settimeout(20 if wait else 0.0001)
        try:
            while self.pending if wait else True:
                t, _, _, data = self.c.recv()
                if t == XS_WATCH_EVENT:
                    continue
                self.pending -= 1
                if t == 6 and data[:-1].isdigit():  # TRANSACTION_START
                    self.txs = (self.txs + [int(data[:-1])])[-4:]
        except (BlockingIOError, TimeoutError, OSError, EOFError):
            if wait and self.pending:
                raise
        self.c.s.settimeout(20)


def dump(c, path="/", out=None):
    """Every node below @path: value, perms, children, read outside txns."""
    out = {} if out is None else out
    val = c.call(XS_READ, z(path))
    perms = c.call(XS_GET_PERMS, z(path))
    kids = c.call(XS_DIRECTORY, z(path))
    out[path] = (val, perms, kids)
    if kids[0] == XS_DIRECTORY:
        for k in kids[1].split(b"\0")[:-1]:
            dump(c, (path.rstrip("/") + "/" + k.decode()), out)
    return out


def memreport(c):
    t, data = c.call(XS_CONTROL, z("memreport"))
    return dict(line.split(": ", 1) for line in data.decode().strip("\0\n").split("\n"))


def quiet_update(clients, obs, pid):
    for cl in clients:
        cl.drain(True)
    before, mb = dump(obs), memreport(obs)
    res = obs.call(XS_CONTROL, z("live-update", "-s"))
    if res != (XS_CONTROL, b"OK\0"):
        return f"refused: {res!r}"
    ma = memreport(obs)  # answered by the new image, first request there
    after = dump(obs)
    if int(ma["requests"].split()[0]) > 2:
        return f"no exec happened (requests {ma['requests']})"
    for k in ("nodes", "watches", "transactions"):
        if mb[k].split()[0] != ma[k].split()[0]:
            return f"{k}: {mb[k]} before, {ma[k]} after"
    if before != after:
        diff = [p for p in set(before) | set(after) if before.get(p) != after.get(p)]
        return f"tree differs at {sorted(diff)[:3]}"
    return None


def one_message(rng, cl):
    typ = rng.choice([2, 11, 11, 12, 13, 1, 3, 14, 4, 5, 6, 7, 7, 8, 9, 10, 18, 19, 20, 24,
                      0, 15, 16, 17, 99])
    tx = rng.choice([0, 0, 0, 1, 2, 3, rng.randint(4, 1 << 32 - 1)] + cl.txs * 3)
    payload = rand_payload(rng, typ)
    r = rng.random()
    if r < 0.003:  # an over-long length: the daemon drops this client
        cl.c.send_raw(struct.pack("<IIII", 2, 1, 0, 5000))
        return False
    if r < 0.006:  # vanish half-way through a message
        cl.c.send_raw(struct.pack("<IIII", 11, 1, 0, 100) + b"/half")
        return False
    cl.c.send(typ, payload[:4096], tx)
    cl.pending += 1
    if rng.random() < 0.7:
        cl.drain(True)
    return True


def main():
    pid, seed, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    rng = random.Random(seed)
    clients = [Client() for _ in range(rng.randint(2, 8))]
    obs = Conn()
    end, msgs, updates, errors = time.time() + seconds, 0, 0, []
    while time.time() < end and not errors:
        i = rng.randrange(len(clients))
        try:
            if not one_message(rng, clients[i]):
                clients[i].c.close()
                clients[i] = Client()
        except (OSError, EOFError, TimeoutError) as e:
            errors.append(f"client {i}: {e!r} after {msgs} messages")
            break
        msgs += 1
        if msgs % 150 == 0:
            try:
                err = quiet_update(clients, obs, pid)
            except (OSError, EOFError, TimeoutError) as e:
                err = f"daemon gone: {e!r}"
            updates += 1
            if err:
                errors.append(f"live update {updates} (message {msgs}): {err}")
    alive = os.path.exists(f"/proc/{pid}")
    check(f"seed {seed}: {msgs} messages, {updates} quiet live updates: everything carried "
          "across, none refused", not errors, "; ".join(errors))
    try:
        res = obs.call(XS_CONTROL, z("check")) if alive else None
    except (OSError, EOFError, TimeoutError) as e:
        res = repr(e)
    check(f"seed {seed}: daemon alive, tree consistent", res == (XS_CONTROL, b"OK\0"), repr(res))
    return 1 if xsclient.failed else 0


if __name__ == "__main__":
    sys.exit(main())
