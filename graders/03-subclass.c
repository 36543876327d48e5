/*
 * 03-subclass.c - the grader of 03-subclass: one test per numbered check of
 * the sheet, in its order (the table is 03-subclass.tests).
 *
 * Theory of operation. The hooks are the grader's own functions, run in the
 * worker processes the submission creates. Each hook leaves a trace in
 * shared memory (which hook, in which process, in what order), so the test
 * can tell whether setup, run and finish ran once each, in order, in the
 * child. Where a worker has to be running while the test looks (a join with
 * a timeout, is_alive, the process name), its run hook waits on a counter
 * that the test raises when it is done looking, and gives up by itself after
 * a while, so nothing hangs. Process names, parents, states and exit codes
 * come from fl_procs(), the kernel's record.
 *
 * The caller may have other children: every check but 8 runs one worker at
 * a time, and check 8 runs ten at once beside a zombie child of the
 * grader's own, which worker_join must leave alone.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver.h"
#include "worker.h"

#define FL_TESTS "03-subclass.tests"
#include "tests.inc"

#define MAXPROCS 512
#define MAXCALLS 32
#define CREW     10  /* check 8: workers at once */
#define HOLD_S   2.0 /* longest a held run hook waits for the test */
#define QUICK_S  0.1 /* is_alive never blocks: each call takes less */
#define AT_ONCE  0.5 /* a join with nothing to wait for returns within */
#define HELPER   77  /* check 8: the exit status of the grader's own child */

/* What the hooks saw, shared with every child. */
static struct seen {
	int ncalls;
	char hook[MAXCALLS];   /* 's' setup, 'r' run, 'f' finish, by call */
	pid_t where[MAXCALLS]; /* getpid() at each call */
	fl_counter started;    /* held run hooks that began */
	fl_counter go;         /* lets held run hooks return */
	int held_code;         /* what a held run hook returns */
	fl_counter job_calls;  /* check 9: calls of the job */
	/* check 8 */
	fl_counter arrived, departed;
	int waited_in_vain;
	uint32_t running_then; /* workers begun when one gave up waiting */
	int result[CREW];
	void *self[CREW];
	pid_t pid[CREW];
} * seen;

static struct fl_proc procs[MAXPROCS];
static int nprocs; /* entries of procs from the last record */

static void setup(void)
{
	seen = fl_shared(sizeof *seen);
}

/* The kernel's record now; *now receives forklab's clock. */
static int record(double *now)
{
	int n = fl_procs(procs, MAXPROCS, now);

	if (n < 0)
		fl_fail("forklab's record of the processes",
		        "this is forklab's fault, not yours",
		        "no answer from forklab");
	return nprocs = n;
}

/* The kernel's record of pid, or NULL. */
static const struct fl_proc *kernel(pid_t pid)
{
	return fl_find(procs, record(NULL), pid);
}

static void reset_calls(void)
{
	seen->ncalls = 0;
	memset(seen->hook, 0, sizeof seen->hook);
}

/* ---- the grader's hooks ---- */

static void note(char hook)
{
	int i = __atomic_fetch_add(&seen->ncalls, 1, __ATOMIC_SEQ_CST);

	if (i < MAXCALLS) {
		seen->where[i] = getpid();
		seen->hook[i] = hook;
	}
	fl_event("%c in pid %d", hook, getpid());
}

static int setup_ok(struct worker *self)
{
	(void)self;
	note('s');
	return 0;
}

static int setup_7(struct worker *self)
{
	(void)self;
	note('s');
	return 7;
}

static int run_5(struct worker *self)
{
	(void)self;
	note('r');
	return 5;
}

static int run_9(struct worker *self)
{
	(void)self;
	note('r');
	return 9;
}

/* Runs until the test raises go (or HOLD_S passed), then returns held_code. */
static int run_held(struct worker *self)
{
	(void)self;
	note('r');
	fl_counter_add(&seen->started, 1);
	fl_counter_wait(&seen->go, 1, HOLD_S);
	return seen->held_code;
}

