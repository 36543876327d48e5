/*
 * sandbox.c - the inside of the box.
 *
 * Theory of operation. forklab forks a child for every run; the tracer
 * attaches to it, then the child calls sbx_exec(), which restricts itself in
 * the order of the table steps[] and executes the command:
 *
 *   session          its own session and group, so kill(0) stays inside
 *   rlimits, chdir   per-process backstops; the scratch directory as cwd
 *   landlock         system directories read-only, scratch read-write,
 *                    forklab's own data hidden, no TCP, signals scoped
 *   descriptors      0-2 (and the driver's channel on 3), nothing else
 *   identity         a uid of its own when forklab runs as root
 *   seccomp          the filter compiled once by sbx_init(), last
 *   execve()
 *
 * The seccomp filter is an allowlist built from the table below. Calls the
 * exercises need pass untouched; the few calls the tracer must see (process
 * creation, signals, renames) stop with SECCOMP_RET_TRACE and a code saying
 * why; everything else is refused through the tracer, which records it and
 * answers EPERM (ENOSYS for clone3, so that libc falls back to clone). Foreign
 * architectures (i386's int 0x80, x32) kill the process with SIGSYS. The
 * filter is compiled once per forklab process and only loaded in each child,
 * which costs almost nothing.
 */
#define _GNU_SOURCE
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif
#include <linux/mount.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Debian 12's headers predate Landlock ABI 4 and 6. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#define LL_NET_BIND_TCP        (1ULL << 0)
#define LL_NET_CONNECT_TCP     (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define LL_SCOPE_SIGNAL        (1ULL << 1)

struct ll_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

/* The allowlist: calls the exercises (and the compiler) need. */
static const char *const allowed[] = {
	/* files and descriptors */
	"read",
	"write",
	"close",
	"close_range",
	"stat",
	"fstat",
	"lstat",
	"newfstatat",
	"statx",
	"lseek",
	"pread64",
	"pwrite64",
	"readv",
	"writev",
	"preadv",
	"pwritev",
	"preadv2",
	"pwritev2",
	"access",
	"faccessat",
	"faccessat2",
	"dup",
	"dup2",
	"dup3",
	"fcntl",
	"flock",
	"fsync",
	"fdatasync",
	"truncate",
	"ftruncate",
	"fallocate",
	"getdents",
	"getdents64",
	"getcwd",
	"chdir",
	"fchdir",
	"rmdir",
	"unlink",
	"unlinkat",
	"readlink",
	"readlinkat",
	"chmod",
	"fchmod",
	"fchmodat",
	"chown",
	"fchown",
	"lchown",
	"fchownat",
	"umask",
	"utime",
	"utimes",
	"utimensat",
	"futimesat",
	"statfs",
	"fstatfs",
	"sendfile",
	"splice",
	"tee",
	"vmsplice",
	"copy_file_range",
	"sync_file_range",
	"readahead",
	"fadvise64",
	"getxattr",
	"lgetxattr",
	"fgetxattr",
	"listxattr",
	"llistxattr",
	"flistxattr",
	"ioctl",
	"memfd_create",
	"inotify_init",
	"inotify_init1",
	"inotify_add_watch",
	"inotify_rm_watch",
	/* waiting for descriptors */
	"poll",
	"ppoll",
	"select",
	"pselect6",
	"epoll_create",
	"epoll_create1",
	"epoll_ctl",
	"epoll_wait",
	"epoll_pwait",
	"epoll_pwait2",
	"eventfd",
	"eventfd2",
	"signalfd",
	"signalfd4",
	"timerfd_create",
	"timerfd_settime",
	"timerfd_gettime",
	/* pipes and AF_UNIX sockets (socket() itself is checked below) */
	"pipe",
	"pipe2",
	"sendto",
	"recvfrom",
	"sendmsg",
	"recvmsg",
	"sendmmsg",
	"recvmmsg",
	"shutdown",
	"bind",
	"listen",
	"accept",
	"accept4",
	"connect",
	"getsockname",
	"getpeername",
	"setsockopt",
	"getsockopt",
	/* memory */
	"mmap",
	"mprotect",
	"munmap",
	"brk",
	"mremap",
	"msync",
	"mincore",
	"madvise",
	"mlock",
	"munlock",
	"mlock2",
	"membarrier",
	/* processes */
	"execve",
	"execveat",
	"exit",
	"exit_group",
	"wait4",
	"waitid",
	"getpid",
	"getppid",
	"gettid",
	"setpgid",
	"getpgid",
	"getpgrp",
	"setsid",
	"getsid",
	"getuid",
	"getgid",
	"geteuid",
	"getegid",
	"getresuid",
	"getresgid",
	"getgroups",
	"capget",
	"getrlimit",
	"setrlimit",
	"getrusage",
	"times",
	"sysinfo",
	"uname",
	"getpriority",
	"getcpu",
	"sched_yield",
	"sched_getaffinity",
	"sched_setaffinity",
	"sched_getparam",
	"sched_getscheduler",
	"sched_get_priority_max",
	"sched_get_priority_min",
	"sched_getattr",
	"set_tid_address",
	"set_robust_list",
	"get_robust_list",
	"rseq",
	"arch_prctl",
	"futex",
	"futex_waitv",
	"getrandom",
	"restart_syscall",
	"landlock_create_ruleset",
	"landlock_add_rule",
	"landlock_restrict_self",
	"seccomp",
	/* signals: handlers and masks freely; sending is checked */
	"rt_sigaction",
	"rt_sigprocmask",
	"rt_sigreturn",
	"rt_sigpending",
	"rt_sigtimedwait",
	"rt_sigsuspend",
	"sigaltstack",
	"pause",
	/* time */
	"nanosleep",
	"clock_nanosleep",
	"clock_gettime",
	"clock_getres",
	"gettimeofday",
	"time",
	"alarm",
	"getitimer",
	"setitimer",
	"timer_create",
	"timer_settime",
	"timer_gettime",
	"timer_getoverrun",
	"timer_delete",
	/* System V and POSIX IPC */
	"shmat",
	"shmctl",
	"shmdt",
	"semop",
	"semctl",
	"semtimedop",
	"msgsnd",
	"msgrcv",
	"msgctl",
	"mq_unlink",
	"mq_timedsend",
	"mq_timedreceive",
	"mq_notify",
	"mq_getsetattr",
};

