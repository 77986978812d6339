/*
 * Unit tests for tui/async.c against the real lathed: the group starts
 * "$top_builddir/lathed" in the foreground on a private state and runtime
 * directory and stops it at the end. Each test drives its calls on a fresh
 * libuv loop, always bounded by a watchdog timer so that a bug fails the
 * test instead of hanging it, and its teardown checks that after async_free
 * the loop runs down and closes with no handle left.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <uv.h>

#include "async.h"
#include "client.h"
#include "paths.h"
#include "xmalloc.h"

#define WATCHDOG_MS		20000
#define CORE_START_MS		15000
#define CORE_STOP_MS		10000
#define CONCURRENT		50

/* The lathed of the whole group. */
static struct {
	pid_t	 pid;
	char	*tmp;
	char	*state;
	char	*run;
	char	*log;
} core = { -1, NULL, NULL, NULL, NULL };

struct fixture {
	uv_loop_t	 loop;
	struct client	*client;
	struct async	*async;		/* NULL once a test has freed it */
};

/* What the callbacks saw of one call. */
struct result {
	int		 calls;
	uint64_t	 id;
	long		 status;
	cJSON		*answer;	/* a copy */
	char		*cause;
};

static void
sleep_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

/* Say what lathed logged, as TAP diagnostics. */
static void
show_log(void)
{
	FILE	*f = fopen(core.log, "r");
	char	 line[512];

	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL)
		printf("# lathed: %s", line);
	fclose(f);
}

static int
socket_answers(const char *path)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	int			 fd, ok;

	if (strlen(path) >= sizeof sun.sun_path)
		return 0;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	ok = connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
	close(fd);
	return ok;
}

static void
stop_core(void)
{
	int	 status, waited = 0;

	if (core.pid <= 0)
		return;
	kill(core.pid, SIGTERM);
	while (waitpid(core.pid, &status, WNOHANG) == 0) {
		if (waited >= CORE_STOP_MS) {
			printf("# lathed did not stop on SIGTERM\n");
			kill(core.pid, SIGKILL);
			waitpid(core.pid, &status, 0);
			break;
		}
		sleep_ms(10);
		waited += 10;
	}
	core.pid = -1;
}

