/*
 * Unit tests of the runs table's model (tui/runs.c): runs parsed from
 * runs/search answers, good and odd; pages in a bounded window with the
 * tokens that reach them, pages that come back short or empty, answers for
 * pages that do not exist; columns learnt in order and kept in the user's
 * order; order_by items; cell texts; marks that follow fresh answers.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "runs.h"
#include "xmalloc.h"

/* A runs/search answer: runs named prefix-first .. prefix-(first+n-1). */
static cJSON *
page(const char *prefix, int first, int n, const char *token)
{
	struct buf	 b;
	cJSON		*o;
	int		 i;

	buf_init(&b);
	buf_adds(&b, "{\"runs\": [");
	for (i = first; i < first + n; i++)
		buf_printf(&b, "%s{\"info\": {\"run_id\": \"id%d\", "
		    "\"run_name\": \"%s-%d\", \"status\": \"FINISHED\", "
		    "\"start_time\": %d000, \"end_time\": %d000}, "
		    "\"data\": {\"params\": [{\"key\": \"lr\", \"value\": "
		    "\"0.%d\"}], \"metrics\": [{\"key\": \"acc\", \"value\": "
		    "%d.5, \"step\": 3, \"timestamp\": 1}]}}",
		    i > first ? ", " : "", i, prefix, i, i + 1, i + 61, i, i);
	buf_adds(&b, "]");
	if (token != NULL)
		buf_printf(&b, ", \"next_page_token\": \"%s\"", token);
	buf_adds(&b, "}");
	o = cJSON_Parse(buf_str(&b));
	assert_non_null(o);
	buf_done(&b);
	return o;
}

static void
set(struct runs *r, size_t p, cJSON *answer)
{
	runs_set_page(r, p, answer);
	cJSON_Delete(answer);
}

static const char *
name_at(struct runs *r, size_t i)
{
	const struct run	*run = runs_get(r, i);

	return run != NULL ? run->name : NULL;
}

static void
test_parse(void **state)
{
	cJSON			*j;
	struct run		 run;
	const struct run_metric	*m;

	j = cJSON_Parse("{\"info\": {\"run_uuid\": \"abc\", \"status\": "
	    "\"RUNNING\", \"start_time\": 1700000000000}, \"data\": {"
	    "\"params\": [{\"key\": \"z\", \"value\": \"1\"}, {\"key\": \"a\", "
	    "\"value\": \"x\"}, {\"value\": \"no key\"}], \"metrics\": ["
	    "{\"key\": \"nan\", \"value\": \"NaN\"}, {\"key\": \"inf\", "
	    "\"value\": \"-Infinity\", \"step\": \"7\"}, {\"key\": \"b\", "
	    "\"value\": 0.25, \"step\": 2, \"timestamp\": 5}]}}");
	assert_int_equal(run_parse(&run, j), 0);
	assert_string_equal(run.id, "abc");
	assert_string_equal(run.name, "");
	assert_string_equal(run_label(&run), "abc");
	assert_string_equal(run.status, "RUNNING");
	assert_true(run.start == 1700000000000LL);
	assert_true(run.end == 0);
	/* Sorted by key, the one without a key left out. */
	assert_int_equal(run.nparams, 2);
	assert_string_equal(run.params[0].key, "a");
	assert_string_equal(run_param(&run, "z"), "1");
	assert_null(run_param(&run, "nope"));
	assert_int_equal(run.nmetrics, 3);
	assert_string_equal(run.metrics[0].key, "b");
	assert_true(isnan(run_metric(&run, "nan")->value));
	m = run_metric(&run, "inf");
	assert_true(isinf(m->value) && m->value < 0);
	assert_true(m->step == 7);
	assert_true(run_metric(&run, "b")->timestamp == 5);
	run_done(&run);
	cJSON_Delete(j);

	/* No id: not a run. Empty and odd shapes: no crash. */
	j = cJSON_Parse("{\"info\": {\"run_name\": \"x\"}}");
	assert_int_equal(run_parse(&run, j), -1);
	run_done(&run);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"info\": {\"run_id\": \"i\", \"start_time\": "
	    "\"soon\"}, \"data\": {\"params\": 7, \"metrics\": {}}}");
	assert_int_equal(run_parse(&run, j), 0);
	assert_true(run.start == 0);
	assert_int_equal(run.nparams, 0);
	assert_int_equal(run.nmetrics, 0);
	run_done(&run);
	cJSON_Delete(j);
	assert_int_equal(run_parse(&run, NULL), -1);
	run_done(&run);
}

