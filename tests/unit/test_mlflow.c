/*
 * Unit tests of MLflow tracking below the API: the validation rules and
 * their messages, path normalisation as Python's, ids, file URIs, the JSON
 * forms (NaN, infinities, exact doubles and int64), the experiment search
 * compiler, and the store's queries on a real sqlite file (latest metrics,
 * param immutability, all-or-nothing batches, repeats, history pages,
 * lifecycles, inputs, models, experiment and run search).
 */
#include "config.h"

#include <math.h>
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

#include "json.h"
#include "mlflow.h"
#include "mlflow_expsearch.h"
#include "mlflow_search.h"
#include "store.h"
#include "xmalloc.h"

#define ROOT	"file:///state/mlflow-artifacts"

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

	strcpy(f->dir, "/tmp/lathe-test-mlflow-XXXXXX");
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

/*
 * Check that rc is an error whose cause contains part, and free it. The
 * cause is read through its address: the call setting it may be rc.
 */
static void
assert_cause(int rc, int want, char **cause, const char *part)
{
	assert_int_equal(rc, want);
	assert_non_null(*cause);
	if (strstr(*cause, part) == NULL)
		fail_msg("'%s' lacks '%s'", *cause, part);
	free(*cause);
	*cause = NULL;
}

static void
test_normpath(void **state)
{
	/* Expected values are Python's posixpath.normpath. */
	static const char *cases[][2] = {
		{ "", "." }, { "a//b", "a/b" }, { "a/./b", "a/b" },
		{ "a/../b", "b" }, { "../a", "../a" }, { "/../a", "/a" },
		{ "//a", "//a" }, { "///a", "/a" }, { "a/", "a" },
		{ "a/b/../..", "." }, { "a/../../b", "../b" }, { ".", "." },
		{ "./a", "a" }, { "a/b/../../..", ".." }, { "//a/../..", "//" },
		{ "x/..", "." }, { "a b/c", "a b/c" },
	};
	size_t	 i;
	char	*n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = mlflow_normpath(cases[i][0]);
		if (strcmp(n, cases[i][1]) != 0)
			fail_msg("normpath('%s') = '%s', wanted '%s'",
			    cases[i][0], n, cases[i][1]);
		free(n);
	}
}

static void
test_keys(void **state)
{
	static const char *good[] = { "loss", "val/loss", "a.b-c d_e",
	    "\xc3\xa9t\xc3\xa9", "mlflow.runName", "0" };
	static const char *bad_chars[] = { "a:b", "a*b", "q?", "tab\there",
	    "semi;colon" };
	static const char *bad_paths[] = { "", ".", "..", "/abs", "a//b",
	    "a/", "./a", "a/../b", "../up" };
	char	*cause = NULL;
	size_t	 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (mlflow_check_key("metric", good[i], &cause) != 0)
			fail_msg("'%s' refused: %s", good[i], cause);
	}
	for (i = 0; i < sizeof bad_chars / sizeof bad_chars[0]; i++)
		assert_cause(mlflow_check_key("parameter", bad_chars[i],
		    &cause), -1, &cause, "Invalid parameter name");
	for (i = 0; i < sizeof bad_paths / sizeof bad_paths[0]; i++)
		assert_cause(mlflow_check_key("tag", bad_paths[i], &cause), -1,
		    &cause, "must not resolve to other names");
	assert_cause(mlflow_check_key("metric", "a/../b", &cause), -1, &cause,
	    "Invalid metric name: 'a/../b'. Names may be treated as files in "
	    "certain cases, and must not resolve to other names when treated "
	    "as such. This name would resolve to 'b'");
	assert_cause(mlflow_check_key("metric", "x!", &cause), -1, &cause,
	    "Names may only contain alphanumerics, underscores (_), dashes "
	    "(-), periods (.), spaces ( ), and slashes (/).");
}

