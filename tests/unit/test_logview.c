/*
 * Unit tests for tui/logview.c: lines, styles from SGR sequences, every
 * other sequence and control byte kept as text (so that it is drawn
 * escaped), input cut anywhere, bounded memory, following, scrolling,
 * wrapping and search. Drawing is left to the screen tests.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "logview.h"
#include "theme.h"
#include "xmalloc.h"

static struct logview *
feed(const char *s)
{
	struct logview	*lv = logview_new(1 << 20, 1000);

	logview_feed(lv, s, strlen(s));
	return lv;
}

static void
assert_line(struct logview *lv, size_t i, const char *want)
{
	size_t		 len;
	const char	*text = logview_line(lv, i, &len);

	assert_int_equal(len, strlen(want));
	assert_memory_equal(text, want, len);
}

static void
test_lines(void **state)
{
	struct logview	*lv = feed("one\ntwo\r\n\nlast, unfinished");

	assert_int_equal(logview_count(lv), 4);
	assert_line(lv, 0, "one");
	assert_line(lv, 1, "two");
	assert_line(lv, 2, "");
	assert_line(lv, 3, "last, unfinished");
	/* The unfinished line goes on with the next bytes. */
	logview_feed(lv, " now\nnext", 9);
	assert_int_equal(logview_count(lv), 5);
	assert_line(lv, 3, "last, unfinished now");
	assert_line(lv, 4, "next");
	/* Out of range is empty, not a crash. */
	assert_line(lv, 99, "");
	logview_clear(lv);
	assert_int_equal(logview_count(lv), 0);
	assert_int_equal(logview_bytes(lv), 0);
	logview_free(lv);
	logview_free(NULL);
}

static void
test_carriage_return(void **state)
{
	struct logview	*lv = feed("10%\r50%\r100%\ndone\r\n");

	/* A progress bar shows its last state, as on a terminal. */
	assert_int_equal(logview_count(lv), 2);
	assert_line(lv, 0, "100%");
	assert_line(lv, 1, "done");
	logview_free(lv);
	/* "\r" and "\n" arriving apart are still one line end. */
	lv = feed("a\r");
	logview_feed(lv, "\nb", 2);
	assert_int_equal(logview_count(lv), 2);
	assert_line(lv, 0, "a");
	assert_line(lv, 1, "b");
	logview_free(lv);
}

static void
test_sgr_styles(void **state)
{
	struct logview	*lv;
	uint32_t	 s;

	lv = feed("\033[31mred\033[0m plain \033[1;4mbold\033[22mul\033[m.");
	assert_line(lv, 0, "red plain boldul.");
	s = logview_style(lv, 0, 0);
	assert_int_equal(LOGVIEW_FG(s), 1);
	assert_int_equal(LOGVIEW_BG(s), -1);
	assert_int_equal(LOGVIEW_ATTRS(s), 0);
	s = logview_style(lv, 0, 4);
	assert_int_equal(LOGVIEW_FG(s), -1);
	assert_int_equal(s, 0);
	s = logview_style(lv, 0, 10);	/* "bold" */
	assert_int_equal(LOGVIEW_ATTRS(s), THEME_BOLD | THEME_UNDERLINE);
	s = logview_style(lv, 0, 14);	/* "ul" */
	assert_int_equal(LOGVIEW_ATTRS(s), THEME_UNDERLINE);
	assert_int_equal(logview_style(lv, 0, 16), 0);
	logview_free(lv);

	/* 256 colours, true colour, bright ones, backgrounds, resets. */
	lv = feed("\033[38;5;208ma\033[38;2;255;0;0mb\033[91mc\033[44md"
	    "\033[39me\033[49mf\033[48;5;17;3mg\033[23;7mh\033[27;2mi");
	assert_line(lv, 0, "abcdefghi");
	assert_int_equal(LOGVIEW_FG(logview_style(lv, 0, 0)), 208);
	assert_int_equal(LOGVIEW_FG(logview_style(lv, 0, 1)), 196);
	assert_int_equal(LOGVIEW_FG(logview_style(lv, 0, 2)), 9);
	s = logview_style(lv, 0, 3);
	assert_int_equal(LOGVIEW_FG(s), 9);
	assert_int_equal(LOGVIEW_BG(s), 4);
	s = logview_style(lv, 0, 4);
	assert_int_equal(LOGVIEW_FG(s), -1);
	assert_int_equal(LOGVIEW_BG(s), 4);
	assert_int_equal(logview_style(lv, 0, 5), 0);
	s = logview_style(lv, 0, 6);
	assert_int_equal(LOGVIEW_BG(s), 17);
	assert_int_equal(LOGVIEW_ATTRS(s), THEME_ITALIC);
	assert_int_equal(LOGVIEW_ATTRS(logview_style(lv, 0, 7)),
	    THEME_REVERSE);
	assert_int_equal(LOGVIEW_ATTRS(logview_style(lv, 0, 8)), THEME_DIM);
	logview_free(lv);

	/* A style lasts across lines, as on a terminal. */
	lv = feed("\033[32mgreen\nstill green\033[0m\nplain\n");
	assert_int_equal(LOGVIEW_FG(logview_style(lv, 1, 0)), 2);
	assert_int_equal(logview_style(lv, 2, 0), 0);
	logview_free(lv);

	/* Malformed colours change nothing, and nothing reads past. */
	lv = feed("\033[38;5mx\033[38;2;1;2my\033[38;5;999mz\033[48mw");
	assert_line(lv, 0, "xyzw");
	assert_int_equal(logview_style(lv, 0, 3), 0);
	logview_free(lv);
}

