/*
 * The compare view: the runs selected in the runs table, compared in four
 * tabs. Histories come from metrics/get-history, a page after another,
 * for each run and the metric charted; each is drawn as one line in the
 * run's colour (all on shared axes, or one chart a run). While a compared
 * run is RUNNING the poll asks runs/get and the history again, so curves
 * grow as metrics arrive. Charts are rendered by chart.c in the style the
 * config asks for (chart_style), ASCII where the terminal is not UTF-8.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "async.h"
#include "chart.h"
#include "chart_draw.h"
#include "conf.h"
#include "draw.h"
#include "pane_compare.h"
#include "pane_experiments.h"
#include "runs.h"
#include "theme.h"
#include "tui.h"
#include "xmalloc.h"

#define CMP_API		"/api/2.0/mlflow"
#define HISTORY_PAGE	25000	/* points a metrics/get-history call */
#define PANEL_MIN	6	/* rows of one run's chart */

enum cmp_tab {
	TAB_HISTORY,
	TAB_SCATTER,
	TAB_BARS,
	TAB_TABLE,
	TAB_COUNT
};

static const char *const cmp_tabs[TAB_COUNT] = {
	"1 History", "2 Scatter", "3 Bars", "4 Table"
};

enum cmp_pick {
	PICK_METRIC,
	PICK_PARAM
};

/* A metric's history for one run. */
struct hist {
	char		*run_id;
	char		*key;
	double		*x, *y;		/* what is drawn */
	size_t		 n;
	double		*nx, *ny;	/* a load under way */
	size_t		 nn, ncap;
	uint64_t	 call;
	int		 done;		/* loaded once at least */
	char		*error;
};

static struct {
	int		 open;
	char		*experiment;
	struct run	*runs;
	size_t		 n;
	uint64_t	*run_calls;	/* runs/get, one a run */
	enum cmp_tab	 tab;
	char		*metric;
	char		*param;
	int		 separate;	/* one chart a run */
	int		 logy;
	int		 diffs;		/* the table: only differences */
	long		 top, left;	/* the table's scroll */
	int		 rows;		/* the table's rows last drawn */
	struct hist	*hists;
	size_t		 nhists;
	struct chart	*chart;
	int		 tab_x[TAB_COUNT], tab_w[TAB_COUNT];
	unsigned	 polls;

	/* The chooser. */
	enum cmp_pick	 picking;
	char		**choices;
	size_t		 nchoices;
	struct list	 pick;
} cp;

static const char *
cmp_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static int
cmp_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys of the params (or metrics) of the runs, sorted, each once. */
static char **
cmp_keys(int metrics, size_t *np)
{
	char	**keys = NULL;
	size_t	  n = 0, i, k, total = 0, out = 0;

	for (i = 0; i < cp.n; i++)
		total += metrics ? cp.runs[i].nmetrics : cp.runs[i].nparams;
	keys = xcalloc(total + 1, sizeof *keys);
	for (i = 0; i < cp.n; i++) {
		for (k = 0; k < (metrics ? cp.runs[i].nmetrics :
		    cp.runs[i].nparams); k++)
			keys[n++] = metrics ? cp.runs[i].metrics[k].key :
			    cp.runs[i].params[k].key;
	}
	qsort(keys, n, sizeof *keys, cmp_strcmp);
	for (i = 0; i < n; i++) {
		if (out == 0 || strcmp(keys[out - 1], keys[i]) != 0)
			keys[out++] = keys[i];
	}
	*np = out;
	return keys;
}

static void
hist_free(struct hist *h)
{
	free(h->run_id);
	free(h->key);
	free(h->x);
	free(h->y);
	free(h->nx);
	free(h->ny);
	free(h->error);
}

static void
cmp_drop_hists(struct tui *t, const char *keep_key)
{
	size_t	i, out = 0;

	for (i = 0; i < cp.nhists; i++) {
		if (keep_key != NULL && strcmp(cp.hists[i].key, keep_key) == 0) {
			cp.hists[out++] = cp.hists[i];
			continue;
		}
		if (cp.hists[i].call != 0 && t->async != NULL)
			async_cancel(t->async, cp.hists[i].call);
		hist_free(&cp.hists[i]);
	}
	cp.nhists = out;
	if (out == 0) {
		free(cp.hists);
		cp.hists = NULL;
	}
}

static void
cmp_pick_reset(void)
{
	size_t	i;

	for (i = 0; i < cp.nchoices; i++)
		free(cp.choices[i]);
	free(cp.choices);
	cp.choices = NULL;
	cp.nchoices = 0;
	list_done(&cp.pick);
}

