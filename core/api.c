/*
 * The management API: its route table, and what handlers use to read a
 * request and answer it. Handler families live in api_<noun>.c.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core.h"
#include "json.h"
#include "server.h"
#include "xmalloc.h"

#define P "/api/v1/projects/{project}"
#define M "/api/2.0/mlflow"
#define MLFLOW_WRITE	(ROUTE_WRITE | ROUTE_BODY)

const struct route api_routes[] = {
	{ "GET", "/api/v1/health", api_health, ROUTE_READ },
	{ "GET", "/api/v1/version", api_version, ROUTE_READ },
	{ "POST", "/api/v1/core/shutdown", api_core_shutdown,
	    ROUTE_WRITE | ROUTE_LOCAL },

	{ "GET", "/api/v1/keys", api_keys_list, ROUTE_READ | ROUTE_LOCAL },
	{ "POST", "/api/v1/keys", api_keys_create,
	    ROUTE_WRITE | ROUTE_BODY | ROUTE_LOCAL },
	{ "DELETE", "/api/v1/keys/{key}", api_keys_revoke,
	    ROUTE_WRITE | ROUTE_LOCAL },

	{ "GET", "/api/v1/projects", api_projects_list, ROUTE_READ },
	{ "POST", "/api/v1/projects", api_projects_create,
	    ROUTE_WRITE | ROUTE_BODY },
	{ "GET", P, api_projects_get, ROUTE_READ },
	{ "PATCH", P, api_projects_update, ROUTE_WRITE | ROUTE_BODY },
	{ "DELETE", P, api_projects_delete, ROUTE_WRITE },
	{ "GET", P "/env", api_projects_env_list, ROUTE_READ },
	{ "PUT", P "/env/{name}", api_projects_env_set,
	    ROUTE_WRITE | ROUTE_BODY },
	{ "DELETE", P "/env/{name}", api_projects_env_unset, ROUTE_WRITE },
	{ "GET", P "/files", api_projects_files, ROUTE_READ },
	{ "GET", P "/files/content", api_projects_content, ROUTE_READ },

	{ "GET", "/api/v1/runtimes", api_runtimes_list, ROUTE_READ },
	{ "POST", "/api/v1/runtimes", api_runtimes_add,
	    ROUTE_WRITE | ROUTE_BODY },
	{ "DELETE", "/api/v1/runtimes/{runtime}", api_runtimes_remove,
	    ROUTE_WRITE },
	{ "GET", "/api/v1/profiles", api_profiles_list, ROUTE_READ },
	{ "POST", "/api/v1/profiles", api_profiles_add,
	    ROUTE_WRITE | ROUTE_BODY },
	{ "DELETE", "/api/v1/profiles/{profile}", api_profiles_remove,
	    ROUTE_WRITE },
	{ "GET", "/api/v1/cron", api_cron_preview, ROUTE_READ },

	{ "GET", P "/jobs", api_jobs_list, ROUTE_READ },
	{ "POST", P "/jobs", api_jobs_create, ROUTE_WRITE | ROUTE_BODY },
	{ "GET", P "/jobs/{job}", api_jobs_get, ROUTE_READ },
	{ "PATCH", P "/jobs/{job}", api_jobs_update,
	    ROUTE_WRITE | ROUTE_BODY },
	{ "DELETE", P "/jobs/{job}", api_jobs_delete, ROUTE_WRITE },
	{ "GET", P "/jobs/{job}/runs", api_jobs_runs, ROUTE_READ },
	{ "POST", P "/jobs/{job}/runs", api_jobs_start,
	    ROUTE_WRITE | ROUTE_BODY | ROUTE_EMPTY },
	{ "GET", P "/runs", api_runs_list, ROUTE_READ },
	{ "GET", P "/runs/{run}", api_runs_get, ROUTE_READ },
	{ "POST", P "/runs/{run}/stop", api_runs_stop, ROUTE_WRITE },
	{ "POST", P "/runs/{run}/rerun", api_runs_rerun, ROUTE_WRITE },
	{ "GET", P "/runs/{run}/logs", api_runs_logs, ROUTE_READ },
	{ "POST", P "/sweeps", api_sweeps_create, ROUTE_WRITE | ROUTE_BODY },
	/* MLflow's tracking API, as its client calls it. */
	{ "POST", M "/experiments/create", api_mlflow_experiments_create,
	    MLFLOW_WRITE },
	{ "GET", M "/experiments/get", api_mlflow_experiments_get,
	    ROUTE_READ },
	{ "GET", M "/experiments/get-by-name",
	    api_mlflow_experiments_get_by_name, ROUTE_READ },
	{ "GET", M "/experiments/search", api_mlflow_experiments_search,
	    ROUTE_READ },
	{ "POST", M "/experiments/search", api_mlflow_experiments_search,
	    ROUTE_READ | ROUTE_BODY },
	{ "POST", M "/experiments/update", api_mlflow_experiments_update,
	    MLFLOW_WRITE },
	{ "POST", M "/experiments/delete", api_mlflow_experiments_delete,
	    MLFLOW_WRITE },
	{ "POST", M "/experiments/restore", api_mlflow_experiments_restore,
	    MLFLOW_WRITE },
	{ "POST", M "/experiments/set-experiment-tag",
	    api_mlflow_experiments_set_tag, MLFLOW_WRITE },
	{ "POST", M "/experiments/delete-experiment-tag",
	    api_mlflow_experiments_delete_tag, MLFLOW_WRITE },
	{ "POST", M "/runs/create", api_mlflow_runs_create, MLFLOW_WRITE },
	{ "GET", M "/runs/get", api_mlflow_runs_get, ROUTE_READ },
	{ "POST", M "/runs/update", api_mlflow_runs_update, MLFLOW_WRITE },
	{ "POST", M "/runs/delete", api_mlflow_runs_delete, MLFLOW_WRITE },
	{ "POST", M "/runs/restore", api_mlflow_runs_restore, MLFLOW_WRITE },
	{ "POST", M "/runs/search", api_mlflow_runs_search,
	    ROUTE_READ | ROUTE_BODY },
	{ "POST", M "/runs/log-metric", api_mlflow_runs_log_metric,
	    MLFLOW_WRITE },
	{ "POST", M "/runs/log-parameter", api_mlflow_runs_log_param,
	    MLFLOW_WRITE },
	{ "POST", M "/runs/log-batch", api_mlflow_runs_log_batch,
	    MLFLOW_WRITE },
	{ "POST", M "/runs/log-inputs", api_mlflow_runs_log_inputs,
	    MLFLOW_WRITE },
	{ "POST", M "/runs/log-model", api_mlflow_runs_log_model,
	    MLFLOW_WRITE },
	{ "POST", M "/runs/set-tag", api_mlflow_runs_set_tag, MLFLOW_WRITE },
	{ "POST", M "/runs/delete-tag", api_mlflow_runs_delete_tag,
	    MLFLOW_WRITE },
	{ "GET", M "/metrics/get-history", api_mlflow_metrics_history,
	    ROUTE_READ },
	{ "GET", M "/artifacts/list", api_mlflow_artifacts_list, ROUTE_READ },
};
const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];

