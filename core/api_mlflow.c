/*
 * MLflow's tracking REST API under /api/2.0/mlflow/, so that MLflow's own
 * Python client, pointed at lathed with MLFLOW_TRACKING_URI, works
 * unchanged: experiments, runs, params, metrics, tags, dataset inputs,
 * metric histories, run search and artifact listings. GET requests take
 * their arguments in the query string, POST requests in a JSON body;
 * answers and errors are those of MLflow's server, in its words (see
 * mlflow/server/handlers.py and mlflow/protos/service.proto).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api.h"
#include "buf.h"
#include "core.h"
#include "files.h"
#include "json.h"
#include "mlflow.h"
#include "mlflow_expsearch.h"
#include "mlflow_search.h"
#include "paths.h"
#include "store.h"
#include "xmalloc.h"

/* Listing artifacts: entries in one answer before next_page_token. */
#define ARTIFACTS_PAGE	1000

#define SEE_DOCS "See the API docs for more information about request " \
	"parameters."

/*
 * A request's arguments as one JSON object: the body of a POST, or the
 * query string of a GET (a name given more than once becomes a list).
 */
struct margs {
	struct req	*r;
	cJSON		*obj;
	cJSON		*owned;
	int		 query;
};

static void
margs_add(void *arg, const char *name, const char *value)
{
	cJSON	*obj = arg, *old, *list;

	old = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (old == NULL) {
		cJSON_AddStringToObject(obj, name, value);
		return;
	}
	if (!cJSON_IsArray(old)) {
		list = cJSON_CreateArray();
		cJSON_AddItemToArray(list, cJSON_Duplicate(old, 1));
		cJSON_ReplaceItemInObjectCaseSensitive(obj, name, list);
		old = list;
	}
	cJSON_AddItemToArray(old, cJSON_CreateString(value));
}

static void
margs_init(struct margs *a, struct req *r)
{
	memset(a, 0, sizeof *a);
	a->r = r;
	if (strcmp(api_method(r), "GET") == 0) {
		a->owned = a->obj = cJSON_CreateObject();
		a->query = 1;
		api_query_each(r, margs_add, a->obj);
	} else
		a->obj = api_body(r);
}

static void
margs_done(struct margs *a)
{
	cJSON_Delete(a->owned);
}

static const char *
margs_pytype(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "str";
	if (cJSON_IsBool(v))
		return "bool";
	if (cJSON_IsNumber(v))
		return v->valuedouble == floor(v->valuedouble) ? "int" :
		    "float";
	if (cJSON_IsArray(v))
		return "list";
	if (cJSON_IsObject(v))
		return "dict";
	return "NoneType";
}

static int
margs_missing(struct margs *a, const char *name)
{
	api_error(a->r, WIRE_INVALID_PARAMETER_VALUE, "Missing value for "
	    "required parameter '%s'. " SEE_DOCS, name);
	return -1;
}

static int
margs_invalid(struct margs *a, const char *name, const cJSON *v)
{
	char	*text;

	if (cJSON_IsString(v))
		text = xstrdup(v->valuestring);
	else if (cJSON_IsBool(v))
		text = xstrdup(cJSON_IsTrue(v) ? "True" : "False");
	else
		text = json_print(v);
	api_error(a->r, WIRE_INVALID_PARAMETER_VALUE, "Invalid value %s for "
	    "parameter '%s' supplied. Hint: Value was of type '%s'. "
	    SEE_DOCS, text, name, margs_pytype(v));
	free(text);
	return -1;
}

static const cJSON *
margs_get(const cJSON *obj, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsNull(v) ? NULL : v;
}

/*
 * Read string field name of obj (path names it in messages). Missing,
 * null or "" when required is an error; otherwise *out is left alone.
 */
static int
margs_string_in(struct margs *a, const cJSON *obj, const char *path,
    const char *name, int required, const char **out)
{
	const cJSON	*v = margs_get(obj, name);

	if (v == NULL || (cJSON_IsString(v) && *v->valuestring == '\0' &&
	    required)) {
		if (required)
			return margs_missing(a, path);
		return 0;
	}
	if (!cJSON_IsString(v))
		return margs_invalid(a, path, v);
	*out = v->valuestring;
	return 0;
}

static int
margs_string(struct margs *a, const char *name, int required,
    const char **out)
{
	return margs_string_in(a, a->obj, name, name, required, out);
}

/* An integer given as a number or as a string of digits. */
static int
margs_int_in(struct margs *a, const cJSON *obj, const char *path,
    const char *name, int required, int64_t *out, int *present)
{
	const cJSON	*v = margs_get(obj, name);
	char		*end;
	long long	 n;
	double		 d;

	if (present != NULL)
		*present = 0;
	if (v == NULL) {
		if (required)
			return margs_missing(a, path);
		return 0;
	}
	if (cJSON_IsString(v)) {
		errno = 0;
		n = strtoll(v->valuestring, &end, 10);
		if (*v->valuestring == '\0' || *end != '\0' || errno != 0)
			return margs_invalid(a, path, v);
		*out = n;
	} else if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
		if (d != floor(d) || d < -9223372036854775808.0 ||
		    d >= 9223372036854775808.0)
			return margs_invalid(a, path, v);
		*out = (int64_t)d;
	} else
		return margs_invalid(a, path, v);
	if (present != NULL)
		*present = 1;
	return 0;
}

static int
margs_int(struct margs *a, const char *name, int64_t *out, int *present)
{
	return margs_int_in(a, a->obj, name, name, 0, out, present);
}

/* A double given as a number, or as protobuf's JSON spells them. */
static int
margs_double_in(struct margs *a, const cJSON *obj, const char *path,
    const char *name, double *out)
{
	const cJSON	*v = margs_get(obj, name);
	const char	*s;
	char		*end;

	if (v == NULL)
		return margs_missing(a, path);
	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return 0;
	}
	if (!cJSON_IsString(v))
		return margs_invalid(a, path, v);
	s = v->valuestring;
	if (strcmp(s, "NaN") == 0)
		*out = NAN;
	else if (strcmp(s, "Infinity") == 0)
		*out = INFINITY;
	else if (strcmp(s, "-Infinity") == 0)
		*out = -INFINITY;
	else {
		*out = strtod(s, &end);
		if (*s == '\0' || *end != '\0')
			return margs_invalid(a, path, v);
	}
	return 0;
}

