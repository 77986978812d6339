/*
 * Runtimes: the interpreters workloads run under. Discovery looks where a
 * user's shell would (the PATH, then the usual bin directories) for the
 * interpreters lathe knows, names each by the link the user types, and
 * asks it its version by running "X --version" directly, without a shell,
 * with the environment workloads get, in a session of its own that is
 * killed whole when it takes longer than two seconds. Only the first 4 KiB
 * of what it prints are kept. A name means what typing it gives: the first
 * file found under it, once per file. Wrappers that cannot run what they
 * wrap (a pyenv shim for a version not installed) are left out.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "env.h"
#include "json.h"
#include "runtime.h"
#include "valid.h"
#include "xmalloc.h"

#define RUNTIME_VERSION_MS	2000
#define RUNTIME_OUTPUT_MAX	4096
#define RUNTIME_VERSION_MAX	32
#define RUNTIME_MESSAGE_MAX	200

/* The interpreters discovery looks for, in the order a directory is read. */
static const struct runtime_known {
	const char	*file;		/* NULL: python3.N, for any N */
	const char	*name;
	const char	*kernel;
} runtime_known[] = {
	{ "python3",	"python3",	"python3" },
	{ NULL,		NULL,		"python3" },
	{ "Rscript",	"r",		"r" },
	{ "bash",	"bash",		"bash" },
	{ "sh",		"sh",		"sh" },
	{ "node",	"node",		"node" },
	{ "perl",	"perl",		"perl" },
	{ "julia",	"julia",	"julia" },
	{ "ruby",	"ruby",		"ruby" },
};

static const char	*runtime_kernels[] = { "python3", "r", "bash", "sh",
			    "node", "perl", "julia", "ruby" };

static const struct runtime_ext {
	const char	*ext;
	const char	*kernel;
} runtime_exts[] = {
	{ ".py",	"python3" },
	{ ".R",		"r" },
	{ ".r",		"r" },
	{ ".sh",	"bash" },
	{ ".js",	"node" },
	{ ".pl",	"perl" },
	{ ".jl",	"julia" },
	{ ".rb",	"ruby" },
};

static const char	*runtime_dirs[] = { "/usr/local/bin", "/usr/bin",
			    "/bin" };

/* What discovery has found so far. */
struct runtime_found {
	struct runtime	*list;
	char		**reals;	/* realpath of each command */
	size_t		 n;
	size_t		 cap;
};

void
runtime_done(struct runtime *rt)
{
	if (rt == NULL)
		return;
	free(rt->name);
	free(rt->kernel);
	free(rt->command);
	free(rt->version);
	memset(rt, 0, sizeof *rt);
}

void
runtimes_free(struct runtime *list, size_t n)
{
	size_t	i;

	if (list == NULL)
		return;
	for (i = 0; i < n; i++)
		runtime_done(&list[i]);
	free(list);
}

cJSON *
runtime_to_json(const struct runtime *rt)
{
	cJSON	*obj = cJSON_CreateObject();

	cJSON_AddStringToObject(obj, "name", rt->name ? rt->name : "");
	cJSON_AddStringToObject(obj, "kernel", rt->kernel ? rt->kernel : "");
	cJSON_AddStringToObject(obj, "command",
	    rt->command ? rt->command : "");
	cJSON_AddStringToObject(obj, "version",
	    rt->version ? rt->version : "");
	cJSON_AddBoolToObject(obj, "discovered", rt->discovered != 0);
	return obj;
}

static int64_t
runtime_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The first line of out that is not blank, from *start to *end. */
static void
runtime_first_line(const char *out, const char **start, const char **end)
{
	const char	*line = out, *eol, *p;

	for (;;) {
		eol = line + strcspn(line, "\n");
		for (p = line; p < eol && isspace((unsigned char)*p); p++)
			;
		if (p < eol || *eol == '\0')
			break;
		line = eol + 1;
	}
	*start = line;
	*end = eol;
}