struct core *
api_core(struct req *r)
{
	return server_core(r->srv);
}

const char *
api_method(struct req *r)
{
	return r->method;
}

const char *
api_path(struct req *r)
{
	return r->path;
}

const char *
api_param(struct req *r, const char *name)
{
	const char	*v = router_param(&r->params, name);

	return v != NULL ? v : "";
}

const char *
api_query(struct req *r, const char *name)
{
	const char	*raw;
	char		*v;

	raw = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
	if (raw == NULL)
		return NULL;
	/* A value hiding a NUL byte stays escaped, and so matches nothing. */
	if ((v = wire_unescape(raw, 1)) == NULL)
		return raw;
	r->decoded = xrealloc(r->decoded, (r->ndecoded + 1) *
	    sizeof *r->decoded);
	r->decoded[r->ndecoded++] = v;
	return v;
}

struct api_query_iter {
	void	(*fn)(void *, const char *, const char *);
	void	 *arg;
};

static enum MHD_Result
api_query_one(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct api_query_iter	*it = cls;
	char			*k, *v;

	k = wire_unescape(key, 1);
	v = wire_unescape(value != NULL ? value : "", 1);
	if (k != NULL && v != NULL)
		it->fn(it->arg, k, v);
	free(k);
	free(v);
	return MHD_YES;
}

