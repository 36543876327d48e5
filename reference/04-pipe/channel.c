/*
 * channel.c - reference solution of forklab exercise 04-pipe.
 *
 * Theory of operation. The channel is one AF_UNIX stream socket pair, made
 * before the fork: the caller keeps sv[0], the child sv[1], and each closes
 * the other's end at once. That matters for end of file: the kernel reports
 * EOF to one end only when every descriptor of the other end, in every
 * process, is closed. SOCK_CLOEXEC keeps the ends out of programs that either
 * side may exec later.
 *
 * A stream has no message boundaries, so each message travels as a frame:
 *
 *	+----------------------+-------------------------+
 *	| length, 4 bytes,     | payload, length bytes   |
 *	| this machine's order | (0 .. CHANNEL_MAX)      |
 *	+----------------------+-------------------------+
 *
 * Both ends run on the same machine, so no byte-order conversion is needed.
 * Python's Connection.send_bytes() frames the same way. The kernel may move a
 * frame in pieces (a 1 MiB message never fits the socket buffer at once) and
 * a signal handler may interrupt a transfer (EINTR, or a short count), so
 * every read and write runs in a loop until the whole frame has passed.
 * Writes use MSG_NOSIGNAL: a peer that has gone away gives EPIPE instead of a
 * SIGPIPE that would kill the sender.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "channel.h"

/* The frame header: the payload's length. */
typedef uint32_t frame_len;

/* Send every byte of iov[0..iovcnt) on fd. Returns 0, or -1 with errno: EPIPE
 * when the other end has closed or reset. iov is consumed. */
static int send_all(int fd, struct iovec *iov, int iovcnt)
{
	struct msghdr mh;
	ssize_t n;

	while (iovcnt > 0) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = (size_t)iovcnt;
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue; /* nothing went out: try again */
			if (errno == ECONNRESET)
				errno = EPIPE; /* the contract has one errno */
			return -1;
		}
		/* Skip what went out; a signal can stop a send part way. */
		while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			iovcnt--;
		}
		if (iovcnt > 0) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

/* Read len bytes from fd into buf. Returns the number read, which is less
 * than len only when the other end closed first; -1 with errno. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0)
			break; /* end of file */
		if (errno == EINTR)
			continue;
		/* An AF_UNIX peer that closed with data of ours unread resets
		 * the connection; everything it sent has been read by now
		 * (the kernel reports the reset only once the queue is
		 * empty), so this is just the other end closing. */
		if (errno == ECONNRESET)
			break;
		return -1;
	}
	return (ssize_t)got;
}

/* Read and drop len bytes from fd. Returns 0, or -1 with errno (EPROTO if
 * the other end closed first). */
static int skip(int fd, size_t len)
{
	char scratch[4096];
	size_t chunk;
	ssize_t n;

	while (len > 0) {
		chunk = len < sizeof(scratch) ? len : sizeof(scratch);
		n = read_full(fd, scratch, chunk);
		if (n < 0)
			return -1;
		if ((size_t)n < chunk) {
			errno = EPROTO;
			return -1;
		}
		len -= chunk;
	}
	return 0;
}

/* Fork a child that runs serve(&its_end, arg) and exits with its value; the
 * caller's end goes to *end. Returns the child's pid (the caller reaps it), or
 * -1 with errno set: EINVAL for no end or no serve, socketpair's or fork's
 * error (nothing is left open then). */
pid_t channel_spawn(struct channel *end,
                    int (*serve)(struct channel *end, void *arg), void *arg)
{
	struct channel mine;
	int sv[2], err;
	pid_t pid;

	if (!end || !serve) {
		errno = EINVAL;
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	/* The child gets a copy of unwritten stdio buffers: write them now. */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(sv[0]);
		close(sv[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		/* Child: drop the caller's end, or the child itself would keep
		 * it open and the child's reads would never see EOF. */
		close(sv[0]);
		mine.rfd = mine.wfd = sv[1];
		err = serve(&mine, arg);
		fflush(NULL);
		_exit(err & 0xff);
	}
	/* Caller: drop the child's end, for the same reason. */
	close(sv[1]);
	end->rfd = end->wfd = sv[0];
	return pid;
}

/* Send one message of len bytes as one frame. Returns 0, or -1 with errno
 * set: EMSGSIZE if len > CHANNEL_MAX (nothing sent), EPIPE if the other end
 * has closed or reset. Never raises SIGPIPE. */
int channel_send(struct channel *c, const void *buf, size_t len)
{
	frame_len hdr = (frame_len)len;
	struct iovec iov[2];

	if (len > CHANNEL_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	/* Header and payload in one call: a small message is one write. */
	iov[0].iov_base = &hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)buf;
	iov[1].iov_len = len;
	return send_all(c->wfd, iov, 2);
}

/* Receive the next message into buf (cap bytes). Returns its length;
 * CHANNEL_EOF when the other end closed (or reset) between messages; -1 with
 * errno set: EMSGSIZE if it is longer than cap (it is read and dropped, the
 * channel stays usable), EPROTO if the other end closed in the middle of a
 * message or sent something that is not a frame. */
ssize_t channel_recv(struct channel *c, void *buf, size_t cap)
{
	frame_len len;
	ssize_t n;

	n = read_full(c->rfd, &len, sizeof(len));
	if (n < 0)
		return -1;
	/* Closed between two messages: the normal end of the conversation. */
	if (n == 0)
		return CHANNEL_EOF;
	if ((size_t)n < sizeof(len))
		goto cut;
	if (len > CHANNEL_MAX) {
		/* Not a frame we sent: the stream cannot be trusted. */
		errno = EPROTO;
		return -1;
	}
	if (len > cap) {
		/* Drop the message so that the next recv starts on a frame. */
		if (skip(c->rfd, len) < 0)
			return -1;
		errno = EMSGSIZE;
		return -1;
	}
	n = read_full(c->rfd, buf, len);
	if (n < 0)
		return -1;
	if ((size_t)n < len)
		goto cut;
	return (ssize_t)len;

cut:
	/* Closed in the middle of a frame: the part is never handed out. */
	errno = EPROTO;
	return -1;
}

/* Close this end (both descriptors if they differ). Returns 0, or -1 with
 * errno set (EBADF for an end already closed). */
int channel_close(struct channel *c)
{
	int ret;

	/* No retry on EINTR: Linux has released the descriptor anyway. The
	 * fields are cleared so that closing twice fails with EBADF instead of
	 * closing a descriptor that has been reused since. */
	ret = close(c->rfd);
	if (c->wfd != c->rfd && close(c->wfd) < 0)
		ret = -1;
	c->rfd = c->wfd = -1;
	return ret;
}
