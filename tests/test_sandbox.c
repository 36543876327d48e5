/*
 * test_sandbox.c - forklab's sandbox against the hostile programs of
 * tests/sandbox/.
 *
 * Theory of operation. tests/sandbox/cases.tsv is a table: a program of
 * build/sandbox/, the options `forklab run` gets, assertions over the JSON
 * record forklab prints, and the program's arguments (its header comment
 * defines the assertion language). main() loads the table and makes the
 * directory that stands for "outside the scratch directory" (a canary file in
 * /tmp) before Check forks its first test. Each case is one loop test: it runs
 * `forklab run OPTIONS -- PROGRAM ARGS` with pipes on its stdout and stderr,
 * insists that forklab ended by itself and not with exit 2 (its own fault),
 * parses the record with jansson and evaluates every assertion; a failure
 * names the case, each assertion that failed, and what was observed. A last
 * test looks for what the programs may have left behind: processes, a changed
 * canary, files outside, IPC objects.
 *
 * This file only ever runs forklab: the hostile programs run inside it or not
 * at all. Environment: FORKLAB (default bin/forklab), SANDBOX_BIN (default
 * build/sandbox), SANDBOX_CASES (default tests/sandbox/cases.tsv); paths are
 * relative to the repository root, where the test is run.
 */
#define _GNU_SOURCE
#include <check.h>
#include <jansson.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CASES    256
#define MAX_WORDS    64
#define RUN_TIMEOUT  25.0 /* s; below the Check timeout, so forklab is reaped */
#define TEST_TIMEOUT 30
#define CANARY_TEXT  "forklab sandbox canary: nothing may change me\n"
#define SECRET_VAR   "FORKLAB_SANDBOX_SECRET"

struct sbx_case {
	int line; /* in the table, for messages */
	char *program;
	char *options;
	char *expect;
	char *args;
};

/* Loaded by main() before Check forks: every test sees them. */
static struct sbx_case cases[MAX_CASES];
static int ncases;
static char table_error[512];
static const char *table_path, *forklab, *bindir;
static char repo[PATH_MAX], outside[PATH_MAX], uid_text[32];

/* What the hostile programs leave if the sandbox lets them (29-write-outside,
 * 43-ipc-leftover): the last test removes and reports any of them. */
static const char *const escape_files[] = {
	"/tmp/forklab-sbx-escape",
	"/var/tmp/forklab-sbx-escape",
	"/etc/forklab-sbx-escape",
	"/root/.forklab-sbx-escape",
};
#define LEFTOVER_NAME     "/forklab-sbx-leftover"
#define LEFTOVER_SYSV_KEY 0x464b5342
/* shm_open("/N") is /dev/shm/N, sem_open("/N") is /dev/shm/sem.N */
static const char *const leftover_files[] = {
	"/dev/shm/forklab-sbx-leftover",
	"/dev/shm/sem.forklab-sbx-leftover",
};

/* ---- text helpers ---------------------------------------------------- */

/* A growing string; out of memory ends the test, which Check reports. */
struct text {
	char *s;
	size_t len, cap;
};

static void text_add(struct text *t, const char *data, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;

		while (cap < t->len + n + 1)
			cap *= 2;
		t->s = realloc(t->s, cap);
		if (!t->s)
			abort();
		t->cap = cap;
	}
	memcpy(t->s + t->len, data, n);
	t->len += n;
	t->s[t->len] = '\0';
}

__attribute__((format(printf, 2, 3))) static void
text_printf(struct text *t, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	text_add(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* At most max bytes of s on one line: control bytes become spaces. */
static void text_excerpt(struct text *t, const char *s, size_t max)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n && i < max; i++) {
		char c = iscntrl((unsigned char)s[i]) ? ' ' : s[i];

		text_add(t, &c, 1);
	}
	if (n > max)
		text_add(t, "...", 3);
}

/* ---- the table --------------------------------------------------------- */

