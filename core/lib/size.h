/*
 * Sizes in bytes as people write and read them: "4M", "2 GiB", "1.5G" in
 * options and forms, "2 GiB" in messages. Units are binary: K, KB and KiB
 * all mean 1024.
 */
#ifndef LATHE_SIZE_H
#define LATHE_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Room for anything size_format writes ("1023.75 MiB"), with its NUL. */
#define SIZE_FORMAT_MAX	16

/*
 * Parse a size: digits, optionally a fraction (only with a unit of K or
 * more; the result is truncated to whole bytes), optionally spaces, then
 * an optional unit: B, or K, M, G, T, P, E alone or followed by B or iB,
 * letters in any case. Return 0 with *out, or -1 (and *out untouched) for
 * an empty, negative, malformed or too large (over 2^64 - 1) size.
 */
int	 size_parse(const char *s, uint64_t *out);

/*
 * Write bytes for a reader into buf (at most len bytes with the NUL):
 * exact where a short form is exact ("0 B", "900 B", "512 MiB",
 * "1.5 GiB", "1100 MiB"), else rounded in the largest unit that fits,
 * keeping a decimal below 100 ("1.3 GiB", "1.0 GiB", "123 GiB").
 */
void	 size_format(uint64_t bytes, char *buf, size_t len);

#endif
