/* tree: three named children with known ends; the parent reaps them all. */
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 3; i++) {
		if (fork() == 0) {
			char name[16];

			snprintf(name, sizeof name, "kid-%d", i);
			prctl(PR_SET_NAME, name);
			if (i == 2)
				raise(SIGTERM);
			_exit(i + 1);
		}
	}
	while (wait(NULL) > 0)
		;
	return 7;
}
