/*
 * 06-pool.c - the grader of 06-pool: one test per numbered check of the
 * sheet, in its order (the table is 06-pool.tests).
 *
 * The functions a pool computes are the grader's own; they run in the
 * workers and leave what they saw (their pid, the time of a death) in
 * shared memory mapped before pool_create. Process counts, parents and
 * reaping come from fl_procs(), the kernel's record. Every call into the
 * pool runs under a watchdog (SIGALRM) that fails the test with feedback
 * when the call hangs. Only checks 6 and 7 close their pools: elsewhere the
 * end of the run stops the workers, so that a pool_close that hangs costs
 * only the checks about closing.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "driver.h"
#include "pool.h"

#define FL_TESTS "06-pool.tests"
#include "tests.inc"

#define MAXPROCS 512
#define MAXCALLS 4096 /* calls of fn whose pid is kept */
#define BIGN     100000
#define RATE_MAX 2000000 /* check 8: items at most */
#define RATE_S   0.5     /* check 8: no new map after this many seconds */
#define DIE_S    1.0     /* check 6: a death is reported within this */
#define AT_ONCE  0.5     /* check 6: a broken pool refuses a map within this */
#define GUARD_S  4.0     /* the longest a call may take before it hangs */

/* What the workers saw, shared with every child. */
static struct shared {
	fl_counter release;
	uint32_t ncalls;
	pid_t pid[MAXCALLS];
	double t_death;
} * sh;

static struct fl_proc procs[MAXPROCS];

static void setup(void)
{
	sh = fl_shared(sizeof *sh);
}

/* ---- the watchdog ---- */

static char guard_expected[256], guard_hint[512], guard_observed[512];

static void on_guard(int sig)
{
	(void)sig;
	fl_fail(guard_expected, guard_hint, "%s", guard_observed);
}

/* Fail with this feedback if the main process is still inside the pool
 * seconds from now. */
static void guard(double seconds, const char *expected, const char *hint,
                  const char *observed)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	snprintf(guard_expected, sizeof guard_expected, "%s", expected);
	snprintf(guard_hint, sizeof guard_hint, "%s", hint);
	snprintf(guard_observed, sizeof guard_observed, "%s", observed);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_guard;
	sigaction(SIGALRM, &sa, NULL);
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (long)((seconds - (time_t)seconds) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void unguard(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* ---- the functions the workers compute ---- */

static long value(long x)
{
	return x * 3 + ((x >> 5) ^ 0x5a5a);
}

static void note_call(void)
{
	uint32_t i = __atomic_fetch_add(&sh->ncalls, 1, __ATOMIC_SEQ_CST);

	if (i < MAXCALLS)
		sh->pid[i] = getpid();
}

static long f_value(long x)
{
	return value(x);
}

static long f_record(long x)
{
	note_call();
	return value(x);
}

/* x milliseconds of work (a sleep), then 2x. */
static long f_sleep(long x)
{
	note_call();
	fl_sleep(x / 1000.0);
	return 2 * x;
}

/* As f_sleep, but a negative x kills the worker (abort). */
static long f_die(long x)
{
	if (x < 0) {
		sh->t_death = fl_now();
		abort();
	}
	return f_sleep(x);
}

static long f_inc(long x)
{
	return x + 1;
}

/* ---- helpers of the tests ---- */

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

static struct pool *create(int nworkers, long (*fn)(long))
{
	struct pool *p;

	errno = 0;
	guard(GUARD_S, "pool_create returns once the workers are started",
	      "fork the workers and return; do not wait for them",
	      "pool_create had not returned after 4 s");
	p = pool_create(nworkers, fn);
	unguard();
	if (!p)
		fl_fail("pool_create(n, fn) returns a pool",
		        "fork n workers, keep their pids and channels",
		        "pool_create(%d, fn) returned NULL (errno %d: %s)",
		        nworkers, errno, strerror(errno));
	return p;
}

/* pool_map that must succeed, under the watchdog. */
static void map_ok(struct pool *p, const long *in, long *out, size_t n)
{
	char what[256];
	int r;

	snprintf(what, sizeof what,
	         "pool_map of %zu items had not returned after %.0f s", n,
	         GUARD_S);
	guard(GUARD_S, "pool_map returns once every item is computed",
	      "wait for every worker's results with poll, read each answer "
	      "whole (loop on short reads), and do not wait for answers to "
	      "items never handed out",
	      what);
	errno = 0;
	r = pool_map(p, in, out, n);
	unguard();
	if (r != 0)
		fl_fail("pool_map returns 0 when every worker lives",
		        "return 0 once out[0..n) is filled",
		        "pool_map of %zu items returned %d (errno %d: %s)", n,
		        r, errno, strerror(errno));
}

/* The pids of the processes created since t0 (not threads, not the main
 * process), into pids; returns how many. */
static int created_since(double t0, pid_t parent, pid_t *pids, int max)
{
	int n = record(NULL), k = 0;

	for (int i = 0; i < n; i++)
		if (!procs[i].thread && procs[i].start >= t0 &&
		    procs[i].pid != fl_main_pid() &&
		    (!parent || procs[i].ppid == parent) && k < max)
			pids[k++] = procs[i].pid;
	return k;
}

/* 1. results right and in order for n = 0, 1, 7 and 100,000 */
static void results_in_order(void)
{
	static const size_t sizes[] = { 0, 1, 7, BIGN };
	static long in[BIGN + 1], out[BIGN + 1];
	struct pool *p;

	setup();
	p = create(4, f_value);
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k];

		for (size_t i = 0; i <= n; i++) {
			in[i] = (long)((i + 7 * k) * 2654435761u) - 2000000000L;
			out[i] = -777;
		}
		map_ok(p, in, out, n);
		for (size_t i = 0; i < n; i++) {
			size_t j = 0;

			if (out[i] == value(in[i]))
				continue;
			while (j < n && out[i] != value(in[j]))
				j++;
			fl_fail(
			    "out[i] = fn(in[i]) for every i, in order, for "
			    "n = 0, 1, 7 and 100,000",
			    j < n ? "put each result at the index of its "
			            "input: remember which items each worker "
			            "holds, or send the index with the item"
			          : "every item must be computed and its "
			            "result stored; read whole answers",
			    "with n = %zu, out[%zu] = %ld where fn(in[%zu]) = "
			    "%ld%s",
			    n, i, out[i], i, value(in[i]),
			    j < n ? " (that is the result of another item)"
			          : "");
		}
		if (out[n] != -777)
			fl_fail("pool_map writes out[0..n) only",
			        "write n results, no more",
			        "with n = %zu, out[%zu] was written", n, n);
	}
	fl_note("maps of 0, 1, 7 and 100,000 items on 4 workers: right and "
	        "in order");
}

