/*
 * Unit tests for tui/conf.c: the user's config file written to a mkdtemp
 * directory, good and bad, and the line-numbered INI reading it shares
 * with the themes.
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

#include "conf.h"
#include "xmalloc.h"

struct fixture {
	char	*tmp;
	char	*path;		/* tmp/config, not written yet */
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static int
setup(void **state)
{
	struct fixture	*fx = xcalloc(1, sizeof *fx);
	char		 tmpl[] = "/tmp/test_conf.XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		return -1;
	fx->tmp = xstrdup(tmpl);
	fx->path = xasprintf("%s/config", fx->tmp);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	nftw(fx->tmp, rm_one, 16, FTW_PHYS | FTW_DEPTH);
	free(fx->tmp);
	free(fx->path);
	free(fx);
	return 0;
}

static void
put(const char *path, const char *text)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static struct conf *
load(struct fixture *fx, const char *text)
{
	put(fx->path, text);
	return conf_load(fx->path);
}

static void
assert_defaults(const struct conf *conf)
{
	assert_string_equal(conf->theme, "dark");
	assert_int_equal(conf->mouse, 1);
	assert_int_equal(conf->chart_style, CONF_CHART_AUTO);
	assert_int_equal(conf->nbinds, 0);
}

static void
assert_no_errors(const struct conf *conf)
{
	if (conf->nerrors != 0)
		fail_msg("%zu errors, the first: %s", conf->nerrors,
		    conf->errors[0]);
}

/* errors[i] is "PATH:LINE: what..." */
static void
assert_error(const struct conf *conf, size_t i, const char *path, int line,
    const char *what)
{
	char	*want = xasprintf("%s:%d: %s", path, line, what);

	assert_true(i < conf->nerrors);
	if (strncmp(conf->errors[i], want, strlen(want)) != 0)
		fail_msg("error %zu is '%s', want '%s...'", i, conf->errors[i],
		    want);
	free(want);
}

static void
assert_bind(const struct conf_bind *b, const char *key, const char *action,
    const char *file, int line)
{
	assert_string_equal(b->key, key);
	assert_string_equal(b->action, action);
	assert_string_equal(b->file, file);
	assert_int_equal(b->line, line);
}

static void
test_missing_file(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;

	conf = conf_load(fx->path);
	assert_defaults(conf);
	assert_no_errors(conf);
	conf_free(conf);
	conf_free(NULL);
}

