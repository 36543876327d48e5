/*
 * trace.c - the kernel's record of a process tree.
 *
 * Theory of operation. forklab is the ptrace tracer of every task of a run:
 * it seizes the first process before it enters the box, and the kernel then
 * attaches every process and thread it creates, however they detach from
 * their parents (setsid, double fork). The tracer never stops a task on every
 * system call. It stops on
 *
 *   process events   fork, vfork, clone (a new task: pid, parent, time),
 *                    exec (a new name), exit (status, CPU time, last name);
 *   seccomp traps    the few calls sandbox.c sends here: process creation
 *                    (the limits on tasks alive and processes created, which
 *                    thus belong to the run, not to a uid: EAGAIN past them),
 *                    signals (the target must be a task of the run),
 *                    prctl(PR_SET_NAME), calls that create named objects
 *                    (recorded for the clean end), and refused calls
 *                    (recorded, answered EPERM or ENOSYS);
 *   signal delivery  which signal reached which task, then delivered as is;
 *   group stops      PTRACE_LISTEN, so that a stopped task stays stopped
 *                    until SIGCONT, as without a tracer.
 *
 * Because the kernel reports an exit to the tracer before the parent can reap
 * the child, the record is never behind what the program itself observes.
 * forklab is also a child subreaper, so orphans come back to it: when the
 * last task is gone, waitpid() says ECHILD and nothing of the run is left.
 */
#define _GNU_SOURCE
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/ptrace.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <mqueue.h>

static const char *const limit_names[TRC_LIM_COUNT] = {
	[TRC_LIM_NONE] = "none",
	[TRC_LIM_WALL] = "wall",
	[TRC_LIM_CPU] = "cpu",
	[TRC_LIM_PROCS] = "procs",
	[TRC_LIM_PROCS_TOTAL] = "procs_total",
	[TRC_LIM_MEMORY] = "memory",
	[TRC_LIM_FSIZE] = "fsize",
	[TRC_LIM_OUTPUT] = "output",
	[TRC_LIM_DISK] = "disk",
};

const char *trc_limit_name(int l)
{
	return l > 0 && l < TRC_LIM_COUNT ? limit_names[l] : "none";
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

double trc_now(const struct trc *t)
{
	return mono() - t->t0;
}

void trc_limit(struct trc *t, enum trc_limit l)
{
	if (!(t->limits & (1u << l)) && !t->first_limit)
		t->first_limit = l;
	t->limits |= 1u << l;
}

/* ---- the table of tasks ---- */

struct trc_proc *trc_find(struct trc *t, pid_t pid)
{
	unsigned h;

	if (!t->hcap)
		return NULL;
	for (h = (unsigned)pid % t->hcap; t->hash[h]; h = (h + 1) % t->hcap)
		if (t->p[t->hash[h] - 1].pid == pid)
			return &t->p[t->hash[h] - 1];
	return NULL;
}

static int rehash(struct trc *t, int cap)
{
	int *h = calloc(cap, sizeof *h);

	if (!h)
		return -1;
	free(t->hash);
	t->hash = h;
	t->hcap = cap;
	/* A pid reused within a run maps to its newest task. */
	for (int i = 0; i < t->np; i++) {
		unsigned k = (unsigned)t->p[i].pid % cap;

		while (h[k] && t->p[h[k] - 1].pid != t->p[i].pid)
			k = (k + 1) % cap;
		h[k] = i + 1;
	}
	return 0;
}

static struct trc_proc *add(struct trc *t, pid_t pid, pid_t ppid, pid_t tgid)
{
	struct trc_proc *p;

	if (t->np == t->cap) {
		int cap = t->cap ? 2 * t->cap : 64;
		void *n = realloc(t->p, cap * sizeof *t->p);

		if (!n)
			return NULL;
		t->p = n;
		t->cap = cap;
	}
	if (2 * (t->np + 1) > t->hcap && rehash(t, 4 * (t->np + 1) + 64) < 0)
		return NULL;
	p = &t->p[t->np++];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->ppid = ppid;
	p->tgid = tgid;
	p->thread = tgid != pid;
	p->start = trc_now(t);
	p->end = -1;
	if (rehash(t, t->hcap) < 0) /* cheap: keeps reused pids right */
		return NULL;
	t->alive_tasks++;
	if (!p->thread) {
		t->alive_procs++;
		if (t->alive_procs > t->peak_alive)
			t->peak_alive = t->alive_procs;
	}
	return p;
}

/* ---- reading /proc ---- */

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/* Fields of /proc/PID/stat: the name (comm, 16 bytes), state, ppid, and
 * utime + stime in seconds. Any pointer may be NULL. */
static int proc_stat_all(pid_t pid, char *comm, char *state, pid_t *ppid,
                         double *cpu)
{
	static long hz;
	char path[64], buf[1024], *s, *o;
	unsigned long ut, st;
	int pp;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof buf) < 0)
		return -1;
	s = strrchr(buf, ')');
	o = strchr(buf, '(');
	if (comm && s && o && s - o - 1 < 16) {
		memcpy(comm, o + 1, s - o - 1);
		comm[s - o - 1] = '\0';
	}
	if (!s ||
	    sscanf(s + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	           state, &pp, &ut, &st) != 4)
		return -1;
	if (ppid)
		*ppid = pp;
	if (cpu)
		*cpu = (double)(ut + st) / hz;
	return 0;
}

