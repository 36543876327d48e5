/*
 * 16-stopped-child: a child stops itself with SIGSTOP; the main process sees
 * the stop (waitpid with WUNTRACED, which the tracer must let through) and
 * exits 0, leaving the child stopped. forklab must record it alive after main
 * and kill it.
 */
#include "hostile.h"

#include <signal.h>
#include <sys/wait.h>

int main(void)
{
	int status;
	pid_t pid;

	h_begin("stopped-child: leave a stopped child behind");
	pid = fork();
	if (pid < 0) {
		printf("fork: %s\n", h_errname(errno));
		return H_USAGE;
	}
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	if (waitpid(pid, &status, WUNTRACED) < 0) {
		printf("waitpid: %s\n", h_errname(errno));
		return H_USAGE;
	}
	if (WIFSTOPPED(status))
		printf("stopped-child: the child is stopped; main exits\n");
	else
		printf("stopped-child: the child was not stopped (0x%x)\n",
		       status);
	return WIFSTOPPED(status) ? 0 : H_USAGE;
}
