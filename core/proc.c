/*
 * The supervisor: every workload is started, limited, watched and stopped
 * here, through the lathe-exec shim (core/lathe-exec.c), which does the
 * waiting so that workloads outlive lathed. A started workload's shim is
 * our child and libuv tells us when it exits; an adopted one (after a
 * restart) is watched through a pidfd, or by polling /proc where there is
 * none. Either way its end is read from DIR/status, which the shim writes
 * last; a shim that vanished without one is "lost", and what it leaves is
 * killed here instead.
 *
 * Limits are enforced with cgroups where lathed may make them (v2 with a
 * delegated subtree, else the v1 memory and cpu hierarchies), probed once;
 * otherwise memory falls back to RLIMIT_DATA and CPU goes unenforced.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "proc.h"
#include "store.h"
#include "xmalloc.h"

#define PROC_EXEC_NAME		"lathe-exec"
#define PROC_KIND_MAX		32
#define PROC_MAX_CGROUPS	8	/* as lathe-exec's */
#define PROC_POLL_MS		250
#define PROC_CFS_PERIOD		100000	/* microseconds */
#define PROC_FILE_MAX		65536
#define PROC_SWEEP_MS		50
#define PROC_SWEEP_ROUNDS	200	/* then give up: 10 s */

/* A workload: started here, or adopted after a restart. */
struct proc {
	struct supervisor *sup;		/* valid while a handle is open */
	struct proc	*next;
	char		*kind;
	uint64_t	 id;
	char		*dir;
	int		 pid;		/* the shim's */
	char		*cgroups[PROC_MAX_CGROUPS + 1];
	int		 adopted;
	int		 stopping;
	int		 pidfd;		/* adopted: -1 when polled */
	uv_process_t	 process;	/* started */
	uv_poll_t	 poll;		/* adopted, with a pidfd */
	uv_timer_t	 timer;		/* adopted, without one */
	int		 handles;	/* open; freed at 0 */
};

/* The grace period of a stop; names its workload by kind and id. */
struct proc_stopper {
	uv_timer_t		 timer;
	struct supervisor	*sup;
	struct proc_stopper	*next;
	char			*kind;
	uint64_t		 id;
};

/* Cgroups of an ended workload, emptied and removed in the background. */
struct proc_sweep {
	uv_timer_t		 timer;
	struct supervisor	*sup;
	struct proc_sweep	*next;
	char			*cgroups[PROC_MAX_CGROUPS + 1];
	int			 rounds;
};

struct supervisor {
	uv_loop_t		*loop;
	char			*exec_path;
	proc_exit_fn		 fn;
	void			*arg;
	char			*v2;		/* cgroup v2: workloads below */
	int			 v2_memory;
	int			 v2_cpu;
	char			*v1_memory;	/* v1: <own>/lathe */
	char			*v1_cpu;
	int			 no_pidfd;
	struct proc		*procs;
	struct proc_stopper	*stoppers;
	struct proc_sweep	*sweeps;
};

/* A line of /proc/self/mountinfo. */
struct proc_mount {
	char	*root;
	char	*point;
	char	*fstype;
	char	*options;	/* super options: "rw,memory" */
};