static void
test_other_sequences_kept(void **state)
{
	struct logview	*lv;

	/* Clear screen, a title, the cursor hidden: text, not acts. */
	lv = feed("a\033[2Jb\033]0;title\007c\033[?25ld\033(Be\033[1;2Hf\n");
	assert_int_equal(logview_count(lv), 1);
	assert_line(lv, 0, "a\033[2Jb\033]0;title\007c\033[?25ld\033(Be"
	    "\033[1;2Hf");
	logview_free(lv);
	/* A private SGR-looking sequence is not SGR. */
	lv = feed("\033[>4;1mx");
	assert_line(lv, 0, "\033[>4;1mx");
	assert_int_equal(logview_style(lv, 0, 7), 0);
	logview_free(lv);
	/* Cut by a line end or a control byte: kept as it came. */
	lv = feed("\033[31\nz\033[\033[32mq\033");
	assert_line(lv, 0, "\033[31");
	assert_line(lv, 1, "z\033[q");
	assert_int_equal(LOGVIEW_FG(logview_style(lv, 1, 3)), 2);
	/* A lone ESC at the end waits for what follows. */
	logview_feed(lv, "x", 1);
	assert_line(lv, 1, "z\033[q\033x");
	logview_free(lv);
	/* A sequence too long to be one is text. */
	lv = feed("\033[");
	{
		char	digits[200];

		memset(digits, '1', sizeof digits);
		logview_feed(lv, digits, sizeof digits);
	}
	logview_feed(lv, "m", 1);
	{
		size_t		 len;
		const char	*t = logview_line(lv, 0, &len);

		assert_int_equal(len, 203);
		assert_memory_equal(t, "\033[11", 4);
	}
	logview_free(lv);
	/* Other control bytes and bytes that are not UTF-8 stay as they are. */
	lv = logview_new(1 << 20, 100);
	logview_feed(lv, "nul\0 \xff\xfe\xc3\n", 9);
	{
		size_t		 len;
		const char	*t = logview_line(lv, 0, &len);

		assert_int_equal(len, 8);
		assert_memory_equal(t, "nul\0 \xff\xfe\xc3", 8);
	}
	logview_free(lv);
}

