/*
 * lathe's command line: `lathe NOUN VERB [ARGS]`, made from one table of
 * commands (cli.c) whose handlers live in cli_<noun>.c. The helpers below
 * are what handlers share: parsed options, calls to the core that report
 * their own errors, and output that escapes whatever came from the core.
 */
#ifndef LATHE_CLI_H
#define LATHE_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

struct buf;
struct cli;
struct client;

/* Exit statuses. */
#define CLI_EXIT_OK	0
#define CLI_EXIT_ERROR	1	/* the core said no, or cannot be reached */
#define CLI_EXIT_USAGE	2	/* the command line is wrong */

/* Run the command line; return the exit status. */
int		 cli_main(int argc, char **argv);

/* Handlers: argv holds the positional arguments only. Return exit status. */
int		 cli_project_create(struct cli *, int, char **);
int		 cli_project_list(struct cli *, int, char **);
int		 cli_project_show(struct cli *, int, char **);
int		 cli_project_update(struct cli *, int, char **);
int		 cli_project_rm(struct cli *, int, char **);
int		 cli_project_env(struct cli *, int, char **);
int		 cli_project_files(struct cli *, int, char **);
int		 cli_project_cat(struct cli *, int, char **);
int		 cli_key_create(struct cli *, int, char **);
int		 cli_key_list(struct cli *, int, char **);
int		 cli_key_revoke(struct cli *, int, char **);
int		 cli_core_start(struct cli *, int, char **);
int		 cli_core_status(struct cli *, int, char **);
int		 cli_core_stop(struct cli *, int, char **);

/* Whether --json was given: print the core's JSON instead of text. */
int		 cli_json(struct cli *);
/* Whether option name (which the command must have) was given. */
int		 cli_flag(struct cli *, const char *name);
/* The value of option name, or NULL when it was not given. */
const char	*cli_value(struct cli *, const char *name);

/*
 * Report a usage error: the message and the command's usage line on
 * stderr (and as JSON on stdout with --json). Return CLI_EXIT_USAGE.
 */
int		 cli_usage(struct cli *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/*
 * Report an error as "lathe: message" on stderr, and with --json as
 * {"error_code": code, "message"} on stdout. Return CLI_EXIT_ERROR.
 */
int		 cli_error(struct cli *, const char *code, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/*
 * The command's client, made on first use (starting lathed when it is not
 * running unless the command is CLI_NOSTART). NULL after reporting why
 * there is none (e.g. LATHE_URL without LATHE_KEY).
 */
struct client	*cli_client(struct cli *);
/*
 * Call the core. On a 2xx answer set *answer (the caller deletes it) and
 * return 0; otherwise report the error (the core's message verbatim, or why
 * it could not be reached) and return -1: the handler then exits 1.
 */
int		 cli_request(struct cli *, const char *method, const char *path,
		    const cJSON *body, cJSON **answer);
/*
 * GET a paged list: path (which may have a query) is fetched and its
 * next_page_token followed until there is none. *answer is the first
 * page's object with the array named field holding every page's items.
 */
int		 cli_request_pages(struct cli *, const char *path,
		    const char *field, cJSON **answer);
/* Report a failed client_call the way cli_request does; return -1. */
int		 cli_report_transport(struct cli *, struct client *,
		    char *cause);
/* Report a core's error answer the way cli_request does; return -1. */
int		 cli_report_answer(struct cli *, long status,
		    const cJSON *answer);

/* Print v indented, with a newline, to stdout. */
void		 cli_print_json(const cJSON *);

/* Escaping flags. */
#define CLI_ESCAPE_LINES	0x1	/* leave \n and \t alone */
#define CLI_ESCAPE_FINAL	0x2	/* no more input follows */

/*
 * Append len bytes of s to b with every control character shown as text
 * (C0 as ^X, DEL as ^?, C1 and bytes that are not UTF-8 as \xNN), so that
 * nothing printed can drive the terminal. Return the bytes consumed: an
 * incomplete UTF-8 sequence at the end is left for the next call unless
 * CLI_ESCAPE_FINAL is given.
 */
size_t		 cli_escape(struct buf *, const char *s, size_t len, int flags);
/* An escaped copy of s for one line of output; "-" for NULL. New string. */
char		*cli_safe(const char *s);

/* The string field name of obj, or NULL if missing or not a string. */
const char	*cli_get(const cJSON *obj, const char *name);
/* The integer field name of obj (number or numeric string), or def. */
int64_t		 cli_get_int(const cJSON *obj, const char *name, int64_t def);
/* Format an RFC 3339 time from the core in local time; "-" for NULL. */
void		 cli_time(const char *iso, char *out, size_t len);
/* Format a size the way ls -h does: 999, 1.0K, 12K, 3.4M. */
void		 cli_size(uint64_t, char *out, size_t len);
/* Print "label  value" aligned, the value escaped ("-" for NULL). */
void		 cli_field(const char *label, const char *value);

/*
 * A table printed with aligned columns; cells are escaped as they are added
 * and NULL shows as "-".
 */
struct cli_table *cli_table_new(size_t ncols, const char *const *headers);
void		 cli_table_add(struct cli_table *, const char *const *cells);
void		 cli_table_print(struct cli_table *, FILE *);
void		 cli_table_free(struct cli_table *);

#endif
