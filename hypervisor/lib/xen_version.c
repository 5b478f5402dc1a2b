// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_version sub-ops (see lamina/xen_version.h): a table of fixed-size string
 * answers plus the few sub-ops with structure.
 */
#include <lamina/xen_version.h>

#include <xen/errno.h>

#define PV_VIRT_START 0xffff800000000000ull
#define PAGE_SIZE 4096

static void fill_str(char *dst, size_t size, const char *src)
{
	size_t i = 0;

	if (src)
		for (; i + 1 < size && src[i]; i++)
			dst[i] = src[i];
	for (; i < size; i++)
		dst[i] = '\0';
}

static void zero(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

size_t pv_xenver_in_size(unsigned int cmd)
{
	switch (cmd) {
	case XENVER_get_features:
		return sizeof(struct xen_feature_info);
	case XENVER_build_id:
		return sizeof(uint32_t); /* xen_build_id.len */
	}
	return 0;
}

uint32_t pv_xenver_features(const struct pv_xenver_info *info)
{
	uint32_t f = 1u << XENFEAT_mmu_pt_update_preserve_ad | 1u << XENFEAT_highmem_assist |
		     1u << XENFEAT_gnttab_map_avail_bits | 1u << XENFEAT_memory_op_vnode_supported |
		     1u << XENFEAT_direct_mapped;

	if (info->pae_extended_cr3)
		f |= 1u << XENFEAT_pae_pgdir_above_4gb;
	if (info->hardware_domain)
		f |= 1u << XENFEAT_dom0;
	return f;
}

static long get_features(const struct pv_xenver_info *info, void *buf, size_t *out_len)
{
	struct xen_feature_info *fi = buf;

	if (fi->submap_idx != 0)
		return -XEN_EINVAL;
	fi->submap = pv_xenver_features(info);
	*out_len = sizeof(*fi);
	return 0;
}

static long build_id(const struct pv_xenver_info *info, bool arg_null, void *buf, size_t buf_size,
		     size_t *out_len)
{
	uint8_t *b = buf;
	uint32_t len =
		(uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	uint32_t i, sz = info->build_id_len;

	if (!info->privileged)
		return -XEN_EPERM;
	if (!arg_null && len == 0)
		return -XEN_EINVAL;
	if (sz == 0 || !info->build_id)
		return -XEN_ENODATA;
	if (arg_null)
		return sz;
	if (sz > len)
		return -XEN_ENOBUFS;
	if (sizeof(uint32_t) + (size_t)sz > buf_size)
		return -XEN_ENOBUFS;
	b[0] = (uint8_t)sz;
	b[1] = (uint8_t)(sz >> 8);
	b[2] = (uint8_t)(sz >> 16);
	b[3] = (uint8_t)(sz >> 24);
	for (i = 0; i < sz; i++)
		b[4 + i] = info->build_id[i];
	*out_len = sizeof(uint32_t) + sz;
	return sz;
}

/* Every guest may read it (Xen 4.17's dummy xsm_xen_version: XSM_HOOK). */
static long compile_info(const struct pv_xenver_info *info, void *buf, size_t *out_len)
{
	struct xen_compile_info *ci = buf;

	fill_str(ci->compiler, sizeof(ci->compiler), info->compiler);
	fill_str(ci->compile_by, sizeof(ci->compile_by), info->compile_by);
	fill_str(ci->compile_domain, sizeof(ci->compile_domain), info->compile_domain);
	fill_str(ci->compile_date, sizeof(ci->compile_date), info->compile_date);
	*out_len = sizeof(*ci);
	return 0;
}

/* A string sub-op: its field size, its text, and whether it is privileged. */
static long string_op(const struct pv_xenver_info *info, unsigned int cmd, void *buf,
		      size_t *out_len)
{
	const char *s;
	size_t size;
	bool priv = false;

	switch (cmd) {
	case XENVER_extraversion:
		size = sizeof(xen_extraversion_t);
		s = info->extraversion;
		break;
	case XENVER_capabilities:
		size = sizeof(xen_capabilities_info_t);
		s = PV_XEN_CAPABILITIES;
		break;
	case XENVER_changeset:
		size = sizeof(xen_changeset_info_t);
		s = info->changeset;
		break;
	case XENVER_commandline:
		size = sizeof(xen_commandline_t);
		s = info->commandline;
		priv = true;
		break;
	default:
		return -XEN_ENOSYS;
	}
	fill_str(buf, size, priv && !info->privileged ? PV_XEN_DENIED : s);
	*out_len = size;
	return 0;
}

long pv_xen_version(const struct pv_xenver_info *info, unsigned int cmd, bool arg_null, void *buf,
		    size_t buf_size, size_t *out_len)
{
	struct xen_platform_parameters *pp = buf;
	uint8_t *handle = buf;
	unsigned int i;

	if (!out_len)
		return -XEN_EINVAL;
	*out_len = 0;
	if (!info || !buf || buf_size < PV_XENVER_MAX_ARG)
		return -XEN_EINVAL;
	switch (cmd) {
	case XENVER_version:
		return (PV_XEN_MAJOR << 16) | PV_XEN_MINOR;
	case XENVER_pagesize: /* takes no argument: Xen refuses one */
		return arg_null ? PAGE_SIZE : -XEN_EINVAL;
	case XENVER_compile_info:
		return compile_info(info, buf, out_len);
	case XENVER_platform_parameters:
		zero(pp, sizeof(*pp));
		pp->virt_start = PV_VIRT_START;
		*out_len = sizeof(*pp);
		return 0;
	case XENVER_get_features:
		return get_features(info, buf, out_len);
	case XENVER_guest_handle:
		for (i = 0; i < sizeof(xen_domain_handle_t); i++)
			handle[i] = info->domain_handle ? info->domain_handle[i] : 0;
		*out_len = sizeof(xen_domain_handle_t);
		return 0;
	case XENVER_build_id:
		return build_id(info, arg_null, buf, buf_size, out_len);
	}
	return string_op(info, cmd, buf, out_len);
}
