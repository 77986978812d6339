/*
 * Actions: everything a user can do, in one table (name, scope, help,
 * handler). Key bindings name actions, the command palette completes over
 * them, and the help screen lists them with their keys.
 */
#ifndef LATHE_ACTION_H
#define LATHE_ACTION_H

#include <stddef.h>

#include "keys.h"

struct tui;

struct action {
	const char	*name;
	enum scope	 scope;
	const char	*arg;	/* the argument's name, NULL if none */
	const char	*help;
	void		(*fn)(struct tui *, const char *arg);
};

extern const struct action	actions[];
extern const size_t		nactions;

const struct action	*action_find(const char *name);

#endif
