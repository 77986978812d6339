/*
 * Unit tests for core/runtime.c on the real machine: discovery finds the
 * interpreters installed here and asks them their versions; fake
 * interpreters in a mkdtemp directory put first on the PATH stand for
 * ones that print odd versions, fail, hang or are no interpreters at all.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime.h"
#include "valid.h"
#include "xmalloc.h"

struct fixture {
	char	*tmp;
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	f->tmp = xstrdup("/tmp/lathe-test-runtime.XXXXXX");
	if (mkdtemp(f->tmp) == NULL)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	nftw(f->tmp, rm_one, 16, FTW_PHYS|FTW_DEPTH);
	free(f->tmp);
	free(f);
	return 0;
}

/* Write dir/name with mode. */
static void
put(const char *dir, const char *name, const char *text, mode_t mode)
{
	char	*path = xasprintf("%s/%s", dir, name);
	FILE	*fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
	free(path);
}

static void
link_in(const char *dir, const char *name, const char *target)
{
	char	*path = xasprintf("%s/%s", dir, name);

	assert_int_equal(symlink(target, path), 0);
	free(path);
}

static char *
make_dir(const char *dir, const char *name)
{
	char	*path = xasprintf("%s/%s", dir, name);

	assert_int_equal(mkdir(path, 0755), 0);
	return path;
}

/* The first line cmd prints, without its newline ("" for none). */
static char *
first_line(const char *cmd)
{
	FILE	*p = popen(cmd, "r");
	char	 line[512] = "";

	assert_non_null(p);
	if (fgets(line, sizeof line, p) == NULL)
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

static int
same_file(const char *a, const char *b)
{
	char	*ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int	 same = ra != NULL && rb != NULL && strcmp(ra, rb) == 0;

	free(ra);
	free(rb);
	return same;
}

static const struct runtime *
find(const struct runtime *list, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i].name, name) == 0)
			return &list[i];
	}
	return NULL;
}

/* How many runtimes resolve to the same file as path. */
static size_t
count_file(const struct runtime *list, size_t n, const char *path)
{
	size_t	i, c = 0;

	for (i = 0; i < n; i++)
		c += same_file(list[i].command, path);
	return c;
}

static void
discover(const char *path, struct runtime **list, size_t *n)
{
	char	*cause = NULL;

	*list = NULL;
	*n = 0;
	assert_int_equal(runtime_discover(path, list, n, &cause), 0);
	assert_null(cause);
}

/* What holds for every discovery: unique, valid, absolute, known. */
static void
check_list(const struct runtime *list, size_t n)
{
	char	*cause = NULL;
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		if (valid_identifier("name", list[i].name, VALID_NAME_MAX,
		    &cause) != 0)
			fail_msg("%s: %s", list[i].name, cause);
		assert_true(runtime_kernel_valid(list[i].kernel));
		assert_true(list[i].command[0] == '/');
		assert_int_equal(access(list[i].command, X_OK), 0);
		assert_non_null(list[i].version);
		assert_int_equal(list[i].discovered, 1);
		assert_string_not_equal(list[i].name, "R");
		for (j = 0; j < i; j++) {
			assert_string_not_equal(list[i].name, list[j].name);
			if (same_file(list[i].command, list[j].command))
				fail_msg("%s and %s are the same file",
				    list[i].command, list[j].command);
		}
	}
}

