/*
 * Styled lines: the text and per-byte roles that the Markdown renderer and
 * the syntax highlighter hand to the panes.
 */
#include "config.h"

#include <stdlib.h>

#include "styled.h"

void
styled_lines_free(struct styled_line *lines, size_t n)
{
	size_t	i;

	if (lines == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(lines[i].text);
		free(lines[i].roles);
	}
	free(lines);
}
