/*
 * Unit tests for core/env.c: layers merged in order, defaults taken only
 * from the listed variables, the array sorted and NULL-terminated.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "env.h"
#include "xmalloc.h"

/* The array is NULL-terminated, env_count long and strictly sorted. */
static void
check_array(struct env *env)
{
	char *const	*a = env_array(env);
	size_t		 i, n = env_count(env), l1, l2;
	int		 c;

	for (i = 0; i < n; i++) {
		assert_non_null(a[i]);
		assert_non_null(strchr(a[i], '='));
		if (i == 0)
			continue;
		l1 = strcspn(a[i - 1], "=");
		l2 = strcspn(a[i], "=");
		c = memcmp(a[i - 1], a[i], l1 < l2 ? l1 : l2);
		if (c > 0 || (c == 0 && l1 >= l2))
			fail_msg("'%s' before '%s'", a[i - 1], a[i]);
	}
	assert_null(a[n]);
}

/* Is "entry" in the array? */
static int
has(struct env *env, const char *entry)
{
	char *const	*a;

	for (a = env_array(env); *a != NULL; a++) {
		if (strcmp(*a, entry) == 0)
			return 1;
	}
	return 0;
}

static void
test_empty(void **state)
{
	struct env	*env = env_new();

	assert_int_equal(env_count(env), 0);
	assert_null(env_array(env)[0]);
	assert_null(env_get(env, "PATH"));
	env_unset(env, "PATH");
	assert_int_equal(env_count(env), 0);
	env_free(env);
	env_free(NULL);
}

static void
test_set_get_replace(void **state)
{
	struct env	*env = env_new();

	env_set(env, "A", "1");
	assert_string_equal(env_get(env, "A"), "1");
	env_set(env, "A", "2");
	assert_string_equal(env_get(env, "A"), "2");
	assert_int_equal(env_count(env), 1);
	assert_string_equal(env_array(env)[0], "A=2");
	/* Values may be empty and may hold '='. */
	env_set(env, "B", "");
	env_set(env, "C", "x=y=z");
	assert_string_equal(env_get(env, "B"), "");
	assert_string_equal(env_get(env, "C"), "x=y=z");
	assert_true(has(env, "C=x=y=z"));
	assert_true(has(env, "B="));
	/* Names are not prefixes of each other. */
	assert_null(env_get(env, "AB"));
	assert_null(env_get(env, ""));
	assert_null(env_get(env, "a"));
	check_array(env);
	env_free(env);
}

/* The value is copied: the caller's buffer may change or go. */
static void
test_set_copies(void **state)
{
	struct env	*env = env_new();
	char		*name = xstrdup("NAME"), *value = xstrdup("value");

	env_set(env, name, value);
	name[0] = 'X';
	value[0] = 'X';
	free(name);
	free(value);
	assert_string_equal(env_get(env, "NAME"), "value");
	env_free(env);
}

/* core defaults < project < job < run: the later layer wins. */
static void
test_layers(void **state)
{
	static char	*environ_[] = { "PATH=/usr/bin:/bin", "HOME=/home/u",
	    "TERM=xterm-256color", NULL };
	struct env	*env = env_new();

	env_defaults(env, environ_);
	/* project */
	env_set(env, "DATA", "/data/project");
	env_set(env, "MODE", "project");
	env_set(env, "MPLBACKEND", "TkAgg");
	/* job */
	env_set(env, "MODE", "job");
	env_set(env, "EPOCHS", "10");
	env_prepend_path(env, "PYTHONPATH", "/opt/sdk");
	/* run */
	env_set(env, "EPOCHS", "20");
	env_set(env, "HOME", "/run/home");

	assert_string_equal(env_get(env, "DATA"), "/data/project");
	assert_string_equal(env_get(env, "MODE"), "job");
	assert_string_equal(env_get(env, "EPOCHS"), "20");
	assert_string_equal(env_get(env, "HOME"), "/run/home");
	assert_string_equal(env_get(env, "MPLBACKEND"), "TkAgg");
	assert_string_equal(env_get(env, "PATH"), "/usr/bin:/bin");
	assert_string_equal(env_get(env, "TERM"), "dumb");
	assert_string_equal(env_get(env, "PYTHONUNBUFFERED"), "1");
	assert_string_equal(env_get(env, "PYTHONPATH"), "/opt/sdk");
	assert_int_equal(env_count(env), 9);
	check_array(env);
	env_free(env);
}

