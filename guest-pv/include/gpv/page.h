/* SPDX-License-Identifier: MIT */
/*
 * A page allocator over the free tail of the builder's initial mapping:
 * the pages from the top of the builder's boot stack up to the end of the
 * mapping (Xen pads it to a 4 MiB boundary with at least 512 KiB slack).
 * Freed pages go on a free list and are handed out first.
 */
#ifndef GPV_PAGE_H
#define GPV_PAGE_H

#include <stddef.h>

/* A zeroed, page-aligned, writable page; NULL when none is left. */
void *gpv_page_alloc(void);
/* Give @page back; pages the allocator did not hand out are ignored. */
void gpv_page_free(void *page);
/* Pages not yet handed out (free list plus untouched tail). */
size_t gpv_page_nr_free(void);

#endif