/* conf_load(NULL) reads $XDG_CONFIG_HOME/lathe/config. */
static void
test_default_path(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;
	char		*dir, *path;

	setenv("XDG_CONFIG_HOME", fx->tmp, 1);
	conf = conf_load(NULL);
	assert_defaults(conf);
	assert_no_errors(conf);
	conf_free(conf);

	dir = xasprintf("%s/lathe", fx->tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	path = xasprintf("%s/config", dir);
	put(path, "[ui]\ntheme = light\n");
	conf = conf_load(NULL);
	assert_no_errors(conf);
	assert_string_equal(conf->theme, "light");
	conf_free(conf);
	free(path);
	free(dir);
}

static void
test_all_keys(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;

	conf = load(fx,
	    "; lathe config\n"
	    "# another comment\n"
	    "\n"
	    "[ui]\n"
	    "theme = high-contrast\n"
	    "mouse = off\n"
	    "chart_style = ascii ; for a plain terminal\n"
	    "[keys]\n"
	    "bind = C-r refresh    ; bind = KEY ACTION\n"
	    "bind = x files.delete\n");
	assert_no_errors(conf);
	assert_string_equal(conf->theme, "high-contrast");
	assert_int_equal(conf->mouse, 0);
	assert_int_equal(conf->chart_style, CONF_CHART_ASCII);
	assert_int_equal(conf->nbinds, 2);
	assert_bind(&conf->binds[0], "C-r", "refresh", fx->path, 9);
	assert_bind(&conf->binds[1], "x", "files.delete", fx->path, 10);
	conf_free(conf);
}

/* Sections and keys in any case, ':' for '=', blanks anywhere. */
static void
test_lenient_forms(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;

	conf = load(fx,
	    "\xef\xbb\xbf[UI]\r\n"
	    "  Theme: light\r\n"
	    "\tCHART_STYLE   =   Block\r\n"
	    "  [ keys ]\n"
	    "bind =   <PgDn>\t\tpage.down  \n");
	assert_no_errors(conf);
	assert_string_equal(conf->theme, "light");
	assert_int_equal(conf->chart_style, CONF_CHART_BLOCK);
	assert_int_equal(conf->nbinds, 1);
	assert_bind(&conf->binds[0], "<PgDn>", "page.down", fx->path, 5);
	conf_free(conf);
}

static void
test_bool_values(void **state)
{
	static const struct {
		const char	*text;
		int		 want;
	} cases[] = {
		{ "on", 1 }, { "off", 0 }, { "true", 1 }, { "false", 0 },
		{ "yes", 1 }, { "no", 0 }, { "1", 1 }, { "0", 0 },
		{ "ON", 1 }, { "False", 0 },
	};
	struct fixture	*fx = *state;
	struct conf	*conf;
	char		*text;
	size_t		 i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* Start from the opposite, so that the line must count. */
		text = xasprintf("[ui]\nmouse = %s\nmouse = %s\n",
		    cases[i].want ? "off" : "on", cases[i].text);
		conf = load(fx, text);
		assert_no_errors(conf);
		assert_int_equal(conf->mouse, cases[i].want);
		conf_free(conf);
		free(text);
	}
}

static void
test_chart_styles(void **state)
{
	static const char *const names[] = { "braille", "block", "ascii",
	    "auto" };
	struct fixture	*fx = *state;
	struct conf	*conf;
	char		*text;
	size_t		 i;

	for (i = 0; i < 4; i++) {
		text = xasprintf("[ui]\nchart_style = %s\n", names[i]);
		conf = load(fx, text);
		assert_no_errors(conf);
		assert_int_equal(conf->chart_style, (int)i);
		assert_string_equal(conf_chart_name(conf->chart_style),
		    names[i]);
		conf_free(conf);
		free(text);
	}
}

/* Each mistake reported on its line, the good lines around it loaded. */
static void
test_errors_and_good_lines(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;
	const char	*p;

	conf = load(fx,
	    "[ui]\n"				/* 1 */
	    "theme = light\n"			/* 2 */
	    "colour = red\n"			/* 3 */
	    "mouse = maybe\n"			/* 4 */
	    "chart_style = sparkles\n"		/* 5 */
	    "[keys]\n"				/* 6 */
	    "bind = C-r refresh\n"		/* 7 */
	    "bind = x\n"			/* 8 */
	    "bind = a b c\n"			/* 9 */
	    "bind =\n"				/* 10 */
	    "unbind = x\n"			/* 11 */
	    "bind = q quit\n");			/* 12 */
	p = fx->path;
	assert_int_equal(conf->nerrors, 7);
	assert_error(conf, 0, p, 3, "unknown key 'colour' in [ui] (expected "
	    "theme, mouse or chart_style)");
	assert_error(conf, 1, p, 4, "bad value 'maybe' for mouse (expected "
	    "on, off, true, false, yes, no, 1 or 0)");
	assert_error(conf, 2, p, 5, "bad value 'sparkles' for chart_style "
	    "(expected braille, block, ascii or auto)");
	assert_error(conf, 3, p, 8, "bad bind 'x' (expected: bind = KEY "
	    "ACTION)");
	assert_error(conf, 4, p, 9, "bad bind 'a b c' (expected: bind = KEY "
	    "ACTION)");
	assert_error(conf, 5, p, 10, "bad bind '' (expected: bind = KEY "
	    "ACTION)");
	assert_error(conf, 6, p, 11, "unknown key 'unbind' in [keys] "
	    "(expected bind)");
	assert_string_equal(conf->theme, "light");
	assert_int_equal(conf->mouse, 1);
	assert_int_equal(conf->chart_style, CONF_CHART_AUTO);
	assert_int_equal(conf->nbinds, 2);
	assert_bind(&conf->binds[0], "C-r", "refresh", p, 7);
	assert_bind(&conf->binds[1], "q", "quit", p, 12);
	conf_free(conf);
}

