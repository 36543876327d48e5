/*
 * 27-unshare: move into new namespaces without a new process (unshare), or
 * join one through setns (tried on this process's own mount namespace, which
 * is harmless if it gets through). Both calls must be refused.
 */
#include "hostile.h"

#include <fcntl.h>
#include <sched.h>

int main(void)
{
	struct h_call calls[] = {
		{ "unshare(CLONE_NEWUSER)", SYS_unshare, { CLONE_NEWUSER } },
		{ "unshare(CLONE_NEWNS)", SYS_unshare, { CLONE_NEWNS } },
		{ "unshare(CLONE_NEWNET)", SYS_unshare, { CLONE_NEWNET } },
		{ "unshare(CLONE_NEWPID)", SYS_unshare, { CLONE_NEWPID } },
		{ "unshare(CLONE_NEWIPC | CLONE_NEWUTS)",
		  SYS_unshare,
		  { CLONE_NEWIPC | CLONE_NEWUTS } },
		{ "unshare(CLONE_NEWUSER | CLONE_NEWNS)",
		  SYS_unshare,
		  { CLONE_NEWUSER | CLONE_NEWNS } },
	};
	int fd;

	h_begin("unshare: new namespaces for this process");
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("open(/proc/self/ns/mnt): %s, setns not tried\n",
		       h_errname(errno));
	} else {
		h_refused("setns(CLONE_NEWNS)",
		          syscall(SYS_setns, fd, CLONE_NEWNS));
		close(fd);
	}
	return h_finish();
}
