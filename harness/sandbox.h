/* sandbox.h - the inside of the box: seccomp, Landlock, rlimits, identity. */
#ifndef FORKLAB_SANDBOX_H
#define FORKLAB_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

/* What the seccomp filter hands to the tracer (SECCOMP_RET_TRACE data). */
enum sbx_trap {
	SBX_TRAP_CLONE = 1,      /* fork, vfork, clone: the process limits */
	SBX_TRAP_SIGNAL = 2,     /* kill, tkill, ...: the target must be ours */
	SBX_TRAP_NAME = 3,       /* prctl(PR_SET_NAME): the names over time */
	SBX_TRAP_CREATE = 4,     /* creating a path or a message queue */
	SBX_TRAP_SYSV = 5,       /* shmget, semget, msgget: the id on return */
	SBX_TRAP_REFUSE = 0x100, /* | errno: refused, recorded */
};

/* The resources a run may use. Zero means "the default". */
struct sbx_limits {
	double wall_s;     /* wall-clock time of the whole run */
	double cpu_s;      /* CPU time summed over all its processes */
	int procs;         /* tasks (processes and threads) alive at once */
	int procs_total;   /* processes created in total */
	long mem_mib;      /* address space, per process */
	long fsize_mib;    /* largest file written */
	long disk_mib;     /* bytes under the scratch directory and /dev/shm */
	long output_bytes; /* bytes kept per output stream */
	int nofile;        /* descriptors per process */
};

/* How one child enters the box. */
struct sbx_conf {
	const char *scratch;   /* read-write, the cwd */
	const char *const *ro; /* extra read+execute paths, NULL-ended */
	uid_t uid;             /* identity when started as root */
	gid_t gid;
	const struct sbx_limits *lim;
	char *const *envp; /* the whole environment */
};

/* Fill lim's zero fields with the defaults. */
void sbx_limits_default(struct sbx_limits *lim);

/* Prepare the box once per forklab process: compile the seccomp filter
 * (libseccomp, from the table in sandbox.c) and probe Landlock. Returns 0, or
 * -1 with a message in err. Calling it again does nothing. */
int sbx_init(char *err, size_t errlen);

/* Resolve the system directories the box may read, once, in forklab: each
 * child then adds them to its Landlock ruleset without looking up a path.
 * Called by run_exec() before each fork; does nothing when done already.
 * 0, or -1 with errno. */
int sbx_prepare(void);

/* The Landlock ABI the box uses (0: none on this kernel). After sbx_init. */
int sbx_landlock_abi(void);

/* 1 when POSIX message queues work in the box (Landlock has a rule for
 * their filesystem, or there is no Landlock). After sbx_init. */
int sbx_mqueue_ok(void);

/* 1 when forklab runs as root and so gives each run a uid of its own. */
int sbx_is_root(void);

/* Hide path (forklab's data: graders, references) from every box: it and
 * everything below it get no Landlock right, even inside a system directory.
 * Call before the first run; at most 8 paths. */
void sbx_hide(const char *path);

/* In a freshly forked child: enter the box described by c and execute argv[0]
 * with argv. Never returns on success. On failure returns -1 with errno set
 * and a message in err (the caller reports it and _exits). Descriptors
 * 0..nfds-1 are kept, all others closed. */
int sbx_exec(const struct sbx_conf *c, char *const argv[], int nfds, char *err,
             size_t errlen);

/* The name of a system call number of the native architecture, or "?". */
const char *sbx_syscall_name(long nr);

#endif
