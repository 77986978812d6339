/*
 * The HTTP server. libmicrohttpd runs in "external epoll" mode: it exposes
 * one epoll descriptor per daemon, which a uv_poll watches; when it becomes
 * readable, or when MHD's own timeout expires, MHD_run does the work and
 * calls server_request on this thread. Request bodies are capped, TCP
 * requests authenticated, and answers may be deferred (the connection is
 * suspended) while work runs elsewhere.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <uv.h>

#include "api.h"
#include "core.h"
#include "json.h"
#include "keys.h"
#include "log.h"
#include "paths.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

/* Touch a key's last-used time at most this often. */
#define SERVER_TOUCH_MS	60000
/* How often a waiting stream looks for more to send. */
#define SERVER_STREAM_POLL_MS	100
#define SERVER_STREAM_BLOCK	(64 * 1024)

struct server_stream {
	struct server		*srv;
	struct listener		*l;
	struct MHD_Connection	*conn;
	server_read_fn		 read;
	void			(*done)(void *);
	void			*arg;
	int			 paused;
	char			*watch_path;	/* wakes it when it changes */
	uv_fs_event_t		*watch;
	struct server_stream	*next;
	struct server_stream	*prev;
};

struct listener {
	struct server		*srv;
	struct MHD_Daemon	*daemon;
	int			 fd;
	int			 tcp;
	uv_poll_t		 poll;
	uv_timer_t		 timer;
	int			 open;
};

struct server {
	struct core	*core;
	struct listener	 local;
	struct listener	 tcp;
	uint64_t	 next_id;
	struct req	*reqs;		/* every request in flight */
	int		 closing;	/* handles still to close */
	uv_timer_t	 after_timer;	/* runs after outside MHD */
	void		(*after)(struct core *);
	struct server_stream *streams;	/* bodies being streamed */
	uv_timer_t	 stream_timer;	/* wakes paused streams */
};

static void	server_on_timer(uv_timer_t *);
static void	server_on_after(uv_timer_t *);
static void	server_run(struct listener *);

static int64_t
server_now_us(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

struct core *
server_core(struct server *srv)
{
	return srv->core;
}

int
server_is_tcp(struct req *r)
{
	return r->l->tcp;
}

void
server_answer(struct req *r, unsigned int status, char *text)
{
	free(r->answer);
	r->status = status;
	r->answer = text;
	r->answer_len = strlen(text);
	r->ctype = "application/json";
	r->answered = 1;
}

void
server_answer_raw(struct req *r, unsigned int status, const char *ctype,
    const char *data, size_t len)
{
	free(r->answer);
	r->status = status;
	r->answer = xmalloc(len + 1);
	memcpy(r->answer, data, len);
	r->answer[len] = '\0';
	r->answer_len = len;
	r->ctype = ctype;
	r->answered = 1;
}

void
server_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders + 2 > (int)(sizeof r->headers / sizeof r->headers[0]))
		return;
	r->headers[r->nheaders++] = xstrdup(name);
	r->headers[r->nheaders++] = xstrdup(value);
}

void
server_answer_stream(struct req *r, const char *ctype, const char *watch,
    server_read_fn read, void (*done)(void *), void *arg)
{
	struct server_stream	*st = xcalloc(1, sizeof *st);

	if (watch != NULL)
		st->watch_path = xstrdup(watch);

	st->srv = r->srv;
	st->l = r->l;
	st->conn = r->conn;
	st->read = read;
	st->done = done;
	st->arg = arg;
	free(r->answer);
	r->answer = NULL;
	r->stream = st;
	r->status = 200;
	r->ctype = ctype;
	r->answered = 1;
}

static void
server_on_stream_timer(uv_timer_t *h)
{
	struct server		*srv = h->data;
	struct server_stream	*st;
	int			 woke = 0;

	for (st = srv->streams; st != NULL; st = st->next) {
		if (st->paused) {
			st->paused = 0;
			MHD_resume_connection(st->conn);
			woke = 1;
		}
	}
	if (woke) {
		if (srv->local.open)
			server_run(&srv->local);
		if (srv->tcp.open)
			server_run(&srv->tcp);
	}
	for (st = srv->streams; st != NULL; st = st->next) {
		if (st->paused)
			return;
	}
	uv_timer_stop(&srv->stream_timer);
}

