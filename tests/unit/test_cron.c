/*
 * Unit tests of core/cron.c: a table of expressions with their next fire
 * times, daylight saving time in Europe/Berlin and America/New_York for
 * 2026, bad expressions with their messages, unknown zones, expressions
 * that never fire, previews, and many calls in a row. Each table row runs
 * as a test of its own. The zone tests need the tzdata package.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cron.h"
#include "xmalloc.h"

#define NEXT_MAX	6

/* An expression, a start and the fire times that follow it, in UTC. */
struct next_case {
	const char	*expr;
	const char	*tz;
	const char	*after;			/* "YYYY-MM-DD HH:MM:SS" */
	const char	*want[NEXT_MAX];	/* "YYYY-MM-DD HH:MM" */
};

/* An expression cron_parse must reject, and a part of its message. */
struct bad_case {
	const char	*expr;
	const char	*cause;
};

/* 2026-01-01 is a Thursday. */
static const struct next_case next_cases[] = {
	/* Every minute; strictly after, also from the middle of a minute. */
	{ "* * * * *", "UTC", "2026-01-01 00:00:00",
	    { "2026-01-01 00:01", "2026-01-01 00:02" } },
	{ "* * * * *", "UTC", "2026-01-01 00:00:30", { "2026-01-01 00:01" } },
	{ "0 * * * *", "UTC", "2026-01-01 00:00:00",
	    { "2026-01-01 01:00", "2026-01-01 02:00" } },
	{ "5 4 * * *", "UTC", "2026-01-01 04:05:00",
	    { "2026-01-02 04:05", "2026-01-03 04:05" } },

	/* Steps, ranges, a/n and lists. */
	{ "*/15 * * * *", "UTC", "2026-01-01 00:07:00",
	    { "2026-01-01 00:15", "2026-01-01 00:30", "2026-01-01 00:45" } },
	{ "10-20/5 * * * *", "UTC", "2026-01-01 00:16:00",
	    { "2026-01-01 00:20", "2026-01-01 01:10", "2026-01-01 01:15" } },
	{ "50/5 * * * *", "UTC", "2026-01-01 00:56:00",
	    { "2026-01-01 01:50", "2026-01-01 01:55", "2026-01-01 02:50" } },
	{ "1,31,59 * * * *", "UTC", "2026-01-01 00:31:00",
	    { "2026-01-01 00:59", "2026-01-01 01:01" } },
	{ "0 9-17/4 * * *", "UTC", "2026-01-01 13:00:00",
	    { "2026-01-01 17:00", "2026-01-02 09:00" } },
	{ "0 22-23,0-2 * * *", "UTC", "2026-01-01 02:30:00",
	    { "2026-01-01 22:00", "2026-01-01 23:00", "2026-01-02 00:00" } },
	{ "0 0 1 */3 *", "UTC", "2026-01-01 00:00:00",
	    { "2026-04-01 00:00", "2026-07-01 00:00" } },

	/* Ends of months, leap days, the end of the year. */
	{ "0 0 1 * *", "UTC", "2026-01-15 00:00:00",
	    { "2026-02-01 00:00", "2026-03-01 00:00" } },
	{ "0 0 31 * *", "UTC", "2026-01-31 00:00:00",
	    { "2026-03-31 00:00", "2026-05-31 00:00" } },
	{ "0 0 30 * *", "UTC", "2026-01-30 00:00:00",
	    { "2026-03-30 00:00", "2026-04-30 00:00" } },
	{ "0 0 28-31 2 *", "UTC", "2026-02-28 00:00:00",
	    { "2027-02-28 00:00", "2028-02-28 00:00" } },
	{ "0 12 29 2 *", "UTC", "2027-03-01 00:00:00",
	    { "2028-02-29 12:00", "2032-02-29 12:00" } },
	/* 2100 is not a leap year. */
	{ "0 0 29 2 *", "UTC", "2096-03-01 00:00:00", { "2104-02-29 00:00" } },
	{ "0 0 1 1 *", "UTC", "2026-12-31 23:59:00",
	    { "2027-01-01 00:00", "2028-01-01 00:00" } },
	{ "59 23 31 12 *", "UTC", "2026-12-31 23:59:00",
	    { "2027-12-31 23:59" } },
	{ "0 0 1 * *", "UTC", "2026-12-15 00:00:00",
	    { "2027-01-01 00:00", "2027-02-01 00:00" } },

	/* Month and day names, in any case, also in ranges. */
	{ "0 0 * jan,jul *", "UTC", "2026-02-01 00:00:00",
	    { "2026-07-01 00:00", "2026-07-02 00:00" } },
	{ "0 0 1 JUN-aug/2 *", "UTC", "2026-06-01 00:00:00",
	    { "2026-08-01 00:00", "2027-06-01 00:00" } },
	{ "0 0 1 DEC *", "UTC", "2026-01-01 00:00:00", { "2026-12-01 00:00" } },
	{ "0 8 * * mon-fri", "UTC", "2026-01-02 08:00:00",
	    { "2026-01-05 08:00", "2026-01-06 08:00" } },
	{ "0 8 * * sat,SUN", "UTC", "2026-01-05 00:00:00",
	    { "2026-01-10 08:00", "2026-01-11 08:00" } },

	/* Day of week 0 and 7 are both Sunday; 5-7 is Friday to Sunday. */
	{ "0 0 * * 7", "UTC", "2026-01-01 00:00:00",
	    { "2026-01-04 00:00", "2026-01-11 00:00" } },
	{ "0 0 * * 0", "UTC", "2026-01-01 00:00:00", { "2026-01-04 00:00" } },
	{ "0 0 * * 5-7", "UTC", "2026-01-04 00:00:00",
	    { "2026-01-09 00:00", "2026-01-10 00:00", "2026-01-11 00:00" } },
	{ "0 0 * * 1/2", "UTC", "2026-01-02 00:00:00",
	    { "2026-01-05 00:00", "2026-01-07 00:00", "2026-01-09 00:00" } },

	/* Both day fields restricted: either matches (Fridays and the 13th). */
	{ "0 0 13 * fri", "UTC", "2026-01-01 00:00:00",
	    { "2026-01-02 00:00", "2026-01-09 00:00", "2026-01-13 00:00" } },
	{ "0 0 13 * fri", "UTC", "2026-01-10 00:00:00",
	    { "2026-01-13 00:00" } },
	/* "1-31" is restricted, so any day matches, not only Mondays. */
	{ "0 0 1-31 * mon", "UTC", "2026-01-01 00:00:00",
	    { "2026-01-02 00:00" } },
	/* A day field starting with '*' is not: both must match. */
	{ "0 0 */2 * mon", "UTC", "2026-01-05 00:00:00",
	    { "2026-01-19 00:00", "2026-02-09 00:00" } },
	/* The month still restricts both: Mondays in February, or the 29th. */
	{ "0 0 29 2 mon", "UTC", "2026-01-01 00:00:00",
	    { "2026-02-02 00:00" } },

	/* Tabs separate fields too. */
	{ "0\t12 * * *", "UTC", "2026-01-01 00:00:00", { "2026-01-01 12:00" } },

	/* Macros. */
	{ "@yearly", "UTC", "2026-06-01 00:00:00", { "2027-01-01 00:00" } },
	{ "@annually", "UTC", "2026-06-01 00:00:00", { "2027-01-01 00:00" } },
	{ "@monthly", "UTC", "2026-01-31 12:00:00",
	    { "2026-02-01 00:00", "2026-03-01 00:00" } },
	{ "@weekly", "UTC", "2026-01-01 00:00:00",
	    { "2026-01-04 00:00", "2026-01-11 00:00" } },
	{ "@daily", "UTC", "2026-01-01 00:00:00", { "2026-01-02 00:00" } },
	{ "@midnight", "UTC", "2026-01-01 23:59:59", { "2026-01-02 00:00" } },
	{ "@HOURLY", "UTC", "2026-01-01 10:59:59",
	    { "2026-01-01 11:00", "2026-01-01 12:00" } },

	/* Wall-clock times in other zones, with odd offsets. */
	{ "0 9 * * *", "Asia/Kolkata", "2026-01-01 00:00:00",
	    { "2026-01-01 03:30", "2026-01-02 03:30" } },
	{ "0 0 * * *", "Asia/Kathmandu", "2026-01-01 00:00:00",
	    { "2026-01-01 18:15" } },
	{ "0 9 * * *", "America/New_York", "2026-07-01 00:00:00",
	    { "2026-07-01 13:00", "2026-07-02 13:00" } },
};

