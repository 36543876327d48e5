/*
 * 06-fork-chain: a chain of short-lived processes. Each link forks the next
 * and exits at once, so that few processes are alive at any moment while the
 * number created keeps growing: the limit on processes created in total must
 * end it. The first process only waits. The chain stops by itself after 5000
 * links.
 */
#include "hostile.h"

#include <sys/types.h>

int main(void)
{
	pid_t pid;

	h_begin("fork-chain: each process forks the next and exits");
	pid = fork();
	if (pid < 0) {
		printf("fork-chain: fork failed: %s\n", h_errname(errno));
		return H_USAGE;
	}
	if (pid > 0)
		h_hold();
	for (int link = 0; link < 5000; link++) {
		pid = fork();
		if (pid < 0) {
			/* Out of processes for now: try again in a moment. */
			usleep(1000);
			continue;
		}
		if (pid > 0)
			_exit(0);
	}
	h_hold();
}
