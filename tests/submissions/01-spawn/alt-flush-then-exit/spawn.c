/* forklab test submission for 01-spawn: a correct solution that differs from
 * the reference: the children leave with exit(), which the sheet allows
 * because the caller flushes every stdio stream before forking, so the
 * children have no copy of the caller's text to write again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	pid_t pids[64];
	pid_t *p = n <= 64 ? pids : malloc(sizeof(pid_t) * (size_t)n);
	int i, started, err = 0;

	if (n == 0)
		return 0;
	if (!p)
		return -1;
	fflush(NULL);
	for (started = 0; started < n; started++) {
		p[started] = fork();
		if (p[started] == -1) {
			err = errno;
			break;
		}
		if (p[started] == 0)
			exit(task(started, arg));
	}
	for (i = 0; i < started; i++) {
		int st;
		pid_t r;

		do
			r = waitpid(p[i], &st, 0);
		while (r == -1 && errno == EINTR);
		if (r == -1)
			continue;
		if (statuses)
			statuses[i] =
			    WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
	}
	if (p != pids)
		free(p);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
