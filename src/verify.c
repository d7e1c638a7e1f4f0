/*
 * verify.c - --verify: read both files back and compare them, in
 * parallel, over the same chunk plan and worker pool as the copy.
 *
 * Each window is mapped read-only on both sides and compared with memcmp
 * under the SIGBUS guard of window.c: the same path as the copy, no
 * buffers to allocate, and an I/O error on either file becomes a fault
 * naming it.  Byte ranges where both files are holes are skipped (an
 * lseek on each side); a range where either has data is compared byte by
 * byte, a hole reading as zeros.  So a sparse copy verifies as fast as
 * it copied, and every byte is still checked.
 *
 * The answer must not depend on the scheduling: the first difference is
 * the lowest differing offset in the file.  A worker that finds one
 * lowers a minimum kept in memory the pool shares (workers_alloc) and
 * goes on taking chunks; any worker skips what lies at or beyond the
 * minimum, which can hold no lower difference.  Every chunk below the
 * final minimum is compared in full, so the final minimum is the first
 * difference, whoever found it.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cache.h"
#include "signals.h"
#include "verify.h"
#include "window.h"
#include "workers.h"

/* Compare in blocks this big before looking for the byte. */
#define BLOCK 4096

/* A walk's stop code (window.h): a difference was found, at `at`. */
#define DIFFERS 2

/* One chunk being compared, as the callbacks of the walk see it. */
struct pass {
	const struct mcp_verify_ctx *ctx;
	struct workers_slot *slot;
	uint64_t at; /* the first difference, with DIFFERS */
	struct window_walk walk;
};

/* Compare the mapped range w.  Runs under the guard.  Returns 0 when
 * the files agree there, DIFFERS with p->at the first differing byte. */
static int compare(struct mcp_window *w, void *arg)
{
	struct pass *p = arg;
	uint64_t i = 0;

	while (i < w->len) {
		size_t n = w->len - i < BLOCK ? w->len - i : BLOCK;

		if (memcmp(w->src + i, w->dst + i, n) == 0) {
			i += n;
			continue;
		}
		while (w->src[i] == w->dst[i])
			i++;
		p->at = w->off + i;
		return DIFFERS;
	}
	return 0;
}

/* What of the segment being compared was cached before (--cache=auto);
 * each worker is a process and has its own. */
static struct mcp_resident src_seen, dst_seen;

/*
 * Compare the segment [off, off+len) of the files, mapped
 * (window_apply), reading both in whole first, at the disk's pace,
 * rather than a fault's read-around at a time (DEST's pages were
 * dropped before the compare).  --cache applies to both files as to
 * SOURCE in the copy: with auto, the pages that were not cached before
 * are dropped after, so a verified copy leaves DEST's pages out of the
 * cache too.  Returns 0, DIFFERS, or -1 with the fault recorded.
 */
static int compare_segment(void *arg, uint64_t off, uint64_t len)
{
	struct pass *p = arg;
	const struct mcp_verify_ctx *ctx = p->ctx;
	long page = ctx->plan->page_size;
	int rc;

	if (ctx->cache == MCP_CACHE_AUTO) {
		cache_probe(&src_seen, ctx->src_fd, off, len, page);
		cache_probe(&dst_seen, ctx->dst_fd, off, len, page);
	}
	cache_fetch(ctx->dst_fd, off, len);
	cache_fetch(ctx->src_fd, off, len);
	rc = window_apply(&p->walk, off, len, PROT_READ, compare, p);
	cache_release(&src_seen, ctx->src_fd, ctx->cache, off, len, page);
	cache_release(&dst_seen, ctx->dst_fd, ctx->cache, off, len, page);
	return rc;
}

/* A difference at `at`: lower the shared minimum to it. */
static void found(const struct mcp_verify_ctx *ctx, uint64_t at)
{
	uint64_t low = atomic_load(ctx->first_diff);

	while (at < low &&
	       !atomic_compare_exchange_weak(ctx->first_diff, &low, at))
		;
}

/* One window of the chunk (window_each): each range where either file
 * has data is compared, the holes both share skipped (window_walk).
 * Nothing at or past the lowest difference found so far is compared:
 * it can hold no lower one.  Returns 0, DIFFERS (p->at), WORKERS_STOPPED
 * or WORKERS_FAILED (fault in the slot). */
static int compare_step(void *arg, uint64_t off, uint64_t len)
{
	struct pass *p = arg;
	int rc;

	if (workers_slot_stopped(p->slot))
		return WORKERS_STOPPED;
	if (off >= atomic_load(p->ctx->first_diff))
		return DIFFERS; /* nothing lower to find here */
	rc = window_walk(&p->walk, off, len);
	if (rc < 0)
		return WORKERS_FAILED;
	if (rc == 0)
		workers_slot_count(p->slot, len);
	return rc;
}

/*
 * Compare one chunk, a window at a time, counting compared windows in
 * the slot's bytes.  A difference lowers the shared minimum and the
 * chunk ends there, returning WORKERS_DONE so the other workers go on
 * below it.  Returns WORKERS_DONE, WORKERS_FAILED (fault in the slot)
 * or WORKERS_STOPPED.  Never prints.
 */
