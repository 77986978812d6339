/*
 * The Jobs section: the project's jobs with their schedules and how their
 * last runs went, the runs of the selected job, the selected run's log
 * (live while it runs), and the jobs that follow others drawn as a tree.
 *
 * Everything comes from the core by polling, only while the section is
 * shown: a tick every half second fetches what a running run wrote, and
 * the jobs and runs are reloaded every second while anything is active,
 * every five seconds otherwise. An answer that is the same as the last
 * one changes nothing, so that a screen with nothing running stays still
 * and writes nothing. Logs are read from their tail in bounded memory
 * (logview.c) and then from where the last read ended.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "async.h"
#include "draw.h"
#include "logview.h"
#include "size.h"
#include "theme.h"
#include "tui.h"
#include "xmalloc.h"

#define JOBS_TICK_MS	500
#define JOBS_ACTIVE	2		/* ticks between reloads: 1 s */
#define JOBS_IDLE	10		/* 5 s */
#define LOG_TAIL	(512 * 1024)	/* read first, from the end */
#define LOG_CHUNK	(1024 * 1024)	/* read at once after that */
#define LOG_KEEP_BYTES	(8 * 1024 * 1024)
#define LOG_KEEP_LINES	100000
#define TREE_DEPTH_MAX	64

/* One row of the pipeline view: a job, and the tree drawn before it. */
struct tree_row {
	int	 job;		/* index into jb.jobs */
	char	*prefix;	/* box-drawing characters */
};

/* Where the three panes are in the main area; h 0 when not shown. */
struct layout {
	struct area	jobs, runs, log;
};

static struct {
	cJSON		*jobs;		/* array, as the core last sent it */
	cJSON		*pages;		/* the pages of a reload so far */
	char		*jobs_text;	/* jobs printed, to see a change */
	struct list	 list;
	uint64_t	 jobs_call;
	int		 loaded;
	char		*error;
	char		*job_id;	/* the selected job */
	char		*select_id;	/* to select when the jobs come */

	cJSON		*runs;		/* of job runs_job, newest first */
	char		*runs_text;
	char		*runs_job;
	struct list	 runs_list;
	uint64_t	 runs_call;
	int		 runs_loaded;
	int		 runs_auto;	/* keep the newest run selected */
	char		*run_id;	/* the selected run */

	struct logview	*log;
	char		*log_run;	/* the run the log is of */
	uint64_t	 log_call;
	uint64_t	 log_offset;	/* where the next read starts */
	uint64_t	 log_start;	/* bytes before the first read */
	int		 log_read;	/* a read has come */
	int		 log_active;	/* the run may write more */
	char		 log_status[64];
	char		*log_error;

	struct tree_row	*rows;
	size_t		 nrows;
	struct list	 tree;

	uint64_t	 act_call;
	const char	*act;		/* what act_call does, for its message */
	char		*deleting;	/* the job a deletion waits for */

	uv_timer_t	 timer;
	int		 timer_ready;
	int		 ticking;
	unsigned	 ticks;
} jb;

static void	jobs_load(struct tui *);
static void	runs_load(struct tui *);
static void	log_open(struct tui *, const char *run);
static void	log_fetch(struct tui *);

