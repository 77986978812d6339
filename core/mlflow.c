/*
 * MLflow's objects as lathed keeps them: freeing, the validation rules of
 * MLflow's server (mlflow/utils/validation.py) with its messages, ids and
 * run names made as MLflow makes them, file URIs as Python writes them, and
 * the JSON forms that MLflow's client parses (protobuf's JSON mapping of
 * service.proto, with int64 kept as numbers as MLflow's server does).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "mlflow.h"
#include "paths.h"
#include "wire.h"
#include "xmalloc.h"

static const char *mlflow_statuses[] = {
	NULL, "RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"
};

static const char *mlflow_views[] = {
	NULL, "ACTIVE_ONLY", "DELETED_ONLY", "ALL"
};

/* Words of random run names, in the spirit of MLflow's own lists. */
static const char *mlflow_adjectives[] = {
	"able", "amazing", "bold", "brave", "bright", "calm", "capable",
	"clean", "clever", "crisp", "dapper", "eager", "fair", "fearless",
	"gentle", "glamorous", "grand", "honest", "kindly", "languid",
	"likeable", "lucky", "merciful", "nimble", "polite", "quick",
	"redolent", "rogue", "serious", "shivering", "silent", "skillful",
	"smiling", "stylish", "sweet", "thoughtful", "unique", "upbeat",
	"valuable", "wise",
};

static const char *mlflow_nouns[] = {
	"ant", "bat", "bear", "bird", "boar", "calf", "carp", "cat", "colt",
	"conch", "crab", "crane", "deer", "doe", "dove", "duck", "eel", "elk",
	"fawn", "finch", "fish", "fox", "frog", "goat", "gull", "hare",
	"hawk", "hen", "jay", "koi", "lamb", "lark", "mole", "moth", "newt",
	"owl", "ox", "panda", "ram", "seal", "shrew", "slug", "snail", "stag",
	"swan", "toad", "trout", "whale", "wolf", "wren",
};

void
mlflow_tags_free(struct mlflow_tag *v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

void
mlflow_metrics_free(struct mlflow_metric *v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

void
mlflow_experiment_free(struct mlflow_experiment *e)
{
	if (e == NULL)
		return;
	free(e->name);
	free(e->artifact_location);
	free(e->lifecycle_stage);
	mlflow_tags_free(e->tags, e->ntags);
	free(e);
}

void
mlflow_experiments_free(struct mlflow_experiment **v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		mlflow_experiment_free(v[i]);
	free(v);
}

void
mlflow_run_info_done(struct mlflow_run_info *info)
{
	free(info->run_name);
	free(info->user_id);
	free(info->status);
	free(info->artifact_uri);
	free(info->lifecycle_stage);
	info->run_name = info->user_id = info->status = NULL;
	info->artifact_uri = info->lifecycle_stage = NULL;
}

void
mlflow_inputs_free(struct mlflow_dataset_input *v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].digest);
		free(v[i].source_type);
		free(v[i].source);
		free(v[i].schema);
		free(v[i].profile);
		mlflow_tags_free(v[i].tags, v[i].ntags);
	}
	free(v);
}

void
mlflow_run_free(struct mlflow_run *run)
{
	if (run == NULL)
		return;
	mlflow_run_info_done(&run->info);
	mlflow_metrics_free(run->metrics, run->nmetrics);
	mlflow_tags_free(run->params, run->nparams);
	mlflow_tags_free(run->tags, run->ntags);
	mlflow_inputs_free(run->inputs, run->ninputs);
	free(run);
}

void
mlflow_runs_free(struct mlflow_run **v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		mlflow_run_free(v[i]);
	free(v);
}

size_t
mlflow_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

/* The first max characters of s; a new string. */
static char *
mlflow_prefix(const char *s, size_t max)
{
	const char	*p = s;
	size_t		 n = 0;

	for (; *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && n++ == max)
			break;
	}
	return xstrndup(s, (size_t)(p - s));
}

