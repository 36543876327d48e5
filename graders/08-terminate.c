/*
 * 08-terminate.c - the grader of 08-terminate: one test per numbered check
 * of the sheet, in its order (the table is 08-terminate.tests).
 *
 * Theory of operation. The children that stop_process stops are the
 * grader's own (fl_spawn_helper), each with a known character: the default
 * SIGTERM action, a handler that cleans up (writes a flag in shared memory)
 * and exits 0, SIGTERM ignored, exited already. They report in shared
 * memory and wait on futex counters, never in a busy loop. What happened to
 * every process (how it ended, whether it was reaped, how many signals
 * reached it) comes from forklab's kernel record; a witness process also
 * counts in its own handlers the signals that reach it. Check 6 builds a
 * family inside the run, because signals to forklab are refused anyway: a
 * helper H forks S and C, and C calls stop_process on H (its parent) and on
 * S (its sibling). Check 8's tasks run in the child run_with_deadline makes;
 * they fork grandchildren of their own and say who they are.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"
#include "terminate.h"

/* Test functions are test_NAME: check 8's name is also the function under
 * test. */
#define FL_TESTS    "08-terminate.tests"
#define FL_FN(name) test_##name
#include "tests.inc"

#define MAXK     8
#define MAXPROCS 512
#define LIFE     10.0 /* seconds a waiting helper lives at most */
#define EPS      0.01 /* timer rounding allowed below a lower bound */
/* Timed cases run this many times, and the best time is the measurement
 * (the reference's too): one run that a loaded machine delayed says
 * nothing about the code. */
#define TRIES 3

/* Who is who, and what they saw, shared with every process of the test. */
static struct board {
	fl_counter ready;       /* helpers set up */
	fl_counter go;          /* the grader's word to act */
	fl_counter done;        /* check 6: C has made its calls */
	fl_counter finish;      /* every helper may end */
	int cleaned;            /* a SIGTERM handler finished its cleanup */
	int nterm[4], ncont[4]; /* signals seen by handlers, per role */
	pid_t s;                /* check 6: the sibling of C */
	int r_parent, e_parent, r_sibling, e_sibling;
	/* check 8: the task's process and the grandchild it forked */
	pid_t task_pid, task_ppid, task_pgid, grandchild;
} * bd;

static struct fl_proc procs[MAXPROCS];
static pid_t kids[MAXK]; /* the driver's own children, 0 once reaped */
static int nkids;
static volatile sig_atomic_t me; /* index into nterm/ncont */

/* ---- the helpers' side ---- */

static void count_signal(int sig)
{
	if (sig == SIGTERM)
		__atomic_add_fetch(&bd->nterm[me], 1, __ATOMIC_SEQ_CST);
	else
		__atomic_add_fetch(&bd->ncont[me], 1, __ATOMIC_SEQ_CST);
}

/* SIGTERM and SIGCONT counted by this process's handlers, as role who. */
static void witness(int who)
{
	struct sigaction sa = { .sa_handler = count_signal,
		                .sa_flags = SA_RESTART };

	me = who;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
}

/* The cleanup a well-behaved program does on SIGTERM: it takes a while
 * (long enough that a SIGKILL sent at once cuts it short), then exit 0. */
static void clean_up(int sig)
{
	(void)sig;
	fl_sleep(0.1);
	bd->cleaned = 1;
	_exit(0);
}

/* Wait, asleep, until the grader says finish (signals just wake us). */
static void linger(void)
{
	fl_counter_wait(&bd->finish, 1, LIFE);
}

static void role_default(void *arg)
{
	(void)arg;
	fl_counter_add(&bd->ready, 1);
	linger();
}

static void role_cleanup(void *arg)
{
	struct sigaction sa = { .sa_handler = clean_up };

	(void)arg;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	fl_counter_add(&bd->ready, 1);
	linger();
}

static void role_ignore(void *arg)
{
	(void)arg;
	signal(SIGTERM, SIG_IGN);
	fl_counter_add(&bd->ready, 1);
	linger();
}

static void role_exit(void *arg)
{
	_exit((int)(intptr_t)arg);
}

static void role_witness(void *arg)
{
	witness((int)(intptr_t)arg);
	fl_counter_add(&bd->ready, 1);
	linger();
}