static int proc_stat(pid_t pid, char *state, pid_t *ppid, double *cpu)
{
	return proc_stat_all(pid, NULL, state, ppid, cpu);
}

/* The state letter of /proc/PATH/stat (PATH: "PID" or "PID/task/TID"). */
static int proc_stat_path(const char *path, char *state)
{
	char file[96], buf[512], *s;

	snprintf(file, sizeof file, "/proc/%s/stat", path);
	if (read_file(file, buf, sizeof buf) < 0 || !(s = strrchr(buf, ')')))
		return -1;
	*state = s[2];
	return 0;
}

static void note_name(struct trc *t, struct trc_proc *p, const char *name)
{
	if (p->nnames && !strcmp(p->names[p->nnames - 1].name, name))
		return;
	if (p->nnames == TRC_NAMES)
		return; /* the first ones tell the story; later ones are cut */
	p->names[p->nnames].t = trc_now(t);
	snprintf(p->names[p->nnames].name, 16, "%s", name);
	p->nnames++;
}

/* Read the kernel's name of a live task: exactly one trailing newline is the
 * kernel's; one the program wrote stays (see the sheet's notes). */
static void read_comm(struct trc *t, struct trc_proc *p)
{
	char path[64], buf[64];
	int n;

	snprintf(path, sizeof path, "/proc/%d/task/%d/comm", p->tgid, p->pid);
	n = read_file(path, buf, sizeof buf);
	if (n <= 0)
		return;
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	note_name(t, p, buf);
}

const char *trc_name(struct trc *t, struct trc_proc *p)
{
	if (!p->ended)
		read_comm(t, p);
	return p->nnames ? p->names[p->nnames - 1].name : "";
}

char trc_state(struct trc *t, const struct trc_proc *p)
{
	char st;
	pid_t pp;

	(void)t;
	if (!p->ended) {
		if (proc_stat(p->pid, &st, NULL, NULL) == 0 &&
		    (st == 'T' || st == 't')) {
			char path[64], buf[2048], *s;

			/* A listening tracee shows 't'; a group stop says
			 * "stopped" in status. */
			snprintf(path, sizeof path, "/proc/%d/status", p->pid);
			if (read_file(path, buf, sizeof buf) > 0 &&
			    (s = strstr(buf, "State:")) && strstr(s, "stopped"))
				return 'T';
		}
		return 'A';
	}
	/* Ended: a zombie until its parent reaps it. A pid reused by another
	 * process would have a parent outside the run. */
	if (proc_stat(p->pid, &st, &pp, NULL) == 0 && st == 'Z' &&
	    trc_find(t, pp))
		return 'Z';
	return 'R';
}

