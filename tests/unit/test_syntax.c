/*
 * Unit tests of the syntax highlighter (tui/syntax.c): the roles of
 * concrete bytes in each language, state carried over lines, detection by
 * name and shebang, and random bytes that must neither crash nor be read
 * past the length given.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "role.h"
#include "syntax.h"

#define LINE_MAX_TEST	4096

static unsigned char	roles[LINE_MAX_TEST];

/* Highlight one line, carrying *state. */
static void
hl(enum syntax_lang lang, const char *line, int *state)
{
	size_t	len = strlen(line);

	assert_true(len < LINE_MAX_TEST);
	memset(roles, 0xff, sizeof roles);
	syntax_line(lang, line, len, roles, state);
	/* Nothing written past the end. */
	assert_int_equal(roles[len], 0xff);
}

/* Offset of the nth (from 0) occurrence of what in line. */
static size_t
at_n(const char *line, const char *what, int nth)
{
	const char	*p = line;

	for (;;) {
		p = strstr(p, what);
		assert_non_null(p);
		if (nth-- == 0)
			return (size_t)(p - line);
		p++;
	}
}

static size_t
at(const char *line, const char *what)
{
	return at_n(line, what, 0);
}

/* Assert that the n bytes from off all have role. */
static void
expect(size_t off, size_t n, enum role role)
{
	size_t	i;

	for (i = off; i < off + n; i++) {
		if (roles[i] != role)
			fail_msg("byte %zu: role %d, want %d", i, roles[i],
			    role);
	}
}

/* Assert that the text what (first occurrence) has role. */
static void
expect_at(const char *line, const char *what, enum role role)
{
	expect(at(line, what), strlen(what), role);
}

static void
test_python_def(void **state)
{
	const char	*l = "def f(x): return \"a\" # c";
	int		 st = 0;

	hl(SYNTAX_PYTHON, l, &st);
	expect(0, 3, ROLE_KEYWORD);
	expect(4, 1, ROLE_FUNCTION);
	expect(5, 1, ROLE_DEFAULT);		/* ( */
	expect(6, 1, ROLE_DEFAULT);		/* x */
	expect_at(l, "return", ROLE_KEYWORD);
	expect_at(l, "\"a\"", ROLE_STRING);
	expect_at(l, "# c", ROLE_COMMENT);
	assert_int_equal(st, 0);
}

static void
test_python_class_decorator(void **state)
{
	const char	*l1 = "@app.route", *l2 = "class Model(Base):";
	const char	*l3 = "x = None if True else False";
	int		 st = 0;

	hl(SYNTAX_PYTHON, l1, &st);
	expect(0, strlen(l1), ROLE_FUNCTION);
	hl(SYNTAX_PYTHON, l2, &st);
	expect(0, 5, ROLE_KEYWORD);
	expect_at(l2, "Model", ROLE_FUNCTION);
	expect_at(l2, "Base", ROLE_DEFAULT);
	hl(SYNTAX_PYTHON, l3, &st);
	expect_at(l3, "None", ROLE_KEYWORD);
	expect_at(l3, "True", ROLE_KEYWORD);
	expect_at(l3, "False", ROLE_KEYWORD);
	expect_at(l3, "=", ROLE_OPERATOR);
	expect_at(l3, "x", ROLE_DEFAULT);
}

static void
test_python_strings(void **state)
{
	const char	*l = "a = f\"{x}\" + r'\\d' + rb\"\\x00\" + "
			    "'it\\'s' + b";
	int		 st = 0;

	hl(SYNTAX_PYTHON, l, &st);
	expect_at(l, "f\"{x}\"", ROLE_STRING);
	expect_at(l, "r'\\d'", ROLE_STRING);
	expect_at(l, "rb\"\\x00\"", ROLE_STRING);
	expect_at(l, "'it\\'s'", ROLE_STRING);	/* escaped quote inside */
	expect(strlen(l) - 1, 1, ROLE_DEFAULT);	/* b after the strings */
	assert_int_equal(st, 0);
}

