/*
 * grade.c - grading a submission: scan -> build -> run -> judge -> report.
 *
 * Theory of operation. For each exercise asked for, scan.c finds the file,
 * build.c compiles it with the grader in the box, and every test of the
 * exercise becomes a job: one run of `driver TEST` in the box. A job runs in
 * a worker process of its own, forked from here, which is the tracer of its
 * run; it sends back the facts of the run (judge_facts) as one JSON text on
 * a pipe and ends. Jobs run N at a time; the reference run of a timed test
 * starts in the same instant as the student's, so that both see the same
 * machine. When every job is back, judge.c turns facts into verdicts and
 * report.c writes them. Nothing flows back upstream.
 */
#define _GNU_SOURCE
#include "grade.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "catalog.h"
#include "course.h"
#include "judge.h"
#include "report.h"
#include "run.h"
#include "scan.h"
#include "util.h"

#define DEFAULT_SLOTS 48 /* hanging tests sleep: many may wait at once */
#define TIMED_RETRIES 2 /* more measurements of a timed test's figure */
#define JOB_OUT_MAX   (4 << 20)

enum { JOB_BUILD, JOB_TEST };

struct job {
	int kind;
	int ex;     /* index in the report */
	int test;   /* index in the exercise's table */
	int ref;    /* the reference's run of a timed test */
	int paired; /* starts together with the next job */
	const char *driver;
	const char *src; /* JOB_BUILD: the student's file */
	pid_t pid;
	int fd;
	char *out;
	size_t len;
	int state; /* 0 waiting, 1 running, 2 done */
	json_t *facts;
};

struct grading {
	struct cat_paths paths;
	struct report rep;
	struct job *jobs;
	int njobs, cap;
	char **build_dirs; /* per exercise, removed at the end */
	char *ref_drivers; /* unused placeholder for symmetry */
	int slots;
};

/* ---- the work of a worker ---- */

static json_t *do_build(struct grading *g, struct job *j)
{
	const struct cat_exercise *ex = g->rep.ex[j->ex].ex;
	struct build_result b;
	json_t *o;
	int rc = build_exercise(&g->paths, ex, j->src, &b);

	o = json_pack("{s:b, s:b, s:s, s:b, s:s, s:f}", "fault", rc < 0, "ok",
	              b.ok, "diag", b.diag ? b.diag : "", "warnings",
	              b.warnings, "dir", b.dir ? b.dir : "", "wall_s",
	              b.wall_s);
	/* The directory outlives this worker: the parent removes it. */
	free(b.dir);
	b.dir = NULL;
	build_free(&b);
	return o;
}

static json_t *do_test(struct grading *g, struct job *j)
{
	const struct cat_exercise *ex = g->rep.ex[j->ex].ex;
	const struct fl_test *t = &ex->tests[j->test];
	char *argv[] = { (char *)j->driver, (char *)t->name, NULL };
	struct run_conf c = { 0 };
	struct run_result r;
	json_t *f;

	c.argv = argv;
	c.channel = 1;
	c.keep_events = 1;
	/* A course's time scale stretches the limits for slow machines. */
	c.lim.wall_s = t->timeout * course_time_scale;
	c.lim.cpu_s = t->timeout * 2 * course_time_scale;
	c.lim.procs = t->procs;
	if (run_exec(&c, &r) < 0) {
		f = json_pack("{s:b, s:s}", "fault", 1, "error", r.error);
		run_free(&r);
		return f;
	}
	f = judge_facts(&r);
	/* the limit in force, for the feedback of a test that reached it */
	json_object_set_new(f, "wall_limit_s", json_real(c.lim.wall_s));
	run_free(&r);
	return f;
}

static void worker(struct grading *g, struct job *j, int fd)
{
	json_t *o;
	char *s;
	size_t len, off = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	o = j->kind == JOB_BUILD ? do_build(g, j) : do_test(g, j);
	s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!s)
		_exit(3);
	len = strlen(s);
	while (off < len) {
		ssize_t n = write(fd, s + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		off += n;
	}
	_exit(0);
}

/* ---- the scheduler ---- */

static struct job *add_job(struct grading *g)
{
	if (g->njobs == g->cap) {
		int cap = g->cap ? 2 * g->cap : 64;
		struct job *n = realloc(g->jobs, cap * sizeof *n);

		if (!n)
			util_die("out of memory");
		g->jobs = n;
		g->cap = cap;
	}
	memset(&g->jobs[g->njobs], 0, sizeof g->jobs[0]);
	g->jobs[g->njobs].fd = -1;
	return &g->jobs[g->njobs++];
}

