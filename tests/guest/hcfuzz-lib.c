// SPDX-License-Identifier: MIT
/*
 * hcfuzz's choices: the seeded generator and the argument pickers every row
 * uses. Each picker mostly gives something valid from the state and
 * sometimes something hostile, always from the generator, so a seed replays
 * the same run on any hypervisor that answers the same.
 */
#include <gpv/mm.h>

#include "hcfuzz.h"

uint64_t hcf_rand(struct hcf_state *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

unsigned int hcf_below(struct hcf_state *s, unsigned int n)
{
	return n ? (unsigned int)(hcf_rand(s) % n) : 0;
}

bool hcf_chance(struct hcf_state *s, unsigned int percent)
{
	return hcf_below(s, 100) < percent;
}

unsigned int hcf_pg(struct hcf_state *s)
{
	return hcf_below(s, HCF_POOL);
}

unsigned long hcf_frame(struct hcf_state *s, enum hcf_frame k)
{
	switch (k) {
	case HCF_FR_POOL:
		return s->pg[hcf_pg(s)].mfn;
	case HCF_FR_SHINFO:
		return s->shinfo_mfn;
	case HCF_FR_M2P:
		return s->m2p_mfn;
	case HCF_FR_L4:
		return s->l4_mfn;
	default:
		/* Frame 2^39 on: machine addresses of 2^51, beyond any RAM or I/O. */
		return (1UL << 39) + hcf_below(s, 4096);
	}
}

unsigned long hcf_any_frame(struct hcf_state *s)
{
	if (hcf_chance(s, 80))
		return hcf_frame(s, HCF_FR_POOL);
	return hcf_frame(s, (enum hcf_frame)(1 + hcf_below(s, HCF_FR_NR - 1)));
}

unsigned long hcf_data_frame(struct hcf_state *s)
{
	unsigned long mfn = hcf_any_frame(s);

	return mfn == s->shinfo_mfn ? hcf_frame(s, HCF_FR_M2P) : mfn;
}

unsigned long hcf_ptr(struct hcf_state *s, void *good)
{
	if (hcf_chance(s, 85))
		return (unsigned long)good;
	switch (hcf_below(s, 7)) {
	case 0:
		return HCF_UNMAPPED + hcf_below(s, 1 << 20);
	case 1:
		return HCF_XENRANGE + (hcf_rand(s) & 0xffffff8UL);
	case 2:
		return HCF_NONCANON | (hcf_rand(s) & 0xfffffffff8UL);
	case 3:
		return (unsigned long)s->ro + 8 * hcf_below(s, 512); /* read-only */
	case 4:
		/*
		 * Straddles: one byte readable, so any argument of two bytes or
		 * more runs into the hole (the scratch page's last bytes hold
		 * what earlier calls left, which differs between hypervisors).
		 */
		return (unsigned long)s->hole - 1;
	case 5:
		return (unsigned long)s->hole + hcf_below(s, 4096);
	default:
		/* Not NULL: this kernel is linked at 0, and its code is mapped there. */
		return (1UL << 47) - 4096 + 8 * hcf_below(s, 512);
	}
}

unsigned long hcf_in_ptr(struct hcf_state *s, void *good, size_t size)
{
	unsigned long p = hcf_ptr(s, good);

	if (p == (unsigned long)good)
		return p;
	if ((p >= (unsigned long)s->ro && p < (unsigned long)s->ro + 4096) ||
	    (p >= (unsigned long)s->edge && p < (unsigned long)s->hole)) {
		if (size < 16)
			return (unsigned long)s->hole;
		return (unsigned long)s->hole -
		       8 * (1 + hcf_below(s, (unsigned int)(size / 8 - 1)));
	}
	return p;
}

void hcf_own_port(struct hcf_state *s, int port)
{
	for (unsigned int i = 0; i < HCF_MAX_OWNED; i++)
		if (s->owned[i] == port)
			return;
	for (unsigned int i = 0; i < HCF_MAX_OWNED; i++) {
		if (s->owned[i] < 0) {
			s->owned[i] = port;
			return;
		}
	}
}

void hcf_drop_port(struct hcf_state *s, int port)
{
	for (unsigned int i = 0; i < HCF_MAX_OWNED; i++)
		if (s->owned[i] == port)
			s->owned[i] = -1;
}

uint32_t hcf_port(struct hcf_state *s)
{
	unsigned int pick = hcf_below(s, 100);

	if (pick < 70) {
		int p = s->owned[hcf_below(s, HCF_MAX_OWNED)];

		if (p >= 0)
			return (uint32_t)p;
	}
	if (pick < 85)
		return hcf_below(s, HCF_PORTS);
	switch (hcf_below(s, 4)) {
	case 0:
		return 0;
	case 1:
		return 4096 + hcf_below(s, 4); /* beyond 2-level */
	case 2:
		return (1U << 17) + hcf_below(s, 2); /* beyond FIFO */
	default:
		return (uint32_t)hcf_rand(s);
	}
}

uint32_t hcf_vcpu(struct hcf_state *s)
{
	switch (hcf_below(s, 10)) {
	case 0:
		return 1;
	case 1:
		return 100 + hcf_below(s, 4);
	case 2:
		return (uint32_t)hcf_rand(s);
	default:
		return 0;
	}
}

domid_t hcf_dom(struct hcf_state *s)
{
	static const domid_t others[] = { 7, 0x7ff0, DOMID_IO, DOMID_XEN, DOMID_INVALID, 1 };

	switch (hcf_below(s, 10)) {
	case 0:
	case 1:
		return others[hcf_below(s, GPV_ARRAY_SIZE(others))];
	case 2:
	case 3:
		return 0; /* dom0's own id */
	default:
		return DOMID_SELF;
	}
}

unsigned long hcf_count(struct hcf_state *s, unsigned long small)
{
	switch (hcf_below(s, 12)) {
	case 0:
		return 0;
	case 1:
		return 1UL << (20 + hcf_below(s, 12));
	case 2:
		return ~0UL - hcf_below(s, 4);
	default:
		return 1 + hcf_below(s, (unsigned int)small);
	}
}

void hcf_desc(struct hcf_call *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gpv_vsnprintf(c->desc, sizeof(c->desc), fmt, ap);
	va_end(ap);
}
