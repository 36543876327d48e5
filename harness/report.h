/* report.h - the one result model, and the formats that render it. */
#ifndef FORKLAB_REPORT_H
#define FORKLAB_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "catalog.h"

struct report_test {
	const struct fl_test *t;
	const char *status; /* passed, failed, timeout, crashed, error */
	int score;
	char *feedback; /* UTF-8, cut; may be "" */
	double duration_s;
	json_t *timeline; /* owned; NULL, or for a test not passed: the
	                     processes and events of its run (judge.c) */
};

/* The fields after ntests come from a course file (course.c); NULL means
 * the sheet's defaults, so a result built without one stays valid. */

struct report_exercise {
	const struct cat_exercise *ex;
	const char *status; /* graded, not_submitted, compile_error, invalid */
	int score, max;
	char *feedback; /* why not graded, or compiler warnings */
	char *file;     /* the file graded, relative to the submission */
	struct report_test *tests; /* [k]: test k of the sheet, if graded */
	int ntests;
	int *points;             /* owned; per test of the sheet: max score */
	const char **visibility; /* owned array; per test: Gradescope's level */
};

struct report {
	const char *submission;
	struct report_exercise *ex;
	int nex;
	int score, max;
	double wall_s;
	int faults;                    /* tests forklab itself failed to run */
	const char *visibility;        /* Gradescope's, whole result; NULL: */
	const char *stdout_visibility; /* "visible" and "hidden" */
};

/* The formats, by name, in the order `forklab grade --help` lists them. */
extern const char *const report_formats[];

/* Render r in format ("json", "gradescope", "prairielearn", "junit",
 * "tap", "text", "html") to f. Returns 0, or -1 with errno: EINVAL for an
 * unknown format, or the error of writing f. */
int report_write(const struct report *r, const char *format, FILE *f);

/* The same into path, atomically: a temporary file beside it, flushed to
 * disk, then renamed, so a reader (or a crash) never leaves half a report.
 * 0, or -1 with errno (nothing is left behind on error). */
int report_write_file(const struct report *r, const char *format,
                      const char *path);

/* The native JSON report. New reference. */
json_t *report_json(const struct report *r);

/* The report a person reads: a line per test, what to do about each
 * failure, and a timeline of its processes. color: ANSI colours. */
void report_text(FILE *f, const struct report *r, int color);

/* Write j to path atomically (as report_write_file). 0, or -1 with errno. */
int report_write_json(const char *path, json_t *j);

/* The max score of test k of exercise e: the course's, or the sheet's. */
int report_points(const struct report_exercise *e, int k);

/* The Gradescope visibility of test k of e: "visible" unless a course said
 * "hidden", "after_due_date" or "after_published". */
const char *report_visibility(const struct report_exercise *e, int k);

/* 1 if at least one exercise was graded (something compiled and ran). */
int report_gradable(const struct report *r);

void report_free(struct report *r);

#endif
