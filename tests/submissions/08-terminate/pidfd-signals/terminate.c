/*
 * terminate.c - everything through pidfds: a pidfd names one process for
 * good (no pid reuse can redirect it), pidfd_send_signal signals it, poll()
 * on it waits for its end, waitid(P_PIDFD) reaps it.
 *
 * run_with_deadline leads a process group of its own; at the end it kills
 * the group, then opens a pidfd on each member still listed in /proc and
 * polls them all until the kernel has finished them.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "terminate.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int pidfd_signal(int fd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
}

/* Wait up to secs seconds for the process behind fd to end: 1 if it did. */
static int pidfd_wait(int fd, double secs)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec end, now, left;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &end);
	ns = end.tv_nsec + (long long)(secs * 1e9);
	end.tv_sec += (time_t)(ns / 1000000000);
	end.tv_nsec = (long)(ns % 1000000000);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ns = (end.tv_sec - now.tv_sec) * 1000000000LL +
		     (end.tv_nsec - now.tv_nsec);
		if (ns < 0)
			ns = 0;
		left.tv_sec = (time_t)(ns / 1000000000);
		left.tv_nsec = (long)(ns % 1000000000);
		if (ppoll(&p, 1, &left, NULL) > 0)
			return 1;
		if (ns == 0)
			return 0;
	}
}

/* Reap the child behind fd and give its exit code. */
static int pidfd_reap(int fd)
{
	siginfo_t si;

	while (waitid((idtype_t)P_PIDFD, (id_t)fd, &si, WEXITED) < 0)
		if (errno != EINTR)
			return -1;
	return si.si_code == CLD_EXITED ? si.si_status : -si.si_status;
}

int stop_process(pid_t pid, double grace)
{
	siginfo_t si;
	int fd, r;

	if (pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	si.si_pid = 0;
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return -1; /* ECHILD */
	fd = pidfd_open(pid);
	if (fd < 0)
		return -1;
	if (si.si_pid != pid) { /* still running (or stopped) */
		pidfd_signal(fd, SIGTERM);
		pidfd_signal(fd, SIGCONT);
		if (!pidfd_wait(fd, grace > 0 ? grace : 0))
			pidfd_signal(fd, SIGKILL);
	}
	r = pidfd_reap(fd);
	close(fd);
	return r;
}

/* Wait until every process of group pgid has ended (2 s at most). */
static void group_wait(pid_t pgid)
{
	char path[64], buf[512], state;
	struct dirent *e;
	int pgrp, fd;
	DIR *d;

	d = opendir("/proc");
	if (!d)
		return;
	while ((e = readdir(d))) {
		pid_t p = (pid_t)atoi(e->d_name);
		FILE *f;
		char *c;

		if (p <= 0 || p == pgid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)p);
		f = fopen(path, "r");
		if (!f)
			continue;
		c = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (!c || sscanf(c + 1, " %c %*d %d", &state, &pgrp) != 2 ||
		    pgrp != pgid || state == 'Z')
			continue;
		fd = pidfd_open(p);
		if (fd >= 0) {
			pidfd_wait(fd, 2.0);
			close(fd);
		}
	}
	closedir(d);
}

int run_with_deadline(task_fn task, void *arg, double timeout, double grace,
                      int *timed_out)
{
	pid_t pid;
	int fd, r;

	*timed_out = 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		_exit(task(0, arg));
	}
	setpgid(pid, pid);
	fd = pidfd_open(pid);
	if (fd < 0) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	if (!pidfd_wait(fd, timeout > 0 ? timeout : 0)) {
		*timed_out = 1;
		kill(-pid, SIGTERM);
		kill(-pid, SIGCONT);
		pidfd_wait(fd, grace > 0 ? grace : 0);
	}
	kill(-pid, SIGKILL); /* leader not reaped yet: the group is ours */
	group_wait(pid);
	r = pidfd_reap(fd);
	close(fd);
	return r;
}