/* ---- the grader's side ---- */

/* Is pid still our child (alive or a zombie)? Never reaps. */
static int is_our_child(pid_t pid)
{
	siginfo_t si;

	return pid > 0 &&
	       waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0;
}

/* End the test's processes: every helper may finish; our children still
 * there are waited for a moment, then killed, and reaped. */
static void end_all(void)
{
	fl_counter_add(&bd->finish, 1);
	for (int i = 0; i < nkids; i++) {
		if (!is_our_child(kids[i]))
			continue;
		kill(kids[i], SIGCONT); /* one left stopped */
		if (fl_wait_child(kids[i], 0.5, NULL) != 0) {
			kill(kids[i], SIGKILL);
			fl_wait_child(kids[i], 5.0, NULL);
		}
	}
	nkids = 0;
}

/* fl_fail, after the test's processes are gone. */
__attribute__((noreturn, format(printf, 3, 4))) static void
fail(const char *expected, const char *hint, const char *fmt, ...)
{
	char observed[3000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(observed, sizeof observed, fmt, ap);
	va_end(ap);
	end_all();
	fl_fail(expected, hint, "%s", observed);
}

static void setup(void)
{
	bd = fl_shared(sizeof *bd);
	nkids = 0;
}

/* A child of the driver running fn(arg); with wait_ready, returns once it
 * has set itself up. */
static pid_t spawn(void (*fn)(void *), void *arg, int wait_ready)
{
	uint32_t want = bd->ready.v + 1;
	pid_t p = fl_spawn_helper(fn, arg);

	if (p < 0)
		fail("the grader's processes start",
		     "this is forklab's fault, not yours", "fork: %s",
		     strerror(errno));
	kids[nkids++] = p;
	if (wait_ready && fl_counter_wait(&bd->ready, want, 3.0) < 0)
		fail("the grader's process starts", "forklab's fault",
		     "pid %d did not start within 3 s", p);
	return p;
}

/* Until our child pid has ended, without reaping it. */
static void wait_ended(pid_t pid)
{
	siginfo_t si;

	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 &&
	       errno == EINTR)
		;
}

/* The kernel's record now; *now receives forklab's clock. */
static int record(double *now)
{
	int n = fl_procs(procs, MAXPROCS, now);

	if (n < 0)
		fl_fail("forklab's record of the processes",
		        "this is forklab's fault, not yours",
		        "no answer from forklab");
	return n;
}

/* pid's record, or a blank one with state '?'. */
static struct fl_proc about(pid_t pid)
{
	int n = record(NULL);
	const struct fl_proc *p = fl_find(procs, n, pid);
	struct fl_proc none = { .pid = pid, .state = '?' };

	return p ? *p : none;
}

static const char *state_name(char st)
{
	switch (st) {
	case 'A':
		return "still running";
	case 'T':
		return "stopped";
	case 'Z':
		return "a zombie (ended, never reaped)";
	case 'R':
		return "ended and reaped";
	}
	return "unknown to forklab";
}

/* "-1 (errno ENOSYS: Function not implemented)" or "7". */
static const char *told(int r, int e)
{
	static char buf[2][120];
	static int k;
	char *b = buf[k++ % 2];

	if (r == -1)
		snprintf(b, 120, "-1 (errno %d: %s)", e, strerror(e));
	else
		snprintf(b, 120, "%d", r);
	return b;
}

/* The usual cause of a wrong exit code from stop_process. */
static const char *hint_code(int r, int e)
{
	if (r == -1 && e == ENOSYS)
		return "stop_process is not written yet";
	if (r == -1)
		return "pid is a child of the caller: it is not an error";
	if (r > 255 || (r > 0 && r % 256 == 0))
		return "return the exit code, not the raw wait status: "
		       "WEXITSTATUS, or -WTERMSIG for a signal";
	if (r == -9)
		return "the child was killed with SIGKILL: send SIGTERM first "
		       "and give it grace seconds to end";
	return "WIFEXITED: WEXITSTATUS(status); WIFSIGNALED: "
	       "-WTERMSIG(status)";
}

