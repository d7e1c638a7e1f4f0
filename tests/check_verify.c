/*
 * check_verify.c - verify_files() on real files under $TMPDIR that
 * differ at known offsets: the first difference is reported exactly, in
 * the first byte, either side of a window or chunk boundary, in the last
 * partial page, in a hole of one file but not the other, and the lowest
 * one wins whichever worker finds it.  A SOURCE that shrank is a fault.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "check_util.h"
#include "plan.h"
#include "signals.h"
#include "verify.h"
#include "window.h"

static uint64_t page;

/* 37 pages and 123 bytes, in chunks of 4 pages, windows of 2. */
#define PAGES 37
#define TAIL 123
#define NONE UINT64_MAX

/* An offset as pages plus bytes, so rows hold for any page size. */
struct at {
	uint64_t p, b;
};

static const struct {
	unsigned jobs;
	bool holes;       /* both files sparse: data only in pages 1, 5-6, 36 */
	int n;            /* differences, flipped bytes of DEST */
	struct at diff[4];
	uint64_t grow;    /* bytes appended to DEST */
	struct at first;  /* the expected answer, p = NONE for equal */
} cases[] = {
	{ 1, false, 0, { { 0, 0 } }, 0, { NONE, 0 } },
	{ 4, false, 0, { { 0, 0 } }, 0, { NONE, 0 } },
	{ 1, false, 1, { { 0, 0 } }, 0, { 0, 0 } },
	{ 4, false, 1, { { 2, -1ULL } }, 0, { 2, -1ULL } }, /* last of window */
	{ 4, false, 1, { { 2, 0 } }, 0, { 2, 0 } },  /* first of window 2 */
	{ 4, false, 1, { { 4, 0 } }, 0, { 4, 0 } },  /* first of chunk 1 */
	{ 3, false, 1, { { PAGES, TAIL - 1 } }, 0, { PAGES, TAIL - 1 } },
	{ 4, false, 4, { { 30, 5 }, { 9, 0 }, { 33, 1 }, { 20, 7 } }, 0,
	  { 9, 0 } },
	{ 4, false, 2, { { PAGES, 0 }, { 0, 3 } }, 0, { 0, 3 } },
	{ 2, false, 0, { { 0, 0 } }, 1, { PAGES, TAIL } }, /* DEST longer */
	{ 4, true, 0, { { 0, 0 } }, 0, { NONE, 0 } },
	{ 4, true, 1, { { 12, 9 } }, 0, { 12, 9 } },  /* in a hole of SOURCE */
	{ 4, true, 1, { { 5, 77 } }, 0, { 5, 77 } },  /* in SOURCE's data */
	{ 1, true, 2, { { 36, 4 }, { 20, 0 } }, 0, { 20, 0 } },
};

static uint64_t at(struct at a)
{
	return a.p * page + a.b;
}

static void fill(char *p, uint64_t n, unsigned seed)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;

	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (char)(x | 1); /* never 0, so a flip is never a hole */
	}
}