static void
test_python_numbers(void **state)
{
	const char	*l = "n = 0x1F + 1.5e-3 + 3j + 1_000 + .5 + x1 + y_2";
	int		 st = 0;

	hl(SYNTAX_PYTHON, l, &st);
	expect_at(l, "0x1F", ROLE_NUMBER);
	expect_at(l, "1.5e-3", ROLE_NUMBER);
	expect_at(l, "3j", ROLE_NUMBER);
	expect_at(l, "1_000", ROLE_NUMBER);
	expect(at(l, " .5") + 1, 2, ROLE_NUMBER);
	expect(at(l, " x1") + 1, 2, ROLE_DEFAULT); /* not in identifiers */
	expect_at(l, "y_2", ROLE_DEFAULT);
}

static void
test_python_triple(void **state)
{
	const char	*l1 = "s = \"\"\"first # not a comment";
	const char	*l2 = "middle 'quote' def";
	const char	*l3 = "end\"\"\" + 1 # c";
	int		 st = 0;

	hl(SYNTAX_PYTHON, l1, &st);
	expect(at(l1, "\"\"\""), strlen(l1) - at(l1, "\"\"\""), ROLE_STRING);
	assert_int_not_equal(st, 0);
	hl(SYNTAX_PYTHON, l2, &st);
	expect(0, strlen(l2), ROLE_STRING);
	assert_int_not_equal(st, 0);
	hl(SYNTAX_PYTHON, l3, &st);
	expect(0, at(l3, " +"), ROLE_STRING);
	expect_at(l3, "+", ROLE_OPERATOR);
	expect_at(l3, "1", ROLE_NUMBER);
	expect_at(l3, "# c", ROLE_COMMENT);
	assert_int_equal(st, 0);

	/* ''' does not end at """. */
	st = 0;
	hl(SYNTAX_PYTHON, "x = '''a", &st);
	hl(SYNTAX_PYTHON, "b \"\"\" c", &st);
	expect(0, 7, ROLE_STRING);
	assert_int_not_equal(st, 0);
	hl(SYNTAX_PYTHON, "'''", &st);
	assert_int_equal(st, 0);
}

static void
test_r(void **state)
{
	const char	*l = "f <- function(x) if (TRUE) NULL else NA # c";
	const char	*l2 = "y <- x %in% c(1L, 2.5, FALSE) |> sum()";
	int		 st = 0;

	hl(SYNTAX_R, l, &st);
	expect(0, 1, ROLE_FUNCTION);
	expect_at(l, "<-", ROLE_OPERATOR);
	expect_at(l, "function", ROLE_KEYWORD);
	expect_at(l, "if", ROLE_KEYWORD);
	expect_at(l, "TRUE", ROLE_KEYWORD);
	expect_at(l, "NULL", ROLE_KEYWORD);
	expect_at(l, "else", ROLE_KEYWORD);
	expect(at(l, "NA "), 2, ROLE_KEYWORD);
	expect_at(l, "# c", ROLE_COMMENT);
	hl(SYNTAX_R, l2, &st);
	expect(0, 1, ROLE_DEFAULT);
	expect_at(l2, "%in%", ROLE_OPERATOR);
	expect_at(l2, "1L", ROLE_NUMBER);
	expect_at(l2, "2.5", ROLE_NUMBER);
	expect_at(l2, "FALSE", ROLE_KEYWORD);
	expect_at(l2, "|>", ROLE_OPERATOR);
	expect_at(l2, "sum", ROLE_DEFAULT);
	expect_at(l2, "c(", ROLE_DEFAULT);
}

static void
test_r_strings(void **state)
{
	const char	*l1 = "s <- \"multi # not comment";
	const char	*l2 = "line\" # c";
	const char	*l3 = "r <- r\"(a \"quoted\" b)\" + 1";
	int		 st = 0;

	hl(SYNTAX_R, l1, &st);
	expect(at(l1, "\""), strlen(l1) - at(l1, "\""), ROLE_STRING);
	assert_int_not_equal(st, 0);
	hl(SYNTAX_R, l2, &st);
	expect(0, 5, ROLE_STRING);
	expect_at(l2, "# c", ROLE_COMMENT);
	assert_int_equal(st, 0);
	hl(SYNTAX_R, l3, &st);
	expect(at(l3, "r\""), at(l3, " +") - at(l3, "r\""), ROLE_STRING);
	expect_at(l3, "1", ROLE_NUMBER);
}