/* The placeholders of the table and what they stand for. */
static const struct {
	const char *name;
	const char *value;
} placeholders[] = {
	{ "@REPO@", repo },
	{ "@SCRATCH_OUTSIDE@", outside },
	{ "@UID@", uid_text },
};

/* word with every placeholder replaced; the caller frees it. */
static char *expand(const char *word)
{
	struct text t = { 0 };

	text_add(&t, "", 0);
	while (*word) {
		size_t i, n = sizeof(placeholders) / sizeof(placeholders[0]);

		for (i = 0; i < n; i++) {
			size_t len = strlen(placeholders[i].name);

			if (strncmp(word, placeholders[i].name, len) == 0) {
				text_add(&t, placeholders[i].value,
				         strlen(placeholders[i].value));
				word += len;
				break;
			}
		}
		if (i == n)
			text_add(&t, word++, 1);
	}
	return t.s;
}

/* Split a copy of s at spaces into words[] (at most max). "-" alone is no
 * word at all. Returns the number of words; the words point into *copy,
 * which the caller frees. */
static int split_words(const char *s, char **copy, char **words, int max)
{
	char *save = NULL, *w;
	int n = 0;

	*copy = strdup(s ? s : "");
	if (!*copy)
		abort();
	for (w = strtok_r(*copy, " ", &save); w && n < max;
	     w = strtok_r(NULL, " ", &save)) {
		if (strcmp(w, "-") != 0)
			words[n++] = w;
	}
	return n;
}

static void chomp(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

/* Load the table into cases[]. Returns 0, or -1 with table_error set. */
static int load_table(const char *path)
{
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, ret = -1;
	FILE *f = fopen(path, "re");

	if (!f) {
		snprintf(table_error, sizeof(table_error), "fopen %s: %s", path,
		         strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		char *field[4] = { NULL }, *save = NULL, *p;
		int n = 0;

		lineno++;
		chomp(line);
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		for (p = strtok_r(line, "\t", &save); p && n < 4;
		     p = strtok_r(NULL, "\t", &save))
			field[n++] = p;
		if (n < 3) {
			snprintf(table_error, sizeof(table_error),
			         "%s:%d: %d fields, expected 3 or 4", path,
			         lineno, n);
			goto out;
		}
		if (ncases == MAX_CASES) {
			snprintf(table_error, sizeof(table_error),
			         "%s:%d: more than %d cases", path, lineno,
			         MAX_CASES);
			goto out;
		}
		cases[ncases].line = lineno;
		cases[ncases].program = strdup(field[0]);
		cases[ncases].options = strdup(field[1]);
		cases[ncases].expect = strdup(field[2]);
		cases[ncases].args = strdup(field[3] ? field[3] : "-");
		ncases++;
	}
	if (ncases == 0) {
		snprintf(table_error, sizeof(table_error), "%s: no case", path);
		goto out;
	}
	ret = 0;
out:
	free(line);
	fclose(f);
	return ret;
}

/* ---- running forklab ----------------------------------------------------- */

struct run {
	int status; /* from waitpid, valid unless timed_out */
	int timed_out;
	struct text out, err;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read what fd has now into t. Returns 0 at end of file, 1 otherwise. */
static int drain(int fd, struct text *t)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			text_add(t, buf, n);
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN ? 1 : 0;
	}
}

/* Run argv (forklab) with stdin from /dev/null and its stdout and stderr
 * collected in r, for at most RUN_TIMEOUT seconds (then it is killed, and
 * r->timed_out set). forklab is always reaped. Returns 0, or -1 with errno
 * when it could not be started. Its end, not the end of its pipes, ends the
 * collection: a process that leaked out of the sandbox and kept the pipes
 * open must not hang the test. */
static int run_forklab(char *const argv[], struct run *r)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, ret = -1;
	double deadline = now() + RUN_TIMEOUT;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	text_add(&r->out, "", 0);
	text_add(&r->err, "", 0);
	if (pipe2(out, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    pipe2(err, O_CLOEXEC | O_NONBLOCK) < 0)
		goto out;
	pid = fork();
	if (pid < 0)
		goto out;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		/* If this test dies (its Check timeout), forklab goes too. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(err[1], 2) < 0)
			_exit(127);
		execv(argv[0], argv);
		dprintf(2, "cannot execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;
	for (;;) {
		struct pollfd fds[2] = { { out[0], POLLIN, 0 },
			                 { err[0], POLLIN, 0 } };
		pid_t w;

		poll(fds, 2, 50);
		if (fds[0].revents && !drain(out[0], &r->out))
			fds[0].fd = -1;
		if (fds[1].revents && !drain(err[0], &r->err))
			fds[1].fd = -1;
		w = waitpid(pid, &r->status, WNOHANG);
		if (w == pid) {
			/* What forklab wrote before its end is in the pipes. */
			drain(out[0], &r->out);
			drain(err[0], &r->err);
			break;
		}
		if (now() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &r->status, 0);
			r->timed_out = 1;
			break;
		}
	}
	ret = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	return ret;
}

