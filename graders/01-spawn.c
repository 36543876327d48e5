/*
 * 01-spawn.c - the grader of 01-spawn: one test per numbered check of the
 * sheet, in its order (the table is 01-spawn.tests).
 *
 * Tasks are the grader's own functions, run in the children the submission
 * creates; they leave what they saw in shared memory. Process counts,
 * parents, exit codes and reaping come from fl_procs(), the kernel's record.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"
#include "spawn.h"

#define FL_TESTS "01-spawn.tests"
#include "tests.inc"

#define MAXN     64
#define MAXPROCS 512

/* What the tasks saw, shared with every child. */
static struct seen {
	fl_counter started;
	fl_counter runs[MAXN];
	int bad_id;
	pid_t pid[MAXN], ppid[MAXN];
	int waited_in_vain;
} * seen;

static struct fl_proc procs[MAXPROCS];

static void setup(void)
{
	seen = fl_shared(sizeof *seen);
}

/* The kernel's record now; t0 receives forklab's clock. */
static int record(double *now)
{
	int n = fl_procs(procs, MAXPROCS, now);

	if (n < 0)
		fl_fail("forklab's record of the processes",
		        "this is forklab's fault, not yours",
		        "no answer from forklab");
	return n;
}

/* The processes created since t0, described for feedback. */
static char *describe(int n, double t0)
{
	static char buf[2048];
	int off = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && off < (int)sizeof buf - 80; i++)
		if (!procs[i].thread && procs[i].start >= t0 &&
		    procs[i].pid != fl_main_pid())
			off += snprintf(
			    buf + off, sizeof buf - off,
			    "%s pid %d (parent %d%s)", off ? "," : "",
			    procs[i].pid, procs[i].ppid,
			    procs[i].ppid == fl_main_pid() ? ", the caller"
			                                   : "");
	return off ? buf : " none";
}

static int note_task(int id)
{
	if (id < 0 || id >= MAXN) {
		seen->bad_id = 1;
		return 0;
	}
	fl_counter_add(&seen->runs[id], 1);
	seen->pid[id] = getpid();
	seen->ppid[id] = getppid();
	fl_event("task %d runs in pid %d", id, getpid());
	return 1;
}

static int task_record(int id, void *arg)
{
	(void)arg;
	note_task(id);
	return 0;
}

static int task_return_id(int id, void *arg)
{
	(void)arg;
	note_task(id);
	return id;
}

/* 1. two tasks (washing, cleaning) run, each once, ids 0 and 1 */
static void two_tasks_run(void)
{
	static const char *const chores[] = { "washing", "cleaning" };
	int st[2] = { -100, -100 }, r;

	setup();
	r = spawn_all(2, task_record, (void *)chores, st);
	if (r != 0)
		fl_fail("spawn_all(2, ...) returns 0",
		        "return 0 once every child has been reaped",
		        "it returned %d (errno %d: %s)", r, errno,
		        strerror(errno));
	if (seen->bad_id)
		fl_fail("ids 0 and 1 only", "pass the loop index as the id",
		        "a task got an id outside [0, 2)");
	for (int i = 0; i < 2; i++)
		if (seen->runs[i].v != 1)
			fl_fail(
			    "each task (washing, cleaning) runs exactly once",
			    seen->runs[i].v > 1
			        ? "a child must end with _exit() after "
			          "its task, or it goes on with the loop"
			        : "start one child per task",
			    "task %d (%s) ran %u times", i, chores[i],
			    seen->runs[i].v);
	for (int i = 2; i < MAXN; i++)
		if (seen->runs[i].v)
			fl_fail("ids 0 and 1 only", "n is the number of tasks",
			        "a task with id %d ran", i);
}

/* 2. exactly n processes, all direct children of the caller */
static void process_count(void)
{
	double t0;
	int n, all, kids, r;

	setup();
	record(&t0);
	r = spawn_all(3, task_record, NULL, NULL);
	n = record(NULL);
	all = fl_count_children(procs, n, 0, t0);
	kids = fl_count_children(procs, n, fl_main_pid(), t0);
	if (r != 0 || all != 3 || kids != 3)
		fl_fail("spawn_all(3, ...) creates 3 processes, all children "
		        "of the caller, and returns 0",
		        all > 3 ? "a child that does not _exit() after its "
		                  "task goes back into the loop and forks "
		                  "again"
		                : "fork once per task, in the caller",
		        "the kernel saw %d processes created (%d children of "
		        "the caller):%s; spawn_all returned %d",
		        all, kids, describe(n, t0), r);
}