/* A list of strings; in a query string, one value is a list of one. */
static int
margs_strings(struct margs *a, const char *name, const char ***out,
    size_t *n)
{
	const cJSON	*v = margs_get(a->obj, name), *e;
	const char	**list;
	size_t		 i = 0;

	*out = NULL;
	*n = 0;
	if (v == NULL)
		return 0;
	if (a->query && cJSON_IsString(v)) {
		*out = xcalloc(1, sizeof **out);
		(*out)[0] = v->valuestring;
		*n = 1;
		return 0;
	}
	if (!cJSON_IsArray(v))
		return margs_invalid(a, name, v);
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsString(e))
			return margs_invalid(a, name, v);
	}
	list = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *list);
	cJSON_ArrayForEach(e, v)
		list[i++] = e->valuestring;
	*out = list;
	*n = i;
	return 0;
}

/* A list of objects (tags, metrics, datasets); NULL when not given. */
static int
margs_objects(struct margs *a, const char *name, const cJSON **out,
    size_t *n)
{
	const cJSON	*v = margs_get(a->obj, name), *e;

	*out = NULL;
	*n = 0;
	if (v == NULL)
		return 0;
	if (!cJSON_IsArray(v))
		return margs_invalid(a, name, v);
	cJSON_ArrayForEach(e, v) {
		if (!cJSON_IsObject(e))
			return margs_invalid(a, name, v);
	}
	*out = v;
	*n = (size_t)cJSON_GetArraySize(v);
	return 0;
}

/*
 * Read a list of {key, value} (name[i].key required, value "" when left
 * out). The strings stay owned by the request: free only the array.
 */
static int
margs_tags(struct margs *a, const cJSON *obj, const char *prefix,
    const char *name, struct mlflow_tag **out, size_t *n)
{
	const cJSON		*list = margs_get(obj, name), *e;
	struct mlflow_tag	*v;
	const char		*key, *value;
	char			 path[96];
	size_t			 i = 0;

	*out = NULL;
	*n = 0;
	if (list == NULL)
		return 0;
	if (!cJSON_IsArray(list))
		return margs_invalid(a, name, list);
	v = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *v);
	cJSON_ArrayForEach(e, list) {
		snprintf(path, sizeof path, "%s%s", prefix, name);
		if (!cJSON_IsObject(e)) {
			free(v);
			return margs_invalid(a, path, list);
		}
		key = NULL;
		value = "";
		snprintf(path, sizeof path, "%s%s[%zu].key", prefix, name, i);
		if (margs_string_in(a, e, path, "key", 1, &key) != 0) {
			free(v);
			return -1;
		}
		snprintf(path, sizeof path, "%s%s[%zu].value", prefix, name,
		    i);
		if (margs_string_in(a, e, path, "value", 0, &value) != 0) {
			free(v);
			return -1;
		}
		v[i].key = (char *)key;
		v[i].value = (char *)value;
		i++;
	}
	*out = v;
	*n = i;
	return 0;
}

/* The run_id argument (or the deprecated run_uuid); NULL after an answer. */
static const char *
margs_run_id(struct margs *a)
{
	const char	*id = NULL;

	if (margs_string(a, "run_id", 0, &id) != 0)
		return NULL;
	if ((id == NULL || *id == '\0') &&
	    margs_string(a, "run_uuid", 0, &id) != 0)
		return NULL;
	if (id == NULL || *id == '\0') {
		margs_missing(a, "run_id");
		return NULL;
	}
	return id;
}

/* Parse an experiment id: 0, or -1 after answering 404. */
static int
api_mlflow_experiment_id(struct req *r, const char *s, int64_t *out)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0) {
		api_error(r, WIRE_RESOURCE_DOES_NOT_EXIST, "No Experiment with "
		    "id=%s exists", s);
		return -1;
	}
	*out = n;
	return 0;
}

static int
margs_experiment_id(struct margs *a, int64_t *out)
{
	const char	*s = NULL;

	if (margs_string(a, "experiment_id", 1, &s) != 0)
		return -1;
	return api_mlflow_experiment_id(a->r, s, out);
}

/* The file:// URI of STATE/mlflow-artifacts; a new string. */
static char *
api_mlflow_artifact_root(struct req *r)
{
	return mlflow_artifact_root(api_core(r)->cfg.state_dir);
}

/* Answer for a store error: the MLflow code that goes with rc. */
static void
api_mlflow_store_error(struct req *r, int rc, char *cause)
{
	enum wire_error	e;

	switch (rc) {
	case STORE_NOTFOUND:
		e = WIRE_RESOURCE_DOES_NOT_EXIST;
		break;
	case STORE_EXISTS:
		e = WIRE_RESOURCE_ALREADY_EXISTS;
		break;
	case STORE_MLFLOW_INACTIVE:
	case STORE_MLFLOW_CONFLICT:
		e = WIRE_INVALID_PARAMETER_VALUE;
		break;
	default:
		e = WIRE_INTERNAL_ERROR;
	}
	api_error_cause(r, e, cause);
}

/*
 * Answer for rc: {} or the error. cause is read through its address, so
 * that a store call may be the argument before it.
 */
static void
api_mlflow_done(struct req *r, int rc, char **cause)
{
	if (rc != 0)
		api_mlflow_store_error(r, rc, *cause);
	else
		api_reply(r, 200, NULL);
}

