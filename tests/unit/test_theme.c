/*
 * Unit tests for tui/theme.c: the shipped themes, theme files with
 * mistakes in them (written to a mkdtemp directory), finding themes in the
 * config directory before the data directory, colour mode detection and
 * the colour arithmetic. theme_apply needs a terminal and is left to the
 * TUI tests.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "theme.h"
#include "xmalloc.h"

static const char *const shipped[] = {
	"dark", "light", "high-contrast", "16color"
};
#define NSHIPPED	(sizeof shipped / sizeof shipped[0])

struct fixture {
	char	*tmp;
	char	*config;	/* $XDG_CONFIG_HOME */
	char	*data;		/* a data_dir, as $(pkgdatadir) */
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static void
mkdir_p(const char *path)
{
	char	*p = xstrdup(path), *s;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	}
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", p, strerror(errno));
	free(p);
}

/* Write text to dir/rel, making directories; return the path. */
static char *
put(const char *dir, const char *rel, const char *text)
{
	char	*path = xasprintf("%s/%s", dir, rel), *slash;
	FILE	*f;

	slash = strrchr(path, '/');
	*slash = '\0';
	mkdir_p(path);
	*slash = '/';
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
	return path;
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof *fx);
	char		 tmpl[] = "/tmp/test_theme.XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		return -1;
	fx->tmp = xstrdup(tmpl);
	fx->config = xasprintf("%s/config", fx->tmp);
	fx->data = xasprintf("%s/data", fx->tmp);
	mkdir_p(fx->config);
	mkdir_p(fx->data);
	setenv("XDG_CONFIG_HOME", fx->config, 1);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	nftw(fx->tmp, rm_one, 16, FTW_PHYS | FTW_DEPTH);
	free(fx->tmp);
	free(fx->config);
	free(fx->data);
	free(fx);
	return 0;
}

static char *
themes_dir(void)
{
	const char	*top = getenv("top_srcdir");

	return xasprintf("%s/themes", top != NULL && *top != '\0' ? top :
	    "../..");
}

static struct theme *
load_ok(const char *path)
{
	struct theme	*t;
	char		*cause = NULL;

	t = theme_load(path, &cause);
	if (t == NULL)
		fail_msg("theme_load %s: %s", path, cause);
	return t;
}

static struct theme *
load_shipped(const char *name)
{
	struct theme	*t;
	char		*dir = themes_dir(), *path;

	path = xasprintf("%s/%s.theme", dir, name);
	t = load_ok(path);
	free(path);
	free(dir);
	return t;
}

/* The warnings, one a line, for failure messages. */
static char *
warnings_text(const struct theme *t)
{
	const char *const	*w;
	size_t			 n, i;
	char			*s = xstrdup(""), *next;

	w = theme_warnings(t, &n);
	for (i = 0; i < n; i++) {
		next = xasprintf("%s%s\n", s, w[i]);
		free(s);
		s = next;
	}
	return s;
}

/* Assert that a warning starts with prefix (e.g. "PATH:4: bad colour"). */
static void
assert_warning(const struct theme *t, const char *path, int line,
    const char *what)
{
	const char *const	*w;
	char			*want, *all;
	size_t			 n, i;

	want = xasprintf("%s:%d: %s", path, line, what);
	w = theme_warnings(t, &n);
	for (i = 0; i < n; i++) {
		if (strncmp(w[i], want, strlen(want)) == 0) {
			free(want);
			return;
		}
	}
	all = warnings_text(t);
	fail_msg("no warning '%s' among:\n%s", want, all);
}

static void
assert_spec(const struct theme_spec *s, int fg_kind, int fg, int bg_kind,
    int bg, int attrs)
{
	assert_int_equal(s->fg_kind, fg_kind);
	if (fg_kind != THEME_COLOUR_DEFAULT)
		assert_int_equal(s->fg, fg);
	assert_int_equal(s->bg_kind, bg_kind);
	if (bg_kind != THEME_COLOUR_DEFAULT)
		assert_int_equal(s->bg, bg);
	assert_int_equal(s->attrs, attrs);
}

