/* table.h - one row per numbered check of the sheet; shared by the test
 * drivers (which run the tests) and forklab (which schedules and judges them
 * from the same rows, compiled into it from trusted sources). */
#ifndef FORKLAB_TABLE_H
#define FORKLAB_TABLE_H

/* ---- the table of tests (see graders/NN-name.tests) ----
 *
 * Each grader defines its table with the X-macro file of its exercise:
 *
 *   #define T(check, name, points, timeout, procs, rule, arg, text) ...
 *   #include "01-spawn.tests"
 *
 * rule says how forklab judges the test's measurement ("M metric v")
 * against the reference's, run at the same time:
 *   FL_NONE      no measurement
 *   FL_INFO      reported beside the reference's, costs nothing
 *   FL_AT_MOST   v <= arg, or v <= reference + 0.2 s (a loaded machine)
 *   FL_SLACK     v <= reference + arg (seconds)
 *   FL_RATE      v >= reference / arg (arg: 1000 for throughput)
 * procs: the processes (and threads) alive at once in the run, 0 for the
 * default (64); a test of process creation failing sets it low. */
enum fl_rule { FL_NONE, FL_INFO, FL_AT_MOST, FL_SLACK, FL_RATE };

struct fl_test {
	int check;        /* the sheet's check number */
	const char *name; /* a C identifier, also the test's name */
	int points;
	double timeout; /* seconds of wall time for the whole run */
	int procs;      /* processes alive at once, 0: default */
	enum fl_rule rule;
	double arg;
	const char *text; /* one line: what is checked */
	void (*fn)(void); /* driver side only */
};

#endif