static void
server_stream_wake(struct server_stream *st)
{
	struct server	*srv = st->srv;

	if (!st->paused)
		return;
	st->paused = 0;
	MHD_resume_connection(st->conn);
	if (srv->local.open)
		uv_timer_start(&srv->local.timer, server_on_timer, 0, 0);
	if (srv->tcp.open)
		uv_timer_start(&srv->tcp.timer, server_on_timer, 0, 0);
}

static void
server_on_watch(uv_fs_event_t *h, const char *name, int events, int status)
{
	struct server_stream	*st = h->data;

	if (st != NULL)
		server_stream_wake(st);
}

static void
server_on_watch_close(uv_handle_t *h)
{
	free(h);
}

/* Watch the stream's file, so that what is written reaches it at once. */
static void
server_stream_watch(struct server_stream *st)
{
	if (st->watch != NULL || st->watch_path == NULL)
		return;
	st->watch = xcalloc(1, sizeof *st->watch);
	uv_fs_event_init(st->srv->core->loop, st->watch);
	st->watch->data = st;
	if (uv_fs_event_start(st->watch, server_on_watch, st->watch_path,
	    0) != 0) {
		/* Not there yet: the poll looks again. */
		st->watch->data = NULL;
		uv_close((uv_handle_t *)st->watch, server_on_watch_close);
		st->watch = NULL;
	}
}

static ssize_t
server_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct server_stream	*st = cls;
	long			 n;

	n = st->read(st->arg, pos, buf, max);
	if (n < 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (n == 0) {
		/*
		 * Nothing yet: park the connection until the file changes,
		 * and look again soon in any case (the run may have ended).
		 */
		st->paused = 1;
		MHD_suspend_connection(st->conn);
		server_stream_watch(st);
		if (!uv_is_active((uv_handle_t *)&st->srv->stream_timer))
			uv_timer_start(&st->srv->stream_timer,
			    server_on_stream_timer, SERVER_STREAM_POLL_MS,
			    SERVER_STREAM_POLL_MS);
	}
	return n;
}

static void
server_stream_free(void *cls)
{
	struct server_stream	*st = cls;
	struct server		*srv = st->srv;

	if (st->prev != NULL)
		st->prev->next = st->next;
	else
		srv->streams = st->next;
	if (st->next != NULL)
		st->next->prev = st->prev;
	if (st->done != NULL)
		st->done(st->arg);
	if (st->watch != NULL) {
		st->watch->data = NULL;
		uv_close((uv_handle_t *)st->watch, server_on_watch_close);
	}
	free(st->watch_path);
	free(st);
}

static void
server_error(struct req *r, enum wire_error e, const char *message)
{
	cJSON	*o = api_error_json(e, message);

	server_answer(r, wire_error_status(e), json_print(o));
	cJSON_Delete(o);
}

struct req *
server_find(struct server *srv, uint64_t id)
{
	struct req	*r;

	for (r = srv->reqs; r != NULL; r = r->next) {
		if (r->id == id)
			return r;
	}
	return NULL;
}

void
server_resume(struct req *r)
{
	r->deferred = 0;
	if (!r->suspended)
		return;	/* answered before server_request returned */
	r->suspended = 0;
	MHD_resume_connection(r->conn);
	/* Run MHD on the next loop turn, never from inside a handler. */
	if (r->l->open)
		uv_timer_start(&r->l->timer, server_on_timer, 0, 0);
}

static struct req *
server_req_new(struct listener *l, struct MHD_Connection *conn,
    const char *method, const char *url)
{
	struct server	*srv = l->srv;
	struct req	*r = xcalloc(1, sizeof *r);

	r->id = ++srv->next_id;
	r->srv = srv;
	r->l = l;
	r->conn = conn;
	r->method = xstrdup(method);
	r->path = xstrdup(url);
	r->started_us = server_now_us();
	buf_init(&r->upload);
	r->next = srv->reqs;
	if (srv->reqs != NULL)
		srv->reqs->prev = r;
	srv->reqs = r;
	return r;
}

static void
server_req_free(struct req *r)
{
	struct server	*srv = r->srv;

	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		srv->reqs = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	router_params_done(&r->params);
	while (r->ndecoded > 0)
		free(r->decoded[--r->ndecoded]);
	free(r->decoded);
	buf_done(&r->upload);
	cJSON_Delete(r->body);
	while (r->nheaders > 0)
		free(r->headers[--r->nheaders]);
	if (r->stream != NULL) {
		/* Never handed to MHD. */
		if (r->stream->done != NULL)
			r->stream->done(r->stream->arg);
		free(r->stream->watch_path);
		free(r->stream);
	}
	free(r->method);
	free(r->path);
	free(r->answer);
	free(r->allow);
	free(r);
}

