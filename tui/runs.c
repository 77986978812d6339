/*
 * The runs table's model: pages of runs in a bounded window, columns and
 * marks. Every page but the last holds page_size runs (a page that comes
 * back short becomes the last), so run i is on page i / page_size and
 * the count is known without walking the pages: a table of 100,000 runs
 * costs what the pages held cost, and a row is found in constant time.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "runs.h"
#include "xmalloc.h"

static long	runs_mark_find(const struct runs *, const char *);

static const char *const runs_fixed[] = {
	[RUNS_STATUS] = "status",
	[RUNS_NAME] = "name",
	[RUNS_START] = "start",
	[RUNS_DURATION] = "duration",
};

static const char *
runs_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double
runs_json_number(const cJSON *v)
{
	char	*end;
	double	 d;

	if (cJSON_IsNumber(v))
		return v->valuedouble;
	if (!cJSON_IsString(v))
		return NAN;
	if (strcmp(v->valuestring, "NaN") == 0)
		return NAN;
	if (strcmp(v->valuestring, "Infinity") == 0)
		return INFINITY;
	if (strcmp(v->valuestring, "-Infinity") == 0)
		return -INFINITY;
	d = strtod(v->valuestring, &end);
	return end != v->valuestring && *end == '\0' ? d : NAN;
}

static int
run_param_cmp(const void *a, const void *b)
{
	return strcmp(((const struct run_param *)a)->key,
	    ((const struct run_param *)b)->key);
}

static int
run_metric_cmp(const void *a, const void *b)
{
	return strcmp(((const struct run_metric *)a)->key,
	    ((const struct run_metric *)b)->key);
}

void
run_done(struct run *run)
{
	size_t	i;

	free(run->id);
	free(run->name);
	free(run->status);
	for (i = 0; i < run->nparams; i++) {
		free(run->params[i].key);
		free(run->params[i].value);
	}
	free(run->params);
	for (i = 0; i < run->nmetrics; i++)
		free(run->metrics[i].key);
	free(run->metrics);
	memset(run, 0, sizeof *run);
}

int
run_parse(struct run *run, const cJSON *json)
{
	const cJSON	*info = cJSON_GetObjectItemCaseSensitive(json, "info");
	const cJSON	*data = cJSON_GetObjectItemCaseSensitive(json, "data");
	const cJSON	*item, *list;
	const char	*id, *s;
	double		 d;
	size_t		 n;

	memset(run, 0, sizeof *run);
	if ((id = runs_str(info, "run_id")) == NULL &&
	    (id = runs_str(info, "run_uuid")) == NULL)
		return -1;
	run->id = xstrdup(id);
	s = runs_str(info, "run_name");
	run->name = xstrdup(s != NULL ? s : "");
	s = runs_str(info, "status");
	run->status = xstrdup(s != NULL ? s : "");
	d = runs_json_number(cJSON_GetObjectItemCaseSensitive(info,
	    "start_time"));
	run->start = isfinite(d) ? (int64_t)d : 0;
	d = runs_json_number(cJSON_GetObjectItemCaseSensitive(info,
	    "end_time"));
	run->end = isfinite(d) ? (int64_t)d : 0;

	list = cJSON_GetObjectItemCaseSensitive(data, "params");
	n = (size_t)cJSON_GetArraySize(list);
	run->params = xcalloc(n + 1, sizeof *run->params);
	cJSON_ArrayForEach(item, list) {
		const char	*k = runs_str(item, "key");
		const char	*v = runs_str(item, "value");

		if (k == NULL)
			continue;
		run->params[run->nparams].key = xstrdup(k);
		run->params[run->nparams].value = xstrdup(v != NULL ? v : "");
		run->nparams++;
	}
	qsort(run->params, run->nparams, sizeof *run->params, run_param_cmp);

	list = cJSON_GetObjectItemCaseSensitive(data, "metrics");
	n = (size_t)cJSON_GetArraySize(list);
	run->metrics = xcalloc(n + 1, sizeof *run->metrics);
	cJSON_ArrayForEach(item, list) {
		struct run_metric	*m;
		const char		*k = runs_str(item, "key");

		if (k == NULL)
			continue;
		m = &run->metrics[run->nmetrics++];
		m->key = xstrdup(k);
		m->value = runs_json_number(cJSON_GetObjectItemCaseSensitive(
		    item, "value"));
		d = runs_json_number(cJSON_GetObjectItemCaseSensitive(item,
		    "step"));
		m->step = isfinite(d) ? (int64_t)d : 0;
		d = runs_json_number(cJSON_GetObjectItemCaseSensitive(item,
		    "timestamp"));
		m->timestamp = isfinite(d) ? (int64_t)d : 0;
	}
	qsort(run->metrics, run->nmetrics, sizeof *run->metrics,
	    run_metric_cmp);
	return 0;
}

void
run_copy(struct run *dst, const struct run *src)
{
	size_t	i;

	dst->id = xstrdup(src->id);
	dst->name = xstrdup(src->name);
	dst->status = xstrdup(src->status);
	dst->start = src->start;
	dst->end = src->end;
	dst->nparams = src->nparams;
	dst->params = xcalloc(src->nparams + 1, sizeof *dst->params);
	for (i = 0; i < src->nparams; i++) {
		dst->params[i].key = xstrdup(src->params[i].key);
		dst->params[i].value = xstrdup(src->params[i].value);
	}
	dst->nmetrics = src->nmetrics;
	dst->metrics = xcalloc(src->nmetrics + 1, sizeof *dst->metrics);
	for (i = 0; i < src->nmetrics; i++) {
		dst->metrics[i] = src->metrics[i];
		dst->metrics[i].key = xstrdup(src->metrics[i].key);
	}
}

const char *
run_param(const struct run *run, const char *key)
{
	struct run_param	 k = { .key = (char *)key }, *p;

	p = bsearch(&k, run->params, run->nparams, sizeof *run->params,
	    run_param_cmp);
	return p != NULL ? p->value : NULL;
}

const struct run_metric *
run_metric(const struct run *run, const char *key)
{
	struct run_metric	k = { .key = (char *)key };

	return bsearch(&k, run->metrics, run->nmetrics, sizeof *run->metrics,
	    run_metric_cmp);
}

const char *
run_label(const struct run *run)
{
	return run->name != NULL && *run->name != '\0' ? run->name : run->id;
}

void
runs_format_number(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "NaN");
	else if (isinf(v))
		snprintf(buf, len, "%s", v > 0 ? "inf" : "-inf");
	else
		snprintf(buf, len, "%.5g", v);
}

void
runs_format_duration(int64_t ms, char *buf, size_t len)
{
	long long	s = (long long)(ms / 1000);

	if (ms < 0)
		snprintf(buf, len, "-");
	else if (ms < 1000)
		snprintf(buf, len, "%lldms", (long long)ms);
	else if (ms < 10000)
		snprintf(buf, len, "%.1fs", (double)ms / 1000.0);
	else if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

const char *
runs_col_title(const struct runs_col *c)
{
	if (c->kind == RUNS_PARAM || c->kind == RUNS_METRIC)
		return c->key;
	return runs_fixed[c->kind];
}

static enum runs_style
runs_status_style(const char *status)
{
	if (strcmp(status, "RUNNING") == 0)
		return RUNS_RUNNING;
	if (strcmp(status, "FINISHED") == 0)
		return RUNS_FINISHED;
	if (strcmp(status, "FAILED") == 0)
		return RUNS_FAILED;
	return RUNS_OTHER;
}

enum runs_style
runs_cell(const struct run *run, const struct runs_col *c, int64_t now_ms,
    char *buf, size_t len)
{
	const struct run_metric	*m;
	const char		*s;
	struct tm		 tm;
	time_t			 when;
	size_t			 i;

	switch (c->kind) {
	case RUNS_STATUS:
		for (i = 0; run->status[i] != '\0' && i + 1 < len; i++)
			buf[i] = (char)(run->status[i] >= 'A' &&
			    run->status[i] <= 'Z' ? run->status[i] + 32 :
			    run->status[i]);
		buf[i] = '\0';
		return runs_status_style(run->status);
	case RUNS_NAME:
		snprintf(buf, len, "%s", run_label(run));
		return RUNS_PLAIN;
	case RUNS_START:
		if (run->start <= 0)
			break;
		when = (time_t)(run->start / 1000);
		if (localtime_r(&when, &tm) == NULL ||
		    strftime(buf, len, "%m-%d %H:%M", &tm) == 0)
			break;
		return RUNS_PLAIN;
	case RUNS_DURATION:
		if (run->start <= 0)
			break;
		if (run->end > 0)
			runs_format_duration(run->end - run->start, buf, len);
		else if (strcmp(run->status, "RUNNING") == 0)
			runs_format_duration(now_ms - run->start, buf, len);
		else
			break;
		return RUNS_NUMBER;
	case RUNS_PARAM:
		if ((s = run_param(run, c->key)) == NULL)
			break;
		snprintf(buf, len, "%s", s);
		return RUNS_PLAIN;
	case RUNS_METRIC:
		if ((m = run_metric(run, c->key)) == NULL)
			break;
		runs_format_number(m->value, buf, len);
		return RUNS_NUMBER;
	}
	snprintf(buf, len, "-");
	return RUNS_MISSING;
}

static void
runs_add_fixed(struct runs *r)
{
	size_t	k;

	r->cols = xcalloc(RUNS_DURATION + 1, sizeof *r->cols);
	for (k = 0; k <= RUNS_DURATION; k++) {
		r->cols[k].kind = (enum runs_kind)k;
		r->cols[k].shown = 1;
		r->cols[k].width = draw_width(runs_fixed[k], -1);
	}
	r->ncols = RUNS_DURATION + 1;
}

void
runs_init(struct runs *r, size_t page_size, size_t keep)
{
	memset(r, 0, sizeof *r);
	r->page_size = page_size > 0 ? page_size : 1;
	r->keep = keep >= 2 ? keep : 2;
	runs_add_fixed(r);
}

static void
runs_page_free_rows(struct runs_page *p)
{
	size_t	i;

	if (p->rows == NULL)
		return;
	for (i = 0; i < p->n; i++)
		run_done(&p->rows[i]);
	free(p->rows);
	p->rows = NULL;
}

/* Drop pages from .. npages - 1. */
static void
runs_drop_pages(struct runs *r, size_t from)
{
	size_t	i;

	for (i = from; i < r->npages; i++) {
		runs_page_free_rows(&r->pages[i]);
		free(r->pages[i].token);
	}
	if (from < r->npages)
		r->npages = from;
}

