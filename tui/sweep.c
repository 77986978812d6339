/*
 * Sweeps from the TUI: `:sweep SCRIPT NAME=V1,V2 ... [parallel=N]` asks
 * the core to run a script over the grid of the values given, each point
 * a job run and an MLflow run, as `lathe sweep` does from a shell.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "async.h"
#include "client.h"
#include "sweep.h"
#include "tui.h"
#include "xmalloc.h"

static void
sweep_on_answer(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	const cJSON	*job, *msg;
	const char	*name = "?", *exp = "?";

	if (status != 201) {
		msg = cJSON_GetObjectItem(answer, "message");
		tui_message(t, 1, "sweep: %s", status == 0 ? cause :
		    cJSON_IsString(msg) ? msg->valuestring : "refused");
		return;
	}
	job = cJSON_GetObjectItem(answer, "job");
	if (cJSON_IsString(cJSON_GetObjectItem(job, "name")))
		name = cJSON_GetObjectItem(job, "name")->valuestring;
	if (cJSON_IsString(cJSON_GetObjectItem(job, "experiment")))
		exp = cJSON_GetObjectItem(job, "experiment")->valuestring;
	tui_message(t, 0, "sweep of %d runs started as job %s; they appear in "
	    "experiment %s", cJSON_GetArraySize(cJSON_GetObjectItem(answer,
	    "runs")), name, exp);
}

int
sweep_body(const char *line, cJSON **out, char **cause)
{
	cJSON	*body = cJSON_CreateObject(), *params, *axis;
	char	*copy = xstrdup(line), *word, *save, *eq, *v, *vsave, *end;
	long	 parallel;
	int	 n = 0, rc = -1;

	params = cJSON_AddObjectToObject(body, "params");
	for (word = strtok_r(copy, " \t", &save); word != NULL;
	    word = strtok_r(NULL, " \t", &save)) {
		if (n++ == 0) {
			cJSON_AddStringToObject(body, "script", word);
			continue;
		}
		if ((eq = strchr(word, '=')) == NULL || eq == word ||
		    eq[1] == '\0') {
			*cause = xasprintf("'%s' is not NAME=V1,V2", word);
			goto out;
		}
		*eq = '\0';
		if (strcmp(word, "parallel") == 0) {
			parallel = strtol(eq + 1, &end, 10);
			if (*end != '\0' || parallel < 1 || parallel > 1000) {
				*cause = xstrdup("parallel must be a number "
				    "from 1 to 1000");
				goto out;
			}
			cJSON_AddNumberToObject(body, "parallel",
			    (double)parallel);
			continue;
		}
		if (cJSON_GetObjectItemCaseSensitive(params, word) != NULL) {
			*cause = xasprintf("%s is given twice", word);
			goto out;
		}
		axis = cJSON_AddArrayToObject(params, word);
		for (v = strtok_r(eq + 1, ",", &vsave); v != NULL;
		    v = strtok_r(NULL, ",", &vsave))
			cJSON_AddItemToArray(axis, cJSON_CreateString(v));
	}
	if (n == 0) {
		*cause = xstrdup("name the script: sweep SCRIPT NAME=V1,V2 ...");
		goto out;
	}
	if (cJSON_GetArraySize(params) == 0) {
		*cause = xstrdup("give at least one NAME=V1,V2");
		goto out;
	}
	*out = body;
	body = NULL;
	rc = 0;
out:
	cJSON_Delete(body);
	free(copy);
	return rc;
}

void
sweep_start(struct tui *t, const char *line)
{
	cJSON	*body = NULL;
	char	*cause = NULL, *esc, *path;

	if (t->project == NULL) {
		tui_message(t, 1, "sweep: open a project first");
		return;
	}
	if (line == NULL || sweep_body(line, &body, &cause) != 0) {
		tui_message(t, 1, "sweep: %s", cause != NULL ? cause :
		    "name the script: sweep SCRIPT NAME=V1,V2 ...");
		free(cause);
		return;
	}
	esc = client_escape(t->project);
	path = xasprintf("/api/v1/projects/%s/sweeps", esc);
	async_call(t->async, "POST", path, body, sweep_on_answer, t);
	free(path);
	free(esc);
	cJSON_Delete(body);
	tui_message(t, 0, "starting the sweep...");
}
