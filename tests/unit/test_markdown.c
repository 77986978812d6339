/*
 * Unit tests of the Markdown renderer (tui/markdown.c): what each kind of
 * block and span turns into, in which roles, at which widths, and that
 * hostile documents (control characters, invalid UTF-8, random bytes,
 * megabytes) come out safe, within the width, and in time.
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include <cmocka.h>

#include "buf.h"
#include "markdown.h"
#include "role.h"
#include "styled.h"

static int	have_utf8_locale;

struct doc {
	struct styled_line	*l;
	size_t			 n;
};

static void
render(struct doc *d, const char *md, int width, int utf8)
{
	char	*cause = NULL;

	d->l = NULL;
	d->n = 0;
	if (markdown_render(md, strlen(md), width, utf8, &d->l, &d->n,
	    &cause) != 0)
		fail_msg("render failed: %s", cause);
	assert_null(cause);
}

static void
doc_free(struct doc *d)
{
	styled_lines_free(d->l, d->n);
}

/* Columns of a line, measured independently of the renderer. */
static int
columns(const struct styled_line *l, int utf8)
{
	mbstate_t	mbs;
	wchar_t		wc;
	size_t		i = 0, k;
	int		w = 0, cw;

	memset(&mbs, 0, sizeof mbs);
	while (i < l->len) {
		if ((unsigned char)l->text[i] < 0x80) {
			w++;
			i++;
			continue;
		}
		k = mbrtowc(&wc, l->text + i, l->len - i, &mbs);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&mbs, 0, sizeof mbs);
			k = 1;
			cw = 1;
		} else
			cw = utf8 ? wcwidth(wc) : 1;
		w += cw < 0 ? 1 : cw;
		i += k;
	}
	return w;
}

/* Index of the first line whose text contains what. */
static size_t
find(const struct doc *d, const char *what)
{
	size_t	i;

	for (i = 0; i < d->n; i++) {
		if (strstr(d->l[i].text, what) != NULL)
			return i;
	}
	fail_msg("no line has \"%s\"", what);
	return 0;
}

/* Assert the roles of what, in the first line that has it. */
static void
expect_role(const struct doc *d, const char *what, enum role role)
{
	const struct styled_line	*l = &d->l[find(d, what)];
	size_t				 off, i;

	off = (size_t)(strstr(l->text, what) - l->text);
	for (i = off; i < off + strlen(what); i++) {
		if (l->roles[i] != role)
			fail_msg("\"%s\" byte %zu in \"%s\": role %d, want %d",
			    what, i - off, l->text, l->roles[i], role);
	}
}

/* Every line fits, has valid roles, valid UTF-8 and no control bytes. */
static void
expect_sane(const struct doc *d, int width, int utf8)
{
	size_t	i, j;

	for (i = 0; i < d->n; i++) {
		assert_int_equal(strlen(d->l[i].text), d->l[i].len);
		if (columns(&d->l[i], utf8) > (width < 1 ? 1 : width))
			fail_msg("line %zu \"%s\" is %d columns wide, over %d",
			    i, d->l[i].text, columns(&d->l[i], utf8), width);
		for (j = 0; j < d->l[i].len; j++) {
			assert_true(d->l[i].roles[j] < ROLE_COUNT);
			assert_true((unsigned char)d->l[i].text[j] >= 0x20);
			assert_true((unsigned char)d->l[i].text[j] != 0x7f);
		}
		if (have_utf8_locale) {
			assert_true(mbstowcs(NULL, d->l[i].text, 0) !=
			    (size_t)-1);
		}
	}
}