static int finish_plus_40(struct worker *self, int result)
{
	(void)self;
	note('f');
	return result + 40;
}

static const struct worker_ops all_hooks = { setup_ok, run_5, finish_plus_40 };
static const struct worker_ops no_setup = { NULL, run_5, finish_plus_40 };
static const struct worker_ops no_finish = { setup_ok, run_5, NULL };
static const struct worker_ops run_only = { NULL, run_5, NULL };
static const struct worker_ops refusing = { setup_7, run_5, finish_plus_40 };
static const struct worker_ops run_9_only = { NULL, run_9, NULL };
static const struct worker_ops held = { NULL, run_held, NULL };

/* ---- helpers ---- */

/* worker_start(w), which must succeed. */
static void start(struct worker *w, const char *what)
{
	int r, e;

	errno = 0;
	r = worker_start(w);
	e = errno;
	if (r != 0 || w->pid <= 0)
		fl_fail("worker_start returns 0 and sets pid",
		        "fork, set w->pid in the caller, run the hooks in "
		        "the child",
		        "%s: worker_start returned %d (errno %d: %s), pid %d",
		        what, r, e, strerror(e), (int)w->pid);
}

/* worker_join(w, -1), which must return 0. */
static void join(struct worker *w, const char *what)
{
	int r, e;

	errno = 0;
	r = worker_join(w, -1);
	e = errno;
	if (r != 0)
		fl_fail("worker_join(w, -1) returns 0 once the worker ended",
		        "wait for this worker's pid (waitpid(w->pid, ...)), "
		        "retry on EINTR",
		        "%s: it returned %d (errno %d: %s)", what, r, e,
		        strerror(e));
}

/* Start a worker with the held run hook and wait until run began. */
static void start_held(struct worker *w, int code, const char *what)
{
	seen->started.v = 0;
	seen->go.v = 0;
	seen->held_code = code;
	start(w, what);
	if (fl_counter_wait(&seen->started, 1, HOLD_S) < 0)
		fl_fail("the worker's run hook starts",
		        "the child runs setup (if any), then run",
		        "%s: run did not begin within %.0f s", what, HOLD_S);
}

static void release(void)
{
	fl_counter_add(&seen->go, 1);
}

/* Wait, without reaping, until child pid has ended (a zombie). */
static void wait_ended(pid_t pid)
{
	siginfo_t si;

	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 &&
	       errno == EINTR)
		;
}

/* The hooks called, as a string: "srf" for setup, run, finish. */
static const char *calls(void)
{
	static char s[MAXCALLS + 1];
	int n = seen->ncalls < MAXCALLS ? seen->ncalls : MAXCALLS;

	memcpy(s, seen->hook, n);
	s[n] = '\0';
	return s;
}

static const char *hook_name(char h)
{
	return h == 's' ? "setup" : h == 'r' ? "run" : "finish";
}

/* ---- the tests ---- */

