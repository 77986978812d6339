/*
 * Filling a new project directory from an archive, a directory or a git
 * repository. An archive is read twice: the first pass looks at every entry
 * and refuses the whole archive if any of them could write outside the
 * project (absolute paths, '..', links that lead out, devices) or if it is
 * too big; only then does the second pass extract, under the same checks
 * again and with libarchive's own guards, counting the bytes really written
 * because declared sizes can lie. Nothing here changes the current
 * directory or keeps state between calls, so imports may run on worker
 * threads; whatever fails, the half-made destination is removed.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "files.h"
#include "import.h"
#include "log.h"
#include "xmalloc.h"

extern char **environ;

#define IMPORT_BLOCK		65536
#define IMPORT_LINK_HOPS	40	/* as the kernel's MAXSYMLINKS */
#define IMPORT_COPY_DEPTH	256
#define IMPORT_GIT_ERR_MAX	(16 * 1024)
#define IMPORT_NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* One archive entry as the checks see it. */
struct import_entry {
	char	*path;		/* cleaned: relative, no '.', '..' or '//' */
	char	*raw;		/* the name as the archive gives it */
	char	*link;		/* symlink target as stored; clean hard link */
	int	 type;		/* AE_IFREG, AE_IFDIR or AE_IFLNK */
	int	 hard;
};

/*
 * The archive's entries in order, and a hash from each path to the last
 * entry with that path: what the tree will hold once extracted.
 */
struct import_tree {
	struct import_entry	*v;
	size_t			 n;
	size_t			 cap;
	size_t			*slots;	/* 1 + index into v; 0 is free */
	size_t			 nslots;
	size_t			 used;
};

/* What a directory copy has done so far. */
struct import_copy {
	const struct import_opts	*opts;
	const char			*src;
	dev_t				 dst_dev;
	ino_t				 dst_ino;
	uint64_t			 bytes;
	uint64_t			 entries;
	char				*block;
};

static char	*import_size(uint64_t);
static const char *import_base(const char *);
static int	 import_make_dst(const char *, char **, char **);
static void	 import_undo(const char *);
static const char *import_clean(const char *, char **);
static uint64_t	 import_hash(const char *, size_t);
static size_t	 import_find(struct import_tree *, const char *, size_t);
static void	 import_add(struct import_tree *, struct import_entry *);
static void	 import_entry_done(struct import_entry *);
static void	 import_tree_done(struct import_tree *);
static int	 import_entry_read(struct archive_entry *, size_t,
		     struct import_entry *, char **);
static const char *import_through_link(struct import_tree *, const char *);
static int	 import_link_inside(struct import_tree *,
		     struct import_entry *);
static int	 import_open(const char *, const char *, struct archive **,
		     char **);
static int	 import_scan(const char *, const char *,
		     const struct import_opts *, struct import_tree *, char **);
static int	 import_extract(const char *, const char *, const char *,
		     const struct import_opts *, struct import_tree *,
		     char **);
static int	 import_copy_file(struct import_copy *, int, int,
		     const char *, const char *, char **);
static int	 import_copy_dir(struct import_copy *, int, int,
		     const char *, int, char **);
static char	**import_git_env(void);
static void	 import_git_keep(struct buf *, const char *, size_t);
static int64_t	 import_now_ms(void);

/* A size for people: "512 bytes", "1.5 MiB", "2.0 GiB". */
static char *
import_size(uint64_t n)
{
	static const char	*units[] = {
		"KiB", "MiB", "GiB", "TiB", "PiB"
	};
	double			 d = (double)n;
	size_t			 u = 0;

	if (n < 1024)
		return xasprintf("%" PRIu64 " bytes", n);
	d /= 1024;
	while (d >= 1024 && u < (sizeof units / sizeof units[0]) - 1) {
		d /= 1024;
		u++;
	}
	return xasprintf("%.1f %s", d, units[u]);
}

/* The last component of a path: archives are named by it in messages. */
static const char *
import_base(const char *path)
{
	const char	*s = strrchr(path, '/');

	return (s != NULL && s[1] != '\0') ? s + 1 : path;
}

/*
 * Create dst, which must not exist, and return its canonical path: the
 * canonical one has no symbolic links for libarchive's checks to trip on.
 */
static int
import_make_dst(const char *dst, char **real, char **cause)
{
	char	*r;
	int	 e;

	if (*dst == '\0') {
		*cause = xstrdup("no destination directory given");
		return -1;
	}
	if (mkdir(dst, 0755) != 0) {
		e = errno;
		if (e == EEXIST)
			*cause = xasprintf("%s already exists", dst);
		else if (e == ENOENT)
			*cause = xasprintf("cannot create %s: its parent "
			    "directory does not exist", dst);
		else
			*cause = xasprintf("cannot create %s: %s", dst,
			    strerror(e));
		return -1;
	}
	if ((r = realpath(dst, NULL)) == NULL) {
		e = errno;
		*cause = xasprintf("cannot resolve %s: %s", dst, strerror(e));
		(void)rmdir(dst);
		return -1;
	}
	*real = r;
	return 0;
}

