// SPDX-License-Identifier: GPL-2.0-only
/*
 * insn_tool BLOB MODE: for each "offset length kind" line on stdin, decode
 * the instruction at that offset of BLOB (MODE 64 or 32) and print
 * "PASS: ..." when x86_64/lib/insn_decode finds that kind and that length, or
 * "FAIL: ..." with what it found. The offsets and lengths come from GNU as,
 * which assembled the instructions (insn_vs_gas.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <asm/insn_decode.h>

int main(int argc, char **argv)
{
	static unsigned char blob[65536];
	unsigned long off, len;
	char kind[64], line[256];
	int bad = 0, n = 0;
	size_t size;
	FILE *f;

	if (argc != 3 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: %s BLOB 64|32 < offsets\n", argv[0]);
		return 2;
	}
	size = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	while (fgets(line, sizeof(line), stdin)) {
		struct pv_insn i;
		int rc;

		if (sscanf(line, "%lx %lu %63s", &off, &len, kind) != 3 || off >= size)
			continue;
		rc = pv_insn_decode(blob + off, size - off, !strcmp(argv[2], "64"), &i);
		n++;
		if (rc == 0 && i.len == len && !strcmp(pv_insn_kind_name(i.kind), kind)) {
			printf("PASS: %s-bit %s: %lu bytes as GNU as encodes it\n", argv[2], kind,
			       len);
		} else {
			printf("FAIL: %s-bit %s at %#lx: gas %lu bytes; decoder rc %d, %s, %u "
			       "bytes\n",
			       argv[2], kind, off, len, rc, pv_insn_kind_name(i.kind), i.len);
			bad = 1;
		}
	}
	return n ? bad : 1;
}