static void
test_lengths(void **state)
{
	struct mlflow_tag	 t;
	struct mlflow_metric	 m;
	char			*cause = NULL, *s;

	/* Characters count, not bytes: 250 two-byte characters pass. */
	s = xcalloc(1, 501);
	for (int i = 0; i < 250; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);
	assert_int_equal(mlflow_chars(s), 250);
	t.key = s;
	t.value = "v";
	assert_int_equal(mlflow_check_param(&t, &cause), 0);
	t.key = "k";
	t.value = xcalloc(1, 6002);
	memset(t.value, 'v', 6001);
	assert_cause(mlflow_check_param(&t, &cause), -1, &cause,
	    "had length 6001, which exceeded length limit of 6000");
	t.value[6000] = '\0';
	assert_int_equal(mlflow_check_param(&t, &cause), 0);
	assert_cause(mlflow_check_tag(&t, &cause), -1, &cause,
	    "Tag value 'vvv");
	free(t.value);
	free(s);

	memset(&m, 0, sizeof m);
	m.key = "loss";
	m.value = NAN;
	m.timestamp = -1;
	assert_cause(mlflow_check_metric(&m, &cause), -1, &cause,
	    "Got invalid timestamp -1 for metric 'loss' (value=nan)");
	m.value = 2;
	assert_cause(mlflow_check_metric(&m, &cause), -1, &cause,
	    "(value=2.0)");
	m.timestamp = 0;
	assert_int_equal(mlflow_check_metric(&m, &cause), 0);

	assert_cause(mlflow_check_experiment_name("", &cause), -1, &cause,
	    "Invalid experiment name: ''");
	assert_int_equal(mlflow_check_batch(1000, 0, 0, &cause), 0);
	assert_int_equal(mlflow_check_batch(800, 100, 100, &cause), 0);
	assert_cause(mlflow_check_batch(1001, 0, 0, &cause), -1, &cause,
	    "at most 1000 metrics. Got 1001 metrics.");
	assert_cause(mlflow_check_batch(0, 101, 0, &cause), -1, &cause,
	    "at most 100 params");
	assert_cause(mlflow_check_batch(0, 0, 101, &cause), -1, &cause,
	    "at most 100 tags");
	assert_cause(mlflow_check_batch(801, 100, 100, &cause), -1, &cause,
	    "at most 1000 metrics, params, and tags. Got 1001 metrics, "
	    "params, and tags.");
}

static void
test_enums_ids_uris(void **state)
{
	char	 id[33], id2[33], *s;

	assert_int_equal(mlflow_status_parse("RUNNING"), 1);
	assert_int_equal(mlflow_status_parse("KILLED"), 5);
	assert_int_equal(mlflow_status_parse("3"), 3);
	assert_int_equal(mlflow_status_parse("running"), -1);
	assert_int_equal(mlflow_status_parse("6"), -1);
	assert_string_equal(mlflow_status_name(4), "FAILED");
	assert_null(mlflow_status_name(0));
	assert_int_equal(mlflow_view_parse("ALL"), MLFLOW_ALL);
	assert_int_equal(mlflow_view_parse("DELETED_ONLY"),
	    MLFLOW_DELETED_ONLY);
	assert_int_equal(mlflow_view_parse("NONE"), -1);

	mlflow_run_id_new(id);
	mlflow_run_id_new(id2);
	assert_true(mlflow_is_run_id(id));
	assert_string_not_equal(id, id2);
	assert_int_equal(id[12], '4');
	assert_non_null(strchr("89ab", id[16]));
	assert_false(mlflow_is_run_id("ABCDEF0123456789abcdef0123456789"));
	assert_false(mlflow_is_run_id("abc"));

	s = mlflow_run_name_new();
	assert_true(strchr(s, '-') != NULL && strrchr(s, '-') != strchr(s,
	    '-'));
	free(s);

	s = mlflow_file_uri("/home/a b/st\xc3\xa4te/x~y_z.q-1");
	assert_string_equal(s, "file:///home/a%20b/st%C3%A4te/x~y_z.q-1");
	free(s);
	s = mlflow_uri_path("file:///home/a%20b/x");
	assert_string_equal(s, "/home/a b/x");
	free(s);
	s = mlflow_uri_path("file:/tmp/x");
	assert_string_equal(s, "/tmp/x");
	free(s);
	s = mlflow_uri_path("file://localhost/tmp/x");
	assert_string_equal(s, "/tmp/x");
	free(s);
	s = mlflow_uri_path("/plain/path");
	assert_string_equal(s, "/plain/path");
	free(s);
	assert_null(mlflow_uri_path("file://otherhost/tmp/x"));
	assert_null(mlflow_uri_path("s3://bucket/x"));
	assert_null(mlflow_uri_path("file:///a%00b"));
	assert_null(mlflow_uri_path("relative/x"));
}

