/* forklab test submission for 01-spawn: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	pid_t *pids;
	int started, err = 0;

	if (n == 0)
		return 0;
	pids = malloc(sizeof(pid_t) * (size_t)n);
	if (!pids)
		return -1;
	fflush(NULL);
	for (started = 0; started < n; started++) {
		pid_t pid = fork();

		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0)
			_exit(task(started, arg));
		pids[started] = pid;
	}
	for (int i = 0; i < started; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (statuses) {
			if (WIFEXITED(status))
				statuses[i] = WEXITSTATUS(status);
			else
				statuses[i] =
				    status; /* killed: keep what wait said */
		}
	}
	free(pids);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
