/*
 * Screen tests of the Experiments section: the real lathe on a
 * pseudo-terminal against the real lathed, whose MLflow tracking API is
 * given experiments, runs, params and metric histories before lathe
 * starts (mlflow_fixture.py). The runs table, its core-side sort and
 * filter, the column chooser, paging through more runs than a page, the
 * compare view's charts and table, the ASCII chart style, polling while a
 * run runs and silence when none does, at sizes from 200x50 down to 10x5.
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
static char	 lathe[4200], lathed[4200], datadir[600], fixture[4200];
static char	 sock[128];
static char	 live_id[64];
static pid_t	 core_pid;

static void
fail_dump(struct term *t, const char *what)
{
	fprintf(stdout, "# %s; the screen was:\n", what);
	term_dump(t, stdout);
	fflush(stdout);
	fail_msg("%s", what);
}

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
	char	 cmd[8192];

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* The row text is on, or -1. */
static int
row_of(struct term *t, const char *text)
{
	int	row;

	if (term_find(t, text, &row, NULL) != 0)
		return -1;
	return row;
}

/* Whether row r holds text; if it should not (or should), fail showing it. */
static void
row_has(struct term *t, int r, const char *text, int want)
{
	char	*row = term_row(t, r), msg[256];
	int	 has = row != NULL && strstr(row, text) != NULL;

	free(row);
	if (has != want) {
		snprintf(msg, sizeof msg, "row %d %s '%s'", r, want ?
		    "lacks" : "has", text);
		fail_dump(t, msg);
	}
}

static int
col_of(struct term *t, const char *text)
{
	int	col;

	if (term_find(t, text, NULL, &col) != 0)
		return -1;
	return col;
}

/* Whether s holds a braille character, U+2800 - U+28FF (E2 A0 80 - E2 A3 BF). */
static int
has_braille(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (p[0] == 0xe2 && p[1] >= 0xa0 && p[1] <= 0xa3 &&
		    p[2] >= 0x80 && p[2] <= 0xbf)
			return 1;
	}
	return 0;
}

/* Braille on any row from..to (inclusive). */
static int
braille_in_rows(struct term *t, int from, int to)
{
	char	*row;
	int	 y, found = 0;

	for (y = from; y <= to && !found; y++) {
		if ((row = term_row(t, y)) == NULL)
			continue;
		found = has_braille(row);
		free(row);
	}
	return found;
}

/* Whether rows from..to hold only ASCII, and something besides blanks. */
static int
ascii_rows(struct term *t, int from, int to, const char *want)
{
	char	*row;
	int	 y, seen = 0;
	size_t	 i;

	for (y = from; y <= to; y++) {
		if ((row = term_row(t, y)) == NULL)
			continue;
		for (i = 0; row[i] != '\0'; i++) {
			if ((unsigned char)row[i] >= 0x80) {
				fprintf(stdout, "# row %d is not ASCII: %s\n", y,
				    row);
				free(row);
				return 0;
			}
		}
		seen |= strstr(row, want) != NULL;
		free(row);
	}
	return seen;
}

