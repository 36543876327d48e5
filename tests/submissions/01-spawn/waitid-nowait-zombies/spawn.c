/* forklab test submission for 01-spawn: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

/* Wait until child pid has ended and return its exit code. */
static int wait_end(pid_t pid)
{
	siginfo_t si;

	/* WNOWAIT: look at the status without disturbing the child */
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (si.si_code == CLD_EXITED)
		return si.si_status;
	return -si.si_status;
}

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	pid_t *pids;
	int started, err = 0;

	if (n == 0)
		return 0;
	pids = calloc((size_t)n, sizeof(pid_t));
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
		int code = wait_end(pids[i]);

		if (statuses)
			statuses[i] = code;
	}
	free(pids);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
