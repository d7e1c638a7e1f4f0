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

/* What compare() found: the first differing byte of the window, or its
 * length when there is none. */
struct cmp_result {
	uint64_t at;
};

static int compare(struct mcp_window *w, void *arg)
{
	struct cmp_result *r = arg;
	uint64_t i = 0;

	while (i < w->len) {
		size_t n = w->len - i < BLOCK ? w->len - i : BLOCK;

		if (memcmp(w->src + i, w->dst + i, n) == 0) {
			i += n;
			continue;
		}
		while (w->src[i] == w->dst[i])
			i++;
		break;
	}
	r->at = i;
	return 0;
}

/* Compare [off, off+len) of the files, mapped.  Returns 0 when equal,
 * 1 with *at the first differing offset, -1 with the fault recorded. */
static int compare_mapped(const struct mcp_verify_ctx *ctx, uint64_t off,
			  uint64_t len, uint64_t *at, struct workers_slot *slot)
{
	struct mcp_window w = { ctx->src_fd, ctx->dst_fd, off, len, NULL,
				NULL };
	struct mcp_fault *f = workers_slot_fault(slot);
	struct cmp_result r = { len };
	uint64_t half;
	int rc;

	if (window_map(&w, PROT_READ, f) != 0) {
		if (!window_split(&w, (uint64_t)ctx->plan->page_size, f,
				  &half))
			return -1;
		rc = compare_mapped(ctx, off, half, at, slot);
		return rc != 0 ? rc
			       : compare_mapped(ctx, off + half, len - half,
						at, slot);
	}
	rc = window_guard(&w, compare, &r, f);
	if (window_unmap(&w, rc, f) != 0)
		return -1;
	if (r.at == len)
		return 0;
	*at = off + r.at;
	return 1;
}

/* What of the segment being compared was cached before (--cache=auto);
 * each worker is a process and has its own. */
static struct mcp_resident src_seen, dst_seen;

/*
 * Compare [off, off+len) of the files as compare_mapped does, reading
 * both in whole first, at the disk's pace, rather than a fault's
 * read-around at a time (DEST's pages were dropped before the compare).
 * --cache applies to both files as to SOURCE in the copy: with auto,
 * the pages that were not cached before are dropped after, so a verified
 * copy leaves DEST's pages out of the cache too.
 */
static int compare_segment(const struct mcp_verify_ctx *ctx, uint64_t off,
			   uint64_t len, uint64_t *at,
			   struct workers_slot *slot)
{
	long page = ctx->plan->page_size;
	int rc;

	if (ctx->cache == MCP_CACHE_AUTO) {
		cache_probe(&src_seen, ctx->src_fd, off, len, page);
		cache_probe(&dst_seen, ctx->dst_fd, off, len, page);
	}
	cache_fetch(ctx->dst_fd, off, len);
	cache_fetch(ctx->src_fd, off, len);
	rc = compare_mapped(ctx, off, len, at, slot);
	cache_release(&src_seen, ctx->src_fd, ctx->cache, off, len, page);
	cache_release(&dst_seen, ctx->dst_fd, ctx->cache, off, len, page);
	return rc;
}

/* Compare the window [off, off+len): each range where either file has
 * data, skipping the holes both share.  Returns as compare_segment. */
static int compare_window(const struct mcp_verify_ctx *ctx, uint64_t off,
			  uint64_t len, uint64_t *at, struct workers_slot *slot)
{
	struct mcp_fault *f = workers_slot_fault(slot);
	struct mcp_window w = { ctx->src_fd, ctx->dst_fd, off, len, NULL,
				NULL };
	uint64_t pos = off, page = (uint64_t)ctx->plan->page_size;
	struct mcp_range s, d, *first;

	while (pos < off + len) {
		int rc;

		if (window_next_data(&w, MCP_SIDE_SRC, pos, page, &s, f) != 0 ||
		    window_next_data(&w, MCP_SIDE_DST, pos, page, &d, f) != 0)
			return -1;
		first = s.offset <= d.offset ? &s : &d;
		if (first->length == 0)
			break; /* holes on both sides to the end */
		rc = compare_segment(ctx, first->offset, first->length, at,
				     slot);
		if (rc != 0)
			return rc;
		pos = first->offset + first->length;
	}
	return 0;
}

