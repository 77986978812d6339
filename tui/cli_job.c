/*
 * lathe job …: a project's jobs (a script with its arguments, environment,
 * runtime, profile and schedule), starting and stopping their runs. The
 * options of create and edit are turned into the API's JOBSPEC here; the
 * core checks the values (cron expressions, names, ranges) and its
 * messages are shown as they are.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "client.h"
#include "wire.h"
#include "xmalloc.h"

#define CLI_JOB_PREVIEW	5

/* "/api/v1/projects/P/jobs/NAME" + rest (NAME NULL: the list); new. */
static char *
cli_job_path(const char *project, const char *name, const char *rest)
{
	char	*esc, *tail, *path;

	if (name == NULL)
		return cli_project_path(project, "/jobs");
	esc = client_escape(name);
	tail = xasprintf("/jobs/%s%s", esc, rest);
	path = cli_project_path(project, tail);
	free(tail);
	free(esc);
	return path;
}

/* The project and, with name, a job name that is not empty. */
static int
cli_job_args(struct cli *cli, const char *name, const char **project)
{
	int	rc;

	if ((rc = cli_project_option(cli, project)) != 0)
		return rc;
	if (name != NULL && *name == '\0')
		return cli_usage(cli, "the job name must not be empty");
	return 0;
}

/* A whole number given to option; 0 or a usage error's exit status. */
static int
cli_job_number(struct cli *cli, const char *option, const char *what,
    cJSON *spec, const char *field)
{
	const char	*v = cli_value(cli, option);
	char		*end, *safe;
	long long	 n;
	int		 rc;

	if (v == NULL)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0) {
		safe = cli_safe(v);
		rc = cli_usage(cli, "--%s takes %s, not '%s'", option, what,
		    safe);
		free(safe);
		return rc;
	}
	cJSON_AddNumberToObject(spec, field, (double)n);
	return 0;
}

/* The --env K=V options as an object (NULL when none were given). */
static int
cli_job_env(struct cli *cli, cJSON **out)
{
	const char *const	*list;
	const char		*eq;
	size_t			 n, i;
	cJSON			*env;
	char			*key, *safe;
	int			 rc;

	*out = NULL;
	list = cli_values(cli, "env", &n);
	if (n == 0)
		return 0;
	env = cJSON_CreateObject();
	for (i = 0; i < n; i++) {
		if ((eq = strchr(list[i], '=')) == NULL || eq == list[i]) {
			safe = cli_safe(list[i]);
			rc = cli_usage(cli, "--env takes NAME=VALUE, not '%s'",
			    safe);
			free(safe);
			cJSON_Delete(env);
			return rc;
		}
		key = xstrndup(list[i], (size_t)(eq - list[i]));
		cJSON_DeleteItemFromObjectCaseSensitive(env, key);
		cJSON_AddStringToObject(env, key, eq + 1);
		free(key);
	}
	*out = env;
	return 0;
}

/*
 * The script's arguments: the --arg options (with_arg) or what came after
 * "--", the positional arguments after the first fixed ones; "--" last
 * with none after it gives none. Set *out (NULL when none were given).
 * 0 or an exit status.
 */
static int
cli_job_arguments(struct cli *cli, int argc, char **argv, int fixed,
    int with_arg, cJSON **out)
{
	const char *const	*list = NULL;
	size_t			 n = 0, i;
	int			 extra = argc - fixed, dd = cli_dashdash(cli);
	char			*safe;
	int			 rc, after;
	cJSON			*a;

	*out = NULL;
	if (with_arg)
		list = cli_values(cli, "arg", &n);
	if (extra > 0 && dd < extra) {
		safe = cli_safe(argv[fixed]);
		rc = cli_usage(cli, "too many arguments, from '%s': put the "
		    "script's arguments after --%s", safe, with_arg ?
		    " (or give each with --arg)" : "");
		free(safe);
		return rc;
	}
	/* A "--" before the name only ends the options, unless last. */
	after = dd >= 0 && (extra > 0 || dd == 0);
	if (n > 0 && after)
		return cli_usage(cli, "give the script's arguments with --arg "
		    "or after --, not both");
	if (n == 0 && !after)
		return 0;
	a = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(list[i]));
	for (; extra > 0 && fixed < argc; fixed++)
		cJSON_AddItemToArray(a, cJSON_CreateString(argv[fixed]));
	*out = a;
	return 0;
}

