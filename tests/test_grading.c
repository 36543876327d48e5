/*
 * test_grading.c - the graders, end to end, through bin/forklab.
 *
 * Tests as data: every folder tests/submissions/ID/CASE holds one submission
 * and an `expect` line naming the checks it must lose ("lose: 2 6", or
 * "lose: none"); every folder tests/bad/CASE holds a broken submission and
 * `expect` lines "ID STATUS TEXT" (the exercise's status, and a piece of its
 * feedback). The references must score full marks ten times in a row while
 * two other processes keep both cores busy; the stubs must score 0.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_CASES 512

static char *cases[MAX_CASES];
static int ncases;
static char *bad[64];
static int nbad;

static const char *forklab(void)
{
	const char *f = getenv("FORKLAB");

	return f ? f : "bin/forklab";
}

/* forklab grade DIR [--only ID]: the report, parsed; NULL if invalid. */
static json_t *grade(const char *dir, const char *only, int *status)
{
	char *cmd, *out = NULL;
	size_t len = 0, n;
	char buf[65536];
	json_t *j;
	FILE *p;

	if (asprintf(&cmd, "%s grade '%s' %s%s 2>/dev/null", forklab(), dir,
	             only ? "--only " : "", only ? only : "") < 0)
		return NULL;
	p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
		out = realloc(out, len + n + 1);
		memcpy(out + len, buf, n);
		len += n;
	}
	*status = pclose(p);
	if (!out)
		return NULL;
	out[len] = '\0';
	j = json_loads(out, 0, NULL);
	free(out);
	return j;
}

static json_t *exercise(json_t *rep, const char *id)
{
	size_t i;
	json_t *e;

	json_array_foreach(
	    json_object_get(rep, "exercises"), i,
	    e) if (!strcmp(json_string_value(json_object_get(e, "id")),
	                   id)) return e;
	return NULL;
}

/* The checks an exercise lost, as "2 6" ("none" when it lost nothing). */
static void lost(json_t *e, char *buf, size_t size)
{
	size_t i;
	json_t *t;
	int off = 0;

	buf[0] = '\0';
	json_array_foreach(
	    json_object_get(e, "tests"), i,
	    t) if (strcmp(json_string_value(json_object_get(t, "status")),
	                  "passed")) off +=
	    snprintf(buf + off, size - off, "%s%lld", off ? " " : "",
	             json_integer_value(json_object_get(t, "check")));
	if (!off)
		snprintf(buf, size, "none");
}

/* 1 if the checks got (e.g. "2 8") hold every check of want and nothing
 * outside want and may ("none" is the empty list). */
static int same_checks(const char *got, const char *want, const char *may)
{
	int in_got[64] = { 0 }, in_want[64] = { 0 }, in_may[64] = { 0 };
	const char *lists[3] = { got, want, may };
	int *sets[3] = { in_got, in_want, in_may };

	for (int l = 0; l < 3; l++)
		for (const char *p = lists[l]; *p;) {
			char *end;
			long c = strtol(p, &end, 10);

			if (end == p) {
				p++;
				continue;
			}
			if (c > 0 && c < 64)
				sets[l][c] = 1;
			p = end;
		}
	for (int c = 1; c < 64; c++)
		if ((in_want[c] && !in_got[c]) ||
		    (in_got[c] && !in_want[c] && !in_may[c]))
			return 0;
	return 1;
}

START_TEST(submission)
{
	char path[4096], line[512], want[512] = "", may[512] = "", got[256],
	                            id[64], *slash;
	json_t *rep, *e;
	FILE *f;
	int st;

	/* "lose: ..." the checks it must lose, every time; "may-lose: ..."
	 * checks its defect leaves to scheduling (undefined behaviour), which
	 * it may lose too. Nothing else. */
	snprintf(path, sizeof path, "%s/expect", cases[_i]);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "lose: ", 6))
			snprintf(want, sizeof want, "%s", line + 6);
		else if (!strncmp(line, "may-lose: ", 10))
			snprintf(may, sizeof may, "%s", line + 10);
	}
	fclose(f);
	ck_assert_msg(*want, "%s: no lose: line", cases[_i]);
	/* tests/submissions/ID/CASE */
	snprintf(id, sizeof id, "%s", cases[_i] + strlen("tests/submissions/"));
	slash = strchr(id, '/');
	*slash = '\0';
	rep = grade(cases[_i], id, &st);
	ck_assert_msg(rep, "%s: no valid JSON", cases[_i]);
	e = exercise(rep, id);
	ck_assert_ptr_nonnull(e);
	ck_assert_msg(
	    !strcmp(json_string_value(json_object_get(e, "status")), "graded"),
	    "%s: %s: %s", cases[_i],
	    json_string_value(json_object_get(e, "status")),
	    json_string_value(json_object_get(e, "feedback")));
	lost(e, got, sizeof got);
	ck_assert_msg(same_checks(got, want, may),
	              "%s: lost %s, expected %s%s%s", cases[_i], got, want,
	              *may ? " (and maybe " : "", *may ? may : "");
	if (*may)
		ck_assert_msg(*may && strcmp(want, "none"),
		              "%s: may-lose beside lose: none", cases[_i]);
	json_decref(rep);
}
END_TEST

