/*
 * copy.c - the copy as a task of the worker pool (workers.h): copy_files
 * runs it over a plan, copy_chunk and copy_drain are what each worker
 * runs.  A chunk is copied window by window: map a window of SOURCE
 * read-only and the same window of DEST shared and writable, memcpy,
 * unmap, and have the window written back before it counts as done; a
 * chunk is told finished (workers_slot_chunk_done) only once its last
 * window is.  window.c walks the windows, maps them and guards against
 * SIGBUS; the walk is the one verify.c uses.
 *
 * Holes (--sparse): with auto and always, each window first asks the
 * file system where SOURCE's data is (sparse.c, lseek SEEK_DATA), and
 * only the data segments are mapped and copied; a window that is all
 * hole maps nothing, so a 1 TiB file with a little data costs one lseek
 * per window.  With always, pages of zeros inside the data are not
 * written either (each page is compared with zeros first).  Skipping is
 * safe because DEST reads zeros wherever we do not write: files_open_dest
 * creates it or empties it (ftruncate to 0), and files_size_dest only
 * extends it.  The plan stays pure: which bytes are holes is a question
 * for the file at the time of the copy.
 *
 * Write-back is pipelined: after a window is copied its write-back is
 * started (sync_file_range WRITE) and the previous window's is waited for,
 * so the disk writes one window while the CPU copies the next, and each
 * worker has at most two windows of dirty pages.  msync(MS_SYNC) per
 * window, the obvious way, is an fsync of the whole file on ext4 (journal
 * commit and cache flush each time) and stalls the copy while it waits;
 * docs/PERFORMANCE.md has the numbers.  It remains the fallback where
 * sync_file_range does not exist, and --sync-method=msync chooses it.
 * The parent's final fsync makes the data and the metadata durable.
 *
 * The page cache (--cache, cache.c): a worker reads ahead only its own
 * next window, recording first which of its pages were cached; once a
 * window is copied, the SOURCE pages that were not are dropped (auto),
 * or all of them (drop).  DEST's pages are dropped once written back,
 * when they are clean (auto and drop); with --no-sync auto keeps them,
 * for nothing waits for their write-back, and drop asks the kernel to
 * write each window back and drop it when it can.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "cache.h"
#include "copy.h"
#include "sparse.h"
#include "window.h"

/* One chunk being copied, as the callbacks of the walk (window.c) see
 * it. */
struct pass {
	const struct mcp_copy_ctx *ctx;
	struct workers_slot *slot;
	struct copy_lane *lane;
	const struct mcp_chunk *chunk;
	const struct mcp_chunk *next; /* the chunk taken next, or NULL */
	struct mcp_range window;      /* the window being copied */
	struct mcp_range upcoming;    /* this worker's next window */
	uint64_t written;             /* bytes of the window written */
	struct window_walk walk;
};

/* The calling worker's own state, in the memory it shares with the
 * parent. */
static struct copy_lane *lane_of(const struct mcp_copy_ctx *ctx,
				 const struct workers_slot *slot)
{
	return &ctx->lanes[workers_slot_index(slot)];
}

/* What was cached of this process's windows before it read them (each
 * worker is a process of its own): the window being copied, the one
 * read ahead for next, and a data segment that no read-ahead reached. */
static struct mcp_resident records[2], seg;
static struct mcp_resident *cur = &records[0], *ahead = &records[1];
/* What was read ahead: the window being copied, and the next one. */
static struct mcp_range fetched, fetched_next;

/* Ask the kernel to read [r->offset, +r->length) of SOURCE, recording
 * first what of it was cached (--cache=auto) in *rec. */
static void fetch(const struct mcp_copy_ctx *ctx, const struct mcp_range *r,
		  struct mcp_resident *rec)
{
	if (ctx->cache == MCP_CACHE_AUTO)
		cache_probe(rec, ctx->src_fd, r->offset, r->length,
			    ctx->plan->page_size);
	cache_fetch(ctx->src_fd, r->offset, r->length);
}

/* Read this worker's next window ahead while we copy this one: the
 * read-side twin of the write-back pipeline, which matters most for one
 * worker on a cold cache. */
static void read_ahead(const struct mcp_copy_ctx *ctx,
		       const struct mcp_range *next)
{
	if (next->length == 0)
		return;
	fetch(ctx, next, ahead);
	fetched_next = *next;
}

/* The window [off, off+len) begins: what was read ahead for it, if this
 * was the window read ahead, is now the current window's. */
