/*
 * 02-naming.c - the grader of 02-naming: one test per numbered check of the
 * sheet, in its order (the table is 02-naming.tests).
 *
 * Theory of operation. A name is judged by the kernel, never by what the
 * submission says. The caller is blocked in spawn_named() while the tasks
 * run, so an observer thread of the caller (same process, so fl_procs() may
 * be called from it) takes the kernel's record while each task waits:
 *
 *   task:      look at /proc/self/comm -> note pid -> arrived++ -> wait go[i]
 *   observer:  wait arrived -> fl_procs() -> keep each waiting task's name
 *              -> go[i]++ for every task seen
 *
 * A task is let go only after the record was taken, so the name in the record
 * is the one the task runs under. The rendezvous works one task at a time
 * too, so a submission that runs the tasks one after another is judged on
 * its names, not stuck. Everything waits with a timeout: nothing hangs.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "driver.h"
#include "naming.h"

/* Tests are named test_<row name>: the row process_name would clash with the
 * function of the same name under test. */
#define FL_TESTS    "02-naming.tests"
#define FL_FN(name) test_##name
#include "tests.inc"

#define MAXN      8
#define MAXPROCS  512
#define NAME_MAX_ 64  /* room for any name the kernel or a task reports */
#define WAIT_S    3.0 /* longest a task waits for the observer */
#define CALLER    "grader-main" /* the caller's name in check 5 */

/* What the tasks saw, shared with every child. */
static struct seen {
	fl_counter arrived;    /* tasks waiting for the observer */
	fl_counter go[MAXN];   /* the observer lets task i go */
	fl_counter runs[MAXN]; /* how often task i ran */
	int bad_id;
	pid_t pid[MAXN];
	char comm[MAXN][NAME_MAX_]; /* /proc/self/comm, the task's first look */
	int comm_err[MAXN];         /* errno if it could not look */
	/* process_name() in task i: a roomy buffer, an exact one, one short */
	int pn_ret[MAXN][3], pn_errno[MAXN][3];
	char pn_buf[MAXN][2][NAME_MAX_ + 1]; /* a NUL always follows */
	int pn_wrote_past[MAXN]; /* the exact call wrote past size */
} * seen;

/* What the observer thread took from the kernel's record. */
static struct observer {
	pthread_t thread;
	int n;
	int done;   /* spawn_named returned: one last look, then end */
	int failed; /* forklab did not answer */
	int got[MAXN];
	pid_t pid[MAXN];
	char name[MAXN][NAME_MAX_];
	char caller[NAME_MAX_]; /* the caller's name while tasks ran */
	int caller_seen;
	struct fl_proc procs[MAXPROCS];
} obs;

static struct fl_proc procs[MAXPROCS];

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
	return n;
}

/* The caller's name as the kernel has it now. */
static const char *caller_name(void)
{
	static char name[NAME_MAX_];
	int n = record(NULL);
	const struct fl_proc *p = fl_find(procs, n, fl_main_pid());

	snprintf(name, sizeof name, "%s", p ? p->name : "");
	return name;
}

/* s for feedback, quoted: printable ASCII and whole UTF-8 characters as they
 * are, any other byte as \xNN, so that a name cut inside a character, or one
 * that kept a newline, shows as it is. Four buffers in turn, so that one
 * message can show several names. */
static const char *shown(const char *s)
{
	static char bufs[4][4 * NAME_MAX_ + 3];
	static int turn;
	char *b = bufs[turn++ % 4];
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;

	b[o++] = '"';
	while (*u && o < sizeof bufs[0] - 8) {
		int len = *u >= 0xf0 && *u <= 0xf4   ? 4
		          : *u >= 0xe0 && *u <= 0xef ? 3
		          : *u >= 0xc2 && *u <= 0xdf ? 2
		                                     : 1;
		int whole = 1;

		for (int k = 1; whole && k < len; k++)
			whole = (u[k] & 0xc0) == 0x80; /* stops at the NUL */
		if (len > 1 && whole) {
			memcpy(b + o, u, len);
			o += len;
			u += len;
		} else if (*u >= 0x20 && *u < 0x7f && *u != '"' && *u != '\\') {
			b[o++] = *u++;
		} else {
			o += snprintf(b + o, 5, "\\x%02x", *u++);
		}
	}
	b[o++] = '"';
	b[o] = '\0';
	return b;
}

