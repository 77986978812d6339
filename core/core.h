/*
 * The core's shared context: configuration, the loop, the store and the
 * server, handed to every handler through its request.
 */
#ifndef LATHE_CORE_H
#define LATHE_CORE_H

#include <stdint.h>

#include <uv.h>

struct store;
struct server;
struct sched;

struct core_config {
	char		*state_dir;
	char		*runtime_dir;
	char		*data_dir;	/* templates */
	char		*listen;	/* TCP address */
	int		 port;		/* 0: pick a free one */
	uint64_t	 max_body;
	uint64_t	 max_import;
	int		 foreground;
	int		 log_level;
	int		 max_runs;	/* 0: one per CPU, at least 2 */
};

struct core {
	uv_loop_t		*loop;
	struct core_config	 cfg;
	struct store		*store;
	struct server		*server;
	struct sched		*sched;
	char			*socket_path;
	char			*projects_dir;	/* STATE/projects */
	int			 port;		/* the TCP port bound */
	int64_t			 started_ms;
	int			 stopping;
	/* Called once by core_stop, after the server has stopped. */
	void			(*on_stop)(struct core *);
};

/* Begin an orderly shutdown: stop listening, finish work, leave the loop. */
void	 core_stop(struct core *);

#endif
