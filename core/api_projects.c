/*
 * Projects over the API: create (from a directory, archive, git URL or
 * template), list, show, update, delete, environment variables, files.
 * Imports run on the loop's thread pool; the request waits, deferred, and
 * the project row is written only once its files are complete, so a
 * project that exists always has its files.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <uv.h>

#include "api.h"
#include "buf.h"
#include "core.h"
#include "files.h"
#include "import.h"
#include "json.h"
#include "log.h"
#include "manifest.h"
#include "paths.h"
#include "project.h"
#include "scheduler.h"
#include "store.h"
#include "valid.h"
#include "xmalloc.h"

#define CONTENT_DEFAULT	(1024 * 1024)
#define CONTENT_MAX	(8 * 1024 * 1024)

struct import_work {
	uv_work_t		 w;
	struct core		*core;
	uint64_t		 req_id;
	struct project		*p;
	char			*location;	/* what the import reads */
	char			*tmp;		/* where it writes */
	struct import_opts	 opts;
	int			 rc;
	char			*cause;
};

static const char *source_types[] = {
	"dir", "copy", "archive", "git", "template"
};

/* Fill a new random directory name under the projects directory. */
static char *
api_projects_dirname(struct core *core, const char *prefix)
{
	unsigned char	rnd[8];
	char		hex[17];

	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	return xasprintf("%s/%s%s", core->projects_dir, prefix, hex);
}

/*
 * A copy of s with the user information of any URL in it (a password or a
 * token: https://user:TOKEN@host/...) left out, for what is stored, logged
 * and shown.
 */
static char *
api_projects_redact(const char *s)
{
	struct buf	 b;
	const char	*p, *auth, *end, *at;

	buf_init(&b);
	while ((p = strstr(s, "://")) != NULL) {
		auth = p + 3;
		end = auth + strcspn(auth, "/?#'\" \t\n");
		at = NULL;
		for (const char *q = auth; q < end; q++) {
			if (*q == '@')
				at = q;
		}
		buf_add(&b, s, (size_t)(auth - s));
		s = at != NULL ? at + 1 : auth;
	}
	buf_adds(&b, s);
	return buf_take(&b);
}

/* Look the {project} of the path up; answer 404 and return NULL if none. */
struct project *
api_projects_lookup(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	char		*cause = NULL;
	int		 rc;

	rc = store_project_get(core->store, api_param(r, "project"), &p,
	    &cause);
	if (rc == STORE_NOTFOUND) {
		api_error_cause(r, WIRE_RESOURCE_DOES_NOT_EXIST, cause);
		return NULL;
	}
	if (rc != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		return NULL;
	}
	return p;
}

/* Read and check the fields create and update share. */
static int
api_projects_fields(const cJSON *body, struct project *p, char **cause)
{
	const char	*name = NULL, *desc = NULL, *rt = NULL, *pf = NULL;

	if (json_get_string(body, "name", 0, &name, cause) != 0 ||
	    json_get_string(body, "description", 0, &desc, cause) != 0 ||
	    json_get_string(body, "default_runtime", 0, &rt, cause) != 0 ||
	    json_get_string(body, "default_profile", 0, &pf, cause) != 0)
		return -1;
	if ((name != NULL && valid_project_name(name, cause) != 0) ||
	    (desc != NULL && valid_description(desc, cause) != 0) ||
	    (rt != NULL && valid_ref("a runtime name", rt,
	    cause) != 0) ||
	    (pf != NULL && valid_ref("a resource profile name", pf,
	    cause) != 0))
		return -1;
	if (name != NULL) {
		free(p->name);
		p->name = xstrdup(name);
	}
	if (desc != NULL) {
		free(p->description);
		p->description = xstrdup(desc);
	}
	if (rt != NULL) {
		free(p->default_runtime);
		p->default_runtime = xstrdup(rt);
	}
	if (pf != NULL) {
		free(p->default_profile);
		p->default_profile = xstrdup(pf);
	}
	return 0;
}

