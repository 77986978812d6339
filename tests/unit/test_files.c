/*
 * Unit tests for core/files.c on a real file system: each test gets a fresh
 * mkdtemp directory holding a project root ("proj") and, beside it, a
 * directory the project must not reach ("outside").
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "files.h"
#include "xmalloc.h"

struct fixture {
	char	*tmp;
	char	*root;		/* canonical */
	char	*outside;
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

/* Remove a test directory without the module under test. */
static void
rm_rf(const char *path)
{
	char	*cmd;

	/* Make everything writable first: some tests remove permissions. */
	cmd = xasprintf("chmod -R u+rwx '%s' 2>/dev/null", path);
	if (system(cmd) == -1)
		fprintf(stderr, "cannot run %s\n", cmd);
	free(cmd);
	nftw(path, rm_one, 16, FTW_PHYS|FTW_DEPTH);
}

static void
put(const char *dir, const char *rel, const char *data, size_t len)
{
	char	*path = xasprintf("%s/%s", dir, rel);
	FILE	*f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(path);
}

static void
puts_file(const char *dir, const char *rel, const char *data)
{
	put(dir, rel, data, strlen(data));
}

static void
mkdir_in(const char *dir, const char *rel)
{
	char	*path = xasprintf("%s/%s", dir, rel);

	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
}

static void
link_in(const char *dir, const char *rel, const char *target)
{
	char	*path = xasprintf("%s/%s", dir, rel);

	assert_int_equal(symlink(target, path), 0);
	free(path);
}

static int
exists(const char *dir, const char *rel)
{
	struct stat	 st;
	char		*path = xasprintf("%s/%s", dir, rel);
	int		 rc = lstat(path, &st) == 0;

	free(path);
	return rc;
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	char		*root;

	f->tmp = xstrdup("/tmp/lathe-test-files.XXXXXX");
	if (mkdtemp(f->tmp) == NULL)
		return -1;
	root = xasprintf("%s/proj", f->tmp);
	f->outside = xasprintf("%s/outside", f->tmp);
	if (mkdir(root, 0755) != 0 || mkdir(f->outside, 0755) != 0)
		return -1;
	f->root = realpath(root, NULL);
	free(root);
	if (f->root == NULL)
		return -1;
	puts_file(f->outside, "secret.txt", "top secret\n");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	rm_rf(f->tmp);
	free(f->tmp);
	free(f->root);
	free(f->outside);
	free(f);
	return 0;
}

/* Call files_check_relative and keep the cause for the asserts. */
static int
check_rel(const char *rel, char **cause)
{
	*cause = NULL;
	return files_check_relative(rel, cause);
}

static void
test_check_relative_good(void **state)
{
	static const char	*good[] = { "a", "a/b", "a/./b", ".hidden",
	    "a..b", "..a", "a/b..", "...", "dir/", "a//b" };
	char			*cause;
	size_t			 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(check_rel(good[i], &cause), 0);
		assert_null(cause);
	}
}

static void
test_check_relative_dotdot(void **state)
{
	static const char	*bad[] = { "..", "../x", "a/../b", "a/..",
	    "a/b/../../..", "./..", "a//..//b" };
	char			*cause, *want;
	size_t			 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(check_rel(bad[i], &cause), FILES_EINVAL);
		want = xasprintf("path '%s' must not contain '..'", bad[i]);
		assert_string_equal(cause, want);
		free(want);
		free(cause);
	}
}

static void
test_check_relative_absolute(void **state)
{
	char	*cause;

	assert_int_equal(check_rel("/etc/passwd", &cause), FILES_EINVAL);
	assert_non_null(strstr(cause, "'/etc/passwd'"));
	assert_non_null(strstr(cause, "relative"));
	free(cause);
	assert_int_equal(check_rel("//x", &cause), FILES_EINVAL);
	free(cause);
}

