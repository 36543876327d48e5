/*
 * judge.c - from what a run recorded to a verdict with feedback.
 *
 * Theory of operation. A test passes only on positive evidence: a "pass"
 * sent by the driver's main process (the kernel names the sender) with the
 * token forklab handed out once, and, for a timed test, a measurement that
 * holds against the reference's, taken on the same machine at the same time.
 * Everything else is a failure of some kind, told apart for the student in
 * the order of the table below: the run could not start (forklab's fault),
 * the channel was tampered with, a limit stopped the run, the driver died by
 * a signal, or it ended without a verdict (the submission ended the caller).
 */
#define _GNU_SOURCE
#include "judge.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FEEDBACK_MAX 6000
#define OUTPUT_SHOWN 600
#define PROMPT_S     0.2 /* the sheet's "promptly": 0.2 s plus the reference */
#define TL_PROCS     64  /* processes kept in a timeline (the first ones) */
#define TL_EVENTS    200 /* events kept in a timeline (the first ones) */
#define TL_TEXT      160 /* bytes of an event's text shown */

/* The run as a timeline a report can draw: each process (not thread) with
 * its birth, names, signals and end, and the driver's "E" events, both as
 * the kernel and forklab saw them (times in seconds since the run started).
 * Bounded, so a fork bomb's record stays small; the totals say what was
 * left out. Names and event texts may come from the submission: cut and
 * made valid UTF-8 here. */
static json_t *timeline(struct run_result *r)
{
	json_t *procs = json_array(), *events = json_array();
	int nprocs = 0, nevents = 0;

	for (int i = 0; i < r->trc.np; i++) {
		const struct trc_proc *p = &r->trc.p[i];
		json_t *names, *sigs;

		if (p->thread)
			continue;
		if (nprocs++ >= TL_PROCS)
			continue;
		names = json_array();
		sigs = json_array();
		for (int k = 0; k < p->nnames; k++) {
			const char *n = p->names[k].name;
			char *u = util_utf8(
			    n, strnlen(n, sizeof p->names[k].name), 64);

			json_array_append_new(
			    names, json_pack("{s:f, s:s}", "t", p->names[k].t,
			                     "name", u));
			free(u);
		}
		for (int k = 0; k < p->nsigs; k++)
			json_array_append_new(
			    sigs, json_pack("{s:f, s:i}", "t", p->sigs[k].t,
			                    "signo", p->sigs[k].signo));
		json_array_append_new(
		    procs, json_pack("{s:i, s:i, s:f, s:o, s:o, s:o, s:o, s:i}",
		                     "pid", (int)p->pid, "ppid", (int)p->ppid,
		                     "start_s", p->start, "end_s",
		                     p->ended ? json_real(p->end) : json_null(),
		                     "exit_code",
		                     p->ended ? json_integer(p->exit_code)
		                              : json_null(),
		                     "names", names, "signals", sigs,
		                     "signals_total", p->sigs_total));
	}
	for (int i = 0; i < r->nev; i++) {
		const struct run_event *e = &r->ev[i];
		char *u;

		if (e->len < 2 || e->text[0] != 'E' || e->text[1] != ' ')
			continue;
		if (nevents++ >= TL_EVENTS)
			continue;
		u = util_utf8(e->text + 2, e->len - 2, TL_TEXT);
		json_array_append_new(events,
		                      json_pack("{s:f, s:i, s:s}", "t", e->t,
		                                "pid", (int)e->pid, "text", u));
		free(u);
	}
	return json_pack("{s:i, s:f, s:o, s:i, s:o, s:i}", "main",
	                 (int)r->trc.main, "wall_s", r->wall_s, "procs", procs,
	                 "procs_total", nprocs, "events", events,
	                 "events_total", nevents);
}

