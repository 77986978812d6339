/*
 * The store's queries for projects and their environment variables.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "project.h"
#include "store.h"
#include "xmalloc.h"

#define PROJECT_COLUMNS \
	"id, name, description, source_type, source, path, adopted, " \
	"default_runtime, default_profile, created_ms, updated_ms"

static struct project *
store_project_row(sqlite3_stmt *stmt)
{
	struct project	*p = project_new();

	p->id = sqlite3_column_int64(stmt, 0);
	p->name = store_column_text(stmt, 1);
	p->description = store_column_text(stmt, 2);
	p->source_type = store_column_text(stmt, 3);
	p->source = store_column_text(stmt, 4);
	p->path = store_column_text(stmt, 5);
	p->adopted = sqlite3_column_int(stmt, 6);
	p->default_runtime = store_column_text(stmt, 7);
	p->default_profile = store_column_text(stmt, 8);
	p->created_ms = sqlite3_column_int64(stmt, 9);
	p->updated_ms = sqlite3_column_int64(stmt, 10);
	return p;
}

int
store_project_insert(struct store *st, struct project *p, char **cause)
{
	static const char	*sql = "INSERT INTO projects (name, "
	    "description, source_type, source, path, adopted, "
	    "default_runtime, default_profile, created_ms, updated_ms) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	p->created_ms = p->updated_ms = store_now_ms();
	sqlite3_bind_text(stmt, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, p->description, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, p->source_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, p->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, p->path, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 6, p->adopted);
	sqlite3_bind_text(stmt, 7, p->default_runtime, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, p->default_profile, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 9, p->created_ms);
	sqlite3_bind_int64(stmt, 10, p->updated_ms);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		if (store_unique(stmt)) {
			*cause = xasprintf("a project named '%s' already "
			    "exists", p->name);
			rc = STORE_EXISTS;
		} else
			store_cause(st, "adding the project", cause);
		goto out;
	}
	p->id = sqlite3_last_insert_rowid(sqlite3_db_handle(stmt));
	rc = 0;
out:
	store_done(stmt);
	return rc;
}

int
store_project_get(struct store *st, const char *id_or_name,
    struct project **out, char **cause)
{
	static const char	*by_id = "SELECT " PROJECT_COLUMNS
	    " FROM projects WHERE id = ?";
	static const char	*by_name = "SELECT " PROJECT_COLUMNS
	    " FROM projects WHERE name = ?";
	sqlite3_stmt		*stmt;
	int			 is_id = store_is_id(id_or_name), code;
	int			 rc = -1;

	stmt = store_stmt(st, is_id ? by_id : by_name, cause);
	if (stmt == NULL)
		return -1;
	if (is_id)
		sqlite3_bind_int64(stmt, 1, strtoll(id_or_name, NULL, 10));
	else
		sqlite3_bind_text(stmt, 1, id_or_name, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		*out = store_project_row(stmt);
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("no project %s '%s'", is_id ? "with id" :
		    "named", id_or_name);
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the project", cause);
	store_done(stmt);
	return rc;
}

int
store_project_list(struct store *st, const char *after, const char *search,
    size_t limit, struct project ***out, size_t *n, int *more, char **cause)
{
	static const char	*sql = "SELECT " PROJECT_COLUMNS
	    " FROM projects WHERE name > ?1 AND (?2 IS NULL OR "
	    "instr(lower(name), lower(?2)) > 0 OR "
	    "instr(lower(description), lower(?2)) > 0) "
	    "ORDER BY name LIMIT ?3";
	sqlite3_stmt		*stmt;
	struct project		**list = NULL;
	size_t			 count = 0;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, after != NULL ? after : "", -1,
	    SQLITE_STATIC);
	if (search != NULL && *search != '\0')
		sqlite3_bind_text(stmt, 2, search, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)limit + 1);
	list = xcalloc(limit + 1, sizeof *list);
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW)
		list[count++] = store_project_row(stmt);
	if (code != SQLITE_DONE) {
		store_cause(st, "listing projects", cause);
		project_list_free(list, count);
		goto out;
	}
	*more = count > limit;
	if (*more)
		project_free(list[--count]);
	*out = list;
	*n = count;
	rc = 0;
out:
	store_done(stmt);
	return rc;
}

int
store_project_update(struct store *st, struct project *p, char **cause)
{
	static const char	*sql = "UPDATE projects SET name = ?, "
	    "description = ?, default_runtime = ?, default_profile = ?, "
	    "updated_ms = ? WHERE id = ?";
	sqlite3_stmt		*stmt;
	int64_t			 now = store_now_ms();
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, p->description, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, p->default_runtime, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, p->default_profile, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, now);
	sqlite3_bind_int64(stmt, 6, p->id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		if (store_unique(stmt)) {
			*cause = xasprintf("a project named '%s' already "
			    "exists", p->name);
			rc = STORE_EXISTS;
		} else
			store_cause(st, "updating the project", cause);
		goto out;
	}
	if (sqlite3_changes(sqlite3_db_handle(stmt)) == 0) {
		*cause = xasprintf("no project with id %lld",
		    (long long)p->id);
		rc = STORE_NOTFOUND;
		goto out;
	}
	p->updated_ms = now;
	rc = 0;
out:
	store_done(stmt);
	return rc;
}

int
store_project_delete(struct store *st, int64_t id, char **cause)
{
	static const char	*sql = "DELETE FROM projects WHERE id = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		store_cause(st, "deleting the project", cause);
		goto out;
	}
	if (sqlite3_changes(sqlite3_db_handle(stmt)) == 0) {
		*cause = xasprintf("no project with id %lld", (long long)id);
		rc = STORE_NOTFOUND;
		goto out;
	}
	rc = 0;
out:
	sqlite3_reset(stmt);
	return rc;
}

int
store_project_count(struct store *st, int64_t *out, char **cause)
{
	static const char	*sql = "SELECT count(*) FROM projects";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_cause(st, "counting projects", cause);
		goto out;
	}
	*out = sqlite3_column_int64(stmt, 0);
	rc = 0;
out:
	sqlite3_reset(stmt);
	return rc;
}

int
store_project_owned_paths(struct store *st,
    void (*fn)(const char *, void *), void *arg, char **cause)
{
	static const char	*sql = "SELECT path FROM projects "
	    "WHERE adopted = 0";
	sqlite3_stmt		*stmt;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(stmt, 0), arg);
	if (code != SQLITE_DONE) {
		store_cause(st, "listing project paths", cause);
		goto out;
	}
	rc = 0;
out:
	sqlite3_reset(stmt);
	return rc;
}

int
store_env_list(struct store *st, int64_t project_id, struct env_var **out,
    size_t *n, char **cause)
{
	static const char	*sql = "SELECT name, value, secret FROM "
	    "project_env WHERE project_id = ? ORDER BY name";
	sqlite3_stmt		*stmt;
	struct env_var		*vars = NULL;
	size_t			 count = 0, cap = 0;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, project_id);
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			vars = xrealloc(vars, cap * sizeof *vars);
		}
		vars[count].name = store_column_text(stmt, 0);
		vars[count].value = store_column_text(stmt, 1);
		vars[count].secret = sqlite3_column_int(stmt, 2);
		count++;
	}
	if (code != SQLITE_DONE) {
		store_cause(st, "listing environment variables", cause);
		env_vars_free(vars, count);
		goto out;
	}
	*out = vars;
	*n = count;
	rc = 0;
out:
	sqlite3_reset(stmt);
	return rc;
}

int
store_env_set(struct store *st, int64_t project_id, const struct env_var *v,
    char **cause)
{
	static const char	*sql = "INSERT INTO project_env (project_id, "
	    "name, value, secret) VALUES (?, ?, ?, ?) ON CONFLICT "
	    "(project_id, name) DO UPDATE SET value = excluded.value, "
	    "secret = excluded.secret";
	static const char	*touch = "UPDATE projects SET updated_ms = ? "
	    "WHERE id = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if (store_begin(st, cause) != 0)
		return -1;
	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		goto out;
	sqlite3_bind_int64(stmt, 1, project_id);
	sqlite3_bind_text(stmt, 2, v->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, v->value, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, v->secret);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		store_cause(st, "setting the variable", cause);
		sqlite3_reset(stmt);
		goto out;
	}
	store_done(stmt);
	if ((stmt = store_stmt(st, touch, cause)) == NULL)
		goto out;
	sqlite3_bind_int64(stmt, 1, store_now_ms());
	sqlite3_bind_int64(stmt, 2, project_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		store_cause(st, "updating the project", cause);
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
store_env_unset(struct store *st, int64_t project_id, const char *name,
    char **cause)
{
	static const char	*sql = "DELETE FROM project_env WHERE "
	    "project_id = ? AND name = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, project_id);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		store_cause(st, "unsetting the variable", cause);
		goto out;
	}
	if (sqlite3_changes(sqlite3_db_handle(stmt)) == 0) {
		*cause = xasprintf("the project has no variable '%s'", name);
		rc = STORE_NOTFOUND;
		goto out;
	}
	rc = 0;
out:
	store_done(stmt);
	return rc;
}
