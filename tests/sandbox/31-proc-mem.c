/*
 * 31-proc-mem: reach into other processes through /proc, which the sandbox
 * leaves writable for /proc/self: the parent's and pid 1's memory (read and
 * write opens), environment and descriptors. Every open must be denied (the
 * kernel's ptrace checks, and Landlock's own). Nothing is ever written into an
 * opened file.
 */
#include "hostile.h"

#include <dirent.h>
#include <fcntl.h>

static const struct {
	const char *file;
	int flags;
	const char *how;
} targets[] = {
	{ "mem", O_RDWR, "for reading and writing" },
	{ "mem", O_WRONLY, "for writing" },
	{ "mem", O_RDONLY, "for reading" },
	{ "environ", O_RDONLY, "for reading" },
	{ "fd", O_RDONLY | O_DIRECTORY, "to list it" },
};

static void attack(pid_t pid, const char *who)
{
	char path[64], label[128];

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid,
		         targets[i].file);
		snprintf(label, sizeof(label), "open %s (%s) %s", path, who,
		         targets[i].how);
		fd = open(path, targets[i].flags | O_CLOEXEC);
		if (h_denied(label, fd))
			close(fd);
	}
}

int main(void)
{
	pid_t parent = getppid();

	h_begin("proc-mem: other processes' memory through /proc");
	if (parent > 1)
		attack(parent, "parent");
	else
		printf("the parent is out of sight (%d)\n", (int)parent);
	if (getpid() != 1)
		attack(1, "init");
	return h_finish();
}
