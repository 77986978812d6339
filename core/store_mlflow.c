/*
 * The store's queries for MLflow tracking: experiments, runs, params, tags,
 * metrics and dataset inputs. Every write is one transaction on the loop's
 * thread, so that two clients logging to one run at once both land, and a
 * batch lands whole or not at all. The latest value of each metric (by
 * step, then timestamp, then value, as MLflow) is kept on write in
 * latest_metrics, so that reading a run never scans its history.
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "mlflow.h"
#include "mlflow_expsearch.h"
#include "mlflow_search.h"
#include "store.h"
#include "xmalloc.h"

/*
 * The schema. An experiment's artifact_location is '' when lathed chooses
 * it: artifact_root/ID, resolved when read, so that the default experiment
 * made here needs no path and the state directory may move. NaN metric
 * values are stored as NULL with is_nan 1, +/-Infinity as +/-DBL_MAX.
 */
const char store_schema_mlflow[] =
	"CREATE TABLE experiments ("
	"  experiment_id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  artifact_location TEXT NOT NULL,"
	"  lifecycle_stage TEXT NOT NULL DEFAULT 'active',"
	"  creation_time INTEGER NOT NULL,"
	"  last_update_time INTEGER NOT NULL,"
	"  project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL"
	");"
	"INSERT INTO experiments (experiment_id, name, artifact_location,"
	"  creation_time, last_update_time) VALUES (0, 'Default', '',"
	"  CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER),"
	"  CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));"
	"CREATE TABLE experiment_tags ("
	"  experiment_id INTEGER NOT NULL REFERENCES experiments"
	"    ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (experiment_id, key)"
	") WITHOUT ROWID;"
	"CREATE TABLE mlflow_runs ("
	"  run_uuid TEXT PRIMARY KEY,"
	"  experiment_id INTEGER NOT NULL REFERENCES experiments,"
	"  run_name TEXT NOT NULL DEFAULT '',"
	"  user_id TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL,"
	"  start_time INTEGER,"
	"  end_time INTEGER,"
	"  lifecycle_stage TEXT NOT NULL DEFAULT 'active',"
	"  artifact_uri TEXT NOT NULL,"
	"  deleted_time INTEGER,"
	"  job_run_id INTEGER"
	");"
	"CREATE INDEX mlflow_runs_exp ON mlflow_runs"
	"  (experiment_id, start_time DESC, run_uuid);"
	"CREATE TABLE params ("
	"  run_uuid TEXT NOT NULL REFERENCES mlflow_runs ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (run_uuid, key)"
	") WITHOUT ROWID;"
	"CREATE TABLE tags ("
	"  run_uuid TEXT NOT NULL REFERENCES mlflow_runs ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  PRIMARY KEY (run_uuid, key)"
	") WITHOUT ROWID;"
	"CREATE TABLE metrics ("
	"  run_uuid TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value REAL,"
	"  timestamp INTEGER NOT NULL,"
	"  step INTEGER NOT NULL DEFAULT 0,"
	"  is_nan INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX metrics_history ON metrics (run_uuid, key, step,"
	"  timestamp);"
	"CREATE TABLE latest_metrics ("
	"  run_uuid TEXT NOT NULL REFERENCES mlflow_runs ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  value REAL,"
	"  timestamp INTEGER NOT NULL,"
	"  step INTEGER NOT NULL,"
	"  is_nan INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (run_uuid, key)"
	") WITHOUT ROWID;"
	"CREATE INDEX latest_metrics_key ON latest_metrics (key, value);"
	"CREATE INDEX params_key ON params (key, value);"
	"CREATE INDEX tags_key ON tags (key, value);"
	"CREATE TABLE mlflow_inputs ("
	"  id INTEGER PRIMARY KEY,"
	"  run_uuid TEXT NOT NULL REFERENCES mlflow_runs ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  digest TEXT NOT NULL,"
	"  source_type TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  schema TEXT,"
	"  profile TEXT,"
	"  tags TEXT NOT NULL DEFAULT '[]',"
	"  UNIQUE (run_uuid, name, digest)"
	");";

#define EXPERIMENT_COLUMNS \
	"experiment_id, name, artifact_location, lifecycle_stage, " \
	"creation_time, last_update_time"
#define RUN_COLUMNS \
	"run_uuid, experiment_id, run_name, user_id, status, start_time, " \
	"end_time, artifact_uri, lifecycle_stage"

static int	store_mlflow_tags_read(struct store *, const char *,
		    const char *, int64_t, struct mlflow_tag **, size_t *,
		    char **);

/* Step stmt to its end and reset it; -1 with *cause on an error. */
static int
store_mlflow_exec(struct store *st, sqlite3_stmt *stmt, const char *what,
    char **cause)
{
	int	code = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (code != SQLITE_DONE && code != SQLITE_ROW) {
		store_cause(st, what, cause);
		return -1;
	}
	return 0;
}

static int
store_mlflow_changes(sqlite3_stmt *stmt)
{
	return sqlite3_changes(sqlite3_db_handle(stmt));
}

/* Where lathed keeps an experiment's artifacts unless told otherwise. */
static char *
store_mlflow_location(const char *stored, const char *artifact_root,
    int64_t id)
{
	if (*stored != '\0')
		return xstrdup(stored);
	return xasprintf("%s/%lld", artifact_root, (long long)id);
}

static struct mlflow_experiment *
store_mlflow_experiment_row(sqlite3_stmt *stmt, const char *artifact_root)
{
	struct mlflow_experiment	*e = xcalloc(1, sizeof *e);

	e->id = sqlite3_column_int64(stmt, 0);
	e->name = store_column_text(stmt, 1);
	e->artifact_location = store_mlflow_location(
	    (const char *)sqlite3_column_text(stmt, 2), artifact_root, e->id);
	e->lifecycle_stage = store_column_text(stmt, 3);
	e->creation_time = sqlite3_column_int64(stmt, 4);
	e->last_update_time = sqlite3_column_int64(stmt, 5);
	return e;
}

