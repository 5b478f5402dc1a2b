/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libtk's insides, shared by its files: writing a new domain's xenstore
 * tree, and the paths lxl keeps its own per-domain records under.
 */
#ifndef LAMINA_DOM0_TK_INT_H
#define LAMINA_DOM0_TK_INT_H

#include "tk.h"
#include "dom0-tools/libxsu/xsu.h"

/* lxl's own record of a domain (config path, policies): /lxl/<domid>. */
#define TK_LXL_PATH "/lxl"

/*
 * Write the guest's tree: /local/domain/<id> (name, vm, domid, cpu, memory,
 * control, store, console, device/vbd, device/vif), /vm/<uuid>, the backend
 * halves under /local/domain/0/backend, and /lxl/<id>. One transaction.
 */
int tk_store_domain(struct tk *tk, uint32_t domid, const struct cfg_domain *cfg,
		    const struct tk_create_opts *o, const uint8_t uuid[16],
		    const struct hyp_pv_image *img);

#endif
