/* catalog.h - the eight exercises and their tests, from the sheet. */
#ifndef FORKLAB_CATALOG_H
#define FORKLAB_CATALOG_H

#include <stddef.h>

#include "../graders/table.h"

struct cat_exercise {
	const char *id;     /* "01-spawn" */
	const char *file;   /* "spawn.c": what a submission holds */
	const char *header; /* "spawn.h": ours, never the student's */
	const char *title;  /* "spawning processes" */
	const struct fl_test *tests;
	int ntests;
};

/* All exercises, in the sheet's order; *n receives how many. */
const struct cat_exercise *cat_all(int *n);

/* The exercise with this id (or a unique prefix such as "01"), or NULL. */
const struct cat_exercise *cat_find(const char *id);

/* Where forklab's own files are: the headers, the grader objects and the
 * reference drivers. Found from /proc/self/exe: a source tree (bin/forklab
 * beside build/) or an installation (PREFIX/bin and PREFIX/lib/forklab).
 * Returns 0, or -1 with a message in err. */
struct cat_paths {
	char root[4096]; /* the tree or PREFIX */
	char lib[4096];  /* grader objects (graders/) and references (ref/) */
	char headers[4096]; /* exercises/<id>/<header> live below this */
	int installed;
};
int cat_paths(struct cat_paths *p, char *err, size_t errlen);

#endif
