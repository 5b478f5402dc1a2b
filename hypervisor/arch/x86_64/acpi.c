// SPDX-License-Identifier: GPL-2.0-only
/*
 * Just enough ACPI to count the CPUs and find the I/O APICs: find the RSDP
 * (EBDA, then the BIOS area 0xe0000-0xfffff), follow the RSDT or XSDT to
 * the MADT ("APIC") and read its enabled local-APIC and I/O APIC entries,
 * and the HPET table's block address and page protection. Every table is bounds- and
 * checksum-checked; any doubt answers 0 ("unknown").
 */
#include <asm/setup.h>
#include <lamina/lib.h>
#include <lamina/mm.h>

struct sdt_header {
	char sig[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static bool sum_ok(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	for (size_t i = 0; i < n; i++)
		s += b[i];
	return s == 0;
}

static const struct sdt_header *table(uint64_t pa)
{
	const struct sdt_header *h;

	if (!pa || pa >= HV_DIRECTMAP_SIZE - sizeof(*h))
		return NULL;
	h = maddr_to_virt(pa);
	if (h->length < sizeof(*h) || h->length > (1u << 20) ||
	    pa + h->length > HV_DIRECTMAP_SIZE || !sum_ok(h, h->length))
		return NULL;
	return h;
}

static const uint8_t *find_rsdp(void)
{
	uint64_t ebda = (uint64_t) * (uint16_t *)maddr_to_virt(0x40e) << 4;
	const uint64_t ranges[2][2] = { { ebda, ebda + 1024 }, { 0xe0000, 0x100000 } };

	for (int r = 0; r < 2; r++) {
		for (uint64_t a = ranges[r][0]; a && a + 20 <= ranges[r][1]; a += 16) {
			const uint8_t *p = maddr_to_virt(a);

			if (!memcmp(p, "RSD PTR ", 8) && sum_ok(p, 20))
				return p;
		}
	}
	return NULL;
}

static const struct sdt_header *find_table(const char *sig)
{
	const uint8_t *rsdp = find_rsdp();
	const struct sdt_header *root;
	bool x;
	size_t n;

	if (!rsdp)
		return NULL;
	x = rsdp[15] >= 2 && *(const uint64_t *)(rsdp + 24);
	root = table(x ? *(const uint64_t *)(rsdp + 24) : *(const uint32_t *)(rsdp + 16));
	if (!root)
		return NULL;
	n = (root->length - sizeof(*root)) / (x ? 8 : 4);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = (const uint8_t *)(root + 1) + i * (x ? 8 : 4);
		const struct sdt_header *t = table(x ? *(const uint64_t *)e : *(const uint32_t *)e);

		if (t && !memcmp(t->sig, sig, 4))
			return t;
	}
	return NULL;
}

unsigned int acpi_count_cpus(void)
{
	const struct sdt_header *m = find_table("APIC");
	const uint8_t *p, *end;
	unsigned int n = 0;

	if (!m)
		return 0;
	p = (const uint8_t *)m + sizeof(*m) + 8; /* local APIC address, flags */
	end = (const uint8_t *)m + m->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (p[0] == 0 && p[1] >= 8 && (p[4] & 1))
			n++;
		p += p[1];
	}
	return n;
}

unsigned int acpi_ioapic_addrs(uint64_t *addr, unsigned int max)
{
	const struct sdt_header *m = find_table("APIC");
	const uint8_t *p, *end;
	unsigned int n = 0;

	if (!m)
		return 0;
	p = (const uint8_t *)m + sizeof(*m) + 8;
	end = (const uint8_t *)m + m->length;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (p[0] == 1 && p[1] >= 12 && n < max)
			addr[n++] = *(const uint32_t *)(p + 4);
		p += p[1];
	}
	return n;
}

bool acpi_hpet(uint64_t *addr, unsigned int *protect)
{
	const struct sdt_header *h = find_table("HPET");
	const uint8_t *p = (const uint8_t *)h;

	if (!h || h->length < 56)
		return false;
	*addr = *(const uint64_t *)(p + 44); /* the base address's Generic Address */
	*protect = p[55] & 0xf;		     /* page protection: 1 4 KiB, 2 64 KiB */
	return *addr != 0;
}
