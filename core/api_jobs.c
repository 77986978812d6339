/*
 * The jobs API: jobs of a project, their runs and logs, and the runtimes,
 * resource profiles and cron previews that job forms are made from.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "buf.h"
#include "core.h"
#include "cron.h"
#include "files.h"
#include "job.h"
#include "json.h"
#include "log.h"
#include "mlflow.h"
#include "project.h"
#include "runtime.h"
#include "scheduler.h"
#include "size.h"
#include "store.h"
#include "valid.h"
#include "xmalloc.h"

#define API_LOG_LIMIT_DEFAULT	(1024 * 1024)
#define API_LOG_LIMIT_MAX	(16 * 1024 * 1024)
#define API_CRON_PREVIEW_MAX	50
#define API_CHAIN_MAX		1000

static enum wire_error
api_jobs_code(int rc)
{
	switch (rc) {
	case STORE_NOTFOUND:
		return WIRE_RESOURCE_DOES_NOT_EXIST;
	case STORE_EXISTS:
		return WIRE_RESOURCE_ALREADY_EXISTS;
	default:
		return WIRE_INTERNAL_ERROR;
	}
}

/* Runtimes. */

void
api_runtimes_list(struct req *r)
{
	struct core	*core = api_core(r);
	struct runtime	*list = NULL;
	size_t		 n = 0, i;
	char		*cause = NULL;
	cJSON		*o, *a;

	if (store_runtime_list(core->store, &list, &n, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		return;
	}
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "runtimes");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, runtime_to_json(&list[i]));
	runtimes_free(list, n);
	api_reply(r, 200, o);
}

struct api_runtime_work {
	uv_work_t	 work;
	struct core	*core;
	uint64_t	 id;
	struct runtime	 rt;
	char		*cause;
	int		 rc;
};

static void
api_runtime_check(uv_work_t *w)
{
	struct api_runtime_work	*aw = w->data;

	aw->rc = runtime_check(&aw->rt, &aw->cause);
}

static void
api_runtime_checked(uv_work_t *w, int status)
{
	struct api_runtime_work	*aw = w->data;
	struct core		*core = aw->core;
	struct runtime		 old;
	char			*cause = NULL;
	int			 rc;

	if (aw->rc != 0) {
		api_finish_error(core, aw->id, WIRE_INVALID_PARAMETER_VALUE,
		    aw->cause);
		goto out;
	}
	memset(&old, 0, sizeof old);
	rc = store_runtime_get(core->store, aw->rt.name, &old, &cause);
	if (rc == 0) {
		runtime_done(&old);
		api_finish_error(core, aw->id, WIRE_RESOURCE_ALREADY_EXISTS,
		    xasprintf("a runtime named '%s' already exists",
		    aw->rt.name));
		goto out;
	}
	free(cause);
	cause = NULL;
	if (store_runtime_put(core->store, &aw->rt, &cause) != 0) {
		api_finish_error(core, aw->id, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	log_info("runtime '%s' registered (%s, %s)", aw->rt.name,
	    aw->rt.kernel, aw->rt.command);
	api_finish(core, aw->id, 201, runtime_to_json(&aw->rt));
out:
	runtime_done(&aw->rt);
	free(aw);
}

void
api_runtimes_add(struct req *r)
{
	static const char *const known[] = { "name", "kernel", "command",
	    NULL };
	struct core		*core = api_core(r);
	struct api_runtime_work	*aw;
	const cJSON		*body = api_body(r);
	const char		*name = NULL, *kernel = NULL, *command = NULL;
	char			*cause = NULL;

	if (api_known_fields(body, known, &cause) != 0 ||
	    json_get_string(body, "name", 1, &name, &cause) != 0 ||
	    json_get_string(body, "kernel", 1, &kernel, &cause) != 0 ||
	    json_get_string(body, "command", 1, &command, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		return;
	}
	aw = xcalloc(1, sizeof *aw);
	aw->core = core;
	aw->rt.name = xstrdup(name);
	aw->rt.kernel = xstrdup(kernel);
	aw->rt.command = xstrdup(command);
	aw->rt.version = xstrdup("");
	aw->work.data = aw;
	/* Checking runs the interpreter: off the loop thread. */
	aw->id = api_defer(r);
	uv_queue_work(core->loop, &aw->work, api_runtime_check,
	    api_runtime_checked);
}

void
api_runtimes_remove(struct req *r)
{
	struct core	*core = api_core(r);
	struct runtime	 rt;
	char		*cause = NULL;
	int		 rc;

	memset(&rt, 0, sizeof rt);
	rc = store_runtime_get(core->store, api_param(r, "runtime"), &rt,
	    &cause);
	if (rc != 0) {
		api_error_cause(r, api_jobs_code(rc), cause);
		return;
	}
	if (rt.discovered) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "runtime '%s' was "
		    "found on this machine and cannot be removed; only "
		    "registered runtimes can", rt.name);
		runtime_done(&rt);
		return;
	}
	runtime_done(&rt);
	rc = store_runtime_delete(core->store, api_param(r, "runtime"), 0,
	    &cause);
	if (rc != 0) {
		api_error_cause(r, api_jobs_code(rc), cause);
		return;
	}
	api_reply(r, 200, NULL);
}

/* Profiles. */

void
api_profiles_list(struct req *r)
{
	struct core	*core = api_core(r);
	struct profile	*list = NULL;
	size_t		 n = 0, i;
	char		*cause = NULL;
	cJSON		*o, *a;

	if (store_profile_list(core->store, &list, &n, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		return;
	}
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "profiles");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, profile_to_json(&list[i]));
	profiles_free(list, n);
	api_reply(r, 200, o);
}

