/*
 * Themes: loading *.theme files into a colour spec per role, finding them
 * in the user's config directory before the installed ones, choosing a
 * colour mode for the terminal, and turning specs into curses colour pairs
 * and attributes. Everything down to theme_apply is pure, so that the unit
 * tests cover it without a terminal.
 */
#include "config.h"

#include <sys/stat.h>

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "conf.h"
#include "paths.h"
#include "theme.h"
#include "xmalloc.h"

#define THEME_SUFFIX	".theme"
/* Colour kind of a colour the file left out, filled in after loading. */
#define THEME_COLOUR_UNSET	(-1)

struct theme {
	char			*name;
	char			*description;
	struct theme_spec	 roles[ROLE_COUNT];
	int			 lines[ROLE_COUNT];
	char			**warnings;
	size_t			 nwarnings;
};

/* In step with enum role. */
static const char *const theme_role_names[ROLE_COUNT] = {
	[ROLE_DEFAULT] = "default",
	[ROLE_DIM] = "dim",
	[ROLE_TOPBAR] = "topbar",
	[ROLE_SIDEBAR] = "sidebar",
	[ROLE_SIDEBAR_ACTIVE] = "sidebar_active",
	[ROLE_STATUS] = "status",
	[ROLE_BORDER] = "border",
	[ROLE_TITLE] = "title",
	[ROLE_SELECTION] = "selection",
	[ROLE_MATCH] = "match",
	[ROLE_INPUT] = "input",
	[ROLE_ERROR] = "error",
	[ROLE_WARNING] = "warning",
	[ROLE_OK] = "ok",
	[ROLE_ACCENT] = "accent",
	[ROLE_DIRECTORY] = "directory",
	[ROLE_ESCAPE] = "escape",
	[ROLE_KEYWORD] = "keyword",
	[ROLE_STRING] = "string",
	[ROLE_COMMENT] = "comment",
	[ROLE_NUMBER] = "number",
	[ROLE_FUNCTION] = "function",
	[ROLE_OPERATOR] = "operator",
	[ROLE_HEADING] = "heading",
	[ROLE_EMPH] = "emph",
	[ROLE_STRONG] = "strong",
	[ROLE_CODE] = "code",
	[ROLE_LINK] = "link",
	[ROLE_QUOTE] = "quote",
	[ROLE_LIST_MARK] = "list_mark",
	[ROLE_RULE] = "rule",
	[ROLE_CHART_1] = "chart_1",
	[ROLE_CHART_2] = "chart_2",
	[ROLE_CHART_3] = "chart_3",
	[ROLE_CHART_4] = "chart_4",
	[ROLE_CHART_5] = "chart_5",
	[ROLE_CHART_6] = "chart_6",
	[ROLE_CHART_7] = "chart_7",
	[ROLE_CHART_8] = "chart_8",
};

/* Colours 0-15 by name. */
static const char *const theme_colour_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white",
};

static const struct {
	const char	*name;
	int		 flag;
} theme_attr_names[] = {
	{ "bold", THEME_BOLD },
	{ "underline", THEME_UNDERLINE },
	{ "italic", THEME_ITALIC },
	{ "reverse", THEME_REVERSE },
	{ "dim", THEME_DIM },
};
#define THEME_NATTRS	(sizeof theme_attr_names / sizeof theme_attr_names[0])
#define THEME_ATTR_LIST	"bold, underline, italic, reverse or dim"
#define THEME_COLOUR_LIST \
	"#rrggbb, 0-255, black ... white, bright-black ... bright-white " \
	"or default"

/* xterm's values for the 16 ANSI colours, and the levels of its cube. */
static const int theme_ansi[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00,
	0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
	0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};
static const int theme_cube[6] = { 0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff };

const char *
theme_role_name(enum role role)
{
	assert(role >= 0 && role < ROLE_COUNT);
	assert(theme_role_names[role] != NULL);
	return theme_role_names[role];
}

int
theme_role_parse(const char *s)
{
	int	r;

	for (r = 0; r < ROLE_COUNT; r++) {
		if (strcasecmp(theme_role_names[r], s) == 0)
			return r;
	}
	return -1;
}

