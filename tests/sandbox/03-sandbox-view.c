/*
 * 03-sandbox-view: what a program sees from inside the sandbox. Only
 * descriptors 0, 1 and 2 are open (nothing of forklab's leaks in); the working
 * directory is the scratch directory, and so are $HOME and $TMPDIR, and it is
 * writable; the environment holds what --env gave and none of forklab's own
 * (argv[1] names a variable the test sets in forklab's environment); the
 * process runs with no privilege: uid not 0, no capability, no_new_privs, a
 * seccomp filter.
 *
 * Usage: 03-sandbox-view SECRET_VAR NAME=VALUE
 */
#include "hostile.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

/* Every descriptor but 0, 1, 2 and the one that reads the list. */
static void check_descriptors(void)
{
	char path[64], target[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir("/proc/self/fd");
	int extra = 0;

	if (!d) {
		h_escape("descriptors", "cannot list /proc/self/fd");
		return;
	}
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);
		ssize_t n;

		if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		printf("descriptor %d -> %s: inherited\n", fd, target);
		extra++;
	}
	closedir(d);
	if (extra)
		h_escape("descriptors", "forklab's descriptors leaked in");
	else
		printf("descriptors: only 0, 1, 2\n");
}

/* $HOME and $TMPDIR are the working directory, and it is writable. */
static void check_scratch(void)
{
	static const char *const vars[] = { "HOME", "TMPDIR" };
	char cwd[PATH_MAX], real[PATH_MAX], back[8] = { 0 };
	int fd;

	if (!getcwd(cwd, sizeof(cwd))) {
		h_escape("scratch", "getcwd failed");
		return;
	}
	printf("cwd: %s\n", cwd);
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (!v || !realpath(v, real) || strcmp(real, cwd) != 0) {
			printf("%s=%s: not the working directory\n", vars[i],
			       v ? v : "(unset)");
			*h_escaped() = 1;
		}
	}
	fd = open("probe", O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "probe", 5) != 5 ||
	    pread(fd, back, 5, 0) != 5 || strcmp(back, "probe") != 0) {
		printf("scratch: cannot write a file: %s\n", h_errname(errno));
		*h_escaped() = 1;
	} else if (mkdir("sub", 0700) < 0 || rmdir("sub") < 0) {
		printf("scratch: cannot make a directory: %s\n",
		       h_errname(errno));
		*h_escaped() = 1;
	} else {
		printf("scratch: writable\n");
	}
	if (fd >= 0) {
		close(fd);
		unlink("probe");
	}
}

static void check_environment(const char *secret, const char *pair)
{
	const char *eq = strchr(pair, '=');
	char name[128];
	const char *v;

	if (getenv(secret)) {
		printf("environment: %s was inherited from forklab\n", secret);
		*h_escaped() = 1;
	}
	if (!eq || (size_t)(eq - pair) >= sizeof(name)) {
		printf("environment: bad NAME=VALUE argument\n");
		*h_escaped() = 1;
		return;
	}
	memcpy(name, pair, eq - pair);
	name[eq - pair] = '\0';
	v = getenv(name);
	if (!v || strcmp(v, eq + 1) != 0) {
		printf("environment: %s is %s, --env said %s\n", name,
		       v ? v : "(unset)", eq + 1);
		*h_escaped() = 1;
		return;
	}
	printf("environment: clean, %s set\n", pair);
}

/* Fields of /proc/self/status and the values they must have. */
static const struct {
	const char *field;
	const char *want; /* the value must start with this */
	const char *what;
} status_rules[] = {
	{ "NoNewPrivs:", "1", "no_new_privs is set" },
	{ "Seccomp:", "2", "a seccomp filter is on" },
	{ "CapPrm:", "0000000000000000", "no permitted capability" },
	{ "CapEff:", "0000000000000000", "no effective capability" },
	{ "CapAmb:", "0000000000000000", "no ambient capability" },
};

static void check_privileges(void)
{
	char line[256];
	size_t n = sizeof(status_rules) / sizeof(status_rules[0]);
	int seen[sizeof(status_rules) / sizeof(status_rules[0])] = { 0 };
	FILE *f;

	if (getuid() == 0 || geteuid() == 0)
		h_escape("privileges", "running as root");
	f = fopen("/proc/self/status", "re");
	if (!f) {
		h_escape("privileges", "cannot read /proc/self/status");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(status_rules[i].field);
			const char *v = line + len;

			if (strncmp(line, status_rules[i].field, len) != 0)
				continue;
			seen[i] = 1;
			v += strspn(v, " \t");
			if (strncmp(v, status_rules[i].want,
			            strlen(status_rules[i].want)) == 0)
				printf("privileges: %s\n",
				       status_rules[i].what);
			else
				h_escape(status_rules[i].field, v);
		}
	}
	fclose(f);
	for (size_t i = 0; i < n; i++)
		if (!seen[i])
			h_escape(status_rules[i].field, "missing from status");
}

int main(int argc, char **argv)
{
	h_begin("sandbox-view: what the sandboxed program sees");
	if (argc != 3) {
		printf("usage: %s SECRET_VAR NAME=VALUE\n", argv[0]);
		return H_USAGE;
	}
	check_descriptors();
	check_scratch();
	check_environment(argv[1], argv[2]);
	check_privileges();
	return h_finish();
}