static void
test_sql(void **state)
{
	const char	*l = "SELECT count(*), name FROM users WHERE note = "
			    "'it''s' AND id >= 42 -- c";
	const char	*l2 = "select Name from T where x is not null";
	int		 st = 0;

	hl(SYNTAX_SQL, l, &st);
	expect_at(l, "SELECT", ROLE_KEYWORD);
	expect_at(l, "count", ROLE_FUNCTION);
	expect_at(l, "name", ROLE_DEFAULT);
	expect_at(l, "FROM", ROLE_KEYWORD);
	expect_at(l, "'it''s'", ROLE_STRING);
	expect_at(l, "AND", ROLE_KEYWORD);
	expect_at(l, ">=", ROLE_OPERATOR);
	expect_at(l, "42", ROLE_NUMBER);
	expect_at(l, "-- c", ROLE_COMMENT);
	hl(SYNTAX_SQL, l2, &st);
	expect_at(l2, "select", ROLE_KEYWORD);	/* any case */
	expect_at(l2, "from", ROLE_KEYWORD);
	expect_at(l2, "is", ROLE_KEYWORD);
	expect_at(l2, "not", ROLE_KEYWORD);
	expect_at(l2, "null", ROLE_KEYWORD);
	expect_at(l2, "Name", ROLE_DEFAULT);
}

static void
test_sql_block_comment(void **state)
{
	const char	*l1 = "select 1; /* start 'not a string'";
	const char	*l2 = "select still comment";
	const char	*l3 = "end */ select \"from\" from t";
	int		 st = 0;

	hl(SYNTAX_SQL, l1, &st);
	expect_at(l1, "select", ROLE_KEYWORD);
	expect(at(l1, "/*"), strlen(l1) - at(l1, "/*"), ROLE_COMMENT);
	assert_int_not_equal(st, 0);
	hl(SYNTAX_SQL, l2, &st);
	expect(0, strlen(l2), ROLE_COMMENT);
	hl(SYNTAX_SQL, l3, &st);
	expect(0, 6, ROLE_COMMENT);
	expect_at(l3, "select", ROLE_KEYWORD);
	expect_at(l3, "\"from\"", ROLE_DEFAULT);	/* a quoted name */
	expect(at_n(l3, "from", 1), 4, ROLE_KEYWORD);
	assert_int_equal(st, 0);
}

static void
test_shell(void **state)
{
	const char	*l = "for f in *.txt; do echo \"$f ${HOME:-/}\" "
			    "'no $x' a#b $1 2>&1 # c";
	const char	*l2 = "done";
	const char	*l3 = "deploy() { local x=$PATH; }";
	int		 st = 0;

	hl(SYNTAX_SHELL, l, &st);
	expect_at(l, "for", ROLE_KEYWORD);
	expect(at(l, " f ") + 1, 1, ROLE_DEFAULT);
	expect_at(l, "in", ROLE_KEYWORD);
	expect_at(l, ";", ROLE_OPERATOR);
	expect_at(l, "do", ROLE_KEYWORD);
	expect_at(l, "echo", ROLE_DEFAULT);
	expect(at(l, "\"$f"), 1, ROLE_STRING);
	expect_at(l, "$f", ROLE_FUNCTION);
	expect_at(l, "${HOME:-/}", ROLE_FUNCTION);
	expect_at(l, "'no $x'", ROLE_STRING);	/* no expansion in '' */
	expect_at(l, "a#b", ROLE_DEFAULT);	/* # inside a word */
	expect_at(l, "$1", ROLE_FUNCTION);
	expect_at(l, ">&1", ROLE_OPERATOR);
	expect_at(l, "# c", ROLE_COMMENT);
	hl(SYNTAX_SHELL, l2, &st);
	expect(0, 4, ROLE_KEYWORD);
	hl(SYNTAX_SHELL, l3, &st);
	expect_at(l3, "deploy", ROLE_FUNCTION);
	expect_at(l3, "local", ROLE_KEYWORD);
	expect_at(l3, "$PATH", ROLE_FUNCTION);
	assert_int_equal(st, 0);
	/* A keyword is a keyword only where a command starts. */
	hl(SYNTAX_SHELL, "echo done if", &st);
	expect(5, 7, ROLE_DEFAULT);
}

