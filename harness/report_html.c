/*
 * report_html.c - one self-contained HTML page: the scores, the feedback,
 * and for each test not passed the timeline of its run drawn as inline SVG
 * (a row per process on a shared time axis: its life as a bar, a line from
 * its parent where it was created, marks where it was named, spoke and was
 * signalled), with the same events listed below it.
 *
 * Self-contained: the CSS is inline, there is no script and no external
 * reference at all, so the page opens the same from an LMS, a mail or a
 * disk. Everything that comes from the model is escaped here (& < > " '),
 * and control characters are shown as \xNN.
 */
#define _GNU_SOURCE
#include "report_private.h"

#include <string.h>
#include <time.h>

#include "util.h"

/* The geometry of a timeline, in SVG user units. */
#define TL_WIDTH  1000
#define TL_LABEL  190 /* the column of pids and names */
#define TL_RIGHT  24
#define TL_ROW    24
#define TL_TOP    30
#define LIST_HEAD 200 /* marks listed from the start of a long timeline */
#define LIST_TAIL 50  /* and from its end */

static const char css[] =
    ":root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--mute:#57606a;"
    "--line:#d0d7de;--bg:#f6f8fa;--acc:#0969da}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',"
    "Roboto,'Helvetica Neue',Arial,sans-serif;color:#1f2328;"
    "background:#fff}"
    "main{max-width:1160px;margin:0 auto;padding:28px 24px 60px}"
    "header{display:flex;align-items:center;gap:28px;padding:20px 24px;"
    "border:1px solid var(--line);border-radius:12px;background:var(--bg)}"
    "header h1{margin:0;font-size:22px}"
    ".sub{color:var(--mute);font-size:13px;word-break:break-all}"
    ".total{margin-left:auto;text-align:right}"
    ".total b{font-size:34px}"
    ".bar{height:8px;border-radius:4px;background:#eaeef2;overflow:hidden;"
    "min-width:120px}"
    ".bar i{display:block;height:100%;background:var(--ok)}"
    ".bar.low i{background:var(--bad)}.bar.mid i{background:var(--warn)}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{padding:7px 10px;border-bottom:1px solid var(--line);"
    "text-align:left;vertical-align:top}"
    "th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;"
    "color:var(--mute)}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}"
    ".summary{margin:22px 0 8px}"
    ".summary td a{color:inherit;text-decoration:none;font-weight:600}"
    "section{margin-top:34px}"
    "section h2{font-size:18px;margin:0 0 4px;display:flex;gap:12px;"
    "align-items:baseline}"
    "section h2 .pts{margin-left:auto;font-size:15px;color:var(--mute)}"
    ".badge{display:inline-block;padding:1px 9px;border-radius:999px;"
    "font-size:12px;font-weight:600;color:#fff;background:var(--mute);"
    "white-space:nowrap}"
    ".badge.passed,.badge.graded{background:var(--ok)}"
    ".badge.failed,.badge.crashed,.badge.compile_error,.badge.invalid"
    "{background:var(--bad)}"
    ".badge.timeout{background:var(--warn)}"
    ".badge.error{background:#8250df}"
    ".badge.vis{background:#eaeef2;color:var(--mute)}"
    "pre{margin:8px 0;padding:10px 12px;background:var(--bg);"
    "border:1px solid var(--line);border-radius:8px;white-space:pre-wrap;"
    "word-break:break-word;font:13px/1.45 ui-monospace,SFMono-Regular,"
    "Menlo,Consolas,monospace}"
    "tr.fail>td{background:#fff8f8}"
    ".detail td{background:#fff;padding:4px 10px 18px 34px}"
    ".desc{color:var(--mute);font-size:13px}"
    "h4{margin:14px 0 4px;font-size:13px;color:var(--mute)}"
    "svg.tl{width:100%;height:auto;border:1px solid var(--line);"
    "border-radius:8px;background:#fff}"
    ".tl text{font:12px ui-monospace,Menlo,Consolas,monospace;"
    "fill:#1f2328}"
    ".tl .axis{stroke:#d0d7de;stroke-width:1}"
    ".tl .tick{fill:var(--mute);font-size:11px}"
    ".tl .life{fill:#8fb8ee}.tl .life.ok{fill:#9ad6a8}"
    ".tl .life.bad{fill:#f3a5a9}.tl .life.open{fill:#d0d7de}"
    ".tl .fork{stroke:#8c959f;stroke-width:1;stroke-dasharray:3 2}"
    ".tl .name{fill:var(--acc)}.tl .ev{fill:#bf8700;stroke:#fff}"
    ".tl .sig{fill:var(--bad)}.tl .end{stroke:#1f2328;stroke-width:2}"
    ".legend{font-size:12px;color:var(--mute);margin:4px 0 0}"
    ".legend span{margin-right:14px}"
    "details{margin-top:6px}summary{cursor:pointer;color:var(--acc);"
    "font-size:13px}"
    "table.events td{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;"
    "padding:2px 10px;border:0}"
    "footer{margin-top:40px;color:var(--mute);font-size:12px}";