static void
test_heading_underline(void **state)
{
	struct doc	d;

	render(&d, "# Title\n\nSome text.\n\n## Sub\n\n### Deep\n", 40, 1);
	assert_string_equal(d.l[0].text, "Title");
	expect_role(&d, "Title", ROLE_HEADING);
	assert_string_equal(d.l[1].text, "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81"
	    "\xe2\x94\x81\xe2\x94\x81");
	assert_string_equal(d.l[2].text, "");
	assert_string_equal(d.l[3].text, "Some text.");
	expect_role(&d, "Some text.", ROLE_DEFAULT);
	assert_string_equal(d.l[5].text, "Sub");
	assert_string_equal(d.l[6].text, "\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80");
	assert_string_equal(d.l[8].text, "### Deep");
	expect_role(&d, "### ", ROLE_DIM);
	expect_role(&d, "Deep", ROLE_HEADING);
	assert_int_equal(d.n, 9);		/* no blank line at the end */
	doc_free(&d);

	render(&d, "Title\n=====\n\nSub\n---\n", 40, 0);
	assert_string_equal(d.l[0].text, "Title");
	assert_string_equal(d.l[1].text, "=====");
	expect_role(&d, "=====", ROLE_HEADING);
	assert_string_equal(d.l[3].text, "Sub");
	assert_string_equal(d.l[4].text, "---");
	doc_free(&d);
}

static void
test_paragraphs(void **state)
{
	struct doc	d;

	render(&d, "one\ntwo\n\n\n\nthree", 40, 1);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.l[0].text, "one two");	/* soft break */
	assert_string_equal(d.l[1].text, "");
	assert_string_equal(d.l[2].text, "three");
	doc_free(&d);

	render(&d, "hard  \nbreak\\\nhere", 40, 1);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.l[0].text, "hard");
	assert_string_equal(d.l[1].text, "break");
	assert_string_equal(d.l[2].text, "here");
	doc_free(&d);
}

static void
test_wrap_width(void **state)
{
	const char	*md = "Lathe keeps jobs running after the terminal "
			    "goes away, and a restarted core reconciles what "
			    "it finds: sessions, models and applications all "
			    "come back exactly as they were left.";
	struct buf	 words;
	struct doc	 d;
	size_t		 i;
	char		*next;

	render(&d, md, 20, 1);
	expect_sane(&d, 20, 1);
	assert_true(d.n >= 8);
	buf_init(&words);
	for (i = 0; i < d.n; i++) {
		assert_true(d.l[i].len > 0);
		assert_true(d.l[i].text[0] != ' ');
		assert_true(d.l[i].text[d.l[i].len - 1] != ' ');
		if (i > 0)
			buf_addc(&words, ' ');
		buf_adds(&words, d.l[i].text);
		/* Greedy: the next line's first word did not fit here. */
		if (i + 1 < d.n) {
			next = strchr(d.l[i + 1].text, ' ');
			assert_true(d.l[i].len + 1 + (next != NULL ?
			    (size_t)(next - d.l[i + 1].text) :
			    d.l[i + 1].len) > 20);
		}
	}
	/* All the words, in order, none lost or split. */
	assert_string_equal(buf_str(&words), md);
	buf_done(&words);
	doc_free(&d);
}

static void
test_wrap_long_word(void **state)
{
	struct doc	d;
	int		w;

	render(&d, "see "
	    "https://example.com/a/very/long/path/that/cannot/fit/anywhere "
	    "end", 20, 1);
	expect_sane(&d, 20, 1);
	assert_string_equal(d.l[0].text, "see");
	assert_string_equal(d.l[1].text, "https://example.com/");
	assert_int_equal(columns(&d.l[1], 1), 20);
	assert_string_equal(d.l[d.n - 1].text + d.l[d.n - 1].len - 3, "end");
	doc_free(&d);

	for (w = 1; w <= 12; w++) {
		render(&d, "abcdefghijklmnopqrstuvwxyz and more words", w, 1);
		expect_sane(&d, w, 1);
		doc_free(&d);
	}
}