static char *
metric_json(double v, int64_t step)
{
	struct mlflow_metric	 m = { "k", v, 1700000000123LL, step };
	cJSON			*o = mlflow_metric_to_json(&m);
	char			*s = json_print(o);

	cJSON_Delete(o);
	return s;
}

static void
test_json(void **state)
{
	char	*s;

	s = metric_json(NAN, 0);
	assert_string_equal(s, "{\"key\":\"k\",\"value\":\"NaN\","
	    "\"timestamp\":1700000000123,\"step\":0}");
	free(s);
	s = metric_json(INFINITY, -3);
	assert_non_null(strstr(s, "\"value\":\"Infinity\""));
	assert_non_null(strstr(s, "\"step\":-3"));
	free(s);
	s = metric_json(0.1 + 0.2, 9007199254740993LL);
	assert_non_null(strstr(s, "\"value\":0.30000000000000004"));
	assert_non_null(strstr(s, "\"step\":9007199254740993"));
	free(s);
	s = metric_json(MLFLOW_INF_STORED, 0);
	assert_non_null(strstr(s, "\"value\":1.7976931348623157e+308"));
	free(s);
	s = metric_json(0.5, 0);
	assert_non_null(strstr(s, "\"value\":0.5,"));
	free(s);
}

static void
test_expsearch(void **state)
{
	struct mlflow_expsearch	 q;
	const char		*order[] = { "name DESC", "attribute.creation_time" };
	const char		*bad_order[] = { "tags.team" };
	char			*cause = NULL;

	assert_int_equal(mlflow_expsearch_compile(NULL, NULL, 0, &q, &cause),
	    0);
	assert_string_equal(q.where, "1");
	assert_string_equal(q.order, "e.creation_time DESC, "
	    "e.experiment_id ASC");
	mlflow_expsearch_done(&q);

	assert_int_equal(mlflow_expsearch_compile("name LIKE 'a_b%' and "
	    "tags.\"my key\" ILIKE \"X\" AND creation_time >= 5", order, 2, &q,
	    &cause), 0);
	assert_string_equal(q.where, "e.name GLOB ? AND EXISTS (SELECT 1 "
	    "FROM experiment_tags t WHERE t.experiment_id = e.experiment_id "
	    "AND t.key = ? AND t.value LIKE ?) AND e.creation_time >= ?");
	assert_string_equal(q.order, "e.name DESC, e.creation_time ASC, "
	    "e.experiment_id DESC");
	assert_int_equal(q.nbinds, 4);
	assert_string_equal(q.binds[0].text, "a?b*");
	assert_string_equal(q.binds[1].text, "my key");
	assert_string_equal(q.binds[2].text, "X");
	assert_false(q.binds[3].is_text);
	assert_int_equal(q.binds[3].integer, 5);
	mlflow_expsearch_done(&q);

	/* Values never reach the SQL text. */
	assert_int_equal(mlflow_expsearch_compile("name = 'x'' OR 1=1 --'",
	    NULL, 0, &q, &cause), 0);
	assert_string_equal(q.where, "e.name = ?");
	assert_string_equal(q.binds[0].text, "x' OR 1=1 --");
	mlflow_expsearch_done(&q);
	assert_int_equal(mlflow_expsearch_compile("name LIKE '[*?]'", NULL, 0,
	    &q, &cause), 0);
	assert_string_equal(q.binds[0].text, "[[][*][?]]");
	mlflow_expsearch_done(&q);

	assert_cause(mlflow_expsearch_compile("name", NULL, 0, &q, &cause),
	    -1, &cause, "Could not be parsed");
	assert_cause(mlflow_expsearch_compile("name = 'a' OR name = 'b'",
	    NULL, 0, &q, &cause), -1, &cause, "only comparisons joined by AND");
	assert_cause(mlflow_expsearch_compile("size = 1", NULL, 0, &q,
	    &cause), -1, &cause, "Invalid attribute key 'size'");
	assert_cause(mlflow_expsearch_compile("metrics.x = 1", NULL, 0, &q,
	    &cause), -1, &cause, "Invalid entity type 'metrics'");
	assert_cause(mlflow_expsearch_compile("name < 'a'", NULL, 0, &q,
	    &cause), -1, &cause, "Invalid comparator '<'");
	assert_cause(mlflow_expsearch_compile("last_update_time LIKE 1",
	    NULL, 0, &q, &cause), -1, &cause, "Invalid comparator 'LIKE'");
	assert_cause(mlflow_expsearch_compile("creation_time = 'x'", NULL, 0,
	    &q, &cause), -1, &cause, "Expected numeric value");
	assert_cause(mlflow_expsearch_compile("name = unquoted", NULL, 0, &q,
	    &cause), -1, &cause, "Expected a quoted string value");
	assert_cause(mlflow_expsearch_compile("name = 'open", NULL, 0, &q,
	    &cause), -1, &cause, "Could not be parsed");
	assert_cause(mlflow_expsearch_compile(NULL, bad_order, 1, &q, &cause),
	    -1, &cause, "Invalid order_by entity: tag");
}

