/*
 * The client side of lathed's JSON API over libcurl: where the core is (its
 * unix socket, or $LATHE_URL over TCP with $LATHE_KEY), starting it when it
 * is not running, and turning requests and answers into and out of JSON.
 */
#ifndef LATHE_CLIENT_H
#define LATHE_CLIENT_H

#include <curl/curl.h>
#include <cjson/cJSON.h>

#define CLIENT_CONNECT_TIMEOUT_S	5
#define CLIENT_REQUEST_TIMEOUT_S	120
#define CLIENT_ANSWER_MAX		(64 * 1024 * 1024)
#define CLIENT_HEADER_MAX		(16 * 1024)

struct client;
struct client_req;

/*
 * Make a client for the core named by the environment: $LATHE_URL
 * (http://host:port, which needs $LATHE_KEY) or else the unix socket in
 * paths_runtime_dir(). With autostart, a call that finds no core on the
 * socket starts lathed and tries again. Nothing is connected yet. Return
 * the client, or NULL with *cause set.
 */
struct client	*client_new(int autostart, char **cause);
void		 client_free(struct client *);

/*
 * Give each later request at most seconds (CLIENT_REQUEST_TIMEOUT_S until
 * this is called), e.g. to poll a core that is going away.
 */
void		 client_set_timeout(struct client *, long seconds);
/* Where the client talks to: the socket path or the URL. */
const char	*client_target(const struct client *);
/* Whether the client talks over TCP (not the unix socket). */
int		 client_is_tcp(const struct client *);
/* Whether this client started lathed. */
int		 client_started(const struct client *);
/*
 * Whether the last failed call failed because nothing answered at the
 * target (no socket, connection refused), so the core is not running.
 */
int		 client_unreachable(const struct client *);

/*
 * Call method on path_and_query (which starts with "/", its segments and
 * query values already escaped with client_escape) with body (NULL for
 * none). On any answer from the core, set *status and *answer (the parsed
 * JSON, {} for an empty body; the caller deletes it) and return 0, whatever
 * the status. Return -1 with *cause only when no well-formed answer came:
 * the core is unreachable, the connection failed, the answer was too large
 * or was not JSON.
 */
int		 client_call(struct client *, const char *method,
		    const char *path_and_query, const cJSON *body,
		    long *status, cJSON **answer, char **cause);

/* Where a streamed answer goes (client_stream). */
struct client_sink {
	/* Each header of the answer, name and value trimmed; may be NULL. */
	void	(*header)(void *arg, const char *name, const char *value);
	/* Body bytes of a 2xx answer as they come: 0 goes on, -1 stops. */
	int	(*data)(void *arg, const char *bytes, size_t len);
	/* Asked at least once a second: non-zero stops; may be NULL. */
	int	(*stop)(void *arg);
	void	*arg;
};

/*
 * GET path_and_query with no time limit, handing the body of a 2xx answer
 * to sink as it arrives instead of keeping it (for logs that are followed
 * while they grow). Return 0 with *status when an answer came or the sink
 * stopped the transfer: *answer is then NULL for a complete 2xx answer or
 * a stop, else the parsed error answer (the caller deletes it). Return -1
 * with *cause as client_call does. Never starts lathed: call the core
 * first.
 */
int		 client_stream(struct client *, const char *path_and_query,
		    const struct client_sink *, long *status, cJSON **answer,
		    char **cause);

/*
 * The message for a failed call: the core's "message" verbatim, or what
 * can be said without one. A new string.
 */
char		*client_error_message(long status, const cJSON *answer);

/* Percent-escape s for use as a path segment or query value; new string. */
char		*client_escape(const char *s);

/*
 * One request as an easy handle, for callers that drive libcurl
 * themselves (the multi interface): make it, run the handle, then hand the
 * transfer's result to client_req_finish, which parses the answer like
 * client_call. client_req_new never fails; the request owns its handle.
 */
struct client_req *client_req_new(struct client *, const char *method,
		    const char *path_and_query, const cJSON *body);
CURL		*client_req_easy(struct client_req *);
int		 client_req_finish(struct client_req *, CURLcode,
		    long *status, cJSON **answer, char **cause);
/*
 * Like client_req_finish for an answer that is not JSON (a log): on any
 * answer, set *status and *body (len bytes, NUL-terminated, owned by the
 * request) and return 0; -1 with *cause when no answer came. An error
 * status brings the core's JSON error as the body.
 */
int		 client_req_finish_raw(struct client_req *, CURLcode,
		    long *status, const char **body, size_t *len,
		    char **cause);
/*
 * The value of the answer's header name (any case), copied into value
 * (size bytes): the last one when it came more than once. NULL when the
 * answer has no such header or the value does not fit.
 */
const char	*client_req_header(struct client_req *, const char *name,
		    char *value, size_t size);
void		 client_req_free(struct client_req *);

#endif
