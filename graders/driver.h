/*
 * driver.h - what every grader's test driver needs.
 *
 * A grader (graders/NN-name.c) is linked with driver.c and one submission
 * into a program `driver TEST`, run by forklab in the box, once per test.
 * The driver talks to forklab over the channel (fd 3, an AF_UNIX
 * SOCK_SEQPACKET socket; the kernel attaches the sender's pid to each
 * message):
 *
 *   ?token            once, first thing in main(): the run's secret
 *   ?procs            the kernel's record of every task of the run
 *   ?objects          named IPC objects the run created that still exist
 *   E text            a timeline event (any process may send one)
 *   N text            a line of feedback (only the main process)
 *   M name value      a measurement forklab judges against the reference
 *   V token pass      the verdict: only from the main process, with the
 *   V token fail text token; exactly one per run
 *
 * A test is a function that returns normally when every assertion held,
 * and calls fl_fail() at the first one that did not. Everything a test
 * concludes about processes (how many, whose children, names, exit codes,
 * zombies) comes from fl_procs(), the kernel's record, never from what the
 * submission reports.
 */
#ifndef FORKLAB_DRIVER_H
#define FORKLAB_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "table.h"

/* The grader provides these two (see FL_GRADER in a grader). */
extern const struct fl_test fl_tests[];
extern const int fl_ntests;

/* ---- what a test uses ---- */

/* One task of the run, as the kernel reported it to forklab. */
struct fl_proc {
	pid_t pid;
	pid_t ppid;    /* parent at creation */
	double start;  /* seconds since the run began */
	double end;    /* < 0 while alive */
	int exit_code; /* once ended: status, or -signal */
	char state;    /* 'A' alive, 'T' stopped, 'Z' zombie, 'R' reaped */
	int thread;    /* 1 for a thread */
	int nsigs;     /* signals delivered to it */
	char name[64]; /* its name now (or at its end) */
};

/* The kernel's record, up to now: every task of the run, the driver's main
 * process first. Names are exact bytes (a newline a program wrote into its
 * comm included). Returns how many were stored (at most max), or -1 if
 * forklab did not answer (the test then fails). *now: forklab's clock. Call
 * it from the main process, or from a thread of it. */
int fl_procs(struct fl_proc *out, int max, double *now);

/* The driver's main process (the caller of the functions under test). */
pid_t fl_main_pid(void);

/* Count, in a record, the processes (not threads) created after time t0 whose
 * parent is parent (0: any parent but the main process's own parent). */
int fl_count_children(const struct fl_proc *p, int n, pid_t parent, double t0);

/* Find pid in a record, or NULL. */
const struct fl_proc *fl_find(const struct fl_proc *p, int n, pid_t pid);

/* The named IPC objects the run created that still exist, one per line
 * ("f name" for /dev/shm, "q name" for a message queue, "m/s/g id" for SysV
 * shm/sem/msg), into buf. Returns how many, or -1. */
int fl_objects(char *buf, size_t size);

/* Fail the test: feedback for the student in three parts. Never returns. */
__attribute__((noreturn, format(printf, 3, 4))) void
fl_fail(const char *expected, const char *hint, const char *observed_fmt, ...);

/* Add a line of feedback (shown with the verdict, pass or fail). */
__attribute__((format(printf, 1, 2))) void fl_note(const char *fmt, ...);

/* A timeline event ("task 1 started", "arrive 3"). Any process may send. */
__attribute__((format(printf, 1, 2))) void fl_event(const char *fmt, ...);

/* The test's measurement, judged by forklab against the reference's. */
void fl_metric(double value);

/* Seconds on CLOCK_MONOTONIC. */
double fl_now(void);

/* Sleep s seconds (nanosleep, EINTR resumed). */
void fl_sleep(double s);

/* size bytes of zeroed memory shared with every process forked after. */
void *fl_shared(size_t size);

/* Shared counters for rendezvous between processes, without busy waiting
 * (futex). Place them in fl_shared() memory. */
typedef struct {
	volatile uint32_t v;
} fl_counter;
void fl_counter_add(fl_counter *c, int d);
/* Wait until c->v >= target, at most timeout seconds. 0, or -1 on timeout. */
int fl_counter_wait(fl_counter *c, uint32_t target, double timeout);

/* CPU seconds (user + system) the kernel accounted to process pid (a whole
 * thread group), or -1. */
double fl_cpu_of(pid_t pid);

/* Run fn(arg) in a helper process of the grader's own (not a process of the
 * submission): returns its pid. */
pid_t fl_spawn_helper(void (*fn)(void *), void *arg);

/* Wait for a child of the driver by pid, at most timeout seconds, without
 * busy waiting. Returns 0 and the Python exit code in *code, 1 on timeout,
 * -1 on error (errno). */
int fl_wait_child(pid_t pid, double timeout, int *code);

#endif