static void take_record(const struct mcp_copy_ctx *ctx, uint64_t off,
			uint64_t len)
{
	struct mcp_resident *t = cur;
	bool same = fetched_next.offset == off && fetched_next.length == len;

	cur = ahead;
	ahead = t;
	if (!same || !cache_covers(cur, ctx->src_fd, off, len))
		cur->len = 0;
	ahead->len = 0;
	fetched.offset = off;
	fetched.length = same ? len : 0;
	fetched_next.length = 0;
}

/* Whether each window is written back with msync before it is unmapped:
 * asked for, or the only way where sync_file_range does not exist. */
static bool use_msync(const struct mcp_copy_ctx *ctx)
{
#ifdef HAVE_SYNC_FILE_RANGE
	return ctx->sync_method == MCP_SYNC_MSYNC;
#else
	(void)ctx;
	return true;
#endif
}

/* --sparse=always: copy the pages that hold data, leave the pages of
 * zeros unwritten, holes in DEST (nothing was reserved for them, see
 * files.c). */
static void copy_nonzero(struct mcp_window *w, struct pass *p)
{
	size_t page = (size_t)p->ctx->plan->page_size, pos = 0;

	while (pos < w->len) {
		size_t n = sparse_run(w->src + pos, w->len - pos, page, true);

		atomic_fetch_add(&p->lane->holes, n);
		pos += n;
		n = sparse_run(w->src + pos, w->len - pos, page, false);
		memcpy(w->dst + pos, w->src + pos, n);
		p->written += n;
		pos += n;
	}
}

/* Copy the mapped range w, and msync it when that is how it is written
 * back.  Runs under the guard: reading SOURCE may raise SIGBUS.
 * Returns 0 or -1 (fault recorded). */
static int copy_mapped(struct mcp_window *w, void *arg)
{
	struct pass *p = arg;

	if (p->ctx->sparse == MCP_SPARSE_ALWAYS) {
		copy_nonzero(w, p);
	} else {
		memcpy(w->dst, w->src, w->len);
		p->written += w->len;
	}
	if (p->ctx->sync && use_msync(p->ctx) &&
	    msync(w->dst, w->len, MS_SYNC) != 0) {
		fault_set(p->walk.fault, MCP_SIDE_DST, errno, "msync",
			     w->off);
		return -1;
	}
	return 0;
}

/* A hole of SOURCE in the window: nothing to write, counted. */
static void count_hole(void *arg, uint64_t len)
{
	struct pass *p = arg;

	atomic_fetch_add(&p->lane->holes, len);
}

/* Copy the data segment [off, off+len), mapped (window_apply).  A
 * segment that is the whole window has the worker's next window read
 * ahead first; only then, since holes would be read in as pages of
 * zeros.  A segment that was not read ahead (a worker's first window)
 * is asked for whole now: SOURCE's mapping is MADV_RANDOM (window.c),
 * so faults would read it a page at a time.  With --cache=auto, what of
 * it was cached is recorded first, and what was not is dropped after.
 * Returns 0 or -1 (fault recorded). */
static int copy_data(void *arg, uint64_t off, uint64_t len)
{
	struct pass *p = arg;
	const struct mcp_copy_ctx *ctx = p->ctx;
	struct mcp_range r = { off, len };
	bool own = fetched.length == 0;
	int rc;

	if (off == p->window.offset && len == p->window.length)
		read_ahead(ctx, &p->upcoming);
	if (own)
		fetch(ctx, &r, &seg);
	rc = window_apply(&p->walk, off, len, PROT_READ | PROT_WRITE,
			  copy_mapped, p);
	if (own)
		cache_release(&seg, ctx->src_fd, ctx->cache, off, len,
			      ctx->plan->page_size);
	return rc;
}

/* Copy the window [off, off+len): all of it with --sparse=never, else
 * SOURCE's data segments, counting the holes between them (window_walk);
 * leave SOURCE's pages as --cache says.  Returns 0 or -1 (fault
 * recorded). */
static int copy_window(struct pass *p, uint64_t off, uint64_t len)
{
	const struct mcp_copy_ctx *ctx = p->ctx;
	int rc;

	take_record(ctx, off, len);
	p->window.offset = off;
	p->window.length = len;
	p->written = 0;
	rc = window_walk(&p->walk, off, len);
	cache_release(cur, ctx->src_fd, ctx->cache, off, len,
		      ctx->plan->page_size);
	return rc;
}

/* This worker's window after [off, off+len): in this chunk, or the first
 * of the chunk it took next. */