static int	 proc_read(const char *, char *, size_t);
static int	 proc_write(const char *, const char *, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
static int	 proc_has_word(const char *, const char *, const char *);
static char	*proc_unescape(const char *);
static void	 proc_mounts_free(struct proc_mount *, size_t);
static size_t	 proc_mounts(struct proc_mount **);
static char	*proc_own_cgroup(const char *);
static char	*proc_cgroup_dir(struct proc_mount *, size_t, const char *,
		     const char *);
static void	 proc_probe_v2(struct supervisor *, struct proc_mount *,
		     size_t);
static char	*proc_probe_v1(struct proc_mount *, size_t, const char *);
static void	 proc_probe(struct supervisor *);
static char	*proc_cgroup_name(const char *, uint64_t, const char *);
static size_t	 proc_cgroup_paths(struct supervisor *, const char *,
		     uint64_t, const char *, char **);
static int	 proc_cgroup_new(const char *, char **);
static int	 proc_cgroups_make(struct supervisor *,
		     const struct proc_spec *, char **, int *,
		     struct proc_enforced *, char **);
static void	 proc_cgroups_kill(char **);
static void	 proc_cgroups_remove(char **);
static void	 proc_sweep_closed(uv_handle_t *);
static int	 proc_sweep_round(struct proc_sweep *);
static void	 proc_sweep_ticked(uv_timer_t *);
static void	 proc_sweep(struct supervisor *, char **);
static void	 proc_group_kill(const char *);
static int	 proc_read_status(const char *, struct proc_result *);
static int	 proc_pid_file(const char *);
static int	 proc_shim_check(int, const char *, char **);
static int	 proc_valid_kind(const char *);
static struct proc *proc_find(struct supervisor *, const char *, uint64_t);
static void	 proc_unlink(struct supervisor *, struct proc *);
static void	 proc_free(struct proc *);
static void	 proc_closed(uv_handle_t *);
static void	 proc_close(struct proc *);
static void	 proc_stoppers_cancel(struct supervisor *, const char *,
		     uint64_t);
static void	 proc_end(struct supervisor *, struct proc *,
		     struct proc_result *);
static void	 proc_exited(uv_process_t *, int64_t, int);
static void	 proc_adopted_check(struct proc *, int);
static void	 proc_polled(uv_poll_t *, int, int);
static void	 proc_ticked(uv_timer_t *);
static int	 proc_signal(struct proc *, int);
static void	 proc_stopper_closed(uv_handle_t *);
static void	 proc_stopper_expired(uv_timer_t *);

/* Read a small file into buf, NUL-terminated; return its length or -1. */
static int
proc_read(const char *path, char *buf, size_t size)
{
	size_t	len = 0;
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		return -1;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	(void)close(fd);
	buf[len] = '\0';
	return (int)len;
}

/* Write a formatted value to dir/file (a cgroup knob); 0 or -1 (errno). */
static int
proc_write(const char *dir, const char *file, const char *fmt, ...)
{
	va_list	 ap;
	char	*path, *value;
	ssize_t	 n;
	int	 fd, e = 0;

	va_start(ap, fmt);
	value = xvasprintf(fmt, ap);
	va_end(ap);
	path = xasprintf("%s/%s", dir, file);
	if ((fd = open(path, O_WRONLY|O_CLOEXEC)) == -1)
		e = errno;
	else {
		/*
		 * cgroup v1 answers EINTR itself while a signal (SIGCHLD of
		 * another workload) is pending, SA_RESTART or not.
		 */
		do
			n = write(fd, value, strlen(value));
		while (n == -1 && errno == EINTR);
		if (n != (ssize_t)strlen(value))
			e = (n == -1) ? errno : EIO;
		if (close(fd) != 0 && e == 0)
			e = errno;
	}
	free(path);
	free(value);
	errno = e;
	return e == 0 ? 0 : -1;
}

/* Does list, words separated by any of seps, hold word? */
static int
proc_has_word(const char *list, const char *seps, const char *word)
{
	size_t	n = strlen(word), len;

	while (*list != '\0') {
		len = strcspn(list, seps);
		if (len == n && strncmp(list, word, n) == 0)
			return 1;
		list += len;
		if (*list != '\0')
			list++;
	}
	return 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *
proc_unescape(const char *s)
{
	char	*out = xmalloc(strlen(s) + 1), *o = out;

	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 4;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

static void
proc_mounts_free(struct proc_mount *m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(m[i].root);
		free(m[i].point);
		free(m[i].fstype);
		free(m[i].options);
	}
	free(m);
}

/* The cgroup file systems in /proc/self/mountinfo. */
static size_t
proc_mounts(struct proc_mount **out)
{
	struct proc_mount	*m = NULL;
	FILE			*f;
	char			*line = NULL, *field[64], *p, *sp;
	size_t			 cap = 0, n = 0, nf, dash;

	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL) {
		*out = NULL;
		return 0;
	}
	while (getline(&line, &cap, f) != -1) {
		line[strcspn(line, "\n")] = '\0';
		nf = 0;
		for (p = strtok_r(line, " ", &sp); p != NULL && nf < 64;
		    p = strtok_r(NULL, " ", &sp))
			field[nf++] = p;
		for (dash = 6; dash < nf; dash++)
			if (strcmp(field[dash], "-") == 0)
				break;
		if (dash + 3 > nf || (strcmp(field[dash + 1], "cgroup") != 0 &&
		    strcmp(field[dash + 1], "cgroup2") != 0))
			continue;
		m = xrealloc(m, (n + 1) * sizeof *m);
		m[n].root = proc_unescape(field[3]);
		m[n].point = proc_unescape(field[4]);
		m[n].fstype = xstrdup(field[dash + 1]);
		m[n].options = xstrdup(field[dash + 3]);
		n++;
	}
	free(line);
	fclose(f);
	*out = m;
	return n;
}

/*
 * Our path in the hierarchy holding controller (NULL: the v2 one) from
 * /proc/self/cgroup; a new string or NULL.
 */
static char *
proc_own_cgroup(const char *controller)
{
	FILE	*f;
	char	*line = NULL, *ctl, *path, *out = NULL;
	size_t	 cap = 0;

	if ((f = fopen("/proc/self/cgroup", "re")) == NULL)
		return NULL;
	while (out == NULL && getline(&line, &cap, f) != -1) {
		line[strcspn(line, "\n")] = '\0';
		/* "id:controllers:path"; the path may hold colons. */
		if ((ctl = strchr(line, ':')) == NULL)
			continue;
		*ctl++ = '\0';
		if ((path = strchr(ctl, ':')) == NULL)
			continue;
		*path++ = '\0';
		if (controller == NULL) {
			if (strcmp(line, "0") == 0 && *ctl == '\0')
				out = xstrdup(path);
		} else if (proc_has_word(ctl, ",", controller))
			out = xstrdup(path);
	}
	free(line);
	fclose(f);
	return out;
}

/*
 * The directory of our cgroup (own, a path in the hierarchy) under a mount
 * of fstype holding controller (NULL for any); a new string or NULL.
 */
static char *
proc_cgroup_dir(struct proc_mount *m, size_t n, const char *fstype,
    const char *controller)
{
	char		*own;
	const char	*rel;
	size_t		 i, len;
	char		*dir = NULL;

	if ((own = proc_own_cgroup(strcmp(fstype, "cgroup2") == 0 ? NULL :
	    controller)) == NULL)
		return NULL;
	for (i = 0; i < n && dir == NULL; i++) {
		if (strcmp(m[i].fstype, fstype) != 0)
			continue;
		if (controller != NULL && strcmp(fstype, "cgroup") == 0 &&
		    !proc_has_word(m[i].options, ",", controller))
			continue;
		/* The mount shows the hierarchy from its root down. */
		len = strlen(m[i].root);
		if (strcmp(m[i].root, "/") == 0)
			rel = own;
		else if (strncmp(own, m[i].root, len) == 0 &&
		    (own[len] == '\0' || own[len] == '/'))
			rel = own + len;
		else
			continue;
		if (strcmp(rel, "/") == 0)
			rel = "";
		dir = xasprintf("%s%s", m[i].point, rel);
	}
	free(own);
	return dir;
}

/*
 * cgroup v2: find or make a subtree with the memory (and cpu) controllers
 * enabled for workloads. A cgroup with controllers enabled for its
 * children may hold no process, so lathed first moves itself into the leaf
 * <own>/lathed; a restarted lathed may find itself there already.
 */
static void
proc_probe_v2(struct supervisor *sup, struct proc_mount *m, size_t n)
{
	char	*dir, *base = NULL, *leaf = NULL, *parent = NULL, *slash;
	char	 ctl[1024], sub[1024], *path;
	int	 made = 0, moved = 0;

	if ((dir = proc_cgroup_dir(m, n, "cgroup2", NULL)) == NULL)
		return;
	slash = strrchr(dir, '/');
	if (slash != NULL && strcmp(slash, "/lathed") == 0) {
		parent = xstrndup(dir, (size_t)(slash - dir));
		path = xasprintf("%s/cgroup.subtree_control", parent);
		if (proc_read(path, sub, sizeof sub) >= 0 &&
		    proc_has_word(sub, " \n", "memory")) {
			base = parent;
			parent = NULL;
		}
		free(path);
	}
	if (base == NULL) {
		path = xasprintf("%s/cgroup.controllers", dir);
		if (proc_read(path, ctl, sizeof ctl) < 0 ||
		    !proc_has_word(ctl, " \n", "memory")) {
			free(path);
			goto out;
		}
		free(path);
		path = xasprintf("%s/cgroup.subtree_control", dir);
		if (proc_read(path, sub, sizeof sub) < 0) {
			free(path);
			goto out;
		}
		free(path);
		if (!proc_has_word(sub, " \n", "memory")) {
			leaf = xasprintf("%s/lathed", dir);
			if (mkdir(leaf, 0755) == 0)
				made = 1;
			else if (errno != EEXIST)
				goto out;
			if (proc_write(leaf, "cgroup.procs", "%ld\n",
			    (long)getpid()) != 0)
				goto out;
			moved = 1;
			if (proc_write(dir, "cgroup.subtree_control",
			    "+memory") != 0) {
				log_info("cgroup v2: cannot enable the memory "
				    "controller in %s: %s", dir,
				    strerror(errno));
				goto out;
			}
			moved = made = 0;
		}
		base = dir;
		dir = NULL;
	}
	path = xasprintf("%s/cgroup.controllers", base);
	if (proc_read(path, ctl, sizeof ctl) >= 0 &&
	    proc_has_word(ctl, " \n", "cpu"))
		(void)proc_write(base, "cgroup.subtree_control", "+cpu");
	free(path);
	path = xasprintf("%s/cgroup.subtree_control", base);
	if (proc_read(path, sub, sizeof sub) >= 0) {
		sup->v2_memory = proc_has_word(sub, " \n", "memory");
		sup->v2_cpu = proc_has_word(sub, " \n", "cpu");
	}
	free(path);
	if (sup->v2_memory) {
		sup->v2 = base;
		base = NULL;
	} else
		sup->v2_cpu = 0;
out:
	if (moved)
		(void)proc_write(dir, "cgroup.procs", "%ld\n", (long)getpid());
	if (made)
		(void)rmdir(leaf);
	free(leaf);
	free(parent);
	free(base);
	free(dir);
}

/* cgroup v1: <own>/lathe in controller's hierarchy if we may write it. */
static char *
proc_probe_v1(struct proc_mount *m, size_t n, const char *controller)
{
	char	*dir, *lathe;

	if ((dir = proc_cgroup_dir(m, n, "cgroup", controller)) == NULL)
		return NULL;
	lathe = xasprintf("%s/lathe", dir);
	free(dir);
	if ((mkdir(lathe, 0755) != 0 && errno != EEXIST) ||
	    access(lathe, W_OK) != 0) {
		free(lathe);
		return NULL;
	}
	return lathe;
}

static void
proc_probe(struct supervisor *sup)
{
	struct proc_mount	*m;
	const char		*v;
	size_t			 n;

	v = getenv("LATHE_NO_CGROUPS");
	if (v != NULL && *v != '\0' && strcmp(v, "0") != 0) {
		log_info("LATHE_NO_CGROUPS is set: workloads run without "
		    "cgroups");
		return;
	}
	n = proc_mounts(&m);
	proc_probe_v2(sup, m, n);
	if (!sup->v2_memory)
		sup->v1_memory = proc_probe_v1(m, n, "memory");
	if (!sup->v2_cpu)
		sup->v1_cpu = proc_probe_v1(m, n, "cpu");
	proc_mounts_free(m, n);
	log_info("workload limits: memory by %s, CPU by %s",
	    sup->v2_memory ? "cgroup v2" : sup->v1_memory != NULL ?
	    "cgroup v1" : "rlimit", sup->v2_cpu ? "cgroup v2" :
	    sup->v1_cpu != NULL ? "cgroup v1" : "nothing");
}

char *
proc_exec_path(void)
{
	char	 self[PATH_MAX], *slash, *path;
	ssize_t	 n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			path = xasprintf("%s/%s", self, PROC_EXEC_NAME);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	return xstrdup(LATHE_LIBEXECDIR "/" PROC_EXEC_NAME);
}

struct supervisor *
supervisor_new(uv_loop_t *loop, const char *exec_path, proc_exit_fn fn,
    void *arg)
{
	struct supervisor	*sup;
	const char		*v;

	sup = xcalloc(1, sizeof *sup);
	sup->loop = loop;
	sup->exec_path = xstrdup(exec_path);
	sup->fn = fn;
	sup->arg = arg;
	v = getenv("LATHE_NO_PIDFD");
	sup->no_pidfd = v != NULL && *v != '\0' && strcmp(v, "0") != 0;
	proc_probe(sup);
	return sup;
}

void
supervisor_free(struct supervisor *sup)
{
	struct proc		*p;
	struct proc_stopper	*s;
	struct proc_sweep	*w;

	if (sup == NULL)
		return;
	while ((p = sup->procs) != NULL) {
		sup->procs = p->next;
		proc_close(p);
	}
	while ((s = sup->stoppers) != NULL) {
		sup->stoppers = s->next;
		uv_close((uv_handle_t *)&s->timer, proc_stopper_closed);
	}
	while ((w = sup->sweeps) != NULL) {
		sup->sweeps = w->next;
		uv_close((uv_handle_t *)&w->timer, proc_sweep_closed);
	}
	free(sup->exec_path);
	free(sup->v2);
	free(sup->v1_memory);
	free(sup->v1_cpu);
	free(sup);
}

void
supervisor_caps(struct supervisor *sup, struct proc_enforced *enf)
{
	if (sup->v2_memory)
		enf->memory = "cgroup v2";
	else if (sup->v1_memory != NULL)
		enf->memory = "cgroup v1";
	else
		enf->memory = "rlimit";
	if (sup->v2_cpu)
		enf->cpu = "cgroup v2";
	else if (sup->v1_cpu != NULL)
		enf->cpu = "cgroup v1";
	else
		enf->cpu = "not enforced";
}

/*
 * A workload's cgroup name: kind-id, and a hash of its directory because
 * two lathed (two state directories) may share a cgroup and both have a
 * run 1.
 */
static char *
proc_cgroup_name(const char *kind, uint64_t id, const char *dir)
{
	uint32_t		 h = 2166136261U;
	const unsigned char	*p;

	for (p = (const unsigned char *)dir; *p != '\0'; p++) {
		h ^= *p;
		h *= 16777619U;
	}
	return xasprintf("%s-%" PRIu64 "-%08" PRIx32, kind, id, h);
}

/* The cgroups a workload gets (whether they exist or not); return n. */
static size_t
proc_cgroup_paths(struct supervisor *sup, const char *kind, uint64_t id,
    const char *dir, char **out)
{
	char	*name = proc_cgroup_name(kind, id, dir);
	size_t	 n = 0;

	if (sup->v2 != NULL)
		out[n++] = xasprintf("%s/%s", sup->v2, name);
	if (sup->v1_memory != NULL)
		out[n++] = xasprintf("%s/%s", sup->v1_memory, name);
	if (sup->v1_cpu != NULL)
		out[n++] = xasprintf("%s/%s", sup->v1_cpu, name);
	out[n] = NULL;
	free(name);
	return n;
}

/*
 * Make a fresh cgroup at path. One left by a workload whose shim was lost
 * is replaced (its counters would confuse the OOM check), unless it still
 * holds processes.
 */
static int
proc_cgroup_new(const char *path, char **cause)
{
	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno == EEXIST && rmdir(path) == 0 && mkdir(path, 0755) == 0)
		return 0;
	*cause = xasprintf("cannot create cgroup %s: %s", path,
	    strerror(errno));
	return -1;
}

