/*
 * Cron expressions for lathed's job schedules. An expression is parsed into
 * one bit set per field. Fire times are found in two layers: a calendar
 * search over wall-clock times that knows nothing of time zones and skips
 * whole months, days and hours that cannot match, and a layer that maps each
 * matching wall-clock time to the real instants having it (none in a DST
 * gap, two when clocks go back), asking localtime_r for UTC offsets rather
 * than trusting mktime, which cannot name both instants of a repeated time.
 */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cron.h"
#include "xmalloc.h"

enum {
	CRON_MINUTE,
	CRON_HOUR,
	CRON_DOM,
	CRON_MONTH,
	CRON_DOW,
	CRON_NFIELDS
};

struct cron {
	uint64_t	 bits[CRON_NFIELDS];	/* bit v: value v matches */
	unsigned	 stars;		/* bit i: field i starts with '*' */
	char		*text;
};

struct cron_field {
	const char		*name;
	int			 min;
	int			 max;
	int			 last;	/* the highest value '*' covers */
	const char *const	*names;	/* names[i] is value min + i */
	const char		*kind;	/* what names are, for messages */
};

struct cron_macro {
	const char	*name;
	const char	*expr;
};

/* What a wall-clock time is in the zone: see cron_resolve. */
enum cron_wall {
	CRON_WALL_ONCE,
	CRON_WALL_TWICE,
	CRON_WALL_GAP,
};

/* The process's TZ while cron_next works in another zone. */
struct cron_zone {
	int	 switched;
	char	*saved;		/* NULL when TZ was unset */
};

static const char *const cron_months[] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec", NULL
};

