/*
 * The sqlite store: opening, pragmas, forward migrations and the statement
 * cache. The database is only ever touched from the loop thread, so one
 * connection serves everything; WAL lets readers outside lathed (sqlite3
 * shell, backups) look without blocking it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "log.h"
#include "mlflow.h"
#include "store.h"
#include "xmalloc.h"

#define STORE_CACHE_SIZE	256	/* a power of two */

struct store {
	sqlite3		*db;
	char		*path;
	int		 version;
	struct {
		const char	*sql;
		sqlite3_stmt	*stmt;
	}		 cache[STORE_CACHE_SIZE];
};

/*
 * Migration i takes the schema from version i to i + 1. Never edit one that
 * has shipped: add another.
 */
static const char *store_migrations[] = {
	/* 0 -> 1: projects, their environment, API keys. */
	"CREATE TABLE projects ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  source_type TEXT NOT NULL,"
	"  source TEXT NOT NULL DEFAULT '',"
	"  path TEXT NOT NULL,"
	"  adopted INTEGER NOT NULL DEFAULT 0,"
	"  default_runtime TEXT NOT NULL DEFAULT '',"
	"  default_profile TEXT NOT NULL DEFAULT '',"
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL"
	");"
	"CREATE TABLE project_env ("
	"  project_id INTEGER NOT NULL REFERENCES projects(id)"
	"    ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  secret INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (project_id, name)"
	") WITHOUT ROWID;"
	"CREATE TABLE api_keys ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  prefix TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  hash BLOB NOT NULL,"
	"  created_ms INTEGER NOT NULL,"
	"  last_used_ms INTEGER,"
	"  revoked_ms INTEGER"
	");",
	/* 1 -> 2: runtimes, resource profiles, jobs and their runs. */
	"CREATE TABLE runtimes ("
	"  name TEXT PRIMARY KEY COLLATE NOCASE,"
	"  kernel TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  version TEXT NOT NULL DEFAULT '',"
	"  discovered INTEGER NOT NULL DEFAULT 0,"
	"  created_ms INTEGER NOT NULL"
	");"
	"CREATE TABLE profiles ("
	"  name TEXT PRIMARY KEY COLLATE NOCASE,"
	"  vcpu REAL NOT NULL,"
	"  memory_mb INTEGER NOT NULL,"
	"  gpus INTEGER NOT NULL DEFAULT 0,"
	"  builtin INTEGER NOT NULL DEFAULT 0,"
	"  created_ms INTEGER NOT NULL"
	");"
	"INSERT INTO profiles VALUES ('small', 1, 2048, 0, 1, 0),"
	"  ('medium', 2, 4096, 0, 1, 0), ('large', 4, 8192, 0, 1, 0);"
	"CREATE TABLE jobs ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  project_id INTEGER NOT NULL REFERENCES projects(id)"
	"    ON DELETE CASCADE,"
	"  name TEXT NOT NULL COLLATE NOCASE,"
	"  script TEXT NOT NULL,"
	"  arguments TEXT NOT NULL DEFAULT '[]',"
	"  runtime TEXT NOT NULL DEFAULT '',"
	"  profile TEXT NOT NULL DEFAULT '',"
	"  env TEXT NOT NULL DEFAULT '{}',"
	"  schedule TEXT NOT NULL DEFAULT 'manual',"
	"  cron TEXT NOT NULL DEFAULT '',"
	"  timezone TEXT NOT NULL DEFAULT '',"
	"  parent_id INTEGER REFERENCES jobs(id),"
	"  timeout_s INTEGER NOT NULL DEFAULT 0,"
	"  retries INTEGER NOT NULL DEFAULT 0,"
	"  backoff_s INTEGER NOT NULL DEFAULT 10,"
	"  max_concurrent INTEGER NOT NULL DEFAULT 1,"
	"  paused INTEGER NOT NULL DEFAULT 0,"
	"  experiment TEXT NOT NULL DEFAULT '',"
	"  created_ms INTEGER NOT NULL,"
	"  updated_ms INTEGER NOT NULL,"
	"  UNIQUE (project_id, name)"
	");"
	"CREATE INDEX jobs_parent ON jobs (parent_id);"
	"CREATE TABLE job_runs ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
	"  status TEXT NOT NULL,"
	"  trigger TEXT NOT NULL,"
	"  parent_run_id INTEGER,"
	"  attempt INTEGER NOT NULL DEFAULT 1,"
	"  arguments TEXT,"
	"  env TEXT NOT NULL DEFAULT '{}',"
	"  runtime TEXT NOT NULL DEFAULT '',"
	"  command TEXT NOT NULL DEFAULT '[]',"
	"  profile TEXT NOT NULL DEFAULT '',"
	"  vcpu REAL NOT NULL DEFAULT 0,"
	"  memory_mb INTEGER NOT NULL DEFAULT 0,"
	"  gpus TEXT NOT NULL DEFAULT '',"
	"  memory_enforced TEXT NOT NULL DEFAULT '',"
	"  cpu_enforced TEXT NOT NULL DEFAULT '',"
	"  pid INTEGER,"
	"  exit_code INTEGER,"
	"  signal INTEGER,"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  key_id INTEGER,"
	"  queued_ms INTEGER NOT NULL,"
	"  not_before_ms INTEGER NOT NULL,"
	"  started_ms INTEGER,"
	"  ended_ms INTEGER,"
	"  params TEXT,"
	"  mlflow_run_id TEXT"
	");"
	"CREATE INDEX job_runs_job ON job_runs (job_id, id);"
	"CREATE INDEX job_runs_active ON job_runs (status)"
	"  WHERE status IN ('queued', 'starting', 'running');",
	/* 2 -> 3: MLflow tracking (store_mlflow.c). */
	store_schema_mlflow,
};

