/*
 * 15-sigstop-self: the main process stops itself with SIGSTOP and nobody
 * continues it. forklab must not hang on a stopped process: the wall limit
 * kills it (SIGKILL works on a stopped process) and the run ends.
 */
#include "hostile.h"

#include <signal.h>

int main(void)
{
	h_begin("sigstop-self: stopping myself");
	raise(SIGSTOP);
	printf("sigstop-self: continued by someone\n");
	return H_ESCAPED;
}
