/*
 * The terminal UI: one libuv loop that reads keys, talks to the core
 * asynchronously, and redraws what changed once per turn. This header is
 * what the panes share: the state of the UI and the calls they make on it.
 */
#ifndef LATHE_TUI_H
#define LATHE_TUI_H

#include <stdint.h>

#include <curses.h>
#include <cjson/cJSON.h>
#include <uv.h>

#include "input.h"
#include "keys.h"
#include "list.h"

struct async;
struct tui;
struct client;
struct conf;
struct theme;

enum section {
	SECTION_FILES,
	SECTION_SESSIONS,
	SECTION_JOBS,
	SECTION_EXPERIMENTS,
	SECTION_MODELS,
	SECTION_APPLICATIONS,
	SECTION_SETTINGS,
	SECTION_COUNT
};

/* What has to be drawn again. */
#define DIRTY_TOP	0x1
#define DIRTY_SIDE	0x2
#define DIRTY_MAIN	0x4
#define DIRTY_STATUS	0x8
#define DIRTY_ALL	0xf

/* A pane: something in the main area that can have the focus. */
struct pane {
	const char	*name;
	enum scope	 scope;
	const char	*hints;		/* action names shown in the status */
	/* The list that movement and filtering act on, or NULL. */
	struct list	*(*list)(struct tui *);
	void		 (*draw)(struct tui *, WINDOW *, int y, int x, int h,
			    int w);
	void		 (*open)(struct tui *);
	/* Scroll without a list (a text viewer); delta in rows. */
	void		 (*scroll_by)(struct tui *, long delta);
	/* After the list's filter or selection changed. */
	void		 (*changed)(struct tui *);
	/* Match row i of the list against a lower-case filter. */
	int		 (*match)(void *, size_t, const char *);
	/* Reload from the core. */
	void		 (*reload)(struct tui *);
	/* A click at a row of the pane (0 = its first row). */
	void		 (*click)(struct tui *, int row, int col);
	/* Keys the pane takes before the bindings (a form); 1 if taken. */
	int		 (*key)(struct tui *, int key);
	/* Esc or q: step back within the section; 1 if it did. */
	int		 (*back)(struct tui *);
	/* Tab (forward) or Shift-Tab: move within the section; 1 if it did. */
	int		 (*step)(struct tui *, int forward);
};

/* Where the main area's panes are, set by the layout. */
struct area {
	int	y, x, h, w;
};

/* A prompt in the status line (filter, palette, confirmation). */
enum prompt_kind {
	PROMPT_NONE,
	PROMPT_FILTER,
	PROMPT_PALETTE,
	PROMPT_TEXT,		/* a question answered with a line of text */
};

typedef void	(*prompt_fn)(struct tui *, const char *answer);

struct tui {
	uv_loop_t	*loop;
	struct client	*client;
	struct async	*async;
	struct conf	*config;
	struct theme	*theme;
	char		*data_dir;
	int		 mode;		/* enum theme_mode */

	int		 rows, cols;
	int		 too_small;
	WINDOW		*top, *side, *main, *status;
	int		 dirty;
	int		 quit;
	int		 mouse;
	int		 help;		/* the help screen is shown */
	long		 help_top;

	/* The core. */
	int		 core_ok;
	int		 core_seen;	/* answered at least once */
	char		*core_error;
	long		 core_pid;
	int		 core_port;
	int		 runs_running;	/* job runs, from health */
	int		 runs_queued;
	uint64_t	 health_call;

	/* The project. */
	int		 picking;	/* the project picker is shown */
	char		*project;	/* name of the open project, or NULL */
	char		*project_id;
	char		*project_path;
	cJSON		*project_json;	/* the project as the core sent it */

	enum section	 section;
	int		 side_focus;	/* the side bar has the focus */
	struct pane	*focus;		/* the pane with the focus */
	struct list	 sections;

	/* The status line. */
	enum prompt_kind prompt;
	char		 prompt_label[128];
	struct input	 input;
	prompt_fn	 prompt_done;
	char		*message;
	int		 message_error;
	uint64_t	 message_until;

	/* Palette completion. */
	char		**completions;
	size_t		 ncompletions;

