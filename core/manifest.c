/*
 * Project manifests: the .project-metadata.yaml of CML's Applied ML
 * Prototypes, read when a project is created. Its environment_variables
 * become the project's environment (their defaults), its create_job tasks
 * become jobs (with lathe's schedule, timezone, parent and experiment
 * fields besides CML's), and run_job tasks start them. A mistake in the manifest never
 * fails the project: each is reported and the rest applied.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "buf.h"
#include "core.h"
#include "job.h"
#include "json.h"
#include "log.h"
#include "manifest.h"
#include "paths.h"
#include "project.h"
#include "scheduler.h"
#include "store.h"
#include "valid.h"
#include "xmalloc.h"

#define MANIFEST_NAME		".project-metadata.yaml"
#define MANIFEST_MAX_BYTES	(1024 * 1024)
#define MANIFEST_MAX_TASKS	200

struct manifest {
	struct core	*core;
	struct project	*p;
	yaml_document_t	 doc;
	cJSON		*jobs;		/* names of the jobs made */
	cJSON		*runs;		/* ids of the runs started */
	cJSON		*errors;	/* what was wrong, one string each */
};

static void
manifest_error(struct manifest *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
manifest_error(struct manifest *m, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(m->errors, cJSON_CreateString(msg));
	log_info("project '%s': %s: %s", m->p->name, MANIFEST_NAME, msg);
	free(msg);
}

static yaml_node_t *
manifest_get(struct manifest *m, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&m->doc, pair->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(&m->doc, pair->value);
	}
	return NULL;
}

/* A scalar's text, or NULL when the node is missing or not a scalar. */
static const char *
manifest_scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

static const char *
manifest_string(struct manifest *m, yaml_node_t *map, const char *key)
{
	return manifest_scalar(manifest_get(m, map, key));
}

static void
manifest_env(struct manifest *m, yaml_node_t *root)
{
	yaml_node_t		*vars = manifest_get(m, root,
				    "environment_variables"), *k, *v;
	yaml_node_pair_t	*pair;
	struct env_var		 var;
	const char		*name, *value;
	char			*cause = NULL;

	if (vars == NULL)
		return;
	if (vars->type != YAML_MAPPING_NODE) {
		manifest_error(m, "environment_variables must be a mapping");
		return;
	}
	for (pair = vars->data.mapping.pairs.start;
	    pair < vars->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(&m->doc, pair->key);
		v = yaml_document_get_node(&m->doc, pair->value);
		if ((name = manifest_scalar(k)) == NULL)
			continue;
		/* CML's form is NAME: {default: ..., description: ...}. */
		value = manifest_scalar(v);
		if (value == NULL)
			value = manifest_string(m, v, "default");
		if (value == NULL)
			value = "";
		if (valid_env_name(name, &cause) != 0 ||
		    valid_env_value(value, &cause) != 0) {
			manifest_error(m, "environment variable %s: %s", name,
			    cause);
			free(cause);
			cause = NULL;
			continue;
		}
		var.name = (char *)name;
		var.value = (char *)value;
		var.secret = 0;
		if (store_env_set(m->core->store, m->p->id, &var, &cause) != 0) {
			manifest_error(m, "environment variable %s: %s", name,
			    cause);
			free(cause);
			cause = NULL;
		}
	}
}

/* Split CML's arguments string on blanks into a JSON array. */
static cJSON *
manifest_arguments(const char *s)
{
	cJSON		*a = cJSON_CreateArray();
	const char	*start;
	char		*word;

	if (s == NULL || strcmp(s, "None") == 0)
		return a;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		start = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		word = xstrndup(start, (size_t)(s - start));
		cJSON_AddItemToArray(a, cJSON_CreateString(word));
		free(word);
	}
	return a;
}

/* The job a task's entity_label or name refers to; a new name or NULL. */
static char *
manifest_label(struct manifest *m, yaml_node_t *tasks, const char *label)
{
	yaml_node_item_t	*item;
	yaml_node_t		*t;
	const char		*l, *name;

	for (item = tasks->data.sequence.items.start;
	    item < tasks->data.sequence.items.top; item++) {
		t = yaml_document_get_node(&m->doc, *item);
		l = manifest_string(m, t, "entity_label");
		name = manifest_string(m, t, "name");
		if ((l != NULL && strcmp(l, label) == 0) ||
		    (name != NULL && strcmp(name, label) == 0))
			return name != NULL ? xstrdup(name) : NULL;
	}
	return xstrdup(label);
}