/* ---- assertions ------------------------------------------------------------ */

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_HAS, OP_HASNT };

/* Two-character operators first, so that "<=" is not read as "<". */
static const struct {
	const char *text;
	enum op op;
} ops[] = {
	{ "<=", OP_LE }, { ">=", OP_GE }, { "!=", OP_NE }, { "!~", OP_HASNT },
	{ "=", OP_EQ },  { "~", OP_HAS }, { "<", OP_LT },  { ">", OP_GT },
};

struct assertion {
	char key[128];
	enum op op;
	const char *value; /* alternatives separated by '|' */
};

/* Parse text into a. Returns 0, or -1 when it is not an assertion. */
static int parse_assertion(const char *text, struct assertion *a)
{
	size_t klen = strspn(text, "abcdefghijklmnopqrstuvwxyz"
	                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.#");

	if (klen == 0 || klen >= sizeof(a->key))
		return -1;
	memcpy(a->key, text, klen);
	a->key[klen] = '\0';
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t olen = strlen(ops[i].text);

		if (strncmp(text + klen, ops[i].text, olen) == 0) {
			a->op = ops[i].op;
			a->value = text + klen + olen;
			return 0;
		}
	}
	return -1;
}

/* s as a whole number, in *d. Returns 1 if it is one, else 0. */
static int parse_number(const char *s, double *d)
{
	char *end;

	if (!*s)
		return 0;
	errno = 0;
	*d = strtod(s, &end);
	return *end == '\0' && errno == 0;
}

static int json_equals(json_t *v, const char *want)
{
	double d;

	if (json_is_null(v))
		return strcmp(want, "null") == 0;
	if (json_is_true(v))
		return strcmp(want, "true") == 0;
	if (json_is_false(v))
		return strcmp(want, "false") == 0;
	if (json_is_number(v))
		return parse_number(want, &d) &&
		       fabs(json_number_value(v) - d) < 1e-9;
	if (json_is_string(v))
		return strcmp(json_string_value(v), want) == 0;
	return 0;
}

/* A string equal to want anywhere inside v. */
static int json_holds_string(json_t *v, const char *want)
{
	const char *key;
	json_t *item;
	size_t i;

	if (json_is_string(v))
		return strcmp(json_string_value(v), want) == 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, item)
		{
			if (json_holds_string(item, want))
				return 1;
		}
	}
	if (json_is_object(v)) {
		json_object_foreach(v, key, item)
		{
			if (json_holds_string(item, want))
				return 1;
		}
	}
	return 0;
}

/* Whether v op want holds, for one alternative; !=, !~ are asked as =, ~. */
static int holds_one(enum op op, json_t *v, const char *want)
{
	double d;

	switch (op) {
	case OP_EQ:
	case OP_NE:
		return json_equals(v, want);
	case OP_HAS:
	case OP_HASNT:
		if (json_is_string(v))
			return strstr(json_string_value(v), want) != NULL;
		return json_holds_string(v, want);
	default:
		break;
	}
	if (!json_is_number(v) || !parse_number(want, &d))
		return 0;
	switch (op) {
	case OP_LT:
		return json_number_value(v) < d;
	case OP_LE:
		return json_number_value(v) <= d;
	case OP_GT:
		return json_number_value(v) > d;
	case OP_GE:
		return json_number_value(v) >= d;
	default:
		return 0;
	}
}