START_TEST(references_full_marks_under_load)
{
	pid_t burn[2];
	int st;

	for (int i = 0; i < 2; i++) {
		burn[i] = fork();
		if (burn[i] == 0)
			for (;;)
				;
	}
	for (int round = 0; round < 10; round++) {
		json_t *rep = grade("reference", NULL, &st);
		long long s, m;

		ck_assert_msg(rep, "round %d: no valid JSON", round);
		s = json_integer_value(json_object_get(rep, "score"));
		m = json_integer_value(json_object_get(rep, "max_score"));
		if (s != m) {
			size_t i;
			json_t *e;

			json_array_foreach(json_object_get(rep, "exercises"), i,
			                   e)
			{
				char l[256];

				lost(e, l, sizeof l);
				if (strcmp(l, "none"))
					fprintf(stderr,
					        "round %d: %s lost %s\n", round,
					        json_string_value(
					            json_object_get(e, "id")),
					        l);
			}
		}
		ck_assert_msg(s == m && m == 800, "round %d: %lld/%lld", round,
		              s, m);
		json_decref(rep);
	}
	for (int i = 0; i < 2; i++) {
		kill(burn[i], SIGKILL);
		waitpid(burn[i], NULL, 0);
	}
}
END_TEST

START_TEST(stubs_score_zero)
{
	int st;
	json_t *rep = grade("exercises", NULL, &st), *e;
	size_t i;

	ck_assert_ptr_nonnull(rep);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	json_array_foreach(json_object_get(rep, "exercises"), i, e)
	{
		ck_assert_str_eq(
		    json_string_value(json_object_get(e, "status")), "graded");
		ck_assert_msg(json_integer_value(json_object_get(e, "score")) ==
		                  0,
		              "%s's stub scores %lld",
		              json_string_value(json_object_get(e, "id")),
		              json_integer_value(json_object_get(e, "score")));
	}
	json_decref(rep);
}
END_TEST

START_TEST(bad_submission)
{
	char path[4096], line[512];
	json_t *rep;
	FILE *f;
	int st, n = 0;

	rep = grade(bad[_i], NULL, &st);
	ck_assert_msg(rep, "%s: no valid JSON", bad[_i]);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: exit %d",
	              bad[_i], WEXITSTATUS(st));
	snprintf(path, sizeof path, "%s/expect", bad[_i]);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f)) {
		char id[64], status[64], text[400] = "";
		json_t *e;

		if (line[0] == '#' ||
		    sscanf(line, "%63s %63s %399[^\n]", id, status, text) < 2)
			continue;
		e = exercise(rep, id);
		ck_assert_ptr_nonnull(e);
		ck_assert_msg(
		    !strcmp(json_string_value(json_object_get(e, "status")),
		            status),
		    "%s: %s is %s, expected %s (%s)", bad[_i], id,
		    json_string_value(json_object_get(e, "status")), status,
		    json_string_value(json_object_get(e, "feedback")));
		if (*text && strcmp(text, "-")) {
			char *dump = json_dumps(e, 0);

			ck_assert_msg(strstr(dump, text), "%s: '%s' not in %s",
			              bad[_i], text, dump);
			free(dump);
		}
		n++;
	}
	fclose(f);
	ck_assert_int_gt(n, 0);
	json_decref(rep);
}
END_TEST

/* A submission that #includes the reference solution by its absolute path:
 * the compiler runs in the box, where forklab's tree is not there to read. */
