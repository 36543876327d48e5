/*
 * 07-barrier.c - the grader of 07-barrier: one test per numbered check of the
 * sheet, in its order (the table is 07-barrier.tests).
 *
 * Theory of operation. The grader's main process creates the barrier and
 * forks the processes that use it (helpers of its own, which call the
 * submission's functions); it never waits at the barrier itself, so that a
 * barrier that hangs leaves it free to notice, stop the helpers and say
 * where they were. Each helper stamps every arrival and departure itself
 * (fl_now() just before and just after each wait) into shared memory, and
 * keeps two counters there: waits called and waits returned. A helper that
 * leaves round q checks at once that every party has called its wait of
 * round q; if one has not, the barrier let it get a round ahead, and the
 * helper writes down who and where. Delays between rounds are random, from
 * a seed taken afresh for each run and noted in the feedback, so a failure
 * can be replayed. In checks 1 to 3 every helper is back from its wait
 * before any starts the next round: a missing second phase, which needs a
 * fast re-entry to show, is check 7's alone and never costs those checks
 * points by chance. Check 7 makes a process slow for sure by stopping it
 * (SIGSTOP) inside its wait, while the others re-enter at once.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "barrier.h"
#include "driver.h"

#define FL_TESTS "07-barrier.tests"
#include "tests.inc"

#define MAXK    8   /* helpers in one test */
#define MAXR    500 /* rounds recorded */
#define STUCK   999 /* exit code of a helper that had to be killed */
#define STAMP_R 8   /* rounds with stamps (checks 1 and 7) */

/* What the helpers saw, shared with every one of them. */
static struct board {
	fl_counter ready; /* helpers about to make their first wait */
	fl_counter go;    /* the grader's word to start */
	fl_counter go2;   /* the grader's second word (checks 6, 7) */
	fl_counter out;   /* checks 1-3: waits returned, all helpers */
	fl_counter back;  /* check 6: helpers back from the broken round */
	fl_counter called[MAXK];   /* per helper: waits called */
	fl_counter returned[MAXK]; /* per helper: waits returned */
	double arrive[STAMP_R][MAXK], depart[STAMP_R][MAXK];
	short num[MAXR][MAXK];   /* what each wait returned */
	int err[MAXR][MAXK];     /* errno after a wait that returned -1 */
	double took[MAXR][MAXK]; /* how long each wait took (checks 4, 6) */
	/* The first process seen a round ahead. */
	int ahead, ahead_proc, ahead_round, ahead_lag, ahead_lag_called;
	double t_first, t_last; /* check 8: after the first and last round */
} * bd;

static struct mpbarrier *bar;
static unsigned parties; /* of bar */
static unsigned seed;
static pid_t kids[MAXK]; /* 0 once reaped */
static int codes[MAXK];  /* their exit codes, STUCK if killed */
static int nkids;
static void (*role)(int id);

/* ---- helpers' side ---- */

static uint32_t load(fl_counter *c)
{
	return __atomic_load_n(&c->v, __ATOMIC_SEQ_CST);
}

/* A plain store for the hot loops: nobody sleeps on these counters. */
static void store(fl_counter *c, uint32_t v)
{
	__atomic_store_n(&c->v, v, __ATOMIC_SEQ_CST);
}

/* xorshift32: a private stream of numbers per helper, from the run's seed. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static uint32_t stream(int id)
{
	uint32_t s = seed ^ (0x9e3779b9u * (uint32_t)(id + 1));

	return s ? s : 1;
}

/* Sleep a random time in [0, max) seconds: the work between two rounds. */
static void pause_random(uint32_t *s, double max)
{
	double d = max * (rnd(s) % 1000000) / 1e6;

	if (d > 0)
		fl_sleep(d);
}

/* Wait at the barrier as helper id, for its round q (its q-th wait): count
 * the call, stamp, record the number, and check that nobody is left behind
 * in round q. Returns what the wait returned. */
