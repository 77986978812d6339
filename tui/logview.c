/*
 * The log viewer (logview.h): a parser of terminal output that keeps the
 * text and its SGR styles and nothing else a terminal would act on, the
 * bounded store of lines it fills, and a view over them with following,
 * sideways scrolling, wrapping and search.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "logview.h"
#include "theme.h"
#include "xmalloc.h"

/* An escape sequence longer than this is not one worth reading. */
#define LOGVIEW_SEQ_MAX		64
#define LOGVIEW_PARAMS_MAX	32
/* What a line costs besides its text, counted against max_bytes. */
#define LOGVIEW_LINE_COST	64
/* Matches marked on one line. */
#define LOGVIEW_MARKS_MAX	64

enum logview_state {
	LOGVIEW_GROUND,
	LOGVIEW_ESC,		/* after ESC */
	LOGVIEW_CSI		/* after ESC [ */
};

/* From byte at of its line on, style applies. */
struct logview_run {
	uint32_t	at;
	uint32_t	style;
};

struct logview_line {
	char			*text;
	size_t			 len, cap;
	struct logview_run	*runs;
	size_t			 nruns, capruns;
	uint64_t		 cut;
};

struct logview {
	size_t			 max_bytes, max_lines;
	struct logview_line	*lines;		/* held: first .. first+n */
	size_t			 first, n, cap;
	size_t			 bytes;
	uint64_t		 dropped;
	int			 open;		/* the last line goes on */

	enum logview_state	 state;
	char			 seq[LOGVIEW_SEQ_MAX];
	size_t			 seqlen;
	int			 cr;		/* a '\r' waits for its '\n' */
	uint32_t		 style;

	int			 h, w;
	size_t			 top;
	int			 left;
	int			 follow;
	int			 wrap;
	char			*needle;	/* lower case */
	long			 match;		/* line of the last match */
};

static struct logview_line *
logview_at(const struct logview *lv, size_t i)
{
	return &lv->lines[lv->first + i];
}

struct logview *
logview_new(size_t max_bytes, size_t max_lines)
{
	struct logview	*lv = xcalloc(1, sizeof *lv);

	lv->max_bytes = max_bytes;
	lv->max_lines = max_lines > 0 ? max_lines : 1;
	lv->follow = 1;
	lv->match = -1;
	return lv;
}

static void
logview_line_free(struct logview_line *l)
{
	free(l->text);
	free(l->runs);
}

static size_t
logview_cost(const struct logview_line *l)
{
	return l->len + l->nruns * sizeof *l->runs + LOGVIEW_LINE_COST;
}

void
logview_clear(struct logview *lv)
{
	size_t	i;

	for (i = 0; i < lv->n; i++)
		logview_line_free(logview_at(lv, i));
	free(lv->lines);
	lv->lines = NULL;
	lv->first = lv->n = lv->cap = 0;
	lv->bytes = 0;
	lv->dropped = 0;
	lv->open = 0;
	lv->state = LOGVIEW_GROUND;
	lv->seqlen = 0;
	lv->cr = 0;
	lv->style = 0;
	lv->top = 0;
	lv->left = 0;
	lv->follow = 1;
	lv->match = -1;
}

void
logview_free(struct logview *lv)
{
	if (lv == NULL)
		return;
	logview_clear(lv);
	free(lv->needle);
	free(lv);
}

/* Drop the oldest line; the view and the match stay on their lines. */
static void
logview_drop(struct logview *lv)
{
	struct logview_line	*l = logview_at(lv, 0);

	lv->bytes -= logview_cost(l);
	logview_line_free(l);
	lv->first++;
	lv->n--;
	lv->dropped++;
	if (lv->top > 0)
		lv->top--;
	if (lv->match >= 0)
		lv->match--;
}

