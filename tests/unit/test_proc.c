/*
 * Unit tests for core/proc.c and the lathe-exec shim: real workloads (sh,
 * sleep, python3) run on a real libuv loop, each test in a fresh mkdtemp
 * directory. Every wait runs the loop against a deadline, so a broken
 * supervisor fails a test rather than hanging it. Where the machine lets
 * lathed use cgroups the cgroup tests check them; the rlimit fallback is
 * tested everywhere through LATHE_NO_CGROUPS.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <uv.h>

#include "proc.h"
#include "xmalloc.h"

#define DEADLINE_MS	60000
#define MAX_ENDED	16
#define MAX_SHIMS	32
#define MAX_CG		8
#define MiB		(1024 * 1024)

struct ended {
	char			kind[32];
	uint64_t		id;
	struct proc_result	res;
};

struct fixture {
	uv_loop_t		 loop;
	uv_timer_t		 tick;
	struct supervisor	*sup;
	char			*tmp;
	char			*exec;
	struct ended		 ended[MAX_ENDED];
	size_t			 nended;
	int			 shims[MAX_SHIMS];
	size_t			 nshims;
	uint64_t		 base;	/* ids unique to this test process */
};

static char *const default_env[] = {
	"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static void
on_exit_cb(void *arg, const char *kind, uint64_t id,
    const struct proc_result *res)
{
	struct fixture	*f = arg;
	struct ended	*e;

	assert_true(f->nended < MAX_ENDED);
	e = &f->ended[f->nended++];
	snprintf(e->kind, sizeof e->kind, "%s", kind);
	e->id = id;
	e->res = *res;
}

static void
on_tick(uv_timer_t *t)
{
}

/* The shim of this build tree: $top_builddir, else from our own path. */
static char *
exec_path(void)
{
	const char	*top = getenv("top_builddir");
	char		 self[PATH_MAX], *s;
	ssize_t		 n;
	int		 i;

	if (top != NULL)
		return xasprintf("%s/lathe-exec", top);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	assert_true(n > 0);
	self[n] = '\0';
	for (i = 0; i < 3; i++) {	/* tests/unit/test_proc */
		s = strrchr(self, '/');
		assert_non_null(s);
		*s = '\0';
	}
	return xasprintf("%s/lathe-exec", self);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	f->tmp = xstrdup("/tmp/lathe-test-proc.XXXXXX");
	if (mkdtemp(f->tmp) == NULL)
		return -1;
	f->exec = exec_path();
	if (access(f->exec, X_OK) != 0)
		return -1;
	if (uv_loop_init(&f->loop) != 0)
		return -1;
	uv_timer_init(&f->loop, &f->tick);
	uv_timer_start(&f->tick, on_tick, 10, 10);
	f->base = (uint64_t)getpid() * 1000;
	unsetenv("LATHE_NO_CGROUPS");
	unsetenv("LATHE_NO_PIDFD");
	f->sup = supervisor_new(&f->loop, f->exec, on_exit_cb, f);
	*state = f;
	return 0;
}

static void
close_any(uv_handle_t *h, void *arg)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	size_t		 i, tries;

	/* A failed test may leave workloads: kill them, reap the shims. */
	for (i = 0; i < f->nshims; i++) {
		if (waitpid(f->shims[i], NULL, WNOHANG) != 0)
			continue;
		(void)kill(f->shims[i], SIGUSR1);
		for (tries = 0; tries < 1000; tries++) {
			if (waitpid(f->shims[i], NULL, WNOHANG) != 0)
				break;
			usleep(10000);
		}
	}
	supervisor_free(f->sup);
	uv_close((uv_handle_t *)&f->tick, NULL);
	uv_run(&f->loop, UV_RUN_NOWAIT);
	if (uv_loop_close(&f->loop) != 0) {
		uv_walk(&f->loop, close_any, NULL);
		uv_run(&f->loop, UV_RUN_NOWAIT);
		uv_loop_close(&f->loop);
		fprintf(stderr, "handles were left open on the loop\n");
		return -1;
	}
	unsetenv("LATHE_NO_CGROUPS");
	unsetenv("LATHE_NO_PIDFD");
	nftw(f->tmp, rm_one, 16, FTW_PHYS|FTW_DEPTH);
	free(f->tmp);
	free(f->exec);
	free(f);
	return 0;
}

/* Replace the supervisor, the way a restarted lathed would have a new one. */
static void
restart(struct fixture *f)
{
	supervisor_free(f->sup);
	uv_run(&f->loop, UV_RUN_NOWAIT);
	f->sup = supervisor_new(&f->loop, f->exec, on_exit_cb, f);
}

/* A supervisor told to use no cgroups. */
static void
no_cgroups(struct fixture *f)
{
	setenv("LATHE_NO_CGROUPS", "1", 1);
	restart(f);
}

/* Run the loop until cond holds; fail at the deadline. */
static void
wait_until(struct fixture *f, int (*cond)(struct fixture *, const void *),
    const void *arg, const char *what)
{
	uint64_t	start;

	uv_update_time(&f->loop);
	start = uv_now(&f->loop);
	while (!cond(f, arg)) {
		if (uv_now(&f->loop) - start > DEADLINE_MS)
			fail_msg("timed out waiting for %s", what);
		uv_run(&f->loop, UV_RUN_ONCE);
	}
}

static int
cond_ended(struct fixture *f, const void *arg)
{
	return f->nended >= *(const size_t *)arg;
}

/* Wait for the nth end (1-based) and return it. */
static struct ended *
wait_ended(struct fixture *f, size_t n)
{
	wait_until(f, cond_ended, &n, "a workload to end");
	return &f->ended[n - 1];
}

/* The whole of a file (those in /proc and cgroups have no size). */
static char *
read_file(const char *path)
{
	FILE	*fp;
	char	*data = NULL;
	size_t	 len = 0, cap = 0, n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap * 2 + 4096;
			data = xrealloc(data, cap);
		}
		n = fread(data + len, 1, cap - len - 1, fp);
		len += n;
	} while (n > 0);
	data[len] = '\0';
	fclose(fp);
	return data;
}

