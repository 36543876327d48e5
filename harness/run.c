/*
 * run.c - one command in the box.
 *
 * Theory of operation. run_exec() makes a scratch directory, forks, and
 * seizes the child with the tracer before the child enters the box
 * (sandbox.c) and executes the command. From then on one loop, driven by
 * poll(2), watches
 *
 *   a signalfd for SIGCHLD   ptrace stops and exits: trace.c handles them;
 *   stdout and stderr pipes  kept up to a cap, counted beyond, never left
 *                            unread (a flood cannot stall forklab);
 *   the driver channel       an AF_UNIX SOCK_SEQPACKET pair on fd 3: each
 *                            message carries the sender's pid, attached by
 *                            the kernel; "?" messages are queries about the
 *                            kernel record, answered at once;
 *   the clock                wall time, summed CPU time, disk use.
 *
 * The run ends when the main process has ended or a limit is hit. Then every
 * task left is killed and reaped (forklab is their tracer and subreaper, so
 * waitpid() says ECHILD only when none is left), the named IPC objects the
 * run created are removed, and the scratch directory goes.
 */
#define _GNU_SOURCE
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mqueue.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define UID_BASE    1000000000u /* plus the pid of the run's first process */
#define MAX_EVENTS  50000
#define MAX_EV_MEM  (8 << 20)
#define FLOOD_RATIO 16 /* output past this many caps stops the run */
#define TICK_S      0.05

static const char *const sys_prefix[] = { "/usr/", "/bin/", "/sbin/", "/lib/",
	                                  "/lib64/" };

/* ---- the scratch directory and the command ---- */

static int is_system_path(const char *p)
{
	for (size_t i = 0; i < sizeof sys_prefix / sizeof sys_prefix[0]; i++)
		if (!strncmp(p, sys_prefix[i], strlen(sys_prefix[i])))
			return 1;
	return 0;
}

/* The path the box executes: a system command as it is, anything else
 * copied into the scratch directory (the box cannot see outside it). */
static char *place_command(const char *cmd, const char *scratch, char *err,
                           size_t errlen)
{
	static const char *const path[] = { "/usr/local/bin", "/usr/bin",
		                            "/bin" };
	const char *base;
	char *dst;
	struct stat st;

	if (!strchr(cmd, '/')) {
		for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
			char *p = util_fmt("%s/%s", path[i], cmd);

			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
		snprintf(err, errlen, "%s: command not found", cmd);
		return NULL;
	}
	if (stat(cmd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    access(cmd, X_OK) < 0) {
		snprintf(err, errlen, "%s: %s", cmd,
		         errno ? strerror(errno) : "not an executable file");
		return NULL;
	}
	if (is_system_path(cmd))
		return strdup(cmd);
	base = strrchr(cmd, '/') + 1;
	dst = util_fmt("%s/%s", scratch, *base ? base : "cmd");
	if (util_copy(cmd, dst, 0755) < 0) {
		snprintf(err, errlen, "copying %s: %s", cmd, strerror(errno));
		free(dst);
		return NULL;
	}
	return dst;
}

static char **make_env(const struct run_conf *c, const char *scratch)
{
	size_t n = 0, i = 0;
	char **env;

	while (c->env && c->env[n])
		n++;
	env = calloc(n + 8, sizeof *env);
	if (!env)
		return NULL;
	env[i++] = util_fmt("PATH=/usr/local/bin:/usr/bin:/bin");
	env[i++] = util_fmt("HOME=%s", scratch);
	env[i++] = util_fmt("TMPDIR=%s", scratch);
	env[i++] = util_fmt("LC_ALL=C");
	if (c->channel)
		env[i++] = util_fmt("FORKLAB_CHANNEL=%d", RUN_CHANNEL_FD);
	for (size_t k = 0; k < n; k++)
		env[i++] = strdup(c->env[k]);
	return env;
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Bytes below dir, counted in blocks; stops counting past limit. */
static long long du(int dirfd, long long limit, int depth)
{
	long long sum = 0;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd;

	fd = dup(dirfd);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d)) && sum <= limit) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		sum += (long long)st.st_blocks * 512 + 4096;
		if (S_ISDIR(st.st_mode) && depth < 32) {
			int sub = openat(dirfd, e->d_name,
			                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			                     O_CLOEXEC);

			if (sub >= 0) {
				sum += du(sub, limit - sum, depth + 1);
				close(sub);
			}
		}
	}
	closedir(d);
	return sum;
}

/* ---- output and the channel ---- */

