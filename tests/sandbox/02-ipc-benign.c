/*
 * 02-ipc-benign: everything the exercises and their graders need must work
 * inside the sandbox. A table of checks, each one a small scene between this
 * process and its children; each prints "ok NAME" or "FAIL NAME: why". Exit 0
 * only when every check passed, else 1. Every wait is bounded, so that a check
 * the sandbox breaks (a stop the tracer swallows, a lost wakeup) is named
 * instead of running into the wall limit. Everything created is removed: the
 * record must show nothing left for forklab to clean.
 */
#include "hostile.h"

#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#define FAIL(what)                                                             \
	do {                                                                   \
		snprintf(why, size, "%s: %s", (what), h_errname(errno));       \
		goto out;                                                      \
	} while (0)
#define FAILX(...)                                                             \
	do {                                                                   \
		snprintf(why, size, __VA_ARGS__);                              \
		goto out;                                                      \
	} while (0)

/* Wait for pid to report what options ask for (0: its end; WUNTRACED: also a
 * stop), at most timeout seconds. Returns pid, or -1 with errno; ETIMEDOUT
 * when time ran out, and then the child has been killed and reaped. */
static pid_t reap(pid_t pid, int *status, int options, double timeout)
{
	struct timespec tick = { 0, 1000000 };
	long ticks = (long)(timeout * 1000);

	for (long i = 0; i <= ticks; i++) {
		pid_t r = waitpid(pid, status, options | WNOHANG);

		if (r != 0)
			return r;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	errno = ETIMEDOUT;
	return -1;
}

/* Reap *pid and demand that it exited with code. *pid becomes -1. */
static int reap_exit(pid_t *pid, int code, char *why, size_t size)
{
	pid_t p = *pid;
	int st;

	*pid = -1;
	if (reap(p, &st, 0, 3) < 0) {
		snprintf(why, size, "waitpid: %s", h_errname(errno));
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code) {
		snprintf(why, size, "child status 0x%x, expected exit %d", st,
		         code);
		return -1;
	}
	return 0;
}

/* Reap *pid and demand that signo killed it. *pid becomes -1. */
static int reap_signal(pid_t *pid, int signo, char *why, size_t size)
{
	pid_t p = *pid;
	int st;

	*pid = -1;
	if (reap(p, &st, 0, 3) < 0) {
		snprintf(why, size, "waitpid: %s", h_errname(errno));
		return -1;
	}
	if (!WIFSIGNALED(st) || WTERMSIG(st) != signo) {
		snprintf(why, size, "child status 0x%x, expected signal %d", st,
		         signo);
		return -1;
	}
	return 0;
}

/* On a failed check's way out: kill and reap a child still there. */
static void discard(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		reap(*pid, NULL, 0, 3);
	}
	*pid = -1;
}

static void name_object(char *buf, size_t size, const char *kind)
{
	snprintf(buf, size, "/forklab-sbx-ipc-%s-%d", kind, (int)getpid());
}

__attribute__((noreturn)) static void pause_forever(void)
{
	for (;;)
		pause();
}

static int check_fork_waitpid(char *why, size_t size)
{
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(why, size, "fork: %s", h_errname(errno));
		return -1;
	}
	if (pid == 0)
		_exit(7);
	return reap_exit(&pid, 7, why, size);
}

static int check_pipe(char *why, size_t size)
{
	int p[2] = { -1, -1 }, ret = -1;
	char buf[8] = { 0 };
	pid_t pid = -1;

	if (pipe2(p, O_CLOEXEC) < 0)
		FAIL("pipe2");
	pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0)
		_exit(write(p[1], "ping", 4) == 4 ? 0 : 1);
	if (read(p[0], buf, 4) != 4 || memcmp(buf, "ping", 4) != 0)
		FAILX("read from the pipe did not give \"ping\"");
	if (reap_exit(&pid, 0, why, size) < 0)
		goto out;
	ret = 0;
