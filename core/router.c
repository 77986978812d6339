/*
 * Matching request paths against the route table. Paths arrive still
 * escaped; captures are decoded after the path is split. The table is small and
 * static, so a linear scan over split segments is both simple and fast
 * enough (well under a microsecond per route).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "router.h"
#include "wire.h"
#include "xmalloc.h"

struct segments {
	size_t		 n;
	const char	*s[ROUTER_MAX_SEGMENTS];
	size_t		 len[ROUTER_MAX_SEGMENTS];
};

/* Split path at '/', ignoring empty segments; -1 if there are too many. */
static int
router_split(const char *path, struct segments *sg)
{
	const char	*p = path, *e;

	sg->n = 0;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		if (sg->n == ROUTER_MAX_SEGMENTS)
			return -1;
		sg->s[sg->n] = p;
		sg->len[sg->n] = (size_t)(e - p);
		sg->n++;
		p = e;
	}
	return 0;
}

static int
router_is_capture(const char *s, size_t len)
{
	return len > 2 && s[0] == '{' && s[len - 1] == '}';
}

static int
router_path_matches(const struct segments *pat, const struct segments *got,
    struct router_params *params)
{
	size_t	i;

	if (pat->n != got->n)
		return 0;
	for (i = 0; i < pat->n; i++) {
		if (router_is_capture(pat->s[i], pat->len[i]))
			continue;
		if (pat->len[i] != got->len[i] ||
		    memcmp(pat->s[i], got->s[i], got->len[i]) != 0)
			return 0;
	}
	if (params == NULL)
		return 1;
	params->n = 0;
	for (i = 0; i < pat->n; i++) {
		size_t	 k = params->n;
		char	*raw, *value;

		if (!router_is_capture(pat->s[i], pat->len[i]))
			continue;
		/* Decoded only now, so that %2F stays inside its segment. */
		raw = xstrndup(got->s[i], got->len[i]);
		value = wire_unescape(raw, 0);
		free(raw);
		if (value == NULL) {
			router_params_done(params);
			return 0;
		}
		memcpy(params->p[k].name, pat->s[i] + 1, pat->len[i] - 2);
		params->p[k].name[pat->len[i] - 2] = '\0';
		params->p[k].value = value;
		params->n++;
	}
	return 1;
}

enum router_result
router_match(const struct route *table, size_t n, const char *method,
    const char *path, const struct route **out, struct router_params *params,
    char **allowed)
{
	struct segments	 got, pat;
	struct buf	 methods;
	size_t		 i;
	int		 path_found = 0;

	params->n = 0;
	if (router_split(path, &got) != 0)
		return ROUTER_NOT_FOUND;
	buf_init(&methods);
	for (i = 0; i < n; i++) {
		router_split(table[i].pattern, &pat);
		if (!router_path_matches(&pat, &got, NULL))
			continue;
		if (strcmp(table[i].method, method) == 0) {
			buf_done(&methods);
			if (!router_path_matches(&pat, &got, params))
				return ROUTER_NOT_FOUND;
			*out = &table[i];
			return ROUTER_FOUND;
		}
		if (strstr(buf_str(&methods), table[i].method) == NULL) {
			if (methods.len > 0)
				buf_adds(&methods, ", ");
			buf_adds(&methods, table[i].method);
		}
		path_found = 1;
	}
	if (!path_found) {
		buf_done(&methods);
		return ROUTER_NOT_FOUND;
	}
	*allowed = buf_take(&methods);
	return ROUTER_BAD_METHOD;
}

void
router_params_done(struct router_params *params)
{
	size_t	i;

	for (i = 0; i < params->n; i++)
		free(params->p[i].value);
	params->n = 0;
}

const char *
router_param(const struct router_params *params, const char *name)
{
	size_t	i;

	for (i = 0; i < params->n; i++) {
		if (strcmp(params->p[i].name, name) == 0)
			return params->p[i].value;
	}
	return NULL;
}

int
router_check(const struct route *table, size_t n, char **cause)
{
	struct segments	 a, b;
	size_t		 i, j, k, captures;

	for (i = 0; i < n; i++) {
		if (table[i].pattern[0] != '/' ||
		    router_split(table[i].pattern, &a) != 0) {
			*cause = xasprintf("route %s %s: malformed pattern",
			    table[i].method, table[i].pattern);
			return -1;
		}
		captures = 0;
		for (k = 0; k < a.n; k++) {
			if (router_is_capture(a.s[k], a.len[k]) &&
			    (++captures > ROUTER_MAX_PARAMS ||
			    a.len[k] - 2 >= 32)) {
				*cause = xasprintf("route %s %s: too many or "
				    "too long captures", table[i].method,
				    table[i].pattern);
				return -1;
			}
		}
		for (j = 0; j < i; j++) {
			if (strcmp(table[i].method, table[j].method) != 0)
				continue;
			router_split(table[j].pattern, &b);
			if (router_path_matches(&a, &b, NULL) &&
			    router_path_matches(&b, &a, NULL)) {
				*cause = xasprintf("routes %s %s and %s "
				    "overlap", table[i].method,
				    table[i].pattern, table[j].pattern);
				return -1;
			}
		}
	}
	return 0;
}