/* got is want with a newline kept at its end. */
static int newline_kept(const char *got, const char *want)
{
	size_t len = strlen(want);

	return strlen(got) == len + 1 && got[len] == '\n' &&
	       !strncmp(got, want, len);
}

/* ---- the tasks ---- */

/* The task's first act: read its own name from the kernel, as ps would. */
static void look(int id)
{
	int fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	ssize_t len = fd < 0 ? -1 : read(fd, seen->comm[id], NAME_MAX_ - 1);

	if (len < 0) {
		seen->comm_err[id] = errno;
		len = 0;
	}
	if (fd >= 0)
		close(fd);
	/* Exactly one trailing newline is the kernel's. */
	if (len > 0 && seen->comm[id][len - 1] == '\n')
		len--;
	seen->comm[id][len] = '\0';
}

/* Note that task id runs, here; 0 for an id out of range. */
static int note_task(int id)
{
	if (id < 0 || id >= MAXN) {
		seen->bad_id = 1;
		return 0;
	}
	fl_counter_add(&seen->runs[id], 1);
	seen->pid[id] = getpid();
	fl_event("task %d runs in pid %d", id, getpid());
	return 1;
}

/* Wait until the observer has the kernel's record of this task. */
static void wait_for_observer(int id)
{
	fl_counter_add(&seen->arrived, 1);
	fl_counter_wait(&seen->go[id], 1, WAIT_S);
}

static int task_look(int id, void *arg)
{
	(void)arg;
	if (id >= 0 && id < MAXN)
		look(id);
	if (!note_task(id))
		return 0;
	wait_for_observer(id);
	return 0;
}

/* Check 5's task: process_name() in the child, three buffer sizes. */
static int task_process_name(int id, void *arg)
{
	const char *const *names = arg;
	size_t len;
	char exact[NAME_MAX_ + 1];

	if (!note_task(id))
		return 0;
	len = strnlen(names[id], 15);
	errno = 0;
	seen->pn_ret[id][0] = process_name(seen->pn_buf[id][0], NAME_MAX_);
	seen->pn_errno[id][0] = errno;
	seen->pn_buf[id][0][NAME_MAX_] = '\0';
	memset(exact, 0x7f, sizeof exact);
	errno = 0;
	seen->pn_ret[id][1] = process_name(exact, len + 1);
	seen->pn_errno[id][1] = errno;
	memcpy(seen->pn_buf[id][1], exact, len + 1);
	seen->pn_buf[id][1][len + 1] = '\0';
	seen->pn_wrote_past[id] = exact[len + 1] != 0x7f;
	errno = 0;
	seen->pn_ret[id][2] = process_name(exact, len);
	seen->pn_errno[id][2] = errno;
	wait_for_observer(id);
	return 0;
}

static int task_record(int id, void *arg)
{
	(void)arg;
	note_task(id);
	return 0;
}

static int task_exits(int id, void *arg)
{
	static const int code[] = { 0, 3, 255 };

	(void)arg;
	note_task(id);
	if (id >= 0 && id < 3)
		return code[id];
	if (id == 3)
		abort();
	raise(SIGKILL);
	return 0;
}

/* ---- the observer thread ---- */

/* forklab's record comes one task per line, so a name with a newline inside
 * (one a submission wrote into comm) arrives cut at the newline. The kernel
 * has the whole name in /proc/PID/comm: take it from there when it is the
 * record's name with a newline after it. */
static void newline_inside(pid_t pid, char name[NAME_MAX_])
{
	char path[64], buf[NAME_MAX_];
	size_t len = strlen(name);
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0 && buf[n - 1] == '\n')
		n--; /* the kernel's own */
	if (n <= (ssize_t)len || buf[len] != '\n' || memcmp(buf, name, len))
		return;
	memcpy(name, buf, n);
	name[n] = '\0';
}

