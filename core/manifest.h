/*
 * Project manifests (.project-metadata.yaml, CML's AMP format): applied
 * once, when a project is created.
 */
#ifndef LATHE_MANIFEST_H
#define LATHE_MANIFEST_H

#include <cjson/cJSON.h>

struct core;
struct project;

/*
 * Apply the manifest at the root of p's files, if there is one: its
 * environment variables and its create_job and run_job tasks. Returns NULL
 * when there is none, else {"jobs": [names], "runs": [ids], "errors":
 * [messages]} (a new object): what was made and what was wrong.
 */
cJSON	*manifest_apply(struct core *, struct project *);

#endif
