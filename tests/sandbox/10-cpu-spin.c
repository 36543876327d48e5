/*
 * 10-cpu-spin: spin on the CPU in the main process and in NCHILD children.
 * The CPU limit is on the whole run: many children must not multiply it.
 * Every process stops by itself after 20 s of wall time.
 *
 * Usage: 10-cpu-spin NCHILD
 */
#include "hostile.h"

#include <time.h>

static void spin(void)
{
	volatile unsigned long n = 0;
	time_t end = time(NULL) + 20;

	while (time(NULL) < end)
		for (int i = 0; i < 1000000; i++)
			n++;
}

int main(int argc, char **argv)
{
	long nchild;

	h_begin("cpu-spin: burn CPU in every process");
	if (argc != 2 || (nchild = atol(argv[1])) < 0 || nchild > 32) {
		printf("usage: %s NCHILD (0..32)\n", argv[0]);
		return H_USAGE;
	}
	for (long i = 0; i < nchild; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			printf("fork: %s\n", h_errname(errno));
			break;
		}
		if (pid == 0) {
			spin();
			_exit(0);
		}
	}
	spin();
	printf("cpu-spin: 20 s of spinning and still alive\n");
	return H_ESCAPED;
}
