/*
 * lathed, the core: parses its options, becomes a daemon (unless told to
 * stay in the foreground), takes the state directory's lock, opens the
 * store, reconciles what a previous run left behind, and serves the API
 * from one libuv loop until SIGTERM.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <uv.h>

#include "api.h"
#include "buf.h"
#include "core.h"
#include "files.h"
#include "log.h"
#include "paths.h"
#include "scheduler.h"
#include "server.h"
#include "size.h"
#include "store.h"
#include "xmalloc.h"

/* Exit statuses, as lathed(8) documents them. */
#define EXIT_USAGE	2
#define EXIT_LOCKED	3
#define EXIT_STORE	4

enum opt_id {
	OPT_FOREGROUND = 'f',
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_STATE_DIR = 256,
	OPT_RUNTIME_DIR,
	OPT_DATA_DIR,
	OPT_LISTEN,
	OPT_PORT,
	OPT_MAX_BODY,
	OPT_MAX_IMPORT,
	OPT_MAX_RUNS,
	OPT_LOG_LEVEL,
};

static const struct opt {
	const char	*name;
	int		 id;
	const char	*arg;	/* NULL for a flag */
	const char	*env;	/* the variable that sets it too, or NULL */
	const char	*help;
} opts[] = {
	{ "foreground", OPT_FOREGROUND, NULL, NULL,
	    "stay in the foreground and log to stderr too" },
	{ "state-dir", OPT_STATE_DIR, "DIR", "LATHE_STATE_DIR",
	    "database, logs and project files (~/.local/state/lathe)" },
	{ "runtime-dir", OPT_RUNTIME_DIR, "DIR", "LATHE_RUNTIME_DIR",
	    "the 0700 directory holding lathed.sock" },
	{ "data-dir", OPT_DATA_DIR, "DIR", "LATHE_DATA_DIR",
	    "where the project templates are" },
	{ "listen", OPT_LISTEN, "ADDR", "LATHE_LISTEN",
	    "TCP address to listen on (127.0.0.1)" },
	{ "port", OPT_PORT, "N", "LATHE_PORT",
	    "TCP port; 0 picks a free one (0)" },
	{ "max-body", OPT_MAX_BODY, "BYTES", NULL,
	    "largest request body accepted (4M)" },
	{ "max-import", OPT_MAX_IMPORT, "BYTES", NULL,
	    "most a project import may write (2G)" },
	{ "max-runs", OPT_MAX_RUNS, "N", "LATHE_MAX_RUNS",
	    "job runs at once; more wait in the queue (one per CPU, >= 2)" },
	{ "log-level", OPT_LOG_LEVEL, "LEVEL", NULL,
	    "error, warn, info or debug (info)" },
	{ "version", OPT_VERSION, NULL, NULL, "print the version" },
	{ "help", OPT_HELP, NULL, NULL, "print this help" },
};
#define NOPTS	(sizeof opts / sizeof opts[0])

static struct core	 lathed;
static int		 lathed_report = -1;	/* pipe to the waiting parent */
static uv_signal_t	 lathed_signals[3];

static void
lathed_usage(FILE *f)
{
	size_t	i;
	char	left[40];

	fprintf(f, "usage: lathed [options]\n\nThe lathe core: runs "
	    "workloads, keeps state, serves the API.\n\n");
	for (i = 0; i < NOPTS; i++) {
		snprintf(left, sizeof left, "--%s%s%s", opts[i].name,
		    opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-24s %s%s%s\n", left, opts[i].help,
		    opts[i].env ? "; env " : "", opts[i].env ? opts[i].env : "");
	}
}

static int
lathed_port(const char *s, int *out)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < 0 || n > 65535)
		return -1;
	*out = (int)n;
	return 0;
}

static void __attribute__((format(printf, 1, 2), noreturn))
lathed_usage_error(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "lathed: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	lathed_usage(stderr);
	exit(EXIT_USAGE);
}

