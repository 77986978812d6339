/*
 * Markdown rendered for the terminal: a README turned into styled lines
 * that fit a given number of columns.
 */
#ifndef LATHE_MARKDOWN_H
#define LATHE_MARKDOWN_H

#include <stddef.h>

struct styled_line;

/*
 * Render len bytes of Markdown (GitHub dialect: tables, task lists,
 * strikethrough, bare URLs) into lines no wider than width terminal
 * columns, as measured with wcwidth under the current locale (so a wide
 * character counts two when the caller has set a UTF-8 locale). utf8 says
 * whether the terminal takes UTF-8: when it does not, marks and rules are
 * drawn in ASCII and every non-ASCII character is counted as one column,
 * as it is drawn. Control characters come out as ^X in ROLE_ESCAPE and
 * invalid UTF-8 as U+FFFD ('?' without utf8), so the text of every line is
 * valid UTF-8 and safe to draw. A width under 1 is taken as 1, and one
 * over 4096 as 4096.
 *
 * On success return 0 with *out an allocated array of *n lines (NULL when
 * there are none) for the caller to free with styled_lines_free. On error
 * return -1 with an allocated message in *cause; *out and *n are left
 * alone.
 */
int	markdown_render(const char *md, size_t len, int width, int utf8,
	    struct styled_line **out, size_t *n, char **cause);

#endif
