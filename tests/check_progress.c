/*
 * check_progress.c - the numbers mcp shows.  dd's summary line is checked
 * against lines GNU dd 9.1 printed itself (bytes and times as it measured
 * them), and against rows worked out from its rules for the exact cases;
 * then the clock, the rate smoothing, the progress line and its drawing
 * on a log and on a terminal.
 */
#include <config.h>

#include <string.h>

#include "check_util.h"
#include "progress.h"

#define GIB (1ULL << 30)
#define MIB (1ULL << 20)

/* Sizes as dd writes them in parentheses: SI, then IEC. */
static const struct {
	uint64_t n;
	const char *si, *iec;
} sizes[] = {
	{ 0, "0 B", "0 B" },
	{ 1, "1 B", "1 B" },
	{ 999, "999 B", "999 B" },
	{ 1000, "1.0 kB", "1000 B" },
	{ 1023, "1.0 kB", "1023 B" },
	{ 1024, "1.0 kB", "1.0 KiB" },
	{ 1536, "1.5 kB", "1.5 KiB" },
	{ 9950, "10 kB", "9.7 KiB" },     /* 9.95 rounds to 10, no decimal */
	{ 9999, "10 kB", "9.8 KiB" },
	{ 10239, "10 kB", "10 KiB" },
	{ 10752, "11 kB", "10 KiB" },     /* 10.5 KiB: a tie, to even */
	{ 99499, "99 kB", "97 KiB" },
	{ 99500, "100 kB", "97 KiB" },    /* 99.5: a tie, to even */
	{ 102399, "102 kB", "100 KiB" },
	{ 999499, "999 kB", "976 KiB" },
	{ 999500, "1.0 MB", "976 KiB" },  /* 999.5 kB is 1.0 MB */
	{ 999999, "1.0 MB", "977 KiB" },
	{ 1023999, "1.0 MB", "1000 KiB" },
	{ 1048575, "1.0 MB", "1.0 MiB" },
	{ 5242880, "5.2 MB", "5.0 MiB" },
	{ 9999999, "10 MB", "9.5 MiB" },
	{ 123456789, "123 MB", "118 MiB" },
	{ 1000000000, "1.0 GB", "954 MiB" },
	{ 1073741824, "1.1 GB", "1.0 GiB" },
	{ 1099511627, "1.1 GB", "1.0 GiB" },
	{ UINT64_MAX, "18 EB", "16 EiB" },
};

START_TEST(test_human)
{
	char buf[PROGRESS_NUM_LEN];

	progress_human(buf, sizeof buf, sizes[_i].n, 1000);
	ck_assert_str_eq(buf, sizes[_i].si);
	progress_human(buf, sizeof buf, sizes[_i].n, 1024);
	ck_assert_str_eq(buf, sizes[_i].iec);
}
END_TEST

/* Whole summary lines.  Those marked dd were printed by GNU dd 9.1. */
static const struct {
	uint64_t bytes, ns;
	const char *line;
} stats[] = {
	/* dd */
	{ 0, 45198, "0 bytes copied, 4.5198e-05 s, 0.0 kB/s" },
	{ 1, 25367, "1 byte copied, 2.5367e-05 s, 39.4 kB/s" },
	{ 512, 56405, "512 bytes copied, 5.6405e-05 s, 9.1 MB/s" },
	{ 999, 25839, "999 bytes copied, 2.5839e-05 s, 38.7 MB/s" },
	{ 1000, 21362, "1000 bytes (1.0 kB) copied, 2.1362e-05 s, 46.8 MB/s" },
	{ 1024, 22263,
	  "1024 bytes (1.0 kB, 1.0 KiB) copied, 2.2263e-05 s, 46.0 MB/s" },
	{ 9950, 27350,
	  "9950 bytes (10 kB, 9.7 KiB) copied, 2.735e-05 s, 364 MB/s" },
	{ 99500, 67010,
	  "99500 bytes (100 kB, 97 KiB) copied, 6.701e-05 s, 1.5 GB/s" },
	{ 999999, 422880,
	  "999999 bytes (1.0 MB, 977 KiB) copied, 0.00042288 s, 2.4 GB/s" },
	{ 1048576, 466866,
	  "1048576 bytes (1.0 MB, 1.0 MiB) copied, 0.000466866 s, 2.2 GB/s" },
	{ 1073741824, 545482000,
	  "1073741824 bytes (1.1 GB, 1.0 GiB) copied, 0.545482 s, 2.0 GB/s" },
	/* whole fractions and multiples of a second: exact, as dd is */
	{ 5, 1000000000, "5 bytes copied, 1 s, 5 B/s" },
	{ 1536, 500000000,
	  "1536 bytes (1.5 kB, 1.5 KiB) copied, 0.5 s, 3.1 kB/s" },
	{ 3000, 2000000000,
	  "3000 bytes (3.0 kB, 2.9 KiB) copied, 2 s, 1.5 kB/s" },
	{ 1073741824, 1000000000,
	  "1073741824 bytes (1.1 GB, 1.0 GiB) copied, 1 s, 1.1 GB/s" },
	/* no time measured: no rate, and no "inf" */
	{ 0, 0, "0 bytes copied, 0 s, 0.0 kB/s" },
	{ 4096, 0, "4096 bytes (4.1 kB, 4.0 KiB) copied, 0 s, 0.0 kB/s" },
	/* the largest counts */
	{ UINT64_MAX, 1,
	  "18446744073709551615 bytes (18 EB, 16 EiB) copied, 1e-09 s, "
	  "18.4 RB/s" },
	{ 999999999, 999999999,
	  "999999999 bytes (1.0 GB, 954 MiB) copied, 1 s, 1.0 GB/s" },
};

