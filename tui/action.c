/*
 * The action table and the actions that belong to no one pane: moving in
 * lists, switching sections and focus, filters, the palette, help, quit.
 * Pane actions call into pane_*.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "pane_compare.h"
#include "pane_experiments.h"
#include "sweep.h"
#include "tui.h"

static struct list *
action_list(struct tui *t)
{
	if (t->side_focus)
		return &t->sections;
	if (t->focus != NULL && t->focus->list != NULL)
		return t->focus->list(t);
	return NULL;
}

static void
action_changed(struct tui *t)
{
	if (t->side_focus)
		tui_dirty(t, DIRTY_SIDE);
	else if (t->focus != NULL && t->focus->changed != NULL)
		t->focus->changed(t);
	tui_dirty(t, DIRTY_MAIN);
}

static void
action_move(struct tui *t, long delta, int to_end)
{
	struct list	*l = action_list(t);

	if (t->help) {
		t->help_top += delta;
		if (to_end)
			t->help_top = delta < 0 ? 0 : t->help_top + 1000;
		if (t->help_top < 0)
			t->help_top = 0;
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	if (l == NULL) {
		if (t->focus != NULL && t->focus->scroll_by != NULL)
			t->focus->scroll_by(t, to_end ? (delta < 0 ? -1000000000L :
			    1000000000L) : delta);
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	if (to_end) {
		if (delta < 0)
			list_top(l);
		else
			list_bottom(l);
	} else
		list_move(l, delta);
	action_changed(t);
}

static long
action_page(struct tui *t)
{
	return t->area.h > 3 ? t->area.h - 2 : 1;
}

static void a_down(struct tui *t, const char *arg) { action_move(t, 1, 0); }
static void a_up(struct tui *t, const char *arg) { action_move(t, -1, 0); }
static void a_top(struct tui *t, const char *arg) { action_move(t, -1, 1); }
static void a_bottom(struct tui *t, const char *arg) { action_move(t, 1, 1); }

static void
a_page_down(struct tui *t, const char *arg)
{
	action_move(t, action_page(t), 0);
}

static void
a_page_up(struct tui *t, const char *arg)
{
	action_move(t, -action_page(t), 0);
}

static void
a_open(struct tui *t, const char *arg)
{
	if (t->side_focus) {
		tui_section(t, (enum section)list_selected(&t->sections));
		return;
	}
	if (t->focus != NULL && t->focus->open != NULL)
		t->focus->open(t);
}

static void
a_back(struct tui *t, const char *arg)
{
	struct list	*l;

	if (t->help) {
		t->help = 0;
		tui_dirty(t, DIRTY_MAIN | DIRTY_STATUS);
		return;
	}
	l = action_list(t);
	if (l != NULL && l->filter != NULL) {
		list_filter(l, NULL, t->focus->match, t);
		action_changed(t);
		return;
	}
	if (!t->picking && t->focus != NULL && t->focus->back != NULL &&
	    t->focus->back(t))
		return;
	if (t->picking && t->project != NULL) {
		t->picking = 0;
		tui_section(t, t->section);
		tui_dirty(t, DIRTY_ALL);
		return;
	}
	if (!t->picking && t->focus == &pane_preview) {
		tui_focus(t, &pane_tree);
		return;
	}
	/* Nothing is lost by quitting: everything lives in the core. */
	t->quit = 1;
}

static void
a_quit(struct tui *t, const char *arg)
{
	t->quit = 1;
}

static void
a_help(struct tui *t, const char *arg)
{
	t->help = !t->help;
	t->help_top = 0;
	tui_dirty(t, DIRTY_MAIN | DIRTY_STATUS);
}

static void
a_palette(struct tui *t, const char *arg)
{
	t->prompt = PROMPT_PALETTE;
	strcpy(t->prompt_label, ":");
	input_set(&t->input, "");
	t->input.secret = 0;
	tui_dirty(t, DIRTY_STATUS);
}

static void
a_filter(struct tui *t, const char *arg)
{
	struct list	*l = action_list(t);

	if (l == NULL || t->side_focus) {
		tui_message(t, 1, "nothing to filter here");
		return;
	}
	if (arg != NULL) {
		list_filter(l, arg, t->focus->match, t);
		action_changed(t);
		return;
	}
	t->prompt = PROMPT_FILTER;
	strcpy(t->prompt_label, "/");
	input_set(&t->input, l->filter != NULL ? l->filter : "");
	t->input.secret = 0;
	tui_dirty(t, DIRTY_STATUS);
}

static void
a_redraw(struct tui *t, const char *arg)
{
	clearok(curscr, TRUE);
	tui_dirty(t, DIRTY_ALL);
}

static void
a_mouse(struct tui *t, const char *arg)
{
	tui_toggle_mouse(t);
}

