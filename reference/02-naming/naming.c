/*
 * naming.c - reference solution of forklab exercise 02-naming.
 *
 * Theory of operation. spawn_named() is 01-spawn's spawn_all() with one more
 * step in the child: before the task runs, the child names itself with
 * prctl(PR_SET_NAME), which sets the kernel's "comm" of the calling thread.
 * In a single-threaded child that is the process's name: /proc/PID/comm, ps
 * and top show it. The name is set by the child itself, so it is in place
 * before the task's first instruction, and the caller's name never changes
 * (renaming the caller and letting children inherit the name would rename
 * the caller too). The kernel keeps 15 bytes and a NUL (TASK_COMM_LEN, 16)
 * and cuts longer names itself.
 *
 * process_name() asks the kernel for the same field with prctl(PR_GET_NAME),
 * which always fills 16 bytes, and copies it out only if it fits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "naming.h"

/* The kernel's buffer for a name, NUL included (TASK_COMM_LEN). */
#define COMM_SIZE 16

/* Python's exitcode for a wait status: exit status, or -signal. */
static int exitcode_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return -1; /* stopped or continued: not asked for, never seen */
}

/* Wait for child pid, retrying when a signal handler interrupts the wait.
 * Returns 0 and its exitcode in *code, or -1 with errno. */
static int reap(pid_t pid, int *code)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	*code = exitcode_of(status);
	return 0;
}

/* The child's whole life: put on the name tag first, so that anyone who looks
 * (the task itself included) sees it, then work, then leave with _exit() so
 * that the caller's atexit handlers and stdio buffers are not run twice. */
static void run_child(int id, const char *name, task_fn task, void *arg)
{
	int rc;

	/* Cannot fail for a readable string; the kernel cuts it to 15 bytes. */
	prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
	rc = task(id, arg);
	fflush(NULL);
	_exit(rc & 0xff);
}

/* As spawn_all of 01-spawn, but child i names itself names[i] before running
 * task(i, arg). Returns 0, or -1 with errno set: fork's error (after reaping
 * the children already started), EINVAL for n < 0, no task or a missing name,
 * ENOMEM. The caller's name does not change. */
int spawn_named(int n, const char *const names[], task_fn task, void *arg,
                int *statuses)
{
	pid_t *pids;
	int started, i, code, err = 0;

	/* Trivial case: nothing to start. */
	if (n == 0)
		return 0;
	if (n < 0 || !task || !names) {
		errno = EINVAL;
		return -1;
	}
	/* Refuse a missing name before any child exists, not in the child. */
	for (i = 0; i < n; i++) {
		if (!names[i]) {
			errno = EINVAL;
			return -1;
		}
	}
	pids = calloc((size_t)n, sizeof(*pids));
	if (!pids)
		return -1;

	/* Children get a copy of the caller's unwritten stdio buffers: write
	 * them out now so that no child can write them a second time. */
	fflush(NULL);

	for (started = 0; started < n; started++) {
		pid_t pid = fork();

		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0)
			run_child(started, names[started], task, arg);
		pids[started] = pid;
	}

	/* Reap every child started, also when a fork failed: nothing may be
	 * left behind. */
	for (i = 0; i < started; i++) {
		if (reap(pids[i], &code) < 0) {
			if (!err)
				err = errno;
			continue;
		}
		if (statuses && !err)
			statuses[i] = code;
	}
	free(pids);

	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* Copy the calling process's name, NUL included, into buf of size bytes.
 * Returns 0, or -1 with errno set: ERANGE when it does not fit (buf is then
 * left alone). */
int process_name(char *buf, size_t size)
{
	char name[COMM_SIZE] = "";
	size_t len;

	/* PR_GET_NAME writes up to 16 bytes, always NUL-terminated. */
	if (prctl(PR_GET_NAME, (unsigned long)name, 0, 0, 0) < 0)
		return -1;
	len = strlen(name);
	if (len + 1 > size) {
		errno = ERANGE;
		return -1;
	}
	memcpy(buf, name, len + 1);
	return 0;
}
