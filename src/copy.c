/*
 * copy.c - one chunk, window by window: map a window of SOURCE read-only
 * and the same window of DEST shared and writable, memcpy, unmap, and
 * have the window written back before it counts as done.
 *
 * Write-back is pipelined: after a window is copied its write-back is
 * started (sync_file_range WRITE) and the previous window's is waited for,
 * so the disk writes one window while the CPU copies the next, and each
 * worker has at most two windows of dirty pages.  msync(MS_SYNC) per
 * window, the obvious way, is an fsync of the whole file on ext4 (journal
 * commit and cache flush each time) and stalls the copy while it waits;
 * docs/PERFORMANCE.md has the numbers.  It remains the fallback where
 * sync_file_range does not exist.  The parent's final fsync makes the
 * data and the metadata durable.
 *
 * A mapping turns I/O errors into signals: reading a page of SOURCE past
 * its (new) end, or one the disk cannot deliver, raises SIGBUS, and so
 * does a page of DEST the file system cannot back.  The handler below
 * jumps back out of memcpy to code that says which of these it was.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "copy.h"

static sigjmp_buf bus_env;
static volatile sig_atomic_t bus_armed;
static void *volatile bus_addr;

/* Outside a guarded memcpy a SIGBUS is a bug: die of it as usual. */
static void on_sigbus(int sig, siginfo_t *info, void *uctx)
{
	(void)uctx;
	if (!bus_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	bus_armed = 0;
	bus_addr = info->si_addr;
	siglongjmp(bus_env, 1);
}

/* Install the SIGBUS handler in the calling process.  Returns -1 with
 * errno set on failure; prints nothing. */
int copy_install_sigbus(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, NULL);
}

static void set_fault(struct mcp_slot *slot, int side, int err,
		      const char *what, uint64_t offset)
{
	slot->fault.side = side;
	slot->fault.err = err;
	slot->fault.what = what;
	slot->fault.offset = offset;
}

/* True when the file behind fd (a regular file) now ends before `end`. */
static bool shrank(int fd, uint64_t end)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size < end;
}

/* Name the SIGBUS: the source shrank, the destination ran out of space,
 * or the device behind one of them failed. */
static void classify_sigbus(const struct mcp_copy_ctx *ctx, const char *src,
			    uint64_t off, uint64_t len, struct mcp_slot *slot)
{
	const char *a = bus_addr;
	bool in_src = a >= src && a < src + len;
	int fd = in_src ? ctx->src_fd : ctx->dst_fd;
	int side = in_src ? MCP_SIDE_SRC : MCP_SIDE_DST;
	struct statvfs vfs;

	if (shrank(fd, off + len))
		set_fault(slot, side, MCP_ECHANGED, NULL, off);
	else if (!in_src && fstatvfs(fd, &vfs) == 0 && vfs.f_bavail == 0)
		set_fault(slot, side, ENOSPC, NULL, off);
	else
		set_fault(slot, side, EIO, NULL, off);
}

/* memcpy that turns a SIGBUS into a fault instead of a crash.  Nothing
 * local changes between sigsetjmp and the jump, so nothing is clobbered.
 * Returns 0, or -1 with the fault recorded. */
static int guarded_copy(const struct mcp_copy_ctx *ctx, char *dst,
			const char *src, uint64_t off, uint64_t len,
			struct mcp_slot *slot)
{
	if (sigsetjmp(bus_env, 1) != 0) {
		classify_sigbus(ctx, src, off, len, slot);
		return -1;
	}
	bus_armed = 1;
	memcpy(dst, src, len);
	bus_armed = 0;
	return 0;
}

/* Ask the kernel to start reading the window after this one while we
 * copy this one: the read-side twin of the write-back pipeline, which
 * matters most for one worker on a cold cache.  Advice only: a failure
 * changes nothing but the speed, so its result is ignored. */
static void read_ahead(const struct mcp_copy_ctx *ctx, uint64_t next,
		       uint64_t len)
{
	uint64_t size = ctx->plan->size;

	if (next < size)
		(void)posix_fadvise(ctx->src_fd, (off_t)next,
				    (off_t)(len < size - next ? len
							      : size - next),
				    POSIX_FADV_WILLNEED);
}

