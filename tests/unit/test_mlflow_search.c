/*
 * Unit tests of core/mlflow_search.c against a real in-memory sqlite
 * database with the MLflow schema and 20 runs (NaN and infinite metrics,
 * missing keys, keys with dots, spaces, quotes and backquotes, values in
 * mixed case and with LIKE and GLOB characters): a table of filters and
 * order_bys with the exact runs they return, in order; a table of bad
 * ones with the message and the offending token; injection attempts;
 * big filters and the limits; binding and cleanup. Each table row runs as
 * a test of its own.
 */
#include "config.h"

#include <float.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "buf.h"
#include "mlflow_search.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])
#define NORDER		3

/* Run n's id: 32 hex digits ending in n, which is two digits. */
#define U(n)		"5eed00000000000000000000000000" #n

/* The schema of the MLflow tables, as the store creates it. */
static const char schema[] =
	"CREATE TABLE experiments ("
	"  experiment_id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  artifact_location TEXT NOT NULL,"
	"  lifecycle_stage TEXT NOT NULL DEFAULT 'active',"
	"  creation_time INTEGER NOT NULL,"
	"  last_update_time INTEGER NOT NULL,"
	"  project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL);"
	"CREATE TABLE experiment_tags (experiment_id INTEGER NOT NULL"
	"  REFERENCES experiments ON DELETE CASCADE,"
	"  key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (experiment_id, key)) WITHOUT ROWID;"
	"CREATE TABLE mlflow_runs ("
	"  run_uuid TEXT PRIMARY KEY,"
	"  experiment_id INTEGER NOT NULL REFERENCES experiments,"
	"  run_name TEXT NOT NULL DEFAULT '',"
	"  user_id TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL,"
	"  start_time INTEGER, end_time INTEGER,"
	"  lifecycle_stage TEXT NOT NULL DEFAULT 'active',"
	"  artifact_uri TEXT NOT NULL,"
	"  deleted_time INTEGER,"
	"  job_run_id INTEGER);"
	"CREATE INDEX mlflow_runs_exp ON mlflow_runs"
	"  (experiment_id, start_time DESC, run_uuid);"
	"CREATE TABLE params (run_uuid TEXT NOT NULL REFERENCES mlflow_runs"
	"  ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (run_uuid, key)) WITHOUT ROWID;"
	"CREATE TABLE tags (run_uuid TEXT NOT NULL REFERENCES mlflow_runs"
	"  ON DELETE CASCADE, key TEXT NOT NULL, value TEXT NOT NULL,"
	"  PRIMARY KEY (run_uuid, key)) WITHOUT ROWID;"
	"CREATE TABLE metrics (run_uuid TEXT NOT NULL, key TEXT NOT NULL,"
	"  value REAL, timestamp INTEGER NOT NULL,"
	"  step INTEGER NOT NULL DEFAULT 0,"
	"  is_nan INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX metrics_history ON metrics"
	"  (run_uuid, key, step, timestamp);"
	"CREATE TABLE latest_metrics (run_uuid TEXT NOT NULL"
	"  REFERENCES mlflow_runs ON DELETE CASCADE,"
	"  key TEXT NOT NULL, value REAL, timestamp INTEGER NOT NULL,"
	"  step INTEGER NOT NULL, is_nan INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (run_uuid, key)) WITHOUT ROWID;"
	"CREATE INDEX latest_metrics_key ON latest_metrics (key, value);"
	"CREATE INDEX params_key ON params (key, value);"
	"CREATE INDEX tags_key ON tags (key, value);"
	"INSERT INTO experiments VALUES (0, 'Default', 'mlflow-artifacts:/0',"
	"  'active', 0, 0, NULL);"
	"INSERT INTO experiments VALUES (1, 'search', 'mlflow-artifacts:/1',"
	"  'active', 0, 0, NULL);"
	"INSERT INTO experiments VALUES (2, 'other', 'mlflow-artifacts:/2',"
	"  'active', 0, 0, NULL);";

/* latest_metrics from the history: the latest step, then timestamp. */
static const char latest[] =
	"INSERT INTO latest_metrics SELECT run_uuid, key, value, timestamp,"
	"  step, is_nan FROM metrics m WHERE NOT EXISTS (SELECT 1 FROM"
	"  metrics n WHERE n.run_uuid = m.run_uuid AND n.key = m.key AND"
	"  (n.step > m.step OR (n.step = m.step AND"
	"  n.timestamp > m.timestamp)))";

#define NONE	-1	/* a NULL start_time or end_time */

static const struct {
	const char	*name;
	const char	*user;
	const char	*status;
	int64_t		 start;
	int64_t		 end;
	const char	*stage;
} runs[] = {
	/* Run n + 1 is runs[n]. */
	{ "alpha", "ann", "FINISHED", 1000, 2000, "active" },
	{ "beta", "bob", "FINISHED", 1100, 2100, "active" },
	{ "gamma", "ann", "FAILED", 1200, NONE, "active" },
	{ "delta", "cat", "RUNNING", 1300, NONE, "active" },
	{ "Alpha", "bob", "KILLED", 1400, 1500, "active" },
	{ "ALPHA-2", "ann", "FINISHED", 1500, 3000, "deleted" },
	{ "run 7", "dan", "FINISHED", 1500, 2500, "active" },
	{ "eps%ilon", "dan", "SCHEDULED", 1600, NONE, "active" },
	{ "zeta_1", "eve", "FINISHED", 1700, 1800, "active" },
	{ "zetax1", "eve", "FINISHED", 1800, 1900, "active" },
	{ "it's", "ann", "FAILED", 1900, 2000, "active" },
	{ "star*q?[x]", "bob", "FINISHED", 2000, 2001, "active" },
	{ "\xc3\x9cn\xc3\xaf", "cat", "FINISHED", 2100, 2200, "active" },
	{ "", "", "FINISHED", 2200, 2300, "active" },
	{ "omega", "ann", "RUNNING", 2300, NONE, "deleted" },
	{ "back`tick", "bob", "FINISHED", 2400, 2500, "active" },
	{ "x", "cat", "FINISHED", 2400, 2600, "active" },
	{ "y", "dan", "FINISHED", 2400, 2700, "active" },
	{ "dq\"name", "eve", "FAILED", 2600, 2700, "active" },
	{ "last", "ann", "FINISHED", NONE, 3000, "active" },
};

#define NAN_	1	/* the metric value is NaN */