static void keep(struct run_buf *b, const char *data, size_t n, long cap)
{
	if (b->len < (size_t)cap) {
		size_t room = (size_t)cap - b->len, k = n < room ? n : room;
		char *nd = realloc(b->data, b->len + k + 1);

		if (nd) {
			memcpy(nd + b->len, data, k);
			b->data = nd;
			b->len += k;
			b->data[b->len] = '\0';
		}
	}
	b->total += n;
}

/* Read what a pipe holds; 0 once it is closed. */
static int drain(int fd, struct run_buf *b, long cap)
{
	char buf[65536];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n > 0) {
			keep(b, buf, n, cap);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n == 0 ? 0 : 1;
	}
}

static size_t ev_mem;

static void record_event(struct run_result *r, double t, pid_t pid,
                         const char *text, size_t len)
{
	struct run_event *n;

	if (r->nev >= MAX_EVENTS || ev_mem + len > MAX_EV_MEM)
		return;
	if (!(r->nev & (r->nev - 1)) || r->nev == 0) {
		n = realloc(r->ev, (r->nev ? 2 * r->nev : 64) * sizeof *n);
		if (!n)
			return;
		r->ev = n;
	}
	r->ev[r->nev].text = malloc(len + 1);
	if (!r->ev[r->nev].text)
		return;
	memcpy(r->ev[r->nev].text, text, len);
	r->ev[r->nev].text[len] = '\0';
	r->ev[r->nev].len = len;
	r->ev[r->nev].t = t;
	r->ev[r->nev].pid = pid;
	r->nev++;
	ev_mem += len;
}

/* A name as one word: bytes at or below space, '%' and DEL as %XX (a name
 * may hold a newline the program wrote, or leading spaces). */
static const char *word(const char *name)
{
	static char buf[3 * 16 + 1];
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p && o < 45;
	     p++)
		o += *p <= ' ' || *p == '%' || *p == 0x7f
		         ? (size_t)sprintf(buf + o, "%%%02X", *p)
		         : (size_t)sprintf(buf + o, "%c", *p);
	buf[o] = '\0';
	return buf;
}

char *run_answer(struct run_result *r, const char *q)
{
	struct trc *t = &r->trc;
	char *s = NULL;

	if (!strcmp(q, "?token")) {
		/* Once: a second asker means the first was not the driver. */
		if (r->token_asks++)
			return strdup("error the token was taken already\n");
		return util_fmt("token %s", r->token);
	}
	if (!strcmp(q, "?procs")) {
		/* pid ppid start end exit state thread signals name */
		util_append(&s, "now %.6f\n", trc_now(t));
		for (int i = 0; i < t->np; i++) {
			struct trc_proc *p = &t->p[i];
			const char *name = trc_name(t, p);

			util_append(&s, "%d %d %.6f %.6f %d %c %d %d %s\n",
			            p->pid, p->ppid, p->start, p->end,
			            p->ended ? p->exit_code : 0,
			            trc_state(t, p), p->thread, p->sigs_total,
			            word(name));
		}
		return s ? s : strdup("");
	}
	if (!strcmp(q, "?objects")) {
		/* Named objects the run created that still exist, each
		 * asked of the kernel now. */
		struct semid_ds sem_buf;
		long long shm = trc_shm_bytes(t);

		util_append(&s, "shm_bytes %lld\n", shm);
		for (int i = 0; i < t->nobj; i++) {
			struct trc_obj *o = &t->obj[i];
			char path[160];
			struct stat st;
			int exists = 1;

			switch (o->kind) {
			case 'f':
				snprintf(path, sizeof path, "/dev/shm/%s",
				         o->name);
				exists = lstat(path, &st) == 0;
				break;
			case 'q': {
				/* Opening is the one test that needs no mount
				 * of the mqueue filesystem. */
				mqd_t q;

				snprintf(path, sizeof path, "/%s", o->name);
				q = mq_open(path, O_RDONLY | O_NONBLOCK);
				exists = q != (mqd_t)-1 || errno != ENOENT;
				if (q != (mqd_t)-1)
					mq_close(q);
				break;
			}
			case 'm': {
				struct shmid_ds ds;

				exists = shmctl(o->id, IPC_STAT, &ds) == 0 ||
				         errno == EACCES;
				break;
			}
			case 's':
				exists =
				    semctl(o->id, 0, IPC_STAT, &sem_buf) == 0 ||
				    errno == EACCES;
				break;
			case 'g': {
				struct msqid_ds ds;

				exists = msgctl(o->id, IPC_STAT, &ds) == 0 ||
				         errno == EACCES;
				break;
			}
			}
			if (exists)
				util_append(&s, "%c %d %s\n", o->kind, o->id,
				            o->name);
		}
		return s;
	}
	if (!strncmp(q, "?signals ", 9)) {
		struct trc_proc *p = trc_find(t, (pid_t)atoi(q + 9));

		util_append(&s, "signals");
		for (int i = 0; p && i < p->nsigs; i++)
			util_append(&s, " %d@%.6f", p->sigs[i].signo,
			            p->sigs[i].t);
		util_append(&s, "\n");
		return s;
	}
	return NULL;
}

