/*
 * Screen tests of the Jobs section: the real lathe on a pseudo-terminal
 * against the real lathed, with a project whose jobs are made through the
 * API with curl before lathe starts. Runs are real: shell scripts that
 * print slowly, in colour, with escape sequences that must never reach
 * the terminal, thousands of lines, or sleep until stopped.
 */
#include "config.h"

#include <fcntl.h>
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

#define WAIT	10000	/* ms: generous, the machine may be loaded */
#define P	"/api/v1/projects/pipe"

static char	 tmp[64];
static char	 lathe[4200], lathed[4200];
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

/* Let a frame being drawn finish before its rows are read. */
static void
settle(struct term *t)
{
	term_wait_idle(t, 300, WAIT);
}

/* Where text is now, or fail. */
static void
find(struct term *t, const char *text, int *row, int *col)
{
	char	msg[256];

	if (term_find(t, text, row, col) != 0) {
		snprintf(msg, sizeof msg, "'%s' is not on the screen", text);
		fail_dump(t, msg);
	}
}

static int
run(const char *fmt, ...)
{
	va_list	 ap;
	char	 cmd[4096];

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

/*
 * Call the core with curl; its answer goes into out (len bytes). Return
 * the HTTP status, or -1.
 */
static int
api(const char *method, const char *path, const char *json, char *out,
    size_t len)
{
	char	 cmd[1024], file[128], buf[65536];
	FILE	*f;
	size_t	 n;
	int	 status = -1;
	char	*nl;

	snprintf(file, sizeof file, "%s/body.json", tmp);
	if (json != NULL) {
		if ((f = fopen(file, "w")) == NULL)
			return -1;
		fputs(json, f);
		fclose(f);
	}
	snprintf(cmd, sizeof cmd, "curl -s --max-time 20 --unix-socket "
	    "'%s/run/lathed.sock' -X %s %s%s%s -w '\\n%%{http_code}' "
	    "'http://l%s'", tmp, method, json != NULL ?
	    "-H 'Content-Type: application/json' --data-binary '@" : "",
	    json != NULL ? file : "", json != NULL ? "'" : "", path);
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	pclose(f);
	if ((nl = strrchr(buf, '\n')) != NULL) {
		status = atoi(nl + 1);
		*nl = '\0';
	}
	if (out != NULL)
		snprintf(out, len, "%s", buf);
	return status;
}

/* Wait (bounded) until GET path's answer holds text. */
static int
api_wait(const char *path, const char *text)
{
	char	buf[65536];
	int	i;

	for (i = 0; i < 300; i++) {
		if (api("GET", path, NULL, buf, sizeof buf) == 200 &&
		    strstr(buf, text) != NULL)
			return 0;
		usleep(100000);
	}
	return -1;
}

static void
core_start(void)
{
	char	 sock[128];
	int	 i;

	core_pid = fork();
	if (core_pid == 0) {
		char	log[128];
		int	fd;

		/* What lathed says goes to a file, not into the TAP. */
		snprintf(log, sizeof log, "%s/lathed.out", tmp);
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
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

/* lathe on the project, in UTC, in a UTF-8 locale unless ascii. */
static struct term *
spawn(int rows, int cols, int ascii)
{
	char		*argv[] = { lathe, "-ppipe", NULL };
	char		*env[] = { "TZ=UTC", NULL, NULL, NULL };
	struct term	*t;

	if (ascii) {
		env[1] = "LANG=C";
		env[2] = "LC_ALL=C";
	}
	t = term_spawn(rows, cols, argv, env);
	assert_non_null(t);
	return t;
}

/* Start on the Jobs section. */
static struct term *
jobs(int rows, int cols)
{
	struct term	*t = spawn(rows, cols, 0);

	see(t, "project pipe");
	term_send(t, "3");
	see(t, "Jobs (");
	return t;
}

/* Select the job that the filter text alone matches. */
static void
pick(struct term *t, const char *filter)
{
	char	buf[128];

	snprintf(buf, sizeof buf, "/%s", filter);
	term_send(t, buf);
	see(t, "Jobs: 1 of");
	term_send(t, TERM_KEY_ENTER);
	snprintf(buf, sizeof buf, "Runs of %s", filter);
	see(t, buf);
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

static const struct {
	const char	*name;
	const char	*text;
} scripts[] = {
	{ "mark.sh", "echo \"mark $1\"\n" },
	{ "bad.sh", "echo failing\nexit 3\n" },
	{ "slow.sh", "i=1\nwhile [ $i -le 12 ]; do printf 'tick %02d\\n' $i; "
	    "sleep 0.4; i=$((i + 1)); done\n" },
	{ "colour.sh", "printf '\\033[31mred alert\\033[0m plain\\n'\n"
	    "printf 'title \\033]0;pwned\\007 clear \\033[2J done\\n'\n"
	    "printf 'bad \\377 byte\\n'\n"
	    "printf '%0300d END-OF-WIDE\\n' 0\n" },
	{ "many.sh", "i=0\nwhile [ $i -lt 3000 ]; do echo \"needle $i\"; "
	    "i=$((i + 1)); done\n" },
	{ "sleeper.sh", "echo started\nsleep 60\n" },
};

static const char *const jobs_made[] = {
	"{\"name\": \"a\", \"script\": \"mark.sh\", \"arguments\": [\"a\"]}",
	"{\"name\": \"b\", \"script\": \"mark.sh\", \"arguments\": [\"b\"], "
	    "\"schedule\": {\"type\": \"dependent\", \"parent\": \"a\"}}",
	"{\"name\": \"c\", \"script\": \"mark.sh\", \"arguments\": [\"c\"], "
	    "\"schedule\": {\"type\": \"dependent\", \"parent\": \"b\"}}",
	"{\"name\": \"bad\", \"script\": \"bad.sh\"}",
	"{\"name\": \"slow\", \"script\": \"slow.sh\"}",
	"{\"name\": \"colour\", \"script\": \"colour.sh\"}",
	"{\"name\": \"many\", \"script\": \"many.sh\"}",
	"{\"name\": \"sleeper\", \"script\": \"sleeper.sh\"}",
	"{\"name\": \"nightly\", \"script\": \"mark.sh\", \"schedule\": "
	    "{\"type\": \"cron\", \"cron\": \"0 3 * * *\", \"timezone\": "
	    "\"UTC\"}}",
};

static int
group_setup(void **state)
{
	const char	*b = getenv("top_builddir"), *s = getenv("top_srcdir");
	char		 path[700], json[1024], *abs;
	FILE		*f;
	size_t		 i;

	if (b == NULL)
		b = ".";
	if (s == NULL)
		s = "../..";
	snprintf(tmp, sizeof tmp, "/tmp/lathe-tuijobs-XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return -1;
	if ((abs = realpath(b, NULL)) == NULL)
		return -1;
	snprintf(lathe, sizeof lathe, "%s/lathe", abs);
	snprintf(lathed, sizeof lathed, "%s/lathed", abs);
	free(abs);
	snprintf(path, sizeof path, "%s/data", tmp);
	mkdir(path, 0700);
	if (run("ln -s \"$(cd '%s' && pwd)/themes\" '%s/data/themes'", s,
	    tmp) != 0)
		return -1;
	setenv("LATHE_DATA_DIR", path, 1);
	snprintf(path, sizeof path, "%s/state", tmp);
	setenv("LATHE_STATE_DIR", path, 1);
	snprintf(path, sizeof path, "%s/run", tmp);
	setenv("LATHE_RUNTIME_DIR", path, 1);
	snprintf(path, sizeof path, "%s/home", tmp);
	mkdir(path, 0700);
	setenv("HOME", path, 1);
	snprintf(path, sizeof path, "%s/config", tmp);
	setenv("XDG_CONFIG_HOME", path, 1);
	setenv("LATHED", lathed, 1);
	unsetenv("LATHE_URL");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_RUNTIME_DIR");
	core_start();

	snprintf(path, sizeof path, "%s/src", tmp);
	mkdir(path, 0700);
	for (i = 0; i < sizeof scripts / sizeof scripts[0]; i++) {
		snprintf(path, sizeof path, "%s/src/%s", tmp, scripts[i].name);
		if ((f = fopen(path, "w")) == NULL)
			return -1;
		fputs(scripts[i].text, f);
		fclose(f);
	}
	snprintf(json, sizeof json, "{\"name\": \"pipe\", \"source\": "
	    "{\"type\": \"dir\", \"location\": \"%s/src\"}}", tmp);
	if (api("POST", "/api/v1/projects", json, NULL, 0) != 201)
		return -1;
	for (i = 0; i < sizeof jobs_made / sizeof jobs_made[0]; i++) {
		if (api("POST", P "/jobs", jobs_made[i], NULL, 0) != 201) {
			printf("# cannot create %s\n", jobs_made[i]);
			return -1;
		}
	}
	/* sh is found in the background: runs need it. */
	if (api_wait("/api/v1/runtimes", "\"kernel\":\"sh\"") != 0)
		return -1;
	/* A chain that succeeded and a job that failed. */
	if (api("POST", P "/jobs/a/runs", NULL, NULL, 0) != 201 ||
	    api("POST", P "/jobs/bad/runs", NULL, NULL, 0) != 201)
		return -1;
	if (api_wait(P "/jobs/c", "\"status\":\"succeeded\"") != 0 ||
	    api_wait(P "/jobs/bad", "\"status\":\"failed\"") != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	if (core_pid > 0) {
		kill(core_pid, SIGTERM);
		waitpid(core_pid, NULL, 0);
	}
	run("rm -rf '%s'", tmp);
	return 0;
}

static int
same_colour(const struct term_attr *a, const struct term_attr *b)
{
	return a->fg_r == b->fg_r && a->fg_g == b->fg_g && a->fg_b == b->fg_b &&
	    a->bg_r == b->bg_r && a->bg_g == b->bg_g && a->bg_b == b->bg_b &&
	    a->bold == b->bold && a->reverse == b->reverse;
}

static void
test_jobs_listed(void **state)
{
	struct term		*t = jobs(24, 80);
	struct term_attr	 ok, bad;
	char			*row;
	int			 r, c;

	see(t, "Jobs (9)");
	see(t, "after a");
	see(t, "after b");
	see(t, "manual");
	/* How the last runs went, as symbols in colour. */
	see(t, "\xe2\x9c\x97 bad");		/* ✗ */
	see(t, "\xe2\x9c\x93 c");		/* ✓ */
	see(t, "\xc2\xb7 colour");		/* · never run */
	settle(t);
	find(t, "\xe2\x9c\x97 bad", &r, &c);
	assert_int_equal(term_attr(t, r, c, &bad), 0);
	find(t, "\xe2\x9c\x93 c", &r, &c);
	assert_int_equal(term_attr(t, r, c, &ok), 0);
	assert_false(same_colour(&ok, &bad));
	/* The nightly job's next fire time, at 03:00 in this UTC. */
	term_send(t, "/nightly\r");
	see(t, "Jobs: 1 of 9");
	see(t, "0 3 * * * UTC");
	settle(t);
	find(t, "\xc2\xb7 nightly", &r, &c);
	row = term_row(t, r);
	if (strstr(row, "03:00") == NULL)
		fail_dump(t, "the next fire time is not on the job's row");
	free(row);
	/* Its runs: none yet. */
	see(t, "No runs yet");
	quit(t);
}

static void
test_jobs_idle_writes_nothing(void **state)
{
	struct term	*t = jobs(24, 80);
	size_t		 before;

	see(t, "Jobs (9)");
	see(t, "Log of run");
	term_wait_idle(t, 700, WAIT);
	before = term_bytes(t);
	/* Longer than the idle reload: nothing changed, nothing written. */
	term_wait_idle(t, 6500, 8000);
	assert_int_equal(term_bytes(t), before);
	quit(t);
}

static void
test_run_live_log(void **state)
{
	struct term	*t = jobs(24, 80);
	int		 r, c;

	pick(t, "slow");
	term_send(t, "r");
	see(t, "of slow started");
	/* Output shows while the run goes on, followed to the end. */
	see(t, "tick 02");
	find(t, ", running, following", &r, &c);
	see(t, "\xe2\x96\xb6 slow");		/* ▶ */
	see(t, "tick 12");
	see(t, "Log of run");
	see(t, ", succeeded, following");
	see(t, "\xe2\x9c\x93 slow");
	/* More lines than the pane holds: the first scrolled away. */
	unsee(t, "tick 01");
	quit(t);
}

static void
test_log_colours_and_escapes(void **state)
{
	struct term		*t = jobs(24, 80);
	struct term_attr	 red, plain;
	int			 r, c;

	pick(t, "colour");
	term_send(t, "r");
	see(t, "red alert");
	see(t, "succeeded");
	settle(t);
	find(t, "red alert", &r, &c);
	assert_int_equal(term_attr(t, r, c, &red), 0);
	find(t, "plain", &r, &c);
	assert_int_equal(term_attr(t, r, c, &plain), 0);
	/* SGR 31: red, as the terminal's colour 1; the rest is not. */
	assert_int_equal(red.fg_index, 1);
	assert_int_not_equal(plain.fg_index, 1);
	/* A title and a clear screen are shown, never done. */
	see(t, "title ^[]0;pwned^G clear ^[[2J done");
	/* A byte that is not UTF-8, shown as what it is. */
	see(t, "bad \\xff byte");
	see(t, "lathe  project pipe");
	see(t, "Jobs: 1 of 9");
	see(t, "Runs of colour");
	find(t, "^[]0;pwned", &r, &c);
	assert_int_equal(term_attr(t, r, c, &red), 0);
	assert_false(same_colour(&red, &plain));
	quit(t);
}

static void
test_long_lines(void **state)
{
	struct term	*t = jobs(24, 80);
	int		 i;

	pick(t, "colour");
	term_send(t, "r");
	see(t, "red alert");
	term_send(t, TERM_KEY_ENTER);	/* the runs */
	term_send(t, TERM_KEY_ENTER);	/* the log */
	see(t, "f log-follow");
	see(t, "00000000000000000000");
	if (term_find(t, "END-OF-WIDE", NULL, NULL) == 0)
		fail_dump(t, "a long line was not cut");
	term_send(t, "w");
	see(t, "END-OF-WIDE");
	see(t, ", wrapped");
	term_send(t, "w");
	unsee(t, "END-OF-WIDE");
	for (i = 0; i < 36; i++)
		term_send(t, "l");
	see(t, "END-OF-WIDE");
	for (i = 0; i < 36; i++)
		term_send(t, "h");
	unsee(t, "END-OF-WIDE");
	quit(t);
}

static void
test_log_search(void **state)
{
	struct term		*t = jobs(24, 80);
	struct term_attr	 hit, other;
	int			 r, c;

	pick(t, "many");
	term_send(t, "r");
	see(t, "needle 2999");
	term_send(t, TERM_KEY_ENTER);
	term_send(t, TERM_KEY_ENTER);
	see(t, "f log-follow");
	term_send(t, "/");
	see(t, "Find in the log:");
	term_send(t, "needle 1234\r");
	see(t, "found 'needle 1234'");
	see(t, "needle 1234");
	unsee(t, "needle 2999");
	settle(t);
	/* The match is marked; its neighbours are not. */
	find(t, "needle 1234", &r, &c);
	assert_int_equal(term_attr(t, r, c, &hit), 0);
	find(t, "needle 1233", &r, &c);
	assert_int_equal(term_attr(t, r, c, &other), 0);
	assert_false(same_colour(&hit, &other));
	see(t, "finding 'needle 1234'");
	/* Searching stopped the follow; F follows the end again. */
	find(t, "Log of run", &r, &c);
	if (term_find(t, ", following", NULL, NULL) == 0)
		fail_dump(t, "the search did not stop following");
	term_send(t, "F");
	see(t, "needle 2999");
	see(t, ", following");
	term_send(t, "/nowhere\r");
	see(t, "'nowhere' is not in the log");
	quit(t);
}

static void
test_form_create(void **state)
{
	struct term	*t = jobs(24, 80);
	char		 buf[65536];

	term_send(t, "n");
	see(t, "New job");
	/* Checked as it is typed. */
	term_send(t, "bad name");
	see(t, "may only use letters");
	term_send(t, TERM_KEY_CTRL('u'));
	term_send(t, "fromform");
	unsee(t, "may only use letters");
	/* The script, picked from the project's files. */
	term_send(t, TERM_KEY_TAB);
	term_send(t, "man");
	see(t, "many.sh");
	term_send(t, TERM_KEY_TAB);	/* takes it, to the arguments */
	term_send(t, "--x 'a b'");
	term_send(t, TERM_KEY_TAB);	/* runtime */
	term_send(t, TERM_KEY_TAB);	/* profile, from the core's */
	term_send(t, TERM_KEY_RIGHT);
	see(t, "small  1 vCPU, 2 GiB");
	term_send(t, TERM_KEY_TAB);	/* schedule */
	term_send(t, TERM_KEY_RIGHT);
	see(t, "cron: on a schedule");
	term_send(t, TERM_KEY_TAB);
	/* A bad expression: the core's error names the field. */
	term_send(t, "0 25 * * *");
	see(t, "(hour)");
	term_send(t, TERM_KEY_CTRL('u'));
	term_send(t, "0 3 * * *");
	unsee(t, "(hour)");
	term_send(t, TERM_KEY_TAB);
	term_send(t, "Mars/Base");
	see(t, "unknown time zone 'Mars/Base'");
	term_send(t, TERM_KEY_CTRL('u'));
	term_send(t, "UTC");
	/* The next five fire times, at 03:00. */
	see(t, "next ");
	see(t, "03:00 UTC");
	term_send(t, TERM_KEY_ENTER);
	see(t, "created job fromform");
	see(t, "Jobs (10)");
	see(t, "Runs of fromform");
	assert_int_equal(api("GET", P "/jobs/fromform", NULL, buf, sizeof buf),
	    200);
	assert_non_null(strstr(buf, "\"arguments\":[\"--x\",\"a b\"]"));
	assert_non_null(strstr(buf, "\"cron\":\"0 3 * * *\""));
	assert_non_null(strstr(buf, "\"script\":\"many.sh\""));
	assert_non_null(strstr(buf, "\"profile\":\"small\""));

	/* What only the core knows comes back into the form. */
	term_send(t, "n");
	see(t, "New job");
	term_send(t, "fromform\t");
	term_send(t, "mark.sh\r");
	see(t, "already has a job named 'fromform'");
	see(t, "New job");
	/* A script not in the project is refused before it is sent. */
	term_send(t, TERM_KEY_ESC);
	see(t, "nothing saved");
	term_send(t, "n");
	term_send(t, "other\tnosuch.py");
	see(t, "'nosuch.py' is not a file of the project");
	term_send(t, TERM_KEY_ENTER);
	see(t, "the form has errors");
	term_send(t, TERM_KEY_ESC);
	assert_int_equal(api("GET", P "/jobs/other", NULL, NULL, 0), 404);
	quit(t);
}

static void
test_form_edit(void **state)
{
	struct term	*t = jobs(24, 80);
	char		 buf[65536];
	int		 i;

	pick(t, "nightly");
	term_send(t, "e");
	see(t, "Edit job nightly");
	see(t, "0 3 * * *");
	see(t, "03:00 UTC");		/* its preview */
	/* Down to the retries. */
	for (i = 0; i < 9; i++)
		term_send(t, TERM_KEY_TAB);
	term_send(t, TERM_KEY_CTRL('u'));
	term_send(t, "x");
	see(t, "a whole number from 0 to 100");
	term_send(t, TERM_KEY_BACKSPACE);
	term_send(t, "2\r");
	see(t, "saved job nightly");
	assert_int_equal(api("GET", P "/jobs/nightly", NULL, buf, sizeof buf),
	    200);
	assert_non_null(strstr(buf, "\"retries\":2"));
	assert_non_null(strstr(buf, "\"cron\":\"0 3 * * *\""));
	quit(t);
}

static void
test_pipeline(void **state)
{
	struct term	*t = jobs(24, 80);
	int		 ra, ca, rb, cb, rc, cc;

	term_send(t, "p");
	see(t, "Pipelines");
	/* └─ ✓ b */
	see(t, "\xe2\x94\x94\xe2\x94\x80 \xe2\x9c\x93 b");
	see(t, "\xe2\x94\x94\xe2\x94\x80 \xe2\x9c\x93 c");
	settle(t);
	find(t, "\xe2\x9c\x93 a", &ra, &ca);
	find(t, "\xe2\x9c\x93 b", &rb, &cb);
	find(t, "\xe2\x9c\x93 c", &rc, &cc);
	/* a, then b under it, then c under b. */
	assert_int_equal(rb, ra + 1);
	assert_int_equal(rc, rb + 1);
	assert_true(cb > ca);
	assert_true(cc > cb);
	/* Jobs that are in no pipeline are not drawn. */
	if (term_find(t, "sleeper", NULL, NULL) == 0)
		fail_dump(t, "a job in no pipeline is in the tree");
	/* Enter goes to the list on the job chosen. */
	term_send(t, "jj\r");
	see(t, "Runs of c");
	see(t, "Jobs (");
	quit(t);

	/* Where the terminal takes no UTF-8, the tree is drawn in ASCII. */
	t = spawn(24, 80, 1);
	see(t, "project pipe");
	term_send(t, "3");
	see(t, "Jobs (");
	term_send(t, "p");
	see(t, "+ a  manual");
	see(t, "`- + b");
	see(t, "   `- + c");
	quit(t);
}

static void
test_stop(void **state)
{
	struct term	*t = jobs(24, 100);

	pick(t, "sleeper");
	term_send(t, "r");
	see(t, "of sleeper started");
	see(t, ", running");
	/* The top bar counts what the core runs. */
	see(t, "runs 1 running, 0 queued");
	term_send(t, "s");
	see(t, "stopped by user");
	unsee(t, "runs 1 running");
	see(t, "\xe2\x96\xa0 sleeper");		/* ■ */
	assert_int_equal(api_wait(P "/jobs/sleeper",
	    "\"status\":\"stopped\""), 0);
	/* Nothing left to stop. */
	term_send(t, "s");
	see(t, "sleeper has no run going");
	quit(t);
}

static void
test_rerun_and_delete(void **state)
{
	struct term	*t;

	assert_int_equal(api("POST", P "/jobs", "{\"name\": \"doomed\", "
	    "\"script\": \"mark.sh\", \"arguments\": [\"once\"]}", NULL, 0),
	    201);
	t = jobs(24, 80);
	pick(t, "doomed");
	term_send(t, "r");
	see(t, "Runs of doomed (1)");
	see(t, "mark once");
	term_send(t, TERM_KEY_ENTER);	/* the runs */
	term_send(t, "R");
	see(t, "started again");
	see(t, "Runs of doomed (2)");
	/* Deleting takes the name typed. */
	term_send(t, TERM_KEY_TAB);	/* the log */
	term_send(t, "q");		/* back to the runs */
	term_send(t, "q");		/* back to the jobs */
	term_send(t, "d");
	see(t, "Type its name");
	term_send(t, "nope\r");
	see(t, "'nope' is not the job's name");
	assert_int_equal(api("GET", P "/jobs/doomed", NULL, NULL, 0), 200);
	term_send(t, "d");
	see(t, "Type its name");
	term_send(t, "doomed\r");
	see(t, "job deleted");
	assert_int_equal(api("GET", P "/jobs/doomed", NULL, NULL, 0), 404);
	/* A parent with followers is kept, and the core says why. */
	term_send(t, TERM_KEY_ESC);	/* the filter */
	see(t, "Jobs (");
	term_send(t, "g");		/* a, which b follows */
	see(t, "Runs of a");
	term_send(t, "d");
	term_send(t, "a\r");
	see(t, "dependent jobs");
	assert_int_equal(api("GET", P "/jobs/a", NULL, NULL, 0), 200);
	quit(t);
}

static void
test_help_and_palette(void **state)
{
	struct term	*t = jobs(30, 120);

	term_send(t, "?");
	see(t, "run the selected job now");
	see(t, "delete the selected job");
	term_send(t, "q");
	unsee(t, "Help: keys");
	term_send(t, ":job-r");
	term_send(t, TERM_KEY_TAB);
	see(t, ":job-run");
	term_send(t, TERM_KEY_ESC);
	/* The log's own keys, and the jobs' as well. */
	term_send(t, "\t\t?");
	see(t, "find text in the log");
	see(t, "run the selected job now");
	quit(t);
}

/* A sweep from the command line: the grid's runs, as a job of their own. */
static void
test_sweep(void **state)
{
	struct term	*t = jobs(30, 120);

	see(t, "Jobs (");
	term_send(t, ":sweep mark.sh alpha\r");
	see(t, "'alpha' is not NAME=V1,V2");
	term_send(t, ":sweep nothere.sh alpha=1\r");
	see(t, "nothere.sh");
	term_send(t, ":sweep mark.sh alpha=1,2 kernel=a,b,c parallel=2\r");
	see(t, "sweep of 6 runs started as job sweep-mark");
	see(t, "sweep-mark");
	quit(t);
}

static void
test_sizes(void **state)
{
	struct term	*t = jobs(10, 40);
	int		 r1, c1, r2, c2;

	see(t, "Jobs (");
	term_send(t, TERM_KEY_TAB);
	see(t, "Runs of");
	term_send(t, TERM_KEY_TAB);
	see(t, "Log of run");
	term_send(t, "n");		/* the log's next: nothing to find */
	see(t, "nothing to find yet");
	term_resize(t, 5, 10);
	see(t, "terminal");
	term_resize(t, 50, 200);
	see(t, "Jobs (");
	see(t, "Log of run");
	settle(t);
	/* Wide: the log beside the lists. */
	find(t, "Jobs (", &r1, &c1);
	find(t, "Log of run", &r2, &c2);
	assert_int_equal(r1, r2);
	assert_true(c2 > c1);
	term_send(t, "p");
	see(t, "Pipelines");
	term_resize(t, 10, 40);
	see(t, "Pipelines");
	term_send(t, "q");
	term_send(t, "n");
	see(t, "New job");
	term_resize(t, 5, 10);
	term_resize(t, 10, 40);
	see(t, "New job");
	term_send(t, TERM_KEY_ESC);
	term_resize(t, 24, 80);
	see(t, "Runs of");
	quit(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobs_listed),
		cmocka_unit_test(test_jobs_idle_writes_nothing),
		cmocka_unit_test(test_run_live_log),
		cmocka_unit_test(test_log_colours_and_escapes),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_log_search),
		cmocka_unit_test(test_form_create),
		cmocka_unit_test(test_form_edit),
		cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_rerun_and_delete),
		cmocka_unit_test(test_help_and_palette),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_sizes),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
