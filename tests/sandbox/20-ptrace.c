/*
 * 20-ptrace: ptrace in every direction: PTRACE_TRACEME, attaching to the
 * parent (forklab's tracer), attaching to a child of its own, reading a
 * child's memory. The sandbox refuses the ptrace system call outright. An
 * attach that gets through is undone at once (wait for the stop, detach).
 */
#include "hostile.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

/* Attach to pid; if that worked, wait for the attach stop and let go. */
static void attach(const char *label, pid_t pid)
{
	if (h_refused(label, syscall(SYS_ptrace, PTRACE_ATTACH, pid, 0, 0))) {
		waitpid(pid, NULL, __WALL);
		syscall(SYS_ptrace, PTRACE_DETACH, pid, 0, 0);
	}
}

int main(void)
{
	pid_t parent = getppid(), child;
	long word;

	h_begin("ptrace: trace the tracer, be traced, trace a child");
	h_refused("ptrace(PTRACE_TRACEME)",
	          syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0));
	if (parent > 1)
		attach("ptrace(PTRACE_ATTACH, parent)", parent);
	child = fork();
	if (child < 0) {
		printf("fork: %s\n", h_errname(errno));
		return H_USAGE;
	}
	if (child == 0)
		h_hold();
	attach("ptrace(PTRACE_ATTACH, child)", child);
	h_refused("ptrace(PTRACE_PEEKDATA, child)",
	          syscall(SYS_ptrace, PTRACE_PEEKDATA, child, &word, &word));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return h_finish();
}
