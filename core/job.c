/*
 * Jobs and runs: checking what a request asks for, and the JSON forms. The
 * scheduler (sched.c) decides what runs when; this is the vocabulary.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cron.h"
#include "files.h"
#include "job.h"
#include "json.h"
#include "project.h"
#include "valid.h"
#include "xmalloc.h"

struct job *
job_new(void)
{
	struct job	*job = xcalloc(1, sizeof *job);

	job->arguments = xstrdup("[]");
	job->env = xstrdup("{}");
	job->runtime = xstrdup("");
	job->profile = xstrdup("");
	job->schedule = xstrdup("manual");
	job->cron = xstrdup("");
	job->timezone = xstrdup("");
	job->experiment = xstrdup("");
	job->backoff_s = 10;
	job->max_concurrent = 1;
	return job;
}

void
job_free(struct job *job)
{
	if (job == NULL)
		return;
	free(job->project);
	free(job->name);
	free(job->script);
	free(job->arguments);
	free(job->runtime);
	free(job->profile);
	free(job->env);
	free(job->schedule);
	free(job->cron);
	free(job->timezone);
	free(job->parent);
	free(job->experiment);
	free(job);
}

void
jobs_free(struct job **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		job_free(list[i]);
	free(list);
}

struct job_run *
job_run_new(void)
{
	return xcalloc(1, sizeof(struct job_run));
}

void
job_run_free(struct job_run *run)
{
	if (run == NULL)
		return;
	free(run->job);
	free(run->project);
	free(run->status);
	free(run->trigger);
	free(run->arguments);
	free(run->env);
	free(run->runtime);
	free(run->command);
	free(run->profile);
	free(run->gpus);
	free(run->memory_enforced);
	free(run->cpu_enforced);
	free(run->reason);
	free(run->params);
	free(run->mlflow_run_id);
	free(run);
}

void
job_runs_free(struct job_run **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		job_run_free(list[i]);
	free(list);
}

void
profile_done(struct profile *p)
{
	free(p->name);
}

void
profiles_free(struct profile *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		profile_done(&p[i]);
	free(p);
}

int
job_run_active(const char *status)
{
	return strcmp(status, RUN_QUEUED) == 0 ||
	    strcmp(status, RUN_STARTING) == 0 ||
	    strcmp(status, RUN_RUNNING) == 0;
}

static int
job_check_string(const char *what, const char *s, size_t max, char **cause)
{
	size_t	len = strlen(s), i;

	if (len > max) {
		*cause = xasprintf("%s is %zu bytes long; the limit is %zu",
		    what, len, max);
		return -1;
	}
	if (!json_utf8_valid(s, len)) {
		*cause = xasprintf("%s is not valid UTF-8", what);
		return -1;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t' &&
		    s[i] != '\n') {
			*cause = xasprintf("%s contains a control character "
			    "at byte %zu", what, i + 1);
			return -1;
		}
	}
	return 0;
}

int
job_check_arguments(const cJSON *a, char **cause)
{
	const cJSON	*item;
	char		 what[64];
	int		 i = 0;

	if (!cJSON_IsArray(a)) {
		*cause = xstrdup("arguments must be an array of strings");
		return -1;
	}
	if (cJSON_GetArraySize(a) > JOB_ARGS_MAX) {
		*cause = xasprintf("%d arguments given; the limit is %d",
		    cJSON_GetArraySize(a), JOB_ARGS_MAX);
		return -1;
	}
	cJSON_ArrayForEach(item, a) {
		i++;
		if (!cJSON_IsString(item)) {
			*cause = xasprintf("argument %d is not a string", i);
			return -1;
		}
		snprintf(what, sizeof what, "argument %d", i);
		if (job_check_string(what, item->valuestring,
		    VALID_ENV_VALUE_MAX, cause) != 0)
			return -1;
	}
	return 0;
}

int
job_check_env(const cJSON *o, char **cause)
{
	const cJSON	*item;
	char		*err = NULL;

	if (!cJSON_IsObject(o)) {
		*cause = xstrdup("env must be an object of NAME: \"value\" "
		    "strings");
		return -1;
	}
	if (cJSON_GetArraySize(o) > JOB_ENV_MAX) {
		*cause = xasprintf("%d variables given; the limit is %d",
		    cJSON_GetArraySize(o), JOB_ENV_MAX);
		return -1;
	}
	cJSON_ArrayForEach(item, o) {
		if (valid_env_name(item->string, &err) != 0) {
			*cause = xasprintf("env: %s", err);
			free(err);
			return -1;
		}
		if (!cJSON_IsString(item)) {
			*cause = xasprintf("env: the value of %s must be a "
			    "string", item->string);
			return -1;
		}
		if (valid_env_value(item->valuestring, &err) != 0) {
			*cause = xasprintf("env: %s: %s", item->string, err);
			free(err);
			return -1;
		}
	}
	return 0;
}

static int
job_get_int(const cJSON *spec, const char *name, int min, int max, int *out,
    char **cause)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(spec, name);
	double		 d;

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v)) {
		*cause = xasprintf("%s must be a number", name);
		return -1;
	}
	d = v->valuedouble;
	if (d != (double)(int64_t)d || d < min || d > max) {
		*cause = xasprintf("%s must be a whole number from %d to %d",
		    name, min, max);
		return -1;
	}
	*out = (int)d;
	return 0;
}

static void
job_set(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

const char *
job_local_zone(void)
{
	static char	 zone[256];
	const char	*tz, *p;
	char		 link[512];
	ssize_t		 n;

	if (zone[0] != '\0')
		return zone;
	tz = getenv("TZ");
	if (tz != NULL && *tz == ':')
		tz++;
	if (tz != NULL && *tz != '\0' && strlen(tz) < sizeof zone) {
		snprintf(zone, sizeof zone, "%s", tz);
		return zone;
	}
	n = readlink("/etc/localtime", link, sizeof link - 1);
	if (n > 0) {
		link[n] = '\0';
		if ((p = strstr(link, "zoneinfo/")) != NULL) {
			snprintf(zone, sizeof zone, "%s", p + 9);
			return zone;
		}
	}
	snprintf(zone, sizeof zone, "UTC");
	return zone;
}

static int
job_apply_schedule(struct job *job, const cJSON *sched, char **parent,
    char **cause)
{
	const char	*type = NULL, *expr = NULL, *tz = NULL, *p = NULL;
	struct cron	*c = NULL;
	int64_t		 next;
	char		*err = NULL;
	int		 rc = -1;

	if (cJSON_IsString(sched)) {
		/* A shorthand: "manual". */
		type = sched->valuestring;
	} else if (!cJSON_IsObject(sched)) {
		*cause = xstrdup("schedule must be an object such as "
		    "{\"type\": \"cron\", \"cron\": \"0 3 * * *\"}");
		return -1;
	} else if (json_get_string(sched, "type", 1, &type, &err) != 0)
		goto bad;
	if (strcmp(type, "manual") == 0) {
		job_set(&job->schedule, "manual");
		job_set(&job->cron, "");
		job_set(&job->timezone, "");
		job->parent_id = 0;
	} else if (strcmp(type, "cron") == 0) {
		if (json_get_string(sched, "cron", 1, &expr, &err) != 0 ||
		    json_get_string(sched, "timezone", 0, &tz, &err) != 0)
			goto bad;
		if ((c = cron_parse(expr, &err)) == NULL)
			goto bad;
		/* An unknown zone or a date that never comes fails here. */
		if (tz == NULL || *tz == '\0')
			tz = job_local_zone();
		if (cron_next(c, tz, 0, &next, &err) != 0)
			goto bad;
		job_set(&job->schedule, "cron");
		job_set(&job->cron, cron_text(c));
		job_set(&job->timezone, tz);
		job->parent_id = 0;
	} else if (strcmp(type, "dependent") == 0) {
		if (json_get_string(sched, "parent", 1, &p, &err) != 0)
			goto bad;
		if (*p == '\0') {
			err = xstrdup("parent must name the job this one "
			    "follows");
			goto bad;
		}
		job_set(&job->schedule, "dependent");
		job_set(&job->cron, "");
		job_set(&job->timezone, "");
		*parent = xstrdup(p);
	} else {
		*cause = xasprintf("schedule type '%s' is unknown: use manual, "
		    "cron or dependent", type);
		goto out;
	}
	rc = 0;
	goto out;
