/*
 * 05-queue.c - the grader of 05-queue: one test per numbered check of the
 * sheet, in its order (the table is 05-queue.tests).
 *
 * Producers and consumers are the grader's own helper processes, forked
 * after mpqueue_create as the contract wants; they leave what they did in
 * shared memory and the main process judges. Every wait of the main process
 * for a helper has a deadline, and every call of the main process into the
 * submission that a broken queue could block forever runs under a watchdog
 * (SIGALRM), so a stuck queue gets feedback instead of a bare timeout. CPU
 * time comes from the kernel, leftover objects from forklab's record, never
 * from what the submission says.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/time.h>
#include <unistd.h>

#include "driver.h"
#include "mpqueue.h"

#define FL_TESTS "05-queue.tests"
#include "tests.inc"

/* Check 2: the many-producer run. */
#define NPROD    4
#define NCONS    3
#define PER_PROD 5000
#define STUCK_S  8.0 /* seconds the 7 helpers get before they count as stuck */
/* Check 3: the bounded queue. */
#define BOUND_CAP 4
#define BLOCKED_S 0.3 /* how long put number capacity+1 must stay blocked */
/* Check 4: the timed get. */
#define TIMEOUT_S 0.3
/* Check 6: the blocked get. */
#define BLOCK_S 0.5
/* Check 8: throughput. */
#define RATE_ITEMS 100000
#define RATE_CAP   64
#define RATE_S     3.0 /* longest measuring window */
/* Watchdog: how long a call of the main process into the queue may block. */
#define GUARD_S 3.0

/* An item of check 2: who put it, its number, and a check word that a torn
 * or invented item fails. */
struct item {
	uint32_t producer;
	uint32_t seq;
	uint32_t check;
};

#define STOP_PRODUCER 0xffffffffu /* a consumer's sentinel */

/* What the helpers did, shared with every child. */
static struct shared {
	fl_counter ready, go, done, finished;
	volatile int rc[8], err[8];
	volatile uint32_t progress; /* items put (or taken) so far */
	volatile uint32_t taken;    /* check 2: items taken, sentinels not */
	volatile uint32_t bad, first_bad[3];
	volatile uint32_t disorder, first_disorder[4];
	volatile double t_end;
	volatile uint32_t seen[NPROD][PER_PROD];
} * sh;

static void setup(void)
{
	sh = fl_shared(sizeof *sh);
}

/* ---- the watchdog ---- */

static char guard_expected[256], guard_hint[256], guard_observed[512];

static void on_guard(int sig)
{
	(void)sig;
	fl_fail(guard_expected, guard_hint, "%s", guard_observed);
}

/* Fail with this feedback if the main process is still inside the queue
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

/* ---- helpers of the tests ---- */

static struct mpqueue *create(size_t capacity, size_t item_size)
{
	struct mpqueue *q;

	errno = 0;
	q = mpqueue_create(capacity, item_size);
	if (!q)
		fl_fail("mpqueue_create(capacity, item_size) returns a queue",
		        "sizes in range are valid; return NULL only on a real "
		        "failure (mmap's errno)",
		        "mpqueue_create(%zu, %zu) returned NULL (errno %d: %s)",
		        capacity, item_size, errno, strerror(errno));
	return q;
}

/* End a helper: wait for it, then kill it if it is still there. Returns
 * its exit code, or 1000 if it had to be killed. */
static int end_helper(pid_t pid, double timeout)
{
	int code = 0;

	if (fl_wait_child(pid, timeout, &code) == 0)
		return code;
	kill(pid, SIGKILL);
	fl_wait_child(pid, 5.0, NULL);
	return 1000;
}

static uint32_t mix(uint32_t p, uint32_t s)
{
	uint32_t x = p * 0x9e3779b1u ^ s * 0x85ebca77u ^ 0x5bd1e995u;

	return x ^ x >> 15;
}

/* Bytes of item number seq (any size): a pattern that differs per item and
 * per byte, so that swapped, shifted and partial copies show. */
static void fill(unsigned char *b, size_t size, uint32_t seq)
{
	for (size_t i = 0; i < size; i++)
		b[i] = (unsigned char)(mix(seq, (uint32_t)i) >> 7);
}

static int matches(const unsigned char *b, size_t size, uint32_t seq)
{
	for (size_t i = 0; i < size; i++)
		if (b[i] != (unsigned char)(mix(seq, (uint32_t)i) >> 7))
			return 0;
	return 1;
}