static int64_t
make_experiment(struct store *st, const char *name)
{
	char	*cause = NULL;
	int64_t	 id;

	if (store_mlflow_experiment_create(st, name, NULL, NULL, 0, &id,
	    &cause) != 0)
		fail_msg("%s", cause);
	return id;
}

static void
make_run(struct store *st, int64_t exp, const char *name, int64_t start,
    char id[33])
{
	struct mlflow_run_info	 info;
	char			*cause = NULL;

	memset(&info, 0, sizeof info);
	info.experiment_id = exp;
	info.run_name = name != NULL ? xstrdup(name) : NULL;
	info.start_time = start;
	if (store_mlflow_run_create(st, ROOT, &info, NULL, 0, &cause) != 0)
		fail_msg("%s", cause);
	memcpy(id, info.run_uuid, 33);
	mlflow_run_info_done(&info);
}

static void
log_metric(struct store *st, const char *run, const char *key, double v,
    int64_t ts, int64_t step)
{
	struct mlflow_metric	 m = { (char *)key, v, ts, step };
	char			*cause = NULL;

	if (store_mlflow_log(st, run, &m, 1, NULL, 0, NULL, 0, 0,
	    &cause) != 0)
		fail_msg("%s", cause);
}

/* The latest value of key on run, as "value@timestamp/step". */
static char *
latest(struct store *st, const char *run, const char *key)
{
	struct mlflow_run	*r = NULL;
	char			*cause = NULL, *s = NULL;
	size_t			 i;

	assert_int_equal(store_mlflow_run_get(st, run, &r, &cause), 0);
	for (i = 0; i < r->nmetrics; i++) {
		if (strcmp(r->metrics[i].key, key) == 0)
			s = xasprintf("%g@%lld/%lld", r->metrics[i].value,
			    (long long)r->metrics[i].timestamp,
			    (long long)r->metrics[i].step);
	}
	mlflow_run_free(r);
	return s != NULL ? s : xstrdup("none");
}

#define assert_latest(st, run, key, want) do {				\
	char *got_ = latest(st, run, key);				\
	if (strcmp(got_, want) != 0)					\
		fail_msg("latest %s = %s, wanted %s", key, got_, want);	\
	free(got_);							\
} while (0)

