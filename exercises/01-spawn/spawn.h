/*
 * spawn.h - forklab exercise 01-spawn: spawning processes.
 *
 * The contract of spawn_all(), exactly as the assignment sheet states it.
 * Students implement it in spawn.c; this header is never edited.
 */
#ifndef FORKLAB_SPAWN_H
#define FORKLAB_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#ifndef FORKLAB_TASK_FN
#define FORKLAB_TASK_FN
/* A unit of work run in a child process. id tells children apart; the return
 * value becomes the child's exit status. */
typedef int (*task_fn)(int id, void *arg);
#endif

/* Run task(i, arg) for each i in [0, n), each in a child process of its own,
 * all at the same time. The caller runs no task itself, and returns only after
 * every child has ended and been reaped. If statuses is not NULL, statuses[i]
 * receives child i's exit code. Returns 0. If a child cannot be created, returns
 * -1 with errno set (statuses unspecified), after the children already started
 * have ended (waited for, or killed) and been reaped. n == 0 starts nothing and
 * returns 0. */
int spawn_all(int n, task_fn task, void *arg, int *statuses);

#endif /* FORKLAB_SPAWN_H */
