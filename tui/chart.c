/*
 * The charting engine of the Experiments section: metric histories as
 * lines, a parameter against a metric as points, a metric across runs as
 * bars, rendered into a grid of cells without curses so that the tests
 * read every character back.
 *
 * Lines and points are drawn on a canvas of dots (2x4 a cell in braille,
 * 2x2 in blocks, 1x3 in ASCII). A history is never drawn point by point:
 * of each run of points that fall in one column of dots only the first,
 * lowest, highest and last are kept, and since the lines between the
 * points of one column only fill the span from the lowest to the highest,
 * what is drawn is dot for dot what every point would draw, peaks
 * included, at a cost of one pass over the points.
 */
#include "config.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "chart.h"
#include "utf8.h"
#include "xmalloc.h"

/* Larger grids are cut to this, so that sizes never overflow. */
#define CHART_MAX_SIZE		1000
/* The smallest plot area worth drawing, in cells. */
#define CHART_MIN_PLOT_W	4
#define CHART_MIN_PLOT_H	2
#define CHART_MAX_TICKS		64
#define CHART_LABEL_SIZE	32
/* Columns between the items of the legend and between x labels. */
#define CHART_GAP		2

struct chart {
	int			 w, h;
	struct chart_cell	*cells;
	size_t			 cap;

	/* The plot area of the current render and its dots. */
	enum chart_mode		 mode;
	int			 px, py, pw, ph;
	int			 cx, cy;	/* dots a cell */
	unsigned char		*mask;		/* dots set, a cell */
	unsigned char		*slant;		/* ASCII: CHART_UP, _DOWN */
	char			*marker;	/* ASCII scatter mark, or 0 */
	int			*colour;	/* of the last dot set, or -1 */
	size_t			 pcap;
	double			 xlo, xk;	/* x = xlo + dot / xk */

	/* Scatter categories: names and an open hash table of them. */
	const char		**cats;
	size_t			 ncats, catcap;
	size_t			*slots;		/* index + 1, or 0 */
	size_t			 nslots;
};

#define CHART_UP	0x1
#define CHART_DOWN	0x2

/* The label styles of an axis. */
enum chart_style {
	CHART_PLAIN,		/* 0.25 */
	CHART_SI,		/* 12k, 1.5M */
	CHART_SCI		/* 1e-3, 2.5e-4 */
};

struct chart_ticks {
	int	n;
	double	v[CHART_MAX_TICKS];		/* in axis units */
	char	label[CHART_MAX_TICKS][CHART_LABEL_SIZE];
};

/* One axis: how values map to dots, and its ticks. */
struct chart_axis {
	double			lo, hi;		/* axis units: log10 on log */
	int			log;
	int			flip;		/* y: the high end at dot 0 */
	int			dots;
	int			per;		/* dots a cell */
	int			whole;		/* whole numbers: no step < 1 */
	double			off, k;		/* dot = off + (v - lo) * k */
	struct chart_ticks	t;
};

/* A point met while reducing a history. */
struct chart_pt {
	size_t	i;
	double	x, y;
};

/* The points of one column so far. */
struct chart_group {
	long		col;
	int		n;
	struct chart_pt	first, lo, hi, last;
};

typedef void	(*chart_emit_fn)(void *, const struct chart_pt *);

static const char chart_markers[] = "*+ox@%&$";

/* Quadrants by mask: 1 top left, 2 top right, 4 bottom left, 8 bottom right. */
static const char *const chart_quadrants[16] = {
	" ", "\xe2\x96\x98", "\xe2\x96\x9d", "\xe2\x96\x80",
	"\xe2\x96\x96", "\xe2\x96\x8c", "\xe2\x96\x9e", "\xe2\x96\x9b",
	"\xe2\x96\x97", "\xe2\x96\x9a", "\xe2\x96\x90", "\xe2\x96\x9c",
	"\xe2\x96\x84", "\xe2\x96\x99", "\xe2\x96\x9f", "\xe2\x96\x88",
};

/* Left eighths of a cell, 1 to 8: ▏▎▍▌▋▊▉█. */
static const char *const chart_eighths[9] = {
	"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89", "\xe2\x96\x88",
};
#define CHART_FULL		"\xe2\x96\x88"
#define CHART_RIGHT_HALF	"\xe2\x96\x90"
#define CHART_RIGHT_EIGHTH	"\xe2\x96\x95"
#define CHART_ELLIPSIS		"\xe2\x80\xa6"

/* Axis pieces: vertical, horizontal, corner, y tick, x tick. */
static const char *const chart_box[2][5] = {
	{ "\xe2\x94\x82", "\xe2\x94\x80", "\xe2\x94\x94", "\xe2\x94\xa4",
	    "\xe2\x94\xac" },
	{ "|", "-", "+", "+", "+" },
};
enum { BOX_V, BOX_H, BOX_CORNER, BOX_YTICK, BOX_XTICK };

/* The grid. */

struct chart *
chart_new(void)
{
	return xcalloc(1, sizeof(struct chart));
}

void
chart_free(struct chart *c)
{
	if (c == NULL)
		return;
	free(c->cells);
	free(c->mask);
	free(c->slant);
	free(c->marker);
	free(c->colour);
	free(c->cats);
	free(c->slots);
	free(c);
}

int
chart_width(const struct chart *c)
{
	return c->w;
}

int
chart_height(const struct chart *c)
{
	return c->h;
}

const struct chart_cell *
chart_cell(const struct chart *c, int y, int x)
{
	if (y < 0 || x < 0 || y >= c->h || x >= c->w)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

char *
chart_text(const struct chart *c)
{
	struct buf	b;
	int		y, x;

	buf_init(&b);
	for (y = 0; y < c->h; y++) {
		for (x = 0; x < c->w; x++)
			buf_adds(&b, chart_cell(c, y, x)->glyph);
		buf_addc(&b, '\n');
	}
	return buf_take(&b);
}

int
chart_plot_area(const struct chart *c, int *x, int *y, int *w, int *h)
{
	if (c->pw <= 0 || c->ph <= 0)
		return -1;
	*x = c->px;
	*y = c->py;
	*w = c->pw;
	*h = c->ph;
	return 0;
}

int
chart_x_at(const struct chart *c, int col, double *x0, double *x1)
{
	double	d0, d1;

	if (c->pw <= 0 || col < c->px || col >= c->px + c->pw)
		return -1;
	if (c->xk == 0) {
		*x0 = *x1 = c->xlo;
		return 0;
	}
	/* The dots of the column, each half a dot either side. */
	d0 = (col - c->px) * c->cx - 0.5;
	d1 = (col - c->px + 1) * c->cx - 0.5;
	*x0 = c->xlo + d0 / c->xk;
	*x1 = c->xlo + d1 / c->xk;
	return 0;
}

/* Start a render: a blank grid of w x h. */
static void
chart_reset(struct chart *c, int w, int h, enum chart_mode mode)
{
	size_t	n, i;

	if (mode != CHART_BRAILLE && mode != CHART_BLOCK)
		mode = CHART_ASCII;
	w = w < 0 ? 0 : w > CHART_MAX_SIZE ? CHART_MAX_SIZE : w;
	h = h < 0 ? 0 : h > CHART_MAX_SIZE ? CHART_MAX_SIZE : h;
	if (w == 0 || h == 0)
		w = h = 0;
	n = (size_t)w * (size_t)h;
	if (n > c->cap) {
		c->cells = xrealloc(c->cells, n * sizeof *c->cells);
		c->cap = n;
	}
	for (i = 0; i < n; i++) {
		strcpy(c->cells[i].glyph, " ");
		c->cells[i].part = CHART_EMPTY;
		c->cells[i].colour = -1;
	}
	c->w = w;
	c->h = h;
	c->mode = mode;
	c->px = c->py = c->pw = c->ph = 0;
}

/* Set one cell; nothing outside the grid. */
static void
chart_set(struct chart *c, int y, int x, const char *glyph, int part,
    int colour)
{
	struct chart_cell	*cell;

	if (y < 0 || x < 0 || y >= c->h || x >= c->w)
		return;
	cell = &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
	assert(strlen(glyph) < sizeof cell->glyph);
	strcpy(cell->glyph, glyph);
	cell->part = part;
	cell->colour = part == CHART_SERIES ? colour : -1;
}

/* Text. */

/*
 * The next character of s as it goes in a cell: its bytes in glyph and
 * its width (0: not shown). Control characters and invalid bytes are '?',
 * and so is all but ASCII in ASCII mode. Return the bytes taken.
 */
static int
chart_char(const char *s, size_t n, int ascii, char *glyph, int *width)
{
	long	cp;
	int	k = utf8_decode(s, n, &cp), w;

	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    (ascii && cp >= 0x80)) {
		strcpy(glyph, "?");
		*width = 1;
		return k;
	}
	if (cp < 0x80) {
		glyph[0] = (char)cp;
		glyph[1] = '\0';
		*width = 1;
		return k;
	}
	w = wcwidth((wchar_t)cp);
	if (w < 0) {
		strcpy(glyph, "?");
		w = 1;
	} else {
		memcpy(glyph, s, (size_t)k);
		glyph[k] = '\0';
	}
	*width = w > 2 ? 2 : w;
	return k;
}