/* s escaped for HTML text and attribute values alike. */
static void esc(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			if ((*p < 0x20 && *p != '\n' && *p != '\t') ||
			    *p == 0x7f) {
				fprintf(f, "\\x%02x", *p);
			} else if (p[0] == 0xef && p[1] == 0xbf &&
			           (p[2] == 0xbe || p[2] == 0xbf)) {
				/* noncharacters: a parse error in HTML */
				fputs(p[2] == 0xbe ? "\\ufffe" : "\\uffff", f);
				p += 2;
			} else {
				fputc(*p, f);
			}
		}
	}
}

static const char *bar_class(int score, int max)
{
	if (max <= 0 || score * 10 >= max * 9)
		return "bar";
	return score * 2 >= max ? "bar mid" : "bar low";
}

static void bar(FILE *f, int score, int max)
{
	fprintf(f, "<div class=\"%s\"><i style=\"width:%.1f%%\"></i></div>",
	        bar_class(score, max), max > 0 ? 100.0 * score / max : 0.0);
}

static void badge(FILE *f, const char *status)
{
	fputs("<span class=\"badge ", f);
	esc(f, status);
	fputs("\">", f);
	for (const char *p = status; *p; p++)
		fputc(*p == '_' ? ' ' : *p, f);
	fputs("</span>", f);
}

/* ---- the timeline, as SVG ---- */

/* The window [from, to] of the run drawn, over rows processes. */
struct axis {
	double from, to;
	int rows;
};

static double x_of(const struct axis *a, double t)
{
	double w = TL_WIDTH - TL_LABEL - TL_RIGHT;

	if (t < a->from)
		t = a->from;
	if (t > a->to)
		t = a->to;
	return TL_LABEL + (t - a->from) / (a->to - a->from) * w;
}

static int row_of(json_t *procs, int pid)
{
	size_t i;
	json_t *p;

	json_array_foreach(procs, i, p)
	{
		if (json_integer_value(json_object_get(p, "pid")) == pid)
			return (int)i;
	}
	return -1;
}

static double y_of(int row)
{
	return TL_TOP + row * TL_ROW + TL_ROW / 2.0;
}

static void svg_axis(FILE *f, const struct axis *a, int height)
{
	for (int k = 0; k <= 4; k++) {
		double t = a->from + (a->to - a->from) * k / 4, x = x_of(a, t);

		fprintf(
		    f,
		    "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\"/><text class=\"tick\" x=\"%.1f\" y=\"18\" "
		    "text-anchor=\"%s\">%.1f ms</text>\n",
		    x, TL_TOP - 6, x, height - 6, x,
		    k == 0   ? "start"
		    : k == 4 ? "end"
		             : "middle",
		    t * 1000);
	}
}

