/* run.h - one command in the box: sandbox + tracer + output + channel. */
#ifndef FORKLAB_RUN_H
#define FORKLAB_RUN_H

#include <jansson.h>

#include "sandbox.h"
#include "trace.h"

/* The descriptor on which a command finds the driver channel. */
#define RUN_CHANNEL_FD 3

struct run_conf {
	char *const *argv;      /* the command; argv[0] a path */
	const char *scratch;    /* NULL: a fresh one, removed at the end */
	const char *const *ro;  /* extra read+execute paths, NULL-ended */
	const char *const *env; /* extra KEY=VALUE, NULL-ended */
	struct sbx_limits lim;  /* zero fields: defaults */
	int channel;            /* pass the driver channel on fd 3 */
	int keep_events;        /* record channel messages (else drop) */
};

/* A message the command sent on the driver channel; pid is the sender's,
 * as the kernel attached it (SCM_CREDENTIALS), never as it claims. */
struct run_event {
	double t;
	pid_t pid;
	size_t len;
	char *text;
};

struct run_buf {
	char *data; /* the first bytes kept */
	size_t len;
	long long total; /* bytes written in all */
};

struct run_result {
	int started;     /* the box was entered */
	char error[256]; /* why it could not start, or "" */
	int exit_code;   /* the main process: status, or -signal */
	int limit;       /* the limit that stopped the run (enum trc_limit) */
	double wall_s, cpu_s;
	uid_t uid;
	int killed_at_end;
	int ipc_removed[3]; /* shm files, message queues, SysV objects */
	struct trc trc;
	struct run_buf out, err;
	struct run_event *ev;
	int nev;
	char token[33]; /* the run's secret, given once on "?token" */
	int token_asks; /* more than one: someone else asked first */
};

/* Run c->argv in the box and record what the kernel saw into r (which the
 * caller frees with run_free). Returns 0 when the run happened, whatever the
 * command did; 1 when the command could not be started (r->error says why,
 * a student-side outcome: a missing or non-executable file); -1 with a
 * message in r->error on a fault of forklab itself. */
int run_exec(const struct run_conf *c, struct run_result *r);

void run_free(struct run_result *r);

/* The JSON record of a run (the shape `forklab run` prints). New reference. */
json_t *run_json(const struct run_conf *c, struct run_result *r);

/* The answer to a query a driver sent on the channel ("?procs", ...): a
 * malloc'd text, or NULL for an unknown query. Used by run.c itself. */
char *run_answer(struct run_result *r, const char *query);

#endif
