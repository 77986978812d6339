/*
 * lathe-exec: the shim between lathed and a workload (see proc.h). lathed
 * starts it in a session of its own with stdout and stderr on the run's
 * log; it forks the workload into a process group of its own, inside the
 * workload's cgroups and under its rlimits, and waits for it, so that the
 * workload neither depends on lathed staying up nor is left unwaited for
 * when lathed goes. It is a child subreaper: whatever the workload leaves
 * behind, even in a session of its own, comes back to the shim and is
 * killed when the workload ends. DIR/pid names the workload (its pid is
 * also its process group) once it has exec'd inside its cgroups; the
 * result goes to DIR/status, written atomically as "key value" lines
 * (exit_code, signal, oom, ended_ms), for whichever lathed is running by
 * then to read. SIGTERM, SIGINT and SIGHUP are passed on to the
 * workload's process group; SIGUSR1 kills the group and its cgroups.
 *
 * Signals are blocked and taken with sigwaitinfo, so no handler runs; and
 * the shim has a single thread, so its child may use stdio between fork
 * and exec. Nothing here needs to be async-signal-safe.
 *
 * Usage: lathe-exec --dir DIR [--cgroup CGDIR]... [--memory BYTES]
 *            [--cwd DIR] -- PROGRAM [ARG]...
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"

#define EXEC_MAX_CGROUPS	8
#define EXEC_LOG_TAIL		8192
#define EXEC_SWEEP_ROUNDS	1000	/* of 10 ms: give up after 10 s */

struct exec_opts {
	const char	*dir;
	const char	*cgroups[EXEC_MAX_CGROUPS];
	size_t		 ncgroups;
	uint64_t	 memory;	/* RLIMIT_DATA; 0 for none */
	const char	*cwd;
	char		**argv;
};

/* Write all of buf, again after a signal (a stop being forwarded). */
static int
exec_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void	 exec_usage(const char *) __attribute__((noreturn));
static void	 exec_parse(int, char **, struct exec_opts *);
static void	 exec_close_from(int, int);
static void	 exec_child(const struct exec_opts *, const sigset_t *, int)
		     __attribute__((noreturn));
static int	 exec_write_file(const char *, const char *, const char *);
static int	 exec_cgroup_kill(const char *);
static void	 exec_kill_children(void);
static void	 exec_sweep(pid_t, const struct exec_opts *);
static int	 exec_read_key(const char *, const char *, int64_t *);
static int	 exec_read_number(const char *, int64_t *);
static int	 exec_log_says_oom(const char *);
static int	 exec_oom(const struct exec_opts *, int, int);
static int64_t	 exec_now_ms(void);

static void
exec_usage(const char *why)
{
	fprintf(stderr, "lathe-exec: %s\n"
	    "usage: lathe-exec --dir DIR [--cgroup CGDIR]... "
	    "[--memory BYTES] [--cwd DIR] -- PROGRAM [ARG]...\n", why);
	exit(2);
}

static void
exec_parse(int argc, char **argv, struct exec_opts *o)
{
	char	*end;
	int	 i;

	memset(o, 0, sizeof *o);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (i + 1 >= argc)
			exec_usage("missing value");
		if (strcmp(argv[i], "--dir") == 0)
			o->dir = argv[++i];
		else if (strcmp(argv[i], "--cgroup") == 0) {
			if (o->ncgroups == EXEC_MAX_CGROUPS)
				exec_usage("too many cgroups");
			o->cgroups[o->ncgroups++] = argv[++i];
		} else if (strcmp(argv[i], "--memory") == 0) {
			errno = 0;
			i++;
			if (!isdigit((unsigned char)argv[i][0]))
				exec_usage("bad --memory");
			o->memory = strtoull(argv[i], &end, 10);
			if (errno != 0 || *end != '\0' || o->memory == 0)
				exec_usage("bad --memory");
		} else if (strcmp(argv[i], "--cwd") == 0)
			o->cwd = argv[++i];
		else
			exec_usage("unknown option");
	}
	if (o->dir == NULL)
		exec_usage("no --dir");
	if (i >= argc)
		exec_usage("no program");
	o->argv = argv + i;
}