/*
 * Daylight saving time in 2026. Berlin: clocks jump from 02:00 CET to
 * 03:00 CEST on 03-29 at 01:00 UTC, and go back from 03:00 CEST to 02:00
 * CET on 10-25 at 01:00 UTC. New York: from 02:00 EST to 03:00 EDT on
 * 03-08 at 07:00 UTC, and from 02:00 EDT to 01:00 EST on 11-01 at 06:00
 * UTC.
 */
static const struct next_case dst_cases[] = {
	/* Fixed times in the gap fire once, at 03:00 CEST. */
	{ "30 2 * * *", "Europe/Berlin", "2026-03-28 12:00:00",
	    { "2026-03-29 01:00", "2026-03-30 00:30" } },
	{ "0 2 * * *", "Europe/Berlin", "2026-03-28 12:00:00",
	    { "2026-03-29 01:00", "2026-03-30 00:00" } },
	/* 02:30 moves to 03:00, 03:30 stays. */
	{ "30 2,3 * * *", "Europe/Berlin", "2026-03-28 12:00:00",
	    { "2026-03-29 01:00", "2026-03-29 01:30", "2026-03-30 00:30" } },
	/* Every real quarter hour, 03:00 CEST once. */
	{ "*/15 * * * *", "Europe/Berlin", "2026-03-29 00:30:00",
	    { "2026-03-29 00:45", "2026-03-29 01:00", "2026-03-29 01:15",
	    "2026-03-29 01:30" } },
	/* Wildcard hours skip 02:30: 01:30 CET, then 03:30 CEST. */
	{ "30 * * * *", "Europe/Berlin", "2026-03-29 00:00:00",
	    { "2026-03-29 00:30", "2026-03-29 01:30", "2026-03-29 02:30" } },
	/* A wildcard minute in a missing hour: nothing that day. */
	{ "*/20 2 * * *", "Europe/Berlin", "2026-03-28 23:00:00",
	    { "2026-03-30 00:00", "2026-03-30 00:20" } },

	/* Fixed times in the repeated hour fire at the first 02:30 only. */
	{ "30 2 * * *", "Europe/Berlin", "2026-10-24 12:00:00",
	    { "2026-10-25 00:30", "2026-10-26 01:30" } },
	{ "30 2 * * *", "Europe/Berlin", "2026-10-25 00:30:00",
	    { "2026-10-26 01:30" } },
	/* From inside the second 02:xx, the second 02:45 does not fire. */
	{ "45 2 * * *", "Europe/Berlin", "2026-10-25 01:10:00",
	    { "2026-10-26 01:45" } },
	/* Every real half hour through both 02:xx. */
	{ "*/30 * * * *", "Europe/Berlin", "2026-10-25 00:00:00",
	    { "2026-10-25 00:30", "2026-10-25 01:00", "2026-10-25 01:30",
	    "2026-10-25 02:00" } },
	{ "30 * * * *", "Europe/Berlin", "2026-10-24 23:45:00",
	    { "2026-10-25 00:30", "2026-10-25 01:30", "2026-10-25 02:30" } },
	/* From 02:40 CEST the next 02:30 is the CET one, before 04:30. */
	{ "30 */2 * * *", "Europe/Berlin", "2026-10-25 00:40:00",
	    { "2026-10-25 01:30", "2026-10-25 03:30" } },

	{ "30 2 * * *", "America/New_York", "2026-03-07 12:00:00",
	    { "2026-03-08 07:00", "2026-03-09 06:30" } },
	{ "0 * * * *", "America/New_York", "2026-03-08 06:30:00",
	    { "2026-03-08 07:00", "2026-03-08 08:00" } },
	{ "30 1 * * *", "America/New_York", "2026-10-31 12:00:00",
	    { "2026-11-01 05:30", "2026-11-02 06:30" } },
	{ "*/20 1 * * *", "America/New_York", "2026-11-01 05:00:00",
	    { "2026-11-01 05:20", "2026-11-01 05:40", "2026-11-01 06:00",
	    "2026-11-01 06:20", "2026-11-01 06:40", "2026-11-02 06:00" } },
	{ "0 0 * * *", "America/New_York", "2026-11-01 00:00:00",
	    { "2026-11-01 04:00", "2026-11-02 05:00" } },
};

