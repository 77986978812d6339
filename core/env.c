/*
 * Workload environments. An env is one array of "NAME=VALUE" strings kept
 * sorted by name, so that a lookup is a binary search and the array handed
 * to exec is always ready; the layers (core defaults, project, job, run)
 * are applied one after another with env_set, a later one replacing.
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "xmalloc.h"

#define ENV_DEFAULT_PATH	"/usr/local/bin:/usr/bin:/bin"

struct env {
	char	**vars;		/* sorted by name, NULL-terminated */
	size_t	  n;
	size_t	  cap;		/* slots in vars, the NULL's included */
};

/* What env_defaults takes from lathed's environment, and prefixes. */
static const char	*env_kept[] = { "PATH", "HOME", "USER", "LOGNAME",
			    "SHELL", "LANG", "TZ", "TMPDIR" };
static const char	*env_kept_prefixes[] = { "LC_" };

/* Compare name (len bytes) with the name part of a "NAME=VALUE" entry. */
static int
env_cmp(const char *name, size_t len, const char *entry)
{
	size_t	elen = strcspn(entry, "=");
	int	c;

	if ((c = memcmp(name, entry, len < elen ? len : elen)) != 0)
		return c;
	return (len > elen) - (len < elen);
}

/*
 * Find name (len bytes): return 1 with *at its index, or 0 with *at the
 * index where it belongs.
 */
static int
env_find(struct env *env, const char *name, size_t len, size_t *at)
{
	size_t	lo = 0, hi = env->n, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = env_cmp(name, len, env->vars[mid])) == 0) {
			*at = mid;
			return 1;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*at = lo;
	return 0;
}

struct env *
env_new(void)
{
	struct env	*env = xcalloc(1, sizeof *env);

	env->cap = 16;
	env->vars = xcalloc(env->cap, sizeof *env->vars);
	return env;
}

void
env_free(struct env *env)
{
	size_t	i;

	if (env == NULL)
		return;
	for (i = 0; i < env->n; i++)
		free(env->vars[i]);
	free(env->vars);
	free(env);
}

/* Insert or replace the entry "name=value" (name len bytes). */
static void
env_put(struct env *env, const char *name, size_t len, const char *value)
{
	char	*entry;
	size_t	 at;

	assert(len > 0 && memchr(name, '=', len) == NULL);
	entry = xasprintf("%.*s=%s", (int)len, name, value);
	if (env_find(env, name, len, &at)) {
		free(env->vars[at]);
		env->vars[at] = entry;
		return;
	}
	if (env->n + 1 == env->cap) {
		env->vars = xrealloc(env->vars, 2 * env->cap *
		    sizeof *env->vars);
		env->cap *= 2;
	}
	memmove(env->vars + at + 1, env->vars + at,
	    (env->n - at + 1) * sizeof *env->vars);
	env->vars[at] = entry;
	env->n++;
}

void
env_set(struct env *env, const char *name, const char *value)
{
	env_put(env, name, strlen(name), value);
}

void
env_unset(struct env *env, const char *name)
{
	size_t	at;

	if (!env_find(env, name, strlen(name), &at))
		return;
	free(env->vars[at]);
	memmove(env->vars + at, env->vars + at + 1,
	    (env->n - at) * sizeof *env->vars);
	env->n--;
}

const char *
env_get(struct env *env, const char *name)
{
	size_t	at, len = strlen(name);

	if (!env_find(env, name, len, &at))
		return NULL;
	return env->vars[at] + len + 1;
}

/* Is the len-byte name one env_defaults takes from lathed's environment? */
static int
env_is_kept(const char *name, size_t len)
{
	size_t	i, plen;

	for (i = 0; i < sizeof env_kept / sizeof env_kept[0]; i++) {
		if (strlen(env_kept[i]) == len &&
		    memcmp(env_kept[i], name, len) == 0)
			return 1;
	}
	for (i = 0; i < sizeof env_kept_prefixes / sizeof env_kept_prefixes[0];
	    i++) {
		plen = strlen(env_kept_prefixes[i]);
		if (len > plen && memcmp(env_kept_prefixes[i], name, plen) == 0)
			return 1;
	}
	return 0;
}

void
env_defaults(struct env *env, char *const *envp)
{
	size_t	 n = 0, len;
	char	*eq;

	/* Backwards, so that the first of duplicate names wins, as getenv. */
	while (envp != NULL && envp[n] != NULL)
		n++;
	while (n-- > 0) {
		if ((eq = strchr(envp[n], '=')) == NULL)
			continue;
		len = (size_t)(eq - envp[n]);
		if (len > 0 && env_is_kept(envp[n], len))
			env_put(env, envp[n], len, eq + 1);
	}
	if (env_get(env, "PATH") == NULL)
		env_set(env, "PATH", ENV_DEFAULT_PATH);
	env_set(env, "TERM", "dumb");
	env_set(env, "PYTHONUNBUFFERED", "1");
	env_set(env, "MPLBACKEND", "Agg");
}

void
env_prepend_path(struct env *env, const char *name, const char *dir)
{
	const char	*old = env_get(env, name);
	char		*value;

	if (old == NULL || *old == '\0') {
		env_set(env, name, dir);
		return;
	}
	value = xasprintf("%s:%s", dir, old);
	env_set(env, name, value);
	free(value);
}

char *const *
env_array(struct env *env)
{
	return env->vars;
}

size_t
env_count(struct env *env)
{
	return env->n;
}
