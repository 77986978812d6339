/*
 * Validation rules shared by the core and the client, so that a form in
 * the TUI says what is wrong as the user types, in the same words the core
 * would use. Each returns 0, or -1 with *cause saying what is wrong.
 */
#ifndef LATHE_VALID_H
#define LATHE_VALID_H

#include <stddef.h>

#define VALID_NAME_MAX		64
#define VALID_DESC_MAX		4096
#define VALID_ENV_NAME_MAX	128
#define VALID_ENV_VALUE_MAX	32768

/*
 * An identifier (what names it in messages, e.g. "a project name"): 1 to
 * max characters of ASCII letters, digits, '-', '_' and '.', beginning
 * with a letter or digit, not all digits (numbers are ids).
 */
int	 valid_identifier(const char *what, const char *s, size_t max,
	    char **cause);
int	 valid_project_name(const char *, char **cause);
/* A reference to a runtime, profile or key name: empty, or an identifier. */
int	 valid_ref(const char *what, const char *, char **cause);
/* A description: UTF-8, at most VALID_DESC_MAX bytes, no control bytes. */
int	 valid_description(const char *, char **cause);
/* An environment variable name: [A-Za-z_][A-Za-z0-9_]*, not LATHE_*. */
int	 valid_env_name(const char *, char **cause);
int	 valid_env_value(const char *, char **cause);

#endif
