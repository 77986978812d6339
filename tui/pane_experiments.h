/*
 * The Experiments section (4): MLflow experiments, the runs table of one
 * (paged from runs/search, sorted and filtered by the core), a column
 * chooser, and the compare view of the runs selected (pane_compare.h).
 * tui.c shows the section through these calls; the actions in action.c's
 * table call the handlers declared here.
 */
#ifndef LATHE_PANE_EXPERIMENTS_H
#define LATHE_PANE_EXPERIMENTS_H

#include <curses.h>

struct tui;
struct pane;

extern struct pane	pane_experiments;
extern struct pane	pane_exp_runs;
extern struct pane	pane_columns;

/* The pane the section shows now (the one last used in it). */
struct pane	*experiments_pane(void);
/* The section is being shown: load what is missing, refresh what shows. */
void		 experiments_show(struct tui *);
/* Draw the section into the main area, h rows and w columns. */
void		 experiments_draw(struct tui *, WINDOW *, int h, int w);
/* Free everything the section holds (lathe exits). */
void		 experiments_done(struct tui *);
/* Show pane p of the section and give it the focus. */
void		 experiments_go(struct tui *, struct pane *p);
/*
 * Keep polling the core while the section shows runs that are running:
 * start the poll timer if it is not running. The timer stops by itself
 * once nothing shown runs or the section is left.
 */
void		 experiments_poll(struct tui *);

/*
 * Close the help screen if it is shown and return 1: the section's own
 * back actions (q, Esc) close it first, as back does elsewhere.
 */
int		 experiments_close_help(struct tui *);

/* Actions of the runs table (SCOPE_RUNS). */
void	 runs_a_back(struct tui *, const char *);
void	 runs_a_left(struct tui *, const char *);
void	 runs_a_right(struct tui *, const char *);
void	 runs_a_sort_asc(struct tui *, const char *);
void	 runs_a_sort_desc(struct tui *, const char *);
void	 runs_a_filter(struct tui *, const char *);
void	 runs_a_columns(struct tui *, const char *);
void	 runs_a_mark(struct tui *, const char *);
void	 runs_a_unmark(struct tui *, const char *);
void	 runs_a_compare(struct tui *, const char *);
/* Actions of the column chooser (SCOPE_COLUMNS). */
void	 columns_a_back(struct tui *, const char *);
void	 columns_a_toggle(struct tui *, const char *);
void	 columns_a_up(struct tui *, const char *);
void	 columns_a_down(struct tui *, const char *);
void	 columns_a_all(struct tui *, const char *);

#endif