/* 3. the tasks run at the same time */
static int task_meet(int id, void *arg)
{
	(void)arg;
	note_task(id);
	fl_counter_add(&seen->started, 1);
	/* Once one task waited in vain the others do not wait again, so a
	 * sequential submission fails fast. */
	if (!seen->waited_in_vain &&
	    fl_counter_wait(&seen->started, 4, 1.0) < 0)
		seen->waited_in_vain = 1;
	return 0;
}

static void concurrent(void)
{
	int r;

	setup();
	r = spawn_all(4, task_meet, NULL, NULL);
	if (seen->waited_in_vain)
		fl_fail("the four tasks run at the same time: each sees all "
		        "four started within a second",
		        "start every child before waiting for any: fork in "
		        "one loop, wait in a second loop",
		        "a task waited a second and saw only %u of 4 started "
		        "(the tasks ran one after another)",
		        seen->started.v);
	if (r != 0 || seen->started.v != 4)
		fl_fail("spawn_all(4, ...) runs 4 tasks and returns 0",
		        "one child per task", "%u tasks ran, it returned %d",
		        seen->started.v, r);
}

/* 4. the caller runs no task */
static void caller_runs_no_task(void)
{
	const struct fl_proc *p;
	int n;

	setup();
	if (spawn_all(3, task_record, NULL, NULL) != 0)
		fl_fail("spawn_all returns 0", "return 0 on success",
		        "it returned another value");
	n = record(NULL);
	for (int i = 0; i < 3; i++) {
		if (seen->runs[i].v == 0)
			fl_fail("every task runs", "one child per task",
			        "task %d never ran", i);
		if (seen->pid[i] == fl_main_pid())
			fl_fail("every task runs in a child",
			        "call the task in the child (fork() returned "
			        "0), never in the caller",
			        "task %d ran in the caller itself (pid %d)", i,
			        seen->pid[i]);
		p = fl_find(procs, n, seen->pid[i]);
		if (!p || p->ppid != fl_main_pid() ||
		    seen->ppid[i] != fl_main_pid())
			fl_fail(
			    "every task's process is a child of the caller",
			    "fork in the caller, not in a child",
			    "task %d ran in pid %d whose parent was %d, the "
			    "caller is %d",
			    i, seen->pid[i], p ? p->ppid : seen->ppid[i],
			    fl_main_pid());
	}
}

/* 5. exit codes: 0, 3, 255, abort() (-6) and SIGKILL (-9) */
static int task_exits(int id, void *arg)
{
	static const int code[] = { 0, 3, 255 };

	(void)arg;
	note_task(id);
	if (id < 3)
		return code[id];
	if (id == 3)
		abort();
	raise(SIGKILL);
	return 0;
}

static void exit_codes(void)
{
	static const int want[5] = { 0, 3, 255, -6, -9 };
	int st[5] = { -100, -100, -100, -100, -100 }, r;
	double t0;

	setup();
	record(&t0);
	r = spawn_all(5, task_exits, NULL, st);
	if (r != 0)
		fl_fail("spawn_all returns 0 even when tasks fail",
		        "a task's failure is its status, not spawn_all's",
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
			              "statuses[i] belongs to child i, not to "
			              "the i-th child to end",
			        "statuses = {%d, %d, %d, %d, %d}", st[0], st[1],
			        st[2], st[3], st[4]);
}

/* 6. no zombies and no children left when spawn_all returns */
static void no_zombies(void)
{
	double t0;
	int n, r;

	setup();
	record(&t0);
	r = spawn_all(3, task_record, NULL, NULL);
	n = record(NULL);
	if (r != 0 || fl_count_children(procs, n, 0, t0) < 3)
		fl_fail("spawn_all(3, ...) runs three children and returns 0",
		        "one child per task",
		        "it returned %d; %d processes "
		        "were created",
		        r, fl_count_children(procs, n, 0, t0));
	for (int i = 0; i < n; i++) {
		const struct fl_proc *p = &procs[i];

		if (p->thread || p->start < t0 || p->pid == fl_main_pid())
			continue;
		if (p->state != 'R')
			fl_fail("every child ended and reaped when spawn_all "
			        "returns",
			        p->state == 'Z'
			            ? "wait for every child (waitpid), "
			              "or it stays a zombie"
			            : "wait until every child has ended",
			        "pid %d (parent %d) is %s", p->pid, p->ppid,
			        p->state == 'Z' ? "a zombie, never reaped"
			                        : "still running");
	}
}

