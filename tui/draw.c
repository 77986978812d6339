/*
 * Text on the screen. Every string that reaches the terminal passes through
 * here: names and file contents come from users and workloads, so a
 * control character is drawn as ^X (or \xNN for invalid UTF-8) in the
 * escape role, and widths are measured with wcwidth so that CJK and emoji
 * stay aligned.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"
#include "styled.h"
#include "theme.h"
#include "utf8.h"
#include "xmalloc.h"

int	draw_utf8 = 1;

/* Decode one character: its bytes, and in *wc the character or -1. */
static int
draw_decode(const char *s, size_t n, wchar_t *wc)
{
	long	cp;
	int	k = utf8_decode(s, n, &cp);

	*wc = (wchar_t)cp;
	return k;
}

/* How a character is shown: its width, or the escape text for it. */
int
draw_char(const char *s, size_t n, wchar_t *wc, char *esc, int *width)
{
	int	used = draw_decode(s, n, wc), w;

	esc[0] = '\0';
	if (*wc == -1) {
		snprintf(esc, 8, "\\x%02x", (unsigned char)s[0]);
		*width = 4;
	} else if (*wc == '\t') {
		strcpy(esc, " ");
		*width = 1;
	} else if (*wc < 0x20 || *wc == 0x7f) {
		snprintf(esc, 8, "^%c", *wc == 0x7f ? '?' : (int)*wc + '@');
		*width = 2;
	} else if (*wc >= 0x80 && *wc < 0xa0) {
		snprintf(esc, 8, "\\u%02x", (unsigned)*wc);
		*width = 4;
	} else if (!draw_utf8 && *wc >= 0x80) {
		strcpy(esc, "?");
		*width = 1;
	} else {
		w = wcwidth(*wc);
		if (w < 0) {
			strcpy(esc, "?");
			w = 1;
		}
		*width = w;
	}
	return used;
}

int
draw_width(const char *s, int len)
{
	size_t	 n = len < 0 ? strlen(s) : (size_t)len, i = 0;
	wchar_t	 wc;
	char	 esc[8];
	int	 total = 0, w;

	while (i < n) {
		i += (size_t)draw_char(s + i, n - i, &wc, esc, &w);
		total += w;
	}
	return total;
}

void
draw_role(WINDOW *win, enum role role, attr_t extra)
{
	wattrset(win, theme_attr(role) | extra);
}

void
draw_put_attr(WINDOW *win, wchar_t wc, const char *esc, attr_t attr)
{
	cchar_t	cc;
	wchar_t	ws[2];
	int	escaped;

	if (esc[0] != '\0') {
		/* A tab's blank and a '?' for the unshowable keep the role. */
		escaped = strcmp(esc, " ") != 0 && strcmp(esc, "?") != 0;
		if (escaped)
			draw_role(win, ROLE_ESCAPE, 0);
		waddstr(win, esc);
		if (escaped)
			wattrset(win, attr);
		return;
	}
	ws[0] = wc;
	ws[1] = L'\0';
	setcchar(&cc, ws, 0, 0, NULL);
	wadd_wch(win, &cc);
}

static void
draw_put(WINDOW *win, wchar_t wc, const char *esc, enum role role)
{
	draw_put_attr(win, wc, esc, theme_attr(role));
}

int
draw_text(WINDOW *win, int y, int x, int maxw, const char *s, int len,
    enum role role, int flags)
{
	size_t	 n = len < 0 ? strlen(s) : (size_t)len, i = 0;
	wchar_t	 wc;
	char	 esc[8];
	int	 used = 0, w, k, ellipsis;

	if (maxw <= 0)
		return 0;
	ellipsis = (flags & DRAW_ELLIPSIS) && draw_width(s, (int)n) > maxw;
	draw_role(win, role, 0);
	wmove(win, y, x);
	while (i < n) {
		k = draw_char(s + i, n - i, &wc, esc, &w);
		if (used + w > maxw - (ellipsis ? 1 : 0))
			break;
		draw_put(win, wc, esc, role);
		used += w;
		i += (size_t)k;
	}
	if (ellipsis) {
		waddstr(win, draw_utf8 ? "\xe2\x80\xa6" : "~");
		used++;
	}
	return used;
}

int
draw_printf(WINDOW *win, int y, int x, int maxw, enum role role,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 used;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	used = draw_text(win, y, x, maxw, s, -1, role, DRAW_ELLIPSIS);
	free(s);
	return used;
}

int
draw_styled(WINDOW *win, int y, int x, int maxw, const struct styled_line *l,
    int skip)
{
	size_t		i = 0;
	wchar_t		wc;
	char		esc[8];
	int		col = 0, used = 0, w, k;
	enum role	role, last = ROLE_COUNT;

	wmove(win, y, x);
	while (i < l->len && used < maxw) {
		k = draw_char(l->text + i, l->len - i, &wc, esc, &w);
		if (col >= skip) {
			if (used + w > maxw)
				break;
			role = l->roles[i] < ROLE_COUNT ? l->roles[i] :
			    ROLE_DEFAULT;
			if (role != last) {
				draw_role(win, role, 0);
				last = role;
			}
			draw_put(win, wc, esc, role);
			used += w;
		}
		col += w;
		i += (size_t)k;
	}
	return used;
}

void
draw_fill(WINDOW *win, int y, int x, int w, enum role role)
{
	draw_role(win, role, 0);
	if (w > 0)
		mvwhline(win, y, x, ' ', w);
}

void
draw_highlight(WINDOW *win, int y, int x, int w, enum role role)
{
	attr_t	a = theme_attr(role);

	/* chgat takes the colour pair apart from the attributes. */
	mvwchgat(win, y, x, w, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
}
