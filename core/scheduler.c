/*
 * The scheduler. The store is the queue: a run is a row from the moment it
 * is asked for, so nothing asked for is lost when lathed stops. In memory
 * are only the runs this lathed is watching (with their timeout timers),
 * one timer for the next cron fire time, and one for the next retry whose
 * backoff ends. Every decision happens on the loop thread.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"
#include "cron.h"
#include "env.h"
#include "files.h"
#include "job.h"
#include "json.h"
#include "keys.h"
#include "log.h"
#include "mlflow.h"
#include "paths.h"
#include "proc.h"
#include "project.h"
#include "runtime.h"
#include "scheduler.h"
#include "size.h"
#include "store.h"
#include "xmalloc.h"

extern char **environ;

#define SCHED_GPUS_MAX		64
#define SCHED_CRON_MAX_WAIT_MS	60000	/* re-check the clock this often */
#define SCHED_BACKOFF_MAX_S	3600

struct active {
	int64_t		 run_id;
	int64_t		 job_id;
	int64_t		 project_id;
	int		 stop_requested;
	int		 timed_out;
	int		 timeout_s;
	uint64_t	 gpus;		/* bit i: GPU i given to this run */
	uv_timer_t	*timer;		/* the timeout, or NULL */
	struct active	*next;
};

struct sched {
	struct core		*core;
	struct supervisor	*sup;
	struct active		*active;
	int			 nactive;
	int			 max_runs;
	int			 ready;		/* runtimes discovered */
	int			 stopping;
	int			 ngpus;
	uv_timer_t		 cron_timer;
	uv_timer_t		 dispatch_timer;
	int64_t			 cron_last_s;	/* fire times up to this are
						   done */
	char			*runs_dir;
	/* Discovery, done in the thread pool. */
	uv_work_t		 discover;
	struct runtime		*found;
	size_t			 nfound;
	char			*found_error;
	char			*path_env;
};

static void	sched_kick(struct sched *);
static void	sched_cron_arm(struct sched *);
static void	sched_on_cron(uv_timer_t *);
static void	sched_finish(struct sched *, struct job_run *,
		    const char *status, const char *reason);
static void	sched_mlflow_close(struct sched *, const struct job_run *);

static struct sched *
sched_of(struct core *core)
{
	return core->sched;
}

char *
sched_run_dir(struct core *core, int64_t run_id)
{
	return xasprintf("%s/runs/%lld", core->cfg.state_dir,
	    (long long)run_id);
}

char *
sched_log_path(struct core *core, int64_t run_id)
{
	return xasprintf("%s/runs/%lld/log", core->cfg.state_dir,
	    (long long)run_id);
}

static struct active *
sched_find(struct sched *s, int64_t run_id)
{
	struct active	*a;

	for (a = s->active; a != NULL; a = a->next) {
		if (a->run_id == run_id)
			return a;
	}
	return NULL;
}

static void
sched_on_timer_close(uv_handle_t *h)
{
	free(h);
}

static void
sched_forget_active(struct sched *s, struct active *gone)
{
	struct active	**pp;

	for (pp = &s->active; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == gone) {
			*pp = gone->next;
			break;
		}
	}
	if (gone->timer != NULL)
		uv_close((uv_handle_t *)gone->timer, sched_on_timer_close);
	s->nactive--;
	free(gone);
}

static void
sched_revoke_key(struct sched *s, struct job_run *run)
{
	char	*cause = NULL;

	if (run->key_id == 0)
		return;
	if (store_key_revoke(s->core->store, run->key_id, &cause) != 0) {
		log_warn("run %lld: revoking its key: %s", (long long)run->id,
		    cause);
		free(cause);
	}
}

static void
sched_on_timeout(uv_timer_t *h)
{
	struct sched	*s = h->data;
	struct active	*a;
	int64_t		 run_id = *(int64_t *)((char *)h +
			    sizeof(uv_timer_t));

	if ((a = sched_find(s, run_id)) == NULL)
		return;
	log_info("run %lld timed out after %d s", (long long)run_id,
	    a->timeout_s);
	a->timed_out = 1;
	proc_stop(s->sup, "run", (uint64_t)run_id, SCHED_STOP_GRACE_MS);
}

/* A timer followed by the run id it is for (never a pointer). */
static void
sched_arm_timeout(struct sched *s, struct active *a, int64_t due_ms)
{
	int64_t	 delay = due_ms - store_now_ms();
	char	*mem;

	mem = xcalloc(1, sizeof(uv_timer_t) + sizeof(int64_t));
	a->timer = (uv_timer_t *)mem;
	memcpy(mem + sizeof(uv_timer_t), &a->run_id, sizeof a->run_id);
	uv_timer_init(s->core->loop, a->timer);
	a->timer->data = s;
	uv_timer_start(a->timer, sched_on_timeout,
	    delay > 0 ? (uint64_t)delay : 0, 0);
}

static struct active *
sched_add_active(struct sched *s, const struct job_run *run,
    const struct job *job, uint64_t gpus)
{
	struct active	*a = xcalloc(1, sizeof *a);

	a->run_id = run->id;
	a->job_id = run->job_id;
	a->project_id = run->project_id;
	a->gpus = gpus;
	a->timeout_s = job != NULL ? job->timeout_s : 0;
	a->next = s->active;
	s->active = a;
	s->nactive++;
	if (a->timeout_s > 0)
		sched_arm_timeout(s, a, run->started_ms +
		    (int64_t)a->timeout_s * 1000);
	return a;
}

