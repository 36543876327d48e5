/*
 * A submission that never returns: its children sleep for ever and the
 * caller waits for them, so every test ends at its time limit. Graded with
 * a course's time_scale, the limits (and so the runs) are that much shorter.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	(void)task;
	(void)arg;
	(void)statuses;
	for (int i = 0; i < n; i++)
		if (fork() == 0)
			for (;;)
				pause();
	while (wait(NULL) > 0 || 1)
		pause();
}