static const struct bad_case bad_cases[] = {
	{ "", "the cron expression is empty" },
	{ " \t ", "the cron expression is empty" },
	{ "* * * *", "a cron expression has 5 fields (minute hour day month "
	    "weekday), this one has 4" },
	{ "* * * * * *", "a cron expression has 5 fields (minute hour day "
	    "month weekday), this one has 6" },
	{ "0 0 * * * extra", "this one has 6" },
	{ "60 * * * *", "cron field 1 (minute): 60 is out of range 0-59" },
	{ "99999999999 * * * *",
	    "cron field 1 (minute): 99999999999 is out of range 0-59" },
	{ "0 25 * * *", "cron field 2 (hour): 25 is out of range 0-23" },
	{ "0 0 0 * *", "cron field 3 (day of month): 0 is out of range 1-31" },
	{ "0 0 32 * *",
	    "cron field 3 (day of month): 32 is out of range 1-31" },
	{ "0 0 * 13 *", "cron field 4 (month): 13 is out of range 1-12" },
	{ "0 0 * * 8", "cron field 5 (day of week): 8 is out of range 0-7" },
	{ "0 0 * * mun", "cron field 5 (day of week): 'mun' is not a day "
	    "name (sun, mon, ... sat)" },
	{ "0 0 * * Monday", "cron field 5 (day of week): 'Monday' is not a "
	    "day name (sun, mon, ... sat)" },
	{ "0 0 * foo *", "cron field 4 (month): 'foo' is not a month name "
	    "(jan, feb, ... dec)" },
	{ "0 mon * * *", "cron field 2 (hour): 'mon' is not a number" },
	{ "0 0 jan * *", "cron field 3 (day of month): 'jan' is not a "
	    "number" },
	{ "0 0 * * 1x", "cron field 5 (day of week): '1x' is not a number" },
	{ "5x * * * *", "cron field 1 (minute): '5x' is not a number" },
	{ "0 0 L * *", "cron field 3 (day of month): 'L' is not a number" },
	{ "*/0 * * * *", "cron field 1 (minute): step 0 is not allowed" },
	{ "0 0-23/0 * * *", "cron field 2 (hour): step 0 is not allowed" },
	{ "*/60 * * * *", "cron field 1 (minute): step 60 is out of range "
	    "1-59" },
	{ "*/x * * * *", "cron field 1 (minute): step 'x' is not a number" },
	{ "*/ * * * *", "cron field 1 (minute): missing step after '/' in "
	    "'*/'" },
	{ "/5 * * * *", "cron field 1 (minute): missing '*' or a start "
	    "before '/' in '/5'" },
	{ "0 22-6 * * *", "cron field 2 (hour): range 22-6 is backwards (to "
	    "wrap around, write 22-23,0-6)" },
	{ "0 0 * * fri-mon", "cron field 5 (day of week): range fri-mon is "
	    "backwards (to wrap around, write fri-sat,sun-mon)" },
	{ "0 0 * nov-feb *", "cron field 4 (month): range nov-feb is "
	    "backwards (to wrap around, write nov-dec,jan-feb)" },
	{ "0 0 31-1 * *", "cron field 3 (day of month): range 31-1 is "
	    "backwards (to wrap around, write 31,1)" },
	{ "1,,2 * * * *", "cron field 1 (minute): empty list item in "
	    "'1,,2'" },
	{ "1, * * * *", "cron field 1 (minute): empty list item in '1,'" },
	{ ",1 * * * *", "cron field 1 (minute): empty list item in ',1'" },
	{ "5# * * * *", "cron field 1 (minute): unexpected '#' in '5#'" },
	{ "1-5-7 * * * *", "cron field 1 (minute): unexpected '-' in "
	    "'1-5-7'" },
	{ "*/5/2 * * * *", "cron field 1 (minute): unexpected '/' in "
	    "'*/5/2'" },
	{ "*5 * * * *", "cron field 1 (minute): unexpected '5' in '*5'" },
	{ "*-5 * * * *", "cron field 1 (minute): unexpected '-' in '*-5'" },
	{ "1- * * * *", "cron field 1 (minute): missing end of range in "
	    "'1-'" },
	{ "-5 * * * *", "cron field 1 (minute): missing start of range in "
	    "'-5'" },
	{ "0 0 ? * *", "cron field 3 (day of month): unexpected '?' in '?'" },
	{ "@reboot", "unknown cron macro '@reboot' (use @yearly, @annually, "
	    "@monthly, @weekly, @daily, @midnight or @hourly)" },
	{ "@", "unknown cron macro '@'" },
	{ "@daily 5", "@daily is a whole cron expression; nothing may follow "
	    "it" },
	{ "0 0 * * *\n", "a cron expression is printable ASCII; byte 10 is "
	    "0x0a" },
	{ "0 0 * * \xc3\xa9", "a cron expression is printable ASCII; byte 9 "
	    "is 0xc3" },
};

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* Unix seconds of "YYYY-MM-DD HH:MM[:SS]" in UTC. */
static int64_t
utc(const char *s)
{
	struct tm	 tm;
	int		 n;

	memset(&tm, 0, sizeof tm);
	n = sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	assert_true(n == 5 || n == 6);
	tm.tm_year -= 1900;
	tm.tm_mon--;
	return (int64_t)timegm(&tm);
}

