/*
 * mpqueue.c - the simplest sound design: one process-shared mutex and ONE
 * process-shared condition variable for every kind of waiter. Because
 * producers and consumers sleep on the same condition variable, every change
 * wakes all sleepers (broadcast) and each one checks again whether it can go
 * on. Slower than two condition variables, but no wake-up is ever lost.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "mpqueue.h"

struct mpqueue {
	pthread_mutex_t mutex;
	pthread_cond_t changed;
	size_t cap, isz, first, n, total;
	char buf[];
};

struct mpqueue *mpqueue_create(size_t capacity, size_t item_size)
{
	pthread_mutexattr_t m;
	pthread_condattr_t c;
	struct mpqueue *q;
	size_t total;

	if (!capacity || capacity > 65536 || !item_size || item_size > 4096) {
		errno = EINVAL;
		return NULL;
	}
	total = sizeof(struct mpqueue) + capacity * item_size;
	q = mmap(0, total, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	         -1, 0);
	if (q == MAP_FAILED)
		return NULL;
	q->cap = capacity;
	q->isz = item_size;
	q->total = total;
	pthread_mutexattr_init(&m);
	pthread_mutexattr_setpshared(&m, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&q->mutex, &m);
	pthread_condattr_init(&c);
	pthread_condattr_setpshared(&c, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&c, CLOCK_MONOTONIC);
	pthread_cond_init(&q->changed, &c);
	return q;
}

int mpqueue_put(struct mpqueue *q, const void *item)
{
	pthread_mutex_lock(&q->mutex);
	while (q->n == q->cap)
		pthread_cond_wait(&q->changed, &q->mutex);
	memcpy(q->buf + (q->first + q->n) % q->cap * q->isz, item, q->isz);
	q->n++;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->mutex);
	return 0;
}

/* Wait for an item until *deadline (NULL: for ever). 0 and the item, or 1. */
static int get_until(struct mpqueue *q, void *item,
                     const struct timespec *deadline)
{
	int timed_out = 0;

	pthread_mutex_lock(&q->mutex);
	while (q->n == 0 && !timed_out) {
		if (deadline)
			timed_out =
			    pthread_cond_timedwait(&q->changed, &q->mutex,
			                           deadline) == ETIMEDOUT;
		else
			pthread_cond_wait(&q->changed, &q->mutex);
	}
	if (q->n == 0) {
		pthread_mutex_unlock(&q->mutex);
		return 1;
	}
	memcpy(item, q->buf + q->first * q->isz, q->isz);
	q->first = (q->first + 1) % q->cap;
	q->n--;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->mutex);
	return 0;
}

int mpqueue_get(struct mpqueue *q, void *item)
{
	return get_until(q, item, NULL);
}

int mpqueue_get_timeout(struct mpqueue *q, void *item, double timeout)
{
	struct timespec d;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &d);
	ns = timeout > 0 ? (long long)(timeout * 1e9) : 0;
	ns += d.tv_nsec;
	d.tv_sec += (time_t)(ns / 1000000000LL);
	d.tv_nsec = (long)(ns % 1000000000LL);
	return get_until(q, item, &d);
}

void mpqueue_destroy(struct mpqueue *q)
{
	pthread_cond_destroy(&q->changed);
	pthread_mutex_destroy(&q->mutex);
	munmap(q, q->total);
}
