/*
 * copy.h - copying one chunk through memory mappings, in whichever
 * process runs it.  Never prints and never exits: a failure comes back
 * as a struct mcp_fault in the worker's slot.
 */
#ifndef MCP_COPY_H
#define MCP_COPY_H

#include "mcp.h"

struct mcp_copy_ctx {
	int src_fd;
	int dst_fd;
	const struct mcp_plan *plan;
	bool sync;          /* write each window back before counting it */
	_Atomic int *stop;  /* checked between windows */
	int sparse;         /* enum mcp_sparse: which zeros are left unwritten */
	int cache;          /* enum mcp_cache: which pages to drop */
	int sync_method;    /* enum mcp_sync_method */
};

enum mcp_copy_result {
	MCP_COPY_DONE = 0,
	MCP_COPY_FAILED = -1,
	MCP_COPY_STOPPED = 1,
};

int copy_chunk(const struct mcp_copy_ctx *ctx, const struct mcp_chunk *chunk,
	       struct mcp_slot *slot);
int copy_drain(const struct mcp_copy_ctx *ctx, struct mcp_slot *slot);

#endif