/* Remove a half-made destination; a failure here is only worth a log. */
static void
import_undo(const char *dst)
{
	char	*cause = NULL;

	if (files_remove_tree(dst, &cause) != 0) {
		log_warn("cannot clean up %s: %s", dst, cause);
		free(cause);
	}
}

/*
 * Clean an archive path into *out: drop empty and '.' components. Return
 * NULL, or why the path is refused.
 */
static const char *
import_clean(const char *in, char **out)
{
	struct buf	 b;
	const char	*p, *end;
	size_t		 len;

	if (*in == '/')
		return "has an absolute path";
	buf_init(&b);
	for (p = in; *p != '\0'; p = end) {
		while (*p == '/')
			p++;
		end = p + strcspn(p, "/");
		len = (size_t)(end - p);
		if (len == 0 || (len == 1 && p[0] == '.'))
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			buf_done(&b);
			return "escapes the project (contains '..')";
		}
		if (b.len > 0)
			buf_addc(&b, '/');
		buf_add(&b, p, len);
	}
	*out = buf_take(&b);
	return NULL;
}

/* FNV-1a. */
static uint64_t
import_hash(const char *p, size_t len)
{
	uint64_t	h = 14695981039346656037ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Return 1 + the index of the last entry at path p[0..len), or 0. */
static size_t
import_find(struct import_tree *t, const char *p, size_t len)
{
	size_t		 i, slot;
	const char	*q;

	if (t->nslots == 0)
		return 0;
	i = (size_t)(import_hash(p, len) & (t->nslots - 1));
	while ((slot = t->slots[i]) != 0) {
		q = t->v[slot - 1].path;
		if (strncmp(q, p, len) == 0 && q[len] == '\0')
			return slot;
		i = (i + 1) & (t->nslots - 1);
	}
	return 0;
}

/* Append e (taking its strings) and make it the entry at its path. */
static void
import_add(struct import_tree *t, struct import_entry *e)
{
	size_t	i, j, slot, len, old, nold;
	size_t	*olds;

	if (t->n == t->cap) {
		t->cap = (t->cap == 0) ? 64 : t->cap * 2;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = *e;
	memset(e, 0, sizeof *e);

	if ((t->used + 1) * 2 > t->nslots) {
		olds = t->slots;
		nold = t->nslots;
		t->nslots = (nold == 0) ? 128 : nold * 2;
		t->slots = xcalloc(t->nslots, sizeof *t->slots);
		for (j = 0; j < nold; j++) {
			if ((old = olds[j]) == 0)
				continue;
			len = strlen(t->v[old - 1].path);
			i = (size_t)(import_hash(t->v[old - 1].path, len) &
			    (t->nslots - 1));
			while (t->slots[i] != 0)
				i = (i + 1) & (t->nslots - 1);
			t->slots[i] = old;
		}
		free(olds);
	}
	len = strlen(t->v[t->n - 1].path);
	i = (size_t)(import_hash(t->v[t->n - 1].path, len) & (t->nslots - 1));
	while ((slot = t->slots[i]) != 0) {
		if (strcmp(t->v[slot - 1].path, t->v[t->n - 1].path) == 0)
			break;
		i = (i + 1) & (t->nslots - 1);
	}
	if (slot == 0)
		t->used++;
	t->slots[i] = t->n;
}

static void
import_entry_done(struct import_entry *e)
{
	free(e->path);
	free(e->raw);
	free(e->link);
	memset(e, 0, sizeof *e);
}

static void
import_tree_done(struct import_tree *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		import_entry_done(&t->v[i]);
	free(t->v);
	free(t->slots);
	memset(t, 0, sizeof *t);
}

/*
 * Fill e from archive entry ae (number idx, from 1) and check what can be
 * checked of it alone: its name, its type, and its link target's form.
 */
static int
import_entry_read(struct archive_entry *ae, size_t idx,
    struct import_entry *e, char **cause)
{
	const char	*name, *why, *target;
	char		*clean = NULL;
	int		 type;

	memset(e, 0, sizeof *e);
	if ((name = archive_entry_pathname(ae)) == NULL &&
	    (name = archive_entry_pathname_utf8(ae)) == NULL) {
		*cause = xasprintf("archive entry %zu has a name that cannot "
		    "be read", idx);
		return -1;
	}
	e->raw = xstrdup(name);
	if ((why = import_clean(name, &e->path)) != NULL) {
		*cause = xasprintf("archive entry '%s' %s", name, why);
		goto fail;
	}

	type = (int)archive_entry_filetype(ae);
	if ((target = archive_entry_hardlink(ae)) != NULL) {
		if (type != 0 && type != AE_IFREG) {
			*cause = xasprintf("archive entry '%s' is a hard link "
			    "of an unsupported type", name);
			goto fail;
		}
		if ((why = import_clean(target, &clean)) != NULL) {
			*cause = xasprintf("archive entry '%s' is a hard link "
			    "to '%s', which %s", name, target, why);
			goto fail;
		}
		e->type = AE_IFREG;
		e->hard = 1;
		e->link = clean;
		clean = NULL;
	} else {
		switch (type) {
		case AE_IFREG:
		case AE_IFDIR:
			break;
		case AE_IFLNK:
			target = archive_entry_symlink(ae);
			if (target == NULL)
				target = archive_entry_symlink_utf8(ae);
			if (target == NULL || *target == '\0') {
				*cause = xasprintf("archive entry '%s' is a "
				    "symbolic link with no target", name);
				goto fail;
			}
			if (*target == '/') {
				*cause = xasprintf("archive entry '%s' is a "
				    "symbolic link to an absolute path ('%s')",
				    name, target);
				goto fail;
			}
			e->link = xstrdup(target);
			break;
		case AE_IFCHR:
		case AE_IFBLK:
			*cause = xasprintf("archive entry '%s' is a device "
			    "file", name);
			goto fail;
		case AE_IFIFO:
			*cause = xasprintf("archive entry '%s' is a fifo",
			    name);
			goto fail;
		case AE_IFSOCK:
			*cause = xasprintf("archive entry '%s' is a socket",
			    name);
			goto fail;
		default:
			*cause = xasprintf("archive entry '%s' has an unknown "
			    "file type", name);
			goto fail;
		}
		e->type = type;
	}
	if (*e->path == '\0' && e->type != AE_IFDIR) {
		*cause = xasprintf("archive entry '%s' would replace the "
		    "project directory", name);
		goto fail;
	}
	return 0;
fail:
	free(clean);
	import_entry_done(e);
	return -1;
}

/*
 * If a leading part of path is a symbolic link in the tree so far, return
 * the link's path: writing there would go through it.
 */
static const char *
import_through_link(struct import_tree *t, const char *path)
{
	const char	*s;
	size_t		 slot;

	for (s = strchr(path, '/'); s != NULL; s = strchr(s + 1, '/')) {
		slot = import_find(t, path, (size_t)(s - path));
		if (slot != 0 && t->v[slot - 1].type == AE_IFLNK)
			return t->v[slot - 1].path;
	}
	return NULL;
}

/*
 * Resolve symbolic link e the way the kernel will once the tree is
 * extracted: component by component from the link's directory, replacing
 * each component that is itself a link in the tree by its target. A lexical
 * check alone would pass "x/a -> b/../../etc" with "x/b -> ..". Return 1 if
 * the link stays inside the tree, 0 if it leaves it, -1 if it loops.
 */
static int
import_link_inside(struct import_tree *t, struct import_entry *e)
{
	struct buf	 cur;
	const char	*p, *s, *target;
	char		*rest, *next;
	size_t		 len, slot;
	int		 hops = 0, rc = 1;

	buf_init(&cur);
	if ((s = strrchr(e->path, '/')) != NULL)
		buf_add(&cur, e->path, (size_t)(s - e->path));
	rest = xstrdup(e->link);
	p = rest;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0 || (len == 1 && p[0] == '.')) {
			p += len;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (cur.len == 0) {
				rc = 0;
				goto out;
			}
			s = memrchr(cur.data, '/', cur.len);
			cur.len = (s == NULL) ? 0 : (size_t)(s - cur.data);
			cur.data[cur.len] = '\0';
			p += len;
			continue;
		}
		if (cur.len > 0)
			buf_addc(&cur, '/');
		buf_add(&cur, p, len);
		p += len;

		slot = import_find(t, cur.data, cur.len);
		if (slot == 0 || t->v[slot - 1].type != AE_IFLNK)
			continue;
		if (++hops > IMPORT_LINK_HOPS) {
			rc = -1;
			goto out;
		}
		target = t->v[slot - 1].link;
		if (*target == '/') {
			rc = 0;
			goto out;
		}
		s = memrchr(cur.data, '/', cur.len);
		cur.len = (s == NULL) ? 0 : (size_t)(s - cur.data);
		cur.data[cur.len] = '\0';
		next = xasprintf("%s/%s", target, p);
		free(rest);
		rest = next;
		p = rest;
	}
out:
	free(rest);
	buf_done(&cur);
	return rc;
}