static const struct {
	int		 run;
	const char	*key;
	double		 value;
	int		 nan;
	int64_t		 step;
	int64_t		 ts;
} metrics[] = {
	/* acc: the latest step counts, then the latest timestamp. */
	{ 1, "acc", 0.5, 0, 0, 10 },
	{ 1, "acc", 0.7, 0, 1, 20 },
	{ 2, "acc", 0.9, 0, 0, 10 },
	{ 2, "acc", 0.6, 0, 0, 20 },
	{ 3, "acc", 0.8, 0, 0, 10 },
	{ 4, "acc", 0.95, 0, 5, 10 },
	{ 4, "acc", 0.99, 0, 2, 20 },
	{ 5, "acc", 0, NAN_, 0, 10 },
	{ 6, "acc", 0.8, 0, 0, 10 },
	{ 7, "acc", 0.7, 0, 0, 10 },
	{ 8, "acc", DBL_MAX, 0, 0, 10 },
	{ 9, "acc", -DBL_MAX, 0, 0, 10 },
	{ 10, "acc", 1, 0, 0, 10 },
	{ 11, "acc", 0, 0, 0, 10 },
	{ 12, "acc", -0.5, 0, 0, 10 },
	{ 15, "acc", 0.8, 0, 0, 10 },
	{ 16, "acc", 0.2, 0, 0, 10 },
	{ 16, "acc", 0, NAN_, 1, 20 },
	{ 17, "acc", 0.99, 0, 0, 10 },
	{ 19, "acc", 0.3, 0, 0, 10 },
	{ 20, "acc", 0.3, 0, 0, 10 },
	{ 1, "loss", 0.2, 0, 0, 10 },
	{ 2, "loss", 0.1, 0, 0, 10 },
	{ 5, "loss", 0, NAN_, 0, 10 },
	{ 10, "loss", 0.2, 0, 0, 10 },
	{ 1, "val.acc", 0.5, 0, 0, 10 },
	{ 2, "val.acc", 0.6, 0, 0, 10 },
	{ 3, "val.acc", 0.7, 0, 0, 10 },
	{ 4, "f1 score", 0.4, 0, 0, 10 },
	{ 5, "f1 score", 0.5, 0, 0, 10 },
	{ 6, "m-1", 1.5, 0, 0, 10 },
	{ 7, "Acc", 0.1, 0, 0, 10 },
};

struct kv {
	int		 run;
	const char	*key;
	const char	*value;
};

static const struct kv params[] = {
	{ 1, "lr", "0.1" },
	{ 2, "lr", "0.01" },
	{ 3, "lr", "0.1" },
	{ 4, "lr", "1e-3" },
	{ 6, "lr", "10" },
	{ 7, "lr", "9" },
	{ 1, "model", "ResNet" },
	{ 2, "model", "resnet" },
	{ 3, "model", "RESNET" },
	{ 4, "model", "ResNet50" },
	{ 5, "model", "VGG" },
	{ 6, "model", "res_net" },
	{ 7, "model", "res%net" },
	{ 8, "model", "resxnet" },
	{ 9, "model", "\xc3\x9cn\xc3\xaf" "code" },
	{ 10, "model", "\xc3\xbcn\xc3\xaf" "code" },
	{ 1, "batch size", "32" },
	{ 2, "batch size", "64" },
	{ 3, "it's", "yes" },
	{ 4, "a`b", "tick" },
	{ 5, "opt.name", "adam" },
	{ 6, "opt.name", "sgd" },
	{ 7, "q\"k", "dq" },
	{ 12, "glob", "a*b?[c]" },
	{ 13, "glob", "axb?[c]" },
	{ 14, "glob", "a*bz[c]" },
	{ 15, "glob", "a*b?c]" },
	{ 1, "p", "x' OR 1=1 --" },
	{ 2, "p", "x" },
	{ 3, "p", "y" },
};

static const struct kv tags[] = {
	{ 1, "env", "prod" },
	{ 2, "env", "Prod" },
	{ 3, "env", "PROD" },
	{ 4, "env", "dev" },
	{ 5, "env", "prod" },
	{ 6, "env", "staging" },
	{ 1, "team", "ml" },
	{ 7, "team", "ml" },
	{ 9, "team", "" },
	{ 2, "note", "100% sure" },
	{ 3, "note", "100x sure" },
	{ 4, "note", "back\\slash" },
};

/* A filter and order_by, and the runs they return in order. */
struct good_case {
	const char	*filter;
	const char	*order[NORDER];
	const char	*want;
};

/* A filter or order_by search_compile rejects, and parts of its message. */
struct bad_case {
	const char	*filter;
	const char	*order[NORDER];
	const char	*cause;
	const char	*token;
};

#define ALL	"r19 r16 r17 r18 r15 r14 r13 r12 r11 r10 r09 r08 r06 r07 " \
		"r05 r04 r03 r02 r01 r20"

