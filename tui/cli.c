/*
 * The command line: one table of commands, from which parsing (getopt_long
 * per command), argument checks, help and suggestions are all made, and the
 * helpers the cli_<noun>.c handlers share. Everything printed for a human
 * that came from the core goes through cli_escape, so that no name, value or
 * file can drive the terminal.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "client.h"
#include "tui.h"
#include "wire.h"
#include "xmalloc.h"

/* getopt_long values for options without a short name, and globals. */
#define CLI_OPT_BASE	256
#define CLI_OPT_GLOBAL	512

#define CLI_MAX_OPTIONS	24

/* A command's option: --name (or -c) and, if arg is set, a value. */
struct cli_option {
	const char	*name;
	int		 short_name;	/* 0 for none */
	const char	*arg;		/* value's name in help; NULL: flag */
	const char	*help;
};

/* Command flags. */
#define CLI_NOSTART	0x1	/* never start lathed for this command */

struct cli_cmd {
	const char		*noun;
	const char		*verb;
	const char		*usage;		/* the arguments, for help */
	const char		*help;		/* one line */
	int			 min_args;
	int			 max_args;	/* -1: no limit */
	int			 flags;
	const struct cli_option	*options;	/* up to { NULL }; or NULL */
	int			(*exec)(struct cli *, int argc, char **argv);
};

struct cli {
	const struct cli_cmd	*cmd;
	int			 json;
	struct client		*client;
	const char		**values[CLI_MAX_OPTIONS];	/* each given */
	size_t			 seen[CLI_MAX_OPTIONS];		/* how often */
	int			 dashdash;	/* arguments after --, or -1 */
};

struct cli_table {
	size_t		  ncols;
	size_t		  nrows;	/* including the header */
	char		**cells;	/* nrows * ncols, escaped */
	const char	**styles;	/* nrows * ncols, SGR or NULL */
	size_t		 *width;
};

static const struct cli_option project_create_options[] = {
	{ .name = "description", .arg = "TEXT",
	  .help = "what the project is for" },
	{ .name = "dir", .arg = "PATH",
	  .help = "use directory PATH in place: its files stay there" },
	{ .name = "copy",
	  .help = "with --dir: copy the directory instead" },
	{ .name = "archive", .arg = "FILE",
	  .help = "extract a zip or tar archive" },
	{ .name = "git", .arg = "URL",
	  .help = "clone a git repository" },
	{ .name = "template", .arg = "NAME",
	  .help = "start from a template (without a source: blank)" },
	{ .name = "runtime", .arg = "NAME",
	  .help = "the project's default runtime" },
	{ .name = "profile", .arg = "NAME",
	  .help = "the project's default resource profile" },
	{ .name = NULL }
};

static const struct cli_option project_update_options[] = {
	{ .name = "name", .arg = "NEW",
	  .help = "rename the project" },
	{ .name = "description", .arg = "TEXT",
	  .help = "what the project is for" },
	{ .name = "runtime", .arg = "NAME",
	  .help = "the project's default runtime" },
	{ .name = "profile", .arg = "NAME",
	  .help = "the project's default resource profile" },
	{ .name = NULL }
};

static const struct cli_option project_rm_options[] = {
	{ .name = "yes", .short_name = 'y',
	  .help = "do not ask for the project name first" },
	{ .name = NULL }
};

static const struct cli_option project_env_options[] = {
	{ .name = "secret",
	  .help = "with set: keep the values secret (a bare KEY reads its "
	  "value from stdin)" },
	{ .name = NULL }
};

static const struct cli_option project_cat_options[] = {
	{ .name = "raw",
	  .help = "write the bytes as they are, binary files included" },
	{ .name = NULL }
};

/* Every command on a project's jobs and runs names the project. */
#define CLI_PROJECT_OPTION \
	{ .name = "project", .short_name = 'p', .arg = "PROJECT", \
	  .help = "the project (its name or id)" }

/* What job create and job edit both set. */
#define CLI_JOB_OPTIONS \
	CLI_PROJECT_OPTION, \
	{ .name = "arg", .arg = "A", \
	  .help = "an argument of the script (repeat for more; or give " \
	  "them after --)" }, \
	{ .name = "runtime", .arg = "R", \
	  .help = "the runtime that runs the script (empty: the project's " \
	  "default, else by the script's extension)" }, \
	{ .name = "profile", .arg = "P", \
	  .help = "the resource profile (empty: the project's default, " \
	  "else small)" }, \
	{ .name = "cron", .arg = "EXPR", \
	  .help = "run on a cron schedule, e.g. '0 3 * * *' or @daily" }, \
	{ .name = "timezone", .arg = "TZ", \
	  .help = "the cron schedule's time zone (default: the local one)" }, \
	{ .name = "after", .arg = "PARENT", \
	  .help = "run each time job PARENT succeeds" }, \
	{ .name = "timeout", .arg = "SECONDS", \
	  .help = "stop a run after this long (0: no limit)" }, \
	{ .name = "retries", .arg = "N", \
	  .help = "run a failed run again up to N times" }, \
	{ .name = "backoff", .arg = "SECONDS", \
	  .help = "wait this long before each retry" }, \
	{ .name = "max-concurrent", .arg = "N", \
	  .help = "runs at once at most; more wait in the queue" }, \
	{ .name = "env", .arg = "K=V", \
	  .help = "an environment variable of the job (repeat for more)" }, \
	{ .name = "paused", \
	  .help = "pause the schedule: it does not fire until unpaused" }

static const struct cli_option job_create_options[] = {
	CLI_JOB_OPTIONS,
	{ .name = NULL }
};

static const struct cli_option job_edit_options[] = {
	CLI_JOB_OPTIONS,
	{ .name = "name", .arg = "NEW",
	  .help = "rename the job" },
	{ .name = "script", .arg = "PATH",
	  .help = "the project file the job runs" },
	{ .name = "no-args",
	  .help = "run the script without arguments (so does -- alone)" },
	{ .name = "no-env",
	  .help = "remove the job's environment variables (--env replaces "
	  "them all)" },
	{ .name = "manual",
	  .help = "remove the schedule: the job runs when started" },
	{ .name = "unpause",
	  .help = "let the schedule fire again" },
	{ .name = NULL }
};

static const struct cli_option job_project_options[] = {
	CLI_PROJECT_OPTION,
	{ .name = NULL }
};

static const struct cli_option job_run_options[] = {
	CLI_PROJECT_OPTION,
	{ .name = "env", .arg = "K=V",
	  .help = "set a variable for this run only (repeat for more)" },
	{ .name = "follow", .short_name = 'f',
	  .help = "print the log as it comes and exit with the run: 0 if it "
	  "succeeded, else 1" },
	{ .name = NULL }
};

