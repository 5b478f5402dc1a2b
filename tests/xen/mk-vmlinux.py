#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract the uncompressed vmlinux ELF from an x86 bzImage whose payload is an
# xz stream, so Xen's dom0 builder (and libxenguest) never has to emulate the
# xz decompression under TCG.
#
#   mk-vmlinux.py BZIMAGE OUT
# The boot protocol header gives setup_sects (0x1f1), payload_offset (0x248)
# and payload_length (0x24c); the payload starts after the setup sectors.
import lzma
import os
import struct
import sys


def extract(bz):
    if bz[0x202:0x206] != b"HdrS":
        raise ValueError("not a bzImage (no HdrS magic)")
    setup_sects = bz[0x1F1] or 4
    off, length = struct.unpack_from("<II", bz, 0x248)
    start = (setup_sects + 1) * 512 + off
    payload = bz[start:start + length]
    if not payload.startswith(b"\xfd7zXZ\x00"):
        raise ValueError("payload is not an xz stream")
    elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(payload)
    if not elf.startswith(b"\x7fELF"):
        raise ValueError("decompressed payload is not an ELF")
    return elf


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mk-vmlinux.py BZIMAGE OUT")
    with open(sys.argv[1], "rb") as f:
        elf = extract(f.read())
    with open(sys.argv[2] + ".tmp", "wb") as f:
        f.write(elf)
    os.replace(sys.argv[2] + ".tmp", sys.argv[2])


if __name__ == "__main__":
    main()
