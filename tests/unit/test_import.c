/*
 * Unit tests for core/import.c on a real file system. The archives are made
 * inside each test with libarchive's write API, so that every hostile entry
 * (escaping names, links out, devices, bombs) is exactly what the test says.
 * Each test works in a fresh mkdtemp directory: tmp/work holds the inputs
 * and the destination tmp/out/proj, so that anything written outside the
 * destination shows up in tmp or tmp/work.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "files.h"
#include "import.h"
#include "xmalloc.h"

struct fixture {
	char	*tmp;
	char	*work;		/* tmp/work */
	char	*dst;		/* tmp/out/proj, not created */
};

/* An archive entry to write; zero fields take the obvious defaults. */
struct ent {
	const char	*path;
	int		 type;		/* AE_IFREG when 0 */
	const char	*data;
	const char	*link;		/* symbolic link target */
	const char	*hard;		/* hard link target */
	int		 perm;		/* 0644 or 0755 when 0 */
	int64_t		 mtime;
	size_t		 repeat;	/* times to write data; 0 is once */
};

#define NENTS(a)	(sizeof (a) / sizeof (a)[0])

static const struct import_opts	opts_default = {
	.max_bytes = 1 << 30,
	.max_entries = 10000,
};

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static void
rm_rf(const char *path)
{
	char	*cmd = xasprintf("chmod -R u+rwx '%s' 2>/dev/null", path);

	if (system(cmd) == -1)
		fprintf(stderr, "cannot run %s\n", cmd);
	free(cmd);
	nftw(path, rm_one, 16, FTW_PHYS|FTW_DEPTH);
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);
	char		*tmp;

	tmp = xstrdup("/tmp/lathe-test-import.XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return -1;
	f->tmp = realpath(tmp, NULL);
	free(tmp);
	if (f->tmp == NULL)
		return -1;
	f->work = xasprintf("%s/work", f->tmp);
	f->dst = xasprintf("%s/proj", f->work);
	if (mkdir(f->work, 0755) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	rm_rf(f->tmp);
	free(f->tmp);
	free(f->work);
	free(f->dst);
	free(f);
	return 0;
}

static char *
path_in(const char *dir, const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

static int
exists(const char *dir, const char *rel)
{
	struct stat	 st;
	char		*path = path_in(dir, rel);
	int		 rc = lstat(path, &st) == 0;

	free(path);
	return rc;
}

static char *
slurp(const char *dir, const char *rel)
{
	char	*path = path_in(dir, rel), *data;
	FILE	*fp = fopen(path, "rb");
	long	 n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	data = xmalloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
	data[n] = '\0';
	fclose(fp);
	free(path);
	return data;
}

static void
put(const char *dir, const char *rel, const char *data)
{
	char	*path = path_in(dir, rel);
	FILE	*fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fputs(data, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

static mode_t
mode_of(const char *dir, const char *rel)
{
	struct stat	 st;
	char		*path = path_in(dir, rel);

	assert_int_equal(lstat(path, &st), 0);
	free(path);
	return st.st_mode;
}

static char *
link_of(const char *dir, const char *rel)
{
	char	 buf[4096], *path = path_in(dir, rel);
	ssize_t	 n = readlink(path, buf, sizeof buf - 1);

	assert_true(n >= 0);
	buf[n] = '\0';
	free(path);
	return xstrdup(buf);
}

/* The names in dir, sorted and joined with spaces. */
static char *
names_in(const char *dir)
{
	struct dirent	**v;
	char		 *s = xstrdup(""), *t;
	int		  n, i;

	n = scandir(dir, &v, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") != 0 &&
		    strcmp(v[i]->d_name, "..") != 0) {
			t = xasprintf("%s%s%s", s, *s ? " " : "",
			    v[i]->d_name);
			free(s);
			s = t;
		}
		free(v[i]);
	}
	free(v);
	return s;
}

/*
 * After a refused import: no destination, nothing new beside it or above
 * it (tmp holds only work, work only the inputs named in inputs).
 */
static void
assert_nothing_made(struct fixture *f, const char *inputs)
{
	char	*s;

	assert_false(exists(f->work, "proj"));
	s = names_in(f->tmp);
	assert_string_equal(s, "work");
	free(s);
	s = names_in(f->work);
	assert_string_equal(s, inputs);
	free(s);
}

/* Write an archive of format "zip", "tar" or "tar.gz" at work/name. */
static void
make_archive(struct fixture *f, const char *name, const char *format,
    const struct ent *ents, size_t n)
{
	struct archive		*a;
	struct archive_entry	*ae;
	char			*path = path_in(f->work, name);
	size_t			 i, k, len, times;
	int			 type;

	a = archive_write_new();
	assert_non_null(a);
	if (strcmp(format, "zip") == 0)
		assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	else {
		assert_int_equal(archive_write_set_format_pax_restricted(a),
		    ARCHIVE_OK);
		if (strcmp(format, "tar.gz") == 0)
			assert_int_equal(archive_write_add_filter_gzip(a),
			    ARCHIVE_OK);
	}
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		type = ents[i].type ? ents[i].type : (int)AE_IFREG;
		len = ents[i].data ? strlen(ents[i].data) : 0;
		times = ents[i].repeat ? ents[i].repeat : 1;
		ae = archive_entry_new();
		archive_entry_set_pathname(ae, ents[i].path);
		archive_entry_set_filetype(ae, (unsigned)type);
		archive_entry_set_perm(ae, ents[i].perm ? ents[i].perm :
		    type == AE_IFDIR ? 0755 : 0644);
		archive_entry_set_mtime(ae, ents[i].mtime ? ents[i].mtime :
		    1600000000, 0);
		if (ents[i].link != NULL)
			archive_entry_set_symlink(ae, ents[i].link);
		if (ents[i].hard != NULL)
			archive_entry_set_hardlink(ae, ents[i].hard);
		if (type == AE_IFCHR)
			archive_entry_set_rdev(ae, makedev(1, 3));
		archive_entry_set_size(ae, (type == AE_IFREG &&
		    ents[i].hard == NULL) ? (la_int64_t)(len * times) : 0);
		assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
		if (type == AE_IFREG && len > 0 && ents[i].hard == NULL) {
			for (k = 0; k < times; k++)
				assert_int_equal(archive_write_data(a,
				    ents[i].data, len), (la_ssize_t)len);
		}
		archive_entry_free(ae);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	free(path);
}

/* Import work/name into dst; return import_archive's result. */
static int
run_import(struct fixture *f, const char *name,
    const struct import_opts *opts, char **cause)
{
	char	*path = path_in(f->work, name);
	int	 rc;

	*cause = NULL;
	rc = import_archive(path, f->dst, opts, cause);
	free(path);
	if (rc == 0)
		assert_null(*cause);
	else
		assert_non_null(*cause);
	return rc;
}

/* Make an archive of ents, expect it refused with a cause containing want. */
static void
expect_refused(struct fixture *f, const char *format, const struct ent *ents,
    size_t n, const struct import_opts *opts, const char *want)
{
	char	*cause, *name = xasprintf("a.%s", format);

	make_archive(f, name, format, ents, n);
	assert_int_equal(run_import(f, name, opts, &cause), -1);
	if (strstr(cause, want) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, want);
	free(cause);
	assert_nothing_made(f, name);
	free(name);
}

static void
test_archive_zip_good(void **state)
{
	struct fixture		*f = *state;
	static const struct ent	 ents[] = {
		{ .path = "proj/", .type = AE_IFDIR },
		{ .path = "proj/a.txt", .data = "hello\n" },
		{ .path = "proj/run.sh", .data = "#!/bin/sh\n", .perm = 0755,
		    .mtime = 1234567890 },
		{ .path = "proj/sub/deep/b.txt", .data = "b" },
		{ .path = "proj/link", .type = AE_IFLNK, .link = "a.txt" },
		{ .path = "proj/sub/deep/up", .type = AE_IFLNK,
		    .link = "../../a.txt" },
	};
	struct stat		 st;
	char			*cause, *s, *p;

	make_archive(f, "good.zip", "zip", ents, NENTS(ents));
	assert_int_equal(run_import(f, "good.zip", &opts_default, &cause), 0);
	s = slurp(f->dst, "proj/a.txt");
	assert_string_equal(s, "hello\n");
	free(s);
	s = slurp(f->dst, "proj/sub/deep/b.txt");
	assert_string_equal(s, "b");
	free(s);
	assert_int_equal(mode_of(f->dst, "proj/run.sh") & 0777, 0755);
	assert_int_equal(mode_of(f->dst, "proj/a.txt") & 0777, 0644);
	p = path_in(f->dst, "proj/run.sh");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mtime, 1234567890);
	free(p);
	assert_true(S_ISLNK(mode_of(f->dst, "proj/link")));
	s = link_of(f->dst, "proj/link");
	assert_string_equal(s, "a.txt");
	free(s);
	s = slurp(f->dst, "proj/sub/deep/up");
	assert_string_equal(s, "hello\n");
	free(s);
	s = names_in(f->work);
	assert_string_equal(s, "good.zip proj");
	free(s);
}

static void
test_archive_targz_good(void **state)
{
	struct fixture		*f = *state;
	static const struct ent	 ents[] = {
		{ .path = "./", .type = AE_IFDIR },
		{ .path = "./data/", .type = AE_IFDIR, .perm = 0750 },
		{ .path = "./data/x.csv", .data = "a,b\n1,2\n" },
		{ .path = "./data/y.csv", .hard = "./data/x.csv" },
		{ .path = "train.py", .data = "print(1)\n", .perm = 0700 },
	};
	struct stat		 a, b;
	char			*cause, *s, *p;

	make_archive(f, "good.tar.gz", "tar.gz", ents, NENTS(ents));
	assert_int_equal(run_import(f, "good.tar.gz", &opts_default, &cause),
	    0);
	s = slurp(f->dst, "data/x.csv");
	assert_string_equal(s, "a,b\n1,2\n");
	free(s);
	s = slurp(f->dst, "data/y.csv");
	assert_string_equal(s, "a,b\n1,2\n");
	free(s);
	p = path_in(f->dst, "data/x.csv");
	assert_int_equal(stat(p, &a), 0);
	free(p);
	p = path_in(f->dst, "data/y.csv");
	assert_int_equal(stat(p, &b), 0);
	free(p);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_int_equal(mode_of(f->dst, "data") & 0777, 0750);
	assert_int_equal(mode_of(f->dst, "train.py") & 0777, 0700);
	s = names_in(f->dst);
	assert_string_equal(s, "data train.py");
	free(s);
}

static void
test_archive_dotdot(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "ok.txt", .data = "fine" },
		{ .path = "../evil.txt", .data = "evil" },
	};

	expect_refused(*state, "zip", ents, NENTS(ents), &opts_default,
	    "archive entry '../evil.txt' escapes the project "
	    "(contains '..')");
}

