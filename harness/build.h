/* build.h - compiling a submission with a grader, in the box. */
#ifndef FORKLAB_BUILD_H
#define FORKLAB_BUILD_H

#include "catalog.h"

struct build_result {
	int ok;       /* a test driver was built */
	char *diag;   /* the compiler's first diagnostics (UTF-8), or NULL */
	int warnings; /* 1 if the compiler warned */
	double wall_s;
	char *dir; /* the build directory (holds "driver"), or NULL */
};

/* Compile src (the student's file) with ex's header and grader object into
 * a test driver, inside the box with the compile limits. Returns 0 (then
 * b->ok says whether it compiled), or -1 with a message in b->diag on a
 * fault of forklab. The caller calls build_free(). */
int build_exercise(const struct cat_paths *paths, const struct cat_exercise *ex,
                   const char *src, struct build_result *b);

void build_free(struct build_result *b);

#endif