/* Parse one colour into *kind and *value; -1 if it is not one. */
static int
theme_colour_parse(const char *s, int *kind, int *value)
{
	char	*end;
	long	 v;
	int	 i;

	if (strcasecmp(s, "default") == 0) {
		*kind = THEME_COLOUR_DEFAULT;
		*value = 0;
		return 0;
	}
	if (s[0] == '#') {
		for (i = 1; i <= 6; i++) {
			if (!isxdigit((unsigned char)s[i]))
				return -1;
		}
		if (s[7] != '\0')
			return -1;
		*kind = THEME_COLOUR_RGB;
		*value = (int)strtol(s + 1, NULL, 16);
		return 0;
	}
	if (isdigit((unsigned char)s[0])) {
		errno = 0;
		v = strtol(s, &end, 10);
		if (*end != '\0' || errno != 0 || v > 255 || strlen(s) > 3)
			return -1;
		*kind = THEME_COLOUR_INDEX;
		*value = (int)v;
		return 0;
	}
	for (i = 0; i < 16; i++) {
		if (strcasecmp(theme_colour_names[i], s) == 0) {
			*kind = THEME_COLOUR_INDEX;
			*value = i;
			return 0;
		}
	}
	return -1;
}

static int
theme_attr_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < THEME_NATTRS; i++) {
		if (strcasecmp(theme_attr_names[i].name, s) == 0)
			return theme_attr_names[i].flag;
	}
	return 0;
}

/*
 * Parse "FG [on BG] [ATTR ...]" into *out, leaving colours that are not
 * given THEME_COLOUR_UNSET. Return NULL or what is wrong (allocated).
 */
static char *
theme_spec_parse(const char *value, struct theme_spec *out)
{
	struct theme_spec	 spec = {
		.fg_kind = THEME_COLOUR_UNSET, .bg_kind = THEME_COLOUR_UNSET
	};
	char			*copy = xstrdup(value), *save, *tok;
	char			*what = NULL;
	char			*toks[16];
	size_t			 n = 0, i = 0;
	int			 kind, v, flag;

	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (n == sizeof toks / sizeof toks[0]) {
			what = xasprintf("too many words in '%s'", value);
			goto out;
		}
		toks[n++] = tok;
	}
	if (n == 0) {
		what = xstrdup("empty spec (expected FG [on BG] [ATTRIBUTES])");
		goto out;
	}
	if (strcasecmp(toks[0], "on") != 0 && theme_attr_parse(toks[0]) == 0) {
		if (theme_colour_parse(toks[0], &spec.fg_kind, &spec.fg) != 0) {
			what = xasprintf("bad colour '%s' (expected "
			    THEME_COLOUR_LIST ", or an attribute: "
			    THEME_ATTR_LIST ")", toks[0]);
			goto out;
		}
		i++;
	}
	if (i < n && strcasecmp(toks[i], "on") == 0) {
		if (i + 1 == n) {
			what = xstrdup("'on' without a colour (expected "
			    "FG on BG)");
			goto out;
		}
		if (theme_colour_parse(toks[i + 1], &spec.bg_kind,
		    &spec.bg) != 0) {
			what = xasprintf("bad colour '%s' (expected "
			    THEME_COLOUR_LIST ")", toks[i + 1]);
			goto out;
		}
		i += 2;
	}
	for (; i < n; i++) {
		if ((flag = theme_attr_parse(toks[i])) != 0) {
			spec.attrs |= flag;
			continue;
		}
		if (strcasecmp(toks[i], "on") == 0 ||
		    theme_colour_parse(toks[i], &kind, &v) == 0) {
			what = xasprintf("'%s' out of place (expected FG "
			    "[on BG] [ATTRIBUTES])", toks[i]);
		} else {
			what = xasprintf("unknown attribute '%s' (expected "
			    THEME_ATTR_LIST ")", toks[i]);
		}
		goto out;
	}
	*out = spec;
out:
	free(copy);
	return what;
}

struct theme_load {
	struct theme	*t;
	int		 roles_seen;
};

