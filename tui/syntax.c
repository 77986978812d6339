/*
 * Line-by-line syntax highlighting for the file preview and for code blocks
 * in rendered Markdown. Each language is a small hand-written scanner that
 * paints roles over one line and keeps what continues to the next line in
 * an int (Python triple-quoted strings, R and SQL strings over lines, SQL
 * block comments, YAML block scalars, Markdown fences with the fenced
 * language's own state packed inside). Files come from users and
 * workloads, so every scanner takes any bytes, never reads past the length
 * it is given, and looks at each byte a bounded number of times: a
 * megabyte line costs what a megabyte of short lines does.
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "role.h"
#include "syntax.h"

#define SX_ALPHA(c)	(((c) >= 'a' && (c) <= 'z') || \
			    ((c) >= 'A' && (c) <= 'Z'))
#define SX_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define SX_XDIGIT(c)	(SX_DIGIT(c) || ((c) >= 'a' && (c) <= 'f') || \
			    ((c) >= 'A' && (c) <= 'F'))
/* Bytes from 0x80 are taken as identifier characters (Unicode names). */
#define SX_IDSTART(c)	(SX_ALPHA(c) || (c) == '_' || (c) >= 0x80)
#define SX_IDCHAR(c)	(SX_IDSTART(c) || SX_DIGIT(c))
#define SX_SPACE(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' || \
			    (c) == '\f' || (c) == '\v')
#define SX_LOWER(c)	((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 'a' : (c))

#define SX_WORDMAX	32	/* longer words are never keywords */

/* One line being painted. */
struct sx {
	const unsigned char	*s;
	size_t			 len;
	unsigned char		*roles;
};

typedef void	(*sx_line_fn)(struct sx *, int *);

static void	sx_python(struct sx *, int *);
static void	sx_r(struct sx *, int *);
static void	sx_sql(struct sx *, int *);
static void	sx_shell(struct sx *, int *);
static void	sx_json(struct sx *, int *);
static void	sx_yaml(struct sx *, int *);
static void	sx_markdown(struct sx *, int *);

/* Keyword lists, sorted (strcmp order) for bsearch. */
static const char *const sx_python_words[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await",
	"break", "class", "continue", "def", "del", "elif", "else", "except",
	"finally", "for", "from", "global", "if", "import", "in", "is",
	"lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
	"while", "with", "yield",
};
static const char *const sx_r_words[] = {
	"...", "FALSE", "Inf", "NA", "NA_character_", "NA_complex_",
	"NA_integer_", "NA_real_", "NULL", "NaN", "TRUE", "break", "else",
	"for", "function", "if", "in", "next", "repeat", "return", "while",
};
/* SQL keywords and common type names, lower case (SQL is matched folded). */
static const char *const sx_sql_words[] = {
	"abort", "action", "add", "after", "all", "alter", "analyze", "and",
	"as", "asc", "attach", "autoincrement", "before", "begin", "between",
	"bigint", "blob", "boolean", "both", "by", "cascade", "case", "cast",
	"char", "check", "collate", "column", "commit", "conflict",
	"constraint", "create", "cross", "current", "current_date",
	"current_time", "current_timestamp", "database", "date", "decimal",
	"declare", "default", "deferrable", "deferred", "delete", "desc",
	"detach", "distinct", "do", "double", "drop", "each", "else", "end",
	"escape", "except", "exclusive", "exists", "explain", "false",
	"fetch", "filter", "first", "float", "following", "for", "foreign",
	"from", "full", "function", "glob", "grant", "group", "having", "if",
	"ignore", "ilike", "immediate", "in", "index", "indexed", "initially",
	"inner", "insert", "instead", "int", "integer", "intersect",
	"interval", "into", "is", "isnull", "join", "key", "language", "last",
	"lateral", "left", "like", "limit", "match", "materialized", "merge",
	"natural", "no", "not", "nothing", "notnull", "null", "nulls",
	"numeric", "of", "offset", "on", "or", "order", "others", "outer",
	"over", "partition", "plan", "pragma", "preceding", "precision",
	"primary", "procedure", "range", "real", "recursive", "references",
	"regexp", "reindex", "release", "rename", "replace", "restrict",
	"returning", "returns", "revoke", "right", "rollback", "row", "rows",
	"savepoint", "schema", "select", "sequence", "set", "smallint",
	"table", "temp", "temporary", "text", "then", "ties", "time",
	"timestamp", "to", "transaction", "trigger", "true", "truncate",
	"unbounded", "union", "unique", "update", "using", "vacuum", "values",
	"varchar", "view", "virtual", "when", "where", "window", "with",
	"without",
};
/* Reserved words and the builtins that shape a script. */
static const char *const sx_shell_words[] = {
	"!", "[[", "break", "case", "continue", "coproc", "declare", "do",
	"done", "elif", "else", "esac", "eval", "exec", "exit", "export", "fi",
	"for", "function", "if", "in", "local", "readonly", "return", "select",
	"set", "shift", "source", "then", "time", "trap", "typeset", "unset",
	"until", "while", "{", "}",
};
/* YAML scalars that are not strings (compared folded). */
static const char *const sx_yaml_consts[] = {
	"-.inf", ".inf", ".nan", "false", "no", "null", "off", "on", "true",
	"yes", "~",
};

#define SX_NWORDS(a)	(sizeof (a) / sizeof (a)[0])

/*
 * The languages. names lists, space-separated, the extensions and fence
 * names that select each; basenames lists whole file names.
 */
static const struct syntax_def {
	const char	*name;
	const char	*names;
	const char	*basenames;
	sx_line_fn	 line;
} syntax_defs[SYNTAX_COUNT] = {
	[SYNTAX_NONE] = { "text", "", "", NULL },
	[SYNTAX_PYTHON] = { "Python",
	    "py pyw pyi python python3 py3 ipython gyp",
	    "SConstruct SConscript Snakefile", sx_python },
	[SYNTAX_R] = { "R", "r rscript splus", ".Rprofile", sx_r },
	[SYNTAX_SQL] = { "SQL",
	    "sql psql pgsql mysql sqlite plsql hql ddl", "", sx_sql },
	[SYNTAX_SHELL] = { "Shell",
	    "sh bash zsh ksh dash shell console shellsession",
	    ".bashrc .bash_profile .bash_login .bash_logout .profile .zshrc "
	    ".zshenv .zprofile .kshrc", sx_shell },
	[SYNTAX_JSON] = { "JSON", "json ipynb geojson jsonl ndjson", "",
	    sx_json },
	[SYNTAX_YAML] = { "YAML", "yaml yml", "", sx_yaml },
	[SYNTAX_MARKDOWN] = { "Markdown", "md markdown mkd mdown rmd qmd",
	    "", sx_markdown },
};

static int
sx_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

#ifndef NDEBUG
static void
sx_check_sorted(const char *const *list, size_t n)
{
	size_t	i;

	for (i = 1; i < n; i++)
		assert(strcmp(list[i - 1], list[i]) < 0);
}
#endif

