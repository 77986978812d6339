/*
 * The store's queries for API keys.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "store.h"
#include "xmalloc.h"

#define KEY_COLUMNS \
	"id, prefix, name, hash, created_ms, last_used_ms, revoked_ms"

static void
store_key_row(sqlite3_stmt *stmt, struct apikey *k)
{
	const void	*hash = sqlite3_column_blob(stmt, 3);

	memset(k, 0, sizeof *k);
	k->id = sqlite3_column_int64(stmt, 0);
	k->prefix = store_column_text(stmt, 1);
	k->name = store_column_text(stmt, 2);
	if (hash != NULL && sqlite3_column_bytes(stmt, 3) == KEYS_HASH_LEN)
		memcpy(k->hash, hash, KEYS_HASH_LEN);
	k->created_ms = sqlite3_column_int64(stmt, 4);
	k->last_used_ms = sqlite3_column_int64(stmt, 5);
	k->revoked_ms = sqlite3_column_int64(stmt, 6);
}

int
store_key_insert(struct store *st, struct apikey *k, char **cause)
{
	static const char	*sql = "INSERT INTO api_keys (prefix, name, "
	    "hash, created_ms) VALUES (?, ?, ?, ?)";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	k->created_ms = store_now_ms();
	sqlite3_bind_text(stmt, 1, k->prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, k->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(stmt, 3, k->hash, KEYS_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, k->created_ms);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		store_cause(st, "adding the key", cause);
		goto out;
	}
	k->id = sqlite3_last_insert_rowid(sqlite3_db_handle(stmt));
	rc = 0;
out:
	store_done(stmt);
	return rc;
}

int
store_key_list(struct store *st, struct apikey **out, size_t *n,
    char **cause)
{
	static const char	*sql = "SELECT " KEY_COLUMNS
	    " FROM api_keys ORDER BY id";
	sqlite3_stmt		*stmt;
	struct apikey		*list = NULL;
	size_t			 count = 0, cap = 0;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			list = xrealloc(list, cap * sizeof *list);
		}
		store_key_row(stmt, &list[count++]);
	}
	if (code != SQLITE_DONE) {
		store_cause(st, "listing keys", cause);
		apikeys_free(list, count);
		goto out;
	}
	*out = list;
	*n = count;
	rc = 0;
out:
	sqlite3_reset(stmt);
	return rc;
}

int
store_key_by_prefix(struct store *st, const char *prefix, struct apikey *out,
    char **cause)
{
	static const char	*sql = "SELECT " KEY_COLUMNS
	    " FROM api_keys WHERE prefix = ?";
	sqlite3_stmt		*stmt;
	int			 code, rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, prefix, -1, SQLITE_STATIC);
	code = sqlite3_step(stmt);
	if (code == SQLITE_ROW) {
		store_key_row(stmt, out);
		rc = 0;
	} else if (code == SQLITE_DONE) {
		*cause = xasprintf("no key %s", prefix);
		rc = STORE_NOTFOUND;
	} else
		store_cause(st, "reading the key", cause);
	store_done(stmt);
	return rc;
}

int
store_key_revoke(struct store *st, int64_t id, char **cause)
{
	static const char	*sql = "UPDATE api_keys SET revoked_ms = ? "
	    "WHERE id = ? AND revoked_ms IS NULL";
	static const char	*exists = "SELECT 1 FROM api_keys WHERE id = ?";
	sqlite3_stmt		*stmt;
	int			 rc = -1;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, store_now_ms());
	sqlite3_bind_int64(stmt, 2, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		store_cause(st, "revoking the key", cause);
		sqlite3_reset(stmt);
		return -1;
	}
	sqlite3_reset(stmt);
	if (sqlite3_changes(sqlite3_db_handle(stmt)) > 0)
		return 0;
	if ((stmt = store_stmt(st, exists, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		/* Revoking twice is not an error: the key is revoked. */
		rc = 0;
	} else {
		*cause = xasprintf("no key with id %lld", (long long)id);
		rc = STORE_NOTFOUND;
	}
	sqlite3_reset(stmt);
	return rc;
}

int
store_key_touch(struct store *st, int64_t id, int64_t when_ms, char **cause)
{
	static const char	*sql = "UPDATE api_keys SET last_used_ms = ? "
	    "WHERE id = ?";
	sqlite3_stmt		*stmt;
	int			 rc = 0;

	if ((stmt = store_stmt(st, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, when_ms);
	sqlite3_bind_int64(stmt, 2, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		store_cause(st, "recording the key's use", cause);
		rc = -1;
	}
	sqlite3_reset(stmt);
	return rc;
}
