/*
 * What route handlers see of a request, and how they answer. A handler
 * either answers before it returns (api_reply, api_error) or defers: it
 * takes an id with api_defer, starts work, and later answers through
 * api_finish with that id. Work must never keep a struct req pointer.
 */
#ifndef LATHE_API_H
#define LATHE_API_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "router.h"
#include "wire.h"

struct core;
struct req;

/* The route table (api.c), made of the api_*.c handlers. */
extern const struct route	api_routes[];
extern const size_t		api_nroutes;

struct core	*api_core(struct req *);
const char	*api_method(struct req *);
const char	*api_path(struct req *);
/* A {name} capture of the route; never NULL for a name in the pattern. */
const char	*api_param(struct req *, const char *name);
/* A query-string argument, or NULL. */
const char	*api_query(struct req *, const char *name);
/*
 * Call fn with each query-string argument in order, name and value
 * decoded ("" for a name without a value); arguments that would decode to
 * a NUL byte are skipped.
 */
void		 api_query_each(struct req *, void (*fn)(void *arg,
		    const char *name, const char *value), void *arg);
/* The request's JSON body (routes flagged ROUTE_BODY: always an object). */
cJSON		*api_body(struct req *);
/* Whether the request came over TCP (not the trusted unix socket). */
int		 api_is_tcp(struct req *);

/* Answer with status and body; takes ownership of body (NULL for {}). */
void		 api_reply(struct req *, unsigned int status, cJSON *body);
void		 api_error(struct req *, enum wire_error, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
/* The error body {"error_code", "message"}; a new object. */
cJSON		*api_error_json(enum wire_error, const char *message);
/* Answer with an error whose message is cause, which is freed. */
void		 api_error_cause(struct req *, enum wire_error, char *cause);

/*
 * Refuse a body with a field not in known (NULL-terminated), to catch
 * misspelt ones: 0, or -1 with *cause naming the field.
 */
int		 api_known_fields(const cJSON *body, const char *const *known,
		    char **cause);

/*
 * Read page_size (default WIRE_PAGE_SIZE_DEFAULT, at most
 * WIRE_PAGE_SIZE_MAX) and page_token (the last key of the previous page,
 * *after NULL on the first page; the caller frees it). On bad values
 * answer 400 and return -1.
 */
int		 api_page(struct req *, size_t *size, char **after);
/* Add next_page_token for last_key to answer when more rows remain. */
void		 api_page_next(cJSON *answer, int more, const char *last_key);

/* Answer with raw bytes (copied) of content type ctype. */
void		 api_reply_raw(struct req *, unsigned int status,
		    const char *ctype, const char *data, size_t len);
/* Add a header to the answer. */
void		 api_header(struct req *, const char *name, const char *value);
/*
 * Answer 200 with a body produced as it is sent: read(arg, pos, buf, max)
 * returns bytes written, 0 when nothing is ready yet (asked again
 * shortly, and at once when the file watch, if not NULL, changes), -1 at
 * the end; done(arg) frees arg.
 */
void		 api_stream(struct req *, const char *ctype, const char *watch,
		    long (*read)(void *, uint64_t, char *, size_t),
		    void (*done)(void *), void *arg);

/*
 * The project named by the route's {project} capture, or NULL after
 * answering 404 (or 500). The caller frees it.
 */
struct project	*api_projects_lookup(struct req *);

/* Call fn once the answer has been sent in full. */
void		 api_after_reply(struct req *, void (*fn)(struct core *));

/* Defer the answer; return the id to finish it with. */
uint64_t	 api_defer(struct req *);
/*
 * Answer a deferred request. If its connection has gone, the answer is
 * dropped (the work done stands). Takes ownership of body.
 */
void		 api_finish(struct core *, uint64_t id, unsigned int status,
		    cJSON *body);
void		 api_finish_error(struct core *, uint64_t id, enum wire_error,
		    char *cause);

/* Handlers, by family. */
void	api_health(struct req *);
void	api_version(struct req *);
void	api_core_shutdown(struct req *);
void	api_keys_create(struct req *);
void	api_keys_list(struct req *);
void	api_keys_revoke(struct req *);
void	api_projects_create(struct req *);
void	api_projects_list(struct req *);
void	api_projects_get(struct req *);
void	api_projects_update(struct req *);
void	api_projects_delete(struct req *);
void	api_projects_env_list(struct req *);
void	api_projects_env_set(struct req *);
void	api_projects_env_unset(struct req *);
void	api_projects_files(struct req *);
void	api_projects_content(struct req *);
void	api_runtimes_list(struct req *);
void	api_runtimes_add(struct req *);
void	api_runtimes_remove(struct req *);
void	api_profiles_list(struct req *);
void	api_profiles_add(struct req *);
void	api_profiles_remove(struct req *);
void	api_cron_preview(struct req *);
void	api_jobs_list(struct req *);
void	api_jobs_create(struct req *);
void	api_jobs_get(struct req *);
void	api_jobs_update(struct req *);
void	api_jobs_delete(struct req *);
void	api_jobs_start(struct req *);
void	api_jobs_runs(struct req *);
void	api_runs_list(struct req *);
void	api_runs_get(struct req *);
void	api_runs_stop(struct req *);
void	api_runs_rerun(struct req *);
void	api_runs_logs(struct req *);
void	api_sweeps_create(struct req *);
void	api_mlflow_experiments_create(struct req *);
void	api_mlflow_experiments_get(struct req *);
void	api_mlflow_experiments_get_by_name(struct req *);
void	api_mlflow_experiments_search(struct req *);
void	api_mlflow_experiments_update(struct req *);
void	api_mlflow_experiments_delete(struct req *);
void	api_mlflow_experiments_restore(struct req *);
void	api_mlflow_experiments_set_tag(struct req *);
void	api_mlflow_experiments_delete_tag(struct req *);
void	api_mlflow_runs_create(struct req *);
void	api_mlflow_runs_get(struct req *);
void	api_mlflow_runs_update(struct req *);
void	api_mlflow_runs_delete(struct req *);
void	api_mlflow_runs_restore(struct req *);
void	api_mlflow_runs_search(struct req *);
void	api_mlflow_runs_log_metric(struct req *);
void	api_mlflow_runs_log_param(struct req *);
void	api_mlflow_runs_log_batch(struct req *);
void	api_mlflow_runs_log_inputs(struct req *);
void	api_mlflow_runs_log_model(struct req *);
void	api_mlflow_runs_set_tag(struct req *);
void	api_mlflow_runs_delete_tag(struct req *);
void	api_mlflow_metrics_history(struct req *);
void	api_mlflow_artifacts_list(struct req *);

#endif
