/*
 * verify.h - --verify: compare DEST with SOURCE across the workers and
 * find the first byte where they differ.
 */
#ifndef MCP_VERIFY_H
#define MCP_VERIFY_H

#include "mcp.h"
#include "workers.h"

struct mcp_verify_ctx {
	int src_fd;
	int dst_fd;
	const struct mcp_plan *plan;
	_Atomic uint64_t *first_diff; /* shared: lowest difference so far
					 (verify_attach) */
	int cache;                    /* enum mcp_cache */
};

int verify_attach(struct mcp_verify_ctx *ctx, struct workers_pool *pool);
enum workers_result verify_chunk(const struct mcp_verify_ctx *ctx,
				 const struct mcp_chunk *chunk,
				 struct workers_slot *slot);
enum mcp_compare verify_files(const struct mcp_plan *plan, int src_fd, int dst_fd,
		 int cache, uint64_t *diff, struct mcp_fault *fault);

#endif
