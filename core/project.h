/*
 * Projects: the object, its validation rules and its JSON form.
 */
#ifndef LATHE_PROJECT_H
#define LATHE_PROJECT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#define PROJECT_NAME_MAX	64
#define PROJECT_DESC_MAX	4096
#define PROJECT_ENV_NAME_MAX	128
#define PROJECT_ENV_VALUE_MAX	32768

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

/*
 * Validation: return 0, or -1 with *cause saying what is wrong.
 * A project name is 1-64 characters of letters, digits, '-', '_' and '.',
 * begins with a letter or digit, and is not all digits (those are ids).
 */
int	 project_check_name(const char *, char **cause);
int	 project_check_description(const char *, char **cause);
/* A runtime or profile name: empty, or like a project name. */
int	 project_check_ref(const char *what, const char *, char **cause);
/* An environment variable name: [A-Za-z_][A-Za-z0-9_]*, not LATHE_*. */
int	 project_check_env_name(const char *, char **cause);
int	 project_check_env_value(const char *, char **cause);

/* The project's JSON form for the API; a new object. */
cJSON	*project_to_json(const struct project *);
/* An environment variable's JSON form; secret values are never included. */
cJSON	*env_var_to_json(const struct env_var *);

/* Format ms since the epoch as RFC 3339 UTC with milliseconds. */
void	 project_time(int64_t ms, char *buf, size_t len);

#endif
