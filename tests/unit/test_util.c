/* test_util.c - util.c: UTF-8 repair, removal, copying, reading. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util.h"

/* input bytes, their length, the cap, what util_utf8 must make of them */
static const struct {
	const char *in;
	size_t len, max;
	const char *want;
} utf8_cases[] = {
	{ "plain text", 10, 100, "plain text" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, 100,
	  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
	{ "bad \xff byte", 10, 100, "bad \\xff byte" },
	{ "nul\0in", 6, 100, "nul\\x00in" },
	{ "overlong \xc0\xaf", 11, 100, "overlong \\xc0\\xaf" },
	{ "surrogate \xed\xa0\x80", 13, 100, "surrogate \\xed\\xa0\\x80" },
	{ "cut \xe2\x82", 6, 100, "cut \\xe2\\x82" },
	{ "0123456789", 10, 4, "0123\n[... 6 more bytes cut by forklab]" },
	{ "", 0, 10, "" },
};

START_TEST(utf8_table)
{
	char *out = util_utf8(utf8_cases[_i].in, utf8_cases[_i].len,
	                      utf8_cases[_i].max);

	ck_assert_str_eq(out, utf8_cases[_i].want);
	free(out);
}
END_TEST

START_TEST(rm_rf_removes_locked_dirs_but_not_link_targets)
{
	char *d = unit_tmpdir(), *outside = unit_tmpdir(), *p;

	unit_write(outside, "keep", "keep me");
	unit_write(d, "a/b/c/file", "x");
	p = util_fmt("%s/link", d);
	ck_assert_int_eq(symlink(outside, p), 0);
	free(p);
	p = util_fmt("%s/a/b", d);
	ck_assert_int_eq(chmod(p, 0), 0);
	free(p);
	ck_assert_int_eq(util_rm_rf(d), 0);
	ck_assert_int_eq(access(d, F_OK), -1);
	p = util_fmt("%s/keep", outside);
	ck_assert_int_eq(access(p, F_OK), 0);
	free(p);
	util_rm_rf(outside);
	free(d);
	free(outside);
}
END_TEST

START_TEST(copy_and_slurp)
{
	char *d = unit_tmpdir(), *a = util_fmt("%s/a", d),
	     *b = util_fmt("%s/b", d), *s;
	size_t len;
	struct stat st;

	unit_write(d, "a", "hello, world\n");
	ck_assert_int_eq(util_copy(a, b, 0640), 0);
	ck_assert_int_eq(stat(b, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	s = util_slurp(b, 100, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(len, 13);
	ck_assert_str_eq(s, "hello, world\n");
	free(s);
	/* over the limit: refused, not cut */
	ck_assert_ptr_null(util_slurp(b, 5, &len));
	ck_assert_int_eq(util_copy("/nonexistent/x", b, 0644), -1);
	util_rm_rf(d);
	free(a);
	free(b);
	free(d);
}
END_TEST

Suite *suite_util(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");

	tcase_add_loop_test(tc, utf8_table, 0,
	                    sizeof utf8_cases / sizeof utf8_cases[0]);
	tcase_add_test(tc, rm_rf_removes_locked_dirs_but_not_link_targets);
	tcase_add_test(tc, copy_and_slurp);
	suite_add_tcase(s, tc);
	return s;
}
