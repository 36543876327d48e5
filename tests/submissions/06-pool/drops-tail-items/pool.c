/* forklab test submission for 06-pool: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pool.h"

#define POOL_MAX_WORKERS 64
#define POOL_CHUNK_MAX   4096 /* items per message: 32 KiB of longs */
#define POOL_GUIDED_DIV  8    /* a chunk is remaining / (8 * nworkers) */

/* A request: a header, then count inputs. The reply is the count results,
 * nothing else: the caller knows which chunk it asked for. */
struct pool_hdr {
	uint32_t count;
	uint32_t pad;
};

struct pool_msg {
	struct pool_hdr hdr;
	long items[POOL_CHUNK_MAX];
};

struct pool_worker {
	pid_t pid;
	int fd;       /* the caller's end of this worker's socketpair */
	int busy;     /* it holds a chunk whose results we await */
	size_t start; /* that chunk: in[start .. start + count) */
	size_t count;
};

struct pool {
	int nworkers;
	int broken; /* a worker died: every map fails with EPIPE */
	long (*fn)(long);
	struct pool_msg msg; /* the caller's send buffer */
	struct pollfd pfd[POOL_MAX_WORKERS];
	struct pool_worker w[POOL_MAX_WORKERS];
};

/* Read len bytes, or fewer if the other end closes first. Returns how many
 * were read (len, or less at end-of-file), or -1 with errno set. A reset
 * connection counts as end-of-file. */
static ssize_t pool_read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		r = read(fd, (char *)buf + got, len - got);
		if (r > 0)
			got += (size_t)r;
		else if (r == 0 || errno == ECONNRESET)
			break;
		else if (errno != EINTR)
			return -1;
	}
	return (ssize_t)got;
}

/* Send exactly len bytes, never raising SIGPIPE. Returns 0, or -1 with errno
 * set (EPIPE when the other end is gone). */
static int pool_send_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t r;

	while (len > 0) {
		r = send(fd, p, len, MSG_NOSIGNAL);
		if (r >= 0) {
			p += r;
			len -= (size_t)r;
		} else if (errno != EINTR) {
			if (errno == ECONNRESET)
				errno = EPIPE;
			return -1;
		}
	}
	return 0;
}

/* The life of a worker: read a chunk, compute it, send the results, until
 * the caller closes its end. Never returns. Exit status 0 on end-of-file,
 * 1 if the conversation broke down. */
static void pool_worker_main(int fd, long (*fn)(long))
{
	static struct pool_msg m; /* static: 32 KiB off the stack */
	size_t len;
	uint32_t i;
	ssize_t r;

	for (;;) {
		r = pool_read_full(fd, &m.hdr, sizeof(m.hdr));
		if (r == 0)
			break; /* end-of-file: pool_close says "no more work" */
		if (r != (ssize_t)sizeof(m.hdr) || m.hdr.count == 0 ||
		    m.hdr.count > POOL_CHUNK_MAX)
			_exit(1);
		len = m.hdr.count * sizeof(long);
		if (pool_read_full(fd, m.items, len) != (ssize_t)len)
			_exit(1);
		for (i = 0; i < m.hdr.count; i++)
			m.items[i] = fn(m.items[i]);
		if (pool_send_full(fd, m.items, len))
			_exit(1);
	}
	/* fn may have printed: flush it (the caller's own buffers were
	 * empty at fork, see pool_create), then leave without running the
	 * caller's atexit handlers. */
	fflush(NULL);
	_exit(0);
}

/* Stop and reap the workers w[0..n): close their sockets (end-of-file tells
 * them to exit), kill them first if kill_them, then wait for each by pid.
 * Returns 0 if each ended with status 0, else -1. */
static int pool_stop_workers(struct pool *p, int n, int kill_them)
{
	int i, status, ret = 0;

	for (i = 0; i < n; i++) {
		close(p->w[i].fd);
		if (kill_them)
			kill(p->w[i].pid, SIGKILL);
	}
	for (i = 0; i < n; i++) {
		while (waitpid(p->w[i].pid, &status, 0) < 0) {
			if (errno != EINTR) {
				status = -1;
				break;
			}
		}
		if (status != 0)
			ret = -1;
	}
	return ret;
}

/* Fork nworkers workers computing fn, each with a socketpair of its own.
 * Returns the pool, or NULL with errno set: EINVAL for nworkers out of 1..64
 * or a NULL fn; socketpair's, fork's or malloc's error otherwise, after the
 * workers already started have been stopped and reaped. */
struct pool *pool_create(int nworkers, long (*fn)(long))
{
	struct pool *p;
	int sv[2], i, j, err;
	pid_t pid;

	if (nworkers < 1 || nworkers > POOL_MAX_WORKERS || !fn) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->nworkers = nworkers;
	p->fn = fn;
	/* Anything still in the caller's stdio buffers would be copied into
	 * every worker: empty them first. */
	fflush(NULL);

