/* forklab test submission for 05-queue: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <time.h>

#include "mpqueue.h"

#define MPQ_MAX_CAPACITY  65536
#define MPQ_MAX_ITEM_SIZE 4096

struct mpqueue {
	pthread_mutex_t lock;     /* guards everything below */
	pthread_cond_t not_empty; /* consumers sleep here */
	pthread_cond_t not_full;  /* producers sleep here */
	size_t capacity;          /* slots in the ring */
	size_t item_size;         /* bytes per slot */
	size_t head;              /* slot of the oldest item */
	size_t count;             /* items in the ring */
	size_t map_size;          /* bytes of the segment */
	unsigned char ring[];     /* capacity * item_size bytes */
};

/* Initialise the process-shared lock and condition variables of q. Returns 0
 * or an error number (pthread functions return errors, they do not set errno).
 * On failure nothing stays initialised. */
static int mpq_init_sync(struct mpqueue *q)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	int err;

	err = pthread_mutexattr_init(&ma);
	if (err)
		return err;
	err = pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	if (!err)
		err = pthread_mutex_init(&q->lock, &ma);
	pthread_mutexattr_destroy(&ma);
	if (err)
		return err;

	err = pthread_condattr_init(&ca);
	if (err)
		goto out_lock;
	err = pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	if (!err)
		err = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!err)
		err = pthread_cond_init(&q->not_empty, &ca);
	if (!err) {
		err = pthread_cond_init(&q->not_full, &ca);
		if (err)
			pthread_cond_destroy(&q->not_empty);
	}
	pthread_condattr_destroy(&ca);
	if (!err)
		return 0;
out_lock:
	pthread_mutex_destroy(&q->lock);
	return err;
}

/* Create a queue of capacity items of item_size bytes in shared memory, to be
 * inherited by the processes forked afterwards. Returns NULL with errno set:
 * EINVAL for sizes out of range, ENOMEM (or mmap's error) when the mapping
 * cannot be made. */
struct mpqueue *mpqueue_create(size_t capacity, size_t item_size)
{
	struct mpqueue *q;
	size_t size;
	int err, id;

	if (capacity < 1 || capacity > MPQ_MAX_CAPACITY || item_size < 1 ||
	    item_size > MPQ_MAX_ITEM_SIZE) {
		errno = EINVAL;
		return NULL;
	}
	/* At most 64 Ki * 4 KiB = 256 MiB: no overflow. The pages are only
	 * backed by memory once an item is written into them. */
	size = sizeof(*q) + capacity * item_size;
	/* A private SysV segment, marked for removal as soon as it is
	 * attached: it then lives exactly as long as some process has it
	 * attached, and children inherit the attachment across fork. */
	id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
	if (id < 0)
		return NULL;
	q = shmat(id, NULL, 0);
	err = errno;
	shmctl(id, IPC_RMID, NULL);
	if (q == (void *)-1) {
		errno = err;
		return NULL;
	}

	/* A fresh segment is zero-filled: only the sizes to set. */
	q->capacity = capacity;
	q->item_size = item_size;
	q->map_size = size;
	err = mpq_init_sync(q);
	if (err) {
		shmdt(q);
		errno = err;
		return NULL;
	}
	return q;
}

/* Turn a relative timeout in seconds into an absolute CLOCK_MONOTONIC time,
 * which is what pthread_cond_timedwait wants with our condattr. */
static struct timespec mpq_deadline(double timeout)
{
	struct timespec ts;
	time_t whole;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!(timeout > 0)) /* also catches NaN */
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

/* Append a copy of item, sleeping on not_full while the ring is full. Returns
 * 0, or -1 with errno set (EINVAL for NULL arguments). */
int mpqueue_put(struct mpqueue *q, const void *item)
{
	size_t tail;

	if (!q || !item) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&q->lock);
	/* while, not if: another producer may fill the freed slot between the
	 * signal and our return from the wait. */
	while (q->count == q->capacity)
		pthread_cond_wait(&q->not_full, &q->lock);
	tail = q->head + q->count;
	if (tail >= q->capacity)
		tail -= q->capacity;
	memcpy(q->ring + tail * q->item_size, item, q->item_size);
	q->count++;
	pthread_mutex_unlock(&q->lock);
	/* One item more: exactly one consumer can use it. Signalled after the
	 * unlock, so that the consumer we wake does not find the lock still
	 * held and go back to sleep on it. */
	pthread_cond_signal(&q->not_empty);
	return 0;
}

/* The body of both gets. timeout < 0 means no limit. Returns 0 with the oldest
 * item copied out, 1 when the time ran out first. Called without the lock. */
static int mpq_take(struct mpqueue *q, void *item, double timeout)
{
	struct timespec deadline;
	int err = 0;

	if (timeout >= 0)
		deadline = mpq_deadline(timeout);
	pthread_mutex_lock(&q->lock);
	while (q->count == 0) {
		if (timeout < 0) {
			pthread_cond_wait(&q->not_empty, &q->lock);
			continue;
		}
		/* After ETIMEDOUT the loop test runs once more: an item that
		 * arrived at the last moment is taken rather than left behind
		 * with its signal spent on us. */
		if (err == ETIMEDOUT)
			break;
		err =
		    pthread_cond_timedwait(&q->not_empty, &q->lock, &deadline);
	}
	if (q->count == 0) {
		pthread_mutex_unlock(&q->lock);
		return 1;
	}
	memcpy(item, q->ring + q->head * q->item_size, q->item_size);
	if (++q->head == q->capacity)
		q->head = 0;
	q->count--;
	pthread_mutex_unlock(&q->lock);
	/* One slot more: exactly one producer can use it (after the unlock,
	 * as in mpqueue_put). */
	pthread_cond_signal(&q->not_full);
	return 0;
}

/* Take the oldest item into item, sleeping on not_empty while the ring is
 * empty. Returns 0, or -1 with errno set (EINVAL for NULL arguments). */
int mpqueue_get(struct mpqueue *q, void *item)
{
	if (!q || !item) {
		errno = EINVAL;
		return -1;
	}
	return mpq_take(q, item, -1.0);
}

/* As mpqueue_get, but returns 1 having taken nothing once timeout seconds
 * have passed (timeout <= 0: only an item already there is taken). */
int mpqueue_get_timeout(struct mpqueue *q, void *item, double timeout)
{
	if (!q || !item) {
		errno = EINVAL;
		return -1;
	}
	if (!(timeout > 0)) /* 0, negative and NaN: do not wait at all */
		timeout = 0;
	return mpq_take(q, item, timeout);
}

/* Destroy the synchronisation objects and unmap the queue. Only the creator
 * calls it, once every other user has ended: nobody can be asleep on the
 * condition variables any more. */
void mpqueue_destroy(struct mpqueue *q)
{
	if (!q)
		return;
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
	shmdt(q);
}
