/*
 * Keys and bindings. A key is a Unicode code point, or a curses KEY_*
 * code with KEYS_SPECIAL set (so that the two ranges never collide), or a
 * control character. Bindings map a key in a scope to an action's name;
 * the defaults are data, and the user's config rebinds them.
 */
#ifndef LATHE_KEYS_H
#define LATHE_KEYS_H

#include <stddef.h>

#define KEYS_SPECIAL	0x40000000
#define KEYS_CTRL(c)	((c) & 0x1f)
#define KEYS_ESC	0x1b

/* Scopes: where a binding applies. Global bindings apply everywhere. */
enum scope {
	SCOPE_GLOBAL,
	SCOPE_LIST,	/* any list: movement, filter */
	SCOPE_EXPERIMENTS,
	SCOPE_RUNS,	/* the runs table of an experiment */
	SCOPE_COLUMNS,	/* its column chooser */
	SCOPE_COMPARE,	/* runs compared in charts and a table */
	SCOPE_PICK,	/* choosing the metric or param compared */
	SCOPE_PICKER,
	SCOPE_FILES,
	SCOPE_PREVIEW,
	SCOPE_SETTINGS,
	SCOPE_JOBS,	/* the jobs list, runs and pipeline */
	SCOPE_LOG,	/* a run's log; takes the jobs' keys it leaves */
	SCOPE_COUNT
};

/* Parse "j", "G", "C-l", "<Up>", "<PgDn>", "<Enter>", "<F2>"; -1 if bad. */
int		 keys_parse(const char *);
/* The name of a key as keys_parse reads it, into buf. */
const char	*keys_name(int key, char *buf, size_t len);

/* Install the default bindings. */
void		 keys_init(void);
/* Bind key to action (replacing what key did in the action's scope). */
void		 keys_bind(int key, const char *action);
/*
 * The scope whose bindings scope also takes where it has none of its own
 * (the log's, the jobs'), or SCOPE_GLOBAL.
 */
enum scope	 keys_parent(enum scope);
/*
 * The action bound to key in scope (falling back to its parent scope, then
 * to the list scope for list panes, then to global); NULL if none.
 */
const char	*keys_lookup(enum scope, int is_list, int key);
/* The keys bound to action, as "j, <Down>" into buf ("" if none). */
const char	*keys_for(const char *action, char *buf, size_t len);

#endif
