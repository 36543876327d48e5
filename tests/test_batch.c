/*
 * test_batch.c - forklab batch, end to end, through bin/forklab.
 *
 * The submissions are a table: each row a folder name (one with a space,
 * one with a byte that is not UTF-8), the folder of the tree it is copied
 * from, the report file and gradebook id it must get and its total for
 * exercise 01 (--only 01 keeps the suite fast). The tests run in order on
 * one temporary directory: a first batch; a second that grades nothing; a
 * changed file that is the only one regraded; --force; SIGINT in the middle
 * (exit 130, nothing left running, a gradebook of complete reports only,
 * then resumed); a grading process killed from outside (an error row, the
 * rest graded); another format (JUnit: ref.xml); and a table of bad
 * command lines.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NSUBS    (sizeof subs / sizeof subs[0])
#define UID_BASE 1000000000u
#define MAX_SEEN 8192

static const struct {
	const char *name; /* the folder below SUBS */
	const char *from; /* the tree's folder it is a copy of */
	const char *file; /* its report in OUT */
	const char *id;   /* its id in the gradebook */
	int total;        /* exercise 01 */
} subs[] = {
	/* in the gradebook's (byte) order */
	{ "caf\xe9", "reference", "caf%E9.json", "caf\\xe9", 100 },
	{ "compile-error", "tests/bad/compile-error", "compile-error.json",
	  "compile-error", 0 },
	/* every test times out: it costs its own grade only */
	{ "hang", "bench/hang", "hang.json", "hang", 0 },
	{ "ref", "reference", "ref.json", "ref", 100 },
	{ "stub", "exercises", "stub.json", "stub", 0 },
	/* loses check 8 (10 points): see its expect file */
	{ "with space", "tests/submissions/01-spawn/errno-clobbered",
	  "with%20space.json", "with space", 90 },
};

static char top[64]; /* the temporary directory: SUBS, OUT, logs */
static char subs_dir[128], out_dir[128], err_log[128];