/* Format t in UTC, for messages that say which time was wrong. */
static void
show(int64_t t, char *out, size_t len)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* expr quoted for a test name: one line, printable. */
static char *
quote(const char *expr)
{
	const unsigned char	*p;
	char			*out, *o;

	out = o = xmalloc(strlen(expr) * 4 + 3);
	*o++ = '\'';
	for (p = (const unsigned char *)expr; *p != '\0'; p++) {
		if (*p >= 0x20 && *p < 0x7f)
			*o++ = (char)*p;
		else
			o += sprintf(o, "\\x%02x", *p);
	}
	*o++ = '\'';
	*o = '\0';
	return out;
}

static struct cron *
parse_ok(const char *expr)
{
	struct cron	*cr;
	char		*cause = NULL;

	cr = cron_parse(expr, &cause);
	if (cr == NULL)
		fail_msg("'%s': %s", expr, cause);
	assert_null(cause);
	return cr;
}

/* A row: cron_next gives the first time, cron_preview all of them. */
static void
test_next_case(void **state)
{
	const struct next_case	*c = *state;
	struct cron		*cr = parse_ok(c->expr);
	int64_t			 after = utc(c->after), got, want[NEXT_MAX];
	int64_t			 all[NEXT_MAX];
	char			*cause = NULL, a[32], b[32];
	size_t			 n, i;
	for (n = 0; n < NEXT_MAX && c->want[n] != NULL; n++)
		want[n] = utc(c->want[n]);
	assert_true(n > 0);

	if (cron_next(cr, c->tz, after, &got, &cause) != 0)
		fail_msg("'%s' in %s: %s", c->expr, c->tz, cause);
	assert_null(cause);
	if (got != want[0]) {
		show(got, a, sizeof a);
		show(want[0], b, sizeof b);
		fail_msg("'%s' in %s after %s: got %s, want %s", c->expr,
		    c->tz, c->after, a, b);
	}

	if (cron_preview(cr, c->tz, after, all, n, &cause) != 0)
		fail_msg("'%s' in %s: %s", c->expr, c->tz, cause);
	for (i = 0; i < n; i++) {
		if (all[i] != want[i]) {
			show(all[i], a, sizeof a);
			show(want[i], b, sizeof b);
			fail_msg("'%s' in %s after %s: fire time %zu is %s, "
			    "want %s", c->expr, c->tz, c->after, i + 1, a, b);
		}
	}
	cron_free(cr);
}

