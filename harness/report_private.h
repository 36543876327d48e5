/* report_private.h - what the format writers (report_*.c) share. Nothing
 * outside the report module includes it: other modules call report.h. */
#ifndef FORKLAB_REPORT_PRIVATE_H
#define FORKLAB_REPORT_PRIVATE_H

#include "report.h"

/* One writer per format: 0, or -1 with errno (a write to f failed). */
int reportp_json(const struct report *r, FILE *f);
int reportp_gradescope(const struct report *r, FILE *f);
int reportp_prairielearn(const struct report *r, FILE *f);
int reportp_junit(const struct report *r, FILE *f);
int reportp_tap(const struct report *r, FILE *f);
int reportp_text(const struct report *r, FILE *f);
int reportp_html(const struct report *r, FILE *f);

/* Row k of exercise e, for formats that list every test of the sheet: its
 * result when e was graded, else a stand-in in tmp that scores 0 and
 * carries the exercise's status ("not_submitted", ...) and reason. */
const struct report_test *reportp_row(const struct report_exercise *e, int k,
                                      struct report_test *tmp);

/* The exercise's number on the sheet: 1 for "01-spawn". */
int reportp_exno(const struct cat_exercise *ex);

/* The first line of s, at most max bytes, cut on a UTF-8 boundary, into
 * buf (of size max + 1). */
void reportp_first_line(const char *s, char *buf, size_t max);

/* What a timeline shows, flattened: one mark per thing that happened to a
 * process, in time order. text points into the timeline (borrowed). */
enum reportp_mark_kind {
	MARK_START,  /* num: the parent; text: the name it was born with */
	MARK_NAME,   /* text: the new name */
	MARK_EVENT,  /* text: what the driver said */
	MARK_SIGNAL, /* num: the signal */
	MARK_END,    /* num: the exit code (Python's: status, or -signal) */
};
struct reportp_mark {
	double t;
	int pid;
	enum reportp_mark_kind kind;
	long num;
	const char *text;
};

/* The marks of timeline tl, sorted by time (ties kept in kind order).
 * Returns a malloc'd array of *n marks (NULL when none). */
struct reportp_mark *reportp_marks(json_t *tl, int *n);

/* One line saying what m is, for a person: "created by 1415", "renamed
 * \"washer\"", "signal 9 (KILL)", "exited with 3". Malloc'd. */
char *reportp_mark_text(const struct reportp_mark *m, int main_pid);

/* The time window worth drawing of timeline tl, in seconds: from just
 * before the first thing a process other than the caller did (or an event
 * was sent) to just after the last; the whole run when there is none. The
 * caller's setup and teardown would otherwise squeeze what matters into a
 * few columns. */
void reportp_window(json_t *tl, double *from, double *to);

#endif