/*
 * Open an archive for reading. The formats are libarchive's, less mtree:
 * an mtree "archive" is a list of files that the reader opens on this
 * machine, which would let an upload read the daemon's files.
 */
static int
import_open(const char *archive, const char *name, struct archive **out,
    char **cause)
{
	struct archive	*a;

	a = archive_read_new();
	if (a == NULL) {
		*cause = xstrdup("cannot allocate an archive reader");
		return -1;
	}
	archive_read_support_filter_all(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_ar(a);
	archive_read_support_format_cab(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_iso9660(a);
	archive_read_support_format_lha(a);
	archive_read_support_format_rar(a);
	archive_read_support_format_rar5(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_warc(a);
	archive_read_support_format_xar(a);
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, archive, IMPORT_BLOCK) !=
	    ARCHIVE_OK) {
		*cause = xasprintf("%s is not a zip or tar archive: %s", name,
		    archive_error_string(a));
		archive_read_free(a);
		return -1;
	}
	*out = a;
	return 0;
}

/* The first pass: read every header, refuse the archive at the first bad. */
static int
import_scan(const char *archive, const char *name,
    const struct import_opts *opts, struct import_tree *t, char **cause)
{
	struct archive		*a = NULL;
	struct archive_entry	*ae;
	struct import_entry	 e;
	const char		*via;
	uint64_t		 bytes = 0, count = 0;
	size_t			 idx = 0, slot, i;
	char			*lim;
	int			 r, rc = -1, in;

	memset(&e, 0, sizeof e);
	if (import_open(archive, name, &a, cause) != 0)
		return -1;
	for (;;) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			if (idx == 0)
				*cause = xasprintf("%s is not a zip or tar "
				    "archive: %s", name,
				    archive_error_string(a));
			else
				*cause = xasprintf("cannot read %s: %s", name,
				    archive_error_string(a));
			goto out;
		}
		idx++;
		if (import_entry_read(ae, idx, &e, cause) != 0)
			goto out;
		if (*e.path != '\0' && opts->max_entries != 0 &&
		    ++count > opts->max_entries) {
			*cause = xasprintf("archive has more than %" PRIu64
			    " entries", opts->max_entries);
			goto out;
		}
		if (archive_entry_size_is_set(ae) &&
		    archive_entry_size(ae) > 0)
			bytes += (uint64_t)archive_entry_size(ae);
		if (opts->max_bytes != 0 && bytes > opts->max_bytes) {
			lim = import_size(opts->max_bytes);
			*cause = xasprintf("archive expands past the %s limit",
			    lim);
			free(lim);
			goto out;
		}
		if ((via = import_through_link(t, e.path)) != NULL) {
			*cause = xasprintf("archive entry '%s' is inside "
			    "symbolic link '%s'", e.raw, via);
			goto out;
		}
		if (e.hard) {
			slot = import_find(t, e.link, strlen(e.link));
			if (slot == 0 || t->v[slot - 1].type != AE_IFREG ||
			    import_through_link(t, e.link) != NULL) {
				*cause = xasprintf("archive entry '%s' is a "
				    "hard link to '%s', which is not a file "
				    "earlier in the archive", e.raw,
				    archive_entry_hardlink(ae));
				goto out;
			}
		}
		import_add(t, &e);
	}

	for (i = 0; i < t->n; i++) {
		if (t->v[i].type != AE_IFLNK)
			continue;
		if ((in = import_link_inside(t, &t->v[i])) == 1)
			continue;
		if (in == 0)
			*cause = xasprintf("archive entry '%s' is a symbolic "
			    "link that points outside the project ('%s')",
			    t->v[i].raw, t->v[i].link);
		else
			*cause = xasprintf("archive entry '%s' is a symbolic "
			    "link with too many levels of links", t->v[i].raw);
		goto out;
	}
	rc = 0;
