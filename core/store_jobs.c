/*
 * The store's queries for jobs, job runs, runtimes and resource profiles.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "runtime.h"
#include "store.h"
#include "xmalloc.h"

#define JOB_COLUMNS \
	"j.id, j.project_id, p.name, j.name, j.script, j.arguments, " \
	"j.runtime, j.profile, j.env, j.schedule, j.cron, j.timezone, " \
	"j.parent_id, pj.name, j.timeout_s, j.retries, j.backoff_s, " \
	"j.max_concurrent, j.paused, j.created_ms, j.updated_ms, " \
	"j.experiment"
#define JOB_FROM \
	" FROM jobs j JOIN projects p ON p.id = j.project_id" \
	" LEFT JOIN jobs pj ON pj.id = j.parent_id"

#define RUN_COLUMNS \
	"r.id, r.job_id, j.name, j.project_id, p.name, r.status, " \
	"r.trigger, r.parent_run_id, r.attempt, r.arguments, r.env, " \
	"r.runtime, r.command, r.profile, r.vcpu, r.memory_mb, r.gpus, " \
	"r.memory_enforced, r.cpu_enforced, r.pid, r.exit_code, r.signal, " \
	"r.reason, r.key_id, r.queued_ms, r.not_before_ms, r.started_ms, " \
	"r.ended_ms, j.max_concurrent, r.params, r.mlflow_run_id"
#define RUN_FROM \
	" FROM job_runs r JOIN jobs j ON j.id = r.job_id" \
	" JOIN projects p ON p.id = j.project_id"

static struct job *
store_job_row(sqlite3_stmt *stmt)
{
	struct job	*job = job_new();

	free(job->arguments);
	free(job->runtime);
	free(job->profile);
	free(job->env);
	free(job->schedule);
	free(job->cron);
	free(job->timezone);
	job->id = sqlite3_column_int64(stmt, 0);
	job->project_id = sqlite3_column_int64(stmt, 1);
	job->project = store_column_text(stmt, 2);
	job->name = store_column_text(stmt, 3);
	job->script = store_column_text(stmt, 4);
	job->arguments = store_column_text(stmt, 5);
	job->runtime = store_column_text(stmt, 6);
	job->profile = store_column_text(stmt, 7);
	job->env = store_column_text(stmt, 8);
	job->schedule = store_column_text(stmt, 9);
	job->cron = store_column_text(stmt, 10);
	job->timezone = store_column_text(stmt, 11);
	job->parent_id = sqlite3_column_int64(stmt, 12);
	if (sqlite3_column_type(stmt, 13) != SQLITE_NULL)
		job->parent = store_column_text(stmt, 13);
	job->timeout_s = sqlite3_column_int(stmt, 14);
	job->retries = sqlite3_column_int(stmt, 15);
	job->backoff_s = sqlite3_column_int(stmt, 16);
	job->max_concurrent = sqlite3_column_int(stmt, 17);
	job->paused = sqlite3_column_int(stmt, 18);
	job->created_ms = sqlite3_column_int64(stmt, 19);
	job->updated_ms = sqlite3_column_int64(stmt, 20);
	free(job->experiment);
	job->experiment = store_column_text(stmt, 21);
	return job;
}

static void
store_job_bind(sqlite3_stmt *stmt, const struct job *job)
{
	sqlite3_bind_text(stmt, 1, job->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, job->script, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, job->arguments, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, job->runtime, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, job->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, job->env, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, job->schedule, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, job->cron, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 9, job->timezone, -1, SQLITE_STATIC);
	if (job->parent_id != 0)
		sqlite3_bind_int64(stmt, 10, job->parent_id);
	else
		sqlite3_bind_null(stmt, 10);
	sqlite3_bind_int(stmt, 11, job->timeout_s);
	sqlite3_bind_int(stmt, 12, job->retries);
	sqlite3_bind_int(stmt, 13, job->backoff_s);
	sqlite3_bind_int(stmt, 14, job->max_concurrent);
	sqlite3_bind_int(stmt, 15, job->paused);
	sqlite3_bind_int64(stmt, 16, job->updated_ms);
	sqlite3_bind_text(stmt, 17, job->experiment, -1, SQLITE_STATIC);
}

int
store_job_insert(struct store *st, struct job *job, char **cause)
{
	static const char	*sql = "INSERT INTO jobs (name, script, "
	    "arguments, runtime, profile, env, schedule, cron, timezone, "
	    "parent_id, timeout_s, retries, backoff_s, max_concurrent, "
	    "paused, updated_ms, experiment, project_id, created_ms) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	job->created_ms = job->updated_ms = store_now_ms();
	store_job_bind(stmt, job);
	sqlite3_bind_int64(stmt, 18, job->project_id);
	sqlite3_bind_int64(stmt, 19, job->created_ms);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		if (store_unique(stmt)) {
			*cause = xasprintf("the project already has a job "
			    "named '%s'", job->name);
			rc = STORE_EXISTS;
		} else
			store_cause(st, "adding the job", cause);
		goto out;
	}
	job->id = sqlite3_last_insert_rowid(sqlite3_db_handle(stmt));
	rc = 0;
out:
	store_done(stmt);
	return rc;
}

int
store_job_update(struct store *st, struct job *job, char **cause)
{
	static const char	*sql = "UPDATE jobs SET name = ?, script = ?, "
	    "arguments = ?, runtime = ?, profile = ?, env = ?, schedule = ?, "
	    "cron = ?, timezone = ?, parent_id = ?, timeout_s = ?, "
	    "retries = ?, backoff_s = ?, max_concurrent = ?, paused = ?, "
	    "updated_ms = ?, experiment = ? WHERE id = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	job->updated_ms = store_now_ms();
	store_job_bind(stmt, job);
	sqlite3_bind_int64(stmt, 18, job->id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		if (store_unique(stmt)) {
			*cause = xasprintf("the project already has a job "
			    "named '%s'", job->name);
			rc = STORE_EXISTS;
		} else
			store_cause(st, "changing the job", cause);
		goto out;
	}
	if (sqlite3_changes(sqlite3_db_handle(stmt)) == 0) {
		*cause = xasprintf("no job with id %lld", (long long)job->id);
		rc = STORE_NOTFOUND;
		goto out;
	}
	rc = 0;
out:
	store_done(stmt);
	return rc;
}

int
store_job_get(struct store *st, int64_t project_id, const char *id_or_name,
    struct job **out, char **cause)
{
	static const char	*by_id = "SELECT " JOB_COLUMNS JOB_FROM
	    " WHERE j.project_id = ?1 AND j.id = ?2";
	static const char	*by_name = "SELECT " JOB_COLUMNS JOB_FROM
	    " WHERE j.project_id = ?1 AND j.name = ?2";
	static const char	*any = "SELECT " JOB_COLUMNS JOB_FROM
	    " WHERE j.id = ?2";
	sqlite3_stmt		*stmt;
	int			 is_id = store_is_id(id_or_name), code;
	int			 rc = -1;

	stmt = store_stmt(st, project_id == 0 ? any : is_id ? by_id : by_name,
	    cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, project_id);
	if (is_id)
		sqlite3_bind_int64(stmt, 2, strtoll(id_or_name, NULL, 10));
	else
		sqlite3_bind_text(stmt, 2, id_or_name, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		*out = store_job_row(stmt);
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("no job %s '%s'%s", is_id ? "with id" :
		    "named", id_or_name, project_id != 0 ? " in the project" :
		    "");
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the job", cause);
	store_done(stmt);
	return rc;
}

int
store_job_get_id(struct store *st, int64_t id, struct job **out,
    char **cause)
{
	char	buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)id);
	return store_job_get(st, 0, buf, out, cause);
}

static int
store_job_collect(struct store *st, sqlite3_stmt *stmt, size_t limit,
    struct job ***out, size_t *n, int *more, char **cause)
{
	struct job	**list = NULL;
	size_t		 count = 0;
	int		 code;

	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (limit != 0 && count == limit)
			break;
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count++] = store_job_row(stmt);
	}
	if (code != SQLITE_ROW && code != SQLITE_DONE) {
		store_cause(st, "listing jobs", cause);
		jobs_free(list, count);
		return -1;
	}
	if (more != NULL)
		*more = code == SQLITE_ROW;
	*out = list;
	*n = count;
	return 0;
}

int
store_job_list(struct store *st, int64_t project_id, const char *after,
    size_t limit, struct job ***out, size_t *n, int *more, char **cause)
{
	static const char	*sql = "SELECT " JOB_COLUMNS JOB_FROM
	    " WHERE j.project_id = ?1 AND j.name > ?2 ORDER BY j.name "
	    "LIMIT ?3";
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, project_id);
	sqlite3_bind_text(stmt, 2, after != NULL ? after : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (int64_t)limit + 1);
	rc = store_job_collect(st, stmt, limit, out, n, more, cause);
	store_done(stmt);
	return rc;
}

int
store_job_dependents(struct store *st, int64_t job_id, struct job ***out,
    size_t *n, char **cause)
{
	static const char	*sql = "SELECT " JOB_COLUMNS JOB_FROM
	    " WHERE j.parent_id = ?1 ORDER BY j.name";
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	rc = store_job_collect(st, stmt, 0, out, n, NULL, cause);
	store_done(stmt);
	return rc;
}

int
store_job_scheduled(struct store *st, struct job ***out, size_t *n,
    char **cause)
{
	static const char	*sql = "SELECT " JOB_COLUMNS JOB_FROM
	    " WHERE j.schedule = 'cron' AND j.paused = 0";
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	rc = store_job_collect(st, stmt, 0, out, n, NULL, cause);
	store_done(stmt);
	return rc;
}

int
store_job_delete(struct store *st, int64_t id, char **cause)
{
	static const char	*sql = "DELETE FROM jobs WHERE id = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		store_cause(st, "deleting the job", cause);
	else
		rc = 0;
	store_done(stmt);
	return rc;
}

static struct job_run *
store_run_row(sqlite3_stmt *stmt)
{
	struct job_run	*run = job_run_new();

	run->id = sqlite3_column_int64(stmt, 0);
	run->job_id = sqlite3_column_int64(stmt, 1);
	run->job = store_column_text(stmt, 2);
	run->project_id = sqlite3_column_int64(stmt, 3);
	run->project = store_column_text(stmt, 4);
	run->status = store_column_text(stmt, 5);
	run->trigger = store_column_text(stmt, 6);
	run->parent_run_id = sqlite3_column_int64(stmt, 7);
	run->attempt = sqlite3_column_int(stmt, 8);
	if (sqlite3_column_type(stmt, 9) != SQLITE_NULL)
		run->arguments = store_column_text(stmt, 9);
	run->env = store_column_text(stmt, 10);
	run->runtime = store_column_text(stmt, 11);
	run->command = store_column_text(stmt, 12);
	run->profile = store_column_text(stmt, 13);
	run->vcpu = sqlite3_column_double(stmt, 14);
	run->memory_mb = sqlite3_column_int64(stmt, 15);
	run->gpus = store_column_text(stmt, 16);
	run->memory_enforced = store_column_text(stmt, 17);
	run->cpu_enforced = store_column_text(stmt, 18);
	run->pid = sqlite3_column_int(stmt, 19);
	run->has_exit = sqlite3_column_type(stmt, 20) != SQLITE_NULL ||
	    sqlite3_column_type(stmt, 21) != SQLITE_NULL;
	run->exit_code = sqlite3_column_int(stmt, 20);
	run->signal = sqlite3_column_int(stmt, 21);
	run->reason = store_column_text(stmt, 22);
	run->key_id = sqlite3_column_int64(stmt, 23);
	run->queued_ms = sqlite3_column_int64(stmt, 24);
	run->not_before_ms = sqlite3_column_int64(stmt, 25);
	run->started_ms = sqlite3_column_int64(stmt, 26);
	run->ended_ms = sqlite3_column_int64(stmt, 27);
	run->max_concurrent = sqlite3_column_int(stmt, 28);
	if (sqlite3_column_type(stmt, 29) != SQLITE_NULL)
		run->params = store_column_text(stmt, 29);
	if (sqlite3_column_type(stmt, 30) != SQLITE_NULL)
		run->mlflow_run_id = store_column_text(stmt, 30);
	return run;
}

int
store_run_insert(struct store *st, struct job_run *run, char **cause)
{
	static const char	*sql = "INSERT INTO job_runs (job_id, status, "
	    "trigger, parent_run_id, attempt, arguments, env, queued_ms, "
	    "not_before_ms, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	if (run->queued_ms == 0)
		run->queued_ms = store_now_ms();
	if (run->not_before_ms == 0)
		run->not_before_ms = run->queued_ms;
	sqlite3_bind_int64(stmt, 1, run->job_id);
	sqlite3_bind_text(stmt, 2, run->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, run->trigger, -1, SQLITE_STATIC);
	if (run->parent_run_id != 0)
		sqlite3_bind_int64(stmt, 4, run->parent_run_id);
	else
		sqlite3_bind_null(stmt, 4);
	sqlite3_bind_int(stmt, 5, run->attempt > 0 ? run->attempt : 1);
	if (run->arguments != NULL)
		sqlite3_bind_text(stmt, 6, run->arguments, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 6);
	sqlite3_bind_text(stmt, 7, run->env != NULL ? run->env : "{}", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 8, run->queued_ms);
	sqlite3_bind_int64(stmt, 9, run->not_before_ms);
	if (run->params != NULL)
		sqlite3_bind_text(stmt, 10, run->params, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 10);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		store_cause(st, "adding the run", cause);
		goto out;
	}
	run->id = sqlite3_last_insert_rowid(sqlite3_db_handle(stmt));
	rc = 0;
out:
	store_done(stmt);
	return rc;
}

static void
store_bind_text_or_empty(sqlite3_stmt *stmt, int i, const char *s)
{
	sqlite3_bind_text(stmt, i, s != NULL ? s : "", -1, SQLITE_STATIC);
}

static void
store_bind_nonzero(sqlite3_stmt *stmt, int i, int64_t v)
{
	if (v != 0)
		sqlite3_bind_int64(stmt, i, v);
	else
		sqlite3_bind_null(stmt, i);
}

int
store_run_update(struct store *st, const struct job_run *run, char **cause)
{
	static const char	*sql = "UPDATE job_runs SET status = ?, "
	    "runtime = ?, command = ?, profile = ?, vcpu = ?, memory_mb = ?, "
	    "gpus = ?, memory_enforced = ?, cpu_enforced = ?, pid = ?, "
	    "exit_code = ?, signal = ?, reason = ?, key_id = ?, "
	    "not_before_ms = ?, started_ms = ?, ended_ms = ?, "
	    "mlflow_run_id = ? WHERE id = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, run->status, -1, SQLITE_STATIC);
	store_bind_text_or_empty(stmt, 2, run->runtime);
	sqlite3_bind_text(stmt, 3, run->command != NULL ? run->command : "[]",
	    -1, SQLITE_STATIC);
	store_bind_text_or_empty(stmt, 4, run->profile);
	sqlite3_bind_double(stmt, 5, run->vcpu);
	sqlite3_bind_int64(stmt, 6, run->memory_mb);
	store_bind_text_or_empty(stmt, 7, run->gpus);
	store_bind_text_or_empty(stmt, 8, run->memory_enforced);
	store_bind_text_or_empty(stmt, 9, run->cpu_enforced);
	store_bind_nonzero(stmt, 10, run->pid);
	if (run->has_exit) {
		if (run->signal != 0) {
			sqlite3_bind_null(stmt, 11);
			sqlite3_bind_int(stmt, 12, run->signal);
		} else {
			sqlite3_bind_int(stmt, 11, run->exit_code);
			sqlite3_bind_null(stmt, 12);
		}
	} else {
		sqlite3_bind_null(stmt, 11);
		sqlite3_bind_null(stmt, 12);
	}
	store_bind_text_or_empty(stmt, 13, run->reason);
	store_bind_nonzero(stmt, 14, run->key_id);
	sqlite3_bind_int64(stmt, 15, run->not_before_ms);
	store_bind_nonzero(stmt, 16, run->started_ms);
	store_bind_nonzero(stmt, 17, run->ended_ms);
	if (run->mlflow_run_id != NULL)
		sqlite3_bind_text(stmt, 18, run->mlflow_run_id, -1,
		    SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 18);
	sqlite3_bind_int64(stmt, 19, run->id);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		store_cause(st, "recording the run", cause);
	else
		rc = 0;
	store_done(stmt);
	return rc;
}

int
store_run_get(struct store *st, int64_t id, struct job_run **out,
    char **cause)
{
	static const char	*sql = "SELECT " RUN_COLUMNS RUN_FROM
	    " WHERE r.id = ?";
	sqlite3_stmt		*stmt;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		*out = store_run_row(stmt);
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("no run with id %lld", (long long)id);
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the run", cause);
	store_done(stmt);
	return rc;
}

static int
store_run_collect(struct store *st, sqlite3_stmt *stmt, size_t limit,
    struct job_run ***out, size_t *n, int *more, char **cause)
{
	struct job_run	**list = NULL;
	size_t		 count = 0;
	int		 code;

	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (limit != 0 && count == limit)
			break;
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count++] = store_run_row(stmt);
	}
	if (code != SQLITE_ROW && code != SQLITE_DONE) {
		store_cause(st, "listing runs", cause);
		job_runs_free(list, count);
		return -1;
	}
	if (more != NULL)
		*more = code == SQLITE_ROW;
	*out = list;
	*n = count;
	return 0;
}

int
store_run_list(struct store *st, int64_t project_id, int64_t job_id,
    const char *status, int64_t before, size_t limit, struct job_run ***out,
    size_t *n, int *more, char **cause)
{
	static const char	*by_job = "SELECT " RUN_COLUMNS RUN_FROM
	    " WHERE r.job_id = ?2 AND r.id < ?3 AND (?4 IS NULL OR "
	    "r.status = ?4) ORDER BY r.id DESC LIMIT ?5";
	static const char	*by_project = "SELECT " RUN_COLUMNS RUN_FROM
	    " WHERE j.project_id = ?1 AND r.id < ?3 AND (?4 IS NULL OR "
	    "r.status = ?4) ORDER BY r.id DESC LIMIT ?5";
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = store_stmt(st, job_id != 0 ? by_job : by_project,
	    cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, project_id);
	sqlite3_bind_int64(stmt, 2, job_id);
	sqlite3_bind_int64(stmt, 3, before > 0 ? before : INT64_MAX);
	if (status != NULL)
		sqlite3_bind_text(stmt, 4, status, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 4);
	sqlite3_bind_int64(stmt, 5, (int64_t)limit + 1);
	rc = store_run_collect(st, stmt, limit, out, n, more, cause);
	store_done(stmt);
	return rc;
}

int
store_run_active(struct store *st, struct job_run ***out, size_t *n,
    char **cause)
{
	static const char	*sql = "SELECT " RUN_COLUMNS RUN_FROM
	    " WHERE r.status IN ('queued', 'starting', 'running') "
	    "ORDER BY r.not_before_ms, r.id";
	sqlite3_stmt		*stmt;
	int			 rc;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	rc = store_run_collect(st, stmt, 0, out, n, NULL, cause);
	store_done(stmt);
	return rc;
}

int
store_run_count(struct store *st, const char *status, int64_t *out,
    char **cause)
{
	static const char	*sql = "SELECT count(*) FROM job_runs "
	    "WHERE status = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, status, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*out = sqlite3_column_int64(stmt, 0);
		rc = 0;
	} else
		store_cause(st, "counting runs", cause);
	store_done(stmt);
	return rc;
}

int
store_run_ids(struct store *st, int64_t project_id, int64_t job_id,
    int64_t **out, size_t *n, char **cause)
{
	static const char	*by_job = "SELECT id FROM job_runs "
	    "WHERE job_id = ?2";
	static const char	*by_project = "SELECT r.id FROM job_runs r "
	    "JOIN jobs j ON j.id = r.job_id WHERE j.project_id = ?1";
	sqlite3_stmt		*stmt;
	int64_t			*ids = NULL;
	size_t			 count = 0;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, job_id != 0 ? by_job : by_project,
	    cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, project_id);
	sqlite3_bind_int64(stmt, 2, job_id);
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		ids = xreallocarray(ids, count + 1, sizeof *ids);
		ids[count++] = sqlite3_column_int64(stmt, 0);
	}
	if (code != SQLITE_DONE) {
		store_cause(st, "listing runs", cause);
		free(ids);
		goto out;
	}
	*out = ids;
	*n = count;
	rc = 0;
out:
	store_done(stmt);
	return rc;
}

int
store_mlflow_run_link(struct store *st, const char *run_uuid,
    int64_t job_run_id, char **cause)
{
	static const char	*sql = "UPDATE mlflow_runs SET job_run_id = ? "
	    "WHERE run_uuid = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_run_id);
	sqlite3_bind_text(stmt, 2, run_uuid, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		store_cause(st, "linking the MLflow run", cause);
	else
		rc = 0;
	store_done(stmt);
	return rc;
}

int
store_job_last_run(struct store *st, int64_t job_id, struct job_run **out,
    char **cause)
{
	static const char	*sql = "SELECT " RUN_COLUMNS RUN_FROM
	    " WHERE r.job_id = ? ORDER BY r.id DESC LIMIT 1";
	sqlite3_stmt		*stmt;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		*out = store_run_row(stmt);
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*out = NULL;
		rc = 0;
	} else
		store_cause(st, "reading the last run", cause);
	store_done(stmt);
	return rc;
}

int
store_job_active_runs(struct store *st, int64_t job_id, int64_t *out,
    char **cause)
{
	static const char	*sql = "SELECT count(*) FROM job_runs "
	    "WHERE job_id = ? AND status IN ('queued', 'starting', "
	    "'running')";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*out = sqlite3_column_int64(stmt, 0);
		rc = 0;
	} else
		store_cause(st, "counting runs", cause);
	store_done(stmt);
	return rc;
}

static struct runtime
store_runtime_row(sqlite3_stmt *stmt)
{
	struct runtime	rt;

	memset(&rt, 0, sizeof rt);
	rt.name = store_column_text(stmt, 0);
	rt.kernel = store_column_text(stmt, 1);
	rt.command = store_column_text(stmt, 2);
	rt.version = store_column_text(stmt, 3);
	rt.discovered = sqlite3_column_int(stmt, 4);
	return rt;
}

int
store_runtime_list(struct store *st, struct runtime **out, size_t *n,
    char **cause)
{
	static const char	*sql = "SELECT name, kernel, command, version, "
	    "discovered FROM runtimes ORDER BY kernel, name";
	sqlite3_stmt		*stmt;
	struct runtime		*list = NULL;
	size_t			 count = 0;
	int			 code;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count++] = store_runtime_row(stmt);
	}
	store_done(stmt);
	if (code != SQLITE_DONE) {
		store_cause(st, "listing runtimes", cause);
		runtimes_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

int
store_runtime_get(struct store *st, const char *name, struct runtime *out,
    char **cause)
{
	static const char	*sql = "SELECT name, kernel, command, version, "
	    "discovered FROM runtimes WHERE name = ?";
	sqlite3_stmt		*stmt;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		*out = store_runtime_row(stmt);
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("no runtime named '%s' (see lathe runtime "
		    "list)", name);
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the runtime", cause);
	store_done(stmt);
	return rc;
}

int
store_runtime_for_kernel(struct store *st, const char *kernel,
    struct runtime *out, char **cause)
{
	/* The plain name (python3) before versioned ones (python3.11). */
	static const char	*sql = "SELECT name, kernel, command, version, "
	    "discovered FROM runtimes WHERE kernel = ? "
	    "ORDER BY discovered, name = kernel DESC, length(name), name "
	    "LIMIT 1";
	sqlite3_stmt		*stmt;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, kernel, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		*out = store_runtime_row(stmt);
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("no %s runtime on this machine: install "
		    "one, or register it with lathe runtime add", kernel);
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the runtimes", cause);
	store_done(stmt);
	return rc;
}

