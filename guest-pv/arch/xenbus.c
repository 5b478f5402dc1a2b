// SPDX-License-Identifier: MIT
/*
 * The xenbus client (see gpv/xenbus.h). Ring layout: the request ring is
 * written at req_prod and consumed by the daemon at req_cons; replies and
 * watch events are read at rsp_cons up to rsp_prod. All indexes are free
 * running; the index into the ring is MASK_XENSTORE_IDX(idx).
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/time.h>
#include <gpv/xenbus.h>

#define XS_TIMEOUT_NS 3000000000ULL
#define NR_QUEUED 4
#define QUEUED_MAX 256

static struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static uint32_t next_req_id = 1;
static char store_page[4096] __attribute__((aligned(4096)));
static char reply[XENSTORE_PAYLOAD_MAX + 1];
static uint32_t reply_len;

static struct {
	char path[QUEUED_MAX], token[QUEUED_MAX];
} queued[NR_QUEUED];
static unsigned int nr_queued;

static const struct {
	const char *name;
	int err;
} xs_errors[] = {
	{ "EINVAL", XEN_EINVAL }, { "EACCES", XEN_EACCES },   { "EEXIST", XEN_EEXIST },
	{ "EISDIR", XEN_EISDIR }, { "ENOENT", XEN_ENOENT },   { "ENOMEM", XEN_ENOMEM },
	{ "ENOSPC", XEN_ENOSPC }, { "EIO", XEN_EIO },	      { "ENOTEMPTY", XEN_ENOTEMPTY },
	{ "ENOSYS", XEN_ENOSYS }, { "EROFS", XEN_EROFS },     { "EBUSY", XEN_EBUSY },
	{ "EAGAIN", XEN_EAGAIN }, { "EISCONN", XEN_EISCONN }, { "E2BIG", XEN_E2BIG },
	{ "EPERM", XEN_EPERM },
};

long gpv_xs_init(void)
{
	uint64_t mfn = gpv_start_info->store_mfn;

	if (!mfn || gpv_is_dom0())
		return -XEN_ENODEV;
	if (gpv_update_va_mapping((unsigned long)store_page, (mfn << 12) | 7, UVMF_INVLPG))
		return -XEN_EFAULT;
	ring = (struct xenstore_domain_interface *)store_page;
	port = gpv_start_info->store_evtchn;
	return 0;
}

struct xenstore_domain_interface *gpv_xs_ring(void)
{
	return ring;
}

evtchn_port_t gpv_xs_port(void)
{
	return port;
}

/* Wait for the store port (or the deadline); false once the deadline passed. */
static bool wait_port(uint64_t deadline)
{
	unsigned long *pending = (unsigned long *)gpv_shared_info->evtchn_pending;

	if (gpv_time_now() >= deadline)
		return false;
	gpv_poll_port(port, deadline);
	__atomic_fetch_and(&pending[port / 64], ~(1UL << (port % 64)), __ATOMIC_SEQ_CST);
	return true;
}

static long ring_put(const void *data, size_t len, uint64_t deadline)
{
	const char *p = data;

	while (len) {
		XENSTORE_RING_IDX cons = __atomic_load_n(&ring->req_cons, __ATOMIC_ACQUIRE);
		XENSTORE_RING_IDX prod = ring->req_prod;
		uint32_t space = XENSTORE_RING_SIZE - (prod - cons);
		uint32_t n;

		if (prod - cons > XENSTORE_RING_SIZE)
			return -XEN_EIO;
		if (!space) {
			gpv_evtchn_send(port);
			if (!wait_port(deadline))
				return -XEN_ETIMEDOUT;
			continue;
		}
		n = space < len ? space : (uint32_t)len;
		if (n > XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod))
			n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
		memcpy(&ring->req[MASK_XENSTORE_IDX(prod)], p, n);
		__atomic_store_n(&ring->req_prod, prod + n, __ATOMIC_RELEASE);
		p += n;
		len -= n;
	}
	gpv_evtchn_send(port);
	return 0;
}

static long ring_get(void *data, size_t len, uint64_t deadline)
{
	char *p = data;

	while (len) {
		XENSTORE_RING_IDX prod = __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE);
		XENSTORE_RING_IDX cons = ring->rsp_cons;
		uint32_t avail = prod - cons, n;

		if (avail > XENSTORE_RING_SIZE)
			return -XEN_EIO;
		if (!avail) {
			if (!wait_port(deadline))
				return -XEN_ETIMEDOUT;
			continue;
		}
		n = avail < len ? avail : (uint32_t)len;
		if (n > XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons))
			n = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
		memcpy(p, &ring->rsp[MASK_XENSTORE_IDX(cons)], n);
		__atomic_store_n(&ring->rsp_cons, cons + n, __ATOMIC_RELEASE);
		p += n;
		len -= n;
	}
	gpv_evtchn_send(port);
	return 0;
}

long gpv_xs_raw_write(const void *bytes, size_t len)
{
	if (!ring)
		return -XEN_ENODEV;
	return ring_put(bytes, len, gpv_time_now() + XS_TIMEOUT_NS);
}

/* Queue a watch event from reply[] (path NUL token NUL). */
static void queue_event(void)
{
	size_t plen = strnlen(reply, reply_len);
	const char *token = plen < reply_len ? reply + plen + 1 : "";

	if (nr_queued == NR_QUEUED)
		return;
	gpv_snprintf(queued[nr_queued].path, QUEUED_MAX, "%s", reply);
	gpv_snprintf(queued[nr_queued].token, QUEUED_MAX, "%s", token);
	nr_queued++;
}