/* The rgb of xterm colour 16-255, written independently of theme.c. */
static int
xterm_rgb(int idx)
{
	static const int	level[6] = { 0, 95, 135, 175, 215, 255 };
	int			g;

	if (idx >= 232) {
		g = 8 + 10 * (idx - 232);
		return g << 16 | g << 8 | g;
	}
	idx -= 16;
	return level[idx / 36] << 16 | level[idx / 6 % 6] << 8 |
	    level[idx % 6];
}

static void
test_shipped_load_clean(void **state)
{
	struct theme	*t;
	size_t		 i, n;
	int		 r;
	char		*w;

	for (i = 0; i < NSHIPPED; i++) {
		t = load_shipped(shipped[i]);
		theme_warnings(t, &n);
		w = warnings_text(t);
		if (n != 0)
			fail_msg("%s.theme: %zu warnings:\n%s", shipped[i], n,
			    w);
		free(w);
		assert_string_equal(theme_name(t), shipped[i]);
		assert_true(strlen(theme_description(t)) > 0);
		for (r = 0; r < ROLE_COUNT; r++) {
			if (theme_role_line(t, r) == 0) {
				fail_msg("%s.theme leaves out %s", shipped[i],
				    theme_role_name(r));
			}
		}
		theme_free(t);
	}
}

/* Every *.theme in themes/ is one of the tested ones, and loads cleanly. */
static void
test_shipped_all_listed(void **state)
{
	char	*dir = themes_dir(), *top, **names;
	size_t	 n, i, j;

	/* theme_list looks in data_dir/themes: top_srcdir plays data_dir. */
	top = xstrndup(dir, strlen(dir) - strlen("/themes"));
	names = theme_list(top, &n);
	assert_true(n >= NSHIPPED);
	for (i = 0; i < n; i++) {
		for (j = 0; j < NSHIPPED; j++) {
			if (strcmp(names[i], shipped[j]) == 0)
				break;
		}
		if (j == NSHIPPED)
			fail_msg("themes/%s.theme is not tested", names[i]);
	}
	theme_list_free(names);
	free(top);
	free(dir);
}

static void
test_shipped_16color_names_only(void **state)
{
	struct theme		*t = load_shipped("16color");
	const struct theme_spec	*s;
	int			 r;

	for (r = 0; r < ROLE_COUNT; r++) {
		s = theme_role(t, r);
		assert_int_not_equal(s->fg_kind, THEME_COLOUR_RGB);
		assert_int_not_equal(s->bg_kind, THEME_COLOUR_RGB);
		if (s->fg_kind == THEME_COLOUR_INDEX)
			assert_in_range(s->fg, 0, 15);
		if (s->bg_kind == THEME_COLOUR_INDEX)
			assert_in_range(s->bg, 0, 15);
	}
	theme_free(t);
}

/* The rgb themes say they are exact in 256 colours: keep them so. */
static void
test_shipped_rgb_exact_in_256(void **state)
{
	static const char *const rgb[] = { "dark", "light", "high-contrast" };
	struct theme		*t;
	const struct theme_spec	*s;
	size_t			 i;
	int			 r;

	for (i = 0; i < sizeof rgb / sizeof rgb[0]; i++) {
		t = load_shipped(rgb[i]);
		for (r = 0; r < ROLE_COUNT; r++) {
			s = theme_role(t, r);
			if (s->fg_kind == THEME_COLOUR_RGB &&
			    xterm_rgb(theme_rgb_to_256(s->fg)) != s->fg) {
				fail_msg("%s: %s fg #%06x not in 256", rgb[i],
				    theme_role_name(r), s->fg);
			}
			if (s->bg_kind == THEME_COLOUR_RGB &&
			    xterm_rgb(theme_rgb_to_256(s->bg)) != s->bg) {
				fail_msg("%s: %s bg #%06x not in 256", rgb[i],
				    theme_role_name(r), s->bg);
			}
		}
		theme_free(t);
	}
}

