/*
 * The terminal UI's frame: start-up, the loop, layout, the top bar, the
 * side bar, the status line with its prompts, the help screen, and key
 * dispatch through the binding table. Panes live in pane_*.c.
 *
 * Nothing here waits on the core: every call goes through async.c, and
 * answers arrive as callbacks on the loop. Drawing happens once per loop
 * turn (a uv_prepare handle), only for the parts marked dirty, through
 * wnoutrefresh and one doupdate; a UI with nothing changing writes nothing.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>

#include "action.h"
#include "async.h"
#include "client.h"
#include "conf.h"
#include "draw.h"
#include "pane_experiments.h"
#include "paths.h"
#include "theme.h"
#include "tui.h"
#include "xmalloc.h"

#define TUI_MIN_COLS		40
#define TUI_MIN_ROWS		10
#define TUI_HEALTH_MS		2000
#define TUI_MESSAGE_MS		5000

static struct tui	 tui_state;

static const struct {
	const char	*name;
	const char	*later;	/* for sections not built yet */
} tui_sections[SECTION_COUNT] = {
	[SECTION_FILES] = { "Files", NULL },
	[SECTION_SESSIONS] = { "Sessions", "an editor beside a live REPL "
	    "(lathe session start)" },
	[SECTION_JOBS] = { "Jobs", NULL },
	[SECTION_EXPERIMENTS] = { "Experiments", "MLflow runs and charts "
	    "(lathe experiment list)" },
	[SECTION_MODELS] = { "Models", "models served as REST endpoints "
	    "(lathe model deploy)" },
	[SECTION_APPLICATIONS] = { "Applications", "long-running web "
	    "applications (lathe app start)" },
	[SECTION_SETTINGS] = { "Settings", NULL },
};

static void	tui_on_message_timer(uv_timer_t *);

static uint64_t
tui_now_ms(void)
{
	return uv_hrtime() / 1000000;
}

char *
tui_escape(const char *s)
{
	return client_escape(s);
}

void
tui_dirty(struct tui *t, int what)
{
	t->dirty |= what;
}

void
tui_message(struct tui *t, int error, const char *fmt, ...)
{
	va_list	ap;

	free(t->message);
	va_start(ap, fmt);
	t->message = xvasprintf(fmt, ap);
	va_end(ap);
	t->message_error = error;
	t->message_until = tui_now_ms() + TUI_MESSAGE_MS;
	uv_timer_start(&t->message_timer, tui_on_message_timer,
	    TUI_MESSAGE_MS, 0);
	tui_dirty(t, DIRTY_STATUS);
}

void
tui_ask(struct tui *t, const char *label, const char *initial, int secret,
    prompt_fn done)
{
	t->prompt = PROMPT_TEXT;
	snprintf(t->prompt_label, sizeof t->prompt_label, "%s", label);
	input_set(&t->input, initial != NULL ? initial : "");
	t->input.secret = secret;
	t->prompt_done = done;
	tui_dirty(t, DIRTY_STATUS);
}

void
tui_focus(struct tui *t, struct pane *p)
{
	t->focus = p;
	t->side_focus = 0;
	tui_dirty(t, DIRTY_ALL);
}

static struct pane *
tui_section_pane(enum section s)
{
	switch (s) {
	case SECTION_FILES:
		return &pane_tree;
	case SECTION_EXPERIMENTS:
		return experiments_pane();
	case SECTION_SETTINGS:
		return &pane_settings;
	case SECTION_JOBS:
		return &pane_jobs;
	default:
		return &pane_later;
	}
}

void
tui_section(struct tui *t, enum section s)
{
	t->section = s;
	list_select_index(&t->sections, s);
	t->help = 0;
	tui_focus(t, tui_section_pane(s));
	if (t->project != NULL && t->focus->reload != NULL &&
	    (s == SECTION_SETTINGS || s == SECTION_JOBS))
		t->focus->reload(t);
	if (s == SECTION_EXPERIMENTS)
		experiments_show(t);
}

