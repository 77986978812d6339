/*
 * The job form: a new job, or the selected one edited. Its script is
 * picked from the project's files (walked through the files API in the
 * background and filtered as the user types), its runtime and profile
 * from the core's lists, its schedule is manual, cron (with a preview of
 * the next five fire times, asked of the core a moment after typing stops,
 * and the core's complaint shown at the field it names) or after another
 * job. Every field is checked as it is typed; what only the core can tell
 * comes back from it and is shown at its field.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "async.h"
#include "draw.h"
#include "size.h"
#include "theme.h"
#include "tui.h"
#include "valid.h"
#include "xmalloc.h"

#define FORM_FILES_MAX		5000	/* scripts offered */
#define FORM_DIRS_MAX		500	/* directories walked */
#define FORM_DEPTH_MAX		8
#define FORM_MATCHES_SHOWN	6
#define FORM_PREVIEW		5
#define FORM_DEBOUNCE_MS	300
#define FORM_ROWS_MAX		64

enum field {
	F_NAME,
	F_SCRIPT,
	F_ARGS,
	F_RUNTIME,
	F_PROFILE,
	F_SCHEDULE,
	F_CRON,
	F_TZ,
	F_PARENT,
	F_TIMEOUT,
	F_RETRIES,
	F_BACKOFF,
	F_COUNT
};

enum schedule { S_MANUAL, S_CRON, S_AFTER, S_COUNT };

static const char *const labels[F_COUNT] = {
	[F_NAME] = "Name",
	[F_SCRIPT] = "Script",
	[F_ARGS] = "Arguments",
	[F_RUNTIME] = "Runtime",
	[F_PROFILE] = "Profile",
	[F_SCHEDULE] = "Schedule",
	[F_CRON] = "Cron",
	[F_TZ] = "Time zone",
	[F_PARENT] = "After job",
	[F_TIMEOUT] = "Timeout",
	[F_RETRIES] = "Retries",
	[F_BACKOFF] = "Retry after",
};

static const char *const schedules[S_COUNT] = {
	[S_MANUAL] = "manual: when r is pressed",
	[S_CRON] = "cron: on a schedule",
	[S_AFTER] = "after a job succeeds",
};

/* A list of names to choose from; "" (the default) comes first. */
struct choice {
	char	**names;
	char	**about;	/* what each is, "" if not known */
	size_t	  n;
	char	 *value;
};

/* What the form is made of on screen, row by row. */
enum row_kind { R_FIELD, R_ERROR, R_MATCH, R_PREVIEW, R_NOTE };

struct row {
	enum row_kind	 kind;
	int		 field;
	size_t		 index;
};

static struct {
	int		 open;
	int		 editing;
	char		*job_id;
	char		*job_name;	/* as it was: not its own parent */
	int		 field;
	struct input	 in[F_COUNT];
	char		*errors[F_COUNT];
	int		 touched[F_COUNT];
	char		*general;	/* the core's error for no one field */
	enum schedule	 schedule;
	struct choice	 runtimes, profiles, parents;
	uint64_t	 runtimes_call, profiles_call, save_call;

	char		**files;
	size_t		 nfiles;
	char		**dirs;		/* still to list */
	size_t		 ndirs, dirs_seen;
	char		*dir;		/* being listed */
	uint64_t	 files_call;
	int		 files_done;
	char		*files_error;
	size_t		*matches;
	size_t		 nmatches, match;
	int		 chose;		/* moved in the list of scripts */

	uv_timer_t	 debounce;
	int		 timer_ready;
	uint64_t	 cron_call;
	char		*preview[FORM_PREVIEW];
	size_t		 npreview;
	char		*preview_zone;
	int		 previewing;

	long		 top;		/* first row shown */
} fm;

static const char *
form_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItem(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static void
form_set(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? xstrdup(value) : NULL;
}

static void
choice_clear(struct choice *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++) {
		free(c->names[i]);
		free(c->about[i]);
	}
	free(c->names);
	free(c->about);
	c->names = c->about = NULL;
	c->n = 0;
}

static void
choice_add(struct choice *c, const char *name, const char *about)
{
	size_t	i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->names[i], name) == 0) {
			if (about != NULL) {
				free(c->about[i]);
				c->about[i] = xstrdup(about);
			}
			return;
		}
	}
	c->names = xreallocarray(c->names, c->n + 1, sizeof *c->names);
	c->about = xreallocarray(c->about, c->n + 1, sizeof *c->about);
	c->names[c->n] = xstrdup(name);
	c->about[c->n++] = xstrdup(about != NULL ? about : "");
}

/* What the chosen one is, "" if not known. */
static const char *
choice_about(const struct choice *c)
{
	size_t	i;

	for (i = 0; i < c->n && c->value != NULL; i++) {
		if (strcmp(c->names[i], c->value) == 0)
			return c->about[i];
	}
	return "";
}

/* Move the choice by delta over its names, going round. */
static void
choice_step(struct choice *c, int delta)
{
	size_t	i, at = 0;

	if (c->n == 0)
		return;
	for (i = 0; i < c->n; i++) {
		if (c->value != NULL && strcmp(c->names[i], c->value) == 0)
			at = i;
	}
	at = (at + c->n + (size_t)(delta % (int)c->n + (int)c->n)) % c->n;
	form_set(&c->value, c->names[at]);
}

