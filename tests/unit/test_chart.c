/*
 * Unit tests of the charting engine (tui/chart.c): known data rendered
 * and read back cell by cell in each mode (the dots of a diagonal, a flat
 * line on the top row, log decades on evenly spaced rows), tick labels of
 * awkward ranges, legends cut to fit, downsampling that keeps the peaks
 * and draws what every point would, scatter plots of categories, bars
 * either side of zero, sizes from nothing up, and chart_draw on a real
 * curses screen.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "buf.h"
#include "chart.h"
#include "chart_draw.h"
#include "theme.h"
#include "xmalloc.h"

static int	have_utf8_locale;

static const char *
glyph(const struct chart *c, int y, int x)
{
	const struct chart_cell	*cell = chart_cell(c, y, x);

	if (cell == NULL)
		fail_msg("no cell at %d, %d", y, x);
	return cell->glyph;
}

static int
part(const struct chart *c, int y, int x)
{
	return chart_cell(c, y, x)->part;
}

static int
colour(const struct chart *c, int y, int x)
{
	return chart_cell(c, y, x)->colour;
}

/* Columns from..to (exclusive) of row y as text. */
static char *
row_text(const struct chart *c, int y, int from, int to)
{
	struct buf	b;
	int		x;

	buf_init(&b);
	for (x = from; x < to; x++)
		buf_adds(&b, glyph(c, y, x));
	if (b.data == NULL)
		buf_adds(&b, "");
	return buf_take(&b);
}

static void
assert_row(const struct chart *c, int y, int from, int to, const char *want)
{
	char	*got = row_text(c, y, from, to);

	if (strcmp(got, want) != 0)
		fail_msg("row %d [%d, %d): '%s', want '%s'", y, from, to, got,
		    want);
	free(got);
}

static void
dump(const struct chart *c)
{
	char	*t = chart_text(c);

	print_message("%s", t);
	free(t);
}

/* The axis corner: row h - 2, the first column that is not blank. */
static void
corner(const struct chart *c, int *ay, int *ax)
{
	int	x;

	*ay = chart_height(c) - 2;
	for (x = 0; x < chart_width(c); x++) {
		if (strcmp(glyph(c, *ay, x), " ") != 0) {
			*ax = x;
			return;
		}
	}
	dump(c);
	fail_msg("no axis");
}

/* Words of s (split on blanks) joined by '|'. */
static char *
words(const char *s)
{
	struct buf	b;
	const char	*p = s, *start;

	buf_init(&b);
	buf_adds(&b, "");
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if (b.len > 0)
			buf_addc(&b, '|');
		buf_add(&b, start, (size_t)(p - start));
	}
	return buf_take(&b);
}

/* The y tick labels, top to bottom, joined by '|'. */
static char *
ylabels(const struct chart *c)
{
	struct buf	 b;
	char		*t, *w;
	int		 ay, ax, y;

	corner(c, &ay, &ax);
	buf_init(&b);
	buf_adds(&b, "");
	for (y = 0; y < ay; y++) {
		/* Legend rows are above the axis. */
		if (strchr("|+", glyph(c, y, ax)[0]) == NULL &&
		    strcmp(glyph(c, y, ax), "\xe2\x94\x82") != 0 &&
		    strcmp(glyph(c, y, ax), "\xe2\x94\xa4") != 0)
			continue;
		t = row_text(c, y, 0, ax);
		w = words(t);
		if (*w != '\0') {
			if (b.len > 0)
				buf_addc(&b, '|');
			buf_adds(&b, w);
		}
		free(w);
		free(t);
	}
	return buf_take(&b);
}

/* The x tick labels, left to right, joined by '|'. */
static char *
xlabels(const struct chart *c)
{
	char	*t = row_text(c, chart_height(c) - 1, 0, chart_width(c));
	char	*w = words(t);

	free(t);
	return w;
}

static void
assert_labels(char *got, const char *want, const struct chart *c)
{
	if (strcmp(got, want) != 0) {
		dump(c);
		fail_msg("labels '%s', want '%s'", got, want);
	}
	free(got);
}

/* The dots of a braille glyph, or -1 when it is not one. */
static int
braille(const char *g)
{
	const unsigned char	*u = (const unsigned char *)g;

	if (u[0] != 0xe2 || (u[1] & 0xfc) != 0xa0 || (u[2] & 0xc0) != 0x80 ||
	    u[3] != '\0')
		return -1;
	return (u[1] & 0x03) << 6 | (u[2] & 0x3f);
}

/* The code point of a one-character glyph. */
static long
code_point(const char *g)
{
	const unsigned char	*u = (const unsigned char *)g;

	if (u[0] < 0x80)
		return u[0];
	if ((u[0] & 0xe0) == 0xc0)
		return (u[0] & 0x1f) << 6 | (u[1] & 0x3f);
	if ((u[0] & 0xf0) == 0xe0)
		return (u[0] & 0x0f) << 12 | (u[1] & 0x3f) << 6 | (u[2] & 0x3f);
	return (u[0] & 0x07) << 18 | (u[1] & 0x3f) << 12 |
	    (u[2] & 0x3f) << 6 | (u[3] & 0x3f);
}

/* Whether row y holds text (any cell of part) containing s. */
static int
row_has(const struct chart *c, int y, const char *s)
{
	char	*t = row_text(c, y, 0, chart_width(c));
	int	 found = strstr(t, s) != NULL;

	free(t);
	return found;
}

static int
find_row(const struct chart *c, const char *s)
{
	int	y;

	for (y = 0; y < chart_height(c); y++) {
		if (row_has(c, y, s))
			return y;
	}
	return -1;
}

/* Every row of chart_text is w cells: a glyph, or the right half of one. */
static void
assert_grid_shape(const struct chart *c, int w, int h)
{
	const struct chart_cell	*cell;
	char			*t;
	int			 y, x, lines = 0;

	assert_int_equal(chart_width(c), w);
	assert_int_equal(chart_height(c), h);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			cell = chart_cell(c, y, x);
			assert_non_null(cell);
			assert_true(strlen(cell->glyph) < sizeof cell->glyph);
			if (cell->glyph[0] == '\0')
				assert_true(x > 0);
		}
	}
	assert_null(chart_cell(c, -1, 0));
	assert_null(chart_cell(c, 0, -1));
	assert_null(chart_cell(c, h, 0));
	assert_null(chart_cell(c, 0, w));
	t = chart_text(c);
	for (x = 0; t[x] != '\0'; x++)
		lines += t[x] == '\n';
	assert_int_equal(lines, h);
	free(t);
}

/* A deterministic pseudo-random number in [0, 1). */
static double
rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return (double)(*s >> 8) / 16777216.0;
}

/* Lines. */

/* A 45-degree line of 16 points on 16x16 dots: two dots a cell. */
static void
test_braille_diagonal(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .mode = CHART_BRAILLE };
	struct chart_series	 s = { .n = 16 };
	double			 x[16], y[16];
	int			 i, ay, ax;

	for (i = 0; i < 16; i++)
		x[i] = y[i] = i;
	s.x = x;
	s.y = y;
	/* Labels "10" and "0": the axis in column 2, 8 columns of plot. */
	chart_line(c, 11, 6, &o, &s, 1);
	corner(c, &ay, &ax);
	assert_int_equal(ay, 4);
	assert_int_equal(ax, 2);
	assert_row(c, 0, 3, 11, "      \xe2\xa1\xa0\xe2\xa0\x8a");
	assert_row(c, 1, 3, 11, "    \xe2\xa1\xa0\xe2\xa0\x8a  ");
	assert_row(c, 2, 3, 11, "  \xe2\xa1\xa0\xe2\xa0\x8a    ");
	assert_row(c, 3, 3, 11, "\xe2\xa1\xa0\xe2\xa0\x8a      ");
	assert_int_equal(braille(glyph(c, 3, 3)), 0x40 | 0x20);
	assert_int_equal(braille(glyph(c, 3, 4)), 0x02 | 0x08);
	assert_int_equal(part(c, 3, 3), CHART_SERIES);
	assert_int_equal(colour(c, 3, 3), 0);
	assert_int_equal(part(c, 3, 5), CHART_EMPTY);
	/* The axes and the labels of both. */
	assert_row(c, 0, 0, 3, "  \xe2\x94\x82");
	assert_row(c, 1, 0, 3, "10\xe2\x94\xa4");
	assert_row(c, 2, 0, 3, "  \xe2\x94\x82");
	assert_row(c, 3, 0, 3, " 0\xe2\x94\xa4");
	assert_string_equal(glyph(c, 4, 2), "\xe2\x94\x94");
	assert_int_equal(part(c, 4, 2), CHART_AXIS);
	assert_int_equal(part(c, 1, 0), CHART_TICK);
	chart_free(c);
}