void
api_profiles_add(struct req *r)
{
	static const char *const known[] = { "name", "vcpu", "memory",
	    "memory_mb", "gpus", NULL };
	struct core	*core = api_core(r);
	const cJSON	*body = api_body(r), *v;
	struct profile	 p;
	const char	*name = NULL, *mem = NULL;
	char		*cause = NULL;
	int64_t		 mb = 0, gpus = 0;
	uint64_t	 bytes;
	int		 rc;

	memset(&p, 0, sizeof p);
	if (api_known_fields(body, known, &cause) != 0 ||
	    json_get_string(body, "name", 1, &name, &cause) != 0 ||
	    valid_identifier("a profile name", name, VALID_NAME_MAX,
	    &cause) != 0 ||
	    json_get_string(body, "memory", 0, &mem, &cause) != 0 ||
	    json_get_int64(body, "memory_mb", 0, &mb, &cause) != 0 ||
	    json_get_int64(body, "gpus", 0, &gpus, &cause) != 0)
		goto bad;
	v = cJSON_GetObjectItemCaseSensitive(body, "vcpu");
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    v->valuedouble <= 0 || v->valuedouble > 1024) {
		cause = xstrdup("vcpu must be a number of CPUs above 0 and at "
		    "most 1024, e.g. 2 or 0.5");
		goto bad;
	}
	if (mem != NULL) {
		if (size_parse(mem, &bytes) != 0 || bytes < (1 << 20)) {
			cause = xasprintf("memory '%s' is not a size of at "
			    "least 1 MiB, e.g. 512M or 4GiB", mem);
			goto bad;
		}
		mb = (int64_t)(bytes >> 20);
	}
	if (mb <= 0 || mb > ((int64_t)1 << 30)) {
		cause = xstrdup("memory is required: give \"memory\": "
		    "\"4GiB\" or \"memory_mb\": 4096");
		goto bad;
	}
	if (gpus < 0 || gpus > 64) {
		cause = xstrdup("gpus must be a number from 0 to 64");
		goto bad;
	}
	p.name = (char *)name;
	p.vcpu = v->valuedouble;
	p.memory_mb = mb;
	p.gpus = (int)gpus;
	rc = store_profile_insert(core->store, &p, &cause);
	if (rc != 0) {
		api_error_cause(r, api_jobs_code(rc), cause);
		return;
	}
	api_reply(r, 201, profile_to_json(&p));
	return;
bad:
	api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
}

void
api_profiles_remove(struct req *r)
{
	struct core	*core = api_core(r);
	char		*cause = NULL;
	int		 rc;

	rc = store_profile_delete(core->store, api_param(r, "profile"),
	    &cause);
	if (rc != 0) {
		api_error_cause(r, api_jobs_code(rc), cause);
		return;
	}
	api_reply(r, 200, NULL);
}

void
api_cron_preview(struct req *r)
{
	const char	*expr = api_query(r, "expr"), *tz, *v;
	struct cron	*c;
	int64_t		 times[API_CRON_PREVIEW_MAX];
	char		*cause = NULL, *end, t[40];
	long		 count = 5;
	size_t		 i;
	cJSON		*o, *ms, *iso;

	if (expr == NULL) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "expr is required: "
		    "a cron expression such as '0 3 * * *'");
		return;
	}
	tz = api_query(r, "timezone");
	if (tz == NULL || *tz == '\0')
		tz = job_local_zone();
	if ((v = api_query(r, "count")) != NULL) {
		count = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || count < 1 ||
		    count > API_CRON_PREVIEW_MAX) {
			api_error(r, WIRE_INVALID_PARAMETER_VALUE, "count must "
			    "be a number from 1 to %d", API_CRON_PREVIEW_MAX);
			return;
		}
	}
	if ((c = cron_parse(expr, &cause)) == NULL) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		return;
	}
	if (cron_preview(c, tz, store_now_ms() / 1000, times, (size_t)count,
	    &cause) != 0) {
		cron_free(c);
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "expr", cron_text(c));
	cJSON_AddStringToObject(o, "timezone", tz);
	ms = cJSON_AddArrayToObject(o, "next_ms");
	iso = cJSON_AddArrayToObject(o, "next");
	for (i = 0; i < (size_t)count; i++) {
		cJSON_AddItemToArray(ms, cJSON_CreateNumber((double)times[i] *
		    1000));
		project_time(times[i] * 1000, t, sizeof t);
		cJSON_AddItemToArray(iso, cJSON_CreateString(t));
	}
	cron_free(c);
	api_reply(r, 200, o);
}

