/*
 * mpqueue.h - 05-queue: a queue shared by many processes.
 *
 * The contract of exercise 05 (see README.md beside this file). Do not edit
 * this file: the grader compiles your mpqueue.c against its own copy.
 * Python: q = Queue(maxsize); q.put(x); q.get(); q.get(timeout=t).
 */
#ifndef FORKLAB_MPQUEUE_H
#define FORKLAB_MPQUEUE_H

#include <stddef.h>

struct mpqueue; /* defined by the student */

/* A queue of at most capacity items (1..65536) of item_size bytes each
 * (1..4096). Created before the processes that use it are forked: the creator
 * and all its descendants can use it. Returns NULL with errno set on failure
 * (EINVAL for sizes out of range). */
struct mpqueue *mpqueue_create(size_t capacity, size_t item_size);

/* Append a copy of item; blocks while the queue is full. 0, or -1 with errno. */
int mpqueue_put(struct mpqueue *q, const void *item);

/* Take the oldest item into item; blocks while the queue is empty. 0, or -1. */
int mpqueue_get(struct mpqueue *q, void *item);

/* As mpqueue_get, but gives up after timeout seconds and then returns 1,
 * taking nothing. */
int mpqueue_get_timeout(struct mpqueue *q, void *item, double timeout);

/* Free the queue: called once, by the creator, after every other user ended.
 * Leaves nothing behind (no /dev/shm entry, no message queue). */
void mpqueue_destroy(struct mpqueue *q);

#endif /* FORKLAB_MPQUEUE_H */