/* Call stop_process(pid, grace); *took receives the seconds it took. */
static int stop_timed(pid_t pid, double grace, double *took, int *e)
{
	double t = fl_now();
	int r;

	errno = 0;
	r = stop_process(pid, grace);
	*e = errno;
	*took = fl_now() - t;
	return r;
}

/* 1. a child with the default SIGTERM action: -15, promptly */
static void test_default_sigterm(void)
{
	double took, best = 1e9;
	int r, e;

	setup();
	for (int k = 0; k < TRIES; k++) {
		r = stop_timed(spawn(role_default, NULL, 1), 1.0, &took, &e);
		if (r != -15)
			fail("stop_process(pid, 1.0) on a child that SIGTERM "
			     "ends returns -15",
			     hint_code(r, e), "it returned %s after %.3f s",
			     told(r, e), took);
		if (took < best)
			best = took;
	}
	fl_note("stop_process took %.3f s (the best of %d)", best, TRIES);
	end_all();
	fl_metric(best);
}

/* 2. a child that cleans up on SIGTERM and exits 0 */
static void test_clean_exit(void)
{
	double took;
	pid_t pid;
	int r, e;

	setup();
	pid = spawn(role_cleanup, NULL, 1);
	r = stop_timed(pid, 2.0, &took, &e);
	if (r != 0 || !bd->cleaned)
		fail("stop_process(pid, 2.0) lets a child that cleans up on "
		     "SIGTERM (0.1 s) finish, and returns its status 0",
		     hint_code(r, e),
		     "it returned %s after %.3f s; the cleanup %s", told(r, e),
		     took, bd->cleaned ? "was done" : "was not done");
	end_all();
}

/* 3. a child that ignores SIGTERM: SIGKILL not before grace, soon after */
#define GRACE3 0.4
static void test_ignores_sigterm(void)
{
	double t0, took, best = 1e9;
	struct fl_proc p;
	pid_t pid;
	int r, e;

	setup();
	for (int k = 0; k < TRIES; k++) {
		pid = spawn(role_ignore, NULL, 1);
		record(&t0);
		r = stop_timed(pid, GRACE3, &took, &e);
		p = about(pid);
		if (r != -9)
			fail("stop_process(pid, 0.4) on a child that ignores "
			     "SIGTERM returns -9 (SIGKILL)",
			     r == -1 ? hint_code(r, e)
			             : "after the grace period, send SIGKILL: "
			               "nothing else ends a process that "
			               "ignores SIGTERM",
			     "it returned %s after %.3f s", told(r, e), took);
		if (took < GRACE3 - EPS ||
		    (p.end >= 0 && p.end - t0 < GRACE3 - EPS))
			fail("the child gets grace (0.4) seconds after SIGTERM "
			     "before SIGKILL",
			     "wait up to grace seconds for the child to end "
			     "(poll a pidfd, or waitpid WNOHANG with short "
			     "sleeps) before sending SIGKILL",
			     "the child was killed %.3f s after the call began",
			     p.end >= 0 ? p.end - t0 : took);
		if (took < best)
			best = took;
	}
	fl_note("stop_process took %.3f s with a grace of %.1f s (the best of "
	        "%d)",
	        best, GRACE3, TRIES);
	end_all();
	fl_metric(best - GRACE3);
}

/* 4. a stopped child that cleans up on SIGTERM: continued, 0 */
static void test_stopped_child(void)
{
	double took;
	pid_t pid;
	int r, e, st;

	setup();
	pid = spawn(role_cleanup, NULL, 1);
	kill(pid, SIGSTOP);
	while (waitpid(pid, &st, WUNTRACED) < 0 && errno == EINTR)
		;
	r = stop_timed(pid, 1.0, &took, &e);
	if (r != 0 || !bd->cleaned)
		fail("stop_process(pid, 1.0) on a stopped child that cleans up "
		     "on SIGTERM continues it, and returns its status 0",
		     r == -9 ? "a stopped process keeps SIGTERM pending until "
		               "it runs again: send SIGCONT after SIGTERM"
		             : hint_code(r, e),
		     "it returned %s after %.3f s; the cleanup %s", told(r, e),
		     took, bd->cleaned ? "was done" : "was not done");
	end_all();
}

