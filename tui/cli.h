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
struct client_sink;

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
int		 cli_job_create(struct cli *, int, char **);
int		 cli_sweep(struct cli *, int, char **);
int		 cli_job_list(struct cli *, int, char **);
int		 cli_job_show(struct cli *, int, char **);
int		 cli_job_run(struct cli *, int, char **);
int		 cli_job_stop(struct cli *, int, char **);
int		 cli_job_rm(struct cli *, int, char **);
int		 cli_job_edit(struct cli *, int, char **);
int		 cli_run_list(struct cli *, int, char **);
int		 cli_run_show(struct cli *, int, char **);
int		 cli_run_logs(struct cli *, int, char **);
int		 cli_run_stop(struct cli *, int, char **);
int		 cli_run_rerun(struct cli *, int, char **);
int		 cli_runtime_list(struct cli *, int, char **);
int		 cli_runtime_add(struct cli *, int, char **);
int		 cli_runtime_rm(struct cli *, int, char **);
int		 cli_profile_list(struct cli *, int, char **);
int		 cli_profile_add(struct cli *, int, char **);
int		 cli_profile_rm(struct cli *, int, char **);

/* How a run's status is shown: symbol and name ("✓ succeeded"). */
void		 cli_run_status(const char *status, char *out, size_t len);
/* The SGR colour of a run's status, or NULL when not colouring. */
const char	*cli_run_color(const char *status);
/*
 * Follow run id's log until the run ends, its bytes written to out as they
 * come, or kept in keep if not NULL; start tail bytes from its end (0: from
 * the beginning), and set *start, if not NULL, to the offset of the first
 * byte. Ctrl-C ends lathe, saying the run goes on. Return 0 with *run the
 * ended run (the caller deletes it), or -1 after reporting the error.
 */
int		 cli_run_follow(struct cli *, const char *project,
		    const char *id, uint64_t tail, FILE *out, struct buf *keep,
		    uint64_t *start, cJSON **run);
/*
 * Say on f how an ended run ended: "run 12 succeeded in 1.2s", or
 * "lathe: run 12 failed: exit code 3".
 */
void		 cli_run_outcome(const cJSON *run, FILE *f);

/* Whether --json was given: print the core's JSON instead of text. */
int		 cli_json(struct cli *);
/* Whether option name (which the command must have) was given. */
int		 cli_flag(struct cli *, const char *name);
/* The value of option name, or NULL when it was not given. */
const char	*cli_value(struct cli *, const char *name);
/*
 * Every value of option name, in the order given (*n of them; the array
 * is the command's, valid while it runs).
 */
const char *const *cli_values(struct cli *, const char *name, size_t *n);
/*
 * How many of the positional arguments came after a "--" (the last ones),
 * or -1 when there was no "--".
 */
int		 cli_dashdash(struct cli *);

/*
 * The project a command works in: its -p/--project option (there is no
 * current project on the command line). Return 0 with *name set, or the
 * exit status of the usage error reported when it is missing or empty.
 */
int		 cli_project_option(struct cli *, const char **name);
/* "/api/v1/projects/NAME" + rest, NAME escaped; a new string. */
char		*cli_project_path(const char *name, const char *rest);

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
/*
 * GET path, its body handed to sink as it arrives (client_stream), with
 * errors reported as cli_request reports them. 0 (the answer is complete,
 * or the sink stopped it) or -1.
 */
int		 cli_request_stream(struct cli *, const char *path,
		    const struct client_sink *);
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
 * The strings of array words as a shell would need them typed (quoted
 * where needed), joined by spaces and escaped for one line; "" for none.
 * A new string.
 */
char		*cli_words(const cJSON *words);
/* Format ms since the epoch as a local time; "-" for 0 or less. */
void		 cli_time_ms(int64_t ms, char *out, size_t len);
/* Format a duration: 0.4s, 1.2s, 3m04s, 2h10m, 3d04h. */
void		 cli_duration(int64_t ms, char *out, size_t len);
/* Whether to colour output: stdout is a terminal and NO_COLOR is unset. */
int		 cli_color(void);
/*
 * Ask on the terminal for the name of what is about to be deleted ("Type
 * the NOUN name to delete it"). Return 0 when name was typed, else report
 * why not and return CLI_EXIT_ERROR.
 */
int		 cli_confirm(struct cli *, const char *noun, const char *name);

/*
 * A table printed with aligned columns; cells are escaped as they are added
 * and NULL shows as "-".
 */
struct cli_table *cli_table_new(size_t ncols, const char *const *headers);
void		 cli_table_add(struct cli_table *, const char *const *cells);
/*
 * Show cell col of the row added last in the SGR colour sgr ("32" for
 * green; a static string). Callers style only when cli_color() says so.
 */
void		 cli_table_style(struct cli_table *, size_t col,
		    const char *sgr);
void		 cli_table_print(struct cli_table *, FILE *);
void		 cli_table_free(struct cli_table *);

#endif