static const char *const cron_days[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

static const struct cron_field cron_fields[CRON_NFIELDS] = {
	[CRON_MINUTE] = { "minute", 0, 59, 59, NULL, NULL },
	[CRON_HOUR] = { "hour", 0, 23, 23, NULL, NULL },
	[CRON_DOM] = { "day of month", 1, 31, 31, NULL, NULL },
	[CRON_MONTH] = { "month", 1, 12, 12, cron_months,
	    "a month name (jan, feb, ... dec)" },
	[CRON_DOW] = { "day of week", 0, 7, 6, cron_days,
	    "a day name (sun, mon, ... sat)" },
};

static const struct cron_macro cron_macros[] = {
	{ "@yearly",	"0 0 1 1 *" },
	{ "@annually",	"0 0 1 1 *" },
	{ "@monthly",	"0 0 1 * *" },
	{ "@weekly",	"0 0 * * 0" },
	{ "@daily",	"0 0 * * *" },
	{ "@midnight",	"0 0 * * *" },
	{ "@hourly",	"0 * * * *" },
};
#define CRON_NMACROS	(sizeof cron_macros / sizeof cron_macros[0])

/* Offsets probed on either side of a wall-clock time or an instant. */
#define CRON_DAY	86400
#define CRON_AHEAD	(26 * 3600)

/* The latest after_s cron_next accepts: 9000-01-01 00:00:00 UTC. */
#define CRON_TIME_MAX	INT64_C(221845392000)

static void	 cron_field_error(char **, int, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
static int	 cron_value(int, const char **, int *, char **);
static int	 cron_item(int, const char *, uint64_t *, char **);
static int	 cron_field_parse(int, const char *, uint64_t *, char **);
static void	 cron_split(const char *, char **, size_t, size_t *);
static int64_t	 cron_floor_div(int64_t, int64_t);
static int64_t	 cron_days_from_civil(int64_t, int, int);
static void	 cron_civil_from_days(int64_t, int64_t *, int *, int *);
static int	 cron_month_days(int64_t, int);
static int	 cron_next_bit(uint64_t, int, int);
static int	 cron_day_matches(const struct cron *, int64_t, int, int);
static int	 cron_civil_next(const struct cron *, int64_t, int64_t,
		     int64_t *);
static long	 cron_offset(int64_t);
static enum cron_wall cron_resolve(int64_t, int64_t *, int64_t *);
static int	 cron_next_here(const struct cron *, int64_t, int64_t *,
		     char **);
static int	 cron_zone_known(const char *);
static int	 cron_zone_enter(const char *, struct cron_zone *, char **);
static void	 cron_zone_leave(struct cron_zone *);

/* Set *cause to "cron field N (name): " and the message. */
static void
cron_field_error(char **cause, int field, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	*cause = xasprintf("cron field %d (%s): %s", field + 1,
	    cron_fields[field].name, msg);
	free(msg);
}

/*
 * Read the value (number or name) at *pp, which starts with a letter or a
 * digit, and advance *pp past it.
 */
static int
cron_value(int field, const char **pp, int *out, char **cause)
{
	const struct cron_field	*f = &cron_fields[field];
	const char		*s = *pp, *e = s;
	int			 digits = 1, v = 0, i, n;

	while (isalnum((unsigned char)*e)) {
		if (!isdigit((unsigned char)*e))
			digits = 0;
		e++;
	}
	n = (int)(e - s);
	if (digits) {
		/* Five digits are out of every range; no overflow below. */
		for (i = 0; i < n && i < 5; i++)
			v = v * 10 + (s[i] - '0');
		if (n > 5 || v < f->min || v > f->max) {
			cron_field_error(cause, field, "%.*s is out of range "
			    "%d-%d", n, s, f->min, f->max);
			return -1;
		}
		*out = v;
		*pp = e;
		return 0;
	}
	if (isdigit((unsigned char)*s) || f->names == NULL) {
		cron_field_error(cause, field, "'%.*s' is not a number", n, s);
		return -1;
	}
	for (i = 0; f->names[i] != NULL; i++) {
		if (n == 3 && strncasecmp(s, f->names[i], 3) == 0) {
			*out = f->min + i;
			*pp = e;
			return 0;
		}
	}
	cron_field_error(cause, field, "'%.*s' is not %s", n, s, f->kind);
	return -1;
}

/*
 * Parse one list item of a field: '*', a value or a range, with an
 * optional step, and add its values to *bits.
 */
static int
cron_item(int field, const char *item, uint64_t *bits, char **cause)
{
	const struct cron_field	*f = &cron_fields[field];
	const char		*p = item, *lo_s, *hi_s = NULL;
	int			 lo, hi, step = 1, range = 0, v, i, n;

	lo_s = p;
	if (*p == '*') {
		lo = f->min;
		hi = f->last;
		range = 1;
		p++;
	} else if (isalnum((unsigned char)*p)) {
		if (cron_value(field, &p, &lo, cause) != 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			hi_s = p;
			if (*p == '\0') {
				cron_field_error(cause, field, "missing end "
				    "of range in '%s'", item);
				return -1;
			}
			if (!isalnum((unsigned char)*p)) {
				cron_field_error(cause, field, "unexpected "
				    "'%c' in '%s'", *p, item);
				return -1;
			}
			if (cron_value(field, &p, &hi, cause) != 0)
				return -1;
			range = 1;
		}
	} else if (*p == '-') {
		cron_field_error(cause, field, "missing start of range in "
		    "'%s'", item);
		return -1;
	} else if (*p == '/') {
		cron_field_error(cause, field, "missing '*' or a start "
		    "before '/' in '%s'", item);
		return -1;
	} else {
		cron_field_error(cause, field, "unexpected '%c' in '%s'", *p,
		    item);
		return -1;
	}

	if (hi < lo) {
		int	 top = f->last, bottom = f->min;
		int	 nlo = (int)(hi_s - 1 - lo_s), nhi = (int)(p - hi_s);
		char	*wrap;

		/* Suggest two ranges, with names if the user wrote names. */
		if (f->names != NULL && isalpha((unsigned char)*lo_s))
			wrap = xasprintf("%.*s%s%s,%s%s%.*s", nlo, lo_s,
			    lo < top ? "-" : "",
			    lo < top ? f->names[top - f->min] : "",
			    hi > bottom ? f->names[0] : "",
			    hi > bottom ? "-" : "", nhi, hi_s);
		else if (lo < top && hi > bottom)
			wrap = xasprintf("%d-%d,%d-%d", lo, top, bottom, hi);
		else if (lo < top)
			wrap = xasprintf("%d-%d,%d", lo, top, hi);
		else if (hi > bottom)
			wrap = xasprintf("%d,%d-%d", lo, bottom, hi);
		else
			wrap = xasprintf("%d,%d", lo, hi);
		cron_field_error(cause, field, "range %.*s-%.*s is backwards "
		    "(to wrap around, write %s)", nlo, lo_s, nhi, hi_s, wrap);
		free(wrap);
		return -1;
	}

	if (*p == '/') {
		const char	*s = ++p;

		while (isalnum((unsigned char)*p))
			p++;
		n = (int)(p - s);
		if (n == 0) {
			if (*p == '\0')
				cron_field_error(cause, field, "missing step "
				    "after '/' in '%s'", item);
			else
				cron_field_error(cause, field, "unexpected "
				    "'%c' in '%s'", *p, item);
			return -1;
		}
		step = 0;
		for (i = 0; i < n; i++) {
			if (!isdigit((unsigned char)s[i])) {
				cron_field_error(cause, field, "step '%.*s' "
				    "is not a number", n, s);
				return -1;
			}
			if (i < 5)
				step = step * 10 + (s[i] - '0');
		}
		if (n <= 5 && step == 0) {
			cron_field_error(cause, field, "step 0 is not "
			    "allowed");
			return -1;
		}
		if (n > 5 || step > f->max) {
			cron_field_error(cause, field, "step %.*s is out of "
			    "range 1-%d", n, s, f->max);
			return -1;
		}
		/* a/n runs from a to the end of the field. */
		if (!range && lo < f->last)
			hi = f->last;
	}
	if (*p != '\0') {
		cron_field_error(cause, field, "unexpected '%c' in '%s'", *p,
		    item);
		return -1;
	}

	for (v = lo; v <= hi; v += step) {
		/* 7 is Sunday as well as 0. */
		if (field == CRON_DOW && v == 7)
			*bits |= 1;
		else
			*bits |= (uint64_t)1 << v;
	}
	return 0;
}

/* Parse one field, a comma-separated list of items, into *bits. */
static int
cron_field_parse(int field, const char *word, uint64_t *bits, char **cause)
{
	const char	*p = word, *comma;
	char		 item[CRON_MAX_LEN + 1];
	size_t		 n;

	*bits = 0;
	for (;;) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == 0) {
			cron_field_error(cause, field, "empty list item in "
			    "'%s'", word);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (cron_item(field, item, bits, cause) != 0)
			return -1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

/*
 * Split s at spaces and tabs into at most max words (new strings); *n is
 * the number of words s has, which may be more.
 */
static void
cron_split(const char *s, char **words, size_t max, size_t *n)
{
	size_t	 len;

	*n = 0;
	for (;;) {
		s += strspn(s, " \t");
		if (*s == '\0')
			break;
		len = strcspn(s, " \t");
		if (*n < max)
			words[*n] = xstrndup(s, len);
		(*n)++;
		s += len;
	}
}

struct cron *
cron_parse(const char *expr, char **cause)
{
	struct cron	*cr = NULL;
	char		*words[CRON_NFIELDS + 1] = { NULL }, *macro = NULL;
	struct buf	 text;
	char		*p;
	size_t		 len, n = 0, i;
	uint64_t	 bits[CRON_NFIELDS];
	unsigned	 stars = 0;

	buf_init(&text);
	len = strlen(expr);
	if (len > CRON_MAX_LEN) {
		*cause = xasprintf("a cron expression is at most %d "
		    "characters, this one has %zu", CRON_MAX_LEN, len);
		goto out;
	}
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)expr[i];

		if ((c < 0x20 && c != '\t') || c >= 0x7f) {
			*cause = xasprintf("a cron expression is printable "
			    "ASCII; byte %zu is 0x%02x", i + 1, c);
			goto out;
		}
	}
	cron_split(expr, words, CRON_NFIELDS + 1, &n);
	if (n == 0) {
		*cause = xstrdup("the cron expression is empty");
		goto out;
	}

	if (words[0][0] == '@') {
		for (i = 0; i < CRON_NMACROS; i++) {
			if (strcasecmp(words[0], cron_macros[i].name) == 0)
				break;
		}
		if (i == CRON_NMACROS) {
			*cause = xasprintf("unknown cron macro '%s' (use "
			    "@yearly, @annually, @monthly, @weekly, @daily, "
			    "@midnight or @hourly)", words[0]);
			goto out;
		}
		if (n > 1) {
			*cause = xasprintf("%s is a whole cron expression; "
			    "nothing may follow it", words[0]);
			goto out;
		}
		macro = words[0];
		words[0] = NULL;
		cron_split(cron_macros[i].expr, words, CRON_NFIELDS + 1, &n);
	} else if (n != CRON_NFIELDS) {
		*cause = xasprintf("a cron expression has 5 fields (minute "
		    "hour day month weekday), this one has %zu", n);
		goto out;
	}

	for (i = 0; i < CRON_NFIELDS; i++) {
		if (cron_field_parse((int)i, words[i], &bits[i], cause) != 0)
			goto out;
		if (words[i][0] == '*')
			stars |= 1U << i;
	}

	if (macro != NULL)
		buf_adds(&text, macro);
	else {
		for (i = 0; i < CRON_NFIELDS; i++) {
			if (i > 0)
				buf_addc(&text, ' ');
			buf_adds(&text, words[i]);
		}
	}
	cr = xcalloc(1, sizeof *cr);
	memcpy(cr->bits, bits, sizeof cr->bits);
	cr->stars = stars;
	cr->text = buf_take(&text);
	for (p = cr->text; *p != '\0'; p++)
		*p = tolower((unsigned char)*p);

out:
	for (i = 0; i < CRON_NFIELDS + 1; i++)
		free(words[i]);
	free(macro);
	buf_done(&text);
	return cr;
}

void
cron_free(struct cron *cr)
{
	if (cr == NULL)
		return;
	free(cr->text);
	free(cr);
}

const char *
cron_text(const struct cron *cr)
{
	return cr->text;
}

static int64_t
cron_floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant). */
static int64_t
cron_days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = cron_floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
cron_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t	 era, doe, yoe, doy, mp;

	z += 719468;
	era = cron_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
