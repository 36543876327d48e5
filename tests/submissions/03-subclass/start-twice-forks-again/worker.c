/* forklab test submission for 03-subclass: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

enum { ST_NEW = 1, ST_RUNNING, ST_REAPED };

static int code_of(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return -WTERMSIG(st);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void worker_init(struct worker *w, const struct worker_ops *ops,
                 const char *name)
{
	memset(w, 0, sizeof(*w));
	w->ops = ops;
	if (name)
		strncpy(w->name, name, sizeof(w->name) - 1);
	w->state = ST_NEW;
}

static void child_main(struct worker *w)
{
	int rc = 0;

	if (w->name[0])
		prctl(PR_SET_NAME, w->name);
	if (w->ops->setup)
		rc = w->ops->setup(w);
	if (rc == 0) {
		rc = w->ops->run(w);
		if (w->ops->finish)
			rc = w->ops->finish(w, rc);
	}
	fflush(NULL);
	_exit(rc);
}

int worker_start(struct worker *w)
{
	pid_t pid;

	if (!w->ops || !w->ops->run) {
		errno = EINVAL;
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child_main(w);
	w->pid = pid;
	w->state = ST_RUNNING;
	return 0;
}

/* 1: reaped now, 0: still running (WNOHANG), -1: error */
static int reap(struct worker *w, int flags)
{
	int st;
	pid_t r;

	do
		r = waitpid(w->pid, &st, flags);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return (int)r;
	w->exitcode = code_of(st);
	w->state = ST_REAPED;
	return 1;
}

int worker_join(struct worker *w, double timeout)
{
	const struct timespec nap = { 0, 2 * 1000 * 1000 }; /* 2 ms */
	double deadline;

	if (w->state == ST_REAPED)
		return 0;
	if (w->state != ST_RUNNING) {
		errno = EINVAL;
		return -1;
	}
	if (timeout < 0)
		return reap(w, 0) < 0 ? -1 : 0;
	deadline = seconds() + timeout;
	for (;;) {
		int r = reap(w, WNOHANG);

		if (r != 0)
			return r < 0 ? -1 : 0;
		if (seconds() >= deadline)
			return 1;
		nanosleep(&nap, NULL); /* asleep, not busy */
	}
}

int worker_is_alive(struct worker *w)
{
	if (w->state != ST_RUNNING)
		return 0;
	return reap(w, WNOHANG) == 0;
}

static int checked_setup(struct worker *self)
{
	struct checked_worker *cw = (struct checked_worker *)self;

	return cw->input < 0 ? 2 : 0;
}

static int checked_run(struct worker *self)
{
	struct checked_worker *cw = (struct checked_worker *)self;

	return cw->job(cw->input);
}

static int checked_finish(struct worker *self, int result)
{
	struct checked_worker *cw = (struct checked_worker *)self;

	return result == cw->expected ? 0 : 3;
}

static const struct worker_ops checked_ops = {
	.setup = checked_setup,
	.run = checked_run,
	.finish = checked_finish,
};

void checked_worker_init(struct checked_worker *cw, const char *name,
                         int (*job)(int), int input, int expected)
{
	worker_init(&cw->base, &checked_ops, name);
	cw->job = job;
	cw->input = input;
	cw->expected = expected;
}
