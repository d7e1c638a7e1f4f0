/*
 * cache.c - the page cache policy of --cache, for one byte range at a
 * time.
 *
 * auto leaves the cache as it was found: before mcp reads a range of
 * SOURCE, or asks the kernel to read it ahead, cache_probe records which
 * of its pages are resident (mincore on a throw-away mapping: mapping
 * faults nothing in, and mincore reads only the page cache); once the
 * range is copied, cache_release drops the pages that were not.  The
 * probe must come before any read-ahead of the range, or the pages mcp
 * asked for would look as if they had been there.
 *
 * Linux hides the page cache of a file the caller may neither write nor
 * own (since 5.0, against side channels): mincore then says every page
 * is resident, so auto keeps them all, as keep does.  A failed probe
 * does the same: keeping pages costs memory the kernel can reclaim,
 * dropping a page someone else uses costs them a disk read.
 *
 * cache_fetch asks for a range to be read ahead; the probe comes first.
 *
 * Every call here is advice: a failure changes what stays cached, never
 * the bytes copied, so results are ignored on purpose.
 */
#include <config.h>

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "cache.h"

/* The most asked to be read in one call: Linux's default read-ahead
 * size, which no device's cap goes below unless set lower by hand.  A
 * piece cut short would be faulted in a page at a time, for SOURCE's
 * mapping is MADV_RANDOM (window.c).  Smaller pieces cost nothing
 * measurable: docs/PERFORMANCE.md, experiment 7. */
#define FETCH_PIECE (128ULL << 10)

/* Pages of `len` bytes, the last one partial. */
static uint64_t pages_of(uint64_t len, long page)
{
	return (len + (uint64_t)page - 1) / (uint64_t)page;
}

/* Record which pages of [off, off+len) of fd are resident now.  A range
 * too long for the record, or a probe that fails, is recorded as all
 * resident: kept. */
void cache_probe(struct mcp_resident *r, int fd, uint64_t off, uint64_t len,
		 long page)
{
	uint64_t n = pages_of(len, page);
	void *p;

	r->fd = fd;
	r->off = off;
	r->len = len;
	if (n > MCP_RESIDENT_PAGES) {
		r->len = 0;
		return;
	}
	memset(r->vec, 1, n);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);
	if (p == MAP_FAILED)
		return;
	if (mincore(p, len, r->vec) != 0)
		memset(r->vec, 1, n);
	(void)munmap(p, len); /* a throw-away mapping: nothing to report */
}

/* Whether r holds a record for all of [off, off+len) of fd. */
bool cache_covers(const struct mcp_resident *r, int fd, uint64_t off,
		  uint64_t len)
{
	return r->len > 0 && r->fd == fd && off >= r->off &&
	       off + len <= r->off + r->len;
}

/* Ask the kernel to read [off, off+len) of fd into the cache, without
 * waiting.  One request of a whole window would be cut by Linux to the
 * device's read-ahead size (the larger of read_ahead_kb and
 * max_sectors_kb: 8 MiB of 64 on the development machine), so it is
 * asked for in FETCH_PIECE pieces. */
void cache_fetch(int fd, uint64_t off, uint64_t len)
{
	uint64_t pos, n;

	for (pos = 0; pos < len; pos += n) {
		n = len - pos < FETCH_PIECE ? len - pos : FETCH_PIECE;
		(void)posix_fadvise(fd, (off_t)(off + pos), (off_t)n,
				    POSIX_FADV_WILLNEED);
	}
}

/* Drop fd's clean pages in [off, off+len) (len 0: to the end).  Dirty
 * pages are only queued for write-back by the kernel, and mapped pages
 * stay: callers drop what they have unmapped and written back. */
void cache_drop(int fd, uint64_t off, uint64_t len)
{
	(void)posix_fadvise(fd, (off_t)off, (off_t)len, POSIX_FADV_DONTNEED);
}

/*
 * [off, off+len) of fd has been read (and unmapped): apply `mode` to it.
 * keep drops nothing, drop drops it all, auto drops each run of pages
 * that r (which must cover the range) says were not resident when
 * probed; without a record auto keeps everything.
 */
void cache_release(const struct mcp_resident *r, int fd, int mode,
		   uint64_t off, uint64_t len, long page)
{
	uint64_t first, last, i;

	if (mode == MCP_CACHE_DROP)
		cache_drop(fd, off, len);
	if (mode != MCP_CACHE_AUTO || !cache_covers(r, fd, off, len))
		return;
	first = (off - r->off) / (uint64_t)page;
	last = pages_of(off + len - r->off, page);
	for (i = first; i < last;) {
		uint64_t run = i;

		while (run < last && !(r->vec[run] & 1))
			run++;
		if (run > i)
			cache_drop(fd, r->off + i * (uint64_t)page,
				   (run - i) * (uint64_t)page);
		i = run + 1;
	}
}