/* A job name from CML's free-text one: spaces become '-'. */
static char *
manifest_job_name(const char *s)
{
	char	*name = xstrdup(s), *c;

	for (c = name; *c != '\0'; c++) {
		if (*c == ' ')
			*c = '-';
	}
	return name;
}

static void
manifest_create_job(struct manifest *m, yaml_node_t *tasks, yaml_node_t *t,
    int n)
{
	struct job	*job = job_new(), *parent_job = NULL;
	cJSON		*spec = cJSON_CreateObject(), *sched, *env;
	yaml_node_t	*envnode, *k, *v;
	yaml_node_pair_t *pair;
	const char	*name = manifest_string(m, t, "name");
	const char	*s;
	char		*cause = NULL, *parent = NULL, *jobname = NULL;
	char		*pname = NULL;

	if (name == NULL) {
		manifest_error(m, "task %d: create_job needs a name", n);
		goto out;
	}
	jobname = manifest_job_name(name);
	cJSON_AddStringToObject(spec, "name", jobname);
	if ((s = manifest_string(m, t, "script")) != NULL)
		cJSON_AddStringToObject(spec, "script", s);
	cJSON_AddItemToObject(spec, "arguments",
	    manifest_arguments(manifest_string(m, t, "arguments")));
	if ((s = manifest_string(m, t, "runtime")) != NULL)
		cJSON_AddStringToObject(spec, "runtime", s);
	if ((s = manifest_string(m, t, "profile")) != NULL)
		cJSON_AddStringToObject(spec, "profile", s);
	if ((s = manifest_string(m, t, "timeout")) != NULL)
		cJSON_AddNumberToObject(spec, "timeout_seconds", atof(s));
	if ((s = manifest_string(m, t, "experiment")) != NULL)
		cJSON_AddStringToObject(spec, "experiment", s);
	if ((s = manifest_string(m, t, "retries")) != NULL)
		cJSON_AddNumberToObject(spec, "retries", atof(s));
	envnode = manifest_get(m, t, "environment");
	if (envnode != NULL && envnode->type == YAML_MAPPING_NODE) {
		env = cJSON_AddObjectToObject(spec, "env");
		for (pair = envnode->data.mapping.pairs.start;
		    pair < envnode->data.mapping.pairs.top; pair++) {
			k = yaml_document_get_node(&m->doc, pair->key);
			v = yaml_document_get_node(&m->doc, pair->value);
			if (manifest_scalar(k) != NULL &&
			    manifest_scalar(v) != NULL)
				cJSON_AddStringToObject(env,
				    manifest_scalar(k), manifest_scalar(v));
		}
	}
	sched = cJSON_AddObjectToObject(spec, "schedule");
	if ((s = manifest_string(m, t, "parent")) != NULL ||
	    (s = manifest_string(m, t, "parent_job_key")) != NULL) {
		pname = manifest_label(m, tasks, s);
		cJSON_AddStringToObject(sched, "type", "dependent");
		cJSON_AddStringToObject(sched, "parent", pname != NULL ?
		    pname : s);
	} else if ((s = manifest_string(m, t, "schedule")) != NULL) {
		cJSON_AddStringToObject(sched, "type", "cron");
		cJSON_AddStringToObject(sched, "cron", s);
		if ((s = manifest_string(m, t, "timezone")) != NULL)
			cJSON_AddStringToObject(sched, "timezone", s);
	} else
		cJSON_AddStringToObject(sched, "type", "manual");

	if (job_apply(job, spec, &parent, &cause) != 0)
		goto bad;
	job->project_id = m->p->id;
	job->project = xstrdup(m->p->name);
	if (parent != NULL) {
		if (store_job_get(m->core->store, m->p->id, parent,
		    &parent_job, &cause) != 0)
			goto bad;
		job->parent_id = parent_job->id;
	}
	if (store_job_insert(m->core->store, job, &cause) != 0)
		goto bad;
	cJSON_AddItemToArray(m->jobs, cJSON_CreateString(job->name));
	goto out;
bad:
	manifest_error(m, "task %d (create_job '%s'): %s", n, name, cause);
	free(cause);
out:
	free(pname);
	free(parent);
	free(jobname);
	job_free(parent_job);
	job_free(job);
	cJSON_Delete(spec);
}

