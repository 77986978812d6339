/*
 * lathe project …: create, list, show, update and delete projects, their
 * environment variables, and read their files. Paths given for --dir and
 * --archive are made absolute here because the core resolves them, not
 * from the directory lathe runs in.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"
#include "cli.h"
#include "client.h"
#include "wire.h"
#include "xmalloc.h"

#define CLI_PROJECT_CHUNK	1048576

static const char *
cli_project_bad(void)
{
	return wire_error_code(WIRE_INVALID_PARAMETER_VALUE);
}

char *
cli_project_path(const char *name, const char *rest)
{
	char	*esc = client_escape(name), *path;

	path = xasprintf("/api/v1/projects/%s%s", esc, rest);
	free(esc);
	return path;
}

/* An empty name would address the list of projects instead. */
static int
cli_project_check_name(struct cli *cli, const char *name)
{
	if (*name == '\0')
		return cli_usage(cli, "the project name must not be empty");
	return 0;
}

int
cli_project_option(struct cli *cli, const char **name)
{
	const char	*v = cli_value(cli, "project");

	if (v == NULL)
		return cli_usage(cli, "which project? Give it with -p PROJECT "
		    "(or --project PROJECT); 'lathe project list' lists them");
	if (cli_project_check_name(cli, v) != 0)
		return CLI_EXIT_USAGE;
	*name = v;
	return 0;
}

/*
 * The absolute path of a --dir (want_dir) or --archive argument, or NULL
 * after saying what is wrong with it.
 */
static char *
cli_project_abs(struct cli *cli, const char *option, const char *path,
    int want_dir)
{
	struct stat	 st;
	char		*abs, *safe = cli_safe(path), *result = NULL;

	if ((abs = realpath(path, NULL)) == NULL || stat(abs, &st) != 0) {
		cli_error(cli, cli_project_bad(), "%s %s: %s", option, safe,
		    strerror(errno));
		goto out;
	}
	if (want_dir && !S_ISDIR(st.st_mode)) {
		cli_error(cli, cli_project_bad(), "%s %s: not a directory",
		    option, safe);
		goto out;
	}
	if (!want_dir && !S_ISREG(st.st_mode)) {
		cli_error(cli, cli_project_bad(), "%s %s: not a file%s",
		    option, safe, S_ISDIR(st.st_mode) ?
		    " (use --dir for a directory)" : "");
		goto out;
	}
	result = abs;
	abs = NULL;
out:
	free(safe);
	free(abs);
	return result;
}

int
cli_project_create(struct cli *cli, int argc, char **argv)
{
	static const char *const sources[] = {
		"dir", "archive", "git", "template"
	};
	const char	*type = "template", *location = "blank", *v;
	const char	*given = NULL;
	char		*abs = NULL, *name = NULL, *id = NULL, *path = NULL;
	cJSON		*body = NULL, *src, *answer = NULL;
	size_t		 i;
	int		 rc;

	if ((rc = cli_project_check_name(cli, argv[0])) != 0)
		return rc;
	for (i = 0; i < sizeof sources / sizeof sources[0]; i++) {
		if (cli_value(cli, sources[i]) == NULL)
			continue;
		if (given != NULL)
			return cli_usage(cli, "--%s and --%s: give only one "
			    "source (--dir, --archive, --git or --template)",
			    given, sources[i]);
		given = sources[i];
	}
	if (cli_flag(cli, "copy") && cli_value(cli, "dir") == NULL)
		return cli_usage(cli, "--copy goes with --dir PATH");

	rc = CLI_EXIT_ERROR;
	if ((v = cli_value(cli, "dir")) != NULL) {
		if ((abs = cli_project_abs(cli, "--dir", v, 1)) == NULL)
			goto out;
		type = cli_flag(cli, "copy") ? "copy" : "dir";
		location = abs;
	} else if ((v = cli_value(cli, "archive")) != NULL) {
		if ((abs = cli_project_abs(cli, "--archive", v, 0)) == NULL)
			goto out;
		type = "archive";
		location = abs;
	} else if ((v = cli_value(cli, "git")) != NULL) {
		type = "git";
		location = v;
	} else if ((v = cli_value(cli, "template")) != NULL)
		location = v;

	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", argv[0]);
	if ((v = cli_value(cli, "description")) != NULL)
		cJSON_AddStringToObject(body, "description", v);
	if ((v = cli_value(cli, "runtime")) != NULL)
		cJSON_AddStringToObject(body, "default_runtime", v);
	if ((v = cli_value(cli, "profile")) != NULL)
		cJSON_AddStringToObject(body, "default_profile", v);
	src = cJSON_AddObjectToObject(body, "source");
	cJSON_AddStringToObject(src, "type", type);
	cJSON_AddStringToObject(src, "location", location);
	if (cli_request(cli, "POST", "/api/v1/projects", body, &answer) != 0)
		goto out;

	if (cli_json(cli))
		cli_print_json(answer);
	else {
		name = cli_safe(cli_get(answer, "name"));
		id = cli_safe(cli_get(answer, "id"));
		path = cli_safe(cli_get(answer, "path"));
		printf("created project %s (id %s) in %s\n", name, id, path);
	}
	rc = CLI_EXIT_OK;
out:
	free(name);
	free(id);
	free(path);
	free(abs);
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return rc;
}