/* Fed in one piece or a byte at a time, the result is the same. */
static void
test_cut_anywhere(void **state)
{
	static const char	 text[] = "\033[1;31mé漢\033[0m x\r\n"
				    "y\033]2;t\007\r\n"
				    "\033[38;2;0;255;0mok\033[m\rfinal\n";
	struct logview		*whole = feed(text), *bytes;
	size_t			 i, k, la, lb;
	const char		*a, *b;

	for (k = 1; k < 7; k++) {
		bytes = logview_new(1 << 20, 1000);
		for (i = 0; i < sizeof text - 1; i += k)
			logview_feed(bytes, text + i, i + k < sizeof text - 1 ?
			    k : sizeof text - 1 - i);
		assert_int_equal(logview_count(bytes), logview_count(whole));
		for (i = 0; i < logview_count(whole); i++) {
			a = logview_line(whole, i, &la);
			b = logview_line(bytes, i, &lb);
			assert_int_equal(la, lb);
			assert_memory_equal(a, b, la);
		}
		assert_int_equal(logview_style(bytes, 0, 0),
		    logview_style(whole, 0, 0));
		assert_int_equal(LOGVIEW_FG(logview_style(bytes, 0, 0)), 1);
		logview_free(bytes);
	}
	assert_line(whole, 0, "é漢 x");
	assert_line(whole, 1, "y\033]2;t\007");
	assert_line(whole, 2, "final");
	logview_free(whole);
}

static void
test_bounded_lines(void **state)
{
	struct logview	*lv = logview_new(1 << 20, 10);
	char		 line[32];
	int		 i;

	for (i = 1; i <= 25; i++) {
		snprintf(line, sizeof line, "line %d\n", i);
		logview_feed(lv, line, strlen(line));
	}
	assert_int_equal(logview_count(lv), 10);
	assert_int_equal(logview_dropped(lv), 15);
	assert_line(lv, 0, "line 16");
	assert_line(lv, 9, "line 25");
	logview_free(lv);
}

static void
test_bounded_bytes(void **state)
{
	struct logview	*lv = logview_new(64 * 1024, 1000000);
	char		 line[128];
	size_t		 i;

	memset(line, 'x', sizeof line);
	line[sizeof line - 1] = '\n';
	for (i = 0; i < 10000; i++) {
		logview_feed(lv, line, sizeof line);
		assert_true(logview_bytes(lv) <= 64 * 1024);
	}
	/* About 64 KiB of lines of 127 bytes and their overhead. */
	assert_true(logview_count(lv) > 200);
	assert_true(logview_count(lv) < 520);
	assert_int_equal(logview_dropped(lv) + logview_count(lv), 10000);
	logview_free(lv);
}

static void
test_long_line(void **state)
{
	struct logview	*lv = logview_new(1 << 20, 100);
	char		*big = xmalloc(200000);
	size_t		 len;

	memset(big, 'a', 200000);
	logview_feed(lv, big, 200000);
	logview_feed(lv, "\nshort\n", 7);
	logview_line(lv, 0, &len);
	assert_int_equal(len, LOGVIEW_LINE_MAX);
	assert_int_equal(logview_cut(lv, 0), 200000 - LOGVIEW_LINE_MAX);
	assert_line(lv, 1, "short");
	assert_int_equal(logview_cut(lv, 1), 0);
	assert_true(logview_bytes(lv) < LOGVIEW_LINE_MAX + 1024);
	free(big);
	logview_free(lv);
}

static struct logview *
numbered(size_t n, size_t max_lines)
{
	struct logview	*lv = logview_new(1 << 24, max_lines);
	char		 line[32];
	size_t		 i;

	for (i = 0; i < n; i++) {
		snprintf(line, sizeof line, "line %zu\n", i);
		logview_feed(lv, line, strlen(line));
	}
	return lv;
}

