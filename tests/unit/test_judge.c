/* test_judge.c - judge.c: facts in, verdicts out, as a table. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "unit.h"

#define OK "\"started\":true,\"tampered\":false,\"notes\":[]"

/* rule and arg of the test, the student's facts, the reference's (or
 * NULL), and the status, score and a piece of the feedback expected. */
static const struct {
	enum fl_rule rule;
	double arg;
	const char *s, *ref;
	const char *status;
	int score;
	const char *says;
} cases[] = {
	{ FL_NONE, 0, "{" OK ",\"verdict\":\"pass\"}", NULL, "passed", 10, "" },
	{ FL_NONE, 0, "{" OK ",\"verdict\":\"fail expected: 3\\nobserved: 5\"}",
	  NULL, "failed", 0, "observed: 5" },
	{ FL_NONE, 0, "{" OK ",\"limit\":\"wall\",\"exit_code\":-9}", NULL,
	  "timeout", 0, "did not finish" },
	{ FL_NONE, 0, "{" OK ",\"limit\":\"cpu\",\"exit_code\":-9}", NULL,
	  "timeout", 0, "cpu limit" },
	{ FL_NONE, 0, "{" OK ",\"limit\":\"\",\"exit_code\":-11}", NULL,
	  "crashed", 0, "signal 11" },
	{ FL_NONE, 0, "{" OK ",\"limit\":\"\",\"exit_code\":0}", NULL, "failed",
	  0, "before it gave a verdict" },
	{ FL_NONE, 0,
	  "{\"started\":true,\"tampered\":true,\"verdict\":\"pass\"}", NULL,
	  "failed", 0, "channel" },
	{ FL_NONE, 0, "{\"started\":false,\"error\":\"boom\"}", NULL, "error",
	  0, "boom" },
	{ FL_NONE, 0,
	  "{" OK ",\"verdict\":\"fail x\",\"stderr\":\"student says hi\"}",
	  NULL, "failed", 0, "student says hi" },
	/* timed rules, judged beside the reference's figure */
	{ FL_RATE, 1000, "{" OK ",\"verdict\":\"pass\",\"metric\":2000}",
	  "{\"metric\":1000000}", "passed", 10, "per second" },
	{ FL_RATE, 1000, "{" OK ",\"verdict\":\"pass\",\"metric\":10}",
	  "{\"metric\":1000000}", "failed", 0, "sleeps in a loop" },
	{ FL_SLACK, 0.2, "{" OK ",\"verdict\":\"pass\",\"metric\":0.25}",
	  "{\"metric\":0.1}", "passed", 10, "" },
	{ FL_SLACK, 0.2, "{" OK ",\"verdict\":\"pass\",\"metric\":0.5}",
	  "{\"metric\":0.1}", "failed", 0, "returns late" },
	{ FL_AT_MOST, 0.6, "{" OK ",\"verdict\":\"pass\",\"metric\":0.55}",
	  "{\"metric\":0.3}", "passed", 10, "" },
	{ FL_AT_MOST, 0.6, "{" OK ",\"verdict\":\"pass\",\"metric\":0.9}",
	  "{\"metric\":0.3}", "failed", 0, "" },
	{ FL_AT_MOST, 0.6, "{" OK ",\"verdict\":\"pass\",\"metric\":0.9}",
	  "{\"metric\":0.8}", "passed", 10, "loaded machine" },
	{ FL_INFO, 0, "{" OK ",\"verdict\":\"pass\",\"metric\":5}",
	  "{\"metric\":50}", "passed", 10, "for information" },
	/* the reference gave nothing: forklab's fault, never a pass */
	{ FL_RATE, 1000, "{" OK ",\"verdict\":\"pass\",\"metric\":5}",
	  "{\"started\":false}", "error", 0, "reference" },
	/* a failing verdict is not rescued by a good figure */
	{ FL_RATE, 1000, "{" OK ",\"verdict\":\"fail nope\",\"metric\":5e9}",
	  "{\"metric\":1}", "failed", 0, "nope" },
};

START_TEST(verdicts)
{
	struct fl_test t = {
		1, "t", 10, 5, 0, cases[_i].rule, cases[_i].arg, "text", NULL
	};
	json_t *s = json_loads(cases[_i].s, 0, NULL);
	json_t *ref = cases[_i].ref ? json_loads(cases[_i].ref, 0, NULL) : NULL;
	struct report_test out;

	ck_assert_ptr_nonnull(s);
	judge_test(&t, s, ref, &out);
	ck_assert_msg(!strcmp(out.status, cases[_i].status),
	              "case %d: %s, want %s (%s)", _i, out.status,
	              cases[_i].status, out.feedback);
	ck_assert_int_eq(out.score, cases[_i].score);
	ck_assert_msg(strstr(out.feedback, cases[_i].says),
	              "case %d: '%s' not in '%s'", _i, cases[_i].says,
	              out.feedback);
	free(out.feedback);
	json_decref(s);
	json_decref(ref);
}
END_TEST

Suite *suite_judge(void)
{
	Suite *s = suite_create("judge");
	TCase *tc = tcase_create("judge");

	tcase_add_loop_test(tc, verdicts, 0, sizeof cases / sizeof cases[0]);
	suite_add_tcase(s, tc);
	return s;
}