static void
test_bad_case(void **state)
{
	const struct bad_case	*c = *state;
	struct cron		*cr;
	char			*cause = NULL;

	cr = cron_parse(c->expr, &cause);
	if (cr != NULL)
		fail_msg("'%s' was accepted as '%s'", c->expr, cron_text(cr));
	assert_non_null(cause);
	if (strstr(cause, c->cause) == NULL)
		fail_msg("'%s': got \"%s\", want \"%s\"", c->expr, cause,
		    c->cause);
	free(cause);
}

static void
test_too_long(void **state)
{
	char	 expr[301], *cause = NULL;

	(void)state;
	memset(expr, '1', sizeof expr - 1);
	expr[sizeof expr - 1] = '\0';
	assert_null(cron_parse(expr, &cause));
	assert_string_equal(cause, "a cron expression is at most 255 "
	    "characters, this one has 300");
	free(cause);
}

/* An expression near the length limit, a long list in one field. */
static void
test_longest(void **state)
{
	struct cron	*cr;
	char		 expr[CRON_MAX_LEN + 1];
	size_t		 len;
	int64_t		 next;
	char		*cause = NULL;

	(void)state;
	strcpy(expr, "0");
	while ((len = strlen(expr)) + 2 <= CRON_MAX_LEN - 9)
		strcat(expr, ",0");
	strcat(expr, " 0 * * *");
	len = strlen(expr);
	assert_true(len <= CRON_MAX_LEN);
	cr = parse_ok(expr);
	assert_int_equal(cron_next(cr, "UTC", utc("2026-01-01 00:00"), &next,
	    &cause), 0);
	assert_int_equal(next, utc("2026-01-02 00:00"));
	cron_free(cr);
}

