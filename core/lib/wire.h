/*
 * The API's wire vocabulary, shared by lathed and its clients: error codes
 * (MLflow's names) with their HTTP statuses, and opaque page tokens.
 */
#ifndef LATHE_WIRE_H
#define LATHE_WIRE_H

#include <stddef.h>

#define WIRE_API_VERSION	1
#define WIRE_PAGE_SIZE_DEFAULT	100
#define WIRE_PAGE_SIZE_MAX	1000

enum wire_error {
	WIRE_INTERNAL_ERROR,
	WIRE_BAD_REQUEST,
	WIRE_INVALID_PARAMETER_VALUE,
	WIRE_MALFORMED_REQUEST,
	WIRE_ENDPOINT_NOT_FOUND,
	WIRE_METHOD_NOT_ALLOWED,
	WIRE_RESOURCE_DOES_NOT_EXIST,
	WIRE_RESOURCE_ALREADY_EXISTS,
	WIRE_INVALID_STATE,
	WIRE_PERMISSION_DENIED,
	WIRE_UNAUTHENTICATED,
	WIRE_REQUEST_TOO_LARGE,
	WIRE_TEMPORARILY_UNAVAILABLE,
};

/* The error_code string sent on the wire, e.g. "RESOURCE_DOES_NOT_EXIST". */
const char	*wire_error_code(enum wire_error);
/* The HTTP status that goes with an error. */
unsigned int	 wire_error_status(enum wire_error);

/*
 * Page tokens are the last key of the previous page, base64url-encoded, so
 * that paging stays correct while rows are added. Return a new string.
 */
char	*wire_token_encode(const char *key);
/* Decode a token; return a new string, or NULL if the token is malformed. */
char	*wire_token_decode(const char *token);

/*
 * Decode %HH escapes of a URL path segment or query value (and '+' as a
 * space when plus is set). Return a new string, or NULL when the result
 * would hold a NUL byte. Malformed escapes are kept as they are.
 */
char	*wire_unescape(const char *s, int plus);

#endif