/* 2. exactly nworkers processes, all by pool_create, none by pool_map */
static void worker_count(void)
{
	static const size_t sizes[] = { 10, 1000, 3, 0, 20000 };
	static long in[20000], out[20000];
	pid_t pids[MAXPROCS];
	double t0, t1;
	struct pool *p;
	int all, kids, n;

	setup();
	record(&t0);
	p = create(3, f_value);
	all = created_since(t0, 0, pids, MAXPROCS);
	kids = created_since(t0, fl_main_pid(), pids, MAXPROCS);
	if (all != 3 || kids != 3)
		fl_fail("pool_create(3, fn) creates exactly 3 processes, all "
		        "children of the caller",
		        all == 0 ? "a worker is a process (fork), not a thread"
		                 : "fork once per worker, in the caller; a "
		                   "child must not go back into the loop",
		        "the kernel saw %d processes created (%d of them "
		        "children of the caller)",
		        all, kids);
	record(&t1);
	for (size_t i = 0; i < 20000; i++)
		in[i] = (long)i;
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		map_ok(p, in, out, sizes[k]);
	all = created_since(t1, 0, pids + 3, MAXPROCS - 3);
	if (all)
		fl_fail("pool_map creates no process: the 3 workers of "
		        "pool_create do all the maps",
		        "fork only in pool_create; a map sends work to the "
		        "workers that already run",
		        "5 maps (10, 1000, 3, 0 and 20,000 items) created %d "
		        "processes",
		        all);
	n = record(NULL);
	for (int i = 0; i < 3; i++) {
		const struct fl_proc *w = fl_find(procs, n, pids[i]);

		if (!w || w->state != 'A')
			fl_fail("the 3 workers live from pool_create on, "
			        "through every map",
			        "a worker loops: wait for work, compute, "
			        "answer; it ends only when the pool closes",
			        "worker pid %d %s after 5 maps", (int)pids[i],
			        !w                ? "is unknown"
			        : w->state == 'Z' ? "has ended (a zombie)"
			                          : "has ended");
	}
}