bad:
	*cause = xasprintf("schedule: %s", err);
	free(err);
out:
	cron_free(c);
	return rc;
}

int
job_apply(struct job *job, const cJSON *spec, char **parent, char **cause)
{
	const cJSON	*v;
	const char	*s;
	char		*err = NULL;
	int		 b;

	*parent = NULL;
	if (json_get_string(spec, "name", 0, &s, cause) != 0)
		return -1;
	if ((v = cJSON_GetObjectItemCaseSensitive(spec, "name")) != NULL &&
	    !cJSON_IsNull(v)) {
		if (valid_identifier("a job name", s, VALID_NAME_MAX,
		    cause) != 0)
			return -1;
		job_set(&job->name, s);
	}
	s = NULL;
	if (json_get_string(spec, "script", 0, &s, cause) != 0)
		return -1;
	if (s != NULL) {
		if (files_check_relative(s, &err) != 0) {
			*cause = xasprintf("script: %s", err);
			free(err);
			return -1;
		}
		if (job_check_string("script", s, 4096, cause) != 0)
			return -1;
		job_set(&job->script, s);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(spec, "arguments")) != NULL &&
	    !cJSON_IsNull(v)) {
		if (job_check_arguments(v, cause) != 0)
			return -1;
		free(job->arguments);
		job->arguments = json_print(v);
	}
	s = NULL;
	if (json_get_string(spec, "runtime", 0, &s, cause) != 0)
		return -1;
	if (s != NULL) {
		if (valid_ref("runtime", s, cause) != 0)
			return -1;
		job_set(&job->runtime, s);
	}
	s = NULL;
	if (json_get_string(spec, "profile", 0, &s, cause) != 0)
		return -1;
	if (s != NULL) {
		if (valid_ref("profile", s, cause) != 0)
			return -1;
		job_set(&job->profile, s);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(spec, "env")) != NULL &&
	    !cJSON_IsNull(v)) {
		if (job_check_env(v, cause) != 0)
			return -1;
		free(job->env);
		job->env = json_print(v);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(spec, "schedule")) != NULL &&
	    !cJSON_IsNull(v)) {
		if (job_apply_schedule(job, v, parent, cause) != 0)
			return -1;
	}
	if (job_get_int(spec, "timeout_seconds", 0, JOB_TIMEOUT_MAX,
	    &job->timeout_s, cause) != 0 ||
	    job_get_int(spec, "retries", 0, JOB_RETRIES_MAX, &job->retries,
	    cause) != 0 ||
	    job_get_int(spec, "retry_backoff_seconds", 0, 86400,
	    &job->backoff_s, cause) != 0 ||
	    job_get_int(spec, "max_concurrent", 1, JOB_CONCURRENT_MAX,
	    &job->max_concurrent, cause) != 0)
		return -1;
	b = job->paused;
	if (json_get_bool(spec, "paused", 0, &b, cause) != 0)
		return -1;
	job->paused = b;
	s = NULL;
	if (json_get_string(spec, "experiment", 0, &s, cause) != 0)
		return -1;
	if (s != NULL) {
		if (job_check_string("experiment", s, 500, cause) != 0)
			return -1;
		job_set(&job->experiment, s);
	}
	if (job->name == NULL) {
		*cause = xstrdup("name is required");
		return -1;
	}
	if (job->script == NULL) {
		*cause = xstrdup("script is required: the project file the "
		    "job runs, e.g. \"train.py\"");
		return -1;
	}
	return 0;
}

