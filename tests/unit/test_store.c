/*
 * Unit tests of the store on a real sqlite file: migrations, damaged and
 * newer databases, every project, environment and key query, and key
 * verification.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "keys.h"
#include "project.h"
#include "valid.h"
#include "store.h"
#include "xmalloc.h"

struct fixture {
	char		 dir[64];
	char		*path;
	struct store	*st;
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	char		*cause = NULL;

	strcpy(f->dir, "/tmp/lathe-test-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->path = xasprintf("%s/lathe.db", f->dir);
	if (store_open(f->path, &f->st, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		*cmd = xasprintf("rm -rf '%s'", f->dir);

	store_close(f->st);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	free(f->path);
	free(f);
	return 0;
}

static struct project *
make_project(const char *name)
{
	struct project	*p = project_new();

	p->name = xstrdup(name);
	p->description = xasprintf("about %s", name);
	p->source_type = xstrdup("template");
	p->source = xstrdup("blank");
	p->path = xasprintf("/srv/%s", name);
	p->default_runtime = xstrdup("");
	p->default_profile = xstrdup("");
	return p;
}

static int64_t
add_project(struct store *st, const char *name)
{
	struct project	*p = make_project(name);
	char		*cause = NULL;
	int64_t		 id;

	assert_int_equal(store_project_insert(st, p, &cause), 0);
	id = p->id;
	project_free(p);
	return id;
}

static void
test_migrated(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(store_schema_version(f->st), store_schema_latest());
	assert_true(store_schema_latest() >= 1);
}

static void
test_reopen_keeps_data(void **state)
{
	struct fixture	*f = *state;
	struct project	*p = NULL;
	char		*cause = NULL;

	add_project(f->st, "kept");
	store_close(f->st);
	assert_int_equal(store_open(f->path, &f->st, &cause), 0);
	assert_int_equal(store_project_get(f->st, "kept", &p, &cause), 0);
	assert_string_equal(p->description, "about kept");
	project_free(p);
}

static void
test_newer_schema(void **state)
{
	struct fixture	*f = *state;
	struct store	*st = NULL;
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	char		*cause = NULL;

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, &st, &cause), STORE_NEWER);
	assert_null(st);
	assert_non_null(strstr(cause, "999"));
	assert_non_null(strstr(cause, "newer"));
	free(cause);
	/* Refusing must not have reset anything. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1,
	    &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), 999);
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_exec(db, "SELECT count(*) FROM projects",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_damaged(void **state)
{
	struct fixture	*f = *state;
	struct store	*st = NULL;
	char		*path = xasprintf("%s/garbage.db", f->dir);
	char		*cause = NULL;
	FILE		*fp;
	int		 i;

	fp = fopen(path, "w");
	assert_non_null(fp);
	for (i = 0; i < 4096; i++)
		fputc("not a database "[i % 15], fp);
	fclose(fp);
	assert_int_equal(store_open(path, &st, &cause), STORE_DAMAGED);
	assert_null(st);
	assert_non_null(strstr(cause, "damaged"));
	free(cause);
	free(path);
}

static void
test_project_insert_get(void **state)
{
	struct fixture	*f = *state;
	struct project	*p = make_project("churn"), *q = NULL;
	char		*cause = NULL, id[32];

	assert_int_equal(store_project_insert(f->st, p, &cause), 0);
	assert_true(p->id > 0);
	assert_true(p->created_ms > 0);
	assert_int_equal(store_project_get(f->st, "churn", &q, &cause), 0);
	assert_int_equal(q->id, p->id);
	assert_string_equal(q->path, "/srv/churn");
	project_free(q);
	/* By id, and by name whatever its case. */
	snprintf(id, sizeof id, "%lld", (long long)p->id);
	assert_int_equal(store_project_get(f->st, id, &q, &cause), 0);
	assert_string_equal(q->name, "churn");
	project_free(q);
	assert_int_equal(store_project_get(f->st, "CHURN", &q, &cause), 0);
	project_free(q);
	project_free(p);
}

static void
test_project_exists(void **state)
{
	struct fixture	*f = *state;
	struct project	*p = make_project("Churn");
	char		*cause = NULL;

	add_project(f->st, "churn");
	assert_int_equal(store_project_insert(f->st, p, &cause),
	    STORE_EXISTS);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
	project_free(p);
}