/* Whether path is dir or inside it (both canonical). */
static int
api_projects_inside(const char *path, const char *dir)
{
	size_t	n = strlen(dir);

	return strncmp(path, dir, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/' || strcmp(dir, "/") == 0);
}

/*
 * Check the source and work out what the import reads. For "dir" (adopted
 * in place) *location is the canonical directory itself.
 */
static int
api_projects_source(struct core *core, const char *type, const char *loc,
    char **location, char **cause)
{
	char		 real[PATH_MAX];
	struct stat	 st;
	char		*tpl;

	if (strcmp(type, "git") == 0) {
		if (*loc == '\0' || *loc == '-') {
			*cause = xasprintf("'%s' is not a git URL", loc);
			return -1;
		}
		*location = xstrdup(loc);
		return 0;
	}
	if (strcmp(type, "template") == 0) {
		if (valid_ref("a template name", loc, cause) != 0)
			return -1;
		tpl = xasprintf("%s/templates/%s", core->cfg.data_dir, loc);
		if (*loc == '\0' || stat(tpl, &st) != 0 ||
		    !S_ISDIR(st.st_mode)) {
			*cause = xasprintf("there is no template '%s' "
			    "(templates: blank, example)", loc);
			free(tpl);
			return -1;
		}
		*location = tpl;
		return 0;
	}
	if (*loc != '/') {
		*cause = xasprintf("the %s location must be an absolute path, "
		    "not '%s'", type, loc);
		return -1;
	}
	if (realpath(loc, real) == NULL || stat(real, &st) != 0) {
		*cause = xasprintf("%s: %s", loc, strerror(errno));
		return -1;
	}
	if (strcmp(type, "archive") == 0) {
		if (!S_ISREG(st.st_mode)) {
			*cause = xasprintf("%s is not a file", loc);
			return -1;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s is not a directory", loc);
		return -1;
	} else if (api_projects_inside(real, core->cfg.state_dir) ||
	    api_projects_inside(core->cfg.state_dir, real)) {
		*cause = xasprintf("%s holds lathe's own state; choose a "
		    "project directory elsewhere", loc);
		return -1;
	}
	*location = xstrdup(real);
	return 0;
}

static void
api_projects_import(uv_work_t *w)
{
	struct import_work	*iw = w->data;
	const char		*type = iw->p->source_type;

	if (strcmp(type, "archive") == 0)
		iw->rc = import_archive(iw->location, iw->tmp, &iw->opts,
		    &iw->cause);
	else if (strcmp(type, "git") == 0)
		iw->rc = import_git(iw->location, iw->tmp, &iw->opts,
		    &iw->cause);
	else
		iw->rc = import_copy(iw->location, iw->tmp, &iw->opts,
		    &iw->cause);
}

/* Insert the project; answer for the request with id req_id. */
static void
api_projects_insert(struct core *core, uint64_t req_id, struct project *p)
{
	cJSON	*o, *manifest;
	char	*cause = NULL, *err = NULL;
	int	 rc;

	rc = store_project_insert(core->store, p, &cause);
	if (rc != 0) {
		if (!p->adopted && files_remove_tree(p->path, &err) != 0) {
			log_warn("%s", err);
			free(err);
		}
		api_finish_error(core, req_id, rc == STORE_EXISTS ?
		    WIRE_RESOURCE_ALREADY_EXISTS : WIRE_INTERNAL_ERROR, cause);
		return;
	}
	log_info("project %lld '%s' created from %s %s", (long long)p->id,
	    p->name, p->source_type, p->source);
	o = project_to_json(p);
	if ((manifest = manifest_apply(core, p)) != NULL)
		cJSON_AddItemToObject(o, "manifest", manifest);
	api_finish(core, req_id, 201, o);
}

static void
api_projects_imported(uv_work_t *w, int status)
{
	struct import_work	*iw = w->data;
	struct core		*core = iw->core;
	char			*final;

	if (iw->rc != 0) {
		char	*safe = api_projects_redact(iw->cause);

		log_info("import of project '%s' failed: %s", iw->p->name,
		    safe);
		api_finish_error(core, iw->req_id,
		    WIRE_INVALID_PARAMETER_VALUE, safe);
		goto out;
	}
	if (core->stopping) {
		/* Its request was answered 503: do not make it behind it. */
		char	*err = NULL;

		log_info("dropping the import of '%s': lathed is stopping",
		    iw->p->name);
		if (files_remove_tree(iw->tmp, &err) != 0) {
			log_warn("%s", err);
			free(err);
		}
		goto out;
	}
	final = api_projects_dirname(core, "p-");
	if (rename(iw->tmp, final) != 0) {
		api_finish_error(core, iw->req_id, WIRE_INTERNAL_ERROR,
		    xasprintf("cannot move the imported files into place: %s",
		    strerror(errno)));
		free(final);
		goto out;
	}
	free(iw->p->path);
	iw->p->path = final;
	api_projects_insert(core, iw->req_id, iw->p);
out:
	project_free(iw->p);
	free(iw->location);
	free(iw->tmp);
	free(iw->cause);
	free(iw);
}

void
api_projects_create(struct req *r)
{
	static const char *const known[] = { "name", "description",
	    "default_runtime", "default_profile", "source", NULL };
	struct core		*core = api_core(r);
	const cJSON		*body = api_body(r), *src;
	struct project		*p = project_new(), *old = NULL;
	struct import_work	*iw;
	const char		*type = "template", *loc = "blank";
	const char		*name = NULL;
	char			*cause = NULL, *location = NULL;
	size_t			 i;
	int			 rc;

	p->name = xstrdup("");
	p->description = xstrdup("");
	p->default_runtime = xstrdup("");
	p->default_profile = xstrdup("");
	if (api_known_fields(body, known, &cause) != 0 ||
	    json_get_string(body, "name", 1, &name, &cause) != 0 ||
	    api_projects_fields(body, p, &cause) != 0)
		goto invalid;
	src = cJSON_GetObjectItemCaseSensitive(body, "source");
	if (src != NULL && !cJSON_IsNull(src)) {
		if (json_require_object(src, "source", &cause) != 0 ||
		    json_get_string(src, "type", 1, &type, &cause) != 0 ||
		    json_get_string(src, "location", 1, &loc, &cause) != 0)
			goto invalid;
	}
	for (i = 0; i < sizeof source_types / sizeof source_types[0]; i++) {
		if (strcmp(type, source_types[i]) == 0)
			break;
	}
	if (i == sizeof source_types / sizeof source_types[0]) {
		char *safe = json_utf8_sanitize(type);
		cause = xasprintf("unknown source type '%s' (use dir, copy, "
		    "archive, git or template)", safe);
		free(safe);
		goto invalid;
	}
	if (api_projects_source(core, type, loc, &location, &cause) != 0)
		goto invalid;
	rc = store_project_get(core->store, p->name, &old, &cause);
	if (rc == 0) {
		project_free(old);
		api_error(r, WIRE_RESOURCE_ALREADY_EXISTS, "a project named "
		    "'%s' already exists", p->name);
		goto out;
	}
	free(cause);
	cause = NULL;
	p->source_type = xstrdup(type);
	p->source = api_projects_redact(loc);
	if (strcmp(type, "dir") == 0) {
		p->adopted = 1;
		p->path = location;
		location = NULL;
		api_projects_insert(core, api_defer(r), p);
		goto out;
	}
	iw = xcalloc(1, sizeof *iw);
	iw->w.data = iw;
	iw->core = core;
	iw->req_id = api_defer(r);
	iw->p = p;
	iw->location = location;
	iw->tmp = api_projects_dirname(core, ".import-");
	iw->opts.max_bytes = core->cfg.max_import;
	iw->opts.max_entries = 1000000;
	iw->opts.git = GIT_PROGRAM;
	iw->opts.git_timeout_s = 600;
	uv_queue_work(core->loop, &iw->w, api_projects_import,
	    api_projects_imported);
	return;

invalid:
	api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
	cause = NULL;
out:
	free(cause);
	free(location);
	project_free(p);
}

void
api_projects_list(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	**list;
	size_t		 size, n, i;
	char		*after, *cause = NULL;
	int		 more;
	cJSON		*o, *a;

	if (api_page(r, &size, &after) != 0)
		return;
	if (store_project_list(core->store, after, api_query(r, "search"),
	    size, &list, &n, &more, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		free(after);
		return;
	}
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "projects");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, project_to_json(list[i]));
	api_page_next(o, more, n > 0 ? list[n - 1]->name : NULL);
	project_list_free(list, n);
	free(after);
	api_reply(r, 200, o);
}

void
api_projects_get(struct req *r)
{
	struct project	*p;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	api_reply(r, 200, project_to_json(p));
	project_free(p);
}

void
api_projects_update(struct req *r)
{
	static const char *const known[] = { "name", "description",
	    "default_runtime", "default_profile", NULL };
	struct core	*core = api_core(r);
	struct project	*p;
	char		*cause = NULL;
	int		 rc;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if (api_known_fields(api_body(r), known, &cause) != 0 ||
	    api_projects_fields(api_body(r), p, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	rc = store_project_update(core->store, p, &cause);
	if (rc == STORE_EXISTS)
		api_error_cause(r, WIRE_RESOURCE_ALREADY_EXISTS, cause);
	else if (rc == STORE_NOTFOUND)
		api_error_cause(r, WIRE_RESOURCE_DOES_NOT_EXIST, cause);
	else if (rc != 0)
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
	else
		api_reply(r, 200, project_to_json(p));
out:
	project_free(p);
}

static void
api_projects_remove(uv_work_t *w)
{
	char	*path = w->data, *cause = NULL;

	if (files_remove_tree(path, &cause) != 0) {
		/* The next start of lathed sweeps what is left. */
		free(cause);
	}
}

static void
api_projects_removed(uv_work_t *w, int status)
{
	free(w->data);
	free(w);
}

void
api_projects_delete(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	uv_work_t	*w;
	char		*cause = NULL, *trash;
	int		 rc;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	sched_forget(core, p->id, 0);
	rc = store_project_delete(core->store, p->id, &cause);
	if (rc != 0) {
		api_error_cause(r, rc == STORE_NOTFOUND ?
		    WIRE_RESOURCE_DOES_NOT_EXIST : WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	log_info("project %lld '%s' deleted", (long long)p->id, p->name);
	if (!p->adopted) {
		/* Out of sight at once; removed in the background. */
		trash = api_projects_dirname(core, ".trash-");
		if (rename(p->path, trash) == 0) {
			w = xcalloc(1, sizeof *w);
			w->data = trash;
			uv_queue_work(core->loop, w, api_projects_remove,
			    api_projects_removed);
		} else
			free(trash);
	}
	api_reply(r, 200, NULL);
out:
	project_free(p);
}

void
api_projects_env_list(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	struct env_var	*vars;
	size_t		 n, i;
	char		*cause = NULL;
	cJSON		*o, *a;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	if (store_env_list(core->store, p->id, &vars, &n, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "env");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, env_var_to_json(&vars[i]));
	env_vars_free(vars, n);
	api_reply(r, 200, o);
out:
	project_free(p);
}

void
api_projects_env_set(struct req *r)
{
	static const char *const known[] = { "value", "secret", NULL };
	struct core	*core = api_core(r);
	struct project	*p;
	struct env_var	 v, *vars;
	const char	*value = NULL;
	char		*cause = NULL;
	size_t		 n, i;
	int		 secret = -1;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	v.name = (char *)api_param(r, "name");
	if (api_known_fields(api_body(r), known, &cause) != 0 ||
	    valid_env_name(v.name, &cause) != 0 ||
	    json_get_string(api_body(r), "value", 1, &value, &cause) != 0 ||
	    valid_env_value(value, &cause) != 0 ||
	    json_get_bool(api_body(r), "secret", 0, &secret, &cause) != 0) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		goto out;
	}
	if (secret == -1) {
		/* A secret stays secret unless the request says otherwise. */
		secret = 0;
		if (store_env_list(core->store, p->id, &vars, &n, &cause) != 0) {
			api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
			goto out;
		}
		for (i = 0; i < n; i++) {
			if (strcmp(vars[i].name, v.name) == 0)
				secret = vars[i].secret;
		}
		env_vars_free(vars, n);
	}
	v.value = (char *)value;
	v.secret = secret;
	if (store_env_set(core->store, p->id, &v, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	api_reply(r, 200, env_var_to_json(&v));
out:
	project_free(p);
}

void
api_projects_env_unset(struct req *r)
{
	struct core	*core = api_core(r);
	struct project	*p;
	char		*cause = NULL;
	int		 rc;

	if ((p = api_projects_lookup(r)) == NULL)
		return;
	rc = store_env_unset(core->store, p->id, api_param(r, "name"), &cause);
	if (rc == STORE_NOTFOUND)
		api_error_cause(r, WIRE_RESOURCE_DOES_NOT_EXIST, cause);
	else if (rc != 0)
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
	else
		api_reply(r, 200, NULL);
	project_free(p);
}

/* Answer a files_* failure with the matching error. */
static void
api_projects_files_error(struct req *r, int rc, char *cause)
{
	api_error_cause(r, rc == FILES_ENOENT ? WIRE_RESOURCE_DOES_NOT_EXIST :
	    rc == FILES_EINVAL ? WIRE_INVALID_PARAMETER_VALUE :
	    WIRE_INTERNAL_ERROR, cause);
}

/* The path argument, checked to be UTF-8; NULL after answering 400. */
static const char *
api_projects_path_arg(struct req *r, int required)
{
	const char	*path = api_query(r, "path");

	if (path == NULL || *path == '\0') {
		if (required) {
			api_error(r, WIRE_INVALID_PARAMETER_VALUE, "missing "
			    "the path argument: ?path=FILE");
			return NULL;
		}
		return "";
	}
	if (!json_utf8_valid(path, strlen(path))) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "the path is not "
		    "valid UTF-8");
		return NULL;
	}
	return path;
}

static const char *files_types[] = {
	[FILES_FILE] = "file",
	[FILES_DIR] = "dir",
	[FILES_LINK] = "link",
	[FILES_OTHER] = "other",
};

void
api_projects_files(struct req *r)
{
	struct project		*p;
	struct files_entry	*ents = NULL;
	const char		*rel;
	size_t			 size, n = 0, i;
	char			*after = NULL, *cause = NULL, *name, *path;
	char			 t[40];
	int			 more, rc;
	cJSON			*o, *a, *e;

	if ((rel = api_projects_path_arg(r, 0)) == NULL)
		return;
	if (api_page(r, &size, &after) != 0)
		return;
	if ((p = api_projects_lookup(r)) == NULL)
		goto out;
	while (*rel == '/' && rel[1] == '\0')
		rel++;
	rc = files_list(p->path, rel, after, size, &ents, &n, &more, &cause);
	if (rc != 0) {
		api_projects_files_error(r, rc, cause);
		goto out;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "path", rel);
	a = cJSON_AddArrayToObject(o, "files");
	for (i = 0; i < n; i++) {
		e = cJSON_CreateObject();
		name = json_utf8_sanitize(ents[i].name);
		cJSON_AddStringToObject(e, "name", name);
		path = *rel == '\0' ? xstrdup(name) : xasprintf("%s/%s", rel,
		    name);
		cJSON_AddStringToObject(e, "path", path);
		cJSON_AddStringToObject(e, "type", files_types[ents[i].type]);
		cJSON_AddNumberToObject(e, "size", (double)ents[i].size);
		project_time(ents[i].mtime_ms, t, sizeof t);
		cJSON_AddStringToObject(e, "modified_at", t);
		cJSON_AddItemToArray(a, e);
		free(name);
		free(path);
	}
	api_page_next(o, more, n > 0 ? ents[n - 1].name : NULL);
	api_reply(r, 200, o);
out:
	files_entries_free(ents, n);
	project_free(p);
	free(after);
}

/* Length of buf without a UTF-8 sequence cut off at its end. */
static size_t
api_projects_utf8_trim(const char *buf, size_t len)
{
	size_t	i, need;

	for (i = 1; i <= 3 && i <= len; i++) {
		unsigned char c = (unsigned char)buf[len - i];

		if ((c & 0xc0) == 0x80)
			continue;
		if (c < 0x80)
			return len;
		need = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
		return need > i ? len - i : len;
	}
	return len;
}

static int
api_projects_number(struct req *r, const char *name, uint64_t def,
    uint64_t max, uint64_t *out)
{
	const char		*v = api_query(r, name);
	char			*end;
	unsigned long long	 n;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	errno = 0;
	n = strtoull(v, &end, 10);
	if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0 || n > max) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "%s must be a "
		    "number from 0 to %llu", name, (unsigned long long)max);
		return -1;
	}
	*out = n;
	return 0;
}

void
api_projects_content(struct req *r)
{
	struct project		*p;
	struct files_content	 c;
	const char		*rel;
	uint64_t		 offset, length;
	char			*cause = NULL, *b64;
	size_t			 len, b64len;
	int			 rc;
	cJSON			*o;

	if ((rel = api_projects_path_arg(r, 1)) == NULL)
		return;
	if (api_projects_number(r, "offset", 0, INT64_MAX, &offset) != 0 ||
	    api_projects_number(r, "length", CONTENT_DEFAULT, CONTENT_MAX,
	    &length) != 0)
		return;
	if ((p = api_projects_lookup(r)) == NULL)
		return;
	memset(&c, 0, sizeof c);
	rc = files_read(p->path, rel, offset, length, &c, &cause);
	if (rc != 0) {
		api_projects_files_error(r, rc, cause);
		goto out;
	}
	len = c.len;
	if (!c.binary && c.truncated)
		len = api_projects_utf8_trim(c.data, c.len);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "path", rel);
	cJSON_AddNumberToObject(o, "size", (double)c.size);
	cJSON_AddNumberToObject(o, "offset", (double)c.offset);
	cJSON_AddNumberToObject(o, "length", (double)len);
	cJSON_AddBoolToObject(o, "binary", c.binary);
	cJSON_AddBoolToObject(o, "truncated", c.offset + len < c.size);
	if (c.binary) {
		b64len = sodium_base64_ENCODED_LEN(len,
		    sodium_base64_VARIANT_ORIGINAL);
		b64 = xmalloc(b64len);
		sodium_bin2base64(b64, b64len, (unsigned char *)c.data, len,
		    sodium_base64_VARIANT_ORIGINAL);
		cJSON_AddStringToObject(o, "encoding", "base64");
		cJSON_AddStringToObject(o, "content", b64);
		free(b64);
	} else {
		c.data[len] = '\0';
		cJSON_AddStringToObject(o, "encoding", "utf-8");
		cJSON_AddStringToObject(o, "content", c.data);
	}
	api_reply(r, 200, o);
out:
	free(c.data);
	project_free(p);
}
