/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xen_version hypercall's answers (<xen/version.h>), as pure functions
 * over a hypervisor-side copy of the guest's argument: the caller copies in
 * pv_xenver_in_size() bytes, calls pv_xen_version(), and copies *out_len
 * bytes back. Strings are NUL-terminated and zero-padded to their fixed
 * sizes. As Xen 4.17 (common/kernel.c do_xen_version, xsm/dummy.h):
 *
 *   version           (4 << 16) | 17
 *   extraversion      info->extraversion (Lamina: "-lamina")
 *   compile_info      compiler/by/domain/date
 *   capabilities      "xen-3.0-x86_64 " (64-bit PV only)
 *   changeset         info->changeset
 *   platform_params   virt_start = 0xffff800000000000
 *   get_features      submap 0: mmu_pt_update_preserve_ad, highmem_assist,
 *                     gnttab_map_avail_bits, memory_op_vnode_supported,
 *                     direct_mapped; pae_pgdir_above_4gb when the domain has
 *                     VMASST pae_extended_cr3; dom0 for the hardware domain;
 *                     other submaps -EINVAL
 *   pagesize          4096 (-EINVAL when given an argument, as Xen)
 *   guest_handle      the domain's 16-byte handle
 *   commandline       the hypervisor's command line     (privileged only*)
 *   build_id          NULL arg: the size; else len checked (0: -EINVAL,
 *                     too small: -ENOBUFS), returns the size (privileged
 *                     only: -EPERM)
 *   anything else     -ENOSYS
 * (*) an unprivileged domain gets the string "<denied>" instead, as Xen's
 *     dummy XSM policy gives it (xsm_xen_version: XSM_PRIV); compile_info
 *     and changeset are XSM_HOOK there, open to every guest.
 */
#ifndef LAMINA_XEN_VERSION_H
#define LAMINA_XEN_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/version.h>
#include <xen/xen.h>

#define PV_XEN_MAJOR 4
#define PV_XEN_MINOR 17
#define PV_XEN_EXTRAVERSION "-lamina"
#define PV_XEN_CAPABILITIES "xen-3.0-x86_64 "
#define PV_XEN_DENIED "<denied>"

/* What the answers are made of; strings longer than their field are cut. */
struct pv_xenver_info {
	const char *extraversion;
	const char *compiler;
	const char *compile_by;
	const char *compile_domain;
	const char *compile_date;
	const char *changeset;
	const char *commandline;
	const uint8_t *build_id;
	uint32_t build_id_len;	      /* 0: no build id (-ENODATA) */
	const uint8_t *domain_handle; /* 16 bytes; NULL reads as zeros */
	bool privileged;	      /* may see compile info, changeset, ... */
	bool hardware_domain;
	bool pae_extended_cr3; /* VMASST_TYPE_pae_extended_cr3 is on */
};

/* The largest argument any sub-op reads or writes (the command line). */
#define PV_XENVER_MAX_ARG 1024

/* Bytes of the guest's argument to copy in before pv_xen_version(). */
size_t pv_xenver_in_size(unsigned int cmd);

/*
 * Sub-op @cmd with the guest's argument copied into @buf (@buf_size bytes,
 * at least PV_XENVER_MAX_ARG; only pv_xenver_in_size() of them are read).
 * @arg_null: the guest passed a NULL argument. Sets *out_len to the bytes to
 * copy back to the guest (0: none) and returns the hypercall's result.
 */
long pv_xen_version(const struct pv_xenver_info *info, unsigned int cmd, bool arg_null, void *buf,
		    size_t buf_size, size_t *out_len);

/* The get_features submap 0 for a domain described by @info. */
uint32_t pv_xenver_features(const struct pv_xenver_info *info);

#endif