static char *
theme_handle(void *arg, int line, const char *section, const char *key,
    const char *value)
{
	struct theme_load	*tl = arg;
	struct theme		*t = tl->t;
	struct theme_spec	 spec;
	char			*what;
	int			 r;

	if (key == NULL) {
		if (strcasecmp(section, "roles") == 0)
			tl->roles_seen = 1;
		else if (strcasecmp(section, "theme") != 0) {
			return xasprintf("unknown section [%s] (expected "
			    "[theme] or [roles])", section);
		}
		return NULL;
	}
	if (strcasecmp(section, "theme") == 0) {
		if (strcasecmp(key, "name") == 0) {
			if (*value == '\0')
				return xstrdup("empty name");
			free(t->name);
			t->name = xstrdup(value);
		} else if (strcasecmp(key, "description") == 0) {
			free(t->description);
			t->description = xstrdup(value);
		} else {
			return xasprintf("unknown key '%s' in [theme] "
			    "(expected name or description)", key);
		}
		return NULL;
	}
	if (strcasecmp(section, "roles") != 0) {
		return xasprintf("'%s' is outside any section (expected "
		    "[theme] or [roles] first)", key);
	}
	if ((r = theme_role_parse(key)) == -1)
		return xasprintf("unknown role '%s'", key);
	if ((what = theme_spec_parse(value, &spec)) != NULL)
		return what;
	if (t->lines[r] != 0) {
		what = xasprintf("%s set again (first on line %d; this one "
		    "counts)", key, t->lines[r]);
	}
	t->roles[r] = spec;
	t->lines[r] = line;
	return what;
}

static void
theme_warn(struct theme *t, char *what)
{
	t->warnings = xrealloc(t->warnings,
	    (t->nwarnings + 1) * sizeof *t->warnings);
	t->warnings[t->nwarnings++] = what;
}

/* Fill in what the file left out from the default role. */
static void
theme_resolve(struct theme *t)
{
	struct theme_spec	*def = &t->roles[ROLE_DEFAULT], *s;
	int			 r;

	if (t->lines[ROLE_DEFAULT] == 0)
		memset(def, 0, sizeof *def);
	if (def->fg_kind == THEME_COLOUR_UNSET)
		def->fg_kind = THEME_COLOUR_DEFAULT;
	if (def->bg_kind == THEME_COLOUR_UNSET)
		def->bg_kind = THEME_COLOUR_DEFAULT;
	for (r = 0; r < ROLE_COUNT; r++) {
		s = &t->roles[r];
		if (r == ROLE_DEFAULT)
			continue;
		if (t->lines[r] == 0) {
			*s = *def;
			continue;
		}
		if (s->fg_kind == THEME_COLOUR_UNSET) {
			s->fg_kind = def->fg_kind;
			s->fg = def->fg;
		}
		if (s->bg_kind == THEME_COLOUR_UNSET) {
			s->bg_kind = def->bg_kind;
			s->bg = def->bg;
		}
	}
}

/* The file's name without directory and ".theme". */
static char *
theme_basename(const char *path)
{
	const char	*base = strrchr(path, '/');
	size_t		 n, k = strlen(THEME_SUFFIX);

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (n > k && strcmp(base + n - k, THEME_SUFFIX) == 0)
		n -= k;
	return xstrndup(base, n);
}

struct theme *
theme_load(const char *path, char **cause)
{
	struct theme		*t = xcalloc(1, sizeof *t), *result = NULL;
	struct theme_load	 tl = { .t = t };
	FILE			*f;

	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (conf_ini_parse(f, path, theme_handle, &tl, &t->warnings,
	    &t->nwarnings, cause) != 0)
		goto out;
	if (!tl.roles_seen) {
		theme_warn(t, xasprintf("%s: no [roles] section (not a theme "
		    "file?)", path));
	}
	if (t->name == NULL)
		t->name = theme_basename(path);
	if (t->description == NULL)
		t->description = xstrdup("");
	theme_resolve(t);
	result = t;
	t = NULL;
out:
	if (f != NULL)
		fclose(f);
	theme_free(t);
	return result;
}

void
theme_free(struct theme *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nwarnings; i++)
		free(t->warnings[i]);
	free(t->warnings);
	free(t->name);
	free(t->description);
	free(t);
}

const char *const *
theme_warnings(const struct theme *t, size_t *n)
{
	*n = t->nwarnings;
	return (const char *const *)t->warnings;
}

const char *
theme_name(const struct theme *t)
{
	return t->name;
}

const char *
theme_description(const struct theme *t)
{
	return t->description;
}

const struct theme_spec *
theme_role(const struct theme *t, enum role role)
{
	assert(role >= 0 && role < ROLE_COUNT);
	return &t->roles[role];
}

