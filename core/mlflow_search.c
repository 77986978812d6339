/*
 * The search compiler for MLflow's runs/search: a hand-written scanner for
 * the subset of SQL that MLflow's SearchUtils accepts (through sqlparse),
 * checks in the order and with the words of MLflow's messages, and SQL
 * made from constant fragments only: keys, strings, numbers and lists all
 * become bound parameters. Filter clauses become correlated EXISTS
 * subqueries on the primary keys of params, tags and latest_metrics, or
 * comparisons of mlflow_runs columns; order_by items become a rank (present,
 * NaN, missing) followed by the value, so that missing keys sort last both
 * ways without NULLS LAST.
 */
#include "config.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "mlflow_search.h"
#include "xmalloc.h"

/* The longest token quoted back in a message, in bytes. */
#define SEARCH_CLIP	40

enum search_entity {
	SEARCH_METRIC,
	SEARCH_PARAM,
	SEARCH_TAG,
	SEARCH_ATTR,
};

enum search_op {
	SEARCH_EQ,
	SEARCH_NE,
	SEARCH_LT,
	SEARCH_LE,
	SEARCH_GT,
	SEARCH_GE,
	SEARCH_LIKE,
	SEARCH_ILIKE,
	SEARCH_IN,
	SEARCH_NOT_IN,
	SEARCH_IS_NULL,
	SEARCH_IS_NOT_NULL,
	SEARCH_BAD_OP,		/* a run of <>=~! that is none of the above */
};

#define SEARCH_BIT(op)		(1u << (op))
#define SEARCH_OPS_NUMERIC	(SEARCH_BIT(SEARCH_EQ) | \
	SEARCH_BIT(SEARCH_NE) | SEARCH_BIT(SEARCH_LT) | \
	SEARCH_BIT(SEARCH_LE) | SEARCH_BIT(SEARCH_GT) | SEARCH_BIT(SEARCH_GE))
#define SEARCH_OPS_KEYED	(SEARCH_BIT(SEARCH_EQ) | \
	SEARCH_BIT(SEARCH_NE) | SEARCH_BIT(SEARCH_LIKE) | \
	SEARCH_BIT(SEARCH_ILIKE) | SEARCH_BIT(SEARCH_IS_NULL) | \
	SEARCH_BIT(SEARCH_IS_NOT_NULL))
#define SEARCH_OPS_STRING	(SEARCH_BIT(SEARCH_EQ) | \
	SEARCH_BIT(SEARCH_NE) | SEARCH_BIT(SEARCH_LIKE) | \
	SEARCH_BIT(SEARCH_ILIKE) | SEARCH_BIT(SEARCH_IN) | \
	SEARCH_BIT(SEARCH_NOT_IN))

static const char *const search_op_names[] = {
	[SEARCH_EQ] = "=",
	[SEARCH_NE] = "!=",
	[SEARCH_LT] = "<",
	[SEARCH_LE] = "<=",
	[SEARCH_GT] = ">",
	[SEARCH_GE] = ">=",
	[SEARCH_LIKE] = "LIKE",
	[SEARCH_ILIKE] = "ILIKE",
	[SEARCH_IN] = "IN",
	[SEARCH_NOT_IN] = "NOT IN",
	[SEARCH_IS_NULL] = "IS NULL",
	[SEARCH_IS_NOT_NULL] = "IS NOT NULL",
};

/* What each kind of identifier is called and where its values live. */
struct search_entity_info {
	const char	*name;		/* as MLflow's messages call it */
	const char	*table;		/* NULL for attributes */
	const char	*alias;
	unsigned	 ops;
	const char	*op_list;	/* ops, for messages */
};

static const struct search_entity_info search_entities[] = {
	[SEARCH_METRIC] = { "metric", "latest_metrics", "m",
	    SEARCH_OPS_NUMERIC, "{'=', '!=', '<', '<=', '>', '>='}" },
	[SEARCH_PARAM] = { "parameter", "params", "p", SEARCH_OPS_KEYED,
	    "{'=', '!=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}" },
	[SEARCH_TAG] = { "tag", "tags", "t", SEARCH_OPS_KEYED,
	    "{'=', '!=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'}" },
	[SEARCH_ATTR] = { "attribute", NULL, NULL, SEARCH_OPS_STRING,
	    "{'=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'}" },
};

/* The prefixes MLflow accepts before the '.' of an identifier. */
static const struct {
	const char		*name;
	enum search_entity	 entity;
} search_prefixes[] = {
	{ "metric", SEARCH_METRIC },
	{ "metrics", SEARCH_METRIC },
	{ "parameter", SEARCH_PARAM },
	{ "parameters", SEARCH_PARAM },
	{ "param", SEARCH_PARAM },
	{ "params", SEARCH_PARAM },
	{ "tag", SEARCH_TAG },
	{ "tags", SEARCH_TAG },
	{ "attribute", SEARCH_ATTR },
	{ "attributes", SEARCH_ATTR },
	{ "attr", SEARCH_ATTR },
	{ "run", SEARCH_ATTR },
};

struct search_attr {
	const char	*name;
	const char	*column;
	int		 numeric;
};

static const struct search_attr search_attrs[] = {
	{ "artifact_uri", "r.artifact_uri", 0 },
	{ "end_time", "r.end_time", 1 },
	{ "lifecycle_stage", "r.lifecycle_stage", 0 },
	{ "run_id", "r.run_uuid", 0 },
	{ "run_name", "r.run_name", 0 },
	{ "start_time", "r.start_time", 1 },
	{ "status", "r.status", 0 },
	{ "user_id", "r.user_id", 0 },
};

