/*
 * The project picker: the list of projects, opening one, deleting one
 * (after typing its name), and the form that creates one from a template,
 * a directory, an archive or a git URL, checked as the user types.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <limits.h>

#include "async.h"
#include "draw.h"
#include "theme.h"
#include "tui.h"
#include "valid.h"
#include "xmalloc.h"

enum field {
	FIELD_NAME,
	FIELD_DESCRIPTION,
	FIELD_SOURCE,
	FIELD_LOCATION,
	FIELD_COUNT
};

static const struct {
	const char	*label;		/* shown in the form */
	const char	*type;		/* the API's source type */
	const char	*location;	/* fixed location, or NULL to ask */
	const char	*hint;
} sources[] = {
	{ "blank Python project", "template", "blank", NULL },
	{ "example: customer churn", "template", "example", NULL },
	{ "directory, used in place", "dir", NULL, "a directory path" },
	{ "directory, copied", "copy", NULL, "a directory path" },
	{ "zip or tar archive", "archive", NULL, "an archive path" },
	{ "git repository", "git", NULL, "a git URL" },
};
#define NSOURCES	(sizeof sources / sizeof sources[0])

static struct {
	cJSON		*projects;	/* array, all pages so far */
	struct list	 list;
	uint64_t	 call;
	int		 loading;
	char		*error;

	int		 form;		/* the create form is shown */
	enum field	 field;
	struct input	 inputs[FIELD_COUNT];
	size_t		 source;
	char		*errors[FIELD_COUNT];
	uint64_t	 create_call;
	uint64_t	 delete_call;
	uint64_t	 open_call;
	char		*opening;	/* the project being opened */
} pk;

