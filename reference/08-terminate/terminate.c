/*
 * terminate.c - reference solution of 08-terminate: stopping a stuck worker.
 *
 * Theory of operation. Stopping a child politely is three steps, as Python's
 * p.terminate(); p.join(grace); p.kill(): ask (SIGTERM, followed by SIGCONT
 * so that a stopped child wakes up to act on it), give it grace seconds to
 * clean up, then insist (SIGKILL, which cannot be caught or ignored). Before
 * any signal we make sure the pid is our own child, without reaping it:
 * waitid(..., WNOWAIT) fails with ECHILD for any other process, and a pid
 * that is still our child (alive or zombie) cannot have been reused by
 * another process. We wait on a pidfd, which becomes readable when the
 * process ends: the caller sleeps in poll, no busy waiting, and other
 * children of the caller are never waited for or reaped.
 *
 * run_with_deadline puts its child at the head of a process group of its own
 * (both parent and child call setpgid, so that neither can signal or fork
 * before the group exists), waits for it until the deadline, and on time-out
 * stops the whole group the same way. Whatever happens, it ends by sending
 * SIGKILL to the group while the leader is still unreaped (so that the group
 * id cannot have been reused), to take helpers the task left behind with it.
 * kill() only queues the signal: it then watches /proc until no member of the
 * group is left running, so that "every process has ended" holds on return.
 * The helpers are not our children; whoever inherits them reaps them.
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

/* Python's Process.exitcode: the exit status, or minus the killing signal. */
static int term_exitcode(int status)
{
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return WEXITSTATUS(status);
}

static double term_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Has our child pid ended? 1 if it has (it is a zombie now), 0 if not yet,
 * -1 with errno if pid is not our child. Never reaps it (WNOWAIT). */
static int term_ended(pid_t pid)
{
	siginfo_t si;

	si.si_pid = 0;
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return -1;
	return si.si_pid == pid;
}

/* Sleep until our child pid ends or timeout seconds pass, whichever comes
 * first, without reaping it. Returns 1 if it ended, 0 if the time ran out.
 * A pidfd lets poll() sleep on the child's end; if pidfd_open is refused
 * (old kernel, seccomp), we look every 2 ms instead. */
static int term_wait_end(pid_t pid, double timeout)
{
	double deadline = term_now() + (timeout > 0 ? timeout : 0);
	struct pollfd pfd;
	double left;
	int r;

	pfd.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	pfd.events = POLLIN;
	for (;;) {
		r = term_ended(pid);
		if (r != 0) {
			r = 1; /* ended, or gone: nothing more to wait for */
			break;
		}
		left = deadline - term_now();
		if (left <= 0)
			break;
		if (pfd.fd >= 0) {
			struct timespec ts;

			ts.tv_sec = (time_t)left;
			ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
			/* EINTR or a wake-up: the loop looks again. */
			ppoll(&pfd, 1, &ts, NULL);
		} else {
			struct timespec ts = { 0, 2000000 };

			nanosleep(&ts, NULL);
		}
	}
	if (pfd.fd >= 0)
		close(pfd.fd);
	return r;
}

/* Reap our child pid (it has ended, or is about to) and return its exit
 * code; -1 with errno if waitpid fails. */
static int term_reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return term_exitcode(status);
}

/* Stop our child pid: SIGTERM and SIGCONT, up to grace seconds to end, then
 * SIGKILL; reap it. Returns its exit code, or -1 with errno set and no signal
 * sent: EINVAL if pid <= 0, ECHILD if pid is not a child of the caller. */
int stop_process(pid_t pid, double grace)
{
	int r;

	/* pid 0 and -1 would reach whole process groups through kill(). */
	if (pid <= 0) {
		errno = EINVAL;
		return -1;
	}
	/* Only our own children: ECHILD for anyone else, before any kill. */
	r = term_ended(pid);
	if (r < 0)
		return -1;
	/* Already over: just collect its status. */
	if (r == 1)
		return term_reap(pid);

	kill(pid, SIGTERM);
	/* A stopped process keeps SIGTERM pending until it runs again. */
	kill(pid, SIGCONT);
	if (!term_wait_end(pid, grace))
		kill(pid, SIGKILL);
	return term_reap(pid);
}

/* 1 if some process of group pgid is still running (not yet a zombie), per
 * /proc/PID/stat: "pid (comm) state ppid pgrp ...". 0 if none is, or if /proc
 * cannot be read (then there is nothing better to wait on). */
static int term_group_running(pid_t pgid)
{
	char path[64], buf[512], state;
	struct dirent *de;
	int found = 0, pgrp;
	long pid;
	FILE *f;
	DIR *d;
	char *p;

	d = opendir("/proc");
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		pid = strtol(de->d_name, &p, 10);
		if (pid <= 0 || *p)
			continue; /* not a process */
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		f = fopen(path, "r");
		if (!f)
			continue; /* gone meanwhile */
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		/* comm may hold spaces and parentheses: parse after the
		 * last ')'. */
		if (p && sscanf(p + 1, " %c %*d %d", &state, &pgrp) == 2 &&
		    pgrp == pgid && state != 'Z' && state != 'X')
			found = 1;
	}
	closedir(d);
	return found;
}

/* SIGKILL every process of group pgid and wait (1 ms naps, 2 s at most)
 * until the kernel has ended them all. A killed process cannot fork, so the
 * group can only shrink while we look. */
static void term_kill_group(pid_t pgid)
{
	struct timespec nap = { 0, 1000000 };
	int i;

	if (kill(-pgid, SIGKILL) < 0)
		return; /* ESRCH: nobody left at all */
	for (i = 0; i < 2000 && term_group_running(pgid); i++)
		nanosleep(&nap, NULL);
}

/* Signal the process group pgid, as stop_process signals one process: TERM
 * and CONT, then grace seconds for the leader to end. The SIGKILL that
 * follows is run_with_deadline's, for every case. */
static void term_stop_group(pid_t pgid, double grace)
{
	kill(-pgid, SIGTERM);
	kill(-pgid, SIGCONT);
	term_wait_end(pgid, grace);
}

/* Run task(0, arg) in a child leading a new process group; stop the group if
 * the child has not ended within timeout seconds. Returns the child's exit
 * code and sets *timed_out (if not NULL) to 1 when the deadline was reached,
 * else 0. -1 with errno set if the child cannot be started (EINVAL for a
 * NULL task). Every process of the group has been sent SIGKILL on return. */
int run_with_deadline(task_fn task, void *arg, double timeout, double grace,
                      int *timed_out)
{
	pid_t pid;

	if (timed_out)
		*timed_out = 0;
	if (!task) {
		errno = EINVAL;
		return -1;
	}
	/* The child must not write out a copy of our stdio buffers. */
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int code;

		setpgid(0, 0);
		code = task(0, arg);
		fflush(NULL); /* the task's own output, then no atexit */
		_exit(code);
	}
	/* Also here: whichever of us runs first, the group exists before
	 * the child can fork a helper or we can signal the group. */
	setpgid(pid, pid);

	if (!term_wait_end(pid, timeout)) {
		if (timed_out)
			*timed_out = 1;
		term_stop_group(pid, grace);
	}
	/* The leader if it is still running after the grace, and in every
	 * case the helpers the task left behind. The leader is not reaped
	 * yet, so the group id is still ours to signal. */
	term_kill_group(pid);
	return term_reap(pid);
}
