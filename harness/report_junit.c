/*
 * report_junit.c - JUnit XML, as CI systems read it: a <testsuite> per
 * exercise inside <testsuites>, a <testcase> per test of the sheet, valid
 * against the Apache Ant JUnit schema (shared/schemas/JUnit.xsd).
 *
 * A test not passed is a <failure> whose type is its status (failed,
 * timeout, crashed, or the exercise's: not_submitted, compile_error,
 * invalid); a fault of forklab is an <error>. Text is escaped for XML, and
 * the characters XML 1.0 cannot hold at all (C0 controls but tab and line
 * breaks, U+FFFE, U+FFFF) are written as \xNN: a parser never rejects it.
 */
#define _GNU_SOURCE
#include "report_private.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#define MESSAGE_MAX 200 /* bytes of a failure's message attribute */

/* Write s escaped for XML text (attr 0) or a quoted attribute (attr 1),
 * where line breaks and tabs must be character references to survive. */
static void xml(FILE *f, const char *s, int attr)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			continue;
		case '<':
			fputs("&lt;", f);
			continue;
		case '>':
			fputs("&gt;", f);
			continue;
		case '"':
			fputs(attr ? "&quot;" : "\"", f);
			continue;
		case '\n':
		case '\r':
		case '\t':
			if (attr)
				fprintf(f, "&#%d;", *p);
			else
				fputc(*p, f);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p);
		} else if (p[0] == 0xef && p[1] == 0xbf &&
		           (p[2] == 0xbe || p[2] == 0xbf)) {
			fprintf(f, "\\u%s", p[2] == 0xbe ? "fffe" : "ffff");
			p += 2;
		} else {
			fputc(*p, f);
		}
	}
}

static void property(FILE *f, const char *name, const char *value)
{
	fprintf(f, "      <property name=\"%s\" value=\"", name);
	xml(f, value, 1);
	fputs("\"/>\n", f);
}

static void testcase(FILE *f, const struct report_exercise *e, int k,
                     const struct report_test *t)
{
	char msg[MESSAGE_MAX + 1];
	const char *el;

	fprintf(f, "    <testcase name=\"check %d %s\" classname=\"forklab.",
	        t->t->check, t->t->name);
	xml(f, e->ex->id, 1);
	fprintf(f, "\" time=\"%.3f\"", t->duration_s);
	if (!strcmp(t->status, "passed")) {
		fputs("/>\n", f);
		return;
	}
	el = !strcmp(t->status, "error") ? "error" : "failure";
	reportp_first_line(t->feedback ? t->feedback : "", msg, MESSAGE_MAX);
	fprintf(f, ">\n      <%s type=\"%s\" message=\"", el, t->status);
	xml(f, *msg ? msg : t->status, 1);
	fputs("\">", f);
	fprintf(f, "%s: %d/%d points\n", t->t->text, t->score,
	        report_points(e, k));
	xml(f, t->feedback ? t->feedback : "", 0);
	fprintf(f, "</%s>\n    </testcase>\n", el);
}

int reportp_junit(const struct report *r, FILE *f)
{
	char host[256] = "localhost", stamp[32], num[32];
	time_t start = time(NULL) - (time_t)r->wall_s;
	struct tm tm;

	if (gethostname(host, sizeof host) < 0 || !*host)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S",
	         gmtime_r(&start, &tm));
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", f);
	for (int i = 0; i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];
		int failures = 0, errors = 0;
		double time = 0;

		for (int k = 0; k < e->ex->ntests; k++) {
			struct report_test tmp;
			const struct report_test *t = reportp_row(e, k, &tmp);

			errors += !strcmp(t->status, "error");
			failures += strcmp(t->status, "passed") &&
			            strcmp(t->status, "error");
			time += t->duration_s;
		}
		fprintf(f, "  <testsuite package=\"forklab\" id=\"%d\" name=\"",
		        i);
		xml(f, e->ex->id, 1);
		fprintf(f, "\" timestamp=\"%s\" hostname=\"", stamp);
		xml(f, host, 1);
		fprintf(f,
		        "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
		        "skipped=\"0\" time=\"%.3f\">\n    <properties>\n",
		        e->ex->ntests, failures, errors, time);
		property(f, "title", e->ex->title);
		property(f, "file", e->file ? e->file : e->ex->file);
		property(f, "status", e->status);
		snprintf(num, sizeof num, "%d", e->score);
		property(f, "score", num);
		snprintf(num, sizeof num, "%d", e->max);
		property(f, "max_score", num);
		fputs("    </properties>\n", f);
		for (int k = 0; k < e->ex->ntests; k++) {
			struct report_test tmp;

			testcase(f, e, k, reportp_row(e, k, &tmp));
		}
		fputs("    <system-out>", f);
		xml(f, e->feedback ? e->feedback : "", 0);
		fputs("</system-out>\n    <system-err></system-err>\n"
		      "  </testsuite>\n",
		      f);
	}
	fputs("</testsuites>\n", f);
	return ferror(f) ? -1 : 0;
}
