/*
 * Sweeps started from the TUI's command line.
 */
#ifndef LATHE_SWEEP_H
#define LATHE_SWEEP_H

#include <cjson/cJSON.h>

struct tui;

/*
 * Read "SCRIPT NAME=V1,V2 ... [parallel=N]" into the body of a sweep
 * request. Return 0 with *out (the caller deletes it), or -1 with *cause.
 */
int	 sweep_body(const char *line, cJSON **out, char **cause);
/* Ask the core to start the sweep line describes; the answer is said on
   the status line. */
void	 sweep_start(struct tui *, const char *line);

#endif