static void
test_archive_dotdot_inner(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "a/b/../../../../x", .data = "evil" },
	};

	expect_refused(*state, "tar", ents, NENTS(ents), &opts_default,
	    "'a/b/../../../../x' escapes the project");
}

static void
test_archive_absolute(void **state)
{
	struct fixture		*f = *state;
	struct ent		 ents[] = {
		{ .path = "ok.txt", .data = "fine" },
		{ .path = NULL, .data = "evil" },
	};
	char			*abs = path_in(f->tmp, "abs.txt"), *want;

	ents[1].path = abs;
	want = xasprintf("archive entry '%s' has an absolute path", abs);
	expect_refused(f, "zip", ents, NENTS(ents), &opts_default, want);
	free(want);
	free(abs);
}

static void
test_archive_symlink_absolute(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "passwd", .type = AE_IFLNK, .link = "/etc/passwd" },
	};

	expect_refused(*state, "zip", ents, NENTS(ents), &opts_default,
	    "archive entry 'passwd' is a symbolic link to an absolute path "
	    "('/etc/passwd')");
}

static void
test_archive_symlink_dotdot(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "a/", .type = AE_IFDIR },
		{ .path = "a/x", .type = AE_IFLNK, .link = "../../x" },
	};

	expect_refused(*state, "zip", ents, NENTS(ents), &opts_default,
	    "archive entry 'a/x' is a symbolic link that points outside the "
	    "project ('../../x')");
}