static const char *
picker_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItem(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static const cJSON *
picker_project(size_t i)
{
	return cJSON_GetArrayItem(pk.projects, (int)i);
}

static int
picker_match(void *arg, size_t i, const char *needle)
{
	const cJSON	*p = picker_project(i);

	return list_contains(picker_str(p, "name"), needle) ||
	    list_contains(picker_str(p, "description"), needle);
}

static struct list *
picker_list(struct tui *t)
{
	return pk.form ? NULL : &pk.list;
}

void
picker_reset(struct tui *t)
{
	size_t	i;

	cJSON_Delete(pk.projects);
	pk.projects = NULL;
	list_done(&pk.list);
	free(pk.error);
	pk.error = NULL;
	for (i = 0; i < FIELD_COUNT; i++) {
		free(pk.errors[i]);
		pk.errors[i] = NULL;
	}
	if (t->async != NULL) {
		async_cancel(t->async, pk.call);
		async_cancel(t->async, pk.create_call);
		async_cancel(t->async, pk.delete_call);
		async_cancel(t->async, pk.open_call);
	}
	pk.call = pk.create_call = pk.delete_call = pk.open_call = 0;
	free(pk.opening);
	pk.opening = NULL;
}

static void picker_page(struct tui *, const char *token);

static void
picker_on_page(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	cJSON		*items, *item, *token;
	char		*msg;

	if (id != pk.call)
		return;
	pk.call = 0;
	if (status != 200) {
		pk.loading = 0;
		free(pk.error);
		msg = status == 0 ? xstrdup(cause) : xstrdup(picker_str(answer,
		    "message"));
		pk.error = msg;
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	items = cJSON_GetObjectItem(answer, "projects");
	cJSON_ArrayForEach(item, items)
		cJSON_AddItemToArray(pk.projects, cJSON_Duplicate(item, 1));
	list_set_count(&pk.list, (size_t)cJSON_GetArraySize(pk.projects),
	    picker_match, t);
	token = cJSON_GetObjectItem(answer, "next_page_token");
	if (cJSON_IsString(token))
		picker_page(t, token->valuestring);
	else
		pk.loading = 0;
	tui_dirty(t, DIRTY_MAIN);
}

static void
picker_page(struct tui *t, const char *token)
{
	char	*path, *esc;

	if (token != NULL) {
		esc = tui_escape(token);
		path = xasprintf("/api/v1/projects?page_size=1000&"
		    "page_token=%s", esc);
		free(esc);
	} else
		path = xstrdup("/api/v1/projects?page_size=1000");
	pk.call = async_call(t->async, "GET", path, NULL, picker_on_page, t);
	free(path);
}

void
picker_load(struct tui *t)
{
	async_cancel(t->async, pk.call);
	cJSON_Delete(pk.projects);
	pk.projects = cJSON_CreateArray();
	list_set_count(&pk.list, 0, picker_match, t);
	free(pk.error);
	pk.error = NULL;
	pk.loading = 1;
	picker_page(t, NULL);
	tui_dirty(t, DIRTY_MAIN);
}

void
tui_pick_project(struct tui *t)
{
	t->picking = 1;
	t->help = 0;
	pk.form = 0;
	tui_focus(t, &pane_picker);
	/* The picker has the whole width: lay the screen out again. */
	tui_relayout(t);
	picker_load(t);
}

static void
picker_on_open(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;

	if (id != pk.open_call)
		return;
	pk.open_call = 0;
	tui_dirty(t, DIRTY_MAIN);
	if (status != 200) {
		tui_message(t, 1, "%s", status == 0 ? cause :
		    picker_str(answer, "message"));
		if (!t->picking)
			tui_pick_project(t);
		return;
	}
	free(t->project);
	free(t->project_id);
	free(t->project_path);
	cJSON_Delete(t->project_json);
	t->project = xstrdup(picker_str(answer, "name"));
	t->project_id = xstrdup(picker_str(answer, "id"));
	t->project_path = xstrdup(picker_str(answer, "path"));
	t->project_json = cJSON_Duplicate(answer, 1);
	tui_remember_project(t->project);
	files_reset(t);
	settings_reset(t);
	jobs_reset(t);
	t->picking = 0;
	pk.form = 0;
	tui_relayout(t);
	tui_section(t, SECTION_FILES);
	files_load(t);
}

void
tui_open_project(struct tui *t, const char *name)
{
	char	*esc = tui_escape(name), *path;

	path = xasprintf("/api/v1/projects/%s", esc);
	async_cancel(t->async, pk.open_call);
	free(pk.opening);
	pk.opening = xstrdup(name);
	pk.open_call = async_call(t->async, "GET", path, NULL, picker_on_open,
	    t);
	tui_dirty(t, DIRTY_MAIN);
	free(path);
	free(esc);
}

static void
picker_open(struct tui *t)
{
	long	i = list_selected(&pk.list);

	if (pk.form || i < 0)
		return;
	tui_open_project(t, picker_str(picker_project((size_t)i), "name"));
}

static void
picker_on_delete(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;

	if (id != pk.delete_call)
		return;
	pk.delete_call = 0;
	if (status != 200) {
		tui_message(t, 1, "%s", status == 0 ? cause :
		    picker_str(answer, "message"));
		return;
	}
	tui_message(t, 0, "project deleted");
	picker_load(t);
}

static char	*picker_deleting;

static void
picker_confirm_delete(struct tui *t, const char *answer)
{
	char	*esc, *path;

	if (answer == NULL || picker_deleting == NULL)
		goto out;
	if (strcmp(answer, picker_deleting) != 0) {
		tui_message(t, 1, "'%s' is not the project's name: nothing "
		    "deleted", answer);
		goto out;
	}
	if (t->project != NULL && strcmp(t->project, picker_deleting) == 0) {
		free(t->project);
		t->project = NULL;
		files_reset(t);
		settings_reset(t);
		jobs_reset(t);
		tui_dirty(t, DIRTY_TOP);
	}
	esc = tui_escape(picker_deleting);
	path = xasprintf("/api/v1/projects/%s", esc);
	pk.delete_call = async_call(t->async, "DELETE", path, NULL,
	    picker_on_delete, t);
	free(path);
	free(esc);
out:
	free(picker_deleting);
	picker_deleting = NULL;
}

void
picker_delete(struct tui *t)
{
	long		 i = list_selected(&pk.list);
	const cJSON	*p;
	char		 label[128];

	if (!t->picking || pk.form || i < 0)
		return;
	p = picker_project((size_t)i);
	free(picker_deleting);
	picker_deleting = xstrdup(picker_str(p, "name"));
	snprintf(label, sizeof label, "Delete %s%s? Type its name: ",
	    picker_deleting, cJSON_IsTrue(cJSON_GetObjectItem(p, "adopted")) ?
	    " (its directory stays)" : " and its files");
	tui_ask(t, label, NULL, 0, picker_confirm_delete);
}

/* Check the form as it is; return whether it can be sent. */
static int
picker_check(void)
{
	const char	*loc = pk.inputs[FIELD_LOCATION].text;
	struct stat	 st;
	size_t		 i;
	int		 ok = 1;

	for (i = 0; i < FIELD_COUNT; i++) {
		free(pk.errors[i]);
		pk.errors[i] = NULL;
	}
	if (valid_project_name(pk.inputs[FIELD_NAME].text,
	    &pk.errors[FIELD_NAME]) != 0)
		ok = 0;
	if (valid_description(pk.inputs[FIELD_DESCRIPTION].text,
	    &pk.errors[FIELD_DESCRIPTION]) != 0)
		ok = 0;
	if (sources[pk.source].location != NULL)
		return ok;
	if (*loc == '\0') {
		pk.errors[FIELD_LOCATION] = xasprintf("enter %s",
		    sources[pk.source].hint);
		return 0;
	}
	if (strcmp(sources[pk.source].type, "git") == 0)
		return ok;
	if (stat(loc, &st) != 0)
		pk.errors[FIELD_LOCATION] = xstrdup("no such file or "
		    "directory here");
	else if (strcmp(sources[pk.source].type, "archive") == 0 &&
	    !S_ISREG(st.st_mode))
		pk.errors[FIELD_LOCATION] = xstrdup("not a file");
	else if (strcmp(sources[pk.source].type, "archive") != 0 &&
	    !S_ISDIR(st.st_mode))
		pk.errors[FIELD_LOCATION] = xstrdup("not a directory");
	return ok && pk.errors[FIELD_LOCATION] == NULL;
}

void
picker_new(struct tui *t)
{
	size_t	i;

	if (!t->picking)
		tui_pick_project(t);
	pk.form = 1;
	pk.field = FIELD_NAME;
	pk.source = 0;
	for (i = 0; i < FIELD_COUNT; i++)
		input_set(&pk.inputs[i], "");
	picker_check();
	free(pk.errors[FIELD_NAME]);
	pk.errors[FIELD_NAME] = NULL;	/* no complaint before typing */
	tui_dirty(t, DIRTY_ALL);
}

static void
picker_on_create(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;

	if (id != pk.create_call)
		return;
	pk.create_call = 0;
	if (status != 201) {
		free(pk.errors[FIELD_LOCATION]);
		pk.errors[FIELD_LOCATION] = xstrdup(status == 0 ? cause :
		    picker_str(answer, "message"));
		tui_message(t, 1, "%s", pk.errors[FIELD_LOCATION]);
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	pk.form = 0;
	tui_message(t, 0, "created project %s", picker_str(answer, "name"));
	tui_open_project(t, picker_str(answer, "name"));
}

static void
picker_submit(struct tui *t)
{
	cJSON	*body, *src;
	char	 real[PATH_MAX];
	const char *loc = pk.inputs[FIELD_LOCATION].text;

	if (!picker_check()) {
		tui_message(t, 1, "the form has errors: see the fields in red");
		return;
	}
	if (pk.create_call != 0)
		return;
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", pk.inputs[FIELD_NAME].text);
	cJSON_AddStringToObject(body, "description",
	    pk.inputs[FIELD_DESCRIPTION].text);
	src = cJSON_AddObjectToObject(body, "source");
	cJSON_AddStringToObject(src, "type", sources[pk.source].type);
	if (sources[pk.source].location != NULL)
		loc = sources[pk.source].location;
	else if (strcmp(sources[pk.source].type, "git") != 0 &&
	    realpath(loc, real) != NULL)
		loc = real;
	cJSON_AddStringToObject(src, "location", loc);
	pk.create_call = async_call(t->async, "POST", "/api/v1/projects",
	    body, picker_on_create, t);
	cJSON_Delete(body);
	tui_message(t, 0, "creating %s...", pk.inputs[FIELD_NAME].text);
}

static int
picker_key(struct tui *t, int key)
{
	enum input_result	r;

	if (!pk.form)
		return 0;
	switch (key) {
	case '\t':
	case KEYS_SPECIAL | KEY_DOWN:
		pk.field = (pk.field + 1) % FIELD_COUNT;
		if (pk.field == FIELD_LOCATION &&
		    sources[pk.source].location != NULL)
			pk.field = FIELD_NAME;
		break;
	case KEYS_SPECIAL | KEY_BTAB:
	case KEYS_SPECIAL | KEY_UP:
		pk.field = (pk.field + FIELD_COUNT - 1) % FIELD_COUNT;
		if (pk.field == FIELD_LOCATION &&
		    sources[pk.source].location != NULL)
			pk.field = FIELD_SOURCE;
		break;
	case KEYS_ESC:
		pk.form = 0;
		tui_message(t, 0, "nothing created");
		break;
	case '\r':
		picker_submit(t);
		break;
	default:
		if (pk.field == FIELD_SOURCE) {
			if (key == ' ' || key == (KEYS_SPECIAL | KEY_RIGHT) ||
			    key == 'l')
				pk.source = (pk.source + 1) % NSOURCES;
			else if (key == (KEYS_SPECIAL | KEY_LEFT) || key == 'h')
				pk.source = (pk.source + NSOURCES - 1) %
				    NSOURCES;
			else
				return 1;
			picker_check();
			break;
		}
		r = input_key(&pk.inputs[pk.field], key);
		if (r == INPUT_EDITED)
			picker_check();
		break;
	}
	tui_dirty(t, DIRTY_MAIN | DIRTY_STATUS);
	return 1;
}

static void
picker_draw_form(struct tui *t, WINDOW *w, int h, int width)
{
	static const char *labels[FIELD_COUNT] = { "Name", "Description",
	    "Source", "Location" };
	int	y = 1, i, fw = width - 16 > 10 ? width - 16 : 10;
	char	label[80];

	draw_text(w, y, 2, width - 4, "New project", -1, ROLE_TITLE, 0);
	y += 2;
	for (i = 0; i < FIELD_COUNT && y < h - 1; i++) {
		int focused = (int)pk.field == i;

		if (i == FIELD_LOCATION && sources[pk.source].location != NULL)
			continue;
		draw_text(w, y, 2, 12, labels[i], -1, focused ? ROLE_ACCENT :
		    ROLE_DEFAULT, 0);
		if (i == FIELD_SOURCE) {
			snprintf(label, sizeof label, "%s %s %s",
			    draw_utf8 ? "\xe2\x97\x80" : "<",
			    sources[pk.source].label,
			    draw_utf8 ? "\xe2\x96\xb6" : ">");
			draw_fill(w, y, 15, fw, ROLE_INPUT);
			draw_text(w, y, 15, fw, label, -1, ROLE_INPUT,
			    DRAW_ELLIPSIS);
		} else
			input_draw(&pk.inputs[i], w, y, 15, fw, ROLE_INPUT, 0);
		if (focused)
			draw_text(w, y, 1, 1, ">", -1, ROLE_ACCENT, 0);
		y++;
		if (pk.errors[i] != NULL && (i != FIELD_NAME ||
		    pk.inputs[i].len > 0 || pk.field != FIELD_NAME))
			draw_text(w, y, 15, fw, pk.errors[i], -1, ROLE_ERROR,
			    DRAW_ELLIPSIS);
		else if (i == FIELD_LOCATION)
			draw_text(w, y, 15, fw, sources[pk.source].hint, -1,
			    ROLE_DIM, DRAW_ELLIPSIS);
		y += 2;
	}
	if (y < h)
		draw_text(w, y, 2, width - 4, "Tab next field   Left/Right "
		    "choose source   Enter create   Esc cancel", -1, ROLE_DIM,
		    DRAW_ELLIPSIS);
}

static void
picker_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	const cJSON	*p = picker_project(i);
	enum role	 role = selected ? ROLE_SELECTION : ROLE_DEFAULT;
	char		 source[96], when[20];
	int		 nw = width > 70 ? 24 : width / 3, sw = width > 70 ? 28 : 0;
	int		 cx = x + 1;

	draw_fill(w, y, x, width, role);
	draw_text(w, y, cx, nw - 1, picker_str(p, "name"), -1, role,
	    DRAW_ELLIPSIS);
	cx += nw;
	if (sw > 0) {
		const cJSON *src = cJSON_GetObjectItem(p, "source");

		snprintf(source, sizeof source, "%s %s",
		    picker_str(src, "type"), picker_str(src, "location"));
		draw_text(w, y, cx, sw - 1, source, -1, selected ? role :
		    ROLE_DIM, DRAW_ELLIPSIS);
		cx += sw;
	}
	snprintf(when, sizeof when, "%.10s", picker_str(p, "updated_at"));
	if (width - (cx - x) > 12) {
		draw_text(w, y, cx, 11, when, -1, selected ? role : ROLE_DIM,
		    0);
		cx += 12;
	}
	draw_text(w, y, cx, width - (cx - x) - 1, picker_str(p,
	    "description"), -1, role, DRAW_ELLIPSIS);
	if (selected)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
picker_draw(struct tui *t, WINDOW *w, int y0, int x0, int h, int width)
{
	size_t	shown = list_shown(&pk.list);

	if (pk.form) {
		picker_draw_form(t, w, h, width);
		return;
	}
	if (pk.open_call != 0 && pk.opening != NULL) {
		draw_printf(w, 1, 2, width - 4, ROLE_DIM, "Opening %s...",
		    pk.opening);
		return;
	}
	if (pk.list.filter != NULL)
		draw_printf(w, 0, 1, width - 2, ROLE_TITLE, "Projects: %zu of "
		    "%zu match '%s'", shown, pk.list.count, pk.list.filter);
	else
		draw_printf(w, 0, 1, width - 2, ROLE_TITLE, "Projects (%zu)%s",
		    pk.list.count, pk.loading ? " loading..." : "");
	if (pk.error != NULL) {
		draw_text(w, 2, 2, width - 4, pk.error, -1, ROLE_ERROR,
		    DRAW_ELLIPSIS);
		return;
	}
	if (pk.list.count == 0 && !pk.loading) {
		draw_text(w, 2, 2, width - 4, "No projects yet. Press n to "
		    "create one: from a template, a directory, an archive or "
		    "git.", -1, ROLE_DEFAULT, DRAW_ELLIPSIS);
		return;
	}
	if (shown == 0) {
		draw_text(w, 2, 2, width - 4, "Nothing matches the filter "
		    "(Esc clears it).", -1, ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	list_draw(&pk.list, w, 2, 0, h - 2, width, picker_draw_row, t);
}

static void
picker_click(struct tui *t, int row, int col)
{
	long	i;

	if (pk.form)
		return;
	i = list_at(&pk.list, row - 2);
	if (i < 0)
		return;
	if (list_selected(&pk.list) == i)
		picker_open(t);
	else
		list_select_index(&pk.list, (size_t)i);
}

static void
picker_refresh(struct tui *t)
{
	picker_load(t);
}

struct pane pane_picker = {
	.name = "projects",
	.scope = SCOPE_PICKER,
	.hints = "open project-new project-delete filter",
	.list = picker_list,
	.draw = picker_draw,
	.open = picker_open,
	.match = picker_match,
	.reload = picker_refresh,
	.click = picker_click,
	.key = picker_key,
};