static void
a_sweep(struct tui *t, const char *arg)
{
	sweep_start(t, arg);
}

static void
a_theme(struct tui *t, const char *arg)
{
	if (tui_set_theme(t, arg) == 0)
		tui_message(t, 0, "switched to the %s theme", arg);
}

static void
a_focus_next(struct tui *t, const char *arg)
{
	if (t->picking)
		return;
	if (t->side_focus)
		tui_section(t, t->section);
	else if (t->focus == &pane_tree)
		tui_focus(t, &pane_preview);
	else if (t->focus != NULL && t->focus->step != NULL &&
	    t->focus->step(t, 1))
		return;
	else {
		t->side_focus = 1;
		tui_dirty(t, DIRTY_ALL);
	}
}

static void
a_focus_prev(struct tui *t, const char *arg)
{
	if (t->picking)
		return;
	if (t->side_focus) {
		tui_section(t, t->section);
		if (t->section == SECTION_FILES)
			tui_focus(t, &pane_preview);
	} else if (t->focus == &pane_preview)
		tui_focus(t, &pane_tree);
	else if (t->focus != NULL && t->focus->step != NULL &&
	    t->focus->step(t, 0))
		return;
	else {
		t->side_focus = 1;
		tui_dirty(t, DIRTY_ALL);
	}
}

static void
action_section(struct tui *t, enum section s)
{
	if (t->picking) {
		if (t->project == NULL) {
			tui_message(t, 1, "open a project first (Enter), or "
			    "make one (n)");
			return;
		}
		t->picking = 0;
	}
	tui_section(t, s);
}

static void a_files(struct tui *t, const char *arg)
{ action_section(t, SECTION_FILES); }
static void a_sessions(struct tui *t, const char *arg)
{ action_section(t, SECTION_SESSIONS); }
static void a_jobs(struct tui *t, const char *arg)
{ action_section(t, SECTION_JOBS); }
static void a_experiments(struct tui *t, const char *arg)
{ action_section(t, SECTION_EXPERIMENTS); }
static void a_models(struct tui *t, const char *arg)
{ action_section(t, SECTION_MODELS); }
static void a_applications(struct tui *t, const char *arg)
{ action_section(t, SECTION_APPLICATIONS); }
static void a_settings(struct tui *t, const char *arg)
{ action_section(t, SECTION_SETTINGS); }

static void
a_projects(struct tui *t, const char *arg)
{
	if (arg != NULL)
		tui_open_project(t, arg);
	else
		tui_pick_project(t);
}

static void
a_refresh(struct tui *t, const char *arg)
{
	if (t->picking)
		picker_load(t);
	else if (t->focus != NULL && t->focus->reload != NULL)
		t->focus->reload(t);
	tui_message(t, 0, "reloading");
}

static void a_project_new(struct tui *t, const char *arg) { picker_new(t); }
static void a_project_delete(struct tui *t, const char *arg)
{ picker_delete(t); }
static void a_expand(struct tui *t, const char *arg) { files_expand(t, 1); }
static void a_collapse(struct tui *t, const char *arg) { files_expand(t, 0); }
static void a_render(struct tui *t, const char *arg) { files_render(t); }
static void a_edit(struct tui *t, const char *arg) { settings_edit(t); }
static void a_env_add(struct tui *t, const char *arg)
{ settings_add(t, 0); }
static void a_env_secret(struct tui *t, const char *arg)
{ settings_add(t, 1); }
static void a_env_delete(struct tui *t, const char *arg)
{ settings_delete(t); }
static void a_job_run(struct tui *t, const char *arg) { jobs_run(t); }
static void a_run_stop(struct tui *t, const char *arg) { jobs_stop(t); }
static void a_run_rerun(struct tui *t, const char *arg) { jobs_rerun(t); }
static void a_job_new(struct tui *t, const char *arg) { jobs_new(t); }
static void a_job_edit(struct tui *t, const char *arg) { jobs_edit(t); }
static void a_job_delete(struct tui *t, const char *arg) { jobs_delete(t); }
static void a_pipeline(struct tui *t, const char *arg) { jobs_pipeline(t); }
static void a_log_follow(struct tui *t, const char *arg) { log_follow(t); }
static void a_log_search(struct tui *t, const char *arg) { log_search(t); }
static void a_log_next(struct tui *t, const char *arg) { log_next(t, 1); }
static void a_log_prev(struct tui *t, const char *arg) { log_next(t, 0); }
static void a_log_left(struct tui *t, const char *arg)
{ log_hscroll(t, -8); }
static void a_log_right(struct tui *t, const char *arg)
{ log_hscroll(t, 8); }
static void a_log_wrap(struct tui *t, const char *arg) { log_wrap(t); }

