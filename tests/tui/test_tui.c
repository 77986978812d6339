/*
 * Screen tests of the terminal UI: the real lathe on a pseudo-terminal at
 * fixed sizes, driven by keys and the mouse, against the real lathed on a
 * private state directory; the screen is read back through libvterm and
 * its text and attributes asserted on.
 */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

#define WAIT	8000	/* ms: generous, the machine may be loaded */

static char	 tmp[64];
static char	 lathe[4200], lathed[4200], datadir[600];
static pid_t	 core_pid;

static void
fail_dump(struct term *t, const char *what)
{
	fprintf(stdout, "# %s; the screen was:\n", what);
	term_dump(t, stdout);
	fflush(stdout);
	fail_msg("%s", what);
}

/* Wait for text or fail the test, showing the screen. */
static void
see(struct term *t, const char *text)
{
	char	msg[256];

	if (term_wait_text(t, text, WAIT) != 0) {
		snprintf(msg, sizeof msg, "'%s' never appeared", text);
		fail_dump(t, msg);
	}
}

static void
unsee(struct term *t, const char *text)
{
	char	msg[256];

	if (term_wait_gone(t, text, WAIT) != 0) {
		snprintf(msg, sizeof msg, "'%s' stayed on the screen", text);
		fail_dump(t, msg);
	}
}

