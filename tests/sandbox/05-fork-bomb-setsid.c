/*
 * 05-fork-bomb-setsid: a fork bomb whose children each start a session of
 * their own, so that killing the first process group misses them. forklab
 * must still count them against the process limit and kill every one at the
 * end. As 04-fork-bomb, each process forks at most 10 times.
 */
#include "hostile.h"

#include <sys/types.h>

int main(void)
{
	pid_t top = getpid();

	h_begin("fork-bomb-setsid: fork and setsid until fork fails");
	for (int i = 0; i < 10; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			if (getpid() == top)
				printf("fork-bomb-setsid: fork failed: %s\n",
				       h_errname(errno));
			break;
		}
		if (pid == 0)
			setsid();
	}
	h_hold();
}
