/*
 * The core's lifecycle shared by every module: orderly shutdown.
 */
#include "config.h"

#include "core.h"
#include "log.h"
#include "scheduler.h"
#include "server.h"

void
core_stop(struct core *core)
{
	if (core->stopping)
		return;
	core->stopping = 1;
	log_info("shutting down");
	server_stop(core);
	sched_stop(core);
	if (core->on_stop != NULL)
		core->on_stop(core);
}