/* Take the kernel's record each time tasks arrive, keep the names of the
 * tasks that wait, and let them go. Ends when all n were seen, when the
 * caller says spawn_named returned (after one last look), or after WAIT_S
 * without a new arrival. */
static void *observe(void *unused)
{
	uint32_t taken = 0;
	int seen_all = 0;
	pid_t ready[MAXN];

	(void)unused;
	while (!seen_all &&
	       fl_counter_wait(&seen->arrived, taken + 1, WAIT_S) == 0) {
		int np, left = 0,
		        last = __atomic_load_n(&obs.done, __ATOMIC_SEQ_CST);
		const struct fl_proc *p;

		taken = __atomic_load_n(&seen->arrived.v, __ATOMIC_SEQ_CST);
		/* Only tasks that noted their pid before the record was taken
		 * are judged on it: a later one may not have been named yet
		 * when forklab read the names. */
		for (int i = 0; i < obs.n; i++)
			ready[i] =
			    __atomic_load_n(&seen->pid[i], __ATOMIC_SEQ_CST);
		np = fl_procs(obs.procs, MAXPROCS, NULL);
		if (np < 0) {
			obs.failed = 1;
			break;
		}
		p = fl_find(obs.procs, np, fl_main_pid());
		if (p && !obs.caller_seen) {
			snprintf(obs.caller, sizeof obs.caller, "%s", p->name);
			obs.caller_seen = 1;
		} else if (p && strcmp(p->name, obs.caller)) {
			/* Keep the first name that differs from the first. */
			if (obs.caller_seen == 1)
				snprintf(obs.caller, sizeof obs.caller, "%s",
				         p->name);
			obs.caller_seen = 2;
		}
		for (int i = 0; i < obs.n; i++) {
			if (obs.got[i] || !ready[i]) {
				left += !obs.got[i];
				continue;
			}
			p = fl_find(obs.procs, np, ready[i]);
			obs.got[i] = 1;
			obs.pid[i] = ready[i];
			snprintf(obs.name[i], sizeof obs.name[i], "%s",
			         p ? p->name : "");
			newline_inside(ready[i], obs.name[i]);
			fl_counter_add(&seen->go[i], 1);
		}
		seen_all = left == 0 || last;
	}
	return NULL;
}

static void observer_start(int n)
{
	memset(&obs, 0, sizeof obs);
	obs.n = n;
	if (pthread_create(&obs.thread, NULL, observe, NULL))
		fl_fail("a thread to watch the tasks",
		        "this is forklab's fault, not yours",
		        "pthread_create failed");
}

/* Joins the observer; fails the test if forklab did not answer. */
static void observer_stop(void)
{
	/* Wake the observer at once: a call that returned early (an error,
	 * or tasks never run) must not cost the test WAIT_S. */
	__atomic_store_n(&obs.done, 1, __ATOMIC_SEQ_CST);
	fl_counter_add(&seen->arrived, 1 << 20);
	pthread_join(obs.thread, NULL);
	if (obs.failed)
		fl_fail("forklab's record of the processes",
		        "this is forklab's fault, not yours",
		        "no answer from forklab");
}

/* spawn_named(n, names, task_look) with the observer watching; fails the
 * test if it does not return 0 or a task did not run once. */
static void spawn_observed(int n, const char *const names[], task_fn task,
                           void *arg)
{
	int r, e, longer = 0;

	for (int i = 0; i < n; i++)
		longer |= strlen(names[i]) > 15;
	observer_start(n);
	errno = 0;
	r = spawn_named(n, names, task, arg, NULL);
	e = errno;
	observer_stop();
	if (r != 0)
		fl_fail("spawn_named(...) returns 0",
		        longer && e == EINVAL
		            ? "a name longer than 15 bytes is not an "
		              "error: the kernel cuts it"
		            : "return 0 once every child has been reaped",
		        "it returned %d (errno %d: %s)", r, e, strerror(e));
	if (seen->bad_id)
		fl_fail("ids 0 to n-1", "pass the loop index as the id",
		        "a task got an id outside [0, %d)", n);
	for (int i = 0; i < n; i++)
		if (seen->runs[i].v != 1)
			fl_fail("each task runs exactly once",
			        seen->runs[i].v > 1
			            ? "a child must end with _exit() after its "
			              "task"
			            : "start one child per name",
			        "task %d (name %s) ran %u times", i,
			        shown(names[i]), seen->runs[i].v);
}