static void
test_text(void **state)
{
	static const struct {
		const char	*expr;
		const char	*text;
	} cases[] = {
		{ "  0   9\t* * MON-FRI ", "0 9 * * mon-fri" },
		{ "*/5 * * JAN,Jul *", "*/5 * * jan,jul *" },
		{ "@Daily", "@daily" },
		{ " @hourly ", "@hourly" },
	};
	struct cron	*cr;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		cr = parse_ok(cases[i].expr);
		assert_string_equal(cron_text(cr), cases[i].text);
		cron_free(cr);
	}
}

/* A macro and its expansion give the same times. */
static void
test_macro_expansion(void **state)
{
	static const char *const pairs[][2] = {
		{ "@yearly", "0 0 1 1 *" },
		{ "@annually", "0 0 1 1 *" },
		{ "@monthly", "0 0 1 * *" },
		{ "@weekly", "0 0 * * 0" },
		{ "@daily", "0 0 * * *" },
		{ "@midnight", "0 0 * * *" },
		{ "@hourly", "0 * * * *" },
	};
	struct cron	*a, *b;
	int64_t		 ta[5], tb[5];
	char		*cause = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(pairs); i++) {
		a = parse_ok(pairs[i][0]);
		b = parse_ok(pairs[i][1]);
		assert_int_equal(cron_preview(a, "Europe/Berlin",
		    utc("2026-03-28 00:00"), ta, 5, &cause), 0);
		assert_int_equal(cron_preview(b, "Europe/Berlin",
		    utc("2026-03-28 00:00"), tb, 5, &cause), 0);
		assert_memory_equal(ta, tb, sizeof ta);
		cron_free(a);
		cron_free(b);
	}
}

static void
test_unknown_zone(void **state)
{
	static const char *const zones[] = {
		"Mars/Olympus_Mons", "Europe", "Europe/", "../etc/passwd",
		"/etc/localtime", "zone.tab", "Europe/../UTC", "Berlin",
	};
	struct cron	*cr = parse_ok("0 0 * * *");
	int64_t		 next = 42, out[3] = { 1, 2, 3 };
	char		*cause = NULL, *want;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(zones); i++) {
		assert_int_equal(cron_next(cr, zones[i], 0, &next, &cause),
		    -1);
		want = xasprintf("unknown time zone '%s'", zones[i]);
		assert_string_equal(cause, want);
		free(want);
		free(cause);
		cause = NULL;
	}
	assert_int_equal(next, 42);

	assert_int_equal(cron_preview(cr, "Nowhere/Special", 0, out, 3,
	    &cause), -1);
	assert_string_equal(cause, "unknown time zone 'Nowhere/Special'");
	free(cause);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[2], 3);

	/* A name with a control byte is not echoed back. */
	assert_int_equal(cron_next(cr, "Europe/\nBerlin", 0, &next, &cause),
	    -1);
	assert_string_equal(cause, "unknown time zone (not a zone name)");
	free(cause);
	cron_free(cr);
}

/* UTC works, and the zone is TZ only while cron_next runs. */
static void
test_zone_restored(void **state)
{
	struct cron	*cr = parse_ok("0 12 * * *");
	int64_t		 next;
	char		*cause = NULL;
	const char	*tz;

	(void)state;
	assert_int_equal(setenv("TZ", "America/New_York", 1), 0);
	tzset();
	assert_int_equal(cron_next(cr, "UTC", utc("2026-01-01 00:00"), &next,
	    &cause), 0);
	assert_int_equal(next, utc("2026-01-01 12:00"));
	assert_int_equal(cron_next(cr, "Europe/Berlin",
	    utc("2026-01-01 00:00"), &next, &cause), 0);
	assert_int_equal(next, utc("2026-01-01 11:00"));
	tz = getenv("TZ");
	assert_non_null(tz);
	assert_string_equal(tz, "America/New_York");

	/* Also after an error. */
	assert_int_equal(cron_next(cr, "No/Such_Zone", 0, &next, &cause), -1);
	free(cause);
	assert_string_equal(getenv("TZ"), "America/New_York");

	assert_int_equal(unsetenv("TZ"), 0);
	tzset();
	assert_int_equal(cron_next(cr, "Asia/Tokyo", utc("2026-01-01 00:00"),
	    &next, &cause), 0);
	assert_int_equal(next, utc("2026-01-01 03:00"));
	assert_null(getenv("TZ"));
	cron_free(cr);
}

