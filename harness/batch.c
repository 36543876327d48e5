/*
 * batch.c - grading a folder of submissions, N at a time.
 *
 * Theory of operation. Every folder directly below SUBMISSIONS_DIR is one
 * submission, its name the id. Its key is an FNV-1a 64 hash of what decides
 * its grade: the paths, sizes and bytes of its *.c files, seeded with
 * forklab's own build (this program, the grader objects, the reference
 * drivers and headers of the exercises asked for) and the format. A
 * submission whose sidecar (OUT_DIR/.forklab-batch/FILE.json) holds the same
 * key, and whose report is there, is done already and keeps its row. Each
 * other one is graded by a child forked from here that calls
 * grade_submission(), writes the report and then the sidecar, both
 * atomically, and ends: no state is shared, and a child that dies costs only
 * its own row. A child leads a process group of its own (its test workers are
 * in it; what they run in the box dies with them by PR_SET_PDEATHSIG and
 * PTRACE_O_EXITKILL), so one kill() stops it. This process is a child
 * subreaper, so whatever a dying child leaves comes back here to be reaped.
 * The gradebook is rewritten atomically from the rows after each submission.
 */
#define _GNU_SOURCE
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "grade.h"
#include "report.h"
#include "scan.h"
#include "util.h"

#define STATE_DIR    ".forklab-batch" /* the sidecars, hidden */
#define MAX_JOBS     256
#define MAX_EX       8
#define MAX_FILE     200  /* longer escaped names are cut, then hashed */
#define ERR_KEEP     1024 /* bytes of a child's stderr kept for its row */
#define WALK_DEPTH   24   /* as scan.c: no submission makes a walk loop */
#define WALK_ENTRIES 200000
#define SLOTS_TOTAL  24 /* FORKLAB_JOBS of one grade, shared by the batch */
#define SLOTS_MIN    4
#define LIMIT_BASE_S 120 /* a child's wall limit: this + its tests' */
#define REAP_GRACE_S 5
#define FNV_BASIS    0xcbf29ce484222325ULL
#define FNV_PRIME    0x100000001b3ULL
#define KEY_VERSION  "forklab batch key 1"

enum { EXIT_DONE = 0, EXIT_BAD_INPUT = 1, EXIT_FAULT = 2, EXIT_STOPPED = 130 };

enum sub_state { SUB_TODO, SUB_RUNNING, SUB_DONE, SUB_ERROR };

struct sub {
	char *name; /* the folder's name, any bytes: the submission's id */
	char *file; /* its name in OUT_DIR: bytes outside [A-Za-z0-9._-] %XX */
	uint64_t key;
	enum sub_state state;
	/* the row: SUB_DONE from the sidecar, SUB_ERROR from why */
	const char *status; /* graded, fault, error */
	char *why;
	int score, max, scores[MAX_EX]; /* -1: no score */
	double wall_s;
	long peak_kib;
};

/* A grading process at work (jobs of them). Kept apart from the subs, which
 * every child inherits: a child's memory must not grow with the batch. */
struct slot {
	struct sub *s; /* NULL: free */
	pid_t pid;
	int fd; /* the child's stdout and stderr */
	double t0;
	int overdue;
	size_t errlen;
	char err[ERR_KEEP];
};

struct batch {
	char *subs_dir, *out; /* absolute */
	int subs_fd;
	const char *format;
	char ext[32]; /* of the reports' file names: ".json" */
	const struct cat_exercise *sel[MAX_EX];
	int nsel;
	int jobs, slots; /* slots: FORKLAB_JOBS of a child, 0 keeps the env's */
	int force, tty;
	double limit_s;
	uint64_t build;
	struct sub *subs;
	int n;
	struct slot *slot; /* [jobs] */
	pid_t self;
	double t0;
	/* counts */
	int done, failures, resumed, graded, errors, faults, running;
	long peak_kib; /* the largest VmHWM of a grading process of this run */
	int fatal;
};

/* The signals that stop a batch cleanly (exit 130). */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static volatile sig_atomic_t stop_signal;

/* A report's file name: its format's usual extension. */
static const struct {
	const char *format, *ext;
} extensions[] = {
	{ "json", ".json" },         { "gradescope", ".json" },
	{ "prairielearn", ".json" }, { "junit", ".xml" },
	{ "tap", ".tap" },           { "text", ".txt" },
	{ "html", ".html" },
};

/* ---- keys: FNV-1a 64 over what decides a grade ---- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--) {
		h ^= *b++;
		h *= FNV_PRIME;
	}
	return h;
}

/* A string with its NUL, so that "ab"+"c" and "a"+"bc" differ. */
static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);
}

static uint64_t fnv_num(uint64_t h, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = v >> (8 * i);
	return fnv(h, b, sizeof b);
}

