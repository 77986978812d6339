/*
 * The user's config file, $XDG_CONFIG_HOME/lathe/config (INI): theme, mouse,
 * chart style and key bindings. lathe reads it and never writes it. Every
 * problem is collected as "FILE:LINE: what (expected ...)" and the rest
 * still loads, so one typo never costs the other settings.
 *
 * The module is conf, not config: a tui/config.h would shadow autoconf's
 * config.h for every file in tui/ (quoted includes look beside the
 * including file first).
 *
 * conf_ini_parse is the INI reading that the config and the theme files
 * share: inih with line numbers and a report for every bad line.
 */
#ifndef LATHE_CONF_H
#define LATHE_CONF_H

#include <stddef.h>
#include <stdio.h>

enum conf_chart {
	CONF_CHART_BRAILLE,
	CONF_CHART_BLOCK,
	CONF_CHART_ASCII,
	CONF_CHART_AUTO		/* braille, or what the terminal can show */
};

/* One "bind = KEY ACTION" line; the TUI validates key and action. */
struct conf_bind {
	char	*key;
	char	*action;
	char	*file;		/* where it was written, for messages */
	int	 line;
};

struct conf {
	char			*theme;		/* "dark" unless set */
	int			 mouse;		/* 1 unless set */
	enum conf_chart		 chart_style;	/* auto unless set */
	struct conf_bind	*binds;		/* in file order */
	size_t			 nbinds;
	char			**errors;	/* "FILE:LINE: what" each */
	size_t			 nerrors;
};

/*
 * Load the config file at path (NULL: paths_config_dir()/config). Never
 * fails: a missing file gives the defaults and no errors; an unreadable
 * file gives the defaults and one error; bad lines are listed in errors
 * while the good ones load. The caller frees the result with conf_free.
 */
struct conf	*conf_load(const char *path);
void		 conf_free(struct conf *);
/* "braille", "block", "ascii", "auto". */
const char	*conf_chart_name(enum conf_chart);

/*
 * Called for each [section] line (key and value NULL) and each key = value
 * line (section "" before the first header), with the line number. Return
 * NULL when the line is fine, or an allocated "what was wrong" that the
 * parser turns into "PATH:LINE: what". A message for a section line also
 * makes the parser skip that section's keys, so that one unknown section
 * is reported once.
 */
typedef char	*(*conf_ini_fn)(void *arg, int line, const char *section,
		    const char *key, const char *value);

/*
 * Parse the INI text in f (named path in messages) through inih, calling fn
 * for each section and pair. Lines that are not a comment, a [section] or a
 * KEY = VALUE pair, and lines too long for inih, are reported and skipped;
 * leading blanks never continue the previous value. Messages are appended
 * to *errors (*nerrors of them). Return 0, or -1 with *cause when the file
 * cannot be read (what was parsed before stays).
 */
int		 conf_ini_parse(FILE *f, const char *path, conf_ini_fn fn,
		    void *arg, char ***errors, size_t *nerrors, char **cause);

#endif