static void
test_archive_symlink_dotdot_top(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "x", .type = AE_IFLNK, .link = "sub/../../x" },
	};

	expect_refused(*state, "tar.gz", ents, NENTS(ents), &opts_default,
	    "points outside the project");
}

/* Each link is harmless lexically; together they lead out. */
static void
test_archive_symlink_chain(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "x/b", .type = AE_IFLNK, .link = ".." },
		{ .path = "x/a", .type = AE_IFLNK, .link = "b/../../etc" },
	};

	expect_refused(*state, "tar", ents, NENTS(ents), &opts_default,
	    "archive entry 'x/a' is a symbolic link that points outside");
}

static void
test_archive_symlink_loop(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "l1", .type = AE_IFLNK, .link = "l2" },
		{ .path = "l2", .type = AE_IFLNK, .link = "l1" },
	};

	expect_refused(*state, "tar", ents, NENTS(ents), &opts_default,
	    "too many levels");
}

static void
test_archive_root_entry(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "./", .type = AE_IFLNK, .link = ".." },
	};

	expect_refused(*state, "tar", ents, NENTS(ents), &opts_default,
	    "archive entry './' would replace the project directory");
}

static void
test_archive_through_symlink(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "sub/", .type = AE_IFDIR },
		{ .path = "l", .type = AE_IFLNK, .link = "sub" },
		{ .path = "l/f.txt", .data = "via link" },
	};

	expect_refused(*state, "tar", ents, NENTS(ents), &opts_default,
	    "archive entry 'l/f.txt' is inside symbolic link 'l'");
}

