/*
 * A one-line text editor for filters, the command palette and form
 * fields: insert, delete, move by character or word, clear.
 */
#ifndef LATHE_INPUT_H
#define LATHE_INPUT_H

#include <stddef.h>

#include <curses.h>

#include "role.h"

#define INPUT_MAX	4096

enum input_result {
	INPUT_EDITED,		/* the text changed */
	INPUT_MOVED,		/* only the cursor moved */
	INPUT_SUBMIT,		/* Enter */
	INPUT_CANCEL,		/* Esc */
	INPUT_IGNORED,		/* not an editing key */
};

struct input {
	char	text[INPUT_MAX];	/* UTF-8 */
	size_t	len;
	size_t	cursor;			/* byte offset */
	int	secret;			/* draw as asterisks */
};

void	input_set(struct input *, const char *);
enum input_result input_key(struct input *, int key);
/* Draw at y, x in w columns; place the terminal cursor when focused. */
void	input_draw(struct input *, WINDOW *, int y, int x, int w, enum role,
	    int focused);

#endif