static void
core_start(void)
{
	int	 i;

	core_pid = fork();
	if (core_pid == 0) {
		execl(lathed, "lathed", "--foreground", "--log-level", "warn",
		    (char *)NULL);
		_exit(127);
	}
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
spawn_env(int rows, int cols, const char *env0)
{
	char	*argv[] = { lathe, "-pexample", NULL };
	char	*env[] = { (char *)env0, NULL };
	struct term *t;

	t = term_spawn(rows, cols, argv, env0 != NULL ? env : NULL);
	assert_non_null(t);
	return t;
}

static struct term *
spawn(int rows, int cols)
{
	return spawn_env(rows, cols, NULL);
}

static void
quit(struct term *t)
{
	int	status = 0;

	term_send(t, ":quit\r");
	if (term_wait_exit(t, WAIT, &status) != 0)
		fail_dump(t, "lathe did not quit on :quit");
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	term_free(t);
}

/* Section 4, then the runs of the experiment named name. */
static void
open_experiment(struct term *t, const char *name)
{
	char	title[128];

	see(t, "train.py");
	term_send(t, "4");
	see(t, "Experiments (4)");
	see(t, name);
	term_send(t, "/");
	term_send(t, name);
	see(t, "1 of 4 match");
	term_send(t, TERM_KEY_ENTER);	/* leaves the filter prompt */
	term_send(t, TERM_KEY_ENTER);	/* opens the experiment */
	snprintf(title, sizeof title, "%s  ", name);
	see(t, title);
}

/* Move the column cursor n columns right. */
static void
right(struct term *t, int n)
{
	while (n-- > 0)
		term_send(t, "l");
}

static int
group_setup(void **state)
{
	const char	*b = getenv("top_builddir"), *s = getenv("top_srcdir");
	char		 path[700], *abs, line[256], name[64], id[64];
	FILE		*f;

	if (b == NULL)
		b = ".";
	if (s == NULL)
		s = "../..";
	snprintf(tmp, sizeof tmp, "/tmp/lathe-tui-exp-XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return -1;
	if ((abs = realpath(b, NULL)) == NULL)
		return -1;
	snprintf(lathe, sizeof lathe, "%s/lathe", abs);
	snprintf(lathed, sizeof lathed, "%s/lathed", abs);
	free(abs);
	if ((abs = realpath(s, NULL)) == NULL)
		return -1;
	snprintf(fixture, sizeof fixture, "%s/tests/tui/mlflow_fixture.py",
	    abs);
	free(abs);
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
	snprintf(sock, sizeof sock, "%s/run/lathed.sock", tmp);
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
	if (run("'%s' project create example --template example "
	    ">/dev/null", lathe) != 0)
		return -1;
	/* The runs, through MLflow's REST API on the core's socket. */
	if (run("python3 '%s' '%s' setup > '%s/runs'", fixture, sock,
	    tmp) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/runs", tmp);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%63s %63s", name, id) == 2 &&
		    strcmp(name, "run-live") == 0)
			snprintf(live_id, sizeof live_id, "%s", id);
	}
	fclose(f);
	return live_id[0] != '\0' ? 0 : -1;
}

static int
group_teardown(void **state)
{
	core_stop(SIGTERM);
	run("rm -rf '%s'", tmp);
	return 0;
}

static void
test_experiments_list(void **state)
{
	struct term	*t = spawn(24, 80);

	see(t, "train.py");
	term_send(t, "4");
	see(t, "Experiments (4)");
	see(t, "churn-exp");
	see(t, "live-exp");
	see(t, "bulk-exp");
	see(t, "Default");
	/* The list's own filter. */
	term_send(t, "/live");
	see(t, "1 of 4 match 'live'");
	unsee(t, "churn-exp");
	term_send(t, TERM_KEY_ESC);
	see(t, "churn-exp");
	quit(t);
}

static void
test_runs_table(void **state)
{
	struct term	*t = spawn(24, 100);
	int		 r;

	open_experiment(t, "churn-exp");
	see(t, "churn-exp  4 runs");
	/* The fixed columns, then one a param and one a metric. */
	see(t, "status");
	see(t, "duration");
	see(t, "depth");
	see(t, "optimizer");
	see(t, "acc");
	see(t, "loss");
	see(t, "run-alpha");
	see(t, "run-delta");
	see(t, "failed");
	see(t, "1m23s");
	term_wait_idle(t, 300, WAIT);
	/* The latest values of run-alpha's params and metrics. */
	r = row_of(t, "run-alpha");
	assert_true(r > 0);
	row_has(t, r, "finished", 1);
	row_has(t, r, "0.01", 1);
	row_has(t, r, "adam", 1);
	row_has(t, r, "0.92", 1);
	row_has(t, r, "0.2", 1);
	/* The core's order: the latest start first. */
	assert_true(row_of(t, "run-delta") < row_of(t, "run-alpha"));
	/* Narrower, the metrics are to the right: l scrolls to them. */
	term_resize(t, 24, 80);
	see(t, "optimizer \xe2\x96\xb6");
	unsee(t, "loss");
	right(t, 8);
	see(t, "loss");
	see(t, "\xe2\x97\x80 name");	/* the name stays, on the left */
	see(t, "run-alpha");
	quit(t);
}