/* ---- ptrace helpers ---- */

static void resume(pid_t pid, int sig)
{
	/* ESRCH: killed meanwhile; its exit is reported all the same. */
	ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
}

static int get_regs(pid_t pid, struct user_regs_struct *r)
{
	return ptrace(PTRACE_GETREGS, pid, 0, r);
}

/* Skip the system call the task is stopped in, returning -err. */
static void deny(pid_t pid, struct user_regs_struct *r, int err)
{
	r->orig_rax = -1;
	r->rax = -err;
	ptrace(PTRACE_SETREGS, pid, 0, r);
}

static int read_mem(pid_t pid, unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };

	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len
	           ? 0
	           : -1;
}

/* A NUL-terminated string of the tracee, read a page-safe piece at a time. */
static int read_str(pid_t pid, unsigned long addr, char *buf, size_t size)
{
	size_t got = 0;

	while (got + 1 < size) {
		size_t chunk = 64 - ((addr + got) % 64);

		if (chunk > size - 1 - got)
			chunk = size - 1 - got;
		if (read_mem(pid, addr + got, buf + got, chunk) < 0)
			return -1;
		if (memchr(buf + got, '\0', chunk))
			return 0;
		got += chunk;
	}
	buf[size - 1] = '\0';
	return 0;
}

static void refused(struct trc *t, long nr)
{
	for (int i = 0; i < t->nrefused; i++)
		if (t->refused[i].nr == nr) {
			t->refused[i].count++;
			return;
		}
	if (t->nrefused < (int)(sizeof t->refused / sizeof t->refused[0]))
		t->refused[t->nrefused++] = (struct trc_refused){ nr, 1 };
}

/* ---- seccomp traps ---- */

/* Tasks alive now, as the kernel has them: the record may lag, with exits
 * still queued behind the stop being handled. Costly; used near a limit. */
static int live_count(struct trc *t)
{
	char path[64], st;
	int n = 0;

	for (int i = 0; i < t->np; i++) {
		struct trc_proc *q = &t->p[i];

		if (q->ended || q->exiting)
			continue;
		snprintf(path, sizeof path, "%d/task/%d", q->tgid, q->pid);
		if (proc_stat_path(path, &st) == 0 && st != 'Z' && st != 'X')
			n++;
	}
	return n;
}

static int clone_allowed(struct trc *t, struct trc_proc *p, int thread)
{
	int alive = t->alive_tasks + t->inflight;

	if (p->forking) { /* its last attempt failed: no event came */
		p->forking = 0;
		t->inflight--;
		alive--;
	}
	if (alive >= t->lim->procs)
		alive = live_count(t) + t->inflight;
	if (alive >= t->lim->procs) {
		trc_limit(t, TRC_LIM_PROCS);
		return 0;
	}
	if (!thread && t->created_procs + t->inflight >= t->lim->procs_total) {
		trc_limit(t, TRC_LIM_PROCS_TOTAL);
		return 0;
	}
	p->forking = 1;
	t->inflight++;
	return 1;
}

/* 1 if the task may be sent a signal: alive in the run, or its zombie. */
static int ours(struct trc *t, pid_t pid)
{
	struct trc_proc *p = trc_find(t, pid);

	return p && (!p->ended || trc_state(t, p) == 'Z');
}

static int group_ours(struct trc *t, pid_t pgid)
{
	for (int i = 0; i < t->np; i++)
		if (!t->p[i].ended && getpgid(t->p[i].pid) == pgid)
			return 1;
	return 0;
}