static void
test_experiments(void **state)
{
	struct fixture			 *f = *state;
	struct mlflow_experiment	 *e = NULL, **list = NULL;
	struct mlflow_expsearch		  q;
	struct mlflow_tag		  tag = { "team", "nlp" };
	char				 *cause = NULL, run[33];
	size_t				  n;
	int64_t				  id;
	int				  more;

	assert_int_equal(store_mlflow_experiment_get(f->st, ROOT, 0, &e,
	    &cause), 0);
	assert_string_equal(e->name, "Default");
	assert_string_equal(e->artifact_location, ROOT "/0");
	assert_string_equal(e->lifecycle_stage, "active");
	assert_true(e->creation_time > 1600000000000LL);
	mlflow_experiment_free(e);

	id = make_experiment(f->st, "alpha");
	assert_int_equal(id, 1);
	assert_cause(store_mlflow_experiment_create(f->st, "alpha", NULL, NULL,
	    0, &id, &cause), STORE_EXISTS, &cause,
	    "Experiment(name=alpha) already exists.");
	assert_int_equal(store_mlflow_experiment_create(f->st, "own",
	    "s3://bucket/own", &tag, 1, &id, &cause), 0);
	assert_int_equal(store_mlflow_experiment_by_name(f->st, ROOT, "own",
	    &e, &cause), 0);
	assert_string_equal(e->artifact_location, "s3://bucket/own");
	assert_int_equal(e->ntags, 1);
	assert_string_equal(e->tags[0].value, "nlp");
	mlflow_experiment_free(e);
	assert_cause(store_mlflow_experiment_get(f->st, ROOT, 77, &e, &cause),
	    STORE_NOTFOUND, &cause, "No Experiment with id=77 exists");

	/* Deleting takes the runs with it; restoring brings them back. */
	make_run(f->st, 1, "r", 10, run);
	assert_int_equal(store_mlflow_experiment_delete(f->st, 1, &cause), 0);
	assert_cause(store_mlflow_experiment_delete(f->st, 1, &cause),
	    STORE_NOTFOUND, &cause, "No Experiment with id=1 exists");
	assert_cause(store_mlflow_log(f->st, run, NULL, 0, NULL, 0, &tag, 1, 0,
	    &cause), STORE_MLFLOW_INACTIVE, &cause,
	    "must be in the 'active' state. Current state is deleted.");
	assert_cause(store_mlflow_experiment_rename(f->st, 1, "x", &cause),
	    STORE_MLFLOW_INACTIVE, &cause, "Cannot rename a non-active");
	assert_cause(store_mlflow_experiment_tag_set(f->st, 1, &tag, &cause),
	    STORE_MLFLOW_INACTIVE, &cause, "The experiment 1 must be in the "
	    "'active' state. Current state is deleted.");
	assert_int_equal(store_mlflow_experiment_restore(f->st, 1, &cause), 0);
	assert_int_equal(store_mlflow_log(f->st, run, NULL, 0, NULL, 0, &tag,
	    1, 0, &cause), 0);
	assert_cause(store_mlflow_experiment_rename(f->st, 1, "own", &cause),
	    STORE_EXISTS, &cause, "already exists");
	assert_int_equal(store_mlflow_experiment_rename(f->st, 1, "beta",
	    &cause), 0);
	assert_int_equal(store_mlflow_experiment_tag_set(f->st, 1, &tag,
	    &cause), 0);
	assert_int_equal(store_mlflow_experiment_tag_delete(f->st, 1, "team",
	    &cause), 0);
	assert_cause(store_mlflow_experiment_tag_delete(f->st, 1, "team",
	    &cause), STORE_NOTFOUND, &cause, "No tag with name: team in "
	    "experiment with id 1");

	/* Search: tags, order, pages. */
	assert_int_equal(mlflow_expsearch_compile("tags.team = 'nlp'", NULL,
	    0, &q, &cause), 0);
	assert_int_equal(store_mlflow_experiment_search(f->st, ROOT,
	    MLFLOW_ACTIVE_ONLY, &q, 0, 10, &list, &n, &more, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0]->name, "own");
	mlflow_experiments_free(list, n);
	mlflow_expsearch_done(&q);
	{
		const char	*order[] = { "name" };

		assert_int_equal(mlflow_expsearch_compile(NULL, order, 1, &q,
		    &cause), 0);
	}
	assert_int_equal(store_mlflow_experiment_search(f->st, ROOT,
	    MLFLOW_ALL, &q, 1, 1, &list, &n, &more, &cause), 0);
	assert_int_equal(n, 1);
	assert_true(more);
	assert_string_equal(list[0]->name, "beta");
	mlflow_experiments_free(list, n);
	assert_int_equal(store_mlflow_experiment_search(f->st, ROOT,
	    MLFLOW_ALL, &q, 2, 5, &list, &n, &more, &cause), 0);
	assert_int_equal(n, 1);
	assert_false(more);
	assert_string_equal(list[0]->name, "own");
	mlflow_experiments_free(list, n);
	mlflow_expsearch_done(&q);
}