/*
 * Make the workload's cgroups and write its limits into them; set *rlimit
 * when its memory must be limited by RLIMIT_DATA instead. On failure
 * nothing is left made.
 */
static int
proc_cgroups_make(struct supervisor *sup, const struct proc_spec *spec,
    char **cgroups, int *rlimit, struct proc_enforced *enf, char **cause)
{
	char		*name, *made[PROC_MAX_CGROUPS + 1];
	uint64_t	 quota;
	size_t		 n = 0;
	int		 rc = -1;

	made[0] = NULL;
	name = proc_cgroup_name(spec->kind, spec->id, spec->dir);
	quota = (uint64_t)llround(spec->vcpu * PROC_CFS_PERIOD);
	if (quota < 1000)
		quota = 1000;
	enf->memory = spec->memory_bytes == 0 ? "none" : "rlimit";
	enf->cpu = spec->vcpu == 0 ? "none" : "not enforced";
	*rlimit = 0;

	if (sup->v2 != NULL) {
		made[n] = xasprintf("%s/%s", sup->v2, name);
		if (proc_cgroup_new(made[n], cause) != 0) {
			free(made[n]);
			goto out;
		}
		made[++n] = NULL;
		if (spec->memory_bytes != 0) {
			if (proc_write(made[n - 1], "memory.max", "%" PRIu64,
			    spec->memory_bytes) != 0)
				goto fail;
			/* Swap would let it past its limit. */
			(void)proc_write(made[n - 1], "memory.swap.max", "0");
			enf->memory = "cgroup v2";
		}
		/* One process out of memory ends the whole workload. */
		(void)proc_write(made[n - 1], "memory.oom.group", "1");
		if (spec->vcpu != 0 && sup->v2_cpu) {
			if (proc_write(made[n - 1], "cpu.max", "%" PRIu64 " %d",
			    quota, PROC_CFS_PERIOD) != 0)
				goto fail;
			enf->cpu = "cgroup v2";
		}
	}
	if (sup->v1_memory != NULL) {
		made[n] = xasprintf("%s/%s", sup->v1_memory, name);
		if (proc_cgroup_new(made[n], cause) != 0) {
			free(made[n]);
			goto undo;
		}
		made[++n] = NULL;
		if (spec->memory_bytes != 0) {
			if (proc_write(made[n - 1], "memory.limit_in_bytes",
			    "%" PRIu64, spec->memory_bytes) != 0)
				goto fail;
			/* Where swap is accounted, count it in the limit. */
			(void)proc_write(made[n - 1],
			    "memory.memsw.limit_in_bytes", "%" PRIu64,
			    spec->memory_bytes);
			enf->memory = "cgroup v1";
		}
	}
	if (sup->v1_cpu != NULL && spec->vcpu != 0 && !sup->v2_cpu) {
		made[n] = xasprintf("%s/%s", sup->v1_cpu, name);
		if (proc_cgroup_new(made[n], cause) != 0) {
			free(made[n]);
			goto undo;
		}
		made[++n] = NULL;
		if (proc_write(made[n - 1], "cpu.cfs_period_us", "%d",
		    PROC_CFS_PERIOD) != 0 ||
		    proc_write(made[n - 1], "cpu.cfs_quota_us", "%" PRIu64,
		    quota) != 0)
			goto fail;
		enf->cpu = "cgroup v1";
	}
	*rlimit = spec->memory_bytes != 0 && strcmp(enf->memory, "rlimit") == 0;
	memcpy(cgroups, made, (n + 1) * sizeof *made);
	rc = 0;
	goto out;
fail:
	*cause = xasprintf("cannot set the limits of cgroup %s: %s",
	    made[n - 1], strerror(errno));
undo:
	/* Nothing has joined them yet: they go at once. */
	proc_cgroups_remove(made);
	for (n = 0; made[n] != NULL; n++)
		free(made[n]);
out:
	free(name);
	return rc;
}