/* 3. fn runs only in the workers */
static void fn_in_workers(void)
{
	static const size_t sizes[] = { 1, 50, 7 };
	long in[50], out[50];
	struct pool *p;
	uint32_t calls;

	setup();
	p = create(3, f_record);
	for (size_t i = 0; i < 50; i++)
		in[i] = (long)i;
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		uint32_t before = sh->ncalls;

		map_ok(p, in, out, sizes[k]);
		calls = sh->ncalls;
		if (calls == before)
			fl_fail("fn runs for the items of each map",
			        "the workers call fn on each item",
			        "a map of %zu items never called fn", sizes[k]);
		for (uint32_t c = before; c < calls && c < MAXCALLS; c++)
			if (sh->pid[c] == fl_main_pid())
				fl_fail(
				    "fn runs only in the workers, never in "
				    "the caller",
				    "send every item to a worker, even when "
				    "there is only one: the caller hands out "
				    "and collects, it never computes",
				    "in a map of %zu items, fn ran in the "
				    "caller (pid %d)",
				    sizes[k], (int)fl_main_pid());
	}
}

/* Distinct pids among the calls of fn since call number from, the
 * caller's not counted. */
static int distinct_workers(uint32_t from)
{
	pid_t seen[64];
	int k = 0;

	for (uint32_t c = from; c < sh->ncalls && c < MAXCALLS; c++) {
		int i = 0;

		if (sh->pid[c] == fl_main_pid())
			continue;

		while (i < k && seen[i] != sh->pid[c])
			i++;
		if (i == k && k < 64)
			seen[k++] = sh->pid[c];
	}
	return k;
}

/* A map of sleeping items, timed. Its results are check 1's business. */
static double timed_map(struct pool *p, const long *in, long *out, size_t n)
{
	double t0 = fl_now();

	map_ok(p, in, out, n);
	return fl_now() - t0;
}

/* 4. 8 items of 100 ms on 4 workers */
static void parallel(void)
{
	long in[8], out[8];
	struct pool *p;
	double el;
	int k, maps = 1;

	setup();
	p = create(4, f_sleep);
	for (int i = 0; i < 8; i++)
		in[i] = 100;
	el = timed_map(p, in, out, 8);
	/* Where workers take items for themselves (one shared task pipe),
	 * a worker the scheduler kept off the CPU may draw none: two more
	 * maps give it the chance a loaded machine took away. */
	while ((k = distinct_workers(0)) < 4 && maps < 3) {
		timed_map(p, in, out, 8);
		maps++;
	}
	if (k < 4)
		fl_fail(
		    "every one of the 4 workers gets work when 8 items "
		    "are mapped",
		    "hand an item to each idle worker, not all of them to "
		    "the first one",
		    "in %d maps of 8 items, fn ran in %d worker process(es)",
		    maps, k);
	fl_note("8 items of 100 ms on 4 workers: %.3f s (one after another: "
	        "0.8 s; all in parallel: 0.2 s)",
	        el);
	fl_metric(el);
}

/* 5. 4 items of 200 ms then 28 of 10 ms on 4 workers */
static void uneven_items(void)
{
	long in[32], out[32];
	struct pool *p;
	double el;

	setup();
	p = create(4, f_sleep);
	for (int i = 0; i < 32; i++)
		in[i] = i < 4 ? 200 : 10;
	el = timed_map(p, in, out, 32);
	fl_note("4 items of 200 ms then 28 of 10 ms on 4 workers: %.3f s (a "
	        "block of 8 items per worker takes 0.84 s; on demand, about "
	        "0.28 s)",
	        el);
	fl_metric(el);
}

/* 6. a dead worker: -1 with EPIPE within a second, no hang */
static int map_broken(struct pool *p, const long *in, long *out, size_t n,
                      double *el, int *err)
{
	char what[256];
	int r;

	snprintf(what, sizeof what,
	         "pool_map of %zu items on a pool whose worker died had not "
	         "returned after %.0f s",
	         n, GUARD_S);
	guard(GUARD_S,
	      "pool_map returns -1 with errno EPIPE within a second "
	      "of a worker's death, and never hangs",
	      "watch every worker with poll: a dead worker's socket or pipe "
	      "shows end-of-file (POLLHUP, read returns 0) at once, if no "
	      "other process holds its other end open",
	      what);
	*el = fl_now();
	errno = 0;
	r = pool_map(p, in, out, n);
	*err = errno;
	*el = fl_now() - *el;
	unguard();
	return r;
}

static void close_broken(struct pool *p, const char *why)
{
	int r;

	guard(GUARD_S, "pool_close of a broken pool returns -1",
	      "kill (SIGKILL) and reap the workers that are left; a worker "
	      "stuck in fn never reads end-of-file",
	      "pool_close had not returned after 4 s");
	r = pool_close(p);
	unguard();
	if (r != -1)
		fl_fail("pool_close returns -1 when a worker did not end with "
		        "status 0",
		        "check each worker's status from waitpid: a worker "
		        "killed by a signal did not end with 0",
		        "after %s, pool_close returned %d", why, r);
}