static const struct {
	const char	*alias;
	const char	*name;
} search_attr_aliases[] = {
	{ "created", "start_time" },
	{ "Created", "start_time" },
	{ "run name", "run_name" },
	{ "Run name", "run_name" },
	{ "Run Name", "run_name" },
};

#define SEARCH_ATTR_KEYS \
	"'artifact_uri', 'end_time', 'lifecycle_stage', 'run_id', " \
	"'run_name', 'start_time', 'status', 'user_id' (and the aliases " \
	"'created', 'Created', 'run name', 'Run name', 'Run Name')"

#define SEARCH_NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* A scan of the filter or of one order_by item. */
struct search_parser {
	const char	*src;
	size_t		 at;
	size_t		 item;		/* 0: the filter; i + 1: order_by[i] */
	char		**cause;
};

struct search_ident {
	enum search_entity		 entity;
	char				*key;	/* attributes: canonical */
	const struct search_attr	*attr;
	size_t				 pos;
	size_t				 end;
};

enum search_vtype {
	SEARCH_V_STRING,	/* 'quoted' or "quoted" */
	SEARCH_V_NUMBER,
	SEARCH_V_LIST,		/* ('a', 'b') */
	SEARCH_V_WORD,		/* a bare word or a `backquoted` one */
};

struct search_value {
	enum search_vtype	 type;
	char			*text;		/* strings, decoded */
	char			**list;
	size_t			 nlist;
	int			 integer;	/* no '.' nor exponent, fits */
	int64_t			 i64;
	double			 real;
	size_t			 pos;
	size_t			 end;
};

/* SQL under construction and its parameters, in order. */
struct search_build {
	struct buf		 sql;
	struct search_bind	*binds;
	size_t			 nbinds;
	size_t			 cap;
	size_t			 nlist;		/* list values so far */
};