static void
test_runs(void **state)
{
	struct fixture		*f = *state;
	struct mlflow_run	*r = NULL;
	struct mlflow_run_info	 info;
	struct mlflow_tag	 tags[2] = { { "mlflow.runName", "named" },
				    { "k", "v" } };
	char			*cause = NULL, run[33];

	memset(&info, 0, sizeof info);
	info.experiment_id = 0;
	info.start_time = 42;
	assert_int_equal(store_mlflow_run_create(f->st, ROOT, &info, tags, 2,
	    &cause), 0);
	memcpy(run, info.run_uuid, 33);
	assert_true(mlflow_is_run_id(run));
	/* With no run_name, the mlflow.runName tag names the run. */
	assert_string_equal(info.run_name, "named");
	assert_string_equal(info.status, "RUNNING");
	assert_false(info.has_end_time);
	assert_true(strncmp(info.artifact_uri, ROOT "/0/", strlen(ROOT) + 3)
	    == 0);
	mlflow_run_info_done(&info);

	assert_int_equal(store_mlflow_run_update(f->st, run, 3, 1, 99,
	    "renamed", &info, &cause), 0);
	assert_string_equal(info.status, "FINISHED");
	assert_true(info.has_end_time);
	assert_int_equal(info.end_time, 99);
	assert_string_equal(info.run_name, "renamed");
	mlflow_run_info_done(&info);
	assert_int_equal(store_mlflow_run_get(f->st, run, &r, &cause), 0);
	assert_int_equal(r->ntags, 2);
	assert_string_equal(r->tags[0].key, "k");
	assert_string_equal(r->tags[1].value, "renamed");
	assert_int_equal(r->info.start_time, 42);
	mlflow_run_free(r);

	assert_int_equal(store_mlflow_run_delete(f->st, run, &cause), 0);
	assert_cause(store_mlflow_run_update(f->st, run, 4, 0, 0, NULL, &info,
	    &cause), STORE_MLFLOW_INACTIVE, &cause, "The run ");
	assert_cause(store_mlflow_tag_delete(f->st, run, "k", &cause),
	    STORE_MLFLOW_INACTIVE, &cause, "Current state is deleted.");
	assert_int_equal(store_mlflow_run_restore(f->st, run, &cause), 0);
	assert_int_equal(store_mlflow_tag_delete(f->st, run, "k", &cause), 0);
	assert_cause(store_mlflow_tag_delete(f->st, run, "k", &cause),
	    STORE_NOTFOUND, &cause, "No tag with name: k in run with id");
	assert_cause(store_mlflow_run_get(f->st,
	    "0123456789abcdef0123456789abcdef", &r, &cause), STORE_NOTFOUND,
	    &cause, "Run with id=0123456789abcdef0123456789abcdef not found");
	assert_cause(store_mlflow_run_delete(f->st, "nope", &cause),
	    STORE_NOTFOUND, &cause, "Run with id=nope not found");
	memset(&info, 0, sizeof info);
	info.experiment_id = 5;
	assert_cause(store_mlflow_run_create(f->st, ROOT, &info, NULL, 0,
	    &cause), STORE_NOTFOUND, &cause, "No Experiment with id=5 exists");
	mlflow_run_info_done(&info);
}

static void
test_latest_metrics(void **state)
{
	struct fixture	*f = *state;
	char		 run[33];

	make_run(f->st, 0, "m", 1, run);
	log_metric(f->st, run, "loss", 0.9, 100, 1);
	assert_latest(f->st, run, "loss", "0.9@100/1");
	log_metric(f->st, run, "loss", 0.5, 50, 2);
	assert_latest(f->st, run, "loss", "0.5@50/2");
	log_metric(f->st, run, "loss", 0.1, 500, 1);
	assert_latest(f->st, run, "loss", "0.5@50/2");
	log_metric(f->st, run, "loss", 0.6, 60, 2);
	assert_latest(f->st, run, "loss", "0.6@60/2");
	log_metric(f->st, run, "loss", 0.7, 60, 2);
	assert_latest(f->st, run, "loss", "0.7@60/2");
	log_metric(f->st, run, "loss", 0.65, 60, 2);
	assert_latest(f->st, run, "loss", "0.7@60/2");
	/* NaN counts as 0 against the latest value; then 1 beats it. */
	log_metric(f->st, run, "n", -1, 1, 0);
	log_metric(f->st, run, "n", NAN, 1, 0);
	assert_latest(f->st, run, "n", "nan@1/0");
	log_metric(f->st, run, "n", 1, 1, 0);
	assert_latest(f->st, run, "n", "1@1/0");
	log_metric(f->st, run, "i", INFINITY, 1, 0);
	assert_latest(f->st, run, "i", "1.79769e+308@1/0");
	log_metric(f->st, run, "i", -INFINITY, 2, 0);
	assert_latest(f->st, run, "i", "-1.79769e+308@2/0");
}

