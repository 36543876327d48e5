/*
 * 28-read-forklab: read forklab's own tree (the graders, the reference
 * solutions, the tests' expectations), whose paths come as arguments: a file
 * by its path and through /proc/self/root and /proc/PPID/root (magic links
 * must not get around Landlock), a directory by listing it; and list the
 * scratch directory's parent, where other runs' scratch directories live.
 * Every read must be denied. A path that does not exist makes the case
 * broken (exit 2): a denial must not be confused with ENOENT.
 *
 * Usage: 28-read-forklab PATH...
 */
#include "hostile.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

/* Open path for reading and read a byte: denied, or an escape. */
static void read_file(const char *label, const char *path)
{
	char byte;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (h_denied(label, fd)) {
		printf("%s: read %zd byte\n", label, read(fd, &byte, 1));
		close(fd);
	}
}

/* List a directory: denied, or an escape. */
static void list_dir(const char *label, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!h_denied(label, d ? 0 : -1))
		return;
	while ((e = readdir(d)))
		n++;
	printf("%s: %d entries listed\n", label, n);
	closedir(d);
}

int main(int argc, char **argv)
{
	char label[PATH_MAX + 128], via[PATH_MAX + 64];
	pid_t parent = getppid();
	struct stat st;

	h_begin("read-forklab: read files outside the scratch directory");
	if (argc < 2) {
		printf("usage: %s PATH...\n", argv[0]);
		return H_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		const char *path = argv[i];
		int is_dir = 0;

		/* stat is not a read: Landlock lets it through. */
		if (stat(path, &st) == 0) {
			is_dir = S_ISDIR(st.st_mode);
		} else if (errno == ENOENT) {
			printf("%s: does not exist: the case is broken\n",
			       path);
			return H_USAGE;
		}
		snprintf(label, sizeof(label), "read %s", path);
		if (is_dir) {
			list_dir(label, path);
			continue;
		}
		read_file(label, path);
		snprintf(via, sizeof(via), "/proc/self/root%s", path);
		snprintf(label, sizeof(label), "read %s", via);
		read_file(label, via);
		if (parent > 1) {
			snprintf(via, sizeof(via), "/proc/%d/root%s",
			         (int)parent, path);
			snprintf(label, sizeof(label), "read %s", via);
			read_file(label, via);
		}
	}
	list_dir("list the scratch directory's parent", "..");
	return h_finish();
}
