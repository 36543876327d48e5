/*
 * 17-ignore-signals: ignore and block every signal that can be, in the main
 * process and three children, then sleep forever. Only SIGKILL can end them:
 * forklab must use it at the wall limit, on every process.
 */
#include "hostile.h"

#include <signal.h>

int main(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	sigset_t all;
	int ignored = 0;

	h_begin("ignore-signals: ignore and block every signal");
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s < NSIG; s++)
		ignored += sigaction(s, &sa, NULL) == 0;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	printf("ignore-signals: %d signals ignored, all blocked\n", ignored);
	for (int i = 0; i < 3; i++)
		if (fork() == 0)
			break;
	h_hold();
}