static int
store_mlflow_tags_set(struct store *st, const char *sql, int64_t id,
    const char *run_uuid, const struct mlflow_tag *tags, size_t n,
    char **cause)
{
	sqlite3_stmt	*stmt;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if ((stmt = store_stmt(st, sql, cause)) == NULL)
			return -1;
		if (run_uuid != NULL)
			sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(stmt, 1, id);
		sqlite3_bind_text(stmt, 2, tags[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, tags[i].value, -1, SQLITE_STATIC);
		if (store_mlflow_exec(st, stmt, "setting a tag", cause) != 0)
			return -1;
	}
	return 0;
}

static const char store_mlflow_exp_tag_upsert[] =
    "INSERT INTO experiment_tags (experiment_id, key, value) "
    "VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET "
    "value = excluded.value";

int
store_mlflow_experiment_create(struct store *st, const char *name,
    const char *artifact_location, const struct mlflow_tag *tags,
    size_t ntags, int64_t *id, char **cause)
{
	static const char	*sql = "INSERT INTO experiments (name, "
	    "artifact_location, creation_time, last_update_time) "
	    "VALUES (?, ?, ?, ?)";
	sqlite3_stmt		*stmt;
	int64_t			 now = store_now_ms(), new_id;
	int			 rc = -1;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		goto out;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, artifact_location != NULL ?
	    artifact_location : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, now);
	sqlite3_bind_int64(stmt, 4, now);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		if (store_unique(stmt)) {
			*cause = xasprintf("Experiment(name=%s) already "
			    "exists.", name);
			rc = STORE_EXISTS;
		} else
			store_cause(st, "creating the experiment", cause);
		sqlite3_reset(stmt);
		goto out;
	}
	sqlite3_reset(stmt);
	new_id = sqlite3_last_insert_rowid(sqlite3_db_handle(stmt));
	if (store_mlflow_tags_set(st, store_mlflow_exp_tag_upsert, new_id,
	    NULL, tags, ntags, cause) != 0)
		goto out;
	if (store_commit(st, cause) != 0)
		goto out;
	*id = new_id;
	rc = 0;
out:
	if (rc != 0)
		store_rollback(st);
	return rc;
}

static int
store_mlflow_experiment_read(struct store *st, const char *artifact_root,
    sqlite3_stmt *stmt, const char *what, struct mlflow_experiment **out,
    char **cause)
{
	struct mlflow_experiment	*e;
	int				 code;

	code = sqlite3_step(stmt);
	if (code == SQLITE_DONE) {
		sqlite3_reset(stmt);
		*cause = xstrdup(what);
		return STORE_NOTFOUND;
	}
	if (code != SQLITE_ROW) {
		sqlite3_reset(stmt);
		store_cause(st, "reading the experiment", cause);
		return -1;
	}
	e = store_mlflow_experiment_row(stmt, artifact_root);
	sqlite3_reset(stmt);
	if (store_mlflow_tags_read(st, "SELECT key, value FROM "
	    "experiment_tags WHERE experiment_id = ? ORDER BY key", NULL,
	    e->id, &e->tags, &e->ntags, cause) != 0) {
		mlflow_experiment_free(e);
		return -1;
	}
	*out = e;
	return 0;
}

int
store_mlflow_experiment_get(struct store *st, const char *artifact_root,
    int64_t id, struct mlflow_experiment **out, char **cause)
{
	static const char	*sql = "SELECT " EXPERIMENT_COLUMNS
	    " FROM experiments WHERE experiment_id = ?";
	sqlite3_stmt		*stmt;
	char			*what;
	int			 rc;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	what = xasprintf("No Experiment with id=%lld exists", (long long)id);
	rc = store_mlflow_experiment_read(st, artifact_root, stmt, what, out,
	    cause);
	free(what);
	return rc;
}

int
store_mlflow_experiment_by_name(struct store *st, const char *artifact_root,
    const char *name, struct mlflow_experiment **out, char **cause)
{
	static const char	*sql = "SELECT " EXPERIMENT_COLUMNS
	    " FROM experiments WHERE name = ?";
	sqlite3_stmt		*stmt;
	char			*what;
	int			 rc;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	what = xasprintf("Could not find experiment with name '%s'", name);
	rc = store_mlflow_experiment_read(st, artifact_root, stmt, what, out,
	    cause);
	free(what);
	return rc;
}

/*
 * Read an experiment's lifecycle stage into stage: 0, or STORE_NOTFOUND
 * with MLflow's message.
 */
static int
store_mlflow_experiment_stage(struct store *st, int64_t id, char *stage,
    size_t len, char **cause)
{
	static const char	*sql = "SELECT lifecycle_stage FROM "
	    "experiments WHERE experiment_id = ?";
	sqlite3_stmt		*stmt;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		snprintf(stage, len, "%s", sqlite3_column_text(stmt, 0));
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("No Experiment with id=%lld exists",
		    (long long)id);
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the experiment", cause);
	sqlite3_reset(stmt);
	return rc;
}

/* The experiment exists and is active: 0, NOTFOUND or INACTIVE. */
static int
store_mlflow_experiment_active(struct store *st, int64_t id, char **cause)
{
	char	stage[16];
	int	rc;

	if ((rc = store_mlflow_experiment_stage(st, id, stage, sizeof stage,
	    cause)) != 0)
		return rc;
	if (strcmp(stage, "active") != 0) {
		*cause = xasprintf("The experiment %lld must be in the "
		    "'active' state. Current state is %s.", (long long)id,
		    stage);
		return STORE_MLFLOW_INACTIVE;
	}
	return 0;
}