/* Read one message into reply[]; returns its type or -errno. */
static long read_message(struct xsd_sockmsg *hdr, uint64_t deadline)
{
	long rc = ring_get(hdr, sizeof(*hdr), deadline);

	if (rc)
		return rc;
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -XEN_EIO;
	rc = ring_get(reply, hdr->len, deadline);
	if (rc)
		return rc;
	reply[hdr->len] = '\0';
	reply_len = hdr->len;
	return 0;
}

static long error_of_reply(void)
{
	size_t i;

	for (i = 0; i < GPV_ARRAY_SIZE(xs_errors); i++)
		if (strcmp(reply, xs_errors[i].name) == 0)
			return -xs_errors[i].err;
	return -XEN_EIO;
}

/* Send a message of @n parts and wait for the reply with the same id. */
static long request(uint32_t type, uint32_t tx, const char *const *parts, const uint32_t *lens,
		    unsigned int n, uint32_t *rtype, uint64_t timeout_ns)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = next_req_id++, .tx_id = tx };
	uint64_t deadline = gpv_time_now() + timeout_ns;
	unsigned int i;
	long rc;

	if (!ring)
		return -XEN_ENODEV;
	for (i = 0; i < n; i++)
		hdr.len += lens[i];
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -XEN_E2BIG;
	rc = ring_put(&hdr, sizeof(hdr), deadline);
	for (i = 0; !rc && i < n; i++)
		rc = ring_put(parts[i], lens[i], deadline);
	while (!rc) {
		struct xsd_sockmsg r;

		rc = read_message(&r, deadline);
		if (rc)
			break;
		if (r.type == XS_WATCH_EVENT) {
			queue_event();
			continue;
		}
		if (r.req_id != hdr.req_id)
			continue;
		if (rtype)
			*rtype = r.type;
		return r.type == XS_ERROR ? error_of_reply() : 0;
	}
	return rc;
}

long gpv_xs_raw_request(uint32_t type, const void *body, uint32_t len, uint32_t *reply_type,
			uint64_t timeout_ns)
{
	const char *parts[1] = { body };

	return request(type, 0, parts, &len, 1, reply_type, timeout_ns);
}

/* A request whose payload is @a NUL [@b NUL] (strings, NULs included). */
static long request_strs(uint32_t type, uint32_t tx, const char *a, const char *b)
{
	const char *parts[2] = { a, b };
	uint32_t lens[2] = { (uint32_t)strlen(a) + 1, b ? (uint32_t)strlen(b) + 1 : 0 };

	return request(type, tx, parts, lens, b ? 2 : 1, NULL, XS_TIMEOUT_NS);
}

static long copy_reply(char *buf, size_t size)
{
	if (!size)
		return -XEN_EINVAL;
	if (reply_len >= size)
		return -XEN_E2BIG;
	memcpy(buf, reply, reply_len);
	buf[reply_len] = '\0';
	return (long)reply_len;
}

long gpv_xs_read(uint32_t tx, const char *path, char *buf, size_t size)
{
	long rc = request_strs(XS_READ, tx, path, NULL);

	return rc ? rc : copy_reply(buf, size);
}

long gpv_xs_write(uint32_t tx, const char *path, const char *value)
{
	const char *parts[2] = { path, value };
	uint32_t lens[2] = { (uint32_t)strlen(path) + 1, (uint32_t)strlen(value) };

	return request(XS_WRITE, tx, parts, lens, 2, NULL, XS_TIMEOUT_NS);
}

long gpv_xs_mkdir(uint32_t tx, const char *path)
{
	return request_strs(XS_MKDIR, tx, path, NULL);
}

long gpv_xs_rm(uint32_t tx, const char *path)
{
	return request_strs(XS_RM, tx, path, NULL);
}

long gpv_xs_directory(uint32_t tx, const char *path, char *buf, size_t size)
{
	long rc = request_strs(XS_DIRECTORY, tx, path, NULL);

	return rc ? rc : copy_reply(buf, size);
}

long gpv_xs_watch(const char *path, const char *token)
{
	return request_strs(XS_WATCH, 0, path, token);
}

long gpv_xs_unwatch(const char *path, const char *token)
{
	return request_strs(XS_UNWATCH, 0, path, token);
}

long gpv_xs_wait_watch(char *path, size_t psize, char *token, size_t tsize, uint64_t timeout_ns)
{
	uint64_t deadline = gpv_time_now() + timeout_ns;
	struct xsd_sockmsg r;
	long rc;

	while (!nr_queued) {
		rc = read_message(&r, deadline);
		if (rc)
			return rc;
		if (r.type == XS_WATCH_EVENT)
			queue_event();
	}
	gpv_snprintf(path, psize, "%s", queued[0].path);
	gpv_snprintf(token, tsize, "%s", queued[0].token);
	nr_queued--;
	memmove(&queued[0], &queued[1], nr_queued * sizeof(queued[0]));
	return 0;
}

long gpv_xs_transaction_start(uint32_t *tx)
{
	unsigned long v = 0;
	const char *p;
	long rc = request_strs(XS_TRANSACTION_START, 0, "", NULL);

	if (rc)
		return rc;
	/* Stop as soon as the id leaves 32 bits, so a long reply cannot wrap. */
	for (p = reply; *p >= '0' && *p <= '9' && v <= 0xffffffffUL; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == reply || v == 0 || v > 0xffffffffUL)
		return -XEN_EIO;
	*tx = (uint32_t)v;
	return 0;
}

long gpv_xs_transaction_end(uint32_t tx, bool abort)
{
	return request_strs(XS_TRANSACTION_END, tx, abort ? "F" : "T", NULL);
}
