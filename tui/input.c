/*
 * One-line text input. Text is UTF-8; the cursor moves by whole
 * characters; control characters are never inserted.
 */
#include "config.h"

#include <string.h>

#include "draw.h"
#include "input.h"
#include "keys.h"

void
input_set(struct input *in, const char *s)
{
	size_t	n = strlen(s);

	if (n >= INPUT_MAX)
		n = INPUT_MAX - 1;
	memcpy(in->text, s, n);
	in->text[n] = '\0';
	in->len = in->cursor = n;
}

static size_t
input_prev(const struct input *in, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)in->text[at] & 0xc0) == 0x80)
		at--;
	return at;
}

static size_t
input_next(const struct input *in, size_t at)
{
	if (at >= in->len)
		return in->len;
	at++;
	while (at < in->len && ((unsigned char)in->text[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static void
input_delete(struct input *in, size_t from, size_t to)
{
	memmove(in->text + from, in->text + to, in->len - to + 1);
	in->len -= to - from;
	in->cursor = from;
}

static int
input_insert(struct input *in, int key)
{
	char	buf[4];
	size_t	n;

	if (key < 0x20 || key == 0x7f || (key & KEYS_SPECIAL) ||
	    key > 0x10ffff || (key >= 0x80 && key < 0xa0))
		return 0;
	if (key < 0x80) {
		buf[0] = (char)key;
		n = 1;
	} else if (key < 0x800) {
		buf[0] = (char)(0xc0 | (key >> 6));
		buf[1] = (char)(0x80 | (key & 0x3f));
		n = 2;
	} else if (key < 0x10000) {
		buf[0] = (char)(0xe0 | (key >> 12));
		buf[1] = (char)(0x80 | ((key >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (key & 0x3f));
		n = 3;
	} else {
		buf[0] = (char)(0xf0 | (key >> 18));
		buf[1] = (char)(0x80 | ((key >> 12) & 0x3f));
		buf[2] = (char)(0x80 | ((key >> 6) & 0x3f));
		buf[3] = (char)(0x80 | (key & 0x3f));
		n = 4;
	}
	if (in->len + n >= INPUT_MAX)
		return 0;
	memmove(in->text + in->cursor + n, in->text + in->cursor,
	    in->len - in->cursor + 1);
	memcpy(in->text + in->cursor, buf, n);
	in->len += n;
	in->cursor += n;
	return 1;
}

enum input_result
input_key(struct input *in, int key)
{
	size_t	at;

	switch (key) {
	case '\r':
	case '\n':
	case KEYS_SPECIAL | KEY_ENTER:
		return INPUT_SUBMIT;
	case KEYS_ESC:
		return INPUT_CANCEL;
	case 0x7f:
	case KEYS_CTRL('h'):
	case KEYS_SPECIAL | KEY_BACKSPACE:
		if (in->cursor == 0)
			return INPUT_MOVED;
		input_delete(in, input_prev(in, in->cursor), in->cursor);
		return INPUT_EDITED;
	case KEYS_SPECIAL | KEY_DC:
		if (in->cursor == in->len)
			return INPUT_MOVED;
		input_delete(in, in->cursor, input_next(in, in->cursor));
		return INPUT_EDITED;
	case KEYS_SPECIAL | KEY_LEFT:
		in->cursor = input_prev(in, in->cursor);
		return INPUT_MOVED;
	case KEYS_SPECIAL | KEY_RIGHT:
		in->cursor = input_next(in, in->cursor);
		return INPUT_MOVED;
	case KEYS_SPECIAL | KEY_HOME:
		in->cursor = 0;
		return INPUT_MOVED;
	case KEYS_SPECIAL | KEY_END:
	case KEYS_CTRL('e'):
		in->cursor = in->len;
		return INPUT_MOVED;
	case KEYS_CTRL('u'):
		input_delete(in, 0, in->cursor);
		return INPUT_EDITED;
	case KEYS_CTRL('k'):
		in->len = in->cursor;
		in->text[in->len] = '\0';
		return INPUT_EDITED;
	case KEYS_CTRL('w'):
		at = in->cursor;
		while (at > 0 && in->text[at - 1] == ' ')
			at--;
		while (at > 0 && in->text[at - 1] != ' ')
			at--;
		input_delete(in, at, in->cursor);
		return INPUT_EDITED;
	}
	return input_insert(in, key) ? INPUT_EDITED : INPUT_IGNORED;
}

void
input_draw(struct input *in, WINDOW *win, int y, int x, int w, enum role role,
    int focused)
{
	char	stars[INPUT_MAX];
	int	before, skip = 0;
	size_t	i, n = 0;

	draw_fill(win, y, x, w, role);
	if (in->secret) {
		for (i = 0; i < in->len && n < sizeof stars - 1; i++) {
			if (((unsigned char)in->text[i] & 0xc0) != 0x80)
				stars[n++] = '*';
		}
		stars[n] = '\0';
		before = 0;
		for (i = 0; i < in->cursor; i++) {
			if (((unsigned char)in->text[i] & 0xc0) != 0x80)
				before++;
		}
		draw_text(win, y, x, w - 1, stars, -1, role, 0);
	} else {
		before = draw_width(in->text, (int)in->cursor);
		/* Keep the cursor in view when the text is wider. */
		if (before >= w - 1)
			skip = before - w + 2;
		if (skip == 0)
			draw_text(win, y, x, w - 1, in->text, (int)in->len,
			    role, 0);
		else {
			size_t	at = 0;
			int	cols = 0;

			while (at < in->len && cols < skip) {
				size_t next = at + 1;

				while (next < in->len &&
				    ((unsigned char)in->text[next] & 0xc0) ==
				    0x80)
					next++;
				cols += draw_width(in->text + at,
				    (int)(next - at));
				at = next;
			}
			draw_text(win, y, x, w - 1, in->text + at,
			    (int)(in->len - at), role, 0);
			before -= cols;
			skip = 0;
		}
	}
	if (focused) {
		wmove(win, y, x + before - skip);
		curs_set(1);
	}
}
