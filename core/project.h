/*
 * Projects: the object, its validation rules and its JSON form.
 */
#ifndef LATHE_PROJECT_H
#define LATHE_PROJECT_H

#include <stdint.h>

#include <cjson/cJSON.h>

struct project {
	int64_t	 id;
	char	*name;
	char	*description;
	char	*source_type;	/* dir, copy, archive, git, template */
	char	*source;	/* where it came from */
	char	*path;		/* canonical absolute path of its files */
	int	 adopted;	/* files live where the user keeps them */
	char	*default_runtime;
	char	*default_profile;
	int64_t	 created_ms;
	int64_t	 updated_ms;
};

struct env_var {
	char	*name;
	char	*value;
	int	 secret;
};

struct project	*project_new(void);
void		 project_free(struct project *);
void		 project_list_free(struct project **, size_t);
void		 env_var_done(struct env_var *);
void		 env_vars_free(struct env_var *, size_t);

/* The project's JSON form for the API; a new object. */
cJSON	*project_to_json(const struct project *);
/* An environment variable's JSON form; secret values are never included. */
cJSON	*env_var_to_json(const struct env_var *);

/* Format ms since the epoch as RFC 3339 UTC with milliseconds. */
void	 project_time(int64_t ms, char *buf, size_t len);

#endif