/* Whether the n bytes at s are one of the words in list. */
static int
sx_is_word(const char *const *list, size_t nlist, const unsigned char *s,
    size_t n, int fold)
{
	char		 w[SX_WORDMAX + 1];
	const char	*key = w;
	size_t		 i;

	if (n == 0 || n > SX_WORDMAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '\0')
			return 0;
		w[i] = (char)(fold ? SX_LOWER(s[i]) : s[i]);
	}
	w[n] = '\0';
	return bsearch(&key, list, nlist, sizeof *list, sx_cmp) != NULL;
}

/* Whether the n bytes at s equal the NUL-terminated word. */
static int
sx_eq(const unsigned char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

static void
sx_paint(struct sx *x, size_t from, size_t to, enum role role)
{
	if (to > x->len)
		to = x->len;
	if (from < to)
		memset(x->roles + from, role, to - from);
}

/* Index of the first byte at or after i that is not a blank. */
static size_t
sx_skip_space(struct sx *x, size_t i)
{
	while (i < x->len && SX_SPACE(x->s[i]))
		i++;
	return i;
}

static size_t
sx_ident_end(struct sx *x, size_t i)
{
	while (i < x->len && SX_IDCHAR(x->s[i]))
		i++;
	return i;
}

/* Whether c is one of the NUL-terminated set (never matching NUL). */
static int
sx_in(unsigned char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/*
 * Scan a number starting at i (a digit, or a '.' before one); return the
 * index after it, with one suffix letter from suffixes if present.
 */
static size_t
sx_number(struct sx *x, size_t i, const char *suffixes)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, j;

	if (s[i] == '0' && i + 1 < len && sx_in(s[i + 1], "xXoObB")) {
		i += 2;
		while (i < len && (SX_XDIGIT(s[i]) || s[i] == '_'))
			i++;
	} else {
		while (i < len && (SX_DIGIT(s[i]) || s[i] == '_'))
			i++;
		if (i < len && s[i] == '.') {
			i++;
			while (i < len && (SX_DIGIT(s[i]) || s[i] == '_'))
				i++;
		}
		if (i < len && (s[i] == 'e' || s[i] == 'E')) {
			j = i + 1;
			if (j < len && (s[j] == '+' || s[j] == '-'))
				j++;
			if (j < len && SX_DIGIT(s[j])) {
				while (j < len && SX_DIGIT(s[j]))
					j++;
				i = j;
			}
		}
	}
	if (i < len && sx_in(s[i], suffixes))
		i++;
	return i;
}

/*
 * Find the end of a quoted string whose body starts at i: return the index
 * after the closing quote (three of them when triple). *open is 0 when
 * closed, 1 when the line ends inside, 2 when it ends in a backslash (an
 * escaped newline). With doubled, a doubled quote stands for one.
 */
static size_t
sx_string_end(struct sx *x, size_t i, unsigned char q, int triple,
    int escapes, int doubled, int *open)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len;

	while (i < len) {
		if (escapes && s[i] == '\\') {
			if (i + 1 == len) {
				*open = 2;
				return len;
			}
			i += 2;
			continue;
		}
		if (s[i] == q) {
			if (triple) {
				if (i + 2 < len && s[i + 1] == q &&
				    s[i + 2] == q) {
					*open = 0;
					return i + 3;
				}
			} else if (doubled && i + 1 < len && s[i + 1] == q) {
				i += 2;
				continue;
			} else {
				*open = 0;
				return i + 1;
			}
		}
		i++;
	}
	*open = 1;
	return len;
}

/* Python. */

enum {
	PY_TRIPLE_SQ = 1,	/* inside ''' */
	PY_TRIPLE_DQ,		/* inside """ */
	PY_CONT_SQ,		/* inside '...\ continued */
	PY_CONT_DQ
};

/* Whether the n bytes before a quote are a string prefix (f, rb, ...). */
static int
sx_python_prefix(const unsigned char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > 2)
		return 0;
	for (i = 0; i < n; i++) {
		if (!sx_in(s[i], "rRuUfFbBtT"))
			return 0;
	}
	return 1;
}

/* Paint a string from start whose quote is at q; return where it ends. */
static size_t
sx_python_string(struct sx *x, size_t start, size_t q, int *state)
{
	const unsigned char	*s = x->s;
	unsigned char		 c = s[q];
	size_t			 end;
	int			 triple, open;

	triple = q + 2 < x->len && s[q + 1] == c && s[q + 2] == c;
	end = sx_string_end(x, q + (triple ? 3 : 1), c, triple, 1, 0, &open);
	sx_paint(x, start, end, ROLE_STRING);
	if (open && triple)
		*state = c == '\'' ? PY_TRIPLE_SQ : PY_TRIPLE_DQ;
	else if (open == 2)
		*state = c == '\'' ? PY_CONT_SQ : PY_CONT_DQ;
	return end;
}

/*
 * Whether the first word of a line, i to j, is the soft keyword match or
 * case: the statement ends in a colon and the word is not used as a name
 * (match = ..., match.group, match(...) without a colon).
 */
static int
sx_python_soft(struct sx *x, size_t i, size_t j)
{
	const unsigned char	*s = x->s;
	size_t			 n = x->len, k;

	if (!sx_eq(s + i, j - i, "match") && !sx_eq(s + i, j - i, "case"))
		return 0;
	while (n > 0 && SX_SPACE(s[n - 1]))
		n--;
	if (n == 0 || s[n - 1] != ':')
		return 0;
	k = sx_skip_space(x, j);
	return k < x->len && !sx_in(s[k], "=.,:)");
}

