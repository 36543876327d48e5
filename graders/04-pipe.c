/*
 * 04-pipe.c - the grader of 04-pipe: one test per numbered check of the
 * sheet, in its order (the table is 04-pipe.tests).
 *
 * Theory of operation. Each test is a conversation between the driver (the
 * caller of channel_spawn) and a serve function of the grader's own, which
 * runs in the child the submission creates. The child writes what it saw into
 * fl_shared() memory ("seen"): its first problem in words, its descriptors,
 * its counters; the two sides meet on fl_counter rendezvous, always with a
 * timeout. Every message is cut from one pseudo-random block ("base") that
 * both sides hold (the child inherits it), full of NUL and newline bytes, so
 * either side can check a message byte for byte.
 *
 * A broken channel often blocks instead of failing, so every call into the
 * submission that could block runs under a watchdog: a timer that, if it
 * fires, kills the test's children and fails the test with a message naming
 * the call. Children are reaped by the test itself (the sheet gives them to
 * the caller of channel_spawn); a failing test kills and reaps them first.
 * The driver keeps SIGPIPE's default action: a submission that lets a
 * SIGPIPE through kills the caller, which forklab reports as a crash.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "driver.h"

#define FL_TESTS "04-pipe.tests"
#include "tests.inc"

#define BASE_LEN  (CHANNEL_MAX + 8192) /* messages are cut from here */
#define NFDS      64                   /* descriptors a child may list */
#define CALL_S    3.0                  /* a channel call that takes longer */
#define RENDEZ_S  2.0                  /* waits for the other side */
#define ORDER_N   10000                /* check 1 */
#define EINTR_N   64                   /* check 7: round trips */
#define TICK_US   1000                 /* check 7: the interval timer */
#define EXIT_CODE 42                   /* check 8 */

/* What the child saw, shared with it. */
static struct seen {
	char problem[1024]; /* the child's first problem, in words */
	fl_counter step[4]; /* rendezvous points, per test */
	int arg_ok;
	int nfds, fds[NFDS], end_rfd, end_wfd;
	char link[NFDS][64];
	int ticks;
	int got; /* messages the child received */
} * seen;

static unsigned char *base;
static pid_t live[4]; /* the test's children not reaped yet */

static void setup(void)
{
	uint32_t x = 2463534242u;

	seen = fl_shared(sizeof *seen);
	base = malloc(BASE_LEN);
	if (!base)
		fl_fail("memory for the test's messages", "forklab's fault",
		        "malloc: %s", strerror(errno));
	/* xorshift32, with NUL and newline bytes planted every few bytes */
	for (size_t i = 0; i < BASE_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		base[i] = i % 7 == 0 ? '\0' : i % 7 == 3 ? '\n' : (uint8_t)x;
	}
}

/* Message number seed: a slice of base, different for every seed. */
static const unsigned char *msg(unsigned seed)
{
	return base + (seed * 97u) % 4096u;
}

static const char *ename(int e)
{
	const char *s = strerrorname_np(e);

	return s ? s : "an unknown errno";
}

/* What a channel call returned, for feedback: "-1 (EPIPE)", "CHANNEL_EOF". */
static const char *said(ssize_t r, int e)
{
	static char buf[4][64];
	static int k;
	char *b = buf[k++ % 4];

	if (r == CHANNEL_EOF)
		snprintf(b, sizeof buf[0], "CHANNEL_EOF");
	else if (r == -1)
		snprintf(b, sizeof buf[0], "-1 (errno %s)", ename(e));
	else
		snprintf(b, sizeof buf[0], "%zd", r);
	return b;
}

/* A formatted line for an "expected" part of feedback (a few at a time). */
__attribute__((format(printf, 1, 2))) static const char *fmt(const char *f, ...)
{
	static char buf[4][512];
	static int k;
	char *b = buf[k++ % 4];
	va_list ap;

	va_start(ap, f);
	vsnprintf(b, sizeof buf[0], f, ap);
	va_end(ap);
	return b;
}

/* The offset of the first byte where got and want differ, or -1. */
static long differ(const void *got, const void *want, size_t len)
{
	const unsigned char *g = got, *w = want;

	if (!memcmp(got, want, len))
		return -1;
	for (size_t i = 0; i < len; i++)
		if (g[i] != w[i])
			return (long)i;
	return -1;
}

/* ---- children: track, reap, bury ---- */

static void keep(pid_t pid)
{
	for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
		if (!live[i]) {
			live[i] = pid;
			return;
		}
}

static void forget(pid_t pid)
{
	for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
		if (live[i] == pid)
			live[i] = 0;
}

/* Kill and reap every child of the test still alive. Async-signal-safe; a
 * no-op outside the driver's main process. */
static void bury(void)
{
	if (getpid() != fl_main_pid())
		return;
	for (size_t i = 0; i < sizeof live / sizeof live[0]; i++)
		if (live[i]) {
			kill(live[i], SIGKILL);
			while (waitpid(live[i], NULL, 0) < 0 && errno == EINTR)
				;
			live[i] = 0;
		}
}

#define FAIL(...) (bury(), fl_fail(__VA_ARGS__))

/* Wait up to secs for pid to end, without reaping it. Returns 0 once it has
 * ended (its descriptors are closed then), 1 if it still runs. */
