/*
 * build.c - compiling a submission with a grader, in the box.
 *
 * The build directory holds copies only: the student's file, our header (the
 * contract, whatever header the submission carried), and the grader object
 * (the grader's tests and driver.c, linked into one object whose symbols are
 * local but main, so that a submission cannot call the driver's functions).
 * The compiler runs in the same box as the tests, with its own limits: it
 * cannot read forklab's tree, and a file the submission #includes from
 * outside its folder is not there.
 */
#define _GNU_SOURCE
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

#define DIAG_LINES 25
#define DIAG_BYTES 4000

/* The sheet's compile line. */
static const char *const cc_flags[] = {
	"-std=gnu11", "-D_GNU_SOURCE", "-O2",
	"-g",         "-pthread",      "-fdiagnostics-color=never",
	"-Wall",      "-Isrc",
};

/* The first lines of the compiler's output, cut with a marker. */
static char *first_lines(const char *s, size_t len)
{
	size_t i = 0;
	int lines = 0;
	char *out, *cut;

	while (i < len && lines < DIAG_LINES)
		if (s[i++] == '\n')
			lines++;
	out = util_utf8(s, i, DIAG_BYTES);
	if (i < len) {
		cut = util_fmt("%s[... %zu more bytes of diagnostics]", out,
		               len - i);
		free(out);
		out = cut;
	}
	return out;
}

int build_exercise(const struct cat_paths *paths, const struct cat_exercise *ex,
                   const char *src, struct build_result *b)
{
	char *argv[32], *hdr = NULL, *obj = NULL, *dst = NULL, *dsth = NULL,
	                *dsto = NULL, *srcdir = NULL, *drv = NULL;
	struct run_conf c = { 0 };
	struct run_result r;
	struct stat st;
	int argc = 0, rc = -1;

	memset(b, 0, sizeof *b);
	b->dir = util_mkscratch("build");
	if (!b->dir) {
		b->diag = util_fmt("build directory: %m");
		return -1;
	}
	hdr = util_fmt("%s/%s/%s", paths->headers, ex->id, ex->header);
	obj = util_fmt("%s/graders/%s.o", paths->lib, ex->id);
	srcdir = util_fmt("%s/src", b->dir);
	dst = util_fmt("%s/%s", srcdir, ex->file);
	dsth = util_fmt("%s/%s", srcdir, ex->header);
	dsto = util_fmt("%s/grader.o", b->dir);
	drv = util_fmt("%s/driver", b->dir);
	/* Readable by the box's uid, which owns only the directory above. */
	if (mkdir(srcdir, 0755) < 0 || util_copy(hdr, dsth, 0644) < 0 ||
	    util_copy(obj, dsto, 0644) < 0) {
		b->diag = util_fmt("preparing the build of %s: %m", ex->id);
		goto out;
	}
	if (util_copy(src, dst, 0644) < 0) {
		/* The submission's file vanished or cannot be read. */
		b->diag = util_fmt("%s cannot be read: %m", ex->file);
		rc = 0;
		goto out;
	}
	argv[argc++] = "/usr/bin/cc";
	for (size_t i = 0; i < sizeof cc_flags / sizeof cc_flags[0]; i++)
		argv[argc++] = (char *)cc_flags[i];
	argv[argc++] = dst + strlen(b->dir) + 1;
	argv[argc++] = "grader.o";
	argv[argc++] = "-o";
	argv[argc++] = "driver";
	argv[argc++] = "-lrt";
	argv[argc++] = "-lm";
	argv[argc] = NULL;
	c.argv = argv;
	c.scratch = b->dir;
	c.lim = (struct sbx_limits){ .wall_s = 60,
		                     .cpu_s = 60,
		                     .procs = 16,
		                     .procs_total = 64,
		                     .mem_mib = 2048,
		                     .fsize_mib = 64,
		                     .disk_mib = 256,
		                     .output_bytes = 65536 };
	if (run_exec(&c, &r) < 0) {
		b->diag = util_fmt("compiler: %s", r.error);
		run_free(&r);
		goto out;
	}
	b->wall_s = r.wall_s;
	b->ok = r.started && r.exit_code == 0 && !r.limit &&
	        stat(drv, &st) == 0 && S_ISREG(st.st_mode);
	if (r.limit)
		b->diag = util_fmt("the compiler was stopped: %s limit "
		                   "(is the file huge, or does it #include "
		                   "something endless?)",
		                   trc_limit_name(r.limit));
	else if (r.err.len || r.out.len)
		b->diag = first_lines(r.err.len ? r.err.data : r.out.data,
		                      r.err.len ? r.err.len : r.out.len);
	b->warnings = b->ok && r.err.len > 0;
	run_free(&r);
	rc = 0;
out:
	free(hdr);
	free(obj);
	free(dst);
	free(dsth);
	free(dsto);
	free(srcdir);
	free(drv);
	return rc;
}

void build_free(struct build_result *b)
{
	if (b->dir)
		util_rm_rf(b->dir);
	free(b->dir);
	free(b->diag);
	memset(b, 0, sizeof *b);
}
