/*
 * API keys over the API: create (the key is shown once), list, revoke.
 * Served on the local socket only: a key must not be able to mint keys.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api.h"
#include "core.h"
#include "json.h"
#include "keys.h"
#include "project.h"
#include "valid.h"
#include "store.h"
#include "xmalloc.h"

void
api_keys_create(struct req *r)
{
	struct core	*core = api_core(r);
	struct apikey	 k;
	const char	*name = "";
	char		*cause = NULL, *key;
	cJSON		*o;

	if (json_get_string(api_body(r), "name", 0, &name, &cause) != 0 ||
	    (*name != '\0' && valid_ref("a key name", name,
	    &cause) != 0)) {
		api_error_cause(r, WIRE_INVALID_PARAMETER_VALUE, cause);
		return;
	}
	key = keys_generate(name, &k);
	if (store_key_insert(core->store, &k, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		goto out;
	}
	o = apikey_to_json(&k);
	cJSON_AddStringToObject(o, "key", key);
	api_reply(r, 201, o);
out:
	sodium_memzero(key, strlen(key));
	free(key);
	apikey_done(&k);
}

void
api_keys_list(struct req *r)
{
	struct core	*core = api_core(r);
	struct apikey	*list;
	size_t		 n, i;
	char		*cause = NULL;
	cJSON		*o, *a;

	if (store_key_list(core->store, &list, &n, &cause) != 0) {
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
		return;
	}
	o = cJSON_CreateObject();
	a = cJSON_AddArrayToObject(o, "keys");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, apikey_to_json(&list[i]));
	apikeys_free(list, n);
	api_reply(r, 200, o);
}

void
api_keys_revoke(struct req *r)
{
	struct core	*core = api_core(r);
	const char	*id = api_param(r, "key");
	char		*end, *cause = NULL;
	long long	 n;
	int		 rc;

	n = strtoll(id, &end, 10);
	if (*id == '\0' || *end != '\0' || n <= 0) {
		api_error(r, WIRE_INVALID_PARAMETER_VALUE, "'%s' is not a key "
		    "id: see 'lathe key list'", id);
		return;
	}
	rc = store_key_revoke(core->store, n, &cause);
	if (rc == STORE_NOTFOUND)
		api_error_cause(r, WIRE_RESOURCE_DOES_NOT_EXIST, cause);
	else if (rc != 0)
		api_error_cause(r, WIRE_INTERNAL_ERROR, cause);
	else
		api_reply(r, 200, NULL);
}
