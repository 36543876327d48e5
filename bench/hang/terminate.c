/* Every function blocks forever (benchmark: everything hangs). */
#include <unistd.h>
#include "terminate.h"

static void forever(void)
{
	for (;;)
		pause();
}
int stop_process(pid_t pid, double grace)
{
	(void)pid, (void)grace;
	forever();
	return 0;
}
int run_with_deadline(task_fn task, void *arg, double timeout, double grace,
                      int *timed_out)
{
	(void)task, (void)arg, (void)timeout, (void)grace, (void)timed_out;
	forever();
	return 0;
}