int
store_runtime_put(struct store *st, const struct runtime *rt, char **cause)
{
	static const char	*sql = "INSERT INTO runtimes (name, kernel, "
	    "command, version, discovered, created_ms) VALUES (?, ?, ?, ?, ?, "
	    "?) ON CONFLICT (name) DO UPDATE SET kernel = excluded.kernel, "
	    "command = excluded.command, version = excluded.version "
	    "WHERE runtimes.discovered = excluded.discovered";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, rt->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, rt->kernel, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, rt->command, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, rt->version != NULL ? rt->version : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(stmt, 5, rt->discovered);
	sqlite3_bind_int64(stmt, 6, store_now_ms());
	if (sqlite3_step(stmt) != SQLITE_DONE)
		store_cause(st, "recording the runtime", cause);
	else
		rc = 0;
	store_done(stmt);
	return rc;
}

int
store_runtime_delete(struct store *st, const char *name, int discovered,
    char **cause)
{
	static const char	*sql = "DELETE FROM runtimes WHERE name = ? "
	    "AND discovered = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, discovered);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		store_cause(st, "removing the runtime", cause);
	else if (sqlite3_changes(sqlite3_db_handle(stmt)) == 0) {
		*cause = xasprintf("no registered runtime named '%s'", name);
		rc = STORE_NOTFOUND;
	} else
		rc = 0;
	store_done(stmt);
	return rc;
}

