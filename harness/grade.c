/* grade.c - placeholder until the grading pipeline lands. */
#include "grade.h"
#include <stdio.h>
int grade_cmd_grade(int argc, char **argv) { (void)argc; (void)argv; fputs("forklab: grade: not built yet\n", stderr); return 2; }
int grade_cmd_check(int argc, char **argv) { (void)argc; (void)argv; return 2; }
int grade_cmd_list(int argc, char **argv) { (void)argc; (void)argv; return 2; }