static void svg_proc(FILE *f, const struct axis *a, json_t *p, int row,
                     int main_pid, json_t *procs)
{
	int pid = (int)json_integer_value(json_object_get(p, "pid")),
	    ppid = (int)json_integer_value(json_object_get(p, "ppid")),
	    prow = row_of(procs, ppid);
	json_t *end = json_object_get(p, "end_s"),
	       *names = json_object_get(p, "names");
	double t0 = json_number_value(json_object_get(p, "start_s")),
	       t1 = json_is_number(end) ? json_number_value(end) : a->to,
	       x0 = x_of(a, t0), x1 = x_of(a, t1), y = y_of(row);
	long code = json_integer_value(json_object_get(p, "exit_code"));
	const char *cls = !json_is_number(end) ? "open"
	                  : code == 0          ? "ok"
	                                       : "bad";
	const char *name = NULL;

	if (json_array_size(names))
		name = json_string_value(json_object_get(
		    json_array_get(names, json_array_size(names) - 1), "name"));
	fprintf(f, "<text x=\"6\" y=\"%.1f\">%d", y + 4, pid);
	if (pid == main_pid)
		fputs(" caller", f);
	else if (name) {
		char cut[19];

		reportp_first_line(name, cut, 18);
		fputs(" ", f);
		esc(f, cut);
	}
	fputs("</text>\n", f);
	if (t0 > a->to || t1 < a->from)
		return; /* its life is outside the window */
	if (prow >= 0 && pid != main_pid && t0 >= a->from)
		fprintf(f,
		        "<line class=\"fork\" x1=\"%.1f\" y1=\"%.1f\" "
		        "x2=\"%.1f\" y2=\"%.1f\"/>\n",
		        x0, y_of(prow), x0, y);
	fprintf(f,
	        "<rect class=\"life %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	        "height=\"12\" rx=\"3\"><title>pid %d, parent %d: %.1f to "
	        "%.1f ms, ",
	        cls, x0, y - 6, x1 - x0 < 2 ? 2 : x1 - x0, pid, ppid, t0 * 1000,
	        t1 * 1000);
	if (!json_is_number(end))
		fputs("never ended", f);
	else if (code < 0)
		fprintf(f, "killed by signal %ld", -code);
	else
		fprintf(f, "exit %ld", code);
	fputs("</title></rect>\n", f);
	if (json_is_number(end) && t1 <= a->to && code < 0)
		fprintf(f, /* killed: a cross */
		        "<path class=\"end\" d=\"M%.1f %.1fl10 10m0 -10l-10 "
		        "10\"/>\n",
		        x1 - 5, y - 5);
	else if (json_is_number(end) && t1 <= a->to)
		fprintf(
		    f,
		    "<line class=\"end\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\"/>\n",
		    x1, y - 8, x1, y + 8);
}

static void svg_mark(FILE *f, const struct axis *a,
                     const struct reportp_mark *m, int row, int main_pid)
{
	double x = x_of(a, m->t), y = y_of(row);
	char *s = reportp_mark_text(m, main_pid);

	switch (m->kind) {
	case MARK_NAME:
		fprintf(f,
		        "<path class=\"name\" d=\"M%.1f %.1fl5 5-5 5-5-5z\">",
		        x, y - 5);
		break;
	case MARK_EVENT:
		fprintf(
		    f,
		    "<circle class=\"ev\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\">",
		    x, y);
		break;
	case MARK_SIGNAL:
		fprintf(f, "<path class=\"sig\" d=\"M%.1f %.1fl6 -10h-12z\">",
		        x, y - 1);
		break;
	default:
		free(s);
		return;
	}
	fprintf(f, "<title>%.1f ms, pid %d ", m->t * 1000, m->pid);
	esc(f, s);
	fputs("</title>", f);
	fputs(m->kind == MARK_EVENT    ? "</circle>\n"
	      : m->kind == MARK_SIGNAL ? "</path>\n"
	                               : "</path>\n",
	      f);
	free(s);
}

