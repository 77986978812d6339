/*
 * Putting a rendered chart on the screen: each run of cells of one role
 * goes to the window through draw_text, so that a chart is drawn with the
 * same escaping, clipping and theme colours as everything else.
 */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "chart.h"
#include "chart_draw.h"
#include "draw.h"

enum role
chart_draw_role(int k)
{
	return ROLE_CHART_1 + (k < 0 ? 0 : k % CHART_COLOURS);
}

/* The role a cell is drawn in. */
static enum role
chart_draw_cell_role(const struct chart_cell *cell)
{
	switch (cell->part) {
	case CHART_SERIES:
		return chart_draw_role(cell->colour);
	case CHART_AXIS:
		return ROLE_BORDER;
	case CHART_TICK:
	case CHART_NOTE:
		return ROLE_DIM;
	default:
		return ROLE_DEFAULT;
	}
}

void
chart_draw(WINDOW *win, int y, int x, const struct chart *c)
{
	const struct chart_cell	*cell;
	struct buf		 b;
	enum role		 role, run = ROLE_DEFAULT;
	int			 maxy, maxx, row, col, start, w, h;

	getmaxyx(win, maxy, maxx);
	h = chart_height(c);
	w = chart_width(c);
	if (x + w > maxx)
		w = maxx - x;
	buf_init(&b);
	for (row = 0; row < h && y + row < maxy; row++) {
		if (y + row < 0 || x < 0 || w <= 0)
			continue;
		start = 0;
		buf_reset(&b);
		for (col = 0; col <= w; col++) {
			cell = col < w ? chart_cell(c, row, col) : NULL;
			role = cell != NULL ? chart_draw_cell_role(cell) : run;
			if (col > start && (cell == NULL || role != run)) {
				draw_text(win, y + row, x + start, col - start,
				    buf_str(&b), (int)b.len, run, 0);
				buf_reset(&b);
				start = col;
			}
			if (cell == NULL)
				break;
			/* A wide character's right half has no glyph. */
			if (col == start && cell->glyph[0] == '\0') {
				start++;
				continue;
			}
			run = role;
			buf_adds(&b, cell->glyph);
		}
	}
	buf_done(&b);
}