out:
	import_entry_done(&e);
	archive_read_free(a);
	return rc;
}

/*
 * The second pass: extract under dst (canonical), entry by entry, checking
 * that each is the one the first pass approved.
 */
static int
import_extract(const char *archive, const char *name, const char *dst,
    const struct import_opts *opts, struct import_tree *t, char **cause)
{
	struct archive		*a = NULL, *w = NULL;
	struct archive_entry	*ae;
	struct import_entry	 e, *want;
	const void		*block;
	size_t			 size, idx = 0;
	la_int64_t		 offset;
	uint64_t		 written = 0;
	char			*full, *lim;
	int			 r, rc = -1, flags;

	memset(&e, 0, sizeof e);
	if (import_open(archive, name, &a, cause) != 0)
		return -1;

	/*
	 * Paths are made absolute by prefixing dst, so that no chdir is
	 * needed; that is why ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS, which
	 * would refuse every such path, is not set. The first pass has
	 * already refused absolute paths in the archive itself.
	 */
	flags = ARCHIVE_EXTRACT_SECURE_SYMLINKS|
	    ARCHIVE_EXTRACT_SECURE_NODOTDOT|ARCHIVE_EXTRACT_TIME|
	    ARCHIVE_EXTRACT_PERM;
	/*
	 * archive_write_disk_new learns the umask by setting it, so for an
	 * instant it is 0 for the whole process: lathed's other threads
	 * should create files with explicit modes, as they do.
	 */
	if ((w = archive_write_disk_new()) == NULL) {
		*cause = xstrdup("cannot allocate an archive writer");
		goto out;
	}
	archive_write_disk_set_options(w, flags);

	for (;;) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			*cause = xasprintf("cannot read %s: %s", name,
			    archive_error_string(a));
			goto out;
		}
		idx++;
		if (import_entry_read(ae, idx, &e, cause) != 0)
			goto out;
		want = (idx <= t->n) ? &t->v[idx - 1] : NULL;
		if (want == NULL || strcmp(want->path, e.path) != 0 ||
		    want->type != e.type || want->hard != e.hard ||
		    (want->link == NULL) != (e.link == NULL) ||
		    (e.link != NULL && strcmp(want->link, e.link) != 0)) {
			*cause = xasprintf("%s changed while it was being "
			    "imported", name);
			goto out;
		}
		if (*e.path == '\0') {
			import_entry_done(&e);
			continue;	/* the archive's "./" */
		}

		full = xasprintf("%s/%s", dst, e.path);
		archive_entry_copy_pathname(ae, full);
		free(full);
		if (e.hard) {
			full = xasprintf("%s/%s", dst, e.link);
			archive_entry_copy_hardlink(ae, full);
			free(full);
		}
		/* Keep the owner able to use the files; no set-id bits. */
		if (e.type == AE_IFDIR)
			archive_entry_set_perm(ae,
			    (archive_entry_perm(ae) & 0777) | 0700);
		else if (e.type == AE_IFREG)
			archive_entry_set_perm(ae,
			    (archive_entry_perm(ae) & 0777) | 0600);

		if (archive_write_header(w, ae) < ARCHIVE_WARN) {
			*cause = xasprintf("cannot extract '%s': %s", e.raw,
			    archive_error_string(w));
			goto out;
		}
		for (;;) {
			r = archive_read_data_block(a, &block, &size, &offset);
			if (r == ARCHIVE_EOF)
				break;
			if (r < ARCHIVE_WARN) {
				*cause = xasprintf("cannot read '%s' from %s: "
				    "%s", e.raw, name,
				    archive_error_string(a));
				goto out;
			}
			if (opts->max_bytes != 0 &&
			    size > opts->max_bytes - written) {
				lim = import_size(opts->max_bytes);
				*cause = xasprintf("archive expands past the "
				    "%s limit", lim);
				free(lim);
				goto out;
			}
			written += size;
			if (archive_write_data_block(w, block, size, offset) <
			    ARCHIVE_WARN) {
				*cause = xasprintf("cannot extract '%s': %s",
				    e.raw, archive_error_string(w));
				goto out;
			}
		}
		if (archive_write_finish_entry(w) < ARCHIVE_WARN) {
			*cause = xasprintf("cannot extract '%s': %s", e.raw,
			    archive_error_string(w));
			goto out;
		}
		import_entry_done(&e);
	}
	if (idx != t->n) {
		*cause = xasprintf("%s changed while it was being imported",
		    name);
		goto out;
	}
	/* Directory modes and times are set here, after their contents. */
	if (archive_write_close(w) < ARCHIVE_WARN) {
		*cause = xasprintf("cannot extract %s: %s", name,
		    archive_error_string(w));
		goto out;
	}
	rc = 0;
