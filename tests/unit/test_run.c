/* test_run.c - run.c and trace.c together: one command in the box, and the
 * kernel's record of it. Each case is a command, limits, and what the record
 * must say. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "judge.h"
#include "run.h"
#include "unit.h"
#include "util.h"

#define PROGS "build/unit-progs/"

static const struct {
	const char *name;
	const char *argv[6];
	struct sbx_limits lim;
	int started, exit_code, limit;
	int created, alive_after_main, zombies, killed; /* -1: any */
	const char *out;                                /* in stdout */
} cases[] = {
	{ "true", { "/bin/true" }, { .wall_s = 0 }, 1, 0, 0, 1, 0, 0, 0, NULL },
	{ "exit status",
	  { "/bin/sh", "-c", "exit 3" },
	  { .wall_s = 0 },
	  1,
	  3,
	  0,
	  1,
	  0,
	  0,
	  0,
	  NULL },
	{ "killed by a signal",
	  { "/bin/sh", "-c", "kill -KILL $$" },
	  { .wall_s = 0 },
	  1,
	  -9,
	  0,
	  1,
	  0,
	  0,
	  0,
	  NULL },
	{ "wall limit",
	  { "/bin/sleep", "5" },
	  { .wall_s = 0.3 },
	  1,
	  -9,
	  TRC_LIM_WALL,
	  1,
	  0,
	  0,
	  1,
	  NULL },
	{ "cpu limit",
	  { "/bin/sh", "-c", "while :; do :; done" },
	  { .cpu_s = 0.3 },
	  1,
	  -9,
	  TRC_LIM_CPU,
	  1,
	  0,
	  0,
	  1,
	  NULL },
	{ "output flood",
	  { "/usr/bin/yes" },
	  { .output_bytes = 1000 },
	  1,
	  -9,
	  TRC_LIM_OUTPUT,
	  1,
	  0,
	  0,
	  1,
	  "y\ny\n" },
	{ "not executable",
	  { "/etc/hostname" },
	  { .wall_s = 0 },
	  0,
	  0,
	  0,
	  -1,
	  -1,
	  -1,
	  -1,
	  NULL },
	{ "tree",
	  { PROGS "tree" },
	  { .wall_s = 0 },
	  1,
	  7,
	  0,
	  4,
	  0,
	  0,
	  0,
	  NULL },
	{ "orphan",
	  { PROGS "leave", "orphan" },
	  { .wall_s = 0 },
	  1,
	  0,
	  0,
	  2,
	  1,
	  0,
	  1,
	  NULL },
	{ "zombie",
	  { PROGS "leave", "zombie" },
	  { .wall_s = 0 },
	  1,
	  0,
	  0,
	  2,
	  0,
	  1,
	  0,
	  NULL },
	{ "daemon",
	  { PROGS "leave", "setsid" },
	  { .wall_s = 0 },
	  1,
	  0,
	  0,
	  3,
	  1,
	  1,
	  1,
	  NULL },
};

START_TEST(runs)
{
	struct run_conf c = { .argv = (char *const *)cases[_i].argv,
		              .lim = cases[_i].lim };
	struct run_result r;
	int rc = run_exec(&c, &r);

	ck_assert_msg(rc >= 0, "%s: fault: %s", cases[_i].name, r.error);
	ck_assert_msg(r.started == cases[_i].started, "%s: started %d (%s)",
	              cases[_i].name, r.started, r.error);
	if (r.started) {
		ck_assert_msg(r.exit_code == cases[_i].exit_code, "%s: exit %d",
		              cases[_i].name, r.exit_code);
		ck_assert_msg(r.limit == cases[_i].limit, "%s: limit %d",
		              cases[_i].name, r.limit);
		ck_assert_msg(r.trc.created_procs == cases[_i].created,
		              "%s: created %d", cases[_i].name,
		              r.trc.created_procs);
		ck_assert_msg(r.trc.alive_after_main ==
		                  cases[_i].alive_after_main,
		              "%s: alive after main %d", cases[_i].name,
		              r.trc.alive_after_main);
		ck_assert_msg(r.trc.zombies_at_main_exit == cases[_i].zombies,
		              "%s: zombies %d", cases[_i].name,
		              r.trc.zombies_at_main_exit);
		ck_assert_msg(r.killed_at_end == cases[_i].killed,
		              "%s: killed %d", cases[_i].name, r.killed_at_end);
		/* nothing of the run is left */
		ck_assert_int_eq(r.trc.alive_tasks, 0);
	}
	if (cases[_i].out)
		ck_assert_msg(r.out.data && strstr(r.out.data, cases[_i].out),
		              "%s: stdout", cases[_i].name);
	run_free(&r);
}
END_TEST