static const struct cli_option sweep_options[] = {
	CLI_PROJECT_OPTION,
	{ .name = "param", .arg = "NAME=V1,V2",
	  .help = "the values of one parameter, passed as --NAME VALUE "
	  "(repeat for more; the grid is every combination)" },
	{ .name = "parallel", .arg = "N",
	  .help = "run N points at once (1)" },
	{ .name = "name", .arg = "JOB",
	  .help = "the job the runs belong to (sweep-SCRIPT)" },
	{ .name = "experiment", .arg = "NAME",
	  .help = "the MLflow experiment of the runs (the project's name)" },
	{ .name = NULL }
};

static const struct cli_option job_rm_options[] = {
	CLI_PROJECT_OPTION,
	{ .name = "yes", .short_name = 'y',
	  .help = "do not ask for the job name first" },
	{ .name = NULL }
};

static const struct cli_option run_list_options[] = {
	CLI_PROJECT_OPTION,
	{ .name = "job", .arg = "NAME",
	  .help = "only the runs of job NAME" },
	{ .name = "status", .arg = "S",
	  .help = "only runs in status S (queued, starting, running, "
	  "succeeded, failed, timed_out, stopped, lost)" },
	{ .name = NULL }
};

static const struct cli_option run_logs_options[] = {
	CLI_PROJECT_OPTION,
	{ .name = "follow", .short_name = 'f',
	  .help = "go on printing as the log grows, until the run ends "
	  "(Ctrl-C stops following, not the run)" },
	{ .name = "tail", .arg = "BYTES",
	  .help = "start this many bytes from the end (e.g. 4096 or 64K)" },
	{ .name = NULL }
};

static const struct cli_option runtime_add_options[] = {
	{ .name = "kernel", .arg = "K",
	  .help = "python3, r, bash, sh, node, perl, julia or ruby" },
	{ .name = "command", .arg = "PATH",
	  .help = "the interpreter's absolute path" },
	{ .name = NULL }
};

static const struct cli_option profile_add_options[] = {
	{ .name = "vcpu", .arg = "N",
	  .help = "CPUs a run may use (e.g. 2 or 0.5)" },
	{ .name = "memory", .arg = "SIZE",
	  .help = "memory a run may use (e.g. 512M or 4G)" },
	{ .name = "gpus", .arg = "N",
	  .help = "GPUs a run gets (default 0)" },
	{ .name = NULL }
};