/* Read max_results: default def, from 1 to max. */
static int
margs_max_results(struct margs *a, int64_t def, int64_t max, int64_t *out)
{
	int64_t	n = def;
	int	present;

	if (margs_int(a, "max_results", &n, &present) != 0)
		return -1;
	if (present && n < 1) {
		api_error(a->r, WIRE_INVALID_PARAMETER_VALUE, "Invalid value "
		    "%" PRId64 " for parameter 'max_results' supplied. It must "
		    "be a positive integer", n);
		return -1;
	}
	if (n > max) {
		api_error(a->r, WIRE_INVALID_PARAMETER_VALUE, "Invalid value "
		    "%" PRId64 " for parameter 'max_results' supplied. It must "
		    "be at most %" PRId64, n, max);
		return -1;
	}
	*out = n;
	return 0;
}

/* An offset page token; 0 for the first page. */
static int
margs_offset(struct margs *a, size_t *out)
{
	const char		*token = NULL;
	char			*text, *end;
	unsigned long long	 n;

	*out = 0;
	if (margs_string(a, "page_token", 0, &token) != 0)
		return -1;
	if (token == NULL || *token == '\0')
		return 0;
	if ((text = wire_token_decode(token)) == NULL) {
		api_error(a->r, WIRE_INVALID_PARAMETER_VALUE, "Invalid page "
		    "token, could not base64-decode");
		return -1;
	}
	errno = 0;
	n = strtoull(text, &end, 10);
	if (*text < '0' || *text > '9' || *end != '\0' || errno != 0 ||
	    n > SIZE_MAX / 2) {
		api_error(a->r, WIRE_INVALID_PARAMETER_VALUE, "Invalid page "
		    "token, decoded value=%s", text);
		free(text);
		return -1;
	}
	free(text);
	*out = (size_t)n;
	return 0;
}

static void
api_mlflow_next_offset(cJSON *o, int more, size_t offset)
{
	char	text[32], *token;

	if (!more)
		return;
	snprintf(text, sizeof text, "%zu", offset);
	token = wire_token_encode(text);
	cJSON_AddStringToObject(o, "next_page_token", token);
	free(token);
}

/* A view type (run_view_type, view_type): ACTIVE_ONLY by default. */
static int
margs_view(struct margs *a, const char *name, enum mlflow_view *out)
{
	const cJSON	*v = margs_get(a->obj, name);
	char		 num[24];
	int		 view;

	*out = MLFLOW_ACTIVE_ONLY;
	if (v == NULL)
		return 0;
	if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof num, "%g", v->valuedouble);
		view = mlflow_view_parse(num);
	} else if (cJSON_IsString(v))
		view = mlflow_view_parse(v->valuestring);
	else
		view = -1;
	if (view < 0)
		return margs_invalid(a, name, v);
	*out = (enum mlflow_view)view;
	return 0;
}

/* Whether a deleted experiment holds name. */
static int
api_mlflow_name_deleted(struct req *r, const char *name)
{
	struct mlflow_experiment	*e = NULL;
	char				*cause = NULL;
	int				 deleted = 0;

	if (store_mlflow_experiment_by_name(api_core(r)->store, "", name, &e,
	    &cause) != 0) {
		free(cause);
		return 0;
	}
	deleted = strcmp(e->lifecycle_stage, "deleted") == 0;
	mlflow_experiment_free(e);
	return deleted;
}

void
api_mlflow_experiments_create(struct req *r)
{
	struct margs		 a;
	struct mlflow_tag	*tags = NULL;
	const char		*name = NULL, *location = NULL;
	char			*cause = NULL, id[24];
	size_t			 ntags, i;
	int64_t			 eid;
	int			 rc;
	cJSON			*o;

	margs_init(&a, r);
	if (margs_string(&a, "name", 1, &name) != 0 ||
	    margs_string(&a, "artifact_location", 0, &location) != 0 ||
	    margs_tags(&a, a.obj, "", "tags", &tags, &ntags) != 0)
		goto out;
	if (mlflow_check_experiment_name(name, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	if (location != NULL && strncmp(location, "runs:", 5) == 0) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Artifact location "
		    "cannot be a `runs:/` URI. Given: '%s'", location);
		goto out;
	}
	if (location != NULL && *location != '\0' && *location != '/' &&
	    strstr(location, ":/") == NULL) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Artifact location "
		    "must be an absolute path or a URI. Given: '%s'", location);
		goto out;
	}
	for (i = 0; i < ntags; i++) {
		if (mlflow_check_experiment_tag(&tags[i], &cause) != 0) {
			api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
			goto out;
		}
	}
	rc = store_mlflow_experiment_create(api_core(r)->store, name,
	    location, tags, ntags, &eid, &cause);
	if (rc == STORE_EXISTS && api_mlflow_name_deleted(r, name)) {
		api_error(r, WIRE_RESOURCE_ALREADY_EXISTS, "%s It is deleted: "
		    "restore it (experiments/restore), or choose another "
		    "name.", cause);
		free(cause);
		goto out;
	}
	if (rc != 0) {
		api_mlflow_store_error(r, rc, cause);
		goto out;
	}
	o = cJSON_CreateObject();
	snprintf(id, sizeof id, "%" PRId64, eid);
	cJSON_AddStringToObject(o, "experiment_id", id);
	api_reply(r, 200, o);
out:
	free(tags);
	margs_done(&a);
}

static void
api_mlflow_experiment_reply(struct req *r, int rc,
    struct mlflow_experiment *e, char *cause)
{
	cJSON	*o;

	if (rc != 0) {
		api_mlflow_store_error(r, rc, cause);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "experiment", mlflow_experiment_to_json(e));
	api_reply(r, 200, o);
	mlflow_experiment_free(e);
}

void
api_mlflow_experiments_get(struct req *r)
{
	struct margs			 a;
	struct mlflow_experiment	*e = NULL;
	char				*root, *cause = NULL;
	int64_t				 id;
	int				 rc;

	margs_init(&a, r);
	if (margs_experiment_id(&a, &id) == 0) {
		root = api_mlflow_artifact_root(r);
		rc = store_mlflow_experiment_get(api_core(r)->store, root, id,
		    &e, &cause);
		api_mlflow_experiment_reply(r, rc, e, cause);
		free(root);
	}
	margs_done(&a);
}

