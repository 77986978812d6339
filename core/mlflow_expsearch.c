/*
 * MLflow's experiment search grammar, compiled to SQL. A filter is
 * comparisons joined by AND, each an identifier (name, creation_time,
 * last_update_time, with an optional attribute. prefix, or tags.KEY with
 * KEY bare, "double quoted" or `backquoted`), a comparator and a value
 * ('quoted' or "quoted" strings, integers). Values are never pasted into
 * the SQL: each becomes a bound parameter. LIKE is case-sensitive as in
 * MLflow (sqlite's LIKE is not, so it becomes GLOB); ILIKE is sqlite's LIKE.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "mlflow_expsearch.h"
#include "xmalloc.h"

enum tok_type {
	TOK_END,
	TOK_IDENT,	/* name, attribute.name, tags.key, tags."a key" */
	TOK_STRING,	/* 'x' or "x" (text is unquoted) */
	TOK_NUMBER,
	TOK_OP,		/* = != <> < <= > >= */
	TOK_BAD,
};

struct tok {
	enum tok_type	 type;
	char		*text;
};

struct lexer {
	const char	*s;
	const char	*p;
};

static const char *attributes_desc =
    "{'creation_time', 'last_update_time', 'name'}";
static const char *order_desc =
    "{'creation_time', 'experiment_id', 'last_update_time', 'name'}";

/* Read a quoted run starting at *p (the quote); NULL if unterminated. */
static char *
lex_quoted(const char **pp)
{
	const char	*p = *pp;
	char		 q = *p++;
	struct buf	 b;

	buf_init(&b);
	for (;;) {
		if (*p == '\0') {
			buf_done(&b);
			return NULL;
		}
		if (*p == q) {
			if (q != '`' && p[1] == q) {	/* doubled quote */
				buf_addc(&b, q);
				p += 2;
				continue;
			}
			p++;
			break;
		}
		if (*p == '\\' && q != '`' && (p[1] == q || p[1] == '\\')) {
			buf_addc(&b, p[1]);
			p += 2;
			continue;
		}
		buf_addc(&b, *p++);
	}
	*pp = p;
	return buf_take(&b);
}

static int
lex_word(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

static void
lex_next(struct lexer *lx, struct tok *t)
{
	const char	*p = lx->p, *start;
	struct buf	 b;
	char		*q;

	memset(t, 0, sizeof *t);
	while (isspace((unsigned char)*p))
		p++;
	start = p;
	if (*p == '\0') {
		t->type = TOK_END;
	} else if (*p == '\'' || *p == '"') {
		t->type = TOK_STRING;
		if ((t->text = lex_quoted(&p)) == NULL)
			t->type = TOK_BAD;
	} else if (isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') &&
	    isdigit((unsigned char)p[1]))) {
		p++;
		while (lex_word(*p))
			p++;
		t->type = TOK_NUMBER;
		t->text = xstrndup(start, (size_t)(p - start));
	} else if (strchr("=!<>", *p) != NULL) {
		if ((p[0] == '!' || p[0] == '<' || p[0] == '>') && p[1] == '=')
			p += 2;
		else if (p[0] == '<' && p[1] == '>')
			p += 2;
		else
			p++;
		t->type = (p - start == 1 && *start == '!') ? TOK_BAD : TOK_OP;
		t->text = xstrndup(start, (size_t)(p - start));
	} else if (isalpha((unsigned char)*p) || *p == '_' || *p == '`') {
		buf_init(&b);
		if (*p == '`') {
			if ((q = lex_quoted(&p)) == NULL) {
				buf_done(&b);
				t->type = TOK_BAD;
				goto out;
			}
			buf_adds(&b, q);
			free(q);
		}
		while (lex_word(*p))
			buf_addc(&b, *p++);
		if (p > start && p[-1] == '.' && (*p == '"' || *p == '`')) {
			if ((q = lex_quoted(&p)) == NULL) {
				buf_done(&b);
				t->type = TOK_BAD;
				goto out;
			}
			buf_adds(&b, q);
			free(q);
		}
		t->type = TOK_IDENT;
		t->text = buf_take(&b);
	} else {
		t->type = TOK_BAD;
		p++;
	}
out:
	lx->p = p;
}

static void
tok_done(struct tok *t)
{
	free(t->text);
	t->text = NULL;
}