static void
test_sort_by_metric(void **state)
{
	struct term	*t = spawn(24, 80);
	int		 r, c;

	open_experiment(t, "churn-exp");
	see(t, "run-alpha");
	/* status name start duration depth lr optimizer acc */
	right(t, 7);
	term_send(t, "O");
	see(t, "acc \xe2\x96\xbc");
	term_wait_idle(t, 300, WAIT);
	assert_true(row_of(t, "run-alpha") < row_of(t, "run-gamma"));
	assert_true(row_of(t, "run-gamma") < row_of(t, "run-beta"));
	assert_true(row_of(t, "run-beta") < row_of(t, "run-delta"));
	term_send(t, "o");
	see(t, "acc \xe2\x96\xb2");
	term_wait_idle(t, 300, WAIT);
	assert_true(row_of(t, "run-delta") < row_of(t, "run-beta"));
	assert_true(row_of(t, "run-beta") < row_of(t, "run-gamma"));
	assert_true(row_of(t, "run-gamma") < row_of(t, "run-alpha"));
	/* The core cannot sort by duration: said, and the order stays. */
	term_send(t, "hhhh");
	term_send(t, "o");
	see(t, "cannot sort runs by duration");
	see(t, "acc \xe2\x96\xb2");
	/* A click on a column's title puts the cursor there. */
	assert_int_equal(term_find(t, "name", &r, &c), 0);
	term_click(t, r, c + 1);
	term_send(t, "O");
	see(t, "name \xe2\x96\xbc");
	term_wait_idle(t, 300, WAIT);
	assert_true(row_of(t, "run-gamma") < row_of(t, "run-delta"));
	assert_true(row_of(t, "run-delta") < row_of(t, "run-beta"));
	quit(t);
}

static void
test_filter(void **state)
{
	struct term	*t = spawn(24, 80);

	open_experiment(t, "churn-exp");
	see(t, "run-beta");
	term_send(t, "/");
	see(t, "MLflow filter");
	term_send(t, "metrics.acc > 0.8");
	term_send(t, TERM_KEY_ENTER);
	see(t, "churn-exp  2 runs  where metrics.acc > 0.8");
	see(t, "run-alpha");
	see(t, "run-gamma");
	unsee(t, "run-beta");
	unsee(t, "run-delta");
	/* A malformed filter: the core's message under the table. */
	term_send(t, "/");
	term_send(t, TERM_KEY_CTRL('u'));
	term_send(t, "metrics.acc >> oops");
	term_send(t, TERM_KEY_ENTER);
	see(t, "Expected numeric value type for metric");
	/* The table stays as it was, under its filter. */
	see(t, "2 runs  where metrics.acc > 0.8");
	see(t, "run-alpha");
	/* The bad filter comes back to be fixed. */
	term_send(t, "/");
	see(t, "metrics.acc >> oops");
	term_send(t, TERM_KEY_CTRL('u'));
	term_send(t, "metrics.acc > 0.8 OR params.lr = '0.1'");
	term_send(t, TERM_KEY_ENTER);
	see(t, "OR");
	unsee(t, "Expected numeric value type");
	/* q clears the error, then the filter. */
	term_send(t, "q");
	term_wait_idle(t, 200, WAIT);
	see(t, "2 runs  where");
	term_send(t, "q");
	see(t, "churn-exp  4 runs");
	see(t, "run-beta");
	/* A filter on a param, as MLflow writes it. */
	term_send(t, "/params.optimizer = 'sgd'\r");
	see(t, "churn-exp  1 run  where");
	see(t, "run-delta");
	unsee(t, "run-alpha");
	quit(t);
}