/* Layout: windows for each part, made again on every resize. */
static void
tui_layout(struct tui *t)
{
	int	side;

	WINDOW	**wins[] = { &t->top, &t->side, &t->main, &t->status };
	size_t	  i;

	for (i = 0; i < sizeof wins / sizeof wins[0]; i++) {
		if (*wins[i] != NULL)
			delwin(*wins[i]);
		*wins[i] = NULL;
	}
	t->too_small = t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS;
	if (t->too_small) {
		t->main = newwin(t->rows, t->cols, 0, 0);
		tui_dirty(t, DIRTY_ALL);
		return;
	}
	side = t->picking ? 0 : (t->cols >= 80 ? 16 : 14);
	t->top = newwin(1, t->cols, 0, 0);
	t->status = newwin(1, t->cols, t->rows - 1, 0);
	t->side = newwin(t->rows - 2, side > 0 ? side : 1, 1, 0);
	t->main = newwin(t->rows - 2, t->cols - side, 1, side);
	t->area.y = 1;
	t->area.x = side;
	t->area.h = t->rows - 2;
	t->area.w = t->cols - side;
	tui_dirty(t, DIRTY_ALL);
}

void
tui_relayout(struct tui *t)
{
	tui_layout(t);
}

static void
tui_draw_top(struct tui *t)
{
	WINDOW	*w = t->top;
	int	 x = 0;

	draw_fill(w, 0, 0, t->cols, ROLE_TOPBAR);
	x += draw_text(w, 0, x, t->cols - x, " lathe", -1, ROLE_TOPBAR, 0);
	if (t->project != NULL) {
		x += draw_text(w, 0, x, t->cols - x, "  project ", -1,
		    ROLE_TOPBAR, 0);
		x += draw_text(w, 0, x, t->cols - x - 1, t->project, -1,
		    ROLE_TOPBAR, DRAW_ELLIPSIS);
	}
	x += draw_text(w, 0, x, t->cols - x, "  core ", -1, ROLE_TOPBAR, 0);
	if (t->core_ok) {
		x += draw_printf(w, 0, x, t->cols - x, ROLE_TOPBAR, "%s %s",
		    client_is_tcp(t->client) ? "remote" : "local",
		    draw_utf8 ? "\xe2\x9c\x93" : "ok");
		/* What the core is doing, in every project. */
		if (t->runs_running > 0 || t->runs_queued > 0)
			draw_printf(w, 0, x, t->cols - x, ROLE_TOPBAR,
			    "  runs %d running, %d queued", t->runs_running,
			    t->runs_queued);
	}
	else if (!t->core_seen && t->core_error == NULL)
		draw_text(w, 0, x, t->cols - x, "connecting...", -1,
		    ROLE_TOPBAR, 0);
	else
		draw_text(w, 0, x, t->cols - x, "unreachable, retrying", -1,
		    ROLE_ERROR, DRAW_ELLIPSIS);
}

static void
tui_draw_section_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	struct tui	*t = arg;
	enum role	 role = i == (size_t)t->section ? ROLE_SIDEBAR_ACTIVE :
	    ROLE_SIDEBAR;
	char		 label[32];

	snprintf(label, sizeof label, " %zu %s", i + 1, tui_sections[i].name);
	draw_fill(w, y, x, width, role);
	draw_text(w, y, x, width, label, -1, role, DRAW_ELLIPSIS);
	if (selected && t->side_focus)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
tui_draw_side(struct tui *t)
{
	int	h = t->rows - 2, w = getmaxx(t->side), y;

	for (y = 0; y < h; y++)
		draw_fill(t->side, y, 0, w, ROLE_SIDEBAR);
	list_draw(&t->sections, t->side, 1, 0, h - 1, w,
	    tui_draw_section_row, t);
}

static void
tui_draw_help(struct tui *t, WINDOW *w, int h, int width)
{
	const struct pane	*p = t->focus;
	char			 keys[64];
	size_t			 i;
	long			 row = 0, y = 0;
	enum scope		 scopes[4] = { SCOPE_GLOBAL, SCOPE_LIST,
				    SCOPE_GLOBAL, SCOPE_GLOBAL };
	int			 k, nscopes = 1;

	if (p != NULL && p->scope != SCOPE_GLOBAL) {
		if (keys_parent(p->scope) != SCOPE_GLOBAL)
			scopes[nscopes++] = keys_parent(p->scope);
		scopes[nscopes++] = p->scope;
	}
	if (p != NULL && p->list != NULL)
		scopes[nscopes++] = SCOPE_LIST;
	draw_text(w, y++, 1, width - 2, "Help: keys for this pane and "
	    "everywhere (q or Esc closes, j/k scroll)", -1, ROLE_TITLE,
	    DRAW_ELLIPSIS);
	for (k = nscopes - 1; k >= 0; k--) {
		for (i = 0; i < nactions; i++) {
			if (actions[i].scope != scopes[k])
				continue;
			if (row++ < t->help_top)
				continue;
			if (y >= h)
				return;
			keys_for(actions[i].name, keys, sizeof keys);
			draw_text(w, y, 2, 14, keys[0] ? keys : "-", -1,
			    ROLE_ACCENT, DRAW_ELLIPSIS);
			draw_text(w, y, 17, 16, actions[i].name, -1,
			    ROLE_DEFAULT, DRAW_ELLIPSIS);
			draw_text(w, y, 34, width - 35, actions[i].help, -1,
			    ROLE_DIM, DRAW_ELLIPSIS);
			y++;
		}
	}
}