/*
 * Check the schedule options: one kind of schedule at most, and (on
 * create) a zone only with an expression. 0 or a usage error's status.
 */
static int
cli_job_schedule_check(struct cli *cli, int edit)
{
	int	n;

	n = (cli_value(cli, "cron") != NULL) +
	    (cli_value(cli, "after") != NULL) +
	    (edit && cli_flag(cli, "manual"));
	if (n > 1)
		return cli_usage(cli, "give one schedule: %s", edit ?
		    "--cron, --after or --manual" : "--cron or --after");
	if (!edit && cli_value(cli, "timezone") != NULL &&
	    cli_value(cli, "cron") == NULL)
		return cli_usage(cli, "--timezone goes with --cron");
	return 0;
}

/* Whether editing the schedule needs the job as it is. */
static int
cli_job_schedule_needs_job(struct cli *cli)
{
	return (cli_value(cli, "cron") == NULL) !=
	    (cli_value(cli, "timezone") == NULL);
}

/*
 * Add the schedule of --cron, --timezone, --after and (edit) --manual to
 * spec, checked by cli_job_schedule_check. current is the job being
 * edited when cli_job_schedule_needs_job, else NULL: a new expression
 * keeps its zone, a new zone its expression.
 */
static int
cli_job_schedule_spec(struct cli *cli, int edit, const cJSON *current,
    cJSON *spec)
{
	const char	*cron = cli_value(cli, "cron");
	const char	*tz = cli_value(cli, "timezone");
	const char	*after = cli_value(cli, "after");
	const cJSON	*cur = cJSON_GetObjectItemCaseSensitive(current,
			    "schedule");
	int		 manual = edit && cli_flag(cli, "manual");
	int		 is_cron = cli_get(cur, "type") != NULL &&
			    strcmp(cli_get(cur, "type"), "cron") == 0;
	char		*name;
	cJSON		*s;
	int		 rc;

	if (tz != NULL && cron == NULL && !is_cron) {
		name = cli_safe(cli_get(current, "name"));
		rc = cli_error(cli, wire_error_code(
		    WIRE_INVALID_PARAMETER_VALUE), "--timezone goes with "
		    "--cron: job %s has no cron schedule", name);
		free(name);
		return rc;
	}
	if (cron == NULL && tz == NULL && after == NULL && !manual)
		return 0;
	s = cJSON_AddObjectToObject(spec, "schedule");
	if (manual)
		cJSON_AddStringToObject(s, "type", "manual");
	else if (after != NULL) {
		cJSON_AddStringToObject(s, "type", "dependent");
		cJSON_AddStringToObject(s, "parent", after);
	} else {
		cJSON_AddStringToObject(s, "type", "cron");
		cJSON_AddStringToObject(s, "cron", cron != NULL ? cron :
		    cli_get(cur, "cron"));
		if (tz == NULL && is_cron)
			tz = cli_get(cur, "timezone");
		if (tz != NULL)
			cJSON_AddStringToObject(s, "timezone", tz);
	}
	return 0;
}

/*
 * The JOBSPEC the options describe, but for the schedule: every field
 * given, and only those. fixed is how many positional arguments come
 * before the script's; edit says whether a job is being changed.
 */
