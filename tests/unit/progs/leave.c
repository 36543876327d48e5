/* leave: "orphan" leaves a sleeping child; "zombie" leaves an unreaped one;
 * "setsid" leaves a daemonised grandchild. */
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (fork() == 0) {
		if (!strcmp(m, "zombie"))
			_exit(0);
		if (!strcmp(m, "setsid")) {
			setsid();
			if (fork() > 0)
				_exit(0);
		}
		for (;;)
			pause();
	}
	usleep(200000);
	return 0;
}