/* 1. setup, run and finish once each, in order, in the child */
static void hooks_in_order(void)
{
	static const struct {
		const char *what;
		const struct worker_ops *ops;
		const char *want;
	} cases[] = {
		{ "setup, run and finish", &all_hooks, "srf" },
		{ "setup NULL", &no_setup, "rf" },
		{ "finish NULL", &no_finish, "sr" },
		{ "setup and finish NULL", &run_only, "r" },
	};

	setup();
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct worker w = { 0 };
		const struct fl_proc *p;

		reset_calls();
		worker_init(&w, cases[c].ops, NULL);
		start(&w, cases[c].what);
		join(&w, cases[c].what);
		for (int i = 0; i < seen->ncalls && i < MAXCALLS; i++)
			if (seen->where[i] != w.pid)
				fl_fail(
				    "every hook runs in the worker's child "
				    "process, never in the caller",
				    seen->where[i] == fl_main_pid()
				        ? "call the hooks after fork(), in "
				          "the child (fork() returned 0), "
				          "never in worker_start's caller"
				        : "call the hooks in the child that "
				          "w->pid names, not in a process "
				          "of its own",
				    "with %s, %s ran in pid %d; the caller is "
				    "%d, the worker %d",
				    cases[c].what, hook_name(seen->hook[i]),
				    seen->where[i], fl_main_pid(), w.pid);
		if (strcmp(calls(), cases[c].want))
			fl_fail("the hooks that are not NULL run once each, "
			        "in the order setup, run, finish",
			        "in the child: rc = setup ? setup(w) : 0; if "
			        "rc == 0, rc = run(w), then finish(w, rc) if "
			        "finish is not NULL",
			        "with %s, the calls were \"%s\", expected "
			        "\"%s\" (s setup, r run, f finish)",
			        cases[c].what, calls(), cases[c].want);
		p = kernel(w.pid);
		if (!p || p->ppid != fl_main_pid())
			fl_fail("the worker is a child of the caller",
			        "fork in worker_start, in the caller",
			        "with %s, pid %d has parent %d; the caller is "
			        "%d",
			        cases[c].what, w.pid, p ? p->ppid : 0,
			        fl_main_pid());
		if (p->exit_code < 0)
			fl_fail("a NULL hook is skipped",
			        "check ops->setup and ops->finish for NULL "
			        "before calling them",
			        "with %s, the worker was killed by signal %d",
			        cases[c].what, -p->exit_code);
	}
}

/* 2. a non-zero setup skips run and finish and becomes the exit code */
static void setup_refuses(void)
{
	struct worker w = { 0 };

	setup();
	reset_calls();
	worker_init(&w, &refusing, NULL);
	start(&w, "setup returning 7");
	join(&w, "setup returning 7");
	if (strcmp(calls(), "s"))
		fl_fail("when setup returns non-zero, run and finish are "
		        "skipped",
		        "look at setup's value: if it is not 0, _exit with "
		        "it at once",
		        "setup returned 7, then the calls were \"%s\" "
		        "(s setup, r run, f finish)",
		        calls());
	if (w.exitcode != 7)
		fl_fail("setup's non-zero value is the exit code",
		        "_exit(setup's value) in the child",
		        "setup returned 7; exitcode is %d", w.exitcode);
}

/* 3. finish's value, run's value without finish, -9 after SIGKILL */
static void exit_codes(void)
{
	static const struct {
		const char *what;
		const struct worker_ops *ops;
		int want;
		const char *hint;
	} cases[] = {
		{ "run returning 5, finish returning run's value + 40",
		  &no_setup, 45,
		  "finish's value is the exit status: _exit(finish(w, rc))" },
		{ "run returning 9, finish NULL", &run_9_only, 9,
		  "without finish, run's value is the exit status" },
	};
	struct worker w = { 0 };

	setup();
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		memset(&w, 0, sizeof w);
		worker_init(&w, cases[c].ops, NULL);
		start(&w, cases[c].what);
		join(&w, cases[c].what);
		if (w.exitcode != cases[c].want)
			fl_fail("exitcode is the child's exit status",
			        cases[c].hint, "%s: exitcode %d, expected %d",
			        cases[c].what, w.exitcode, cases[c].want);
	}
	memset(&w, 0, sizeof w);
	worker_init(&w, &held, NULL);
	start_held(&w, 0, "a worker killed by SIGKILL");
	kill(w.pid, SIGKILL);
	join(&w, "a worker killed by SIGKILL");
	if (w.exitcode != -9)
		fl_fail("a worker killed by SIGKILL has exitcode -9",
		        w.exitcode == 9 || w.exitcode == 0
		            ? "WIFSIGNALED(status): the exit code is "
		              "-WTERMSIG(status); WEXITSTATUS means nothing "
		              "then"
		            : "WIFEXITED: WEXITSTATUS(status); WIFSIGNALED: "
		              "-WTERMSIG(status)",
		        "exitcode %d", w.exitcode);
}

