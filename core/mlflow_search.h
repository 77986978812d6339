/*
 * MLflow's runs/search filter and order_by grammar, compiled to SQL over
 * the MLflow tables (mlflow_runs aliased "r", params, tags, latest_metrics)
 * with every user-supplied text and number bound as a parameter.
 *
 * Filter: clauses joined by AND (keywords in any case; OR, parentheses
 * around clauses and ';' are errors). A clause is IDENTIFIER COMPARATOR
 * VALUE, or for params and tags IDENTIFIER IS [NOT] NULL.
 *
 * Identifiers: metrics.KEY (metric.), params.KEY (param., parameter.,
 * parameters.), tags.KEY (tag.), attributes.KEY (attribute., attr., run.)
 * or a bare attribute name. A key is plain (letters, digits, '_', and '.'
 * between words, so tags.mlflow.runName works), "double-quoted" or
 * `backquoted` (for spaces, dashes, quotes); a quote inside is doubled.
 * Attributes: run_id, run_name, status, user_id, artifact_uri,
 * lifecycle_stage (strings), start_time and end_time (numbers, in
 * milliseconds); aliases: created and Created for start_time, "run name",
 * "Run name" and "Run Name" for run_name.
 *
 * Values: 'single' or "double" quoted strings (inside, a doubled quote or
 * a backslash before it stands for the quote, and \\ for a backslash),
 * numbers (-12, 0.5, .5, 1e-3), and for run_id IN and NOT IN a
 * parenthesized list of quoted strings.
 *
 * Comparators and what they mean, as MLflow 2.x's SQL store:
 *   metrics (latest value): = != < <= > >= against a number; a run
 *     without the metric never matches; a NaN value matches only !=;
 *   params, tags: = != LIKE ILIKE against a string, IS NULL and
 *     IS NOT NULL (the key is absent / present, as MLflow 3 added); a
 *     run without the key never matches a comparison;
 *   string attributes: = != LIKE ILIKE, and IN / NOT IN for run_id;
 *     run_name is the column, which the store keeps equal to the tag
 *     mlflow.runName;
 *   start_time, end_time: = != < <= > >= against a number; a NULL
 *     end_time never matches.
 * LIKE is case-sensitive and ILIKE is not (ASCII letters only); in both
 * '%' matches any run of characters and '_' one character.
 *
 * order_by items: IDENTIFIER [ASC|DESC] (ascending by default). Runs
 * without the key, and NULL attributes, sort last in both directions;
 * NaN metrics sort after numbers and before missing ones. Ties are broken
 * by start_time DESC (unless ordered by already) and run_uuid; with no
 * order_by the order is start_time DESC, run_uuid. A key may appear once.
 */
#ifndef LATHE_MLFLOW_SEARCH_H
#define LATHE_MLFLOW_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

/* Limits that keep the SQL within sqlite's expression depth and sizes. */
#define SEARCH_MAX_FILTER	1048576	/* bytes of a filter */
#define SEARCH_MAX_CLAUSES	500	/* clauses of a filter */
#define SEARCH_MAX_LIST		10000	/* values of an IN list, in all */
#define SEARCH_MAX_ORDER	100	/* order_by items */
#define SEARCH_MAX_ORDER_LEN	4096	/* bytes of one order_by item */

enum {
	SEARCH_TEXT,
	SEARCH_REAL,
	SEARCH_INT,
};

struct search_bind {
	int		 type;	/* SEARCH_TEXT, SEARCH_REAL, SEARCH_INT */
	char		*text;
	double		 real;
	int64_t		 integer;
};

struct search_query {
	char			*where;	/* SQL boolean expression over "r"
					   (an alias of mlflow_runs), "1"
					   when no filter */
	char			*order;	/* SQL ORDER BY list (without the
					   words ORDER BY), ending with a
					   total order: "r.start_time DESC,
					   r.run_uuid" by default */
	struct search_bind	*binds;	/* in order of the ?s appearing in
					   where, then in order */
	size_t			 nbinds;
};

/*
 * Compile an MLflow filter string (NULL or "" = none) and order_by clauses
 * into SQL with bound parameters. Returns 0 with *out filled (the caller
 * calls search_query_done), or -1 with *cause in MLflow's words
 * (INVALID_PARAMETER_VALUE), saying what was expected where: the character
 * position in the filter, or the order_by item and position in it.
 *
 * The caller builds: SELECT ... FROM mlflow_runs r WHERE ... AND (<where>)
 * ORDER BY <order>; both refer to r and to the tables params, tags and
 * latest_metrics through correlated subqueries.
 */
int	search_compile(const char *filter, const char *const *order_by,
	    size_t norder, struct search_query *out, char **cause);
/* Free what search_compile put in q and clear it; a cleared q is fine. */
void	search_query_done(struct search_query *);
/*
 * Bind q's parameters to stmt starting at index first (1-based); returns
 * the next index. Texts are copied (SQLITE_TRANSIENT), so q may be freed
 * before stmt is stepped.
 */
int	search_bind(sqlite3_stmt *stmt, int first,
	    const struct search_query *q);

#endif
