/*
 * Colour roles: what a piece of the screen is, not what colour it has.
 * Themes map each role to colours and attributes; everything drawn names a
 * role. Keep role_names in theme.c in step with this list.
 */
#ifndef LATHE_ROLE_H
#define LATHE_ROLE_H

enum role {
	ROLE_DEFAULT,		/* text of the main area */
	ROLE_DIM,		/* secondary text: sizes, times, hints */
	ROLE_TOPBAR,
	ROLE_SIDEBAR,
	ROLE_SIDEBAR_ACTIVE,	/* the current section */
	ROLE_STATUS,		/* the status line */
	ROLE_BORDER,
	ROLE_TITLE,		/* pane titles */
	ROLE_SELECTION,		/* the selected row (also reverse video) */
	ROLE_MATCH,		/* filter matches */
	ROLE_INPUT,		/* text fields, the palette */
	ROLE_ERROR,
	ROLE_WARNING,
	ROLE_OK,
	ROLE_ACCENT,		/* keys in hints, counts */
	ROLE_DIRECTORY,		/* directories in the file tree */
	ROLE_ESCAPE,		/* control characters shown escaped */
	/* Source code. */
	ROLE_KEYWORD,
	ROLE_STRING,
	ROLE_COMMENT,
	ROLE_NUMBER,
	ROLE_FUNCTION,
	ROLE_OPERATOR,
	/* Rendered Markdown. */
	ROLE_HEADING,
	ROLE_EMPH,
	ROLE_STRONG,
	ROLE_CODE,
	ROLE_LINK,
	ROLE_QUOTE,
	ROLE_LIST_MARK,
	ROLE_RULE,
	/* Chart series, by colour (chart_draw.h). */
	ROLE_CHART_1,
	ROLE_CHART_2,
	ROLE_CHART_3,
	ROLE_CHART_4,
	ROLE_CHART_5,
	ROLE_CHART_6,
	ROLE_CHART_7,
	ROLE_CHART_8,
	ROLE_COUNT
};

#endif