static int ended(pid_t pid, double secs)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd pf = { fd, POLLIN, 0 };
	double end = fl_now() + secs;
	int r = 0;

	if (fd < 0)
		return 0; /* gone already: waitpid will tell */
	for (;;) {
		double left = end - fl_now();

		if (left <= 0) {
			r = 1;
			break;
		}
		if (poll(&pf, 1, (int)(left * 1000) + 1) > 0)
			break;
	}
	close(fd);
	return r;
}

/* Reap child pid, waiting up to secs for it to end. Returns 0 with its wait
 * status in *status, 1 if it still runs, -1 with errno (ECHILD: not a child
 * of the caller, or reaped by someone else). */
static int reap(pid_t pid, double secs, int *status)
{
	pid_t r;

	if (ended(pid, secs))
		return 1;
	do
		r = waitpid(pid, status, 0);
	while (r < 0 && errno == EINTR);
	forget(pid);
	return r == pid ? 0 : -1;
}

/* Reap a child whose serve function has returned. */
static void reap_done(pid_t pid)
{
	int st;

	if (reap(pid, CALL_S, &st) == 1)
		FAIL("the child ends once its serve function has returned",
		     "the child runs serve(&its_end, arg) and then exits with "
		     "its value (_exit), nothing more",
		     "the child (pid %d) was still running %.0f s after "
		     "serve returned",
		     pid, CALL_S);
}

/* channel_spawn, failing the test if it fails. */
static pid_t spawn(struct channel *c, int (*serve)(struct channel *, void *),
                   void *arg)
{
	pid_t pid;

	c->rfd = c->wfd = -1;
	errno = 0;
	pid = channel_spawn(c, serve, arg);
	if (pid <= 0)
		FAIL("channel_spawn starts a child and returns its pid",
		     "socketpair() (or two pipes), then fork(); the child runs "
		     "serve and exits with its value",
		     "channel_spawn returned %d (errno %s)", pid, ename(errno));
	keep(pid);
	fl_event("child %d spawned: caller's end rfd %d wfd %d", pid, c->rfd,
	         c->wfd);
	return pid;
}

/* If the child reported a problem, that is the failure to show. */
static void child_said(const char *expected, const char *hint)
{
	if (seen->problem[0])
		FAIL(expected, hint, "%s", seen->problem);
}

/* In a child: note the first problem, in words. Returns 1 (serve's value). */
__attribute__((format(printf, 1, 2))) static int problem(const char *f, ...)
{
	va_list ap;

	if (seen->problem[0])
		return 1;
	va_start(ap, f);
	vsnprintf(seen->problem, sizeof seen->problem, f, ap);
	va_end(ap);
	fl_event("child: %s", seen->problem);
	return 1;
}

/* ---- the watchdog ----
 * A call into the submission that might block runs between watch() and
 * unwatch(). If the timer fires first, the test fails from the handler: it
 * never returns into the stuck call. Its own signal (SIGUSR2 by a POSIX
 * timer) keeps it apart from check 7's SIGALRM. */

static timer_t watch_timer;
static int watch_made;
static const char *watch_call, *watch_expected, *watch_hint;
static double watch_secs;

static void watch_fire(int sig)
{
	(void)sig;
	bury();
	fl_fail(watch_expected, watch_hint, "%s had not returned after %.0f s",
	        watch_call, watch_secs);
}

static void watch(double secs, const char *call, const char *expected,
                  const char *hint)
{
	struct itimerspec its = {
		{ 0, 0 }, { (time_t)secs, (long)((secs - (time_t)secs) * 1e9) }
	};

	if (!watch_made) {
		struct sigaction sa = { .sa_handler = watch_fire };
		struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
			                .sigev_signo = SIGUSR2 };

		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGUSR2, &sa, NULL) < 0 ||
		    timer_create(CLOCK_MONOTONIC, &sev, &watch_timer) < 0)
			FAIL("a watchdog timer for the test", "forklab's fault",
			     "timer_create: %s", strerror(errno));
		watch_made = 1;
	}
	watch_call = call;
	watch_expected = expected;
	watch_hint = hint;
	watch_secs = secs;
	timer_settime(watch_timer, 0, &its, NULL);
}

static void unwatch(void)
{
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };

	timer_settime(watch_timer, 0, &off, NULL);
}

/* ---- descriptors ---- */

static int by_value(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* This process's open descriptors, ascending, without the directory's own.
 * Returns how many (at most max), or -1. */
static int list_fds(int *fds, int max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d) &&
		    n < max)
			fds[n++] = atoi(e->d_name);
	closedir(d);
	qsort(fds, n, sizeof *fds, by_value);
	return n;
}

static int has(const int *fds, int n, int fd)
{
	for (int i = 0; i < n; i++)
		if (fds[i] == fd)
			return 1;
	return 0;
}

