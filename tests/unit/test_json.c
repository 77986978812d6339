/*
 * Unit tests of the JSON helpers and the wire vocabulary (core/lib).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "wire.h"

static void
test_parse_good(void **state)
{
	char	*cause = NULL;
	cJSON	*v = json_parse("{\"a\": 1}  \n", 11, &cause);

	assert_non_null(v);
	assert_null(cause);
	assert_int_equal(cJSON_GetObjectItem(v, "a")->valueint, 1);
	cJSON_Delete(v);
}

static void
test_parse_location(void **state)
{
	const char	*doc = "{\n  \"a\": 1,\n  \"b\": oops\n}";
	char		*cause = NULL;

	assert_null(json_parse(doc, strlen(doc), &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, "line 3"));
	assert_non_null(strstr(cause, "oops"));
	free(cause);
}

static void
test_parse_truncated(void **state)
{
	char	*cause = NULL;

	assert_null(json_parse("{\"a\": [1, 2", 11, &cause));
	assert_non_null(strstr(cause, "end of input"));
	free(cause);
}

static void
test_parse_empty(void **state)
{
	char	*cause = NULL;

	assert_null(json_parse("", 0, &cause));
	assert_non_null(strstr(cause, "empty"));
	free(cause);
}

static void
test_parse_trailing_garbage(void **state)
{
	char	*cause = NULL;

	assert_null(json_parse("{} {}", 5, &cause));
	assert_non_null(strstr(cause, "column 4"));
	free(cause);
}

static void
test_parse_invalid_utf8(void **state)
{
	const char	 doc[] = "{\"name\": \"ab\xff\"}";
	char		*cause = NULL;

	assert_null(json_parse(doc, sizeof doc - 1, &cause));
	assert_non_null(strstr(cause, "invalid UTF-8 at byte 12"));
	free(cause);
}

static void
test_parse_nul(void **state)
{
	const char	 doc[] = "{\"a\": \"x\0y\"}";
	char		*cause = NULL;

	assert_null(json_parse(doc, sizeof doc - 1, &cause));
	assert_non_null(strstr(cause, "NUL"));
	free(cause);
}

static void
test_utf8_valid(void **state)
{
	assert_true(json_utf8_valid("plain", 5));
	assert_true(json_utf8_valid("caf\xc3\xa9", 5));
	assert_true(json_utf8_valid("\xe6\xbc\xa2\xf0\x9f\x98\x80", 7));
	assert_false(json_utf8_valid("\xc3", 1));		/* cut */
	assert_false(json_utf8_valid("\xc0\xaf", 2));		/* overlong */
	assert_false(json_utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(json_utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(json_utf8_valid("\x80", 1));
}

static void
test_utf8_sanitize(void **state)
{
	char	*s = json_utf8_sanitize("a\xffz\xc3\xa9");

	assert_string_equal(s, "a\xef\xbf\xbdz\xc3\xa9");
	free(s);
	s = json_utf8_sanitize("fine");
	assert_string_equal(s, "fine");
	free(s);
}

static void
test_get_fields(void **state)
{
	const char	*doc = "{\"s\": \"x\", \"n\": 42, \"big\": \"9007199254740993\","
	    " \"f\": 1.5, \"b\": true, \"z\": null}";
	cJSON		*v;
	const char	*s = NULL;
	char		*cause = NULL;
	int64_t		 n = 0;
	int		 b = 0;

	v = json_parse(doc, strlen(doc), &cause);
	assert_non_null(v);
	assert_int_equal(json_get_string(v, "s", 1, &s, &cause), 0);
	assert_string_equal(s, "x");
	assert_int_equal(json_get_int64(v, "n", 1, &n, &cause), 0);
	assert_int_equal(n, 42);
	assert_int_equal(json_get_int64(v, "big", 1, &n, &cause), 0);
	assert_int_equal(n, 9007199254740993LL);
	assert_int_equal(json_get_bool(v, "b", 1, &b, &cause), 0);
	assert_true(b);

	/* Optional and missing, or null: untouched, no error. */
	s = "kept";
	assert_int_equal(json_get_string(v, "missing", 0, &s, &cause), 0);
	assert_int_equal(json_get_string(v, "z", 0, &s, &cause), 0);
	assert_string_equal(s, "kept");

	assert_int_equal(json_get_string(v, "missing", 1, &s, &cause), -1);
	assert_string_equal(cause, "missing required field 'missing'");
	free(cause);
	assert_int_equal(json_get_string(v, "n", 1, &s, &cause), -1);
	assert_string_equal(cause, "field 'n' must be a string");
	free(cause);
	assert_int_equal(json_get_int64(v, "f", 1, &n, &cause), -1);
	assert_string_equal(cause, "field 'f' must be an integer");
	free(cause);
	assert_int_equal(json_get_bool(v, "s", 1, &b, &cause), -1);
	assert_string_equal(cause, "field 's' must be true or false");
	free(cause);
	cJSON_Delete(v);
}

static void
test_error_codes(void **state)
{
	assert_string_equal(wire_error_code(WIRE_RESOURCE_DOES_NOT_EXIST),
	    "RESOURCE_DOES_NOT_EXIST");
	assert_int_equal(wire_error_status(WIRE_RESOURCE_DOES_NOT_EXIST), 404);
	assert_int_equal(wire_error_status(WIRE_RESOURCE_ALREADY_EXISTS), 400);
	assert_int_equal(wire_error_status(WIRE_INVALID_PARAMETER_VALUE), 400);
	assert_int_equal(wire_error_status(WIRE_UNAUTHENTICATED), 401);
	assert_int_equal(wire_error_status(WIRE_METHOD_NOT_ALLOWED), 405);
	assert_int_equal(wire_error_status(WIRE_REQUEST_TOO_LARGE), 413);
	assert_int_equal(wire_error_status(WIRE_INTERNAL_ERROR), 500);
}

static void
test_page_tokens(void **state)
{
	char	*t = wire_token_encode("churn-2024/é");
	char	*k = wire_token_decode(t);

	assert_string_equal(k, "churn-2024/é");
	free(k);
	free(t);
	assert_null(wire_token_decode("not base64 !"));
	assert_null(wire_token_decode("AA"));	/* decodes to a NUL byte */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_location),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_trailing_garbage),
		cmocka_unit_test(test_parse_invalid_utf8),
		cmocka_unit_test(test_parse_nul),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_sanitize),
		cmocka_unit_test(test_get_fields),
		cmocka_unit_test(test_error_codes),
		cmocka_unit_test(test_page_tokens),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