/*
 * The version in what "X --version" printed: on its first line that is
 * not blank, the first number with a dot that begins a word, or follows a
 * 'v' that does ("Python 3.11.2", "v20.1.0", "version 5.2.15(1)-release",
 * "(v5.36.0)", "ruby 3.1.2p20"). "" when there is none.
 */
static char *
runtime_version_parse(const char *out)
{
	const char	*line, *eol, *p, *q;
	size_t		 n;

	runtime_first_line(out, &line, &eol);
	for (p = line; p < eol; p++) {
		if (!isdigit((unsigned char)*p))
			continue;
		q = p;
		if (q > line && q[-1] == 'v')
			q--;
		if (q > line && isalnum((unsigned char)q[-1]))
			continue;
		for (q = p; q < eol && isdigit((unsigned char)*q); q++)
			;
		if (q + 1 >= eol || *q != '.' || !isdigit((unsigned char)q[1]))
			continue;
		while (q + 1 < eol && *q == '.' &&
		    isdigit((unsigned char)q[1])) {
			for (q++; q < eol && isdigit((unsigned char)*q); q++)
				;
		}
		n = (size_t)(q - p);
		if (n > RUNTIME_VERSION_MAX)
			n = RUNTIME_VERSION_MAX;
		return xstrndup(p, n);
	}
	return xstrdup("");
}

/*
 * Why command exited with status (126 or 127): the first line it printed,
 * made safe for a message, or the status.
 */
static char *
runtime_not_run(const char *command, const char *out, int status)
{
	const char	*line, *eol;
	char		*raw, *safe, *cause, *p;
	size_t		 n;

	runtime_first_line(out, &line, &eol);
	while (eol > line && isspace((unsigned char)eol[-1]))
		eol--;
	if (eol == line)
		return xasprintf("%s did not run: exit status %d", command,
		    status);
	n = (size_t)(eol - line);
	raw = xstrndup(line, n > RUNTIME_MESSAGE_MAX ? RUNTIME_MESSAGE_MAX :
	    n);
	for (p = raw; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	}
	safe = json_utf8_sanitize(raw);
	cause = xasprintf("%s did not run: %s", command, safe);
	free(safe);
	free(raw);
	return cause;
}

/*
 * Read what is in the (non-blocking) pipe fd, keeping the first
 * RUNTIME_OUTPUT_MAX bytes in out (*len so far) and dropping the rest;
 * set *eof at its end.
 */
static void
runtime_read(int fd, char *out, size_t *len, int *eof)
{
	char	tmp[4096];
	ssize_t	r;
	size_t	keep;
	int	reads;

	/* Bounded, for a writer faster than this reader. */
	for (reads = 0; !*eof && reads < 256; reads++) {
		r = read(fd, tmp, sizeof tmp);
		if (r > 0) {
			keep = (size_t)r;
			if (keep > RUNTIME_OUTPUT_MAX - *len)
				keep = RUNTIME_OUTPUT_MAX - *len;
			memcpy(out + *len, tmp, keep);
			*len += keep;
		} else if (r == 0 || (errno != EINTR && errno != EAGAIN))
			*eof = 1;
		else if (errno == EAGAIN)
			break;
	}
}

/*
 * Run "command --version" and set *version from what it prints: "" when
 * it prints no version, fails, or has not finished within the limit.
 * Return 0, or -1 with *cause when it cannot be run at all, or exits 126
 * or 127 as a wrapper does whose program is missing (pyenv's shims).
 */