void
compare_reset(struct tui *t)
{
	size_t	i;

	for (i = 0; i < cp.n; i++) {
		if (cp.run_calls[i] != 0 && t->async != NULL)
			async_cancel(t->async, cp.run_calls[i]);
		run_done(&cp.runs[i]);
	}
	free(cp.runs);
	free(cp.run_calls);
	cp.runs = NULL;
	cp.run_calls = NULL;
	cp.n = 0;
	cmp_drop_hists(t, NULL);
	cmp_pick_reset();
	free(cp.experiment);
	free(cp.metric);
	free(cp.param);
	cp.experiment = cp.metric = cp.param = NULL;
	chart_free(cp.chart);
	cp.chart = NULL;
	cp.open = 0;
}

/* --- Histories. --- */

static struct hist *
hist_by_call(uint64_t id)
{
	size_t	i;

	for (i = 0; i < cp.nhists; i++) {
		if (cp.hists[i].call == id && id != 0)
			return &cp.hists[i];
	}
	return NULL;
}

static struct hist *
hist_find(const char *run_id, const char *key)
{
	size_t	i;

	for (i = 0; i < cp.nhists; i++) {
		if (strcmp(cp.hists[i].run_id, run_id) == 0 &&
		    strcmp(cp.hists[i].key, key) == 0)
			return &cp.hists[i];
	}
	return NULL;
}

static void	hist_request(struct tui *, struct hist *, const char *token);