/* Whether v op value holds over all of value's alternatives. */
static int holds(enum op op, json_t *v, const char *value)
{
	char *copy = strdup(value), *save = NULL, *alt;
	int any = 0;

	if (!copy)
		abort();
	/* An empty value is one empty alternative (stdout= means ""). */
	if (!*copy)
		any = holds_one(op, v, "");
	for (alt = strtok_r(copy, "|", &save); alt && !any;
	     alt = strtok_r(NULL, "|", &save))
		any = holds_one(op, v, alt);
	free(copy);
	return (op == OP_NE || op == OP_HASNT) ? !any : any;
}

/* The value at a dotted path of rec, a new reference (NULL when absent).
 * "#path" gives the length of what is there. */
static json_t *lookup(json_t *rec, const char *key)
{
	int length = key[0] == '#';
	char *copy = strdup(key + length), *save = NULL, *part;
	json_t *v = rec;

	if (!copy)
		abort();
	for (part = strtok_r(copy, ".", &save); part && v;
	     part = strtok_r(NULL, ".", &save)) {
		if (json_is_object(v))
			v = json_object_get(v, part);
		else if (json_is_array(v) && isdigit((unsigned char)*part))
			v = json_array_get(v, strtoul(part, NULL, 10));
		else
			v = NULL;
	}
	free(copy);
	if (!v)
		return NULL;
	if (!length)
		return json_incref(v);
	if (json_is_array(v))
		return json_integer(json_array_size(v));
	if (json_is_object(v))
		return json_integer(json_object_size(v));
	if (json_is_string(v))
		return json_integer(json_string_length(v));
	return NULL;
}

/* v as compact JSON on one line, at most 160 bytes, into t. */
static void describe(struct text *t, json_t *v)
{
	char *s;

	if (!v) {
		text_printf(t, "(absent)");
		return;
	}
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	text_excerpt(t, s ? s : "?", 160);
	free(s);
}

/* Evaluate one assertion over rec (NULL when forklab printed no record) and
 * forklab's exit status. Returns 1 when it holds; else 0, with what was
 * observed written to why. */
static int evaluate(const char *text, json_t *rec, int forklab_exit,
                    struct text *why)
{
	struct assertion a;
	json_t *v, *verdict, *code;
	int ok;

	if (parse_assertion(text, &a) < 0) {
		text_printf(why, "not an assertion");
		return 0;
	}
	if (strcmp(a.key, "forklab_exit") == 0) {
		v = json_integer(forklab_exit);
		ok = holds(a.op, v, a.value);
		text_printf(why, "forklab exited %d", forklab_exit);
		json_decref(v);
		return ok;
	}
	if (!rec) {
		text_printf(why, "no JSON record");
		return 0;
	}
	if (strcmp(a.key, "signaled") == 0) {
		char negated[64];
		char *copy = strdup(a.value), *save = NULL, *alt;

		if (!copy)
			abort();
		verdict = json_object_get(rec, "verdict");
		code = json_object_get(rec, "exit_code");
		ok = 0;
		for (alt = strtok_r(copy, "|", &save); alt && !ok;
		     alt = strtok_r(NULL, "|", &save)) {
			snprintf(negated, sizeof(negated), "-%s", alt);
			ok = verdict && code &&
			     json_equals(verdict, "signaled") &&
			     json_equals(code, negated);
		}
		free(copy);
		if (a.op == OP_NE)
			ok = !ok;
		else if (a.op != OP_EQ)
			ok = 0;
		text_printf(why, "verdict ");
		describe(why, verdict);
		text_printf(why, ", exit_code ");
		describe(why, code);
		return ok;
	}
	v = lookup(rec, a.key);
	ok = v && holds(a.op, v, a.value);
	text_printf(why, "observed ");
	describe(why, v);
	json_decref(v);
	return ok;
}

