/*
 * lathe run …: the runs of a project's jobs, their status and logs. A log
 * is written to stdout as the bytes come, unescaped (it is the workload's
 * own output); following one streams the core's follow=1 answer through a
 * libcurl write callback and ends when the run does. Ctrl-C stops the
 * following only: the run goes on in lathed.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "cli.h"
#include "client.h"
#include "json.h"
#include "size.h"
#include "wire.h"
#include "xmalloc.h"

/* Bytes asked for at a time when a log is read without following it. */
#define CLI_RUN_LOG_CHUNK	(4 * 1024 * 1024)
/* Pause before following again a log whose answer ended early. */
#define CLI_RUN_REFOLLOW_MS	200

static const struct {
	const char	*status;
	const char	*symbol;
	const char	*sgr;
	const char	*ended;		/* "run 12 …" once it has ended */
} cli_run_statuses[] = {
	{ "succeeded", "\xe2\x9c\x93", "32", "succeeded" },	/* ✓ */
	{ "failed", "\xe2\x9c\x97", "31", "failed" },		/* ✗ */
	{ "timed_out", "\xe2\x8f\xb1", "33", "timed out" },	/* ⏱ */
	{ "stopped", "\xe2\x96\xa0", "35", "was stopped" },	/* ■ */
	{ "lost", "?", "31", "was lost" },
	{ "running", "\xe2\x96\xb6", "36", NULL },		/* ▶ */
	{ "starting", "\xe2\x96\xb6", "36", NULL },
	{ "queued", "\xe2\x80\xa6", "34", NULL },		/* … */
};
#define CLI_RUN_NSTATUSES \
	(sizeof cli_run_statuses / sizeof cli_run_statuses[0])

static volatile sig_atomic_t	cli_run_interrupted;

/* A log being read: where its bytes go, and what the core said of it. */
struct cli_run_log {
	FILE		*out;
	struct buf	*keep;		/* --json: the bytes, else NULL */
	uint64_t	 offset;	/* X-Lathe-Log-Offset */
	uint64_t	 size;		/* X-Lathe-Log-Size */
	uint64_t	 got;		/* body bytes of this answer */
	char		 status[32];	/* X-Lathe-Run-Status */
	int		 failed;	/* 1: writing failed; -1: reported */
};

static int
cli_run_find(const char *status)
{
	size_t	i;

	for (i = 0; status != NULL && i < CLI_RUN_NSTATUSES; i++) {
		if (strcmp(cli_run_statuses[i].status, status) == 0)
			return (int)i;
	}
	return -1;
}

void
cli_run_status(const char *status, char *out, size_t len)
{
	int	i = cli_run_find(status);

	snprintf(out, len, "%s %s", i >= 0 ? cli_run_statuses[i].symbol :
	    "?", status != NULL ? status : "-");
}

const char *
cli_run_color(const char *status)
{
	int	i = cli_run_find(status);

	return i >= 0 && cli_color() ? cli_run_statuses[i].sgr : NULL;
}

/* A run id is a number: anything else is a usage error. */
static int
cli_run_check_id(struct cli *cli, const char *id)
{
	char	*safe;
	int	 rc;

	if (*id == '\0')
		return cli_usage(cli, "the run id must not be empty");
	if (id[strspn(id, "0123456789")] == '\0')
		return 0;
	safe = cli_safe(id);
	rc = cli_usage(cli, "'%s' is not a run id: runs are numbered "
	    "('lathe run list' shows them)", safe);
	free(safe);
	return rc;
}

/* "/api/v1/projects/P/runs/ID" + rest; a new string. */
static char *
cli_run_path(const char *project, const char *id, const char *rest)
{
	char	*esc = client_escape(id), *tail, *path;

	tail = xasprintf("/runs/%s%s", esc, rest);
	path = cli_project_path(project, tail);
	free(tail);
	free(esc);
	return path;
}