/* The same line in blocks: one quadrant down each half cell. */
static void
test_block_diagonal(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .mode = CHART_BLOCK };
	struct chart_series	 s = { .n = 8 };
	double			 x[8], y[8];
	int			 i, ay, ax;

	for (i = 0; i < 8; i++)
		x[i] = y[i] = i;
	s.x = x;
	s.y = y;
	/* Labels "5" and "0": the axis in column 1, 4 columns of plot. */
	chart_line(c, 6, 6, &o, &s, 1);
	corner(c, &ay, &ax);
	assert_int_equal(ay, 4);
	assert_int_equal(ax, 1);
	/* Two dots a cell, bottom left and top right: ▞ down the diagonal. */
	assert_row(c, 0, 2, 6, "   \xe2\x96\x9e");
	assert_row(c, 1, 2, 6, "  \xe2\x96\x9e ");
	assert_row(c, 2, 2, 6, " \xe2\x96\x9e  ");
	assert_row(c, 3, 2, 6, "\xe2\x96\x9e   ");
	chart_free(c);
}

/* An ASCII line rising gently, steeply, and falling. */
static void
test_ascii_line(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .mode = CHART_ASCII };
	double			 x[3] = { 0, 1, 2 }, y[3] = { 0, 8, 0 };
	struct chart_series	 s = { .x = x, .y = y, .n = 3 };
	int			 ay, ax, yy, xx;
	char			*t;

	chart_line(c, 12, 5, &o, &s, 1);
	corner(c, &ay, &ax);
	t = chart_text(c);
	for (xx = 0; t[xx] != '\0'; xx++)
		assert_true((unsigned char)t[xx] < 0x80);
	free(t);
	/* Up to the peak, '/' or '|' or dots; '\' or '|' after it. */
	for (yy = 0; yy < ay; yy++) {
		for (xx = ax + 1; xx < 12; xx++) {
			if (part(c, yy, xx) != CHART_SERIES)
				continue;
			assert_non_null(strchr(xx <= ax + 1 + 5 ? "/|.-'" :
			    "\\|.-'", glyph(c, yy, xx)[0]));
		}
	}
	/* Slants where the line climbs or falls a cell at a time. */
	assert_row(c, 0, 0, 12, " |    /'\\   ");
	assert_row(c, 1, 0, 12, "5+  ./   \\. ");
	assert_row(c, 2, 0, 12, "0+./      '\\");
	/* A gentle slope steps through . - ' in each row. */
	s.n = 2;
	y[1] = 1;
	chart_line(c, 12, 6, &o, &s, 1);
	assert_row(c, 0, 0, 12, "1+       .-'");
	assert_row(c, 1, 0, 12, " |     .-'  ");
	assert_row(c, 2, 0, 12, " |  .-'     ");
	assert_row(c, 3, 0, 12, "0+.-'       ");
	assert_row(c, 4, 0, 12, " ++--------+");
	assert_row(c, 5, 0, 12, "  0        1");
	s.n = 3;
	y[1] = 8;
	chart_line(c, 12, 5, &o, &s, 1);
	/* The peak on the top row, the ends on the bottom one. */
	assert_int_equal(part(c, 0, ax + 1 + 5), CHART_SERIES);
	assert_string_equal(glyph(c, ay - 1, ax + 1), ".");
	assert_int_equal(part(c, ay - 1, 11), CHART_SERIES);
	assert_string_equal(glyph(c, ay, ax), "+");
	assert_string_equal(glyph(c, ay, ax + 2), "-");
	chart_free(c);
}

/* Lines are continuous: a steep line fills every row it crosses. */
static void
test_line_continuous(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .flags = CHART_NOLEGEND };
	double			 x[2] = { 0, 1 }, y[2] = { 0, 1000 };
	double			 sx[200], sy[200];
	struct chart_series	 s = { .x = x, .y = y, .n = 2 };
	int			 ay, ax, yy, xx, found, i, lo, hi, plo, phi;

	chart_line(c, 40, 20, &o, &s, 1);
	corner(c, &ay, &ax);
	for (yy = 0; yy < ay; yy++) {
		found = 0;
		for (xx = ax + 1; xx < 40; xx++)
			found |= part(c, yy, xx) == CHART_SERIES;
		assert_true(found);
	}
	/* A sine: the dots of neighbouring columns touch. */
	for (i = 0; i < 200; i++) {
		sx[i] = i;
		sy[i] = sin(i / 10.0);
	}
	s.x = sx;
	s.y = sy;
	s.n = 200;
	chart_line(c, 60, 16, &o, &s, 1);
	corner(c, &ay, &ax);
	plo = phi = -1;
	for (xx = ax + 1; xx < 60; xx++) {
		lo = hi = -1;
		for (yy = 0; yy < ay; yy++) {
			if (part(c, yy, xx) != CHART_SERIES)
				continue;
			if (lo == -1)
				lo = yy;
			hi = yy;
		}
		assert_int_not_equal(lo, -1);
		if (plo != -1)
			assert_true(lo <= phi + 1 && hi >= plo - 1);
		plo = lo;
		phi = hi;
	}
	chart_free(c);
}

/* A flat line at the maximum is on the top row, at the minimum the bottom. */
static void
test_flat_line_extremes(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .flags = CHART_NOLEGEND };
	double			 x[50], ramp[50], top[50], bottom[50];
	struct chart_series	 s[3] = {
		{ .x = x, .y = ramp, .n = 50, .colour = 0 },
		{ .x = x, .y = top, .n = 50, .colour = 1 },
		{ .x = x, .y = bottom, .n = 50, .colour = 2 },
	};
	int			 i, ay, ax, yy, xx, m;

	for (i = 0; i < 50; i++) {
		x[i] = i;
		ramp[i] = 0.2 + 0.5 * sin(i);
		top[i] = 1.5;
		bottom[i] = -1;
	}
	chart_line(c, 30, 12, &o, s, 3);
	corner(c, &ay, &ax);
	for (xx = ax + 1; xx < 30; xx++) {
		assert_int_equal(colour(c, 0, xx), 1);
		m = braille(glyph(c, 0, xx));
		assert_true(m != -1 && (m & 0x09) != 0);
		assert_int_equal(colour(c, ay - 1, xx), 2);
		m = braille(glyph(c, ay - 1, xx));
		assert_true(m != -1 && (m & 0xc0) != 0);
		for (yy = 1; yy < ay; yy++)
			assert_int_not_equal(colour(c, yy, xx), 1);
	}
	chart_free(c);
}

/* On a log scale 1, 10, 100 are evenly spaced, labelled as decades. */
static void
test_log_rows(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .yscale = CHART_LOG,
	    .flags = CHART_NOLEGEND };
	double			 x[3] = { 0, 1, 2 }, y[3] = { 1, 10, 100 };
	struct chart_series	 s = { .x = x, .y = y, .n = 3 };
	int			 ay, ax, r1, r10, r100, xx, found = 0;

	chart_line(c, 30, 11, &o, &s, 1);
	corner(c, &ay, &ax);
	assert_labels(ylabels(c), "100|10|1", c);
	r100 = find_row(c, "100\xe2\x94\xa4");
	r10 = find_row(c, " 10\xe2\x94\xa4");
	r1 = find_row(c, "  1\xe2\x94\xa4");
	assert_int_equal(r100, 0);
	assert_int_equal(r1, ay - 1);
	assert_int_equal(r10 - r100, r1 - r10);
	/* The point at 10 is drawn on the row labelled 10, mid-way. */
	for (xx = ax + 1; xx < 30; xx++)
		found |= part(c, r10, xx) == CHART_SERIES;
	assert_true(found);
	chart_free(c);
}

/* Values <= 0 on a log scale are left out and the legend says so. */
static void
test_log_skipped(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .yscale = CHART_LOG };
	double			 y[6] = { 0.5, 0, -3, 5, 50, NAN };
	double			 neg[3] = { 0, -1, -2 };
	struct chart_series	 s = { .name = "loss", .y = y, .n = 6 };

	chart_line(c, 60, 12, &o, &s, 1);
	assert_true(row_has(c, 0, "loss"));
	assert_true(row_has(c, 0, "2 values \xe2\x89\xa4 0 left out (log)"));
	assert_labels(ylabels(c), "10|1", c);
	o.mode = CHART_ASCII;
	chart_line(c, 60, 12, &o, &s, 1);
	assert_true(row_has(c, 0, "2 values <= 0 left out (log)"));
	/* Nothing positive: a note instead of a chart. */
	s.y = neg;
	s.n = 3;
	chart_line(c, 40, 9, &o, &s, 1);
	assert_int_equal(find_row(c, "no values above 0 (log scale)"), 4);
	assert_int_equal(find_row(c, "+"), -1);
	chart_free(c);
}