static const struct good_case good_cases[] = {
	/* No filter: start_time DESC (NULL last), then run_uuid. */
	{ "", { NULL }, ALL },
	{ "  \t\n", { NULL }, ALL },

	/* Metrics: the latest value; NaN only matches !=. */
	{ "metrics.acc > 0.75", { NULL }, "r17 r15 r10 r08 r06 r04 r03" },
	{ "metrics.acc = 0.8", { NULL }, "r15 r06 r03" },
	{ "metrics.acc != 0.8", { NULL },
	    "r19 r16 r17 r12 r11 r10 r09 r08 r07 r05 r04 r02 r01 r20" },
	{ "metrics.acc >= 1", { NULL }, "r10 r08" },
	{ "metrics.acc < 0", { NULL }, "r12 r09" },
	{ "metrics.acc = 1", { NULL }, "r10" },
	{ "metrics.acc = 1.0E0", { NULL }, "r10" },
	{ "metrics.acc > -.5", { NULL },
	    "r19 r17 r15 r11 r10 r08 r06 r07 r04 r03 r02 r01 r20" },
	{ "metrics.acc <= -1e308", { NULL }, "r09" },
	{ "metrics.acc > 1e999", { NULL }, "" },
	{ "metrics.acc >= 1e999", { NULL }, "r08" },
	{ "metrics.acc <= -1e999", { NULL }, "r09" },
	{ "metrics.acc = 0.6", { NULL }, "r02" },
	{ "metrics.acc = 0.9", { NULL }, "" },
	{ "metrics.acc = 0.99", { NULL }, "r17" },
	{ "metrics.acc = 0.2", { NULL }, "" },
	{ "metrics.acc>0.5 AND metrics.acc<0.75", { NULL }, "r07 r02 r01" },
	{ "metrics.`val.acc` >= 0.6", { NULL }, "r03 r02" },
	{ "metrics.val.acc >= 0.6", { NULL }, "r03 r02" },
	{ "metrics.\"f1 score\" < 0.45", { NULL }, "r04" },
	{ "metrics.`m-1` = 1.5", { NULL }, "r06" },
	{ "metrics.Acc > 0", { NULL }, "r07" },
	{ "metric.loss < 0.15", { NULL }, "r02" },
	{ "metrics.loss >= 0.2", { NULL }, "r10 r01" },
	{ "metrics.loss != 0.2", { NULL }, "r05 r02" },
	{ "metrics.nosuch != 1", { NULL }, "" },

	/* Params: strings; LIKE keeps case, ILIKE does not (ASCII). */
	{ "params.model = 'ResNet'", { NULL }, "r01" },
	{ "params.model = \"resnet\"", { NULL }, "r02" },
	{ "params.model LIKE 'Res%'", { NULL }, "r04 r01" },
	{ "params.model ILIKE 'res%'", { NULL },
	    "r08 r06 r07 r04 r03 r02 r01" },
	{ "params.model LIKE 'res_net'", { NULL }, "r08 r06 r07" },
	{ "params.model LIKE '%Net'", { NULL }, "r01" },
	{ "params.model LIKE 'resnet'", { NULL }, "r02" },
	{ "params.model ILIKE 'RESNET'", { NULL }, "r03 r02 r01" },
	{ "params.model != 'ResNet'", { NULL },
	    "r10 r09 r08 r06 r07 r05 r04 r03 r02" },
	{ "params.model LIKE '\xc3\x9c%'", { NULL }, "r09" },
	/* As MLflow on sqlite: ILIKE folds ASCII letters only. */
	{ "params.model ILIKE '%N\xc3\xaf" "CODE'", { NULL }, "r10 r09" },
	{ "params.model ILIKE '\xc3\xbc%'", { NULL }, "r10" },
	{ "params.`batch size` = '32'", { NULL }, "r01" },
	{ "params.\"it's\" = 'yes'", { NULL }, "r03" },
	{ "params.`a``b` = 'tick'", { NULL }, "r04" },
	{ "params.opt.name = 'adam'", { NULL }, "r05" },
	{ "params.`opt.name` = 'sgd'", { NULL }, "r06" },
	{ "params.\"q\"\"k\" = 'dq'", { NULL }, "r07" },
	{ "params.`q\"k` = 'dq'", { NULL }, "r07" },
	{ "params.glob LIKE 'a*b?[c]'", { NULL }, "r12" },
	{ "params.glob ILIKE 'A*B?[C]'", { NULL }, "r12" },
	{ "params.glob LIKE 'a_b%'", { NULL }, "r15 r14 r13 r12" },
	{ "params.glob LIKE '%]'", { NULL }, "r15 r14 r13 r12" },
	{ "params.glob LIKE '%?c]'", { NULL }, "r15" },
	{ "params.lr = '0.1'", { NULL }, "r03 r01" },
	{ "param.lr != '0.1'", { NULL }, "r06 r07 r04 r02" },
	{ "parameter.lr = '10'", { NULL }, "r06" },
	{ "parameters.lr = '9'", { NULL }, "r07" },
	{ "params.lr IS NULL", { NULL },
	    "r19 r16 r17 r18 r15 r14 r13 r12 r11 r10 r09 r08 r05 r20" },
	{ "params.lr IS NOT NULL", { NULL }, "r06 r07 r04 r03 r02 r01" },
	{ "params.lr is not null and params.model like 'R%'", { NULL },
	    "r04 r03 r01" },

	/* Tags, also with dots in the key. */
	{ "tags.env = 'prod'", { NULL }, "r05 r01" },
	{ "tags.env ILIKE 'PROD'", { NULL }, "r05 r03 r02 r01" },
	{ "tags.env LIKE 'P%'", { NULL }, "r03 r02" },
	{ "tag.env = 'dev' AND tags.note = 'back\\\\slash'", { NULL }, "r04" },
	{ "tags.note = 'back\\slash'", { NULL }, "r04" },
	{ "tags.note LIKE '100%'", { NULL }, "r03 r02" },
	{ "tags.note LIKE '100%%'", { NULL }, "r03 r02" },
	{ "tags.team = ''", { NULL }, "r09" },
	{ "tags.team != 'ml'", { NULL }, "r09" },
	{ "tags.team IS NULL", { NULL },
	    "r19 r16 r17 r18 r15 r14 r13 r12 r11 r10 r08 r06 r05 r04 r03 "
	    "r02 r20" },

	/* String attributes. */
	{ "attributes.status = 'FINISHED'", { NULL },
	    "r16 r17 r18 r14 r13 r12 r10 r09 r06 r07 r02 r01 r20" },
	{ "status != 'FINISHED'", { NULL }, "r19 r15 r11 r08 r05 r04 r03" },
	{ "attributes.status LIKE 'F%'", { NULL },
	    "r19 r16 r17 r18 r14 r13 r12 r11 r10 r09 r06 r07 r03 r02 r01 "
	    "r20" },
	{ "attributes.status LIKE 'f%'", { NULL }, "" },
	{ "attributes.status ILIKE 'f%'", { NULL },
	    "r19 r16 r17 r18 r14 r13 r12 r11 r10 r09 r06 r07 r03 r02 r01 "
	    "r20" },
	{ "attributes.run_name = 'Alpha'", { NULL }, "r05" },
	{ "run.run_name ILIKE 'alpha%'", { NULL }, "r06 r05 r01" },
	{ "attributes.`Run name` = 'beta'", { NULL }, "r02" },
	{ "attr.\"run name\" = 'gamma'", { NULL }, "r03" },
	{ "`Run Name` = 'delta'", { NULL }, "r04" },
	{ "attribute.run_name = ''", { NULL }, "r14" },
	{ "run_name LIKE 'eps%ilon'", { NULL }, "r08" },
	{ "attributes.run_name LIKE 'zeta_1'", { NULL }, "r10 r09" },
	{ "attributes.run_name = 'it''s'", { NULL }, "r11" },
	{ "attributes.run_name = \"it's\"", { NULL }, "r11" },
	{ "attributes.run_name = 'it\\'s'", { NULL }, "r11" },
	{ "attributes.run_name = \"dq\"\"name\"", { NULL }, "r19" },
	{ "attributes.run_name = 'back`tick'", { NULL }, "r16" },
	{ "attributes.run_name LIKE 'star*q?[x]'", { NULL }, "r12" },
	{ "attributes.run_name = '\xc3\x9cn\xc3\xaf'", { NULL }, "r13" },
	{ "attributes.user_id = 'ann'", { NULL },
	    "r15 r11 r06 r03 r01 r20" },
	{ "attributes.lifecycle_stage = 'deleted'", { NULL }, "r15 r06" },
	{ "attributes.artifact_uri LIKE '%/" U(07) "/artifacts'", { NULL },
	    "r07" },
	{ "tags.mlflow.runName = 'alpha'", { NULL }, "r01" },
	{ "tags.\"mlflow.runName\" LIKE '%a'", { NULL },
	    "r15 r05 r04 r03 r02 r01" },

	/* run_id: =, LIKE, IN and NOT IN. */
	{ "attributes.run_id = '" U(07) "'", { NULL }, "r07" },
	{ "attributes.run_id IN ('" U(03) "', '" U(05) "', '" U(99) "')",
	    { NULL }, "r05 r03" },
	{ "run_id in (\"" U(03) "\")", { NULL }, "r03" },
	{ "attributes.run_id NOT IN ('" U(01) "','" U(02) "','" U(03) "',"
	    "'" U(04) "','" U(05) "','" U(06) "','" U(07) "','" U(08) "',"
	    "'" U(09) "','" U(10) "')", { NULL },
	    "r19 r16 r17 r18 r15 r14 r13 r12 r11 r20" },
	{ "attributes.run_id LIKE '%01'", { NULL }, "r01" },
	{ "attributes.run_id IN ('" U(01) "') AND attributes.run_id IN "
	    "('" U(02) "')", { NULL }, "" },

	/* Numeric attributes; a NULL end_time never matches. */
	{ "attributes.start_time > 2000", { NULL },
	    "r19 r16 r17 r18 r15 r14 r13" },
	{ "attributes.created >= 2400 AND Created < 2600", { NULL },
	    "r16 r17 r18" },
	{ "attributes.end_time = 2000", { NULL }, "r11 r01" },
	{ "attributes.end_time != 2000", { NULL },
	    "r19 r16 r17 r18 r14 r13 r12 r10 r09 r06 r07 r05 r02 r20" },
	{ "attributes.start_time = 1500.0", { NULL }, "r06 r07" },
	{ "attributes.start_time < 1e3", { NULL }, "" },
	{ "attributes.start_time <= 1e3", { NULL }, "r01" },
	{ "attributes.start_time > 99999999999999999999", { NULL }, "" },
	{ "attributes.start_time > -99999999999999999999", { NULL },
	    "r19 r16 r17 r18 r15 r14 r13 r12 r11 r10 r09 r08 r06 r07 r05 "
	    "r04 r03 r02 r01" },

	/* Several clauses of all kinds; keywords in any case. */
	{ "metrics.acc > 0.5 AND params.model ILIKE 'res%' AND "
	    "tags.env = 'prod' AND attributes.status = 'FINISHED'", { NULL },
	    "r01" },
	{ "metrics.acc > 0.5 and params.model like 'Res%'", { NULL },
	    "r04 r01" },
	{ "metrics.acc > 0.5 aNd params.model iLiKe 'RES%'", { NULL },
	    "r08 r06 r07 r04 r03 r02 r01" },

	/* Injection attempts are plain values or keys. */
	{ "params.p = 'x'' OR 1=1 --'", { NULL }, "r01" },
	{ "params.p = 'x\\' OR 1=1 --'", { NULL }, "r01" },
	{ "params.p = \"x' OR 1=1 --\"", { NULL }, "r01" },
	{ "params.p = 'x'' OR ''1''=''1'", { NULL }, "" },
	{ "params.`p' OR 1=1 --` = 'x'", { NULL }, "" },
	{ "params.`p`` OR 1=1` = 'x'", { NULL }, "" },
	{ "params.\"p\"\" OR 1=1 --\" = 'x'", { NULL }, "" },
	{ "params.p LIKE '%'' OR 1=1 --'", { NULL }, "r01" },

	/* order_by: missing keys last both ways, NaN after numbers. */
	{ NULL, { "metrics.acc" },
	    "r09 r12 r11 r19 r20 r02 r07 r01 r15 r06 r03 r04 r17 r10 r08 "
	    "r16 r05 r18 r14 r13" },
	{ NULL, { "metrics.acc DESC" },
	    "r08 r10 r17 r04 r15 r06 r03 r07 r01 r02 r19 r20 r11 r12 r09 "
	    "r16 r05 r18 r14 r13" },
	{ NULL, { "  metrics.`acc`   desc  " },
	    "r08 r10 r17 r04 r15 r06 r03 r07 r01 r02 r19 r20 r11 r12 r09 "
	    "r16 r05 r18 r14 r13" },
	{ NULL, { "metric.\"acc\" asc" },
	    "r09 r12 r11 r19 r20 r02 r07 r01 r15 r06 r03 r04 r17 r10 r08 "
	    "r16 r05 r18 r14 r13" },
	{ NULL, { "params.lr" },
	    "r02 r03 r01 r06 r04 r07 r19 r16 r17 r18 r15 r14 r13 r12 r11 "
	    "r10 r09 r08 r05 r20" },
	{ NULL, { "params.lr DESC" },
	    "r07 r04 r06 r03 r01 r02 r19 r16 r17 r18 r15 r14 r13 r12 r11 "
	    "r10 r09 r08 r05 r20" },
	{ NULL, { "tags.team" },
	    "r09 r07 r01 r19 r16 r17 r18 r15 r14 r13 r12 r11 r10 r08 r06 "
	    "r05 r04 r03 r02 r20" },
	{ NULL, { "tags.team DESC" },
	    "r07 r01 r09 r19 r16 r17 r18 r15 r14 r13 r12 r11 r10 r08 r06 "
	    "r05 r04 r03 r02 r20" },
	{ NULL, { "attributes.start_time ASC" },
	    "r01 r02 r03 r04 r05 r06 r07 r08 r09 r10 r11 r12 r13 r14 r15 "
	    "r16 r17 r18 r19 r20" },
	{ NULL, { "attributes.created DESC" }, ALL },
	{ NULL, { "start_time" },
	    "r01 r02 r03 r04 r05 r06 r07 r08 r09 r10 r11 r12 r13 r14 r15 "
	    "r16 r17 r18 r19 r20" },
	{ NULL, { "attributes.end_time DESC" },
	    "r06 r20 r19 r18 r17 r16 r07 r14 r13 r02 r12 r11 r01 r10 r09 "
	    "r05 r15 r08 r04 r03" },
	{ NULL, { "attributes.end_time" },
	    "r05 r09 r10 r11 r01 r12 r02 r13 r14 r16 r07 r17 r19 r18 r06 "
	    "r20 r15 r08 r04 r03" },
	{ NULL, { "attributes.run_name" },
	    "r14 r06 r05 r01 r16 r02 r04 r19 r08 r03 r11 r20 r15 r07 r12 "
	    "r17 r18 r09 r10 r13" },
	{ NULL, { "tags.env", "metrics.acc DESC" },
	    "r03 r02 r04 r01 r05 r06 r08 r10 r17 r15 r07 r19 r20 r11 r12 "
	    "r09 r16 r18 r14 r13" },
	{ NULL, { "metrics.`val.acc` DESC", "attributes.run_id DESC" },
	    "r03 r02 r01 r20 r19 r18 r17 r16 r15 r14 r13 r12 r11 r10 r09 "
	    "r08 r07 r06 r05 r04" },
	{ NULL, { "metrics.loss", "attributes.run_id" },
	    "r02 r01 r10 r05 r03 r04 r06 r07 r08 r09 r11 r12 r13 r14 r15 "
	    "r16 r17 r18 r19 r20" },
	{ NULL, { "params.`x) ; DROP TABLE params; --` DESC" }, ALL },
	{ "params.model ILIKE 'res%'", { "params.model DESC" },
	    "r08 r02 r06 r07 r04 r01 r03" },
	{ "metrics.acc > 0.5", { "params.model", "metrics.acc" },
	    "r03 r01 r04 r07 r06 r02 r08 r10 r15 r17" },
	{ "", { "tags.`mlflow.runName` DESC" },
	    "r13 r10 r09 r18 r17 r12 r07 r15 r11 r03 r08 r19 r04 r02 r16 "
	    "r01 r05 r06 r14 r20" },
};