/* The project and run id of a run command; 0 or an exit status. */
static int
cli_run_args(struct cli *cli, const char *id, const char **project)
{
	int	rc;

	if ((rc = cli_project_option(cli, project)) != 0)
		return rc;
	return cli_run_check_id(cli, id);
}

/*
 * Check the project and run id, then call method on the run (its path and
 * rest). Return 0 with *answer (the caller deletes it), or an exit status.
 */
static int
cli_run_call(struct cli *cli, const char *method, const char *id,
    const char *rest, cJSON **answer)
{
	const char	*project;
	char		*path;
	int		 rc;

	if ((rc = cli_run_args(cli, id, &project)) != 0)
		return rc;
	path = cli_run_path(project, id, rest);
	rc = cli_request(cli, method, path, NULL, answer);
	free(path);
	return rc != 0 ? CLI_EXIT_ERROR : 0;
}

static void
cli_run_header(void *arg, const char *name, const char *value)
{
	struct cli_run_log	*log = arg;

	if (strcasecmp(name, "X-Lathe-Log-Offset") == 0)
		log->offset = strtoull(value, NULL, 10);
	else if (strcasecmp(name, "X-Lathe-Log-Size") == 0)
		log->size = strtoull(value, NULL, 10);
	else if (strcasecmp(name, "X-Lathe-Run-Status") == 0)
		snprintf(log->status, sizeof log->status, "%s", value);
}

static int
cli_run_data(void *arg, const char *bytes, size_t len)
{
	struct cli_run_log	*log = arg;

	log->got += len;
	if (log->keep != NULL) {
		buf_add(log->keep, bytes, len);
		return 0;
	}
	/* As they come: a pipe would otherwise hold them back. */
	if (fwrite(bytes, 1, len, log->out) != len || fflush(log->out) != 0) {
		log->failed = 1;
		return -1;
	}
	return 0;
}

static int
cli_run_stop_asked(void *arg)
{
	return cli_run_interrupted;
}

static void
cli_run_on_sigint(int sig)
{
	cli_run_interrupted = 1;
}

/*
 * Catch Ctrl-C while following, unless SIGINT is ignored (as it is for
 * background commands of a shell script), which is then left as it is.
 */
static void
cli_run_catch(struct sigaction *old)
{
	struct sigaction	sa;

	if (sigaction(SIGINT, NULL, old) != 0 || old->sa_handler == SIG_IGN)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_run_on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

/*
 * Ctrl-C came: say that the run goes on, then end as interrupted, so that
 * the shell knows the command was (a script stops at it).
 */
static void
cli_run_leave(const char *project, const char *id)
{
	char	*p = cli_safe(project), *r = cli_safe(id);

	fflush(stdout);
	fprintf(stderr, "\nlathe: stopped following run %s, which goes on "
	    "('lathe run stop %s -p %s' stops it)\n", r, r, p);
	free(p);
	free(r);
	signal(SIGINT, SIG_DFL);
	raise(SIGINT);
	/* SIGINT blocked by whoever started lathe: exit as a shell would. */
	exit(128 + SIGINT);
}

static void
cli_run_write_failed(struct cli *cli)
{
	cli_error(cli, wire_error_code(WIRE_INTERNAL_ERROR), "cannot write "
	    "the log: %s", strerror(errno));
}

static void
cli_run_sleep_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int
cli_run_follow(struct cli *cli, const char *project, const char *id,
    uint64_t tail, FILE *out, struct buf *keep, uint64_t *start, cJSON **run)
{
	struct client_sink	 sink;
	struct cli_run_log	 log;
	struct sigaction	 old;
	cJSON			*answer = NULL;
	char			*path, *rest;
	uint64_t		 next = 0;
	int			 first = 1, rc = -1;

	memset(&log, 0, sizeof log);
	log.out = out;
	log.keep = keep;
	sink.header = cli_run_header;
	sink.data = cli_run_data;
	sink.stop = cli_run_stop_asked;
	sink.arg = &log;
	cli_run_catch(&old);
	for (;;) {
		if (first && tail > 0)
			rest = xasprintf("/logs?follow=1&offset=-%" PRIu64,
			    tail);
		else
			rest = xasprintf("/logs?follow=1&offset=%" PRIu64,
			    next);
		path = cli_run_path(project, id, rest);
		free(rest);
		log.got = 0;
		log.offset = next;
		if (cli_request_stream(cli, path, &sink) != 0)
			log.failed = log.failed ? log.failed : -1;
		free(path);
		if (cli_run_interrupted)
			cli_run_leave(project, id);
		if (log.failed == 1)
			cli_run_write_failed(cli);
		if (log.failed != 0)
			goto out;
		if (first && start != NULL)
			*start = log.offset;
		next = log.offset + log.got;
		first = 0;
		path = cli_run_path(project, id, "");
		if (cli_request(cli, "GET", path, NULL, &answer) != 0) {
			free(path);
			goto out;
		}
		free(path);
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer,
		    "active")))
			break;
		/* The answer ended while the run goes on: follow again. */
		cJSON_Delete(answer);
		answer = NULL;
		cli_run_sleep_ms(CLI_RUN_REFOLLOW_MS);
	}
	*run = answer;
	rc = 0;
