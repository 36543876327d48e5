/*
 * test_reports.c - the report formats and the course file, end to end.
 *
 * Tests as data: each submission of the table below is graded by
 * bin/forklab once, written in every format from that one result into
 * build/tests/reports/NAME.FORMAT (--format json,gradescope,... -o PREFIX),
 * then each output is read by a consumer of that format from outside forklab
 * where one exists: a JSON Schema validator (Debian's python3-jsonschema)
 * for json, xmllint with the JUnit XSD for junit, prove for tap; the
 * fields, types and score arithmetic of gradescope and prairielearn are
 * checked against the json report of the same submission. Course files are
 * data too: tests/reports/courses/bad-NAME.json must give exit 1 and one
 * line holding bad-NAME.expect. `test_reports render` (make check-html)
 * renders the HTML reports in headless Chromium instead.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "report.h"
#include "util.h"

#define OUT       "build/tests/reports"
#define XSD       "../shared/schemas/JUnit.xsd"
#define PYTHON    "/usr/bin/python3" /* Debian's, with python3-jsonschema */
#define COURSES   "tests/reports/courses"
#define MIN_COLOR 100 /* distinct pixel values of a page that rendered */

static const struct sub {
	const char *name; /* its outputs: OUT/NAME.FORMAT */
	const char *dir;
	const char *args;
	int gradable;  /* some exercise compiled and ran */
	int timelines; /* some test ran and did not pass */
} subs[] = {
	{ "reference", "reference", "--only 01,04", 1, 0 },
	{ "failing", "tests/submissions/01-spawn/manager-process", "--only 01",
	  1, 1 },
	{ "hostile", "tests/reports/hostile", "--only 01", 1, 1 },
	{ "hang", "tests/reports/hang",
	  "--only 01 --course " COURSES "/fast.json", 1, 1 },
	{ "mixed", "tests/bad/mixed", "--only 01,02,03", 1, 0 },
	{ "compile-error", "tests/bad/compile-error", "--only 01", 0, 0 },
	{ "empty", "tests/bad/empty", "", 0, 0 },
	{ "points", "reference", "--course " COURSES "/points.json", 1, 0 },
};
#define NSUBS (int)(sizeof subs / sizeof subs[0])

static const char *const formats[] = { "json",  "gradescope", "prairielearn",
	                               "junit", "tap",        "text",
	                               "html" };
#define NFORMATS (int)(sizeof formats / sizeof formats[0])

/* exit codes of the gradings, [sub][format] */
static int graded[NSUBS][NFORMATS];

static const char *forklab(void)
{
	const char *f = getenv("FORKLAB");

	return f ? f : "bin/forklab";
}

/* Run cmd with sh; its stdout (and stderr if merged by cmd) in *out
 * (malloc'd, may be NULL). Returns the exit code, or -1. */
static int run(const char *cmd, char **out)
{
	char buf[65536], *s = NULL;
	size_t len = 0, n;
	FILE *p = popen(cmd, "r");
	int st;

	if (!p)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
		s = realloc(s, len + n + 1);
		memcpy(s + len, buf, n);
		len += n;
		s[len] = '\0';
	}
	st = pclose(p);
	if (out)
		*out = s ? s : strdup("");
	else
		free(s);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *path_of(int sub, const char *format)
{
	return util_fmt("%s/%s.%s", OUT, subs[sub].name, format);
}

static char *slurp(int sub, const char *format)
{
	char *p = path_of(sub, format), *s = util_slurp(p, 16 << 20, NULL);

	ck_assert_msg(s, "%s: %m", p);
	free(p);
	return s;
}

static json_t *load(int sub, const char *format)
{
	char *p = path_of(sub, format);
	json_error_t e;
	json_t *j = json_load_file(p, 0, &e);

	ck_assert_msg(j, "%s: not JSON: %s (line %d)", p, e.text, e.line);
	free(p);
	return j;
}

static int format_index(const char *format)
{
	for (int f = 0; f < NFORMATS; f++)
		if (!strcmp(formats[f], format))
			return f;
	return -1;
}