static void
test_params_and_batches(void **state)
{
	struct fixture		*f = *state;
	struct mlflow_tag	 p1 = { "lr", "0.1" }, p2 = { "lr", "0.2" };
	struct mlflow_tag	 ps[2] = { { "a", "1" }, { "lr", "0.3" } };
	struct mlflow_metric	 ms[3] = { { "m", 1, 5, 0 }, { "m", 1, 5, 0 },
				    { "m", 2, 6, 1 } };
	struct mlflow_metric	*hist = NULL;
	struct mlflow_cursor	 last;
	struct mlflow_run	*r = NULL;
	char			*cause = NULL, run[33], *want;
	size_t			 n;
	int			 more;

	make_run(f->st, 0, "p", 1, run);
	assert_int_equal(store_mlflow_log(f->st, run, NULL, 0, &p1, 1, NULL, 0,
	    0, &cause), 0);
	assert_int_equal(store_mlflow_log(f->st, run, NULL, 0, &p1, 1, NULL, 0,
	    0, &cause), 0);
	want = xasprintf("Changing param values is not allowed. Param with "
	    "key='lr' was already logged with value='0.1' for run ID='%s'. "
	    "Attempted logging new value '0.2'.", run);
	assert_cause(store_mlflow_log(f->st, run, NULL, 0, &p2, 1, NULL, 0, 0,
	    &cause), STORE_MLFLOW_CONFLICT, &cause, want);
	free(want);
	/* A batch with a conflict writes none of its metrics or params. */
	assert_cause(store_mlflow_log(f->st, run, ms, 3, ps, 2, NULL, 0, 1,
	    &cause), STORE_MLFLOW_CONFLICT, &cause, "Params were already "
	    "logged='[{'key': 'lr', 'old_value': '0.1', 'new_value': "
	    "'0.3'}]'");
	assert_int_equal(store_mlflow_run_get(f->st, run, &r, &cause), 0);
	assert_int_equal(r->nparams, 1);
	assert_int_equal(r->nmetrics, 0);
	mlflow_run_free(r);
	/* Without it, the batch lands; an exact repeat is kept once. */
	ps[1].value = "0.1";
	assert_int_equal(store_mlflow_log(f->st, run, ms, 3, ps, 2, NULL, 0, 1,
	    &cause), 0);
	assert_int_equal(store_mlflow_metric_history(f->st, run, "m", NULL,
	    SIZE_MAX, &hist, &n, &more, &last, &cause), 0);
	assert_int_equal(n, 2);
	assert_false(more);
	mlflow_metrics_free(hist, n);
	assert_cause(store_mlflow_metric_history(f->st,
	    "0123456789abcdef0123456789abcdef", "m", NULL, 10, &hist, &n,
	    &more, &last, &cause), STORE_NOTFOUND, &cause, "not found");
}

static void
test_history_pages(void **state)
{
	struct fixture		*f = *state;
	struct mlflow_metric	 ms[300], *page = NULL;
	struct mlflow_cursor	 last, at;
	char			*cause = NULL, run[33];
	size_t			 i, n, total = 0;
	int64_t			 prev = -1;
	int			 more = 1, pages = 0;

	make_run(f->st, 0, "h", 1, run);
	/* Steps out of order, and three points at each step. */
	for (i = 0; i < 300; i++) {
		ms[i].key = "h";
		ms[i].value = (double)i;
		ms[i].step = (int64_t)((i * 7) % 100);
		ms[i].timestamp = 1000 - (int64_t)(i % 3);
	}
	for (i = 0; i < 300; i += 100)
		assert_int_equal(store_mlflow_log(f->st, run, ms + i, 100, NULL,
		    0, NULL, 0, 1, &cause), 0);
	while (more) {
		assert_int_equal(store_mlflow_metric_history(f->st, run, "h",
		    pages > 0 ? &at : NULL, 64, &page, &n, &more, &last,
		    &cause), 0);
		for (i = 0; i < n; i++) {
			int64_t key = page[i].step * 10000 + page[i].timestamp;

			assert_true(key >= prev);
			prev = key;
		}
		total += n;
		at = last;
		pages++;
		mlflow_metrics_free(page, n);
		assert_true(pages < 10);
	}
	assert_int_equal(total, 300);
	assert_int_equal(pages, 5);
}

