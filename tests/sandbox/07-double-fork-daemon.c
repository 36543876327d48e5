/*
 * 07-double-fork-daemon: the classic daemon. The child starts a session, forks
 * a grandchild and exits; the grandchild starts a session of its own and
 * sleeps forever, orphaned, still holding stdout and stderr. The main process
 * reaps the child and exits 0. forklab must record the grandchild as alive
 * after main, kill it, and not wait for it (nor for the end of its output).
 */
#include "hostile.h"

#include <sys/types.h>
#include <sys/wait.h>

int main(void)
{
	int status;
	pid_t child;

	h_begin("double-fork-daemon: leave a grandchild behind");
	child = fork();
	if (child < 0) {
		printf("fork: %s\n", h_errname(errno));
		return H_USAGE;
	}
	if (child == 0) {
		pid_t grandchild;

		setsid();
		grandchild = fork();
		if (grandchild == 0) {
			setsid();
			h_hold();
		}
		_exit(grandchild < 0 ? 1 : 0);
	}
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("the daemon's first child failed\n");
		return H_USAGE;
	}
	printf("daemon started; main exits\n");
	return 0;
}