char *
mlflow_normpath(const char *s)
{
	struct buf	 b;
	const char	*p, *end;
	size_t		*starts = NULL, nstarts = 0, len;
	int		 slashes = 0;

	if (*s == '\0')
		return xstrdup(".");
	if (s[0] == '/')
		slashes = (s[1] == '/' && s[2] != '/') ? 2 : 1;
	buf_init(&b);
	starts = xcalloc(strlen(s) + 1, sizeof *starts);
	for (p = s; *p != '\0'; p = end) {
		while (*p == '/')
			p++;
		end = p + strcspn(p, "/");
		len = (size_t)(end - p);
		if (len == 0 || (len == 1 && p[0] == '.'))
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			int top_dotdot = nstarts > 0 && strcmp(b.data +
			    starts[nstarts - 1], "..") == 0;

			if ((slashes == 0 && nstarts == 0) || top_dotdot) {
				/* kept: nothing to climb out of */
			} else {
				if (nstarts > 0) {
					size_t at = starts[--nstarts];

					b.len = at > 0 ? at - 1 : 0;
					if (b.data != NULL)
						b.data[b.len] = '\0';
				}
				continue;
			}
		}
		if (nstarts > 0)
			buf_addc(&b, '/');
		starts[nstarts++] = b.len;
		buf_add(&b, p, len);
	}
	free(starts);
	p = buf_str(&b);
	if (slashes > 0) {
		char *out = xasprintf("%s%s", slashes == 2 ? "//" : "/", p);

		buf_done(&b);
		return out;
	}
	if (*p == '\0') {
		buf_done(&b);
		return xstrdup(".");
	}
	return buf_take(&b);
}

static const char *
mlflow_what_name(const char *what)
{
	if (strcmp(what, "metric") == 0)
		return "metric name";
	if (strcmp(what, "parameter") == 0)
		return "parameter name";
	return "tag name";
}

int
mlflow_check_key(const char *what, const char *key, char **cause)
{
	const unsigned char	*p;
	char			*norm;
	int			 bad;

	for (p = (const unsigned char *)key; *p != '\0'; p++) {
		/*
		 * Python's \w takes any Unicode letter or digit; every
		 * non-ASCII character stands in for those here.
		 */
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p >= 0x80 ||
		    strchr("_/.- ", *p) != NULL)
			continue;
		*cause = xasprintf("Invalid %s: '%s'. Names may only contain "
		    "alphanumerics, underscores (_), dashes (-), periods (.), "
		    "spaces ( ), and slashes (/).", mlflow_what_name(what),
		    key);
		return -1;
	}
	norm = mlflow_normpath(key);
	bad = strcmp(norm, key) != 0 || strcmp(norm, ".") == 0 ||
	    strncmp(norm, "..", 2) == 0 || norm[0] == '/';
	if (bad)
		*cause = xasprintf("Invalid %s: '%s'. Names may be treated as "
		    "files in certain cases, and must not resolve to other "
		    "names when treated as such. This name would resolve to "
		    "'%s'", mlflow_what_name(what), key, norm);
	free(norm);
	return bad ? -1 : 0;
}

int
mlflow_check_length(const char *entity, const char *value, size_t limit,
    char **cause)
{
	size_t	 n = mlflow_chars(value);
	char	*head;

	if (n <= limit)
		return 0;
	head = mlflow_prefix(value, 250);
	*cause = xasprintf("%s '%s' had length %zu, which exceeded length "
	    "limit of %zu", entity, head, n, limit);
	free(head);
	return -1;
}

