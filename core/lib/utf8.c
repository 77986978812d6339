/*
 * The one UTF-8 decoder: the JSON checks, the screen and the Markdown
 * renderer all measure and escape text through it, so they agree on what
 * is valid.
 */
#include "config.h"

#include <stdint.h>

#include "utf8.h"

int
utf8_decode(const char *s, size_t n, long *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 k, need;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		need = 1;
		c = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		need = 2;
		c = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		need = 3;
		c = p[0] & 0x07;
	} else
		goto bad;
	if (need >= n)
		goto bad;
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (p[k] & 0x3f);
	}
	if ((need == 1 && c < 0x80) || (need == 2 && c < 0x800) ||
	    (need == 3 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = (long)c;
	return (int)need + 1;
bad:
	*cp = -1;
	return 1;
}
