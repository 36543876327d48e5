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
	int failed = 0;

	if (n == 0)
		return 0;
	pids = calloc((size_t)n, sizeof(pid_t));
	if (!pids)
		return -1;
	fflush(NULL);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			failed = 1;
			break;
		}
		if (pids[i] == 0)
			_exit(task(i, arg));
	}
	if (failed) {
		/* clean up: reap whatever was started */
		while (wait(NULL) > 0 || errno == EINTR)
			;
		free(pids);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (statuses)
			statuses[i] = WIFEXITED(status) ? WEXITSTATUS(status)
			                                : -WTERMSIG(status);
	}
	free(pids);
	return 0;
}