/* Tick labels. */

struct tick_case {
	double		 lo, hi;
	int		 n;		/* points from lo to hi */
	int		 log;
	int		 w, h;
	const char	*want;
};

static void
test_y_ticks(void **state)
{
	static const struct tick_case	cases[] = {
		{ 0, 1, 2, 0, 40, 12, "1|0.5|0" },
		{ 0.001, 0.002, 2, 0, 40, 12, "2e-3|1.5e-3|1e-3" },
		{ 1e6, 3e6, 2, 0, 40, 12, "3M|2M|1M" },
		{ -5, -1, 2, 0, 40, 12, "-2|-4" },
		{ -1, 1, 2, 0, 40, 12, "1|0|-1" },
		{ 0, 100000, 20, 0, 60, 8, "100k|50k|0" },
		{ 12000, 12500, 20, 0, 60, 8, "12.4k|12.2k|12k" },
		{ 1e-9, 3e-9, 20, 0, 60, 8, "3e-9|2e-9|1e-9" },
		{ 1e20, 3e20, 20, 0, 60, 8, "3e20|2e20|1e20" },
		{ -0.004, 0.006, 20, 0, 60, 8, "5e-3|0" },
		{ -0.006, 0.006, 20, 0, 60, 8, "5e-3|0|-5e-3" },
		/* One point, all equal, equal to the last digit doubles. */
		{ 0.37, 0.37, 1, 0, 40, 8, "0.37" },
		{ 12345, 12345, 5, 0, 40, 8, "12.345k" },
		{ -2.5, -2.5, 5, 0, 40, 8, "-2.5" },
		{ 0, 0, 5, 0, 40, 8, "0" },
		{ 0.0099999996, 0.0099999996, 3, 0, 40, 8, "1e-2" },
		{ 1, 1 + 1e-13, 20, 0, 60, 8, "1" },
		/* Log: decades, 1-2-5, every k-th decade. */
		{ 1, 1000, 2, 1, 40, 12, "1k|100|10|1" },
		{ 2, 7, 2, 1, 40, 12, "5|2" },
		{ 1e-6, 1e6, 2, 1, 40, 12, "10k|1|1e-4" },
		{ 7, 7, 3, 1, 40, 8, "7" },
	};
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .flags = CHART_NOLEGEND };
	struct chart_series	 s;
	const struct tick_case	*tc;
	double			 y[32];
	size_t			 i;
	int			 k;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tc = &cases[i];
		for (k = 0; k < tc->n; k++) {
			y[k] = tc->n == 1 ? tc->lo :
			    tc->lo + (tc->hi - tc->lo) * k / (tc->n - 1);
		}
		if (tc->log && tc->n == 2 && tc->hi / tc->lo > 100) {
			/* Log spaced, so that the decades between show. */
			y[1] = tc->hi;
		}
		memset(&s, 0, sizeof s);
		s.y = y;
		s.n = (size_t)tc->n;
		o.yscale = tc->log ? CHART_LOG : CHART_LINEAR;
		chart_line(c, tc->w, tc->h, &o, &s, 1);
		print_message("# [%g, %g]\n", tc->lo, tc->hi);
		assert_labels(ylabels(c), tc->want, c);
	}
	chart_free(c);
}

/* Labels are right-aligned against the axis. */
static void
test_y_label_alignment(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .flags = CHART_NOLEGEND };
	double			 y[2] = { -1, 1 };
	struct chart_series	 s = { .y = y, .n = 2 };

	chart_line(c, 20, 12, &o, &s, 1);
	assert_row(c, 0, 0, 3, " 1\xe2\x94\xa4");
	assert_row(c, 9, 0, 3, "-1\xe2\x94\xa4");
	chart_free(c);
}

static void
test_x_ticks(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .flags = CHART_NOLEGEND };
	double			 x[20], y[20];
	struct chart_series	 s = { .x = x, .y = y, .n = 20 };
	int			 i;

	for (i = 0; i < 20; i++) {
		x[i] = i / 19.0;
		y[i] = i;
	}
	chart_line(c, 40, 12, &o, &s, 1);
	assert_labels(xlabels(c), "0|0.2|0.4|0.6|0.8|1", c);
	/* Steps: x NULL counts from 0. */
	s.x = NULL;
	chart_line(c, 60, 8, &o, &s, 1);
	assert_labels(xlabels(c), "0|2|4|6|8|10|12|14|16|18", c);
	/* Narrow: fewer labels, never overlapping. */
	chart_line(c, 16, 8, &o, &s, 1);
	assert_labels(xlabels(c), "0|5|10|15", c);
	chart_line(c, 12, 8, &o, &s, 1);
	assert_labels(xlabels(c), "0|10", c);
	/* Seconds as durations. */
	for (i = 0; i < 20; i++)
		x[i] = 7200.0 * i / 19;
	s.x = x;
	o.xkind = CHART_X_DURATION;
	chart_line(c, 60, 8, &o, &s, 1);
	assert_labels(xlabels(c),
	    "0s|15m|30m|45m|1h|1h15m|1h30m|1h45m|2h", c);
	for (i = 0; i < 20; i++)
		x[i] = 3 * 86400.0 * i / 19;
	chart_line(c, 40, 8, &o, &s, 1);
	assert_labels(xlabels(c), "0s|12h|1d|1d12h|2d|2d12h|3d", c);
	for (i = 0; i < 20; i++)
		x[i] = 0.5 * i / 19;
	chart_line(c, 40, 8, &o, &s, 1);
	assert_labels(xlabels(c), "0s|0.2s|0.4s", c);
	/* Whole numbers (steps) have no ticks between them. */
	for (i = 0; i < 5; i++)
		x[i] = i;
	s.n = 5;
	o.xkind = CHART_X_NUMBER;
	chart_line(c, 40, 8, &o, &s, 1);
	assert_labels(xlabels(c), "0|1|2|3|4", c);
	s.x = NULL;
	chart_line(c, 40, 8, &o, &s, 1);
	assert_labels(xlabels(c), "0|1|2|3|4", c);
	s.x = x;
	s.n = 20;
	/* Large steps in SI. */
	o.xkind = CHART_X_NUMBER;
	for (i = 0; i < 20; i++)
		x[i] = 2e6 * i / 19;
	chart_line(c, 40, 8, &o, &s, 1);
	assert_labels(xlabels(c), "0|500k|1M|1.5M|2M", c);
	/* One x: one label, under the middle. */
	for (i = 0; i < 20; i++)
		x[i] = 42;
	chart_line(c, 41, 8, &o, &s, 1);
	assert_labels(xlabels(c), "42", c);
	assert_string_equal(glyph(c, 7, 22), "4");
	assert_string_equal(glyph(c, 6, 22), "\xe2\x94\xac");
	chart_free(c);
}

/* No data, NaN only, no series: "no data" in the middle, nothing else. */
static void
test_no_data(void **state)
{
	struct chart		*c = chart_new();
	double			 nan3[3] = { NAN, INFINITY, -INFINITY };
	double			 x[3] = { 0, 1, 2 };
	double			 xnan[3] = { NAN, NAN, NAN };
	double			 y[3] = { 1, 2, 3 };
	struct chart_series	 s = { .name = "a", .y = nan3, .n = 3 };
	struct chart_series	 none = { .name = "b", .n = 0 };
	int			 y0;

	chart_line(c, 30, 9, NULL, &s, 1);
	assert_int_equal(find_row(c, "no data"), 4);
	assert_row(c, 4, 0, 30, "           no data            ");
	assert_int_equal(part(c, 4, 11), CHART_NOTE);
	for (y0 = 0; y0 < 9; y0++) {
		if (y0 != 4)
			assert_row(c, y0, 0, 30,
			    "                              ");
	}
	chart_line(c, 30, 9, NULL, NULL, 0);
	assert_int_equal(find_row(c, "no data"), 4);
	chart_line(c, 30, 9, NULL, &none, 1);
	assert_int_equal(find_row(c, "no data"), 4);
	/* x not finite is as bad as y. */
	s.x = xnan;
	s.y = y;
	chart_scatter(c, 30, 9, NULL, &s, 1);
	assert_int_equal(find_row(c, "no data"), 4);
	/* Narrower than the note: cut, in the grid. */
	s.x = x;
	s.y = nan3;
	chart_line(c, 4, 1, NULL, &s, 1);
	assert_row(c, 0, 0, 4, "no \xe2\x80\xa6");
	chart_free(c);
}

/* Legends. */

