/*
 * 29-write-outside: write outside the scratch directory: in a directory the
 * test made in /tmp (argv[1], world-writable, holding a world-writable file
 * "canary", so that only the sandbox stands in the way), in /tmp, /var/tmp,
 * /etc and /root, and in /proc's writable-looking files. Every attempt must
 * fail. Whatever does get through is undone at once (files removed, the
 * canary renamed back), and nothing is ever written into an opened file.
 *
 * Usage: 29-write-outside OUTSIDE_DIR
 */
#include "hostile.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

/* Files the test also looks for afterwards. */
static const char *const escape_files[] = {
	"/tmp/forklab-sbx-escape",
	"/var/tmp/forklab-sbx-escape",
	"/etc/forklab-sbx-escape",
	"/root/.forklab-sbx-escape",
};

/* Files to open for writing only; never written to. */
static const char *const write_opens[] = {
	"/proc/sys/kernel/hostname",
	"/proc/sysrq-trigger",
	"/etc/passwd",
};

static void create_file(const char *path)
{
	char label[PATH_MAX + 16];
	int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);

	snprintf(label, sizeof(label), "create %s", path);
	if (h_denied(label, fd)) {
		close(fd);
		unlink(path);
	}
}

static void open_for_writing(const char *path)
{
	char label[PATH_MAX + 32];
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);

	snprintf(label, sizeof(label), "open %s for writing", path);
	if (h_denied(label, fd))
		close(fd);
}

int main(int argc, char **argv)
{
	char canary[PATH_MAX], path[PATH_MAX];
	struct stat st;

	h_begin("write-outside: write outside the scratch directory");
	if (argc != 2 || snprintf(canary, sizeof(canary), "%s/canary",
	                          argv[1]) >= (int)sizeof(canary)) {
		printf("usage: %s OUTSIDE_DIR\n", argv[0]);
		return H_USAGE;
	}
	if (stat(canary, &st) < 0 && errno == ENOENT) {
		printf("%s: does not exist: the case is broken\n", canary);
		return H_USAGE;
	}

	snprintf(path, sizeof(path), "%s/new", argv[1]);
	create_file(path);
	open_for_writing(canary);
	if (h_denied("chmod canary", chmod(canary, 0600)))
		chmod(canary, 0666);
	if (h_denied("rename canary into the scratch directory",
	             rename(canary, "stolen")))
		rename("stolen", canary);
	snprintf(path, sizeof(path), "%s/dir", argv[1]);
	if (h_denied("mkdir in the outside directory", mkdir(path, 0755)))
		rmdir(path);
	snprintf(path, sizeof(path), "%s/link", argv[1]);
	if (h_denied("symlink in the outside directory", symlink("/", path)))
		unlink(path);

	for (size_t i = 0; i < sizeof(escape_files) / sizeof(escape_files[0]);
	     i++)
		create_file(escape_files[i]);
	for (size_t i = 0; i < sizeof(write_opens) / sizeof(write_opens[0]);
	     i++)
		open_for_writing(write_opens[i]);
	return h_finish();
}