/* The pid a pidfd (or a /proc/PID directory descriptor) of task refers to. */
static pid_t pidfd_target(pid_t task, int fd)
{
	char path[64], buf[512], *s;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", task, fd);
	if (read_file(path, buf, sizeof buf) > 0 && (s = strstr(buf, "\nPid:")))
		return (pid_t)strtol(s + 5, NULL, 10);
	snprintf(path, sizeof path, "/proc/%d/fd/%d", task, fd);
	n = readlink(path, buf, sizeof buf - 1);
	if (n > 6 && !strncmp(buf, "/proc/", 6)) {
		buf[n] = '\0';
		return (pid_t)strtol(buf + 6, NULL, 10);
	}
	return 0;
}

static int signal_allowed(struct trc *t, struct user_regs_struct *r, pid_t task)
{
	long nr = (long)r->orig_rax;
	long a0 = (long)r->rdi, a1 = (long)r->rsi;

	if (nr == SYS_kill) {
		pid_t pid = (pid_t)a0;

		if (pid > 0)
			return ours(t, pid);
		if (pid == 0) /* its own group: inside the run's sessions */
			return 1;
		if (pid == -1)
			return 0;
		return group_ours(t, -pid);
	}
	if (nr == SYS_tgkill || nr == SYS_rt_tgsigqueueinfo)
		return ours(t, (pid_t)a0) && ours(t, (pid_t)a1);
	if (nr == SYS_pidfd_send_signal)
		return ours(t, pidfd_target(task, (int)a0));
	/* tkill, rt_sigqueueinfo, pidfd_open */
	return ours(t, (pid_t)a0);
}

static void add_obj(struct trc *t, char kind, int id, const char *name)
{
	struct trc_obj *o;

	for (int i = 0; i < t->nobj; i++)
		if (t->obj[i].kind == kind && t->obj[i].id == id &&
		    !strcmp(t->obj[i].name, name))
			return;
	if (t->nobj == TRC_CREATED)
		return;
	o = &t->obj[t->nobj++];
	o->kind = kind;
	o->id = id;
	snprintf(o->name, sizeof o->name, "%s", name);
}

/* The path a creating call names, made absolute. */
static void note_create(struct trc *t, pid_t pid, struct user_regs_struct *r)
{
	static const struct {
		long nr;
		signed char dirfd, path;
	} args[] = {
		{ SYS_open, -1, 0 },     { SYS_creat, -1, 0 },
		{ SYS_openat, 0, 1 },    { SYS_openat2, 0, 1 },
		{ SYS_mkdir, -1, 0 },    { SYS_mkdirat, 0, 1 },
		{ SYS_link, -1, 1 },     { SYS_linkat, 2, 3 },
		{ SYS_symlink, -1, 1 },  { SYS_symlinkat, 1, 2 },
		{ SYS_rename, -1, 1 },   { SYS_renameat, 2, 3 },
		{ SYS_renameat2, 2, 3 }, { SYS_mq_open, -1, 0 },
	};
	unsigned long a[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };
	char path[PATH_MAX], base[PATH_MAX], link[64];
	long nr = (long)r->orig_rax;
	size_t i;

	for (i = 0; i < sizeof args / sizeof args[0]; i++)
		if (args[i].nr == nr)
			break;
	if (i == sizeof args / sizeof args[0] ||
	    read_str(pid, a[(int)args[i].path], path, sizeof path) < 0)
		return;
	if (nr == SYS_mq_open) {
		if (a[1] & O_CREAT)
			add_obj(t, 'q', 0, path[0] == '/' ? path + 1 : path);
		return;
	}
	if (path[0] != '/') {
		int dirfd =
		    args[i].dirfd < 0 ? AT_FDCWD : (int)a[args[i].dirfd];
		ssize_t n;

		if (dirfd == AT_FDCWD)
			snprintf(link, sizeof link, "/proc/%d/cwd", pid);
		else
			snprintf(link, sizeof link, "/proc/%d/fd/%d", pid,
			         dirfd);
		n = readlink(link, base, sizeof base - 1);
		if (n <= 0)
			return;
		base[n] = '\0';
		if (strlen(base) + strlen(path) + 2 > sizeof path)
			return;
		memmove(path + strlen(base) + 1, path, strlen(path) + 1);
		memcpy(path, base, strlen(base));
		path[strlen(base)] = '/';
	}
	/* Only /dev/shm matters: the scratch directory goes as a whole. */
	if (!strncmp(path, "/dev/shm/", 9) && !strstr(path + 9, "/"))
		add_obj(t, 'f', 0, path + 9);
}