/* Fail unless the kernel showed task i under want while it ran. */
static void expect_kernel_name(int i, const char *want, const char *caller)
{
	if (!obs.got[i])
		fl_fail("the grader reads each child's name while its task "
		        "runs",
		        "the task must run in a child that goes on until the "
		        "task returns",
		        "task %d was never seen waiting", i);
	if (strcmp(obs.name[i], want))
		fl_fail("while task i runs, /proc/PID/comm of its process is "
		        "names[i]",
		        !strcmp(obs.name[i], caller)
		            ? "the child still has the caller's name: the "
		              "child must name itself (prctl(PR_SET_NAME)) "
		              "after fork() and before the task"
		        : newline_kept(obs.name[i], want)
		            ? "a newline written into /proc/self/comm stays "
		              "in the name: write the name without it"
		            : "set the name in the child to names[i], "
		              "unchanged: the kernel cuts it to 15 bytes "
		              "itself",
		        "task %d (pid %d) ran under the name %s, names[%d] is "
		        "%s (the caller is %s)",
		        i, obs.pid[i], shown(obs.name[i]), i, shown(want),
		        shown(caller));
}

/* 1. each child's name, read by the kernel while its task runs */
static void test_child_names(void)
{
	static const char *const names[] = { "washer", "dryer", "ironer" };
	char caller[NAME_MAX_];

	setup();
	snprintf(caller, sizeof caller, "%s", caller_name());
	spawn_observed(3, names, task_look, NULL);
	for (int i = 0; i < 3; i++)
		expect_kernel_name(i, names[i], caller);
}

/* 2. the name is set before the task starts */
static void test_named_before_task(void)
{
	static const char *const names[] = { "picker", "packer", "shipper" };
	char caller[NAME_MAX_];

	setup();
	snprintf(caller, sizeof caller, "%s", caller_name());
	spawn_observed(3, names, task_look, NULL);
	for (int i = 0; i < 3; i++) {
		if (seen->comm_err[i])
			fl_fail("a task can read /proc/self/comm",
			        "do not close or replace what the child "
			        "inherits",
			        "task %d could not read it: %s", i,
			        strerror(seen->comm_err[i]));
		if (strcmp(seen->comm[i], names[i]))
			fl_fail("the task's first look at /proc/self/comm "
			        "shows names[i]",
			        !strcmp(seen->comm[i], caller)
			            ? "name the child first, then call the "
			              "task: it still had the caller's name "
			              "when it started"
			        : newline_kept(seen->comm[i], names[i])
			            ? "a newline written into /proc/self/comm "
			              "stays in the name: write the name "
			              "without it"
			            : "set the name to names[i], before the "
			              "task",
			        "task %d first saw the name %s, names[%d] is "
			        "%s",
			        i, shown(seen->comm[i]), i, shown(names[i]));
	}
}

/* 3. the caller's own name does not change */
static void test_caller_name_unchanged(void)
{
	static const char *const names[] = { "sorter", "stacker", "loader" };
	char before[NAME_MAX_];
	const char *after;

	setup();
	snprintf(before, sizeof before, "%s", caller_name());
	spawn_observed(3, names, task_look, NULL);
	after = caller_name();
	if (obs.caller_seen > 1 ||
	    (obs.caller_seen && strcmp(obs.caller, before)))
		fl_fail("the caller keeps its name while the children run",
		        "only the child names itself, after fork(); the "
		        "caller never calls prctl(PR_SET_NAME)",
		        "the caller was named %s before spawn_named, %s "
		        "while the tasks ran",
		        shown(before), shown(obs.caller));
	if (strcmp(after, before))
		fl_fail("the caller's name is the same after spawn_named",
		        "do not rename the caller so that children inherit "
		        "the name: each child names itself after fork()",
		        "the caller was named %s before and %s after",
		        shown(before), shown(after));
}

