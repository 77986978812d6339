/*
 * The user's config file and the INI reading it shares with themes. inih
 * splits pairs and strips comments, but it reports only the first bad
 * line's number and never tells its handler which line it is on. So it
 * reads through conf_ini_read, which numbers lines, reports bad ones
 * itself and hands inih only well-formed pairs, one per call: the line
 * number in struct conf_ini is then the line of the pair being handled.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "buf.h"
#include "conf.h"
#include "paths.h"
#include "xmalloc.h"

struct conf_ini {
	FILE		*f;
	const char	*path;
	conf_ini_fn	 fn;
	void		*arg;
	char		***errors;
	size_t		*nerrors;
	char		*section;	/* NULL before the first header */
	int		 skip;		/* ignore pairs until the next header */
	int		 line;
	char		*buf;		/* getline's */
	size_t		 bufsz;
	int		 read_errno;
};

static void
conf_ini_add(struct conf_ini *ini, const char *what)
{
	char	**v = *ini->errors;

	v = xrealloc(v, (*ini->nerrors + 1) * sizeof *v);
	v[(*ini->nerrors)++] = xasprintf("%s:%d: %s", ini->path, ini->line,
	    what);
	*ini->errors = v;
}

static void __attribute__((format(printf, 2, 3)))
conf_ini_error(struct conf_ini *ini, const char *fmt, ...)
{
	va_list	 ap;
	char	*what;

	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	conf_ini_add(ini, what);
	free(what);
}

/*
 * Where inih ends a name or a section name: at one of chars, or at a ';'
 * after a blank (an inline comment); the terminating NUL if neither.
 */
static const char *
conf_ini_find(const char *s, const char *chars)
{
	int	was_space = 0;

	for (; *s != '\0'; s++) {
		if (strchr(chars, *s) != NULL || (was_space && *s == ';'))
			break;
		was_space = isspace((unsigned char)*s);
	}
	return s;
}

/* A [section] line: remember the section and tell the caller. */
static void
conf_ini_section(struct conf_ini *ini, const char *s)
{
	const char	*end = conf_ini_find(s + 1, "]");
	char		*what;

	free(ini->section);
	ini->section = NULL;
	ini->skip = 1;
	if (*end != ']') {
		conf_ini_error(ini, "missing ']' in section header %s", s);
		return;
	}
	s++;
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	ini->section = xstrndup(s, (size_t)(end - s));
	if ((what = ini->fn(ini->arg, ini->line, ini->section, NULL,
	    NULL)) != NULL) {
		conf_ini_add(ini, what);
		free(what);
		return;
	}
	ini->skip = 0;
}

