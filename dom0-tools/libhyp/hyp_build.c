// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV domain builder: libxenguest's xc_dom_* in the order libxl's
 * libxl__build_pv uses them (allocate, kernel and ramdisk, boot_xen_init,
 * parse_image, mem_init, boot_mem_init, build_image, boot_image,
 * gnttab_init), with the xenstore and console event channels bound to dom0
 * beforehand. libxenguest reads ELF and bzImage kernels, decompresses
 * gzip/xz/... payloads, lays out start_info, page tables, the p2m, and the
 * console and xenstore ring pages, and seeds their grant entries.
 */
#include <errno.h>
#include <string.h>
#include <xenctrl.h>
#include <xenguest.h>

#include "hyp_int.h"

/* The dom0 side of both rings. */
#define HYP_BACKEND_DOMID 0

/* Each step of the build after the kernel is loaded, in libxl's order. */
static int build_image(struct xc_dom_image *dom, xc_interface *xch, uint32_t domid,
		       unsigned int mem_mb, const char **step)
{
	*step = "xc_dom_boot_xen_init";
	if (xc_dom_boot_xen_init(dom, xch, domid))
		return hyp_errno();
	*step = "xc_dom_parse_image";
	if (xc_dom_parse_image(dom))
		return -ENOEXEC;
	*step = "xc_dom_mem_init";
	if (xc_dom_mem_init(dom, mem_mb))
		return -ENOMEM;
	*step = "xc_dom_boot_mem_init";
	if (xc_dom_boot_mem_init(dom))
		return -ENOMEM;
	*step = "xc_dom_build_image";
	if (xc_dom_build_image(dom))
		return hyp_errno();
	*step = "xc_dom_boot_image";
	if (xc_dom_boot_image(dom))
		return hyp_errno();
	*step = "xc_dom_gnttab_init";
	if (xc_dom_gnttab_init(dom))
		return hyp_errno();
	*step = NULL;
	return 0;
}

int hyp_build_pv(struct hyp *h, uint32_t domid, struct hyp_pv_image *img)
{
	struct xc_dom_image *dom;
	int store, console, rc;

	store = xc_evtchn_alloc_unbound(h->xch, domid, HYP_BACKEND_DOMID);
	if (store < 0)
		return hyp_errno();
	console = xc_evtchn_alloc_unbound(h->xch, domid, HYP_BACKEND_DOMID);
	if (console < 0)
		return hyp_errno();
	dom = xc_dom_allocate(h->xch, img->cmdline, NULL);
	if (!dom)
		return -ENOMEM;
	dom->container_type = XC_DOM_PV_CONTAINER;
	img->failed_step = "xc_dom_kernel_file";
	if (xc_dom_kernel_file(dom, img->kernel)) {
		rc = -ENOEXEC;
		goto out_release;
	}
	img->failed_step = "xc_dom_module_file";
	if (img->ramdisk && xc_dom_module_file(dom, img->ramdisk, NULL)) {
		rc = -ENOEXEC;
		goto out_release;
	}
	dom->flags = 0;
	dom->console_evtchn = (unsigned int)console;
	dom->console_domid = HYP_BACKEND_DOMID;
	dom->xenstore_evtchn = (unsigned int)store;
	dom->xenstore_domid = HYP_BACKEND_DOMID;
	dom->max_vcpus = img->max_vcpus;
	rc = build_image(dom, h->xch, domid, img->memory_mb, &img->failed_step);
	if (rc)
		goto out_release;
	img->store_evtchn_port = (unsigned int)store;
	img->console_evtchn_port = (unsigned int)console;
	img->store_frame = xc_dom_p2m(dom, dom->xenstore_pfn);
	img->console_frame = xc_dom_p2m(dom, dom->console_pfn);
out_release:
	xc_dom_release(dom);
	return rc;
}