static const char *forklab(void)
{
	const char *f = getenv("FORKLAB");

	return f ? f : "bin/forklab";
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Start argv with stdout to /dev/null and stderr to err_log. */
static pid_t spawn(char *const argv[])
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		int err = open(err_log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(null, 1);
		dup2(err, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int wait_exit(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* forklab batch SUBS --out OUT --only 01 [extra...]: its exit code. */
static int batch(const char *extra1, const char *extra2, double *took)
{
	char *argv[] = { (char *)forklab(), "batch",  subs_dir, "--out",
		         out_dir,           "--only", "01",     (char *)extra1,
		         (char *)extra2,    NULL };
	double t0 = now();
	int rc = wait_exit(spawn(argv));

	if (took)
		*took = now() - t0;
	return rc;
}

/* Outside a test: a failure ends the suite. */
static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "test_batch: %s: %m\n", what);
		exit(1);
	}
}

static void run(char *const argv[])
{
	int st;
	pid_t pid = fork();

	must(pid >= 0, "fork");
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	must(waitpid(pid, &st, 0) == pid && st == 0, argv[0]);
}

/* A whole file, NUL-terminated, its length in *len (if len); or NULL. */
static char *slurp_len(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1, n;
	char buf[4096], *s;

	if (!f)
		return NULL;
	s = calloc(1, 1);
	*(len ? len : &n) = 0;
	for (size_t used = 0; (n = fread(buf, 1, sizeof buf, f)) > 0;) {
		if (used + n + 1 > cap) {
			cap = 2 * (used + n + 1);
			s = realloc(s, cap);
		}
		memcpy(s + used, buf, n);
		used += n;
		s[used] = '\0';
		if (len)
			*len = used;
	}
	fclose(f);
	return s;
}

static char *slurp(const char *path)
{
	return slurp_len(path, NULL);
}

/* ---- the gradebook, parsed as RFC 4180 ---- */

#define MAX_ROWS   16
#define MAX_FIELDS 8

struct csv {
	char *f[MAX_ROWS][MAX_FIELDS];
	int nf[MAX_ROWS];
	int rows;
};

/* Every record ends with CRLF; quoted fields double their quotes. Returns
 * 0, or -1 if the text is not such a file. */
static int csv_parse(const char *s, struct csv *c)
{
	memset(c, 0, sizeof *c);
	while (*s) {
		char field[4096];
		size_t k = 0;

		if (c->rows == MAX_ROWS || c->nf[c->rows] == MAX_FIELDS)
			return -1;
		if (*s == '"') {
			for (s++;; s++) {
				if (!*s)
					return -1;
				if (*s == '"' && s[1] == '"')
					s++;
				else if (*s == '"')
					break;
				if (k < sizeof field - 1)
					field[k++] = *s;
			}
			s++;
		} else {
			while (*s && *s != ',' && *s != '\r' && *s != '\n' &&
			       *s != '"')
				if (k < sizeof field - 1)
					field[k++] = *s++;
		}
		field[k] = '\0';
		c->f[c->rows][c->nf[c->rows]++] = strdup(field);
		if (*s == ',') {
			s++;
			continue;
		}
		if (s[0] != '\r' || s[1] != '\n')
			return -1;
		s += 2;
		c->rows++;
	}
	return 0;
}

static void csv_free(struct csv *c)
{
	for (int r = 0; r <= c->rows && r < MAX_ROWS; r++)
		for (int i = 0; i < c->nf[r]; i++)
			free(c->f[r][i]);
}

/* The gradebook: its header, and rows that each agree with the table and
 * with their report (valid JSON, same total). Returns how many rows. */
static int check_gradebook(struct csv *c)
{
	char path[256], *text;
	static const char *const header[] = { "id", "total", "01-spawn",
		                              "status", "report" };

	snprintf(path, sizeof path, "%s/gradebook.csv", out_dir);
	text = slurp(path);
	ck_assert_msg(text, "no gradebook");
	ck_assert_msg(csv_parse(text, c) == 0, "not RFC 4180: %s", text);
	free(text);
	ck_assert_int_ge(c->rows, 1);
	ck_assert_int_eq(c->nf[0], 5);
	for (int i = 0; i < 5; i++)
		ck_assert_str_eq(c->f[0][i], header[i]);
	for (int r = 1; r < c->rows; r++) {
		size_t k;
		json_t *j;

		ck_assert_int_eq(c->nf[r], 5);
		for (k = 0; k < NSUBS; k++)
			if (!strcmp(subs[k].id, c->f[r][0]))
				break;
		ck_assert_msg(k < NSUBS, "unknown id %s", c->f[r][0]);
		if (r > 1)
			ck_assert_msg(strcmp(c->f[r - 1][0], c->f[r][0]) < 0,
			              "rows out of order");
		if (!strncmp(c->f[r][3], "error", 5))
			continue;
		ck_assert_str_eq(c->f[r][3], "graded");
		ck_assert_str_eq(c->f[r][4], subs[k].file);
		ck_assert_int_eq(atoi(c->f[r][1]), subs[k].total);
		ck_assert_int_eq(atoi(c->f[r][2]), subs[k].total);
		snprintf(path, sizeof path, "%s/%s", out_dir, subs[k].file);
		j = json_load_file(path, 0, NULL);
		ck_assert_msg(j, "%s: not JSON", path);
		ck_assert_int_eq(
		    json_integer_value(json_object_get(j, "score")),
		    subs[k].total);
		json_decref(j);
	}
	return c->rows - 1;
}

/* Each report's mtime, in table order. */
static void mtimes(struct timespec *t)
{
	for (size_t k = 0; k < NSUBS; k++) {
		char path[256];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", out_dir, subs[k].file);
		ck_assert_msg(stat(path, &st) == 0, "%s: %m", path);
		t[k] = st.st_mtim;
	}
}

static int same_time(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

/* No file of OUT is a temporary one left by a killed writer. */
static void no_temporaries(void)
{
	const char *dirs[] = { "", "/.forklab-batch" };

	for (size_t i = 0; i < 2; i++) {
		char path[256];
		struct dirent *e;
		DIR *d;

		snprintf(path, sizeof path, "%s%s", out_dir, dirs[i]);
		d = opendir(path);
		ck_assert_ptr_nonnull(d);
		while ((e = readdir(d)))
			ck_assert_msg(!strstr(e->d_name, ".tmp."), "%s/%s left",
			              path, e->d_name);
		closedir(d);
	}
}

/* ---- processes: who belongs to a batch, and whether any is left ---- */

struct seen {
	int pid[MAX_SEEN];
	unsigned long long start[MAX_SEEN];
	int n;
};

/* pid's parent and start time from /proc/PID/stat. 0, or -1 if gone. */
static int proc_stat(int pid, int *ppid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	FILE *f;
	int ok;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	ok = fgets(buf, sizeof buf, f) != NULL;
	fclose(f);
	if (!ok || !(p = strrchr(buf, ')')))
		return -1;
	/* after comm: state ppid pgrp session tty tpgid flags minflt
	 * cminflt majflt cmajflt utime stime cutime cstime priority nice
	 * threads itrealvalue starttime */
	return sscanf(p + 1,
	              " %*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
	              "%*d %*d %*d %*d %*d %*d %llu",
	              ppid, start) == 2
	           ? 0
	           : -1;
}

static int seen_has(const struct seen *s, int pid)
{
	for (int i = 0; i < s->n; i++)
		if (s->pid[i] == pid)
			return 1;
	return 0;
}

/* Add every descendant of root alive now to s. */
static void snapshot(struct seen *s, int root)
{
	int added = 1;

	if (!seen_has(s, root) && s->n < MAX_SEEN) {
		s->pid[s->n] = root;
		proc_stat(root, &(int){ 0 }, &s->start[s->n]);
		s->n++;
	}
	while (added) {
		DIR *d = opendir("/proc");
		struct dirent *e;

		added = 0;
		while (d && (e = readdir(d))) {
			int pid = atoi(e->d_name), ppid;
			unsigned long long start;

			if (pid <= 0 || seen_has(s, pid) ||
			    proc_stat(pid, &ppid, &start) < 0 ||
			    !seen_has(s, ppid) || s->n == MAX_SEEN)
				continue;
			s->pid[s->n] = pid;
			s->start[s->n++] = start;
			added = 1;
		}
		if (d)
			closedir(d);
	}
}

/* Nothing of the batch is left: no process seen in it (same pid, same
 * start), no process of a box it ran (a box's uid is UID_BASE + the pid of
 * its first process), and no process naming our directory. */
static void nothing_left(const struct seen *s)
{
	struct dirent *e;
	DIR *d;

	for (int i = 0; i < s->n; i++) {
		int ppid;
		unsigned long long start;

		ck_assert_msg(proc_stat(s->pid[i], &ppid, &start) < 0 ||
		                  start != s->start[i],
		              "process %d of the batch is left", s->pid[i]);
	}
	d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		char path[300], *cmd;
		struct stat st;
		size_t len;
		int pid = atoi(e->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof path, "/proc/%d", pid);
		if (stat(path, &st) == 0 && st.st_uid >= UID_BASE)
			ck_assert_msg(!seen_has(s, (int)(st.st_uid - UID_BASE)),
			              "process %d of a box of the batch (uid "
			              "%u) is left",
			              pid, st.st_uid);
		snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
		if (!(cmd = slurp_len(path, &len)))
			continue;
		/* the arguments, NUL-separated: look at each */
		for (char *a = cmd; a < cmd + len; a += strlen(a) + 1)
			ck_assert_msg(!strstr(a, top),
			              "process %d still names %s", pid, top);
		free(cmd);
	}
	closedir(d);
}

/* The gradebook's data rows, as long as it can be read (else -1). */
static int rows_now(void)
{
	char path[256], *text;
	struct csv c;
	int n = -1;

	snprintf(path, sizeof path, "%s/gradebook.csv", out_dir);
	if (!(text = slurp(path)))
		return -1;
	if (csv_parse(text, &c) == 0)
		n = c.rows - 1;
	csv_free(&c);
	free(text);
	return n;
}

/* A child of pid (the grading process at work), or 0. */
static int child_of(int pid)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)) && !found) {
		int p = atoi(e->d_name), ppid;
		unsigned long long start;

		if (p > 0 && proc_stat(p, &ppid, &start) == 0 && ppid == pid)
			found = p;
	}
	if (d)
		closedir(d);
	return found;
}