/* SIGKILL every process in the NULL-terminated list of cgroups. */
static void
proc_cgroups_kill(char **cgroups)
{
	char	*path, *buf, *p, *end;
	long	 pid;

	buf = xmalloc(PROC_FILE_MAX);
	for (; *cgroups != NULL; cgroups++) {
		path = xasprintf("%s/cgroup.procs", *cgroups);
		if (proc_read(path, buf, PROC_FILE_MAX) > 0) {
			for (p = buf; *p != '\0'; p = end) {
				pid = strtol(p, &end, 10);
				if (end == p)
					break;
				if (pid > 0 && pid != (long)getpid())
					(void)kill((pid_t)pid, SIGKILL);
			}
		}
		free(path);
	}
	free(buf);
}

/* Remove the cgroups that are empty; keep in the list those that are not. */
static void
proc_cgroups_remove(char **cgroups)
{
	size_t	i, j;

	for (i = j = 0; cgroups[i] != NULL; i++) {
		if (rmdir(cgroups[i]) == 0 || errno == ENOENT)
			free(cgroups[i]);
		else
			cgroups[j++] = cgroups[i];
	}
	cgroups[j] = NULL;
}

static void
proc_sweep_closed(uv_handle_t *h)
{
	struct proc_sweep	*w = h->data;
	size_t			 i;

	for (i = 0; w->cgroups[i] != NULL; i++)
		free(w->cgroups[i]);
	free(w);
}