static void
test_unset(void **state)
{
	struct env	*env = env_new();

	env_set(env, "A", "1");
	env_set(env, "B", "2");
	env_set(env, "C", "3");
	env_unset(env, "B");
	assert_null(env_get(env, "B"));
	assert_int_equal(env_count(env), 2);
	assert_string_equal(env_array(env)[0], "A=1");
	assert_string_equal(env_array(env)[1], "C=3");
	assert_null(env_array(env)[2]);
	/* Unsetting what is not there changes nothing. */
	env_unset(env, "B");
	env_unset(env, "BB");
	env_unset(env, "");
	assert_int_equal(env_count(env), 2);
	/* A later layer may unset what an earlier one set, and set again. */
	env_unset(env, "A");
	env_unset(env, "C");
	assert_int_equal(env_count(env), 0);
	assert_null(env_array(env)[0]);
	env_set(env, "C", "4");
	assert_string_equal(env_get(env, "C"), "4");
	check_array(env);
	env_free(env);
}

/* Only the listed variables, whatever else lathed's environment holds. */
static void
test_defaults_only_listed(void **state)
{
	static char	*environ_[] = {
		"PATH=/p", "HOME=/h", "USER=u", "LOGNAME=l", "SHELL=/bin/zsh",
		"LANG=en_GB.UTF-8", "LC_ALL=C.UTF-8", "LC_TIME=de_DE.UTF-8",
		"TZ=Europe/Paris", "TMPDIR=/var/tmp", "TERM=xterm",
		"LATHE_KEY=secret", "LATHE_SOCKET=/run/lathe.sock",
		"SSH_AUTH_SOCK=/tmp/ssh-agent", "SSH_CONNECTION=1 2 3 4",
		"DISPLAY=:0", "PYTHONPATH=/home/u/lib", "LD_PRELOAD=/x.so",
		"MLFLOW_TRACKING_URI=http://elsewhere", "AWS_SECRET_ACCESS_KEY=k",
		"PATHX=/no", "XPATH=/no", "LC_=empty", "LC=no", "lc_all=no",
		"path=/no", "TZDIR=/no", "HOMEDIR=/no", "=nameless",
		"NOEQUALS", "PYTHONUNBUFFERED=0", "MPLBACKEND=TkAgg",
		NULL,
	};
	static const char	*want[] = {
		"HOME=/h", "LANG=en_GB.UTF-8", "LC_ALL=C.UTF-8",
		"LC_TIME=de_DE.UTF-8", "LOGNAME=l", "MPLBACKEND=Agg",
		"PATH=/p", "PYTHONUNBUFFERED=1", "SHELL=/bin/zsh", "TERM=dumb",
		"TMPDIR=/var/tmp", "TZ=Europe/Paris", "USER=u",
	};
	struct env	*env = env_new();
	size_t		 i;

	env_defaults(env, environ_);
	for (i = 0; i < env_count(env) && i < sizeof want / sizeof want[0];
	    i++)
		assert_string_equal(env_array(env)[i], want[i]);
	assert_int_equal(env_count(env), sizeof want / sizeof want[0]);
	assert_null(env_get(env, "LATHE_KEY"));
	assert_null(env_get(env, "SSH_AUTH_SOCK"));
	check_array(env);
	env_free(env);
}

/* The defaults stand without an environment; PATH has a sane fallback. */
static void
test_defaults_bare(void **state)
{
	static char	*none[] = { NULL };
	static char	*dup[] = { "PATH=/first", "PATH=/second", NULL };
	struct env	*env = env_new();

	env_defaults(env, none);
	assert_int_equal(env_count(env), 4);
	assert_string_equal(env_get(env, "PATH"),
	    "/usr/local/bin:/usr/bin:/bin");
	assert_string_equal(env_get(env, "TERM"), "dumb");
	assert_string_equal(env_get(env, "PYTHONUNBUFFERED"), "1");
	assert_string_equal(env_get(env, "MPLBACKEND"), "Agg");
	env_free(env);

	env = env_new();
	env_defaults(env, NULL);
	assert_int_equal(env_count(env), 4);
	env_free(env);

	/* As getenv: the first of two. */
	env = env_new();
	env_defaults(env, dup);
	assert_string_equal(env_get(env, "PATH"), "/first");
	env_free(env);
}