static int
cond_nonempty(struct fixture *f, const void *arg)
{
	struct stat	st;

	return stat(arg, &st) == 0 && st.st_size > 0;
}

/* Wait until the file at dir/name has something in it. */
static void
wait_file(struct fixture *f, const char *dir, const char *name)
{
	char	*path = xasprintf("%s/%s", dir, name);

	wait_until(f, cond_nonempty, path, path);
	free(path);
}

static int
file_int(const char *dir, const char *name)
{
	char	*path = xasprintf("%s/%s", dir, name), *data;
	int	 v;

	data = read_file(path);
	assert_non_null(data);
	v = atoi(data);
	free(data);
	free(path);
	return v;
}

static char *
file_in(const char *dir, const char *name)
{
	char	*path = xasprintf("%s/%s", dir, name), *data;

	data = read_file(path);
	free(path);
	return data;
}

static void
touch(const char *dir, const char *name)
{
	char	*path = xasprintf("%s/%s", dir, name);
	int	 fd;

	fd = open(path, O_WRONLY|O_CREAT, 0644);
	assert_true(fd != -1);
	close(fd);
	free(path);
}

/* The state letter of /proc/PID/stat, or 0 if there is no such process. */
static char
pid_state(int pid)
{
	char	*path = xasprintf("/proc/%d/stat", pid), *data, *p;
	char	 c = 0;

	data = read_file(path);
	free(path);
	if (data != NULL && (p = strrchr(data, ')')) != NULL)
		c = p[2];
	free(data);
	return c;
}

/* Alive: exists and is not a zombie. */
static int
alive(int pid)
{
	char	c = pid_state(pid);

	return c != 0 && c != 'Z' && c != 'X';
}

static int
cond_zombie(struct fixture *f, const void *arg)
{
	return pid_state(*(const int *)arg) == 'Z';
}

static int
cond_dead(struct fixture *f, const void *arg)
{
	return !alive(*(const int *)arg);
}

static char *
new_dir(struct fixture *f, const char *name)
{
	char	*dir = xasprintf("%s/%s", f->tmp, name);

	assert_int_equal(mkdir(dir, 0755), 0);
	return dir;
}

/* Start a workload that must start; return the shim's pid. */
static int
start(struct fixture *f, uint64_t id, const char *dir, char *const *argv,
    char *const *env, const char *cwd, uint64_t memory, double vcpu,
    struct proc_enforced *enf)
{
	struct proc_spec	 spec;
	struct proc_enforced	 e;
	char			*cause = NULL;
	int			 pid = -1;

	memset(&spec, 0, sizeof spec);
	spec.kind = "run";
	spec.id = id;
	spec.argv = argv;
	spec.env = env != NULL ? env : default_env;
	spec.cwd = cwd;
	spec.dir = dir;
	spec.memory_bytes = memory;
	spec.vcpu = vcpu;
	if (proc_start(f->sup, &spec, &pid, enf != NULL ? enf : &e,
	    &cause) != 0)
		fail_msg("proc_start: %s", cause);
	assert_null(cause);
	assert_true(pid > 0);
	assert_true(proc_running(f->sup, "run", id));
	assert_true(f->nshims < MAX_SHIMS);
	f->shims[f->nshims++] = pid;
	return pid;
}

/* Run a workload to its end and return how it ended. */
static struct ended *
run(struct fixture *f, uint64_t id, const char *dir, char *const *argv,
    uint64_t memory)
{
	struct ended	*e;

	start(f, id, dir, argv, NULL, NULL, memory, 0, NULL);
	e = wait_ended(f, f->nended + 1);
	assert_string_equal(e->kind, "run");
	assert_int_equal(e->id, id);
	assert_false(proc_running(f->sup, "run", id));
	return e;
}

/*
 * The --cgroup arguments of a running shim: the cgroups of its workload.
 * Return how many.
 */
static size_t
shim_cgroups(int pid, char **out)
{
	char	*path = xasprintf("/proc/%d/cmdline", pid), *p, *end;
	char	 buf[8192];
	size_t	 n = 0;
	ssize_t	 len;
	int	 fd;

	fd = open(path, O_RDONLY);
	free(path);
	assert_true(fd != -1);
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	assert_true(len > 0);
	buf[len] = '\0';
	end = buf + len;
	for (p = buf; p < end && strcmp(p, "--") != 0; p += strlen(p) + 1) {
		if (strcmp(p, "--cgroup") == 0) {
			p += strlen(p) + 1;
			assert_true(n < MAX_CG);
			out[n++] = xstrdup(p);
		}
	}
	return n;
}

static int
is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
cgroups_available(struct fixture *f)
{
	struct proc_enforced	caps;

	supervisor_caps(f->sup, &caps);
	return strcmp(caps.memory, "rlimit") != 0;
}

static void
test_exit_zero(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w");
	char *const	 argv[] = { "true", NULL };
	struct ended	*e;
	char		*status;

	e = run(f, f->base + 1, dir, argv, 0);
	assert_int_equal(e->res.exit_code, 0);
	assert_int_equal(e->res.signal, 0);
	assert_int_equal(e->res.oom, 0);
	assert_int_equal(e->res.lost, 0);
	assert_true(e->res.ended_ms > 1500000000000LL);
	status = file_in(dir, "status");
	assert_non_null(status);
	assert_non_null(strstr(status, "exit_code 0\n"));
	free(status);
	free(dir);
}

/* Exit 3, then again in the same place: the old status is not reread. */
static void
test_exit_code(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w");
	char *const	 three[] = { "sh", "-c", "echo first; exit 3", NULL };
	char *const	 zero[] = { "sh", "-c", "echo second", NULL };
	struct ended	*e;
	char		*log;

	e = run(f, f->base + 1, dir, three, 0);
	assert_int_equal(e->res.exit_code, 3);
	assert_int_equal(e->res.signal, 0);
	assert_int_equal(e->res.lost, 0);
	e = run(f, f->base + 1, dir, zero, 0);
	assert_int_equal(e->res.exit_code, 0);
	log = file_in(dir, "log");
	assert_string_equal(log, "first\nsecond\n");
	free(log);
	free(dir);
}