static int
cli_job_spec(struct cli *cli, int argc, char **argv, int fixed, int edit,
    cJSON **out)
{
	static const struct {
		const char	*option;
		const char	*field;
	} strings[] = {
		{ "runtime", "runtime" },
		{ "profile", "profile" },
	};
	static const struct {
		const char	*option;
		const char	*what;
		const char	*field;
	} numbers[] = {
		{ "timeout", "a number of seconds (0: no limit)",
		  "timeout_seconds" },
		{ "retries", "a number of retries", "retries" },
		{ "backoff", "a number of seconds", "retry_backoff_seconds" },
		{ "max-concurrent", "a number of runs", "max_concurrent" },
	};
	const char	*v;
	cJSON		*spec, *args = NULL, *env = NULL;
	size_t		 i;
	int		 rc;

	if ((rc = cli_job_schedule_check(cli, edit)) != 0)
		return rc;
	spec = cJSON_CreateObject();
	if ((rc = cli_job_arguments(cli, argc, argv, fixed, 1, &args)) != 0)
		goto out;
	if (edit && cli_flag(cli, "no-args")) {
		if (args != NULL) {
			rc = cli_usage(cli, "--no-args clears the arguments: "
			    "give no others");
			goto out;
		}
		args = cJSON_CreateArray();
	}
	if (args != NULL) {
		cJSON_AddItemToObject(spec, "arguments", args);
		args = NULL;
	}
	if ((rc = cli_job_env(cli, &env)) != 0)
		goto out;
	if (edit && cli_flag(cli, "no-env")) {
		if (env != NULL) {
			rc = cli_usage(cli, "--no-env clears the variables: "
			    "give no --env");
			goto out;
		}
		env = cJSON_CreateObject();
	}
	if (env != NULL) {
		cJSON_AddItemToObject(spec, "env", env);
		env = NULL;
	}
	if (edit && (v = cli_value(cli, "name")) != NULL)
		cJSON_AddStringToObject(spec, "name", v);
	if (edit && (v = cli_value(cli, "script")) != NULL)
		cJSON_AddStringToObject(spec, "script", v);
	for (i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		if ((v = cli_value(cli, strings[i].option)) != NULL)
			cJSON_AddStringToObject(spec, strings[i].field, v);
	}
	for (i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		if ((rc = cli_job_number(cli, numbers[i].option,
		    numbers[i].what, spec, numbers[i].field)) != 0)
			goto out;
	}
	if (edit && cli_flag(cli, "paused") && cli_flag(cli, "unpause")) {
		rc = cli_usage(cli, "--paused and --unpause: give one");
		goto out;
	}
	if (cli_flag(cli, "paused"))
		cJSON_AddTrueToObject(spec, "paused");
	if (edit && cli_flag(cli, "unpause"))
		cJSON_AddFalseToObject(spec, "paused");
	*out = spec;
	spec = NULL;
	rc = 0;
out:
	cJSON_Delete(args);
	cJSON_Delete(env);
	cJSON_Delete(spec);
	return rc;
}

/* How a job's schedule reads: "manual", "0 3 * * * (UTC)", "after a". */
static char *
cli_job_schedule(const cJSON *job)
{
	const cJSON	*s = cJSON_GetObjectItemCaseSensitive(job, "schedule");
	const char	*type = cli_get(s, "type"), *paused;
	char		*text;

	paused = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(job,
	    "paused")) ? ", paused" : "";
	if (type != NULL && strcmp(type, "cron") == 0)
		text = xasprintf("%s (%s)%s", cli_get(s, "cron") != NULL ?
		    cli_get(s, "cron") : "", cli_get(s, "timezone") != NULL ?
		    cli_get(s, "timezone") : "", paused);
	else if (type != NULL && strcmp(type, "dependent") == 0)
		text = xasprintf("after %s%s", cli_get(s, "parent") != NULL ?
		    cli_get(s, "parent") : "?", paused);
	else
		text = xasprintf("%s%s", type != NULL ? type : "manual",
		    paused);
	return text;
}

/* When a run happened, for lists: its end, else its start, else queued. */
static int64_t
cli_job_run_when(const cJSON *run)
{
	int64_t	ms;

	if ((ms = cli_get_int(run, "ended_ms", 0)) > 0)
		return ms;
	if ((ms = cli_get_int(run, "started_ms", 0)) > 0)
		return ms;
	return cli_get_int(run, "queued_ms", 0);
}

