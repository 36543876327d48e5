/*
 * report_text.c - the report a person reads in a terminal.
 *
 * A line per test; under each failure what was expected, what was observed
 * and a hint, then the timeline of its run drawn in text: a row per process
 * on a shared time axis ([ created, n named, e an event, ! a signal, ] ended,
 * X killed), and below it what happened, in order. What a student wrote may
 * hold terminal escapes: control bytes are shown as \xNN, never sent raw.
 */
#define _GNU_SOURCE
#include "report_private.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define AXIS      50 /* columns of a timeline's time axis */
#define LIST_HEAD 25 /* marks listed from the start of a long timeline */
#define LIST_TAIL 15 /* and from its end */

static const char *paint(int color, const char *code)
{
	return color ? code : "";
}

/* Print s[0..n) with control characters (C0 but tab, DEL, C1) as \xNN. */
static void put_safe(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f) {
			fprintf(f, "\\u%04x", p[i + 1]);
			i++;
		} else if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f) {
			fprintf(f, "\\x%02x", p[i]);
		} else {
			fputc(p[i], f);
		}
	}
}

/* Print s with every line indented. */
static void indented(FILE *f, const char *s, const char *pad)
{
	const char *p = s, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		fputs(pad, f);
		put_safe(f, p, nl ? (size_t)(nl - p) : strlen(p));
		fputc('\n', f);
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* The window [from, to] of a timeline mapped on AXIS columns. */
struct window {
	double from, to;
};

static int column(const struct window *w, double t)
{
	int c = (int)((t - w->from) / (w->to - w->from) * (AXIS - 1) + 0.5);

	return c < 0 ? 0 : c >= AXIS ? AXIS - 1 : c;
}

static int inside(const struct window *w, double t)
{
	return t >= w->from && t <= w->to;
}

/* A mark drawn on a row; later kinds win a shared column, but a start or an
 * end (or the edge of the window) is never hidden by what happened in the
 * same instant. */
static void draw(char *row, int c, char ch)
{
	if (strchr("[]X<>", row[c]))
		return;
	row[c] = ch;
}

static void timeline_rows(FILE *f, json_t *tl, const struct window *w,
                          int main_pid, const char *pad)
{
	static const char *const sym = "[ne!]";
	struct reportp_mark *m;
	size_t i;
	json_t *p;
	int n;

	m = reportp_marks(tl, &n);
	fprintf(f, "%s%-7s %-7s|%.1f ms%*.1f ms|\n", pad, "pid", "parent",
	        w->from * 1000,
	        AXIS - 6 - (int)snprintf(NULL, 0, "%.1f", w->from * 1000),
	        w->to * 1000);
	json_array_foreach(json_object_get(tl, "procs"), i, p)
	{
		int pid = (int)json_integer_value(json_object_get(p, "pid"));
		json_t *end = json_object_get(p, "end_s"), *names;
		double t0 = json_number_value(json_object_get(p, "start_s")),
		       t1 = json_is_number(end) ? json_number_value(end) : -1;
		long code = json_integer_value(json_object_get(p, "exit_code"));
		int from = column(w, t0),
		    to = t1 < 0 ? AXIS - 1 : column(w, t1);
		const char *name = NULL;
		char row[AXIS + 1];

		memset(row, ' ', AXIS);
		row[AXIS] = '\0';
		if (t0 <= w->to && (t1 < 0 || t1 >= w->from)) {
			for (int c = from; c <= to; c++)
				row[c] = '=';
			row[from] = t0 < w->from ? '<' : '[';
			if (t1 < 0 || t1 > w->to)
				row[to] = '>';
			else
				row[to] = code < 0 ? 'X' : ']';
		}
		for (int k = 0; k < n; k++)
			if (m[k].pid == pid && m[k].kind != MARK_START &&
			    m[k].kind != MARK_END && inside(w, m[k].t))
				draw(row, column(w, m[k].t), sym[m[k].kind]);
		names = json_object_get(p, "names");
		if (json_array_size(names))
			name = json_string_value(json_object_get(
			    json_array_get(names, json_array_size(names) - 1),
			    "name"));
		fprintf(f, "%s%-7d ", pad, pid);
		if (pid == main_pid)
			fprintf(f, "%-7s", "-");
		else
			fprintf(f, "%-7d",
			        (int)json_integer_value(
			            json_object_get(p, "ppid")));
		fprintf(f, "|%s| ", row);
		if (t1 < 0)
			fputs("never ended", f);
		else if (code < 0)
			fprintf(f, "signal %ld at %.1f ms", -code, t1 * 1000);
		else
			fprintf(f, "exit %ld at %.1f ms", code, t1 * 1000);
		if (pid == main_pid)
			fputs(", the caller", f);
		if (name) {
			fputs(", \"", f);
			put_safe(f, name, strlen(name));
			fputc('"', f);
		}
		fputc('\n', f);
	}
	free(m);
}

static void timeline_list(FILE *f, json_t *tl, int main_pid, const char *pad)
{
	struct reportp_mark *m;
	int n;

	m = reportp_marks(tl, &n);
	for (int k = 0; k < n; k++) {
		char *s;

		if (n > LIST_HEAD + LIST_TAIL && k == LIST_HEAD) {
			fprintf(f, "%s  ... %d more ...\n", pad,
			        n - LIST_HEAD - LIST_TAIL);
			k = n - LIST_TAIL;
		}
		s = reportp_mark_text(&m[k], main_pid);
		fprintf(f, "%s%9.1f ms  %-7d ", pad, m[k].t * 1000, m[k].pid);
		put_safe(f, s, strlen(s));
		fputc('\n', f);
		free(s);
	}
	free(m);
}

static void timeline(FILE *f, json_t *tl, const char *dim, const char *off)
{
	int main_pid = (int)json_integer_value(json_object_get(tl, "main"));
	long procs = json_integer_value(json_object_get(tl, "procs_total"));
	long events = json_integer_value(json_object_get(tl, "events_total"));
	const char *pad = "        ";
	struct window w;

	if (!json_array_size(json_object_get(tl, "procs")))
		return;
	fprintf(f,
	        "      %stimeline of the run ([ created, n renamed, e event, "
	        "! signal, ] exited, X killed, < > beyond the window):%s\n",
	        dim, off);
	reportp_window(tl, &w.from, &w.to);
	timeline_rows(f, tl, &w, main_pid, pad);
	if ((size_t)procs > json_array_size(json_object_get(tl, "procs")))
		fprintf(f, "%s(%ld processes in all; the first %zu shown)\n",
		        pad, procs,
		        json_array_size(json_object_get(tl, "procs")));
	fprintf(f, "      %swhat happened, in order:%s\n", dim, off);
	timeline_list(f, tl, main_pid, pad);
	if ((size_t)events > json_array_size(json_object_get(tl, "events")))
		fprintf(f, "%s(%ld events in all; the first %zu kept)\n", pad,
		        events, json_array_size(json_object_get(tl, "events")));
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
			const char *vis = report_visibility(e, k);
			int ok = !strcmp(t->status, "passed");

			fprintf(f,
			        "  %s%-7s%s check %d  %-26s %3d/%-3d %s%.2fs%s",
			        ok ? green : red, ok ? "PASS" : t->status, off,
			        t->t->check, t->t->name, t->score,
			        report_points(e, k), dim, t->duration_s, off);
			if (strcmp(vis, "visible"))
				fprintf(f, "  %s(students: %s)%s", dim, vis,
				        off);
			fputc('\n', f);
			if ((!ok || t->t->rule == FL_INFO) && t->feedback &&
			    *t->feedback)
				indented(f, t->feedback, "      ");
			if (!ok && t->timeline)
				timeline(f, t->timeline, dim, off);
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

int reportp_text(const struct report *r, FILE *f)
{
	report_text(f, r, 0);
	return ferror(f) ? -1 : 0;
}