static void
test_shell_multiline_string(void **state)
{
	int	st = 0;

	hl(SYNTAX_SHELL, "msg=\"one $x", &st);
	assert_int_not_equal(st, 0);
	hl(SYNTAX_SHELL, "two # $y\" # c", &st);
	expect(0, 4, ROLE_STRING);
	expect(4, 1, ROLE_STRING);		/* # inside the string */
	expect(6, 2, ROLE_FUNCTION);
	expect(8, 1, ROLE_STRING);
	expect(10, 3, ROLE_COMMENT);
	assert_int_equal(st, 0);
}

static void
test_json(void **state)
{
	const char	*l = "{\"key\": \"value\", \"n\": -1.5e3, "
			    "\"t\": true, "
			    "\"z\": null, \"a\": [\"s\\\"q\", 2]}";
	int		 st = 0;

	hl(SYNTAX_JSON, l, &st);
	expect_at(l, "\"key\"", ROLE_KEYWORD);
	expect_at(l, "\"value\"", ROLE_STRING);
	expect_at(l, "\"n\"", ROLE_KEYWORD);
	expect_at(l, "-1.5e3", ROLE_NUMBER);
	expect_at(l, "true", ROLE_NUMBER);
	expect_at(l, "null", ROLE_NUMBER);
	expect_at(l, "\"s\\\"q\"", ROLE_STRING);
	expect(at(l, "2]"), 1, ROLE_NUMBER);
	expect_at(l, "{", ROLE_DEFAULT);
	/* A key on a line of its own, as pretty-printed. */
	hl(SYNTAX_JSON, "  \"cells\" :", &st);
	expect(2, 7, ROLE_KEYWORD);
}

static void
test_yaml(void **state)
{
	const char	*l1 = "name: my-project  # the name";
	const char	*l2 = "  - key: &anchor 1.5";
	const char	*l3 = "ref: *anchor";
	const char	*l4 = "'quoted key': \"value\"";
	const char	*l5 = "flags: {debug: true, level: ~}";
	int		 st = 0;

	hl(SYNTAX_YAML, "---", &st);
	expect(0, 3, ROLE_OPERATOR);
	hl(SYNTAX_YAML, l1, &st);
	expect_at(l1, "name", ROLE_KEYWORD);
	expect_at(l1, ":", ROLE_OPERATOR);
	expect_at(l1, "my-project", ROLE_DEFAULT);
	expect_at(l1, "# the name", ROLE_COMMENT);
	hl(SYNTAX_YAML, l2, &st);
	expect_at(l2, "-", ROLE_OPERATOR);
	expect_at(l2, "key", ROLE_KEYWORD);
	expect_at(l2, "&anchor", ROLE_FUNCTION);
	expect_at(l2, "1.5", ROLE_NUMBER);
	hl(SYNTAX_YAML, l3, &st);
	expect_at(l3, "*anchor", ROLE_FUNCTION);
	hl(SYNTAX_YAML, l4, &st);
	expect_at(l4, "'quoted key'", ROLE_KEYWORD);
	expect_at(l4, "\"value\"", ROLE_STRING);
	hl(SYNTAX_YAML, l5, &st);
	expect_at(l5, "debug", ROLE_KEYWORD);
	expect_at(l5, "true", ROLE_NUMBER);
	expect_at(l5, "level", ROLE_KEYWORD);
	expect_at(l5, "~", ROLE_NUMBER);
	hl(SYNTAX_YAML, "...", &st);
	expect(0, 3, ROLE_OPERATOR);
}

