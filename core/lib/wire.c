/*
 * Error codes and page tokens as they appear on the wire.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "wire.h"
#include "xmalloc.h"

static const struct {
	const char	*code;
	unsigned int	 status;
} wire_errors[] = {
	[WIRE_INTERNAL_ERROR] = { "INTERNAL_ERROR", 500 },
	[WIRE_BAD_REQUEST] = { "BAD_REQUEST", 400 },
	[WIRE_INVALID_PARAMETER_VALUE] = { "INVALID_PARAMETER_VALUE", 400 },
	[WIRE_MALFORMED_REQUEST] = { "MALFORMED_REQUEST", 400 },
	[WIRE_ENDPOINT_NOT_FOUND] = { "ENDPOINT_NOT_FOUND", 404 },
	[WIRE_METHOD_NOT_ALLOWED] = { "ENDPOINT_NOT_FOUND", 405 },
	[WIRE_RESOURCE_DOES_NOT_EXIST] = { "RESOURCE_DOES_NOT_EXIST", 404 },
	[WIRE_RESOURCE_ALREADY_EXISTS] = { "RESOURCE_ALREADY_EXISTS", 400 },
	[WIRE_INVALID_STATE] = { "INVALID_STATE", 400 },
	[WIRE_PERMISSION_DENIED] = { "PERMISSION_DENIED", 403 },
	[WIRE_UNAUTHENTICATED] = { "UNAUTHENTICATED", 401 },
	[WIRE_REQUEST_TOO_LARGE] = { "REQUEST_LIMIT_EXCEEDED", 413 },
	[WIRE_TEMPORARILY_UNAVAILABLE] = { "TEMPORARILY_UNAVAILABLE", 503 },
};

const char *
wire_error_code(enum wire_error e)
{
	return wire_errors[e].code;
}

unsigned int
wire_error_status(enum wire_error e)
{
	return wire_errors[e].status;
}

char *
wire_token_encode(const char *key)
{
	size_t	 len = strlen(key);
	size_t	 out = sodium_base64_ENCODED_LEN(len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char	*s = xmalloc(out);

	sodium_bin2base64(s, out, (const unsigned char *)key, len,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return s;
}

char *
wire_token_decode(const char *token)
{
	size_t	 len = strlen(token), got;
	char	*s = xmalloc(len + 1);

	if (sodium_base642bin((unsigned char *)s, len, token, len, NULL, &got,
	    NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    memchr(s, '\0', got) != NULL) {
		free(s);
		return NULL;
	}
	s[got] = '\0';
	return s;
}

static int
wire_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
wire_unescape(const char *s, int plus)
{
	char	*out = xmalloc(strlen(s) + 1), *o = out;
	int	 hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '%' && (hi = wire_hex(s[1])) >= 0 &&
		    (lo = wire_hex(s[2])) >= 0) {
			if (hi == 0 && lo == 0) {
				free(out);
				return NULL;
			}
			*o++ = (char)(hi * 16 + lo);
			s += 2;
		} else if (*s == '+' && plus)
			*o++ = ' ';
		else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}
