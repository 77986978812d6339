/*
 * Virtual lists: selection, scrolling and filtering over an index space.
 * Filtering keeps an array of matching indices; without a filter the list
 * maps positions to indices directly and allocates nothing per row.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "xmalloc.h"

void
list_init(struct list *l)
{
	memset(l, 0, sizeof *l);
}

void
list_done(struct list *l)
{
	free(l->view);
	free(l->filter);
	list_init(l);
}

size_t
list_shown(const struct list *l)
{
	return l->filtered ? l->nview : l->count;
}

static size_t
list_index(const struct list *l, size_t pos)
{
	return l->filtered ? l->view[pos] : pos;
}

long
list_selected(const struct list *l)
{
	if (list_shown(l) == 0)
		return -1;
	return (long)list_index(l, l->sel);
}

static void
list_clamp(struct list *l)
{
	size_t	shown = list_shown(l);

	if (shown == 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->sel >= shown)
		l->sel = shown - 1;
	if (l->height > 0) {
		if (l->sel < l->top)
			l->top = l->sel;
		if (l->sel >= l->top + (size_t)l->height)
			l->top = l->sel - (size_t)l->height + 1;
		if (l->top + (size_t)l->height > shown)
			l->top = shown > (size_t)l->height ?
			    shown - (size_t)l->height : 0;
	}
}

void
list_select_index(struct list *l, size_t i)
{
	size_t	pos;

	if (!l->filtered) {
		if (i < l->count)
			l->sel = i;
	} else {
		for (pos = 0; pos < l->nview; pos++) {
			if (l->view[pos] == i) {
				l->sel = pos;
				break;
			}
		}
	}
	list_clamp(l);
}

int
list_contains(const char *hay, const char *needle)
{
	size_t	n = strlen(needle), i;

	if (n == 0)
		return 1;
	for (; *hay != '\0'; hay++) {
		for (i = 0; i < n; i++) {
			if (hay[i] == '\0' ||
			    tolower((unsigned char)hay[i]) != needle[i])
				break;
		}
		if (i == n)
			return 1;
	}
	return 0;
}

static void
list_refilter(struct list *l, list_match_fn match, void *arg)
{
	long	keep = list_selected(l);
	size_t	i;

	l->nview = 0;
	if (l->filter == NULL || *l->filter == '\0' || match == NULL) {
		l->filtered = 0;
		free(l->view);
		l->view = NULL;
	} else {
		l->filtered = 1;
		l->view = xrealloc(l->view, (l->count ? l->count : 1) *
		    sizeof *l->view);
		for (i = 0; i < l->count; i++) {
			if (match(arg, i, l->filter))
				l->view[l->nview++] = i;
		}
	}
	l->sel = 0;
	if (keep >= 0)
		list_select_index(l, (size_t)keep);
	list_clamp(l);
}

void
list_set_count(struct list *l, size_t count, list_match_fn match, void *arg)
{
	l->count = count;
	list_refilter(l, match, arg);
}

void
list_filter(struct list *l, const char *text, list_match_fn match, void *arg)
{
	size_t	i;

	free(l->filter);
	l->filter = NULL;
	if (text != NULL && *text != '\0') {
		l->filter = xstrdup(text);
		for (i = 0; l->filter[i] != '\0'; i++)
			l->filter[i] = (char)tolower((unsigned char)l->filter[i]);
	}
	list_refilter(l, match, arg);
	if (l->filter != NULL) {
		/* Typing a filter jumps to the first match. */
		l->sel = 0;
		l->top = 0;
	}
	list_clamp(l);
}

void
list_move(struct list *l, long delta)
{
	size_t	shown = list_shown(l);

	if (shown == 0)
		return;
	if (delta < 0 && (size_t)-delta > l->sel)
		l->sel = 0;
	else if (delta > 0 && l->sel + (size_t)delta >= shown)
		l->sel = shown - 1;
	else
		l->sel = (size_t)((long)l->sel + delta);
	list_clamp(l);
}

void
list_top(struct list *l)
{
	l->sel = 0;
	list_clamp(l);
}

void
list_bottom(struct list *l)
{
	size_t	shown = list_shown(l);

	l->sel = shown ? shown - 1 : 0;
	list_clamp(l);
}

void
list_page(struct list *l, int down)
{
	long	h = l->height > 1 ? l->height - 1 : 1;

	list_move(l, down ? h : -h);
}

void
list_draw(struct list *l, WINDOW *win, int y, int x, int h, int w,
    list_draw_fn draw, void *arg)
{
	size_t	shown = list_shown(l), pos;
	int	dy;

	l->height = h;
	list_clamp(l);
	for (dy = 0; dy < h; dy++) {
		pos = l->top + (size_t)dy;
		if (pos >= shown)
			break;
		draw(arg, win, y + dy, x, w, list_index(l, pos), pos == l->sel);
	}
}

long
list_at(const struct list *l, int dy)
{
	size_t	pos = l->top + (size_t)dy;

	if (dy < 0 || pos >= list_shown(l))
		return -1;
	return (long)list_index(l, pos);
}