/* A difference at `at`: lower the shared minimum to it. */
static void found(const struct mcp_verify_ctx *ctx, uint64_t at)
{
	uint64_t low = atomic_load(ctx->first_diff);

	while (at < low &&
	       !atomic_compare_exchange_weak(ctx->first_diff, &low, at))
		;
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
	uint64_t done = 0, at;

	while (done < chunk->length) {
		uint64_t off = chunk->offset + done;
		uint64_t len = chunk->length - done;
		int rc;

		if (workers_slot_stopped(slot))
			return WORKERS_STOPPED;
		if (off >= atomic_load(ctx->first_diff))
			return WORKERS_DONE;
		if (len > ctx->plan->window)
			len = ctx->plan->window;
		rc = compare_window(ctx, off, len, &at, slot);
		if (rc < 0)
			return WORKERS_FAILED;
		if (rc > 0) {
			found(ctx, at);
			return WORKERS_DONE;
		}
		workers_slot_count(slot, len);
		done += len;
	}
	return WORKERS_DONE;
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
static int run(struct mcp_verify_ctx *ctx, struct workers_pool *pool,
	       uint64_t *diff, struct mcp_fault *fault)
{
	uint64_t low;

	if (workers_run(pool) != WORKERS_DONE) {
		if (workers_fault(pool))
			*fault = *workers_fault(pool);
		return -1;
	}
	low = atomic_load(ctx->first_diff);
	if (low == UINT64_MAX)
		return 0;
	*diff = low;
	return 1;
}

/* DEST must have SOURCE's size; if not, they differ where the shorter
 * ends.  Returns 0, 1 with *diff, or -1 with the fault recorded. */
static int compare_size(const struct mcp_plan *plan, int dst_fd,
			uint64_t *diff, struct mcp_fault *fault)
{
	struct stat st;

	if (fstat(dst_fd, &st) != 0) {
		window_fault(fault, MCP_SIDE_DST, errno, "fstat", 0);
		return -1;
	}
	if ((uint64_t)st.st_size == plan->size)
		return 0;
	*diff = (uint64_t)st.st_size < plan->size ? (uint64_t)st.st_size
						  : plan->size;
	return 1;
}

/* A SOURCE cut short while it was compared reads as zeros to the end of
 * its last page and then as nothing: whether a worker saw a difference
 * or the missing pages first depends on the scheduling.  Name the cause
 * instead.  Returns rc, or -1 with the fault recorded. */
static int source_shrank(const struct mcp_plan *plan, int src_fd, int rc,
			 struct mcp_fault *fault)
{
	struct stat st;

	if (fstat(src_fd, &st) != 0) {
		window_fault(fault, MCP_SIDE_SRC, errno, "fstat", 0);
		return -1;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < plan->size) {
		window_fault(fault, MCP_SIDE_SRC, MCP_ECHANGED, NULL,
			     (uint64_t)st.st_size);
		return -1;
	}
	return rc;
}

/*
 * Compare the plan->size bytes of the two files with plan->workers
 * processes, leaving their pages cached as `cache` (enum mcp_cache)
 * says.  Returns 0 when they are equal; 1 with *diff, the first
 * differing offset; -1 when a fault (copied to *fault) or a terminating
 * signal (signals_caught, *fault untouched) stopped the comparison.
 * Prints only the warnings of workers_run.
 */
int verify_files(const struct mcp_plan *plan, int src_fd, int dst_fd,
		 int cache, uint64_t *diff, struct mcp_fault *fault)
{
	struct mcp_verify_ctx ctx = { src_fd, dst_fd, plan, NULL, cache };
	struct workers_task task = { run_chunk, NULL, &ctx, { 0 } };
	struct workers_pool *pool;
	int rc = compare_size(plan, dst_fd, diff, fault);

	if (rc != 0 || plan->n_chunks == 0)
		return rc;
	pool = workers_new(plan, &task);
	if (!pool || verify_attach(&ctx, pool) != 0) {
		window_fault(fault, MCP_SIDE_DST, errno, "mmap", 0);
		rc = -1;
	} else {
		rc = run(&ctx, pool, diff, fault);
		if (rc >= 0)
			rc = source_shrank(plan, src_fd, rc, fault);
	}
	workers_free(pool);
	return rc;
}