/* 4. a 20-byte name shows as its first 15 bytes; spaces and UTF-8 */
static void test_long_and_utf8_names(void)
{
	/* The kernel keeps raw bytes: a cut may fall inside a character. */
	static const struct {
		const char *name, *shows;
	} cases[] = {
		{ "washing-machine-no-7", "washing-machine" }, /* 20 bytes */
		{ "wash the car", "wash the car" },
		{ "café crème", "café crème" },   /* 12 bytes */
		{ "洗濯機の番人", "洗濯機の番" }, /* 18: cut after a char */
		{ "Staubsauger-Grün", "Staubsauger-Gr\xc3" }, /* 17: inside */
	};
	enum { N = sizeof cases / sizeof cases[0] };
	const char *names[N];
	char caller[NAME_MAX_];

	setup();
	for (int i = 0; i < N; i++)
		names[i] = cases[i].name;
	snprintf(caller, sizeof caller, "%s", caller_name());
	spawn_observed(N, names, task_look, NULL);
	for (int i = 0; i < N; i++)
		expect_kernel_name(i, cases[i].shows, caller);
}

/* 5. process_name: right in the caller and in children; ERANGE */
static void expect_pn(int r, int e, const char *buf, const char *want,
                      const char *where, size_t size)
{
	if (r != 0 || strcmp(buf, want))
		fl_fail("process_name(buf, size) returns 0 and the name, "
		        "when name and NUL fit in size",
		        r == 0 && newline_kept(buf, want)
		            ? "/proc/self/comm ends with the kernel's "
		              "newline, which is not part of the name (or, "
		              "in a child, spawn_named wrote a newline into "
		              "the name)"
		        : r != 0 && e == ERANGE
		            ? "a name of len bytes needs len + 1 bytes: it "
		              "fits when len + 1 <= size"
		            : "return 0 and the calling process's current "
		              "name (prctl(PR_GET_NAME))",
		        "%s, with size %zu, it returned %d (errno %d) and "
		        "%s; the name is %s",
		        where, size, r, e, r == 0 ? shown(buf) : "no name",
		        shown(want));
}

static void expect_erange(int r, int e, const char *where, size_t size,
                          const char *want)
{
	if (r != -1 || e != ERANGE)
		fl_fail("process_name(buf, size) fails with ERANGE when the "
		        "name and its NUL do not fit",
		        r == 0 ? "do not cut the name to fit: return -1 "
		                 "with errno ERANGE"
		               : "set errno to ERANGE",
		        "%s, the name %s (%zu bytes) with size %zu: it "
		        "returned %d, errno %d (%s)",
		        where, shown(want), strlen(want), size, r, e,
		        strerror(e));
}