static int start(struct grading *g, struct job *j)
{
	int p[2];

	fflush(NULL);
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	j->pid = fork();
	if (j->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (j->pid == 0) {
		close(p[0]);
		worker(g, j, p[1]);
	}
	close(p[1]);
	j->fd = p[0];
	j->state = 1;
	return 0;
}

static void finish(struct job *j)
{
	json_error_t e;
	int st;

	close(j->fd);
	j->fd = -1;
	while (waitpid(j->pid, &st, 0) < 0 && errno == EINTR)
		;
	j->state = 2;
	if (j->out)
		j->facts = json_loadb(j->out, j->len, 0, &e);
	if (!j->facts)
		j->facts = json_pack("{s:b, s:s}", "fault", 1, "error",
		                     "the worker running this job died");
	free(j->out);
	j->out = NULL;
}

/* Run jobs [from, njobs) to completion, g->slots at a time. */
static void run_jobs(struct grading *g, int from)
{
	int running = 0, next = from;

	for (;;) {
		struct pollfd pf[256];
		int map[256], n = 0;

		while (next < g->njobs) {
			int need = g->jobs[next].paired ? 2 : 1;

			if (running + need > g->slots && running > 0)
				break;
			for (int k = 0; k < need; k++) {
				if (start(g, &g->jobs[next]) < 0) {
					g->jobs[next].state = 2;
					g->jobs[next].facts =
					    json_pack("{s:b, s:s}", "fault", 1,
					              "error", "fork failed");
				} else {
					running++;
				}
				next++;
			}
		}
		if (running == 0)
			return;
		for (int i = from; i < g->njobs && n < 256; i++)
			if (g->jobs[i].state == 1) {
				pf[n].fd = g->jobs[i].fd;
				pf[n].events = POLLIN;
				map[n++] = i;
			}
		if (poll(pf, n, -1) < 0 && errno != EINTR)
			util_die("poll: %m");
		for (int k = 0; k < n; k++) {
			struct job *j = &g->jobs[map[k]];
			char buf[65536];
			ssize_t r;

			if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(j->fd, buf, sizeof buf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r > 0 && j->len + r <= JOB_OUT_MAX) {
				char *nb = realloc(j->out, j->len + r);

				if (!nb)
					util_die("out of memory");
				j->out = nb;
				memcpy(j->out + j->len, buf, r);
				j->len += r;
				continue;
			}
			if (r > 0)
				continue; /* too long: dropped, judged faulty */
			finish(j);
			running--;
		}
	}
}

/* ---- the pipeline ---- */

static int slots_wanted(void)
{
	const char *s = getenv("FORKLAB_JOBS");
	int n = s ? atoi(s) : 0;

	return n > 0 && n <= 256 ? n : DEFAULT_SLOTS;
}

/* Queue a timed test again: the student's run and the reference's, paired. */
static void add_pair(struct grading *g, const struct job *j)
{
	struct job copy = *j, *s, *r;
	const char *ref = g->jobs[j - g->jobs + 1].driver;

	s = add_job(g);
	s->kind = JOB_TEST;
	s->ex = copy.ex;
	s->test = copy.test;
	s->paired = 1;
	s->driver = strdup(copy.driver);
	r = add_job(g);
	r->kind = JOB_TEST;
	r->ex = copy.ex;
	r->test = copy.test;
	r->ref = 1;
	r->driver = strdup(ref);
}

static int grade_dir(struct grading *g, const char *dir,
                     const struct cat_exercise **sel, int n)
{
	int fault = 0, first_test;
	double t0 = util_now();
	char err[512];
	char **src;

	g->slots = slots_wanted();
	g->rep.submission = dir;
	g->rep.ex = calloc(n, sizeof *g->rep.ex);
	g->build_dirs = calloc(n, sizeof *g->build_dirs);
	src = calloc(n, sizeof *src);
	if (!g->rep.ex || !g->build_dirs || !src)
		util_die("out of memory");
	g->rep.nex = n;
	if (sbx_init(err, sizeof err) < 0)
		util_die("%s", err);
	sbx_hide(g->paths.lib);
	sbx_hide(g->paths.root);

	/* scan, and a build job per exercise found */
	for (int i = 0; i < n; i++) {
		struct report_exercise *e = &g->rep.ex[i];
		char path[4096], msg[1024];
		enum scan_status st;

		e->ex = sel[i];
		for (int k = 0; k < sel[i]->ntests; k++)
			e->max += sel[i]->tests[k].points;
		g->rep.max += e->max;
		st = scan_find(dir, sel[i]->id, sel[i]->file, path, sizeof path,
		               msg, sizeof msg);
		if (st != SCAN_FOUND) {
			e->status =
			    st == SCAN_MISSING ? "not_submitted" : "invalid";
			e->feedback = util_utf8(msg, strlen(msg), 2048);
			continue;
		}
		e->file =
		    strdup(path + strlen(dir) + (path[strlen(dir)] == '/'));
		src[i] = strdup(path);
		struct job *j = add_job(g);

		j->kind = JOB_BUILD;
		j->ex = i;
		j->src = src[i];
	}
	run_jobs(g, 0);

	/* a test job (and its reference) per test of each built exercise */
	first_test = g->njobs;
	for (int b = 0; b < first_test; b++) {
		struct job *bj = &g->jobs[b];
		struct report_exercise *e = &g->rep.ex[bj->ex];
		const char *dirp =
		    json_string_value(json_object_get(bj->facts, "dir"));
		const char *diag =
		    json_string_value(json_object_get(bj->facts, "diag"));

		if (dirp && *dirp)
			g->build_dirs[bj->ex] = strdup(dirp);
		if (json_is_true(json_object_get(bj->facts, "fault"))) {
			e->status = "invalid";
			e->feedback = util_fmt(
			    "forklab could not build this exercise: %s",
			    diag ? diag : "");
			fault = 1;
			continue;
		}
		if (!json_is_true(json_object_get(bj->facts, "ok"))) {
			e->status = "compile_error";
			e->feedback = util_fmt("%s does not compile:\n%s",
			                       e->ex->file, diag ? diag : "");
			continue;
		}
		e->status = "graded";
		if (json_is_true(json_object_get(bj->facts, "warnings")))
			e->feedback = util_fmt("compiler warnings (they cost "
			                       "nothing, but read them):\n%s",
			                       diag ? diag : "");
		e->tests = calloc(e->ex->ntests, sizeof *e->tests);
		e->ntests = e->ex->ntests;
		for (int k = 0; k < e->ex->ntests; k++) {
			const struct fl_test *t = &e->ex->tests[k];
			struct job *j = add_job(g);

			j->kind = JOB_TEST;
			j->ex = bj->ex;
			j->test = k;
			j->driver =
			    util_fmt("%s/driver", g->build_dirs[bj->ex]);
			if (t->rule != FL_NONE) {
				struct job *r;

				g->jobs[g->njobs - 1].paired = 1;
				r = add_job(g);
				r->kind = JOB_TEST;
				r->ex = bj->ex;
				r->test = k;
				r->ref = 1;
				r->driver = util_fmt("%s/ref/%s", g->paths.lib,
				                     e->ex->id);
			}
		}
	}
	/* A pair must not straddle the slot limit: start() takes both. */
	/* Run, judge; a timed test that failed on its figure alone is measured
	 * again, a fresh pair at the same time: a sound submission is never
	 * late on every try, a late one is. */
	for (int attempt = 0, from = first_test; from < g->njobs; attempt++) {
		int end;

		run_jobs(g, from);
		end = g->njobs;
		for (int i = from; i < end; i++) {
			struct job *j = &g->jobs[i];
			struct report_exercise *e = &g->rep.ex[j->ex];
			struct report_test *out = &e->tests[j->test];
			const char *v;

			if (j->ref)
				continue;
			free(out->feedback);
			if (json_is_true(json_object_get(j->facts, "fault"))) {
				out->t = &e->ex->tests[j->test];
				out->status = "error";
				out->score = 0;
				out->feedback = util_fmt(
				    "forklab could not run this test: %s",
				    json_string_value(
				        json_object_get(j->facts, "error")));
				continue;
			}
			judge_test(&e->ex->tests[j->test], j->facts,
			           j->paired ? g->jobs[i + 1].facts : NULL,
			           out);
			v = json_string_value(
			    json_object_get(j->facts, "verdict"));
			if (j->paired && attempt < TIMED_RETRIES && v &&
			    !strcmp(v, "pass") && strcmp(out->status, "passed"))
				add_pair(g, j);
			else if (attempt > 0)
				util_append(
				    &out->feedback,
				    "%s(the figure was measured %d times, "
				    "each beside the reference; this is "
				    "the last)",
				    *out->feedback ? "\n" : "", attempt + 1);
		}
		from = end;
	}
	/* the scores, once every test has its final verdict */
	for (int i = 0; i < n; i++) {
		struct report_exercise *e = &g->rep.ex[i];

		for (int k = 0; k < e->ntests; k++) {
			if (!strcmp(e->tests[k].status, "error"))
				g->rep.faults++;
			e->score += e->tests[k].score;
		}
		g->rep.score += e->score;
	}
	for (int i = 0; i < g->njobs; i++) {
		json_decref(g->jobs[i].facts);
		if (g->jobs[i].kind == JOB_TEST)
			free((char *)g->jobs[i].driver);
	}
	for (int i = 0; i < n; i++) {
		if (g->build_dirs[i])
			util_rm_rf(g->build_dirs[i]);
		free(g->build_dirs[i]);
		free(src[i]);
	}
	free(g->build_dirs);
	free(src);
	free(g->jobs);
	g->rep.wall_s = util_now() - t0;
	return fault || g->rep.faults ? 2 : 0;
}

int grade_submission(const char *dir, const struct cat_exercise **sel, int n,
                     struct report *rep)
{
	struct grading g = { 0 };
	char err[512];
	int rc;

	if (cat_paths(&g.paths, err, sizeof err) < 0)
		util_die("%s", err);
	rc = grade_dir(&g, dir, sel, n);
	*rep = g.rep;
	return rc;
}

/* Parse "01-spawn,03" into a selection. 0, or -1 after a message. */
static int select_ids(const char *list, const struct cat_exercise **sel, int *n)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int rc = 0;

	*n = 0;
	for (tok = strtok_r(copy, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		const struct cat_exercise *e = cat_find(tok);

		if (!e) {
			fprintf(
			    stderr,
			    "forklab: no exercise '%s' (see forklab list)\n",
			    tok);
			rc = -1;
			break;
		}
		if (*n < 8)
			sel[(*n)++] = e;
	}
	free(copy);
	return rc;
}

static int all_ids(const struct cat_exercise **sel)
{
	int n;
	const struct cat_exercise *all = cat_all(&n);

	for (int i = 0; i < n; i++)
		sel[i] = &all[i];
	return n;
}

/* Load the course file at path into c and make its time scale the one in
 * force. 0, or -1 after a one-line message. */
static int use_course(const char *path, struct course *c)
{
	char err[1024];

	if (course_load(path, c, err, sizeof err) < 0) {
		fprintf(stderr, "forklab: %s\n", err);
		return -1;
	}
	course_time_scale = c->time_scale;
	return 0;
}

/* Parse "json,junit" into fmts (at most max names, pointing into list,
 * which is cut at the commas). Returns how many, or -1 after a message. */
static int parse_formats(char *list, const char **fmts, int max)
{
	char *save = NULL, *tok;
	int n = 0, k;

	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (k = 0; report_formats[k]; k++)
			if (!strcmp(tok, report_formats[k]))
				break;
		if (!report_formats[k] || n == max) {
			fprintf(stderr,
			        "forklab: --format: '%s' is not json, "
			        "gradescope, prairielearn, junit, tap, text or "
			        "html\n",
			        tok);
			return -1;
		}
		fmts[n++] = tok;
	}
	if (n == 0) {
		fprintf(stderr, "forklab: --format: no format given\n");
		return -1;
	}
	return n;
}

