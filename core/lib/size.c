/*
 * Sizes in bytes, parsed from what people type and formatted for what they
 * read. Parsing is integer arithmetic throughout, so that "1.5G" is exactly
 * 1610612736 and no size near 2^64 wraps; formatting prefers a form that
 * is exact and short, and says "1.0 GiB" rather than "1 GiB" when it has
 * rounded.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "size.h"

#define SIZE_FRACTION_MAX	64	/* digits after the point */

static const char	 size_prefixes[] = "KMGTPE";
static const char	*size_units[] = { "B", "KiB", "MiB", "GiB", "TiB",
			    "PiB", "EiB" };

/*
 * Parse the unit at s into a shift (0 for bytes, 10 for K, ...). Return
 * 0, or -1 if s is not a unit.
 */
static int
size_unit(const char *s, int *shift)
{
	const char	*p;

	if (*s == '\0' || strcasecmp(s, "b") == 0) {
		*shift = 0;
		return 0;
	}
	if ((p = strchr(size_prefixes, toupper((unsigned char)*s))) == NULL)
		return -1;
	s++;
	if (*s != '\0' && strcasecmp(s, "b") != 0 && strcasecmp(s, "ib") != 0)
		return -1;
	*shift = 10 * (int)(p - size_prefixes + 1);
	return 0;
}

/*
 * The first shift bits of the binary expansion of the decimal fraction
 * 0.d[0]d[1]..d[n-1], that is floor(0.ddd * 2^shift), by doubling the
 * decimal digits shift times and collecting the carries.
 */
static uint64_t
size_fraction(unsigned char *d, size_t n, int shift)
{
	uint64_t	 v = 0;
	size_t		 i;
	int		 bit, carry, x;

	for (bit = 0; bit < shift; bit++) {
		carry = 0;
		for (i = n; i > 0; i--) {
			x = d[i - 1] * 2 + carry;
			d[i - 1] = (unsigned char)(x % 10);
			carry = x / 10;
		}
		v = (v << 1) | (uint64_t)carry;
	}
	return v;
}

int
size_parse(const char *s, uint64_t *out)
{
	unsigned char	 frac[SIZE_FRACTION_MAX];
	const char	*p = s;
	uint64_t	 n = 0, d;
	size_t		 nfrac = 0;
	int		 shift, point = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		d = (uint64_t)(*p - '0');
		if (n > (UINT64_MAX - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	if (*p == '.') {
		point = 1;
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		for (; isdigit((unsigned char)*p); p++) {
			if (nfrac == sizeof frac)
				return -1;
			frac[nfrac++] = (unsigned char)(*p - '0');
		}
	}
	while (*p == ' ')
		p++;
	if (p > s && p[-1] == ' ' && *p == '\0')
		return -1;
	if (size_unit(p, &shift) != 0)
		return -1;
	/* A fraction of a byte is not a size. */
	if (point && shift == 0)
		return -1;
	if (n > (UINT64_MAX >> shift))
		return -1;
	/* The fraction is below 1 << shift: adding it cannot wrap. */
	*out = (n << shift) + (point ? size_fraction(frac, nfrac, shift) : 0);
	return 0;
}

void
size_format(uint64_t bytes, char *buf, size_t len)
{
	uint64_t	 unit, q, r, whole, tenths;
	int		 u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return;
	}
	while (u < 6 && bytes >> (10 * (u + 1)) != 0)
		u++;
	unit = (uint64_t)1 << (10 * u);
	q = bytes / unit;
	r = bytes % unit;

	/* Exact: whole, or a quarter, half or three quarters of a unit. */
	if (r == 0) {
		snprintf(buf, len, "%llu %s", (unsigned long long)q,
		    size_units[u]);
		return;
	}
	if (r % (unit / 4) == 0) {
		snprintf(buf, len, "%llu.%s %s", (unsigned long long)q,
		    (r == unit / 2) ? "5" : (r < unit / 2) ? "25" : "75",
		    size_units[u]);
		return;
	}
	/* Exact in the unit below, in four digits at most ("1100 MiB"). */
	if (r % (unit >> 10) == 0 && bytes / (unit >> 10) < 10000) {
		snprintf(buf, len, "%llu %s",
		    (unsigned long long)(bytes / (unit >> 10)),
		    size_units[u - 1]);
		return;
	}

	/* Rounded: r * 10 < 10 << 60 fits, and so does half a unit more. */
	tenths = q * 10 + (r * 10 + unit / 2) / unit;
	if (tenths < 1000) {
		snprintf(buf, len, "%llu.%llu %s",
		    (unsigned long long)(tenths / 10),
		    (unsigned long long)(tenths % 10), size_units[u]);
		return;
	}
	whole = q + (r >= unit - r ? 1 : 0);
	if (whole == 1024 && u < 6) {
		snprintf(buf, len, "1.0 %s", size_units[u + 1]);
		return;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)whole,
	    size_units[u]);
}