static void
sx_python(struct sx *x, int *state)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, i = 0, j;
	int			 mode = *state, open, want_name = 0, first = 1;
	int			 triple;
	unsigned char		 q, c;

	*state = 0;
	if (mode >= PY_TRIPLE_SQ && mode <= PY_CONT_DQ) {
		q = mode == PY_TRIPLE_SQ || mode == PY_CONT_SQ ? '\'' : '"';
		triple = mode <= PY_TRIPLE_DQ;
		i = sx_string_end(x, 0, q, triple, 1, 0, &open);
		sx_paint(x, 0, i, ROLE_STRING);
		if ((open && triple) || open == 2) {
			*state = mode;
			return;
		}
		first = 0;
	}
	while (i < len) {
		c = s[i];
		if (SX_SPACE(c)) {
			i++;
			continue;
		}
		if (c == '#') {
			sx_paint(x, i, len, ROLE_COMMENT);
			break;
		}
		if (c == '\'' || c == '"') {
			i = sx_python_string(x, i, i, state);
			first = want_name = 0;
			continue;
		}
		if (SX_IDSTART(c)) {
			j = sx_ident_end(x, i);
			if (j < len && (s[j] == '\'' || s[j] == '"') &&
			    sx_python_prefix(s + i, j - i)) {
				i = sx_python_string(x, i, j, state);
				first = want_name = 0;
				continue;
			}
			if (want_name)
				sx_paint(x, i, j, ROLE_FUNCTION);
			else if (sx_is_word(sx_python_words,
			    SX_NWORDS(sx_python_words), s + i, j - i, 0))
				sx_paint(x, i, j, ROLE_KEYWORD);
			else if (first && sx_python_soft(x, i, j))
				sx_paint(x, i, j, ROLE_KEYWORD);
			want_name = !want_name && (sx_eq(s + i, j - i, "def") ||
			    sx_eq(s + i, j - i, "class"));
			first = 0;
			i = j;
			continue;
		}
		want_name = 0;
		if (SX_DIGIT(c) || (c == '.' && i + 1 < len &&
		    SX_DIGIT(s[i + 1]))) {
			j = sx_number(x, i, "jJlL");
			sx_paint(x, i, j, ROLE_NUMBER);
			i = j;
		} else if (c == '@' && first) {
			j = i + 1;
			while (j < len && (SX_IDCHAR(s[j]) || s[j] == '.'))
				j++;
			sx_paint(x, i, j, ROLE_FUNCTION);
			i = j;
		} else if (c == ':' && i + 1 < len && s[i + 1] == '=') {
			sx_paint(x, i, i + 2, ROLE_OPERATOR);
			i += 2;
		} else {
			if (sx_in(c, "+-*/%@=<>!&|^~"))
				sx_paint(x, i, i + 1, ROLE_OPERATOR);
			i++;
		}
		first = 0;
	}
}

/* R. */

enum {
	R_SQ = 1,		/* inside '...' */
	R_DQ,			/* inside "..." */
	R_RAW			/* inside r"(...)"; more in higher bits */
};

static const char	sx_r_open[] = "([{";
static const char	sx_r_close[] = ")]}";

/* The end of a raw string body from i closed by close, dashes, q. */
static size_t
sx_r_raw_end(struct sx *x, size_t i, unsigned char close, int dashes,
    unsigned char q, int *open)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, k;
	int			 d;

	for (; i < len; i++) {
		if (s[i] != close)
			continue;
		k = i + 1;
		for (d = 0; d < dashes && k < len && s[k] == '-'; d++)
			k++;
		if (d == dashes && k < len && s[k] == q) {
			*open = 0;
			return k + 1;
		}
	}
	*open = 1;
	return len;
}

static int
sx_r_raw_state(unsigned char q, int bracket, int dashes)
{
	return R_RAW | (q == '"') << 2 | bracket << 3 | dashes << 5;
}

/* If a raw string starts at i (r or R), paint it; return its end or i. */
static size_t
sx_r_raw(struct sx *x, size_t i, int *state)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, k = i + 2, end;
	const char		*b;
	unsigned char		 q;
	int			 dashes = 0, open;

	if (i + 1 >= len || (s[i + 1] != '"' && s[i + 1] != '\''))
		return i;
	q = s[i + 1];
	while (k < len && s[k] == '-' && dashes < 31) {
		k++;
		dashes++;
	}
	if (k >= len || (b = strchr(sx_r_open, s[k])) == NULL || s[k] == '\0')
		return i;
	end = sx_r_raw_end(x, k + 1, (unsigned char)sx_r_close[b - sx_r_open],
	    dashes, q, &open);
	sx_paint(x, i, end, ROLE_STRING);
	if (open)
		*state = sx_r_raw_state(q, (int)(b - sx_r_open), dashes);
	return end;
}

/*
 * Whether the identifier ending at j is being bound to a function:
 * name <- function(...), name = function, name <- \(x).
 */
static int
sx_r_defines(struct sx *x, size_t j)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, k = sx_skip_space(x, j);

	if (k + 1 < len && s[k] == '<' && s[k + 1] == '-')
		k += 2;
	else if (k + 2 < len && s[k] == '<' && s[k + 1] == '<' &&
	    s[k + 2] == '-')
		k += 3;
	else if (k < len && s[k] == '=' && (k + 1 == len || s[k + 1] != '='))
		k++;
	else
		return 0;
	k = sx_skip_space(x, k);
	if (k + 1 < len && s[k] == '\\' && s[k + 1] == '(')
		return 1;
	return k + 8 <= len && memcmp(s + k, "function", 8) == 0 &&
	    (k + 8 == len || !SX_IDCHAR(s[k + 8]));
}

static void
sx_r(struct sx *x, int *state)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, i = 0, j;
	int			 mode = *state & 3, st = *state, open;
	int			 bracket;
	unsigned char		 c, q;

	*state = 0;
	if (mode == R_SQ || mode == R_DQ) {
		q = mode == R_SQ ? '\'' : '"';
		i = sx_string_end(x, 0, q, 0, 1, 0, &open);
		sx_paint(x, 0, i, ROLE_STRING);
		if (open) {
			*state = mode;
			return;
		}
	} else if (mode == R_RAW && ((st >> 3) & 3) < 3) {
		q = (st >> 2) & 1 ? '"' : '\'';
		bracket = (st >> 3) & 3;
		i = sx_r_raw_end(x, 0, (unsigned char)sx_r_close[bracket],
		    (st >> 5) & 31, q, &open);
		sx_paint(x, 0, i, ROLE_STRING);
		if (open) {
			*state = st & 0x3ff;
			return;
		}
	}
	while (i < len) {
		c = s[i];
		if (c == '#') {
			sx_paint(x, i, len, ROLE_COMMENT);
			break;
		}
		if (c == '\'' || c == '"') {
			j = sx_string_end(x, i + 1, c, 0, 1, 0, &open);
			sx_paint(x, i, j, ROLE_STRING);
			if (open)
				*state = c == '\'' ? R_SQ : R_DQ;
			i = j;
			continue;
		}
		if (c == '`') {
			j = sx_string_end(x, i + 1, c, 0, 1, 0, &open);
			i = j;
			continue;
		}
		if (SX_DIGIT(c) || (c == '.' && i + 1 < len &&
		    SX_DIGIT(s[i + 1]))) {
			j = sx_number(x, i, "Li");
			sx_paint(x, i, j, ROLE_NUMBER);
			i = j;
			continue;
		}
		if (SX_IDSTART(c) || c == '.') {
			if ((c == 'r' || c == 'R') &&
			    (j = sx_r_raw(x, i, state)) != i) {
				i = j;
				continue;
			}
			j = i;
			while (j < len && (SX_IDCHAR(s[j]) || s[j] == '.'))
				j++;
			if (sx_is_word(sx_r_words, SX_NWORDS(sx_r_words),
			    s + i, j - i, 0))
				sx_paint(x, i, j, ROLE_KEYWORD);
			else if (sx_r_defines(x, j))
				sx_paint(x, i, j, ROLE_FUNCTION);
			i = j;
			continue;
		}
		if (c == '%') {
			j = i + 1;
			while (j < len && s[j] != '%')
				j++;
			j = j < len ? j + 1 : i + 1;
			sx_paint(x, i, j, ROLE_OPERATOR);
			i = j;
			continue;
		}
		if (sx_in(c, "<>-+*/^!&|~?:=$@\\"))
			sx_paint(x, i, i + 1, ROLE_OPERATOR);
		i++;
	}
}