static int
run(const char *fmt, ...)
{
	va_list	 ap;
	char	 cmd[2048];

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void
core_start(void)
{
	char	 sock[128];
	int	 i;

	core_pid = fork();
	if (core_pid == 0) {
		execl(lathed, "lathed", "--foreground", "--log-level", "warn",
		    (char *)NULL);
		_exit(127);
	}
	snprintf(sock, sizeof sock, "%s/run/lathed.sock", tmp);
	for (i = 0; i < 200; i++) {
		if (access(sock, F_OK) == 0)
			return;
		usleep(50000);
	}
}

static void
core_stop(int sig)
{
	if (core_pid > 0) {
		kill(core_pid, sig);
		waitpid(core_pid, NULL, 0);
	}
	core_pid = 0;
}

static struct term *
spawn(int rows, int cols, const char *project, const char *extra_env)
{
	char	*argv[4] = { lathe, NULL, NULL, NULL };
	char	*env[3] = { NULL, NULL, NULL };
	char	 p[64];
	struct term *t;

	if (project != NULL) {
		snprintf(p, sizeof p, "-p%s", project);
		argv[1] = p;
	}
	if (extra_env != NULL)
		env[0] = (char *)extra_env;
	t = term_spawn(rows, cols, argv, env);
	assert_non_null(t);
	return t;
}

static void
quit(struct term *t)
{
	int	status = 0;

	/* q goes back a step at a time; :quit leaves from anywhere. */
	term_send(t, ":quit\r");
	if (term_wait_exit(t, WAIT, &status) != 0)
		fail_dump(t, "lathe did not quit on :quit");
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	term_free(t);
}

static int
group_setup(void **state)
{
	const char	*b = getenv("top_builddir"), *s = getenv("top_srcdir");
	char		 path[700], *abs;

	if (b == NULL)
		b = ".";
	if (s == NULL)
		s = "../..";
	snprintf(tmp, sizeof tmp, "/tmp/lathe-tui-XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return -1;
	if ((abs = realpath(b, NULL)) == NULL)
		return -1;
	snprintf(lathe, sizeof lathe, "%s/lathe", abs);
	snprintf(lathed, sizeof lathed, "%s/lathed", abs);
	free(abs);
	/* Templates and themes as they are installed: DATADIR/{templates,themes}. */
	snprintf(datadir, sizeof datadir, "%s/data", tmp);
	mkdir(datadir, 0700);
	if (run("ln -s \"$(cd '%s' && pwd)/core/templates\" '%s/templates' && "
	    "ln -s \"$(cd '%s' && pwd)/themes\" '%s/themes'", s, datadir, s,
	    datadir) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/state", tmp);
	setenv("LATHE_STATE_DIR", path, 1);
	snprintf(path, sizeof path, "%s/run", tmp);
	setenv("LATHE_RUNTIME_DIR", path, 1);
	snprintf(path, sizeof path, "%s/home", tmp);
	mkdir(path, 0700);
	setenv("HOME", path, 1);
	snprintf(path, sizeof path, "%s/config", tmp);
	setenv("XDG_CONFIG_HOME", path, 1);
	setenv("LATHE_DATA_DIR", datadir, 1);
	setenv("LATHED", lathed, 1);
	unsetenv("LATHE_URL");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_RUNTIME_DIR");
	core_start();
	/* The example project, and one with awkward file names. */
	if (run("'%s' project create example --template example "
	    "--description 'Customer churn' >/dev/null", lathe) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/odd", tmp);
	mkdir(path, 0700);
	if (run("cd '%s' && printf 'x' > \"$(printf 'evil\\033[2Jname.txt')\" "
	    "&& printf 'y' > '漢字.txt' && mkdir sub && printf 'deep' > "
	    "sub/inner.txt && printf 'PK\\003\\004\\000\\000xx' > data.zip && "
	    "seq -f 'line %%06g of the big log' 1 200000 > big.log && "
	    "'%s' project create odd --dir . >/dev/null", path, lathe) != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	core_stop(SIGTERM);
	run("rm -rf '%s'", tmp);
	return 0;
}

static void
forget_last(void)
{
	run("rm -f '%s/state/last-project'", tmp);
}

static void
test_first_start_shows_picker(void **state)
{
	struct term	*t;

	forget_last();
	t = spawn(24, 80, NULL, NULL);
	see(t, "Projects (2)");
	see(t, "example");
	see(t, "Customer churn");
	see(t, "project-new");		/* the hints in the status line */
	term_send(t, TERM_KEY_ENTER);	/* example sorts first */
	see(t, "project example");
	see(t, "train.py");
	see(t, "1 Files");
	quit(t);
}

static void
test_q_steps_back_then_quits(void **state)
{
	struct term	*t = spawn(24, 100, "example", NULL);
	int		 status = 0;

	see(t, "train.py");
	term_send(t, TERM_KEY_TAB);	/* the preview */
	term_send(t, "?");
	see(t, "Help: keys");
	term_send(t, "q");		/* closes the help */
	unsee(t, "Help: keys");
	term_send(t, "q");		/* back to the tree */
	term_send(t, "q");		/* and out */
	if (term_wait_exit(t, WAIT, &status) != 0)
		fail_dump(t, "q did not quit from the tree");
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	term_free(t);
}

static void
test_last_project_remembered(void **state)
{
	struct term	*t = spawn(24, 80, "odd", NULL);

	see(t, "project odd");
	quit(t);
	t = spawn(24, 80, NULL, NULL);
	see(t, "project odd");
	quit(t);
}

static void
test_sections(void **state)
{
	struct term	*t = spawn(24, 80, "example", NULL);

	see(t, "train.py");
	term_send(t, "3");
	/* The example's jobs, from its manifest. */
	see(t, "Jobs (2)");
	see(t, "after ingest");
	term_send(t, "2");
	see(t, "Sessions are not built yet");
	see(t, "(lathe session start)");
	/* A message leaves the status line by itself. */
	term_send(t, "R");
	see(t, "reloading");
	unsee(t, "reloading");
	term_send(t, "7");
	see(t, "Settings of example");
	see(t, "Customer churn");
	term_send(t, "1");
	see(t, "generate_data.py");
	quit(t);
}

static void
test_filter(void **state)
{
	struct term	*t = spawn(24, 80, "example", NULL);

	see(t, "generate_data.py");
	term_send(t, "/TRA");
	see(t, "1 of 4 match 'tra'");
	unsee(t, "generate_data.py");
	see(t, "train.py");
	term_send(t, TERM_KEY_ESC);
	see(t, "generate_data.py");
	quit(t);
}

static void
test_palette_completion(void **state)
{
	struct term		*t = spawn(24, 80, "example", NULL);
	struct term_attr	 dark, light;
	char			*row;
	int			 r, c;

	see(t, "train.py");
	assert_int_equal(term_find(t, "generate_data.py", &r, &c), 0);
	assert_int_equal(term_attr(t, r, c, &dark), 0);
	term_send(t, ":the");
	term_send(t, TERM_KEY_TAB);
	see(t, ":theme ");
	term_send(t, "li");
	term_send(t, TERM_KEY_TAB);
	see(t, ":theme light");
	term_send(t, TERM_KEY_ENTER);
	see(t, "switched to the light theme");
	/* The file tree takes the light theme's colours at once. */
	assert_int_equal(term_attr(t, r, c, &light), 0);
	assert_true(dark.bg_r != light.bg_r || dark.bg_g != light.bg_g ||
	    dark.bg_b != light.bg_b || dark.fg_r != light.fg_r ||
	    dark.fg_index != light.fg_index || dark.bg_index != light.bg_index);
	term_send(t, ":theme nosuch\r");
	see(t, "no theme 'nosuch'");
	term_send(t, ":nosuch");
	term_send(t, TERM_KEY_ENTER);
	see(t, "no command 'nosuch'");
	row = term_row(t, 23);
	assert_non_null(row);
	free(row);
	quit(t);
}

static void
test_help(void **state)
{
	struct term	*t = spawn(40, 120, "example", NULL);

	see(t, "train.py");
	term_send(t, "?");
	see(t, "Help: keys for this pane");
	see(t, "filter the list as you type");
	see(t, "open a directory");	/* the files pane's own action */
	term_send(t, "q");
	unsee(t, "Help: keys");
	see(t, "train.py");
	quit(t);
}

static void
test_readme_rendered(void **state)
{
	struct term	*t = spawn(40, 120, "example", NULL);
	int		 row, col;

	see(t, "README.md");
	/* README.md is the first file: its preview shows rendered. */
	see(t, "rendered (v: source)");
	/* The heading is shown as a heading, its '#' marks gone. */
	see(t, "Customer churn");
	assert_int_equal(term_find(t, "# Customer churn", &row, &col), -1);
	term_send(t, TERM_KEY_TAB);
	term_send(t, "v");
	see(t, "source (v: rendered)");
	see(t, "# Customer churn");
	quit(t);
}

static void
test_source_coloured(void **state)
{
	struct term		*t = spawn(40, 120, "example", NULL);
	struct term_attr	 kw, plain;
	int			 row, col;

	see(t, "train.py");
	term_send(t, "/train");
	see(t, "1 of 4");
	term_send(t, TERM_KEY_ENTER);	/* keep the filter, leave the prompt */
	see(t, "train.py  ");
	see(t, "import ");
	assert_int_equal(term_find(t, "import ", &row, &col), 0);
	assert_int_equal(term_attr(t, row, col, &kw), 0);
	assert_int_equal(term_attr(t, row, col + 7, &plain), 0);
	/* A keyword looks different from the name after it. */
	assert_true(kw.bold != plain.bold || kw.fg_index != plain.fg_index ||
	    kw.fg_r != plain.fg_r || kw.fg_g != plain.fg_g);
	quit(t);
}

static void
test_escapes_and_wide_names(void **state)
{
	struct term	*t = spawn(24, 80, "odd", NULL);
	int		 r1, c1, r2, c2;

	see(t, "evil^[[2Jname.txt");
	see(t, "漢字.txt");
	see(t, "sub");
	/* Sizes line up in one column whatever the width of the names. */
	assert_int_equal(term_find(t, "漢字.txt", &r1, &c1), 0);
	assert_int_equal(term_find(t, "evil^[", &r2, &c2), 0);
	assert_int_equal(c1, c2);
	term_send(t, "/data");
	see(t, "1 of 5");
	term_send(t, TERM_KEY_ENTER);	/* leaves the filter prompt */
	term_send(t, TERM_KEY_ENTER);	/* opens the file */
	see(t, "Binary file");
	see(t, "zip archive");
	quit(t);
}

static void
test_large_file_paged(void **state)
{
	struct term	*t = spawn(24, 100, "odd", NULL);

	see(t, "big.log");
	term_send(t, "/big");
	see(t, "1 of 5");
	term_send(t, TERM_KEY_ENTER);
	term_send(t, TERM_KEY_ENTER);	/* the preview */
	see(t, "line 000001 of the big log");
	/* The end of a 6 MB file without reading what lies between. */
	term_send(t, "G");
	see(t, "line 200000 of the big log");
	see(t, "(from byte");
	term_send(t, "g");
	see(t, "line 000001 of the big log");
	term_send(t, TERM_KEY_PGDN);
	term_send(t, TERM_KEY_PGDN);
	see(t, "line 000044 of the big log");
	quit(t);
}

static void
test_expand_directory(void **state)
{
	struct term	*t = spawn(24, 80, "odd", NULL);
	char		*screen, *first;

	see(t, "sub");
	term_send(t, "/sub");
	see(t, "1 of 5");
	term_send(t, TERM_KEY_ENTER);
	term_send(t, TERM_KEY_ESC);
	see(t, "data.zip");
	term_send(t, "l");
	see(t, "inner.txt");
	term_send(t, "h");
	unsee(t, "inner.txt");
	/* Open, close and open again faster than the core answers. */
	term_send(t, "lhlhl");
	see(t, "inner.txt");
	term_wait_idle(t, 300, WAIT);
	screen = term_screen(t);
	first = strstr(screen, "inner.txt");
	assert_non_null(first);
	assert_null(strstr(first + 1, "inner.txt"));
	free(screen);
	quit(t);
}

static void
test_no_color(void **state)
{
	struct term		*t = spawn(24, 80, "example", "NO_COLOR=1");
	struct term_attr	 a;
	int			 row, col;

	see(t, "train.py");
	assert_int_equal(term_find(t, "lathe", &row, &col), 0);
	assert_int_equal(term_attr(t, row, col, &a), 0);
	assert_true(a.fg_default && a.bg_default);
	/* The selection still shows, in reverse video. */
	assert_int_equal(term_find(t, "README.md", &row, &col), 0);
	assert_int_equal(term_attr(t, row, col, &a), 0);
	assert_true(a.reverse);
	quit(t);
}

static void
test_resize(void **state)
{
	struct term	*t = spawn(40, 120, "example", NULL);

	see(t, "train.py");
	term_resize(t, 10, 40);
	see(t, "lathe");
	see(t, "train.py");
	term_resize(t, 8, 30);
	see(t, "terminal too small");
	term_resize(t, 5, 10);
	see(t, "terminal");
	term_resize(t, 40, 120);
	see(t, "generate_data.py");
	unsee(t, "terminal too small");
	term_send(t, "2");
	see(t, "Sessions are not built yet");
	quit(t);
}

static void
test_idle_writes_nothing(void **state)
{
	struct term	*t = spawn(24, 80, "example", NULL);
	size_t		 before;

	see(t, "train.py");
	term_wait_idle(t, 700, WAIT);
	before = term_bytes(t);
	/* Longer than the core's health poll: no redraw without change. */
	term_wait_idle(t, 4500, 6000);
	assert_int_equal(term_bytes(t), before);
	quit(t);
}

static void
test_settings_env(void **state)
{
	struct term	*t = spawn(24, 100, "example", NULL);

	see(t, "train.py");
	term_send(t, "7");
	see(t, "Settings of example");
	term_send(t, "a");
	see(t, "New variable NAME=VALUE");
	term_send(t, "DB_HOST=db.internal");
	term_send(t, TERM_KEY_ENTER);
	see(t, "db.internal");
	term_send(t, "s");
	see(t, "its NAME");
	term_send(t, "DB_PASS");
	term_send(t, TERM_KEY_ENTER);
	see(t, "not shown");
	term_send(t, "hunter2");
	unsee(t, "hunter2");
	term_send(t, TERM_KEY_ENTER);
	see(t, "******** (secret)");
	unsee(t, "hunter2");
	/* A bad name is refused before it reaches the core. */
	term_send(t, "a");
	term_send(t, "1BAD=x");
	term_send(t, TERM_KEY_ENTER);
	see(t, "is not valid");
	quit(t);
	assert_int_equal(run("'%s' project env example | grep -q "
	    "'DB_HOST=db.internal'", lathe), 0);
}

static void
test_create_project(void **state)
{
	struct term	*t = spawn(24, 80, "example", NULL);

	see(t, "train.py");
	term_send(t, "p");
	see(t, "Projects (");
	term_send(t, "n");
	see(t, "New project");
	term_send(t, "bad name");
	see(t, "may only use letters");
	term_send(t, TERM_KEY_CTRL('u'));
	term_send(t, "fromtui");
	term_send(t, TERM_KEY_ENTER);
	see(t, "project fromtui");
	see(t, "main.py");
	quit(t);
}

static void
test_mouse_click_section(void **state)
{
	struct term	*t = spawn(24, 80, "example", NULL);
	int		 row, col;

	see(t, "7 Settings");
	assert_int_equal(term_find(t, "7 Settings", &row, &col), 0);
	term_click(t, row, col + 2);
	see(t, "Settings of example");
	quit(t);
}

static void
test_core_killed_and_back(void **state)
{
	struct term	*t = spawn(24, 80, "example", NULL);

	see(t, "train.py");
	see(t, "local");
	core_stop(SIGKILL);
	see(t, "unreachable, retrying");
	/* The UI keeps answering keys meanwhile. */
	term_send(t, "2");
	see(t, "Sessions are not built yet");
	term_send(t, "3");
	see(t, "Jobs (0)");
	core_start();
	see(t, "local");
	term_send(t, "1");
	see(t, "train.py");
	quit(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_start_shows_picker),
		cmocka_unit_test(test_q_steps_back_then_quits),
		cmocka_unit_test(test_last_project_remembered),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_palette_completion),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_readme_rendered),
		cmocka_unit_test(test_source_coloured),
		cmocka_unit_test(test_escapes_and_wide_names),
		cmocka_unit_test(test_large_file_paged),
		cmocka_unit_test(test_expand_directory),
		cmocka_unit_test(test_no_color),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_idle_writes_nothing),
		cmocka_unit_test(test_settings_env),
		cmocka_unit_test(test_create_project),
		cmocka_unit_test(test_mouse_click_section),
		cmocka_unit_test(test_core_killed_and_back),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