void
runs_clear(struct runs *r)
{
	runs_drop_pages(r, 0);
	free(r->pages);
	r->pages = NULL;
	r->npages = 0;
	free(r->next_token);
	r->next_token = NULL;
}

void
runs_done(struct runs *r)
{
	size_t	i;

	runs_clear(r);
	for (i = 0; i < r->ncols; i++)
		free(r->cols[i].key);
	free(r->cols);
	runs_unmark_all(r);
	memset(r, 0, sizeof *r);
}

long
runs_col_find(const struct runs *r, enum runs_kind kind, const char *key)
{
	size_t	i;

	for (i = 0; i < r->ncols; i++) {
		if (r->cols[i].kind != kind)
			continue;
		if (key == NULL || (r->cols[i].key != NULL &&
		    strcmp(r->cols[i].key, key) == 0))
			return (long)i;
	}
	return -1;
}

/*
 * A column for a new key: before the first column of its kind whose key
 * sorts after it, else after the last of its kind, else at the end (params
 * before metrics).
 */
static void
runs_col_add(struct runs *r, enum runs_kind kind, const char *key)
{
	size_t	i, at = r->ncols;
	long	last = -1;

	if (runs_col_find(r, kind, key) >= 0)
		return;
	for (i = 0; i < r->ncols; i++) {
		if (r->cols[i].kind != kind)
			continue;
		if (strcmp(r->cols[i].key, key) > 0) {
			at = i;
			break;
		}
		last = (long)i;
	}
	if (i == r->ncols) {
		if (last >= 0)
			at = (size_t)last + 1;
		else if (kind == RUNS_PARAM && (last = runs_col_find(r,
		    RUNS_METRIC, NULL)) >= 0) {
			/* The first param goes before the first metric. */
			at = (size_t)last;
		}
	}
	r->cols = xreallocarray(r->cols, r->ncols + 1, sizeof *r->cols);
	memmove(r->cols + at + 1, r->cols + at, (r->ncols - at) *
	    sizeof *r->cols);
	r->cols[at].kind = kind;
	r->cols[at].key = xstrdup(key);
	r->cols[at].shown = 1;
	r->cols[at].width = draw_width(key, -1);
	r->ncols++;
}