/* The first max bytes of dirfd/name; an error is folded in as its errno. */
static uint64_t fnv_file(uint64_t h, int dirfd, const char *name, int flags,
                         size_t max)
{
	char buf[65536];
	size_t total = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | flags);

	if (fd < 0)
		return fnv_num(h, errno);
	while (total < max) {
		size_t want =
		    max - total < sizeof buf ? max - total : sizeof buf;
		ssize_t r = read(fd, buf, want);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			h = fnv_num(h, errno);
		if (r <= 0)
			break;
		h = fnv(h, buf, r);
		total += r;
	}
	close(fd);
	return h;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_c_file(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && !strcmp(name + n - 2, ".c");
}

struct walk {
	uint64_t h;
	int entries;
};

/* Fold into w every entry named *.c below the directory dfd (owned), in
 * name order: its path, type, links, size and bytes (or link target), which
 * is all scan.c and build.c look at. Links are never followed and .git is
 * skipped, as scan.c does. */
static void walk(struct walk *w, int dfd, const char *rel, int depth)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d = fdopendir(dfd);

	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d)) && w->entries < WALK_ENTRIES) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		w->entries++;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				util_die("out of memory");
		}
		names[n++] = util_fmt("%s", e->d_name);
	}
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char *path = util_fmt("%s%s%s", rel, *rel ? "/" : "", names[i]);
		struct stat st;

		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			goto next;
		if (S_ISDIR(st.st_mode) && strcmp(names[i], ".git") &&
		    depth < WALK_DEPTH) {
			int sub = openat(dirfd(d), names[i],
			                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			                     O_CLOEXEC);

			if (sub >= 0)
				walk(w, sub, path, depth + 1);
		}
		if (!is_c_file(names[i]))
			goto next;
		w->h = fnv_str(w->h, path);
		w->h = fnv_num(w->h, st.st_mode & S_IFMT);
		w->h = fnv_num(w->h, st.st_nlink);
		w->h = fnv_num(w->h, st.st_size);
		if (S_ISREG(st.st_mode)) {
			/* O_NONBLOCK: a FIFO put in its place cannot block */
			w->h = fnv_file(w->h, dirfd(d), names[i],
			                O_NOFOLLOW | O_NONBLOCK,
			                SCAN_MAX_BYTES + 1);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t len = readlinkat(dirfd(d), names[i], target,
			                         sizeof target);

			if (len > 0)
				w->h = fnv(w->h, target, len);
		}
	next:
		free(path);
		free(names[i]);
	}
	free(names);
	closedir(d);
}

/* forklab's part of every key: this program, and for each exercise asked
 * for its grader object, reference driver and header. A rebuilt grader (a
 * fixed test) changes every key, so the next batch regrades everything. */
static int build_key(struct batch *b, char *err, size_t errlen)
{
	struct cat_paths p;
	uint64_t h = fnv_str(FNV_BASIS, KEY_VERSION);

	if (cat_paths(&p, err, errlen) < 0)
		return -1;
	h = fnv_file(h, AT_FDCWD, "/proc/self/exe", 0, SIZE_MAX);
	h = fnv_str(h, b->format);
	for (int i = 0; i < b->nsel; i++) {
		const struct cat_exercise *ex = b->sel[i];
		char *files[] = {
			util_fmt("%s/graders/%s.o", p.lib, ex->id),
			util_fmt("%s/ref/%s", p.lib, ex->id),
			util_fmt("%s/%s/%s", p.headers, ex->id, ex->header),
		};

		h = fnv_str(h, ex->id);
		for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
			h = fnv_file(h, AT_FDCWD, files[k], 0, SIZE_MAX);
			free(files[k]);
		}
	}
	b->build = h;
	return 0;
}

static uint64_t sub_key(const struct batch *b, const char *name)
{
	struct walk w = { b->build, 0 };
	int fd = openat(b->subs_fd, name,
	                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return fnv_num(w.h, errno);
	walk(&w, fd, "", 0);
	return w.h;
}

/* ---- names and paths ---- */

static int plain_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* A submission's file name in OUT_DIR: every byte outside [A-Za-z0-9._-] as
 * %XX, which is one-to-one. A name too long for a file system is cut (never
 * inside a %XX) and ends with "~" and the hash of the whole id; '~' is
 * otherwise always escaped, so no two ids share a file. */
static char *file_name(const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(name), k = 0;
	char *s = malloc(3 * n + 20);

	if (!s)
		util_die("out of memory");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = name[i];

		if (plain_byte(c)) {
			s[k++] = c;
			continue;
		}
		s[k++] = '%';
		s[k++] = hex[c >> 4];
		s[k++] = hex[c & 15];
	}
	if (k > MAX_FILE) {
		k = MAX_FILE;
		if (s[k - 1] == '%')
			k -= 1;
		else if (s[k - 2] == '%')
			k -= 2;
		k += sprintf(s + k, "~%016llx",
		             (unsigned long long)fnv_str(FNV_BASIS, name));
	}
	s[k] = '\0';
	return s;
}