START_TEST(test_dd_stats)
{
	char buf[PROGRESS_LINE_LEN];

	progress_dd_stats(buf, sizeof buf, stats[_i].bytes, stats[_i].ns);
	ck_assert_str_eq(buf, stats[_i].line);
}
END_TEST

static const struct {
	double seconds;
	const char *text;
} clocks[] = {
	{ 0, "0:00:00" },
	{ 0.49, "0:00:00" },
	{ 0.5, "0:00:01" },
	{ 59.6, "0:01:00" },
	{ 3599.4, "0:59:59" },
	{ 3600, "1:00:00" },
	{ 86399, "23:59:59" },
	{ 360000, "100:00:00" },
	{ -1, "--:--:--" },
	{ 1e12, "--:--:--" },
};

START_TEST(test_clock)
{
	char buf[PROGRESS_NUM_LEN];

	progress_clock(buf, sizeof buf, clocks[_i].seconds);
	ck_assert_str_eq(buf, clocks[_i].text);
}
END_TEST

/* Not a number, and infinity, from arithmetic the compiler cannot fold. */
START_TEST(test_clock_not_finite)
{
	volatile double zero = 0;
	char buf[PROGRESS_NUM_LEN];

	progress_clock(buf, sizeof buf, zero / zero);
	ck_assert_str_eq(buf, "--:--:--");
	progress_clock(buf, sizeof buf, 1 / zero);
	ck_assert_str_eq(buf, "--:--:--");
}
END_TEST

/* Before the count first moves, the rate is not known: no "0 B/s". */
START_TEST(test_rate_unknown)
{
	struct mcp_rate r;

	progress_rate_start(&r, 10);
	ck_assert_double_eq(progress_rate(&r, 10), -1);
	ck_assert_double_eq(progress_rate(&r, 12), -1);
	progress_rate_note(&r, 11, 0);
	ck_assert_double_eq(progress_rate(&r, 12), -1);
}
END_TEST

/* One window done: the rate over it stays while the next one is under
 * way, and falls once the wait is longer than the first window took. */
START_TEST(test_rate_first_window)
{
	struct mcp_rate r;

	progress_rate_start(&r, 0);
	progress_rate_note(&r, 0.5, 64 * MIB);
	ck_assert_double_eq_tol(progress_rate(&r, 0.5), 128.0 * MIB, 1);
	ck_assert_double_eq_tol(progress_rate(&r, 0.9), 128.0 * MIB, 1);
	ck_assert_double_eq_tol(progress_rate(&r, 2), 32.0 * MIB, 1);
}
END_TEST

/* 64 MiB steps every half second, read ten times a second: no saw
 * tooth; once past the first window, within a fortieth of the truth. */
START_TEST(test_rate_steps)
{
	struct mcp_rate r;
	uint64_t done = 0;

	progress_rate_start(&r, 0);
	for (int tick = 1; tick <= 300; tick++) {
		double t = tick / 10.0;

		if (tick % 5 == 0)
			done += 64 * MIB;
		progress_rate_note(&r, t, done);
		if (t > PROGRESS_WINDOW + 0.5)
			ck_assert_double_eq_tol(progress_rate(&r, t),
						128.0 * MIB, 128.0 * MIB / 40);
	}
}
END_TEST

/* A pipe's count moves every megabyte: the points stay spread over the
 * window, and the rate is the steady one. */
START_TEST(test_rate_pipe)
{
	struct mcp_rate r;

	progress_rate_start(&r, 0);
	for (int ms = 1; ms <= 10000; ms++)
		progress_rate_note(&r, ms / 1000.0, (uint64_t)ms * MIB);
	ck_assert_uint_le(r.n, PROGRESS_POINTS);
	ck_assert_double_eq_tol(progress_rate(&r, 10), 1000.0 * MIB, MIB);
}
END_TEST

