/*
 * check_plan.c - the chunk plan.  Each row gives a size, a page size, the
 * jobs and a chunk request; every plan is walked with plan_chunk() to
 * show that its chunks are page-aligned, contiguous and cover the file
 * exactly, and that the window and worker count keep their bounds.
 */
#include <config.h>

#include <errno.h>
#include <stdint.h>

#include "check_util.h"
#include "plan.h"

#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define MAX_SIZE ((uint64_t)INT64_MAX)
/* Plans with more chunks than this are walked at both ends only. */
#define WALK_ALL (1ULL << 16)

/* chunk 0: chosen by the plan, checked against its documented bounds;
 * otherwise the expected chunk size and number of chunks. */
static const struct {
	uint64_t size;
	long page;
	unsigned jobs;
	uint64_t request;
	uint64_t chunk, n_chunks;
} cases[] = {
	{ 0, 4096, 1, 0, 0, 0 },
	{ 1, 4096, 1, 0, 0, 0 },
	{ 4095, 4096, 2, 0, 0, 0 },
	{ 4096, 4096, 3, 0, 0, 0 },
	{ 4097, 4096, 16, 0, 0, 0 },
	{ MIB + 3, 4096, 2, 0, 0, 0 },
	{ 5 * GIB, 4096, 16, 0, 0, 0 },
	{ 5 * GIB, 4096, 1024, 0, 0, 0 },
	{ 1ULL << 62, 4096, 16, 0, 0, 0 },
	{ MAX_SIZE, 4096, 1, 0, 0, 0 },
	{ 5 * GIB, 65536, 1024, 0, 0, 0 },
	{ 1, 65536, 1, 0, 0, 0 },
	{ 0, 4096, 16, UINT64_MAX, 4096, 0 },
	{ 1, 4096, 1, 1, 4096, 1 },
	{ 4097, 4096, 2, UINT64_MAX, 8192, 1 },
	{ MIB + 3, 4096, 3, 1, 4096, 257 },
	{ MIB + 3, 4096, 1024, 4095, 4096, 257 },
	{ MIB + 3, 4096, 2, 4097, 8192, 129 },
	{ MIB + 3, 65536, 3, 4097, 65536, 17 },
	{ 5 * GIB, 4096, 16, 10 * MIB + 1, 10 * MIB + 4096, 512 },
	{ 5 * GIB, 4096, 2, UINT64_MAX, 5 * GIB, 1 },
	{ 1ULL << 62, 4096, 1024, UINT64_MAX, 1ULL << 62, 1 },
	{ 1ULL << 62, 4096, 3, 1, 4096, 1ULL << 50 },
	{ MAX_SIZE, 4096, 1, UINT64_MAX, 1ULL << 63, 1 },
	{ MAX_SIZE, 4096, 8, MAX_SIZE - 1, 1ULL << 63, 1 },
	{ MAX_SIZE, 4096, 8, (1ULL << 62) + 1, (1ULL << 62) + 4096, 2 },
	{ MAX_SIZE, 65536, 1024, 1, 65536, 1ULL << 47 },
};

static uint64_t round_up(uint64_t x, uint64_t to)
{
	return (x + to - 1) / to * to;
}

/* Chunk i: where plan_chunk puts it, and that only the last is short. */
static void check_chunk(const struct mcp_plan *p, uint64_t i)
{
	struct mcp_chunk c;

	ck_assert(plan_chunk(p, i, &c));
	ck_assert_uint_eq(c.index, i);
	ck_assert_uint_eq(c.offset, i * p->chunk_size);
	ck_assert_uint_eq(c.offset % (uint64_t)p->page_size, 0);
	ck_assert_uint_gt(c.length, 0);
	if (i + 1 < p->n_chunks) {
		ck_assert_uint_eq(c.length, p->chunk_size);
	} else {
		ck_assert_uint_le(c.length, p->chunk_size);
		ck_assert_uint_eq(c.offset + c.length, p->size);
	}
}

/* Every chunk, or the first and last few of a huge plan: each starts
 * where the one before ended, and the last ends at the size. */