static void
test_emphasis_and_code(void **state)
{
	struct doc	d;

	render(&d, "plain *emph* __strong__ `a  code` ~~gone~~", 80, 1);
	assert_string_equal(d.l[0].text, "plain emph strong a  code gone");
	expect_role(&d, "plain", ROLE_DEFAULT);
	expect_role(&d, "emph", ROLE_EMPH);
	expect_role(&d, "strong", ROLE_STRONG);
	expect_role(&d, "a  code", ROLE_CODE);	/* no backticks */
	expect_role(&d, "gone", ROLE_DIM);
	doc_free(&d);
}

static void
test_lists_utf8(void **state)
{
	struct doc	d;

	render(&d, "- one\n- two\n  - nested\n- [x] done\n- [ ] open\n\n"
	    "3. three\n4. four\n", 40, 1);
	assert_string_equal(d.l[0].text, "\xe2\x80\xa2 one");
	expect_role(&d, "\xe2\x80\xa2 ", ROLE_LIST_MARK);
	expect_role(&d, "one", ROLE_DEFAULT);
	assert_string_equal(d.l[1].text, "\xe2\x80\xa2 two");
	assert_string_equal(d.l[2].text, "  \xe2\x80\xa2 nested");
	assert_string_equal(d.l[3].text, "\xe2\x80\xa2 [x] done");
	expect_role(&d, "[x] ", ROLE_LIST_MARK);
	assert_string_equal(d.l[4].text, "\xe2\x80\xa2 [ ] open");
	assert_string_equal(d.l[5].text, "");
	assert_string_equal(d.l[6].text, "3. three");
	expect_role(&d, "3. ", ROLE_LIST_MARK);
	assert_string_equal(d.l[7].text, "4. four");
	assert_int_equal(d.n, 8);
	doc_free(&d);
}

static void
test_lists_ascii(void **state)
{
	struct doc	d;

	render(&d, "* one\n* two that wraps onto a second line\n  * nested\n",
	    20, 0);
	expect_sane(&d, 20, 0);
	assert_string_equal(d.l[0].text, "* one");
	expect_role(&d, "* ", ROLE_LIST_MARK);
	assert_string_equal(d.l[1].text, "* two that wraps");
	assert_string_equal(d.l[2].text, "  onto a second line");
	assert_string_equal(d.l[3].text, "  * nested");
	doc_free(&d);
}

static void
test_loose_list(void **state)
{
	struct doc	d;

	render(&d, "- a\n\n- b\n\n  more b\n", 40, 1);
	assert_int_equal(d.n, 5);
	assert_string_equal(d.l[0].text, "\xe2\x80\xa2 a");
	assert_string_equal(d.l[1].text, "");
	assert_string_equal(d.l[2].text, "\xe2\x80\xa2 b");
	assert_string_equal(d.l[3].text, "");
	assert_string_equal(d.l[4].text, "  more b");
	doc_free(&d);
}

static void
test_quote(void **state)
{
	struct doc	d;

	render(&d, "> quoted *text*\n>\n> again\n\nafter", 40, 1);
	assert_string_equal(d.l[0].text, "\xe2\x94\x82 quoted text");
	expect_role(&d, "\xe2\x94\x82 ", ROLE_QUOTE);
	expect_role(&d, "quoted", ROLE_QUOTE);
	expect_role(&d, "text", ROLE_EMPH);
	assert_string_equal(d.l[1].text, "\xe2\x94\x82");
	assert_string_equal(d.l[2].text, "\xe2\x94\x82 again");
	assert_string_equal(d.l[3].text, "");
	assert_string_equal(d.l[4].text, "after");
	doc_free(&d);

	render(&d, "> a\n> > b\n", 40, 0);
	assert_string_equal(d.l[0].text, "| a");
	assert_string_equal(d.l[2].text, "| | b");
	doc_free(&d);
}