static char *report_path(const struct batch *b, const struct sub *s)
{
	return util_fmt("%s/%s%s", b->out, s->file, b->ext);
}

static char *sidecar_path(const struct batch *b, const struct sub *s)
{
	return util_fmt("%s/" STATE_DIR "/%s.json", b->out, s->file);
}

/* An id as a terminal may show it: valid UTF-8, control bytes as \xNN. */
static char *shown(const char *name)
{
	char *u = util_utf8(name, strlen(name), 4 * strlen(name) + 64),
	     *s = NULL;

	for (const unsigned char *p = (unsigned char *)u; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			util_append(&s, "\\x%02x", *p);
		else
			util_append(&s, "%c", *p);
	free(u);
	return s ? s : util_fmt("%s", "");
}

/* ---- the sidecar: the key and the row of a complete report ---- */

static long peak_kib(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

static int write_sidecar(const struct batch *b, const struct sub *s,
                         const struct report *rep, int rc, double wall_s)
{
	char key[17], *side = sidecar_path(b, s), *report = report_path(b, s);
	char *id = util_utf8(s->name, strlen(s->name), 4096);
	json_t *j, *exs = json_object();
	int ret;

	snprintf(key, sizeof key, "%016llx", (unsigned long long)s->key);
	for (int i = 0; i < rep->nex; i++)
		json_object_set_new(exs, rep->ex[i].ex->id,
		                    json_pack("{s:s, s:i, s:i}", "status",
		                              rep->ex[i].status, "score",
		                              rep->ex[i].score, "max_score",
		                              rep->ex[i].max));
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:f, s:i, "
	              "s:o}",
	              "key", key, "id", id, "report",
	              report + strlen(b->out) + 1, "format", b->format,
	              "status", rc ? "fault" : "graded", "score", rep->score,
	              "max_score", rep->max, "faults", rep->faults,
	              "duration_s", wall_s, "peak_kib", (json_int_t)peak_kib(),
	              "exercises", exs);
	ret = j ? report_write_json(side, j) : -1;
	json_decref(j);
	free(id);
	free(side);
	free(report);
	return ret;
}

/* Fill s's row from its sidecar if the sidecar holds s's key (and, when
 * only_graded, says "graded") and the report is there. 1 if so, else 0. */
static int load_row(struct batch *b, struct sub *s, int only_graded)
{
	char key[17], *side = sidecar_path(b, s), *report = report_path(b, s);
	json_t *j = json_load_file(side, 0, NULL), *exs;
	const char *status;
	int ok = 0;

	snprintf(key, sizeof key, "%016llx", (unsigned long long)s->key);
	if (!j || !json_is_string(json_object_get(j, "key")) ||
	    strcmp(json_string_value(json_object_get(j, "key")), key))
		goto out;
	status = json_string_value(json_object_get(j, "status"));
	if (!status || (strcmp(status, "graded") && strcmp(status, "fault")))
		goto out;
	if ((only_graded && strcmp(status, "graded")) ||
	    access(report, F_OK) < 0)
		goto out;
	s->status = strcmp(status, "graded") ? "fault" : "graded";
	s->score = json_integer_value(json_object_get(j, "score"));
	s->max = json_integer_value(json_object_get(j, "max_score"));
	s->wall_s = json_number_value(json_object_get(j, "duration_s"));
	s->peak_kib = json_integer_value(json_object_get(j, "peak_kib"));
	exs = json_object_get(j, "exercises");
	for (int i = 0; i < b->nsel; i++) {
		json_t *e = json_object_get(exs, b->sel[i]->id);

		s->scores[i] =
		    e ? json_integer_value(json_object_get(e, "score")) : -1;
	}
	ok = 1;
out:
	json_decref(j);
	free(side);
	free(report);
	return ok;
}

/* ---- the gradebook ---- */

/* An RFC 4180 field, always quoted: a quote inside is doubled; commas,
 * CR and LF stay as they are. */
static void csv_text(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* OUT_DIR/gradebook.csv, atomically: a row per complete report (and per
 * submission whose grading failed in this run), in id order. The id is made
 * valid UTF-8 (a bad byte as \xNN); the report column names the file. */
static int gradebook_rows(FILE *f, const void *arg)
{
	const struct batch *b = arg;

	fputs("id,total", f);
	for (int i = 0; i < b->nsel; i++)
		fprintf(f, ",%s", b->sel[i]->id);
	fputs(",status,report\r\n", f);
	for (int k = 0; k < b->n; k++) {
		const struct sub *s = &b->subs[k];
		char *id, *report, *status;

		if (s->state != SUB_DONE && s->state != SUB_ERROR)
			continue;
		id = util_utf8(s->name, strlen(s->name), 4096);
		csv_text(f, id);
		free(id);
		if (s->state == SUB_ERROR) {
			fputc(',', f);
			for (int i = 0; i < b->nsel; i++)
				fputc(',', f);
			fputc(',', f);
			status = util_fmt("error: %s", s->why);
			csv_text(f, status);
			free(status);
			fputs(",\r\n", f);
			continue;
		}
		fprintf(f, ",%d", s->score);
		for (int i = 0; i < b->nsel; i++)
			if (s->scores[i] >= 0)
				fprintf(f, ",%d", s->scores[i]);
			else
				fputc(',', f);
		fputc(',', f);
		csv_text(f, s->status);
		fputc(',', f);
		report = report_path(b, s);
		csv_text(f, report + strlen(b->out) + 1);
		free(report);
		fputs("\r\n", f);
	}
	return ferror(f) ? -1 : 0;
}

static int write_gradebook(struct batch *b)
{
	char *path = util_fmt("%s/gradebook.csv", b->out);
	int rc = util_write_atomic(path, gradebook_rows, b);

	if (rc < 0) {
		fprintf(stderr, "forklab: writing %s: %m\n", path);
		b->fatal = 1;
	}
	free(path);
	return rc;
}

/* ---- progress ---- */

static void duration(char *buf, size_t len, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%lds", t);
}

/* The time left: what is still to grade, at the pace of this run so far. */
static void eta(const struct batch *b, char *buf, size_t len)
{
	int finished = b->graded + b->errors, left = b->n - b->done;
	double spent = util_now() - b->t0;

	if (left == 0)
		snprintf(buf, len, "0s");
	else if (finished == 0)
		snprintf(buf, len, "--");
	else
		duration(buf, len, spent / finished * left);
}

/* On a terminal, one line redrawn in place; otherwise a line for each
 * finished submission s (NULL: nothing to add). */
static void progress(const struct batch *b, const struct sub *s)
{
	char left[32], *id;
	int width = 30, fill = b->n ? width * b->done / b->n : width;

	if (b->tty) {
		eta(b, left, sizeof left);
		fprintf(stderr, "\r\033[K[");
		for (int i = 0; i < width; i++)
			fputc(i < fill ? '#' : '.', stderr);
		fprintf(stderr, "] %d/%d  failures %d  running %d  left %s",
		        b->done, b->n, b->failures, b->running, left);
		fflush(stderr);
		return;
	}
	if (!s)
		return;
	id = shown(s->name);

	if (s->state == SUB_ERROR)
		fprintf(stderr, "forklab batch: [%d/%d] %s: error: %s\n",
		        b->done, b->n, id, s->why);
	else
		fprintf(stderr, "forklab batch: [%d/%d] %s: %d/%d%s (%.1f s)\n",
		        b->done, b->n, id, s->score, s->max,
		        strcmp(s->status, "fault")
		            ? ""
		            : ", forklab could not run some tests (see the "
		              "report)",
		        s->wall_s);
	free(id);
}

/* ---- one child per submission ---- */

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void on_child(int sig)
{
	(void)sig; /* only wakes ppoll() */
}

/* The child: grade one submission, write its report, then its sidecar.
 * Exits 0, or 2 when forklab failed some tests (the report says which);
 * anything else, or no sidecar, is an error row. */
static void child(struct batch *b, struct sub *s, int out_fd)
{
	const int reset[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE };
	char *dir = util_fmt("%s/%s", b->subs_dir, s->name);
	char *report = report_path(b, s), slots[16];
	struct report rep;
	sigset_t none;
	double t0 = util_now();
	int rc;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != b->self)
		_exit(EXIT_FAULT); /* the batch is gone already */
	/* SIG_IGN first drops a signal already pending (a Ctrl-C before the
	 * group changed): the batch handles it, not each child. */
	for (size_t i = 0; i < sizeof reset / sizeof reset[0]; i++) {
		signal(reset[i], SIG_IGN);
		signal(reset[i], SIG_DFL);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		_exit(EXIT_FAULT);
	close_range(3, ~0U, 0);
	if (b->slots) {
		snprintf(slots, sizeof slots, "%d", b->slots);
		setenv("FORKLAB_JOBS", slots, 1);
	}
	rc = grade_submission(dir, b->sel, b->nsel, &rep);
	if (report_write_file(&rep, b->format, report) < 0) {
		fprintf(stderr, "forklab: writing %s: %m\n", report);
		_exit(3);
	}
	if (write_sidecar(b, s, &rep, rc, util_now() - t0) < 0) {
		fprintf(stderr, "forklab: writing the state of %s: %m\n",
		        report);
		_exit(3);
	}
	report_free(&rep);
	_exit(rc ? EXIT_FAULT : 0);
}

/* Start grading s in slot. The old sidecar goes first, so that only this
 * child's can be read when it ends. 0, or -1 with s->why said. */
static int start(struct batch *b, struct slot *slot, struct sub *s)
{
	char *side = sidecar_path(b, s);
	int p[2];
	pid_t pid;

	if (unlink(side) < 0 && errno != ENOENT) {
		s->why = util_fmt("unlink %s: %m", side);
		free(side);
		return -1;
	}
	free(side);
	if (pipe2(p, O_CLOEXEC) < 0) {
		s->why = util_fmt("pipe: %m");
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		child(b, s, p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		s->why = util_fmt("fork: %m");
		return -1;
	}
	setpgid(pid, pid); /* on both sides: no kill() can come before it */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	slot->s = s;
	slot->pid = pid;
	slot->fd = p[0];
	slot->t0 = util_now();
	slot->errlen = 0;
	slot->overdue = 0;
	s->state = SUB_RUNNING;
	b->running++;
	return 0;
}

/* Keep the first ERR_KEEP bytes a child wrote; drop the rest. At the end
 * of the pipe, close it: the child's exit comes by SIGCHLD, and a pipe at
 * its end, polled again, would wake ppoll() at once, over and over. */
static void drain(struct slot *slot)
{
	char buf[4096];
	ssize_t r;

	while (slot->fd >= 0) {
		r = read(slot->fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 || (r < 0 && errno != EAGAIN)) {
			close(slot->fd);
			slot->fd = -1;
		}
		if (r <= 0)
			break;
		if (slot->errlen < sizeof slot->err - 1) {
			size_t room = sizeof slot->err - 1 - slot->errlen;
			size_t n = (size_t)r < room ? (size_t)r : room;

			memcpy(slot->err + slot->errlen, buf, n);
			slot->errlen += n;
		}
	}
}

/* What a child that left no sidecar did, for its row. */
static char *what_happened(const struct batch *b, const struct slot *slot,
                           int status)
{
	char *why, *first;

	if (slot->overdue)
		return util_fmt("grading took over %.0f s and was stopped",
		                b->limit_s);
	if (WIFSIGNALED(status))
		return util_fmt("the grading process was killed by signal %d "
		                "(%s)",
		                WTERMSIG(status), strsignal(WTERMSIG(status)));
	why = util_fmt("the grading process exited with %d",
	               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	if (slot->errlen) {
		first = util_utf8(slot->err, strcspn(slot->err, "\n"), 300);
		util_append(&why, ": %s", first);
		free(first);
	}
	return why;
}

/* The child of slot ended with status: its submission gets its row from
 * the sidecar, or an error row. When the batch is stopping, a child that
 * did not finish goes back to the to-do list instead: no row. */
static void finish(struct batch *b, struct slot *slot, int status, int stopping)
{
	struct sub *s = slot->s;
	char *report = report_path(b, s), *side = sidecar_path(b, s), *tmp;

	drain(slot);
	if (slot->fd >= 0)
		close(slot->fd);
	/* what a killed child was writing (report.c's temporary names) */
	tmp = util_fmt("%s.tmp.%d", report, (int)slot->pid);
	unlink(tmp);
	free(tmp);
	tmp = util_fmt("%s.tmp.%d", side, (int)slot->pid);
	unlink(tmp);
	free(tmp);
	free(report);
	free(side);
	b->running--;
	if (load_row(b, s, 0)) {
		s->state = SUB_DONE;
		b->graded++;
		if (s->peak_kib > b->peak_kib)
			b->peak_kib = s->peak_kib;
		if (!strcmp(s->status, "fault"))
			b->faults++;
		if (!strcmp(s->status, "fault") || s->score == 0)
			b->failures++;
	} else if (stopping) {
		s->state = SUB_TODO;
	} else {
		s->state = SUB_ERROR;
		s->status = "error";
		s->why = what_happened(b, slot, status);
		b->errors++;
		b->failures++;
	}
	memset(slot, 0, sizeof *slot);
	slot->fd = -1;
	if (s->state == SUB_TODO)
		return;
	b->done++;
	write_gradebook(b);
	progress(b, s);
}

/* s could not even start: an error row (s->why says why). */
static void failed_to_start(struct batch *b, struct sub *s)
{
	s->state = SUB_ERROR;
	s->status = "error";
	b->errors++;
	b->failures++;
	b->done++;
	write_gradebook(b);
	progress(b, s);
}

static struct slot *find(struct batch *b, pid_t pid)
{
	for (int i = 0; i < b->jobs; i++)
		if (b->slot[i].s && b->slot[i].pid == pid)
			return &b->slot[i];
	return NULL;
}

static struct slot *free_slot(struct batch *b)
{
	for (int i = 0; i < b->jobs; i++)
		if (!b->slot[i].s)
			return &b->slot[i];
	return NULL;
}

/* SIGKILL every process whose parent is this one: what is left once the
 * children's groups are gone (orphans handed to us as their subreaper). */
static void kill_children(const struct batch *b)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[300], buf[512], *close_paren;
		int ppid = 0;
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		if (!(f = fopen(path, "re")))
			continue;
		if (fgets(buf, sizeof buf, f) &&
		    (close_paren = strrchr(buf, ')')) &&
		    sscanf(close_paren + 1, " %*c %d", &ppid) == 1 &&
		    ppid == b->self)
			kill(atoi(e->d_name), SIGKILL);
		fclose(f);
	}
	if (d)
		closedir(d);
}

/* Reap what has ended: a slot's child is finished, any other process (an
 * orphan handed to us as subreaper) just reaped. Returns how many were
 * reaped; -1 once no child at all is left. */
static int reap(struct batch *b, int stopping)
{
	int st, n = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) != 0) {
		struct slot *slot;

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return -1; /* ECHILD */
		if ((slot = find(b, pid)))
			finish(b, slot, st, stopping);
		n++;
	}
	return n;
}

