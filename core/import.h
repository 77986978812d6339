/*
 * Filling a new project directory from a source: an archive (zip, tar and
 * the compressions libarchive reads), a copy of a directory, or a git
 * clone. Every function is safe to call from a worker thread: no chdir, no
 * shared state.
 */
#ifndef LATHE_IMPORT_H
#define LATHE_IMPORT_H

#include <stdint.h>

struct import_opts {
	uint64_t	 max_bytes;	/* cap on bytes written; 0: none */
	uint64_t	 max_entries;	/* cap on files and dirs; 0: none */
	const char	*git;		/* git program, "git" if NULL */
	int		 git_timeout_s;	/* 0 for none */
};

/*
 * Each function creates directory dst (which must not exist; its parent
 * must) and fills it. On failure it removes dst again and returns -1 with
 * *cause saying what was wrong, naming the offending entry where there is
 * one. Nothing is written outside dst.
 */

/*
 * Extract an archive. Refused whole, before anything is kept: entries with
 * absolute paths or '..' components, symbolic or hard links that point
 * outside the archive's tree, device files, fifos and sockets, and archives
 * that expand past max_bytes or max_entries.
 */
int	 import_archive(const char *archive, const char *dst,
	    const struct import_opts *, char **cause);

/*
 * Copy directory src: regular files (with their modes and times),
 * directories and symbolic links (as links, never followed); other file
 * types are skipped. Fails past max_bytes or max_entries. The .git
 * directory is copied like the rest; dst itself is skipped if it lies
 * inside src.
 */
int	 import_copy(const char *src, const char *dst,
	    const struct import_opts *, char **cause);

/*
 * Run git clone of url into dst, never prompting for credentials; git's own
 * error output is the cause on failure.
 */
int	 import_git(const char *url, const char *dst,
	    const struct import_opts *, char **cause);

#endif