/* A double as Python's repr writes it. */
static void
mlflow_float_repr(double v, char *buf, size_t len)
{
	int	prec;

	if (isnan(v)) {
		snprintf(buf, len, "nan");
		return;
	}
	if (isinf(v)) {
		snprintf(buf, len, v > 0 ? "inf" : "-inf");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (strpbrk(buf, ".en") == NULL && strlen(buf) + 2 < len)
		strcat(buf, ".0");
}

int
mlflow_check_metric(const struct mlflow_metric *m, char **cause)
{
	char	v[32];

	if (mlflow_check_key("metric", m->key, cause) != 0)
		return -1;
	if (m->timestamp < 0) {
		mlflow_float_repr(m->value, v, sizeof v);
		*cause = xasprintf("Got invalid timestamp %lld for metric '%s' "
		    "(value=%s). Timestamp must be a nonnegative long (64-bit "
		    "integer) ", (long long)m->timestamp, m->key, v);
		return -1;
	}
	return mlflow_check_length("Metric name", m->key,
	    MLFLOW_MAX_ENTITY_KEY, cause);
}

int
mlflow_check_param(const struct mlflow_tag *p, char **cause)
{
	if (mlflow_check_key("parameter", p->key, cause) != 0 ||
	    mlflow_check_length("Param key", p->key, MLFLOW_MAX_ENTITY_KEY,
	    cause) != 0 ||
	    mlflow_check_length("Param value", p->value,
	    MLFLOW_MAX_PARAM_VALUE, cause) != 0)
		return -1;
	return 0;
}

int
mlflow_check_tag(const struct mlflow_tag *t, char **cause)
{
	if (mlflow_check_key("tag", t->key, cause) != 0 ||
	    mlflow_check_length("Tag key", t->key, MLFLOW_MAX_ENTITY_KEY,
	    cause) != 0 ||
	    mlflow_check_length("Tag value", t->value, MLFLOW_MAX_TAG_VALUE,
	    cause) != 0)
		return -1;
	return 0;
}

int
mlflow_check_experiment_tag(const struct mlflow_tag *t, char **cause)
{
	if (mlflow_check_key("tag", t->key, cause) != 0 ||
	    mlflow_check_length("Tag key", t->key,
	    MLFLOW_MAX_EXPERIMENT_TAG_KEY, cause) != 0 ||
	    mlflow_check_length("Tag value", t->value,
	    MLFLOW_MAX_EXPERIMENT_TAG_VALUE, cause) != 0)
		return -1;
	return 0;
}

int
mlflow_check_experiment_name(const char *name, char **cause)
{
	if (*name == '\0') {
		*cause = xstrdup("Invalid experiment name: ''");
		return -1;
	}
	if (mlflow_chars(name) > MLFLOW_MAX_EXPERIMENT_NAME) {
		*cause = xasprintf("Experiment name exceeds the maximum length "
		    "of %d characters", MLFLOW_MAX_EXPERIMENT_NAME);
		return -1;
	}
	return 0;
}

/* MLflow's limits of dataset fields and input tags. */
static const struct {
	const char	*what;
	size_t		 off;
	size_t		 max;
	int		 required;
} mlflow_dataset_fields[] = {
	{ "name", offsetof(struct mlflow_dataset_input, name), 500, 1 },
	{ "digest", offsetof(struct mlflow_dataset_input, digest), 36, 1 },
	{ "source_type", offsetof(struct mlflow_dataset_input, source_type),
	    SIZE_MAX, 1 },
	{ "source", offsetof(struct mlflow_dataset_input, source), 65535, 1 },
	{ "schema", offsetof(struct mlflow_dataset_input, schema), 1048575, 0 },
	{ "profile", offsetof(struct mlflow_dataset_input, profile), 16777215,
	    0 },
};

int
mlflow_check_input(const struct mlflow_dataset_input *in, char **cause)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof mlflow_dataset_fields /
	    sizeof mlflow_dataset_fields[0]; i++) {
		v = *(char *const *)((const char *)in +
		    mlflow_dataset_fields[i].off);
		if (v == NULL) {
			if (!mlflow_dataset_fields[i].required)
				continue;
			*cause = xasprintf("Dataset %s cannot be None",
			    mlflow_dataset_fields[i].what);
			return -1;
		}
		if (mlflow_dataset_fields[i].max != SIZE_MAX &&
		    mlflow_chars(v) > mlflow_dataset_fields[i].max) {
			*cause = xasprintf("Dataset %s exceeds the maximum "
			    "length of %zu", mlflow_dataset_fields[i].what,
			    mlflow_dataset_fields[i].max);
			return -1;
		}
	}
	for (i = 0; i < in->ntags; i++) {
		if (mlflow_chars(in->tags[i].key) > 255) {
			*cause = xstrdup("InputTag key exceeds the maximum "
			    "length of 255");
			return -1;
		}
		if (mlflow_chars(in->tags[i].value) > 500) {
			*cause = xstrdup("InputTag value exceeds the maximum "
			    "length of 500");
			return -1;
		}
	}
	return 0;
}

static int
mlflow_check_limit(const char *what, size_t limit, size_t n, char **cause)
{
	if (n <= limit)
		return 0;
	*cause = xasprintf("A batch logging request can contain at most %zu "
	    "%s. Got %zu %s. Please split up %s across multiple requests and "
	    "try again.", limit, what, n, what, what);
	return -1;
}

