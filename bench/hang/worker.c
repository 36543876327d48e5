/* Every function blocks forever (benchmark: everything hangs). */
#include <unistd.h>
#include "worker.h"

static void forever(void)
{
	for (;;)
		pause();
}
void worker_init(struct worker *w, const struct worker_ops *ops,
                 const char *name)
{
	(void)w, (void)ops, (void)name;
	forever();
}
int worker_start(struct worker *w)
{
	(void)w;
	forever();
	return 0;
}
int worker_join(struct worker *w, double timeout)
{
	(void)w, (void)timeout;
	forever();
	return 0;
}
int worker_is_alive(struct worker *w)
{
	(void)w;
	forever();
	return 0;
}
void checked_worker_init(struct checked_worker *cw, const char *name,
                         int (*job)(int), int input, int expected)
{
	(void)cw, (void)name, (void)job, (void)input, (void)expected;
	forever();
}