/* Split an identifier into its kind ("attribute", "tag") and key. */
static int
expsearch_identifier(const struct tok *t, const char *valid_desc,
    const char *const *valid, char **kind, char **key, char **cause)
{
	/* A key may hold dots: the entity is before the first one. */
	const char	*dot = strchr(t->text, '.');
	char		*entity;
	size_t		 i;

	if (dot == NULL) {
		*kind = xstrdup("attribute");
		*key = xstrdup(t->text);
	} else {
		entity = xstrndup(t->text, (size_t)(dot - t->text));
		if (strcmp(entity, "attribute") == 0 ||
		    strcmp(entity, "attributes") == 0)
			*kind = xstrdup("attribute");
		else if (strcmp(entity, "tag") == 0 ||
		    strcmp(entity, "tags") == 0)
			*kind = xstrdup("tag");
		else {
			*cause = xasprintf("Invalid entity type '%s'. Valid "
			    "entity types are ('attribute', 'tag', 'tags')",
			    entity);
			free(entity);
			return -1;
		}
		free(entity);
		*key = xstrdup(dot + 1);
	}
	if (strcmp(*kind, "attribute") == 0) {
		for (i = 0; valid[i] != NULL; i++) {
			if (strcmp(*key, valid[i]) == 0)
				return 0;
		}
		*cause = xasprintf("Invalid attribute key '%s' specified. Valid "
		    "keys are '%s'", *key, valid_desc);
		free(*kind);
		free(*key);
		*kind = *key = NULL;
		return -1;
	}
	return 0;
}

static void
expsearch_bind(struct mlflow_expsearch *q, int is_text, const char *text,
    int64_t integer)
{
	struct mlflow_expsearch_bind	*b;

	q->binds = xrealloc(q->binds, (q->nbinds + 1) * sizeof *q->binds);
	b = &q->binds[q->nbinds++];
	b->is_text = is_text;
	b->text = text != NULL ? xstrdup(text) : NULL;
	b->integer = integer;
}

/* A LIKE pattern as a GLOB pattern: case-sensitive matching. */
static char *
expsearch_glob(const char *like)
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
		}
	}
	return buf_take(&b);
}

