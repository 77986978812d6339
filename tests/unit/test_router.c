/*
 * Unit tests of the router: matching, captures, 404 and 405, table checks,
 * and the real API table.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api.h"
#include "router.h"

static void h_list(struct req *r) { (void)r; }
static void h_create(struct req *r) { (void)r; }
static void h_get(struct req *r) { (void)r; }
static void h_files(struct req *r) { (void)r; }

static const struct route table[] = {
	{ "GET", "/api/v1/projects", h_list, ROUTE_READ },
	{ "POST", "/api/v1/projects", h_create, ROUTE_WRITE | ROUTE_BODY },
	{ "GET", "/api/v1/projects/{project}", h_get, ROUTE_READ },
	{ "GET", "/api/v1/projects/{project}/files/{name}", h_files,
	    ROUTE_READ },
};
#define N	(sizeof table / sizeof table[0])

static void
test_literal(void **state)
{
	const struct route	*rt = NULL;
	struct router_params	 p;
	char			*allowed = NULL;

	assert_int_equal(router_match(table, N, "GET", "/api/v1/projects",
	    &rt, &p, &allowed), ROUTER_FOUND);
	assert_ptr_equal(rt->handler, h_list);
	assert_int_equal(p.n, 0);
	assert_int_equal(router_match(table, N, "POST", "/api/v1/projects/",
	    &rt, &p, &allowed), ROUTER_FOUND);
	assert_ptr_equal(rt->handler, h_create);
}

static void
test_captures(void **state)
{
	const struct route	*rt = NULL;
	struct router_params	 p;
	char			*allowed = NULL;

	assert_int_equal(router_match(table, N, "GET",
	    "/api/v1/projects/churn/files/train.py", &rt, &p, &allowed),
	    ROUTER_FOUND);
	assert_ptr_equal(rt->handler, h_files);
	assert_string_equal(router_param(&p, "project"), "churn");
	assert_string_equal(router_param(&p, "name"), "train.py");
	assert_null(router_param(&p, "other"));
	router_params_done(&p);
}

static void
test_not_found(void **state)
{
	const struct route	*rt = NULL;
	struct router_params	 p;
	char			*allowed = NULL;

	assert_int_equal(router_match(table, N, "GET", "/api/v1/nope", &rt,
	    &p, &allowed), ROUTER_NOT_FOUND);
	assert_int_equal(router_match(table, N, "GET",
	    "/api/v1/projects/a/b", &rt, &p, &allowed), ROUTER_NOT_FOUND);
	assert_int_equal(router_match(table, N, "GET", "/", &rt, &p,
	    &allowed), ROUTER_NOT_FOUND);
	assert_null(allowed);
}

static void
test_bad_method(void **state)
{
	const struct route	*rt = NULL;
	struct router_params	 p;
	char			*allowed = NULL;

	assert_int_equal(router_match(table, N, "DELETE", "/api/v1/projects",
	    &rt, &p, &allowed), ROUTER_BAD_METHOD);
	assert_string_equal(allowed, "GET, POST");
	free(allowed);
}

static void
test_too_deep(void **state)
{
	const struct route	*rt = NULL;
	struct router_params	 p;
	char			*allowed = NULL;
	char			 path[256] = "";
	int			 i;

	for (i = 0; i < 40; i++)
		strcat(path, "/a");
	assert_int_equal(router_match(table, N, "GET", path, &rt, &p,
	    &allowed), ROUTER_NOT_FOUND);
}

static void
test_check(void **state)
{
	static const struct route dup[] = {
		{ "GET", "/a/{x}", h_get, 0 },
		{ "GET", "/a/{y}", h_list, 0 },
	};
	static const struct route bad[] = {
		{ "GET", "a/b", h_get, 0 },
	};
	char	*cause = NULL;

	assert_int_equal(router_check(table, N, &cause), 0);
	assert_int_equal(router_check(dup, 2, &cause), -1);
	assert_non_null(strstr(cause, "overlap"));
	free(cause);
	assert_int_equal(router_check(bad, 1, &cause), -1);
	assert_non_null(strstr(cause, "malformed"));
	free(cause);
}

static void
test_api_table(void **state)
{
	const struct route	*rt = NULL;
	struct router_params	 p;
	char			*cause = NULL, *allowed = NULL;

	assert_int_equal(router_check(api_routes, api_nroutes, &cause), 0);
	assert_int_equal(router_match(api_routes, api_nroutes, "GET",
	    "/api/v1/projects/churn/files/content", &rt, &p, &allowed),
	    ROUTER_FOUND);
	assert_ptr_equal(rt->handler, api_projects_content);
	router_params_done(&p);
	assert_int_equal(router_match(api_routes, api_nroutes, "PUT",
	    "/api/v1/projects/churn/env/TOKEN", &rt, &p, &allowed),
	    ROUTER_FOUND);
	assert_ptr_equal(rt->handler, api_projects_env_set);
	assert_string_equal(router_param(&p, "name"), "TOKEN");
	assert_true(rt->flags & ROUTE_BODY);
	router_params_done(&p);
	assert_int_equal(router_match(api_routes, api_nroutes, "POST",
	    "/api/v1/keys", &rt, &p, &allowed), ROUTER_FOUND);
	assert_true(rt->flags & ROUTE_LOCAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal),
		cmocka_unit_test(test_captures),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_bad_method),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_api_table),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