static void
test_discover_system(void **state)
{
	const struct runtime	*rt;
	struct runtime		*list;
	size_t			 n;
	char			*want, *line;

	discover("/usr/bin", &list, &n);
	check_list(list, n);

	rt = find(list, n, "python3");
	assert_non_null(rt);
	assert_string_equal(rt->command, "/usr/bin/python3");
	assert_string_equal(rt->kernel, "python3");
	line = first_line("/usr/bin/python3 --version 2>&1");
	assert_true(strncmp(line, "Python ", 7) == 0);
	assert_string_equal(rt->version, line + 7);
	free(line);
	/* python3 is python3.N here: one runtime, named python3. */
	assert_int_equal(count_file(list, n, "/usr/bin/python3"), 1);

	rt = find(list, n, "bash");
	assert_non_null(rt);
	assert_string_equal(rt->kernel, "bash");
	assert_true(same_file(rt->command, "/bin/bash"));
	want = first_line("/bin/bash -c 'echo \"${BASH_VERSINFO[0]}."
	    "${BASH_VERSINFO[1]}.${BASH_VERSINFO[2]}\"'");
	assert_string_equal(rt->version, want);
	free(want);

	/* sh: a runtime of its own unless it is bash under another name. */
	if (!same_file("/bin/sh", "/bin/bash")) {
		rt = find(list, n, "sh");
		assert_non_null(rt);
		assert_string_equal(rt->kernel, "sh");
		assert_true(same_file(rt->command, "/bin/sh"));
		line = realpath("/bin/sh", NULL);
		assert_non_null(line);
		/* dash has no --version. */
		if (strcmp(strrchr(line, '/'), "/dash") == 0)
			assert_string_equal(rt->version, "");
		free(line);
	}

	if (access("/usr/bin/perl", X_OK) == 0) {
		rt = find(list, n, "perl");
		assert_non_null(rt);
		want = first_line("/usr/bin/perl -e 'printf \"%vd\\n\", $^V'");
		assert_string_equal(rt->version, want);
		free(want);
	}
	if (access("/usr/bin/node", X_OK) == 0) {
		rt = find(list, n, "node");
		assert_non_null(rt);
		want = first_line("/usr/bin/node -p process.versions.node");
		assert_string_equal(rt->version, want);
		free(want);
	}
	if (access("/usr/bin/Rscript", X_OK) == 0) {
		rt = find(list, n, "r");
		assert_non_null(rt);
		assert_string_equal(rt->kernel, "r");
		assert_true(rt->version[0] != '\0');
	}
	runtimes_free(list, n);
}

/* A link to python3 earlier on the PATH is the same runtime, not two. */
static void
test_discover_link_no_duplicate(void **state)
{
	struct fixture		*f = *state;
	const struct runtime	*rt;
	struct runtime		*plain, *list;
	size_t			 nplain, n;
	char			*path, *want;

	discover("/usr/bin", &plain, &nplain);
	link_in(f->tmp, "python3", "/usr/bin/python3");
	path = xasprintf("%s:/usr/bin", f->tmp);
	discover(path, &list, &n);
	check_list(list, n);
	assert_int_equal(n, nplain);
	assert_int_equal(count_file(list, n, "/usr/bin/python3"), 1);
	rt = find(list, n, "python3");
	assert_non_null(rt);
	/* Named by the link the user types, the first on the PATH. */
	want = xasprintf("%s/python3", f->tmp);
	assert_string_equal(rt->command, want);
	assert_string_equal(rt->version, find(plain, nplain,
	    "python3")->version);
	free(want);
	runtimes_free(list, n);
	runtimes_free(plain, nplain);
	free(path);
}

/* In one directory python3 comes before python3.N, whatever its order. */
static void
test_discover_python3_first(void **state)
{
	struct fixture		*f = *state;
	const struct runtime	*rt;
	struct runtime		*list;
	size_t			 n;
	char			*want;

	link_in(f->tmp, "python3.11", "/usr/bin/python3");
	link_in(f->tmp, "python3", "/usr/bin/python3");
	discover(f->tmp, &list, &n);
	check_list(list, n);
	assert_int_equal(count_file(list, n, "/usr/bin/python3"), 1);
	rt = find(list, n, "python3");
	assert_non_null(rt);
	want = xasprintf("%s/python3", f->tmp);
	assert_string_equal(rt->command, want);
	free(want);
	assert_true(find(list, n, "python3.11") == NULL ||
	    !same_file(find(list, n, "python3.11")->command,
	    "/usr/bin/python3"));
	runtimes_free(list, n);
}

/*
 * A name is what typing it gives: a python3 earlier on the PATH hides
 * /usr/bin/python3, which is still found by its other name.
 */
