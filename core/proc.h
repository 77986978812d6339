/*
 * The supervisor: one way to start, watch, limit, log and stop a workload
 * (job runs now; sessions, model replicas and applications later).
 *
 * Each workload runs under a small shim, lathe-exec, started in a session
 * of its own. The shim joins the workload's cgroups, forks, sets the
 * child's rlimits and process group and execs it, with stdout and stderr
 * appended to DIR/log; it writes the child's pid to DIR/pid, waits, and
 * writes the result to DIR/status (atomically) before exiting. Because the
 * shim, not lathed, waits for the workload, a workload outlives a crash or
 * restart of lathed, and a restarted lathed adopts it (proc_adopt) or
 * reads how it ended while lathed was away.
 */
#ifndef LATHE_PROC_H
#define LATHE_PROC_H

#include <stdint.h>

#include <uv.h>

struct supervisor;

struct proc_spec {
	const char	*kind;		/* "run", "session", ...: with id, a
					   unique name (cgroups: kind-id) */
	uint64_t	 id;
	char *const	*argv;		/* argv[0] a path or a name on PATH */
	char *const	*env;		/* the complete environment */
	const char	*cwd;
	const char	*dir;		/* exists; log, pid, status go here */
	uint64_t	 memory_bytes;	/* 0: no limit */
	double		 vcpu;		/* 0: no limit */
};

/* How limits were enforced: static strings. */
struct proc_enforced {
	const char	*memory;	/* "cgroup v2", "cgroup v1", "rlimit",
					   or "none" when no limit was asked */
	const char	*cpu;		/* "cgroup v2", "cgroup v1",
					   "not enforced", or "none" */
};

struct proc_result {
	int		 exit_code;	/* -1 when killed by a signal */
	int		 signal;	/* 0 when it exited */
	int		 oom;		/* ended for want of memory under its
					   limit (cgroup OOM kill, or a
					   MemoryError/ENOMEM death under the
					   rlimit) */
	int		 lost;		/* the shim vanished without a status */
	int64_t		 ended_ms;
};

/* Called on the loop thread when a started or adopted workload ends. */
typedef void	(*proc_exit_fn)(void *arg, const char *kind, uint64_t id,
		    const struct proc_result *);

/*
 * The lathe-exec shim to give supervisor_new: the one beside the running
 * program when there is one (the build tree, where lathed and lathe-exec
 * are both at the top), else the installed one in $(pkglibexecdir). A new
 * string.
 */
char		*proc_exec_path(void);

/*
 * Create the supervisor on loop. exec_path is the lathe-exec shim. Probes
 * which cgroup controllers lathed may use (v2 with a delegated subtree, or
 * v1 memory and cpu hierarchies); never fails for want of cgroups.
 *
 * On cgroup v2 the probe moves lathed itself into the leaf <own>/lathed
 * so that <own> may enable the memory and cpu controllers; workloads run
 * in <own>/<kind>-<id>-<hash of dir>. On v1 they run in
 * <own>/lathe/<kind>-<id>-<hash> of the memory and cpu hierarchies.
 * Environment: LATHE_NO_CGROUPS=1 makes it use no cgroups at all (memory
 * limits become RLIMIT_DATA, CPU limits are not enforced);
 * LATHE_NO_PIDFD=1 makes adopted workloads be watched by polling, as on
 * kernels without pidfd_open.
 */
struct supervisor *supervisor_new(uv_loop_t *, const char *exec_path,
		    proc_exit_fn, void *arg);
/*
 * Forget every workload without stopping any (they outlive lathed; a
 * later lathed adopts them). Closes handles: run the loop afterwards.
 */
void		 supervisor_free(struct supervisor *);
/* What the supervisor can enforce, for `lathe core status`/health. */
void		 supervisor_caps(struct supervisor *, struct proc_enforced *);

/*
 * Start a workload. Returns 0 with the shim's pid in *pid and how the
 * limits are enforced in *enf; -1 with *cause (nothing left running).
 */
int		 proc_start(struct supervisor *, const struct proc_spec *,
		    int *pid, struct proc_enforced *enf, char **cause);
/*
 * After a restart: take back the workload whose shim had pid, writing to
 * dir. Returns 0 when it is still running (its end is reported through
 * the callback later); 1 when it ended while lathed was away (*res set
 * from DIR/status); -1 when it is gone without a status (lost: whatever is
 * left of it in its process group and cgroups is killed). Give dir as
 * proc_start had it: the shim is recognised by its command line.
 */
int		 proc_adopt(struct supervisor *, const char *kind, uint64_t id,
		    int pid, const char *dir, struct proc_result *res);
/*
 * Stop a workload: SIGTERM to its process group, then after grace_ms
 * SIGKILL to the group and every process left in its cgroups. Returns -1
 * if no such workload is running.
 */
int		 proc_stop(struct supervisor *, const char *kind, uint64_t id,
		    unsigned int grace_ms);
int		 proc_running(struct supervisor *, const char *kind,
		    uint64_t id);

#endif