/* 5. already exited: its status at once; reaped; pid 0 or -1: EINVAL.
 * "In every case reaped": the cases of checks 1 and 2 once more, judged
 * here on the reaping only (their codes are those checks' business). */
static const struct {
	void (*fn)(void *);
	const char *what;
} reap_cases[] = {
	{ role_default, "a child that SIGTERM ends" },
	{ role_cleanup, "a child that exits on SIGTERM" },
};

static void test_already_exited(void)
{
	struct fl_proc p, mw[2][2];
	double took, best = 1e9, ignored;
	pid_t pid, w;
	int r, e, r0, e0, r1, e1;

	setup();
	for (int k = 0; k < TRIES; k++) {
		pid = spawn(role_exit, (void *)7, 0);
		wait_ended(pid);
		r = stop_timed(pid, 1.0, &took, &e);
		p = about(pid);
		if (r != 7)
			fail("stop_process(pid, 1.0) on a child that has "
			     "exited with status 7 returns 7",
			     hint_code(r, e), "it returned %s", told(r, e));
		if (p.state != 'R')
			fail("the child is reaped by stop_process (no zombie)",
			     "collect the status with waitpid(pid, &status, "
			     "0); waitid with WNOWAIT leaves a zombie",
			     "the child is %s", state_name(p.state));
		if (took < best)
			best = took;
	}
	for (size_t i = 0; i < sizeof reap_cases / sizeof reap_cases[0]; i++) {
		pid_t k = spawn(reap_cases[i].fn, NULL, 1);
		struct fl_proc q;

		r = stop_timed(k, 2.0, &ignored, &e);
		q = about(k);
		if (q.state != 'R')
			fail("stop_process reaps the child in every case",
			     "collect the status with waitpid(pid, &status, "
			     "0); waitid with WNOWAIT leaves a zombie",
			     "for %s it returned %s, and the child is %s",
			     reap_cases[i].what, told(r, e),
			     state_name(q.state));
	}

	/* pid 0 and -1: EINVAL, and no signal to the caller or its group */
	w = spawn(role_witness, (void *)1, 1);
	witness(0);
	mw[0][0] = about(fl_main_pid());
	mw[0][1] = about(w);
	errno = 0;
	r0 = stop_process(0, 0.2);
	e0 = errno;
	errno = 0;
	r1 = stop_process(-1, 0.2);
	e1 = errno;
	mw[1][0] = about(fl_main_pid());
	mw[1][1] = about(w);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCONT, SIG_DFL);
	if (r0 != -1 || e0 != EINVAL || r1 != -1 || e1 != EINVAL)
		fail("stop_process(0, ...) and stop_process(-1, ...) return "
		     "-1 with errno EINVAL",
		     "check pid <= 0 before anything else: kill(0, sig) "
		     "signals the caller's whole group, kill(-1, sig) every "
		     "process it may",
		     "pid 0: %s; pid -1: %s", told(r0, e0), told(r1, e1));
	for (int i = 0; i < 2; i++)
		if (mw[1][i].nsigs != mw[0][i].nsigs || bd->nterm[i] ||
		    bd->ncont[i] || mw[1][i].state != 'A')
			fail("no signal is sent for pid 0 or -1",
			     "return EINVAL before any kill()",
			     "%s received %d signals during the two calls "
			     "(SIGTERM seen %d times, SIGCONT %d times)",
			     i ? "another process of the caller's group"
			       : "the caller",
			     mw[1][i].nsigs - mw[0][i].nsigs, bd->nterm[i],
			     bd->ncont[i]);
	fl_note("stop_process on an exited child took %.4f s (the best of %d)",
	        best, TRIES);
	end_all();
	fl_metric(best);
}

/* 6. a pid that is not a child: -1, ECHILD, and no signal reaches it */
#define GRACE6 0.3
static void role_c(void *arg)
{
	(void)arg;
	signal(SIGTERM, SIG_DFL); /* H's counting handlers are H's */
	signal(SIGCONT, SIG_DFL);
	fl_counter_wait(&bd->go, 1, LIFE);
	errno = 0;
	bd->r_parent = stop_process(getppid(), GRACE6);
	bd->e_parent = errno;
	errno = 0;
	bd->r_sibling = stop_process(bd->s, GRACE6);
	bd->e_sibling = errno;
	fl_counter_add(&bd->done, 1);
	linger();
}