/* SQL. */

enum {
	SQL_COMMENT = 1,	/* inside a block comment */
	SQL_STRING,		/* inside '...' */
	SQL_DOLLAR,		/* inside $$...$$ */
	SQL_ESTRING		/* inside E'...' (backslash escapes) */
};

/* The end of a block comment whose body starts at i. */
static size_t
sx_sql_comment_end(struct sx *x, size_t i, int *open)
{
	for (; i + 1 < x->len; i++) {
		if (x->s[i] == '*' && x->s[i + 1] == '/') {
			*open = 0;
			return i + 2;
		}
	}
	*open = 1;
	return x->len;
}

static size_t
sx_sql_dollar_end(struct sx *x, size_t i, int *open)
{
	for (; i + 1 < x->len; i++) {
		if (x->s[i] == '$' && x->s[i + 1] == '$') {
			*open = 0;
			return i + 2;
		}
	}
	*open = 1;
	return x->len;
}

static void
sx_sql(struct sx *x, int *state)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, i = 0, j, k;
	int			 mode = *state, open;
	unsigned char		 c;

	*state = 0;
	switch (mode) {
	case SQL_COMMENT:
		i = sx_sql_comment_end(x, 0, &open);
		sx_paint(x, 0, i, ROLE_COMMENT);
		break;
	case SQL_STRING:
	case SQL_ESTRING:
		i = sx_string_end(x, 0, '\'', 0, mode == SQL_ESTRING, 1,
		    &open);
		sx_paint(x, 0, i, ROLE_STRING);
		break;
	case SQL_DOLLAR:
		i = sx_sql_dollar_end(x, 0, &open);
		sx_paint(x, 0, i, ROLE_STRING);
		break;
	default:
		mode = 0;
		open = 0;
		break;
	}
	if (open) {
		*state = mode;
		return;
	}
	while (i < len) {
		c = s[i];
		if (c == '-' && i + 1 < len && s[i + 1] == '-') {
			sx_paint(x, i, len, ROLE_COMMENT);
			break;
		}
		if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			j = sx_sql_comment_end(x, i + 2, &open);
			sx_paint(x, i, j, ROLE_COMMENT);
			if (open)
				*state = SQL_COMMENT;
			i = j;
			continue;
		}
		if (c == '$' && i + 1 < len && s[i + 1] == '$') {
			j = sx_sql_dollar_end(x, i + 2, &open);
			sx_paint(x, i, j, ROLE_STRING);
			if (open)
				*state = SQL_DOLLAR;
			i = j;
			continue;
		}
		if (c == '\'') {
			j = sx_string_end(x, i + 1, c, 0, 0, 1, &open);
			sx_paint(x, i, j, ROLE_STRING);
			if (open)
				*state = SQL_STRING;
			i = j;
			continue;
		}
		if (c == '"' || c == '`') {
			/* Quoted names are names: skip so no keyword shows. */
			i = sx_string_end(x, i + 1, c, 0, 0, 1, &open);
			continue;
		}
		if (SX_DIGIT(c) || (c == '.' && i + 1 < len &&
		    SX_DIGIT(s[i + 1]))) {
			j = sx_number(x, i, "");
			sx_paint(x, i, j, ROLE_NUMBER);
			i = j;
			continue;
		}
		if (SX_IDSTART(c)) {
			j = i;
			while (j < len && (SX_IDCHAR(s[j]) || s[j] == '$'))
				j++;
			if (j == i + 1 && j < len && s[j] == '\'' &&
			    sx_in(c, "eEnNxXbBuU")) {
				k = sx_string_end(x, j + 1, '\'', 0,
				    c == 'e' || c == 'E', 1, &open);
				sx_paint(x, i, k, ROLE_STRING);
				if (open)
					*state = c == 'e' || c == 'E' ?
					    SQL_ESTRING : SQL_STRING;
				i = k;
				continue;
			}
			k = sx_skip_space(x, j);
			if (sx_is_word(sx_sql_words, SX_NWORDS(sx_sql_words),
			    s + i, j - i, 1))
				sx_paint(x, i, j, ROLE_KEYWORD);
			else if (k < len && s[k] == '(')
				sx_paint(x, i, j, ROLE_FUNCTION);
			i = j;
			continue;
		}
		if (sx_in(c, "=<>!+-*/%|&^~"))
			sx_paint(x, i, i + 1, ROLE_OPERATOR);
		i++;
	}
}

/* Shell. */

enum {
	SH_SQ = 1,		/* inside '...' */
	SH_DQ,			/* inside "..." */
	SH_ANSI			/* inside $'...' */
};

/*
 * Variables have no role of their own; they take ROLE_FUNCTION, the role
 * of the other named things a script defines.
 */
#define SH_VAR	ROLE_FUNCTION

/* If a parameter expansion starts at i ('$'), paint it; return its end. */
static size_t
sx_shell_var(struct sx *x, size_t i)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, j = i + 1;
	int			 depth;

	if (j >= len)
		return i;
	if (s[j] == '{') {
		depth = 1;
		for (j++; j < len && depth > 0; j++) {
			if (s[j] == '{')
				depth++;
			else if (s[j] == '}')
				depth--;
		}
	} else if (SX_ALPHA(s[j]) || s[j] == '_') {
		while (j < len && (SX_ALPHA(s[j]) || SX_DIGIT(s[j]) ||
		    s[j] == '_'))
			j++;
	} else if (SX_DIGIT(s[j]) || sx_in(s[j], "@*#?$!-"))
		j++;
	else
		return i;
	sx_paint(x, i, j, SH_VAR);
	return j;
}

/* The end of a double-quoted body from i, painting variables inside. */
static size_t
sx_shell_dquote(struct sx *x, size_t i, int *open)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, j;

	while (i < len) {
		if (s[i] == '\\') {
			sx_paint(x, i, i + 2, ROLE_STRING);
			i += 2;
			continue;
		}
		if (s[i] == '"') {
			sx_paint(x, i, i + 1, ROLE_STRING);
			*open = 0;
			return i + 1;
		}
		if (s[i] == '$' && (j = sx_shell_var(x, i)) != i) {
			i = j;
			continue;
		}
		sx_paint(x, i, i + 1, ROLE_STRING);
		i++;
	}
	*open = 1;
	return len;
}

/* Whether c ends a shell word. */
static int
sx_shell_meta(unsigned char c)
{
	return SX_SPACE(c) || sx_in(c, ";&|()<>'\"`$\\");
}

/* Keywords after which the next word is again a command. */
static int
sx_shell_leads(const unsigned char *s, size_t n)
{
	static const char *const leads[] = {
		"!", "do", "elif", "else", "if", "then", "time", "until",
		"while", "{", "}",
	};
	size_t	i;

	for (i = 0; i < SX_NWORDS(leads); i++) {
		if (sx_eq(s, n, leads[i]))
			return 1;
	}
	return 0;
}