/* What descriptor fd of this process is ("socket:[1234]", "pipe:[99]"). */
static void fd_link(int fd, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	n = readlink(path, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
}

/* ======================================================================
 * 1. a request and its reply; 10,000 messages keep their order
 * ====================================================================== */

static const char request[] = "how many\nbytes\0in here?";
static const char reply_prefix[] = "re: ";

/* Message i of the stream: 4 bytes of i, then a slice of base. */
static size_t order_len(unsigned i)
{
	return 4 + i % 61;
}

static int serve_order(struct channel *c, void *arg)
{
	unsigned char buf[256], out[256];
	int32_t received = 0; /* the verdict: how many arrived right */
	ssize_t n;
	uint32_t seq;

	seen->arg_ok = arg == (void *)seen;
	n = channel_recv(c, buf, sizeof buf);
	if (n < 0)
		return problem("the child's channel_recv of the request "
		               "returned %s",
		               said(n, errno));
	if ((size_t)n > sizeof out - 4)
		n = sizeof out - 4;
	memcpy(out, reply_prefix, 4);
	memcpy(out + 4, buf, (size_t)n);
	if (channel_send(c, out, 4 + (size_t)n) < 0)
		return problem("the child's channel_send of the reply "
		               "returned %s",
		               said(-1, errno));
	for (unsigned i = 0; i < ORDER_N; i++) {
		n = channel_recv(c, buf, sizeof buf);
		memcpy(&seq, buf, sizeof seq);
		if (n != (ssize_t)order_len(i) || seq != i ||
		    memcmp(buf + 4, msg(i), n - 4)) {
			if (n < 0)
				problem("the child's channel_recv of message "
				        "%u of %d returned %s",
				        i, ORDER_N, said(n, errno));
			else if (n >= 4 && seq != i)
				problem("message %u of %d arrived as number "
				        "%u (%zd bytes)",
				        i, ORDER_N, seq, n);
			else
				problem("message %u of %d (%zu bytes) arrived "
				        "as %zd bytes%s",
				        i, ORDER_N, order_len(i), n,
				        n == (ssize_t)order_len(i)
				            ? " with other contents"
				            : "");
			break;
		}
		received++;
	}
	if (channel_send(c, &received, sizeof received) < 0)
		return problem("the child's channel_send of its verdict "
		               "returned %s",
		               said(-1, errno));
	return 0;
}

static void request_reply_order(void)
{
	static const char *const hint =
	    "send a length, then the bytes; recv reads the length, then "
	    "exactly that many bytes (never more: the next message may be "
	    "waiting right behind), looping over short reads and writes";
	unsigned char buf[256], out[256];
	int32_t received = 0;
	struct channel c;
	double t0, t1;
	ssize_t n;
	pid_t pid;

	setup();
	pid = spawn(&c, serve_order, seen);
	watch(CALL_S, "the request/reply exchange",
	      "the child gets the request and the caller its reply", hint);
	if (channel_send(&c, request, sizeof request) < 0)
		FAIL("channel_send of a 24-byte request returns 0", hint,
		     "it returned %s", said(-1, errno));
	n = channel_recv(&c, buf, sizeof buf);
	unwatch();
	memcpy(out, reply_prefix, 4);
	memcpy(out + 4, request, sizeof request);
	if (n != 4 + (ssize_t)sizeof request ||
	    memcmp(buf, out, sizeof request + 4)) {
		child_said("the request arrives whole at the child", hint);
		FAIL("the reply is the 28 bytes \"re: \" + the request",
		     n < 0 ? "channel_recv must block until a whole message "
		             "is there"
		           : hint,
		     "channel_recv returned %s%s", said(n, errno),
		     n > 0 ? " bytes with other contents" : "");
	}
	if (!seen->arg_ok)
		FAIL("serve receives the arg given to channel_spawn",
		     "call serve(&its_end, arg) in the child",
		     "serve got another pointer");

	t0 = fl_now();
	watch(5.0, "sending 10,000 messages",
	      "10,000 small messages go through, in order", hint);
	for (unsigned i = 0; i < ORDER_N; i++) {
		uint32_t seq = i;

		memcpy(buf, &seq, sizeof seq);
		memcpy(buf + 4, msg(i), order_len(i) - 4);
		if (channel_send(&c, buf, order_len(i)) < 0) {
			int e = errno;

			child_said("10,000 messages arrive in order", hint);
			FAIL("channel_send returns 0 for each of 10,000 "
			     "messages",
			     hint, "message %u: channel_send returned %s", i,
			     said(-1, e));
		}
	}
	n = channel_recv(&c, &received, sizeof received);
	unwatch();
	t1 = fl_now();
	child_said("10,000 messages arrive whole and in the order sent", hint);
	if (n != sizeof received || received != ORDER_N)
		FAIL("the child receives 10,000 messages and replies", hint,
		     "the caller's channel_recv returned %s", said(n, errno));
	channel_close(&c);
	reap_done(pid);
	fl_note("10,000 messages went through in %.3f s", t1 - t0);
	fl_metric(ORDER_N / (t1 - t0 > 1e-9 ? t1 - t0 : 1e-9));
}

/* ======================================================================
 * 2. lengths 0 .. CHANNEL_MAX arrive whole, NUL and newline bytes inside
 * ====================================================================== */

static const size_t lengths[] = { 0,     1,     4095,  4096,       4097,
	                          65535, 65536, 65537, CHANNEL_MAX };
#define NLENGTHS (sizeof lengths / sizeof lengths[0])

static int serve_echo_lengths(struct channel *c, void *arg)
{
	unsigned char *buf = malloc(CHANNEL_MAX);
	ssize_t n;
	long at;

	(void)arg;
	if (!buf)
		return problem("the child could not allocate 1 MiB");
	for (unsigned i = 0; i < NLENGTHS; i++) {
		n = channel_recv(c, buf, CHANNEL_MAX);
		if (n < 0)
			return problem("the child's channel_recv of the "
			               "%zu-byte message returned %s",
			               lengths[i], said(n, errno));
		if ((size_t)n != lengths[i])
			problem("the child received the %zu-byte message as "
			        "%zd bytes",
			        lengths[i], n);
		else if ((at = differ(buf, msg(i), n)) >= 0)
			problem("the child received the %zu-byte message "
			        "with other bytes from offset %ld on",
			        lengths[i], at);
		/* Echo what came, right or wrong: the caller must not
		 * wait for a reply that will never come. */
		if (channel_send(c, buf, (size_t)n) < 0)
			return problem("the child's channel_send of the "
			               "%zd-byte echo returned %s",
			               n, said(-1, errno));
	}
	return 0;
}

static void message_lengths(void)
{
	static const char *const hint =
	    "the kernel moves a long message in pieces: loop until every "
	    "byte has been written (and read), and treat the bytes as "
	    "bytes (no strlen, no string functions)";
	unsigned char *buf = malloc(CHANNEL_MAX);
	struct channel c;
	ssize_t n;
	long at;
	pid_t pid;

	setup();
	if (!buf)
		fl_fail("memory for the test", "forklab's fault", "malloc");
	pid = spawn(&c, serve_echo_lengths, NULL);
	for (unsigned i = 0; i < NLENGTHS; i++) {
		watch(CALL_S, "a message's round trip",
		      "each message goes to the child and comes back whole",
		      hint);
		if (channel_send(&c, msg(i), lengths[i]) < 0) {
			int e = errno;

			child_said("every length arrives whole", hint);
			FAIL(fmt("channel_send of a %zu-byte message returns "
			         "0",
			         lengths[i]),
			     hint, "it returned %s", said(-1, e));
		}
		n = channel_recv(&c, buf, CHANNEL_MAX);
		unwatch();
		child_said("every length arrives whole at the child", hint);
		if (n != (ssize_t)lengths[i])
			FAIL(fmt("the %zu-byte message comes back as %zu "
			         "bytes",
			         lengths[i], lengths[i]),
			     hint, "channel_recv returned %s", said(n, errno));
		if ((at = differ(buf, msg(i), n)) >= 0)
			FAIL(fmt("the %zu-byte message comes back byte for "
			         "byte",
			         lengths[i]),
			     hint,
			     "its bytes differ from offset %ld on (NUL and "
			     "newline bytes are every few bytes)",
			     at);
	}
	channel_close(&c);
	reap_done(pid);
	free(buf);
}

/* ======================================================================
 * 3. EMSGSIZE both ways, and the channel still works after it
 * ====================================================================== */

#define LONG_LEN  5000 /* a message longer than the receiver's cap */
#define SHORT_CAP 100

static const char after_send[] = "after EMSGSIZE on send";
static const char after_1[] = "after-1";
static const char after_2[] = "after-2";

/* Expect an exact message; otherwise note a problem. Returns 0 if it came. */
static int expect(struct channel *c, const void *want, size_t len,
                  const char *what)
{
	unsigned char buf[4096];
	ssize_t n = channel_recv(c, buf, sizeof buf);

	if (n == (ssize_t)len && !memcmp(buf, want, len))
		return 0;
	problem("%s, the child's channel_recv returned %s%s", what,
	        said(n, errno),
	        n >= 0 ? " bytes that are not the message sent" : "");
	return -1;
}

static int serve_msgsize(struct channel *c, void *arg)
{
	unsigned char buf[SHORT_CAP], xx[LONG_LEN];
	ssize_t n;

	(void)arg;
	memset(xx, 'x', sizeof xx);
	if (expect(c, after_send, sizeof after_send,
	           "after the caller's send of CHANNEL_MAX + 1 bytes failed"))
		return 1;
	if (channel_send(c, xx, sizeof xx) < 0 ||
	    channel_send(c, after_1, sizeof after_1) < 0)
		return problem("the child's channel_send returned %s",
		               said(-1, errno));
	errno = 0;
	n = channel_recv(c, buf, SHORT_CAP);
	if (n != -1 || errno != EMSGSIZE)
		return problem("a %d-byte message to a child's "
		               "channel_recv(cap %d) gave %s, not -1 "
		               "(EMSGSIZE)",
		               LONG_LEN, SHORT_CAP, said(n, errno));
	if (expect(c, after_2, sizeof after_2,
	           "for the message sent after the one that was too long"))
		return 1;
	if (channel_send(c, msg(3), SHORT_CAP) < 0)
		return problem("the child's channel_send returned %s",
		               said(-1, errno));
	n = channel_recv(c, buf, SHORT_CAP);
	if (n != SHORT_CAP || differ(buf, msg(4), SHORT_CAP) >= 0)
		return problem("a message of exactly cap (%d) bytes to the "
		               "child's channel_recv gave %s",
		               SHORT_CAP, said(n, errno));
	return 0;
}

static void msgsize_both_ways(void)
{
	static const char *const hint =
	    "when the message is longer than cap, read and drop all of its "
	    "bytes, then fail with EMSGSIZE: the next recv starts on the "
	    "next message";
	unsigned char buf[4096], yy[LONG_LEN];
	struct channel c;
	ssize_t n;
	int e;
	pid_t pid;

	setup();
	memset(yy, 'y', sizeof yy);
	pid = spawn(&c, serve_msgsize, NULL);

	watch(CALL_S, "channel_send(c, buf, CHANNEL_MAX + 1)",
	      "channel_send of CHANNEL_MAX + 1 bytes fails at once with "
	      "EMSGSIZE",
	      "check len before writing anything");
	errno = 0;
	n = channel_send(&c, base, (size_t)CHANNEL_MAX + 1);
	e = errno;
	unwatch();
	if (n != -1 || e != EMSGSIZE)
		FAIL("channel_send of CHANNEL_MAX + 1 bytes returns -1 with "
		     "EMSGSIZE",
		     "check len > CHANNEL_MAX before writing anything",
		     "it returned %s", said(n, e));
	watch(CALL_S, "the exchange after EMSGSIZE",
	      "the channel works both ways after EMSGSIZE", hint);
	if (channel_send(&c, after_send, sizeof after_send) < 0)
		FAIL("channel_send works after an EMSGSIZE", hint,
		     "it returned %s", said(-1, errno));

	errno = 0;
	n = channel_recv(&c, buf, SHORT_CAP);
	e = errno;
	if (n != -1 || e != EMSGSIZE) {
		child_said("the channel works after EMSGSIZE on send",
		           "a send that fails with EMSGSIZE writes nothing");
		FAIL("a 5000-byte message to channel_recv(cap 100) gives -1 "
		     "with EMSGSIZE",
		     "compare the length in the header with cap",
		     "it returned %s", said(n, e));
	}
	n = channel_recv(&c, buf, sizeof buf);
	if (n != sizeof after_1 || memcmp(buf, after_1, sizeof after_1))
		FAIL("after the EMSGSIZE, the next channel_recv returns the "
		     "next message (8 bytes)",
		     hint, "it returned %s%s", said(n, errno),
		     n >= 0 ? " bytes of something else (the rest of the "
		              "long message?)"
		            : "");

	if (channel_send(&c, yy, LONG_LEN) < 0 ||
	    channel_send(&c, after_2, sizeof after_2) < 0)
		FAIL("channel_send returns 0", hint, "it returned %s",
		     said(-1, errno));
	n = channel_recv(&c, buf, SHORT_CAP);
	e = errno;
	unwatch();
	child_said("EMSGSIZE both ways, and the channel still works", hint);
	if (n != SHORT_CAP || differ(buf, msg(3), SHORT_CAP) >= 0)
		FAIL("a message of exactly cap (100) bytes is received whole",
		     "only a message longer than cap is EMSGSIZE",
		     "channel_recv(cap 100) returned %s", said(n, e));
	if (channel_send(&c, msg(4), SHORT_CAP) < 0)
		FAIL("channel_send returns 0", hint, "it returned %s",
		     said(-1, errno));
	channel_close(&c);
	reap_done(pid);
	child_said("EMSGSIZE both ways, and the channel still works", hint);
}

/* ======================================================================
 * 4. closing one end gives CHANNEL_EOF at the other, both ways
 * ====================================================================== */

static const char unread[] = "a message nobody reads";
static const char *const ab[] = { "first", "second", "third" };

/* The caller closes; the child sends a message the caller never reads
 * first, so that the close resets a socket connection. Both of the caller's
 * messages are queued before the child reads: each recv must take exactly
 * one. */
static int serve_caller_closes(struct channel *c, void *arg)
{
	unsigned char buf[64];
	ssize_t n;

	(void)arg;
	if (fl_counter_wait(&seen->step[0], 1, RENDEZ_S) < 0)
		return problem("the caller's messages never came");
	for (int i = 0; i < 2; i++, seen->got++)
		if (expect(c, ab[i], strlen(ab[i]),
		           "for a message sent before the caller closed"))
			return 1;
	if (channel_send(c, unread, sizeof unread) < 0)
		return problem("the child's channel_send returned %s",
		               said(-1, errno));
	fl_counter_add(&seen->step[1], 1);
	errno = 0;
	n = channel_recv(c, buf, sizeof buf);
	if (n != CHANNEL_EOF)
		problem("after the caller closed its end (with a message of "
		        "the child's unread), the child's channel_recv "
		        "returned %s, not CHANNEL_EOF",
		        said(n, errno));
	fl_counter_add(&seen->step[2], 1);
	return 0;
}

/* The child closes, with a message of the caller's unread, and stays alive
 * until the caller has seen the end. The caller reads only once the child
 * has closed: three messages, then the end, all queued at once. */
static int serve_child_closes(struct channel *c, void *arg)
{
	(void)arg;
	if (fl_counter_wait(&seen->step[0], 1, RENDEZ_S) < 0)
		return problem("the caller's message never came");
	for (int i = 0; i < 3; i++)
		if (channel_send(c, ab[i], strlen(ab[i])) < 0)
			return problem("the child's channel_send returned %s",
			               said(-1, errno));
	if (channel_close(c) < 0)
		problem("the child's channel_close returned -1 (errno %s)",
		        ename(errno));
	fl_counter_add(&seen->step[1], 1);
	fl_counter_wait(&seen->step[2], 1, 3 * RENDEZ_S);
	return 0;
}

static void eof_both_ways(void)
{
	static const char *const reset_hint =
	    "an AF_UNIX socket closed with data of the other side unread "
	    "makes the other side's read fail once with ECONNRESET: that "
	    "is the other end closing, so return CHANNEL_EOF";
	unsigned char buf[64];
	struct channel c;
	ssize_t n;
	pid_t pid;

	setup();
	/* One channel at a time: a second channel's child would inherit
	 * the first one's caller end and keep it open. */
	fl_event("the caller closes its end");
	pid = spawn(&c, serve_caller_closes, NULL);
	watch(CALL_S, "channel_send",
	      "two messages go to the child before the caller closes",
	      "loop over short writes");
	for (int i = 0; i < 2; i++)
		if (channel_send(&c, ab[i], strlen(ab[i])) < 0)
			FAIL("channel_send returns 0", "loop over short writes",
			     "it returned %s", said(-1, errno));
	unwatch();
	fl_counter_add(&seen->step[0], 1);
	if (fl_counter_wait(&seen->step[1], 1, RENDEZ_S) < 0) {
		const char *hint = seen->got < 2
		                       ? "each recv takes exactly one message: "
		                         "the header, then exactly that many "
		                         "bytes, never more"
		                       : "channel_send returns once the "
		                         "message is written";

		child_said("the child receives the two messages queued for "
		           "it, then sends one",
		           hint);
		FAIL("the child receives the two messages queued for it, then "
		     "sends one",
		     hint,
		     "after %.0f s the child had received %d of them and was "
		     "still waiting in channel_%s",
		     RENDEZ_S, seen->got, seen->got < 2 ? "recv" : "send");
	}
	if (channel_close(&c) < 0)
		FAIL("channel_close returns 0", "close the end's descriptors",
		     "it returned -1 (errno %s)", ename(errno));
	if (fl_counter_wait(&seen->step[2], 1, RENDEZ_S) < 0)
		FAIL("once the caller has closed its end, the child's "
		     "channel_recv returns CHANNEL_EOF",
		     "the kernel reports end of file only when every copy of "
		     "the other end is closed: the child must close the "
		     "caller's end right after fork()",
		     "the child's channel_recv had not returned %.0f s after "
		     "the caller closed its end",
		     RENDEZ_S);
	child_said("once the caller has closed its end, the child's "
	           "channel_recv returns CHANNEL_EOF (a connection reset "
	           "counts as closed)",
	           strstr(seen->problem, "ECONNRESET")
	               ? reset_hint
	               : "return CHANNEL_EOF when read() returns 0 "
	                 "before the first byte of a message");
	reap_done(pid);

	fl_event("the child closes its end");
	memset(seen, 0, sizeof *seen);
	pid = spawn(&c, serve_child_closes, NULL);
	watch(CALL_S, "channel_send", "a message goes to the child",
	      "loop over short writes");
	if (channel_send(&c, unread, sizeof unread) < 0)
		FAIL("channel_send returns 0", "loop over short writes",
		     "it returned %s", said(-1, errno));
	unwatch();
	fl_counter_add(&seen->step[0], 1);
	if (fl_counter_wait(&seen->step[1], 1, RENDEZ_S) < 0) {
		child_said("the child sends three messages and closes its end",
		           "the child's channel_send and channel_close work "
		           "like the caller's");
		FAIL("the child sends three messages and closes its end",
		     "channel_close closes the end's descriptors",
		     "the child had not done so after %.0f s", RENDEZ_S);
	}
	for (int i = 0; i < 3; i++) {
		watch(CALL_S, "channel_recv",
		      "the three messages the child sent before closing "
		      "arrive",
		      "channel_recv blocks until a whole message is there");
		n = channel_recv(&c, buf, sizeof buf);
		unwatch();
		if (n != (ssize_t)strlen(ab[i]) || memcmp(buf, ab[i], n)) {
			child_said("the child sends three messages",
			           "the child's channel_send works like the "
			           "caller's");
			FAIL("every message sent before the child closed "
			     "arrives, then CHANNEL_EOF",
			     "each recv takes exactly one message (the "
			     "header, then exactly that many bytes, never "
			     "more), and the end of file comes after the last "
			     "message, never instead of it",
			     "message %d: channel_recv returned %s", i + 1,
			     said(n, errno));
		}
	}
	watch(RENDEZ_S, "channel_recv after the child closed its end",
	      "once the child has closed its end, the caller's "
	      "channel_recv returns CHANNEL_EOF",
	      "the kernel reports end of file only when every copy of the "
	      "other end is closed: the caller must close the child's end "
	      "right after fork()");
	errno = 0;
	n = channel_recv(&c, buf, sizeof buf);
	unwatch();
	child_said("the child closes its end",
	           "channel_close returns 0 once it has closed the end's "
	           "descriptors");
	if (n != CHANNEL_EOF)
		FAIL("once the child has closed its end (with a message of "
		     "the caller's unread), the caller's channel_recv returns "
		     "CHANNEL_EOF",
		     n == -1 && errno == ECONNRESET
		         ? reset_hint
		         : "return CHANNEL_EOF when read() returns 0 before "
		           "the first byte of a message",
		     "it returned %s", said(n, errno));
	fl_counter_add(&seen->step[2], 1);
	channel_close(&c);
	reap_done(pid);
}

/* ======================================================================
 * 5. channel_send to a child that has exited: -1, EPIPE, the caller lives
 * ====================================================================== */

static int serve_exit_now(struct channel *c, void *arg)
{
	(void)c;
	(void)arg;
	return 0;
}

static void epipe_after_exit(void)
{
	static const char note[] = "anyone there?";
	struct channel c;
	siginfo_t si;
	int st, e, r;
	pid_t pid;

	setup();
	pid = spawn(&c, serve_exit_now, NULL);
	/* Wait until the child has ended, without reaping it: its
	 * descriptors close one at a time while it dies, and only an ended
	 * child has surely closed them all. */
	if (ended(pid, CALL_S))
		FAIL("the child ends when serve returns",
		     "exit with serve's value",
		     "it was still running after %.0f s", CALL_S);
	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	fl_event("child %d has exited; the caller sends", pid);
	watch(CALL_S, "channel_send to a child that has exited",
	      "channel_send returns -1 with EPIPE at once",
	      "the caller must not hold the child's end: close it after "
	      "fork()");
	errno = 0;
	r = channel_send(&c, note, sizeof note);
	e = errno;
	unwatch();
	if (r != -1 || e != EPIPE)
		FAIL("channel_send to a child that has exited returns -1 with "
		     "errno EPIPE",
		     r == 0 ? "the send went into a buffer that someone still "
		              "holds open: the caller must close the child's "
		              "end right after fork(), or the channel never "
		              "sees the child go"
		            : "report a closed (or reset) connection as EPIPE",
		     "it returned %s", said(r, e));
	channel_close(&c);
	if (reap(pid, CALL_S, &st) < 0 && errno != ECHILD)
		FAIL("the child can be reaped", "leave it to the caller",
		     "waitpid: %s", strerror(errno));
}

/* ======================================================================
 * 6. no leaked descriptors in the child or the caller
 * ====================================================================== */

static int serve_list_fds(struct channel *c, void *arg)
{
	(void)arg;
	seen->end_rfd = c->rfd;
	seen->end_wfd = c->wfd;
	seen->nfds = list_fds(seen->fds, NFDS);
	for (int i = 0; i < seen->nfds; i++)
		fd_link(seen->fds[i], seen->link[i], sizeof seen->link[i]);
	fl_counter_add(&seen->step[0], 1);
	return 0;
}

static void no_leaked_fds(void)
{
	int before[NFDS], after[NFDS], nb, na, fresh = 0;
	char extra[1024] = "", mine[2][64];
	struct channel c;
	pid_t pid;

	setup();
	nb = list_fds(before, NFDS);
	if (nb < 0)
		fl_fail("a list of the caller's descriptors", "forklab's fault",
		        "/proc/self/fd: %s", strerror(errno));
	pid = spawn(&c, serve_list_fds, NULL);
	na = list_fds(after, NFDS);
	fd_link(c.rfd, mine[0], sizeof mine[0]);
	fd_link(c.wfd, mine[1], sizeof mine[1]);
	if (fl_counter_wait(&seen->step[0], 1, RENDEZ_S) < 0)
		FAIL("the child runs serve", "call serve in the child",
		     "serve had not run after %.0f s", RENDEZ_S);
	reap_done(pid);

	/* the caller: only its end is new */
	for (int i = 0; i < na; i++) {
		if (has(before, nb, after[i]))
			continue;
		if (after[i] == c.rfd || after[i] == c.wfd) {
			fresh++;
			continue;
		}
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
		         " %d", after[i]);
	}
	if (extra[0])
		FAIL(fmt("after channel_spawn, the caller's only new "
		         "descriptors are its end (rfd %d, wfd %d)",
		         c.rfd, c.wfd),
		     "close in the caller every descriptor of the child's "
		     "side (the child's end, the other ends of pipes) right "
		     "after fork()",
		     "the caller has new descriptors besides its end:%s",
		     extra);
	if (fresh != 1 + (c.rfd != c.wfd))
		FAIL("the caller's end is made of new descriptors",
		     "fill *end with the descriptors of the caller's end",
		     "rfd %d, wfd %d: %d of them new", c.rfd, c.wfd, fresh);

	/* the child: only 0, 1, 2, its end, and what the caller had */
	for (int i = 0; i < seen->nfds; i++) {
		int fd = seen->fds[i];

		if (has(before, nb, fd) || fd == seen->end_rfd ||
		    fd == seen->end_wfd)
			continue;
		snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
		         " %d (%s%s)", fd, seen->link[i],
		         !strcmp(seen->link[i], mine[0]) ||
		                 !strcmp(seen->link[i], mine[1])
		             ? ", the caller's end"
		             : "");
	}
	if (extra[0])
		FAIL(fmt("in the child, only 0, 1, 2, its end (rfd %d, wfd "
		         "%d) and the descriptors the caller had before",
		         seen->end_rfd, seen->end_wfd),
		     "close in the child every descriptor of the caller's side "
		     "(the caller's end, the other ends of pipes) before "
		     "calling serve",
		     "the child also holds:%s", extra);
}

