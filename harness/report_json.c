/*
 * report_json.c - the native report: everything the model holds, as JSON
 * (described by schemas/forklab-report.schema.json).
 */
#define _GNU_SOURCE
#include "report_private.h"

json_t *report_json(const struct report *r)
{
	json_t *j = json_object(), *exs = json_array();

	json_object_set_new(j, "submission", json_string(r->submission));
	json_object_set_new(j, "score", json_integer(r->score));
	json_object_set_new(j, "max_score", json_integer(r->max));
	json_object_set_new(j, "duration_s", json_real(r->wall_s));
	json_object_set_new(j, "faults", json_integer(r->faults));
	for (int i = 0; i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];
		json_t *je = json_object(), *tests = json_array();

		json_object_set_new(je, "id", json_string(e->ex->id));
		json_object_set_new(je, "file", json_string(e->ex->file));
		json_object_set_new(je, "status", json_string(e->status));
		json_object_set_new(je, "score", json_integer(e->score));
		json_object_set_new(je, "max_score", json_integer(e->max));
		json_object_set_new(
		    je, "feedback",
		    json_string(e->feedback ? e->feedback : ""));
		for (int k = 0; k < e->ntests; k++) {
			const struct report_test *t = &e->tests[k];
			json_t *jt = json_pack(
			    "{s:s, s:i, s:s, s:s, s:i, s:i, s:s, s:f, s:s}",
			    "name", t->t->name, "check", t->t->check,
			    "description", t->t->text, "status", t->status,
			    "score", t->score, "max_score", report_points(e, k),
			    "feedback", t->feedback ? t->feedback : "",
			    "duration_s", t->duration_s, "visibility",
			    report_visibility(e, k));

			if (t->timeline)
				json_object_set(jt, "timeline", t->timeline);
			json_array_append_new(tests, jt);
		}
		json_object_set_new(je, "tests", tests);
		json_array_append_new(exs, je);
	}
	json_object_set_new(j, "exercises", exs);
	return j;
}