/* Calls that stop in the tracer, and why (enum sbx_trap). */
static const struct {
	const char *name;
	int trap;
} trapped[] = {
	{ "fork", SBX_TRAP_CLONE },
	{ "vfork", SBX_TRAP_CLONE },
	{ "kill", SBX_TRAP_SIGNAL },
	{ "tkill", SBX_TRAP_SIGNAL },
	{ "tgkill", SBX_TRAP_SIGNAL },
	{ "rt_sigqueueinfo", SBX_TRAP_SIGNAL },
	{ "rt_tgsigqueueinfo", SBX_TRAP_SIGNAL },
	{ "pidfd_open", SBX_TRAP_SIGNAL },
	{ "pidfd_send_signal", SBX_TRAP_SIGNAL },
};

/* Calls that are allowed only with some arguments; refused otherwise. */
#define NS_FLAGS                                                               \
	(CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |           \
	 CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | 0x80 /* NEWTIME */)

static struct sock_fprog filter; /* compiled once by sbx_init() */
static int mq_root = -1;         /* the mqueue filesystem, for Landlock */
/* Rules resolved once in forklab (sbx_prepare): a child adds them with no
 * path lookups of its own. */
static struct {
	int fd;
	uint64_t access;
} pre[2048];
static int npre = -1; /* -1: not resolved yet, or to be resolved again */
static int ll_abi = -1;
static const char *hidden[8];
static int nhidden;

void sbx_limits_default(struct sbx_limits *l)
{
	if (l->wall_s <= 0)
		l->wall_s = 10;
	if (l->cpu_s <= 0)
		l->cpu_s = 10;
	if (l->procs <= 0)
		l->procs = 64;
	if (l->procs_total <= 0)
		l->procs_total = 1000;
	if (l->mem_mib <= 0)
		l->mem_mib = 512;
	if (l->fsize_mib <= 0)
		l->fsize_mib = 16;
	if (l->disk_mib <= 0)
		l->disk_mib = 64;
	if (l->output_bytes <= 0)
		l->output_bytes = 65536;
	if (l->nofile <= 0)
		l->nofile = 256;
}

static void errf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static int add(scmp_filter_ctx ctx, uint32_t act, const char *name, unsigned n,
               const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		return 0; /* not on this architecture */
	return seccomp_rule_add_array(ctx, act, nr, n, cmp);
}

