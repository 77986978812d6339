/*
 * Benchmark of jobs (tests/bench/jobs.sh drives it): how long a run takes
 * from the request to its script's first instruction, how many short runs
 * lathed gets through a second, and how far behind a followed log is,
 * each measured beside the same thing done without lathe. Prints figures
 * as "key value" lines for the script to tabulate; asserts nothing.
 *
 * Times are CLOCK_REALTIME nanoseconds throughout, because the workloads
 * stamp what they write with the wall clock (date +%s%N, time.time_ns(),
 * $EPOCHREALTIME) and the two sides must be compared on one clock.
 *
 * usage: bench_jobs latency SOCKET PROJECT JOB RUNS FILE -- PROGRAM [ARG]...
 *        bench_jobs throughput SOCKET PROJECT JOB RUNS
 *        bench_jobs follow SOCKET PROJECT JOB [ARG]...
 *        bench_jobs gen LINES_PER_S SECONDS DELAY_S
 *        bench_jobs read
 */
#include "config.h"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "buf.h"
#include "xmalloc.h"

#define BENCH_WARMUP		3	/* runs of each side not counted */
#define BENCH_WAIT_MS		60000	/* for anything one run does */
#define BENCH_POLL_MS		5	/* looking whether a run has ended */
#define BENCH_DONE_POLL_MS	10	/* looking whether all have ended */
#define BENCH_LINE_MAX		256
#define BENCH_FAILED_SHOWN	5	/* runs not succeeded, described */

/* Lags of received lines, and what is left of a line cut by a read. */
struct bench_lines {
	int64_t		*lag;
	size_t		 n;
	size_t		 cap;
	char		 part[BENCH_LINE_MAX];
	size_t		 partlen;
	int64_t		 first_ns;	/* write times of the first line */
	int64_t		 last_ns;	/* and of the last */
	int64_t		 since_ns;	/* the reader was ready from then */
	size_t		 early;		/* lines written before that */
	size_t		 bad;		/* lines without a time stamp */
};

static int64_t
bench_now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
bench_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The q-th quantile (0 to 1) of v (sorted here), in milliseconds. */
static double
bench_quantile(int64_t *v, size_t n, double q)
{
	size_t	i;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof *v, bench_cmp);
	i = (size_t)(q * (double)(n - 1) + 0.5);
	return (double)v[i] / 1e6;
}

static void
bench_sleep_ms(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * A time stamp as the workloads write it: nanoseconds (date +%s%N,
 * time.time_ns()) or seconds with a fraction ($EPOCHREALTIME); 0 if s
 * holds none.
 */
static int64_t
bench_parse_stamp(const char *s)
{
	int64_t	 sec = 0, frac = 0, scale = 1000000000;
	int	 digits = 0;

	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9')
		sec = sec * 10 + (*s++ - '0');
	if (*s != '.')
		return sec;
	for (s++; *s >= '0' && *s <= '9' && digits < 9; s++, digits++) {
		frac = frac * 10 + (*s - '0');
		scale /= 10;
	}
	return sec * 1000000000 + frac * scale;
}

static size_t
bench_write(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

/* A request to lathed; the body (owned by b) if the status is want. */
static const char *
bench_request(CURL *c, const char *method, const char *url,
    const char *body, long want, struct buf *b)
{
	long	status = 0;

	buf_reset(b);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	if (body == NULL)
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, bench_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	if (curl_easy_perform(c) != CURLE_OK)
		return NULL;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status != want) {
		fprintf(stderr, "bench_jobs: %s %s: %ld %s\n", method, url,
		    status, buf_str(b));
		return NULL;
	}
	return buf_str(b);
}

static struct curl_slist	*bench_headers;

static CURL *
bench_curl(const char *sock)
{
	CURL	*c;

	if ((c = curl_easy_init()) == NULL) {
		fprintf(stderr, "bench_jobs: curl_easy_init failed\n");
		exit(1);
	}
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, bench_headers);
	return c;
}