static int
form_visible(int f)
{
	if (f == F_CRON || f == F_TZ)
		return fm.schedule == S_CRON;
	if (f == F_PARENT)
		return fm.schedule == S_AFTER;
	return 1;
}

static int
form_is_choice(int f)
{
	return f == F_RUNTIME || f == F_PROFILE || f == F_SCHEDULE ||
	    f == F_PARENT;
}

/* --- Arguments, as a shell would split them. --- */

/*
 * Split s into words: blanks separate them, '...' is literal, "..." keeps
 * blanks with \" and \\ escaped, a backslash outside quotes takes the next
 * character as it is. Return a JSON array, or NULL with *cause.
 */
static cJSON *
form_split(const char *s, char **cause)
{
	cJSON	*a = cJSON_CreateArray();
	char	*word = xmalloc(strlen(s) + 1);
	size_t	 n = 0;
	int	 in_word = 0;
	char	 q = 0;

	for (; *s != '\0'; s++) {
		if (q == '\'') {
			if (*s == '\'')
				q = 0;
			else
				word[n++] = *s;
			continue;
		}
		if (q == '"') {
			if (*s == '"')
				q = 0;
			else if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				word[n++] = *++s;
			else
				word[n++] = *s;
			continue;
		}
		if (*s == ' ' || *s == '\t') {
			if (in_word) {
				word[n] = '\0';
				cJSON_AddItemToArray(a,
				    cJSON_CreateString(word));
				n = 0;
				in_word = 0;
			}
			continue;
		}
		in_word = 1;
		if (*s == '\'' || *s == '"')
			q = *s;
		else if (*s == '\\' && s[1] != '\0')
			word[n++] = *++s;
		else
			word[n++] = *s;
	}
	if (q != 0) {
		*cause = xasprintf("a %s quote is not closed",
		    q == '\'' ? "single" : "double");
		free(word);
		cJSON_Delete(a);
		return NULL;
	}
	if (in_word) {
		word[n] = '\0';
		cJSON_AddItemToArray(a, cJSON_CreateString(word));
	}
	free(word);
	return a;
}

/* The arguments as they would be typed, quoted where needed. */
static void
form_join(const cJSON *args, struct input *in)
{
	const cJSON	*v;
	char		 buf[INPUT_MAX];
	size_t		 n = 0;
	const char	*p;

	buf[0] = '\0';
	cJSON_ArrayForEach(v, args) {
		if (!cJSON_IsString(v))
			continue;
		p = v->valuestring;
		if (n > 0 && n + 1 < sizeof buf)
			buf[n++] = ' ';
		if (*p != '\0' && strcspn(p, " \t'\"\\") == strlen(p)) {
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", p);
		} else {
			if (n + 1 < sizeof buf)
				buf[n++] = '\'';
			for (; *p != '\0' && n + 5 < sizeof buf; p++) {
				if (*p == '\'') {
					memcpy(buf + n, "'\\''", 4);
					n += 4;
				} else
					buf[n++] = *p;
			}
			if (n + 1 < sizeof buf)
				buf[n++] = '\'';
		}
		if (n >= sizeof buf)
			n = sizeof buf - 1;
		buf[n] = '\0';
	}
	input_set(in, buf);
}

/* Seconds as typed: 90, 90s, 15m, 2h, 1d. 0 or -1 with *cause. */
static int
form_seconds(const char *s, long max, long *out, char **cause)
{
	char	*end;
	long	 v, unit = 1;

	while (*s == ' ')
		s++;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || errno != 0 || v < 0)
		goto bad;
	while (*end == ' ')
		end++;
	switch (*end) {
	case '\0':
		break;
	case 's':
		end++;
		break;
	case 'm':
		unit = 60;
		end++;
		break;
	case 'h':
		unit = 3600;
		end++;
		break;
	case 'd':
		unit = 86400;
		end++;
		break;
	default:
		goto bad;
	}
	if (*end != '\0' || v > max / unit)
		goto bad;
	*out = v * unit;
	return 0;
bad:
	*cause = xasprintf("a time such as 90, 90s, 15m or 2h, at most %ld s",
	    max);
	return -1;
}