/* Start a line, dropping old ones to make room. */
static struct logview_line *
logview_begin(struct logview *lv)
{
	struct logview_line	*l;

	while (lv->n > 0 && (lv->n + 1 > lv->max_lines ||
	    lv->bytes + LOGVIEW_LINE_COST > lv->max_bytes))
		logview_drop(lv);
	if (lv->first + lv->n == lv->cap) {
		if (lv->first > 0 && lv->first >= lv->cap / 2) {
			memmove(lv->lines, lv->lines + lv->first, lv->n *
			    sizeof *lv->lines);
			lv->first = 0;
		} else {
			lv->cap = lv->cap ? lv->cap * 2 : 256;
			lv->lines = xreallocarray(lv->lines, lv->cap,
			    sizeof *lv->lines);
		}
	}
	l = &lv->lines[lv->first + lv->n++];
	memset(l, 0, sizeof *l);
	lv->bytes += LOGVIEW_LINE_COST;
	lv->open = 1;
	return l;
}

/* The line bytes go to. */
static struct logview_line *
logview_current(struct logview *lv)
{
	if (!lv->open || lv->n == 0)
		return logview_begin(lv);
	return logview_at(lv, lv->n - 1);
}

/* Make room for more bytes by dropping old lines, never the current. */
static void
logview_trim(struct logview *lv)
{
	while (lv->n > 1 && lv->bytes > lv->max_bytes)
		logview_drop(lv);
}

/* Add one byte of text to the current line in the current style. */
static void
logview_add(struct logview *lv, char c)
{
	struct logview_line	*l = logview_current(lv);
	uint32_t		 last;

	if (l->len >= LOGVIEW_LINE_MAX) {
		l->cut++;
		return;
	}
	last = l->nruns > 0 ? l->runs[l->nruns - 1].style : 0;
	if (last != lv->style) {
		if (l->nruns > 0 && l->runs[l->nruns - 1].at == l->len)
			l->runs[l->nruns - 1].style = lv->style;
		else {
			if (l->nruns == l->capruns) {
				l->capruns = l->capruns ? l->capruns * 2 : 4;
				l->runs = xreallocarray(l->runs, l->capruns,
				    sizeof *l->runs);
			}
			l->runs[l->nruns].at = (uint32_t)l->len;
			l->runs[l->nruns].style = lv->style;
			l->nruns++;
			lv->bytes += sizeof *l->runs;
		}
	}
	if (l->len + 1 >= l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->text = xrealloc(l->text, l->cap);
	}
	l->text[l->len++] = c;
	l->text[l->len] = '\0';
	lv->bytes++;
}

/* A '\r' followed by more than '\n': the line starts again. */
static void
logview_restart(struct logview *lv)
{
	struct logview_line	*l;

	if (!lv->open || lv->n == 0)
		return;
	l = logview_at(lv, lv->n - 1);
	lv->bytes -= l->len + l->nruns * sizeof *l->runs;
	l->len = 0;
	l->nruns = 0;
	l->cut = 0;
	if (l->text != NULL)
		l->text[0] = '\0';
}

static void
logview_newline(struct logview *lv)
{
	if (!lv->open)
		logview_begin(lv);
	lv->open = 0;
}

static uint32_t
logview_pack(int fg, int bg, int attrs)
{
	return (uint32_t)(fg + 1) | (uint32_t)(bg + 1) << 9 |
	    (uint32_t)attrs << 18;
}

/* An extended colour (38;5;N or 38;2;R;G;B) at p[*i]; -2 if malformed. */
static int
logview_colour(const int *p, size_t n, size_t *i)
{
	int	c = -2;

	if (*i + 1 < n && p[*i + 1] == 5 && *i + 2 < n) {
		if (p[*i + 2] >= 0 && p[*i + 2] <= 255)
			c = p[*i + 2];
		*i += 2;
	} else if (*i + 1 < n && p[*i + 1] == 2 && *i + 4 < n) {
		if (p[*i + 2] >= 0 && p[*i + 2] <= 255 && p[*i + 3] >= 0 &&
		    p[*i + 3] <= 255 && p[*i + 4] >= 0 && p[*i + 4] <= 255)
			c = theme_rgb_to_256(p[*i + 2] << 16 | p[*i + 3] << 8 |
			    p[*i + 4]);
		*i += 4;
	} else
		*i = n;
	return c;
}

