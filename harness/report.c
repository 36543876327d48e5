/*
 * report.c - the one result model, and the formats that render it.
 *
 * Everything in a report comes from forklab's own records; what a student
 * wrote or printed reaches it only through util_utf8(), cut and made valid.
 */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

json_t *report_json(const struct report *r)
{
	json_t *j = json_object(), *exs = json_array();

	json_object_set_new(j, "submission", json_string(r->submission));
	json_object_set_new(j, "score", json_integer(r->score));
	json_object_set_new(j, "max_score", json_integer(r->max));
	json_object_set_new(j, "duration_s", json_real(r->wall_s));
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

			json_array_append_new(
			    tests,
			    json_pack("{s:s, s:i, s:s, s:s, s:i, s:i, s:s, "
			              "s:f}",
			              "name", t->t->name, "check", t->t->check,
			              "description", t->t->text, "status",
			              t->status, "score", t->score, "max_score",
			              t->t->points, "feedback",
			              t->feedback ? t->feedback : "",
			              "duration_s", t->duration_s));
		}
		json_object_set_new(je, "tests", tests);
		json_array_append_new(exs, je);
	}
	json_object_set_new(j, "exercises", exs);
	return j;
}

static const char *paint(int color, const char *code)
{
	return color ? code : "";
}

/* Print s with every line indented. */
static void indented(FILE *f, const char *s, const char *pad)
{
	const char *p = s, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		fprintf(f, "%s%.*s\n", pad, nl ? (int)(nl - p) : (int)strlen(p),
		        p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

void report_text(FILE *f, const struct report *r, int color)
{
	const char *green = paint(color, "\033[32m"),
	           *red = paint(color, "\033[31m"),
	           *bold = paint(color, "\033[1m"),
	           *dim = paint(color, "\033[2m"),
	           *off = paint(color, "\033[0m");

	for (int i = 0; i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];

		fprintf(f, "%s%s%s  %s  %d/%d", bold, e->ex->id, off,
		        e->ex->title, e->score, e->max);
		if (strcmp(e->status, "graded"))
			fprintf(f, "  (%s)", e->status);
		fputc('\n', f);
		if (e->feedback && *e->feedback)
			indented(f, e->feedback, "    ");
		for (int k = 0; k < e->ntests; k++) {
			const struct report_test *t = &e->tests[k];
			int ok = !strcmp(t->status, "passed");

			fprintf(
			    f,
			    "  %s%-7s%s check %d  %-26s %3d/%-3d %s%.2fs%s\n",
			    ok ? green : red, ok ? "PASS" : t->status, off,
			    t->t->check, t->t->name, t->score, t->t->points,
			    dim, t->duration_s, off);
			if (!ok || (t->feedback && *t->feedback && ok &&
			            t->t->rule == FL_INFO))
				if (t->feedback && *t->feedback)
					indented(f, t->feedback, "      ");
		}
	}
	fprintf(f, "%stotal %d/%d%s  (%.1fs)\n", bold, r->score, r->max, off,
	        r->wall_s);
	if (r->faults)
		fprintf(f,
		        "forklab could not run %d test(s): see 'error' "
		        "above; this is not your fault\n",
		        r->faults);
}

int report_write_json(const char *path, json_t *j)
{
	char *tmp = util_fmt("%s.tmp.%d", path, (int)getpid());
	FILE *f = fopen(tmp, "we");
	int rc = -1, e;

	if (!f)
		goto out;
	if (json_dumpf(j, f, JSON_INDENT(2) | JSON_ENSURE_ASCII) < 0 ||
	    fputc('\n', f) == EOF || fflush(f) == EOF || fsync(fileno(f)) < 0) {
		e = errno;
		fclose(f);
		unlink(tmp);
		errno = e;
		goto out;
	}
	if (fclose(f) == EOF || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

void report_free(struct report *r)
{
	for (int i = 0; i < r->nex; i++) {
		for (int k = 0; k < r->ex[i].ntests; k++)
			free(r->ex[i].tests[k].feedback);
		free(r->ex[i].tests);
		free(r->ex[i].feedback);
		free(r->ex[i].file);
	}
	free(r->ex);
	memset(r, 0, sizeof *r);
}