static void
test_discover_name_shadowed(void **state)
{
	struct fixture		*f = *state;
	const struct runtime	*rt;
	struct runtime		*list;
	size_t			 n;
	char			*path, *want;

	put(f->tmp, "python3", "#!/bin/sh\necho 'Python 3.99.1'\n", 0755);
	path = xasprintf("%s:/usr/bin", f->tmp);
	discover(path, &list, &n);
	check_list(list, n);
	assert_non_null(rt = find(list, n, "python3"));
	want = xasprintf("%s/python3", f->tmp);
	assert_string_equal(rt->command, want);
	assert_string_equal(rt->version, "3.99.1");
	free(want);
	if (access("/usr/bin/python3.11", X_OK) == 0 &&
	    same_file("/usr/bin/python3", "/usr/bin/python3.11")) {
		assert_non_null(rt = find(list, n, "python3.11"));
		assert_string_equal(rt->command, "/usr/bin/python3.11");
	}
	assert_int_equal(count_file(list, n, "/usr/bin/python3"), 1);
	runtimes_free(list, n);
	free(path);
}

/*
 * Wrappers that cannot run what they wrap, as pyenv's shims for versions
 * not installed, are no runtimes: they exit 127 (or 126).
 */
static void
test_discover_broken_wrapper(void **state)
{
	struct fixture		*f = *state;
	struct runtime		*list, rt;
	size_t			 n;
	char			*cause = NULL;

	put(f->tmp, "python3.6", "#!/bin/sh\necho 'pyenv: python3.6: "
	    "command not found' >&2\nexit 127\n", 0755);
	put(f->tmp, "ruby", "#!/bin/sh\nexit 126\n", 0755);
	put(f->tmp, "julia", "#!/bin/sh\necho 'julia version 1.0.0'\n",
	    0755);
	discover(f->tmp, &list, &n);
	check_list(list, n);
	assert_null(find(list, n, "python3.6"));
	assert_null(find(list, n, "ruby"));
	assert_non_null(find(list, n, "julia"));
	runtimes_free(list, n);

	memset(&rt, 0, sizeof rt);
	rt.name = xstrdup("py36");
	rt.kernel = xstrdup("python3");
	rt.command = xasprintf("%s/python3.6", f->tmp);
	assert_int_equal(runtime_check(&rt, &cause), -1);
	assert_non_null(strstr(cause, "/python3.6 did not run: pyenv: "
	    "python3.6: command not found"));
	assert_null(rt.version);
	free(cause);
	free(rt.command);
	rt.command = xasprintf("%s/ruby", f->tmp);
	assert_int_equal(runtime_check(&rt, &cause), -1);
	assert_non_null(strstr(cause, "/ruby did not run: exit status 126"));
	free(cause);
	runtime_done(&rt);
}

/* The interpreter asked its version sees no more than workloads do. */
static void
test_discover_environment(void **state)
{
	struct fixture		*f = *state;
	const struct runtime	*rt;
	struct runtime		*list;
	size_t			 n;

	put(f->tmp, "ruby", "#!/bin/sh\necho \"ruby 1.${LATHE_KEY:-2}."
	    "${SSH_AUTH_SOCK:-3}.$TERM\"\n", 0755);
	setenv("LATHE_KEY", "666", 1);
	setenv("SSH_AUTH_SOCK", "777", 1);
	discover(f->tmp, &list, &n);
	unsetenv("LATHE_KEY");
	unsetenv("SSH_AUTH_SOCK");
	assert_non_null(rt = find(list, n, "ruby"));
	assert_string_equal(rt->version, "1.2.3");
	runtimes_free(list, n);
}

