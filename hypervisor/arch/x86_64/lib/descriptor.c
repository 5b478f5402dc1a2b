// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest segment descriptors (see asm/descriptor.h). The descriptor is handled
 * as its two 32-bit words, as the architecture lays it out:
 *
 *   low:  limit 15:0 | base 15:0        (call gate: offset 15:0 | selector)
 *   high: base 23:16 | type 11:8 | S 12 | DPL 14:13 | P 15 | ...
 */
#include <asm/descriptor.h>

#include <xen/xen.h>

#define SEG_P (1u << 15)
#define SEG_S (1u << 12)
#define SEG_DPL (3u << 13)
#define SEG_TYPE (0xfu << 8)
#define TYPE_CALL_GATE (0xcu << 8)
#define GATE_RESERVED 0xffu /* parameter count and reserved bits */

/* Where a call gate may lead: Xen's guest_gate_selector_okay for 64-bit. */
static bool gate_selector_ok(uint16_t sel)
{
	return (sel >> 3) < FIRST_RESERVED_GDT_ENTRY || sel == FLAT_KERNEL_CS || (sel & 4);
}

bool pv_check_descriptor(uint64_t *desc)
{
	uint32_t a = (uint32_t)*desc, b = (uint32_t)(*desc >> 32);
	unsigned int dpl;
	uint16_t cs;

	if (!(b & SEG_P))
		return true;
	dpl = (b >> 13) & 3;
	if (dpl < 3)
		dpl = 3;
	b = (b & ~SEG_DPL) | (uint32_t)dpl << 13;
	if (!(b & SEG_S)) {
		if ((b & SEG_TYPE) == 0)
			return true; /* as it was: the upper half of a call gate */
		if ((b & SEG_TYPE) != TYPE_CALL_GATE)
			return false;
		cs = (uint16_t)(a >> 16);
		if (!gate_selector_ok(cs))
			return false;
		b &= ~SEG_DPL;
		cs = (uint16_t)((cs & ~3u) | dpl);
		a = (a & 0xffffu) | (uint32_t)cs << 16;
		if (b & GATE_RESERVED)
			return false;
	}
	*desc = (uint64_t)b << 32 | a;
	return true;
}