static void
test_signal(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w");
	char *const	 argv[] = { "sh", "-c", "kill -USR2 $$", NULL };
	struct ended	*e;

	e = run(f, f->base + 1, dir, argv, 0);
	assert_int_equal(e->res.exit_code, -1);
	assert_int_equal(e->res.signal, SIGUSR2);
	assert_int_equal(e->res.oom, 0);
	assert_int_equal(e->res.lost, 0);
	free(dir);
}

static void
test_exec_failure(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w"), *log, *want, *gone;
	char *const	 argv[] = { "lathe-no-such-program", "x", NULL };
	char *const	 pwd[] = { "pwd", NULL };
	struct ended	*e;

	e = run(f, f->base + 1, dir, argv, 0);
	assert_int_equal(e->res.exit_code, 127);
	assert_int_equal(e->res.signal, 0);
	assert_int_equal(e->res.lost, 0);
	log = file_in(dir, "log");
	assert_string_equal(log, "lathe-exec: cannot run lathe-no-such-program:"
	    " No such file or directory\n");
	free(log);

	/* A working directory that is not there. */
	gone = xasprintf("%s/gone", f->tmp);
	start(f, f->base + 2, dir, pwd, NULL, gone, 0, 0, NULL);
	e = wait_ended(f, 2);
	assert_int_equal(e->res.exit_code, 127);
	log = file_in(dir, "log");
	want = xasprintf("lathe-exec: cannot change directory to %s: No such "
	    "file or directory\n", gone);
	assert_non_null(strstr(log, want));
	free(want);
	free(log);
	free(gone);
	free(dir);
}

/* stdout and stderr share the log, in order, after what it held. */
static void
test_output_order(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w"), *log, *path;
	char *const	 argv[] = { "sh", "-c", "echo one; echo two >&2; "
	    "echo three; echo four >&2; printf five", NULL };
	FILE		*fp;

	path = xasprintf("%s/log", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("before\n", fp);
	fclose(fp);
	free(path);
	assert_int_equal(run(f, f->base + 1, dir, argv, 0)->res.exit_code, 0);
	log = file_in(dir, "log");
	assert_string_equal(log, "before\none\ntwo\nthree\nfour\nfive");
	free(log);
	free(dir);
}

static void
test_env_exact(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w"), *log;
	char *const	 argv[] = { "/usr/bin/env", NULL };
	char *const	 env[] = { "B=two words", "A=1", "EMPTY=",
	    "LATHE_RUN_ID=7", NULL };

	start(f, f->base + 1, dir, argv, env, NULL, 0, 0, NULL);
	assert_int_equal(wait_ended(f, 1)->res.exit_code, 0);
	log = file_in(dir, "log");
	assert_string_equal(log, "B=two words\nA=1\nEMPTY=\nLATHE_RUN_ID=7\n");
	free(log);
	free(dir);
}

/*
 * The workload reads /dev/null and sees no descriptor of ours, not even
 * one left without close-on-exec.
 */
static void
test_descriptors(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w"), *log;
	char *const	 argv[] = { "sh", "-c",
	    "ls /proc/$$/fd; readlink /proc/$$/fd/0; cat", NULL };
	int		 fd;

	fd = open("/dev/null", O_RDONLY);
	assert_true(fd != -1);
	assert_int_equal(dup2(fd, 57), 57);
	start(f, f->base + 1, dir, argv, NULL, NULL, 0, 0, NULL);
	assert_int_equal(wait_ended(f, 1)->res.exit_code, 0);
	close(57);
	close(fd);
	log = file_in(dir, "log");
	assert_string_equal(log, "0\n1\n2\n/dev/null\n");
	free(log);
	free(dir);
}

/* The working directory, and PATH from the environment given. */
static void
test_cwd(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w"), *cwd = new_dir(f, "my dir");
	char		*real, *log, *want;
	char *const	 argv[] = { "pwd", NULL };
	char *const	 argv2[] = { "sh", "-c", "pwd; ls", NULL };

	touch(cwd, "marker");
	start(f, f->base + 1, dir, argv, NULL, cwd, 0, 0, NULL);
	assert_int_equal(wait_ended(f, 1)->res.exit_code, 0);
	real = realpath(cwd, NULL);
	assert_non_null(real);
	log = file_in(dir, "log");
	want = xasprintf("%s\n", real);
	assert_string_equal(log, want);
	free(log);
	free(want);

	start(f, f->base + 2, dir, argv2, NULL, cwd, 0, 0, NULL);
	assert_int_equal(wait_ended(f, 2)->res.exit_code, 0);
	log = file_in(dir, "log");
	want = xasprintf("%s\n%s\nmarker\n", real, real);
	assert_string_equal(log, want);
	free(log);
	free(want);
	free(real);
	free(cwd);
	free(dir);
}

static void
test_concurrent(void **state)
{
	struct fixture	*f = *state;
	char		*dir[4], name[8], script[32];
	char		*argv[4][4];
	int		 seen[4] = { 0 }, i;
	struct ended	*e;

	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof name, "w%d", i);
		dir[i] = new_dir(f, name);
		snprintf(script, sizeof script, "exit %d", 10 + i);
		argv[i][0] = "sh";
		argv[i][1] = "-c";
		argv[i][2] = xstrdup(script);
		argv[i][3] = NULL;
		start(f, f->base + i, dir[i], argv[i], NULL, NULL, 0, 0, NULL);
	}
	wait_ended(f, 4);
	for (i = 0; i < 4; i++) {
		e = &f->ended[i];
		assert_true(e->id >= f->base && e->id < f->base + 4);
		assert_int_equal(e->res.exit_code, 10 + (int)(e->id - f->base));
		seen[e->id - f->base]++;
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(seen[i], 1);
		free(argv[i][2]);
		free(dir[i]);
	}
}