static void
tui_draw_later(struct tui *t, WINDOW *w, int h, int width)
{
	const char	*name = tui_sections[t->section].name;
	const char	*later = tui_sections[t->section].later;
	const char	*cli = strchr(later, '(');

	draw_printf(w, 1, 2, width - 3, ROLE_TITLE, "%s", name);
	draw_printf(w, 3, 2, width - 3, ROLE_DEFAULT, "%s are not built yet.",
	    name);
	draw_printf(w, 4, 2, width - 3, ROLE_DEFAULT, "Coming: %.*s.",
	    cli != NULL ? (int)(cli - later - 1) : (int)strlen(later), later);
	if (cli != NULL)
		draw_printf(w, 5, 2, width - 3, ROLE_DIM, "On the command line "
		    "too, %s", cli);
	draw_text(w, 7, 2, width - 3, "Press 1 for Files, 3 for Jobs or 7 "
	    "for Settings.", -1, ROLE_DIM, DRAW_ELLIPSIS);
}

static void
tui_draw_main(struct tui *t)
{
	WINDOW	*w = t->main;
	int	 h = getmaxy(w), width = getmaxx(w), y;

	for (y = 0; y < h; y++)
		draw_fill(w, y, 0, width, ROLE_DEFAULT);
	if (t->help) {
		tui_draw_help(t, w, h, width);
		return;
	}
	if (t->picking) {
		pane_picker.draw(t, w, 0, 0, h, width);
		return;
	}
	switch (t->section) {
	case SECTION_FILES:
		files_draw(t, w, h, width);
		break;
	case SECTION_SETTINGS:
		pane_settings.draw(t, w, 0, 0, h, width);
		break;
	case SECTION_JOBS:
		jobs_draw(t, w, h, width);
		break;
	case SECTION_EXPERIMENTS:
		experiments_draw(t, w, h, width);
		break;
	default:
		tui_draw_later(t, w, h, width);
		break;
	}
}

/* The status line: a prompt, a message, or hints for the focused pane. */
static void
tui_draw_status(struct tui *t)
{
	WINDOW		*w = t->status;
	const char	*hint, *name;
	char		 keys[64], buf[512];
	size_t		 used = 0;
	int		 x;
	const char	*names[] = { "help", "palette", "back" };
	size_t		 i;

	draw_fill(w, 0, 0, t->cols, ROLE_STATUS);
	if (t->prompt != PROMPT_NONE) {
		x = draw_text(w, 0, 0, t->cols, t->prompt_label, -1,
		    ROLE_STATUS, 0);
		if (t->prompt == PROMPT_PALETTE && t->ncompletions > 0 &&
		    t->input.len > 0) {
			buf[0] = '\0';
			for (i = 0; i < t->ncompletions && used < 200; i++)
				used += (size_t)snprintf(buf + used,
				    sizeof buf - used, "%s ",
				    t->completions[i]);
			draw_text(w, 0, t->cols / 2, t->cols - t->cols / 2,
			    buf, -1, ROLE_DIM, DRAW_ELLIPSIS);
		}
		input_draw(&t->input, w, 0, x, (t->prompt == PROMPT_PALETTE ?
		    t->cols / 2 : t->cols) - x, ROLE_INPUT, 1);
		return;
	}
	curs_set(0);
	if (t->message != NULL) {
		draw_text(w, 0, 1, t->cols - 2, t->message, -1,
		    t->message_error ? ROLE_ERROR : ROLE_STATUS,
		    DRAW_ELLIPSIS);
		return;
	}
	buf[0] = '\0';
	hint = t->focus != NULL && !t->help ? t->focus->hints : NULL;
	while (hint != NULL && *hint != '\0' && used < 400) {
		size_t	n = strcspn(hint, " ");
		char	action[64];

		snprintf(action, sizeof action, "%.*s", (int)n, hint);
		keys_for(action, keys, sizeof keys);
		name = strchr(keys, ' ') ? strndup(keys, strcspn(keys, " ")) :
		    NULL;
		used += (size_t)snprintf(buf + used, sizeof buf - used,
		    "%s %s  ", name ? name : keys, action);
		free((char *)name);
		hint += n;
		while (*hint == ' ')
			hint++;
	}
	for (i = 0; i < sizeof names / sizeof names[0] && used < 480; i++) {
		keys_for(names[i], keys, sizeof keys);
		keys[strcspn(keys, " ")] = '\0';
		used += (size_t)snprintf(buf + used, sizeof buf - used,
		    "%s %s  ", keys, i == 2 && t->picking && t->project ==
		    NULL ? "quit" : names[i]);
	}
	draw_text(w, 0, 1, t->cols - 2, buf, -1, ROLE_STATUS, DRAW_ELLIPSIS);
}