/* What a user reads for how a run ended. */
static char *
sched_reason(const struct job_run *run, const struct proc_result *res,
    const struct active *a, const char **status)
{
	char	 size[32], sig[32];

	if (a != NULL && a->stop_requested) {
		*status = RUN_STOPPED;
		return xstrdup("stopped by user");
	}
	if (a != NULL && a->timed_out) {
		*status = RUN_TIMED_OUT;
		return xasprintf("timed out after %d s", a->timeout_s);
	}
	if (res->lost) {
		*status = RUN_LOST;
		return xstrdup("the run's supervisor vanished without "
		    "recording how the run ended");
	}
	if (res->oom) {
		*status = RUN_FAILED;
		size_format((uint64_t)run->memory_mb << 20, size,
		    sizeof size);
		return xasprintf("out of memory (limit %s)", size);
	}
	if (res->signal != 0) {
		*status = RUN_FAILED;
		return xasprintf("killed by %s", job_signal_name(res->signal,
		    sig, sizeof sig));
	}
	if (res->exit_code == 0) {
		*status = RUN_SUCCEEDED;
		return xstrdup("");
	}
	*status = RUN_FAILED;
	if (res->exit_code == 127)
		return xstrdup("exit code 127: the program could not be run "
		    "(see the log)");
	return xasprintf("exit code %d", res->exit_code);
}

/* Queue what follows a run that has ended: a retry, or the dependents. */
static void
sched_follow(struct sched *s, const struct job_run *run)
{
	struct core	*core = s->core;
	struct job	*job = NULL, **deps = NULL;
	struct job_run	*next = NULL;
	size_t		 ndeps = 0, i;
	char		*cause = NULL;
	int64_t		 backoff;
	int		 shift;

	if (s->stopping)
		return;
	if (store_job_get_id(core->store, run->job_id, &job, &cause) != 0)
		goto out;
	if ((strcmp(run->status, RUN_FAILED) == 0 ||
	    strcmp(run->status, RUN_TIMED_OUT) == 0) &&
	    run->attempt <= job->retries) {
		shift = run->attempt - 1 < 12 ? run->attempt - 1 : 12;
		backoff = (int64_t)job->backoff_s << shift;
		if (backoff > SCHED_BACKOFF_MAX_S)
			backoff = SCHED_BACKOFF_MAX_S;
		next = job_run_new();
		next->job_id = job->id;
		next->status = xstrdup(RUN_QUEUED);
		next->trigger = xstrdup("retry");
		next->parent_run_id = run->parent_run_id;
		next->attempt = run->attempt + 1;
		next->arguments = run->arguments != NULL ?
		    xstrdup(run->arguments) : NULL;
		next->env = xstrdup(run->env != NULL ? run->env : "{}");
		next->params = run->params != NULL ? xstrdup(run->params) :
		    NULL;
		next->queued_ms = store_now_ms();
		next->not_before_ms = next->queued_ms + backoff * 1000;
		if (store_run_insert(core->store, next, &cause) != 0)
			goto out;
		log_info("run %lld of job '%s' %s; retry %d of %d as run %lld "
		    "in %lld s", (long long)run->id, job->name, run->status,
		    run->attempt, job->retries, (long long)next->id,
		    (long long)backoff);
	} else if (strcmp(run->status, RUN_SUCCEEDED) == 0) {
		if (store_job_dependents(core->store, job->id, &deps, &ndeps,
		    &cause) != 0)
			goto out;
		for (i = 0; i < ndeps; i++) {
			if (deps[i]->paused)
				continue;
			job_run_free(next);
			next = NULL;
			if (sched_enqueue(core, deps[i], "parent", run->id,
			    NULL, NULL, NULL, &next, &cause) != 0)
				goto out;
			log_info("run %lld of job '%s' succeeded: run %lld of "
			    "job '%s' queued", (long long)run->id, job->name,
			    (long long)next->id, deps[i]->name);
		}
	}
out:
	if (cause != NULL) {
		log_warn("after run %lld: %s", (long long)run->id, cause);
		free(cause);
	}
	job_run_free(next);
	jobs_free(deps, ndeps);
	job_free(job);
	sched_kick(s);
}

/* Record how a run ended, then queue what follows it. */
static void
sched_finish(struct sched *s, struct job_run *run, const char *status,
    const char *reason)
{
	char	*cause = NULL;

	free(run->status);
	run->status = xstrdup(status);
	free(run->reason);
	run->reason = xstrdup(reason);
	if (run->ended_ms == 0)
		run->ended_ms = store_now_ms();
	if (run->started_ms == 0 && strcmp(status, RUN_STOPPED) != 0)
		run->started_ms = run->ended_ms;
	if (store_run_update(s->core->store, run, &cause) != 0) {
		log_warn("run %lld: %s", (long long)run->id, cause);
		free(cause);
	}
	sched_revoke_key(s, run);
	sched_mlflow_close(s, run);
	log_info("run %lld of job '%s' %s%s%s", (long long)run->id,
	    run->job != NULL ? run->job : "?", status, *reason != '\0' ?
	    ": " : "", reason);
	sched_follow(s, run);
}

