/*
 * barrier.c - Python's threading.Barrier algorithm, for processes.
 *
 * The barrier is either FILLING (processes arrive and wait) or DRAINING
 * (the round is complete and its processes are leaving). A process that
 * comes back while the previous round is still draining waits at the door
 * until the last one has left, so it can never be counted in the old round.
 * The last one out turns the barrier back to FILLING. A timeout turns it
 * BROKEN for good. One process-shared mutex and condition variable in an
 * anonymous shared mapping.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>

#include "barrier.h"

enum { FILLING, DRAINING, BROKEN };

struct mpbarrier {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned parties;
	unsigned count; /* arrived (FILLING) or not yet left (DRAINING) */
	int state;
};

struct mpbarrier *mpbarrier_create(unsigned parties)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	struct mpbarrier *b;

	if (parties < 1 || parties > 1024) {
		errno = EINVAL;
		return NULL;
	}
	b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
	         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->parties = parties;
	b->state = FILLING;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&b->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->cond, &ca);
	pthread_condattr_destroy(&ca);
	return b;
}

/* Sleep on the condition variable; 1 once the deadline has passed. */
static int sleep_on(struct mpbarrier *b, const struct timespec *until)
{
	if (!until)
		return pthread_cond_wait(&b->cond, &b->lock), 0;
	return pthread_cond_timedwait(&b->cond, &b->lock, until) == ETIMEDOUT;
}

static int do_wait(struct mpbarrier *b, const struct timespec *until)
{
	int index, err = 0;

	pthread_mutex_lock(&b->lock);
	/* The door: wait until the previous round has drained. */
	while (b->state == DRAINING)
		if (sleep_on(b, until) && b->state == DRAINING) {
			err = ETIMEDOUT;
			goto out;
		}
	if (b->state == BROKEN) {
		err = EPIPE;
		goto out;
	}
	index = (int)b->count++;
	if (b->count == b->parties) {
		b->state = DRAINING;
		pthread_cond_broadcast(&b->cond);
	} else {
		while (b->state == FILLING)
			if (sleep_on(b, until) && b->state == FILLING) {
				err = ETIMEDOUT;
				goto out;
			}
		if (b->state == BROKEN) {
			err = EPIPE;
			goto out;
		}
	}
	/* Leaving: the last one out reopens the door. */
	if (--b->count == 0) {
		b->state = FILLING;
		pthread_cond_broadcast(&b->cond);
	}
	pthread_mutex_unlock(&b->lock);
	return index;
out:
	if (err == ETIMEDOUT) {
		b->state = BROKEN;
		pthread_cond_broadcast(&b->cond);
	}
	pthread_mutex_unlock(&b->lock);
	errno = err;
	return -1;
}

int mpbarrier_wait(struct mpbarrier *b)
{
	return do_wait(b, NULL);
}

int mpbarrier_wait_timeout(struct mpbarrier *b, double timeout)
{
	struct timespec ts;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = ts.tv_nsec + (timeout > 0 ? (long long)(timeout * 1e9) : 0);
	ts.tv_sec += (time_t)(ns / 1000000000);
	ts.tv_nsec = (long)(ns % 1000000000);
	return do_wait(b, &ts);
}

void mpbarrier_destroy(struct mpbarrier *b)
{
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->lock);
	munmap(b, sizeof(*b));
}
