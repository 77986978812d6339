/*
 * Unit tests for core/lib/size.c: what people type is parsed exactly or
 * refused, and what they read is short and, where it can be, exact.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "size.h"

#define KiB	((uint64_t)1 << 10)
#define MiB	((uint64_t)1 << 20)
#define GiB	((uint64_t)1 << 30)
#define TiB	((uint64_t)1 << 40)
#define PiB	((uint64_t)1 << 50)
#define EiB	((uint64_t)1 << 60)

static void
test_parse_good(void **state)
{
	static const struct {
		const char	*in;
		uint64_t	 want;
	} good[] = {
		{ "0", 0 },
		{ "1", 1 },
		{ "4096", 4096 },
		{ "007", 7 },
		{ "900B", 900 },
		{ "900 B", 900 },
		{ "64K", 64 * KiB },
		{ "64k", 64 * KiB },
		{ "64KB", 64 * KiB },
		{ "64KiB", 64 * KiB },
		{ "4M", 4 * MiB },
		{ "512MiB", 512 * MiB },
		{ "512mib", 512 * MiB },
		{ "512 MiB", 512 * MiB },
		{ "2G", 2 * GiB },
		{ "2g", 2 * GiB },
		{ "2GB", 2 * GiB },
		{ "2Gb", 2 * GiB },
		{ "2GiB", 2 * GiB },
		{ "2 GiB", 2 * GiB },
		{ "2  GiB", 2 * GiB },
		{ "1T", TiB },
		{ "1 TiB", TiB },
		{ "3P", 3 * PiB },
		{ "15E", 15 * EiB },
		{ "1.5G", GiB + GiB / 2 },
		{ "1.5 GiB", GiB + GiB / 2 },
		{ "0.5K", 512 },
		{ "0.25M", MiB / 4 },
		{ "2.0G", 2 * GiB },
		{ "2.000000G", 2 * GiB },
		{ "1.1K", 1126 },		/* 1126.4, truncated */
		{ "0.001K", 1 },		/* 1.024 */
		{ "0.0009K", 0 },		/* 0.9216 */
		{ "1.999999999999999999999K", 2047 },
		{ "18446744073709551615", UINT64_MAX },
		{ "18446744073709551615B", UINT64_MAX },
		{ "16777215T", 16777215 * TiB },
		{ "15.999999999999999999E", UINT64_MAX - 1 },
		{ "15.9999999999999999999999E", UINT64_MAX },
	};
	uint64_t	v;
	size_t		i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		v = 12345;
		if (size_parse(good[i].in, &v) != 0)
			fail_msg("'%s' was refused", good[i].in);
		if (v != good[i].want)
			fail_msg("'%s' gave %llu, not %llu", good[i].in,
			    (unsigned long long)v,
			    (unsigned long long)good[i].want);
	}
}

static void
test_parse_bad(void **state)
{
	static const char	*bad[] = {
		"", " ", "B", "K", "GiB", "-1", "-0", "+1", " 1", "1 ", "2G ",
		"\t2G", "2\tG", "1,5G", "1.", "1.G", ".5G", "1..5G", "1.5.0G",
		"1.5", "1.5B", "0.5", "2X", "2KK", "2KiBB", "2Ki", "2i", "2iB",
		"2 G B", "2GiB/s", "2 gigabytes", "0x10", "1e3", "inf", "nan",
		"2G\n", "4096\n", "1_000", "２G",
		/* Overflow. */
		"18446744073709551616", "99999999999999999999",
		"184467440737095516150", "16E", "16384P", "16777216T",
		"17179869184G", "17592186044416M", "18014398509481984K",
		"16.0E",
		/* More digits after the point than anyone means. */
		"1.00000000000000000000000000000000000000000000000000000000000"
		"000000G",
	};
	uint64_t	v;
	size_t		i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 12345;
		if (size_parse(bad[i], &v) == 0)
			fail_msg("'%s' was accepted as %llu", bad[i],
			    (unsigned long long)v);
		/* Untouched on failure. */
		assert_int_equal(v, 12345);
	}
}

/* Just at and just past the top, in every unit. */
static void
test_parse_overflow_edges(void **state)
{
	static const char	*units[] = { "", "K", "M", "G", "T", "P", "E" };
	char			 s[64];
	uint64_t		 v, top;
	int			 i;

	for (i = 0; i < 7; i++) {
		top = UINT64_MAX >> (10 * i);
		snprintf(s, sizeof s, "%llu%s", (unsigned long long)top,
		    units[i]);
		assert_int_equal(size_parse(s, &v), 0);
		assert_true(v == top << (10 * i));
		if (i == 0)
			snprintf(s, sizeof s, "18446744073709551616");
		else
			snprintf(s, sizeof s, "%llu%s",
			    (unsigned long long)top + 1, units[i]);
		if (size_parse(s, &v) == 0)
			fail_msg("'%s' did not overflow", s);
	}
}