static const struct bad_case bad_cases[] = {
	/* Clauses and their joining. */
	{ "metrics.acc > 0.5 OR metrics.acc < 0.1", { NULL },
	    "Invalid clause(s) in filter string: 'OR'",
	    "(at character 19 of the filter)" },
	{ "metrics.acc > 0.5 or metrics.acc < 0.1", { NULL },
	    "only AND is supported", "character 19" },
	{ "params.\xc3\xbc = 'x' OR", { NULL }, "'OR'",
	    "(at character 16 of the filter)" },
	{ "metrics.acc > 1 metrics.loss < 2", { NULL },
	    "expected AND or the end of the filter after 'metrics.acc > 1'",
	    "found 'metrics'" },
	{ "metrics.acc > 1 AND", { NULL }, "expected a clause after AND",
	    "character 20" },
	{ "AND metrics.acc > 1", { NULL }, "expected an identifier",
	    "found 'AND'" },
	{ "metrics.acc > 1 AND OR metrics.acc < 2", { NULL },
	    "expected an identifier", "found 'OR'" },
	{ "metrics.acc > 1 AND AND metrics.acc < 2", { NULL },
	    "expected an identifier", "found 'AND'" },
	{ "(metrics.acc > 1)", { NULL }, "found '('",
	    "parentheses around clauses are not supported" },
	{ "NOT metrics.acc > 1", { NULL }, "expected an identifier",
	    "found 'NOT'" },
	{ "metrics.acc > 1; DROP TABLE params", { NULL },
	    "Search filter contained multiple expression", "character 16" },
	{ "metrics.acc > 1 -- comment", { NULL },
	    "expected AND or the end of the filter", "found '-'" },

	/* Identifiers. */
	{ "foo.bar = 'x'", { NULL }, "Invalid entity type 'foo'",
	    "['metric', 'parameter', 'tag', 'attribute']" },
	{ "Metrics.acc > 1", { NULL }, "Invalid entity type 'Metrics'",
	    "character 1" },
	{ "datasets.name = 'x'", { NULL }, "dataset",
	    "is not supported" },
	{ "attributes.foo = 'x'", { NULL },
	    "Invalid attribute key 'foo' specified. Valid keys are",
	    "'run_id'" },
	{ "foo = 'x'", { NULL }, "Invalid attribute key 'foo'",
	    "character 1" },
	{ "attributes.experiment_id = '1'", { NULL },
	    "Invalid attribute key 'experiment_id'", "character 1" },
	{ "params. = 'x'", { NULL }, "expected a key after 'params.'",
	    "found ' '" },
	{ "params.`` = 'x'", { NULL }, "the key of 'params.``' is empty",
	    "character 1" },
	{ "params.-x = 'x'", { NULL }, "expected a key after 'params.'",
	    "found '-'" },
	{ "params.my-key = 'x'", { NULL }, "expected a comparator",
	    "after 'params.my', found '-'" },
	{ "params.`p = 'x'", { NULL }, "unterminated quoted string",
	    "expected a closing `" },
	{ "= 'x'", { NULL }, "expected an identifier", "found '='" },
	{ "123 = 'x'", { NULL }, "expected an identifier", "found '123'" },

	/* Comparators. */
	{ "metrics.acc ~ 1", { NULL },
	    "Invalid comparator '~' not one of {'=', '!=', '<', '<=', '>', "
	    "'>='} for metrics.acc", "character 13" },
	{ "metrics.acc == 1", { NULL }, "Invalid comparator '=='",
	    "character 13" },
	{ "metrics.acc <> 1", { NULL }, "Invalid comparator '<>'",
	    "character 13" },
	{ "metrics.acc LIKE 1", { NULL }, "Invalid comparator 'LIKE'",
	    "for metrics.acc" },
	{ "metrics.acc IS NULL", { NULL }, "Invalid comparator 'IS NULL'",
	    "for metrics.acc" },
	{ "params.lr > '1'", { NULL },
	    "Invalid comparator '>' not one of {'=', '!=', 'LIKE', 'ILIKE', "
	    "'IS NULL', 'IS NOT NULL'} for params.lr", "character 11" },
	{ "tags.env IN ('a')", { NULL },
	    "Expected a quoted string value for tag (e.g. 'my-value'). "
	    "Got value ('a')", "character 13" },
	{ "attributes.status < 'x'", { NULL },
	    "Invalid comparator '<' not one of {'=', '!=', 'LIKE', 'ILIKE', "
	    "'IN', 'NOT IN'}", "attributes.status" },
	{ "attributes.start_time LIKE 1", { NULL },
	    "Invalid comparator 'LIKE'", "for attributes.start_time" },
	{ "attributes.status IS NULL", { NULL },
	    "Invalid comparator 'IS NULL'", "character 19" },
	{ "params.p IS 'x'", { NULL }, "expected NULL or NOT NULL after IS",
	    "found ''x''" },
	{ "params.p IS NOT 'x'", { NULL }, "expected NULL after IS",
	    "found ''x''" },
	{ "params.p NOT LIKE 'x'", { NULL }, "expected IN after NOT",
	    "found 'LIKE'" },
	{ "params.p CONTAINS 'x'", { NULL }, "expected a comparator",
	    "found 'CONTAINS'" },
	{ "metrics.acc", { NULL }, "expected a comparator",
	    "found the end of the filter" },

	/* Values. */
	{ "metrics.acc >", { NULL }, "expected a value",
	    "found the end of the filter" },
	{ "metrics.acc > 'x'", { NULL },
	    "Expected numeric value type for metric. Found 'x'",
	    "character 15" },
	{ "metrics.acc > \"1\"", { NULL },
	    "Expected numeric value type for metric. Found \"1\"",
	    "character 15" },
	{ "metrics.acc > abc", { NULL },
	    "Expected numeric value type for metric. Found abc",
	    "character 15" },
	{ "metrics.acc > 1abc", { NULL }, "expected a number",
	    "found '1abc'" },
	{ "metrics.acc > 1.2.3", { NULL }, "expected a number",
	    "character 15" },
	{ "metrics.acc > -", { NULL }, "expected a number", "found '-'" },
	{ "metrics.acc >= +1", { NULL }, "expected a value", "found '+'" },
	{ "metrics.acc > 0x10", { NULL }, "expected a number",
	    "found '0x10'" },
	{ "params.lr = 1", { NULL },
	    "Expected a quoted string value for parameter (e.g. 'my-value'). "
	    "Got value 1", "character 13" },
	{ "tags.env = prod", { NULL },
	    "Parameter value is either not quoted or unidentified quote "
	    "types used for string value prod", "character 12" },
	{ "tags.env = `prod`", { NULL },
	    "for string value `prod`", "character 12" },
	{ "attributes.status = 1", { NULL },
	    "Expected a quoted string value for attributes. Got value 1",
	    "character 21" },
	{ "attributes.start_time = 'x'", { NULL },
	    "Expected numeric value type for numeric attribute: start_time. "
	    "Found 'x'", "character 25" },
	{ "attributes.created = '1'", { NULL },
	    "numeric attribute: start_time", "character 22" },
	{ "params.p = 'unterminated", { NULL },
	    "unterminated quoted string: expected a closing ' after "
	    "'unterminated", "character 12" },
	{ "params.p = 'a''", { NULL }, "unterminated quoted string",
	    "character 12" },

	/* Lists. */
	{ "attributes.status IN ('a')", { NULL },
	    "Only the 'run_id' attribute supports comparison with a list",
	    "character 22" },
	{ "attributes.run_id IN ()", { NULL },
	    "expected a non-empty list of string values, but got empty list",
	    "character 22" },
	{ "attributes.run_id IN (1, 2)", { NULL },
	    "but got different type in list: (1, 2)", "character 23" },
	{ "attributes.run_id IN ('a' 'b')", { NULL }, "ill-formed list",
	    "found ''b''" },
	{ "attributes.run_id IN ('a',)", { NULL }, "different type in list",
	    "('a',)" },
	{ "attributes.run_id IN ('a'", { NULL }, "ill-formed list",
	    "found the end of the filter" },
	{ "attributes.run_id IN 'a'", { NULL },
	    "expected a parenthesized list of quoted strings after IN",
	    "found 'a'" },
	{ "attributes.run_id NOT IN 'a'", { NULL },
	    "expected a parenthesized list of quoted strings after NOT IN",
	    "character 26" },
	{ "attributes.run_id = ('a')", { NULL },
	    "Invalid comparator '=' for a list of values", "character 19" },
	{ "params.p IN ('a')", { NULL },
	    "Expected a quoted string value for parameter", "('a')" },
	{ "metrics.acc IN ('1')", { NULL },
	    "Expected numeric value type for metric. Found ('1')",
	    "character 16" },

	/* order_by. */
	{ NULL, { "metrics.acc UP" },
	    "Invalid ordering key in order_by clause 'metrics.acc UP'",
	    "found 'UP' (at character 13 of order_by item 1)" },
	{ NULL, { "metrics.acc DESC extra" },
	    "Invalid order_by clause 'metrics.acc DESC extra'. Could not be "
	    "parsed", "found 'extra'" },
	{ NULL, { "metrics.acc", "" }, "Invalid order_by clause ''",
	    "order_by item 2" },
	{ NULL, { "metrics.acc > 1" }, "expected ASC or DESC",
	    "found '>'" },
	{ NULL, { "attributes.foo" }, "Invalid attribute key 'foo'",
	    "order_by item 1" },
	{ NULL, { "bogus.x DESC" }, "Invalid entity type 'bogus'",
	    "order_by item 1" },
	{ NULL, { "metrics.`acc" }, "unterminated quoted string",
	    "character 9 of order_by item 1" },
	{ NULL, { "metrics.acc", "params.p", "metrics.acc DESC" },
	    "`order_by` contains duplicate fields",
	    "items 1 and 3 both order by metric 'acc'" },
	{ NULL, { "attributes.start_time", "attributes.created DESC" },
	    "duplicate fields", "attribute 'start_time'" },
	{ NULL, { "params.a", "tags.a", "params.`a`" },
	    "duplicate fields", "items 1 and 3" },

	/* Errors in the filter come first; out stays untouched. */
	{ "metrics.acc ~ 1", { "bogus.x" }, "Invalid comparator '~'",
	    "of the filter" },
};