static int
group_setup(void **state)
{
	const char	*top = getenv("top_builddir");
	char		*lathed, *sock, *home;
	pid_t		 parent;
	int		 fd, status, waited;

	if (top == NULL || *top == '\0')
		top = ".";
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return -1;
	core.tmp = xstrdup("/tmp/lathe-test-async.XXXXXX");
	if (mkdtemp(core.tmp) == NULL)
		return -1;
	core.state = xasprintf("%s/state", core.tmp);
	core.run = xasprintf("%s/run", core.tmp);
	core.log = xasprintf("%s/lathed.out", core.tmp);
	home = xasprintf("%s/home", core.tmp);
	if (mkdir(home, 0700) != 0)
		return -1;
	/* The core and the clients alike see only the private directories. */
	setenv("HOME", home, 1);
	setenv("LATHE_STATE_DIR", core.state, 1);
	setenv("LATHE_RUNTIME_DIR", core.run, 1);
	unsetenv("LATHE_URL");
	unsetenv("LATHE_KEY");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("XDG_CONFIG_HOME");
	free(home);

	lathed = xasprintf("%s/lathed", top);
	parent = getpid();
	fflush(NULL);
	if ((core.pid = fork()) == -1)
		return -1;
	if (core.pid == 0) {
		/* A test that crashes must not leave its lathed behind. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 ||
		    getppid() != parent)
			_exit(127);
		fd = open(core.log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd != -1) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		if ((fd = open("/dev/null", O_RDONLY)) != -1)
			dup2(fd, STDIN_FILENO);
		execl(lathed, "lathed", "--foreground", "--state-dir",
		    core.state, "--runtime-dir", core.run, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", lathed,
		    strerror(errno));
		_exit(127);
	}
	free(lathed);

	sock = paths_socket(core.run);
	for (waited = 0; !socket_answers(sock); waited += 20) {
		if (waitpid(core.pid, &status, WNOHANG) == core.pid) {
			printf("# lathed exited before it listened "
			    "(set top_builddir to the build directory)\n");
			core.pid = -1;
			break;
		}
		if (waited >= CORE_START_MS) {
			printf("# lathed did not listen within %d ms\n",
			    CORE_START_MS);
			stop_core();
			break;
		}
		sleep_ms(20);
	}
	free(sock);
	if (core.pid == -1) {
		show_log();
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	stop_core();
	if (core.tmp != NULL)
		nftw(core.tmp, rm_one, 16, FTW_PHYS | FTW_DEPTH);
	free(core.tmp);
	free(core.state);
	free(core.run);
	free(core.log);
	curl_global_cleanup();
	return 0;
}

static void
on_watchdog(uv_timer_t *timer)
{
	int	*fired = timer->data;

	*fired = 1;
	uv_stop(timer->loop);
}

static void
watchdog_close(uv_timer_t *dog)
{
	uv_close((uv_handle_t *)dog, NULL);
	/* One turn runs the close; dog lives on the caller's stack. */
	uv_run(dog->loop, UV_RUN_NOWAIT);
}

/* What run_until waits for, checked before the loop would block. */
struct waiter {
	int	(*done)(void *);
	void	*arg;
};

static void
on_prepare(uv_prepare_t *prepare)
{
	struct waiter	*w = prepare->data;

	if (w->done(w->arg))
		uv_stop(prepare->loop);
}

/*
 * Run loop until done(arg) is true. Return 1, or 0 when WATCHDOG_MS ran
 * out first.
 */
static int
run_until(uv_loop_t *loop, int (*done)(void *), void *arg)
{
	struct waiter	 w = { done, arg };
	uv_prepare_t	 prepare;
	uv_timer_t	 dog;
	int		 fired = 0;

	uv_prepare_init(loop, &prepare);
	prepare.data = &w;
	uv_prepare_start(&prepare, on_prepare);
	uv_timer_init(loop, &dog);
	dog.data = &fired;
	uv_timer_start(&dog, on_watchdog, WATCHDOG_MS, 0);
	if (!done(arg))
		uv_run(loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&prepare, NULL);
	watchdog_close(&dog);
	return !fired;
}

static int
no_pending(void *arg)
{
	return async_pending(arg) == 0;
}

static int
run_until_idle(uv_loop_t *loop, struct async *a)
{
	return run_until(loop, no_pending, a);
}

/* Run loop for ms, whatever happens meanwhile. */
static void
run_for(uv_loop_t *loop, uint64_t ms)
{
	uv_timer_t	 t;
	int		 fired = 0;

	uv_timer_init(loop, &t);
	t.data = &fired;
	uv_timer_start(&t, on_watchdog, ms, 0);
	uv_run(loop, UV_RUN_DEFAULT);
	watchdog_close(&t);
}

/*
 * What a caller of async_free does: run the loop until it returns. The
 * watchdog does not keep the loop alive; return 0 if it had to stop it.
 */
static int
run_down(uv_loop_t *loop)
{
	uv_timer_t	 dog;
	int		 fired = 0;

	uv_timer_init(loop, &dog);
	dog.data = &fired;
	uv_timer_start(&dog, on_watchdog, WATCHDOG_MS, 0);
	uv_unref((uv_handle_t *)&dog);
	uv_run(loop, UV_RUN_DEFAULT);
	watchdog_close(&dog);
	return !fired;
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	char		*cause = NULL;

	if (uv_loop_init(&f->loop) != 0)
		return -1;
	if ((f->client = client_new(0, &cause)) == NULL) {
		printf("# %s\n", cause);
		free(cause);
		return -1;
	}
	f->async = async_new(&f->loop, f->client);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 rc = 0;

	async_free(f->async);
	client_free(f->client);
	if (!run_down(&f->loop)) {
		printf("# the loop still runs after async_free\n");
		rc = -1;
	}
	if (uv_loop_close(&f->loop) != 0) {
		printf("# a handle is left open after async_free\n");
		rc = -1;
	}
	free(f);
	return rc;
}

static void
record(uint64_t id, long status, cJSON *answer, const char *cause, void *arg)
{
	struct result	*r = arg;

	r->calls++;
	r->id = id;
	r->status = status;
	cJSON_Delete(r->answer);
	r->answer = answer != NULL ? cJSON_Duplicate(answer, 1) : NULL;
	free(r->cause);
	r->cause = cause != NULL ? xstrdup(cause) : NULL;
}

static void
result_done(struct result *r)
{
	cJSON_Delete(r->answer);
	free(r->cause);
	memset(r, 0, sizeof *r);
}

static const char *
answer_string(const struct result *r, const char *name)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(r->answer, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Check that r is exactly one answer of status from the core. */
static void
assert_answer(const struct result *r, uint64_t id, long status)
{
	assert_int_equal(r->calls, 1);
	assert_int_equal(r->id, id);
	if (r->cause != NULL)
		printf("# unexpected cause: %s\n", r->cause);
	assert_null(r->cause);
	assert_int_equal(r->status, status);
	assert_true(cJSON_IsObject(r->answer));
}

static void
test_concurrent_health(void **state)
{
	struct fixture	*f = *state;
	struct result	 r[CONCURRENT] = { 0 };
	uint64_t	 ids[CONCURRENT];
	size_t		 i, j;

	for (i = 0; i < CONCURRENT; i++) {
		ids[i] = async_call(f->async, "GET", "/api/v1/health", NULL,
		    record, &r[i]);
		assert_int_not_equal(ids[i], 0);
	}
	assert_int_equal(async_pending(f->async), CONCURRENT);
	/* Callbacks run only from the loop, never from async_call. */
	for (i = 0; i < CONCURRENT; i++)
		assert_int_equal(r[i].calls, 0);

	assert_true(run_until_idle(&f->loop, f->async));
	for (i = 0; i < CONCURRENT; i++) {
		assert_answer(&r[i], ids[i], 200);
		assert_string_equal(answer_string(&r[i], "status"), "ok");
		for (j = 0; j < i; j++)
			assert_int_not_equal(ids[i], ids[j]);
	}
	assert_int_equal(async_pending(f->async), 0);

	/* The same async serves a second round over the kept connections. */
	for (i = 0; i < 3; i++) {
		result_done(&r[i]);
		ids[i] = async_call(f->async, "GET", "/api/v1/health", NULL,
		    record, &r[i]);
		for (j = 0; j < CONCURRENT; j++) {
			if (j != i)
				assert_int_not_equal(ids[i], ids[j]);
		}
	}
	assert_true(run_until_idle(&f->loop, f->async));
	for (i = 0; i < 3; i++)
		assert_answer(&r[i], ids[i], 200);
	for (i = 0; i < CONCURRENT; i++)
		result_done(&r[i]);
}

static void
test_post_creates_project(void **state)
{
	struct fixture	*f = *state;
	struct result	 r = { 0 };
	cJSON		*body, *source;
	char		*dir = xasprintf("%s/adopt-me", core.tmp);
	const cJSON	*path;
	uint64_t	 id;

	assert_int_equal(mkdir(dir, 0755), 0);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", "async-made");
	source = cJSON_AddObjectToObject(body, "source");
	cJSON_AddStringToObject(source, "type", "dir");
	cJSON_AddStringToObject(source, "location", dir);

	id = async_call(f->async, "POST", "/api/v1/projects", body, record,
	    &r);
	/* The body was copied: the caller may let go of it at once. */
	cJSON_Delete(body);
	assert_true(run_until_idle(&f->loop, f->async));
	assert_answer(&r, id, 201);
	assert_string_equal(answer_string(&r, "name"), "async-made");
	path = cJSON_GetObjectItemCaseSensitive(r.answer, "path");
	assert_true(cJSON_IsString(path));
	result_done(&r);

	/* It is there now, for a GET. */
	id = async_call(f->async, "GET", "/api/v1/projects/async-made", NULL,
	    record, &r);
	assert_true(run_until_idle(&f->loop, f->async));
	assert_answer(&r, id, 200);
	assert_string_equal(answer_string(&r, "name"), "async-made");
	result_done(&r);

	/* A second one of the same name is refused, with the core's error. */
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "name", "async-made");
	source = cJSON_AddObjectToObject(body, "source");
	cJSON_AddStringToObject(source, "type", "dir");
	cJSON_AddStringToObject(source, "location", dir);
	id = async_call(f->async, "POST", "/api/v1/projects", body, record,
	    &r);
	cJSON_Delete(body);
	assert_true(run_until_idle(&f->loop, f->async));
	assert_answer(&r, id, 400);
	assert_string_equal(answer_string(&r, "error_code"),
	    "RESOURCE_ALREADY_EXISTS");
	result_done(&r);
	free(dir);
}

static void
test_not_found(void **state)
{
	struct fixture	*f = *state;
	struct result	 r = { 0 };
	const char	*message;
	uint64_t	 id;

	id = async_call(f->async, "GET", "/api/v1/projects/no-such-project",
	    NULL, record, &r);
	assert_true(run_until_idle(&f->loop, f->async));
	assert_answer(&r, id, 404);
	assert_string_equal(answer_string(&r, "error_code"),
	    "RESOURCE_DOES_NOT_EXIST");
	message = answer_string(&r, "message");
	assert_non_null(message);
	assert_non_null(strstr(message, "no-such-project"));
	result_done(&r);

	/* A route that does not exist at all is an answer too, not a cause. */
	id = async_call(f->async, "GET", "/api/v1/no-such-route", NULL, record,
	    &r);
	assert_true(run_until_idle(&f->loop, f->async));
	assert_answer(&r, id, 404);
	assert_non_null(answer_string(&r, "error_code"));
	result_done(&r);
}

static void
test_cancel(void **state)
{
	struct fixture	*f = *state;
	struct result	 r[10] = { 0 };
	uint64_t	 ids[10];
	size_t		 i;

	for (i = 0; i < 10; i++)
		ids[i] = async_call(f->async, "GET", "/api/v1/health", NULL,
		    record, &r[i]);
	async_cancel(f->async, ids[2]);
	async_cancel(f->async, ids[7]);
	assert_int_equal(async_pending(f->async), 8);
	/* Unknown ids and a second cancel change nothing. */
	async_cancel(f->async, 0);
	async_cancel(f->async, ids[9] + 1000);
	async_cancel(f->async, ids[2]);
	assert_int_equal(async_pending(f->async), 8);

	assert_true(run_until_idle(&f->loop, f->async));
	/* Longer, so that a late callback of a cancelled call would show. */
	run_for(&f->loop, 200);
	for (i = 0; i < 10; i++) {
		if (i == 2 || i == 7)
			assert_int_equal(r[i].calls, 0);
		else
			assert_answer(&r[i], ids[i], 200);
	}
	/* Cancelling a call whose callback has run is harmless. */
	async_cancel(f->async, ids[0]);
	assert_int_equal(async_pending(f->async), 0);
	for (i = 0; i < 10; i++)
		result_done(&r[i]);
}

/*
 * A client for a core that is not running: its runtime directory (*dirp,
 * named name under the test directory) holds no socket.
 */
static struct client *
dead_client(const char *name, char **dirp)
{
	struct client	*client;
	char		*dir = xasprintf("%s/%s", core.tmp, name);
	char		*cause = NULL;

	assert_int_equal(mkdir(dir, 0700), 0);
	setenv("LATHE_RUNTIME_DIR", dir, 1);
	client = client_new(0, &cause);
	setenv("LATHE_RUNTIME_DIR", core.run, 1);
	assert_non_null(client);
	*dirp = dir;
	return client;
}

/* Calls whose first callback cancels all the others. */
struct cancel_all {
	struct async	*async;
	uint64_t	 ids[20];
	int		 calls;
	uint64_t	 started;	/* started and cancelled in a callback */
	struct result	 late;
};

static void
cancel_others(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct cancel_all	*c = arg;
	size_t			 i;

	c->calls++;
	/* Its own id too: it has ended, so that is ignored. */
	for (i = 0; i < 20; i++)
		async_cancel(c->async, c->ids[i]);
	c->started = async_call(c->async, "GET", "/api/v1/health", NULL,
	    record, &c->late);
	async_cancel(c->async, c->started);
}

static void
test_cancel_from_callback(void **state)
{
	struct fixture		*f = *state;
	struct cancel_all	 c = { .async = f->async };
	size_t			 i;

	for (i = 0; i < 20; i++)
		c.ids[i] = async_call(f->async, "GET", "/api/v1/health", NULL,
		    cancel_others, &c);
	assert_true(run_until_idle(&f->loop, f->async));
	run_for(&f->loop, 200);
	/*
	 * Whether the others had answered already (waiting for their
	 * callbacks) or were still on the wire, none of them runs.
	 */
	assert_int_equal(c.calls, 1);
	assert_int_not_equal(c.started, 0);
	assert_int_equal(c.late.calls, 0);
	assert_int_equal(async_pending(f->async), 0);
}

/*
 * Calls to a core that is not running all fail on one turn of the loop, so
 * when the first callback runs the others have ended too and only wait for
 * theirs: cancelling them must still keep those from running.
 */
static void
test_cancel_ended(void **state)
{
	struct fixture		*f = *state;
	struct cancel_all	 c = { 0 };
	struct client		*client;
	char			*dir;
	size_t			 i;

	client = dead_client("cancel-ended", &dir);
	c.async = async_new(&f->loop, client);
	for (i = 0; i < 20; i++)
		c.ids[i] = async_call(c.async, "GET", "/api/v1/health", NULL,
		    cancel_others, &c);
	assert_true(run_until_idle(&f->loop, c.async));
	run_for(&f->loop, 100);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.late.calls, 0);
	assert_int_equal(async_pending(c.async), 0);
	async_free(c.async);
	client_free(client);
	free(dir);
}

