/*
 * test_cli.c - bad input to forklab: a table of command lines, each with the
 * exit code it must give, a piece of its one-line error, and whether a valid
 * JSON record must still be printed.
 */
#define _GNU_SOURCE
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const struct {
	const char *args; /* after bin/forklab */
	int code;         /* exit code */
	const char *err;  /* in stderr ("" for anything) */
	int json;         /* stdout is a JSON document */
} cases[] = {
	{ "", 1, "usage", 0 },
	{ "frobnicate", 1, "unknown command 'frobnicate'", 0 },
	{ "--help", 0, "", 0 },
	{ "run", 1, "no command given", 0 },
	{ "run --wall abc -- /bin/true", 1, "--wall: 'abc' is not a number",
	  0 },
	{ "run --wall 0 -- /bin/true", 1, "from 0.01 to 3600", 0 },
	{ "run --procs 100000 -- /bin/true", 1, "--procs", 0 },
	{ "run --mem -5 -- /bin/true", 1, "--mem", 0 },
	{ "run --env NOEQUALS -- /bin/true", 1, "KEY=VALUE", 0 },
	{ "run --bogus -- /bin/true", 1, "", 0 },
	{ "run -- /nonexistent/cmd", 1, "/nonexistent/cmd", 1 },
	{ "run -- /etc/hostname", 1, "", 1 },
	{ "run -- no-such-command-anywhere", 1, "command not found", 1 },
	{ "run -- /bin/true", 0, "", 1 },
	{ "run --wall 0.2 -- /bin/sleep 5", 0, "", 1 },
	{ "grade", 1, "one directory", 0 },
	{ "grade /nonexistent/dir", 1, "/nonexistent/dir", 0 },
	{ "grade /etc/hostname", 1, "not a directory", 0 },
	{ "grade reference --only 99", 1, "no exercise '99'", 0 },
	{ "grade reference --format yaml", 1, "--format", 0 },
	{ "grade tests/bad/empty", 0, "", 1 },
	{ "check 42", 1, "no exercise '42'", 0 },
	{ "list", 0, "", 0 },
};

START_TEST(command_line)
{
	char *cmd, out[1 << 16] = "", err[4096] = "";
	const char *fl = getenv("FORKLAB") ? getenv("FORKLAB") : "bin/forklab";
	FILE *p, *e;
	size_t n;
	int st;
	json_t *j;

	ck_assert(asprintf(&cmd, "%s %s 2>build/tests/cli.err", fl,
	                   cases[_i].args) > 0);
	p = popen(cmd, "r");
	n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	st = pclose(p);
	e = fopen("build/tests/cli.err", "r");
	n = e ? fread(err, 1, sizeof err - 1, e) : 0;
	err[n] = '\0';
	if (e)
		fclose(e);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == cases[_i].code,
	              "forklab %s: exit %d, want %d (%s)", cases[_i].args,
	              WEXITSTATUS(st), cases[_i].code, err);
	ck_assert_msg(strstr(err, cases[_i].err),
	              "forklab %s: '%s' not in '%s'", cases[_i].args,
	              cases[_i].err, err);
	/* an error is one line */
	if (cases[_i].code == 1 && *err &&
	    strncmp(cases[_i].args, "run --bogus", 11))
		ck_assert_msg(
		    !strchr(err, '\n') || strchr(err, '\n')[1] == '\0' ||
		        strstr(err, "usage"),
		    "forklab %s: more than one line: %s", cases[_i].args, err);
	if (cases[_i].json) {
		j = json_loads(out, 0, NULL);
		ck_assert_msg(j != NULL, "forklab %s: no JSON: %.200s",
		              cases[_i].args, out);
		json_decref(j);
	}
	free(cmd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, command_line, 0,
	                    sizeof cases / sizeof cases[0]);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
