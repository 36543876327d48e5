/* refuse: calls the box refuses, printing what each got. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	long r;

	r = ptrace(PTRACE_TRACEME, 0, 0, 0);
	printf("ptrace %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "-");
	r = socket(AF_INET, SOCK_STREAM, 0);
	printf("socket %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "-");
	r = unshare(CLONE_NEWUSER);
	printf("unshare %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "-");
	r = syscall(SYS_clone3, NULL, 0);
	printf("clone3 %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "-");
	r = socket(AF_UNIX, SOCK_STREAM, 0);
	printf("unix %s\n", r >= 0 ? "ok" : strerrorname_np(errno));
	return 0;
}