out:
	import_entry_done(&e);
	if (w != NULL)
		archive_write_free(w);
	archive_read_free(a);
	return rc;
}

int
import_archive(const char *archive, const char *dst,
    const struct import_opts *opts, char **cause)
{
	struct import_tree	 t;
	struct stat		 st;
	const char		*name = import_base(archive);
	char			*real = NULL;
	int			 rc = -1, made = 0, e;

	memset(&t, 0, sizeof t);
	if (stat(archive, &st) != 0) {
		e = errno;
		*cause = xasprintf("cannot open %s: %s", name, strerror(e));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s is not a zip or tar archive: not a "
		    "regular file", name);
		goto out;
	}
	if (lstat(dst, &st) == 0) {
		*cause = xasprintf("%s already exists", dst);
		goto out;
	}
	if (import_scan(archive, name, opts, &t, cause) != 0)
		goto out;
	if (import_make_dst(dst, &real, cause) != 0)
		goto out;
	made = 1;
	if (import_extract(archive, name, real, opts, &t, cause) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0 && made)
		import_undo(dst);
	import_tree_done(&t);
	free(real);
	return rc;
}

/* Copy regular file name of directory sfd into directory dfd. */
static int
import_copy_file(struct import_copy *c, int sfd, int dfd, const char *name,
    const char *rel, char **cause)
{
	struct timespec	 times[2];
	struct stat	 sst;
	ssize_t		 r, w;
	size_t		 done;
	char		*lim;
	int		 in = -1, out = -1, rc = -1, e;

	in = openat(sfd, name,
	    O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_NOCTTY|O_CLOEXEC);
	if (in == -1 || fstat(in, &sst) != 0) {
		e = errno;
		*cause = xasprintf("cannot copy '%s': %s", rel, strerror(e));
		goto out;
	}
	if (!S_ISREG(sst.st_mode)) {
		rc = 0;		/* replaced by something else meanwhile */
		goto out;
	}
	out = openat(dfd, name, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC,
	    0600);
	if (out == -1) {
		e = errno;
		*cause = xasprintf("cannot create '%s': %s", rel, strerror(e));
		goto out;
	}
	for (;;) {
		r = read(in, c->block, IMPORT_BLOCK);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			e = errno;
			*cause = xasprintf("cannot read '%s': %s", rel,
			    strerror(e));
			goto out;
		}
		if (r == 0)
			break;
		if (c->opts->max_bytes != 0 &&
		    (uint64_t)r > c->opts->max_bytes - c->bytes) {
			lim = import_size(c->opts->max_bytes);
			*cause = xasprintf("%s is larger than the %s limit",
			    c->src, lim);
			free(lim);
			goto out;
		}
		c->bytes += (uint64_t)r;
		for (done = 0; done < (size_t)r; done += (size_t)w) {
			w = write(out, c->block + done, (size_t)r - done);
			if (w == -1 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w == -1) {
				e = errno;
				*cause = xasprintf("cannot write '%s': %s",
				    rel, strerror(e));
				goto out;
			}
		}
	}
	times[0] = sst.st_atim;
	times[1] = sst.st_mtim;
	if (fchmod(out, sst.st_mode & 0777) != 0 ||
	    futimens(out, times) != 0) {
		e = errno;
		*cause = xasprintf("cannot copy '%s': %s", rel, strerror(e));
		goto out;
	}
	rc = 0;