int
cli_project_list(struct cli *cli, int argc, char **argv)
{
	static const char *const headers[] = {
		"NAME", "ID", "SOURCE", "UPDATED", "PATH"
	};
	struct cli_table	*t;
	const cJSON		*list, *p;
	const char		*cells[5];
	cJSON			*answer = NULL;
	char			 updated[64];

	if (cli_request_pages(cli, "/api/v1/projects?page_size=1000",
	    "projects", &answer) != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	list = cJSON_GetObjectItemCaseSensitive(answer, "projects");
	if (cJSON_GetArraySize(list) == 0) {
		printf("no projects: make one with 'lathe project create "
		    "NAME'\n");
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	t = cli_table_new(5, headers);
	cJSON_ArrayForEach(p, list) {
		cli_time(cli_get(p, "updated_at"), updated, sizeof updated);
		cells[0] = cli_get(p, "name");
		cells[1] = cli_get(p, "id");
		cells[2] = cli_get(cJSON_GetObjectItemCaseSensitive(p,
		    "source"), "type");
		cells[3] = updated;
		cells[4] = cli_get(p, "path");
		cli_table_add(t, cells);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

/* Print a multi-line value, its continuation lines under its first. */
static void
cli_project_field_lines(const char *label, const char *value)
{
	struct buf	 b;
	const char	*s;

	if (value == NULL || *value == '\0') {
		cli_field(label, NULL);
		return;
	}
	buf_init(&b);
	cli_escape(&b, value, strlen(value), CLI_ESCAPE_LINES |
	    CLI_ESCAPE_FINAL);
	printf("%-12s ", label);
	for (s = buf_str(&b); *s != '\0'; s++) {
		putchar(*s);
		if (*s == '\n' && s[1] != '\0')
			printf("%-12s ", "");
	}
	putchar('\n');
	buf_done(&b);
}

int
cli_project_show(struct cli *cli, int argc, char **argv)
{
	const cJSON	*src, *adopted;
	const char	*v;
	cJSON		*answer = NULL;
	char		*path, *where, t[64];
	int		 rc;

	if ((rc = cli_project_check_name(cli, argv[0])) != 0)
		return rc;
	path = cli_project_path(argv[0], "");
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
	cli_project_field_lines("description", cli_get(answer, "description"));
	src = cJSON_GetObjectItemCaseSensitive(answer, "source");
	v = cli_get(src, "location");
	where = xasprintf("%s%s%s", cli_get(src, "type") != NULL ?
	    cli_get(src, "type") : "-", v != NULL && *v != '\0' ? " " : "",
	    v != NULL ? v : "");
	cli_field("source", where);
	free(where);
	cli_field("path", cli_get(answer, "path"));
	adopted = cJSON_GetObjectItemCaseSensitive(answer, "adopted");
	if (cJSON_IsBool(adopted))
		cli_field("files", cJSON_IsTrue(adopted) ?
		    "adopted: they stay where they are" : "owned by lathe");
	v = cli_get(answer, "default_runtime");
	cli_field("runtime", v != NULL && *v != '\0' ? v : NULL);
	v = cli_get(answer, "default_profile");
	cli_field("profile", v != NULL && *v != '\0' ? v : NULL);
	cli_time(cli_get(answer, "created_at"), t, sizeof t);
	cli_field("created", t);
	cli_time(cli_get(answer, "updated_at"), t, sizeof t);
	cli_field("updated", t);
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_project_update(struct cli *cli, int argc, char **argv)
{
	static const struct {
		const char	*option;
		const char	*field;
	} fields[] = {
		{ "name", "name" },
		{ "description", "description" },
		{ "runtime", "default_runtime" },
		{ "profile", "default_profile" },
	};
	const char	*v;
	cJSON		*body, *answer = NULL;
	char		*path, *name, *id;
	size_t		 i;
	int		 rc;

	if ((rc = cli_project_check_name(cli, argv[0])) != 0)
		return rc;
	body = cJSON_CreateObject();
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if ((v = cli_value(cli, fields[i].option)) != NULL)
			cJSON_AddStringToObject(body, fields[i].field, v);
	}
	if (cJSON_GetArraySize(body) == 0) {
		cJSON_Delete(body);
		return cli_usage(cli, "nothing to change: give --name, "
		    "--description, --runtime or --profile");
	}
	path = cli_project_path(argv[0], "");
	rc = cli_request(cli, "PATCH", path, body, &answer);
	free(path);
	cJSON_Delete(body);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		name = cli_safe(cli_get(answer, "name"));
		id = cli_safe(cli_get(answer, "id"));
		printf("updated project %s (id %s)\n", name, id);
		free(name);
		free(id);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

/*
 * Ask for the project's name on the terminal before deleting it. Return 0
 * when it was typed, else an exit status after saying why not.
 */
static int
cli_project_confirm(struct cli *cli, const char *path)
{
	const cJSON	*adopted;
	const char	*real;
	cJSON		*answer = NULL;
	char		*name = NULL, *where = NULL;
	int		 rc = CLI_EXIT_ERROR;

	if (cli_request(cli, "GET", path, NULL, &answer) != 0)
		goto out;
	if ((real = cli_get(answer, "name")) == NULL) {
		rc = cli_error(cli, wire_error_code(WIRE_INTERNAL_ERROR),
		    "the answer of lathed has no project name");
		goto out;
	}
	name = cli_safe(real);
	where = cli_safe(cli_get(answer, "path"));
	adopted = cJSON_GetObjectItemCaseSensitive(answer, "adopted");
	fprintf(stderr, "Project %s will be deleted; its files in %s %s.\n",
	    name, where, cJSON_IsTrue(adopted) ? "stay where they are" :
	    "are deleted with it");
	rc = cli_confirm(cli, "project", real);
out:
	free(name);
	free(where);
	cJSON_Delete(answer);
	return rc;
}

int
cli_project_rm(struct cli *cli, int argc, char **argv)
{
	cJSON	*answer = NULL;
	char	*path, *safe;
	int	 rc;

	if ((rc = cli_project_check_name(cli, argv[0])) != 0)
		return rc;
	if (!cli_flag(cli, "yes") && !isatty(STDIN_FILENO)) {
		safe = cli_safe(argv[0]);
		rc = cli_usage(cli, "standard input is not a terminal, so "
		    "lathe cannot ask: pass --yes to delete project %s", safe);
		free(safe);
		return rc;
	}
	path = cli_project_path(argv[0], "");
	if (!cli_flag(cli, "yes") && (rc = cli_project_confirm(cli,
	    path)) != 0)
		goto out;
	rc = CLI_EXIT_ERROR;
	if (cli_request(cli, "DELETE", path, NULL, &answer) != 0)
		goto out;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		safe = cli_safe(argv[0]);
		printf("deleted project %s\n", safe);
		free(safe);
	}
	rc = CLI_EXIT_OK;
out:
	free(path);
	cJSON_Delete(answer);
	return rc;
}

static struct termios	cli_project_tty;

/* Give the terminal its echo back if interrupted while reading a secret. */
static void
cli_project_restore(int sig)
{
	tcsetattr(STDIN_FILENO, TCSANOW, &cli_project_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Read one line from stdin as the value of key, without echo on a
 * terminal. Return the value (a new string) or NULL after saying why.
 */
static char *
cli_project_read_value(struct cli *cli, const char *key)
{
	struct termios	 noecho;
	char		*line = NULL, *safe;
	size_t		 cap = 0;
	ssize_t		 n;
	int		 tty;

	tty = isatty(STDIN_FILENO) &&
	    tcgetattr(STDIN_FILENO, &cli_project_tty) == 0;
	if (tty) {
		safe = cli_safe(key);
		fprintf(stderr, "Value of %s (not shown): ", safe);
		fflush(stderr);
		free(safe);
		noecho = cli_project_tty;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		signal(SIGINT, cli_project_restore);
		signal(SIGTERM, cli_project_restore);
		signal(SIGHUP, cli_project_restore);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &cli_project_tty);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		fputc('\n', stderr);
	}
	if (n < 0) {
		free(line);
		safe = cli_safe(key);
		cli_error(cli, cli_project_bad(), "no value for %s on standard "
		    "input", safe);
		free(safe);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	return line;
}

static int
cli_project_env_list(struct cli *cli, const char *name)
{
	const cJSON	*list, *v;
	cJSON		*answer = NULL;
	char		*path, *key, *value;

	path = cli_project_path(name, "/env");
	if (cli_request(cli, "GET", path, NULL, &answer) != 0) {
		free(path);
		return CLI_EXIT_ERROR;
	}
	free(path);
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	list = cJSON_GetObjectItemCaseSensitive(answer, "env");
	cJSON_ArrayForEach(v, list) {
		key = cli_safe(cli_get(v, "name"));
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v,
		    "secret")))
			printf("%s=******** (secret)\n", key);
		else {
			value = cli_safe(cli_get(v, "value"));
			printf("%s=%s\n", key, value);
			free(value);
		}
		free(key);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

/* lathe project env NAME set|unset KEY...: all checked, then all sent. */
static int
cli_project_env_change(struct cli *cli, const char *name, int set, int argc,
    char **argv)
{
	int	 secret = cli_flag(cli, "secret"), i, rc = CLI_EXIT_ERROR;
	char	**keys, **values, *eq, *path = NULL, *esc, *rest, *safe;
	cJSON	*body, *answer, *answers = cJSON_CreateArray();

	keys = xcalloc((size_t)argc, sizeof *keys);
	values = xcalloc((size_t)argc, sizeof *values);
	for (i = 0; i < argc; i++) {
		eq = set ? strchr(argv[i], '=') : NULL;
		keys[i] = eq != NULL ? xstrndup(argv[i],
		    (size_t)(eq - argv[i])) : xstrdup(argv[i]);
		if (eq != NULL)
			values[i] = xstrdup(eq + 1);
		safe = cli_safe(argv[i]);
		if (*keys[i] == '\0')
			rc = cli_usage(cli, "'%s' has no variable name", safe);
		else if (set && eq == NULL && !secret)
			rc = cli_usage(cli, "%s has no value: write %s=VALUE, "
			    "or pass --secret to read it from standard input",
			    safe, safe);
		else if (!set && strchr(argv[i], '=') != NULL)
			rc = cli_usage(cli, "unset takes names only, not "
			    "'%s'", safe);
		free(safe);
		if (rc == CLI_EXIT_USAGE)
			goto out;
	}
	for (i = 0; set && i < argc; i++) {
		if (values[i] == NULL &&
		    (values[i] = cli_project_read_value(cli, keys[i])) == NULL)
			goto out;
	}

	for (i = 0; i < argc; i++) {
		esc = client_escape(keys[i]);
		rest = xasprintf("/env/%s", esc);
		free(path);
		path = cli_project_path(name, rest);
		free(esc);
		free(rest);
		body = NULL;
		if (set) {
			body = cJSON_CreateObject();
			cJSON_AddStringToObject(body, "value", values[i]);
			cJSON_AddBoolToObject(body, "secret", secret);
		}
		answer = NULL;
		rc = cli_request(cli, set ? "PUT" : "DELETE", path, body,
		    &answer);
		cJSON_Delete(body);
		if (rc != 0) {
			rc = CLI_EXIT_ERROR;
			goto out;
		}
		cJSON_AddItemToArray(answers, answer);
		if (!cli_json(cli)) {
			safe = cli_safe(keys[i]);
			printf("%s %s%s\n", set ? "set" : "unset", safe,
			    set && secret ? " (secret)" : "");
			free(safe);
		}
	}
	if (cli_json(cli))
		cli_print_json(answers);
	rc = CLI_EXIT_OK;
out:
	for (i = 0; i < argc; i++) {
		free(keys[i]);
		if (values[i] != NULL) {
			sodium_memzero(values[i], strlen(values[i]));
			free(values[i]);
		}
	}
	free(keys);
	free(values);
	free(path);
	cJSON_Delete(answers);
	return rc;
}

int
cli_project_env(struct cli *cli, int argc, char **argv)
{
	char	*safe;
	int	 rc;

	if ((rc = cli_project_check_name(cli, argv[0])) != 0)
		return rc;
	if (argc == 1) {
		if (cli_flag(cli, "secret"))
			return cli_usage(cli, "--secret goes with set");
		return cli_project_env_list(cli, argv[0]);
	}
	if (strcmp(argv[1], "set") != 0 && strcmp(argv[1], "unset") != 0) {
		safe = cli_safe(argv[1]);
		rc = cli_usage(cli, "unknown action '%s': use set or unset",
		    safe);
		free(safe);
		return rc;
	}
	if (argc == 2)
		return cli_usage(cli, "%s needs at least one %s", argv[1],
		    strcmp(argv[1], "set") == 0 ? "KEY=VALUE" : "KEY");
	if (strcmp(argv[1], "unset") == 0 && cli_flag(cli, "secret"))
		return cli_usage(cli, "--secret goes with set");
	return cli_project_env_change(cli, argv[0],
	    strcmp(argv[1], "set") == 0, argc - 2, argv + 2);
}

int
cli_project_files(struct cli *cli, int argc, char **argv)
{
	const cJSON	*list, *f;
	const char	*type;
	cJSON		*answer = NULL;
	char		*base, *path, *esc = NULL, *name, size[16], t[64];
	char		 letter;
	int		 rc;

	if ((rc = cli_project_check_name(cli, argv[0])) != 0)
		return rc;
	if (argc > 1)
		esc = client_escape(argv[1]);
	base = cli_project_path(argv[0], "/files?page_size=1000");
	path = xasprintf("%s%s%s", base, esc != NULL ? "&path=" : "",
	    esc != NULL ? esc : "");
	rc = cli_request_pages(cli, path, "files", &answer);
	free(base);
	free(path);
	free(esc);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	list = cJSON_GetObjectItemCaseSensitive(answer, "files");
	cJSON_ArrayForEach(f, list) {
		type = cli_get(f, "type");
		if (type == NULL)
			type = "";
		if (strcmp(type, "dir") == 0)
			letter = 'd';
		else if (strcmp(type, "file") == 0)
			letter = '-';
		else if (strcmp(type, "link") == 0)
			letter = 'l';
		else
			letter = '?';
		if (letter == 'd')
			snprintf(size, sizeof size, "-");
		else
			cli_size((uint64_t)cli_get_int(f, "size", 0), size,
			    sizeof size);
		cli_time(cli_get(f, "modified_at"), t, sizeof t);
		name = cli_safe(cli_get(f, "name"));
		printf("%c %6s  %s  %s%s\n", letter, size, t, name,
		    letter == 'd' ? "/" : "");
		free(name);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

/* Decode one chunk's content into out (appended); -1 if malformed. */
static int
cli_project_decode(const cJSON *chunk, struct buf *out)
{
	const char	*content = cli_get(chunk, "content");
	const char	*encoding = cli_get(chunk, "encoding");
	unsigned char	*bin;
	size_t		 len, got;

	if (content == NULL)
		return -1;
	len = strlen(content);
	if (encoding == NULL || strcmp(encoding, "base64") != 0) {
		buf_add(out, content, len);
		return 0;
	}
	bin = xmalloc(len / 4 * 3 + 3);
	if (sodium_base642bin(bin, len / 4 * 3 + 3, content, len, NULL, &got,
	    NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bin);
		return -1;
	}
	buf_add(out, bin, got);
	free(bin);
	return 0;
}

/* Put the whole file in one answer of the API's shape, for --json. */
static void
cli_project_cat_json(const char *path, struct buf *data, int binary)
{
	cJSON	*o = cJSON_CreateObject();
	size_t	 n;
	char	*b64;

	cJSON_AddStringToObject(o, "path", path);
	cJSON_AddNumberToObject(o, "size", (double)data->len);
	cJSON_AddNumberToObject(o, "offset", 0);
	cJSON_AddNumberToObject(o, "length", (double)data->len);
	cJSON_AddBoolToObject(o, "binary", binary);
	if (binary) {
		n = sodium_base64_ENCODED_LEN(data->len,
		    sodium_base64_VARIANT_ORIGINAL);
		b64 = xmalloc(n);
		sodium_bin2base64(b64, n, (const unsigned char *)buf_str(data),
		    data->len, sodium_base64_VARIANT_ORIGINAL);
		cJSON_AddStringToObject(o, "encoding", "base64");
		cJSON_AddStringToObject(o, "content", b64);
		free(b64);
	} else {
		cJSON_AddStringToObject(o, "encoding", "utf-8");
		cJSON_AddStringToObject(o, "content", buf_str(data));
	}
	cJSON_AddBoolToObject(o, "truncated", 0);
	cli_print_json(o);
	cJSON_Delete(o);
}

int
cli_project_cat(struct cli *cli, int argc, char **argv)
{
	struct buf	 data, pending, out;
	cJSON		*chunk = NULL;
	char		*base, *esc, *path = NULL, *safe;
	uint64_t	 offset = 0;
	int64_t		 length;
	int		 raw = cli_flag(cli, "raw"), json = cli_json(cli);
	int		 tty = isatty(STDOUT_FILENO), binary = -1, truncated;
	int		 rc;
	size_t		 used;

	if ((rc = cli_project_check_name(cli, argv[0])) != 0)
		return rc;
	buf_init(&data);
	buf_init(&pending);
	buf_init(&out);
	rc = CLI_EXIT_ERROR;
	esc = client_escape(argv[1]);
	path = xasprintf("/files/content?path=%s", esc);
	base = cli_project_path(argv[0], path);
	free(esc);
	free(path);
	path = NULL;
	do {
		path = xasprintf("%s&offset=%llu&length=%d", base,
		    (unsigned long long)offset, CLI_PROJECT_CHUNK);
		if (cli_request(cli, "GET", path, NULL, &chunk) != 0)
			goto out;
		free(path);
		path = NULL;
		/* The first chunk says what the file is. */
		if (binary == -1) {
			binary = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
			    chunk, "binary"));
			if (binary && !raw && !json) {
				safe = cli_safe(argv[1]);
				cli_error(cli, cli_project_bad(), "%s: binary "
				    "file, %lld bytes (use --raw to print it)",
				    safe, (long long)cli_get_int(chunk,
				    "size", 0));
				free(safe);
				goto out;
			}
		}
		if (!json)
			buf_reset(&data);
		used = data.len;
		if (cli_project_decode(chunk, &data) != 0) {
			cli_error(cli, wire_error_code(WIRE_INTERNAL_ERROR),
			    "lathed sent content that cannot be decoded");
			goto out;
		}
		length = cli_get_int(chunk, "length",
		    (int64_t)(data.len - used));
		truncated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		    chunk, "truncated"));
		cJSON_Delete(chunk);
		chunk = NULL;
		if (truncated && length <= 0) {
			cli_error(cli, wire_error_code(WIRE_INTERNAL_ERROR),
			    "lathed sent no data at offset %llu of a "
			    "truncated file", (unsigned long long)offset);
			goto out;
		}
		offset += (uint64_t)length;
		if (json)
			continue;
		if (raw || !tty) {
			fwrite(buf_str(&data), 1, data.len, stdout);
			continue;
		}
		/* To a terminal: a UTF-8 sequence cut between chunks waits. */
		buf_add(&pending, buf_str(&data), data.len);
		used = cli_escape(&out, pending.data, pending.len,
		    CLI_ESCAPE_LINES | (truncated ? 0 : CLI_ESCAPE_FINAL));
		fwrite(buf_str(&out), 1, out.len, stdout);
		buf_reset(&out);
		memmove(pending.data, pending.data + used, pending.len - used);
		pending.len -= used;
		pending.data[pending.len] = '\0';
	} while (truncated);
	if (json)
		cli_project_cat_json(argv[1], &data, binary == 1);
	rc = CLI_EXIT_OK;
out:
	cJSON_Delete(chunk);
	free(base);
	free(path);
	buf_done(&data);
	buf_done(&pending);
	buf_done(&out);
	return rc;
}