/* Write rep in every format asked for: to stdout, or atomically to out
 * (one format), or to out.FORMAT for each (several). Dies on failure. */
static void write_reports(const struct report *rep, const char **fmts, int nfmt,
                          const char *out)
{
	for (int i = 0; i < nfmt; i++) {
		char *path = nfmt > 1 ? util_fmt("%s.%s", out, fmts[i])
		             : out    ? strdup(out)
		                      : NULL;

		if (path ? report_write_file(rep, fmts[i], path) < 0
		         : report_write(rep, fmts[i], stdout) < 0)
			util_die("writing the %s report to %s: %m", fmts[i],
			         path ? path : "stdout");
		free(path);
	}
}

int grade_cmd_grade(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", 1, 0, 'f' }, { "output", 1, 0, 'o' },
		{ "only", 1, 0, 'O' },   { "course", 1, 0, 'c' },
		{ "help", 0, 0, 'h' },   { 0, 0, 0, 0 },
	};
	const struct cat_exercise *sel[8];
	struct course course = { 0 };
	struct report rep;
	const char *out = NULL, *only = NULL, *course_file = NULL,
	           *fmts[16] = { "json" };
	char *dir = NULL, *format = NULL;
	int n, o, rc, nfmt = 1;
	struct stat st;

	n = all_ids(sel);
	optind = 1;
	while ((o = getopt_long(argc, argv, "o:f:h", opts, NULL)) != -1) {
		switch (o) {
		case 'f':
			format = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'O':
			only = optarg;
			break;
		case 'c':
			course_file = optarg;
			break;
		case 'h':
			puts("usage: forklab grade DIR [--format FORMAT[,...]] "
			     "[-o FILE] [--only ID,...] [--course FILE]\n"
			     "  FORMAT: json (default), gradescope, "
			     "prairielearn, junit, tap, text, html\n"
			     "  several formats: -o PREFIX writes "
			     "PREFIX.FORMAT for each, from one grading");
			return 0;
		default:
			return 1;
		}
	}
	if (format && (nfmt = parse_formats(format, fmts, 16)) < 0)
		return 1;
	if (nfmt > 1 && !out) {
		fprintf(stderr, "forklab: --format with several formats wants "
		                "-o PREFIX (written as PREFIX.FORMAT)\n");
		return 1;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "forklab: grade wants one directory (forklab "
		                "grade DIR)\n");
		return 1;
	}
	if (course_file && use_course(course_file, &course) < 0)
		return 1;
	/* The command line's --only wins over the course's list. */
	if (only) {
		if (select_ids(only, sel, &n) < 0)
			goto bad;
	} else if (course.nsel) {
		n = course.nsel;
		memcpy(sel, course.sel, n * sizeof *sel);
	}
	if (stat(argv[optind], &st) < 0 || !S_ISDIR(st.st_mode) ||
	    !(dir = realpath(argv[optind], NULL))) {
		fprintf(stderr, "forklab: %s: %s\n", argv[optind],
		        errno ? strerror(errno) : "not a directory");
		goto bad;
	}
	rc = grade_submission(dir, sel, n, &rep);
	if (course_file)
		course_apply(&course, &rep);
	write_reports(&rep, fmts, nfmt, out);
	report_free(&rep);
	course_free(&course);
	free(dir);
	if (fflush(stdout) == EOF)
		util_die("stdout: %m");
	return rc;