static void on_seccomp(struct trc *t, struct trc_proc *p)
{
	struct user_regs_struct r;
	unsigned long data = 0;
	int step = 0;

	if (ptrace(PTRACE_GETEVENTMSG, p->pid, 0, &data) < 0 ||
	    get_regs(p->pid, &r) < 0)
		goto out;
	if (data & SBX_TRAP_REFUSE) {
		refused(t, (long)r.orig_rax);
		deny(p->pid, &r, (int)(data & 0xff));
		goto out;
	}
	switch (data) {
	case SBX_TRAP_CLONE:
		if (t->killing)
			deny(p->pid, &r, EAGAIN);
		else if (!clone_allowed(t, p,
		                        (long)r.orig_rax == SYS_clone &&
		                            (r.rdi & CLONE_THREAD)))
			deny(p->pid, &r, EAGAIN);
		break;
	case SBX_TRAP_SIGNAL:
		if (!signal_allowed(t, &r, p->pid)) {
			refused(t, (long)r.orig_rax);
			deny(p->pid, &r, EPERM);
		}
		break;
	case SBX_TRAP_NAME: {
		char name[16] = "";

		if (read_mem(p->pid, r.rsi, name, 15) == 0 ||
		    read_str(p->pid, r.rsi, name, sizeof name) == 0) {
			name[15] = '\0';
			note_name(t, p, name);
		}
		break;
	}
	case SBX_TRAP_CREATE:
		note_create(t, p->pid, &r);
		break;
	case SBX_TRAP_SYSV:
		/* The id is known on return: step to the syscall's exit. */
		if (t->nsysv <
		    (int)(sizeof t->sysv_pending / sizeof t->sysv_pending[0])) {
			t->sysv_pending[t->nsysv++] = p->pid;
			step = 1;
		}
		break;
	}
out:
	if (step)
		ptrace(PTRACE_SYSCALL, p->pid, 0, 0);
	else
		resume(p->pid, 0);
}

/* A syscall-exit stop: only SysV gets are stepped into. */
static int on_sysv_return(struct trc *t, struct trc_proc *p)
{
	struct user_regs_struct r;

	for (int i = 0; i < t->nsysv; i++) {
		if (t->sysv_pending[i] != p->pid)
			continue;
		t->sysv_pending[i] = t->sysv_pending[--t->nsysv];
		if (get_regs(p->pid, &r) == 0 && (long)r.rax >= 0) {
			char kind = (long)r.orig_rax == SYS_shmget   ? 'm'
			            : (long)r.orig_rax == SYS_semget ? 's'
			                                             : 'g';
			add_obj(t, kind, (int)r.rax, "");
		}
		resume(p->pid, 0);
		return 1;
	}
	return 0;
}

/* ---- events ---- */

/* A new task. add() may move the table: no record pointer survives it, so
 * the parent is known by its pid and fields copied before. */
