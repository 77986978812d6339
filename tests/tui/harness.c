/*
 * The TUI test harness: a program on a pseudo-terminal whose output is fed
 * to a libvterm screen, so that tests can type keys, click, resize, and
 * assert on the text and colours a user would see. libvterm also answers
 * the program's terminal queries (cursor position, device attributes)
 * through the pty, so that nothing waits for a reply that never comes.
 * Works with libvterm 0.1.4 to 0.3: only the API common to them is used.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <vterm.h>

#include "harness.h"
#include "xmalloc.h"

/* Read per term_pump(): small enough that a flood cannot delay a wait. */
#define TERM_READ_MAX		65536
#define TERM_SEND_TIMEOUT	5000
#define TERM_STOP_TIMEOUT	2000
#define TERM_POLL_SLICE		20
/* A cell holds a character and up to 5 combining ones, 4 bytes each. */
#define TERM_CELL_BYTES		(VTERM_MAX_CHARS_PER_CELL * 4)

extern char	**environ;

struct term {
	pid_t		 pid;
	int		 fd;		/* pty master, non-blocking */
	int		 rows;
	int		 cols;
	VTerm		*vt;
	VTermScreen	*screen;
	size_t		 bytes;		/* read from the program */
	int		 eof;
	int		 reaped;
	int		 status;
	char		*capture;	/* if set, libvterm output goes here */
	size_t		 capture_len;
	size_t		 capture_size;
};

static int64_t
term_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
term_left(int64_t deadline)
{
	int64_t	left = deadline - term_now();

	if (left < 0)
		return 0;
	return left > TERM_POLL_SLICE ? TERM_POLL_SLICE : (int)left;
}

/*
 * libvterm's replies to queries go back to the program; while capturing
 * (term_appcursor) they are kept instead. The reply is a few bytes, so a
 * full pty is not worth waiting for.
 */