/* The columns s takes in cells. */
static int
chart_text_width(const char *s, int ascii)
{
	size_t	n = strlen(s), i = 0;
	char	glyph[8];
	int	w, total = 0;

	while (i < n) {
		i += (size_t)chart_char(s + i, n - i, ascii, glyph, &w);
		total += w;
	}
	return total;
}

/*
 * Put s at y, x in at most maxw columns, ending in an ellipsis when it
 * does not fit; return the columns used.
 */
static int
chart_put(struct chart *c, int y, int x, int maxw, const char *s, int part,
    int colour)
{
	size_t		 n = strlen(s), i = 0;
	int		 ascii = c->mode == CHART_ASCII, used = 0, w, k, cut;
	char		 glyph[8];

	if (maxw <= 0)
		return 0;
	cut = chart_text_width(s, ascii) > maxw;
	while (i < n) {
		k = chart_char(s + i, n - i, ascii, glyph, &w);
		if (used + w > maxw - cut)
			break;
		if (w > 0) {
			chart_set(c, y, x + used, glyph, part, colour);
			if (w == 2)
				chart_set(c, y, x + used + 1, "", part, colour);
		}
		used += w;
		i += (size_t)k;
	}
	if (cut) {
		chart_set(c, y, x + used, ascii ? "~" : CHART_ELLIPSIS, part,
		    colour);
		used++;
	}
	return used;
}

/* A one-line message: centred, or at the start of row 0 (too small). */
static void
chart_note(struct chart *c, const char *s, int centre)
{
	int	w = chart_text_width(s, c->mode == CHART_ASCII), x = 0, y = 0;

	if (centre) {
		y = (c->h - 1) / 2;
		x = w < c->w ? (c->w - w) / 2 : 0;
	}
	chart_put(c, y, x, c->w - x, s, CHART_NOTE, -1);
}

/* Numbers. */

static int
chart_exp10(double v)
{
	return (int)floor(log10(fabs(v)) + 1e-9);
}

/* Take trailing zeros (and then a trailing point) off a decimal. */
static void
chart_strip(char *s)
{
	size_t	n = strlen(s);

	if (strchr(s, '.') == NULL)
		return;
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
}

static int
chart_clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* a and then b in buf of size, cut to fit. */
static void
chart_join(char *buf, size_t size, const char *a, const char *b)
{
	size_t	na = strlen(a), nb = strlen(b);

	if (na > size - 1)
		na = size - 1;
	if (nb > size - 1 - na)
		nb = size - 1 - na;
	memcpy(buf, a, na);
	memcpy(buf + na, b, nb);
	buf[na + nb] = '\0';
}

/* The style for labels up to amax apart by step, and its SI group. */
static enum chart_style
chart_style_for(double amax, int *group)
{
	*group = 0;
	if (amax == 0)
		return CHART_PLAIN;
	if (amax >= 1e18 || amax < 1e-2)
		return CHART_SCI;
	if (amax >= 1e3) {
		*group = chart_clampi(chart_exp10(amax) / 3, 1, 5);
		return CHART_SI;
	}
	return CHART_PLAIN;
}

/* Format v, one of values step apart, in style (SI group). */
static void
chart_fmt(char *buf, size_t size, double v, double step,
    enum chart_style style, int group)
{
	static const char *const si[] = { "", "k", "M", "G", "T", "P" };
	char			 num[CHART_LABEL_SIZE], ex[16];
	int			 es = chart_exp10(step), e, d;
	double			 m;

	if (v == 0 || fabs(v) < fabs(step) * 1e-6) {
		snprintf(buf, size, "0");
		return;
	}
	switch (style) {
	case CHART_SI:
		/* 500 beside 1k, not 0.5k. */
		if ((e = chart_exp10(v) / 3) < group)
			group = e < 0 ? 0 : e;
		d = chart_clampi(3 * group - es, 0, 15);
		snprintf(num, sizeof num, "%.*f", d, v / pow(10, 3 * group));
		chart_strip(num);
		chart_join(buf, size, num, si[group]);
		break;
	case CHART_SCI:
		e = chart_exp10(v);
		d = chart_clampi(e - es, 0, 15);
		m = v / pow(10, e);
		snprintf(num, sizeof num, "%.*f", d, m);
		if (fabs(atof(num)) >= 10) {
			e++;
			snprintf(num, sizeof num, "%.*f", d, v / pow(10, e));
		}
		chart_strip(num);
		snprintf(ex, sizeof ex, "e%d", e);
		chart_join(buf, size, num, ex);
		break;
	default:
		d = chart_clampi(-es, 0, 15);
		snprintf(num, sizeof num, "%.*f", d, v);
		chart_strip(num);
		chart_join(buf, size, strcmp(num, "-0") == 0 ? "0" : num, "");
		break;
	}
}

/* A value on its own: as many digits as it takes, up to six. */
static void
chart_fmt_one(char *buf, size_t size, double v)
{
	enum chart_style	style;
	int			group;

	style = chart_style_for(fabs(v), &group);
	chart_fmt(buf, size, v, v == 0 ? 1 : pow(10, chart_exp10(v) - 5),
	    style, group);
}

