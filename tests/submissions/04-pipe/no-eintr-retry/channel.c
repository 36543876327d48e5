/* forklab test submission for 04-pipe: its defect is told in the
 * file expect beside it. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "channel.h"

/* Every message goes as a 4-byte length, then the bytes. */

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == ECONNRESET)
				errno = EPIPE;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Returns how many bytes were read: fewer than len only at end of file. */
static ssize_t read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n == 0)
			break;
		if (n < 0) {
			if (errno == ECONNRESET)
				break; /* the other end closed with data unread */
			return -1;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

pid_t channel_spawn(struct channel *end,
                    int (*serve)(struct channel *end, void *arg), void *arg)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		struct channel mine = { sv[1], sv[1] };

		close(sv[0]);
		_exit(serve(&mine, arg));
	}
	close(sv[1]);
	end->rfd = sv[0];
	end->wfd = sv[0];
	return pid;
}

int channel_send(struct channel *c, const void *buf, size_t len)
{
	uint32_t hdr = (uint32_t)len;

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
	uint32_t len;
	ssize_t n = read_all(c->rfd, &len, sizeof(len));

	if (n < 0)
		return -1;
	if (n < (ssize_t)sizeof(len))
		return CHANNEL_EOF; /* closed (in a header, at worst) */
	if (len > CHANNEL_MAX) {
		errno = EPROTO;
		return -1;
	}
	if (len > cap) {
		char junk[4096];

		while (len > 0) {
			size_t chunk = len < sizeof(junk) ? len : sizeof(junk);

			n = read_all(c->rfd, junk, chunk);
			if (n < (ssize_t)chunk)
				return n < 0 ? -1 : CHANNEL_EOF;
			len -= (uint32_t)chunk;
		}
		errno = EMSGSIZE;
		return -1;
	}
	n = read_all(c->rfd, buf, len);
	if (n < 0)
		return -1;
	if (n < (ssize_t)len)
		return CHANNEL_EOF; /* closed in the middle: drop the part */
	return (ssize_t)len;
}

int channel_close(struct channel *c)
{
	int r = close(c->rfd);

	if (c->wfd != c->rfd && close(c->wfd) < 0)
		r = -1;
	c->rfd = c->wfd = -1;
	return r;
}
