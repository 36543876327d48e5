/*
 * 36-userfaultfd: userfaultfd lets a process hold the kernel still in the
 * middle of a copy from user memory, a favourite of exploits. The system call
 * must be refused, also with UFFD_USER_MODE_ONLY (which an unprivileged
 * process may otherwise use), and /dev/userfaultfd must not open.
 */
#include "hostile.h"

#include <fcntl.h>
#include <linux/userfaultfd.h>

int main(void)
{
	struct h_call calls[] = {
		{ "userfaultfd(UFFD_USER_MODE_ONLY)",
		  SYS_userfaultfd,
		  { O_CLOEXEC | UFFD_USER_MODE_ONLY } },
		{ "userfaultfd(0)", SYS_userfaultfd, { O_CLOEXEC } },
	};
	int fd;

	h_begin("userfaultfd: stall the kernel on a page fault");
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	fd = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	if (h_denied("open(/dev/userfaultfd)", fd))
		close(fd);
	return h_finish();
}