void
api_mlflow_experiments_get_by_name(struct req *r)
{
	struct margs			 a;
	struct mlflow_experiment	*e = NULL;
	const char			*name = NULL;
	char				*root, *cause = NULL;
	int				 rc;

	margs_init(&a, r);
	if (margs_string(&a, "experiment_name", 1, &name) == 0) {
		root = api_mlflow_artifact_root(r);
		rc = store_mlflow_experiment_by_name(api_core(r)->store, root,
		    name, &e, &cause);
		api_mlflow_experiment_reply(r, rc, e, cause);
		free(root);
	}
	margs_done(&a);
}

void
api_mlflow_experiments_search(struct req *r)
{
	struct margs			  a;
	struct mlflow_expsearch		  q;
	struct mlflow_experiment	**list = NULL;
	enum mlflow_view		  view;
	const char			 *filter = NULL, **order = NULL;
	char				 *root = NULL, *cause = NULL;
	size_t				  norder, offset, n = 0, i;
	int64_t				  max;
	int				  more, rc, compiled = 0;
	cJSON				 *o, *arr;

	margs_init(&a, r);
	if (margs_max_results(&a, MLFLOW_SEARCH_DEFAULT_RESULTS,
	    MLFLOW_SEARCH_MAX_RESULTS, &max) != 0 ||
	    margs_string(&a, "filter", 0, &filter) != 0 ||
	    margs_strings(&a, "order_by", &order, &norder) != 0 ||
	    margs_view(&a, "view_type", &view) != 0 ||
	    margs_offset(&a, &offset) != 0)
		goto out;
	if (mlflow_expsearch_compile(filter, order, norder, &q, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	compiled = 1;
	root = api_mlflow_artifact_root(r);
	rc = store_mlflow_experiment_search(api_core(r)->store, root, view,
	    &q, offset, (size_t)max, &list, &n, &more, &cause);
	if (rc != 0) {
		api_mlflow_store_error(r, rc, cause);
		goto out;
	}
	o = cJSON_CreateObject();
	if (n > 0) {
		arr = cJSON_AddArrayToObject(o, "experiments");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr,
			    mlflow_experiment_to_json(list[i]));
	}
	api_mlflow_next_offset(o, more, offset + n);
	api_reply(r, 200, o);
out:
	if (compiled)
		mlflow_expsearch_done(&q);
	mlflow_experiments_free(list, n);
	free(order);
	free(root);
	margs_done(&a);
}

void
api_mlflow_experiments_update(struct req *r)
{
	struct margs	 a;
	const char	*name = NULL;
	char		*cause = NULL;
	int64_t		 id;
	int		 rc;

	margs_init(&a, r);
	if (margs_experiment_id(&a, &id) != 0 ||
	    margs_string(&a, "new_name", 1, &name) != 0)
		goto out;
	if (mlflow_check_experiment_name(name, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	rc = store_mlflow_experiment_rename(api_core(r)->store, id, name,
	    &cause);
	if (rc == STORE_MLFLOW_INACTIVE)
		api_error_cause(r, WIRE_INVALID_STATE, cause);
	else
		api_mlflow_done(r, rc, &cause);
out:
	margs_done(&a);
}

void
api_mlflow_experiments_delete(struct req *r)
{
	struct margs	 a;
	char		*cause = NULL;
	int64_t		 id;

	margs_init(&a, r);
	if (margs_experiment_id(&a, &id) != 0)
		goto out;
	if (id == MLFLOW_DEFAULT_EXPERIMENT) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Cannot delete the "
		    "default experiment '0'. This is an internally reserved "
		    "experiment.");
		goto out;
	}
	api_mlflow_done(r, store_mlflow_experiment_delete(api_core(r)->store,
	    id, &cause), &cause);
out:
	margs_done(&a);
}

void
api_mlflow_experiments_restore(struct req *r)
{
	struct margs	 a;
	char		*cause = NULL;
	int64_t		 id;

	margs_init(&a, r);
	if (margs_experiment_id(&a, &id) == 0)
		api_mlflow_done(r, store_mlflow_experiment_restore(
		    api_core(r)->store, id, &cause), &cause);
	margs_done(&a);
}

void
api_mlflow_experiments_set_tag(struct req *r)
{
	struct margs		 a;
	struct mlflow_tag	 tag;
	const char		*key = NULL, *value = "";
	char			*cause = NULL;
	int64_t			 id;

	margs_init(&a, r);
	if (margs_experiment_id(&a, &id) != 0 ||
	    margs_string(&a, "key", 1, &key) != 0 ||
	    margs_string(&a, "value", 0, &value) != 0)
		goto out;
	tag.key = (char *)key;
	tag.value = (char *)value;
	if (mlflow_check_experiment_tag(&tag, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	api_mlflow_done(r, store_mlflow_experiment_tag_set(api_core(r)->store,
	    id, &tag, &cause), &cause);
out:
	margs_done(&a);
}

void
api_mlflow_experiments_delete_tag(struct req *r)
{
	struct margs	 a;
	const char	*key = NULL;
	char		*cause = NULL;
	int64_t		 id;

	margs_init(&a, r);
	if (margs_experiment_id(&a, &id) == 0 &&
	    margs_string(&a, "key", 1, &key) == 0)
		api_mlflow_done(r, store_mlflow_experiment_tag_delete(
		    api_core(r)->store, id, key, &cause), &cause);
	margs_done(&a);
}

/* Answer {"run": ...} with the run as it now is. */
static void
api_mlflow_run_reply(struct req *r, const char *run_uuid)
{
	struct mlflow_run	*run;
	char			*cause = NULL;
	int			 rc;
	cJSON			*o;

	rc = store_mlflow_run_get(api_core(r)->store, run_uuid, &run, &cause);
	if (rc != 0) {
		api_mlflow_store_error(r, rc, cause);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "run", mlflow_run_to_json(run));
	api_reply(r, 200, o);
	mlflow_run_free(run);
}

void
api_mlflow_runs_create(struct req *r)
{
	struct margs		 a;
	struct mlflow_run_info	 info;
	struct mlflow_tag	*tags = NULL;
	const char		*exp = NULL, *user = NULL, *name = NULL;
	const char		*name_tag = NULL;
	char			*cause = NULL, *root = NULL;
	size_t			 ntags, i;
	int64_t			 start = 0;
	int			 has_start, rc;

	memset(&info, 0, sizeof info);
	margs_init(&a, r);
	if (margs_string(&a, "experiment_id", 0, &exp) != 0 ||
	    margs_string(&a, "user_id", 0, &user) != 0 ||
	    margs_string(&a, "run_name", 0, &name) != 0 ||
	    margs_int(&a, "start_time", &start, &has_start) != 0 ||
	    margs_tags(&a, a.obj, "", "tags", &tags, &ntags) != 0)
		goto out;
	if (exp == NULL || *exp == '\0')
		info.experiment_id = MLFLOW_DEFAULT_EXPERIMENT;
	else if (api_mlflow_experiment_id(r, exp, &info.experiment_id) != 0)
		goto out;
	for (i = 0; i < ntags; i++) {
		if (mlflow_check_tag(&tags[i], &cause) != 0) {
			api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
			goto out;
		}
		if (strcmp(tags[i].key, MLFLOW_RUN_NAME_TAG) == 0)
			name_tag = tags[i].value;
	}
	if (name != NULL && *name != '\0' && name_tag != NULL &&
	    strcmp(name, name_tag) != 0) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Both 'run_name' "
		    "argument and 'mlflow.runName' tag are specified, but with "
		    "different values (run_name='%s', mlflow.runName='%s').",
		    name, name_tag);
		goto out;
	}
	info.run_name = xstrdup(name != NULL && *name != '\0' ? name :
	    name_tag != NULL ? name_tag : "");
	info.user_id = xstrdup(user != NULL ? user : "");
	info.start_time = has_start ? start : store_now_ms();
	root = api_mlflow_artifact_root(r);
	rc = store_mlflow_run_create(api_core(r)->store, root, &info, tags,
	    ntags, &cause);
	if (rc != 0) {
		api_mlflow_store_error(r, rc, cause);
		goto out;
	}
	api_mlflow_run_reply(r, info.run_uuid);
out:
	mlflow_run_info_done(&info);
	free(tags);
	free(root);
	margs_done(&a);
}

void
api_mlflow_runs_get(struct req *r)
{
	struct margs	 a;
	const char	*id;

	margs_init(&a, r);
	if ((id = margs_run_id(&a)) != NULL)
		api_mlflow_run_reply(r, id);
	margs_done(&a);
}

void
api_mlflow_runs_update(struct req *r)
{
	struct margs		 a;
	struct mlflow_run_info	 info;
	const cJSON		*sv;
	const char		*id, *name = NULL;
	char			*cause = NULL, num[24];
	int64_t			 end = 0;
	int			 has_end, status = -1, rc;
	cJSON			*o;

	margs_init(&a, r);
	if ((id = margs_run_id(&a)) == NULL ||
	    margs_int(&a, "end_time", &end, &has_end) != 0 ||
	    margs_string(&a, "run_name", 0, &name) != 0)
		goto out;
	if ((sv = margs_get(a.obj, "status")) != NULL) {
		if (cJSON_IsString(sv))
			status = mlflow_status_parse(sv->valuestring);
		else if (cJSON_IsNumber(sv)) {
			snprintf(num, sizeof num, "%g", sv->valuedouble);
			status = mlflow_status_parse(num);
		}
		if (status < 0) {
			margs_invalid(&a, "status", sv);
			goto out;
		}
	}
	rc = store_mlflow_run_update(api_core(r)->store, id, status, has_end,
	    end, name, &info, &cause);
	if (rc != 0) {
		api_mlflow_store_error(r, rc, cause);
		goto out;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "run_info", mlflow_run_info_to_json(&info));
	api_reply(r, 200, o);
	mlflow_run_info_done(&info);
out:
	margs_done(&a);
}

void
api_mlflow_runs_delete(struct req *r)
{
	struct margs	 a;
	const char	*id = NULL;
	char		*cause = NULL;

	margs_init(&a, r);
	if (margs_string(&a, "run_id", 1, &id) == 0)
		api_mlflow_done(r, store_mlflow_run_delete(api_core(r)->store,
		    id, &cause), &cause);
	margs_done(&a);
}

void
api_mlflow_runs_restore(struct req *r)
{
	struct margs	 a;
	const char	*id = NULL;
	char		*cause = NULL;

	margs_init(&a, r);
	if (margs_string(&a, "run_id", 1, &id) == 0)
		api_mlflow_done(r, store_mlflow_run_restore(api_core(r)->store,
		    id, &cause), &cause);
	margs_done(&a);
}

void
api_mlflow_runs_search(struct req *r)
{
	struct margs		  a;
	struct search_query	  q;
	struct mlflow_run	**runs = NULL;
	enum mlflow_view	  view;
	const char		**ids = NULL, **order = NULL, *filter = NULL;
	char			 *cause = NULL, *end;
	int64_t			 *eids = NULL, max;
	size_t			  nids, neids = 0, norder, offset, n = 0, i;
	long long		  id;
	int			  more, rc, compiled = 0;
	cJSON			 *o, *arr;

	margs_init(&a, r);
	if (margs_strings(&a, "experiment_ids", &ids, &nids) != 0 ||
	    margs_string(&a, "filter", 0, &filter) != 0 ||
	    margs_view(&a, "run_view_type", &view) != 0 ||
	    margs_max_results(&a, MLFLOW_SEARCH_DEFAULT_RESULTS,
	    MLFLOW_SEARCH_MAX_RESULTS, &max) != 0 ||
	    margs_strings(&a, "order_by", &order, &norder) != 0 ||
	    margs_offset(&a, &offset) != 0)
		goto out;
	if (search_compile(filter, order, norder, &q, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	compiled = 1;
	/* An id that is no number names no experiment of lathed's. */
	eids = xcalloc(nids + 1, sizeof *eids);
	for (i = 0; i < nids; i++) {
		errno = 0;
		id = strtoll(ids[i], &end, 10);
		if (ids[i][0] >= '0' && ids[i][0] <= '9' && *end == '\0' &&
		    errno == 0)
			eids[neids++] = id;
	}
	rc = store_mlflow_run_search(api_core(r)->store, eids, neids, view,
	    &q, offset, (size_t)max, &runs, &n, &more, &cause);
	if (rc != 0) {
		api_mlflow_store_error(r, rc, cause);
		goto out;
	}
	o = cJSON_CreateObject();
	if (n > 0) {
		arr = cJSON_AddArrayToObject(o, "runs");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, mlflow_run_to_json(runs[i]));
	}
	api_mlflow_next_offset(o, more, offset + n);
	api_reply(r, 200, o);
out:
	if (compiled)
		search_query_done(&q);
	mlflow_runs_free(runs, n);
	free(eids);
	free(ids);
	free(order);
	margs_done(&a);
}

/* Read a metric from obj (path prefixes names in messages). */
static int
margs_metric(struct margs *a, const cJSON *obj, const char *prefix,
    struct mlflow_metric *m)
{
	const char	*key = NULL;
	char		 path[64];

	memset(m, 0, sizeof *m);
	snprintf(path, sizeof path, "%skey", prefix);
	if (margs_string_in(a, obj, path, "key", 1, &key) != 0)
		return -1;
	m->key = (char *)key;
	snprintf(path, sizeof path, "%svalue", prefix);
	if (margs_double_in(a, obj, path, "value", &m->value) != 0)
		return -1;
	snprintf(path, sizeof path, "%stimestamp", prefix);
	if (margs_int_in(a, obj, path, "timestamp", 1, &m->timestamp,
	    NULL) != 0)
		return -1;
	snprintf(path, sizeof path, "%sstep", prefix);
	if (margs_int_in(a, obj, path, "step", 0, &m->step, NULL) != 0)
		return -1;
	return 0;
}

/* Log to the run and answer; the logged objects are checked first. */
static void
api_mlflow_log(struct req *r, const char *id,
    const struct mlflow_metric *metrics, size_t nmetrics,
    const struct mlflow_tag *params, size_t nparams,
    const struct mlflow_tag *tags, size_t ntags, int batch)
{
	char	*cause = NULL;
	size_t	 i, j;

	for (i = 0; i < nmetrics; i++) {
		if (mlflow_check_metric(&metrics[i], &cause) != 0)
			goto invalid;
	}
	for (i = 0; i < nparams; i++) {
		if (mlflow_check_param(&params[i], &cause) != 0)
			goto invalid;
	}
	for (i = 0; i < ntags; i++) {
		if (mlflow_check_tag(&tags[i], &cause) != 0)
			goto invalid;
	}
	if (batch) {
		if (mlflow_check_batch(nmetrics, nparams, ntags, &cause) != 0)
			goto invalid;
		for (i = 1; i < nparams; i++) {
			for (j = 0; j < i; j++) {
				if (strcmp(params[i].key, params[j].key) != 0)
					continue;
				cause = xasprintf("Duplicate parameter keys "
				    "have been submitted: ['%s']. Please "
				    "ensure the request contains only one "
				    "param value per param key.",
				    params[i].key);
				goto invalid;
			}
		}
	}
	api_mlflow_done(r, store_mlflow_log(api_core(r)->store, id, metrics,
	    nmetrics, params, nparams, tags, ntags, batch, &cause), &cause);
	return;
invalid:
	api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
}

void
api_mlflow_runs_log_metric(struct req *r)
{
	struct margs		 a;
	struct mlflow_metric	 m;
	const char		*id;

	margs_init(&a, r);
	if ((id = margs_run_id(&a)) != NULL &&
	    margs_metric(&a, a.obj, "", &m) == 0)
		api_mlflow_log(r, id, &m, 1, NULL, 0, NULL, 0, 0);
	margs_done(&a);
}

void
api_mlflow_runs_log_param(struct req *r)
{
	struct margs		 a;
	struct mlflow_tag	 p;
	const char		*id, *key = NULL, *value = "";

	margs_init(&a, r);
	if ((id = margs_run_id(&a)) != NULL &&
	    margs_string(&a, "key", 1, &key) == 0 &&
	    margs_string(&a, "value", 0, &value) == 0) {
		p.key = (char *)key;
		p.value = (char *)value;
		api_mlflow_log(r, id, NULL, 0, &p, 1, NULL, 0, 0);
	}
	margs_done(&a);
}

void
api_mlflow_runs_set_tag(struct req *r)
{
	struct margs		 a;
	struct mlflow_tag	 t;
	const char		*id, *key = NULL, *value = "";

	margs_init(&a, r);
	if ((id = margs_run_id(&a)) != NULL &&
	    margs_string(&a, "key", 1, &key) == 0 &&
	    margs_string(&a, "value", 0, &value) == 0) {
		t.key = (char *)key;
		t.value = (char *)value;
		api_mlflow_log(r, id, NULL, 0, NULL, 0, &t, 1, 0);
	}
	margs_done(&a);
}

void
api_mlflow_runs_delete_tag(struct req *r)
{
	struct margs	 a;
	const char	*id = NULL, *key = NULL;
	char		*cause = NULL;

	margs_init(&a, r);
	if (margs_string(&a, "run_id", 1, &id) == 0 &&
	    margs_string(&a, "key", 1, &key) == 0)
		api_mlflow_done(r, store_mlflow_tag_delete(api_core(r)->store,
		    id, key, &cause), &cause);
	margs_done(&a);
}

void
api_mlflow_runs_log_batch(struct req *r)
{
	struct margs		 a;
	struct mlflow_metric	*metrics = NULL;
	struct mlflow_tag	*params = NULL, *tags = NULL;
	const cJSON		*list, *e;
	const char		*id;
	char			 prefix[40];
	size_t			 nmetrics, nparams, ntags, i = 0;

	margs_init(&a, r);
	if ((id = margs_run_id(&a)) == NULL ||
	    margs_objects(&a, "metrics", &list, &nmetrics) != 0)
		goto out;
	metrics = xcalloc(nmetrics + 1, sizeof *metrics);
	if (list != NULL) {
		cJSON_ArrayForEach(e, list) {
			snprintf(prefix, sizeof prefix, "metrics[%zu].", i);
			if (margs_metric(&a, e, prefix, &metrics[i]) != 0)
				goto out;
			i++;
		}
	}
	if (margs_tags(&a, a.obj, "", "params", &params, &nparams) != 0 ||
	    margs_tags(&a, a.obj, "", "tags", &tags, &ntags) != 0)
		goto out;
	api_mlflow_log(r, id, metrics, nmetrics, params, nparams, tags, ntags,
	    1);
out:
	free(metrics);
	free(params);
	free(tags);
	margs_done(&a);
}

/* Read one dataset input; its strings stay owned by the request. */
static int
margs_input(struct margs *a, const cJSON *e, size_t i,
    struct mlflow_dataset_input *in)
{
	static const char *const fields[] = { "name", "digest", "source_type",
	    "source", "schema", "profile" };
	const cJSON	*d;
	const char	*v;
	char		 path[64], prefix[40];
	char		**slots[6];
	size_t		 k;

	memset(in, 0, sizeof *in);
	slots[0] = &in->name;
	slots[1] = &in->digest;
	slots[2] = &in->source_type;
	slots[3] = &in->source;
	slots[4] = &in->schema;
	slots[5] = &in->profile;
	snprintf(prefix, sizeof prefix, "datasets[%zu].", i);
	d = margs_get(e, "dataset");
	if (d == NULL) {
		snprintf(path, sizeof path, "%sdataset", prefix);
		return margs_missing(a, path);
	}
	if (!cJSON_IsObject(d)) {
		snprintf(path, sizeof path, "%sdataset", prefix);
		return margs_invalid(a, path, d);
	}
	for (k = 0; k < 6; k++) {
		v = NULL;
		snprintf(path, sizeof path, "%sdataset.%s", prefix, fields[k]);
		if (margs_string_in(a, d, path, fields[k], k < 4, &v) != 0)
			return -1;
		*slots[k] = (char *)v;
	}
	return margs_tags(a, e, prefix, "tags", &in->tags, &in->ntags);
}

void
api_mlflow_runs_log_inputs(struct req *r)
{
	struct margs			 a;
	struct mlflow_dataset_input	*inputs = NULL;
	const cJSON			*list, *e;
	const char			*id = NULL;
	char				*cause = NULL;
	size_t				 n = 0, i = 0, k;

	margs_init(&a, r);
	if (margs_string(&a, "run_id", 1, &id) != 0 ||
	    margs_objects(&a, "datasets", &list, &n) != 0)
		goto out;
	if (n > MLFLOW_MAX_DATASETS_PER_BATCH) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "A batch logging "
		    "request can contain at most %d datasets. Got %zu "
		    "datasets. Please split up datasets across multiple "
		    "requests and try again.", MLFLOW_MAX_DATASETS_PER_BATCH,
		    n);
		n = 0;
		goto out;
	}
	inputs = xcalloc(n + 1, sizeof *inputs);
	if (list != NULL) {
		cJSON_ArrayForEach(e, list) {
			if (margs_input(&a, e, i, &inputs[i]) != 0) {
				n = i + 1;
				goto out;
			}
			i++;
		}
	}
	for (i = 0; i < n; i++) {
		if (mlflow_check_input(&inputs[i], &cause) != 0) {
			api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
			goto out;
		}
	}
	api_mlflow_done(r, store_mlflow_log_inputs(api_core(r)->store, id,
	    inputs, n, &cause), &cause);
out:
	for (k = 0; inputs != NULL && k < n; k++)
		free(inputs[k].tags);
	free(inputs);
	margs_done(&a);
}