/* Start a --force --jobs 1 batch and wait until `rows` submissions are in
 * its gradebook (the next one, "hang", then takes seconds), watching its
 * processes all along. */
static pid_t start_slow_batch(struct seen *s, int rows)
{
	char *argv[] = { (char *)forklab(), "batch",  subs_dir, "--out",
		         out_dir,           "--only", "01",     "--force",
		         "--jobs",          "1",      NULL };
	double t0 = now();
	pid_t pid = spawn(argv);

	while (rows_now() != rows) {
		ck_assert_msg(now() - t0 < 30, "the batch makes no progress");
		snapshot(s, pid);
		usleep(10000);
	}
	for (int i = 0; i < 20; i++) {
		snapshot(s, pid);
		usleep(10000);
	}
	return pid;
}

/* ---- the tests, in order ---- */

static void setup_tree(void)
{
	char dst[256];

	snprintf(top, sizeof top, "/tmp/forklab-test-batch.XXXXXX");
	must(mkdtemp(top) != NULL, "mkdtemp");
	snprintf(subs_dir, sizeof subs_dir, "%s/subs", top);
	snprintf(out_dir, sizeof out_dir, "%s/out", top);
	snprintf(err_log, sizeof err_log, "%s/stderr", top);
	must(mkdir(subs_dir, 0755) == 0, subs_dir);
	for (size_t k = 0; k < NSUBS; k++) {
		char *cp[] = { "/bin/cp", "-r", (char *)subs[k].from, dst,
			       NULL };

		snprintf(dst, sizeof dst, "%s/%s", subs_dir, subs[k].name);
		run(cp);
	}
	/* neither is a submission */
	snprintf(dst, sizeof dst, "%s/.hidden", subs_dir);
	must(mkdir(dst, 0755) == 0, dst);
	snprintf(dst, sizeof dst, "%s/notes.txt", subs_dir);
	close(open(dst, O_WRONLY | O_CREAT, 0644));
}