out:
	if (out != -1 && close(out) != 0 && rc == 0) {
		e = errno;
		*cause = xasprintf("cannot write '%s': %s", rel, strerror(e));
		rc = -1;
	}
	if (in != -1)
		close(in);
	return rc;
}

/* Copy the contents of directory sfd into directory dfd. */
static int
import_copy_dir(struct import_copy *c, int sfd, int dfd, const char *rel,
    int depth, char **cause)
{
	struct timespec	 times[2];
	struct stat	 st;
	char		**names = NULL, *child = NULL, *target = NULL, *lim;
	size_t		 n = 0, i, tlen;
	ssize_t		 len;
	int		 csfd = -1, cdfd = -1, rc = -1, e;

	/* Names first, so that only two descriptors stay open per level. */
	if (files_names(sfd, &names, &n) != 0) {
		e = errno;
		*cause = xasprintf("cannot read '%s': %s", *rel ? rel : ".",
		    strerror(e));
		goto out;
	}

	for (i = 0; i < n; i++) {
		free(child);
		child = (*rel == '\0') ? xstrdup(names[i]) :
		    xasprintf("%s/%s", rel, names[i]);
		if (fstatat(sfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno == ENOENT)
				continue;
			e = errno;
			*cause = xasprintf("cannot copy '%s': %s", child,
			    strerror(e));
			goto out;
		}
		if (st.st_dev == c->dst_dev && st.st_ino == c->dst_ino)
			continue;	/* the copy itself, made inside src */
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) &&
		    !S_ISLNK(st.st_mode))
			continue;	/* fifos, sockets, devices */
		if (c->opts->max_entries != 0 &&
		    ++c->entries > c->opts->max_entries) {
			*cause = xasprintf("%s has more than %" PRIu64
			    " files and directories", c->src,
			    c->opts->max_entries);
			goto out;
		}
		if (c->opts->max_bytes != 0 && S_ISREG(st.st_mode) &&
		    (uint64_t)st.st_size > c->opts->max_bytes - c->bytes) {
			lim = import_size(c->opts->max_bytes);
			*cause = xasprintf("%s is larger than the %s limit",
			    c->src, lim);
			free(lim);
			goto out;
		}

		if (S_ISREG(st.st_mode)) {
			if (import_copy_file(c, sfd, dfd, names[i], child,
			    cause) != 0)
				goto out;
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			tlen = (st.st_size > 0) ? (size_t)st.st_size : PATH_MAX;
			target = xmalloc(tlen + 1);
			len = readlinkat(sfd, names[i], target, tlen + 1);
			if (len == -1 || (size_t)len > tlen) {
				e = (len == -1) ? errno : ENAMETOOLONG;
				*cause = xasprintf("cannot copy '%s': %s",
				    child, strerror(e));
				goto out;
			}
			target[len] = '\0';
			if (symlinkat(target, dfd, names[i]) != 0) {
				e = errno;
				*cause = xasprintf("cannot create '%s': %s",
				    child, strerror(e));
				goto out;
			}
			times[0] = st.st_atim;
			times[1] = st.st_mtim;
			(void)utimensat(dfd, names[i], times,
			    AT_SYMLINK_NOFOLLOW);
			free(target);
			target = NULL;
			continue;
		}

		if (depth >= IMPORT_COPY_DEPTH) {
			*cause = xasprintf("cannot copy '%s': more than %d "
			    "directories deep", child, IMPORT_COPY_DEPTH);
			goto out;
		}
		if (mkdirat(dfd, names[i], 0700) != 0) {
			e = errno;
			*cause = xasprintf("cannot create '%s': %s", child,
			    strerror(e));
			goto out;
		}
		csfd = openat(sfd, names[i],
		    O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC);
		cdfd = openat(dfd, names[i],
		    O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC);
		if (csfd == -1 || cdfd == -1) {
			e = errno;
			*cause = xasprintf("cannot copy '%s': %s", child,
			    strerror(e));
			goto out;
		}
		if (import_copy_dir(c, csfd, cdfd, child, depth + 1,
		    cause) != 0)
			goto out;
		/* After the contents, which would change the time. */
		times[0] = st.st_atim;
		times[1] = st.st_mtim;
		if (fchmod(cdfd, (st.st_mode & 0777) | S_IRWXU) != 0 ||
		    futimens(cdfd, times) != 0) {
			e = errno;
			*cause = xasprintf("cannot copy '%s': %s", child,
			    strerror(e));
			goto out;
		}
		close(csfd);
		close(cdfd);
		csfd = cdfd = -1;
	}
	rc = 0;
