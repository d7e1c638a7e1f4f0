/*
 * fuzz_plan.c - libFuzzer target for plan_make and plan_chunk.
 *
 * The input is read as a little record (missing bytes read as zero):
 *
 *   byte  0      how to derive the size (raw, below/around/beyond
 *                INT64_MAX, a page multiple give or take, 0, ...)
 *   bytes 1..8   size, little-endian
 *   byte  9      page size: 0..30 is 1 << n, the rest picks from a
 *                table of non-powers, zero, negatives and huge powers
 *   bytes 10..11 jobs, modulo 2001 (so 0..2000)
 *   byte  12     how to derive the chunk request (raw, 0 = auto, near
 *                UINT64_MAX, near the size, a page multiple, ...)
 *   bytes 13..20 chunk request, little-endian
 *   bytes 21..28 an index to probe in the middle of the plan
 *
 * plan_make must fail, with errno EINVAL, exactly when the page size is
 * not a positive power of two, jobs is 0 or the size exceeds INT64_MAX.
 * Otherwise every invariant of struct mcp_plan is checked (in unsigned
 * __int128, so the checks themselves cannot wrap), and plan_chunk is
 * walked over the first and last few chunks and one in the middle.
 * Build with -fsanitize=undefined (and, with clang,
 * -fsanitize=unsigned-integer-overflow) to catch any wrap inside plan.c.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "plan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef unsigned __int128 u128;
typedef __int128 s128;

/* The chunks walked at each end of the plan. */
#define WALK 4

struct input {
	uint64_t size;
	long page;
	unsigned jobs;
	uint64_t request;
	uint64_t probe;
};

static void fail(const char *what, const struct input *in)
{
	fprintf(stderr,
		"fuzz_plan: %s\n  plan_make(size %" PRIu64 ", page %ld, "
		"jobs %u, chunk_request %" PRIu64 "), probe %" PRIu64 "\n",
		what, in->size, in->page, in->jobs, in->request, in->probe);
	abort();
}

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond))                                             \
			fail("check failed: " #cond, in);                \
	} while (0)

/* Bytes from the input, zero past its end. */
struct reader {
	const uint8_t *data;
	size_t size, at;
};

static uint8_t get8(struct reader *r)
{
	return r->at < r->size ? r->data[r->at++] : 0;
}

static uint64_t get64(struct reader *r)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)get8(r) << (8 * i);
	return v;
}

/* Clamp a signed 128-bit value into uint64_t. */
static uint64_t clamp_u64(s128 v)
{
	if (v < 0)
		return 0;
	if (v > (s128)UINT64_MAX)
		return UINT64_MAX;
	return (uint64_t)v;
}

static long pick_page(uint8_t sel)
{
	static const long odd[] = {
		0, -1, -4096, LONG_MIN, 3, 6, 4095, 4097, 12288,
		(1L << 30) + 1, (1L << 30) - 1, 1L << 31, 1L << 40,
		1L << 62, LONG_MAX, 4096, 65536,
	};

	sel %= 31 + sizeof odd / sizeof odd[0];
	return sel <= 30 ? 1L << sel : odd[sel - 31];
}

/* A page size for arithmetic on sizes: 4096 when the real one is
 * nonsense (the call will fail anyway). */
static uint64_t some_page(long page)
{
	return page > 0 ? (uint64_t)page : 4096;
}

static uint64_t pick_size(uint8_t mode, uint64_t raw, long page)
{
	switch (mode % 8) {
	case 0: return raw;
	case 1: return raw & (uint64_t)INT64_MAX;
	case 2: return raw % (1ULL << 24);
	case 3: return (uint64_t)INT64_MAX - raw % (1ULL << 20);
	case 4: return (uint64_t)INT64_MAX + 1 + raw % (1ULL << 20);
	case 5: /* a page multiple, give or take a little */
		return clamp_u64((s128)((raw >> 8) & ((1ULL << 40) - 1)) *
					 (s128)some_page(page) +
				 (int8_t)(raw & 0xff));
	case 6: return 0;
	default: return raw % (1ULL << 40);
	}
}

static uint64_t pick_request(uint8_t mode, uint64_t raw, uint64_t size,
			     long page)
{
	switch (mode % 8) {
	case 0: return raw;
	case 1: return 0;
	case 2: return raw % (1ULL << 30);
	case 3: return UINT64_MAX - raw % (1ULL << 20);
	case 4:
		return clamp_u64((s128)((raw >> 8) & ((1ULL << 20) - 1)) *
					 (s128)some_page(page) +
				 (int8_t)(raw & 0xff));
	case 5: return clamp_u64((s128)size + (int8_t)(raw & 0xff));
	case 6: return raw % (1ULL << 48) + 1;
	default: return raw % 8192;
	}
}

static u128 round_up(u128 x, u128 to)
{
	return (x + to - 1) / to * to;
}

static u128 min128(u128 a, u128 b)
{
	return a < b ? a : b;
}