static void
test_yaml_block_scalar(void **state)
{
	const char	*l1 = "  echo \"hi\" # not a comment";
	const char	*l2 = "  key: not a key";
	int		 st = 0;

	hl(SYNTAX_YAML, "script: |", &st);
	expect(8, 1, ROLE_OPERATOR);
	assert_int_not_equal(st, 0);
	hl(SYNTAX_YAML, l1, &st);
	expect(0, strlen(l1), ROLE_STRING);
	hl(SYNTAX_YAML, "", &st);
	hl(SYNTAX_YAML, l2, &st);
	expect(0, strlen(l2), ROLE_STRING);
	hl(SYNTAX_YAML, "after: 1", &st);
	expect(0, 5, ROLE_KEYWORD);
	expect(7, 1, ROLE_NUMBER);
	assert_int_equal(st, 0);
}

static void
test_markdown_source(void **state)
{
	const char	*l = "Some *emph* and **strong** and `code` and "
			    "[a link](http://x.org).";
	int		 st = 0;

	hl(SYNTAX_MARKDOWN, "## Title", &st);
	expect(0, 8, ROLE_HEADING);
	hl(SYNTAX_MARKDOWN, l, &st);
	expect_at(l, "Some", ROLE_DEFAULT);
	expect_at(l, "*emph*", ROLE_EMPH);
	expect_at(l, "**strong**", ROLE_STRONG);
	expect_at(l, "`code`", ROLE_CODE);
	expect_at(l, "[a link]", ROLE_LINK);
	expect_at(l, "(http://x.org)", ROLE_DIM);
	hl(SYNTAX_MARKDOWN, "- item with snake_case_name", &st);
	expect(0, 1, ROLE_LIST_MARK);
	expect(2, 25, ROLE_DEFAULT);		/* no emphasis in words */
	hl(SYNTAX_MARKDOWN, "> quoted", &st);
	expect(0, 1, ROLE_QUOTE);
}

static void
test_markdown_fence(void **state)
{
	int	st = 0;

	hl(SYNTAX_MARKDOWN, "```python", &st);
	expect(0, 9, ROLE_CODE);
	hl(SYNTAX_MARKDOWN, "def f(): return \"\"\"doc", &st);
	expect(0, 3, ROLE_KEYWORD);
	expect(4, 1, ROLE_FUNCTION);
	expect(5, 4, ROLE_CODE);		/* plain code is in code */
	hl(SYNTAX_MARKDOWN, "# still in the docstring", &st);
	expect(0, 24, ROLE_STRING);
	hl(SYNTAX_MARKDOWN, "\"\"\"", &st);
	hl(SYNTAX_MARKDOWN, "```", &st);
	expect(0, 3, ROLE_CODE);
	assert_int_equal(st, 0);
	hl(SYNTAX_MARKDOWN, "# Heading again", &st);
	expect(0, 15, ROLE_HEADING);

	/* An unknown language is plain code; ~~~ needs ~~~ to close. */
	hl(SYNTAX_MARKDOWN, "~~~ klingon", &st);
	hl(SYNTAX_MARKDOWN, "```", &st);
	expect(0, 3, ROLE_CODE);
	assert_int_not_equal(st, 0);
	hl(SYNTAX_MARKDOWN, "~~~~", &st);
	assert_int_equal(st, 0);
}