static void on_new_task(struct trc *t, pid_t parent_pid, int event)
{
	struct trc_proc *parent = trc_find(t, parent_pid), *c;
	struct user_regs_struct r;
	unsigned long msg = 0;
	pid_t child, ppid, tgid;
	char name[16] = "";
	int thread = 0, clone_parent = 0;

	if (!parent || ptrace(PTRACE_GETEVENTMSG, parent_pid, 0, &msg) < 0)
		return;
	child = (pid_t)msg;
	if (event == PTRACE_EVENT_CLONE && get_regs(parent_pid, &r) == 0) {
		thread = (r.rdi & CLONE_THREAD) != 0;
		clone_parent = (r.rdi & CLONE_PARENT) != 0;
	}
	ppid = thread || clone_parent ? parent->ppid : parent->tgid;
	tgid = thread ? parent->tgid : child;
	if (parent->nnames)
		memcpy(name, parent->names[parent->nnames - 1].name, 16);
	if (parent->forking) {
		parent->forking = 0;
		t->inflight--;
	}
	/* waitpid() reports the tasks of a run in no causal order: the
	 * child's first stop, even its end, may have come before this event.
	 * Such a record was made without knowing its parent; link it now. */
	c = trc_find(t, child);
	if (c && !c->linked) {
		if (thread && !c->thread && !c->exiting)
			t->alive_procs--; /* counted as a process so far */
		c->ppid = ppid;
		c->tgid = tgid;
		c->thread = thread;
	} else {
		c = add(t, child, ppid, tgid);
		if (!c)
			return;
	}
	c->linked = 1;
	if (thread)
		t->created_threads++;
	else
		t->created_procs++;
	if (*name)
		note_name(t, c, name);
	if (t->killing)
		kill(child, SIGKILL);
}

/* A task stops counting as alive at its exit stop (it can create nothing
 * more), or at its end when it never stopped there (SIGKILL). */
static void uncount(struct trc *t, struct trc_proc *p)
{
	if (p->exiting)
		return;
	p->exiting = 1;
	if (p->forking) {
		p->forking = 0;
		t->inflight--;
	}
	t->alive_tasks--;
	if (!p->thread)
		t->alive_procs--;
}

static void on_exit_event(struct trc *t, struct trc_proc *p)
{
	char st, comm[16];
	double cpu;

	uncount(t, p);
	/* One read gives the last name and the CPU time of a process. stat
	 * shows the name raw: no newline of the kernel's to strip there. */
	if (p->thread) {
		read_comm(t, p);
	} else if (proc_stat_all(p->pid, comm, &st, NULL, &cpu) == 0) {
		note_name(t, p, comm);
		t->cpu_dead += cpu;
	}
	if (p->pid != t->main)
		return;
	/* The main process is leaving: what it leaves behind is judged now,
	 * before its children are handed to forklab and reaped. */
	for (int i = 0; i < t->np; i++) {
		struct trc_proc *q = &t->p[i];

		if (q->thread || q->pid == t->main)
			continue;
		if (!q->ended)
			t->alive_after_main++;
		else if (trc_state(t, q) == 'Z')
			t->zombies_at_main_exit++;
	}
}

static void on_stop(struct trc *t, struct trc_proc *p, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	pid_t pid = p->pid;

	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_task(t, pid, event); /* p may move: use pid after */
		resume(pid, 0);
		return;
	case PTRACE_EVENT_EXEC:
		read_comm(t, p);
		resume(p->pid, 0);
		return;
	case PTRACE_EVENT_EXIT:
		on_exit_event(t, p);
		resume(p->pid, 0);
		return;
	case PTRACE_EVENT_SECCOMP:
		on_seccomp(t, p);
		return;
	case PTRACE_EVENT_STOP:
		if (!p->seen) { /* a new task's first stop */
			p->seen = 1;
			resume(p->pid, 0);
		} else if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
		           sig == SIGTTOU) {
			ptrace(PTRACE_LISTEN, p->pid, 0, 0); /* group stop */
		} else {
			resume(p->pid, 0);
		}
		return;
	}
	if (sig == (SIGTRAP | 0x80) && on_sysv_return(t, p))
		return;
	/* A signal is being delivered: note it, then deliver it. */
	p->seen = 1;
	if (p->nsigs < TRC_SIGNALS)
		p->sigs[p->nsigs++] = (struct trc_sig){ trc_now(t), sig };
	p->sigs_total++;
	if (sig == SIGXFSZ)
		trc_limit(t, TRC_LIM_FSIZE);
	if (sig == SIGXCPU)
		trc_limit(t, TRC_LIM_CPU);
	resume(p->pid, sig);
}

