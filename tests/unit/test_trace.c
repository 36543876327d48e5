/* test_trace.c - trace.c: the record of many processes, exactly once each. */
#define _GNU_SOURCE
#include <string.h>

#include "run.h"
#include "trace.h"
#include "unit.h"

START_TEST(limit_names)
{
	static const char *const want[] = { "none",  "wall",        "cpu",
		                            "procs", "procs_total", "memory",
		                            "fsize", "output",      "disk" };

	for (int l = 0; l < TRC_LIM_COUNT; l++)
		ck_assert_str_eq(trc_limit_name(l), want[l]);
	ck_assert_str_eq(trc_limit_name(99), "none");
}
END_TEST

START_TEST(three_hundred_children_each_once)
{
	const char *argv[] = { "build/unit-progs/many", NULL };
	struct run_conf c = { .argv = (char *const *)argv };
	struct run_result r;
	int codes[256] = { 0 }, n = 0;

	ck_assert_int_eq(run_exec(&c, &r), 0);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_int_eq(r.trc.created_procs, 301);
	for (int i = 0; i < r.trc.np; i++) {
		struct trc_proc *p = &r.trc.p[i];

		if (p->pid == r.trc.main)
			continue;
		n++;
		ck_assert(p->ended);
		ck_assert_int_eq(p->ppid, r.trc.main);
		ck_assert(trc_find(&r.trc, p->pid) != NULL);
		codes[p->exit_code & 0xff]++;
	}
	ck_assert_int_eq(n, 300);
	for (int k = 0; k < 44; k++) /* 300 = 256 + 44 */
		ck_assert_int_eq(codes[k], 2);
	ck_assert_int_eq(r.trc.zombies_at_main_exit, 0);
	run_free(&r);
}
END_TEST

Suite *suite_trace(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trace");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, limit_names);
	tcase_add_test(tc, three_hundred_children_each_once);
	suite_add_tcase(s, tc);
	return s;
}