static void
job_add_id(cJSON *o, const char *name, int64_t id)
{
	char	buf[32];

	if (id == 0) {
		cJSON_AddNullToObject(o, name);
		return;
	}
	snprintf(buf, sizeof buf, "%lld", (long long)id);
	cJSON_AddStringToObject(o, name, buf);
}

static void
job_add_ms(cJSON *o, const char *name, int64_t ms)
{
	if (ms == 0)
		cJSON_AddNullToObject(o, name);
	else
		json_add_int64(o, name, ms);
}

static void
job_add_parsed(cJSON *o, const char *name, const char *text, int array)
{
	cJSON	*v = NULL;
	char	*err = NULL;

	if (text != NULL)
		v = json_parse(text, strlen(text), &err);
	free(err);
	if (v == NULL)
		v = array ? cJSON_CreateArray() : cJSON_CreateObject();
	cJSON_AddItemToObject(o, name, v);
}

cJSON *
job_to_json(const struct job *job)
{
	cJSON	*o = cJSON_CreateObject(), *s;

	job_add_id(o, "id", job->id);
	cJSON_AddStringToObject(o, "name", job->name);
	cJSON_AddStringToObject(o, "project", job->project != NULL ?
	    job->project : "");
	job_add_id(o, "project_id", job->project_id);
	cJSON_AddStringToObject(o, "script", job->script);
	job_add_parsed(o, "arguments", job->arguments, 1);
	cJSON_AddStringToObject(o, "runtime", job->runtime);
	cJSON_AddStringToObject(o, "profile", job->profile);
	job_add_parsed(o, "env", job->env, 0);
	s = cJSON_AddObjectToObject(o, "schedule");
	cJSON_AddStringToObject(s, "type", job->schedule);
	if (strcmp(job->schedule, "cron") == 0) {
		cJSON_AddStringToObject(s, "cron", job->cron);
		cJSON_AddStringToObject(s, "timezone", job->timezone);
	} else if (strcmp(job->schedule, "dependent") == 0)
		cJSON_AddStringToObject(s, "parent", job->parent != NULL ?
		    job->parent : "");
	cJSON_AddNumberToObject(o, "timeout_seconds", job->timeout_s);
	cJSON_AddNumberToObject(o, "retries", job->retries);
	cJSON_AddNumberToObject(o, "retry_backoff_seconds", job->backoff_s);
	cJSON_AddNumberToObject(o, "max_concurrent", job->max_concurrent);
	cJSON_AddBoolToObject(o, "paused", job->paused);
	cJSON_AddStringToObject(o, "experiment", job->experiment != NULL ?
	    job->experiment : "");
	json_add_int64(o, "created_ms", job->created_ms);
	json_add_int64(o, "updated_ms", job->updated_ms);
	return o;
}