static void remove_tree(void)
{
	char *rm[] = { "/bin/rm", "-rf", top, NULL };

	if (*top)
		run(rm);
}

START_TEST(first_run)
{
	char path[256];
	struct csv c;
	double took;
	FILE *f;

	ck_assert_int_eq(batch(NULL, NULL, &took), 0);
	ck_assert_int_eq(check_gradebook(&c), (int)NSUBS);
	csv_free(&c);
	/* one report per submission, nothing else but the gradebook */
	for (size_t k = 0; k < NSUBS; k++) {
		snprintf(path, sizeof path, "%s/%s", out_dir, subs[k].file);
		ck_assert_msg(access(path, F_OK) == 0, "%s missing", path);
	}
	no_temporaries();
	snprintf(path, sizeof path, "%s/first-run-s", top);
	f = fopen(path, "w");
	fprintf(f, "%f\n", took);
	fclose(f);
}
END_TEST

START_TEST(second_run_grades_nothing)
{
	struct timespec before[NSUBS], after[NSUBS];
	char path[256], *first, *log;
	struct csv c;
	double took;

	snprintf(path, sizeof path, "%s/first-run-s", top);
	first = slurp(path);
	ck_assert_ptr_nonnull(first);
	mtimes(before);
	ck_assert_int_eq(batch(NULL, NULL, &took), 0);
	mtimes(after);
	for (size_t k = 0; k < NSUBS; k++)
		ck_assert_msg(same_time(before[k], after[k]), "%s regraded",
		              subs[k].file);
	ck_assert_msg(took < atof(first) / 4, "second run %.2f s, first %s",
	              took, first);
	log = slurp(err_log);
	ck_assert_msg(strstr(log, "6 unchanged"), "%s", log);
	ck_assert_int_eq(check_gradebook(&c), (int)NSUBS);
	csv_free(&c);
	free(log);
	free(first);
}
END_TEST

