/*
 * The Experiments section: the experiments lathed tracks for MLflow, the
 * runs table of one, and the chooser of its columns.
 *
 * The runs table asks runs/search for a page at a time, the pages that
 * come into view and the one after the last row (runs.h keeps a bounded
 * window of them and the token of every page seen), so that 100,000 runs
 * scroll as fast as ten. Filter and order are the core's: a new filter or
 * order is one runs/search call whose answer replaces the table only when
 * it succeeds; a filter the core refuses leaves the table as it was and
 * shows the core's message under it. While runs in view are RUNNING and
 * the section is shown, the pages in view are asked for again every few
 * seconds; otherwise nothing is polled and nothing is drawn.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "async.h"
#include "draw.h"
#include "pane_compare.h"
#include "pane_experiments.h"
#include "runs.h"
#include "theme.h"
#include "tui.h"
#include "utf8.h"
#include "xmalloc.h"

#define EXP_API		"/api/2.0/mlflow"
#define EXP_PAGE	1000	/* experiments asked for at once */
#define EXP_PAGES_MAX	50	/* and pages of them followed */
#define RUNS_PAGE	500	/* runs a page */
#define RUNS_KEEP	6	/* pages held at once */
#define RUNS_CALLS	4	/* page calls at once */
#define POLL_MS		2500
#define MARK_W		2	/* the mark column */
#define LAYOUT_MAX	256	/* columns drawn at once */
#define ERROR_ROWS	3

/* What runs/search is asked: filter and order. */
struct query {
	char		*filter;	/* NULL: every run */
	char		*order;		/* an order_by item, NULL: the core's */
	enum runs_kind	 sort_kind;	/* the column sorted on, with order */
	char		*sort_key;
	int		 sort_desc;
};

struct page_call {
	uint64_t	 call;
	size_t		 page;
};

static struct {
	/* The experiments. */
	cJSON		*exps;		/* array, as experiments/search gave */
	cJSON		*exp_new;	/* pages of a load under way */
	struct list	 exp_list;
	uint64_t	 exp_call;
	int		 exp_pages;
	int		 exp_loaded;
	char		*exp_error;

	/* The runs table of experiment id. */
	char		*id;
	char		*name;
	int		 ready;		/* runs and rows initialised */
	struct runs	 runs;
	struct list	 rows;
	struct query	 q;		/* what the table shows */
	struct query	 want;		/* asked for, while query_call */
	uint64_t	 query_call;
	int		 loaded;	/* a query has answered */
	struct page_call calls[RUNS_CALLS];
	int		 failed;	/* a page failed: none until R */
	int		 want_bottom;	/* G: follow pages to the end */
	size_t		 prev_sel;
	char		*error;		/* the core's word on the filter */
	char		*bad_filter;	/* what was refused, to fix it */
	enum runs_kind	 cur_kind;	/* the column under the cursor */
	char		*cur_key;
	size_t		 left;		/* first scrolled column drawn */

	struct list	 col_list;	/* the column chooser */

	struct pane	*current;
	uv_timer_t	 poll;
	int		 poll_ready;
} ex;

/* Where the columns of the runs table go, made before the rows draw. */
static struct {
	size_t	 n;
	size_t	 col[LAYOUT_MAX];	/* index in ex.runs.cols */
	int	 x[LAYOUT_MAX];
	int	 w[LAYOUT_MAX];
	size_t	 cursor;		/* index in col[], or n: not drawn */
	int	 more_left, more_right;
	int64_t	 now;
} lay;

static void	runs_fetch(struct tui *, size_t page);

static const char *
exp_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static const char *
exp_answer_error(long status, cJSON *answer, const char *cause)
{
	if (status == 0)
		return cause != NULL ? cause : "no answer from the core";
	if (*exp_str(answer, "message") != '\0')
		return exp_str(answer, "message");
	return "the core refused the request";
}

static int64_t
exp_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether the section is the one shown (under the help screen or not). */
static int
exp_shown(struct tui *t)
{
	return !t->picking && t->section == SECTION_EXPERIMENTS;
}

/* The bytes of s that fit in cols columns, whole characters. */
static size_t
exp_fit(const char *s, int cols)
{
	size_t	n = strlen(s), i = 0, k;
	long	cp;
	int	used = 0, w;

	while (i < n) {
		k = (size_t)utf8_decode(s + i, n - i, &cp);
		w = draw_width(s + i, (int)k);
		if (used + w > cols)
			break;
		used += w;
		i += k;
	}
	return i;
}

/* Draw s over up to rows rows from y, cut where the width runs out. */
static int
exp_wrap(WINDOW *w, int y, int x, int width, int rows, const char *s,
    enum role role)
{
	size_t	n, k;
	int	r;

	for (r = 0; r < rows && *s != '\0' && width > 0; r++) {
		n = exp_fit(s, width);
		if (n == 0)
			break;
		/* Break at the last blank that fits, if the text goes on. */
		if (s[n] != '\0' && s[n] != ' ') {
			k = n;
			while (k > 0 && s[k - 1] != ' ')
				k--;
			if (k > 0)
				n = k;
		}
		if (r == rows - 1)
			draw_text(w, y + r, x, width, s, -1, role,
			    DRAW_ELLIPSIS);
		else
			draw_text(w, y + r, x, width, s, (int)n, role, 0);
		s += n;
		while (*s == ' ')
			s++;
	}
	return r;
}

/* --- The experiments. --- */

static int
exp_match(void *arg, size_t i, const char *needle)
{
	const cJSON	*e = cJSON_GetArrayItem(ex.exps, (int)i);

	return list_contains(exp_str(e, "name"), needle) ||
	    list_contains(exp_str(e, "experiment_id"), needle);
}

static void	exp_request(struct tui *, const char *token);

