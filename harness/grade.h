/* grade.h - grading a submission: scan -> build -> run -> judge -> report. */
#ifndef FORKLAB_GRADE_H
#define FORKLAB_GRADE_H

/* `forklab grade DIR ...`: exit 0 whatever the score, 1 on bad input, 2 on a
 * fault of forklab. */
int grade_cmd_grade(int argc, char **argv);

/* `forklab check [ID...]`: the student's self-check of exercises/. */
int grade_cmd_check(int argc, char **argv);

/* `forklab list`: the exercises and their tests, with points. */
int grade_cmd_list(int argc, char **argv);

#endif
