/*
 * Charts for the terminal: line charts of metric histories, scatter plots
 * of a parameter against a metric, and horizontal bars of one metric
 * across runs. A chart is rendered into a grid of cells, one character
 * each, that a pane copies to the screen (chart_draw) and the tests read
 * back; nothing here uses curses (chart_draw.h puts a chart on the
 * screen).
 *
 *	struct chart		*c = chart_new();
 *	struct chart_opts	 o = { .mode = CHART_BRAILLE };
 *	struct chart_series	 s[2] = {
 *		{ .name = "run 1", .x = steps1, .y = loss1, .n = n1 },
 *		{ .name = "run 2", .x = steps2, .y = loss2, .n = n2,
 *		    .colour = 1 },
 *	};
 *
 *	chart_line(c, 80, 20, &o, s, 2);
 *	chart_draw(win, 1, 0, c);
 *	chart_free(c);
 *
 * Rendering keeps no state but the grid: render again with more points
 * (or another size) whenever the data grows. Histories of any length take
 * time in proportion to their points and space in proportion to the
 * grid, since each is reduced to its first, last, lowest and highest
 * point in each column of dots, which draws the same lines as every
 * point would.
 */
#ifndef LATHE_CHART_H
#define LATHE_CHART_H

#include <stddef.h>

#include "conf.h"

enum chart_mode {
	CHART_BRAILLE,		/* 2x4 dots a cell, U+2800 - U+28FF */
	CHART_BLOCK,		/* 2x2 quadrants a cell, U+2580 - U+259F */
	CHART_ASCII		/* 1x3 a cell: . - ' | / \ and markers */
};

enum chart_scale {
	CHART_LINEAR,
	CHART_LOG		/* base 10; values <= 0 are left out */
};

/* How x tick labels read. */
enum chart_xkind {
	CHART_X_NUMBER,		/* steps and other numbers: 0, 500, 1.5k */
	CHART_X_DURATION	/* seconds since the start: 30s, 5m, 1h30m */
};

/* What a cell shows, for the colour it is drawn in. */
enum chart_part {
	CHART_EMPTY,
	CHART_SERIES,		/* a mark, bar or legend swatch of colour */
	CHART_AXIS,		/* axis lines and tick marks */
	CHART_TICK,		/* tick labels */
	CHART_LEGEND,		/* series names, bar labels and values */
	CHART_NOTE		/* no data, too small, values left out */
};

/* Series colours; chart_draw draws colour c in ROLE_CHART_1 + c % 8. */
#define CHART_COLOURS	8

struct chart_cell {
	char	glyph[8];	/* UTF-8; "" right of a wide character */
	int	part;		/* enum chart_part */
	int	colour;		/* of the series in CHART_SERIES, else -1 */
};

/*
 * One series: n points (x[i], y[i]), or for a scatter plot against a
 * categorical parameter (xcat[i], y[i]). A point whose x or y is NaN or
 * infinite, or whose y is <= 0 on a log scale, is left out, and the line
 * joins the points on either side. Lines are drawn in the order given.
 */
struct chart_series {
	const char		*name;	/* in the legend; NULL: not listed */
	const double		*x;	/* NULL: 0, 1, 2 ... */
	const char *const	*xcat;	/* scatter only; NULL: numeric x */
	const double		*y;
	size_t			 n;
	int			 colour; /* >= 0 */
};

/* One bar: a run's value of a metric. */
struct chart_bar {
	const char	*label;
	double		 value;		/* NaN or infinite: no bar */
	int		 colour;	/* >= 0 */
};

#define CHART_NOLEGEND	0x1	/* no legend rows */
#define CHART_XRANGE	0x2	/* x from xmin to xmax, not the data's */
#define CHART_YRANGE	0x4	/* y from ymin to ymax, not the data's */
#define CHART_EXACT	0x8	/* draw every point (for comparison) */

