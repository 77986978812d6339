/*
 * A project's files as the API shows them: paths resolved safely inside the
 * project root, directory listings, bounded reads, and tree removal.
 */
#ifndef LATHE_FILES_H
#define LATHE_FILES_H

#include <stddef.h>
#include <stdint.h>

/* Return values of the functions below, besides 0 for success. */
#define FILES_EINVAL	-1	/* bad path: absolute, '..', NUL, escapes */
#define FILES_ENOENT	-2	/* no such file or directory */
#define FILES_EIO	-3	/* anything else: permissions, I/O */

enum files_type {
	FILES_FILE,
	FILES_DIR,
	FILES_LINK,	/* a symbolic link, whatever it points to */
	FILES_OTHER,	/* fifo, socket, device */
};

struct files_entry {
	char		*name;
	enum files_type	 type;
	uint64_t	 size;
	int64_t		 mtime_ms;
};

struct files_content {
	char		*data;		/* len bytes, NUL-terminated */
	size_t		 len;
	uint64_t	 size;		/* of the whole file */
	uint64_t	 offset;
	int		 binary;	/* NUL bytes or invalid UTF-8 */
	int		 truncated;	/* more of the file follows */
};

/*
 * Resolve rel (relative, "" or "." for the root) inside root, which must be
 * an absolute canonical path. Reject absolute paths, '..' components and
 * NUL bytes, and paths whose resolution through symbolic links leaves root.
 * On success *out is the canonical absolute path (new string). When the last
 * component does not exist, return FILES_ENOENT.
 */
int	 files_resolve(const char *root, const char *rel, char **out,
	    char **cause);

/* Check rel lexically: relative, not empty, no '..' components, no NUL. */
int	 files_check_relative(const char *rel, char **cause);

/*
 * List directory rel of root in bytewise name order: the entries whose name
 * sorts after after (NULL for the first page), at most limit of them; *more
 * says whether entries remain. Symbolic links are listed, not followed.
 * On success the caller frees *out with files_entries_free.
 */
int	 files_list(const char *root, const char *rel, const char *after,
	    size_t limit, struct files_entry **out, size_t *n, int *more,
	    char **cause);
void	 files_entries_free(struct files_entry *, size_t);

/*
 * Read at most max bytes of file rel from offset. A directory or special
 * file is FILES_EINVAL. On success the caller frees out->data.
 */
int	 files_read(const char *root, const char *rel, uint64_t offset,
	    size_t max, struct files_content *out, char **cause);

/*
 * Remove path and everything below it, never following symbolic links (a
 * link is removed, not what it points to, even as "link/"). Directories
 * the owner may not enter or change are made so first. Any depth works: no
 * path longer than one name is built, one descriptor is open at a time.
 * Return 0, FILES_ENOENT when path does not exist, FILES_EINVAL for "" or
 * "/", or FILES_EIO after removing as much as could be removed.
 */
int	 files_remove_tree(const char *path, char **cause);

/*
 * Read the names in directory fd (not . and ..) into a new array; fd stays
 * open. Return 0, or -1 with errno set. Free with files_names_free.
 */
int	 files_names(int fd, char ***out, size_t *n);
void	 files_names_free(char **, size_t);

#endif