static sqlite3	*db;

static void
exec_ok(const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

static void
insert_kv(const char *table, const struct kv *rows, size_t n)
{
	sqlite3_stmt	*stmt;
	char		*sql, *uuid;
	size_t		 i;

	sql = xasprintf("INSERT INTO %s VALUES (?, ?, ?)", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	    SQLITE_OK);
	for (i = 0; i < n; i++) {
		uuid = xasprintf(U(%02d), rows[i].run);
		sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, rows[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, rows[i].value, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
		sqlite3_reset(stmt);
		free(uuid);
	}
	sqlite3_finalize(stmt);
	free(sql);
}

/* The database of the tests: runs 1-20 in experiment 1, run 21 in 2. */
static int
setup(void **state)
{
	sqlite3_stmt	*stmt;
	char		*uuid, *uri;
	size_t		 i;

	(void)state;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return -1;
	exec_ok(schema);

	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO mlflow_runs "
	    "(run_uuid, experiment_id, run_name, user_id, status, "
	    "start_time, end_time, lifecycle_stage, artifact_uri) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL), SQLITE_OK);
	for (i = 0; i <= NELEM(runs); i++) {
		uuid = xasprintf(U(%02zu), i + 1);
		uri = xasprintf("mlflow-artifacts:/1/%s/artifacts", uuid);
		sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 8, "active", -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 9, uri, -1, SQLITE_TRANSIENT);
		if (i == NELEM(runs)) {
			/* Matches everything, but in another experiment. */
			sqlite3_bind_int(stmt, 2, 2);
			sqlite3_bind_text(stmt, 3, "alpha", -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 4, "ann", -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 5, "FINISHED", -1,
			    SQLITE_STATIC);
			sqlite3_bind_int(stmt, 6, 5000);
			sqlite3_bind_int(stmt, 7, 5000);
		} else {
			sqlite3_bind_int(stmt, 2, 1);
			sqlite3_bind_text(stmt, 3, runs[i].name, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(stmt, 4, runs[i].user, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(stmt, 5, runs[i].status, -1,
			    SQLITE_STATIC);
			if (runs[i].start != NONE)
				sqlite3_bind_int64(stmt, 6, runs[i].start);
			else
				sqlite3_bind_null(stmt, 6);
			if (runs[i].end != NONE)
				sqlite3_bind_int64(stmt, 7, runs[i].end);
			else
				sqlite3_bind_null(stmt, 7);
			sqlite3_bind_text(stmt, 8, runs[i].stage, -1,
			    SQLITE_STATIC);
		}
		assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
		sqlite3_reset(stmt);
		free(uuid);
		free(uri);
	}
	sqlite3_finalize(stmt);

	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO metrics VALUES "
	    "(?, ?, ?, ?, ?, ?)", -1, &stmt, NULL), SQLITE_OK);
	for (i = 0; i < NELEM(metrics); i++) {
		uuid = xasprintf(U(%02d), metrics[i].run);
		sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, metrics[i].key, -1, SQLITE_STATIC);
		if (metrics[i].nan)
			sqlite3_bind_null(stmt, 3);
		else
			sqlite3_bind_double(stmt, 3, metrics[i].value);
		sqlite3_bind_int64(stmt, 4, metrics[i].ts);
		sqlite3_bind_int64(stmt, 5, metrics[i].step);
		sqlite3_bind_int(stmt, 6, metrics[i].nan);
		assert_int_equal(sqlite3_step(stmt), SQLITE_DONE);
		sqlite3_reset(stmt);
		free(uuid);
	}
	sqlite3_finalize(stmt);
	exec_ok(latest);
	insert_kv("params", params, NELEM(params));
	insert_kv("tags", tags, NELEM(tags));
	exec_ok("INSERT INTO tags SELECT run_uuid, 'mlflow.runName', run_name "
	    "FROM mlflow_runs WHERE run_uuid != '" U(20) "'");
	exec_ok("INSERT INTO params SELECT run_uuid, 'env', 'prod' "
	    "FROM mlflow_runs WHERE experiment_id = 2");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sqlite3_close(db);
	return 0;
}

