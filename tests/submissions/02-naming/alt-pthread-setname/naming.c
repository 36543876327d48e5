/* forklab test submission for 02-naming: a correct solution that differs from
 * the reference: pthread_setname_np()/pthread_getname_np() on the only thread
 * of the child. They refuse names of more than 15 bytes with ERANGE, so the
 * name is cut first, as the kernel would. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "naming.h"

#define NAME_MAX_BYTES 15

static void name_self(const char *name)
{
	char cut[NAME_MAX_BYTES + 1];

	strncpy(cut, name, NAME_MAX_BYTES);
	cut[NAME_MAX_BYTES] = '\0';
	pthread_setname_np(pthread_self(), cut);
}

static int code_of(int st)
{
	if (WIFSIGNALED(st))
		return -WTERMSIG(st);
	return WEXITSTATUS(st);
}

int spawn_named(int n, const char *const names[], task_fn task, void *arg,
                int *statuses)
{
	pid_t *pids = NULL;
	int i, started = 0, saved = 0;

	if (n <= 0)
		return n == 0 ? 0 : (errno = EINVAL, -1);
	pids = malloc(sizeof(pid_t) * (size_t)n);
	if (pids == NULL)
		return -1;
	fflush(NULL);
	while (started < n) {
		pid_t pid = fork();

		if (pid == -1) {
			saved = errno;
			break;
		}
		if (pid == 0) {
			name_self(names[started]);
			_exit(task(started, arg));
		}
		pids[started++] = pid;
	}
	for (i = 0; i < started; i++) {
		int st = 0;

		while (waitpid(pids[i], &st, 0) == -1 && errno == EINTR)
			;
		if (statuses != NULL)
			statuses[i] = code_of(st);
	}
	free(pids);
	if (saved != 0) {
		errno = saved;
		return -1;
	}
	return 0;
}

int process_name(char *buf, size_t size)
{
	char name[NAME_MAX_BYTES + 1];
	int e = pthread_getname_np(pthread_self(), name, sizeof(name));

	if (e != 0) {
		errno = e;
		return -1;
	}
	if (strlen(name) >= size) {
		errno = ERANGE;
		return -1;
	}
	strcpy(buf, name);
	return 0;
}
