/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal intrusive doubly linked list: the connections, each connection's
 * watches and transactions hang on these. An empty list points at itself.
 */
#ifndef LAMINA_XS_LIST_H
#define LAMINA_XS_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct xs_list {
	struct xs_list *next, *prev;
};

#define xs_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

static inline void xs_list_init(struct xs_list *l)
{
	l->next = l;
	l->prev = l;
}

static inline bool xs_list_empty(const struct xs_list *l)
{
	return l->next == l;
}

/* Insert @e before @head, i.e. at the tail of the list @head. */
static inline void xs_list_add_tail(struct xs_list *e, struct xs_list *head)
{
	e->prev = head->prev;
	e->next = head;
	head->prev->next = e;
	head->prev = e;
}

static inline void xs_list_del(struct xs_list *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	xs_list_init(e);
}

#endif
