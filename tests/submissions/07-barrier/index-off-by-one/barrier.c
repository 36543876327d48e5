/*
 * barrier.c - a reusable barrier: a process-shared mutex and condition
 * variable in an anonymous shared mapping, a count of arrivals, and a round
 * number that the last arrival bumps; the others wait until their round is
 * over.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>

#include "barrier.h"

struct mpbarrier {
	pthread_mutex_t m;
	pthread_cond_t c;
	unsigned parties, arrived;
	unsigned round;
	int broken;
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
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&b->m, &ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&b->c, &ca);
	return b;
}

static int wait_until(struct mpbarrier *b, const struct timespec *until)
{
	unsigned my_round;
	int idx;

	pthread_mutex_lock(&b->m);
	if (b->broken) {
		pthread_mutex_unlock(&b->m);
		errno = EPIPE;
		return -1;
	}
	/* BUG: counts from 1: the numbers of a round are 1..parties instead
	 * of 0..parties-1. */
	idx = (int)++b->arrived;
	if (b->arrived == b->parties) {
		b->arrived = 0;
		b->round++;
		pthread_cond_broadcast(&b->c);
		pthread_mutex_unlock(&b->m);
		return idx;
	}
	my_round = b->round;
	while (b->round == my_round && !b->broken) {
		if (!until) {
			pthread_cond_wait(&b->c, &b->m);
		} else if (pthread_cond_timedwait(&b->c, &b->m, until) ==
		               ETIMEDOUT &&
		           b->round == my_round && !b->broken) {
			b->broken = 1;
			pthread_cond_broadcast(&b->c);
			pthread_mutex_unlock(&b->m);
			errno = ETIMEDOUT;
			return -1;
		}
	}
	if (b->round == my_round) {
		pthread_mutex_unlock(&b->m);
		errno = EPIPE;
		return -1;
	}
	pthread_mutex_unlock(&b->m);
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
	pthread_cond_destroy(&b->c);
	pthread_mutex_destroy(&b->m);
	munmap(b, sizeof(*b));
}
