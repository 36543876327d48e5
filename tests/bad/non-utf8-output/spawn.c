/* prints bytes that are not UTF-8 where the grader reports them */
#include <errno.h>
#include <stdio.h>
#include "spawn.h"

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	(void)n;
	(void)task;
	(void)arg;
	(void)statuses;
	fprintf(stderr, "bad bytes: \xff\xfe\xc0 end\n");
	errno = ENOSYS;
	return -1;
}
