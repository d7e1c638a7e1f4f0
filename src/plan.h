/*
 * plan.h - cutting a file into page-aligned chunks.  Pure arithmetic, no
 * I/O, so it can be tested exhaustively and reused by any way of running
 * the chunks (forked workers today, MPI ranks tomorrow).
 */
#ifndef MCP_PLAN_H
#define MCP_PLAN_H

#include "mcp.h"

/* Below this a chosen chunk is not worth a worker of its own.  Chosen
 * chunks are also whole multiples of it: the page cache holds files in
 * folios of up to 2 MiB (x86-64), and a folio that straddled two
 * workers' windows could be dropped by neither (--cache, cache.c). */
#define MCP_CHUNK_MIN_AUTO (2ULL << 20)
/* Aim for this many chunks per worker, so the queue can even out
 * workers that run at different speeds. */
#define MCP_CHUNKS_PER_WORKER 4

int plan_make(uint64_t size, long page_size, unsigned jobs,
	      uint64_t chunk_request, struct mcp_plan *plan);
bool plan_chunk(const struct mcp_plan *plan, uint64_t index,
		struct mcp_chunk *chunk);

#endif