static void
test_code_block(void **state)
{
	struct doc	d;
	size_t		i;

	render(&d, "Text.\n\n```python\ndef f(x):\n  y =\treturn \"a very "
	    "long string\" # comment\n```\n\nAfter.", 24, 1);
	expect_sane(&d, 24, 1);
	i = find(&d, "def f(x):");
	assert_string_equal(d.l[i].text, "  def f(x):");
	expect_role(&d, "def", ROLE_KEYWORD);
	assert_int_equal(d.l[i].roles[6], ROLE_FUNCTION);
	assert_int_equal(d.l[i].roles[7], ROLE_CODE);
	/* Not wrapped but cut: the tab expanded, an ellipsis at the end. */
	assert_string_equal(d.l[i + 1].text,
	    "    y =   return \"a ver\xe2\x80\xa6");
	assert_int_equal(columns(&d.l[i + 1], 1), 24);
	expect_role(&d, "return", ROLE_KEYWORD);
	expect_role(&d, "\"a ver", ROLE_STRING);
	expect_role(&d, "\xe2\x80\xa6", ROLE_DIM);
	assert_string_equal(d.l[i + 2].text, "");
	assert_string_equal(d.l[i + 3].text, "After.");
	assert_int_equal(d.n, i + 4);
	doc_free(&d);

	/* No language, or one unknown: code, uncoloured; ~ when ASCII. */
	render(&d, "    indented code that is long\n\n```klingon\nQapla'\n```",
	    16, 0);
	assert_string_equal(d.l[0].text, "  indented code~");
	expect_role(&d, "indented code", ROLE_CODE);
	expect_role(&d, "Qapla'", ROLE_CODE);
	doc_free(&d);
}

static void
test_links(void **state)
{
	struct doc	d;

	render(&d, "See [the docs](https://lathe.dev/docs) or "
	    "<https://lathe.dev> or https://x.org or <me@x.org>.", 200, 1);
	assert_string_equal(d.l[0].text, "See the docs (https://lathe.dev/docs)"
	    " or https://lathe.dev or https://x.org or me@x.org.");
	expect_role(&d, "the docs", ROLE_LINK);
	expect_role(&d, " (https://lathe.dev/docs)", ROLE_DIM);
	assert_int_equal(d.l[0].roles[strstr(d.l[0].text, "https://lathe.dev "
	    ) - d.l[0].text], ROLE_LINK);
	expect_role(&d, "https://x.org", ROLE_LINK);
	expect_role(&d, "me@x.org", ROLE_LINK);
	doc_free(&d);

	render(&d, "![a chart](c.png) ![](x.png) [![badge](b.svg)](http://ci)",
	    200, 1);
	assert_string_equal(d.l[0].text, "[image: a chart] [image] "
	    "[image: badge] (http://ci)");
	expect_role(&d, "[image: a chart]", ROLE_DIM);
	doc_free(&d);
}

static void
test_control_characters(void **state)
{
	struct doc	 d;
	char		*cause = NULL;

	render(&d, "bell\x07 esc\x1b[31mred del\x7f bad\xff\xfe ok\n\n"
	    "```\ncode\x01\x1b\n```\n", 80, 1);
	expect_sane(&d, 80, 1);
	assert_string_equal(d.l[0].text,
	    "bell^G esc^[[31mred del^? bad\xef\xbf\xbd\xef\xbf\xbd ok");
	expect_role(&d, "^G", ROLE_ESCAPE);
	expect_role(&d, "^[", ROLE_ESCAPE);
	expect_role(&d, "[31mred", ROLE_DEFAULT);
	expect_role(&d, "^?", ROLE_ESCAPE);
	assert_string_equal(d.l[2].text, "  code^A^[");
	expect_role(&d, "^A^[", ROLE_ESCAPE);
	doc_free(&d);

	/* C1 controls (valid UTF-8) are escaped too; ASCII mode: '?'. */
	render(&d, "a\xc2\x9b" "b \xff", 80, 0);
	assert_string_equal(d.l[0].text, "a\\u9bb ?");
	expect_role(&d, "\\u9b", ROLE_ESCAPE);
	doc_free(&d);

	/* A NUL inside the length. */
	assert_int_equal(markdown_render("a\0b", 3, 80, 1, &d.l, &d.n,
	    &cause), 0);
	assert_string_equal(d.l[0].text, "a\xef\xbf\xbd" "b");
	doc_free(&d);
}