static void
test_archive_hardlink_out(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "ok.txt", .data = "fine" },
		{ .path = "h", .hard = "../outside" },
	};

	expect_refused(*state, "tar", ents, NENTS(ents), &opts_default,
	    "archive entry 'h' is a hard link to '../outside', which escapes "
	    "the project");
}

static void
test_archive_hardlink_absolute(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "h", .hard = "/etc/passwd" },
	};

	expect_refused(*state, "tar", ents, NENTS(ents), &opts_default,
	    "has an absolute path");
}

static void
test_archive_hardlink_missing(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "d/", .type = AE_IFDIR },
		{ .path = "h", .hard = "nothere" },
	};

	expect_refused(*state, "tar", ents, NENTS(ents), &opts_default,
	    "archive entry 'h' is a hard link to 'nothere', which is not a "
	    "file earlier in the archive");
}

static void
test_archive_chardev(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "ok.txt", .data = "fine" },
		{ .path = "dev/null", .type = AE_IFCHR },
	};

	expect_refused(*state, "tar", ents, NENTS(ents), &opts_default,
	    "archive entry 'dev/null' is a device file");
}

static void
test_archive_fifo(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "pipe", .type = AE_IFIFO },
	};

	expect_refused(*state, "tar.gz", ents, NENTS(ents), &opts_default,
	    "archive entry 'pipe' is a fifo");
}

static void
test_archive_too_big(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "a", .data = "0123456789", .repeat = 40 },
		{ .path = "b", .data = "0123456789", .repeat = 40 },
		{ .path = "c", .data = "0123456789", .repeat = 40 },
	};
	struct import_opts	 opts = opts_default;

	opts.max_bytes = 1000;
	expect_refused(*state, "zip", ents, NENTS(ents), &opts,
	    "archive expands past the 1000 bytes limit");
}

/* The cap is on bytes, not on entries: exactly max_bytes is allowed. */
static void
test_archive_limit_exact(void **state)
{
	static const struct ent	 ents[] = {
		{ .path = "a", .data = "0123456789", .repeat = 40 },
	};
	struct fixture		*f = *state;
	struct import_opts	 opts = opts_default;
	char			*cause;

	opts.max_bytes = 400;
	make_archive(f, "a.tar", "tar", ents, NENTS(ents));
	assert_int_equal(run_import(f, "a.tar", &opts, &cause), 0);
	rm_rf(f->dst);
	opts.max_bytes = 399;
	assert_int_equal(run_import(f, "a.tar", &opts, &cause), -1);
	assert_string_equal(cause, "archive expands past the 399 bytes limit");
	free(cause);
	opts.max_bytes = 300;
	assert_int_equal(run_import(f, "a.tar", &opts, &cause), -1);
	free(cause);
	assert_nothing_made(f, "a.tar");
}