/* 1. first in, first out in one process */
static void fifo(void)
{
	enum { CAP = 4, SIZE = 12, STEPS = 200 };
	unsigned char in[SIZE], out[SIZE];
	uint32_t next_put = 0, next_get = 0, rng = 12345;
	struct mpqueue *q;
	char what[256];
	int r;

	setup();
	q = create(CAP, SIZE);
	/* A fixed, random-looking mix of puts and gets that wraps the ring
	 * many times and fills it now and then, never past capacity. */
	for (int step = 0; step < STEPS; step++) {
		uint32_t count = next_put - next_get;

		rng = rng * 1103515245u + 12345u;
		if (count < CAP && (count == 0 || (rng >> 16) % 2)) {
			fill(in, SIZE, next_put);
			snprintf(what, sizeof what,
			         "mpqueue_put blocked with %u items in a queue "
			         "of capacity %d",
			         count, CAP);
			guard(GUARD_S,
			      "a put into a queue that is not full "
			      "returns at once",
			      "count the items in the queue itself, in memory "
			      "every process shares",
			      what);
			r = mpqueue_put(q, in);
			unguard();
			if (r != 0)
				fl_fail("mpqueue_put returns 0",
				        "return 0 once the item is copied in",
				        "put number %u returned %d (errno %d: "
				        "%s)",
				        next_put + 1, r, errno,
				        strerror(errno));
			/* The queue keeps a copy: the caller's buffer is
			 * free again at once. */
			memset(in, 0x5a, SIZE);
			next_put++;
			continue;
		}
		memset(out, 0xa5, SIZE);
		snprintf(what, sizeof what,
		         "mpqueue_get blocked with %u items in the queue",
		         count);
		guard(GUARD_S,
		      "a get from a queue that holds items returns at "
		      "once",
		      "count the items in the queue itself", what);
		r = mpqueue_get(q, out);
		unguard();
		if (r != 0)
			fl_fail("mpqueue_get returns 0",
			        "return 0 once the item is copied out",
			        "get number %u returned %d (errno %d: %s)",
			        next_get + 1, r, errno, strerror(errno));
		if (!matches(out, SIZE, next_get)) {
			char got[64] = "bytes that match no item put";

			for (uint32_t k = 0; k < next_put; k++)
				if (matches(out, SIZE, k))
					snprintf(got, sizeof got, "item %u",
					         k + 1);
			fl_fail("items come out in the order they went in, "
			        "each whole (12-byte items, capacity 4, puts "
			        "and gets mixed so that the ring wraps)",
			        "take from the head and put at the tail, both "
			        "wrapping at capacity; copy item_size bytes "
			        "into the slot, not a pointer to the caller's "
			        "buffer",
			        "get number %u returned %s where item %u (the "
			        "oldest of %u waiting) was expected",
			        next_get + 1, got, next_get + 1, count);
		}
		next_get++;
	}
	mpqueue_destroy(q);
	fl_note("%u puts and %u gets in order", next_put, next_get);
}

/* 2. 4 producers, 3 consumers, capacity 8, 20,000 items */
/* The queue of check 2: set before the helpers are forked, so each one
 * inherits it. */
static struct mpqueue *shared_q;

static void producer(void *arg)
{
	uint32_t p = (uint32_t)(uintptr_t)arg;
	struct mpqueue *q = shared_q;

	fl_counter_wait(&sh->go, 1, 5.0);
	for (uint32_t s = 0; s < PER_PROD; s++) {
		struct item it = { p, s, mix(p, s) };
		int r = mpqueue_put(q, &it);

		if (r != 0) {
			sh->rc[p] = r;
			sh->err[p] = errno;
			break;
		}
		__atomic_add_fetch(&sh->progress, 1, __ATOMIC_RELAXED);
	}
	/* The last producer to finish tells each consumer to stop. */
	if (__atomic_add_fetch(&sh->finished.v, 1, __ATOMIC_SEQ_CST) == NPROD)
		for (int c = 0; c < NCONS; c++) {
			struct item stop = { STOP_PRODUCER, 0, 0 };

			mpqueue_put(q, &stop);
		}
}

