/*
 * The API's routes: one table of (method, path pattern, handler, flags).
 * Patterns are literal segments and {name} captures of one segment each.
 */
#ifndef LATHE_ROUTER_H
#define LATHE_ROUTER_H

#include <stddef.h>

#define ROUTER_MAX_PARAMS	4
#define ROUTER_MAX_SEGMENTS	16

struct req;

/* Route flags. */
#define ROUTE_READ	0x0	/* reads only */
#define ROUTE_WRITE	0x1	/* changes state */
#define ROUTE_BODY	0x2	/* expects a JSON object body */
#define ROUTE_LOCAL	0x4	/* unix socket only, refused over TCP */
#define ROUTE_EMPTY	0x8	/* with ROUTE_BODY: no body reads as {} */

struct route {
	const char	*method;
	const char	*pattern;
	void		(*handler)(struct req *);
	int		 flags;
};

struct router_params {
	size_t		 n;
	struct {
		char	 name[32];
		char	*value;
	}		 p[ROUTER_MAX_PARAMS];
};

enum router_result {
	ROUTER_FOUND,
	ROUTER_NOT_FOUND,	/* no pattern matches the path */
	ROUTER_BAD_METHOD,	/* a pattern matches, not with this method */
};

/*
 * Find the route for method and path (still %-escaped) in table (n
 * entries); captured values are decoded, and one that decodes to a NUL
 * byte makes the path not found. On ROUTER_FOUND
 * set *out and fill params (values are new strings: free them with
 * router_params_done). On ROUTER_BAD_METHOD, *allowed lists the methods the
 * path accepts ("GET, POST"), a new string.
 */
enum router_result router_match(const struct route *table, size_t n,
	    const char *method, const char *path, const struct route **out,
	    struct router_params *params, char **allowed);
void		 router_params_done(struct router_params *);
const char	*router_param(const struct router_params *, const char *name);

/* Check a table at start-up: patterns well formed, no duplicates. */
int		 router_check(const struct route *table, size_t n,
	    char **cause);

#endif
