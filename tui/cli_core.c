/*
 * lathe core …: start lathed, ask how it is, stop it. Status and stop never
 * start it: a core that is not running is an answer for them, not an error
 * to repair. Stop waits until lathed has exited, so that a start right
 * after it finds the state directory free.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "client.h"
#include "wire.h"
#include "xmalloc.h"

/* How long lathe core stop waits for the socket to go quiet. */
#define CLI_CORE_STOP_WAIT_MS	10000
#define CLI_CORE_POLL_MS	100
#define CLI_CORE_POLL_TIMEOUT_S	2

static void
cli_core_sleep_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int64_t
cli_core_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Whether nothing answers on the socket any more. Other failures, such as
 * a connection closed by a core on its way out, say nothing yet.
 */
static int
cli_core_gone(struct client *c)
{
	cJSON	*answer = NULL;
	char	*cause = NULL;
	long	 status;

	if (client_call(c, "GET", "/api/v1/health", NULL, &status, &answer,
	    &cause) == 0) {
		cJSON_Delete(answer);
		return 0;
	}
	free(cause);
	return client_unreachable(c);
}

/* Whether process pid still runs; a zombie does not. */
static int
cli_core_alive(long long pid)
{
	char	 path[64], line[512], *p;
	FILE	*f;
	int	 alive = 1;

	if (pid <= 0)
		return 0;
	if (kill((pid_t)pid, 0) != 0)
		return errno == EPERM;
	snprintf(path, sizeof path, "/proc/%lld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 1;
	/* "pid (comm) S ...": comm may hold anything, even ")". */
	if (fgets(line, sizeof line, f) != NULL &&
	    (p = strrchr(line, ')')) != NULL && p[1] == ' ' && p[2] == 'Z')
		alive = 0;
	fclose(f);
	return alive;
}

static void
cli_core_uptime(int64_t s, char *out, size_t len)
{
	if (s >= 86400)
		snprintf(out, len, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(out, len, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(out, len, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else
		snprintf(out, len, "%llds", (long long)s);
}

/*
 * Ask for the core's health. Return 1 with *answer when it answers, 0 when
 * nothing listens, -1 after reporting any other failure.
 */
static int
cli_core_health(struct cli *cli, struct client *c, cJSON **answer)
{
	cJSON	*a = NULL;
	char	*cause = NULL;
	long	 status;

	if (client_call(c, "GET", "/api/v1/health", NULL, &status, &a,
	    &cause) != 0) {
		if (client_unreachable(c)) {
			free(cause);
			return 0;
		}
		return cli_report_transport(cli, c, cause);
	}
	if (status < 200 || status > 299) {
		cli_report_answer(cli, status, a);
		cJSON_Delete(a);
		return -1;
	}
	*answer = a;
	return 1;
}

int
cli_core_start(struct cli *cli, int argc, char **argv)
{
	cJSON	*answer = NULL;

	if (cli_request(cli, "GET", "/api/v1/health", NULL, &answer) != 0)
		return CLI_EXIT_ERROR;
	if (cli_json(cli))
		cli_print_json(answer);
	else
		printf("lathed running (pid %lld)\n",
		    (long long)cli_get_int(answer, "pid", 0));
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_core_status(struct cli *cli, int argc, char **argv)
{
	struct client	*c;
	cJSON		*answer = NULL, *o;
	const char	*listen;
	char		*version, *url, uptime[32];
	int		 running;

	if ((c = cli_client(cli)) == NULL)
		return CLI_EXIT_ERROR;
	if ((running = cli_core_health(cli, c, &answer)) == -1)
		return CLI_EXIT_ERROR;
	if (running == 0) {
		if (cli_json(cli)) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "error_code",
			    wire_error_code(WIRE_TEMPORARILY_UNAVAILABLE));
			cJSON_AddStringToObject(o, "message",
			    "lathed is not running");
			cli_print_json(o);
			cJSON_Delete(o);
		} else
			printf("lathed is not running\n");
		return CLI_EXIT_ERROR;
	}
	if (cli_json(cli)) {
		cli_print_json(answer);
		cJSON_Delete(answer);
		return CLI_EXIT_OK;
	}
	version = cli_safe(cli_get(answer, "version"));
	cli_core_uptime(cli_get_int(answer, "uptime_s", 0), uptime,
	    sizeof uptime);
	printf("lathed %s running (pid %lld), up %s\n", version,
	    (long long)cli_get_int(answer, "pid", 0), uptime);
	free(version);
	cli_field("socket", cli_get(answer, "socket"));
	listen = cli_get(answer, "listen");
	if (listen != NULL) {
		url = xasprintf(strchr(listen, ':') != NULL ?
		    "http://[%s]:%lld" : "http://%s:%lld", listen,
		    (long long)cli_get_int(answer, "port", 0));
		cli_field("tcp", url);
		free(url);
	} else
		cli_field("tcp", NULL);
	cli_field("state dir", cli_get(answer, "state_dir"));
	cJSON_Delete(answer);
	return CLI_EXIT_OK;
}

int
cli_core_stop(struct cli *cli, int argc, char **argv)
{
	struct client	*c;
	cJSON		*health = NULL, *answer = NULL, *o;
	char		*cause = NULL;
	long long	 pid;
	long		 status;
	int64_t		 deadline;
	int		 running, gone, alive, rc = CLI_EXIT_ERROR;

	if ((c = cli_client(cli)) == NULL)
		return CLI_EXIT_ERROR;
	if ((running = cli_core_health(cli, c, &health)) == -1)
		return CLI_EXIT_ERROR;
	if (running == 0) {
		if (cli_json(cli)) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "status", "not running");
			cli_print_json(o);
			cJSON_Delete(o);
		} else
			printf("lathed is not running\n");
		return CLI_EXIT_OK;
	}
	pid = (long long)cli_get_int(health, "pid", 0);
	/*
	 * A core may close the connection as it stops, before its answer is
	 * out: a transport failure here is judged by whether it goes away.
	 */
	if (client_call(c, "POST", "/api/v1/core/shutdown", NULL, &status,
	    &answer, &cause) == 0 && (status < 200 || status > 299)) {
		cli_report_answer(cli, status, answer);
		goto out;
	}

	/* A core busy shutting down must not hold each poll for long. */
	client_set_timeout(c, CLI_CORE_POLL_TIMEOUT_S);
	deadline = cli_core_now_ms() + CLI_CORE_STOP_WAIT_MS;
	for (;;) {
		/* Gone means exited: a restart must find the state free. */
		gone = cli_core_gone(c);
		alive = !client_is_tcp(c) && cli_core_alive(pid);
		if ((gone && !alive) || cli_core_now_ms() >= deadline)
			break;
		cli_core_sleep_ms(CLI_CORE_POLL_MS);
	}
	if (!gone && cause != NULL) {
		cli_error(cli, wire_error_code(WIRE_INTERNAL_ERROR), "%s",
		    cause);
		goto out;
	}
	if (!gone || alive) {
		cli_error(cli, wire_error_code(WIRE_INVALID_STATE), "lathed "
		    "(pid %lld) %s %d s after it was asked to stop", pid,
		    gone ? "has not exited" : "still answers",
		    CLI_CORE_STOP_WAIT_MS / 1000);
		goto out;
	}
	if (cli_json(cli)) {
		/* The core's own answer ("stopping") may have been lost. */
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "status", "stopped");
		cJSON_AddNumberToObject(o, "pid", (double)pid);
		cli_print_json(o);
		cJSON_Delete(o);
	} else
		printf("stopped lathed (pid %lld)\n", pid);
	rc = CLI_EXIT_OK;
out:
	free(cause);
	cJSON_Delete(health);
	cJSON_Delete(answer);
	return rc;
}
