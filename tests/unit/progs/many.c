/* many: 300 short children, reaped as they come. */
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
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
