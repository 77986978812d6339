/*
 * The store: lathed's sqlite database. One connection, owned by the loop
 * thread, in WAL mode with a busy timeout; a versioned schema migrated
 * forward on open; prepared statements cached per SQL text. Each module's
 * queries live in store_<module>.c.
 */
#ifndef LATHE_STORE_H
#define LATHE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct store;
struct project;
struct env_var;
struct apikey;
struct job;
struct job_run;
struct runtime;
struct profile;

/* Results besides 0 (success) and -1 (an error, described by *cause). */
#define STORE_NOTFOUND	-2	/* no such row */
#define STORE_EXISTS	-3	/* a unique name is taken */
#define STORE_DAMAGED	-4	/* store_open: not a database, or corrupt */
#define STORE_NEWER	-5	/* store_open: schema newer than this lathed */

/* The schema version this lathed creates and understands. */
int		 store_schema_latest(void);

/*
 * Open or create the database at path and migrate it to the latest schema.
 * Return 0 and *out, or -1, STORE_DAMAGED or STORE_NEWER with *cause.
 */
int		 store_open(const char *path, struct store **out, char **cause);
void		 store_close(struct store *);
int		 store_schema_version(struct store *);

/*
 * Return the cached prepared statement for sql, which must be a string
 * literal (the cache is keyed by its address), reset and unbound; NULL with
 * *cause on error. The store owns the statement.
 */
sqlite3_stmt	*store_stmt(struct store *, const char *sql, char **cause);
/*
 * Prepare sql built at run time (search queries), uncached; NULL with
 * *cause on error. The caller finalizes the statement.
 */
sqlite3_stmt	*store_prepare(struct store *, const char *sql, char **cause);
/* Set *cause from the connection's last error, prefixed by what. */
void		 store_cause(struct store *, const char *what, char **cause);
int		 store_begin(struct store *, char **cause);
int		 store_commit(struct store *, char **cause);
void		 store_rollback(struct store *);
/* Reset stmt and clear its bindings, for its next use from the cache. */
void		 store_done(sqlite3_stmt *);
/* Whether stmt's last step broke a UNIQUE or PRIMARY KEY constraint. */
int		 store_unique(sqlite3_stmt *);
/* Whether s is all digits (an id rather than a name). */
int		 store_is_id(const char *s);
/* Copy column i of stmt as a new string ("" when NULL). */
char		*store_column_text(sqlite3_stmt *, int i);
int64_t		 store_now_ms(void);

/* Projects (store_projects.c). */
int	 store_project_insert(struct store *, struct project *, char **cause);
int	 store_project_get(struct store *, const char *id_or_name,
	    struct project **out, char **cause);
int	 store_project_list(struct store *, const char *after,
	    const char *search, size_t limit, struct project ***out,
	    size_t *n, int *more, char **cause);
int	 store_project_update(struct store *, struct project *, char **cause);
int	 store_project_delete(struct store *, int64_t id, char **cause);
int	 store_project_count(struct store *, int64_t *out, char **cause);
/* Call fn for the files path of each project that lathed owns. */
int	 store_project_owned_paths(struct store *,
	    void (*fn)(const char *, void *), void *arg, char **cause);
int	 store_env_list(struct store *, int64_t project_id,
	    struct env_var **out, size_t *n, char **cause);
int	 store_env_set(struct store *, int64_t project_id,
	    const struct env_var *, char **cause);
int	 store_env_unset(struct store *, int64_t project_id,
	    const char *name, char **cause);

/* API keys (store_keys.c). */
int	 store_key_insert(struct store *, struct apikey *, char **cause);
int	 store_key_list(struct store *, struct apikey **out, size_t *n,
	    char **cause);
int	 store_key_by_prefix(struct store *, const char *prefix,
	    struct apikey *out, char **cause);
int	 store_key_revoke(struct store *, int64_t id, char **cause);
int	 store_key_touch(struct store *, int64_t id, int64_t when_ms,
	    char **cause);

/* Jobs, runs, runtimes and profiles (store_jobs.c). */
int	 store_job_insert(struct store *, struct job *, char **cause);
int	 store_job_update(struct store *, struct job *, char **cause);
/* A job of the project by id or name (project_id 0: any, by id). */
int	 store_job_get(struct store *, int64_t project_id,
	    const char *id_or_name, struct job **out, char **cause);
int	 store_job_get_id(struct store *, int64_t id, struct job **out,
	    char **cause);
/* A page of the project's jobs by name, after after (NULL: the first). */
int	 store_job_list(struct store *, int64_t project_id, const char *after,
	    size_t limit, struct job ***out, size_t *n, int *more,
	    char **cause);
/* The jobs that run after job_id succeeds. */
int	 store_job_dependents(struct store *, int64_t job_id,
	    struct job ***out, size_t *n, char **cause);
/* Every cron job that is not paused, of every project. */
int	 store_job_scheduled(struct store *, struct job ***out, size_t *n,
	    char **cause);
int	 store_job_delete(struct store *, int64_t id, char **cause);
/* The job's newest run, or *out NULL when it has none. */
int	 store_job_last_run(struct store *, int64_t job_id,
	    struct job_run **out, char **cause);
/* How many of the job's runs are queued, starting or running. */
int	 store_job_active_runs(struct store *, int64_t job_id, int64_t *out,
	    char **cause);
int	 store_run_insert(struct store *, struct job_run *, char **cause);
int	 store_run_update(struct store *, const struct job_run *,
	    char **cause);
int	 store_run_get(struct store *, int64_t id, struct job_run **out,
	    char **cause);
/*
 * A page of runs, newest first, with ids below before (0: the newest): of
 * one job (job_id != 0) or of the project; status NULL for any.
 */
int	 store_run_list(struct store *, int64_t project_id, int64_t job_id,
	    const char *status, int64_t before, size_t limit,
	    struct job_run ***out, size_t *n, int *more, char **cause);
/* Record which job run opened an MLflow run. */
int	 store_mlflow_run_link(struct store *, const char *run_uuid,
	    int64_t job_run_id, char **cause);
/* Every queued, starting or running run, oldest due first. */
int	 store_run_active(struct store *, struct job_run ***out, size_t *n,
	    char **cause);
/* How many runs have status (served by the index of active runs). */
int	 store_run_count(struct store *, const char *status, int64_t *out,
	    char **cause);
/* The ids of the runs of a job (job_id != 0) or of a project. */
int	 store_run_ids(struct store *, int64_t project_id, int64_t job_id,
	    int64_t **out, size_t *n, char **cause);
int	 store_runtime_list(struct store *, struct runtime **out, size_t *n,
	    char **cause);
int	 store_runtime_get(struct store *, const char *name,
	    struct runtime *out, char **cause);
/* The preferred runtime of a kernel: registered first, plain name first. */
int	 store_runtime_for_kernel(struct store *, const char *kernel,
	    struct runtime *out, char **cause);
/* Add or refresh a runtime; never replaces one of the other origin. */
int	 store_runtime_put(struct store *, const struct runtime *,
	    char **cause);
int	 store_runtime_delete(struct store *, const char *name,
	    int discovered, char **cause);
int	 store_runtime_clear_discovered(struct store *, char **cause);
int	 store_profile_list(struct store *, struct profile **out, size_t *n,
	    char **cause);
int	 store_profile_get(struct store *, const char *name,
	    struct profile *out, char **cause);
int	 store_profile_insert(struct store *, const struct profile *,
	    char **cause);
int	 store_profile_delete(struct store *, const char *name, char **cause);

#endif