int
theme_role_line(const struct theme *t, enum role role)
{
	assert(role >= 0 && role < ROLE_COUNT);
	return t->lines[role];
}

/* Finding themes. */

/* Theme names are file names in a directory: nothing that leaves it. */
static int
theme_name_ok(const char *name)
{
	const char	*s;

	if (*name == '\0' || *name == '.')
		return 0;
	for (s = name; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr("-_.", *s) == NULL)
			return 0;
	}
	return 1;
}

/* The two places to look, in order; either may be NULL. */
static void
theme_dirs(const char *data_dir, char *dirs[2])
{
	char	*config = paths_config_dir();

	dirs[0] = paths_join(config, "themes");
	dirs[1] = data_dir != NULL ? paths_join(data_dir, "themes") : NULL;
	free(config);
}

static int
theme_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the names of the themes in dir to *v. */
static void
theme_list_dir(const char *dir, char ***v, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		*path;
	size_t		 len, k = strlen(THEME_SUFFIX);

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= k || strcmp(de->d_name + len - k, THEME_SUFFIX) != 0)
			continue;
		path = paths_join(dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			*v = xrealloc(*v, (*n + 2) * sizeof **v);
			(*v)[(*n)++] = xstrndup(de->d_name, len - k);
		}
		free(path);
	}
	closedir(d);
}

char **
theme_list(const char *data_dir, size_t *n)
{
	char	*dirs[2], **v = NULL;
	size_t	 count = 0, i, j;

	theme_dirs(data_dir, dirs);
	for (i = 0; i < 2; i++) {
		if (dirs[i] != NULL)
			theme_list_dir(dirs[i], &v, &count);
		free(dirs[i]);
	}
	if (v == NULL)
		v = xmalloc(sizeof *v);
	qsort(v, count, sizeof *v, theme_cmp);
	for (i = j = 0; i < count; i++) {
		if (j > 0 && strcmp(v[j - 1], v[i]) == 0)
			free(v[i]);
		else
			v[j++] = v[i];
	}
	v[j] = NULL;
	*n = j;
	return v;
}

void
theme_list_free(char **v)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

struct theme *
theme_find(const char *name, const char *data_dir, char **cause)
{
	struct theme	*t = NULL;
	struct stat	 st;
	struct buf	 b;
	char		*dirs[2], *file, *path, **names = NULL;
	size_t		 i, n;

	if (!theme_name_ok(name)) {
		*cause = xasprintf("bad theme name '%s' (letters, digits, "
		    "'-', '_' and '.' only)", name);
		return NULL;
	}
	theme_dirs(data_dir, dirs);
	file = xasprintf("%s%s", name, THEME_SUFFIX);
	for (i = 0; i < 2; i++) {
		if (dirs[i] == NULL)
			continue;
		path = paths_join(dirs[i], file);
		if (stat(path, &st) == 0) {
			t = theme_load(path, cause);
			free(path);
			goto out;
		}
		free(path);
	}
	buf_init(&b);
	buf_printf(&b, "no theme '%s' in %s", name, dirs[0]);
	if (dirs[1] != NULL)
		buf_printf(&b, " or %s", dirs[1]);
	names = theme_list(data_dir, &n);
	if (n == 0)
		buf_adds(&b, "; no themes are installed");
	else {
		buf_adds(&b, "; available: ");
		for (i = 0; i < n; i++)
			buf_printf(&b, "%s%s", i > 0 ? ", " : "", names[i]);
	}
	*cause = buf_take(&b);
out:
	theme_list_free(names);
	free(file);
	free(dirs[0]);
	free(dirs[1]);
	return t;
}

/* Colour modes and colour arithmetic. */

enum theme_mode
theme_mode_detect(const char *no_color, const char *colorterm, int colors,
    int can_change)
{
	if (no_color != NULL && *no_color != '\0')
		return THEME_MONO;
	if (colors < 8)
		return THEME_MONO;
	if (colors >= 0x1000000)
		return THEME_TRUECOLOR;
	if (colors >= 256 && colorterm != NULL &&
	    (strcasecmp(colorterm, "truecolor") == 0 ||
	    strcasecmp(colorterm, "24bit") == 0))
		return THEME_TRUECOLOR;
	if (colors >= 256)
		return THEME_256;
	return THEME_16;
}