cron_month_days(int64_t y, int m)
{
	static const int	 days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* The lowest v from from to max with bit v set in bits, or -1. */
static int
cron_next_bit(uint64_t bits, int from, int max)
{
	int	 v;

	for (v = from; v <= max; v++) {
		if (bits & ((uint64_t)1 << v))
			return v;
	}
	return -1;
}

/* Does day y-m-d match, by Vixie cron's rule for the two day fields? */
static int
cron_day_matches(const struct cron *cr, int64_t y, int m, int d)
{
	int64_t	 days = cron_days_from_civil(y, m, d) + 4;
	int64_t	 wday = days - cron_floor_div(days, 7) * 7; /* 0 is Sunday */
	int	 dow, dom;

	dom = (cr->bits[CRON_DOM] >> d) & 1;
	dow = (cr->bits[CRON_DOW] >> wday) & 1;
	if (cr->stars & ((1U << CRON_DOM) | (1U << CRON_DOW)))
		return dom && dow;
	return dom || dow;
}

/*
 * Find the first matching wall-clock time at or after from, no later than
 * year ylimit. Both are whole minutes, in seconds since 1970-01-01 00:00 of
 * the wall clock (as if it were UTC). This is calendar arithmetic only:
 * whole months, days and hours that cannot match are skipped.
 */
static int
cron_civil_next(const struct cron *cr, int64_t from, int64_t ylimit,
    int64_t *out)
{
	int64_t	 days, secs, y;
	int	 m, d, h, min, v;

	days = cron_floor_div(from, CRON_DAY);
	secs = from - days * CRON_DAY;
	cron_civil_from_days(days, &y, &m, &d);
	h = (int)(secs / 3600);
	min = (int)(secs % 3600) / 60;

	for (;;) {
		if (y > ylimit)
			return -1;
		v = cron_next_bit(cr->bits[CRON_MONTH], m, 12);
		if (v == -1) {
			y++;
			m = 1;
			d = 1;
			h = min = 0;
			continue;
		}
		if (v != m) {
			m = v;
			d = 1;
			h = min = 0;
		}
		if (d > cron_month_days(y, m)) {
			m++;
			d = 1;
			h = min = 0;
			continue;
		}
		if (!cron_day_matches(cr, y, m, d)) {
			d++;
			h = min = 0;
			continue;
		}
		v = cron_next_bit(cr->bits[CRON_HOUR], h, 23);
		if (v == -1) {
			d++;
			h = min = 0;
			continue;
		}
		if (v != h) {
			h = v;
			min = 0;
		}
		v = cron_next_bit(cr->bits[CRON_MINUTE], min, 59);
		if (v == -1) {
			h++;
			min = 0;
			continue;
		}
		min = v;
		break;
	}
	*out = cron_days_from_civil(y, m, d) * CRON_DAY + h * 3600 + min * 60;
	return 0;
}

/* The UTC offset in seconds at instant t in the current zone. */
static long
cron_offset(int64_t t)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (localtime_r(&tt, &tm) == NULL)
		abort();	/* cron_next bounds t far inside time_t */
	return tm.tm_gmtoff;
}