/* inih's reader: the next pair worth handing to inih, as one line. */
static char *
conf_ini_read(char *str, int num, void *stream)
{
	struct conf_ini	*ini = stream;
	ssize_t		 n;
	char		*s;
	const char	*end;

	for (;;) {
		errno = 0;
		if ((n = getline(&ini->buf, &ini->bufsz, ini->f)) == -1) {
			if (ferror(ini->f))
				ini->read_errno = errno != 0 ? errno : EIO;
			return NULL;
		}
		ini->line++;
		s = ini->buf;
		if (memchr(s, '\0', (size_t)n) != NULL) {
			conf_ini_error(ini, "a NUL byte (not a text file?)");
			continue;
		}
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			s[--n] = '\0';
		if (ini->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3;
		/* No leading blanks, so inih never sees a continuation. */
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0' || *s == ';' || *s == '#')
			continue;
		if (*s == '[') {
			conf_ini_section(ini, s);
			continue;
		}
		end = conf_ini_find(s, "=:");
		if (*end != '=' && *end != ':') {
			conf_ini_error(ini, "'%s' is not KEY = VALUE, "
			    "[SECTION] or a comment", s);
			continue;
		}
		if (end == s) {
			conf_ini_error(ini, "missing key before '%c'", *end);
			continue;
		}
		if (ini->skip)
			continue;
		if (strlen(s) + 2 > (size_t)num) {
			conf_ini_error(ini, "line too long (at most %d "
			    "characters)", num - 3);
			continue;
		}
		return strcpy(str, s);
	}
}

static int
conf_ini_pair(void *user, const char *section, const char *key,
    const char *value)
{
	struct conf_ini	*ini = user;
	char		*what;

	what = ini->fn(ini->arg, ini->line,
	    ini->section != NULL ? ini->section : "", key, value);
	if (what != NULL) {
		conf_ini_add(ini, what);
		free(what);
	}
	return 1;
}

int
conf_ini_parse(FILE *f, const char *path, conf_ini_fn fn, void *arg,
    char ***errors, size_t *nerrors, char **cause)
{
	struct conf_ini	ini = {
		.f = f, .path = path, .fn = fn, .arg = arg, .errors = errors,
		.nerrors = nerrors
	};
	int		rc = -1, r;

	r = ini_parse_stream(conf_ini_read, &ini, conf_ini_pair, &ini);
	if (ini.read_errno != 0) {
		*cause = xasprintf("cannot read %s: %s", path,
		    strerror(ini.read_errno));
		goto out;
	}
	if (r != 0) {
		/* Lines are checked before inih sees them: not expected. */
		*cause = xasprintf("cannot parse %s (inih error %d)", path, r);
		goto out;
	}
	rc = 0;
out:
	free(ini.section);
	free(ini.buf);
	return rc;
}

/* The config file itself. */

static const struct {
	const char	*name;
	int		 value;
} conf_bools[] = {
	{ "on", 1 }, { "off", 0 }, { "true", 1 }, { "false", 0 },
	{ "yes", 1 }, { "no", 0 }, { "1", 1 }, { "0", 0 },
};

static const char *const conf_charts[] = {
	[CONF_CHART_BRAILLE] = "braille",
	[CONF_CHART_BLOCK] = "block",
	[CONF_CHART_ASCII] = "ascii",
	[CONF_CHART_AUTO] = "auto",
};

struct conf_load {
	struct conf	*conf;
	const char	*path;
};

static char	*conf_set_theme(struct conf_load *, int, const char *);
static char	*conf_set_mouse(struct conf_load *, int, const char *);
static char	*conf_set_chart(struct conf_load *, int, const char *);
static char	*conf_set_bind(struct conf_load *, int, const char *);

/* Every key, by section; messages list what is expected from here. */
static const struct conf_key {
	const char	*section;
	const char	*name;
	char		*(*set)(struct conf_load *, int, const char *);
} conf_keys[] = {
	{ "ui",		"theme",	conf_set_theme },
	{ "ui",		"mouse",	conf_set_mouse },
	{ "ui",		"chart_style",	conf_set_chart },
	{ "keys",	"bind",		conf_set_bind },
};
#define CONF_NKEYS	(sizeof conf_keys / sizeof conf_keys[0])

/* Add "a, b or c" to b from n words, each in brackets if bracket. */
static void
conf_join(struct buf *b, int bracket, const char *const *words, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(b, i == n - 1 ? " or " : ", ");
		buf_printf(b, bracket ? "[%s]" : "%s", words[i]);
	}
}

/* "expected [ui] or [keys]", from the table. */
static char *
conf_expected_sections(void)
{
	const char	*names[CONF_NKEYS];
	size_t		 i, j, n = 0;
	struct buf	 b;

	for (i = 0; i < CONF_NKEYS; i++) {
		for (j = 0; j < n; j++) {
			if (strcmp(names[j], conf_keys[i].section) == 0)
				break;
		}
		if (j == n)
			names[n++] = conf_keys[i].section;
	}
	buf_init(&b);
	buf_adds(&b, "expected ");
	conf_join(&b, 1, names, n);
	return buf_take(&b);
}

static int
conf_section_known(const char *section)
{
	size_t	i;

	for (i = 0; i < CONF_NKEYS; i++) {
		if (strcasecmp(conf_keys[i].section, section) == 0)
			return 1;
	}
	return 0;
}

static char *
conf_unknown_key(const char *section, const char *key)
{
	const char	*names[CONF_NKEYS];
	size_t		 i, n = 0;
	struct buf	 b;

	for (i = 0; i < CONF_NKEYS; i++) {
		if (strcasecmp(conf_keys[i].section, section) == 0)
			names[n++] = conf_keys[i].name;
	}
	buf_init(&b);
	buf_printf(&b, "unknown key '%s' in [%s] (expected ", key, section);
	conf_join(&b, 0, names, n);
	buf_adds(&b, ")");
	return buf_take(&b);
}

static char *
conf_handle(void *arg, int line, const char *section, const char *key,
    const char *value)
{
	struct conf_load	*cl = arg;
	char			*expected, *what;
	size_t			 i;

	if (key == NULL) {
		if (conf_section_known(section))
			return NULL;
		expected = conf_expected_sections();
		what = xasprintf("unknown section [%s] (%s)", section,
		    expected);
		free(expected);
		return what;
	}
	if (*section == '\0') {
		expected = conf_expected_sections();
		what = xasprintf("'%s' is outside any section (%s first)",
		    key, expected);
		free(expected);
		return what;
	}
	for (i = 0; i < CONF_NKEYS; i++) {
		if (strcasecmp(conf_keys[i].section, section) == 0 &&
		    strcasecmp(conf_keys[i].name, key) == 0)
			return conf_keys[i].set(cl, line, value);
	}
	return conf_unknown_key(section, key);
}