/* A call whose callback makes the next call. */
struct chain {
	struct async	*async;
	struct result	 first;
	struct result	 second;
	uint64_t	 second_id;
};

static void
chain_next(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct chain	*c = arg;

	record(id, status, answer, cause, &c->first);
	c->second_id = async_call(c->async, "GET",
	    "/api/v1/projects/also-missing", NULL, record, &c->second);
}

static void
test_call_from_callback(void **state)
{
	struct fixture	*f = *state;
	struct chain	 c = { .async = f->async };
	uint64_t	 id;

	id = async_call(f->async, "GET", "/api/v1/health", NULL, chain_next,
	    &c);
	assert_true(run_until_idle(&f->loop, f->async));
	assert_answer(&c.first, id, 200);
	assert_int_not_equal(c.second_id, 0);
	assert_int_not_equal(c.second_id, id);
	assert_answer(&c.second, c.second_id, 404);
	result_done(&c.first);
	result_done(&c.second);
}

static void
test_core_not_running(void **state)
{
	struct fixture	*f = *state;
	struct result	 r = { 0 };
	struct client	*client;
	struct async	*a;
	char		*dir;
	uint64_t	 id, start_ns, took_ms;

	client = dead_client("no-core", &dir);
	a = async_new(&f->loop, client);

	start_ns = uv_hrtime();
	id = async_call(a, "GET", "/api/v1/health", NULL, record, &r);
	assert_true(run_until_idle(&f->loop, a));
	took_ms = (uv_hrtime() - start_ns) / 1000000;
	/* Well under the connect timeout: nothing listens, so it fails fast. */
	assert_true(took_ms < 2000);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.id, id);
	assert_int_equal(r.status, 0);
	assert_null(r.answer);
	assert_non_null(r.cause);
	assert_non_null(strstr(r.cause, "not running"));
	assert_non_null(strstr(r.cause, dir));
	assert_int_equal(async_pending(a), 0);
	/* The core was not started from here. */
	assert_false(client_started(client));
	result_done(&r);

	async_free(a);
	client_free(client);
	free(dir);
}