/* Patch the 32-bit little-endian sizes a zip declares for its entries. */
static void
zip_lie_about_size(const char *path, uint32_t size)
{
	unsigned char	*p;
	FILE		*fp = fopen(path, "r+b");
	long		 n, i;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	p = xmalloc((size_t)n);
	assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
	for (i = 0; i + 30 < n; i++) {
		if (memcmp(p + i, "PK\3\4", 4) == 0 && (p[i + 6] & 8) == 0) {
			p[i + 22] = size & 0xff;
			p[i + 23] = (size >> 8) & 0xff;
			p[i + 24] = p[i + 25] = 0;
		} else if (memcmp(p + i, "PK\7\10", 4) == 0) {
			p[i + 12] = size & 0xff;
			p[i + 13] = (size >> 8) & 0xff;
			p[i + 14] = p[i + 15] = 0;
		} else if (memcmp(p + i, "PK\1\2", 4) == 0) {
			p[i + 24] = size & 0xff;
			p[i + 25] = (size >> 8) & 0xff;
			p[i + 26] = p[i + 27] = 0;
		}
	}
	rewind(fp);
	assert_int_equal(fwrite(p, 1, (size_t)n, fp), (size_t)n);
	assert_int_equal(fclose(fp), 0);
	free(p);
}

/* A zip that declares 100 bytes but inflates to 1 MiB: the real count. */
static void
test_archive_size_lie(void **state)
{
	struct fixture		*f = *state;
	struct ent		 ents[] = {
		{ .path = "bomb", .data = "AAAAAAAAAAAAAAAA", .repeat = 65536 },
	};
	struct import_opts	 opts = opts_default;
	char			*cause, *path;

	opts.max_bytes = 64 * 1024;
	make_archive(f, "bomb.zip", "zip", ents, NENTS(ents));
	path = path_in(f->work, "bomb.zip");
	zip_lie_about_size(path, 100);
	free(path);
	assert_int_equal(run_import(f, "bomb.zip", &opts, &cause), -1);
	assert_string_equal(cause, "archive expands past the 64.0 KiB limit");
	free(cause);
	assert_nothing_made(f, "bomb.zip");
}

static void
test_archive_too_many_entries(void **state)
{
	struct fixture		*f = *state;
	struct ent		 ents[12];
	struct import_opts	 opts = opts_default;
	char			 names[12][8];
	size_t			 i;

	for (i = 0; i < NENTS(ents); i++) {
		snprintf(names[i], sizeof names[i], "f%zu", i);
		memset(&ents[i], 0, sizeof ents[i]);
		ents[i].path = names[i];
		ents[i].data = "x";
	}
	opts.max_entries = 10;
	expect_refused(f, "zip", ents, NENTS(ents), &opts,
	    "archive has more than 10 entries");
}

static void
test_archive_not_archive(void **state)
{
	struct fixture	*f = *state;
	char		*cause;

	put(f->work, "x.txt", "just some text, not an archive\n");
	assert_int_equal(run_import(f, "x.txt", &opts_default, &cause), -1);
	assert_true(strncmp(cause, "x.txt is not a zip or tar archive: ",
	    35) == 0);
	free(cause);
	assert_nothing_made(f, "x.txt");

	put(f->work, "empty.zip", "");
	assert_int_equal(run_import(f, "empty.zip", &opts_default, &cause),
	    -1);
	assert_non_null(strstr(cause, "empty.zip is not a zip or tar archive"));
	free(cause);
	assert_nothing_made(f, "empty.zip x.txt");
}

/* An mtree "archive" would have the reader open files on this machine. */
static void
test_archive_mtree(void **state)
{
	struct fixture	*f = *state;
	char		*cause;

	put(f->work, "m.mtree", "#mtree\npasswd type=file "
	    "contents=/etc/passwd\n");
	assert_int_equal(run_import(f, "m.mtree", &opts_default, &cause), -1);
	assert_non_null(strstr(cause, "is not a zip or tar archive"));
	free(cause);
	assert_nothing_made(f, "m.mtree");
}

