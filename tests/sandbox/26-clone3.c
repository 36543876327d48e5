/*
 * 26-clone3: clone3 passes its flags in memory, where seccomp cannot look, so
 * the sandbox answers it with ENOSYS (and only ENOSYS: libc then falls back to
 * clone, whose flags seccomp can see). Tried plain and with CLONE_NEWUSER. A
 * child that does get created exits at once.
 */
#include "hostile.h"

#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

/* struct clone_args as of Linux 5.3 (CLONE_ARGS_SIZE_VER0, 64 bytes). */
struct clone_args_v0 {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
};

static const struct {
	const char *label;
	uint64_t flags;
} attempts[] = {
	{ "clone3()", 0 },
	{ "clone3(CLONE_NEWUSER)", CLONE_NEWUSER },
};

int main(void)
{
	h_begin("clone3: the call seccomp cannot inspect");
	for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		struct clone_args_v0 args = { .flags = attempts[i].flags,
			                      .exit_signal = SIGCHLD };
		long pid = syscall(SYS_clone3, &args, sizeof(args));
		int e = errno;

		if (pid == 0)
			syscall(SYS_exit_group, 0);
		if (pid > 0) {
			waitpid((pid_t)pid, NULL, 0);
			h_escape(attempts[i].label, "created a process");
		} else if (e == ENOSYS) {
			printf("%s: ENOSYS\n", attempts[i].label);
		} else {
			printf("%s: %s, not ENOSYS: libc would not fall back "
			       "to clone\n",
			       attempts[i].label, h_errname(e));
			*h_escaped() = 1;
		}
	}
	return h_finish();
}