/* Selection must show without colour: bold or reverse in every theme. */
static void
test_shipped_selection_attrs(void **state)
{
	struct theme	*t;
	size_t		 i;

	for (i = 0; i < NSHIPPED; i++) {
		t = load_shipped(shipped[i]);
		assert_true(theme_role(t, ROLE_SELECTION)->attrs &
		    (THEME_BOLD | THEME_REVERSE));
		theme_free(t);
	}
}

static void
test_role_names(void **state)
{
	int	r, q;

	for (r = 0; r < ROLE_COUNT; r++) {
		assert_non_null(theme_role_name(r));
		assert_int_equal(theme_role_parse(theme_role_name(r)), r);
		for (q = 0; q < r; q++) {
			assert_string_not_equal(theme_role_name(q),
			    theme_role_name(r));
		}
	}
	assert_string_equal(theme_role_name(ROLE_SIDEBAR_ACTIVE),
	    "sidebar_active");
	assert_string_equal(theme_role_name(ROLE_LIST_MARK), "list_mark");
	assert_int_equal(theme_role_parse("SIDEBAR_ACTIVE"),
	    ROLE_SIDEBAR_ACTIVE);
	assert_int_equal(theme_role_parse("sidebar-active"), -1);
	assert_int_equal(theme_role_parse(""), -1);
	assert_int_equal(theme_role_parse("role_default"), -1);
}

static void
test_load_spec_forms(void **state)
{
	struct fixture	*fx = *state;
	struct theme	*t;
	char		*path;
	size_t		 n;

	path = put(fx->tmp, "forms.theme",
	    "[theme]\n"
	    "name = forms\n"
	    "[roles]\n"
	    "default = #D0D0D0 on #1c1c1c\n"
	    "topbar = #ff0000 on #000000 bold underline\n"
	    "status = 12\n"
	    "title = bright-cyan on default\n"
	    "keyword = bold\n"
	    "string = on blue\n"
	    "comment = DEFAULT italic dim\n"
	    "selection = 255 on 0 bold underline italic reverse dim\n"
	    "   number = white   ; an inline comment\n"
	    "error: red\n");
	t = load_ok(path);
	theme_warnings(t, &n);
	assert_int_equal(n, 0);
	assert_string_equal(theme_name(t), "forms");
	assert_spec(theme_role(t, ROLE_DEFAULT), THEME_COLOUR_RGB, 0xd0d0d0,
	    THEME_COLOUR_RGB, 0x1c1c1c, 0);
	assert_spec(theme_role(t, ROLE_TOPBAR), THEME_COLOUR_RGB, 0xff0000,
	    THEME_COLOUR_RGB, 0, THEME_BOLD | THEME_UNDERLINE);
	/* A background left out is the default role's. */
	assert_spec(theme_role(t, ROLE_STATUS), THEME_COLOUR_INDEX, 12,
	    THEME_COLOUR_RGB, 0x1c1c1c, 0);
	assert_spec(theme_role(t, ROLE_TITLE), THEME_COLOUR_INDEX, 14,
	    THEME_COLOUR_DEFAULT, 0, 0);
	/* So is a foreground. */
	assert_spec(theme_role(t, ROLE_KEYWORD), THEME_COLOUR_RGB, 0xd0d0d0,
	    THEME_COLOUR_RGB, 0x1c1c1c, THEME_BOLD);
	assert_spec(theme_role(t, ROLE_STRING), THEME_COLOUR_RGB, 0xd0d0d0,
	    THEME_COLOUR_INDEX, 4, 0);
	assert_spec(theme_role(t, ROLE_COMMENT), THEME_COLOUR_DEFAULT, 0,
	    THEME_COLOUR_RGB, 0x1c1c1c, THEME_ITALIC | THEME_DIM);
	assert_spec(theme_role(t, ROLE_SELECTION), THEME_COLOUR_INDEX, 255,
	    THEME_COLOUR_INDEX, 0, THEME_BOLD | THEME_UNDERLINE |
	    THEME_ITALIC | THEME_REVERSE | THEME_DIM);
	/* Leading blanks do not make a line continue the one before. */
	assert_spec(theme_role(t, ROLE_NUMBER), THEME_COLOUR_INDEX, 7,
	    THEME_COLOUR_RGB, 0x1c1c1c, 0);
	assert_int_equal(theme_role_line(t, ROLE_NUMBER), 12);
	assert_spec(theme_role(t, ROLE_ERROR), THEME_COLOUR_INDEX, 1,
	    THEME_COLOUR_RGB, 0x1c1c1c, 0);
	theme_free(t);
	free(path);
}

