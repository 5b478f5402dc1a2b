// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reads the multiboot 1 or 2 information into a struct boot_info. The loader's
 * structures are read through the direct map, and every count and length is
 * bounded: a loader is trusted to be a loader, not to be sane.
 */
#include <asm/setup.h>
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>

#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_BOOT_MAGIC 0x36d76289

struct mb1_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
} __attribute__((packed));

/*
 * Whether the loader puts the image name first in command lines. QEMU and
 * GRUB legacy do; GRUB 2 does not (Xen's cmdline_cook makes the same test).
 */
static bool name_first = true;

static void set_loader_name(paddr_t name)
{
	char tmp[16];

	if (!name || name >= HV_DIRECTMAP_SIZE - sizeof(tmp))
		return;
	strlcpy(tmp, maddr_to_virt(name), sizeof(tmp));
	name_first = strncmp(tmp, "GRUB 2", 6) != 0;
}

/* Drops the image name (the first word) when the loader put one there. */
static void cook(char *s)
{
	const char *p = s;

	while (*p == ' ')
		p++;
	if (name_first) {
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	memmove(s, p, strlen(p) + 1);
}

struct mb1_mod {
	uint32_t start, end, string, reserved;
};

struct mb_mmap_entry {
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

static void copy_str(char *dst, paddr_t src)
{
	if (src && src < HV_DIRECTMAP_SIZE - BOOT_CMDLINE_MAX)
		strlcpy(dst, maddr_to_virt(src), BOOT_CMDLINE_MAX);
	else
		dst[0] = '\0';
}

static void add_range(struct boot_info *bi, uint64_t base, uint64_t len)
{
	if (bi->nr_ranges < BOOT_MAX_RANGES && len)
		bi->ram[bi->nr_ranges++] = (struct boot_range){ base, base + len };
}

/* An entry of the whole map, kept in address order (XENMEM_machine_memory_map). */
static void add_map(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
	unsigned int i;

	if (bi->nr_map >= BOOT_MAX_RANGES || !len)
		return;
	for (i = bi->nr_map; i > 0 && bi->map[i - 1].start > base; i--)
		bi->map[i] = bi->map[i - 1];
	bi->map[i] = (struct boot_map_entry){ base, base + len, type };
	bi->nr_map++;
	if (type == 1)
		add_range(bi, base, len);
}

/* A module string is "[path] args": the module's command line is the args. */
static void add_module(struct boot_info *bi, paddr_t start, paddr_t end, paddr_t string)
{
	struct boot_module *m;

	if (bi->nr_modules >= BOOT_MAX_MODULES || end < start)
		return;
	m = &bi->mod[bi->nr_modules++];
	m->start = start;
	m->end = end;
	copy_str(m->cmdline, string);
	cook(m->cmdline);
}

static void parse_mb1(struct boot_info *bi, const struct mb1_info *mi)
{
	bi->loader = "multiboot1";
	if (mi->flags & (1u << 9))
		set_loader_name(mi->boot_loader_name);
	if (mi->flags & (1u << 2)) {
		copy_str(bi->cmdline, mi->cmdline);
		cook(bi->cmdline);
	}
	if (mi->flags & (1u << 3)) {
		const struct mb1_mod *mods = maddr_to_virt(mi->mods_addr);

		for (uint32_t i = 0; i < mi->mods_count && i < BOOT_MAX_MODULES; i++)
			add_module(bi, mods[i].start, mods[i].end, mods[i].string);
	}
	if (mi->flags & (1u << 6)) {
		uint64_t p = mi->mmap_addr, end = p + mi->mmap_length;

		while (p + 4 + sizeof(struct mb_mmap_entry) <= end) {
			uint32_t size = *(uint32_t *)maddr_to_virt(p);
			const struct mb_mmap_entry *e = maddr_to_virt(p + 4);

			add_map(bi, e->base, e->len, e->type);
			p += size + 4;
		}
	} else if (mi->flags & 1u) {
		add_map(bi, 0, (uint64_t)mi->mem_lower << 10, 1);
		add_map(bi, 1 << 20, (uint64_t)mi->mem_upper << 10, 1);
	}
}

static void parse_mb2(struct boot_info *bi, paddr_t info)
{
	uint32_t total = *(uint32_t *)maddr_to_virt(info);
	paddr_t p = info + 8, end = info + MIN(total, 1u << 20);

	bi->loader = "multiboot2";
	/* The loader's name first: it says how to read the command lines. */
	for (paddr_t q = p; q + 8 <= end;) {
		uint32_t type = *(uint32_t *)maddr_to_virt(q);
		uint32_t size = *(uint32_t *)maddr_to_virt(q + 4);

		if (type == 0 || size < 8)
			break;
		if (type == 2)
			set_loader_name(q + 8);
		q += ROUNDUP(size, 8);
	}
	while (p + 8 <= end) {
		uint32_t type = *(uint32_t *)maddr_to_virt(p);
		uint32_t size = *(uint32_t *)maddr_to_virt(p + 4);

		if (type == 0 || size < 8)
			break;
		if (type == 1) {
			copy_str(bi->cmdline, p + 8);
			cook(bi->cmdline);
		} else if (type == 3 && size >= 16) {
			uint32_t *w = maddr_to_virt(p + 8);

			add_module(bi, w[0], w[1], p + 16);
		} else if (type == 6 && size >= 16) {
			uint32_t esize = *(uint32_t *)maddr_to_virt(p + 8);

			for (paddr_t e = p + 16; esize >= 20 && e + esize <= p + size; e += esize) {
				const struct mb_mmap_entry *me = maddr_to_virt(e);

				add_map(bi, me->base, me->len, me->type);
			}
		}
		p += ROUNDUP(size, 8);
	}
}

int multiboot_parse(uint32_t magic, uint32_t info, struct boot_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	if (magic == MB1_BOOT_MAGIC)
		parse_mb1(bi, maddr_to_virt(info));
	else if (magic == MB2_BOOT_MAGIC)
		parse_mb2(bi, info);
	else
		return -XEN_EINVAL;
	return 0;
}