static enum MHD_Result
server_queue(struct req *r)
{
	struct MHD_Response	*resp;
	struct server_stream	*st = r->stream;
	enum MHD_Result		 ret;
	char			*text = r->answer;
	int			 i;

	r->answer = NULL;
	if (st != NULL) {
		r->stream = NULL;
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
		    SERVER_STREAM_BLOCK, server_stream_read, st,
		    server_stream_free);
		if (resp == NULL) {
			if (st->done != NULL)
				st->done(st->arg);
			free(st->watch_path);
			free(st);
			return MHD_NO;
		}
		st->next = r->srv->streams;
		if (st->next != NULL)
			st->next->prev = st;
		r->srv->streams = st;
	} else {
		resp = MHD_create_response_from_buffer(r->answer_len, text,
		    MHD_RESPMEM_MUST_FREE);
		if (resp == NULL) {
			free(text);
			return MHD_NO;
		}
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    r->ctype != NULL ? r->ctype : "application/json");
	for (i = 0; i + 1 < r->nheaders; i += 2)
		MHD_add_response_header(resp, r->headers[i],
		    r->headers[i + 1]);
	if (r->allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	log_debug("%s %s %s -> %u in %lld us", r->l->tcp ? "tcp" : "unix",
	    r->method, r->path, r->status,
	    (long long)(server_now_us() - r->started_us));
	return ret;
}

static int
server_authenticate(struct req *r)
{
	struct core	*core = r->srv->core;
	const char	*h;
	char		*cause = NULL, *err = NULL;
	int64_t		 id, last_used, now;

	h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
		server_error(r, WIRE_UNAUTHENTICATED, "this listener needs an "
		    "API key: send 'Authorization: Bearer KEY' (create a key "
		    "with 'lathe key create')");
		return -1;
	}
	h += 7;
	while (*h == ' ')
		h++;
	if (keys_verify(core->store, h, &id, &last_used, &cause) != 0) {
		server_error(r, WIRE_UNAUTHENTICATED, cause);
		free(cause);
		return -1;
	}
	now = store_now_ms();
	if (now - last_used > SERVER_TOUCH_MS &&
	    store_key_touch(core->store, id, now, &err) != 0) {
		log_warn("%s", err);
		free(err);
	}
	return 0;
}

static void
server_dispatch(struct req *r)
{
	struct core	*core = r->srv->core;
	char		*cause = NULL, *allowed = NULL;
	enum router_result res;

	if (core->stopping) {
		server_error(r, WIRE_TEMPORARILY_UNAVAILABLE,
		    "lathed is shutting down");
		return;
	}
	res = router_match(api_routes, api_nroutes, r->method, r->path,
	    &r->route, &r->params, &allowed);
	if (res == ROUTER_NOT_FOUND) {
		cause = xasprintf("no endpoint %s %s", r->method, r->path);
		server_error(r, WIRE_ENDPOINT_NOT_FOUND, cause);
		free(cause);
		return;
	}
	if (res == ROUTER_BAD_METHOD) {
		cause = xasprintf("%s is not allowed on %s (allowed: %s)",
		    r->method, r->path, allowed);
		server_error(r, WIRE_METHOD_NOT_ALLOWED, cause);
		r->allow = allowed;
		free(cause);
		return;
	}
	if ((r->route->flags & ROUTE_LOCAL) && r->l->tcp) {
		cause = xasprintf("%s %s is only served on the local socket",
		    r->method, r->path);
		server_error(r, WIRE_PERMISSION_DENIED, cause);
		free(cause);
		return;
	}
	if (r->route->flags & ROUTE_BODY) {
		/* Where every field is optional, no body reads as {}. */
		if (r->upload.len == 0 && (r->route->flags & ROUTE_EMPTY))
			r->body = cJSON_CreateObject();
		else
			r->body = json_parse(buf_str(&r->upload),
			    r->upload.len, &cause);
		if (r->body == NULL) {
			server_error(r, WIRE_MALFORMED_REQUEST, cause);
			free(cause);
			return;
		}
		if (!cJSON_IsObject(r->body)) {
			server_error(r, WIRE_MALFORMED_REQUEST,
			    "the request body must be a JSON object");
			return;
		}
	}
	r->route->handler(r);
	if (!r->answered && !r->deferred)
		server_error(r, WIRE_INTERNAL_ERROR, "the handler gave no "
		    "answer");
}