static void
test_load_missing_role_is_default(void **state)
{
	struct fixture		*fx = *state;
	struct theme		*t;
	const struct theme_spec	*def, *s;
	char			*path;
	size_t			 n;

	path = put(fx->tmp, "short.theme",
	    "[roles]\n"
	    "default = green on black underline\n"
	    "error = red\n");
	t = load_ok(path);
	theme_warnings(t, &n);
	assert_int_equal(n, 0);
	/* No name: the file's. */
	assert_string_equal(theme_name(t), "short");
	assert_string_equal(theme_description(t), "");
	def = theme_role(t, ROLE_DEFAULT);
	s = theme_role(t, ROLE_LINK);
	assert_memory_equal(s, def, sizeof *s);
	assert_int_equal(theme_role_line(t, ROLE_LINK), 0);
	assert_int_equal(theme_role_line(t, ROLE_ERROR), 3);
	assert_spec(theme_role(t, ROLE_ERROR), THEME_COLOUR_INDEX, 1,
	    THEME_COLOUR_INDEX, 0, 0);
	theme_free(t);
	free(path);
}

/* No default role at all: the terminal's colours. */
static void
test_load_no_default_role(void **state)
{
	struct fixture	*fx = *state;
	struct theme	*t;
	char		*path;

	path = put(fx->tmp, "nodef.theme", "[roles]\nkeyword = #5fafff bold\n");
	t = load_ok(path);
	assert_spec(theme_role(t, ROLE_DEFAULT), THEME_COLOUR_DEFAULT, 0,
	    THEME_COLOUR_DEFAULT, 0, 0);
	assert_spec(theme_role(t, ROLE_KEYWORD), THEME_COLOUR_RGB, 0x5fafff,
	    THEME_COLOUR_DEFAULT, 0, THEME_BOLD);
	theme_free(t);
	free(path);
}

static void
test_load_bad_colour(void **state)
{
	struct fixture	*fx = *state;
	struct theme	*t;
	char		*path;
	size_t		 n;

	path = put(fx->tmp, "bad.theme",
	    "[theme]\n"
	    "name = bad\n"
	    "[roles]\n"
	    "default = #d0d0d0 on #1c1c1c\n"
	    "topbar = #12345 on #000000\n"
	    "status = 256\n"
	    "title = purple bold\n"
	    "border = #ffffff on #zzzzzz\n"
	    "match = red on\n"
	    "keyword = #5fafff bold\n");
	t = load_ok(path);
	theme_warnings(t, &n);
	assert_int_equal(n, 5);
	assert_warning(t, path, 5, "bad colour '#12345'");
	assert_warning(t, path, 6, "bad colour '256'");
	assert_warning(t, path, 7, "bad colour 'purple'");
	assert_warning(t, path, 8, "bad colour '#zzzzzz'");
	assert_warning(t, path, 9, "'on' without a colour");
	/* The bad lines count as left out; the rest loaded. */
	assert_int_equal(theme_role_line(t, ROLE_TOPBAR), 0);
	assert_memory_equal(theme_role(t, ROLE_TOPBAR),
	    theme_role(t, ROLE_DEFAULT), sizeof(struct theme_spec));
	assert_spec(theme_role(t, ROLE_KEYWORD), THEME_COLOUR_RGB, 0x5fafff,
	    THEME_COLOUR_RGB, 0x1c1c1c, THEME_BOLD);
	assert_string_equal(theme_name(t), "bad");
	theme_free(t);
	free(path);
}

