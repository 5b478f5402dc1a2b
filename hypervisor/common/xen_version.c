// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_version: Lamina answers as Xen 4.17 (the ABI it implements). Strings
 * are copied whole, NUL-terminated and zero-padded to the ABI type's size.
 * The build id is the linker's (.note.gnu.build-id, GNU sha1).
 */
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/version.h>
#include <xen/xen.h>

#define LAMINA_XEN_MAJOR 4
#define LAMINA_XEN_MINOR 17

char hv_cmdline[1024];

extern const uint8_t __build_id_note_start[], __build_id_note_end[];

/* Copies the string s into a zeroed field of size bytes at guest arg. */
static long put_string(uint64_t arg, const char *s, size_t size)
{
	char buf[1024];

	if (size > sizeof(buf))
		return -XEN_EINVAL;
	memset(buf, 0, size);
	strlcpy(buf, s, size);
	return copy_to_guest(arg, buf, size) ? -XEN_EFAULT : 0;
}

static uint32_t features_submap0(void)
{
	return (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_highmem_assist) |
	       (1u << XENFEAT_gnttab_map_avail_bits) | (1u << XENFEAT_dom0);
}

static long get_features(uint64_t arg)
{
	xen_feature_info_t fi;

	if (copy_from_guest(&fi, arg, sizeof(fi)))
		return -XEN_EFAULT;
	if (fi.submap_idx != 0)
		return -XEN_EINVAL;
	fi.submap = features_submap0();
	return copy_to_guest(arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
}

static long build_id(uint64_t arg)
{
	const uint8_t *note = __build_id_note_start;
	uint32_t namesz, descsz, len;

	if (__build_id_note_end - note < 12)
		return -XEN_ENODATA;
	namesz = *(const uint32_t *)note;
	descsz = *(const uint32_t *)(note + 4);
	if (12 + ROUNDUP(namesz, 4) + descsz > (uint64_t)(__build_id_note_end - note))
		return -XEN_ENODATA;
	if (!arg)
		return descsz;
	if (copy_from_guest(&len, arg, sizeof(len)))
		return -XEN_EFAULT;
	if (len == 0)
		return -XEN_EINVAL;
	if (descsz > len)
		return -XEN_ENOBUFS;
	if (copy_to_guest(arg + offsetof(xen_build_id_t, buf), note + 12 + ROUNDUP(namesz, 4),
			  descsz))
		return -XEN_EFAULT;
	return descsz;
}

long do_xen_version(uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
	case XENVER_version:
		return (LAMINA_XEN_MAJOR << 16) | LAMINA_XEN_MINOR;
	case XENVER_extraversion:
		return put_string(arg, ".0-lamina", sizeof(xen_extraversion_t));
	case XENVER_compile_info: {
		xen_compile_info_t ci;

		memset(&ci, 0, sizeof(ci));
		strlcpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler));
		strlcpy(ci.compile_by, "lamina", sizeof(ci.compile_by));
		strlcpy(ci.compile_domain, "lamina", sizeof(ci.compile_domain));
		strlcpy(ci.compile_date, "unknown", sizeof(ci.compile_date));
		return copy_to_guest(arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
	}
	case XENVER_capabilities:
		return put_string(arg, "xen-3.0-x86_64", sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return put_string(arg, "lamina", sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters: {
		xen_platform_parameters_t pp = { .virt_start = HYPERVISOR_VIRT_START };

		return copy_to_guest(arg, &pp, sizeof(pp)) ? -XEN_EFAULT : 0;
	}
	case XENVER_get_features:
		return get_features(arg);
	case XENVER_pagesize:
		return 4096;
	case XENVER_guest_handle: {
		xen_domain_handle_t h = { 0 };

		return copy_to_guest(arg, h, sizeof(h)) ? -XEN_EFAULT : 0;
	}
	case XENVER_commandline:
		return put_string(arg, hv_cmdline, sizeof(xen_commandline_t));
	case XENVER_build_id:
		return build_id(arg);
	default:
		return -XEN_ENOSYS;
	}
}