static void
tui_draw(struct tui *t)
{
	char	msg[80];
	int	cursor = 0;

	if (t->dirty == 0)
		return;
	if (t->too_small) {
		werase(t->main);
		snprintf(msg, sizeof msg, "terminal too small (%dx%d): lathe "
		    "needs %dx%d", t->cols, t->rows, TUI_MIN_COLS,
		    TUI_MIN_ROWS);
		draw_text(t->main, 0, 0, t->cols, msg, -1, ROLE_DEFAULT,
		    DRAW_ELLIPSIS);
		wnoutrefresh(t->main);
		doupdate();
		t->dirty = 0;
		return;
	}
	if (t->dirty & DIRTY_TOP) {
		tui_draw_top(t);
		wnoutrefresh(t->top);
	}
	if ((t->dirty & DIRTY_SIDE) && !t->picking) {
		tui_draw_side(t);
		wnoutrefresh(t->side);
	}
	if (t->dirty & DIRTY_MAIN) {
		tui_draw_main(t);
		wnoutrefresh(t->main);
	}
	if (t->dirty & DIRTY_STATUS) {
		tui_draw_status(t);
		wnoutrefresh(t->status);
	}
	/* The status line's prompt owns the cursor; else hide it. */
	cursor = t->prompt != PROMPT_NONE;
	if (cursor)
		wnoutrefresh(t->status);
	curs_set(cursor);
	doupdate();
	t->dirty = 0;
}

static void
tui_on_prepare(uv_prepare_t *h)
{
	tui_draw(h->data);
}

/*
 * The terminal's size changed (SIGWINCH). resizeterm also queues a
 * KEY_RESIZE; that one finds the size already known and does nothing, so
 * the two never feed each other. A signal that finds the size it knows
 * (the terminal went smaller and back before lathe looked) still redraws
 * everything: the terminal cut what it showed.
 */
static void
tui_resize(struct tui *t, int signalled)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	if (LINES == t->rows && COLS == t->cols) {
		if (signalled) {
			clearok(curscr, TRUE);
			tui_dirty(t, DIRTY_ALL);
		}
		return;
	}
	t->rows = LINES;
	t->cols = COLS;
	clearok(curscr, TRUE);
	tui_layout(t);
}

static void
tui_on_winch(uv_signal_t *h, int signum)
{
	tui_resize(h->data, 1);
}

static void
tui_on_term(uv_signal_t *h, int signum)
{
	struct tui	*t = h->data;

	t->quit = 1;
	uv_stop(t->loop);
}

static void
tui_on_message_timer(uv_timer_t *h)
{
	struct tui	*t = h->data;

	if (t->message != NULL && tui_now_ms() + 50 >= t->message_until) {
		free(t->message);
		t->message = NULL;
		tui_dirty(t, DIRTY_STATUS);
	}
}

static void
tui_on_health(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	int		 was = t->core_ok, seen = t->core_seen;
	int		 running, queued;
	cJSON		*v;

	if (id != t->health_call)
		return;
	t->health_call = 0;
	t->core_ok = status == 200;
	free(t->core_error);
	t->core_error = NULL;
	if (!t->core_ok)
		t->core_error = xstrdup(cause != NULL ? cause : "no answer");
	else {
		t->core_seen = 1;
		if ((v = cJSON_GetObjectItem(answer, "pid")) != NULL)
			t->core_pid = (long)v->valuedouble;
		if ((v = cJSON_GetObjectItem(answer, "port")) != NULL)
			t->core_port = (int)v->valuedouble;
		v = cJSON_GetObjectItem(answer, "runs");
		running = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(v,
		    "running"));
		queued = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(v,
		    "queued"));
		/* NaN (no such field) casts to garbage: keep it at 0. */
		if (!cJSON_IsNumber(cJSON_GetObjectItem(v, "running")))
			running = queued = 0;
		if (running != t->runs_running || queued != t->runs_queued) {
			t->runs_running = running;
			t->runs_queued = queued;
			tui_dirty(t, DIRTY_TOP);
		}
	}
	if (was != t->core_ok) {
		tui_dirty(t, DIRTY_TOP);
		/* Back after being lost: reload what is on screen. */
		if (t->core_ok && seen) {
			if (t->picking)
				picker_load(t);
			else if (t->focus != NULL && t->focus->reload != NULL)
				t->focus->reload(t);
		}
	}
}

