/*
 * Styled text: lines of UTF-8 with a colour role for every byte, as the
 * Markdown renderer and the syntax highlighter produce them and the panes
 * draw them.
 */
#ifndef LATHE_STYLED_H
#define LATHE_STYLED_H

#include <stddef.h>

#include "role.h"

struct styled_line {
	char		*text;		/* UTF-8, NUL-terminated, no newline */
	unsigned char	*roles;		/* len entries, an enum role each */
	size_t		 len;		/* bytes in text */
};

/* Free n lines and the array. */
void	styled_lines_free(struct styled_line *, size_t n);

#endif
