/*
 * Runtimes: the interpreters workloads run under. Discovery finds the ones
 * a user would expect on the machine; a kernel says how a script is run.
 */
#ifndef LATHE_RUNTIME_H
#define LATHE_RUNTIME_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct runtime {
	char	*name;		/* "python3", "python3.11", "r", "bash" */
	char	*kernel;	/* python3, r, bash, sh, node, perl, julia, ruby */
	char	*command;	/* absolute path of the interpreter */
	char	*version;	/* "3.11.2", "" when unknown */
	int	 discovered;	/* found by discovery, not registered */
};

void	 runtime_done(struct runtime *);
void	 runtimes_free(struct runtime *, size_t);
cJSON	*runtime_to_json(const struct runtime *);

/*
 * Find the runtimes on this machine: every directory of path (a PATH
 * value) and then /usr/local/bin, /usr/bin, /bin; python3 and python3.N,
 * Rscript (kernel r), bash, sh, node, perl, julia, ruby. Executables that
 * resolve to the same file are one runtime (the first name wins; python3
 * before python3.11). The version comes from running the interpreter
 * (--version, with a 2 s limit); this blocks, so call it off the loop
 * thread. Returns 0 with *out (caller frees with runtimes_free), -1 with
 * *cause.
 *
 * A name is taken by the first directory that has it, as the shell would
 * run it; the same file may still be found under another name further
 * on. Relative entries of path are not searched. What exits 126 or 127 on
 * --version (a wrapper whose program is missing) is left out; what prints
 * no version, fails otherwise or hangs is listed with version "".
 */
int	 runtime_discover(const char *path, struct runtime **out, size_t *n,
	    char **cause);

/*
 * Make a discovery under way on another thread stop looking (it returns
 * what it found so far, after at most the probe running now).
 */
void	 runtime_discover_cancel(void);

/* Whether kernel is one lathe knows how to run scripts with. */
int	 runtime_kernel_valid(const char *kernel);
/*
 * The kernel that runs a script with this name (".py" python3, ".R"/".r"
 * r, ".sh" bash, ".js" node, ".pl" perl, ".jl" julia, ".rb" ruby), or NULL.
 */
const char *runtime_kernel_for(const char *script);
/*
 * Check a user-registered runtime: name an identifier, kernel known,
 * command an absolute path to an executable file. Sets version by running
 * it (blocks up to 2 s). Returns 0, or -1 with *cause saying what is wrong
 * (also when it cannot be run, or exits 126 or 127); rt is unchanged then.
 */
int	 runtime_check(struct runtime *, char **cause);
/*
 * The argv that runs script (a path relative to the project directory)
 * with args under rt: [command, script, args...] for every kernel (Rscript
 * takes the script as its first argument too). NULL-terminated; free with
 * runtime_argv_free.
 */
char	**runtime_argv(const struct runtime *, const char *script,
	    char *const *args, size_t nargs);
void	 runtime_argv_free(char **);

#endif
