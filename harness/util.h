/* util.h - small helpers every module of forklab shares. */
#ifndef FORKLAB_UTIL_H
#define FORKLAB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Seconds on CLOCK_MONOTONIC. */
double util_now(void);

/* A fresh private directory under $TMPDIR (or /tmp): "forklab-TAG.XXXXXX".
 * Returns a malloc'd path, or NULL with errno. */
char *util_mkscratch(const char *tag);

/* Remove path and everything below it, whatever the modes inside (a box may
 * have chmod'ed its files to 0). Never follows symbolic links. 0 or -1. */
int util_rm_rf(const char *path);

/* Copy the regular file src to dst (created with mode). 0, or -1 with errno. */
int util_copy(const char *src, const char *dst, mode_t mode);

/* Read a whole file, at most max bytes (more: -1 with EFBIG). Returns a
 * NUL-terminated malloc'd buffer and its length in *len, or NULL. */
char *util_slurp(const char *path, size_t max, size_t *len);

/* A copy of buf[0..len) that is valid UTF-8: each byte of a bad sequence
 * becomes "\xNN", and NUL becomes "\x00". If the result would exceed max
 * bytes it is cut there with a marker saying how much was cut. Returns a
 * NUL-terminated malloc'd string (never NULL: aborts on no memory). */
char *util_utf8(const char *buf, size_t len, size_t max);

/* Write path atomically: fn(f, arg) writes into a temporary file beside it,
 * which is flushed, synced and renamed over path; a reader sees the old file
 * or the new one, never half of one. On failure nothing is left and path is
 * unchanged. fn returns 0, or -1 (with errno) to abandon. 0, or -1 with
 * errno. */
int util_write_atomic(const char *path, int (*fn)(FILE *, const void *),
                      const void *arg);

/* printf into a malloc'd string; aborts on no memory. */
char *util_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Append printf output to *s (a malloc'd string or NULL). */
void util_append(char **s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Die: a fault of forklab itself (exit 2), never a student outcome. */
void util_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