/* The commands. Help, completion and checks are all made from this. */
static const struct cli_cmd cli_cmds[] = {
	{ .noun = "project", .verb = "create",
	  .usage = "NAME [--description TEXT] [--dir PATH [--copy] | "
	  "--archive FILE | --git URL | --template NAME] [--runtime NAME] "
	  "[--profile NAME]",
	  .help = "Create a project from a directory, archive, git or "
	  "template.",
	  .min_args = 1, .max_args = 1,
	  .options = project_create_options,
	  .exec = cli_project_create },
	{ .noun = "project", .verb = "list",
	  .usage = "",
	  .help = "List the projects.",
	  .min_args = 0, .max_args = 0,
	  .exec = cli_project_list },
	{ .noun = "project", .verb = "show",
	  .usage = "NAME",
	  .help = "Show a project (by name or id).",
	  .min_args = 1, .max_args = 1,
	  .exec = cli_project_show },
	{ .noun = "project", .verb = "update",
	  .usage = "NAME [--name NEW] [--description TEXT] [--runtime NAME] "
	  "[--profile NAME]",
	  .help = "Change a project's name, description or defaults.",
	  .min_args = 1, .max_args = 1,
	  .options = project_update_options,
	  .exec = cli_project_update },
	{ .noun = "project", .verb = "rm",
	  .usage = "NAME [--yes]",
	  .help = "Delete a project, after asking for its name.",
	  .min_args = 1, .max_args = 1,
	  .options = project_rm_options,
	  .exec = cli_project_rm },
	{ .noun = "project", .verb = "env",
	  .usage = "NAME [set KEY=VALUE... [--secret] | unset KEY...]",
	  .help = "List, set or unset a project's environment variables.",
	  .min_args = 1, .max_args = -1,
	  .options = project_env_options,
	  .exec = cli_project_env },
	{ .noun = "project", .verb = "files",
	  .usage = "NAME [PATH]",
	  .help = "List a directory of a project's files.",
	  .min_args = 1, .max_args = 2,
	  .exec = cli_project_files },
	{ .noun = "project", .verb = "cat",
	  .usage = "NAME PATH [--raw]",
	  .help = "Print one of a project's files.",
	  .min_args = 2, .max_args = 2,
	  .options = project_cat_options,
	  .exec = cli_project_cat },
	{ .noun = "job", .verb = "create",
	  .usage = "NAME SCRIPT -p PROJECT [--arg A]... [--runtime R] "
	  "[--profile P] [--cron EXPR [--timezone TZ] | --after PARENT] "
	  "[--timeout SECONDS] [--retries N] [--backoff SECONDS] "
	  "[--max-concurrent N] [--env K=V]... [--paused] [-- ARGS...]",
	  .help = "Create a job: a project's script run by hand, on a cron "
	  "schedule or after another job.",
	  .min_args = 2, .max_args = -1,
	  .options = job_create_options,
	  .exec = cli_job_create },
	{ .noun = "job", .verb = "list",
	  .usage = "-p PROJECT",
	  .help = "List a project's jobs, their last runs and next times.",
	  .min_args = 0, .max_args = 0,
	  .options = job_project_options,
	  .exec = cli_job_list },
	{ .noun = "job", .verb = "show",
	  .usage = "NAME -p PROJECT",
	  .help = "Show a job, its last run and its next fire times.",
	  .min_args = 1, .max_args = 1,
	  .options = job_project_options,
	  .exec = cli_job_show },
	{ .noun = "job", .verb = "run",
	  .usage = "NAME -p PROJECT [--env K=V]... [--follow] [-- ARGS...]",
	  .help = "Start a run of a job and print its id, or follow it.",
	  .min_args = 1, .max_args = -1,
	  .options = job_run_options,
	  .exec = cli_job_run },
	{ .noun = "sweep", .verb = "",
	  .usage = "SCRIPT -p PROJECT --param NAME=V1,V2 ... [--parallel N]",
	  .help = "Run a script over a grid of parameter values, each point "
	  "a job run and an MLflow run.",
	  .min_args = 1, .max_args = 1,
	  .options = sweep_options,
	  .exec = cli_sweep },
	{ .noun = "job", .verb = "stop",
	  .usage = "NAME -p PROJECT",
	  .help = "Stop a job's runs that are queued or going.",
	  .min_args = 1, .max_args = 1,
	  .options = job_project_options,
	  .exec = cli_job_stop },
	{ .noun = "job", .verb = "edit",
	  .usage = "NAME -p PROJECT [--name NEW] [--script PATH] [--arg A]... "
	  "[--no-args] [--runtime R] [--profile P] [--cron EXPR] "
	  "[--timezone TZ] [--after PARENT] [--manual] [--timeout SECONDS] "
	  "[--retries N] [--backoff SECONDS] [--max-concurrent N] "
	  "[--env K=V]... [--no-env] [--paused | --unpause] [-- ARGS...]",
	  .help = "Change a job: what it runs, with what, and when.",
	  .min_args = 1, .max_args = -1,
	  .options = job_edit_options,
	  .exec = cli_job_edit },
	{ .noun = "job", .verb = "rm",
	  .usage = "NAME -p PROJECT [--yes]",
	  .help = "Delete a job with its runs and logs, after asking for "
	  "its name.",
	  .min_args = 1, .max_args = 1,
	  .options = job_rm_options,
	  .exec = cli_job_rm },
	{ .noun = "run", .verb = "list",
	  .usage = "-p PROJECT [--job NAME] [--status S]",
	  .help = "List a project's runs, newest first.",
	  .min_args = 0, .max_args = 0,
	  .options = run_list_options,
	  .exec = cli_run_list },
	{ .noun = "run", .verb = "show",
	  .usage = "ID -p PROJECT",
	  .help = "Show a run: status, reason, command, limits, times.",
	  .min_args = 1, .max_args = 1,
	  .options = job_project_options,
	  .exec = cli_run_show },
	{ .noun = "run", .verb = "logs",
	  .usage = "ID -p PROJECT [--follow] [--tail BYTES]",
	  .help = "Print a run's log, or follow it until the run ends.",
	  .min_args = 1, .max_args = 1,
	  .options = run_logs_options,
	  .exec = cli_run_logs },
	{ .noun = "run", .verb = "stop",
	  .usage = "ID -p PROJECT",
	  .help = "Stop a run (SIGTERM, then SIGKILL after 10 s).",
	  .min_args = 1, .max_args = 1,
	  .options = job_project_options,
	  .exec = cli_run_stop },
	{ .noun = "run", .verb = "rerun",
	  .usage = "ID -p PROJECT",
	  .help = "Run a run's job again with the same arguments and "
	  "variables; print the new run's id.",
	  .min_args = 1, .max_args = 1,
	  .options = job_project_options,
	  .exec = cli_run_rerun },
	{ .noun = "runtime", .verb = "list",
	  .usage = "",
	  .help = "List the runtimes: found on the PATH or registered.",
	  .min_args = 0, .max_args = 0,
	  .exec = cli_runtime_list },
	{ .noun = "runtime", .verb = "add",
	  .usage = "NAME --kernel K --command PATH",
	  .help = "Register an interpreter as a runtime.",
	  .min_args = 1, .max_args = 1,
	  .options = runtime_add_options,
	  .exec = cli_runtime_add },
	{ .noun = "runtime", .verb = "rm",
	  .usage = "NAME",
	  .help = "Remove a registered runtime.",
	  .min_args = 1, .max_args = 1,
	  .exec = cli_runtime_rm },
	{ .noun = "profile", .verb = "list",
	  .usage = "",
	  .help = "List the resource profiles.",
	  .min_args = 0, .max_args = 0,
	  .exec = cli_profile_list },
	{ .noun = "profile", .verb = "add",
	  .usage = "NAME --vcpu N --memory SIZE [--gpus N]",
	  .help = "Add a resource profile.",
	  .min_args = 1, .max_args = 1,
	  .options = profile_add_options,
	  .exec = cli_profile_add },
	{ .noun = "profile", .verb = "rm",
	  .usage = "NAME",
	  .help = "Remove a resource profile (not a built-in one).",
	  .min_args = 1, .max_args = 1,
	  .exec = cli_profile_rm },
	{ .noun = "key", .verb = "create",
	  .usage = "[NAME]",
	  .help = "Make an API key for the TCP listener (shown only once).",
	  .min_args = 0, .max_args = 1,
	  .exec = cli_key_create },
	{ .noun = "key", .verb = "list",
	  .usage = "",
	  .help = "List the API keys.",
	  .min_args = 0, .max_args = 0,
	  .exec = cli_key_list },
	{ .noun = "key", .verb = "revoke",
	  .usage = "ID",
	  .help = "Revoke an API key.",
	  .min_args = 1, .max_args = 1,
	  .exec = cli_key_revoke },
	{ .noun = "core", .verb = "start",
	  .usage = "",
	  .help = "Start lathed if it is not running.",
	  .min_args = 0, .max_args = 0,
	  .exec = cli_core_start },
	{ .noun = "core", .verb = "status",
	  .usage = "",
	  .help = "Show whether lathed runs, and where.",
	  .min_args = 0, .max_args = 0, .flags = CLI_NOSTART,
	  .exec = cli_core_status },
	{ .noun = "core", .verb = "stop",
	  .usage = "",
	  .help = "Stop lathed (its workloads stop with it).",
	  .min_args = 0, .max_args = 0, .flags = CLI_NOSTART,
	  .exec = cli_core_stop },
};
#define CLI_NCMDS (sizeof cli_cmds / sizeof cli_cmds[0])

static const struct {
	const char	*name;
	const char	*help;
} cli_nouns[] = {
	{ "project", "Projects: their files and environment variables." },
	{ "job", "Jobs: a project's scripts, run by hand, on a cron schedule "
	  "or after another job." },
	{ "run", "Runs of a project's jobs: their status and logs." },
	{ "sweep", "Sweeps: a script run over a grid of parameter values." },
	{ "runtime", "Runtimes: the interpreters that run scripts." },
	{ "profile", "Resource profiles: the CPUs, memory and GPUs of a run." },
	{ "key", "API keys, which clients of the TCP listener need." },
	{ "core", "The core daemon, lathed." },
};
#define CLI_NNOUNS (sizeof cli_nouns / sizeof cli_nouns[0])

/* Options every command takes, anywhere on the line. */
enum { CLI_GLOBAL_JSON, CLI_GLOBAL_HELP, CLI_GLOBAL_VERSION };
static const struct cli_option cli_globals[] = {
	[CLI_GLOBAL_JSON] = { .name = "json",
	  .help = "print the core's JSON answer instead of text" },
	[CLI_GLOBAL_HELP] = { .name = "help", .short_name = 'h',
	  .help = "show help" },
	[CLI_GLOBAL_VERSION] = { .name = "version",
	  .help = "print lathe's version" },
	{ .name = NULL }
};

static size_t
cli_noptions(const struct cli_option *opts)
{
	size_t	n = 0;

	while (opts != NULL && opts[n].name != NULL)
		n++;
	return n;
}