/* Kill what is left in the cgroups and remove them; 1 when all are gone. */
static int
proc_sweep_round(struct proc_sweep *w)
{
	proc_cgroups_kill(w->cgroups);
	proc_cgroups_remove(w->cgroups);
	return w->cgroups[0] == NULL;
}

static void
proc_sweep_ticked(uv_timer_t *h)
{
	struct proc_sweep	*w = h->data, **wp;
	struct supervisor	*sup = w->sup;

	if (!proc_sweep_round(w)) {
		if (++w->rounds < PROC_SWEEP_ROUNDS)
			return;
		log_warn("cannot remove cgroup %s: %s", w->cgroups[0],
		    strerror(errno));
	}
	for (wp = &sup->sweeps; *wp != NULL; wp = &(*wp)->next) {
		if (*wp == w) {
			*wp = w->next;
			break;
		}
	}
	uv_close((uv_handle_t *)&w->timer, proc_sweep_closed);
}

/*
 * Make sure an ended workload's cgroups (a NULL-terminated list whose
 * strings we take) are emptied and removed. The shim normally has done
 * it; if it was lost, what it left may take a moment to die.
 */
static void
proc_sweep(struct supervisor *sup, char **cgroups)
{
	struct proc_sweep	*w;
	size_t			 i;

	w = xcalloc(1, sizeof *w);
	w->sup = sup;
	for (i = 0; cgroups[i] != NULL; i++)
		w->cgroups[i] = cgroups[i];
	w->cgroups[i] = NULL;
	cgroups[0] = NULL;
	if (proc_sweep_round(w)) {
		free(w);
		return;
	}
	uv_timer_init(sup->loop, &w->timer);
	w->timer.data = w;
	uv_timer_start(&w->timer, proc_sweep_ticked, PROC_SWEEP_MS,
	    PROC_SWEEP_MS);
	w->next = sup->sweeps;
	sup->sweeps = w;
}

/*
 * SIGKILL the workload's process group, named in DIR/pid, when its shim
 * cannot. The group's id is the workload's pid; if a process with that pid
 * exists but started after DIR/pid was written, the pid has been reused
 * and the group is not ours. (While a group has members its id is never
 * given to a new process, so a group without its leader is still ours.)
 */
static void
proc_group_kill(const char *dir)
{
	char			*path, buf[1024], *p, *line = NULL;
	struct stat		 st;
	unsigned long long	 start;
	long long		 btime = -1;
	long			 ticks;
	size_t			 cap = 0;
	FILE			*f;
	int			 pgid, i;

	if ((pgid = proc_pid_file(dir)) <= 0)
		return;
	path = xasprintf("%s/pid", dir);
	i = stat(path, &st);
	free(path);
	if (i != 0)
		return;
	path = xasprintf("/proc/%d/stat", pgid);
	i = proc_read(path, buf, sizeof buf);
	free(path);
	if (i > 0) {
		/* Field 22 is the start time, in clock ticks after boot. */
		if ((p = strrchr(buf, ')')) == NULL)
			return;
		for (i = 0; i < 20 && p != NULL; i++)
			p = strchr(p + 1, ' ');
		if (p == NULL || sscanf(p, " %llu", &start) != 1)
			return;
		if ((f = fopen("/proc/stat", "re")) == NULL)
			return;
		while (btime < 0 && getline(&line, &cap, f) != -1) {
			if (strncmp(line, "btime ", 6) == 0)
				btime = strtoll(line + 6, NULL, 10);
		}
		free(line);
		fclose(f);
		ticks = sysconf(_SC_CLK_TCK);
		if (btime < 0 || ticks <= 0 || btime + (long long)(start /
		    (unsigned long long)ticks) > (long long)st.st_mtime + 1)
			return;
	}
	(void)kill(-pgid, SIGKILL);
}

