#include "spawn.h"
int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	return n +;
}