/* Move an experiment and its runs from one stage to the other. */
static int
store_mlflow_experiment_move(struct store *st, int64_t id, int delete,
    char **cause)
{
	static const char	*exp_sql = "UPDATE experiments SET "
	    "lifecycle_stage = ?, last_update_time = ? WHERE "
	    "experiment_id = ? AND lifecycle_stage = ?";
	static const char	*del_sql = "UPDATE mlflow_runs SET "
	    "lifecycle_stage = 'deleted', deleted_time = ? WHERE "
	    "experiment_id = ? AND lifecycle_stage = 'active'";
	static const char	*res_sql = "UPDATE mlflow_runs SET "
	    "lifecycle_stage = 'active', deleted_time = NULL WHERE "
	    "experiment_id = ?";
	sqlite3_stmt		*stmt;
	int64_t			 now = store_now_ms();
	int			 rc = -1;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((stmt = store_stmt(st, exp_sql, cause)) == NULL)
		goto out;
	sqlite3_bind_text(stmt, 1, delete ? "deleted" : "active", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, id);
	sqlite3_bind_text(stmt, 4, delete ? "active" : "deleted", -1,
	    SQLITE_STATIC);
	if (store_mlflow_exec(st, stmt, "updating the experiment",
	    cause) != 0)
		goto out;
	if (store_mlflow_changes(stmt) == 0) {
		*cause = xasprintf("No Experiment with id=%lld exists",
		    (long long)id);
		rc = STORE_NOTFOUND;
		goto out;
	}
	if ((stmt = store_stmt(st, delete ? del_sql : res_sql, cause)) == NULL)
		goto out;
	if (delete) {
		sqlite3_bind_int64(stmt, 1, now);
		sqlite3_bind_int64(stmt, 2, id);
	} else
		sqlite3_bind_int64(stmt, 1, id);
	if (store_mlflow_exec(st, stmt, "updating the experiment's runs",
	    cause) != 0)
		goto out;
	rc = store_commit(st, cause);
out:
	if (rc != 0)
		store_rollback(st);
	return rc;
}

int
store_mlflow_experiment_delete(struct store *st, int64_t id, char **cause)
{
	return store_mlflow_experiment_move(st, id, 1, cause);
}

int
store_mlflow_experiment_restore(struct store *st, int64_t id, char **cause)
{
	return store_mlflow_experiment_move(st, id, 0, cause);
}

int
store_mlflow_experiment_rename(struct store *st, int64_t id,
    const char *name, char **cause)
{
	static const char	*sql = "UPDATE experiments SET name = ?, "
	    "last_update_time = ? WHERE experiment_id = ?";
	sqlite3_stmt		*stmt;
	char			 stage[16];
	int			 rc;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((rc = store_mlflow_experiment_stage(st, id, stage, sizeof stage,
	    cause)) != 0)
		goto out;
	if (strcmp(stage, "active") != 0) {
		*cause = xstrdup("Cannot rename a non-active experiment.");
		rc = STORE_MLFLOW_INACTIVE;
		goto out;
	}
	rc = -1;
	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		goto out;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, store_now_ms());
	sqlite3_bind_int64(stmt, 3, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		if (store_unique(stmt)) {
			*cause = xasprintf("Experiment(name=%s) already "
			    "exists.", name);
			rc = STORE_EXISTS;
		} else
			store_cause(st, "renaming the experiment", cause);
		sqlite3_reset(stmt);
		goto out;
	}
	sqlite3_reset(stmt);
	rc = store_commit(st, cause);
out:
	if (rc != 0)
		store_rollback(st);
	return rc;
}

int
store_mlflow_experiment_tag_set(struct store *st, int64_t id,
    const struct mlflow_tag *tag, char **cause)
{
	int	rc;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((rc = store_mlflow_experiment_active(st, id, cause)) == 0)
		rc = store_mlflow_tags_set(st, store_mlflow_exp_tag_upsert, id,
		    NULL, tag, 1, cause);
	if (rc == 0)
		rc = store_commit(st, cause);
	if (rc != 0)
		store_rollback(st);
	return rc;
}

int
store_mlflow_experiment_tag_delete(struct store *st, int64_t id,
    const char *key, char **cause)
{
	static const char	*sql = "DELETE FROM experiment_tags WHERE "
	    "experiment_id = ? AND key = ?";
	sqlite3_stmt		*stmt;
	int			 rc;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((rc = store_mlflow_experiment_active(st, id, cause)) != 0)
		goto out;
	rc = -1;
	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	if (store_mlflow_exec(st, stmt, "deleting the tag", cause) != 0)
		goto out;
	if (store_mlflow_changes(stmt) == 0) {
		*cause = xasprintf("No tag with name: %s in experiment with "
		    "id %lld", key, (long long)id);
		rc = STORE_NOTFOUND;
		goto out;
	}
	rc = store_commit(st, cause);
out:
	if (rc != 0)
		store_rollback(st);
	return rc;
}

static const char *
store_mlflow_stages(enum mlflow_view view)
{
	switch (view) {
	case MLFLOW_DELETED_ONLY:
		return "('deleted')";
	case MLFLOW_ALL:
		return "('active', 'deleted')";
	default:
		return "('active')";
	}
}

