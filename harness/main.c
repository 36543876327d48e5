/*
 * main.c - the forklab command line.
 *
 * Theory of operation. Each subcommand is a row of the table at the bottom:
 * `run` puts one command in the box and prints its kernel record; `grade`,
 * `check` and `list` hand over to grade.c, which walks the pipeline
 * scan -> build -> run -> judge -> report. Options are parsed strictly: a bad
 * one is a one-line error and exit 1; exit 2 is kept for faults of forklab.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "grade.h"
#include "run.h"
#include "util.h"

#define MAX_ENV 64

static int usage(FILE *f)
{
	fputs("usage: forklab run [--wall S] [--cpu S] [--procs N] "
	      "[--procs-total N]\n"
	      "                   [--mem MIB] [--fsize MIB] [--disk MIB] "
	      "[--output BYTES]\n"
	      "                   [--env K=V]... -- CMD [ARG...]\n"
	      "       forklab grade DIR [--format FMT[,FMT...]] [-o FILE] "
	      "[--only ID,...]\n"
	      "                     [--course FILE]   FMT: json gradescope "
	      "prairielearn junit tap text html\n"
	      "       forklab batch SUBMISSIONS_DIR --out OUT_DIR [--jobs N] "
	      "[--format FMT]\n"
	      "                     [--only ID,...] [--force]\n"
	      "       forklab check [--course FILE] [ID...]\n"
	      "       forklab list\n",
	      f);
	return f == stderr ? 1 : 0;
}

/* A number in [lo, hi], strictly: the whole string, finite. */
static int number(const char *opt, const char *s, double lo, double hi,
                  double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi) {
		fprintf(stderr,
		        "forklab: --%s: '%s' is not a number from %g to %g\n",
		        opt, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wall", 1, 0, 'w' },  { "cpu", 1, 0, 'c' },
		{ "procs", 1, 0, 'p' }, { "procs-total", 1, 0, 'P' },
		{ "mem", 1, 0, 'm' },   { "fsize", 1, 0, 'f' },
		{ "disk", 1, 0, 'd' },  { "output", 1, 0, 'o' },
		{ "env", 1, 0, 'e' },   { "help", 0, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	/* option, limit field, range */
	static const struct {
		int opt;
		double lo, hi;
	} ranges[] = {
		{ 'w', 0.01, 3600 }, { 'c', 0.01, 3600 }, { 'p', 1, 4096 },
		{ 'P', 1, 100000 },  { 'm', 16, 65536 },  { 'f', 1, 65536 },
		{ 'd', 1, 65536 },   { 'o', 1, 1 << 30 },
	};
	struct run_conf c = { 0 };
	struct run_result r;
	const char *env[MAX_ENV + 1] = { 0 };
	int nenv = 0, o, rc;
	json_t *j;

	optind = 1;
	while ((o = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		double v = 0;

		if (o == 'h')
			return usage(stdout);
		if (o == '?')
			return usage(stderr);
		if (o == 'e') {
			if (!strchr(optarg, '=') || nenv == MAX_ENV) {
				fprintf(stderr,
				        "forklab: --env wants KEY=VALUE (at "
				        "most %d)\n",
				        MAX_ENV);
				return 1;
			}
			env[nenv++] = optarg;
			continue;
		}
		for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
			if (ranges[i].opt == o &&
			    number(opts[i].name, optarg, ranges[i].lo,
			           ranges[i].hi, &v) < 0)
				return 1;
		switch (o) {
		case 'w':
			c.lim.wall_s = v;
			break;
		case 'c':
			c.lim.cpu_s = v;
			break;
		case 'p':
			c.lim.procs = (int)v;
			break;
		case 'P':
			c.lim.procs_total = (int)v;
			break;
		case 'm':
			c.lim.mem_mib = (long)v;
			break;
		case 'f':
			c.lim.fsize_mib = (long)v;
			break;
		case 'd':
			c.lim.disk_mib = (long)v;
			break;
		case 'o':
			c.lim.output_bytes = (long)v;
			break;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "forklab: run: no command given (forklab run "
		                "[options] -- CMD [ARG...])\n");
		return 1;
	}
	c.argv = argv + optind;
	c.env = env;
	rc = run_exec(&c, &r);
	if (rc < 0) {
		fprintf(stderr, "forklab: %s\n", r.error);
		run_free(&r);
		return 2;
	}
	if (rc > 0 && !r.started && !r.trc.np) {
		/* Nothing ran: the command itself is wrong. */
		fprintf(stderr, "forklab: %s\n", r.error);
	}
	j = run_json(&c, &r);
	if (json_dumpf(j, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII) < 0)
		util_die("writing the record: %m");
	putchar('\n');
	json_decref(j);
	run_free(&r);
	if (fflush(stdout) == EOF)
		util_die("stdout: %m");
	return rc > 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "run", cmd_run },         { "grade", grade_cmd_grade },
		{ "batch", batch_cmd },     { "check", grade_cmd_check },
		{ "list", grade_cmd_list },
	};

	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help"))
		return usage(stdout);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr,
	        "forklab: unknown command '%s' (run, grade, batch, "
	        "check, list)\n",
	        argv[1]);
	return 1;
}
