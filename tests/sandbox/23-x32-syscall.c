/*
 * 23-x32-syscall: a system call by its x32 number (bit 30 set: the same
 * getpid, under another ABI that a filter written for x86-64 numbers might not
 * expect). The sandbox kills the process with SIGSYS. Surviving is a failure,
 * whatever the call returned.
 */
#include "hostile.h"

#define X32_SYSCALL_BIT 0x40000000L

int main(void)
{
	long ret;

	h_begin("x32-syscall: getpid through the x32 ABI");
	ret = syscall(X32_SYSCALL_BIT | SYS_getpid);
	printf("x32 getpid returned %ld (%s) and I am still alive\n", ret,
	       ret < 0 ? h_errname(errno) : "a pid");
	return H_ESCAPED;
}
