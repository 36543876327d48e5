/* chan: speaks the driver channel on fd 3 as a driver would, and a second
 * time as a submission stealing the token would. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int ask(const char *q, char *a, size_t n)
{
	ssize_t r;

	send(3, q, strlen(q), 0);
	r = recv(3, a, n - 1, 0);
	a[r > 0 ? r : 0] = '\0';
	return (int)r;
}

int main(int argc, char **argv)
{
	char token[128], a[65536], v[256];

	ask("?token", token, sizeof token);
	send(3, "E hello", 7, 0);
	send(3, "N a note", 8, 0);
	send(3, "M 42.5", 6, 0);
	ask("?procs", a, sizeof a);
	printf("%s", a);
	if (argc > 1 && !strcmp(argv[1], "steal"))
		ask("?token", a, sizeof a); /* a second asker */
	if (fork() == 0) { /* a child's verdict counts for nothing */
		snprintf(v, sizeof v, "V %s fail from a child", token + 6);
		send(3, v, strlen(v), 0);
		_exit(0);
	}
	usleep(100000);
	snprintf(v, sizeof v, "V %s pass", token + 6);
	send(3, v, strlen(v), 0);
	return 0;
}