static void
lathed_set(struct core_config *cfg, int id, const char *arg)
{
	char	*abs;
	int	 level;

	switch (id) {
	case OPT_STATE_DIR:
	case OPT_RUNTIME_DIR:
	case OPT_DATA_DIR:
		if (*arg == '\0')
			lathed_usage_error("an empty directory was given");
		if (*arg != '/') {
			char cwd[PATH_MAX];

			if (getcwd(cwd, sizeof cwd) == NULL)
				lathed_usage_error("cannot resolve %s", arg);
			abs = paths_join(cwd, arg);
		} else
			abs = xstrdup(arg);
		if (id == OPT_STATE_DIR) {
			free(cfg->state_dir);
			cfg->state_dir = abs;
		} else if (id == OPT_RUNTIME_DIR) {
			free(cfg->runtime_dir);
			cfg->runtime_dir = abs;
		} else {
			free(cfg->data_dir);
			cfg->data_dir = abs;
		}
		break;
	case OPT_LISTEN:
		free(cfg->listen);
		cfg->listen = xstrdup(arg);
		break;
	case OPT_PORT:
		if (lathed_port(arg, &cfg->port) != 0)
			lathed_usage_error("bad port '%s': use 0 to 65535",
			    arg);
		break;
	case OPT_MAX_BODY:
		if (size_parse(arg, &cfg->max_body) != 0 ||
		    cfg->max_body == 0)
			lathed_usage_error("bad --max-body '%s': use a size "
			    "such as 4M", arg);
		break;
	case OPT_MAX_IMPORT:
		if (size_parse(arg, &cfg->max_import) != 0 ||
		    cfg->max_import == 0)
			lathed_usage_error("bad --max-import '%s': use a size "
			    "such as 2G", arg);
		break;
	case OPT_MAX_RUNS:
		if (lathed_port(arg, &cfg->max_runs) != 0 ||
		    cfg->max_runs < 1 || cfg->max_runs > 10000)
			lathed_usage_error("bad --max-runs '%s': use 1 to "
			    "10000", arg);
		break;
	case OPT_LOG_LEVEL:
		if ((level = log_level_parse(arg)) < 0)
			lathed_usage_error("bad --log-level '%s': use error, "
			    "warn, info or debug", arg);
		cfg->log_level = level;
		break;
	}
}

static void
lathed_options(int argc, char **argv, struct core_config *cfg)
{
	struct option	 lo[NOPTS + 1];
	const char	*v;
	size_t		 i;
	int		 c;

	memset(cfg, 0, sizeof *cfg);
	cfg->state_dir = paths_state_dir();
	cfg->runtime_dir = paths_runtime_dir();
	cfg->data_dir = xstrdup(LATHE_DATADIR);
	cfg->listen = xstrdup("127.0.0.1");
	cfg->max_body = 4 << 20;
	cfg->max_import = 2ULL << 30;
	cfg->log_level = LOG_INFO;
	for (i = 0; i < NOPTS; i++) {
		if (opts[i].env != NULL && (v = getenv(opts[i].env)) != NULL &&
		    *v != '\0')
			lathed_set(cfg, opts[i].id, v);
	}
	memset(lo, 0, sizeof lo);
	for (i = 0; i < NOPTS; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg = opts[i].arg ? required_argument : no_argument;
		lo[i].val = opts[i].id;
	}
	while ((c = getopt_long(argc, argv, "fhV", lo, NULL)) != -1) {
		switch (c) {
		case OPT_FOREGROUND:
			cfg->foreground = 1;
			break;
		case OPT_HELP:
			lathed_usage(stdout);
			exit(0);
		case OPT_VERSION:
			printf("lathed %s\n", PACKAGE_VERSION);
			exit(0);
		case '?':
			lathed_usage(stderr);
			exit(EXIT_USAGE);
		default:
			lathed_set(cfg, c, optarg);
		}
	}
	if (optind < argc)
		lathed_usage_error("unexpected argument '%s'", argv[optind]);
}

/* Fail to start: tell whoever waits, and exit. */
static void __attribute__((noreturn))
lathed_fail(int status, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	log_error("%s", msg);
	if (lathed_report >= 0) {
		dprintf(lathed_report, "%d %s", status, msg);
		close(lathed_report);
	} else if (!lathed.cfg.foreground)
		fprintf(stderr, "lathed: %s\n", msg);
	free(msg);
	exit(status);
}

