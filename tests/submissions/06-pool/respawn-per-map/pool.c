/*
 * pool.c - a pool with two pipes per worker (tasks down, results up), work
 * handed out in chunks as Python's Pool.map does (chunksize = n / (4 *
 * nworkers), rounded up), SIGPIPE ignored so that writing to a dead worker
 * fails with EPIPE, and deaths seen as end-of-file on a result pipe or
 * through waitpid(WNOHANG).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pool.h"

struct worker {
	pid_t pid;
	int to, from; /* task pipe (write end), result pipe (read end) */
	int busy;
	size_t start, cnt;
	int reaped, status;
};

struct pool {
	long (*fn)(long);
	int n;
	int broken;
	struct worker w[64];
};

static int xread(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

static int xwrite(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t r = write(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

/* At most 4096 items (32 KiB) per chunk: the results then fit in the result
 * pipe (64 KiB), so a worker never blocks on it while we write to it. */
#define CHUNK_MAX 4096

static void work(int in, int out, long (*fn)(long))
{
	static long buf[CHUNK_MAX];
	size_t cnt, i;

	for (;;) {
		if (xread(in, &cnt, sizeof(cnt)) < 0)
			_exit(0); /* end-of-file: the pool is closing */
		if (cnt > CHUNK_MAX || xread(in, buf, cnt * sizeof(long)) < 0)
			_exit(1);
		for (i = 0; i < cnt; i++)
			buf[i] = fn(buf[i]);
		if (xwrite(out, buf, cnt * sizeof(long)) < 0)
			_exit(1);
	}
}

/* Fork the workers w[0 .. nworkers). */
static void start(struct pool *p, int nworkers)
{
	int i, j, a[2], b[2];

	p->n = 0;
	for (i = 0; i < nworkers; i++) {
		if (pipe(a) < 0)
			break;
		if (pipe(b) < 0) {
			close(a[0]);
			close(a[1]);
			break;
		}
		p->w[i].pid = fork();
		if (p->w[i].pid < 0) {
			close(a[0]);
			close(a[1]);
			close(b[0]);
			close(b[1]);
			break;
		}
		if (p->w[i].pid == 0) {
			for (j = 0; j < i; j++) {
				close(p->w[j].to);
				close(p->w[j].from);
			}
			close(a[1]);
			close(b[0]);
			work(a[0], b[1], p->fn);
		}
		close(a[0]);
		close(b[1]);
		p->w[i].to = a[1];
		p->w[i].from = b[0];
		p->n++;
	}
}

/* Close the workers' task pipes and reap them. 0 if all exited with 0. */
static int stop(struct pool *p)
{
	int i, ret = 0;

	for (i = 0; i < p->n; i++)
		close(p->w[i].to);
	for (i = 0; i < p->n; i++) {
		if (p->broken && !p->w[i].reaped)
			kill(p->w[i].pid, SIGKILL);
		if (!p->w[i].reaped)
			while (waitpid(p->w[i].pid, &p->w[i].status, 0) < 0 &&
			       errno == EINTR)
				;
		if (p->w[i].status != 0)
			ret = -1;
		close(p->w[i].from);
	}
	memset(p->w, 0, sizeof(p->w));
	return ret;
}

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
	signal(SIGPIPE, SIG_IGN);
	p->fn = fn;
	start(p, nworkers);
	if (p->n < nworkers) {
		int err = errno;

		pool_close(p);
		errno = err;
		return NULL;
	}
	return p;
}

/* Reap the workers that have ended: 1 if one had. */
static int any_dead(struct pool *p)
{
	int i, dead = 0;

	for (i = 0; i < p->n; i++) {
		if (!p->w[i].reaped &&
		    waitpid(p->w[i].pid, &p->w[i].status, WNOHANG) > 0)
			p->w[i].reaped = 1;
		if (p->w[i].reaped)
			dead = 1;
	}
	return dead;
}

static int give(struct pool *p, int i, const long *in, size_t n, size_t *next,
                size_t chunk)
{
	size_t cnt = n - *next < chunk ? n - *next : chunk;

	if (xwrite(p->w[i].to, &cnt, sizeof(cnt)) < 0 ||
	    xwrite(p->w[i].to, in + *next, cnt * sizeof(long)) < 0)
		return -1;
	p->w[i].busy = 1;
	p->w[i].start = *next;
	p->w[i].cnt = cnt;
	*next += cnt;
	return 0;
}

int pool_map(struct pool *p, const long *in, long *out, size_t n)
{
	struct pollfd fds[64];
	size_t next = 0, done = 0, chunk;
	int i;

	if (p->broken || any_dead(p))
		goto broken;
	chunk = (n + 4 * (size_t)p->n - 1) / (4 * (size_t)p->n);
	if (chunk > CHUNK_MAX)
		chunk = CHUNK_MAX;
	for (i = 0; i < p->n && next < n; i++)
		if (give(p, i, in, n, &next, chunk) < 0)
			goto broken;
	while (done < n) {
		for (i = 0; i < p->n; i++) {
			fds[i].fd = p->w[i].from;
			fds[i].events = POLLIN;
		}
		if (poll(fds, (nfds_t)p->n, 100) < 0 && errno != EINTR)
			goto broken;
		if (any_dead(p))
			goto broken;
		for (i = 0; i < p->n; i++) {
			if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!p->w[i].busy ||
			    xread(p->w[i].from, out + p->w[i].start,
			          p->w[i].cnt * sizeof(long)) < 0)
				goto broken;
			p->w[i].busy = 0;
			done += p->w[i].cnt;
			if (next < n && give(p, i, in, n, &next, chunk) < 0)
				goto broken;
		}
	}
	/* BUG: "a fresh team for every map, to be safe": the workers are
	 * stopped and new ones forked, so pool_map creates processes. */
	i = p->n;
	if (stop(p) < 0)
		goto broken;
	start(p, i);
	if (p->n < i)
		goto broken;
	return 0;
broken:
	p->broken = 1;
	errno = EPIPE;
	return -1;
}

int pool_close(struct pool *p)
{
	int ret = stop(p);

	if (p->broken)
		ret = -1;
	free(p);
	return ret;
}
