/* grade.h - grading a submission: scan -> build -> run -> judge -> report. */
#ifndef FORKLAB_GRADE_H
#define FORKLAB_GRADE_H

#include "catalog.h"
#include "report.h"

/* Grade the submission in dir (an absolute path) for the n exercises of
 * sel: scan, build, run every test, judge, into rep (freed by the caller
 * with report_free). Returns 0, or 2 if forklab itself failed somewhere (rep
 * is complete all the same, the faulty tests with status "error"). */
int grade_submission(const char *dir, const struct cat_exercise **sel, int n,
                     struct report *rep);

/* `forklab grade DIR ...`: exit 0 whatever the score, 1 on bad input, 2 on a
 * fault of forklab. */
int grade_cmd_grade(int argc, char **argv);

/* `forklab check [ID...]`: the student's self-check of exercises/. */
int grade_cmd_check(int argc, char **argv);

/* `forklab list`: the exercises and their tests, with points. */
int grade_cmd_list(int argc, char **argv);

#endif
