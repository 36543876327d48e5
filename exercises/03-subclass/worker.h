/*
 * worker.h - forklab exercise 03-subclass: a process "class".
 *
 * struct worker is the base class, struct worker_ops its table of virtual
 * functions (hooks), struct checked_worker a subclass that embeds the base
 * first. The declarations are exactly those of the assignment sheet. Students
 * implement the functions in worker.c; this header is never edited.
 */
#ifndef FORKLAB_WORKER_H
#define FORKLAB_WORKER_H

#include <stddef.h>
#include <sys/types.h>

struct worker;

struct worker_ops {
	/* May be NULL. Runs in the child first. Non-zero: run and finish are
	 * skipped and the child exits with that value. */
	int (*setup)(struct worker *self);
	/* Required. Runs in the child; its value goes to finish. */
	int (*run)(struct worker *self);
	/* May be NULL. Runs in the child after run, with run's value; its return
	 * value is the child's exit status. NULL: run's value is. */
	int (*finish)(struct worker *self, int result);
};

struct worker {
	const struct worker_ops *ops;
	char name[16]; /* if not empty, the child's process name */
	pid_t pid;     /* 0 until started, then the child's pid (in the caller;
	                * in the child's own hooks, use getpid()) */
	int exitcode;  /* the exit code, once the worker has been reaped */
	int state;     /* the implementation's own bookkeeping */
};

/* Set up w: ops, name (NULL or "" for none; longer names are cut to 15 bytes),
 * pid 0, exitcode 0. Starts nothing. */
void worker_init(struct worker *w, const struct worker_ops *ops,
                 const char *name);

/* Start w in a new child process. Returns 0, or -1 with errno set: EINVAL if w
 * was already started. */
int worker_start(struct worker *w);

/* Wait for w to end, at most timeout seconds (timeout < 0: no limit). Returns
 * 0 once it has ended and been reaped (exitcode is set; joining again returns
 * 0 at once); 1 if the time ran out first (the worker goes on running); -1
 * with errno set: EINVAL if w was never started. */
int worker_join(struct worker *w, double timeout);

/* 1 while w has been started and has not ended, else 0. Never blocks. It may
 * reap a worker that has ended, setting exitcode. */
int worker_is_alive(struct worker *w);

/* The exercise's own subclass: a worker that checks its work before it
 * finishes. Its run computes job(input); its finish exits 0 when the result
 * equals expected and 3 otherwise; its setup refuses (exit 2) a negative
 * input. */
struct checked_worker {
	struct worker base; /* first: a checked_worker is a worker */
	int (*job)(int);
	int input;
	int expected;
};

void checked_worker_init(struct checked_worker *cw, const char *name,
                         int (*job)(int), int input, int expected);

#endif /* FORKLAB_WORKER_H */
