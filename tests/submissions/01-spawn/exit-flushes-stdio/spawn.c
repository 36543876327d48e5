/* forklab test submission for 01-spawn: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	pid_t pids[n > 0 ? n : 1];
	int started, err = 0;

	for (started = 0; started < n; started++) {
		pid_t pid = fork();

		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0)
			exit(task(started, arg)); /* like returning from main */
		pids[started] = pid;
	}
	for (int i = 0; i < started; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (!statuses)
			continue;
		if (WIFEXITED(status))
			statuses[i] = WEXITSTATUS(status);
		else
			statuses[i] = -WTERMSIG(status);
	}
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