/* Fakes that print their versions as the real ones do. */
static void
test_discover_fake(void **state)
{
	struct fixture		*f = *state;
	const struct runtime	*rt;
	struct runtime		*list;
	size_t			 n;
	char			*want;

	put(f->tmp, "ruby", "#!/bin/sh\necho 'ruby 9.8.7p1 (2031-01-01 "
	    "revision 4491bb740a) [x86_64-linux-gnu]'\n", 0755);
	/* Rscript writes to stderr. */
	put(f->tmp, "Rscript", "#!/bin/sh\necho 'Rscript (R) version "
	    "4.9.1 (2031-10-31)' >&2\n", 0755);
	put(f->tmp, "python3.99", "#!/bin/sh\necho 'Python 3.99.0'\n", 0755);
	put(f->tmp, "python3.100", "#!/bin/sh\necho 'Python 3.100.1'\n",
	    0755);
	/* Version on the line after a blank one, as perl prints it. */
	put(f->tmp, "julia", "#!/bin/sh\nprintf '\\n  \\njulia version "
	    "1.12.0-beta (3-clause 2.0)\\nversion 0.0.1\\n'\n", 0755);
	/* Not interpreters lathe runs scripts with, or not by these names. */
	put(f->tmp, "R", "#!/bin/sh\necho 'R version 4.9.1'\n", 0755);
	put(f->tmp, "python3.99-config", "#!/bin/sh\necho 1.0\n", 0755);
	put(f->tmp, "python3.x", "#!/bin/sh\necho 1.0\n", 0755);
	put(f->tmp, "python3.", "#!/bin/sh\necho 1.0\n", 0755);
	put(f->tmp, "python3.1234", "#!/bin/sh\necho 1.0\n", 0755);
	put(f->tmp, "python2", "#!/bin/sh\necho 1.0\n", 0755);

	discover(f->tmp, &list, &n);
	check_list(list, n);

	rt = find(list, n, "ruby");
	assert_non_null(rt);
	want = xasprintf("%s/ruby", f->tmp);
	assert_string_equal(rt->command, want);
	free(want);
	assert_string_equal(rt->kernel, "ruby");
	assert_string_equal(rt->version, "9.8.7");

	rt = find(list, n, "r");
	assert_non_null(rt);
	assert_string_equal(rt->kernel, "r");
	assert_string_equal(rt->version, "4.9.1");
	want = xasprintf("%s/Rscript", f->tmp);
	assert_string_equal(rt->command, want);
	free(want);

	rt = find(list, n, "python3.99");
	assert_non_null(rt);
	assert_string_equal(rt->kernel, "python3");
	assert_string_equal(rt->version, "3.99.0");
	rt = find(list, n, "python3.100");
	assert_non_null(rt);
	assert_string_equal(rt->version, "3.100.1");
	/* In the order of N. */
	assert_true(find(list, n, "python3.99") < rt);

	rt = find(list, n, "julia");
	assert_non_null(rt);
	assert_string_equal(rt->version, "1.12.0");

	assert_null(find(list, n, "R"));
	assert_null(find(list, n, "python3.99-config"));
	assert_null(find(list, n, "python3.x"));
	assert_null(find(list, n, "python3."));
	assert_null(find(list, n, "python3.1234"));
	assert_null(find(list, n, "python2"));
	runtimes_free(list, n);
}

/* What prints no version, or fails, is listed with version "". */
static void
test_discover_no_version(void **state)
{
	struct fixture		*f = *state;
	const struct runtime	*rt;
	struct runtime		*list;
	size_t			 n;

	put(f->tmp, "ruby", "#!/bin/sh\necho 'ruby 3.1.2'\nexit 1\n", 0755);
	put(f->tmp, "julia", "#!/bin/sh\necho 'no version here: 12'\n", 0755);
	put(f->tmp, "node", "#!/bin/sh\nkill -9 $$\n", 0755);
	put(f->tmp, "perl", "#!/bin/sh\n", 0755);
	discover(f->tmp, &list, &n);
	check_list(list, n);
	assert_non_null(rt = find(list, n, "ruby"));
	assert_string_equal(rt->version, "");
	assert_non_null(rt = find(list, n, "julia"));
	assert_string_equal(rt->version, "");
	assert_non_null(rt = find(list, n, "node"));
	assert_string_equal(rt->version, "");
	assert_non_null(rt = find(list, n, "perl"));
	assert_string_equal(rt->version, "");
	runtimes_free(list, n);
}

/*
 * Files that are no interpreters are passed over, and the real ones
 * further on the PATH found instead.
 */
