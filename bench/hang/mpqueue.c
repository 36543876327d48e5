/* Every function blocks forever (benchmark: everything hangs). */
#include <unistd.h>
#include "mpqueue.h"

static void forever(void)
{
	for (;;)
		pause();
}
struct mpqueue *mpqueue_create(size_t capacity, size_t item_size)
{
	(void)capacity, (void)item_size;
	forever();
	return 0;
}
int mpqueue_put(struct mpqueue *q, const void *item)
{
	(void)q, (void)item;
	forever();
	return 0;
}
int mpqueue_get(struct mpqueue *q, void *item)
{
	(void)q, (void)item;
	forever();
	return 0;
}
int mpqueue_get_timeout(struct mpqueue *q, void *item, double timeout)
{
	(void)q, (void)item, (void)timeout;
	forever();
	return 0;
}
void mpqueue_destroy(struct mpqueue *q)
{
	(void)q;
	forever();
}