static const char *
jobs_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItem(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static double
jobs_num(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItem(o, name);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* The core's message for a failed call. */
static char *
jobs_error(long status, const cJSON *answer, const char *cause)
{
	if (status == 0)
		return xstrdup(cause != NULL ? cause : "no answer");
	return client_error_message(status, answer);
}

static void
jobs_set(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? xstrdup(value) : NULL;
}

static const cJSON *
jobs_job(size_t i)
{
	return cJSON_GetArrayItem(jb.jobs, (int)i);
}

static const cJSON *
jobs_run_at(size_t i)
{
	return cJSON_GetArrayItem(jb.runs, (int)i);
}

const cJSON *
jobs_all(void)
{
	return jb.jobs;
}

/* The selected job, or NULL. */
static const cJSON *
jobs_selected(void)
{
	long	i = list_selected(&jb.list);

	return i < 0 ? NULL : jobs_job((size_t)i);
}

/* The selected run, or NULL. */
static const cJSON *
runs_selected(void)
{
	long	i = list_selected(&jb.runs_list);

	return i < 0 || !jb.runs_loaded ? NULL : jobs_run_at((size_t)i);
}

/* "/api/v1/projects/P/NOUN/ID" and rest, escaped. */
static char *
jobs_path(struct tui *t, const char *noun, const char *id, const char *rest)
{
	char	*eproj = tui_escape(t->project_id), *eid, *path;

	eid = tui_escape(id != NULL ? id : "");
	path = xasprintf("/api/v1/projects/%s/%s/%s%s", eproj, noun, eid,
	    rest);
	free(eproj);
	free(eid);
	return path;
}

static int
jobs_active_run(const cJSON *run)
{
	return cJSON_IsTrue(cJSON_GetObjectItem(run, "active"));
}

/* Whether anything shown may change soon. */
static int
jobs_anything_active(void)
{
	const cJSON	*j, *r;

	cJSON_ArrayForEach(j, jb.jobs) {
		if (jobs_active_run(cJSON_GetObjectItem(j, "last_run")))
			return 1;
	}
	cJSON_ArrayForEach(r, jb.runs) {
		if (jobs_active_run(r))
			return 1;
	}
	return jb.log_active;
}

/* --- What is shown: symbols, times, durations. --- */

static const char *
jobs_glyph(const char *status, enum role *role)
{
	static const struct {
		const char	*status;
		const char	*utf8;
		const char	*ascii;
		enum role	 role;
	} glyphs[] = {
		{ "succeeded", "\xe2\x9c\x93", "+", ROLE_OK },
		{ "failed", "\xe2\x9c\x97", "x", ROLE_ERROR },
		{ "timed_out", "\xe2\x8f\xb1", "T", ROLE_WARNING },
		{ "stopped", "\xe2\x96\xa0", "#", ROLE_DIM },
		{ "lost", "?", "?", ROLE_WARNING },
		{ "running", "\xe2\x96\xb6", ">", ROLE_ACCENT },
		{ "starting", "\xe2\x96\xb6", ">", ROLE_ACCENT },
		{ "queued", "\xe2\x80\xa6", ".", ROLE_DIM },
	};
	size_t	i;

	for (i = 0; i < sizeof glyphs / sizeof glyphs[0]; i++) {
		if (strcmp(glyphs[i].status, status) == 0) {
			*role = glyphs[i].role;
			return draw_utf8 ? glyphs[i].utf8 : glyphs[i].ascii;
		}
	}
	*role = ROLE_DIM;
	return draw_utf8 ? "\xc2\xb7" : "-";
}

/* "timed_out" as "timed out". */
static void
jobs_status_word(const char *status, char *buf, size_t len)
{
	size_t	i;

	snprintf(buf, len, "%s", status);
	for (i = 0; buf[i] != '\0'; i++) {
		if (buf[i] == '_')
			buf[i] = ' ';
	}
}

/* A time in the local zone: the time alone today, else the date too. */
static void
jobs_time(double ms, char *buf, size_t len)
{
	time_t		when = (time_t)(ms / 1000), now = time(NULL);
	struct tm	tw, tn;

	buf[0] = '\0';
	if (ms <= 0)
		return;
	localtime_r(&when, &tw);
	localtime_r(&now, &tn);
	if (tw.tm_year == tn.tm_year && tw.tm_yday == tn.tm_yday)
		strftime(buf, len, "%H:%M:%S", &tw);
	else
		strftime(buf, len, "%m-%d %H:%M", &tw);
}

static void
jobs_duration(double ms, char *buf, size_t len)
{
	long long	s = (long long)(ms / 1000);

	if (ms < 0)
		ms = 0;
	if (ms < 1000)
		snprintf(buf, len, "%lldms", (long long)ms);
	else if (s < 60)
		snprintf(buf, len, "%llds", s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

/* How long a run took, or has taken so far. */
static void
runs_duration(const cJSON *run, char *buf, size_t len)
{
	const cJSON	*d = cJSON_GetObjectItem(run, "duration_ms");
	double		 started = jobs_num(run, "started_ms");

	buf[0] = '\0';
	if (cJSON_IsNumber(d))
		jobs_duration(d->valuedouble, buf, len);
	else if (started > 0 && jobs_active_run(run))
		jobs_duration((double)time(NULL) * 1000 - started, buf, len);
}

static void
jobs_schedule(const cJSON *job, char *buf, size_t len)
{
	const cJSON	*s = cJSON_GetObjectItem(job, "schedule");
	const char	*type = jobs_str(s, "type");

	if (strcmp(type, "cron") == 0)
		snprintf(buf, len, "%s %s", jobs_str(s, "cron"),
		    jobs_str(s, "timezone"));
	else if (strcmp(type, "dependent") == 0)
		snprintf(buf, len, "after %s", jobs_str(s, "parent"));
	else
		snprintf(buf, len, "%s", *type != '\0' ? type : "manual");
	if (cJSON_IsTrue(cJSON_GetObjectItem(job, "paused")))
		snprintf(buf + strlen(buf), len - strlen(buf), " (paused)");
}

/* A pane's title, and a rule after it to the right edge. */
static void
jobs_title(WINDOW *w, int y, int x, int width, const char *title,
    int focused)
{
	int	used;

	draw_fill(w, y, x, width, ROLE_DEFAULT);
	used = draw_text(w, y, x + 1, width - 2, title, -1, focused ?
	    ROLE_TITLE : ROLE_DIM, DRAW_ELLIPSIS);
	if (used + 3 < width) {
		draw_role(w, ROLE_BORDER, 0);
		mvwhline(w, y, x + used + 2, draw_utf8 ? ACS_HLINE : '-',
		    width - used - 3);
	}
}

/* --- The layout. --- */

static int
jobs_wide(int h, int w)
{
	return w >= 120 && h >= 16;
}

static void
jobs_layout(struct tui *t, int h, int w, struct layout *lay)
{
	int	lw, jh, rh;

	memset(lay, 0, sizeof *lay);
	if (jobs_wide(h, w)) {
		lw = w * 2 / 5 > 56 ? w * 2 / 5 : 56;
		jh = h / 2;
		lay->jobs = (struct area){ 0, 0, jh, lw };
		lay->runs = (struct area){ jh, 0, h - jh, lw };
		lay->log = (struct area){ 0, lw + 1, h, w - lw - 1 };
	} else if (h >= 18) {
		/* The log has the room while it has the focus. */
		jh = t->focus == &pane_log ? h / 5 : h * 35 / 100;
		rh = t->focus == &pane_log ? h / 6 : h / 4;
		lay->jobs = (struct area){ 0, 0, jh, w };
		lay->runs = (struct area){ jh, 0, rh, w };
		lay->log = (struct area){ jh + rh, 0, h - jh - rh, w };
	} else if (t->focus == &pane_runs)
		lay->runs = (struct area){ 0, 0, h, w };
	else if (t->focus == &pane_log)
		lay->log = (struct area){ 0, 0, h, w };
	else
		lay->jobs = (struct area){ 0, 0, h, w };
}

/* --- Loading jobs. --- */

static int
jobs_match(void *arg, size_t i, const char *needle)
{
	const cJSON	*j = jobs_job(i);
	char		 sched[256];

	jobs_schedule(j, sched, sizeof sched);
	return list_contains(jobs_str(j, "name"), needle) ||
	    list_contains(jobs_str(j, "script"), needle) ||
	    list_contains(sched, needle);
}

static int
runs_match(void *arg, size_t i, const char *needle)
{
	const cJSON	*r = jobs_run_at(i);

	return list_contains(jobs_str(r, "id"), needle) ||
	    list_contains(jobs_str(r, "status"), needle) ||
	    list_contains(jobs_str(r, "trigger"), needle) ||
	    list_contains(jobs_str(r, "reason"), needle);
}

/* Select the job with id in the list, if it is shown. */
static void
jobs_select_id(const char *id)
{
	const cJSON	*j;
	size_t		 i = 0;

	if (id == NULL)
		return;
	cJSON_ArrayForEach(j, jb.jobs) {
		if (strcmp(jobs_str(j, "id"), id) == 0) {
			list_select_index(&jb.list, i);
			return;
		}
		i++;
	}
}

static void	tree_build(void);

/* The job selected may have changed: follow it with its runs. */
static void
jobs_follow_selection(struct tui *t)
{
	const cJSON	*j = jobs_selected();
	const char	*id = j != NULL ? jobs_str(j, "id") : NULL;

	jobs_set(&jb.job_id, id);
	/* The runs shown are this job's already. */
	if (id != NULL && jb.runs_job != NULL && strcmp(id, jb.runs_job) == 0)
		return;
	if (id == NULL && jb.runs_job == NULL)
		return;
	if (jb.runs_call != 0)
		async_cancel(t->async, jb.runs_call);
	jb.runs_call = 0;
	cJSON_Delete(jb.runs);
	jb.runs = NULL;
	free(jb.runs_text);
	jb.runs_text = NULL;
	jobs_set(&jb.runs_job, id);
	jb.runs_loaded = 0;
	jb.runs_auto = 1;
	list_set_count(&jb.runs_list, 0, runs_match, t);
	list_top(&jb.runs_list);
	jobs_set(&jb.run_id, NULL);
	log_open(t, NULL);
	if (id != NULL)
		runs_load(t);
	tui_dirty(t, DIRTY_MAIN);
}

static void	jobs_page(struct tui *, const char *token);

static void
jobs_on_page(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	cJSON		*item, *token;
	char		*text, *err;

	if (id != jb.jobs_call)
		return;
	jb.jobs_call = 0;
	if (status != 200) {
		err = jobs_error(status, answer, cause);
		if (jb.error == NULL || strcmp(jb.error, err) != 0) {
			free(jb.error);
			jb.error = err;
			if (jb.loaded)
				tui_message(t, 1, "%s", err);
			tui_dirty(t, DIRTY_MAIN);
		} else
			free(err);
		cJSON_Delete(jb.pages);
		jb.pages = NULL;
		return;
	}
	if (jb.pages == NULL)
		jb.pages = cJSON_CreateArray();
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(answer, "jobs"))
		cJSON_AddItemToArray(jb.pages, cJSON_Duplicate(item, 1));
	token = cJSON_GetObjectItem(answer, "next_page_token");
	if (cJSON_IsString(token)) {
		jobs_page(t, token->valuestring);
		return;
	}
	if (jb.error != NULL) {
		free(jb.error);
		jb.error = NULL;
		tui_dirty(t, DIRTY_MAIN);
	}
	text = cJSON_PrintUnformatted(jb.pages);
	if (jb.loaded && jb.jobs_text != NULL && strcmp(text, jb.jobs_text) ==
	    0) {
		free(text);
		cJSON_Delete(jb.pages);
		jb.pages = NULL;
		return;
	}
	free(jb.jobs_text);
	jb.jobs_text = text;
	cJSON_Delete(jb.jobs);
	jb.jobs = jb.pages;
	jb.pages = NULL;
	jb.loaded = 1;
	list_set_count(&jb.list, (size_t)cJSON_GetArraySize(jb.jobs),
	    jobs_match, t);
	if (jb.select_id != NULL) {
		list_filter(&jb.list, NULL, jobs_match, t);
		jobs_select_id(jb.select_id);
		jobs_set(&jb.select_id, NULL);
	} else
		jobs_select_id(jb.job_id);
	tree_build();
	jobs_follow_selection(t);
	tui_dirty(t, DIRTY_MAIN);
}

static void
jobs_page(struct tui *t, const char *token)
{
	char	*eproj = tui_escape(t->project_id), *etok = NULL, *path;

	if (token != NULL)
		etok = tui_escape(token);
	path = xasprintf("/api/v1/projects/%s/jobs?page_size=1000%s%s", eproj,
	    etok != NULL ? "&page_token=" : "", etok != NULL ? etok : "");
	jb.jobs_call = async_call(t->async, "GET", path, NULL, jobs_on_page,
	    t);
	free(path);
	free(etok);
	free(eproj);
}

static void
jobs_load(struct tui *t)
{
	if (t->project_id == NULL || jb.jobs_call != 0)
		return;
	cJSON_Delete(jb.pages);
	jb.pages = NULL;
	jobs_page(t, NULL);
}

/* --- Loading runs. --- */

static void
runs_select_id(const char *id)
{
	const cJSON	*r;
	size_t		 i = 0;

	if (id == NULL)
		return;
	cJSON_ArrayForEach(r, jb.runs) {
		if (strcmp(jobs_str(r, "id"), id) == 0) {
			list_select_index(&jb.runs_list, i);
			return;
		}
		i++;
	}
}

/* The run selected may have changed: show its log. */
static void
runs_follow_selection(struct tui *t)
{
	const cJSON	*r = runs_selected();
	const char	*id = r != NULL ? jobs_str(r, "id") : NULL;

	jobs_set(&jb.run_id, id);
	if (id == NULL) {
		if (jb.log_run != NULL)
			log_open(t, NULL);
		return;
	}
	if (jb.log_run == NULL || strcmp(jb.log_run, id) != 0)
		log_open(t, id);
	else if (jobs_active_run(r) && !jb.log_active && jb.log_call == 0) {
		/* Still going, but a read failed: read on. */
		jb.log_active = 1;
		log_fetch(t);
	}
}

static void
runs_on_list(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	cJSON		*runs;
	char		*text, *err;

	if (id != jb.runs_call)
		return;
	jb.runs_call = 0;
	if (status != 200) {
		/*
		 * A job deleted meanwhile: the jobs' reload shows it; the
		 * core gone: the top bar says so.
		 */
		if (status != 404 && status != 0) {
			err = jobs_error(status, answer, cause);
			tui_message(t, 1, "%s", err);
			free(err);
		}
		return;
	}
	runs = cJSON_DetachItemFromObject(answer, "runs");
	if (runs == NULL)
		runs = cJSON_CreateArray();
	text = cJSON_PrintUnformatted(runs);
	if (jb.runs_loaded && jb.runs_text != NULL &&
	    strcmp(text, jb.runs_text) == 0) {
		free(text);
		cJSON_Delete(runs);
		return;
	}
	free(jb.runs_text);
	jb.runs_text = text;
	cJSON_Delete(jb.runs);
	jb.runs = runs;
	jb.runs_loaded = 1;
	list_set_count(&jb.runs_list, (size_t)cJSON_GetArraySize(runs),
	    runs_match, t);
	if (jb.runs_auto)
		list_top(&jb.runs_list);
	else
		runs_select_id(jb.run_id);
	runs_follow_selection(t);
	tui_dirty(t, DIRTY_MAIN);
}

static void
runs_load(struct tui *t)
{
	char	*path;

	if (jb.runs_job == NULL || jb.runs_call != 0)
		return;
	path = jobs_path(t, "jobs", jb.runs_job, "/runs?page_size=100");
	jb.runs_call = async_call(t->async, "GET", path, NULL, runs_on_list,
	    t);
	free(path);
}

/* --- The log. --- */

static int
log_status_active(const char *status)
{
	return strcmp(status, "queued") == 0 ||
	    strcmp(status, "starting") == 0 || strcmp(status, "running") == 0;
}

static void
log_on_read(uint64_t id, long status, const char *body, size_t len,
    struct client_req *req, const char *cause, void *arg)
{
	struct tui	*t = arg;
	char		 value[64], *end, *err;
	const char	*nl;
	uint64_t	 next, from;
	cJSON		*answer;
	int		 first = !jb.log_read, was = jb.log_active;

	if (id != jb.log_call)
		return;
	jb.log_call = 0;
	if (status != 200) {
		answer = status != 0 ? cJSON_Parse(body) : NULL;
		err = jobs_error(status, answer, cause);
		cJSON_Delete(answer);
		if (jb.log_error == NULL || strcmp(jb.log_error, err) != 0) {
			free(jb.log_error);
			jb.log_error = err;
			tui_dirty(t, DIRTY_MAIN);
		} else
			free(err);
		/* The run is gone, or the core: try again on a tick. */
		if (status != 0)
			jb.log_active = 0;
		return;
	}
	if (jb.log_error != NULL) {
		free(jb.log_error);
		jb.log_error = NULL;
		tui_dirty(t, DIRTY_MAIN);
	}
	next = jb.log_offset + len;
	if (client_req_header(req, "X-Lathe-Log-Offset", value,
	    sizeof value) != NULL) {
		next = strtoull(value, &end, 10);
		if (*end != '\0' || next < len)
			next = jb.log_offset + len;
	}
	from = next - len;
	if (client_req_header(req, "X-Lathe-Run-Status", value,
	    sizeof value) != NULL) {
		if (strcmp(value, jb.log_status) != 0)
			tui_dirty(t, DIRTY_MAIN);
		snprintf(jb.log_status, sizeof jb.log_status, "%s", value);
		jb.log_active = log_status_active(value);
	}
	jb.log_read = 1;
	if (first && from > 0) {
		/* The tail begins within a line: start at the next one. */
		nl = memchr(body, '\n', len);
		jb.log_start = from + (nl != NULL ? (uint64_t)(nl - body) + 1 :
		    len);
		if (nl != NULL)
			logview_feed(jb.log, nl + 1, len - (size_t)(nl - body) -
			    1);
	} else if (len > 0)
		logview_feed(jb.log, body, len);
	jb.log_offset = next;
	if (len > 0 || first || was != jb.log_active)
		tui_dirty(t, DIRTY_MAIN);
	/*
	 * Far behind a run that writes faster than it is read: what lies
	 * between would only be dropped, so read the tail again instead.
	 */
	if (client_req_header(req, "X-Lathe-Log-Size", value,
	    sizeof value) != NULL && strtoull(value, &end, 10) >
	    next + LOG_KEEP_BYTES) {
		logview_clear(jb.log);
		jb.log_read = 0;
		log_fetch(t);
		return;
	}
	/* More is there already: read on at once. */
	if (len >= (first ? LOG_TAIL : LOG_CHUNK) ||
	    (was && !jb.log_active && len > 0))
		log_fetch(t);
	/* It has just ended: the run's row and the job's change too. */
	if (was && !jb.log_active) {
		runs_load(t);
		jobs_load(t);
	}
}

static void
log_fetch(struct tui *t)
{
	char	*path, *base;

	if (jb.log_run == NULL || jb.log_call != 0 || t->project_id == NULL)
		return;
	base = jobs_path(t, "runs", jb.log_run, "/logs");
	if (!jb.log_read)
		path = xasprintf("%s?offset=-%d&limit=%d", base, LOG_TAIL,
		    LOG_TAIL);
	else
		path = xasprintf("%s?offset=%llu&limit=%d", base,
		    (unsigned long long)jb.log_offset, LOG_CHUNK);
	jb.log_call = async_call_raw(t->async, "GET", path, NULL, log_on_read,
	    t);
	free(path);
	free(base);
}

/* Show the log of run id (NULL: none). */
static void
log_open(struct tui *t, const char *id)
{
	if (jb.log_call != 0)
		async_cancel(t->async, jb.log_call);
	jb.log_call = 0;
	if (jb.log == NULL)
		jb.log = logview_new(LOG_KEEP_BYTES, LOG_KEEP_LINES);
	logview_clear(jb.log);
	jobs_set(&jb.log_run, id);
	jb.log_offset = jb.log_start = 0;
	jb.log_read = 0;
	jb.log_active = 0;
	jb.log_status[0] = '\0';
	free(jb.log_error);
	jb.log_error = NULL;
	if (id != NULL)
		log_fetch(t);
	tui_dirty(t, DIRTY_MAIN);
}

/* --- The pipeline. --- */

static void
tree_clear(void)
{
	size_t	i;

	for (i = 0; i < jb.nrows; i++)
		free(jb.rows[i].prefix);
	free(jb.rows);
	jb.rows = NULL;
	jb.nrows = 0;
}

static const char *
jobs_parent(const cJSON *job)
{
	const cJSON	*s = cJSON_GetObjectItem(job, "schedule");

	if (strcmp(jobs_str(s, "type"), "dependent") != 0)
		return NULL;
	return jobs_str(s, "parent");
}

static int
jobs_index(const char *name)
{
	const cJSON	*j;
	int		 i = 0;

	cJSON_ArrayForEach(j, jb.jobs) {
		if (strcmp(jobs_str(j, "name"), name) == 0)
			return i;
		i++;
	}
	return -1;
}

static void
tree_add(int job, const char *prefix)
{
	jb.rows = xreallocarray(jb.rows, jb.nrows + 1, sizeof *jb.rows);
	jb.rows[jb.nrows].job = job;
	jb.rows[jb.nrows].prefix = xstrdup(prefix);
	jb.nrows++;
}

/* Add the children of job under it, each with the tree drawn so far. */
static void
tree_children(int job, const char *indent, int depth)
{
	const char	*name = jobs_str(jobs_job((size_t)job), "name");
	const char	*parent;
	const cJSON	*j;
	int		*kids = NULL, nkids = 0, i = 0, k, last;
	char		*prefix, *deeper;

	if (depth >= TREE_DEPTH_MAX)
		return;
	cJSON_ArrayForEach(j, jb.jobs) {
		parent = jobs_parent(j);
		if (parent != NULL && strcmp(parent, name) == 0) {
			kids = xreallocarray(kids, (size_t)nkids + 1,
			    sizeof *kids);
			kids[nkids++] = i;
		}
		i++;
	}
	for (k = 0; k < nkids; k++) {
		last = k == nkids - 1;
		prefix = xasprintf("%s%s", indent, last ?
		    (draw_utf8 ? "\xe2\x94\x94\xe2\x94\x80 " : "`- ") :
		    (draw_utf8 ? "\xe2\x94\x9c\xe2\x94\x80 " : "|- "));
		deeper = xasprintf("%s%s", indent, last ? "   " :
		    (draw_utf8 ? "\xe2\x94\x82  " : "|  "));
		tree_add(kids[k], prefix);
		tree_children(kids[k], deeper, depth + 1);
		free(prefix);
		free(deeper);
	}
	free(kids);
}

static int
tree_match(void *arg, size_t i, const char *needle)
{
	return list_contains(jobs_str(jobs_job((size_t)jb.rows[i].job),
	    "name"), needle);
}

/* The rows of the pipeline view: each tree from a job nothing precedes. */
static void
tree_build(void)
{
	const cJSON	*j;
	const char	*parent;
	size_t		 before;
	int		 i = 0;

	tree_clear();
	cJSON_ArrayForEach(j, jb.jobs) {
		parent = jobs_parent(j);
		if (parent == NULL || jobs_index(parent) < 0) {
			before = jb.nrows;
			tree_add(i, "");
			tree_children(i, "", 0);
			/* A job nothing follows is no pipeline. */
			if (jb.nrows == before + 1) {
				free(jb.rows[before].prefix);
				jb.nrows = before;
			}
		}
		i++;
	}
	list_set_count(&jb.tree, jb.nrows, tree_match, NULL);
}

/* --- Drawing. --- */

static void
jobs_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	struct tui	*t = arg;
	const cJSON	*j = jobs_job(i), *last = cJSON_GetObjectItem(j,
			    "last_run"), *next;
	enum role	 srole, role = selected ? ROLE_SELECTION :
			    ROLE_DEFAULT;
	const char	*glyph;
	char		 sched[256], when[32], word[32];
	int		 avail = width - 3, nw = 0, sw = 0, lw = 0, xw = 0;
	int		 tw = 0, cx = x + 1, extra;

	draw_fill(w, y, x, width, role);
	glyph = jobs_glyph(cJSON_IsObject(last) ? jobs_str(last, "status") :
	    "", &srole);
	draw_text(w, y, cx, 1, glyph, -1, selected ? role : srole, 0);
	cx += 2;
	/* Columns as the width allows: name, schedule, times, status. */
	nw = avail >= 12 ? 12 : avail;
	avail -= nw;
	if (avail >= 16) {
		sw = 15;
		avail -= sw;
	}
	if (avail >= 12) {
		lw = 12;
		avail -= lw;
	}
	if (avail >= 12) {
		xw = 12;
		avail -= xw;
	}
	if (avail >= 11) {
		tw = 11;
		avail -= tw;
	}
	extra = avail / 2;
	nw += extra > 12 ? 12 : extra;
	avail -= extra > 12 ? 12 : extra;
	if (sw > 0)
		sw += avail > 14 ? 14 : avail;
	draw_text(w, y, cx, nw - 1, jobs_str(j, "name"), -1, role,
	    DRAW_ELLIPSIS);
	cx += nw;
	if (sw > 0) {
		jobs_schedule(j, sched, sizeof sched);
		draw_text(w, y, cx, sw - 1, sched, -1, selected ? role :
		    ROLE_DIM, DRAW_ELLIPSIS);
		cx += sw;
	}
	if (tw > 0) {
		jobs_status_word(cJSON_IsObject(last) ? jobs_str(last,
		    "status") : "never run", word, sizeof word);
		draw_text(w, y, cx, tw - 1, word, -1, selected ? role : srole,
		    DRAW_ELLIPSIS);
		cx += tw;
	}
	if (lw > 0) {
		when[0] = '\0';
		if (cJSON_IsObject(last))
			jobs_time(jobs_num(last, "started_ms") > 0 ?
			    jobs_num(last, "started_ms") : jobs_num(last,
			    "queued_ms"), when, sizeof when);
		draw_text(w, y, cx, lw - 1, when, -1, role, 0);
		cx += lw;
	}
	if (xw > 0) {
		next = cJSON_GetObjectItem(j, "next_fire_ms");
		when[0] = '\0';
		if (cJSON_IsNumber(next))
			jobs_time(next->valuedouble, when, sizeof when);
		draw_text(w, y, cx, xw - 1, when, -1, role, 0);
	}
	if (selected && t->focus == &pane_jobs && !t->side_focus)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
jobs_draw_list(struct tui *t, WINDOW *w, const struct area *a)
{
	char	title[160];
	size_t	shown = list_shown(&jb.list);
	int	y = a->y + 1;

	if (jb.list.filter != NULL)
		snprintf(title, sizeof title, "Jobs: %zu of %zu match '%s'",
		    shown, jb.list.count, jb.list.filter);
	else
		snprintf(title, sizeof title, "Jobs (%zu)", jb.list.count);
	jobs_title(w, a->y, a->x, a->w, title, t->focus == &pane_jobs);
	if (a->h < 2)
		return;
	if (jb.error != NULL && !jb.loaded) {
		draw_text(w, y, a->x + 2, a->w - 3, jb.error, -1, ROLE_ERROR,
		    DRAW_ELLIPSIS);
		return;
	}
	if (!jb.loaded) {
		draw_text(w, y, a->x + 2, a->w - 3, "loading...", -1, ROLE_DIM,
		    0);
		return;
	}
	if (jb.list.count == 0) {
		draw_text(w, y, a->x + 2, a->w - 3, "No jobs yet: n creates "
		    "one (a script run by hand, on a schedule, or after "
		    "another job).", -1, ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	if (shown == 0) {
		draw_text(w, y, a->x + 2, a->w - 3, "Nothing matches the "
		    "filter (Esc clears it).", -1, ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	list_draw(&jb.list, w, y, a->x, a->h - 1, a->w, jobs_draw_row, t);
}

static void
runs_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	struct tui	*t = arg;
	const cJSON	*r = jobs_run_at(i);
	enum role	 srole, role = selected ? ROLE_SELECTION :
			    ROLE_DEFAULT;
	const char	*glyph, *status = jobs_str(r, "status");
	char		 word[32], when[32], dur[32];
	int		 cx = x + 1, right = x + width;

	draw_fill(w, y, x, width, role);
	glyph = jobs_glyph(status, &srole);
	draw_text(w, y, cx, 7, jobs_str(r, "id"), -1, role, DRAW_ELLIPSIS);
	cx += 8;
	draw_text(w, y, cx, 1, glyph, -1, selected ? role : srole, 0);
	cx += 2;
	jobs_status_word(status, word, sizeof word);
	draw_text(w, y, cx, right - cx, word, -1, selected ? role : srole,
	    DRAW_ELLIPSIS);
	cx += 10;
	if (right - cx >= 9) {
		draw_text(w, y, cx, 8, jobs_str(r, "trigger"), -1, selected ?
		    role : ROLE_DIM, DRAW_ELLIPSIS);
		cx += 9;
	}
	if (right - cx >= 12) {
		jobs_time(jobs_num(r, "started_ms") > 0 ? jobs_num(r,
		    "started_ms") : jobs_num(r, "queued_ms"), when,
		    sizeof when);
		draw_text(w, y, cx, 11, when, -1, role, 0);
		cx += 12;
	}
	if (right - cx >= 8) {
		runs_duration(r, dur, sizeof dur);
		draw_text(w, y, cx, 7, dur, -1, role, 0);
		cx += 8;
	}
	if (right - cx > 4)
		draw_text(w, y, cx, right - cx - 1, jobs_str(r, "reason"), -1,
		    selected ? role : ROLE_DIM, DRAW_ELLIPSIS);
	if (selected && t->focus == &pane_runs && !t->side_focus)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
runs_draw(struct tui *t, WINDOW *w, const struct area *a)
{
	const cJSON	*j = jobs_selected();
	char		 title[160];
	int		 y = a->y + 1;

	if (j != NULL)
		snprintf(title, sizeof title, "Runs of %s (%zu)",
		    jobs_str(j, "name"), jb.runs_list.count);
	else
		snprintf(title, sizeof title, "Runs");
	jobs_title(w, a->y, a->x, a->w, title, t->focus == &pane_runs);
	if (a->h < 2 || j == NULL)
		return;
	if (!jb.runs_loaded) {
		draw_text(w, y, a->x + 2, a->w - 3, "loading...", -1, ROLE_DIM,
		    0);
		return;
	}
	if (jb.runs_list.count == 0) {
		draw_text(w, y, a->x + 2, a->w - 3, "No runs yet: r runs it "
		    "now.", -1, ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	list_draw(&jb.runs_list, w, y, a->x, a->h - 1, a->w, runs_draw_row,
	    t);
}

static void
log_draw(struct tui *t, WINDOW *w, const struct area *a)
{
	char	title[256], word[64], size[SIZE_FORMAT_MAX], note[128];
	size_t	n;
	int	y = a->y + 1;

	if (jb.log_run == NULL) {
		jobs_title(w, a->y, a->x, a->w, "Log", t->focus == &pane_log);
		return;
	}
	jobs_status_word(jb.log_status, word, sizeof word);
	n = (size_t)snprintf(title, sizeof title, "Log of run %s%s%s%s",
	    jb.log_run, *word != '\0' ? ", " : "", word,
	    logview_following(jb.log) ? ", following" : "");
	if (logview_wrapping(jb.log) && n < sizeof title)
		n += (size_t)snprintf(title + n, sizeof title - n, ", wrapped");
	if (logview_needle(jb.log) != NULL && n < sizeof title)
		snprintf(title + n, sizeof title - n, ", finding '%s'",
		    logview_needle(jb.log));
	jobs_title(w, a->y, a->x, a->w, title, t->focus == &pane_log);
	if (a->h < 2)
		return;
	if (jb.log_error != NULL) {
		draw_text(w, a->y + 1, a->x + 1, a->w - 2, jb.log_error, -1,
		    ROLE_ERROR, DRAW_ELLIPSIS);
		return;
	}
	/*
	 * Above the oldest line kept, say that there was more, when that
	 * line is in view with the note above it.
	 */
	if (jb.log_start > 0 || logview_dropped(jb.log) > 0)
		logview_size(jb.log, a->h - 2, a->w - 1);
	if ((jb.log_start > 0 || logview_dropped(jb.log) > 0) &&
	    logview_top(jb.log) == 0 && a->h > 2) {
		size_format(jb.log_start, size, sizeof size);
		n = (size_t)snprintf(note, sizeof note, "(earlier output is "
		    "not kept here:");
		if (jb.log_start > 0)
			n += (size_t)snprintf(note + n, sizeof note - n, " %s",
			    size);
		if (logview_dropped(jb.log) > 0 && n < sizeof note)
			snprintf(note + n, sizeof note - n, "%s %llu lines",
			    jb.log_start > 0 ? " and" : "",
			    (unsigned long long)logview_dropped(jb.log));
		n = strlen(note);
		if (n + 1 < sizeof note)
			strcpy(note + n, ")");
		draw_text(w, y++, a->x + 1, a->w - 2, note, -1, ROLE_DIM,
		    DRAW_ELLIPSIS);
	}
	if (logview_count(jb.log) == 0) {
		draw_text(w, y, a->x + 1, a->w - 2, !jb.log_read ?
		    "loading..." : jb.log_active ? "(no output yet)" :
		    "(no output)", -1, ROLE_DIM, 0);
		return;
	}
	logview_draw(jb.log, w, y, a->x + 1, a->h - (y - a->y), a->w - 1);
}

static void
tree_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	struct tui	*t = arg;
	const struct tree_row *row = &jb.rows[i];
	const cJSON	*j = jobs_job((size_t)row->job), *last;
	enum role	 srole, role = selected ? ROLE_SELECTION :
			    ROLE_DEFAULT;
	const char	*glyph;
	char		 sched[256];
	int		 cx = x + 2;

	draw_fill(w, y, x, width, role);
	last = cJSON_GetObjectItem(j, "last_run");
	glyph = jobs_glyph(cJSON_IsObject(last) ? jobs_str(last, "status") :
	    "", &srole);
	cx += draw_text(w, y, cx, x + width - cx, row->prefix, -1, selected ?
	    role : ROLE_BORDER, 0);
	cx += draw_text(w, y, cx, x + width - cx, glyph, -1, selected ? role :
	    srole, 0);
	cx++;
	cx += draw_text(w, y, cx, x + width - cx - 1, jobs_str(j, "name"), -1,
	    role, DRAW_ELLIPSIS);
	if (*row->prefix == '\0' && x + width - cx > 6) {
		jobs_schedule(j, sched, sizeof sched);
		draw_text(w, y, cx + 2, x + width - cx - 3, sched, -1,
		    selected ? role : ROLE_DIM, DRAW_ELLIPSIS);
	}
	if (selected && t->focus == &pane_pipeline && !t->side_focus)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
tree_draw(struct tui *t, WINDOW *w, int h, int width)
{
	jobs_title(w, 0, 0, width, "Pipelines: jobs that run after others "
	    "(p: the list)", 1);
	if (h < 2)
		return;
	if (!jb.loaded) {
		draw_text(w, 1, 2, width - 3, "loading...", -1, ROLE_DIM, 0);
		return;
	}
	if (jb.nrows == 0) {
		draw_text(w, 1, 2, width - 3, "No job runs after another yet: "
		    "a job scheduled 'after JOB' runs when JOB succeeds.", -1,
		    ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	list_draw(&jb.tree, w, 1, 0, h - 1, width, tree_draw_row, t);
}

void
jobs_draw(struct tui *t, WINDOW *w, int h, int width)
{
	struct layout	lay;

	if (t->focus == &pane_jobform) {
		jobform_draw(t, w, h, width);
		return;
	}
	if (t->focus == &pane_pipeline) {
		tree_draw(t, w, h, width);
		return;
	}
	jobs_layout(t, h, width, &lay);
	if (lay.jobs.h > 0)
		jobs_draw_list(t, w, &lay.jobs);
	if (lay.runs.h > 0)
		runs_draw(t, w, &lay.runs);
	if (lay.log.h > 0) {
		if (lay.log.x > 0) {
			draw_role(w, ROLE_BORDER, 0);
			mvwvline(w, 0, lay.log.x - 1, draw_utf8 ? ACS_VLINE :
			    '|', h);
		}
		log_draw(t, w, &lay.log);
	}
}

/* --- Polling. --- */

static int
jobs_shown(struct tui *t)
{
	return t->section == SECTION_JOBS && !t->picking &&
	    t->project_id != NULL;
}

static void
jobs_on_tick(uv_timer_t *h)
{
	struct tui	*t = h->data;
	int		 active;

	if (!jobs_shown(t)) {
		uv_timer_stop(&jb.timer);
		jb.ticking = 0;
		return;
	}
	jb.ticks++;
	if (jb.log_active && jb.log_call == 0)
		log_fetch(t);
	active = jobs_anything_active();
	if (jb.ticks % (active ? JOBS_ACTIVE : JOBS_IDLE) == 0) {
		jobs_load(t);
		runs_load(t);
		/* Durations of what runs grow by themselves. */
		if (active)
			tui_dirty(t, DIRTY_MAIN);
	}
}

void
jobs_show(struct tui *t)
{
	if (!jb.timer_ready) {
		uv_timer_init(t->loop, &jb.timer);
		jb.timer.data = t;
		jb.timer_ready = 1;
	}
	if (jb.log == NULL)
		jb.log = logview_new(LOG_KEEP_BYTES, LOG_KEEP_LINES);
	if (!jb.ticking) {
		jb.ticking = 1;
		jb.ticks = 0;
		uv_timer_start(&jb.timer, jobs_on_tick, JOBS_TICK_MS,
		    JOBS_TICK_MS);
	}
	jobs_load(t);
	runs_load(t);
	if (jb.log_run != NULL && jb.log_call == 0 && (jb.log_active ||
	    !jb.log_read))
		log_fetch(t);
}

void
jobs_reset(struct tui *t)
{
	if (t->async != NULL) {
		async_cancel(t->async, jb.jobs_call);
		async_cancel(t->async, jb.runs_call);
		async_cancel(t->async, jb.log_call);
		async_cancel(t->async, jb.act_call);
	}
	jb.jobs_call = jb.runs_call = jb.log_call = jb.act_call = 0;
	cJSON_Delete(jb.jobs);
	cJSON_Delete(jb.pages);
	cJSON_Delete(jb.runs);
	jb.jobs = jb.pages = jb.runs = NULL;
	free(jb.jobs_text);
	free(jb.runs_text);
	jb.jobs_text = jb.runs_text = NULL;
	list_done(&jb.list);
	list_done(&jb.runs_list);
	list_done(&jb.tree);
	tree_clear();
	jb.loaded = jb.runs_loaded = 0;
	jobs_set(&jb.error, NULL);
	jobs_set(&jb.job_id, NULL);
	jobs_set(&jb.select_id, NULL);
	jobs_set(&jb.runs_job, NULL);
	jobs_set(&jb.run_id, NULL);
	jobs_set(&jb.log_run, NULL);
	jobs_set(&jb.log_error, NULL);
	jobs_set(&jb.deleting, NULL);
	if (jb.log != NULL)
		logview_clear(jb.log);
	jb.log_read = jb.log_active = 0;
	jb.log_offset = jb.log_start = 0;
	jb.log_status[0] = '\0';
	jobform_reset(t);
}

static void
jobs_on_close(uv_handle_t *h)
{
}

void
jobs_done(struct tui *t)
{
	jobs_reset(t);
	jobform_done(t);
	logview_free(jb.log);
	jb.log = NULL;
	if (jb.timer_ready)
		uv_close((uv_handle_t *)&jb.timer, jobs_on_close);
	jb.timer_ready = jb.ticking = 0;
}

void
jobs_saved(struct tui *t, const char *id)
{
	jobs_set(&jb.select_id, id);
	tui_focus(t, &pane_jobs);
	if (jb.jobs_call != 0)
		async_cancel(t->async, jb.jobs_call);
	jb.jobs_call = 0;
	/* Force the reload through, even if the list looks the same. */
	free(jb.jobs_text);
	jb.jobs_text = NULL;
	jobs_load(t);
}

/* --- Actions. --- */

/* Whether the jobs can be acted on; says why not in the status line. */
static int
jobs_ready(struct tui *t)
{
	if (t->project_id == NULL || t->picking) {
		tui_message(t, 1, "open a project first");
		return 0;
	}
	if (t->section != SECTION_JOBS) {
		tui_message(t, 1, "jobs are in the Jobs section: press 3");
		return 0;
	}
	return 1;
}

static void
jobs_on_action(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	char		*err;

	if (id != jb.act_call)
		return;
	jb.act_call = 0;
	if (status != 200 && status != 201) {
		err = jobs_error(status, answer, cause);
		tui_message(t, 1, "%s", err);
		free(err);
		return;
	}
	if (status == 201) {
		/* A new run: show it as it goes. */
		tui_message(t, 0, "run %s of %s %s: %s", jobs_str(answer, "id"),
		    jobs_str(answer, "job"), jb.act, jobs_str(answer,
		    "status"));
		jb.runs_auto = 1;
		if (jb.runs_list.count > 0)
			list_top(&jb.runs_list);
	} else if (jobs_active_run(answer))
		tui_message(t, 0, "run %s is being stopped (SIGTERM, then "
		    "SIGKILL after 10 s)", jobs_str(answer, "id"));
	else
		tui_message(t, 0, "run %s %s", jobs_str(answer, "id"),
		    jobs_str(answer, "status"));
	runs_load(t);
	jobs_load(t);
}

static void
jobs_post(struct tui *t, const char *noun, const char *id, const char *rest,
    const char *what)
{
	char	*path = jobs_path(t, noun, id, rest);

	jb.act = what;
	if (jb.act_call != 0)
		async_cancel(t->async, jb.act_call);
	jb.act_call = async_call(t->async, "POST", path, NULL, jobs_on_action,
	    t);
	free(path);
}

void
jobs_run(struct tui *t)
{
	const cJSON	*j;

	if (!jobs_ready(t))
		return;
	if ((j = jobs_selected()) == NULL) {
		tui_message(t, 1, "no job to run: n creates one");
		return;
	}
	jobs_post(t, "jobs", jobs_str(j, "id"), "/runs", "started");
	tui_message(t, 0, "starting %s...", jobs_str(j, "name"));
}

void
jobs_stop(struct tui *t)
{
	const cJSON	*j, *r = NULL, *item;

	if (!jobs_ready(t))
		return;
	if ((j = jobs_selected()) == NULL) {
		tui_message(t, 1, "no job selected");
		return;
	}
	if (t->focus == &pane_runs || t->focus == &pane_log) {
		r = runs_selected();
		if (r != NULL && !jobs_active_run(r)) {
			tui_message(t, 1, "run %s has ended already (%s)",
			    jobs_str(r, "id"), jobs_str(r, "status"));
			return;
		}
	}
	if (r == NULL) {
		/* The job's active run: the newest one still going. */
		cJSON_ArrayForEach(item, jb.runs) {
			if (jobs_active_run(item)) {
				r = item;
				break;
			}
		}
	}
	if (r == NULL && jobs_active_run(cJSON_GetObjectItem(j,
	    "last_run")))
		r = cJSON_GetObjectItem(j, "last_run");
	if (r == NULL) {
		tui_message(t, 1, "%s has no run going", jobs_str(j, "name"));
		return;
	}
	jobs_post(t, "runs", jobs_str(r, "id"), "/stop", "stopped");
	tui_message(t, 0, "stopping run %s...", jobs_str(r, "id"));
}

void
jobs_rerun(struct tui *t)
{
	const cJSON	*r;

	if (!jobs_ready(t))
		return;
	if ((r = runs_selected()) == NULL) {
		tui_message(t, 1, "no run to run again: r runs the job");
		return;
	}
	jobs_post(t, "runs", jobs_str(r, "id"), "/rerun", "started again");
	tui_message(t, 0, "running run %s again...", jobs_str(r, "id"));
}

void
jobs_new(struct tui *t)
{
	if (!jobs_ready(t))
		return;
	jobform_open(t, NULL);
}

void
jobs_edit(struct tui *t)
{
	const cJSON	*j;

	if (!jobs_ready(t))
		return;
	if ((j = jobs_selected()) == NULL) {
		tui_message(t, 1, "no job to edit: n creates one");
		return;
	}
	jobform_open(t, j);
}

static void
jobs_on_delete(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	char		*err;

	if (id != jb.act_call)
		return;
	jb.act_call = 0;
	if (status != 200) {
		err = jobs_error(status, answer, cause);
		tui_message(t, 1, "%s", err);
		free(err);
		return;
	}
	tui_message(t, 0, "job deleted");
	jobs_load(t);
}

static void
jobs_confirm_delete(struct tui *t, const char *answer)
{
	const cJSON	*j;
	char		*path;
	int		 i;

	if (answer == NULL || jb.deleting == NULL)
		goto out;
	if (strcmp(answer, jb.deleting) != 0) {
		tui_message(t, 1, "'%s' is not the job's name: nothing deleted",
		    answer);
		goto out;
	}
	if ((i = jobs_index(jb.deleting)) < 0) {
		tui_message(t, 1, "job %s is gone already", jb.deleting);
		goto out;
	}
	j = jobs_job((size_t)i);
	path = jobs_path(t, "jobs", jobs_str(j, "id"), "");
	if (jb.act_call != 0)
		async_cancel(t->async, jb.act_call);
	jb.act_call = async_call(t->async, "DELETE", path, NULL,
	    jobs_on_delete, t);
	free(path);
out:
	jobs_set(&jb.deleting, NULL);
}

void
jobs_delete(struct tui *t)
{
	const cJSON	*j;
	char		 label[160];

	if (!jobs_ready(t))
		return;
	if ((j = jobs_selected()) == NULL) {
		tui_message(t, 1, "no job to delete");
		return;
	}
	jobs_set(&jb.deleting, jobs_str(j, "name"));
	snprintf(label, sizeof label, "Delete %s, its runs and logs? Type "
	    "its name: ", jb.deleting);
	tui_ask(t, label, NULL, 0, jobs_confirm_delete);
}

void
jobs_pipeline(struct tui *t)
{
	const cJSON	*j;
	size_t		 i;

	if (!jobs_ready(t))
		return;
	if (t->focus == &pane_pipeline) {
		tui_focus(t, &pane_jobs);
		return;
	}
	tree_build();
	/* Start on the selected job, if it is in a pipeline. */
	if ((j = jobs_selected()) != NULL) {
		for (i = 0; i < jb.nrows; i++) {
			if (jobs_job((size_t)jb.rows[i].job) == j) {
				list_select_index(&jb.tree, i);
				break;
			}
		}
	}
	tui_focus(t, &pane_pipeline);
}

void
log_follow(struct tui *t)
{
	if (jb.log == NULL)
		return;
	logview_follow(jb.log, !logview_following(jb.log));
	tui_message(t, 0, "%s", logview_following(jb.log) ? "following the "
	    "log" : "not following the log");
	tui_dirty(t, DIRTY_MAIN);
}

static void
log_found(struct tui *t, long line)
{
	if (line < 0)
		tui_message(t, 1, "'%s' is not in the log%s",
		    logview_needle(jb.log), jb.log_start > 0 ||
		    logview_dropped(jb.log) > 0 ? " as far as it is kept" : "");
	else
		tui_message(t, 0, "found '%s' (n next, N previous)",
		    logview_needle(jb.log));
	tui_dirty(t, DIRTY_MAIN);
}

static void
log_searched(struct tui *t, const char *answer)
{
	if (answer == NULL || jb.log == NULL)
		return;
	if (*answer == '\0') {
		/* Nothing typed: the search is forgotten, its marks too. */
		logview_search(jb.log, NULL, 1);
		tui_message(t, 0, "search forgotten");
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	log_found(t, logview_search(jb.log, answer, 1));
}

void
log_search(struct tui *t)
{
	if (jb.log == NULL || jb.log_run == NULL) {
		tui_message(t, 1, "no log to search: select a run");
		return;
	}
	tui_ask(t, "Find in the log: ", NULL, 0, log_searched);
}

void
log_next(struct tui *t, int forward)
{
	if (jb.log == NULL || logview_needle(jb.log) == NULL) {
		tui_message(t, 1, "nothing to find yet: / finds text in the "
		    "log");
		return;
	}
	log_found(t, logview_search_next(jb.log, forward));
}

void
log_hscroll(struct tui *t, int cols)
{
	if (jb.log == NULL)
		return;
	if (logview_wrapping(jb.log)) {
		tui_message(t, 0, "long lines are wrapped: w cuts them");
		return;
	}
	logview_hscroll(jb.log, cols);
	tui_dirty(t, DIRTY_MAIN);
}

void
log_wrap(struct tui *t)
{
	if (jb.log == NULL)
		return;
	tui_message(t, 0, "%s", logview_toggle_wrap(jb.log) ? "long lines "
	    "wrapped" : "long lines cut (h and l scroll)");
	tui_dirty(t, DIRTY_MAIN);
}

/* --- The panes. --- */

static struct list *
jobs_list(struct tui *t)
{
	return &jb.list;
}

static struct list *
runs_list(struct tui *t)
{
	return &jb.runs_list;
}

static struct list *
tree_list(struct tui *t)
{
	return &jb.tree;
}

static void
jobs_changed(struct tui *t)
{
	jobs_follow_selection(t);
}

static void
runs_changed(struct tui *t)
{
	jb.runs_auto = list_selected(&jb.runs_list) == 0 &&
	    jb.runs_list.filter == NULL;
	runs_follow_selection(t);
	tui_dirty(t, DIRTY_MAIN);
}

static void
tree_changed(struct tui *t)
{
	long	i = list_selected(&jb.tree);

	if (i < 0)
		return;
	list_filter(&jb.list, NULL, jobs_match, t);
	list_select_index(&jb.list, (size_t)jb.rows[i].job);
	jobs_follow_selection(t);
}

static void
jobs_open(struct tui *t)
{
	if (jobs_selected() != NULL)
		tui_focus(t, &pane_runs);
}

static void
runs_open(struct tui *t)
{
	if (runs_selected() != NULL)
		tui_focus(t, &pane_log);
}

static void
tree_open(struct tui *t)
{
	tree_changed(t);
	tui_focus(t, &pane_jobs);
}

static int
jobs_back_runs(struct tui *t)
{
	tui_focus(t, &pane_jobs);
	return 1;
}

static int
jobs_back_log(struct tui *t)
{
	tui_focus(t, &pane_runs);
	return 1;
}

static int
jobs_step(struct tui *t, int forward)
{
	if (t->focus == &pane_jobs && forward)
		tui_focus(t, &pane_runs);
	else if (t->focus == &pane_runs)
		tui_focus(t, forward ? &pane_log : &pane_jobs);
	else if (t->focus == &pane_log && !forward)
		tui_focus(t, &pane_runs);
	else
		return 0;
	return 1;
}

static void
log_scroll(struct tui *t, long delta)
{
	if (jb.log == NULL)
		return;
	logview_scroll(jb.log, delta);
	tui_dirty(t, DIRTY_MAIN);
}

static void
jobs_refresh(struct tui *t)
{
	/* Take the next answers as new even if they look the same. */
	free(jb.jobs_text);
	jb.jobs_text = NULL;
	free(jb.runs_text);
	jb.runs_text = NULL;
	jobs_show(t);
}

/* A click: focus the pane under it and select its row. */
static void
jobs_click(struct tui *t, int row, int col)
{
	struct layout	 lay;
	struct area	*a;
	long		 i;

	if (t->focus == &pane_jobform)
		return;
	if (t->focus == &pane_pipeline) {
		if ((i = list_at(&jb.tree, row - 1)) >= 0) {
			list_select_index(&jb.tree, (size_t)i);
			tree_changed(t);
		}
		return;
	}
	jobs_layout(t, t->area.h, t->area.w, &lay);
	a = &lay.jobs;
	if (a->h > 0 && row >= a->y && row < a->y + a->h && col >= a->x &&
	    col < a->x + a->w) {
		tui_focus(t, &pane_jobs);
		if ((i = list_at(&jb.list, row - a->y - 1)) >= 0) {
			list_select_index(&jb.list, (size_t)i);
			jobs_follow_selection(t);
		}
		return;
	}
	a = &lay.runs;
	if (a->h > 0 && row >= a->y && row < a->y + a->h && col >= a->x &&
	    col < a->x + a->w) {
		tui_focus(t, &pane_runs);
		if ((i = list_at(&jb.runs_list, row - a->y - 1)) >= 0) {
			list_select_index(&jb.runs_list, (size_t)i);
			runs_changed(t);
		}
		return;
	}
	a = &lay.log;
	if (a->h > 0 && row >= a->y && row < a->y + a->h && col >= a->x)
		tui_focus(t, &pane_log);
}

struct pane pane_jobs = {
	.name = "jobs",
	.scope = SCOPE_JOBS,
	.hints = "job-run job-new job-edit pipeline open",
	.list = jobs_list,
	.open = jobs_open,
	.changed = jobs_changed,
	.match = jobs_match,
	.reload = jobs_refresh,
	.click = jobs_click,
	.step = jobs_step,
};

struct pane pane_runs = {
	.name = "runs",
	.scope = SCOPE_JOBS,
	.hints = "open run-stop run-rerun job-run",
	.list = runs_list,
	.open = runs_open,
	.changed = runs_changed,
	.match = runs_match,
	.reload = jobs_refresh,
	.click = jobs_click,
	.back = jobs_back_runs,
	.step = jobs_step,
};

struct pane pane_log = {
	.name = "log",
	.scope = SCOPE_LOG,
	.hints = "log-follow log-search log-wrap run-stop",
	.scroll_by = log_scroll,
	.reload = jobs_refresh,
	.click = jobs_click,
	.back = jobs_back_log,
	.step = jobs_step,
};

struct pane pane_pipeline = {
	.name = "pipeline",
	.scope = SCOPE_JOBS,
	.hints = "open pipeline job-run",
	.list = tree_list,
	.open = tree_open,
	.changed = tree_changed,
	.match = tree_match,
	.reload = jobs_refresh,
	.click = jobs_click,
	.back = jobs_back_runs,
};
