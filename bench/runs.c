/*
 * runs.c - sandboxed runs against bare ones, driven from one process.
 *
 *   runs true N       N runs of /bin/true in the box (run_exec), then N bare
 *                     fork-exec-wait cycles; prints both times and the ratio
 *   runs forkpipe     the fork-and-pipe program under the tracer and bare
 *
 * Both sides run in this one process, one after the other, several times
 * alternated, and the best of each is kept: a loaded machine slows both.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

static double sandboxed(char *const argv[], int n)
{
	double t = util_now();

	for (int i = 0; i < n; i++) {
		struct run_conf c = { .argv = argv,
			              .lim = { .procs_total = 5000 } };
		struct run_result r;

		if (run_exec(&c, &r) != 0 || r.exit_code != 0)
			util_die("sandboxed run failed: %s (exit %d)", r.error,
			         r.exit_code);
		run_free(&r);
	}
	return util_now() - t;
}

static double bare(char *const argv[], int n)
{
	double t = util_now();

	for (int i = 0; i < n; i++) {
		int st;
		pid_t p = fork();

		if (p == 0) {
			execv(argv[0], argv);
			_exit(127);
		}
		if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			util_die("bare run failed");
	}
	return util_now() - t;
}

static long peak_kib(void)
{
	char *s = util_slurp("/proc/self/status", 1 << 16, NULL), *p;
	long kib = -1;

	if (s && (p = strstr(s, "VmHWM:")))
		kib = strtol(p + 6, NULL, 10);
	free(s);
	return kib;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 500, rounds = 3;
	double best_s = 1e9, best_b = 1e9;
	char *true_argv[] = { "/bin/true", NULL };
	char *fp_argv[] = { "build/bench/forkpipe", NULL };
	char *const *cmd = true_argv;

	if (argc > 1 && !strcmp(argv[1], "forkpipe")) {
		cmd = fp_argv;
		n = 1;
		rounds = 5;
	}
	for (int k = 0; k < rounds; k++) {
		double s = sandboxed(cmd, n), b = bare(cmd, n);

		if (s < best_s)
			best_s = s;
		if (b < best_b)
			best_b = b;
	}
	printf("%-10s sandboxed %.4f s  bare %.4f s  ratio %.2fx  (%d runs, "
	       "best of %d)  peak memory of the driving process %ld KiB\n",
	       cmd == fp_argv ? "forkpipe" : "true", best_s, best_b,
	       best_s / best_b, n, rounds, peak_kib());
	return 0;
}
