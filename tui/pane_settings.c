/*
 * The Settings section: the project's name, description, default runtime
 * and resource profile, and its environment variables (secret ones are
 * never shown, not even to their owner: they can only be replaced).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "async.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"
#include "valid.h"
#include "xmalloc.h"

#define ROW_FIELDS	4	/* name, description, runtime, profile */
#define ROW_HEADER	ROW_FIELDS

static const struct {
	const char	*label;
	const char	*key;	/* in the project's JSON */
} fields[ROW_FIELDS] = {
	{ "Name", "name" },
	{ "Description", "description" },
	{ "Default runtime", "default_runtime" },
	{ "Default profile", "default_profile" },
};

static struct {
	cJSON		*env;		/* array of {name, value, secret} */
	struct list	 list;
	uint64_t	 call;
	uint64_t	 write_call;
	char		*error;
	char		*pending_name;	/* the name of a secret being added */
	int		 pending_secret;
} st;

static const char *
settings_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItem(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static size_t
settings_rows(void)
{
	return ROW_FIELDS + 1 + (size_t)cJSON_GetArraySize(st.env);
}

static const cJSON *
settings_var(size_t row)
{
	if (row <= ROW_HEADER)
		return NULL;
	return cJSON_GetArrayItem(st.env, (int)(row - ROW_HEADER - 1));
}

static int
settings_match(void *arg, size_t i, const char *needle)
{
	struct tui	*t = arg;
	const cJSON	*v;

	if (i < ROW_FIELDS)
		return list_contains(fields[i].label, needle) ||
		    list_contains(settings_str(t->project_json, fields[i].key),
		    needle);
	if ((v = settings_var(i)) == NULL)
		return 0;
	return list_contains(settings_str(v, "name"), needle);
}

void
settings_reset(struct tui *t)
{
	cJSON_Delete(st.env);
	st.env = NULL;
	list_done(&st.list);
	free(st.error);
	st.error = NULL;
	free(st.pending_name);
	st.pending_name = NULL;
	if (t->async != NULL) {
		async_cancel(t->async, st.call);
		async_cancel(t->async, st.write_call);
	}
	st.call = st.write_call = 0;
}

static void
settings_on_env(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;

	if (id != st.call)
		return;
	st.call = 0;
	free(st.error);
	st.error = NULL;
	if (status != 200) {
		st.error = xstrdup(status == 0 ? cause : settings_str(answer,
		    "message"));
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	cJSON_Delete(st.env);
	st.env = cJSON_Duplicate(cJSON_GetObjectItem(answer, "env"), 1);
	if (st.env == NULL)
		st.env = cJSON_CreateArray();
	list_set_count(&st.list, settings_rows(), settings_match, t);
	tui_dirty(t, DIRTY_MAIN);
}

static char *
settings_path(struct tui *t, const char *rest, const char *name)
{
	char	*eid = tui_escape(t->project_id), *ename, *path;

	if (name != NULL) {
		ename = tui_escape(name);
		path = xasprintf("/api/v1/projects/%s%s/%s", eid, rest, ename);
		free(ename);
	} else
		path = xasprintf("/api/v1/projects/%s%s", eid, rest);
	free(eid);
	return path;
}

void
settings_load(struct tui *t)
{
	char	*path;

	if (t->project_id == NULL)
		return;
	if (st.env == NULL) {
		st.env = cJSON_CreateArray();
		list_set_count(&st.list, settings_rows(), settings_match, t);
	}
	path = settings_path(t, "/env", NULL);
	async_cancel(t->async, st.call);
	st.call = async_call(t->async, "GET", path, NULL, settings_on_env, t);
	free(path);
}

static void
settings_on_write(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	const char	*name;

	if (id != st.write_call)
		return;
	st.write_call = 0;
	if (status != 200) {
		tui_message(t, 1, "%s", status == 0 ? cause :
		    settings_str(answer, "message"));
		return;
	}
	/* A project answer: the settings fields changed. */
	if (cJSON_GetObjectItem(answer, "default_runtime") != NULL) {
		cJSON_Delete(t->project_json);
		t->project_json = cJSON_Duplicate(answer, 1);
		name = settings_str(answer, "name");
		if (t->project == NULL || strcmp(t->project, name) != 0) {
			free(t->project);
			t->project = xstrdup(name);
			tui_remember_project(name);
		}
		tui_dirty(t, DIRTY_TOP);
	}
	tui_message(t, 0, "saved");
	settings_load(t);
}

static long	settings_editing = -1;

static void
settings_save_field(struct tui *t, const char *answer)
{
	cJSON	*body;
	char	*path, *cause = NULL;
	long	 row = settings_editing;

	settings_editing = -1;
	if (answer == NULL || row < 0 || row >= ROW_FIELDS)
		return;
	if ((row == 0 && valid_project_name(answer, &cause) != 0) ||
	    (row == 1 && valid_description(answer, &cause) != 0) ||
	    (row >= 2 && valid_ref(fields[row].label, answer, &cause) != 0)) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		return;
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, fields[row].key, answer);
	path = settings_path(t, "", NULL);
	st.write_call = async_call(t->async, "PATCH", path, body,
	    settings_on_write, t);
	free(path);
	cJSON_Delete(body);
}

static void
settings_put(struct tui *t, const char *name, const char *value, int secret)
{
	cJSON	*body = cJSON_CreateObject();
	char	*path = settings_path(t, "/env", name), *cause = NULL;

	if (valid_env_name(name, &cause) != 0 ||
	    valid_env_value(value, &cause) != 0) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		goto out;
	}
	cJSON_AddStringToObject(body, "value", value);
	cJSON_AddBoolToObject(body, "secret", secret);
	st.write_call = async_call(t->async, "PUT", path, body,
	    settings_on_write, t);
out:
	free(path);
	cJSON_Delete(body);
}

