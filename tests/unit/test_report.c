/* test_report.c - report.c: the JSON shape, atomic writing, the text. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "report.h"
#include "unit.h"
#include "util.h"

static void sample(struct report *r)
{
	static struct report_test tests[2];
	static struct report_exercise ex[2];
	const struct cat_exercise *e = cat_find("01-spawn");

	tests[0] = (struct report_test){ .t = &e->tests[0],
		                         .status = "passed",
		                         .score = 10,
		                         .feedback = strdup(""),
		                         .duration_s = 0.1 };
	tests[1] = (struct report_test){ .t = &e->tests[1],
		                         .status = "failed",
		                         .feedback = strdup(
		                             "expected: 3\nobserved: \xc3\xa9"),
		                         .duration_s = 0.2 };
	ex[0] = (struct report_exercise){ .ex = e,
		                          .status = "graded",
		                          .score = 10,
		                          .max = 25,
		                          .tests = tests,
		                          .ntests = 2 };
	ex[1] = (struct report_exercise){ .ex = cat_find("02"),
		                          .status = "not_submitted",
		                          .max = 100,
		                          .feedback = strdup("no file") };
	*r = (struct report){ .submission = "/sub",
		              .ex = ex,
		              .nex = 2,
		              .score = 10,
		              .max = 125,
		              .wall_s = 1.5 };
}

START_TEST(json_shape)
{
	struct report r;
	json_t *j, *t;

	sample(&r);
	j = report_json(&r);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "score")), 10);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "max_score")),
	                 125);
	t = json_array_get(
	    json_object_get(json_array_get(json_object_get(j, "exercises"), 0),
	                    "tests"),
	    1);
	ck_assert_str_eq(json_string_value(json_object_get(t, "name")),
	                 "process_count");
	ck_assert_int_eq(json_integer_value(json_object_get(t, "check")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(t, "status")),
	                 "failed");
	ck_assert(json_is_number(json_object_get(t, "duration_s")));
	ck_assert_str_eq(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(j, "exercises"), 1), "status")),
	    "not_submitted");
	json_decref(j);
}
END_TEST

START_TEST(atomic_write_and_text)
{
	char *d = unit_tmpdir(), *p = util_fmt("%s/r.json", d), *s;
	struct report r;
	json_t *j;
	DIR *dir;
	struct dirent *e;
	int files = 0;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	sample(&r);
	j = report_json(&r);
	ck_assert_int_eq(report_write_json(p, j), 0);
	json_decref(j);
	s = util_slurp(p, 1 << 20, NULL);
	j = json_loads(s, 0, NULL);
	ck_assert_ptr_nonnull(j); /* valid JSON on disk */
	json_decref(j);
	free(s);
	dir = opendir(d);
	while ((e = readdir(dir)))
		files += e->d_name[0] != '.';
	closedir(dir);
	ck_assert_int_eq(files, 1); /* no temporary file left */
	ck_assert_int_eq(report_write_json("/nonexistent/dir/r.json", j), -1);
	f = open_memstream(&buf, &len);
	report_text(f, &r, 0);
	fclose(f);
	ck_assert(strstr(buf, "PASS"));
	ck_assert(strstr(buf, "observed: \xc3\xa9"));
	ck_assert(strstr(buf, "not_submitted"));
	ck_assert(strstr(buf, "total 10/125"));
	ck_assert(!strstr(buf, "\033[")); /* no colour when asked for none */
	free(buf);
	util_rm_rf(d);
	free(d);
	free(p);
}
END_TEST

Suite *suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, json_shape);
	tcase_add_test(tc, atomic_write_and_text);
	suite_add_tcase(s, tc);
	return s;
}