/* H: the parent of S and C; S and C are siblings. */
static void role_h(void *arg)
{
	pid_t c;

	(void)arg;
	witness(1);
	bd->s = fl_spawn_helper(role_witness, (void *)2);
	fl_counter_wait(&bd->ready, 1, LIFE); /* S is set up */
	c = fl_spawn_helper(role_c, NULL);
	fl_counter_add(&bd->ready, 1);
	linger();
	fl_wait_child(bd->s, LIFE, NULL);
	fl_wait_child(c, LIFE, NULL);
}

/* Signals queued for pid and not yet delivered (kill() only queues: on a
 * loaded machine the target may not have run yet), from the kernel's
 * SigPnd and ShdPnd masks: 1 if SIGTERM or SIGCONT is among them. */
static int term_or_cont_pending(pid_t pid)
{
	char path[64], line[256];
	unsigned long long mask = 0, m;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if ((!strncmp(line, "SigPnd:", 7) ||
		     !strncmp(line, "ShdPnd:", 7)) &&
		    sscanf(line + 7, "%llx", &m) == 1)
			mask |= m;
	fclose(f);
	return (mask & (1ULL << (SIGTERM - 1))) ||
	       (mask & (1ULL << (SIGCONT - 1)));
}

static void test_not_a_child(void)
{
	static const char *const who[3] = { "", "the caller's parent",
		                            "a sibling of the caller" };
	struct fl_proc before[3], after[3];
	pid_t h;

	setup();
	h = spawn(role_h, NULL, 0);
	if (fl_counter_wait(&bd->ready, 2, 3.0) < 0)
		fail("the grader's processes start", "forklab's fault",
		     "they did not start within 3 s");
	before[1] = about(h);
	before[2] = about(bd->s);
	fl_counter_add(&bd->go, 1);
	if (fl_counter_wait(&bd->done, 1, 3.0) < 0)
		fail("stop_process on a pid that is not a child returns at "
		     "once",
		     "check with waitid(P_PID, pid, ..., WNOHANG | WNOWAIT) "
		     "that pid is your child before anything else: it fails "
		     "with ECHILD otherwise",
		     "the calls had not returned 3 s later");
	after[1] = about(h);
	after[2] = about(bd->s);
	if (bd->r_parent != -1 || bd->e_parent != ECHILD ||
	    bd->r_sibling != -1 || bd->e_sibling != ECHILD)
		fail("stop_process on the caller's parent and on a sibling "
		     "returns -1 with errno ECHILD",
		     "check with waitid(P_PID, pid, ..., WNOHANG | WNOWAIT) "
		     "that pid is your child before anything else: it fails "
		     "with ECHILD otherwise",
		     "on the caller's parent: %s; on a sibling: %s",
		     told(bd->r_parent, bd->e_parent),
		     told(bd->r_sibling, bd->e_sibling));
	/* The sibling first: a sibling killed is also a SIGCHLD to H. */
	for (int i = 2; i > 0; i--)
		if (after[i].nsigs != before[i].nsigs || bd->nterm[i] ||
		    bd->ncont[i] || after[i].state != 'A' ||
		    term_or_cont_pending(after[i].pid))
			fail("no signal reaches a process that is not a child",
			     "return ECHILD before any kill(): a pid that "
			     "is not yours may belong to anyone",
			     "%s (pid %d) received %d signals (its handlers "
			     "saw SIGTERM %d times, SIGCONT %d times), and "
			     "is %s",
			     who[i], after[i].pid,
			     after[i].nsigs - before[i].nsigs, bd->nterm[i],
			     bd->ncont[i], state_name(after[i].state));
	end_all();
}

/* 7. siblings of the stopped child keep running */
static void role_late_exit(void *arg)
{
	(void)arg;
	fl_counter_add(&bd->ready, 1);
	fl_counter_wait(&bd->go, 1, LIFE);
	fl_sleep(0.05); /* ends while the target cleans up */
	_exit(6);
}

