/*
 * MLflow tracking: the objects (experiments, runs, metrics, params, tags,
 * dataset inputs) with MLflow's ids and semantics, the validation rules and
 * limits of MLflow's server in its own words, the JSON forms its client
 * reads (the field names of mlflow/protos/service.proto), and the store's
 * queries for them (store_mlflow.c).
 */
#ifndef LATHE_MLFLOW_H
#define LATHE_MLFLOW_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct store;
struct search_query;
struct mlflow_expsearch;

#define MLFLOW_DEFAULT_EXPERIMENT	0
#define MLFLOW_DEFAULT_NAME		"Default"
#define MLFLOW_RUN_NAME_TAG		"mlflow.runName"
#define MLFLOW_LOGGED_MODELS_TAG	"mlflow.log-model.history"

/* MLflow's limits (mlflow/utils/validation.py), in characters. */
#define MLFLOW_MAX_METRICS_PER_BATCH	1000
#define MLFLOW_MAX_PARAMS_TAGS_PER_BATCH 100
#define MLFLOW_MAX_ENTITIES_PER_BATCH	1000
#define MLFLOW_MAX_DATASETS_PER_BATCH	1000
#define MLFLOW_MAX_ENTITY_KEY		250
#define MLFLOW_MAX_PARAM_VALUE		6000
#define MLFLOW_MAX_TAG_VALUE		5000
#define MLFLOW_MAX_EXPERIMENT_NAME	500
#define MLFLOW_MAX_EXPERIMENT_TAG_KEY	250
#define MLFLOW_MAX_EXPERIMENT_TAG_VALUE	5000
#define MLFLOW_SEARCH_MAX_RESULTS	50000
#define MLFLOW_SEARCH_DEFAULT_RESULTS	1000
/* At most this many history points in one page, whatever is asked. */
#define MLFLOW_HISTORY_PAGE_MAX		25000

/* What the store keeps for +/-Infinity, as MLflow's SQL store does. */
#define MLFLOW_INF_STORED		1.7976931348623157e308

/* Results of the store besides those of store.h. */
#define STORE_MLFLOW_INACTIVE	-20	/* the run or experiment is deleted */
#define STORE_MLFLOW_CONFLICT	-21	/* a param would change value */

enum mlflow_view {
	MLFLOW_ACTIVE_ONLY = 1,
	MLFLOW_DELETED_ONLY = 2,
	MLFLOW_ALL = 3,
};

/* A key and its value: run tags, params, experiment and input tags. */
struct mlflow_tag {
	char	*key;
	char	*value;
};

struct mlflow_metric {
	char	*key;
	double	 value;		/* NaN and +/-Infinity as such */
	int64_t	 timestamp;	/* ms */
	int64_t	 step;
};

struct mlflow_experiment {
	int64_t			 id;
	char			*name;
	char			*artifact_location;	/* resolved, a URI */
	char			*lifecycle_stage;	/* active, deleted */
	int64_t			 creation_time;
	int64_t			 last_update_time;
	struct mlflow_tag	*tags;
	size_t			 ntags;
};

struct mlflow_run_info {
	char			 run_uuid[33];	/* 32 lowercase hex */
	int64_t			 experiment_id;
	char			*run_name;
	char			*user_id;
	char			*status;	/* RUNNING ... KILLED */
	int64_t			 start_time;
	int64_t			 end_time;
	int			 has_end_time;
	char			*artifact_uri;
	char			*lifecycle_stage;
};

struct mlflow_dataset_input {
	char			*name;
	char			*digest;
	char			*source_type;
	char			*source;
	char			*schema;	/* NULL when not given */
	char			*profile;	/* NULL when not given */
	struct mlflow_tag	*tags;
	size_t			 ntags;
};

struct mlflow_run {
	struct mlflow_run_info		 info;
	struct mlflow_metric		*metrics;	/* the latest of each */
	size_t				 nmetrics;
	struct mlflow_tag		*params;
	size_t				 nparams;
	struct mlflow_tag		*tags;
	size_t				 ntags;
	struct mlflow_dataset_input	*inputs;
	size_t				 ninputs;
};

/* Where a metric's history page ends, to continue after it. */
struct mlflow_cursor {
	int64_t	step;
	int64_t	timestamp;
	int64_t	seq;
};

