/*
 * Validation rules shared by the core and the client.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "valid.h"
#include "xmalloc.h"

int
valid_identifier(const char *what, const char *s, size_t max,
    char **cause)
{
	size_t	 i, len = strlen(s);
	int	 digits = 1;

	if (len == 0) {
		*cause = xasprintf("%s must not be empty", what);
		return -1;
	}
	if (len > max) {
		*cause = xasprintf("%s is %zu characters long; the limit is "
		    "%zu", what, len, max);
		return -1;
	}
	if (!isalnum((unsigned char)s[0])) {
		*cause = xasprintf("%s must begin with a letter or a digit",
		    what);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isdigit(c))
			digits = 0;
		if (c < 0x80 && (isalnum(c) || c == '-' || c == '_' ||
		    c == '.'))
			continue;
		if (c < 0x20 || c == 0x7f)
			*cause = xasprintf("%s contains a control character "
			    "at position %zu", what, i + 1);
		else if (c >= 0x80)
			*cause = xasprintf("%s may only use ASCII letters, "
			    "digits, '-', '_' and '.' (byte %zu is not ASCII)",
			    what, i + 1);
		else
			*cause = xasprintf("%s may only use letters, digits, "
			    "'-', '_' and '.', not '%c'", what, c);
		return -1;
	}
	if (digits) {
		*cause = xasprintf("%s must not be all digits (numbers are "
		    "ids)", what);
		return -1;
	}
	return 0;
}

int
valid_project_name(const char *s, char **cause)
{
	return valid_identifier("a project name", s, VALID_NAME_MAX,
	    cause);
}

int
valid_description(const char *s, char **cause)
{
	size_t	i, len = strlen(s);

	if (len > VALID_DESC_MAX) {
		*cause = xasprintf("the description is %zu bytes long; the "
		    "limit is %d", len, VALID_DESC_MAX);
		return -1;
	}
	if (!json_utf8_valid(s, len)) {
		*cause = xstrdup("the description is not valid UTF-8");
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			*cause = xasprintf("the description contains a "
			    "control character at byte %zu", i + 1);
			return -1;
		}
	}
	return 0;
}

int
valid_env_name(const char *s, char **cause)
{
	size_t	i, len = strlen(s);

	if (len == 0) {
		*cause = xstrdup("an environment variable name must not be "
		    "empty");
		return -1;
	}
	if (len > VALID_ENV_NAME_MAX) {
		*cause = xasprintf("environment variable names are limited "
		    "to %d characters", VALID_ENV_NAME_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '_' || (c < 0x80 && isalpha(c)) ||
		    (i > 0 && c < 0x80 && isdigit(c)))
			continue;
		*cause = xasprintf("environment variable name '%s' is not "
		    "valid: use letters, digits and '_', not beginning with a "
		    "digit", json_utf8_valid(s, len) ? s : "(not UTF-8)");
		return -1;
	}
	if (strncmp(s, "LATHE_", 6) == 0) {
		*cause = xasprintf("'%s': names beginning with LATHE_ are "
		    "set by lathe itself", s);
		return -1;
	}
	return 0;
}

int
valid_env_value(const char *s, char **cause)
{
	size_t	len = strlen(s);

	if (len > VALID_ENV_VALUE_MAX) {
		*cause = xasprintf("the value is %zu bytes long; the limit is "
		    "%d", len, VALID_ENV_VALUE_MAX);
		return -1;
	}
	if (!json_utf8_valid(s, len)) {
		*cause = xstrdup("the value is not valid UTF-8");
		return -1;
	}
	return 0;
}


int
valid_ref(const char *what, const char *s, char **cause)
{
	if (*s == '\0')
		return 0;
	return valid_identifier(what, s, VALID_NAME_MAX, cause);
}