static void test_siblings_live(void)
{
	struct fl_proc s1[2], z, s2;
	pid_t running, zombie, late, target;
	double took;
	int r, e, code;

	setup();
	running = spawn(role_default, NULL, 1);
	zombie = spawn(role_exit, (void *)5, 0);
	wait_ended(zombie);
	late = spawn(role_late_exit, NULL, 1);
	target = spawn(role_cleanup, NULL, 1);
	s1[0] = about(running);
	fl_counter_add(&bd->go, 1);
	r = stop_timed(target, 2.0, &took, &e);
	s1[1] = about(running);
	z = about(zombie);
	s2 = about(late);
	if (z.state != 'Z' || s2.state == 'R')
		fail("stop_process reaps only the child it stops: siblings "
		     "that have ended stay zombies for their owner",
		     "wait for pid only (waitpid(pid, ...)): wait() and "
		     "waitpid(-1, ...) take any child's status",
		     "a sibling that had exited before the call is %s; one "
		     "that exited during the call is %s; stop_process "
		     "returned %s",
		     state_name(z.state), state_name(s2.state), told(r, e));
	if (s1[1].state != 'A' || s1[1].nsigs != s1[0].nsigs)
		fail("a running sibling keeps running, and no signal reaches "
		     "it",
		     "signal pid only: kill(0, sig) reaches the caller's "
		     "whole group",
		     "the running sibling received %d signals and is %s",
		     s1[1].nsigs - s1[0].nsigs, state_name(s1[1].state));
	if (r == 5 || r == 6 || (r == -1 && e != ENOSYS))
		fail("stop_process(pid, 2.0) returns the status of the child "
		     "it stops, not a sibling's",
		     "wait for pid only (waitpid(pid, ...))",
		     "it returned %s; the siblings' codes are 5 and 6",
		     told(r, e));
	if (r == -1)
		fail("stop_process stops the child", hint_code(r, e),
		     "it returned %s", told(r, e));
	if (fl_wait_child(zombie, 1.0, &code) != 0 || code != 5 ||
	    fl_wait_child(late, 2.0, &code) != 0 || code != 6)
		fail("the siblings' statuses are left for the caller",
		     "wait for pid only",
		     "the caller could not collect them (exit code %d)", code);
	end_all();
}

/* 8. run_with_deadline */
static int task_quick(int id, void *arg)
{
	(void)id;
	bd->task_pid = getpid();
	bd->task_ppid = getppid();
	bd->task_pgid = getpgid(0);
	return (int)(intptr_t)arg;
}

static void role_grandchild(void *arg)
{
	if (arg)
		signal(SIGTERM, SIG_IGN);
	fl_counter_add(&bd->ready, 1);
	linger();
}

/* Leaves a helper in its group (one that ignores SIGTERM if asked). */
static void leave_helper(int stubborn)
{
	uint32_t want = bd->ready.v + 1;

	bd->grandchild =
	    fl_spawn_helper(role_grandchild, (void *)(intptr_t)stubborn);
	fl_counter_wait(&bd->ready, want, 2.0);
}

static int task_leaves_helper(int id, void *arg)
{
	task_quick(id, NULL);
	leave_helper(0);
	return (int)(intptr_t)arg;
}

static int task_loops(int id, void *arg)
{
	if (arg) /* first: the deadline may come at any time */
		signal(SIGTERM, SIG_IGN);
	task_quick(id, NULL);
	leave_helper(1);
	linger(); /* until stopped, or the test ends */
	return 0;
}

/* The deadlines leave a task time to set itself up (fork its helper) even
 * on a loaded machine. */
static const struct {
	task_fn task;
	void *arg;
	double timeout, grace;
	int want, timed_out;
	const char *what;
} deadline_cases[] = {
	{ task_quick, (void *)7, 3.0, 0.5, 7, 0,
	  "a task that returns 7 at once" },
	{ task_leaves_helper, (void *)3, 3.0, 0.5, 3, 0,
	  "a task that returns 3 at once, leaving a helper running" },
	{ task_loops, NULL, 0.8, 0.5, -15, 1,
	  "a task that loops (its helper ignores SIGTERM)" },
	{ task_loops, (void *)1, 0.8, 0.3, -9, 1,
	  "a task that loops and ignores SIGTERM" },
};

/* The processes created since t0 that have not ended: up to a second for
 * forklab to hear of the ends of processes killed just now. */