const char *
job_signal_name(int sig, char *buf, size_t len)
{
	static const struct {
		int		 sig;
		const char	*name;
	} names[] = {
		{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" },
		{ SIGQUIT, "SIGQUIT" }, { SIGILL, "SIGILL" },
		{ SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
		{ SIGKILL, "SIGKILL" }, { SIGUSR1, "SIGUSR1" },
		{ SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" },
		{ SIGTERM, "SIGTERM" }, { SIGXCPU, "SIGXCPU" },
		{ SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" },
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].sig == sig)
			return names[i].name;
	}
	snprintf(buf, len, "signal %d", sig);
	return buf;
}

cJSON *
job_run_to_json(const struct job_run *run)
{
	cJSON	*o = cJSON_CreateObject(), *env, *names, *limits, *item;
	char	 buf[32], *err = NULL;

	job_add_id(o, "id", run->id);
	job_add_id(o, "job_id", run->job_id);
	cJSON_AddStringToObject(o, "job", run->job != NULL ? run->job : "");
	job_add_id(o, "project_id", run->project_id);
	cJSON_AddStringToObject(o, "project", run->project != NULL ?
	    run->project : "");
	cJSON_AddStringToObject(o, "status", run->status);
	cJSON_AddBoolToObject(o, "active", job_run_active(run->status));
	cJSON_AddStringToObject(o, "trigger", run->trigger);
	job_add_id(o, "parent_run_id", run->parent_run_id);
	cJSON_AddNumberToObject(o, "attempt", run->attempt);
	if (run->arguments != NULL)
		job_add_parsed(o, "arguments", run->arguments, 1);
	else
		cJSON_AddNullToObject(o, "arguments");
	/* Override values may be secrets: only their names go out. */
	names = cJSON_AddArrayToObject(o, "env_overrides");
	env = run->env != NULL ? json_parse(run->env, strlen(run->env),
	    &err) : NULL;
	free(err);
	if (env != NULL) {
		cJSON_ArrayForEach(item, env)
			cJSON_AddItemToArray(names,
			    cJSON_CreateString(item->string));
		cJSON_Delete(env);
	}
	cJSON_AddStringToObject(o, "runtime", run->runtime != NULL ?
	    run->runtime : "");
	job_add_parsed(o, "command", run->command, 1);
	cJSON_AddStringToObject(o, "profile", run->profile != NULL ?
	    run->profile : "");
	limits = cJSON_AddObjectToObject(o, "limits");
	cJSON_AddNumberToObject(limits, "vcpu", run->vcpu);
	cJSON_AddNumberToObject(limits, "memory_mb", (double)run->memory_mb);
	cJSON_AddStringToObject(limits, "gpus", run->gpus != NULL ?
	    run->gpus : "");
	cJSON_AddStringToObject(limits, "memory", run->memory_enforced != NULL ?
	    run->memory_enforced : "");
	cJSON_AddStringToObject(limits, "cpu", run->cpu_enforced != NULL ?
	    run->cpu_enforced : "");
	if (run->has_exit && run->signal == 0)
		cJSON_AddNumberToObject(o, "exit_code", run->exit_code);
	else
		cJSON_AddNullToObject(o, "exit_code");
	if (run->has_exit && run->signal != 0)
		cJSON_AddStringToObject(o, "signal",
		    job_signal_name(run->signal, buf, sizeof buf));
	else
		cJSON_AddNullToObject(o, "signal");
	cJSON_AddStringToObject(o, "reason", run->reason != NULL ?
	    run->reason : "");
	json_add_int64(o, "queued_ms", run->queued_ms);
	job_add_ms(o, "started_ms", run->started_ms);
	job_add_ms(o, "ended_ms", run->ended_ms);
	if (run->started_ms != 0 && run->ended_ms != 0)
		json_add_int64(o, "duration_ms", run->ended_ms -
		    run->started_ms);
	else
		cJSON_AddNullToObject(o, "duration_ms");
	json_add_int64(o, "log_bytes", (int64_t)run->log_bytes);
	if (run->params != NULL)
		job_add_parsed(o, "params", run->params, 0);
	else
		cJSON_AddNullToObject(o, "params");
	json_add_string_or_null(o, "mlflow_run_id", run->mlflow_run_id);
	if (run->pid > 0 && job_run_active(run->status))
		cJSON_AddNumberToObject(o, "pid", run->pid);
	else
		cJSON_AddNullToObject(o, "pid");
	return o;
}

cJSON *
profile_to_json(const struct profile *p)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddNumberToObject(o, "vcpu", p->vcpu);
	cJSON_AddNumberToObject(o, "memory_mb", (double)p->memory_mb);
	cJSON_AddNumberToObject(o, "gpus", p->gpus);
	cJSON_AddBoolToObject(o, "builtin", p->builtin);
	return o;
}