int
store_runtime_clear_discovered(struct store *st, char **cause)
{
	static const char	*sql = "DELETE FROM runtimes WHERE "
	    "discovered = 1";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	if (sqlite3_step(stmt) != SQLITE_DONE)
		store_cause(st, "clearing discovered runtimes", cause);
	else
		rc = 0;
	store_done(stmt);
	return rc;
}

static void
store_profile_row(sqlite3_stmt *stmt, struct profile *p)
{
	p->name = store_column_text(stmt, 0);
	p->vcpu = sqlite3_column_double(stmt, 1);
	p->memory_mb = sqlite3_column_int64(stmt, 2);
	p->gpus = sqlite3_column_int(stmt, 3);
	p->builtin = sqlite3_column_int(stmt, 4);
}

int
store_profile_list(struct store *st, struct profile **out, size_t *n,
    char **cause)
{
	static const char	*sql = "SELECT name, vcpu, memory_mb, gpus, "
	    "builtin FROM profiles ORDER BY builtin DESC, vcpu, memory_mb, "
	    "name";
	sqlite3_stmt		*stmt;
	struct profile		*list = NULL;
	size_t			 count = 0;
	int			 code;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		list = xreallocarray(list, count + 1, sizeof *list);
		store_profile_row(stmt, &list[count++]);
	}
	store_done(stmt);
	if (code != SQLITE_DONE) {
		store_cause(st, "listing profiles", cause);
		profiles_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

int
store_profile_get(struct store *st, const char *name, struct profile *out,
    char **cause)
{
	static const char	*sql = "SELECT name, vcpu, memory_mb, gpus, "
	    "builtin FROM profiles WHERE name = ?";
	sqlite3_stmt		*stmt;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		store_profile_row(stmt, out);
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("no resource profile named '%s' (see lathe "
		    "profile list)", name);
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the profile", cause);
	store_done(stmt);
	return rc;
}

int
store_profile_insert(struct store *st, const struct profile *p, char **cause)
{
	static const char	*sql = "INSERT INTO profiles (name, vcpu, "
	    "memory_mb, gpus, builtin, created_ms) VALUES (?, ?, ?, ?, 0, ?)";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_double(stmt, 2, p->vcpu);
	sqlite3_bind_int64(stmt, 3, p->memory_mb);
	sqlite3_bind_int(stmt, 4, p->gpus);
	sqlite3_bind_int64(stmt, 5, store_now_ms());
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		if (store_unique(stmt)) {
			*cause = xasprintf("a profile named '%s' already "
			    "exists", p->name);
			rc = STORE_EXISTS;
		} else
			store_cause(st, "adding the profile", cause);
	} else
		rc = 0;
	store_done(stmt);
	return rc;
}

int
store_profile_delete(struct store *st, const char *name, char **cause)
{
	static const char	*sql = "DELETE FROM profiles WHERE name = ? "
	    "AND builtin = 0";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		store_cause(st, "removing the profile", cause);
	else if (sqlite3_changes(sqlite3_db_handle(stmt)) == 0) {
		*cause = xasprintf("no user-defined profile named '%s' "
		    "(built-in profiles stay)", name);
		rc = STORE_NOTFOUND;
	} else
		rc = 0;
	store_done(stmt);
	return rc;
}
