/* trace.h - the kernel's record of a process tree. */
#ifndef FORKLAB_TRACE_H
#define FORKLAB_TRACE_H

#include <stddef.h>
#include <sys/types.h>

#include "sandbox.h"

#define TRC_NAMES   8  /* names kept per process (the first ones) */
#define TRC_SIGNALS 16 /* signals kept per process (the first ones) */
#define TRC_CREATED 64 /* named objects kept per run */

/* Why a run was stopped or a request refused; bit numbers of trc.limits. */
enum trc_limit {
	TRC_LIM_NONE,
	TRC_LIM_WALL,
	TRC_LIM_CPU,
	TRC_LIM_PROCS,
	TRC_LIM_PROCS_TOTAL,
	TRC_LIM_MEMORY,
	TRC_LIM_FSIZE,
	TRC_LIM_OUTPUT,
	TRC_LIM_DISK,
	TRC_LIM_COUNT
};

struct trc_name {
	double t;
	char name[16];
};

struct trc_sig {
	double t;
	int signo;
};

/* One task: a process or a thread, as the kernel reported it. */
struct trc_proc {
	pid_t pid;
	pid_t ppid;    /* its parent when it was created */
	pid_t tgid;    /* == pid for a process */
	int thread;    /* 1 for a thread of another process */
	double start;  /* seconds since the run started */
	double end;    /* < 0 while alive */
	int ended;     /* the tracer saw it end */
	int exit_code; /* Python's exitcode: status, or -signal */
	int seen;      /* its first stop was handled */
	int linked;    /* its creation event was handled (or it is main) */
	int forking;   /* between a clone stop and its event */
	int exiting;   /* reached its exit stop: no longer counted alive */
	int nnames, nsigs, sigs_total;
	struct trc_name names[TRC_NAMES];
	struct trc_sig sigs[TRC_SIGNALS];
};

/* A named object the run created: a /dev/shm path, a queue, a SysV id. */
struct trc_obj {
	char kind; /* 'f' path, 'q' message queue, 'm' shm, 's' sem, 'g' msg */
	int id;
	char name[120];
};

struct trc_refused {
	long nr;
	int count;
};

struct trc {
	const struct sbx_limits *lim;
	double t0;  /* CLOCK_MONOTONIC at the start */
	pid_t main; /* the run's first process */
	struct trc_proc *p;
	int np, cap;
	int *hash; /* pid -> index + 1, open addressing */
	int hcap;
	int alive_tasks, alive_procs, inflight;
	int created_procs, created_threads, peak_alive;
	unsigned limits; /* bit per enum trc_limit hit */
	int first_limit; /* the first limit hit */
	int main_ended, main_exit;
	int alive_after_main, zombies_at_main_exit;
	int killing;     /* the end: every new task is killed */
	double cpu_dead; /* CPU seconds of processes that ended */
	struct trc_refused refused[32];
	int nrefused;
	struct trc_obj obj[TRC_CREATED];
	int nobj;
	pid_t sysv_pending[16]; /* pids stepping out of a SysV get */
	int nsysv;
};

/* Seconds since t->t0. */
double trc_now(const struct trc *t);

/* Start recording pid, a child of the caller that has not yet entered the
 * box: PTRACE_SEIZE with fork, clone, exec, exit and seccomp events, and
 * EXITKILL so nothing outlives forklab. Returns 0, or -1 with errno. */
int trc_attach(struct trc *t, pid_t pid, const struct sbx_limits *lim);

/* Handle every event the kernel has queued (block: wait for at least one).
 * Returns how many were handled, or -1 with errno ECHILD once no task of the
 * run is left. */
int trc_poll(struct trc *t, int block);

/* Kill every task of the run that is alive (SIGKILL, by pid), and every task
 * created from now on. Returns how many were alive. */
int trc_kill_all(struct trc *t);

/* CPU seconds used so far by all processes of the run. */
double trc_cpu(struct trc *t);

/* The record of pid, or NULL. */
struct trc_proc *trc_find(struct trc *t, pid_t pid);

/* 'A' alive, 'T' stopped, 'Z' ended but not reaped by its parent, 'R' gone. */
char trc_state(struct trc *t, const struct trc_proc *p);

/* The current name of p: read from /proc while it lives. */
const char *trc_name(struct trc *t, struct trc_proc *p);

/* Note that limit l was hit. */
void trc_limit(struct trc *t, enum trc_limit l);

/* The name of a limit ("wall", "procs", ...). */
const char *trc_limit_name(int l);

/* Remove the named objects the run created that still exist. Returns how
 * many of each kind were removed in counts[0] (shm files), counts[1]
 * (message queues), counts[2] (SysV objects). */
void trc_remove_objects(struct trc *t, int counts[3]);

/* Bytes used by the /dev/shm objects the run created. */
long long trc_shm_bytes(struct trc *t);

/* Free everything t holds. */
void trc_free(struct trc *t);

#endif