/* A NUL byte cannot reach these functions inside a C string. */
static void
test_check_relative_empty(void **state)
{
	char	*cause;

	assert_int_equal(check_rel("", &cause), FILES_EINVAL);
	assert_non_null(strstr(cause, "empty"));
	free(cause);
}

static void
test_resolve_root(void **state)
{
	struct fixture	*f = *state;
	char		*out = NULL, *cause = NULL;

	assert_int_equal(files_resolve(f->root, "", &out, &cause), 0);
	assert_string_equal(out, f->root);
	free(out);
	assert_int_equal(files_resolve(f->root, ".", &out, &cause), 0);
	assert_string_equal(out, f->root);
	free(out);
	assert_null(cause);
}

static void
test_resolve_file(void **state)
{
	struct fixture	*f = *state;
	char		*out = NULL, *cause = NULL, *want;

	mkdir_in(f->root, "a");
	puts_file(f->root, "a/b.txt", "b\n");
	assert_int_equal(files_resolve(f->root, "a/b.txt", &out, &cause), 0);
	want = xasprintf("%s/a/b.txt", f->root);
	assert_string_equal(out, want);
	free(out);
	assert_int_equal(files_resolve(f->root, "./a//b.txt", &out, &cause),
	    0);
	assert_string_equal(out, want);
	free(out);
	free(want);
	assert_null(cause);
}

static void
test_resolve_missing(void **state)
{
	struct fixture	*f = *state;
	char		*out = NULL, *cause = NULL;

	assert_int_equal(files_resolve(f->root, "nope", &out, &cause),
	    FILES_ENOENT);
	assert_null(out);
	assert_non_null(strstr(cause, "'nope'"));
	free(cause);

	puts_file(f->root, "file", "x");
	assert_int_equal(files_resolve(f->root, "file/below", &out, &cause),
	    FILES_ENOENT);
	assert_null(out);
	free(cause);
}

static void
test_resolve_dotdot(void **state)
{
	struct fixture	*f = *state;
	char		*out = NULL, *cause = NULL;

	mkdir_in(f->root, "a");
	assert_int_equal(files_resolve(f->root, "a/../a", &out, &cause),
	    FILES_EINVAL);
	assert_null(out);
	assert_string_equal(cause, "path 'a/../a' must not contain '..'");
	free(cause);
	assert_int_equal(files_resolve(f->root, "../outside/secret.txt", &out,
	    &cause), FILES_EINVAL);
	assert_null(out);
	free(cause);
}

static void
test_resolve_absolute(void **state)
{
	struct fixture	*f = *state;
	char		*out = NULL, *cause = NULL;

	assert_int_equal(files_resolve(f->root, f->root, &out, &cause),
	    FILES_EINVAL);
	assert_null(out);
	assert_non_null(strstr(cause, f->root));
	free(cause);
}

static void
test_resolve_link_inside(void **state)
{
	struct fixture	*f = *state;
	char		*out = NULL, *cause = NULL, *want;

	mkdir_in(f->root, "a");
	puts_file(f->root, "a/b.txt", "b\n");
	link_in(f->root, "lb", "a/b.txt");
	link_in(f->root, "la", "a");
	link_in(f->root, "a/up", "../a/b.txt");
	want = xasprintf("%s/a/b.txt", f->root);
	assert_int_equal(files_resolve(f->root, "lb", &out, &cause), 0);
	assert_string_equal(out, want);
	free(out);
	assert_int_equal(files_resolve(f->root, "la/b.txt", &out, &cause), 0);
	assert_string_equal(out, want);
	free(out);
	/* A link may use '..' in its target if it stays inside. */
	assert_int_equal(files_resolve(f->root, "a/up", &out, &cause), 0);
	assert_string_equal(out, want);
	free(out);
	free(want);
	assert_null(cause);
}

