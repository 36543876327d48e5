/*
 * worker.c - reference solution of forklab exercise 03-subclass.
 *
 * Theory of operation. A struct worker is Python's Process object and its
 * worker_ops table is the class: start() forks a child that runs the hooks
 * setup -> run -> finish (Process.run, split in three) and leaves with
 * _exit(), so the hooks never run in the caller. The caller keeps the
 * child's pid and a small state machine in w->state:
 *
 *	NEW --start--> RUNNING --reaped by join or is_alive--> DONE
 *
 * The caller may have other children (other workers) alive at the same
 * time, so every wait names this worker's pid: waiting for "any child" would
 * steal another worker's exit status. A join with a time limit sleeps in
 * poll() on a pidfd, a descriptor that becomes readable when the process
 * ends, so a blocked caller uses no CPU. is_alive asks with WNOHANG and so
 * never blocks.
 *
 * A subclass, like struct checked_worker, embeds struct worker as its first
 * member and points base.ops at its own table; each hook receives the
 * struct worker * and steps back to the enclosing struct.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

/* w->state. 0 is left out on purpose: a zeroed struct is not a worker. */
enum { W_NEW = 1, W_RUNNING, W_DONE };

/* A join with a time limit falls back to checking this often if the kernel
 * has no pidfd_open (before Linux 5.3). */
#define POLL_FALLBACK_NS 2000000L /* 2 ms */

/* Python's exitcode for a wait status: exit status, or -signal. */
static int exitcode_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return -1; /* stopped or continued: not asked for, never seen */
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The child's whole life. The hooks run here and only here; _exit() keeps the
 * caller's atexit handlers and stdio buffers from running a second time. */
static void run_child(struct worker *w)
{
	const struct worker_ops *ops = w->ops;
	int rc = 0;

	if (w->name[0])
		prctl(PR_SET_NAME, (unsigned long)w->name, 0, 0, 0);
	if (ops->setup)
		rc = ops->setup(w);
	if (rc == 0) {
		rc = ops->run(w);
		if (ops->finish)
			rc = ops->finish(w, rc);
	}
	fflush(NULL);
	_exit(rc & 0xff);
}

/* Reap w if it has ended, without blocking when block is 0. Returns 1 when
 * reaped (exitcode set, state DONE), 0 when still running, -1 with errno. */