static int
counted(void *arg)
{
	return *(int *)arg > 0;
}

static void
count(uint64_t id, long status, cJSON *answer, const char *cause, void *arg)
{
	(*(int *)arg)++;
}

static void
test_free_with_calls_pending(void **state)
{
	struct fixture	*f = *state;
	cJSON		*body = cJSON_CreateObject();
	int		 calls = 0, before, i;

	/* Freed before the loop ever ran: nothing is connected yet. */
	for (i = 0; i < 10; i++)
		async_call(f->async, "GET", "/api/v1/health", NULL, count,
		    &calls);
	async_free(f->async);
	assert_true(run_down(&f->loop));
	assert_int_equal(calls, 0);

	/* Freed with transfers under way: sockets watched, bodies sent. */
	f->async = async_new(&f->loop, f->client);
	cJSON_AddStringToObject(body, "name", "freed-early");
	for (i = 0; i < 20; i++) {
		async_call(f->async, "GET", "/api/v1/health", NULL, count,
		    &calls);
		async_call(f->async, "POST", "/api/v1/projects", body, count,
		    &calls);
	}
	cJSON_Delete(body);
	uv_run(&f->loop, UV_RUN_NOWAIT);
	uv_run(&f->loop, UV_RUN_NOWAIT);
	before = calls;
	async_free(f->async);
	f->async = NULL;
	assert_true(run_down(&f->loop));
	assert_int_equal(calls, before);
}