static enum MHD_Result
server_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct listener	*l = cls;
	struct core	*core = l->srv->core;
	struct req	*r = *con_cls;
	const char	*cl;
	char		*msg;

	if (r == NULL) {
		r = server_req_new(l, conn, method, url);
		*con_cls = r;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > core->cfg.max_body) {
			msg = xasprintf("the request body (%s bytes) is larger "
			    "than the limit of %llu bytes (lathed "
			    "--max-body)", cl,
			    (unsigned long long)core->cfg.max_body);
			server_error(r, WIRE_REQUEST_TOO_LARGE, msg);
			free(msg);
			return server_queue(r);
		}
		if (l->tcp && server_authenticate(r) != 0)
			return server_queue(r);
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!r->answered &&
		    r->upload.len + *upload_size > core->cfg.max_body) {
			msg = xasprintf("the request body is larger than the "
			    "limit of %llu bytes (lathed --max-body)",
			    (unsigned long long)core->cfg.max_body);
			server_error(r, WIRE_REQUEST_TOO_LARGE, msg);
			free(msg);
			buf_done(&r->upload);
		}
		if (!r->answered)
			buf_add(&r->upload, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (!r->answered) {
		server_dispatch(r);
		if (r->deferred && !r->answered) {
			r->suspended = 1;
			MHD_suspend_connection(conn);
			return MHD_YES;
		}
	}
	return server_queue(r);
}

static void
server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct req	*r = *con_cls;
	struct core	*core = ((struct listener *)cls)->srv->core;
	void		(*after)(struct core *) = NULL;

	if (r != NULL) {
		after = r->after;
		server_req_free(r);
	}
	*con_cls = NULL;
	/*
	 * Work that must wait until the answer has gone out runs on the
	 * next loop turn: never inside MHD's own call.
	 */
	if (after != NULL && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK &&
	    core->server != NULL) {
		core->server->after = after;
		uv_timer_start(&core->server->after_timer, server_on_after,
		    0, 0);
	}
}

static void
server_on_after(uv_timer_t *h)
{
	struct server	*srv = h->data;
	void		(*after)(struct core *) = srv->after;

	srv->after = NULL;
	if (after != NULL)
		after(srv->core);
}

/* Leave escapes alone: the router and api_query decode, each its way. */
static size_t
server_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	return strlen(s);
}

static void
server_arm(struct listener *l)
{
	MHD_UNSIGNED_LONG_LONG	ms;

	if (MHD_get_timeout(l->daemon, &ms) == MHD_YES)
		uv_timer_start(&l->timer, server_on_timer, ms, 0);
	else
		uv_timer_stop(&l->timer);
}

static void
server_run(struct listener *l)
{
	if (l->daemon == NULL)
		return;
	MHD_run(l->daemon);
	server_arm(l);
}

static void
server_on_poll(uv_poll_t *h, int status, int events)
{
	server_run(h->data);
}

static void
server_on_timer(uv_timer_t *h)
{
	server_run(h->data);
}