static int
cli_option_index(const struct cli_cmd *cmd, const char *name)
{
	size_t	i, n = cli_noptions(cmd->options);

	for (i = 0; i < n; i++) {
		if (strcmp(cmd->options[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

int
cli_json(struct cli *cli)
{
	return cli->json;
}

int
cli_flag(struct cli *cli, const char *name)
{
	int	i = cli_option_index(cli->cmd, name);

	assert(i >= 0);
	return cli->seen[i];
}

const char *
cli_value(struct cli *cli, const char *name)
{
	int	i = cli_option_index(cli->cmd, name);

	assert(i >= 0 && cli->cmd->options[i].arg != NULL);
	return cli->seen[i] ? cli->values[i][cli->seen[i] - 1] : NULL;
}

const char *const *
cli_values(struct cli *cli, const char *name, size_t *n)
{
	int	i = cli_option_index(cli->cmd, name);

	assert(i >= 0 && cli->cmd->options[i].arg != NULL);
	*n = cli->seen[i];
	return cli->values[i];
}

int
cli_dashdash(struct cli *cli)
{
	return cli->dashdash;
}

/* Record one use of option i, with its value (NULL for a flag). */
static void
cli_option_add(struct cli *cli, int i, const char *value)
{
	cli->values[i] = xrealloc(cli->values[i], (cli->seen[i] + 1) *
	    sizeof *cli->values[i]);
	cli->values[i][cli->seen[i]++] = value;
}

/* Print an error as JSON on stdout, for --json. */
static void
cli_error_json(const char *code, const char *message)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "error_code", code);
	cJSON_AddStringToObject(o, "message", message);
	cli_print_json(o);
	cJSON_Delete(o);
}

static void
cli_verror(struct cli *cli, const char *code, const char *fmt, va_list ap)
{
	char	*msg = xvasprintf(fmt, ap);
	char	*safe = cli_safe(msg);

	fflush(stdout);
	fprintf(stderr, "lathe: %s\n", safe);
	if (cli->json)
		cli_error_json(code, msg);
	free(safe);
	free(msg);
}

int
cli_error(struct cli *cli, const char *code, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	cli_verror(cli, code, fmt, ap);
	va_end(ap);
	return CLI_EXIT_ERROR;
}

static void
cli_usage_line(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "usage: lathe %s%s%s%s%s\n", cmd->noun,
	    *cmd->verb != '\0' ? " " : "", cmd->verb,
	    *cmd->usage != '\0' ? " " : "", cmd->usage);
}

int
cli_usage(struct cli *cli, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	cli_verror(cli,
	    wire_error_code(WIRE_INVALID_PARAMETER_VALUE), fmt, ap);
	va_end(ap);
	if (cli->cmd != NULL)
		cli_usage_line(stderr, cli->cmd);
	else
		fprintf(stderr, "usage: lathe [--json] NOUN VERB [ARGS]; "
		    "see 'lathe help'\n");
	return CLI_EXIT_USAGE;
}

struct client *
cli_client(struct cli *cli)
{
	char	*cause = NULL;

	if (cli->client != NULL)
		return cli->client;
	cli->client = client_new(!(cli->cmd->flags & CLI_NOSTART), &cause);
	if (cli->client == NULL) {
		cli_error(cli, wire_error_code(WIRE_INVALID_PARAMETER_VALUE),
		    "%s", cause);
		free(cause);
	}
	return cli->client;
}

int
cli_report_transport(struct cli *cli, struct client *c, char *cause)
{
	cli_error(cli, wire_error_code(client_unreachable(c) ?
	    WIRE_TEMPORARILY_UNAVAILABLE : WIRE_INTERNAL_ERROR), "%s", cause);
	free(cause);
	return -1;
}

int
cli_report_answer(struct cli *cli, long status, const cJSON *answer)
{
	char		*msg = client_error_message(status, answer);
	const char	*code = cli_get(answer, "error_code");

	cli_error(cli, code != NULL ? code :
	    wire_error_code(WIRE_INTERNAL_ERROR), "%s", msg);
	free(msg);
	return -1;
}

int
cli_request(struct cli *cli, const char *method, const char *path,
    const cJSON *body, cJSON **answer)
{
	struct client	*c;
	cJSON		*a = NULL;
	char		*cause = NULL;
	long		 status;

	if ((c = cli_client(cli)) == NULL)
		return -1;
	if (client_call(c, method, path, body, &status, &a, &cause) != 0)
		return cli_report_transport(cli, c, cause);
	if (status < 200 || status > 299) {
		cli_report_answer(cli, status, a);
		cJSON_Delete(a);
		return -1;
	}
	*answer = a;
	return 0;
}

int
cli_request_stream(struct cli *cli, const char *path,
    const struct client_sink *sink)
{
	struct client	*c;
	cJSON		*a = NULL;
	char		*cause = NULL;
	long		 status;

	if ((c = cli_client(cli)) == NULL)
		return -1;
	if (client_stream(c, path, sink, &status, &a, &cause) != 0)
		return cli_report_transport(cli, c, cause);
	if (a != NULL) {
		cli_report_answer(cli, status, a);
		cJSON_Delete(a);
		return -1;
	}
	return 0;
}

int
cli_request_pages(struct cli *cli, const char *path, const char *field,
    cJSON **answer)
{
	cJSON		*all = NULL, *page = NULL, *items, *into, *item;
	char		*token = NULL, *url = NULL, *esc, *next = NULL;
	const char	*s;
	int		 rc = -1;

	for (;;) {
		if (token == NULL)
			url = xstrdup(path);
		else {
			esc = client_escape(token);
			url = xasprintf("%s%cpage_token=%s", path,
			    strchr(path, '?') != NULL ? '&' : '?', esc);
			free(esc);
		}
		if (cli_request(cli, "GET", url, NULL, &page) != 0)
			goto out;
		free(url);
		url = NULL;
		items = cJSON_GetObjectItemCaseSensitive(page, field);
		if (!cJSON_IsArray(items)) {
			cli_error(cli, wire_error_code(WIRE_INTERNAL_ERROR),
			    "the answer of lathed has no '%s' list", field);
			goto out;
		}
		free(next);
		next = (s = cli_get(page, "next_page_token")) != NULL ?
		    xstrdup(s) : NULL;
		if (all == NULL) {
			all = page;
			page = NULL;
		} else {
			into = cJSON_GetObjectItemCaseSensitive(all, field);
			while ((item = cJSON_DetachItemFromArray(items,
			    0)) != NULL)
				cJSON_AddItemToArray(into, item);
			cJSON_Delete(page);
			page = NULL;
		}
		if (next == NULL || *next == '\0')
			break;
		if (token != NULL && strcmp(token, next) == 0) {
			cli_error(cli, wire_error_code(WIRE_INTERNAL_ERROR),
			    "lathed answered the same page token twice");
			goto out;
		}
		free(token);
		token = next;
		next = NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(all, "next_page_token");
	*answer = all;
	all = NULL;
	rc = 0;
out:
	cJSON_Delete(all);
	cJSON_Delete(page);
	free(token);
	free(next);
	free(url);
	return rc;
}

void
cli_print_json(const cJSON *v)
{
	char	*s = cJSON_Print(v);

	if (s == NULL)
		abort();
	printf("%s\n", s);
	free(s);
}

/*
 * The length of the UTF-8 sequence at p (avail bytes there), with its code
 * point in *cp; 0 if it is not valid UTF-8, -1 if it is cut short.
 */
static int
cli_utf8(const unsigned char *p, size_t avail, uint32_t *cp)
{
	size_t		n, k;
	uint32_t	c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		c = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		c = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	for (k = 1; k < n; k++) {
		if (k >= avail)
			return -1;
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[k] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return (int)n;
}

size_t
cli_escape(struct buf *b, const char *s, size_t len, int flags)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0;
	uint32_t		 cp;
	int			 n;

	while (i < len) {
		if (p[i] < 0x80) {
			if ((p[i] == '\n' || p[i] == '\t') &&
			    (flags & CLI_ESCAPE_LINES))
				buf_addc(b, (char)p[i]);
			else if (p[i] < 0x20)
				buf_printf(b, "^%c", p[i] + '@');
			else if (p[i] == 0x7f)
				buf_adds(b, "^?");
			else
				buf_addc(b, (char)p[i]);
			i++;
			continue;
		}
		n = cli_utf8(p + i, len - i, &cp);
		if (n == -1 && !(flags & CLI_ESCAPE_FINAL))
			return i;
		if (n <= 0) {
			buf_printf(b, "\\x%02x", p[i]);
			i++;
		} else if (cp < 0xa0) {
			/* C1 controls: 0x9b alone is a CSI to some. */
			buf_printf(b, "\\x%02x", (unsigned int)cp);
			i += (size_t)n;
		} else {
			buf_add(b, p + i, (size_t)n);
			i += (size_t)n;
		}
	}
	return len;
}

char *
cli_safe(const char *s)
{
	struct buf	b;

	if (s == NULL)
		return xstrdup("-");
	buf_init(&b);
	cli_escape(&b, s, strlen(s), CLI_ESCAPE_FINAL);
	return buf_take(&b);
}

const char *
cli_get(const cJSON *obj, const char *name)
{
	const cJSON	*v;

	if (!cJSON_IsObject(obj))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int64_t
cli_get_int(const cJSON *obj, const char *name, int64_t def)
{
	const cJSON	*v;
	char		*end;
	long long	 n;

	if (!cJSON_IsObject(obj))
		return def;
	v = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (cJSON_IsNumber(v))
		return (int64_t)v->valuedouble;
	if (cJSON_IsString(v)) {
		errno = 0;
		n = strtoll(v->valuestring, &end, 10);
		if (*v->valuestring != '\0' && *end == '\0' && errno == 0)
			return n;
	}
	return def;
}

void
cli_time(const char *iso, char *out, size_t len)
{
	struct tm	 tm;
	const char	*rest;
	char		*safe;
	time_t		 t;

	if (iso == NULL) {
		snprintf(out, len, "-");
		return;
	}
	memset(&tm, 0, sizeof tm);
	rest = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
	if (rest != NULL && (t = timegm(&tm)) != (time_t)-1 &&
	    localtime_r(&t, &tm) != NULL &&
	    strftime(out, len, "%Y-%m-%d %H:%M", &tm) != 0)
		return;
	safe = cli_safe(iso);
	snprintf(out, len, "%s", safe);
	free(safe);
}

void
cli_size(uint64_t n, char *out, size_t len)
{
	static const char	 units[] = "KMGTPE";
	double			 v = (double)n;
	size_t			 u = 0;

	if (n < 1000) {
		snprintf(out, len, "%llu", (unsigned long long)n);
		return;
	}
	v /= 1024;
	while (v >= 999.5 && u < sizeof units - 2) {
		v /= 1024;
		u++;
	}
	if (v < 9.95)
		snprintf(out, len, "%.1f%c", v, units[u]);
	else
		snprintf(out, len, "%.0f%c", v, units[u]);
}

void
cli_field(const char *label, const char *value)
{
	char	*safe = cli_safe(value);

	printf("%-12s %s\n", label, safe);
	free(safe);
}

char *
cli_words(const cJSON *words)
{
	static const char	 plain[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+@%-";
	const cJSON		*w;
	const char		*s;
	struct buf		 b;
	char			*safe;

	buf_init(&b);
	cJSON_ArrayForEach(w, words) {
		s = cJSON_IsString(w) ? w->valuestring : "";
		if (b.len != 0)
			buf_addc(&b, ' ');
		if (*s != '\0' && s[strspn(s, plain)] == '\0') {
			buf_adds(&b, s);
			continue;
		}
		buf_addc(&b, '\'');
		for (; *s != '\0'; s++) {
			if (*s == '\'')
				buf_adds(&b, "'\\''");
			else
				buf_addc(&b, *s);
		}
		buf_addc(&b, '\'');
	}
	safe = cli_safe(buf_str(&b));
	buf_done(&b);
	return safe;
}

void
cli_time_ms(int64_t ms, char *out, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)(ms / 1000);

	if (ms <= 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(out, len, "-");
}

void
cli_duration(int64_t ms, char *out, size_t len)
{
	int64_t	s;

	if (ms < 0)
		ms = 0;
	s = ms / 1000;
	if (s < 60 && ms % 1000 == 0)
		snprintf(out, len, "%ds", (int)s);
	else if (s < 60)
		snprintf(out, len, "%d.%ds", (int)s, (int)(ms / 100 % 10));
	else if (s < 3600)
		snprintf(out, len, "%dm%02ds", (int)(s / 60), (int)(s % 60));
	else if (s < 86400)
		snprintf(out, len, "%dh%02dm", (int)(s / 3600),
		    (int)(s / 60 % 60));
	else
		snprintf(out, len, "%lldd%02dh", (long long)(s / 86400),
		    (int)(s / 3600 % 24));
}

int
cli_color(void)
{
	const char	*no = getenv("NO_COLOR");

	return (no == NULL || *no == '\0') && isatty(STDOUT_FILENO);
}

int
cli_confirm(struct cli *cli, const char *noun, const char *name)
{
	const char	*code = wire_error_code(WIRE_INVALID_PARAMETER_VALUE);
	char		*line = NULL, *safe = cli_safe(name);
	size_t		 cap = 0;
	ssize_t		 n;
	int		 rc = CLI_EXIT_ERROR;

	fprintf(stderr, "Type the %s name to delete it: ", noun);
	fflush(stderr);
	if ((n = getline(&line, &cap, stdin)) < 0) {
		fputc('\n', stderr);
		cli_error(cli, code, "no name typed: %s %s was not deleted",
		    noun, safe);
		goto out;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (strcmp(line, name) != 0) {
		cli_error(cli, code, "that is not the %s's name: %s %s was "
		    "not deleted", noun, noun, safe);
		goto out;
	}
	rc = 0;
out:
	free(line);
	free(safe);
	return rc;
}

/* Display width of an escaped cell: UTF-8 code points. */
static size_t
cli_width(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

struct cli_table *
cli_table_new(size_t ncols, const char *const *headers)
{
	struct cli_table	*t = xcalloc(1, sizeof *t);

	t->ncols = ncols;
	t->width = xcalloc(ncols, sizeof *t->width);
	cli_table_add(t, headers);
	return t;
}

void
cli_table_add(struct cli_table *t, const char *const *cells)
{
	size_t	i, w;
	char	*cell;

	t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols *
	    sizeof *t->cells);
	t->styles = xrealloc(t->styles, (t->nrows + 1) * t->ncols *
	    sizeof *t->styles);
	for (i = 0; i < t->ncols; i++) {
		cell = cli_safe(cells[i]);
		if ((w = cli_width(cell)) > t->width[i])
			t->width[i] = w;
		t->cells[t->nrows * t->ncols + i] = cell;
		t->styles[t->nrows * t->ncols + i] = NULL;
	}
	t->nrows++;
}

void
cli_table_style(struct cli_table *t, size_t col, const char *sgr)
{
	assert(t->nrows > 1 && col < t->ncols);
	t->styles[(t->nrows - 1) * t->ncols + col] = sgr;
}

void
cli_table_print(struct cli_table *t, FILE *f)
{
	size_t		 r, i, w;
	const char	*cell, *sgr;

	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			cell = t->cells[r * t->ncols + i];
			sgr = t->styles[r * t->ncols + i];
			if (sgr != NULL)
				fprintf(f, "\033[%sm%s\033[0m", sgr, cell);
			else
				fputs(cell, f);
			if (i == t->ncols - 1)
				break;
			for (w = cli_width(cell); w < t->width[i] + 2; w++)
				fputc(' ', f);
		}
		fputc('\n', f);
	}
}

void
cli_table_free(struct cli_table *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->styles);
	free(t->width);
	free(t);
}

/* Edit distance, for suggesting what a mistyped word was meant to be. */
static size_t
cli_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, cur, d[64];

	if (la >= 63 || lb >= 63)
		return 64;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = d[j];
			d[j] = prev + (a[i - 1] != b[j - 1]);
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			if (cur + 1 < d[j])
				d[j] = cur + 1;
			prev = cur;
		}
	}
	return d[lb];
}