/* ---- the tests --------------------------------------------------------------- */

START_TEST(test_table_loads)
{
	ck_abort_msg("cannot load the case table: %s", table_error);
}
END_TEST

START_TEST(test_case)
{
	const struct sbx_case *c = &cases[_i];
	char *argv[2 * MAX_WORDS + 8], *owned[2 * MAX_WORDS + 1];
	char *words[MAX_WORDS], *ocopy, *acopy, *ecopy;
	struct text fail = { 0 }, why = { 0 };
	int n, argc = 0, nowned = 0, nfail = 0, code = -1, asked_exit = 0;
	json_t *rec = NULL;
	json_error_t jerr;
	struct run r;

	/* forklab run OPTIONS -- PROGRAM ARGS */
	argv[argc++] = (char *)forklab;
	argv[argc++] = "run";
	n = split_words(c->options, &ocopy, words, MAX_WORDS);
	for (int i = 0; i < n; i++)
		argv[argc++] = owned[nowned++] = expand(words[i]);
	argv[argc++] = "--";
	if (asprintf(&owned[nowned], "%s/%s", bindir, c->program) < 0)
		abort();
	argv[argc++] = owned[nowned++];
	n = split_words(c->args, &acopy, words, MAX_WORDS);
	for (int i = 0; i < n; i++)
		argv[argc++] = owned[nowned++] = expand(words[i]);
	argv[argc] = NULL;

	text_printf(&fail, "%s:%d %s:", table_path, c->line, c->program);
	if (run_forklab(argv, &r) < 0)
		ck_abort_msg("%s cannot start %s: %s", fail.s, forklab,
		             strerror(errno));

	/* forklab's own end first: a sandbox that failed must not pass for
	 * one that judged. */
	if (r.timed_out) {
		text_printf(&fail,
		            " forklab did not end within %.0f s and was "
		            "killed;",
		            RUN_TIMEOUT);
		nfail++;
	} else if (WIFSIGNALED(r.status)) {
		text_printf(&fail, " forklab was killed by signal %d;",
		            WTERMSIG(r.status));
		nfail++;
	} else {
		code = WEXITSTATUS(r.status);
		if (code != 0 && code != 1) {
			text_printf(&fail, " forklab exited %d%s;", code,
			            code == 2 ? " (its own fault)" : "");
			nfail++;
		}
	}
	if (r.out.len > 0) {
		rec = json_loadb(r.out.s, r.out.len, 0, &jerr);
		if (!rec) {
			text_printf(&fail,
			            " its stdout is not one JSON "
			            "object (%s);",
			            jerr.text);
			nfail++;
		}
	}

	n = split_words(c->expect, &ecopy, words, MAX_WORDS);
	for (int i = 0; i < n; i++) {
		if (strncmp(words[i], "forklab_exit", 12) == 0)
			asked_exit = 1;
		why.len = 0;
		if (!evaluate(words[i], rec, code, &why)) {
			text_printf(&fail, " `%s` failed: %s;", words[i],
			            why.s ? why.s : "");
			nfail++;
		}
	}
	if (!asked_exit && code == 1) {
		text_printf(&fail, " forklab exited 1, expected 0;");
		nfail++;
	}

	if (nfail) {
		if (rec) {
			text_printf(&fail, " [record: verdict ");
			describe(&fail, json_object_get(rec, "verdict"));
			text_printf(&fail, ", limit ");
			describe(&fail, json_object_get(rec, "limit"));
			text_printf(&fail, ", exit_code ");
			describe(&fail, json_object_get(rec, "exit_code"));
			text_printf(&fail, "; program stdout: ");
			describe(&fail, json_object_get(rec, "stdout"));
			text_printf(&fail, "]");
		}
		if (r.err.len) {
			text_printf(&fail, " [forklab stderr: ");
			text_excerpt(&fail, r.err.s, 300);
			text_printf(&fail, "]");
		}
		ck_abort_msg("%s", fail.s);
	}
	json_decref(rec);
	free(fail.s);
	free(why.s);
	free(r.out.s);
	free(r.err.s);
	free(ocopy);
	free(acopy);
	free(ecopy);
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
}
END_TEST

