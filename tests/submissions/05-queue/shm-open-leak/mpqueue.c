/* mpqueue.c - a bounded queue in shared memory: one mutex, two condition
 * variables, a ring of slots. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "mpqueue.h"

struct mpqueue {
	pthread_mutex_t mu;
	pthread_cond_t can_get;
	pthread_cond_t can_put;
	size_t cap, size, head, count, bytes;
	unsigned char data[];
};

struct mpqueue *mpqueue_create(size_t capacity, size_t item_size)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	static unsigned serial;
	struct mpqueue *q;
	char name[64];
	size_t bytes;
	int fd;

	if (capacity < 1 || capacity > 65536 || item_size < 1 ||
	    item_size > 4096) {
		errno = EINVAL;
		return NULL;
	}
	bytes = sizeof(*q) + capacity * item_size;
	/* BUG: a named shared memory object, never shm_unlink()ed: it stays
	 * in /dev/shm after destroy, and after the program has ended. */
	snprintf(name, sizeof(name), "/mpqueue-%d-%u", (int)getpid(), serial++);
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0)
		return NULL;
	if (ftruncate(fd, (off_t)bytes) < 0) {
		close(fd);
		return NULL;
	}
	q = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (q == MAP_FAILED)
		return NULL;
	q->cap = capacity;
	q->size = item_size;
	q->bytes = bytes;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&q->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->can_get, &ca);
	pthread_cond_init(&q->can_put, &ca);
	pthread_condattr_destroy(&ca);
	return q;
}

int mpqueue_put(struct mpqueue *q, const void *item)
{
	pthread_mutex_lock(&q->mu);
	while (q->count == q->cap)
		pthread_cond_wait(&q->can_put, &q->mu);
	memcpy(q->data + ((q->head + q->count) % q->cap) * q->size, item,
	       q->size);
	q->count++;
	pthread_cond_signal(&q->can_get);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

static void take(struct mpqueue *q, void *item)
{
	memcpy(item, q->data + q->head * q->size, q->size);
	q->head = (q->head + 1) % q->cap;
	q->count--;
	pthread_cond_signal(&q->can_put);
}

int mpqueue_get(struct mpqueue *q, void *item)
{
	pthread_mutex_lock(&q->mu);
	while (q->count == 0)
		pthread_cond_wait(&q->can_get, &q->mu);
	take(q, item);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

int mpqueue_get_timeout(struct mpqueue *q, void *item, double timeout)
{
	struct timespec ts;
	int r = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)timeout;
	ts.tv_nsec += (long)((timeout - (double)(time_t)timeout) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&q->mu);
	while (q->count == 0 && r != ETIMEDOUT)
		r = pthread_cond_timedwait(&q->can_get, &q->mu, &ts);
	if (q->count == 0) {
		pthread_mutex_unlock(&q->mu);
		return 1;
	}
	take(q, item);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

void mpqueue_destroy(struct mpqueue *q)
{
	pthread_cond_destroy(&q->can_get);
	pthread_cond_destroy(&q->can_put);
	pthread_mutex_destroy(&q->mu);
	munmap(q, q->bytes);
}
