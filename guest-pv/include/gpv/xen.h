/* SPDX-License-Identifier: MIT */
/*
 * The one way guest-pv code includes Xen's public ABI: the freestanding
 * integer types first, then the installed headers (never copies of them).
 */
#ifndef GPV_XEN_H
#define GPV_XEN_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#include <xen/xen.h>
#include <xen/version.h>
#include <xen/sched.h>
#include <xen/callback.h>
#include <xen/vcpu.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/physdev.h>
#include <xen/nmi.h>
#include <xen/errno.h>

#endif