int
store_schema_latest(void)
{
	return (int)(sizeof store_migrations / sizeof store_migrations[0]);
}

int64_t
store_now_ms(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

void
store_cause(struct store *st, const char *what, char **cause)
{
	*cause = xasprintf("%s: %s", what, sqlite3_errmsg(st->db));
}

static int
store_is_damage(int code)
{
	code &= 0xff;
	return code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
}

static int
store_exec(struct store *st, const char *sql, char **cause)
{
	char	*err = NULL;
	int	 code;

	code = sqlite3_exec(st->db, sql, NULL, NULL, &err);
	if (code != SQLITE_OK) {
		*cause = xasprintf("%s", err != NULL ? err :
		    sqlite3_errstr(code));
		sqlite3_free(err);
		return store_is_damage(code) ? STORE_DAMAGED : -1;
	}
	return 0;
}

static int
store_read_version(struct store *st, int *out, char **cause)
{
	sqlite3_stmt	*stmt = NULL;
	int		 code, rc = -1;

	code = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt,
	    NULL);
	if (code == SQLITE_OK)
		code = sqlite3_step(stmt);
	if (code != SQLITE_ROW) {
		store_cause(st, "cannot read the schema version", cause);
		rc = store_is_damage(code) ? STORE_DAMAGED : -1;
		goto out;
	}
	*out = sqlite3_column_int(stmt, 0);
	rc = 0;
out:
	sqlite3_finalize(stmt);
	return rc;
}

static int
store_migrate(struct store *st, char **cause)
{
	char	*err = NULL, *sql;
	int	 version, latest = store_schema_latest(), rc;

	if ((rc = store_read_version(st, &version, cause)) != 0)
		return rc;
	if (version > latest) {
		*cause = xasprintf("the database has schema version %d, newer "
		    "than this lathed understands (%d): upgrade lathe, or "
		    "point --state-dir elsewhere", version, latest);
		return STORE_NEWER;
	}
	while (version < latest) {
		sql = xasprintf("BEGIN IMMEDIATE; %s PRAGMA user_version = %d;"
		    " COMMIT;", store_migrations[version], version + 1);
		rc = store_exec(st, sql, &err);
		free(sql);
		if (rc != 0) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			*cause = xasprintf("migrating the database from schema "
			    "%d to %d failed: %s", version, version + 1, err);
			free(err);
			return rc;
		}
		log_info("store: migrated schema %d -> %d", version,
		    version + 1);
		version++;
	}
	st->version = version;
	return 0;
}