	struct area	 area;		/* the main area, in screen rows */
	uv_timer_t	 health_timer;
	uv_timer_t	 message_timer;
	uv_prepare_t	 redraw;
	uv_poll_t	 stdin_poll;
	uv_signal_t	 sigwinch;
	uv_signal_t	 sigterm;
	uv_signal_t	 sighup;
};

/* Run the UI; project names the project to open, or NULL. */
int	 tui_main(const char *project);

void	 tui_dirty(struct tui *, int what);
/* Show a message in the status line for a few seconds. */
void	 tui_message(struct tui *, int error, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Ask a question in the status line; done gets the answer (or NULL). */
void	 tui_ask(struct tui *, const char *label, const char *initial,
	    int secret, prompt_fn done);
/* Open a project by name (asynchronously) and show it. */
void	 tui_open_project(struct tui *, const char *name);
/* Show the project picker. */
void	 tui_pick_project(struct tui *);
/* Lay the screen out again (after the picker comes or goes). */
void	 tui_relayout(struct tui *);
/* Give the focus to a pane. */
void	 tui_focus(struct tui *, struct pane *);
/* Show a section. */
void	 tui_section(struct tui *, enum section);
/* Switch the theme; 0, or -1 after saying why in the status line. */
int	 tui_set_theme(struct tui *, const char *name);
void	 tui_toggle_mouse(struct tui *);
/* Remember the project to open next time. */
void	 tui_remember_project(const char *name);
/* Escape a path segment or query value for a request. */
char	*tui_escape(const char *);

/* Panes (pane_*.c). */
extern struct pane	pane_picker;
extern struct pane	pane_tree;
extern struct pane	pane_preview;
extern struct pane	pane_settings;
extern struct pane	pane_later;
extern struct pane	pane_jobs;
extern struct pane	pane_runs;
extern struct pane	pane_log;
extern struct pane	pane_pipeline;
extern struct pane	pane_jobform;
void	 picker_load(struct tui *);
void	 files_load(struct tui *);
void	 settings_load(struct tui *);
void	 picker_new(struct tui *);
void	 picker_delete(struct tui *);
void	 files_expand(struct tui *, int expand);
void	 files_render(struct tui *);
void	 settings_edit(struct tui *);
void	 settings_add(struct tui *, int secret);
void	 settings_delete(struct tui *);
/* Draw the files section's two panes into the main area. */
void	 files_draw(struct tui *, WINDOW *, int h, int w);
/* Free what the panes hold when the project changes or lathe exits. */
void	 files_reset(struct tui *);
/* Also close the files section's handles, when lathe exits. */
void	 files_done(struct tui *);
void	 settings_reset(struct tui *);
void	 picker_reset(struct tui *);

/* The Jobs section (pane_jobs.c): shown, drawn, forgotten, closed. */
void	 jobs_show(struct tui *);
void	 jobs_draw(struct tui *, WINDOW *, int h, int w);
void	 jobs_reset(struct tui *);
void	 jobs_done(struct tui *);
/* Its actions. */
void	 jobs_run(struct tui *);
void	 jobs_stop(struct tui *);
void	 jobs_rerun(struct tui *);
void	 jobs_new(struct tui *);
void	 jobs_edit(struct tui *);
void	 jobs_delete(struct tui *);
void	 jobs_pipeline(struct tui *);
void	 log_follow(struct tui *);
void	 log_search(struct tui *);
void	 log_next(struct tui *, int forward);
void	 log_hscroll(struct tui *, int cols);
void	 log_wrap(struct tui *);
/* The jobs as last loaded (an array; NULL before), for the form. */
const cJSON	*jobs_all(void);
/* A job was saved by the form: show the list with job id selected. */
void	 jobs_saved(struct tui *, const char *id);

/*
 * The job form (pane_jobform.c): open it on job (NULL for a new one),
 * draw it, forget it.
 */
void	 jobform_open(struct tui *, const cJSON *job);
void	 jobform_draw(struct tui *, WINDOW *, int h, int w);
void	 jobform_reset(struct tui *);
/* Also close its handles, when lathe exits. */
void	 jobform_done(struct tui *);

#endif
