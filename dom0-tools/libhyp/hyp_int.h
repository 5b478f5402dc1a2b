/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libhyp's insides: the handle behind struct hyp.
 */
#ifndef LAMINA_DOM0_HYP_INT_H
#define LAMINA_DOM0_HYP_INT_H

#include <xenctrl.h>
#include <xentoollog.h>

#include "hyp.h"

struct hyp {
	xc_interface *xch;
	xentoollog_logger_stdiostream *log;
};

/* -errno of the last failed libxenctrl call (never 0). */
int hyp_errno(void);

#endif