/* 4. pid set by start, exitcode by join; EINVAL twice; join twice */
static void start_join_errors(void)
{
	struct worker w;
	double t0, t;
	int r, e, n;

	setup();
	/* Not zeroed first: worker_init must set pid and exitcode itself. */
	memset(&w, 0xa5, sizeof w);
	worker_init(&w, &held, NULL);
	if (w.pid != 0 || w.exitcode != 0)
		fl_fail("worker_init sets pid 0 and exitcode 0",
		        "set every field in worker_init: the struct may hold "
		        "anything before",
		        "after worker_init, pid %d and exitcode %d", (int)w.pid,
		        w.exitcode);
	record(&t0);
	errno = 0;
	r = worker_join(&w, -1);
	e = errno;
	if (r != -1 || e != EINVAL)
		fl_fail("worker_join on a worker never started returns -1 "
		        "with errno EINVAL",
		        "keep in w->state whether the worker was started, and "
		        "check it before waiting",
		        "it returned %d, errno %d (%s)", r, e, strerror(e));
	start_held(&w, 4, "the first start");
	if (seen->where[0] != w.pid)
		fl_fail("pid is the child's pid",
		        "store fork()'s value in w->pid, in the caller",
		        "pid is %d, the run hook ran in pid %d", (int)w.pid,
		        seen->where[0]);
	errno = 0;
	r = worker_start(&w);
	e = errno;
	n = fl_count_children(procs, record(NULL), 0, t0);
	if (r != -1 || e != EINVAL || n != 1)
		fl_fail("worker_start on a worker already started returns -1 "
		        "with errno EINVAL and starts nothing",
		        "check w->state first: a started worker is never "
		        "started again",
		        "the second start returned %d, errno %d (%s); the "
		        "kernel saw %d processes created",
		        r, e, strerror(e), n);
	release();
	join(&w, "the first join");
	if (w.exitcode != 4)
		fl_fail("join sets exitcode", "set w->exitcode when you reap",
		        "run returned 4; exitcode is %d", w.exitcode);
	for (int k = 0; k < 2; k++) {
		double limit = k ? 0.5 : -1;

		t = fl_now();
		errno = 0;
		r = worker_join(&w, limit);
		e = errno;
		t = fl_now() - t;
		if (r != 0 || w.exitcode != 4 || t > AT_ONCE)
			fl_fail("joining a worker already joined returns 0 at "
			        "once, exitcode unchanged",
			        "remember that the worker was reaped: waiting "
			        "for its pid again fails with ECHILD",
			        "worker_join(w, %g) again returned %d (errno "
			        "%d: %s) after %.3f s, exitcode %d",
			        limit, r, e, strerror(e), t, w.exitcode);
	}
	errno = 0;
	r = worker_start(&w);
	e = errno;
	n = fl_count_children(procs, record(NULL), 0, t0);
	if (r != -1 || e != EINVAL || n != 1)
		fl_fail("worker_start on a worker that has ended returns -1 "
		        "with errno EINVAL",
		        "a worker runs once: started is started, also after "
		        "its end",
		        "start after join returned %d, errno %d (%s); the "
		        "kernel saw %d processes created",
		        r, e, strerror(e), n);
}