static void
sx_shell(struct sx *x, int *state)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, i = 0, j, k;
	int			 mode = *state, open, cmdpos = 1;
	int			 wordstart = 1;
	int			 want_fn = 0, since_for = 99, digits;
	unsigned char		 c;

	*state = 0;
	if (mode == SH_SQ || mode == SH_ANSI) {
		i = sx_string_end(x, 0, '\'', 0, mode == SH_ANSI, 0, &open);
		sx_paint(x, 0, i, ROLE_STRING);
	} else if (mode == SH_DQ)
		i = sx_shell_dquote(x, 0, &open);
	else
		open = 0;
	if (open) {
		*state = mode;
		return;
	}
	if (mode != 0)
		cmdpos = wordstart = 0;
	while (i < len) {
		c = s[i];
		if (SX_SPACE(c)) {
			i++;
			wordstart = 1;
			continue;
		}
		if (wordstart && since_for < 99)
			since_for++;
		if (c == '#' && wordstart) {
			sx_paint(x, i, len, ROLE_COMMENT);
			break;
		}
		if (c == '\'' ||
		    (c == '$' && i + 1 < len && s[i + 1] == '\'')) {
			k = c == '$' ? i + 2 : i + 1;
			j = sx_string_end(x, k, '\'', 0, c == '$', 0, &open);
			sx_paint(x, i, j, ROLE_STRING);
			if (open)
				*state = c == '$' ? SH_ANSI : SH_SQ;
			i = j;
			cmdpos = wordstart = 0;
			continue;
		}
		if (c == '"') {
			sx_paint(x, i, i + 1, ROLE_STRING);
			i = sx_shell_dquote(x, i + 1, &open);
			if (open)
				*state = SH_DQ;
			cmdpos = wordstart = 0;
			continue;
		}
		if (c == '$') {
			if ((j = sx_shell_var(x, i)) != i)
				i = j;
			else if (i + 1 < len && s[i + 1] == '(') {
				sx_paint(x, i, i + 2, ROLE_OPERATOR);
				i += 2;
				cmdpos = wordstart = 1;
				continue;
			} else
				i++;
			cmdpos = wordstart = 0;
			continue;
		}
		if (c == '\\') {
			i += 2;
			cmdpos = wordstart = 0;
			continue;
		}
		if (c == '`' || sx_in(c, ";&|()")) {
			j = i + 1;
			if (j < len && c != '`' && c != '(' && c != ')' &&
			    (s[j] == c || (c == '|' && s[j] == '&')))
				j++;
			sx_paint(x, i, j, ROLE_OPERATOR);
			i = j;
			cmdpos = wordstart = 1;
			continue;
		}
		if (c == '<' || c == '>') {
			j = i + 1;
			while (j < len && (s[j] == '<' || s[j] == '>'))
				j++;
			if (j < len && s[j] == '&') {
				j++;
				while (j < len && (SX_DIGIT(s[j]) ||
				    s[j] == '-'))
					j++;
			}
			sx_paint(x, i, j, ROLE_OPERATOR);
			i = j;
			wordstart = 1;
			continue;
		}
		j = i;
		digits = 1;
		while (j < len && !sx_shell_meta(s[j])) {
			if (!SX_DIGIT(s[j]))
				digits = 0;
			j++;
		}
		if (!wordstart) {
			i = j;
			continue;
		}
		if (want_fn) {
			sx_paint(x, i, j, ROLE_FUNCTION);
			want_fn = 0;
			cmdpos = 1;
		} else if ((cmdpos || (since_for == 2 && sx_eq(s + i, j - i,
		    "in")) || sx_eq(s + i, j - i, "]]")) &&
		    (sx_is_word(sx_shell_words, SX_NWORDS(sx_shell_words),
		    s + i, j - i, 0) || sx_eq(s + i, j - i, "]]"))) {
			sx_paint(x, i, j, ROLE_KEYWORD);
			if (sx_eq(s + i, j - i, "function"))
				want_fn = 1;
			if (sx_eq(s + i, j - i, "for") ||
			    sx_eq(s + i, j - i, "case") ||
			    sx_eq(s + i, j - i, "select"))
				since_for = 0;
			cmdpos = sx_shell_leads(s + i, j - i);
		} else if (cmdpos && j + 1 < len && s[j] == '(' &&
		    s[j + 1] == ')') {
			sx_paint(x, i, j, ROLE_FUNCTION);
			cmdpos = 0;
		} else if (digits && (j == len || sx_shell_meta(s[j]))) {
			sx_paint(x, i, j, ROLE_NUMBER);
			cmdpos = 0;
		} else {
			/* An assignment before a command keeps it coming. */
			k = i;
			while (k < j && (SX_ALPHA(s[k]) || s[k] == '_' ||
			    (k > i && SX_DIGIT(s[k]))))
				k++;
			cmdpos = cmdpos && k > i && k < j && s[k] == '=';
		}
		wordstart = 0;
		i = j;
	}
}

/* JSON. */

static void
sx_json(struct sx *x, int *state)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, i = 0, j, k;
	int			 open;
	unsigned char		 c;

	*state = 0;
	while (i < len) {
		c = s[i];
		if (c == '"') {
			j = sx_string_end(x, i + 1, '"', 0, 1, 0, &open);
			k = sx_skip_space(x, j);
			sx_paint(x, i, j, !open && k < len && s[k] == ':' ?
			    ROLE_KEYWORD : ROLE_STRING);
			i = j;
			continue;
		}
		if (SX_DIGIT(c) || (c == '-' && i + 1 < len &&
		    SX_DIGIT(s[i + 1]))) {
			j = sx_number(x, c == '-' ? i + 1 : i, "");
			sx_paint(x, i, j, ROLE_NUMBER);
			i = j;
			continue;
		}
		if (SX_IDSTART(c)) {
			j = sx_ident_end(x, i);
			if (sx_eq(s + i, j - i, "true") ||
			    sx_eq(s + i, j - i, "false") ||
			    sx_eq(s + i, j - i, "null"))
				sx_paint(x, i, j, ROLE_NUMBER);
			i = j;
			continue;
		}
		i++;
	}
}

/* YAML. */

enum {
	YAML_BLOCK = 1		/* inside a | or > block scalar */
};
#define YAML_INDENT_MAX	4095

