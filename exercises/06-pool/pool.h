/*
 * pool.h - 06-pool: a pool of worker processes.
 *
 * The contract of exercise 06 (see README.md beside this file). Do not edit
 * this file: the grader compiles your pool.c against its own copy.
 * Python: with Pool(n) as p: out = p.map(f, xs)
 */
#ifndef FORKLAB_POOL_H
#define FORKLAB_POOL_H

#include <stddef.h>

struct pool; /* defined by the student */

/* Start nworkers worker processes (1..64) that compute fn. They are created
 * here, once, and reused by every pool_map. NULL with errno on failure. */
struct pool *pool_create(int nworkers, long (*fn)(long));

/* out[i] = fn(in[i]) for every i in [0, n), computed by the workers (never by
 * the caller), spread over all of them, each item once. Returns 0. If a worker
 * has died (during this map, or since the last one), returns -1 with errno
 * EPIPE within a second of the death, never hangs, and the pool is broken:
 * later maps fail at once with EPIPE. */
int pool_map(struct pool *p, const long *in, long *out, size_t n);

/* No more maps: stop the workers, reap them, free the pool. Returns 0, or -1
 * if a worker did not end with status 0. */
int pool_close(struct pool *p);

#endif /* FORKLAB_POOL_H */