/* The defaults from this very process: no more than the list allows. */
static void
test_defaults_real(void **state)
{
	extern char	**environ;
	struct env	*env = env_new();
	const char	*home = getenv("HOME");
	char *const	*a;

	setenv("LATHE_KEY", "do-not-leak", 1);
	setenv("SSH_AUTH_SOCK", "/tmp/agent.1", 1);
	env_defaults(env, environ);
	if (home != NULL)
		assert_string_equal(env_get(env, "HOME"), home);
	for (a = env_array(env); *a != NULL; a++) {
		if (strncmp(*a, "LC_", 3) == 0)
			continue;
		if (strncmp(*a, "PATH=", 5) != 0 &&
		    strncmp(*a, "HOME=", 5) != 0 &&
		    strncmp(*a, "USER=", 5) != 0 &&
		    strncmp(*a, "LOGNAME=", 8) != 0 &&
		    strncmp(*a, "SHELL=", 6) != 0 &&
		    strncmp(*a, "LANG=", 5) != 0 &&
		    strncmp(*a, "TZ=", 3) != 0 &&
		    strncmp(*a, "TMPDIR=", 7) != 0 &&
		    strcmp(*a, "TERM=dumb") != 0 &&
		    strcmp(*a, "PYTHONUNBUFFERED=1") != 0 &&
		    strcmp(*a, "MPLBACKEND=Agg") != 0)
			fail_msg("'%s' came from lathed's environment", *a);
	}
	unsetenv("LATHE_KEY");
	unsetenv("SSH_AUTH_SOCK");
	env_free(env);
}

static void
test_prepend_path(void **state)
{
	struct env	*env = env_new();

	/* Without a value: the directory alone, no empty element. */
	env_prepend_path(env, "PYTHONPATH", "/opt/sdk");
	assert_string_equal(env_get(env, "PYTHONPATH"), "/opt/sdk");
	env_set(env, "EMPTY", "");
	env_prepend_path(env, "EMPTY", "/a");
	assert_string_equal(env_get(env, "EMPTY"), "/a");

	/* With one: in front. */
	env_set(env, "PATH", "/usr/bin:/bin");
	env_prepend_path(env, "PATH", "/venv/bin");
	assert_string_equal(env_get(env, "PATH"), "/venv/bin:/usr/bin:/bin");
	env_prepend_path(env, "PATH", "/other/bin");
	assert_string_equal(env_get(env, "PATH"),
	    "/other/bin:/venv/bin:/usr/bin:/bin");
	env_prepend_path(env, "PYTHONPATH", "/proj");
	assert_string_equal(env_get(env, "PYTHONPATH"), "/proj:/opt/sdk");
	assert_int_equal(env_count(env), 3);
	check_array(env);
	env_free(env);
}

/* By name, byte by byte: "A" < "A0" < "AB" < "A_" < "B" < "a". */
static void
test_sorted(void **state)
{
	static const char	*names[] = { "a", "A_", "B", "AB", "A0", "A",
	    "Z", "_", "PATH", "PATHX", "PAT" };
	static const char	*want[] = { "A=A", "A0=A0", "AB=AB", "A_=A_",
	    "B=B", "PAT=PAT", "PATH=PATH", "PATHX=PATHX", "Z=Z", "_=_",
	    "a=a" };
	struct env		*env = env_new();
	char *const		*a;
	size_t			 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		env_set(env, names[i], names[i]);
	a = env_array(env);
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(a[i], want[i]);
	assert_null(a[i]);
	env_free(env);
}

/* Thousands of variables set, replaced and unset in a scrambled order. */
static void
test_many(void **state)
{
	struct env	*env = env_new();
	char		 name[32], value[32];
	size_t		 i, k, n = 5000;

	for (i = 0; i < n; i++) {
		k = (i * 7919) % n;	/* 7919 is prime: a permutation */
		snprintf(name, sizeof name, "V%zu", k);
		snprintf(value, sizeof value, "%zu", k);
		env_set(env, name, value);
	}
	assert_int_equal(env_count(env), n);
	check_array(env);
	for (i = 0; i < n; i += 2) {
		snprintf(name, sizeof name, "V%zu", i);
		env_unset(env, name);
	}
	for (i = 1; i < n; i += 4) {
		snprintf(name, sizeof name, "V%zu", i);
		env_set(env, name, "again");
	}
	assert_int_equal(env_count(env), n / 2);
	check_array(env);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "V%zu", i);
		snprintf(value, sizeof value, "%zu", i);
		if (i % 2 == 0)
			assert_null(env_get(env, name));
		else if (i % 4 == 1)
			assert_string_equal(env_get(env, name), "again");
		else
			assert_string_equal(env_get(env, name), value);
	}
	env_free(env);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_set_get_replace),
		cmocka_unit_test(test_set_copies),
		cmocka_unit_test(test_layers),
		cmocka_unit_test(test_unset),
		cmocka_unit_test(test_defaults_only_listed),
		cmocka_unit_test(test_defaults_bare),
		cmocka_unit_test(test_defaults_real),
		cmocka_unit_test(test_prepend_path),
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_many),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