static void consumer(void *arg)
{
	int c = (int)(uintptr_t)arg;
	struct mpqueue *q = shared_q;
	int64_t last[NPROD] = { -1, -1, -1, -1 };

	fl_counter_wait(&sh->go, 1, 5.0);
	for (;;) {
		struct item it = { 0, 0, 0 };
		int r = mpqueue_get(q, &it);

		if (r != 0) {
			sh->rc[NPROD + c] = r;
			sh->err[NPROD + c] = errno;
			return;
		}
		if (it.producer == STOP_PRODUCER)
			return;
		if (it.producer >= NPROD || it.seq >= PER_PROD ||
		    it.check != mix(it.producer, it.seq)) {
			if (__atomic_add_fetch(&sh->bad, 1, __ATOMIC_SEQ_CST) ==
			    1) {
				sh->first_bad[0] = it.producer;
				sh->first_bad[1] = it.seq;
				sh->first_bad[2] = it.check;
			}
			continue;
		}
		__atomic_add_fetch(&sh->seen[it.producer][it.seq], 1,
		                   __ATOMIC_RELAXED);
		__atomic_add_fetch(&sh->taken, 1, __ATOMIC_RELAXED);
		if ((int64_t)it.seq <= last[it.producer] &&
		    __atomic_add_fetch(&sh->disorder, 1, __ATOMIC_SEQ_CST) ==
		        1) {
			sh->first_disorder[0] = (uint32_t)c;
			sh->first_disorder[1] = it.producer;
			sh->first_disorder[2] = (uint32_t)last[it.producer];
			sh->first_disorder[3] = it.seq;
		}
		last[it.producer] = it.seq;
	}
}

/* Check 2 ran out of time with some helpers still there: tell a queue
 * that stopped (a lost wake-up) from one that crawls (naps in a loop). */
static void stuck_or_slow(const pid_t *pid, const int *alive, int stuck)
{
	uint32_t before = sh->progress + sh->taken, after;

	fl_sleep(0.5); /* the observation window: does anything still move? */
	after = sh->progress + sh->taken;
	for (int i = 0; i < NPROD + NCONS; i++)
		if (alive[i])
			end_helper(pid[i], 0);
	if (after != before)
		fl_fail("4 producers put 5,000 items each and 3 consumers take "
		        "them all, through a queue of capacity 8, within "
		        "8 s (the reference takes well under a second)",
		        "a queue that naps (usleep) between checks waits "
		        "up to a nap for every item once the queue is full "
		        "or empty: sleep on a condition variable or "
		        "semaphore that the other side wakes",
		        "after %.0f s the producers had put %u of 20,000 "
		        "items and the consumers had taken %u; items were "
		        "still moving, slowly",
		        STUCK_S, sh->progress, sh->taken);
	fl_fail("4 producers put 5,000 items each and 3 consumers take them "
	        "all, through a queue of capacity 8",
	        "a lost wake-up: test the condition and sleep under the "
	        "same lock, re-test in a while loop, and wake the other side "
	        "after every change (producers and consumers on one "
	        "condition variable need broadcast); a lock or condition "
	        "variable not in shared memory, or not PROCESS_SHARED, "
	        "loses wake-ups too",
	        "after %.0f s, %d of the 7 processes were blocked and "
	        "nothing moved any more: the producers had put %u of 20,000 "
	        "items and the consumers had taken %u",
	        STUCK_S, stuck, sh->progress, sh->taken);
}