static char	*search_clip(const char *, size_t);
static void	 search_error(struct search_parser *, size_t, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
static void	 search_syntax(struct search_parser *, size_t, const char *,
		     ...) __attribute__((format(printf, 3, 4)));
static char	*search_found(const struct search_parser *, size_t);
static int	 search_word_char(int);
static int	 search_word_start(int);
static size_t	 search_word_end(const char *, size_t);
static void	 search_skip_space(struct search_parser *);
static int	 search_keyword(const struct search_parser *, const char *);
static int	 search_quoted(struct search_parser *, char **);
static int	 search_key(struct search_parser *, size_t, char **);
static int	 search_ident_parse(struct search_parser *,
		     struct search_ident *);
static int	 search_op_parse(struct search_parser *,
		     const struct search_ident *, enum search_op *, char **);
static int	 search_number(struct search_parser *, struct search_value *);
static int	 search_list(struct search_parser *, struct search_value *);
static int	 search_value_parse(struct search_parser *, const char *,
		     struct search_value *);
static void	 search_value_done(struct search_value *);
static int	 search_check_value(struct search_parser *,
		     const struct search_ident *, const struct search_value *);
static int	 search_check(struct search_parser *,
		     const struct search_ident *, enum search_op, size_t,
		     const char *, const struct search_value *);
static struct search_bind *search_add(struct search_build *, int);
static void	 search_add_text(struct search_build *, const char *);
static void	 search_add_real(struct search_build *, double);
static void	 search_add_int(struct search_build *, int64_t);
static char	*search_glob(const char *);
static void	 search_emit_attr(struct search_build *,
		     const struct search_ident *, enum search_op,
		     const struct search_value *);
static void	 search_emit_clause(struct search_build *,
		     const struct search_ident *, enum search_op,
		     const struct search_value *);
static int	 search_clause(struct search_parser *, struct search_build *);
static int	 search_filter(const char *, struct search_build *, char **);
static void	 search_emit_order(struct search_build *,
		     const struct search_ident *, int);
static int	 search_order_item(struct search_parser *,
		     struct search_ident *, int *);
static int	 search_order(const char *const *, size_t,
		     struct search_build *, char **);

/* A copy of s's first n bytes for a message, cut at SEARCH_CLIP bytes. */
static char *
search_clip(const char *s, size_t n)
{
	size_t	cut;

	if (n <= SEARCH_CLIP)
		return xstrndup(s, n);
	cut = SEARCH_CLIP;
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	return xasprintf("%.*s...", (int)cut, s);
}

/*
 * Set *cause to the message and where in the source it applies: the
 * character (not byte) position, counted from 1.
 */
static void
search_error(struct search_parser *p, size_t pos, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	size_t	 i, ch = 1;

	for (i = 0; i < pos && p->src[i] != '\0'; i++) {
		if (((unsigned char)p->src[i] & 0xc0) != 0x80)
			ch++;
	}
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (p->item == 0)
		*p->cause = xasprintf("%s (at character %zu of the filter)",
		    msg, ch);
	else
		*p->cause = xasprintf("%s (at character %zu of order_by item "
		    "%zu)", msg, ch, p->item);
	free(msg);
}

/* An error in the shape of the source, prefixed as MLflow's are. */
static void
search_syntax(struct search_parser *p, size_t pos, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *clip;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (p->item == 0)
		search_error(p, pos, "Invalid clause(s) in filter string: %s",
		    msg);
	else {
		clip = search_clip(p->src, strlen(p->src));
		search_error(p, pos, "Invalid order_by clause '%s'. Could not "
		    "be parsed: %s", clip, msg);
		free(clip);
	}
	free(msg);
}

/* Describe the token at pos for a message: "'word'" or the end. */
static char *
search_found(const struct search_parser *p, size_t pos)
{
	const char	*s = p->src, *q;
	size_t		 end;
	char		*clip, *found;

	if (s[pos] == '\0')
		return xstrdup(p->item == 0 ? "the end of the filter" :
		    "the end of the order_by item");
	if (search_word_char((unsigned char)s[pos]))
		end = search_word_end(s, pos);
	else if (s[pos] == '\'' || s[pos] == '"' || s[pos] == '`') {
		q = strchr(s + pos + 1, s[pos]);
		end = q != NULL ? (size_t)(q - s) + 1 : strlen(s);
	} else if (strchr("<>=~!", s[pos]) != NULL)
		end = pos + strspn(s + pos, "<>=~!");
	else {
		end = pos + 1;
		while (((unsigned char)s[end] & 0xc0) == 0x80)
			end++;
	}
	clip = search_clip(s + pos, end - pos);
	found = xasprintf("'%s'", clip);
	free(clip);
	return found;
}

/* Letters, digits, '_' and any byte of a multibyte UTF-8 character. */
static int
search_word_char(int c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int
search_word_start(int c)
{
	return search_word_char(c) && !(c >= '0' && c <= '9');
}

static size_t
search_word_end(const char *s, size_t i)
{
	while (search_word_char((unsigned char)s[i]))
		i++;
	return i;
}

static void
search_skip_space(struct search_parser *p)
{
	while (p->src[p->at] != '\0' &&
	    strchr(" \t\n\r\f\v", p->src[p->at]) != NULL)
		p->at++;
}

/* Is the whole word at p->at keyword kw, in any case? */
static int
search_keyword(const struct search_parser *p, const char *kw)
{
	size_t	n = strlen(kw);

	return strncasecmp(p->src + p->at, kw, n) == 0 &&
	    !search_word_char((unsigned char)p->src[p->at + n]);
}

/*
 * Decode the quoted text at p->at into *out and step past it. A doubled
 * quote stands for one; in '...' and "...", \' \" and \\ are escapes too.
 */
static int
search_quoted(struct search_parser *p, char **out)
{
	const char	*s = p->src;
	size_t		 start = p->at, i = start + 1;
	char		 q = s[start], *clip;
	struct buf	 b;

	buf_init(&b);
	for (;;) {
		if (s[i] == '\0') {
			buf_done(&b);
			clip = search_clip(s + start, i - start);
			search_syntax(p, start, "unterminated quoted string: "
			    "expected a closing %c after %s", q, clip);
			free(clip);
			return -1;
		}
		if (s[i] == q) {
			if (s[i + 1] != q)
				break;
			buf_addc(&b, q);
			i += 2;
		} else if (s[i] == '\\' && q != '`' &&
		    (s[i + 1] == q || s[i + 1] == '\\')) {
			buf_addc(&b, s[i + 1]);
			i += 2;
		} else
			buf_addc(&b, s[i++]);
	}
	p->at = i + 1;
	*out = buf_take(&b);
	return 0;
}

/*
 * The key after "prefix." (prefix_pos is where the prefix starts): quoted,
 * or words joined by dots, as in tags.mlflow.runName.
 */
static int
search_key(struct search_parser *p, size_t prefix_pos, char **out)
{
	const char	*s = p->src;
	size_t		 start = p->at, end;
	char		*found;

	if (s[start] == '"' || s[start] == '`')
		return search_quoted(p, out);
	if (!search_word_char((unsigned char)s[start])) {
		found = search_found(p, start);
		search_syntax(p, start, "expected a key after '%.*s', found %s",
		    (int)(start - prefix_pos), s + prefix_pos, found);
		free(found);
		return -1;
	}
	end = search_word_end(s, start);
	while (s[end] == '.' && search_word_char((unsigned char)s[end + 1]))
		end = search_word_end(s, end + 1);
	p->at = end;
	*out = xstrndup(s + start, end - start);
	return 0;
}

/* Parse an identifier: prefix.key or a bare attribute name. */
static int
search_ident_parse(struct search_parser *p, struct search_ident *id)
{
	static const char *const reserved[] = { "AND", "OR", "NOT", "IN",
	    "IS", "NULL", "LIKE", "ILIKE" };
	const char	*s = p->src;
	size_t		 start = p->at, i;
	char		*first = NULL, *key = NULL, *found;
	int		 quoted = 0, rc = -1;

	memset(id, 0, sizeof *id);
	if (s[start] == '"' || s[start] == '`') {
		if (search_quoted(p, &first) != 0)
			goto out;
		quoted = 1;
	} else if (search_word_start((unsigned char)s[start])) {
		p->at = search_word_end(s, start);
		first = xstrndup(s + start, p->at - start);
	} else {
		found = search_found(p, start);
		search_syntax(p, start, "expected an identifier such as "
		    "metrics.KEY, params.KEY, tags.KEY or attributes.KEY, "
		    "found %s%s", found, s[start] == '(' ?
		    " (parentheses around clauses are not supported)" : "");
		free(found);
		goto out;
	}

	if (s[p->at] == '.') {
		for (i = 0; i < SEARCH_NELEM(search_prefixes); i++) {
			if (strcmp(first, search_prefixes[i].name) == 0)
				break;
		}
		if (i == SEARCH_NELEM(search_prefixes)) {
			if (strcmp(first, "dataset") == 0 ||
			    strcmp(first, "datasets") == 0)
				search_error(p, start, "Searching runs by "
				    "dataset ('%s') is not supported", first);
			else
				search_error(p, start, "Invalid entity type "
				    "'%s'. Valid values are ['metric', "
				    "'parameter', 'tag', 'attribute']", first);
			goto out;
		}
		id->entity = search_prefixes[i].entity;
		p->at++;
		if (search_key(p, start, &key) != 0)
			goto out;
	} else {
		for (i = 0; !quoted && i < SEARCH_NELEM(reserved); i++) {
			if (strcasecmp(first, reserved[i]) == 0) {
				search_syntax(p, start, "expected an "
				    "identifier such as metrics.KEY, "
				    "params.KEY, tags.KEY or attributes.KEY, "
				    "found '%s'", first);
				goto out;
			}
		}
		id->entity = SEARCH_ATTR;
		key = first;
		first = NULL;
	}
	if (*key == '\0') {
		search_syntax(p, start, "the key of '%.*s' is empty",
		    (int)(p->at - start), s + start);
		goto out;
	}

	if (id->entity == SEARCH_ATTR) {
		for (i = 0; i < SEARCH_NELEM(search_attr_aliases); i++) {
			if (strcmp(key, search_attr_aliases[i].alias) == 0) {
				free(key);
				key = xstrdup(search_attr_aliases[i].name);
				break;
			}
		}
		for (i = 0; i < SEARCH_NELEM(search_attrs); i++) {
			if (strcmp(key, search_attrs[i].name) == 0)
				break;
		}
		if (i == SEARCH_NELEM(search_attrs)) {
			search_error(p, start, "Invalid attribute key '%s' "
			    "specified. Valid keys are " SEARCH_ATTR_KEYS, key);
			goto out;
		}
		id->attr = &search_attrs[i];
	}
	id->key = key;
	key = NULL;
	id->pos = start;
	id->end = p->at;
	rc = 0;
out:
	free(first);
	free(key);
	return rc;
}

/*
 * Parse the comparator at p->at. Runs of <>=~! that MLflow does not know
 * come back as SEARCH_BAD_OP with their text in *text, for the check to
 * name; otherwise *text is the comparator in upper case.
 */
static int
search_op_parse(struct search_parser *p, const struct search_ident *id,
    enum search_op *op, char **text)
{
	const char	*s = p->src;
	size_t		 start = p->at, n, i;
	char		*found;

	if (s[start] != '\0' && strchr("<>=~!", s[start]) != NULL) {
		n = strspn(s + start, "<>=~!");
		p->at += n;
		*text = xstrndup(s + start, n);
		for (i = SEARCH_EQ; i <= SEARCH_GE; i++) {
			if (strcmp(*text, search_op_names[i]) == 0) {
				*op = (enum search_op)i;
				return 0;
			}
		}
		*op = SEARCH_BAD_OP;
		return 0;
	}
	if (search_keyword(p, "LIKE")) {
		p->at += 4;
		*op = SEARCH_LIKE;
	} else if (search_keyword(p, "ILIKE")) {
		p->at += 5;
		*op = SEARCH_ILIKE;
	} else if (search_keyword(p, "IN")) {
		p->at += 2;
		*op = SEARCH_IN;
	} else if (search_keyword(p, "NOT")) {
		p->at += 3;
		search_skip_space(p);
		if (!search_keyword(p, "IN")) {
			found = search_found(p, p->at);
			search_syntax(p, p->at, "expected IN after NOT, found "
			    "%s", found);
			free(found);
			return -1;
		}
		p->at += 2;
		*op = SEARCH_NOT_IN;
	} else if (search_keyword(p, "IS")) {
		p->at += 2;
		search_skip_space(p);
		*op = SEARCH_IS_NULL;
		if (search_keyword(p, "NOT")) {
			p->at += 3;
			search_skip_space(p);
			*op = SEARCH_IS_NOT_NULL;
		}
		if (!search_keyword(p, "NULL")) {
			found = search_found(p, p->at);
			search_syntax(p, p->at, "expected %s after IS, found "
			    "%s", *op == SEARCH_IS_NULL ? "NULL or NOT NULL" :
			    "NULL", found);
			free(found);
			return -1;
		}
		p->at += 4;
	} else {
		found = search_found(p, start);
		search_syntax(p, start, "expected a comparator (=, !=, <, <=, "
		    ">, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL) "
		    "after '%.*s', found %s", (int)(id->end - id->pos),
		    s + id->pos, found);
		free(found);
		return -1;
	}
	*text = xstrdup(search_op_names[*op]);
	return 0;
}

/*
 * A number as sqlparse reads one: -?digits[.digits], -?.digits, with an
 * exponent or not. Infinities (1e999) become the largest double, as the
 * store keeps infinite metrics.
 */
static int
search_number(struct search_parser *p, struct search_value *v)
{
	const char	*s = p->src;
	size_t		 start = p->at, i = start, digits = 0, j;
	char		*found;

	v->integer = 1;
	if (s[i] == '-')
		i++;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (s[i] == '.') {
		v->integer = 0;
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	}
	if (digits > 0 && (s[i] == 'e' || s[i] == 'E')) {
		j = i + 1;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (s[j] >= '0' && s[j] <= '9') {
			while (s[j] >= '0' && s[j] <= '9')
				j++;
			i = j;
			v->integer = 0;
		}
	}
	if (digits == 0 || search_word_char((unsigned char)s[i]) ||
	    s[i] == '.') {
		for (j = i; search_word_char((unsigned char)s[j]) ||
		    s[j] == '.'; j++)
			;
		found = search_clip(s + start, j > start ? j - start : 1);
		search_syntax(p, start, "expected a number, found '%s'", found);
		free(found);
		return -1;
	}
	v->type = SEARCH_V_NUMBER;
	v->text = xstrndup(s + start, i - start);
	v->real = strtod(v->text, NULL);
	if (isinf(v->real))
		v->real = v->real > 0 ? DBL_MAX : -DBL_MAX;
	if (v->integer) {
		errno = 0;
		v->i64 = strtoll(v->text, NULL, 10);
		if (errno == ERANGE)
			v->integer = 0;
	}
	p->at = i;
	return 0;
}

/* A parenthesized list of quoted strings, as run_id IN takes. */
static int
search_list(struct search_parser *p, struct search_value *v)
{
	const char	*s = p->src;
	size_t		 start = p->at, close;
	char		*item, *clip, *found;

	v->type = SEARCH_V_LIST;
	p->at++;
	search_skip_space(p);
	if (s[p->at] == ')') {
		p->at++;
		return 0;
	}
	for (;;) {
		if (s[p->at] != '\'' && s[p->at] != '"') {
			close = p->at + strcspn(s + p->at, ")");
			if (s[close] == ')')
				close++;
			clip = search_clip(s + start, close - start);
			search_error(p, p->at, "While parsing a list in the "
			    "query, expected string value, punctuation, or "
			    "whitespace, but got different type in list: %s",
			    clip);
			free(clip);
			return -1;
		}
		if (search_quoted(p, &item) != 0)
			return -1;
		v->list = xrealloc(v->list, (v->nlist + 1) * sizeof *v->list);
		v->list[v->nlist++] = item;
		search_skip_space(p);
		if (s[p->at] == ')') {
			p->at++;
			return 0;
		}
		if (s[p->at] != ',')
			break;
		p->at++;
		search_skip_space(p);
	}
	found = search_found(p, p->at);
	search_error(p, p->at, "While parsing a list in the query, expected a "
	    "non-empty list of string values, but got ill-formed list: "
	    "expected ',' or ')' after a value, found %s", found);
	free(found);
	return -1;
}

/* The value after comparator op_text: its shape only, not its type. */
static int
search_value_parse(struct search_parser *p, const char *op_text,
    struct search_value *v)
{
	const char	*s = p->src;
	size_t		 start;
	char		*found;
	int		 rc;

	memset(v, 0, sizeof *v);
	search_skip_space(p);
	start = v->pos = p->at;
	if (s[start] == '\'' || s[start] == '"') {
		v->type = SEARCH_V_STRING;
		rc = search_quoted(p, &v->text);
	} else if (s[start] == '`') {
		v->type = SEARCH_V_WORD;
		rc = search_quoted(p, &v->text);
	} else if (s[start] == '(')
		rc = search_list(p, v);
	else if (s[start] == '-' || s[start] == '.' ||
	    (s[start] >= '0' && s[start] <= '9'))
		rc = search_number(p, v);
	else if (search_word_start((unsigned char)s[start])) {
		v->type = SEARCH_V_WORD;
		p->at = search_word_end(s, start);
		rc = 0;
	} else {
		found = search_found(p, start);
		search_syntax(p, start, "expected a value (a quoted string or "
		    "a number) after '%s', found %s", op_text, found);
		free(found);
		rc = -1;
	}
	v->end = p->at;
	return rc;
}

static void
search_value_done(struct search_value *v)
{
	size_t	i;

	free(v->text);
	for (i = 0; i < v->nlist; i++)
		free(v->list[i]);
	free(v->list);
	memset(v, 0, sizeof *v);
}

/* Check that the value has the type the identifier takes, in MLflow's words. */
static int
search_check_value(struct search_parser *p, const struct search_ident *id,
    const struct search_value *v)
{
	const struct search_entity_info	*e = &search_entities[id->entity];
	char				*raw;
	int				 rc = -1;

	raw = search_clip(p->src + v->pos, v->end - v->pos);
	if (id->entity == SEARCH_METRIC) {
		if (v->type != SEARCH_V_NUMBER) {
			search_error(p, v->pos, "Expected numeric value type "
			    "for metric. Found %s", raw);
			goto out;
		}
	} else if (id->entity == SEARCH_ATTR && id->attr->numeric) {
		if (v->type != SEARCH_V_NUMBER) {
			search_error(p, v->pos, "Expected numeric value type "
			    "for numeric attribute: %s. Found %s", id->key,
			    raw);
			goto out;
		}
	} else if (v->type == SEARCH_V_WORD) {
		search_error(p, v->pos, "Parameter value is either not quoted "
		    "or unidentified quote types used for string value %s. "
		    "Use either single or double quotes.", raw);
		goto out;
	} else if (id->entity != SEARCH_ATTR) {
		if (v->type != SEARCH_V_STRING) {
			search_error(p, v->pos, "Expected a quoted string "
			    "value for %s (e.g. 'my-value'). Got value %s",
			    e->name, raw);
			goto out;
		}
	} else if (v->type == SEARCH_V_NUMBER) {
		search_error(p, v->pos, "Expected a quoted string value for "
		    "attributes. Got value %s", raw);
		goto out;
	} else if (v->type == SEARCH_V_LIST) {
		if (strcmp(id->key, "run_id") != 0) {
			search_error(p, v->pos, "Only the 'run_id' attribute "
			    "supports comparison with a list of quoted string "
			    "values.");
			goto out;
		}
		if (v->nlist == 0) {
			search_error(p, v->pos, "While parsing a list in the "
			    "query, expected a non-empty list of string "
			    "values, but got empty list");
			goto out;
		}
	}
	rc = 0;
out:
	free(raw);
	return rc;
}

/*
 * Check a clause as MLflow does: the value's type for the identifier
 * first, then the comparator, then that lists go with IN and NOT IN. v is
 * NULL for IS NULL and IS NOT NULL.
 */
static int
search_check(struct search_parser *p, const struct search_ident *id,
    enum search_op op, size_t op_pos, const char *op_text,
    const struct search_value *v)
{
	const struct search_entity_info	*e = &search_entities[id->entity];
	const char			*ops = e->op_list;
	unsigned			 valid = e->ops;
	char				*clip;
	int				 list;

	if (id->entity == SEARCH_ATTR && id->attr->numeric) {
		valid = SEARCH_OPS_NUMERIC;
		ops = search_entities[SEARCH_METRIC].op_list;
	}
	if (v != NULL && search_check_value(p, id, v) != 0)
		return -1;
	if (op == SEARCH_BAD_OP || (valid & SEARCH_BIT(op)) == 0) {
		clip = search_clip(p->src + id->pos, id->end - id->pos);
		search_error(p, op_pos, "Invalid comparator '%s' not one of "
		    "%s for %s", op_text, ops, clip);
		free(clip);
		return -1;
	}
	if (v == NULL)
		return 0;
	list = v->type == SEARCH_V_LIST;
	if ((op == SEARCH_IN || op == SEARCH_NOT_IN) && !list) {
		clip = search_clip(p->src + v->pos, v->end - v->pos);
		search_syntax(p, v->pos, "expected a parenthesized list of "
		    "quoted strings after %s, found %s", op_text, clip);
		free(clip);
		return -1;
	}
	if (list && op != SEARCH_IN && op != SEARCH_NOT_IN) {
		search_error(p, op_pos, "Invalid comparator '%s' for a list of "
		    "values: use IN or NOT IN", op_text);
		return -1;
	}
	return 0;
}

static struct search_bind *
search_add(struct search_build *b, int type)
{
	struct search_bind	*bind;

	if (b->nbinds == b->cap) {
		b->cap = b->cap == 0 ? 16 : b->cap * 2;
		b->binds = xrealloc(b->binds, b->cap * sizeof *b->binds);
	}
	bind = &b->binds[b->nbinds++];
	memset(bind, 0, sizeof *bind);
	bind->type = type;
	return bind;
}

static void
search_add_text(struct search_build *b, const char *text)
{
	search_add(b, SEARCH_TEXT)->text = xstrdup(text);
}

static void
search_add_real(struct search_build *b, double real)
{
	search_add(b, SEARCH_REAL)->real = real;
}

static void
search_add_int(struct search_build *b, int64_t integer)
{
	search_add(b, SEARCH_INT)->integer = integer;
}

/*
 * The GLOB pattern matching what LIKE pattern like matches, but with case:
 * % and _ become * and ?, and GLOB's own *, ? and [ match themselves.
 */
static char *
search_glob(const char *like)
{
	struct buf	b;

	buf_init(&b);
	for (; *like != '\0'; like++) {
		switch (*like) {
		case '%':
			buf_addc(&b, '*');
			break;
		case '_':
			buf_addc(&b, '?');
			break;
		case '*':
			buf_adds(&b, "[*]");
			break;
		case '?':
			buf_adds(&b, "[?]");
			break;
		case '[':
			buf_adds(&b, "[[]");
			break;
		default:
			buf_addc(&b, *like);
			break;
		}
	}
	return buf_take(&b);
}

/* A comparison of a column of mlflow_runs. */
static void
search_emit_attr(struct search_build *b, const struct search_ident *id,
    enum search_op op, const struct search_value *v)
{
	const char	*col = id->attr->column;
	char		*glob;
	size_t		 i;

	switch (op) {
	case SEARCH_LIKE:
		buf_printf(&b->sql, "%s GLOB ?", col);
		glob = search_glob(v->text);
		search_add_text(b, glob);
		free(glob);
		break;
	case SEARCH_ILIKE:
		buf_printf(&b->sql, "lower(%s) LIKE lower(?)", col);
		search_add_text(b, v->text);
		break;
	case SEARCH_IN:
	case SEARCH_NOT_IN:
		buf_printf(&b->sql, "%s %s (", col, search_op_names[op]);
		for (i = 0; i < v->nlist; i++) {
			buf_adds(&b->sql, i == 0 ? "?" : ", ?");
			search_add_text(b, v->list[i]);
		}
		buf_addc(&b->sql, ')');
		break;
	default:
		buf_printf(&b->sql, "%s %s ?", col, search_op_names[op]);
		if (!id->attr->numeric)
			search_add_text(b, v->text);
		else if (v->integer)
			search_add_int(b, v->i64);
		else
			search_add_real(b, v->real);
		break;
	}
}

/*
 * One clause, in parentheses. Params, tags and metrics are looked up by
 * their primary key (run_uuid, key) in a correlated subquery.
 */
static void
search_emit_clause(struct search_build *b, const struct search_ident *id,
    enum search_op op, const struct search_value *v)
{
	const struct search_entity_info	*e = &search_entities[id->entity];
	const char			*a = e->alias;
	char				*glob;

	buf_addc(&b->sql, '(');
	if (id->entity == SEARCH_ATTR) {
		search_emit_attr(b, id, op, v);
		buf_addc(&b->sql, ')');
		return;
	}
	buf_printf(&b->sql, "%sEXISTS (SELECT 1 FROM %s %s WHERE "
	    "%s.run_uuid = r.run_uuid AND %s.key = ?",
	    op == SEARCH_IS_NULL ? "NOT " : "", e->table, a, a, a);
	search_add_text(b, id->key);
	switch (op) {
	case SEARCH_IS_NULL:
	case SEARCH_IS_NOT_NULL:
		break;
	case SEARCH_LIKE:
		buf_printf(&b->sql, " AND %s.value GLOB ?", a);
		glob = search_glob(v->text);
		search_add_text(b, glob);
		free(glob);
		break;
	case SEARCH_ILIKE:
		buf_printf(&b->sql, " AND lower(%s.value) LIKE lower(?)", a);
		search_add_text(b, v->text);
		break;
	default:
		if (id->entity != SEARCH_METRIC) {
			buf_printf(&b->sql, " AND %s.value %s ?", a,
			    search_op_names[op]);
			search_add_text(b, v->text);
		} else {
			/* NaN is unequal to everything and nothing else. */
			if (op == SEARCH_NE)
				buf_adds(&b->sql, " AND (m.is_nan != 0 OR "
				    "m.value != ?)");
			else
				buf_printf(&b->sql, " AND m.is_nan = 0 AND "
				    "m.value %s ?", search_op_names[op]);
			search_add_real(b, v->real);
		}
		break;
	}
	buf_adds(&b->sql, "))");
}

/* Parse, check and emit one clause at p->at. */
static int
search_clause(struct search_parser *p, struct search_build *b)
{
	struct search_ident	 id;
	struct search_value	 v;
	enum search_op		 op;
	size_t			 op_pos;
	char			*op_text = NULL;
	int			 have_value = 0, rc = -1;

	memset(&v, 0, sizeof v);
	if (search_ident_parse(p, &id) != 0)
		return -1;
	search_skip_space(p);
	op_pos = p->at;
	if (search_op_parse(p, &id, &op, &op_text) != 0)
		goto out;
	if (op != SEARCH_IS_NULL && op != SEARCH_IS_NOT_NULL) {
		if (search_value_parse(p, op_text, &v) != 0)
			goto out;
		have_value = 1;
		if (v.type == SEARCH_V_LIST) {
			b->nlist += v.nlist;
			if (b->nlist > SEARCH_MAX_LIST) {
				search_error(p, v.pos, "The filter has more "
				    "than %d values in lists",
				    SEARCH_MAX_LIST);
				goto out;
			}
		}
	}
	if (search_check(p, &id, op, op_pos, op_text,
	    have_value ? &v : NULL) != 0)
		goto out;
	search_emit_clause(b, &id, op, &v);
	rc = 0;
out:
	free(id.key);
	free(op_text);
	search_value_done(&v);
	return rc;
}

/* The filter's clauses, joined by AND, into b->sql. */
static int
search_filter(const char *filter, struct search_build *b, char **cause)
{
	struct search_parser	 p = { filter, 0, 0, cause };
	size_t			 nclauses = 0, start, end;
	char			*found, *clip;

	search_skip_space(&p);
	if (filter[p.at] == '\0') {
		buf_adds(&b->sql, "1");
		return 0;
	}
	for (;;) {
		if (++nclauses > SEARCH_MAX_CLAUSES) {
			search_error(&p, p.at, "The filter has more than %d "
			    "clauses", SEARCH_MAX_CLAUSES);
			return -1;
		}
		start = p.at;
		if (search_clause(&p, b) != 0)
			return -1;
		end = p.at;
		search_skip_space(&p);
		if (filter[p.at] == '\0')
			return 0;
		if (search_keyword(&p, "AND")) {
			p.at += 3;
			search_skip_space(&p);
			if (filter[p.at] == '\0') {
				search_syntax(&p, p.at, "expected a clause "
				    "after AND, found the end of the filter");
				return -1;
			}
			buf_adds(&b->sql, " AND ");
			continue;
		}
		if (search_keyword(&p, "OR")) {
			search_syntax(&p, p.at, "'OR': only AND is supported "
			    "between clauses");
			return -1;
		}
		if (filter[p.at] == ';') {
			search_error(&p, p.at, "Search filter contained "
			    "multiple expression '%s'. Provide AND-ed "
			    "expression list.", filter);
			return -1;
		}
		found = search_found(&p, p.at);
		clip = search_clip(filter + start, end - start);
		search_syntax(&p, p.at, "expected AND or the end of the filter "
		    "after '%s', found %s", clip, found);
		free(clip);
		free(found);
		return -1;
	}
}

/*
 * One order_by item: a rank that puts missing values (and NaN metrics,
 * before them) last whichever the direction, then the value.
 */
static void
search_emit_order(struct search_build *b, const struct search_ident *id,
    int desc)
{
	const struct search_entity_info	*e = &search_entities[id->entity];
	const char			*a = e->alias;
	const char			*dir = desc ? " DESC" : "";

	if (b->sql.len > 0)
		buf_adds(&b->sql, ", ");
	if (id->entity == SEARCH_ATTR) {
		buf_printf(&b->sql, "%s IS NULL, %s%s", id->attr->column,
		    id->attr->column, dir);
		return;
	}
	if (id->entity == SEARCH_METRIC)
		buf_adds(&b->sql, "COALESCE((SELECT m.is_nan != 0 FROM "
		    "latest_metrics m WHERE m.run_uuid = r.run_uuid AND "
		    "m.key = ?), 2), ");
	else
		buf_printf(&b->sql, "(SELECT %s.value FROM %s %s WHERE "
		    "%s.run_uuid = r.run_uuid AND %s.key = ?) IS NULL, ",
		    a, e->table, a, a, a);
	search_add_text(b, id->key);
	buf_printf(&b->sql, "(SELECT %s.value FROM %s %s WHERE "
	    "%s.run_uuid = r.run_uuid AND %s.key = ?)%s",
	    a, e->table, a, a, a, dir);
	search_add_text(b, id->key);
}

/* Parse the order_by item p->src: IDENTIFIER [ASC | DESC]. */
static int
search_order_item(struct search_parser *p, struct search_ident *id,
    int *desc)
{
	const char	*s = p->src;
	size_t		 word;
	char		*found, *clip;

	if (strlen(s) > SEARCH_MAX_ORDER_LEN) {
		search_error(p, 0, "The order_by item is longer than %d bytes",
		    SEARCH_MAX_ORDER_LEN);
		return -1;
	}
	search_skip_space(p);
	if (search_ident_parse(p, id) != 0)
		return -1;
	search_skip_space(p);
	*desc = 0;
	if (s[p->at] != '\0') {
		word = p->at;
		if (search_keyword(p, "DESC"))
			*desc = 1;
		else if (!search_keyword(p, "ASC")) {
			found = search_found(p, word);
			clip = search_clip(s, strlen(s));
			search_error(p, word, "Invalid ordering key in "
			    "order_by clause '%s': expected ASC or DESC, found "
			    "%s", clip, found);
			free(clip);
			free(found);
			goto fail;
		}
		p->at = search_word_end(s, word);
		search_skip_space(p);
		if (s[p->at] != '\0') {
			found = search_found(p, p->at);
			search_syntax(p, p->at, "expected the end of the item "
			    "after '%.*s', found %s", (int)(p->at - word),
			    s + word, found);
			free(found);
			goto fail;
		}
	}
	return 0;
fail:
	free(id->key);
	id->key = NULL;
	return -1;
}

/* The order_by items and the tie-breakers, into b->sql. */
static int
search_order(const char *const *order_by, size_t norder,
    struct search_build *b, char **cause)
{
	struct search_parser	 p;
	struct search_ident	*ids;
	size_t			 i, j, n = 0;
	int			 desc, by_start = 0, by_id = 0, rc = -1;

	if (norder > SEARCH_MAX_ORDER) {
		*cause = xasprintf("order_by has %zu items; at most %d are "
		    "allowed", norder, SEARCH_MAX_ORDER);
		return -1;
	}
	ids = xcalloc(norder, sizeof *ids);
	for (i = 0; i < norder; i++) {
		p.src = order_by[i];
		p.at = 0;
		p.item = i + 1;
		p.cause = cause;
		if (search_order_item(&p, &ids[i], &desc) != 0)
			goto out;
		n++;
		for (j = 0; j < i; j++) {
			if (ids[j].entity == ids[i].entity &&
			    strcmp(ids[j].key, ids[i].key) == 0) {
				search_error(&p, ids[i].pos, "`order_by` "
				    "contains duplicate fields: items %zu and "
				    "%zu both order by %s '%s'", j + 1, i + 1,
				    search_entities[ids[i].entity].name,
				    ids[i].key);
				goto out;
			}
		}
		search_emit_order(b, &ids[i], desc);
		if (ids[i].entity == SEARCH_ATTR) {
			by_start |= strcmp(ids[i].key, "start_time") == 0;
			by_id |= strcmp(ids[i].key, "run_id") == 0;
		}
	}
	if (!by_start)
		buf_adds(&b->sql, b->sql.len > 0 ? ", r.start_time DESC" :
		    "r.start_time DESC");
	if (!by_id)
		buf_adds(&b->sql, ", r.run_uuid");
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(ids[i].key);
	free(ids);
	return rc;
}

int
search_compile(const char *filter, const char *const *order_by,
    size_t norder, struct search_query *out, char **cause)
{
	struct search_build	 b;
	char			*where = NULL;
	size_t			 i;
	int			 rc = -1;

	memset(&b, 0, sizeof b);
	buf_init(&b.sql);
	if (filter == NULL)
		filter = "";
	if (strlen(filter) > SEARCH_MAX_FILTER) {
		*cause = xasprintf("The filter is longer than %d bytes",
		    SEARCH_MAX_FILTER);
		goto out;
	}
	if (search_filter(filter, &b, cause) != 0)
		goto out;
	where = buf_take(&b.sql);
	if (search_order(order_by, norder, &b, cause) != 0)
		goto out;

	out->where = where;
	where = NULL;
	out->order = buf_take(&b.sql);
	out->binds = b.binds;
	out->nbinds = b.nbinds;
	b.binds = NULL;
	b.nbinds = 0;
	rc = 0;
out:
	free(where);
	buf_done(&b.sql);
	for (i = 0; i < b.nbinds; i++)
		free(b.binds[i].text);
	free(b.binds);
	return rc;
}

void
search_query_done(struct search_query *q)
{
	size_t	i;

	free(q->where);
	free(q->order);
	for (i = 0; i < q->nbinds; i++)
		free(q->binds[i].text);
	free(q->binds);
	memset(q, 0, sizeof *q);
}

int
search_bind(sqlite3_stmt *stmt, int first, const struct search_query *q)
{
	const struct search_bind	*b;
	size_t				 i;
	int				 idx = first;

	for (i = 0; i < q->nbinds; i++, idx++) {
		b = &q->binds[i];
		switch (b->type) {
		case SEARCH_TEXT:
			sqlite3_bind_text(stmt, idx, b->text, -1,
			    SQLITE_TRANSIENT);
			break;
		case SEARCH_REAL:
			sqlite3_bind_double(stmt, idx, b->real);
			break;
		default:
			sqlite3_bind_int64(stmt, idx, b->integer);
			break;
		}
	}
	return idx;
}
