/*
 * A submission whose every trace is hostile to a report: its children take
 * names with markup, quotes, a control byte and a terminal escape, send
 * timeline events with markup, XML-invalid characters and bad UTF-8 on the
 * test's channel (descriptor 3), and the caller prints the same to stderr
 * and returns 1 instead of 0, so that every test fails and all of it reaches
 * the feedback and the timelines of the reports.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

static const char hostile[] =
    "</pre><script>alert(1)</script>]]><!-- & \"q\" 'a' "
    "\x01\x0b\x1b[31mred\x1b[0m \xef\xbf\xbe \xff\xfe end";

int spawn_all(int n, task_fn task, void *arg, int *statuses)
{
	char event[256];
	int st;

	snprintf(event, sizeof event, "E %s", hostile);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0) {
			prctl(PR_SET_NAME, "<i>&\"'\x01\x1b[1m");
			send(3, event, strlen(event), MSG_NOSIGNAL);
			_exit(task(i, arg));
		}
	}
	for (int i = 0; i < n; i++) {
		pid_t pid = wait(&st);

		if (pid < 0)
			break;
		if (statuses)
			statuses[i] = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	}
	fprintf(stderr, "%s\n", hostile);
	return 1;
}
