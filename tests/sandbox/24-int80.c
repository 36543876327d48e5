/*
 * 24-int80: a 32-bit system call from a 64-bit process, through int $0x80
 * (eax = 20, getpid in the i386 table). seccomp sees another architecture;
 * the sandbox kills the process with SIGSYS. Surviving is a failure.
 */
#include "hostile.h"

int main(void)
{
	long ret = 20; /* __NR_getpid on i386 */

	h_begin("int80: getpid through the i386 ABI");
	__asm__ volatile("int $0x80"
	                 : "+a"(ret)
	                 :
	                 : "memory", "r8", "r9", "r10", "r11");
	printf("int $0x80 getpid returned %ld and I am still alive\n", ret);
	return H_ESCAPED;
}
