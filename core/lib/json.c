/*
 * JSON reading and writing on top of cJSON, with errors that say which field
 * was wrong and how, and where a malformed document broke.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "utf8.h"
#include "xmalloc.h"

/* Return the offset of the first byte that is not valid UTF-8, or len. */
static size_t
json_utf8_scan(const char *s, size_t len)
{
	size_t	i = 0;
	long	cp;
	int	k;

	while (i < len) {
		k = utf8_decode(s + i, len - i, &cp);
		if (cp < 0)
			return i;
		i += (size_t)k;
	}
	return len;
}

int
json_utf8_valid(const char *s, size_t len)
{
	return json_utf8_scan(s, len) == len;
}

char *
json_utf8_sanitize(const char *s)
{
	size_t		len = strlen(s), off;
	struct buf	b;

	if (json_utf8_scan(s, len) == len)
		return xstrdup(s);
	buf_init(&b);
	while (len > 0) {
		off = json_utf8_scan(s, len);
		buf_add(&b, s, off);
		if (off == len)
			break;
		buf_adds(&b, "\xef\xbf\xbd");
		s += off + 1;
		len -= off + 1;
	}
	return buf_take(&b);
}

cJSON *
json_parse(const char *text, size_t len, char **cause)
{
	const char	*end = NULL, *p;
	cJSON		*v;
	size_t		 line = 1, col = 1, off;
	char		 near[24];
	size_t		 i, n;
	int		 trailing = 0;

	if (len == 0) {
		*cause = xstrdup("malformed JSON: the request body is empty");
		return NULL;
	}
	if ((off = json_utf8_scan(text, len)) != len) {
		*cause = xasprintf("malformed JSON: invalid UTF-8 at byte %zu",
		    off);
		return NULL;
	}
	if (memchr(text, '\0', len) != NULL) {
		*cause = xasprintf("malformed JSON: NUL byte at byte %zu",
		    (size_t)((const char *)memchr(text, '\0', len) - text));
		return NULL;
	}
	v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (v != NULL) {
		for (p = end; p < text + len; p++) {
			if (!isspace((unsigned char)*p))
				break;
		}
		if (p == text + len)
			return v;
		cJSON_Delete(v);
		trailing = 1;
		end = p;
	}
	if (end == NULL || end < text || end > text + len)
		end = cJSON_GetErrorPtr();
	if (end == NULL || end < text || end > text + len)
		end = text + len;
	for (p = text; p < end; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	n = 0;
	for (i = 0; end + i < text + len && n < sizeof near - 1; i++) {
		unsigned char c = (unsigned char)end[i];
		if (c == '\n' || c == '\r' || c < 0x20)
			break;
		near[n++] = (char)c;
	}
	near[n] = '\0';
	/* cJSON points at the last byte it read when the input runs out. */
	if (end >= text + len - 1 && !trailing)
		*cause = xasprintf("malformed JSON at line %zu, column %zu: "
		    "unexpected end of input", line, col);
	else
		*cause = xasprintf("malformed JSON at line %zu, column %zu, "
		    "near '%s'", line, col, near);
	return NULL;
}

int
json_require_object(const cJSON *obj, const char *name, char **cause)
{
	if (!cJSON_IsObject(obj)) {
		*cause = xasprintf("%s must be a JSON object", name);
		return -1;
	}
	return 0;
}

static const cJSON *
json_field(const cJSON *obj, const char *name, int required, char **cause,
    int *missing)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, name);

	*missing = 0;
	if (v == NULL || cJSON_IsNull(v)) {
		*missing = 1;
		if (required)
			*cause = xasprintf("missing required field '%s'", name);
		return NULL;
	}
	return v;
}

int
json_get_string(const cJSON *obj, const char *name, int required,
    const char **out, char **cause)
{
	const cJSON	*v;
	int		 missing;

	v = json_field(obj, name, required, cause, &missing);
	if (missing)
		return required ? -1 : 0;
	if (!cJSON_IsString(v)) {
		*cause = xasprintf("field '%s' must be a string", name);
		return -1;
	}
	*out = v->valuestring;
	return 0;
}

int
json_get_int64(const cJSON *obj, const char *name, int required,
    int64_t *out, char **cause)
{
	const cJSON	*v;
	int		 missing;
	char		*end;
	long long	 ll;
	double		 d;

	v = json_field(obj, name, required, cause, &missing);
	if (missing)
		return required ? -1 : 0;
	if (cJSON_IsString(v)) {
		/* Protobuf's JSON mapping sends 64-bit integers as strings. */
		ll = strtoll(v->valuestring, &end, 10);
		if (*v->valuestring == '\0' || *end != '\0') {
			*cause = xasprintf("field '%s' must be an integer, "
			    "not '%s'", name, v->valuestring);
			return -1;
		}
		*out = ll;
		return 0;
	}
	if (!cJSON_IsNumber(v)) {
		*cause = xasprintf("field '%s' must be an integer", name);
		return -1;
	}
	d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || d < -9007199254740992.0 ||
	    d > 9007199254740992.0) {
		*cause = xasprintf("field '%s' must be an integer", name);
		return -1;
	}
	*out = (int64_t)d;
	return 0;
}

int
json_get_bool(const cJSON *obj, const char *name, int required, int *out,
    char **cause)
{
	const cJSON	*v;
	int		 missing;

	v = json_field(obj, name, required, cause, &missing);
	if (missing)
		return required ? -1 : 0;
	if (!cJSON_IsBool(v)) {
		*cause = xasprintf("field '%s' must be true or false", name);
		return -1;
	}
	*out = cJSON_IsTrue(v);
	return 0;
}

void
json_add_int64(cJSON *obj, const char *name, int64_t v)
{
	cJSON_AddNumberToObject(obj, name, (double)v);
}

void
json_add_string_or_null(cJSON *obj, const char *name, const char *s)
{
	if (s == NULL)
		cJSON_AddNullToObject(obj, name);
	else
		cJSON_AddStringToObject(obj, name, s);
}

char *
json_print(const cJSON *v)
{
	char	*s = cJSON_PrintUnformatted(v);

	if (s == NULL)
		abort();
	return s;
}