/* Copy [off, off+len) of the files.  Returns 0 or -1 (fault recorded). */
static int copy_window(const struct mcp_copy_ctx *ctx, uint64_t off,
		       uint64_t len, struct mcp_slot *slot)
{
	char *src, *dst;
	int rc;

	src = mmap(NULL, len, PROT_READ, MAP_SHARED, ctx->src_fd, (off_t)off);
	if (src == MAP_FAILED) {
		set_fault(slot, MCP_SIDE_SRC, errno, "mmap", off);
		return -1;
	}
	dst = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, ctx->dst_fd,
		   (off_t)off);
	if (dst == MAP_FAILED) {
		set_fault(slot, MCP_SIDE_DST, errno, "mmap", off);
		munmap(src, len);
		return -1;
	}
	read_ahead(ctx, off + len, len);
	rc = guarded_copy(ctx, dst, src, off, len, slot);
#ifndef HAVE_SYNC_FILE_RANGE
	if (rc == 0 && ctx->sync && msync(dst, len, MS_SYNC) != 0) {
		set_fault(slot, MCP_SIDE_DST, errno, "msync", off);
		rc = -1;
	}
#endif
	if (munmap(dst, len) != 0 && rc == 0) {
		set_fault(slot, MCP_SIDE_DST, errno, "munmap", off);
		rc = -1;
	}
	if (munmap(src, len) != 0 && rc == 0) {
		set_fault(slot, MCP_SIDE_SRC, errno, "munmap", off);
		rc = -1;
	}
	return rc;
}

/* Wait until the slot's pending window is on the disk, then count it.
 * Returns 0, or -1 with the fault recorded. */
static int wait_pending(const struct mcp_copy_ctx *ctx, struct mcp_slot *slot)
{
	struct mcp_range *p = &slot->pending;

	if (p->length == 0)
		return 0;
#ifdef HAVE_SYNC_FILE_RANGE
	if (sync_file_range(ctx->dst_fd, (off_t)p->offset, (off_t)p->length,
			    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
				    SYNC_FILE_RANGE_WAIT_AFTER) != 0) {
		set_fault(slot, MCP_SIDE_DST, errno, "sync_file_range",
			  p->offset);
		return -1;
	}
#else
	(void)ctx;
#endif
	atomic_fetch_add(&slot->bytes_done, p->length);
	p->length = 0;
	return 0;
}

/* A window was copied: count it now, or, when syncing, start its
 * write-back and wait for the one before.  Returns 0 or -1 (fault). */
static int written(const struct mcp_copy_ctx *ctx, uint64_t off,
		   uint64_t len, struct mcp_slot *slot)
{
	if (!ctx->sync) {
		atomic_fetch_add(&slot->bytes_done, len);
		return 0;
	}
#ifdef HAVE_SYNC_FILE_RANGE
	if (sync_file_range(ctx->dst_fd, (off_t)off, (off_t)len,
			    SYNC_FILE_RANGE_WRITE) != 0) {
		set_fault(slot, MCP_SIDE_DST, errno, "sync_file_range", off);
		return -1;
	}
#endif
	if (wait_pending(ctx, slot) != 0)
		return -1;
	slot->pending.offset = off;
	slot->pending.length = len;
	return 0;
}

/*
 * Copy one chunk, a window at a time.  A window counts in the slot's
 * bytes_done once it is written back (with sync) or copied (without), so
 * progress is honest; the last window of a worker is counted by
 * copy_drain.  Returns MCP_COPY_DONE, MCP_COPY_FAILED (fault in slot) or
 * MCP_COPY_STOPPED when *ctx->stop was raised between windows.
 */
int copy_chunk(const struct mcp_copy_ctx *ctx, const struct mcp_chunk *chunk,
	       struct mcp_slot *slot)
{
	uint64_t done = 0;

	while (done < chunk->length) {
		uint64_t off = chunk->offset + done;
		uint64_t len = chunk->length - done;

		if (atomic_load(ctx->stop))
			return MCP_COPY_STOPPED;
		if (len > ctx->plan->window)
			len = ctx->plan->window;
		if (copy_window(ctx, off, len, slot) != 0 ||
		    written(ctx, off, len, slot) != 0)
			return MCP_COPY_FAILED;
		done += len;
	}
	return MCP_COPY_DONE;
}

/* After a worker's last chunk: wait for its last window's write-back.
 * Returns MCP_COPY_DONE or MCP_COPY_FAILED (fault in slot). */
int copy_drain(const struct mcp_copy_ctx *ctx, struct mcp_slot *slot)
{
	return wait_pending(ctx, slot) == 0 ? MCP_COPY_DONE : MCP_COPY_FAILED;
}