int
cli_job_create(struct cli *cli, int argc, char **argv)
{
	const char	*project;
	cJSON		*spec = NULL, *answer = NULL;
	char		*path, *name, *id;
	int		 rc;

	if ((rc = cli_job_args(cli, argv[0], &project)) != 0)
		return rc;
	if (*argv[1] == '\0')
		return cli_usage(cli, "the script must not be empty");
	if ((rc = cli_job_spec(cli, argc, argv, 2, 0, &spec)) != 0)
		return rc;
	cli_job_schedule_spec(cli, 0, NULL, spec);
	cJSON_AddStringToObject(spec, "name", argv[0]);
	cJSON_AddStringToObject(spec, "script", argv[1]);
	path = cli_job_path(project, NULL, "");
	rc = cli_request(cli, "POST", path, spec, &answer);
	free(path);
	cJSON_Delete(spec);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		name = cli_safe(cli_get(answer, "name"));
		id = cli_safe(cli_get(answer, "id"));
		printf("created job %s (id %s)\n", name, id);
		free(name);
		free(id);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_job_edit(struct cli *cli, int argc, char **argv)
{
	const char	*project;
	cJSON		*spec = NULL, *current = NULL, *answer = NULL;
	char		*path, *name, *id;
	int		 rc;

	if ((rc = cli_job_args(cli, argv[0], &project)) != 0)
		return rc;
	if ((cli_value(cli, "script") != NULL &&
	    *cli_value(cli, "script") == '\0'))
		return cli_usage(cli, "the script must not be empty");
	if ((rc = cli_job_spec(cli, argc, argv, 1, 1, &spec)) != 0)
		return rc;
	if (cJSON_GetArraySize(spec) == 0 && cli_value(cli, "cron") == NULL &&
	    cli_value(cli, "timezone") == NULL &&
	    cli_value(cli, "after") == NULL && !cli_flag(cli, "manual")) {
		cJSON_Delete(spec);
		return cli_usage(cli, "nothing to change: give the options "
		    "to change (see 'lathe job edit --help')");
	}
	rc = CLI_EXIT_ERROR;
	path = cli_job_path(project, argv[0], "");
	/* The job as it is: a new zone keeps its expression and so on. */
	if (cli_job_schedule_needs_job(cli) &&
	    cli_request(cli, "GET", path, NULL, &current) != 0)
		goto out;
	if (cli_job_schedule_spec(cli, 1, current, spec) != 0)
		goto out;
	if (cli_request(cli, "PATCH", path, spec, &answer) != 0)
		goto out;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		name = cli_safe(cli_get(answer, "name"));
		id = cli_safe(cli_get(answer, "id"));
		printf("updated job %s (id %s)\n", name, id);
		free(name);
		free(id);
	}
	rc = CLI_EXIT_OK;
out:
	free(path);
	cJSON_Delete(spec);
	cJSON_Delete(current);
	cJSON_Delete(answer);
	return rc;
}

