/*
 * lathe key …: the API keys that clients of lathed's TCP listener present.
 * A new key is printed alone on stdout, so that a script can keep it, and
 * the note that it is shown only once goes to stderr.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "client.h"
#include "xmalloc.h"

int
cli_key_create(struct cli *cli, int argc, char **argv)
{
	cJSON	*body = cJSON_CreateObject(), *answer = NULL;
	char	*key, *name, *id, *prefix;
	int	 rc = CLI_EXIT_ERROR;

	if (argc > 0)
		cJSON_AddStringToObject(body, "name", argv[0]);
	if (cli_request(cli, "POST", "/api/v1/keys", body, &answer) != 0)
		goto out;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		key = cli_safe(cli_get(answer, "key"));
		name = cli_safe(cli_get(answer, "name") != NULL ?
		    cli_get(answer, "name") : "");
		id = cli_safe(cli_get(answer, "id"));
		prefix = cli_safe(cli_get(answer, "prefix"));
		printf("%s\n", key);
		fflush(stdout);
		fprintf(stderr, "created key %s%s(id %s, prefix %s); it is "
		    "shown only this once, so keep it now\n", name,
		    *name != '\0' ? " " : "", id, prefix);
		free(key);
		free(name);
		free(id);
		free(prefix);
	}
	rc = CLI_EXIT_OK;
out:
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return rc;
}

int
cli_key_list(struct cli *cli, int argc, char **argv)
{
	static const char *const headers[] = {
		"ID", "NAME", "PREFIX", "CREATED", "LAST USED", "REVOKED"
	};
	struct cli_table	*t;
	const cJSON		*list, *k;
	const char		*cells[6];
	cJSON			*answer = NULL;
	char			 created[64], used[64], revoked[64];

	if (cli_request_pages(cli, "/api/v1/keys", "keys", &answer) != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	list = cJSON_GetObjectItemCaseSensitive(answer, "keys");
	if (cJSON_GetArraySize(list) == 0) {
		printf("no API keys: make one with 'lathe key create "
		    "[NAME]'\n");
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	t = cli_table_new(6, headers);
	cJSON_ArrayForEach(k, list) {
		cli_time(cli_get(k, "created_at"), created, sizeof created);
		cli_time(cli_get(k, "last_used_at"), used, sizeof used);
		cli_time(cli_get(k, "revoked_at"), revoked, sizeof revoked);
		cells[0] = cli_get(k, "id");
		cells[1] = cli_get(k, "name");
		cells[2] = cli_get(k, "prefix");
		cells[3] = created;
		cells[4] = used;
		cells[5] = revoked;
		if (cells[1] != NULL && *cells[1] == '\0')
			cells[1] = NULL;
		cli_table_add(t, cells);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_key_revoke(struct cli *cli, int argc, char **argv)
{
	cJSON	*answer = NULL;
	char	*esc, *path, *safe;
	int	 rc;

	if (*argv[0] == '\0')
		return cli_usage(cli, "the key id must not be empty");
	esc = client_escape(argv[0]);
	path = xasprintf("/api/v1/keys/%s", esc);
	free(esc);
	rc = cli_request(cli, "DELETE", path, NULL, &answer);
	free(path);
	if (rc != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli))
		cli_print_json(answer);
	else {
		safe = cli_safe(argv[0]);
		printf("revoked key %s\n", safe);
		free(safe);
	}
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}