static void
test_legend(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { 0 };
	double			 y[2] = { 0, 1 };
	struct chart_series	 s[3] = {
		{ .name = "alpha", .y = y, .n = 2, .colour = 0 },
		{ .name = "beta", .y = y, .n = 2, .colour = 5 },
		{ .name = NULL, .y = y, .n = 2, .colour = 2 },
	};

	chart_line(c, 40, 10, &o, s, 3);
	assert_row(c, 0, 0, 17,
	    "\xe2\xa3\xbf alpha  \xe2\xa3\xbf beta  ");
	assert_int_equal(part(c, 0, 0), CHART_SERIES);
	assert_int_equal(colour(c, 0, 0), 0);
	assert_int_equal(part(c, 0, 2), CHART_LEGEND);
	assert_int_equal(colour(c, 0, 2), -1);
	assert_int_equal(colour(c, 0, 9), 5);
	/* The plot starts under it. */
	assert_true(row_has(c, 1, "1\xe2\x94\xa4"));
	/* No legend: the plot starts at the top. */
	o.flags = CHART_NOLEGEND;
	chart_line(c, 40, 10, &o, s, 3);
	assert_true(row_has(c, 0, "1\xe2\x94\xa4"));
	/* Too low for a legend. */
	o.flags = 0;
	chart_line(c, 40, 6, &o, s, 3);
	assert_false(row_has(c, 0, "alpha"));
	o.mode = CHART_BLOCK;
	chart_line(c, 40, 10, &o, s, 3);
	assert_row(c, 0, 0, 7, "\xe2\x96\x88 alpha");
	o.mode = CHART_ASCII;
	chart_line(c, 40, 10, &o, s, 3);
	assert_row(c, 0, 0, 7, "# alpha");
	chart_free(c);
}

/* Long names are cut as little as lets them all fit, then "+N". */
static void
test_legend_truncation(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { 0 };
	double			 y[2] = { 0, 1 };
	struct chart_series	 s[40];
	char			 names[40][32];
	int			 i;

	memset(s, 0, sizeof s);
	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof names[i], "experiment-run-%02d", i);
		s[i].name = names[i];
		s[i].y = y;
		s[i].n = 2;
		s[i].colour = i;
	}
	/* Three names of 17 in 40 columns and one row: 10 columns each. */
	chart_line(c, 40, 10, &o, s, 3);
	assert_row(c, 0, 0, 40,
	    "\xe2\xa3\xbf experimen\xe2\x80\xa6  "
	    "\xe2\xa3\xbf experimen\xe2\x80\xa6  "
	    "\xe2\xa3\xbf experimen\xe2\x80\xa6");
	assert_int_equal(colour(c, 0, 14), 1);
	assert_int_equal(colour(c, 0, 28), 2);
	/* ASCII cuts with '~'. */
	o.mode = CHART_ASCII;
	chart_line(c, 40, 10, &o, s, 3);
	assert_row(c, 0, 0, 14, "# experimen~  ");
	/* Taller: two legend rows, and names whole. */
	o.mode = CHART_BRAILLE;
	chart_line(c, 40, 13, &o, s, 3);
	assert_true(row_has(c, 0, "experiment-run-00"));
	assert_true(row_has(c, 0, "experiment-run-01"));
	assert_true(row_has(c, 1, "experiment-run-02"));
	/* Forty series: short names, and how many are left out. */
	chart_line(c, 40, 10, &o, s, 40);
	assert_row(c, 0, 0, 40,
	    "\xe2\xa3\xbf ex\xe2\x80\xa6  \xe2\xa3\xbf ex\xe2\x80\xa6  "
	    "\xe2\xa3\xbf ex\xe2\x80\xa6  \xe2\xa3\xbf ex\xe2\x80\xa6  "
	    "\xe2\xa3\xbf ex\xe2\x80\xa6  +35  ");
	assert_int_equal(part(c, 0, 35), CHART_NOTE);
	assert_int_equal(colour(c, 0, 28), 4);
	/* The log note gives way to series, and is not counted in them. */
	y[0] = -1;
	o.yscale = CHART_LOG;
	chart_line(c, 40, 10, &o, s, 40);
	assert_row(c, 0, 35, 40, "+35  ");
	chart_free(c);
}

/* Wide characters take two cells; controls and bad bytes show as '?'. */
static void
test_legend_text(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { 0 };
	double			 y[2] = { 0, 1 };
	struct chart_series	 s[2] = {
		{ .name = "\xe8\xae\xad\xe7\xbb\x83", .y = y, .n = 2 },
		{ .name = "a\x1b[31mb\xff", .y = y, .n = 2, .colour = 1 },
	};

	if (!have_utf8_locale)
		skip();
	chart_line(c, 40, 10, &o, s, 2);
	assert_string_equal(glyph(c, 0, 2), "\xe8\xae\xad");
	assert_string_equal(glyph(c, 0, 3), "");
	assert_string_equal(glyph(c, 0, 4), "\xe7\xbb\x83");
	assert_string_equal(glyph(c, 0, 5), "");
	assert_row(c, 0, 8, 18, "\xe2\xa3\xbf a?[31mb?");
	assert_grid_shape(c, 40, 10);
	/* ASCII: every non-ASCII character is one '?'. */
	o.mode = CHART_ASCII;
	chart_line(c, 40, 10, &o, s, 2);
	assert_row(c, 0, 0, 4, "# ??");
	chart_free(c);
}

/* Modes keep to their characters. */

static void
assert_ascii(const struct chart *c)
{
	char	*t = chart_text(c);
	size_t	 i;

	for (i = 0; t[i] != '\0'; i++) {
		if ((unsigned char)t[i] >= 0x80) {
			dump(c);
			fail_msg("byte 0x%02x at %zu", (unsigned char)t[i], i);
		}
	}
	free(t);
}

static void
test_ascii_only(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .mode = CHART_ASCII };
	double			 x[100], y[100], z[100];
	const char		*cats[100];
	static const char *const catnames[] = {
		"adam", "sgd", "r\xc3\xa9sum\xc3\xa9"
	};
	struct chart_series	 s[2] = {
		{ .name = "r\xc3\xa9sum\xc3\xa9", .x = x, .y = y, .n = 100 },
		{ .name = "\xe8\xae\xad", .x = x, .y = z, .n = 100,
		    .colour = 1 },
	};
	struct chart_bar	 b[3] = {
		{ "\xe8\xae\xad", 1, 0 }, { "b", -2, 1 }, { "c", NAN, 2 }
	};
	int			 i;

	for (i = 0; i < 100; i++) {
		x[i] = i;
		y[i] = sin(i / 7.0) * 100;
		z[i] = i - 50;
		cats[i] = catnames[i % 3];
	}
	chart_line(c, 50, 15, &o, s, 2);
	assert_ascii(c);
	assert_true(row_has(c, 0, "r?sum?"));
	o.yscale = CHART_LOG;
	chart_line(c, 50, 15, &o, s, 2);
	assert_ascii(c);
	o.yscale = CHART_LINEAR;
	s[0].xcat = cats;
	chart_scatter(c, 50, 15, &o, s, 1);
	assert_ascii(c);
	assert_true(row_has(c, 14, "r?sum?"));
	chart_bars(c, 30, 3, &o, b, 3);
	assert_ascii(c);
	chart_line(c, 3, 2, &o, s, 2);
	assert_ascii(c);
	chart_line(c, 30, 9, &o, NULL, 0);
	assert_ascii(c);
	chart_free(c);
}

/* Plot cells in block mode are quadrants (U+2580 - U+259F) or blank. */
static void
test_block_only(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .mode = CHART_BLOCK };
	double			 x[500], y[500];
	struct chart_series	 s = { .name = "s", .x = x, .y = y, .n = 500 };
	struct chart_bar	 b[3] = {
		{ "a", 1, 0 }, { "b", -0.37, 1 }, { "c", 0.123, 2 }
	};
	uint32_t		 seed = 7;
	long			 cp;
	int			 i, ay, ax, yy, xx, kind;

	for (i = 0; i < 500; i++) {
		x[i] = i;
		y[i] = rnd(&seed);
	}
	for (kind = 0; kind < 2; kind++) {
		if (kind == 0)
			chart_line(c, 50, 15, &o, &s, 1);
		else
			chart_scatter(c, 50, 15, &o, &s, 1);
		corner(c, &ay, &ax);
		for (yy = 1; yy < ay; yy++) {
			for (xx = ax + 1; xx < 50; xx++) {
				if (strcmp(glyph(c, yy, xx), " ") == 0)
					continue;
				cp = code_point(glyph(c, yy, xx));
				assert_in_range(cp, 0x2580, 0x259f);
				assert_int_equal(part(c, yy, xx), CHART_SERIES);
			}
		}
	}
	chart_bars(c, 30, 3, &o, b, 3);
	for (yy = 0; yy < 3; yy++) {
		for (xx = 0; xx < 30; xx++) {
			if (part(c, yy, xx) != CHART_SERIES)
				continue;
			cp = code_point(glyph(c, yy, xx));
			assert_in_range(cp, 0x2580, 0x259f);
		}
	}
	chart_free(c);
}

