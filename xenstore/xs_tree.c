// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nodes and the path-keyed hash table (see xs_tree.h for the picture).
 * Buffers grow geometrically and are reused, so rewriting a node of the same
 * size allocates nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_tree.h"

/*
 * SipHash-1-3 (Aumasson and Bernstein's keyed hash; one compression round
 * per 8 bytes, three at the end), with a key chosen at random when the
 * daemon starts (xs_hash_set_key()): a guest cannot pick names that land in
 * one bucket without knowing the key. Written from the published algorithm.
 */
static uint64_t hash_k0, hash_k1;

void xs_hash_set_key(uint64_t k0, uint64_t k1)
{
	hash_k0 = k0;
	hash_k1 = k1;
}

static inline uint64_t rotl(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

static inline void sip_round(uint64_t *v0, uint64_t *v1, uint64_t *v2, uint64_t *v3)
{
	*v0 += *v1;
	*v1 = rotl(*v1, 13) ^ *v0;
	*v0 = rotl(*v0, 32);
	*v2 += *v3;
	*v3 = rotl(*v3, 16) ^ *v2;
	*v0 += *v3;
	*v3 = rotl(*v3, 21) ^ *v0;
	*v2 += *v1;
	*v1 = rotl(*v1, 17) ^ *v2;
	*v2 = rotl(*v2, 32);
}

uint32_t xs_hash(const char *s, size_t len)
{
	uint64_t v0 = hash_k0 ^ 0x736f6d6570736575ull, v1 = hash_k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = hash_k0 ^ 0x6c7967656e657261ull, v3 = hash_k1 ^ 0x7465646279746573ull;
	uint64_t m, last = (uint64_t)len << 56;
	size_t i, end = len & ~(size_t)7;

	for (i = 0; i < end; i += 8) {
		memcpy(&m, s + i, 8); /* little-endian hosts only (x86-64) */
		v3 ^= m;
		sip_round(&v0, &v1, &v2, &v3);
		v0 ^= m;
	}
	m = 0;
	memcpy(&m, s + end, len & 7);
	last |= m;
	v3 ^= last;
	sip_round(&v0, &v1, &v2, &v3);
	v0 ^= last;
	v2 ^= 0xff;
	sip_round(&v0, &v1, &v2, &v3);
	sip_round(&v0, &v1, &v2, &v3);
	sip_round(&v0, &v1, &v2, &v3);
	m = v0 ^ v1 ^ v2 ^ v3;
	return (uint32_t)(m ^ (m >> 32));
}

int xs_table_init(struct xs_table *t, uint32_t order)
{
	t->buckets = calloc((size_t)1 << order, sizeof(*t->buckets));
	if (!t->buckets)
		return -ENOMEM;
	t->mask = (1u << order) - 1;
	t->count = 0;
	return 0;
}

void xs_table_free(struct xs_table *t)
{
	uint32_t i;
	struct xs_node *n, *next;

	if (!t->buckets)
		return;
	for (i = 0; i <= t->mask; i++)
		for (n = t->buckets[i]; n; n = next) {
			next = n->hnext;
			xs_node_free(n);
		}
	free(t->buckets);
	t->buckets = NULL;
	t->count = 0;
}

struct xs_node *xs_table_find(const struct xs_table *t, const char *path, size_t len)
{
	uint32_t h = xs_hash(path, len);
	struct xs_node *n;

	for (n = t->buckets[h & t->mask]; n; n = n->hnext)
		if (n->hash == h && n->pathlen == len && !memcmp(n->path, path, len))
			return n;
	return NULL;
}

/* Double the bucket array; on allocation failure keep the old one (slower). */
static void table_grow(struct xs_table *t)
{
	uint32_t nmask = t->mask * 2 + 1, i;
	struct xs_node **nb = calloc((size_t)nmask + 1, sizeof(*nb));
	struct xs_node *n, *next;

	if (!nb)
		return;
	for (i = 0; i <= t->mask; i++)
		for (n = t->buckets[i]; n; n = next) {
			next = n->hnext;
			n->hnext = nb[n->hash & nmask];
			nb[n->hash & nmask] = n;
		}
	free(t->buckets);
	t->buckets = nb;
	t->mask = nmask;
}

void xs_table_insert(struct xs_table *t, struct xs_node *n)
{
	if (t->count > t->mask)
		table_grow(t);
	n->hnext = t->buckets[n->hash & t->mask];
	t->buckets[n->hash & t->mask] = n;
	t->count++;
}

void xs_table_remove(struct xs_table *t, struct xs_node *n)
{
	struct xs_node **pp = &t->buckets[n->hash & t->mask];

	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == n) {
			*pp = n->hnext;
			n->hnext = NULL;
			t->count--;
			return;
		}
}

