/*
 * The runs of one experiment as the runs table shows them: runs/search
 * answers kept a page at a time in a bounded window, with the page token
 * of every page seen so that any of them can be fetched again; the
 * columns (status, name, start, duration, then one a param and one a
 * metric seen) in the user's order, shown or hidden; the runs marked for
 * comparison; and the text of each cell. Nothing here draws or calls the
 * core: the pane fetches pages and hands the answers over.
 *
 *	struct runs	r;
 *
 *	runs_init(&r, 500, 6);
 *	runs_set_page(&r, 0, answer);		(runs/search's answer)
 *	for (i = top; i < top + rows && i < runs_count(&r); i++)
 *		if ((run = runs_get(&r, i)) == NULL)
 *			fetch page runs_page_of(&r, i) with runs_token(...)
 *	runs_trim(&r, runs_page_of(&r, top));
 *	runs_done(&r);
 */
#ifndef LATHE_RUNS_H
#define LATHE_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct run_param {
	char	*key;
	char	*value;
};

/* A metric's latest value, as runs/search gives it. */
struct run_metric {
	char	*key;
	double	 value;		/* NaN and infinities as they were logged */
	int64_t	 step;
	int64_t	 timestamp;
};

struct run {
	char			*id;
	char			*name;		/* "" when it has none */
	char			*status;	/* RUNNING, FINISHED ... */
	int64_t			 start;		/* ms since the epoch, 0: unknown */
	int64_t			 end;		/* 0 while it runs */
	struct run_param	*params;	/* sorted by key */
	size_t			 nparams;
	struct run_metric	*metrics;	/* sorted by key */
	size_t			 nmetrics;
};

enum runs_kind {
	RUNS_STATUS,
	RUNS_NAME,
	RUNS_START,
	RUNS_DURATION,
	RUNS_PARAM,
	RUNS_METRIC
};

struct runs_col {
	enum runs_kind	 kind;
	char		*key;		/* params and metrics, else NULL */
	int		 shown;
	int		 width;		/* widest cell seen, title included */
};

/* How a cell wants to be drawn. */
enum runs_style {
	RUNS_PLAIN,
	RUNS_NUMBER,		/* right-aligned */
	RUNS_MISSING,		/* the run has no such value: "-" */
	RUNS_RUNNING,
	RUNS_FAILED,
	RUNS_FINISHED,
	RUNS_OTHER		/* killed, scheduled */
};

struct runs_page {
	char		*token;		/* fetches it; NULL for the first */
	struct run	*rows;		/* NULL while not held */
	size_t		 n;		/* runs on it, known once seen */
	uint64_t	 used;		/* when it was last looked at */
};

struct runs {
	size_t			 page_size;
	size_t			 keep;		/* pages held at most */
	struct runs_page	*pages;
	size_t			 npages;
	char			*next_token;	/* after the last page, or NULL */
	uint64_t		 clock;
	struct runs_col		*cols;		/* in the order shown */
	size_t			 ncols;
	struct run		*marks;		/* copies, in the order marked */
	size_t			 nmarks;
};

/*
 * Start with no pages, the four fixed columns and no marks. page_size is
 * the max_results the pane asks for (>= 1); keep the pages held at once
 * (>= 2, so that the page in view and the next one fit).
 */
void		 runs_init(struct runs *, size_t page_size, size_t keep);
/* Free everything. */
void		 runs_done(struct runs *);
/* Forget the pages and tokens (a new filter or order); keep the rest. */
void		 runs_clear(struct runs *);

/*
 * Take runs/search's answer for page (0 .. npages: npages adds a page
 * after the last, which needs runs_more). The runs replace what the page
 * held; new params and metrics become columns (among those of their kind,
 * in key order); widths grow to fit. The answer's next_page_token is kept
 * when page is the last; a page before the last that comes back short
 * (runs were deleted meanwhile) becomes the last. A page out of range is
 * ignored. answer is not kept.
 */
void		 runs_set_page(struct runs *, size_t page, const cJSON *answer);
/* Runs known: every page seen, held or not. */
size_t		 runs_count(const struct runs *);
/* Whether runs follow the last page seen. */
int		 runs_more(const struct runs *);
/* The page run i is on. */
size_t		 runs_page_of(const struct runs *, size_t i);
/* The token that fetches page (npages: the next one; NULL: the first). */
const char	*runs_token(const struct runs *, size_t page);
/* Whether page is held. */
int		 runs_held(const struct runs *, size_t page);
/* Run i, or NULL when its page is not held (or i is out of range). */
const struct run *runs_get(struct runs *, size_t i);
/*
 * Let go of held pages beyond keep, those farthest from page near first;
 * their tokens and counts stay.
 */
void		 runs_trim(struct runs *, size_t near);
/* Whether a held run on pages from .. to (inclusive) is RUNNING. */
int		 runs_running(const struct runs *, size_t from, size_t to);

/*
 * Whether run id is marked. runs_mark marks run (keeping a copy, which
 * pages that bring the run again refresh) or unmarks it.
 */
int		 runs_marked(const struct runs *, const char *id);
void		 runs_mark(struct runs *, const struct run *, int on);
void		 runs_unmark_all(struct runs *);

/* The title of a column: "status", "name", "start", "duration" or key. */
const char	*runs_col_title(const struct runs_col *);
/*
 * Write the indices of the shown columns, in order, to idx (room for
 * ncols) and return how many there are.
 */
size_t		 runs_shown(const struct runs *, size_t *idx);
/* Find the column of kind and key (NULL for fixed kinds); -1 if none. */
long		 runs_col_find(const struct runs *, enum runs_kind,
		    const char *key);
/* Move column i by delta places (clamped); return where it went. */
size_t		 runs_col_move(struct runs *, size_t i, long delta);
/*
 * MLflow's order_by item for a column, e.g. "metrics.`acc` DESC"; a new
 * string, or NULL for duration, which runs/search cannot order by.
 */
char		*runs_order_by(const struct runs_col *, int desc);

/*
 * The text of a cell into buf (len bytes) and how it is drawn; now_ms
 * gives running runs their duration so far.
 */
enum runs_style	 runs_cell(const struct run *, const struct runs_col *,
		    int64_t now_ms, char *buf, size_t len);

/* Parse one run of runs/search or runs/get into run; 0, or -1 if no id. */
int		 run_parse(struct run *, const cJSON *json);
void		 run_copy(struct run *dst, const struct run *src);
void		 run_done(struct run *);
/* A param's value, or NULL. */
const char	*run_param(const struct run *, const char *key);
/* A metric's latest value, or NULL. */
const struct run_metric *run_metric(const struct run *, const char *key);
/* The name to show: run_name, or the start of the id. */
const char	*run_label(const struct run *);

/* A number as the table shows it: 5 significant digits, NaN, inf. */
void		 runs_format_number(double, char *buf, size_t len);
/* A duration in ms: 850ms, 42s, 3m05s, 2h07m, 3d04h. */
void		 runs_format_duration(int64_t ms, char *buf, size_t len);
/* A JSON number, or a string holding one ("NaN", "Infinity", "12"). */
double		 runs_json_number(const cJSON *);

#endif
