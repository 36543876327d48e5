/*
 * pool.c - a pool fed through ONE shared task pipe.
 *
 * All workers read from the same task pipe and write to the same result
 * pipe. A task is one 16-byte record (index, value) and so is a result:
 * writes of at most PIPE_BUF bytes are atomic, and every read asks for one
 * record, so records never mix, and an idle worker simply takes the next
 * task: the balancing is free. At most IN_FLIGHT tasks are outstanding, so
 * the results always fit in the result pipe and nobody blocks for ever.
 *
 * A shared pipe hides the death of one worker (the others keep its ends
 * open), so each worker is watched through a pidfd, which poll() reports
 * readable when the process ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pool.h"

#define IN_FLIGHT 2048 /* 2048 * 16 bytes = 32 KiB < the 64 KiB pipe */

struct rec {
	long index;
	long value;
};

struct pool {
	int n, broken;
	int task_w, result_r;
	pid_t pid[64];
	int pidfd[64];
};

static void worker(int task_r, int result_w, long (*fn)(long))
{
	struct rec r;
	ssize_t got;

	for (;;) {
		got = read(task_r, &r, sizeof(r));
		if (got < 0 && errno == EINTR)
			continue;
		if (got == 0)
			_exit(0); /* the task pipe was closed: pool_close */
		if (got != (ssize_t)sizeof(r))
			_exit(1);
		r.value = fn(r.value);
		if (write(result_w, &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
	}
}

struct pool *pool_create(int nworkers, long (*fn)(long))
{
	int task[2], result[2], i, err;
	struct pool *p;

	if (nworkers < 1 || nworkers > 64 || !fn) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	if (pipe2(task, O_CLOEXEC) < 0) {
		free(p);
		return NULL;
	}
	if (pipe2(result, O_CLOEXEC) < 0) {
		err = errno;
		close(task[0]);
		close(task[1]);
		free(p);
		errno = err;
		return NULL;
	}
	p->task_w = task[1];
	p->result_r = result[0];
	for (i = 0; i < nworkers; i++) {
		p->pid[i] = fork();
		if (p->pid[i] < 0)
			break;
		if (p->pid[i] == 0) {
			close(task[1]);
			close(result[0]);
			for (int j = 0; j < i; j++)
				close(p->pidfd[j]);
			worker(task[0], result[1], fn);
		}
		p->pidfd[i] = (int)syscall(SYS_pidfd_open, p->pid[i], 0);
		p->n++;
		if (p->pidfd[i] < 0)
			break;
	}
	close(task[0]);
	close(result[1]);
	if (p->n < nworkers || p->pidfd[p->n - 1] < 0) {
		err = errno;
		p->broken = 1;
		pool_close(p);
		errno = err;
		return NULL;
	}
	return p;
}

int pool_map(struct pool *p, const long *in, long *out, size_t n)
{
	struct pollfd fds[66];
	size_t sent = 0, got = 0;
	struct rec r;
	int i, k;

	if (p->broken)
		goto broken;
	for (i = 0; i < p->n; i++) {
		fds[i].fd = p->pidfd[i];
		fds[i].events = POLLIN;
	}
	fds[p->n].fd = p->result_r;
	fds[p->n].events = POLLIN;
	fds[p->n + 1].fd = p->task_w;
	for (;;) {
		/* Ask for POLLOUT only while there is something to send. */
		fds[p->n + 1].events =
		    sent < n && sent - got < IN_FLIGHT ? POLLOUT : 0;
		k = poll(fds, (nfds_t)p->n + 2, got < n ? -1 : 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			goto broken;
		for (i = 0; i < p->n; i++)
			if (fds[i].revents)
				goto broken; /* a worker has ended */
		if (got == n)
			return 0;
		if (fds[p->n].revents) {
			if (read(p->result_r, &r, sizeof(r)) != sizeof(r))
				goto broken;
			out[r.index] = r.value;
			got++;
		}
		if (fds[p->n + 1].revents & POLLOUT) {
			r.index = (long)sent;
			r.value = in[sent];
			if (write(p->task_w, &r, sizeof(r)) != sizeof(r))
				goto broken;
			sent++;
		}
	}
broken:
	p->broken = 1;
	errno = EPIPE;
	return -1;
}

int pool_close(struct pool *p)
{
	int i, status, ret = p->broken ? -1 : 0;

	/* A broken pool may hold tasks nobody will finish: kill it. */
	for (i = 0; i < p->n && p->broken; i++)
		kill(p->pid[i], SIGKILL);
	close(p->task_w);
	for (i = 0; i < p->n; i++) {
		while (waitpid(p->pid[i], &status, 0) < 0 && errno == EINTR)
			;
		if (status != 0)
			ret = -1;
		if (p->pidfd[i] >= 0)
			close(p->pidfd[i]);
	}
	close(p->result_r);
	free(p);
	return ret;
}
