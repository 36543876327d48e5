/*
 * 04-fork-bomb: every process forks again and again. The process limit must
 * stop it: fork fails (EAGAIN) or forklab ends the run, and no process
 * outlives the run. Each process forks at most 10 times, so that even without
 * a sandbox the tree stops at 1024 processes; a process whose fork failed
 * sleeps until the wall limit.
 */
#include "hostile.h"

#include <sys/types.h>

int main(void)
{
	pid_t top = getpid();

	h_begin("fork-bomb: fork until fork fails");
	for (int i = 0; i < 10; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			if (getpid() == top)
				printf("fork-bomb: fork failed: %s\n",
				       h_errname(errno));
			break;
		}
	}
	h_hold();
}