const char *
theme_mode_name(enum theme_mode mode)
{
	static const char *const names[] = {
		[THEME_MONO] = "mono",
		[THEME_16] = "16",
		[THEME_256] = "256",
		[THEME_TRUECOLOR] = "truecolor",
	};

	assert(mode >= THEME_MONO && mode <= THEME_TRUECOLOR);
	return names[mode];
}

static int
theme_dist(int a, int b)
{
	int	dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
	int	dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
	int	db = (a & 0xff) - (b & 0xff);

	return dr * dr + dg * dg + db * db;
}

/* The rgb of colour idx of xterm's 256. */
static int
theme_index_rgb(int idx)
{
	int	g;

	assert(idx >= 0 && idx <= 255);
	if (idx < 16)
		return theme_ansi[idx];
	if (idx < 232) {
		idx -= 16;
		return theme_cube[idx / 36] << 16 |
		    theme_cube[idx / 6 % 6] << 8 | theme_cube[idx % 6];
	}
	g = 8 + 10 * (idx - 232);
	return g << 16 | g << 8 | g;
}

int
theme_rgb_to_256(int rgb)
{
	int	c[3], i, k, best, d, bestd, level;

	/* The cube's distance is a sum per channel: nearest level each. */
	for (i = 0; i < 3; i++) {
		level = (rgb >> (16 - 8 * i)) & 0xff;
		c[i] = 0;
		for (k = 1; k < 6; k++) {
			if (abs(theme_cube[k] - level) <
			    abs(theme_cube[c[i]] - level))
				c[i] = k;
		}
	}
	best = 16 + 36 * c[0] + 6 * c[1] + c[2];
	bestd = theme_dist(rgb, theme_index_rgb(best));
	for (k = 232; k < 256; k++) {
		if ((d = theme_dist(rgb, theme_index_rgb(k))) < bestd) {
			best = k;
			bestd = d;
		}
	}
	return best;
}

/* The nearest ANSI colour to rgb other than avoid (-1: none). */
static int
theme_nearest16(int rgb, int avoid)
{
	int	i, best = -1, d, bestd = 0;

	for (i = 0; i < 16; i++) {
		if (i == avoid)
			continue;
		d = theme_dist(rgb, theme_ansi[i]);
		if (best == -1 || d < bestd) {
			best = i;
			bestd = d;
		}
	}
	return best;
}

int
theme_rgb_to_16(int rgb)
{
	return theme_nearest16(rgb, -1);
}

int
theme_index_to_16(int idx)
{
	if (idx < 16)
		return idx;
	return theme_rgb_to_16(theme_index_rgb(idx));
}

/* Applying: curses from here on. */

/* Monochrome attributes per role, whatever the theme. */
static const attr_t theme_mono[ROLE_COUNT] = {
	[ROLE_DIM] = A_DIM,
	[ROLE_TOPBAR] = A_REVERSE,
	[ROLE_SIDEBAR_ACTIVE] = A_BOLD | A_UNDERLINE,
	[ROLE_STATUS] = A_REVERSE,
	[ROLE_BORDER] = A_DIM,
	[ROLE_TITLE] = A_BOLD,
	[ROLE_SELECTION] = A_REVERSE | A_BOLD,
	[ROLE_MATCH] = A_BOLD | A_UNDERLINE,
	[ROLE_ERROR] = A_BOLD,
	[ROLE_WARNING] = A_BOLD,
	[ROLE_ACCENT] = A_BOLD,
	[ROLE_DIRECTORY] = A_BOLD,
	[ROLE_ESCAPE] = A_UNDERLINE,
	[ROLE_KEYWORD] = A_BOLD,
	[ROLE_COMMENT] = A_DIM,
	[ROLE_HEADING] = A_BOLD,
#ifdef A_ITALIC
	[ROLE_EMPH] = A_ITALIC,
	[ROLE_QUOTE] = A_ITALIC,
#else
	[ROLE_EMPH] = A_UNDERLINE,
	[ROLE_QUOTE] = A_DIM,
#endif
	[ROLE_STRONG] = A_BOLD,
	[ROLE_LINK] = A_UNDERLINE,
	[ROLE_LIST_MARK] = A_BOLD,
	[ROLE_RULE] = A_DIM,
};