/* 7. process creation failing part way */
static int task_short(int id, void *arg)
{
	(void)arg;
	note_task(id);
	fl_sleep(0.3); /* short, but long enough to hold its place */
	return 0;
}

static void fork_failure(void)
{
	double t0, t1;
	int r, e, n;

	setup();
	record(&t0);
	t1 = fl_now();
	errno = 0;
	r = spawn_all(8, task_short, NULL, NULL);
	e = errno;
	t1 = fl_now() - t1;
	if (r != -1 || e != EAGAIN)
		fl_fail("with room for only 3 children, spawn_all(8, ...) "
		        "returns -1 with errno EAGAIN",
		        "when fork() fails, wait for the children already "
		        "started, then return -1 and keep fork's errno "
		        "(save it before calling anything else)",
		        "it returned %d, errno %d (%s)", r, e, strerror(e));
	n = record(NULL);
	for (int i = 0; i < n; i++)
		if (!procs[i].thread && procs[i].start >= t0 &&
		    procs[i].pid != fl_main_pid() && procs[i].state != 'R')
			fl_fail("the children already started are reaped "
			        "before spawn_all returns -1",
			        "wait for (or kill and wait for) every child "
			        "you started",
			        "pid %d is %s", procs[i].pid,
			        procs[i].state == 'Z' ? "a zombie" : "alive");
	fl_note("spawn_all failed cleanly in %.2f s", t1);
}

/* 8. output buffered in stdio before the call appears exactly once */
static void stdio_once(void)
{
	const char *marker = "forklab-marker-7f3a";
	int fd = open("stdio.txt", O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0600);
	char buf[8192];
	ssize_t len;
	int count = 0, r;

	setup();
	if (fd < 0 || dup2(fd, 1) < 0)
		fl_fail("a file for the test's output", "forklab's fault",
		        "open: %s", strerror(errno));
	setvbuf(stdout, NULL, _IOFBF, 4096);
	printf("%s\n", marker); /* stays in the buffer */
	r = spawn_all(3, task_record, NULL, NULL);
	fflush(stdout);
	if (r != 0 || seen->runs[2].v != 1)
		fl_fail("spawn_all(3, ...) runs three tasks and returns 0",
		        "one child per task", "it returned %d", r);
	len = pread(fd, buf, sizeof buf - 1, 0);
	buf[len > 0 ? len : 0] = '\0';
	for (char *p = buf; (p = strstr(p, marker)); p++)
		count++;
	if (count != 1)
		fl_fail("the line printed before spawn_all appears once",
		        count > 1 ? "a child that ends with exit() flushes "
		                    "its copy of the caller's stdio buffer: "
		                    "end children with _exit(), or fflush("
		                    "NULL) before forking"
		                  : "do not discard the caller's buffers",
		        "it appeared %d times", count);
}

/* 9. n = 0, n = 64, and statuses NULL */
static void edge_sizes(void)
{
	int st[MAXN], r, n;
	double t0;

	setup();
	record(&t0);
	r = spawn_all(0, task_record, NULL, NULL);
	n = record(NULL);
	if (r != 0 || fl_count_children(procs, n, 0, t0) != 0)
		fl_fail("spawn_all(0, ...) starts nothing and returns 0",
		        "n == 0 is not an error",
		        "it returned %d and the kernel saw %d processes "
		        "created",
		        r, fl_count_children(procs, n, 0, t0));
	for (int i = 0; i < MAXN; i++)
		st[i] = -100;
	r = spawn_all(MAXN, task_return_id, NULL, st);
	if (r != 0)
		fl_fail("spawn_all(64, ...) returns 0",
		        "64 children at once are fine", "it returned %d", r);
	for (int i = 0; i < MAXN; i++)
		if (seen->runs[i].v != 1 || st[i] != i)
			fl_fail("with n = 64, task i runs once and statuses[i] "
			        "is i",
			        "keep one pid per index",
			        "task %d ran %u times, statuses[%d] = %d", i,
			        seen->runs[i].v, i, st[i]);
	memset(seen, 0, sizeof *seen);
	r = spawn_all(3, task_record, NULL, NULL);
	if (r != 0 || seen->runs[2].v != 1)
		fl_fail("statuses NULL is allowed",
		        "check statuses != NULL "
		        "before writing to it",
		        "spawn_all(3, ..., NULL) returned %d", r);
}