/* Whether word is close enough to name to suggest it. */
static int
cli_close(const char *word, const char *name)
{
	size_t	len = strlen(word);

	if (len > 0 && strncmp(word, name, len) == 0)
		return 1;
	return cli_distance(word, name) <= (len > 4 ? 2 : 1);
}

static int
cli_noun_known(const char *noun)
{
	size_t	i;

	for (i = 0; i < CLI_NNOUNS; i++) {
		if (strcmp(cli_nouns[i].name, noun) == 0)
			return 1;
	}
	return 0;
}

static const struct cli_cmd *
cli_find(const char *noun, const char *verb)
{
	size_t	i;

	for (i = 0; i < CLI_NCMDS; i++) {
		if (strcmp(cli_cmds[i].noun, noun) == 0 &&
		    strcmp(cli_cmds[i].verb, verb) == 0)
			return &cli_cmds[i];
	}
	return NULL;
}

/* How an option is written in help: "-y, --yes" or "--dir PATH". */
static char *
cli_option_spec(const struct cli_option *o)
{
	char	 shortname[8] = "";

	if (o->short_name != 0)
		snprintf(shortname, sizeof shortname, "-%c, ", o->short_name);
	return xasprintf("%s--%s%s%s", shortname, o->name,
	    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
}

static void
cli_help_options(FILE *f, const char *title, const struct cli_option *opts)
{
	size_t	 i, n = cli_noptions(opts), w = 0;
	char	*spec;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		spec = cli_option_spec(&opts[i]);
		if (strlen(spec) > w)
			w = strlen(spec);
		free(spec);
	}
	fprintf(f, "\n%s:\n", title);
	for (i = 0; i < n; i++) {
		spec = cli_option_spec(&opts[i]);
		fprintf(f, "  %-*s  %s\n", (int)w, spec, opts[i].help);
		free(spec);
	}
}