static void timeline(FILE *f, json_t *tl)
{
	json_t *procs = json_object_get(tl, "procs"), *p;
	int main_pid = (int)json_integer_value(json_object_get(tl, "main"));
	struct axis a = { 0, 0, (int)json_array_size(procs) };
	int height = TL_TOP + a.rows * TL_ROW + 10, n;
	struct reportp_mark *m;
	size_t i;

	if (!a.rows)
		return;
	reportp_window(tl, &a.from, &a.to);
	fprintf(f,
	        "<h4>timeline of the run: %.1f to %.1f ms of %.1f ms</h4>\n"
	        "<svg class=\"tl\" viewBox=\"0 0 %d %d\" role=\"img\" "
	        "aria-label=\"timeline of the processes\">\n",
	        a.from * 1000, a.to * 1000,
	        json_number_value(json_object_get(tl, "wall_s")) * 1000,
	        TL_WIDTH, height);
	svg_axis(f, &a, height);
	json_array_foreach(procs, i, p)
	    svg_proc(f, &a, p, (int)i, main_pid, procs);
	m = reportp_marks(tl, &n);
	for (int k = 0; k < n; k++) {
		int row = row_of(procs, m[k].pid);

		if (row >= 0 && m[k].t >= a.from && m[k].t <= a.to)
			svg_mark(f, &a, &m[k], row, main_pid);
	}
	fputs("</svg>\n<p class=\"legend\"><span>bar: alive (green: exit 0, "
	      "red: failed or killed, grey: never ended)</span><span>| exited"
	      "</span><span>&#10005; killed</span><span>dashed: "
	      "created by</span><span>&#9670; renamed</span><span>&#9679; "
	      "event</span><span>&#9660; signal</span></p>\n",
	      f);
	if ((size_t)json_integer_value(json_object_get(tl, "procs_total")) >
	    (size_t)a.rows)
		fprintf(f,
		        "<p class=\"legend\">%lld processes in all; the "
		        "first %d shown</p>\n",
		        json_integer_value(json_object_get(tl, "procs_total")),
		        a.rows);
	fprintf(f,
	        "<details><summary>what happened, in order (%d)</summary>"
	        "<table class=\"events\">\n",
	        n);
	for (int k = 0; k < n; k++) {
		char *s;

		if (n > LIST_HEAD + LIST_TAIL && k == LIST_HEAD) {
			fprintf(f,
			        "<tr><td></td><td></td><td>... %d more ..."
			        "</td></tr>\n",
			        n - LIST_HEAD - LIST_TAIL);
			k = n - LIST_TAIL;
		}
		s = reportp_mark_text(&m[k], main_pid);
		fprintf(f, "<tr><td class=\"num\">%.1f ms</td><td>%d</td><td>",
		        m[k].t * 1000, m[k].pid);
		esc(f, s);
		fputs("</td></tr>\n", f);
		free(s);
	}
	fputs("</table></details>\n", f);
	free(m);
}

/* ---- the page ---- */