static void
test_stop_term(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w");
	char *const	 argv[] = { "sleep", "300", NULL };
	struct ended	*e;
	int		 child;

	start(f, f->base + 1, dir, argv, NULL, NULL, 0, 0, NULL);
	wait_file(f, dir, "pid");
	child = file_int(dir, "pid");
	assert_true(alive(child));
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 60000), 0);
	e = wait_ended(f, 1);
	assert_int_equal(e->res.exit_code, -1);
	assert_int_equal(e->res.signal, SIGTERM);
	assert_int_equal(e->res.lost, 0);
	assert_int_equal(e->res.oom, 0);
	assert_false(alive(child));
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 0), -1);
	free(dir);
}

/* SIGTERM ignored: SIGKILL after the grace period. */
static void
test_stop_trapped(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w");
	char *const	 argv[] = { "sh", "-c",
	    "trap '' TERM; echo ready; exec sleep 300", NULL };
	struct ended	*e;

	start(f, f->base + 1, dir, argv, NULL, NULL, 256 * MiB, 0, NULL);
	wait_file(f, dir, "log");
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 300), 0);
	/* Stopped again with a longer grace: the first deadline holds. */
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 3600000), 0);
	e = wait_ended(f, 1);
	assert_int_equal(e->res.exit_code, -1);
	assert_int_equal(e->res.signal, SIGKILL);
	assert_int_equal(e->res.lost, 0);
	/* Killed by a stop, not for want of memory. */
	assert_int_equal(e->res.oom, 0);
	free(dir);
}

/*
 * A workload with a grandchild in its process group and one in a session
 * of its own: stopped, nothing is left; ended by itself, nothing is left.
 */
static void
tree(struct fixture *f)
{
	char		*dir = new_dir(f, "w"), *dir2 = new_dir(f, "w2");
	char *const	 stopped[] = { "sh", "-c",
	    "sleep 300 & echo $! > gc1; "
	    "setsid sh -c 'echo $$ > gc2; exec sleep 300' & "
	    "exec sleep 300", NULL };
	char *const	 ended[] = { "sh", "-c",
	    "sleep 300 & echo $! > gc1; "
	    "setsid sh -c 'echo $$ > gc2; exec sleep 300' & "
	    "while [ ! -s gc2 ]; do sleep 0.02; done; exit 4", NULL };
	struct ended	*e;
	int		 gc1, gc2;

	start(f, f->base + 1, dir, stopped, NULL, dir, 0, 0, NULL);
	wait_file(f, dir, "gc1");
	wait_file(f, dir, "gc2");
	gc1 = file_int(dir, "gc1");
	gc2 = file_int(dir, "gc2");
	assert_true(alive(gc1));
	assert_true(alive(gc2));
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 60000), 0);
	e = wait_ended(f, 1);
	assert_int_equal(e->res.signal, SIGTERM);
	assert_false(alive(gc1));
	assert_false(alive(gc2));

	start(f, f->base + 2, dir2, ended, NULL, dir2, 0, 0, NULL);
	e = wait_ended(f, 2);
	assert_int_equal(e->res.exit_code, 4);
	gc1 = file_int(dir2, "gc1");
	gc2 = file_int(dir2, "gc2");
	assert_false(alive(gc1));
	assert_false(alive(gc2));
	free(dir);
	free(dir2);
}

static void
test_tree(void **state)
{
	tree(*state);
}

static void
test_tree_no_cgroups(void **state)
{
	struct fixture	*f = *state;

	no_cgroups(f);
	assert_false(cgroups_available(f));
	tree(f);
}

/* The cgroups made for a workload hold it and its limits, then go. */
static void
test_cgroup_limits(void **state)
{
	struct fixture		*f = *state;
	char			*dir = new_dir(f, "w"), *cg[MAX_CG], *v, *procs;
	char *const		 argv[] = { "sleep", "300", NULL };
	char			 want[32];
	struct proc_enforced	 enf, caps;
	size_t			 n, i;
	int			 shim, child, saw_memory = 0, saw_cpu = 0;

	if (!cgroups_available(f))
		skip();
	supervisor_caps(f->sup, &caps);
	shim = start(f, f->base + 1, dir, argv, NULL, NULL, 64 * MiB, 0.5,
	    &enf);
	assert_string_equal(enf.memory, caps.memory);
	assert_string_equal(enf.cpu, caps.cpu);
	wait_file(f, dir, "pid");
	child = file_int(dir, "pid");
	n = shim_cgroups(shim, cg);
	assert_true(n > 0);
	snprintf(want, sizeof want, "%d\n", child);
	for (i = 0; i < n; i++) {
		assert_true(is_dir(cg[i]));
		procs = file_in(cg[i], "cgroup.procs");
		assert_non_null(procs);
		assert_string_equal(procs, want);
		free(procs);
		if ((v = file_in(cg[i], "memory.limit_in_bytes")) != NULL ||
		    (v = file_in(cg[i], "memory.max")) != NULL) {
			assert_string_equal(v, "67108864\n");
			saw_memory = 1;
			free(v);
		}
		if ((v = file_in(cg[i], "cpu.cfs_quota_us")) != NULL) {
			assert_string_equal(v, "50000\n");
			saw_cpu = 1;
			free(v);
		} else if ((v = file_in(cg[i], "cpu.max")) != NULL) {
			assert_string_equal(v, "50000 100000\n");
			saw_cpu = 1;
			free(v);
		}
	}
	assert_true(saw_memory);
	assert_int_equal(saw_cpu, strcmp(caps.cpu, "not enforced") != 0);
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 60000), 0);
	assert_int_equal(wait_ended(f, 1)->res.signal, SIGTERM);
	for (i = 0; i < n; i++) {
		assert_false(is_dir(cg[i]));
		free(cg[i]);
	}
	free(dir);
}

