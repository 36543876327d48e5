/* judge.h - from what a run recorded to a verdict with feedback. */
#ifndef FORKLAB_JUDGE_H
#define FORKLAB_JUDGE_H

#include <jansson.h>

#include "report.h"
#include "run.h"

/* The facts of one test run that the verdict rests on, as JSON: the
 * verdict the driver's main process sent with the run's token (messages of
 * other processes, or with another token, count for nothing), its notes and
 * measurement, how the run ended, and what the kernel recorded. Computed in
 * the process that ran the test; new reference. */
json_t *judge_facts(struct run_result *r);

/* The verdict of test t from the student's facts s and, for a timed test,
 * the facts ref of the reference run made at the same time (NULL when the
 * test has no measurement). Fills out (status, score, feedback). Returns 1
 * if the fault was forklab's (status "error"), else 0. */
int judge_test(const struct fl_test *t, json_t *s, json_t *ref,
               struct report_test *out);

#endif