static void
test_pages(void **state)
{
	struct runs	r;

	runs_init(&r, 3, 2);
	assert_int_equal(runs_count(&r), 0);
	assert_false(runs_more(&r));
	assert_null(runs_get(&r, 0));
	set(&r, 0, page("r", 0, 3, "T1"));
	assert_int_equal(runs_count(&r), 3);
	assert_true(runs_more(&r));
	assert_null(runs_token(&r, 0));
	assert_string_equal(runs_token(&r, 1), "T1");
	assert_string_equal(name_at(&r, 2), "r-2");
	assert_null(name_at(&r, 3));
	set(&r, 1, page("r", 3, 3, "T2"));
	set(&r, 2, page("r", 6, 2, NULL));
	assert_int_equal(runs_count(&r), 8);
	assert_false(runs_more(&r));
	assert_int_equal(runs_page_of(&r, 7), 2);
	assert_string_equal(runs_token(&r, 2), "T2");
	assert_string_equal(name_at(&r, 7), "r-7");
	assert_null(name_at(&r, 8));
	/* A page past the last, or after the end: ignored. */
	set(&r, 3, page("x", 0, 3, NULL));
	set(&r, 9, page("x", 0, 3, NULL));
	assert_int_equal(runs_count(&r), 8);
	assert_int_equal(r.npages, 3);
	runs_done(&r);
}

static void
test_window(void **state)
{
	struct runs	r;
	size_t		p, held;

	runs_init(&r, 2, 2);
	set(&r, 0, page("r", 0, 2, "T1"));
	set(&r, 1, page("r", 2, 2, "T2"));
	set(&r, 2, page("r", 4, 2, "T3"));
	set(&r, 3, page("r", 6, 2, "T4"));
	runs_trim(&r, 3);
	for (held = 0, p = 0; p < r.npages; p++)
		held += runs_held(&r, p);
	assert_int_equal(held, 2);
	/* The farthest went first; counts and tokens stay. */
	assert_false(runs_held(&r, 0));
	assert_false(runs_held(&r, 1));
	assert_true(runs_held(&r, 2));
	assert_true(runs_held(&r, 3));
	assert_int_equal(runs_count(&r), 8);
	assert_true(runs_more(&r));
	assert_null(name_at(&r, 1));
	assert_string_equal(runs_token(&r, 1), "T1");
	/* Fetched again with its token, the page is back. */
	set(&r, 1, page("r", 2, 2, "T2"));
	assert_string_equal(name_at(&r, 3), "r-3");
	runs_trim(&r, 1);
	assert_true(runs_held(&r, 1));
	assert_false(runs_held(&r, 3));
	/* A near page that is not held is no reason to keep more. */
	runs_trim(&r, 0);
	for (held = 0, p = 0; p < r.npages; p++)
		held += runs_held(&r, p);
	assert_true(held <= 2);
	runs_done(&r);
}

static void
test_short_pages(void **state)
{
	struct runs	r;

	runs_init(&r, 3, 4);
	set(&r, 0, page("r", 0, 3, "T1"));
	set(&r, 1, page("r", 3, 3, "T2"));
	set(&r, 2, page("r", 6, 3, "T3"));
	/* Runs deleted meanwhile: page 0 comes back short and is the last. */
	set(&r, 0, page("r", 0, 2, NULL));
	assert_int_equal(r.npages, 1);
	assert_int_equal(runs_count(&r), 2);
	assert_false(runs_more(&r));
	/* A full page that says nothing follows is the last too. */
	set(&r, 0, page("r", 0, 3, NULL));
	assert_int_equal(runs_count(&r), 3);
	assert_false(runs_more(&r));
	/* A token after a full page, then nothing there. */
	set(&r, 0, page("r", 0, 3, "T1"));
	set(&r, 1, page("r", 3, 0, NULL));
	assert_int_equal(r.npages, 1);
	assert_int_equal(runs_count(&r), 3);
	assert_false(runs_more(&r));
	/* More runs than a page holds are cut to the page. */
	set(&r, 0, page("r", 0, 5, "T1"));
	assert_int_equal(runs_count(&r), 3);
	/* The last page grows, and then has a next. */
	runs_clear(&r);
	set(&r, 0, page("r", 0, 1, NULL));
	assert_int_equal(runs_count(&r), 1);
	set(&r, 0, page("r", 0, 3, "T1"));
	assert_true(runs_more(&r));
	set(&r, 1, page("r", 3, 1, NULL));
	assert_int_equal(runs_count(&r), 4);
	/* A page answer with no runs list at all. */
	runs_clear(&r);
	runs_set_page(&r, 0, NULL);
	assert_int_equal(runs_count(&r), 0);
	runs_done(&r);
}