/* s quoted for a test name: one line, printable. */
static char *
quote(const char *s)
{
	const unsigned char	*p;
	struct buf		 b;

	if (s == NULL)
		return xstrdup("none");
	buf_init(&b);
	buf_addc(&b, '\'');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p >= 0x20 && *p < 0x7f)
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "\\x%02x", *p);
	}
	buf_addc(&b, '\'');
	return buf_take(&b);
}

static size_t
count_order(const char *const *order)
{
	size_t	n = 0;

	while (n < NORDER && order[n] != NULL)
		n++;
	return n;
}

/*
 * Run q in experiment 1 as the store would, with binds before and after
 * its own; set *got to the runs ("r01 r07") in the order returned.
 */
static void
run_query(const struct search_query *q, char **got)
{
	sqlite3_stmt	*stmt;
	struct buf	 b;
	char		*sql;
	const char	*id;
	int		 next, rc;

	sql = xasprintf("SELECT r.run_uuid FROM mlflow_runs r WHERE "
	    "r.experiment_id IN (?) AND (%s) ORDER BY %s LIMIT ?",
	    q->where, q->order);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_bind_int(stmt, 1, 1);
	next = search_bind(stmt, 2, q);
	assert_int_equal(next, 2 + (int)q->nbinds);
	assert_int_equal(sqlite3_bind_parameter_count(stmt), next);
	sqlite3_bind_int(stmt, next, 1000);
	buf_init(&b);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(stmt, 0);
		assert_int_equal(strlen(id), 32);
		assert_memory_equal(id, U(00), 30);
		buf_printf(&b, "%sr%s", b.len > 0 ? " " : "", id + 30);
	}
	assert_int_equal(rc, SQLITE_DONE);
	sqlite3_finalize(stmt);
	free(sql);
	*got = buf_take(&b);
}