/* Learn columns and widths from a page's runs. */
static void
runs_learn(struct runs *r, const struct run *rows, size_t n)
{
	struct timespec	 ts;
	int64_t		 now;
	size_t		 i, k;
	char		 buf[256];
	int		 w;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	for (i = 0; i < n; i++) {
		for (k = 0; k < rows[i].nparams; k++)
			runs_col_add(r, RUNS_PARAM, rows[i].params[k].key);
		for (k = 0; k < rows[i].nmetrics; k++)
			runs_col_add(r, RUNS_METRIC, rows[i].metrics[k].key);
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < r->ncols; k++) {
			runs_cell(&rows[i], &r->cols[k], now, buf, sizeof buf);
			if ((w = draw_width(buf, -1)) > r->cols[k].width)
				r->cols[k].width = w;
		}
	}
}

void
runs_set_page(struct runs *r, size_t page, const cJSON *answer)
{
	const cJSON	*list, *item;
	struct runs_page *p;
	struct run	*rows;
	const char	*next;
	size_t		 n = 0, i;
	long		 m;

	if (page > r->npages || (page == r->npages && page > 0 &&
	    r->next_token == NULL))
		return;
	if (page == r->npages) {
		r->pages = xreallocarray(r->pages, r->npages + 1,
		    sizeof *r->pages);
		p = &r->pages[r->npages++];
		memset(p, 0, sizeof *p);
		p->token = r->next_token;	/* NULL for the first page */
		r->next_token = NULL;
	}
	p = &r->pages[page];
	list = cJSON_GetObjectItemCaseSensitive(answer, "runs");
	rows = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *rows);
	cJSON_ArrayForEach(item, list) {
		if (n < r->page_size && run_parse(&rows[n], item) == 0)
			n++;
	}
	runs_page_free_rows(p);
	p->rows = rows;
	p->n = n;
	p->used = ++r->clock;
	next = runs_str(answer, "next_page_token");
	if (next != NULL && *next == '\0')
		next = NULL;
	if (page + 1 == r->npages || n < r->page_size || next == NULL) {
		/* The last page, or one that has become the last. */
		runs_drop_pages(r, page + 1);
		free(r->next_token);
		r->next_token = next != NULL && n == r->page_size ?
		    xstrdup(next) : NULL;
	} else {
		free(r->pages[page + 1].token);
		r->pages[page + 1].token = xstrdup(next);
	}
	/* An empty page after others adds nothing. */
	if (n == 0 && page > 0 && page + 1 == r->npages) {
		runs_drop_pages(r, page);
		free(r->next_token);
		r->next_token = NULL;
	}
	runs_learn(r, rows, n);
	/* Marked runs follow what the core says of them. */
	for (i = 0; r->nmarks > 0 && i < n; i++) {
		if ((m = runs_mark_find(r, rows[i].id)) >= 0) {
			run_done(&r->marks[m]);
			run_copy(&r->marks[m], &rows[i]);
		}
	}
}