/* A callback that frees the async it was called from. */
struct freeing {
	struct fixture	*f;
	int		 calls;
};

static void
free_async(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct freeing	*fr = arg;

	fr->calls++;
	async_free(fr->f->async);
	fr->f->async = NULL;
}

static void
test_free_from_callback(void **state)
{
	struct fixture	*f = *state;
	struct freeing	 fr = { .f = f };
	int		 i;

	for (i = 0; i < 20; i++)
		async_call(f->async, "GET", "/api/v1/health", NULL, free_async,
		    &fr);
	assert_true(run_until(&f->loop, counted, &fr.calls));
	assert_null(f->async);
	assert_true(run_down(&f->loop));
	assert_int_equal(fr.calls, 1);
}

/* What a raw callback saw, with two of the answer's headers. */
struct raw_result {
	int		 calls;
	long		 status;
	char		*body;
	size_t		 len;
	char		*cause;
	char		 type[128];
	char		 offset[32];
	char		 run_status[32];
	int		 missing;	/* a header it did not send was found */
	int		 small;		/* a value was cut to fit */
};

static void
record_raw(uint64_t id, long status, const char *body, size_t len,
    struct client_req *req, const char *cause, void *arg)
{
	struct raw_result	*r = arg;
	char			 tiny[4];

