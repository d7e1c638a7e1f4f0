/*
 * check_sparse.c - the pieces of --sparse: the test for pages of zeros,
 * the walk over a file's data segments (on a real sparse file under
 * $TMPDIR), and copy_chunk in each mode, judged by the bytes DEST holds
 * and the blocks it takes.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "check_util.h"
#include "copy.h"
#include "plan.h"
#include "sparse.h"
#include "window.h"

static uint64_t page;

/* A block of 8192 bytes: all zero except those at `set` (-1: none). */
static const struct {
	size_t len;
	long set;
	bool zero;
} zero_cases[] = {
	{ 0, -1, true },    { 1, -1, true },      { 1, 0, false },
	{ 4096, -1, true }, { 4096, 0, false },   { 4096, 4095, false },
	{ 4096, 2048, false }, { 8192, 8191, false }, { 8191, -1, true },
};

START_TEST(test_is_zero)
{
	static unsigned char buf[8192];

	memset(buf, 0, sizeof buf);
	if (zero_cases[_i].set >= 0)
		buf[zero_cases[_i].set] = 0x80;
	ck_assert(sparse_is_zero(buf, zero_cases[_i].len) ==
		  zero_cases[_i].zero);
}
END_TEST

/* Five pages of 16 bytes, then a short one of 10; which are non-zero. */
static const struct {
	const char *pages; /* one letter a page: z zero, d data */
	size_t from;
	bool zero;
	size_t run;
} run_cases[] = {
	{ "zzdzzz", 0, true, 32 },   { "zzdzzz", 0, false, 0 },
	{ "zzdzzz", 32, false, 16 }, { "zzdzzz", 48, true, 42 },
	{ "dddddd", 0, false, 90 },  { "zzzzzz", 0, true, 90 },
	{ "zzzzzd", 0, true, 80 },   { "zzzzzd", 80, false, 10 },
	{ "zzzzzz", 90, true, 0 },
};

START_TEST(test_run)
{
	char buf[90];

	memset(buf, 0, sizeof buf);
	for (size_t i = 0; i < 6; i++)
		if (run_cases[_i].pages[i] == 'd')
			buf[i * 16 + (i % 2) * 5] = 1;
	ck_assert_uint_eq(sparse_run(buf + run_cases[_i].from,
				     sizeof buf - run_cases[_i].from, 16,
				     run_cases[_i].zero),
			  run_cases[_i].run);
}
END_TEST

/* A file of SPARSE_PAGES pages and 100 bytes: data in pages 2-3, 7 and
 * the first 100 bytes of 15; the rest, from 16 on, is a hole. */
#define SPARSE_PAGES 20

static int sparse_temp(void)
{
	static const unsigned data_pages[] = { 2, 3, 7 };
	char path[PATH_MAX], *buf = malloc(page);
	int fd = check_tmpfile(path, sizeof path);

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(unlink(path), 0);
	memset(buf, 0xa5, page);
	ck_assert_int_eq(ftruncate(fd, (off_t)(SPARSE_PAGES * page + 100)), 0);
	for (size_t i = 0; i < ARRAY_LEN(data_pages); i++)
		ck_assert_int_eq(pwrite(fd, buf, page,
					(off_t)(data_pages[i] * page)),
				 (ssize_t)page);
	ck_assert_int_eq(pwrite(fd, buf, 100, (off_t)(15 * page)), 100);
	ck_assert_int_eq(fsync(fd), 0);
	free(buf);
	return fd;
}

/* Ranges in pages plus bytes: [off_p pages, end_p pages + end_b). */
static const struct {
	uint64_t off_p, end_p, end_b;
	int rc;
	uint64_t seg_p, seg_len_p, seg_len_b;
} next_cases[] = {
	{ 0, SPARSE_PAGES, 100, MCP_SPARSE_DATA, 2, 2, 0 },
	{ 3, SPARSE_PAGES, 100, MCP_SPARSE_DATA, 3, 1, 0 },
	{ 4, SPARSE_PAGES, 100, MCP_SPARSE_DATA, 7, 1, 0 },
	{ 4, 7, 0, MCP_SPARSE_HOLE, 0, 0, 0 },
	{ 0, 2, 10, MCP_SPARSE_DATA, 2, 0, 10 },
	{ 8, SPARSE_PAGES, 100, MCP_SPARSE_DATA, 15, 1, 0 },
	{ 16, SPARSE_PAGES, 100, MCP_SPARSE_HOLE, 0, 0, 0 },
	{ 16, SPARSE_PAGES + 1, 100, MCP_SPARSE_SHRANK, 0, 0, 0 },
	{ SPARSE_PAGES + 2, SPARSE_PAGES + 3, 0, MCP_SPARSE_SHRANK, 0, 0, 0 },
	{ 5, 5, 0, MCP_SPARSE_HOLE, 0, 0, 0 },
};

