/*
 * report.c - the one result model, and the formats that render it.
 *
 * Theory of operation. grade.c fills one struct report (a course file may
 * then change points and visibility, course.c); every output format is a
 * writer of that same model, one file each (report_json.c, report_text.c,
 * report_gradescope.c, report_prairielearn.c, report_junit.c, report_tap.c,
 * report_html.c), chosen by name from the table below. Nothing a writer
 * prints comes from anywhere but the model, and what a student wrote or
 * printed reaches the model only through util_utf8(), cut and made valid;
 * each writer then escapes it for its own syntax. A report on disk is
 * written to a temporary file and renamed into place, so a reader sees the
 * old report or the whole new one, never a part.
 */
#define _GNU_SOURCE
#include "report_private.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* The formats: a name and its writer, in the order they are listed. */
#define FORMATS                                                                \
	X(json)                                                                \
	X(gradescope)                                                          \
	X(prairielearn)                                                        \
	X(junit)                                                               \
	X(tap)                                                                 \
	X(text)                                                                \
	X(html)

static const struct {
	const char *name;
	int (*write)(const struct report *r, FILE *f);
} formats[] = {
#define X(name) { #name, reportp_##name },
	FORMATS
#undef X
};
#define NFORMATS (sizeof formats / sizeof formats[0])

const char *const report_formats[] = {
#define X(name) #name,
	FORMATS
#undef X
	    NULL
};

int report_write(const struct report *r, const char *format, FILE *f)
{
	for (size_t i = 0; i < NFORMATS; i++) {
		if (strcmp(format, formats[i].name))
			continue;
		errno = 0;
		if (formats[i].write(r, f) < 0 || ferror(f)) {
			if (!errno)
				errno = EIO;
			return -1;
		}
		return 0;
	}
	errno = EINVAL;
	return -1;
}

struct format_arg {
	const struct report *r;
	const char *format;
};

static int write_format(FILE *f, const void *arg)
{
	const struct format_arg *a = arg;

	return report_write(a->r, a->format, f);
}

int report_write_file(const struct report *r, const char *format,
                      const char *path)
{
	struct format_arg a = { r, format };

	/* An unknown format must not leave a file behind, nor replace one. */
	for (size_t i = 0; i < NFORMATS; i++)
		if (!strcmp(format, formats[i].name))
			return util_write_atomic(path, write_format, &a);
	errno = EINVAL;
	return -1;
}

static int write_json(FILE *f, const void *j)
{
	if (json_dumpf(j, f, JSON_INDENT(2) | JSON_ENSURE_ASCII) < 0 ||
	    fputc('\n', f) == EOF)
		return -1;
	return 0;
}

int report_write_json(const char *path, json_t *j)
{
	return util_write_atomic(path, write_json, j);
}

int reportp_json(const struct report *r, FILE *f)
{
	json_t *j = report_json(r);
	int rc = write_json(f, j);

	json_decref(j);
	return rc;
}

/* ---- the model ---- */

int report_points(const struct report_exercise *e, int k)
{
	return e->points ? e->points[k] : e->ex->tests[k].points;
}

const char *report_visibility(const struct report_exercise *e, int k)
{
	return e->visibility && e->visibility[k] ? e->visibility[k] : "visible";
}

int report_gradable(const struct report *r)
{
	for (int i = 0; i < r->nex; i++)
		if (!strcmp(r->ex[i].status, "graded"))
			return 1;
	return 0;
}

const struct report_test *reportp_row(const struct report_exercise *e, int k,
                                      struct report_test *tmp)
{
	if (k < e->ntests && e->tests[k].t)
		return &e->tests[k];
	*tmp = (struct report_test){
		.t = &e->ex->tests[k],
		.status = strcmp(e->status, "graded") ? e->status : "error",
		.feedback = e->feedback ? e->feedback : "",
	};
	return tmp;
}

int reportp_exno(const struct cat_exercise *ex)
{
	return atoi(ex->id);
}