const struct action actions[] = {
	{ "back", SCOPE_GLOBAL, NULL, "go back: close help, clear the "
	    "filter, leave the pane; quit at the top", a_back },
	{ "quit", SCOPE_GLOBAL, NULL, "quit lathe (everything keeps running "
	    "in the core)", a_quit },
	{ "help", SCOPE_GLOBAL, NULL, "show the keys of the focused pane",
	    a_help },
	{ "palette", SCOPE_GLOBAL, NULL, "run a command by name, with Tab "
	    "completion", a_palette },
	{ "redraw", SCOPE_GLOBAL, NULL, "redraw the whole screen", a_redraw },
	{ "mouse", SCOPE_GLOBAL, NULL, "turn mouse capture on or off (off "
	    "lets the terminal select text)", a_mouse },
	{ "theme", SCOPE_GLOBAL, "THEME", "switch the colour theme",
	    a_theme },
	{ "sweep", SCOPE_GLOBAL, "SCRIPT NAME=V1,V2 ...", "run a script "
	    "over a grid of values (parallel=N), each point an MLflow run",
	    a_sweep },
	{ "focus-next", SCOPE_GLOBAL, NULL, "move the focus to the next pane",
	    a_focus_next },
	{ "focus-prev", SCOPE_GLOBAL, NULL, "move the focus to the previous "
	    "pane", a_focus_prev },
	{ "files", SCOPE_GLOBAL, NULL, "show the project's files", a_files },
	{ "sessions", SCOPE_GLOBAL, NULL, "show sessions", a_sessions },
	{ "jobs", SCOPE_GLOBAL, NULL, "show jobs", a_jobs },
	{ "experiments", SCOPE_GLOBAL, NULL, "show experiments",
	    a_experiments },
	{ "models", SCOPE_GLOBAL, NULL, "show models", a_models },
	{ "applications", SCOPE_GLOBAL, NULL, "show applications",
	    a_applications },
	{ "settings", SCOPE_GLOBAL, NULL, "show the project's settings and "
	    "environment", a_settings },
	{ "projects", SCOPE_GLOBAL, NULL, "pick another project (:projects "
	    "NAME opens one)", a_projects },
	{ "refresh", SCOPE_GLOBAL, NULL, "reload from the core", a_refresh },
	{ "down", SCOPE_LIST, NULL, "move down", a_down },
	{ "up", SCOPE_LIST, NULL, "move up", a_up },
	{ "top", SCOPE_LIST, NULL, "go to the first row", a_top },
	{ "bottom", SCOPE_LIST, NULL, "go to the last row", a_bottom },
	{ "page-down", SCOPE_LIST, NULL, "one page down", a_page_down },
	{ "page-up", SCOPE_LIST, NULL, "one page up", a_page_up },
	{ "filter", SCOPE_LIST, NULL, "filter the list as you type (Esc "
	    "clears)", a_filter },
	{ "open", SCOPE_LIST, NULL, "open the selected row", a_open },
	{ "runs-back", SCOPE_RUNS, NULL, "clear the filter, or go back to "
	    "the experiments", runs_a_back },
	{ "column-left", SCOPE_RUNS, NULL, "move to the column on the left",
	    runs_a_left },
	{ "column-right", SCOPE_RUNS, NULL, "move to the column on the "
	    "right (the table scrolls sideways)", runs_a_right },
	{ "sort-asc", SCOPE_RUNS, NULL, "sort ascending on the column under "
	    "the cursor", runs_a_sort_asc },
	{ "sort-desc", SCOPE_RUNS, NULL, "sort descending on the column "
	    "under the cursor", runs_a_sort_desc },
	{ "runs-filter", SCOPE_RUNS, NULL, "filter runs with MLflow's "
	    "syntax, e.g. metrics.acc > 0.8 and params.lr = '0.01'",
	    runs_a_filter },
	{ "columns", SCOPE_RUNS, NULL, "choose the columns shown and their "
	    "order", runs_a_columns },
	{ "mark", SCOPE_RUNS, NULL, "select the run to compare (or not)",
	    runs_a_mark },
	{ "unmark-all", SCOPE_RUNS, NULL, "clear the selection of runs",
	    runs_a_unmark },
	{ "compare", SCOPE_RUNS, NULL, "compare the selected runs (or the "
	    "one under the cursor) in charts and a table", runs_a_compare },
	{ "columns-back", SCOPE_COLUMNS, NULL, "close the column chooser",
	    columns_a_back },
	{ "column-toggle", SCOPE_COLUMNS, NULL, "show or hide the column",
	    columns_a_toggle },
	{ "column-up", SCOPE_COLUMNS, NULL, "move the column left (up the "
	    "list)", columns_a_up },
	{ "column-down", SCOPE_COLUMNS, NULL, "move the column right (down "
	    "the list)", columns_a_down },
	{ "columns-all", SCOPE_COLUMNS, NULL, "show every column",
	    columns_a_all },
	{ "compare-back", SCOPE_COMPARE, NULL, "back to the runs table",
	    compare_a_back },
	{ "chart-history", SCOPE_COMPARE, NULL, "chart the metric's history "
	    "of each run", compare_a_history },
	{ "chart-scatter", SCOPE_COMPARE, NULL, "plot a param against a "
	    "metric", compare_a_scatter },
	{ "chart-bars", SCOPE_COMPARE, NULL, "the metric's latest value of "
	    "each run as bars", compare_a_bars },
	{ "compare-table", SCOPE_COMPARE, NULL, "params and metrics side by "
	    "side", compare_a_table },
	{ "compare-next", SCOPE_COMPARE, NULL, "the next tab",
	    compare_a_next },
	{ "compare-prev", SCOPE_COMPARE, NULL, "the previous tab",
	    compare_a_prev },
	{ "pick-metric", SCOPE_COMPARE, NULL, "choose the metric compared "
	    "(:pick-metric NAME sets it)", compare_a_metric },
	{ "pick-param", SCOPE_COMPARE, NULL, "choose the param on the "
	    "scatter's x axis (:pick-param NAME)", compare_a_param },
	{ "axes", SCOPE_COMPARE, NULL, "history on shared axes, or one chart "
	    "a run", compare_a_axes },
	{ "log-scale", SCOPE_COMPARE, NULL, "switch the y axis between "
	    "linear and log", compare_a_log },
	{ "only-diffs", SCOPE_COMPARE, NULL, "in the table, only the params "
	    "and metrics that differ (or all)", compare_a_diffs },
	{ "compare-left", SCOPE_COMPARE, NULL, "in the table, the runs on "
	    "the left", compare_a_left },
	{ "compare-right", SCOPE_COMPARE, NULL, "in the table, the runs on "
	    "the right", compare_a_right },
	{ "pick-back", SCOPE_PICK, NULL, "close the chooser (Enter picks)",
	    pick_a_back },
	{ "project-new", SCOPE_PICKER, NULL, "create a project", a_project_new },
	{ "project-delete", SCOPE_PICKER, NULL, "delete the selected project",
	    a_project_delete },
	{ "expand", SCOPE_FILES, NULL, "open a directory", a_expand },
	{ "collapse", SCOPE_FILES, NULL, "close a directory (or go to its "
	    "parent)", a_collapse },
	{ "render", SCOPE_PREVIEW, NULL, "switch Markdown between rendered "
	    "and source", a_render },
	{ "edit", SCOPE_SETTINGS, NULL, "edit the selected setting or "
	    "variable", a_edit },
	{ "env-add", SCOPE_SETTINGS, NULL, "add an environment variable",
	    a_env_add },
	{ "env-secret", SCOPE_SETTINGS, NULL, "add a secret variable (its "
	    "value is never shown)", a_env_secret },
	{ "env-delete", SCOPE_SETTINGS, NULL, "delete the selected variable",
	    a_env_delete },
	{ "job-run", SCOPE_JOBS, NULL, "run the selected job now",
	    a_job_run },
	{ "run-stop", SCOPE_JOBS, NULL, "stop the selected run, or the "
	    "selected job's active one", a_run_stop },
	{ "run-rerun", SCOPE_JOBS, NULL, "run the selected run again, with "
	    "its arguments", a_run_rerun },
	{ "job-new", SCOPE_JOBS, NULL, "create a job", a_job_new },
	{ "job-edit", SCOPE_JOBS, NULL, "edit the selected job", a_job_edit },
	{ "job-delete", SCOPE_JOBS, NULL, "delete the selected job, its runs "
	    "and logs (type its name)", a_job_delete },
	{ "pipeline", SCOPE_JOBS, NULL, "show the jobs that follow others as "
	    "a tree, or the list again", a_pipeline },
	{ "log-follow", SCOPE_LOG, NULL, "follow the end of the log as it "
	    "grows, or stay put", a_log_follow },
	{ "log-search", SCOPE_LOG, NULL, "find text in the log (n next, N "
	    "previous)", a_log_search },
	{ "log-next", SCOPE_LOG, NULL, "find the next match", a_log_next },
	{ "log-prev", SCOPE_LOG, NULL, "find the previous match",
	    a_log_prev },
	{ "log-left", SCOPE_LOG, NULL, "scroll long lines left",
	    a_log_left },
	{ "log-right", SCOPE_LOG, NULL, "scroll long lines right",
	    a_log_right },
	{ "log-wrap", SCOPE_LOG, NULL, "wrap long lines, or cut them",
	    a_log_wrap },
};
const size_t nactions = sizeof actions / sizeof actions[0];

const struct action *
action_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nactions; i++) {
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	}
	return NULL;
}