static void plan_upcoming(struct pass *p, uint64_t off, uint64_t len)
{
	const struct mcp_chunk *c = p->chunk;
	struct mcp_range *u = &p->upcoming;

	u->offset = off + len;
	u->length = c->offset + c->length - u->offset;
	if (u->length == 0) {
		u->offset = p->next ? p->next->offset : 0;
		u->length = p->next ? p->next->length : 0;
	}
	if (u->length > p->ctx->plan->window)
		u->length = p->ctx->plan->window;
}

/* DEST's window [off, off+len) is on the disk and unmapped, its pages
 * clean: drop them unless --cache=keep. */
static void release_dest(const struct mcp_copy_ctx *ctx, uint64_t off,
			 uint64_t len)
{
	if (ctx->cache != MCP_CACHE_KEEP)
		cache_drop(ctx->dst_fd, off, len);
}

/* Wait until the worker's pending window is on the disk, then count
 * it; if it was the last of a chunk, that chunk is finished.  Returns 0,
 * or -1 with the fault recorded. */
static int wait_pending(const struct mcp_copy_ctx *ctx,
			struct workers_slot *slot)
{
	struct copy_lane *lane = lane_of(ctx, slot);
	struct mcp_range *p = &lane->pending;

	if (p->length == 0)
		return 0;
#ifdef HAVE_SYNC_FILE_RANGE
	if (sync_file_range(ctx->dst_fd, (off_t)p->offset, (off_t)p->length,
			    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
				    SYNC_FILE_RANGE_WAIT_AFTER) != 0) {
		fault_set(workers_slot_fault(slot), MCP_SIDE_DST, errno,
			     "sync_file_range", p->offset);
		return -1;
	}
#endif
	release_dest(ctx, p->offset, p->length);
	workers_slot_count(slot, p->length);
	p->length = 0;
	if (lane->closing)
		workers_slot_chunk_done(slot, &lane->closes);
	lane->closing = false;
	return 0;
}

/* A window was copied: count it now (without sync; or msync'd already),
 * or start its write-back and wait for the one before.  Returns 0 or -1
 * (fault). */
static int write_back(const struct mcp_copy_ctx *ctx, uint64_t off,
		      uint64_t len, struct workers_slot *slot)
{
	struct copy_lane *lane = lane_of(ctx, slot);

	if (!ctx->sync || use_msync(ctx)) {
		/* Without sync the pages are dirty: drop (not auto) has the
		 * kernel start their write-back and drop them if it can. */
		if (ctx->sync || ctx->cache == MCP_CACHE_DROP)
			release_dest(ctx, off, len);
		workers_slot_count(slot, len);
		return 0;
	}
#ifdef HAVE_SYNC_FILE_RANGE
	if (sync_file_range(ctx->dst_fd, (off_t)off, (off_t)len,
			    SYNC_FILE_RANGE_WRITE) != 0) {
		fault_set(workers_slot_fault(slot), MCP_SIDE_DST, errno,
			     "sync_file_range", off);
		return -1;
	}
#endif
	if (wait_pending(ctx, slot) != 0)
		return -1;
	lane->pending.offset = off;
	lane->pending.length = len;
	return 0;
}

/* Every window of the chunk is copied.  It is finished once the last
 * window written is on the disk: now, when none waits (no sync, msync,
 * all holes, or the one waiting is an earlier chunk's, which this chunk
 * wrote nothing after); else when that window's write-back is waited for,
 * by the next chunk or the drain. */
static void close_chunk(const struct mcp_copy_ctx *ctx,
			const struct mcp_chunk *chunk,
			struct workers_slot *slot)
{
	struct copy_lane *lane = lane_of(ctx, slot);

	if (lane->pending.length == 0 || lane->closing) {
		workers_slot_chunk_done(slot, chunk);
		return;
	}
	lane->closes = *chunk;
	lane->closing = true;
}

/* One window of the chunk (window_each): copy it and count it, or
 * start its write-back.  Returns 0, WORKERS_STOPPED when the pool is
 * stopping, or WORKERS_FAILED (fault in the slot). */
static int copy_step(void *arg, uint64_t off, uint64_t len)
{
	struct pass *p = arg;

	if (workers_slot_stopped(p->slot))
		return WORKERS_STOPPED;
	plan_upcoming(p, off, len);
	if (copy_window(p, off, len) != 0)
		return WORKERS_FAILED;
	if (p->written == 0)
		workers_slot_count(p->slot, len);
	else if (write_back(p->ctx, off, len, p->slot) != 0)
		return WORKERS_FAILED;
	return 0;
}