static int
sx_yaml_flowchar(unsigned char c)
{
	return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

/* Whether a ':' at i is a mapping indicator. */
static int
sx_yaml_colon(struct sx *x, size_t i, int flow)
{
	return x->s[i] == ':' && (i + 1 == x->len || SX_SPACE(x->s[i + 1]) ||
	    (flow && sx_yaml_flowchar(x->s[i + 1])));
}

/* Whether the n bytes at s are a number or a constant (true, null ...). */
static int
sx_yaml_const(const unsigned char *s, size_t n)
{
	size_t	i = 0, digits = 0;

	if (sx_is_word(sx_yaml_consts, SX_NWORDS(sx_yaml_consts), s, n, 1))
		return 1;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i + 1 < n && s[i] == '0' && sx_in(s[i + 1], "xo")) {
		for (i += 2; i < n && SX_XDIGIT(s[i]); i++)
			digits++;
		return digits > 0 && i == n;
	}
	for (; i < n && SX_DIGIT(s[i]); i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && SX_DIGIT(s[i]); i++)
			digits++;
	if (digits > 0 && i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == n || !SX_DIGIT(s[i]))
			return 0;
		while (i < n && SX_DIGIT(s[i]))
			i++;
	}
	return digits > 0 && i == n;
}

static void
sx_yaml(struct sx *x, int *state)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, i, j, k, last, indent = 0;
	int			 open, flow = 0, keypos = 1, iskey;
	unsigned char		 c;

	while (indent < len && s[indent] == ' ')
		indent++;
	if ((*state & 0xf) == YAML_BLOCK) {
		if (indent == len ||
		    indent > (size_t)((*state >> 4) & YAML_INDENT_MAX)) {
			sx_paint(x, 0, len, ROLE_STRING);
			return;
		}
	}
	*state = 0;
	i = indent;
	if (indent == 0 && len >= 3 && (memcmp(s, "---", 3) == 0 ||
	    memcmp(s, "...", 3) == 0) && (len == 3 || SX_SPACE(s[3]))) {
		sx_paint(x, 0, 3, ROLE_OPERATOR);
		i = 3;
	} else if (indent == 0 && len > 0 && s[0] == '%') {
		sx_paint(x, 0, len, ROLE_KEYWORD);
		return;
	}
	while (i < len) {
		c = s[i];
		if (SX_SPACE(c)) {
			i++;
			continue;
		}
		if (c == '#' && (i == 0 || SX_SPACE(s[i - 1]))) {
			sx_paint(x, i, len, ROLE_COMMENT);
			break;
		}
		if ((c == '-' || c == '?') && (i + 1 == len ||
		    SX_SPACE(s[i + 1]))) {
			sx_paint(x, i, i + 1, ROLE_OPERATOR);
			keypos = 1;
			i++;
			continue;
		}
		if (sx_yaml_colon(x, i, flow)) {
			sx_paint(x, i, i + 1, ROLE_OPERATOR);
			keypos = 0;
			i++;
			continue;
		}
		if (c == '&' || c == '*' || c == '!') {
			j = i + 1;
			while (j < len && !SX_SPACE(s[j]) &&
			    !(flow && sx_yaml_flowchar(s[j])))
				j++;
			sx_paint(x, i, j, c == '!' ? ROLE_KEYWORD :
			    ROLE_FUNCTION);
			i = j;
			continue;
		}
		if (c == '{' || c == '[') {
			flow++;
			keypos = 1;
			i++;
			continue;
		}
		if (c == '}' || c == ']') {
			if (flow > 0)
				flow--;
			i++;
			continue;
		}
		if (c == ',' && flow > 0) {
			keypos = 1;
			i++;
			continue;
		}
		if ((c == '|' || c == '>') && !keypos) {
			j = i + 1;
			while (j < len && (s[j] == '+' || s[j] == '-' ||
			    SX_DIGIT(s[j])))
				j++;
			k = sx_skip_space(x, j);
			if (k == len || s[k] == '#') {
				sx_paint(x, i, j, ROLE_OPERATOR);
				if (flow == 0)
					*state = YAML_BLOCK |
					    (int)(indent > YAML_INDENT_MAX ?
					    YAML_INDENT_MAX : indent) << 4;
				i = j;
				continue;
			}
		}
		if (c == '"' || c == '\'') {
			j = sx_string_end(x, i + 1, c, 0, c == '"', c == '\'',
			    &open);
			k = sx_skip_space(x, j);
			iskey = keypos && !open && k < len &&
			    sx_yaml_colon(x, k, flow);
			sx_paint(x, i, j, iskey ? ROLE_KEYWORD : ROLE_STRING);
			i = j;
			continue;
		}
		/* A plain scalar: a key when a ': ' ends it. */
		j = i;
		last = i;
		iskey = 0;
		while (j < len) {
			if (sx_yaml_colon(x, j, flow)) {
				iskey = 1;
				break;
			}
			if (s[j] == '#' && j > i && SX_SPACE(s[j - 1]))
				break;
			if (flow > 0 && sx_yaml_flowchar(s[j]))
				break;
			if (!SX_SPACE(s[j]))
				last = j + 1;
			j++;
		}
		if (iskey)
			sx_paint(x, i, last, ROLE_KEYWORD);
		else if (sx_yaml_const(s + i, last - i))
			sx_paint(x, i, last, ROLE_NUMBER);
		keypos = 0;
		i = j > i ? j : i + 1;
	}
}

/* Markdown (the source, as the preview shows it). */

/*
 * State: bits 0-1 the mode, 2-6 the fence length, 7 a tilde fence, 8-11
 * the fenced language, 12-27 that language's own state.
 */
enum {
	MDL_FENCE = 1,		/* inside a fenced code block */
	MDL_COMMENT		/* inside <!-- --> */
};
#define MDL_INNER_MAX	0xffff

/* The first index of the next c at or after from, remembered across calls. */
struct sx_next {
	size_t	from;
	size_t	pos;
	int	valid;
};

static size_t
sx_next(struct sx *x, struct sx_next *n, unsigned char c, size_t from)
{
	const unsigned char	*p;

	if (from >= x->len)
		return x->len;
	if (n->valid && n->from <= from && from <= n->pos)
		return n->pos;
	p = memchr(x->s + from, c, x->len - from);
	n->valid = 1;
	n->from = from;
	n->pos = p != NULL ? (size_t)(p - x->s) : x->len;
	return n->pos;
}

/* Whether the line has word at i. */
static int
sx_starts(struct sx *x, size_t i, const char *word)
{
	size_t	n = strlen(word);

	return i <= x->len && x->len - i >= n &&
	    memcmp(x->s + i, word, n) == 0;
}

/* Index of "-->" at or after i, or len. */
static size_t
sx_comment_close(struct sx *x, size_t i)
{
	for (; i + 2 < x->len; i++) {
		if (x->s[i] == '-' && x->s[i + 1] == '-' && x->s[i + 2] == '>')
			return i;
	}
	return x->len;
}

static size_t
sx_run(struct sx *x, size_t i, unsigned char c)
{
	size_t	j = i;

	while (j < x->len && x->s[j] == c)
		j++;
	return j - i;
}

#define MDL_CODE_RUNS	16

/*
 * Inline Markdown from i: code spans, emphasis, links, autolinks and
 * comments. Openers that find no closer remember it (per marker and run
 * length), so no stretch of the line is searched twice for the same thing.
 */