void
api_query_each(struct req *r, void (*fn)(void *, const char *, const char *),
    void *arg)
{
	struct api_query_iter	it = { fn, arg };

	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
	    api_query_one, &it);
}

void
api_after_reply(struct req *r, void (*fn)(struct core *))
{
	r->after = fn;
}

cJSON *
api_body(struct req *r)
{
	return r->body;
}

int
api_is_tcp(struct req *r)
{
	return server_is_tcp(r);
}

void
api_reply_raw(struct req *r, unsigned int status, const char *ctype,
    const char *data, size_t len)
{
	server_answer_raw(r, status, ctype, data, len);
}

void
api_header(struct req *r, const char *name, const char *value)
{
	server_header(r, name, value);
}

void
api_stream(struct req *r, const char *ctype, const char *watch,
    long (*read)(void *, uint64_t, char *, size_t), void (*done)(void *),
    void *arg)
{
	server_answer_stream(r, ctype, watch, read, done, arg);
}

void
api_reply(struct req *r, unsigned int status, cJSON *body)
{
	if (body == NULL)
		body = cJSON_CreateObject();
	server_answer(r, status, json_print(body));
	cJSON_Delete(body);
}

cJSON *
api_error_json(enum wire_error e, const char *message)
{
	cJSON	*o = cJSON_CreateObject();
	char	*safe = json_utf8_sanitize(message);

	cJSON_AddStringToObject(o, "error_code", wire_error_code(e));
	cJSON_AddStringToObject(o, "message", safe);
	free(safe);
	return o;
}

void
api_error(struct req *r, enum wire_error e, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	api_reply(r, wire_error_status(e), api_error_json(e, msg));
	free(msg);
}

void
api_error_cause(struct req *r, enum wire_error e, char *cause)
{
	api_reply(r, wire_error_status(e), api_error_json(e, cause));
	free(cause);
}

int
api_known_fields(const cJSON *body, const char *const *known, char **cause)
{
	const cJSON	*f;
	size_t		 i;
	char		*safe;

	cJSON_ArrayForEach(f, body) {
		for (i = 0; known[i] != NULL; i++) {
			if (strcmp(f->string, known[i]) == 0)
				break;
		}
		if (known[i] == NULL) {
			safe = json_utf8_sanitize(f->string);
			*cause = xasprintf("unknown field '%s'", safe);
			free(safe);
			return -1;
		}
	}
	return 0;
}

int
api_page(struct req *r, size_t *size, char **after)
{
	const char	*v;
	char		*end;
	long		 n = WIRE_PAGE_SIZE_DEFAULT;

	if ((v = api_query(r, "page_size")) != NULL) {
		errno = 0;
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 || n < 1 ||
		    n > WIRE_PAGE_SIZE_MAX) {
			api_error(r, WIRE_INVALID_PARAMETER_VALUE, "page_size "
			    "must be a number from 1 to %d", WIRE_PAGE_SIZE_MAX);
			return -1;
		}
	}
	*after = NULL;
	if ((v = api_query(r, "page_token")) != NULL && *v != '\0') {
		if ((*after = wire_token_decode(v)) == NULL) {
			api_error(r, WIRE_INVALID_PARAMETER_VALUE,
			    "page_token is malformed: pass back the "
			    "next_page_token of the previous answer");
			return -1;
		}
	}
	*size = (size_t)n;
	return 0;
}

void
api_page_next(cJSON *answer, int more, const char *last_key)
{
	char	*token;

	if (!more || last_key == NULL)
		return;
	token = wire_token_encode(last_key);
	cJSON_AddStringToObject(answer, "next_page_token", token);
	free(token);
}

uint64_t
api_defer(struct req *r)
{
	r->deferred = 1;
	return r->id;
}

void
api_finish(struct core *core, uint64_t id, unsigned int status, cJSON *body)
{
	struct req	*r = NULL;

	if (core->server != NULL)
		r = server_find(core->server, id);
	if (r == NULL || !r->deferred) {
		cJSON_Delete(body);
		return;
	}
	api_reply(r, status, body);
	server_resume(r);
}

void
api_finish_error(struct core *core, uint64_t id, enum wire_error e,
    char *cause)
{
	api_finish(core, id, wire_error_status(e), api_error_json(e, cause));
	free(cause);
}