/*
 * Find the instants whose wall-clock time is c (as in cron_civil_next).
 * Return CRON_WALL_ONCE with *first; CRON_WALL_TWICE with *first and
 * *second when clocks went back over c; or CRON_WALL_GAP when they jumped
 * over it, with *first the first instant after the gap. The offsets a day
 * before and after c are the candidates: no zone changes its offset twice
 * in two days.
 */
static enum cron_wall
cron_resolve(int64_t c, int64_t *first, int64_t *second)
{
	long	 offs[4];
	int64_t	 found[4], x, lo, hi, mid;
	size_t	 n = 0, i, j;

	offs[0] = cron_offset(c - CRON_DAY);
	offs[1] = cron_offset(c + CRON_DAY);
	offs[2] = cron_offset(c - offs[0]);
	offs[3] = cron_offset(c - offs[1]);
	for (i = 0; i < 4; i++) {
		x = c - offs[i];
		if (cron_offset(x) != offs[i])
			continue;
		for (j = 0; j < n && found[j] != x; j++)
			/* nothing */;
		if (j == n)
			found[n++] = x;
	}
	if (n == 0) {
		/* The first instant whose wall-clock time is past c. */
		lo = c - CRON_DAY;
		hi = c + CRON_DAY;
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (mid + cron_offset(mid) > c)
				hi = mid;
			else
				lo = mid;
		}
		*first = hi;
		return CRON_WALL_GAP;
	}
	*first = *second = found[0];
	for (i = 1; i < n; i++) {
		if (found[i] < *first)
			*first = found[i];
		if (found[i] > *second)
			*second = found[i];
	}
	return n == 1 ? CRON_WALL_ONCE : CRON_WALL_TWICE;
}

