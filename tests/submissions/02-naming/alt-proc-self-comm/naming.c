/* forklab test submission for 02-naming: a correct solution that differs from
 * the reference: names are written to and read from /proc/self/comm instead
 * of using prctl(). The kernel cuts a written name to 15 bytes and ends the
 * file with a newline when it is read. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "naming.h"

static int set_comm(const char *name)
{
	int fd = open("/proc/self/comm", O_WRONLY | O_CLOEXEC);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, name, strlen(name)); /* no newline: it would be kept */
	close(fd);
	return w < 0 ? -1 : 0;
}

int spawn_named(int n, const char *const names[], task_fn task, void *arg,
                int *statuses)
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
		if (pid == 0) {
			if (set_comm(names[started]) < 0)
				_exit(126);
			_exit(task(started, arg));
		}
		pids[started] = pid;
	}
	for (int i = 0; i < started; i++) {
		int status;

		while (waitpid(pids[i], &status, 0) < 0) {
			if (errno != EINTR)
				break;
		}
		if (statuses)
			statuses[i] = WIFSIGNALED(status) ? -WTERMSIG(status)
			                                  : WEXITSTATUS(status);
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
	char name[32];
	ssize_t len;
	int fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	len = read(fd, name, sizeof(name) - 1);
	close(fd);
	if (len < 0)
		return -1;
	if (len > 0 && name[len - 1] == '\n')
		len--; /* the kernel's newline, not part of the name */
	name[len] = '\0';
	if ((size_t)len >= size) {
		errno = ERANGE;
		return -1;
	}
	memcpy(buf, name, (size_t)len + 1);
	return 0;
}
