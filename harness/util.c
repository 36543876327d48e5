/* util.c - small helpers every module of forklab shares. */
#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

double util_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void util_die(const char *fmt, ...)
{
	va_list ap;

	fputs("forklab: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

char *util_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		util_die("out of memory");
	va_end(ap);
	return s;
}

void util_append(char **s, const char *fmt, ...)
{
	va_list ap;
	char *add, *n;

	va_start(ap, fmt);
	if (vasprintf(&add, fmt, ap) < 0)
		util_die("out of memory");
	va_end(ap);
	if (!*s) {
		*s = add;
		return;
	}
	n = util_fmt("%s%s", *s, add);
	free(*s);
	free(add);
	*s = n;
}

char *util_mkscratch(const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	path = util_fmt("%s/forklab-%s.XXXXXX", tmp, tag);
	if (!mkdtemp(path)) {
		free(path);
		return NULL;
	}
	return path;
}

static int rm_at(int dirfd, const char *name, int depth)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int fd, rc = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0);
	if (depth > 64) {
		errno = ELOOP;
		return -1;
	}
	/* A box may leave a directory without permissions: ours again. */
	fchmodat(dirfd, name, 0700, 0);
	fd = openat(dirfd, name,
	            O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rc |= rm_at(fd, e->d_name, depth + 1);
	closedir(d);
	return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 ? -1 : rc;
}

int util_rm_rf(const char *path)
{
	return rm_at(AT_FDCWD, path, 0);
}

int util_copy(const char *src, const char *dst, mode_t mode)
{
	char buf[65536];
	int in, out = -1, rc = -1;
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	           mode);
	if (out < 0)
		goto out;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, n) != n)
			goto out;
	if (n < 0 || fchmod(out, mode) < 0)
		goto out;
	rc = 0;
out:
	if (out >= 0 && close(out) < 0)
		rc = -1;
	close(in);
	return rc;
}

char *util_slurp(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, n = 0;
	char *buf = NULL;
	ssize_t r;

	if (fd < 0)
		return NULL;
	buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			char *nb;

			if (cap >= max) {
				errno = EFBIG;
				goto fail;
			}
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				goto fail;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += r;
		if (n > max) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return s[0] ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

char *util_utf8(const char *buf, size_t len, size_t max)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t cap = len * 4 + 64, o = 0, i = 0;
	char *out = malloc(cap + 1);

	if (!out)
		util_die("out of memory");
	while (i < len) {
		size_t l = utf8_len(s + i, len - i), need = l ? l : 4;

		if (o + need > max)
			break;
		if (l) {
			memcpy(out + o, s + i, l);
			o += l;
			i += l;
		} else {
			o += sprintf(out + o, "\\x%02x", s[i]);
			i++;
		}
	}
	if (i < len)
		o += sprintf(out + o, "\n[... %zu more bytes cut by forklab]",
		             len - i);
	out[o] = '\0';
	return out;
}

/* The temporary file is in the same directory (rename is atomic only within
 * a filesystem) and synced first. */
int util_write_atomic(const char *path, int (*fn)(FILE *, const void *),
                      const void *arg)
{
	char *tmp = util_fmt("%s.tmp.%d", path, (int)getpid());
	FILE *f = fopen(tmp, "we");
	int rc = -1, e;

	if (!f)
		goto out;
	if (fn(f, arg) < 0 || fflush(f) == EOF || fsync(fileno(f)) < 0) {
		e = errno;
		fclose(f);
		unlink(tmp);
		errno = e;
		goto out;
	}
	if (fclose(f) == EOF || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}
