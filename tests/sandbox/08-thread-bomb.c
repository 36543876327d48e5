/*
 * 08-thread-bomb: create threads until pthread_create fails; every thread
 * sleeps. Threads are processes to the kernel: the process limit (or the
 * address space limit, with 8 MiB stacks) must stop the bomb, and the wall
 * limit ends the run. The bomb stops by itself after 4096 threads.
 */
#include "hostile.h"

#include <pthread.h>

static void *sleeper(void *arg)
{
	(void)arg;
	h_hold();
}

int main(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int n, rc = 0;

	h_begin("thread-bomb: pthread_create until it fails");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 8 << 20);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (n = 0; n < 4096; n++) {
		rc = pthread_create(&t, &attr, sleeper, NULL);
		if (rc != 0)
			break;
	}
	if (rc != 0)
		printf("thread-bomb: pthread_create failed after %d threads: "
		       "%s\n",
		       n, h_errname(rc));
	else
		printf("thread-bomb: %d threads and no failure\n", n);
	h_hold();
}