	r->calls++;
	r->status = status;
	free(r->body);
	r->body = NULL;
	r->len = 0;
	if (body != NULL) {
		r->body = xmalloc(len + 1);
		memcpy(r->body, body, len + 1);
		r->len = len;
	}
	free(r->cause);
	r->cause = cause != NULL ? xstrdup(cause) : NULL;
	if (req == NULL)
		return;
	if (client_req_header(req, "content-type", r->type,
	    sizeof r->type) == NULL)
		r->type[0] = '\0';
	if (client_req_header(req, "X-Lathe-Log-Offset", r->offset,
	    sizeof r->offset) == NULL)
		r->offset[0] = '\0';
	if (client_req_header(req, "X-Lathe-Run-Status", r->run_status,
	    sizeof r->run_status) == NULL)
		r->run_status[0] = '\0';
	r->missing = client_req_header(req, "X-No-Such-Header", tiny,
	    sizeof tiny) != NULL;
	r->small = client_req_header(req, "Content-Type", tiny,
	    sizeof tiny) != NULL;
}

static void
raw_done(struct raw_result *r)
{
	free(r->body);
	free(r->cause);
	memset(r, 0, sizeof *r);
}

/* Call the core and wait; the answer's field name as a new string. */
static char *
call_field(struct client *client, const char *method, const char *path,
    const char *json, long want, const char *name)
{
	cJSON		*body = NULL, *answer = NULL;
	const cJSON	*v;
	char		*cause = NULL, *value = NULL;
	long		 status = 0;

	if (json != NULL)
		body = cJSON_Parse(json);
	if (client_call(client, method, path, body, &status, &answer,
	    &cause) != 0) {
		printf("# %s %s: %s\n", method, path, cause);
		fail();
	}
	if (status != want) {
		printf("# %s %s: HTTP %ld\n", method, path, status);
		fail();
	}
	v = cJSON_GetObjectItemCaseSensitive(answer, name);
	if (cJSON_IsString(v))
		value = xstrdup(v->valuestring);
	else if (cJSON_IsBool(v))
		value = xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	cJSON_Delete(body);
	cJSON_Delete(answer);
	return value;
}