/* Braille mode draws the plot in braille only. */
static void
test_braille_only(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .mode = CHART_BRAILLE };
	double			 y[300];
	struct chart_series	 s = { .y = y, .n = 300 };
	int			 i, ay, ax, yy, xx;

	for (i = 0; i < 300; i++)
		y[i] = cos(i / 9.0);
	chart_line(c, 50, 15, &o, &s, 1);
	corner(c, &ay, &ax);
	for (yy = 0; yy < ay; yy++) {
		for (xx = ax + 1; xx < 50; xx++) {
			if (part(c, yy, xx) == CHART_SERIES)
				assert_int_not_equal(braille(glyph(c, yy, xx)),
				    -1);
			else
				assert_string_equal(glyph(c, yy, xx), " ");
		}
	}
	chart_free(c);
}

/* Sizes. */

static void
render_kind(struct chart *c, int kind, int w, int h, enum chart_mode mode)
{
	static double			 y[64], x[64];
	static const char		*cats[64];
	static const char *const	 names[] = { "a", "bb", "ccc" };
	struct chart_opts		 o = { .mode = mode };
	struct chart_series		 s[2];
	struct chart_bar		 b[4] = {
		{ "one", 1, 0 }, { "two", -2, 1 }, { "three", NAN, 2 },
		{ "\xe8\xae\xad", 0.5, 3 },
	};
	int				 i;

	for (i = 0; i < 64; i++) {
		x[i] = i * 1.5;
		y[i] = sin(i) * 1e4;
		cats[i] = names[i % 3];
	}
	memset(s, 0, sizeof s);
	s[0].name = "first series";
	s[0].x = x;
	s[0].y = y;
	s[0].n = 64;
	s[1] = s[0];
	s[1].name = "\xe8\xae\xad\xe7\xbb\x83";
	s[1].colour = 9;
	switch (kind) {
	case 0:
		chart_line(c, w, h, &o, s, 2);
		break;
	case 1:
		o.yscale = CHART_LOG;
		chart_line(c, w, h, &o, s, 2);
		break;
	case 2:
		chart_scatter(c, w, h, &o, s, 2);
		break;
	case 3:
		s[0].xcat = cats;
		s[1].xcat = cats;
		chart_scatter(c, w, h, &o, s, 2);
		break;
	default:
		chart_bars(c, w, h, &o, b, 4);
		break;
	}
}

/* Any size, any kind, any mode: the grid is the size asked, no more. */
static void
test_tiny_sizes(void **state)
{
	static const int	 sizes[][2] = {
		{ 0, 0 }, { 1, 1 }, { 10, 5 }, { -3, 4 }, { 4, -3 },
		{ 2, 50 }, { 50, 2 }, { 5, 3 }, { 12, 4 }, { 13, 7 },
		{ 1, 30 }, { 30, 1 }, { 200, 60 }, { 7, 7 },
	};
	struct chart		*c = chart_new();
	size_t			 i;
	int			 kind, mode, w, h;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		for (kind = 0; kind < 5; kind++) {
			for (mode = 0; mode < 3; mode++) {
				render_kind(c, kind, sizes[i][0], sizes[i][1],
				    mode);
				w = sizes[i][0] > 0 ? sizes[i][0] : 0;
				h = sizes[i][1] > 0 ? sizes[i][1] : 0;
				if (w == 0 || h == 0)
					w = h = 0;
				assert_grid_shape(c, w, h);
			}
		}
	}
	/* Very large sizes are cut. */
	render_kind(c, 0, 1 << 30, 3, CHART_BRAILLE);
	assert_int_equal(chart_width(c), 1000);
	assert_int_equal(chart_height(c), 3);
	chart_free(c);
}

/* Too small for axes: one line says so; 1x1 an ellipsis; 0x0 nothing. */
static void
test_too_small(void **state)
{
	struct chart	*c = chart_new();
	char		*t;

	render_kind(c, 0, 40, 3, CHART_BRAILLE);
	assert_true(row_has(c, 0, "too small for a chart ("));
	assert_int_equal(part(c, 0, 0), CHART_NOTE);
	assert_row(c, 1, 0, 40, "                                        ");
	render_kind(c, 0, 6, 10, CHART_BRAILLE);
	assert_row(c, 0, 0, 6, "too s\xe2\x80\xa6");
	render_kind(c, 4, 10, 3, CHART_BRAILLE);
	assert_row(c, 0, 0, 10, "too small\xe2\x80\xa6");
	render_kind(c, 0, 1, 1, CHART_BRAILLE);
	assert_string_equal(glyph(c, 0, 0), "\xe2\x80\xa6");
	render_kind(c, 0, 1, 1, CHART_ASCII);
	assert_string_equal(glyph(c, 0, 0), "~");
	render_kind(c, 0, 0, 0, CHART_BRAILLE);
	t = chart_text(c);
	assert_string_equal(t, "");
	free(t);
	assert_null(chart_cell(c, 0, 0));
	/* 10x5 is enough for a plot. */
	render_kind(c, 0, 10, 5, CHART_BRAILLE);
	assert_false(row_has(c, 0, "too small"));
	chart_free(c);
}

/* Downsampling. */

static void
test_downsample_spike(void **state)
{
	size_t		 n = 100000, i, k, *keep;
	double		*y = xmalloc(n * sizeof *y);
	uint32_t	 seed = 1;
	int		 spike = 0, dip = 0;

	keep = xmalloc(n * sizeof *keep);
	for (i = 0; i < n; i++)
		y[i] = rnd(&seed);
	y[54321] = 10;
	y[77777] = -10;
	y[100] = NAN;
	k = chart_downsample(NULL, y, n, 0, (double)(n - 1), 160, keep);
	assert_true(k > 0 && k <= 4 * 160);
	for (i = 0; i < k; i++) {
		if (i > 0)
			assert_true(keep[i] > keep[i - 1]);
		assert_int_not_equal(keep[i], 100);
		spike |= keep[i] == 54321;
		dip |= keep[i] == 77777;
	}
	assert_true(spike);
	assert_true(dip);
	/* The first and last points stay. */
	assert_int_equal(keep[0], 0);
	assert_int_equal(keep[k - 1], n - 1);
	/* Fewer points than columns: all kept. */
	k = chart_downsample(NULL, y, 50, 0, 49, 160, keep);
	assert_int_equal(k, 50);
	for (i = 0; i < k; i++)
		assert_int_equal(keep[i], i);
	/* One column; bad ranges; nothing. */
	k = chart_downsample(NULL, y, 1000, 0, 999, 1, keep);
	assert_true(k <= 4);
	k = chart_downsample(NULL, y, 1000, 5, 5, 100, keep);
	assert_true(k <= 4);
	k = chart_downsample(NULL, y, 1000, 0, INFINITY, 100, keep);
	assert_true(k <= 4);
	assert_int_equal(chart_downsample(NULL, y, 0, 0, 1, 10, keep), 0);
	free(keep);
	free(y);
}

/* A spike among 100,000 points reaches the top row, a dip the bottom. */
static void
test_downsample_render(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .flags = CHART_NOLEGEND };
	size_t			 n = 100000, i;
	double			*y = xmalloc(n * sizeof *y);
	struct chart_series	 s = { .y = y, .n = n };
	uint32_t		 seed = 3;
	int			 ay, ax, xx, top = -1, bottom = -1;

	for (i = 0; i < n; i++)
		y[i] = rnd(&seed);
	y[31337] = 50;
	y[88888] = -50;
	chart_line(c, 80, 20, &o, &s, 1);
	corner(c, &ay, &ax);
	for (xx = ax + 1; xx < 80; xx++) {
		if (part(c, 0, xx) == CHART_SERIES) {
			assert_int_equal(top, -1);
			top = xx;
		}
		if (part(c, ay - 1, xx) == CHART_SERIES) {
			assert_int_equal(bottom, -1);
			bottom = xx;
		}
	}
	/* In the columns of their x (x counts from 0). */
	assert_int_equal(top, ax + 1 + (int)(lround(31337.0 / (n - 1) *
	    (2 * (79 - ax) - 1)) / 2));
	assert_int_equal(bottom, ax + 1 + (int)(lround(88888.0 / (n - 1) *
	    (2 * (79 - ax) - 1)) / 2));
	chart_free(c);
	free(y);
}

