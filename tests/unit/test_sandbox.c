/* test_sandbox.c - sandbox.c: the filter, its table, refusals recorded. */
#define _GNU_SOURCE
#include <string.h>

#include "run.h"
#include "sandbox.h"
#include "unit.h"

START_TEST(init_and_names)
{
	char err[256];
	struct sbx_limits l = { .procs = 5 };

	ck_assert_int_eq(sbx_init(err, sizeof err), 0);
	ck_assert_int_eq(sbx_init(err, sizeof err), 0); /* once is enough */
	ck_assert_str_eq(sbx_syscall_name(0), "read");
	ck_assert_str_eq(sbx_syscall_name(101), "ptrace");
	sbx_limits_default(&l);
	ck_assert_int_eq(l.procs, 5); /* set fields stay */
	ck_assert(l.wall_s > 0 && l.mem_mib > 0 && l.output_bytes > 0);
	ck_assert(sbx_landlock_abi() >= 0);
}
END_TEST

/* what each refused call must get, as the program prints it */
static const char *const answers[] = {
	"ptrace -1 EPERM",  "socket -1 EPERM", "unshare -1 EPERM",
	"clone3 -1 ENOSYS", "unix ok",
};
static const char *const recorded[] = { "ptrace", "socket", "unshare",
	                                "clone3" };

START_TEST(refusals_answered_and_recorded)
{
	const char *argv[] = { "build/unit-progs/refuse", NULL };
	struct run_conf c = { .argv = (char *const *)argv };
	struct run_result r;

	ck_assert_int_eq(run_exec(&c, &r), 0);
	ck_assert_int_eq(r.exit_code, 0);
	for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++)
		ck_assert_msg(strstr(r.out.data, answers[i]),
		              "want '%s' in:\n%s", answers[i], r.out.data);
	for (size_t i = 0; i < sizeof recorded / sizeof recorded[0]; i++) {
		int found = 0;

		for (int k = 0; k < r.trc.nrefused; k++)
			found |= !strcmp(sbx_syscall_name(r.trc.refused[k].nr),
			                 recorded[i]);
		ck_assert_msg(found, "%s not recorded", recorded[i]);
	}
	run_free(&r);
}
END_TEST

/* A hidden path inside a system directory: the directory is opened up entry
 * by entry, the hidden one left out (an installation under /usr). */
START_TEST(hidden_inside_a_system_directory)
{
	const char *argv[] = { "/bin/sh", "-c",
		               "ls /usr/share/doc >/dev/null && echo doc-seen; "
		               "ls /usr/share/man >/dev/null && echo man-seen; "
		               "ls /usr/lib >/dev/null && echo lib-seen",
		               NULL };
	struct run_conf c = { .argv = (char *const *)argv };
	struct run_result r;

	if (sbx_landlock_abi() <= 0)
		return; /* nothing to hide with */
	sbx_hide("/usr/share/doc");
	ck_assert_int_eq(run_exec(&c, &r), 0);
	ck_assert_msg(!strstr(r.out.data, "doc-seen"), "%s", r.out.data);
	ck_assert(strstr(r.out.data, "man-seen"));
	ck_assert(strstr(r.out.data, "lib-seen"));
	run_free(&r);
}
END_TEST

Suite *suite_sandbox(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("sandbox");

	tcase_add_test(tc, init_and_names);
	tcase_add_test(tc, refusals_answered_and_recorded);
	tcase_add_test(tc, hidden_inside_a_system_directory);
	suite_add_tcase(s, tc);
	return s;
}
