// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen_version: copy in, answer with the PV-logic module (lamina/xen_version.h,
 * host-tested against Xen 4.17's answers), copy out. Lamina answers as Xen
 * 4.17, the ABI it implements; the build id is the linker's
 * (.note.gnu.build-id, GNU sha1).
 */
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/xen_version.h>
#include <xen/errno.h>

char hv_cmdline[1024];

extern const uint8_t __build_id_note_start[], __build_id_note_end[];

/* The descriptor of the GNU build-id note, or NULL. */
static const uint8_t *build_id(uint32_t *len)
{
	const uint8_t *note = __build_id_note_start;
	uint32_t namesz, descsz;

	if (__build_id_note_end - note < 12)
		return NULL;
	namesz = *(const uint32_t *)note;
	descsz = *(const uint32_t *)(note + 4);
	if (12 + ROUNDUP(namesz, 4) + descsz > (uint64_t)(__build_id_note_end - note))
		return NULL;
	*len = descsz;
	return note + 12 + ROUNDUP(namesz, 4);
}

long do_xen_version(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = a[0], arg = a[1];
	struct domain *d = current_vcpu()->domain;
	static uint8_t buf[PV_XENVER_MAX_ARG];
	struct pv_xenver_info info = {
		.extraversion = PV_XEN_EXTRAVERSION,
		.compiler = "gcc " __VERSION__,
		.compile_by = "lamina",
		.compile_domain = "lamina",
		.compile_date = "unknown",
		.changeset = "lamina",
		.commandline = hv_cmdline,
		.privileged = d->id == 0,
		.hardware_domain = d->id == 0,
		.pae_extended_cr3 = d->vm_assist & (1UL << VMASST_TYPE_pae_extended_cr3),
	};
	size_t in, out = 0;
	long rc;

	/* The common case first, without building the rest. */
	if (cmd == XENVER_version)
		return (PV_XEN_MAJOR << 16) | PV_XEN_MINOR;
	if (cmd > 0xffffffffULL)
		return -XEN_ENOSYS;
	info.build_id = build_id(&info.build_id_len);
	in = pv_xenver_in_size((unsigned int)cmd);
	memset(buf, 0, sizeof(buf));
	if (in && arg && copy_from_guest(buf, arg, in))
		return -XEN_EFAULT;
	rc = pv_xen_version(&info, (unsigned int)cmd, arg == 0, buf, sizeof(buf), &out);
	if (out && copy_to_guest(arg, buf, out))
		return -XEN_EFAULT;
	return rc;
}
