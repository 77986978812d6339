/*
 * The HTTP server: libmicrohttpd on the unix socket and on the TCP
 * listener, driven from the core's libuv loop (each daemon's epoll
 * descriptor is watched by a uv_poll, its timeouts by a uv_timer), so that
 * handlers run on the loop thread like everything else.
 */
#ifndef LATHE_SERVER_H
#define LATHE_SERVER_H

#include <stdint.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "buf.h"
#include "router.h"

struct core;
struct server;
struct listener;
struct server_stream;

/*
 * A body read as it is sent. read fills buf with up to max bytes from
 * offset pos and returns how many, 0 when nothing is ready yet (the
 * connection waits and read is asked again shortly), or -1 at the end.
 * done frees arg.
 */
typedef long	(*server_read_fn)(void *arg, uint64_t pos, char *buf,
		    size_t max);

/* A request in flight; handlers reach it through api.h. */
struct req {
	uint64_t		 id;
	struct server		*srv;
	struct listener		*l;
	struct MHD_Connection	*conn;
	char			*method;
	char			*path;
	int64_t			 started_us;
	const struct route	*route;
	struct router_params	 params;
	struct buf		 upload;
	cJSON			*body;
	int			 deferred;	/* answered later, by id */
	int			 suspended;	/* MHD holds the connection */
	int			 answered;	/* status and answer are set */
	unsigned int		 status;
	char			*answer;	/* JSON text, or raw bytes */
	size_t			 answer_len;	/* raw: its length */
	const char		*ctype;		/* raw: its content type */
	char			*headers[8];	/* name, value, ... */
	int			 nheaders;
	struct server_stream	*stream;	/* a body produced as it goes */
	char			*allow;		/* Allow header for 405 */
	char			**decoded;	/* query values handed out */
	size_t			 ndecoded;
	void			(*after)(struct core *);
	struct req		*next;		/* on the server's list */
	struct req		*prev;
};

/*
 * Create the server: bind the unix socket (inside a 0700 runtime
 * directory) and the TCP listener, and start serving on the core's loop.
 * Return 0, or -1 with *cause.
 */
int	 server_start(struct core *, char **cause);
/*
 * Stop listening and close every connection. Deferred requests are
 * answered 503 first; the work behind them finishes but its answer is
 * dropped.
 */
void	 server_stop(struct core *);
struct core *server_core(struct server *);
/* Set a request's answer (owned: status and text). */
void	 server_answer(struct req *, unsigned int status, char *text);
/* Find a deferred request by id, or NULL if it is gone. */
struct req *server_find(struct server *, uint64_t id);
/* Resume a deferred request once its answer has been set. */
void	 server_resume(struct req *);
/* Answer with len bytes of data (copied) of content type ctype. */
void	 server_answer_raw(struct req *, unsigned int status,
	    const char *ctype, const char *data, size_t len);
/* Add a response header (copied). */
void	 server_header(struct req *, const char *name, const char *value);
/* Answer 200 with a body of unknown length produced by read; the stream
   is woken when the file watch (or NULL) changes. */
void	 server_answer_stream(struct req *, const char *ctype,
	    const char *watch, server_read_fn read, void (*done)(void *),
	    void *arg);
/* Whether the request arrived on the TCP listener. */
int	 server_is_tcp(struct req *);

#endif