int
mlflow_check_batch(size_t nmetrics, size_t nparams, size_t ntags,
    char **cause)
{
	if (mlflow_check_limit("metrics", MLFLOW_MAX_METRICS_PER_BATCH,
	    nmetrics, cause) != 0 ||
	    mlflow_check_limit("params", MLFLOW_MAX_PARAMS_TAGS_PER_BATCH,
	    nparams, cause) != 0 ||
	    mlflow_check_limit("tags", MLFLOW_MAX_PARAMS_TAGS_PER_BATCH,
	    ntags, cause) != 0 ||
	    mlflow_check_limit("metrics, params, and tags",
	    MLFLOW_MAX_ENTITIES_PER_BATCH, nmetrics + nparams + ntags,
	    cause) != 0)
		return -1;
	return 0;
}

int
mlflow_is_run_id(const char *s)
{
	size_t	i;

	for (i = 0; i < 32; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return s[32] == '\0';
}

static int
mlflow_enum_parse(const char *s, const char **names, int n)
{
	char	*end;
	long	 v;
	int	 i;

	for (i = 1; i < n; i++) {
		if (strcmp(s, names[i]) == 0)
			return i;
	}
	/* Protobuf's JSON parser takes an enum's number too. */
	v = strtol(s, &end, 10);
	if (*s != '\0' && *end == '\0' && v >= 1 && v < n)
		return (int)v;
	return -1;
}

int
mlflow_status_parse(const char *s)
{
	return mlflow_enum_parse(s, mlflow_statuses,
	    sizeof mlflow_statuses / sizeof mlflow_statuses[0]);
}

const char *
mlflow_status_name(int status)
{
	if (status < 1 || status >= (int)(sizeof mlflow_statuses /
	    sizeof mlflow_statuses[0]))
		return NULL;
	return mlflow_statuses[status];
}

int
mlflow_view_parse(const char *s)
{
	return mlflow_enum_parse(s, mlflow_views,
	    sizeof mlflow_views / sizeof mlflow_views[0]);
}

void
mlflow_run_id_new(char buf[33])
{
	unsigned char	b[16];

	randombytes_buf(b, sizeof b);
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	sodium_bin2hex(buf, 33, b, sizeof b);
}

char *
mlflow_run_name_new(void)
{
	size_t	na = sizeof mlflow_adjectives / sizeof mlflow_adjectives[0];
	size_t	nn = sizeof mlflow_nouns / sizeof mlflow_nouns[0];

	return xasprintf("%s-%s-%u",
	    mlflow_adjectives[randombytes_uniform((uint32_t)na)],
	    mlflow_nouns[randombytes_uniform((uint32_t)nn)],
	    (unsigned)randombytes_uniform(1000));
}

char *
mlflow_file_uri(const char *path)
{
	struct buf		 b;
	const unsigned char	*p;

	buf_init(&b);
	buf_adds(&b, "file://");
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("_.-~/", *p) != NULL)
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return buf_take(&b);
}

char *
mlflow_artifact_root(const char *state_dir)
{
	char	*dir = paths_join(state_dir, "mlflow-artifacts");
	char	*uri = mlflow_file_uri(dir);

	free(dir);
	return uri;
}

char *
mlflow_uri_path(const char *uri)
{
	const char	*p;

	if (uri[0] == '/')
		return xstrdup(uri);
	if (strncmp(uri, "file://", 7) == 0) {
		p = uri + 7;
		if (strncmp(p, "localhost/", 10) == 0)
			p += 9;
		if (*p != '/')
			return NULL;	/* another host */
	} else if (strncmp(uri, "file:/", 6) == 0)
		p = uri + 5;
	else
		return NULL;
	if (strpbrk(p, "?#") != NULL)
		return NULL;
	return wire_unescape(p, 0);
}

void
mlflow_json_add_int64(cJSON *obj, const char *name, int64_t v)
{
	char	buf[32];

	/* cJSON prints 15 significant digits: exact integers go raw. */
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	cJSON_AddRawToObject(obj, name, buf);
}

static void
mlflow_json_add_double(cJSON *obj, const char *name, double v)
{
	char	buf[32];
	int	prec;

	/* Protobuf's JSON mapping spells these as strings. */
	if (isnan(v)) {
		cJSON_AddStringToObject(obj, name, "NaN");
		return;
	}
	if (isinf(v)) {
		cJSON_AddStringToObject(obj, name, v > 0 ? "Infinity" :
		    "-Infinity");
		return;
	}
	/* The shortest form that reads back as v, as Python writes it. */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	cJSON_AddRawToObject(obj, name, buf);
}