START_TEST(test_next_data)
{
	int fd = sparse_temp();
	uint64_t end = next_cases[_i].end_p * page + next_cases[_i].end_b;
	struct mcp_range d = { 0, 0 };
	int rc;

	/* A file system that reports no holes has none: all is data. */
	if (lseek(fd, 0, SEEK_DATA) != (off_t)(2 * page)) {
		ck_assert_int_eq(sparse_next_data(fd, 0, page, page, &d),
				 MCP_SPARSE_DATA);
		ck_assert_uint_eq(d.length, page);
		close(fd);
		return;
	}
	rc = sparse_next_data(fd, next_cases[_i].off_p * page, end, page, &d);
	ck_assert_int_eq(rc, next_cases[_i].rc);
	if (rc == MCP_SPARSE_DATA) {
		ck_assert_uint_eq(d.offset, next_cases[_i].seg_p * page);
		ck_assert_uint_eq(d.length, next_cases[_i].seg_len_p * page +
						    next_cases[_i].seg_len_b);
	}
	close(fd);
}
END_TEST

/* Bytes a file takes on disk. */
static uint64_t allocated(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (uint64_t)st.st_blocks * 512;
}

/* Copy sparse_temp()'s file, plus a page of real zeros written at page
 * 10, to a fresh DEST with the mode in the row, with small windows. */
static const struct {
	int mode;
	uint64_t data_pages; /* pages DEST must take, at least */
	uint64_t hole_pages; /* pages counted as holes left unwritten... */
	uint64_t hole_tail;  /* ...and bytes of the last partial page */
} mode_cases[] = {
	{ MCP_SPARSE_AUTO, 5, SPARSE_PAGES - 5, 100 },
	{ MCP_SPARSE_ALWAYS, 4, SPARSE_PAGES - 4, 100 },
	{ MCP_SPARSE_NEVER, SPARSE_PAGES, 0, 0 },
};

START_TEST(test_copy_modes)
{
	char path[PATH_MAX], *zeros = calloc(1, page), *a, *b;
	int src = sparse_temp(), dst = check_tmpfile(path, sizeof path);
	uint64_t size = SPARSE_PAGES * page + 100, want, got;
	static const struct workers_task none = { NULL, NULL, NULL, { 0 } };
	struct workers_pool *pool;
	struct workers_slot *slot;
	struct mcp_plan plan;
	struct mcp_chunk chunk;

	ck_assert_int_ge(dst, 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(pwrite(src, zeros, page, (off_t)(10 * page)),
			 (ssize_t)page);
	ck_assert_int_eq(fsync(src), 0);
	ck_assert_int_eq(ftruncate(dst, (off_t)size), 0);
	ck_assert_int_eq(plan_make(size, (long)page, 1, 4 * page, &plan), 0);
	plan.window = 2 * page;
	struct mcp_copy_ctx ctx = { src,
				    dst,
				    &plan,
				    true,
				    mode_cases[_i].mode,
				    MCP_CACHE_AUTO,
				    MCP_SYNC_RANGE,
				    NULL };
	/* The test is the worker; the pool lends it a slot. */
	pool = workers_new(&plan, &none);
	ck_assert_ptr_nonnull(pool);
	ck_assert_int_eq(copy_attach(&ctx, pool), 0);
	slot = workers_slot(pool, 0);
	for (uint64_t i = 0; plan_chunk(&plan, i, &chunk); i++)
		ck_assert_int_eq(copy_chunk(&ctx, &chunk, NULL, slot),
				 WORKERS_DONE);
	ck_assert_int_eq(copy_drain(&ctx, slot), WORKERS_DONE);
	ck_assert_uint_eq(workers_bytes_done(pool), size);
	ck_assert_int_eq(fsync(dst), 0);

	/* The same bytes, whatever the mode. */
	a = malloc(size);
	b = malloc(size);
	ck_assert_int_eq(pread(src, a, size, 0), (ssize_t)size);
	ck_assert_int_eq(pread(dst, b, size, 0), (ssize_t)size);
	ck_assert(memcmp(a, b, size) == 0);

	/* The blocks: data pages (the last one partial) and no more than
	 * a few blocks of file system metadata beside them. */
	want = mode_cases[_i].data_pages * page;
	got = allocated(dst);
	if (lseek(src, 0, SEEK_DATA) == (off_t)(2 * page)) {
		ck_assert_uint_ge(got, want);
		ck_assert_uint_le(got, want + 4 * page);
		ck_assert_uint_eq(copy_holes(&ctx, 1),
				  mode_cases[_i].hole_pages * page +
					  mode_cases[_i].hole_tail);
	}
	free(a);
	free(b);
	free(zeros);
	close(src);
	workers_free(pool);
	close(dst);
}
END_TEST

static void setup(void)
{
	page = (uint64_t)sysconf(_SC_PAGESIZE);
	ck_assert_int_eq(window_install_sigbus(), 0);
}

static Suite *sparse_suite(void)
{
	Suite *s = suite_create("sparse");
	TCase *tc = tcase_create("sparse");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_is_zero, 0, ARRAY_LEN(zero_cases));
	tcase_add_loop_test(tc, test_run, 0, ARRAY_LEN(run_cases));
	tcase_add_loop_test(tc, test_next_data, 0, ARRAY_LEN(next_cases));
	tcase_add_loop_test(tc, test_copy_modes, 0, ARRAY_LEN(mode_cases));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(sparse_suite());
}