/* A stall: the rate falls, towards 0. */
START_TEST(test_rate_stall)
{
	struct mcp_rate r;

	progress_rate_start(&r, 0);
	for (int s = 1; s <= 10; s++)
		progress_rate_note(&r, s, (uint64_t)s * 100 * MIB);
	ck_assert_double_eq_tol(progress_rate(&r, 10), 100.0 * MIB, 1);
	ck_assert_double_lt(progress_rate(&r, 30), 25.0 * MIB);
}
END_TEST

static const struct {
	struct mcp_progress_view v;
	const char *line;
} views[] = {
	{ { 0, 0, -1, 0, false, 0 }, "100% 0 B / 0 B  -- B/s  ETA --:--:--" },
	{ { 0, 0, -1, 0.0001, true, 0 }, "100% 0 B / 0 B  -- B/s  in 0:00:00" },
	{ { 0, GIB, -1, 0, false, 0 },
	  "  0% 0 B / 1.0 GiB  -- B/s  ETA --:--:--" },
	{ { 0, GIB, 0, 0, false, 0 }, "  0% 0 B / 1.0 GiB  0 B/s  ETA --:--:--" },
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false, 0 },
	  " 50% 512 MiB / 1.0 GiB  256 MiB/s  ETA 0:00:02" },
	{ { 1, 3, 1, 0, false, 0 }, " 33% 1 B / 3 B  1 B/s  ETA 0:00:02" },
	{ { 999, 1000, 10, 0, false, 0 },
	  " 99% 999 B / 1000 B  10 B/s  ETA 0:00:00" },
	{ { UINT64_MAX - 2, UINT64_MAX - 1, 1e18, 0, false, 0 },
	  " 99% 16 EiB / 16 EiB  888 PiB/s  ETA 0:00:00" },
	{ { 2 * GIB, 2 * GIB, 1.1 * GIB, 1.82, true, 0 },
	  "100% 2.0 GiB / 2.0 GiB  1.1 GiB/s  in 0:00:02" },
	{ { 3 * GIB, 3 * GIB, 1e9, 4000, true, 0 },
	  "100% 3.0 GiB / 3.0 GiB  954 MiB/s  in 1:06:40" },
	{ { GIB, PROGRESS_UNKNOWN, MIB, 9, false, 0 },
	  "1.0 GiB  1.0 MiB/s  elapsed 0:00:09" },
	{ { 0, PROGRESS_UNKNOWN, -1, 0, false, 0 },
	  "0 B  -- B/s  elapsed 0:00:00" },
	/* Fitted to a terminal: one column spare, fields dropped from the
	 * right. */
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false, 80 },
	  " 50% 512 MiB / 1.0 GiB  256 MiB/s  ETA 0:00:02" },
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false, 47 },
	  " 50% 512 MiB / 1.0 GiB  256 MiB/s  ETA 0:00:02" },
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false, 46 },
	  " 50% 512 MiB / 1.0 GiB  256 MiB/s" },
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false, 40 },
	  " 50% 512 MiB / 1.0 GiB  256 MiB/s" },
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false, 30 },
	  " 50% 512 MiB / 1.0 GiB" },
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false, 20 }, " 50%" },
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false, 4 }, " 50" },
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false, 1 }, "" },
	{ { 3 * GIB, 3 * GIB, 1e9, 4000, true, 40 },
	  "100% 3.0 GiB / 3.0 GiB  954 MiB/s" },
	{ { GIB, PROGRESS_UNKNOWN, MIB, 9, false, 30 },
	  "1.0 GiB  1.0 MiB/s" },
	{ { GIB, PROGRESS_UNKNOWN, MIB, 9, false, 40 },
	  "1.0 GiB  1.0 MiB/s  elapsed 0:00:09" },
};

/* A name line too long for the terminal loses its middle. */
static const struct {
	const char *text;
	unsigned width;
	const char *want;
} fits[] = {
	{ "'a' -> 'b'", 0, "'a' -> 'b'" },
	{ "'a' -> 'b'", 11, "'a' -> 'b'" },
	{ "'a' -> 'b'", 10, "'a'...'b'" },
	{ "'/srv/images/disk.img' -> '/backup/disk.img'", 40,
	  "'/srv/images/disk....'/backup/disk.img'" },
	/* characters, not bytes */
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 5, "...\xc3\xa9" },
	{ "abcdef", 4, "abc" },
};

START_TEST(test_fit)
{
	char buf[PROGRESS_NAME_LEN];

	progress_fit(buf, sizeof buf, fits[_i].text, fits[_i].width);
	ck_assert_str_eq(buf, fits[_i].want);
}
END_TEST

