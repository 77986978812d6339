/*
 * Projects: what makes a valid name, description and environment variable,
 * and how a project looks on the wire.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "project.h"
#include "xmalloc.h"

struct project *
project_new(void)
{
	return xcalloc(1, sizeof(struct project));
}

void
project_free(struct project *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->description);
	free(p->source_type);
	free(p->source);
	free(p->path);
	free(p->default_runtime);
	free(p->default_profile);
	free(p);
}

void
project_list_free(struct project **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		project_free(list[i]);
	free(list);
}

void
env_var_done(struct env_var *v)
{
	free(v->name);
	free(v->value);
}

void
env_vars_free(struct env_var *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		env_var_done(&v[i]);
	free(v);
}

static int
project_check_identifier(const char *what, const char *s, size_t max,
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
project_check_name(const char *s, char **cause)
{
	return project_check_identifier("a project name", s,
	    PROJECT_NAME_MAX, cause);
}

int
project_check_ref(const char *what, const char *s, char **cause)
{
	if (*s == '\0')
		return 0;
	return project_check_identifier(what, s, PROJECT_NAME_MAX, cause);
}

int
project_check_description(const char *s, char **cause)
{
	size_t	i, len = strlen(s);

	if (len > PROJECT_DESC_MAX) {
		*cause = xasprintf("the description is %zu bytes long; the "
		    "limit is %d", len, PROJECT_DESC_MAX);
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
project_check_env_name(const char *s, char **cause)
{
	size_t	i, len = strlen(s);

	if (len == 0) {
		*cause = xstrdup("an environment variable name must not be "
		    "empty");
		return -1;
	}
	if (len > PROJECT_ENV_NAME_MAX) {
		*cause = xasprintf("environment variable names are limited "
		    "to %d characters", PROJECT_ENV_NAME_MAX);
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
project_check_env_value(const char *s, char **cause)
{
	size_t	len = strlen(s);

	if (len > PROJECT_ENV_VALUE_MAX) {
		*cause = xasprintf("the value is %zu bytes long; the limit is "
		    "%d", len, PROJECT_ENV_VALUE_MAX);
		return -1;
	}
	if (!json_utf8_valid(s, len)) {
		*cause = xstrdup("the value is not valid UTF-8");
		return -1;
	}
	return 0;
}

void
project_time(int64_t ms, char *buf, size_t len)
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;
	char		tmp[32];

	gmtime_r(&t, &tm);
	strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03dZ", tmp, (int)(ms % 1000));
}

cJSON *
project_to_json(const struct project *p)
{
	cJSON	*o = cJSON_CreateObject(), *src;
	char	 id[32], t[40];

	snprintf(id, sizeof id, "%lld", (long long)p->id);
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "description", p->description);
	src = cJSON_AddObjectToObject(o, "source");
	cJSON_AddStringToObject(src, "type", p->source_type);
	cJSON_AddStringToObject(src, "location", p->source);
	cJSON_AddStringToObject(o, "path", p->path);
	cJSON_AddBoolToObject(o, "adopted", p->adopted);
	cJSON_AddStringToObject(o, "default_runtime", p->default_runtime);
	cJSON_AddStringToObject(o, "default_profile", p->default_profile);
	project_time(p->created_ms, t, sizeof t);
	cJSON_AddStringToObject(o, "created_at", t);
	project_time(p->updated_ms, t, sizeof t);
	cJSON_AddStringToObject(o, "updated_at", t);
	return o;
}

cJSON *
env_var_to_json(const struct env_var *v)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", v->name);
	if (v->secret)
		cJSON_AddNullToObject(o, "value");
	else
		cJSON_AddStringToObject(o, "value", v->value);
	cJSON_AddBoolToObject(o, "secret", v->secret);
	return o;
}