/* Downsampled lines are dot for dot the lines of every point. */
static void
test_downsample_exact(void **state)
{
	struct chart		*a = chart_new(), *b = chart_new();
	struct chart_opts	 o = { 0 };
	size_t			 n = 20000, i;
	double			*x = xmalloc(n * sizeof *x);
	double			*y = xmalloc(n * sizeof *y);
	double			*z = xmalloc(n * sizeof *z);
	struct chart_series	 s[2] = {
		{ .name = "walk", .x = x, .y = y, .n = n },
		{ .name = "noise", .x = x, .y = z, .n = n, .colour = 3 },
	};
	uint32_t		 seed = 11;
	double			 v = 0;
	char			*ta, *tb;
	int			 mode, scale, yy, xx;

	for (i = 0; i < n; i++) {
		x[i] = (double)i * 0.5 + (i % 7 == 0 ? 0.25 : 0);
		v += rnd(&seed) - 0.5;
		y[i] = v + 20;
		z[i] = rnd(&seed) * 10 + (i % 1000 == 0 ? 20 : 0);
		if (i % 997 == 0)
			z[i] = NAN;
	}
	for (mode = 0; mode < 3; mode++) {
		for (scale = 0; scale < 2; scale++) {
			o.mode = mode;
			o.yscale = scale;
			o.flags = 0;
			chart_line(a, 90, 25, &o, s, 2);
			o.flags = CHART_EXACT;
			chart_line(b, 90, 25, &o, s, 2);
			ta = chart_text(a);
			tb = chart_text(b);
			assert_string_equal(ta, tb);
			free(ta);
			free(tb);
			for (yy = 0; yy < 25; yy++) {
				for (xx = 0; xx < 90; xx++) {
					assert_int_equal(colour(a, yy, xx),
					    colour(b, yy, xx));
				}
			}
		}
	}
	/* With an x range that cuts the data. */
	o.mode = CHART_BRAILLE;
	o.yscale = CHART_LINEAR;
	o.flags = CHART_XRANGE;
	o.xmin = 1000;
	o.xmax = 1500.7;
	chart_line(a, 90, 25, &o, s, 2);
	o.flags |= CHART_EXACT;
	chart_line(b, 90, 25, &o, s, 2);
	ta = chart_text(a);
	tb = chart_text(b);
	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
	chart_free(a);
	chart_free(b);
	free(x);
	free(y);
	free(z);
}

/* Ranges. */

static void
test_fixed_ranges(void **state)
{
	struct chart		*c = chart_new(), *d = chart_new();
	struct chart_opts	 o = { .flags = CHART_NOLEGEND | CHART_XRANGE,
	    .xmin = 10, .xmax = 20 };
	double			 y[101];
	struct chart_series	 s = { .y = y, .n = 101 };
	char			*tc, *td;
	int			 i, ay, ax, xx, top;

	for (i = 0; i <= 100; i++)
		y[i] = i;
	chart_line(c, 40, 10, &o, &s, 1);
	/* x labels within the range, y fitted to the points in it. */
	assert_labels(xlabels(c), "10|12|14|16|18|20", c);
	assert_labels(ylabels(c), "20|15|10", c);
	/* A y range clips the line at its edges. */
	o.flags = CHART_NOLEGEND | CHART_YRANGE;
	o.ymin = 0;
	o.ymax = 50;
	chart_line(c, 40, 10, &o, &s, 1);
	corner(c, &ay, &ax);
	assert_labels(ylabels(c), "40|20|0", c);
	top = 0;
	for (xx = ax + 1; xx < 40; xx++)
		top += part(c, 0, xx) == CHART_SERIES;
	/* The line leaves the top half way across, and stays out. */
	assert_true(top >= 1 && top <= 3);
	assert_int_equal(part(c, 0, 39), CHART_EMPTY);
	/* Ranges that are empty, reversed or not finite are ignored. */
	o.flags = CHART_NOLEGEND;
	chart_line(d, 40, 10, &o, &s, 1);
	td = chart_text(d);
	o.flags = CHART_NOLEGEND | CHART_XRANGE | CHART_YRANGE;
	o.xmin = 5;
	o.xmax = 5;
	o.ymin = 3;
	o.ymax = -3;
	chart_line(c, 40, 10, &o, &s, 1);
	tc = chart_text(c);
	assert_string_equal(tc, td);
	free(tc);
	o.xmin = NAN;
	o.xmax = 1;
	o.ymin = -INFINITY;
	o.ymax = 0;
	o.yscale = CHART_LINEAR;
	chart_line(c, 40, 10, &o, &s, 1);
	tc = chart_text(c);
	assert_string_equal(tc, td);
	free(tc);
	free(td);
	/* A log y range must be above 0. */
	o.flags = CHART_NOLEGEND | CHART_YRANGE;
	o.yscale = CHART_LOG;
	o.ymin = 0;
	o.ymax = 1000;
	chart_line(c, 40, 10, &o, &s, 1);
	assert_labels(ylabels(c), "100|10|1", c);
	/* Far outside the range: clipped, in time, in the grid. */
	y[50] = 1e300;
	y[51] = -1e300;
	o.yscale = CHART_LINEAR;
	o.ymin = 0;
	o.ymax = 1;
	chart_line(c, 40, 10, &o, &s, 1);
	assert_grid_shape(c, 40, 10);
	chart_free(c);
	chart_free(d);
}

/* Rendering again with more points, or the same, needs nothing else. */
static void
test_growing(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { 0 };
	double			 y[3000];
	struct chart_series	 s = { .name = "loss", .y = y, .n = 1000 };
	char			*first, *again, *more;
	int			 i;

	for (i = 0; i < 3000; i++)
		y[i] = 1.0 / (1 + i) + 0.01 * sin(i);
	chart_line(c, 60, 15, &o, &s, 1);
	first = chart_text(c);
	s.n = 3000;
	chart_line(c, 60, 15, &o, &s, 1);
	more = chart_text(c);
	assert_string_not_equal(first, more);
	assert_labels(xlabels(c), "0|500|1k|1.5k|2k|2.5k", c);
	s.n = 1000;
	chart_line(c, 60, 15, &o, &s, 1);
	again = chart_text(c);
	assert_string_equal(first, again);
	free(first);
	free(again);
	free(more);
	chart_free(c);
}

/* What a column of the plot is over, for a cursor. */
static void
test_plot_area(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { 0 };
	struct chart_bar	 b = { "a", 1, 0 };
	double			 y[101], x0, x1, px1 = 0;
	struct chart_series	 s = { .name = "m", .y = y, .n = 101 };
	int			 i, ax, ay, pxx, pyy, pw, ph, col, top = -1;

	for (i = 0; i <= 100; i++)
		y[i] = i == 37 ? 10 : 1;
	chart_line(c, 50, 12, &o, &s, 1);
	corner(c, &ay, &ax);
	assert_int_equal(chart_plot_area(c, &pxx, &pyy, &pw, &ph), 0);
	assert_int_equal(pxx, ax + 1);
	assert_int_equal(pyy, 1);
	assert_int_equal(pw, 50 - ax - 1);
	assert_int_equal(ph, ay - 1);
	assert_int_equal(chart_x_at(c, pxx - 1, &x0, &x1), -1);
	assert_int_equal(chart_x_at(c, pxx + pw, &x0, &x1), -1);
	assert_int_equal(chart_x_at(c, pxx, &x0, &x1), 0);
	assert_true(x0 <= 0 && x1 > 0);
	assert_int_equal(chart_x_at(c, pxx + pw - 1, &x0, &x1), 0);
	assert_true(x0 < 100 && x1 >= 100);
	/* Neighbouring columns meet, and the spike is in its column. */
	for (col = pxx; col < pxx + pw; col++) {
		assert_int_equal(chart_x_at(c, col, &x0, &x1), 0);
		if (col > pxx)
			assert_true(fabs(x0 - px1) < 1e-9);
		px1 = x1;
		if (part(c, pyy, col) == CHART_SERIES)
			top = col;
	}
	assert_int_equal(chart_x_at(c, top, &x0, &x1), 0);
	assert_true(x0 <= 37 && x1 >= 37);
	/* No plot: no data, too small, bars. */
	s.n = 0;
	chart_line(c, 50, 12, &o, &s, 1);
	assert_int_equal(chart_plot_area(c, &pxx, &pyy, &pw, &ph), -1);
	assert_int_equal(chart_x_at(c, 10, &x0, &x1), -1);
	s.n = 101;
	chart_line(c, 50, 3, &o, &s, 1);
	assert_int_equal(chart_plot_area(c, &pxx, &pyy, &pw, &ph), -1);
	chart_bars(c, 50, 3, &o, &b, 1);
	assert_int_equal(chart_plot_area(c, &pxx, &pyy, &pw, &ph), -1);
	chart_free(c);
}

/* Scatter plots. */