static int build_filter(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp c[2];
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		rc |= add(ctx, SCMP_ACT_ALLOW, allowed[i], 0, NULL);
	for (i = 0; i < sizeof trapped / sizeof trapped[0]; i++)
		rc |= add(ctx, SCMP_ACT_TRACE(trapped[i].trap), trapped[i].name,
		          0, NULL);

	/* Only AF_UNIX sockets. */
	c[0] = SCMP_A0(SCMP_CMP_EQ, AF_UNIX);
	rc |= add(ctx, SCMP_ACT_ALLOW, "socket", 1, c);
	rc |= add(ctx, SCMP_ACT_ALLOW, "socketpair", 1, c);

	/* clone without namespace flags stops for the process limits. */
	c[0] = SCMP_A0(SCMP_CMP_MASKED_EQ, NS_FLAGS, 0);
	rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_CLONE), "clone", 1, c);
	/* clone3 hides its flags in memory: ENOSYS makes libc use clone. */
	rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_REFUSE | ENOSYS), "clone3", 0,
	          NULL);

	/* prctl: renames stop (the names over time), the rest pass. */
	c[0] = SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME);
	rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_NAME), "prctl", 1, c);
	c[0] = SCMP_A0(SCMP_CMP_NE, PR_SET_NAME);
	rc |= add(ctx, SCMP_ACT_ALLOW, "prctl", 1, c);

	/* Calls that create named objects stop, so that the tracer records
	 * what a run leaves in /dev/shm and in the IPC tables. */
	static const char *const create[] = {
		"creat",  "openat2",  "mkdir",     "mkdirat",
		"link",   "linkat",   "symlink",   "symlinkat",
		"rename", "renameat", "renameat2",
	};
	for (i = 0; i < sizeof create / sizeof create[0]; i++)
		rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_CREATE), create[i], 0,
		          NULL);
	c[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT);
	rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_CREATE), "open", 1, c);
	c[0] = SCMP_A1(SCMP_CMP_MASKED_EQ, O_CREAT, 0);
	rc |= add(ctx, SCMP_ACT_ALLOW, "open", 1, c);
	c[0] = SCMP_A2(SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT);
	rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_CREATE), "openat", 1, c);
	c[0] = SCMP_A2(SCMP_CMP_MASKED_EQ, O_CREAT, 0);
	rc |= add(ctx, SCMP_ACT_ALLOW, "openat", 1, c);
	rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_CREATE), "mq_open", 0, NULL);
	rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_SYSV), "shmget", 0, NULL);
	rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_SYSV), "semget", 0, NULL);
	rc |= add(ctx, SCMP_ACT_TRACE(SBX_TRAP_SYSV), "msgget", 0, NULL);

	/* personality: only the query. */
	c[0] = SCMP_A0(SCMP_CMP_EQ, 0xffffffff);
	rc |= add(ctx, SCMP_ACT_ALLOW, "personality", 1, c);
	/* prlimit64 and setpriority: only on the caller itself. */
	c[0] = SCMP_A0(SCMP_CMP_EQ, 0);
	rc |= add(ctx, SCMP_ACT_ALLOW, "prlimit64", 1, c);
	c[0] = SCMP_A0(SCMP_CMP_EQ, PRIO_PROCESS);
	c[1] = SCMP_A1(SCMP_CMP_EQ, 0);
	rc |= add(ctx, SCMP_ACT_ALLOW, "setpriority", 2, c);
	return rc ? -1 : 0;
}

static int probe_landlock(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0,
	                 LANDLOCK_CREATE_RULESET_VERSION);

	return v < 0 ? 0 : (int)v;
}

/* Descriptors forklab keeps for the box live at SBX_FD_MIN or above: a
 * child places its own 0..4 with dup2(), which would close them. */
#define SBX_FD_MIN 10

static int keep_high(int fd)
{
	int high;

	if (fd < 0 || fd >= SBX_FD_MIN)
		return fd;
	high = fcntl(fd, F_DUPFD_CLOEXEC, SBX_FD_MIN);
	close(fd);
	return high;
}

/* The root of the POSIX message queue filesystem. mq_open() opens a file
 * in it, which Landlock checks like any other: without a rule for it, every
 * message queue is refused. /dev/mqueue where it is mounted, else a detached
 * mount of our own (root only; nothing changes in the machine's mounts). */