void
api_mlflow_runs_log_model(struct req *r)
{
	static const char *const required[] = { "artifact_path", "flavors",
	    "run_id", "utc_time_created" };
	struct margs	 a;
	struct buf	 missing;
	const char	*id = NULL, *text = NULL;
	char		*cause = NULL;
	cJSON		*model = NULL;
	size_t		 i;
	int		 rc;

	margs_init(&a, r);
	buf_init(&missing);
	if (margs_string(&a, "run_id", 1, &id) != 0 ||
	    margs_string(&a, "model_json", 1, &text) != 0)
		goto out;
	model = cJSON_Parse(text);
	if (!cJSON_IsObject(model)) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Malformed model "
		    "info. \n %s \n is not a valid JSON.", text);
		goto out;
	}
	for (i = 0; i < sizeof required / sizeof required[0]; i++) {
		if (cJSON_GetObjectItemCaseSensitive(model, required[i]) ==
		    NULL)
			buf_printf(&missing, "%s'%s'", missing.len > 0 ?
			    ", " : "", required[i]);
	}
	if (missing.len > 0) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Model json is "
		    "missing mandatory fields: {%s}", buf_str(&missing));
		goto out;
	}
	rc = store_mlflow_log_model(api_core(r)->store, id, model, &cause);
	api_mlflow_done(r, rc, &cause);