/* A bar's value: four significant digits at most. */
static void
chart_fmt_value(char *buf, size_t size, double v)
{
	static const char	 si[] = " kMGTP";
	char			 num[CHART_LABEL_SIZE], ex[16], *e;
	double			 a = fabs(v);
	int			 g;

	if (isnan(v))
		snprintf(buf, size, "nan");
	else if (isinf(v))
		snprintf(buf, size, v < 0 ? "-inf" : "inf");
	else if (a == 0)
		snprintf(buf, size, "0");
	else if (a >= 1e4 && a < 1e18) {
		g = chart_clampi(chart_exp10(a) / 3, 1, 5);
		snprintf(buf, size, "%.4g%c", v / pow(10, 3 * g), si[g]);
	} else if (a < 1e-3 || a >= 1e18) {
		snprintf(num, sizeof num, "%.2e", v);
		e = strchr(num, 'e');
		*e = '\0';
		chart_strip(num);
		snprintf(ex, sizeof ex, "e%d", atoi(e + 1));
		chart_join(buf, size, num, ex);
	} else
		snprintf(buf, size, "%.4g", v);
}

/* A duration in seconds: 45s, 5m, 1h30m, 2d. */
static void
chart_fmt_duration(char *buf, size_t size, double v, double step)
{
	long long	s, d, h, m;
	const char	*sign = v < 0 ? "-" : "";
	char		 num[CHART_LABEL_SIZE];

	if (step < 1 || fabs(v) >= 1e15) {
		chart_fmt(num, sizeof num, v, step, CHART_PLAIN, 0);
		chart_join(buf, size, num, "s");
		return;
	}
	s = llround(fabs(v));
	d = s / 86400;
	h = s % 86400 / 3600;
	m = s % 3600 / 60;
	s %= 60;
	if (d > 0 && h > 0)
		snprintf(buf, size, "%s%lldd%lldh", sign, d, h);
	else if (d > 0)
		snprintf(buf, size, "%s%lldd", sign, d);
	else if (h > 0 && m > 0)
		snprintf(buf, size, "%s%lldh%lldm", sign, h, m);
	else if (h > 0)
		snprintf(buf, size, "%s%lldh", sign, h);
	else if (m > 0 && s > 0)
		snprintf(buf, size, "%s%lldm%llds", sign, m, s);
	else if (m > 0)
		snprintf(buf, size, "%s%lldm", sign, m);
	else
		snprintf(buf, size, "%s%llds", sign, s);
}

/* The nice step (1, 2 or 5 times a power of ten) after step. */
static double
chart_nice_next(double step)
{
	int	e = chart_exp10(step);
	double	p = pow(10, e), m = step / p;

	if (m < 1.5)
		return 2 * p;
	if (m < 3.5)
		return 5 * p;
	return 10 * p;
}

/* The largest nice step at most v (v > 0). */
static double
chart_nice_floor(double v)
{
	int	e = chart_exp10(v);
	double	p = pow(10, e), m = v / p;

	if (m >= 5)
		return 5 * p;
	if (m >= 2)
		return 2 * p;
	return p;
}

/* Ticks at the multiples of step within lo .. hi; -1 if too many. */
static int
chart_ticks_at(struct chart_ticks *t, double lo, double hi, double step)
{
	double	k0 = ceil(lo / step - 1e-9), k1 = floor(hi / step + 1e-9), k;

	t->n = 0;
	if (!isfinite(k0) || !isfinite(k1) || k1 - k0 >= CHART_MAX_TICKS)
		return -1;
	for (k = k0; k <= k1; k++)
		t->v[t->n++] = k * step;
	return 0;
}

/* Label the ticks of a linear axis step apart. */
static void
chart_label_linear(struct chart_ticks *t, double step)
{
	enum chart_style	style;
	double			amax = 0;
	int			i, group;

	for (i = 0; i < t->n; i++)
		amax = fmax(amax, fabs(t->v[i]));
	style = chart_style_for(amax, &group);
	for (i = 0; i < t->n; i++) {
		chart_fmt(t->label[i], CHART_LABEL_SIZE, t->v[i], step, style,
		    group);
	}
}

/* Axes. */

/* Set the axis to map lo .. hi on its dots (the middle one, if lo == hi). */
static void
chart_axis_scale(struct chart_axis *a)
{
	a->off = 0;
	a->k = 0;
	if (a->hi == a->lo)
		a->off = (a->dots - 1) / 2.0;
	else
		a->k = (a->dots - 1) / (a->hi - a->lo);
	if (a->flip) {
		a->off = (a->dots - 1) - a->off;
		a->k = -a->k;
	}
}

/* Where v (axis units) falls along the axis, in dots. */
static inline double
chart_axis_dot(const struct chart_axis *a, double v)
{
	double	f = a->off + (v - a->lo) * a->k;

	return f < -1e9 ? -1e9 : f > 1e9 ? 1e9 : f;
}

/* The nearest whole number to f, within +-1e9 (halves up). */
static inline long
chart_round(double f)
{
	return (long)(f + 1000000000.5) - 1000000000L;
}

/* The cell (from the start of the plot) of v. */
static int
chart_axis_cell(const struct chart_axis *a, double v)
{
	return (int)(chart_round(chart_axis_dot(a, v)) / a->per);
}

/* Whether the ticks of the y axis are at least gap rows apart. */
static int
chart_yticks_fit(const struct chart_axis *a, int gap)
{
	int	i, row, last = 0;

	for (i = 0; i < a->t.n; i++) {
		row = chart_axis_cell(a, a->t.v[i]);
		if (i > 0 && abs(row - last) < gap)
			return 0;
		last = row;
	}
	return 1;
}

/* Whether the labels of the x axis fit side by side in w columns. */
static int
chart_xticks_fit(const struct chart_axis *a, int px, int w)
{
	int	i, len, col, start, end = -CHART_GAP;

	for (i = 0; i < a->t.n; i++) {
		len = (int)strlen(a->t.label[i]);
		if (len > w)
			return 0;
		col = px + chart_axis_cell(a, a->t.v[i]);
		start = chart_clampi(col - (len - 1) / 2, 0, w - len);
		if (start < end + CHART_GAP)
			return 0;
		end = start + len;
	}
	return 1;
}

/* Whether the ticks fit: y needs gap rows, x needs w columns. */
static int
chart_ticks_fit(const struct chart_axis *a, int y, int gap, int px, int w)
{
	return y ? chart_yticks_fit(a, gap) : chart_xticks_fit(a, px, w);
}

/*
 * Label the axis of one value (lo == hi) with that value, as precisely as
 * it takes.
 */
static void
chart_ticks_one(struct chart_axis *a, int duration)
{
	double	v = a->log ? pow(10, a->lo) : a->lo;

	a->t.n = 1;
	a->t.v[0] = a->lo;
	if (duration)
		chart_fmt_duration(a->t.label[0], CHART_LABEL_SIZE, v, 1e-3);
	else
		chart_fmt_one(a->t.label[0], CHART_LABEL_SIZE, v);
}

/* Steps for durations, in seconds. */
static const double chart_durations[] = {
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
	21600, 43200, 86400, 172800, 604800, 1209600, 2592000, 7776000,
	31536000
};
#define CHART_NDURATIONS \
	(sizeof chart_durations / sizeof chart_durations[0])

/* The step after step: nice numbers, and from a second on durations. */
static double
chart_step_next(double step, int duration)
{
	size_t	i;

	if (duration && chart_nice_next(step) >= 1) {
		for (i = 0; i < CHART_NDURATIONS; i++) {
			if (chart_durations[i] > step)
				return chart_durations[i];
		}
	}
	return chart_nice_next(step);
}

/*
 * The finest ticks at nice steps that fit, or none. On a log axis the
 * steps are of the values, and the ticks are placed by their logarithm.
 */
