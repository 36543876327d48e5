/*
 * mpqueue.c - a bounded queue built on POSIX unnamed semaphores.
 *
 * The queue, its three semaphores and its ring live in one anonymous shared
 * mapping. "slots" counts free slots, "items" counts items, "lock" (a binary
 * semaphore) guards the indices. sem_init(..., pshared = 1, ...) makes each
 * semaphore usable by every process that shares the mapping.
 */
#include <errno.h>
#include <semaphore.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "mpqueue.h"

struct mpqueue {
	sem_t lock;
	sem_t slots;
	sem_t items;
	size_t capacity, item_size, head, tail, map_size;
	unsigned char ring[];
};

struct mpqueue *mpqueue_create(size_t capacity, size_t item_size)
{
	struct mpqueue *q;
	size_t size;

	if (capacity < 1 || capacity > 65536 || item_size < 1 ||
	    item_size > 4096) {
		errno = EINVAL;
		return NULL;
	}
	size = sizeof(*q) + capacity * item_size;
	q = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	         -1, 0);
	if (q == MAP_FAILED)
		return NULL;
	q->capacity = capacity;
	q->item_size = item_size;
	q->map_size = size;
	if (sem_init(&q->lock, 1, 1) < 0 ||
	    sem_init(&q->slots, 1, (unsigned)capacity) < 0 ||
	    sem_init(&q->items, 1, 0) < 0) {
		int err = errno;

		munmap(q, size);
		errno = err;
		return NULL;
	}
	return q;
}

/* sem_wait, restarted after a signal handler interrupted it. */
static void down(sem_t *s)
{
	while (sem_wait(s) < 0 && errno == EINTR)
		;
}

int mpqueue_put(struct mpqueue *q, const void *item)
{
	down(&q->slots);
	down(&q->lock);
	memcpy(q->ring + q->tail * q->item_size, item, q->item_size);
	q->tail = (q->tail + 1) % q->capacity;
	sem_post(&q->lock);
	sem_post(&q->items);
	return 0;
}

static void take(struct mpqueue *q, void *item)
{
	down(&q->lock);
	memcpy(item, q->ring + q->head * q->item_size, q->item_size);
	q->head = (q->head + 1) % q->capacity;
	sem_post(&q->lock);
	sem_post(&q->slots);
}

int mpqueue_get(struct mpqueue *q, void *item)
{
	down(&q->items);
	take(q, item);
	return 0;
}

int mpqueue_get_timeout(struct mpqueue *q, void *item, double timeout)
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
	/* sem_clockwait: sem_timedwait on CLOCK_MONOTONIC (glibc 2.30). */
	while (sem_clockwait(&q->items, CLOCK_MONOTONIC, &ts) < 0) {
		if (errno == ETIMEDOUT)
			return 1;
		if (errno != EINTR)
			return -1;
	}
	take(q, item);
	return 0;
}

void mpqueue_destroy(struct mpqueue *q)
{
	sem_destroy(&q->items);
	sem_destroy(&q->slots);
	sem_destroy(&q->lock);
	munmap(q, q->map_size);
}