out:
	cJSON_Delete(model);
	buf_done(&missing);
	margs_done(&a);
}

/* A history page token: where the previous page ended. */
static int
margs_cursor(struct margs *a, struct mlflow_cursor *c, int *present)
{
	const char	*token = NULL;
	char		*text;
	long long	 step, ts, seq;
	int		 used = 0;

	*present = 0;
	if (margs_string(a, "page_token", 0, &token) != 0)
		return -1;
	if (token == NULL || *token == '\0')
		return 0;
	text = wire_token_decode(token);
	if (text == NULL || sscanf(text, "%lld:%lld:%lld%n", &step, &ts, &seq,
	    &used) != 3 || text[used] != '\0') {
		api_error(a->r, WIRE_INVALID_PARAMETER_VALUE, "Invalid page "
		    "token: pass back the next_page_token of the previous "
		    "answer");
		free(text);
		return -1;
	}
	free(text);
	c->step = step;
	c->timestamp = ts;
	c->seq = seq;
	*present = 1;
	return 0;
}

void
api_mlflow_metrics_history(struct req *r)
{
	struct margs		 a;
	struct mlflow_metric	*v = NULL;
	struct mlflow_cursor	 after, last;
	const char		*id, *key = NULL;
	char			*cause = NULL, text[80], *token;
	size_t			 n = 0, i, limit = SIZE_MAX;
	int64_t			 max = 0;
	int			 has_max, has_after, more, rc;
	cJSON			*o, *arr;

	margs_init(&a, r);
	if ((id = margs_run_id(&a)) == NULL ||
	    margs_string(&a, "metric_key", 1, &key) != 0 ||
	    margs_int(&a, "max_results", &max, &has_max) != 0 ||
	    margs_cursor(&a, &after, &has_after) != 0)
		goto out;
	if (has_max) {
		if (max < 1) {
			api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Invalid "
			    "value %" PRId64 " for parameter 'max_results' "
			    "supplied. It must be a positive integer", max);
			goto out;
		}
		limit = max > MLFLOW_HISTORY_PAGE_MAX ?
		    MLFLOW_HISTORY_PAGE_MAX : (size_t)max;
	}
	rc = store_mlflow_metric_history(api_core(r)->store, id, key,
	    has_after ? &after : NULL, limit, &v, &n, &more, &last, &cause);
	if (rc != 0) {
		api_mlflow_store_error(r, rc, cause);
		goto out;
	}
	o = cJSON_CreateObject();
	if (n > 0) {
		arr = cJSON_AddArrayToObject(o, "metrics");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, mlflow_metric_to_json(&v[i]));
	}
	if (more) {
		snprintf(text, sizeof text, "%lld:%lld:%lld",
		    (long long)last.step, (long long)last.timestamp,
		    (long long)last.seq);
		token = wire_token_encode(text);
		cJSON_AddStringToObject(o, "next_page_token", token);
		free(token);
	}
	api_reply(r, 200, o);