static void exercise(FILE *f, const struct report_exercise *e)
{
	fprintf(f, "<section id=\"ex-");
	esc(f, e->ex->id);
	fputs("\"><h2>", f);
	esc(f, e->ex->id);
	fputs(" <small class=\"desc\">", f);
	esc(f, e->ex->title);
	fputs(" &middot; ", f);
	esc(f, e->file ? e->file : e->ex->file);
	fputs("</small> ", f);
	badge(f, e->status);
	fprintf(f, "<span class=\"pts\">%d / %d</span></h2>\n", e->score,
	        e->max);
	if (e->feedback && *e->feedback) {
		fputs("<pre>", f);
		esc(f, e->feedback);
		fputs("</pre>\n", f);
	}
	if (!e->ntests) {
		fputs("</section>\n", f);
		return;
	}
	fputs("<table><tr><th>check</th><th>test</th><th>status</th>"
	      "<th class=\"num\">points</th><th class=\"num\">time</th></tr>\n",
	      f);
	for (int k = 0; k < e->ntests; k++) {
		const struct report_test *t = &e->tests[k];
		const char *vis = report_visibility(e, k);
		int ok = !strcmp(t->status, "passed");

		fprintf(f, "<tr%s><td>%d</td><td><b>",
		        ok ? "" : " class=\"fail\"", t->t->check);
		esc(f, t->t->name);
		fputs("</b><br><span class=\"desc\">", f);
		esc(f, t->t->text);
		fputs("</span></td><td>", f);
		badge(f, t->status);
		if (strcmp(vis, "visible")) {
			fputs(" <span class=\"badge vis\">students: ", f);
			esc(f, vis);
			fputs("</span>", f);
		}
		fprintf(f,
		        "</td><td class=\"num\">%d / %d</td><td "
		        "class=\"num\">%.2f s</td></tr>\n",
		        t->score, report_points(e, k), t->duration_s);
		if (ok &&
		    !(t->t->rule == FL_INFO && t->feedback && *t->feedback))
			continue;
		fputs("<tr class=\"detail\"><td colspan=\"5\"><pre>", f);
		esc(f, t->feedback);
		fputs("</pre>\n", f);
		if (!ok && t->timeline)
			timeline(f, t->timeline);
		fputs("</td></tr>\n", f);
	}
	fputs("</table></section>\n", f);
}

int reportp_html(const struct report *r, FILE *f)
{
	char stamp[64];
	time_t now = time(NULL);
	struct tm tm;

	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M UTC",
	         gmtime_r(&now, &tm));
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	      "charset=\"utf-8\">\n<meta name=\"viewport\" "
	      "content=\"width=device-width,initial-scale=1\">\n"
	      "<link rel=\"icon\" href=\"data:,\">\n<title>forklab report: ",
	      f);
	fprintf(f, "%d/%d</title>\n<style>%s</style></head>\n<body><main>\n",
	        r->score, r->max, css);
	fputs("<header><div><h1>forklab report</h1><div class=\"sub\">", f);
	esc(f, r->submission);
	fprintf(f,
	        "</div><div class=\"sub\">graded %s in %.1f s</div></div>"
	        "<div class=\"total\"><b>%d</b> / %d",
	        stamp, r->wall_s, r->score, r->max);
	bar(f, r->score, r->max);
	fputs("</div></header>\n", f);
	if (r->faults)
		fprintf(f,
		        "<p><span class=\"badge error\">forklab</span> could "
		        "not run %d test(s); this is not the submission's "
		        "fault</p>\n",
		        r->faults);
	fputs("<table class=\"summary\"><tr><th>exercise</th><th>status</th>"
	      "<th class=\"num\">points</th><th></th></tr>\n",
	      f);
	for (int i = 0; i < r->nex; i++) {
		const struct report_exercise *e = &r->ex[i];

		fputs("<tr><td><a href=\"#ex-", f);
		esc(f, e->ex->id);
		fputs("\">", f);
		esc(f, e->ex->id);
		fputs("</a> <span class=\"desc\">", f);
		esc(f, e->ex->title);
		fputs("</span></td><td>", f);
		badge(f, e->status);
		fprintf(f, "</td><td class=\"num\">%d / %d</td><td>", e->score,
		        e->max);
		bar(f, e->score, e->max);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	for (int i = 0; i < r->nex; i++)
		exercise(f, &r->ex[i]);
	fputs("<footer>written by forklab; process counts, names, signals "
	      "and exit codes are the kernel's record of each run.</footer>\n"
	      "</main></body></html>\n",
	      f);
	return ferror(f) ? -1 : 0;
}