/* Fail with an allocated message, freed first so that nothing leaks. */
static void __attribute__((noreturn))
lathed_fail_cause(int status, char *cause)
{
	char	msg[1024];

	snprintf(msg, sizeof msg, "%s", cause);
	free(cause);
	lathed_fail(status, "%s", msg);
}

/*
 * Detach from the terminal. The original process waits on a pipe until the
 * daemon reports that it is listening, or why it could not start, so that
 * whoever ran lathed learns the outcome.
 */
static void
lathed_daemonize(void)
{
	struct buf	 b;
	char		 chunk[512];
	ssize_t		 n;
	int		 p[2], status;
	pid_t		 pid;
	char		*sp;

	if (pipe(p) != 0) {
		fprintf(stderr, "lathed: pipe: %s\n", strerror(errno));
		exit(1);
	}
	if ((pid = fork()) < 0) {
		fprintf(stderr, "lathed: fork: %s\n", strerror(errno));
		exit(1);
	}
	if (pid > 0) {
		close(p[1]);
		buf_init(&b);
		while ((n = read(p[0], chunk, sizeof chunk)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			buf_add(&b, chunk, (size_t)n);
		}
		if (b.len == 0) {
			fprintf(stderr, "lathed: the daemon exited while "
			    "starting; see its log\n");
			exit(1);
		}
		status = (int)strtol(buf_str(&b), &sp, 10);
		if (status != 0)
			fprintf(stderr, "lathed: %s\n", sp + 1);
		exit(status);
	}
	close(p[0]);
	setsid();
	if ((pid = fork()) < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	lathed_report = p[1];
	if (chdir("/") != 0)
		lathed_fail(1, "chdir /: %s", strerror(errno));
}

/* Detach standard streams once started; stray output goes to the log. */
static void
lathed_detach(const char *logpath)
{
	int	fd;

	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if ((fd = open(logpath, O_WRONLY | O_APPEND | O_CREAT, 0600)) >= 0) {
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

static void
lathed_lock(const char *state_dir)
{
	char	 path[PATH_MAX], pid[32];
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof path, "%s/lathed.lock", state_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		lathed_fail(1, "cannot open %s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		n = pread(fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		lathed_fail(EXIT_LOCKED, "another lathed (pid %s) is using "
		    "the state directory %s", *pid ? pid : "unknown",
		    state_dir);
	}
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 ||
	    pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid))
		lathed_fail(1, "cannot write %s: %s", path, strerror(errno));
	/* fd stays open: the lock lasts as long as this process. */
}

struct owned {
	char	**paths;
	size_t	  n;
};

static void
lathed_owned(const char *path, void *arg)
{
	struct owned	*o = arg;

	o->paths = xrealloc(o->paths, (o->n + 1) * sizeof *o->paths);
	o->paths[o->n++] = xstrdup(path);
}

/*
 * Remove what an interrupted run left in the projects directory: imports
 * that never finished, deletions not yet swept, and files of projects
 * whose row was never committed.
 */
static void
lathed_reconcile(struct core *core)
{
	struct owned	 o = { NULL, 0 };
	struct dirent	*de;
	DIR		*d;
	char		*cause = NULL, *path;
	size_t		 i;
	int		 owned;

	if (store_project_owned_paths(core->store, lathed_owned, &o,
	    &cause) != 0) {
		log_warn("not reconciling project files: %s", cause);
		free(cause);
		return;
	}
	if ((d = opendir(core->projects_dir)) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		path = paths_join(core->projects_dir, de->d_name);
		owned = 0;
		for (i = 0; i < o.n; i++) {
			if (strcmp(o.paths[i], path) == 0)
				owned = 1;
		}
		if (!owned) {
			log_info("removing %s, left by an interrupted "
			    "import or deletion", path);
			if (files_remove_tree(path, &cause) != 0) {
				log_warn("%s", cause);
				free(cause);
				cause = NULL;
			}
		}
		free(path);
	}
	closedir(d);
out:
	for (i = 0; i < o.n; i++)
		free(o.paths[i]);
	free(o.paths);
}

static void
lathed_on_close(uv_handle_t *h)
{
}

static void
lathed_on_stop(struct core *core)
{
	size_t	i;

	for (i = 0; i < sizeof lathed_signals / sizeof lathed_signals[0]; i++)
		uv_close((uv_handle_t *)&lathed_signals[i], lathed_on_close);
}

static void
lathed_on_signal(uv_signal_t *h, int signum)
{
	log_info("received signal %d", signum);
	core_stop(h->data);
}

static void
lathed_write_port(struct core *core)
{
	char	*path = paths_join(core->cfg.state_dir, "lathed.port");
	char	*tmp = xasprintf("%s.tmp", path);
	FILE	*f;

	if ((f = fopen(tmp, "w")) != NULL) {
		fprintf(f, "%d\n", core->port);
		if (fclose(f) == 0)
			rename(tmp, path);
	}
	free(tmp);
	free(path);
}

int
main(int argc, char **argv)
{
	struct core	*core = &lathed;
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	char		*cause = NULL, *real;
	char		 logpath[PATH_MAX], dbpath[PATH_MAX];
	size_t		 i;
	int		 rc;

	lathed_options(argc, argv, &core->cfg);
	umask(077);
	if (!core->cfg.foreground)
		lathed_daemonize();
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0)
		lathed_fail(1, "libsodium failed to initialise");
	if (paths_mkdir(core->cfg.state_dir, 0700, &cause) != 0)
		lathed_fail_cause(1, cause);
	if ((real = realpath(core->cfg.state_dir, NULL)) != NULL) {
		free(core->cfg.state_dir);
		core->cfg.state_dir = real;
	}
	snprintf(logpath, sizeof logpath, "%s/lathed.log",
	    core->cfg.state_dir);
	if (log_open(logpath, core->cfg.log_level, core->cfg.foreground,
	    &cause) != 0)
		lathed_fail_cause(1, cause);
	lathed_lock(core->cfg.state_dir);
	log_info("lathed %s starting (pid %ld), state in %s",
	    PACKAGE_VERSION, (long)getpid(), core->cfg.state_dir);

	core->projects_dir = paths_join(core->cfg.state_dir, "projects");
	if (paths_mkdir(core->projects_dir, 0700, &cause) != 0)
		lathed_fail_cause(1, cause);
	snprintf(dbpath, sizeof dbpath, "%s/lathe.db", core->cfg.state_dir);
	rc = store_open(dbpath, &core->store, &cause);
	if (rc != 0)
		lathed_fail_cause(rc == STORE_DAMAGED || rc == STORE_NEWER ?
		    EXIT_STORE : 1, cause);
	lathed_reconcile(core);

	core->loop = uv_default_loop();
	core->on_stop = lathed_on_stop;
	core->started_ms = store_now_ms();
	core->socket_path = paths_socket(core->cfg.runtime_dir);
	if (router_check(api_routes, api_nroutes, &cause) != 0)
		lathed_fail_cause(1, cause);
	if (server_start(core, &cause) != 0)
		lathed_fail_cause(1, cause);
	lathed_write_port(core);
	if (sched_start(core, &cause) != 0)
		lathed_fail_cause(1, cause);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		uv_signal_init(core->loop, &lathed_signals[i]);
		lathed_signals[i].data = core;
		uv_signal_start(&lathed_signals[i], lathed_on_signal, sigs[i]);
	}
	log_info("listening on %s and %s port %d", core->socket_path,
	    core->cfg.listen, core->port);
	if (strcmp(core->cfg.listen, "127.0.0.1") != 0 &&
	    strcmp(core->cfg.listen, "::1") != 0 &&
	    strcmp(core->cfg.listen, "localhost") != 0)
		log_warn("listening on %s: the API is reachable from other "
		    "hosts (keys are still required)", core->cfg.listen);
	if (lathed_report >= 0) {
		dprintf(lathed_report, "0 ok");
		close(lathed_report);
		lathed_report = -1;
		lathed_detach(logpath);
	}

	uv_run(core->loop, UV_RUN_DEFAULT);

	sched_free(core);
	store_close(core->store);
	uv_loop_close(core->loop);
	log_info("stopped");
	log_close();
	return 0;
}