int
store_open(const char *path, struct store **out, char **cause)
{
	struct store	*st;
	char		*err = NULL;
	int		 code, rc = -1;

	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	code = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (code != SQLITE_OK) {
		*cause = xasprintf("cannot open the database %s: %s", path,
		    st->db != NULL ? sqlite3_errmsg(st->db) :
		    sqlite3_errstr(code));
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	/*
	 * synchronous=NORMAL in WAL mode keeps every committed transaction
	 * across a crash of lathed; only a power cut may lose the last ones.
	 * Searches read index pages all over a large file (run ids are
	 * random): map it, and cache more than sqlite's 2 MB.
	 */
	rc = store_exec(st, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA mmap_size = 268435456;"
	    "PRAGMA cache_size = -16384;", &err);
	if (rc != 0)
		goto damaged;
	rc = store_migrate(st, &err);
	if (rc != 0)
		goto damaged;
	chmod(path, 0600);
	*out = st;
	return 0;

damaged:
	if (rc == STORE_DAMAGED)
		*cause = xasprintf("the database %s is damaged (%s): move it "
		    "aside and restart lathed to begin afresh, or restore a "
		    "backup", path, err);
	else if (rc == STORE_NEWER)
		*cause = xasprintf("%s: %s", path, err);
	else
		*cause = xasprintf("cannot open the database %s: %s", path,
		    err);
	free(err);
out:
	store_close(st);
	return rc;
}

void
store_close(struct store *st)
{
	size_t	i;

	if (st == NULL)
		return;
	for (i = 0; i < STORE_CACHE_SIZE; i++)
		sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int
store_schema_version(struct store *st)
{
	return st->version;
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql, char **cause)
{
	size_t		 h = ((uintptr_t)sql >> 3) & (STORE_CACHE_SIZE - 1);
	size_t		 i;
	sqlite3_stmt	*stmt;

	for (i = 0; i < STORE_CACHE_SIZE; i++) {
		size_t	j = (h + i) & (STORE_CACHE_SIZE - 1);

		if (st->cache[j].sql == sql) {
			stmt = st->cache[j].stmt;
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return stmt;
		}
		if (st->cache[j].sql == NULL) {
			if (sqlite3_prepare_v3(st->db, sql, -1,
			    SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
			    SQLITE_OK) {
				store_cause(st, "preparing a query", cause);
				return NULL;
			}
			st->cache[j].sql = sql;
			st->cache[j].stmt = stmt;
			return stmt;
		}
	}
	*cause = xstrdup("store: the statement cache is full");
	return NULL;
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql, char **cause)
{
	sqlite3_stmt	*stmt;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_cause(st, "preparing a query", cause);
		return NULL;
	}
	return stmt;
}

int
store_begin(struct store *st, char **cause)
{
	return store_exec(st, "BEGIN IMMEDIATE", cause) == 0 ? 0 : -1;
}

int
store_commit(struct store *st, char **cause)
{
	if (store_exec(st, "COMMIT", cause) != 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

void
store_done(sqlite3_stmt *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

int
store_unique(sqlite3_stmt *stmt)
{
	int	code = sqlite3_extended_errcode(sqlite3_db_handle(stmt));

	return code == SQLITE_CONSTRAINT_UNIQUE ||
	    code == SQLITE_CONSTRAINT_PRIMARYKEY;
}

int
store_is_id(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
	}
	return 1;
}

char *
store_column_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char	*s = sqlite3_column_text(stmt, i);

	return xstrdup(s != NULL ? (const char *)s : "");
}