static int temp_file(void)
{
	char path[PATH_MAX];
	int fd = check_tmpfile(path, sizeof path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(unlink(path), 0);
	return fd;
}

/* Write the row's file: all of data, or only pages 1, 5-6 and 36. */
static void write_file(int fd, const char *data, uint64_t size, bool holes)
{
	static const unsigned pages[] = { 1, 5, 6, 36 };

	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	if (!holes) {
		ck_assert_int_eq(pwrite(fd, data, size, 0), (ssize_t)size);
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(pages); i++)
		ck_assert_int_eq(pwrite(fd, data + pages[i] * page, page,
					(off_t)(pages[i] * page)),
				 (ssize_t)page);
}

/* Turn the byte of fd at off into something else. */
static void flip(int fd, uint64_t off)
{
	char c;

	ck_assert_int_eq(pread(fd, &c, 1, (off_t)off), 1);
	c = (char)~c;
	ck_assert_int_eq(pwrite(fd, &c, 1, (off_t)off), 1);
}

START_TEST(test_verify)
{
	uint64_t size = PAGES * page + TAIL, diff = 0;
	char *data = malloc(size);
	int src = temp_file(), dst = temp_file(), rc;
	struct mcp_fault fault;
	struct mcp_plan plan;

	ck_assert_ptr_nonnull(data);
	fill(data, size, (unsigned)_i);
	write_file(src, data, size, cases[_i].holes);
	write_file(dst, data, size, cases[_i].holes);
	for (int i = 0; i < cases[_i].n; i++)
		flip(dst, at(cases[_i].diff[i]));
	if (cases[_i].grow)
		ck_assert_int_eq(ftruncate(dst, (off_t)(size + cases[_i].grow)),
				 0);
	ck_assert_int_eq(plan_make(size, (long)page, cases[_i].jobs, 4 * page,
				   &plan), 0);
	plan.window = 2 * page;
	memset(&fault, 0, sizeof fault);
	rc = verify_files(&plan, src, dst, MCP_CACHE_AUTO, &diff, &fault);
	ck_assert_int_eq(fault.side, MCP_SIDE_NONE);
	if (cases[_i].first.p == NONE) {
		ck_assert_int_eq(rc, 0);
	} else {
		ck_assert_int_eq(rc, 1);
		ck_assert_uint_eq(diff, at(cases[_i].first));
	}
	free(data);
	close(src);
	close(dst);
}
END_TEST

/* A DEST shorter than SOURCE differs where it ends, even when its
 * bytes up to there are right. */
START_TEST(test_dest_short)
{
	uint64_t size = PAGES * page + TAIL, diff = 0;
	char *data = malloc(size);
	int src = temp_file(), dst = temp_file();
	struct mcp_fault fault;
	struct mcp_plan plan;

	ck_assert_ptr_nonnull(data);
	fill(data, size, 99);
	write_file(src, data, size, false);
	write_file(dst, data, size, false);
	ck_assert_int_eq(ftruncate(dst, (off_t)(3 * page)), 0);
	ck_assert_int_eq(plan_make(size, (long)page, 2, 4 * page, &plan), 0);
	memset(&fault, 0, sizeof fault);
	ck_assert_int_eq(verify_files(&plan, src, dst, MCP_CACHE_AUTO, &diff,
				      &fault),
			 1);
	ck_assert_uint_eq(diff, 3 * page);
	free(data);
	close(src);
	close(dst);
}
END_TEST

/* A SOURCE that shrank after planning: a fault naming SOURCE, with
 * every worker, not a difference and not a crash. */
START_TEST(test_source_shrank)
{
	uint64_t size = PAGES * page + TAIL, diff = 0;
	char *data = malloc(size);
	int src = temp_file(), dst = temp_file();
	struct mcp_fault fault;
	struct mcp_plan plan;

	ck_assert_ptr_nonnull(data);
	fill(data, size, 98);
	write_file(src, data, size, false);
	write_file(dst, data, size, false);
	ck_assert_int_eq(ftruncate(src, (off_t)(3 * page + 1)), 0);
	ck_assert_int_eq(plan_make(size, (long)page, (unsigned)_i + 1,
				   4 * page, &plan), 0);
	memset(&fault, 0, sizeof fault);
	ck_assert_int_eq(verify_files(&plan, src, dst, MCP_CACHE_AUTO, &diff,
				      &fault),
			 -1);
	ck_assert_int_eq(fault.side, MCP_SIDE_SRC);
	ck_assert_int_eq(fault.err, MCP_ECHANGED);
	free(data);
	close(src);
	close(dst);
}
END_TEST

static void setup(void)
{
	page = (uint64_t)sysconf(_SC_PAGESIZE);
	ck_assert_int_eq(signals_init(), 0);
	ck_assert_int_eq(window_install_sigbus(), 0);
}

static Suite *verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("verify");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_verify, 0, ARRAY_LEN(cases));
	tcase_add_test(tc, test_dest_short);
	tcase_add_loop_test(tc, test_source_shrank, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(verify_suite());
}
