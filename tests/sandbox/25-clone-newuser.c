/*
 * 25-clone-newuser: clone(2) with namespace flags, by raw system call: a new
 * user namespace gives a process every capability inside it, the first step
 * of many kernel exploits. The sandbox refuses clone with these flags (plain
 * fork and threads must still work). A child that does get created exits at
 * once.
 */
#include "hostile.h"

#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

static const struct {
	const char *label;
	unsigned long flags;
} attempts[] = {
	{ "clone(CLONE_NEWUSER)", CLONE_NEWUSER },
	{ "clone(CLONE_NEWUSER | CLONE_NEWNS)", CLONE_NEWUSER | CLONE_NEWNS },
	{ "clone(CLONE_NEWUSER | CLONE_NEWNET)", CLONE_NEWUSER | CLONE_NEWNET },
	{ "clone(CLONE_NEWPID)", CLONE_NEWPID },
};

int main(void)
{
	h_begin("clone-newuser: clone into new namespaces");
	for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		/* No new stack: the child goes on on a copy of this one, as
		 * after fork. */
		long pid = syscall(SYS_clone, attempts[i].flags | SIGCHLD, 0L,
		                   0L, 0L, 0L);

		if (pid == 0)
			syscall(SYS_exit_group, 0);
		if (h_refused(attempts[i].label, pid))
			waitpid((pid_t)pid, NULL, 0);
	}
	return h_finish();
}