static void
test_archive_dst_exists(void **state)
{
	struct fixture		*f = *state;
	static const struct ent	 ents[] = {
		{ .path = "a.txt", .data = "a" },
	};
	char			*cause, *s;

	make_archive(f, "a.zip", "zip", ents, NENTS(ents));
	assert_int_equal(mkdir(f->dst, 0755), 0);
	put(f->dst, "keep", "mine");
	assert_int_equal(run_import(f, "a.zip", &opts_default, &cause), -1);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
	/* Refused, and what was there is left alone. */
	s = names_in(f->dst);
	assert_string_equal(s, "keep");
	free(s);
}

static void
test_archive_missing(void **state)
{
	struct fixture	*f = *state;
	char		*cause;

	assert_int_equal(run_import(f, "nope.zip", &opts_default, &cause), -1);
	assert_non_null(strstr(cause, "nope.zip"));
	free(cause);
	assert_nothing_made(f, "");
}

/* The source tree for the copy tests: work/src. */
static char *
make_src(struct fixture *f)
{
	struct timespec	 ts[2];
	char		*src = path_in(f->work, "src"), *p;

	assert_int_equal(mkdir(src, 0755), 0);
	put(src, "a.txt", "alpha\n");
	put(src, "run.sh", "#!/bin/sh\necho hi\n");
	p = path_in(src, "run.sh");
	assert_int_equal(chmod(p, 0750), 0);
	ts[0].tv_sec = ts[1].tv_sec = 1500000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	free(p);
	p = path_in(src, "sub");
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	put(src, "sub/b.txt", "beta\n");
	p = path_in(src, "link");
	assert_int_equal(symlink("sub/b.txt", p), 0);
	free(p);
	p = path_in(src, "outlink");
	assert_int_equal(symlink("/etc", p), 0);
	free(p);
	p = path_in(src, "fifo");
	assert_int_equal(mkfifo(p, 0600), 0);
	free(p);
	p = path_in(src, "sub");
	ts[0].tv_sec = ts[1].tv_sec = 1400000000;
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	free(p);
	return src;
}

static void
test_copy(void **state)
{
	struct fixture	*f = *state;
	struct stat	 st;
	char		*src = make_src(f), *cause = NULL, *s, *p;

	assert_int_equal(import_copy(src, f->dst, &opts_default, &cause), 0);
	assert_null(cause);
	s = names_in(f->dst);
	assert_string_equal(s, "a.txt link outlink run.sh sub");
	free(s);
	s = slurp(f->dst, "sub/b.txt");
	assert_string_equal(s, "beta\n");
	free(s);
	assert_int_equal(mode_of(f->dst, "run.sh") & 0777, 0750);
	assert_int_equal(mode_of(f->dst, "sub") & 0777, 0700);
	p = path_in(f->dst, "run.sh");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mtime, 1500000000);
	free(p);
	p = path_in(f->dst, "sub");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mtime, 1400000000);
	free(p);
	assert_true(S_ISLNK(mode_of(f->dst, "link")));
	s = link_of(f->dst, "link");
	assert_string_equal(s, "sub/b.txt");
	free(s);
	/* Copied as a link, not followed. */
	s = link_of(f->dst, "outlink");
	assert_string_equal(s, "/etc");
	free(s);
	free(src);
}

static void
test_copy_max_bytes(void **state)
{
	struct fixture		*f = *state;
	struct import_opts	 opts = opts_default;
	char			*src = make_src(f), *cause = NULL;

	opts.max_bytes = 10;
	assert_int_equal(import_copy(src, f->dst, &opts, &cause), -1);
	assert_non_null(strstr(cause, "is larger than the 10 bytes limit"));
	free(cause);
	assert_nothing_made(f, "src");
	free(src);
}

static void
test_copy_max_entries(void **state)
{
	struct fixture		*f = *state;
	struct import_opts	 opts = opts_default;
	char			*src = make_src(f), *cause = NULL;

	opts.max_entries = 3;
	assert_int_equal(import_copy(src, f->dst, &opts, &cause), -1);
	assert_non_null(strstr(cause, "has more than 3 files and directories"));
	free(cause);
	assert_nothing_made(f, "src");
	free(src);
}