static void walk(const struct mcp_plan *p)
{
	struct mcp_chunk c;
	uint64_t n = p->n_chunks;

	for (uint64_t i = 0; i < n; i++) {
		if (n > WALK_ALL && i == 4)
			i = n - 4;
		check_chunk(p, i);
	}
	ck_assert(!plan_chunk(p, n, &c));
	ck_assert(!plan_chunk(p, n + 1, &c));
	ck_assert(!plan_chunk(p, UINT64_MAX, &c));
}

/* The chunk the plan chose itself: the whole file (rounded up to a page)
 * when that is small, else between the auto minimum and the default, a
 * multiple of the minimum. */
static void check_auto_chunk(const struct mcp_plan *p)
{
	uint64_t page = (uint64_t)p->page_size;
	uint64_t whole = p->size ? round_up(p->size, page) : page;

	if (whole <= MCP_CHUNK_MIN_AUTO) {
		ck_assert_uint_eq(p->chunk_size, whole);
	} else {
		ck_assert_uint_ge(p->chunk_size, MCP_CHUNK_MIN_AUTO);
		ck_assert_uint_le(p->chunk_size,
				  round_up(MCP_CHUNK_DEFAULT, page));
		/* Folio-aligned, unless the file ends sooner (cache.c). */
		if (p->chunk_size < whole)
			ck_assert_uint_eq(p->chunk_size % MCP_CHUNK_MIN_AUTO,
					  0);
	}
}

START_TEST(test_plan)
{
	struct mcp_plan p;
	uint64_t page = (uint64_t)cases[_i].page;
	uint64_t jobs = cases[_i].jobs, workers;

	ck_assert_int_eq(plan_make(cases[_i].size, cases[_i].page,
				   cases[_i].jobs, cases[_i].request, &p),
			 0);
	ck_assert_uint_eq(p.size, cases[_i].size);
	ck_assert_int_eq(p.page_size, cases[_i].page);
	ck_assert_uint_gt(p.chunk_size, 0);
	ck_assert_uint_eq(p.chunk_size % page, 0);
	if (cases[_i].chunk) {
		ck_assert_uint_eq(p.chunk_size, cases[_i].chunk);
		ck_assert_uint_eq(p.n_chunks, cases[_i].n_chunks);
	} else {
		check_auto_chunk(&p);
	}
	/* n chunks of chunk_size cover the size, and n - 1 do not. */
	ck_assert_uint_eq(p.n_chunks,
			  p.size / p.chunk_size + (p.size % p.chunk_size != 0));
	ck_assert_uint_gt(p.window, 0);
	ck_assert_uint_eq(p.window % page, 0);
	ck_assert_uint_le(p.window, p.chunk_size);
	ck_assert_uint_le(p.window, MCP_WINDOW_MAX);
	workers = jobs < p.n_chunks ? jobs : p.n_chunks;
	ck_assert_uint_eq(p.workers, workers);
	walk(&p);
}
END_TEST

/* Plans that cannot be made: -1 with errno EINVAL. */
static const struct {
	uint64_t size;
	long page;
	unsigned jobs;
} bad_cases[] = {
	{ 1, 0, 1 },
	{ 1, 3000, 1 },
	{ 1, -4096, 1 },
	{ 1, 4097, 4 },
	{ 1, 4096, 0 },
	{ 0, 4096, 0 },
	{ MAX_SIZE + 1, 4096, 1 }, /* beyond off_t */
	{ UINT64_MAX, 4096, 1 },
};

START_TEST(test_plan_invalid)
{
	struct mcp_plan p;

	errno = 0;
	ck_assert_int_eq(plan_make(bad_cases[_i].size, bad_cases[_i].page,
				   bad_cases[_i].jobs, 0, &p),
			 -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc = tcase_create("plan");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_loop_test(tc, test_plan, 0, ARRAY_LEN(cases));
	tcase_add_loop_test(tc, test_plan_invalid, 0, ARRAY_LEN(bad_cases));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(plan_suite());
}
