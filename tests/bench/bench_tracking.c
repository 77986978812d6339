/*
 * Benchmark of lathed's MLflow tracking API over TCP on loopback, with a
 * key and one keep-alive connection, as MLflow's client talks to it:
 * metrics logged one call each and in batches of 1,000; runs/search over
 * 1,000 and over many runs with a filter and an order_by; the history of
 * a metric of 100,000 points. Prints figures beside those of MLflow 2.12's
 * own tracking server; asserts nothing (but stops on a failed request).
 *
 * usage: bench_tracking URL KEY [RUNS]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "buf.h"
#include "xmalloc.h"

#define SINGLE_METRICS	5000	/* one request each */
#define BATCHES		100	/* of 1,000 metrics: the 100,000 points */
#define SEARCHES	10	/* repeats of each search */

struct bench {
	CURL		*c;
	const char	*base;
	struct buf	 body;
};

static size_t
bench_write(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Call endpoint (GET when json is NULL); the answer, parsed, or exit. */
static cJSON *
bench_call(struct bench *b, const char *endpoint, const char *json)
{
	char	*url = xasprintf("%s/api/2.0/mlflow/%s", b->base, endpoint);
	long	 status = 0;
	cJSON	*v;

	buf_reset(&b->body);
	curl_easy_setopt(b->c, CURLOPT_URL, url);
	if (json != NULL) {
		curl_easy_setopt(b->c, CURLOPT_POSTFIELDS, json);
		curl_easy_setopt(b->c, CURLOPT_POST, 1L);
	} else
		curl_easy_setopt(b->c, CURLOPT_HTTPGET, 1L);
	if (curl_easy_perform(b->c) != CURLE_OK ||
	    curl_easy_getinfo(b->c, CURLINFO_RESPONSE_CODE, &status) !=
	    CURLE_OK || status != 200 ||
	    (v = cJSON_Parse(buf_str(&b->body))) == NULL) {
		fprintf(stderr, "bench_tracking: %s failed (%ld): %s\n", url,
		    status, buf_str(&b->body));
		exit(1);
	}
	free(url);
	return v;
}

/* Create a run in experiment exp; return its id (a new string). */
static char *
bench_run_create(struct bench *b, const char *exp, const char *extra)
{
	char	*json, *id;
	cJSON	*v;

	json = xasprintf("{\"experiment_id\": \"%s\", \"start_time\": %lld%s}",
	    exp, (long long)time(NULL) * 1000, extra != NULL ? extra : "");
	v = bench_call(b, "runs/create", json);
	id = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(v, "run"), "info"), "run_id")));
	cJSON_Delete(v);
	free(json);
	return id;
}

static char *
bench_experiment(struct bench *b, const char *name)
{
	char	*json = xasprintf("{\"name\": \"%s\"}", name), *id;
	cJSON	*v = bench_call(b, "experiments/create", json);

	id = xstrdup(cJSON_GetStringValue(cJSON_GetObjectItem(v,
	    "experiment_id")));
	cJSON_Delete(v);
	free(json);
	return id;
}

static void
bench_row(const char *what, double lathe, const char *unit,
    const char *mlflow)
{
	printf("  %-46s %12.1f %-10s %s\n", what, lathe, unit, mlflow);
}

/* Add runs to experiment exp until it holds total, each with a metric,
 * a param and a tag to search on. */
static void
bench_fill(struct bench *b, const char *exp, int from, int total)
{
	char	*run, *json;
	int	 i;

	for (i = from; i < total; i++) {
		run = bench_run_create(b, exp, i % 2 == 0 ?
		    ", \"tags\": [{\"key\": \"team\", \"value\": \"vision\"}]" :
		    ", \"tags\": [{\"key\": \"team\", \"value\": \"nlp\"}]");
		json = xasprintf("{\"run_id\": \"%s\", \"metrics\": [{\"key\": "
		    "\"acc\", \"value\": %.6f, \"timestamp\": 1, \"step\": 0}], "
		    "\"params\": [{\"key\": \"model\", \"value\": \"%s\"}]}",
		    run, (double)((i * 7919) % 1000) / 1000.0,
		    i % 3 == 0 ? "rf" : "lr");
		cJSON_Delete(bench_call(b, "runs/log-batch", json));
		free(json);
		free(run);
	}
}

/* Mean seconds of a filtered, ordered search of max results. */
static double
bench_search(struct bench *b, const char *exp, int *found)
{
	char	*json;
	double	 start;
	cJSON	*v;
	int	 i;

	json = xasprintf("{\"experiment_ids\": [\"%s\"], \"filter\": "
	    "\"metrics.acc > 0.2 and params.model = 'lr' and tags.team = "
	    "'nlp'\", \"order_by\": [\"metrics.acc DESC\"], "
	    "\"max_results\": 1000}", exp);
	start = bench_now();
	for (i = 0; i < SEARCHES; i++) {
		v = bench_call(b, "runs/search", json);
		*found = cJSON_GetArraySize(cJSON_GetObjectItem(v, "runs"));
		cJSON_Delete(v);
	}
	free(json);
	return (bench_now() - start) / SEARCHES;
}