/* Close every descriptor from fd up but keep (-1 for none). */
static void
exec_close_from(int fd, int keep)
{
	long	max, i;

#ifdef SYS_close_range
	if (keep < fd) {
		if (syscall(SYS_close_range, (unsigned int)fd, ~0U, 0) == 0)
			return;
	} else if ((keep == fd || syscall(SYS_close_range, (unsigned int)fd,
	    (unsigned int)keep - 1, 0) == 0) &&
	    syscall(SYS_close_range, (unsigned int)keep + 1, ~0U, 0) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (i = fd; i < max; i++) {
		if (i != keep)
			(void)close((int)i);
	}
}

/*
 * The workload's side of the fork: join the cgroups, take its own process
 * group and limits, and exec. Messages go to stderr, the run's log. ready
 * is closed on exec (or exit), which tells the shim the workload is in
 * place.
 */
static void
exec_child(const struct exec_opts *o, const sigset_t *old, int ready)
{
	struct rlimit	 rl;
	char		 path[PATH_MAX], pid[32];
	size_t		 i;
	int		 fd, len;

	(void)setpgid(0, 0);
	len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	for (i = 0; i < o->ncgroups; i++) {
		snprintf(path, sizeof path, "%s/cgroup.procs", o->cgroups[i]);
		if ((fd = open(path, O_WRONLY|O_CLOEXEC)) == -1 ||
		    exec_write_all(fd, pid, (size_t)len) != 0) {
			dprintf(2, "lathe-exec: cannot join cgroup %s: %s\n",
			    o->cgroups[i], strerror(errno));
			_exit(127);
		}
		(void)close(fd);
	}
	if (o->memory != 0) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)o->memory;
		if (setrlimit(RLIMIT_DATA, &rl) != 0) {
			dprintf(2, "lathe-exec: cannot limit memory to %" PRIu64
			    " bytes: %s\n", o->memory, strerror(errno));
			_exit(127);
		}
	}
	if (o->cwd != NULL && chdir(o->cwd) != 0) {
		dprintf(2, "lathe-exec: cannot change directory to %s: %s\n",
		    o->cwd, strerror(errno));
		_exit(127);
	}
	exec_close_from(3, ready);
	(void)sigprocmask(SIG_SETMASK, old, NULL);
	execvp(o->argv[0], o->argv);
	dprintf(2, "lathe-exec: cannot run %s: %s\n", o->argv[0],
	    strerror(errno));
	_exit(127);
}

/* Write data to dir/name through a temporary file and a rename. */
static int
exec_write_file(const char *dir, const char *name, const char *data)
{
	char	*tmp, *path;
	size_t	 len = strlen(data);
	int	 fd, rc = -1;

	tmp = xasprintf("%s/.%s.tmp", dir, name);
	path = xasprintf("%s/%s", dir, name);
	if ((fd = open(tmp, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644)) == -1)
		goto out;
	if (exec_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		(void)close(fd);
		(void)unlink(tmp);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		(void)unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "lathe-exec: cannot write %s: %s\n", path,
		    strerror(errno));
	free(tmp);
	free(path);
	return rc;
}

/*
 * SIGKILL every process in the cgroup but ourselves; return how many were
 * found.
 */
static int
exec_cgroup_kill(const char *cg)
{
	char	*path, line[64];
	FILE	*f;
	long	 pid;
	int	 n = 0;

	path = xasprintf("%s/cgroup.procs", cg);
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		pid = strtol(line, NULL, 10);
		if (pid > 0 && pid != (long)getpid()) {
			(void)kill((pid_t)pid, SIGKILL);
			n++;
		}
	}
	fclose(f);
	return n;
}