START_TEST(changed_file_regraded_alone)
{
	struct timespec before[NSUBS], after[NSUBS];
	char path[256];
	struct csv c;
	FILE *f;

	mtimes(before);
	snprintf(path, sizeof path, "%s/with space/spawn.c", subs_dir);
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("/* changed */\n", f);
	fclose(f);
	ck_assert_int_eq(batch(NULL, NULL, NULL), 0);
	mtimes(after);
	for (size_t k = 0; k < NSUBS; k++)
		ck_assert_msg(same_time(before[k], after[k]) ==
		                  !!strcmp(subs[k].name, "with space"),
		              "%s: regraded or not, wrongly", subs[k].file);
	ck_assert_int_eq(check_gradebook(&c), (int)NSUBS);
	csv_free(&c);
}
END_TEST

START_TEST(force_regrades_all)
{
	struct timespec before[NSUBS], after[NSUBS];
	struct csv c;

	mtimes(before);
	ck_assert_int_eq(batch("--force", NULL, NULL), 0);
	mtimes(after);
	for (size_t k = 0; k < NSUBS; k++)
		ck_assert_msg(!same_time(before[k], after[k]),
		              "%s not regraded", subs[k].file);
	ck_assert_int_eq(check_gradebook(&c), (int)NSUBS);
	csv_free(&c);
}
END_TEST

START_TEST(sigint_stops_cleanly)
{
	struct seen s = { .n = 0 };
	struct timespec t0;
	struct csv c;
	pid_t pid;
	double t;
	int rows;

	clock_gettime(CLOCK_REALTIME, &t0);
	pid = start_slow_batch(&s, 2);
	ck_assert_msg(s.n > 3, "no grading process seen (%d)", s.n);
	ck_assert_int_eq(kill(pid, SIGINT), 0);
	t = now();
	ck_assert_int_eq(wait_exit(pid), 130);
	ck_assert_msg(now() - t < 5, "took %.1f s to stop", now() - t);
	nothing_left(&s);
	no_temporaries();
	/* only the reports this run completed are listed */
	rows = check_gradebook(&c);
	ck_assert_int_eq(rows, 2);
	for (int r = 1; r <= rows; r++) {
		char path[256];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", out_dir, c.f[r][4]);
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_msg(st.st_mtim.tv_sec >= t0.tv_sec,
		              "%s listed but not from this run", c.f[r][4]);
	}
	csv_free(&c);
	/* and the same command resumes */
	ck_assert_int_eq(batch(NULL, NULL, NULL), 0);
	ck_assert_int_eq(check_gradebook(&c), (int)NSUBS);
	csv_free(&c);
}
END_TEST

START_TEST(killed_grader_is_an_error_row)
{
	struct seen s = { .n = 0 };
	struct csv c;
	pid_t pid, victim;
	int errors = 0;

	pid = start_slow_batch(&s, 2);
	victim = child_of(pid); /* grading "hang" */
	ck_assert_int_gt(victim, 0);
	ck_assert_int_eq(kill(-victim, SIGKILL), 0);
	ck_assert_int_eq(wait_exit(pid), 2);
	ck_assert_int_eq(check_gradebook(&c), (int)NSUBS);
	for (int r = 1; r < c.rows; r++)
		if (!strncmp(c.f[r][3], "error: ", 7)) {
			errors++;
			ck_assert_str_eq(c.f[r][0], "hang");
			ck_assert_msg(strstr(c.f[r][3], "signal 9"), "%s",
			              c.f[r][3]);
			ck_assert_str_eq(c.f[r][1], "");
		}
	ck_assert_int_eq(errors, 1);
	csv_free(&c);
	nothing_left(&s);
}
END_TEST