static char *
conf_set_theme(struct conf_load *cl, int line, const char *value)
{
	const char	*s;

	for (s = value; *s != '\0'; s++) {
		if (isspace((unsigned char)*s) || *s == '/')
			break;
	}
	if (*value == '\0' || *s != '\0') {
		return xasprintf("bad theme '%s' (expected a theme's name, "
		    "such as dark)", value);
	}
	free(cl->conf->theme);
	cl->conf->theme = xstrdup(value);
	return NULL;
}

static char *
conf_set_mouse(struct conf_load *cl, int line, const char *value)
{
	const char	*names[sizeof conf_bools / sizeof conf_bools[0]];
	struct buf	 b;
	size_t		 i;

	for (i = 0; i < sizeof conf_bools / sizeof conf_bools[0]; i++) {
		if (strcasecmp(conf_bools[i].name, value) == 0) {
			cl->conf->mouse = conf_bools[i].value;
			return NULL;
		}
		names[i] = conf_bools[i].name;
	}
	buf_init(&b);
	buf_printf(&b, "bad value '%s' for mouse (expected ", value);
	conf_join(&b, 0, names, i);
	buf_adds(&b, ")");
	return buf_take(&b);
}

static char *
conf_set_chart(struct conf_load *cl, int line, const char *value)
{
	struct buf	b;
	size_t		i, n = sizeof conf_charts / sizeof conf_charts[0];

	for (i = 0; i < n; i++) {
		if (strcasecmp(conf_charts[i], value) == 0) {
			cl->conf->chart_style = (enum conf_chart)i;
			return NULL;
		}
	}
	buf_init(&b);
	buf_printf(&b, "bad value '%s' for chart_style (expected ", value);
	conf_join(&b, 0, conf_charts, n);
	buf_adds(&b, ")");
	return buf_take(&b);
}

static char *
conf_set_bind(struct conf_load *cl, int line, const char *value)
{
	struct conf		*conf = cl->conf;
	struct conf_bind	*bind;
	const char		*w[3];
	size_t			 len[3], n = 0;
	const char		*s = value;

	while (n < 3) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		w[n] = s;
		while (*s != '\0' && !isspace((unsigned char)*s))
			s++;
		len[n] = (size_t)(s - w[n]);
		n++;
	}
	if (n != 2) {
		return xasprintf("bad bind '%s' (expected: bind = KEY ACTION)",
		    value);
	}
	conf->binds = xrealloc(conf->binds,
	    (conf->nbinds + 1) * sizeof *conf->binds);
	bind = &conf->binds[conf->nbinds++];
	bind->key = xstrndup(w[0], len[0]);
	bind->action = xstrndup(w[1], len[1]);
	bind->file = xstrdup(cl->path);
	bind->line = line;
	return NULL;
}

static void
conf_error(struct conf *conf, char *what)
{
	conf->errors = xrealloc(conf->errors,
	    (conf->nerrors + 1) * sizeof *conf->errors);
	conf->errors[conf->nerrors++] = what;
}

struct conf *
conf_load(const char *path)
{
	struct conf		*conf = xcalloc(1, sizeof *conf);
	struct conf_load	 cl = { .conf = conf };
	char			*dir = NULL, *own = NULL, *cause = NULL;
	FILE			*f;

	conf->theme = xstrdup("dark");
	conf->mouse = 1;
	conf->chart_style = CONF_CHART_AUTO;
	if (path == NULL) {
		dir = paths_config_dir();
		path = own = paths_join(dir, "config");
	}
	cl.path = path;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno != ENOENT) {
			conf_error(conf, xasprintf("cannot read %s: %s", path,
			    strerror(errno)));
		}
		goto out;
	}
	if (conf_ini_parse(f, path, conf_handle, &cl, &conf->errors,
	    &conf->nerrors, &cause) != 0)
		conf_error(conf, cause);
	fclose(f);
out:
	free(own);
	free(dir);
	return conf;
}

void
conf_free(struct conf *conf)
{
	size_t	i;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->nbinds; i++) {
		free(conf->binds[i].key);
		free(conf->binds[i].action);
		free(conf->binds[i].file);
	}
	for (i = 0; i < conf->nerrors; i++)
		free(conf->errors[i]);
	free(conf->binds);
	free(conf->errors);
	free(conf->theme);
	free(conf);
}

const char *
conf_chart_name(enum conf_chart chart)
{
	if ((size_t)chart >= sizeof conf_charts / sizeof conf_charts[0])
		return "?";
	return conf_charts[chart];
}
