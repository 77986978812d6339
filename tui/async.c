/*
 * Calls to lathed driven by the TUI's libuv loop, so that the screen never
 * waits on the core: libcurl's multi interface told about readiness through
 * one uv_poll_t per socket curl uses and one uv_timer_t for curl's
 * timeouts. A call that ends waits in a queue until curl has returned, and
 * callbacks run from there, so a callback may start and cancel calls (or
 * free the async) without re-entering libcurl. The multi handle keeps idle
 * connections to the core for the next calls.
 */
#include "config.h"

#include <sys/queue.h>

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include <curl/curl.h>
#include <uv.h>

#include "async.h"
#include "client.h"
#include "xmalloc.h"

/*
 * A burst of calls shares this many connections and the rest wait for one:
 * lathed serves them from one loop, and a unix socket refuses connections
 * beyond the listen backlog instead of queueing them.
 */
#define ASYNC_MAX_CONNECTIONS	32

struct async_call {
	uint64_t		 id;
	struct client_req	*req;
	CURL			*easy;		/* owned by req */
	CURLcode		 result;	/* once ended */
	async_cb		 cb;
	async_raw_cb		 raw_cb;	/* instead of cb: not JSON */
	void			*arg;
	TAILQ_ENTRY(async_call)	 entry;
};
TAILQ_HEAD(async_calls, async_call);

/* A socket of curl's watched by the loop; freed by the poll's close. */
struct async_sock {
	uv_poll_t		 poll;
	curl_socket_t		 fd;
	struct async		*a;
	TAILQ_ENTRY(async_sock)	 entry;
};
TAILQ_HEAD(async_socks, async_sock);

struct async {
	uv_loop_t		*loop;
	struct client		*client;
	CURLM			*multi;
	uv_timer_t		*timer;		/* freed by its close */
	struct async_calls	 running;	/* in the multi handle */
	struct async_calls	 ended;		/* callback not yet run */
	struct async_socks	 socks;
	size_t			 pending;	/* running + ended */
	uint64_t		 last_id;
	int			 delivering;	/* running callbacks */
	int			 dying;		/* freed by a callback */
};

static void	async_check(struct async *);

static void
async_call_free(struct async_call *call)
{
	client_req_free(call->req);
	free(call);
}

static struct async_call *
async_find(struct async_calls *list, uint64_t id)
{
	struct async_call	*call;

	TAILQ_FOREACH(call, list, entry) {
		if (call->id == id)
			return call;
	}
	return NULL;
}

static void
async_on_sock_close(uv_handle_t *handle)
{
	free(handle->data);
}

/*
 * Stop watching a socket. The poll handle is stopped at once (libuv then
 * lets another handle watch the same fd, which curl may reuse for its next
 * connection) and freed when the loop has closed it.
 */
static void
async_sock_close(struct async *a, struct async_sock *s)
{
	TAILQ_REMOVE(&a->socks, s, entry);
	uv_poll_stop(&s->poll);
	uv_close((uv_handle_t *)&s->poll, async_on_sock_close);
}

static void
async_on_poll(uv_poll_t *poll, int status, int events)
{
	struct async_sock	*s = poll->data;
	struct async		*a = s->a;
	int			 flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	else {
		if (events & UV_READABLE)
			flags |= CURL_CSELECT_IN;
		if (events & UV_WRITABLE)
			flags |= CURL_CSELECT_OUT;
	}
	/* This may close s (but not free it before the loop goes on). */
	curl_multi_socket_action(a->multi, s->fd, flags, &running);
	async_check(a);
}