static int wait_round(int id, int q, double timeout)
{
	double a, d;
	int n, e;

	fl_counter_add(&bd->called[id], 1); /* now q + 1 */
	a = fl_now();
	errno = 0;
	n = timeout > 0 ? mpbarrier_wait_timeout(bar, timeout)
	                : mpbarrier_wait(bar);
	e = errno;
	d = fl_now();
	if (q < MAXR) {
		bd->num[q][id] = (short)n;
		bd->err[q][id] = n < 0 ? e : 0;
		bd->took[q][id] = d - a;
	}
	if (q < STAMP_R) {
		bd->arrive[q][id] = a;
		bd->depart[q][id] = d;
	}
	for (unsigned j = 0; n >= 0 && j < parties; j++) {
		uint32_t c = load(&bd->called[j]);

		if (c < (uint32_t)q + 1 &&
		    !__atomic_exchange_n(&bd->ahead, 1, __ATOMIC_SEQ_CST)) {
			bd->ahead_proc = id;
			bd->ahead_round = q;
			bd->ahead_lag = (int)j;
			bd->ahead_lag_called = (int)c;
		}
	}
	fl_counter_add(&bd->returned[id], 1);
	errno = e;
	return n;
}

/* Back from the wait of round q: wait until every party is (checks 1-3). */
static void round_over(int q)
{
	fl_counter_add(&bd->out, 1);
	fl_counter_wait(&bd->out, (uint32_t)(q + 1) * parties, 10.0);
}

static void run_role(void *arg)
{
	role((int)(intptr_t)arg);
}

/* ---- the grader's side ---- */

/* Stop and reap every helper still there (before a verdict). */
static void kill_all(void)
{
	for (int i = 0; i < nkids; i++)
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			fl_wait_child(kids[i], 5.0, NULL);
			kids[i] = 0;
		}
}

/* fl_fail, after the helpers are gone. */
__attribute__((noreturn, format(printf, 3, 4))) static void
fail(const char *expected, const char *hint, const char *fmt, ...)
{
	char observed[3000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(observed, sizeof observed, fmt, ap);
	va_end(ap);
	kill_all();
	fl_fail(expected, hint, "%s", observed);
}

/* Shared memory, the run's seed, and a barrier for n parties. */
static void setup(unsigned n)
{
	char what[80];

	bd = fl_shared(sizeof *bd);
	parties = n;
	nkids = 0;
	errno = 0;
	bar = mpbarrier_create(n);
	if (!bar) {
		snprintf(what, sizeof what,
		         "mpbarrier_create(%u) returns a barrier", n);
		fl_fail(what,
		        "put the barrier in memory shared with the processes "
		        "forked later (mmap MAP_SHARED | MAP_ANONYMOUS)",
		        "it returned NULL, errno %d (%s)", errno,
		        strerror(errno));
	}
}

/* A fresh seed for the random delays of this run, told to the student so
 * that a failure can be replayed. */
static void seed_random(void)
{
	seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	fl_note("seed %u", seed);
}

/* Start n helpers running fn(id), id 0..n-1. */
static void spawn(void (*fn)(int), int n)
{
	role = fn;
	for (int i = 0; i < n; i++) {
		pid_t p = fl_spawn_helper(run_role, (void *)(intptr_t)i);

		if (p < 0)
			fail("the grader's processes start",
			     "this is forklab's fault, not yours", "fork: %s",
			     strerror(errno));
		kids[nkids++] = p;
	}
}

/* Reap the helpers that end within timeout seconds in all. Returns how
 * many are still there. */
static int wait_all(double timeout)
{
	double end = fl_now() + timeout;
	int left = 0;

	for (int i = 0; i < nkids; i++) {
		double t = end - fl_now();

		if (kids[i] <= 0)
			continue;
		if (fl_wait_child(kids[i], t > 0 ? t : 0, &codes[i]) != 0)
			left++;
		else
			kids[i] = 0;
	}
	return left;
}

/* As wait_all; then the helpers still there are killed, and their code is
 * STUCK. Returns how many were stuck. */
static int reap_all(double timeout)
{
	int stuck = wait_all(timeout);

	for (int i = 0; stuck && i < nkids; i++)
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			fl_wait_child(kids[i], 5.0, NULL);
			codes[i] = STUCK;
			kids[i] = 0;
		}
	return stuck;
}

