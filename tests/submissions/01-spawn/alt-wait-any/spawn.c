/* forklab test submission for 01-spawn: a correct solution that differs from
 * the reference: it reaps children in the order they end, with wait(), and
 * maps each pid back to its index. That is allowed here because spawn_all's
 * caller has no other children. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	pid_t *pids;
	int started, left, err = 0;

	if (n == 0)
		return 0;
	pids = malloc(sizeof(*pids) * (size_t)n);
	if (!pids)
		return -1;
	fflush(NULL);
	for (started = 0; started < n; started++) {
		pid_t pid = fork();

		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			int rc = task(started, arg);

			fflush(NULL);
			_exit(rc);
		}
		pids[started] = pid;
	}
	for (left = started; left > 0;) {
		int status;
		pid_t pid = wait(&status);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (!err)
				err = errno;
			break;
		}
		for (int i = 0; i < started; i++) {
			if (pids[i] != pid)
				continue;
			if (statuses)
				statuses[i] = WIFSIGNALED(status)
				                  ? -WTERMSIG(status)
				                  : WEXITSTATUS(status);
			left--;
			break;
		}
	}
	free(pids);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
