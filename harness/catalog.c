/* catalog.c - the eight exercises and their tests, from the sheet.
 *
 * The tables are compiled in from graders/NN-name.tests, the same rows the
 * test drivers run, so names, points and limits have one source. forklab
 * reads nothing that a submission can write. */
#define _GNU_SOURCE
#include "catalog.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T(check, name, points, timeout, procs, rule, arg, text)                \
	{ check, #name, points, timeout, procs, rule, arg, text, NULL },
static const struct fl_test spawn_tests[] = {
#include "../graders/01-spawn.tests"
};
static const struct fl_test naming_tests[] = {
#include "../graders/02-naming.tests"
};
static const struct fl_test subclass_tests[] = {
#include "../graders/03-subclass.tests"
};
static const struct fl_test pipe_tests[] = {
#include "../graders/04-pipe.tests"
};
static const struct fl_test queue_tests[] = {
#include "../graders/05-queue.tests"
};
static const struct fl_test pool_tests[] = {
#include "../graders/06-pool.tests"
};
static const struct fl_test barrier_tests[] = {
#include "../graders/07-barrier.tests"
};
static const struct fl_test terminate_tests[] = {
#include "../graders/08-terminate.tests"
};
#undef T

#define N(a) (int)(sizeof a / sizeof a[0])
static const struct cat_exercise exercises[] = {
	{ "01-spawn", "spawn.c", "spawn.h", "spawning processes", spawn_tests,
	  N(spawn_tests) },
	{ "02-naming", "naming.c", "naming.h", "naming processes", naming_tests,
	  N(naming_tests) },
	{ "03-subclass", "worker.c", "worker.h", "a process \"class\"",
	  subclass_tests, N(subclass_tests) },
	{ "04-pipe", "channel.c", "channel.h", "a duplex channel", pipe_tests,
	  N(pipe_tests) },
	{ "05-queue", "mpqueue.c", "mpqueue.h", "a queue shared by processes",
	  queue_tests, N(queue_tests) },
	{ "06-pool", "pool.c", "pool.h", "a pool of worker processes",
	  pool_tests, N(pool_tests) },
	{ "07-barrier", "barrier.c", "barrier.h", "a barrier for processes",
	  barrier_tests, N(barrier_tests) },
	{ "08-terminate", "terminate.c", "terminate.h",
	  "stopping a stuck worker", terminate_tests, N(terminate_tests) },
};

const struct cat_exercise *cat_all(int *n)
{
	*n = N(exercises);
	return exercises;
}

const struct cat_exercise *cat_find(const char *id)
{
	const struct cat_exercise *found = NULL;
	size_t len = strlen(id);

	for (int i = 0; i < N(exercises); i++) {
		if (!strcmp(exercises[i].id, id))
			return &exercises[i];
		if (len >= 2 && !strncmp(exercises[i].id, id, len)) {
			if (found)
				return NULL; /* ambiguous */
			found = &exercises[i];
		}
	}
	return found;
}

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cat_paths(struct cat_paths *p, char *err, size_t errlen)
{
	char exe[PATH_MAX - 64], *slash; /* room for the suffixes below */
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	memset(p, 0, sizeof *p);
	if (n <= 0) {
		snprintf(err, errlen, "readlink /proc/self/exe: %m");
		return -1;
	}
	exe[n] = '\0';
	/* .../bin/forklab -> ... */
	for (int k = 0; k < 2; k++) {
		slash = strrchr(exe, '/');
		if (!slash) {
			snprintf(err, errlen, "cannot place %s", exe);
			return -1;
		}
		*slash = '\0';
	}
	snprintf(p->root, sizeof p->root, "%s", *exe ? exe : "/");
	snprintf(p->lib, sizeof p->lib, "%s/lib/forklab", exe);
	if (is_dir(p->lib)) {
		p->installed = 1;
		snprintf(p->headers, sizeof p->headers,
		         "%s/lib/forklab/exercises", exe);
	} else {
		snprintf(p->lib, sizeof p->lib, "%s/build", exe);
		snprintf(p->headers, sizeof p->headers, "%s/exercises", exe);
	}
	if (!is_dir(p->lib) || !is_dir(p->headers)) {
		snprintf(err, errlen,
		         "forklab's files are missing under %s (run make)",
		         p->root);
		return -1;
	}
	return 0;
}
