/*
 * Default locations (XDG base directories) and safe directory creation.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "xmalloc.h"

static const char *
paths_home(void)
{
	const char	*home = getenv("HOME");
	struct passwd	*pw;

	if (home != NULL && *home == '/')
		return home;
	pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_dir != NULL)
		return pw->pw_dir;
	return "/";
}

static const char *
paths_env(const char *name)
{
	const char	*v = getenv(name);

	return (v != NULL && *v == '/') ? v : NULL;
}

char *
paths_state_dir(void)
{
	const char	*v;

	if ((v = paths_env("LATHE_STATE_DIR")) != NULL)
		return xstrdup(v);
	if ((v = paths_env("XDG_STATE_HOME")) != NULL)
		return paths_join(v, "lathe");
	return xasprintf("%s/.local/state/lathe", paths_home());
}

char *
paths_runtime_dir(void)
{
	const char	*v;

	if ((v = paths_env("LATHE_RUNTIME_DIR")) != NULL)
		return xstrdup(v);
	if ((v = paths_env("XDG_RUNTIME_DIR")) != NULL)
		return paths_join(v, "lathe");
	return xasprintf("/tmp/lathe-%lu", (unsigned long)getuid());
}

char *
paths_config_dir(void)
{
	const char	*v;

	if ((v = paths_env("XDG_CONFIG_HOME")) != NULL)
		return paths_join(v, "lathe");
	return xasprintf("%s/.config/lathe", paths_home());
}

char *
paths_socket(const char *runtime_dir)
{
	return paths_join(runtime_dir, PATHS_SOCKET_NAME);
}

char *
paths_join(const char *a, const char *b)
{
	size_t	n = strlen(a);

	while (n > 1 && a[n - 1] == '/')
		n--;
	while (*b == '/')
		b++;
	return xasprintf("%.*s/%s", (int)n, a, b);
}

int
paths_mkdir(const char *path, mode_t mode, char **cause)
{
	char	*p = xstrdup(path), *s;
	int	 rc = -1;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST) {
			*cause = xasprintf("cannot create directory %s: %s", p,
			    strerror(errno));
			goto out;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	rc = 0;
out:
	free(p);
	return rc;
}

int
paths_private_dir(const char *path, char **cause)
{
	struct stat	st;

	if (paths_mkdir(path, 0700, cause) != 0)
		return -1;
	if (lstat(path, &st) != 0) {
		*cause = xasprintf("cannot stat %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s is not a directory", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		*cause = xasprintf("%s belongs to another user (uid %lu)",
		    path, (unsigned long)st.st_uid);
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		*cause = xasprintf("%s is open to other users (mode %03o): "
		    "lathe needs a private directory (chmod 700 %s, or choose "
		    "another)", path, (unsigned)(st.st_mode & 0777), path);
		return -1;
	}
	return 0;
}