int
main(int argc, char **argv)
{
	struct curl_slist	*h = NULL;
	struct bench		 b;
	struct buf		 json;
	char			*auth, *run, *exp, *body, *url;
	double			 start, t;
	int			 many = argc > 3 ? atoi(argv[3]) : 100000;
	int			 i, j, found, points;
	cJSON			*v, *tok;

	if (argc < 3 || many < 1000) {
		fprintf(stderr, "usage: bench_tracking URL KEY "
		    "[RUNS >= 1000]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);	/* figures as they come */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&b, 0, sizeof b);
	b.base = argv[1];
	buf_init(&b.body);
	buf_init(&json);
	b.c = curl_easy_init();
	auth = xasprintf("Authorization: Bearer %s", argv[2]);
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(b.c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(b.c, CURLOPT_WRITEFUNCTION, bench_write);
	curl_easy_setopt(b.c, CURLOPT_WRITEDATA, &b.body);

	printf("  %-46s %12s %-10s %s\n", "", "lathed", "", "MLflow 2.12 "
	    "server (reference)");

	/* One request per metric, as mlflow.log_metric does. */
	exp = bench_experiment(&b, "bench-logging");
	run = bench_run_create(&b, exp, NULL);
	start = bench_now();
	for (i = 0; i < SINGLE_METRICS; i++) {
		body = xasprintf("{\"run_id\": \"%s\", \"key\": \"m%d\", "
		    "\"value\": %d.5, \"timestamp\": %d, \"step\": %d}", run,
		    i % 10, i, 1000 + i, i);
		cJSON_Delete(bench_call(&b, "runs/log-metric", body));
		free(body);
	}
	t = bench_now() - start;
	bench_row("metrics/s, one log-metric call each", SINGLE_METRICS / t,
	    "metrics/s", "~59 metrics/s");
	free(run);

	/* Batches of 1,000, as mlflow.log_metrics and log_batch do. */
	run = bench_run_create(&b, exp, NULL);
	start = bench_now();
	for (i = 0; i < BATCHES; i++) {
		buf_reset(&json);
		buf_printf(&json, "{\"run_id\": \"%s\", \"metrics\": [", run);
		for (j = 0; j < 1000; j++)
			buf_printf(&json, "%s{\"key\": \"loss\", \"value\": "
			    "%.6f, \"timestamp\": %d, \"step\": %d}",
			    j > 0 ? ", " : "", 1.0 / (i * 1000 + j + 1),
			    1000000 + i * 1000 + j, i * 1000 + j);
		buf_adds(&json, "]}");
		cJSON_Delete(bench_call(&b, "runs/log-batch", buf_str(&json)));
	}
	t = bench_now() - start;
	bench_row("metrics/s, log-batch of 1,000", BATCHES * 1000 / t,
	    "metrics/s", "~5,000 metrics/s");

	/* The 100,000 points just logged, read back. */
	url = xasprintf("metrics/get-history?run_id=%s&metric_key=loss", run);
	start = bench_now();
	v = bench_call(&b, url, NULL);
	t = bench_now() - start;
	points = cJSON_GetArraySize(cJSON_GetObjectItem(v, "metrics"));
	cJSON_Delete(v);
	free(url);
	printf("  get-history of %d points, one answer: %.3f s\n", points, t);
	start = bench_now();
	points = 0;
	body = NULL;
	do {
		url = body == NULL ? xasprintf("metrics/get-history?run_id=%s&"
		    "metric_key=loss&max_results=25000", run) :
		    xasprintf("metrics/get-history?run_id=%s&metric_key=loss&"
		    "max_results=25000&page_token=%s", run, body);
		free(body);
		body = NULL;
		v = bench_call(&b, url, NULL);
		free(url);
		points += cJSON_GetArraySize(cJSON_GetObjectItem(v, "metrics"));
		tok = cJSON_GetObjectItem(v, "next_page_token");
		if (cJSON_IsString(tok))
			body = xstrdup(tok->valuestring);
		cJSON_Delete(v);
	} while (body != NULL);
	t = bench_now() - start;
	bench_row("get-history, 100,000 points (pages of 25,000)", t * 1e3,
	    "ms", "(MLflow's client pages the same way)");
	if (points != BATCHES * 1000)
		printf("  (read %d points, logged %d)\n", points,
		    BATCHES * 1000);
	free(run);
	free(exp);

	/* Search over 1,000 runs, then over many. */
	exp = bench_experiment(&b, "bench-search");
	start = bench_now();
	bench_fill(&b, exp, 0, 1000);
	t = bench_now() - start;
	bench_row("runs created and logged to (2 calls each)", 1000 / t,
	    "runs/s", "");
	t = bench_search(&b, exp, &found);
	bench_row("runs/search of 1,000 runs, filter + order_by", t * 1e3,
	    "ms", "~700 ms");
	printf("  (%d runs matched)\n", found);
	start = bench_now();
	bench_fill(&b, exp, 1000, many);
	t = bench_now() - start;
	printf("  filled to %d runs in %.1f s (%.0f runs/s)\n", many, t,
	    (many - 1000) / t);
	t = bench_search(&b, exp, &found);
	printf("  %-46s %12.1f %-10s\n", "runs/search of all, first 1,000 "
	    "matches", t * 1e3, "ms");
	printf("  (%d runs returned)\n", found);
	free(exp);

	curl_easy_cleanup(b.c);
	curl_slist_free_all(h);
	free(auth);
	buf_done(&b.body);
	buf_done(&json);
	curl_global_cleanup();
	return 0;
}
