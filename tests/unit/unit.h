/* unit.h - the unit suites of the harness modules, one per module. */
#ifndef FORKLAB_UNIT_H
#define FORKLAB_UNIT_H

#include <check.h>

Suite *suite_util(void);
Suite *suite_scan(void);
Suite *suite_catalog(void);
Suite *suite_sandbox(void);
Suite *suite_trace(void);
Suite *suite_run(void);
Suite *suite_judge(void);
Suite *suite_report(void);

/* A fresh directory for a test (removed by the caller with util_rm_rf). */
char *unit_tmpdir(void);
/* Write text to dir/name (creating directories on the way). */
void unit_write(const char *dir, const char *name, const char *text);

#endif