/* Reap until no child is left. Past the grace time, whatever is left is
 * killed (again); what cannot be killed at all is a fault. */
static void reap_all(struct batch *b, int stopping)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	double until = util_now() + REAP_GRACE_S;
	int rounds = 0;

	while (reap(b, stopping) >= 0) {
		if (util_now() > until) {
			if (++rounds > 3) {
				fprintf(stderr, "forklab: processes that "
				                "cannot be killed are left\n");
				b->fatal = 1;
				return;
			}
			kill_children(b);
			until = util_now() + REAP_GRACE_S;
		}
		nanosleep(&tick, NULL);
	}
}

/* Grade every submission on the to-do list, b->jobs at a time. */
static void run_all(struct batch *b)
{
	struct sigaction stop = { .sa_handler = on_stop },
	                 chld = { .sa_handler = on_child };
	sigset_t block, old;
	int next = 0;

	sigemptyset(&block);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0];
	     i++)
		sigaddset(&block, stop_signals[i]);
	sigaddset(&block, SIGCHLD);
	/* Blocked but while in ppoll(): no wake-up can be lost. */
	sigprocmask(SIG_BLOCK, &block, &old);
	for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0];
	     i++)
		sigaction(stop_signals[i], &stop, NULL);
	sigaction(SIGCHLD, &chld, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	b->t0 = util_now();
	progress(b, NULL);

	while (!stop_signal && !b->fatal) {
		struct pollfd pf[MAX_JOBS];
		struct slot *on[MAX_JOBS];
		struct timespec wait = { 0, 500 * 1000 * 1000 };
		struct slot *slot;
		int k = 0;

		while (next < b->n && !b->fatal && (slot = free_slot(b))) {
			struct sub *s = &b->subs[next++];

			if (s->state == SUB_TODO && start(b, slot, s) < 0)
				failed_to_start(b, s);
		}
		if (b->running == 0)
			break;
		for (int i = 0; i < b->jobs; i++)
			if (b->slot[i].s && b->slot[i].fd >= 0) {
				on[k] = &b->slot[i];
				pf[k].fd = b->slot[i].fd;
				pf[k++].events = POLLIN;
			}
		if (ppoll(pf, k, &wait, &old) < 0 && errno != EINTR)
			util_die("ppoll: %m");
		for (int i = 0; i < k; i++)
			if (pf[i].revents)
				drain(on[i]);
		reap(b, 0);
		for (int i = 0; i < b->jobs; i++) {
			slot = &b->slot[i];
			if (slot->s && !slot->overdue &&
			    util_now() - slot->t0 > b->limit_s) {
				kill(-slot->pid, SIGKILL);
				slot->overdue = 1;
			}
		}
		progress(b, NULL);
	}
	if (stop_signal || b->fatal) {
		for (int i = 0; i < b->jobs; i++)
			if (b->slot[i].s)
				kill(-b->slot[i].pid, SIGKILL);
		kill_children(b);
	}
	reap_all(b, stop_signal || b->fatal);
	if (b->tty)
		fputc('\n', stderr);
}

