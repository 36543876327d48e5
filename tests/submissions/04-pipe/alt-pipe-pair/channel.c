/* forklab test submission for 04-pipe: a correct solution that differs from
 * the reference: two pipes, one per direction, instead of a socket pair
 * (rfd and wfd differ). A pipe has no MSG_NOSIGNAL, so SIGPIPE is blocked
 * while writing and a SIGPIPE the write raised is taken back with
 * sigtimedwait(). The length header is in network byte order. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	sigset_t pipe_only, old, pending;
	int err = 0, had_one;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
	sigpending(&pending);
	had_one = sigismember(&pending, SIGPIPE);

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (err == EPIPE && !had_one) {
		const struct timespec zero = { 0, 0 };

		/* take back the SIGPIPE this write raised */
		while (sigtimedwait(&pipe_only, NULL, &zero) < 0 &&
		       errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* 1: all len bytes, 0: end of file before the first byte, -1: error or end
 * of file in the middle (errno EPROTO). */
static int read_exact(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			if (got == 0)
				return 0;
			errno = EPROTO;
			return -1;
		}
		got += (size_t)n;
	}
	return 1;
}

pid_t channel_spawn(struct channel *end,
                    int (*serve)(struct channel *end, void *arg), void *arg)
{
	int down[2], up[2]; /* down: caller -> child, up: child -> caller */
	pid_t pid;

	if (pipe2(down, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(up, O_CLOEXEC) < 0) {
		int e = errno;

		close(down[0]);
		close(down[1]);
		errno = e;
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(down[0]);
		close(down[1]);
		close(up[0]);
		close(up[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		struct channel mine = { down[0], up[1] };

		close(down[1]);
		close(up[0]);
		_exit(serve(&mine, arg));
	}
	close(down[0]);
	close(up[1]);
	end->rfd = up[0];
	end->wfd = down[1];
	return pid;
}

int channel_send(struct channel *c, const void *buf, size_t len)
{
	uint32_t hdr = htonl((uint32_t)len);

	if (len > CHANNEL_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (write_all(c->wfd, &hdr, sizeof(hdr)) < 0)
		return -1;
	return write_all(c->wfd, buf, len);
}

ssize_t channel_recv(struct channel *c, void *buf, size_t cap)
{
	uint32_t hdr;
	size_t len;
	int r = read_exact(c->rfd, &hdr, sizeof(hdr));

	if (r <= 0)
		return r == 0 ? CHANNEL_EOF : -1;
	len = ntohl(hdr);
	if (len > CHANNEL_MAX) {
		errno = EPROTO;
		return -1;
	}
	if (len > cap) {
		char junk[8192];

		while (len > 0) {
			size_t part = len > sizeof(junk) ? sizeof(junk) : len;

			if (read_exact(c->rfd, junk, part) != 1)
				return -1;
			len -= part;
		}
		errno = EMSGSIZE;
		return -1;
	}
	if (len > 0 && read_exact(c->rfd, buf, len) != 1)
		return -1;
	return (ssize_t)len;
}

int channel_close(struct channel *c)
{
	int r = 0;

	if (close(c->rfd) < 0)
		r = -1;
	if (c->wfd != c->rfd && close(c->wfd) < 0)
		r = -1;
	c->rfd = -1;
	c->wfd = -1;
	return r;
}
