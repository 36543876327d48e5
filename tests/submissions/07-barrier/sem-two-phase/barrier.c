/*
 * barrier.c - the two-turnstile barrier of "The Little Book of Semaphores",
 * with POSIX semaphores shared between processes (sem_init pshared = 1).
 *
 * Phase 1: each arrival counts itself in; the last one opens turnstile 1 for
 * everybody (parties posts). Phase 2: each one counts itself out; the last
 * one opens turnstile 2. Nobody can take a post of turnstile 1 meant for the
 * current round before everybody has passed it, because nobody leaves phase
 * 2 until everybody has counted out of phase 1.
 *
 * Timeouts apply to phase 1 only (phase 2 is short: everybody has arrived).
 * "released" is set while turnstile 1 is open, so that a timed-out waiter
 * can tell whether its post is on the way (then it takes it) or the round is
 * really incomplete (then it breaks the barrier and lets the others out).
 */
#include <errno.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <time.h>

#include "barrier.h"

struct mpbarrier {
	sem_t mutex, turn1, turn2;
	unsigned parties, count, next_index;
	int released, broken;
};

struct mpbarrier *mpbarrier_create(unsigned parties)
{
	struct mpbarrier *b;

	if (parties == 0 || parties > 1024) {
		errno = EINVAL;
		return NULL;
	}
	b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
	         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->parties = parties;
	if (sem_init(&b->mutex, 1, 1) || sem_init(&b->turn1, 1, 0) ||
	    sem_init(&b->turn2, 1, 0)) {
		munmap(b, sizeof(*b));
		return NULL;
	}
	return b;
}

static void P(sem_t *s)
{
	while (sem_wait(s) && errno == EINTR)
		;
}

static void V(sem_t *s, unsigned times)
{
	while (times--)
		sem_post(s);
}

static int barrier_wait(struct mpbarrier *b, const struct timespec *until)
{
	int idx, r;

	/* Phase 1: in. */
	P(&b->mutex);
	if (b->broken) {
		V(&b->mutex, 1);
		errno = EPIPE;
		return -1;
	}
	idx = (int)b->count++;
	if (b->count == b->parties) {
		b->released = 1;
		V(&b->turn1, b->parties);
	}
	V(&b->mutex, 1);

	if (until) {
		while ((r = sem_clockwait(&b->turn1, CLOCK_MONOTONIC, until)) &&
		       errno == EINTR)
			;
	} else {
		P(&b->turn1);
		r = 0;
	}
	P(&b->mutex);
	if (r) {
		if (!b->released && !b->broken) {
			/* The round is incomplete: break it. The others of
			 * this round are waiting at turnstile 1. */
			b->broken = 1;
			V(&b->turn1, b->count - 1);
			V(&b->mutex, 1);
			errno = ETIMEDOUT;
			return -1;
		}
		if (b->broken) {
			V(&b->mutex, 1);
			errno = EPIPE;
			return -1;
		}
		/* The round filled as our time ran out: our post is there. */
		V(&b->mutex, 1);
		P(&b->turn1);
		P(&b->mutex);
	}
	if (b->broken) {
		V(&b->mutex, 1);
		errno = EPIPE;
		return -1;
	}

	/* Phase 2: out. */
	if (--b->count == 0) {
		b->released = 0;
		V(&b->turn2, b->parties);
	}
	V(&b->mutex, 1);
	P(&b->turn2);
	return idx;
}

int mpbarrier_wait(struct mpbarrier *b)
{
	return barrier_wait(b, NULL);
}

int mpbarrier_wait_timeout(struct mpbarrier *b, double timeout)
{
	struct timespec ts;

	if (timeout < 0)
		timeout = 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)timeout;
	ts.tv_nsec += (long)((timeout - (double)(time_t)timeout) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return barrier_wait(b, &ts);
}

void mpbarrier_destroy(struct mpbarrier *b)
{
	sem_destroy(&b->turn2);
	sem_destroy(&b->turn1);
	sem_destroy(&b->mutex);
	munmap(b, sizeof(*b));
}
