/*
 * driver.c - the driver's side of the channel, and helpers every grader uses.
 *
 * Theory of operation. main() takes the run's token from forklab before any
 * test code runs, finds the test named on the command line in the grader's
 * table, and runs it. A test that returns has passed: main() sends the
 * verdict with the token and ends the process with _exit(0), so no handler a
 * submission registered runs after the verdict. A submission that ends the
 * driver first (exit, a signal, closing the channel) leaves forklab without a
 * verdict, which forklab counts as a failure. Verdicts, notes and queries sent
 * from any process other than the driver's main process are ignored by
 * forklab; this side refuses them early: a process forked by the submission
 * that wanders back into test code ends quietly.
 */
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHAN        3
#define ANSWER_MAX  (256 * 1024)
#define ANSWER_WAIT 20.0 /* seconds: forklab answers at once */

static pid_t main_pid;
static char token[80];

pid_t fl_main_pid(void)
{
	return main_pid;
}

double fl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void fl_sleep(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Only the main process speaks for the test. */
static void main_only(void)
{
	if (getpid() != main_pid)
		_exit(0);
}

static void say(const char *fmt, va_list ap)
{
	char buf[8192];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);

	if (n < 0)
		return;
	if (n >= (int)sizeof buf)
		n = sizeof buf - 1;
	/* EINTR: a test may have installed handlers without SA_RESTART. */
	while (send(CHAN, buf, n, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static void sayf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

/* Send a question and wait for its answer (NUL-terminated, malloc'd). */
static char *ask(const char *q)
{
	struct pollfd pf = { CHAN, POLLIN, 0 };
	double end = fl_now() + ANSWER_WAIT;
	char *buf = malloc(ANSWER_MAX);
	ssize_t n;

	if (!buf)
		return NULL;
	sayf("%s", q);
	for (;;) {
		int left = (int)((end - fl_now()) * 1000);

		if (left <= 0)
			break;
		if (poll(&pf, 1, left) < 0 && errno != EINTR)
			break;
		n = recv(CHAN, buf, ANSWER_MAX - 1, MSG_DONTWAIT);
		if (n > 0) {
			buf[n] = '\0';
			return buf;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			break;
	}
	free(buf);
	return NULL;
}

void fl_event(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sayf("E %s", buf);
}

void fl_note(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	main_only();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sayf("N %s", buf);
}

void fl_metric(double value)
{
	main_only();
	sayf("M %.9g", value);
}

void fl_fail(const char *expected, const char *hint, const char *fmt, ...)
{
	char observed[4096];
	va_list ap;

	main_only();
	va_start(ap, fmt);
	vsnprintf(observed, sizeof observed, fmt, ap);
	va_end(ap);
	sayf("V %s fail expected: %s\nobserved: %s\nhint: %s", token, expected,
	     observed, hint);
	_exit(0);
}

/* Names come as one word, bytes <= space, '%' and DEL as %XX. */
static void unescape(char *out, size_t size, const char *in)
{
	size_t o = 0;
	unsigned v;

	while (*in && o + 1 < size) {
		if (in[0] == '%' && sscanf(in + 1, "%2x", &v) == 1) {
			out[o++] = (char)v;
			in += 3;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

int fl_procs(struct fl_proc *out, int max, double *now)
{
	char *a, *line, *save = NULL;
	int n = 0;

	main_only();
	a = ask("?procs");
	if (!a)
		return -1;
	for (line = strtok_r(a, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct fl_proc p = { 0 };
		int off = 0;

		if (!strncmp(line, "now ", 4)) {
			if (now)
				*now = strtod(line + 4, NULL);
			continue;
		}
		if (sscanf(line, "%d %d %lf %lf %d %c %d %d %n", &p.pid,
		           &p.ppid, &p.start, &p.end, &p.exit_code, &p.state,
		           &p.thread, &p.nsigs, &off) < 8)
			continue;
		unescape(p.name, sizeof p.name, line + off);
		if (n < max)
			out[n++] = p;
	}
	free(a);
	return n;
}

const struct fl_proc *fl_find(const struct fl_proc *p, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (p[i].pid == pid)
			return &p[i];
	return NULL;
}

int fl_count_children(const struct fl_proc *p, int n, pid_t parent, double t0)
{
	int count = 0;

	for (int i = 0; i < n; i++)
		if (!p[i].thread && p[i].pid != main_pid && p[i].start >= t0 &&
		    (parent == 0 || p[i].ppid == parent))
			count++;
	return count;
}

int fl_objects(char *buf, size_t size)
{
	char *a = ask("?objects"), *line, *save = NULL;
	int n = 0;

	main_only();
	if (!a)
		return -1;
	buf[0] = '\0';
	for (line = strtok_r(a, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "shm_bytes ", 10))
			continue;
		n++;
		if (strlen(buf) + strlen(line) + 2 < size) {
			strcat(buf, line);
			strcat(buf, "\n");
		}
	}
	free(a);
	return n;
}

void *fl_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fl_fail("shared memory for the test", "this is forklab's fault",
		        "mmap: %s", strerror(errno));
	return p;
}

void fl_counter_add(fl_counter *c, int d)
{
	__atomic_add_fetch(&c->v, d, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &c->v, FUTEX_WAKE, 1 << 30, NULL, NULL, 0);
}

int fl_counter_wait(fl_counter *c, uint32_t target, double timeout)
{
	double end = fl_now() + timeout;

	for (;;) {
		uint32_t v = __atomic_load_n(&c->v, __ATOMIC_SEQ_CST);
		double left = end - fl_now();
		struct timespec ts;

		if (v >= target)
			return 0;
		if (left <= 0)
			return -1;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		syscall(SYS_futex, &c->v, FUTEX_WAIT, v, &ts, NULL, 0);
	}
}

double fl_cpu_of(pid_t pid)
{
	char path[64], buf[1024], *s;
	unsigned long ut, st;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	s = fgets(buf, sizeof buf, f);
	fclose(f);
	if (!s || !(s = strrchr(buf, ')')) ||
	    sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	           &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / sysconf(_SC_CLK_TCK);
}

pid_t fl_spawn_helper(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return pid;
}

int fl_wait_child(pid_t pid, double timeout, int *code)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0), st;
	struct pollfd pf = { fd, POLLIN, 0 };
	double end = fl_now() + timeout;
	pid_t r;

	if (fd < 0)
		return -1;
	for (;;) {
		int left = (int)((end - fl_now()) * 1000);

		if (left < 0)
			left = 0;
		if (poll(&pf, 1, left) > 0)
			break;
		if (left == 0) {
			close(fd);
			return 1;
		}
	}
	close(fd);
	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	if (code)
		*code = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
	return 0;
}

int main(int argc, char **argv)
{
	const struct fl_test *t = NULL;
	char *a;

	main_pid = getpid();
	fcntl(CHAN, F_SETFD, FD_CLOEXEC);
	a = ask("?token");
	if (!a || strncmp(a, "token ", 6)) {
		fprintf(stderr, "driver: no token from forklab\n");
		return 2;
	}
	snprintf(token, sizeof token, "%s", a + 6);
	free(a);
	for (int i = 0; argc == 2 && i < fl_ntests; i++)
		if (!strcmp(fl_tests[i].name, argv[1]))
			t = &fl_tests[i];
	if (!t) {
		fprintf(stderr, "driver: no test named '%s'\n",
		        argc == 2 ? argv[1] : "");
		return 2;
	}
	t->fn();
	main_only();
	sayf("V %s pass", token);
	_exit(0);
}
