/*
 * Unit tests for the helpers of tui/cli.c that jobs and runs use:
 * durations, times, quoted argument lists, and how the command line finds
 * "--" and a project given before the command. Commands that get past
 * their checks go to a core that is not there ($LATHE_URL on a closed
 * port), so that exit status 1 tells they were accepted and 2 that they
 * were refused.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "cli.h"
#include "xmalloc.h"

static void
test_duration(void **state)
{
	static const struct {
		int64_t		 ms;
		const char	*want;
	} cases[] = {
		{ -5, "0s" },
		{ 0, "0s" },
		{ 400, "0.4s" },
		{ 1234, "1.2s" },
		{ 5000, "5s" },
		{ 59999, "59.9s" },
		{ 60000, "1m00s" },
		{ 184000, "3m04s" },
		{ 3599999, "59m59s" },
		{ 7800000, "2h10m" },
		{ 90000000, "1d01h" },
	};
	char	out[32];
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cli_duration(cases[i].ms, out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
}

static void
test_time_ms(void **state)
{
	char	out[64];

	setenv("TZ", "UTC", 1);
	tzset();
	cli_time_ms(0, out, sizeof out);
	assert_string_equal(out, "-");
	cli_time_ms(86400000 + 3 * 3600000 + 61000, out, sizeof out);
	assert_string_equal(out, "1970-01-02 03:01");
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	cli_time_ms(86400000, out, sizeof out);
	assert_string_equal(out, "1970-01-02 05:30");
	unsetenv("TZ");
	tzset();
}

static void
test_words(void **state)
{
	cJSON	*a = cJSON_CreateArray();
	char	*s;

	s = cli_words(a);
	assert_string_equal(s, "");
	free(s);
	cJSON_AddItemToArray(a, cJSON_CreateString("train.py"));
	cJSON_AddItemToArray(a, cJSON_CreateString("--epochs=5"));
	cJSON_AddItemToArray(a, cJSON_CreateString("two words"));
	cJSON_AddItemToArray(a, cJSON_CreateString("it's"));
	cJSON_AddItemToArray(a, cJSON_CreateString(""));
	cJSON_AddItemToArray(a, cJSON_CreateString("a\033[2Jb"));
	cJSON_AddItemToArray(a, cJSON_CreateString("$HOME"));
	s = cli_words(a);
	assert_string_equal(s, "train.py --epochs=5 'two words' 'it'\\''s' "
	    "'' 'a^[[2Jb' '$HOME'");
	free(s);
	cJSON_Delete(a);
}

/* Run the command line with a core that cannot be reached. */
static int
run(const char *first, ...)
{
	char	*argv[32];
	int	 argc = 0;
	va_list	 ap;

	argv[argc++] = (char *)"lathe";
	va_start(ap, first);
	for (argv[argc] = (char *)first; argv[argc] != NULL;
	    argv[argc] = va_arg(ap, char *))
		argc++;
	va_end(ap);
	assert_true(argc < 32);
	return cli_main(argc, argv);
}

static int
setup(void **state)
{
	setenv("LATHE_URL", "http://127.0.0.1:1", 1);
	setenv("LATHE_KEY", "lk_00000000_test", 1);
	return 0;
}