/* Out of memory under a cgroup limit: killed, oom set, cgroups gone. */
static void
test_oom_cgroup(void **state)
{
	struct fixture		*f = *state;
	char			*dir = new_dir(f, "w"), *cg[MAX_CG];
	char *const		 argv[] = { "/usr/bin/python3", "-c",
	    "import os, time\n"
	    "while not os.path.exists('go'): time.sleep(0.02)\n"
	    "x = b'x' * (512 << 20)\n", NULL };
	struct proc_enforced	 enf;
	struct ended		*e;
	size_t			 n, i;
	int			 shim;

	if (!cgroups_available(f))
		skip();
	shim = start(f, f->base + 1, dir, argv, NULL, dir, 64 * MiB, 0, &enf);
	assert_non_null(strstr(enf.memory, "cgroup"));
	assert_string_equal(enf.cpu, "none");
	wait_file(f, dir, "pid");
	n = shim_cgroups(shim, cg);
	assert_true(n > 0);
	touch(dir, "go");
	e = wait_ended(f, 1);
	assert_int_equal(e->res.oom, 1);
	assert_int_equal(e->res.signal, SIGKILL);
	assert_int_equal(e->res.lost, 0);
	for (i = 0; i < n; i++) {
		assert_false(is_dir(cg[i]));
		free(cg[i]);
	}
	free(dir);
}

/*
 * A child of the workload killed for want of memory while the workload
 * itself ends well: the workload did not run out of memory.
 */
static void
test_oom_cgroup_survived(void **state)
{
	struct fixture		*f = *state;
	char			*dir = new_dir(f, "w");
	char *const		 argv[] = { "sh", "-c",
	    "/usr/bin/python3 -c \"x = b'x' * (512 << 20)\"; "
	    "echo child $?", NULL };
	struct ended		*e;
	char			*log;

	if (!cgroups_available(f))
		skip();
	start(f, f->base + 1, dir, argv, NULL, NULL, 64 * MiB, 0, NULL);
	e = wait_ended(f, 1);
	log = file_in(dir, "log");
	/* Under cgroup v2 the whole group goes (memory.oom.group). */
	if (strstr(log, "child 137\n") != NULL) {
		assert_int_equal(e->res.exit_code, 0);
		assert_int_equal(e->res.oom, 0);
	} else {
		assert_int_equal(e->res.signal, SIGKILL);
		assert_int_equal(e->res.oom, 1);
	}
	free(log);
	free(dir);
}

/* Out of memory under RLIMIT_DATA: MemoryError, and oom set. */
static void
test_oom_rlimit(void **state)
{
	struct fixture		*f = *state;
	char			*dir = new_dir(f, "w"), *log;
	char *const		 argv[] = { "/usr/bin/python3", "-c",
	    "x = b'x' * (512 << 20)", NULL };
	struct proc_enforced	 enf, caps;
	struct ended		*e;

	no_cgroups(f);
	supervisor_caps(f->sup, &caps);
	assert_string_equal(caps.memory, "rlimit");
	assert_string_equal(caps.cpu, "not enforced");
	start(f, f->base + 1, dir, argv, NULL, NULL, 64 * MiB, 1.5, &enf);
	assert_string_equal(enf.memory, "rlimit");
	assert_string_equal(enf.cpu, "not enforced");
	e = wait_ended(f, 1);
	assert_int_equal(e->res.exit_code, 1);
	assert_int_equal(e->res.oom, 1);
	log = file_in(dir, "log");
	assert_non_null(strstr(log, "MemoryError"));
	free(log);
	free(dir);
}

/* What must not count as out of memory. */
static void
test_oom_not(void **state)
{
	struct fixture		*f = *state;
	char			*dir = new_dir(f, "w");
	char			*dir2 = new_dir(f, "w2");
	char			*dir3 = new_dir(f, "w3");
	char *const		 said_ok[] = { "sh", "-c",
	    "echo MemoryError; exit 0", NULL };
	char *const		 failed[] = { "sh", "-c", "exit 1", NULL };
	char *const		 said[] = { "sh", "-c",
	    "echo 'out of memory'; exit 1", NULL };
	struct proc_enforced	 enf;
	struct ended		*e;

	no_cgroups(f);
	/* Says it, but ends well. */
	e = run(f, f->base + 1, dir, said_ok, 64 * MiB);
	assert_int_equal(e->res.exit_code, 0);
	assert_int_equal(e->res.oom, 0);
	/* Fails, but does not say it. */
	e = run(f, f->base + 2, dir2, failed, 64 * MiB);
	assert_int_equal(e->res.exit_code, 1);
	assert_int_equal(e->res.oom, 0);
	/* Says it and fails, but had no limit to run out of. */
	start(f, f->base + 3, dir3, said, NULL, NULL, 0, 0, &enf);
	assert_string_equal(enf.memory, "none");
	assert_string_equal(enf.cpu, "none");
	e = wait_ended(f, 3);
	assert_int_equal(e->res.exit_code, 1);
	assert_int_equal(e->res.oom, 0);
	free(dir);
	free(dir2);
	free(dir3);
}

static int
cond_no_dir(struct fixture *f, const void *arg)
{
	return !is_dir(arg);
}

/* Wait for a lost workload to be killed and its cgroups removed. */
static void
wait_gone(struct fixture *f, int child, char **cg, size_t n)
{
	size_t	i;

	/* Orphaned, it goes to an init that may be slow to reap it. */
	wait_until(f, cond_dead, &child, "the lost workload to die");
	for (i = 0; i < n; i++) {
		wait_until(f, cond_no_dir, cg[i], "a cgroup to go");
		free(cg[i]);
	}
}

/* The shim killed from outside: lost, and its workload killed too. */
static void
lost(struct fixture *f)
{
	char		*dir = new_dir(f, "w"), *cg[MAX_CG];
	char *const	 argv[] = { "sleep", "300", NULL };
	struct ended	*e;
	size_t		 n;
	int		 shim, child;

	shim = start(f, f->base + 1, dir, argv, NULL, NULL, 64 * MiB, 1, NULL);
	wait_file(f, dir, "pid");
	child = file_int(dir, "pid");
	n = shim_cgroups(shim, cg);
	assert_int_equal(kill(shim, SIGKILL), 0);
	e = wait_ended(f, 1);
	assert_int_equal(e->res.lost, 1);
	assert_int_equal(e->res.signal, SIGKILL);
	assert_true(e->res.ended_ms > 0);
	wait_gone(f, child, cg, n);
	free(dir);
}

