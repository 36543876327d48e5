/*
 * 42-process-vm: read and write another process's memory directly
 * (process_vm_readv, process_vm_writev), aimed at the parent (forklab's
 * tracer) and at pid 1. Both must be refused. The remote address is the page
 * at 0x1000, which is never mapped: a call that gets past the permission check
 * fails with EFAULT and moves nothing.
 */
#include "hostile.h"

#include <sys/uio.h>

static void attack(pid_t pid, const char *who)
{
	char buf[16] = { 0 }, label[96];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { (void *)0x1000, sizeof(buf) };
	long ret;

	snprintf(label, sizeof(label), "process_vm_readv(%s)", who);
	ret = syscall(SYS_process_vm_readv, pid, &local, 1, &remote, 1, 0);
	if (ret == -1 && errno == ESRCH)
		printf("%s: no such process\n", label);
	else
		h_refused(label, ret);
	snprintf(label, sizeof(label), "process_vm_writev(%s)", who);
	ret = syscall(SYS_process_vm_writev, pid, &local, 1, &remote, 1, 0);
	if (ret == -1 && errno == ESRCH)
		printf("%s: no such process\n", label);
	else
		h_refused(label, ret);
}

int main(void)
{
	pid_t parent = getppid();

	h_begin("process-vm: another process's memory, directly");
	if (parent > 1)
		attack(parent, "parent");
	if (getpid() != 1)
		attack(1, "init");
	return h_finish();
}