/* The grading of sub in format must have exited 0. */
static void require(int sub, const char *format)
{
	ck_assert_msg(graded[sub][format_index(format)] == 0,
	              "forklab grade %s %s (--format %s): exit %d (see "
	              "%s/%s.err)",
	              subs[sub].dir, subs[sub].args, format,
	              graded[sub][format_index(format)], OUT, subs[sub].name);
}

static json_int_t ival(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static const char *sval(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* Tests of the json report in all (a not graded exercise counts all of the
 * sheet's), and how many of them did not pass. */
static void count_tests(json_t *j, int *total, int *bad)
{
	size_t i, k;
	json_t *e, *t;

	*total = *bad = 0;
	json_array_foreach(json_object_get(j, "exercises"), i, e)
	{
		const struct cat_exercise *ex = cat_find(sval(e, "id"));

		ck_assert_ptr_nonnull(ex);
		*total += ex->ntests;
		if (strcmp(sval(e, "status"), "graded")) {
			*bad += ex->ntests;
			continue;
		}
		json_array_foreach(json_object_get(e, "tests"), k, t) *bad +=
		    strcmp(sval(t, "status"), "passed") != 0;
	}
}

static int visibility_ok(const char *v)
{
	return !strcmp(v, "visible") || !strcmp(v, "hidden") ||
	       !strcmp(v, "after_due_date") || !strcmp(v, "after_published");
}

/* ---- json ---- */

START_TEST(json_schema)
{
	char *cmd = util_fmt("%s tests/reports/validate.py "
	                     "schemas/forklab-report.schema.json",
	                     PYTHON),
	     *out;

	for (int s = 0; s < NSUBS; s++) {
		require(s, "json");
		util_append(&cmd, " %s/%s.json", OUT, subs[s].name);
	}
	util_append(&cmd, " 2>&1");
	ck_assert_msg(run(cmd, &out) == 0, "the JSON Schema validator: %s",
	              out);
	free(out);
	free(cmd);
}
END_TEST

START_TEST(json_scores)
{
	json_t *j, *e, *t;
	size_t i, k;
	long sum = 0, max = 0;

	require(_i, "json");
	j = load(_i, "json");
	json_array_foreach(json_object_get(j, "exercises"), i, e)
	{
		long es = 0, em = 0;
		const struct cat_exercise *ex = cat_find(sval(e, "id"));

		json_array_foreach(json_object_get(e, "tests"), k, t)
		{
			int passed = !strcmp(sval(t, "status"), "passed");

			ck_assert_int_eq(ival(t, "score"),
			                 passed ? ival(t, "max_score") : 0);
			ck_assert_int_eq(
			    json_is_object(json_object_get(t, "timeline")),
			    !passed);
			es += ival(t, "score");
			em += ival(t, "max_score");
		}
		if (!strcmp(sval(e, "status"), "graded"))
			ck_assert_int_eq(
			    json_array_size(json_object_get(e, "tests")),
			    ex->ntests);
		else
			em = ival(e, "max_score");
		ck_assert_int_eq(ival(e, "score"), es);
		ck_assert_int_eq(ival(e, "max_score"), em);
		sum += es;
		max += em;
	}
	ck_assert_int_eq(ival(j, "score"), sum);
	ck_assert_int_eq(ival(j, "max_score"), max);
	json_decref(j);
}
END_TEST

/* ---- gradescope ---- */

START_TEST(gradescope)
{
	static const char *const top[] = {
		"score",      "execution_time",    "output",
		"visibility", "stdout_visibility", "tests"
	};
	json_t *g, *j, *t, *tag;
	size_t i, k;
	double score = 0;
	long max = 0;
	int total, bad, failed = 0;
	regex_t number;

	require(_i, "gradescope");
	g = load(_i, "gradescope");
	j = load(_i, "json");
	for (i = 0; i < sizeof top / sizeof top[0]; i++)
		ck_assert_msg(json_object_get(g, top[i]), "no %s", top[i]);
	ck_assert(json_is_number(json_object_get(g, "score")));
	ck_assert(json_is_number(json_object_get(g, "execution_time")));
	ck_assert(json_number_value(json_object_get(g, "execution_time")) >= 0);
	ck_assert(json_is_string(json_object_get(g, "output")));
	ck_assert(visibility_ok(sval(g, "visibility")));
	ck_assert(visibility_ok(sval(g, "stdout_visibility")));
	ck_assert_int_eq(regcomp(&number, "^[1-9][0-9]*\\.[1-9][0-9]*$",
	                         REG_EXTENDED | REG_NOSUB),
	                 0);
	json_array_foreach(json_object_get(g, "tests"), i, t)
	{
		double ts = json_number_value(json_object_get(t, "score")),
		       tm = json_number_value(json_object_get(t, "max_score"));

		ck_assert(json_is_string(json_object_get(t, "name")));
		ck_assert_msg(!regexec(&number, sval(t, "number"), 0, NULL, 0),
		              "number '%s'", sval(t, "number"));
		ck_assert(json_is_number(json_object_get(t, "score")));
		ck_assert(json_is_number(json_object_get(t, "max_score")));
		ck_assert(json_is_string(json_object_get(t, "output")));
		ck_assert_str_eq(sval(t, "output_format"), "text");
		ck_assert(visibility_ok(sval(t, "visibility")));
		ck_assert(json_is_array(json_object_get(t, "tags")));
		json_array_foreach(json_object_get(t, "tags"), k, tag)
		    ck_assert(json_is_string(tag));
		if (!strcmp(sval(t, "status"), "passed")) {
			ck_assert(ts == tm);
		} else {
			ck_assert_str_eq(sval(t, "status"), "failed");
			ck_assert(ts == 0);
			failed++;
		}
		score += ts;
		max += (long)tm;
	}
	/* the score arithmetic, against the native report */
	count_tests(j, &total, &bad);
	ck_assert_int_eq(json_array_size(json_object_get(g, "tests")), total);
	ck_assert_int_eq(failed, bad);
	ck_assert(score == json_number_value(json_object_get(g, "score")));
	ck_assert(score == ival(j, "score"));
	ck_assert_int_eq(max, ival(j, "max_score"));
	regfree(&number);
	json_decref(g);
	json_decref(j);
}
END_TEST

/* ---- prairielearn ---- */

START_TEST(prairielearn)
{
	json_t *p, *j, *t, *e;
	size_t i;
	long points = 0, max = 0;
	double score;

	require(_i, "prairielearn");
	p = load(_i, "prairielearn");
	j = load(_i, "json");
	ck_assert(json_is_boolean(json_object_get(p, "gradable")));
	ck_assert(json_is_number(json_object_get(p, "score")));
	ck_assert(json_is_string(json_object_get(p, "message")));
	ck_assert(json_is_string(json_object_get(p, "output")));
	ck_assert(json_is_array(json_object_get(p, "tests")));
	score = json_number_value(json_object_get(p, "score"));
	ck_assert(score >= 0 && score <= 1);
	ck_assert_int_eq(json_is_true(json_object_get(p, "gradable")),
	                 subs[_i].gradable);
	if (!subs[_i].gradable) {
		/* the reason: each exercise's status */
		ck_assert(score == 0);
		ck_assert_int_eq(json_array_size(json_object_get(p, "tests")),
		                 0);
		json_array_foreach(json_object_get(j, "exercises"), i, e)
		    ck_assert_msg(strstr(sval(p, "message"), sval(e, "status")),
		                  "'%s' does not say %s", sval(p, "message"),
		                  sval(e, "status"));
		goto out;
	}
	json_array_foreach(json_object_get(p, "tests"), i, t)
	{
		ck_assert(json_is_string(json_object_get(t, "name")));
		ck_assert(json_is_string(json_object_get(t, "description")));
		ck_assert(json_is_number(json_object_get(t, "points")));
		ck_assert(json_is_number(json_object_get(t, "max_points")));
		ck_assert(json_is_string(json_object_get(t, "message")));
		ck_assert(json_is_string(json_object_get(t, "output")));
		points += (long)json_number_value(json_object_get(t, "points"));
		max +=
		    (long)json_number_value(json_object_get(t, "max_points"));
	}
	ck_assert_int_eq(points, ival(j, "score"));
	ck_assert_int_eq(max, ival(j, "max_score"));
	ck_assert(fabs(score - (double)points / max) < 1e-9);
out:
	json_decref(p);
	json_decref(j);
}
END_TEST

/* ---- junit ---- */

START_TEST(junit)
{
	char *file = path_of(_i, "junit"), *cmd, *out;
	int total, bad;
	json_t *j;

	require(_i, "junit");
	if (access(XSD, R_OK) == 0) {
		cmd =
		    util_fmt("xmllint --noout --schema %s %s 2>&1", XSD, file);
		ck_assert_msg(run(cmd, &out) == 0, "%s", out);
		free(out);
		free(cmd);
	} else {
		printf("SKIPPED: JUnit XSD validation of %s: %s is absent "
		       "(a checkout of shared/ beside the repository)\n",
		       file, XSD);
	}
	/* well-formed, and counts that agree with the native report */
	j = load(_i, "json");
	count_tests(j, &total, &bad);
	cmd = util_fmt("xmllint --xpath 'count(//testcase)' %s", file);
	ck_assert_int_eq(run(cmd, &out), 0);
	ck_assert_int_eq(atoi(out), total);
	free(out);
	free(cmd);
	cmd = util_fmt("xmllint --xpath 'sum(//testsuite/@failures) + "
	               "sum(//testsuite/@errors)' %s",
	               file);
	ck_assert_int_eq(run(cmd, &out), 0);
	ck_assert_int_eq(atoi(out), bad);
	free(out);
	free(cmd);
	json_decref(j);
	free(file);
}
END_TEST

/* ---- tap ---- */

START_TEST(tap)
{
	char *file = path_of(_i, "tap"), *cmd, *out, *want;
	int total, bad, rc;
	json_t *j;

	require(_i, "tap");
	j = load(_i, "json");
	count_tests(j, &total, &bad);
	cmd = util_fmt("prove -e cat %s 2>&1", file);
	rc = run(cmd, &out);
	ck_assert_msg(!strstr(out, "Parse errors"), "prove: %s", out);
	ck_assert_msg(!strstr(out, "Bad plan"), "prove: %s", out);
	if (bad == 0) {
		ck_assert_msg(rc == 0 && strstr(out, "Result: PASS"),
		              "prove: %s", out);
	} else {
		want = util_fmt("Failed %d/%d subtests", bad, total);
		ck_assert_msg(rc != 0 && strstr(out, want),
		              "prove: no '%s' in %s", want, out);
		free(want);
	}
	free(out);
	free(cmd);
	json_decref(j);
	free(file);
}
END_TEST

/* ---- text ---- */

START_TEST(text)
{
	char *s, *total;
	json_t *j;

	require(_i, "text");
	s = slurp(_i, "text");
	j = load(_i, "json");
	total = util_fmt("total %d/%d", (int)ival(j, "score"),
	                 (int)ival(j, "max_score"));
	ck_assert_msg(strstr(s, total), "no '%s'", total);
	/* nothing a submission printed reaches a terminal raw */
	for (const char *p = s; *p; p++)
		ck_assert_msg(*p == '\n' || (unsigned char)*p >= 0x20,
		              "control byte 0x%02x in the text report", *p);
	if (subs[_i].timelines) {
		ck_assert(strstr(s, "timeline of the run"));
		ck_assert(strstr(s, "what happened, in order:"));
		ck_assert(strstr(s, "starts: the test's caller"));
	} else {
		ck_assert(!strstr(s, "timeline of the run"));
	}
	if (!strcmp(subs[_i].name, "failing"))
		ck_assert(strstr(s, "created by"));
	if (!strcmp(subs[_i].name, "hostile"))
		ck_assert(strstr(s, "\\x1b[31mred"));
	free(total);
	json_decref(j);
	free(s);
}
END_TEST

/* ---- html ---- */

START_TEST(html)
{
	char *s;

	require(_i, "html");
	s = slurp(_i, "html");
	ck_assert(!strncmp(s, "<!DOCTYPE html>", 15));
	/* self-contained: nothing to fetch, nothing to run */
	ck_assert(!strstr(s, "http://"));
	ck_assert(!strstr(s, "https://"));
	ck_assert(!strstr(s, "src="));
	ck_assert(!strstr(s, "<script"));
	ck_assert(!strstr(s, "url("));
	ck_assert(!strstr(s, "@import"));
	for (const char *h = s; (h = strstr(h, "href=\"")); h += 6)
		ck_assert_msg(!strncmp(h + 6, "#", 1) ||
		                  !strncmp(h + 6, "data:", 5),
		              "a link out: %.60s", h);
	ck_assert_int_eq(!!strstr(s, "<svg"), subs[_i].timelines);
	if (!strcmp(subs[_i].name, "hostile")) {
		ck_assert(strstr(s, "&lt;/pre&gt;&lt;script&gt;alert(1)"));
		ck_assert(!strstr(s, "\x1b"));
		ck_assert(strstr(s, "\\x1b[31mred"));
	}
	free(s);
}
END_TEST

/* ---- the course file ---- */

/* The gradescope test numbered num ("1.2"), or NULL. */
static json_t *gs_test(json_t *g, const char *num)
{
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(g, "tests"), i, t)
	{
		if (!strcmp(sval(t, "number"), num))
			return t;
	}
	return NULL;
}

START_TEST(course_points)
{
	int s = 0;
	json_t *g, *j, *t, *p;
	char *text;

	while (strcmp(subs[s].name, "points"))
		s++;
	require(s, "gradescope");
	g = load(s, "gradescope");
	j = load(s, "json");
	/* the course grades 01-spawn only; check 2 is worth 20, not 15 */
	ck_assert_int_eq(json_array_size(json_object_get(j, "exercises")), 1);
	ck_assert_int_eq(ival(j, "max_score"), 100 - 15 + 20);
	ck_assert_int_eq(ival(j, "score"), 105);
	t = gs_test(g, "1.2");
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(ival(t, "max_score"), 20);
	ck_assert_int_eq(ival(t, "score"), 20);
	ck_assert_str_eq(sval(t, "visibility"), "after_due_date");
	ck_assert_str_eq(sval(gs_test(g, "1.6"), "visibility"), "hidden");
	ck_assert_str_eq(sval(gs_test(g, "1.1"), "visibility"), "visible");
	ck_assert_str_eq(sval(g, "stdout_visibility"), "visible");
	ck_assert_int_eq(ival(g, "score"), 105);
	/* PrairieLearn has no visibility: a hidden test keeps its points */
	p = load(s, "prairielearn");
	t = json_array_get(json_object_get(p, "tests"), 1);
	ck_assert_int_eq(ival(t, "max_points"), 20);
	ck_assert_str_eq(sval(t, "message"), "hidden");
	text = slurp(s, "text");
	ck_assert(strstr(text, "20/20 "));
	ck_assert(strstr(text, "(students: after_due_date)"));
	ck_assert(strstr(text, "total 105/105"));
	free(text);
	json_decref(p);
	json_decref(g);
	json_decref(j);
}
END_TEST

START_TEST(course_time_scale)
{
	int s = 0;
	json_t *j, *t;
	size_t i;

	while (strcmp(subs[s].name, "hang"))
		s++;
	require(s, "json");
	j = load(s, "json");
	/* a time_scale of 0.1: each test stopped at a tenth of its limit */
	json_array_foreach(
	    json_object_get(json_array_get(json_object_get(j, "exercises"), 0),
	                    "tests"),
	    i, t)
	{
		const struct fl_test *ft = &cat_find("01")->tests[i];
		double d = json_number_value(json_object_get(t, "duration_s"));
		char *within = util_fmt("within %g s", ft->timeout * 0.1);

		ck_assert_str_eq(sval(t, "status"), "timeout");
		ck_assert_msg(d >= ft->timeout * 0.1 * 0.9 &&
		                  d < ft->timeout * 0.1 + 1.5,
		              "%s took %.2f s, its limit %.1f s x 0.1",
		              ft->name, d, ft->timeout);
		ck_assert_msg(strstr(sval(t, "feedback"), within),
		              "no '%s' in %s", within, sval(t, "feedback"));
		free(within);
	}
	json_decref(j);
}
END_TEST

static char *bad_courses[64];
static int nbad_courses;

START_TEST(course_bad)
{
	const char *file = bad_courses[_i];
	char *stem = strndup(file, strlen(file) - 5), *want, *cmd, *out, *err;
	size_t len;
	int rc;

	cmd = util_fmt("%s/%s.expect", COURSES, stem);
	want = util_slurp(cmd, 4096, &len);
	ck_assert_msg(want, "%s: %m", cmd);
	free(cmd);
	want[strcspn(want, "\n")] = '\0';
	cmd = util_fmt("%s grade tests/bad/empty --course %s/%s "
	               "2>%s/course.err",
	               forklab(), COURSES, file, OUT);
	rc = run(cmd, &out);
	err = util_slurp(OUT "/course.err", 1 << 16, &len);
	ck_assert_int_eq(rc, 1);
	ck_assert_str_eq(out, ""); /* no report from a bad course */
	ck_assert_msg(strstr(err, want), "'%s' not in '%s'", want, err);
	ck_assert_msg(len > 0 && strchr(err, '\n') == err + len - 1,
	              "not one line: %s", err);
	free(err);
	free(out);
	free(cmd);
	free(want);
	free(stem);
}
END_TEST

START_TEST(course_missing)
{
	char *out, *cmd = util_fmt("%s grade tests/bad/empty --course "
	                           "%s/no-such.json 2>&1",
	                           forklab(), COURSES);

	ck_assert_int_eq(run(cmd, &out), 1);
	ck_assert_msg(strstr(out, "no-such.json: No such file"), "%s", out);
	free(out);
	free(cmd);
}
END_TEST

/* ---- report_write and report_write_file, in this process ---- */

START_TEST(write_api)
{
	static struct report_test t[1];
	static struct report_exercise e[1];
	struct report r;
	char *dir = util_mkscratch("reports"), *p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	DIR *d;
	struct dirent *de;
	int files = 0;

	e[0] = (struct report_exercise){ .ex = cat_find("01"),
		                         .status = "graded",
		                         .score = 10,
		                         .max = 100,
		                         .tests = t,
		                         .ntests = 1 };
	t[0] = (struct report_test){ .t = &cat_find("01")->tests[0],
		                     .status = "passed",
		                     .score = 10,
		                     .feedback = "" };
	r = (struct report){
		.submission = "/sub", .ex = e, .nex = 1, .score = 10, .max = 100
	};
	errno = 0;
	ck_assert_int_eq(report_write(&r, "yaml", f), -1);
	ck_assert_int_eq(errno, EINVAL);
	fclose(f);
	free(buf);
	p = util_fmt("%s/r.yaml", dir);
	ck_assert_int_eq(report_write_file(&r, "yaml", p), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(access(p, F_OK), -1); /* nothing written */
	free(p);
	ck_assert_int_eq(report_write_file(&r, "json", "/nonexistent/d/r"), -1);
	for (int i = 0; report_formats[i]; i++) {
		p = util_fmt("%s/r.%s", dir, report_formats[i]);
		ck_assert_int_eq(report_write_file(&r, report_formats[i], p),
		                 0);
		free(p);
	}
	d = opendir(dir);
	while ((de = readdir(d)))
		files += de->d_name[0] != '.';
	closedir(d);
	ck_assert_int_eq(files, 7); /* one each, no temporary file left */
	util_rm_rf(dir);
	free(dir);
}
END_TEST

/* ---- rendering (make check-html) ---- */

static const char *const rendered[] = { "failing", "hostile", "mixed" };
#define NRENDERED (int)(sizeof rendered / sizeof rendered[0])

START_TEST(html_renders)
{
	char *html = util_fmt("%s/%s.html", OUT, rendered[_i]),
	     *png = util_fmt("%s/%s.png", OUT, rendered[_i]),
	     *abs = realpath(html, NULL), *profile = util_mkscratch("chrome"),
	     *cmd, *out;
	int w = 0, h = 0, colors = 0;

	ck_assert_msg(abs, "%s: %m", html);
	unlink(png);
	cmd = util_fmt(
	    "timeout 90 chromium --headless --no-sandbox --disable-gpu "
	    "--disable-quic --no-first-run --disable-background-networking "
	    "--disable-component-update --disable-sync --user-data-dir=%s "
	    "--screenshot=%s --window-size=1200,2000 --enable-logging=stderr "
	    "--v=0 file://%s 2>&1",
	    profile, png, abs);
	run(cmd, &out);
	ck_assert_msg(access(png, R_OK) == 0, "no screenshot: %s", out);
	ck_assert_msg(!strstr(out, "CONSOLE") && !strstr(out, "Uncaught"),
	              "the page logged errors: %s", out);
	free(out);
	free(cmd);
	cmd = util_fmt("%s tests/reports/pngstat.py %s 2>&1", PYTHON, png);
	ck_assert_int_eq(run(cmd, &out), 0);
	ck_assert_int_eq(sscanf(out, "%d %d %d", &w, &h, &colors), 3);
	ck_assert_msg(colors > MIN_COLOR, "%s: blank? %d colours", png, colors);
	printf("rendered %s: %dx%d, %d colours\n", png, w, h, colors);
	free(out);
	free(cmd);
	util_rm_rf(profile);
	free(profile);
	free(abs);
	free(png);
	free(html);
}
END_TEST

/* ---- the gradings, once, before the tests ---- */

/* Each submission graded once, written in every format (html only when
 * rendering) from that one result: OUT/NAME.FORMAT. */
static void grade_all(int html_only)
{
	double t0 = util_now();

	util_rm_rf(OUT); /* no output of an earlier run can pass a test */
	mkdir("build/tests", 0755);
	mkdir(OUT, 0755);
	for (int s = 0; s < NSUBS; s++) {
		char *cmd;
		int rc, k = 0;

		/* rendering needs only the pages it renders */
		while (html_only && k < NRENDERED &&
		       strcmp(rendered[k], subs[s].name))
			k++;
		if (k == NRENDERED)
			continue;
		cmd = util_fmt("%s grade %s %s --format ", forklab(),
		               subs[s].dir, subs[s].args);

		for (int f = 0; f < NFORMATS; f++)
			if (!html_only || !strcmp(formats[f], "html"))
				util_append(&cmd, "%s%s",
				            cmd[strlen(cmd) - 1] == ' ' ? ""
				                                        : ",",
				            formats[f]);
		/* one format: -o names the file; several: the prefix */
		util_append(&cmd, " -o %s/%s%s 2>%s/%s.err", OUT, subs[s].name,
		            html_only ? ".html" : "", OUT, subs[s].name);
		rc = run(cmd, NULL);
		for (int f = 0; f < NFORMATS; f++)
			graded[s][f] = rc;
		free(cmd);
	}
	printf("test_reports: %d submissions graded once each, written in "
	       "%d format(s), in %.1f s\n",
	       html_only ? NRENDERED : NSUBS, html_only ? 1 : NFORMATS,
	       util_now() - t0);
}

static void find_bad_courses(void)
{
	DIR *d = opendir(COURSES);
	struct dirent *e;

	while (d && (e = readdir(d)) && nbad_courses < 64) {
		size_t n = strlen(e->d_name);

		if (!strncmp(e->d_name, "bad-", 4) && n > 5 &&
		    !strcmp(e->d_name + n - 5, ".json"))
			bad_courses[nbad_courses++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	int render = argc > 1 && !strcmp(argv[1], "render");
	Suite *s = suite_create(render ? "reports-render" : "reports");
	TCase *tc = tcase_create("reports");
	SRunner *sr;
	int failed;

	grade_all(render);
	tcase_set_timeout(tc, 120);
	if (render) {
		tcase_add_loop_test(tc, html_renders, 0, NRENDERED);
	} else {
		find_bad_courses();
		tcase_add_test(tc, json_schema);
		tcase_add_loop_test(tc, json_scores, 0, NSUBS);
		tcase_add_loop_test(tc, gradescope, 0, NSUBS);
		tcase_add_loop_test(tc, prairielearn, 0, NSUBS);
		tcase_add_loop_test(tc, junit, 0, NSUBS);
		tcase_add_loop_test(tc, tap, 0, NSUBS);
		tcase_add_loop_test(tc, text, 0, NSUBS);
		tcase_add_loop_test(tc, html, 0, NSUBS);
		tcase_add_test(tc, course_points);
		tcase_add_test(tc, course_time_scale);
		tcase_add_loop_test(tc, course_bad, 0, nbad_courses);
		tcase_add_test(tc, course_missing);
		tcase_add_test(tc, write_api);
	}
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
