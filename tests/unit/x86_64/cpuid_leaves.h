/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPUID leaves and sub-leaves cpuid_vs_xen.sh compares, shared by the
 * bare-metal dumper (the host's values), the guest-pv dumper (what Xen shows
 * a PV dom0) and cpuid_tool (what x86_64/lib/cpuid_policy shows). Output lines:
 * "<TAG> leaf sub a b c d" in hex.
 */
#ifndef LAMINA_TESTS_HV_CPUID_LEAVES_H
#define LAMINA_TESTS_HV_CPUID_LEAVES_H

/* Calls @fn(leaf, subleaf) for every pair compared. */
#define HV_CPUID_FOR_EACH(fn)                                                  \
	do {                                                                   \
		unsigned int l_, s_;                                           \
		for (l_ = 0; l_ < 0x20; l_++) {                                \
			unsigned int n_ = l_ == 4 || l_ == 7 || l_ == 0xb ? 4  \
					  : l_ == 0xd			  ? 64 \
									  : 1;                     \
			for (s_ = 0; s_ < n_; s_++)                            \
				fn(l_, s_);                                    \
		}                                                              \
		for (l_ = 0x40000000u; l_ < 0x40000007u; l_++)                 \
			for (s_ = 0; s_ < (l_ == 0x40000003u ? 3u : 1u); s_++) \
				fn(l_, s_);                                    \
		for (l_ = 0x80000000u; l_ < 0x80000022u; l_++)                 \
			fn(l_, 0);                                             \
	} while (0)

#endif