/*
 * cron_next in the zone that is now current. Matching wall-clock times are
 * visited in order, from the earliest that an instant later than after can
 * show (earlier than its own wall-clock time when clocks go back within a
 * day). Once one fires, later ones are looked at only while they could
 * still be earlier instants, which again happens only where clocks go
 * back.
 */
static int
cron_next_here(const struct cron *cr, int64_t after, int64_t *next,
    char **cause)
{
	long		 o_after, o_ahead, o_max, o_best;
	int64_t		 c, y, best = -1, f[2];
	int		 fixed, nf, m, d, i;
	enum cron_wall	 wall;

	fixed = (cr->stars & ((1U << CRON_MINUTE) | (1U << CRON_HOUR))) == 0;
	o_after = cron_offset(after);
	o_ahead = cron_offset(after + CRON_AHEAD);
	o_max = o_after > o_ahead ? o_after : o_ahead;

	c = after + (o_after < o_ahead ? o_after : o_ahead) + 1;
	c = cron_floor_div(c + 59, 60) * 60;
	cron_civil_from_days(cron_floor_div(c, CRON_DAY), &y, &m, &d);

	for (;;) {
		if (cron_civil_next(cr, c, y + CRON_SEARCH_YEARS, &c) != 0)
			break;
		if (best != -1 && c >= best + o_max)
			break;
		wall = cron_resolve(c, &f[0], &f[1]);
		nf = 0;
		if (wall == CRON_WALL_ONCE)
			nf = 1;
		else if (wall == CRON_WALL_TWICE)
			nf = fixed ? 1 : 2;
		else if (fixed)
			nf = 1;
		for (i = 0; i < nf; i++) {
			if (f[i] <= after || (best != -1 && f[i] >= best))
				continue;
			best = f[i];
			o_best = cron_offset(best);
			if (o_best > o_max)
				o_max = o_best;
		}
		c += 60;
	}
	if (best == -1) {
		*cause = xasprintf("cron expression '%s' never fires (no "
		    "matching time in %d years)", cr->text,
		    CRON_SEARCH_YEARS);
		return -1;
	}
	*next = best;
	return 0;
}