static int
runtime_version(const char *command, char **version, char **cause)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	struct pollfd			 pfd;
	struct env			*env = NULL;
	sigset_t			 mask, dfl;
	char				*argv[3], out[RUNTIME_OUTPUT_MAX + 1];
	size_t				 len = 0;
	int64_t				 deadline, left;
	siginfo_t			 info;
	pid_t				 pid = -1;
	int				 pipefd[2] = { -1, -1 }, fd, e;
	int				 rc = -1, status = 0, eof = 0;
	int				 exited = 0, fa_init = 0, attr_init = 0;

	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		e = errno;
		*cause = xasprintf("cannot run %s: %s", command, strerror(e));
		goto out;
	}
	/* The write end must survive the child's redirections of 0 to 2. */
	if (pipefd[1] <= 2) {
		if ((fd = fcntl(pipefd[1], F_DUPFD_CLOEXEC, 3)) == -1) {
			e = errno;
			*cause = xasprintf("cannot run %s: %s", command,
			    strerror(e));
			goto out;
		}
		close(pipefd[1]);
		pipefd[1] = fd;
	}
	(void)fcntl(pipefd[0], F_SETFL,
	    fcntl(pipefd[0], F_GETFL) | O_NONBLOCK);

	/* Rscript and older interpreters print their version on stderr. */
	posix_spawn_file_actions_init(&fa);
	fa_init = 1;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);

	/* A session of its own, to kill with whatever it starts. */
	posix_spawnattr_init(&attr);
	attr_init = 1;
	sigemptyset(&mask);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGQUIT);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGCHLD);
	posix_spawnattr_setsigmask(&attr, &mask);
	posix_spawnattr_setsigdefault(&attr, &dfl);
#ifdef POSIX_SPAWN_SETSID
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID|
	    POSIX_SPAWN_SETSIGMASK|POSIX_SPAWN_SETSIGDEF);
#else
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP|
	    POSIX_SPAWN_SETSIGMASK|POSIX_SPAWN_SETSIGDEF);
#endif

	argv[0] = (char *)command;
	argv[1] = (char *)"--version";
	argv[2] = NULL;
	/* Workloads' environment, not lathed's, which holds its secrets. */
	env = env_new();
	env_defaults(env, environ);
	if ((e = posix_spawn(&pid, command, &fa, &attr, argv,
	    env_array(env))) != 0) {
		pid = -1;
		*cause = xasprintf("cannot run %s: %s", command, strerror(e));
		goto out;
	}
	close(pipefd[1]);
	pipefd[1] = -1;

	deadline = runtime_now_ms() + RUNTIME_VERSION_MS;
	for (;;) {
		runtime_read(pipefd[0], out, &len, &eof);
		/* Not reaped yet, so that its group id cannot be reused. */
		memset(&info, 0, sizeof info);
		if (waitid(P_PID, (id_t)pid, &info, WEXITED|WNOHANG|WNOWAIT) ==
		    0 && info.si_pid == pid) {
			exited = 1;
			break;
		}
		if ((left = deadline - runtime_now_ms()) <= 0)
			break;
		if (eof && left > 10)
			left = 10;
		pfd.fd = pipefd[0];
		pfd.events = POLLIN;
		pfd.revents = 0;
		(void)poll(&pfd, eof ? 0 : 1, (int)left);
	}
	/* Whatever it started goes with it, finished or not. */
	(void)kill(-pid, SIGKILL);
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	pid = -1;
	/* What it wrote between the last read and its exit. */
	runtime_read(pipefd[0], out, &len, &eof);
	out[len] = '\0';
	/* The shell's "not found" and "cannot execute": a broken wrapper. */
	if (exited && WIFEXITED(status) && (WEXITSTATUS(status) == 126 ||
	    WEXITSTATUS(status) == 127)) {
		*cause = runtime_not_run(command, out, WEXITSTATUS(status));
		goto out;
	}
	if (exited && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		*version = runtime_version_parse(out);
	else
		*version = xstrdup("");
	rc = 0;
out:
	if (pid != -1) {
		(void)kill(-pid, SIGKILL);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	env_free(env);
	if (attr_init)
		posix_spawnattr_destroy(&attr);
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
	if (pipefd[0] != -1)
		close(pipefd[0]);
	if (pipefd[1] != -1)
		close(pipefd[1]);
	return rc;
}

/* Is path an executable regular file? */
static int
runtime_executable(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/*
 * Add dir/file as name unless it is no interpreter (not an executable
 * file, or one that does not run), a file found before under another
 * name, or a name taken by a directory before: that one is what the user
 * gets by typing the name.
 */
/* Set from the loop thread to end a discovery early (lathed stopping). */
static int runtime_cancelled;

void
runtime_discover_cancel(void)
{
	__atomic_store_n(&runtime_cancelled, 1, __ATOMIC_RELAXED);
}

static void
runtime_found_add(struct runtime_found *f, const char *dir, const char *file,
    const char *name, const char *kernel)
{
	struct runtime	*rt;
	char		*command, *real = NULL, *version = NULL, *cause = NULL;
	size_t		 i;

	if (__atomic_load_n(&runtime_cancelled, __ATOMIC_RELAXED))
		return;
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->list[i].name, name) == 0)
			return;
	}
	command = xasprintf("%s/%s", strcmp(dir, "/") == 0 ? "" : dir, file);
	if (!runtime_executable(command) ||
	    (real = realpath(command, NULL)) == NULL)
		goto out;
	for (i = 0; i < f->n; i++) {
		if (strcmp(f->reals[i], real) == 0)
			goto out;
	}
	if (runtime_version(command, &version, &cause) != 0)
		goto out;

	if (f->n == f->cap) {
		f->cap = f->cap == 0 ? 16 : 2 * f->cap;
		f->list = xrealloc(f->list, f->cap * sizeof *f->list);
		f->reals = xrealloc(f->reals, f->cap * sizeof *f->reals);
	}
	rt = &f->list[f->n];
	rt->name = xstrdup(name);
	rt->kernel = xstrdup(kernel);
	rt->command = command;
	rt->version = version;
	rt->discovered = 1;
	f->reals[f->n++] = real;
	command = real = NULL;