static void
test_entities(void **state)
{
	struct doc	d;

	render(&d, "&copy; &amp; &#x4E2D; &#0; &#7; &nosuch; &lt;b&gt;", 80, 1);
	assert_string_equal(d.l[0].text, "\xc2\xa9 & \xe4\xb8\xad "
	    "\xef\xbf\xbd ^G &nosuch; <b>");
	expect_role(&d, "^G", ROLE_ESCAPE);
	doc_free(&d);
}

static void
test_table(void **state)
{
	struct doc	d;
	const char	*sep = " \xe2\x94\x82 ";
	size_t		 i, off;

	render(&d, "| Name | Score | Note |\n|------|------:|:----:|\n"
	    "| a | 1 | short |\n| bbbbbb | 22222 | x |\n", 80, 1);
	expect_sane(&d, 80, 1);
	assert_int_equal(d.n, 4);
	assert_string_equal(d.l[0].text,
	    "Name   \xe2\x94\x82 Score \xe2\x94\x82 Note");
	expect_role(&d, "Name", ROLE_STRONG);
	expect_role(&d, sep, ROLE_RULE);
	assert_string_equal(d.l[1].text, "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\xbc"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\xbc\xe2\x94\x80\xe2\x94\x80"
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80");
	/* Padded to the widest cell; right and centre alignment. */
	assert_string_equal(d.l[2].text,
	    "a      \xe2\x94\x82     1 \xe2\x94\x82 short");
	assert_string_equal(d.l[3].text,
	    "bbbbbb \xe2\x94\x82 22222 \xe2\x94\x82   x");
	/* The separators line up in every row. */
	off = (size_t)(strstr(d.l[0].text, sep) - d.l[0].text);
	for (i = 2; i < 4; i++)
		assert_int_equal(strstr(d.l[i].text, sep) - d.l[i].text, off);
	expect_role(&d, "22222", ROLE_DEFAULT);
	doc_free(&d);

	/* Too wide: the widest column gives way, cut with an ellipsis. */
	render(&d, "| k | v |\n|---|---|\n| key | a value far too long to fit "
	    "here |\n", 20, 0);
	expect_sane(&d, 20, 0);
	assert_string_equal(d.l[2].text, "key | a value far t~");
	assert_string_equal(d.l[1].text, "----+---------------");
	doc_free(&d);
}

/* Five of 中, two columns each. */
#define CJK5	"\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad"

static void
test_cjk_width(void **state)
{
	struct doc	d;

	if (!have_utf8_locale)
		skip();
	/* 中 is two columns: five to a line of ten. */
	render(&d, CJK5 CJK5 "\xe4\xb8\xad\xe4\xb8\xad", 10, 1);
	expect_sane(&d, 10, 1);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.l[0].len, 15);
	assert_int_equal(columns(&d.l[0], 1), 10);
	assert_int_equal(d.l[2].len, 6);
	doc_free(&d);

	/* Width 9: four, since half a character does not fit. */
	render(&d, CJK5 " caf\xc3\xa9", 9, 1);
	expect_sane(&d, 9, 1);
	assert_int_equal(d.l[0].len, 12);
	assert_string_equal(d.l[d.n - 1].text, "\xe4\xb8\xad caf\xc3\xa9");
	doc_free(&d);

	/* A heading's underline matches its columns, not its bytes. */
	render(&d, "# \xe4\xb8\xad\xe6\x96\x87", 40, 1);
	assert_string_equal(d.l[1].text, "\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81"
	    "\xe2\x94\x81");
	doc_free(&d);
}