int
store_mlflow_experiment_search(struct store *st, const char *artifact_root,
    enum mlflow_view view, const struct mlflow_expsearch *q, size_t offset,
    size_t limit, struct mlflow_experiment ***out, size_t *n, int *more,
    char **cause)
{
	struct mlflow_experiment	**list = NULL;
	sqlite3_stmt			*stmt = NULL;
	char				*sql;
	size_t				 count = 0, i;
	int				 code, rc = -1;

	sql = xasprintf("SELECT " EXPERIMENT_COLUMNS " FROM experiments e "
	    "WHERE e.lifecycle_stage IN %s AND (%s) ORDER BY %s LIMIT %zu "
	    "OFFSET %zu", store_mlflow_stages(view), q->where, q->order,
	    limit + 1, offset);
	stmt = store_prepare(st, sql, cause);
	free(sql);
	if (stmt == NULL)
		return -1;
	for (i = 0; i < q->nbinds; i++) {
		if (q->binds[i].is_text)
			sqlite3_bind_text(stmt, (int)i + 1, q->binds[i].text,
			    -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(stmt, (int)i + 1,
			    q->binds[i].integer);
	}
	list = xcalloc(limit + 1, sizeof *list);
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW)
		list[count++] = store_mlflow_experiment_row(stmt,
		    artifact_root);
	if (code != SQLITE_DONE) {
		store_cause(st, "searching experiments", cause);
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	*more = count > limit;
	if (*more)
		mlflow_experiment_free(list[--count]);
	for (i = 0; i < count; i++) {
		if (store_mlflow_tags_read(st, "SELECT key, value FROM "
		    "experiment_tags WHERE experiment_id = ? ORDER BY key",
		    NULL, list[i]->id, &list[i]->tags, &list[i]->ntags,
		    cause) != 0)
			goto out;
	}
	*out = list;
	*n = count;
	list = NULL;
	rc = 0;
out:
	sqlite3_finalize(stmt);
	mlflow_experiments_free(list, count);
	return rc;
}

/*
 * Read key/value rows: of the run run_uuid, or (run_uuid NULL) of the
 * experiment id. sql must be a string literal (it is cached).
 */
static int
store_mlflow_tags_read(struct store *st, const char *sql,
    const char *run_uuid, int64_t id, struct mlflow_tag **out, size_t *n,
    char **cause)
{
	sqlite3_stmt		*stmt;
	struct mlflow_tag	*v = NULL;
	size_t			 count = 0, cap = 0;
	int			 code;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	if (run_uuid != NULL)
		sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, id);
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[count].key = store_column_text(stmt, 0);
		v[count].value = store_column_text(stmt, 1);
		count++;
	}
	sqlite3_reset(stmt);
	if (code != SQLITE_DONE) {
		store_cause(st, "reading tags", cause);
		mlflow_tags_free(v, count);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

static void
store_mlflow_run_row(sqlite3_stmt *stmt, struct mlflow_run_info *info)
{
	snprintf(info->run_uuid, sizeof info->run_uuid, "%s",
	    sqlite3_column_text(stmt, 0));
	info->experiment_id = sqlite3_column_int64(stmt, 1);
	info->run_name = store_column_text(stmt, 2);
	info->user_id = store_column_text(stmt, 3);
	info->status = store_column_text(stmt, 4);
	info->start_time = sqlite3_column_int64(stmt, 5);
	info->has_end_time = sqlite3_column_type(stmt, 6) != SQLITE_NULL;
	info->end_time = sqlite3_column_int64(stmt, 6);
	info->artifact_uri = store_column_text(stmt, 7);
	info->lifecycle_stage = store_column_text(stmt, 8);
}

/* Read a run's info: 0, or STORE_NOTFOUND with MLflow's message. */
static int
store_mlflow_run_info(struct store *st, const char *run_uuid,
    struct mlflow_run_info *info, char **cause)
{
	static const char	*sql = "SELECT " RUN_COLUMNS " FROM "
	    "mlflow_runs WHERE run_uuid = ?";
	sqlite3_stmt		*stmt;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		memset(info, 0, sizeof *info);
		store_mlflow_run_row(stmt, info);
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("Run with id=%s not found", run_uuid);
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the run", cause);
	sqlite3_reset(stmt);
	return rc;
}

/* The run exists and is active: 0, NOTFOUND or INACTIVE. */
static int
store_mlflow_run_active(struct store *st, const char *run_uuid,
    char **cause)
{
	static const char	*sql = "SELECT lifecycle_stage FROM "
	    "mlflow_runs WHERE run_uuid = ?";
	sqlite3_stmt		*stmt;
	const char		*stage;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		stage = (const char *)sqlite3_column_text(stmt, 0);
		if (stage != NULL && strcmp(stage, "active") == 0)
			rc = 0;
		else {
			*cause = xasprintf("The run %s must be in the 'active' "
			    "state. Current state is %s.", run_uuid,
			    stage != NULL ? stage : "");
			rc = STORE_MLFLOW_INACTIVE;
		}
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("Run with id=%s not found", run_uuid);
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the run", cause);
	sqlite3_reset(stmt);
	return rc;
}

static const char store_mlflow_tag_upsert[] =
    "INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?) "
    "ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value";

int
store_mlflow_run_create(struct store *st, const char *artifact_root,
    struct mlflow_run_info *info, const struct mlflow_tag *tags,
    size_t ntags, char **cause)
{
	static const char	*loc_sql = "SELECT artifact_location FROM "
	    "experiments WHERE experiment_id = ?";
	static const char	*sql = "INSERT INTO mlflow_runs (run_uuid, "
	    "experiment_id, run_name, user_id, status, start_time, "
	    "lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, 'RUNNING', "
	    "?, 'active', ?)";
	struct mlflow_tag	 name_tag;
	sqlite3_stmt		*stmt;
	char			*location = NULL, *uri = NULL;
	const char		*name_from_tag = NULL;
	size_t			 i, len;
	int			 rc;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((rc = store_mlflow_experiment_active(st, info->experiment_id,
	    cause)) != 0)
		goto out;
	rc = -1;
	if ((stmt = store_stmt(st, loc_sql, cause)) == NULL)
		goto out;
	sqlite3_bind_int64(stmt, 1, info->experiment_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_cause(st, "reading the experiment", cause);
		sqlite3_reset(stmt);
		goto out;
	}
	location = store_mlflow_location((const char *)
	    sqlite3_column_text(stmt, 0), artifact_root, info->experiment_id);
	sqlite3_reset(stmt);
	len = strlen(location);
	while (len > 0 && location[len - 1] == '/')
		location[--len] = '\0';

	for (i = 0; i < ntags; i++) {
		if (strcmp(tags[i].key, MLFLOW_RUN_NAME_TAG) == 0)
			name_from_tag = tags[i].value;
	}
	if (info->run_name == NULL || *info->run_name == '\0') {
		free(info->run_name);
		info->run_name = name_from_tag != NULL ?
		    xstrdup(name_from_tag) : mlflow_run_name_new();
	}
	if (info->user_id == NULL)
		info->user_id = xstrdup("");
	mlflow_run_id_new(info->run_uuid);
	uri = xasprintf("%s/%s/artifacts", location, info->run_uuid);

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		goto out;
	sqlite3_bind_text(stmt, 1, info->run_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, info->experiment_id);
	sqlite3_bind_text(stmt, 3, info->run_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, info->user_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, info->start_time);
	sqlite3_bind_text(stmt, 6, uri, -1, SQLITE_STATIC);
	if (store_mlflow_exec(st, stmt, "creating the run", cause) != 0)
		goto out;
	if (store_mlflow_tags_set(st, store_mlflow_tag_upsert, 0,
	    info->run_uuid, tags, ntags, cause) != 0)
		goto out;
	if (name_from_tag == NULL) {
		name_tag.key = (char *)MLFLOW_RUN_NAME_TAG;
		name_tag.value = info->run_name;
		if (store_mlflow_tags_set(st, store_mlflow_tag_upsert, 0,
		    info->run_uuid, &name_tag, 1, cause) != 0)
			goto out;
	}
	if (store_commit(st, cause) != 0)
		goto out;
	free(info->status);
	free(info->artifact_uri);
	free(info->lifecycle_stage);
	info->status = xstrdup("RUNNING");
	info->artifact_uri = uri;
	uri = NULL;
	info->lifecycle_stage = xstrdup("active");
	info->has_end_time = 0;
	rc = 0;
out:
	if (rc != 0)
		store_rollback(st);
	free(location);
	free(uri);
	return rc;
}

/* Read a run's latest metrics, params, tags and inputs. */
static int
store_mlflow_run_data(struct store *st, struct mlflow_run *run,
    char **cause)
{
	static const char	*metrics_sql = "SELECT key, value, is_nan, "
	    "timestamp, step FROM latest_metrics WHERE run_uuid = ? "
	    "ORDER BY key";
	static const char	*inputs_sql = "SELECT name, digest, "
	    "source_type, source, schema, profile, tags FROM mlflow_inputs "
	    "WHERE run_uuid = ? ORDER BY id";
	struct mlflow_dataset_input	*in;
	sqlite3_stmt		*stmt;
	size_t			 cap = 0;
	const cJSON		*t;
	cJSON			*tags;
	int			 code;

	if (store_mlflow_tags_read(st, "SELECT key, value FROM params "
	    "WHERE run_uuid = ? ORDER BY key", run->info.run_uuid, 0,
	    &run->params, &run->nparams, cause) != 0 ||
	    store_mlflow_tags_read(st, "SELECT key, value FROM tags "
	    "WHERE run_uuid = ? ORDER BY key", run->info.run_uuid, 0,
	    &run->tags, &run->ntags, cause) != 0)
		return -1;

	if ((stmt = store_stmt(st, metrics_sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, run->info.run_uuid, -1, SQLITE_STATIC);
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct mlflow_metric *m;

		if (run->nmetrics == cap) {
			cap = cap ? cap * 2 : 8;
			run->metrics = xrealloc(run->metrics,
			    cap * sizeof *run->metrics);
		}
		m = &run->metrics[run->nmetrics++];
		m->key = store_column_text(stmt, 0);
		m->value = sqlite3_column_int(stmt, 2) ? NAN :
		    sqlite3_column_double(stmt, 1);
		m->timestamp = sqlite3_column_int64(stmt, 3);
		m->step = sqlite3_column_int64(stmt, 4);
	}
	sqlite3_reset(stmt);
	if (code != SQLITE_DONE) {
		store_cause(st, "reading metrics", cause);
		return -1;
	}

	if ((stmt = store_stmt(st, inputs_sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, run->info.run_uuid, -1, SQLITE_STATIC);
	cap = 0;
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (run->ninputs == cap) {
			cap = cap ? cap * 2 : 4;
			run->inputs = xrealloc(run->inputs,
			    cap * sizeof *run->inputs);
		}
		in = &run->inputs[run->ninputs++];
		memset(in, 0, sizeof *in);
		in->name = store_column_text(stmt, 0);
		in->digest = store_column_text(stmt, 1);
		in->source_type = store_column_text(stmt, 2);
		in->source = store_column_text(stmt, 3);
		if (sqlite3_column_type(stmt, 4) != SQLITE_NULL)
			in->schema = store_column_text(stmt, 4);
		if (sqlite3_column_type(stmt, 5) != SQLITE_NULL)
			in->profile = store_column_text(stmt, 5);
		tags = cJSON_Parse((const char *)sqlite3_column_text(stmt, 6));
		if (cJSON_IsArray(tags)) {
			in->tags = xcalloc((size_t)cJSON_GetArraySize(tags) +
			    1, sizeof *in->tags);
			cJSON_ArrayForEach(t, tags) {
				const char *k = cJSON_GetStringValue(
				    cJSON_GetObjectItem(t, "key"));
				const char *v = cJSON_GetStringValue(
				    cJSON_GetObjectItem(t, "value"));

				if (k == NULL || v == NULL)
					continue;
				in->tags[in->ntags].key = xstrdup(k);
				in->tags[in->ntags].value = xstrdup(v);
				in->ntags++;
			}
		}
		cJSON_Delete(tags);
	}
	sqlite3_reset(stmt);
	if (code != SQLITE_DONE) {
		store_cause(st, "reading inputs", cause);
		return -1;
	}
	return 0;
}

int
store_mlflow_run_get(struct store *st, const char *run_uuid,
    struct mlflow_run **out, char **cause)
{
	struct mlflow_run	*run = xcalloc(1, sizeof *run);
	int			 rc;

	if ((rc = store_mlflow_run_info(st, run_uuid, &run->info,
	    cause)) != 0 ||
	    (rc = store_mlflow_run_data(st, run, cause)) != 0) {
		mlflow_run_free(run);
		return rc;
	}
	*out = run;
	return 0;
}

int
store_mlflow_run_update(struct store *st, const char *run_uuid, int status,
    int has_end, int64_t end_time, const char *run_name,
    struct mlflow_run_info *out, char **cause)
{
	static const char	*status_sql = "UPDATE mlflow_runs SET "
	    "status = ? WHERE run_uuid = ?";
	static const char	*end_sql = "UPDATE mlflow_runs SET "
	    "end_time = ? WHERE run_uuid = ?";
	static const char	*name_sql = "UPDATE mlflow_runs SET "
	    "run_name = ? WHERE run_uuid = ?";
	struct mlflow_tag	 tag;
	sqlite3_stmt		*stmt;
	int			 rc;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((rc = store_mlflow_run_active(st, run_uuid, cause)) != 0)
		goto out;
	rc = -1;
	if (status > 0) {
		if ((stmt = store_stmt(st, status_sql, cause)) == NULL)
			goto out;
		sqlite3_bind_text(stmt, 1, mlflow_status_name(status), -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, run_uuid, -1, SQLITE_STATIC);
		if (store_mlflow_exec(st, stmt, "updating the run",
		    cause) != 0)
			goto out;
	}
	if (has_end) {
		if ((stmt = store_stmt(st, end_sql, cause)) == NULL)
			goto out;
		sqlite3_bind_int64(stmt, 1, end_time);
		sqlite3_bind_text(stmt, 2, run_uuid, -1, SQLITE_STATIC);
		if (store_mlflow_exec(st, stmt, "updating the run",
		    cause) != 0)
			goto out;
	}
	if (run_name != NULL && *run_name != '\0') {
		if ((stmt = store_stmt(st, name_sql, cause)) == NULL)
			goto out;
		sqlite3_bind_text(stmt, 1, run_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, run_uuid, -1, SQLITE_STATIC);
		if (store_mlflow_exec(st, stmt, "renaming the run",
		    cause) != 0)
			goto out;
		tag.key = (char *)MLFLOW_RUN_NAME_TAG;
		tag.value = (char *)run_name;
		if (store_mlflow_tags_set(st, store_mlflow_tag_upsert, 0,
		    run_uuid, &tag, 1, cause) != 0)
			goto out;
	}
	if ((rc = store_mlflow_run_info(st, run_uuid, out, cause)) != 0)
		goto out;
	if ((rc = store_commit(st, cause)) != 0)
		mlflow_run_info_done(out);
out:
	if (rc != 0)
		store_rollback(st);
	return rc;
}

static int
store_mlflow_run_move(struct store *st, const char *run_uuid, int delete,
    char **cause)
{
	static const char	*del_sql = "UPDATE mlflow_runs SET "
	    "lifecycle_stage = 'deleted', deleted_time = ? WHERE "
	    "run_uuid = ?";
	static const char	*res_sql = "UPDATE mlflow_runs SET "
	    "lifecycle_stage = 'active', deleted_time = NULL WHERE "
	    "run_uuid = ?";
	sqlite3_stmt		*stmt;

	if ((stmt = store_stmt(st, delete ? del_sql : res_sql, cause)) == NULL)
		return -1;
	if (delete) {
		sqlite3_bind_int64(stmt, 1, store_now_ms());
		sqlite3_bind_text(stmt, 2, run_uuid, -1, SQLITE_STATIC);
	} else
		sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
	if (store_mlflow_exec(st, stmt, "updating the run", cause) != 0)
		return -1;
	if (store_mlflow_changes(stmt) == 0) {
		*cause = xasprintf("Run with id=%s not found", run_uuid);
		return STORE_NOTFOUND;
	}
	return 0;
}

int
store_mlflow_run_delete(struct store *st, const char *run_uuid,
    char **cause)
{
	return store_mlflow_run_move(st, run_uuid, 1, cause);
}

int
store_mlflow_run_restore(struct store *st, const char *run_uuid,
    char **cause)
{
	return store_mlflow_run_move(st, run_uuid, 0, cause);
}

/*
 * Insert params; a key already logged keeps its value, and one logged with
 * another value is a conflict, described in MLflow's words.
 */
static int
store_mlflow_params(struct store *st, const char *run_uuid,
    const struct mlflow_tag *params, size_t n, int batch, char **cause)
{
	static const char	*ins_sql = "INSERT INTO params (run_uuid, key, "
	    "value) VALUES (?, ?, ?) ON CONFLICT (run_uuid, key) DO NOTHING";
	static const char	*get_sql = "SELECT value FROM params WHERE "
	    "run_uuid = ? AND key = ?";
	sqlite3_stmt		*stmt;
	struct buf		 conflicts;
	const char		*old;
	size_t			 i, nconflicts = 0;
	int			 rc = -1;

	buf_init(&conflicts);
	for (i = 0; i < n; i++) {
		if ((stmt = store_stmt(st, ins_sql, cause)) == NULL)
			goto out;
		sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, params[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, params[i].value, -1,
		    SQLITE_STATIC);
		if (store_mlflow_exec(st, stmt, "logging a param", cause) != 0)
			goto out;
		if (store_mlflow_changes(stmt) != 0)
			continue;
		if ((stmt = store_stmt(st, get_sql, cause)) == NULL)
			goto out;
		sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, params[i].key, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			store_cause(st, "reading a param", cause);
			sqlite3_reset(stmt);
			goto out;
		}
		old = (const char *)sqlite3_column_text(stmt, 0);
		if (strcmp(old, params[i].value) != 0) {
			if (!batch) {
				*cause = xasprintf("Changing param values is "
				    "not allowed. Param with key='%s' was "
				    "already logged with value='%s' for run "
				    "ID='%s'. Attempted logging new value "
				    "'%s'.", params[i].key, old, run_uuid,
				    params[i].value);
				sqlite3_reset(stmt);
				rc = STORE_MLFLOW_CONFLICT;
				goto out;
			}
			buf_printf(&conflicts, "%s{'key': '%s', 'old_value': "
			    "'%s', 'new_value': '%s'}", nconflicts++ > 0 ?
			    ", " : "", params[i].key, old, params[i].value);
		}
		sqlite3_reset(stmt);
	}
	if (nconflicts > 0) {
		*cause = xasprintf("Changing param values is not allowed. "
		    "Params were already logged='[%s]' for run ID='%s'.",
		    buf_str(&conflicts), run_uuid);
		rc = STORE_MLFLOW_CONFLICT;
		goto out;
	}
	rc = 0;
out:
	buf_done(&conflicts);
	return rc;
}

static int
store_mlflow_metrics(struct store *st, const char *run_uuid,
    const struct mlflow_metric *metrics, size_t n, char **cause)
{
	/* An exact repeat of a point already logged is kept once. */
	static const char	*ins_sql = "INSERT INTO metrics (run_uuid, "
	    "key, value, timestamp, step, is_nan) SELECT ?1, ?2, ?3, ?4, ?5, "
	    "?6 WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE run_uuid = ?1 "
	    "AND key = ?2 AND step = ?5 AND timestamp = ?4 AND value IS ?3 "
	    "AND is_nan = ?6)";
	/* NaN counts as 0 in the comparison, as in MLflow's store. */
	static const char	*latest_sql = "INSERT INTO latest_metrics "
	    "(run_uuid, key, value, timestamp, step, is_nan) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6) ON CONFLICT (run_uuid, key) DO UPDATE SET "
	    "value = excluded.value, timestamp = excluded.timestamp, "
	    "step = excluded.step, is_nan = excluded.is_nan WHERE "
	    "(excluded.step, excluded.timestamp, ifnull(excluded.value, 0)) > "
	    "(latest_metrics.step, latest_metrics.timestamp, "
	    "ifnull(latest_metrics.value, 0))";
	sqlite3_stmt		*stmt;
	size_t			 i;
	double			 v;
	int			 is_nan, pass;

	for (i = 0; i < n; i++) {
		v = metrics[i].value;
		is_nan = isnan(v);
		if (isinf(v))
			v = v > 0 ? MLFLOW_INF_STORED : -MLFLOW_INF_STORED;
		for (pass = 0; pass < 2; pass++) {
			stmt = store_stmt(st, pass == 0 ? ins_sql : latest_sql,
			    cause);
			if (stmt == NULL)
				return -1;
			sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 2, metrics[i].key, -1,
			    SQLITE_STATIC);
			if (is_nan)
				sqlite3_bind_null(stmt, 3);
			else
				sqlite3_bind_double(stmt, 3, v);
			sqlite3_bind_int64(stmt, 4, metrics[i].timestamp);
			sqlite3_bind_int64(stmt, 5, metrics[i].step);
			sqlite3_bind_int(stmt, 6, is_nan);
			if (store_mlflow_exec(st, stmt, "logging a metric",
			    cause) != 0)
				return -1;
			if (pass == 0 && store_mlflow_changes(stmt) == 0)
				break;	/* a repeat: the latest stands */
		}
	}
	return 0;
}

static int
store_mlflow_tags(struct store *st, const char *run_uuid,
    const struct mlflow_tag *tags, size_t n, char **cause)
{
	static const char	*name_sql = "UPDATE mlflow_runs SET "
	    "run_name = ? WHERE run_uuid = ?";
	sqlite3_stmt		*stmt;
	size_t			 i;

	if (store_mlflow_tags_set(st, store_mlflow_tag_upsert, 0, run_uuid,
	    tags, n, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(tags[i].key, MLFLOW_RUN_NAME_TAG) != 0)
			continue;
		if ((stmt = store_stmt(st, name_sql, cause)) == NULL)
			return -1;
		sqlite3_bind_text(stmt, 1, tags[i].value, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, run_uuid, -1, SQLITE_STATIC);
		if (store_mlflow_exec(st, stmt, "renaming the run", cause) != 0)
			return -1;
	}
	return 0;
}

int
store_mlflow_log(struct store *st, const char *run_uuid,
    const struct mlflow_metric *metrics, size_t nmetrics,
    const struct mlflow_tag *params, size_t nparams,
    const struct mlflow_tag *tags, size_t ntags, int batch, char **cause)
{
	int	rc;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((rc = store_mlflow_run_active(st, run_uuid, cause)) != 0 ||
	    (rc = store_mlflow_params(st, run_uuid, params, nparams, batch,
	    cause)) != 0 ||
	    (rc = store_mlflow_metrics(st, run_uuid, metrics, nmetrics,
	    cause)) != 0 ||
	    (rc = store_mlflow_tags(st, run_uuid, tags, ntags, cause)) != 0)
		goto out;
	rc = store_commit(st, cause);
out:
	if (rc != 0)
		store_rollback(st);
	return rc;
}

int
store_mlflow_tag_delete(struct store *st, const char *run_uuid,
    const char *key, char **cause)
{
	static const char	*sql = "DELETE FROM tags WHERE run_uuid = ? "
	    "AND key = ?";
	sqlite3_stmt		*stmt;
	int			 rc;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((rc = store_mlflow_run_active(st, run_uuid, cause)) != 0)
		goto out;
	rc = -1;
	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		goto out;
	sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	if (store_mlflow_exec(st, stmt, "deleting the tag", cause) != 0)
		goto out;
	if (store_mlflow_changes(stmt) == 0) {
		*cause = xasprintf("No tag with name: %s in run with id %s",
		    key, run_uuid);
		rc = STORE_NOTFOUND;
		goto out;
	}
	rc = store_commit(st, cause);
out:
	if (rc != 0)
		store_rollback(st);
	return rc;
}

int
store_mlflow_log_inputs(struct store *st, const char *run_uuid,
    const struct mlflow_dataset_input *inputs, size_t n, char **cause)
{
	static const char	*sql = "INSERT INTO mlflow_inputs (run_uuid, "
	    "name, digest, source_type, source, schema, profile, tags) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_uuid, name, "
	    "digest) DO NOTHING";
	sqlite3_stmt		*stmt;
	cJSON			*tags, *o;
	char			*text;
	size_t			 i, j;
	int			 rc;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((rc = store_mlflow_run_active(st, run_uuid, cause)) != 0)
		goto out;
	rc = -1;
	for (i = 0; i < n; i++) {
		if ((stmt = store_stmt(st, sql, cause)) == NULL)
			goto out;
		tags = cJSON_CreateArray();
		for (j = 0; j < inputs[i].ntags; j++) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "key",
			    inputs[i].tags[j].key);
			cJSON_AddStringToObject(o, "value",
			    inputs[i].tags[j].value);
			cJSON_AddItemToArray(tags, o);
		}
		text = json_print(tags);
		cJSON_Delete(tags);
		sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, inputs[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, inputs[i].digest, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, inputs[i].source_type, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, inputs[i].source, -1,
		    SQLITE_STATIC);
		if (inputs[i].schema != NULL)
			sqlite3_bind_text(stmt, 6, inputs[i].schema, -1,
			    SQLITE_STATIC);
		if (inputs[i].profile != NULL)
			sqlite3_bind_text(stmt, 7, inputs[i].profile, -1,
			    SQLITE_STATIC);
		sqlite3_bind_text(stmt, 8, text, -1, SQLITE_STATIC);
		rc = store_mlflow_exec(st, stmt, "logging an input", cause);
		free(text);
		if (rc != 0)
			goto out;
	}
	rc = store_commit(st, cause);