/* The variable being edited, kept by name: rows move when the list reloads. */
static char	*settings_var_name;
static int	 settings_var_secret;

static void
settings_save_var(struct tui *t, const char *answer)
{
	char	*name = settings_var_name;

	settings_var_name = NULL;
	settings_editing = -1;
	if (answer != NULL && name != NULL)
		settings_put(t, name, answer, settings_var_secret);
	free(name);
}

void
settings_edit(struct tui *t)
{
	long		 row = list_selected(&st.list);
	const cJSON	*v;
	char		 label[160];

	if (row < 0 || t->project_json == NULL)
		return;
	settings_editing = row;
	if (row < ROW_FIELDS) {
		snprintf(label, sizeof label, "%s: ", fields[row].label);
		tui_ask(t, label, settings_str(t->project_json,
		    fields[row].key), 0, settings_save_field);
		return;
	}
	if ((v = settings_var((size_t)row)) == NULL) {
		settings_add(t, 0);
		return;
	}
	free(settings_var_name);
	settings_var_name = xstrdup(settings_str(v, "name"));
	settings_var_secret = cJSON_IsTrue(cJSON_GetObjectItem(v, "secret"));
	if (settings_var_secret) {
		snprintf(label, sizeof label, "New secret value of %s: ",
		    settings_str(v, "name"));
		tui_ask(t, label, NULL, 1, settings_save_var);
	} else {
		snprintf(label, sizeof label, "%s=", settings_str(v, "name"));
		tui_ask(t, label, settings_str(v, "value"), 0,
		    settings_save_var);
	}
}

static void
settings_secret_value(struct tui *t, const char *answer)
{
	char	*name = st.pending_name;

	st.pending_name = NULL;
	if (answer != NULL && name != NULL)
		settings_put(t, name, answer, 1);
	free(name);
}

static void
settings_added(struct tui *t, const char *answer)
{
	char	*cause = NULL, label[200];
	char	*name;
	const char *eq;

	if (answer == NULL)
		return;
	if (st.pending_secret) {
		if (valid_env_name(answer, &cause) != 0) {
			tui_message(t, 1, "%s", cause);
			free(cause);
			return;
		}
		free(st.pending_name);
		st.pending_name = xstrdup(answer);
		snprintf(label, sizeof label, "Secret value of %s (not "
		    "shown): ", answer);
		tui_ask(t, label, NULL, 1, settings_secret_value);
		return;
	}
	if ((eq = strchr(answer, '=')) == NULL) {
		tui_message(t, 1, "write NAME=VALUE, e.g. DB_HOST=db.internal");
		return;
	}
	name = xstrndup(answer, (size_t)(eq - answer));
	settings_put(t, name, eq + 1, 0);
	free(name);
}

void
settings_add(struct tui *t, int secret)
{
	if (t->project_json == NULL || t->section != SECTION_SETTINGS)
		return;
	st.pending_secret = secret;
	tui_ask(t, secret ? "New secret variable, its NAME: " :
	    "New variable NAME=VALUE: ", NULL, 0, settings_added);
}

static char	*settings_deleting;

