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
#include "valid.h"
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