static int left_running(double t0, char *buf, size_t size)
{
	double end = fl_now() + 1.0;
	int n, alive;

	do {
		int off = 0;

		n = record(NULL);
		alive = 0;
		buf[0] = '\0';
		for (int i = 0; i < n; i++) {
			const struct fl_proc *p = &procs[i];

			if (p->thread || p->start < t0 ||
			    p->pid == fl_main_pid())
				continue;
			if (p->state == 'A' || p->state == 'T') {
				alive++;
				if (off < (int)size - 80)
					off += snprintf(buf + off, size - off,
					                "%s pid %d (parent %d)",
					                alive > 1 ? "," : "",
					                p->pid, p->ppid);
			}
		}
		if (alive)
			fl_sleep(0.01);
	} while (alive && fl_now() < end);
	return alive;
}

static void test_run_with_deadline(void)
{
	for (size_t i = 0; i < sizeof deadline_cases / sizeof deadline_cases[0];
	     i++) {
		double t0, t, took, timeout = deadline_cases[i].timeout;
		const char *what = deadline_cases[i].what;
		struct fl_proc leader;
		char buf[1024];
		int r, e, to = -1;

		setup();
		record(&t0);
		t = fl_now();
		errno = 0;
		r = run_with_deadline(deadline_cases[i].task,
		                      deadline_cases[i].arg, timeout,
		                      deadline_cases[i].grace, &to);
		e = errno;
		took = fl_now() - t;
		if (bd->task_pid > 0) /* for end_all, if still ours */
			kids[nkids++] = bd->task_pid;
		if (r != deadline_cases[i].want ||
		    to != deadline_cases[i].timed_out)
			fail(
			    "run_with_deadline returns the task's exit code "
			    "and sets *timed_out to 1 only when the deadline "
			    "was reached",
			    r == -1 && e == ENOSYS
			        ? "run_with_deadline is not written yet"
			        : "wait for the child until the deadline; "
			          "if it is still running then, stop it as "
			          "stop_process does (SIGTERM, grace, SIGKILL)",
			    "for %s (timeout %.1f s, grace %.1f s) it "
			    "returned %s with *timed_out %d after %.3f s; "
			    "expected %d and %d",
			    what, timeout, deadline_cases[i].grace, told(r, e),
			    to, took, deadline_cases[i].want,
			    deadline_cases[i].timed_out);
		if (bd->task_pgid != bd->task_pid ||
		    bd->task_ppid != fl_main_pid())
			fail("the task runs in a child of the caller that "
			     "leads a process group of its own",
			     "fork, then setpgid(0, 0) in the child and "
			     "setpgid(pid, pid) in the parent (or setsid() in "
			     "the child)",
			     "the task ran in pid %d, parent %d (the caller is "
			     "%d), process group %d",
			     bd->task_pid, bd->task_ppid, fl_main_pid(),
			     bd->task_pgid);
		if (to ? took < timeout - EPS || took > timeout + 1.5
		       : took > timeout - 1.0)
			fail(to ? "a task that runs past the deadline is "
			          "stopped at the deadline"
			        : "run_with_deadline returns when the task "
			          "ends",
			     "wait for the child's end or the deadline, "
			     "whichever comes first (poll a pidfd, or "
			     "waitpid WNOHANG with short sleeps)",
			     "for %s (timeout %.1f s) it returned after %.3f "
			     "s",
			     what, timeout, took);
		leader = about(bd->task_pid);
		if (leader.state != 'R')
			fail("the task's process is reaped: no zombie",
			     "collect the child's status with waitpid(pid, "
			     "&status, 0)",
			     "for %s the task's process is %s", what,
			     state_name(leader.state));
		if (left_running(t0, buf, sizeof buf))
			fail("every process of the task's group has ended "
			     "when run_with_deadline returns",
			     "signal the whole group, kill(-pgid, SIGKILL), "
			     "while the leader is not yet reaped (so that "
			     "the group id is still yours), also when the "
			     "task ended in time",
			     "for %s, still running 1 s after it returned:%s "
			     "(the task's process was %d, the helper it "
			     "forked %d)",
			     what, buf, bd->task_pid, bd->grandchild);
		end_all();
	}
}
