/*
 * The core's own endpoints: health, version, shutdown.
 */
#include "config.h"

#include <unistd.h>

#include "api.h"
#include "core.h"
#include "scheduler.h"
#include "store.h"

void
api_health(struct req *r)
{
	struct core	*core = api_core(r);
	cJSON		*o = cJSON_CreateObject(), *jobs, *limits;
	const char	*mem, *cpu;
	int		 running, queued;

	cJSON_AddStringToObject(o, "status", "ok");
	cJSON_AddStringToObject(o, "version", PACKAGE_VERSION);
	cJSON_AddNumberToObject(o, "pid", (double)getpid());
	cJSON_AddNumberToObject(o, "uptime_s",
	    (double)((store_now_ms() - core->started_ms) / 1000));
	cJSON_AddStringToObject(o, "listen", core->cfg.listen);
	cJSON_AddNumberToObject(o, "port", core->port);
	cJSON_AddStringToObject(o, "state_dir", core->cfg.state_dir);
	cJSON_AddStringToObject(o, "socket", core->socket_path);
	sched_counts(core, &running, &queued);
	jobs = cJSON_AddObjectToObject(o, "runs");
	cJSON_AddNumberToObject(jobs, "running", running);
	cJSON_AddNumberToObject(jobs, "queued", queued);
	sched_caps(core, &mem, &cpu);
	limits = cJSON_AddObjectToObject(o, "limits");
	cJSON_AddStringToObject(limits, "memory", mem);
	cJSON_AddStringToObject(limits, "cpu", cpu);
	api_reply(r, 200, o);
}

void
api_version(struct req *r)
{
	struct core	*core = api_core(r);
	cJSON		*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "version", PACKAGE_VERSION);
	cJSON_AddNumberToObject(o, "api", WIRE_API_VERSION);
	cJSON_AddNumberToObject(o, "schema",
	    store_schema_version(core->store));
	api_reply(r, 200, o);
}

void
api_core_shutdown(struct req *r)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "status", "stopping");
	api_reply(r, 202, o);
	api_after_reply(r, core_stop);
}
