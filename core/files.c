/*
 * A project's files as the API shows them. Every path a user gives is
 * checked lexically, then resolved with realpath and kept only if it stays
 * inside the project root, so that neither '..' nor a symbolic link leads
 * out of the project. Listings page by name, reads are bounded, and tree
 * removal walks with openat so that it neither follows links nor depends on
 * the current directory or the length of the paths below it.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "paths.h"
#include "xmalloc.h"

/* A directory that files_remove_tree is emptying. */
struct files_level {
	char		*name;		/* in its parent; NULL at the top */
	dev_t		 dev;
	ino_t		 ino;
	char		**names;
	size_t		 n;
	size_t		 next;
};

static int	 files_errno_rc(int);
static int	 files_inside(const char *, const char *);
static const char *files_show(const char *);
static int	 files_missing(const char *, const char *);
static int	 files_cmp(const void *, const void *);
static void	 files_heap_down(char **, size_t, size_t);
static void	 files_heap_up(char **, size_t);
static int	 files_utf8(const unsigned char *, size_t, int, int);
static char	*files_level_path(const char *, struct files_level *, size_t,
		     const char *);

/* Map an errno from a path lookup to a FILES_* code. */
static int
files_errno_rc(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return FILES_ENOENT;
	case ELOOP:
	case ENAMETOOLONG:
		return FILES_EINVAL;
	default:
		return FILES_EIO;
	}
}

/* Is canonical path at or below canonical root? */
static int
files_inside(const char *root, const char *path)
{
	size_t	n = strlen(root);

	if (n == 1 && root[0] == '/')
		return path[0] == '/';
	if (strncmp(path, root, n) != 0)
		return 0;
	return path[n] == '\0' || path[n] == '/';
}

/* How a relative path is named in messages: the root is '.'. */
static const char *
files_show(const char *rel)
{
	return (*rel == '\0') ? "." : rel;
}

int
files_check_relative(const char *rel, char **cause)
{
	const char	*p, *end;

	if (*rel == '\0') {
		*cause = xstrdup("path is empty");
		return FILES_EINVAL;
	}
	if (*rel == '/') {
		*cause = xasprintf("path '%s' must be relative to the project",
		    rel);
		return FILES_EINVAL;
	}
	for (p = rel; *p != '\0'; p = end) {
		while (*p == '/')
			p++;
		end = p + strcspn(p, "/");
		if (end - p == 2 && p[0] == '.' && p[1] == '.') {
			*cause = xasprintf("path '%s' must not contain '..'",
			    rel);
			return FILES_EINVAL;
		}
	}
	return 0;
}

/*
 * realpath(path) failed with ENOENT or ENOTDIR: find the longest prefix of
 * path that exists. If it resolves outside root, the path leads out of the
 * project, and saying "does not exist" would tell what exists out there.
 */
static int
files_missing(const char *root, const char *path)
{
	char	*p = xstrdup(path), *slash, *real;
	int	 inside = 1;

	while ((slash = strrchr(p, '/')) != NULL && slash != p) {
		*slash = '\0';
		if ((real = realpath(p, NULL)) != NULL) {
			inside = files_inside(root, real);
			free(real);
			break;
		}
	}
	free(p);
	return inside;
}