enum workers_result verify_chunk(const struct mcp_verify_ctx *ctx,
				 const struct mcp_chunk *chunk,
				 struct workers_slot *slot)
{
	struct pass p = {
		.ctx = ctx,
		.slot = slot,
		.at = UINT64_MAX,
		.walk = {
			.src_fd = ctx->src_fd,
			.dst_fd = ctx->dst_fd,
			.page = (uint64_t)ctx->plan->page_size,
			.data = WINDOW_ANY_DATA,
			.segment = compare_segment,
			.arg = &p,
			.fault = workers_slot_fault(slot),
		},
	};
	int rc = window_each(chunk, ctx->plan->window, compare_step, &p);

	if (rc == DIFFERS) {
		if (p.at != UINT64_MAX)
			found(ctx, p.at);
		return WORKERS_DONE;
	}
	return rc == 0 ? WORKERS_DONE : rc;
}

static enum workers_result run_chunk(void *arg, const struct mcp_chunk *chunk,
				     const struct mcp_chunk *next,
				     struct workers_slot *slot)
{
	(void)next; /* each segment is read in whole as it is compared */
	return verify_chunk(arg, chunk, slot);
}

/* Give ctx the minimum it shares with the other workers, in the pool's
 * memory.  Returns 0, or -1 with errno set. */
int verify_attach(struct mcp_verify_ctx *ctx, struct workers_pool *pool)
{
	ctx->first_diff = workers_alloc(pool, sizeof *ctx->first_diff);
	if (!ctx->first_diff)
		return -1;
	atomic_init(ctx->first_diff, UINT64_MAX);
	return 0;
}

/* Run verify_chunk over the plan with its workers.  Returns as
 * verify_files. */
static enum mcp_compare run(struct mcp_verify_ctx *ctx,
			    struct workers_pool *pool, uint64_t *diff,
			    struct mcp_fault *fault)
{
	uint64_t low;

	if (workers_run(pool) != WORKERS_DONE) {
		if (workers_fault(pool))
			*fault = *workers_fault(pool);
		return MCP_CMP_FAILED;
	}
	low = atomic_load(ctx->first_diff);
	if (low == UINT64_MAX)
		return MCP_CMP_SAME;
	*diff = low;
	return MCP_CMP_DIFFER;
}

/* DEST must have SOURCE's size; if not, they differ where the shorter
 * ends.  Returns as verify_files, the fault recorded. */
static enum mcp_compare compare_size(const struct mcp_plan *plan, int dst_fd,
				     uint64_t *diff, struct mcp_fault *fault)
{
	struct stat st;

	if (fstat(dst_fd, &st) != 0) {
		fault_set(fault, MCP_SIDE_DST, errno, "fstat", 0);
		return MCP_CMP_FAILED;
	}
	if ((uint64_t)st.st_size == plan->size)
		return MCP_CMP_SAME;
	*diff = (uint64_t)st.st_size < plan->size ? (uint64_t)st.st_size
						  : plan->size;
	return MCP_CMP_DIFFER;
}

/* A SOURCE cut short while it was compared reads as zeros to the end of
 * its last page and then as nothing: whether a worker saw a difference
 * or the missing pages first depends on the scheduling.  Name the cause
 * instead.  Returns rc, or MCP_CMP_FAILED with the fault recorded. */
static enum mcp_compare source_shrank(const struct mcp_plan *plan,
				      int src_fd, enum mcp_compare rc,
				      struct mcp_fault *fault)
{
	struct stat st;

	if (fstat(src_fd, &st) != 0) {
		fault_set(fault, MCP_SIDE_SRC, errno, "fstat", 0);
		return MCP_CMP_FAILED;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < plan->size) {
		fault_set(fault, MCP_SIDE_SRC, MCP_ECHANGED, NULL,
			     (uint64_t)st.st_size);
		return MCP_CMP_FAILED;
	}
	return rc;
}

/*
 * Compare the plan->size bytes of the two files with plan->workers
 * processes, leaving their pages cached as `cache` (enum mcp_cache)
 * says.  Returns MCP_CMP_SAME when they are equal; MCP_CMP_DIFFER with
 * *diff, the first differing offset; MCP_CMP_FAILED when a fault (copied
 * to *fault) or a terminating signal (signals_caught, *fault untouched)
 * stopped the comparison.  Prints only the warnings of workers_run.
 */
enum mcp_compare verify_files(const struct mcp_plan *plan, int src_fd, int dst_fd,
		 int cache, uint64_t *diff, struct mcp_fault *fault)
{
	struct mcp_verify_ctx ctx = { src_fd, dst_fd, plan, NULL, cache };
	struct workers_task task = { run_chunk, NULL, &ctx, { 0 } };
	struct workers_pool *pool;
	enum mcp_compare rc = compare_size(plan, dst_fd, diff, fault);

	if (rc != MCP_CMP_SAME || plan->n_chunks == 0)
		return rc;
	pool = workers_new(plan, &task);
	if (!pool || verify_attach(&ctx, pool) != 0) {
		fault_set(fault, MCP_SIDE_DST, errno, "mmap", 0);
		rc = MCP_CMP_FAILED;
	} else {
		rc = run(&ctx, pool, diff, fault);
		if (rc != MCP_CMP_FAILED)
			rc = source_shrank(plan, src_fd, rc, fault);
	}
	workers_free(pool);
	return rc;
}
