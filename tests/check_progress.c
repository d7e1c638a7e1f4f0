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

/* Samples (bytes/s, seconds) in turn, and the smoothed rate after them.
 * PROGRESS_TAU is 2 s: a sample over 2 s keeps half of what came before,
 * one over 1 s two thirds. */
static const struct {
	double samples[3][2];
	int n;
	double want;
} smooth[] = {
	{ { { 0 } }, 0, -1 },                /* no sample: not known */
	{ { { 100, 0 } }, 1, -1 },           /* over no time: none */
	{ { { 100, 0.1 } }, 1, 100 },        /* one sample is the rate */
	{ { { 100, 5 } }, 1, 100 },
	{ { { 100, 2 }, { 200, 2 } }, 2, 125.0 / 0.75 },
	{ { { 0, 1 }, { 300, 1 } }, 2, 180 },
	{ { { 300, 1 }, { 0, 1 } }, 2, 120 },
	{ { { 50, 1 }, { 50, 0.5 }, { 50, 3 } }, 3, 50 },
	/* ten times the time, ten times the weight, while still young */
	{ { { 1000, 0.001 }, { 100, 0.01 } }, 2, 181.781 },
};

START_TEST(test_smooth)
{
	struct mcp_rate r = { 0, 0 };

	for (int i = 0; i < smooth[_i].n; i++)
		progress_smooth(&r, smooth[_i].samples[i][0],
				smooth[_i].samples[i][1]);
	ck_assert_double_eq_tol(progress_rate(&r), smooth[_i].want, 0.001);
}
END_TEST

/* Ten samples a second of a steady rate after a wild first one: the
 * first second already averages it away to within a fifth, 20 s make it
 * the steady rate, and one odd sample then moves it by less than half. */
START_TEST(test_smooth_steady)
{
	struct mcp_rate r = { 0, 0 };

	progress_smooth(&r, 1e9, 0.1);
	for (int i = 1; i < 10; i++)
		progress_smooth(&r, 100e6, 0.1);
	ck_assert_double_lt(progress_rate(&r), 200e6);
	for (int i = 10; i < 200; i++)
		progress_smooth(&r, 100e6, 0.1);
	ck_assert_double_eq_tol(progress_rate(&r), 100e6, 1e6);
	progress_smooth(&r, 1e9, 0.1);
	ck_assert_double_lt(progress_rate(&r), 150e6);
}
END_TEST

static const struct {
	struct mcp_progress_view v;
	const char *line;
} views[] = {
	{ { 0, 0, -1, 0, false }, "100% 0 B / 0 B  -- B/s  ETA --:--:--" },
	{ { 0, 0, -1, 0.0001, true }, "100% 0 B / 0 B  -- B/s  in 0:00:00" },
	{ { 0, GIB, -1, 0, false },
	  "  0% 0 B / 1.0 GiB  -- B/s  ETA --:--:--" },
	{ { 0, GIB, 0, 0, false }, "  0% 0 B / 1.0 GiB  0 B/s  ETA --:--:--" },
	{ { 512 * MIB, GIB, 256.0 * MIB, 0, false },
	  " 50% 512 MiB / 1.0 GiB  256 MiB/s  ETA 0:00:02" },
	{ { 1, 3, 1, 0, false }, " 33% 1 B / 3 B  1 B/s  ETA 0:00:02" },
	{ { 999, 1000, 10, 0, false },
	  " 99% 999 B / 1000 B  10 B/s  ETA 0:00:00" },
	{ { UINT64_MAX - 2, UINT64_MAX - 1, 1e18, 0, false },
	  " 99% 16 EiB / 16 EiB  888 PiB/s  ETA 0:00:00" },
	{ { 2 * GIB, 2 * GIB, 1.1 * GIB, 1.82, true },
	  "100% 2.0 GiB / 2.0 GiB  1.1 GiB/s  in 0:00:02" },
	{ { 3 * GIB, 3 * GIB, 1e9, 4000, true },
	  "100% 3.0 GiB / 3.0 GiB  954 MiB/s  in 1:06:40" },
	{ { GIB, PROGRESS_UNKNOWN, MIB, 0, false },
	  " --% 1.0 GiB / ?  1.0 MiB/s  ETA --:--:--" },
	{ { GIB, PROGRESS_UNKNOWN, MIB, 1024, true },
	  " --% 1.0 GiB / ?  1.0 MiB/s  in 0:17:04" },
};

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

/* A log (not a terminal) gets a line a second at most, then the final
 * line.  The rate is smoothed: 1 MiB/s, then 2 MiB/s over a second each
 * make 1.6 MiB/s. */
START_TEST(test_draw_log)
{
	FILE *f = tmpfile();
	struct mcp_progress p;

	ck_assert_ptr_nonnull(f);
	progress_begin(&p, f, "x: ", 4 * MIB, 10 * S);
	ck_assert(!p.tty);
	progress_update(&p, MIB / 2, 10 * S + S / 2);
	ck_assert_str_eq(contents(f), "");
	progress_update(&p, MIB, 11 * S);
	progress_update(&p, 2 * MIB, 11 * S + S / 2);
	progress_update(&p, 3 * MIB, 12 * S);
	progress_end(&p, 4 * MIB, 14 * S, true);
	ck_assert_str_eq(contents(f),
			 "x:  25% 1.0 MiB / 4.0 MiB  1.0 MiB/s  ETA 0:00:03\n"
			 "x:  75% 3.0 MiB / 4.0 MiB  1.6 MiB/s  ETA 0:00:01\n"
			 "x: 100% 4.0 MiB / 4.0 MiB  1.0 MiB/s  in 0:00:04\n");
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
	progress_begin(&p, f, "", 1000, 0);
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
	progress_begin(&p, f, "", 1000, 0);
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
	tcase_add_loop_test(tc, test_smooth, 0, ARRAY_LEN(smooth));
	tcase_add_test(tc, test_smooth_steady);
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
