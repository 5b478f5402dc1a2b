/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vCPU's runstate (xen/common/sched/core.c vcpu_runstate_change and
 * vcpu_runstate_get, common/vcpu_runstate.c): which RUNSTATE_* it is in
 * since when, and the ns it has spent in each. The scheduler reports every
 * change; the guest reads the times with VCPUOP_get_runstate_info or in the
 * area it registered, which is rewritten whenever the vCPU's page tables
 * are loaded (it is a guest virtual address).
 */
#ifndef LAMINA_RUNSTATE_H
#define LAMINA_RUNSTATE_H

#include <lamina/types.h>
#include <xen/vcpu.h>

struct vcpu;

/* A new vCPU: RUNSTATE_offline since now, no time in any state. */
void runstate_init(struct vcpu *v);
/* v enters state (RUNSTATE_*) at now: the time since the last change goes to the old one. */
void runstate_change(struct vcpu *v, int state, uint64_t now);
/* v's runstate as of now (the current state's time counted up to now). */
void runstate_get(const struct vcpu *v, struct vcpu_runstate_info *out);
/* Writes v's runstate into its registered area; v's page tables must be loaded. */
void runstate_area_update(struct vcpu *v);

#endif