/* Waits returned by all helpers so far. */
static uint32_t total_returned(int n)
{
	uint32_t sum = 0;

	for (int i = 0; i < n; i++)
		sum += load(&bd->returned[i]);
	return sum;
}

/* Where each helper was: "process 0: 3 waits called, 2 returned; ...". */
static const char *progress(int n)
{
	static char buf[600];
	int off = 0;

	for (int i = 0; i < n && off < (int)sizeof buf - 80; i++)
		off += snprintf(buf + off, sizeof buf - off,
		                "%sprocess %d: %u waits called, %u returned",
		                i ? "; " : "", i, load(&bd->called[i]),
		                load(&bd->returned[i]));
	return buf;
}

/* The kernel's state letter of pid ('S' sleeping, 'R' running...). */
static char state_of(pid_t pid)
{
	char path[64], buf[512], *s, c = '?';
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return c;
	if (fgets(buf, sizeof buf, f) && (s = strrchr(buf, ')')))
		c = s[2];
	fclose(f);
	return c;
}

/* Up to timeout seconds until every pid in p[0..n) sleeps, seen twice in a
 * row: a barrier can then do nothing more by itself. 1 if so. (A process
 * that spins never sleeps: then the time runs out, which is no failure.) */
static int all_sleeping(const pid_t *p, int n, double timeout)
{
	double end = fl_now() + timeout;
	int row = 0;

	while (fl_now() < end) {
		int all = 1;

		for (int i = 0; i < n; i++)
			if (state_of(p[i]) != 'S')
				all = 0;
		row = all ? row + 1 : 0;
		if (row == 2)
			return 1;
		fl_sleep(0.002);
	}
	return 0;
}

/* No helper crashed: each ended by itself with status 0 (or was stuck). */
static void check_codes(int n)
{
	for (int i = 0; i < n; i++)
		if (codes[i] != 0 && codes[i] != STUCK)
			fail("every process calling mpbarrier_wait lives",
			     "a crash in your barrier: look for a NULL or "
			     "unshared pointer",
			     "process %d ended with exit code %d after %u "
			     "waits called",
			     i, codes[i], load(&bd->called[i]));
}

/* No wait of the first rounds of helpers 0..n-1 returned -1. */
static void check_numbers(int n, int rounds)
{
	for (int q = 0; q < rounds && q < MAXR; q++)
		for (int i = 0; i < n; i++)
			if (bd->num[q][i] < 0)
				fail("every wait returns a number in [0, "
				     "parties)",
				     "return -1 only on errors and once the "
				     "barrier is broken (by a timeout)",
				     "process %d, wait %d: -1, errno %d (%s)",
				     i, q + 1, bd->err[q][i],
				     strerror(bd->err[q][i]));
}

/* A process left a round ahead of another: the feedback. */
static void check_ahead(const char *hint)
{
	if (bd->ahead)
		fail("no process leaves round r before every process has "
		     "arrived in round r",
		     hint,
		     "process %d left round %d while process %d had called "
		     "only %d waits (it had not arrived in round %d)",
		     bd->ahead_proc, bd->ahead_round + 1, bd->ahead_lag,
		     bd->ahead_lag_called, bd->ahead_round + 1);
}

/* 1. no process leaves a round before the last one arrives */
#define R1 5
static const double offset1[4] = { 0, 0.06, 0.12, 0.18 }; /* seconds */

/* Where helper id arrives in round q: the round's random order of the four
 * offsets (the same in every helper: it comes from the seed), plus up to
 * 20 ms of its own. The first and the last of a round are always more than
 * 0.16 s apart. */
static double arrival1(int id, int q, uint32_t *own)
{
	uint32_t s = seed ^ (0x85ebca6bu * (uint32_t)(q + 1));
	int order[4] = { 0, 1, 2, 3 };

	if (!s)
		s = 1;
	for (int i = 3; i > 0; i--) {
		int j = (int)(rnd(&s) % (uint32_t)(i + 1)), k = order[i];

		order[i] = order[j];
		order[j] = k;
	}
	return offset1[order[id]] + 0.020 * (rnd(own) % 1000) / 1000;
}