static void
test_columns(void **state)
{
	struct term	*t = spawn(24, 100);
	int		 r;

	open_experiment(t, "churn-exp");
	see(t, "0.01");
	term_send(t, "c");
	see(t, "Columns (Space shows");
	/* status name start duration depth lr */
	term_send(t, "jjjjj");
	term_send(t, " ");
	see(t, "[ ] lr");
	term_send(t, TERM_KEY_ESC);
	unsee(t, "Columns (Space shows");
	unsee(t, "0.01");
	term_wait_idle(t, 300, WAIT);
	r = row_of(t, "depth");
	assert_true(r > 0);
	row_has(t, r, " lr ", 0);
	row_has(t, r, "optimizer", 1);
	/* Shown again, and loss moved before acc. */
	term_send(t, "c");
	see(t, "[ ] lr");
	term_send(t, "gjjjjj ");
	see(t, "[x] lr");
	term_send(t, "G");	/* loss is the last column */
	term_send(t, "K");
	term_send(t, "q");
	unsee(t, "Columns (Space shows");
	see(t, "0.01");
	term_wait_idle(t, 300, WAIT);
	assert_true(col_of(t, "loss") > 0);
	assert_true(col_of(t, "loss") < col_of(t, "acc"));
	/* The last column shown stays shown. */
	term_send(t, "c");
	term_send(t, "g");
	term_send(t, " j j j j j j j j ");
	see(t, "one column at least stays shown");
	quit(t);
}

static void
test_paging(void **state)
{
	struct term	*t = spawn(24, 80);

	open_experiment(t, "bulk-exp");
	/* One page of 500: more are known to follow. */
	see(t, "bulk-exp  500+ runs");
	term_send(t, "l");		/* the name column */
	term_send(t, "o");
	see(t, "name \xe2\x96\xb2");
	see(t, "bulk-0000");
	/* G follows the pages to the last run. */
	term_send(t, "G");
	see(t, "bulk-1099");
	see(t, "bulk-exp  1100 runs");
	unsee(t, "bulk-0000");
	term_send(t, "g");
	see(t, "bulk-0000");
	term_send(t, TERM_KEY_PGDN);
	term_send(t, TERM_KEY_PGDN);
	see(t, "bulk-0040");
	quit(t);
}

/* Mark run-gamma and run-beta (rows 2 and 3 in the core's order). */
static void
mark_two(struct term *t)
{
	see(t, "run-gamma");
	term_send(t, "j");
	term_send(t, " ");
	term_send(t, " ");
	see(t, "2 selected");
}

static void
test_compare_history(void **state)
{
	struct term	*t = spawn(24, 80);
	int		 r;

	open_experiment(t, "churn-exp");
	mark_two(t);
	term_send(t, TERM_KEY_ENTER);
	see(t, "1 History");
	see(t, "metric acc");
	/* Both runs in the legend, on one row, once the frame is whole. */
	see(t, "run-gamma");
	term_wait_idle(t, 300, WAIT);
	r = row_of(t, "run-beta");
	assert_true(r > 0);
	assert_int_equal(row_of(t, "run-gamma"), r);
	if (!braille_in_rows(t, r + 1, 22))
		fail_dump(t, "no braille in the chart");
	/* Another metric, chosen from the list. */
	term_send(t, "m");
	see(t, "Metric (Enter picks)");
	term_send(t, "/loss\r\r");
	see(t, "metric loss");
	unsee(t, "Metric (Enter picks)");
	term_send(t, "L");
	see(t, "y log");
	term_send(t, "a");
	see(t, "axes one a run");
	/* A metric no run has, named in the palette. */
	term_send(t, ":pick-metric nosuch\r");
	see(t, "the runs have no metric 'nosuch'");
	/* Tab goes round the tabs; q goes back to the table. */
	term_send(t, TERM_KEY_TAB);
	see(t, "x param");
	term_send(t, "q");
	see(t, "churn-exp  4 runs  2 selected");
	quit(t);
}