static void
sched_on_exit(void *arg, const char *kind, uint64_t id,
    const struct proc_result *res)
{
	struct sched	*s = arg;
	struct active	*a = sched_find(s, (int64_t)id);
	struct job_run	*run = NULL;
	const char	*status;
	char		*cause = NULL, *reason;

	if (strcmp(kind, "run") != 0)
		return;
	if (store_run_get(s->core->store, (int64_t)id, &run, &cause) != 0) {
		/* Deleted with its job or project while it ran. */
		free(cause);
		if (a != NULL)
			sched_forget_active(s, a);
		sched_kick(s);
		return;
	}
	reason = sched_reason(run, res, a, &status);
	run->has_exit = !res->lost;
	run->exit_code = res->exit_code;
	run->signal = res->signal;
	run->ended_ms = res->ended_ms != 0 ? res->ended_ms : store_now_ms();
	if (a != NULL)
		sched_forget_active(s, a);
	sched_finish(s, run, status, reason);
	free(reason);
	job_run_free(run);
}

static int
sched_count_gpus(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir("/proc/driver/nvidia/gpus")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			n++;
	}
	closedir(d);
	return n < SCHED_GPUS_MAX ? n : SCHED_GPUS_MAX;
}

/* Pick want free GPUs; 0 with *mask, or -1 when too few are free. */
static int
sched_take_gpus(struct sched *s, int want, uint64_t *mask)
{
	struct active	*a;
	uint64_t	 used = 0, got = 0;
	int		 i, n = 0;

	for (a = s->active; a != NULL; a = a->next)
		used |= a->gpus;
	for (i = 0; i < s->ngpus && n < want; i++) {
		if (!(used & ((uint64_t)1 << i))) {
			got |= (uint64_t)1 << i;
			n++;
		}
	}
	if (n < want)
		return -1;
	*mask = got;
	return 0;
}

static void
sched_gpu_list(uint64_t mask, char *buf, size_t len)
{
	size_t	off = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < SCHED_GPUS_MAX && off < len; i++) {
		if (mask & ((uint64_t)1 << i))
			off += (size_t)snprintf(buf + off, len - off, "%s%d",
			    off > 0 ? "," : "", i);
	}
}

static void
sched_env_json(struct env *env, const char *text)
{
	cJSON	*o, *item;
	char	*err = NULL;

	if (text == NULL || (o = json_parse(text, strlen(text), &err)) ==
	    NULL) {
		free(err);
		return;
	}
	cJSON_ArrayForEach(item, o) {
		if (cJSON_IsString(item))
			env_set(env, item->string, item->valuestring);
	}
	cJSON_Delete(o);
}

static char **
sched_args(const char *text, size_t *n)
{
	cJSON	*a, *item;
	char	**args = NULL, *err = NULL;
	size_t	 count = 0;

	*n = 0;
	if (text == NULL || (a = json_parse(text, strlen(text), &err)) ==
	    NULL) {
		free(err);
		return NULL;
	}
	args = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof *args);
	cJSON_ArrayForEach(item, a) {
		if (cJSON_IsString(item))
			args[count++] = xstrdup(item->valuestring);
	}
	cJSON_Delete(a);
	*n = count;
	return args;
}

static void
sched_args_free(char **args, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(args[i]);
	free(args);
}

