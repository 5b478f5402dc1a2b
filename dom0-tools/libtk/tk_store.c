// SPDX-License-Identifier: GPL-2.0-only
/*
 * A new guest's xenstore tree, as libxl lays it out for a PV guest (read from
 * Xen 4.17's libxl_create.c, libxl_dom.c, libxl_device.c):
 *
 *   /local/domain/<id>            dom0 owns, the guest reads
 *     name vm domid  store/{port,ring-ref}  console/{ring-ref,port,type,...}
 *     cpu/<n>/availability  memory/{static-max,target,videoram}
 *     control/  (shutdown, feature-*: the guest writes)  data drivers feature attr error
 *     device/vbd/<devid>, device/vif/<n>   frontends (the guest owns them)
 *   /local/domain/0/backend/{vbd,vif,console}/<id>/<n>   backends (the guest reads)
 *   /vm/<uuid>                    uuid name image/{kernel,...} start_time
 *   /lxl/<id>                     lxl's record: config file, policies
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tk_int.h"

void tk_uuid_str(const uint8_t u[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}

/* Xen's 00:16:3e prefix and three random bytes, as xl picks a MAC. */
static void pick_mac(const struct cfg_vif *v, char out[18])
{
	if (v->mac[0]) {
		memcpy(out, v->mac, 18);
		return;
	}
	snprintf(out, 18, "00:16:3e:%02x:%02x:%02x", rand() & 0x7f, rand() & 0xff, rand() & 0xff);
}

/* @dir/@key = @val with @perm. */
static void kv(struct xsu_batch *b, char perm, const char *dir, const char *key, const char *val)
{
	xsu_add(b, perm, val, "%s/%s", dir, key);
}

static void kv_num(struct xsu_batch *b, char perm, const char *dir, const char *key, uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRIu64, v);
	kv(b, perm, dir, key, s);
}

/* The frontend/backend pair every device has; the caller adds its own keys. */
static void add_pair(struct xsu_batch *b, uint32_t domid, const char *fe, const char *be,
		     int backend_domid)
{
	xsu_add_value(b, XSU_PERM_OWNER, fe, NULL);
	kv(b, XSU_PERM_OWNER, fe, "backend", be);
	kv_num(b, XSU_PERM_OWNER, fe, "backend-id", (uint64_t)backend_domid);
	kv(b, XSU_PERM_OWNER, fe, "state", "1");
	xsu_add_value(b, XSU_PERM_READ, be, NULL);
	kv(b, XSU_PERM_READ, be, "frontend", fe);
	kv_num(b, XSU_PERM_READ, be, "frontend-id", domid);
	kv(b, XSU_PERM_READ, be, "online", "1");
	kv(b, XSU_PERM_READ, be, "state", "1");
}

static void add_disk(struct xsu_batch *b, uint32_t domid, const struct cfg_disk *d)
{
	const char *type = d->cdrom ? "cdrom" : "disk";
	char fe[96], be[96];

	snprintf(fe, sizeof(fe), "/local/domain/%u/device/vbd/%d", domid, d->devid);
	snprintf(be, sizeof(be), "/local/domain/0/backend/vbd/%u/%d", domid, d->devid);
	add_pair(b, domid, fe, be, 0);
	kv_num(b, XSU_PERM_OWNER, fe, "virtual-device", (uint64_t)d->devid);
	kv(b, XSU_PERM_OWNER, fe, "device-type", type);
	kv(b, XSU_PERM_READ, be, "removable", d->cdrom ? "1" : "0");
	kv(b, XSU_PERM_READ, be, "bootable", "1");
	kv(b, XSU_PERM_READ, be, "mode", d->readwrite ? "w" : "r");
	kv(b, XSU_PERM_READ, be, "params", d->target ? d->target : "");
	kv(b, XSU_PERM_READ, be, "type", "phy");
	kv(b, XSU_PERM_READ, be, "format", d->format);
	kv(b, XSU_PERM_READ, be, "dev", d->vdev);
	kv(b, XSU_PERM_READ, be, "device-type", type);
}

static void add_vif(struct xsu_batch *b, uint32_t domid, unsigned int n, const struct cfg_vif *v)
{
	char fe[96], be[96], mac[18];

	pick_mac(v, mac);
	snprintf(fe, sizeof(fe), "/local/domain/%u/device/vif/%u", domid, n);
	snprintf(be, sizeof(be), "/local/domain/%d/backend/vif/%u/%u", v->backend_domid, domid, n);
	add_pair(b, domid, fe, be, v->backend_domid);
	kv_num(b, XSU_PERM_OWNER, fe, "handle", n);
	kv(b, XSU_PERM_OWNER, fe, "mac", mac);
	kv_num(b, XSU_PERM_READ, be, "handle", n);
	kv(b, XSU_PERM_READ, be, "mac", mac);
	kv(b, XSU_PERM_READ, be, "type", v->type ? v->type : "vif");
	kv(b, XSU_PERM_READ, be, "script", v->script ? v->script : "/etc/xen/scripts/vif-bridge");
	if (v->bridge)
		kv(b, XSU_PERM_READ, be, "bridge", v->bridge);
	if (v->ip)
		kv(b, XSU_PERM_READ, be, "ip", v->ip);
	if (v->vifname)
		kv(b, XSU_PERM_READ, be, "vifname", v->vifname);
}