out:
	sigaction(SIGINT, &old, NULL);
	return rc;
}

int
cli_run_list(struct cli *cli, int argc, char **argv)
{
	static const char *const headers[] = {
		"ID", "JOB", "STATUS", "TRIGGER", "STARTED", "DURATION",
		"REASON"
	};
	struct cli_table	*t;
	const cJSON		*list, *r;
	const char		*project, *job, *status, *cells[7], *reason;
	cJSON			*answer = NULL;
	char			*path, *esc, *rest, shown[64], started[64];
	char			 took[32], *safe;
	int64_t			 ms, start;
	int			 rc;

	if ((rc = cli_project_option(cli, &project)) != 0)
		return rc;
	job = cli_value(cli, "job");
	status = cli_value(cli, "status");
	if (job != NULL && *job == '\0')
		return cli_usage(cli, "the job name must not be empty");
	if (status != NULL && cli_run_find(status) < 0) {
		safe = cli_safe(status);
		rc = cli_usage(cli, "unknown status '%s': use queued, "
		    "starting, running, succeeded, failed, timed_out, stopped "
		    "or lost", safe);
		free(safe);
		return rc;
	}
	if (job != NULL) {
		esc = client_escape(job);
		rest = xasprintf("/jobs/%s/runs?page_size=1000", esc);
		free(esc);
	} else
		rest = xstrdup("/runs?page_size=1000");
	path = cli_project_path(project, rest);
	free(rest);
	if (status != NULL) {
		rest = path;
		path = xasprintf("%s&status=%s", rest, status);
		free(rest);
	}
	rc = cli_request_pages(cli, path, "runs", &answer);
	free(path);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	list = cJSON_GetObjectItemCaseSensitive(answer, "runs");
	if (cJSON_GetArraySize(list) == 0) {
		safe = cli_safe(project);
		if (job != NULL || status != NULL)
			printf("no runs match\n");
		else
			printf("no runs in project %s yet: start one with "
			    "'lathe job run NAME -p %s'\n", safe, safe);
		free(safe);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	t = cli_table_new(7, headers);
	cJSON_ArrayForEach(r, list) {
		cli_run_status(cli_get(r, "status"), shown, sizeof shown);
		start = cli_get_int(r, "started_ms", 0);
		cli_time_ms(start, started, sizeof started);
		ms = cli_get_int(r, "duration_ms", -1);
		if (ms < 0 && start > 0 && cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(r, "active")))
			ms = (int64_t)time(NULL) * 1000 - start;
		if (ms >= 0)
			cli_duration(ms, took, sizeof took);
		else
			snprintf(took, sizeof took, "-");
		reason = cli_get(r, "reason");
		cells[0] = cli_get(r, "id");
		cells[1] = cli_get(r, "job");
		cells[2] = shown;
		cells[3] = cli_get(r, "trigger");
		cells[4] = started;
		cells[5] = took;
		cells[6] = reason != NULL && *reason != '\0' ? reason : NULL;
		cli_table_add(t, cells);
		if (cli_run_color(cli_get(r, "status")) != NULL)
			cli_table_style(t, 2,
			    cli_run_color(cli_get(r, "status")));
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

/* Print label and a run's status, coloured where colours are wanted. */
static void
cli_run_field_status(const char *label, const char *status)
{
	const char	*sgr = cli_run_color(status);
	char		 shown[64], *safe;

	cli_run_status(status, shown, sizeof shown);
	safe = cli_safe(shown);
	if (sgr != NULL)
		printf("%-12s \033[%sm%s\033[0m\n", label, sgr, safe);
	else
		printf("%-12s %s\n", label, safe);
	free(safe);
}

int
cli_run_show(struct cli *cli, int argc, char **argv)
{
	const cJSON	*limits, *v;
	const char	*s;
	cJSON		*answer = NULL;
	char		*text, t[64], size[SIZE_FORMAT_MAX];
	int64_t		 n;
	int		 rc;

	if ((rc = cli_run_call(cli, "GET", argv[0], "", &answer)) != 0)
		return rc;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	cli_field("run", cli_get(answer, "id"));
	cli_field("job", cli_get(answer, "job"));
	cli_field("project", cli_get(answer, "project"));
	cli_run_field_status("status", cli_get(answer, "status"));
	s = cli_get(answer, "reason");
	cli_field("reason", s != NULL && *s != '\0' ? s : NULL);
	v = cJSON_GetObjectItemCaseSensitive(answer, "exit_code");
	if (cJSON_IsNumber(v)) {
		text = xasprintf("%d", v->valueint);
		cli_field("exit code", text);
		free(text);
	} else
		cli_field("exit code", NULL);
	cli_field("signal", cli_get(answer, "signal"));
	text = xasprintf("%s%s%s", cli_get(answer, "trigger") != NULL ?
	    cli_get(answer, "trigger") : "-",
	    cli_get(answer, "parent_run_id") != NULL ? " by run " : "",
	    cli_get(answer, "parent_run_id") != NULL ?
	    cli_get(answer, "parent_run_id") : "");
	cli_field("trigger", text);
	free(text);
	text = xasprintf("%lld", (long long)cli_get_int(answer, "attempt", 1));
	cli_field("attempt", text);
	free(text);
	text = cli_words(cJSON_GetObjectItemCaseSensitive(answer, "command"));
	printf("%-12s %s\n", "command", *text != '\0' ? text : "-");
	free(text);
	text = cli_words(cJSON_GetObjectItemCaseSensitive(answer,
	    "env_overrides"));
	printf("%-12s %s\n", "env set", *text != '\0' ? text : "-");
	free(text);
	cli_field("runtime", cli_get(answer, "runtime"));
	limits = cJSON_GetObjectItemCaseSensitive(answer, "limits");
	size_format((uint64_t)cli_get_int(limits, "memory_mb", 0) << 20, size,
	    sizeof size);
	v = cJSON_GetObjectItemCaseSensitive(limits, "vcpu");
	s = cli_get(limits, "gpus");
	text = xasprintf("%s: %g vCPU (%s), %s memory (%s)%s%s",
	    cli_get(answer, "profile") != NULL ? cli_get(answer, "profile") :
	    "-", cJSON_IsNumber(v) ? v->valuedouble : 0,
	    cli_get(limits, "cpu") != NULL ? cli_get(limits, "cpu") : "-",
	    size, cli_get(limits, "memory") != NULL ?
	    cli_get(limits, "memory") : "-",
	    s != NULL && *s != '\0' ? ", GPUs " : "", s != NULL ? s : "");
	cli_field("profile", text);
	free(text);
	cli_time_ms(cli_get_int(answer, "queued_ms", 0), t, sizeof t);
	cli_field("queued", t);
	cli_time_ms(cli_get_int(answer, "started_ms", 0), t, sizeof t);
	cli_field("started", t);
	cli_time_ms(cli_get_int(answer, "ended_ms", 0), t, sizeof t);
	cli_field("ended", t);
	if ((n = cli_get_int(answer, "duration_ms", -1)) >= 0) {
		cli_duration(n, t, sizeof t);
		cli_field("duration", t);
	} else
		cli_field("duration", NULL);
	size_format((uint64_t)cli_get_int(answer, "log_bytes", 0), size,
	    sizeof size);
	cli_field("log", size);
	v = cJSON_GetObjectItemCaseSensitive(answer, "pid");
	if (cJSON_IsNumber(v)) {
		text = xasprintf("%d", v->valueint);
		cli_field("pid", text);
		free(text);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

/* What --json prints for a log: its bytes, as text or base64. */
static void
cli_run_log_json(const char *id, const char *status, uint64_t offset,
    struct buf *data)
{
	cJSON	*o = cJSON_CreateObject();
	size_t	 n;
	char	*b64;

	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "status", status);
	json_add_int64(o, "offset", (int64_t)offset);
	json_add_int64(o, "length", (int64_t)data->len);
	if (json_utf8_valid(buf_str(data), data->len) &&
	    memchr(buf_str(data), '\0', data->len) == NULL) {
		cJSON_AddStringToObject(o, "encoding", "utf-8");
		cJSON_AddStringToObject(o, "content", buf_str(data));
	} else {
		n = sodium_base64_ENCODED_LEN(data->len,
		    sodium_base64_VARIANT_ORIGINAL);
		b64 = xmalloc(n);
		sodium_bin2base64(b64, n, (const unsigned char *)buf_str(data),
		    data->len, sodium_base64_VARIANT_ORIGINAL);
		cJSON_AddStringToObject(o, "encoding", "base64");
		cJSON_AddStringToObject(o, "content", b64);
		free(b64);
	}
	cli_print_json(o);
	cJSON_Delete(o);
}

/* Read the log as it is now, a chunk at a time, from tail bytes back. */
static int
cli_run_read(struct cli *cli, const char *project, const char *id,
    uint64_t tail, struct cli_run_log *log, uint64_t *start)
{
	struct client_sink	 sink;
	char			*path, *rest;
	uint64_t		 offset = 0;
	int			 first = 1, rc;

	sink.header = cli_run_header;
	sink.data = cli_run_data;
	sink.stop = NULL;
	sink.arg = log;
	for (;;) {
		if (first && tail > 0)
			rest = xasprintf("/logs?offset=-%" PRIu64 "&limit=%d",
			    tail, CLI_RUN_LOG_CHUNK);
		else
			rest = xasprintf("/logs?offset=%" PRIu64 "&limit=%d",
			    offset, CLI_RUN_LOG_CHUNK);
		path = cli_run_path(project, id, rest);
		free(rest);
		log->got = 0;
		rc = cli_request_stream(cli, path, &sink);
		free(path);
		if (log->failed) {
			cli_run_write_failed(cli);
			return -1;
		}
		if (rc != 0)
			return -1;
		/* The answer's offset is where the next one starts. */
		if (first)
			*start = log->offset - log->got;
		first = 0;
		offset = log->offset;
		if (log->got == 0 || offset >= log->size)
			return 0;
	}
}

int
cli_run_logs(struct cli *cli, int argc, char **argv)
{
	struct cli_run_log	 log;
	struct buf		 kept;
	const char		*project, *v;
	cJSON			*run = NULL;
	char			*path, *safe;
	uint64_t		 tail = 0, start = 0;
	int			 rc, json = cli_json(cli);

	if ((rc = cli_run_args(cli, argv[0], &project)) != 0)
		return rc;
	if ((v = cli_value(cli, "tail")) != NULL &&
	    (size_parse(v, &tail) != 0 || tail == 0 || tail > INT64_MAX)) {
		safe = cli_safe(v);
		rc = cli_usage(cli, "--tail takes a number of bytes such as "
		    "4096 or 64K, not '%s'", safe);
		free(safe);
		return rc;
	}
	/* The run first: it says at once if there is no such run. */
	path = cli_run_path(project, argv[0], "");
	rc = cli_request(cli, "GET", path, NULL, &run);
	free(path);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	buf_init(&kept);
	rc = CLI_EXIT_ERROR;
	if (cli_flag(cli, "follow")) {
		cJSON_Delete(run);
		run = NULL;
		if (cli_run_follow(cli, project, argv[0], tail, stdout,
		    json ? &kept : NULL, &start, &run) != 0)
			goto out;
		if (json)
			cli_run_log_json(argv[0], cli_get(run, "status"),
			    start, &kept);
		rc = CLI_EXIT_OK;
		goto out;
	}
	memset(&log, 0, sizeof log);
	log.out = stdout;
	log.keep = json ? &kept : NULL;
	if (cli_run_read(cli, project, argv[0], tail, &log, &start) != 0)
		goto out;
	if (json)
		cli_run_log_json(argv[0], log.status[0] != '\0' ? log.status :
		    cli_get(run, "status"), start, &kept);
	rc = CLI_EXIT_OK;
out:
	buf_done(&kept);
	cJSON_Delete(run);
	return rc;
}

int
cli_run_stop(struct cli *cli, int argc, char **argv)
{
	cJSON	*answer = NULL;
	char	*id, *job;
	int	 rc;

	if ((rc = cli_run_call(cli, "POST", argv[0], "/stop", &answer)) != 0)
		return rc;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		id = cli_safe(cli_get(answer, "id"));
		job = cli_safe(cli_get(answer, "job"));
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer,
		    "active")))
			printf("stopping run %s of job %s (SIGTERM now, "
			    "SIGKILL after 10 s)\n", id, job);
		else
			printf("stopped run %s of job %s\n", id, job);
		free(id);
		free(job);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_run_rerun(struct cli *cli, int argc, char **argv)
{
	cJSON	*answer = NULL;
	char	*id;
	int	 rc;

	if ((rc = cli_run_call(cli, "POST", argv[0], "/rerun", &answer)) != 0)
		return rc;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		/* The new run's id alone, for scripts. */
		id = cli_safe(cli_get(answer, "id"));
		printf("%s\n", id);
		free(id);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

void
cli_run_outcome(const cJSON *run, FILE *f)
{
	const char	*status = cli_get(run, "status");
	const char	*reason = cli_get(run, "reason");
	char		*id = cli_safe(cli_get(run, "id")), *why, took[32];
	int		 i = cli_run_find(status);
	int64_t		 ms = cli_get_int(run, "duration_ms", -1);

	if (status != NULL && strcmp(status, "succeeded") == 0) {
		if (ms >= 0) {
			cli_duration(ms, took, sizeof took);
			fprintf(f, "run %s succeeded in %s\n", id, took);
		} else
			fprintf(f, "run %s succeeded\n", id);
		free(id);
		return;
	}
	fprintf(f, "lathe: run %s %s", id, i >= 0 &&
	    cli_run_statuses[i].ended != NULL ? cli_run_statuses[i].ended :
	    "ended");
	if (reason != NULL && *reason != '\0') {
		why = cli_safe(reason);
		fprintf(f, ": %s", why);
		free(why);
	}
	fputc('\n', f);
	free(id);
}