int
cli_job_list(struct cli *cli, int argc, char **argv)
{
	static const char *const headers[] = {
		"NAME", "SCRIPT", "SCHEDULE", "LAST RUN", "AT", "NEXT"
	};
	struct cli_table	*t;
	const cJSON		*list, *j, *last;
	const char		*project, *cells[6], *status, *sgr;
	cJSON			*answer = NULL;
	char			*path, *sched, *safe, shown[64], at[64];
	char			 next[64];
	int			 rc;

	if ((rc = cli_job_args(cli, NULL, &project)) != 0)
		return rc;
	path = cli_job_path(project, NULL, "");
	rc = cli_request_pages(cli, path, "jobs", &answer);
	free(path);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	list = cJSON_GetObjectItemCaseSensitive(answer, "jobs");
	if (cJSON_GetArraySize(list) == 0) {
		safe = cli_safe(project);
		printf("no jobs in project %s: make one with 'lathe job "
		    "create NAME SCRIPT -p %s'\n", safe, safe);
		free(safe);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	t = cli_table_new(6, headers);
	cJSON_ArrayForEach(j, list) {
		last = cJSON_GetObjectItemCaseSensitive(j, "last_run");
		status = cli_get(last, "status");
		sched = cli_job_schedule(j);
		if (status != NULL)
			cli_run_status(status, shown, sizeof shown);
		cli_time_ms(cli_job_run_when(last), at, sizeof at);
		cli_time_ms(cli_get_int(j, "next_fire_ms", 0), next,
		    sizeof next);
		cells[0] = cli_get(j, "name");
		cells[1] = cli_get(j, "script");
		cells[2] = sched;
		cells[3] = status != NULL ? shown : NULL;
		cells[4] = at;
		cells[5] = next;
		cli_table_add(t, cells);
		if ((sgr = cli_run_color(status)) != NULL)
			cli_table_style(t, 3, sgr);
		free(sched);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

/* Print a field whose value is a ready, escaped line (or "-"). */
static void
cli_job_line(const char *label, const char *escaped)
{
	printf("%-12s %s\n", label, *escaped != '\0' ? escaped : "-");
}

/* The next fire times of a cron job, from the core's cron preview. */
static void
cli_job_show_next(struct cli *cli, const cJSON *job)
{
	const cJSON	*s = cJSON_GetObjectItemCaseSensitive(job, "schedule");
	const cJSON	*times, *ms;
	cJSON		*answer = NULL;
	char		*expr, *tz, *path, t[64];
	const char	*label;
	int		 i = 0;

	if (cli_get(s, "type") == NULL || strcmp(cli_get(s, "type"),
	    "cron") != 0 || cli_get(s, "cron") == NULL)
		return;
	expr = client_escape(cli_get(s, "cron"));
	tz = client_escape(cli_get(s, "timezone") != NULL ?
	    cli_get(s, "timezone") : "");
	path = xasprintf("/api/v1/cron?expr=%s&timezone=%s&count=%d", expr,
	    tz, CLI_JOB_PREVIEW);
	free(expr);
	free(tz);
	if (cli_request(cli, "GET", path, NULL, &answer) != 0) {
		free(path);
		return;
	}
	free(path);
	label = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(job,
	    "paused")) ? "if unpaused" : "next";
	times = cJSON_GetObjectItemCaseSensitive(answer, "next_ms");
	cJSON_ArrayForEach(ms, times) {
		if (!cJSON_IsNumber(ms))
			continue;
		cli_time_ms((int64_t)ms->valuedouble, t, sizeof t);
		printf("%-12s %s\n", i++ == 0 ? label : "", t);
	}
	cJSON_Delete(answer);
}

/* The last run on one line: id, status, when, how long, why. */
static void
cli_job_show_last(const cJSON *last)
{
	const char	*status = cli_get(last, "status"), *sgr;
	const char	*reason = cli_get(last, "reason");
	char		 shown[64], at[64], took[32], *id, *st, *why;
	int64_t		 ms;

	if (!cJSON_IsObject(last)) {
		cli_field("last run", NULL);
		return;
	}
	cli_run_status(status, shown, sizeof shown);
	st = cli_safe(shown);
	id = cli_safe(cli_get(last, "id"));
	cli_time_ms(cli_job_run_when(last), at, sizeof at);
	ms = cli_get_int(last, "duration_ms", -1);
	if (ms >= 0)
		cli_duration(ms, took, sizeof took);
	printf("%-12s %s  ", "last run", id);
	if ((sgr = cli_run_color(status)) != NULL)
		printf("\033[%sm%s\033[0m", sgr, st);
	else
		fputs(st, stdout);
	printf("  %s%s%s%s", at, ms >= 0 ? " (" : "", ms >= 0 ? took : "",
	    ms >= 0 ? ")" : "");
	if (reason != NULL && *reason != '\0') {
		why = cli_safe(reason);
		printf("  %s", why);
		free(why);
	}
	putchar('\n');
	free(st);
	free(id);
}

int
cli_job_show(struct cli *cli, int argc, char **argv)
{
	const cJSON	*env, *e;
	const char	*project, *v;
	cJSON		*answer = NULL;
	char		*path, *text, *key, *value, t[64];
	int64_t		 n;
	int		 rc, first = 1;

	if ((rc = cli_job_args(cli, argv[0], &project)) != 0)
		return rc;
	path = cli_job_path(project, argv[0], "");
	rc = cli_request(cli, "GET", path, NULL, &answer);
	free(path);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	cli_field("name", cli_get(answer, "name"));
	cli_field("id", cli_get(answer, "id"));
	cli_field("project", cli_get(answer, "project"));
	cli_field("script", cli_get(answer, "script"));
	text = cli_words(cJSON_GetObjectItemCaseSensitive(answer,
	    "arguments"));
	cli_job_line("arguments", text);
	free(text);
	v = cli_get(answer, "runtime");
	cli_field("runtime", v != NULL && *v != '\0' ? v :
	    "the project's default");
	v = cli_get(answer, "profile");
	cli_field("profile", v != NULL && *v != '\0' ? v :
	    "the project's default");
	env = cJSON_GetObjectItemCaseSensitive(answer, "env");
	cJSON_ArrayForEach(e, env) {
		key = cli_safe(e->string);
		value = cli_safe(cJSON_IsString(e) ? e->valuestring : NULL);
		printf("%-12s %s=%s\n", first ? "env" : "", key, value);
		first = 0;
		free(key);
		free(value);
	}
	if (first)
		cli_field("env", NULL);
	text = cli_job_schedule(answer);
	cli_field("schedule", text);
	free(text);
	cli_job_show_next(cli, answer);
	n = cli_get_int(answer, "timeout_seconds", 0);
	if (n > 0) {
		cli_duration(n * 1000, t, sizeof t);
		cli_field("timeout", t);
	} else
		cli_field("timeout", "none");
	n = cli_get_int(answer, "retries", 0);
	cli_duration(cli_get_int(answer, "retry_backoff_seconds", 0) * 1000,
	    t, sizeof t);
	text = n > 0 ? xasprintf("%lld, %s apart", (long long)n, t) :
	    xstrdup("none");
	cli_field("retries", text);
	free(text);
	text = xasprintf("%lld at once",
	    (long long)cli_get_int(answer, "max_concurrent", 1));
	cli_field("runs", text);
	free(text);
	cli_job_show_last(cJSON_GetObjectItemCaseSensitive(answer,
	    "last_run"));
	text = cli_words(cJSON_GetObjectItemCaseSensitive(answer,
	    "dependents"));
	cli_job_line("dependents", text);
	free(text);
	cli_time_ms(cli_get_int(answer, "created_ms", 0), t, sizeof t);
	cli_field("created", t);
	cli_time_ms(cli_get_int(answer, "updated_ms", 0), t, sizeof t);
	cli_field("updated", t);
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_job_run(struct cli *cli, int argc, char **argv)
{
	const char	*project;
	cJSON		*body = NULL, *args = NULL, *env = NULL;
	cJSON		*answer = NULL, *run = NULL;
	char		*path, *id = NULL, *job, *rid;
	int		 rc, json = cli_json(cli);

	if ((rc = cli_job_args(cli, argv[0], &project)) != 0)
		return rc;
	if ((rc = cli_job_arguments(cli, argc, argv, 1, 0, &args)) != 0 ||
	    (rc = cli_job_env(cli, &env)) != 0) {
		cJSON_Delete(args);
		return rc;
	}
	body = cJSON_CreateObject();
	if (args != NULL)
		cJSON_AddItemToObject(body, "arguments", args);
	if (env != NULL)
		cJSON_AddItemToObject(body, "env", env);
	path = cli_job_path(project, argv[0], "/runs");
	rc = cli_request(cli, "POST", path, body, &answer);
	free(path);
	cJSON_Delete(body);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	rc = CLI_EXIT_ERROR;
	id = xstrdup(cli_get(answer, "id") != NULL ? cli_get(answer, "id") :
	    "");
	if (!cli_flag(cli, "follow")) {
		if (json)
			cli_print_json(answer);
		else {
			/* The run's id alone, for scripts. */
			rid = cli_safe(id);
			printf("%s\n", rid);
			free(rid);
		}
		rc = CLI_EXIT_OK;
		goto out;
	}
	rid = cli_safe(id);
	job = cli_safe(cli_get(answer, "job"));
	fprintf(stderr, "run %s of job %s\n", rid, job);
	free(rid);
	free(job);
	/* With --json the log goes to stderr and the run to stdout. */
	if (cli_run_follow(cli, project, id, 0, json ? stderr : stdout, NULL,
	    NULL, &run) != 0)
		goto out;
	fflush(stdout);
	cli_run_outcome(run, stderr);
	if (json)
		cli_print_json(run);
	rc = cli_get(run, "status") != NULL &&
	    strcmp(cli_get(run, "status"), "succeeded") == 0 ?
	    CLI_EXIT_OK : CLI_EXIT_ERROR;
out:
	free(id);
	cJSON_Delete(run);
	cJSON_Delete(answer);
	return rc;
}

/* Stop one run; a run that ended meanwhile is no error. */
static int
cli_job_stop_one(struct cli *cli, const char *project, const char *id,
    cJSON *stopped)
{
	struct client	*c;
	cJSON		*answer = NULL;
	char		*esc, *rest, *path, *cause = NULL, *safe;
	const char	*code;
	long		 status;
	int		 rc = -1;

	if ((c = cli_client(cli)) == NULL)
		return -1;
	esc = client_escape(id);
	rest = xasprintf("/runs/%s/stop", esc);
	path = cli_project_path(project, rest);
	free(esc);
	free(rest);
	if (client_call(c, "POST", path, NULL, &status, &answer,
	    &cause) != 0) {
		cli_report_transport(cli, c, cause);
		goto out;
	}
	code = cli_get(answer, "error_code");
	if (status >= 200 && status <= 299) {
		if (!cli_json(cli)) {
			safe = cli_safe(id);
			printf("%s run %s\n", cJSON_IsTrue(
			    cJSON_GetObjectItemCaseSensitive(answer,
			    "active")) ? "stopping" : "stopped", safe);
			free(safe);
		}
		cJSON_AddItemToArray(stopped, answer);
		answer = NULL;
	} else if (code == NULL || strcmp(code,
	    wire_error_code(WIRE_INVALID_STATE)) != 0) {
		cli_report_answer(cli, status, answer);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(answer);
	free(path);
	return rc;
}

int
cli_job_stop(struct cli *cli, int argc, char **argv)
{
	/* Queued runs first, so that none starts as a running one ends. */
	static const char *const active[] = { "queued", "starting",
	    "running" };
	const cJSON	*r;
	const char	*project;
	cJSON		*page = NULL, *out = NULL, *stopped;
	char		*base, *path, *safe;
	size_t		 i;
	int		 rc;

	if ((rc = cli_job_args(cli, argv[0], &project)) != 0)
		return rc;
	rc = CLI_EXIT_ERROR;
	out = cJSON_CreateObject();
	stopped = cJSON_AddArrayToObject(out, "runs");
	base = cli_job_path(project, argv[0], "/runs?page_size=1000");
	for (i = 0; i < sizeof active / sizeof active[0]; i++) {
		path = xasprintf("%s&status=%s", base, active[i]);
		if (cli_request_pages(cli, path, "runs", &page) != 0) {
			free(path);
			goto out;
		}
		free(path);
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(page,
		    "runs")) {
			if (cli_get(r, "id") != NULL && cli_job_stop_one(cli,
			    project, cli_get(r, "id"), stopped) != 0)
				goto out;
		}
		cJSON_Delete(page);
		page = NULL;
	}
	if (cli_json(cli))
		cli_print_json(out);
	else if (cJSON_GetArraySize(stopped) == 0) {
		safe = cli_safe(argv[0]);
		printf("job %s has no runs going\n", safe);
		free(safe);
	}
	rc = CLI_EXIT_OK;
out:
	free(base);
	cJSON_Delete(page);
	cJSON_Delete(out);
	return rc;
}

int
cli_job_rm(struct cli *cli, int argc, char **argv)
{
	const char	*project, *real;
	cJSON		*answer = NULL, *job = NULL;
	char		*path, *safe, *proj;
	int		 rc;

	if ((rc = cli_job_args(cli, argv[0], &project)) != 0)
		return rc;
	if (!cli_flag(cli, "yes") && !isatty(STDIN_FILENO)) {
		safe = cli_safe(argv[0]);
		rc = cli_usage(cli, "standard input is not a terminal, so "
		    "lathe cannot ask: pass --yes to delete job %s", safe);
		free(safe);
		return rc;
	}
	path = cli_job_path(project, argv[0], "");
	rc = CLI_EXIT_ERROR;
	if (!cli_flag(cli, "yes")) {
		if (cli_request(cli, "GET", path, NULL, &job) != 0)
			goto out;
		if ((real = cli_get(job, "name")) == NULL) {
			cli_error(cli, wire_error_code(WIRE_INTERNAL_ERROR),
			    "the answer of lathed has no job name");
			goto out;
		}
		safe = cli_safe(real);
		proj = cli_safe(project);
		fprintf(stderr, "Job %s of project %s will be deleted with "
		    "its runs and their logs; runs going are stopped.\n", safe,
		    proj);
		free(safe);
		free(proj);
		if ((rc = cli_confirm(cli, "job", real)) != 0)
			goto out;
		rc = CLI_EXIT_ERROR;
	}
	if (cli_request(cli, "DELETE", path, NULL, &answer) != 0)
		goto out;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		safe = cli_safe(argv[0]);
		printf("deleted job %s\n", safe);
		free(safe);
	}
	rc = CLI_EXIT_OK;
out:
	free(path);
	cJSON_Delete(job);
	cJSON_Delete(answer);
	return rc;
}

/*
 * `lathe sweep SCRIPT --param K=V1,V2 ...`: the grid of values run as job
 * runs, each an MLflow run carrying its point.
 */
int
cli_sweep(struct cli *cli, int argc, char **argv)
{
	const char		*project, *v;
	const char *const	*list;
	cJSON			*body, *params, *axis, *answer = NULL, *run;
	char			*path, *copy, *eq, *item, *save, *job, *id;
	char			*end;
	size_t			 n, i;
	long			 parallel;
	int			 rc;

	if ((rc = cli_job_args(cli, NULL, &project)) != 0)
		return rc;
	if (*argv[0] == '\0')
		return cli_usage(cli, "the script must not be empty");
	list = cli_values(cli, "param", &n);
	if (n == 0)
		return cli_usage(cli, "give at least one --param NAME=V1,V2");
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "script", argv[0]);
	params = cJSON_AddObjectToObject(body, "params");
	for (i = 0; i < n; i++) {
		copy = xstrdup(list[i]);
		if ((eq = strchr(copy, '=')) == NULL || eq == copy ||
		    eq[1] == '\0') {
			free(copy);
			cJSON_Delete(body);
			return cli_usage(cli, "--param %s: give NAME=V1,V2,...",
			    list[i]);
		}
		*eq = '\0';
		if (cJSON_GetObjectItemCaseSensitive(params, copy) != NULL) {
			cJSON_Delete(body);
			rc = cli_usage(cli, "--param %s is given twice", copy);
			free(copy);
			return rc;
		}
		axis = cJSON_AddArrayToObject(params, copy);
		for (item = strtok_r(eq + 1, ",", &save); item != NULL;
		    item = strtok_r(NULL, ",", &save))
			cJSON_AddItemToArray(axis, cJSON_CreateString(item));
		free(copy);
	}
	if ((v = cli_value(cli, "parallel")) != NULL) {
		parallel = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || parallel < 1 ||
		    parallel > 1000) {
			cJSON_Delete(body);
			return cli_usage(cli, "--parallel must be a number from "
			    "1 to 1000");
		}
		cJSON_AddNumberToObject(body, "parallel", (double)parallel);
	}
	if ((v = cli_value(cli, "name")) != NULL)
		cJSON_AddStringToObject(body, "name", v);
	if ((v = cli_value(cli, "experiment")) != NULL)
		cJSON_AddStringToObject(body, "experiment", v);
	path = cli_project_path(project, "/sweeps");
	rc = cli_request(cli, "POST", path, body, &answer);
	free(path);
	cJSON_Delete(body);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	job = cli_safe(cli_get(cJSON_GetObjectItem(answer, "job"), "name"));
	printf("sweep of %d runs as job %s; runs:",
	    cJSON_GetArraySize(cJSON_GetObjectItem(answer, "runs")), job);
	cJSON_ArrayForEach(run, cJSON_GetObjectItem(answer, "runs")) {
		id = cli_safe(cli_get(run, "id"));
		printf(" %s", id);
		free(id);
	}
	printf("\n");
	free(job);
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}