static void role_staggered(int id)
{
	uint32_t s = stream(id);

	fl_counter_wait(&bd->go, 1, 5.0);
	for (int q = 0; q < R1; q++) {
		fl_sleep(arrival1(id, q, &s));
		if (wait_round(id, q, 0) < 0)
			return;
		round_over(q);
	}
}

static void no_early_leave(void)
{
	int stuck;
	double t0;

	setup(4);
	seed_random();
	spawn(role_staggered, 4);
	t0 = fl_now();
	fl_counter_add(&bd->go, 1);
	stuck = reap_all(3.0);
	check_codes(4);
	check_numbers(4, R1);
	if (stuck)
		fail("each of 4 processes passes 5 rounds of mpbarrier(4)",
		     "count the arrivals of the round in shared memory, under "
		     "a process-shared lock; the last one wakes the others",
		     "after 3 s %d processes were still waiting: %s", stuck,
		     progress(4));
	for (int q = 0; q < R1; q++) {
		int last = 0, first = 0;

		for (int i = 1; i < 4; i++) {
			if (bd->arrive[q][i] > bd->arrive[q][last])
				last = i;
			if (bd->depart[q][i] < bd->depart[q][first])
				first = i;
		}
		if (bd->depart[q][first] < bd->arrive[q][last])
			fail("no process leaves a round before the last one "
			     "arrives",
			     "a wait returns only once the round's count "
			     "reaches parties: count every arrival, and "
			     "sleep while the count is short (never a fixed "
			     "sleep)",
			     "round %d: process %d left at +%.1f ms, but "
			     "process %d arrived only at +%.1f ms",
			     q + 1, first, (bd->depart[q][first] - t0) * 1e3,
			     last, (bd->arrive[q][last] - t0) * 1e3);
	}
	check_ahead("wait until the round you arrived in is over");
	mpbarrier_destroy(bar);
}

/* 2. reusable: 500 rounds, 4 processes, random delays */
#define R2 500
static void role_rounds(int id)
{
	uint32_t s = stream(id);

	fl_counter_wait(&bd->go, 1, 5.0);
	for (int q = 0; q < R2; q++) {
		pause_random(&s, 0.002);
		if (wait_round(id, q, 0) < 0)
			return;
		round_over(q);
	}
}

static void reusable(void)
{
	int stuck, moving = 0;
	double t0;

	setup(4);
	seed_random();
	spawn(role_rounds, 4);
	t0 = fl_now();
	fl_counter_add(&bd->go, 1);
	/* Still going after 7 s: slow, or stuck? One second more tells. */
	if (wait_all(7.0)) {
		uint32_t before = total_returned(4);

		moving = wait_all(1.0) && total_returned(4) > before;
	}
	stuck = reap_all(0);
	check_codes(4);
	check_numbers(4, R2);
	check_ahead("wait until the round you arrived in is over: the count "
	            "reaches parties only when every party of the round has "
	            "arrived");
	if (stuck)
		fail("4 processes pass 500 rounds (0 to 2 ms of work each) "
		     "within 8 s",
		     moving ? "the rounds went on, but slowly: a round must "
		              "end as soon as the last party arrives (no "
		              "sleeping for a fixed time, no polling with "
		              "long naps)"
		            : "reset the count for the next round when the "
		              "last one arrives, and test and sleep under "
		              "the lock in a while loop so that no wake-up "
		              "is lost",
		     "after 8 s %d processes had not finished%s: %s", stuck,
		     moving ? " (still passing rounds, slowly)"
		            : " (no round passed in the last second)",
		     progress(4));
	fl_note("500 rounds in %.2f s", fl_now() - t0);
	mpbarrier_destroy(bar);
}

/* 3. the numbers returned in a round are 0..parties-1, each once */
#define R3 20
#define P3 5
static void role_numbers(int id)
{
	uint32_t s = stream(id);

	fl_counter_wait(&bd->go, 1, 5.0);
	for (int q = 0; q < R3; q++) {
		pause_random(&s, 0.001);
		if (wait_round(id, q, 0) < 0)
			return;
		round_over(q);
	}
}

