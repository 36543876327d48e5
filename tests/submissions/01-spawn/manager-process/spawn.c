/* forklab test submission for 01-spawn: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

/* A manager process starts the workers and collects their statuses, so the
 * caller only has one child to look after. The manager reports on a pipe:
 * first an errno (0 if every worker started), then n exit codes. */

static int code_of(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

static void manage(int n, task_fn task, void *arg, int out)
{
	int *report = calloc((size_t)n + 1, sizeof(int));
	pid_t *pids = calloc((size_t)n, sizeof(pid_t));
	int started;

	if (!report || !pids)
		_exit(1);
	for (started = 0; started < n; started++) {
		pid_t pid = fork();

		if (pid < 0) {
			report[0] = errno;
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
		report[i + 1] = code_of(status);
	}
	write_all(out, report, sizeof(int) * ((size_t)n + 1));
	_exit(0);
}

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	int fds[2], status, ok;
	int *report;
	pid_t mgr;

	if (n == 0)
		return 0;
	report = calloc((size_t)n + 1, sizeof(int));
	if (!report)
		return -1;
	if (pipe(fds) < 0) {
		free(report);
		return -1;
	}
	fflush(NULL);
	mgr = fork();
	if (mgr < 0) {
		int e = errno;

		close(fds[0]);
		close(fds[1]);
		free(report);
		errno = e;
		return -1;
	}
	if (mgr == 0) {
		close(fds[0]);
		manage(n, task, arg, fds[1]);
	}
	close(fds[1]);
	ok = read_all(fds[0], report, sizeof(int) * ((size_t)n + 1)) == 0;
	close(fds[0]);
	while (waitpid(mgr, &status, 0) < 0 && errno == EINTR)
		;
	if (!ok) {
		free(report);
		errno = EIO;
		return -1;
	}
	if (report[0]) {
		errno = report[0];
		free(report);
		return -1;
	}
	if (statuses)
		memcpy(statuses, report + 1, sizeof(int) * (size_t)n);
	free(report);
	return 0;
}