/* The upper-case comparator of t (an operator or LIKE/ILIKE), or NULL. */
static char *
expsearch_comparator(const struct tok *t)
{
	char	*c;

	if (t->type == TOK_OP)
		return xstrdup(strcmp(t->text, "<>") == 0 ? "!=" : t->text);
	if (t->type == TOK_IDENT && (strcasecmp(t->text, "LIKE") == 0 ||
	    strcasecmp(t->text, "ILIKE") == 0)) {
		c = xstrdup(t->text);
		for (char *p = c; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		return c;
	}
	return NULL;
}

static int
expsearch_in(const char *c, const char *const *set)
{
	for (; *set != NULL; set++) {
		if (strcmp(c, *set) == 0)
			return 1;
	}
	return 0;
}

static int
expsearch_comparison(struct lexer *lx, struct mlflow_expsearch *q,
    struct buf *where, const char *filter, char **cause)
{
	static const char *const attrs[] = { "name", "creation_time",
	    "last_update_time", NULL };
	static const char *const string_ops[] = { "=", "!=", "LIKE", "ILIKE",
	    NULL };
	static const char *const numeric_ops[] = { "=", "!=", ">", ">=", "<",
	    "<=", NULL };
	struct tok	 ident, op, value;
	char		*kind = NULL, *key = NULL, *comp = NULL, *end, *glob;
	const char	*sqlop;
	long long	 n;
	int		 rc = -1, numeric;

	lex_next(lx, &ident);
	lex_next(lx, &op);
	lex_next(lx, &value);
	if (ident.type != TOK_IDENT || (comp = expsearch_comparator(&op)) ==
	    NULL || value.type == TOK_END || value.type == TOK_BAD ||
	    value.type == TOK_OP) {
		*cause = xasprintf("Invalid filter '%s'. Could not be parsed.",
		    filter);
		goto out;
	}
	if (expsearch_identifier(&ident, attributes_desc, attrs, &kind, &key,
	    cause) != 0)
		goto out;
	numeric = strcmp(kind, "attribute") == 0 && strcmp(key, "name") != 0;
	if (!expsearch_in(comp, numeric ? numeric_ops : string_ops)) {
		*cause = xasprintf("Invalid comparator '%s' not one of '%s'",
		    comp, numeric ? "['=', '!=', '>', '>=', '<', '<=']" :
		    "['=', '!=', 'LIKE', 'ILIKE']");
		goto out;
	}
	if (numeric) {
		errno = 0;
		n = strtoll(value.type == TOK_NUMBER ? value.text : "", &end,
		    10);
		if (value.type != TOK_NUMBER || *end != '\0' || errno != 0) {
			*cause = xasprintf("Expected numeric value type for "
			    "numeric attribute: %s. Found %s", key,
			    value.text != NULL ? value.text : "");
			goto out;
		}
		buf_printf(where, "e.%s %s ?", key, comp);
		expsearch_bind(q, 0, NULL, n);
		rc = 0;
		goto out;
	}
	if (value.type != TOK_STRING) {
		*cause = xasprintf("Expected a quoted string value for %s (e.g. "
		    "'my-value'). Got value %s", strcmp(kind, "tag") == 0 ?
		    "tags" : "attributes", value.text);
		goto out;
	}
	sqlop = comp;
	glob = NULL;
	if (strcmp(comp, "LIKE") == 0) {
		sqlop = "GLOB";
		glob = expsearch_glob(value.text);
	} else if (strcmp(comp, "ILIKE") == 0)
		sqlop = "LIKE";
	if (strcmp(kind, "attribute") == 0)
		buf_printf(where, "e.name %s ?", sqlop);
	else {
		buf_printf(where, "EXISTS (SELECT 1 FROM experiment_tags t "
		    "WHERE t.experiment_id = e.experiment_id AND t.key = ? AND "
		    "t.value %s ?)", sqlop);
		expsearch_bind(q, 1, key, 0);
	}
	expsearch_bind(q, 1, glob != NULL ? glob : value.text, 0);
	free(glob);
	rc = 0;
out:
	free(kind);
	free(key);
	free(comp);
	tok_done(&ident);
	tok_done(&op);
	tok_done(&value);
	return rc;
}

static int
expsearch_filter(const char *filter, struct mlflow_expsearch *q,
    char **cause)
{
	struct lexer	 lx = { filter, filter };
	struct buf	 where;
	struct tok	 t;
	int		 rc = -1;

	buf_init(&where);
	for (;;) {
		if (where.len > 0)
			buf_adds(&where, " AND ");
		if (expsearch_comparison(&lx, q, &where, filter, cause) != 0)
			goto out;
		lex_next(&lx, &t);
		if (t.type == TOK_END) {
			tok_done(&t);
			break;
		}
		if (t.type != TOK_IDENT || strcasecmp(t.text, "AND") != 0) {
			*cause = xasprintf("Invalid filter '%s'. Could not be "
			    "parsed: only comparisons joined by AND are "
			    "supported, near '%s'", filter,
			    t.text != NULL ? t.text : lx.p);
			tok_done(&t);
			goto out;
		}
		tok_done(&t);
	}
	q->where = buf_take(&where);
	rc = 0;
out:
	buf_done(&where);
	return rc;
}

static int
expsearch_order(const char *const *order_by, size_t norder,
    struct mlflow_expsearch *q, char **cause)
{
	static const char *const keys[] = { "name", "experiment_id",
	    "creation_time", "last_update_time", NULL };
	struct lexer	 lx;
	struct tok	 ident, dir, end;
	struct buf	 order;
	char		*kind = NULL, *key = NULL;
	size_t		 i;
	int		 desc, has_id = 0, rc = -1;

	buf_init(&order);
	for (i = 0; i < norder; i++) {
		lx.s = lx.p = order_by[i];
		lex_next(&lx, &ident);
		lex_next(&lx, &dir);
		lex_next(&lx, &end);
		desc = 0;
		if (ident.type != TOK_IDENT || end.type != TOK_END ||
		    (dir.type != TOK_END && (dir.type != TOK_IDENT ||
		    (strcasecmp(dir.text, "ASC") != 0 &&
		    strcasecmp(dir.text, "DESC") != 0)))) {
			*cause = xasprintf("Invalid order_by clause '%s'. Could "
			    "not be parsed.", order_by[i]);
			goto next_fail;
		}
		if (dir.type == TOK_IDENT && strcasecmp(dir.text, "DESC") == 0)
			desc = 1;
		if (expsearch_identifier(&ident, order_desc, keys, &kind, &key,
		    cause) != 0)
			goto next_fail;
		if (strcmp(kind, "attribute") != 0) {
			*cause = xasprintf("Invalid order_by entity: %s", kind);
			goto next_fail;
		}
		if (strcmp(key, "experiment_id") == 0)
			has_id = 1;
		buf_printf(&order, "%se.%s %s", order.len > 0 ? ", " : "", key,
		    desc ? "DESC" : "ASC");
		free(kind);
		free(key);
		kind = key = NULL;
		tok_done(&ident);
		tok_done(&dir);
		tok_done(&end);
		continue;
next_fail:
		tok_done(&ident);
		tok_done(&dir);
		tok_done(&end);
		goto out;
	}
	if (norder == 0) {
		buf_adds(&order, "e.creation_time DESC, e.experiment_id ASC");
		has_id = 1;
	}
	if (!has_id)
		buf_adds(&order, ", e.experiment_id DESC");
	q->order = buf_take(&order);
	rc = 0;
out:
	free(kind);
	free(key);
	buf_done(&order);
	return rc;
}

int
mlflow_expsearch_compile(const char *filter, const char *const *order_by,
    size_t norder, struct mlflow_expsearch *out, char **cause)
{
	struct mlflow_expsearch	q;
	const char		*p;

	memset(&q, 0, sizeof q);
	for (p = filter != NULL ? filter : ""; isspace((unsigned char)*p);
	    p++)
		;
	if (*p == '\0')
		q.where = xstrdup("1");
	else if (expsearch_filter(filter, &q, cause) != 0)
		goto fail;
	if (expsearch_order(order_by, norder, &q, cause) != 0)
		goto fail;
	*out = q;
	return 0;
fail:
	mlflow_expsearch_done(&q);
	return -1;
}

void
mlflow_expsearch_done(struct mlflow_expsearch *q)
{
	size_t	i;

	for (i = 0; i < q->nbinds; i++)
		free(q->binds[i].text);
	free(q->binds);
	free(q->where);
	free(q->order);
	memset(q, 0, sizeof *q);
}