static void
test_detect_extension(void **state)
{
	assert_int_equal(syntax_detect("train.py", NULL), SYNTAX_PYTHON);
	assert_int_equal(syntax_detect("gui.pyw", NULL), SYNTAX_PYTHON);
	assert_int_equal(syntax_detect("dir.d/analysis.R", NULL), SYNTAX_R);
	assert_int_equal(syntax_detect("analysis.r", NULL), SYNTAX_R);
	assert_int_equal(syntax_detect("report.Rmd", NULL), SYNTAX_MARKDOWN);
	assert_int_equal(syntax_detect("q.sql", NULL), SYNTAX_SQL);
	assert_int_equal(syntax_detect("run.sh", NULL), SYNTAX_SHELL);
	assert_int_equal(syntax_detect("run.bash", NULL), SYNTAX_SHELL);
	assert_int_equal(syntax_detect("x/.zshrc", NULL), SYNTAX_SHELL);
	assert_int_equal(syntax_detect("a.json", NULL), SYNTAX_JSON);
	assert_int_equal(syntax_detect("nb.ipynb", NULL), SYNTAX_JSON);
	assert_int_equal(syntax_detect("c.yaml", NULL), SYNTAX_YAML);
	assert_int_equal(syntax_detect(".project-metadata.yml", NULL),
	    SYNTAX_YAML);
	assert_int_equal(syntax_detect("README.md", NULL), SYNTAX_MARKDOWN);
	assert_int_equal(syntax_detect("x.markdown", NULL), SYNTAX_MARKDOWN);
	assert_int_equal(syntax_detect("data.csv", NULL), SYNTAX_NONE);
	assert_int_equal(syntax_detect("Makefile", NULL), SYNTAX_NONE);
	assert_int_equal(syntax_detect(".py", NULL), SYNTAX_NONE);
	assert_int_equal(syntax_detect("trailing.", NULL), SYNTAX_NONE);
	assert_int_equal(syntax_detect(NULL, NULL), SYNTAX_NONE);
	/* The extension wins over the first line. */
	assert_int_equal(syntax_detect("x.py", "#!/bin/sh"), SYNTAX_PYTHON);
}

static void
test_detect_shebang(void **state)
{
	assert_int_equal(syntax_detect("run", "#!/usr/bin/env python3\nx"),
	    SYNTAX_PYTHON);
	assert_int_equal(syntax_detect("run", "#!/usr/bin/python3.11 -u"),
	    SYNTAX_PYTHON);
	assert_int_equal(syntax_detect(NULL, "#!/usr/bin/env Rscript"),
	    SYNTAX_R);
	assert_int_equal(syntax_detect("go", "#!/bin/sh"), SYNTAX_SHELL);
	assert_int_equal(syntax_detect("go", "#! /bin/bash -e"), SYNTAX_SHELL);
	assert_int_equal(syntax_detect("go", "#!/usr/bin/env -S zsh -f"),
	    SYNTAX_SHELL);
	assert_int_equal(syntax_detect("go", "#!/usr/bin/env LC_ALL=C bash"),
	    SYNTAX_SHELL);
	assert_int_equal(syntax_detect("go", "#!/usr/bin/perl"), SYNTAX_NONE);
	assert_int_equal(syntax_detect("go", "#!/usr/bin/env"), SYNTAX_NONE);
	assert_int_equal(syntax_detect("go", "#!"), SYNTAX_NONE);
	/* Only the first line counts. */
	assert_int_equal(syntax_detect("go", "#!\n/bin/sh"), SYNTAX_NONE);
	assert_int_equal(syntax_detect("go", "# python"), SYNTAX_NONE);
}

static void
test_lookup_and_names(void **state)
{
	assert_int_equal(syntax_lookup("python", 6), SYNTAX_PYTHON);
	assert_int_equal(syntax_lookup("Python", 6), SYNTAX_PYTHON);
	assert_int_equal(syntax_lookup("py extra", 8), SYNTAX_PYTHON);
	assert_int_equal(syntax_lookup("{r setup, echo=FALSE}", 21),
	    SYNTAX_R);
	assert_int_equal(syntax_lookup("console", 7), SYNTAX_SHELL);
	assert_int_equal(syntax_lookup("yml", 3), SYNTAX_YAML);
	assert_int_equal(syntax_lookup("pythonx", 7), SYNTAX_NONE);
	assert_int_equal(syntax_lookup("pyt", 3), SYNTAX_NONE);
	assert_int_equal(syntax_lookup("", 0), SYNTAX_NONE);
	/* Only len bytes count. */
	assert_int_equal(syntax_lookup("pyxyz", 2), SYNTAX_PYTHON);
	assert_int_equal(syntax_lookup("sqlite3", 3), SYNTAX_SQL);
	assert_string_equal(syntax_name(SYNTAX_PYTHON), "Python");
	assert_string_equal(syntax_name(SYNTAX_SQL), "SQL");
	assert_string_equal(syntax_name(SYNTAX_NONE), "text");
	assert_string_equal(syntax_name(SYNTAX_COUNT), "text");
}