/* Add a list of {key, value}, unless empty, as protobuf's JSON does. */
static void
mlflow_json_add_tags(cJSON *obj, const char *name,
    const struct mlflow_tag *v, size_t n)
{
	cJSON	*a, *o;
	size_t	 i;

	if (n == 0)
		return;
	a = cJSON_AddArrayToObject(obj, name);
	for (i = 0; i < n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "key", v[i].key);
		cJSON_AddStringToObject(o, "value", v[i].value);
		cJSON_AddItemToArray(a, o);
	}
}

cJSON *
mlflow_experiment_to_json(const struct mlflow_experiment *e)
{
	cJSON	*o = cJSON_CreateObject();
	char	 id[24];

	snprintf(id, sizeof id, "%lld", (long long)e->id);
	cJSON_AddStringToObject(o, "experiment_id", id);
	cJSON_AddStringToObject(o, "name", e->name);
	cJSON_AddStringToObject(o, "artifact_location", e->artifact_location);
	cJSON_AddStringToObject(o, "lifecycle_stage", e->lifecycle_stage);
	mlflow_json_add_int64(o, "last_update_time", e->last_update_time);
	mlflow_json_add_int64(o, "creation_time", e->creation_time);
	mlflow_json_add_tags(o, "tags", e->tags, e->ntags);
	return o;
}

cJSON *
mlflow_run_info_to_json(const struct mlflow_run_info *info)
{
	cJSON	*o = cJSON_CreateObject();
	char	 id[24];

	snprintf(id, sizeof id, "%lld", (long long)info->experiment_id);
	cJSON_AddStringToObject(o, "run_uuid", info->run_uuid);
	cJSON_AddStringToObject(o, "experiment_id", id);
	cJSON_AddStringToObject(o, "run_name", info->run_name);
	cJSON_AddStringToObject(o, "user_id", info->user_id);
	cJSON_AddStringToObject(o, "status", info->status);
	mlflow_json_add_int64(o, "start_time", info->start_time);
	if (info->has_end_time)
		mlflow_json_add_int64(o, "end_time", info->end_time);
	cJSON_AddStringToObject(o, "artifact_uri", info->artifact_uri);
	cJSON_AddStringToObject(o, "lifecycle_stage", info->lifecycle_stage);
	cJSON_AddStringToObject(o, "run_id", info->run_uuid);
	return o;
}

cJSON *
mlflow_metric_to_json(const struct mlflow_metric *m)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "key", m->key);
	mlflow_json_add_double(o, "value", m->value);
	mlflow_json_add_int64(o, "timestamp", m->timestamp);
	mlflow_json_add_int64(o, "step", m->step);
	return o;
}

static cJSON *
mlflow_input_to_json(const struct mlflow_dataset_input *in)
{
	cJSON	*o = cJSON_CreateObject(), *d;

	mlflow_json_add_tags(o, "tags", in->tags, in->ntags);
	d = cJSON_AddObjectToObject(o, "dataset");
	cJSON_AddStringToObject(d, "name", in->name);
	cJSON_AddStringToObject(d, "digest", in->digest);
	cJSON_AddStringToObject(d, "source_type", in->source_type);
	cJSON_AddStringToObject(d, "source", in->source);
	if (in->schema != NULL)
		cJSON_AddStringToObject(d, "schema", in->schema);
	if (in->profile != NULL)
		cJSON_AddStringToObject(d, "profile", in->profile);
	return o;
}

cJSON *
mlflow_run_to_json(const struct mlflow_run *run)
{
	cJSON	*o = cJSON_CreateObject(), *data, *inputs, *a;
	size_t	 i;

	cJSON_AddItemToObject(o, "info", mlflow_run_info_to_json(&run->info));
	data = cJSON_AddObjectToObject(o, "data");
	if (run->nmetrics > 0) {
		a = cJSON_AddArrayToObject(data, "metrics");
		for (i = 0; i < run->nmetrics; i++)
			cJSON_AddItemToArray(a,
			    mlflow_metric_to_json(&run->metrics[i]));
	}
	mlflow_json_add_tags(data, "params", run->params, run->nparams);
	mlflow_json_add_tags(data, "tags", run->tags, run->ntags);
	inputs = cJSON_AddObjectToObject(o, "inputs");
	if (run->ninputs > 0) {
		a = cJSON_AddArrayToObject(inputs, "dataset_inputs");
		for (i = 0; i < run->ninputs; i++)
			cJSON_AddItemToArray(a,
			    mlflow_input_to_json(&run->inputs[i]));
	}
	return o;
}