/* Apply "ESC [ params m". */
static void
logview_sgr(struct logview *lv, const char *params, size_t len)
{
	int	 p[LOGVIEW_PARAMS_MAX], fg = LOGVIEW_FG(lv->style);
	int	 bg = LOGVIEW_BG(lv->style), c;
	int	 attrs = LOGVIEW_ATTRS(lv->style);
	size_t	 n = 0, i;

	p[0] = 0;
	for (i = 0; i < len && n < LOGVIEW_PARAMS_MAX; i++) {
		if (params[i] == ';' || params[i] == ':') {
			if (++n < LOGVIEW_PARAMS_MAX)
				p[n] = 0;
		} else if (p[n] < 10000)
			p[n] = p[n] * 10 + (params[i] - '0');
	}
	if (n < LOGVIEW_PARAMS_MAX)
		n++;
	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case 0:
			fg = bg = -1;
			attrs = 0;
			break;
		case 1:
			attrs |= THEME_BOLD;
			break;
		case 2:
			attrs |= THEME_DIM;
			break;
		case 3:
			attrs |= THEME_ITALIC;
			break;
		case 4:
			attrs |= THEME_UNDERLINE;
			break;
		case 7:
			attrs |= THEME_REVERSE;
			break;
		case 22:
			attrs &= ~(THEME_BOLD | THEME_DIM);
			break;
		case 23:
			attrs &= ~THEME_ITALIC;
			break;
		case 24:
			attrs &= ~THEME_UNDERLINE;
			break;
		case 27:
			attrs &= ~THEME_REVERSE;
			break;
		case 38:
			if ((c = logview_colour(p, n, &i)) != -2)
				fg = c;
			break;
		case 39:
			fg = -1;
			break;
		case 48:
			if ((c = logview_colour(p, n, &i)) != -2)
				bg = c;
			break;
		case 49:
			bg = -1;
			break;
		default:
			if (p[i] >= 30 && p[i] <= 37)
				fg = p[i] - 30;
			else if (p[i] >= 40 && p[i] <= 47)
				bg = p[i] - 40;
			else if (p[i] >= 90 && p[i] <= 97)
				fg = p[i] - 90 + 8;
			else if (p[i] >= 100 && p[i] <= 107)
				bg = p[i] - 100 + 8;
			/* Blinking, hiding and the rest: ignored. */
			break;
		}
	}
	lv->style = logview_pack(fg, bg, attrs);
}

/* Keep a sequence that is not SGR as text, to be shown escaped. */
static void
logview_literal(struct logview *lv)
{
	size_t	i;

	for (i = 0; i < lv->seqlen; i++)
		logview_add(lv, lv->seq[i]);
	lv->seqlen = 0;
	lv->state = LOGVIEW_GROUND;
}

/* The sequence in seq ends: SGR is applied, the rest kept as text. */
static void
logview_csi_end(struct logview *lv)
{
	size_t	i;

	/* ESC [ digits/;/: m, nothing else. */
	if (lv->seq[lv->seqlen - 1] == 'm') {
		for (i = 2; i < lv->seqlen - 1; i++) {
			if (!isdigit((unsigned char)lv->seq[i]) &&
			    lv->seq[i] != ';' && lv->seq[i] != ':')
				break;
		}
		if (i == lv->seqlen - 1) {
			logview_sgr(lv, lv->seq + 2, lv->seqlen - 3);
			lv->seqlen = 0;
			lv->state = LOGVIEW_GROUND;
			return;
		}
	}
	logview_literal(lv);
}