static void
test_dashdash(void **state)
{
	/* A positional argument before "--" is no argument of the script. */
	assert_int_equal(run("job", "create", "j", "s.py", "-p", "p",
	    "extra", NULL), CLI_EXIT_USAGE);
	assert_int_equal(run("job", "create", "j", "s.py", "-p", "p", "--",
	    "extra", "--flag", NULL), CLI_EXIT_ERROR);
	/* "--" as an option's value does not end the options. */
	assert_int_equal(run("job", "create", "j", "s.py", "--arg", "--",
	    "-p", "p", NULL), CLI_EXIT_ERROR);
	assert_int_equal(run("job", "create", "j", "s.py", "--arg", "--",
	    "-p", "p", "extra", NULL), CLI_EXIT_USAGE);
	/* Everything may come after "--", the names too. */
	assert_int_equal(run("job", "run", "-p", "p", "--", "j", "a", "b",
	    NULL), CLI_EXIT_ERROR);
	/* --arg and "--" at once are refused. */
	assert_int_equal(run("job", "create", "j", "s.py", "-p", "p", "--arg",
	    "a", "--", "b", NULL), CLI_EXIT_USAGE);
	/* edit: "--" last clears the arguments, which is a change. */
	assert_int_equal(run("job", "edit", "j", "-p", "p", NULL),
	    CLI_EXIT_USAGE);
	assert_int_equal(run("job", "edit", "j", "-p", "p", "--", NULL),
	    CLI_EXIT_ERROR);
	/* but before the name it only ends the options. */
	assert_int_equal(run("job", "edit", "-p", "p", "--", "j", NULL),
	    CLI_EXIT_USAGE);
	assert_int_equal(run("job", "edit", "-p", "p", "--arg", "a", "--",
	    "j", NULL), CLI_EXIT_ERROR);
}

static void
test_project(void **state)
{
	assert_int_equal(run("job", "list", NULL), CLI_EXIT_USAGE);
	assert_int_equal(run("job", "list", "-p", "", NULL), CLI_EXIT_USAGE);
	assert_int_equal(run("job", "list", "-p", "p", NULL), CLI_EXIT_ERROR);
	assert_int_equal(run("job", "list", "--project=p", NULL),
	    CLI_EXIT_ERROR);
	/* lathe -p NAME before a command that takes a project. */
	assert_int_equal(run("-p", "p", "job", "list", NULL), CLI_EXIT_ERROR);
	assert_int_equal(run("-pp", "run", "show", "3", NULL), CLI_EXIT_ERROR);
	assert_int_equal(run("-p", "p", "project", "list", NULL),
	    CLI_EXIT_USAGE);
	assert_int_equal(run("-p", "p", "runtime", "list", NULL),
	    CLI_EXIT_USAGE);
	/* Core-wide commands take none. */
	assert_int_equal(run("runtime", "list", "-p", "p", NULL),
	    CLI_EXIT_USAGE);
}

static void
test_options(void **state)
{
	assert_int_equal(run("job", "create", "j", "s.py", "-p", "p", "--env",
	    "A=1", "--env", "B", NULL), CLI_EXIT_USAGE);
	assert_int_equal(run("job", "create", "j", "s.py", "-p", "p", "--env",
	    "A=1", "--env", "B=", NULL), CLI_EXIT_ERROR);
	assert_int_equal(run("job", "create", "j", "s.py", "-p", "p",
	    "--retries", "2x", NULL), CLI_EXIT_USAGE);
	assert_int_equal(run("job", "create", "j", "s.py", "-p", "p",
	    "--after", "a", "--cron", "@daily", NULL), CLI_EXIT_USAGE);
	assert_int_equal(run("job", "edit", "j", "-p", "p", "--no-args",
	    "--arg", "x", NULL), CLI_EXIT_USAGE);
	assert_int_equal(run("job", "edit", "j", "-p", "p", "--no-env",
	    "--env", "A=1", NULL), CLI_EXIT_USAGE);
	assert_int_equal(run("run", "logs", "1", "-p", "p", "--tail", "0",
	    NULL), CLI_EXIT_USAGE);
	assert_int_equal(run("run", "logs", "1", "-p", "p", "--tail", "64K",
	    NULL), CLI_EXIT_ERROR);
	assert_int_equal(run("run", "stop", "1x", "-p", "p", NULL),
	    CLI_EXIT_USAGE);
	assert_int_equal(run("profile", "add", "x", "--vcpu", "1",
	    "--memory", "1G", "--gpus", "one", NULL), CLI_EXIT_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_time_ms),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_dashdash),
		cmocka_unit_test(test_project),
		cmocka_unit_test(test_options),
	};
	int	rc;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	cmocka_set_message_output(CM_OUTPUT_TAP);
	rc = cmocka_run_group_tests(tests, setup, NULL);
	curl_global_cleanup();
	return rc;
}