static void
test_project_not_found(void **state)
{
	struct fixture	*f = *state;
	struct project	*p = NULL;
	char		*cause = NULL;

	assert_int_equal(store_project_get(f->st, "nope", &p, &cause),
	    STORE_NOTFOUND);
	assert_null(p);
	assert_string_equal(cause, "no project named 'nope'");
	free(cause);
	assert_int_equal(store_project_get(f->st, "12345", &p, &cause),
	    STORE_NOTFOUND);
	assert_string_equal(cause, "no project with id '12345'");
	free(cause);
	assert_int_equal(store_project_delete(f->st, 999, &cause),
	    STORE_NOTFOUND);
	free(cause);
}

static void
test_project_list_pages(void **state)
{
	struct fixture	 *f = *state;
	struct project	**list;
	char		 *cause = NULL, name[16], *after = NULL;
	size_t		  n, total = 0;
	int		  i, more = 1, pages = 0;

	for (i = 24; i >= 0; i--) {
		snprintf(name, sizeof name, "p%02d", i);
		add_project(f->st, name);
	}
	while (more) {
		assert_int_equal(store_project_list(f->st, after, NULL, 10,
		    &list, &n, &more, &cause), 0);
		pages++;
		for (size_t k = 0; k < n; k++) {
			snprintf(name, sizeof name, "p%02zu", total + k);
			assert_string_equal(list[k]->name, name);
		}
		total += n;
		free(after);
		after = n > 0 ? xstrdup(list[n - 1]->name) : NULL;
		project_list_free(list, n);
	}
	free(after);
	assert_int_equal(total, 25);
	assert_int_equal(pages, 3);
}

static void
test_project_list_search(void **state)
{
	struct fixture	 *f = *state;
	struct project	**list;
	char		 *cause = NULL;
	size_t		  n;
	int		  more;

	add_project(f->st, "churn-model");
	add_project(f->st, "fraud");
	add_project(f->st, "Churn-2");
	assert_int_equal(store_project_list(f->st, NULL, "CHURN", 100, &list,
	    &n, &more, &cause), 0);
	assert_int_equal(n, 2);
	assert_false(more);
	project_list_free(list, n);
	/* The description is searched too. */
	assert_int_equal(store_project_list(f->st, NULL, "about fr", 100,
	    &list, &n, &more, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0]->name, "fraud");
	project_list_free(list, n);
}

static void
test_project_update(void **state)
{
	struct fixture	*f = *state;
	struct project	*p = NULL;
	char		*cause = NULL;

	add_project(f->st, "a");
	add_project(f->st, "b");
	assert_int_equal(store_project_get(f->st, "a", &p, &cause), 0);
	free(p->description);
	p->description = xstrdup("new words");
	assert_int_equal(store_project_update(f->st, p, &cause), 0);
	free(p->name);
	p->name = xstrdup("B");
	assert_int_equal(store_project_update(f->st, p, &cause),
	    STORE_EXISTS);
	free(cause);
	project_free(p);
	assert_int_equal(store_project_get(f->st, "a", &p, &cause), 0);
	assert_string_equal(p->description, "new words");
	project_free(p);
}

static void
test_project_count_and_paths(void **state)
{
	struct fixture	*f = *state;
	int64_t		 n = -1;
	char		*cause = NULL;

	add_project(f->st, "x");
	add_project(f->st, "y");
	assert_int_equal(store_project_count(f->st, &n, &cause), 0);
	assert_int_equal(n, 2);
}

