/*
 * workers.h - running the chunks of a plan in worker processes that share
 * one anonymous mapping with the parent.
 */
#ifndef MCP_WORKERS_H
#define MCP_WORKERS_H

#include "mcp.h"

/* A worker's process name (comm), as ps, top and pgrep show it. */
#define MCP_WORKER_NAME "mcp-worker"

/*
 * What the workers run.  `run` does one chunk in the calling process;
 * `drain` (may be NULL) finishes what the process still has in flight
 * once the queue is empty.  Both return an mcp_copy_result and record a
 * failure in *slot; neither may print or exit.
 *
 * `tick` (may be NULL) runs in the parent only, never in a worker: at
 * every wake of its wait loop (about ten times a second), or after each
 * chunk when the parent copies itself.  Progress and status lines hang
 * here; it must be quick.
 */
struct mcp_task {
	int (*run)(void *arg, const struct mcp_chunk *chunk,
		   struct mcp_slot *slot);
	int (*drain)(void *arg, struct mcp_slot *slot);
	void *arg;
	void (*tick)(void *tick_arg);
	void *tick_arg;
};

struct mcp_shared *workers_shared_new(unsigned n_slots);
void workers_shared_free(struct mcp_shared *shared);
uint64_t workers_bytes_done(const struct mcp_shared *shared);
uint64_t workers_holes_skipped(const struct mcp_shared *shared);
const struct mcp_fault *workers_fault(const struct mcp_shared *shared);
int workers_run(const struct mcp_plan *plan, const struct mcp_task *task,
		struct mcp_shared *shared);

#endif
