/* Every function blocks forever (benchmark: everything hangs). */
#include <unistd.h>
#include "pool.h"

static void forever(void)
{
	for (;;)
		pause();
}
struct pool *pool_create(int nworkers, long (*fn)(long))
{
	(void)nworkers, (void)fn;
	forever();
	return 0;
}
int pool_map(struct pool *p, const long *in, long *out, size_t n)
{
	(void)p, (void)in, (void)out, (void)n;
	forever();
	return 0;
}
int pool_close(struct pool *p)
{
	(void)p;
	forever();
	return 0;
}
