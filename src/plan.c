/*
 * plan.c - the chunk plan: given a size, the page size, the jobs and an
 * optional chunk size, decide the chunk size, how many chunks there are,
 * the window mapped at a time and how many workers are worth starting.
 */
#include <config.h>

#include <errno.h>

#include "plan.h"

/* Round x up to a multiple of `to`; the caller ensures no overflow. */
static uint64_t round_up(uint64_t x, uint64_t to)
{
	return (x + to - 1) / to * to;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The largest window that is a whole number of pages. */
static uint64_t max_window(uint64_t page)
{
	return MCP_WINDOW_MAX >= page ? MCP_WINDOW_MAX / page * page : page;
}

/* The chunk size when the user gave none: a few chunks per worker so the
 * queue balances, but neither tiny nor larger than the default, and a
 * whole number of MCP_CHUNK_MIN_AUTO (which divides the default). */
static uint64_t auto_chunk(uint64_t size, unsigned jobs)
{
	uint64_t want = size / ((uint64_t)jobs * MCP_CHUNKS_PER_WORKER) + 1;

	if (want >= MCP_CHUNK_DEFAULT)
		return MCP_CHUNK_DEFAULT;
	return want < MCP_CHUNK_MIN_AUTO ? MCP_CHUNK_MIN_AUTO
					 : round_up(want, MCP_CHUNK_MIN_AUTO);
}

/*
 * Fill *plan for a file of `size` bytes.  chunk_request 0 means choose.
 * A chunk never exceeds the file (rounded up to a page), so absurd
 * requests cannot overflow.  Returns -1 with errno EINVAL on a page size
 * that is not a power of two or zero jobs; prints nothing.
 */
int plan_make(uint64_t size, long page_size, unsigned jobs,
	      uint64_t chunk_request, struct mcp_plan *plan)
{
	uint64_t page = (uint64_t)page_size;
	uint64_t whole, chunk;

	if (page_size <= 0 || (page & (page - 1)) != 0 || jobs == 0 ||
	    size > (uint64_t)INT64_MAX) {
		errno = EINVAL;
		return -1;
	}
	chunk = chunk_request ? chunk_request : auto_chunk(size, jobs);
	whole = size ? round_up(size, page) : page;
	chunk = chunk >= whole ? whole : round_up(chunk, page);

	plan->size = size;
	plan->page_size = page_size;
	plan->chunk_size = chunk;
	plan->n_chunks = (size + chunk - 1) / chunk;
	plan->window = min_u64(chunk, max_window(page));
	plan->workers = (unsigned)min_u64(jobs, plan->n_chunks);
	return 0;
}

/* The byte range of chunk `index`; false past the last chunk. */
bool plan_chunk(const struct mcp_plan *plan, uint64_t index,
		struct mcp_chunk *chunk)
{
	if (index >= plan->n_chunks)
		return false;
	chunk->index = index;
	chunk->offset = index * plan->chunk_size;
	chunk->length = min_u64(plan->chunk_size, plan->size - chunk->offset);
	return true;
}