/* The basename of a path, without the " (deleted)" of a removed executable. */
static void exe_name(const char *path, char *name, size_t size)
{
	const char *slash = strrchr(path, '/');

	snprintf(name, size, "%s", slash ? slash + 1 : path);
	if (strlen(name) > 10 &&
	    strcmp(name + strlen(name) - 10, " (deleted)") == 0)
		name[strlen(name) - 10] = '\0';
}

/* Whether a process runs one of the table's programs: by its executable (the
 * copy forklab ran may be gone, or live in a scratch directory) or its
 * argv[0]. */
static int is_hostile(const char *exe_or_argv0, const char *bindir_real)
{
	char name[PATH_MAX];

	if (!*exe_or_argv0)
		return 0;
	if (*bindir_real &&
	    strncmp(exe_or_argv0, bindir_real, strlen(bindir_real)) == 0)
		return 1;
	exe_name(exe_or_argv0, name, sizeof(name));
	for (int i = 0; i < ncases; i++)
		if (strcmp(name, cases[i].program) == 0)
			return 1;
	return 0;
}

/* Append to t every live (not zombie) process that runs a program of the
 * table. Returns how many. */
static int find_hostile(struct text *t)
{
	char bindir_real[PATH_MAX] = "", path[64], buf[PATH_MAX];
	struct dirent *e;
	int found = 0;
	DIR *d = opendir("/proc");

	if (!realpath(bindir, bindir_real))
		bindir_real[0] = '\0';
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		int pid = atoi(e->d_name), fd;
		char state = 0, *paren;
		ssize_t n;

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		paren = strrchr(buf, ')');
		if (paren && paren[1] == ' ')
			state = paren[2];
		if (state == 'Z' || state == 'X')
			continue;

		snprintf(path, sizeof(path), "/proc/%d/exe", pid);
		n = readlink(path, buf, sizeof(buf) - 1);
		buf[n < 0 ? 0 : n] = '\0';
		if (is_hostile(buf, bindir_real)) {
			text_printf(t, " pid %d (%s);", pid, buf);
			found++;
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		buf[n < 0 ? 0 : n] = '\0'; /* argv[0] ends at its NUL */
		if (is_hostile(buf, bindir_real)) {
			text_printf(t, " pid %d (%s);", pid, buf);
			found++;
		}
	}
	closedir(d);
	return found;
}

/* The outside directory must hold exactly the canary, unchanged. */
static void check_outside(struct text *t)
{
	char path[PATH_MAX + 16], buf[256];
	struct dirent *e;
	struct stat st;
	ssize_t n;
	DIR *d;
	int fd;

	snprintf(path, sizeof(path), "%s/canary", outside);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd < 0 || fstat(fd, &st) < 0) {
		text_printf(t, " the canary %s is gone;", path);
	} else {
		buf[n < 0 ? 0 : n] = '\0';
		if (strcmp(buf, CANARY_TEXT) != 0)
			text_printf(t, " the canary %s was changed;", path);
		if ((st.st_mode & 07777) != 0666)
			text_printf(t, " the canary's mode is now %o;",
			            st.st_mode & 07777);
	}
	if (fd >= 0)
		close(fd);
	d = opendir(outside);
	if (!d) {
		text_printf(t, " %s is gone;", outside);
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, "canary"))
			text_printf(t, " %s/%s appeared;", outside, e->d_name);
	closedir(d);
}

/* A file that must not exist: removed, and reported. */
static void check_absent(struct text *t, const char *path, const char *what)
{
	if (access(path, F_OK) == 0) {
		text_printf(t, " %s %s;", path, what);
		unlink(path);
	}
}