static void
sx_markdown_inline(struct sx *x, size_t i, int *state)
{
	const unsigned char	*s = x->s;
	size_t			 len = x->len, k, r, r2, b, p, end;
	size_t			 no_code[MDL_CODE_RUNS + 1];
	size_t			 no_emph[2][4];
	struct sx_next		 rbracket = { 0, 0, 0 };
	struct sx_next		 rparen = { 0, 0, 0 };
	struct sx_next		 rangle = { 0, 0, 0 };
	unsigned char		 c;
	int			 e;

	for (k = 0; k <= MDL_CODE_RUNS; k++)
		no_code[k] = (size_t)-1;
	for (k = 0; k < 4; k++)
		no_emph[0][k] = no_emph[1][k] = (size_t)-1;
	while (i < len) {
		c = s[i];
		if (c == '\\' && i + 1 < len && s[i + 1] > 0x20 &&
		    s[i + 1] < 0x7f && !SX_ALPHA(s[i + 1]) &&
		    !SX_DIGIT(s[i + 1])) {
			i += 2;
			continue;
		}
		if (c == '`') {
			r = sx_run(x, i, c);
			end = 0;
			if (r <= MDL_CODE_RUNS && i + r < no_code[r]) {
				for (k = i + r; k < len; k += r2) {
					r2 = sx_run(x, k, c);
					if (r2 == 0)
						r2 = 1;
					else if (r2 == r) {
						end = k + r;
						break;
					}
				}
				if (end == 0)
					no_code[r] = i + r;
			}
			if (end != 0) {
				sx_paint(x, i, end, ROLE_CODE);
				i = end;
			} else
				i += r;
			continue;
		}
		if (c == '*' || c == '_') {
			r = sx_run(x, i, c);
			e = c == '_';
			end = 0;
			if (r <= 3 && i + r < len && !SX_SPACE(s[i + r]) &&
			    !(e && i > 0 && SX_IDCHAR(s[i - 1])) &&
			    i + r < no_emph[e][r]) {
				for (k = i + r; k < len; k += r2) {
					r2 = sx_run(x, k, c);
					if (r2 == 0)
						r2 = 1;
					else if (r2 == r &&
					    !SX_SPACE(s[k - 1]) &&
					    !(e && k + r < len &&
					    SX_IDCHAR(s[k + r]))) {
						end = k + r;
						break;
					}
				}
				if (end == 0)
					no_emph[e][r] = i + r;
			}
			if (end != 0) {
				sx_paint(x, i, end, r == 1 ? ROLE_EMPH :
				    ROLE_STRONG);
				i = end;
			} else
				i += r;
			continue;
		}
		if (c == '[' || (c == '!' && i + 1 < len && s[i + 1] == '[')) {
			b = c == '!' ? i + 1 : i;
			k = sx_next(x, &rbracket, ']', b + 1);
			if (k + 1 < len && s[k + 1] == '(') {
				p = sx_next(x, &rparen, ')', k + 2);
				if (p < len) {
					sx_paint(x, i, k + 1, ROLE_LINK);
					sx_paint(x, k + 1, p + 1, ROLE_DIM);
					i = p + 1;
					continue;
				}
			}
			i = b + 1;
			continue;
		}
		if (c == '<') {
			if (i + 3 < len && memcmp(s + i, "<!--", 4) == 0) {
				k = sx_comment_close(x, i + 4);
				if (k == len) {
					sx_paint(x, i, len, ROLE_COMMENT);
					*state = MDL_COMMENT;
					return;
				}
				sx_paint(x, i, k + 3, ROLE_COMMENT);
				i = k + 3;
				continue;
			}
			if (sx_starts(x, i + 1, "http://") ||
			    sx_starts(x, i + 1, "https://") ||
			    sx_starts(x, i + 1, "mailto:")) {
				k = sx_next(x, &rangle, '>', i + 1);
				if (k < len) {
					sx_paint(x, i, k + 1, ROLE_LINK);
					i = k + 1;
					continue;
				}
			}
		}
		i++;
	}
}

/* Whether the line closes a fence of len n or more of c. */
static int
sx_markdown_closes(struct sx *x, unsigned char c, size_t n)
{
	size_t	i = sx_skip_space(x, 0), r;

	if (n < 3)
		n = 3;
	r = sx_run(x, i, c);
	return r >= n && sx_skip_space(x, i + r) == x->len;
}

/* Highlight a line inside a fence with the fenced language. */
static void
sx_markdown_fenced(struct sx *x, unsigned lang, int *inner)
{
	size_t	i;

	if (lang == SYNTAX_NONE || lang == SYNTAX_MARKDOWN ||
	    lang >= SYNTAX_COUNT) {
		sx_paint(x, 0, x->len, ROLE_CODE);
		*inner = 0;
		return;
	}
	syntax_line(lang, (const char *)x->s, x->len, x->roles, inner);
	for (i = 0; i < x->len; i++) {
		if (x->roles[i] == ROLE_DEFAULT)
			x->roles[i] = ROLE_CODE;
	}
	if (*inner < 0 || *inner > MDL_INNER_MAX)
		*inner = 0;
}

/* Whether the rest of the line from i holds only c and blanks, 3 or more. */
static int
sx_markdown_rule(struct sx *x, size_t i, unsigned char c, size_t min)
{
	size_t	n = 0;

	for (; i < x->len; i++) {
		if (x->s[i] == c)
			n++;
		else if (!SX_SPACE(x->s[i]))
			return 0;
	}
	return n >= min;
}