static void
test_discover_not_interpreters(void **state)
{
	struct fixture		*f = *state;
	const struct runtime	*rt;
	struct runtime		*list;
	size_t			 n;
	char			*path, *dir;

	put(f->tmp, "perl", "#!/bin/sh\necho 'perl 9.9.9'\n", 0644);
	dir = make_dir(f->tmp, "python3");
	free(dir);
	/* Executable, but neither a binary nor a script with #!. */
	put(f->tmp, "bash", "echo 'GNU bash, version 9.9.9'\n", 0755);
	link_in(f->tmp, "sh", "/nonexistent/dash");
	link_in(f->tmp, "node", "node");	/* a loop */

	path = xasprintf("%s:/usr/bin", f->tmp);
	discover(path, &list, &n);
	check_list(list, n);
	assert_non_null(rt = find(list, n, "python3"));
	assert_string_equal(rt->command, "/usr/bin/python3");
	assert_non_null(rt = find(list, n, "bash"));
	assert_string_equal(rt->command, "/usr/bin/bash");
	assert_string_not_equal(rt->version, "9.9.9");
	if (access("/usr/bin/perl", X_OK) == 0) {
		assert_non_null(rt = find(list, n, "perl"));
		assert_string_equal(rt->command, "/usr/bin/perl");
	}
	if (access("/usr/bin/sh", X_OK) == 0 &&
	    !same_file("/usr/bin/sh", "/usr/bin/bash")) {
		assert_non_null(rt = find(list, n, "sh"));
		assert_string_equal(rt->command, "/usr/bin/sh");
	}
	if (access("/usr/bin/node", X_OK) == 0) {
		assert_non_null(rt = find(list, n, "node"));
		assert_string_equal(rt->command, "/usr/bin/node");
	}
	runtimes_free(list, n);
	free(path);
}

/* Is pid gone, or a zombie nobody has reaped yet? Waits up to 10 s. */
static int
dead(pid_t pid)
{
	char	*path = xasprintf("/proc/%ld/stat", (long)pid);
	char	*line, *close_paren;
	FILE	*fp;
	int	 i, gone = 0;

	for (i = 0; i < 100 && !gone; i++) {
		if ((fp = fopen(path, "r")) == NULL) {
			gone = 1;
			break;
		}
		line = xcalloc(1, 1024);
		if (fgets(line, 1024, fp) != NULL &&
		    (close_paren = strrchr(line, ')')) != NULL &&
		    (close_paren[2] == 'Z' || close_paren[2] == 'X'))
			gone = 1;
		free(line);
		fclose(fp);
		if (!gone)
			usleep(100000);
	}
	free(path);
	return gone;
}

static pid_t
read_pid(const char *dir, const char *name)
{
	char	*path = xasprintf("%s/%s", dir, name);
	FILE	*fp = fopen(path, "r");
	long	 pid = 0;

	assert_non_null(fp);
	assert_int_equal(fscanf(fp, "%ld", &pid), 1);
	fclose(fp);
	free(path);
	return (pid_t)pid;
}

/*
 * Interpreters that hang are cut off, with what they started, and listed
 * with version "": one that prints a version and goes on, one that closes
 * its output first, and one whose child keeps the output open after it
 * exits.
 */
static void
test_discover_hang(void **state)
{
	struct fixture		*f = *state;
	const struct runtime	*rt;
	struct runtime		*list;
	size_t			 n;
	char			*text;
	time_t			 start;
	pid_t			 pid;

	text = xasprintf("#!/bin/sh\nsleep 60 &\necho $! > %s/julia.pid\n"
	    "echo 'julia version 1.2.3'\nwait\n", f->tmp);
	put(f->tmp, "julia", text, 0755);
	free(text);
	text = xasprintf("#!/bin/sh\nexec >&- 2>&-\nsleep 60 &\n"
	    "echo $! > %s/ruby.pid\nwait\n", f->tmp);
	put(f->tmp, "ruby", text, 0755);
	free(text);
	text = xasprintf("#!/bin/sh\nsleep 60 &\necho $! > %s/node.pid\n"
	    "echo 'v1.2.3'\n", f->tmp);
	put(f->tmp, "node", text, 0755);
	free(text);

	start = time(NULL);
	discover(f->tmp, &list, &n);
	/* Not waited out: well under the 60 s they would take. */
	assert_true(time(NULL) - start < 40);
	check_list(list, n);
	assert_non_null(rt = find(list, n, "julia"));
	assert_string_equal(rt->version, "");
	assert_non_null(rt = find(list, n, "ruby"));
	assert_string_equal(rt->version, "");
	/* Finished in time: its version stands, its leftover child goes. */
	assert_non_null(rt = find(list, n, "node"));
	assert_string_equal(rt->version, "1.2.3");
	runtimes_free(list, n);

	pid = read_pid(f->tmp, "julia.pid");
	assert_true(dead(pid));
	pid = read_pid(f->tmp, "ruby.pid");
	assert_true(dead(pid));
	pid = read_pid(f->tmp, "node.pid");
	assert_true(dead(pid));
}

