/* test_scan.c - scan.c: finding an exercise's file, refusing bad ones. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"
#include "unit.h"
#include "util.h"

/* A submission laid out as files (NULL text: make it a directory), and what
 * scanning it for 01-spawn's spawn.c must say. */
static const struct {
	const char *name;
	const char *files[4];
	enum scan_status want;
	const char *path_suffix; /* of the file found */
	const char *msg_part;    /* in the message */
} cases[] = {
	{ "flat", { "spawn.c" }, SCAN_FOUND, "/spawn.c", NULL },
	{ "nested", { "hw/week2/spawn.c" }, SCAN_FOUND, "week2/spawn.c", NULL },
	{ "missing", { "other.c" }, SCAN_MISSING, NULL, "no file named" },
	{ "repo copy",
	  { "exercises/01-spawn/spawn.c", "reference/01-spawn/spawn.c",
	    "tests/submissions/01-spawn/x/spawn.c" },
	  SCAN_FOUND,
	  "exercises/01-spawn/spawn.c",
	  NULL },
	{ "two",
	  { "a/spawn.c", "b/spawn.c" },
	  SCAN_INVALID,
	  NULL,
	  "2 files named spawn.c" },
	{ "in .git only", { ".git/spawn.c" }, SCAN_MISSING, NULL, NULL },
};

START_TEST(layouts)
{
	char *d = unit_tmpdir(), path[4096], msg[1024];
	enum scan_status st;

	for (int k = 0; k < 4 && cases[_i].files[k]; k++)
		unit_write(d, cases[_i].files[k], "int x;\n");
	st = scan_find(d, "01-spawn", "spawn.c", path, sizeof path, msg,
	               sizeof msg);
	ck_assert_msg(st == cases[_i].want, "%s: status %d, want %d (%s)",
	              cases[_i].name, st, cases[_i].want, msg);
	if (cases[_i].path_suffix)
		ck_assert_msg(strstr(path, cases[_i].path_suffix), "%s: %s",
		              cases[_i].name, path);
	if (cases[_i].msg_part)
		ck_assert_msg(strstr(msg, cases[_i].msg_part), "%s: %s",
		              cases[_i].name, msg);
	util_rm_rf(d);
	free(d);
}
END_TEST

static enum scan_status scan(const char *d, char *msg)
{
	char path[4096];

	return scan_find(d, "01-spawn", "spawn.c", path, 4096, msg, 1024);
}

START_TEST(refusals)
{
	char *d = unit_tmpdir(), *outside = unit_tmpdir(), msg[1024], *p, *q;

	/* a symbolic link out of the submission */
	unit_write(outside, "secret.c", "int secret;\n");
	p = util_fmt("%s/spawn.c", d);
	q = util_fmt("%s/secret.c", outside);
	ck_assert_int_eq(symlink(q, p), 0);
	ck_assert_int_eq(scan(d, msg), SCAN_INVALID);
	ck_assert(strstr(msg, "symbolic link"));
	unlink(p);
	/* a hard link to a file elsewhere */
	if (link(q, p) == 0) {
		ck_assert_int_eq(scan(d, msg), SCAN_INVALID);
		ck_assert(strstr(msg, "hard link"));
		unlink(p);
	}
	/* binary bytes */
	unit_write(d, "spawn.c", "int x;");
	{
		FILE *f = fopen(p, "a");

		fputc('\0', f);
		fclose(f);
	}
	ck_assert_int_eq(scan(d, msg), SCAN_INVALID);
	ck_assert(strstr(msg, "NUL"));
	/* too large */
	ck_assert_int_eq(truncate(p, SCAN_MAX_BYTES + 1), 0);
	ck_assert_int_eq(scan(d, msg), SCAN_INVALID);
	ck_assert(strstr(msg, "bytes"));
	unlink(p);
	/* a directory named like the file */
	ck_assert_int_eq(mkdir(p, 0755), 0);
	ck_assert_int_eq(scan(d, msg), SCAN_INVALID);
	rmdir(p);
	/* a link loop is not followed */
	free(p);
	p = util_fmt("%s/loop", d);
	ck_assert_int_eq(symlink(".", p), 0);
	ck_assert_int_eq(scan(d, msg), SCAN_MISSING);
	util_rm_rf(d);
	util_rm_rf(outside);
	free(p);
	free(q);
	free(d);
	free(outside);
}
END_TEST

Suite *suite_scan(void)
{
	Suite *s = suite_create("scan");
	TCase *tc = tcase_create("scan");

	tcase_add_loop_test(tc, layouts, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, refusals);
	suite_add_tcase(s, tc);
	return s;
}