static void on_end(struct trc *t, struct trc_proc *p, int status)
{
	if (p->ended)
		return;
	p->ended = 1;
	p->end = trc_now(t);
	p->exit_code =
	    WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
	uncount(t, p);
	if (p->pid == t->main) {
		t->main_ended = 1;
		t->main_exit = p->exit_code;
	}
}

int trc_poll(struct trc *t, int block)
{
	int handled = 0, status;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status,
		              __WALL | (block && !handled ? 0 : WNOHANG));
		if (pid == 0)
			return handled;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			return handled ? handled : -1;
		}
		handled++;
		struct trc_proc *p = trc_find(t, pid);

		if (!p || (p->ended && WIFSTOPPED(status))) {
			/* A task whose creation event has not come yet, or a
			 * new task that reuses the pid of an ended one. */
			p = add(t, pid, 0, pid);
			if (!p) {
				kill(pid, SIGKILL);
				continue;
			}
		}
		if (WIFSTOPPED(status))
			on_stop(t, p, status);
		else if (WIFEXITED(status) || WIFSIGNALED(status))
			on_end(t, p, status);
	}
}

int trc_attach(struct trc *t, pid_t pid, const struct sbx_limits *lim)
{
	const long opts = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
	                  PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
	                  PTRACE_O_TRACEEXIT | PTRACE_O_TRACESECCOMP |
	                  PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL;
	struct trc_proc *p;

	memset(t, 0, sizeof *t);
	t->lim = lim;
	t->t0 = mono();
	t->main = pid;
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)opts) < 0)
		return -1;
	p = add(t, pid, getpid(), pid);
	if (!p)
		return -1;
	p->seen = 1;
	p->linked = 1;
	t->created_procs = 1;
	read_comm(t, p);
	return 0;
}

int trc_kill_all(struct trc *t)
{
	int n = 0;

	t->killing = 1;
	for (int i = 0; i < t->np; i++)
		if (!t->p[i].ended && !t->p[i].thread) {
			kill(t->p[i].pid, SIGKILL);
			n++;
		}
	return n;
}

double trc_cpu(struct trc *t)
{
	double sum = t->cpu_dead, cpu;
	char st;

	for (int i = 0; i < t->np; i++)
		if (!t->p[i].ended && !t->p[i].thread &&
		    proc_stat(t->p[i].pid, &st, NULL, &cpu) == 0)
			sum += cpu;
	return sum;
}

long long trc_shm_bytes(struct trc *t)
{
	long long sum = 0;
	char path[160];
	struct stat st;

	for (int i = 0; i < t->nobj; i++) {
		if (t->obj[i].kind != 'f')
			continue;
		snprintf(path, sizeof path, "/dev/shm/%s", t->obj[i].name);
		if (lstat(path, &st) == 0)
			sum += (long long)st.st_blocks * 512;
	}
	return sum;
}

void trc_remove_objects(struct trc *t, int counts[3])
{
	char path[160];

	counts[0] = counts[1] = counts[2] = 0;
	for (int i = 0; i < t->nobj; i++) {
		struct trc_obj *o = &t->obj[i];
		int r = -1;

		switch (o->kind) {
		case 'f':
			snprintf(path, sizeof path, "/dev/shm/%s", o->name);
			r = unlink(path);
			if (r < 0 && errno == EISDIR)
				r = rmdir(path);
			if (r == 0)
				counts[0]++;
			break;
		case 'q':
			snprintf(path, sizeof path, "/%s", o->name);
			if (mq_unlink(path) == 0)
				counts[1]++;
			break;
		case 'm':
			r = shmctl(o->id, IPC_RMID, NULL);
			goto sysv;
		case 's':
			r = semctl(o->id, 0, IPC_RMID);
			goto sysv;
		case 'g':
			r = msgctl(o->id, IPC_RMID, NULL);
		sysv:
			if (r == 0)
				counts[2]++;
			break;
		}
	}
}

void trc_free(struct trc *t)
{
	free(t->p);
	free(t->hash);
	t->p = NULL;
	t->hash = NULL;
	t->np = t->cap = t->hcap = 0;
}