bad:
	course_free(&course);
	return 1;
}

int grade_cmd_check(int argc, char **argv)
{
	const struct cat_exercise *sel[8];
	struct grading g = { 0 };
	struct course course = { 0 };
	const char *course_file = NULL;
	struct report rep;
	char err[512], *dir;
	int n = 0, rc, color;
	struct stat st;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("usage: forklab check [--course FILE] [ID...]  "
			     "(grades ./exercises, or the tree's)");
			return 0;
		}
		if (!strcmp(argv[i], "--course")) {
			if (++i == argc) {
				fprintf(stderr, "forklab: --course wants a "
				                "file\n");
				return 1;
			}
			course_file = argv[i];
			continue;
		}
		if (select_ids(argv[i], sel + n, &rc) < 0 || n + rc > 8)
			return 1;
		n += rc;
	}
	if (course_file && use_course(course_file, &course) < 0)
		return 1;
	if (n == 0 && course.nsel) {
		n = course.nsel;
		memcpy(sel, course.sel, n * sizeof *sel);
	}
	if (n == 0)
		n = all_ids(sel);
	if (cat_paths(&g.paths, err, sizeof err) < 0)
		util_die("%s", err);
	/* A student's tree: ./exercises, else the one beside forklab. */
	if (stat("exercises", &st) == 0 && S_ISDIR(st.st_mode))
		dir = realpath("exercises", NULL);
	else
		dir = util_fmt("%s/exercises", g.paths.root);
	if (!dir || stat(dir, &st) < 0) {
		fprintf(stderr, "forklab: no exercises/ directory to check\n");
		course_free(&course);
		return 1;
	}
	color = isatty(1) && !getenv("NO_COLOR");
	rc = grade_submission(dir, sel, n, &rep);
	if (course_file)
		course_apply(&course, &rep);
	report_text(stdout, &rep, color);
	report_free(&rep);
	course_free(&course);
	free(dir);
	return rc;
}

int grade_cmd_list(int argc, char **argv)
{
	int n;
	const struct cat_exercise *all = cat_all(&n);

	(void)argc;
	(void)argv;
	for (int i = 0; i < n; i++) {
		printf("%s  %s  (%s)\n", all[i].id, all[i].title, all[i].file);
		for (int k = 0; k < all[i].ntests; k++)
			printf("  check %d  %-26s %3d  %s\n",
			       all[i].tests[k].check, all[i].tests[k].name,
			       all[i].tests[k].points, all[i].tests[k].text);
	}
	return 0;
}
