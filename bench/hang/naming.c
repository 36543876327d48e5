/* Every function blocks forever (benchmark: everything hangs). */
#include <unistd.h>
#include "naming.h"

static void forever(void)
{
	for (;;)
		pause();
}
int spawn_named(int n, const char *const names[], task_fn task, void *arg,
                int *statuses)
{
	(void)n, (void)names, (void)task, (void)arg, (void)statuses;
	forever();
	return 0;
}
int process_name(char *buf, size_t size)
{
	(void)buf, (void)size;
	forever();
	return 0;
}