static void
test_resolve_link_outside(void **state)
{
	struct fixture	*f = *state;
	char		*out = NULL, *cause = NULL, *target;

	link_in(f->root, "link", f->outside);
	target = xasprintf("%s/secret.txt", f->outside);
	link_in(f->root, "file", target);
	free(target);
	link_in(f->root, "rel", "../outside/secret.txt");
	link_in(f->root, "etc", "/etc/passwd");

	assert_int_equal(files_resolve(f->root, "link", &out, &cause),
	    FILES_EINVAL);
	assert_string_equal(cause, "'link' points outside the project");
	free(cause);
	assert_int_equal(files_resolve(f->root, "link/secret.txt", &out,
	    &cause), FILES_EINVAL);
	free(cause);
	assert_int_equal(files_resolve(f->root, "file", &out, &cause),
	    FILES_EINVAL);
	free(cause);
	assert_int_equal(files_resolve(f->root, "rel", &out, &cause),
	    FILES_EINVAL);
	free(cause);
	assert_int_equal(files_resolve(f->root, "etc", &out, &cause),
	    FILES_EINVAL);
	free(cause);
	/* Not "does not exist": that would tell what lies outside. */
	assert_int_equal(files_resolve(f->root, "link/missing", &out, &cause),
	    FILES_EINVAL);
	assert_string_equal(cause, "'link/missing' points outside the project");
	free(cause);
	assert_null(out);
}

static void
test_list_order(void **state)
{
	struct fixture		*f = *state;
	struct files_entry	*v = NULL;
	struct timespec		 ts[2];
	char			*cause = NULL, *path;
	size_t			 n = 0;
	int			 more = -1;
	static const char	*want[] = { "B", "_", "a", "a b", "b", "dir",
	    "fifo", "link", "\xc3\xa9" };

	puts_file(f->root, "b", "bb");
	puts_file(f->root, "a", "a");
	puts_file(f->root, "B", "");
	puts_file(f->root, "_", "");
	puts_file(f->root, "a b", "");
	puts_file(f->root, "\xc3\xa9", "");
	mkdir_in(f->root, "dir");
	link_in(f->root, "link", f->outside);
	path = xasprintf("%s/fifo", f->root);
	assert_int_equal(mkfifo(path, 0600), 0);
	free(path);
	ts[0].tv_sec = ts[1].tv_sec = 1700000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 123456789;
	path = xasprintf("%s/b", f->root);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
	free(path);

	assert_int_equal(files_list(f->root, "", NULL, 100, &v, &n, &more,
	    &cause), 0);
	assert_null(cause);
	assert_int_equal(n, 9);
	assert_int_equal(more, 0);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v[i].name, want[i]);
	assert_int_equal(v[4].type, FILES_FILE);
	assert_int_equal(v[4].size, 2);
	assert_int_equal(v[4].mtime_ms, 1700000000123LL);
	assert_int_equal(v[5].type, FILES_DIR);
	assert_int_equal(v[6].type, FILES_OTHER);
	/* The link to a directory is listed as a link, not followed. */
	assert_int_equal(v[7].type, FILES_LINK);
	assert_int_equal(v[7].size, strlen(f->outside));
	files_entries_free(v, n);
}