static void
sx_markdown(struct sx *x, int *state)
{
	const unsigned char	*s = x->s;
	unsigned		 st = (unsigned)*state, lang;
	size_t			 len = x->len, i, j, r, k;
	int			 inner;
	unsigned char		 c;

	*state = 0;
	if ((st & 3) == MDL_FENCE) {
		if (sx_markdown_closes(x, st & 0x80 ? '~' : '`',
		    (st >> 2) & 31)) {
			sx_paint(x, 0, len, ROLE_CODE);
			return;
		}
		inner = (int)((st >> 12) & MDL_INNER_MAX);
		sx_markdown_fenced(x, (st >> 8) & 15, &inner);
		*state = (int)((st & 0xfff) | (unsigned)inner << 12);
		return;
	}
	if ((st & 3) == MDL_COMMENT) {
		k = sx_comment_close(x, 0);
		if (k == len) {
			sx_paint(x, 0, len, ROLE_COMMENT);
			*state = MDL_COMMENT;
			return;
		}
		sx_paint(x, 0, k + 3, ROLE_COMMENT);
		sx_markdown_inline(x, k + 3, state);
		return;
	}
	i = sx_skip_space(x, 0);
	if (i == len)
		return;
	c = s[i];
	if (c == '`' || c == '~') {
		r = sx_run(x, i, c);
		if (r >= 3 && (c == '~' ||
		    memchr(s + i + r, '`', len - i - r) == NULL)) {
			j = sx_skip_space(x, i + r);
			k = j;
			while (k < len && !SX_SPACE(s[k]))
				k++;
			lang = (unsigned)syntax_lookup((const char *)s + j,
			    k - j);
			sx_paint(x, 0, len, ROLE_CODE);
			*state = (int)(MDL_FENCE | (r > 31 ? 31 : r) << 2 |
			    (c == '~') << 7 | lang << 8);
			return;
		}
	}
	if (c == '#') {
		r = sx_run(x, i, c);
		if (r <= 6 && (i + r == len || SX_SPACE(s[i + r]))) {
			sx_paint(x, 0, len, ROLE_HEADING);
			return;
		}
	}
	if (c == '=' && sx_markdown_rule(x, i, c, 1)) {
		sx_paint(x, 0, len, ROLE_HEADING);
		return;
	}
	if ((c == '-' || c == '*' || c == '_') &&
	    sx_markdown_rule(x, i, c, 3)) {
		sx_paint(x, 0, len, ROLE_RULE);
		return;
	}
	while (i < len && s[i] == '>') {
		j = i + 1 < len && s[i + 1] == ' ' ? i + 2 : i + 1;
		sx_paint(x, i, j, ROLE_QUOTE);
		i = sx_skip_space(x, j);
	}
	j = i;
	if (i < len && sx_in(s[i], "-*+"))
		j = i + 1;
	else {
		while (j < len && j - i < 9 && SX_DIGIT(s[j]))
			j++;
		if (j > i && j < len && (s[j] == '.' || s[j] == ')'))
			j++;
		else
			j = i;
	}
	if (j > i && (j == len || s[j] == ' ')) {
		if (j + 3 < len && s[j + 1] == '[' && sx_in(s[j + 2], " xX") &&
		    s[j + 3] == ']')
			j += 4;
		sx_paint(x, i, j, ROLE_LIST_MARK);
		i = j;
	}
	sx_markdown_inline(x, i, state);
}

enum syntax_lang
syntax_lookup(const char *name, size_t len)
{
	const char	*p, *q;
	size_t		 i, n, k;
	int		 lang;

	while (len > 0 && (*name == '{' || *name == '.' || *name == ' ')) {
		name++;
		len--;
	}
	for (n = 0; n < len; n++) {
		if (SX_SPACE((unsigned char)name[n]) || name[n] == ',' ||
		    name[n] == '}' || name[n] == '\0')
			break;
	}
	if (n == 0)
		return SYNTAX_NONE;
	for (lang = SYNTAX_NONE + 1; lang < SYNTAX_COUNT; lang++) {
		for (p = syntax_defs[lang].names; *p != '\0'; p = q) {
			q = strchr(p, ' ');
			if (q == NULL)
				q = p + strlen(p);
			k = (size_t)(q - p);
			if (k == n) {
				for (i = 0; i < n; i++) {
					if (SX_LOWER((unsigned char)name[i]) !=
					    p[i])
						break;
				}
				if (i == n)
					return (enum syntax_lang)lang;
			}
			while (*q == ' ')
				q++;
		}
	}
	return SYNTAX_NONE;
}

/* Copy the word at *p (bounded, to a blank or newline) into w. */
static const char *
sx_word(const char *p, const char *end, char *w, size_t size)
{
	size_t	n = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\0') {
		if (n + 1 < size)
			w[n++] = *p;
		p++;
	}
	w[n] = '\0';
	return p;
}

static const char *
sx_basename(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* The language a shebang line's interpreter names. */
static enum syntax_lang
sx_shebang(const char *line)
{
	static const char *const shells[] = {
		"ash", "bash", "dash", "ksh", "mksh", "sh", "zsh",
	};
	const char	*end = line, *p, *prog;
	char		 w[128];
	size_t		 i;

	while (*end != '\0' && *end != '\n' && *end != '\r' &&
	    end - line < 256)
		end++;
	p = sx_word(line, end, w, sizeof w);
	prog = sx_basename(w);
	if (strcmp(prog, "env") == 0) {
		do {
			p = sx_word(p, end, w, sizeof w);
		} while (w[0] != '\0' && (w[0] == '-' ||
		    strchr(w, '=') != NULL));
		prog = sx_basename(w);
	}
	if (strncmp(prog, "python", 6) == 0 || strncmp(prog, "pypy", 4) == 0)
		return SYNTAX_PYTHON;
	if (strcmp(prog, "Rscript") == 0 || strcmp(prog, "R") == 0)
		return SYNTAX_R;
	for (i = 0; i < SX_NWORDS(shells); i++) {
		if (strcmp(prog, shells[i]) == 0)
			return SYNTAX_SHELL;
	}
	return SYNTAX_NONE;
}

/* Whether base is one of the space-separated names in list. */
static int
sx_listed(const char *list, const char *base)
{
	size_t	n = strlen(base), k;

	while (*list != '\0') {
		k = strcspn(list, " ");
		if (k == n && strncmp(list, base, n) == 0)
			return 1;
		list += k;
		while (*list == ' ')
			list++;
	}
	return 0;
}

enum syntax_lang
syntax_detect(const char *filename, const char *first_line)
{
	const char		*base, *dot;
	enum syntax_lang	 lang;
	int			 i;

	if (filename != NULL) {
		base = sx_basename(filename);
		for (i = SYNTAX_NONE + 1; i < SYNTAX_COUNT; i++) {
			if (sx_listed(syntax_defs[i].basenames, base))
				return (enum syntax_lang)i;
		}
		dot = strrchr(base, '.');
		if (dot != NULL && dot != base) {
			lang = syntax_lookup(dot + 1, strlen(dot + 1));
			if (lang != SYNTAX_NONE)
				return lang;
		}
	}
	if (first_line != NULL && first_line[0] == '#' && first_line[1] == '!')
		return sx_shebang(first_line + 2);
	return SYNTAX_NONE;
}

const char *
syntax_name(enum syntax_lang lang)
{
	if ((int)lang < 0 || lang >= SYNTAX_COUNT)
		lang = SYNTAX_NONE;
	return syntax_defs[lang].name;
}

void
syntax_line(enum syntax_lang lang, const char *line, size_t len,
    unsigned char *roles, int *state)
{
	struct sx	x = { (const unsigned char *)line, len, roles };
#ifndef NDEBUG
	static int	checked;

	if (!checked) {
		sx_check_sorted(sx_python_words, SX_NWORDS(sx_python_words));
		sx_check_sorted(sx_r_words, SX_NWORDS(sx_r_words));
		sx_check_sorted(sx_sql_words, SX_NWORDS(sx_sql_words));
		sx_check_sorted(sx_shell_words, SX_NWORDS(sx_shell_words));
		sx_check_sorted(sx_yaml_consts, SX_NWORDS(sx_yaml_consts));
		checked = 1;
	}
#endif
	if (len > 0)
		memset(roles, ROLE_DEFAULT, len);
	if (*state < 0)
		*state = 0;
	if ((int)lang <= SYNTAX_NONE || lang >= SYNTAX_COUNT ||
	    syntax_defs[lang].line == NULL) {
		*state = 0;
		return;
	}
	syntax_defs[lang].line(&x, state);
}