	for (i = 0; i < nworkers; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			goto out_fail;
		pid = fork();
		if (pid < 0) {
			err = errno;
			close(sv[0]);
			close(sv[1]);
			errno = err;
			goto out_fail;
		}
		if (pid == 0) {
			/* Keep only our own end: the caller's ends of the
			 * earlier workers would keep their sockets open after
			 * the caller closes them, and they would never see
			 * end-of-file. */
			for (j = 0; j < i; j++)
				close(p->w[j].fd);
			close(sv[0]);
			pool_worker_main(sv[1], fn);
		}
		close(sv[1]);
		p->w[i].pid = pid;
		p->w[i].fd = sv[0];
		p->pfd[i].fd = sv[0];
		p->pfd[i].events = POLLIN;
	}
	return p;

out_fail:
	err = errno;
	pool_stop_workers(p, i, 0);
	free(p);
	errno = err;
	return NULL;
}

/* Has any worker died? An idle worker sends nothing, so any event on its
 * socket (end-of-file, hang-up, error) means it is gone. Does not block. */
static int pool_any_dead(struct pool *p)
{
	int i, r;

	do {
		r = poll(p->pfd, (nfds_t)p->nworkers, 0);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return 1;
	for (i = 0; i < p->nworkers; i++)
		if (p->pfd[i].revents)
			return 1;
	return 0;
}

/* Give worker k the next chunk of in[*next .. n), sized by the guided rule.
 * Returns 0, or -1 if the worker cannot be reached. */
static int pool_dispatch(struct pool *p, int k, const long *in, size_t n,
                         size_t *next)
{
	/* Fixed chunks: about three per worker. */
	size_t count = n / (3 * (size_t)p->nworkers);

	if (count < 1)
		count = 1;
	if (count > POOL_CHUNK_MAX)
		count = POOL_CHUNK_MAX;
	p->msg.hdr.count = (uint32_t)count;
	memcpy(p->msg.items, in + *next, count * sizeof(long));
	if (pool_send_full(p->w[k].fd, &p->msg,
	                   sizeof(p->msg.hdr) + count * sizeof(long)))
		return -1;
	p->w[k].busy = 1;
	p->w[k].start = *next;
	p->w[k].count = count;
	*next += count;
	return 0;
}

/* Compute out[i] = fn(in[i]) for i in [0, n) on the workers. Returns 0, or -1
 * with errno set: EINVAL for NULL arguments, EPIPE if a worker has died (now
 * or before) -- the pool is then broken for good. */
int pool_map(struct pool *p, const long *in, long *out, size_t n)
{
	size_t next = 0, done = 0, len, chunk, whole;
	int i, r;

	if (!p || (n > 0 && (!in || !out))) {
		errno = EINVAL;
		return -1;
	}
	/* A worker that died since the last map breaks this one, even an
	 * empty one. */
	if (p->broken || pool_any_dead(p))
		goto out_broken;

	/* Whole chunks only: n is split into chunks of one size. */
	chunk = n / (3 * (size_t)p->nworkers);
	if (chunk < 1)
		chunk = 1;
	if (chunk > POOL_CHUNK_MAX)
		chunk = POOL_CHUNK_MAX;
	whole = n / chunk * chunk;
	for (i = 0; i < p->nworkers && next < whole; i++)
		if (pool_dispatch(p, i, in, n, &next))
			goto out_broken;

	while (done < whole) {
		/* Sleep until a worker answers or dies: no timeout needed,
		 * a death always shows as an event. */
		r = poll(p->pfd, (nfds_t)p->nworkers, -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			goto out_broken;
		}
		for (i = 0; i < p->nworkers; i++) {
			struct pool_worker *w = &p->w[i];

			if (!p->pfd[i].revents)
				continue;
			/* Idle and yet an event: it has gone. A busy one
			 * that died shows as a short read. */
			len = w->count * sizeof(long);
			if (!w->busy || pool_read_full(w->fd, out + w->start,
			                               len) != (ssize_t)len)
				goto out_broken;
			w->busy = 0;
			done += w->count;
			if (next < whole && pool_dispatch(p, i, in, n, &next))
				goto out_broken;
		}
	}
	return 0;

out_broken:
	p->broken = 1;
	errno = EPIPE;
	return -1;
}

/* Close the workers' sockets so that they exit, reap each one by pid, free
 * the pool. Returns 0, or -1 if a worker did not end with status 0 (always so
 * for a broken pool). The workers of a broken pool are killed first: their
 * results are of no use and one may be stuck in fn. */
int pool_close(struct pool *p)
{
	int ret;

	if (!p) {
		errno = EINVAL;
		return -1;
	}
	ret = pool_stop_workers(p, p->nworkers, p->broken);
	if (p->broken)
		ret = -1;
	free(p);
	return ret;
}