static void
test_lost(void **state)
{
	lost(*state);
}

static void
test_lost_no_cgroups(void **state)
{
	struct fixture	*f = *state;

	no_cgroups(f);
	lost(f);
}

static void
adopt_running(struct fixture *f)
{
	char			*dir = new_dir(f, "w");
	char *const		 argv[] = { "sleep", "300", NULL };
	struct proc_result	 res;
	struct ended		*e;
	int			 shim, child;

	shim = start(f, f->base + 1, dir, argv, NULL, NULL, 0, 0, NULL);
	wait_file(f, dir, "pid");
	child = file_int(dir, "pid");
	restart(f);
	/* The old supervisor stopped nothing. */
	assert_true(alive(shim));
	assert_true(alive(child));
	assert_false(proc_running(f->sup, "run", f->base + 1));
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, shim, dir,
	    &res), 0);
	assert_true(proc_running(f->sup, "run", f->base + 1));
	/* Adopting it twice is harmless. */
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, shim, dir,
	    &res), 0);
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 60000), 0);
	e = wait_ended(f, 1);
	assert_string_equal(e->kind, "run");
	assert_int_equal(e->id, f->base + 1);
	assert_int_equal(e->res.signal, SIGTERM);
	assert_int_equal(e->res.lost, 0);
	assert_false(proc_running(f->sup, "run", f->base + 1));
	assert_false(alive(child));
	assert_int_equal(waitpid(shim, NULL, 0), shim);
	free(dir);
}

static void
test_adopt_running(void **state)
{
	adopt_running(*state);
}

static void
test_adopt_running_polled(void **state)
{
	setenv("LATHE_NO_PIDFD", "1", 1);
	adopt_running(*state);
}

/* Adopted, it ends by itself (with its trapped SIGTERM, a stop kills). */
static void
adopt_ends(struct fixture *f)
{
	char			*dir = new_dir(f, "w");
	char			*dir2 = new_dir(f, "w2");
	char *const		 gated[] = { "sh", "-c",
	    "while [ ! -e go ]; do sleep 0.02; done; exit 5", NULL };
	char *const		 trapped[] = { "sh", "-c",
	    "trap '' TERM; echo ready; exec sleep 300", NULL };
	struct proc_result	 res;
	struct ended		*e;
	int			 shim, shim2;

	shim = start(f, f->base + 1, dir, gated, NULL, dir, 0, 0, NULL);
	shim2 = start(f, f->base + 2, dir2, trapped, NULL, NULL, 0, 0, NULL);
	wait_file(f, dir2, "log");
	restart(f);
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, shim, dir,
	    &res), 0);
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 2, shim2, dir2,
	    &res), 0);
	touch(dir, "go");
	e = wait_ended(f, 1);
	assert_int_equal(e->id, f->base + 1);
	assert_int_equal(e->res.exit_code, 5);
	assert_int_equal(e->res.lost, 0);
	assert_int_equal(proc_stop(f->sup, "run", f->base + 2, 200), 0);
	e = wait_ended(f, 2);
	assert_int_equal(e->id, f->base + 2);
	assert_int_equal(e->res.signal, SIGKILL);
	assert_int_equal(waitpid(shim, NULL, 0), shim);
	assert_int_equal(waitpid(shim2, NULL, 0), shim2);
	free(dir);
	free(dir2);
}

static void
test_adopt_ends(void **state)
{
	adopt_ends(*state);
}

static void
test_adopt_ends_polled(void **state)
{
	setenv("LATHE_NO_PIDFD", "1", 1);
	adopt_ends(*state);
}

/* It ended while nobody watched: a zombie, then reaped altogether. */
static void
test_adopt_ended_away(void **state)
{
	struct fixture		*f = *state;
	char			*dir = new_dir(f, "w");
	char *const		 argv[] = { "sh", "-c",
	    "while [ ! -e go ]; do sleep 0.02; done; exit 5", NULL };
	struct proc_result	 res;
	int			 shim;

	shim = start(f, f->base + 1, dir, argv, NULL, dir, 0, 0, NULL);
	wait_file(f, dir, "pid");
	supervisor_free(f->sup);
	uv_run(&f->loop, UV_RUN_NOWAIT);
	f->sup = NULL;
	touch(dir, "go");
	wait_until(f, cond_zombie, &shim, "the shim to end");
	f->sup = supervisor_new(&f->loop, f->exec, on_exit_cb, f);
	memset(&res, 0xff, sizeof res);
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, shim, dir,
	    &res), 1);
	assert_int_equal(res.exit_code, 5);
	assert_int_equal(res.signal, 0);
	assert_int_equal(res.oom, 0);
	assert_int_equal(res.lost, 0);
	assert_true(res.ended_ms > 0);
	assert_false(proc_running(f->sup, "run", f->base + 1));
	assert_int_equal(waitpid(shim, NULL, 0), shim);
	memset(&res, 0, sizeof res);
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, shim, dir,
	    &res), 1);
	assert_int_equal(res.exit_code, 5);
	assert_int_equal(f->nended, 0);
	free(dir);
}

