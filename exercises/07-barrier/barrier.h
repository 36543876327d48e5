/*
 * barrier.h - 07-barrier: a barrier for processes.
 *
 * The contract of exercise 07 (see README.md beside this file). Do not edit
 * this file: the grader compiles your barrier.c against its own copy.
 * Python: b = Barrier(n); i = b.wait(); b.wait(timeout=t)
 */
#ifndef FORKLAB_BARRIER_H
#define FORKLAB_BARRIER_H

struct mpbarrier; /* defined by the student */

/* A barrier for parties processes (1..1024), used round after round. Created
 * before the processes that use it are forked. NULL with errno on failure. */
struct mpbarrier *mpbarrier_create(unsigned parties);

/* Block until parties processes have called it in this round, then all return.
 * In each round each caller gets a different number in [0, parties). -1 with
 * errno set on error; EPIPE once the barrier is broken. */
int mpbarrier_wait(struct mpbarrier *b);

/* As mpbarrier_wait, but if the round is not full within timeout seconds,
 * returns -1 with errno ETIMEDOUT and breaks the barrier: every process waiting
 * in that round, and every later wait, returns -1 with errno EPIPE. */
int mpbarrier_wait_timeout(struct mpbarrier *b, double timeout);

/* Free the barrier: called once, by the creator, after every other user ended. */
void mpbarrier_destroy(struct mpbarrier *b);

#endif /* FORKLAB_BARRIER_H */