static void many_producers(void)
{
	pid_t pid[NPROD + NCONS];
	int code[NPROD + NCONS], alive[NPROD + NCONS], stuck = 0, crashed = -1;
	uint32_t missing = 0, twice = 0, first_missing[2] = { 0, 0 };
	uint32_t first_twice[3] = { 0, 0, 0 };
	struct mpqueue *q;
	double t0, end;

	setup();
	q = shared_q = create(8, sizeof(struct item));
	for (int c = 0; c < NCONS; c++)
		pid[NPROD + c] =
		    fl_spawn_helper(consumer, (void *)(uintptr_t)c);
	for (int p = 0; p < NPROD; p++)
		pid[p] = fl_spawn_helper(producer, (void *)(uintptr_t)p);
	t0 = fl_now();
	fl_counter_add(&sh->go, 1);
	end = t0 + STUCK_S;
	for (int i = 0; i < NPROD + NCONS; i++) {
		double left = end - fl_now();

		alive[i] =
		    fl_wait_child(pid[i], left > 0 ? left : 0, &code[i]) != 0;
		if (alive[i])
			stuck++;
		else if (code[i] != 0 && crashed < 0)
			crashed = i;
	}
	if (crashed >= 0) {
		for (int i = 0; i < NPROD + NCONS; i++)
			if (alive[i])
				end_helper(pid[i], 0);
		fl_fail("every producer and consumer ends normally",
		        "a queue whose indices or locks are not shared makes "
		        "processes read and write out of bounds",
		        "%s %d ended with exit code %d",
		        crashed < NPROD ? "producer" : "consumer",
		        crashed < NPROD ? crashed : crashed - NPROD,
		        code[crashed]);
	}
	if (stuck)
		stuck_or_slow(pid, alive, stuck);
	for (int i = 0; i < NPROD + NCONS; i++)
		if (sh->rc[i] != 0)
			fl_fail(
			    "mpqueue_put and mpqueue_get return 0",
			    "blocking is not an error: wait, then return 0",
			    "mpqueue_%s in %s %d returned %d (errno %d: %s)",
			    i < NPROD ? "put" : "get",
			    i < NPROD ? "producer" : "consumer",
			    i < NPROD ? i : i - NPROD, sh->rc[i], sh->err[i],
			    strerror(sh->err[i]));
	for (uint32_t p = 0; p < NPROD; p++)
		for (uint32_t s = 0; s < PER_PROD; s++) {
			if (sh->seen[p][s] == 0 && missing++ == 0) {
				first_missing[0] = p;
				first_missing[1] = s;
			}
			if (sh->seen[p][s] > 1 && twice++ == 0) {
				first_twice[0] = p;
				first_twice[1] = s;
				first_twice[2] = sh->seen[p][s];
			}
		}
	if (sh->bad || missing || twice) {
		char what[512] = "";
		size_t off = 0;

		if (missing)
			off += snprintf(what + off, sizeof what - off,
			                "%u items never arrived (the first: "
			                "producer %u's item %u); ",
			                missing, first_missing[0],
			                first_missing[1]);
		if (twice)
			off += snprintf(what + off, sizeof what - off,
			                "%u items arrived more than once (the "
			                "first: producer %u's item %u, %u "
			                "times); ",
			                twice, first_twice[0], first_twice[1],
			                first_twice[2]);
		if (sh->bad)
			snprintf(what + off, sizeof what - off,
			         "%u items were none that a producer put (the "
			         "first: producer %u, item %u, check word "
			         "%08x); ",
			         sh->bad, sh->first_bad[0], sh->first_bad[1],
			         sh->first_bad[2]);
		what[strlen(what) - 2] = '\0';
		fl_fail("every one of the 20,000 items arrives exactly once",
		        "all processes must change the ring under one lock "
		        "in shared memory, and a put must wait while the "
		        "queue is full instead of overwriting the oldest "
		        "item (a small capacity shows it); a get takes the "
		        "oldest item",
		        "%s", what);
	}
	if (sh->disorder)
		fl_fail("each consumer sees each producer's items in the "
		        "order they were put",
		        "take the oldest item (the head of the ring), not "
		        "the newest",
		        "%u times an item came before an older one of the "
		        "same producer (first: consumer %u got producer %u's "
		        "item %u after its item %u)",
		        sh->disorder, sh->first_disorder[0],
		        sh->first_disorder[1], sh->first_disorder[3],
		        sh->first_disorder[2]);
	mpqueue_destroy(q);
	fl_note("20,000 items through capacity 8 in %.2f s, each once, in "
	        "order",
	        fl_now() - t0);
}

/* 3. with no consumer, put number capacity+1 blocks until a get */
static void bounded_producer(void *arg)
{
	struct mpqueue *q = arg;

	for (uint32_t k = 0; k < BOUND_CAP + 1; k++) {
		int r = mpqueue_put(q, &k);

		sh->rc[k] = r;
		sh->err[k] = errno;
		fl_counter_add(&sh->done, 1);
	}
}

static void bounded(void)
{
	struct mpqueue *q;
	uint32_t v;
	pid_t h;
	int r;

	setup();
	q = create(BOUND_CAP, sizeof(uint32_t));
	h = fl_spawn_helper(bounded_producer, q);
	if (fl_counter_wait(&sh->done, BOUND_CAP, GUARD_S) < 0) {
		end_helper(h, 0);
		fl_fail("4 puts into an empty queue of capacity 4 return at "
		        "once",
		        "a put blocks only while the queue holds capacity "
		        "items",
		        "put number %u blocked with %u items in the queue",
		        sh->done.v + 1, sh->done.v);
	}
	if (fl_counter_wait(&sh->done, BOUND_CAP + 1, BLOCKED_S) == 0) {
		end_helper(h, 1.0);
		fl_fail("put number 5 into a full queue of capacity 4 blocks "
		        "until a get makes room",
		        "while count == capacity, sleep (pthread_cond_wait "
		        "or sem_wait on a count of free slots); never "
		        "overwrite an item or grow the ring",
		        "it returned %d (errno %d: %s) at once, with nobody "
		        "taking items",
		        sh->rc[BOUND_CAP], sh->err[BOUND_CAP],
		        strerror(sh->err[BOUND_CAP]));
	}
	guard(GUARD_S, "a get from a full queue returns at once",
	      "a get waits only while the queue is empty",
	      "mpqueue_get blocked on a full queue while a put was blocked "
	      "on it too");
	r = mpqueue_get(q, &v);
	unguard();
	if (r != 0 || v != 0)
		fl_fail("the get returns 0 and the first item put",
		        "take the oldest item",
		        "it returned %d and item %u (of 1..5)", r, v + 1);
	if (fl_counter_wait(&sh->done, BOUND_CAP + 1, 2.0) < 0) {
		end_helper(h, 0);
		fl_fail("the blocked put returns once a get makes room",
		        "after taking an item, wake a sleeping producer "
		        "(pthread_cond_signal on \"not full\", or sem_post "
		        "on the free slots), in memory both processes share",
		        "the put stayed blocked for 2 s after the get");
	}
	for (uint32_t k = 1; k <= BOUND_CAP; k++) {
		guard(GUARD_S, "gets from a queue holding items return at once",
		      "count the items in shared memory",
		      "mpqueue_get blocked while the queue held items");
		r = mpqueue_get(q, &v);
		unguard();
		if (r != 0 || v != k)
			fl_fail("the gets return items 2..5 in order",
			        "the item of the put that was blocked goes at "
			        "the tail",
			        "get number %u returned %d and item %u", k + 1,
			        r, v + 1);
	}
	if (sh->rc[BOUND_CAP] != 0)
		fl_fail("the blocked put returns 0", "blocking is not an error",
		        "it returned %d (errno %d: %s)", sh->rc[BOUND_CAP],
		        sh->err[BOUND_CAP], strerror(sh->err[BOUND_CAP]));
	if (end_helper(h, 2.0) != 1000)
		mpqueue_destroy(q);
}