static void
test_env(void **state)
{
	struct fixture	*f = *state;
	struct env_var	 v, *vars;
	char		*cause = NULL;
	size_t		 n;
	int64_t		 id = add_project(f->st, "envy");

	v.name = "B_VAR";
	v.value = "2";
	v.secret = 0;
	assert_int_equal(store_env_set(f->st, id, &v, &cause), 0);
	v.name = "A_TOKEN";
	v.value = "s3cret";
	v.secret = 1;
	assert_int_equal(store_env_set(f->st, id, &v, &cause), 0);
	v.name = "B_VAR";
	v.value = "3";
	v.secret = 0;
	assert_int_equal(store_env_set(f->st, id, &v, &cause), 0);
	assert_int_equal(store_env_list(f->st, id, &vars, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(vars[0].name, "A_TOKEN");
	assert_true(vars[0].secret);
	assert_string_equal(vars[1].value, "3");
	env_vars_free(vars, n);
	assert_int_equal(store_env_unset(f->st, id, "B_VAR", &cause), 0);
	assert_int_equal(store_env_unset(f->st, id, "B_VAR", &cause),
	    STORE_NOTFOUND);
	free(cause);
	/* Deleting the project takes its variables with it. */
	assert_int_equal(store_project_delete(f->st, id, &cause), 0);
	assert_int_equal(store_env_list(f->st, id, &vars, &n, &cause), 0);
	assert_int_equal(n, 0);
	env_vars_free(vars, n);
}

static void
test_keys(void **state)
{
	struct fixture	*f = *state;
	struct apikey	 k, *list;
	char		*cause = NULL, *key, *bad;
	int64_t		 id = 0, used = -1;
	size_t		 n;

	key = keys_generate("laptop", &k);
	assert_int_equal(strncmp(key, k.prefix, strlen(k.prefix)), 0);
	assert_int_equal(store_key_insert(f->st, &k, &cause), 0);
	assert_int_equal(keys_verify(f->st, key, &id, &used, &cause), 0);
	assert_int_equal(id, k.id);
	assert_int_equal(used, 0);
	assert_int_equal(store_key_touch(f->st, id, 1234, &cause), 0);
	assert_int_equal(keys_verify(f->st, key, &id, &used, &cause), 0);
	assert_int_equal(used, 1234);

	/* One changed character of the secret, or a bare prefix: refused. */
	bad = xstrdup(key);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(keys_verify(f->st, bad, &id, &used, &cause), -1);
	assert_string_equal(cause, "the API key is not valid");
	free(cause);
	assert_int_equal(keys_verify(f->st, k.prefix, &id, &used, &cause), -1);
	free(cause);
	assert_int_equal(keys_verify(f->st, "", &id, &used, &cause), -1);
	free(cause);

	/* Only the hash is stored. */
	assert_int_equal(store_key_list(f->st, &list, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(list[0].hash, k.hash, KEYS_HASH_LEN);
	apikeys_free(list, n);

	assert_int_equal(store_key_revoke(f->st, k.id, &cause), 0);
	assert_int_equal(store_key_revoke(f->st, k.id, &cause), 0);
	assert_int_equal(keys_verify(f->st, key, &id, &used, &cause), -1);
	assert_string_equal(cause, "the API key has been revoked");
	free(cause);
	assert_int_equal(store_key_revoke(f->st, 4242, &cause),
	    STORE_NOTFOUND);
	free(cause);
	free(bad);
	free(key);
	apikey_done(&k);
}

static void
test_validation(void **state)
{
	char	*cause = NULL;

	assert_int_equal(valid_project_name("churn-2024.v1_x", &cause), 0);
	assert_int_equal(valid_project_name("", &cause), -1);
	free(cause);
	assert_int_equal(valid_project_name("-x", &cause), -1);
	free(cause);
	assert_int_equal(valid_project_name("123", &cause), -1);
	assert_non_null(strstr(cause, "digits"));
	free(cause);
	assert_int_equal(valid_project_name("a b", &cause), -1);
	assert_non_null(strstr(cause, "' '"));
	free(cause);
	assert_int_equal(valid_project_name("caf\xc3\xa9", &cause), -1);
	assert_non_null(strstr(cause, "ASCII"));
	free(cause);
	assert_int_equal(valid_project_name("a\x1b[2J", &cause), -1);
	assert_non_null(strstr(cause, "control"));
	free(cause);
	assert_int_equal(valid_project_name(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    &cause), -1);
	free(cause);
	assert_int_equal(valid_env_name("DB_URL", &cause), 0);
	assert_int_equal(valid_env_name("1X", &cause), -1);
	free(cause);
	assert_int_equal(valid_env_name("LATHE_PROJECT", &cause), -1);
	free(cause);
	assert_int_equal(valid_description("two\nlines", &cause), 0);
	assert_int_equal(valid_description("bell\a", &cause), -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_project_insert_get, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_project_exists, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_project_not_found, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_project_list_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_project_list_search, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_project_update, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_project_count_and_paths,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test(test_validation),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