static int open_mq_root(void)
{
	struct statfs sf;
	int fd = open("/dev/mqueue", O_PATH | O_DIRECTORY | O_CLOEXEC), fs, mnt;

	if (fd >= 0 && fstatfs(fd, &sf) == 0 && sf.f_type == MQUEUE_MAGIC)
		return fd;
	if (fd >= 0)
		close(fd);
	fs = (int)syscall(SYS_fsopen, "mqueue", FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		close(fs);
		return -1;
	}
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	close(fs);
	return mnt;
}

int sbx_mqueue_ok(void)
{
	return mq_root >= 0 || sbx_landlock_abi() <= 0;
}

int sbx_init(char *err, size_t errlen)
{
	scmp_filter_ctx ctx = NULL;
	struct stat st;
	void *buf = NULL;
	int fd = -1, rc = -1;

	if (filter.filter)
		return 0;
	ll_abi = probe_landlock();
	if (ll_abi > 0)
		mq_root = keep_high(open_mq_root());
	ctx = seccomp_init(SCMP_ACT_TRACE(SBX_TRAP_REFUSE | EPERM));
	if (!ctx) {
		errf(err, errlen, "seccomp_init failed");
		goto out;
	}
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	                     SCMP_ACT_KILL_PROCESS) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    build_filter(ctx) < 0) {
		errf(err, errlen, "seccomp: cannot build the filter");
		goto out;
	}
	fd = memfd_create("forklab-bpf", MFD_CLOEXEC);
	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || fstat(fd, &st) < 0 ||
	    st.st_size <= 0) {
		errf(err, errlen, "seccomp_export_bpf: %s", strerror(errno));
		goto out;
	}
	buf = malloc(st.st_size);
	if (!buf || pread(fd, buf, st.st_size, 0) != st.st_size) {
		errf(err, errlen, "reading the compiled filter: %m");
		free(buf);
		goto out;
	}
	filter.len = st.st_size / sizeof(struct sock_filter);
	filter.filter = buf;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ctx)
		seccomp_release(ctx);
	return rc;
}

int sbx_landlock_abi(void)
{
	if (ll_abi < 0)
		ll_abi = probe_landlock();
	return ll_abi;
}

int sbx_is_root(void)
{
	return geteuid() == 0;
}

void sbx_hide(const char *path)
{
	char *real = realpath(path, NULL);

	if (real && nhidden < (int)(sizeof hidden / sizeof hidden[0])) {
		hidden[nhidden++] = real;
		for (int i = 0; i < npre; i++) /* resolve again, without it */
			close(pre[i].fd);
		npre = -1;
	} else {
		free(real);
	}
}

const char *sbx_syscall_name(long nr)
{
	static char name[32];
	char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);

	if (!s)
		return "?";
	snprintf(name, sizeof name, "%s", s);
	free(s);
	return name;
}

/* ---- the steps, in the order sbx_exec() takes them ---- */

static int setup_session(void)
{
	return setsid() < 0 ? -1 : 0;
}

static int setup_fds(int first)
{
	if (syscall(SYS_close_range, first, ~0U, 0) == 0)
		return 0;
	for (int fd = first; fd < 65536; fd++)
		close(fd);
	return 0;
}

static int setup_rlimits(const struct sbx_limits *l)
{
	const struct {
		int res;
		rlim_t val;
	} t[] = {
		{ RLIMIT_AS, (rlim_t)l->mem_mib << 20 },
		{ RLIMIT_FSIZE, (rlim_t)l->fsize_mib << 20 },
		{ RLIMIT_NOFILE, (rlim_t)l->nofile },
		{ RLIMIT_CORE, 0 },
		/* a backstop only: the tracer sums CPU over all processes */
		{ RLIMIT_CPU, (rlim_t)l->cpu_s + 2 },
		{ RLIMIT_STACK, 8 << 20 },
		{ RLIMIT_MEMLOCK, 1 << 20 },
		{ RLIMIT_MSGQUEUE, 1 << 20 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct rlimit r;

		/* Only ever lower: raising needs CAP_SYS_RESOURCE, which
		 * containers often drop. */
		if (getrlimit(t[i].res, &r) < 0)
			return -1;
		if (t[i].val < r.rlim_max)
			r.rlim_max = t[i].val;
		r.rlim_cur = r.rlim_max;
		if (setrlimit(t[i].res, &r) < 0)
			return -1;
	}
	return 0;
}

static int ll_rule(int ruleset, const char *path, uint64_t access)
{
	struct landlock_path_beneath_attr pb = { .allowed_access = access };
	struct stat st;
	int rc;

	pb.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0)
		return errno == ENOENT || errno == EACCES ? 0 : -1;
	if (ruleset < 0) { /* resolving: keep the descriptor for later */
		pb.parent_fd = keep_high(pb.parent_fd);
		if (pb.parent_fd < 0)
			return -1;
		if (npre == (int)(sizeof pre / sizeof pre[0])) {
			close(pb.parent_fd);
			errno = E2BIG;
			return -1;
		}
		pre[npre].fd = pb.parent_fd;
		pre[npre++].access = access;
		return 0;
	}
	/* Files take only file rights. */
	if (fstat(pb.parent_fd, &st) == 0 && !S_ISDIR(st.st_mode))
		pb.allowed_access &=
		    LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
		    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
	rc = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH,
	             &pb, 0);
	close(pb.parent_fd);
	return rc;
}

