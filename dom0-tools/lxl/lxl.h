/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lxl, the thin command line over libtk: xl's command names, options,
 * output and exit codes. One table of subcommands (lxl_main.c), one file
 * per family (cmd_*.c). A command returns its exit status: 0, or 1 with one
 * "lxl: ..." line on stderr (xl's EXIT_FAILURE); 2 for a usage error.
 */
#ifndef LAMINA_DOM0_LXL_H
#define LAMINA_DOM0_LXL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dom0-tools/libtk/tk.h"

struct lxl_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	bool needs_tk; /* opens the hypervisor and xenstore first */
	const char *usage;
	const char *help;
};

/* The subcommand table, ended by a NULL name; lxl_cmd_find by name. */
extern const struct lxl_cmd lxl_cmds[];
const struct lxl_cmd *lxl_cmd_find(const char *name);

/* The open toolstack of this run (for commands with needs_tk). */
extern struct tk lxl_tk;

/* "lxl: " + message on stderr; returns 1 (EXIT_FAILURE). */
int lxl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* lxl_err(tk->msg). */
int lxl_tk_err(void);
/* Print @cmd's usage on stderr; returns 2. */
int lxl_usage(const char *cmd);

/* Resolve argv's domain or print the error: 0 or 1. */
int lxl_domain_arg(const char *arg, uint32_t *domid);

/*
 * xl's memory sizes: a number with an optional b/k/m/g/t suffix, MiB when
 * none. Into KiB; -EINVAL for anything else (no digits, junk, overflow).
 */
int lxl_parse_mem_kb(const char *s, uint64_t *kb);

/* A plain non-negative number (no sign, no junk) up to @max. */
int lxl_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* Subcommands. */
int cmd_create(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_shutdown(int argc, char **argv);
int cmd_reboot(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_unpause(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_domid(int argc, char **argv);
int cmd_domname(int argc, char **argv);
int cmd_uptime(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_vcpu_list(int argc, char **argv);
int cmd_vcpu_set(int argc, char **argv);
int cmd_vcpu_pin(int argc, char **argv);
int cmd_mem_set(int argc, char **argv);
int cmd_mem_max(int argc, char **argv);
int cmd_sched_credit(int argc, char **argv);
int cmd_sched_credit2(int argc, char **argv);
int cmd_cpupool_list(int argc, char **argv);

/* xl info KEY: the value part of an info @line that @key chooses, else NULL. */
const char *lxl_info_select(const char *line, const char *key);

/* Cpupool @id's name (malloc'ed), as libxl names it; NULL when it has none. */
char *lxl_pool_name(unsigned int id);

/* Attach this terminal to @domid's console; shared by create -c. */
int lxl_console_attach(uint32_t domid);

/* The JSON document every listing writes with -j (schema: docs/lxl.md). */
#define LXL_JSON_SCHEMA 1
struct lxl_json;
struct lxl_json *lxl_json_begin(const char *kind);
void lxl_json_key_str(struct lxl_json *j, const char *key, const char *val);
void lxl_json_key_int(struct lxl_json *j, const char *key, long long val);
void lxl_json_key_double(struct lxl_json *j, const char *key, double val);
void lxl_json_key_bool(struct lxl_json *j, const char *key, bool val);
/* Open an array under @key (or a nameless one in an array when NULL) / an object. */
void lxl_json_array(struct lxl_json *j, const char *key);
void lxl_json_object(struct lxl_json *j, const char *key);
void lxl_json_close_array(struct lxl_json *j);
void lxl_json_close_object(struct lxl_json *j);
/* Write the document to stdout; 0 or 1. */
int lxl_json_end(struct lxl_json *j);
/* Drop the document unwritten (a command failing part-way); @j may be NULL. */
void lxl_json_discard(struct lxl_json *j);

/* Whether -j/--json was given anywhere before the subcommand or in it. */
extern bool lxl_json_out;

#endif
