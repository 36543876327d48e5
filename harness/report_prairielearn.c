/*
 * report_prairielearn.c - PrairieLearn's external-grader results.json.
 *
 * score is a fraction from 0 to 1; points per test are the sheet's (or the
 * course's). A submission in which nothing was graded (every exercise
 * missing, not compiling or refused) is "gradable": false, with the reasons
 * in message: PrairieLearn then charges no attempt. PrairieLearn has no
 * per-test visibility, so a test a course hides keeps its points but not
 * its feedback.
 */
#define _GNU_SOURCE
#include "report_private.h"

#include <string.h>

#include "util.h"

#define MESSAGE_LINE 200 /* bytes of an exercise's reason in message */

/* Why nothing was graded: a line per exercise. Malloc'd. */
static char *reasons(const struct report *r)
{
	char *s = util_fmt("nothing could be graded:");

	for (int i = 0; i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];
		char line[MESSAGE_LINE + 1];

		reportp_first_line(e->feedback ? e->feedback : "", line,
		                   MESSAGE_LINE);
		util_append(&s, "\n%s: %s%s%s", e->ex->id, e->status,
		            *line ? ": " : "", line);
	}
	return s;
}

/* The output: what concerns whole exercises (compiler messages...). */
static char *output(const struct report *r)
{
	char *s = util_fmt("forklab graded %d exercise(s) in %.1f s", r->nex,
	                   r->wall_s);

	for (int i = 0; i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];

		util_append(&s, "\n%s: %s, %d/%d", e->ex->id, e->status,
		            e->score, e->max);
		if (e->feedback && *e->feedback)
			util_append(&s, "\n%s", e->feedback);
	}
	return s;
}

int reportp_prairielearn(const struct report *r, FILE *f)
{
	json_t *j = json_object(), *tests = json_array();
	int gradable = report_gradable(r), rc = 0;
	char *out = output(r);

	json_object_set_new(j, "gradable", json_boolean(gradable));
	json_object_set_new(
	    j, "score",
	    json_real(gradable && r->max > 0 ? (double)r->score / r->max : 0));
	if (gradable) {
		char *m = util_fmt("%d/%d points%s", r->score, r->max,
		                   r->faults ? "; forklab could not run some "
		                               "tests (not your fault)"
		                             : "");

		json_object_set_new(j, "message", json_string(m));
		free(m);
	} else {
		char *m = reasons(r);

		json_object_set_new(j, "message", json_string(m));
		free(m);
	}
	json_object_set_new(j, "output", json_string(out));
	free(out);
	for (int i = 0; gradable && i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];

		for (int k = 0; k < e->ex->ntests; k++) {
			struct report_test tmp;
			const struct report_test *t = reportp_row(e, k, &tmp);
			int shown = !strcmp(report_visibility(e, k), "visible");
			char *name = util_fmt("%s check %d: %s", e->ex->id,
			                      t->t->check, t->t->name);

			json_array_append_new(
			    tests,
			    json_pack("{s:s, s:s, s:i, s:i, s:s, s:s}", "name",
			              name, "description", t->t->text, "points",
			              t->score, "max_points",
			              report_points(e, k), "message",
			              shown ? t->status : "hidden", "output",
			              !shown ? "(the course shows this test's "
			                       "feedback later)"
			              : t->feedback ? t->feedback
			                            : ""));
			free(name);
		}
	}
	json_object_set_new(j, "tests", tests);
	if (json_dumpf(j, f, JSON_INDENT(2) | JSON_ENSURE_ASCII) < 0 ||
	    fputc('\n', f) == EOF)
		rc = -1;
	json_decref(j);
	return rc;
}