static void
chart_ticks_linear(struct chart_axis *a, int y, int gap, int px, int w,
    int duration)
{
	double	lo = a->log ? pow(10, a->lo) : a->lo;
	double	hi = a->log ? pow(10, a->hi) : a->hi, step;
	size_t	k;
	int	i, n, tries;

	step = chart_nice_floor((hi - lo) / CHART_MAX_TICKS);
	if (a->whole && step < 1)
		step = 1;
	if (duration && step >= 1) {
		for (k = CHART_NDURATIONS; k > 0; k--) {
			if (chart_durations[k - 1] <= step) {
				step = chart_durations[k - 1];
				break;
			}
		}
	}
	for (tries = 0; tries < 200; tries++, step = chart_step_next(step,
	    duration)) {
		if (chart_ticks_at(&a->t, lo, hi, step) != 0)
			continue;
		if (duration) {
			for (i = 0; i < a->t.n; i++) {
				chart_fmt_duration(a->t.label[i],
				    CHART_LABEL_SIZE, a->t.v[i], step);
			}
		} else
			chart_label_linear(&a->t, step);
		if (a->log) {
			for (i = n = 0; i < a->t.n; i++) {
				if (a->t.v[i] <= 0)
					continue;
				a->t.v[n] = log10(a->t.v[i]);
				memmove(a->t.label[n], a->t.label[i],
				    CHART_LABEL_SIZE);
				n++;
			}
			a->t.n = n;
		}
		if (chart_ticks_fit(a, y, gap, px, w))
			return;
	}
	a->t.n = 0;
}

/*
 * Ticks of a log axis: 1-2-5 in each decade, decades, every k-th decade,
 * the finest that fits with two ticks or more; else linear ticks of the
 * values, placed by their logarithm.
 */
static void
chart_ticks_log(struct chart_axis *a, int y, int gap, int px, int w)
{
	static const double	 sub[] = { 1, 2, 5 };
	double			 k, d0 = floor(a->lo), e;
	int			 i, every;

	/* 1, 2, 5 in each decade. */
	a->t.n = 0;
	for (e = d0; e <= a->hi && a->t.n < CHART_MAX_TICKS; e++) {
		for (i = 0; i < 3 && a->t.n < CHART_MAX_TICKS; i++) {
			k = e + log10(sub[i]);
			if (k >= a->lo - 1e-9 && k <= a->hi + 1e-9)
				a->t.v[a->t.n++] = k;
		}
	}
	for (i = 0; i < a->t.n; i++) {
		chart_fmt_one(a->t.label[i], CHART_LABEL_SIZE,
		    pow(10, a->t.v[i]));
	}
	if (a->t.n >= 2 && e > a->hi && chart_ticks_fit(a, y, gap, px, w))
		return;
	/* Every k-th decade. */
	for (every = 1; every < 1000; every = every < 10 ? every + 1 :
	    (int)chart_nice_next(every)) {
		if (chart_ticks_at(&a->t, a->lo, a->hi, every) != 0)
			continue;
		for (i = 0; i < a->t.n; i++) {
			chart_fmt_one(a->t.label[i], CHART_LABEL_SIZE,
			    pow(10, a->t.v[i]));
		}
		if (a->t.n >= 2 && chart_ticks_fit(a, y, gap, px, w))
			return;
		if (a->t.n < 2)
			break;
	}
	/* Less than two decades in view: linear ticks of the values. */
	chart_ticks_linear(a, y, gap, px, w, 0);
}

/* Choose and label the ticks of an axis. */
static void
chart_ticks(struct chart_axis *a, int y, int gap, int px, int w,
    int duration)
{
	if (a->hi == a->lo)
		chart_ticks_one(a, duration);
	else if (a->log)
		chart_ticks_log(a, y, gap, px, w);
	else
		chart_ticks_linear(a, y, gap, px, w, duration);
	if (!y && a->t.n == 1 && !chart_xticks_fit(a, px, w))
		a->t.n = 0;
}

/* The canvas of dots. */

static void
chart_canvas(struct chart *c, int px, int py, int pw, int ph)
{
	size_t	n = (size_t)pw * (size_t)ph, i;

	c->px = px;
	c->py = py;
	c->pw = pw;
	c->ph = ph;
	switch (c->mode) {
	case CHART_BRAILLE:
		c->cx = 2;
		c->cy = 4;
		break;
	case CHART_BLOCK:
		c->cx = 2;
		c->cy = 2;
		break;
	default:
		c->cx = 1;
		c->cy = 3;
		break;
	}
	if (n > c->pcap) {
		c->mask = xrealloc(c->mask, n);
		c->slant = xrealloc(c->slant, n);
		c->marker = xrealloc(c->marker, n);
		c->colour = xrealloc(c->colour, n * sizeof *c->colour);
		c->pcap = n;
	}
	memset(c->mask, 0, n);
	memset(c->slant, 0, n);
	memset(c->marker, 0, n);
	for (i = 0; i < n; i++)
		c->colour[i] = -1;
}

/* The bit of dot (dx, dy) of a cell. */
static unsigned char
chart_bit(const struct chart *c, int dx, int dy)
{
	static const unsigned char	braille[2][4] = {
		{ 0x01, 0x02, 0x04, 0x40 }, { 0x08, 0x10, 0x20, 0x80 }
	};

	switch (c->mode) {
	case CHART_BRAILLE:
		return braille[dx][dy];
	case CHART_BLOCK:
		return (unsigned char)(1 << (dy * 2 + dx));
	default:
		return (unsigned char)(1 << dy);
	}
}

/* Set dot x, y of the canvas (nothing outside) in colour. */
static void
chart_dot(struct chart *c, int x, int y, int colour, int slant)
{
	size_t	i;

	if (x < 0 || y < 0 || x >= c->pw * c->cx || y >= c->ph * c->cy)
		return;
	i = (size_t)(y / c->cy) * (size_t)c->pw + (size_t)(x / c->cx);
	c->mask[i] |= chart_bit(c, x % c->cx, y % c->cy);
	c->slant[i] |= (unsigned char)slant;
	c->colour[i] = colour;
}

/* A line of dots from x0, y0 to x1, y1 (Bresenham), ends included. */
static void
chart_segment(struct chart *c, int x0, int y0, int x1, int y1, int colour)
{
	int	dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int	sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int	err = dx + dy, e2, px, py, slant;

	chart_dot(c, x0, y0, colour, 0);
	while (x0 != x1 || y0 != y1) {
		px = x0;
		py = y0;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
		slant = 0;
		if (x0 != px && y0 != py)
			slant = (sx > 0) == (sy < 0) ? CHART_UP : CHART_DOWN;
		chart_dot(c, px, py, colour, slant);
		chart_dot(c, x0, y0, colour, slant);
	}
}

/*
 * Clip the segment to the canvas (Liang-Barsky); return 0 when nothing
 * of it is left.
 */