static void
manifest_run_job(struct manifest *m, yaml_node_t *tasks, yaml_node_t *t,
    int n)
{
	struct job	*job = NULL;
	struct job_run	*run = NULL;
	const char	*label = manifest_string(m, t, "entity_label");
	char		*name = NULL, *jobname = NULL, *cause = NULL, id[32];

	if (label == NULL)
		label = manifest_string(m, t, "name");
	if (label == NULL) {
		manifest_error(m, "task %d: run_job needs an entity_label", n);
		return;
	}
	name = manifest_label(m, tasks, label);
	jobname = manifest_job_name(name != NULL ? name : label);
	if (store_job_get(m->core->store, m->p->id, jobname, &job,
	    &cause) != 0 || sched_enqueue(m->core, job, "manual", 0, NULL,
	    NULL, NULL, &run, &cause) != 0) {
		manifest_error(m, "task %d (run_job '%s'): %s", n, label,
		    cause);
		free(cause);
	} else {
		snprintf(id, sizeof id, "%lld", (long long)run->id);
		cJSON_AddItemToArray(m->runs, cJSON_CreateString(id));
	}
	job_run_free(run);
	job_free(job);
	free(jobname);
	free(name);
}

static void
manifest_tasks(struct manifest *m, yaml_node_t *root)
{
	yaml_node_t		*tasks = manifest_get(m, root, "tasks"), *t;
	yaml_node_item_t	*item;
	const char		*type;
	int			 n = 0;

	if (tasks == NULL)
		return;
	if (tasks->type != YAML_SEQUENCE_NODE) {
		manifest_error(m, "tasks must be a list");
		return;
	}
	for (item = tasks->data.sequence.items.start;
	    item < tasks->data.sequence.items.top; item++) {
		if (++n > MANIFEST_MAX_TASKS) {
			manifest_error(m, "more than %d tasks: the rest are "
			    "ignored", MANIFEST_MAX_TASKS);
			break;
		}
		t = yaml_document_get_node(&m->doc, *item);
		type = manifest_string(m, t, "type");
		if (type == NULL)
			manifest_error(m, "task %d has no type", n);
		else if (strcmp(type, "create_job") == 0)
			manifest_create_job(m, tasks, t, n);
		else if (strcmp(type, "run_job") == 0)
			manifest_run_job(m, tasks, t, n);
		else
			manifest_error(m, "task %d: type '%s' is not supported "
			    "(create_job and run_job are)", n, type);
	}
}

cJSON *
manifest_apply(struct core *core, struct project *p)
{
	struct manifest	 m;
	yaml_parser_t	 parser;
	yaml_node_t	*root;
	FILE		*f;
	char		*path;
	cJSON		*o;
	long		 size;

	path = paths_join(p->path, MANIFEST_NAME);
	f = fopen(path, "rb");
	free(path);
	if (f == NULL)
		return NULL;
	memset(&m, 0, sizeof m);
	m.core = core;
	m.p = p;
	o = cJSON_CreateObject();
	m.jobs = cJSON_AddArrayToObject(o, "jobs");
	m.runs = cJSON_AddArrayToObject(o, "runs");
	m.errors = cJSON_AddArrayToObject(o, "errors");
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >
	    MANIFEST_MAX_BYTES) {
		manifest_error(&m, "the file is larger than %d bytes: ignored",
		    MANIFEST_MAX_BYTES);
		fclose(f);
		return o;
	}
	rewind(f);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &m.doc)) {
		manifest_error(&m, "line %zu, column %zu: %s",
		    parser.problem_mark.line + 1,
		    parser.problem_mark.column + 1, parser.problem != NULL ?
		    parser.problem : "malformed YAML");
		yaml_parser_delete(&parser);
		fclose(f);
		return o;
	}
	root = yaml_document_get_root_node(&m.doc);
	if (root != NULL && root->type == YAML_MAPPING_NODE) {
		manifest_env(&m, root);
		manifest_tasks(&m, root);
		if (cJSON_GetArraySize(m.jobs) > 0)
			sched_jobs_changed(core);
	} else if (root != NULL)
		manifest_error(&m, "the top level must be a mapping");
	yaml_document_delete(&m.doc);
	yaml_parser_delete(&parser);
	fclose(f);
	return o;
}
