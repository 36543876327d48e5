/* scan.h - finding an exercise's file in a submission. */
#ifndef FORKLAB_SCAN_H
#define FORKLAB_SCAN_H

#include <stddef.h>

#define SCAN_MAX_BYTES (1 << 20) /* a larger source file is refused */

enum scan_status {
	SCAN_FOUND,
	SCAN_MISSING, /* no file of that name */
	SCAN_INVALID, /* several, a link, a directory, binary, too large */
};

/* Find the regular file named name below dir (links never followed). When
 * several files have that name, the one at exercises/ID/NAME wins if it is
 * the only one there (a copy of the whole repository). Returns the status;
 * the path goes to path, and the reason a student can act on to msg. */
enum scan_status scan_find(const char *dir, const char *id, const char *name,
                           char *path, size_t pathlen, char *msg,
                           size_t msglen);

#endif