/* SIGKILL our children: orphans of the workload come to us (subreaper). */
static void
exec_kill_children(void)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[64], buf[512], *p;
	long		 ppid, pid;
	ssize_t		 n;
	int		 fd;

	if ((d = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = strtol(de->d_name, NULL, 10);
		snprintf(path, sizeof path, "/proc/%ld/stat", pid);
		if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
			continue;
		n = read(fd, buf, sizeof buf - 1);
		(void)close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* "pid (comm) S ppid ...": comm may hold anything. */
		if ((p = strrchr(buf, ')')) == NULL)
			continue;
		if (sscanf(p + 1, " %*c %ld", &ppid) == 1 &&
		    ppid == (long)getpid())
			(void)kill((pid_t)pid, SIGKILL);
	}
	closedir(d);
}

/*
 * The workload has ended: kill and reap whatever it left, in its process
 * group, its cgroups or reparented to us, until nothing is left.
 */
static void
exec_sweep(pid_t pgid, const struct exec_opts *o)
{
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	size_t		 i;
	pid_t		 p;
	int		 left, round, group = 1;

	for (round = 0; round < EXEC_SWEEP_ROUNDS; round++) {
		/* Once empty, the group's id may be reused: leave it. */
		if (group && kill(-pgid, SIGKILL) == -1 && errno == ESRCH)
			group = 0;
		left = 0;
		for (i = 0; i < o->ncgroups; i++)
			left += exec_cgroup_kill(o->cgroups[i]);
		exec_kill_children();
		while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if (p == -1 && errno == ECHILD && left == 0)
			return;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "lathe-exec: processes of the workload would not "
	    "die\n");
}