static void
tui_on_health_timer(uv_timer_t *h)
{
	struct tui	*t = h->data;

	if (t->health_call != 0)
		return;		/* the last one has not come back yet */
	t->health_call = async_call(t->async, "GET", "/api/v1/health", NULL,
	    tui_on_health, t);
}

/* Palette: complete over action names (and theme names for "theme "). */
static void
tui_complete(struct tui *t)
{
	const char	*text = t->input.text;
	size_t		 i, n = strlen(text);
	char		**themes;
	size_t		 nthemes;

	for (i = 0; i < t->ncompletions; i++)
		free(t->completions[i]);
	free(t->completions);
	t->completions = NULL;
	t->ncompletions = 0;
	if (strncmp(text, "theme ", 6) == 0) {
		themes = theme_list(t->data_dir, &nthemes);
		for (i = 0; i < nthemes; i++) {
			if (strncmp(themes[i], text + 6, n - 6) == 0) {
				t->completions = xrealloc(t->completions,
				    (t->ncompletions + 1) * sizeof(char *));
				t->completions[t->ncompletions++] =
				    xasprintf("theme %s", themes[i]);
			}
		}
		theme_list_free(themes);
		return;
	}
	for (i = 0; i < nactions; i++) {
		if (strncmp(actions[i].name, text, n) != 0)
			continue;
		t->completions = xrealloc(t->completions,
		    (t->ncompletions + 1) * sizeof(char *));
		t->completions[t->ncompletions++] = xstrdup(actions[i].name);
	}
}

static void
tui_run_command(struct tui *t, const char *line)
{
	const struct action	*a;
	char			 name[64], argbuf[INPUT_MAX];
	const char		*arg;
	size_t			 n;

	while (*line == ' ')
		line++;
	n = strcspn(line, " ");
	if (n == 0)
		return;
	snprintf(name, sizeof name, "%.*s", (int)n, line);
	arg = line + n;
	while (*arg == ' ')
		arg++;
	snprintf(argbuf, sizeof argbuf, "%s", arg);
	n = strlen(argbuf);
	while (n > 0 && argbuf[n - 1] == ' ')
		argbuf[--n] = '\0';
	arg = argbuf;
	if ((a = action_find(name)) == NULL) {
		tui_message(t, 1, "no command '%s' (Tab completes, ? lists "
		    "keys)", name);
		return;
	}
	if (a->arg != NULL && *arg == '\0') {
		tui_message(t, 1, "%s needs %s", a->name, a->arg);
		return;
	}
	a->fn(t, *arg != '\0' ? arg : NULL);
}