static attr_t		theme_attrs[ROLE_COUNT];
static int		theme_applied;
static enum theme_mode	theme_mode_on;		/* set by theme_apply */
/*
 * Pairs for colours that workloads chose (theme_sgr), made as they are
 * needed above the roles' pairs and below 256, so that COLOR_PAIR() holds
 * them; reused oldest first once they are all taken.
 */
#define THEME_SGR_FIRST		64
#define THEME_SGR_LAST		255
#define THEME_SGR_PAIRS		(THEME_SGR_LAST - THEME_SGR_FIRST + 1)
static struct {
	int	fg, bg;
}			theme_sgr_pairs[THEME_SGR_PAIRS];
static int		theme_sgr_n, theme_sgr_next;
static int		theme_default_fg, theme_default_bg;
static int		theme_started;		/* start_color done */
static int		theme_default_ok;	/* use_default_colors worked */

#if defined(NCURSES_EXT_COLORS) && NCURSES_VERSION_MAJOR >= 6
#define THEME_EXT_COLOURS	1
#else
#define THEME_EXT_COLOURS	0
#endif

static attr_t
theme_curses_attrs(int attrs)
{
	attr_t	a = 0;

	if (attrs & THEME_BOLD)
		a |= A_BOLD;
	if (attrs & THEME_UNDERLINE)
		a |= A_UNDERLINE;
#ifdef A_ITALIC
	if (attrs & THEME_ITALIC)
		a |= A_ITALIC;
#endif
	if (attrs & THEME_REVERSE)
		a |= A_REVERSE;
	if (attrs & THEME_DIM)
		a |= A_DIM;
	return a;
}

/*
 * The curses colour number for one colour in mode; avoid is a colour the
 * result should not be (the background, for a foreground; -2 for none).
 * *bright is set when an 8-colour terminal needs bold for a bright colour.
 */
static int
theme_colour(int kind, int value, enum theme_mode mode, int avoid,
    int *bright)
{
	int	c, rgb;

	*bright = 0;
	if (kind == THEME_COLOUR_DEFAULT)
		return -1;
	switch (mode) {
	case THEME_TRUECOLOR:
		/*
		 * Direct colour: numbers below 8 (16 in some entries) are the
		 * palette, so names 0-7 stay the user's palette, the rest
		 * become rgb, and an rgb that low (near black) takes red 1.
		 */
		if (kind == THEME_COLOUR_INDEX && value < 8)
			return value;
		rgb = kind == THEME_COLOUR_RGB ? value : theme_index_rgb(value);
		return rgb < 16 ? rgb | 0x010000 : rgb;
	case THEME_256:
		if (kind == THEME_COLOUR_INDEX)
			return value;
		return theme_rgb_to_256(value);
	default:
		if (kind == THEME_COLOUR_INDEX && value < 16)
			c = value;
		else {
			rgb = kind == THEME_COLOUR_RGB ? value :
			    theme_index_rgb(value);
			c = theme_nearest16(rgb, -1);
			if (c == avoid)
				c = theme_nearest16(rgb, avoid);
		}
		if (COLORS < 16 && c >= 8) {
			c -= 8;
			*bright = 1;
		}
		return c;
	}
}

static int
theme_init_pair(int pair, int fg, int bg)
{
#if THEME_EXT_COLOURS
	return init_extended_pair(pair, fg, bg);
#else
	return init_pair((short)pair, (short)fg, (short)bg);
#endif
}

/* The mode the terminal can do, at most mode; starts colour if needed. */
static enum theme_mode
theme_mode_fit(enum theme_mode mode)
{
	if (mode == THEME_MONO || !has_colors())
		return THEME_MONO;
	if (!theme_started) {
		if (start_color() == ERR)
			return THEME_MONO;
		theme_started = 1;
		theme_default_ok = use_default_colors() == OK;
	}
	if (mode == THEME_TRUECOLOR &&
	    (!THEME_EXT_COLOURS || COLORS < 0x1000000))
		mode = THEME_256;
	if (mode == THEME_256 && COLORS < 256)
		mode = THEME_16;
	if (mode == THEME_16 && COLORS < 8)
		mode = THEME_MONO;
	return mode;
}

