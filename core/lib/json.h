/*
 * Helpers over cJSON for reading requests and answers with clear errors:
 * each getter names the field and what it expected.
 */
#ifndef LATHE_JSON_H
#define LATHE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/*
 * Parse len bytes as one JSON value. Return it, or NULL with *cause saying
 * what was wrong and where (line and column), e.g. "malformed JSON at line 2,
 * column 7: expected a value".
 */
cJSON	*json_parse(const char *text, size_t len, char **cause);

/*
 * Read field name of object obj. A missing or null field leaves *out alone
 * and returns 0, unless required, which is then an error. A field of the
 * wrong type is an error. Return 0, or -1 with *cause set. Strings returned
 * are owned by obj.
 */
int	 json_get_string(const cJSON *obj, const char *name, int required,
	    const char **out, char **cause);
int	 json_get_int64(const cJSON *obj, const char *name, int required,
	    int64_t *out, char **cause);
int	 json_get_bool(const cJSON *obj, const char *name, int required,
	    int *out, char **cause);
/* Require obj to be an object; name says what it is in the message. */
int	 json_require_object(const cJSON *obj, const char *name, char **cause);

/* Add an int64 as a JSON number (exact up to 2^53) or string. */
void	 json_add_int64(cJSON *obj, const char *name, int64_t);
/* Add s as a string, or null when s is NULL. */
void	 json_add_string_or_null(cJSON *obj, const char *name, const char *s);

/* Print compactly; the caller frees the result. */
char	*json_print(const cJSON *);

/*
 * Return 1 if len bytes at s are valid UTF-8 (no overlongs, no surrogates),
 * else 0.
 */
int	 json_utf8_valid(const char *s, size_t len);

/*
 * Return a copy of s in which every byte that is not part of valid UTF-8 is
 * replaced by U+FFFD, so that names from disk always make valid JSON.
 */
char	*json_utf8_sanitize(const char *s);

#endif