static void
tui_prompt_key(struct tui *t, int key)
{
	enum input_result	 r;
	enum prompt_kind	 kind = t->prompt;
	struct list		*l = t->focus != NULL && t->focus->list != NULL ?
				    t->focus->list(t) : NULL;
	prompt_fn		 done;
	char			*answer;

	if (kind == PROMPT_PALETTE && key == '\t') {
		tui_complete(t);
		if (t->ncompletions > 0) {
			/* Complete to the longest common prefix. */
			size_t	i, n = strlen(t->completions[0]);

			for (i = 1; i < t->ncompletions; i++) {
				size_t k = 0;
				while (k < n && t->completions[i][k] ==
				    t->completions[0][k])
					k++;
				n = k;
			}
			if (n > t->input.len) {
				char	buf[INPUT_MAX];

				const struct action *a = action_find(
				    t->completions[0]);

				/* A space only where an argument follows. */
				snprintf(buf, sizeof buf, "%.*s%s", (int)n,
				    t->completions[0], t->ncompletions == 1 &&
				    a != NULL && a->arg != NULL ? " " : "");
				input_set(&t->input, buf);
			}
		}
		tui_dirty(t, DIRTY_STATUS);
		return;
	}
	r = input_key(&t->input, key);
	switch (r) {
	case INPUT_IGNORED:
		return;
	case INPUT_MOVED:
		break;
	case INPUT_EDITED:
		if (kind == PROMPT_FILTER && l != NULL) {
			list_filter(l, t->input.text, t->focus->match, t);
			if (t->focus->changed != NULL)
				t->focus->changed(t);
			tui_dirty(t, DIRTY_MAIN);
		}
		if (kind == PROMPT_PALETTE)
			tui_complete(t);
		break;
	case INPUT_SUBMIT:
	case INPUT_CANCEL:
		t->prompt = PROMPT_NONE;
		tui_dirty(t, DIRTY_STATUS | DIRTY_MAIN);
		if (kind == PROMPT_FILTER) {
			if (r == INPUT_CANCEL && l != NULL) {
				list_filter(l, NULL, t->focus->match, t);
				if (t->focus->changed != NULL)
					t->focus->changed(t);
			}
		} else if (kind == PROMPT_PALETTE) {
			if (r == INPUT_SUBMIT)
				tui_run_command(t, t->input.text);
		} else if (kind == PROMPT_TEXT) {
			done = t->prompt_done;
			t->prompt_done = NULL;
			answer = r == INPUT_SUBMIT ? xstrdup(t->input.text) :
			    NULL;
			memset(t->input.text, 0, sizeof t->input.text);
			t->input.len = t->input.cursor = 0;
			if (done != NULL)
				done(t, answer);
			free(answer);
		}
		return;
	}
	tui_dirty(t, DIRTY_STATUS);
}

static void
tui_mouse(struct tui *t)
{
	MEVENT	ev;
	int	row;
	long	i;

	if (getmouse(&ev) != OK)
		return;

	if (t->too_small || t->help)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		struct list *l = t->focus != NULL && t->focus->list != NULL ?
		    t->focus->list(t) : NULL;
		long delta = (ev.bstate & BUTTON4_PRESSED) ? -3 : 3;

		if (l != NULL) {
			list_move(l, delta);
			if (t->focus->changed != NULL)
				t->focus->changed(t);
		} else if (t->focus != NULL && t->focus->scroll_by != NULL)
			t->focus->scroll_by(t, delta);
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED |
	    BUTTON1_RELEASED)))
		return;
	if (!t->picking && ev.x < t->area.x && ev.y >= 2) {
		i = list_at(&t->sections, ev.y - 2);
		if (i >= 0)
			tui_section(t, (enum section)i);
		return;
	}
	row = ev.y - t->area.y;
	if (row < 0 || row >= t->area.h)
		return;
	if (t->picking)
		pane_picker.click(t, row, ev.x - t->area.x);
	else if (t->section == SECTION_FILES) {
		/* The tree is on the left, the preview on the right. */
		pane_tree.click(t, row, ev.x - t->area.x);
	} else if (t->focus != NULL && t->focus->click != NULL)
		t->focus->click(t, row, ev.x - t->area.x);
	tui_dirty(t, DIRTY_ALL);
}

static void
tui_key(struct tui *t, int key)
{
	const char		*name;
	const struct action	*a;
	enum scope		 scope;
	int			 is_list;

	if (key == (KEYS_SPECIAL | KEY_MOUSE)) {
		tui_mouse(t);
		return;
	}
	if (key == (KEYS_SPECIAL | KEY_RESIZE)) {
		tui_resize(t, 0);
		return;
	}
	if (t->prompt != PROMPT_NONE) {
		tui_prompt_key(t, key);
		return;
	}
	if (t->message != NULL) {
		free(t->message);
		t->message = NULL;
		tui_dirty(t, DIRTY_STATUS);
	}
	if (key == KEYS_CTRL('c')) {
		t->quit = 1;
		return;
	}
	if (!t->help && !t->side_focus && t->focus != NULL &&
	    t->focus->key != NULL && t->focus->key(t, key))
		return;
	if (t->side_focus) {
		scope = SCOPE_GLOBAL;
		is_list = 1;
	} else {
		scope = t->focus != NULL ? t->focus->scope : SCOPE_GLOBAL;
		is_list = t->focus != NULL && (t->focus->list != NULL ||
		    t->focus->scroll_by != NULL);
	}
	if (t->help)
		is_list = 1;
	name = keys_lookup(scope, is_list, key);
	if (name == NULL || (a = action_find(name)) == NULL)
		return;
	a->fn(t, NULL);
}

