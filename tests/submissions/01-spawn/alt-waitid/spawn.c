/* forklab test submission for 01-spawn: a correct solution that differs from
 * the reference: waitid(P_ALL) gives a siginfo_t whose si_code says how the
 * child ended and si_status the exit status or the signal. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

static int index_of(const pid_t *pids, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (pids[i] == pid)
			return i;
	return -1;
}

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	pid_t *pids;
	int started, reaped = 0, saved = 0;

	if (n == 0)
		return 0;
	pids = calloc((size_t)n, sizeof(*pids));
	if (!pids)
		return -1;
	fflush(stdout);
	fflush(stderr);
	for (started = 0; started < n; started++) {
		pids[started] = fork();
		if (pids[started] < 0) {
			saved = errno;
			break;
		}
		if (pids[started] == 0)
			_exit(task(started, arg));
	}
	while (reaped < started) {
		siginfo_t si;
		int i;

		si.si_pid = 0;
		if (waitid(P_ALL, 0, &si, WEXITED) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		reaped++;
		i = index_of(pids, started, si.si_pid);
		if (i < 0 || !statuses)
			continue;
		if (si.si_code == CLD_EXITED)
			statuses[i] = si.si_status;
		else /* CLD_KILLED or CLD_DUMPED */
			statuses[i] = -si.si_status;
	}
	free(pids);
	if (saved) {
		errno = saved;
		return -1;
	}
	return 0;
}