static int
form_number(const char *s, long min, long max, long *out, char **cause)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		*cause = xasprintf("a whole number from %ld to %ld", min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int	form_dropdown(void);

/* --- Checking. --- */

static int
form_has_file(const char *path)
{
	size_t	i;

	for (i = 0; i < fm.nfiles; i++) {
		if (strcmp(fm.files[i], path) == 0)
			return 1;
	}
	return 0;
}

/* Check every field as it is; the cron preview checks the cron's. */
static int
form_check(void)
{
	const char	*s;
	cJSON		*a;
	long		 v;
	int		 ok = 1, f;
	char		*err;

	for (f = 0; f < F_COUNT; f++) {
		if (f == F_CRON || f == F_TZ)
			continue;	/* the preview says */
		free(fm.errors[f]);
		fm.errors[f] = NULL;
	}
	err = NULL;
	if (valid_identifier("a job name", fm.in[F_NAME].text, VALID_NAME_MAX,
	    &err) != 0)
		fm.errors[F_NAME] = err;
	s = fm.in[F_SCRIPT].text;
	if (*s == '\0')
		fm.errors[F_SCRIPT] = xstrdup("pick the script the job runs "
		    "from the project's files");
	else if (fm.files_done && fm.files_error == NULL &&
	    !form_has_file(s) && !form_dropdown())
		fm.errors[F_SCRIPT] = xasprintf("'%s' is not a file of the "
		    "project: pick one from the list", s);
	err = NULL;
	if ((a = form_split(fm.in[F_ARGS].text, &err)) == NULL)
		fm.errors[F_ARGS] = err;
	cJSON_Delete(a);
	if (fm.schedule == S_CRON && *fm.in[F_CRON].text == '\0') {
		free(fm.errors[F_CRON]);
		fm.errors[F_CRON] = xstrdup("a cron expression: minute hour "
		    "day month weekday, e.g. 0 3 * * *");
	}
	if (fm.schedule == S_AFTER && (fm.parents.value == NULL ||
	    *fm.parents.value == '\0'))
		fm.errors[F_PARENT] = xstrdup(fm.parents.n == 0 ? "there is "
		    "no other job to run after" : "choose the job this one "
		    "runs after");
	err = NULL;
	if (form_seconds(fm.in[F_TIMEOUT].text, 366L * 86400, &v, &err) != 0)
		fm.errors[F_TIMEOUT] = err;
	err = NULL;
	if (form_number(fm.in[F_RETRIES].text, 0, 100, &v, &err) != 0)
		fm.errors[F_RETRIES] = err;
	err = NULL;
	if (form_seconds(fm.in[F_BACKOFF].text, 86400, &v, &err) != 0)
		fm.errors[F_BACKOFF] = err;
	for (f = 0; f < F_COUNT; f++) {
		if (form_visible(f) && fm.errors[f] != NULL)
			ok = 0;
	}
	return ok;
}

/* --- The script picker. --- */

static int
form_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
form_match(void)
{
	const char	*text = fm.in[F_SCRIPT].text;
	char		 needle[INPUT_MAX];
	size_t		 i;

	for (i = 0; text[i] != '\0' && i + 1 < sizeof needle; i++)
		needle[i] = (char)tolower((unsigned char)text[i]);
	needle[i] = '\0';
	fm.nmatches = 0;
	fm.matches = xreallocarray(fm.matches, fm.nfiles + 1,
	    sizeof *fm.matches);
	for (i = 0; i < fm.nfiles; i++) {
		if (list_contains(fm.files[i], needle))
			fm.matches[fm.nmatches++] = i;
	}
	if (fm.match >= fm.nmatches)
		fm.match = 0;
}

/* Whether the list of scripts is shown under the field. */
static int
form_dropdown(void)
{
	return fm.field == F_SCRIPT && fm.nmatches > 0 &&
	    !(fm.nmatches == 1 && strcmp(fm.files[fm.matches[0]],
	    fm.in[F_SCRIPT].text) == 0);
}

static void	form_list_next(struct tui *);

static int
form_skip_dir(const char *name)
{
	return name[0] == '.' || strcmp(name, "__pycache__") == 0 ||
	    strcmp(name, "node_modules") == 0;
}

static void
form_on_files(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	const cJSON	*item, *token;
	const char	*type, *path, *p;
	char		*esc, *eproj, *etok, *request;
	int		 depth;

	if (id != fm.files_call)
		return;
	fm.files_call = 0;
	if (status != 200) {
		form_set(&fm.files_error, status == 0 ? cause :
		    form_str(answer, "message"));
		fm.files_done = 1;
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(answer, "files")) {
		type = form_str(item, "type");
		path = form_str(item, "path");
		if (strcmp(type, "file") == 0 || strcmp(type, "link") == 0) {
			if (fm.nfiles < FORM_FILES_MAX) {
				fm.files = xreallocarray(fm.files,
				    fm.nfiles + 1, sizeof *fm.files);
				fm.files[fm.nfiles++] = xstrdup(path);
			}
		} else if (strcmp(type, "dir") == 0 &&
		    !form_skip_dir(form_str(item, "name")) &&
		    fm.dirs_seen < FORM_DIRS_MAX) {
			for (depth = 1, p = path; *p != '\0'; p++)
				depth += *p == '/';
			if (depth > FORM_DEPTH_MAX)
				continue;
			fm.dirs = xreallocarray(fm.dirs, fm.ndirs + 1,
			    sizeof *fm.dirs);
			fm.dirs[fm.ndirs++] = xstrdup(path);
			fm.dirs_seen++;
		}
	}
	token = cJSON_GetObjectItem(answer, "next_page_token");
	if (cJSON_IsString(token) && fm.nfiles < FORM_FILES_MAX) {
		eproj = tui_escape(t->project_id);
		esc = tui_escape(fm.dir);
		etok = tui_escape(token->valuestring);
		request = xasprintf("/api/v1/projects/%s/files?path=%s&"
		    "page_size=1000&page_token=%s", eproj, esc, etok);
		free(etok);
		fm.files_call = async_call(t->async, "GET", request, NULL,
		    form_on_files, t);
		free(request);
		free(esc);
		free(eproj);
		return;
	}
	form_list_next(t);
}

/* List the next directory of the walk, or finish it. */
static void
form_list_next(struct tui *t)
{
	char	*eproj, *esc, *request;

	if (fm.ndirs == 0 || fm.nfiles >= FORM_FILES_MAX) {
		fm.files_done = 1;
		qsort(fm.files, fm.nfiles, sizeof *fm.files, form_cmp);
		form_match();
		form_check();
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	free(fm.dir);
	fm.dir = fm.dirs[0];
	memmove(fm.dirs, fm.dirs + 1, --fm.ndirs * sizeof *fm.dirs);
	eproj = tui_escape(t->project_id);
	esc = tui_escape(fm.dir);
	request = xasprintf("/api/v1/projects/%s/files?path=%s&page_size=1000",
	    eproj, esc);
	fm.files_call = async_call(t->async, "GET", request, NULL,
	    form_on_files, t);
	free(request);
	free(esc);
	free(eproj);
}

/* --- The cron preview. --- */

static void
form_preview_clear(void)
{
	size_t	i;

	for (i = 0; i < fm.npreview; i++)
		free(fm.preview[i]);
	fm.npreview = 0;
	free(fm.preview_zone);
	fm.preview_zone = NULL;
}

static void
form_on_cron(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	const cJSON	*v;
	const char	*msg;
	time_t		 when;
	struct tm	 tm;
	char		 buf[64];

	if (id != fm.cron_call)
		return;
	fm.cron_call = 0;
	fm.previewing = 0;
	form_preview_clear();
	free(fm.errors[F_CRON]);
	free(fm.errors[F_TZ]);
	fm.errors[F_CRON] = fm.errors[F_TZ] = NULL;
	if (status != 200) {
		msg = status == 0 ? cause : form_str(answer, "message");
		if (strstr(msg, "time zone") != NULL)
			fm.errors[F_TZ] = xstrdup(msg);
		else
			fm.errors[F_CRON] = xstrdup(msg);
		fm.touched[F_CRON] = fm.touched[F_TZ] = 1;
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(answer, "next_ms")) {
		if (fm.npreview == FORM_PREVIEW || !cJSON_IsNumber(v))
			break;
		when = (time_t)(v->valuedouble / 1000);
		localtime_r(&when, &tm);
		strftime(buf, sizeof buf, "%a %Y-%m-%d %H:%M %Z", &tm);
		fm.preview[fm.npreview++] = xstrdup(buf);
	}
	fm.preview_zone = xstrdup(form_str(answer, "timezone"));
	tui_dirty(t, DIRTY_MAIN);
}

static void
form_on_debounce(uv_timer_t *h)
{
	struct tui	*t = h->data;
	char		*expr, *tz, *path;

	if (!fm.open || fm.schedule != S_CRON)
		return;
	if (fm.cron_call != 0)
		async_cancel(t->async, fm.cron_call);
	fm.cron_call = 0;
	if (*fm.in[F_CRON].text == '\0') {
		fm.previewing = 0;
		form_preview_clear();
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	expr = tui_escape(fm.in[F_CRON].text);
	tz = tui_escape(fm.in[F_TZ].text);
	path = xasprintf("/api/v1/cron?expr=%s&count=%d%s%s", expr,
	    FORM_PREVIEW, *fm.in[F_TZ].text != '\0' ? "&timezone=" : "",
	    *fm.in[F_TZ].text != '\0' ? tz : "");
	fm.cron_call = async_call(t->async, "GET", path, NULL, form_on_cron,
	    t);
	free(path);
	free(tz);
	free(expr);
}

/* The cron or its zone changed: preview it once typing pauses. */
static void
form_preview_soon(struct tui *t)
{
	if (!fm.timer_ready) {
		uv_timer_init(t->loop, &fm.debounce);
		fm.debounce.data = t;
		fm.timer_ready = 1;
	}
	fm.previewing = 1;
	uv_timer_start(&fm.debounce, form_on_debounce, FORM_DEBOUNCE_MS, 0);
}

/* --- Choices from the core. --- */

static void
form_on_runtimes(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	const cJSON	*r;
	char		 about[128];

	if (id != fm.runtimes_call)
		return;
	fm.runtimes_call = 0;
	if (status != 200) {
		tui_message(t, 1, "runtimes: %s", status == 0 ? cause :
		    form_str(answer, "message"));
		return;
	}
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(answer, "runtimes")) {
		snprintf(about, sizeof about, "%s %s", form_str(r, "kernel"),
		    form_str(r, "version"));
		choice_add(&fm.runtimes, form_str(r, "name"), about);
	}
	tui_dirty(t, DIRTY_MAIN);
}

static void
form_on_profiles(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	const cJSON	*p;
	char		 about[128], mem[SIZE_FORMAT_MAX];

	if (id != fm.profiles_call)
		return;
	fm.profiles_call = 0;
	if (status != 200) {
		tui_message(t, 1, "profiles: %s", status == 0 ? cause :
		    form_str(answer, "message"));
		return;
	}
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(answer, "profiles")) {
		size_format((uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(p,
		    "memory_mb")) << 20, mem, sizeof mem);
		snprintf(about, sizeof about, "%g vCPU, %s%s",
		    cJSON_GetNumberValue(cJSON_GetObjectItem(p, "vcpu")), mem,
		    cJSON_GetNumberValue(cJSON_GetObjectItem(p, "gpus")) > 0 ?
		    ", GPUs" : "");
		choice_add(&fm.profiles, form_str(p, "name"), about);
	}
	tui_dirty(t, DIRTY_MAIN);
}

/* --- Opening and closing. --- */

void
jobform_reset(struct tui *t)
{
	size_t	i;
	int	f;

	if (t->async != NULL) {
		async_cancel(t->async, fm.runtimes_call);
		async_cancel(t->async, fm.profiles_call);
		async_cancel(t->async, fm.save_call);
		async_cancel(t->async, fm.files_call);
		async_cancel(t->async, fm.cron_call);
	}
	fm.runtimes_call = fm.profiles_call = fm.save_call = 0;
	fm.files_call = fm.cron_call = 0;
	if (fm.timer_ready)
		uv_timer_stop(&fm.debounce);
	for (f = 0; f < F_COUNT; f++) {
		free(fm.errors[f]);
		fm.errors[f] = NULL;
		fm.touched[f] = 0;
		input_set(&fm.in[f], "");
	}
	form_set(&fm.general, NULL);
	form_set(&fm.job_id, NULL);
	form_set(&fm.job_name, NULL);
	choice_clear(&fm.runtimes);
	choice_clear(&fm.profiles);
	choice_clear(&fm.parents);
	form_set(&fm.runtimes.value, NULL);
	form_set(&fm.profiles.value, NULL);
	form_set(&fm.parents.value, NULL);
	for (i = 0; i < fm.nfiles; i++)
		free(fm.files[i]);
	free(fm.files);
	fm.files = NULL;
	fm.nfiles = 0;
	for (i = 0; i < fm.ndirs; i++)
		free(fm.dirs[i]);
	free(fm.dirs);
	fm.dirs = NULL;
	fm.ndirs = fm.dirs_seen = 0;
	form_set(&fm.dir, NULL);
	form_set(&fm.files_error, NULL);
	fm.files_done = 0;
	free(fm.matches);
	fm.matches = NULL;
	fm.nmatches = fm.match = 0;
	fm.chose = 0;
	form_preview_clear();
	fm.previewing = 0;
	fm.open = fm.editing = 0;
	fm.field = F_NAME;
	fm.schedule = S_MANUAL;
	fm.top = 0;
}

void
jobform_open(struct tui *t, const cJSON *job)
{
	const cJSON	*s, *j;
	const char	*type;
	char		 num[32];

	jobform_reset(t);
	fm.open = 1;
	choice_add(&fm.runtimes, "", NULL);
	choice_add(&fm.profiles, "", NULL);
	form_set(&fm.runtimes.value, "");
	form_set(&fm.profiles.value, "");
	input_set(&fm.in[F_TIMEOUT], "0");
	input_set(&fm.in[F_RETRIES], "0");
	input_set(&fm.in[F_BACKOFF], "10");
	if (job != NULL) {
		fm.editing = 1;
		form_set(&fm.job_id, form_str(job, "id"));
		form_set(&fm.job_name, form_str(job, "name"));
		input_set(&fm.in[F_NAME], form_str(job, "name"));
		input_set(&fm.in[F_SCRIPT], form_str(job, "script"));
		form_join(cJSON_GetObjectItem(job, "arguments"),
		    &fm.in[F_ARGS]);
		form_set(&fm.runtimes.value, form_str(job, "runtime"));
		choice_add(&fm.runtimes, fm.runtimes.value, NULL);
		form_set(&fm.profiles.value, form_str(job, "profile"));
		choice_add(&fm.profiles, fm.profiles.value, NULL);
		s = cJSON_GetObjectItem(job, "schedule");
		type = form_str(s, "type");
		if (strcmp(type, "cron") == 0) {
			fm.schedule = S_CRON;
			input_set(&fm.in[F_CRON], form_str(s, "cron"));
			input_set(&fm.in[F_TZ], form_str(s, "timezone"));
		} else if (strcmp(type, "dependent") == 0) {
			fm.schedule = S_AFTER;
			form_set(&fm.parents.value, form_str(s, "parent"));
		}
		snprintf(num, sizeof num, "%.0f", cJSON_GetNumberValue(
		    cJSON_GetObjectItem(job, "timeout_seconds")));
		input_set(&fm.in[F_TIMEOUT], num);
		snprintf(num, sizeof num, "%.0f", cJSON_GetNumberValue(
		    cJSON_GetObjectItem(job, "retries")));
		input_set(&fm.in[F_RETRIES], num);
		snprintf(num, sizeof num, "%.0f", cJSON_GetNumberValue(
		    cJSON_GetObjectItem(job, "retry_backoff_seconds")));
		input_set(&fm.in[F_BACKOFF], num);
	}
	cJSON_ArrayForEach(j, jobs_all()) {
		if (fm.job_name == NULL || strcmp(form_str(j, "name"),
		    fm.job_name) != 0)
			choice_add(&fm.parents, form_str(j, "name"), NULL);
	}
	if (fm.schedule == S_AFTER && fm.parents.value != NULL)
		choice_add(&fm.parents, fm.parents.value, NULL);
	if (fm.parents.value == NULL && fm.parents.n > 0)
		form_set(&fm.parents.value, fm.parents.names[0]);
	fm.runtimes_call = async_call(t->async, "GET", "/api/v1/runtimes",
	    NULL, form_on_runtimes, t);
	fm.profiles_call = async_call(t->async, "GET", "/api/v1/profiles",
	    NULL, form_on_profiles, t);
	fm.dirs = xreallocarray(fm.dirs, 1, sizeof *fm.dirs);
	fm.dirs[fm.ndirs++] = xstrdup("");
	form_list_next(t);
	form_check();
	if (fm.schedule == S_CRON)
		form_preview_soon(t);
	tui_focus(t, &pane_jobform);
}

void
jobform_done(struct tui *t)
{
	jobform_reset(t);
	if (fm.timer_ready)
		uv_close((uv_handle_t *)&fm.debounce, NULL);
	fm.timer_ready = 0;
}

static void
form_close(struct tui *t)
{
	jobform_reset(t);
	tui_focus(t, &pane_jobs);
}

/* --- Saving. --- */

/* Which field a message of the core's is about; -1 for none. */
static int
form_field_of(const char *msg)
{
	static const struct {
		const char	*word;
		int		 field;
	} words[] = {
		{ "time zone", F_TZ },
		{ "parent", F_PARENT },
		{ "follow", F_PARENT },
		{ "cycle", F_PARENT },
		{ "cron", F_CRON },
		{ "schedule", F_CRON },
		{ "script", F_SCRIPT },
		{ "runtime", F_RUNTIME },
		{ "profile", F_PROFILE },
		{ "argument", F_ARGS },
		{ "timeout", F_TIMEOUT },
		{ "backoff", F_BACKOFF },
		{ "retries", F_RETRIES },
		{ "name", F_NAME },
		{ "already exists", F_NAME },
	};
	size_t	i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcasestr(msg, words[i].word) != NULL &&
		    form_visible(words[i].field))
			return words[i].field;
	}
	return -1;
}