/* Pids that are not our shim for that directory. */
static void
test_adopt_not_ours(void **state)
{
	struct fixture		*f = *state;
	char			*dir = new_dir(f, "w");
	char			*other = new_dir(f, "o");
	char *const		 argv[] = { "sleep", "300", NULL };
	struct proc_result	 res;
	struct supervisor	*sup2;
	int			 shim, child, plain;

	/* Ourselves; nothing at all; no pid. */
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, getpid(), dir,
	    &res), -1);
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, INT_MAX, dir,
	    &res), -1);
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, 0, dir, &res),
	    -1);
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, -5, dir,
	    &res), -1);
	assert_int_equal(proc_adopt(f->sup, "a/b", f->base + 1, getpid(), dir,
	    &res), -1);

	/* A process that is not lathe-exec. */
	if ((plain = fork()) == 0) {
		execlp("sleep", "sleep", "300", (char *)NULL);
		_exit(127);
	}
	assert_true(plain > 0);
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, plain, dir,
	    &res), -1);
	assert_true(alive(plain));
	kill(plain, SIGKILL);
	waitpid(plain, NULL, 0);

	/* Our shim, but for another directory: left alone. */
	shim = start(f, f->base + 2, other, argv, NULL, NULL, 0, 0, NULL);
	wait_file(f, other, "pid");
	child = file_int(other, "pid");
	sup2 = supervisor_new(&f->loop, f->exec, on_exit_cb, f);
	assert_int_equal(proc_adopt(sup2, "run", f->base + 1, shim, dir,
	    &res), -1);
	assert_false(proc_running(sup2, "run", f->base + 1));
	supervisor_free(sup2);
	assert_true(alive(shim));
	assert_true(alive(child));
	/* Nor may a second adoption under another id take a workload. */
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 2, shim + 1,
	    other, &res), -1);
	assert_true(proc_running(f->sup, "run", f->base + 2));
	assert_int_equal(proc_stop(f->sup, "run", f->base + 2, 60000), 0);
	assert_int_equal(wait_ended(f, 1)->res.signal, SIGTERM);
	free(dir);
	free(other);
}

/* Lost while lathed was away: what it left is killed. */
static void
adopt_lost(struct fixture *f)
{
	char			*dir = new_dir(f, "w"), *cg[MAX_CG];
	char *const		 argv[] = { "sleep", "300", NULL };
	struct proc_result	 res;
	size_t			 n;
	int			 shim, child;

	shim = start(f, f->base + 1, dir, argv, NULL, NULL, 64 * MiB, 1, NULL);
	wait_file(f, dir, "pid");
	child = file_int(dir, "pid");
	n = shim_cgroups(shim, cg);
	supervisor_free(f->sup);
	uv_run(&f->loop, UV_RUN_NOWAIT);
	f->sup = NULL;
	assert_int_equal(kill(shim, SIGKILL), 0);
	assert_int_equal(waitpid(shim, NULL, 0), shim);
	assert_true(alive(child));
	f->sup = supervisor_new(&f->loop, f->exec, on_exit_cb, f);
	assert_int_equal(proc_adopt(f->sup, "run", f->base + 1, shim, dir,
	    &res), -1);
	wait_gone(f, child, cg, n);
	free(dir);
}

static void
test_adopt_lost(void **state)
{
	adopt_lost(*state);
}

static void
test_adopt_lost_no_cgroups(void **state)
{
	struct fixture	*f = *state;

	no_cgroups(f);
	adopt_lost(f);
}

/* Stopped as soon as started: whenever the signal lands, it is a stop. */
static void
test_stop_at_once(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w");
	char *const	 argv[] = { "sleep", "300", NULL };
	struct ended	*e;

	start(f, f->base + 1, dir, argv, NULL, NULL, 0, 0, NULL);
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 60000), 0);
	e = wait_ended(f, 1);
	assert_int_equal(e->res.signal, SIGTERM);
	assert_int_equal(e->res.lost, 0);
	free(dir);
}

static void
test_bad_input(void **state)
{
	struct fixture		*f = *state;
	char			*dir = new_dir(f, "w"), *cause, *gone;
	char *const		 argv[] = { "sleep", "300", NULL };
	char *const		 empty[] = { NULL };
	char *const		 blank[] = { "", NULL };
	struct proc_spec	 good, spec;
	struct proc_enforced	 enf;
	struct supervisor	*sup2;
	const char		*kinds[] = { "", "a/b", "run-1", "..",
	    "a b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" };
	size_t			 i;
	int			 pid = -1;

	memset(&good, 0, sizeof good);
	good.kind = "run";
	good.id = f->base + 1;
	good.argv = argv;
	good.env = default_env;
	good.dir = dir;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		spec = good;
		spec.kind = kinds[i];
		cause = NULL;
		assert_int_equal(proc_start(f->sup, &spec, &pid, &enf, &cause),
		    -1);
		assert_non_null(strstr(cause, "bad workload kind"));
		free(cause);
	}
	spec = good;
	spec.kind = NULL;
	assert_int_equal(proc_start(f->sup, &spec, &pid, &enf, &cause), -1);
	free(cause);

	spec = good;
	spec.argv = NULL;
	assert_int_equal(proc_start(f->sup, &spec, &pid, &enf, &cause), -1);
	assert_string_equal(cause, "no program to run");
	free(cause);
	spec.argv = empty;
	assert_int_equal(proc_start(f->sup, &spec, &pid, &enf, &cause), -1);
	free(cause);
	spec.argv = blank;
	assert_int_equal(proc_start(f->sup, &spec, &pid, &enf, &cause), -1);
	free(cause);

	spec = good;
	spec.dir = NULL;
	assert_int_equal(proc_start(f->sup, &spec, &pid, &enf, &cause), -1);
	free(cause);
	gone = xasprintf("%s/gone", f->tmp);
	spec.dir = gone;
	assert_int_equal(proc_start(f->sup, &spec, &pid, &enf, &cause), -1);
	assert_non_null(strstr(cause, "cannot open"));
	assert_non_null(strstr(cause, gone));
	free(cause);
	free(gone);

	spec = good;
	spec.vcpu = -1;
	assert_int_equal(proc_start(f->sup, &spec, &pid, &enf, &cause), -1);
	assert_non_null(strstr(cause, "CPU"));
	free(cause);
	spec.vcpu = NAN;
	assert_int_equal(proc_start(f->sup, &spec, &pid, &enf, &cause), -1);
	free(cause);
	assert_false(proc_running(f->sup, "run", f->base + 1));
	assert_int_equal(pid, -1);

	/* No shim where it is said to be: nothing left behind. */
	sup2 = supervisor_new(&f->loop, "/nonexistent/lathe-exec", on_exit_cb,
	    f);
	spec = good;
	spec.memory_bytes = 64 * MiB;
	spec.vcpu = 1;
	assert_int_equal(proc_start(sup2, &spec, &pid, &enf, &cause), -1);
	assert_non_null(strstr(cause, "cannot start /nonexistent/lathe-exec"));
	free(cause);
	assert_false(proc_running(sup2, "run", f->base + 1));
	supervisor_free(sup2);

	/* Twice the same workload. */
	start(f, f->base + 1, dir, argv, NULL, NULL, 0, 0, NULL);
	assert_int_equal(proc_start(f->sup, &good, &pid, &enf, &cause), -1);
	assert_non_null(strstr(cause, "already running"));
	free(cause);

	assert_int_equal(proc_stop(f->sup, "run", f->base + 99, 0), -1);
	assert_int_equal(proc_stop(f->sup, "session", f->base + 1, 0), -1);
	assert_false(proc_running(f->sup, "session", f->base + 1));
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 0), 0);
	assert_int_equal(wait_ended(f, 1)->id, f->base + 1);
	free(dir);
}

