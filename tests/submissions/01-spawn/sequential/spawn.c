/* forklab test submission for 01-spawn: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

static int exitcode_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return -WTERMSIG(status);
}

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	fflush(NULL);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return -1;
		if (pid == 0)
			_exit(task(i, arg));
		/* wait for this worker before starting the next one */
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR)
				return -1;
		}
		if (statuses)
			statuses[i] = exitcode_of(status);
	}
	return 0;
}
