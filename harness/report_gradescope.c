/*
 * report_gradescope.c - Gradescope's results.json.
 *
 * Every test of the sheet is a Gradescope test, numbered "E.C" (exercise E,
 * check C), also those of an exercise that was not graded: they score 0 and
 * say why, so a student sees what is missing. The top-level score is given
 * (Gradescope then ignores the sum of the tests); the top-level output holds
 * only what concerns whole exercises (a missing file, a compile error), so
 * that hiding a test from students hides all there is to know about it.
 */
#define _GNU_SOURCE
#include "report_private.h"

#include <string.h>

#include "util.h"

#define OUTPUT_MAX 20000 /* bytes of the top-level output */

/* What concerns whole exercises, for the top-level output. Malloc'd. */
static char *summary(const struct report *r)
{
	char *s = util_fmt("forklab: %d exercise(s) graded in %.1f s", r->nex,
	                   r->wall_s);

	for (int i = 0; i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];

		util_append(
		    &s, "\n\n%s (%s): %s", e->ex->id, e->ex->file,
		    !strcmp(e->status, "graded")          ? "graded"
		    : !strcmp(e->status, "not_submitted") ? "not submitted"
		    : !strcmp(e->status, "compile_error") ? "does not compile"
		                                          : "not accepted");
		if (e->feedback && *e->feedback)
			util_append(&s, "\n%s", e->feedback);
	}
	if (r->faults)
		util_append(&s,
		            "\n\nforklab could not run %d test(s); they are "
		            "marked as such, and this is not your fault",
		            r->faults);
	if (strlen(s) > OUTPUT_MAX) {
		char *cut = util_utf8(s, strlen(s), OUTPUT_MAX);

		free(s);
		s = cut;
	}
	return s;
}

int reportp_gradescope(const struct report *r, FILE *f)
{
	json_t *j = json_object(), *tests = json_array();
	char *out = summary(r);
	int rc = 0;

	json_object_set_new(j, "score", json_integer(r->score));
	json_object_set_new(j, "execution_time", json_real(r->wall_s));
	json_object_set_new(j, "output", json_string(out));
	json_object_set_new(j, "output_format", json_string("text"));
	json_object_set_new(
	    j, "visibility",
	    json_string(r->visibility ? r->visibility : "visible"));
	json_object_set_new(j, "stdout_visibility",
	                    json_string(r->stdout_visibility
	                                    ? r->stdout_visibility
	                                    : "hidden"));
	free(out);
	for (int i = 0; i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];

		for (int k = 0; k < e->ex->ntests; k++) {
			struct report_test tmp;
			const struct report_test *t = reportp_row(e, k, &tmp);
			char *name = util_fmt("%s check %d: %s", e->ex->id,
			                      t->t->check, t->t->name);
			char *number =
			    util_fmt("%d.%d", reportp_exno(e->ex), t->t->check);
			const char *fb = t->feedback ? t->feedback : "";
			char *output = util_fmt("%s%s%s", t->t->text,
			                        *fb ? "\n\n" : "", fb);

			json_array_append_new(
			    tests,
			    json_pack(
			        "{s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, "
			        "s:[s, s]}",
			        "name", name, "number", number, "score",
			        t->score, "max_score", report_points(e, k),
			        "status",
			        !strcmp(t->status, "passed") ? "passed"
			                                     : "failed",
			        "output", output, "output_format", "text",
			        "visibility", report_visibility(e, k), "tags",
			        e->ex->id, t->status));
			free(name);
			free(number);
			free(output);
		}
	}
	json_object_set_new(j, "tests", tests);
	if (json_dumpf(j, f, JSON_INDENT(2) | JSON_ENSURE_ASCII) < 0 ||
	    fputc('\n', f) == EOF)
		rc = -1;
	json_decref(j);
	return rc;
}