static void
test_raw_answers(void **state)
{
	struct fixture		*f = *state;
	struct raw_result	 r = { 0 };
	struct client		*client;
	struct async		*a;
	char			*dir, *json, *run, *path, *active = NULL;
	FILE			*fp;
	int			 i;

	/* A JSON answer taken raw, with its headers. */
	async_call_raw(f->async, "GET", "/api/v1/health", NULL, record_raw,
	    &r);
	assert_true(run_until_idle(&f->loop, f->async));
	assert_int_equal(r.calls, 1);
	assert_null(r.cause);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"status\""));
	assert_int_equal(strlen(r.body), r.len);
	assert_non_null(strstr(r.type, "application/json"));
	assert_false(r.missing);
	assert_false(r.small);
	raw_done(&r);

	/* An error is an answer too: the core's JSON error as the body. */
	async_call_raw(f->async, "GET", "/api/v1/projects/no-such/runs/1/logs",
	    NULL, record_raw, &r);
	assert_true(run_until_idle(&f->loop, f->async));
	assert_int_equal(r.status, 404);
	assert_null(r.cause);
	assert_non_null(strstr(r.body, "RESOURCE_DOES_NOT_EXIST"));
	raw_done(&r);

	/* No core: no answer, and why. */
	client = dead_client("raw-no-core", &dir);
	a = async_new(&f->loop, client);
	async_call_raw(a, "GET", "/api/v1/health", NULL, record_raw, &r);
	assert_true(run_until_idle(&f->loop, a));
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.status, 0);
	assert_null(r.body);
	assert_non_null(r.cause);
	assert_non_null(strstr(r.cause, "not running"));
	raw_done(&r);
	async_free(a);
	client_free(client);
	free(dir);

	/* A log with bytes JSON could not carry comes whole. */
	dir = xasprintf("%s/raw-project", core.tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	path = xasprintf("%s/bytes.sh", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("printf 'one\\000two\\377\\n'\n", fp);
	fclose(fp);
	free(path);
	json = xasprintf("{\"name\": \"raw\", \"source\": {\"type\": "
	    "\"dir\", \"location\": \"%s\"}}", dir);
	free(call_field(f->client, "POST", "/api/v1/projects", json, 201,
	    "id"));
	free(json);
	/* The interpreters are found in the background: wait for sh. */
	for (i = 0; i < 200; i++) {
		long	 status = 0;
		cJSON	*answer = NULL;
		char	*cause = NULL, *text;
		int	 found;

		if (client_call(f->client, "GET", "/api/v1/runtimes", NULL,
		    &status, &answer, &cause) != 0)
			fail_msg("%s", cause);
		text = cJSON_PrintUnformatted(answer);
		found = strstr(text, "\"kernel\":\"sh\"") != NULL;
		free(text);
		cJSON_Delete(answer);
		if (found)
			break;
		sleep_ms(50);
	}
	free(call_field(f->client, "POST", "/api/v1/projects/raw/jobs",
	    "{\"name\": \"bytes\", \"script\": \"bytes.sh\"}", 201, "id"));
	run = call_field(f->client, "POST", "/api/v1/projects/raw/jobs/bytes/"
	    "runs", NULL, 201, "id");
	assert_non_null(run);
	path = xasprintf("/api/v1/projects/raw/runs/%s", run);
	for (i = 0; i < 400; i++) {
		free(active);
		active = call_field(f->client, "GET", path, NULL, 200,
		    "active");
		if (strcmp(active, "false") == 0)
			break;
		sleep_ms(50);
	}
	assert_string_equal(active, "false");
	free(active);
	free(path);
	path = xasprintf("/api/v1/projects/raw/runs/%s/logs", run);
	async_call_raw(f->async, "GET", path, NULL, record_raw, &r);
	assert_true(run_until_idle(&f->loop, f->async));
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, 9);
	assert_memory_equal(r.body, "one\0two\377\n", 9);
	assert_string_equal(r.offset, "9");
	assert_string_equal(r.run_status, "succeeded");
	assert_non_null(strstr(r.type, "text/plain"));
	raw_done(&r);
	free(path);
	free(run);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_concurrent_health, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_post_creates_project,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_from_callback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_ended, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_call_from_callback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_core_not_running, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_free_with_calls_pending,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_raw_answers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_free_from_callback, setup,
		    teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