out:
	if (csfd != -1)
		close(csfd);
	if (cdfd != -1)
		close(cdfd);
	files_names_free(names, n);
	free(child);
	free(target);
	return rc;
}

int
import_copy(const char *src, const char *dst, const struct import_opts *opts,
    char **cause)
{
	struct import_copy	 c;
	struct timespec		 times[2];
	struct stat		 st, dst_st;
	char			*real = NULL;
	int			 sfd = -1, dfd = -1, rc = -1, made = 0, e;

	memset(&c, 0, sizeof c);
	c.opts = opts;
	c.src = src;
	if ((sfd = open(src, O_RDONLY|O_DIRECTORY|O_CLOEXEC)) == -1 ||
	    fstat(sfd, &st) != 0) {
		e = errno;
		if (e == ENOTDIR)
			*cause = xasprintf("%s is not a directory", src);
		else
			*cause = xasprintf("cannot open %s: %s", src,
			    strerror(e));
		goto out;
	}
	if (import_make_dst(dst, &real, cause) != 0)
		goto out;
	made = 1;
	dfd = open(real, O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC);
	if (dfd == -1 || fstat(dfd, &dst_st) != 0) {
		e = errno;
		*cause = xasprintf("cannot open %s: %s", dst, strerror(e));
		goto out;
	}
	c.dst_dev = dst_st.st_dev;
	c.dst_ino = dst_st.st_ino;
	c.block = xmalloc(IMPORT_BLOCK);
	if (import_copy_dir(&c, sfd, dfd, "", 0, cause) != 0)
		goto out;
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	if (fchmod(dfd, (st.st_mode & 0777) | S_IRWXU) != 0 ||
	    futimens(dfd, times) != 0) {
		e = errno;
		*cause = xasprintf("cannot copy %s: %s", src, strerror(e));
		goto out;
	}
	rc = 0;
out:
	if (dfd != -1)
		close(dfd);
	if (sfd != -1)
		close(sfd);
	if (rc != 0 && made)
		import_undo(dst);
	free(c.block);
	free(real);
	return rc;
}

/* A copy of environ that never lets git ask for a password. */
static char **
import_git_env(void)
{
	static const char	*set[] = {
		"GIT_TERMINAL_PROMPT=0",
		"GIT_ASKPASS=/bin/true",
	};
	char			**env, **p;
	size_t			  n = 0, i, j, k;

	for (p = environ; *p != NULL; p++)
		n++;
	env = xcalloc(n + IMPORT_NITEMS(set) + 1, sizeof *env);
	for (i = 0, j = 0; i < n; i++) {
		if (strncmp(environ[i], "GIT_TERMINAL_PROMPT=", 20) == 0 ||
		    strncmp(environ[i], "GIT_ASKPASS=", 12) == 0)
			continue;
		env[j++] = environ[i];
	}
	for (k = 0; k < IMPORT_NITEMS(set); k++)
		env[j++] = (char *)set[k];
	env[j] = NULL;
	return env;
}

/* Keep what git said, up to the cap: its last words matter most. */
static void
import_git_keep(struct buf *b, const char *p, size_t n)
{
	buf_add(b, p, n);
	if (b->len > 2 * IMPORT_GIT_ERR_MAX) {
		memmove(b->data, b->data + b->len - IMPORT_GIT_ERR_MAX,
		    IMPORT_GIT_ERR_MAX);
		b->len = IMPORT_GIT_ERR_MAX;
		b->data[b->len] = '\0';
	}
}

static int64_t
import_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
import_git(const char *url, const char *dst, const struct import_opts *opts,
    char **cause)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	struct pollfd			 pfd;
	struct buf			 err;
	sigset_t			 mask, dfl;
	const char			*git;
	char				*real = NULL, **env = NULL, *argv[9];
	char				 tmp[4096], *msg, *end;
	int64_t				 deadline = 0, left;
	ssize_t				 r;
	pid_t				 pid = -1, w;
	int				 pipefd[2] = { -1, -1 }, fd;
	int				 rc = -1, made = 0, status = 0, e;
	int				 fa_init = 0, attr_init = 0, eof = 0;
	int				 exited = 0, timed_out = 0, drains;

	buf_init(&err);
	git = (opts->git != NULL && *opts->git != '\0') ? opts->git : "git";
	if (*url == '\0') {
		*cause = xstrdup("the git URL is empty");
		goto out;
	}
	if (*url == '-') {
		*cause = xasprintf("git URL '%s' must not start with '-'", url);
		goto out;
	}
	/* git clones into an empty directory; making it checks the parent. */
	if (import_make_dst(dst, &real, cause) != 0)
		goto out;
	made = 1;

	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		e = errno;
		*cause = xasprintf("cannot run %s: %s", git, strerror(e));
		goto out;
	}
	/* The write end must survive the child's redirections of 0 to 2. */
	if (pipefd[1] <= 2) {
		if ((fd = fcntl(pipefd[1], F_DUPFD_CLOEXEC, 3)) == -1) {
			e = errno;
			*cause = xasprintf("cannot run %s: %s", git,
			    strerror(e));
			goto out;
		}
		close(pipefd[1]);
		pipefd[1] = fd;
	}
	(void)fcntl(pipefd[0], F_SETFL,
	    fcntl(pipefd[0], F_GETFL) | O_NONBLOCK);

	posix_spawn_file_actions_init(&fa);
	fa_init = 1;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);

	/*
	 * A session of its own: no terminal for ssh to prompt on, and a
	 * process group to kill, with git's helpers, on a timeout.
	 */
	posix_spawnattr_init(&attr);
	attr_init = 1;
	sigemptyset(&mask);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGQUIT);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGCHLD);
	posix_spawnattr_setsigmask(&attr, &mask);
	posix_spawnattr_setsigdefault(&attr, &dfl);