/* 5. join with a timeout returns 1 close to the timeout */
static void join_timeout(void)
{
	const double timeout = 0.3;
	struct worker w = { 0 };
	const struct fl_proc *p;
	double t;
	int r, e;

	setup();
	worker_init(&w, &held, NULL);
	start_held(&w, 4, "a worker that runs 2 s");
	t = fl_now();
	errno = 0;
	r = worker_join(&w, timeout);
	e = errno;
	t = fl_now() - t;
	if (r != 1)
		fl_fail("worker_join(w, 0.3) on a worker that runs 2 s returns "
		        "1 after 0.3 s",
		        r == 0 ? "with a timeout, do not block in waitpid: "
		                 "sleep until the end or the deadline "
		                 "(poll on a pidfd, or WNOHANG and short "
		                 "sleeps), and return 1 at the deadline"
		               : "return 1 when the time runs out",
		        "it returned %d (errno %d: %s) after %.3f s", r, e,
		        strerror(e), t);
	/* 1 ms of slack for a deadline kept in whole milliseconds. */
	if (t < timeout - 0.001)
		fl_fail("worker_join(w, 0.3) does not give up before 0.3 s",
		        "compute the deadline once, from a monotonic clock, "
		        "and wait until it has passed",
		        "it returned 1 after %.3f s", t);
	p = kernel(w.pid);
	if (!p || p->state != 'A')
		fl_fail("after a join that timed out, the worker goes on "
		        "running",
		        "do not kill or stop the worker when the time runs out",
		        "the kernel says pid %d is %s", (int)w.pid,
		        !p                ? "unknown"
		        : p->state == 'Z' ? "a zombie"
		        : p->state == 'T' ? "stopped"
		                          : "gone");
	release();
	join(&w, "the join after the timeout");
	if (w.exitcode != 4)
		fl_fail("the later join sets exitcode",
		        "set w->exitcode when you reap",
		        "run returned 4; exitcode is %d", w.exitcode);
	fl_note("worker_join(w, 0.3) returned 1 after %.3f s, %.3f s after "
	        "the timeout (the figure judged below)",
	        t, t - timeout);
	fl_metric(t - timeout);
}

/* 6. is_alive: 1 while running, 0 after, never blocks */
static void is_alive(void)
{
	struct worker w = { 0 };
	double t;
	int a, r, e;

	setup();
	worker_init(&w, &held, NULL);
	if (worker_is_alive(&w) != 0)
		fl_fail("is_alive is 0 before start",
		        "a worker not started is not alive", "it returned 1");
	start_held(&w, 6, "a running worker");
	for (int k = 0; k < 5; k++) {
		t = fl_now();
		a = worker_is_alive(&w);
		t = fl_now() - t;
		if (a != 1 || t >= QUICK_S)
			fl_fail("is_alive returns 1 at once while the worker "
			        "runs",
			        t >= QUICK_S ? "never block: waitpid(pid, "
			                       "&status, WNOHANG) returns 0 "
			                       "while the child runs"
			                     : "WNOHANG: 0 means still "
			                       "running",
			        "call %d returned %d after %.3f s", k + 1, a,
			        t);
	}
	release();
	wait_ended(w.pid);
	t = fl_now();
	a = worker_is_alive(&w);
	t = fl_now() - t;
	if (a != 0 || t >= QUICK_S)
		fl_fail("is_alive returns 0 at once once the worker has ended",
		        a ? "a child that ended is a zombie until reaped: "
		            "kill(pid, 0) still succeeds; ask waitpid(pid, "
		            "&status, WNOHANG), which reaps it"
		          : "never block",
		        "the worker had ended (a zombie); is_alive returned %d "
		        "after %.3f s",
		        a, t);
	t = fl_now();
	errno = 0;
	r = worker_join(&w, -1);
	e = errno;
	t = fl_now() - t;
	if (r != 0 || w.exitcode != 6 || t > AT_ONCE)
		fl_fail(
		    "a join after is_alive returned 0 returns 0 at once "
		    "with the exit code",
		    r < 0 && e == ECHILD
		        ? "is_alive may reap the worker: then remember "
		          "the exit code and that it was reaped, and "
		          "join returns 0 without waiting again"
		        : "set exitcode wherever the worker is reaped",
		    "join returned %d (errno %d: %s) after %.3f s, exitcode "
		    "%d (run returned 6)",
		    r, e, strerror(e), t, w.exitcode);
	if (worker_is_alive(&w) != 0)
		fl_fail("is_alive is 0 after the end",
		        "a reaped worker is not alive", "it returned 1");
}