static void numbers(void)
{
	int stuck;

	setup(P3);
	seed_random();
	spawn(role_numbers, P3);
	fl_counter_add(&bd->go, 1);
	stuck = reap_all(4.0);
	check_codes(P3);
	check_numbers(P3, R3);
	if (stuck)
		fail("5 processes pass 20 rounds", "see checks 1 and 2",
		     "after 4 s %d processes were still waiting: %s", stuck,
		     progress(P3));
	for (int q = 0; q < R3; q++) {
		unsigned seen = 0;
		int ok = 1;

		for (int i = 0; i < P3; i++) {
			int n = bd->num[q][i];

			if (n >= P3 || seen & 1u << n)
				ok = 0;
			else
				seen |= 1u << n;
		}
		if (!ok)
			fail("the 5 waits of a round return 0, 1, 2, 3 and 4, "
			     "each once",
			     "give each caller its arrival number in the "
			     "round (the count before it adds itself), read "
			     "and changed under the lock",
			     "round %d returned %d, %d, %d, %d, %d", q + 1,
			     bd->num[q][0], bd->num[q][1], bd->num[q][2],
			     bd->num[q][3], bd->num[q][4]);
	}
	mpbarrier_destroy(bar);
}

/* 4. parties = 1 returns at once with 0 */
#define R4 10
static void role_alone(int id)
{
	/* Ten plain waits, then one with a timeout: none may block. */
	for (int q = 0; q <= R4; q++)
		if (wait_round(id, q, q == R4 ? 1.0 : 0) != 0)
			return;
}

static void single_party(void)
{
	double t[R4 + 1];
	int stuck;

	setup(1);
	spawn(role_alone, 1);
	stuck = reap_all(3.0);
	if (codes[0] != 0 && codes[0] != STUCK)
		fail("mpbarrier_wait with parties = 1 returns 0",
		     "a crash in your barrier",
		     "the process ended with exit "
		     "code %d",
		     codes[0]);
	if (stuck)
		fail("with parties = 1 every wait returns at once",
		     "the caller is the last of its own round: it must not "
		     "sleep",
		     "the process blocked after %u waits called, %u returned",
		     load(&bd->called[0]), load(&bd->returned[0]));
	for (int q = 0; q <= R4; q++) {
		if (bd->num[q][0] != 0)
			fail("with parties = 1, mpbarrier_wait and "
			     "mpbarrier_wait_timeout return 0",
			     "the only caller of a round gets number 0",
			     "%s number %d returned %d (errno %d: %s)",
			     q == R4 ? "mpbarrier_wait_timeout(b, 1.0)"
			             : "mpbarrier_wait",
			     q + 1, bd->num[q][0], bd->err[q][0],
			     strerror(bd->err[q][0]));
	}
	for (int q = 0, i; q <= R4; q++) { /* sorted as they come */
		for (i = q; i > 0 && t[i - 1] > bd->took[q][0]; i--)
			t[i] = t[i - 1];
		t[i] = bd->took[q][0];
	}
	/* The median: "at once" is how a wait behaves, which one wait that
	 * a loaded machine delayed does not change. */
	fl_note("the 11 waits took %.4f s (median), %.4f s at most", t[R4 / 2],
	        t[R4]);
	mpbarrier_destroy(bar);
	fl_metric(t[R4 / 2]);
}

/* 5. no busy waiting */
static void role_blocked(int id)
{
	if (id == 0) {
		fl_counter_add(&bd->ready, 1);
		wait_round(id, 0, 0);
	} else {
		fl_counter_wait(&bd->go, 1, 5.0);
		wait_round(id, 0, 0);
	}
}

