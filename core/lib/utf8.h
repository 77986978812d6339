/*
 * Decoding UTF-8 one character at a time, strictly: overlong forms,
 * surrogates and code points past U+10FFFF are invalid.
 */
#ifndef LATHE_UTF8_H
#define LATHE_UTF8_H

#include <stddef.h>

/*
 * Decode the character at s (n > 0 bytes available). Return the bytes it
 * takes, with *cp the code point; for an invalid or cut-off sequence
 * return 1 with *cp -1, so that callers step over one bad byte.
 */
int	utf8_decode(const char *s, size_t n, long *cp);

#endif