/* ---- setting up ---- */

/* The folders directly below the submissions directory, hidden ones and
 * OUT_DIR aside, in byte order. */
static int list_subs(struct batch *b, const struct stat *out)
{
	int fd = dup(b->subs_fd), cap = 0;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		fprintf(stderr, "forklab: %s: %m\n", b->subs_dir);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		struct stat st;

		if (e->d_name[0] == '.' ||
		    fstatat(b->subs_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) <
		        0 ||
		    !S_ISDIR(st.st_mode) ||
		    (st.st_dev == out->st_dev && st.st_ino == out->st_ino))
			continue;
		if (b->n == cap) {
			cap = cap ? 2 * cap : 64;
			b->subs = realloc(b->subs, cap * sizeof *b->subs);
			if (!b->subs)
				util_die("out of memory");
		}
		memset(&b->subs[b->n], 0, sizeof b->subs[0]);
		b->subs[b->n].name = util_fmt("%s", e->d_name);
		b->n++;
	}
	closedir(d);
	if (b->n)
		qsort(b->subs, b->n, sizeof *b->subs, by_name);
	return 0;
}

/* mkdir -p: 0, or -1 with errno. */
static int make_dirs(const char *path)
{
	char *p = util_fmt("%s", path);
	int rc = 0;

	for (char *s = p + 1;; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}

/* An integer in [lo, hi], the whole string. */
static int int_option(const char *opt, const char *s, int lo, int hi, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < lo || n > hi) {
		fprintf(stderr,
		        "forklab: --%s: '%s' is not a number from %d to %d\n",
		        opt, s, lo, hi);
		return -1;
	}
	*v = (int)n;
	return 0;
}