int
files_resolve(const char *root, const char *rel, char **out, char **cause)
{
	char	*croot = NULL, *path = NULL, *real = NULL;
	int	 rc, e;

	if (*rel != '\0' && strcmp(rel, ".") != 0) {
		if ((rc = files_check_relative(rel, cause)) != 0)
			return rc;
	} else
		rel = "";

	if ((croot = realpath(root, NULL)) == NULL) {
		e = errno;
		rc = (e == ENOENT) ? FILES_ENOENT : FILES_EIO;
		*cause = xasprintf("project directory %s: %s", root,
		    strerror(e));
		goto out;
	}
	path = (*rel == '\0') ? xstrdup(croot) : paths_join(croot, rel);
	if ((real = realpath(path, NULL)) == NULL) {
		e = errno;
		rc = files_errno_rc(e);
		if (rc == FILES_ENOENT) {
			if (!files_missing(croot, path)) {
				rc = FILES_EINVAL;
				*cause = xasprintf("'%s' points outside the "
				    "project", rel);
			} else
				*cause = xasprintf("'%s' does not exist", rel);
		} else if (e == ELOOP)
			*cause = xasprintf("'%s' has too many levels of "
			    "symbolic links", rel);
		else
			*cause = xasprintf("'%s': %s", files_show(rel),
			    strerror(e));
		goto out;
	}
	if (!files_inside(croot, real)) {
		rc = FILES_EINVAL;
		*cause = xasprintf("'%s' points outside the project", rel);
		goto out;
	}
	*out = real;
	real = NULL;
	rc = 0;
out:
	free(real);
	free(path);
	free(croot);
	return rc;
}