static int
chart_clip(const struct chart *c, double *x0, double *y0, double *x1,
    double *y1)
{
	double	xmax = c->pw * c->cx - 0.5, ymax = c->ph * c->cy - 0.5;
	double	dx = *x1 - *x0, dy = *y1 - *y0, t0 = 0, t1 = 1, r;
	double	p[4] = { -dx, dx, -dy, dy };
	double	q[4] = { *x0 + 0.49, xmax - 0.01 - *x0, *y0 + 0.49,
		    ymax - 0.01 - *y0 };
	int	i;

	for (i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return 0;
			continue;
		}
		r = q[i] / p[i];
		if (p[i] < 0) {
			if (r > t1)
				return 0;
			if (r > t0)
				t0 = r;
		} else {
			if (r < t0)
				return 0;
			if (r < t1)
				t1 = r;
		}
	}
	*x1 = *x0 + t1 * dx;
	*y1 = *y0 + t1 * dy;
	*x0 = *x0 + t0 * dx;
	*y0 = *y0 + t0 * dy;
	return 1;
}

/* The glyph of plot cell i. */
static const char *
chart_plot_glyph(const struct chart *c, size_t i, char *buf)
{
	unsigned	m = c->mask[i];

	switch (c->mode) {
	case CHART_BRAILLE:
		buf[0] = (char)0xe2;
		buf[1] = (char)(0xa0 | (m >> 6));
		buf[2] = (char)(0x80 | (m & 0x3f));
		buf[3] = '\0';
		return buf;
	case CHART_BLOCK:
		return chart_quadrants[m & 0xf];
	default:
		break;
	}
	if (c->marker[i] != 0) {
		buf[0] = c->marker[i];
		buf[1] = '\0';
		return buf;
	}
	switch (m) {
	case 1:
		return "'";
	case 2:
		return "-";
	case 4:
		return ".";
	case 5:
		return ":";
	case 3:
	case 6:
		if (c->slant[i] == CHART_UP)
			return "/";
		if (c->slant[i] == CHART_DOWN)
			return "\\";
		return "|";
	default:
		return "|";
	}
}

/* Copy the canvas into the grid. */
static void
chart_canvas_done(struct chart *c)
{
	char	buf[8];
	size_t	i;
	int	x, y;

	for (y = 0; y < c->ph; y++) {
		for (x = 0; x < c->pw; x++) {
			i = (size_t)y * (size_t)c->pw + (size_t)x;
			if (c->mask[i] == 0 && c->marker[i] == 0)
				continue;
			chart_set(c, c->py + y, c->px + x,
			    chart_plot_glyph(c, i, buf), CHART_SERIES,
			    c->colour[i]);
		}
	}
}

/* Reducing histories. */

static void
chart_group_flush(struct chart_group *g, chart_emit_fn emit, void *arg)
{
	struct chart_pt	p[4], t;
	int		n = 0, i, j;

	if (g->n == 0)
		return;
	p[n++] = g->first;
	p[n++] = g->lo;
	p[n++] = g->hi;
	p[n++] = g->last;
	for (i = 1; i < n; i++) {
		for (j = i; j > 0 && p[j - 1].i > p[j].i; j--) {
			t = p[j];
			p[j] = p[j - 1];
			p[j - 1] = t;
		}
	}
	for (i = 0; i < n; i++) {
		if (i == 0 || p[i].i != p[i - 1].i)
			emit(arg, &p[i]);
	}
	g->n = 0;
}

/* Add point p of column col: a new column hands on the last one's. */
static void
chart_group_add(struct chart_group *g, const struct chart_pt *p, long col,
    chart_emit_fn emit, void *arg)
{
	if (g->n > 0 && col != g->col)
		chart_group_flush(g, emit, arg);
	if (g->n == 0) {
		g->col = col;
		g->first = g->lo = g->hi = g->last = *p;
		g->n = 1;
		return;
	}
	if (p->y < g->lo.y)
		g->lo = *p;
	if (p->y > g->hi.y)
		g->hi = *p;
	g->last = *p;
	g->n++;
}

struct chart_keep {
	size_t	*keep;
	size_t	 n;
};

static void
chart_keep_emit(void *arg, const struct chart_pt *p)
{
	struct chart_keep	*k = arg;

	k->keep[k->n++] = p->i;
}

size_t
chart_downsample(const double *x, const double *y, size_t n, double x0,
    double x1, int columns, size_t *keep)
{
	struct chart_keep	k = { .keep = keep };
	struct chart_group	g = { .n = 0 };
	struct chart_pt		p;
	double			xv, f;
	size_t			i;

	for (i = 0; i < n; i++) {
		xv = x != NULL ? x[i] : (double)i;
		if (!isfinite(xv) || !isfinite(y[i]))
			continue;
		f = 0;
		if (columns > 1 && isfinite(x1 - x0) && x1 != x0)
			f = (xv - x0) / (x1 - x0) * (columns - 1);
		f = f < -1e9 ? -1e9 : f > 1e9 ? 1e9 : f;
		p.i = i;
		p.x = xv;
		p.y = y[i];
		chart_group_add(&g, &p, chart_round(f), chart_keep_emit, &k);
	}
	chart_group_flush(&g, chart_keep_emit, &k);
	return k.n;
}

/* Lines and points. */

/* What a render of lines or points works from. */
struct chart_plot {
	struct chart			*c;
	const struct chart_opts		*o;
	const struct chart_series	*s;
	size_t				 ns;
	int				 scatter;
	int				 categorical;
	struct chart_axis		 x, y;
	size_t				 points;	/* drawn */
	size_t				 skipped;	/* <= 0 on log */
};

/* Drawing a series' points: where the last one was. */
struct chart_pen {
	struct chart	*c;
	int		 colour;
	int		 have;
	double		 x, y;
};

static unsigned long
chart_hash(const char *s)
{
	unsigned long	h = 2166136261UL;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619UL;
	return h;
}

/* The index of category s, added when new. */
static size_t
chart_category(struct chart *c, const char *s)
{
	size_t	i, j, k;

	if (2 * (c->ncats + 1) > c->nslots) {
		free(c->slots);
		c->nslots = c->nslots == 0 ? 64 : 2 * c->nslots;
		c->slots = xcalloc(c->nslots, sizeof *c->slots);
		for (k = 0; k < c->ncats; k++) {
			j = chart_hash(c->cats[k]) & (c->nslots - 1);
			while (c->slots[j] != 0)
				j = (j + 1) & (c->nslots - 1);
			c->slots[j] = k + 1;
		}
	}
	j = chart_hash(s) & (c->nslots - 1);
	while ((i = c->slots[j]) != 0) {
		if (strcmp(c->cats[i - 1], s) == 0)
			return i - 1;
		j = (j + 1) & (c->nslots - 1);
	}
	if (c->ncats == c->catcap) {
		c->catcap = c->catcap == 0 ? 16 : 2 * c->catcap;
		c->cats = xrealloc(c->cats, c->catcap * sizeof *c->cats);
	}
	c->cats[c->ncats] = s;
	c->slots[j] = ++c->ncats;
	return c->ncats - 1;
}

static void
chart_categories_reset(struct chart *c)
{
	c->ncats = 0;
	if (c->slots != NULL)
		memset(c->slots, 0, c->nslots * sizeof *c->slots);
}

/*
 * Point i of series s (y not yet a logarithm): 1, or 0 when it is left
 * out, -1 when that is for a y <= 0 on a log scale.
 */
static inline int
chart_point(struct chart_plot *pl, const struct chart_series *s, size_t i,
    double *x, double *y)
{
	double	xv, yv = s->y[i];

	if (pl->categorical) {
		if (s->xcat == NULL || s->xcat[i] == NULL)
			return 0;
		xv = (double)chart_category(pl->c, s->xcat[i]);
	} else
		xv = s->x != NULL ? s->x[i] : (double)i;
	if (!isfinite(xv) || !isfinite(yv))
		return 0;
	if (pl->y.log && yv <= 0)
		return -1;
	*x = xv;
	*y = yv;
	return 1;
}