static void
logview_byte(struct logview *lv, char c)
{
	unsigned char	u = (unsigned char)c;

	if (lv->cr) {
		lv->cr = 0;
		if (c == '\n' && lv->state == LOGVIEW_GROUND) {
			logview_newline(lv);
			return;
		}
		logview_restart(lv);
	}
	switch (lv->state) {
	case LOGVIEW_GROUND:
		break;
	case LOGVIEW_ESC:
		if (c == '[') {
			lv->seq[lv->seqlen++] = c;
			lv->state = LOGVIEW_CSI;
			return;
		}
		logview_literal(lv);
		break;
	case LOGVIEW_CSI:
		if (u >= 0x20 && u <= 0x7e && lv->seqlen < LOGVIEW_SEQ_MAX) {
			lv->seq[lv->seqlen++] = c;
			if (u >= 0x40)
				logview_csi_end(lv);
			return;
		}
		/* Cut short by a control byte or too long: not a sequence. */
		logview_literal(lv);
		break;
	}
	if (c == '\033') {
		lv->seq[0] = c;
		lv->seqlen = 1;
		lv->state = LOGVIEW_ESC;
	} else if (c == '\n')
		logview_newline(lv);
	else if (c == '\r')
		lv->cr = 1;
	else
		logview_add(lv, c);
}

void
logview_feed(struct logview *lv, const char *data, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		logview_byte(lv, data[i]);
	logview_trim(lv);
}

size_t
logview_count(const struct logview *lv)
{
	return lv->n;
}

uint64_t
logview_dropped(const struct logview *lv)
{
	return lv->dropped;
}

size_t
logview_bytes(const struct logview *lv)
{
	return lv->bytes;
}

const char *
logview_line(const struct logview *lv, size_t i, size_t *len)
{
	const struct logview_line	*l;

	if (i >= lv->n) {
		*len = 0;
		return "";
	}
	l = logview_at(lv, i);
	*len = l->len;
	return l->text != NULL ? l->text : "";
}

uint32_t
logview_style(const struct logview *lv, size_t i, size_t at)
{
	const struct logview_line	*l;
	uint32_t			 style = 0;
	size_t				 k;

	if (i >= lv->n)
		return 0;
	l = logview_at(lv, i);
	for (k = 0; k < l->nruns && l->runs[k].at <= at; k++)
		style = l->runs[k].style;
	return style;
}

uint64_t
logview_cut(const struct logview *lv, size_t i)
{
	return i < lv->n ? logview_at(lv, i)->cut : 0;
}

/* --- The view. --- */

void
logview_size(struct logview *lv, int h, int w)
{
	lv->h = h > 0 ? h : 1;
	lv->w = w > 0 ? w : 1;
}

static int
logview_height(const struct logview *lv)
{
	return lv->h > 0 ? lv->h : 1;
}

/* Screen rows line i takes. */
static long
logview_rows(const struct logview *lv, size_t i)
{
	const struct logview_line	*l = logview_at(lv, i);
	long				 cols;
	int				 w = lv->w > 0 ? lv->w : 1;

	if (!lv->wrap)
		return 1;
	cols = draw_width(l->text != NULL ? l->text : "", (int)l->len);
	if (l->cut > 0)
		cols += 24;
	return cols <= w ? 1 : (cols + w - 1) / w;
}

/* The top line that shows the end of the log at the bottom. */
static size_t
logview_bottom_top(const struct logview *lv)
{
	long	rows = 0, h = logview_height(lv);
	size_t	i = lv->n;

	if (!lv->wrap)
		return lv->n > (size_t)h ? lv->n - (size_t)h : 0;
	while (i > 0) {
		rows += logview_rows(lv, i - 1);
		if (rows > h)
			break;
		i--;
	}
	/* The last line alone is taller than the view. */
	if (i == lv->n && lv->n > 0)
		i = lv->n - 1;
	return i;
}

size_t
logview_top(const struct logview *lv)
{
	size_t	bottom = logview_bottom_top(lv);

	if (lv->follow || lv->top > bottom)
		return bottom;
	return lv->top;
}