static void
test_follow_and_scroll(void **state)
{
	struct logview	*lv = numbered(100, 1000);

	logview_size(lv, 10, 40);
	assert_true(logview_following(lv));
	assert_int_equal(logview_top(lv), 90);
	/* Up stops following; new output then leaves the view alone. */
	logview_scroll(lv, -5);
	assert_false(logview_following(lv));
	assert_int_equal(logview_top(lv), 85);
	logview_feed(lv, "more\n", 5);
	assert_int_equal(logview_top(lv), 85);
	/* Down to the bottom follows again. */
	logview_scroll(lv, 1000);
	assert_true(logview_following(lv));
	logview_feed(lv, "more\nmore\n", 10);
	assert_int_equal(logview_top(lv), 93);
	logview_scroll(lv, -1000);
	assert_int_equal(logview_top(lv), 0);
	logview_follow(lv, 1);
	assert_int_equal(logview_top(lv), 93);
	logview_follow(lv, 0);
	assert_int_equal(logview_top(lv), 93);
	/* Sideways. */
	assert_int_equal(logview_hscroll(lv, 8), 8);
	assert_int_equal(logview_hscroll(lv, -20), 0);
	logview_free(lv);

	/* Lines dropped from the top keep the view on its line. */
	lv = numbered(50, 50);
	logview_size(lv, 10, 40);
	logview_scroll(lv, -20);
	assert_int_equal(logview_top(lv), 20);
	logview_feed(lv, "x\ny\nz\n", 6);
	assert_int_equal(logview_dropped(lv), 3);
	assert_int_equal(logview_top(lv), 17);
	assert_line(lv, 17, "line 20");
	logview_free(lv);

	/* Fewer lines than rows. */
	lv = numbered(3, 100);
	logview_size(lv, 10, 40);
	assert_int_equal(logview_top(lv), 0);
	logview_scroll(lv, 5);
	assert_int_equal(logview_top(lv), 0);
	logview_free(lv);
}

static void
test_wrap(void **state)
{
	struct logview	*lv = logview_new(1 << 20, 100);
	char		 line[64];

	memset(line, 'w', 25);
	line[25] = '\n';
	logview_feed(lv, "a\nb\n", 4);
	logview_feed(lv, line, 26);
	logview_feed(lv, line, 26);
	logview_size(lv, 5, 10);
	/* Cut: four lines fit five rows. */
	assert_int_equal(logview_top(lv), 0);
	assert_true(logview_toggle_wrap(lv));
	assert_true(logview_wrapping(lv));
	/* Wrapped, the two long lines take three rows each. */
	assert_int_equal(logview_top(lv), 3);
	/* No sideways scrolling while wrapping. */
	assert_int_equal(logview_hscroll(lv, 5), 0);
	assert_false(logview_toggle_wrap(lv));
	logview_free(lv);
}

static void
test_search(void **state)
{
	struct logview	*lv = numbered(100, 1000);

	logview_size(lv, 10, 40);
	logview_scroll(lv, -1000);
	assert_int_equal(logview_search(lv, "LINE 4", 1), 4);
	assert_false(logview_following(lv));
	assert_string_equal(logview_needle(lv), "line 4");
	assert_int_equal(logview_search_next(lv, 1), 40);
	assert_true(logview_top(lv) <= 40 && logview_top(lv) + 10 > 40);
	assert_int_equal(logview_search_next(lv, 1), 41);
	assert_int_equal(logview_search_next(lv, 0), 40);
	assert_int_equal(logview_search_next(lv, 0), 4);
	/* Round the end. */
	assert_int_equal(logview_search_next(lv, 0), 49);
	assert_int_equal(logview_search_next(lv, 1), 4);
	assert_int_equal(logview_search(lv, "line 99", 1), 99);
	assert_int_equal(logview_search_next(lv, 1), 99);
	/* Not there. */
	assert_int_equal(logview_search(lv, "nowhere", 1), -1);
	assert_int_equal(logview_search_next(lv, 1), -1);
	/* Forgotten. */
	assert_int_equal(logview_search(lv, "", 1), -1);
	assert_null(logview_needle(lv));
	assert_int_equal(logview_search_next(lv, 1), -1);
	logview_free(lv);

	/* Found far to the right: the view scrolls sideways to it. */
	lv = logview_new(1 << 20, 100);
	logview_feed(lv, "short\n", 6);
	{
		char	line[300];

		memset(line, '.', sizeof line);
		memcpy(line + 250, "needle", 6);
		line[299] = '\n';
		logview_feed(lv, line, sizeof line);
	}
	logview_size(lv, 5, 40);
	assert_int_equal(logview_search(lv, "needle", 1), 1);
	assert_true(logview_hscroll(lv, 0) > 200);
	logview_free(lv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_carriage_return),
		cmocka_unit_test(test_sgr_styles),
		cmocka_unit_test(test_other_sequences_kept),
		cmocka_unit_test(test_cut_anywhere),
		cmocka_unit_test(test_bounded_lines),
		cmocka_unit_test(test_bounded_bytes),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_follow_and_scroll),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_search),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