#ifdef POSIX_SPAWN_SETSID
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID|
	    POSIX_SPAWN_SETSIGMASK|POSIX_SPAWN_SETSIGDEF);
#else
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP|
	    POSIX_SPAWN_SETSIGMASK|POSIX_SPAWN_SETSIGDEF);
#endif

	argv[0] = (char *)git;
	argv[1] = (char *)"-c";
	argv[2] = (char *)"protocol.ext.allow=never";
	argv[3] = (char *)"clone";
	argv[4] = (char *)"--quiet";
	argv[5] = (char *)"--";
	argv[6] = (char *)url;
	argv[7] = real;
	argv[8] = NULL;
	env = import_git_env();
	if ((e = posix_spawnp(&pid, git, &fa, &attr, argv, env)) != 0) {
		pid = -1;
		*cause = xasprintf("cannot run %s: %s", git, strerror(e));
		goto out;
	}
	close(pipefd[1]);
	pipefd[1] = -1;

	if (opts->git_timeout_s > 0)
		deadline = import_now_ms() +
		    (int64_t)opts->git_timeout_s * 1000;
	for (;;) {
		while (!eof) {
			r = read(pipefd[0], tmp, sizeof tmp);
			if (r > 0)
				import_git_keep(&err, tmp, (size_t)r);
			else if (r == 0 || (errno != EINTR && errno != EAGAIN))
				eof = 1;
			else if (errno == EAGAIN)
				break;
		}
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid) {
			exited = 1;
			break;
		}
		if (w == -1 && errno != EINTR) {
			e = errno;
			*cause = xasprintf("cannot wait for %s: %s", git,
			    strerror(e));
			goto out;
		}
		left = eof ? 10 : 250;
		if (deadline != 0) {
			if (import_now_ms() >= deadline) {
				timed_out = 1;
				break;
			}
			if (deadline - import_now_ms() < left)
				left = deadline - import_now_ms();
		}
		pfd.fd = pipefd[0];
		pfd.events = POLLIN;
		pfd.revents = 0;
		(void)poll(&pfd, eof ? 0 : 1, (int)left);
	}
	if (timed_out) {
		(void)kill(-pid, SIGKILL);
		(void)kill(pid, SIGKILL);
	}
	while (!exited) {
		if (waitpid(pid, &status, 0) == pid)
			exited = 1;
		else if (errno != EINTR)
			break;
	}
	pid = -1;
	/* What is left in the pipe, unless a helper keeps it streaming. */
	for (drains = 0; !eof && drains < 64; drains++) {
		r = read(pipefd[0], tmp, sizeof tmp);
		if (r > 0)
			import_git_keep(&err, tmp, (size_t)r);
		else if (r == -1 && errno == EINTR)
			continue;
		else
			break;
	}

	if (timed_out) {
		*cause = xasprintf("git clone timed out after %d seconds",
		    opts->git_timeout_s);
		goto out;
	}
	if (exited && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = 0;
		goto out;
	}
	msg = (char *)buf_str(&err);
	if (err.len > IMPORT_GIT_ERR_MAX) {
		msg += err.len - IMPORT_GIT_ERR_MAX;
		if ((end = strchr(msg, '\n')) != NULL)
			msg = end + 1;	/* from a line's start */
	}
	while (*msg == ' ' || *msg == '\t' || *msg == '\n' || *msg == '\r')
		msg++;
	end = msg + strlen(msg);
	while (end > msg && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	if (*msg != '\0')
		*cause = xasprintf("git clone failed: %s", msg);
	else if (exited && WIFEXITED(status))
		*cause = xasprintf("git clone failed: exit status %d",
		    WEXITSTATUS(status));
	else if (exited && WIFSIGNALED(status))
		*cause = xasprintf("git clone failed: killed by signal %d",
		    WTERMSIG(status));
	else
		*cause = xstrdup("git clone failed");
out:
	if (pid != -1) {
		(void)kill(-pid, SIGKILL);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	if (pipefd[0] != -1)
		close(pipefd[0]);
	if (pipefd[1] != -1)
		close(pipefd[1]);
	if (fa_init)
		posix_spawn_file_actions_destroy(&fa);
	if (attr_init)
		posix_spawnattr_destroy(&attr);
	if (rc != 0 && made)
		import_undo(dst);
	free(env);
	free(real);
	buf_done(&err);
	return rc;
}
