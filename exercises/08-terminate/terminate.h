/*
 * terminate.h - 08-terminate: stopping a stuck worker.
 *
 * The contract of exercise 08 (see README.md beside this file). Do not edit
 * this file: the grader compiles your terminate.c against its own copy.
 * Python: p.terminate(); p.join(grace); if p.is_alive(): p.kill()
 */
#ifndef FORKLAB_TERMINATE_H
#define FORKLAB_TERMINATE_H

#ifndef FORKLAB_TASK_FN
#define FORKLAB_TASK_FN
/* A unit of work run in a child process. id tells children apart; the return
 * value becomes the child's exit status. */
typedef int (*task_fn)(int id, void *arg);
#endif

#include <sys/types.h>

/* Stop pid, which must be a child of the caller: send SIGTERM; if it has not
 * ended within grace seconds, send SIGKILL. A stopped child is continued
 * (SIGCONT) after SIGTERM, so that SIGTERM takes effect. Always reaps it.
 * Returns its exit code: -15 if SIGTERM ended it, -9 if SIGKILL did, or its
 * own exit status if it exited (by itself, or cleanly in answer to SIGTERM).
 * -1 with errno set on error, and then no signal is sent: EINVAL if pid <= 0,
 * ECHILD if pid is not a child of the caller. */
int stop_process(pid_t pid, double grace);

/* Run task(0, arg) in a new child that leads a process group of its own
 * (setpgid, or setsid). If it has not ended within timeout seconds, stop it
 * and every process of its group, as stop_process does (SIGTERM, grace,
 * SIGKILL). Returns its exit code; sets *timed_out to 1 if the deadline was
 * reached, else 0. Every process of the group has ended when it returns, also
 * when the task ended in time but left helpers behind (a killed process that
 * nobody can reap counts as ended). */
int run_with_deadline(task_fn task, void *arg, double timeout, double grace,
                      int *timed_out);

#endif /* FORKLAB_TERMINATE_H */