void reportp_first_line(const char *s, char *buf, size_t max)
{
	size_t n = strcspn(s, "\n");

	if (n > max) {
		n = max;
		/* never split a UTF-8 sequence */
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* ---- timelines ---- */

static int mark_cmp(const void *a, const void *b)
{
	const struct reportp_mark *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return x->pid - y->pid;
}

static void push(struct reportp_mark **m, int *n, int *cap,
                 struct reportp_mark v)
{
	if (*n == *cap) {
		int c = *cap ? 2 * *cap : 64;
		struct reportp_mark *nm = realloc(*m, c * sizeof *nm);

		if (!nm)
			util_die("out of memory");
		*m = nm;
		*cap = c;
	}
	(*m)[(*n)++] = v;
}

static double num(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

struct reportp_mark *reportp_marks(json_t *tl, int *n)
{
	struct reportp_mark *m = NULL;
	int cap = 0;
	size_t i, k;
	json_t *p, *x;

	*n = 0;
	json_array_foreach(json_object_get(tl, "procs"), i, p)
	{
		int pid = (int)num(p, "pid");

		json_t *names = json_object_get(p, "names");

		push(&m, n, &cap,
		     (struct reportp_mark){
		         num(p, "start_s"), pid, MARK_START,
		         (long)num(p, "ppid"),
		         json_string_value(json_object_get(
		             json_array_get(names, 0), "name")) });
		/* The first name is the one it was born with (its parent's):
		 * shown with its creation, not as a renaming. */
		json_array_foreach(names, k, x) if (k > 0)
		    push(&m, n, &cap,
		         (struct reportp_mark){
		             num(x, "t"), pid, MARK_NAME, 0,
		             json_string_value(json_object_get(x, "name")) });
		json_array_foreach(json_object_get(p, "signals"), k, x)
		    push(&m, n, &cap,
		         (struct reportp_mark){ num(x, "t"), pid, MARK_SIGNAL,
		                                (long)num(x, "signo"), NULL });
		if (json_is_number(json_object_get(p, "end_s")))
			push(&m, n, &cap,
			     (struct reportp_mark){
			         num(p, "end_s"), pid, MARK_END,
			         (long)num(p, "exit_code"), NULL });
	}
	json_array_foreach(json_object_get(tl, "events"), i, x)
	    push(&m, n, &cap,
	         (struct reportp_mark){
	             num(x, "t"), (int)num(x, "pid"), MARK_EVENT, 0,
	             json_string_value(json_object_get(x, "text")) });
	if (*n)
		qsort(m, *n, sizeof *m, mark_cmp);
	return m;
}

char *reportp_mark_text(const struct reportp_mark *m, int main_pid)
{
	const char *abbrev;

	switch (m->kind) {
	case MARK_START:
		if (m->pid == main_pid)
			return util_fmt("starts: the test's caller");
		return util_fmt("created by %ld%s%s%s%s", m->num,
		                m->num == main_pid ? " (the caller)" : "",
		                m->text ? ", named \"" : "",
		                m->text ? m->text : "", m->text ? "\"" : "");
	case MARK_NAME:
		return util_fmt("renamed \"%s\"", m->text ? m->text : "");
	case MARK_EVENT:
		return util_fmt("says: %s", m->text ? m->text : "");
	case MARK_SIGNAL:
		abbrev = sigabbrev_np((int)m->num);
		return util_fmt("receives signal %ld (SIG%s)", m->num,
		                abbrev ? abbrev : "?");
	case MARK_END:
		if (m->num < 0) {
			abbrev = sigabbrev_np((int)-m->num);
			return util_fmt("killed by signal %ld (SIG%s)", -m->num,
			                abbrev ? abbrev : "?");
		}
		return util_fmt("exits with %ld", m->num);
	}
	return util_fmt("?");
}

void reportp_window(json_t *tl, double *from, double *to)
{
	int main_pid = (int)num(tl, "main"), n;
	struct reportp_mark *m = reportp_marks(tl, &n);
	double span = num(tl, "wall_s"), a = -1, b = 0, w;

	for (int k = 0; k < n; k++) {
		if (m[k].t > span)
			span = m[k].t;
		if (m[k].pid == main_pid && m[k].kind != MARK_EVENT)
			continue;
		if (a < 0)
			a = m[k].t;
		b = m[k].t;
	}
	free(m);
	if (span <= 0)
		span = 0.001;
	if (a < 0) {
		*from = 0;
		*to = span;
		return;
	}
	w = b - a < 0.001 ? 0.001 : b - a;
	*from = a - w / 10 < 0 ? 0 : a - w / 10;
	*to = b + w / 10 > span ? span : b + w / 10;
	if (*to <= *from)
		*to = *from + 0.001;
}

void report_free(struct report *r)
{
	for (int i = 0; i < r->nex; i++) {
		for (int k = 0; k < r->ex[i].ntests; k++) {
			free(r->ex[i].tests[k].feedback);
			json_decref(r->ex[i].tests[k].timeline);
		}
		free(r->ex[i].tests);
		free(r->ex[i].feedback);
		free(r->ex[i].file);
		free(r->ex[i].points);
		free(r->ex[i].visibility);
	}
	free(r->ex);
	memset(r, 0, sizeof *r);
}
