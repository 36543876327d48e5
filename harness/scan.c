/*
 * scan.c - finding an exercise's file in a submission.
 *
 * A submission is a directory; the file of each exercise is found by name
 * anywhere below it. The walk never follows a symbolic link, skips .git, and
 * stops at a fixed depth and count, so that no submission can make it loop or
 * leave the directory. A file is accepted only if it is a regular file with a
 * single link, at most SCAN_MAX_BYTES long, and holds no NUL byte.
 */
#define _GNU_SOURCE
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH   24
#define MAX_ENTRIES 200000
#define MAX_HITS    8

struct walk {
	const char *name;
	char hits[MAX_HITS][PATH_MAX];
	int nhits, entries;
};

static void walk(struct walk *w, const char *dir, int depth)
{
	struct dirent *e;
	DIR *d;

	if (depth > MAX_DEPTH || !(d = opendir(dir)))
		return;
	while ((e = readdir(d)) && ++w->entries < MAX_ENTRIES) {
		char sub[PATH_MAX];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, ".git"))
			continue;
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", dir,
		                     e->d_name) >= sizeof sub ||
		    lstat(sub, &st) < 0)
			continue;
		if (!strcmp(e->d_name, w->name) && w->nhits < MAX_HITS)
			snprintf(w->hits[w->nhits++], PATH_MAX, "%s", sub);
		else if (S_ISDIR(st.st_mode))
			walk(w, sub, depth + 1);
	}
	closedir(d);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix) &&
	       (a == b || s[a - b - 1] == '/');
}

static enum scan_status check_file(const char *path, const char *name,
                                   char *msg, size_t msglen)
{
	char buf[65536];
	struct stat st;
	ssize_t n;
	int fd;

	if (lstat(path, &st) < 0) {
		snprintf(msg, msglen, "%s: %s", name, strerror(errno));
		return SCAN_INVALID;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(msg, msglen,
		         "%s is a symbolic link; submit the file itself", name);
		return SCAN_INVALID;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(msg, msglen, "%s is not a regular file", name);
		return SCAN_INVALID;
	}
	if (st.st_nlink > 1) {
		snprintf(msg, msglen,
		         "%s is a hard link to another file; submit a copy",
		         name);
		return SCAN_INVALID;
	}
	if (st.st_size > SCAN_MAX_BYTES) {
		snprintf(msg, msglen,
		         "%s is %lld bytes; a source file may hold at most %d",
		         name, (long long)st.st_size, SCAN_MAX_BYTES);
		return SCAN_INVALID;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(msg, msglen, "%s cannot be read: %s", name,
		         strerror(errno));
		return SCAN_INVALID;
	}
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (memchr(buf, '\0', n)) {
			close(fd);
			snprintf(msg, msglen,
			         "%s holds NUL bytes: it is not C source text",
			         name);
			return SCAN_INVALID;
		}
	close(fd);
	return SCAN_FOUND;
}

enum scan_status scan_find(const char *dir, const char *id, const char *name,
                           char *path, size_t pathlen, char *msg, size_t msglen)
{
	struct walk w = { .name = name };
	char canonical[PATH_MAX];
	int pick = -1, n = 0;

	walk(&w, dir, 0);
	if (w.nhits == 0) {
		snprintf(msg, msglen, "no file named %s in the submission",
		         name);
		return SCAN_MISSING;
	}
	if (w.nhits == 1) {
		pick = 0;
	} else {
		snprintf(canonical, sizeof canonical, "exercises/%s/%s", id,
		         name);
		for (int i = 0; i < w.nhits; i++)
			if (ends_with(w.hits[i], canonical)) {
				pick = i;
				n++;
			}
		if (n != 1) {
			size_t len = strlen(dir);
			int off = snprintf(
			    msg, msglen,
			    "%d files named %s; keep one:", w.nhits, name);

			for (int i = 0; i < w.nhits && off < (int)msglen; i++)
				off += snprintf(msg + off, msglen - off, " %s",
				                w.hits[i] + len + 1);
			return SCAN_INVALID;
		}
	}
	snprintf(path, pathlen, "%s", w.hits[pick]);
	return check_file(path, name, msg, msglen);
}
