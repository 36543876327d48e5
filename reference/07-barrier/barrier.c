/*
 * barrier.c - reference solution of 07-barrier: a reusable barrier for
 * processes.
 *
 * Theory of operation. The barrier lives in an anonymous shared mapping made
 * before the users are forked, so that every process sees the same one. It
 * holds a process-shared mutex, one process-shared condition variable (timing
 * on CLOCK_MONOTONIC), the number of processes that have arrived in the
 * current round, the round's generation number and a broken flag.
 *
 * A process arriving takes the next arrival number of the round. The last one
 * of the round starts a new generation, resets the count and wakes everybody;
 * the others sleep until the generation they arrived in is over. Waiting for
 * "my generation has ended" rather than for "the count is back to 0" is what
 * makes the barrier reusable: a fast process may re-enter the next round and
 * bump the count before a slow one has even woken up, but it cannot change the
 * slow one's generation again without a full round of which the slow one is
 * a member. So no process is ever a round ahead and no process of the next
 * round can take a place of the current one.
 *
 * A timed wait that runs out breaks the barrier for good: it sets the flag,
 * wakes everybody, and returns ETIMEDOUT; the others of its round and every
 * later caller get EPIPE, as Python's BrokenBarrierError.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>

#include "barrier.h"

#define MPB_MAX_PARTIES 1024

struct mpbarrier {
	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t turn;  /* waiters of the current round sleep here */
	unsigned parties;     /* processes per round */
	unsigned count;       /* arrived in the current round */
	unsigned long gen;    /* bumped when a round is complete */
	int broken;           /* set by a timeout, never cleared */
};

/* Create a barrier for parties processes in shared memory, to be inherited by
 * the processes forked afterwards. Returns NULL with errno set: EINVAL for
 * parties out of 1..1024, or the error of mmap or of the pthread calls. */
struct mpbarrier *mpbarrier_create(unsigned parties)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	struct mpbarrier *b;
	int err;

	if (parties < 1 || parties > MPB_MAX_PARTIES) {
		errno = EINVAL;
		return NULL;
	}
	b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
	         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->parties = parties; /* the rest is zero: a fresh mapping is */

	/* PROCESS_SHARED: the mutex and the condition variable are used from
	 * many processes (they then use futexes keyed by the shared page). */
	err = pthread_mutexattr_init(&ma);
	if (err)
		goto out_unmap;
	err = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	if (!err)
		err = pthread_mutex_init(&b->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	if (err)
		goto out_unmap;

	err = pthread_condattr_init(&ca);
	if (err)
		goto out_mutex;
	err = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	/* A timeout is a duration: measure it on a clock that a change of
	 * the wall clock does not move. */
	if (!err)
		err = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!err)
		err = pthread_cond_init(&b->turn, &ca);
	pthread_condattr_destroy(&ca);
	if (!err)
		return b;

out_mutex:
	pthread_mutex_destroy(&b->lock);
out_unmap:
	munmap(b, sizeof(*b));
	errno = err;
	return NULL;
}

/* Now plus timeout seconds on CLOCK_MONOTONIC, as pthread_cond_timedwait
 * wants it with our condattr. */
static struct timespec mpb_deadline(double timeout)
{
	struct timespec ts;
	time_t whole;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!(timeout > 0)) /* 0, negative and NaN: now */
		return ts;
	if (timeout > 1e9) /* ~30 years: as good as forever */
		timeout = 1e9;
	whole = (time_t)timeout;
	ts.tv_sec += whole;
	ts.tv_nsec += (long)((timeout - (double)whole) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_nsec -= 1000000000L;
		ts.tv_sec++;
	}
	return ts;
}

/* The body of both waits; deadline NULL means no limit. Returns the arrival
 * number in [0, parties), or -1 with errno EPIPE (broken) or ETIMEDOUT (our
 * deadline broke it). */
static int mpb_wait(struct mpbarrier *b, const struct timespec *deadline)
{
	unsigned long my_gen;
	int ret, err = 0;

	pthread_mutex_lock(&b->lock);
	if (b->broken) {
		ret = -1;
		err = EPIPE;
		goto out;
	}
	ret = (int)b->count++;
	if (b->count == b->parties) {
		/* Last of the round (at once when parties == 1): open the
		 * gate for everybody and set up the next round. */
		b->count = 0;
		b->gen++;
		pthread_cond_broadcast(&b->turn);
		goto out;
	}

	my_gen = b->gen;
	while (b->gen == my_gen && !b->broken) {
		if (!deadline) {
			pthread_cond_wait(&b->turn, &b->lock);
			continue;
		}
		if (pthread_cond_timedwait(&b->turn, &b->lock, deadline) ==
		    ETIMEDOUT) {
			/* Look again under the lock: the last process may
			 * have come just as our time ran out. */
			if (b->gen != my_gen || b->broken)
				break;
			b->broken = 1;
			pthread_cond_broadcast(&b->turn);
			ret = -1;
			err = ETIMEDOUT;
			goto out;
		}
	}
	/* A round that completed wins over a break that came after it. */
	if (b->gen == my_gen) {
		ret = -1;
		err = EPIPE;
	}
out:
	pthread_mutex_unlock(&b->lock);
	if (ret < 0)
		errno = err;
	return ret;
}

/* Wait until parties processes have arrived in this round. Returns this
 * caller's arrival number in [0, parties), or -1 with errno set: EPIPE once
 * the barrier is broken, EINVAL for a NULL barrier. */
int mpbarrier_wait(struct mpbarrier *b)
{
	if (!b) {
		errno = EINVAL;
		return -1;
	}
	return mpb_wait(b, NULL);
}

/* As mpbarrier_wait, but if the round is not full within timeout seconds,
 * returns -1 with errno ETIMEDOUT and leaves the barrier broken. */
int mpbarrier_wait_timeout(struct mpbarrier *b, double timeout)
{
	struct timespec deadline;

	if (!b) {
		errno = EINVAL;
		return -1;
	}
	deadline = mpb_deadline(timeout);
	return mpb_wait(b, &deadline);
}

/* Destroy the mutex and condition variable and unmap the barrier. Only the
 * creator calls it, once every other user has ended. */
void mpbarrier_destroy(struct mpbarrier *b)
{
	if (!b)
		return;
	pthread_cond_destroy(&b->turn);
	pthread_mutex_destroy(&b->lock);
	munmap(b, sizeof(*b));
}
