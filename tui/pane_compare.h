/*
 * The compare view of the Experiments section: the runs selected in the
 * runs table side by side, in four tabs: metric histories as line charts,
 * a param against a metric as a scatter plot, a metric across the runs
 * as bars, and a table of their params and metrics. A chooser (pane_pick)
 * picks the metric and the param.
 */
#ifndef LATHE_PANE_COMPARE_H
#define LATHE_PANE_COMPARE_H

#include <stddef.h>

#include <curses.h>

struct tui;
struct pane;
struct run;

extern struct pane	pane_compare;
extern struct pane	pane_pick;

/*
 * Compare n runs (copied) of experiment (its name, for the title) and
 * show the view; metric names the metric to chart first, or NULL.
 */
void	 compare_open(struct tui *, const char *experiment,
	    const struct run *runs, size_t n, const char *metric);
/* Draw the view (and the chooser over it) into h rows, w columns. */
void	 compare_draw(struct tui *, WINDOW *, int y, int x, int h, int w);
/*
 * Ask the core again about the compared runs that are running (their
 * status, latest metrics and the charted history); return 1 while any
 * runs, 0 when none does and polling may stop.
 */
int	 compare_poll(struct tui *);
/* Forget the compared runs and cancel their calls. */
void	 compare_reset(struct tui *);

/* Actions of the compare view (SCOPE_COMPARE) and the chooser. */
void	 compare_a_back(struct tui *, const char *);
void	 compare_a_history(struct tui *, const char *);
void	 compare_a_scatter(struct tui *, const char *);
void	 compare_a_bars(struct tui *, const char *);
void	 compare_a_table(struct tui *, const char *);
void	 compare_a_next(struct tui *, const char *);
void	 compare_a_prev(struct tui *, const char *);
void	 compare_a_metric(struct tui *, const char *);
void	 compare_a_param(struct tui *, const char *);
void	 compare_a_axes(struct tui *, const char *);
void	 compare_a_log(struct tui *, const char *);
void	 compare_a_diffs(struct tui *, const char *);
void	 compare_a_left(struct tui *, const char *);
void	 compare_a_right(struct tui *, const char *);
void	 pick_a_back(struct tui *, const char *);

#endif