out:
	free(cause);
	free(real);
	free(command);
}

/* Is name "python3.N"? */
static int
runtime_is_python_minor(const char *name)
{
	const char	*p;

	if (strncmp(name, "python3.", 8) != 0)
		return 0;
	p = name + 8;
	if (!isdigit((unsigned char)*p) || strlen(p) > 3)
		return 0;
	for (; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return 0;
	}
	return 1;
}

static int
runtime_minor_cmp(const void *a, const void *b)
{
	long	x = strtol(*(char *const *)a + 8, NULL, 10);
	long	y = strtol(*(char *const *)b + 8, NULL, 10);

	if (x != y)
		return (x > y) - (x < y);
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the python3.N of dir, in the order of N. */
static void
runtime_found_pythons(struct runtime_found *f, const char *dir)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**names = NULL;
	size_t		  n = 0, cap = 0, i;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (!runtime_is_python_minor(de->d_name))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 8 : 2 * cap;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, runtime_minor_cmp);
	for (i = 0; i < n; i++) {
		runtime_found_add(f, dir, names[i], names[i], "python3");
		free(names[i]);
	}
	free(names);
}

static void
runtime_found_dir(struct runtime_found *f, const char *dir)
{
	const struct runtime_known	*k;
	size_t				 i;

	for (i = 0; i < sizeof runtime_known / sizeof runtime_known[0]; i++) {
		k = &runtime_known[i];
		if (k->file == NULL)
			runtime_found_pythons(f, dir);
		else
			runtime_found_add(f, dir, k->file, k->name, k->kernel);
	}
}

int
runtime_discover(const char *path, struct runtime **out, size_t *n,
    char **cause)
{
	struct runtime_found	  f;
	char			**dirs = NULL, *copy, *p, *dir, *end;
	size_t			  ndirs = 0, i, j, len;

	memset(&f, 0, sizeof f);
	copy = xstrdup(path != NULL ? path : "");
	for (p = copy, len = 1; *p != '\0'; p++)
		len += (*p == ':');
	dirs = xcalloc(len + sizeof runtime_dirs / sizeof runtime_dirs[0],
	    sizeof *dirs);
	for (p = copy; p != NULL; p = end) {
		dir = p;
		if ((end = strchr(p, ':')) != NULL)
			*end++ = '\0';
		/*
		 * Relative entries (and "", the current directory) mean
		 * wherever lathed happens to be: not a place to look.
		 */
		if (*dir != '/')
			continue;
		len = strlen(dir);
		while (len > 1 && dir[len - 1] == '/')
			dir[--len] = '\0';
		dirs[ndirs++] = dir;
	}
	for (i = 0; i < sizeof runtime_dirs / sizeof runtime_dirs[0]; i++)
		dirs[ndirs++] = (char *)runtime_dirs[i];

	for (i = 0; i < ndirs; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(dirs[j], dirs[i]) == 0)
				break;
		}
		if (j == i)
			runtime_found_dir(&f, dirs[i]);
	}
	free(dirs);
	free(copy);

	for (i = 0; i < f.n; i++)
		free(f.reals[i]);
	free(f.reals);
	*out = f.list;
	*n = f.n;
	return 0;
}