out:
	discard(&pid);
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	return ret;
}

/* An echo over socketpair(AF_UNIX, type): two messages there and back. With
 * SOCK_SEQPACKET the two must also arrive as two. */
static int echo_socketpair(int type, char *why, size_t size)
{
	int sv[2] = { -1, -1 }, ret = -1;
	char buf[64];
	pid_t pid = -1;

	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) < 0)
		FAIL("socketpair");
	pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0) {
		close(sv[0]);
		for (int i = 0; i < 2; i++) {
			ssize_t n = recv(sv[1], buf, sizeof(buf), 0);

			if (n <= 0 || send(sv[1], buf, n, 0) != n)
				_exit(1);
		}
		_exit(0);
	}
	close(sv[1]);
	sv[1] = -1;
	if (send(sv[0], "one", 3, 0) != 3)
		FAIL("send");
	if (recv(sv[0], buf, sizeof(buf), 0) != 3 || memcmp(buf, "one", 3))
		FAILX("the first echo came back wrong");
	if (send(sv[0], "second", 6, 0) != 6)
		FAIL("send");
	if (recv(sv[0], buf, sizeof(buf), 0) != 6 || memcmp(buf, "second", 6))
		FAILX("the second echo came back wrong");
	if (reap_exit(&pid, 0, why, size) < 0)
		goto out;
	ret = 0;
out:
	discard(&pid);
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	return ret;
}

static int check_socketpair_stream(char *why, size_t size)
{
	return echo_socketpair(SOCK_STREAM, why, size);
}

static int check_socketpair_seqpacket(char *why, size_t size)
{
	return echo_socketpair(SOCK_SEQPACKET, why, size);
}

static int check_mmap_shared(char *why, size_t size)
{
	int *shared, ret = -1;
	pid_t pid;

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		snprintf(why, size, "mmap: %s", h_errname(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0) {
		*shared = 42;
		_exit(0);
	}
	if (reap_exit(&pid, 0, why, size) < 0)
		goto out;
	if (*shared != 42)
		FAILX("the child's write is not seen: %d", *shared);
	ret = 0;
out:
	munmap(shared, 4096);
	return ret;
}

struct shared_lock {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long counter;
	int flag;
};

/* A process-shared mutex guards a counter two children raise; then a
 * process-shared condition variable (with a timed wait) carries a flag. */
static int check_pshared_mutex(char *why, size_t size)
{
	struct shared_lock *s;
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	struct timespec deadline;
	pid_t pids[2] = { -1, -1 }, pid = -1;
	int ret = -1, rc = 0;

	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
	         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED) {
		snprintf(why, size, "mmap: %s", h_errname(errno));
		return -1;
	}
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->mu, &ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &ca);

	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			FAIL("fork");
		if (pids[i] == 0) {
			for (int k = 0; k < 10000; k++) {
				pthread_mutex_lock(&s->mu);
				s->counter++;
				pthread_mutex_unlock(&s->mu);
			}
			_exit(0);
		}
	}
	for (int i = 0; i < 2; i++)
		if (reap_exit(&pids[i], 0, why, size) < 0)
			goto out;
	if (s->counter != 20000)
		FAILX("counter is %ld, expected 20000", s->counter);

	pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0) {
		usleep(10000);
		pthread_mutex_lock(&s->mu);
		s->flag = 1;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 2;
	pthread_mutex_lock(&s->mu);
	while (!s->flag && rc == 0)
		rc = pthread_cond_timedwait(&s->cv, &s->mu, &deadline);
	pthread_mutex_unlock(&s->mu);
	if (reap_exit(&pid, 0, why, size) < 0)
		goto out;
	if (!s->flag)
		FAILX("pthread_cond_timedwait: %s", h_errname(rc));
	ret = 0;
out:
	discard(&pids[0]);
	discard(&pids[1]);
	discard(&pid);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	munmap(s, sizeof(*s));
	return ret;
}