static void
test_inputs_and_models(void **state)
{
	struct fixture			*f = *state;
	struct mlflow_tag		 t = { "mlflow.data.context", "train" };
	struct mlflow_dataset_input	 in;
	struct mlflow_run		*r = NULL;
	cJSON				*model;
	char				*cause = NULL, run[33];

	make_run(f->st, 0, "i", 1, run);
	memset(&in, 0, sizeof in);
	in.name = "d";
	in.digest = "1";
	in.source_type = "local";
	in.source = "/x";
	in.tags = &t;
	in.ntags = 1;
	assert_int_equal(mlflow_check_input(&in, &cause), 0);
	assert_int_equal(store_mlflow_log_inputs(f->st, run, &in, 1, &cause),
	    0);
	assert_int_equal(store_mlflow_log_inputs(f->st, run, &in, 1, &cause),
	    0);
	model = cJSON_Parse("{\"artifact_path\": \"m\"}");
	assert_int_equal(store_mlflow_log_model(f->st, run, model, &cause), 0);
	assert_int_equal(store_mlflow_log_model(f->st, run, model, &cause), 0);
	cJSON_Delete(model);
	assert_int_equal(store_mlflow_run_get(f->st, run, &r, &cause), 0);
	assert_int_equal(r->ninputs, 1);
	assert_null(r->inputs[0].schema);
	assert_int_equal(r->inputs[0].ntags, 1);
	assert_string_equal(r->inputs[0].tags[0].value, "train");
	assert_string_equal(r->tags[0].key, MLFLOW_LOGGED_MODELS_TAG);
	assert_string_equal(r->tags[0].value,
	    "[{\"artifact_path\":\"m\"},{\"artifact_path\":\"m\"}]");
	mlflow_run_free(r);
	in.digest = "0123456789012345678901234567890123456";
	assert_cause(mlflow_check_input(&in, &cause), -1, &cause,
	    "Dataset digest exceeds the maximum length of 36");
	in.digest = NULL;
	assert_cause(mlflow_check_input(&in, &cause), -1, &cause,
	    "Dataset digest cannot be None");
}

static void
test_run_search(void **state)
{
	struct fixture		 *f = *state;
	struct mlflow_run	**runs = NULL;
	struct search_query	  q;
	const char		 *order[] = { "metrics.acc DESC" };
	char			 *cause = NULL, a[33], b[33], c[33];
	int64_t			  ids[2] = { 0, 1 };
	size_t			  n;
	int			  more;

	make_experiment(f->st, "other");
	make_run(f->st, 0, "a", 1, a);
	make_run(f->st, 0, "b", 2, b);
	make_run(f->st, 1, "c", 3, c);
	log_metric(f->st, a, "acc", 0.5, 1, 0);
	log_metric(f->st, b, "acc", 0.9, 1, 0);
	log_metric(f->st, c, "acc", 0.7, 1, 0);
	assert_int_equal(search_compile("metrics.acc > 0.6", order, 1, &q,
	    &cause), 0);
	assert_int_equal(store_mlflow_run_search(f->st, ids, 2,
	    MLFLOW_ACTIVE_ONLY, &q, 0, 10, &runs, &n, &more, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(runs[0]->info.run_name, "b");
	assert_string_equal(runs[1]->info.run_name, "c");
	assert_int_equal(runs[0]->nmetrics, 1);
	mlflow_runs_free(runs, n);
	assert_int_equal(store_mlflow_run_search(f->st, ids, 1,
	    MLFLOW_ACTIVE_ONLY, &q, 0, 1, &runs, &n, &more, &cause), 0);
	assert_int_equal(n, 1);
	assert_false(more);
	mlflow_runs_free(runs, n);
	assert_int_equal(store_mlflow_run_delete(f->st, b, &cause), 0);
	assert_int_equal(store_mlflow_run_search(f->st, ids, 2,
	    MLFLOW_DELETED_ONLY, &q, 0, 10, &runs, &n, &more, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(runs[0]->info.run_uuid, b);
	mlflow_runs_free(runs, n);
	assert_int_equal(store_mlflow_run_search(f->st, ids, 0,
	    MLFLOW_ALL, &q, 0, 10, &runs, &n, &more, &cause), 0);
	assert_int_equal(n, 0);
	search_query_done(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normpath),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_enums_ids_uris),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_expsearch),
		cmocka_unit_test_setup_teardown(test_experiments, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latest_metrics, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_params_and_batches, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_history_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_inputs_and_models, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_run_search, setup,
		    teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