static void
exp_on_search(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	cJSON		*list, *item;
	const char	*next;
	char		*keep = NULL;
	long		 sel;
	int		 i;

	if (id != ex.exp_call)
		return;
	ex.exp_call = 0;
	free(ex.exp_error);
	ex.exp_error = NULL;
	if (status != 200) {
		ex.exp_error = xstrdup(exp_answer_error(status, answer, cause));
		tui_message(t, 1, "experiments: %s", ex.exp_error);
		cJSON_Delete(ex.exp_new);
		ex.exp_new = NULL;
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	if (ex.exp_new == NULL)
		ex.exp_new = cJSON_CreateArray();
	list = cJSON_GetObjectItemCaseSensitive(answer, "experiments");
	while ((item = cJSON_DetachItemFromArray(list, 0)) != NULL)
		cJSON_AddItemToArray(ex.exp_new, item);
	next = exp_str(answer, "next_page_token");
	if (*next != '\0' && ++ex.exp_pages < EXP_PAGES_MAX) {
		exp_request(t, next);
		return;
	}
	/* All of them: swap, keeping the selected one selected. */
	if ((sel = list_selected(&ex.exp_list)) >= 0)
		keep = xstrdup(exp_str(cJSON_GetArrayItem(ex.exps, (int)sel),
		    "experiment_id"));
	cJSON_Delete(ex.exps);
	ex.exps = ex.exp_new;
	ex.exp_new = NULL;
	ex.exp_loaded = 1;
	list_set_count(&ex.exp_list, (size_t)cJSON_GetArraySize(ex.exps),
	    exp_match, t);
	for (i = 0; keep != NULL && i < cJSON_GetArraySize(ex.exps); i++) {
		if (strcmp(exp_str(cJSON_GetArrayItem(ex.exps, i),
		    "experiment_id"), keep) == 0)
			list_select_index(&ex.exp_list, (size_t)i);
	}
	free(keep);
	tui_dirty(t, DIRTY_MAIN);
}

static void
exp_request(struct tui *t, const char *token)
{
	cJSON	*body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "max_results", EXP_PAGE);
	if (token != NULL)
		cJSON_AddStringToObject(body, "page_token", token);
	ex.exp_call = async_call(t->async, "POST", EXP_API
	    "/experiments/search", body, exp_on_search, t);
	cJSON_Delete(body);
}

static void
exp_load(struct tui *t)
{
	async_cancel(t->async, ex.exp_call);
	cJSON_Delete(ex.exp_new);
	ex.exp_new = NULL;
	ex.exp_pages = 0;
	exp_request(t, NULL);
}

static struct list *
exp_list_fn(struct tui *t)
{
	return &ex.exp_list;
}