static char *
sched_command_json(char **argv)
{
	cJSON	*a = cJSON_CreateArray();
	char	*text;
	size_t	 i;

	for (i = 0; argv[i] != NULL; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
	text = json_print(a);
	cJSON_Delete(a);
	return text;
}

/* The address workloads reach the core's TCP listener at. */
static char *
sched_api_base(struct core *core)
{
	const char	*host = core->cfg.listen;

	if (strcmp(host, "0.0.0.0") == 0 || *host == '\0')
		host = "127.0.0.1";
	if (strcmp(host, "::") == 0)
		host = "::1";
	if (strchr(host, ':') != NULL)
		return xasprintf("http://[%s]:%d", host, core->port);
	return xasprintf("http://%s:%d", host, core->port);
}

/*
 * The environment of a run: core defaults < project < job < run
 * overrides, then what lathe itself says about the run, which no layer may
 * change.
 */
static struct env *
sched_env(struct sched *s, const struct job_run *run, const struct job *job,
    const struct project *p, const struct profile *prof, const char *key,
    const char *gpus, int64_t experiment_id, char **cause)
{
	struct core	*core = s->core;
	struct env	*env = env_new();
	struct env_var	*vars = NULL;
	size_t		 nvars = 0, i;
	char		*base, *sdk, num[64];

	env_defaults(env, environ);
	sdk = paths_join(core->cfg.data_dir, "sdk");
	env_prepend_path(env, "PYTHONPATH", sdk);
	free(sdk);
	if (store_env_list(core->store, p->id, &vars, &nvars, cause) != 0) {
		env_free(env);
		return NULL;
	}
	for (i = 0; i < nvars; i++)
		env_set(env, vars[i].name, vars[i].value);
	env_vars_free(vars, nvars);
	sched_env_json(env, job->env);
	sched_env_json(env, run->env);

	base = sched_api_base(core);
	env_set(env, "LATHE_PROJECT", p->name);
	snprintf(num, sizeof num, "%lld", (long long)p->id);
	env_set(env, "LATHE_PROJECT_ID", num);
	env_set(env, "CDSW_PROJECT_ID", num);
	env_set(env, "LATHE_PROJECT_DIR", p->path);
	env_set(env, "LATHE_JOB", job->name);
	snprintf(num, sizeof num, "%lld", (long long)job->id);
	env_set(env, "LATHE_JOB_ID", num);
	env_set(env, "CDSW_JOB_ID", num);
	snprintf(num, sizeof num, "%lld", (long long)run->id);
	env_set(env, "LATHE_RUN_ID", num);
	env_set(env, "CDSW_ENGINE_ID", num);
	env_set(env, "CDSW_PROJECT", p->name);
	env_set(env, "CDSW_HOME", p->path);
	snprintf(num, sizeof num, "%d", (int)(prof->vcpu * 1000));
	env_set(env, "CDSW_CPU_MILLICORES", num);
	snprintf(num, sizeof num, "%lld", (long long)prof->memory_mb);
	env_set(env, "CDSW_MEMORY_MB", num);
	snprintf(num, sizeof num, "%d", prof->gpus);
	env_set(env, "CDSW_GPU_COUNT", num);
	env_set(env, "CUDA_VISIBLE_DEVICES", gpus);
	env_set(env, "LATHE_API_URL", base);
	env_set(env, "CDSW_API_URL", base);
	env_set(env, "LATHE_API_KEY", key);
	env_set(env, "MLFLOW_TRACKING_URI", base);
	env_set(env, "MLFLOW_TRACKING_TOKEN", key);
	if (run->mlflow_run_id != NULL) {
		env_set(env, "MLFLOW_RUN_ID", run->mlflow_run_id);
		snprintf(num, sizeof num, "%lld", (long long)experiment_id);
		env_set(env, "MLFLOW_EXPERIMENT_ID", num);
		env_set(env, "MLFLOW_EXPERIMENT_NAME", job->experiment);
	}
	free(base);
	return env;
}

/*
 * Open the MLflow run of a job run, in the job's experiment (made on
 * first use), tagged with where it came from and carrying a sweep's
 * params. Sets run->mlflow_run_id and *experiment_id. Tracking is a
 * convenience: on failure the run goes ahead without it (-1, *cause).
 */
static int
sched_mlflow_open(struct sched *s, struct job_run *run, const struct job *job,
    const struct project *p, int64_t *experiment_id, char **cause)
{
	struct core		*core = s->core;
	struct mlflow_experiment *exp = NULL;
	struct mlflow_run_info	 info;
	struct mlflow_tag	 tags[5], *params = NULL;
	cJSON			*o = NULL, *item;
	char			*root, *err = NULL;
	char			 idbuf[32], name[128];
	size_t			 nparams = 0;
	int64_t			 eid;
	int			 rc;

	memset(&info, 0, sizeof info);
	root = mlflow_artifact_root(core->cfg.state_dir);
	rc = store_mlflow_experiment_by_name(core->store, root,
	    job->experiment, &exp, cause);
	if (rc == STORE_NOTFOUND) {
		free(*cause);
		*cause = NULL;
		if (store_mlflow_experiment_create(core->store,
		    job->experiment, NULL, NULL, 0, &eid, cause) != 0)
			goto fail;
	} else if (rc != 0)
		goto fail;
	else if (strcmp(exp->lifecycle_stage, "active") != 0) {
		*cause = xasprintf("experiment '%s' is deleted",
		    job->experiment);
		goto fail;
	} else
		eid = exp->id;
	snprintf(name, sizeof name, "%s-%lld", job->name, (long long)run->id);
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)run->id);
	info.experiment_id = eid;
	info.run_name = name;
	info.user_id = (char *)(getenv("USER") != NULL ? getenv("USER") : "");
	info.start_time = store_now_ms();
	tags[0].key = "lathe.project";
	tags[0].value = p->name;
	tags[1].key = "lathe.job";
	tags[1].value = job->name;
	tags[2].key = "lathe.job_run_id";
	tags[2].value = idbuf;
	tags[3].key = "mlflow.source.name";
	tags[3].value = job->script;
	tags[4].key = "mlflow.source.type";
	tags[4].value = "JOB";
	if (store_mlflow_run_create(core->store, root, &info, tags, 5,
	    cause) != 0)
		goto fail;
	if (run->params != NULL &&
	    (o = json_parse(run->params, strlen(run->params), &err)) != NULL) {
		params = xcalloc((size_t)cJSON_GetArraySize(o) + 1,
		    sizeof *params);
		cJSON_ArrayForEach(item, o) {
			if (!cJSON_IsString(item))
				continue;
			params[nparams].key = item->string;
			params[nparams++].value = item->valuestring;
		}
		if (nparams > 0 && store_mlflow_log(core->store,
		    info.run_uuid, NULL, 0, params, nparams, NULL, 0, 1,
		    cause) != 0)
			goto fail;
	}
	if (store_mlflow_run_link(core->store, info.run_uuid, run->id,
	    cause) != 0)
		goto fail;
	free(run->mlflow_run_id);
	run->mlflow_run_id = xstrdup(info.run_uuid);
	*experiment_id = eid;
	rc = 0;
	goto out;
fail:
	rc = -1;
out:
	/* run_name and user_id are ours; only what the store filled goes. */
	info.run_name = NULL;
	info.user_id = NULL;
	mlflow_run_info_done(&info);
	free(err);
	free(params);
	cJSON_Delete(o);
	mlflow_experiment_free(exp);
	free(root);
	return rc;
}

