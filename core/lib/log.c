/*
 * The log: one line per message, with a UTC timestamp and the level, so that
 * what lathed did while nobody watched can be read afterwards.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "log.h"
#include "xmalloc.h"

static FILE		*log_file;
static enum log_level	 log_threshold = LOG_INFO;
static int		 log_stderr;

static const char *log_names[] = { "error", "warn", "info", "debug" };

int
log_open(const char *path, enum log_level level, int to_stderr, char **cause)
{
	FILE	*f = NULL;

	if (path != NULL) {
		f = fopen(path, "a");
		if (f == NULL) {
			*cause = xasprintf("cannot open log %s: %s", path,
			    strerror(errno));
			return -1;
		}
		setvbuf(f, NULL, _IOLBF, 0);
	}
	log_close();
	log_file = f;
	log_threshold = level;
	log_stderr = to_stderr;
	return 0;
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

int
log_level_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof log_names / sizeof log_names[0]; i++) {
		if (strcmp(s, log_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 stamp[32];
	va_list		 ap;

	if (level > log_threshold)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	if (log_file != NULL) {
		fprintf(log_file, "%s.%03ldZ %s ", stamp,
		    (long)(tv.tv_usec / 1000), log_names[level]);
		va_start(ap, fmt);
		vfprintf(log_file, fmt, ap);
		va_end(ap);
		fputc('\n', log_file);
	}
	if (log_stderr) {
		fprintf(stderr, "lathed: %s: ", log_names[level]);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}
