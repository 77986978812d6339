/*
 * The log viewer: a workload's output as it arrives, held in bounded
 * memory and drawn safely.
 *
 * Bytes are split into lines at '\n' ("\r\n" too; a lone '\r' starts its
 * line again, as a terminal would, so that progress bars show their last
 * state). SGR sequences (colours, bold, underline, italic, reverse, dim)
 * become styles; every other control character and escape sequence stays
 * in the text, so that draw.c shows it escaped and it never reaches the
 * terminal; bytes that are not UTF-8 stay too and show as \xNN. Only the
 * tail is kept: at most max_bytes and max_lines, the oldest lines dropped
 * first, and of a line longer than LOGVIEW_LINE_MAX only its beginning,
 * the rest counted.
 *
 * The view follows the end as output comes (while it is at the bottom),
 * scrolls by lines and sideways over long lines or wraps them, and finds
 * text case-insensitively, marking the matches in view.
 */
#ifndef LATHE_LOGVIEW_H
#define LATHE_LOGVIEW_H

#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#define LOGVIEW_LINE_MAX	(64 * 1024)

/* A style as packed in 32 bits: colours (-1 default, 0-255) and attrs. */
#define LOGVIEW_FG(s)		((int)((s) & 0x1ff) - 1)
#define LOGVIEW_BG(s)		((int)(((s) >> 9) & 0x1ff) - 1)
#define LOGVIEW_ATTRS(s)	((int)(((s) >> 18) & 0x1f))	/* THEME_* */

struct logview;

/* A viewer keeping at most max_bytes and max_lines; never fails. */
struct logview	*logview_new(size_t max_bytes, size_t max_lines);
void		 logview_free(struct logview *);
/* Forget every line and the position (another log); keep wrap. */
void		 logview_clear(struct logview *);
/* Take len more bytes of output; sequences may be cut anywhere. */
void		 logview_feed(struct logview *, const char *, size_t len);

/* Lines held, the last one perhaps unfinished. */
size_t		 logview_count(const struct logview *);
/* Lines dropped from the top so far to stay in bounds. */
uint64_t	 logview_dropped(const struct logview *);
/* Bytes held, text and styles (what max_bytes bounds). */
size_t		 logview_bytes(const struct logview *);
/* The text of line i (0 = the oldest held), *len bytes; owned. */
const char	*logview_line(const struct logview *, size_t i, size_t *len);
/* The style of byte at of line i. */
uint32_t	 logview_style(const struct logview *, size_t i, size_t at);
/* Bytes of line i beyond LOGVIEW_LINE_MAX that were not kept. */
uint64_t	 logview_cut(const struct logview *, size_t i);

/* The size of the view, as the last draw had it (draw sets it). */
void		 logview_size(struct logview *, int h, int w);
/* The first line in view. */
size_t		 logview_top(const struct logview *);
/*
 * Scroll by rows (lines; whole lines when wrapping). Moving up stops
 * following; reaching the bottom follows again.
 */
void		 logview_scroll(struct logview *, long rows);
/* Follow the end (on), or stay where the view is (off). */
void		 logview_follow(struct logview *, int on);
int		 logview_following(const struct logview *);
/* Scroll sideways by cols (not when wrapping); return the offset. */
int		 logview_hscroll(struct logview *, int cols);
/* Wrap long lines or cut them; return whether it now wraps. */
int		 logview_toggle_wrap(struct logview *);
int		 logview_wrapping(const struct logview *);

/*
 * Find needle (case-insensitive; NULL or "" forgets the search) from the
 * view onwards, or backwards when forward is 0, going round at the ends;
 * bring the line into view and stop following. Return the line, or -1.
 */
long		 logview_search(struct logview *, const char *needle,
		    int forward);
/* The next (or previous) match of the last search; -1 if none. */
long		 logview_search_next(struct logview *, int forward);
/* The search text, or NULL. */
const char	*logview_needle(const struct logview *);

/* Draw the view into h rows at y, x, w columns wide. */
void		 logview_draw(struct logview *, WINDOW *, int y, int x,
		    int h, int w);

#endif
