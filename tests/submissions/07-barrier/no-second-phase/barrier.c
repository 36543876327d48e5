/*
 * barrier.c - a barrier made of POSIX semaphores in shared memory: a lock,
 * and a gate that the last arrival of a round opens once for each process
 * waiting at it.
 *
 * BUG: one phase only. The last arrival posts the gate parties-1 times and
 * returns at once. If it re-enters the barrier for the next round before
 * every waiter of this round has gone through the gate, it takes one of
 * those posts for itself: it passes the next round alone, and a slow process
 * of this round is left waiting at the gate. A second phase (a second gate
 * that nobody leaves before everybody has passed the first) prevents it.
 */
#include <errno.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <time.h>

#include "barrier.h"

struct mpbarrier {
	sem_t lock;
	sem_t gate;
	unsigned parties, count;
	int broken;
};

struct mpbarrier *mpbarrier_create(unsigned parties)
{
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
	sem_init(&b->lock, 1, 1);
	sem_init(&b->gate, 1, 0);
	return b;
}

static void down(sem_t *s)
{
	while (sem_wait(s) < 0 && errno == EINTR)
		;
}

static int wait_until(struct mpbarrier *b, const struct timespec *until)
{
	unsigned i;
	int idx, r;

	down(&b->lock);
	if (b->broken) {
		sem_post(&b->lock);
		errno = EPIPE;
		return -1;
	}
	idx = (int)b->count++;
	if (b->count == b->parties) {
		b->count = 0;
		for (i = 0; i + 1 < b->parties; i++)
			sem_post(&b->gate);
		sem_post(&b->lock);
		return idx;
	}
	sem_post(&b->lock);

	if (!until) {
		down(&b->gate);
	} else {
		while ((r = sem_clockwait(&b->gate, CLOCK_MONOTONIC, until)) <
		           0 &&
		       errno == EINTR)
			;
		if (r < 0) {
			down(&b->lock);
			/* The round may have filled just now: our post is
			 * then waiting for us. */
			if (sem_trywait(&b->gate) == 0) {
				sem_post(&b->lock);
				goto passed;
			}
			b->broken = 1;
			/* Let out the others waiting in this round. */
			for (i = 0; i + 1 < b->count; i++)
				sem_post(&b->gate);
			sem_post(&b->lock);
			errno = ETIMEDOUT;
			return -1;
		}
	}
passed:
	if (__atomic_load_n(&b->broken, __ATOMIC_SEQ_CST)) {
		errno = EPIPE;
		return -1;
	}
	return idx;
}

int mpbarrier_wait(struct mpbarrier *b)
{
	return wait_until(b, NULL);
}

int mpbarrier_wait_timeout(struct mpbarrier *b, double timeout)
{
	struct timespec ts;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (long long)ts.tv_nsec +
	     (timeout > 0 ? (long long)(timeout * 1e9) : 0);
	ts.tv_sec += (time_t)(ns / 1000000000LL);
	ts.tv_nsec = (long)(ns % 1000000000LL);
	return wait_until(b, &ts);
}

void mpbarrier_destroy(struct mpbarrier *b)
{
	sem_destroy(&b->gate);
	sem_destroy(&b->lock);
	munmap(b, sizeof(*b));
}