static int
files_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Max-heap of names: the largest of the kept names is at the top. */
static void
files_heap_up(char **h, size_t i)
{
	char	*t;

	while (i > 0 && strcmp(h[(i - 1) / 2], h[i]) < 0) {
		t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void
files_heap_down(char **h, size_t n, size_t i)
{
	size_t	 big, l, r;
	char	*t;

	for (;;) {
		big = i;
		l = 2 * i + 1;
		r = l + 1;
		if (l < n && strcmp(h[l], h[big]) > 0)
			big = l;
		if (r < n && strcmp(h[r], h[big]) > 0)
			big = r;
		if (big == i)
			return;
		t = h[i];
		h[i] = h[big];
		h[big] = t;
		i = big;
	}
}

int
files_list(const char *root, const char *rel, const char *after,
    size_t limit, struct files_entry **out, size_t *n, int *more,
    char **cause)
{
	struct files_entry	*v = NULL;
	struct dirent		*de;
	struct stat		 st;
	DIR			*dir = NULL;
	char			*real = NULL, **heap = NULL;
	size_t			 keep, nheap = 0, cap = 0, i, nv = 0;
	int			 fd, rc, e, more_left = 0;

	if ((rc = files_resolve(root, rel, &real, cause)) != 0)
		return rc;
	fd = open(real, O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC);
	if (fd == -1) {
		e = errno;
		rc = (e == ENOTDIR) ? FILES_EINVAL : files_errno_rc(e);
		if (e == ENOTDIR)
			*cause = xasprintf("'%s' is not a directory",
			    files_show(rel));
		else
			*cause = xasprintf("cannot list '%s': %s",
			    files_show(rel), strerror(e));
		goto out;
	}
	if ((dir = fdopendir(fd)) == NULL) {
		e = errno;
		close(fd);
		rc = FILES_EIO;
		*cause = xasprintf("cannot list '%s': %s", files_show(rel),
		    strerror(e));
		goto out;
	}

	/*
	 * Keep the limit + 1 smallest names after after, so that a page of a
	 * huge directory costs memory for the page, not the directory; the
	 * extra one says whether there are more.
	 */
	keep = (limit == SIZE_MAX) ? limit : limit + 1;
	for (;;) {
		errno = 0;
		if ((de = readdir(dir)) == NULL)
			break;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (after != NULL && strcmp(de->d_name, after) <= 0)
			continue;
		if (nheap < keep) {
			if (nheap == cap) {
				cap = (cap == 0) ? 64 : cap * 2;
				heap = xrealloc(heap, cap * sizeof *heap);
			}
			heap[nheap] = xstrdup(de->d_name);
			files_heap_up(heap, nheap++);
		} else if (strcmp(de->d_name, heap[0]) < 0) {
			free(heap[0]);
			heap[0] = xstrdup(de->d_name);
			files_heap_down(heap, nheap, 0);
		}
	}
	if (errno != 0) {
		e = errno;
		rc = FILES_EIO;
		*cause = xasprintf("cannot list '%s': %s", files_show(rel),
		    strerror(e));
		goto out;
	}
	if (nheap > 0)
		qsort(heap, nheap, sizeof *heap, files_cmp);

	if (nheap > limit) {
		free(heap[limit]);	/* the one past the page */
		nheap = limit;
		more_left = 1;
	}
	v = xcalloc(nheap == 0 ? 1 : nheap, sizeof *v);
	for (i = 0; i < nheap; i++) {
		if (fstatat(dirfd(dir), heap[i], &st,
		    AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno == ENOENT)
				continue;	/* removed since readdir */
			e = errno;
			rc = FILES_EIO;
			*cause = xasprintf("cannot stat '%s/%s': %s",
			    files_show(rel), heap[i], strerror(e));
			goto out;
		}
		v[nv].name = heap[i];
		heap[i] = NULL;
		if (S_ISREG(st.st_mode))
			v[nv].type = FILES_FILE;
		else if (S_ISDIR(st.st_mode))
			v[nv].type = FILES_DIR;
		else if (S_ISLNK(st.st_mode))
			v[nv].type = FILES_LINK;
		else
			v[nv].type = FILES_OTHER;
		v[nv].size = (v[nv].type == FILES_DIR) ? 0 :
		    (uint64_t)st.st_size;
		v[nv].mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 +
		    st.st_mtim.tv_nsec / 1000000;
		nv++;
	}
	*out = v;
	*n = nv;
	*more = more_left;
	v = NULL;
	nv = 0;
	rc = 0;
out:
	files_entries_free(v, nv);
	if (heap != NULL) {
		for (i = 0; i < nheap; i++)
			free(heap[i]);
		free(heap);
	}
	if (dir != NULL)
		closedir(dir);
	free(real);
	return rc;
}

void
files_entries_free(struct files_entry *v, size_t n)
{
	size_t	i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/*
 * Is p[0..len) text: valid UTF-8 without NUL bytes? A read that starts at
 * an offset (cut_start) may begin inside a character, and one that stops
 * before the end of the file (cut_end) may end inside one; neither makes
 * the file binary.
 */
static int
files_utf8(const unsigned char *p, size_t len, int cut_start, int cut_end)
{
	size_t		i = 0, k, need;
	uint32_t	cp, min;

	if (cut_start) {
		while (i < len && i < 3 && (p[i] & 0xc0) == 0x80)
			i++;
	}
	while (i < len) {
		if (p[i] == 0)
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			need = 1;
			cp = p[i] & 0x1f;
			min = 0x80;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			need = 2;
			cp = p[i] & 0x0f;
			min = 0x800;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			need = 3;
			cp = p[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		for (k = 1; k <= need; k++) {
			if (i + k == len)
				return cut_end;
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

int
files_read(const char *root, const char *rel, uint64_t offset, size_t max,
    struct files_content *out, char **cause)
{
	struct stat	 st;
	char		*real = NULL, *data = NULL;
	size_t		 want, len = 0;
	ssize_t		 r;
	uint64_t	 size;
	int		 fd = -1, rc, e;

	if (*rel == '\0' || strcmp(rel, ".") == 0) {
		*cause = xstrdup("path is empty: name a file to read");
		return FILES_EINVAL;
	}
	if ((rc = files_resolve(root, rel, &real, cause)) != 0)
		return rc;

	/* Look before opening: opening a fifo would block, a device act. */
	if (lstat(real, &st) != 0) {
		e = errno;
		rc = files_errno_rc(e);
		*cause = xasprintf("cannot read '%s': %s", rel, strerror(e));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = FILES_EINVAL;
		*cause = xasprintf("'%s' is a directory, not a file", rel);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = FILES_EINVAL;
		*cause = xasprintf("'%s' is not a regular file (a fifo, "
		    "socket or device)", rel);
		goto out;
	}
	fd = open(real, O_RDONLY|O_NOFOLLOW|O_NONBLOCK|O_NOCTTY|O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) != 0) {
		e = errno;
		rc = files_errno_rc(e);
		*cause = xasprintf("cannot read '%s': %s", rel, strerror(e));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = FILES_EINVAL;
		*cause = xasprintf("'%s' is not a regular file", rel);
		goto out;
	}

	size = (uint64_t)st.st_size;
	want = 0;
	if (offset < size)
		want = (size - offset < max) ? (size_t)(size - offset) : max;
	data = xmalloc(want + 1);
	while (len < want) {
		r = pread(fd, data + len, want - len, (off_t)(offset + len));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			e = errno;
			rc = FILES_EIO;
			*cause = xasprintf("cannot read '%s': %s", rel,
			    strerror(e));
			goto out;
		}
		if (r == 0)
			break;	/* shrunk since fstat */
		len += (size_t)r;
	}
	data[len] = '\0';

	out->data = data;
	out->len = len;
	out->size = size;
	out->offset = offset;
	out->truncated = (offset < size && offset + len < size);
	out->binary = !files_utf8((unsigned char *)data, len, offset > 0,
	    out->truncated);
	data = NULL;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	free(data);
	free(real);
	return rc;
}

int
files_names(int fd, char ***out, size_t *n)
{
	struct dirent	*de;
	DIR		*dir;
	char		**v = NULL;
	size_t		 nv = 0, cap = 0;
	int		 dfd, e;

	if ((dfd = openat(fd, ".", O_RDONLY|O_DIRECTORY|O_CLOEXEC)) == -1)
		return -1;
	if ((dir = fdopendir(dfd)) == NULL) {
		e = errno;
		close(dfd);
		errno = e;
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(dir)) == NULL)
			break;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (nv == cap) {
			cap = (cap == 0) ? 16 : cap * 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[nv++] = xstrdup(de->d_name);
	}
	e = errno;
	closedir(dir);
	if (e != 0) {
		files_names_free(v, nv);
		errno = e;
		return -1;
	}
	*out = v;
	*n = nv;
	return 0;
}

void
files_names_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The path of name in the directory at the top of the stack, for messages. */
static char *
files_level_path(const char *top, struct files_level *stack, size_t depth,
    const char *name)
{
	char	*s = xstrdup(top), *t;
	size_t	 i;

	for (i = 1; i < depth; i++) {
		t = paths_join(s, stack[i].name);
		free(s);
		s = t;
	}
	if (name != NULL) {
		t = paths_join(s, name);
		free(s);
		s = t;
	}
	return s;
}

int
files_remove_tree(const char *arg, char **cause)
{
	struct files_level	*stack = NULL, *top;
	struct stat		 st;
	size_t			 depth = 0, cap = 0, len;
	char			*path, *err = NULL, *p, **names;
	const char		*name;
	size_t			 nnames;
	int			 fd = -1, child, parent, rc = FILES_EIO, e;

	/* "link/" would make lstat and open follow the link. */
	path = xstrdup(arg);
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	if (len == 0 || strcmp(path, "/") == 0) {
		rc = FILES_EINVAL;
		*cause = xasprintf("refusing to remove '%s'", arg);
		goto out;
	}
	if (lstat(path, &st) != 0) {
		e = errno;
		rc = files_errno_rc(e);
		*cause = xasprintf("cannot remove %s: %s", path, strerror(e));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) != 0) {
			e = errno;
			*cause = xasprintf("cannot remove %s: %s", path,
			    strerror(e));
			goto out;
		}
		rc = 0;
		goto out;
	}

	/* Directories we own but may not enter or change are made so. */
	if ((st.st_mode & S_IRWXU) != S_IRWXU)
		(void)chmod(path, (st.st_mode & 07777) | S_IRWXU);
	fd = open(path, O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) != 0 ||
	    files_names(fd, &names, &nnames) != 0) {
		e = errno;
		*cause = xasprintf("cannot remove %s: %s", path, strerror(e));
		goto out;
	}
	cap = 16;
	stack = xcalloc(cap, sizeof *stack);
	stack[0] = (struct files_level){ NULL, st.st_dev, st.st_ino, names,
	    nnames, 0 };
	depth = 1;

	/*
	 * One directory descriptor is open at a time: down by name, up by
	 * "..", checked against the device and inode seen on the way down so
	 * that a directory moved meanwhile stops the walk rather than
	 * redirecting it. Errors are remembered and the walk goes on, so that
	 * as much as possible is removed.
	 */
	while (depth > 0) {
		top = &stack[depth - 1];
		if (top->next < top->n) {
			name = top->names[top->next++];
			if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
				if (errno != ENOENT && err == NULL) {
					e = errno;
					p = files_level_path(path, stack,
					    depth, name);
					err = xasprintf("cannot remove %s: %s",
					    p, strerror(e));
					free(p);
				}
				continue;
			}
			if (!S_ISDIR(st.st_mode)) {
				if (unlinkat(fd, name, 0) != 0 &&
				    errno != ENOENT && err == NULL) {
					e = errno;
					p = files_level_path(path, stack,
					    depth, name);
					err = xasprintf("cannot remove %s: %s",
					    p, strerror(e));
					free(p);
				}
				continue;
			}
			if ((st.st_mode & S_IRWXU) != S_IRWXU) {
				(void)fchmodat(fd, name,
				    (st.st_mode & 07777) | S_IRWXU, 0);
			}
			child = openat(fd, name,
			    O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC);
			if (child == -1 || fstat(child, &st) != 0 ||
			    files_names(child, &names, &nnames) != 0) {
				e = errno;
				if (child != -1)
					close(child);
				if (err == NULL) {
					p = files_level_path(path, stack,
					    depth, name);
					err = xasprintf("cannot remove %s: %s",
					    p, strerror(e));
					free(p);
				}
				continue;
			}
			if (depth == cap) {
				cap *= 2;
				stack = xrealloc(stack, cap * sizeof *stack);
			}
			stack[depth++] = (struct files_level){ xstrdup(name),
			    st.st_dev, st.st_ino, names, nnames, 0 };
			close(fd);
			fd = child;
			continue;
		}

		if (depth == 1) {
			close(fd);
			fd = -1;
			if (rmdir(path) != 0 && err == NULL) {
				e = errno;
				err = xasprintf("cannot remove %s: %s", path,
				    strerror(e));
			}
			files_names_free(top->names, top->n);
			depth = 0;
			break;
		}
		parent = openat(fd, "..", O_RDONLY|O_DIRECTORY|O_CLOEXEC);
		if (parent == -1 || fstat(parent, &st) != 0 ||
		    st.st_dev != stack[depth - 2].dev ||
		    st.st_ino != stack[depth - 2].ino) {
			if (parent != -1)
				close(parent);
			p = files_level_path(path, stack, depth, NULL);
			free(err);
			err = xasprintf("cannot remove %s: it was moved while "
			    "being removed", p);
			free(p);
			goto out;
		}
		close(fd);
		fd = parent;
		if (unlinkat(fd, top->name, AT_REMOVEDIR) != 0 && err == NULL) {
			e = errno;
			p = files_level_path(path, stack, depth, NULL);
			err = xasprintf("cannot remove %s: %s", p, strerror(e));
			free(p);
		}
		files_names_free(top->names, top->n);
		free(top->name);
		depth--;
	}
	if (err != NULL) {
		*cause = err;
		err = NULL;
		goto out;
	}
	rc = 0;
out:
	while (depth > 0) {
		depth--;
		files_names_free(stack[depth].names, stack[depth].n);
		free(stack[depth].name);
	}
	free(stack);
	free(err);
	if (fd != -1)
		close(fd);
	free(path);
	return rc;
}