START_TEST(other_format)
{
	char one[256], out2[256], path[300], *xml, *book;
	char *cp[] = { "/bin/cp", "-r", "reference", path, NULL };
	char *argv[] = {
		(char *)forklab(), "batch", one,        "--out", out2,
		"--only",          "01",    "--format", "junit", NULL
	};

	snprintf(one, sizeof one, "%s/one", top);
	snprintf(out2, sizeof out2, "%s/out-junit", top);
	ck_assert_int_eq(mkdir(one, 0755), 0);
	snprintf(path, sizeof path, "%s/ref", one);
	run(cp);
	ck_assert_int_eq(wait_exit(spawn(argv)), 0);
	snprintf(path, sizeof path, "%s/ref.xml", out2);
	xml = slurp(path);
	ck_assert_msg(xml && strstr(xml, "<testsuite"), "no JUnit report");
	snprintf(path, sizeof path, "%s/gradebook.csv", out2);
	book = slurp(path);
	ck_assert_msg(book && strstr(book, "\"ref\",100,100,\"graded\","
	                                   "\"ref.xml\"\r\n"),
	              "%s", book);
	free(xml);
	free(book);
}
END_TEST

/* Bad command lines: S is the submissions folder, O the output folder. */
static const struct {
	const char *args[8];
	const char *err; /* in the one line on stderr */
} bad[] = {
	{ { NULL }, "one directory" },
	{ { "S", NULL }, "--out OUT_DIR is missing" },
	{ { "S", "S", "--out", "O", NULL }, "one directory" },
	{ { "/nonexistent/subs", "--out", "O", NULL }, "/nonexistent/subs" },
	{ { "/etc/hostname", "--out", "O", NULL }, "not a directory" },
	{ { "S", "--out", "/etc/hostname", NULL }, "--out" },
	{ { "S", "--out", "O", "--jobs", "0", NULL }, "--jobs: '0'" },
	{ { "S", "--out", "O", "--jobs", "two", NULL }, "--jobs: 'two'" },
	{ { "S", "--out", "O", "--format", "yaml", NULL }, "--format: 'yaml'" },
	{ { "S", "--out", "O", "--only", "99", NULL }, "no exercise '99'" },
	{ { "S", "--out", "O", "--bogus", NULL }, "unknown option '--bogus'" },
	{ { "S", "--out", NULL }, "wants a value" },
};

START_TEST(bad_command_lines)
{
	char *argv[12] = { (char *)forklab(), "batch" }, *err;
	int n = 2;

	for (int i = 0; bad[_i].args[i]; i++)
		argv[n++] = !strcmp(bad[_i].args[i], "S") ? subs_dir
		            : !strcmp(bad[_i].args[i], "O")
		                ? out_dir
		                : (char *)bad[_i].args[i];
	argv[n] = NULL;
	ck_assert_int_eq(wait_exit(spawn(argv)), 1);
	err = slurp(err_log);
	ck_assert_msg(strstr(err, bad[_i].err), "'%s' not in '%s'", bad[_i].err,
	              err);
	ck_assert_msg(strchr(err, '\n') == err + strlen(err) - 1,
	              "not one line: %s", err);
	free(err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("batch");
	SRunner *sr;
	int failed;

	setup_tree();
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, first_run);
	tcase_add_test(tc, second_run_grades_nothing);
	tcase_add_test(tc, changed_file_regraded_alone);
	tcase_add_test(tc, force_regrades_all);
	tcase_add_test(tc, sigint_stops_cleanly);
	tcase_add_test(tc, killed_grader_is_an_error_row);
	tcase_add_test(tc, other_format);
	tcase_add_loop_test(tc, bad_command_lines, 0,
	                    sizeof bad / sizeof bad[0]);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_tree();
	return failed ? 1 : 0;
}
