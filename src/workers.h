/*
 * workers.h - a pool that runs the chunks of a plan as tasks, in
 * parallel, and tells its caller how they went.
 *
 * This header is the whole interface.  What stands behind it today is a
 * set of forked processes that share anonymous mappings with the parent
 * (workers.c), but nothing here says so: a task sees only the chunks it
 * is given, a slot handle for the worker running it, shared memory it
 * asked the pool for, and its hooks, which run in the caller.  Another
 * backend (threads, MPI ranks) can sit behind the same functions, as
 * pigz's thread layer can be swapped for another library's.
 *
 * The rules, whatever the backend:
 *  - A task's run and drain execute in a worker: they never print and
 *    never exit, and they report only through their slot (its fault, its
 *    byte counter, the chunks it finished) and the pool's shared memory.
 *    They may run in the caller too (one worker's worth of work), so they
 *    must not assume a process of their own beyond what the pool gives.
 *  - The hooks (tick, chunk_done, skip) are the caller's: tick and
 *    chunk_done run only in the process that called workers_run; skip
 *    may run anywhere (it is the queue's question) and must only read.
 *  - Every chunk is run at most once, and none that skip refuses.
 *  - workers_run returns only when no worker runs any more.
 */
#ifndef MCP_WORKERS_H
#define MCP_WORKERS_H

#include <stddef.h>

#include "fault.h"
#include "mcp.h"

/* A worker's process name (comm), as ps, top and pgrep show it. */
#define MCP_WORKER_NAME "mcp-worker"

/* The pool's own result codes: of a task's run and drain, and of a
 * whole workers_run. */
enum workers_result {
	WORKERS_DONE = 0,    /* everything asked for is finished */
	WORKERS_FAILED = -1, /* a fault is recorded (workers_fault) */
	WORKERS_STOPPED = 1, /* stopped before the end: another worker's
				failure, or a terminating signal */
};

struct workers_pool; /* opaque: one run of one plan */
struct workers_slot; /* opaque: the part of the pool one worker owns */

/*
 * What the caller hangs on a run.  Each may be NULL.
 *
 * tick: in the caller only, at every wake of the pool's wait (about ten
 * times a second), or after each chunk when the caller runs the chunks
 * itself.  Progress and status lines hang here; it must be quick.  It
 * may read the pool (workers_bytes_done).
 *
 * chunk_done: in the caller only, once per chunk, when the task said
 * the chunk is finished (workers_slot_chunk_done): for a copy, once every
 * byte of it is written back to DEST (or copied, without sync).  Called
 * from the same places as tick, so a chunk is told some time after it
 * finished, in no particular order; every chunk finished is told before
 * workers_run returns, also when the run failed or was stopped.
 *
 * skip: asked by the queue before it hands out chunk `index`; true
 * keeps the chunk from being run at all (it was done before).  It is
 * asked in workers, so it must only read what existed before
 * workers_run (workers_new asks it about every chunk first, to count
 * workers_bytes_skipped).
 */
struct workers_hooks {
	void (*tick)(void *tick_arg, const struct workers_pool *pool);
	void *tick_arg;
	void (*chunk_done)(void *done_arg, const struct mcp_chunk *chunk);
	void *done_arg;
	bool (*skip)(void *skip_arg, uint64_t index);
	void *skip_arg;
};

/*
 * What the workers run.  `run` does one chunk in the calling worker;
 * `next` is the chunk this worker will run after it (so it can read
 * ahead), or NULL.  `drain` (may be NULL) finishes what the worker still
 * has in flight once the queue is empty.  Both return WORKERS_DONE,
 * WORKERS_FAILED after recording a fault in workers_slot_fault(slot), or
 * WORKERS_STOPPED when they saw workers_slot_stopped().
 */
struct workers_task {
	enum workers_result (*run)(void *arg, const struct mcp_chunk *chunk,
				   const struct mcp_chunk *next,
				   struct workers_slot *slot);
	enum workers_result (*drain)(void *arg, struct workers_slot *slot);
	void *arg;
	struct workers_hooks hooks;
};

/* The caller's side: make a pool for the plan and the task (the task is
 * copied; the plan must outlive the pool), get shared memory for the
 * task, run once, read the outcome, free.  workers_alloc is for before
 * workers_run: zeroed memory every worker and the caller see, freed with
 * the pool (NULL with errno set on failure). */
struct workers_pool *workers_new(const struct mcp_plan *plan,
				 const struct workers_task *task);
void *workers_alloc(struct workers_pool *pool, size_t size);
enum workers_result workers_run(struct workers_pool *pool);
void workers_stop(struct workers_pool *pool);
unsigned workers_count(const struct workers_pool *pool);
unsigned workers_started(const struct workers_pool *pool);
uint64_t workers_bytes_done(const struct workers_pool *pool);
uint64_t workers_bytes_skipped(const struct workers_pool *pool);
const struct mcp_fault *workers_fault(const struct workers_pool *pool);
void workers_free(struct workers_pool *pool);

/* Slot i, to run a task's functions in the calling process without
 * workers_run (unit tests). */
struct workers_slot *workers_slot(struct workers_pool *pool, unsigned i);

/* The task's side, in whichever worker runs it. */
unsigned workers_slot_index(const struct workers_slot *slot);
bool workers_slot_stopped(const struct workers_slot *slot);
struct mcp_fault *workers_slot_fault(struct workers_slot *slot);
void workers_slot_count(struct workers_slot *slot, uint64_t bytes);
void workers_slot_chunk_done(struct workers_slot *slot,
			     const struct mcp_chunk *chunk);

#endif