/* Whether the range a .. b from the options can be used. */
static int
chart_range_ok(double a, double b, int log)
{
	if (!isfinite(a) || !isfinite(b) || a >= b)
		return 0;
	return !log || a > 0;
}

/*
 * Find the ranges of the axes; return the points to draw. A fixed x range
 * leaves the points outside it out of the y range.
 */
static size_t
chart_ranges(struct chart_plot *pl)
{
	const struct chart_opts	*o = pl->o;
	double			 xlo = INFINITY, xhi = -INFINITY;
	double			 ylo = INFINITY, yhi = -INFINITY, x, y;
	size_t			 i, k, n = 0;
	int			 fixx, fixy, r, whole = 1;

	fixx = (o->flags & CHART_XRANGE) && !pl->categorical &&
	    chart_range_ok(o->xmin, o->xmax, 0);
	fixy = (o->flags & CHART_YRANGE) &&
	    chart_range_ok(o->ymin, o->ymax, pl->y.log);
	for (k = 0; k < pl->ns; k++) {
		if (pl->s[k].y == NULL)
			continue;
		for (i = 0; i < pl->s[k].n; i++) {
			if ((r = chart_point(pl, &pl->s[k], i, &x, &y)) != 1) {
				pl->skipped += r == -1;
				continue;
			}
			if (fixx && (x < o->xmin || x > o->xmax))
				continue;
			/* Comparisons, not fmin or floor: these are calls. */
			n++;
			if (whole && fabs(x) < 1e15 && x != (double)(long long)x)
				whole = 0;
			if (x < xlo)
				xlo = x;
			if (x > xhi)
				xhi = x;
			if (y < ylo)
				ylo = y;
			if (y > yhi)
				yhi = y;
		}
	}
	if (n > 0 && pl->y.log) {
		ylo = log10(ylo);
		yhi = log10(yhi);
	}
	if (pl->categorical) {
		xlo = -0.5;
		xhi = (double)pl->c->ncats - 0.5;
	} else if (fixx) {
		xlo = o->xmin;
		xhi = o->xmax;
	}
	if (fixy) {
		ylo = pl->y.log ? log10(o->ymin) : o->ymin;
		yhi = pl->y.log ? log10(o->ymax) : o->ymax;
	}
	/* A span too small for doubles to tell apart is one value. */
	if (n > 0 && xhi - xlo <= fmax(fabs(xlo), fabs(xhi)) * 1e-12)
		xlo = xhi = (xlo + xhi) / 2;
	if (n > 0 && yhi - ylo <= fmax(fabs(ylo), fabs(yhi)) * 1e-12)
		ylo = yhi = (ylo + yhi) / 2;
	/* Steps and indices: no ticks between them. */
	pl->x.whole = whole;
	pl->x.lo = xlo;
	pl->x.hi = xhi;
	pl->y.lo = ylo;
	pl->y.hi = yhi;
	return n;
}

/* Draw from the pen's last point to p. */
static void
chart_pen_emit(void *arg, const struct chart_pt *p)
{
	struct chart_pen	*pen = arg;
	double			 x0 = pen->x, y0 = pen->y, x1 = p->x, y1 = p->y;

	if (!pen->have) {
		x0 = x1;
		y0 = y1;
	}
	pen->have = 1;
	pen->x = p->x;
	pen->y = p->y;
	if (!chart_clip(pen->c, &x0, &y0, &x1, &y1))
		return;
	chart_segment(pen->c, (int)chart_round(x0), (int)chart_round(y0),
	    (int)chart_round(x1), (int)chart_round(y1), pen->colour);
}

/* A mark at dot x, y: four dots, one quadrant or an ASCII marker. */
static void
chart_mark(struct chart *c, double fx, double fy, int colour)
{
	int	dw = c->pw * c->cx, dh = c->ph * c->cy, x, y;
	size_t	i;

	if (fx < -0.5 || fy < -0.5 || fx >= dw - 0.5 || fy >= dh - 0.5)
		return;
	x = (int)chart_round(fx);
	y = (int)chart_round(fy);
	if (c->mode == CHART_ASCII) {
		i = (size_t)(y / c->cy) * (size_t)c->pw + (size_t)x;
		c->marker[i] = chart_markers[colour % (int)(sizeof
		    chart_markers - 1)];
		c->colour[i] = colour;
		return;
	}
	chart_dot(c, x, y, colour, 0);
	if (c->mode == CHART_BRAILLE) {
		x = x + 1 < dw ? x : x - 1;
		y = y + 1 < dh ? y : y - 1;
		chart_dot(c, x, y, colour, 0);
		chart_dot(c, x + 1, y, colour, 0);
		chart_dot(c, x, y + 1, colour, 0);
		chart_dot(c, x + 1, y + 1, colour, 0);
	}
}

/* Draw the series on the canvas. */
static void
chart_plot_series(struct chart_plot *pl)
{
	const struct chart_series	*s;
	struct chart_pen		 pen;
	struct chart_group		 g;
	struct chart_pt			 p;
	size_t				 k, i;
	double				 x, y;
	int				 exact = pl->o->flags & CHART_EXACT;
	int				 log = pl->y.log;

	for (k = 0; k < pl->ns; k++) {
		s = &pl->s[k];
		if (s->y == NULL)
			continue;
		memset(&pen, 0, sizeof pen);
		pen.c = pl->c;
		pen.colour = s->colour < 0 ? 0 : s->colour;
		g.n = 0;
		for (i = 0; i < s->n; i++) {
			if (chart_point(pl, s, i, &x, &y) != 1)
				continue;
			p.i = i;
			p.x = chart_axis_dot(&pl->x, x);
			p.y = chart_axis_dot(&pl->y, log ? log10(y) : y);
			if (pl->scatter)
				chart_mark(pl->c, p.x, p.y, pen.colour);
			else if (exact)
				chart_pen_emit(&pen, &p);
			else {
				chart_group_add(&g, &p, chart_round(p.x),
				    chart_pen_emit, &pen);
			}
		}
		chart_group_flush(&g, chart_pen_emit, &pen);
	}
}

/* The legend. */

struct chart_item {
	const char	*text;
	int		 width;		/* of text, uncut */
	int		 swatch;	/* a series, not a note */
	int		 colour;
};

/*
 * Lay out items in rows of w columns, names cut to cap columns (notes to
 * the row); draw them when draw is set. Return the rows taken, or -1 when
 * more than maxrows.
 */
static int
chart_legend_flow(struct chart *c, const struct chart_item *it, size_t n,
    int w, int cap, int maxrows, int draw)
{
	const char	*sw;
	int		 row = 0, col = 0, iw, tw;
	size_t		 i;

	for (i = 0; i < n; i++) {
		tw = it[i].swatch ? (it[i].width < cap ? it[i].width : cap) :
		    (it[i].width < w ? it[i].width : w);
		iw = (it[i].swatch ? 2 : 0) + tw;
		if (col > 0 && col + CHART_GAP + iw > w) {
			row++;
			col = 0;
		} else if (col > 0)
			col += CHART_GAP;
		if (row >= maxrows || iw > w)
			return -1;
		if (draw && it[i].swatch) {
			sw = c->mode == CHART_BRAILLE ? "\xe2\xa3\xbf" :
			    c->mode == CHART_BLOCK ? CHART_FULL : "#";
			chart_set(c, row, col, sw, CHART_SERIES,
			    it[i].colour);
			chart_put(c, row, col + 2, tw, it[i].text,
			    CHART_LEGEND, -1);
		} else if (draw)
			chart_put(c, row, col, tw, it[i].text, CHART_NOTE, -1);
		col += iw;
	}
	return n == 0 ? 0 : row + 1;
}