size_t
runs_count(const struct runs *r)
{
	if (r->npages == 0)
		return 0;
	return (r->npages - 1) * r->page_size + r->pages[r->npages - 1].n;
}

int
runs_more(const struct runs *r)
{
	return r->next_token != NULL;
}

size_t
runs_page_of(const struct runs *r, size_t i)
{
	return i / r->page_size;
}

const char *
runs_token(const struct runs *r, size_t page)
{
	if (page == r->npages)
		return r->next_token;
	return page < r->npages ? r->pages[page].token : NULL;
}

int
runs_held(const struct runs *r, size_t page)
{
	return page < r->npages && r->pages[page].rows != NULL;
}

const struct run *
runs_get(struct runs *r, size_t i)
{
	size_t			 page = i / r->page_size, off;
	struct runs_page	*p;

	if (page >= r->npages)
		return NULL;
	p = &r->pages[page];
	off = i - page * r->page_size;
	if (p->rows == NULL || off >= p->n)
		return NULL;
	p->used = ++r->clock;
	return &p->rows[off];
}

void
runs_trim(struct runs *r, size_t near)
{
	size_t	i, held = 0, far, d, best;

	for (i = 0; i < r->npages; i++)
		held += r->pages[i].rows != NULL;
	while (held > r->keep) {
		far = r->npages;
		best = 0;
		for (i = 0; i < r->npages; i++) {
			if (r->pages[i].rows == NULL || i == near)
				continue;
			d = i > near ? i - near : near - i;
			if (far == r->npages || d > best) {
				far = i;
				best = d;
			}
		}
		if (far == r->npages)
			break;
		runs_page_free_rows(&r->pages[far]);
		held--;
	}
}