/* 4. get_timeout on an empty queue returns 1 close to the timeout */
static void get_timeout(void)
{
	uint64_t v = 0, x = 0x0123456789abcdefull;
	struct mpqueue *q;
	double t0, el;
	int r;

	setup();
	q = create(4, sizeof v);
	guard(GUARD_S,
	      "mpqueue_get_timeout(q, item, 0.3) on an empty queue "
	      "returns 1 after 0.3 s",
	      "pthread_cond_timedwait (or sem_clockwait) takes an absolute "
	      "time: now on the condition variable's clock plus the timeout",
	      "it had not returned after 3 s");
	t0 = fl_now();
	r = mpqueue_get_timeout(q, &v, TIMEOUT_S);
	el = fl_now() - t0;
	unguard();
	if (r != 1)
		fl_fail("mpqueue_get_timeout(q, item, 0.3) on an empty queue "
		        "returns 1",
		        "when the time runs out with nothing taken, return 1 "
		        "(ETIMEDOUT is not an error here)",
		        "it returned %d (errno %d: %s) after %.3f s", r, errno,
		        strerror(errno), el);
	if (el < TIMEOUT_S - 0.001)
		fl_fail("mpqueue_get_timeout(q, item, 0.3) waits 0.3 s before "
		        "it gives up",
		        "the deadline is now + timeout seconds, including the "
		        "fraction: tv_nsec gets (timeout - whole seconds) * "
		        "1e9, on the clock the wait uses",
		        "it returned 1 after %.3f s", el);
	if (mpqueue_put(q, &x) != 0)
		fl_fail("mpqueue_put returns 0", "return 0 when the item is in",
		        "it returned another value (errno %d: %s)", errno,
		        strerror(errno));
	guard(GUARD_S,
	      "mpqueue_get_timeout on a queue holding an item returns "
	      "it",
	      "wait only while the queue is empty",
	      "it had not returned after 3 s");
	r = mpqueue_get_timeout(q, &v, TIMEOUT_S);
	unguard();
	if (r != 0 || v != x)
		fl_fail("mpqueue_get_timeout on a queue holding one item "
		        "returns 0 and the item",
		        "the timeout matters only while the queue is empty",
		        "it returned %d and %s item", r,
		        v == x ? "the" : "a wrong");
	mpqueue_destroy(q);
	fl_note("get_timeout(0.3) on an empty queue returned 1 after %.3f s",
	        el);
	fl_metric(el - TIMEOUT_S);
}

/* 5. capacity 1 with 4096-byte items, capacity 65536 with 1-byte items */
enum { BIG = 4096, NBIG = 32, MANY = 65536 };

static unsigned char byte_of(uint32_t k)
{
	return (unsigned char)(k * 131u + k / 251u);
}

static void many_producer(void *arg)
{
	struct mpqueue *q = arg;

	for (uint32_t k = 0; k < MANY; k++) {
		unsigned char c = byte_of(k);

		if (mpqueue_put(q, &c) != 0) {
			sh->rc[1] = -1;
			sh->err[1] = errno;
			return;
		}
		sh->progress = k + 1;
	}
}