/* 1 if a is b or an ancestor of b. */
static int covers(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n == 1 && a[0] == '/')
		return 1;
	return strncmp(a, b, n) == 0 && (b[n] == '/' || b[n] == '\0');
}

/* Grant access below dir, except what sbx_hide() named: a directory that
 * holds a hidden path is opened up entry by entry instead. */
static int ll_tree(int ruleset, const char *dir, uint64_t access, int depth)
{
	char real[PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	int split = 0, rc = 0;
	DIR *d;

	if (!realpath(dir, real))
		return 0;
	for (int i = 0; i < nhidden; i++) {
		if (covers(hidden[i], real))
			return 0; /* hidden itself */
		if (covers(real, hidden[i]))
			split = 1;
	}
	if (!split || depth > 8)
		return ll_rule(ruleset, real, access);
	d = opendir(real);
	if (!d)
		return 0;
	while ((e = readdir(d)) && rc == 0) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s",
		                     strcmp(real, "/") ? real : "",
		                     e->d_name) >= sizeof sub)
			continue;
		rc = ll_tree(ruleset, sub, access, depth + 1);
	}
	closedir(d);
	return rc;
}

static int setup_landlock(const struct sbx_conf *c)
{
	const uint64_t rx = LANDLOCK_ACCESS_FS_EXECUTE |
	                    LANDLOCK_ACCESS_FS_READ_FILE |
	                    LANDLOCK_ACCESS_FS_READ_DIR;
	const uint64_t file_rw = LANDLOCK_ACCESS_FS_READ_FILE |
	                         LANDLOCK_ACCESS_FS_WRITE_FILE |
	                         LANDLOCK_ACCESS_FS_TRUNCATE;

	struct ll_attr attr = { 0 };
	size_t attr_size;
	uint64_t all_fs;
	int abi = sbx_landlock_abi(), rs, rc = -1;

	if (abi <= 0)
		return 0; /* recorded as "landlock": 0 */
	all_fs = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;
	if (abi >= 2)
		all_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		all_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		all_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	attr.handled_access_fs = all_fs;
	attr_size = sizeof attr.handled_access_fs;
	if (abi >= 4) {
		attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		attr_size += sizeof attr.handled_access_net;
	}
	if (abi >= 6) {
		attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		attr_size += sizeof attr.scoped;
	}
	rs = syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0);
	if (rs < 0)
		return -1;
	for (int i = 0; i < npre; i++) {
		struct landlock_path_beneath_attr pb = { pre[i].access & all_fs,
			                                 pre[i].fd };
		struct stat st;

		/* Files take only file rights. */
		if (fstat(pb.parent_fd, &st) == 0 && !S_ISDIR(st.st_mode))
			pb.allowed_access &= LANDLOCK_ACCESS_FS_EXECUTE |
			                     LANDLOCK_ACCESS_FS_READ_FILE;
		if (syscall(SYS_landlock_add_rule, rs,
		            LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
			goto out;
	}
	for (int i = 0; c->ro && c->ro[i]; i++)
		if (ll_tree(rs, c->ro[i], rx & all_fs, 0) < 0)
			goto out;
	/* /proc: read, and write for /proc/self/comm. Other processes'
	 * files are guarded by the kernel's ptrace access checks. */
	if (ll_rule(rs, "/proc",
	            (rx | LANDLOCK_ACCESS_FS_WRITE_FILE) & all_fs) < 0 ||
	    ll_rule(rs, "/dev/null", file_rw & all_fs) < 0 ||
	    ll_rule(rs, "/dev/full", file_rw & all_fs) < 0 ||
	    ll_rule(rs, "/dev/shm", all_fs & ~LANDLOCK_ACCESS_FS_EXECUTE) < 0 ||
	    ll_rule(rs, c->scratch, all_fs) < 0)
		goto out;
	if (mq_root >= 0) {
		struct landlock_path_beneath_attr pb = {
			.allowed_access = (LANDLOCK_ACCESS_FS_READ_FILE |
			                   LANDLOCK_ACCESS_FS_WRITE_FILE |
			                   LANDLOCK_ACCESS_FS_MAKE_REG |
			                   LANDLOCK_ACCESS_FS_REMOVE_FILE |
			                   LANDLOCK_ACCESS_FS_READ_DIR) &
			                  all_fs,
			.parent_fd = mq_root,
		};

		if (syscall(SYS_landlock_add_rule, rs,
		            LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
			goto out;
	}
	if (syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		goto out;
	rc = 0;
out:
	close(rs);
	return rc;
}

static int setup_identity(const struct sbx_conf *c)
{
	if (!sbx_is_root())
		return 0;
	if (setgroups(0, NULL) < 0 || setresgid(c->gid, c->gid, c->gid) < 0 ||
	    setresuid(c->uid, c->uid, c->uid) < 0)
		return -1;
	/* A uid change clears these; see the sheet's notes. */
	prctl(PR_SET_DUMPABLE, 1);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	return 0;
}

static int load_seccomp(void)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter);
}

/* System directories: read and execute. */
static const char *const sys_ro[] = {
	"/usr",         "/lib",
	"/lib64",       "/lib32",
	"/libx32",      "/bin",
	"/sbin",        "/etc",
	"/opt",         "/sys/devices/system/cpu",
	"/dev/urandom", "/dev/random",
	"/dev/zero",
};
int sbx_prepare(void)
{
	const uint64_t rx = LANDLOCK_ACCESS_FS_EXECUTE |
	                    LANDLOCK_ACCESS_FS_READ_FILE |
	                    LANDLOCK_ACCESS_FS_READ_DIR;

	if (npre >= 0 || sbx_landlock_abi() <= 0)
		return 0;
	npre = 0;
	for (size_t i = 0; i < sizeof sys_ro / sizeof sys_ro[0]; i++)
		if (ll_tree(-1, sys_ro[i], rx, 0) < 0)
			return -1;
	return 0;
}

/* The steps into the box, in order: each narrows what the next may do. */
static int step_session(const struct sbx_conf *c, int nfds)
{
	(void)c, (void)nfds;
	return setup_session();
}

static int step_rlimits(const struct sbx_conf *c, int nfds)
{
	(void)nfds;
	return setup_rlimits(c->lim);
}

static int step_chdir(const struct sbx_conf *c, int nfds)
{
	(void)nfds;
	return chdir(c->scratch);
}

static int step_nnp(const struct sbx_conf *c, int nfds)
{
	(void)c, (void)nfds;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static int step_landlock(const struct sbx_conf *c, int nfds)
{
	(void)nfds;
	return setup_landlock(c);
}

static int step_fds(const struct sbx_conf *c, int nfds)
{
	(void)c;
	return setup_fds(nfds); /* after Landlock, which used mq_root */
}

static int step_identity(const struct sbx_conf *c, int nfds)
{
	(void)nfds;
	return setup_identity(c);
}

static int step_seccomp(const struct sbx_conf *c, int nfds)
{
	(void)c, (void)nfds;
	return load_seccomp();
}

static const struct {
	const char *name;
	int (*fn)(const struct sbx_conf *c, int nfds);
} steps[] = {
	{ "setsid", step_session },
	{ "setrlimit", step_rlimits },
	{ "chdir", step_chdir },
	{ "no_new_privs", step_nnp },
	{ "landlock", step_landlock },
	{ "closing descriptors", step_fds },
	{ "dropping privileges", step_identity },
	{ "seccomp", step_seccomp }, /* last: from here on, the filter */
};

int sbx_exec(const struct sbx_conf *c, char *const argv[], int nfds, char *err,
             size_t errlen)
{
	if (!filter.filter) {
		errf(err, errlen, "sandbox: not initialised");
		return -1;
	}
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i].fn(c, nfds) < 0) {
			errf(err, errlen, "sandbox: %s: %s", steps[i].name,
			     strerror(errno));
			return -1;
		}
	execve(argv[0], argv, c->envp);
	errf(err, errlen, "cannot execute %s: %s", argv[0], strerror(errno));
	return -1;
}