/* Read DIR/status as lathe-exec writes it; 0, or -1 if none or bad. */
static int
proc_read_status(const char *dir, struct proc_result *res)
{
	struct proc_result	 r;
	char			*path, buf[512], *line, *sp, *v, *end;
	long long		 n;
	int			 have = 0;

	memset(&r, 0, sizeof r);
	path = xasprintf("%s/status", dir);
	if (proc_read(path, buf, sizeof buf) <= 0) {
		free(path);
		return -1;
	}
	free(path);
	for (line = strtok_r(buf, "\n", &sp); line != NULL;
	    line = strtok_r(NULL, "\n", &sp)) {
		if ((v = strchr(line, ' ')) == NULL)
			continue;
		*v++ = '\0';
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0')
			return -1;
		if (strcmp(line, "exit_code") == 0) {
			r.exit_code = (int)n;
			have = 1;
		} else if (strcmp(line, "signal") == 0)
			r.signal = (int)n;
		else if (strcmp(line, "oom") == 0)
			r.oom = n != 0;
		else if (strcmp(line, "ended_ms") == 0)
			r.ended_ms = n;
	}
	if (!have)
		return -1;
	*res = r;
	return 0;
}

/* The workload's pid from DIR/pid, or -1. */
static int
proc_pid_file(const char *dir)
{
	char	*path, buf[32], *end;
	long	 pid;

	path = xasprintf("%s/pid", dir);
	if (proc_read(path, buf, sizeof buf) <= 0) {
		free(path);
		return -1;
	}
	free(path);
	pid = strtol(buf, &end, 10);
	if (end == buf || (*end != '\n' && *end != '\0') || pid <= 0 ||
	    pid > INT_MAX)
		return -1;
	return (int)pid;
}

/*
 * Is pid alive (not a zombie) and our shim for dir? If so and cgroups is
 * not NULL, fill it with the shim's --cgroup arguments (new strings).
 */
static int
proc_shim_check(int pid, const char *dir, char **cgroups)
{
	char	*path, *buf, *p, *end, *base, *args[PROC_MAX_CGROUPS];
	size_t	 n = 0, i;
	int	 len, rc = 0;

	if (pid <= 0)
		return 0;
	buf = xmalloc(PROC_FILE_MAX);
	path = xasprintf("/proc/%d/stat", pid);
	len = proc_read(path, buf, PROC_FILE_MAX);
	free(path);
	if (len <= 0 || (p = strrchr(buf, ')')) == NULL || p[1] != ' ' ||
	    p[2] == 'Z' || p[2] == 'X')
		goto out;
	path = xasprintf("/proc/%d/cmdline", pid);
	len = proc_read(path, buf, PROC_FILE_MAX);
	free(path);
	if (len <= 0)
		goto out;
	/* argv[0] NUL "--dir" NUL dir NUL [--cgroup NUL path NUL]... */
	end = buf + len;
	base = strrchr(buf, '/');
	base = (base != NULL) ? base + 1 : buf;
	if (strcmp(base, PROC_EXEC_NAME) != 0)
		goto out;
	p = buf + strlen(buf) + 1;
	if (p >= end || strcmp(p, "--dir") != 0)
		goto out;
	p += strlen(p) + 1;
	if (p >= end || strcmp(p, dir) != 0)
		goto out;
	for (p += strlen(p) + 1; p < end && strcmp(p, "--") != 0;
	    p += strlen(p) + 1) {
		if (strcmp(p, "--cgroup") == 0 && n < PROC_MAX_CGROUPS) {
			p += strlen(p) + 1;
			if (p >= end)
				break;
			args[n++] = p;
		}
	}
	if (cgroups != NULL) {
		for (i = 0; i < n; i++)
			cgroups[i] = xstrdup(args[i]);
		cgroups[n] = NULL;
	}
	rc = 1;
out:
	free(buf);
	return rc;
}

/* Kinds name cgroups and files: letters, digits and '_'. */
static int
proc_valid_kind(const char *kind)
{
	const char	*p;

	if (kind == NULL || *kind == '\0' || strlen(kind) > PROC_KIND_MAX)
		return 0;
	for (p = kind; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_')
			return 0;
	}
	return 1;
}

static struct proc *
proc_find(struct supervisor *sup, const char *kind, uint64_t id)
{
	struct proc	*p;

	for (p = sup->procs; p != NULL; p = p->next) {
		if (p->id == id && strcmp(p->kind, kind) == 0)
			return p;
	}
	return NULL;
}

static void
proc_unlink(struct supervisor *sup, struct proc *p)
{
	struct proc	**pp;

	for (pp = &sup->procs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			return;
		}
	}
}

static void
proc_free(struct proc *p)
{
	size_t	i;

	if (p->pidfd != -1)
		(void)close(p->pidfd);
	for (i = 0; p->cgroups[i] != NULL; i++)
		free(p->cgroups[i]);
	free(p->kind);
	free(p->dir);
	free(p);
}

static void
proc_closed(uv_handle_t *h)
{
	struct proc	*p = h->data;

	if (--p->handles == 0)
		proc_free(p);
}

/* Close the workload's handles; it is freed once they are closed. */
static void
proc_close(struct proc *p)
{
	if (!p->adopted) {
		uv_close((uv_handle_t *)&p->process, proc_closed);
		return;
	}
	if (p->pidfd != -1)
		uv_close((uv_handle_t *)&p->poll, proc_closed);
	uv_close((uv_handle_t *)&p->timer, proc_closed);
}

static void
proc_stoppers_cancel(struct supervisor *sup, const char *kind, uint64_t id)
{
	struct proc_stopper	**sp, *s;

	for (sp = &sup->stoppers; (s = *sp) != NULL;) {
		if (s->id == id && strcmp(s->kind, kind) == 0) {
			*sp = s->next;
			uv_close((uv_handle_t *)&s->timer, proc_stopper_closed);
		} else
			sp = &s->next;
	}
}

/*
 * The workload has ended. If its shim was lost, kill what it may have
 * left; then forget it and tell the callback. The callback may start or
 * stop workloads, or free the supervisor.
 */