/* Freeing; each accepts NULL. */
void	mlflow_tags_free(struct mlflow_tag *, size_t);
void	mlflow_metrics_free(struct mlflow_metric *, size_t);
void	mlflow_experiment_free(struct mlflow_experiment *);
void	mlflow_experiments_free(struct mlflow_experiment **, size_t);
void	mlflow_run_info_done(struct mlflow_run_info *);
void	mlflow_inputs_free(struct mlflow_dataset_input *, size_t);
void	mlflow_run_free(struct mlflow_run *);
void	mlflow_runs_free(struct mlflow_run **, size_t);

/*
 * Validation, with MLflow's messages. Each returns 0, or -1 with *cause
 * (INVALID_PARAMETER_VALUE). what is "metric", "parameter" or "tag".
 */
int	mlflow_check_key(const char *what, const char *key, char **cause);
/* entity is "Metric name", "Param value", ...: at most limit characters. */
int	mlflow_check_length(const char *entity, const char *value,
	    size_t limit, char **cause);
int	mlflow_check_metric(const struct mlflow_metric *, char **cause);
int	mlflow_check_param(const struct mlflow_tag *, char **cause);
int	mlflow_check_tag(const struct mlflow_tag *, char **cause);
int	mlflow_check_experiment_tag(const struct mlflow_tag *, char **cause);
int	mlflow_check_experiment_name(const char *, char **cause);
int	mlflow_check_input(const struct mlflow_dataset_input *, char **cause);
/* The batch limits: metrics, params, tags and all of them together. */
int	mlflow_check_batch(size_t nmetrics, size_t nparams, size_t ntags,
	    char **cause);
/* Whether s is a run id as lathed makes them: 32 lowercase hex digits. */
int	mlflow_is_run_id(const char *s);
/* The number of characters (code points) of UTF-8 s. */
size_t	mlflow_chars(const char *s);
/* posixpath.normpath of s; a new string. */
char	*mlflow_normpath(const char *s);

/* Run status and view type names: return the value, or -1 if unknown. */
int	mlflow_status_parse(const char *);
const char *mlflow_status_name(int);
int	mlflow_view_parse(const char *);

/* Fill buf with a new run id: uuid4 as 32 lowercase hex digits. */
void	mlflow_run_id_new(char buf[33]);
/* A random run name as MLflow makes them ("adjective-noun-123"); new. */
char	*mlflow_run_name_new(void);

/*
 * The file:// URI of an absolute path, escaped as Python's
 * pathlib.Path.as_uri() does; a new string.
 */
char	*mlflow_file_uri(const char *path);
/*
 * The file:// URI of STATE/mlflow-artifacts, under which experiments
 * without a location of their own keep their runs' artifacts; a new string.
 */
char	*mlflow_artifact_root(const char *state_dir);
/* The local path of a file:// URI or an absolute path, else NULL; new. */
char	*mlflow_uri_path(const char *uri);

/*
 * JSON forms, as MLflow's server writes them: ids as strings, times as
 * numbers, NaN as "NaN", empty lists left out. New objects.
 */
cJSON	*mlflow_experiment_to_json(const struct mlflow_experiment *);
cJSON	*mlflow_run_info_to_json(const struct mlflow_run_info *);
cJSON	*mlflow_run_to_json(const struct mlflow_run *);
cJSON	*mlflow_metric_to_json(const struct mlflow_metric *);
/* Add v to obj: a number, exact even past 2^53. */
void	 mlflow_json_add_int64(cJSON *obj, const char *name, int64_t v);

/*
 * The store's queries (store_mlflow.c). Results: 0, -1 (*cause), and
 * STORE_NOTFOUND, STORE_EXISTS, STORE_MLFLOW_INACTIVE or
 * STORE_MLFLOW_CONFLICT as said, with *cause in MLflow's words. Where
 * artifact_root appears, it is the file:// URI of the directory under which
 * experiments without a location of their own keep their artifacts
 * (STATE/mlflow-artifacts): an experiment's location is then
 * artifact_root/ID.
 */
extern const char store_schema_mlflow[];

/* Create an experiment; *id is the new one. STORE_EXISTS: name taken. */
int	store_mlflow_experiment_create(struct store *, const char *name,
	    const char *artifact_location, const struct mlflow_tag *tags,
	    size_t ntags, int64_t *id, char **cause);
int	store_mlflow_experiment_get(struct store *, const char *artifact_root,
	    int64_t id, struct mlflow_experiment **out, char **cause);
int	store_mlflow_experiment_by_name(struct store *,
	    const char *artifact_root, const char *name,
	    struct mlflow_experiment **out, char **cause);