out:
	if (rc != 0)
		store_rollback(st);
	return rc;
}

int
store_mlflow_log_model(struct store *st, const char *run_uuid,
    const cJSON *model, char **cause)
{
	static const char	*sql = "SELECT value FROM tags WHERE "
	    "run_uuid = ? AND key = '" MLFLOW_LOGGED_MODELS_TAG "'";
	struct mlflow_tag	 tag;
	sqlite3_stmt		*stmt;
	cJSON			*history = NULL;
	char			*text = NULL;
	int			 rc, code;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((rc = store_mlflow_run_active(st, run_uuid, cause)) != 0)
		goto out;
	rc = -1;
	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		goto out;
	sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW)
		history = cJSON_Parse((const char *)
		    sqlite3_column_text(stmt, 0));
	sqlite3_reset(stmt);
	if (code != SQLITE_ROW && code != SQLITE_DONE) {
		store_cause(st, "reading the run's models", cause);
		goto out;
	}
	if (!cJSON_IsArray(history)) {
		cJSON_Delete(history);
		history = cJSON_CreateArray();
	}
	cJSON_AddItemToArray(history, cJSON_Duplicate(model, 1));
	text = json_print(history);
	tag.key = (char *)MLFLOW_LOGGED_MODELS_TAG;
	tag.value = text;
	if (mlflow_check_tag(&tag, cause) != 0) {
		rc = STORE_MLFLOW_CONFLICT;
		goto out;
	}
	if (store_mlflow_tags_set(st, store_mlflow_tag_upsert, 0, run_uuid,
	    &tag, 1, cause) != 0)
		goto out;
	rc = store_commit(st, cause);
