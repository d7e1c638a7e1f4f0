/*
 * copy.h - copying the chunks of a plan through memory mappings, in the
 * workers of workers.h: copy_files runs them all; copy_chunk and
 * copy_drain are what each worker runs.  Never prints and never exits:
 * a failure comes back as a struct mcp_fault.
 */
#ifndef MCP_COPY_H
#define MCP_COPY_H

#include "mcp.h"
#include "workers.h"

/* One worker's own state, in memory shared with the parent. */
struct copy_lane {
	_Atomic uint64_t holes;   /* bytes left unwritten, holes in DEST */
	struct mcp_range pending; /* written, its write-back not yet waited */
	struct mcp_chunk closes;  /* with closing: the chunk that the
				     pending window is the last of */
	bool closing;
};

struct mcp_copy_ctx {
	int src_fd;
	int dst_fd;
	const struct mcp_plan *plan;
	bool sync;          /* write each window back before counting it */
	int sparse;         /* enum mcp_sparse: which zeros are left unwritten */
	int cache;          /* enum mcp_cache: which pages to drop */
	int sync_method;    /* enum mcp_sync_method */
	struct copy_lane *lanes; /* one per worker (copy_attach) */
};

/* What copy_files did. */
struct copy_outcome {
	uint64_t bytes;         /* copied by this run (and written back) */
	uint64_t holes;         /* of those, left unwritten as holes */
	uint64_t skipped;       /* of the chunks the skip hook refused */
	unsigned workers;       /* processes forked; 0: the caller copied */
	struct mcp_fault fault; /* with WORKERS_FAILED */
};

enum workers_result copy_files(const struct mcp_copy_ctx *ctx,
			       const struct workers_hooks *hooks,
			       struct copy_outcome *out);

int copy_attach(struct mcp_copy_ctx *ctx, struct workers_pool *pool);
enum workers_result copy_chunk(const struct mcp_copy_ctx *ctx,
			       const struct mcp_chunk *chunk,
			       const struct mcp_chunk *next,
			       struct workers_slot *slot);
enum workers_result copy_drain(const struct mcp_copy_ctx *ctx,
			       struct workers_slot *slot);
uint64_t copy_holes(const struct mcp_copy_ctx *ctx, unsigned n_lanes);

#endif
