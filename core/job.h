/*
 * Jobs and their runs: the objects, how a job is checked and how both look
 * on the wire. Runtimes and resource profiles as the store keeps them are
 * here too, since a run is resolved against them (runtimes: runtime.h).
 */
#ifndef LATHE_JOB_H
#define LATHE_JOB_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define JOB_ARGS_MAX		256	/* arguments of a job or run */
#define JOB_ENV_MAX		256	/* variables of a job or run */
#define JOB_TIMEOUT_MAX		(366 * 86400)
#define JOB_RETRIES_MAX		100
#define JOB_CONCURRENT_MAX	1000

struct job {
	int64_t	 id;
	int64_t	 project_id;
	char	*project;	/* the project's name */
	char	*name;
	char	*script;	/* relative to the project's files */
	char	*arguments;	/* JSON array of strings */
	char	*runtime;	/* "" : the project's, then by extension */
	char	*profile;	/* "" : the project's, then "small" */
	char	*env;		/* JSON object of strings */
	char	*schedule;	/* manual, cron, dependent */
	char	*cron;
	char	*timezone;
	int64_t	 parent_id;	/* dependent: the job it follows */
	char	*parent;	/* its name */
	int	 timeout_s;	/* 0: none */
	int	 retries;
	int	 backoff_s;
	int	 max_concurrent;
	int	 paused;
	char	*experiment;	/* "": no MLflow run per job run */
	int64_t	 created_ms;
	int64_t	 updated_ms;
};

/* Run statuses. Active ones are queued, starting and running. */
#define RUN_QUEUED	"queued"
#define RUN_STARTING	"starting"
#define RUN_RUNNING	"running"
#define RUN_SUCCEEDED	"succeeded"
#define RUN_FAILED	"failed"
#define RUN_TIMED_OUT	"timed_out"
#define RUN_STOPPED	"stopped"
#define RUN_LOST	"lost"

struct job_run {
	int64_t	 id;
	int64_t	 job_id;
	char	*job;		/* the job's name */
	int64_t	 project_id;
	char	*project;
	char	*status;
	char	*trigger;	/* manual, schedule, parent, retry */
	int64_t	 parent_run_id;	/* 0: none */
	int	 attempt;
	char	*arguments;	/* JSON array, or NULL: the job's */
	char	*env;		/* JSON object of overrides */
	char	*runtime;
	char	*command;	/* JSON array: the argv run */
	char	*profile;
	double	 vcpu;
	int64_t	 memory_mb;
	char	*gpus;		/* CUDA_VISIBLE_DEVICES given, "" none */
	char	*memory_enforced;
	char	*cpu_enforced;
	int	 pid;		/* the supervisor shim's; 0 none */
	int	 has_exit;
	int	 exit_code;
	int	 signal;
	char	*reason;
	int64_t	 key_id;	/* the run's API key; 0 none */
	int	 max_concurrent;	/* the job's, read with the run */
	int64_t	 queued_ms;
	int64_t	 not_before_ms;
	int64_t	 started_ms;	/* 0: not yet */
	int64_t	 ended_ms;	/* 0: not yet */
	uint64_t log_bytes;	/* filled by the API from the log file */
	char	*params;	/* JSON object: a sweep's point, or NULL */
	char	*mlflow_run_id;	/* the MLflow run it opened, or NULL */
};

struct profile {
	char	*name;
	double	 vcpu;
	int64_t	 memory_mb;
	int	 gpus;
	int	 builtin;
};

struct job	*job_new(void);
void		 job_free(struct job *);
void		 jobs_free(struct job **, size_t);
struct job_run	*job_run_new(void);
void		 job_run_free(struct job_run *);
void		 job_runs_free(struct job_run **, size_t);
void		 profile_done(struct profile *);
void		 profiles_free(struct profile *, size_t);

/* Whether status is one of queued, starting, running. */
int		 job_run_active(const char *status);

/*
 * Apply the fields present in spec (a job's JSON form, all fields on
 * create, some on update) to job, checking each: name, script (a relative
 * path, not checked to exist here), arguments, runtime, profile, env,
 * schedule (the cron expression and time zone are parsed), timeout,
 * retries, backoff, concurrency, paused. On a dependent schedule *parent
 * is set to the parent's name (new string) for the caller to resolve.
 * Returns 0, or -1 with *cause naming the field and what is wrong.
 */
int		 job_apply(struct job *, const cJSON *spec, char **parent,
		    char **cause);
/*
 * Check a JSON array of argument strings or an object of environment
 * strings as given in a request (what names it in messages); 0 or -1.
 */
int		 job_check_arguments(const cJSON *, char **cause);
int		 job_check_env(const cJSON *, char **cause);

/* The JSON forms for the API; new objects. */
cJSON		*job_to_json(const struct job *);
cJSON		*job_run_to_json(const struct job_run *);
cJSON		*profile_to_json(const struct profile *);

/*
 * The machine's time zone as an IANA name (TZ, else /etc/localtime's
 * target, else "UTC"): what a cron schedule without one uses.
 */
const char	*job_local_zone(void);
/* A signal's name ("SIGKILL"), or "signal N" in buf. */
const char	*job_signal_name(int sig, char *buf, size_t len);

#endif
