/*
 * pool.c - "pool" that forks one short-lived process per item, at most
 * nworkers at a time, each sending back (index, value) through one pipe.
 *
 * BUG: this is not a pool. pool_create starts no process at all, pool_map
 * forks a process for every item (slow for trivial items, and the grader
 * counts the processes), and between maps there is no worker that could
 * die or be reused.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pool.h"

struct pool {
	int nworkers;
	long (*fn)(long);
	int broken;
};

struct result {
	size_t index;
	long value;
};

struct pool *pool_create(int nworkers, long (*fn)(long))
{
	struct pool *p;

	if (nworkers < 1 || nworkers > 64 || !fn) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->nworkers = nworkers;
	p->fn = fn;
	return p;
}

int pool_map(struct pool *p, const long *in, long *out, size_t n)
{
	size_t next = 0, done = 0;
	int running = 0, fd[2], status;
	struct result r;
	pid_t pid;

	if (p->broken) {
		errno = EPIPE;
		return -1;
	}
	if (pipe(fd) < 0)
		return -1;
	while (done < n) {
		/* Keep nworkers processes running. */
		while (running < p->nworkers && next < n) {
			pid = fork();
			if (pid < 0)
				goto broken;
			if (pid == 0) {
				close(fd[0]);
				r.index = next;
				r.value = p->fn(in[next]);
				/* 16 bytes: atomic on a pipe */
				_exit(write(fd[1], &r, sizeof(r)) ==
				              (ssize_t)sizeof(r)
				          ? 0
				          : 1);
			}
			running++;
			next++;
		}
		/* One of them ended: collect its result. */
		while ((pid = wait(&status)) < 0 && errno == EINTR)
			;
		if (pid < 0 || status != 0)
			goto broken;
		running--;
		if (read(fd[0], &r, sizeof(r)) != (ssize_t)sizeof(r))
			goto broken;
		out[r.index] = r.value;
		done++;
	}
	close(fd[0]);
	close(fd[1]);
	return 0;
broken:
	while (running-- > 0)
		wait(NULL);
	close(fd[0]);
	close(fd[1]);
	p->broken = 1;
	errno = EPIPE;
	return -1;
}

int pool_close(struct pool *p)
{
	int ret = p->broken ? -1 : 0;

	free(p);
	return ret;
}