static void read_channel(int fd, struct run_result *r, int keep_events)
{
	char buf[65536];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;

	for (;;) {
		struct iovec iov = { buf, sizeof buf - 1 };
		struct msghdr m = { .msg_iov = &iov,
			            .msg_iovlen = 1,
			            .msg_control = &ctl,
			            .msg_controllen = sizeof ctl };
		struct cmsghdr *c;
		pid_t pid = 0;
		ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_CREDENTIALS) {
				struct ucred cr;

				memcpy(&cr, CMSG_DATA(c), sizeof cr);
				pid = cr.pid;
			} else if (c->cmsg_type == SCM_RIGHTS) {
				/* Descriptors are not ours to keep. */
				int *fds = (int *)CMSG_DATA(c);
				size_t k =
				    (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

				for (size_t j = 0; j < k; j++)
					close(fds[j]);
			}
		buf[n] = '\0';
		if (buf[0] == '?') {
			char *a;

			/* Answer with the record up to now: everything the
			 * kernel queued before the question first. */
			trc_poll(&r->trc, 0);
			a = run_answer(r, buf);
			if (!a)
				a = strdup("error unknown query\n");
			if (a && send(fd, a, strlen(a), MSG_NOSIGNAL) < 0 &&
			    errno == EMSGSIZE)
				send(fd, "error answer too long\n", 22,
				     MSG_NOSIGNAL);
			free(a);
			continue;
		}
		if (keep_events)
			record_event(r, trc_now(&r->trc), pid, buf, n);
	}
}

/* ---- the run ---- */

static void child(const struct run_conf *c, const char *scratch,
                  char *const argv[], char **env, int go, int errfd, int out,
                  int errp, int chan)
{
	struct sbx_conf sc = {
		.scratch = scratch, .ro = c->ro, .lim = &c->lim, .envp = env
	};
	int src[4] = { open("/dev/null", O_RDONLY | O_CLOEXEC), out, errp,
		       chan };
	int nfds = chan >= 0 ? 4 : 3;
	char msg[256] = "", b;
	sigset_t none;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	/* Wait until the tracer holds us. */
	if (read(go, &b, 1) != 1)
		_exit(127);
	sc.uid = sc.gid = UID_BASE + (unsigned)getpid();
	/* Lift every source above the targets first, so that no dup2()
	 * overwrites a source not yet placed. The error pipe goes right after
	 * the kept descriptors; close-on-exec closes it when exec succeeds. */
	errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 16);
	for (int i = 0; i < nfds; i++)
		if (src[i] < 0 ||
		    (src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 16)) < 0)
			_exit(127);
	for (int i = 0; i < nfds; i++)
		if (dup2(src[i], i) < 0)
			_exit(127);
	if (errfd < 0 || dup3(errfd, nfds, O_CLOEXEC) < 0)
		_exit(127);
	errfd = nfds;
	sbx_exec(&sc, argv, nfds + 1, msg, sizeof msg);
	if (write(errfd, msg, strlen(msg)) < 0)
		_exit(126);
	_exit(127);
}