static void
test_html_block(void **state)
{
	struct doc	d;

	render(&d, "<div align=\"center\">\n  <b>hi</b>\n</div>\n\ntext <br> "
	    "more", 80, 1);
	assert_string_equal(d.l[0].text, "<div align=\"center\">");
	expect_role(&d, "<div", ROLE_DIM);
	assert_string_equal(d.l[1].text, "  <b>hi</b>");
	assert_string_equal(d.l[2].text, "</div>");
	assert_string_equal(d.l[3].text, "");
	expect_role(&d, "<br>", ROLE_DIM);
	expect_role(&d, "text", ROLE_DEFAULT);
	doc_free(&d);
}

static void
test_rule(void **state)
{
	struct doc	d;

	render(&d, "a\n\n---\n\nb", 12, 0);
	assert_string_equal(d.l[2].text, "------------");
	expect_role(&d, "---", ROLE_RULE);
	doc_free(&d);
	render(&d, "***", 3, 1);
	assert_string_equal(d.l[0].text,
	    "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80");
	doc_free(&d);
}

static const char	rich[] =
	"# A heading that is long\n\nText with *emph*, `code` and a "
	"[link](http://example.com/x).\n\n> quote\n> - in a list\n\n"
	"- item\n  1. nested one\n  2. nested two\n    ```sh\n    echo $HOME\n"
	"    ```\n- [x] task\n\n| a | b |\n|---|---|\n| cell | \xe4\xb8\xad |\n"
	"\n---\n\n<p>html</p>\n\n    code\n\nwordwordwordwordwordword\n";

static void
test_narrow_widths(void **state)
{
	static const int	widths[] = { 10, 5, 2, 1, 0, -7 };
	struct doc		d;
	size_t			i;
	int			utf8;

	for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		for (utf8 = 0; utf8 <= 1; utf8++) {
			render(&d, rich, widths[i], utf8);
			assert_true(d.n > 0);
			expect_sane(&d, widths[i], utf8);
			doc_free(&d);
		}
	}
	/* Width 10 still shows every word of a paragraph. */
	render(&d, "alpha beta gamma delta", 10, 1);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.l[0].text, "alpha beta");
	assert_string_equal(d.l[1].text, "gamma");
	assert_string_equal(d.l[2].text, "delta");
	doc_free(&d);
}

static void
test_deep_nesting(void **state)
{
	struct buf	b;
	struct doc	d;
	int		i;

	/* Deep lists in a narrow pane keep words whole, not bullets. */
	buf_init(&b);
	for (i = 0; i < 30; i++)
		buf_printf(&b, "%*s- level %d\n", 2 * i, "", i);
	buf_printf(&b, "%*salpha beta gamma\n", 2 * i, "");
	render(&d, b.data, 24, 1);
	expect_sane(&d, 24, 1);
	find(&d, "alpha");
	find(&d, "gamma");
	find(&d, "level 29");
	/* Each item's first line shows its bullet. */
	assert_non_null(strstr(d.l[find(&d, "level 29")].text,
	    "\xe2\x80\xa2 level 29"));
	doc_free(&d);

	/* Hundreds of nested quotes. */
	buf_reset(&b);
	for (i = 0; i < 600; i++)
		buf_addc(&b, '>');
	buf_adds(&b, " deep words here\n");
	render(&d, b.data, 30, 0);
	expect_sane(&d, 30, 0);
	find(&d, "deep words");
	doc_free(&d);
	buf_done(&b);
}