static void no_busy_wait(void)
{
	int stuck;
	double c0, c1;

	setup(2);
	spawn(role_blocked, 2);
	if (fl_counter_wait(&bd->ready, 1, 3.0) < 0)
		fail("the grader's process starts", "forklab's fault",
		     "it did not start within 3 s");
	all_sleeping(kids, 1, 0.3); /* into the wait */
	c0 = fl_cpu_of(kids[0]);
	fl_sleep(0.5);
	c1 = fl_cpu_of(kids[0]);
	/* A wait that did not block at all is check 1's and 7's business:
	 * here only the CPU it used counts. */
	fl_counter_add(&bd->go, 1);
	stuck = reap_all(2.0);
	check_codes(2);
	check_numbers(2, 1);
	if (stuck)
		fail("both waits return once the second process arrives",
		     "the last arrival must wake the sleepers "
		     "(pthread_cond_broadcast, sem_post, FUTEX_WAKE)",
		     "after 2 s: %s", progress(2));
	if (c0 < 0 || c1 < 0)
		fail("the CPU time of the waiting process", "forklab's fault",
		     "/proc could not be read");
	fl_note("CPU time used while blocked for 0.5 s: %.3f s", c1 - c0);
	if (c1 - c0 >= 0.05)
		fail("a process blocked in mpbarrier_wait for 0.5 s uses "
		     "less than 0.05 s of CPU time",
		     "a loop that checks a shared counter again and again "
		     "(even with sched_yield) burns the CPU: sleep on a "
		     "process-shared condition variable, a semaphore or a "
		     "futex",
		     "it used %.3f s of CPU time in 0.5 s", c1 - c0);
	mpbarrier_destroy(bar);
}

/* 6. a timeout breaks the barrier */
#define TMO 0.3
static void role_timeout(int id)
{
	switch (id) {
	case 0: /* waits without a timeout in the round that breaks */
		fl_counter_add(&bd->ready, 1);
		wait_round(id, 0, 0);
		fl_counter_add(&bd->back, 1);
		fl_counter_wait(&bd->go2, 1, 5.0);
		wait_round(id, 1, 0);
		break;
	case 1: /* the one whose timeout runs out */
		fl_counter_wait(&bd->ready, 1, 5.0);
		wait_round(id, 0, TMO);
		fl_counter_add(&bd->back, 1);
		fl_counter_wait(&bd->go2, 1, 5.0);
		wait_round(id, 1, TMO);
		wait_round(id, 2, 0);
		break;
	default: /* comes only after the break */
		fl_counter_wait(&bd->go2, 1, 5.0);
		wait_round(id, 0, 0);
	}
}

static const char *result(int q, int id)
{
	static char buf[4][80];
	static int k;
	char *b = buf[k++ % 4];

	if (load(&bd->returned[id]) < (uint32_t)q + 1)
		snprintf(b, 80, "did not return");
	else if (bd->num[q][id] >= 0)
		snprintf(b, 80, "returned %d", bd->num[q][id]);
	else
		snprintf(b, 80, "returned -1, errno %s",
		         bd->err[q][id] == EPIPE ? "EPIPE"
		         : bd->err[q][id] == ETIMEDOUT
		             ? "ETIMEDOUT"
		             : strerror(bd->err[q][id]));
	return b;
}

static int is_error(int q, int id, int e)
{
	return load(&bd->returned[id]) >= (uint32_t)q + 1 &&
	       bd->num[q][id] == -1 && bd->err[q][id] == e;
}

static void timeout_breaks(void)
{
	const char *hint_break =
	    "when the time runs out, mark the barrier broken for good and "
	    "wake every waiter (broadcast); a waiter woken by a break, and "
	    "every later wait, returns -1 with EPIPE";
	int stuck;
	double took;

	setup(3);
	spawn(role_timeout, 3);
	/* The two of the round that breaks come back; the third waits
	 * until then. */
	fl_counter_wait(&bd->back, 2, 3.0);
	took = bd->took[0][1];
	if (!is_error(0, 1, ETIMEDOUT))
		fail("with 2 of 3 parties, mpbarrier_wait_timeout(b, 0.3) "
		     "returns -1 with errno ETIMEDOUT",
		     "use pthread_cond_timedwait (or sem_clockwait) with an "
		     "absolute deadline on the clock of the condition "
		     "variable, and return ETIMEDOUT when it passes",
		     load(&bd->returned[1]) ? "it %s after %.3f s"
		                            : "it %s within 3 s",
		     result(0, 1), took);
	if (took < TMO - 0.01 || took > TMO + 1.5)
		fail("mpbarrier_wait_timeout(b, 0.3) gives up after 0.3 s",
		     "the timeout is in seconds (a double): deadline = now + "
		     "timeout, on CLOCK_MONOTONIC",
		     "it gave up after %.3f s", took);
	if (!is_error(0, 0, EPIPE))
		fail("the process waiting in the round that broke returns -1 "
		     "with errno EPIPE",
		     hint_break, "it %s (the timeout ran out %.1f s before)",
		     result(0, 0), 3.0 - TMO);
	fl_counter_add(&bd->go2, 1);
	stuck = reap_all(2.0);
	check_codes(3);
	if (stuck || !is_error(1, 0, EPIPE) || !is_error(1, 1, EPIPE) ||
	    !is_error(2, 1, EPIPE) || !is_error(0, 2, EPIPE))
		fail("every wait after the break returns -1 with errno EPIPE",
		     hint_break,
		     "mpbarrier_wait %s; mpbarrier_wait_timeout(b, 0.3) %s; "
		     "mpbarrier_wait %s; and in a third process, "
		     "mpbarrier_wait %s",
		     result(1, 0), result(1, 1), result(2, 1), result(0, 2));
	mpbarrier_destroy(bar);
}