static void
settings_confirm_delete(struct tui *t, const char *answer)
{
	char	*path;

	if (answer != NULL && (strcmp(answer, "y") == 0 ||
	    strcmp(answer, "yes") == 0) && settings_deleting != NULL) {
		path = settings_path(t, "/env", settings_deleting);
		st.write_call = async_call(t->async, "DELETE", path, NULL,
		    settings_on_write, t);
		free(path);
	}
	free(settings_deleting);
	settings_deleting = NULL;
}

void
settings_delete(struct tui *t)
{
	long		 row = list_selected(&st.list);
	const cJSON	*v = row >= 0 ? settings_var((size_t)row) : NULL;
	char		 label[200];

	if (v == NULL) {
		tui_message(t, 1, "select a variable to delete");
		return;
	}
	free(settings_deleting);
	settings_deleting = xstrdup(settings_str(v, "name"));
	snprintf(label, sizeof label, "Delete the variable %s? (y/n) ",
	    settings_deleting);
	tui_ask(t, label, NULL, 0, settings_confirm_delete);
}

static struct list *
settings_list(struct tui *t)
{
	return &st.list;
}

static void
settings_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	struct tui	*t = arg;
	const cJSON	*v;
	enum role	 role = selected ? ROLE_SELECTION : ROLE_DEFAULT;
	const char	*value;
	int		 lw = 18;

	draw_fill(w, y, x, width, role);
	if (i < ROW_FIELDS) {
		draw_text(w, y, x + 2, lw, fields[i].label, -1,
		    selected ? role : ROLE_DIM, 0);
		value = settings_str(t->project_json, fields[i].key);
		draw_text(w, y, x + 2 + lw, width - lw - 3, *value ? value :
		    "(none)", -1, *value ? role : ROLE_DIM, DRAW_ELLIPSIS);
	} else if (i == ROW_HEADER) {
		draw_text(w, y, x + 1, width - 2, "Environment variables "
		    "(a add, s add secret, e edit, x delete)", -1, ROLE_TITLE,
		    DRAW_ELLIPSIS);
	} else if ((v = settings_var(i)) != NULL) {
		draw_text(w, y, x + 2, lw, settings_str(v, "name"), -1,
		    selected ? role : ROLE_ACCENT, DRAW_ELLIPSIS);
		if (cJSON_IsTrue(cJSON_GetObjectItem(v, "secret")))
			draw_text(w, y, x + 2 + lw, width - lw - 3,
			    "******** (secret)", -1, selected ? role : ROLE_DIM,
			    0);
		else
			draw_text(w, y, x + 2 + lw, width - lw - 3,
			    settings_str(v, "value"), -1, role,
			    DRAW_ELLIPSIS);
	}
	if (selected && t->focus == &pane_settings)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
settings_draw(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	draw_printf(w, y, x + 1, width - 2, ROLE_TITLE, "Settings of %s",
	    t->project != NULL ? t->project : "");
	if (st.error != NULL) {
		draw_text(w, y + 1, x + 1, width - 2, st.error, -1, ROLE_ERROR,
		    DRAW_ELLIPSIS);
	}
	if (t->project_json == NULL)
		return;
	if (st.env == NULL) {
		st.env = cJSON_CreateArray();
		list_set_count(&st.list, settings_rows(), settings_match, t);
	}
	if (cJSON_GetArraySize(st.env) == 0 && st.list.filter == NULL &&
	    h > ROW_FIELDS + 4)
		draw_text(w, y + ROW_FIELDS + 4, x + 2, width - 3, "No "
		    "variables yet: a adds one, s adds a secret.", -1,
		    ROLE_DIM, DRAW_ELLIPSIS);
	list_draw(&st.list, w, y + 2, x, h - 2, width, settings_draw_row, t);
}

static void
settings_open(struct tui *t)
{
	settings_edit(t);
}

static void
settings_click(struct tui *t, int row, int col)
{
	long	i = list_at(&st.list, row - 2);

	if (i >= 0)
		list_select_index(&st.list, (size_t)i);
}

static void
settings_refresh(struct tui *t)
{
	settings_load(t);
}

struct pane pane_settings = {
	.name = "settings",
	.scope = SCOPE_SETTINGS,
	.hints = "edit env-add env-secret env-delete",
	.list = settings_list,
	.draw = settings_draw,
	.open = settings_open,
	.match = settings_match,
	.reload = settings_refresh,
	.click = settings_click,
};

struct pane pane_later = {
	.name = "later",
	.scope = SCOPE_GLOBAL,
	.hints = "files jobs settings",
};