/* A string field of a JSON object, as a new string, or NULL. */
static char *
bench_field(const char *json, const char *name)
{
	cJSON	*o, *v;
	char	*s = NULL;

	if (json == NULL || (o = cJSON_Parse(json)) == NULL)
		return NULL;
	v = cJSON_GetObjectItem(o, name);
	if (cJSON_IsString(v))
		s = xstrdup(v->valuestring);
	else if (cJSON_IsBool(v))
		s = xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	cJSON_Delete(o);
	return s;
}

/* POST a run of job with args (a JSON array); its id, or NULL. */
static char *
bench_start(CURL *c, const char *base, const char *args, struct buf *b)
{
	char	*url, *body, *id;

	url = xasprintf("%s/runs", base);
	body = xasprintf("{\"arguments\": %s}", args);
	id = bench_field(bench_request(c, "POST", url, body, 201, b), "id");
	free(body);
	free(url);
	return id;
}

/* Wait until run id has ended; its status, or NULL. */
static char *
bench_wait_run(CURL *c, const char *project_url, const char *id,
    struct buf *b)
{
	char	*url, *active, *status = NULL;
	int	 waited;

	url = xasprintf("%s/runs/%s", project_url, id);
	for (waited = 0; waited < BENCH_WAIT_MS; waited += BENCH_POLL_MS) {
		active = bench_field(bench_request(c, "GET", url, NULL, 200,
		    b), "active");
		if (active != NULL && strcmp(active, "false") == 0) {
			free(active);
			status = bench_field(buf_str(b), "status");
			break;
		}
		free(active);
		bench_sleep_ms(BENCH_POLL_MS);
	}
	free(url);
	return status;
}

/*
 * Wait for file (watched by inotify fd) to hold a time stamp; return it,
 * or 0 after BENCH_WAIT_MS.
 */
static int64_t
bench_wait_stamp(int fd, const char *file)
{
	char		 ev[4096], text[128];
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	int64_t		 deadline = bench_now_ns() + BENCH_WAIT_MS * 1000000LL;
	int64_t		 stamp;
	ssize_t		 n;
	int		 f;

	for (;;) {
		if ((f = open(file, O_RDONLY|O_CLOEXEC)) != -1) {
			n = read(f, text, sizeof text - 1);
			close(f);
			if (n > 0) {
				text[n] = '\0';
				if (strchr(text, '\n') != NULL &&
				    (stamp = bench_parse_stamp(text)) != 0)
					return stamp;
			}
		}
		if (bench_now_ns() > deadline)
			return 0;
		if (poll(&pfd, 1, 100) > 0)
			(void)read(fd, ev, sizeof ev);
	}
}

