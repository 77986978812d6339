/*
 * Calls to lathed's API that never block: libcurl's multi interface driven
 * from the TUI's libuv loop. Each call is one client_req (client.h), so a
 * call is built, authenticated and parsed exactly as client_call does it.
 */
#ifndef LATHE_ASYNC_H
#define LATHE_ASYNC_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "client.h"

struct async;

/*
 * The end of a call, run on the loop's thread, never from inside libcurl,
 * exactly once for each call that was not cancelled. On an answer from the
 * core, whatever its status, status is the HTTP status, answer the parsed
 * JSON ({} for an empty body) and cause NULL. When no well-formed answer
 * came (the core is not running, the connection failed, the answer was too
 * large or not JSON), status is 0, answer NULL and cause says why.
 *
 * answer and cause belong to async and are freed when the callback
 * returns: to keep a part of answer, detach it (cJSON_Detach*) or
 * duplicate it. The callback may start calls, cancel calls, and free the
 * async (async_free) it was called from.
 */
typedef void	(*async_cb)(uint64_t id, long status, cJSON *answer,
		    const char *cause, void *arg);

/*
 * Make an async caller on loop for client's core. Nothing is connected
 * yet; client must outlive the async. Never fails (out of memory aborts).
 */
struct async	*async_new(uv_loop_t *loop, struct client *client);

/*
 * Cancel every pending call (their callbacks are not run) and free the
 * async. Its libuv handles close asynchronously: the memory they hold is
 * freed by the loop, so run it until uv_run(loop, UV_RUN_DEFAULT) returns
 * (or at least one iteration) before uv_loop_close. async_free(NULL) is a
 * no-op.
 */
void		 async_free(struct async *);

/*
 * Start method on path_and_query (as for client_call: it starts with "/",
 * segments and query values escaped with client_escape) with body (NULL for
 * none; copied, so it may be deleted on return). cb runs with arg when the
 * call ends; a NULL cb drops the answer. Never blocks: even a core that is
 * not running is only found out on the loop. Return the call's id, never
 * 0. The core is not started from here: the TUI starts it before it runs
 * the loop.
 */
uint64_t	 async_call(struct async *, const char *method,
		    const char *path_and_query, const cJSON *body, async_cb cb,
		    void *arg);

/*
 * The end of a call made with async_call_raw, for answers that are not
 * JSON (logs): as async_cb, but on an answer body holds its len bytes
 * (NUL-terminated; an error status brings the core's JSON error) and req
 * the request, for client_req_header. body, req and cause belong to
 * async and go when the callback returns.
 */
typedef void	(*async_raw_cb)(uint64_t id, long status, const char *body,
		    size_t len, struct client_req *req, const char *cause,
		    void *arg);

/* async_call for an answer taken as it comes, not parsed as JSON. */
uint64_t	 async_call_raw(struct async *, const char *method,
		    const char *path_and_query, const cJSON *body,
		    async_raw_cb cb, void *arg);

/*
 * Cancel call id: its callback will not run, even if its answer has come
 * already. Cancelling drops the answer, not the request: one the core has
 * received may still take effect there. Ids of calls whose callback has
 * run (or is running), that were cancelled already or never existed are
 * ignored.
 */
void		 async_cancel(struct async *, uint64_t id);

/* How many calls have neither run their callback nor been cancelled. */
size_t		 async_pending(struct async *);

#endif