static void
test_syntax_errors(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;
	const char	*p;
	char		*text, *longline;

	longline = xmalloc(300);
	memset(longline, 'k', 299);
	longline[299] = '\0';
	text = xasprintf(
	    "mouse = off\n"			/* 1 */
	    "[ui]\n"				/* 2 */
	    "just some words\n"			/* 3 */
	    "= light\n"				/* 4 */
	    "theme = \n"			/* 5 */
	    "theme = two words\n"		/* 6 */
	    "[colours]\n"			/* 7 */
	    "red = 1\n"				/* 8: skipped with [colours] */
	    "[keys\n"				/* 9 */
	    "bind = y yank\n"			/* 10: skipped */
	    "[keys]\n"				/* 11 */
	    "bind = C-l %s\n"			/* 12 */
	    "bind = C-l redraw\n",		/* 13 */
	    longline);
	conf = load(fx, text);
	p = fx->path;
	assert_int_equal(conf->nerrors, 8);
	assert_error(conf, 0, p, 1, "'mouse' is outside any section "
	    "(expected [ui] or [keys] first)");
	assert_error(conf, 1, p, 3, "'just some words' is not KEY = VALUE");
	assert_error(conf, 2, p, 4, "missing key before '='");
	assert_error(conf, 3, p, 5, "bad theme '' (expected a theme's name");
	assert_error(conf, 4, p, 6, "bad theme 'two words'");
	assert_error(conf, 5, p, 7, "unknown section [colours] (expected "
	    "[ui] or [keys])");
	assert_error(conf, 6, p, 9, "missing ']'");
	assert_error(conf, 7, p, 12, "line too long");
	assert_string_equal(conf->theme, "dark");
	assert_int_equal(conf->mouse, 1);
	assert_int_equal(conf->nbinds, 1);
	assert_bind(&conf->binds[0], "C-l", "redraw", p, 13);
	conf_free(conf);
	free(text);
	free(longline);
}

static void
test_binds_in_order(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;
	const char	*p;

	conf = load(fx,
	    "[keys]\n"
	    "bind = j down\n"
	    "bind = j up\n"
	    "[ui]\n"
	    "mouse = no\n"
	    "[keys]\n"
	    "bind = : palette\n"
	    "bind = C-r refresh\n"
	    "bind = j down\n");
	p = fx->path;
	assert_no_errors(conf);
	assert_int_equal(conf->nbinds, 5);
	assert_bind(&conf->binds[0], "j", "down", p, 2);
	assert_bind(&conf->binds[1], "j", "up", p, 3);
	assert_bind(&conf->binds[2], ":", "palette", p, 7);
	assert_bind(&conf->binds[3], "C-r", "refresh", p, 8);
	assert_bind(&conf->binds[4], "j", "down", p, 9);
	assert_int_equal(conf->mouse, 0);
	conf_free(conf);
}

/* Leading blanks never continue the line before (inih would). */
static void
test_no_continuation(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;

	conf = load(fx,
	    "[keys]\n"
	    "bind = j down\n"
	    "    k up\n"
	    "  bind = l right\n");
	assert_int_equal(conf->nerrors, 1);
	assert_error(conf, 0, fx->path, 3, "'k up' is not KEY = VALUE");
	assert_int_equal(conf->nbinds, 2);
	assert_bind(&conf->binds[1], "l", "right", fx->path, 4);
	conf_free(conf);
}