/* A process of the pool alive now, created since t0: a child of the caller
 * if there is one. 0 if none. */
static pid_t live_worker(double t0)
{
	int n = record(NULL);
	pid_t any = 0;

	for (int i = 0; i < n; i++) {
		const struct fl_proc *w = &procs[i];

		if (w->thread || w->start < t0 || w->pid == fl_main_pid() ||
		    w->state != 'A')
			continue;
		if (w->ppid == fl_main_pid())
			return w->pid;
		if (!any)
			any = w->pid;
	}
	return any;
}

static void dead_worker(void)
{
	long in[20], out[20];
	struct pool *p;
	double el, t0, now;
	pid_t victim;
	int r, e, pfd;

	setup();
	/* A worker dies in the middle of a map. */
	p = create(4, f_die);
	for (int i = 0; i < 20; i++)
		in[i] = i == 5 ? -1 : 20;
	r = map_broken(p, in, out, 20, &el, &e);
	now = fl_now();
	if (r != -1 || e != EPIPE)
		fl_fail("a worker that dies in the middle of a map (fn calls "
		        "abort()) makes pool_map return -1 with errno EPIPE",
		        "a short read or end-of-file from a worker means it "
		        "died: mark the pool broken, set errno = EPIPE, return "
		        "-1",
		        "pool_map returned %d (errno %d: %s)%s", r, e,
		        strerror(e),
		        sh->t_death > 0 ? "" : "; fn never saw the fatal item");
	if (sh->t_death > 0 && now - sh->t_death > DIE_S)
		fl_fail("pool_map returns -1 within a second of the death",
		        "sleep in poll on every worker's channel, so that the "
		        "death wakes you; do not wait for the other items "
		        "first",
		        "it returned %.2f s after the worker died",
		        now - sh->t_death);
	fl_note("a worker died in a map: -1/EPIPE %.3f s after the death",
	        sh->t_death > 0 ? now - sh->t_death : el);
	/* A broken pool refuses every later map at once. */
	for (size_t n = 0; n <= 4; n += 4) {
		for (int i = 0; i < 4; i++)
			in[i] = 1;
		r = map_broken(p, in, out, n, &el, &e);
		if (r != -1 || e != EPIPE || el > AT_ONCE)
			fl_fail(
			    "after a worker died, every later map (n = 0 "
			    "included) fails at once with -1 and EPIPE",
			    "remember that the pool is broken and test it "
			    "first thing in pool_map, before looking at n",
			    "a later map of %zu items returned %d (errno %d: "
			    "%s) after %.3f s",
			    n, r, e, strerror(e), el);
	}
	close_broken(p, "a worker died in a map");

	/* A worker dies between two maps. */
	record(&t0);
	p = create(4, f_die);
	for (int i = 0; i < 8; i++)
		in[i] = 1;
	map_ok(p, in, out, 8);
	victim = live_worker(t0);
	if (!victim) {
		/* Nothing of the pool's lives between maps (processes made
		 * per map): check 2's business, nothing to kill here. */
		fl_note("no process of the pool lives between maps: the "
		        "death between maps was not tested");
		return;
	}
	kill(victim, SIGKILL);
	/* Wait until it is a zombie (or reaped): its descriptors are then
	 * all closed, as the sheet's note asks. */
	pfd = (int)syscall(SYS_pidfd_open, victim, 0);
	if (pfd >= 0) {
		struct pollfd pf = { pfd, POLLIN, 0 };

		poll(&pf, 1, 2000);
		close(pfd);
	}
	for (int tries = 0; tries < 100; tries++) {
		int n = record(NULL);
		const struct fl_proc *w = fl_find(procs, n, victim);

		if (!w || w->state == 'Z' || w->state == 'R')
			break;
		fl_sleep(0.01);
	}
	r = map_broken(p, in, out, 8, &el, &e);
	if (r != -1 || e != EPIPE || el > DIE_S)
		fl_fail("a worker that died between two maps (killed with "
		        "SIGKILL) makes the next map return -1 with errno "
		        "EPIPE within a second",
		        "before handing out work, and while waiting for "
		        "answers, watch every worker: poll its channel for "
		        "POLLHUP, or its pidfd; the remaining workers must not "
		        "quietly do the dead one's share",
		        "the next map of 8 items returned %d (errno %d: %s) "
		        "after %.3f s",
		        r, e, strerror(e), el);
	close_broken(p, "a worker was killed between maps");
}

