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

#endif
