/*
 * The TUI test harness: run a real program on a pseudo-terminal of a fixed
 * size, type at it, and read its screen back through libvterm.
 *
 * Rows and columns are 0-based everywhere in this API and counted in cells
 * (a wide character such as "漢" covers two). Every wait is bounded by the
 * timeout it is given; none blocks forever.
 */
#ifndef LATHE_TESTS_TUI_HARNESS_H
#define LATHE_TESTS_TUI_HARNESS_H

#include <stddef.h>
#include <stdio.h>

struct term;

/*
 * Keys as a terminal sends them, for term_send(). The cursor keys, Home and
 * End are written in their normal-mode form; term_send() turns them into
 * the application-mode form (ESC O A …) while the program has asked for it
 * (DECCKM, which curses' keypad() does), as a real terminal would.
 */
#define TERM_KEY_UP		"\033[A"
#define TERM_KEY_DOWN		"\033[B"
#define TERM_KEY_RIGHT		"\033[C"
#define TERM_KEY_LEFT		"\033[D"
#define TERM_KEY_HOME		"\033[H"
#define TERM_KEY_END		"\033[F"
#define TERM_KEY_INSERT		"\033[2~"
#define TERM_KEY_DELETE		"\033[3~"
#define TERM_KEY_PGUP		"\033[5~"
#define TERM_KEY_PGDN		"\033[6~"
#define TERM_KEY_ESC		"\033"
#define TERM_KEY_ENTER		"\r"
#define TERM_KEY_TAB		"\t"
#define TERM_KEY_BTAB		"\033[Z"
#define TERM_KEY_BACKSPACE	"\177"
#define TERM_KEY_F1		"\033OP"
#define TERM_KEY_F2		"\033OQ"
#define TERM_KEY_F3		"\033OR"
#define TERM_KEY_F4		"\033OS"
#define TERM_KEY_F5		"\033[15~"
#define TERM_KEY_F6		"\033[17~"
#define TERM_KEY_F7		"\033[18~"
#define TERM_KEY_F8		"\033[19~"
#define TERM_KEY_F9		"\033[20~"
#define TERM_KEY_F10		"\033[21~"
#define TERM_KEY_F11		"\033[23~"
#define TERM_KEY_F12		"\033[24~"
/* Ctrl and a letter, as a string: term_send(t, TERM_KEY_CTRL('l')). */
#define TERM_KEY_CTRL(c)	((const char[]){ (char)((c) & 0x1f), '\0' })

/* What term_attr() reads from one cell. */
struct term_attr {
	int		bold;
	int		underline;
	int		italic;
	int		reverse;
	int		fg_default;	/* no SGR colour: the terminal's own */
	int		bg_default;
	/* Always filled: from the palette if the colour is indexed. */
	unsigned char	fg_r, fg_g, fg_b;
	unsigned char	bg_r, bg_g, bg_b;
	int		fg_index;	/* 0-255, or -1 if RGB or default */
	int		bg_index;
};

/*
 * Start argv (searched in PATH) on a new rows x cols pseudo-terminal.
 * The child's environment is this process's, with TERM=xterm-256color and
 * LANG=LC_ALL=C.UTF-8 set and COLUMNS, LINES, NO_COLOR and COLORTERM
 * removed (so the size comes from the pty and colours are predictable),
 * then env applied in order: "NAME=value" sets (value may be empty),
 * "-NAME" removes. env may be NULL. Returns NULL if the pty or the fork
 * fails; if the exec fails the child prints why on the screen and exits
 * with status 127. The caller frees the result with term_free().
 */
struct term	*term_spawn(int rows, int cols, char *const argv[],
		    char *const env[]);

/*
 * Stop the program if it still runs (SIGTERM, up to 2 s, then SIGKILL, to
 * its pid only), reap it and free everything. NULL is a no-op.
 */
void		 term_free(struct term *);

/*
 * Wait up to timeout_ms for output, then read what is available (at most
 * 64 KiB, so that a program flooding the terminal cannot hold a wait past
 * its timeout) into the screen. Returns the number of bytes read (0 if
 * none came), or -1 once the program has closed the terminal and
 * everything was read.
 */
int		 term_pump(struct term *, int timeout_ms);

/*
 * Pump until utf8 appears within one row of the screen. Returns 0 when it
 * does, -1 if timeout_ms passes or the program closes the terminal first.
 */
int		 term_wait_text(struct term *, const char *utf8,
		    int timeout_ms);

/* Pump until utf8 is on no row. Returns 0, or -1 on timeout. */
int		 term_wait_gone(struct term *, const char *utf8,
		    int timeout_ms);

/*
 * Pump until nothing has arrived for quiet_ms (at once if the terminal is
 * closed). Returns 0, or -1 if output kept coming for timeout_ms.
 */
int		 term_wait_idle(struct term *, int quiet_ms, int timeout_ms);

/*
 * Row as UTF-8: each character once however wide, blank cells as spaces,
 * trailing blanks trimmed. Returns a new string the caller frees, or NULL
 * if row is off the screen.
 */
char		*term_row(struct term *, int row);

/* All rows as term_row() gives them, joined by '\n'; the caller frees it. */
char		*term_screen(struct term *);

/*
 * Find utf8 within one row. Returns 0 and sets *row and *col (the cell where
 * the match starts; either may be NULL) for the first match from the top
 * left, or -1 if it is not on the screen.
 */
int		 term_find(struct term *, const char *utf8, int *row, int *col);

/*
 * Read the attributes and colours of the cell at (row, col) into *attr.
 * Returns 0, or -1 if the cell is off the screen.
 */
int		 term_attr(struct term *, int row, int col, struct term_attr *);

/*
 * Where the cursor is. Returns 0 and sets *row and *col (either may be
 * NULL).
 */
int		 term_cursor(struct term *, int *row, int *col);

/*
 * Type bytes at the program. Waits (at most 5 s, reading the program's
 * output meanwhile so that neither side stalls) while the pty is full;
 * bytes the program cannot take by then, or after it has gone, are
 * dropped. term_send() takes a NUL-terminated string; see TERM_KEY_*.
 */
void		 term_send(struct term *, const char *bytes);
void		 term_sendn(struct term *, const char *bytes, size_t len);

/*
 * Send an xterm SGR mouse report (mode 1006) for cell (row, col): a left
 * press and release, or one wheel notch up or down.
 */
void		 term_click(struct term *, int row, int col);
void		 term_wheel(struct term *, int row, int col, int up);

/*
 * Change the terminal's size: the emulated screen and the pty, which makes
 * the kernel send SIGWINCH to the program.
 */
void		 term_resize(struct term *, int rows, int cols);

/* Bytes the program has written to the terminal so far. */
size_t		 term_bytes(struct term *);

/*
 * Wait up to timeout_ms for the program to exit, reading its output
 * meanwhile. Returns 0 and sets *status (a waitpid() status: use
 * WIFEXITED() and WEXITSTATUS(); status may be NULL; -1 if something else
 * reaped it), or -1 if it still runs. May be called again after it
 * returned 0.
 */
int		 term_wait_exit(struct term *, int timeout_ms, int *status);

/*
 * Print the screen to fp, one numbered row per line, each starting with
 * "# " so that the output stays valid TAP.
 */
void		 term_dump(struct term *, FILE *fp);

#endif