/* NULL and "" mean the process's own zone. */
static void
test_local_zone(void **state)
{
	struct cron	*cr = parse_ok("0 12 * * *");
	int64_t		 next;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(setenv("TZ", "Asia/Kolkata", 1), 0);
	tzset();
	assert_int_equal(cron_next(cr, NULL, utc("2026-01-01 00:00"), &next,
	    &cause), 0);
	assert_int_equal(next, utc("2026-01-01 06:30"));
	assert_int_equal(cron_next(cr, "", utc("2026-01-01 00:00"), &next,
	    &cause), 0);
	assert_int_equal(next, utc("2026-01-01 06:30"));
	assert_int_equal(unsetenv("TZ"), 0);
	tzset();
	cron_free(cr);
}

static void
test_never_fires(void **state)
{
	static const char *const exprs[] = {
		"0 0 30 2 *",
		"0 0 31 4,6,9,11 *",
		"0 0 31 2 */2",		/* '*' day of week: both must match */
	};
	struct cron	*cr;
	int64_t		 next = 42;
	char		*cause = NULL, *want;
	size_t		 i;

	(void)state;
	for (i = 0; i < NELEM(exprs); i++) {
		cr = parse_ok(exprs[i]);
		assert_int_equal(cron_next(cr, "UTC", utc("2026-01-01 00:00"),
		    &next, &cause), -1);
		want = xasprintf("cron expression '%s' never fires (no "
		    "matching time in 8 years)", exprs[i]);
		assert_string_equal(cause, want);
		free(want);
		free(cause);
		cause = NULL;
		assert_int_equal(next, 42);
		cron_free(cr);
	}
}

static void
test_bad_time(void **state)
{
	struct cron	*cr = parse_ok("@daily");
	int64_t		 next = 42;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(cron_next(cr, "UTC", -1, &next, &cause), -1);
	assert_string_equal(cause, "time -1 is outside the years 1970 to "
	    "9000");
	free(cause);
	assert_int_equal(cron_next(cr, "UTC", INT64_MAX, &next, &cause), -1);
	free(cause);
	assert_int_equal(next, 42);
	/* The first second is fine. */
	assert_int_equal(cron_next(cr, "UTC", 0, &next, &cause), 0);
	assert_int_equal(next, 86400);
	cron_free(cr);
}

/* The TUI's five fire times, and a preview of nothing. */
static void
test_preview(void **state)
{
	struct cron	*cr = parse_ok("0 9 * * mon-fri");
	int64_t		 out[5], none = 7;
	char		*cause = NULL;

	(void)state;
	assert_int_equal(cron_preview(cr, "Europe/Berlin",
	    utc("2026-01-01 00:00"), out, 5, &cause), 0);
	assert_int_equal(out[0], utc("2026-01-01 08:00"));
	assert_int_equal(out[1], utc("2026-01-02 08:00"));
	assert_int_equal(out[2], utc("2026-01-05 08:00"));
	assert_int_equal(out[3], utc("2026-01-06 08:00"));
	assert_int_equal(out[4], utc("2026-01-07 08:00"));
	assert_int_equal(cron_preview(cr, "UTC", 0, &none, 0, &cause), 0);
	assert_int_equal(none, 7);
	cron_free(cr);

	/* On failure out is untouched. */
	cr = parse_ok("0 0 30 2 *");
	out[0] = 1;
	assert_int_equal(cron_preview(cr, "UTC", utc("2026-01-01 00:00"), out,
	    5, &cause), -1);
	assert_non_null(strstr(cause, "never fires"));
	free(cause);
	assert_int_equal(out[0], 1);
	cron_free(cr);
}

/*
 * Fire times from March to mid-November, through both changes of clocks:
 * always later, never the same instant twice, never more than a day and an
 * hour apart for these expressions.
 */
static void
test_increasing(void **state)
{
	static const char *const exprs[] = {
		"*/15 * * * *", "30 2 * * *", "0 * * * *", "0-59/7 1-3 * * *",
	};
	static const char *const zones[] = {
		"Europe/Berlin", "America/New_York",
	};
	struct cron	*cr;
	int64_t		 t, out[500];
	char		*cause = NULL;
	size_t		 i, j, k;

	(void)state;
	for (i = 0; i < NELEM(exprs); i++) {
		cr = parse_ok(exprs[i]);
		for (j = 0; j < NELEM(zones); j++) {
			t = utc("2026-03-01 00:00");
			while (t < utc("2026-11-15 00:00")) {
				assert_int_equal(cron_preview(cr, zones[j], t,
				    out, NELEM(out), &cause), 0);
				for (k = 0; k < NELEM(out); k++) {
					assert_true(out[k] > t);
					assert_true(out[k] - t <= 86400 + 3600);
					t = out[k];
				}
			}
		}
		cron_free(cr);
	}
}

