/* course.h - a course's settings: points, visibility, time scale, exercises. */
#ifndef FORKLAB_COURSE_H
#define FORKLAB_COURSE_H

#include <stddef.h>

#include "catalog.h"
#include "report.h"

/* One test a course changes. */
struct course_test {
	const struct cat_exercise *ex;
	int test;               /* index in ex->tests */
	int points;             /* -1: the sheet's */
	const char *visibility; /* NULL: the course's default */
};

struct course {
	double time_scale; /* every test's time limits are multiplied by it */
	const struct cat_exercise *sel[8]; /* the exercises graded, in order */
	int nsel;                          /* 0: all of the sheet's */
	const char *visibility;        /* every test's, unless it says; NULL */
	const char *result_visibility; /* Gradescope's, the whole result */
	const char *stdout_visibility; /* Gradescope's, forklab's stdout */
	struct course_test *tests;
	int ntests;
};

/* The factor grade.c multiplies every test's time limits by (1 unless a
 * course says): set it before grading, as `forklab grade --course` does. */
extern double course_time_scale;

/* Read the course file at path into c (freed with course_free). The file is
 * a JSON object:
 *   "time_scale": 2.5            time limits x 2.5 (slow machines), 0.1-50
 *   "exercises": ["01", ...]     the exercises graded (ids or prefixes)
 *   "visibility": "..."          every test's default Gradescope level:
 *                                visible, hidden, after_due_date,
 *                                after_published
 *   "result_visibility": "..."   Gradescope's level of the whole result
 *   "stdout_visibility": "..."   Gradescope's level of forklab's stdout
 *   "01-spawn": { "process_count": { "points": 20,
 *                                    "visibility": "after_due_date" } }
 *   "_anything": ...             a comment, ignored
 * Returns 0, or -1 with one line in err: "PATH:LINE: KEY: what is wrong"
 * (KEY a dotted path such as 01-spawn.process_count.points). */
int course_load(const char *path, struct course *c, char *err, size_t errlen);

/* Apply c's points and visibility to every test of r, graded or not, and
 * add the scores up again. Allocates e->points and e->visibility (freed by
 * report_free). */
void course_apply(const struct course *c, struct report *r);

void course_free(struct course *c);

#endif