START_TEST(tree_names_codes_signals)
{
	const char *argv[] = { PROGS "tree", NULL };
	struct run_conf c = { .argv = (char *const *)argv };
	struct run_result r;
	int kids = 0;

	ck_assert_int_eq(run_exec(&c, &r), 0);
	for (int i = 0; i < r.trc.np; i++) {
		struct trc_proc *p = &r.trc.p[i];
		const char *name = p->names[p->nnames - 1].name;

		if (p->pid == r.trc.main)
			continue;
		ck_assert_int_eq(p->ppid, r.trc.main);
		ck_assert(!strncmp(name, "kid-", 4));
		int k = name[4] - '0';

		ck_assert_int_eq(p->exit_code, k == 2 ? -15 : k + 1);
		if (k == 2) {
			ck_assert_int_ge(p->nsigs, 1);
			ck_assert_int_eq(p->sigs[0].signo, 15);
		}
		kids++;
	}
	ck_assert_int_eq(kids, 3);
	run_free(&r);
}
END_TEST

START_TEST(channel_token_and_verdict)
{
	const char *argv[] = { PROGS "chan", NULL, NULL };
	struct run_conf c = { .argv = (char *const *)argv,
		              .channel = 1,
		              .keep_events = 1 };
	struct run_result r;
	json_t *f;

	/* a driver alone: its verdict counts, the child's does not */
	ck_assert_int_eq(run_exec(&c, &r), 0);
	ck_assert_int_eq(r.token_asks, 1);
	ck_assert(r.out.data && strstr(r.out.data, "now "));
	f = judge_facts(&r);
	ck_assert_str_eq(json_string_value(json_object_get(f, "verdict")),
	                 "pass");
	ck_assert(json_is_false(json_object_get(f, "tampered")));
	ck_assert(json_number_value(json_object_get(f, "metric")) == 42.5);
	json_decref(f);
	run_free(&r);
	/* a second asker of the token: tampered */
	argv[1] = "steal";
	ck_assert_int_eq(run_exec(&c, &r), 0);
	f = judge_facts(&r);
	ck_assert(json_is_true(json_object_get(f, "tampered")));
	json_decref(f);
	run_free(&r);
}
END_TEST

START_TEST(hidden_paths_and_scratch)
{
	char *d = unit_tmpdir(), *cmd;
	const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	struct run_conf c = { .argv = (char *const *)argv };
	struct run_result r;

	unit_write(d, "secret", "s3cret");
	cmd = util_fmt("cat %s/secret; echo x > here && cat here; "
	               "echo y > /tmp/forklab-unit-escape",
	               d);
	argv[2] = cmd;
	ck_assert_int_eq(run_exec(&c, &r), 0);
	/* outside the scratch directory: nothing to read or write */
	ck_assert(!r.out.data || !strstr(r.out.data, "s3cret"));
	ck_assert(r.out.data && strstr(r.out.data, "x"));
	ck_assert_int_eq(access("/tmp/forklab-unit-escape", F_OK), -1);
	run_free(&r);
	util_rm_rf(d);
	free(d);
	free(cmd);
}
END_TEST

START_TEST(process_limit_answers_eagain)
{
	const char *argv[] = { "/bin/sh", "-c",
		               "for i in 1 2 3 4 5 6; do sleep 1 & done; wait",
		               NULL };
	struct run_conf c = { .argv = (char *const *)argv,
		              .lim = { .procs = 3, .wall_s = 3 } };
	struct run_result r;

	ck_assert_int_eq(run_exec(&c, &r), 0);
	ck_assert_int_le(r.trc.peak_alive, 3);
	ck_assert(r.trc.limits & (1u << TRC_LIM_PROCS));
	ck_assert_int_eq(r.trc.alive_tasks, 0);
	run_free(&r);
}
END_TEST

Suite *suite_run(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("run");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, runs, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, tree_names_codes_signals);
	tcase_add_test(tc, channel_token_and_verdict);
	tcase_add_test(tc, hidden_paths_and_scratch);
	tcase_add_test(tc, process_limit_answers_eagain);
	suite_add_tcase(s, tc);
	return s;
}
