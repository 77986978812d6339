/*
 * The filter and order_by of MLflow's experiments/search, compiled to SQL
 * over the experiments table (alias "e") with bound parameters: attributes
 * name (=, !=, LIKE, ILIKE), creation_time and last_update_time (=, !=, <,
 * <=, >, >=), tags.KEY (=, !=, LIKE, ILIKE) joined by AND; order by name,
 * experiment_id, creation_time or last_update_time.
 */
#ifndef LATHE_MLFLOW_EXPSEARCH_H
#define LATHE_MLFLOW_EXPSEARCH_H

#include <stddef.h>
#include <stdint.h>

struct mlflow_expsearch_bind {
	int	 is_text;
	char	*text;
	int64_t	 integer;
};

struct mlflow_expsearch {
	char				*where;	/* "1" when no filter */
	char				*order;	/* ends with a total order */
	struct mlflow_expsearch_bind	*binds;	/* for the ?s of where */
	size_t				 nbinds;
};

/*
 * Compile filter (NULL or "" for none) and the order_by clauses. Return 0
 * with *out filled (free it with mlflow_expsearch_done), or -1 with *cause
 * in MLflow's words.
 */
int	mlflow_expsearch_compile(const char *filter,
	    const char *const *order_by, size_t norder,
	    struct mlflow_expsearch *out, char **cause);
void	mlflow_expsearch_done(struct mlflow_expsearch *);

#endif