/* Run argv directly and wait for it; 0 on exit status 0, or -1. */
static int
bench_direct(char **argv)
{
	pid_t	pid;
	int	status;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * From the request for a run (or the fork, without lathe) to the time
 * stamp the script writes first thing, alternating the two sides so that
 * both meet the same machine. The script is given file as its argument.
 */
static int
bench_latency(const char *sock, const char *project, const char *job,
    int runs, const char *file, char **argv)
{
	struct buf	 b;
	CURL		*c = bench_curl(sock);
	char		*project_url, *base, *args, *id, *status, *dir;
	char		*copy;
	char		**dargv;
	int64_t		*lathe, *direct, *answer, t0, t1, stamp;
	int		 i, n = 0, argc, fd, rc = 1;

	for (argc = 0; argv[argc] != NULL; argc++)
		;
	dargv = xcalloc((size_t)argc + 2, sizeof *dargv);
	memcpy(dargv, argv, (size_t)argc * sizeof *dargv);
	dargv[argc] = (char *)file;
	copy = xstrdup(file);
	dir = dirname(copy);
	if ((fd = inotify_init1(IN_NONBLOCK|IN_CLOEXEC)) == -1 ||
	    inotify_add_watch(fd, dir, IN_CLOSE_WRITE|IN_MODIFY) == -1) {
		fprintf(stderr, "bench_jobs: inotify on %s: %s\n", dir,
		    strerror(errno));
		exit(1);
	}
	buf_init(&b);
	lathe = xcalloc((size_t)runs, sizeof *lathe);
	direct = xcalloc((size_t)runs, sizeof *direct);
	answer = xcalloc((size_t)runs, sizeof *answer);
	project_url = xasprintf("http://l/api/v1/projects/%s", project);
	base = xasprintf("%s/jobs/%s", project_url, job);
	args = xasprintf("[\"%s\"]", file);

	for (i = -BENCH_WARMUP; i < runs; i++) {
		(void)unlink(file);
		t0 = bench_now_ns();
		if ((id = bench_start(c, base, args, &b)) == NULL)
			goto out;
		t1 = bench_now_ns();
		if ((stamp = bench_wait_stamp(fd, file)) == 0) {
			fprintf(stderr, "bench_jobs: run %s wrote no time "
			    "stamp to %s\n", id, file);
			free(id);
			goto out;
		}
		status = bench_wait_run(c, project_url, id, &b);
		if (status == NULL || strcmp(status, "succeeded") != 0) {
			fprintf(stderr, "bench_jobs: run %s: %s\n", id,
			    status != NULL ? status : "did not end");
			free(status);
			free(id);
			goto out;
		}
		free(status);
		free(id);
		if (i >= 0) {
			lathe[i] = stamp - t0;
			answer[i] = t1 - t0;
		}

		(void)unlink(file);
		t0 = bench_now_ns();
		if (bench_direct(dargv) != 0 ||
		    (stamp = bench_wait_stamp(fd, file)) == 0) {
			fprintf(stderr, "bench_jobs: %s failed\n", argv[0]);
			goto out;
		}
		if (i >= 0)
			direct[i] = stamp - t0;
		n = i + 1;
	}
	printf("runs %d\n", n);
	printf("lathe_median_ms %.3f\n", bench_quantile(lathe, (size_t)n,
	    0.5));
	printf("lathe_p95_ms %.3f\n", bench_quantile(lathe, (size_t)n, 0.95));
	printf("direct_median_ms %.3f\n", bench_quantile(direct, (size_t)n,
	    0.5));
	printf("direct_p95_ms %.3f\n", bench_quantile(direct, (size_t)n,
	    0.95));
	printf("answer_median_ms %.3f\n", bench_quantile(answer, (size_t)n,
	    0.5));
	printf("answer_p95_ms %.3f\n", bench_quantile(answer, (size_t)n,
	    0.95));
	rc = 0;
out:
	(void)unlink(file);
	close(fd);
	free(args);
	free(base);
	free(project_url);
	free(answer);
	free(direct);
	free(lathe);
	free(copy);
	free(dargv);
	buf_done(&b);
	curl_easy_cleanup(c);
	return rc;
}

/* How many runs of the job have status (at most 2 are asked for). */
static int
bench_count(CURL *c, const char *base, const char *status, struct buf *b)
{
	char	*url;
	cJSON	*o;
	int	 n = -1;

	url = xasprintf("%s/runs?status=%s&page_size=2", base, status);
	if (bench_request(c, "GET", url, NULL, 200, b) != NULL &&
	    (o = cJSON_Parse(buf_str(b))) != NULL) {
		n = cJSON_GetArraySize(cJSON_GetObjectItem(o, "runs"));
		cJSON_Delete(o);
	}
	free(url);
	return n;
}

/* Say on stderr how a run that did not succeed ended, with its log. */
static void
bench_show_failed(CURL *c, const char *project, cJSON *run, struct buf *b)
{
	char	*text, *url;
	cJSON	*id = cJSON_GetObjectItem(run, "id");

	text = cJSON_PrintUnformatted(run);
	fprintf(stderr, "bench_jobs: a run did not succeed: %s\n", text);
	free(text);
	if (!cJSON_IsString(id))
		return;
	url = xasprintf("http://l/api/v1/projects/%s/runs/%s/logs", project,
	    id->valuestring);
	if (bench_request(c, "GET", url, NULL, 200, b) != NULL)
		fprintf(stderr, "bench_jobs: its log: %s\n", buf_str(b));
	free(url);
}

/*
 * Ask for runs of a job as fast as one connection allows, then wait until
 * none is queued, starting or running (the job has no other runs). Then
 * read every run back for the times lathed recorded.
 */
static int
bench_throughput(const char *sock, const char *project, const char *job,
    int runs)
{
	static const char	*active[] = { "queued", "starting", "running" };
	struct buf		 b;
	CURL			*c = bench_curl(sock);
	char			*base, *url, *id, *token = NULL;
	cJSON			*o, *list, *r, *v, *t;
	int64_t			 t0, t_asked, t_done, first_q = 0;
	int64_t			 last_end = 0, total = 0, ms, *ends;
	size_t			 k, nends = 0, tenth;
	int			 i, waited, left, ok = 0, rc = 1, seen = 0;
	struct buf		 b2;

	buf_init(&b);
	buf_init(&b2);
	ends = xcalloc((size_t)runs, sizeof *ends);
	base = xasprintf("http://l/api/v1/projects/%s/jobs/%s", project, job);
	t0 = bench_now_ns();
	for (i = 0; i < runs; i++) {
		if ((id = bench_start(c, base, "[]", &b)) == NULL)
			goto out;
		free(id);
	}
	t_asked = bench_now_ns();
	for (waited = 0; waited < runs * 1000; waited += BENCH_DONE_POLL_MS) {
		left = 0;
		for (k = 0; k < 3 && left == 0; k++) {
			if ((left = bench_count(c, base, active[k], &b)) < 0)
				goto out;
		}
		if (left == 0)
			break;
		bench_sleep_ms(BENCH_DONE_POLL_MS);
	}
	t_done = bench_now_ns();
	if (left != 0) {
		fprintf(stderr, "bench_jobs: runs still active after %d s\n",
		    waited / 1000);
		goto out;
	}

	/* What lathed recorded, newest first, in pages. */
	do {
		if (token != NULL)
			url = xasprintf("%s/runs?page_size=1000&page_token=%s",
			    base, token);
		else
			url = xasprintf("%s/runs?page_size=1000", base);
		free(token);
		token = NULL;
		if (bench_request(c, "GET", url, NULL, 200, &b) == NULL) {
			free(url);
			goto out;
		}
		free(url);
		if ((o = cJSON_Parse(buf_str(&b))) == NULL)
			goto out;
		list = cJSON_GetObjectItem(o, "runs");
		cJSON_ArrayForEach(r, list) {
			seen++;
			v = cJSON_GetObjectItem(r, "status");
			if (cJSON_IsString(v) &&
			    strcmp(v->valuestring, "succeeded") == 0)
				ok++;
			else if (seen - ok <= BENCH_FAILED_SHOWN)
				bench_show_failed(c, project, r, &b2);
			v = cJSON_GetObjectItem(r, "queued_ms");
			if (cJSON_IsNumber(v) && (first_q == 0 ||
			    (int64_t)v->valuedouble < first_q))
				first_q = (int64_t)v->valuedouble;
			v = cJSON_GetObjectItem(r, "ended_ms");
			if (cJSON_IsNumber(v) && nends < (size_t)runs)
				ends[nends++] = (int64_t)v->valuedouble;
			if (cJSON_IsNumber(v) && (int64_t)v->valuedouble >
			    last_end)
				last_end = (int64_t)v->valuedouble;
			v = cJSON_GetObjectItem(r, "duration_ms");
			if (cJSON_IsNumber(v))
				total += (int64_t)v->valuedouble;
		}
		t = cJSON_GetObjectItem(o, "next_page_token");
		if (cJSON_IsString(t))
			token = xstrdup(t->valuestring);
		cJSON_Delete(o);
	} while (token != NULL);

	ms = (t_done - t0) / 1000000;
	printf("runs %d\n", seen);
	printf("succeeded %d\n", ok);
	printf("asked_s %.3f\n", (double)(t_asked - t0) / 1e9);
	printf("done_s %.3f\n", (double)(t_done - t0) / 1e9);
	printf("runs_per_s %.1f\n", ms > 0 ? runs * 1000.0 / (double)ms : 0);
	printf("recorded_s %.3f\n", (double)(last_end - first_q) / 1e3);
	printf("mean_duration_ms %.1f\n", seen > 0 ? (double)total / seen :
	    0);
	/* The first tenth to end had the whole queue behind them. */
	qsort(ends, nends, sizeof *ends, bench_cmp);
	tenth = nends / 10;
	if (tenth > 0 && ends[tenth] > ends[0] &&
	    ends[nends - 1] > ends[nends - 1 - tenth]) {
		printf("first_tenth_per_s %.1f\n", (double)tenth * 1e3 /
		    (double)(ends[tenth] - ends[0]));
		printf("last_tenth_per_s %.1f\n", (double)tenth * 1e3 /
		    (double)(ends[nends - 1] - ends[nends - 1 - tenth]));
	}
	rc = 0;
out:
	free(ends);
	free(token);
	free(base);
	buf_done(&b2);
	buf_done(&b);
	curl_easy_cleanup(c);
	return rc;
}

/* Take in bytes received at now_ns: the lag of each whole line. */
static void
bench_lines_add(struct bench_lines *l, const char *p, size_t len,
    int64_t now_ns)
{
	const char	*nl;
	int64_t		 stamp;
	size_t		 take;

	while (len > 0) {
		nl = memchr(p, '\n', len);
		take = nl != NULL ? (size_t)(nl - p) : len;
		if (l->partlen + take < sizeof l->part) {
			memcpy(l->part + l->partlen, p, take);
			l->partlen += take;
		} else
			l->partlen = sizeof l->part - 1;
		if (nl == NULL)
			return;
		l->part[l->partlen] = '\0';
		l->partlen = 0;
		p += take + 1;
		len -= take + 1;
		if ((stamp = bench_parse_stamp(l->part)) == 0) {
			l->bad++;
			continue;
		}
		if (l->first_ns == 0)
			l->first_ns = stamp;
		l->last_ns = stamp;
		if (l->since_ns != 0 && stamp < l->since_ns)
			l->early++;
		if (l->n == l->cap) {
			l->cap = l->cap == 0 ? 65536 : l->cap * 2;
			l->lag = xreallocarray(l->lag, l->cap, sizeof *l->lag);
		}
		l->lag[l->n++] = now_ns - stamp;
	}
}

static void
bench_lines_print(struct bench_lines *l)
{
	printf("lines %zu\n", l->n);
	printf("untimed %zu\n", l->bad);
	printf("early %zu\n", l->early);
	if (l->n > 1 && l->last_ns > l->first_ns)
		printf("written_per_s %.0f\n", (double)(l->n - 1) * 1e9 /
		    (double)(l->last_ns - l->first_ns));
	printf("median_ms %.3f\n", bench_quantile(l->lag, l->n, 0.5));
	printf("p95_ms %.3f\n", bench_quantile(l->lag, l->n, 0.95));
	printf("max_ms %.3f\n", bench_quantile(l->lag, l->n, 1));
	free(l->lag);
}

static size_t
bench_follow_write(char *p, size_t size, size_t n, void *arg)
{
	bench_lines_add(arg, p, size * n, bench_now_ns());
	return size * n;
}

/* Start a run of job and follow its log to the end. */
static int
bench_follow(const char *sock, const char *project, const char *job,
    char **argv)
{
	struct bench_lines	 l;
	struct buf		 b;
	cJSON			*a;
	CURL			*c = bench_curl(sock);
	char			*base, *args, *id, *url;
	long			 status = 0;
	int			 i, rc = 1;

	memset(&l, 0, sizeof l);
	buf_init(&b);
	a = cJSON_CreateArray();
	for (i = 0; argv[i] != NULL; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
	args = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	base = xasprintf("http://l/api/v1/projects/%s/jobs/%s", project, job);
	if ((id = bench_start(c, base, args, &b)) == NULL)
		goto out;
	url = xasprintf("http://l/api/v1/projects/%s/runs/%s/logs?follow=1",
	    project, id);
	free(id);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, bench_follow_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &l);
	l.since_ns = bench_now_ns();
	if (curl_easy_perform(c) != CURLE_OK) {
		free(url);
		goto out;
	}
	free(url);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		fprintf(stderr, "bench_jobs: following the log: %ld\n",
		    status);
		goto out;
	}
	bench_lines_print(&l);
	rc = 0;
out:
	free(args);
	free(base);
	buf_done(&b);
	curl_easy_cleanup(c);
	return rc;
}