static void sizes(void)
{
	static const size_t bad[][2] = {
		{ 0, 8 }, { 65537, 8 }, { 8, 0 }, { 8, 4097 }, { 0, 0 },
	};
	static unsigned char b[BIG];
	struct mpqueue *q;
	char what[256];
	pid_t h;
	int r;

	setup();
	/* Capacity 1, items of 4096 bytes, put and taken in turn in one
	 * process: the sizes are under test here, not the hand-over between
	 * processes (check 2's business). */
	q = create(1, BIG);
	for (uint32_t k = 0; k < NBIG; k++) {
		fill(b, BIG, k);
		snprintf(
		    what, sizeof what,
		    "put number %u blocked on an empty queue of capacity 1",
		    k + 1);
		guard(GUARD_S,
		      "a put into an empty queue of capacity 1 returns "
		      "at once",
		      "a queue of capacity 1 is full with one item, empty "
		      "with none",
		      what);
		r = mpqueue_put(q, b);
		unguard();
		if (r != 0)
			fl_fail("mpqueue_put of a 4096-byte item returns 0",
			        "item_size up to 4096 is valid",
			        "put number %u returned %d (errno %d: %s)",
			        k + 1, r, errno, strerror(errno));
		memset(b, 0, BIG);
		snprintf(what, sizeof what,
		         "get number %u blocked on a full queue of capacity 1",
		         k + 1);
		guard(GUARD_S,
		      "a get from a full queue of capacity 1 returns at "
		      "once",
		      "count the items in the queue itself", what);
		r = mpqueue_get(q, b);
		unguard();
		if (r != 0 || !matches(b, BIG, k)) {
			size_t at = 0;

			while (at < BIG &&
			       b[at] ==
			           (unsigned char)(mix(k, (uint32_t)at) >> 7))
				at++;
			fl_fail(
			    "32 items of 4096 bytes pass whole through a "
			    "queue of capacity 1",
			    "a slot holds item_size bytes: slot i starts at "
			    "i * item_size, and put and get copy all of "
			    "them",
			    "get number %u returned %d, and the item "
			    "differed from what was put from byte %zu on",
			    k + 1, r, at);
		}
	}
	mpqueue_destroy(q);

	/* Capacity 65536, items of 1 byte: all fit without a consumer. */
	sh->progress = 0;
	q = create(MANY, 1);
	h = fl_spawn_helper(many_producer, q);
	if (end_helper(h, GUARD_S) == 1000)
		fl_fail("65,536 puts into an empty queue of capacity 65,536 "
		        "return without a consumer",
		        "capacity counts items, not bytes; the ring needs "
		        "capacity * item_size bytes",
		        "put number %u blocked (in %.0f s)", sh->progress + 1,
		        GUARD_S);
	if (sh->rc[1])
		fl_fail("65,536 puts into a queue of capacity 65,536 return 0",
		        "capacity up to 65536 is valid",
		        "put number %u returned -1 (errno %d: %s)",
		        sh->progress + 1, sh->err[1], strerror(sh->err[1]));
	for (uint32_t k = 0; k < MANY; k++) {
		unsigned char c = 0;

		guard(GUARD_S, "gets from a full queue return at once",
		      "count the items in shared memory",
		      "mpqueue_get blocked on a full queue of 65,536 items");
		r = mpqueue_get(q, &c);
		unguard();
		if (r != 0 || c != byte_of(k))
			fl_fail("the 65,536 one-byte items come out in order",
			        "take the oldest item, and wrap the indices at "
			        "capacity, not at some smaller size",
			        "get number %u returned %d and byte %u, not "
			        "%u",
			        k + 1, r, c, byte_of(k));
	}
	mpqueue_destroy(q);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		q = mpqueue_create(bad[i][0], bad[i][1]);
		if (q || errno != EINVAL) {
			int e = errno;

			if (q)
				mpqueue_destroy(q);
			fl_fail("sizes out of range (capacity 1..65536, "
			        "item_size 1..4096) give NULL with errno "
			        "EINVAL",
			        "check both sizes first, set errno = EINVAL "
			        "and return NULL",
			        "mpqueue_create(%zu, %zu) returned %s, errno "
			        "%d (%s)",
			        bad[i][0], bad[i][1], q ? "a queue" : "NULL", e,
			        strerror(e));
		}
	}
}

/* 6. no busy waiting: a process blocked in get */
static void blocked_getter(void *arg)
{
	struct mpqueue *q = arg;
	uint64_t v = 0;

	fl_counter_add(&sh->ready, 1);
	sh->rc[0] = mpqueue_get(q, &v);
	sh->err[0] = errno;
	fl_counter_add(&sh->done, 1);
}