out:
	mlflow_metrics_free(v, n);
	margs_done(&a);
}

/* MLflow's validate_path_is_safe: relative, no '..', no '#'. */
static int
api_mlflow_path_safe(const char *path)
{
	char	*cause = NULL;

	if (strpbrk(path, "#\\") != NULL || strncmp(path, "file:", 5) == 0)
		return 0;
	if (*path != '\0' && files_check_relative(path, &cause) != 0) {
		free(cause);
		return 0;
	}
	return 1;
}

void
api_mlflow_artifacts_list(struct req *r)
{
	struct margs		 a;
	struct mlflow_run	*run = NULL;
	struct files_entry	*ents = NULL;
	struct stat		 sb;
	const char		*id, *path = "", *token = NULL;
	char			*cause = NULL, *dir = NULL, *root = NULL;
	char			*real = NULL, *after = NULL, *rel, *name;
	size_t			 n = 0, i;
	int			 rc, more = 0;
	cJSON			*o, *arr = NULL, *f;

	margs_init(&a, r);
	if ((id = margs_run_id(&a)) == NULL ||
	    margs_string(&a, "path", 0, &path) != 0 ||
	    margs_string(&a, "page_token", 0, &token) != 0)
		goto out;
	if (!json_utf8_valid(path, strlen(path)) ||
	    !api_mlflow_path_safe(path)) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Invalid path '%s': "
		    "artifact paths are relative to the run's artifact "
		    "directory and stay inside it", path);
		goto out;
	}
	if (token != NULL && *token != '\0' &&
	    (after = wire_token_decode(token)) == NULL) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Invalid page "
		    "token: pass back the next_page_token of the previous "
		    "answer");
		goto out;
	}
	rc = store_mlflow_run_get(api_core(r)->store, id, &run, &cause);
	if (rc != 0) {
		api_mlflow_store_error(r, rc, cause);
		goto out;
	}
	if ((dir = mlflow_uri_path(run->info.artifact_uri)) == NULL) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "lathed lists local "
		    "artifact locations only; the artifacts of run %s are at "
		    "%s", id, run->info.artifact_uri);
		goto out;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "root_uri", run->info.artifact_uri);
	/* Nothing logged yet, or a path that is no directory: no files. */
	if ((root = realpath(dir, NULL)) == NULL)
		goto reply;
	rc = files_resolve(root, path, &real, &cause);
	if (rc == FILES_ENOENT) {
		free(cause);
		goto reply;
	}
	if (rc != 0) {
		cJSON_Delete(o);
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "Invalid path '%s': "
		    "it leads out of the run's artifact directory", path);
		free(cause);
		goto out;
	}
	if (stat(real, &sb) != 0 || !S_ISDIR(sb.st_mode))
		goto reply;
	rc = files_list(root, path, after, ARTIFACTS_PAGE, &ents, &n, &more,
	    &cause);
	if (rc != 0) {
		cJSON_Delete(o);
		api_error_cause(r, rc == FILES_EIO ? WIRE_INTERNAL_ERROR :
		    WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (arr == NULL)
			arr = cJSON_AddArrayToObject(o, "files");
		f = cJSON_CreateObject();
		name = json_utf8_sanitize(ents[i].name);
		rel = *path == '\0' || strcmp(path, ".") == 0 ?
		    xstrdup(name) : xasprintf("%s/%s", path, name);
		cJSON_AddStringToObject(f, "path", rel);
		free(name);
		cJSON_AddBoolToObject(f, "is_dir", ents[i].type == FILES_DIR);
		if (ents[i].type == FILES_FILE)
			mlflow_json_add_int64(f, "file_size",
			    (int64_t)ents[i].size);
		cJSON_AddItemToArray(arr, f);
		free(rel);
	}
	api_page_next(o, more, n > 0 ? ents[n - 1].name : NULL);
reply:
	api_reply(r, 200, o);
out:
	files_entries_free(ents, n);
	mlflow_run_free(run);
	free(dir);
	free(root);
	free(real);
	free(after);
	margs_done(&a);
}