/* A copy made inside its own source must not copy itself forever. */
static void
test_copy_into_itself(void **state)
{
	struct fixture	*f = *state;
	char		*src = make_src(f), *dst, *cause = NULL, *s;

	dst = path_in(src, "copy");
	assert_int_equal(import_copy(src, dst, &opts_default, &cause), 0);
	s = names_in(dst);
	assert_string_equal(s, "a.txt link outlink run.sh sub");
	free(s);
	free(dst);
	free(src);
}

static void
test_copy_bad(void **state)
{
	struct fixture	*f = *state;
	char		*src = make_src(f), *cause = NULL, *p;

	p = path_in(src, "a.txt");
	assert_int_equal(import_copy(p, f->dst, &opts_default, &cause), -1);
	assert_non_null(strstr(cause, "is not a directory"));
	free(cause);
	free(p);
	p = path_in(f->work, "nope");
	assert_int_equal(import_copy(p, f->dst, &opts_default, &cause), -1);
	free(cause);
	free(p);
	assert_nothing_made(f, "src");

	p = path_in(f->work, "no/such/parent");
	assert_int_equal(import_copy(src, p, &opts_default, &cause), -1);
	assert_non_null(strstr(cause, "parent"));
	free(cause);
	free(p);

	assert_int_equal(import_copy(src, src, &opts_default, &cause), -1);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
	assert_true(exists(src, "a.txt"));
	free(src);
}

static int
have_git(void)
{
	return system("git --version >/dev/null 2>&1") == 0;
}

static void
test_git_clone(void **state)
{
	struct fixture	*f = *state;
	char		*cmd, *repo, *cause = NULL, *s;

	if (!have_git())
		skip();
	repo = path_in(f->work, "repo");
	cmd = xasprintf("cd '%s' && git init -q repo && cd repo && "
	    "echo hello > f.txt && git add f.txt && "
	    "git -c user.name=t -c user.email=t@example.com "
	    "commit -q -m init", f->work);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(import_git(repo, f->dst, &opts_default, &cause), 0);
	assert_null(cause);
	s = slurp(f->dst, "f.txt");
	assert_string_equal(s, "hello\n");
	free(s);
	assert_true(exists(f->dst, ".git"));
	free(repo);
}

static void
test_git_missing_repo(void **state)
{
	struct fixture	*f = *state;
	char		*repo, *cause = NULL;

	if (!have_git())
		skip();
	repo = path_in(f->work, "nope");
	assert_int_equal(import_git(repo, f->dst, &opts_default, &cause), -1);
	assert_true(strncmp(cause, "git clone failed: ", 18) == 0);
	if (strstr(cause, "does not exist") == NULL &&
	    strstr(cause, "not a git repository") == NULL)
		fail_msg("unexpected cause \"%s\"", cause);
	free(cause);
	free(repo);
	assert_nothing_made(f, "");
}

static void
test_git_bad_url(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(import_git("--upload-pack=touch /tmp/pwned", f->dst,
	    &opts_default, &cause), -1);
	assert_string_equal(cause, "git URL '--upload-pack=touch /tmp/pwned' "
	    "must not start with '-'");
	free(cause);
	assert_int_equal(import_git("", f->dst, &opts_default, &cause), -1);
	assert_non_null(strstr(cause, "empty"));
	free(cause);
	assert_nothing_made(f, "");
}

/* A stand-in for git, to see what it is given and how it is treated. */
static char *
fake_git(struct fixture *f, const char *body)
{
	char	*path = path_in(f->tmp, "fakegit"), *script;

	script = xasprintf("#!/bin/sh\n%s\n", body);
	put(f->tmp, "fakegit", script);
	free(script);
	assert_int_equal(chmod(path, 0755), 0);
	return path;
}