static void
proc_end(struct supervisor *sup, struct proc *p, struct proc_result *res)
{
	proc_unlink(sup, p);
	proc_stoppers_cancel(sup, p->kind, p->id);
	if (res->lost) {
		log_warn("%s %" PRIu64 ": lathe-exec (pid %d) ended without a "
		    "status", p->kind, p->id, p->pid);
		proc_group_kill(p->dir);
	}
	proc_sweep(sup, p->cgroups);
	proc_close(p);
	sup->fn(sup->arg, p->kind, p->id, res);
}

/* libuv: a shim we started has exited. */
static void
proc_exited(uv_process_t *h, int64_t exit_status, int term_signal)
{
	struct proc		*p = h->data;
	struct proc_result	 res;

	if (proc_read_status(p->dir, &res) != 0) {
		memset(&res, 0, sizeof res);
		res.ended_ms = store_now_ms();
		res.signal = term_signal;
		res.exit_code = term_signal != 0 ? -1 : (int)exit_status;
		/*
		 * Stopped so early that the shim had not yet blocked the
		 * signal: it never started the workload, which is stopped,
		 * not lost.
		 */
		if (p->stopping && proc_pid_file(p->dir) == -1 &&
		    (term_signal == SIGTERM || term_signal == SIGUSR1)) {
			if (term_signal == SIGUSR1)
				res.signal = SIGKILL;
		} else
			res.lost = 1;
	}
	proc_end(p->sup, p, &res);
}

int
proc_start(struct supervisor *sup, const struct proc_spec *spec, int *pid,
    struct proc_enforced *enf, char **cause)
{
	struct proc		*p = NULL;
	struct proc_enforced	 e;
	uv_process_options_t	 opts;
	uv_stdio_container_t	 stdio[3];
	char			*path, *memory = NULL, **args = NULL;
	size_t			 nargv, n = 0, i;
	int			 fd = -1, rlimit, r, rc = -1;

	if (!proc_valid_kind(spec->kind)) {
		*cause = xasprintf("bad workload kind '%s'",
		    spec->kind != NULL ? spec->kind : "");
		goto out;
	}
	if (spec->argv == NULL || spec->argv[0] == NULL ||
	    *spec->argv[0] == '\0') {
		*cause = xstrdup("no program to run");
		goto out;
	}
	if (spec->dir == NULL || *spec->dir == '\0') {
		*cause = xstrdup("no directory for the log");
		goto out;
	}
	if (!isfinite(spec->vcpu) || spec->vcpu < 0 || spec->vcpu > 1e6) {
		*cause = xasprintf("bad CPU limit %g", spec->vcpu);
		goto out;
	}
	if (proc_find(sup, spec->kind, spec->id) != NULL) {
		*cause = xasprintf("%s %" PRIu64 " is already running",
		    spec->kind, spec->id);
		goto out;
	}

	/* Results of an earlier start in the same place are not ours. */
	for (i = 0; i < 2; i++) {
		path = xasprintf("%s/%s", spec->dir, i == 0 ? "status" : "pid");
		r = unlink(path);
		if (r != 0 && errno != ENOENT) {
			*cause = xasprintf("cannot remove %s: %s", path,
			    strerror(errno));
			free(path);
			goto out;
		}
		free(path);
	}
	path = xasprintf("%s/log", spec->dir);
	fd = open(path, O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC, 0600);
	if (fd == -1) {
		*cause = xasprintf("cannot open %s: %s", path,
		    strerror(errno));
		free(path);
		goto out;
	}
	free(path);

	p = xcalloc(1, sizeof *p);
	p->sup = sup;
	p->kind = xstrdup(spec->kind);
	p->id = spec->id;
	p->dir = xstrdup(spec->dir);
	p->pidfd = -1;
	if (proc_cgroups_make(sup, spec, p->cgroups, &rlimit, &e, cause) != 0)
		goto out;

	for (nargv = 0; spec->argv[nargv] != NULL; nargv++)
		;
	args = xcalloc(nargv + 2 * PROC_MAX_CGROUPS + 10, sizeof *args);
	args[n++] = sup->exec_path;
	args[n++] = "--dir";
	args[n++] = p->dir;
	for (i = 0; p->cgroups[i] != NULL; i++) {
		args[n++] = "--cgroup";
		args[n++] = p->cgroups[i];
	}
	if (rlimit) {
		memory = xasprintf("%" PRIu64, spec->memory_bytes);
		args[n++] = "--memory";
		args[n++] = memory;
	}
	if (spec->cwd != NULL) {
		args[n++] = "--cwd";
		args[n++] = (char *)spec->cwd;
	}
	args[n++] = "--";
	for (i = 0; i < nargv; i++)
		args[n++] = spec->argv[i];
	args[n] = NULL;

	memset(&opts, 0, sizeof opts);
	memset(stdio, 0, sizeof stdio);
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = UV_INHERIT_FD;
	stdio[1].data.fd = fd;
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = fd;
	opts.exit_cb = proc_exited;
	opts.file = sup->exec_path;
	opts.args = args;
	opts.env = (char **)spec->env;
	opts.flags = UV_PROCESS_DETACHED;
	opts.stdio_count = 3;
	opts.stdio = stdio;
	p->process.data = p;
	if ((r = uv_spawn(sup->loop, &p->process, &opts)) != 0) {
		*cause = xasprintf("cannot start %s: %s", sup->exec_path,
		    uv_strerror(r));
		proc_cgroups_remove(p->cgroups);
		p->handles = 1;
		uv_close((uv_handle_t *)&p->process, proc_closed);
		p = NULL;
		goto out;
	}
	p->handles = 1;
	p->pid = p->process.pid;
	p->next = sup->procs;
	sup->procs = p;
	*pid = p->pid;
	*enf = e;
	p = NULL;
	rc = 0;
out:
	if (fd != -1)
		(void)close(fd);
	if (p != NULL)
		proc_free(p);
	free(args);
	free(memory);
	return rc;
}

/*
 * An adopted shim may have ended (polled says the pidfd told so): if it
 * is gone, read how the workload ended.
 */