/* A flood of output is capped, drained, and the version still read. */
static void
test_discover_big_output(void **state)
{
	struct fixture		*f = *state;
	const struct runtime	*rt;
	struct runtime		*list;
	size_t			 n;

	put(f->tmp, "ruby", "#!/bin/sh\necho 'ruby 3.3.0'\n"
	    "head -c 4000000 /dev/zero | tr '\\0' x\necho\n", 0755);
	put(f->tmp, "julia", "#!/bin/sh\nhead -c 100000 /dev/zero | "
	    "tr '\\0' ' '\necho 'julia version 1.10.2'\n", 0755);
	discover(f->tmp, &list, &n);
	assert_non_null(rt = find(list, n, "ruby"));
	assert_string_equal(rt->version, "3.3.0");
	/* Its version line came after the first 4 KiB. */
	assert_non_null(rt = find(list, n, "julia"));
	assert_string_equal(rt->version, "");
	runtimes_free(list, n);
}

/*
 * Relative and empty PATH entries (the current directory, wherever lathed
 * happens to be) are not searched; missing directories do no harm.
 */
static void
test_discover_relative_entries(void **state)
{
	struct fixture		*f = *state;
	struct runtime		*list;
	size_t			 n, i;
	char			 cwd[PATH_MAX], *sub;

	put(f->tmp, "ruby", "#!/bin/sh\necho 'ruby 9.9.9'\n", 0755);
	sub = make_dir(f->tmp, "bin");
	put(sub, "julia", "#!/bin/sh\necho 'julia 9.9.9'\n", 0755);
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(f->tmp), 0);
	discover(":.:bin:./bin::/nonexistent:/etc/passwd:/usr/bin/", &list, &n);
	assert_int_equal(chdir(cwd), 0);
	check_list(list, n);
	for (i = 0; i < n; i++) {
		if (strncmp(list[i].command, f->tmp, strlen(f->tmp)) == 0)
			fail_msg("%s found through a relative entry",
			    list[i].command);
		/* "/usr/bin/" is "/usr/bin". */
		assert_null(strstr(list[i].command, "//"));
	}
	runtimes_free(list, n);
	free(sub);
}

static void
test_kernel_for(void **state)
{
	static const struct {
		const char	*script;
		const char	*kernel;
	} table[] = {
		{ "train.py", "python3" },
		{ "src/train.py", "python3" },
		{ "a.b/c.py", "python3" },
		{ "analysis.R", "r" },
		{ "analysis.r", "r" },
		{ "run.sh", "bash" },
		{ "server.js", "node" },
		{ "clean.pl", "perl" },
		{ "fit.jl", "julia" },
		{ "app.rb", "ruby" },
		{ "archive.tar.py", "python3" },
		{ "train", NULL },
		{ "train.", NULL },
		{ "train.pyc", NULL },
		{ "train.PY", NULL },
		{ "train.py.bak", NULL },
		{ "notebook.ipynb", NULL },
		{ "main.c", NULL },
		{ "x.mjs", NULL },
		{ "Makefile", NULL },
		{ ".py", NULL },
		{ "dir/.sh", NULL },
		{ "dir.py/script", NULL },
		{ "", NULL },
	};
	const char	*k;
	size_t		 i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		k = runtime_kernel_for(table[i].script);
		if (table[i].kernel == NULL && k != NULL)
			fail_msg("'%s' gave %s", table[i].script, k);
		if (table[i].kernel != NULL && (k == NULL ||
		    strcmp(k, table[i].kernel) != 0))
			fail_msg("'%s' gave %s, not %s", table[i].script,
			    k ? k : "NULL", table[i].kernel);
		if (k != NULL)
			assert_true(runtime_kernel_valid(k));
	}
}