int
runs_running(const struct runs *r, size_t from, size_t to)
{
	size_t	p, i;

	for (p = from; p <= to && p < r->npages; p++) {
		if (r->pages[p].rows == NULL)
			continue;
		for (i = 0; i < r->pages[p].n; i++) {
			if (strcmp(r->pages[p].rows[i].status, "RUNNING") == 0)
				return 1;
		}
	}
	return 0;
}

static long
runs_mark_find(const struct runs *r, const char *id)
{
	size_t	i;

	for (i = 0; i < r->nmarks; i++) {
		if (strcmp(r->marks[i].id, id) == 0)
			return (long)i;
	}
	return -1;
}

int
runs_marked(const struct runs *r, const char *id)
{
	return runs_mark_find(r, id) >= 0;
}

void
runs_mark(struct runs *r, const struct run *run, int on)
{
	long	i = runs_mark_find(r, run->id);

	if (on && i < 0) {
		r->marks = xreallocarray(r->marks, r->nmarks + 1,
		    sizeof *r->marks);
		run_copy(&r->marks[r->nmarks++], run);
	} else if (!on && i >= 0) {
		run_done(&r->marks[i]);
		memmove(r->marks + i, r->marks + i + 1,
		    (r->nmarks - (size_t)i - 1) * sizeof *r->marks);
		r->nmarks--;
	}
}

void
runs_unmark_all(struct runs *r)
{
	size_t	i;

	for (i = 0; i < r->nmarks; i++)
		run_done(&r->marks[i]);
	free(r->marks);
	r->marks = NULL;
	r->nmarks = 0;
}

size_t
runs_shown(const struct runs *r, size_t *idx)
{
	size_t	i, n = 0;

	for (i = 0; i < r->ncols; i++) {
		if (r->cols[i].shown)
			idx[n++] = i;
	}
	return n;
}

size_t
runs_col_move(struct runs *r, size_t i, long delta)
{
	struct runs_col	c;
	size_t		to;

	if (i >= r->ncols)
		return i;
	if (delta < 0 && (size_t)-delta > i)
		to = 0;
	else if (delta > 0 && i + (size_t)delta >= r->ncols)
		to = r->ncols - 1;
	else
		to = (size_t)((long)i + delta);
	c = r->cols[i];
	if (to < i)
		memmove(r->cols + to + 1, r->cols + to, (i - to) *
		    sizeof *r->cols);
	else
		memmove(r->cols + i, r->cols + i + 1, (to - i) *
		    sizeof *r->cols);
	r->cols[to] = c;
	return to;
}

char *
runs_order_by(const struct runs_col *c, int desc)
{
	const char	*dir = desc ? "DESC" : "ASC", *s;
	char		*quoted, *q, *out;

	switch (c->kind) {
	case RUNS_STATUS:
		return xasprintf("attributes.status %s", dir);
	case RUNS_NAME:
		return xasprintf("attributes.run_name %s", dir);
	case RUNS_START:
		return xasprintf("attributes.start_time %s", dir);
	case RUNS_DURATION:
		return NULL;
	case RUNS_PARAM:
	case RUNS_METRIC:
		break;
	}
	/* A backquoted key, with a backquote inside doubled. */
	q = quoted = xmalloc(strlen(c->key) * 2 + 1);
	for (s = c->key; *s != '\0'; s++) {
		if (*s == '`')
			*q++ = '`';
		*q++ = *s;
	}
	*q = '\0';
	out = xasprintf("%s.`%s` %s", c->kind == RUNS_PARAM ? "params" :
	    "metrics", quoted, dir);
	free(quoted);
	return out;
}
