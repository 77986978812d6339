/*
 * Benchmark of the management API: latency and throughput of listing
 * projects, over the unix socket and over TCP with a key, on one reused
 * connection as a client would. Prints figures; asserts nothing.
 *
 * usage: bench_api SOCKET URL KEY [REQUESTS]
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

static int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* GET url; return the body (owned by b) or NULL. */
static const char *
bench_get(CURL *c, const char *url, struct buf *b)
{
	long	status = 0;

	buf_reset(b);
	curl_easy_setopt(c, CURLOPT_URL, url);
	if (curl_easy_perform(c) != CURLE_OK)
		return NULL;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	return status == 200 ? buf_str(b) : NULL;
}

/* Page through every project with page_size; return how many there are. */
static long
bench_list_all(CURL *c, const char *base, int page_size, struct buf *b)
{
	char	*url, *token = NULL;
	long	 total = 0;
	cJSON	*v, *t;

	do {
		if (token != NULL)
			url = xasprintf("%s/api/v1/projects?page_size=%d&"
			    "page_token=%s", base, page_size, token);
		else
			url = xasprintf("%s/api/v1/projects?page_size=%d",
			    base, page_size);
		free(token);
		token = NULL;
		if (bench_get(c, url, b) == NULL) {
			free(url);
			return -1;
		}
		free(url);
		v = cJSON_Parse(buf_str(b));
		total += cJSON_GetArraySize(cJSON_GetObjectItem(v, "projects"));
		t = cJSON_GetObjectItem(v, "next_page_token");
		if (cJSON_IsString(t))
			token = xstrdup(t->valuestring);
		cJSON_Delete(v);
	} while (token != NULL);
	return total;
}

static void
bench_run(const char *label, CURL *c, const char *base, int n)
{
	struct buf	 b;
	double		*lat = xcalloc((size_t)n, sizeof *lat);
	double		 t0, t, start;
	char		*url = xasprintf("%s/api/v1/projects", base);
	long		 total = 0;
	int		 i, full = 20;

	buf_init(&b);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, bench_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	bench_get(c, url, &b);	/* warm up the connection */
	start = bench_now();
	for (i = 0; i < n; i++) {
		t0 = bench_now();
		if (bench_get(c, url, &b) == NULL) {
			printf("%-6s request %d failed\n", label, i);
			goto out;
		}
		lat[i] = bench_now() - t0;
	}
	t = bench_now() - start;
	qsort(lat, (size_t)n, sizeof *lat, bench_cmp);
	printf("%-6s first page (100 projects): %8.0f req/s   p50 %6.3f ms"
	    "   p99 %6.3f ms\n", label, n / t, lat[n / 2] * 1e3,
	    lat[n * 99 / 100] * 1e3);
	start = bench_now();
	for (i = 0; i < full; i++)
		total = bench_list_all(c, base, 1000, &b);
	t = (bench_now() - start) / full;
	printf("%-6s all %ld projects, pages of 1000: %8.2f ms per full "
	    "listing (%.0f projects/s)\n", label, total, t * 1e3, total / t);
out:
	free(url);
	free(lat);
	buf_done(&b);
}

int
main(int argc, char **argv)
{
	struct curl_slist	*h = NULL;
	CURL			*c;
	char			*auth;
	int			 n = argc > 4 ? atoi(argv[4]) : 2000;

	if (argc < 4 || n < 100) {
		fprintf(stderr, "usage: bench_api SOCKET URL KEY "
		    "[REQUESTS >= 100]\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, argv[1]);
	bench_run("unix", c, "http://localhost", n);
	curl_easy_cleanup(c);

	c = curl_easy_init();
	auth = xasprintf("Authorization: Bearer %s", argv[3]);
	h = curl_slist_append(h, auth);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	bench_run("tcp", c, argv[2], n);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	free(auth);
	curl_global_cleanup();
	return 0;
}