/* CURLMOPT_SOCKETFUNCTION: what curl wants to know about fd. */
static int
async_socket(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *socketp)
{
	struct async		*a = userp;
	struct async_sock	*s = socketp;
	int			 events = 0;

	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			async_sock_close(a, s);
			curl_multi_assign(a->multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		if (uv_poll_init_socket(a->loop, &s->poll, fd) != 0) {
			/* Not a handle of the loop yet: free it here. */
			free(s);
			return -1;
		}
		s->poll.data = s;
		s->fd = fd;
		s->a = a;
		TAILQ_INSERT_TAIL(&a->socks, s, entry);
		curl_multi_assign(a->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, async_on_poll);
	return 0;
}

static void
async_on_timer(uv_timer_t *timer)
{
	struct async	*a = timer->data;
	int		 running;

	curl_multi_socket_action(a->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	async_check(a);
}

/*
 * CURLMOPT_TIMERFUNCTION. Even a timeout of 0 goes through the loop:
 * curl must not be re-entered from its own callback.
 */
static int
async_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct async	*a = userp;

	if (timeout_ms < 0)
		uv_timer_stop(a->timer);
	else
		uv_timer_start(a->timer, async_on_timer, (uint64_t)timeout_ms,
		    0);
	return 0;
}

static void
async_on_timer_close(uv_handle_t *handle)
{
	free(handle);
}

/* Drop every call without running its callback. */
static void
async_cancel_all(struct async *a)
{
	struct async_call	*call;

	while ((call = TAILQ_FIRST(&a->running)) != NULL) {
		TAILQ_REMOVE(&a->running, call, entry);
		curl_multi_remove_handle(a->multi, call->easy);
		async_call_free(call);
	}
	while ((call = TAILQ_FIRST(&a->ended)) != NULL) {
		TAILQ_REMOVE(&a->ended, call, entry);
		async_call_free(call);
	}
	a->pending = 0;
}

static void
async_destroy(struct async *a)
{
	struct async_sock	*s;

	async_cancel_all(a);
	/* Closing the cached connections may still tell async_socket. */
	curl_multi_cleanup(a->multi);
	while ((s = TAILQ_FIRST(&a->socks)) != NULL)
		async_sock_close(a, s);
	uv_close((uv_handle_t *)a->timer, async_on_timer_close);
	free(a);
}

/*
 * Run the callbacks of the calls that have ended, in the order they ended.
 * Each is taken off the queue first, so a callback can cancel any call but
 * its own, start new ones (they end on a later turn of the loop) or free
 * the async, which happens here once the callback has returned.
 */
static void
async_deliver(struct async *a)
{
	struct async_call	*call;
	cJSON			*answer;
	char			*cause;
	long			 status;

	a->delivering = 1;
	while (!a->dying && (call = TAILQ_FIRST(&a->ended)) != NULL) {
		TAILQ_REMOVE(&a->ended, call, entry);
		a->pending--;
		status = 0;
		answer = NULL;
		cause = NULL;
		if (call->raw_cb != NULL) {
			const char	*body = NULL;
			size_t		 len = 0;

			client_req_finish_raw(call->req, call->result, &status,
			    &body, &len, &cause);
			call->raw_cb(call->id, status, body, len, call->req,
			    cause, call->arg);
		} else {
			client_req_finish(call->req, call->result, &status,
			    &answer, &cause);
			if (call->cb != NULL)
				call->cb(call->id, status, answer, cause,
				    call->arg);
		}
		cJSON_Delete(answer);
		free(cause);
		async_call_free(call);
	}
	a->delivering = 0;
	if (a->dying)
		async_destroy(a);
}

/* Collect the transfers curl has finished, then run their callbacks. */
static void
async_check(struct async *a)
{
	struct async_call	*call;
	CURLMsg			*msg;
	CURL			*easy;
	CURLcode		 result;
	int			 left;

	while ((msg = curl_multi_info_read(a->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg does not outlive curl_multi_remove_handle. */
		easy = msg->easy_handle;
		result = msg->data.result;
		TAILQ_FOREACH(call, &a->running, entry) {
			if (call->easy == easy)
				break;
		}
		assert(call != NULL);
		curl_multi_remove_handle(a->multi, easy);
		call->result = result;
		TAILQ_REMOVE(&a->running, call, entry);
		TAILQ_INSERT_TAIL(&a->ended, call, entry);
	}
	async_deliver(a);
}

struct async *
async_new(uv_loop_t *loop, struct client *client)
{
	struct async	*a = xcalloc(1, sizeof *a);

	a->loop = loop;
	a->client = client;
	TAILQ_INIT(&a->running);
	TAILQ_INIT(&a->ended);
	TAILQ_INIT(&a->socks);
	a->timer = xmalloc(sizeof *a->timer);
	uv_timer_init(loop, a->timer);
	a->timer->data = a;
	if ((a->multi = curl_multi_init()) == NULL) {
		fprintf(stderr, "out of memory making a multi handle\n");
		abort();
	}
	curl_multi_setopt(a->multi, CURLMOPT_SOCKETFUNCTION, async_socket);
	curl_multi_setopt(a->multi, CURLMOPT_SOCKETDATA, a);
	curl_multi_setopt(a->multi, CURLMOPT_TIMERFUNCTION, async_timer);
	curl_multi_setopt(a->multi, CURLMOPT_TIMERDATA, a);
	curl_multi_setopt(a->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)ASYNC_MAX_CONNECTIONS);
	return a;
}

void
async_free(struct async *a)
{
	if (a == NULL)
		return;
	if (a->delivering) {
		/* async_deliver frees it when the callback returns. */
		a->dying = 1;
		async_cancel_all(a);
		return;
	}
	async_destroy(a);
}

uint64_t
async_call(struct async *a, const char *method, const char *path_and_query,
    const cJSON *body, async_cb cb, void *arg)
{
	struct async_call	*call = xcalloc(1, sizeof *call);
	CURLMcode		 mc;

	assert(!a->dying);
	call->id = ++a->last_id;
	call->cb = cb;
	call->arg = arg;
	call->req = client_req_new(a->client, method, path_and_query, body);
	call->easy = client_req_easy(call->req);
	/* Only starts the transfer: curl asks for a timer of 0 ms. */
	if ((mc = curl_multi_add_handle(a->multi, call->easy)) != CURLM_OK) {
		/* Out of memory, or a call from inside libcurl (a bug). */
		fprintf(stderr, "cannot start a call to lathed: %s\n",
		    curl_multi_strerror(mc));
		abort();
	}
	TAILQ_INSERT_TAIL(&a->running, call, entry);
	a->pending++;
	return call->id;
}

uint64_t
async_call_raw(struct async *a, const char *method,
    const char *path_and_query, const cJSON *body, async_raw_cb cb,
    void *arg)
{
	uint64_t		 id;
	struct async_call	*call;

	id = async_call(a, method, path_and_query, body, NULL, arg);
	call = TAILQ_LAST(&a->running, async_calls);
	assert(call != NULL && call->id == id);
	call->raw_cb = cb;
	return id;
}

void
async_cancel(struct async *a, uint64_t id)
{
	struct async_call	*call;

	if ((call = async_find(&a->running, id)) != NULL) {
		TAILQ_REMOVE(&a->running, call, entry);
		curl_multi_remove_handle(a->multi, call->easy);
	} else if ((call = async_find(&a->ended, id)) != NULL)
		TAILQ_REMOVE(&a->ended, call, entry);
	else
		return;
	a->pending--;
	async_call_free(call);
}

size_t
async_pending(struct async *a)
{
	return a->pending;
}