static void
cli_help_main(FILE *f)
{
	size_t	i, w = 0, len;

	for (i = 0; i < CLI_NCMDS; i++) {
		len = strlen(cli_cmds[i].noun) + 1 + strlen(cli_cmds[i].verb);
		if (len > w)
			w = len;
	}
	fprintf(f, "usage: lathe [-p NAME]\n"
	    "       lathe [--json] NOUN VERB [ARGS]\n\n"
	    "lathe is a machine-learning workbench for the terminal. It "
	    "talks to its core,\nlathed, and starts it when it is not "
	    "running. Alone, or as lathe -p NAME to open\nproject NAME, it "
	    "is the full-screen interface; with a command, it does that\n"
	    "and prints the answer.\n\nCommands:\n");
	for (i = 0; i < CLI_NCMDS; i++) {
		len = strlen(cli_cmds[i].noun) + 1 + strlen(cli_cmds[i].verb);
		fprintf(f, "  %s %s%*s  %s\n", cli_cmds[i].noun,
		    cli_cmds[i].verb, (int)(w - len), "", cli_cmds[i].help);
	}
	cli_help_options(f, "Global options (anywhere on the line)",
	    cli_globals);
	fprintf(f, "\nRun 'lathe help NOUN' or 'lathe NOUN VERB --help' for "
	    "details.\n");
}

static void
cli_help_noun(FILE *f, const char *noun)
{
	size_t	i;

	fprintf(f, "usage: lathe %s VERB [ARGS]\n\n", noun);
	for (i = 0; i < CLI_NNOUNS; i++) {
		if (strcmp(cli_nouns[i].name, noun) == 0)
			fprintf(f, "%s\n\n", cli_nouns[i].help);
	}
	for (i = 0; i < CLI_NCMDS; i++) {
		if (strcmp(cli_cmds[i].noun, noun) != 0)
			continue;
		fprintf(f, "  lathe %s %s%s%s\n      %s\n", noun,
		    cli_cmds[i].verb, *cli_cmds[i].usage != '\0' ? " " : "",
		    cli_cmds[i].usage, cli_cmds[i].help);
	}
	fprintf(f, "\nRun 'lathe %s VERB --help' for a command's options.\n",
	    noun);
}