/* 7. no barrier of sleeps; no overtaking by a fast re-entrant process */
#define SPREAD 0.6 /* the late process arrives this much later */
#define K7     4   /* times the slow process is stopped in its wait */

static void role_late(int id)
{
	fl_counter_wait(&bd->go, 1, 5.0);
	if (id == 2)
		fl_sleep(SPREAD);
	wait_round(id, 0, 0);
}

/* Process 0 is the slow one: the grader stops it inside its wait. It
 * arrives only when told (go: 2k+1 for round 2k, 2k+2 for round 2k+1). The
 * fast ones (1, 2) enter round 2k when told (go2: k+1) and re-enter round
 * 2k+1 at once. */
static void role_overtake(int id)
{
	for (int k = 0; k < K7; k++)
		for (int q = 2 * k; q < 2 * k + 2; q++) {
			if (id == 0)
				fl_counter_wait(&bd->go, q + 1, 5.0);
			else if (q == 2 * k)
				fl_counter_wait(&bd->go2, k + 1, 5.0);
			if (wait_round(id, q, 0) < 0)
				return;
		}
}

static void sleeps_fail(void)
{
	int stuck;

	setup(3);
	spawn(role_late, 3);
	fl_counter_add(&bd->go, 1);
	stuck = reap_all(3.0);
	check_codes(3);
	check_numbers(3, 1);
	if (stuck)
		fail("3 processes pass one round, the last 0.6 s late",
		     "see check 1", "after 3 s: %s", progress(3));
	for (int i = 0; i < 2; i++)
		if (bd->depart[0][i] < bd->arrive[0][2])
			fail("processes that arrive first wait for one that "
			     "comes 0.6 s later",
			     "sleeping is not waiting for the others: sleep "
			     "until the count of the round reaches parties "
			     "(a condition variable or semaphore), not for a "
			     "fixed time",
			     "process %d left %.3f s before the last process "
			     "arrived",
			     i, bd->arrive[0][2] - bd->depart[0][i]);
	mpbarrier_destroy(bar);
}