static void
test_load_unknown_role(void **state)
{
	struct fixture	*fx = *state;
	struct theme	*t;
	char		*path;
	size_t		 n;

	path = put(fx->tmp, "role.theme",
	    "[roles]\n"
	    "default = white on black\n"
	    "sidbar = red\n"
	    "sidebar = blue\n");
	t = load_ok(path);
	theme_warnings(t, &n);
	assert_int_equal(n, 1);
	assert_warning(t, path, 3, "unknown role 'sidbar'");
	assert_spec(theme_role(t, ROLE_SIDEBAR), THEME_COLOUR_INDEX, 4,
	    THEME_COLOUR_INDEX, 0, 0);
	theme_free(t);
	free(path);
}

static void
test_load_unknown_attribute(void **state)
{
	struct fixture	*fx = *state;
	struct theme	*t;
	char		*path;
	size_t		 n;

	path = put(fx->tmp, "attr.theme",
	    "[roles]\n"
	    "default = white on black\n"
	    "error = red bold blink\n"
	    "warning = yellow on black red\n"
	    "ok = green bold\n");
	t = load_ok(path);
	theme_warnings(t, &n);
	assert_int_equal(n, 2);
	assert_warning(t, path, 3, "unknown attribute 'blink' (expected bold");
	assert_warning(t, path, 4, "'red' out of place");
	assert_int_equal(theme_role_line(t, ROLE_ERROR), 0);
	assert_spec(theme_role(t, ROLE_OK), THEME_COLOUR_INDEX, 2,
	    THEME_COLOUR_INDEX, 0, THEME_BOLD);
	theme_free(t);
	free(path);
}

/* Everything else that can be wrong in a file, each on its line. */
static void
test_load_file_mistakes(void **state)
{
	struct fixture	*fx = *state;
	struct theme	*t;
	char		*path, *text, *longline;
	size_t		 n;

	longline = xmalloc(400);
	memset(longline, 'x', 399);
	longline[399] = '\0';
	text = xasprintf(
	    "stray = red\n"			/* 1 */
	    "[theme]\n"				/* 2 */
	    "name = mistakes\n"			/* 3 */
	    "author = someone\n"		/* 4 */
	    "[roles]\n"				/* 5 */
	    "default = white on black\n"	/* 6 */
	    "this line has no equals sign\n"	/* 7 */
	    "= blue\n"				/* 8 */
	    "error =\n"				/* 9 */
	    "[colours\n"			/* 10 */
	    "ok = green\n"			/* 11: under the bad header */
	    "[extra]\n"				/* 12 */
	    "foo = bar\n"			/* 13: reported with [extra] */
	    "[roles]\n"				/* 14 */
	    "title = %s\n"			/* 15 */
	    "link = blue underline\n"		/* 16 */
	    "link = cyan underline\n",		/* 17 */
	    longline);
	path = put(fx->tmp, "mistakes.theme", text);
	t = load_ok(path);
	theme_warnings(t, &n);
	assert_warning(t, path, 1, "'stray' is outside any section");
	assert_warning(t, path, 4, "unknown key 'author' in [theme] "
	    "(expected name or description)");
	assert_warning(t, path, 7, "'this line has no equals sign' is not");
	assert_warning(t, path, 8, "missing key before '='");
	assert_warning(t, path, 9, "empty spec");
	assert_warning(t, path, 10, "missing ']'");
	assert_warning(t, path, 12, "unknown section [extra] (expected "
	    "[theme] or [roles])");
	assert_warning(t, path, 15, "line too long");
	assert_warning(t, path, 17, "link set again (first on line 16");
	assert_int_equal(n, 9);
	assert_string_equal(theme_name(t), "mistakes");
	assert_int_equal(theme_role_line(t, ROLE_OK), 0);
	assert_spec(theme_role(t, ROLE_LINK), THEME_COLOUR_INDEX, 6,
	    THEME_COLOUR_INDEX, 0, THEME_UNDERLINE);
	assert_int_equal(theme_role_line(t, ROLE_LINK), 17);
	theme_free(t);
	free(path);
	free(text);
	free(longline);
}

