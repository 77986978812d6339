/*
 * API keys: generation, hashing and verification. Keys carry 256 bits of
 * randomness, so a fast keyed-free hash (BLAKE2b) is enough: there is
 * nothing to brute-force that a slow password hash would protect.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keys.h"
#include "project.h"
#include "store.h"
#include "xmalloc.h"

#define KEYS_PREFIX_LEN	11	/* "lk_" + 8 hex digits */

void
apikey_done(struct apikey *k)
{
	free(k->prefix);
	free(k->name);
	k->prefix = k->name = NULL;
}

void
apikeys_free(struct apikey *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		apikey_done(&list[i]);
	free(list);
}

static void
keys_hash(const char *key, unsigned char *hash)
{
	crypto_generichash(hash, KEYS_HASH_LEN, (const unsigned char *)key,
	    strlen(key), NULL, 0);
}

char *
keys_generate(const char *name, struct apikey *k)
{
	unsigned char	 id[4], secret[32];
	char		 hex[9], b64[64];

	randombytes_buf(id, sizeof id);
	randombytes_buf(secret, sizeof secret);
	sodium_bin2hex(hex, sizeof hex, id, sizeof id);
	sodium_bin2base64(b64, sizeof b64, secret, sizeof secret,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	memset(k, 0, sizeof *k);
	k->prefix = xasprintf("lk_%s", hex);
	k->name = xstrdup(name);
	char *key = xasprintf("%s_%s", k->prefix, b64);
	keys_hash(key, k->hash);
	sodium_memzero(secret, sizeof secret);
	return key;
}

int
keys_verify(struct store *st, const char *presented, int64_t *id,
    int64_t *last_used_ms, char **cause)
{
	struct apikey	 k;
	unsigned char	 hash[KEYS_HASH_LEN];
	char		 prefix[KEYS_PREFIX_LEN + 1];
	char		*err = NULL;
	int		 found, rc = -1;

	memset(&k, 0, sizeof k);
	keys_hash(presented, hash);
	if (strlen(presented) <= KEYS_PREFIX_LEN ||
	    presented[KEYS_PREFIX_LEN] != '_') {
		*cause = xstrdup("the API key is not valid");
		return -1;
	}
	memcpy(prefix, presented, KEYS_PREFIX_LEN);
	prefix[KEYS_PREFIX_LEN] = '\0';
	found = store_key_by_prefix(st, prefix, &k, &err) == 0;
	free(err);
	/* Compare even when nothing was found, so timing says nothing. */
	if (sodium_memcmp(hash, k.hash, KEYS_HASH_LEN) != 0 || !found ||
	    k.revoked_ms != 0) {
		*cause = xstrdup(found && k.revoked_ms != 0 ?
		    "the API key has been revoked" :
		    "the API key is not valid");
		goto out;
	}
	*id = k.id;
	*last_used_ms = k.last_used_ms;
	rc = 0;
out:
	apikey_done(&k);
	return rc;
}

cJSON *
apikey_to_json(const struct apikey *k)
{
	cJSON	*o = cJSON_CreateObject();
	char	 id[32], t[40];

	snprintf(id, sizeof id, "%lld", (long long)k->id);
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "name", k->name);
	cJSON_AddStringToObject(o, "prefix", k->prefix);
	project_time(k->created_ms, t, sizeof t);
	cJSON_AddStringToObject(o, "created_at", t);
	if (k->last_used_ms != 0) {
		project_time(k->last_used_ms, t, sizeof t);
		cJSON_AddStringToObject(o, "last_used_at", t);
	} else
		cJSON_AddNullToObject(o, "last_used_at");
	if (k->revoked_ms != 0) {
		project_time(k->revoked_ms, t, sizeof t);
		cJSON_AddStringToObject(o, "revoked_at", t);
	} else
		cJSON_AddNullToObject(o, "revoked_at");
	return o;
}