static void
test_kernel_valid(void **state)
{
	static const char	*good[] = { "python3", "r", "bash", "sh",
	    "node", "perl", "julia", "ruby" };
	static const char	*bad[] = { "", "python", "python2", "Python3",
	    "R", "python3.11", "Rscript", "zsh", "bash ", " sh" };
	size_t			 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(runtime_kernel_valid(good[i]));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (runtime_kernel_valid(bad[i]))
			fail_msg("'%s' accepted", bad[i]);
	}
	assert_false(runtime_kernel_valid(NULL));
}

static void
test_argv(void **state)
{
	struct runtime	 py = { "python3", "python3", "/usr/bin/python3", "",
	    1 };
	struct runtime	 r = { "r", "r", "/usr/bin/Rscript", "", 1 };
	char *const	 args[] = { "--epochs", "10", "a b", "" };
	char		**argv;

	argv = runtime_argv(&py, "src/train.py", args, 4);
	assert_string_equal(argv[0], "/usr/bin/python3");
	assert_string_equal(argv[1], "src/train.py");
	assert_string_equal(argv[2], "--epochs");
	assert_string_equal(argv[3], "10");
	assert_string_equal(argv[4], "a b");
	assert_string_equal(argv[5], "");
	assert_null(argv[6]);
	/* Copies: the arguments may go. */
	assert_ptr_not_equal(argv[2], args[0]);
	runtime_argv_free(argv);

	argv = runtime_argv(&r, "analysis.R", NULL, 0);
	assert_string_equal(argv[0], "/usr/bin/Rscript");
	assert_string_equal(argv[1], "analysis.R");
	assert_null(argv[2]);
	runtime_argv_free(argv);

	argv = runtime_argv(&r, "fit.R", args, 1);
	assert_string_equal(argv[2], "--epochs");
	assert_null(argv[3]);
	runtime_argv_free(argv);
	runtime_argv_free(NULL);
}

static void
test_check_good(void **state)
{
	struct runtime	 rt;
	char		*cause = NULL, *line;

	memset(&rt, 0, sizeof rt);
	rt.name = xstrdup("system-python");
	rt.kernel = xstrdup("python3");
	rt.command = xstrdup("/usr/bin/python3");
	rt.version = xstrdup("stale");
	assert_int_equal(runtime_check(&rt, &cause), 0);
	assert_null(cause);
	line = first_line("/usr/bin/python3 --version 2>&1");
	assert_string_equal(rt.version, line + 7);
	free(line);
	assert_int_equal(rt.discovered, 0);
	runtime_done(&rt);

	/* Through a symbolic link, and with no version to be had. */
	rt.name = xstrdup("dash.0");
	rt.kernel = xstrdup("sh");
	rt.command = xstrdup("/bin/sh");
	assert_int_equal(runtime_check(&rt, &cause), 0);
	assert_non_null(rt.version);
	runtime_done(&rt);
	runtime_done(NULL);
}