static void
test_scatter_numeric(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .flags = CHART_NOLEGEND };
	double			 x[3] = { 0, 5, 10 }, y[3] = { 0, 10, 5 };
	double			 x2[1] = { 10 }, y2[1] = { 0 };
	struct chart_series	 s[2] = {
		{ .x = x, .y = y, .n = 3 },
		{ .x = x2, .y = y2, .n = 1, .colour = 1 },
	};
	int			 ay, ax, yy, xx, marks = 0;

	chart_scatter(c, 21, 10, &o, s, 2);
	corner(c, &ay, &ax);
	/* Marks of four dots at the corners; no line between them. */
	assert_int_equal(braille(glyph(c, ay - 1, ax + 1)), 0x04 | 0x40 |
	    0x20 | 0x80);
	assert_int_equal(colour(c, ay - 1, 20), 1);
	for (yy = 0; yy < ay; yy++) {
		for (xx = ax + 1; xx < 21; xx++)
			marks += part(c, yy, xx) == CHART_SERIES;
	}
	assert_true(marks >= 4 && marks <= 8);
	/* ASCII: a marker for each series. */
	o.mode = CHART_ASCII;
	chart_scatter(c, 21, 10, &o, s, 2);
	corner(c, &ay, &ax);
	assert_string_equal(glyph(c, ay - 1, ax + 1), "*");
	assert_string_equal(glyph(c, ay - 1, 20), "+");
	assert_string_equal(glyph(c, 0, ax + 1 + (int)lround((20 - ax - 1) /
	    2.0)), "*");
	chart_free(c);
}

static void
test_scatter_categories(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .flags = CHART_NOLEGEND };
	static const char *const cats[5] = {
		"adam", "sgd", "adam", "rmsprop", NULL
	};
	static const char *const cats2[2] = { "sgd", "lion" };
	double			 y[5] = { 0.9, 0.5, 0.8, 0.7, 0.1 };
	double			 y2[2] = { 0.6, 0.65 };
	double			 x[2] = { 0, 1 };
	struct chart_series	 s[3] = {
		{ .xcat = (const char *const *)cats, .y = y, .n = 5 },
		{ .xcat = (const char *const *)cats2, .y = y2, .n = 2,
		    .colour = 1 },
		{ .x = x, .y = y2, .n = 2, .colour = 2 },
	};
	const char		*many[60];
	char			 names[60][16], *t, *w;
	double			 ymany[60];
	int			 ay, ax, yy, xx, i, col, found;

	chart_scatter(c, 45, 12, &o, s, 3);
	corner(c, &ay, &ax);
	/* In the order they first appear; NULL is no category. */
	assert_labels(xlabels(c), "adam|sgd|rmsprop|lion", c);
	/* Each category's points over its label. */
	for (i = 0; i < 4; i++) {
		col = ax + 1 + (int)(lround((i + 0.5) / 4 *
		    (2 * (44 - ax) - 1)) / 2);
		assert_string_equal(glyph(c, ay, col), "\xe2\x94\xac");
		found = 0;
		for (yy = 0; yy < ay; yy++) {
			found |= part(c, yy, col) == CHART_SERIES ||
			    part(c, yy, col + 1) == CHART_SERIES;
		}
		assert_true(found);
	}
	/* A series without categories has no points. */
	for (yy = 0; yy < ay; yy++) {
		for (xx = 0; xx < 45; xx++)
			assert_int_not_equal(colour(c, yy, xx), 2);
	}
	/* Sixty categories in 40 columns: some labelled, never touching. */
	for (i = 0; i < 60; i++) {
		snprintf(names[i], sizeof names[i], "c%d", i);
		many[i] = names[i];
		ymany[i] = i;
	}
	memset(s, 0, sizeof s);
	s[0].xcat = many;
	s[0].y = ymany;
	s[0].n = 60;
	chart_scatter(c, 40, 12, &o, s, 1);
	t = row_text(c, 11, 0, 40);
	w = words(t);
	assert_true(strncmp(w, "c0|", 3) == 0);
	assert_true(strlen(w) > 6 && strstr(w, "c59") == NULL);
	assert_null(strstr(t, "\xe2\x80\xa6"));
	free(w);
	free(t);
	/* Long names are cut to their slot. */
	many[0] = "a-very-long-optimizer-name";
	many[1] = "another-long-one";
	s[0].n = 2;
	chart_scatter(c, 30, 12, &o, s, 1);
	assert_true(row_has(c, 11, "a-very-l"));
	assert_true(row_has(c, 11, "\xe2\x80\xa6"));
	chart_free(c);
}

/* Bars. */

static void
test_bars(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { 0 };
	struct chart_bar	 b[5] = {
		{ "a", 1, 0 }, { "b", -0.5, 1 }, { "c", 0.25, 2 },
		{ "d", NAN, 3 }, { "e", -0.25, 4 },
	};
	char			 want[256];
	int			 i;

	/* Label 1, value 5 ("-0.25"), bars 33: zero at 11 of them. */
	chart_bars(c, 41, 5, &o, b, 5);
	want[0] = '\0';
	for (i = 0; i < 12; i++)
		strcat(want, " ");
	for (i = 0; i < 22; i++)
		strcat(want, "\xe2\x96\x88");
	assert_row(c, 0, 0, 1, "a");
	assert_row(c, 0, 1, 35, want);
	assert_row(c, 0, 35, 41, "     1");
	assert_int_equal(part(c, 0, 0), CHART_LEGEND);
	assert_int_equal(colour(c, 0, 13), 0);
	assert_int_equal(part(c, 0, 12), CHART_EMPTY);
	/* Negative: leftwards from zero. */
	want[0] = '\0';
	strcat(want, " ");
	for (i = 0; i < 11; i++)
		strcat(want, "\xe2\x96\x88");
	strcat(want, " ");
	assert_row(c, 1, 1, 14, want);
	assert_int_equal(colour(c, 1, 2), 1);
	assert_row(c, 1, 37, 41, "-0.5");
	/* 5.5 cells: five and a half, ▌ at the right end ... */
	assert_row(c, 2, 13, 20, "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x8c ");
	/* ... and ▐ at the left end. */
	assert_row(c, 4, 7, 13, "\xe2\x96\x90\xe2\x96\x88\xe2\x96\x88"
	    "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88");
	assert_int_equal(part(c, 4, 7), CHART_SERIES);
	assert_int_equal(part(c, 4, 6), CHART_EMPTY);
	/* No value: no bar, a note. */
	assert_row(c, 3, 1, 38, "                                     ");
	assert_row(c, 3, 38, 41, "nan");
	assert_int_equal(part(c, 3, 38), CHART_NOTE);
	/* ASCII: whole cells of '#'. */
	o.mode = CHART_ASCII;
	chart_bars(c, 41, 5, &o, b, 5);
	assert_row(c, 2, 13, 20, "###### ");
	assert_row(c, 1, 1, 14, " ########### ");
	assert_ascii(c);
	chart_free(c);
}

static void
test_bars_precision(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { .mode = CHART_BLOCK };
	struct chart_bar	 b[9];
	char			 label[9][4];
	static const char *const want[9] = {
		"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
		"\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89",
		"\xe2\x96\x88",
	};
	int			 i, bw;

	/* Labels of 1, values "1" .. "1.875": 9 columns of bars in 17. */
	for (i = 0; i < 9; i++) {
		snprintf(label[i], sizeof label[i], "%d", i);
		b[i].label = label[i];
		b[i].value = 1 + i / 8.0;
		b[i].colour = i;
	}
	b[8].value = 2;
	chart_bars(c, 17, 9, &o, b, 9);
	bw = 17 - 1 - 5 - 2;
	assert_int_equal(bw, 9);
	/* Value 2 fills 9 cells; 1 + k/8 fills 4.5 + 9k/16. */
	for (i = 0; i < 9; i++) {
		double	len = b[i].value / 2 * bw;
		int	full = (int)(lround(len * 8) / 8);

		assert_string_equal(glyph(c, i, 2 + full - 1),
		    "\xe2\x96\x88");
		if (lround(len * 8) % 8 != 0)
			assert_string_equal(glyph(c, i, 2 + full),
			    want[lround(len * 8) % 8]);
	}
	/* Tiny values still show; zero shows nothing. */
	b[0].value = 1e-9;
	b[1].value = 0;
	b[2].value = 1000;
	chart_bars(c, 17, 3, &o, b, 3);
	assert_string_equal(glyph(c, 0, 2), "\xe2\x96\x8f");
	assert_string_equal(glyph(c, 1, 2), " ");
	chart_free(c);
}

