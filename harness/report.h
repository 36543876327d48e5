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
};

struct report_exercise {
	const struct cat_exercise *ex;
	const char *status; /* graded, not_submitted, compile_error, invalid */
	int score, max;
	char *feedback; /* why not graded, or compiler warnings */
	char *file;     /* the file graded, relative to the submission */
	struct report_test *tests;
	int ntests;
};

struct report {
	const char *submission;
	struct report_exercise *ex;
	int nex;
	int score, max;
	double wall_s;
	int faults; /* tests forklab itself failed to run */
};

/* The native JSON report. New reference. */
json_t *report_json(const struct report *r);

/* The report a person reads: a line per test, and what to do about each
 * failure. color: ANSI colours. */
void report_text(FILE *f, const struct report *r, int color);

/* Write j to path atomically (a temporary file, then rename): a reader
 * never sees half a report. 0, or -1 with errno. */
int report_write_json(const char *path, json_t *j);

void report_free(struct report *r);

#endif