json_t *judge_facts(struct run_result *r)
{
	json_t *j = json_object(), *notes = json_array();
	pid_t main = r->trc.main;
	const char *verdict = NULL;
	size_t vlen = 0;
	int tampered = r->token_asks > 1, has_metric = 0;
	size_t tl = strlen(r->token);
	double metric = 0;

	for (int i = 0; i < r->nev; i++) {
		const char *m = r->ev[i].text;

		if (r->ev[i].pid != main || m[0] == 'E')
			continue;
		if (m[0] == 'N' && m[1] == ' ') {
			char *u =
			    util_utf8(m + 2, r->ev[i].len - 2, FEEDBACK_MAX);

			json_array_append_new(notes, json_string(u));
			free(u);
		} else if (m[0] == 'M' && m[1] == ' ') {
			metric = strtod(m + 2, NULL);
			has_metric = 1;
		} else if (m[0] == 'V' && m[1] == ' ') {
			if (strncmp(m + 2, r->token, tl) || m[2 + tl] != ' ')
				tampered = 1;
			else if (!verdict) {
				verdict = m + 3 + tl;
				vlen = r->ev[i].len - 3 - tl;
			}
		}
	}
	json_object_set_new(j, "started", json_boolean(r->started));
	json_object_set_new(j, "error", json_string(r->error));
	json_object_set_new(j, "exit_code", json_integer(r->exit_code));
	json_object_set_new(
	    j, "limit", json_string(r->limit ? trc_limit_name(r->limit) : ""));
	json_object_set_new(j, "wall_s", json_real(r->wall_s));
	json_object_set_new(j, "cpu_s", json_real(r->cpu_s));
	json_object_set_new(j, "tampered", json_boolean(tampered));
	if (verdict) {
		char *v = util_utf8(verdict, vlen, FEEDBACK_MAX);

		json_object_set_new(j, "verdict", json_string(v));
		free(v);
	}
	json_object_set_new(j, "notes", notes);
	if (has_metric)
		json_object_set_new(j, "metric", json_real(metric));
	{
		char *o = util_utf8(r->out.data, r->out.len, OUTPUT_SHOWN);
		char *e = util_utf8(r->err.data, r->err.len, OUTPUT_SHOWN);

		json_object_set_new(j, "stdout", json_string(o));
		json_object_set_new(j, "stderr", json_string(e));
		free(o);
		free(e);
	}
	json_object_set_new(j, "alive_after_main",
	                    json_integer(r->trc.alive_after_main));
	json_object_set_new(j, "created", json_integer(r->trc.created_procs));
	json_object_set_new(j, "timeline", timeline(r));
	return j;
}

static void add(char **fb, const char *s)
{
	char *u = util_utf8(s, strlen(s), FEEDBACK_MAX);

	if (*fb && **fb)
		util_append(fb, "\n%s", u);
	else {
		free(*fb);
		*fb = util_fmt("%s", u);
	}
	free(u);
}

/* A test not passed keeps its run's timeline for the report; a passed one
 * drops it, so that reports stay small. */
static void keep_timeline(struct report_test *out, json_t *s)
{
	if (strcmp(out->status, "passed") && !out->timeline)
		out->timeline = json_incref(json_object_get(s, "timeline"));
}

static const char *jstr(json_t *j, const char *k)
{
	const char *s = json_string_value(json_object_get(j, k));

	return s ? s : "";
}

static int metric_of(json_t *j, double *v)
{
	json_t *m = json_object_get(j, "metric");

	if (!json_is_number(m))
		return 0;
	*v = json_number_value(m);
	return 1;
}

/* The measurement against the reference's, per the test's rule. */
static int judge_metric(const struct fl_test *t, json_t *s, json_t *ref,
                        struct report_test *out)
{
	double m, r;
	char line[512];
	int ok;

	if (!metric_of(s, &m)) {
		out->status = "error";
		add(&out->feedback, "the test sent no measurement (a fault of "
		                    "forklab's grader, not yours)");
		return 1;
	}
	if (!ref || !metric_of(ref, &r)) {
		out->status = "error";
		add(&out->feedback,
		    "the reference run made at the same time gave no "
		    "measurement, so yours could not be judged (a fault of "
		    "forklab, not yours; grade again)");
		return 1;
	}
	switch (t->rule) {
	case FL_INFO:
		snprintf(line, sizeof line,
		         "yours: %.0f/s, the reference: %.0f/s (for "
		         "information)",
		         m, r);
		ok = 1;
		break;
	case FL_AT_MOST:
		ok = m <= t->arg || m <= r + PROMPT_S;
		snprintf(line, sizeof line,
		         "took %.3f s; the limit is %.3f s (or the reference's "
		         "%.3f s + %.1f s on a loaded machine)",
		         m, t->arg, r, PROMPT_S);
		break;
	case FL_SLACK:
		ok = m <= r + t->arg;
		snprintf(line, sizeof line,
		         "yours took %.3f s, the reference %.3f s, run at the "
		         "same time (allowed: %.1f s more)",
		         m, r, t->arg);
		break;
	case FL_RATE:
		ok = m >= r / t->arg;
		snprintf(line, sizeof line,
		         "yours: %.0f per second, the reference: %.0f per "
		         "second, run at the same time (points lost only below "
		         "1/%.0f of the reference's)",
		         m, r, t->arg);
		break;
	default:
		return 0;
	}
	add(&out->feedback, line);
	if (!ok) {
		out->status = "failed";
		add(&out->feedback,
		    t->rule == FL_RATE
		        ? "hint: a design that sleeps in a loop, or forks a "
		          "process per item, is this slow; block on a "
		          "condition variable, semaphore or descriptor "
		          "instead"
		        : "hint: a wait that sleeps in fixed steps, or "
		          "checks too late, returns late");
	}
	return 0;
}

