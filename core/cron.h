/*
 * Cron expressions for scheduled jobs: parsing with messages that name the
 * field and the mistake, and the next fire times in an IANA time zone.
 *
 * Syntax: five fields, minute (0-59), hour (0-23), day of month (1-31),
 * month (1-12 or jan-dec) and day of week (0-7 or sun-sat; 0 and 7 are
 * Sunday), separated by spaces or tabs. A field is a comma-separated list
 * of items; an item is '*', a value or a range a-b, and may end in a step
 * /n: every n-th value of '*', of a-b, or of a to the end of the field
 * (a/n). Names are three letters, case-insensitive, also in ranges
 * (mon-fri). The macros @yearly (@annually), @monthly, @weekly, @daily
 * (@midnight) and @hourly stand for "0 0 1 1 *", "0 0 1 * *", "0 0 * * 0",
 * "0 0 * * *" and "0 * * * *".
 *
 * Days, as in Vixie cron: when both the day of month and the day of week
 * are restricted, a day matches if EITHER matches ("0 0 1 * mon" fires on
 * the 1st and on every Monday); otherwise both must match. A field counts
 * as unrestricted when it starts with '*', so '*' with or without a step
 * is, and "1-31" is not.
 *
 * Daylight saving time, as in cronie. A job whose minute and hour fields
 * are both restricted is a fixed-time job: a wall-clock time it names that
 * does not exist (02:30 on the day clocks jump from 02:00 to 03:00) fires
 * once, at the first instant after the gap (03:00); a wall-clock time that
 * happens twice (clocks go back) fires only at its first occurrence. Any
 * other job (its minute or hour field starts with '*', as in "0 * * * *"
 * or every quarter hour) fires at every real instant whose wall-clock time
 * matches: never in a gap, at both occurrences of a repeated time. No
 * instant fires twice.
 */
#ifndef LATHE_CRON_H
#define LATHE_CRON_H

#include <stddef.h>
#include <stdint.h>

/* The longest expression cron_parse accepts, in bytes. */
#define CRON_MAX_LEN	255

/* How far ahead cron_next looks before it says an expression never fires. */
#define CRON_SEARCH_YEARS	8

struct cron;

/*
 * Parse expr. On success return a new cron the caller frees with
 * cron_free; on failure return NULL with *cause saying which field is wrong
 * and how, e.g. "cron field 2 (hour): 25 is out of range 0-23".
 */
struct cron	*cron_parse(const char *expr, char **cause);
void		 cron_free(struct cron *);

/*
 * The expression in normal form, owned by the cron: lower case, fields
 * separated by one space, macros kept as macros ("@daily").
 */
const char	*cron_text(const struct cron *);

/*
 * Set *next_s to the first fire time strictly after after_s (both Unix
 * seconds), with wall-clock times read in time zone tz: an IANA name such
 * as "Europe/Berlin" or "UTC", or NULL or "" for the process's local zone.
 * Return -1 with *cause for an unknown zone ("unknown time zone 'X'"), for
 * an expression with no fire time in the next CRON_SEARCH_YEARS years
 * ("0 0 30 2 *"), or for after_s outside the years 1970 to 9000.
 *
 * Not thread-safe: for a zone other than the local one this sets TZ and
 * calls tzset, and restores both before returning. lathed calls it from its
 * single-threaded event loop; nothing else may read the time zone
 * meanwhile.
 */
int	 cron_next(const struct cron *, const char *tz, int64_t after_s,
	    int64_t *next_s, char **cause);

/*
 * Fill out[0] to out[n - 1] with the next n fire times after after_s, each
 * after the one before, as cron_next would give them one by one (the TUI's
 * "next five fire times"). On failure out is untouched. Not thread-safe.
 */
int	 cron_preview(const struct cron *, const char *tz, int64_t after_s,
	    int64_t *out, size_t n, char **cause);

#endif