/* 7. the child's process name is the worker's name */
static void child_name(void)
{
	static const struct {
		const char *name, *shows;
	} cases[] = {
		{ "rinser", "rinser" },
		{ "a-very-long-worker-name", "a-very-long-wor" }, /* 15 */
	};

	setup();
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct worker w = { 0 };
		const struct fl_proc *p, *me;

		worker_init(&w, &held, cases[c].name);
		if (!memchr(w.name, '\0', sizeof w.name) ||
		    strcmp(w.name, cases[c].shows))
			fl_fail(
			    "worker_init keeps the name, cut to 15 bytes",
			    "copy at most 15 bytes and end with a NUL",
			    "worker_init(w, ops, \"%s\") left name \"%.16s\"",
			    cases[c].name, w.name);
		start_held(&w, 0, cases[c].name);
		p = kernel(w.pid);
		me = fl_find(procs, nprocs, fl_main_pid());
		release();
		if (!p || strcmp(p->name, cases[c].shows))
			fl_fail("while the worker runs, its process name "
			        "(/proc/PID/comm) is the worker's name",
			        "in the child, before the hooks: "
			        "prctl(PR_SET_NAME, w->name) when the name is "
			        "not empty",
			        "worker \"%s\" ran as \"%s\" (the caller is "
			        "\"%s\")",
			        cases[c].shows, p ? p->name : "?",
			        me ? me->name : "?");
		join(&w, cases[c].name);
	}
}

/* 8. the grader's own subclasses work; ten workers at once */

/* Two subclasses of the grader's own, with fields of different types after
 * the base, so that a hook that does not get the enclosing struct reads
 * garbage. */
struct washer {
	struct worker base; /* first: a washer is a worker */
	int slot;
	int loads, soap; /* run: loads * soap */
};

struct dryer {
	struct worker base; /* first: a dryer is a worker */
	double minutes;     /* run: minutes * 2 */
	const char *label;
	int slot;
};

/* Ten at once: each waits for all ten, then they leave in reverse order, so
 * that a join that reaps whichever child ends first gets the wrong one. */
static void meet(int slot)
{
	fl_counter_add(&seen->arrived, 1);
	/* Once one worker waited in vain the others do not wait at all, so
	 * that workers run one after another fail fast. */
	if (seen->waited_in_vain)
		return;
	if (fl_counter_wait(&seen->arrived, CREW, HOLD_S) < 0) {
		seen->running_then = seen->arrived.v;
		seen->waited_in_vain = 1;
		return;
	}
	fl_counter_wait(&seen->departed, CREW - 1 - slot, 1.0);
	fl_counter_add(&seen->departed, 1);
}

static void note_slot(int slot, struct worker *self, int result)
{
	if (slot < 0 || slot >= CREW)
		return;
	seen->self[slot] = self;
	seen->pid[slot] = getpid();
	seen->result[slot] = result;
}

static int washer_setup(struct worker *self)
{
	struct washer *wa = (struct washer *)self;

	return wa->soap > 0 ? 0 : 1;
}

static int washer_run(struct worker *self)
{
	struct washer *wa = (struct washer *)self;

	note_slot(wa->slot, self, wa->loads * wa->soap);
	meet(wa->slot);
	return 20 + wa->slot;
}

/* Passes run's value on (check 3 judges finish's value; this one only has
 * to reach the washer's fields from self once more). */
static int washer_finish(struct worker *self, int result)
{
	struct washer *wa = (struct washer *)self;

	return result == 20 + wa->slot ? result : 1;
}

static int dryer_run(struct worker *self)
{
	struct dryer *d = (struct dryer *)self;
	int result = (int)(d->minutes * 2) + (d->label[0] == 'd');

	note_slot(d->slot, self, result);
	meet(d->slot);
	return 20 + d->slot;
}

static const struct worker_ops washer_ops = { washer_setup, washer_run,
	                                      washer_finish };
static const struct worker_ops dryer_ops = { NULL, dryer_run, NULL };

static void helper_exits(void *arg)
{
	(void)arg;
	_exit(HELPER);
}

