/* forklab test submission for 02-naming: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "naming.h"

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return -WTERMSIG(status);
}

int spawn_named(int n, const char *const names[], task_fn task, void *arg,
                int *statuses)
{
	pid_t *pids;
	int started, err = 0;

	if (n == 0)
		return 0;
	if (n < 0) {
		errno = EINVAL;
		return -1;
	}
	pids = calloc((size_t)n, sizeof(pid_t));
	if (!pids)
		return -1;
	fflush(NULL);
	for (started = 0; started < n; started++) {
		pid_t pid;

		pid = fork();
		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			int rc = task(started, arg);

			prctl(PR_SET_NAME, names[started]);
			_exit(rc);
		}
		pids[started] = pid;
	}
	for (int i = 0; i < started; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (statuses)
			statuses[i] = exit_code(status);
	}
	free(pids);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

int process_name(char *buf, size_t size)
{
	char name[16] = { 0 };

	if (prctl(PR_GET_NAME, name) < 0)
		return -1;
	if (strlen(name) + 1 > size) {
		errno = ERANGE;
		return -1;
	}
	strcpy(buf, name);
	return 0;
}