static int
server_bind_local(struct core *core, char **cause)
{
	struct sockaddr_un	 sun;
	int			 fd = -1;

	if (paths_private_dir(core->cfg.runtime_dir, cause) != 0)
		return -1;
	if (strlen(core->socket_path) >= sizeof sun.sun_path) {
		*cause = xasprintf("the socket path %s is too long; choose a "
		    "shorter --runtime-dir", core->socket_path);
		return -1;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, core->socket_path);
	/* We hold the state lock, so a socket left here is stale. */
	unlink(core->socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    chmod(core->socket_path, 0600) != 0 || listen(fd, 128) != 0) {
		*cause = xasprintf("cannot listen on %s: %s",
		    core->socket_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int
server_bind_tcp(struct core *core, char **cause)
{
	struct addrinfo		 hints, *ai = NULL;
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof ss;
	char			 port[16];
	int			 fd = -1, one = 1, err;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port, sizeof port, "%d", core->cfg.port);
	err = getaddrinfo(core->cfg.listen, port, &hints, &ai);
	if (err != 0) {
		*cause = xasprintf("cannot listen on %s: %s", core->cfg.listen,
		    gai_strerror(err));
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(fd, 128) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		*cause = xasprintf("cannot listen on %s port %d: %s",
		    core->cfg.listen, core->cfg.port, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	if (ss.ss_family == AF_INET6)
		core->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	else
		core->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static int
server_listen(struct server *srv, struct listener *l, int fd, int tcp,
    char **cause)
{
	const union MHD_DaemonInfo	*info;
	unsigned int			 flags;

	l->srv = srv;
	l->fd = fd;
	l->tcp = tcp;
	flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
#ifdef LATHE_DEBUG
	flags |= MHD_USE_ERROR_LOG;
#endif
	l->daemon = MHD_start_daemon(flags, 0, NULL, NULL, server_request, l,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_NOTIFY_COMPLETED, server_completed, l,
	    MHD_OPTION_UNESCAPE_CALLBACK, server_unescape, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
	    MHD_OPTION_END);
	if (l->daemon == NULL) {
		*cause = xstrdup("cannot start the HTTP server");
		close(fd);
		return -1;
	}
	info = MHD_get_daemon_info(l->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	if (info == NULL) {
		*cause = xstrdup("the HTTP server has no epoll descriptor");
		MHD_stop_daemon(l->daemon);
		l->daemon = NULL;
		close(fd);
		return -1;
	}
	uv_poll_init(srv->core->loop, &l->poll, info->epoll_fd);
	uv_timer_init(srv->core->loop, &l->timer);
	l->poll.data = l;
	l->timer.data = l;
	uv_poll_start(&l->poll, UV_READABLE, server_on_poll);
	uv_timer_start(&l->timer, server_on_timer, 0, 0);
	l->open = 1;
	return 0;
}

int
server_start(struct core *core, char **cause)
{
	struct server	*srv = xcalloc(1, sizeof *srv);
	int		 fd;

	srv->core = core;
	core->server = srv;
	uv_timer_init(core->loop, &srv->after_timer);
	srv->after_timer.data = srv;
	uv_timer_init(core->loop, &srv->stream_timer);
	srv->stream_timer.data = srv;
	srv->closing = 2;
	if ((fd = server_bind_local(core, cause)) < 0)
		goto fail;
	if (server_listen(srv, &srv->local, fd, 0, cause) != 0)
		goto fail;
	if ((fd = server_bind_tcp(core, cause)) < 0)
		goto fail;
	if (server_listen(srv, &srv->tcp, fd, 1, cause) != 0)
		goto fail;
	return 0;
fail:
	server_stop(core);
	return -1;
}

static void
server_on_close(uv_handle_t *h)
{
	struct listener	*l = h->data;
	struct server	*srv = l->srv;

	if (--srv->closing == 0)
		free(srv);
}

static void
server_on_after_close(uv_handle_t *h)
{
	struct server	*srv = h->data;

	if (--srv->closing == 0)
		free(srv);
}

static void
server_close(struct listener *l)
{
	if (l->daemon == NULL)
		return;
	if (l->open) {
		l->open = 0;
		uv_poll_stop(&l->poll);
		uv_close((uv_handle_t *)&l->poll, server_on_close);
		uv_close((uv_handle_t *)&l->timer, server_on_close);
		l->srv->closing += 2;
	}
	/* Closes every connection, resuming suspended ones first. */
	MHD_stop_daemon(l->daemon);
	l->daemon = NULL;
	close(l->fd);
}

void
server_stop(struct core *core)
{
	struct server		*srv = core->server;
	struct server_stream	*st;
	struct req		*r;
	int			 i;

	if (srv == NULL)
		return;
	for (st = srv->streams; st != NULL; st = st->next) {
		if (st->paused) {
			st->paused = 0;
			MHD_resume_connection(st->conn);
		}
	}
	uv_timer_stop(&srv->stream_timer);
	for (r = srv->reqs; r != NULL; r = r->next) {
		if (r->suspended) {
			server_error(r, WIRE_TEMPORARILY_UNAVAILABLE,
			    "lathed is shutting down");
			r->suspended = 0;
			r->deferred = 0;
			MHD_resume_connection(r->conn);
		}
	}
	/* Let MHD send those answers before it closes the connections. */
	for (i = 0; i < 3; i++) {
		if (srv->local.daemon != NULL)
			MHD_run(srv->local.daemon);
		if (srv->tcp.daemon != NULL)
			MHD_run(srv->tcp.daemon);
	}
	server_close(&srv->local);
	server_close(&srv->tcp);
	unlink(core->socket_path);
	/* MHD freed its requests through server_completed. */
	while (srv->reqs != NULL)
		server_req_free(srv->reqs);
	core->server = NULL;
	/* The handles close on the next loop turn; then srv goes. */
	uv_close((uv_handle_t *)&srv->after_timer, server_on_after_close);
	uv_close((uv_handle_t *)&srv->stream_timer, server_on_after_close);
}
