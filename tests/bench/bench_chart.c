/*
 * Benchmark of the charting engine: ten metric histories of 100,000
 * points each rendered as lines in every mode and at two sizes, beside the
 * same lines drawn point by point (CHART_EXACT), which is what a chart
 * without downsampling would cost; then scatter and bars. The goal is a
 * render well under 50 ms. Prints figures; asserts nothing.
 *
 * usage: bench_chart [POINTS [SERIES [REPEAT]]]
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "xmalloc.h"

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

static double
bench_rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return (double)(*s >> 8) / 16777216.0;
}

/* The median of repeat renders, in milliseconds. */
static double
bench_lines(struct chart *c, int w, int h, const struct chart_opts *o,
    const struct chart_series *s, size_t ns, int repeat)
{
	double	*t = xcalloc((size_t)repeat, sizeof *t), start, median;
	int	 i;

	for (i = 0; i < repeat; i++) {
		start = bench_now();
		chart_line(c, w, h, o, s, ns);
		t[i] = (bench_now() - start) * 1e3;
	}
	qsort(t, (size_t)repeat, sizeof *t, bench_cmp);
	median = t[repeat / 2];
	free(t);
	return median;
}

int
main(int argc, char **argv)
{
	static const char *const modes[] = { "braille", "block", "ascii" };
	static const int	 sizes[][2] = { { 80, 24 }, { 200, 50 } };
	struct chart		*c = chart_new();
	struct chart_opts	 o;
	struct chart_series	*s;
	struct chart_bar	*bars;
	size_t			 n = 100000, ns = 10, i, k, kept, *keep;
	double			*x, **y, v, start, fast, exact;
	uint32_t		 seed = 1;
	int			 repeat = 21, mode, si, log;

	if (argc > 1)
		n = strtoul(argv[1], NULL, 10);
	if (argc > 2)
		ns = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		repeat = atoi(argv[3]);
	if (n < 2 || ns < 1 || repeat < 1) {
		fprintf(stderr, "usage: bench_chart [POINTS [SERIES "
		    "[REPEAT]]]\n");
		return 1;
	}
	setlocale(LC_ALL, "C.UTF-8");
	x = xmalloc(n * sizeof *x);
	y = xmalloc(ns * sizeof *y);
	s = xcalloc(ns, sizeof *s);
	for (i = 0; i < n; i++)
		x[i] = (double)i;
	for (k = 0; k < ns; k++) {
		y[k] = xmalloc(n * sizeof **y);
		v = 0;
		for (i = 0; i < n; i++) {
			v += bench_rnd(&seed) - 0.5;
			y[k][i] = exp(-(double)i / (double)n * 3) * (1 + k) +
			    v * 0.01 + (i % 50000 == 7 ? 5 : 0);
		}
		s[k].name = "run";
		s[k].x = x;
		s[k].y = y[k];
		s[k].n = n;
		s[k].colour = (int)k;
	}
	printf("chart: %zu series of %zu points, median of %d renders\n",
	    ns, n, repeat);
	printf("%-8s %-8s %-6s %12s %14s %8s\n", "mode", "size", "scale",
	    "lines (ms)", "exact (ms)", "ratio");
	for (mode = 0; mode < 3; mode++) {
		for (si = 0; si < 2; si++) {
			for (log = 0; log < 2; log++) {
				memset(&o, 0, sizeof o);
				o.mode = mode;
				o.yscale = log ? CHART_LOG : CHART_LINEAR;
				fast = bench_lines(c, sizes[si][0],
				    sizes[si][1], &o, s, ns, repeat);
				o.flags = CHART_EXACT;
				exact = bench_lines(c, sizes[si][0],
				    sizes[si][1], &o, s, ns,
				    repeat < 5 ? repeat : 5);
				printf("%-8s %3dx%-4d %-6s %12.2f %14.2f "
				    "%7.1fx\n", modes[mode], sizes[si][0],
				    sizes[si][1], log ? "log" : "linear", fast,
				    exact, exact / fast);
			}
		}
	}

	keep = xmalloc(n * sizeof *keep);
	start = bench_now();
	kept = chart_downsample(x, y[0], n, 0, (double)(n - 1), 400, keep);
	printf("chart_downsample: %zu points to %zu in %.2f ms\n", n, kept,
	    (bench_now() - start) * 1e3);
	free(keep);

	memset(&o, 0, sizeof o);
	start = bench_now();
	chart_scatter(c, 200, 50, &o, s, ns);
	printf("scatter: %zu points at 200x50 in %.2f ms\n", n * ns,
	    (bench_now() - start) * 1e3);

	bars = xcalloc(1000, sizeof *bars);
	for (i = 0; i < 1000; i++) {
		bars[i].label = "run";
		bars[i].value = bench_rnd(&seed) - 0.3;
		bars[i].colour = (int)i;
	}
	start = bench_now();
	chart_bars(c, 200, 50, &o, bars, 1000);
	printf("bars: 1000 at 200x50 in %.2f ms\n",
	    (bench_now() - start) * 1e3);

	free(bars);
	for (k = 0; k < ns; k++)
		free(y[k]);
	free(y);
	free(s);
	free(x);
	chart_free(c);
	return 0;
}
