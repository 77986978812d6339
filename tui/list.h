/*
 * A list of rows that draws only the rows in view, with a selection, a
 * scroll position and a live filter. The list does not own the rows: a
 * pane gives their count and a function to draw or match one row by
 * index, so a million rows cost nothing until they are on screen.
 */
#ifndef LATHE_LIST_H
#define LATHE_LIST_H

#include <stddef.h>

#include <curses.h>

struct list {
	size_t	 count;		/* rows in the pane's model */
	size_t	*view;		/* indices shown when filtering */
	size_t	 nview;
	int	 filtered;
	char	*filter;	/* lower-case filter text, or NULL */
	size_t	 sel;		/* position in what is shown */
	size_t	 top;		/* first position drawn */
	int	 height;	/* rows drawn last time */
};

/* Return whether row i matches the lower-case needle. */
typedef int	(*list_match_fn)(void *arg, size_t i, const char *needle);
/* Draw row i at y, x, w columns wide; selected says whether it is. */
typedef void	(*list_draw_fn)(void *arg, WINDOW *, int y, int x, int w,
		    size_t i, int selected);

void	 list_init(struct list *);
void	 list_done(struct list *);
/* Set the number of rows, keeping the selection where it can. */
void	 list_set_count(struct list *, size_t, list_match_fn, void *);
/* Rows shown (all of them, or those that match the filter). */
size_t	 list_shown(const struct list *);
/* The model index of the selected row; -1 when nothing is shown. */
long	 list_selected(const struct list *);
/* Select the shown row whose model index is i, if it is shown. */
void	 list_select_index(struct list *, size_t i);
void	 list_move(struct list *, long delta);
void	 list_top(struct list *);
void	 list_bottom(struct list *);
void	 list_page(struct list *, int down);
/* Apply a filter (NULL or "" clears it); case-insensitive substring. */
void	 list_filter(struct list *, const char *, list_match_fn, void *);
/* Draw the rows in view into h rows at y, x, w columns wide. */
void	 list_draw(struct list *, WINDOW *, int y, int x, int h, int w,
	    list_draw_fn, void *);
/* The row index shown at screen row dy of the last draw, or -1. */
long	 list_at(const struct list *, int dy);
/* Case-insensitive substring test for ASCII (UTF-8 passes through). */
int	 list_contains(const char *haystack, const char *lower_needle);

#endif