static void
test_compare_scatter_bars(void **state)
{
	struct term	*t = spawn(24, 80);
	int		 r;

	open_experiment(t, "churn-exp");
	mark_two(t);
	term_send(t, "C");
	see(t, "1 History");
	term_send(t, "2");
	/* depth tells the runs apart; lr too, but depth sorts first. */
	see(t, "x param depth");
	see(t, "y metric acc");
	see(t, "run-beta");
	term_wait_idle(t, 300, WAIT);
	r = row_of(t, "run-beta");
	assert_true(r > 0);
	term_wait_idle(t, 300, WAIT);
	if (!braille_in_rows(t, r + 1, 22))
		fail_dump(t, "no scatter marks");
	/* optimizer, categorical: its values under the x axis. */
	term_send(t, "p");
	see(t, "Param (Enter picks)");
	term_send(t, "/optim\r\r");
	see(t, "x param optimizer");
	see(t, "adam");
	term_send(t, "3");
	see(t, "latest values");
	see(t, "0.88");
	term_wait_idle(t, 300, WAIT);
	r = row_of(t, "run-gamma");
	assert_true(r > 2);
	row_has(t, r, "\xe2\x96\x88", 1);	/* a full block */
	row_has(t, r, "0.88", 1);
	quit(t);
}

static void
test_compare_table(void **state)
{
	struct term	*t = spawn(24, 80);

	open_experiment(t, "churn-exp");
	mark_two(t);
	term_send(t, "C");
	term_send(t, "4");
	see(t, "only differences off");
	/* Both runs use adam: shown, then hidden as equal. */
	see(t, "optimizer");
	see(t, "depth");
	term_send(t, "d");
	see(t, "only differences on");
	unsee(t, "optimizer");
	see(t, "depth");
	see(t, "0.05");
	term_send(t, "d");
	see(t, "optimizer");
	quit(t);
}

static void
test_ascii_charts(void **state)
{
	struct term	*t;
	char		 path[700];
	FILE		*f;

	/* chart_style in the config under HOME. */
	snprintf(path, sizeof path, "%s/home/.config/lathe", tmp);
	assert_int_equal(run("mkdir -p '%s'", path), 0);
	snprintf(path, sizeof path, "%s/home/.config/lathe/config", tmp);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[ui]\nchart_style = ascii\n");
	fclose(f);
	t = spawn_env(24, 80, "-XDG_CONFIG_HOME");
	open_experiment(t, "churn-exp");
	mark_two(t);
	term_send(t, TERM_KEY_ENTER);
	see(t, "metric acc");
	term_wait_idle(t, 300, WAIT);
	if (!ascii_rows(t, 3, 22, "-----"))
		fail_dump(t, "the history chart is not all ASCII");
	term_send(t, "2");
	see(t, "x param");
	term_wait_idle(t, 300, WAIT);
	if (!ascii_rows(t, 3, 22, "-----"))
		fail_dump(t, "the scatter plot is not all ASCII");
	term_send(t, "3");
	see(t, "latest values");
	term_wait_idle(t, 300, WAIT);
	if (!ascii_rows(t, 3, 22, "##"))
		fail_dump(t, "the bars are not all ASCII");
	quit(t);
	unlink(path);
	/* Without the setting, a terminal that is not UTF-8 gets ASCII. */
	t = spawn_env(24, 80, "LC_ALL=C");
	open_experiment(t, "churn-exp");
	mark_two(t);
	term_send(t, TERM_KEY_ENTER);
	see(t, "metric acc");
	term_wait_idle(t, 300, WAIT);
	if (!ascii_rows(t, 3, 22, "-----"))
		fail_dump(t, "the chart is not ASCII without UTF-8");
	quit(t);
}