static void
term_output(const char *s, size_t len, void *arg)
{
	struct term	*t = arg;
	ssize_t		 n;

	if (t->capture != NULL) {
		if (len > t->capture_size - t->capture_len)
			len = t->capture_size - t->capture_len;
		memcpy(t->capture + t->capture_len, s, len);
		t->capture_len += len;
		return;
	}
	while (len > 0) {
		n = write(t->fd, s, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* Remove NAME (name is len bytes) from env, an array of n entries. */
static size_t
term_env_unset(char **env, size_t n, const char *name, size_t len)
{
	size_t	i, j;

	for (i = j = 0; i < n; i++) {
		if (strncmp(env[i], name, len) == 0 && env[i][len] == '=')
			continue;
		env[j++] = env[i];
	}
	return j;
}

/*
 * The child's environment: ours, the harness's defaults, then the caller's
 * entries. The strings are borrowed; only the array is new.
 */
static char **
term_env(char *const extra[])
{
	static char *const	 defaults[] = {
		"-COLUMNS", "-LINES", "-NO_COLOR", "-COLORTERM",
		"TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
	};
	char			**env;
	const char		 *e, *eq;
	size_t			  n = 0, nextra = 0, ndefaults, i;

	ndefaults = sizeof defaults / sizeof defaults[0];
	while (environ[n] != NULL)
		n++;
	while (extra != NULL && extra[nextra] != NULL)
		nextra++;
	env = xcalloc(n + ndefaults + nextra + 1, sizeof *env);
	memcpy(env, environ, n * sizeof *env);
	for (i = 0; i < ndefaults + nextra; i++) {
		e = i < ndefaults ? defaults[i] : extra[i - ndefaults];
		if (*e == '-') {
			n = term_env_unset(env, n, e + 1, strlen(e + 1));
			continue;
		}
		eq = strchr(e, '=');
		assert(eq != NULL && eq != e);
		n = term_env_unset(env, n, e, (size_t)(eq - e));
		env[n++] = (char *)e;
	}
	env[n] = NULL;
	return env;
}

struct term *
term_spawn(int rows, int cols, char *const argv[], char *const env[])
{
	struct term	*t = NULL;
	static const int signals[] = {
		SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD, SIGWINCH,
	};
	struct winsize	 ws;
	sigset_t	 none;
	char		**cenv;
	pid_t		 pid;
	size_t		 i;
	int		 fd, flags;

	assert(rows > 0 && cols > 0 && argv != NULL && argv[0] != NULL);
	memset(&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	cenv = term_env(env);

	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid == -1)
		goto out;
	if (pid == 0) {
		/* What a test runner ignores or blocks, a program should not. */
		for (i = 0; i < sizeof signals / sizeof signals[0]; i++)
			signal(signals[i], SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvpe(argv[0], argv, cenv);
		dprintf(STDERR_FILENO, "%s: %s\r\n", argv[0], strerror(errno));
		_exit(127);
	}
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);

	t = xcalloc(1, sizeof *t);
	t->pid = pid;
	t->fd = fd;
	t->rows = rows;
	t->cols = cols;
	t->vt = vterm_new(rows, cols);
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, term_output, t);
	t->screen = vterm_obtain_screen(t->vt);
	vterm_screen_enable_altscreen(t->screen, 1);
	vterm_screen_reset(t->screen, 1);
out:
	free(cenv);
	return t;
}

/* Reap the child if it has exited. Returns 1 if it has (now or before). */
static int
term_reap(struct term *t)
{
	pid_t	r;
	int	status;

	if (t->reaped)
		return 1;
	do
		r = waitpid(t->pid, &status, WNOHANG);
	while (r == -1 && errno == EINTR);
	if (r == t->pid) {
		t->reaped = 1;
		t->status = status;
	} else if (r == -1) {
		/* Reaped elsewhere: never signal that pid again. */
		t->reaped = 1;
		t->status = -1;
	}
	return t->reaped;
}

/* Wait until the child is reaped or deadline passes, draining the pty. */
static int
term_reap_until(struct term *t, int64_t deadline)
{
	for (;;) {
		if (term_reap(t))
			return 0;
		if (term_now() >= deadline)
			return -1;
		if (term_pump(t, term_left(deadline)) == -1)
			poll(NULL, 0, term_left(deadline));
	}
}

void
term_free(struct term *t)
{
	if (t == NULL)
		return;
	if (!term_reap(t)) {
		kill(t->pid, SIGTERM);
		if (term_reap_until(t, term_now() + TERM_STOP_TIMEOUT) == -1) {
			kill(t->pid, SIGKILL);
			while (waitpid(t->pid, NULL, 0) == -1 && errno == EINTR)
				;
		}
	}
	close(t->fd);
	vterm_free(t->vt);
	free(t);
}

int
term_pump(struct term *t, int timeout_ms)
{
	struct pollfd	 pfd;
	char		 buf[16384];
	ssize_t		 n;
	int		 total = 0;

	if (t->eof)
		return -1;
	pfd.fd = t->fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, timeout_ms < 0 ? 0 : timeout_ms) <= 0)
		return 0;
	while (total < TERM_READ_MAX) {
		n = read(t->fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {	/* EIO: every slave fd is closed */
			t->eof = 1;
			break;
		}
		vterm_input_write(t->vt, buf, (size_t)n);
		t->bytes += (size_t)n;
		total += (int)n;
	}
	if (t->eof && total == 0)
		return -1;
	return total;
}

static void
term_utf8(char **p, uint32_t c)
{
	unsigned char	*s = (unsigned char *)*p;

	if (c < 0x80)
		*s++ = (unsigned char)c;
	else if (c < 0x800) {
		*s++ = (unsigned char)(0xc0 | c >> 6);
		*s++ = (unsigned char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*s++ = (unsigned char)(0xe0 | c >> 12);
		*s++ = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		*s++ = (unsigned char)(0x80 | (c & 0x3f));
	} else if (c < 0x110000) {
		*s++ = (unsigned char)(0xf0 | c >> 18);
		*s++ = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		*s++ = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		*s++ = (unsigned char)(0x80 | (c & 0x3f));
	}
	*p = (char *)s;
}

/*
 * The text of row, trimmed. If cellof is not NULL, it is set to a new
 * array giving, for each byte of the text, the cell it belongs to.
 */
static char *
term_text(struct term *t, int row, int **cellof)
{
	VTermScreenCell	 cell;
	VTermPos	 pos;
	char		*text, *p, *end;
	int		*map = NULL;
	size_t		 size, i;
	int		 col, k;

	size = (size_t)t->cols * TERM_CELL_BYTES + 1;
	text = p = end = xmalloc(size);
	if (cellof != NULL)
		map = xmalloc(size * sizeof *map);
	pos.row = row;
	for (col = 0; col < t->cols; col++) {
		pos.col = col;
		if (!vterm_screen_get_cell(t->screen, pos, &cell))
			continue;
		/* The right half of a wide character. */
		if (cell.chars[0] == (uint32_t)-1)
			continue;
		if (cell.chars[0] == 0)
			*p++ = ' ';
		for (k = 0; k < VTERM_MAX_CHARS_PER_CELL; k++) {
			if (cell.chars[k] == 0)
				break;
			term_utf8(&p, cell.chars[k]);
		}
		if (map != NULL) {
			for (i = (size_t)(end - text); i < (size_t)(p - text);
			    i++)
				map[i] = col;
		}
		end = p;
	}
	while (p > text && p[-1] == ' ')
		p--;
	*p = '\0';
	if (cellof != NULL)
		*cellof = map;
	return text;
}

char *
term_row(struct term *t, int row)
{
	if (row < 0 || row >= t->rows)
		return NULL;
	return term_text(t, row, NULL);
}

char *
term_screen(struct term *t)
{
	char	*screen, *row;
	size_t	 len = 0, n;
	int	 r;

	screen = xmalloc((size_t)t->rows * ((size_t)t->cols * TERM_CELL_BYTES +
	    1) + 1);
	for (r = 0; r < t->rows; r++) {
		row = term_text(t, r, NULL);
		n = strlen(row);
		memcpy(screen + len, row, n);
		len += n;
		if (r != t->rows - 1)
			screen[len++] = '\n';
		free(row);
	}
	screen[len] = '\0';
	return screen;
}

int
term_find(struct term *t, const char *utf8, int *rowp, int *colp)
{
	char	*text, *hit;
	int	*cellof, r, found = -1;

	for (r = 0; r < t->rows && found == -1; r++) {
		text = term_text(t, r, &cellof);
		hit = strstr(text, utf8);
		if (hit != NULL) {
			if (rowp != NULL)
				*rowp = r;
			if (colp != NULL)
				*colp = *utf8 == '\0' ? 0 : cellof[hit - text];
			found = 0;
		}
		free(cellof);
		free(text);
	}
	return found;
}

int
term_wait_text(struct term *t, const char *utf8, int timeout_ms)
{
	int64_t	deadline = term_now() + (timeout_ms < 0 ? 0 : timeout_ms);

	for (;;) {
		if (term_find(t, utf8, NULL, NULL) == 0)
			return 0;
		if (term_now() >= deadline)
			return -1;
		if (term_pump(t, term_left(deadline)) == -1)
			return -1;
	}
}

int
term_wait_gone(struct term *t, const char *utf8, int timeout_ms)
{
	int64_t	deadline = term_now() + (timeout_ms < 0 ? 0 : timeout_ms);

	for (;;) {
		if (term_find(t, utf8, NULL, NULL) == -1)
			return 0;
		if (term_now() >= deadline)
			return -1;
		if (term_pump(t, term_left(deadline)) == -1)
			return -1;
	}
}

int
term_wait_idle(struct term *t, int quiet_ms, int timeout_ms)
{
	int64_t	now, last, deadline;
	int	n;

	now = last = term_now();
	deadline = now + (timeout_ms < 0 ? 0 : timeout_ms);
	for (;;) {
		n = term_pump(t, term_left(deadline));
		if (n == -1)
			return 0;
		now = term_now();
		if (n > 0)
			last = now;
		else if (now - last >= quiet_ms)
			return 0;
		if (now >= deadline)
			return -1;
	}
}

static void
term_colour(struct term *t, VTermColor *c, int *index, unsigned char *r,
    unsigned char *g, unsigned char *b)
{
	*index = VTERM_COLOR_IS_INDEXED(c) ? c->indexed.idx : -1;
	vterm_screen_convert_color_to_rgb(t->screen, c);
	*r = c->rgb.red;
	*g = c->rgb.green;
	*b = c->rgb.blue;
}

int
term_attr(struct term *t, int row, int col, struct term_attr *attr)
{
	VTermScreenCell	cell;
	VTermPos	pos;

	if (row < 0 || row >= t->rows || col < 0 || col >= t->cols)
		return -1;
	pos.row = row;
	pos.col = col;
	if (!vterm_screen_get_cell(t->screen, pos, &cell))
		return -1;
	memset(attr, 0, sizeof *attr);
	attr->bold = cell.attrs.bold;
	attr->underline = cell.attrs.underline != 0;
	attr->italic = cell.attrs.italic;
	attr->reverse = cell.attrs.reverse;
	attr->fg_default = VTERM_COLOR_IS_DEFAULT_FG(&cell.fg);
	attr->bg_default = VTERM_COLOR_IS_DEFAULT_BG(&cell.bg);
	term_colour(t, &cell.fg, &attr->fg_index, &attr->fg_r, &attr->fg_g,
	    &attr->fg_b);
	term_colour(t, &cell.bg, &attr->bg_index, &attr->bg_r, &attr->bg_g,
	    &attr->bg_b);
	if (attr->fg_default)
		attr->fg_index = -1;
	if (attr->bg_default)
		attr->bg_index = -1;
	return 0;
}

int
term_cursor(struct term *t, int *row, int *col)
{
	VTermPos	pos;

	vterm_state_get_cursorpos(vterm_obtain_state(t->vt), &pos);
	if (row != NULL)
		*row = pos.row;
	if (col != NULL)
		*col = pos.col;
	return 0;
}

/*
 * Whether the program has put the cursor keys in application mode
 * (DECCKM). libvterm keeps that mode but has no getter, so ask it what Up
 * would send.
 */
static int
term_appcursor(struct term *t)
{
	char	buf[16];

	t->capture = buf;
	t->capture_len = 0;
	t->capture_size = sizeof buf;
	vterm_keyboard_key(t->vt, VTERM_KEY_UP, VTERM_MOD_NONE);
	t->capture = NULL;
	return t->capture_len == 3 && memcmp(buf, "\033OA", 3) == 0;
}

static void
term_write(struct term *t, const char *bytes, size_t len)
{
	struct pollfd	pfd;
	int64_t		deadline = term_now() + TERM_SEND_TIMEOUT;
	ssize_t		n;

	while (len > 0) {
		n = write(t->fd, bytes, len);
		if (n > 0) {
			bytes += n;
			len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return;
		if (term_now() >= deadline)
			return;
		/* Full: read meanwhile, in case the program waits on us. */
		pfd.fd = t->fd;
		pfd.events = POLLOUT | POLLIN;
		if (poll(&pfd, 1, term_left(deadline)) > 0 &&
		    (pfd.revents & POLLIN))
			term_pump(t, 0);
	}
}

void
term_sendn(struct term *t, const char *bytes, size_t len)
{
	char	*copy;
	size_t	 i;

	if (len >= 3 && memchr(bytes, '\033', len) != NULL &&
	    term_appcursor(t)) {
		copy = xmalloc(len);
		memcpy(copy, bytes, len);
		for (i = 0; i + 2 < len; i++) {
			if (copy[i] == '\033' && copy[i + 1] == '[' &&
			    copy[i + 2] != '\0' &&
			    strchr("ABCDHF", copy[i + 2]) != NULL)
				copy[i + 1] = 'O';
		}
		term_write(t, copy, len);
		free(copy);
		return;
	}
	term_write(t, bytes, len);
}

void
term_send(struct term *t, const char *bytes)
{
	term_sendn(t, bytes, strlen(bytes));
}

void
term_click(struct term *t, int row, int col)
{
	char	buf[64];
	int	n;

	n = snprintf(buf, sizeof buf, "\033[<0;%d;%dM\033[<0;%d;%dm",
	    col + 1, row + 1, col + 1, row + 1);
	term_write(t, buf, (size_t)n);
}

void
term_wheel(struct term *t, int row, int col, int up)
{
	char	buf[32];
	int	n;

	n = snprintf(buf, sizeof buf, "\033[<%d;%d;%dM", up ? 64 : 65,
	    col + 1, row + 1);
	term_write(t, buf, (size_t)n);
}

void
term_resize(struct term *t, int rows, int cols)
{
	struct winsize	ws;

	assert(rows > 0 && cols > 0);
	memset(&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	vterm_set_size(t->vt, rows, cols);
	t->rows = rows;
	t->cols = cols;
	ioctl(t->fd, TIOCSWINSZ, &ws);
}

size_t
term_bytes(struct term *t)
{
	return t->bytes;
}

int
term_wait_exit(struct term *t, int timeout_ms, int *status)
{
	int64_t	deadline = term_now() + (timeout_ms < 0 ? 0 : timeout_ms);

	if (term_reap_until(t, deadline) == -1)
		return -1;
	if (status != NULL)
		*status = t->status;
	return 0;
}

void
term_dump(struct term *t, FILE *fp)
{
	char	*row;
	int	 r, crow, ccol;

	term_cursor(t, &crow, &ccol);
	fprintf(fp, "# screen %dx%d, cursor at %d,%d, %zu bytes read\n",
	    t->cols, t->rows, crow, ccol, t->bytes);
	for (r = 0; r < t->rows; r++) {
		row = term_text(t, r, NULL);
		fprintf(fp, "# %3d|%s\n", r, row);
		free(row);
	}
	fflush(fp);
}
