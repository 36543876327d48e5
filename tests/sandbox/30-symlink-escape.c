/*
 * 30-symlink-escape: links made inside the scratch directory (where making
 * them is allowed) that point outside it: a symlink to / and to a forklab
 * file (argv[1]), a symlink to the test's outside directory (argv[2], holding
 * "canary"), and hard links to a forklab file and to the canary. Landlock
 * judges the object reached, not the path taken: every read or write through
 * them must be denied, and the hard links must not be made at all.
 *
 * Usage: 30-symlink-escape FORKLAB_FILE OUTSIDE_DIR
 */
#include "hostile.h"

#include <fcntl.h>
#include <limits.h>

static void try_open(const char *label, const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (h_denied(label, fd)) {
		close(fd);
		if (flags & O_CREAT)
			unlink(path);
	}
}

/* Make a link in the scratch directory; failing here is no escape, but the
 * attempt through it is then void, which is said. */
static int make_symlink(const char *target, const char *name)
{
	if (symlink(target, name) == 0)
		return 0;
	printf("symlink %s -> %s: %s (not an escape; the attempt through it "
	       "is void)\n",
	       name, target, h_errname(errno));
	return -1;
}

int main(int argc, char **argv)
{
	char path[PATH_MAX + 32];
	int fd;

	h_begin("symlink-escape: links from the scratch directory outward");
	if (argc != 3 || argv[1][0] != '/' || argv[2][0] != '/') {
		printf("usage: %s /FORKLAB_FILE /OUTSIDE_DIR\n", argv[0]);
		return H_USAGE;
	}
	if (access(argv[1], F_OK) < 0 && errno == ENOENT) {
		printf("%s: does not exist: the case is broken\n", argv[1]);
		return H_USAGE;
	}

	if (make_symlink("/", "to-root") == 0) {
		snprintf(path, sizeof(path), "to-root%s", argv[1]);
		try_open("read a forklab file through a symlink to /", path,
		         O_RDONLY);
	}
	if (make_symlink(argv[1], "to-file") == 0)
		try_open("read a forklab file through a symlink to it",
		         "to-file", O_RDONLY);
	if (make_symlink(argv[2], "to-outside") == 0) {
		try_open("write the canary through a symlink",
		         "to-outside/canary", O_WRONLY | O_APPEND);
		try_open("create a file through a symlink", "to-outside/new",
		         O_CREAT | O_EXCL | O_WRONLY);
	}

	if (h_denied("hard link to a forklab file",
	             link(argv[1], "hard-file"))) {
		fd = open("hard-file", O_RDONLY | O_CLOEXEC);
		printf("read through the hard link: %s\n",
		       fd < 0 ? h_errname(errno) : "opened");
		if (fd >= 0)
			close(fd);
		unlink("hard-file");
	}
	snprintf(path, sizeof(path), "%s/canary", argv[2]);
	if (h_denied("hard link to the canary", link(path, "hard-canary"))) {
		fd = open("hard-canary", O_WRONLY | O_APPEND | O_CLOEXEC);
		printf("write through the hard link: %s\n",
		       fd < 0 ? h_errname(errno) : "opened");
		if (fd >= 0)
			close(fd);
		unlink("hard-canary");
	}
	return h_finish();
}