START_TEST(include_outside_is_unreadable)
{
	char dir[] = "/tmp/forklab-incl.XXXXXX", path[4200], cwd[4096];
	json_t *rep, *e;
	FILE *f;
	int st;
	char *dump;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	snprintf(path, sizeof path, "%s/spawn.c", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#include \"%s/reference/01-spawn/spawn.c\"\n", cwd);
	fclose(f);
	rep = grade(dir, "01", &st);
	ck_assert_ptr_nonnull(rep);
	e = exercise(rep, "01-spawn");
	ck_assert_str_eq(json_string_value(json_object_get(e, "status")),
	                 "compile_error");
	dump = json_dumps(e, 0);
	ck_assert_msg(strstr(dump, "Permission denied") ||
	                  strstr(dump, "No such file"),
	              "%s", dump);
	/* and none of the reference's text came back in the feedback */
	ck_assert_msg(!strstr(dump, "spawn_all(int n"), "%s", dump);
	free(dump);
	json_decref(rep);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* /dev/shm as it was before the suite: entries made since are leftovers. */
static char *shm_before[4096];
static int nshm_before;

static void snapshot_shm(void)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;

	while (d && (e = readdir(d)) && nshm_before < 4096)
		if (e->d_name[0] != '.')
			shm_before[nshm_before++] = strdup(e->d_name);
	if (d)
		closedir(d);
}

/* Last: no process, /dev/shm entry or SysV object of any run is left. */
START_TEST(nothing_left_behind)
{
	struct dirent *e;
	char path[512], buf[4096];
	DIR *d;
	FILE *f;

	/* A leftover: a process of a sandbox uid whose parent is neither
	 * forklab nor another process of a sandbox (a live grading, anyone's,
	 * keeps its runs under its own forklab). */
	d = opendir("/proc");
	while ((e = readdir(d))) {
		struct stat st, pst;
		char pcomm[64] = "";
		int ppid = 0;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s", e->d_name);
		if (stat(path, &st) < 0 || st.st_uid < 1000000000u)
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof buf, f) && strrchr(buf, ')'))
			sscanf(strrchr(buf, ')') + 2, "%*c %d", &ppid);
		fclose(f);
		snprintf(path, sizeof path, "/proc/%d/comm", ppid);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(pcomm, sizeof pcomm, f))
				pcomm[0] = 0;
			fclose(f);
		}
		snprintf(path, sizeof path, "/proc/%d", ppid);
		if (!strncmp(pcomm, "forklab", 7) ||
		    (stat(path, &pst) == 0 && pst.st_uid >= 1000000000u))
			continue;
		ck_abort_msg("process %s (uid %u, parent %d %s) is left",
		             e->d_name, st.st_uid, ppid, pcomm);
	}
	closedir(d);
	d = opendir("/dev/shm");
	while ((e = readdir(d))) {
		int known = e->d_name[0] == '.';

		for (int i = 0; i < nshm_before && !known; i++)
			known = !strcmp(shm_before[i], e->d_name);
		ck_assert_msg(known, "/dev/shm/%s is left", e->d_name);
	}
	closedir(d);
	/* each table, and the column of its owner's uid */
	static const struct {
		const char *path;
		int uid_col;
	} sysv[] = { { "/proc/sysvipc/shm", 8 },
		     { "/proc/sysvipc/sem", 5 },
		     { "/proc/sysvipc/msg", 8 } };
	for (int i = 0; i < 3; i++) {
		f = fopen(sysv[i].path, "r");
		if (!f)
			continue;
		if (!fgets(buf, sizeof buf, f)) /* the header */
			buf[0] = 0;
		while (fgets(buf, sizeof buf, f)) {
			char *tok, *save = NULL;
			int col = 0;

			for (tok = strtok_r(buf, " \t", &save); tok;
			     tok = strtok_r(NULL, " \t", &save))
				if (++col == sysv[i].uid_col)
					ck_assert_msg(
					    strtoul(tok, NULL, 10) <
					        1000000000ul,
					    "%s: an object of sandbox "
					    "uid %s is left",
					    sysv[i].path, tok);
		}
		fclose(f);
	}
}
END_TEST

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every directory two levels (or one, for bad/) below root. */
static void collect(const char *root, int depth, char **out, int *n, int max)
{
	struct dirent *e;
	DIR *d = opendir(root);

	if (!d)
		return;
	while ((e = readdir(d)) && *n < max) {
		char *p;
		struct stat st;

		if (e->d_name[0] == '.' ||
		    asprintf(&p, "%s/%s", root, e->d_name) < 0)
			continue;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth == 1)
				out[(*n)++] = p;
			else {
				collect(p, depth - 1, out, n, max);
				free(p);
			}
		} else
			free(p);
	}
	closedir(d);
	qsort(out, *n, sizeof *out, cmp);
}

int main(void)
{
	Suite *s = suite_create("grading");
	TCase *subs = tcase_create("submissions"), *refs = tcase_create("refs"),
	      *bads = tcase_create("bad");
	SRunner *sr;
	int failed;

	snapshot_shm();
	collect("tests/submissions", 2, cases, &ncases, MAX_CASES);
	collect("tests/bad", 1, bad, &nbad, 64);
	tcase_set_timeout(refs, 600);
	tcase_add_test(refs, stubs_score_zero);
	tcase_add_test(refs, references_full_marks_under_load);
	tcase_set_timeout(subs, 120);
	tcase_add_loop_test(subs, submission, 0, ncases);
	tcase_set_timeout(bads, 120);
	tcase_add_loop_test(bads, bad_submission, 0, nbad);
	tcase_add_test(bads, include_outside_is_unreadable);
	suite_add_tcase(s, refs);
	suite_add_tcase(s, subs);
	suite_add_tcase(s, bads);
	{
		TCase *end = tcase_create("end");

		tcase_add_test(end, nothing_left_behind);
		suite_add_tcase(s, end);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