static void
test_columns(void **state)
{
	struct runs	 r;
	cJSON		*j;
	size_t		 idx[16], n;

	runs_init(&r, 10, 2);
	assert_int_equal(r.ncols, 4);
	assert_string_equal(runs_col_title(&r.cols[0]), "status");
	assert_string_equal(runs_col_title(&r.cols[3]), "duration");
	j = cJSON_Parse("{\"runs\": [{\"info\": {\"run_id\": \"a\"}, \"data\": "
	    "{\"metrics\": [{\"key\": \"loss\", \"value\": 1}], \"params\": "
	    "[{\"key\": \"lr\", \"value\": \"0.1\"}]}}, {\"info\": {\"run_id\": "
	    "\"b\"}, \"data\": {\"metrics\": [{\"key\": \"acc\", \"value\": "
	    "0.5}], \"params\": [{\"key\": \"depth\", \"value\": "
	    "\"a-very-long-value\"}]}}]}");
	set(&r, 0, j);
	/* Params, then metrics, each in key order. */
	assert_int_equal(r.ncols, 8);
	assert_string_equal(runs_col_title(&r.cols[4]), "depth");
	assert_int_equal(r.cols[4].kind, RUNS_PARAM);
	assert_string_equal(runs_col_title(&r.cols[5]), "lr");
	assert_string_equal(runs_col_title(&r.cols[6]), "acc");
	assert_int_equal(r.cols[6].kind, RUNS_METRIC);
	assert_string_equal(runs_col_title(&r.cols[7]), "loss");
	/* Widths fit the widest cell. */
	assert_int_equal(r.cols[4].width, (int)strlen("a-very-long-value"));
	assert_int_equal(r.cols[5].width, 3);
	assert_int_equal(runs_col_find(&r, RUNS_METRIC, "acc"), 6);
	assert_int_equal(runs_col_find(&r, RUNS_PARAM, "acc"), -1);
	assert_int_equal(runs_col_find(&r, RUNS_NAME, NULL), 1);
	/* The user's order holds; a new key goes among its kind. */
	assert_int_equal(runs_col_move(&r, 7, -100), 0);
	assert_string_equal(runs_col_title(&r.cols[0]), "loss");
	assert_int_equal(runs_col_move(&r, 1, 100), 7);
	assert_string_equal(runs_col_title(&r.cols[7]), "status");
	assert_int_equal(runs_col_move(&r, 99, 1), 99);
	j = cJSON_Parse("{\"runs\": [{\"info\": {\"run_id\": \"c\"}, \"data\": "
	    "{\"metrics\": [{\"key\": \"f1\", \"value\": 1}], \"params\": "
	    "[{\"key\": \"a0\", \"value\": \"x\"}]}}]}");
	set(&r, 0, j);
	assert_int_equal(r.ncols, 10);
	assert_true(runs_col_find(&r, RUNS_PARAM, "a0") <
	    runs_col_find(&r, RUNS_PARAM, "depth"));
	/* Before the first of its kind that sorts after it: loss. */
	assert_int_equal(runs_col_find(&r, RUNS_METRIC, "f1") + 1,
	    runs_col_find(&r, RUNS_METRIC, "loss"));
	/* Hidden columns are not shown. */
	r.cols[2].shown = 0;
	n = runs_shown(&r, idx);
	assert_int_equal(n, 9);
	assert_int_equal(idx[2], 3);
	runs_done(&r);
}

static void
test_order_by(void **state)
{
	struct runs_col	 c = { .kind = RUNS_METRIC, .key = "acc" };
	char		*s;

	s = runs_order_by(&c, 1);
	assert_string_equal(s, "metrics.`acc` DESC");
	free(s);
	c.kind = RUNS_PARAM;
	c.key = "we`ird key";
	s = runs_order_by(&c, 0);
	assert_string_equal(s, "params.`we``ird key` ASC");
	free(s);
	c.kind = RUNS_NAME;
	s = runs_order_by(&c, 0);
	assert_string_equal(s, "attributes.run_name ASC");
	free(s);
	c.kind = RUNS_START;
	s = runs_order_by(&c, 1);
	assert_string_equal(s, "attributes.start_time DESC");
	free(s);
	c.kind = RUNS_STATUS;
	s = runs_order_by(&c, 1);
	assert_string_equal(s, "attributes.status DESC");
	free(s);
	c.kind = RUNS_DURATION;
	assert_null(runs_order_by(&c, 0));
}