static void
test_list_paging(void **state)
{
	struct fixture		*f = *state;
	struct files_entry	*v;
	char			*cause = NULL, name[16], *after = NULL;
	size_t			 n, i, seen = 0;
	int			 more, pages = 0;

	for (i = 0; i < 25; i++) {
		snprintf(name, sizeof name, "f%02zu", 24 - i);
		puts_file(f->root, name, "x");
	}
	do {
		assert_int_equal(files_list(f->root, ".", after, 10, &v, &n,
		    &more, &cause), 0);
		pages++;
		assert_int_equal(n, pages < 3 ? 10 : 5);
		assert_int_equal(more, pages < 3);
		for (i = 0; i < n; i++) {
			snprintf(name, sizeof name, "f%02zu", seen++);
			assert_string_equal(v[i].name, name);
		}
		free(after);
		after = xstrdup(v[n - 1].name);
		files_entries_free(v, n);
	} while (more);
	free(after);
	assert_int_equal(pages, 3);
	assert_int_equal(seen, 25);

	/* A page that ends exactly at the last name says there is no more. */
	assert_int_equal(files_list(f->root, "", "f14", 10, &v, &n, &more,
	    &cause), 0);
	assert_int_equal(n, 10);
	assert_int_equal(more, 0);
	assert_string_equal(v[0].name, "f15");
	files_entries_free(v, n);

	/* after need not name an entry. */
	assert_int_equal(files_list(f->root, "", "f095", 2, &v, &n, &more,
	    &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(more, 1);
	assert_string_equal(v[0].name, "f10");
	assert_string_equal(v[1].name, "f11");
	files_entries_free(v, n);

	/* limit 0 only says whether there is anything. */
	assert_int_equal(files_list(f->root, "", NULL, 0, &v, &n, &more,
	    &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(more, 1);
	files_entries_free(v, n);
	assert_null(cause);
}

static void
test_list_empty(void **state)
{
	struct fixture		*f = *state;
	struct files_entry	*v = NULL;
	char			*cause = NULL;
	size_t			 n = 99;
	int			 more = -1;

	mkdir_in(f->root, "empty");
	assert_int_equal(files_list(f->root, "empty", NULL, 10, &v, &n, &more,
	    &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(more, 0);
	files_entries_free(v, n);
}

static void
test_list_bad(void **state)
{
	struct fixture		*f = *state;
	struct files_entry	*v = NULL;
	char			*cause = NULL;
	size_t			 n = 0;
	int			 more = 0;

	puts_file(f->root, "file", "x");
	link_in(f->root, "out", f->outside);
	assert_int_equal(files_list(f->root, "file", NULL, 10, &v, &n, &more,
	    &cause), FILES_EINVAL);
	assert_string_equal(cause, "'file' is not a directory");
	free(cause);
	assert_int_equal(files_list(f->root, "nope", NULL, 10, &v, &n, &more,
	    &cause), FILES_ENOENT);
	free(cause);
	assert_int_equal(files_list(f->root, "..", NULL, 10, &v, &n, &more,
	    &cause), FILES_EINVAL);
	free(cause);
	assert_int_equal(files_list(f->root, "out", NULL, 10, &v, &n, &more,
	    &cause), FILES_EINVAL);
	assert_string_equal(cause, "'out' points outside the project");
	free(cause);
	assert_null(v);
}

static void
test_read_small(void **state)
{
	struct fixture		*f = *state;
	struct files_content	 c;
	char			*cause = NULL;

	puts_file(f->root, "hello.py", "print('h\xc3\xa9llo')\n");
	assert_int_equal(files_read(f->root, "hello.py", 0, 4096, &c, &cause),
	    0);
	assert_null(cause);
	assert_string_equal(c.data, "print('h\xc3\xa9llo')\n");
	assert_int_equal(c.len, 16);
	assert_int_equal(c.size, 16);
	assert_int_equal(c.offset, 0);
	assert_int_equal(c.binary, 0);
	assert_int_equal(c.truncated, 0);
	free(c.data);

	/* From an offset, and past the end. */
	assert_int_equal(files_read(f->root, "hello.py", 5, 3, &c, &cause), 0);
	assert_string_equal(c.data, "('h");
	assert_int_equal(c.offset, 5);
	assert_int_equal(c.truncated, 1);
	free(c.data);
	assert_int_equal(files_read(f->root, "hello.py", 100, 10, &c, &cause),
	    0);
	assert_int_equal(c.len, 0);
	assert_string_equal(c.data, "");
	assert_int_equal(c.truncated, 0);
	free(c.data);
}

static void
test_read_large_bounded(void **state)
{
	struct fixture		*f = *state;
	struct files_content	 c;
	char			*cause = NULL, *path, *block;
	uint64_t		 big = 1ULL << 36;	/* 64 GiB, sparse */
	int			 fd;

	/* Text of 1 MiB: a bounded read of it is text and truncated. */
	block = xmalloc(1 << 20);
	memset(block, 'x', 1 << 20);
	put(f->root, "text", block, 1 << 20);
	free(block);
	assert_int_equal(files_read(f->root, "text", 0, 4096, &c, &cause), 0);
	assert_int_equal(c.len, 4096);
	assert_int_equal(strlen(c.data), 4096);
	assert_int_equal(c.size, 1 << 20);
	assert_int_equal(c.truncated, 1);
	assert_int_equal(c.binary, 0);
	free(c.data);
	assert_int_equal(files_read(f->root, "text", (1 << 20) - 100, 4096, &c,
	    &cause), 0);
	assert_int_equal(c.len, 100);
	assert_int_equal(c.truncated, 0);
	free(c.data);

	/*
	 * A sparse file far larger than memory: reading it whole would not
	 * finish; a bounded read must be instant. A huge max must be
	 * bounded by the file, not allocated.
	 */
	path = xasprintf("%s/huge", f->root);
	fd = open(path, O_WRONLY|O_CREAT|O_TRUNC, 0644);
	assert_true(fd != -1);
	if (ftruncate(fd, (off_t)big) != 0) {
		close(fd);
		free(path);
		skip();
	}
	assert_int_equal(pwrite(fd, "tail", 4, (off_t)big - 4), 4);
	close(fd);
	free(path);
	assert_int_equal(files_read(f->root, "huge", 0, 65536, &c, &cause), 0);
	assert_int_equal(c.len, 65536);
	assert_int_equal(c.size, big);
	assert_int_equal(c.truncated, 1);
	assert_int_equal(c.binary, 1);	/* zeros */
	free(c.data);
	assert_int_equal(files_read(f->root, "huge", big - 4, SIZE_MAX, &c,
	    &cause), 0);
	assert_string_equal(c.data, "tail");
	assert_int_equal(c.truncated, 0);
	assert_int_equal(c.binary, 0);
	free(c.data);
	assert_null(cause);
}

/* Read all of rel and return whether it was judged binary. */
static int
read_binary(struct fixture *f, const char *rel, uint64_t off, size_t max,
    int *truncated)
{
	struct files_content	 c;
	char			*cause = NULL;
	int			 binary;

	assert_int_equal(files_read(f->root, rel, off, max, &c, &cause), 0);
	binary = c.binary;
	if (truncated != NULL)
		*truncated = c.truncated;
	free(c.data);
	return binary;
}

static void
test_read_binary_nul(void **state)
{
	struct fixture	*f = *state;

	put(f->root, "nul", "abc\0def", 7);
	assert_int_equal(read_binary(f, "nul", 0, 100, NULL), 1);
	put(f->root, "png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
	assert_int_equal(read_binary(f, "png", 0, 100, NULL), 1);
	/* Past the NUL, the rest is text. */
	assert_int_equal(read_binary(f, "nul", 4, 100, NULL), 0);
}

static void
test_read_binary_utf8(void **state)
{
	struct fixture	*f = *state;

	puts_file(f->root, "ff", "abc\xff");
	assert_int_equal(read_binary(f, "ff", 0, 100, NULL), 1);
	puts_file(f->root, "bad2", "\xc3\x28 text");
	assert_int_equal(read_binary(f, "bad2", 0, 100, NULL), 1);
	puts_file(f->root, "overlong", "\xc0\xaf");
	assert_int_equal(read_binary(f, "overlong", 0, 100, NULL), 1);
	puts_file(f->root, "surrogate", "\xed\xa0\x80");
	assert_int_equal(read_binary(f, "surrogate", 0, 100, NULL), 1);
	puts_file(f->root, "latin1", "caf\xe9 au lait");
	assert_int_equal(read_binary(f, "latin1", 0, 100, NULL), 1);
	puts_file(f->root, "good", "\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9");
	assert_int_equal(read_binary(f, "good", 0, 100, NULL), 0);
}

static void
test_read_utf8_cut(void **state)
{
	struct fixture	*f = *state;
	int		 truncated;

	/* "a€b": the euro sign is 3 bytes, e2 82 ac. */
	puts_file(f->root, "euro", "a\xe2\x82\xac" "b");
	assert_int_equal(read_binary(f, "euro", 0, 2, &truncated), 0);
	assert_int_equal(truncated, 1);
	assert_int_equal(read_binary(f, "euro", 0, 3, &truncated), 0);
	assert_int_equal(truncated, 1);
	/* Starting inside the character is no sign of binary either. */
	assert_int_equal(read_binary(f, "euro", 2, 10, &truncated), 0);
	assert_int_equal(read_binary(f, "euro", 3, 10, &truncated), 0);
	assert_int_equal(truncated, 0);
	/* But a file that really ends inside a character is not text. */
	puts_file(f->root, "cut", "a\xe2\x82");
	assert_int_equal(read_binary(f, "cut", 0, 100, &truncated), 1);
	assert_int_equal(truncated, 0);
}

static void
test_read_not_file(void **state)
{
	struct fixture		*f = *state;
	struct files_content	 c;
	char			*cause = NULL, *path;

	mkdir_in(f->root, "dir");
	assert_int_equal(files_read(f->root, "dir", 0, 10, &c, &cause),
	    FILES_EINVAL);
	assert_string_equal(cause, "'dir' is a directory, not a file");
	free(cause);

	/* A fifo without a writer: opening it for reading would block. */
	path = xasprintf("%s/fifo", f->root);
	assert_int_equal(mkfifo(path, 0600), 0);
	free(path);
	assert_int_equal(files_read(f->root, "fifo", 0, 10, &c, &cause),
	    FILES_EINVAL);
	assert_non_null(strstr(cause, "'fifo'"));
	free(cause);

	link_in(f->root, "null", "/dev/null");
	assert_int_equal(files_read(f->root, "null", 0, 10, &c, &cause),
	    FILES_EINVAL);
	free(cause);

	assert_int_equal(files_read(f->root, "", 0, 10, &c, &cause),
	    FILES_EINVAL);
	free(cause);
	assert_int_equal(files_read(f->root, ".", 0, 10, &c, &cause),
	    FILES_EINVAL);
	free(cause);
}

static void
test_read_bad_path(void **state)
{
	struct fixture		*f = *state;
	struct files_content	 c;
	char			*cause = NULL;

	link_in(f->root, "secret", "../outside/secret.txt");
	link_in(f->root, "out", f->outside);
	memset(&c, 0, sizeof c);
	assert_int_equal(files_read(f->root, "secret", 0, 100, &c, &cause),
	    FILES_EINVAL);
	assert_string_equal(cause, "'secret' points outside the project");
	free(cause);
	assert_int_equal(files_read(f->root, "out/secret.txt", 0, 100, &c,
	    &cause), FILES_EINVAL);
	free(cause);
	assert_int_equal(files_read(f->root, "../outside/secret.txt", 0, 100,
	    &c, &cause), FILES_EINVAL);
	free(cause);
	assert_null(c.data);
	assert_int_equal(files_read(f->root, "missing", 0, 100, &c, &cause),
	    FILES_ENOENT);
	assert_string_equal(cause, "'missing' does not exist");
	free(cause);
}

static void
test_remove_tree(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, *target, *path;

	mkdir_in(f->root, "a");
	mkdir_in(f->root, "a/b");
	puts_file(f->root, "a/b/c.txt", "c");
	puts_file(f->root, "top.txt", "t");
	link_in(f->root, "a/outdir", f->outside);
	target = xasprintf("%s/secret.txt", f->outside);
	link_in(f->root, "a/b/outfile", target);
	free(target);
	link_in(f->root, "dangling", "/nonexistent/x");
	path = xasprintf("%s/fifo", f->root);
	assert_int_equal(mkfifo(path, 0600), 0);
	free(path);

	assert_int_equal(files_remove_tree(f->root, &cause), 0);
	assert_null(cause);
	assert_false(exists(f->tmp, "proj"));
	/* What the links pointed at is untouched. */
	assert_true(exists(f->outside, "secret.txt"));
	assert_true(exists(f->tmp, "outside"));
}

static void
test_remove_tree_link_top(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, *path;

	/* path itself a link to a directory: the link goes, not the dir. */
	link_in(f->root, "l", f->outside);
	path = xasprintf("%s/l", f->root);
	assert_int_equal(files_remove_tree(path, &cause), 0);
	free(path);
	assert_false(exists(f->root, "l"));
	assert_true(exists(f->outside, "secret.txt"));

	/* A trailing slash must not make it follow the link either. */
	link_in(f->root, "l2", f->outside);
	path = xasprintf("%s/l2/", f->root);
	assert_int_equal(files_remove_tree(path, &cause), 0);
	free(path);
	assert_false(exists(f->root, "l2"));
	assert_true(exists(f->outside, "secret.txt"));

	assert_int_equal(files_remove_tree("/", &cause), FILES_EINVAL);
	free(cause);
	assert_int_equal(files_remove_tree("", &cause), FILES_EINVAL);
	free(cause);

	puts_file(f->root, "single", "x");
	path = xasprintf("%s/single", f->root);
	assert_int_equal(files_remove_tree(path, &cause), 0);
	assert_false(exists(f->root, "single"));
	assert_int_equal(files_remove_tree(path, &cause), FILES_ENOENT);
	assert_non_null(strstr(cause, path));
	free(cause);
	free(path);
}

static void
test_remove_tree_readonly(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL, *path;

	mkdir_in(f->root, "ro");
	mkdir_in(f->root, "ro/inner");
	puts_file(f->root, "ro/inner/f", "x");
	path = xasprintf("%s/ro/inner", f->root);
	assert_int_equal(chmod(path, 0500), 0);
	free(path);
	path = xasprintf("%s/ro", f->root);
	assert_int_equal(chmod(path, 0), 0);
	assert_int_equal(files_remove_tree(path, &cause), 0);
	assert_false(exists(f->root, "ro"));
	free(path);
}

/* Deeper than PATH_MAX and than the descriptors a process may open. */
static void
test_remove_tree_deep(void **state)
{
	struct fixture	*f = *state;
	struct rlimit	 old, low;
	char		*cause = NULL, *path;
	int		 fd, next, i;

	fd = open(f->root, O_RDONLY|O_DIRECTORY);
	assert_true(fd != -1);
	for (i = 0; i < 3000; i++) {
		assert_int_equal(mkdirat(fd, "dd", 0755), 0);
		next = openat(fd, "dd", O_RDONLY|O_DIRECTORY);
		assert_true(next != -1);
		close(fd);
		fd = next;
	}
	close(fd);

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = 64;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	path = xasprintf("%s/dd", f->root);
	assert_int_equal(files_remove_tree(path, &cause), 0);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_null(cause);
	assert_false(exists(f->root, "dd"));
	free(path);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_check_relative_good),
		T(test_check_relative_dotdot),
		T(test_check_relative_absolute),
		T(test_check_relative_empty),
		T(test_resolve_root),
		T(test_resolve_file),
		T(test_resolve_missing),
		T(test_resolve_dotdot),
		T(test_resolve_absolute),
		T(test_resolve_link_inside),
		T(test_resolve_link_outside),
		T(test_list_order),
		T(test_list_paging),
		T(test_list_empty),
		T(test_list_bad),
		T(test_read_small),
		T(test_read_large_bounded),
		T(test_read_binary_nul),
		T(test_read_binary_utf8),
		T(test_read_utf8_cut),
		T(test_read_not_file),
		T(test_read_bad_path),
		T(test_remove_tree),
		T(test_remove_tree_link_top),
		T(test_remove_tree_readonly),
		T(test_remove_tree_deep),
#undef T
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