static void
test_load_not_a_theme(void **state)
{
	struct fixture	*fx = *state;
	struct theme	*t;
	char		*path, *want;
	size_t		 n;
	const char *const *w;

	path = put(fx->tmp, "empty.theme", "");
	t = load_ok(path);
	w = theme_warnings(t, &n);
	assert_int_equal(n, 1);
	want = xasprintf("%s: no [roles] section", path);
	assert_true(strncmp(w[0], want, strlen(want)) == 0);
	assert_spec(theme_role(t, ROLE_SELECTION), THEME_COLOUR_DEFAULT, 0,
	    THEME_COLOUR_DEFAULT, 0, 0);
	theme_free(t);
	free(want);
	free(path);
}

static void
test_load_unreadable(void **state)
{
	struct fixture	*fx = *state;
	char		*cause = NULL, *path;

	path = xasprintf("%s/nothere.theme", fx->tmp);
	assert_null(theme_load(path, &cause));
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, strerror(ENOENT)));
	free(cause);
	cause = NULL;

	/* A directory opens but does not read. */
	assert_null(theme_load(fx->data, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "cannot read"));
	free(cause);
	cause = NULL;

	if (geteuid() != 0) {
		free(path);
		path = put(fx->tmp, "locked.theme", "[roles]\n");
		chmod(path, 0);
		assert_null(theme_load(path, &cause));
		assert_non_null(strstr(cause, strerror(EACCES)));
		free(cause);
	}
	free(path);
	theme_free(NULL);
}

static void
test_find_config_overrides_data(void **state)
{
	struct fixture	*fx = *state;
	struct theme	*t;
	char		*cause = NULL, **names;
	size_t		 n;

	free(put(fx->data, "themes/dark.theme",
	    "[theme]\nname = installed dark\n[roles]\n"));
	free(put(fx->data, "themes/light.theme",
	    "[theme]\nname = installed light\n[roles]\n"));
	free(put(fx->config, "lathe/themes/dark.theme",
	    "[theme]\nname = my dark\n[roles]\n"));
	free(put(fx->config, "lathe/themes/mine.theme", "[roles]\n"));
	free(put(fx->config, "lathe/themes/notes.txt", "not a theme\n"));

	t = theme_find("dark", fx->data, &cause);
	assert_non_null(t);
	assert_string_equal(theme_name(t), "my dark");
	theme_free(t);
	t = theme_find("light", fx->data, &cause);
	assert_non_null(t);
	assert_string_equal(theme_name(t), "installed light");
	theme_free(t);
	/* Without a data directory, only the config directory. */
	t = theme_find("mine", NULL, &cause);
	assert_non_null(t);
	assert_string_equal(theme_name(t), "mine");
	theme_free(t);
	assert_null(theme_find("light", NULL, &cause));
	free(cause);

	names = theme_list(fx->data, &n);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "dark");
	assert_string_equal(names[1], "light");
	assert_string_equal(names[2], "mine");
	assert_null(names[3]);
	theme_list_free(names);
}

static void
test_find_unknown_lists_names(void **state)
{
	struct fixture	*fx = *state;
	char		*cause = NULL, *want;

	free(put(fx->data, "themes/beta.theme", "[roles]\n"));
	free(put(fx->config, "lathe/themes/alpha.theme", "[roles]\n"));
	assert_null(theme_find("gamma", fx->data, &cause));
	want = xasprintf("no theme 'gamma' in %s/lathe/themes or "
	    "%s/themes; available: alpha, beta", fx->config, fx->data);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

static void
test_find_nothing_installed(void **state)
{
	struct fixture	*fx = *state;
	char		*cause = NULL, **names;
	size_t		 n;

	assert_null(theme_find("dark", fx->data, &cause));
	assert_non_null(strstr(cause, "no theme 'dark'"));
	assert_non_null(strstr(cause, "no themes are installed"));
	free(cause);
	names = theme_list(NULL, &n);
	assert_int_equal(n, 0);
	assert_null(names[0]);
	theme_list_free(names);
}

static void
test_find_bad_name(void **state)
{
	struct fixture	*fx = *state;
	static const char *const bad[] = {
		"", "../dark", "a/b", ".hidden", "dark theme", "x\n"
	};
	char		*cause = NULL;
	size_t		 i;

	free(put(fx->tmp, "outside.theme", "[roles]\n"));
	free(put(fx->data, "themes/.hidden.theme", "[roles]\n"));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_null(theme_find(bad[i], fx->data, &cause));
		assert_non_null(strstr(cause, "bad theme name"));
		free(cause);
		cause = NULL;
	}
	assert_null(theme_find("../outside", fx->data, &cause));
	free(cause);
}