out:
	if (rc != 0)
		store_rollback(st);
	cJSON_Delete(history);
	free(text);
	return rc;
}

int
store_mlflow_metric_history(struct store *st, const char *run_uuid,
    const char *key, const struct mlflow_cursor *after, size_t limit,
    struct mlflow_metric **out, size_t *n, int *more,
    struct mlflow_cursor *last, char **cause)
{
	static const char	*first_sql = "SELECT value, is_nan, "
	    "timestamp, step, rowid FROM metrics WHERE run_uuid = ? AND "
	    "key = ? ORDER BY step, timestamp, rowid LIMIT ?";
	static const char	*next_sql = "SELECT value, is_nan, "
	    "timestamp, step, rowid FROM metrics WHERE run_uuid = ? AND "
	    "key = ? AND (step, timestamp, rowid) > (?, ?, ?) "
	    "ORDER BY step, timestamp, rowid LIMIT ?";
	static const char	*run_sql = "SELECT 1 FROM mlflow_runs WHERE "
	    "run_uuid = ?";
	struct mlflow_metric	*v = NULL, *m;
	struct mlflow_cursor	 end = { 0, 0, 0 };
	sqlite3_stmt		*stmt;
	size_t			 count = 0, cap = 0;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, run_sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (code == SQLITE_DONE) {
		*cause = xasprintf("Run with id=%s not found", run_uuid);
		return STORE_NOTFOUND;
	}
	if (code != SQLITE_ROW) {
		store_cause(st, "reading the run", cause);
		return -1;
	}

