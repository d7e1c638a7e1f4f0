/*
 * span.c - what the mapped path does per window, for the read/write
 * path: spans of MCP_SPAN bytes at aligned file offsets.
 *
 * SOURCE (--cache=auto): which pages of the span being read and of the
 * next one were cached is recorded on entering a span, before the
 * kernel's read-ahead for read(2) (a few MiB, never a whole span) can
 * reach them; on leaving a span, the pages that were not cached are
 * dropped.  drop drops every span once read; keep does nothing.
 *
 * DEST, with sync: each span is written back once complete
 * (sync_file_range WRITE) and the one before waited for, as the mapped
 * path does with its windows, so dirty memory stays at about two spans
 * and the final fsync has little left to do; a span waited for is
 * clean, and dropped unless --cache=keep.  Without sync, drop asks the
 * kernel to write each span back and drop it when it can; auto and
 * keep leave DEST's pages to the kernel, as the mapped path does.
 *
 * Only regular files and block devices have a page cache and offsets;
 * pipes, FIFOs and character devices are left alone.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "span.h"

/* What was cached of SOURCE's current span and of the next one.  The
 * read/write path runs in one process, so one pair serves. */
static struct mcp_resident seen[2];

static long page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? p : 4096;
}

/* Whether fd has a page cache we can act on; *pos is its offset. */
static bool paged(int fd, uint64_t *pos)
{
	struct stat st;
	off_t at;

	if (fstat(fd, &st) != 0 ||
	    !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)))
		return false;
	at = lseek(fd, 0, SEEK_CUR);
	if (at < 0)
		return false;
	*pos = (uint64_t)at;
	return true;
}

static uint64_t span_start(uint64_t pos)
{
	return pos / MCP_SPAN * MCP_SPAN;
}

/* Record SOURCE's span starting at `at` in seen[i] (auto only). */
static void probe(const struct mcp_span *sp, int i, uint64_t at)
{
	if (sp->cache == MCP_CACHE_AUTO)
		cache_probe(&seen[i], sp->src_fd, at, MCP_SPAN, page_size());
}

/* Done with SOURCE's span starting at `at`, recorded in seen[i]. */
static void release(const struct mcp_span *sp, int i, uint64_t at)
{
	cache_release(&seen[i], sp->src_fd, sp->cache, at, MCP_SPAN,
		      page_size());
}

/* Set sp up for a copy from the files' current offsets. */
void span_begin(struct mcp_span *sp, int src_fd, int dst_fd, int cache,
		bool sync)
{
	sp->cache = cache;
	sp->sync = sync;
	sp->src_fd = src_fd;
	sp->dst_fd = dst_fd;
	sp->src_pos = sp->dst_pos = 0;
	sp->src_paged = paged(src_fd, &sp->src_pos);
	sp->dst_paged = paged(dst_fd, &sp->dst_pos);
	sp->dst_done = sp->dst_pos;
	sp->pending.offset = sp->pending.length = 0;
	seen[0].len = seen[1].len = 0;
	if (sp->src_paged) {
		probe(sp, 0, span_start(sp->src_pos));
		probe(sp, 1, span_start(sp->src_pos) + MCP_SPAN);
	}
}

/* n more bytes of SOURCE were read: on entering a new span, release the
 * one left and record the one after the new one. */
void span_read(struct mcp_span *sp, uint64_t n)
{
	uint64_t from = span_start(sp->src_pos);

	sp->src_pos += n;
	if (!sp->src_paged || span_start(sp->src_pos) == from)
		return;
	for (; from < span_start(sp->src_pos); from += MCP_SPAN) {
		struct mcp_resident t = seen[0];

		release(sp, 0, from);
		seen[0] = seen[1];
		seen[1] = t;
		probe(sp, 1, from + 2 * MCP_SPAN);
	}
}

/* Wait for the pending write-back, then drop it unless keep.  Returns 0,
 * or -1 with errno from sync_file_range. */
static int wait_pending(struct mcp_span *sp)
{
	struct mcp_range *p = &sp->pending;

	if (p->length == 0)
		return 0;
#ifdef HAVE_SYNC_FILE_RANGE
	if (sync_file_range(sp->dst_fd, (off_t)p->offset, (off_t)p->length,
			    SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
				    SYNC_FILE_RANGE_WAIT_AFTER) != 0)
		return -1;
#endif
	if (sp->cache != MCP_CACHE_KEEP)
		cache_drop(sp->dst_fd, p->offset, p->length);
	p->length = 0;
	return 0;
}

/* DEST's [sp->dst_done, end) is written: start its write-back and wait
 * for the range before (sync), or let the kernel have it.  Returns 0, or
 * -1 with errno from sync_file_range. */
static int hand_over(struct mcp_span *sp, uint64_t end)
{
	uint64_t off = sp->dst_done, len = end - off;

	sp->dst_done = end;
	if (!sp->sync) {
		if (sp->cache == MCP_CACHE_DROP)
			cache_drop(sp->dst_fd, off, len);
		return 0;
	}
#ifdef HAVE_SYNC_FILE_RANGE
	if (sync_file_range(sp->dst_fd, (off_t)off, (off_t)len,
			    SYNC_FILE_RANGE_WRITE) != 0)
		return -1;
#endif
	if (wait_pending(sp) != 0)
		return -1;
	sp->pending.offset = off;
	sp->pending.length = len;
	return 0;
}

/* n more bytes were written to DEST: hand over each span completed.
 * Returns 0, or -1 with errno set (sync_file_range failed). */
int span_written(struct mcp_span *sp, uint64_t n)
{
	uint64_t end;

	sp->dst_pos += n;
	end = span_start(sp->dst_pos);
	if (!sp->dst_paged || end <= sp->dst_done)
		return 0;
	return hand_over(sp, end);
}

/* The copy is complete: hand over DEST's last span and wait for what is
 * in flight; release SOURCE's last two spans.  Returns 0, or -1 with
 * errno set (sync_file_range failed). */
int span_end(struct mcp_span *sp)
{
	if (sp->src_paged) {
		release(sp, 0, span_start(sp->src_pos));
		release(sp, 1, span_start(sp->src_pos) + MCP_SPAN);
	}
	if (!sp->dst_paged)
		return 0;
	if (sp->dst_pos > sp->dst_done && hand_over(sp, sp->dst_pos) != 0)
		return -1;
	return sp->sync ? wait_pending(sp) : 0;
}