/*
 * Delete (active -> deleted) or restore (deleted -> active) an experiment
 * and with it all its runs. STORE_NOTFOUND when it is not in the state to
 * leave.
 */
int	store_mlflow_experiment_delete(struct store *, int64_t id,
	    char **cause);
int	store_mlflow_experiment_restore(struct store *, int64_t id,
	    char **cause);
/* STORE_MLFLOW_INACTIVE: deleted experiments keep their name. */
int	store_mlflow_experiment_rename(struct store *, int64_t id,
	    const char *name, char **cause);
int	store_mlflow_experiment_tag_set(struct store *, int64_t id,
	    const struct mlflow_tag *, char **cause);
int	store_mlflow_experiment_tag_delete(struct store *, int64_t id,
	    const char *key, char **cause);
/*
 * Experiments matching q (mlflow_expsearch_compile's output) in the view,
 * in q's order, from offset; at most limit, *more when others follow.
 */
int	store_mlflow_experiment_search(struct store *,
	    const char *artifact_root, enum mlflow_view,
	    const struct mlflow_expsearch *q, size_t offset, size_t limit,
	    struct mlflow_experiment ***out, size_t *n, int *more,
	    char **cause);

/*
 * Create a run in an active experiment: info's experiment_id, run_name
 * (or the mlflow.runName tag, or a random name), user_id and start_time
 * are read; the rest is filled in. tags are set with it, and
 * mlflow.runName unless given.
 */
int	store_mlflow_run_create(struct store *, const char *artifact_root,
	    struct mlflow_run_info *info, const struct mlflow_tag *tags,
	    size_t ntags, char **cause);
/* The run with its latest metrics, params, tags and inputs. */
int	store_mlflow_run_get(struct store *, const char *run_uuid,
	    struct mlflow_run **out, char **cause);
/*
 * Update an active run: status (-1 to keep), end_time (when has_end),
 * run_name (NULL or "" to keep; also its mlflow.runName tag). *out is the
 * run's info afterwards (the caller calls mlflow_run_info_done).
 */
int	store_mlflow_run_update(struct store *, const char *run_uuid,
	    int status, int has_end, int64_t end_time, const char *run_name,
	    struct mlflow_run_info *out, char **cause);
int	store_mlflow_run_delete(struct store *, const char *run_uuid,
	    char **cause);
int	store_mlflow_run_restore(struct store *, const char *run_uuid,
	    char **cause);
/*
 * Log to an active run, all or nothing in one transaction: params (a
 * param logged again with the same value is accepted, with another one is
 * STORE_MLFLOW_CONFLICT), metrics (an exact repeat is kept once; the latest
 * by step, then timestamp, then value is kept for reading), tags (the last
 * value wins; mlflow.runName renames the run). batch chooses the wording
 * of a conflict (log-batch's or log-parameter's).
 */
int	store_mlflow_log(struct store *, const char *run_uuid,
	    const struct mlflow_metric *metrics, size_t nmetrics,
	    const struct mlflow_tag *params, size_t nparams,
	    const struct mlflow_tag *tags, size_t ntags, int batch,
	    char **cause);
int	store_mlflow_tag_delete(struct store *, const char *run_uuid,
	    const char *key, char **cause);
/* Record dataset inputs of an active run; one already logged is kept. */
int	store_mlflow_log_inputs(struct store *, const char *run_uuid,
	    const struct mlflow_dataset_input *, size_t n, char **cause);
/* Append model (a JSON object) to the run's mlflow.log-model.history. */
int	store_mlflow_log_model(struct store *, const char *run_uuid,
	    const cJSON *model, char **cause);
/*
 * A metric's history in (step, timestamp, logging) order: after *after
 * when not NULL, at most limit points; *more when others follow, and then
 * *last is where this page ended.
 */
int	store_mlflow_metric_history(struct store *, const char *run_uuid,
	    const char *key, const struct mlflow_cursor *after, size_t limit,
	    struct mlflow_metric **out, size_t *n, int *more,
	    struct mlflow_cursor *last, char **cause);
/*
 * Runs of the experiments ids in the view matching q (search_compile's
 * output), in q's order, from offset; at most limit, *more when others
 * follow. Full runs, as store_mlflow_run_get.
 */
int	store_mlflow_run_search(struct store *, const int64_t *ids, size_t nids,
	    enum mlflow_view, const struct search_query *q, size_t offset,
	    size_t limit, struct mlflow_run ***out, size_t *n, int *more,
	    char **cause);

#endif
