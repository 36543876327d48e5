/* forkpipe - 1,000 processes and 100,000 messages: twenty waves of 50
 * children, each child sending 100 messages up a pipe to the parent. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	long got = 0;

	for (int wave = 0; wave < 20; wave++) {
		int p[2];

		if (pipe(p) < 0)
			return 1;
		for (int c = 0; c < 50; c++) {
			pid_t pid = fork();

			if (pid < 0)
				return 1;
			if (pid == 0) {
				close(p[0]);
				for (int m = 0; m < 100; m++) {
					long v = m;

					if (write(p[1], &v, sizeof v) != sizeof v)
						_exit(1);
				}
				_exit(0);
			}
		}
		close(p[1]);
		long v;

		while (read(p[0], &v, sizeof v) == sizeof v)
			got++;
		close(p[0]);
		while (wait(NULL) > 0)
			;
	}
	return got == 100000 ? 0 : 2;
}