static void
cli_help_cmd(FILE *f, const struct cli_cmd *cmd)
{
	cli_usage_line(f, cmd);
	fprintf(f, "\n%s\n", cmd->help);
	cli_help_options(f, "Options", cmd->options);
	cli_help_options(f, "Global options", cli_globals);
}

/*
 * Say what the valid words are and which one was probably meant: nouns
 * when noun is NULL, else its verbs (word NULL: none was given).
 */
static int
cli_unknown(struct cli *cli, const char *noun, const char *word)
{
	struct buf	 all, close;
	size_t		 i;
	const char	*name;
	char		*safe = word != NULL ? cli_safe(word) : NULL;
	const char	*code = wire_error_code(WIRE_INVALID_PARAMETER_VALUE);

	buf_init(&all);
	buf_init(&close);
	for (i = 0; i < (noun == NULL ? CLI_NNOUNS : CLI_NCMDS); i++) {
		if (noun == NULL)
			name = cli_nouns[i].name;
		else if (strcmp(cli_cmds[i].noun, noun) == 0)
			name = cli_cmds[i].verb;
		else
			continue;
		buf_printf(&all, "%s%s", all.len != 0 ? ", " : "", name);
		if (word != NULL && cli_close(word, name))
			buf_printf(&close, "%s'%s'", close.len != 0 ? " or " :
			    "", name);
	}
	if (close.len != 0) {
		buf_printf(&close, "?)");
		buf_done(&all);
		buf_init(&all);
	}
	if (noun == NULL) {
		cli_error(cli, code, "unknown command '%s'%s%s%s", safe,
		    close.len != 0 ? " (did you mean " : "; the commands are ",
		    buf_str(&close), buf_str(&all));
		fprintf(stderr, "usage: lathe [--json] NOUN VERB [ARGS]; see "
		    "'lathe help'\n");
	} else {
		if (word == NULL)
			cli_error(cli, code, "%s needs a verb: %s", noun,
			    buf_str(&all));
		else
			cli_error(cli, code, "unknown verb '%s' for %s%s%s%s",
			    safe, noun, close.len != 0 ? " (did you mean " :
			    "; the verbs are ", buf_str(&close),
			    buf_str(&all));
		fprintf(stderr, "usage: lathe %s VERB [ARGS]; see 'lathe "
		    "help %s'\n", noun, noun);
	}
	free(safe);
	buf_done(&all);
	buf_done(&close);
	return CLI_EXIT_USAGE;
}

/*
 * What is missing when only nargs arguments were given: the usage's
 * nargs-th argument name (the words in capitals before any option).
 */
static char *
cli_missing(const struct cli_cmd *cmd, int nargs)
{
	const char	*p = cmd->usage, *end;
	int		 i = 0;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, " ");
		if (*p < 'A' || *p > 'Z')
			break;
		if (i++ == nargs)
			return xstrndup(p, (size_t)(end - p));
		p = end;
	}
	return xstrdup("arguments");
}

static int
cli_global(const char *arg)
{
	if (strcmp(arg, "--json") == 0)
		return CLI_GLOBAL_JSON;
	if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
		return CLI_GLOBAL_HELP;
	if (strcmp(arg, "--version") == 0)
		return CLI_GLOBAL_VERSION;
	return -1;
}

static int
cli_version(struct cli *cli)
{
	cJSON	*o;

	if (!cli->json) {
		printf("lathe %s\n", PACKAGE_VERSION);
		return CLI_EXIT_OK;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "version", PACKAGE_VERSION);
	cli_print_json(o);
	cJSON_Delete(o);
	return CLI_EXIT_OK;
}

/* The option's name as typed, for messages: "--dir" or "-y". */
static char *
cli_option_spelling(const struct cli_cmd *cmd, int val)
{
	size_t	i, n = cli_noptions(cmd->options);

	if (val >= CLI_OPT_GLOBAL)
		return xasprintf("--%s",
		    cli_globals[val - CLI_OPT_GLOBAL].name);
	if (val >= CLI_OPT_BASE)
		return xasprintf("--%s", cmd->options[val - CLI_OPT_BASE].name);
	for (i = 0; i < n; i++) {
		if (cmd->options[i].short_name == val)
			return xasprintf("-%c", val);
	}
	return xasprintf("-%c", val);
}

/*
 * Parse the command's options (and the global ones) out of argv, whose
 * argv[0] is only a label, in any order with the arguments. Set *first to
 * the index of the first argument. Return -1 or an exit status.
 */
static int
cli_parse(struct cli *cli, int argc, char **argv, int *help, int *version,
    int *first)
{
	const struct cli_cmd	*cmd = cli->cmd;
	struct option		 longopts[CLI_MAX_OPTIONS + 4];
	char			 optstring[3 * CLI_MAX_OPTIONS + 4], *spelling;
	size_t			 i, n = cli_noptions(cmd->options), k = 0, g;
	int			 ch;

	assert(n <= CLI_MAX_OPTIONS);
	optstring[k++] = ':';
	optstring[k++] = 'h';
	for (i = 0; i < n; i++) {
		longopts[i].name = cmd->options[i].name;
		longopts[i].has_arg = cmd->options[i].arg != NULL ?
		    required_argument : no_argument;
		longopts[i].flag = NULL;
		longopts[i].val = CLI_OPT_BASE + (int)i;
		if (cmd->options[i].short_name != 0) {
			optstring[k++] = (char)cmd->options[i].short_name;
			if (cmd->options[i].arg != NULL)
				optstring[k++] = ':';
		}
	}
	optstring[k] = '\0';
	for (g = 0; cli_globals[g].name != NULL; g++) {
		longopts[n + g].name = cli_globals[g].name;
		longopts[n + g].has_arg = no_argument;
		longopts[n + g].flag = NULL;
		longopts[n + g].val = CLI_OPT_GLOBAL + (int)g;
	}
	memset(&longopts[n + g], 0, sizeof longopts[n + g]);

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, optstring, longopts,
	    NULL)) != -1) {
		if (ch == ':') {
			spelling = cli_option_spelling(cmd, optopt);
			ch = cli_usage(cli, "option %s needs a value",
			    spelling);
			free(spelling);
			return ch;
		}
		if (ch == '?') {
			if (optopt >= CLI_OPT_BASE) {
				spelling = cli_option_spelling(cmd, optopt);
				ch = cli_usage(cli, "option %s takes no "
				    "value", spelling);
				free(spelling);
				return ch;
			}
			if (optopt != 0)
				return cli_usage(cli, "unknown option -%c",
				    optopt);
			spelling = cli_safe(argv[optind - 1]);
			ch = cli_usage(cli, "unknown or ambiguous option %s",
			    spelling);
			free(spelling);
			return ch;
		}
		if (ch == 'h' || ch == CLI_OPT_GLOBAL + CLI_GLOBAL_HELP)
			*help = 1;
		else if (ch == CLI_OPT_GLOBAL + CLI_GLOBAL_JSON)
			cli->json = 1;
		else if (ch == CLI_OPT_GLOBAL + CLI_GLOBAL_VERSION)
			*version = 1;
		else {
			if (ch < CLI_OPT_BASE) {
				for (i = 0; i < n; i++) {
					if (cmd->options[i].short_name == ch)
						break;
				}
				assert(i < n);
				ch = CLI_OPT_BASE + (int)i;
			}
			cli_option_add(cli, ch - CLI_OPT_BASE, optarg);
		}
	}
	*first = optind;
	return -1;
}

