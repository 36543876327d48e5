/*
 * channel.h - forklab exercise 04-pipe: a duplex channel between two
 * processes.
 *
 * The declarations are exactly those of the assignment sheet. Students
 * implement the functions in channel.c; this header is never edited.
 */
#ifndef FORKLAB_CHANNEL_H
#define FORKLAB_CHANNEL_H

#include <stddef.h>
#include <sys/types.h>

/* One end of a duplex channel: read from rfd, write to wfd (they may be the
 * same descriptor). */
struct channel {
	int rfd;
	int wfd;
};

#define CHANNEL_MAX (1u << 20) /* the largest message, in bytes */
#define CHANNEL_EOF (-2)       /* channel_recv: the other end is closed */

/* Start a child connected to the caller by a duplex channel. The child runs
 * serve(&its_end, arg) and exits with serve's value. The caller gets its own
 * end in *end. Each process keeps open only the descriptors of its own end
 * (besides those it had before). Returns the child's pid, or -1 with errno. */
pid_t channel_spawn(struct channel *end,
                    int (*serve)(struct channel *end, void *arg), void *arg);

/* Send one message of len bytes, 0 <= len <= CHANNEL_MAX, any bytes at all.
 * Boundaries are kept: each channel_recv returns exactly one message. Returns
 * 0, or -1 with errno set: EMSGSIZE if len is too large, EPIPE if the other
 * end has closed (or reset). No process is ever killed by SIGPIPE because of
 * a channel: ignoring SIGPIPE process-wide is acceptable. */
int channel_send(struct channel *c, const void *buf, size_t len);

/* Receive the next message into buf, which holds cap bytes. Returns the
 * message's length; CHANNEL_EOF once the other end has closed (a connection
 * reset by the peer counts as closed) and every message sent before has been
 * received; -1 with errno set: EMSGSIZE if the message is longer than cap (it
 * is consumed all the same). Never returns part of a message: if the other end
 * closes in the middle of one, the result is CHANNEL_EOF or -1. */
ssize_t channel_recv(struct channel *c, void *buf, size_t cap);

/* Close this end. Returns 0, or -1 with errno. */
int channel_close(struct channel *c);

#endif /* FORKLAB_CHANNEL_H */