static int check_sem_open(char *why, size_t size)
{
	char name[64];
	struct timespec deadline;
	sem_t *sem;
	pid_t pid = -1;
	int ret = -1;

	name_object(name, sizeof(name), "sem");
	sem = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
	if (sem == SEM_FAILED) {
		snprintf(why, size, "sem_open: %s", h_errname(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0)
		_exit(sem_post(sem) == 0 ? 0 : 1);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 2;
	if (sem_timedwait(sem, &deadline) < 0)
		FAIL("sem_timedwait");
	if (reap_exit(&pid, 0, why, size) < 0)
		goto out;
	ret = 0;
out:
	discard(&pid);
	sem_close(sem);
	if (sem_unlink(name) < 0 && ret == 0) {
		snprintf(why, size, "sem_unlink: %s", h_errname(errno));
		ret = -1;
	}
	return ret;
}

static int check_shm_open(char *why, size_t size)
{
	char name[64], *p = MAP_FAILED;
	pid_t pid = -1;
	int fd, ret = -1;

	name_object(name, sizeof(name), "shm");
	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0) {
		snprintf(why, size, "shm_open: %s", h_errname(errno));
		return -1;
	}
	if (ftruncate(fd, 4096) < 0)
		FAIL("ftruncate");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		FAIL("mmap");
	pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0) {
		strcpy(p, "shm ok");
		_exit(0);
	}
	if (reap_exit(&pid, 0, why, size) < 0)
		goto out;
	if (strcmp(p, "shm ok") != 0)
		FAILX("the child's write is not seen");
	ret = 0;
out:
	discard(&pid);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
	if (shm_unlink(name) < 0 && ret == 0) {
		snprintf(why, size, "shm_unlink: %s", h_errname(errno));
		ret = -1;
	}
	return ret;
}

static int check_mq_open(char *why, size_t size)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	struct timespec deadline;
	char name[64], buf[64];
	mqd_t q;
	pid_t pid = -1;
	int ret = -1;

	name_object(name, sizeof(name), "mq");
	q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	if (q == (mqd_t)-1) {
		snprintf(why, size, "mq_open: %s", h_errname(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0)
		_exit(mq_send(q, "mq ok", 6, 0) == 0 ? 0 : 1);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 2;
	if (mq_timedreceive(q, buf, sizeof(buf), NULL, &deadline) != 6)
		FAIL("mq_timedreceive");
	if (strcmp(buf, "mq ok") != 0)
		FAILX("the message came wrong");
	if (reap_exit(&pid, 0, why, size) < 0)
		goto out;
	ret = 0;
out:
	discard(&pid);
	mq_close(q);
	if (mq_unlink(name) < 0 && ret == 0) {
		snprintf(why, size, "mq_unlink: %s", h_errname(errno));
		ret = -1;
	}
	return ret;
}

/* Read a /proc comm file into buf, without its newline. */
static int read_comm(const char *path, char *buf, size_t size)
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
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

/* The child names itself with prctl and then through /proc/self/comm; the
 * parent reads the name from /proc/PID/comm, as the grader of 02 does. */
static int check_prctl_name(char *why, size_t size)
{
	int ready[2] = { -1, -1 }, done[2] = { -1, -1 }, ret = -1;
	char path[64], comm[32], c = 0;
	pid_t pid = -1;

	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0)
		FAIL("pipe2");
	pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0) {
		int ok =
		    prctl(PR_SET_NAME, "sbx-named", 0, 0, 0) == 0 &&
		    read_comm("/proc/self/comm", comm, sizeof(comm)) == 0 &&
		    strcmp(comm, "sbx-named") == 0;

		c = ok ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(1);
		int fd = open("/proc/self/comm", O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, "sbx-renamed", 11) != 11)
			_exit(3);
		close(fd);
		if (read_comm("/proc/self/comm", comm, sizeof(comm)) < 0 ||
		    strcmp(comm, "sbx-renamed") != 0)
			_exit(4);
		_exit(ok ? 0 : 2);
	}
	if (read(ready[0], &c, 1) != 1)
		FAIL("read");
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (read_comm(path, comm, sizeof(comm)) < 0)
		FAIL(path);
	if (strcmp(comm, "sbx-named") != 0)
		FAILX("%s is \"%s\", expected \"sbx-named\"", path, comm);
	if (write(done[1], "x", 1) != 1)
		FAIL("write");
	/* The child's exit 2: prctl or reading /proc/self/comm failed; 3 or
	 * 4: writing /proc/self/comm failed. */
	if (reap_exit(&pid, 0, why, size) < 0)
		goto out;
	ret = 0;
