/*
 * 18-kill-all: kill(-1, SIGKILL), which reaches every process the caller may
 * signal. Inside the sandbox that must be at most the run's own processes:
 * forklab (the parent) must live on, and so must the test that runs it. The
 * main process forks three sleeping children first, then fires, then checks
 * that its parent is still the same process.
 *
 * Not tried (exit 3) when it would reach outside: as root, or as the test
 * runner's own uid (argv[1]) outside a pid namespace of the sandbox's own.
 *
 * Usage: 18-kill-all RUNNER_UID
 */
#include "hostile.h"

#include <signal.h>
#include <sys/wait.h>

/* 1 when this process is in a pid namespace below the machine's: its
 * NSpid line in /proc/self/status then lists more than one pid. */
static int in_child_pid_namespace(void)
{
	char line[256];
	int nested = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		int a, b;

		if (sscanf(line, "NSpid: %d %d", &a, &b) == 2)
			nested = 1;
	}
	fclose(f);
	return nested;
}

int main(int argc, char **argv)
{
	pid_t parent, kids[3];
	int killed = 0, status;

	h_begin("kill-all: kill(-1, SIGKILL)");
	if (argc != 2) {
		printf("usage: %s RUNNER_UID\n", argv[0]);
		return H_USAGE;
	}
	if (!in_child_pid_namespace() &&
	    (geteuid() == 0 || (long)getuid() == atol(argv[1]))) {
		printf("kill-all: running as uid %d, which kill(-1) would "
		       "turn against the machine: not tried\n",
		       (int)geteuid());
		return H_UNSAFE;
	}
	parent = getppid();
	for (int i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			printf("fork: %s\n", h_errname(errno));
			return H_USAGE;
		}
		if (kids[i] == 0)
			h_hold();
	}
	if (kill(-1, SIGKILL) == 0)
		printf("kill(-1, SIGKILL): sent\n");
	else
		printf("kill(-1, SIGKILL): %s\n", h_errname(errno));
	usleep(200000);
	if (getppid() != parent)
		h_escape("kill-all", "my parent died");
	else
		printf("kill-all: my parent lives on\n");
	for (int i = 0; i < 3; i++) {
		if (waitpid(kids[i], &status, WNOHANG) == kids[i]) {
			killed++;
			continue;
		}
		kill(kids[i], SIGKILL);
		waitpid(kids[i], &status, 0);
	}
	printf("kill-all: %d of 3 children died of it\n", killed);
	return h_finish();
}
