// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: lxl's command line, every subcommand, over a pretend
 * toolstack (d0_fake.c: nothing reaches a hypervisor or xenstored). The
 * input's first byte picks the subcommand (one of lxl_cmds[], "help", or
 * the first argument given raw), its second adds the global options -j / -v
 * / an unknown one; the rest, split at NUL bytes, is the argument list (at
 * most 32). lxl_main() runs it; create finds good.cfg and bad.cfg in a scratch
 * directory. Checked besides ASan/UBSan/leaks: the exit status is
 * 0, 1 or 2; a usage error (2) is found before any call into the
 * toolstack; the handles are closed again after every command; what the
 * stand-ins are handed is checked there (d0_fake.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "d0_fake.h"

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int lxl_main(int argc, char **argv);

static const char good_cfg[] = "name = 'fz'\nkernel = '/boot/vmlinuz'\nmemory = 64\nvcpus = 2\n"
			       "disk = [ 'file:/img/a,xvda,w' ]\nvif = [ 'bridge=br0' ]\n";
static const char bad_cfg[] = "name = 'fz'\nmemory = 'lots'\n";

static char scratch[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch, name);
	f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		abort();
}

static void remove_scratch(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/good.cfg", scratch);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bad.cfg", scratch);
	unlink(path);
	rmdir(scratch);
}

/* Once: a scratch directory for create's files; lxl's output to /dev/null. */
static void setup(void)
{
	strcpy(scratch, "/tmp/fuzz_d0_args.XXXXXX");
	if (!mkdtemp(scratch))
		abort();
	atexit(remove_scratch);
	write_file("good.cfg", good_cfg);
	write_file("bad.cfg", bad_cfg);
	stdout = fopen("/dev/null", "w");
	stderr = fopen("/dev/null", "w");
	if (!stdout || !stderr)
		abort();
}

/* getopt keeps a pointer into the last argv: drop it before the next run. */
static void getopt_forget(void)
{
	char *argv[] = { "x", NULL };

	optind = 0;
	while (getopt(1, argv, "") != -1)
		;
}

static int nr_cmds(void)
{
	int n = 0;

	while (lxl_cmds[n].name)
		n++;
	return n;
}

/*
 * create's config file: a name without '/' is looked up in the scratch
 * directory (lxl is not run from there: libFuzzer's paths are relative).
 */
int __real_cfg_read_file(const char *path, const char *const *over, int nover, FILE *report,
			 struct cfg_domain *out);
int __wrap_cfg_read_file(const char *path, const char *const *over, int nover, FILE *report,
			 struct cfg_domain *out);
int __wrap_cfg_read_file(const char *path, const char *const *over, int nover, FILE *report,
			 struct cfg_domain *out)
{
	char full[4200];

	if (strchr(path, '/') || strlen(path) > 4096)
		return __real_cfg_read_file(path, over, nover, report, out);
	snprintf(full, sizeof(full), "%s/%s", scratch, path);
	return __real_cfg_read_file(full, over, nover, report, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	char *argv[MAX_ARGS + 5], *buf;
	int argc = 0, rc, pick;
	size_t p = 2;

	if (!ready) {
		setup();
		ready = true;
	}
	if (size < 2)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "lxl";
	if (data[1] & 1)
		argv[argc++] = "-j";
	if (data[1] & 2)
		argv[argc++] = "-v";
	if ((data[1] & 0x1c) == 0x1c)
		argv[argc++] = "--bogus";
	pick = data[0] % (nr_cmds() + 2);
	if (pick < nr_cmds())
		argv[argc++] = (char *)lxl_cmds[pick].name;
	else if (pick == nr_cmds())
		argv[argc++] = "help";
	while (p < size && argc < MAX_ARGS + 4) {
		argv[argc++] = buf + p;
		p += strlen(buf + p) + 1;
	}
	argv[argc] = NULL;

	d0_fake_reset();
	getopt_forget();
	lxl_json_out = false;
	rc = lxl_main(argc, argv);
	if (rc < 0 || rc > 2)
		abort();
	if (rc == 2 && d0_fake_calls)
		abort(); /* a usage error after acting on something */
	if (lxl_tk.hyp || lxl_tk.xs)
		abort(); /* left open */
	fflush(stdout);
	fflush(stderr);
	free(buf);
	return 0;
}