static void
test_unreadable(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;

	/* A directory where the file should be. */
	assert_int_equal(mkdir(fx->path, 0700), 0);
	conf = conf_load(fx->path);
	assert_defaults(conf);
	assert_int_equal(conf->nerrors, 1);
	assert_non_null(strstr(conf->errors[0], "cannot read"));
	assert_non_null(strstr(conf->errors[0], fx->path));
	conf_free(conf);
	assert_int_equal(rmdir(fx->path), 0);

	/* A file we may not read (root reads anything: skip). */
	if (geteuid() == 0)
		return;
	put(fx->path, "[ui]\ntheme = light\n");
	chmod(fx->path, 0);
	conf = conf_load(fx->path);
	assert_defaults(conf);
	assert_int_equal(conf->nerrors, 1);
	assert_non_null(strstr(conf->errors[0], strerror(EACCES)));
	conf_free(conf);
}

static void
test_binary_file(void **state)
{
	struct fixture	*fx = *state;
	struct conf	*conf;
	static const char text[] =
	    "[ui]\nmouse = off\n\0\x01\x02\n[ui]\ntheme = light\n";
	FILE		*f;

	f = fopen(fx->path, "w");
	assert_non_null(f);
	fwrite(text, 1, sizeof text - 1, f);
	fclose(f);
	conf = conf_load(fx->path);
	assert_int_equal(conf->nerrors, 1);
	assert_error(conf, 0, fx->path, 3, "a NUL byte");
	assert_int_equal(conf->mouse, 0);
	assert_string_equal(conf->theme, "light");
	conf_free(conf);
}

/* What conf_ini_parse handed over, as "LINE [SECTION] KEY=VALUE|" ... */
struct seen {
	char	text[512];
};

static char *
record(void *arg, int line, const char *section, const char *key,
    const char *value)
{
	struct seen	*out = arg;
	size_t		 n = strlen(out->text);

	snprintf(out->text + n, sizeof out->text - n, "%d [%s] %s=%s|", line,
	    section, key != NULL ? key : "(section)",
	    value != NULL ? value : "");
	if (key == NULL && strcmp(section, "skip") == 0)
		return xstrdup("not this one");
	return NULL;
}

/* The INI reader on its own: what the handler sees, line by line. */
static void
test_ini_parse(void **state)
{
	struct fixture	*fx = *state;
	struct seen	 out = { "" };
	char		**errors = NULL, *cause = NULL;
	size_t		 nerrors = 0, i;
	FILE		*f;

	put(fx->path,
	    "top = 1\n"
	    "[a]\n"
	    "k = v ; comment\n"
	    "k2 = x;y\n"
	    "[skip]\n"
	    "hidden = 1\n"
	    "[b]\n"
	    "url = http://example.org\n");
	f = fopen(fx->path, "r");
	assert_int_equal(conf_ini_parse(f, "NAME", record, &out, &errors,
	    &nerrors, &cause), 0);
	fclose(f);
	assert_string_equal(out.text,
	    "1 [] top=1|2 [a] (section)=|3 [a] k=v|4 [a] k2=x;y|"
	    "5 [skip] (section)=|7 [b] (section)=|"
	    "8 [b] url=http://example.org|");
	assert_int_equal(nerrors, 1);
	assert_string_equal(errors[0], "NAME:5: not this one");
	for (i = 0; i < nerrors; i++)
		free(errors[i]);
	free(errors);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_missing_file),
		T(test_default_path),
		T(test_all_keys),
		T(test_lenient_forms),
		T(test_bool_values),
		T(test_chart_styles),
		T(test_errors_and_good_lines),
		T(test_syntax_errors),
		T(test_binds_in_order),
		T(test_no_continuation),
		T(test_unreadable),
		T(test_binary_file),
		T(test_ini_parse),
	};
#undef T

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