static void
test_running_refresh(void **state)
{
	struct term	*t = spawn(24, 100);
	size_t		 before;

	open_experiment(t, "live-exp");
	see(t, "running");
	see(t, "3");		/* the latest loss */
	/* A metric logged while lathe watches shows in the table. */
	assert_int_equal(run("python3 '%s' '%s' log %s loss 1.25 3", fixture,
	    sock, live_id), 0);
	see(t, "1.25");
	/* The history grows in the compare view. */
	term_send(t, TERM_KEY_ENTER);
	see(t, "metric loss");
	see(t, "run-live");
	assert_int_equal(run("python3 '%s' '%s' log %s loss 0.5 40", fixture,
	    sock, live_id), 0);
	see(t, "40");
	/* The run ends: the view says so, then everything is quiet. */
	assert_int_equal(run("python3 '%s' '%s' finish %s", fixture, sock,
	    live_id), 0);
	term_send(t, "q");
	see(t, "finished");
	term_wait_idle(t, 3000, 12000);
	before = term_bytes(t);
	term_wait_idle(t, 6000, 8000);
	assert_int_equal(term_bytes(t), before);
	quit(t);
}

static void
test_idle_writes_nothing(void **state)
{
	struct term	*t = spawn(24, 80);
	size_t		 before;

	open_experiment(t, "churn-exp");
	see(t, "run-alpha");
	term_wait_idle(t, 700, WAIT);
	before = term_bytes(t);
	/* Longer than the poll and the health check: nothing runs. */
	term_wait_idle(t, 4500, 6000);
	assert_int_equal(term_bytes(t), before);
	term_send(t, TERM_KEY_ENTER);
	see(t, "1 History");
	term_wait_idle(t, 700, WAIT);
	before = term_bytes(t);
	term_wait_idle(t, 4500, 6000);
	assert_int_equal(term_bytes(t), before);
	quit(t);
}

static void
test_sizes(void **state)
{
	struct term	*t = spawn(50, 200);

	open_experiment(t, "churn-exp");
	/* Wide: every column fits, no scrolling. */
	see(t, "loss");
	see(t, "optimizer");
	mark_two(t);
	term_send(t, TERM_KEY_ENTER);
	see(t, "4 Table");
	see(t, "run-beta");
	term_resize(t, 10, 40);
	see(t, "metric acc");
	term_send(t, "a");		/* one chart a run: not all fit */
	see(t, "more run");
	term_send(t, "2");
	term_send(t, "3");
	term_send(t, "4");
	see(t, "Params");
	term_resize(t, 5, 10);
	see(t, "terminal");
	term_resize(t, 24, 80);
	see(t, "only differences");
	term_send(t, "q");
	see(t, "2 selected");
	term_resize(t, 10, 40);
	see(t, "run-gam");
	term_send(t, "c");
	see(t, "Columns");
	term_resize(t, 5, 10);
	term_resize(t, 24, 80);
	see(t, "Columns (Space shows");
	term_send(t, "q");
	term_send(t, "q");
	see(t, "Experiments: 1 of 4 match");
	quit(t);
}

static void
test_help(void **state)
{
	struct term	*t = spawn(50, 120);

	open_experiment(t, "churn-exp");
	term_send(t, "?");
	see(t, "Help: keys");
	see(t, "sort ascending on the column under the cursor");
	see(t, "filter runs with MLflow's syntax");
	see(t, "choose the columns shown");
	term_send(t, "q");
	unsee(t, "Help: keys");
	term_send(t, TERM_KEY_ENTER);
	see(t, "1 History");
	term_send(t, "?");
	see(t, "history on shared axes");
	see(t, "only the params and metrics that differ");
	term_send(t, "q");
	see(t, "1 History");
	quit(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_experiments_list),
		cmocka_unit_test(test_runs_table),
		cmocka_unit_test(test_sort_by_metric),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_compare_history),
		cmocka_unit_test(test_compare_scatter_bars),
		cmocka_unit_test(test_compare_table),
		cmocka_unit_test(test_ascii_charts),
		cmocka_unit_test(test_running_refresh),
		cmocka_unit_test(test_idle_writes_nothing),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_help),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