/* The same, reading the lines from standard input. */
static int
bench_read(void)
{
	struct bench_lines	 l;
	char			 buf[65536];
	ssize_t			 n;

	memset(&l, 0, sizeof l);
	l.since_ns = bench_now_ns();
	while ((n = read(0, buf, sizeof buf)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("bench_jobs: read");
			return 1;
		}
		bench_lines_add(&l, buf, (size_t)n, bench_now_ns());
	}
	bench_lines_print(&l);
	return 0;
}

/*
 * Write rate lines a second for seconds, after delay seconds of silence,
 * each with its own write(2) and the time it was written; a line late on
 * its schedule is written at once, so the rate holds on average.
 */
static int
bench_gen(double rate, double seconds, double delay)
{
	struct timespec	 due;
	char		 line[BENCH_LINE_MAX];
	int64_t		 start, at, n = (int64_t)(rate * seconds), i;
	int		 len;

	start = bench_now_ns() + (int64_t)(delay * 1e9);
	for (i = 0; i < n; i++) {
		at = start + (int64_t)((double)i * 1e9 / rate);
		if (at > bench_now_ns()) {
			due.tv_sec = at / 1000000000;
			due.tv_nsec = at % 1000000000;
			while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME,
			    &due, NULL) == EINTR)
				;
		}
		len = snprintf(line, sizeof line, "%" PRId64 " line %" PRId64
		    " of %" PRId64 ": step=%" PRId64 " loss=%.6f\n",
		    bench_now_ns(), i + 1, n, i, 1.0 / (double)(i + 1));
		if (write(1, line, (size_t)len) != len) {
			perror("bench_jobs: write");
			return 1;
		}
	}
	return 0;
}

