/*
 * spawn.c - reference solution of forklab exercise 01-spawn.
 *
 * Theory of operation. spawn_all() is Python's
 *
 *	ps = [Process(target=task, args=(i, arg)) for i in range(n)]
 *	for p in ps: p.start()
 *	for p in ps: p.join()
 *
 * in two passes. The first pass forks the n children one after another
 * without waiting, so that they all run at the same time; each child runs its
 * task and leaves with _exit(), never returning into the caller's code. The
 * second pass waits for each child by its pid, which tells us its index, and
 * turns the kernel's wait status into Python's exitcode (the exit status, or
 * minus the signal that killed the child). If a fork fails part way, the
 * children already running are waited for before the failure is reported, so
 * that nothing is left behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

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
 * Returns 0 with its exitcode in *code, or -1 with errno. */
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

/* The child's whole life: run the task, flush what the task printed, and
 * leave with _exit() so that the caller's atexit handlers do not run again
 * here. The task's int becomes an exit status of 0..255, as in Python. */
static void run_child(int id, task_fn task, void *arg)
{
	int rc = task(id, arg);

	fflush(NULL);
	_exit(rc & 0xff);
}

/* Run task(i, arg) for i in [0, n), each in a child of its own, all at once;
 * return after every child has been reaped, with child i's exit code in
 * statuses[i] (if statuses is not NULL). Returns 0, or -1 with errno set:
 * fork's error (EAGAIN at the process limit) after the children already
 * started have ended and been reaped, EINVAL for n < 0 or no task, ENOMEM. */
int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	pid_t *pids;
	int started, i, code, err = 0;

	/* Trivial case: nothing to start. */
	if (n == 0)
		return 0;
	if (n < 0 || !task) {
		errno = EINVAL;
		return -1;
	}
	pids = calloc((size_t)n, sizeof(*pids));
	if (!pids)
		return -1;

	/* Every child gets a copy of the caller's stdio buffers. Empty them now,
	 * or text the caller printed but has not written yet would be written
	 * once more by each child that flushes (exit() flushes). */
	fflush(NULL);

	for (started = 0; started < n; started++) {
		pid_t pid = fork();

		if (pid < 0) {
			err = errno; /* EAGAIN when the process limit is hit */
			break;
		}
		if (pid == 0)
			run_child(started, task, arg); /* does not return */
		pids[started] = pid;
	}

	/* Join every child started, in order. On the failure path this is
	 * what keeps the promise "nothing is left behind": the tasks are short,
	 * so waiting for them is better than killing them. */
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
		errno = err; /* waiting must not hide why fork failed */
		return -1;
	}
	return 0;
}