/*
 * Copy one chunk, a window at a time.  A window counts in the slot's
 * bytes once it is written back (with sync) or copied (without), so
 * progress is honest; a window with nothing written (all holes) counts
 * at once.  The last window of a worker is counted by copy_drain.  The
 * chunk is told finished (workers_slot_chunk_done) once all of it is.
 * `next` is the chunk this worker takes next, or NULL: its first window
 * is read ahead while the last of this one is copied.  Returns
 * WORKERS_DONE, WORKERS_FAILED (fault in the slot) or WORKERS_STOPPED
 * when the pool was stopped between windows.
 */
enum workers_result copy_chunk(const struct mcp_copy_ctx *ctx,
			       const struct mcp_chunk *chunk,
			       const struct mcp_chunk *next,
			       struct workers_slot *slot)
{
	struct pass p = {
		.ctx = ctx,
		.slot = slot,
		.lane = lane_of(ctx, slot),
		.chunk = chunk,
		.next = next,
		.walk = {
			.src_fd = ctx->src_fd,
			.dst_fd = ctx->dst_fd,
			.page = (uint64_t)ctx->plan->page_size,
			.data = ctx->sparse == MCP_SPARSE_NEVER
					? WINDOW_ALL
					: WINDOW_SRC_DATA,
			.hole = count_hole,
			.segment = copy_data,
			.arg = &p,
			.fault = workers_slot_fault(slot),
		},
	};
	int rc = window_each(chunk, ctx->plan->window, copy_step, &p);

	if (rc != 0)
		return rc;
	close_chunk(ctx, chunk, slot);
	return WORKERS_DONE;
}

/* After a worker's last chunk: wait for its last window's write-back.
 * Returns WORKERS_DONE or WORKERS_FAILED (fault in the slot). */
enum workers_result copy_drain(const struct mcp_copy_ctx *ctx,
			       struct workers_slot *slot)
{
	return wait_pending(ctx, slot) == 0 ? WORKERS_DONE : WORKERS_FAILED;
}

/* Bytes left as holes by all workers. */
uint64_t copy_holes(const struct mcp_copy_ctx *ctx, unsigned n_lanes)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < n_lanes; i++)
		sum += atomic_load(&ctx->lanes[i].holes);
	return sum;
}

/* Give ctx the per-worker state it needs, in the pool's shared memory.
 * Returns 0, or -1 with errno set. */
int copy_attach(struct mcp_copy_ctx *ctx, struct workers_pool *pool)
{
	ctx->lanes = workers_alloc(pool,
				   workers_count(pool) * sizeof *ctx->lanes);
	return ctx->lanes ? 0 : -1;
}

static enum workers_result run_chunk(void *arg, const struct mcp_chunk *chunk,
				     const struct mcp_chunk *next,
				     struct workers_slot *slot)
{
	return copy_chunk(arg, chunk, next, slot);
}

static enum workers_result drain(void *arg, struct workers_slot *slot)
{
	return copy_drain(arg, slot);
}

/* Run the pool over ctx's plan; fill *out. */
static enum workers_result run(struct mcp_copy_ctx *ctx,
			       struct workers_pool *pool,
			       struct copy_outcome *out)
{
	enum workers_result rc = workers_run(pool);

	if (workers_fault(pool))
		out->fault = *workers_fault(pool);
	out->bytes = workers_bytes_done(pool);
	out->skipped = workers_bytes_skipped(pool);
	out->workers = workers_started(pool);
	out->holes = copy_holes(ctx, workers_count(pool));
	return rc;
}

/*
 * Copy the chunks of ctx->plan that hooks->skip (hooks may be NULL)
 * does not refuse, with plan->workers processes.  Returns as workers_run:
 * WORKERS_FAILED with the fault in out->fault (also when the run could
 * not start), WORKERS_STOPPED for a terminating signal.  out->bytes is
 * what this run copied, out->holes what of it was left unwritten.
 * Prints only the pool's warnings.
 */
enum workers_result copy_files(const struct mcp_copy_ctx *ctx_in,
			       const struct workers_hooks *hooks,
			       struct copy_outcome *out)
{
	struct mcp_copy_ctx ctx = *ctx_in;
	struct workers_task task = { run_chunk, drain, &ctx, { 0 } };
	struct workers_pool *pool;
	enum workers_result rc;

	memset(out, 0, sizeof *out);
	if (hooks)
		task.hooks = *hooks;
	pool = workers_new(ctx.plan, &task);
	if (!pool || copy_attach(&ctx, pool) != 0) {
		fault_set(&out->fault, MCP_SIDE_DST, errno,
			     "cannot map the shared work area", 0);
		workers_free(pool);
		return WORKERS_FAILED;
	}
	rc = run(&ctx, pool, out);
	workers_free(pool);
	return rc;
}