out:
	discard(&pid);
	for (int i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (done[i] >= 0)
			close(done[i]);
	}
	return ret;
}

static int check_pidfd(char *why, size_t size)
{
	struct pollfd pfd;
	int pidfd = -1, ret = -1;
	pid_t pid = fork();

	if (pid < 0)
		FAIL("fork");
	if (pid == 0)
		pause_forever();
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		FAIL("pidfd_open");
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) < 0)
		FAIL("pidfd_send_signal");
	pfd.fd = pidfd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 3000) != 1)
		FAILX("poll on the pidfd: the child's end was not seen");
	if (reap_signal(&pid, SIGTERM, why, size) < 0)
		goto out;
	ret = 0;
out:
	discard(&pid);
	if (pidfd >= 0)
		close(pidfd);
	return ret;
}

static int check_timer(char *why, size_t size)
{
	struct sigevent sev = { 0 };
	struct itimerspec its = { .it_value = { 0, 10000000 } };
	struct timespec wait = { 2, 0 };
	sigset_t set, old;
	siginfo_t info;
	timer_t timer;
	int ret = -1, created = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, &old);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer) < 0)
		FAIL("timer_create");
	created = 1;
	if (timer_settime(timer, 0, &its, NULL) < 0)
		FAIL("timer_settime");
	if (sigtimedwait(&set, &info, &wait) != SIGRTMIN)
		FAIL("sigtimedwait");
	if (info.si_code != SI_TIMER)
		FAILX("the signal came with si_code %d, not SI_TIMER",
		      info.si_code);
	ret = 0;