/*
 * Is name a zone tzset would load? glibc quietly takes an unknown name as
 * UTC, so look for the TZif file itself.
 */
static int
cron_zone_known(const char *name)
{
	const char	*dir, *p;
	char		*path, magic[4];
	int		 fd, ok = 0;

	if (strcmp(name, "UTC") == 0)
		return 1;
	if (strlen(name) > 255 || name[0] == '/' || name[0] == '.')
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr("/_+-.", *p) == NULL)
			return 0;
		if (*p == '/' && p[1] == '.')
			return 0;
	}
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	path = xasprintf("%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) != -1) {
		if (read(fd, magic, sizeof magic) == sizeof magic &&
		    memcmp(magic, "TZif", sizeof magic) == 0)
			ok = 1;
		close(fd);
	}
	free(path);
	return ok;
}

/* Make tz (NULL or "" for the local zone) the current zone. */
static int
cron_zone_enter(const char *tz, struct cron_zone *z, char **cause)
{
	const char	*cur, *p;

	z->switched = 0;
	z->saved = NULL;
	if (tz != NULL && *tz != '\0') {
		if (!cron_zone_known(tz)) {
			for (p = tz; *p != '\0'; p++) {
				if ((unsigned char)*p < 0x20 ||
				    (unsigned char)*p >= 0x7f)
					break;
			}
			if (*p != '\0' || p - tz > 64)
				*cause = xstrdup("unknown time zone (not a "
				    "zone name)");
			else
				*cause = xasprintf("unknown time zone '%s'",
				    tz);
			return -1;
		}
		cur = getenv("TZ");
		if (cur == NULL || strcmp(cur, tz) != 0) {
			if (cur != NULL)
				z->saved = xstrdup(cur);
			if (setenv("TZ", tz, 1) != 0)
				abort();
			z->switched = 1;
		}
	}
	tzset();
	return 0;
}

static void
cron_zone_leave(struct cron_zone *z)
{
	if (!z->switched)
		return;
	if (z->saved != NULL)
		setenv("TZ", z->saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(z->saved);
	z->saved = NULL;
	z->switched = 0;
}

int
cron_next(const struct cron *cr, const char *tz, int64_t after_s,
    int64_t *next_s, char **cause)
{
	return cron_preview(cr, tz, after_s, next_s, 1, cause);
}

int
cron_preview(const struct cron *cr, const char *tz, int64_t after_s,
    int64_t *out, size_t n, char **cause)
{
	struct cron_zone	 z;
	int64_t			*found = NULL, t = after_s;
	size_t			 i;
	int			 rc = -1;

	if (after_s < 0 || after_s > CRON_TIME_MAX) {
		*cause = xasprintf("time %lld is outside the years 1970 to "
		    "9000", (long long)after_s);
		return -1;
	}
	if (cron_zone_enter(tz, &z, cause) != 0)
		return -1;
	found = xcalloc(n == 0 ? 1 : n, sizeof *found);
	for (i = 0; i < n; i++) {
		if (cron_next_here(cr, t, &found[i], cause) != 0)
			goto out;
		t = found[i];
	}
	memcpy(out, found, n * sizeof *found);
	rc = 0;
out:
	free(found);
	cron_zone_leave(&z);
	return rc;
}