/* 7. pool_close reaps every worker */
static void bystander(void *arg)
{
	(void)arg;
	fl_counter_wait(&sh->release, 1, 3.0);
}

static void close_reaps(void)
{
	static long in[50], out[50];
	const struct fl_proc *b;
	struct pool *p;
	double t0;
	pid_t other;
	int n, r, workers = 0;

	setup();
	/* A child of the caller that is not the pool's: pool_close must
	 * leave it alone (forked first, so it holds none of the pool's
	 * descriptors). */
	other = fl_spawn_helper(bystander, NULL);
	record(&t0);
	p = create(4, f_value);
	for (int i = 0; i < 50; i++)
		in[i] = i;
	map_ok(p, in, out, 50);
	map_ok(p, in, out, 10);
	guard(GUARD_S + 2, "pool_close returns once every worker is reaped",
	      "close the workers' channels (end-of-file tells them to "
	      "stop), then waitpid each worker by its pid; a worker that "
	      "still holds another worker's channel never sees end-of-file",
	      "pool_close had not returned after 6 s");
	r = pool_close(p);
	unguard();
	if (r != 0)
		fl_fail("pool_close returns 0 when every worker ends with "
		        "status 0",
		        "a worker that reads end-of-file ends with _exit(0)",
		        "it returned %d (errno %d: %s)", r, errno,
		        strerror(errno));
	n = record(NULL);
	for (int i = 0; i < n; i++) {
		const struct fl_proc *w = &procs[i];

		if (w->thread || w->start < t0 || w->pid == fl_main_pid() ||
		    w->pid == other)
			continue;
		workers++;
		if (w->state != 'R')
			fl_fail("every worker has ended and been reaped when "
			        "pool_close returns",
			        w->state == 'Z'
			            ? "waitpid each worker by its "
			              "pid, or it stays a zombie"
			            : "tell each worker to stop and "
			              "wait until it has",
			        "pid %d (parent %d) is %s", (int)w->pid,
			        (int)w->ppid,
			        w->state == 'Z' ? "a zombie, never reaped"
			                        : "still running");
	}
	b = fl_find(procs, n, other);
	if (!b || b->state != 'A')
		fl_fail("pool_close waits only for the pool's workers: another "
		        "child of the caller is left alone",
		        "waitpid(pid, ...) with each worker's pid, never "
		        "wait() or waitpid(-1, ...)",
		        "a child of the caller that is not a worker was %s "
		        "when pool_close returned",
		        !b                ? "unknown"
		        : b->state == 'R' ? "reaped"
		                          : "ended");
	fl_counter_add(&sh->release, 1);
	if (fl_wait_child(other, 3.0, NULL) != 0)
		fl_fail("the grader's own child can be reaped",
		        "pool_close must not reap other children",
		        "it could not be reaped (errno %d: %s)", errno,
		        strerror(errno));
	fl_note("%d workers, all reaped by pool_close", workers);
}

/* 8. throughput on trivial items */
static void throughput(void)
{
	static long in[RATE_MAX], out[RATE_MAX];
	size_t done = 0, n = 100;
	struct pool *p;
	double t0, el;
	int r;

	setup();
	p = create(4, f_inc);
	for (size_t i = 0; i < RATE_MAX; i++)
		in[i] = (long)i;
	/* Maps that double in size, until RATE_MAX items or RATE_S seconds:
	 * a slow pool is measured without running into the timeout. */
	t0 = fl_now();
	while (done < RATE_MAX && fl_now() - t0 < RATE_S) {
		if (n > RATE_MAX - done)
			n = RATE_MAX - done;
		guard(GUARD_S, "pool_map returns once every item is computed",
		      "wait for the workers' answers with poll",
		      "a pool_map of trivial items had not returned after 4 s");
		errno = 0;
		r = pool_map(p, in + done, out + done, n);
		unguard();
		if (r != 0) {
			/* Whether maps fail is for the other checks: the rate
			 * is that of the items mapped up to here. */
			if (done == 0)
				fl_fail("pool_map of trivial items returns 0",
				        "return 0 once out[0..n) is filled",
				        "pool_map of %zu items returned %d "
				        "(errno %d: %s)",
				        n, r, errno, strerror(errno));
			fl_note("pool_map of %zu items returned %d (errno %d: "
			        "%s); the rate counts the items mapped before",
			        n, r, errno, strerror(errno));
			break;
		}
		done += n;
		n *= 2;
	}
	el = fl_now() - t0;
	fl_note("%zu trivial items on 4 workers in %.3f s: %.0f items/s", done,
	        el, done / el);
	fl_metric(done / el);
}
