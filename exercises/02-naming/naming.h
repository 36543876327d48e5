/*
 * naming.h - forklab exercise 02-naming: naming processes.
 *
 * The contracts of spawn_named() and process_name(), exactly as the assignment
 * sheet states them. Students implement them in naming.c; this header is never
 * edited.
 */
#ifndef FORKLAB_NAMING_H
#define FORKLAB_NAMING_H

#include <stddef.h>
#include <sys/types.h>

#ifndef FORKLAB_TASK_FN
#define FORKLAB_TASK_FN
/* A unit of work run in a child process. id tells children apart; the return
 * value becomes the child's exit status. */
typedef int (*task_fn)(int id, void *arg);
#endif

/* As spawn_all, but child i first sets its own process name to names[i] (a
 * non-empty string), so that /proc/PID/comm, `ps -o comm` and top show it, and
 * only then runs task(i, arg).
 * The kernel keeps at most 15 bytes of a name: a longer one shows cut to its
 * first 15 bytes, which is expected. The caller's own name does not change. */
int spawn_named(int n, const char *const names[], task_fn task, void *arg,
                int *statuses);

/* Copy the calling process's current name into buf (size bytes at most,
 * the terminating NUL included). Returns 0, or -1 with errno set: ERANGE when
 * the name does not fit (buf's contents are then unspecified). */
int process_name(char *buf, size_t size);

#endif /* FORKLAB_NAMING_H */