static void
test_format(void **state)
{
	static const struct {
		uint64_t	 in;
		const char	*want;
	} table[] = {
		{ 0, "0 B" },
		{ 1, "1 B" },
		{ 900, "900 B" },
		{ 1023, "1023 B" },
		{ KiB, "1 KiB" },
		{ 1536, "1.5 KiB" },
		{ 4097, "4097 B" },		/* exact beats rounded */
		{ 64 * KiB, "64 KiB" },
		{ 10 * KiB + 1, "10.0 KiB" },	/* 10241: rounded */
		{ 4 * MiB, "4 MiB" },
		{ 512 * MiB, "512 MiB" },
		{ 1000 * MiB, "1000 MiB" },
		{ 1100 * MiB, "1100 MiB" },
		{ 1023 * MiB, "1023 MiB" },
		{ GiB - 1, "1.0 GiB" },		/* 1023.99 MiB goes up */
		{ GiB, "1 GiB" },
		{ GiB + 1, "1.0 GiB" },
		{ GiB + GiB / 4, "1.25 GiB" },
		{ GiB + GiB / 2, "1.5 GiB" },
		{ GiB + 3 * GiB / 4, "1.75 GiB" },
		{ 1395864371, "1.3 GiB" },
		{ 2 * GiB, "2 GiB" },
		{ 2 * GiB + GiB / 20, "2.0 GiB" },	/* just under 2.05 */
		{ 99 * GiB + GiB * 96 / 100, "100 GiB" },
		{ 123 * GiB + GiB / 3, "123 GiB" },
		{ 1023 * GiB + GiB / 2 + 1, "1.0 TiB" },
		{ 1023 * GiB + GiB / 2 - 1, "1023 GiB" },
		{ TiB, "1 TiB" },
		{ 3 * PiB, "3 PiB" },
		{ EiB, "1 EiB" },
		{ 15 * EiB, "15 EiB" },
		{ UINT64_MAX, "16.0 EiB" },
	};
	char	buf[SIZE_FORMAT_MAX];
	size_t	i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		memset(buf, 'x', sizeof buf);
		size_format(table[i].in, buf, sizeof buf);
		if (strcmp(buf, table[i].want) != 0)
			fail_msg("%llu gave '%s', not '%s'",
			    (unsigned long long)table[i].in, buf,
			    table[i].want);
	}
}

/* Short buffers are cut and terminated, never overrun. */
static void
test_format_short_buffer(void **state)
{
	char	buf[8];

	memset(buf, 'x', sizeof buf);
	size_format(1536 * MiB, buf, 5);
	assert_string_equal(buf, "1.5 ");
	assert_int_equal(buf[5], 'x');
	size_format(2 * GiB, buf, 1);
	assert_string_equal(buf, "");
}

/* The longest forms fit SIZE_FORMAT_MAX. */
static void
test_format_fits(void **state)
{
	static const uint64_t	 in[] = { 1023 * MiB + 3 * MiB / 4,
	    9999 * KiB, UINT64_MAX, UINT64_MAX - 1, 1023 * EiB / 1024 };
	char			 buf[64];
	size_t			 i;

	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		size_format(in[i], buf, sizeof buf);
		assert_true(strlen(buf) < SIZE_FORMAT_MAX);
	}
	size_format(1023 * MiB + 3 * MiB / 4, buf, sizeof buf);
	assert_string_equal(buf, "1023.75 MiB");
}

/* What is formatted exactly parses back to the same size. */
static void
test_round_trip(void **state)
{
	static const uint64_t	 in[] = { 0, 1, 900, 1023, KiB, 1536, 4097,
	    64 * KiB, 4 * MiB, 512 * MiB, 1100 * MiB, GiB, GiB + GiB / 4,
	    GiB + GiB / 2, 2 * GiB, 1023 * GiB + GiB / 2, TiB, 3 * PiB, EiB,
	    15 * EiB, 15 * EiB + 3 * EiB / 4 };
	char			 buf[SIZE_FORMAT_MAX];
	uint64_t		 v;
	size_t			 i;
	int			 shift;

	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		size_format(in[i], buf, sizeof buf);
		assert_int_equal(size_parse(buf, &v), 0);
		if (v != in[i])
			fail_msg("%llu -> '%s' -> %llu",
			    (unsigned long long)in[i], buf,
			    (unsigned long long)v);
	}
	/* Every power of two from a byte to 2^63. */
	for (shift = 0; shift < 64; shift++) {
		size_format((uint64_t)1 << shift, buf, sizeof buf);
		assert_int_equal(size_parse(buf, &v), 0);
		assert_true(v == (uint64_t)1 << shift);
	}
}

/* Rounded forms parse back to within the rounding: a twentieth. */
static void
test_round_trip_rounded(void **state)
{
	static const uint64_t	 in[] = { GiB + 1, 1395864371, 10 * KiB + 1,
	    GiB - 1, 123 * GiB + GiB / 3, UINT64_MAX };
	char			 buf[SIZE_FORMAT_MAX];
	uint64_t		 v, diff;
	size_t			 i;

	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		size_format(in[i], buf, sizeof buf);
		if (size_parse(buf, &v) != 0) {
			/* "16.0 EiB" is one past the top. */
			assert_true(in[i] == UINT64_MAX);
			assert_string_equal(buf, "16.0 EiB");
			continue;
		}
		diff = v > in[i] ? v - in[i] : in[i] - v;
		if (diff > in[i] / 20)
			fail_msg("%llu -> '%s' -> %llu",
			    (unsigned long long)in[i], buf,
			    (unsigned long long)v);
	}
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_overflow_edges),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_short_buffer),
		cmocka_unit_test(test_format_fits),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_rounded),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