enum theme_mode
theme_apply(const struct theme *t, enum theme_mode mode)
{
	const struct theme_spec	*s;
	int			 fg[ROLE_COUNT], bg[ROLE_COUNT];
	int			 pfg[ROLE_COUNT], pbg[ROLE_COUNT];
	int			 r, p, npairs = 0, bright, dummy;
	attr_t			 a;

	mode = theme_mode_fit(mode);
	theme_applied = 1;
	theme_mode_on = mode;
	theme_sgr_n = theme_sgr_next = 0;
	if (mode == THEME_MONO) {
		memcpy(theme_attrs, theme_mono, sizeof theme_attrs);
		return mode;
	}
	for (r = 0; r < ROLE_COUNT; r++) {
		s = theme_role(t, r);
		a = theme_curses_attrs(s->attrs);
		bg[r] = theme_colour(s->bg_kind, s->bg, mode, -2, &dummy);
		fg[r] = theme_colour(s->fg_kind, s->fg, mode,
		    s->fg_kind == s->bg_kind && s->fg == s->bg ? -2 : bg[r],
		    &bright);
		if (bright)
			a |= A_BOLD;
		if (!theme_default_ok) {
			if (fg[r] == -1)
				fg[r] = COLOR_WHITE;
			if (bg[r] == -1)
				bg[r] = COLOR_BLACK;
		}
		for (p = 0; p < npairs; p++) {
			if (pfg[p] == fg[r] && pbg[p] == bg[r])
				break;
		}
		if (p == npairs && p + 1 < COLOR_PAIRS &&
		    theme_init_pair(p + 1, fg[r], bg[r]) != ERR) {
			pfg[p] = fg[r];
			pbg[p] = bg[r];
			npairs++;
		}
		if (p < npairs)
			a |= COLOR_PAIR(p + 1);
		theme_attrs[r] = a;
	}
	a = theme_attrs[ROLE_SELECTION];
	if ((a & (A_BOLD | A_REVERSE)) == 0)
		a |= A_BOLD;
	if (fg[ROLE_SELECTION] == fg[ROLE_DEFAULT] &&
	    bg[ROLE_SELECTION] == bg[ROLE_DEFAULT])
		a |= A_REVERSE;
	theme_attrs[ROLE_SELECTION] = a;
	theme_default_fg = fg[ROLE_DEFAULT];
	theme_default_bg = bg[ROLE_DEFAULT];
	return mode;
}

attr_t
theme_sgr(int fg, int bg, int attrs)
{
	attr_t	a = theme_curses_attrs(attrs);
	int	cf, cb, bright = 0, dummy, i, pair, slots;

	if (!theme_applied || theme_mode_on == THEME_MONO ||
	    (fg < 0 && bg < 0))
		return theme_attr(ROLE_DEFAULT) | a;
	cf = fg < 0 ? theme_default_fg : theme_colour(THEME_COLOUR_INDEX,
	    fg & 0xff, theme_mode_on, -2, &bright);
	cb = bg < 0 ? theme_default_bg : theme_colour(THEME_COLOUR_INDEX,
	    bg & 0xff, theme_mode_on, -2, &dummy);
	if (bright)
		a |= A_BOLD;
	for (i = 0; i < theme_sgr_n; i++) {
		if (theme_sgr_pairs[i].fg == cf &&
		    theme_sgr_pairs[i].bg == cb)
			return a | COLOR_PAIR(THEME_SGR_FIRST + i);
	}
	slots = THEME_SGR_PAIRS;
	if (COLOR_PAIRS - THEME_SGR_FIRST < slots)
		slots = COLOR_PAIRS - THEME_SGR_FIRST;
	if (slots <= 0)
		return theme_attr(ROLE_DEFAULT) | a;
	if (theme_sgr_n < slots)
		i = theme_sgr_n++;
	else {
		i = theme_sgr_next;
		theme_sgr_next = (theme_sgr_next + 1) % slots;
	}
	pair = THEME_SGR_FIRST + i;
	if (theme_init_pair(pair, cf, cb) == ERR)
		return theme_attr(ROLE_DEFAULT) | a;
	theme_sgr_pairs[i].fg = cf;
	theme_sgr_pairs[i].bg = cb;
	return a | COLOR_PAIR(pair);
}

attr_t
theme_attr(enum role role)
{
	assert(role >= 0 && role < ROLE_COUNT);
	return theme_applied ? theme_attrs[role] : theme_mono[role];
}