/* End the MLflow run of a job run as the run ended, unless it did. */
static void
sched_mlflow_close(struct sched *s, const struct job_run *run)
{
	struct core		*core = s->core;
	struct mlflow_run	*mr = NULL;
	struct mlflow_run_info	 info;
	const char		*status;
	char			*cause = NULL;

	if (run->mlflow_run_id == NULL)
		return;
	if (store_mlflow_run_get(core->store, run->mlflow_run_id, &mr,
	    &cause) != 0)
		goto out;
	if (strcmp(mr->info.status, "RUNNING") != 0)
		goto out;
	status = strcmp(run->status, RUN_SUCCEEDED) == 0 ? "FINISHED" :
	    strcmp(run->status, RUN_STOPPED) == 0 ? "KILLED" : "FAILED";
	memset(&info, 0, sizeof info);
	if (store_mlflow_run_update(core->store, run->mlflow_run_id,
	    mlflow_status_parse(status), 1, run->ended_ms, NULL, &info,
	    &cause) == 0)
		mlflow_run_info_done(&info);
out:
	if (cause != NULL) {
		log_warn("run %lld: ending its MLflow run: %s",
		    (long long)run->id, cause);
		free(cause);
	}
	mlflow_run_free(mr);
}

/* Find the runtime for the run; 0, or -1 with *cause. */
static int
sched_runtime(struct sched *s, const struct job *job,
    const struct project *p, struct runtime *rt, char **cause)
{
	const char	*name = *job->runtime != '\0' ? job->runtime :
			    p->default_runtime, *kernel;

	if (*name != '\0') {
		if (store_runtime_get(s->core->store, name, rt, cause) == 0)
			return 0;
		return -1;
	}
	if ((kernel = runtime_kernel_for(job->script)) == NULL) {
		*cause = xasprintf("cannot tell which runtime runs '%s': set "
		    "the job's runtime (lathe runtime list)", job->script);
		return -1;
	}
	return store_runtime_for_kernel(s->core->store, kernel, rt, cause);
}

/*
 * Start a queued run. Returns 0 when it started, 1 when it must wait (no
 * free GPUs), -1 when it could not start (it has been marked failed).
 */
static int
sched_launch(struct sched *s, struct job_run *run)
{
	struct core		*core = s->core;
	struct job		*job = NULL;
	struct project		*p = NULL;
	struct runtime		 rt;
	struct profile		 prof;
	struct apikey		 k;
	struct env		*env = NULL;
	struct proc_spec	 spec;
	struct proc_enforced	 enf;
	struct stat		 sb;
	char			*cause = NULL, *script = NULL, *key = NULL;
	char			*dir = NULL, **args = NULL, **argv = NULL;
	char			 idbuf[32], keyname[64], gpus[256];
	const char		*profname;
	uint64_t		 gpumask = 0;
	int64_t			 experiment_id = 0;
	size_t			 nargs = 0;
	int			 pid, rc = -1;

	memset(&rt, 0, sizeof rt);
	memset(&prof, 0, sizeof prof);
	memset(&k, 0, sizeof k);
	if (store_job_get_id(core->store, run->job_id, &job, &cause) != 0)
		goto fail;
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)job->project_id);
	if (store_project_get(core->store, idbuf, &p, &cause) != 0)
		goto fail;
	if (files_resolve(p->path, job->script, &script, &cause) != 0 ||
	    stat(script, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		free(cause);
		cause = xasprintf("script not found: %s (in %s)", job->script,
		    p->path);
		goto fail;
	}
	if (sched_runtime(s, job, p, &rt, &cause) != 0)
		goto fail;
	profname = *job->profile != '\0' ? job->profile :
	    *p->default_profile != '\0' ? p->default_profile : "small";
	if (store_profile_get(core->store, profname, &prof, &cause) != 0)
		goto fail;
	if (prof.gpus > s->ngpus) {
		cause = xasprintf("profile '%s' asks for %d GPUs; this machine "
		    "has %d", prof.name, prof.gpus, s->ngpus);
		goto fail;
	}
	if (prof.gpus > 0 && sched_take_gpus(s, prof.gpus, &gpumask) != 0) {
		rc = 1;
		goto out;
	}
	sched_gpu_list(gpumask, gpus, sizeof gpus);

	snprintf(keyname, sizeof keyname, "run %lld", (long long)run->id);
	key = keys_generate(keyname, &k);
	if (store_key_insert(core->store, &k, &cause) != 0)
		goto fail;
	run->key_id = k.id;
	if (*job->experiment != '\0' && sched_mlflow_open(s, run, job, p,
	    &experiment_id, &cause) != 0) {
		log_warn("run %lld: no MLflow run: %s", (long long)run->id,
		    cause);
		free(cause);
		cause = NULL;
	}
	env = sched_env(s, run, job, p, &prof, key, gpus, experiment_id,
	    &cause);
	if (env == NULL)
		goto fail;

	args = sched_args(run->arguments != NULL ? run->arguments :
	    job->arguments, &nargs);
	argv = runtime_argv(&rt, job->script, args, nargs);
	dir = sched_run_dir(core, run->id);
	if (paths_mkdir(dir, 0700, &cause) != 0)
		goto fail;

	free(run->runtime);
	run->runtime = xstrdup(rt.name);
	free(run->command);
	run->command = sched_command_json(argv);
	free(run->profile);
	run->profile = xstrdup(prof.name);
	run->vcpu = prof.vcpu;
	run->memory_mb = prof.memory_mb;
	free(run->gpus);
	run->gpus = xstrdup(gpus);

	memset(&spec, 0, sizeof spec);
	spec.kind = "run";
	spec.id = (uint64_t)run->id;
	spec.argv = argv;
	spec.env = env_array(env);
	spec.cwd = p->path;
	spec.dir = dir;
	spec.memory_bytes = (uint64_t)prof.memory_mb << 20;
	spec.vcpu = prof.vcpu;
	if (proc_start(s->sup, &spec, &pid, &enf, &cause) != 0)
		goto fail;

	run->pid = pid;
	run->started_ms = store_now_ms();
	free(run->status);
	run->status = xstrdup(RUN_RUNNING);
	free(run->memory_enforced);
	run->memory_enforced = xstrdup(enf.memory);
	free(run->cpu_enforced);
	run->cpu_enforced = xstrdup(enf.cpu);
	if (store_run_update(core->store, run, &cause) != 0) {
		log_warn("run %lld: %s", (long long)run->id, cause);
		free(cause);
		cause = NULL;
	}
	sched_add_active(s, run, job, gpumask);
	log_info("run %lld of job '%s' started (pid %d, %s)",
	    (long long)run->id, job->name, pid, rt.name);
	rc = 0;
	goto out;
fail:
	sched_finish(s, run, RUN_FAILED, cause != NULL ? cause :
	    "the run could not start");
out:
	free(cause);
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	apikey_done(&k);
	env_free(env);
	runtime_argv_free(argv);
	sched_args_free(args, nargs);
	runtime_done(&rt);
	profile_done(&prof);
	free(dir);
	free(script);
	project_free(p);
	job_free(job);
	return rc;
}