static void own_subclasses(void)
{
	static struct washer wa[CREW / 2];
	static struct dryer dr[CREW / 2];
	struct worker *crew[CREW];
	int want[CREW], st;
	pid_t helper;

	setup();
	/* A child of the caller that is none of the workers: ended, and not
	 * to be reaped by worker_join. */
	helper = fl_spawn_helper(helper_exits, NULL);
	wait_ended(helper);
	for (int i = 0; i < CREW / 2; i++) {
		worker_init(&wa[i].base, &washer_ops, "washer");
		wa[i].slot = 2 * i;
		wa[i].loads = i + 1;
		wa[i].soap = 3;
		want[2 * i] = 3 * (i + 1);
		crew[2 * i] = &wa[i].base;
		worker_init(&dr[i].base, &dryer_ops, "dryer");
		dr[i].minutes = 10.5 + i;
		dr[i].label = "dry";
		dr[i].slot = 2 * i + 1;
		want[2 * i + 1] = 21 + 2 * i + 1;
		crew[2 * i + 1] = &dr[i].base;
	}
	for (int i = 0; i < CREW; i++)
		start(crew[i], i % 2 ? "a dryer" : "a washer");
	for (int i = 0; i < CREW; i++)
		join(crew[i], i % 2 ? "a dryer" : "a washer");
	if (seen->waited_in_vain)
		fl_fail("ten workers run at the same time",
		        "worker_start returns as soon as the child exists; "
		        "only join waits",
		        "a worker waited %.0f s and saw %u of %d running",
		        HOLD_S, seen->running_then, CREW);
	for (int i = 0; i < CREW; i++) {
		if (seen->self[i] != crew[i] || seen->result[i] != want[i])
			fl_fail("each hook gets the worker's own address as "
			        "self, and reaches its subclass's fields",
			        "pass w itself to the hooks, not a copy of "
			        "struct worker: the subclass's fields follow "
			        "the base in memory",
			        "worker %d got self %p (the worker is at %p) "
			        "and computed %d, expected %d",
			        i, seen->self[i], (void *)crew[i],
			        seen->result[i], want[i]);
		if (crew[i]->exitcode != 20 + i)
			fl_fail("each worker's exitcode is its own child's",
			        crew[i]->exitcode == HELPER
			            ? "worker_join reaped another child of "
			              "the caller: wait for w->pid only, "
			              "never wait() or waitpid(-1)"
			            : "wait for w->pid only: with several "
			              "workers, wait() returns whichever child "
			              "ended first",
			        "worker %d (pid %d) has exitcode %d, its child "
			        "exited with %d",
			        i, (int)crew[i]->pid, crew[i]->exitcode,
			        20 + i);
	}
	if (waitpid(helper, &st, WNOHANG) != helper)
		fl_fail("worker_join leaves the caller's other children alone",
		        "wait for w->pid only, never wait() or waitpid(-1)",
		        "another child of the caller (pid %d, ended) was "
		        "reaped by the submission",
		        (int)helper);
}

/* 9. checked_worker: 0 right, 3 wrong, 2 for a negative input */
static int square(int x)
{
	fl_counter_add(&seen->job_calls, 1);
	return x * x;
}

static void checked_worker(void)
{
	static const struct {
		int input, expected, want;
		const char *hint;
	} cases[] = {
		{ 7, 49, 0, "finish: 0 when job(input) equals expected" },
		{ 5, 24, 3, "finish: 3 when job(input) differs from expected" },
		{ -4, 16, 2,
		  "setup: 2 for a negative input, and then run (and job) "
		  "never runs" },
	};

	setup();
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct checked_worker cw = { 0 };

		seen->job_calls.v = 0;
		checked_worker_init(&cw, "checker", square, cases[c].input,
		                    cases[c].expected);
		start(&cw.base, "a checked_worker");
		join(&cw.base, "a checked_worker");
		if (cw.base.exitcode != cases[c].want ||
		    seen->job_calls.v != (cases[c].input < 0 ? 0u : 1u))
			fl_fail("checked_worker exits 0 on a right result, 3 "
			        "on a wrong one, 2 on a negative input "
			        "(without calling job)",
			        cases[c].hint,
			        "input %d, expected %d: exitcode %d (want %d), "
			        "job called %u times",
			        cases[c].input, cases[c].expected,
			        cw.base.exitcode, cases[c].want,
			        seen->job_calls.v);
	}
}