int
runtime_kernel_valid(const char *kernel)
{
	size_t	i;

	if (kernel == NULL)
		return 0;
	for (i = 0; i < sizeof runtime_kernels / sizeof runtime_kernels[0];
	    i++) {
		if (strcmp(kernel, runtime_kernels[i]) == 0)
			return 1;
	}
	return 0;
}

const char *
runtime_kernel_for(const char *script)
{
	const char	*base, *dot;
	size_t		 i;

	base = strrchr(script, '/');
	base = (base == NULL) ? script : base + 1;
	/* ".py" alone is a hidden file's name, not an extension. */
	if ((dot = strrchr(base, '.')) == NULL || dot == base)
		return NULL;
	for (i = 0; i < sizeof runtime_exts / sizeof runtime_exts[0]; i++) {
		if (strcmp(dot, runtime_exts[i].ext) == 0)
			return runtime_exts[i].kernel;
	}
	return NULL;
}

int
runtime_check(struct runtime *rt, char **cause)
{
	struct stat	 st;
	struct buf	 b;
	const char	*command = rt->command != NULL ? rt->command : "";
	char		*version = NULL;
	size_t		 i, nkernels = sizeof runtime_kernels /
			    sizeof runtime_kernels[0];
	int		 e;

	if (valid_identifier("a runtime name", rt->name != NULL ? rt->name :
	    "", VALID_NAME_MAX, cause) != 0)
		return -1;
	if (!runtime_kernel_valid(rt->kernel)) {
		buf_init(&b);
		if (rt->kernel == NULL || *rt->kernel == '\0')
			buf_adds(&b, "the runtime's kernel is missing");
		else
			buf_printf(&b, "unknown kernel '%s'", rt->kernel);
		for (i = 0; i < nkernels; i++) {
			buf_printf(&b, "%s%s", i == 0 ? ": use " :
			    i + 1 == nkernels ? " or " : ", ",
			    runtime_kernels[i]);
		}
		*cause = buf_take(&b);
		return -1;
	}
	if (*command == '\0') {
		*cause = xstrdup("the runtime's command is missing: give the "
		    "interpreter's absolute path, e.g. /usr/bin/python3");
		return -1;
	}
	if (*command != '/') {
		*cause = xasprintf("command '%s' is not an absolute path: give "
		    "the interpreter's full path, e.g. /usr/bin/python3",
		    command);
		return -1;
	}
	if (stat(command, &st) != 0) {
		e = errno;
		*cause = xasprintf("command %s: %s", command, strerror(e));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		*cause = xasprintf("command %s is a directory, not an "
		    "interpreter", command);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("command %s is not a regular file",
		    command);
		return -1;
	}
	if (access(command, X_OK) != 0) {
		*cause = xasprintf("command %s is not executable (chmod +x "
		    "it, or name the interpreter itself)", command);
		return -1;
	}
	if (runtime_version(command, &version, cause) != 0)
		return -1;
	free(rt->version);
	rt->version = version;
	return 0;
}

char **
runtime_argv(const struct runtime *rt, const char *script, char *const *args,
    size_t nargs)
{
	char	**argv;
	size_t	  i;

	assert(rt->command != NULL && script != NULL);
	argv = xcalloc(nargs + 3, sizeof *argv);
	argv[0] = xstrdup(rt->command);
	argv[1] = xstrdup(script);
	for (i = 0; i < nargs; i++)
		argv[2 + i] = xstrdup(args[i]);
	argv[2 + nargs] = NULL;
	return argv;
}

void
runtime_argv_free(char **argv)
{
	size_t	i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}