static void
test_empty_and_errors(void **state)
{
	struct doc	 d;
	char		*cause = NULL;

	d.l = (void *)&d;
	assert_int_equal(markdown_render("", 0, 80, 1, &d.l, &d.n, &cause),
	    0);
	assert_null(d.l);
	assert_int_equal(d.n, 0);
	assert_int_equal(markdown_render(NULL, 0, 80, 1, &d.l, &d.n, &cause),
	    0);
	render(&d, "\n\n   \n", 80, 1);
	assert_int_equal(d.n, 0);
	/* Too large for md4c's sizes: an error, out-parameters untouched. */
	if (sizeof(size_t) > 4) {
		d.l = NULL;
		d.n = 7;
		assert_int_equal(markdown_render("x", (size_t)1 << 33, 80, 1,
		    &d.l, &d.n, &cause), -1);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "too large"));
		assert_int_equal(d.n, 7);
		free(cause);
	}
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
	static const char	*const pieces[] = {
		"#", "# ", "\n", "\n\n", "> ", "- ", "1. ", "* ", "**", "_",
		"`", "```", "```python\n", "~~~", "[", "]", "(", ")", "![",
		"|", "|---|", "<", ">", "&amp;", "&#", ";", "\t", "    ",
		"word ", "\xe4\xb8\xad", "\xff", "\x01", "\x1b", "\r", "---",
		"<div>", "<!--", "-->", "\\", "http://x.y ", "- [x] ", "$",
	};
	uint32_t		 seed = 77;
	struct doc		 d;
	struct buf		 b;
	char			*cause;
	int			 iter, k, width;

	buf_init(&b);
	for (iter = 0; iter < 3000; iter++) {
		buf_reset(&b);
		for (k = rnd(&seed) % 60; k > 0; k--) {
			if (rnd(&seed) % 4 == 0)
				buf_addc(&b, (char)rnd(&seed));
			else
				buf_adds(&b, pieces[rnd(&seed) %
				    (sizeof pieces / sizeof pieces[0])]);
		}
		width = (int)(rnd(&seed) % 50) + 1;
		cause = NULL;
		if (markdown_render(b.data, b.len, width, iter & 1, &d.l,
		    &d.n, &cause) != 0)
			fail_msg("render failed: %s", cause);
		expect_sane(&d, width, iter & 1);
		doc_free(&d);
	}
	buf_done(&b);
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_large_document(void **state)
{
	struct buf	 b;
	struct doc	 d;
	char		*cause = NULL;
	double		 start;
	int		 i = 0;

	buf_init(&b);
	while (b.len < 5 * 1024 * 1024) {
		buf_printf(&b, "## Section %d\n\nSome *text* with `code` and a "
		    "[link](http://x.org/%d) that goes on for a while so that "
		    "it wraps over several lines at eighty columns, %d.\n\n"
		    "- item\n- item\n\n```python\nx = %d\n```\n\n| a | b |\n"
		    "|---|---|\n| %d | y |\n\n", i, i, i, i, i);
		i++;
	}
	start = now();
	assert_int_equal(markdown_render(b.data, b.len, 80, 1, &d.l, &d.n,
	    &cause), 0);
	/* Well under a second optimised; generous for sanitizers. */
	assert_true(now() - start < 15.0);
	assert_true(d.n > (size_t)i * 12);
	assert_non_null(strstr(d.l[d.n - 1].text, " y"));
	doc_free(&d);

	/* One paragraph of megabytes, and one huge word. */
	buf_reset(&b);
	for (i = 0; i < 200000; i++)
		buf_adds(&b, "word ");
	for (i = 0; i < 1000010; i++)
		buf_addc(&b, 'x');
	start = now();
	assert_int_equal(markdown_render(b.data, b.len, 80, 1, &d.l, &d.n,
	    &cause), 0);
	assert_true(now() - start < 15.0);
	assert_int_equal(columns(&d.l[d.n - 1], 1), 1000010 % 80);
	doc_free(&d);
	buf_done(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heading_underline),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_wrap_width),
		cmocka_unit_test(test_wrap_long_word),
		cmocka_unit_test(test_emphasis_and_code),
		cmocka_unit_test(test_lists_utf8),
		cmocka_unit_test(test_lists_ascii),
		cmocka_unit_test(test_loose_list),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_code_block),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_cjk_width),
		cmocka_unit_test(test_html_block),
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_narrow_widths),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_empty_and_errors),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_large_document),
	};

	/* Widths are measured in the locale, as the client sets it. */
	have_utf8_locale = setlocale(LC_ALL, "C.UTF-8") != NULL ||
	    setlocale(LC_ALL, "en_US.UTF-8") != NULL;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