/*
 * The legend of pl in at most maxrows rows: lay it out (draw 0) for the
 * rows it needs, then draw it (draw 1). Names are cut as little as lets
 * them all fit; when even short names do not, the last item says how many
 * series are not listed.
 */
static int
chart_legend(struct chart_plot *pl, int maxrows, int draw)
{
	struct chart		*c = pl->c;
	struct chart_item	*it;
	char			 note[64], more[32];
	size_t			 n = 0, k, shown, named;
	int			 ascii = c->mode == CHART_ASCII, cap, maxw = 0;
	int			 rows = 0;

	if ((pl->o->flags & CHART_NOLEGEND) || maxrows <= 0 || c->w <= 0)
		return 0;
	it = xcalloc(pl->ns + 2, sizeof *it);
	for (k = 0; k < pl->ns; k++) {
		if (pl->s[k].name == NULL)
			continue;
		it[n].text = pl->s[k].name;
		it[n].width = chart_text_width(pl->s[k].name, ascii);
		it[n].swatch = 1;
		it[n].colour = pl->s[k].colour < 0 ? 0 : pl->s[k].colour;
		maxw = it[n].width > maxw ? it[n].width : maxw;
		n++;
	}
	named = n;
	if (pl->skipped > 0) {
		snprintf(note, sizeof note, "%zu value%s %s 0 left out (log)",
		    pl->skipped, pl->skipped == 1 ? "" : "s",
		    ascii ? "<=" : "\xe2\x89\xa4");
		it[n].text = note;
		it[n].width = chart_text_width(note, ascii);
		n++;
	}
	/* Cut names as little as needed. */
	for (cap = maxw; ; cap--) {
		rows = chart_legend_flow(c, it, n, c->w, cap, maxrows, 0);
		if (rows >= 0)
			goto out;
		if (cap <= 3)
			break;
	}
	/* Names of three columns and "+N" for the series left out. */
	cap = 3;
	for (shown = n; shown > 0; shown--) {
		snprintf(more, sizeof more, "+%zu",
		    named - (shown - 1 < named ? shown - 1 : named));
		it[shown - 1].text = more;
		it[shown - 1].width = (int)strlen(more);
		it[shown - 1].swatch = 0;
		rows = chart_legend_flow(c, it, shown, c->w, cap, maxrows, 0);
		if (rows >= 0) {
			n = shown;
			goto out;
		}
	}
	n = 0;
	rows = 0;
out:
	if (draw)
		chart_legend_flow(c, it, n, c->w, cap, maxrows, 1);
	free(it);
	return rows;
}

/* The rows the legend may take in a chart of h rows. */
static int
chart_legend_rows(int h)
{
	if (h < 7)
		return 0;
	return 1 + (h - 7) / 6;
}

/* Axes, ticks and labels. */

static void
chart_draw_axes(struct chart_plot *pl)
{
	struct chart		*c = pl->c;
	const char *const	*box = chart_box[c->mode == CHART_ASCII];
	int			 ax = c->px - 1, ay = c->py + c->ph;
	int			 i, row, col;
	int			 len, start, every, avail, maxw, end;
	size_t			 j;

	for (row = c->py; row < ay; row++)
		chart_set(c, row, ax, box[BOX_V], CHART_AXIS, -1);
	chart_set(c, ay, ax, box[BOX_CORNER], CHART_AXIS, -1);
	for (col = c->px; col < c->w; col++)
		chart_set(c, ay, col, box[BOX_H], CHART_AXIS, -1);
	for (i = 0; i < pl->y.t.n; i++) {
		row = c->py + chart_axis_cell(&pl->y, pl->y.t.v[i]);
		len = (int)strlen(pl->y.t.label[i]);
		chart_set(c, row, ax, box[BOX_YTICK], CHART_AXIS, -1);
		chart_put(c, row, ax - len, len, pl->y.t.label[i], CHART_TICK,
		    -1);
	}
	if (!pl->categorical) {
		for (i = 0; i < pl->x.t.n; i++) {
			col = c->px + chart_axis_cell(&pl->x, pl->x.t.v[i]);
			len = (int)strlen(pl->x.t.label[i]);
			start = chart_clampi(col - (len - 1) / 2, 0,
			    c->w - len);
			chart_set(c, ay, col, box[BOX_XTICK], CHART_AXIS, -1);
			chart_put(c, ay + 1, start, len, pl->x.t.label[i],
			    CHART_TICK, -1);
		}
		return;
	}
	/*
	 * Categories: every k-th labelled, k the least that leaves each
	 * label three columns (all of it when shorter) and a gap.
	 */
	maxw = 0;
	for (j = 0; j < c->ncats; j++) {
		len = chart_text_width(c->cats[j], c->mode == CHART_ASCII);
		maxw = len > maxw ? len : maxw;
	}
	for (every = 1; ; every++) {
		avail = (int)((size_t)every * (size_t)c->pw / c->ncats) - 1;
		if (avail >= (maxw < 3 ? maxw : 3) || (size_t)every >= c->ncats)
			break;
	}
	avail = avail < maxw ? avail : maxw;
	end = -1;
	for (j = 0; j < c->ncats; j += (size_t)every) {
		col = c->px + chart_axis_cell(&pl->x, (double)j);
		len = chart_text_width(c->cats[j], c->mode == CHART_ASCII);
		len = len < avail ? len : avail;
		start = chart_clampi(col - (len - 1) / 2, 0, c->w - len);
		if (len <= 0 || start <= end)
			continue;
		chart_set(c, ay, col, box[BOX_XTICK], CHART_AXIS, -1);
		end = start + chart_put(c, ay + 1, start, len, c->cats[j],
		    CHART_TICK, -1);
	}
}