/* User text is bound, never in the SQL: it has no quotes at all. */
static void
assert_no_user_text(const struct search_query *q)
{
	assert_null(strpbrk(q->where, "'\"`;-"));
	assert_null(strpbrk(q->order, "'\"`;-"));
}

static void
test_good_case(void **state)
{
	const struct good_case	*c = *state;
	struct search_query	 q;
	char			*cause = NULL, *got;

	memset(&q, 0, sizeof q);
	if (search_compile(c->filter, c->order, count_order(c->order), &q,
	    &cause) != 0)
		fail_msg("%s", cause);
	assert_no_user_text(&q);
	run_query(&q, &got);
	assert_string_equal(got, c->want);
	free(got);
	search_query_done(&q);
	assert_null(q.where);
	assert_int_equal(q.nbinds, 0);
}

static void
test_bad_case(void **state)
{
	const struct bad_case	*c = *state;
	struct search_query	 q, before;
	char			*cause = NULL;

	memset(&q, 0xa5, sizeof q);
	before = q;
	assert_int_equal(search_compile(c->filter, c->order,
	    count_order(c->order), &q, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, c->cause) == NULL || strstr(cause, c->token) == NULL)
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", cause,
		    c->cause, c->token);
	assert_memory_equal(&q, &before, sizeof q);
	free(cause);
}

/* The default order, binds and a NULL filter, exactly. */
static void
test_default_sql(void **state)
{
	struct search_query	 q;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(search_compile(NULL, NULL, 0, &q, &cause), 0);
	assert_string_equal(q.where, "1");
	assert_string_equal(q.order, "r.start_time DESC, r.run_uuid");
	assert_int_equal(q.nbinds, 0);
	search_query_done(&q);

	assert_int_equal(search_compile("params.p LIKE 'a_%*' AND "
	    "metrics.m >= 2 AND attributes.start_time < 3 AND "
	    "attributes.end_time > 1.5", (const char *const[]){
	    "tags.t DESC" }, 1, &q, &cause), 0);
	assert_int_equal(q.nbinds, 8);
	assert_int_equal(q.binds[0].type, SEARCH_TEXT);
	assert_string_equal(q.binds[0].text, "p");
	assert_int_equal(q.binds[1].type, SEARCH_TEXT);
	assert_string_equal(q.binds[1].text, "a?*[*]");
	assert_string_equal(q.binds[2].text, "m");
	assert_int_equal(q.binds[3].type, SEARCH_REAL);
	assert_true(q.binds[3].real == 2.0);
	assert_int_equal(q.binds[4].type, SEARCH_INT);
	assert_int_equal(q.binds[4].integer, 3);
	assert_int_equal(q.binds[5].type, SEARCH_REAL);
	assert_true(q.binds[5].real == 1.5);
	assert_string_equal(q.binds[6].text, "t");
	assert_string_equal(q.binds[7].text, "t");
	assert_non_null(strstr(q.order, "r.start_time DESC, r.run_uuid"));
	search_query_done(&q);
	search_query_done(&q);
}

/* Injection in the filter, keys and order_by leaves the tables whole. */
static void
test_injection_harmless(void **state)
{
	static const char *const filters[] = {
		"tags.env = 'prod'); DROP TABLE tags; --",
		"params.`p`; DROP TABLE params; --` = 'x'",
		"params.p = 'x'; DELETE FROM mlflow_runs; --'",
		"attributes.run_id IN ('a'); DROP TABLE mlflow_runs; --')",
	};
	static const char *const order[] = {
		"params.`x; DROP TABLE params; --` DESC",
	};
	struct search_query	 q;
	sqlite3_stmt		*stmt;
	char			*cause = NULL, *got;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(filters); i++) {
		if (search_compile(filters[i], NULL, 0, &q, &cause) == 0) {
			assert_no_user_text(&q);
			run_query(&q, &got);
			free(got);
			search_query_done(&q);
		} else {
			free(cause);
			cause = NULL;
		}
	}
	assert_int_equal(search_compile(NULL, order, 1, &q, &cause), 0);
	assert_no_user_text(&q);
	run_query(&q, &got);
	assert_string_equal(got, ALL);
	free(got);
	search_query_done(&q);

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM "
	    "mlflow_runs), (SELECT count(*) FROM params), (SELECT count(*) "
	    "FROM tags)", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(stmt, 0), NELEM(runs) + 1);
	assert_int_equal(sqlite3_column_int(stmt, 1), NELEM(params) + 1);
	assert_int_equal(sqlite3_column_int(stmt, 2), NELEM(tags) + 20);
	sqlite3_finalize(stmt);
}

/* Compile and run filter; return its runs. */
static char *
run_filter(const char *filter)
{
	struct search_query	 q;
	char			*cause = NULL, *got;

	if (search_compile(filter, NULL, 0, &q, &cause) != 0)
		fail_msg("%s", cause);
	run_query(&q, &got);
	search_query_done(&q);
	return got;
}