static int select_exercises(struct batch *b, const char *list)
{
	char *copy = util_fmt("%s", list), *save = NULL, *tok;
	int rc = 0;

	b->nsel = 0;
	for (tok = strtok_r(copy, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		const struct cat_exercise *e = cat_find(tok);
		int dup = 0;

		if (!e) {
			fprintf(
			    stderr,
			    "forklab: no exercise '%s' (see forklab list)\n",
			    tok);
			rc = -1;
			break;
		}
		for (int i = 0; i < b->nsel; i++)
			dup |= b->sel[i] == e;
		if (!dup && b->nsel < MAX_EX)
			b->sel[b->nsel++] = e;
	}
	if (!rc && b->nsel == 0) {
		fprintf(stderr, "forklab: --only: no exercise given\n");
		rc = -1;
	}
	free(copy);
	return rc;
}

static int select_format(struct batch *b, const char *format)
{
	char *names = NULL;
	int known = 0;

	for (int i = 0; report_formats[i]; i++) {
		known |= !strcmp(report_formats[i], format);
		util_append(&names, "%s%s", i ? ", " : "", report_formats[i]);
	}
	if (!known) {
		fprintf(stderr, "forklab: --format: '%s' is not one of %s\n",
		        format, names ? names : "");
		free(names);
		return -1;
	}
	free(names);
	b->format = format;
	snprintf(b->ext, sizeof b->ext, ".%s", format); /* a new format */
	for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
		if (!strcmp(extensions[i].format, format))
			snprintf(b->ext, sizeof b->ext, "%s",
			         extensions[i].ext);
	return 0;
}

/* The default: one submission per core, each with a share of the test
 * slots of a single `forklab grade` (at least SLOTS_MIN), so that the
 * machine stays busy while the timed checks, which compare with the
 * reference run in the same instant, keep their margin (see README). */
static int default_jobs(void)
{
	cpu_set_t set;
	int n =
	    sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;

	if (n <= 0)
		n = (int)sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : n;
}

static int usage(FILE *f)
{
	fputs("usage: forklab batch SUBMISSIONS_DIR --out OUT_DIR [--jobs N] "
	      "[--format FMT]\n"
	      "                     [--only ID,...] [--force]\n",
	      f);
	return f == stderr ? EXIT_BAD_INPUT : 0;
}

/* Options into b. 0, or the exit code (after a one-line message). */
static int parse(struct batch *b, int argc, char **argv, const char **subs,
                 const char **out)
{
	static const struct option opts[] = {
		{ "out", 1, 0, 'o' },    { "jobs", 1, 0, 'j' },
		{ "format", 1, 0, 'f' }, { "only", 1, 0, 'O' },
		{ "force", 0, 0, 'F' },  { "help", 0, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *format = "json";
	int o;

	optind = 1;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":o:j:f:h", opts, NULL)) != -1) {
		switch (o) {
		case 'o':
			*out = optarg;
			break;
		case 'j':
			if (int_option("jobs", optarg, 1, MAX_JOBS, &b->jobs) <
			    0)
				return EXIT_BAD_INPUT;
			break;
		case 'f':
			format = optarg;
			break;
		case 'O':
			if (select_exercises(b, optarg) < 0)
				return EXIT_BAD_INPUT;
			break;
		case 'F':
			b->force = 1;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case ':':
			fprintf(stderr, "forklab: batch: %s wants a value\n",
			        argv[optind - 1]);
			return EXIT_BAD_INPUT;
		default:
			fprintf(stderr,
			        "forklab: batch: unknown option '%s' (forklab "
			        "batch --help)\n",
			        argv[optind - 1]);
			return EXIT_BAD_INPUT;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "forklab: batch wants one directory of "
		                "submissions (forklab batch DIR --out "
		                "OUT_DIR)\n");
		return EXIT_BAD_INPUT;
	}
	*subs = argv[optind];
	if (!*out) {
		fprintf(stderr, "forklab: batch: --out OUT_DIR is missing\n");
		return EXIT_BAD_INPUT;
	}
	return select_format(b, format) < 0 ? EXIT_BAD_INPUT : 0;
}