/* Read "key N" from a file of such lines; return -1 if absent. */
static int
exec_read_key(const char *path, const char *key, int64_t *v)
{
	FILE	*f;
	char	 line[256], *sp;
	int	 rc = -1;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		*sp = '\0';
		if (strcmp(line, key) == 0) {
			*v = strtoll(sp + 1, NULL, 10);
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

/* Read a file that holds one number. */
static int
exec_read_number(const char *path, int64_t *v)
{
	FILE	*f;
	char	 line[64], *end;
	int	 rc = -1;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	if (fgets(line, sizeof line, f) != NULL) {
		errno = 0;
		*v = strtoll(line, &end, 10);
		if (errno == 0 && end != line)
			rc = 0;
	}
	fclose(f);
	return rc;
}

/* Does the tail of the log say the workload ran out of memory? */
static int
exec_log_says_oom(const char *dir)
{
	static const char	*marks[] = {
		"MemoryError", "Cannot allocate memory", "std::bad_alloc",
		"out of memory"
	};
	char			*path, buf[EXEC_LOG_TAIL + 1];
	struct stat		 st;
	ssize_t			 n;
	size_t			 i;
	off_t			 off;
	int			 fd, found = 0;

	path = xasprintf("%s/log", dir);
	fd = open(path, O_RDONLY|O_CLOEXEC);
	free(path);
	if (fd == -1)
		return 0;
	if (fstat(fd, &st) == 0) {
		off = st.st_size > EXEC_LOG_TAIL ? st.st_size - EXEC_LOG_TAIL :
		    0;
		n = pread(fd, buf, EXEC_LOG_TAIL, off);
		if (n > 0) {
			/* Logs may hold NUL bytes: search around them. */
			for (i = 0; i < (size_t)n; i++)
				if (buf[i] == '\0')
					buf[i] = ' ';
			buf[n] = '\0';
			for (i = 0; i < sizeof marks / sizeof marks[0]; i++)
				if (strstr(buf, marks[i]) != NULL)
					found = 1;
		}
	}
	(void)close(fd);
	return found;
}

/*
 * Did the workload end for want of memory under its limit? killed is set
 * when we sent SIGKILL ourselves (a stop), so a SIGKILL says nothing.
 */
static int
exec_oom(const struct exec_opts *o, int status, int killed)
{
	char	*path;
	int64_t	 v;
	size_t	 i;
	int	 oom = 0, sigkill;

	/* A workload that ended well did not end for want of memory. */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	sigkill = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
	    !killed;
	for (i = 0; i < o->ncgroups && !oom; i++) {
		path = xasprintf("%s/memory.events", o->cgroups[i]);
		if (exec_read_key(path, "oom_kill", &v) == 0 && v > 0)
			oom = 1;
		free(path);
		path = xasprintf("%s/memory.oom_control", o->cgroups[i]);
		if (exec_read_key(path, "oom_kill", &v) == 0) {
			if (v > 0)
				oom = 1;
		} else if (sigkill) {
			free(path);
			path = xasprintf("%s/memory.failcnt", o->cgroups[i]);
			if (exec_read_number(path, &v) == 0 && v > 0)
				oom = 1;
		}
		free(path);
	}
	if (!oom && o->memory != 0)
		oom = exec_log_says_oom(o->dir);
	return oom;
}

static int64_t
exec_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
main(int argc, char **argv)
{
	struct exec_opts	 o;
	sigset_t		 set, old;
	siginfo_t		 si;
	char			*text;
	pid_t			 child, p;
	struct timespec		 ts = { 0, 10 * 1000 * 1000 };
	size_t			 i;
	int			 status = 0, done = 0, killed = 0, sig, oom;
	int			 tries, ready[2];
	char			 c;

	exec_parse(argc, argv, &o);
	exec_close_from(3, -1);

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, &old) != 0 ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
		fprintf(stderr, "lathe-exec: cannot set up: %s\n",
		    strerror(errno));
		return 1;
	}

	if (pipe2(ready, O_CLOEXEC) != 0 || (child = fork()) == -1) {
		fprintf(stderr, "lathe-exec: cannot fork: %s\n",
		    strerror(errno));
		text = xasprintf("exit_code 127\nsignal 0\noom 0\n"
		    "ended_ms %" PRId64 "\n", exec_now_ms());
		status = exec_write_file(o.dir, "status", text);
		free(text);
		return status == 0 ? 0 : 1;
	}
	if (child == 0) {
		(void)close(ready[0]);
		exec_child(&o, &old, ready[1]);
	}
	/* Both sides set the group, so a signal never finds it unset. */
	(void)setpgid(child, child);
	/*
	 * Once the child has exec'd (or given up), it is in its cgroups:
	 * then say who it is.
	 */
	(void)close(ready[1]);
	while (read(ready[0], &c, 1) == -1 && errno == EINTR)
		;
	(void)close(ready[0]);
	text = xasprintf("%ld\n", (long)child);
	(void)exec_write_file(o.dir, "pid", text);
	free(text);

	while (!done) {
		if ((sig = sigwaitinfo(&set, &si)) == -1)
			continue;
		switch (sig) {
		case SIGCHLD:
			while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
				if (p == child) {
					done = 1;
					break;
				}
			}
			break;
		case SIGUSR1:
			killed = 1;
			(void)kill(-child, SIGKILL);
			for (i = 0; i < o.ncgroups; i++)
				(void)exec_cgroup_kill(o.cgroups[i]);
			break;
		default:
			(void)kill(-child, sig);
			break;
		}
	}
	exec_sweep(child, &o);

	oom = exec_oom(&o, status, killed);
	if (WIFSIGNALED(status))
		text = xasprintf("exit_code -1\nsignal %d\noom %d\n"
		    "ended_ms %" PRId64 "\n", WTERMSIG(status), oom,
		    exec_now_ms());
	else
		text = xasprintf("exit_code %d\nsignal 0\noom %d\n"
		    "ended_ms %" PRId64 "\n", WEXITSTATUS(status), oom,
		    exec_now_ms());
	if (exec_write_file(o.dir, "status", text) != 0) {
		free(text);
		return 1;
	}
	free(text);
	/* Emptied, a cgroup may still be busy for a moment. */
	for (i = 0; i < o.ncgroups; i++) {
		for (tries = 0; tries < 100; tries++) {
			if (rmdir(o.cgroups[i]) == 0 || errno != EBUSY)
				break;
			nanosleep(&ts, NULL);
		}
	}
	return 0;
}