void
logview_scroll(struct logview *lv, long rows)
{
	size_t	bottom = logview_bottom_top(lv), top = logview_top(lv);

	if (rows < 0) {
		lv->follow = 0;
		top = (size_t)-rows > top ? 0 : top - (size_t)-rows;
	} else if (rows > 0) {
		top = (size_t)rows >= bottom - top ? bottom : top +
		    (size_t)rows;
		if (top >= bottom)
			lv->follow = 1;
	}
	lv->top = top;
}

void
logview_follow(struct logview *lv, int on)
{
	if (!on)
		lv->top = logview_top(lv);
	lv->follow = on;
}

int
logview_following(const struct logview *lv)
{
	return lv->follow;
}

int
logview_hscroll(struct logview *lv, int cols)
{
	if (lv->wrap)
		return 0;
	lv->left += cols;
	if (lv->left < 0)
		lv->left = 0;
	if (lv->left > LOGVIEW_LINE_MAX * 4)
		lv->left = LOGVIEW_LINE_MAX * 4;
	return lv->left;
}

int
logview_toggle_wrap(struct logview *lv)
{
	lv->top = logview_top(lv);
	lv->wrap = !lv->wrap;
	lv->left = 0;
	return lv->wrap;
}

int
logview_wrapping(const struct logview *lv)
{
	return lv->wrap;
}

/* Where needle is in line i from byte from on; -1 if not. */
static long
logview_find(const struct logview *lv, size_t i, size_t from)
{
	const struct logview_line	*l = logview_at(lv, i);
	size_t				 n = strlen(lv->needle), k, j;

	if (n == 0 || l->len < n)
		return -1;
	for (k = from; k + n <= l->len; k++) {
		for (j = 0; j < n; j++) {
			if (tolower((unsigned char)l->text[k + j]) !=
			    lv->needle[j])
				break;
		}
		if (j == n)
			return (long)k;
	}
	return -1;
}

/* Bring line i into view, its match too when lines are cut. */
static void
logview_show(struct logview *lv, size_t i)
{
	const struct logview_line	*l = logview_at(lv, i);
	long				 at = logview_find(lv, i, 0);
	int				 h = logview_height(lv), col, w;

	lv->follow = 0;
	if (i < lv->top || i >= lv->top + (size_t)h)
		lv->top = i > (size_t)h / 3 ? i - (size_t)h / 3 : 0;
	if (lv->top > logview_bottom_top(lv))
		lv->top = logview_bottom_top(lv);
	if (lv->wrap || at < 0)
		return;
	w = lv->w > 0 ? lv->w : 1;
	col = draw_width(l->text, (int)at);
	if (col < lv->left || col + (int)strlen(lv->needle) > lv->left + w)
		lv->left = col > w / 3 ? col - w / 3 : 0;
}

long
logview_search_next(struct logview *lv, int forward)
{
	size_t	start, k, i;

	if (lv->needle == NULL || lv->n == 0)
		return -1;
	if (lv->match >= 0 && (size_t)lv->match < lv->n)
		start = (size_t)lv->match;
	else {
		start = logview_top(lv);
		/* The first look includes the line it starts from. */
		if (forward)
			start = start == 0 ? lv->n - 1 : start - 1;
		else
			start = start + 1 >= lv->n ? 0 : start + 1;
	}
	for (k = 1; k <= lv->n; k++) {
		if (forward)
			i = (start + k) % lv->n;
		else
			i = (start + lv->n - k % lv->n) % lv->n;
		if (logview_find(lv, i, 0) >= 0) {
			lv->match = (long)i;
			logview_show(lv, i);
			return (long)i;
		}
	}
	return -1;
}

long
logview_search(struct logview *lv, const char *needle, int forward)
{
	size_t	i;

	free(lv->needle);
	lv->needle = NULL;
	lv->match = -1;
	if (needle == NULL || *needle == '\0')
		return -1;
	lv->needle = xstrdup(needle);
	for (i = 0; lv->needle[i] != '\0'; i++)
		lv->needle[i] = (char)tolower((unsigned char)lv->needle[i]);
	return logview_search_next(lv, forward);
}

