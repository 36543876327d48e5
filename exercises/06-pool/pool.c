/*
 * pool.c - 06-pool: your pool of worker processes.
 *
 * Replace each body below with your implementation; read README.md first (the
 * contract is in pool.h). Define struct pool here, keep every helper static,
 * and do not define main. As shipped, every function fails with ENOSYS and
 * the exercise scores 0.
 */
#include <errno.h>

#include "pool.h"

struct pool *pool_create(int nworkers, long (*fn)(long))
{
	(void)nworkers;
	(void)fn;
	errno = ENOSYS;
	return NULL;
}

int pool_map(struct pool *p, const long *in, long *out, size_t n)
{
	(void)p;
	(void)in;
	(void)out;
	(void)n;
	errno = ENOSYS;
	return -1;
}

int pool_close(struct pool *p)
{
	(void)p;
	errno = ENOSYS;
	return -1;
}
