/*
 * Drawing text into curses windows safely: UTF-8 decoded and measured in
 * terminal columns (wide characters count two), control characters and
 * invalid bytes shown escaped in the escape role, never sent to the
 * terminal, and everything clipped to the columns given.
 */
#ifndef LATHE_DRAW_H
#define LATHE_DRAW_H

#include <stddef.h>
#include <wchar.h>

#include <curses.h>

#include "role.h"

struct styled_line;

/* Whether the terminal takes UTF-8 (set once at start from the locale). */
extern int	draw_utf8;

/*
 * Draw len bytes of s (len -1: up to the NUL) at y, x in role, at most
 * maxw columns; return the columns used. Text that does not fit ends with
 * an ellipsis when ELLIPSIS is set.
 */
#define DRAW_ELLIPSIS	0x1
int	draw_text(WINDOW *, int y, int x, int maxw, const char *s, int len,
	    enum role, int flags);
/* Like draw_text with printf formatting. */
int	draw_printf(WINDOW *, int y, int x, int maxw, enum role, const char *,
	    ...) __attribute__((format(printf, 6, 7)));
/*
 * Draw a styled line from column skip of the text (for horizontal
 * scrolling), at most maxw columns; return the columns used.
 */
int	draw_styled(WINDOW *, int y, int x, int maxw,
	    const struct styled_line *, int skip);
/*
 * One character of s (n > 0 bytes) as the screen shows it: return the
 * bytes it takes, with *wc the character (-1 for a byte that is not
 * UTF-8), *width its columns, and esc (8 bytes) the text shown instead of
 * it ("" when it is shown as itself).
 */
int	draw_char(const char *s, size_t n, wchar_t *wc, char *esc,
	    int *width);
/*
 * Put a character as draw_char described it at the cursor, in attr
 * (wattrset); escape text goes in the escape role.
 */
void	draw_put_attr(WINDOW *, wchar_t wc, const char *esc, attr_t attr);
/* Fill columns x .. x + w - 1 of row y with blanks in role. */
void	draw_fill(WINDOW *, int y, int x, int w, enum role);
/* The columns s takes when drawn (escapes included). */
int	draw_width(const char *s, int len);
/* Recolour w cells of row y from x in role, keeping their text. */
void	draw_highlight(WINDOW *, int y, int x, int w, enum role);
/* Add the attributes of a role (theme colours) on top of extra. */
void	draw_role(WINDOW *, enum role, attr_t extra);

#endif