/*
 * Many calls on assorted expressions: each must skip what cannot match
 * rather than step through the minutes of the years between.
 */
static void
test_speed(void **state)
{
	static const struct {
		const char	*expr;
		const char	*after;
		const char	*want;
	} cases[] = {
		{ "0 0 29 2 *", "2027-03-01 00:00", "2028-02-29 00:00" },
		{ "59 23 31 12 *", "2026-01-01 00:00", "2026-12-31 23:59" },
		{ "0 0 13 * 5", "2026-01-01 00:00", "2026-01-02 00:00" },
		{ "*/5 * * * *", "2026-01-01 00:01", "2026-01-01 00:05" },
		{ "0 12 1 jan *", "2026-01-01 12:00", "2027-01-01 12:00" },
		{ "15 3 * * sun", "2026-01-01 00:00", "2026-01-04 03:15" },
		{ "0 0 31 * *", "2026-01-31 00:00", "2026-03-31 00:00" },
		{ "@yearly", "2026-01-01 00:00", "2027-01-01 00:00" },
	};
	static const char *const zones[] = { NULL, "UTC", "Etc/UTC" };
	struct cron	*crs[NELEM(cases)];
	int64_t		 next;
	char		*cause = NULL;
	size_t		 i, k;

	(void)state;
	assert_int_equal(setenv("TZ", "UTC", 1), 0);
	for (i = 0; i < NELEM(cases); i++)
		crs[i] = parse_ok(cases[i].expr);
	for (i = 0; i < 10000; i++) {
		k = i % NELEM(cases);
		assert_int_equal(cron_next(crs[k], zones[i % NELEM(zones)],
		    utc(cases[k].after), &next, &cause), 0);
		assert_int_equal(next, utc(cases[k].want));
	}
	for (i = 0; i < NELEM(cases); i++)
		cron_free(crs[i]);
	assert_int_equal(unsetenv("TZ"), 0);
	tzset();
}

static void
test_free_null(void **state)
{
	(void)state;
	cron_free(NULL);
}

int
main(void)
{
	static const struct CMUnitTest	fixed[] = {
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_longest),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_macro_expansion),
		cmocka_unit_test(test_unknown_zone),
		cmocka_unit_test(test_zone_restored),
		cmocka_unit_test(test_local_zone),
		cmocka_unit_test(test_never_fires),
		cmocka_unit_test(test_bad_time),
		cmocka_unit_test(test_preview),
		cmocka_unit_test(test_increasing),
		cmocka_unit_test(test_speed),
		cmocka_unit_test(test_free_null),
	};
	struct CMUnitTest	*tests;
	size_t			 n = 0, i;
	char			*q;
	int			 rc;

	/* One test per table row, named for the row. */
	tests = xcalloc(NELEM(next_cases) + NELEM(dst_cases) +
	    NELEM(bad_cases) + NELEM(fixed), sizeof *tests);
	for (i = 0; i < NELEM(next_cases); i++) {
		q = quote(next_cases[i].expr);
		tests[n].name = xasprintf("next %s in %s after %s", q,
		    next_cases[i].tz, next_cases[i].after);
		free(q);
		tests[n].test_func = test_next_case;
		tests[n++].initial_state = (void *)&next_cases[i];
	}
	for (i = 0; i < NELEM(dst_cases); i++) {
		q = quote(dst_cases[i].expr);
		tests[n].name = xasprintf("dst %s in %s after %s", q,
		    dst_cases[i].tz, dst_cases[i].after);
		free(q);
		tests[n].test_func = test_next_case;
		tests[n++].initial_state = (void *)&dst_cases[i];
	}
	for (i = 0; i < NELEM(bad_cases); i++) {
		q = quote(bad_cases[i].expr);
		tests[n].name = xasprintf("bad %s", q);
		free(q);
		tests[n].test_func = test_bad_case;
		tests[n++].initial_state = (void *)&bad_cases[i];
	}
	for (i = 0; i < NELEM(fixed); i++) {
		tests[n] = fixed[i];
		tests[n++].name = xstrdup(fixed[i].name);
	}

	cmocka_set_message_output(CM_OUTPUT_TAP);
	rc = _cmocka_run_group_tests("test_cron", tests, n, NULL, NULL);
	for (i = 0; i < n; i++)
		free((char *)tests[i].name);
	free(tests);
	return rc;
}