int run_exec(const struct run_conf *cin, struct run_result *r)
{
	struct run_conf c = *cin;
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, chan[2] = { -1, -1 };
	int gop[2] = { -1, -1 }, errpipe[2] = { -1, -1 }, sfd = -1;
	int out_open = 1, err_open = 1, err_open_pipe = 1, rc = -1;
	char *scratch = NULL, *cmd = NULL, **env = NULL, **argv = NULL;
	double start, next_tick = 0, now;
	sigset_t chld, old;
	pid_t pid = -1;
	int one = 1;
	size_t argc = 0;

	memset(r, 0, sizeof *r);
	ev_mem = 0;
	if (cin->channel) {
		unsigned char rnd[16];

		if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd) {
			snprintf(r->error, sizeof r->error, "getrandom: %m");
			return -1;
		}
		for (int i = 0; i < 16; i++)
			sprintf(r->token + 2 * i, "%02x", rnd[i]);
	}
	sbx_limits_default(&c.lim);
	if (sbx_init(r->error, sizeof r->error) < 0)
		return -1;
	if (sbx_prepare() < 0) {
		snprintf(r->error, sizeof r->error,
		         "landlock: resolving paths: %m");
		return -1;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	scratch = c.scratch ? strdup(c.scratch) : util_mkscratch("run");
	if (!scratch) {
		snprintf(r->error, sizeof r->error, "scratch directory: %m");
		return -1;
	}
	cmd = place_command(c.argv[0], scratch, r->error, sizeof r->error);
	if (!cmd) {
		rc = 1;
		goto out;
	}
	while (c.argv[argc])
		argc++;
	argv = calloc(argc + 1, sizeof *argv);
	env = make_env(&c, scratch);
	if (!argv || !env)
		goto fault;
	argv[0] = cmd;
	for (size_t i = 1; i < argc; i++)
		argv[i] = c.argv[i];

	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
	    pipe2(gop, O_CLOEXEC) < 0 || pipe2(errpipe, O_CLOEXEC) < 0 ||
	    (c.channel &&
	     socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, chan) < 0))
		goto fault;
	if (chan[0] >= 0)
		setsockopt(chan[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	sfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		goto fault;

	start = util_now();
	next_tick = start + 0.1; /* most runs end before the first tick */
	pid = fork();
	if (pid < 0)
		goto fault;
	if (pid == 0)
		child(&c, scratch, argv, env, gop[0], errpipe[1], outp[1],
		      errp[1], chan[1]);
	close(outp[1]);
	close(errp[1]);
	close(gop[0]);
	close(errpipe[1]);
	if (chan[1] >= 0)
		close(chan[1]);
	outp[1] = errp[1] = gop[0] = errpipe[1] = chan[1] = -1;
	r->uid = sbx_is_root() ? UID_BASE + (unsigned)pid : geteuid();
	if (sbx_is_root() &&
	    (chown(scratch, r->uid, r->uid) < 0 ||
	     (strcmp(cmd, argv[0]) == 0 && !is_system_path(cmd) &&
	      chown(cmd, r->uid, r->uid) < 0)))
		goto fault_kill;
	if (trc_attach(&r->trc, pid, &c.lim) < 0) {
		snprintf(r->error, sizeof r->error, "ptrace: %m");
		goto fault_kill;
	}
	if (write(gop[1], "g", 1) != 1)
		goto fault_kill;
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	fcntl(errpipe[0], F_SETFL, O_NONBLOCK);
	r->started = 1;

	for (;;) {
		struct pollfd pf[5] = {
			{ sfd, POLLIN, 0 },
			{ out_open ? outp[0] : -1, POLLIN, 0 },
			{ err_open ? errp[0] : -1, POLLIN, 0 },
			{ chan[0], POLLIN, 0 },
			{ err_open_pipe ? errpipe[0] : -1, POLLIN, 0 },
		};
		struct signalfd_siginfo si;

		poll(pf, 5, (int)(TICK_S * 1000));
		while (read(sfd, &si, sizeof si) > 0)
			;
		trc_poll(&r->trc, 0);
		if (out_open)
			out_open = drain(outp[0], &r->out, c.lim.output_bytes);
		if (err_open)
			err_open = drain(errp[0], &r->err, c.lim.output_bytes);
		if (chan[0] >= 0)
			read_channel(chan[0], r, c.keep_events);
		if (err_open_pipe) {
			char msg[256];
			ssize_t n = read(errpipe[0], msg, sizeof msg - 1);

			if (n > 0) {
				/* The box could not start the command. */
				msg[n] = '\0';
				snprintf(r->error, sizeof r->error, "%s", msg);
				r->started = 0;
			}
			if (n >= 0)
				err_open_pipe = 0;
		}
		if (r->trc.main_ended)
			break;
		now = util_now();
		if (now - start > c.lim.wall_s) {
			trc_limit(&r->trc, TRC_LIM_WALL);
			r->limit = TRC_LIM_WALL;
			break;
		}
		if (r->out.total + r->err.total >
		    (long long)FLOOD_RATIO * c.lim.output_bytes) {
			trc_limit(&r->trc, TRC_LIM_OUTPUT);
			r->limit = TRC_LIM_OUTPUT;
			break;
		}
		if (now >= next_tick) {
			int sd =
			    open(scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			long long disk = trc_shm_bytes(&r->trc),
			          max = (long long)c.lim.disk_mib << 20;

			next_tick = now + 0.1;
			if (sd >= 0) {
				disk += du(sd, max, 0);
				close(sd);
			}
			if (disk > max) {
				trc_limit(&r->trc, TRC_LIM_DISK);
				r->limit = TRC_LIM_DISK;
				break;
			}
			if (trc_cpu(&r->trc) > c.lim.cpu_s) {
				trc_limit(&r->trc, TRC_LIM_CPU);
				r->limit = TRC_LIM_CPU;
				break;
			}
		}
	}

	/* The end: kill what is left, reap everything, drain the pipes. */
	r->cpu_s = trc_cpu(&r->trc);
	r->killed_at_end = trc_kill_all(&r->trc);
	while (trc_poll(&r->trc, 1) >= 0)
		trc_kill_all(&r->trc);
	r->wall_s = util_now() - start;
	r->exit_code = r->trc.main_exit;
	if (r->cpu_s < r->trc.cpu_dead)
		r->cpu_s = r->trc.cpu_dead;
	fcntl(outp[0], F_SETFL, 0);
	fcntl(errp[0], F_SETFL, 0);
	while (out_open && drain(outp[0], &r->out, c.lim.output_bytes))
		;
	while (err_open && drain(errp[0], &r->err, c.lim.output_bytes))
		;
	if (chan[0] >= 0)
		read_channel(chan[0], r, c.keep_events);
	if (!r->started && !*r->error)
		snprintf(r->error, sizeof r->error, "the box did not start");
	trc_remove_objects(&r->trc, r->ipc_removed);
	if (r->trc.limits & (1u << TRC_LIM_FSIZE) && !r->limit)
		r->limit = 0; /* refused writes do not stop a run */
	/* A box that could not be built is forklab's fault; a command that
	 * cannot be executed is the caller's. */
	rc = r->started ? 0 : strncmp(r->error, "sandbox:", 8) ? 1 : -1;
	sigprocmask(SIG_SETMASK, &old, NULL);
	goto out;

fault_kill:
	kill(pid, SIGKILL);
	while (waitpid(-1, NULL, __WALL) > 0 || errno == EINTR)
		;
	sigprocmask(SIG_SETMASK, &old, NULL);
fault:
	if (!*r->error)
		snprintf(r->error, sizeof r->error, "run: %m");
	rc = -1;
out:
	for (int *fd =
	         (int[]){ outp[0], outp[1], errp[0], errp[1], chan[0], chan[1],
	                  gop[0], gop[1], errpipe[0], errpipe[1], sfd, -2 };
	     *fd != -2; fd++)
		if (*fd >= 0)
			close(*fd);
	if (!c.scratch && scratch)
		util_rm_rf(scratch);
	free(scratch);
	free(cmd);
	free(argv);
	free_strv(env);
	return rc;
}

void run_free(struct run_result *r)
{
	trc_free(&r->trc);
	free(r->out.data);
	free(r->err.data);
	for (int i = 0; i < r->nev; i++)
		free(r->ev[i].text);
	free(r->ev);
	memset(r, 0, sizeof *r);
}

/* ---- the record ---- */

static json_t *text(const char *s, size_t len, size_t max)
{
	char *u = util_utf8(s ? s : "", s ? len : 0, max);
	json_t *j = json_string(u);

	free(u);
	return j;
}

static const char *signame(int s)
{
	static char buf[16];
	const char *n = sigabbrev_np(s);

	snprintf(buf, sizeof buf, "SIG%s", n ? n : "?");
	return buf;
}

json_t *run_json(const struct run_conf *c, struct run_result *r)
{
	struct trc *t = &r->trc;
	json_t *j = json_object(), *argv = json_array(), *procs = json_array();
	json_t *refused = json_array(), *events = json_array();
	const char *verdict;

	for (int i = 0; c->argv[i]; i++)
		json_array_append_new(
		    argv, text(c->argv[i], strlen(c->argv[i]), 4096));
	if (!r->started)
		verdict = "exec_failed";
	else if (r->limit || r->exit_code == -SIGXFSZ ||
	         r->exit_code == -SIGXCPU)
		verdict = "limit"; /* stopped by us, or by the kernel for us */
	else if (r->exit_code < 0)
		verdict = "signaled";
	else
		verdict = "exited";
	json_object_set_new(j, "argv", argv);
	json_object_set_new(j, "verdict", json_string(verdict));
	if (!r->started)
		json_object_set_new(j, "error",
		                    text(r->error, strlen(r->error), 256));
	json_object_set_new(j, "exit_code",
	                    r->started ? json_integer(r->exit_code)
	                               : json_null());
	/* The limit that stopped the run, else the first one that refused. */
	json_object_set_new(j, "limit",
	                    r->limit ? json_string(trc_limit_name(r->limit))
	                    : t->first_limit
	                        ? json_string(trc_limit_name(t->first_limit))
	                        : json_null());
	{
		json_t *hit = json_array();

		for (int l = 1; l < TRC_LIM_COUNT; l++)
			if (t->limits & (1u << l))
				json_array_append_new(
				    hit, json_string(trc_limit_name(l)));
		json_object_set_new(j, "limits_hit", hit);
	}
	json_object_set_new(j, "wall_s", json_real(r->wall_s));
	json_object_set_new(j, "cpu_s", json_real(r->cpu_s));
	json_object_set_new(j, "sandbox",
	                    json_pack("{s:i, s:b, s:i, s:b, s:b}", "uid",
	                              (json_int_t)r->uid, "seccomp", 1,
	                              "landlock", sbx_landlock_abi(), "mqueue",
	                              sbx_mqueue_ok(), "root", sbx_is_root()));
	for (int i = 0; i < t->np; i++) {
		struct trc_proc *p = &t->p[i];
		json_t *names = json_array(), *sigs = json_array();

		for (int k = 0; k < p->nnames; k++)
			json_array_append_new(
			    names,
			    json_pack("{s:f, s:o}", "t", p->names[k].t, "name",
			              text(p->names[k].name,
			                   strlen(p->names[k].name), 64)));
		for (int k = 0; k < p->nsigs; k++)
			json_array_append_new(
			    sigs,
			    json_pack("{s:f, s:i, s:s}", "t", p->sigs[k].t,
			              "signo", p->sigs[k].signo, "name",
			              signame(p->sigs[k].signo)));
		json_array_append_new(
		    procs,
		    json_pack(
		        "{s:i, s:i, s:f, s:o, s:o, s:b, s:o, s:o}", "pid",
		        p->pid, "ppid", p->ppid, "start_s", p->start, "end_s",
		        p->ended ? json_real(p->end) : json_null(), "exit_code",
		        p->ended ? json_integer(p->exit_code) : json_null(),
		        "thread", p->thread, "names", names, "signals", sigs));
	}
	json_object_set_new(j, "processes", procs);
	json_object_set_new(j, "created", json_integer(t->created_procs));
	json_object_set_new(j, "threads_created",
	                    json_integer(t->created_threads));
	json_object_set_new(j, "peak_alive", json_integer(t->peak_alive));
	json_object_set_new(j, "alive_after_main",
	                    json_integer(t->alive_after_main));
	json_object_set_new(j, "zombies_at_end",
	                    json_integer(t->zombies_at_main_exit));
	json_object_set_new(j, "killed_at_end", json_integer(r->killed_at_end));
	for (int i = 0; i < t->nrefused; i++)
		json_array_append_new(
		    refused, json_pack("{s:s, s:i}", "syscall",
		                       sbx_syscall_name(t->refused[i].nr),
		                       "count", t->refused[i].count));
	json_object_set_new(j, "refused", refused);
	json_object_set_new(
	    j, "ipc_removed",
	    json_pack("{s:i, s:i, s:i}", "shm", r->ipc_removed[0], "mqueue",
	              r->ipc_removed[1], "sysv", r->ipc_removed[2]));
	for (int i = 0; i < r->nev && i < 1000; i++)
		json_array_append_new(
		    events, json_pack("{s:f, s:i, s:o}", "t", r->ev[i].t, "pid",
		                      r->ev[i].pid, "text",
		                      text(r->ev[i].text, r->ev[i].len, 1024)));
	if (c->channel)
		json_object_set_new(j, "events", events);
	else
		json_decref(events);
	json_object_set_new(j, "stdout",
	                    text(r->out.data, r->out.len, 4 * r->out.len + 64));
	json_object_set_new(j, "stderr",
	                    text(r->err.data, r->err.len, 4 * r->err.len + 64));
	json_object_set_new(j, "stdout_bytes", json_integer(r->out.total));
	json_object_set_new(j, "stderr_bytes", json_integer(r->err.total));
	json_object_set_new(j, "output_truncated",
	                    json_boolean(r->out.total > (long long)r->out.len ||
	                                 r->err.total > (long long)r->err.len));
	return j;
}