const char *
logview_needle(const struct logview *lv)
{
	return lv->needle;
}

/* The matches of line i, as byte ranges into starts and ends. */
static size_t
logview_marks(const struct logview *lv, size_t i, size_t *starts,
    size_t *ends)
{
	size_t	n = 0, len;
	long	at = 0;

	if (lv->needle == NULL || *lv->needle == '\0')
		return 0;
	len = strlen(lv->needle);
	while (n < LOGVIEW_MARKS_MAX &&
	    (at = logview_find(lv, i, (size_t)at)) >= 0) {
		starts[n] = (size_t)at;
		ends[n] = (size_t)at + len;
		n++;
		at += (long)len;
	}
	return n;
}

/*
 * Draw line i from screen row y: cut at the width from column left, or
 * wrapped over at most rows rows. Return the rows used.
 */
static int
logview_draw_line(struct logview *lv, WINDOW *win, size_t i, int y, int x,
    int rows, int w)
{
	const struct logview_line	*l = logview_at(lv, i);
	size_t				 starts[LOGVIEW_MARKS_MAX];
	size_t				 ends[LOGVIEW_MARKS_MAX];
	size_t				 nmarks, m = 0;
	size_t				 b = 0, run = 0;
	uint32_t			 style = 0, drawn = UINT32_MAX;
	attr_t				 attr = 0;
	wchar_t				 wc;
	char				 esc[8], more[40];
	int				 col = 0, used = 0, row = 0, k, cw;
	int				 marked, was_marked = -1;

	nmarks = logview_marks(lv, i, starts, ends);
	wmove(win, y, x);
	while (b < l->len) {
		k = draw_char(l->text + b, l->len - b, &wc, esc, &cw);
		while (run < l->nruns && l->runs[run].at <= b)
			style = l->runs[run++].style;
		while (m < nmarks && ends[m] <= b)
			m++;
		marked = m < nmarks && starts[m] <= b;
		if (!lv->wrap && col < lv->left) {
			col += cw;
			b += (size_t)k;
			continue;
		}
		if (used + cw > w) {
			if (!lv->wrap) {
				/* More to the right. */
				wattrset(win, theme_attr(ROLE_DIM));
				mvwaddstr(win, y, x + w - 1, draw_utf8 ?
				    "\xe2\x80\xba" : ">");
				return 1;
			}
			if (++row >= rows)
				return row;
			used = 0;
			wmove(win, y + row, x);
		}
		if (style != drawn || marked != was_marked) {
			attr = marked ? theme_attr(ROLE_MATCH) :
			    theme_sgr(LOGVIEW_FG(style), LOGVIEW_BG(style),
			    LOGVIEW_ATTRS(style));
			wattrset(win, attr);
			drawn = style;
			was_marked = marked;
		}
		draw_put_attr(win, wc, esc, attr);
		used += cw;
		col += cw;
		b += (size_t)k;
	}
	if (l->cut > 0) {
		snprintf(more, sizeof more, " [%llu more bytes]",
		    (unsigned long long)l->cut);
		k = (int)strlen(more);
		if (lv->wrap && used + k > w && row + 1 < rows) {
			row++;
			used = 0;
		}
		if (used + k <= w || lv->wrap)
			draw_text(win, y + row, x + used, w - used, more, -1,
			    ROLE_DIM, 0);
	}
	return row + 1;
}

void
logview_draw(struct logview *lv, WINDOW *win, int y, int x, int h, int w)
{
	size_t	i;
	int	row = 0;

	logview_size(lv, h, w);
	i = logview_top(lv);
	if (!lv->follow)
		lv->top = i;
	for (; i < lv->n && row < h; i++)
		row += logview_draw_line(lv, win, i, y + row, x, h - row, w);
}