static void
hist_on_page(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	struct hist	*h = hist_by_call(id);
	const cJSON	*list, *item;
	const char	*next;
	size_t		 n;

	if (h == NULL)
		return;
	h->call = 0;
	if (status != 200) {
		free(h->error);
		h->error = xstrdup(status == 0 ? (cause != NULL ? cause :
		    "no answer") : cmp_str(answer, "message"));
		h->done = 1;
		tui_message(t, 1, "history of %s: %s", h->key, h->error);
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	list = cJSON_GetObjectItemCaseSensitive(answer, "metrics");
	n = (size_t)cJSON_GetArraySize(list);
	if (h->nn + n > h->ncap) {
		h->ncap = (h->nn + n) * 2 + 16;
		h->nx = xreallocarray(h->nx, h->ncap, sizeof *h->nx);
		h->ny = xreallocarray(h->ny, h->ncap, sizeof *h->ny);
	}
	cJSON_ArrayForEach(item, list) {
		h->nx[h->nn] = runs_json_number(
		    cJSON_GetObjectItemCaseSensitive(item, "step"));
		h->ny[h->nn] = runs_json_number(
		    cJSON_GetObjectItemCaseSensitive(item, "value"));
		h->nn++;
	}
	next = cmp_str(answer, "next_page_token");
	if (*next != '\0') {
		hist_request(t, h, next);
		return;
	}
	/* Complete: it replaces what was drawn. */
	free(h->x);
	free(h->y);
	h->x = h->nx;
	h->y = h->ny;
	h->n = h->nn;
	h->nx = h->ny = NULL;
	h->nn = h->ncap = 0;
	h->done = 1;
	free(h->error);
	h->error = NULL;
	tui_dirty(t, DIRTY_MAIN);
}

static void
hist_request(struct tui *t, struct hist *h, const char *token)
{
	char	*id = tui_escape(h->run_id), *key = tui_escape(h->key), *tok;
	char	*path;

	if (token != NULL) {
		tok = tui_escape(token);
		path = xasprintf(CMP_API "/metrics/get-history?run_id=%s&"
		    "metric_key=%s&max_results=%d&page_token=%s", id, key,
		    HISTORY_PAGE, tok);
		free(tok);
	} else
		path = xasprintf(CMP_API "/metrics/get-history?run_id=%s&"
		    "metric_key=%s&max_results=%d", id, key, HISTORY_PAGE);
	h->call = async_call(t->async, "GET", path, NULL, hist_on_page, t);
	free(path);
	free(id);
	free(key);
}

/* Load (or load again) the history of key for run; never twice at once. */
static struct hist *
hist_load(struct tui *t, const struct run *run, const char *key, int again)
{
	struct hist	*h = hist_find(run->id, key);

	if (h == NULL) {
		cp.hists = xreallocarray(cp.hists, cp.nhists + 1,
		    sizeof *cp.hists);
		h = &cp.hists[cp.nhists++];
		memset(h, 0, sizeof *h);
		h->run_id = xstrdup(run->id);
		h->key = xstrdup(key);
	} else if (h->call != 0 || (h->done && !again))
		return h;
	h->nn = 0;
	hist_request(t, h, NULL);
	return h;
}

/* --- Opening and polling. --- */

static int
cmp_has_metric(const char *key)
{
	size_t	i;

	for (i = 0; key != NULL && i < cp.n; i++) {
		if (run_metric(&cp.runs[i], key) != NULL)
			return 1;
	}
	return 0;
}

static int
cmp_has_param(const char *key)
{
	size_t	i;

	for (i = 0; key != NULL && i < cp.n; i++) {
		if (run_param(&cp.runs[i], key) != NULL)
			return 1;
	}
	return 0;
}

/* Whether the runs' values of param key differ. */
static int
cmp_param_differs(const char *key)
{
	const char	*a, *b;
	size_t		 i;

	for (i = 1; i < cp.n; i++) {
		a = run_param(&cp.runs[0], key);
		b = run_param(&cp.runs[i], key);
		if ((a == NULL) != (b == NULL) || (a != NULL &&
		    strcmp(a, b) != 0))
			return 1;
	}
	return 0;
}

/* Keep metric and param if the runs have them, else take the first. */
static void
cmp_choose_defaults(void)
{
	char	**keys;
	size_t	  n, i;

	if (!cmp_has_metric(cp.metric)) {
		free(cp.metric);
		cp.metric = NULL;
		keys = cmp_keys(1, &n);
		if (n > 0)
			cp.metric = xstrdup(keys[0]);
		free(keys);
	}
	if (!cmp_has_param(cp.param)) {
		free(cp.param);
		cp.param = NULL;
		keys = cmp_keys(0, &n);
		/* A param that tells the runs apart says most. */
		for (i = 0; i < n && cp.param == NULL; i++) {
			if (cmp_param_differs(keys[i]))
				cp.param = xstrdup(keys[i]);
		}
		if (cp.param == NULL && n > 0)
			cp.param = xstrdup(keys[0]);
		free(keys);
	}
}

static int
cmp_running(void)
{
	size_t	i;

	for (i = 0; i < cp.n; i++) {
		if (strcmp(cp.runs[i].status, "RUNNING") == 0)
			return 1;
	}
	return 0;
}

void
compare_open(struct tui *t, const char *experiment, const struct run *runs,
    size_t n, const char *metric)
{
	char	*want = metric != NULL ? xstrdup(metric) : NULL;
	char	*param = cp.param != NULL ? xstrdup(cp.param) : NULL;
	size_t	 i;

	compare_reset(t);
	cp.open = 1;
	cp.experiment = xstrdup(experiment != NULL ? experiment : "");
	cp.runs = xcalloc(n + 1, sizeof *cp.runs);
	cp.run_calls = xcalloc(n + 1, sizeof *cp.run_calls);
	for (i = 0; i < n; i++)
		run_copy(&cp.runs[i], &runs[i]);
	cp.n = n;
	cp.metric = want;
	cp.param = param;
	cp.top = cp.left = 0;
	cmp_choose_defaults();
	cp.chart = chart_new();
	list_init(&cp.pick);
	experiments_go(t, &pane_compare);
}

static void
cmp_on_run(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	struct run	 run;
	size_t		 i;
	int		 was;

	for (i = 0; i < cp.n; i++) {
		if (cp.run_calls[i] == id && id != 0)
			break;
	}
	if (i == cp.n)
		return;
	cp.run_calls[i] = 0;
	if (status != 200) {
		tui_message(t, 1, "run %s: %s", run_label(&cp.runs[i]),
		    status == 0 ? (cause != NULL ? cause : "no answer") :
		    cmp_str(answer, "message"));
		return;
	}
	if (run_parse(&run, cJSON_GetObjectItemCaseSensitive(answer,
	    "run")) != 0)
		return;
	was = strcmp(cp.runs[i].status, "RUNNING") == 0;
	run_done(&cp.runs[i]);
	cp.runs[i] = run;
	/* The last points of a run that has just ended. */
	if (was && strcmp(run.status, "RUNNING") != 0 && cp.metric != NULL)
		hist_load(t, &cp.runs[i], cp.metric, 1);
	if (cp.metric == NULL || cp.param == NULL)
		cmp_choose_defaults();
	tui_dirty(t, DIRTY_MAIN);
}

int
compare_poll(struct tui *t)
{
	struct hist	*h;
	char		*id, *path;
	size_t		 i;

	if (!cp.open)
		return 0;
	for (i = 0; i < cp.n; i++) {
		if (strcmp(cp.runs[i].status, "RUNNING") != 0)
			continue;
		if (cp.run_calls[i] == 0) {
			id = tui_escape(cp.runs[i].id);
			path = xasprintf(CMP_API "/runs/get?run_id=%s", id);
			cp.run_calls[i] = async_call(t->async, "GET", path,
			    NULL, cmp_on_run, t);
			free(path);
			free(id);
		}
		/* Long histories come again less often. */
		if (cp.tab == TAB_HISTORY && cp.metric != NULL &&
		    ((h = hist_find(cp.runs[i].id, cp.metric)) == NULL ||
		    h->n < HISTORY_PAGE / 5 || cp.polls % 4 == 0))
			hist_load(t, &cp.runs[i], cp.metric, 1);
	}
	cp.polls++;
	return cmp_running();
}

/* --- Drawing. --- */

static enum chart_mode
cmp_mode(struct tui *t)
{
	return chart_mode_pick(t->config != NULL ? t->config->chart_style :
	    CONF_CHART_AUTO, draw_utf8, getenv("TERM"));
}

static void
cmp_draw_tabs(struct tui *t, WINDOW *w, int y, int x, int width)
{
	int	k, used = 0, tw, narrow;
	char	buf[64];

	for (k = 0; k < TAB_COUNT; k++)
		used += draw_width(cmp_tabs[k], -1) + 3;
	/* Narrow: only the tab shown keeps its name. */
	narrow = used > width;
	used = 1;
	for (k = 0; k < TAB_COUNT; k++) {
		if (narrow && k != (int)cp.tab)
			snprintf(buf, sizeof buf, " %.1s ", cmp_tabs[k]);
		else
			snprintf(buf, sizeof buf, " %s ", cmp_tabs[k]);
		tw = draw_text(w, y, x + used, width - used, buf, -1,
		    k == (int)cp.tab ? ROLE_SELECTION : ROLE_DIM, 0);
		cp.tab_x[k] = used;
		cp.tab_w[k] = tw;
		if (k == (int)cp.tab)
			draw_highlight(w, y, x + used, tw, ROLE_SELECTION);
		used += tw + 1;
	}
	snprintf(buf, sizeof buf, " %zu run%s of ", cp.n, cp.n == 1 ? "" :
	    "s");
	used += draw_text(w, y, x + used, width - used, buf, -1, ROLE_DIM, 0);
	draw_text(w, y, x + used, width - used - 1, cp.experiment, -1,
	    ROLE_TITLE, DRAW_ELLIPSIS);
}

/* "label value (key)  " on the options row; the columns used. */
static int
cmp_option(WINDOW *w, int y, int x, int width, const char *label,
    const char *value, const char *key)
{
	int	used = 0;

	if (width <= 0)
		return 0;
	used += draw_text(w, y, x, width, label, -1, ROLE_DIM, 0);
	used += draw_text(w, y, x + used, width - used, value, -1,
	    ROLE_DEFAULT, DRAW_ELLIPSIS);
	if (key != NULL)
		used += draw_printf(w, y, x + used, width - used, ROLE_ACCENT,
		    " (%s)", key);
	return used + 2;
}

static int
cmp_loading(void)
{
	size_t		 i;
	struct hist	*h;

	for (i = 0; cp.metric != NULL && i < cp.n; i++) {
		h = hist_find(cp.runs[i].id, cp.metric);
		if (h == NULL || !h->done)
			return 1;
	}
	return 0;
}

static void
cmp_draw_history(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	struct chart_series	*s;
	struct chart_opts	 o;
	struct hist		*hs;
	size_t			 i, k, fit;
	int			 used = 1, ph, avail;
	double			 lo = INFINITY, hi = -INFINITY;

	used += cmp_option(w, y, x + used, width - used, "metric ",
	    cp.metric != NULL ? cp.metric : "none", "m");
	used += cmp_option(w, y, x + used, width - used, "axes ",
	    cp.separate ? "one a run" : "shared", "a");
	used += cmp_option(w, y, x + used, width - used, "y ", cp.logy ?
	    "log" : "linear", "L");
	if (cmp_loading())
		draw_text(w, y, x + used, width - used, "loading...", -1,
		    ROLE_DIM, 0);
	if (cp.metric == NULL) {
		draw_text(w, y + 2, x + 1, width - 2, "These runs have no "
		    "metrics to chart.", -1, ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	s = xcalloc(cp.n + 1, sizeof *s);
	for (i = 0; i < cp.n; i++) {
		hs = hist_load(t, &cp.runs[i], cp.metric, 0);
		s[i].name = run_label(&cp.runs[i]);
		s[i].x = hs->x;
		s[i].y = hs->y;
		s[i].n = hs->x != NULL ? hs->n : 0;
		s[i].colour = (int)i;
		for (k = 0; k < s[i].n; k++) {
			if (isfinite(hs->x[k]) && hs->x[k] < lo)
				lo = hs->x[k];
			if (isfinite(hs->x[k]) && hs->x[k] > hi)
				hi = hs->x[k];
		}
	}
	memset(&o, 0, sizeof o);
	o.mode = cmp_mode(t);
	o.yscale = cp.logy ? CHART_LOG : CHART_LINEAR;
	if (!cp.separate || cp.n == 1) {
		chart_line(cp.chart, width, h - 1, &o, s, cp.n);
		chart_draw(w, y + 1, x, cp.chart);
		goto out;
	}
	/* One chart a run, with the same steps across so they line up. */
	if (lo < hi) {
		o.flags |= CHART_XRANGE;
		o.xmin = lo;
		o.xmax = hi;
	}
	avail = h - 1;
	if (avail / (int)cp.n >= PANEL_MIN) {
		fit = cp.n;
		ph = avail / (int)cp.n;
	} else {
		/* As many as fit, and a row to say how many do not. */
		avail--;
		fit = avail / PANEL_MIN > 1 ? (size_t)(avail / PANEL_MIN) : 1;
		ph = avail / (int)fit;
	}
	for (i = 0; i < cp.n && i < fit; i++) {
		chart_line(cp.chart, width, ph, &o, &s[i], 1);
		chart_draw(w, y + 1 + (int)i * ph, x, cp.chart);
	}
	if (fit < cp.n)
		draw_printf(w, y + h - 1, x + 1, width - 2, ROLE_DIM, "%zu more "
		    "run%s below: shared axes (a) show them all", cp.n - fit,
		    cp.n - fit == 1 ? "" : "s");
out:
	free(s);
}

/* Whether s is a number, all of it. */
static int
cmp_numeric(const char *s, double *v)
{
	char	*end;

	if (*s == '\0')
		return 0;
	*v = strtod(s, &end);
	return *end == '\0' && end != s;
}

static void
cmp_draw_scatter(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	struct chart_series	 *s;
	struct chart_opts	  o;
	const struct run_metric	 *m;
	const char		**cats, *v;
	double			 *xs, *ys;
	size_t			  i, missing = 0;
	int			  used = 1, categorical = 0;

	used += cmp_option(w, y, x + used, width - used, "x param ",
	    cp.param != NULL ? cp.param : "none", "p");
	used += cmp_option(w, y, x + used, width - used, "y metric ",
	    cp.metric != NULL ? cp.metric : "none", "m");
	used += cmp_option(w, y, x + used, width - used, "y ", cp.logy ?
	    "log" : "linear", "L");
	if (cp.param == NULL || cp.metric == NULL) {
		draw_text(w, y + 2, x + 1, width - 2, cp.param == NULL ?
		    "These runs have no params to plot." : "These runs have "
		    "no metrics to plot.", -1, ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	s = xcalloc(cp.n + 1, sizeof *s);
	cats = xcalloc(cp.n + 1, sizeof *cats);
	xs = xcalloc(cp.n + 1, sizeof *xs);
	ys = xcalloc(cp.n + 1, sizeof *ys);
	for (i = 0; i < cp.n; i++) {
		v = run_param(&cp.runs[i], cp.param);
		if (v != NULL && !cmp_numeric(v, &xs[i]))
			categorical = 1;
	}
	for (i = 0; i < cp.n; i++) {
		v = run_param(&cp.runs[i], cp.param);
		m = run_metric(&cp.runs[i], cp.metric);
		s[i].colour = (int)i;
		if (v == NULL || m == NULL) {
			missing++;
			continue;
		}
		s[i].name = run_label(&cp.runs[i]);
		cats[i] = v;
		ys[i] = m->value;
		s[i].x = &xs[i];
		s[i].y = &ys[i];
		s[i].xcat = categorical ? &cats[i] : NULL;
		s[i].n = 1;
	}
	/* A series without points gives the categories nothing. */
	if (categorical) {
		for (i = 0; i < cp.n; i++) {
			if (s[i].xcat == NULL)
				s[i].xcat = &cats[i];
		}
	}
	memset(&o, 0, sizeof o);
	o.mode = cmp_mode(t);
	o.yscale = cp.logy ? CHART_LOG : CHART_LINEAR;
	chart_scatter(cp.chart, width, h - 1 - (missing > 0), &o, s, cp.n);
	chart_draw(w, y + 1, x, cp.chart);
	if (missing > 0)
		draw_printf(w, y + h - 1, x + 1, width - 2, ROLE_DIM, "%zu "
		    "run%s without %s or %s left out", missing, missing == 1 ?
		    "" : "s", cp.param, cp.metric);
	free(s);
	free(cats);
	free(xs);
	free(ys);
}

static void
cmp_draw_bars(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	struct chart_bar	*b;
	struct chart_opts	 o;
	const struct run_metric	*m;
	size_t			 i;
	int			 used = 1;

	used += cmp_option(w, y, x + used, width - used, "metric ",
	    cp.metric != NULL ? cp.metric : "none", "m");
	draw_text(w, y, x + used, width - used, "latest values", -1,
	    ROLE_DIM, 0);
	if (cp.metric == NULL) {
		draw_text(w, y + 2, x + 1, width - 2, "These runs have no "
		    "metrics.", -1, ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	b = xcalloc(cp.n + 1, sizeof *b);
	for (i = 0; i < cp.n; i++) {
		m = run_metric(&cp.runs[i], cp.metric);
		b[i].label = run_label(&cp.runs[i]);
		b[i].value = m != NULL ? m->value : NAN;
		b[i].colour = (int)i;
	}
	memset(&o, 0, sizeof o);
	o.mode = cmp_mode(t);
	chart_bars(cp.chart, width - 1, h - 2, &o, b, cp.n);
	chart_draw(w, y + 2, x + 1, cp.chart);
	free(b);
}

/* A run's value of a param (metric 0) or metric, as the table shows it. */
static const char *
cmp_value(const struct run *run, int metric, const char *key, char *buf,
    size_t len)
{
	const struct run_metric	*m;
	const char		*v;

	if (!metric)
		return (v = run_param(run, key)) != NULL ? v : "-";
	if ((m = run_metric(run, key)) == NULL)
		return "-";
	runs_format_number(m->value, buf, len);
	return buf;
}

static int
cmp_row_differs(int metric, const char *key)
{
	char		 a[64], b[64];
	const char	*first;
	size_t		 i;

	if (cp.n < 2)
		return 0;
	first = cmp_value(&cp.runs[0], metric, key, a, sizeof a);
	for (i = 1; i < cp.n; i++) {
		if (strcmp(first, cmp_value(&cp.runs[i], metric, key, b,
		    sizeof b)) != 0)
			return 1;
	}
	return 0;
}

static void
cmp_draw_table(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	char		**keys[2], buf[64];
	size_t		  nkeys[2], g, i, k, row = 0, r;
	int		  kw = 8, cw, ncols, used = 1, yy, differs;
	const char	 *v;

	used += cmp_option(w, y, x + used, width - used, "only differences ",
	    cp.diffs ? "on" : "off", "d");
	keys[0] = cmp_keys(0, &nkeys[0]);
	keys[1] = cmp_keys(1, &nkeys[1]);
	for (g = 0; g < 2; g++) {
		for (i = 0; i < nkeys[g]; i++) {
			if (draw_width(keys[g][i], -1) + 2 > kw)
				kw = draw_width(keys[g][i], -1) + 2;
		}
	}
	if (kw > width / 3)
		kw = width / 3;
	if (kw < 6)
		kw = 6;
	cw = cp.n > 0 ? (width - kw - 1) / (int)cp.n : 10;
	cw = cw < 10 ? 10 : cw > 24 ? 24 : cw;
	ncols = (width - kw - 1) / (cw + 1);
	if (ncols < 1)
		ncols = 1;
	if (cp.left > (long)cp.n - ncols)
		cp.left = (long)cp.n - ncols;
	if (cp.left < 0)
		cp.left = 0;
	/* The header: run names in their colours. */
	yy = y + 1;
	if (cp.left > 0)
		draw_text(w, yy, x, 1, "<", -1, ROLE_ACCENT, 0);
	for (k = (size_t)cp.left; k < cp.n && (long)k < cp.left + ncols; k++)
		draw_text(w, yy, x + kw + 1 + (int)(k - (size_t)cp.left) *
		    (cw + 1), cw, run_label(&cp.runs[k]), -1,
		    chart_draw_role((int)k), DRAW_ELLIPSIS);
	if ((long)cp.n > cp.left + ncols)
		draw_text(w, yy, x + width - 1, 1, ">", -1, ROLE_ACCENT, 0);
	yy++;
	cp.rows = 0;
	for (g = 0; g < 2; g++) {
		for (i = 0; i <= nkeys[g]; i++) {
			if (i > 0 && cp.diffs && !cmp_row_differs((int)g,
			    keys[g][i - 1]))
				continue;
			r = row++;
			cp.rows++;
			if ((long)r < cp.top || yy >= y + h)
				continue;
			if (i == 0) {
				draw_text(w, yy++, x + 1, width - 2, g == 0 ?
				    "Params" : "Metrics", -1, ROLE_TITLE, 0);
				continue;
			}
			differs = cmp_row_differs((int)g, keys[g][i - 1]);
			draw_text(w, yy, x + 2, kw - 2, keys[g][i - 1], -1,
			    differs ? ROLE_ACCENT : ROLE_DEFAULT,
			    DRAW_ELLIPSIS);
			for (k = (size_t)cp.left; k < cp.n && (long)k <
			    cp.left + ncols; k++) {
				v = cmp_value(&cp.runs[k], (int)g,
				    keys[g][i - 1], buf, sizeof buf);
				draw_text(w, yy, x + kw + 1 +
				    (int)(k - (size_t)cp.left) * (cw + 1), cw,
				    v, -1, strcmp(v, "-") == 0 ? ROLE_DIM :
				    ROLE_DEFAULT, DRAW_ELLIPSIS);
			}
			yy++;
		}
	}
	if (cp.top > 0 && cp.top >= (long)row)
		cp.top = row > 0 ? (long)row - 1 : 0;
	if (cp.diffs && cp.n < 2 && h > 4)
		draw_text(w, y + 3, x + 1, width - 2, "One run: nothing "
		    "differs.", -1, ROLE_DIM, 0);
	free(keys[0]);
	free(keys[1]);
}

static void
pick_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	enum role	role = selected ? ROLE_SELECTION : ROLE_DEFAULT;

	draw_fill(w, y, x, width, role);
	draw_text(w, y, x + 1, width - 2, cp.choices[i], -1, role,
	    DRAW_ELLIPSIS);
	if (selected)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
pick_draw(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	int	bw = width < 40 ? width : 36, bx = x + width - bw, row;

	if (bw < 12 || h < 4)
		return;
	for (row = 0; row < h; row++)
		draw_fill(w, y + row, bx, bw, ROLE_DEFAULT);
	draw_role(w, ROLE_BORDER, 0);
	mvwvline(w, y, bx, draw_utf8 ? ACS_VLINE : '|', h);
	draw_text(w, y, bx + 2, bw - 3, cp.picking == PICK_METRIC ?
	    "Metric (Enter picks)" : "Param (Enter picks)", -1, ROLE_TITLE,
	    DRAW_ELLIPSIS);
	list_draw(&cp.pick, w, y + 1, bx + 1, h - 1, bw - 1, pick_draw_row,
	    t);
}

void
compare_draw(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	if (!cp.open)
		return;
	cmp_draw_tabs(t, w, y, x, width);
	if (h < 3)
		return;
	switch (cp.tab) {
	case TAB_HISTORY:
		cmp_draw_history(t, w, y + 1, x, h - 1, width);
		break;
	case TAB_SCATTER:
		cmp_draw_scatter(t, w, y + 1, x, h - 1, width);
		break;
	case TAB_BARS:
		cmp_draw_bars(t, w, y + 1, x, h - 1, width);
		break;
	default:
		cmp_draw_table(t, w, y + 1, x, h - 1, width);
		break;
	}
	if (t->focus == &pane_pick)
		pick_draw(t, w, y + 1, x, h - 1, width);
}

/* --- Actions. --- */

static void
cmp_tab(struct tui *t, enum cmp_tab tab)
{
	if (!cp.open)
		return;
	cp.tab = tab;
	if (t->focus == &pane_pick)
		experiments_go(t, &pane_compare);
	if (tab == TAB_HISTORY)
		experiments_poll(t);
	tui_dirty(t, DIRTY_MAIN);
}

void
compare_a_back(struct tui *t, const char *arg)
{
	if (experiments_close_help(t))
		return;
	experiments_go(t, &pane_exp_runs);
}

void
compare_a_history(struct tui *t, const char *arg)
{
	cmp_tab(t, TAB_HISTORY);
}

void
compare_a_scatter(struct tui *t, const char *arg)
{
	cmp_tab(t, TAB_SCATTER);
}

void
compare_a_bars(struct tui *t, const char *arg)
{
	cmp_tab(t, TAB_BARS);
}

void
compare_a_table(struct tui *t, const char *arg)
{
	cmp_tab(t, TAB_TABLE);
}

void
compare_a_next(struct tui *t, const char *arg)
{
	cmp_tab(t, (enum cmp_tab)((cp.tab + 1) % TAB_COUNT));
}

void
compare_a_prev(struct tui *t, const char *arg)
{
	cmp_tab(t, (enum cmp_tab)((cp.tab + TAB_COUNT - 1) % TAB_COUNT));
}

static void
cmp_set(struct tui *t, enum cmp_pick what, const char *value)
{
	char	**slot = what == PICK_METRIC ? &cp.metric : &cp.param;

	free(*slot);
	*slot = xstrdup(value);
	if (what == PICK_METRIC)
		cmp_drop_hists(t, value);
	tui_dirty(t, DIRTY_MAIN);
}

static int
pick_match(void *arg, size_t i, const char *needle)
{
	return list_contains(cp.choices[i], needle);
}

static void
cmp_pick(struct tui *t, enum cmp_pick what, const char *arg)
{
	const char	*current = what == PICK_METRIC ? cp.metric : cp.param;
	char		**keys;
	size_t		  n, i;

	if (!cp.open)
		return;
	keys = cmp_keys(what == PICK_METRIC, &n);
	if (arg != NULL) {
		for (i = 0; i < n && strcmp(keys[i], arg) != 0; i++)
			;
		if (i == n)
			tui_message(t, 1, "the runs have no %s '%s'", what ==
			    PICK_METRIC ? "metric" : "param", arg);
		else
			cmp_set(t, what, arg);
		free(keys);
		return;
	}
	if (n == 0) {
		tui_message(t, 1, "the runs have no %s", what == PICK_METRIC ?
		    "metrics" : "params");
		free(keys);
		return;
	}
	cmp_pick_reset();
	cp.picking = what;
	cp.choices = xcalloc(n + 1, sizeof *cp.choices);
	for (i = 0; i < n; i++)
		cp.choices[i] = xstrdup(keys[i]);
	cp.nchoices = n;
	free(keys);
	list_init(&cp.pick);
	list_set_count(&cp.pick, n, pick_match, t);
	for (i = 0; current != NULL && i < n; i++) {
		if (strcmp(cp.choices[i], current) == 0)
			list_select_index(&cp.pick, i);
	}
	experiments_go(t, &pane_pick);
}

void
compare_a_metric(struct tui *t, const char *arg)
{
	cmp_pick(t, PICK_METRIC, arg);
}

void
compare_a_param(struct tui *t, const char *arg)
{
	cmp_pick(t, PICK_PARAM, arg);
}

void
compare_a_axes(struct tui *t, const char *arg)
{
	cp.separate = !cp.separate;
	tui_dirty(t, DIRTY_MAIN);
}

void
compare_a_log(struct tui *t, const char *arg)
{
	cp.logy = !cp.logy;
	tui_dirty(t, DIRTY_MAIN);
}

void
compare_a_diffs(struct tui *t, const char *arg)
{
	cp.diffs = !cp.diffs;
	cp.top = 0;
	if (cp.tab != TAB_TABLE)
		cmp_tab(t, TAB_TABLE);
	tui_message(t, 0, "%s", cp.diffs ? "only the params and metrics "
	    "that differ" : "every param and metric");
	tui_dirty(t, DIRTY_MAIN);
}

void
compare_a_left(struct tui *t, const char *arg)
{
	if (cp.left > 0)
		cp.left--;
	tui_dirty(t, DIRTY_MAIN);
}

void
compare_a_right(struct tui *t, const char *arg)
{
	if (cp.left + 1 < (long)cp.n)
		cp.left++;
	tui_dirty(t, DIRTY_MAIN);
}

void
pick_a_back(struct tui *t, const char *arg)
{
	if (experiments_close_help(t))
		return;
	if (cp.pick.filter != NULL) {
		list_filter(&cp.pick, NULL, pick_match, t);
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	experiments_go(t, &pane_compare);
}

static void
pick_open(struct tui *t)
{
	long	i = list_selected(&cp.pick);

	if (i >= 0)
		cmp_set(t, cp.picking, cp.choices[i]);
	experiments_go(t, &pane_compare);
}

static struct list *
pick_list(struct tui *t)
{
	return &cp.pick;
}

static void
pick_click(struct tui *t, int row, int col)
{
	int	bw = t->area.w < 40 ? t->area.w : 36;
	long	i;

	if (col < t->area.w - bw) {
		experiments_go(t, &pane_compare);
		return;
	}
	if ((i = list_at(&cp.pick, row - 2)) < 0)
		return;
	if (list_selected(&cp.pick) == i)
		pick_open(t);
	else
		list_select_index(&cp.pick, (size_t)i);
}

static void
compare_scroll(struct tui *t, long delta)
{
	if (cp.tab != TAB_TABLE)
		return;
	cp.top += delta;
	if (cp.top > (long)cp.rows - 1)
		cp.top = cp.rows > 0 ? cp.rows - 1 : 0;
	if (cp.top < 0)
		cp.top = 0;
	tui_dirty(t, DIRTY_MAIN);
}

static void
compare_click(struct tui *t, int row, int col)
{
	int	k;

	if (row != 0)
		return;
	for (k = 0; k < TAB_COUNT; k++) {
		if (col >= cp.tab_x[k] && col < cp.tab_x[k] + cp.tab_w[k])
			cmp_tab(t, (enum cmp_tab)k);
	}
}

static void
compare_reload(struct tui *t)
{
	size_t	i;

	cmp_drop_hists(t, NULL);
	for (i = 0; i < cp.n; i++) {
		if (cp.run_calls[i] == 0) {
			char	*id = tui_escape(cp.runs[i].id);
			char	*path = xasprintf(CMP_API "/runs/get?run_id=%s",
				    id);

			cp.run_calls[i] = async_call(t->async, "GET", path,
			    NULL, cmp_on_run, t);
			free(path);
			free(id);
		}
	}
	tui_dirty(t, DIRTY_MAIN);
}

struct pane pane_compare = {
	.name = "compare",
	.scope = SCOPE_COMPARE,
	.hints = "compare-next pick-metric pick-param axes log-scale only-diffs",
	.scroll_by = compare_scroll,
	.reload = compare_reload,
	.click = compare_click,
};

struct pane pane_pick = {
	.name = "pick",
	.scope = SCOPE_PICK,
	.hints = "open filter pick-back",
	.list = pick_list,
	.open = pick_open,
	.match = pick_match,
	.click = pick_click,
};