START_TEST(test_format)
{
	char buf[PROGRESS_LINE_LEN];

	progress_format(buf, sizeof buf, &views[_i].v);
	ck_assert_str_eq(buf, views[_i].line);
}
END_TEST

static const struct {
	uint64_t bytes, ns, want;
} per_second[] = {
	{ 0, 0, 0 },
	{ 1000, 0, 0 },
	{ 1000, 1000000000, 1000 },
	{ 1, 1, 1000000000 },
	{ 3, 2000000000, 1 },
	{ UINT64_MAX, 1, UINT64_MAX },
};

START_TEST(test_per_second)
{
	ck_assert_uint_eq(progress_per_second(per_second[_i].bytes,
					      per_second[_i].ns),
			  per_second[_i].want);
}
END_TEST

/* Everything written to f so far. */
static char *contents(FILE *f)
{
	static char buf[4096];
	size_t n;

	ck_assert_int_eq(fflush(f), 0);
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	return buf;
}

#define S 1000000000ULL

/* A log (not a terminal) gets the name on a line of its own, then a
 * line a second at most, then the final line.  The rate is the slope
 * over the points of the last seconds: 3 MiB in 2 s, 1.5 MiB/s. */
START_TEST(test_draw_log)
{
	FILE *f = tmpfile();
	struct mcp_progress p;

	ck_assert_ptr_nonnull(f);
	progress_begin(&p, f, "x", 4 * MIB, 10 * S);
	ck_assert(!p.tty);
	progress_update(&p, MIB / 2, 10 * S + S / 2);
	ck_assert_str_eq(contents(f), "");
	progress_update(&p, MIB, 11 * S);
	progress_update(&p, 2 * MIB, 11 * S + S / 2);
	progress_update(&p, 3 * MIB, 12 * S);
	progress_end(&p, 4 * MIB, 14 * S, true);
	ck_assert_str_eq(contents(f),
			 "x\n"
			 " 25% 1.0 MiB / 4.0 MiB  1.0 MiB/s  ETA 0:00:03\n"
			 " 75% 3.0 MiB / 4.0 MiB  1.5 MiB/s  ETA 0:00:01\n"
			 "100% 4.0 MiB / 4.0 MiB  1.0 MiB/s  in 0:00:04\n");
	fclose(f);
}
END_TEST

/* A terminal gets each line over the last one with \r, blanks what a
 * shorter line leaves, and a newline after the final line only.  With an
 * interval of 0 every update draws. */
START_TEST(test_draw_tty)
{
	FILE *f = tmpfile();
	struct mcp_progress p;

	ck_assert_ptr_nonnull(f);
	progress_begin(&p, f, NULL, 1000, 0);
	p.tty = true;
	progress_set_interval(&p, 0);
	progress_update(&p, 500, S);
	progress_end(&p, 1000, 1000 * S, true);
	ck_assert_str_eq(contents(f),
			 "\r 50% 500 B / 1000 B  500 B/s  ETA 0:00:01"
			 "\r100% 1000 B / 1000 B  1 B/s  in 0:16:40  \n");
	fclose(f);
}
END_TEST

/* A failed copy only ends the line on a terminal: no 100 %. */
START_TEST(test_draw_failed)
{
	FILE *f = tmpfile();
	struct mcp_progress p;

	ck_assert_ptr_nonnull(f);
	progress_begin(&p, f, NULL, 1000, 0);
	p.tty = true;
	progress_set_interval(&p, 0);
	progress_update(&p, 500, S);
	progress_end(&p, 500, 2 * S, false);
	ck_assert_str_eq(contents(f),
			 "\r 50% 500 B / 1000 B  500 B/s  ETA 0:00:01\n");
	fclose(f);
}
END_TEST

static Suite *progress_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("progress");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_loop_test(tc, test_human, 0, ARRAY_LEN(sizes));
	tcase_add_loop_test(tc, test_dd_stats, 0, ARRAY_LEN(stats));
	tcase_add_loop_test(tc, test_clock, 0, ARRAY_LEN(clocks));
	tcase_add_test(tc, test_clock_not_finite);
	tcase_add_test(tc, test_rate_unknown);
	tcase_add_test(tc, test_rate_first_window);
	tcase_add_test(tc, test_rate_steps);
	tcase_add_test(tc, test_rate_pipe);
	tcase_add_test(tc, test_rate_stall);
	tcase_add_loop_test(tc, test_fit, 0, ARRAY_LEN(fits));
	tcase_add_loop_test(tc, test_format, 0, ARRAY_LEN(views));
	tcase_add_loop_test(tc, test_per_second, 0, ARRAY_LEN(per_second));
	tcase_add_test(tc, test_draw_log);
	tcase_add_test(tc, test_draw_tty);
	tcase_add_test(tc, test_draw_failed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(progress_suite());
}