static void
test_check_bad(void **state)
{
	struct fixture	*f = *state;
	struct {
		const char	*name;
		const char	*kernel;
		char		*command;
		const char	*want[2];
	} table[] = {
		{ "py", "python3", "python3", { "'python3' is not an absolute "
		    "path", NULL } },
		{ "py", "python3", "./python3", { "absolute", NULL } },
		{ "py", "python3", "bin/python3", { "absolute", NULL } },
		{ "py", "python3", "", { "command is missing", NULL } },
		{ "py", "python3", NULL, { "command is missing", NULL } },
		{ "py", "python3", "/nonexistent/python3", {
		    "/nonexistent/python3", "No such file or directory" } },
		{ "py", "python3", "/usr/bin/python3/x", { "Not a directory",
		    NULL } },
		{ "py", "python3", NULL /* 0644 */, { "is not executable",
		    NULL } },
		{ "py", "python3", "/usr/bin", { "/usr/bin is a directory",
		    NULL } },
		{ "py", "python3", "/dev/null", { "not a regular file",
		    NULL } },
		{ "py", "python3", NULL /* no #! */, { "cannot run",
		    "Exec format error" } },
		{ "py", "python2", "/usr/bin/python3", { "unknown kernel "
		    "'python2'", "python3, r, bash, sh, node, perl, julia or "
		    "ruby" } },
		{ "py", "", "/usr/bin/python3", { "kernel is missing",
		    "python3" } },
		{ "py", NULL, "/usr/bin/python3", { "kernel is missing",
		    NULL } },
		{ "", "python3", "/usr/bin/python3", { "a runtime name must "
		    "not be empty", NULL } },
		{ NULL, "python3", "/usr/bin/python3", { "a runtime name must "
		    "not be empty", NULL } },
		{ "my python", "python3", "/usr/bin/python3", { "a runtime "
		    "name", "not ' '" } },
		{ "311", "python3", "/usr/bin/python3", { "all digits",
		    NULL } },
		{ "-py", "python3", "/usr/bin/python3", { "begin with",
		    NULL } },
		{ "py/3", "python3", "/usr/bin/python3", { "not '/'",
		    NULL } },
	};
	struct runtime	 rt;
	char		*cause, *noexec, *noshebang;
	size_t		 i, j;

	put(f->tmp, "noexec", "#!/bin/sh\necho 1.0\n", 0644);
	put(f->tmp, "noshebang", "echo 1.0\n", 0755);
	noexec = xasprintf("%s/noexec", f->tmp);
	noshebang = xasprintf("%s/noshebang", f->tmp);
	table[7].command = noexec;
	table[10].command = noshebang;
	table[4].command = NULL;

	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		memset(&rt, 0, sizeof rt);
		rt.name = table[i].name ? xstrdup(table[i].name) : NULL;
		rt.kernel = table[i].kernel ? xstrdup(table[i].kernel) : NULL;
		rt.command = table[i].command ? xstrdup(table[i].command) :
		    NULL;
		rt.version = xstrdup("kept");
		cause = NULL;
		if (runtime_check(&rt, &cause) != -1)
			fail_msg("case %zu accepted", i);
		assert_non_null(cause);
		for (j = 0; j < 2 && table[i].want[j] != NULL; j++) {
			if (strstr(cause, table[i].want[j]) == NULL)
				fail_msg("case %zu: '%s' does not say '%s'", i,
				    cause, table[i].want[j]);
		}
		/* Nothing is changed by a failed check. */
		assert_string_equal(rt.version, "kept");
		free(cause);
		runtime_done(&rt);
	}
	free(noexec);
	free(noshebang);
}

static void
test_to_json(void **state)
{
	struct runtime	 rt = { "python3.11", "python3", "/usr/bin/python3.11",
	    "3.11.2", 1 };
	struct runtime	 empty;
	cJSON		*j;
	char		*s;

	j = runtime_to_json(&rt);
	s = cJSON_PrintUnformatted(j);
	assert_string_equal(s, "{\"name\":\"python3.11\",\"kernel\":"
	    "\"python3\",\"command\":\"/usr/bin/python3.11\",\"version\":"
	    "\"3.11.2\",\"discovered\":true}");
	free(s);
	cJSON_Delete(j);

	memset(&empty, 0, sizeof empty);
	j = runtime_to_json(&empty);
	s = cJSON_PrintUnformatted(j);
	assert_string_equal(s, "{\"name\":\"\",\"kernel\":\"\",\"command\":"
	    "\"\",\"version\":\"\",\"discovered\":false}");
	free(s);
	cJSON_Delete(j);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_discover_system),
		T(test_discover_link_no_duplicate),
		T(test_discover_python3_first),
		T(test_discover_name_shadowed),
		T(test_discover_broken_wrapper),
		T(test_discover_environment),
		T(test_discover_fake),
		T(test_discover_no_version),
		T(test_discover_not_interpreters),
		T(test_discover_hang),
		T(test_discover_big_output),
		T(test_discover_relative_entries),
		T(test_kernel_for),
		T(test_kernel_valid),
		T(test_argv),
		T(test_check_good),
		T(test_check_bad),
		T(test_to_json),
#undef T
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
