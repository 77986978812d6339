/*
 * Where lathe keeps things: the state directory, the runtime directory that
 * holds the socket, the config directory. Each honours an override in the
 * environment so that tests run fully isolated.
 */
#ifndef LATHE_PATHS_H
#define LATHE_PATHS_H

#include <sys/types.h>

#define PATHS_SOCKET_NAME	"lathed.sock"

/* $LATHE_STATE_DIR, else $XDG_STATE_HOME/lathe, else ~/.local/state/lathe. */
char	*paths_state_dir(void);
/* $LATHE_RUNTIME_DIR, else $XDG_RUNTIME_DIR/lathe, else /tmp/lathe-UID. */
char	*paths_runtime_dir(void);
/* $XDG_CONFIG_HOME/lathe, else ~/.config/lathe. */
char	*paths_config_dir(void);
/* The socket inside a runtime directory; a new string. */
char	*paths_socket(const char *runtime_dir);

/* Create path and its parents (mode for each new one). Return 0 or -1. */
int	 paths_mkdir(const char *path, mode_t mode, char **cause);
/*
 * Create path if needed as a directory of mode 0700 owned by us; refuse
 * one that another user owns or that others can enter, rather than take it
 * over.
 */
int	 paths_private_dir(const char *path, char **cause);
/* Join a and b with one slash; a new string. */
char	*paths_join(const char *a, const char *b);

#endif
