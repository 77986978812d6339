/* Levelled logging to a file and, in the foreground, to stderr. */
#ifndef LATHE_LOG_H
#define LATHE_LOG_H

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

/*
 * Open the log at path (appending; NULL for none) and log messages at
 * level or more severe; also copy them to stderr when to_stderr is set.
 * Return 0, or -1 with *cause set when the file cannot be opened.
 */
int	 log_open(const char *path, enum log_level level, int to_stderr,
	    char **cause);
void	 log_close(void);
/* Parse "error", "warn", "info" or "debug"; return -1 if unknown. */
int	 log_level_parse(const char *);
void	 log_msg(enum log_level, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_error(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
