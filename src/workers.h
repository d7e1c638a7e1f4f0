/*
 * workers.h - running the chunks of a plan in worker processes that share
 * one anonymous mapping with the parent.
 */
#ifndef MCP_WORKERS_H
#define MCP_WORKERS_H

#include "mcp.h"

/* Runs one chunk in the calling process; returns an mcp_copy_result and
 * records a failure in *slot.  Must not print or exit. */
typedef int (*mcp_chunk_fn)(void *arg, const struct mcp_chunk *chunk,
			    struct mcp_slot *slot);

struct mcp_shared *workers_shared_new(unsigned n_slots);
void workers_shared_free(struct mcp_shared *shared);
uint64_t workers_bytes_done(const struct mcp_shared *shared);
const struct mcp_fault *workers_fault(const struct mcp_shared *shared);
int workers_run(const struct mcp_plan *plan, mcp_chunk_fn fn, void *arg,
		struct mcp_shared *shared);

#endif