static void add_local(struct xsu_batch *b, uint32_t domid, const struct cfg_domain *cfg,
		      const char *vm, const struct hyp_pv_image *img)
{
	static const char *const owned[] = { "data", "drivers", "feature", "attr", "error" };
	char p[64], cpu[32];

	snprintf(p, sizeof(p), "/local/domain/%u", domid);
	xsu_add_value(b, XSU_PERM_READ, p, NULL);
	kv(b, XSU_PERM_READ, p, "vm", vm);
	kv(b, XSU_PERM_READ, p, "name", cfg->name);
	kv_num(b, XSU_PERM_READ, p, "domid", domid);
	for (unsigned int v = 0; v < cfg->maxvcpus; v++) {
		snprintf(cpu, sizeof(cpu), "cpu/%u/availability", v);
		kv(b, XSU_PERM_READ, p, cpu, v < cfg->vcpus ? "online" : "offline");
	}
	kv_num(b, XSU_PERM_READ, p, "memory/static-max", (uint64_t)cfg->maxmem_mb * 1024);
	kv_num(b, XSU_PERM_READ, p, "memory/target", (uint64_t)cfg->memory_mb * 1024);
	kv(b, XSU_PERM_READ, p, "memory/videoram", "0");
	kv(b, XSU_PERM_READ, p, "control", NULL);
	kv(b, XSU_PERM_OWNER, p, "control/shutdown", "");
	kv(b, XSU_PERM_OWNER, p, "control/sysrq", "");
	for (unsigned int i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		kv(b, XSU_PERM_OWNER, p, owned[i], NULL);
	kv(b, XSU_PERM_READ, p, "device", NULL);
	kv_num(b, XSU_PERM_READ, p, "store/port", img->store_evtchn_port);
	kv_num(b, XSU_PERM_READ, p, "store/ring-ref", img->store_frame);
}

/* The primary console: frontend at /local/domain/<id>/console, served by the console daemon. */
static void add_console(struct xsu_batch *b, uint32_t domid, const struct hyp_pv_image *img)
{
	char fe[64], be[64];

	snprintf(fe, sizeof(fe), "/local/domain/%u/console", domid);
	snprintf(be, sizeof(be), "/local/domain/0/backend/console/%u/0", domid);
	kv_num(b, XSU_PERM_READ, fe, "ring-ref", img->console_frame);
	kv_num(b, XSU_PERM_READ, fe, "port", img->console_evtchn_port);
	kv(b, XSU_PERM_READ, fe, "limit", "1048576");
	kv(b, XSU_PERM_READ, fe, "type", "xenconsoled");
	kv(b, XSU_PERM_READ, fe, "output", "pty");
	xsu_add_value(b, XSU_PERM_READ, be, NULL);
	kv(b, XSU_PERM_READ, be, "frontend", fe);
	kv_num(b, XSU_PERM_READ, be, "frontend-id", domid);
	kv(b, XSU_PERM_READ, be, "online", "1");
	kv(b, XSU_PERM_READ, be, "state", "1");
	kv(b, XSU_PERM_READ, be, "protocol", "vt100");
}

static void add_vm(struct xsu_batch *b, const char *vm, const char *uuid,
		   const struct cfg_domain *cfg, const struct tk_create_opts *o, uint32_t domid)
{
	struct timespec ts;
	char t[40];

	xsu_add(b, XSU_PERM_DOM0, uuid, "%s/uuid", vm);
	xsu_add(b, XSU_PERM_DOM0, cfg->name, "%s/name", vm);
	xsu_add(b, XSU_PERM_DOM0, "linux", "%s/image/ostype", vm);
	xsu_add(b, XSU_PERM_DOM0, cfg->kernel, "%s/image/kernel", vm);
	xsu_add(b, XSU_PERM_DOM0, cfg->ramdisk ? cfg->ramdisk : "", "%s/image/ramdisk", vm);
	xsu_add(b, XSU_PERM_DOM0, cfg->cmdline ? cfg->cmdline : "", "%s/image/cmdline", vm);
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(t, sizeof(t), "%lld.%02ld", (long long)ts.tv_sec, ts.tv_nsec / 10000000);
	xsu_add(b, XSU_PERM_DOM0, t, "%s/start_time", vm);
	xsu_add(b, XSU_PERM_DOM0, o->config_path ? o->config_path : "", TK_LXL_PATH "/%u/config",
		domid);
	xsu_add(b, XSU_PERM_DOM0, cfg_action_name(cfg->on_poweroff), TK_LXL_PATH "/%u/on_poweroff",
		domid);
	xsu_add(b, XSU_PERM_DOM0, cfg_action_name(cfg->on_reboot), TK_LXL_PATH "/%u/on_reboot",
		domid);
	xsu_add(b, XSU_PERM_DOM0, cfg_action_name(cfg->on_crash), TK_LXL_PATH "/%u/on_crash",
		domid);
}

int tk_store_domain(struct tk *tk, uint32_t domid, const struct cfg_domain *cfg,
		    const struct tk_create_opts *o, const uint8_t uuid[16],
		    const struct hyp_pv_image *img)
{
	struct xsu_batch b;
	char u[37], vm[64];

	tk_uuid_str(uuid, u);
	snprintf(vm, sizeof(vm), "/vm/%s", u);
	xsu_batch_init(&b, domid);
	add_local(&b, domid, cfg, vm, img);
	add_console(&b, domid, img);
	for (unsigned int i = 0; i < cfg->nr_disks; i++)
		add_disk(&b, domid, &cfg->disks[i]);
	for (unsigned int i = 0; i < cfg->nr_vifs; i++)
		add_vif(&b, domid, i, &cfg->vifs[i]);
	add_vm(&b, vm, u, cfg, o, domid);
	return xsu_commit(tk->xs, &b);
}