static void
tui_on_stdin(uv_poll_t *h, int status, int events)
{
	struct tui	*t = h->data;
	wint_t		 wc;
	int		 rc, n = 0;

	while (!t->quit && n++ < 4096 &&
	    (rc = wget_wch(stdscr, &wc)) != ERR) {
		tui_key(t, rc == KEY_CODE_YES ? (int)(KEYS_SPECIAL | wc) :
		    (int)wc);
	}
	if (t->quit)
		uv_stop(t->loop);
}

/* Restore the terminal if lathe crashes, then die as it would have. */
static void
tui_on_crash(int sig)
{
	static const char reset[] = "\033[?1000l\033[?1002l\033[?1006l"
	    "\033[?25h";

	endwin();
	(void)write(STDOUT_FILENO, reset, sizeof reset - 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
tui_set_mouse(struct tui *t, int on)
{
	t->mouse = on;
	mousemask(on ? (ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION) : 0, NULL);
	mouseinterval(0);
}

void
tui_toggle_mouse(struct tui *t)
{
	tui_set_mouse(t, !t->mouse);
	tui_message(t, 0, "mouse %s%s", t->mouse ? "on" : "off",
	    t->mouse ? "" : ": the terminal selects text again");
}

/* The project remembered from the last time, in the state directory. */
static char *
tui_last_path(void)
{
	char	*dir = paths_state_dir(), *p = paths_join(dir, "last-project");

	free(dir);
	return p;
}

static char *
tui_last_project(void)
{
	char	*path = tui_last_path(), line[128];
	FILE	*f = fopen(path, "r");

	free(path);
	if (f == NULL)
		return NULL;
	if (fgets(line, sizeof line, f) == NULL) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return line[0] != '\0' ? xstrdup(line) : NULL;
}

void
tui_remember_project(const char *name)
{
	char	*dir = paths_state_dir(), *path = tui_last_path(), *cause = NULL;
	char	*tmp = xasprintf("%s.tmp", path);
	FILE	*f;

	if (paths_mkdir(dir, 0700, &cause) == 0 &&
	    (f = fopen(tmp, "w")) != NULL) {
		fprintf(f, "%s\n", name);
		if (fclose(f) == 0)
			rename(tmp, path);
	}
	free(cause);
	free(tmp);
	free(path);
	free(dir);
}

static void
tui_load_config(struct tui *t)
{
	size_t		 i;
	int		 key;

	t->config = conf_load(NULL);
	for (i = 0; i < t->config->nbinds; i++) {
		struct conf_bind *b = &t->config->binds[i];

		if ((key = keys_parse(b->key)) < 0) {
			tui_message(t, 1, "%s:%d: unknown key '%s'", b->file,
			    b->line, b->key);
			continue;
		}
		if (action_find(b->action) == NULL) {
			tui_message(t, 1, "%s:%d: unknown action '%s' (see : "
			    "and Tab for the list)", b->file, b->line,
			    b->action);
			continue;
		}
		keys_bind(key, b->action);
	}
	if (t->config->nerrors > 0)
		tui_message(t, 1, "%s%s", t->config->errors[0],
		    t->config->nerrors > 1 ? " (and more)" : "");
}

int
tui_set_theme(struct tui *t, const char *name)
{
	struct theme	*th;
	char		*cause = NULL;

	if ((th = theme_find(name, t->data_dir, &cause)) == NULL) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		return -1;
	}
	theme_apply(th, (enum theme_mode)t->mode);
	theme_free(t->theme);
	t->theme = th;
	clearok(curscr, TRUE);
	tui_dirty(t, DIRTY_ALL);
	return 0;
}

static void
tui_init_curses(struct tui *t)
{
	static const int	crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
				    SIGABRT };
	size_t			i;
	const char		*env;

	setlocale(LC_ALL, "");
	env = setlocale(LC_CTYPE, NULL);
	draw_utf8 = env != NULL && (strstr(env, "UTF-8") != NULL ||
	    strstr(env, "utf8") != NULL || strstr(env, "UTF8") != NULL);
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	initscr();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	t->mode = theme_mode_detect(getenv("NO_COLOR"), getenv("COLORTERM"),
	    has_colors() ? COLORS : 0, can_change_color());
	for (i = 0; i < sizeof crash / sizeof crash[0]; i++)
		signal(crash[i], tui_on_crash);
	/* stdscr is never drawn on; mark it as sent so input never draws. */
	wnoutrefresh(stdscr);
	getmaxyx(stdscr, t->rows, t->cols);
}

static void
tui_on_close(uv_handle_t *h)
{
}

