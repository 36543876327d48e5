/*
 * course.c - a course's settings: points, visibility, time scale, exercises.
 *
 * Theory of operation. A course file is JSON, read once by jansson (which
 * rejects a syntax error or a duplicate key with its line), then checked
 * key by key against the tables below: a top-level option, an exercise id
 * holding its tests, a test holding "points" and "visibility". The first
 * key that is wrong stops the reading with one line naming the key's path
 * and its line in the file; jansson keeps no positions of values, so that
 * line is found again in the text by a small scanner (key_line). The
 * settings then act in two places: the time scale before grading (a
 * global grade.c reads), points and visibility after it (course_apply),
 * which leaves the grading itself untouched.
 */
#define _GNU_SOURCE
#include "course.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define COURSE_MAX (1 << 20) /* bytes of a course file */
#define POINTS_MAX 1000
#define DEPTH_MAX  64

double course_time_scale = 1.0;

/* Gradescope's visibility levels. */
static const char *const levels[] = { "visible", "hidden", "after_due_date",
	                              "after_published", NULL };

static const char *level(const char *s)
{
	for (int i = 0; s && levels[i]; i++)
		if (!strcmp(s, levels[i]))
			return levels[i];
	return NULL;
}

/* ---- where a key is in the text ---- */

/* The line on which the key at path (n keys, object in object from the
 * top) appears in the JSON text s, or 0. s is valid JSON (jansson said so),
 * so only strings, brackets, colons and commas matter; keys are compared
 * as written, escapes and all. */
static int key_line(const char *s, const char *const *path, int n)
{
	int line = 1, d = 0;
	/* per depth: an object, expecting a key, on the path so far, and
	 * whether the last key read there was on the path */
	char obj[DEPTH_MAX], want_key[DEPTH_MAX], on_path[DEPTH_MAX],
	    key_on[DEPTH_MAX];

	on_path[0] = 1;
	key_on[0] = 1; /* the top value is on the path */
	obj[0] = 0;
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '\n':
			line++;
			break;
		case '{':
		case '[':
			if (d + 1 >= DEPTH_MAX)
				return 0;
			d++;
			obj[d] = *p == '{';
			want_key[d] = obj[d];
			on_path[d] = on_path[d - 1] && key_on[d - 1];
			key_on[d] = 0;
			break;
		case '}':
		case ']':
			if (d > 0)
				d--;
			key_on[d] = 0;
			break;
		case ',':
			want_key[d] = obj[d];
			key_on[d] = 0;
			break;
		case '"': {
			const char *q = p + 1;

			while (*q && *q != '"')
				q += *q == '\\' && q[1] ? 2 : 1;
			if (obj[d] && want_key[d]) {
				size_t len = (size_t)(q - p - 1);

				want_key[d] = 0;
				key_on[d] = on_path[d] && d <= n &&
				            strlen(path[d - 1]) == len &&
				            !memcmp(path[d - 1], p + 1, len);
				if (key_on[d] && d == n)
					return line;
			}
			p = *q ? q : q - 1;
			break;
		}
		}
	}
	return 0;
}

/* ---- reading ---- */

struct reader {
	const char *file, *text;
	struct course *c;
	char *err;
	size_t errlen;
};

/* The error: "FILE:LINE: a.b.c: message". Returns -1. */
__attribute__((format(printf, 4, 5))) static int
fail(struct reader *rd, const char *const *path, int n, const char *fmt, ...)
{
	char key[512] = "", msg[512];
	int line = key_line(rd->text, path, n);
	va_list ap;

	for (int i = 0; i < n; i++)
		snprintf(key + strlen(key), sizeof key - strlen(key), "%s%s",
		         i ? "." : "", path[i]);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line)
		snprintf(rd->err, rd->errlen, "%s:%d: %s: %s", rd->file, line,
		         key, msg);
	else
		snprintf(rd->err, rd->errlen, "%s: %s: %s", rd->file, key, msg);
	return -1;
}

