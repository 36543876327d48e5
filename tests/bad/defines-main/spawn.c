#include "spawn.h"
int spawn_all(int n, task_fn t, void *a, int *s)
{
	(void)n; (void)t; (void)a; (void)s;
	return 0;
}
int main(void) { return 0; }