/* A bad theme that exists is loaded, with its warnings. */
static void
test_find_loads_with_warnings(void **state)
{
	struct fixture	*fx = *state;
	struct theme	*t;
	char		*cause = NULL;
	size_t		 n;

	free(put(fx->data, "themes/odd.theme", "[roles]\nnope = red\n"));
	t = theme_find("odd", fx->data, &cause);
	assert_non_null(t);
	theme_warnings(t, &n);
	assert_int_equal(n, 1);
	theme_free(t);
}

static void
test_mode_detect(void **state)
{
	static const struct {
		const char	*no_color;
		const char	*colorterm;
		int		 colors;
		enum theme_mode	 want;
	} cases[] = {
		{ NULL, NULL, -1, THEME_MONO },
		{ NULL, NULL, 0, THEME_MONO },
		{ NULL, NULL, 2, THEME_MONO },
		{ NULL, NULL, 8, THEME_16 },
		{ NULL, NULL, 16, THEME_16 },
		{ NULL, NULL, 88, THEME_16 },
		{ NULL, NULL, 256, THEME_256 },
		{ NULL, "truecolor", 256, THEME_TRUECOLOR },
		{ NULL, "24bit", 256, THEME_TRUECOLOR },
		{ NULL, "TrueColor", 256, THEME_TRUECOLOR },
		{ NULL, "truecolor", 16, THEME_16 },
		{ NULL, "truecolor", 8, THEME_16 },
		{ NULL, "truecolor", -1, THEME_MONO },
		{ NULL, "yes", 256, THEME_256 },
		{ NULL, "", 256, THEME_256 },
		{ NULL, NULL, 0x1000000, THEME_TRUECOLOR },
		{ "1", NULL, 256, THEME_MONO },
		{ "1", "truecolor", 0x1000000, THEME_MONO },
		{ "anything", NULL, 16, THEME_MONO },
		{ "", NULL, 256, THEME_256 },
		{ "", "truecolor", 256, THEME_TRUECOLOR },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum theme_mode got = theme_mode_detect(cases[i].no_color,
		    cases[i].colorterm, cases[i].colors, 0);

		if (got != cases[i].want) {
			fail_msg("case %zu (NO_COLOR=%s COLORTERM=%s colors=%d)"
			    ": %s, want %s", i,
			    cases[i].no_color ? cases[i].no_color : "(unset)",
			    cases[i].colorterm ? cases[i].colorterm :
			    "(unset)", cases[i].colors, theme_mode_name(got),
			    theme_mode_name(cases[i].want));
		}
		/* Being able to redefine colours changes nothing. */
		assert_int_equal(theme_mode_detect(cases[i].no_color,
		    cases[i].colorterm, cases[i].colors, 1), got);
	}
}

static void
test_mode_names(void **state)
{
	assert_string_equal(theme_mode_name(THEME_MONO), "mono");
	assert_string_equal(theme_mode_name(THEME_16), "16");
	assert_string_equal(theme_mode_name(THEME_256), "256");
	assert_string_equal(theme_mode_name(THEME_TRUECOLOR), "truecolor");
}

static void
test_rgb_to_256(void **state)
{
	static const struct {
		int	rgb;
		int	want;
	} cases[] = {
		{ 0xff0000, 196 },
		{ 0x00ff00, 46 },
		{ 0x0000ff, 21 },
		{ 0x000000, 16 },
		{ 0xffffff, 231 },
		{ 0x808080, 244 },	/* the grey ramp has it exactly */
		{ 0x1c1c1c, 234 },
		{ 0xeeeeee, 255 },
		{ 0x080808, 232 },
		{ 0x5fafff, 75 },
		{ 0x005f87, 24 },
		{ 0x878787, 102 },	/* in the cube, not the ramp */
		{ 0x123456, 23 },	/* nearest is #005f5f */
		{ 0xfe0101, 196 },
		{ 0x7f7f7f, 244 },
		{ 0x030303, 16 },	/* black beats grey 232 */
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (theme_rgb_to_256(cases[i].rgb) != cases[i].want) {
			fail_msg("#%06x: %d, want %d", cases[i].rgb,
			    theme_rgb_to_256(cases[i].rgb), cases[i].want);
		}
	}
	/* Every colour 16-255 maps to itself. */
	for (i = 16; i < 256; i++)
		assert_int_equal(theme_rgb_to_256(xterm_rgb((int)i)), (int)i);
}