int judge_test(const struct fl_test *t, json_t *s, json_t *ref,
               struct report_test *out)
{
	json_t *notes = json_object_get(s, "notes"), *n;
	const char *verdict = json_string_value(json_object_get(s, "verdict"));
	const char *limit = jstr(s, "limit");
	int code = (int)json_integer_value(json_object_get(s, "exit_code"));
	size_t i;
	int fault = 0;

	out->t = t;
	out->status = "failed";
	out->score = 0;
	out->feedback = NULL;
	out->duration_s = json_number_value(json_object_get(s, "wall_s"));
	out->timeline = NULL;
	json_array_foreach(notes, i, n)
	    add(&out->feedback, json_string_value(n));

	if (!json_is_true(json_object_get(s, "started"))) {
		char *m = util_fmt("forklab could not start the test: %s",
		                   jstr(s, "error"));

		out->status = "error";
		add(&out->feedback, m);
		free(m);
		return 1;
	}
	if (json_is_true(json_object_get(s, "tampered"))) {
		add(&out->feedback,
		    "the test's channel to forklab was used by your code "
		    "(descriptor 3, or the test's token): a test passes only "
		    "on "
		    "evidence forklab collects itself");
		keep_timeline(out, s);
		return 0;
	}
	if (verdict && !strcmp(verdict, "pass")) {
		out->status = "passed";
		if (t->rule != FL_NONE)
			fault = judge_metric(t, s, ref, out);
	} else if (verdict && !strncmp(verdict, "fail ", 5)) {
		add(&out->feedback, verdict + 5);
	} else if (!strcmp(limit, "wall")) {
		json_t *lim = json_object_get(s, "wall_limit_s");
		char *m = util_fmt("the test did not finish within %g s\n"
		                   "hint: something waits forever: a child "
		                   "never reaped or never ended, a lock never "
		                   "released, a message never sent, a wait for "
		                   "any child while others live",
		                   json_is_number(lim) ? json_number_value(lim)
		                                       : t->timeout);

		out->status = "timeout";
		add(&out->feedback, m);
		free(m);
	} else if (*limit) {
		char *m = util_fmt(
		    "the test was stopped: the %s limit was "
		    "reached\nhint: %s",
		    limit,
		    !strcmp(limit, "cpu")      ? "a loop that spins instead of "
		                                 "blocking"
		    : !strcmp(limit, "output") ? "printing without end"
		                               : "using far more than the "
		                                 "exercise needs");

		out->status = !strcmp(limit, "cpu") ? "timeout" : "failed";
		add(&out->feedback, m);
		free(m);
	} else if (code < 0) {
		const char *d = sigdescr_np(-code);
		char *m = util_fmt("the test process (the caller of your "
		                   "functions) was killed by signal %d (%s)\n"
		                   "hint: a crash in your code, or a signal "
		                   "your code sent to the caller",
		                   -code, d ? d : "?");

		out->status = "crashed";
		add(&out->feedback, m);
		free(m);
	} else {
		char *m = util_fmt(
		    "the test ended before it gave a verdict (exit status "
		    "%d)\nhint: your code ended the caller's process "
		    "(exit() or _exit() where only a child should), or a "
		    "child returned into the caller's code, or descriptor "
		    "3 (the test's) was closed",
		    code);

		add(&out->feedback, m);
		free(m);
	}
	if (strcmp(out->status, "passed") && *jstr(s, "stderr")) {
		char *m =
		    util_fmt("stderr of the test:\n%s", jstr(s, "stderr"));

		add(&out->feedback, m);
		free(m);
	}
	if (!strcmp(out->status, "passed"))
		out->score = t->points;
	if (!out->feedback)
		out->feedback = strdup("");
	keep_timeline(out, s);
	return fault;
}
