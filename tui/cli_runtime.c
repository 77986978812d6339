/*
 * lathe runtime … and lathe profile …: what jobs run with, core-wide. A
 * runtime is an interpreter (found on the PATH by lathed, or registered
 * here); a resource profile is the CPUs, memory and GPUs a run may use.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "size.h"
#include "xmalloc.h"

/* "/api/v1/KIND/NAME"; a new string. */
static char *
cli_runtime_path(const char *kind, const char *name)
{
	char	*esc = client_escape(name), *path;

	path = xasprintf("/api/v1/%s/%s", kind, esc);
	free(esc);
	return path;
}

/* Delete runtime or profile name: "removed runtime NAME". */
static int
cli_runtime_remove(struct cli *cli, const char *kind, const char *noun,
    const char *name)
{
	cJSON	*answer = NULL;
	char	*path, *safe;
	int	 rc;

	if (*name == '\0')
		return cli_usage(cli, "the %s name must not be empty", noun);
	path = cli_runtime_path(kind, name);
	rc = cli_request(cli, "DELETE", path, NULL, &answer);
	free(path);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		safe = cli_safe(name);
		printf("removed %s %s\n", noun, safe);
		free(safe);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_runtime_list(struct cli *cli, int argc, char **argv)
{
	static const char *const headers[] = {
		"NAME", "KERNEL", "VERSION", "COMMAND", "SOURCE"
	};
	struct cli_table	*t;
	const cJSON		*list, *r;
	const char		*cells[5];
	cJSON			*answer = NULL;

	if (cli_request(cli, "GET", "/api/v1/runtimes", NULL, &answer) != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	list = cJSON_GetObjectItemCaseSensitive(answer, "runtimes");
	if (cJSON_GetArraySize(list) == 0) {
		printf("no runtimes: lathed found no interpreter on its PATH; "
		    "add one with 'lathe runtime add NAME --kernel K "
		    "--command PATH'\n");
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	t = cli_table_new(5, headers);
	cJSON_ArrayForEach(r, list) {
		cells[0] = cli_get(r, "name");
		cells[1] = cli_get(r, "kernel");
		cells[2] = cli_get(r, "version");
		cells[3] = cli_get(r, "command");
		cells[4] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r,
		    "discovered")) ? "discovered" : "registered";
		if (cells[2] != NULL && *cells[2] == '\0')
			cells[2] = NULL;
		cli_table_add(t, cells);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_runtime_add(struct cli *cli, int argc, char **argv)
{
	const char	*kernel = cli_value(cli, "kernel");
	const char	*command = cli_value(cli, "command");
	cJSON		*body, *answer = NULL;
	char		*name, *version;
	int		 rc;

	if (*argv[0] == '\0')
		return cli_usage(cli, "the runtime name must not be empty");
	if (kernel == NULL || command == NULL)
		return cli_usage(cli, "a runtime needs --kernel (python3, r, "
		    "bash, sh, node, perl, julia or ruby) and --command (the "
		    "interpreter's absolute path)");
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", argv[0]);
	cJSON_AddStringToObject(body, "kernel", kernel);
	cJSON_AddStringToObject(body, "command", command);
	rc = cli_request(cli, "POST", "/api/v1/runtimes", body, &answer);
	cJSON_Delete(body);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		name = cli_safe(cli_get(answer, "name"));
		version = cli_safe(cli_get(answer, "version"));
		printf("added runtime %s (version %s)\n", name, version);
		free(name);
		free(version);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_runtime_rm(struct cli *cli, int argc, char **argv)
{
	return cli_runtime_remove(cli, "runtimes", "runtime", argv[0]);
}

int
cli_profile_list(struct cli *cli, int argc, char **argv)
{
	static const char *const headers[] = {
		"NAME", "VCPU", "MEMORY", "GPUS", "SOURCE"
	};
	struct cli_table	*t;
	const cJSON		*list, *p, *v;
	const char		*cells[5];
	cJSON			*answer = NULL;
	char			 vcpu[32], mem[SIZE_FORMAT_MAX], gpus[16];

	if (cli_request(cli, "GET", "/api/v1/profiles", NULL, &answer) != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	list = cJSON_GetObjectItemCaseSensitive(answer, "profiles");
	t = cli_table_new(5, headers);
	cJSON_ArrayForEach(p, list) {
		v = cJSON_GetObjectItemCaseSensitive(p, "vcpu");
		snprintf(vcpu, sizeof vcpu, "%g", cJSON_IsNumber(v) ?
		    v->valuedouble : 0);
		size_format((uint64_t)cli_get_int(p, "memory_mb", 0) << 20,
		    mem, sizeof mem);
		snprintf(gpus, sizeof gpus, "%lld",
		    (long long)cli_get_int(p, "gpus", 0));
		cells[0] = cli_get(p, "name");
		cells[1] = vcpu;
		cells[2] = mem;
		cells[3] = gpus;
		cells[4] = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p,
		    "builtin")) ? "built-in" : "added";
		cli_table_add(t, cells);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_profile_add(struct cli *cli, int argc, char **argv)
{
	const char	*vcpu = cli_value(cli, "vcpu");
	const char	*memory = cli_value(cli, "memory");
	const char	*gpus = cli_value(cli, "gpus");
	cJSON		*body, *answer = NULL;
	char		*end, *safe, *name, mem[SIZE_FORMAT_MAX];
	double		 n;
	long		 g = 0;
	int		 rc;

	if (*argv[0] == '\0')
		return cli_usage(cli, "the profile name must not be empty");
	if (vcpu == NULL || memory == NULL)
		return cli_usage(cli, "a profile needs --vcpu (CPUs, e.g. 2 or "
		    "0.5) and --memory (e.g. 4G)");
	errno = 0;
	n = strtod(vcpu, &end);
	if (*vcpu == '\0' || *end != '\0' || errno != 0 || !isfinite(n)) {
		safe = cli_safe(vcpu);
		rc = cli_usage(cli, "--vcpu takes a number of CPUs such as 2 "
		    "or 0.5, not '%s'", safe);
		free(safe);
		return rc;
	}
	if (gpus != NULL) {
		errno = 0;
		g = strtol(gpus, &end, 10);
		if (*gpus == '\0' || *end != '\0' || errno != 0) {
			safe = cli_safe(gpus);
			rc = cli_usage(cli, "--gpus takes a number of GPUs, "
			    "not '%s'", safe);
			free(safe);
			return rc;
		}
	}
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", argv[0]);
	cJSON_AddNumberToObject(body, "vcpu", n);
	cJSON_AddStringToObject(body, "memory", memory);
	if (gpus != NULL)
		cJSON_AddNumberToObject(body, "gpus", (double)g);
	rc = cli_request(cli, "POST", "/api/v1/profiles", body, &answer);
	cJSON_Delete(body);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		name = cli_safe(cli_get(answer, "name"));
		size_format((uint64_t)cli_get_int(answer, "memory_mb", 0) << 20,
		    mem, sizeof mem);
		g = (long)cli_get_int(answer, "gpus", 0);
		printf("added profile %s (%g vCPU, %s memory, %ld GPU%s)\n",
		    name, n, mem, g, g == 1 ? "" : "s");
		free(name);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_profile_rm(struct cli *cli, int argc, char **argv)
{
	return cli_runtime_remove(cli, "profiles", "profile", argv[0]);
}
