/*
 * Key names and the binding table. The defaults follow what users know from
 * vim, less, tmux and lazygit; none is on C-a, C-b or C-d, which tmux and
 * screen take as prefixes.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "action.h"
#include "keys.h"
#include "xmalloc.h"

static const struct {
	const char	*name;
	int		 key;
} keys_named[] = {
	{ "Up", KEYS_SPECIAL | KEY_UP },
	{ "Down", KEYS_SPECIAL | KEY_DOWN },
	{ "Left", KEYS_SPECIAL | KEY_LEFT },
	{ "Right", KEYS_SPECIAL | KEY_RIGHT },
	{ "Home", KEYS_SPECIAL | KEY_HOME },
	{ "End", KEYS_SPECIAL | KEY_END },
	{ "PgUp", KEYS_SPECIAL | KEY_PPAGE },
	{ "PgDn", KEYS_SPECIAL | KEY_NPAGE },
	{ "Del", KEYS_SPECIAL | KEY_DC },
	{ "Ins", KEYS_SPECIAL | KEY_IC },
	{ "BS", KEYS_SPECIAL | KEY_BACKSPACE },
	{ "S-Tab", KEYS_SPECIAL | KEY_BTAB },
	{ "Enter", '\r' },
	{ "Tab", '\t' },
	{ "Esc", KEYS_ESC },
	{ "Space", ' ' },
};

static const struct {
	const char	*key;
	const char	*action;
} keys_defaults[] = {
	{ "q", "back" },
	{ "Esc", "back" },
	{ "?", "help" },
	{ ":", "palette" },
	{ "C-l", "redraw" },
	{ "F2", "mouse" },
	{ "Tab", "focus-next" },
	{ "S-Tab", "focus-prev" },
	{ "1", "files" },
	{ "2", "sessions" },
	{ "3", "jobs" },
	{ "4", "experiments" },
	{ "5", "models" },
	{ "6", "applications" },
	{ "7", "settings" },
	{ "p", "projects" },
	{ "j", "down" },
	{ "Down", "down" },
	{ "k", "up" },
	{ "Up", "up" },
	{ "g", "top" },
	{ "Home", "top" },
	{ "G", "bottom" },
	{ "End", "bottom" },
	{ "PgDn", "page-down" },
	{ "C-f", "page-down" },
	{ "PgUp", "page-up" },
	{ "C-u", "page-up" },
	{ "/", "filter" },
	{ "Enter", "open" },
	{ "q", "runs-back" },
	{ "Esc", "runs-back" },
	{ "h", "column-left" },
	{ "Left", "column-left" },
	{ "l", "column-right" },
	{ "Right", "column-right" },
	{ "o", "sort-asc" },
	{ "O", "sort-desc" },
	{ "/", "runs-filter" },
	{ "c", "columns" },
	{ "Space", "mark" },
	{ "u", "unmark-all" },
	{ "C", "compare" },
	{ "q", "columns-back" },
	{ "Esc", "columns-back" },
	{ "Space", "column-toggle" },
	{ "K", "column-up" },
	{ "J", "column-down" },
	{ "a", "columns-all" },
	{ "q", "compare-back" },
	{ "Esc", "compare-back" },
	{ "1", "chart-history" },
	{ "2", "chart-scatter" },
	{ "3", "chart-bars" },
	{ "4", "compare-table" },
	{ "Tab", "compare-next" },
	{ "S-Tab", "compare-prev" },
	{ "m", "pick-metric" },
	{ "p", "pick-param" },
	{ "a", "axes" },
	{ "L", "log-scale" },
	{ "d", "only-diffs" },
	{ "h", "compare-left" },
	{ "Left", "compare-left" },
	{ "l", "compare-right" },
	{ "Right", "compare-right" },
	{ "q", "pick-back" },
	{ "Esc", "pick-back" },
	{ "n", "project-new" },
	{ "d", "project-delete" },
	{ "R", "refresh" },
	{ "l", "expand" },
	{ "Right", "expand" },
	{ "h", "collapse" },
	{ "Left", "collapse" },
	{ "v", "render" },
	{ "a", "env-add" },
	{ "e", "edit" },
	{ "x", "env-delete" },
	{ "s", "env-secret" },
	{ "r", "job-run" },
	{ "s", "run-stop" },
	{ "R", "run-rerun" },
	{ "n", "job-new" },
	{ "e", "job-edit" },
	{ "d", "job-delete" },
	{ "p", "pipeline" },
	{ "f", "log-follow" },
	{ "F", "log-follow" },
	{ "/", "log-search" },
	{ "n", "log-next" },
	{ "N", "log-prev" },
	{ "h", "log-left" },
	{ "Left", "log-left" },
	{ "l", "log-right" },
	{ "Right", "log-right" },
	{ "w", "log-wrap" },
};

struct binding {
	int		 key;
	enum scope	 scope;
	char		*action;
};

static struct binding	*keys_table;
static size_t		 keys_n;

int
keys_parse(const char *s)
{
	size_t	i, len = strlen(s);
	int	n;

	if (len == 0)
		return -1;
	if (s[0] == '<' && s[len - 1] == '>' && len > 2) {
		char	inner[32];

		if (len - 2 >= sizeof inner)
			return -1;
		memcpy(inner, s + 1, len - 2);
		inner[len - 2] = '\0';
		return keys_parse(inner);
	}
	for (i = 0; i < sizeof keys_named / sizeof keys_named[0]; i++) {
		if (strcasecmp(s, keys_named[i].name) == 0)
			return keys_named[i].key;
	}
	if ((s[0] == 'F' || s[0] == 'f') && len > 1 && len <= 3 &&
	    isdigit((unsigned char)s[1])) {
		n = atoi(s + 1);
		if (n >= 1 && n <= 12)
			return KEYS_SPECIAL | KEY_F(n);
		return -1;
	}
	if (len == 3 && (s[0] == 'C' || s[0] == 'c') && s[1] == '-' &&
	    isalpha((unsigned char)s[2]))
		return KEYS_CTRL(s[2]);
	if (len == 1 && (unsigned char)s[0] > 0x20 && (unsigned char)s[0] < 0x7f)
		return (unsigned char)s[0];
	return -1;
}

const char *
keys_name(int key, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof keys_named / sizeof keys_named[0]; i++) {
		if (keys_named[i].key == key) {
			snprintf(buf, len, "<%s>", keys_named[i].name);
			return buf;
		}
	}
	if (key & KEYS_SPECIAL) {
		int	k = key & ~KEYS_SPECIAL;

		if (k >= KEY_F(1) && k <= KEY_F(12))
			snprintf(buf, len, "<F%d>", k - KEY_F(0));
		else
			snprintf(buf, len, "<key %d>", k);
	} else if (key < 0x20)
		snprintf(buf, len, "C-%c", key + 'a' - 1);
	else if (key < 0x80)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "U+%04X", key);
	return buf;
}

void
keys_bind(int key, const char *name)
{
	const struct action	*a = action_find(name);
	size_t			 i;

	if (a == NULL)
		return;
	for (i = 0; i < keys_n; i++) {
		if (keys_table[i].key == key && keys_table[i].scope == a->scope) {
			free(keys_table[i].action);
			keys_table[i].action = xstrdup(name);
			return;
		}
	}
	keys_table = xrealloc(keys_table, (keys_n + 1) * sizeof *keys_table);
	keys_table[keys_n].key = key;
	keys_table[keys_n].scope = a->scope;
	keys_table[keys_n].action = xstrdup(name);
	keys_n++;
}

void
keys_init(void)
{
	size_t	i;

	for (i = 0; i < sizeof keys_defaults / sizeof keys_defaults[0]; i++)
		keys_bind(keys_parse(keys_defaults[i].key),
		    keys_defaults[i].action);
}

static const char *
keys_find(enum scope scope, int key)
{
	size_t	i;

	for (i = 0; i < keys_n; i++) {
		if (keys_table[i].key == key && keys_table[i].scope == scope)
			return keys_table[i].action;
	}
	return NULL;
}

enum scope
keys_parent(enum scope scope)
{
	return scope == SCOPE_LOG ? SCOPE_JOBS : SCOPE_GLOBAL;
}

const char *
keys_lookup(enum scope scope, int is_list, int key)
{
	const char	*a;

	if ((a = keys_find(scope, key)) != NULL)
		return a;
	if (keys_parent(scope) != SCOPE_GLOBAL &&
	    (a = keys_find(keys_parent(scope), key)) != NULL)
		return a;
	if (is_list && (a = keys_find(SCOPE_LIST, key)) != NULL)
		return a;
	return keys_find(SCOPE_GLOBAL, key);
}

const char *
keys_for(const char *action, char *buf, size_t len)
{
	size_t	i, used = 0;
	char	name[32];

	buf[0] = '\0';
	for (i = 0; i < keys_n && used + 1 < len; i++) {
		if (strcmp(keys_table[i].action, action) != 0)
			continue;
		keys_name(keys_table[i].key, name, sizeof name);
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    used ? " " : "", name);
		if (used >= len)
			used = len - 1;
	}
	return buf;
}