static void
test_bars_overflow(void **state)
{
	struct chart		*c = chart_new();
	struct chart_bar	 b[10];
	double			 all_nan[2] = { NAN, INFINITY };
	int			 i;

	for (i = 0; i < 10; i++) {
		b[i].label = "run";
		b[i].value = i + 1;
		b[i].colour = i;
	}
	chart_bars(c, 30, 4, NULL, b, 10);
	assert_true(row_has(c, 2, "run"));
	assert_row(c, 3, 0, 6, "7 more");
	assert_int_equal(part(c, 3, 0), CHART_NOTE);
	/* Values: 1.234e+05 as 123.4k, small ones in e-notation. */
	b[0].value = 123400;
	b[1].value = -0.000012;
	b[2].value = 2.5e20;
	chart_bars(c, 40, 3, NULL, b, 3);
	assert_true(row_has(c, 0, "123.4k"));
	assert_true(row_has(c, 1, "-1.2e-5"));
	assert_true(row_has(c, 2, "2.5e20"));
	/* Nothing finite: no data. */
	b[0].value = all_nan[0];
	b[1].value = all_nan[1];
	chart_bars(c, 30, 5, NULL, b, 2);
	assert_int_equal(find_row(c, "no data"), 2);
	chart_bars(c, 30, 5, NULL, NULL, 0);
	assert_int_equal(find_row(c, "no data"), 2);
	/* Long labels take at most a third. */
	b[0].label = "a-run-name-far-too-long-for-the-space";
	b[0].value = 1;
	chart_bars(c, 30, 1, NULL, b, 1);
	assert_row(c, 0, 0, 11, "a-run-nam\xe2\x80\xa6 ");
	chart_free(c);
}

/* Settings. */

static void
test_mode_pick(void **state)
{
	assert_int_equal(chart_mode_pick(CONF_CHART_AUTO, 1, "xterm-256color"),
	    CHART_BRAILLE);
	assert_int_equal(chart_mode_pick(CONF_CHART_AUTO, 1, NULL),
	    CHART_BRAILLE);
	assert_int_equal(chart_mode_pick(CONF_CHART_AUTO, 1, "linux"),
	    CHART_BLOCK);
	assert_int_equal(chart_mode_pick(CONF_CHART_AUTO, 0, "xterm"),
	    CHART_ASCII);
	assert_int_equal(chart_mode_pick(CONF_CHART_BRAILLE, 1, "linux"),
	    CHART_BRAILLE);
	assert_int_equal(chart_mode_pick(CONF_CHART_BLOCK, 1, "xterm"),
	    CHART_BLOCK);
	assert_int_equal(chart_mode_pick(CONF_CHART_ASCII, 1, "xterm"),
	    CHART_ASCII);
	assert_int_equal(chart_mode_pick(CONF_CHART_BRAILLE, 0, "xterm"),
	    CHART_ASCII);
	assert_int_equal(chart_mode_pick(CONF_CHART_BLOCK, 0, "xterm"),
	    CHART_ASCII);
}

/* On the screen. */

/* The character and attributes of a window's cell. */
static void
screen_cell(WINDOW *win, int y, int x, wchar_t *wc, attr_t *attrs,
    short *pair)
{
	cchar_t	cc;
	wchar_t	ws[CCHARW_MAX + 1];

	assert_int_not_equal(mvwin_wch(win, y, x, &cc), ERR);
	getcchar(&cc, ws, attrs, pair, NULL);
	*wc = ws[0];
}

static void
assert_screen_role(WINDOW *win, int y, int x, enum role role)
{
	attr_t	attrs, want = theme_attr(role);
	short	pair;
	wchar_t	wc;

	screen_cell(win, y, x, &wc, &attrs, &pair);
	assert_int_equal(pair, PAIR_NUMBER(want));
	assert_int_equal(attrs & ~A_COLOR, want & ~A_COLOR);
}

static void
test_draw(void **state)
{
	struct chart		*c = chart_new();
	struct chart_opts	 o = { 0 };
	struct theme		*t;
	SCREEN			*scr;
	WINDOW			*win;
	FILE			*out, *in;
	double			 y[2] = { 0, 1 }, y2[2] = { 1, 0 };
	struct chart_series	 s[2] = {
		{ .name = "\xe8\xae\xad up", .y = y, .n = 2, .colour = 0 },
		{ .name = "down", .y = y2, .n = 2, .colour = 9 },
	};
	const char		*top = getenv("top_srcdir");
	char			*path, *cause = NULL;
	wchar_t			 wc;
	attr_t			 attrs;
	short			 pair;
	int			 ay, ax, yy, xx, k;

	if (!have_utf8_locale)
		skip();
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	assert_non_null(out);
	assert_non_null(in);
	if ((scr = newterm("xterm-256color", out, in)) == NULL) {
		fclose(out);
		fclose(in);
		chart_free(c);
		skip();
	}
	path = xasprintf("%s/themes/dark.theme", top != NULL ? top : "../..");
	t = theme_load(path, &cause);
	assert_non_null(t);
	theme_apply(t, THEME_256);
	/* Distinct series colours draw in distinct pairs. */
	for (k = 1; k < CHART_COLOURS; k++) {
		assert_int_not_equal(theme_attr(chart_draw_role(k)),
		    theme_attr(chart_draw_role(0)));
	}
	assert_int_equal(chart_draw_role(9), ROLE_CHART_2);
	assert_int_equal(chart_draw_role(-4), ROLE_CHART_1);

	win = newwin(12, 30, 0, 0);
	chart_line(c, 40, 12, &o, s, 2);
	/* Wider than the window: cut at its edge, one column in. */
	chart_draw(win, 0, 1, c);
	screen_cell(win, 0, 1, &wc, &attrs, &pair);
	assert_int_equal(wc, 0x28ff);
	assert_screen_role(win, 0, 1, ROLE_CHART_1);
	screen_cell(win, 0, 3, &wc, &attrs, &pair);
	assert_int_equal(wc, 0x8bad);
	assert_screen_role(win, 0, 3, ROLE_DEFAULT);
	screen_cell(win, 0, 6, &wc, &attrs, &pair);
	assert_int_equal(wc, 'u');
	/* Legend of the second series, in the second colour. */
	for (xx = 0; xx < 40; xx++) {
		if (colour(c, 0, xx) == 9)
			break;
	}
	assert_screen_role(win, 0, xx + 1, ROLE_CHART_2);
	/* Axes, ticks and marks in their roles. */
	corner(c, &ay, &ax);
	screen_cell(win, ay, ax + 1, &wc, &attrs, &pair);
	assert_int_equal(wc, 0x2514);
	assert_screen_role(win, ay, ax + 1, ROLE_BORDER);
	assert_screen_role(win, ay + 1, ax + 1 + 1, ROLE_DIM);
	for (yy = 1; yy < ay; yy++) {
		for (xx = ax + 1; xx < 29; xx++) {
			if (part(c, yy, xx) != CHART_SERIES)
				continue;
			screen_cell(win, yy, xx + 1, &wc, &attrs, &pair);
			assert_int_equal(wc, code_point(glyph(c, yy, xx)));
			assert_screen_role(win, yy, xx + 1,
			    chart_draw_role(colour(c, yy, xx)));
		}
	}
	/* Off the window: nothing drawn, nothing broken. */
	chart_draw(win, 20, 40, c);
	chart_draw(win, -3, -3, c);
	delwin(win);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	theme_free(t);
	free(path);
	chart_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_braille_diagonal),
		cmocka_unit_test(test_block_diagonal),
		cmocka_unit_test(test_ascii_line),
		cmocka_unit_test(test_line_continuous),
		cmocka_unit_test(test_flat_line_extremes),
		cmocka_unit_test(test_log_rows),
		cmocka_unit_test(test_log_skipped),
		cmocka_unit_test(test_y_ticks),
		cmocka_unit_test(test_y_label_alignment),
		cmocka_unit_test(test_x_ticks),
		cmocka_unit_test(test_no_data),
		cmocka_unit_test(test_legend),
		cmocka_unit_test(test_legend_truncation),
		cmocka_unit_test(test_legend_text),
		cmocka_unit_test(test_ascii_only),
		cmocka_unit_test(test_block_only),
		cmocka_unit_test(test_braille_only),
		cmocka_unit_test(test_tiny_sizes),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_downsample_spike),
		cmocka_unit_test(test_downsample_render),
		cmocka_unit_test(test_downsample_exact),
		cmocka_unit_test(test_fixed_ranges),
		cmocka_unit_test(test_growing),
		cmocka_unit_test(test_plot_area),
		cmocka_unit_test(test_scatter_numeric),
		cmocka_unit_test(test_scatter_categories),
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_bars_precision),
		cmocka_unit_test(test_bars_overflow),
		cmocka_unit_test(test_mode_pick),
		cmocka_unit_test(test_draw),
	};

	/* Widths are measured in the locale, as the client sets it. */
	have_utf8_locale = setlocale(LC_ALL, "C.UTF-8") != NULL ||
	    setlocale(LC_ALL, "en_US.UTF-8") != NULL;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
