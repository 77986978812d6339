/*
 * Tests of the TUI test harness itself, driving /bin/sh, printf, stty and
 * cat on the pty, so that a failing TUI test can be trusted to be about
 * the TUI.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"

/* Generous: these run on loaded machines and under ASan. */
#define WAIT	5000

/*
 * Run script on a rows x cols terminal. The terminal is kept in the test's
 * state, so that teardown() stops the program even when the test fails.
 */
static struct term *
spawn_sh(void **state, int rows, int cols, const char *script,
    char *const env[])
{
	char *const	 argv[] = { "/bin/sh", "-c", (char *)script, NULL };

	term_free(*state);
	*state = term_spawn(rows, cols, argv, env);
	assert_non_null(*state);
	return *state;
}

static int
teardown(void **state)
{
	term_free(*state);
	*state = NULL;
	return 0;
}

/* Wait for text, and show the screen if it does not come. */
static void
wait_text(struct term *t, const char *text)
{
	if (term_wait_text(t, text, WAIT) == -1) {
		printf("# waited for \"%s\"\n", text);
		term_dump(t, stdout);
		fail();
	}
}

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
test_text_found(void **state)
{
	struct term	*t;
	char		*s;
	int		 row = -1, col = -1;

	t = spawn_sh(state, 24, 80,
	    "printf 'hello\\n  world here   \\n'; sleep 10", NULL);
	wait_text(t, "world here");
	assert_int_equal(term_find(t, "world", &row, &col), 0);
	assert_int_equal(row, 1);
	assert_int_equal(col, 2);
	assert_int_equal(term_find(t, "here", NULL, &col), 0);
	assert_int_equal(col, 8);
	assert_int_equal(term_find(t, "hello world", &row, &col), -1);
	assert_int_equal(row, 1);	/* untouched on failure */

	s = term_row(t, 1);
	assert_string_equal(s, "  world here");
	free(s);
	s = term_row(t, 23);
	assert_string_equal(s, "");
	free(s);
	assert_null(term_row(t, 24));
	assert_null(term_row(t, -1));

	s = term_screen(t);
	assert_int_equal(strncmp(s, "hello\n  world here\n\n", 20), 0);
	assert_int_equal(strlen(s), strlen("hello\n  world here") + 22);
	free(s);

	assert_int_equal(term_cursor(t, &row, &col), 0);
	assert_int_equal(row, 2);
	assert_int_equal(col, 0);
}

static void
test_attr_colours(void **state)
{
	struct term		*t;
	struct term_attr	 a;

	t = spawn_sh(state, 24, 80, "printf '\\033[1;31mRED\\033[0m plain "
	    "\\033[4;7;38;5;196;48;5;21mX\\033[0m "
	    "\\033[3;38;2;10;20;30mT\\033[0m|'; sleep 10", NULL);
	wait_text(t, "|");

	/* Bold palette red: index 1, and its RGB from the palette. */
	assert_int_equal(term_attr(t, 0, 0, &a), 0);
	assert_true(a.bold);
	assert_false(a.underline || a.italic || a.reverse);
	assert_false(a.fg_default);
	assert_true(a.bg_default);
	assert_int_equal(a.fg_index, 1);
	assert_true(a.fg_r > 128 && a.fg_g < 64 && a.fg_b < 64);
	assert_int_equal(a.bg_index, -1);

	/* Plain text after SGR 0. */
	assert_int_equal(term_attr(t, 0, 4, &a), 0);
	assert_false(a.bold);
	assert_true(a.fg_default);
	assert_int_equal(a.fg_index, -1);

	/* 256 colours, underline, reverse. */
	assert_int_equal(term_attr(t, 0, 10, &a), 0);
	assert_true(a.underline);
	assert_true(a.reverse);
	assert_int_equal(a.fg_index, 196);
	assert_int_equal(a.bg_index, 21);
	assert_int_equal(a.fg_r, 255);
	assert_int_equal(a.fg_g, 0);
	assert_int_equal(a.fg_b, 0);
	assert_int_equal(a.bg_r, 0);
	assert_int_equal(a.bg_g, 0);
	assert_int_equal(a.bg_b, 255);

	/* Truecolor and italic. */
	assert_int_equal(term_attr(t, 0, 12, &a), 0);
	assert_true(a.italic);
	assert_false(a.fg_default);
	assert_int_equal(a.fg_index, -1);
	assert_int_equal(a.fg_r, 10);
	assert_int_equal(a.fg_g, 20);
	assert_int_equal(a.fg_b, 30);

	assert_int_equal(term_attr(t, 24, 0, &a), -1);
	assert_int_equal(term_attr(t, 0, 80, &a), -1);
}