/* The directories, the keys, and the rows of the reports still valid. */
static int prepare(struct batch *b, const char *subs, const char *out)
{
	char err[512];
	struct stat st, ost;
	char *state;

	if (stat(subs, &st) < 0 || !(b->subs_dir = realpath(subs, NULL))) {
		fprintf(stderr, "forklab: %s: %m\n", subs);
		return EXIT_BAD_INPUT;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "forklab: %s: not a directory\n", subs);
		return EXIT_BAD_INPUT;
	}
	if ((b->subs_fd =
	         open(b->subs_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "forklab: %s: %m\n", b->subs_dir);
		return EXIT_BAD_INPUT;
	}
	if (make_dirs(out) < 0 || stat(out, &ost) < 0 ||
	    !(b->out = realpath(out, NULL))) {
		fprintf(stderr, "forklab: --out %s: %m\n", out);
		return EXIT_BAD_INPUT;
	}
	if (!S_ISDIR(ost.st_mode)) {
		fprintf(stderr, "forklab: --out %s: not a directory\n", out);
		return EXIT_BAD_INPUT;
	}
	state = util_fmt("%s/" STATE_DIR, b->out);
	if (mkdir(state, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "forklab: mkdir %s: %m\n", state);
		free(state);
		return EXIT_BAD_INPUT;
	}
	free(state);
	if (build_key(b, err, sizeof err) < 0) {
		fprintf(stderr, "forklab: %s\n", err);
		return EXIT_FAULT;
	}
	if (list_subs(b, &ost) < 0)
		return EXIT_BAD_INPUT;
	for (int i = 0; i < b->n; i++) {
		struct sub *s = &b->subs[i];

		s->file = file_name(s->name);
		s->key = sub_key(b, s->name);
		if (!b->force && load_row(b, s, 1)) {
			s->state = SUB_DONE;
			b->resumed++;
			b->done++;
			if (s->score == 0)
				b->failures++;
		}
	}
	return 0;
}