static void
test_git_env_and_stderr(void **state)
{
	struct fixture		*f = *state;
	struct import_opts	 opts = opts_default;
	char			*cause = NULL;

	/* No prompts, stdin /dev/null, arguments after "--". */
	opts.git = fake_git(f,
	    "echo \"  prompt=$GIT_TERMINAL_PROMPT askpass=$GIT_ASKPASS\" >&2\n"
	    "if read line; then echo stdin-has-data >&2; fi\n"
	    "for a; do last2=$last; last=$a; done\n"
	    "[ \"$last2\" = u ] && echo args-ok >&2\n"
	    "echo >&2\n"
	    "exit 3");
	assert_int_equal(import_git("u", f->dst, &opts, &cause), -1);
	assert_string_equal(cause, "git clone failed: prompt=0 "
	    "askpass=/bin/true\nargs-ok");
	free(cause);
	free((char *)opts.git);
	assert_false(exists(f->work, "proj"));
}

static void
test_git_stderr_capped(void **state)
{
	struct fixture		*f = *state;
	struct import_opts	 opts = opts_default;
	char			*cause = NULL;

	opts.git = fake_git(f,
	    "i=0; while [ $i -lt 2000 ]; do "
	    "echo 'remote: a line of chatter that goes on and on' >&2; "
	    "i=$((i+1)); done\n"
	    "echo 'fatal: the end' >&2\n"
	    "exit 128");
	assert_int_equal(import_git("u", f->dst, &opts, &cause), -1);
	assert_true(strlen(cause) <= strlen("git clone failed: ") + 16384);
	assert_non_null(strstr(cause, "fatal: the end"));
	free(cause);
	free((char *)opts.git);
	assert_false(exists(f->work, "proj"));
}

static void
test_git_timeout(void **state)
{
	struct fixture		*f = *state;
	struct import_opts	 opts = opts_default;
	struct timespec		 t0, t1;
	char			*cause = NULL;

	opts.git = fake_git(f, "sleep 30");
	opts.git_timeout_s = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(import_git("u", f->dst, &opts, &cause), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_string_equal(cause, "git clone timed out after 1 seconds");
	free(cause);
	assert_true(t1.tv_sec - t0.tv_sec < 10);
	free((char *)opts.git);
	assert_false(exists(f->work, "proj"));
}

static void
test_git_not_found(void **state)
{
	struct fixture		*f = *state;
	struct import_opts	 opts = opts_default;
	char			*cause = NULL;

	opts.git = "/nonexistent/bin/git";
	assert_int_equal(import_git("u", f->dst, &opts, &cause), -1);
	assert_string_equal(cause, "cannot run /nonexistent/bin/git: No such "
	    "file or directory");
	free(cause);
	assert_nothing_made(f, "");
}

static void
test_git_dst_exists(void **state)
{
	struct fixture	*f = *state;
	char		*cause = NULL;

	assert_int_equal(mkdir(f->dst, 0755), 0);
	put(f->dst, "keep", "mine");
	assert_int_equal(import_git("/nonexistent/repo", f->dst, &opts_default,
	    &cause), -1);
	assert_non_null(strstr(cause, "already exists"));
	free(cause);
	assert_true(exists(f->dst, "keep"));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_archive_zip_good),
		T(test_archive_targz_good),
		T(test_archive_dotdot),
		T(test_archive_dotdot_inner),
		T(test_archive_absolute),
		T(test_archive_symlink_absolute),
		T(test_archive_symlink_dotdot),
		T(test_archive_symlink_dotdot_top),
		T(test_archive_symlink_chain),
		T(test_archive_symlink_loop),
		T(test_archive_root_entry),
		T(test_archive_through_symlink),
		T(test_archive_hardlink_out),
		T(test_archive_hardlink_absolute),
		T(test_archive_hardlink_missing),
		T(test_archive_chardev),
		T(test_archive_fifo),
		T(test_archive_too_big),
		T(test_archive_limit_exact),
		T(test_archive_size_lie),
		T(test_archive_too_many_entries),
		T(test_archive_not_archive),
		T(test_archive_mtree),
		T(test_archive_dst_exists),
		T(test_archive_missing),
		T(test_copy),
		T(test_copy_max_bytes),
		T(test_copy_max_entries),
		T(test_copy_into_itself),
		T(test_copy_bad),
		T(test_git_clone),
		T(test_git_missing_repo),
		T(test_git_bad_url),
		T(test_git_env_and_stderr),
		T(test_git_stderr_capped),
		T(test_git_timeout),
		T(test_git_not_found),
		T(test_git_dst_exists),
#undef T
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