static void
test_wide_characters(void **state)
{
	struct term	*t;
	char		*s;
	int		 row, col;

	t = spawn_sh(state, 24, 80, "printf '漢字ab\\n'; sleep 10", NULL);
	wait_text(t, "ab");
	s = term_row(t, 0);
	assert_string_equal(s, "漢字ab");
	free(s);
	assert_int_equal(term_find(t, "字", &row, &col), 0);
	assert_int_equal(col, 2);
	assert_int_equal(term_find(t, "ab", &row, &col), 0);
	assert_int_equal(col, 4);
}

static void
test_resize_seen(void **state)
{
	struct term	*t;
	char		*s;

	t = spawn_sh(state, 24, 80, "stty size; trap 'stty size' WINCH; "
	    "echo ready; while :; do sleep 0.05; done", NULL);
	wait_text(t, "24 80");
	wait_text(t, "ready");
	term_resize(t, 30, 100);
	wait_text(t, "30 100");
	/* The emulated screen grew with the pty. */
	s = term_row(t, 29);
	assert_non_null(s);
	free(s);
	assert_null(term_row(t, 30));
}

static void
test_wait_timeout(void **state)
{
	struct term	*t;
	int64_t		 start, took;

	t = spawn_sh(state, 24, 80, "echo nope; sleep 10", NULL);
	wait_text(t, "nope");

	start = now_ms();
	assert_int_equal(term_wait_text(t, "never", 300), -1);
	took = now_ms() - start;
	assert_true(took >= 300 && took < 3000);

	assert_int_equal(term_wait_gone(t, "never", WAIT), 0);
	start = now_ms();
	assert_int_equal(term_wait_gone(t, "nope", 200), -1);
	took = now_ms() - start;
	assert_true(took >= 200 && took < 3000);
}

static void
test_wait_gone(void **state)
{
	struct term	*t;

	t = spawn_sh(state, 24, 80, "echo ready; read x; "
	    "printf '\\033[H\\033[2J'; echo cleared; sleep 10", NULL);
	wait_text(t, "ready");
	term_send(t, TERM_KEY_ENTER);
	assert_int_equal(term_wait_gone(t, "ready", WAIT), 0);
	wait_text(t, "cleared");
}