static void no_busy_wait(void)
{
	uint64_t x = 4242;
	struct mpqueue *q;
	double cpu0, cpu1, t0, t1;
	int woke;
	pid_t h;

	setup();
	q = create(4, sizeof x);
	h = fl_spawn_helper(blocked_getter, q);
	if (fl_counter_wait(&sh->ready, 1, 5.0) < 0) {
		end_helper(h, 0);
		fl_fail("a helper process starts", "forklab's fault",
		        "it did not start in 5 s");
	}
	cpu0 = fl_cpu_of(h);
	t0 = fl_now();
	/* The observation window: the get must still be blocked after it. */
	if (fl_counter_wait(&sh->done, 1, BLOCK_S) == 0) {
		end_helper(h, 1.0);
		fl_fail("mpqueue_get on an empty queue blocks until an item "
		        "arrives",
		        "wait while the queue is empty; never return without "
		        "an item",
		        "it returned %d (errno %d: %s) with nothing put",
		        sh->rc[0], sh->err[0], strerror(sh->err[0]));
	}
	cpu1 = fl_cpu_of(h);
	t1 = fl_now();
	guard(GUARD_S, "a put into an empty queue returns at once",
	      "a put waits only while the queue is full",
	      "mpqueue_put blocked on an empty queue");
	if (mpqueue_put(q, &x) != 0)
		fl_fail("mpqueue_put returns 0", "return 0 on success",
		        "it returned another value (errno %d: %s)", errno,
		        strerror(errno));
	unguard();
	/* Whether the get wakes up is check 2's business: here it only has
	 * to end, by itself or killed. */
	woke = fl_counter_wait(&sh->done, 1, 2.0) == 0;
	if (!woke)
		fl_note("the blocked get did not return after a put (a lost "
		        "wake-up: see check 2)");
	end_helper(h, woke ? 2.0 : 0);
	if (cpu0 < 0 || cpu1 < 0)
		fl_fail("the CPU time of the blocked process can be read",
		        "forklab's fault", "/proc/%d/stat could not be read",
		        (int)h);
	if (cpu1 - cpu0 > (t1 - t0) / 10)
		fl_fail("a process blocked in mpqueue_get uses under a tenth "
		        "of the time it is blocked as CPU time",
		        "sleep in the kernel (pthread_cond_wait, sem_wait, a "
		        "futex) instead of checking the queue in a loop; "
		        "sched_yield in the loop still spins",
		        "it used %.2f s of CPU time in %.2f s blocked",
		        cpu1 - cpu0, t1 - t0);
	/* A user killed in a wait may hold the queue's state: no destroy. */
	if (woke)
		mpqueue_destroy(q);
	fl_note("blocked %.2f s in get using %.2f s of CPU time", t1 - t0,
	        cpu1 - cpu0);
}

/* 7. destroy leaves no /dev/shm entry, message queue or SysV object */

/* Does an object that forklab lists still exist? forklab lists SysV
 * objects (and message queues when /dev/mqueue is not mounted) even once
 * removed, so look for ourselves. */
static int still_there(const char *line)
{
	char kind = line[0], name[256] = "";
	int id = 0;

	if (sscanf(line, "%c %d %255s", &kind, &id, name) < 2)
		return 1;
	switch (kind) {
	case 'm': {
		struct shmid_ds ds;

		return shmctl(id, IPC_STAT, &ds) == 0 || errno == EACCES;
	}
	case 's': {
		union {
			int val;
			struct semid_ds *buf;
		} u;
		struct semid_ds ds;

		u.buf = &ds;
		return semctl(id, 0, IPC_STAT, u) == 0 || errno == EACCES;
	}
	case 'g': {
		struct msqid_ds ds;

		return msgctl(id, IPC_STAT, &ds) == 0 || errno == EACCES;
	}
	case 'q': {
		char path[260];
		mqd_t m;

		snprintf(path, sizeof path, "/%s", name);
		m = mq_open(path, O_RDONLY);
		if (m == (mqd_t)-1)
			return errno != ENOENT;
		mq_close(m);
		return 1;
	}
	}
	return 1;
}

static void user(void *arg)
{
	struct mpqueue *q = arg;
	unsigned char b[64];

	for (uint32_t k = 0; k < 3; k++) {
		fill(b, sizeof b, k);
		sh->rc[k] = mpqueue_put(q, b);
	}
}