static int opt_time_scale(struct reader *rd, const char *key, json_t *v)
{
	double s = json_number_value(v);

	if (!json_is_number(v) || !isfinite(s) || s < 0.1 || s > 50)
		return fail(rd, &key, 1, "must be a number from 0.1 to 50");
	rd->c->time_scale = s;
	return 0;
}

static int opt_exercises(struct reader *rd, const char *key, json_t *v)
{
	size_t i;
	json_t *x;

	if (!json_is_array(v) || !json_array_size(v))
		return fail(rd, &key, 1,
		            "must be a list of exercise ids (\"01-spawn\", "
		            "...), not empty");
	json_array_foreach(v, i, x)
	{
		const struct cat_exercise *e =
		    json_is_string(x) ? cat_find(json_string_value(x)) : NULL;

		if (!e)
			return fail(rd, &key, 1,
			            "item %zu is not an exercise id (see "
			            "forklab list)",
			            i + 1);
		for (int k = 0; k < rd->c->nsel; k++)
			if (rd->c->sel[k] == e)
				return fail(rd, &key, 1, "%s is listed twice",
				            e->id);
		rd->c->sel[rd->c->nsel++] = e;
	}
	return 0;
}

static int opt_level(struct reader *rd, const char *key, json_t *v,
                     const char **out)
{
	if (!(*out = level(json_string_value(v))))
		return fail(rd, &key, 1,
		            "must be \"visible\", \"hidden\", "
		            "\"after_due_date\" or \"after_published\"");
	return 0;
}

static int opt_visibility(struct reader *rd, const char *key, json_t *v)
{
	return opt_level(rd, key, v, &rd->c->visibility);
}

static int opt_result_visibility(struct reader *rd, const char *key, json_t *v)
{
	return opt_level(rd, key, v, &rd->c->result_visibility);
}

static int opt_stdout_visibility(struct reader *rd, const char *key, json_t *v)
{
	return opt_level(rd, key, v, &rd->c->stdout_visibility);
}

static const struct {
	const char *key;
	int (*read)(struct reader *rd, const char *key, json_t *v);
} options[] = {
	{ "time_scale", opt_time_scale },
	{ "exercises", opt_exercises },
	{ "visibility", opt_visibility },
	{ "result_visibility", opt_result_visibility },
	{ "stdout_visibility", opt_stdout_visibility },
};

/* One test's settings: {"points": N, "visibility": "..."}. */
static int read_test(struct reader *rd, const struct cat_exercise *ex, int k,
                     json_t *v)
{
	const char *path[3] = { ex->id, ex->tests[k].name, NULL };
	struct course_test *t, *n;
	const char *key;
	json_t *x;

	if (!json_is_object(v))
		return fail(rd, path, 2,
		            "must be an object such as {\"points\": 10, "
		            "\"visibility\": \"hidden\"}");
	n = realloc(rd->c->tests, (rd->c->ntests + 1) * sizeof *n);
	if (!n)
		util_die("out of memory");
	rd->c->tests = n;
	t = &n[rd->c->ntests++];
	*t = (struct course_test){ ex, k, -1, NULL };
	json_object_foreach(v, key, x)
	{
		path[2] = key;
		if (!strcmp(key, "points")) {
			json_int_t p = json_integer_value(x);

			if (!json_is_integer(x) || p < 0 || p > POINTS_MAX)
				return fail(rd, path, 3,
				            "must be a whole number from 0 to "
				            "%d",
				            POINTS_MAX);
			t->points = (int)p;
		} else if (!strcmp(key, "visibility")) {
			if (!(t->visibility = level(json_string_value(x))))
				return fail(rd, path, 3,
				            "must be \"visible\", \"hidden\", "
				            "\"after_due_date\" or "
				            "\"after_published\"");
		} else if (key[0] != '_') {
			return fail(rd, path, 3,
			            "unknown key (a test takes \"points\" and "
			            "\"visibility\")");
		}
	}
	return 0;
}