static void
proc_adopted_check(struct proc *p, int polled)
{
	struct proc_result	res;

	if (!polled && proc_shim_check(p->pid, p->dir, NULL))
		return;
	if (proc_read_status(p->dir, &res) != 0) {
		memset(&res, 0, sizeof res);
		res.exit_code = -1;
		res.lost = 1;
		res.ended_ms = store_now_ms();
	}
	proc_end(p->sup, p, &res);
}

/* libuv: an adopted shim's pidfd is readable: it has exited. */
static void
proc_polled(uv_poll_t *h, int status, int events)
{
	struct proc	*p = h->data;

	if (status < 0) {
		/* Fall back to looking now and then. */
		uv_poll_stop(h);
		uv_timer_start(&p->timer, proc_ticked, PROC_POLL_MS,
		    PROC_POLL_MS);
		return;
	}
	proc_adopted_check(p, 1);
}

static void
proc_ticked(uv_timer_t *h)
{
	proc_adopted_check(h->data, 0);
}

int
proc_adopt(struct supervisor *sup, const char *kind, uint64_t id, int pid,
    const char *dir, struct proc_result *res)
{
	struct proc	*p;
	char		*cgroups[PROC_MAX_CGROUPS + 1];
	int		 pidfd = -1;

	if (!proc_valid_kind(kind))
		return -1;
	if ((p = proc_find(sup, kind, id)) != NULL)
		return p->pid == pid ? 0 : -1;
#ifdef SYS_pidfd_open
	/* Opened first, so that it is this shim's if the check passes. */
	if (!sup->no_pidfd && pid > 0)
		pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
#endif
	if (!proc_shim_check(pid, dir, cgroups)) {
		if (pidfd != -1)
			(void)close(pidfd);
		if (proc_read_status(dir, res) == 0)
			return 1;
		log_warn("%s %" PRIu64 ": lathe-exec (pid %d) is gone without "
		    "a status", kind, id, pid);
		proc_group_kill(dir);
		proc_cgroup_paths(sup, kind, id, dir, cgroups);
		proc_sweep(sup, cgroups);
		return -1;
	}

	p = xcalloc(1, sizeof *p);
	p->sup = sup;
	p->kind = xstrdup(kind);
	p->id = id;
	p->dir = xstrdup(dir);
	p->pid = pid;
	p->adopted = 1;
	p->pidfd = pidfd;
	memcpy(p->cgroups, cgroups, sizeof cgroups);
	uv_timer_init(sup->loop, &p->timer);
	p->timer.data = p;
	p->handles = 1;
	if (pidfd != -1 && uv_poll_init(sup->loop, &p->poll, pidfd) == 0) {
		p->poll.data = p;
		p->handles++;
		uv_poll_start(&p->poll, UV_READABLE, proc_polled);
	} else {
		if (pidfd != -1)
			(void)close(pidfd);
		p->pidfd = -1;
		uv_timer_start(&p->timer, proc_ticked, PROC_POLL_MS,
		    PROC_POLL_MS);
	}
	p->next = sup->procs;
	sup->procs = p;
	return 0;
}

/* Signal the workload's shim; 0, or -1 if it is gone. */
static int
proc_signal(struct proc *p, int sig)
{
	if (!p->adopted)
		return uv_process_kill(&p->process, sig) == 0 ? 0 : -1;
#ifdef SYS_pidfd_send_signal
	if (p->pidfd != -1)
		return syscall(SYS_pidfd_send_signal, p->pidfd, sig, NULL, 0) ==
		    0 ? 0 : -1;
#endif
	/* Without a pidfd, make sure the pid is not someone else's now. */
	if (!proc_shim_check(p->pid, p->dir, NULL))
		return -1;
	return kill(p->pid, sig);
}

static void
proc_stopper_closed(uv_handle_t *h)
{
	struct proc_stopper	*s = h->data;

	free(s->kind);
	free(s);
}

/* The grace period is over: kill the workload outright. */
static void
proc_stopper_expired(uv_timer_t *h)
{
	struct proc_stopper	*s = h->data;
	struct supervisor	*sup = s->sup;
	struct proc		*p;

	p = proc_find(sup, s->kind, s->id);
	proc_stoppers_cancel(sup, s->kind, s->id);
	if (p == NULL)
		return;
	log_info("%s %" PRIu64 ": still running after its grace period: "
	    "killing it", p->kind, p->id);
	if (proc_signal(p, SIGUSR1) != 0) {
		proc_group_kill(p->dir);
		proc_cgroups_kill(p->cgroups);
	}
}

int
proc_stop(struct supervisor *sup, const char *kind, uint64_t id,
    unsigned int grace_ms)
{
	struct proc		*p;
	struct proc_stopper	*s;

	if ((p = proc_find(sup, kind, id)) == NULL)
		return -1;
	p->stopping = 1;
	if (proc_signal(p, SIGTERM) != 0) {
		/* The shim is gone; its end is on its way: make sure. */
		proc_group_kill(p->dir);
		proc_cgroups_kill(p->cgroups);
		return 0;
	}
	for (s = sup->stoppers; s != NULL; s = s->next) {
		if (s->id == id && strcmp(s->kind, kind) == 0)
			break;
	}
	if (s != NULL) {
		/* Stopped again: the sooner deadline holds. */
		if (uv_timer_get_due_in(&s->timer) <= grace_ms)
			return 0;
	} else {
		s = xcalloc(1, sizeof *s);
		s->sup = sup;
		s->kind = xstrdup(kind);
		s->id = id;
		uv_timer_init(sup->loop, &s->timer);
		s->timer.data = s;
		s->next = sup->stoppers;
		sup->stoppers = s;
	}
	uv_timer_start(&s->timer, proc_stopper_expired, grace_ms, 0);
	return 0;
}

int
proc_running(struct supervisor *sup, const char *kind, uint64_t id)
{
	return proc_find(sup, kind, id) != NULL;
}
