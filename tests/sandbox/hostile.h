/*
 * hostile.h - what the hostile programs of tests/sandbox/ share.
 *
 * Each program does one thing a sandboxed program must not get away with and
 * reports every attempt on stdout, one line each, then a last line, "result:
 * contained" or "result: ESCAPED". Its exit code says the same:
 *   0  every attempt failed: the attack was contained;
 *   1  some attempt succeeded (or reached the kernel): the attack got out;
 *   2  the program was called wrongly: the case is broken, not the sandbox;
 *   3  the attack was not tried, because here it would harm the machine.
 * cases.tsv asserts this view and forklab's own record of the run side by side.
 *
 * Attack payloads are chosen to be harmless when they do get through: bad
 * magic numbers, invalid arguments, paths that do not exist, files that are
 * removed at once. The kernel checks permissions either before or after such
 * arguments; an errno other than EPERM or ENOSYS therefore means the call got
 * past the sandbox.
 *
 * These programs are never run outside `forklab run`.
 */
#ifndef FORKLAB_HOSTILE_H
#define FORKLAB_HOSTILE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum {
	H_CONTAINED = 0,
	H_ESCAPED = 1,
	H_USAGE = 2,
	H_UNSAFE = 3,
};

/* Whether some attempt got out; one per process, set by the helpers below. */
static inline int *h_escaped(void)
{
	static int escaped;

	return &escaped;
}

/* Unbuffered stdout: a line written just before a kill must not be lost, and a
 * forked child must not flush a copy of its parent's buffer. */
static inline void h_begin(const char *what)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("%s\n", what);
}

/* The symbolic name of an errno value ("EPERM"), or its number. */
static inline const char *h_errname(int e)
{
	static char buf[16];
	const char *name = strerrorname_np(e);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* Mark the attack as escaped, with a line saying how. */
static inline void h_escape(const char *label, const char *how)
{
	*h_escaped() = 1;
	printf("%s: ESCAPED: %s\n", label, how);
}

/* Judge a system call the sandbox must refuse (seccomp: EPERM or ENOSYS).
 * Call it directly on the call's return value, so that errno is still the
 * call's. Returns 1 when the call succeeded (the caller cleans up), else 0. */
static inline int h_refused(const char *label, long ret)
{
	int e = errno;
	char how[64];

	if (ret == -1 && (e == EPERM || e == ENOSYS)) {
		printf("%s: refused %s\n", label, h_errname(e));
		return 0;
	}
	if (ret == -1) {
		snprintf(how, sizeof(how), "reached the kernel, %s",
		         h_errname(e));
		h_escape(label, how);
		return 0;
	}
	snprintf(how, sizeof(how), "succeeded, returned %ld", ret);
	h_escape(label, how);
	return 1;
}

/* Judge an access the sandbox must deny, whatever the errno (Landlock,
 * permissions, a missing target). Returns 1 when it succeeded, else 0. */
static inline int h_denied(const char *label, long ret)
{
	int e = errno;
	char how[64];

	if (ret == -1) {
		printf("%s: denied %s\n", label, h_errname(e));
		return 0;
	}
	snprintf(how, sizeof(how), "succeeded, returned %ld", ret);
	h_escape(label, how);
	return 1;
}

/* A raw system call with its arguments: raw, because libc checks some
 * arguments itself and would never make the call. */
struct h_call {
	const char *label;
	long nr;
	long arg[6];
};

/* Make each of the n calls and judge each with h_refused. A descriptor that a
 * call returns stays open until the process ends. */
static inline void h_refuse_all(const struct h_call *calls, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const long *a = calls[i].arg;

		h_refused(calls[i].label, syscall(calls[i].nr, a[0], a[1], a[2],
		                                  a[3], a[4], a[5]));
	}
}

/* The last line and the exit code. */
static inline int h_finish(void)
{
	if (*h_escaped()) {
		printf("result: ESCAPED\n");
		return H_ESCAPED;
	}
	printf("result: contained\n");
	return H_CONTAINED;
}

/* Sleep until killed: how a bounded program waits for the wall limit. */
__attribute__((noreturn)) static inline void h_hold(void)
{
	for (;;)
		sleep(1000);
}

#endif