static void
test_rgb_to_16(void **state)
{
	static const struct {
		int	rgb;
		int	want;
	} cases[] = {
		{ 0xff0000, 9 },
		{ 0xcd0000, 1 },
		{ 0x800000, 1 },
		{ 0x000000, 0 },
		{ 0x1c1c1c, 0 },
		{ 0xffffff, 15 },
		{ 0xd0d0d0, 7 },
		{ 0x808080, 8 },
		{ 0x00cd00, 2 },
		{ 0x0000ee, 4 },
		{ 0x5fafff, 12 },
		{ 0xffff00, 11 },
		{ 0x00ffff, 14 },
		{ 0xff00ff, 13 },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (theme_rgb_to_16(cases[i].rgb) != cases[i].want) {
			fail_msg("#%06x: %d, want %d", cases[i].rgb,
			    theme_rgb_to_16(cases[i].rgb), cases[i].want);
		}
	}
}

static void
test_index_to_16(void **state)
{
	int	i;

	for (i = 0; i < 16; i++)
		assert_int_equal(theme_index_to_16(i), i);
	assert_int_equal(theme_index_to_16(16), 0);	/* #000000 */
	assert_int_equal(theme_index_to_16(196), 9);	/* #ff0000 */
	assert_int_equal(theme_index_to_16(226), 11);	/* #ffff00 */
	assert_int_equal(theme_index_to_16(231), 15);	/* #ffffff */
	assert_int_equal(theme_index_to_16(232), 0);	/* #080808 */
	assert_int_equal(theme_index_to_16(244), 8);	/* #808080 */
	assert_int_equal(theme_index_to_16(255), 7);	/* #eeeeee */
	for (i = 0; i < 256; i++)
		assert_in_range(theme_index_to_16(i), 0, 15);
}

/* Before theme_apply, attributes are the monochrome ones. */
static void
test_attr_before_apply(void **state)
{
	assert_true(theme_attr(ROLE_SELECTION) & A_REVERSE);
	assert_true(theme_attr(ROLE_TITLE) & A_BOLD);
	assert_true(theme_attr(ROLE_HEADING) & A_BOLD);
	assert_true(theme_attr(ROLE_KEYWORD) & A_BOLD);
	assert_true(theme_attr(ROLE_LINK) & A_UNDERLINE);
	assert_true(theme_attr(ROLE_DIM) & A_DIM);
	assert_int_equal(theme_attr(ROLE_DEFAULT), 0);
	assert_int_equal(theme_attr(ROLE_KEYWORD) & A_COLOR, 0);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_shipped_load_clean),
		T(test_shipped_all_listed),
		T(test_shipped_16color_names_only),
		T(test_shipped_rgb_exact_in_256),
		T(test_shipped_selection_attrs),
		T(test_role_names),
		T(test_load_spec_forms),
		T(test_load_missing_role_is_default),
		T(test_load_no_default_role),
		T(test_load_bad_colour),
		T(test_load_unknown_role),
		T(test_load_unknown_attribute),
		T(test_load_file_mistakes),
		T(test_load_not_a_theme),
		T(test_load_unreadable),
		T(test_find_config_overrides_data),
		T(test_find_unknown_lists_names),
		T(test_find_nothing_installed),
		T(test_find_bad_name),
		T(test_find_loads_with_warnings),
		T(test_mode_detect),
		T(test_mode_names),
		T(test_rgb_to_256),
		T(test_rgb_to_16),
		T(test_index_to_16),
		T(test_attr_before_apply),
	};
#undef T

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