static void
bench_usage(void)
{
	fprintf(stderr, "usage: bench_jobs latency SOCKET PROJECT JOB RUNS "
	    "FILE -- PROGRAM [ARG]...\n"
	    "       bench_jobs throughput SOCKET PROJECT JOB RUNS\n"
	    "       bench_jobs follow SOCKET PROJECT JOB [ARG]...\n"
	    "       bench_jobs gen LINES_PER_S SECONDS DELAY_S\n"
	    "       bench_jobs read\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int	rc;

	if (argc < 2)
		bench_usage();
	if (strcmp(argv[1], "gen") == 0) {
		if (argc != 5 || atof(argv[2]) <= 0 || atof(argv[3]) <= 0)
			bench_usage();
		return bench_gen(atof(argv[2]), atof(argv[3]), atof(argv[4]));
	}
	if (strcmp(argv[1], "read") == 0)
		return bench_read();

	curl_global_init(CURL_GLOBAL_DEFAULT);
	bench_headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	if (strcmp(argv[1], "latency") == 0) {
		if (argc < 9 || atoi(argv[5]) < 1 ||
		    strcmp(argv[7], "--") != 0)
			bench_usage();
		rc = bench_latency(argv[2], argv[3], argv[4], atoi(argv[5]),
		    argv[6], argv + 8);
	} else if (strcmp(argv[1], "throughput") == 0) {
		if (argc != 6 || atoi(argv[5]) < 1)
			bench_usage();
		rc = bench_throughput(argv[2], argv[3], argv[4],
		    atoi(argv[5]));
	} else if (strcmp(argv[1], "follow") == 0) {
		if (argc < 5)
			bench_usage();
		rc = bench_follow(argv[2], argv[3], argv[4], argv + 5);
	} else
		bench_usage();
	curl_slist_free_all(bench_headers);
	curl_global_cleanup();
	return rc;
}