static void test_process_name(void)
{
	static const char *const names[] = { "reader", "fifteen-bytes-x",
		                             "wäscher" };
	size_t len = strlen(CALLER);
	char buf[NAME_MAX_ + 1], want[3][16];
	int r, e, past;

	setup();
	/* The caller: the grader names itself, so the answer is known. */
	prctl(PR_SET_NAME, (unsigned long)CALLER, 0, 0, 0);
	memset(buf, 0x7f, sizeof buf);
	errno = 0;
	r = process_name(buf, NAME_MAX_);
	e = errno;
	buf[NAME_MAX_] = '\0';
	expect_pn(r, e, buf, CALLER, "in the caller", NAME_MAX_);
	memset(buf, 0x7f, sizeof buf);
	errno = 0;
	r = process_name(buf, len + 1);
	e = errno;
	past = buf[len + 1] != 0x7f;
	buf[len + 1] = '\0';
	expect_pn(r, e, buf, CALLER, "in the caller", len + 1);
	if (past)
		fl_fail("process_name writes at most size bytes",
		        "the NUL is one of the size bytes",
		        "with size %zu it wrote byte %zu", len + 1, len + 1);
	/* One byte short (the NUL does not fit), and no room at all. */
	for (int k = 0; k < 2; k++) {
		size_t size = k ? 1 : len;

		errno = 0;
		r = process_name(buf, size);
		expect_erange(r, errno, "in the caller", size, CALLER);
	}

	/* The children: each one asks for its own name. */
	spawn_observed(3, names, task_process_name, (void *)names);
	for (int i = 0; i < 3; i++) {
		const char *where = i == 0   ? "in child 0"
		                    : i == 1 ? "in child 1"
		                             : "in child 2";
		size_t l;

		snprintf(want[i], sizeof want[i], "%.15s", names[i]);
		l = strlen(want[i]);
		expect_pn(seen->pn_ret[i][0], seen->pn_errno[i][0],
		          seen->pn_buf[i][0], want[i], where, NAME_MAX_);
		expect_pn(seen->pn_ret[i][1], seen->pn_errno[i][1],
		          seen->pn_buf[i][1], want[i], where, l + 1);
		if (seen->pn_wrote_past[i])
			fl_fail("process_name writes at most size bytes",
			        "the NUL is one of the size bytes",
			        "%s, with size %zu it wrote byte %zu", where,
			        l + 1, l + 1);
		expect_erange(seen->pn_ret[i][2], seen->pn_errno[i][2], where,
		              l, want[i]);
	}
}

/* 6. as 01-spawn: process count, exit codes, reaping */
static void test_spawn_checks(void)
{
	static const char *const names[] = { "zero", "three", "max", "aborts",
		                             "killed" };
	static const int want[5] = { 0, 3, 255, -6, -9 };
	int st[5] = { -100, -100, -100, -100, -100 }, r, n, all, kids;
	double t0;

	setup();
	record(&t0);
	r = spawn_named(3, names, task_record, NULL, NULL);
	n = record(NULL);
	all = fl_count_children(procs, n, 0, t0);
	kids = fl_count_children(procs, n, fl_main_pid(), t0);
	if (r != 0 || all != 3 || kids != 3)
		fl_fail("spawn_named(3, ...) creates 3 processes, all "
		        "children of the caller, and returns 0",
		        all > 3 ? "fork once per task, in the caller, and "
		                  "run the task in that child: no extra "
		                  "process in between, and _exit() after "
		                  "the task"
		                : "fork once per task, in the caller",
		        "the kernel saw %d processes created (%d children of "
		        "the caller); spawn_named returned %d",
		        all, kids, r);
	for (int i = 0; i < n; i++) {
		const struct fl_proc *p = &procs[i];

		if (p->thread || p->start < t0 || p->pid == fl_main_pid())
			continue;
		if (p->state != 'R')
			fl_fail("every child ended and reaped when spawn_named "
			        "returns",
			        p->state == 'Z' ? "wait for every child "
			                          "(waitpid), or it stays a "
			                          "zombie"
			                        : "wait until every child has "
			                          "ended",
			        "pid %d (parent %d) is %s", p->pid, p->ppid,
			        p->state == 'Z' ? "a zombie, never reaped"
			                        : "still running");
	}
	r = spawn_named(5, names, task_exits, NULL, st);
	if (r != 0)
		fl_fail("spawn_named returns 0 even when tasks fail",
		        "a task's failure is its status, not spawn_named's",
		        "it returned %d", r);
	for (int i = 0; i < 5; i++)
		if (st[i] != want[i])
			fl_fail("statuses {0, 3, 255, -6, -9}",
			        st[i] > 255 || st[i] == 3 << 8 ||
			                st[i] == 255 << 8
			            ? "statuses[i] is the exit code, not the "
			              "raw wait status: use WEXITSTATUS, and "
			              "-WTERMSIG for a signal"
			            : "WIFEXITED: WEXITSTATUS(status); "
			              "WIFSIGNALED: -WTERMSIG(status); and "
			              "statuses[i] belongs to child i",
			        "statuses = {%d, %d, %d, %d, %d}", st[0], st[1],
			        st[2], st[3], st[4]);
}