static void
exp_format_time(const cJSON *v, char *buf, size_t len)
{
	double		ms = runs_json_number(v);
	time_t		when;
	struct tm	tm;

	buf[0] = '\0';
	if (!(ms > 0))
		return;
	when = (time_t)(ms / 1000);
	if (localtime_r(&when, &tm) != NULL)
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static void
exp_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	struct tui	*t = arg;
	const cJSON	*e = cJSON_GetArrayItem(ex.exps, (int)i);
	enum role	 role = selected ? ROLE_SELECTION : ROLE_DEFAULT;
	char		 when[32], id[40];
	int		 rw = 0;

	draw_fill(w, y, x, width, role);
	exp_format_time(cJSON_GetObjectItemCaseSensitive(e,
	    "last_update_time"), when, sizeof when);
	snprintf(id, sizeof id, "id %s", exp_str(e, "experiment_id"));
	if (width >= 60) {
		rw = 30;
		draw_text(w, y, x + width - rw, 10, id, -1, selected ? role :
		    ROLE_DIM, DRAW_ELLIPSIS);
		draw_text(w, y, x + width - rw + 11, 18, when, -1,
		    selected ? role : ROLE_DIM, 0);
	}
	draw_text(w, y, x + 1, width - rw - 2, exp_str(e, "name"), -1, role,
	    DRAW_ELLIPSIS);
	if (selected && t->focus == &pane_experiments)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
exp_draw(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	size_t	shown = list_shown(&ex.exp_list);

	if (ex.exp_list.filter != NULL)
		draw_printf(w, y, x + 1, width - 2, ROLE_TITLE, "Experiments: "
		    "%zu of %zu match '%s'", shown, ex.exp_list.count,
		    ex.exp_list.filter);
	else
		draw_printf(w, y, x + 1, width - 2, ROLE_TITLE,
		    "Experiments (%zu)", ex.exp_list.count);
	if (ex.exp_error != NULL && !ex.exp_loaded) {
		exp_wrap(w, y + 2, x + 1, width - 2, ERROR_ROWS, ex.exp_error,
		    ROLE_ERROR);
		return;
	}
	if (!ex.exp_loaded) {
		draw_text(w, y + 2, x + 1, width - 2, "loading...", -1,
		    ROLE_DIM, 0);
		return;
	}
	if (ex.exp_list.count == 0) {
		exp_wrap(w, y + 2, x + 1, width - 2, 3, "No experiments yet. "
		    "Runs logged with MLflow (MLFLOW_TRACKING_URI) or "
		    "lathe.tracking show here.", ROLE_DIM);
		return;
	}
	if (shown == 0) {
		draw_text(w, y + 2, x + 1, width - 2, "nothing matches", -1,
		    ROLE_DIM, 0);
		return;
	}
	list_draw(&ex.exp_list, w, y + 1, x, h - 1, width, exp_draw_row, t);
}

/* --- The runs table: queries and pages. --- */

static void
query_done(struct query *q)
{
	free(q->filter);
	free(q->order);
	free(q->sort_key);
	memset(q, 0, sizeof *q);
}

static void
query_copy(struct query *dst, const struct query *src)
{
	memset(dst, 0, sizeof *dst);
	if (src->filter != NULL)
		dst->filter = xstrdup(src->filter);
	if (src->order != NULL)
		dst->order = xstrdup(src->order);
	if (src->sort_key != NULL)
		dst->sort_key = xstrdup(src->sort_key);
	dst->sort_kind = src->sort_kind;
	dst->sort_desc = src->sort_desc;
}

static cJSON *
runs_body(const struct query *q, const char *token)
{
	cJSON	*body = cJSON_CreateObject(), *a;

	a = cJSON_AddArrayToObject(body, "experiment_ids");
	cJSON_AddItemToArray(a, cJSON_CreateString(ex.id));
	cJSON_AddNumberToObject(body, "max_results", RUNS_PAGE);
	if (q->filter != NULL)
		cJSON_AddStringToObject(body, "filter", q->filter);
	if (q->order != NULL) {
		a = cJSON_AddArrayToObject(body, "order_by");
		cJSON_AddItemToArray(a, cJSON_CreateString(q->order));
	}
	if (token != NULL)
		cJSON_AddStringToObject(body, "page_token", token);
	return body;
}

static void
runs_cancel_pages(struct tui *t)
{
	size_t	i;

	for (i = 0; i < RUNS_CALLS; i++) {
		if (ex.calls[i].call != 0)
			async_cancel(t->async, ex.calls[i].call);
		ex.calls[i].call = 0;
	}
}

/* The pages with rows in view: 0 when nothing is. */
static int
runs_view_pages(size_t *p0, size_t *p1)
{
	size_t	count = runs_count(&ex.runs), end;

	if (!ex.ready || count == 0 || ex.rows.height <= 0)
		return 0;
	end = ex.rows.top + (size_t)ex.rows.height;
	if (end > count)
		end = count;
	if (end <= ex.rows.top)
		return 0;
	*p0 = runs_page_of(&ex.runs, ex.rows.top);
	*p1 = runs_page_of(&ex.runs, end - 1);
	return 1;
}

/* After rows came: follow G, keep the window bounded, poll if running. */
static void
runs_after_page(struct tui *t)
{
	size_t	p0, p1;
	long	sel;

	list_set_count(&ex.rows, runs_count(&ex.runs), NULL, NULL);
	if (ex.want_bottom) {
		list_bottom(&ex.rows);
		if (!runs_more(&ex.runs))
			ex.want_bottom = 0;
	}
	sel = list_selected(&ex.rows);
	ex.prev_sel = sel >= 0 ? (size_t)sel : 0;
	runs_trim(&ex.runs, runs_page_of(&ex.runs, sel >= 0 ? (size_t)sel :
	    0));
	if (runs_view_pages(&p0, &p1) && runs_running(&ex.runs, p0, p1))
		experiments_poll(t);
	tui_dirty(t, DIRTY_MAIN);
}

static void
runs_on_query(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	const char	*msg;

	if (id != ex.query_call)
		return;
	ex.query_call = 0;
	if (status != 200) {
		msg = exp_answer_error(status, answer, cause);
		if (status == 400) {
			/* The filter (or order) is refused: say so in place. */
			free(ex.error);
			ex.error = xstrdup(msg);
			free(ex.bad_filter);
			ex.bad_filter = ex.want.filter != NULL ?
			    xstrdup(ex.want.filter) : NULL;
		} else
			tui_message(t, 1, "runs: %s", msg);
		query_done(&ex.want);
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	runs_cancel_pages(t);
	query_done(&ex.q);
	ex.q = ex.want;
	memset(&ex.want, 0, sizeof ex.want);
	free(ex.error);
	ex.error = NULL;
	free(ex.bad_filter);
	ex.bad_filter = NULL;
	runs_clear(&ex.runs);
	runs_set_page(&ex.runs, 0, answer);
	ex.loaded = 1;
	ex.failed = 0;
	ex.want_bottom = 0;
	list_set_count(&ex.rows, runs_count(&ex.runs), NULL, NULL);
	list_top(&ex.rows);
	runs_after_page(t);
}

/* Ask runs/search for want (taken over); the table changes on success. */
static void
runs_ask(struct tui *t, struct query *want)
{
	cJSON	*body;

	async_cancel(t->async, ex.query_call);
	query_done(&ex.want);
	ex.want = *want;
	memset(want, 0, sizeof *want);
	body = runs_body(&ex.want, NULL);
	ex.query_call = async_call(t->async, "POST", EXP_API "/runs/search",
	    body, runs_on_query, t);
	cJSON_Delete(body);
	tui_dirty(t, DIRTY_MAIN);
}

static void
runs_on_page(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	size_t		 i, page;

	for (i = 0; i < RUNS_CALLS; i++) {
		if (ex.calls[i].call == id && id != 0)
			break;
	}
	if (i == RUNS_CALLS)
		return;
	ex.calls[i].call = 0;
	page = ex.calls[i].page;
	if (status != 200) {
		ex.failed = 1;
		tui_message(t, 1, "runs: %s (R tries again)",
		    exp_answer_error(status, answer, cause));
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	runs_set_page(&ex.runs, page, answer);
	runs_after_page(t);
}

/* Fetch page (again, if held) unless it is on its way. */
static void
runs_fetch(struct tui *t, size_t page)
{
	const char	*token = runs_token(&ex.runs, page);
	size_t		 i, slot = RUNS_CALLS;
	cJSON		*body;

	if (ex.failed || !ex.loaded || page > ex.runs.npages ||
	    (page > 0 && token == NULL))
		return;
	for (i = 0; i < RUNS_CALLS; i++) {
		if (ex.calls[i].call != 0 && ex.calls[i].page == page)
			return;
		if (ex.calls[i].call == 0 && slot == RUNS_CALLS)
			slot = i;
	}
	if (slot == RUNS_CALLS)
		return;		/* the next draw asks again */
	body = runs_body(&ex.q, token);
	ex.calls[slot].page = page;
	ex.calls[slot].call = async_call(t->async, "POST", EXP_API
	    "/runs/search", body, runs_on_page, t);
	cJSON_Delete(body);
}

/* Fetch the pages in view that are not held, and the next one if near. */
static void
runs_ensure(struct tui *t)
{
	size_t	p0, p1, p, count = runs_count(&ex.runs);

	if (runs_view_pages(&p0, &p1)) {
		for (p = p0; p <= p1; p++) {
			if (!runs_held(&ex.runs, p))
				runs_fetch(t, p);
		}
	}
	if (ex.loaded && runs_more(&ex.runs) && ex.rows.top +
	    (size_t)(ex.rows.height > 0 ? ex.rows.height : 1) + RUNS_PAGE / 4 >=
	    count)
		runs_fetch(t, ex.runs.npages);
	/* Scrolled to runs that run: keep them fresh. */
	if (runs_view_pages(&p0, &p1) && runs_running(&ex.runs, p0, p1))
		experiments_poll(t);
}

static void
runs_reset(struct tui *t)
{
	if (t->async != NULL) {
		async_cancel(t->async, ex.query_call);
		runs_cancel_pages(t);
	}
	ex.query_call = 0;
	if (ex.ready) {
		runs_done(&ex.runs);
		list_done(&ex.rows);
		list_done(&ex.col_list);
	}
	ex.ready = 0;
	query_done(&ex.q);
	query_done(&ex.want);
	free(ex.id);
	free(ex.name);
	free(ex.error);
	free(ex.bad_filter);
	free(ex.cur_key);
	ex.id = ex.name = ex.error = ex.bad_filter = ex.cur_key = NULL;
	ex.cur_kind = RUNS_STATUS;
	ex.loaded = ex.failed = ex.want_bottom = 0;
	ex.left = ex.prev_sel = 0;
}

/* Show the runs of experiment id (named name). */
static void
runs_start(struct tui *t, const char *id, const char *name)
{
	struct query	q;

	if (ex.ready && strcmp(ex.id, id) == 0) {
		experiments_go(t, &pane_exp_runs);
		if (ex.failed || !ex.loaded) {
			memset(&q, 0, sizeof q);
			query_copy(&q, &ex.q);
			ex.failed = 0;
			runs_ask(t, &q);
		}
		return;
	}
	runs_reset(t);
	ex.id = xstrdup(id);
	ex.name = xstrdup(name);
	runs_init(&ex.runs, RUNS_PAGE, RUNS_KEEP);
	list_init(&ex.rows);
	list_init(&ex.col_list);
	ex.ready = 1;
	memset(&q, 0, sizeof q);
	runs_ask(t, &q);
	experiments_go(t, &pane_exp_runs);
}

/* --- The runs table: the column cursor and the layout. --- */

/* The shown columns into idx (room for ncols); the cursor's place in it. */
static size_t
runs_cursor(size_t *idx, size_t *ns)
{
	long	c = -1;
	size_t	i, n = runs_shown(&ex.runs, idx);

	*ns = n;
	if (n == 0)
		return 0;
	c = runs_col_find(&ex.runs, ex.cur_kind, ex.cur_kind == RUNS_PARAM ||
	    ex.cur_kind == RUNS_METRIC ? ex.cur_key : NULL);
	if (c < 0)
		c = 0;
	/* The cursor's column, or the first shown after it, or the last. */
	for (i = 0; i < n; i++) {
		if (idx[i] >= (size_t)c)
			return i;
	}
	return n - 1;
}

static void
runs_set_cursor(size_t col)
{
	const struct runs_col	*c = &ex.runs.cols[col];

	ex.cur_kind = c->kind;
	free(ex.cur_key);
	ex.cur_key = c->key != NULL ? xstrdup(c->key) : NULL;
}

static int
runs_sorted_on(const struct runs_col *c)
{
	if (ex.q.order == NULL || c->kind != ex.q.sort_kind)
		return 0;
	if (c->key == NULL)
		return 1;
	return ex.q.sort_key != NULL && strcmp(ex.q.sort_key, c->key) == 0;
}

/* How wide a column is drawn in a table avail columns wide. */
static int
runs_col_width(const struct runs_col *c, int avail)
{
	int	w = c->width, title, cap;

	title = draw_width(runs_col_title(c), -1) + (runs_sorted_on(c) ? 2 :
	    0);
	if (w < title)
		w = title;
	switch (c->kind) {
	case RUNS_NAME:
		cap = avail / 3;
		cap = cap < 8 ? 8 : cap > 40 ? 40 : cap;
		break;
	case RUNS_PARAM:
	case RUNS_METRIC:
		cap = avail / 4;
		cap = cap < 6 ? 6 : cap > 24 ? 24 : cap;
		break;
	default:
		cap = 12;
		break;
	}
	if (w > cap)
		w = cap;
	if (w > avail)
		w = avail;
	return w < 1 ? 1 : w;
}

/*
 * Lay the shown columns out from ex.left, the name column pinned on the
 * left once it has scrolled away, so that the cursor's column is in view.
 */
static void
runs_layout(int width)
{
	size_t	*idx, ns, cur, i, last_full, name_pos = (size_t)-1;
	int	 gap = width >= 100 ? 2 : 1, x, w, avail = width - MARK_W;
	int	 pinned;

	lay.n = 0;
	lay.cursor = LAYOUT_MAX;	/* not drawn, until it is */
	lay.more_left = lay.more_right = 0;
	idx = xcalloc(ex.runs.ncols + 1, sizeof *idx);
	cur = runs_cursor(idx, &ns);
	if (ns == 0 || avail <= 0)
		goto out;
	for (i = 0; i < ns; i++) {
		if (ex.runs.cols[idx[i]].kind == RUNS_NAME)
			name_pos = i;
	}
	if (ex.left >= ns)
		ex.left = ns - 1;
	if (cur < ex.left && cur != name_pos)
		ex.left = cur;
	for (;;) {
		pinned = name_pos < ex.left;
		x = MARK_W;
		if (pinned)
			x += runs_col_width(&ex.runs.cols[idx[name_pos]],
			    avail) + gap;
		last_full = ex.left;
		for (i = ex.left; i < ns; i++) {
			if (pinned && i == name_pos)
				continue;
			w = runs_col_width(&ex.runs.cols[idx[i]], avail);
			if (x + w > width)
				break;
			last_full = i;
			x += w + gap;
		}
		if (cur == name_pos || cur <= last_full || ex.left >= cur)
			break;
		ex.left++;
	}
	pinned = name_pos < ex.left;
	x = MARK_W;
	if (pinned) {
		w = runs_col_width(&ex.runs.cols[idx[name_pos]], avail);
		lay.col[lay.n] = idx[name_pos];
		lay.x[lay.n] = x;
		lay.w[lay.n] = w;
		if (cur == name_pos)
			lay.cursor = lay.n;
		lay.n++;
		x += w + gap;
	}
	lay.more_left = ex.left > 0 && !(ex.left == 1 && pinned);
	for (i = ex.left; i < ns && lay.n < LAYOUT_MAX; i++) {
		if (pinned && i == name_pos)
			continue;
		if (x >= width - 2) {
			lay.more_right = 1;
			break;
		}
		w = runs_col_width(&ex.runs.cols[idx[i]], avail);
		if (x + w > width) {
			/* Part of the last one, cut with an ellipsis. */
			w = width - x;
			lay.more_right = 1;
		}
		lay.col[lay.n] = idx[i];
		lay.x[lay.n] = x;
		lay.w[lay.n] = w;
		if (i == cur)
			lay.cursor = lay.n;
		lay.n++;
		x += w + gap;
	}
	if (i < ns)
		lay.more_right = 1;
out:
	free(idx);
}

static int
runs_right_aligned(const struct runs_col *c)
{
	return c->kind == RUNS_METRIC || c->kind == RUNS_DURATION;
}

static enum role
runs_style_role(enum runs_style s)
{
	switch (s) {
	case RUNS_MISSING:
	case RUNS_OTHER:
		return ROLE_DIM;
	case RUNS_RUNNING:
		return ROLE_WARNING;
	case RUNS_FAILED:
		return ROLE_ERROR;
	case RUNS_FINISHED:
		return ROLE_OK;
	default:
		return ROLE_DEFAULT;
	}
}

/* Text in a cell of w columns, right-aligned if asked. */
static void
runs_put(WINDOW *win, int y, int x, int w, const char *s, enum role role,
    int right)
{
	int	tw = draw_width(s, -1);

	if (right && tw < w)
		x += w - tw;
	draw_text(win, y, x, w, s, -1, role, DRAW_ELLIPSIS);
}

static void
runs_draw_header(struct tui *t, WINDOW *w, int y, int x, int width)
{
	const struct runs_col	*c;
	char			 title[300];
	size_t			 i;

	draw_fill(w, y, x, width, ROLE_DEFAULT);
	if (lay.more_left)
		draw_text(w, y, x, 1, draw_utf8 ? "\xe2\x97\x80" : "<", -1,
		    ROLE_ACCENT, 0);
	for (i = 0; i < lay.n; i++) {
		c = &ex.runs.cols[lay.col[i]];
		if (runs_sorted_on(c))
			snprintf(title, sizeof title, "%s %s",
			    runs_col_title(c), ex.q.sort_desc ? (draw_utf8 ?
			    "\xe2\x96\xbc" : "v") : (draw_utf8 ?
			    "\xe2\x96\xb2" : "^"));
		else
			snprintf(title, sizeof title, "%s", runs_col_title(c));
		runs_put(w, y, x + lay.x[i], lay.w[i], title, ROLE_TITLE,
		    runs_right_aligned(c));
		if (i == lay.cursor && t->focus == &pane_exp_runs)
			draw_highlight(w, y, x + lay.x[i], lay.w[i],
			    ROLE_SELECTION);
	}
	if (lay.more_right)
		draw_text(w, y, x + width - 1, 1, draw_utf8 ? "\xe2\x96\xb6" :
		    ">", -1, ROLE_ACCENT, 0);
}

static void
runs_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	struct tui		*t = arg;
	const struct run	*run = runs_get(&ex.runs, i);
	const struct runs_col	*c;
	enum runs_style		 style;
	enum role		 base = selected ? ROLE_SELECTION : ROLE_DEFAULT;
	char			 buf[512];
	size_t			 k;

	draw_fill(w, y, x, width, base);
	if (run == NULL) {
		draw_text(w, y, x + MARK_W, width - MARK_W, draw_utf8 ?
		    "\xe2\x80\xa6" : "...", -1, ROLE_DIM, 0);
	} else {
		if (runs_marked(&ex.runs, run->id))
			draw_text(w, y, x, 1, draw_utf8 ? "\xe2\x97\x8f" : "*",
			    -1, ROLE_ACCENT, 0);
		for (k = 0; k < lay.n; k++) {
			c = &ex.runs.cols[lay.col[k]];
			style = runs_cell(run, c, lay.now, buf, sizeof buf);
			runs_put(w, y, x + lay.x[k], lay.w[k], buf,
			    selected ? base : runs_style_role(style),
			    runs_right_aligned(c) || style == RUNS_NUMBER);
		}
	}
	if (selected && (t->focus == &pane_exp_runs || t->focus ==
	    &pane_columns))
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
runs_draw_title(struct tui *t, WINDOW *w, int y, int x, int width)
{
	size_t	count = runs_count(&ex.runs);
	int	used = 0;
	char	buf[160];

	used += draw_text(w, y, x + 1, width - 2, ex.name, -1, ROLE_TITLE,
	    DRAW_ELLIPSIS);
	if (ex.loaded) {
		snprintf(buf, sizeof buf, "  %zu%s run%s", count,
		    runs_more(&ex.runs) ? "+" : "", count == 1 &&
		    !runs_more(&ex.runs) ? "" : "s");
		used += draw_text(w, y, x + 1 + used, width - 2 - used, buf,
		    -1, ROLE_DIM, 0);
	}
	if (ex.runs.nmarks > 0) {
		snprintf(buf, sizeof buf, "  %zu selected", ex.runs.nmarks);
		used += draw_text(w, y, x + 1 + used, width - 2 - used, buf,
		    -1, ROLE_ACCENT, 0);
	}
	if (ex.q.filter != NULL) {
		used += draw_text(w, y, x + 1 + used, width - 2 - used,
		    "  where ", -1, ROLE_DIM, 0);
		used += draw_text(w, y, x + 1 + used, width - 2 - used,
		    ex.q.filter, -1, ROLE_DEFAULT, DRAW_ELLIPSIS);
	}
	if (ex.query_call != 0)
		draw_text(w, y, x + 1 + used, width - 2 - used, "  asking...",
		    -1, ROLE_DIM, 0);
}

static void
runs_draw(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	int	erows = 0, body;

	runs_draw_title(t, w, y, x, width);
	if (ex.error != NULL && h > 4)
		erows = h > 8 ? ERROR_ROWS : 1;
	body = h - 2 - erows;
	if (!ex.loaded) {
		if (ex.error == NULL)
			draw_text(w, y + 2, x + 1, width - 2, ex.query_call ?
			    "loading..." : "no answer yet (R asks again)", -1,
			    ROLE_DIM, 0);
	} else if (body > 0) {
		lay.now = exp_now_ms();
		runs_layout(width);
		runs_draw_header(t, w, y + 1, x, width);
		list_draw(&ex.rows, w, y + 2, x, body, width, runs_draw_row,
		    t);
		if (runs_count(&ex.runs) == 0)
			draw_text(w, y + 2, x + 1, width - 2, ex.q.filter !=
			    NULL ? "No runs match the filter (/ changes it, "
			    "q clears it)." : "No runs in this experiment "
			    "yet.", -1, ROLE_DIM, DRAW_ELLIPSIS);
		runs_ensure(t);
	}
	if (erows > 0)
		exp_wrap(w, y + h - erows, x + 1, width - 2, erows, ex.error,
		    ROLE_ERROR);
}

/* --- The column chooser. --- */

static int
columns_match(void *arg, size_t i, const char *needle)
{
	return list_contains(runs_col_title(&ex.runs.cols[i]), needle);
}

static struct list *
columns_list_fn(struct tui *t)
{
	return &ex.col_list;
}

static void
columns_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	const struct runs_col	*c = &ex.runs.cols[i];
	enum role		 role = selected ? ROLE_SELECTION : ROLE_DEFAULT;
	const char		*kind;

	kind = c->kind == RUNS_PARAM ? "param" : c->kind == RUNS_METRIC ?
	    "metric" : "";
	draw_fill(w, y, x, width, role);
	draw_text(w, y, x + 1, 4, c->shown ? "[x]" : "[ ]", -1, selected ?
	    role : ROLE_ACCENT, 0);
	draw_text(w, y, x + 5, width - 14, runs_col_title(c), -1, c->shown ?
	    role : ROLE_DIM, DRAW_ELLIPSIS);
	draw_text(w, y, x + width - 7, 6, kind, -1, selected ? role :
	    ROLE_DIM, 0);
	if (selected)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
columns_draw(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	int	bw = width < 46 ? width : 44, bx = x + width - bw, row;

	if (bw < 16 || h < 4)
		return;
	for (row = 0; row < h; row++)
		draw_fill(w, y + row, bx, bw, ROLE_DEFAULT);
	draw_role(w, ROLE_BORDER, 0);
	mvwvline(w, y, bx, draw_utf8 ? ACS_VLINE : '|', h);
	draw_text(w, y, bx + 2, bw - 3, "Columns (Space shows, J/K move)", -1,
	    ROLE_TITLE, DRAW_ELLIPSIS);
	list_draw(&ex.col_list, w, y + 1, bx + 1, h - 1, bw - 1,
	    columns_draw_row, t);
}

void
runs_a_columns(struct tui *t, const char *arg)
{
	size_t	*idx, ns, cur;

	if (!ex.ready)
		return;
	idx = xcalloc(ex.runs.ncols + 1, sizeof *idx);
	cur = runs_cursor(idx, &ns);
	list_set_count(&ex.col_list, ex.runs.ncols, columns_match, t);
	if (ns > 0)
		list_select_index(&ex.col_list, idx[cur]);
	free(idx);
	experiments_go(t, &pane_columns);
}

void
columns_a_back(struct tui *t, const char *arg)
{
	if (experiments_close_help(t))
		return;
	if (ex.col_list.filter != NULL) {
		list_filter(&ex.col_list, NULL, columns_match, t);
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	experiments_go(t, &pane_exp_runs);
}

static void
columns_open(struct tui *t)
{
	experiments_go(t, &pane_exp_runs);
}

void
columns_a_toggle(struct tui *t, const char *arg)
{
	long	i = list_selected(&ex.col_list);
	size_t	k, shown = 0;

	if (i < 0 || !ex.ready)
		return;
	for (k = 0; k < ex.runs.ncols; k++)
		shown += ex.runs.cols[k].shown;
	if (ex.runs.cols[i].shown && shown == 1) {
		tui_message(t, 1, "one column at least stays shown");
		return;
	}
	ex.runs.cols[i].shown = !ex.runs.cols[i].shown;
	tui_dirty(t, DIRTY_MAIN);
}

static void
columns_move(struct tui *t, long delta)
{
	long	i = list_selected(&ex.col_list);
	size_t	to;

	if (i < 0 || !ex.ready)
		return;
	to = runs_col_move(&ex.runs, (size_t)i, delta);
	list_set_count(&ex.col_list, ex.runs.ncols, columns_match, t);
	list_select_index(&ex.col_list, to);
	tui_dirty(t, DIRTY_MAIN);
}

void
columns_a_up(struct tui *t, const char *arg)
{
	columns_move(t, -1);
}

void
columns_a_down(struct tui *t, const char *arg)
{
	columns_move(t, 1);
}

void
columns_a_all(struct tui *t, const char *arg)
{
	size_t	k;

	for (k = 0; ex.ready && k < ex.runs.ncols; k++)
		ex.runs.cols[k].shown = 1;
	tui_dirty(t, DIRTY_MAIN);
}

static void
columns_click(struct tui *t, int row, int col)
{
	int	bw = t->area.w < 46 ? t->area.w : 44;
	long	i;

	if (col < t->area.w - bw) {
		experiments_go(t, &pane_exp_runs);
		return;
	}
	if ((i = list_at(&ex.col_list, row - 1)) >= 0)
		list_select_index(&ex.col_list, (size_t)i);
}

/* --- The runs table: actions. --- */

static struct list *
runs_list_fn(struct tui *t)
{
	return &ex.rows;
}

static void
runs_changed(struct tui *t)
{
	long	sel = list_selected(&ex.rows);
	size_t	count = runs_count(&ex.runs), s = sel >= 0 ? (size_t)sel : 0;

	/* A jump to the last row (G) follows the pages to the very end. */
	ex.want_bottom = count > 0 && s == count - 1 && runs_more(&ex.runs) &&
	    s > ex.prev_sel + (size_t)(ex.rows.height > 1 ? ex.rows.height :
	    1);
	ex.prev_sel = s;
	tui_dirty(t, DIRTY_MAIN);
}

static void
runs_refresh(struct tui *t)
{
	struct query	q;
	size_t		p0, p1, p;

	if (!ex.ready)
		return;
	ex.failed = 0;
	if (!ex.loaded || ex.runs.npages == 0) {
		query_copy(&q, &ex.q);
		runs_ask(t, &q);
		return;
	}
	if (runs_view_pages(&p0, &p1)) {
		for (p = p0; p <= p1; p++)
			runs_fetch(t, p);
	} else
		runs_fetch(t, 0);
}

int
experiments_close_help(struct tui *t)
{
	if (!t->help)
		return 0;
	t->help = 0;
	tui_dirty(t, DIRTY_MAIN | DIRTY_STATUS);
	return 1;
}

void
runs_a_back(struct tui *t, const char *arg)
{
	struct query	q;

	if (experiments_close_help(t))
		return;
	if (ex.error != NULL) {
		free(ex.error);
		free(ex.bad_filter);
		ex.error = ex.bad_filter = NULL;
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	if (ex.q.filter != NULL) {
		query_copy(&q, &ex.q);
		free(q.filter);
		q.filter = NULL;
		runs_ask(t, &q);
		return;
	}
	experiments_go(t, &pane_experiments);
}

static void
runs_move_column(struct tui *t, long delta)
{
	size_t	*idx, ns, cur;

	if (!ex.ready)
		return;
	idx = xcalloc(ex.runs.ncols + 1, sizeof *idx);
	cur = runs_cursor(idx, &ns);
	if (ns > 0) {
		if (delta < 0 && cur > 0)
			cur--;
		else if (delta > 0 && cur + 1 < ns)
			cur++;
		runs_set_cursor(idx[cur]);
	}
	free(idx);
	tui_dirty(t, DIRTY_MAIN);
}

void
runs_a_left(struct tui *t, const char *arg)
{
	runs_move_column(t, -1);
}

void
runs_a_right(struct tui *t, const char *arg)
{
	runs_move_column(t, 1);
}

static void
runs_sort(struct tui *t, int desc)
{
	const struct runs_col	*c;
	struct query		 q;
	size_t			*idx, ns, cur;
	char			*order;

	if (!ex.ready || !ex.loaded)
		return;
	idx = xcalloc(ex.runs.ncols + 1, sizeof *idx);
	cur = runs_cursor(idx, &ns);
	if (ns == 0) {
		free(idx);
		return;
	}
	c = &ex.runs.cols[idx[cur]];
	free(idx);
	if ((order = runs_order_by(c, desc)) == NULL) {
		tui_message(t, 1, "the core cannot sort runs by %s; sort by "
		    "start instead", runs_col_title(c));
		return;
	}
	query_copy(&q, &ex.q);
	free(q.order);
	free(q.sort_key);
	q.order = order;
	q.sort_kind = c->kind;
	q.sort_key = c->key != NULL ? xstrdup(c->key) : NULL;
	q.sort_desc = desc;
	runs_ask(t, &q);
}

void
runs_a_sort_asc(struct tui *t, const char *arg)
{
	runs_sort(t, 0);
}

void
runs_a_sort_desc(struct tui *t, const char *arg)
{
	runs_sort(t, 1);
}

static void
runs_filter_done(struct tui *t, const char *answer)
{
	struct query	q;
	size_t		n;
	const char	*s = answer;

	if (answer == NULL || !ex.ready)
		return;
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	query_copy(&q, &ex.q);
	free(q.filter);
	q.filter = n > 0 ? xstrndup(s, n) : NULL;
	runs_ask(t, &q);
}

void
runs_a_filter(struct tui *t, const char *arg)
{
	if (!ex.ready)
		return;
	if (arg != NULL) {
		runs_filter_done(t, arg);
		return;
	}
	tui_ask(t, "MLflow filter (empty: all runs): ", ex.bad_filter != NULL ?
	    ex.bad_filter : ex.q.filter, 0, runs_filter_done);
}

void
runs_a_mark(struct tui *t, const char *arg)
{
	long			 i = list_selected(&ex.rows);
	const struct run	*run;

	if (!ex.ready || i < 0 || (run = runs_get(&ex.runs, (size_t)i)) ==
	    NULL)
		return;
	runs_mark(&ex.runs, run, !runs_marked(&ex.runs, run->id));
	list_move(&ex.rows, 1);
	runs_changed(t);
}

void
runs_a_unmark(struct tui *t, const char *arg)
{
	if (!ex.ready || ex.runs.nmarks == 0)
		return;
	runs_unmark_all(&ex.runs);
	tui_message(t, 0, "no runs selected");
	tui_dirty(t, DIRTY_MAIN);
}

void
runs_a_compare(struct tui *t, const char *arg)
{
	const struct run	*run;
	const struct runs_col	*c;
	const char		*hint = NULL;
	size_t			*idx, ns, cur;
	long			 i = list_selected(&ex.rows);

	if (!ex.ready)
		return;
	idx = xcalloc(ex.runs.ncols + 1, sizeof *idx);
	cur = runs_cursor(idx, &ns);
	/* The metric under the cursor, or the one sorted on, comes first. */
	if (ns > 0 && (c = &ex.runs.cols[idx[cur]])->kind == RUNS_METRIC)
		hint = c->key;
	else if (ex.q.order != NULL && ex.q.sort_kind == RUNS_METRIC)
		hint = ex.q.sort_key;
	if (ex.runs.nmarks > 0)
		compare_open(t, ex.name, ex.runs.marks, ex.runs.nmarks, hint);
	else if (i >= 0 && (run = runs_get(&ex.runs, (size_t)i)) != NULL)
		compare_open(t, ex.name, run, 1, hint);
	else
		tui_message(t, 1, "select runs to compare (Space)");
	free(idx);
}

static void
runs_open(struct tui *t)
{
	runs_a_compare(t, NULL);
}

static void
runs_click(struct tui *t, int row, int col)
{
	size_t	k;
	long	i;

	if (row == 1) {
		for (k = 0; k < lay.n; k++) {
			if (col >= lay.x[k] && col < lay.x[k] + lay.w[k])
				runs_set_cursor(lay.col[k]);
		}
		return;
	}
	if ((i = list_at(&ex.rows, row - 2)) >= 0) {
		list_select_index(&ex.rows, (size_t)i);
		runs_changed(t);
	}
}

/* --- The section. --- */

static void
exp_open(struct tui *t)
{
	long		 i = list_selected(&ex.exp_list);
	const cJSON	*e;

	if (i < 0)
		return;
	e = cJSON_GetArrayItem(ex.exps, (int)i);
	runs_start(t, exp_str(e, "experiment_id"), exp_str(e, "name"));
}

static void
exp_reload(struct tui *t)
{
	exp_load(t);
}

static void
exp_click(struct tui *t, int row, int col)
{
	long	i = list_at(&ex.exp_list, row - 1);

	if (i < 0)
		return;
	if (list_selected(&ex.exp_list) == i)
		exp_open(t);
	else
		list_select_index(&ex.exp_list, (size_t)i);
}

static void
experiments_on_poll(uv_timer_t *h)
{
	struct tui	*t = h->data;
	size_t		 p0, p, p1;
	int		 again = 0;

	if (exp_shown(t)) {
		if ((ex.current == &pane_exp_runs || ex.current == &pane_columns) &&
		    runs_view_pages(&p0, &p1) &&
		    runs_running(&ex.runs, p0, p1)) {
			for (p = p0; p <= p1; p++)
				runs_fetch(t, p);
			again = 1;
		} else if (ex.current == &pane_compare ||
		    ex.current == &pane_pick)
			again = compare_poll(t);
	}
	if (!again)
		uv_timer_stop(h);
}

void
experiments_poll(struct tui *t)
{
	if (!ex.poll_ready) {
		uv_timer_init(t->loop, &ex.poll);
		ex.poll.data = t;
		ex.poll_ready = 1;
	}
	if (!uv_is_active((uv_handle_t *)&ex.poll))
		uv_timer_start(&ex.poll, experiments_on_poll, POLL_MS,
		    POLL_MS);
}

struct pane *
experiments_pane(void)
{
	return ex.current != NULL ? ex.current : &pane_experiments;
}

void
experiments_go(struct tui *t, struct pane *p)
{
	ex.current = p;
	tui_focus(t, p);
	if (p == &pane_exp_runs || p == &pane_compare)
		experiments_poll(t);
}

void
experiments_show(struct tui *t)
{
	if (ex.current == NULL)
		ex.current = &pane_experiments;
	/* Experiments made meanwhile show when the list comes back to view. */
	if (ex.current == &pane_experiments || !ex.exp_loaded)
		exp_load(t);
	if (ex.current == &pane_exp_runs || ex.current == &pane_columns)
		runs_refresh(t);
	else if (ex.current == &pane_compare || ex.current == &pane_pick)
		experiments_poll(t);
}

void
experiments_draw(struct tui *t, WINDOW *w, int h, int width)
{
	struct pane	*p = experiments_pane();

	if (p == &pane_experiments)
		exp_draw(t, w, 0, 0, h, width);
	else if (p == &pane_exp_runs || p == &pane_columns) {
		runs_draw(t, w, 0, 0, h, width);
		if (p == &pane_columns)
			columns_draw(t, w, 0, 0, h, width);
	} else
		compare_draw(t, w, 0, 0, h, width);
}

static void
experiments_on_close(uv_handle_t *h)
{
}

void
experiments_done(struct tui *t)
{
	compare_reset(t);
	runs_reset(t);
	if (t->async != NULL)
		async_cancel(t->async, ex.exp_call);
	ex.exp_call = 0;
	cJSON_Delete(ex.exps);
	cJSON_Delete(ex.exp_new);
	ex.exps = ex.exp_new = NULL;
	list_done(&ex.exp_list);
	free(ex.exp_error);
	ex.exp_error = NULL;
	ex.exp_loaded = 0;
	ex.current = NULL;
	if (ex.poll_ready)
		uv_close((uv_handle_t *)&ex.poll, experiments_on_close);
	ex.poll_ready = 0;
}

static void
runs_reload(struct tui *t)
{
	runs_refresh(t);
}

struct pane pane_experiments = {
	.name = "experiments",
	.scope = SCOPE_EXPERIMENTS,
	.hints = "open filter refresh",
	.list = exp_list_fn,
	.open = exp_open,
	.match = exp_match,
	.reload = exp_reload,
	.click = exp_click,
};

struct pane pane_exp_runs = {
	.name = "runs",
	.scope = SCOPE_RUNS,
	.hints = "mark compare sort-asc sort-desc runs-filter columns",
	.list = runs_list_fn,
	.open = runs_open,
	.changed = runs_changed,
	.reload = runs_reload,
	.click = runs_click,
};

struct pane pane_columns = {
	.name = "columns",
	.scope = SCOPE_COLUMNS,
	.hints = "column-toggle column-up column-down columns-back",
	.list = columns_list_fn,
	.open = columns_open,
	.match = columns_match,
	.reload = runs_reload,
	.click = columns_click,
};