/*
 * How many arguments followed the "--" that ended the options in orig
 * (the vector as typed, before getopt_long permuted it), or -1 if none
 * did: a "--" taken as an option's value does not count.
 */
static int
cli_find_dashdash(struct cli *cli, int argc, char **orig)
{
	size_t	i, k;
	int	j;

	for (j = 1; j < argc; j++) {
		if (strcmp(orig[j], "--") != 0)
			continue;
		for (i = 0; i < CLI_MAX_OPTIONS; i++) {
			for (k = 0; k < cli->seen[i]; k++) {
				if (cli->values[i][k] == orig[j])
					break;
			}
			if (k < cli->seen[i])
				break;
		}
		if (i == CLI_MAX_OPTIONS)
			return argc - j - 1;
	}
	return -1;
}

/*
 * Find noun and verb among the leading words, taking the global options
 * found before them; the rest is the command's to parse.
 */
int
cli_main(int argc, char **argv)
{
	struct cli		 cli;
	const struct cli_cmd	*cmd;
	const char		*words[2] = { NULL, NULL };
	char			**vec = NULL, **orig = NULL, *safe;
	int			 i, nwords = 0, help = 0, version = 0, opt;
	int			 tui = 0, first = 0, nargs, rc;
	const char		*project = NULL;

	memset(&cli, 0, sizeof cli);
	cli.dashdash = -1;
	/* Errors found before the command's options are parsed honour it. */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--json") == 0)
			cli.json = 1;
	}
	for (i = 1; i < argc && nwords < 2; i++) {
		switch (cli_global(argv[i])) {
		case CLI_GLOBAL_JSON:
			cli.json = 1;
			continue;
		case CLI_GLOBAL_HELP:
			help = 1;
			continue;
		case CLI_GLOBAL_VERSION:
			version = 1;
			continue;
		}
		if (nwords == 0 && strncmp(argv[i], "-p", 2) == 0) {
			/* lathe -p NAME: the interface, on project NAME. */
			if (argv[i][2] == '\0' && ++i == argc)
				return cli_usage(&cli, "option -p needs a "
				    "project name");
			project = argv[i][0] == '-' && argv[i][1] == 'p' &&
			    argv[i][2] != '\0' ? argv[i] + 2 : argv[i];
			tui = 1;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			if (nwords == 1 && !cli_noun_known(words[0]))
				break;
			safe = cli_safe(argv[i]);
			rc = cli_usage(&cli, "unknown option %s%s%s", safe,
			    nwords == 1 ? " before the verb of " : "",
			    nwords == 1 ? words[0] : "");
			free(safe);
			return rc;
		}
		words[nwords++] = argv[i];
		/* A noun that is a command by itself (lathe sweep SCRIPT). */
		if (nwords == 1 && cli_find(argv[i], "") != NULL) {
			i++;
			break;
		}
	}

	if (words[0] != NULL && strcmp(words[0], "help") == 0) {
		/* lathe help [NOUN [VERB]] */
		help = 1;
		words[0] = words[1];
		words[1] = NULL;
		for (; i < argc && words[0] != NULL; i++) {
			if (argv[i][0] != '-') {
				words[1] = argv[i];
				break;
			}
		}
	}
	if (words[0] == NULL) {
		if (version && !help && !tui)
			return cli_version(&cli);
		if (help) {
			cli_help_main(stdout);
			return CLI_EXIT_OK;
		}
		return tui_main(project);
	}
	if (!cli_noun_known(words[0]))
		return cli_unknown(&cli, NULL, words[0]);
	if (words[1] == NULL && (cmd = cli_find(words[0], "")) != NULL)
		goto found;
	if (words[1] == NULL) {
		if (help) {
			cli_help_noun(stdout, words[0]);
			return CLI_EXIT_OK;
		}
		if (version)
			return cli_version(&cli);
		return cli_unknown(&cli, words[0], NULL);
	}
	if ((cmd = cli_find(words[0], words[1])) == NULL)
		return cli_unknown(&cli, words[0], words[1]);
found:
	cli.cmd = cmd;
	if (tui && (opt = cli_option_index(cmd, "project")) < 0)
		return cli_usage(&cli, "-p opens the terminal interface; it "
		    "goes without a command");
	if (help) {
		cli_help_cmd(stdout, cmd);
		return CLI_EXIT_OK;
	}
	/* lathe -p NAME job list: the command's own -p, said first. */
	if (tui)
		cli_option_add(&cli, opt, project);

	/* getopt_long permutes its vector: give it a copy. */
	vec = xcalloc((size_t)(argc - i + 2), sizeof *vec);
	vec[0] = argv[0];
	memcpy(vec + 1, argv + i, (size_t)(argc - i) * sizeof *vec);
	orig = xcalloc((size_t)(argc - i + 2), sizeof *orig);
	memcpy(orig, vec, (size_t)(argc - i + 1) * sizeof *orig);
	if ((rc = cli_parse(&cli, argc - i + 1, vec, &help, &version,
	    &first)) != -1)
		goto out;
	cli.dashdash = cli_find_dashdash(&cli, argc - i + 1, orig);
	if (help) {
		cli_help_cmd(stdout, cmd);
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (version) {
		rc = cli_version(&cli);
		goto out;
	}
	nargs = argc - i + 1 - first;
	if (nargs < cmd->min_args) {
		safe = cli_missing(cmd, nargs);
		rc = cli_usage(&cli, "missing %s", safe);
		free(safe);
		goto out;
	}
	if (cmd->max_args >= 0 && nargs > cmd->max_args) {
		safe = cli_safe(vec[first + cmd->max_args]);
		rc = cli_usage(&cli, "too many arguments, from '%s'", safe);
		free(safe);
		goto out;
	}
	rc = cmd->exec(&cli, nargs, vec + first);
out:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "lathe: cannot write the output: %s\n",
		    strerror(errno));
		if (rc == CLI_EXIT_OK)
			rc = CLI_EXIT_ERROR;
	}
	client_free(cli.client);
	for (opt = 0; opt < CLI_MAX_OPTIONS; opt++)
		free(cli.values[opt]);
	free(orig);
	free(vec);
	return rc;
}