void xs_table_each(const struct xs_table *t, void (*fn)(struct xs_node *, void *), void *arg)
{
	uint32_t i;
	struct xs_node *n, *next;

	for (i = 0; i <= t->mask; i++)
		for (n = t->buckets[i]; n; n = next) {
			next = n->hnext;
			fn(n, arg);
		}
}

struct xs_node *xs_node_new(const char *path, size_t len)
{
	struct xs_node *n = calloc(1, sizeof(*n) + len + 1);

	if (!n)
		return NULL;
	memcpy(n->path, path, len);
	n->path[len] = '\0';
	n->pathlen = len;
	n->hash = xs_hash(path, len);
	return n;
}

void xs_node_free(struct xs_node *n)
{
	if (!n)
		return;
	free(n->value);
	free(n->children);
	free(n->perms);
	free(n);
}

/* Make room for @need bytes in *buf (capacity *cap). */
static int reserve(char **buf, uint32_t *cap, size_t need)
{
	size_t ncap;
	char *nb;

	if (need <= *cap && *buf)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	nb = realloc(*buf, ncap);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	*cap = ncap;
	return 0;
}

struct xs_node *xs_node_dup(const struct xs_node *n)
{
	struct xs_node *c = xs_node_new(n->path, n->pathlen);

	if (!c)
		return NULL;
	c->gen = n->gen;
	if (xs_node_set_value(c, n->value, n->vlen) ||
	    reserve(&c->children, &c->ccap, n->clen + 1) ||
	    xs_node_set_perms(c, n->perms, n->nperms)) {
		xs_node_free(c);
		return NULL;
	}
	if (n->clen)
		memcpy(c->children, n->children, n->clen);
	c->clen = n->clen;
	return c;
}

void xs_node_take(struct xs_node *dst, struct xs_node *src)
{
	free(dst->value);
	free(dst->children);
	free(dst->perms);
	dst->value = src->value;
	dst->vlen = src->vlen;
	dst->vcap = src->vcap;
	dst->children = src->children;
	dst->clen = src->clen;
	dst->ccap = src->ccap;
	dst->perms = src->perms;
	dst->nperms = src->nperms;
	src->value = src->children = NULL;
	src->perms = NULL;
	src->vlen = src->vcap = src->clen = src->ccap = src->nperms = 0;
}

int xs_node_set_value(struct xs_node *n, const void *data, size_t len)
{
	if (reserve(&n->value, &n->vcap, len + 1))
		return -ENOMEM;
	if (len)
		memcpy(n->value, data, len);
	n->vlen = len;
	return 0;
}

int xs_node_set_perms(struct xs_node *n, const struct xs_permissions *p, unsigned int num)
{
	struct xs_permissions *np;

	if (num != n->nperms || !n->perms) {
		np = malloc(sizeof(*np) * (num ? num : 1));
		if (!np)
			return -ENOMEM;
		free(n->perms);
		n->perms = np;
	}
	if (num)
		memcpy(n->perms, p, sizeof(*p) * num);
	n->nperms = num;
	return 0;
}

int xs_node_add_child(struct xs_node *n, const char *name, size_t len)
{
	if (reserve(&n->children, &n->ccap, n->clen + len + 1))
		return -ENOMEM;
	memcpy(n->children + n->clen, name, len);
	n->children[n->clen + len] = '\0';
	n->clen += len + 1;
	return 0;
}

/* Offset of child @name in the blob, or -1. */
static long find_child(const struct xs_node *n, const char *name, size_t len)
{
	uint32_t off = 0;

	while (off < n->clen) {
		size_t l = strlen(n->children + off);

		if (l == len && !memcmp(n->children + off, name, len))
			return off;
		off += l + 1;
	}
	return -1;
}

bool xs_node_has_child(const struct xs_node *n, const char *name, size_t len)
{
	return find_child(n, name, len) >= 0;
}

bool xs_node_del_child(struct xs_node *n, const char *name, size_t len)
{
	long off = find_child(n, name, len);

	if (off < 0)
		return false;
	memmove(n->children + off, n->children + off + len + 1, n->clen - off - len - 1);
	n->clen -= len + 1;
	return true;
}

const char *xs_path_base(const char *path, size_t len, size_t *parent_len)
{
	size_t i = len;

	while (i > 0 && path[i - 1] != '/')
		i--;
	/* "/a" has parent "/" (length 1); "/a/b" has parent "/a". */
	*parent_len = i > 1 ? i - 1 : 1;
	return path + i;
}

size_t xs_child_path(const struct xs_node *n, uint32_t off, char *buf, size_t size)
{
	size_t cl = strlen(n->children + off), plen = n->pathlen == 1 ? 0 : n->pathlen;

	if (plen + 1 + cl >= size)
		return 0;
	memcpy(buf, n->path, plen);
	buf[plen] = '/';
	memcpy(buf + plen + 1, n->children + off, cl);
	buf[plen + 1 + cl] = '\0';
	return plen + 1 + cl;
}
