/* many: 300 short children in waves of 20, each wave reaped before the next
 * (never more than 20 alive, however slowly a loaded machine runs them). */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 300; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(i & 0xff);
		if (p < 0)
			return 1;
		if (i % 20 == 19)
			while (wait(NULL) > 0)
				;
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