/* Files and IPC objects a hostile program made: removed, and reported. */
static void check_escapes(struct text *t)
{
	int id;

	for (size_t i = 0; i < sizeof(escape_files) / sizeof(escape_files[0]);
	     i++)
		check_absent(t, escape_files[i], "was created");
	for (size_t i = 0;
	     i < sizeof(leftover_files) / sizeof(leftover_files[0]); i++)
		check_absent(t, leftover_files[i], "was left behind");
	if (mq_unlink(LEFTOVER_NAME) == 0)
		text_printf(t, " message queue %s was left behind;",
		            LEFTOVER_NAME);
	id = shmget(LEFTOVER_SYSV_KEY, 0, 0);
	if (id >= 0) {
		text_printf(t, " SysV shm key 0x%x was left behind;",
		            LEFTOVER_SYSV_KEY);
		shmctl(id, IPC_RMID, NULL);
	}
}

START_TEST(test_nothing_left_behind)
{
	struct text t = { 0 };

	text_add(&t, "", 0);
	/* Processes killed a moment ago may still be on their way out. */
	for (int tries = 0; tries < 20; tries++) {
		t.len = 0;
		t.s[0] = '\0';
		if (find_hostile(&t) == 0)
			break;
		usleep(100000);
	}
	if (t.len)
		text_printf(&t, " (hostile processes still alive)");
	check_outside(&t);
	check_escapes(&t);
	if (t.len)
		ck_abort_msg("left behind after the cases:%s", t.s);
	free(t.s);
}
END_TEST

/* ---- setup ------------------------------------------------------------------ */

/* Make the outside directory: world-writable, with a world-writable canary,
 * so that only the sandbox keeps a program from changing them. */
static int make_outside(void)
{
	char path[PATH_MAX + 16];
	int fd, ok;

	snprintf(outside, sizeof(outside), "/tmp/forklab-sbx-outside.XXXXXX");
	if (!mkdtemp(outside) || chmod(outside, 0777) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/canary", outside);
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	ok = write(fd, CANARY_TEXT, strlen(CANARY_TEXT)) ==
	         (ssize_t)strlen(CANARY_TEXT) &&
	     fchmod(fd, 0666) == 0;
	close(fd);
	return ok ? 0 : -1;
}

static void remove_outside(void)
{
	char path[PATH_MAX + 300];
	struct dirent *e;
	DIR *d = opendir(outside);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", outside, e->d_name);
		if (unlink(path) < 0)
			rmdir(path);
	}
	closedir(d);
	rmdir(outside);
}

int main(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc_cases = tcase_create("cases");
	TCase *tc_end = tcase_create("end");
	SRunner *sr;
	int failed;

	forklab = getenv("FORKLAB") ? getenv("FORKLAB") : "bin/forklab";
	bindir =
	    getenv("SANDBOX_BIN") ? getenv("SANDBOX_BIN") : "build/sandbox";
	table_path = getenv("SANDBOX_CASES") ? getenv("SANDBOX_CASES")
	                                     : "tests/sandbox/cases.tsv";
	/* forklab's environment must not reach the sandbox (03-sandbox-view). */
	setenv(SECRET_VAR, "must-not-reach-the-sandbox", 1);
	snprintf(uid_text, sizeof(uid_text), "%d", (int)getuid());
	if (!getcwd(repo, sizeof(repo)) || make_outside() < 0) {
		fprintf(stderr, "test_sandbox: setup: %s\n", strerror(errno));
		return 2;
	}

	tcase_set_timeout(tc_cases, TEST_TIMEOUT);
	if (load_table(table_path) == 0)
		tcase_add_loop_test(tc_cases, test_case, 0, ncases);
	else
		tcase_add_test(tc_cases, test_table_loads);
	suite_add_tcase(s, tc_cases);
	tcase_set_timeout(tc_end, TEST_TIMEOUT);
	tcase_add_test(tc_end, test_nothing_left_behind);
	suite_add_tcase(s, tc_end);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_outside();
	return failed ? 1 : 0;
}