/* Render lines or points. */
static void
chart_plot(struct chart *c, int width, int height,
    const struct chart_opts *opts, const struct chart_series *s, size_t ns,
    int scatter)
{
	static const struct chart_opts	 zero;
	struct chart_plot		 pl;
	char				 msg[64];
	int				 lrows, ph, pw, lw, i, len, gap;

	if (opts == NULL)
		opts = &zero;
	chart_reset(c, width, height, opts->mode);
	chart_categories_reset(c);
	memset(&pl, 0, sizeof pl);
	pl.c = c;
	pl.o = opts;
	pl.s = s;
	pl.ns = s != NULL ? ns : 0;
	pl.scatter = scatter;
	pl.categorical = scatter && pl.ns > 0 && s[0].xcat != NULL;
	pl.y.log = opts->yscale == CHART_LOG;
	pl.y.flip = 1;
	if (c->w == 0)
		return;
	pl.points = chart_ranges(&pl);
	if (pl.points == 0) {
		chart_note(c, pl.skipped > 0 ? "no values above 0 (log scale)" :
		    "no data", 1);
		return;
	}

	lrows = chart_legend(&pl, chart_legend_rows(c->h), 0);
	ph = c->h - lrows - 2;
	pl.y.per = c->mode == CHART_BRAILLE ? 4 : c->mode == CHART_BLOCK ?
	    2 : 3;
	pl.y.dots = (ph < CHART_MIN_PLOT_H ? CHART_MIN_PLOT_H : ph) * pl.y.per;
	gap = ph >= 9 ? 3 : ph >= 4 ? 2 : 1;
	chart_axis_scale(&pl.y);
	chart_ticks(&pl.y, 1, gap, 0, 0, 0);
	lw = 0;
	for (i = 0; i < pl.y.t.n; i++) {
		len = (int)strlen(pl.y.t.label[i]);
		lw = len > lw ? len : lw;
	}
	pw = c->w - lw - 1;
	if (ph < CHART_MIN_PLOT_H || pw < CHART_MIN_PLOT_W) {
		snprintf(msg, sizeof msg, "too small for a chart (%dx%d)",
		    lw + 1 + CHART_MIN_PLOT_W, lrows + 2 + CHART_MIN_PLOT_H);
		chart_note(c, msg, 0);
		return;
	}
	chart_canvas(c, lw + 1, lrows, pw, ph);
	pl.x.per = c->cx;
	pl.x.dots = pw * c->cx;
	chart_axis_scale(&pl.x);
	c->xlo = pl.x.lo;
	c->xk = pl.x.k;
	if (!pl.categorical) {
		chart_ticks(&pl.x, 0, 0, c->px, c->w,
		    opts->xkind == CHART_X_DURATION);
	}
	chart_legend(&pl, lrows, 1);
	chart_draw_axes(&pl);
	chart_plot_series(&pl);
	chart_canvas_done(c);
}

void
chart_line(struct chart *c, int width, int height,
    const struct chart_opts *opts, const struct chart_series *s,
    size_t nseries)
{
	chart_plot(c, width, height, opts, s, nseries, 0);
}

void
chart_scatter(struct chart *c, int width, int height,
    const struct chart_opts *opts, const struct chart_series *s,
    size_t nseries)
{
	chart_plot(c, width, height, opts, s, nseries, 1);
}

/* Bars. */

/* Bar b of length len cells, rightwards from column z of row y. */
static void
chart_bar_right(struct chart *c, int y, int z, double len, int colour)
{
	long	eighths = lround(len * 8);
	int	i;

	if (eighths == 0)
		eighths = 1;
	if (c->mode == CHART_ASCII) {
		for (i = 0; i < (eighths + 4) / 8 || i == 0; i++)
			chart_set(c, y, z + i, "#", CHART_SERIES, colour);
		return;
	}
	for (i = 0; i < eighths / 8; i++)
		chart_set(c, y, z + i, CHART_FULL, CHART_SERIES, colour);
	if (eighths % 8 != 0) {
		chart_set(c, y, z + i, chart_eighths[eighths % 8],
		    CHART_SERIES, colour);
	}
}

/* Bar of length len cells, leftwards from column z (exclusive). */
static void
chart_bar_left(struct chart *c, int y, int z, double len, int colour)
{
	long	halves = lround(len * 2);
	int	i;

	if (c->mode == CHART_ASCII) {
		for (i = 1; i <= lround(len) || i == 1; i++)
			chart_set(c, y, z - i, "#", CHART_SERIES, colour);
		return;
	}
	if (halves == 0) {
		chart_set(c, y, z - 1, CHART_RIGHT_EIGHTH, CHART_SERIES,
		    colour);
		return;
	}
	for (i = 1; i <= halves / 2; i++)
		chart_set(c, y, z - i, CHART_FULL, CHART_SERIES, colour);
	if (halves % 2 != 0)
		chart_set(c, y, z - i, CHART_RIGHT_HALF, CHART_SERIES, colour);
}

void
chart_bars(struct chart *c, int width, int height,
    const struct chart_opts *opts, const struct chart_bar *bars,
    size_t nbars)
{
	static const struct chart_opts	 zero;
	char				 val[CHART_LABEL_SIZE], msg[64];
	double				 lo = 0, hi = 0, v, span, len;
	size_t				 i, shown, finite = 0;
	int				 ascii, lw = 0, vw = 0, bw, z, w, row;

	if (opts == NULL)
		opts = &zero;
	chart_reset(c, width, height, opts->mode);
	ascii = c->mode == CHART_ASCII;
	if (bars == NULL)
		nbars = 0;
	if (c->w == 0)
		return;
	for (i = 0; i < nbars; i++) {
		v = bars[i].value;
		if (isfinite(v)) {
			finite++;
			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
	}
	if (finite == 0) {
		chart_note(c, "no data", 1);
		return;
	}
	shown = nbars <= (size_t)c->h ? nbars : (size_t)c->h - 1;
	for (i = 0; i < shown; i++) {
		w = bars[i].label != NULL ?
		    chart_text_width(bars[i].label, ascii) : 0;
		lw = w > lw ? w : lw;
		chart_fmt_value(val, sizeof val, bars[i].value);
		w = (int)strlen(val);
		vw = w > vw ? w : vw;
	}
	if (lw > c->w / 3)
		lw = c->w / 3;
	bw = c->w - lw - vw - 2;
	if (bw < CHART_MIN_PLOT_W) {
		snprintf(msg, sizeof msg, "too small for a chart (%dx1)",
		    c->w - bw + CHART_MIN_PLOT_W);
		chart_note(c, msg, 0);
		return;
	}
	span = hi - lo;
	z = span > 0 ? (int)lround(-lo / span * bw) : 0;
	for (i = 0; i < shown; i++) {
		row = (int)i;
		v = bars[i].value;
		if (bars[i].label != NULL) {
			chart_put(c, row, 0, lw, bars[i].label, CHART_LEGEND,
			    -1);
		}
		chart_fmt_value(val, sizeof val, v);
		chart_put(c, row, c->w - (int)strlen(val), vw, val,
		    isfinite(v) ? CHART_LEGEND : CHART_NOTE, -1);
		if (!isfinite(v) || v == 0 || span == 0)
			continue;
		len = fabs(v) / span * bw;
		if ((v > 0 && z >= bw) || (v < 0 && z <= 0))
			continue;
		if (v > 0) {
			len = fmin(len, bw - z);
			chart_bar_right(c, row, lw + 1 + z, len,
			    bars[i].colour < 0 ? 0 : bars[i].colour);
		} else {
			len = fmin(len, z);
			chart_bar_left(c, row, lw + 1 + z, len,
			    bars[i].colour < 0 ? 0 : bars[i].colour);
		}
	}
	if (shown < nbars) {
		snprintf(msg, sizeof msg, "%zu more", nbars - shown);
		chart_put(c, (int)shown, 0, c->w, msg, CHART_NOTE, -1);
	}
}

/* Settings. */

enum chart_mode
chart_mode_pick(enum conf_chart style, int utf8, const char *term)
{
	if (!utf8)
		return CHART_ASCII;
	switch (style) {
	case CONF_CHART_BRAILLE:
		return CHART_BRAILLE;
	case CONF_CHART_BLOCK:
		return CHART_BLOCK;
	case CONF_CHART_ASCII:
		return CHART_ASCII;
	default:
		if (term != NULL && strcmp(term, "linux") == 0)
			return CHART_BLOCK;
		return CHART_BRAILLE;
	}
}