/* Jobs. */

static struct job *
api_jobs_lookup(struct req *r, const struct project *p)
{
	struct job	*job = NULL;
	char		*cause = NULL;
	int		 rc;

	rc = store_job_get(api_core(r)->store, p->id, api_param(r, "job"),
	    &job, &cause);
	if (rc != 0) {
		api_error_cause(r, api_jobs_code(rc), cause);
		return NULL;
	}
	return job;
}

/* The job with what the scheduler knows: next fire, last run, followers. */
static cJSON *
api_jobs_json(struct core *core, const struct job *job)
{
	cJSON		*o = job_to_json(job), *deps;
	struct job_run	*last = NULL;
	struct job	**list = NULL;
	size_t		 n = 0, i;
	char		*cause = NULL;
	int64_t		 next;

	next = sched_next_fire(core, job);
	if (next != 0)
		json_add_int64(o, "next_fire_ms", next);
	else
		cJSON_AddNullToObject(o, "next_fire_ms");
	if (store_job_last_run(core->store, job->id, &last, &cause) == 0 &&
	    last != NULL)
		cJSON_AddItemToObject(o, "last_run", job_run_to_json(last));
	else
		cJSON_AddNullToObject(o, "last_run");
	free(cause);
	cause = NULL;
	job_run_free(last);
	deps = cJSON_AddArrayToObject(o, "dependents");
	if (store_job_dependents(core->store, job->id, &list, &n,
	    &cause) == 0) {
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(deps,
			    cJSON_CreateString(list[i]->name));
		jobs_free(list, n);
	}
	free(cause);
	return o;
}

/*
 * Check what a job refers to: its script is a file of the project, its
 * runtime and profile exist, its parent is a job of the project and
 * following it makes no cycle. Sets job->parent_id. 0, or -1 with *cause.
 */
static int
api_jobs_check_refs(struct core *core, const struct project *p,
    struct job *job, const char *parent, char **cause)
{
	struct job	*pj = NULL, *up = NULL;
	struct runtime	 rt;
	struct profile	 prof;
	struct stat	 sb;
	char		*path = NULL, *err = NULL;
	int64_t		 at;
	int		 n, rc = -1;

	rc = files_resolve(p->path, job->script, &path, &err);
	if (rc == FILES_EINVAL) {
		*cause = xasprintf("script: %s", err);
		rc = -1;
		goto out;
	}
	rc = -1;
	if (path == NULL || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*cause = xasprintf("script '%s' is not a file of the project "
		    "(its files are in %s)", job->script, p->path);
		goto out;
	}
	if (*job->runtime != '\0') {
		memset(&rt, 0, sizeof rt);
		if (store_runtime_get(core->store, job->runtime, &rt,
		    cause) != 0)
			goto out;
		runtime_done(&rt);
	} else if (*p->default_runtime == '\0' &&
	    runtime_kernel_for(job->script) == NULL) {
		*cause = xasprintf("cannot tell which runtime runs '%s': give "
		    "the job a runtime (lathe runtime list)", job->script);
		goto out;
	}
	if (*job->profile != '\0') {
		memset(&prof, 0, sizeof prof);
		if (store_profile_get(core->store, job->profile, &prof,
		    cause) != 0)
			goto out;
		profile_done(&prof);
	}
	if (strcmp(job->schedule, "dependent") == 0 && parent != NULL) {
		if (store_job_get(core->store, p->id, parent, &pj,
		    &err) != 0) {
			*cause = xasprintf("schedule: the parent job: %s", err);
			goto out;
		}
		if (job->id != 0 && pj->id == job->id) {
			*cause = xstrdup("schedule: a job cannot follow itself");
			goto out;
		}
		/* Walk up from the parent: meeting this job is a cycle. */
		at = pj->parent_id;
		for (n = 0; at != 0 && n < API_CHAIN_MAX; n++) {
			if (job->id != 0 && at == job->id) {
				*cause = xasprintf("schedule: following '%s' "
				    "would make a cycle ('%s' already "
				    "follows '%s')", pj->name, pj->name,
				    job->name);
				goto out;
			}
			job_free(up);
			up = NULL;
			if (store_job_get_id(core->store, at, &up, &err) != 0)
				break;
			at = up->parent_id;
		}
		job->parent_id = pj->id;
	}
	rc = 0;
out:
	free(err);
	free(path);
	job_free(pj);
	job_free(up);
	return rc;
}