/* The failed start above must leave no cgroup behind. */
static void
test_bad_start_no_cgroups_left(void **state)
{
	struct fixture		*f = *state;
	char			*dir = new_dir(f, "w"), *cg[MAX_CG], *cause;
	char *const		 argv[] = { "sleep", "300", NULL };
	struct proc_spec	 spec;
	struct proc_enforced	 enf;
	struct supervisor	*sup2;
	struct stat		 st;
	size_t			 n, i;
	int			 shim, pid;

	if (!cgroups_available(f))
		skip();
	/* Learn where this workload's cgroups go from a running one. */
	shim = start(f, f->base + 1, dir, argv, NULL, NULL, 64 * MiB, 1, NULL);
	wait_file(f, dir, "pid");
	n = shim_cgroups(shim, cg);
	assert_true(n > 0);
	assert_int_equal(proc_stop(f->sup, "run", f->base + 1, 0), 0);
	wait_ended(f, 1);

	memset(&spec, 0, sizeof spec);
	spec.kind = "run";
	spec.id = f->base + 1;
	spec.argv = argv;
	spec.dir = dir;
	spec.memory_bytes = 64 * MiB;
	spec.vcpu = 1;
	sup2 = supervisor_new(&f->loop, "/nonexistent/lathe-exec", on_exit_cb,
	    f);
	assert_int_equal(proc_start(sup2, &spec, &pid, &enf, &cause), -1);
	free(cause);
	supervisor_free(sup2);
	for (i = 0; i < n; i++) {
		assert_int_equal(stat(cg[i], &st), -1);
		assert_int_equal(errno, ENOENT);
		free(cg[i]);
	}
	free(dir);
}

/* Run lathe-exec by hand; return its exit status and its stderr. */
static int
shim_by_hand(struct fixture *f, char *const *args, char **err)
{
	char	*path = xasprintf("%s/shim.err", f->tmp);
	char	*argv[16];
	size_t	 n = 0;
	pid_t	 pid;
	int	 st, fd;

	argv[n++] = f->exec;
	for (; *args != NULL; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		fd = open(path, O_WRONLY|O_CREAT|O_TRUNC, 0644);
		if (fd == -1 || dup2(fd, 2) == -1)
			_exit(99);
		execv(argv[0], argv);
		_exit(98);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	*err = read_file(path);
	free(path);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* The shim refuses what proc.c would never give it, writing no status. */
static void
test_shim_usage(void **state)
{
	struct fixture	*f = *state;
	char		*dir = new_dir(f, "w"), *err;
	char *const	 none[] = { NULL };
	char *const	 no_dir[] = { "--", "true", NULL };
	char *const	 no_prog[] = { "--dir", dir, "--", NULL };
	char *const	 no_value[] = { "--dir", NULL };
	char *const	 bad_mem[] = { "--dir", dir, "--memory", "lots", "--",
	    "true", NULL };
	char *const	 zero_mem[] = { "--dir", dir, "--memory", "0", "--",
	    "true", NULL };
	char *const	 neg_mem[] = { "--dir", dir, "--memory", "-5", "--",
	    "true", NULL };
	char *const	 unknown[] = { "--dir", dir, "--frob", "x", "--",
	    "true", NULL };
	char *const	*bad[] = { none, no_dir, no_prog, no_value, bad_mem,
	    zero_mem, neg_mem, unknown };
	char *const	 good[] = { "--dir", dir, "--memory", "1073741824",
	    "--", "sh", "-c", "exit 6", NULL };
	char		*status;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(shim_by_hand(f, bad[i], &err), 2);
		assert_non_null(strstr(err, "usage: lathe-exec"));
		free(err);
		status = file_in(dir, "status");
		assert_null(status);
	}
	assert_int_equal(shim_by_hand(f, good, &err), 0);
	assert_string_equal(err, "");
	free(err);
	status = file_in(dir, "status");
	assert_non_null(status);
	assert_non_null(strstr(status, "exit_code 6\nsignal 0\noom 0\n"));
	free(status);
	free(dir);
}

static void
test_exec_path(void **state)
{
	char	*path = proc_exec_path();

	/* The test program has no lathe-exec beside it: the installed one. */
	assert_string_equal(path, LATHE_LIBEXECDIR "/lathe-exec");
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exit_zero, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exit_code, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_output_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_env_exact, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_descriptors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cwd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stop_term, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stop_trapped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stop_at_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_no_cgroups, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_oom_cgroup, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_oom_cgroup_survived,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_oom_rlimit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_oom_not, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_no_cgroups, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_adopt_running, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_adopt_running_polled,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_adopt_ends, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_adopt_ends_polled, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_adopt_ended_away, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_adopt_not_ours, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_adopt_lost, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_adopt_lost_no_cgroups,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_start_no_cgroups_left,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_shim_usage, setup,
		    teardown),
		cmocka_unit_test(test_exec_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