out:
	if (created && timer_delete(timer) < 0 && ret == 0) {
		snprintf(why, size, "timer_delete: %s", h_errname(errno));
		ret = -1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static const struct {
	clockid_t id;
	const char *name;
} clocks[] = {
	{ CLOCK_REALTIME, "CLOCK_REALTIME" },
	{ CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
	{ CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
	{ CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID" },
	{ CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID" },
};

static int check_clocks(char *why, size_t size)
{
	struct timespec ts, nap = { 0, 1000000 };

	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		if (clock_gettime(clocks[i].id, &ts) < 0) {
			snprintf(why, size, "clock_gettime(%s): %s",
			         clocks[i].name, h_errname(errno));
			return -1;
		}
	}
	if (clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL) != 0) {
		snprintf(why, size, "clock_nanosleep failed");
		return -1;
	}
	if (nanosleep(&nap, NULL) < 0) {
		snprintf(why, size, "nanosleep: %s", h_errname(errno));
		return -1;
	}
	return 0;
}

static void *double_it(void *arg)
{
	long *v = arg;

	*v *= 2;
	return NULL;
}

/* Threads: pthread_create tries clone3 first, which the sandbox answers with
 * ENOSYS, and must fall back to clone. */
static int check_threads(char *why, size_t size)
{
	pthread_t t[4];
	long v[4];
	int rc, started = 0, ret = -1;

	for (int i = 0; i < 4; i++) {
		v[i] = i + 1;
		rc = pthread_create(&t[i], NULL, double_it, &v[i]);
		if (rc != 0) {
			snprintf(why, size, "pthread_create: %s",
			         h_errname(rc));
			goto out;
		}
		started++;
	}
	ret = 0;
out:
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < started && ret == 0; i++) {
		if (v[i] != 2 * (i + 1)) {
			snprintf(why, size, "thread %d did not run", i);
			ret = -1;
		}
	}
	return ret;
}

/* What 08-terminate does: stop a child, see the stop, continue and end it.
 * The tracer must let the stop reach the real parent. */
static int check_stop_continue(char *why, size_t size)
{
	int st, ret = -1;
	pid_t pid = fork();

	if (pid < 0)
		FAIL("fork");
	if (pid == 0)
		pause_forever();
	if (kill(pid, SIGSTOP) < 0)
		FAIL("kill(SIGSTOP)");
	if (reap(pid, &st, WUNTRACED, 3) < 0) {
		pid = -1;
		FAILX("waitpid(WUNTRACED): %s, the stop was never reported",
		      h_errname(errno));
	}
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP)
		FAILX("waitpid(WUNTRACED) gave 0x%x, not a SIGSTOP stop", st);
	kill(pid, SIGCONT);
	kill(pid, SIGTERM);
	if (reap_signal(&pid, SIGTERM, why, size) < 0)
		goto out;
	ret = 0;
out:
	discard(&pid);
	return ret;
}

/* Two children in a process group of their own, ended by one kill(-pgid);
 * then a child that starts a session of its own. */
static int check_process_group(char *why, size_t size)
{
	pid_t a = -1, b = -1, c = -1;
	int ret = -1;

	a = fork();
	if (a < 0)
		FAIL("fork");
	if (a == 0) {
		setpgid(0, 0);
		pause_forever();
	}
	/* Both sides set the group, so that neither order of running loses. */
	setpgid(a, a);
	b = fork();
	if (b < 0)
		FAIL("fork");
	if (b == 0) {
		setpgid(0, a);
		pause_forever();
	}
	if (setpgid(b, a) < 0 && errno != EACCES)
		FAIL("setpgid");
	if (kill(-a, SIGTERM) < 0)
		FAIL("kill(-pgid)");
	if (reap_signal(&a, SIGTERM, why, size) < 0 ||
	    reap_signal(&b, SIGTERM, why, size) < 0)
		goto out;
	c = fork();
	if (c < 0)
		FAIL("fork");
	if (c == 0)
		_exit(setsid() < 0 ? 1 : 0);
	if (reap_exit(&c, 0, why, size) < 0)
		goto out;
	ret = 0;
out:
	discard(&a);
	discard(&b);
	discard(&c);
	return ret;
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int signo)
{
	(void)signo;
	got_usr1 = 1;
}

/* A handler without SA_RESTART, a blocked signal left pending, and SIGKILL
 * sent to a child. */
static int check_signals(char *why, size_t size)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct timespec zero = { 0, 0 };
	sigset_t set, old, pending;
	pid_t pid = -1;
	int ret = -1, got;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		FAIL("sigaction");
	raise(SIGUSR1);
	if (!got_usr1)
		FAILX("the SIGUSR1 handler did not run");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR2);
	sigpending(&pending);
	got = sigismember(&pending, SIGUSR2) &&
	      sigtimedwait(&set, NULL, &zero) == SIGUSR2;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (!got)
		FAILX("a blocked SIGUSR2 was not left pending");
	pid = fork();
	if (pid < 0)
		FAIL("fork");
	if (pid == 0)
		pause_forever();
	if (kill(pid, SIGKILL) < 0)
		FAIL("kill");
	if (reap_signal(&pid, SIGKILL, why, size) < 0)
		goto out;
	ret = 0;
out:
	discard(&pid);
	return ret;
}