static void
sched_on_dispatch(uv_timer_t *h)
{
	struct sched	*s = h->data;
	struct core	*core = s->core;
	struct job_run	**runs = NULL;
	struct active	*a;
	size_t		 n = 0, i;
	char		*cause = NULL;
	int64_t		 now = store_now_ms(), wake = 0;
	int		 busy;

	if (s->stopping || !s->ready)
		return;
	if (store_run_active(core->store, &runs, &n, &cause) != 0) {
		log_warn("dispatching runs: %s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n && s->nactive < s->max_runs; i++) {
		if (strcmp(runs[i]->status, RUN_QUEUED) != 0)
			continue;
		if (runs[i]->not_before_ms > now) {
			if (wake == 0 || runs[i]->not_before_ms < wake)
				wake = runs[i]->not_before_ms;
			continue;
		}
		busy = 0;
		for (a = s->active; a != NULL; a = a->next) {
			if (a->job_id == runs[i]->job_id)
				busy++;
		}
		if (busy >= runs[i]->max_concurrent)
			continue;
		free(runs[i]->status);
		runs[i]->status = xstrdup(RUN_STARTING);
		if (sched_launch(s, runs[i]) == 1) {
			/* Waits for GPUs: back in the queue, checked again
			   when a run ends. */
			free(runs[i]->status);
			runs[i]->status = xstrdup(RUN_QUEUED);
		}
	}
	job_runs_free(runs, n);
	if (wake != 0)
		uv_timer_start(&s->dispatch_timer, sched_on_dispatch,
		    (uint64_t)(wake - now), 0);
}

/* Look at the queue on the next loop turn (once, however often asked). */
static void
sched_kick(struct sched *s)
{
	if (s->stopping)
		return;
	uv_timer_start(&s->dispatch_timer, sched_on_dispatch, 0, 0);
}

int
sched_enqueue(struct core *core, const struct job *job, const char *trigger,
    int64_t parent_run_id, const char *arguments, const char *env,
    const char *params, struct job_run **out, char **cause)
{
	struct job_run	*run = job_run_new();

	run->job_id = job->id;
	run->job = xstrdup(job->name);
	run->project_id = job->project_id;
	run->project = xstrdup(job->project != NULL ? job->project : "");
	run->status = xstrdup(RUN_QUEUED);
	run->trigger = xstrdup(trigger);
	run->parent_run_id = parent_run_id;
	run->attempt = 1;
	run->arguments = arguments != NULL ? xstrdup(arguments) : NULL;
	run->env = xstrdup(env != NULL ? env : "{}");
	run->params = params != NULL ? xstrdup(params) : NULL;
	run->max_concurrent = job->max_concurrent;
	if (store_run_insert(core->store, run, cause) != 0) {
		job_run_free(run);
		return -1;
	}
	sched_kick(sched_of(core));
	*out = run;
	return 0;
}

int
sched_stop_run(struct core *core, int64_t run_id, char **cause)
{
	struct sched	*s = sched_of(core);
	struct job_run	*run = NULL;
	struct active	*a;
	int		 rc = -1;

	if (store_run_get(core->store, run_id, &run, cause) != 0)
		return -1;
	if (!job_run_active(run->status)) {
		*cause = xasprintf("run %lld has already ended (%s)",
		    (long long)run_id, run->status);
		goto out;
	}
	if ((a = sched_find(s, run_id)) != NULL) {
		a->stop_requested = 1;
		proc_stop(s->sup, "run", (uint64_t)run_id,
		    SCHED_STOP_GRACE_MS);
	} else
		sched_finish(s, run, RUN_STOPPED, strcmp(run->status,
		    RUN_QUEUED) == 0 ? "stopped before it started" :
		    "stopped by user");
	rc = 0;
out:
	job_run_free(run);
	return rc;
}

int64_t
sched_next_fire(struct core *core, const struct job *job)
{
	struct cron	*c;
	char		*cause = NULL;
	int64_t		 next = 0;

	if (strcmp(job->schedule, "cron") != 0 || job->paused)
		return 0;
	if ((c = cron_parse(job->cron, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	if (cron_next(c, job->timezone, store_now_ms() / 1000, &next,
	    &cause) != 0) {
		free(cause);
		next = 0;
	}
	cron_free(c);
	return next * 1000;
}

/*
 * Look at every cron job once: with fire, queue those whose fire time since
 * the last look has come; then set the timer for the soonest next one.
 */
static void
sched_cron_scan(struct sched *s, int fire)
{
	struct core	*core = s->core;
	struct job	**jobs = NULL;
	struct job_run	*run = NULL;
	struct cron	*c;
	size_t		 n = 0, i;
	char		*cause = NULL;
	int64_t		 now_s = store_now_ms() / 1000, next, active;
	int64_t		 soonest = 0, delay;
	int		 due;

	if (s->stopping)
		return;
	if (store_job_scheduled(core->store, &jobs, &n, &cause) != 0) {
		log_warn("schedules: %s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((c = cron_parse(jobs[i]->cron, &cause)) == NULL)
			goto next;
		due = 0;
		if (cron_next(c, jobs[i]->timezone, s->cron_last_s, &next,
		    &cause) == 0 && fire && next <= now_s) {
			/* Due; the timer waits for the one after now. */
			due = 1;
			cron_next(c, jobs[i]->timezone, now_s, &next, &cause);
		}
		cron_free(c);
		if (cause != NULL)
			goto next;
		if (soonest == 0 || next < soonest)
			soonest = next;
		if (!due)
			goto next;
		if (store_job_active_runs(core->store, jobs[i]->id, &active,
		    &cause) != 0)
			goto next;
		if (active >= jobs[i]->max_concurrent) {
			log_info("job '%s': its schedule fired while %lld "
			    "run(s) were active; this time is skipped",
			    jobs[i]->name, (long long)active);
			goto next;
		}
		if (sched_enqueue(core, jobs[i], "schedule", 0, NULL, NULL,
		    NULL, &run, &cause) == 0) {
			log_info("job '%s': scheduled run %lld queued",
			    jobs[i]->name, (long long)run->id);
			job_run_free(run);
			run = NULL;
		}
next:
		if (cause != NULL) {
			log_warn("job '%s': %s", jobs[i]->name, cause);
			free(cause);
			cause = NULL;
		}
	}
	jobs_free(jobs, n);
	if (fire && now_s > s->cron_last_s)
		s->cron_last_s = now_s;
	if (soonest == 0) {
		uv_timer_stop(&s->cron_timer);
		return;
	}
	delay = soonest * 1000 - store_now_ms();
	if (delay < 0)
		delay = 0;
	if (delay > SCHED_CRON_MAX_WAIT_MS)
		delay = SCHED_CRON_MAX_WAIT_MS;
	uv_timer_start(&s->cron_timer, sched_on_cron, (uint64_t)delay, 0);
}

static void
sched_on_cron(uv_timer_t *h)
{
	sched_cron_scan(h->data, 1);
}

/* Set the cron timer for the soonest fire time of any job. */
static void
sched_cron_arm(struct sched *s)
{
	sched_cron_scan(s, 0);
}

void
sched_jobs_changed(struct core *core)
{
	struct sched	*s = sched_of(core);

	if (s != NULL)
		sched_cron_arm(s);
}

static void
sched_remove_dir(uv_work_t *w)
{
	char	*cause = NULL;

	if (files_remove_tree(w->data, &cause) != 0 && cause != NULL) {
		log_warn("%s", cause);
		free(cause);
	}
}

static void
sched_removed_dir(uv_work_t *w, int status)
{
	free(w->data);
	free(w);
}

void
sched_forget(struct core *core, int64_t project_id, int64_t job_id)
{
	struct sched	*s = sched_of(core);
	struct active	*a;
	int64_t		*ids = NULL;
	size_t		 n = 0, i;
	char		*cause = NULL, *dir, *trash;
	uv_work_t	*w;

	for (a = s->active; a != NULL; a = a->next) {
		if ((job_id != 0 && a->job_id == job_id) ||
		    (job_id == 0 && a->project_id == project_id)) {
			a->stop_requested = 1;
			proc_stop(s->sup, "run", (uint64_t)a->run_id, 0);
		}
	}
	if (store_run_ids(core->store, project_id, job_id, &ids, &n,
	    &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		dir = sched_run_dir(core, ids[i]);
		trash = xasprintf("%s/runs/.trash-%lld", core->cfg.state_dir,
		    (long long)ids[i]);
		if (rename(dir, trash) == 0) {
			w = xcalloc(1, sizeof *w);
			w->data = trash;
			uv_queue_work(core->loop, w, sched_remove_dir,
			    sched_removed_dir);
		} else
			free(trash);
		free(dir);
	}
	free(ids);
}

void
sched_caps(struct core *core, const char **memory, const char **cpu)
{
	struct sched		*s = sched_of(core);
	struct proc_enforced	 enf;

	*memory = *cpu = "none";
	if (s == NULL || s->sup == NULL)
		return;
	supervisor_caps(s->sup, &enf);
	*memory = enf.memory;
	*cpu = enf.cpu;
}

void
sched_counts(struct core *core, int *running, int *queued)
{
	struct sched	*s = sched_of(core);
	char		*cause = NULL;
	int64_t		 n = 0;

	*running = s != NULL ? s->nactive : 0;
	if (store_run_count(core->store, RUN_QUEUED, &n, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
	}
	*queued = (int)n;
}

/* Take back, or close the books on, the runs a previous lathed started. */
static void
sched_reconcile(struct sched *s)
{
	struct core		*core = s->core;
	struct job_run		**runs = NULL;
	struct job		*job = NULL;
	struct proc_result	 res;
	const char		*status;
	size_t			 n = 0, i;
	char			*cause = NULL, *dir, *reason;
	int			 rc;

	if (store_run_active(core->store, &runs, &n, &cause) != 0) {
		log_warn("reconciling runs: %s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(runs[i]->status, RUN_QUEUED) == 0)
			continue;
		if (runs[i]->pid <= 0) {
			sched_finish(s, runs[i], RUN_LOST, "lathed stopped "
			    "before the run's process started");
			continue;
		}
		dir = sched_run_dir(core, runs[i]->id);
		memset(&res, 0, sizeof res);
		rc = proc_adopt(s->sup, "run", (uint64_t)runs[i]->id,
		    runs[i]->pid, dir, &res);
		free(dir);
		if (rc == 0) {
			job = NULL;
			if (store_job_get_id(core->store, runs[i]->job_id,
			    &job, &cause) != 0) {
				free(cause);
				cause = NULL;
			}
			sched_add_active(s, runs[i], job, 0);
			job_free(job);
			log_info("run %lld: still running (pid %d), adopted",
			    (long long)runs[i]->id, runs[i]->pid);
		} else if (rc == 1) {
			reason = sched_reason(runs[i], &res, NULL, &status);
			runs[i]->has_exit = 1;
			runs[i]->exit_code = res.exit_code;
			runs[i]->signal = res.signal;
			runs[i]->ended_ms = res.ended_ms;
			sched_finish(s, runs[i], status, reason);
			free(reason);
		} else
			sched_finish(s, runs[i], RUN_LOST, "lathed restarted "
			    "and the run's process was gone");
	}
	job_runs_free(runs, n);
}

static void
sched_discover(uv_work_t *w)
{
	struct sched	*s = w->data;

	if (runtime_discover(s->path_env, &s->found, &s->nfound,
	    &s->found_error) != 0) {
		s->found = NULL;
		s->nfound = 0;
	}
}

static void
sched_discovered(uv_work_t *w, int status)
{
	struct sched	*s = w->data;
	struct store	*st = s->core->store;
	char		*cause = NULL;
	size_t		 i;

	if (s->found_error != NULL) {
		log_warn("runtime discovery: %s", s->found_error);
		free(s->found_error);
		s->found_error = NULL;
	}
	if (s->stopping)
		goto out;
	if (store_begin(st, &cause) == 0) {
		if (store_runtime_clear_discovered(st, &cause) == 0) {
			for (i = 0; i < s->nfound; i++) {
				if (store_runtime_put(st, &s->found[i],
				    &cause) != 0)
					break;
			}
		}
		if (cause == NULL)
			store_commit(st, &cause);
		else
			store_rollback(st);
	}
	if (cause != NULL) {
		log_warn("recording runtimes: %s", cause);
		free(cause);
	}
	log_info("found %zu runtimes", s->nfound);
	s->ready = 1;
	sched_kick(s);
out:
	runtimes_free(s->found, s->nfound);
	s->found = NULL;
	s->nfound = 0;
}

int
sched_start(struct core *core, char **cause)
{
	struct sched	*s = xcalloc(1, sizeof *s);
	const char	*path = getenv("PATH");
	char		*exec;
	long		 ncpu;

	s->core = core;
	core->sched = s;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	s->max_runs = core->cfg.max_runs > 0 ? core->cfg.max_runs :
	    (ncpu > 2 ? (int)ncpu : 2);
	s->ngpus = sched_count_gpus();
	s->runs_dir = xasprintf("%s/runs", core->cfg.state_dir);
	if (paths_mkdir(s->runs_dir, 0700, cause) != 0)
		return -1;
	exec = proc_exec_path();
	s->sup = supervisor_new(core->loop, exec, sched_on_exit, s);
	free(exec);
	uv_timer_init(core->loop, &s->cron_timer);
	s->cron_timer.data = s;
	uv_timer_init(core->loop, &s->dispatch_timer);
	s->dispatch_timer.data = s;
	s->cron_last_s = store_now_ms() / 1000;

	sched_reconcile(s);
	sched_cron_arm(s);
	s->path_env = xstrdup(path != NULL ? path : "/usr/bin:/bin");
	s->discover.data = s;
	uv_queue_work(core->loop, &s->discover, sched_discover,
	    sched_discovered);
	log_info("scheduler: at most %d runs at once, %d GPUs", s->max_runs,
	    s->ngpus);
	return 0;
}

static void
sched_on_close(uv_handle_t *h)
{
}

void
sched_stop(struct core *core)
{
	struct sched	*s = sched_of(core);

	if (s == NULL || s->stopping)
		return;
	s->stopping = 1;
	/* Shutting down never waits for the interpreters to be probed. */
	runtime_discover_cancel();
	uv_cancel((uv_req_t *)&s->discover);
	uv_close((uv_handle_t *)&s->cron_timer, sched_on_close);
	uv_close((uv_handle_t *)&s->dispatch_timer, sched_on_close);
	while (s->active != NULL)
		sched_forget_active(s, s->active);
	supervisor_free(s->sup);
	s->sup = NULL;
}

void
sched_free(struct core *core)
{
	struct sched	*s = sched_of(core);

	if (s == NULL)
		return;
	free(s->runs_dir);
	free(s->path_env);
	free(s);
	core->sched = NULL;
}