static void check_chunk(const struct mcp_plan *p, uint64_t i,
			const struct input *in)
{
	struct mcp_chunk c;

	memset(&c, 0xa5, sizeof c);
	CHECK(plan_chunk(p, i, &c));
	CHECK(c.index == i);
	CHECK((u128)c.offset == (u128)i * p->chunk_size);
	CHECK(c.offset % (uint64_t)p->page_size == 0);
	CHECK(c.length > 0);
	CHECK(c.length <= p->chunk_size);
	CHECK((u128)c.offset + c.length <= p->size);
	if (i + 1 < p->n_chunks)
		CHECK(c.length == p->chunk_size);
	else
		CHECK((u128)c.offset + c.length == p->size);
}

static void check_plan(const struct mcp_plan *p, const struct input *in)
{
	const u128 page = (u128)in->page;
	const u128 whole = in->size ? round_up(in->size, page) : page;
	const u128 chunk = p->chunk_size, n = p->n_chunks;
	struct mcp_chunk c;

	CHECK(p->size == in->size);
	CHECK(p->page_size == in->page);

	/* The chunk: whole pages, never more than the file rounded up to
	 * a page; a request is rounded up to the page size; a choice lies
	 * between the automatic bounds (1M..64M, in pages, capped). */
	CHECK(chunk > 0);
	CHECK(chunk % page == 0);
	CHECK(chunk <= whole);
	if (in->request) {
		CHECK(chunk == min128(round_up(in->request, page), whole));
	} else {
		CHECK(chunk >= min128(round_up(MCP_CHUNK_MIN_AUTO, page),
				      whole));
		CHECK(chunk <= min128(round_up(MCP_CHUNK_DEFAULT, page),
				      whole));
	}

	/* The window: whole pages, at most the chunk and at most
	 * MCP_WINDOW_MAX (one page if a page is bigger), and no smaller
	 * than those bounds force. */
	CHECK(p->window > 0);
	CHECK(p->window % page == 0);
	CHECK(p->window <= chunk);
	if (page <= MCP_WINDOW_MAX)
		CHECK(p->window <= MCP_WINDOW_MAX);
	else
		CHECK(p->window == page);
	if (p->window < chunk)
		CHECK(p->window + page > MCP_WINDOW_MAX);

	/* The chunks cover the file, without a spare one. */
	if (in->size == 0) {
		/* An empty file: no chunks, so no workers. */
		CHECK(n == 0);
		CHECK(p->workers == 0);
		CHECK(!plan_chunk(p, 0, &c));
	} else {
		CHECK(n >= 1);
		CHECK(n * chunk >= in->size);
		CHECK((n - 1) * chunk < in->size);
		CHECK(p->workers >= 1);
		CHECK(p->workers <= in->jobs);
		CHECK(p->workers <= n);
		CHECK(p->workers == min128(in->jobs, n));
	}

	/* Walk the ends and one chunk in the middle. */
	for (uint64_t i = 0; i < p->n_chunks && i < WALK; i++)
		check_chunk(p, i, in);
	for (uint64_t k = 0; k < p->n_chunks && k < WALK; k++)
		check_chunk(p, p->n_chunks - 1 - k, in);
	if (p->n_chunks)
		check_chunk(p, in->probe % p->n_chunks, in);
	CHECK(!plan_chunk(p, p->n_chunks, &c));
	if (p->n_chunks < UINT64_MAX)
		CHECK(!plan_chunk(p, p->n_chunks + 1, &c));
	CHECK(!plan_chunk(p, UINT64_MAX, &c));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size, 0 };
	struct input input, *in = &input;
	struct mcp_plan plan;
	uint8_t size_mode, chunk_mode, jobs_lo, jobs_hi;
	uint64_t size_raw, chunk_raw;
	bool bad;
	int rc;

	size_mode = get8(&r);
	size_raw = get64(&r);
	in->page = pick_page(get8(&r));
	jobs_lo = get8(&r);
	jobs_hi = get8(&r);
	in->jobs = (jobs_lo | (unsigned)jobs_hi << 8) % 2001;
	chunk_mode = get8(&r);
	chunk_raw = get64(&r);
	in->probe = get64(&r);
	in->size = pick_size(size_mode, size_raw, in->page);
	in->request = pick_request(chunk_mode, chunk_raw, in->size, in->page);

	bad = in->page <= 0 ||
	      ((uint64_t)in->page & ((uint64_t)in->page - 1)) != 0 ||
	      in->jobs == 0 || in->size > (uint64_t)INT64_MAX;

	memset(&plan, 0x5a, sizeof plan);
	errno = 0;
	rc = plan_make(in->size, in->page, in->jobs, in->request, &plan);
	if (rc != 0) {
		CHECK(rc == -1);
		CHECK(errno == EINVAL);
		if (!bad)
			fail("plan_make failed on valid arguments", in);
		return 0;
	}
	if (bad)
		fail("plan_make accepted invalid arguments", in);
	check_plan(&plan, in);
	return 0;
}
