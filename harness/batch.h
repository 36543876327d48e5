/* batch.h - grading a folder of submissions, N at a time. */
#ifndef FORKLAB_BATCH_H
#define FORKLAB_BATCH_H

/* `forklab batch SUBMISSIONS_DIR --out OUT_DIR [--jobs N] [--format FMT]
 * [--only ID,...] [--force]`: grade every folder directly below
 * SUBMISSIONS_DIR, each in a process of its own, into one report per
 * submission and OUT_DIR/gradebook.csv. Returns the exit code: 0 done
 * (whatever the scores), 1 bad input, 2 a fault of forklab in at least one
 * submission (its row says which), 130 interrupted (SIGINT, SIGTERM, SIGHUP:
 * every grading process is killed and reaped, the gradebook lists only
 * complete reports, and running the same command again resumes). */
int batch_cmd(int argc, char **argv);

#endif