static void
test_none_and_empty(void **state)
{
	int	st = 5;

	hl(SYNTAX_NONE, "def x", &st);
	expect(0, 5, ROLE_DEFAULT);
	assert_int_equal(st, 0);
	st = 0;
	syntax_line(SYNTAX_PYTHON, NULL, 0, roles, &st);
	assert_int_equal(st, 0);
	/* A state from elsewhere is not trusted. */
	st = 0x7fffffff;
	hl(SYNTAX_MARKDOWN, "text", &st);
	st = -3;
	hl(SYNTAX_SQL, "select", &st);
	expect(0, 6, ROLE_KEYWORD);
}

/* A deterministic generator, so that failures repeat. */
static uint32_t
rnd(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

static void
test_fuzz(void **state)
{
	static const char	 pieces[] = "\"'`#$/*-{}[]()<>:=|\\&;!@%.,0123"
				     "456789abcxyz_ \t\r\nE\x80\xff\xc3\xe4";
	uint32_t		 seed = 20240229;
	unsigned char		*line, *out;
	size_t			 len, i;
	int			 lang, st[SYNTAX_COUNT] = { 0 }, iter;

	for (iter = 0; iter < 4000; iter++) {
		len = rnd(&seed) % (iter % 10 == 0 ? 2000 : 120);
		/* Exactly len bytes, so that ASan sees any read past it. */
		line = malloc(len != 0 ? len : 1);
		out = malloc(len + 1);
		assert_non_null(line);
		assert_non_null(out);
		for (i = 0; i < len; i++) {
			if (rnd(&seed) % 3 == 0)
				line[i] = (unsigned char)rnd(&seed);
			else
				line[i] = (unsigned char)pieces[rnd(&seed) %
				    (sizeof pieces - 1)];
		}
		out[len] = 0xee;
		for (lang = 0; lang < SYNTAX_COUNT; lang++) {
			syntax_line(lang, (char *)line, len, out, &st[lang]);
			for (i = 0; i < len; i++)
				assert_true(out[i] < ROLE_COUNT);
			assert_int_equal(out[len], 0xee);
			assert_true(st[lang] >= 0);
		}
		free(line);
		free(out);
	}
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Lines built to make naive scanners quadratic stay linear. */
static void
test_long_lines(void **state)
{
	static const char *const units[] = {
		"[", "*a ", "`` ` ", "_x ", "${", "\"\\", "<!-", "](", "'''",
		"a: ", "- ", "/*", "%",
	};
	size_t		 n = 400000, i, k, ulen;
	unsigned char	*line = malloc(n), *out = malloc(n);
	double		 start = now();
	int		 lang, st;

	assert_non_null(line);
	assert_non_null(out);
	for (k = 0; k < sizeof units / sizeof units[0]; k++) {
		ulen = strlen(units[k]);
		for (i = 0; i < n; i++)
			line[i] = (unsigned char)units[k][i % ulen];
		for (lang = 0; lang < SYNTAX_COUNT; lang++) {
			st = 0;
			syntax_line(lang, (char *)line, n, out, &st);
		}
	}
	free(line);
	free(out);
	/* 91 lines of 400 kB: quadratic work would take hours. */
	assert_true(now() - start < 20.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_def),
		cmocka_unit_test(test_python_class_decorator),
		cmocka_unit_test(test_python_strings),
		cmocka_unit_test(test_python_numbers),
		cmocka_unit_test(test_python_triple),
		cmocka_unit_test(test_r),
		cmocka_unit_test(test_r_strings),
		cmocka_unit_test(test_sql),
		cmocka_unit_test(test_sql_block_comment),
		cmocka_unit_test(test_shell),
		cmocka_unit_test(test_shell_multiline_string),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_yaml),
		cmocka_unit_test(test_yaml_block_scalar),
		cmocka_unit_test(test_markdown_source),
		cmocka_unit_test(test_markdown_fence),
		cmocka_unit_test(test_detect_extension),
		cmocka_unit_test(test_detect_shebang),
		cmocka_unit_test(test_lookup_and_names),
		cmocka_unit_test(test_none_and_empty),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_long_lines),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