/* ======================================================================
 * 7. a signal during a transfer does not break a message (EINTR retried)
 * ====================================================================== */

static const size_t big[] = { CHANNEL_MAX, 700001, 262147, 65537 };
static volatile sig_atomic_t ticks;

static void tick(int sig)
{
	(void)sig;
	ticks++;
}

/* A timer that interrupts this process every TICK_US (0: stop it). */
static void ticking(int on)
{
	struct itimerval it = { { 0, on ? TICK_US : 0 },
		                { 0, on ? TICK_US : 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* Round r's message: 4 bytes of r, then a slice of base. */
static size_t round_msg(unsigned r, unsigned char *buf)
{
	size_t len = big[r % 4];
	uint32_t seq = r;

	memcpy(buf, &seq, sizeof seq);
	memcpy(buf + 4, msg(r), len - 4);
	return len;
}

static int serve_echo_ticking(struct channel *c, void *arg)
{
	unsigned char *buf = malloc(CHANNEL_MAX), *want = malloc(CHANNEL_MAX);
	ssize_t n;

	(void)arg;
	if (!buf || !want)
		return problem("the child could not allocate 2 MiB");
	ticking(1);
	for (unsigned r = 0; r < EINTR_N; r++) {
		size_t len = round_msg(r, want);
		long at;

		n = channel_recv(c, buf, CHANNEL_MAX);
		if (n < 0) {
			ticking(0);
			return problem("with a signal every millisecond, the "
			               "child's channel_recv of message %u "
			               "(%zu bytes) returned %s",
			               r, len, said(n, errno));
		}
		if ((size_t)n != len)
			problem("message %u (%zu bytes) reached the child as "
			        "%zd bytes",
			        r, len, n);
		else if ((at = differ(buf, want, len)) >= 0)
			problem("message %u (%zu bytes) reached the child "
			        "with other bytes from offset %ld on",
			        r, len, at);
		if (channel_send(c, buf, (size_t)n) < 0) {
			ticking(0);
			return problem("with a signal every millisecond, the "
			               "child's channel_send of message %u "
			               "(%zd bytes) returned %s",
			               r, n, said(-1, errno));
		}
	}
	ticking(0);
	seen->ticks = ticks;
	return 0;
}

static void eintr_retry(void)
{
	static const char *const hint =
	    "a handler installed without SA_RESTART makes a blocked read() "
	    "or write() fail with EINTR, or return a short count: retry on "
	    "EINTR and loop until the whole message has passed";
	unsigned char *out = malloc(CHANNEL_MAX), *in = malloc(CHANNEL_MAX);
	struct sigaction sa = { .sa_handler = tick, .sa_flags = 0 };
	struct channel c;
	ssize_t n;
	pid_t pid;

	setup();
	if (!out || !in)
		fl_fail("memory for the test", "forklab's fault", "malloc");
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART; the child too */
	pid = spawn(&c, serve_echo_ticking, NULL);
	ticking(1);
	for (unsigned r = 0; r < EINTR_N; r++) {
		size_t len = round_msg(r, out);
		long at;
		int e;

		watch(CALL_S, "a round trip of a long message",
		      "long messages go both ways while signals arrive", hint);
		if (channel_send(&c, out, len) < 0) {
			e = errno;
			ticking(0);
			child_said("messages arrive whole while signals "
			           "arrive",
			           hint);
			FAIL("channel_send returns 0 while signals arrive",
			     hint, "message %u (%zu bytes): it returned %s", r,
			     len, said(-1, e));
		}
		n = channel_recv(&c, in, CHANNEL_MAX);
		e = errno;
		unwatch();
		if (n != (ssize_t)len || (at = differ(in, out, len)) >= 0) {
			ticking(0);
			child_said("messages arrive whole while signals "
			           "arrive",
			           hint);
			FAIL("each message comes back whole while signals "
			     "arrive",
			     hint,
			     "message %u (%zu bytes): channel_recv "
			     "returned %s%s",
			     r, len, said(n, e),
			     n == (ssize_t)len ? " bytes with other contents"
			                       : "");
		}
	}
	ticking(0);
	channel_close(&c);
	reap_done(pid);
	child_said("messages arrive whole while signals arrive", hint);
	fl_note("%d round trips of long messages; signals handled: %d in "
	        "the caller, %d in the child",
	        EINTR_N, (int)ticks, seen->ticks);
	free(out);
	free(in);
}

/* ======================================================================
 * 8. the child is reaped with serve's value as its exit status
 * ====================================================================== */

static int serve_exit_code(struct channel *c, void *arg)
{
	static const char bye[] = "bye";

	(void)arg;
	if (expect(c, "exit", 4, "for the caller's message") ||
	    channel_send(c, bye, sizeof bye) < 0)
		return 1;
	return EXIT_CODE;
}

static void reaped_status(void)
{
	const struct fl_proc *p;
	struct fl_proc procs[64];
	unsigned char buf[16];
	struct channel c;
	int st = 0, r, n;
	pid_t pid;

	setup();
	pid = spawn(&c, serve_exit_code, NULL);
	watch(CALL_S, "the exchange with the child",
	      "the child receives one message and replies",
	      "channel_recv blocks until a whole message is there");
	if (channel_send(&c, "exit", 4) < 0 ||
	    channel_recv(&c, buf, sizeof buf) != 4)
		FAIL("the child receives one message and replies",
		     "see checks 1 and 2", "the exchange failed (errno %s)",
		     ename(errno));
	unwatch();
	channel_close(&c);
	r = reap(pid, CALL_S, &st);
	if (r == 1)
		FAIL("the child ends once serve has returned",
		     "exit with serve's value", "it still ran after %.0f s",
		     CALL_S);
	if (r < 0)
		FAIL("the caller reaps the child with waitpid(pid)",
		     "the child belongs to the caller of channel_spawn: never "
		     "wait for it in channel_spawn, channel_close or a "
		     "handler, and fork it from the caller itself",
		     "waitpid(%d) failed: %s", pid, strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != EXIT_CODE)
		FAIL("the child exits with serve's value, 42",
		     "in the child: _exit(serve(&its_end, arg))",
		     WIFEXITED(st) ? "it exited with status %d"
		                   : "it was killed by signal %d",
		     WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	n = fl_procs(procs, 64, NULL);
	p = n > 0 ? fl_find(procs, n, pid) : NULL;
	if (!p || p->ppid != fl_main_pid() || p->state != 'R' ||
	    p->exit_code != EXIT_CODE)
		FAIL("the kernel records the child as a child of the caller, "
		     "reaped, with exit code 42",
		     "fork once, in channel_spawn, and exit with serve's "
		     "value",
		     p ? "the kernel saw pid %d with parent %d, state %c, "
		         "exit code %d"
		       : "the kernel has no record of pid %d",
		     pid, p ? p->ppid : 0, p ? p->state : '?',
		     p ? p->exit_code : 0);
}