int
tui_main(const char *project)
{
	struct tui	*t = &tui_state;
	char		*cause = NULL, *last = NULL;
	const char	*env;
	size_t		 i;

	memset(t, 0, sizeof *t);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "lathe: the terminal interface needs a "
		    "terminal; 'lathe help' lists the commands for scripts\n");
		return 2;
	}
	t->client = client_new(1, &cause);
	if (t->client == NULL) {
		fprintf(stderr, "lathe: %s\n", cause);
		free(cause);
		return 1;
	}
	t->data_dir = xstrdup((env = getenv("LATHE_DATA_DIR")) != NULL &&
	    *env != '\0' ? env : LATHE_DATADIR);
	t->loop = uv_default_loop();
	t->async = async_new(t->loop, t->client);
	keys_init();
	list_init(&t->sections);
	list_set_count(&t->sections, SECTION_COUNT, NULL, NULL);
	uv_timer_init(t->loop, &t->message_timer);
	t->message_timer.data = t;
	uv_timer_init(t->loop, &t->health_timer);
	t->health_timer.data = t;

	tui_load_config(t);
	tui_init_curses(t);
	/* Without any theme file, the monochrome attributes still work. */
	if (tui_set_theme(t, t->config->theme != NULL ? t->config->theme :
	    "dark") != 0)
		tui_set_theme(t, "dark");
	tui_set_mouse(t, t->config == NULL || t->config->mouse);
	tui_layout(t);

	uv_prepare_init(t->loop, &t->redraw);
	t->redraw.data = t;
	uv_prepare_start(&t->redraw, tui_on_prepare);
	uv_poll_init(t->loop, &t->stdin_poll, STDIN_FILENO);
	t->stdin_poll.data = t;
	uv_poll_start(&t->stdin_poll, UV_READABLE, tui_on_stdin);
	uv_signal_init(t->loop, &t->sigwinch);
	t->sigwinch.data = t;
	uv_signal_start(&t->sigwinch, tui_on_winch, SIGWINCH);
	uv_signal_init(t->loop, &t->sigterm);
	t->sigterm.data = t;
	uv_signal_start(&t->sigterm, tui_on_term, SIGTERM);
	uv_signal_init(t->loop, &t->sighup);
	t->sighup.data = t;
	uv_signal_start(&t->sighup, tui_on_term, SIGHUP);
	uv_timer_start(&t->health_timer, tui_on_health_timer, 0,
	    TUI_HEALTH_MS);
	uv_timer_start(&t->message_timer, tui_on_message_timer,
	    TUI_MESSAGE_MS, 0);
	uv_timer_stop(&t->message_timer);
	if (t->message != NULL)
		uv_timer_start(&t->message_timer, tui_on_message_timer,
		    TUI_MESSAGE_MS, 0);

	if (project == NULL)
		project = last = tui_last_project();
	/* The picker says "opening" until the project answers. */
	tui_pick_project(t);
	if (project != NULL)
		tui_open_project(t, project);
	free(last);

	uv_run(t->loop, UV_RUN_DEFAULT);

	/* Leave the terminal as it was. */
	tui_set_mouse(t, 0);
	endwin();
	picker_reset(t);
	files_done(t);
	experiments_done(t);
	settings_reset(t);
	jobs_done(t);
	async_free(t->async);
	uv_close((uv_handle_t *)&t->redraw, tui_on_close);
	uv_close((uv_handle_t *)&t->stdin_poll, tui_on_close);
	uv_close((uv_handle_t *)&t->sigwinch, tui_on_close);
	uv_close((uv_handle_t *)&t->sigterm, tui_on_close);
	uv_close((uv_handle_t *)&t->sighup, tui_on_close);
	uv_close((uv_handle_t *)&t->health_timer, tui_on_close);
	uv_close((uv_handle_t *)&t->message_timer, tui_on_close);
	uv_run(t->loop, UV_RUN_DEFAULT);
	uv_loop_close(t->loop);
	for (i = 0; i < t->ncompletions; i++)
		free(t->completions[i]);
	free(t->completions);
	list_done(&t->sections);
	delwin(t->top);
	delwin(t->side);
	delwin(t->main);
	delwin(t->status);
	theme_free(t->theme);
	conf_free(t->config);
	client_free(t->client);
	cJSON_Delete(t->project_json);
	free(t->project);
	free(t->project_id);
	free(t->project_path);
	free(t->message);
	free(t->core_error);
	free(t->data_dir);
	return 0;
}