static int reap(struct worker *w, int block)
{
	int status;
	pid_t r;

	do {
		r = waitpid(w->pid, &status, block ? 0 : WNOHANG);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	if (r == 0)
		return 0;
	w->exitcode = exitcode_of(status);
	w->state = W_DONE;
	return 1;
}

/* Milliseconds for poll() until deadline, rounded up so that we never report
 * a timeout before the time is really over. */
static int ms_until(double deadline)
{
	double ms = (deadline - now()) * 1e3;

	if (ms <= 0)
		return 0;
	return ms >= INT_MAX ? INT_MAX : (int)ms + 1;
}

/* Without pidfds: look every few milliseconds. Slow to notice, but asleep
 * nearly all the time, so it is not busy waiting. */
static int join_polling(struct worker *w, double deadline)
{
	const struct timespec nap = { 0, POLL_FALLBACK_NS };
	int r;

	while ((r = reap(w, 0)) == 0) {
		if (now() >= deadline)
			return 1;
		nanosleep(&nap, NULL);
	}
	return r < 0 ? -1 : 0;
}

/* Wait for w until deadline. Returns 0 when reaped, 1 when the time ran out,
 * -1 with errno. */
static int join_until(struct worker *w, double deadline)
{
	struct pollfd pfd = { .events = POLLIN };
	int r, ret = -1;

	pfd.fd = (int)syscall(SYS_pidfd_open, w->pid, 0);
	if (pfd.fd < 0)
		return join_polling(w, deadline);

	for (;;) {
		/* Checked first: it also covers a worker that ended before the
		 * call and a timeout of 0. */
		r = reap(w, 0);
		if (r != 0) {
			ret = r < 0 ? -1 : 0;
			goto out;
		}
		if (now() >= deadline) {
			ret = 1;
			goto out;
		}
		/* Readable once the child has ended; a signal may cut the
		 * sleep short, and the loop simply looks again. */
		if (poll(&pfd, 1, ms_until(deadline)) < 0 && errno != EINTR)
			goto out;
	}
out:
	close(pfd.fd);
	return ret;
}

/* Make w a worker of class ops, not started, named name cut to 15 bytes
 * (none for NULL or ""). */
void worker_init(struct worker *w, const struct worker_ops *ops,
                 const char *name)
{
	memset(w, 0, sizeof(*w));
	w->ops = ops;
	/* The kernel keeps 15 bytes of a process name; keep the same here so
	 * that w->name is what ps will show. */
	if (name)
		memcpy(w->name, name, strnlen(name, sizeof(w->name) - 1));
	w->state = W_NEW;
}

/* Fork the child that runs w's hooks. Returns 0, or -1 with errno set:
 * EINVAL if w is not a new worker (already started, never initialised, or no
 * run hook), fork's error otherwise (w stays new). */
int worker_start(struct worker *w)
{
	pid_t pid;

	if (w->state != W_NEW || !w->ops || !w->ops->run) {
		errno = EINVAL;
		return -1;
	}
	/* Empty the caller's stdio buffers, or the child would inherit a copy
	 * and could write it out a second time. */
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		run_child(w); /* does not return */
	w->pid = pid;
	w->state = W_RUNNING;
	return 0;
}

/* Wait for w to end, at most timeout seconds (negative: no limit), and reap
 * it. Returns 0 once reaped (exitcode set; at once if it already was), 1 if
 * the time ran out (w goes on running), -1 with errno set: EINVAL if w was
 * never started, ECHILD if somebody else reaped it. */
int worker_join(struct worker *w, double timeout)
{
	/* Trivial case: already reaped, by an earlier join or by is_alive. */
	if (w->state == W_DONE)
		return 0;
	if (w->state != W_RUNNING) {
		errno = EINVAL;
		return -1;
	}
	/* Negative (or NaN): no limit. */
	if (!(timeout >= 0))
		return reap(w, 1) < 0 ? -1 : 0;
	return join_until(w, now() + timeout);
}

/* 1 while w runs, else 0; never blocks. Reaps w if it has ended, so that its
 * exit code is kept. */
int worker_is_alive(struct worker *w)
{
	if (w->state != W_RUNNING)
		return 0;
	/* 0: still running. 1: it had ended and is now reaped. -1: it is not
	 * our child any more (somebody else reaped it), so not alive either. */
	return reap(w, 0) == 0;
}

/* checked_worker: its hooks find their fields from the base pointer. */

enum { CHECKED_OK = 0, CHECKED_REFUSED = 2, CHECKED_WRONG = 3 };

/* The checked_worker around a base (the kernel's container_of). base is the
 * first member, so the offset is 0 and a plain cast would do; subtracting it
 * keeps the code right wherever the member sits. */
static struct checked_worker *checked_of(struct worker *self)
{
	return (struct checked_worker *)((char *)self -
	                                 offsetof(struct checked_worker, base));
}

static int checked_setup(struct worker *self)
{
	struct checked_worker *cw = checked_of(self);

	return cw->input < 0 ? CHECKED_REFUSED : 0;
}

static int checked_run(struct worker *self)
{
	struct checked_worker *cw = checked_of(self);

	return cw->job(cw->input);
}

static int checked_finish(struct worker *self, int result)
{
	struct checked_worker *cw = checked_of(self);

	return result == cw->expected ? CHECKED_OK : CHECKED_WRONG;
}

/* The subclass's "class": one table shared by every checked_worker. */
static const struct worker_ops checked_ops = {
	.setup = checked_setup,
	.run = checked_run,
	.finish = checked_finish,
};

/* Make cw a checked_worker: a worker whose child exits 2 for a negative
 * input (job not called), else 0 if job(input) == expected and 3 if not. */
void checked_worker_init(struct checked_worker *cw, const char *name,
                         int (*job)(int), int input, int expected)
{
	worker_init(&cw->base, &checked_ops, name);
	cw->job = job;
	cw->input = input;
	cw->expected = expected;
}