	if ((stmt = store_stmt(st, after != NULL ? next_sql : first_sql,
	    cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, run_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
	if (after != NULL) {
		sqlite3_bind_int64(stmt, 3, after->step);
		sqlite3_bind_int64(stmt, 4, after->timestamp);
		sqlite3_bind_int64(stmt, 5, after->seq);
		sqlite3_bind_int64(stmt, 6, limit == SIZE_MAX ? -1 :
		    (sqlite3_int64)limit + 1);
	} else
		sqlite3_bind_int64(stmt, 3, limit == SIZE_MAX ? -1 :
		    (sqlite3_int64)limit + 1);
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == limit)
			break;	/* the one past the page */
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		m = &v[count++];
		m->key = xstrdup(key);
		m->value = sqlite3_column_int(stmt, 1) ? NAN :
		    sqlite3_column_double(stmt, 0);
		m->timestamp = sqlite3_column_int64(stmt, 2);
		m->step = sqlite3_column_int64(stmt, 3);
		end.step = m->step;
		end.timestamp = m->timestamp;
		end.seq = sqlite3_column_int64(stmt, 4);
	}
	sqlite3_reset(stmt);
	if (code != SQLITE_DONE && code != SQLITE_ROW) {
		store_cause(st, "reading the metric's history", cause);
		goto out;
	}
	*more = code == SQLITE_ROW;
	*last = end;
	*out = v;
	*n = count;
	v = NULL;
	count = 0;
	rc = 0;
out:
	mlflow_metrics_free(v, count);
	return rc;
}
int
store_mlflow_run_search(struct store *st, const int64_t *ids, size_t nids,
    enum mlflow_view view, const struct search_query *q, size_t offset,
    size_t limit, struct mlflow_run ***out, size_t *n, int *more,
    char **cause)
{
	struct mlflow_run	**list = NULL;
	sqlite3_stmt		*stmt = NULL;
	struct buf		 sql;
	size_t			 count = 0, i;
	int			 code, rc = -1;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (nids == 0)
		return 0;
	buf_init(&sql);
	buf_adds(&sql, "SELECT " RUN_COLUMNS " FROM mlflow_runs r WHERE "
	    "r.experiment_id IN (");
	for (i = 0; i < nids; i++)
		buf_printf(&sql, "%s%lld", i > 0 ? ", " : "",
		    (long long)ids[i]);
	buf_printf(&sql, ") AND r.lifecycle_stage IN %s AND (%s) ORDER BY %s "
	    "LIMIT %zu OFFSET %zu", store_mlflow_stages(view), q->where,
	    q->order, limit + 1, offset);
	stmt = store_prepare(st, buf_str(&sql), cause);
	buf_done(&sql);
	if (stmt == NULL)
		return -1;
	search_bind(stmt, 1, q);
	list = xcalloc(limit + 1, sizeof *list);
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		list[count] = xcalloc(1, sizeof *list[count]);
		store_mlflow_run_row(stmt, &list[count]->info);
		count++;
	}
	if (code != SQLITE_DONE) {
		store_cause(st, "searching runs", cause);
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	*more = count > limit;
	if (*more)
		mlflow_run_free(list[--count]);
	for (i = 0; i < count; i++) {
		if (store_mlflow_run_data(st, list[i], cause) != 0)
			goto out;
	}
	*out = list;
	*n = count;
	list = NULL;
	rc = 0;
out:
	sqlite3_finalize(stmt);
	mlflow_runs_free(list, count);
	return rc;
}
