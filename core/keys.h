/*
 * API keys for the TCP listener. A key is "lk_" + 8 hex digits (its public
 * prefix, which names it in lists) + "_" + 43 characters of secret. Only a
 * BLAKE2b hash of the whole key is stored; checks compare in constant time.
 */
#ifndef LATHE_KEYS_H
#define LATHE_KEYS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#define KEYS_HASH_LEN	32

struct store;

struct apikey {
	int64_t		 id;
	char		*prefix;
	char		*name;
	unsigned char	 hash[KEYS_HASH_LEN];
	int64_t		 created_ms;
	int64_t		 last_used_ms;	/* 0 if never */
	int64_t		 revoked_ms;	/* 0 if live */
};

void	 apikey_done(struct apikey *);
void	 apikeys_free(struct apikey *, size_t);
cJSON	*apikey_to_json(const struct apikey *);

/*
 * Make a new key named name: fill k (prefix, hash) and return the key
 * itself, which is shown once and never stored; the caller frees it.
 */
char	*keys_generate(const char *name, struct apikey *k);

/*
 * Check presented (the text after "Bearer ") against the store. Return 0
 * with the key's id and when it was last used (0: never) in *id and
 * *last_used_ms, or -1 with *cause for an unknown, malformed or
 * revoked key (all described alike to the caller, so that the answer tells
 * an attacker nothing).
 */
int	 keys_verify(struct store *, const char *presented, int64_t *id,
	    int64_t *last_used_ms, char **cause);

#endif