/* A zeroed chart_opts (or NULL) is a linear braille chart of numbers. */
struct chart_opts {
	enum chart_mode		 mode;
	enum chart_scale	 yscale;
	enum chart_xkind	 xkind;
	int			 flags;
	double			 xmin, xmax;	/* with CHART_XRANGE */
	double			 ymin, ymax;	/* with CHART_YRANGE */
};

struct chart;

/* An empty chart (0x0). Free with chart_free; chart_free(NULL) is a no-op. */
struct chart	*chart_new(void);
void		 chart_free(struct chart *);

/*
 * Render series as lines into a grid of width x height cells (sizes below
 * 0 are 0, above 1000 are 1000), replacing what the chart held: y axis and
 * tick labels on the left, x axis and its labels at the bottom, the legend
 * on top (series names cut to fit, and on a log scale how many values
 * were left out). Ticks are at round numbers, never between whole numbers
 * when every x is one (steps). Without points to draw the grid says "no
 * data"; when the grid is too small for the axes it says so on its first
 * row. A range from the options that is empty or not finite is ignored.
 * Nothing is written outside the grid, whatever the data and size.
 */
void		 chart_line(struct chart *, int width, int height,
		    const struct chart_opts *, const struct chart_series *,
		    size_t nseries);
/*
 * As chart_line, with a mark at each point and no lines: four dots in
 * braille, a quadrant in blocks, in ASCII a character of the colour's own
 * ("*+ox@%&$" in turn) so that series differ without colour. When the first
 * series has xcat, x is categorical in every series: the categories
 * (strings compared exactly, in the order they first appear) are spread
 * evenly along the x axis and labelled under it, and a series without
 * xcat has no points.
 */
void		 chart_scatter(struct chart *, int width, int height,
		    const struct chart_opts *, const struct chart_series *,
		    size_t nseries);
/*
 * Horizontal bars, one a row: label, bar and value. Bars start from zero,
 * so negative values go left of positive ones; a bar's end is drawn to an
 * eighth of a cell (▏▎▍▌▋▊▉█) in braille and block modes, to a half
 * on the negative side (▐), and in whole cells of '#' in ASCII. Bars that
 * do not fit end with a row saying how many are left out. Only the mode
 * of the options counts.
 */
void		 chart_bars(struct chart *, int width, int height,
		    const struct chart_opts *, const struct chart_bar *,
		    size_t nbars);

/* The size of the grid last rendered. */
int		 chart_width(const struct chart *);
int		 chart_height(const struct chart *);
/* The cell at row y, column x, or NULL outside the grid. */
const struct chart_cell	*chart_cell(const struct chart *, int y, int x);
/* The grid as text, a line a row, each ending in '\n'. Caller frees. */
char		*chart_text(const struct chart *);
/*
 * Where the plot of the last line or scatter chart is in the grid: its
 * first column and row, and its size. Return -1 when there is none (no
 * data, too small, bars).
 */
int		 chart_plot_area(const struct chart *, int *x, int *y, int *w,
		    int *h);
/*
 * The x values that grid column col of the plot covers, *x0 to *x1 (for
 * categories, their indices in the order they appeared), so that a cursor
 * can say what it is on. Return -1 outside the plot.
 */
int		 chart_x_at(const struct chart *, int col, double *x0,
		    double *x1);

/*
 * Reduce n points to those that draw the same line on a chart whose x
 * range x0..x1 spans columns dot columns: of each run of consecutive
 * points in one column, the first, the lowest, the highest and the last.
 * Points with a coordinate NaN or infinite are dropped; x NULL means
 * 0, 1, 2 ... Store the indices kept, in order, in keep (room for n) and
 * return how many there are. The lowest and highest point of all are
 * always kept.
 */
size_t		 chart_downsample(const double *x, const double *y, size_t n,
		    double x0, double x1, int columns, size_t *keep);

/*
 * The mode for a chart_style setting on a terminal: ASCII where the
 * terminal does not take UTF-8; for auto, braille, or blocks on the
 * Linux console (term "linux"), whose fonts have no braille.
 */
enum chart_mode	 chart_mode_pick(enum conf_chart, int utf8, const char *term);

#endif
