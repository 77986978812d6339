/*
 * Syntax highlighting, one line at a time: a colour role for every byte of
 * a line, and a small integer that carries what continues onto the next
 * line (a triple-quoted string, a block comment, a fenced code block).
 */
#ifndef LATHE_SYNTAX_H
#define LATHE_SYNTAX_H

#include <stddef.h>

enum syntax_lang {
	SYNTAX_NONE,
	SYNTAX_PYTHON,
	SYNTAX_R,
	SYNTAX_SQL,
	SYNTAX_SHELL,
	SYNTAX_JSON,
	SYNTAX_YAML,
	SYNTAX_MARKDOWN,
	SYNTAX_COUNT
};

/*
 * Return the language of a file from its name (a path or a base name; the
 * extension, or names such as .bashrc) or else from the shebang of its
 * first line (NUL-terminated; only the text up to the first newline is
 * read). Either may be NULL. SYNTAX_NONE when neither tells.
 */
enum syntax_lang syntax_detect(const char *filename, const char *first_line);

/*
 * Return the language a code fence's info string or a file extension
 * names: len bytes such as "python", "py", "{r setup}", "bash", "yml";
 * compared without case. SYNTAX_NONE when unknown.
 */
enum syntax_lang syntax_lookup(const char *name, size_t len);

/* Return a language's display name ("Python", "text" for none); static. */
const char	*syntax_name(enum syntax_lang);

/*
 * Fill roles[0 .. len) with an enum role for each byte of one line (no
 * newline), which may hold any bytes. *state is 0 before the first line of
 * a file; it is updated to carry into the next line and must be passed
 * back unchanged. Never reads line past len; time is linear in len.
 */
void		 syntax_line(enum syntax_lang, const char *line, size_t len,
		     unsigned char *roles, int *state);

#endif