static void nothing_left(void)
{
	char list[8192], left[8192] = "", *line, *save = NULL;
	unsigned char b[64];
	struct mpqueue *q;
	int n, kept = 0;
	pid_t h;

	setup();
	q = create(16, sizeof b);
	h = fl_spawn_helper(user, q);
	for (uint32_t k = 0; k < 3; k++) {
		guard(GUARD_S, "items a child put can be taken by the creator",
		      "keep the queue in memory shared with the children",
		      "mpqueue_get blocked for 3 s while a child put 3 items");
		if (mpqueue_get(q, b) != 0)
			fl_fail("the creator gets the child's items",
			        "the queue must be shared",
			        "get number %u returned another value than 0 "
			        "(errno %d: %s)",
			        k + 1, errno, strerror(errno));
		unguard();
	}
	if (end_helper(h, 2.0) != 0)
		fl_fail("the child using the queue ends normally",
		        "the queue works in every descendant of the creator",
		        "it did not");
	mpqueue_destroy(q);
	n = fl_objects(list, sizeof list);
	if (n < 0)
		fl_fail("forklab's record of the objects",
		        "this is forklab's fault, not yours",
		        "no answer from forklab");
	for (line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (still_there(line)) {
			kept++;
			snprintf(left + strlen(left),
			         sizeof left - strlen(left), "%s%s",
			         *left ? "; " : "", line);
		}
	if (kept)
		fl_fail("after mpqueue_destroy nothing the queue created is "
		        "left: no /dev/shm entry, no POSIX message queue, no "
		        "SysV object",
		        "an anonymous mapping (MAP_SHARED | MAP_ANONYMOUS) has "
		        "no name; otherwise shm_unlink, sem_unlink, mq_unlink "
		        "or IPC_RMID what you created",
		        "%d object(s) still exist (f: /dev/shm entry, q: "
		        "message queue, m/s/g: SysV shm/sem/msg): %s",
		        kept, left);
}

/* 8. throughput: one producer, one consumer */
static void rate_producer(void *arg)
{
	struct mpqueue *q = arg;

	fl_counter_add(&sh->ready, 1);
	fl_counter_wait(&sh->go, 1, 5.0);
	for (uint64_t k = 0; k < RATE_ITEMS; k++)
		if (mpqueue_put(q, &k) != 0) {
			sh->rc[0] = -1;
			sh->err[0] = errno;
			return;
		}
}

static void rate_consumer(void *arg)
{
	struct mpqueue *q = arg;
	uint64_t v;

	fl_counter_add(&sh->ready, 1);
	fl_counter_wait(&sh->go, 1, 5.0);
	for (uint32_t k = 0; k < RATE_ITEMS; k++) {
		if (mpqueue_get(q, &v) != 0) {
			sh->rc[1] = -1;
			sh->err[1] = errno;
			break;
		}
		sh->progress = k + 1;
	}
	sh->t_end = fl_now();
	fl_counter_add(&sh->done, 1);
}

static void throughput(void)
{
	struct mpqueue *q;
	pid_t prod, cons;
	double t0, el, rate;
	uint32_t items;
	int killed;

	setup();
	q = create(RATE_CAP, sizeof(uint64_t));
	prod = fl_spawn_helper(rate_producer, q);
	cons = fl_spawn_helper(rate_consumer, q);
	if (fl_counter_wait(&sh->ready, 2, 5.0) < 0)
		fl_fail("two helper processes start", "forklab's fault",
		        "they did not start in 5 s");
	t0 = fl_now();
	fl_counter_add(&sh->go, 1);
	if (fl_counter_wait(&sh->done, 1, RATE_S) == 0) {
		items = sh->progress;
		el = sh->t_end - t0;
	} else {
		/* Too slow to finish: the rate of what got through. */
		items = sh->progress;
		el = fl_now() - t0;
	}
	killed = end_helper(cons, 0.5) == 1000;
	killed |= end_helper(prod, 0.5) == 1000;
	if (sh->rc[0] || sh->rc[1])
		fl_fail("mpqueue_put and mpqueue_get return 0",
		        "blocking is not an error",
		        "a %s returned -1 (errno %d: %s)",
		        sh->rc[0] ? "put" : "get",
		        sh->rc[0] ? sh->err[0] : sh->err[1],
		        strerror(sh->rc[0] ? sh->err[0] : sh->err[1]));
	if (items == 0)
		fl_fail("items pass from a producer to a consumer",
		        "the consumer slept through the puts: a lost "
		        "wake-up (see check 2)",
		        "not one item arrived in %.0f s", RATE_S);
	if (el <= 0)
		el = 1e-6;
	rate = items / el;
	/* A user killed in a wait may hold the queue's state: no destroy. */
	if (!killed)
		mpqueue_destroy(q);
	fl_note("%u items of 8 bytes from one process to another through "
	        "capacity 64 in %.3f s: %.0f items/s",
	        items, el, rate);
	fl_metric(rate);
}
