/*
 * The scheduler (scheduler.h, since <sched.h> is the system's): turns
 * jobs into runs. It queues runs (by hand, on a cron
 * schedule, after a parent job's run succeeds, or as a retry with
 * backoff), starts them through the supervisor within the core-wide and
 * per-job concurrency limits, enforces timeouts, records how each ended,
 * and after a restart of lathed adopts the runs still going, marks the
 * vanished ones lost and resumes schedules.
 */
#ifndef LATHE_SCHEDULER_H
#define LATHE_SCHEDULER_H

#include <stdint.h>

struct core;
struct job;
struct job_run;

/* How long a stopped run gets between SIGTERM and SIGKILL. */
#define SCHED_STOP_GRACE_MS	10000

/*
 * Start the scheduler on the core's loop: discover runtimes (in the
 * background: runs wait for it), reconcile the runs a previous lathed
 * left, arm the schedules. Returns 0, or -1 with *cause.
 */
int	 sched_start(struct core *, char **cause);
/*
 * Stop scheduling; running workloads are left running (the next lathed
 * adopts them).
 */
void	 sched_stop(struct core *);
/* Free what is left once the loop has ended. */
void	 sched_free(struct core *);

/*
 * Queue a run of job. arguments and env (JSON texts) override the job's,
 * or are NULL; params (a JSON object, or NULL) are a sweep's point, logged
 * as the MLflow run's params when the job opens one. Returns 0 with the new run in *out (the caller frees), or
 * -1 with *cause.
 */
int	 sched_enqueue(struct core *, const struct job *, const char *trigger,
	    int64_t parent_run_id, const char *arguments, const char *env,
	    const char *params, struct job_run **out, char **cause);
/*
 * Stop a run: a queued one ends at once; a running one gets SIGTERM, then
 * SIGKILL after SCHED_STOP_GRACE_MS. Returns 0, or -1 with *cause when it
 * has already ended.
 */
int	 sched_stop_run(struct core *, int64_t run_id, char **cause);
/* A job was created, changed or deleted: re-arm the schedules. */
void	 sched_jobs_changed(struct core *);
/*
 * Before a job (job_id != 0) or a whole project is deleted: kill its
 * active runs and remove their run directories.
 */
void	 sched_forget(struct core *, int64_t project_id, int64_t job_id);
/* The next fire time of a cron job in ms, or 0 (not cron, paused). */
int64_t	 sched_next_fire(struct core *, const struct job *);
/* The run's directory and log file (new strings). */
char	*sched_run_dir(struct core *, int64_t run_id);
char	*sched_log_path(struct core *, int64_t run_id);
/* How memory and CPU limits are enforced here (static strings). */
void	 sched_caps(struct core *, const char **memory, const char **cpu);
/* Runs running now and queued, for the health answer. */
void	 sched_counts(struct core *, int *running, int *queued);

#endif