static void overtaking_fails(void)
{
	const char *hint =
	    "a one-phase barrier lets a process that re-enters at once "
	    "count in the wrong round, or take the wake-up meant for a "
	    "slow one: give each round a generation number and wait until "
	    "your own round's generation is over (or use two phases: "
	    "everybody in, then everybody out)";
	int st, stuck;
	pid_t slow;

	setup(3);
	spawn(role_overtake, 3);
	slow = kids[0];
	for (int k = 0; k < K7; k++) {
		/* The slow one arrives in round 2k and falls asleep. */
		fl_counter_add(&bd->go, 1);
		if (fl_counter_wait(&bd->called[0], 2 * k + 1, 2.0) < 0)
			fail("3 processes pass rounds with fast re-entries",
			     hint, "round %d: %s", 2 * k + 1, progress(3));
		all_sleeping(&slow, 1, 0.3);
		if (load(&bd->returned[0]) > (uint32_t)2 * k)
			fail("a wait blocks until every party has arrived",
			     "see check 1",
			     "round %d: the first process "
			     "left alone",
			     2 * k + 1);
		/* Now it is slow for sure: it stays stopped in its wait
		 * while the other two complete round 2k and re-enter. */
		kill(slow, SIGSTOP);
		if (waitpid(slow, &st, WUNTRACED) != slow || !WIFSTOPPED(st))
			fail("the grader stops a waiting process",
			     "forklab's fault, or your wait ended the "
			     "process",
			     "waitpid: %s", strerror(errno));
		fl_counter_add(&bd->go2, 1);
		fl_counter_wait(&bd->called[1], 2 * k + 1, 2.0);
		fl_counter_wait(&bd->called[2], 2 * k + 1, 2.0);
		all_sleeping(kids + 1, 2, 0.5);
		check_ahead(hint);
		kill(slow, SIGCONT);
		/* Continued, it must leave round 2k, and then round 2k+1
		 * can be completed by it. */
		if (fl_counter_wait(&bd->returned[0], 2 * k + 1, 2.0) < 0)
			fail("a slow process leaves the round it was released "
			     "from, even when the others have re-entered the "
			     "next one",
			     hint,
			     "round %d was complete, but the slow process "
			     "had not left it 2 s after it could run again "
			     "(%s)",
			     2 * k + 1, progress(3));
		fl_counter_add(&bd->go, 1);
		for (int i = 0; i < 3; i++)
			if (fl_counter_wait(&bd->returned[i], 2 * k + 2, 2.0) <
			    0)
				fail("all 3 processes pass round %d", hint,
				     "round %d did not complete within 2 s: "
				     "%s",
				     2 * k + 2, progress(3));
		check_ahead(hint);
	}
	stuck = reap_all(2.0);
	check_codes(3);
	check_numbers(3, 2 * K7);
	check_ahead(hint);
	if (stuck)
		fail("3 processes pass 8 rounds", hint, "after 2 s: %s",
		     progress(3));
	mpbarrier_destroy(bar);
}

static void no_sleeps_no_overtaking(void)
{
	sleeps_fail();
	overtaking_fails();
}

/* 8. rounds per second */
#define R8 20000
static void role_fast(int id)
{
	fl_counter_wait(&bd->go, 1, 5.0);
	for (int q = 0; q < R8; q++) {
		int n;

		store(&bd->called[id], q + 1);
		n = mpbarrier_wait(bar);
		if (n < 0) {
			bd->num[0][id] = (short)n;
			bd->err[0][id] = errno;
			return;
		}
		if (id == 0 && q == 0)
			bd->t_first = fl_now();
		store(&bd->returned[id], q + 1);
	}
	if (id == 0)
		bd->t_last = fl_now();
}

static void rounds_per_second(void)
{
	uint32_t done = R8, before;
	double t, rate;

	setup(4);
	spawn(role_fast, 4);
	fl_counter_add(&bd->go, 1);
	/* Long enough for a sound design. A slow one is judged by the rounds
	 * it passed in that time, if it still passes rounds: one that has
	 * stopped passing them has stopped for good. */
	if (wait_all(3.0)) {
		before = total_returned(4);
		if (wait_all(1.0) && total_returned(4) == before)
			fail("4 processes pass rounds back to back",
			     "a process that re-enters at once must not count "
			     "in the round still in progress (see check 7)",
			     "the rounds stopped: none passed in the last "
			     "second (%s)",
			     progress(4));
	}
	t = fl_now();
	for (int i = 0; i < 4; i++)
		if (load(&bd->returned[i]) < done)
			done = load(&bd->returned[i]);
	if (!reap_all(0))
		t = bd->t_last;
	check_codes(4);
	check_numbers(4, 1);
	if (done < 2 || bd->t_first == 0)
		fail("4 processes pass rounds back to back",
		     "see checks 1 and 2", "%u rounds passed in 4 s: %s", done,
		     progress(4));
	rate = (done - 1) / (t - bd->t_first);
	fl_note("%u rounds of 4 processes in %.3f s: %.0f rounds per second",
	        done - 1, t - bd->t_first, rate);
	mpbarrier_destroy(bar);
	fl_metric(rate);
}
