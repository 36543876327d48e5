/*
 * report_tap.c - TAP version 13: the plan, then a line per test of the
 * sheet, "ok N - ID check C name: score/max" or "not ok ...", and under
 * each test not passed a YAML block (between "  ---" and "  ...") with its
 * status, points and feedback. The YAML is kept to what every TAP consumer
 * reads (TAP::Parser's YAMLish included): a flat mapping of one-line
 * scalars, double-quoted with \n, \t, \", \\ and \xNN escapes.
 */
#define _GNU_SOURCE
#include "report_private.h"

#include <string.h>

#define MESSAGE_MAX 200 /* bytes of a failure's one-line message */

/* s as a YAML double-quoted scalar on one line. UTF-8 stays as it is. */
static void yaml_qq(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void diagnostics(FILE *f, const struct report_exercise *e, int k,
                        const struct report_test *t)
{
	char msg[MESSAGE_MAX + 1];

	reportp_first_line(t->feedback ? t->feedback : "", msg, MESSAGE_MAX);
	fputs("  ---\n  message: ", f);
	yaml_qq(f, *msg ? msg : t->status);
	fprintf(f, "\n  severity: %s\n  data:\n",
	        !strcmp(t->status, "error") ? "error" : "fail");
	fputs("    exercise: ", f);
	yaml_qq(f, e->ex->id);
	fprintf(f, "\n    check: %d\n    status: %s\n", t->t->check, t->status);
	fprintf(f, "    score: %d\n    max_score: %d\n", t->score,
	        report_points(e, k));
	fputs("    description: ", f);
	yaml_qq(f, t->t->text);
	fputs("\n    feedback: ", f);
	yaml_qq(f, t->feedback ? t->feedback : "");
	fputs("\n  ...\n", f);
}

int reportp_tap(const struct report *r, FILE *f)
{
	int n = 0, i;

	for (i = 0; i < r->nex; i++)
		n += r->ex[i].ex->ntests;
	fprintf(f, "TAP version 13\n1..%d\n", n);
	n = 0;
	for (i = 0; i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];

		fprintf(f, "# %s (%s): %s, %d/%d\n", e->ex->id, e->ex->file,
		        e->status, e->score, e->max);
		for (int k = 0; k < e->ex->ntests; k++) {
			struct report_test tmp;
			const struct report_test *t = reportp_row(e, k, &tmp);
			int ok = !strcmp(t->status, "passed");

			fprintf(f, "%s %d - %s check %d %s: %d/%d\n",
			        ok ? "ok" : "not ok", ++n, e->ex->id,
			        t->t->check, t->t->name, t->score,
			        report_points(e, k));
			if (!ok)
				diagnostics(f, e, k, t);
		}
	}
	fprintf(f, "# total %d/%d in %.1f s\n", r->score, r->max, r->wall_s);
	return ferror(f) ? -1 : 0;
}
