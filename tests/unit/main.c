/* main.c - runs every unit suite of the harness. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util.h"

char *unit_tmpdir(void)
{
	char *d = util_mkscratch("unit");

	if (!d)
		abort();
	return d;
}

void unit_write(const char *dir, const char *name, const char *text)
{
	char *path = util_fmt("%s/%s", dir, name);
	FILE *f;

	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f) == EOF)
		abort();
	free(path);
}

int main(void)
{
	Suite *(*suites[])(void) = {
		suite_util,  suite_scan, suite_catalog, suite_sandbox,
		suite_trace, suite_run,  suite_judge,   suite_report,
	};
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