int batch_cmd(int argc, char **argv)
{
	struct batch b = { 0 };
	const char *subs = NULL, *out = NULL;
	double t0 = util_now();
	int rc, slots_env = getenv("FORKLAB_JOBS") != NULL;

	b.self = getpid();
	b.tty = isatty(2) && getenv("TERM") && strcmp(getenv("TERM"), "dumb");
	b.subs_fd = -1;
	rc = parse(&b, argc, argv, &subs, &out);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (b.nsel == 0) {
		const struct cat_exercise *all = cat_all(&b.nsel);

		for (int i = 0; i < b.nsel && i < MAX_EX; i++)
			b.sel[i] = &all[i];
	}
	if (!b.jobs)
		b.jobs = default_jobs();
	b.slots = slots_env                          ? 0
	          : SLOTS_TOTAL / b.jobs > SLOTS_MIN ? SLOTS_TOTAL / b.jobs
	                                             : SLOTS_MIN;
	b.limit_s = LIMIT_BASE_S;
	for (int i = 0; i < b.nsel; i++)
		for (int k = 0; k < b.sel[i]->ntests; k++)
			b.limit_s += b.sel[i]->tests[k].timeout;
	signal(SIGPIPE, SIG_IGN); /* a closed stderr must not end a batch */
	rc = prepare(&b, subs, out);
	if (rc)
		goto out;
	if (write_gradebook(&b) < 0) {
		rc = EXIT_FAULT;
		goto out;
	}
	if (!b.tty || b.n == 0)
		fprintf(stderr,
		        "forklab batch: %d submission(s) in %s, %d unchanged "
		        "since their reports, %d to grade, %d at a time\n",
		        b.n, b.subs_dir, b.resumed, b.n - b.resumed, b.jobs);
	b.slot = calloc(b.jobs, sizeof *b.slot);
	if (!b.slot)
		util_die("out of memory");
	for (int i = 0; i < b.jobs; i++)
		b.slot[i].fd = -1;
	run_all(&b);
	rc = stop_signal                       ? EXIT_STOPPED
	     : b.fatal || b.errors || b.faults ? EXIT_FAULT
	                                       : EXIT_DONE;
	if (stop_signal) {
		fprintf(stderr,
		        "forklab batch: stopped by %s: %d of %d done; the same "
		        "command resumes\n",
		        strsignal(stop_signal), b.done, b.n);
		goto out;
	}
	fprintf(stderr,
	        "forklab batch: %d done (%d graded, %d unchanged), %d "
	        "failure(s), %d error(s); %s/gradebook.csv (%.1f s)\n",
	        b.done, b.graded, b.resumed, b.failures, b.errors, b.out,
	        util_now() - t0);
	if (b.graded)
		fprintf(stderr,
		        "forklab batch: peak memory of a grading process: "
		        "%ld KiB\n",
		        b.peak_kib);
out:
	for (int i = 0; i < b.n; i++) {
		free(b.subs[i].name);
		free(b.subs[i].file);
		free(b.subs[i].why);
	}
	free(b.subs);
	free(b.slot);
	free(b.subs_dir);
	free(b.out);
	if (b.subs_fd >= 0)
		close(b.subs_fd);
	return rc;
}
