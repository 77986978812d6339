/*
 * Workload environments: layers of NAME=VALUE settings merged in order, a
 * later layer winning, into the complete environment of a process.
 */
#ifndef LATHE_ENV_H
#define LATHE_ENV_H

#include <stddef.h>

struct env;

struct env	*env_new(void);
void		 env_free(struct env *);
/* Set name to value (copied), replacing an earlier setting. */
void		 env_set(struct env *, const char *name, const char *value);
void		 env_unset(struct env *, const char *name);
/* The value of name, or NULL. */
const char	*env_get(struct env *, const char *name);
/*
 * The core's defaults, taken from environ: PATH, HOME, USER, LOGNAME,
 * SHELL, LANG, LC_*, TZ, TMPDIR, and TERM=dumb, PYTHONUNBUFFERED=1 (so
 * logs are live), MPLBACKEND=Agg. Nothing else of lathed's environment.
 * The first of duplicate names wins, as with getenv; PATH is
 * /usr/local/bin:/usr/bin:/bin when environ has none. This is the bottom
 * layer: call it first.
 */
void		 env_defaults(struct env *, char *const *environ);
/* Prepend dir to the ':'-separated variable name (PYTHONPATH, PATH). */
void		 env_prepend_path(struct env *, const char *name,
		    const char *dir);
/*
 * The environment as a NULL-terminated array of "NAME=VALUE" strings,
 * sorted by name; owned by the env, valid until its next change.
 */
char *const	*env_array(struct env *);
size_t		 env_count(struct env *);

#endif