static void
test_exit_status(void **state)
{
	struct term	*t;
	int		 status = -1, i;

	t = spawn_sh(state, 24, 80, "echo bye; exit 3", NULL);
	assert_int_equal(term_wait_exit(t, WAIT, &status), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	status = -1;
	assert_int_equal(term_wait_exit(t, 0, &status), 0);
	assert_int_equal(WEXITSTATUS(status), 3);
	/* What it wrote before exiting is still read. */
	wait_text(t, "bye");
	for (i = 0; i < 1000 && term_pump(t, 10) != -1; i++)
		;
	assert_int_equal(term_pump(t, 0), -1);
	/* Nothing more will come. */
	assert_int_equal(term_wait_text(t, "never", WAIT), -1);
	assert_int_equal(term_wait_idle(t, 1000, WAIT), 0);
}

static void
test_exec_fails(void **state)
{
	char *const	 argv[] = { "/nonexistent/lathe-test", NULL };
	struct term	*t;
	int		 status;

	t = *state = term_spawn(24, 80, argv, NULL);
	assert_non_null(t);
	assert_int_equal(term_wait_exit(t, WAIT, &status), 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 127);
	wait_text(t, "/nonexistent/lathe-test: No such file");
}

static void
test_running_is_not_exited(void **state)
{
	struct term	*t;
	int		 status = 42;

	t = spawn_sh(state, 24, 80, "echo up; sleep 10", NULL);
	wait_text(t, "up");
	assert_int_equal(term_wait_exit(t, 100, &status), -1);
	assert_int_equal(status, 42);
}

static void
test_bytes_counted(void **state)
{
	struct term	*t;
	size_t		 n;

	t = spawn_sh(state, 24, 80,
	    "printf abcdef; read x; printf gh; sleep 10", NULL);
	wait_text(t, "abcdef");
	assert_int_equal(term_wait_idle(t, 200, WAIT), 0);
	assert_int_equal(term_bytes(t), 6);
	/* Idle: nothing more arrives. */
	assert_int_equal(term_wait_idle(t, 300, WAIT), 0);
	assert_int_equal(term_bytes(t), 6);
	/* The pty echoes what is typed: "\r" comes back as "\r\n". */
	term_send(t, TERM_KEY_ENTER);
	wait_text(t, "gh");
	n = term_bytes(t);
	assert_int_equal(n, 6 + 2 + 2);
}

static void
test_idle_times_out(void **state)
{
	struct term	*t;
	int64_t		 start, took;

	/* A builtin loop: no fork that a loaded machine could stall. */
	t = spawn_sh(state, 24, 80, "while :; do echo busy; done", NULL);
	wait_text(t, "busy");
	start = now_ms();
	assert_int_equal(term_wait_idle(t, 300, 400), -1);
	took = now_ms() - start;
	assert_true(took >= 400 && took < 3000);
}

/* A script that reads len raw bytes from the pty and shows them with cat -v. */
static struct term *
spawn_reader(void **state, int len, const char *before)
{
	char	script[256];

	snprintf(script, sizeof script, "%sstty raw -echo; echo ready; "
	    "head -c %d | cat -v; echo '|'; sleep 10", before, len);
	return spawn_sh(state, 24, 80, script, NULL);
}

static void
test_mouse_click(void **state)
{
	struct term	*t;

	t = spawn_reader(state, 18, "");
	wait_text(t, "ready");
	term_click(t, 2, 4);
	wait_text(t, "^[[<0;5;3M^[[<0;5;3m|");
}

static void
test_mouse_wheel(void **state)
{
	struct term	*t;

	t = spawn_reader(state, 22, "");
	wait_text(t, "ready");
	term_wheel(t, 9, 19, 1);
	term_wheel(t, 0, 0, 0);
	wait_text(t, "^[[<64;20;10M^[[<65;1;1M|");
}

static void
test_keys_normal_mode(void **state)
{
	struct term	*t;

	t = spawn_reader(state, 10, "");
	wait_text(t, "ready");
	term_send(t, TERM_KEY_UP);
	term_send(t, TERM_KEY_PGDN);
	term_send(t, TERM_KEY_CTRL('l'));
	term_send(t, TERM_KEY_ESC);
	term_send(t, TERM_KEY_BACKSPACE);
	wait_text(t, "^[[A^[[6~^L^[^?|");
}

static void
test_keys_application_mode(void **state)
{
	struct term	*t;

	/* What curses' keypad() asks for: cursor keys send ESC O. */
	t = spawn_reader(state, 13, "printf '\\033[?1h\\033='; ");
	wait_text(t, "ready");
	term_send(t, TERM_KEY_UP TERM_KEY_LEFT TERM_KEY_HOME);
	term_send(t, TERM_KEY_PGUP);
	wait_text(t, "^[OA^[OD^[OH^[[5~|");
}

static void
test_query_answered(void **state)
{
	struct term	*t;

	/* A cursor position report, as programs ask for. */
	t = spawn_sh(state, 24, 80, "stty raw -echo; "
	    "printf '\\033[3;5H\\033[6n'; head -c 6 | cat -v; echo '|'; "
	    "sleep 10", NULL);
	wait_text(t, "^[[3;5R|");
}

static void
test_environment(void **state)
{
	char *const	 env[] = { "EMPTY=", "GONE=1", "-GONE", "FOO=bar",
	    NULL };
	char *const	 term[] = { "TERM=dumb", "LC_ALL=C", NULL };
	struct term	*t;

	/* Spawning copies the environment, so it is restored at once. */
	setenv("COLUMNS", "999", 1);
	setenv("FOO", "outer", 1);
	t = spawn_sh(state, 24, 80, "echo \"T=$TERM L=$LANG A=$LC_ALL "
	    "C=${COLUMNS-unset} E=[${EMPTY-unset}] G=${GONE-unset} F=$FOO\"; "
	    "sleep 10", env);
	unsetenv("COLUMNS");
	wait_text(t, "T=xterm-256color L=C.UTF-8 A=C.UTF-8 C=unset E=[] "
	    "G=unset F=bar");

	t = spawn_sh(state, 24, 80, "echo \"T=$TERM A=$LC_ALL F=$FOO\"; "
	    "sleep 10", term);
	unsetenv("FOO");
	wait_text(t, "T=dumb A=C F=outer");
}

static void
test_free_kills(void **state)
{
	struct term	*t;
	char		*s;
	long		 pid;

	/* It ignores SIGTERM, so term_free() has to use SIGKILL. */
	t = spawn_sh(state, 24, 80, "trap '' TERM; echo pid=$$; "
	    "while :; do sleep 0.05; done", NULL);
	wait_text(t, "pid=");
	s = term_row(t, 0);
	pid = strtol(s + 4, NULL, 10);
	free(s);
	assert_true(pid > 1);
	*state = NULL;
	term_free(t);
	assert_int_equal(kill((pid_t)pid, 0), -1);
	assert_int_equal(errno, ESRCH);
	term_free(NULL);
}

static void
test_dump(void **state)
{
	struct term	*t;
	char		*buf = NULL, *line;
	size_t		 len = 0;
	FILE		*fp;
	int		 lines = 0;

	t = spawn_sh(state, 5, 20, "echo first; echo; echo third; sleep 10",
	    NULL);
	wait_text(t, "third");
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	term_dump(t, fp);
	fclose(fp);
	assert_non_null(strstr(buf, "#   0|first\n#   1|\n#   2|third\n"));
	for (line = strtok(buf, "\n"); line != NULL;
	    line = strtok(NULL, "\n")) {
		assert_int_equal(strncmp(line, "# ", 2), 0);
		lines++;
	}
	assert_int_equal(lines, 1 + 5);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_text_found, teardown),
		cmocka_unit_test_teardown(test_attr_colours, teardown),
		cmocka_unit_test_teardown(test_wide_characters, teardown),
		cmocka_unit_test_teardown(test_resize_seen, teardown),
		cmocka_unit_test_teardown(test_wait_timeout, teardown),
		cmocka_unit_test_teardown(test_wait_gone, teardown),
		cmocka_unit_test_teardown(test_exit_status, teardown),
		cmocka_unit_test_teardown(test_exec_fails, teardown),
		cmocka_unit_test_teardown(test_running_is_not_exited, teardown),
		cmocka_unit_test_teardown(test_bytes_counted, teardown),
		cmocka_unit_test_teardown(test_idle_times_out, teardown),
		cmocka_unit_test_teardown(test_mouse_click, teardown),
		cmocka_unit_test_teardown(test_mouse_wheel, teardown),
		cmocka_unit_test_teardown(test_keys_normal_mode, teardown),
		cmocka_unit_test_teardown(test_keys_application_mode, teardown),
		cmocka_unit_test_teardown(test_query_answered, teardown),
		cmocka_unit_test_teardown(test_environment, teardown),
		cmocka_unit_test_teardown(test_free_kills, teardown),
		cmocka_unit_test_teardown(test_dump, teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
