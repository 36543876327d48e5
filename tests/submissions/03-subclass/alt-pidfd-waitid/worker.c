/* forklab test submission for 03-subclass: a correct solution that differs
 * from the reference: reaping goes through waitid() and its siginfo_t
 * (si_code, si_status); a join with a time limit sleeps in poll() on a pidfd
 * and reaps with waitid(P_PIDFD). state is 0 before init (so a zeroed
 * struct is refused), then 'n'ew, 'r'unning, 'd'one. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void settle(struct worker *w, const siginfo_t *si)
{
	w->exitcode =
	    si->si_code == CLD_EXITED ? si->si_status : -si->si_status;
	w->state = 'd';
}

void worker_init(struct worker *w, const struct worker_ops *ops,
                 const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len > 15)
		len = 15;
	w->ops = ops;
	memset(w->name, 0, sizeof(w->name));
	if (len)
		memcpy(w->name, name, len);
	w->pid = 0;
	w->exitcode = 0;
	w->state = 'n';
}

int worker_start(struct worker *w)
{
	pid_t pid;

	if (w->state != 'n' || w->ops == NULL || w->ops->run == NULL) {
		errno = EINVAL;
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		const struct worker_ops *o = w->ops;
		int v = 0;

		if (w->name[0] != '\0')
			prctl(PR_SET_NAME, w->name, 0, 0, 0);
		if (o->setup != NULL)
			v = o->setup(w);
		if (v == 0) {
			v = o->run(w);
			if (o->finish != NULL)
				v = o->finish(w, v);
		}
		fflush(NULL);
		_exit(v);
	}
	w->pid = pid;
	w->state = 'r';
	return 0;
}

/* 1 reaped, 0 still running, -1 error */
static int reap_nohang(struct worker *w)
{
	siginfo_t si;

	for (;;) {
		si.si_pid = 0;
		if (waitid(P_PID, (id_t)w->pid, &si, WEXITED | WNOHANG) == 0)
			break;
		if (errno != EINTR)
			return -1;
	}
	if (si.si_pid == 0)
		return 0;
	settle(w, &si);
	return 1;
}

int worker_join(struct worker *w, double timeout)
{
	struct pollfd pfd;
	siginfo_t si;
	long long deadline;
	int r;

	if (w->state == 'd')
		return 0;
	if (w->state != 'r') {
		errno = EINVAL;
		return -1;
	}
	if (timeout < 0) {
		while (waitid(P_PID, (id_t)w->pid, &si, WEXITED) < 0) {
			if (errno != EINTR)
				return -1;
		}
		settle(w, &si);
		return 0;
	}
	r = reap_nohang(w);
	if (r != 0)
		return r < 0 ? -1 : 0;
	pfd.fd = (int)syscall(SYS_pidfd_open, w->pid, 0);
	if (pfd.fd < 0)
		return -1;
	pfd.events = POLLIN;
	deadline = now_ms() + (long long)(timeout * 1000.0 + 0.999);
	for (;;) {
		long long left = deadline - now_ms();
		int n;

		if (left <= 0) {
			close(pfd.fd);
			return 1;
		}
		n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno != EINTR) {
			close(pfd.fd);
			return -1;
		}
		if (n > 0)
			break;
	}
	/* the pidfd is readable: the child has ended, reap it by its pidfd */
	while (waitid(P_PIDFD, (id_t)pfd.fd, &si, WEXITED) < 0) {
		if (errno != EINTR) {
			close(pfd.fd);
			return -1;
		}
	}
	close(pfd.fd);
	settle(w, &si);
	return 0;
}

int worker_is_alive(struct worker *w)
{
	if (w->state != 'r')
		return 0;
	return reap_nohang(w) == 0 ? 1 : 0;
}

static int cw_setup(struct worker *self)
{
	return ((struct checked_worker *)self)->input < 0 ? 2 : 0;
}

static int cw_run(struct worker *self)
{
	struct checked_worker *cw = (struct checked_worker *)self;

	return cw->job(cw->input);
}

static int cw_finish(struct worker *self, int result)
{
	return result == ((struct checked_worker *)self)->expected ? 0 : 3;
}

static const struct worker_ops cw_ops = { cw_setup, cw_run, cw_finish };

void checked_worker_init(struct checked_worker *cw, const char *name,
                         int (*job)(int), int input, int expected)
{
	worker_init(&cw->base, &cw_ops, name);
	cw->job = job;
	cw->input = input;
	cw->expected = expected;
}
