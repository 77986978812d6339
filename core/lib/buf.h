/* A growable byte buffer, always NUL-terminated for convenience. */
#ifndef LATHE_BUF_H
#define LATHE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;	/* NUL-terminated; NULL until the first append */
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_done(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Return the contents as a C string ("" when empty); owned by the buffer. */
const char *buf_str(struct buf *);
/* Hand the allocated contents to the caller and leave the buffer empty. */
char	*buf_take(struct buf *);

#endif