static int check_poll_and_fds(char *why, size_t size)
{
	int p[2] = { -1, -1 }, d = -1, ret = -1;
	struct pollfd pfd;

	if (pipe2(p, O_CLOEXEC) < 0)
		FAIL("pipe2");
	pfd.fd = p[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10) != 0)
		FAILX("poll on an empty pipe did not time out");
	if (write(p[1], "x", 1) != 1)
		FAIL("write");
	if (poll(&pfd, 1, 1000) != 1 || !(pfd.revents & POLLIN))
		FAILX("poll did not see the byte");
	d = fcntl(p[0], F_DUPFD_CLOEXEC, 10);
	if (d < 0)
		FAIL("fcntl(F_DUPFD_CLOEXEC)");
	if (dup2(p[0], d) != d)
		FAIL("dup2");
	if (fcntl(d, F_SETFD, 0) < 0 || fcntl(d, F_GETFL) < 0)
		FAIL("fcntl");
	if (close_range(d, d, 0) < 0)
		FAIL("close_range");
	d = -1;
	ret = 0;
out:
	if (d >= 0)
		close(d);
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	return ret;
}

/* What the graders measure CPU time with: wait4's rusage and getrusage. */
static int check_rusage(char *why, size_t size)
{
	struct timespec tick = { 0, 1000000 };
	struct rusage ru;
	int st, ret = -1;
	pid_t pid = fork(), r = 0;

	if (pid < 0)
		FAIL("fork");
	if (pid == 0) {
		volatile unsigned long spin = 0;

		while (spin < 10000000UL)
			spin++;
		_exit(0);
	}
	for (int i = 0; i < 3000 && r == 0; i++) {
		r = wait4(pid, &st, WNOHANG, &ru);
		if (r == 0)
			nanosleep(&tick, NULL);
	}
	if (r < 0)
		FAIL("wait4");
	if (r == 0)
		FAILX("wait4: the child did not end within 3 s");
	pid = -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		FAILX("child status 0x%x, expected exit 0", st);
	if (getrusage(RUSAGE_SELF, &ru) < 0 ||
	    getrusage(RUSAGE_CHILDREN, &ru) < 0)
		FAIL("getrusage");
	ret = 0;
out:
	discard(&pid);
	return ret;
}

static const struct {
	const char *name;
	int (*fn)(char *why, size_t size);
} checks[] = {
	{ "fork-waitpid", check_fork_waitpid },
	{ "pipe", check_pipe },
	{ "socketpair-stream", check_socketpair_stream },
	{ "socketpair-seqpacket", check_socketpair_seqpacket },
	{ "mmap-shared", check_mmap_shared },
	{ "pshared-mutex-cond", check_pshared_mutex },
	{ "sem_open", check_sem_open },
	{ "shm_open", check_shm_open },
	{ "mq_open", check_mq_open },
	{ "prctl-name", check_prctl_name },
	{ "pidfd", check_pidfd },
	{ "timer_create", check_timer },
	{ "clock_gettime", check_clocks },
	{ "threads", check_threads },
	{ "stop-continue", check_stop_continue },
	{ "process-group", check_process_group },
	{ "signals", check_signals },
	{ "poll-fds", check_poll_and_fds },
	{ "rusage", check_rusage },
};

int main(void)
{
	size_t n = sizeof(checks) / sizeof(checks[0]), passed = 0;
	char why[256];

	h_begin("ipc-benign: the calls the exercises need");
	for (size_t i = 0; i < n; i++) {
		why[0] = '\0';
		if (checks[i].fn(why, sizeof(why)) == 0) {
			printf("ok %s\n", checks[i].name);
			passed++;
		} else {
			printf("FAIL %s: %s\n", checks[i].name, why);
		}
	}
	if (passed == n) {
		printf("ipc-benign: all %zu checks passed\n", n);
		return 0;
	}
	printf("ipc-benign: %zu of %zu checks FAILED\n", n - passed, n);
	return 1;
}