static const char *const api_jobs_fields[] = { "name", "script",
    "arguments", "runtime", "profile", "env", "schedule", "timeout_seconds",
    "retries", "retry_backoff_seconds", "max_concurrent", "paused",
    "experiment", NULL };

void
api_jobs_list(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	struct job	**list = NULL;
	size_t		 size, n = 0, i;
	char		*after = NULL, *cause = NULL;
	int		 more = 0;
	cJSON		*o, *a;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if (api_page(r, &size, &after) != 0)
		goto out;
	if (store_job_list(core->store, p->id, after, size, &list, &n, &more,
	    &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "jobs");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, api_jobs_json(core, list[i]));
	api_page_next(o, more, n > 0 ? list[n - 1]->name : NULL);
	api_reply(r, 200, o);
out:
	jobs_free(list, n);
	free(after);
	project_free(p);
}

void
api_jobs_create(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	struct job	*job = job_new();
	char		*cause = NULL, *parent = NULL;
	int		 rc;

	if ((p = api_projects_lookup(r)) == NULL)
		goto out;
	if (api_known_fields(api_body(r), api_jobs_fields, &cause) != 0 ||
	    job_apply(job, api_body(r), &parent, &cause) != 0 ||
	    api_jobs_check_refs(core, p, job, parent, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	job->project_id = p->id;
	job->project = xstrdup(p->name);
	rc = store_job_insert(core->store, job, &cause);
	if (rc != 0) {
		api_error_cause(r, api_jobs_code(rc), cause);
		goto out;
	}
	free(job->parent);
	job->parent = parent;
	parent = NULL;
	log_info("job %lld '%s' created in project '%s'", (long long)job->id,
	    job->name, p->name);
	sched_jobs_changed(core);
	api_reply(r, 201, api_jobs_json(core, job));
out:
	free(parent);
	job_free(job);
	project_free(p);
}

void
api_jobs_get(struct req *r)
{
	struct project	*p;
	struct job	*job;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if ((job = api_jobs_lookup(r, p)) != NULL) {
		api_reply(r, 200, api_jobs_json(api_core(r), job));
		job_free(job);
	}
	project_free(p);
}

void
api_jobs_update(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	struct job	*job = NULL, *fresh = NULL;
	char		*cause = NULL, *parent = NULL;
	int		 rc;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if ((job = api_jobs_lookup(r, p)) == NULL)
		goto out;
	if (api_known_fields(api_body(r), api_jobs_fields, &cause) != 0 ||
	    job_apply(job, api_body(r), &parent, &cause) != 0 ||
	    api_jobs_check_refs(core, p, job, parent, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	if (strcmp(job->schedule, "dependent") != 0)
		job->parent_id = 0;
	rc = store_job_update(core->store, job, &cause);
	if (rc != 0) {
		api_error_cause(r, api_jobs_code(rc), cause);
		goto out;
	}
	sched_jobs_changed(core);
	if (store_job_get_id(core->store, job->id, &fresh, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	api_reply(r, 200, api_jobs_json(core, fresh));
out:
	free(parent);
	job_free(fresh);
	job_free(job);
	project_free(p);
}

void
api_jobs_delete(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	struct job	*job = NULL, **deps = NULL;
	size_t		 ndeps = 0, i;
	char		*cause = NULL;
	struct buf	 names;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if ((job = api_jobs_lookup(r, p)) == NULL)
		goto out;
	if (store_job_dependents(core->store, job->id, &deps, &ndeps,
	    &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	if (ndeps > 0) {
		buf_init(&names);
		for (i = 0; i < ndeps; i++)
			buf_printf(&names, "%s'%s'", i > 0 ? ", " : "",
			    deps[i]->name);
		api_error(r, WIRE_INVALID_STATE, "job '%s' has dependent "
		    "jobs (%s): delete them or change their schedule first",
		    job->name, buf_str(&names));
		buf_done(&names);
		goto out;
	}
	sched_forget(core, p->id, job->id);
	if (store_job_delete(core->store, job->id, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	log_info("job %lld '%s' deleted", (long long)job->id, job->name);
	sched_jobs_changed(core);
	api_reply(r, 200, NULL);
out:
	jobs_free(deps, ndeps);
	job_free(job);
	project_free(p);
}

/* Runs. */

static uint64_t
api_runs_log_size(struct core *core, int64_t run_id)
{
	struct stat	 sb;
	char		*path = sched_log_path(core, run_id);
	uint64_t	 size = 0;

	if (stat(path, &sb) == 0)
		size = (uint64_t)sb.st_size;
	free(path);
	return size;
}

static cJSON *
api_runs_json(struct core *core, struct job_run *run)
{
	run->log_bytes = api_runs_log_size(core, run->id);
	return job_run_to_json(run);
}

/* Read the overrides of a run request: {"arguments": [...], "env": {}}. */
static int
api_runs_overrides(const cJSON *body, char **args, char **env, char **cause)
{
	static const char *const known[] = { "arguments", "env", NULL };
	const cJSON	*a, *e;

	*args = *env = NULL;
	if (api_known_fields(body, known, cause) != 0)
		return -1;
	a = cJSON_GetObjectItemCaseSensitive(body, "arguments");
	if (a != NULL && !cJSON_IsNull(a)) {
		if (job_check_arguments(a, cause) != 0)
			return -1;
		*args = json_print(a);
	}
	e = cJSON_GetObjectItemCaseSensitive(body, "env");
	if (e != NULL && !cJSON_IsNull(e)) {
		if (job_check_env(e, cause) != 0) {
			free(*args);
			*args = NULL;
			return -1;
		}
		*env = json_print(e);
	}
	return 0;
}

void
api_jobs_start(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	struct job	*job = NULL;
	struct job_run	*run = NULL;
	char		*cause = NULL, *args = NULL, *env = NULL;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if ((job = api_jobs_lookup(r, p)) == NULL)
		goto out;
	if (api_runs_overrides(api_body(r), &args, &env, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	if (sched_enqueue(core, job, "manual", 0, args, env, NULL, &run,
	    &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	api_reply(r, 201, api_runs_json(core, run));
out:
	free(args);
	free(env);
	job_run_free(run);
	job_free(job);
	project_free(p);
}

static int
api_runs_page(struct req *r, size_t *size, int64_t *before)
{
	char	*after = NULL, *end;

	if (api_page(r, size, &after) != 0)
		return -1;
	*before = 0;
	if (after != NULL) {
		*before = strtoll(after, &end, 10);
		if (*after == '\0' || *end != '\0' || *before <= 0) {
			free(after);
			api_error(r, WIRE_INVALID_PARAMETER_VALUE, "page_token "
			    "is malformed: pass back the next_page_token of "
			    "the previous answer");
			return -1;
		}
		free(after);
	}
	return 0;
}

static void
api_runs_reply(struct req *r, int64_t project_id, int64_t job_id)
{
	struct core	*core = api_core(r);
	struct job_run	**list = NULL;
	const char	*status = api_query(r, "status");
	size_t		 size, n = 0, i;
	int64_t		 before;
	char		*cause = NULL, last[32];
	int		 more = 0;
	cJSON		*o, *a;

	if (status != NULL && *status == '\0')
		status = NULL;
	if (api_runs_page(r, &size, &before) != 0)
		return;
	if (store_run_list(core->store, project_id, job_id, status, before,
	    size, &list, &n, &more, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		return;
	}
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "runs");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, api_runs_json(core, list[i]));
	if (n > 0) {
		snprintf(last, sizeof last, "%lld", (long long)list[n - 1]->id);
		api_page_next(o, more, last);
	}
	job_runs_free(list, n);
	api_reply(r, 200, o);
}

void
api_jobs_runs(struct req *r)
{
	struct project	*p;
	struct job	*job;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if ((job = api_jobs_lookup(r, p)) != NULL) {
		api_runs_reply(r, p->id, job->id);
		job_free(job);
	}
	project_free(p);
}

void
api_runs_list(struct req *r)
{
	struct project	*p;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	api_runs_reply(r, p->id, 0);
	project_free(p);
}

/* The run named by {run}, of the project; NULL after answering. */
static struct job_run *
api_runs_lookup(struct req *r, const struct project *p)
{
	const char	*v = api_param(r, "run");
	struct job_run	*run = NULL;
	char		*end, *cause = NULL;
	long long	 id;
	int		 rc;

	id = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || id <= 0) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "'%s' is not a run "
		    "id: runs are numbered", v);
		return NULL;
	}
	rc = store_run_get(api_core(r)->store, id, &run, &cause);
	if (rc == 0 && run->project_id != p->id) {
		job_run_free(run);
		run = NULL;
		cause = xasprintf("no run with id %lld in project '%s'", id,
		    p->name);
		rc = STORE_NOTFOUND;
	}
	if (rc != 0) {
		api_error_cause(r, api_jobs_code(rc), cause);
		return NULL;
	}
	return run;
}

void
api_runs_get(struct req *r)
{
	struct project	*p;
	struct job_run	*run;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if ((run = api_runs_lookup(r, p)) != NULL) {
		api_reply(r, 200, api_runs_json(api_core(r), run));
		job_run_free(run);
	}
	project_free(p);
}

void
api_runs_stop(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	struct job_run	*run = NULL, *fresh = NULL;
	char		*cause = NULL;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if ((run = api_runs_lookup(r, p)) == NULL)
		goto out;
	if (sched_stop_run(core, run->id, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_STATE, cause);
		goto out;
	}
	if (store_run_get(core->store, run->id, &fresh, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	api_reply(r, 200, api_runs_json(core, fresh));
out:
	job_run_free(fresh);
	job_run_free(run);
	project_free(p);
}

void
api_runs_rerun(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	struct job_run	*run = NULL, *again = NULL;
	struct job	*job = NULL;
	char		*cause = NULL;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if ((run = api_runs_lookup(r, p)) == NULL)
		goto out;
	if (store_job_get_id(core->store, run->job_id, &job, &cause) != 0 ||
	    sched_enqueue(core, job, "manual", 0, run->arguments, run->env,
	    run->params,
	    &again, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	api_reply(r, 201, api_runs_json(core, again));
out:
	job_run_free(again);
	job_free(job);
	job_run_free(run);
	project_free(p);
}

/* A log followed while its run lasts. */
struct api_follow {
	struct core	*core;
	int64_t		 run_id;
	char		*path;
	int		 fd;
	uint64_t	 base;
	int		 ended;		/* the run had ended at the last look */
};

static int
api_follow_ended(struct api_follow *f)
{
	struct job_run	*run = NULL;
	char		*cause = NULL;
	int		 ended = 1;

	if (f->core->stopping)
		return 1;
	if (store_run_get(f->core->store, f->run_id, &run, &cause) == 0) {
		ended = !job_run_active(run->status);
		job_run_free(run);
	}
	free(cause);
	return ended;
}

static long
api_follow_read(void *arg, uint64_t pos, char *buf, size_t max)
{
	struct api_follow	*f = arg;
	ssize_t			 n;
	int			 ended;

	if (f->fd < 0)
		f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd >= 0) {
		n = pread(f->fd, buf, max, (off_t)(f->base + pos));
		if (n > 0)
			return (long)n;
	}
	/*
	 * Nothing new. Look whether the run has ended; if it has, read once
	 * more (the last bytes land before the end is recorded) and stop.
	 */
	if (f->ended)
		return -1;
	ended = api_follow_ended(f);
	if (ended) {
		f->ended = 1;
		if (f->fd < 0)
			f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
		if (f->fd >= 0) {
			n = pread(f->fd, buf, max, (off_t)(f->base + pos));
			if (n > 0)
				return (long)n;
		}
		return -1;
	}
	return 0;
}

static void
api_follow_done(void *arg)
{
	struct api_follow	*f = arg;

	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f);
}

void
api_runs_logs(struct req *r)
{
	struct core		*core = api_core(r);
	struct project		*p;
	struct job_run		*run = NULL;
	struct api_follow	*f;
	struct stat		 sb;
	const char		*v;
	char			*path = NULL, *data = NULL, *end, num[32];
	long long		 offset = 0, limit = API_LOG_LIMIT_DEFAULT;
	uint64_t		 size = 0, from;
	ssize_t			 n = 0;
	int			 fd = -1, follow = 0;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if ((run = api_runs_lookup(r, p)) == NULL)
		goto out;
	if ((v = api_query(r, "offset")) != NULL) {
		errno = 0;
		offset = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0) {
			api_error(r, WIRE_INVALID_PARAMETER_VALUE, "offset "
			    "must be a byte offset (negative: from the end)");
			goto out;
		}
	}
	if ((v = api_query(r, "limit")) != NULL) {
		limit = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || limit < 1 ||
		    limit > API_LOG_LIMIT_MAX) {
			api_error(r, WIRE_INVALID_PARAMETER_VALUE, "limit must "
			    "be a number of bytes from 1 to %d",
			    API_LOG_LIMIT_MAX);
			goto out;
		}
	}
	if ((v = api_query(r, "follow")) != NULL)
		follow = strcmp(v, "0") != 0 && strcmp(v, "false") != 0;
	path = sched_log_path(core, run->id);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0 &&
	    fstat(fd, &sb) == 0)
		size = (uint64_t)sb.st_size;
	if (offset < 0)
		from = (uint64_t)-offset > size ? 0 : size - (uint64_t)-offset;
	else
		from = (uint64_t)offset;
	api_header(r, "X-Lathe-Run-Status", run->status);
	snprintf(num, sizeof num, "%llu", (unsigned long long)size);
	api_header(r, "X-Lathe-Log-Size", num);
	if (follow) {
		snprintf(num, sizeof num, "%llu", (unsigned long long)from);
		api_header(r, "X-Lathe-Log-Offset", num);
		f = xcalloc(1, sizeof *f);
		f->core = core;
		f->run_id = run->id;
		f->path = path;
		path = NULL;
		f->fd = fd;
		fd = -1;
		f->base = from;
		api_stream(r, "text/plain; charset=utf-8", f->path,
		    api_follow_read, api_follow_done, f);
		goto out;
	}
	if (fd >= 0 && from < size) {
		if ((uint64_t)limit > size - from)
			limit = (long long)(size - from);
		data = xmalloc((size_t)limit);
		n = pread(fd, data, (size_t)limit, (off_t)from);
		if (n < 0)
			n = 0;
	}
	snprintf(num, sizeof num, "%llu", (unsigned long long)(from +
	    (uint64_t)n));
	api_header(r, "X-Lathe-Log-Offset", num);
	api_reply_raw(r, 200, "text/plain; charset=utf-8", data != NULL ?
	    data : "", (size_t)n);
out:
	if (fd >= 0)
		close(fd);
	free(data);
	free(path);
	job_run_free(run);
	project_free(p);
}

/* Sweeps: a grid of parameter values run as job runs. */

#define API_SWEEP_MAX	1000

/* A param value as text: strings as they are, numbers as JSON has them. */
static char *
api_sweep_value(const cJSON *v)
{
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsNumber(v) || cJSON_IsBool(v))
		return json_print(v);
	return NULL;
}

/*
 * The experiment of another job of the project that runs script, so that
 * a sweep lands beside the runs it is compared with; NULL when none has
 * one. A new string.
 */
static char *
api_sweeps_experiment(struct core *core, const struct project *p,
    const char *script)
{
	struct job	**list = NULL;
	size_t		 n = 0, i;
	char		*cause = NULL, *exp = NULL;
	int		 more;

	if (store_job_list(core->store, p->id, NULL, 1000, &list, &n, &more,
	    &cause) != 0) {
		free(cause);
		return NULL;
	}
	for (i = 0; i < n && exp == NULL; i++) {
		if (strcmp(list[i]->script, script) == 0 &&
		    *list[i]->experiment != '\0')
			exp = xstrdup(list[i]->experiment);
	}
	jobs_free(list, n);
	return exp;
}

void
api_sweeps_create(struct req *r)
{
	static const char *const known[] = { "script", "params", "parallel",
	    "name", "experiment", "arguments", "runtime", "profile", NULL };
	struct core	*core = api_core(r);
	const cJSON	*body = api_body(r), *params, *axis, *v;
	struct project	*p;
	struct job	*job = NULL, *fresh = NULL;
	struct job_run	*run = NULL;
	const char	*script = NULL, *name = NULL, *exp = NULL;
	char		*cause = NULL, *parent = NULL, *stem = NULL, *dot;
	char		*text, *args_text, *params_text, *value;
	char		*samejob = NULL;
	cJSON		*spec = NULL, *answer = NULL, *runs, *args, *point;
	cJSON		*base = NULL;
	size_t		 naxes = 0, total = 1, i, k, *idx = NULL, *len = NULL;
	int64_t		 parallel = 1;
	int		 rc, created = 0;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if (api_known_fields(body, known, &cause) != 0 ||
	    json_get_string(body, "script", 1, &script, &cause) != 0 ||
	    json_get_string(body, "name", 0, &name, &cause) != 0 ||
	    json_get_string(body, "experiment", 0, &exp, &cause) != 0 ||
	    json_get_int64(body, "parallel", 0, &parallel, &cause) != 0)
		goto bad;
	if (parallel < 1 || parallel > JOB_CONCURRENT_MAX) {
		cause = xasprintf("parallel must be from 1 to %d",
		    JOB_CONCURRENT_MAX);
		goto bad;
	}
	params = cJSON_GetObjectItemCaseSensitive(body, "params");
	if (!cJSON_IsObject(params) || cJSON_GetArraySize(params) == 0) {
		cause = xstrdup("params must be an object of lists, e.g. "
		    "{\"kernel\": [\"linear\", \"rbf\"], \"C\": [0.1, 1]}");
		goto bad;
	}
	naxes = (size_t)cJSON_GetArraySize(params);
	idx = xcalloc(naxes, sizeof *idx);
	len = xcalloc(naxes, sizeof *len);
	i = 0;
	cJSON_ArrayForEach(axis, params) {
		/* A name becomes an MLflow param and an option, --NAME. */
		if (mlflow_check_key("parameter", axis->string, &cause) != 0)
			goto bad;
		if (strchr(axis->string, ' ') != NULL) {
			cause = xasprintf("params: '%s' has a space; it is "
			    "passed as the option --%s", axis->string,
			    axis->string);
			goto bad;
		}
		if (!cJSON_IsArray(axis) || cJSON_GetArraySize(axis) == 0) {
			cause = xasprintf("params: %s must be a non-empty list "
			    "of values", axis->string);
			goto bad;
		}
		cJSON_ArrayForEach(v, axis) {
			if ((value = api_sweep_value(v)) == NULL) {
				cause = xasprintf("params: the values of %s "
				    "must be strings or numbers",
				    axis->string);
				goto bad;
			}
			free(value);
		}
		len[i] = (size_t)cJSON_GetArraySize(axis);
		total *= len[i++];
		if (total > API_SWEEP_MAX) {
			cause = xasprintf("the grid has more than %d points: "
			    "sweep fewer values", API_SWEEP_MAX);
			goto bad;
		}
	}

	/* The sweep's job: made on first use, kept for the next sweep. */
	if (name == NULL) {
		stem = xstrdup(script);
		if ((dot = strrchr(stem, '/')) != NULL)
			memmove(stem, dot + 1, strlen(dot + 1) + 1);
		if ((dot = strrchr(stem, '.')) != NULL)
			*dot = '\0';
		text = xasprintf("sweep-%s", stem);
		free(stem);
		stem = text;
		name = stem;
	}
	rc = store_job_get(core->store, p->id, name, &job, &cause);
	if (rc == STORE_NOTFOUND) {
		free(cause);
		cause = NULL;
		job = job_new();
		created = 1;
	} else if (rc != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	} else if (strcmp(job->script, script) != 0) {
		cause = xasprintf("job '%s' runs %s, not %s: name the sweep "
		    "with \"name\"", job->name, job->script, script);
		goto bad;
	}
	spec = cJSON_CreateObject();
	cJSON_AddStringToObject(spec, "name", name);
	cJSON_AddStringToObject(spec, "script", script);
	cJSON_AddNumberToObject(spec, "max_concurrent", (double)parallel);
	if (exp == NULL && *job->experiment != '\0')
		exp = job->experiment;
	if (exp == NULL)
		exp = samejob = api_sweeps_experiment(core, p, script);
	cJSON_AddStringToObject(spec, "experiment", exp != NULL ? exp :
	    p->name);
	if ((v = cJSON_GetObjectItemCaseSensitive(body, "runtime")) != NULL)
		cJSON_AddItemToObject(spec, "runtime", cJSON_Duplicate(v, 1));
	if ((v = cJSON_GetObjectItemCaseSensitive(body, "profile")) != NULL)
		cJSON_AddItemToObject(spec, "profile", cJSON_Duplicate(v, 1));
	if (job_apply(job, spec, &parent, &cause) != 0 ||
	    api_jobs_check_refs(core, p, job, parent, &cause) != 0)
		goto bad;
	base = cJSON_GetObjectItemCaseSensitive(body, "arguments");
	if (base != NULL && job_check_arguments(base, &cause) != 0)
		goto bad;
	job->project_id = p->id;
	free(job->project);
	job->project = xstrdup(p->name);
	rc = created ? store_job_insert(core->store, job, &cause) :
	    store_job_update(core->store, job, &cause);
	if (rc != 0) {
		api_error_cause(r, api_jobs_code(rc), cause);
		goto out;
	}

	answer = cJSON_CreateObject();
	runs = cJSON_AddArrayToObject(answer, "runs");
	for (k = 0; k < total; k++) {
		args = base != NULL ? cJSON_Duplicate(base, 1) :
		    cJSON_CreateArray();
		point = cJSON_CreateObject();
		i = 0;
		cJSON_ArrayForEach(axis, params) {
			value = api_sweep_value(cJSON_GetArrayItem(axis,
			    (int)idx[i]));
			text = xasprintf("--%s", axis->string);
			cJSON_AddItemToArray(args, cJSON_CreateString(text));
			cJSON_AddItemToArray(args, cJSON_CreateString(value));
			cJSON_AddStringToObject(point, axis->string, value);
			free(text);
			free(value);
			i++;
		}
		args_text = json_print(args);
		params_text = json_print(point);
		cJSON_Delete(args);
		cJSON_Delete(point);
		rc = sched_enqueue(core, job, "manual", 0, args_text, NULL,
		    params_text, &run, &cause);
		free(args_text);
		free(params_text);
		if (rc != 0) {
			cJSON_Delete(answer);
			api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
			goto out;
		}
		cJSON_AddItemToArray(runs, api_runs_json(core, run));
		job_run_free(run);
		run = NULL;
		/* The next point: the last axis turns fastest. */
		for (i = naxes; i-- > 0; ) {
			if (++idx[i] < len[i])
				break;
			idx[i] = 0;
		}
	}
	if (store_job_get_id(core->store, job->id, &fresh, &cause) == 0)
		cJSON_AddItemToObject(answer, "job", api_jobs_json(core,
		    fresh));
	free(cause);
	cause = NULL;
	log_info("sweep of %s in project '%s': %zu runs, %lld at a time",
	    script, p->name, total, (long long)parallel);
	api_reply(r, 201, answer);
	goto out;
bad:
	api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
out:
	cJSON_Delete(spec);
	free(idx);
	free(len);
	free(parent);
	free(stem);
	free(samejob);
	job_free(fresh);
	job_free(job);
	project_free(p);
}