/* n clauses "before" i "after", joined by AND. */
static char *
clauses(size_t n, const char *before, const char *after)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s%zu%s", i > 0 ? " AND " : "", before, i,
		    after);
	return buf_take(&b);
}

static void
test_big_filters(void **state)
{
	struct search_query	 q;
	char			*filter, *got, *cause = NULL;

	(void)state;
	filter = clauses(200, "metrics.acc > -1 AND params.k", " IS NULL");
	got = run_filter(filter);
	assert_string_equal(got, "r19 r17 r15 r12 r11 r10 r08 r06 r07 r04 "
	    "r03 r02 r01 r20");
	free(got);
	free(filter);

	/* 500 clauses is the most. */
	filter = clauses(SEARCH_MAX_CLAUSES, "tags.`t", "` IS NULL");
	got = run_filter(filter);
	assert_string_equal(got, ALL);
	free(got);
	free(filter);
	filter = clauses(SEARCH_MAX_CLAUSES + 1, "tags.`t", "` IS NULL");
	assert_int_equal(search_compile(filter, NULL, 0, &q, &cause), -1);
	assert_non_null(strstr(cause, "more than 500 clauses"));
	free(cause);
	free(filter);

	/* 500 clauses on one metric, as a long AND chain, still run. */
	filter = clauses(SEARCH_MAX_CLAUSES, "metrics.acc >= 0.", "");
	got = run_filter(filter);
	assert_string_equal(got, "r17 r10 r08");
	free(got);
	free(filter);
}

static void
test_big_lists(void **state)
{
	struct search_query	 q;
	struct buf		 b;
	char			*got, *cause = NULL;
	size_t			 i;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "attributes.run_id IN (");
	for (i = 0; i < SEARCH_MAX_LIST; i++)
		buf_printf(&b, "%s'%032zx'", i > 0 ? ", " : "", i);
	buf_adds(&b, ", '" U(04) "') AND run_id IN ('" U(04) "')");
	assert_int_equal(search_compile(buf_str(&b), NULL, 0, &q, &cause), -1);
	assert_non_null(strstr(cause, "more than 10000 values in lists"));
	free(cause);

	buf_reset(&b);
	buf_adds(&b, "attributes.run_id NOT IN (");
	for (i = 0; i < SEARCH_MAX_LIST - 1; i++)
		buf_printf(&b, "'%032zx', ", i);
	buf_adds(&b, "'" U(04) "')");
	got = run_filter(buf_str(&b));
	assert_string_equal(got, "r19 r16 r17 r18 r15 r14 r13 r12 r11 r10 "
	    "r09 r08 r06 r07 r05 r03 r02 r01 r20");
	free(got);
	buf_done(&b);
}

static void
test_limits(void **state)
{
	struct search_query	 q;
	const char		*order[SEARCH_MAX_ORDER + 1];
	char			*keys[SEARCH_MAX_ORDER + 1], *filter, *got;
	char			*cause = NULL;
	size_t			 i;

	(void)state;
	filter = xmalloc(SEARCH_MAX_FILTER + 2);
	memset(filter, ' ', SEARCH_MAX_FILTER + 1);
	filter[SEARCH_MAX_FILTER + 1] = '\0';
	assert_int_equal(search_compile(filter, NULL, 0, &q, &cause), -1);
	assert_non_null(strstr(cause, "longer than 1048576 bytes"));
	free(cause);
	filter[SEARCH_MAX_FILTER] = '\0';
	got = run_filter(filter);
	assert_string_equal(got, ALL);
	free(got);
	free(filter);

	for (i = 0; i <= SEARCH_MAX_ORDER; i++)
		order[i] = keys[i] = xasprintf("params.`k%zu` DESC", i);
	assert_int_equal(search_compile(NULL, order, SEARCH_MAX_ORDER + 1, &q,
	    &cause), -1);
	assert_non_null(strstr(cause, "at most 100"));
	free(cause);
	order[0] = "metrics.acc DESC";
	assert_int_equal(search_compile(NULL, order, SEARCH_MAX_ORDER, &q,
	    &cause), 0);
	run_query(&q, &got);
	assert_string_equal(got, "r08 r10 r17 r04 r15 r06 r03 r07 r01 r02 r19 "
	    "r20 r11 r12 r09 r16 r05 r18 r14 r13");
	free(got);
	search_query_done(&q);
	for (i = 0; i <= SEARCH_MAX_ORDER; i++)
		free(keys[i]);

	filter = xmalloc(SEARCH_MAX_ORDER_LEN + 2);
	memset(filter, ' ', SEARCH_MAX_ORDER_LEN + 1);
	memcpy(filter, "metrics.acc", 11);
	filter[SEARCH_MAX_ORDER_LEN + 1] = '\0';
	order[0] = filter;
	assert_int_equal(search_compile(NULL, order, 1, &q, &cause), -1);
	assert_non_null(strstr(cause, "longer than 4096 bytes"));
	free(cause);
	free(filter);
}

int
main(void)
{
	static const struct CMUnitTest	fixed[] = {
		cmocka_unit_test(test_default_sql),
		cmocka_unit_test(test_injection_harmless),
		cmocka_unit_test(test_big_filters),
		cmocka_unit_test(test_big_lists),
		cmocka_unit_test(test_limits),
	};
	struct CMUnitTest	*tests;
	size_t			 n = 0, i;
	char			*f, *o;
	int			 rc;

	/* One test per table row, named for the row. */
	tests = xcalloc(NELEM(good_cases) + NELEM(bad_cases) + NELEM(fixed),
	    sizeof *tests);
	for (i = 0; i < NELEM(good_cases); i++) {
		f = quote(good_cases[i].filter);
		o = quote(good_cases[i].order[0]);
		tests[n].name = xasprintf("good %zu: %s order %s%s", i, f, o,
		    good_cases[i].order[1] != NULL ? " ..." : "");
		free(f);
		free(o);
		tests[n].test_func = test_good_case;
		tests[n++].initial_state = (void *)&good_cases[i];
	}
	for (i = 0; i < NELEM(bad_cases); i++) {
		f = quote(bad_cases[i].filter);
		o = quote(bad_cases[i].order[0]);
		tests[n].name = xasprintf("bad %zu: %s order %s%s", i, f, o,
		    bad_cases[i].order[1] != NULL ? " ..." : "");
		free(f);
		free(o);
		tests[n].test_func = test_bad_case;
		tests[n++].initial_state = (void *)&bad_cases[i];
	}
	for (i = 0; i < NELEM(fixed); i++) {
		tests[n] = fixed[i];
		tests[n++].name = xstrdup(fixed[i].name);
	}

	cmocka_set_message_output(CM_OUTPUT_TAP);
	rc = _cmocka_run_group_tests("test_mlflow_search", tests, n, setup,
	    teardown);
	for (i = 0; i < n; i++)
		free((char *)tests[i].name);
	free(tests);
	return rc;
}
