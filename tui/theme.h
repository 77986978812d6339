/*
 * Themes: *.theme files (INI) that give each colour role of role.h its
 * colours and attributes, and what the screen does with them on the
 * terminal at hand (truecolor, 256, 16 colours or none).
 *
 *	[theme]
 *	name = dark
 *	description = light text on a dark background
 *	[roles]
 *	default = #d0d0d0 on #1c1c1c
 *	keyword = #5fafff bold
 *
 * A spec is FG [on BG] [bold] [underline] [italic] [reverse] [dim]; a colour
 * is #rrggbb, 0-255, black ... white, bright-black ... bright-white, or
 * default (the terminal's own). A spec may start with "on BG" or with an
 * attribute; a colour left out is the default role's, and a role left out
 * is the default role.
 *
 * Loading, finding and colour arithmetic are pure; theme_apply and
 * theme_attr use curses.
 */
#ifndef LATHE_THEME_H
#define LATHE_THEME_H

#include <stddef.h>

#include <curses.h>

#include "role.h"

enum theme_colour_kind {
	THEME_COLOUR_DEFAULT,	/* the terminal's default colour */
	THEME_COLOUR_INDEX,	/* 0-255: 0-15 are the named colours */
	THEME_COLOUR_RGB	/* 0xRRGGBB */
};

#define THEME_BOLD	0x01
#define THEME_UNDERLINE	0x02
#define THEME_ITALIC	0x04
#define THEME_REVERSE	0x08
#define THEME_DIM	0x10

struct theme_spec {
	int	fg_kind, bg_kind;	/* enum theme_colour_kind */
	int	fg, bg;			/* index or 0xRRGGBB */
	int	attrs;			/* THEME_BOLD | ... */
};

enum theme_mode {
	THEME_MONO,
	THEME_16,
	THEME_256,
	THEME_TRUECOLOR
};

struct theme;

/*
 * Load the theme file at path. Return NULL with *cause only when the file
 * cannot be read. Anything wrong inside (unknown section, key or role, bad
 * colour, unknown attribute, a line that is not INI) is a warning
 * "PATH:LINE: what", and the rest loads: a role whose line is bad is the
 * default role, as a role left out. The caller frees with theme_free.
 */
struct theme		*theme_load(const char *path, char **cause);
void			 theme_free(struct theme *);
/* The warnings of the load (*n of them); owned by the theme. */
const char *const	*theme_warnings(const struct theme *, size_t *n);
/* [theme] name, else the file's name without ".theme". */
const char		*theme_name(const struct theme *);
/* [theme] description, "" if none. */
const char		*theme_description(const struct theme *);
/* A role's colours, with everything left out already filled in. */
const struct theme_spec	*theme_role(const struct theme *, enum role);
/* The line that set a role, 0 when the file left it out. */
int			 theme_role_line(const struct theme *, enum role);

/* "sidebar_active" for ROLE_SIDEBAR_ACTIVE. */
const char		*theme_role_name(enum role);
/* The role named s (any case), or -1. */
int			 theme_role_parse(const char *s);

/*
 * Find NAME.theme in paths_config_dir()/themes, then in data_dir/themes
 * (data_dir may be NULL), and load it as theme_load does. When there is no
 * such theme, *cause says where it looked and lists the available names.
 */
struct theme		*theme_find(const char *name, const char *data_dir,
			    char **cause);
/*
 * The names of the available themes in both places, sorted, each once, in
 * a NULL-terminated array (*n entries). Free with theme_list_free.
 */
char			**theme_list(const char *data_dir, size_t *n);
void			 theme_list_free(char **);

/*
 * The colour mode for a terminal, from $NO_COLOR, $COLORTERM and the
 * terminal's number of colours (-1 unknown):
 *	NO_COLOR set and not empty, or fewer than 8 colours	MONO
 *	16M colours (terminfo direct colour), or COLORTERM
 *	truecolor or 24bit with at least 256 colours		TRUECOLOR
 *	at least 256 colours					256
 *	else							16
 * can_change (can_change_color()) does not change the answer: lathe never
 * redefines the terminal's palette. theme_apply lowers TRUECOLOR to 256
 * where the terminal has no direct colour.
 */
enum theme_mode		 theme_mode_detect(const char *no_color,
			    const char *colorterm, int colors, int can_change);
/* "mono", "16", "256", "truecolor". */
const char		*theme_mode_name(enum theme_mode);

/* The nearest xterm colour 16-255 (6x6x6 cube and grey ramp) to rgb. */
int			 theme_rgb_to_256(int rgb);
/* The nearest of the 16 ANSI colours (xterm's values) to rgb. */
int			 theme_rgb_to_16(int rgb);
/* The nearest of the 16 ANSI colours to colour idx of 256. */
int			 theme_index_to_16(int idx);

/*
 * Set up colour pairs for theme t in mode (from theme_mode_detect), after
 * initscr. Return the mode in effect, which is lower than asked when the
 * terminal cannot do it:
 *	- TRUECOLOR uses the rgb values as colour numbers (ncurses direct
 *	  colour, init_extended_pair) only where terminfo says the terminal
 *	  takes them: COLORS of 16M (e.g. TERM=xterm-direct). Elsewhere it
 *	  maps to the 256 palette, as COLORTERM alone does not tell ncurses
 *	  how to send rgb.
 *	- 256 and 16 map colours to the nearest the terminal has; on an
 *	  8-colour terminal the bright colours are the dark ones, bold.
 *	- MONO (or no colour support) uses attributes only, from a fixed
 *	  table: reverse for the selection, the top bar and the status line,
 *	  bold for titles, headings and keywords, underline for links, dim
 *	  for secondary text.
 * The selection always has bold or reverse, so that it shows without
 * colour too; it is reversed when its colours come out the same as the
 * default role's. Roles with the same colours share a pair, so at most
 * ROLE_COUNT pairs are used and COLOR_PAIR() holds them.
 */
enum theme_mode		 theme_apply(const struct theme *t,
			    enum theme_mode mode);
/*
 * The attributes to draw role with (COLOR_PAIR(n) | A_BOLD ...), for
 * wattrset or wattr_on. Before theme_apply, the monochrome ones.
 */
attr_t			 theme_attr(enum role);
/*
 * The attributes for text a workload coloured itself (SGR sequences in a
 * log): fg and bg are xterm colours 0-255, or -1 for the default role's;
 * attrs is THEME_BOLD | THEME_UNDERLINE | ... Colours map to what the
 * terminal has as the roles' do; without colours, the attributes alone.
 * Pairs are made as needed and reused oldest first when they run out.
 */
attr_t			 theme_sgr(int fg, int bg, int attrs);

#endif