static void
test_cells(void **state)
{
	struct run	 run;
	struct runs_col	 c = { .kind = RUNS_STATUS };
	cJSON		*j;
	char		 buf[64];

	j = cJSON_Parse("{\"info\": {\"run_id\": \"r1\", \"run_name\": "
	    "\"alpha\", \"status\": \"RUNNING\", \"start_time\": 1000}, "
	    "\"data\": {\"metrics\": [{\"key\": \"m\", \"value\": "
	    "0.123456789}, {\"key\": \"n\", \"value\": \"NaN\"}]}}");
	assert_int_equal(run_parse(&run, j), 0);
	cJSON_Delete(j);
	assert_int_equal(runs_cell(&run, &c, 0, buf, sizeof buf),
	    RUNS_RUNNING);
	assert_string_equal(buf, "running");
	c.kind = RUNS_NAME;
	assert_int_equal(runs_cell(&run, &c, 0, buf, sizeof buf), RUNS_PLAIN);
	assert_string_equal(buf, "alpha");
	/* A running run's duration runs to now. */
	c.kind = RUNS_DURATION;
	assert_int_equal(runs_cell(&run, &c, 1000 + 125000, buf, sizeof buf),
	    RUNS_NUMBER);
	assert_string_equal(buf, "2m05s");
	c.kind = RUNS_METRIC;
	c.key = "m";
	runs_cell(&run, &c, 0, buf, sizeof buf);
	assert_string_equal(buf, "0.12346");
	c.key = "n";
	runs_cell(&run, &c, 0, buf, sizeof buf);
	assert_string_equal(buf, "NaN");
	c.key = "absent";
	assert_int_equal(runs_cell(&run, &c, 0, buf, sizeof buf),
	    RUNS_MISSING);
	assert_string_equal(buf, "-");
	c.kind = RUNS_PARAM;
	assert_int_equal(runs_cell(&run, &c, 0, buf, sizeof buf),
	    RUNS_MISSING);
	/* Ended without an end time: no duration. */
	free(run.status);
	run.status = xstrdup("KILLED");
	c.kind = RUNS_DURATION;
	assert_int_equal(runs_cell(&run, &c, 99999, buf, sizeof buf),
	    RUNS_MISSING);
	c.kind = RUNS_STATUS;
	assert_int_equal(runs_cell(&run, &c, 0, buf, sizeof buf), RUNS_OTHER);
	/* A buffer too small cuts, never overflows. */
	c.kind = RUNS_NAME;
	runs_cell(&run, &c, 0, buf, 3);
	assert_string_equal(buf, "al");
	c.kind = RUNS_STATUS;
	runs_cell(&run, &c, 0, buf, 4);
	assert_string_equal(buf, "kil");
	run.start = 0;
	c.kind = RUNS_START;
	assert_int_equal(runs_cell(&run, &c, 0, buf, sizeof buf),
	    RUNS_MISSING);
	run_done(&run);
}

static void
test_formats(void **state)
{
	char	buf[32];

	runs_format_duration(850, buf, sizeof buf);
	assert_string_equal(buf, "850ms");
	runs_format_duration(4200, buf, sizeof buf);
	assert_string_equal(buf, "4.2s");
	runs_format_duration(42000, buf, sizeof buf);
	assert_string_equal(buf, "42s");
	runs_format_duration(7620000, buf, sizeof buf);
	assert_string_equal(buf, "2h07m");
	runs_format_duration(273600000, buf, sizeof buf);
	assert_string_equal(buf, "3d04h");
	runs_format_duration(-5, buf, sizeof buf);
	assert_string_equal(buf, "-");
	runs_format_number(INFINITY, buf, sizeof buf);
	assert_string_equal(buf, "inf");
	runs_format_number(-INFINITY, buf, sizeof buf);
	assert_string_equal(buf, "-inf");
	runs_format_number(1234567.0, buf, sizeof buf);
	assert_string_equal(buf, "1.2346e+06");
	runs_format_number(0.92, buf, sizeof buf);
	assert_string_equal(buf, "0.92");
}

static void
test_marks(void **state)
{
	struct runs		 r;
	const struct run	*run;

	runs_init(&r, 4, 2);
	set(&r, 0, page("r", 0, 4, NULL));
	runs_mark(&r, runs_get(&r, 1), 1);
	runs_mark(&r, runs_get(&r, 3), 1);
	runs_mark(&r, runs_get(&r, 1), 1);	/* once is enough */
	assert_int_equal(r.nmarks, 2);
	assert_true(runs_marked(&r, "id1"));
	assert_false(runs_marked(&r, "id2"));
	/* In the order marked. */
	assert_string_equal(r.marks[0].id, "id1");
	assert_string_equal(r.marks[1].id, "id3");
	/* A fresh answer refreshes the copies, even of pages let go. */
	set(&r, 0, page("renamed", 0, 4, NULL));
	assert_string_equal(r.marks[0].name, "renamed-1");
	runs_clear(&r);
	assert_int_equal(r.nmarks, 2);
	run = &r.marks[1];
	assert_string_equal(run_param(run, "lr"), "0.3");
	runs_mark(&r, run, 0);
	assert_int_equal(r.nmarks, 1);
	assert_false(runs_marked(&r, "id3"));
	runs_unmark_all(&r);
	assert_int_equal(r.nmarks, 0);
	runs_done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_short_pages),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_order_by),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_marks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
