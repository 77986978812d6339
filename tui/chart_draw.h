/*
 * Charts on the screen: the cells of a rendered chart (chart.h) drawn into
 * a curses window in the roles of the theme.
 */
#ifndef LATHE_CHART_DRAW_H
#define LATHE_CHART_DRAW_H

#include <curses.h>

#include "role.h"

struct chart;

/*
 * Draw chart c with its top left corner at y, x of win: axes in
 * ROLE_BORDER, tick labels and notes in ROLE_DIM, names and values in
 * ROLE_DEFAULT, and the marks, bars and swatches of series colour k in
 * chart_draw_role(k). What falls outside the window is clipped.
 */
void		chart_draw(WINDOW *win, int y, int x, const struct chart *c);
/* The role of series colour k (>= 0): ROLE_CHART_1 + k % CHART_COLOURS. */
enum role	chart_draw_role(int k);

#endif