static int read_exercise(struct reader *rd, const struct cat_exercise *ex,
                         json_t *v)
{
	const char *path[2] = { ex->id, NULL };
	const char *key;
	json_t *x;

	if (!json_is_object(v))
		return fail(rd, path, 1,
		            "must be an object of tests (\"%s\": {...})",
		            ex->tests[0].name);
	json_object_foreach(v, key, x)
	{
		int k = 0;

		path[1] = key;
		if (key[0] == '_')
			continue;
		while (k < ex->ntests && strcmp(ex->tests[k].name, key))
			k++;
		if (k == ex->ntests)
			return fail(rd, path, 2,
			            "%s has no test of this name (see forklab "
			            "list)",
			            ex->id);
		if (read_test(rd, ex, k, x) < 0)
			return -1;
	}
	return 0;
}

static int read_course(struct reader *rd, json_t *j)
{
	const char *key;
	json_t *v;

	json_object_foreach(j, key, v)
	{
		const struct cat_exercise *ex = cat_find(key);
		size_t i;

		if (key[0] == '_')
			continue;
		for (i = 0; i < sizeof options / sizeof options[0]; i++)
			if (!strcmp(key, options[i].key))
				break;
		if (i < sizeof options / sizeof options[0]) {
			if (options[i].read(rd, key, v) < 0)
				return -1;
		} else if (ex && !strcmp(ex->id, key)) {
			if (read_exercise(rd, ex, v) < 0)
				return -1;
		} else if (ex) {
			return fail(rd, &key, 1,
			            "an exercise is named by its full id here "
			            "(\"%s\")",
			            ex->id);
		} else {
			return fail(rd, &key, 1,
			            "unknown key (time_scale, exercises, "
			            "visibility, result_visibility, "
			            "stdout_visibility, or an exercise id such "
			            "as 01-spawn)");
		}
	}
	return 0;
}

int course_load(const char *path, struct course *c, char *err, size_t errlen)
{
	struct reader rd = { path, NULL, c, err, errlen };
	json_error_t je;
	json_t *j = NULL;
	char *text;
	size_t len;
	int rc = -1;

	memset(c, 0, sizeof *c);
	c->time_scale = 1.0;
	text = util_slurp(path, COURSE_MAX, &len);
	if (!text) {
		snprintf(err, errlen, "%s: %s", path,
		         errno == EFBIG ? "larger than 1 MiB"
		                        : strerror(errno));
		return -1;
	}
	rd.text = text;
	j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column,
		         je.text);
		goto out;
	}
	if (!json_is_object(j)) {
		snprintf(err, errlen,
		         "%s:1: the course must be a JSON object ({...})",
		         path);
		goto out;
	}
	rc = read_course(&rd, j);
out:
	json_decref(j);
	free(text);
	if (rc < 0)
		course_free(c);
	return rc;
}

/* ---- applying ---- */

void course_apply(const struct course *c, struct report *r)
{
	r->score = r->max = 0;
	r->visibility = c->result_visibility;
	r->stdout_visibility = c->stdout_visibility;
	for (int i = 0; i < r->nex; i++) {
		struct report_exercise *e = &r->ex[i];
		int n = e->ex->ntests;

		free(e->points);
		free(e->visibility);
		e->points = malloc(n * sizeof *e->points);
		e->visibility = calloc(n, sizeof *e->visibility);
		if (!e->points || !e->visibility)
			util_die("out of memory");
		for (int k = 0; k < n; k++) {
			e->points[k] = e->ex->tests[k].points;
			e->visibility[k] = c->visibility;
		}
		for (int t = 0; t < c->ntests; t++) {
			const struct course_test *o = &c->tests[t];

			if (o->ex != e->ex)
				continue;
			if (o->points >= 0)
				e->points[o->test] = o->points;
			if (o->visibility)
				e->visibility[o->test] = o->visibility;
		}
		e->score = e->max = 0;
		for (int k = 0; k < n; k++) {
			e->max += e->points[k];
			if (k >= e->ntests || !e->tests[k].t)
				continue;
			/* A test scores all of its points or none. */
			e->tests[k].score =
			    !strcmp(e->tests[k].status, "passed") ? e->points[k]
			                                          : 0;
			e->score += e->tests[k].score;
		}
		r->score += e->score;
		r->max += e->max;
	}
}

void course_free(struct course *c)
{
	free(c->tests);
	c->tests = NULL;
	c->ntests = 0;
}