static void
form_on_save(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	char		*msg, *jid;
	int		 f;

	if (id != fm.save_call)
		return;
	fm.save_call = 0;
	if (status != 200 && status != 201) {
		msg = status == 0 ? xstrdup(cause) :
		    client_error_message(status, answer);
		tui_message(t, 1, "%s", msg);
		if ((f = form_field_of(msg)) >= 0) {
			free(fm.errors[f]);
			fm.errors[f] = msg;
			fm.touched[f] = 1;
			fm.field = f;
		} else {
			free(fm.general);
			fm.general = msg;
		}
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	tui_message(t, 0, "%s job %s", status == 201 ? "created" : "saved",
	    form_str(answer, "name"));
	jid = xstrdup(form_str(answer, "id"));
	jobform_reset(t);
	jobs_saved(t, jid);
	free(jid);
}

static void
form_submit(struct tui *t)
{
	cJSON	*body, *sched;
	char	*err = NULL, *path, *eproj, *eid;
	long	 v;
	int	 f;

	for (f = 0; f < F_COUNT; f++)
		fm.touched[f] = 1;
	if (!form_check() || (fm.schedule == S_CRON &&
	    (fm.errors[F_CRON] != NULL || fm.errors[F_TZ] != NULL))) {
		for (f = 0; f < F_COUNT; f++) {
			if (form_visible(f) && fm.errors[f] != NULL) {
				fm.field = f;
				break;
			}
		}
		tui_message(t, 1, "the form has errors: see the fields in red");
		return;
	}
	if (fm.save_call != 0)
		return;
	form_set(&fm.general, NULL);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", fm.in[F_NAME].text);
	cJSON_AddStringToObject(body, "script", fm.in[F_SCRIPT].text);
	cJSON_AddItemToObject(body, "arguments", form_split(fm.in[F_ARGS].text,
	    &err));
	cJSON_AddStringToObject(body, "runtime", fm.runtimes.value != NULL ?
	    fm.runtimes.value : "");
	cJSON_AddStringToObject(body, "profile", fm.profiles.value != NULL ?
	    fm.profiles.value : "");
	sched = cJSON_AddObjectToObject(body, "schedule");
	switch (fm.schedule) {
	case S_CRON:
		cJSON_AddStringToObject(sched, "type", "cron");
		cJSON_AddStringToObject(sched, "cron", fm.in[F_CRON].text);
		if (*fm.in[F_TZ].text != '\0')
			cJSON_AddStringToObject(sched, "timezone",
			    fm.in[F_TZ].text);
		break;
	case S_AFTER:
		cJSON_AddStringToObject(sched, "type", "dependent");
		cJSON_AddStringToObject(sched, "parent", fm.parents.value);
		break;
	default:
		cJSON_AddStringToObject(sched, "type", "manual");
		break;
	}
	form_seconds(fm.in[F_TIMEOUT].text, 366L * 86400, &v, &err);
	cJSON_AddNumberToObject(body, "timeout_seconds", (double)v);
	form_number(fm.in[F_RETRIES].text, 0, 100, &v, &err);
	cJSON_AddNumberToObject(body, "retries", (double)v);
	form_seconds(fm.in[F_BACKOFF].text, 86400, &v, &err);
	cJSON_AddNumberToObject(body, "retry_backoff_seconds", (double)v);
	eproj = tui_escape(t->project_id);
	if (fm.editing) {
		eid = tui_escape(fm.job_id);
		path = xasprintf("/api/v1/projects/%s/jobs/%s", eproj, eid);
		free(eid);
	} else
		path = xasprintf("/api/v1/projects/%s/jobs", eproj);
	fm.save_call = async_call(t->async, fm.editing ? "PATCH" : "POST",
	    path, body, form_on_save, t);
	free(path);
	free(eproj);
	free(err);
	cJSON_Delete(body);
	tui_message(t, 0, "%s %s...", fm.editing ? "saving" : "creating",
	    fm.in[F_NAME].text);
}

/* --- Keys. --- */

static void
form_move(int forward)
{
	int	f = fm.field, i;

	for (i = 0; i < F_COUNT; i++) {
		f = (f + (forward ? 1 : F_COUNT - 1)) % F_COUNT;
		if (form_visible(f))
			break;
	}
	fm.field = f;
}

/*
 * Take the highlighted script; 1 if one was taken. Tab (not asked)
 * takes one only after something was typed or chosen.
 */
static int
form_take_match(int asked)
{
	if (!form_dropdown())
		return 0;
	if (!asked && fm.in[F_SCRIPT].len == 0 && !fm.chose)
		return 0;
	input_set(&fm.in[F_SCRIPT], fm.files[fm.matches[fm.match]]);
	fm.touched[F_SCRIPT] = 1;
	form_match();
	form_check();
	return 1;
}

static int
form_key(struct tui *t, int key)
{
	enum input_result	r;
	int			f = fm.field, delta = 0;

	if (!fm.open)
		return 0;
	switch (key) {
	case KEYS_ESC:
		form_close(t);
		tui_message(t, 0, "nothing saved");
		return 1;
	case '\t':
		form_take_match(0);
		form_move(1);
		break;
	case KEYS_SPECIAL | KEY_BTAB:
		form_move(0);
		break;
	case KEYS_SPECIAL | KEY_DOWN:
		if (form_dropdown() && fm.match + 1 < fm.nmatches) {
			fm.match++;
			fm.chose = 1;
		} else
			form_move(1);
		break;
	case KEYS_SPECIAL | KEY_UP:
		if (form_dropdown() && fm.match > 0) {
			fm.match--;
			fm.chose = 1;
		} else
			form_move(0);
		break;
	case '\r':
	case '\n':
	case KEYS_SPECIAL | KEY_ENTER:
		if (!form_take_match(1))
			form_submit(t);
		break;
	default:
		if (form_is_choice(f)) {
			if (key == ' ' || key == 'l' ||
			    key == (KEYS_SPECIAL | KEY_RIGHT))
				delta = 1;
			else if (key == 'h' || key == (KEYS_SPECIAL | KEY_LEFT))
				delta = -1;
			else
				return 1;
			if (f == F_RUNTIME)
				choice_step(&fm.runtimes, delta);
			else if (f == F_PROFILE)
				choice_step(&fm.profiles, delta);
			else if (f == F_PARENT)
				choice_step(&fm.parents, delta);
			else {
				fm.schedule = (enum schedule)((fm.schedule +
				    S_COUNT + delta) % S_COUNT);
				if (fm.schedule == S_CRON)
					form_preview_soon(t);
			}
			fm.touched[f] = 1;
			form_check();
			break;
		}
		r = input_key(&fm.in[f], key);
		if (r != INPUT_EDITED)
			break;
		fm.touched[f] = 1;
		if (f == F_SCRIPT) {
			fm.match = 0;
			form_match();
		}
		if (f == F_CRON || f == F_TZ)
			form_preview_soon(t);
		break;
	}
	form_check();
	tui_dirty(t, DIRTY_MAIN | DIRTY_STATUS);
	return 1;
}

/* --- Drawing. --- */

static size_t
form_rows(struct row *rows)
{
	size_t	n = 0, i;
	int	f;

	for (f = 0; f < F_COUNT && n + 16 < FORM_ROWS_MAX; f++) {
		if (!form_visible(f))
			continue;
		rows[n++] = (struct row){ R_FIELD, f, 0 };
		if (fm.errors[f] != NULL && fm.touched[f] &&
		    (f != F_NAME || fm.in[F_NAME].len > 0 ||
		    fm.field != F_NAME))
			rows[n++] = (struct row){ R_ERROR, f, 0 };
		if (f == F_SCRIPT && form_dropdown()) {
			size_t	first = fm.match >= FORM_MATCHES_SHOWN ?
			    fm.match - FORM_MATCHES_SHOWN + 1 : 0;

			for (i = first; i < fm.nmatches && i < first +
			    FORM_MATCHES_SHOWN; i++)
				rows[n++] = (struct row){ R_MATCH, f, i };
		}
		if (f == F_SCRIPT && fm.field == F_SCRIPT && !fm.files_done)
			rows[n++] = (struct row){ R_NOTE, f, 0 };
		if (f == F_TZ) {
			if (fm.npreview > 0 && fm.errors[F_CRON] == NULL &&
			    fm.errors[F_TZ] == NULL) {
				for (i = 0; i < fm.npreview; i++)
					rows[n++] = (struct row){ R_PREVIEW,
					    f, i };
			} else if (fm.previewing)
				rows[n++] = (struct row){ R_NOTE, f, 0 };
		}
	}
	if (fm.general != NULL)
		rows[n++] = (struct row){ R_ERROR, -1, 0 };
	rows[n++] = (struct row){ R_NOTE, -1, 0 };
	return n;
}

static const char *
form_choice_text(int f, char *buf, size_t len)
{
	const char	*v;

	switch (f) {
	case F_RUNTIME:
		v = fm.runtimes.value;
		if (v == NULL || *v == '\0')
			return "(the project's, else by the script's "
			    "extension)";
		snprintf(buf, len, "%s  %s", v, choice_about(&fm.runtimes));
		return buf;
	case F_PROFILE:
		v = fm.profiles.value;
		if (v == NULL || *v == '\0')
			return "(the project's, else small)";
		snprintf(buf, len, "%s  %s", v, choice_about(&fm.profiles));
		return buf;
	case F_PARENT:
		v = fm.parents.value;
		return v != NULL && *v != '\0' ? v : "(no other job)";
	default:
		snprintf(buf, len, "%s", schedules[fm.schedule]);
		return buf;
	}
}

/* Labels are this wide, narrower on a narrow screen. */
static int
form_label_width(int width)
{
	return width >= 60 ? 14 : 10;
}

static void
form_draw_row(struct tui *t, WINDOW *w, int y, int width,
    const struct row *r)
{
	int		 lw = form_label_width(width), fx = lw + 2;
	int		 fw = width - fx - 1, focused;
	char		 buf[256], label[320];
	const char	*text;

	if (fw < 4)
		fw = 4;
	switch (r->kind) {
	case R_FIELD:
		focused = fm.field == r->field;
		if (focused)
			draw_text(w, y, 0, 1, ">", -1, ROLE_ACCENT, 0);
		draw_text(w, y, 1, lw, labels[r->field], -1, focused ?
		    ROLE_ACCENT : ROLE_DEFAULT, DRAW_ELLIPSIS);
		if (form_is_choice(r->field)) {
			text = form_choice_text(r->field, buf, sizeof buf);
			draw_fill(w, y, fx, fw, ROLE_INPUT);
			snprintf(label, sizeof label, "%s %s %s", draw_utf8 ?
			    "\xe2\x97\x80" : "<", text, draw_utf8 ?
			    "\xe2\x96\xb6" : ">");
			draw_text(w, y, fx, fw, label, -1, ROLE_INPUT,
			    DRAW_ELLIPSIS);
		} else
			input_draw(&fm.in[r->field], w, y, fx, fw, ROLE_INPUT,
			    focused && t->prompt == PROMPT_NONE);
		break;
	case R_ERROR:
		text = r->field >= 0 ? fm.errors[r->field] : fm.general;
		draw_text(w, y, r->field >= 0 ? fx : 1, r->field >= 0 ? fw :
		    width - 2, text, -1, ROLE_ERROR, DRAW_ELLIPSIS);
		break;
	case R_MATCH:
		draw_fill(w, y, fx, fw, r->index == fm.match ? ROLE_SELECTION :
		    ROLE_DEFAULT);
		draw_text(w, y, fx + 1, fw - 1, fm.files[fm.matches[r->index]],
		    -1, r->index == fm.match ? ROLE_SELECTION : ROLE_DIM,
		    DRAW_ELLIPSIS);
		if (r->index == fm.match)
			draw_highlight(w, y, fx, fw, ROLE_SELECTION);
		break;
	case R_PREVIEW:
		snprintf(label, sizeof label, "%s %s", r->index == 0 ? "next" :
		    "    ", fm.preview[r->index]);
		draw_text(w, y, fx, fw, label, -1, ROLE_DIM, DRAW_ELLIPSIS);
		break;
	case R_NOTE:
		if (r->field == F_SCRIPT)
			draw_printf(w, y, fx, fw, ROLE_DIM, "finding "
			    "scripts... (%zu so far)", fm.nfiles);
		else if (r->field == F_TZ)
			draw_text(w, y, fx, fw, "previewing...", -1, ROLE_DIM,
			    0);
		else
			draw_text(w, y, 1, width - 2, "Tab next field   "
			    "Left/Right choose   Enter save   Esc cancel", -1,
			    ROLE_DIM, DRAW_ELLIPSIS);
		break;
	}
}

void
jobform_draw(struct tui *t, WINDOW *w, int h, int width)
{
	struct row	rows[FORM_ROWS_MAX];
	size_t		n = form_rows(rows), i, focus = 0, last;
	long		room = h - 2;
	char		title[160];

	if (fm.editing)
		snprintf(title, sizeof title, "Edit job %s", fm.job_name);
	else
		snprintf(title, sizeof title, "New job");
	draw_text(w, 0, 1, width - 2, title, -1, ROLE_TITLE, DRAW_ELLIPSIS);
	if (room < 1)
		return;
	/* Keep the focused field and what hangs under it in view. */
	for (i = 0; i < n; i++) {
		if (rows[i].kind == R_FIELD && rows[i].field == fm.field)
			focus = i;
	}
	for (last = focus; last + 1 < n && rows[last + 1].kind != R_FIELD &&
	    rows[last + 1].field == fm.field; last++)
		;
	if ((long)last - fm.top >= room)
		fm.top = (long)last - room + 1;
	if ((long)focus < fm.top)
		fm.top = (long)focus;
	if (fm.top > 0 && (long)n - fm.top < room)
		fm.top = (long)n > room ? (long)n - room : 0;
	for (i = (size_t)fm.top; i < n && (long)(i - (size_t)fm.top) < room;
	    i++)
		form_draw_row(t, w, 2 + (int)(i - (size_t)fm.top), width,
		    &rows[i]);
}

struct pane pane_jobform = {
	.name = "job form",
	.scope = SCOPE_JOBS,
	.hints = "",
	.key = form_key,
};
