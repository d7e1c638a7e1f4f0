/*
 * cache.h - the page cache around a copy: reading ranges ahead, which
 * pages of a file were cached before mcp read them (--cache=auto), and
 * dropping the pages mcp brought in (or all of them) once done.
 */
#ifndef MCP_CACHE_H
#define MCP_CACHE_H

#include "mcp.h"

/* One residency flag per page of the largest window, at 4 KiB pages
 * (bigger pages need fewer). */
#define MCP_RESIDENT_PAGES (MCP_WINDOW_MAX / 4096)

/*
 * Which pages of the byte range [off, off+len) of a file were resident
 * when it was probed.  Empty (len 0) when nothing was recorded.  Each
 * process keeps its own: forked workers share nothing of it.
 */
struct mcp_resident {
	int fd;
	uint64_t off;
	uint64_t len;
	unsigned char vec[MCP_RESIDENT_PAGES]; /* mincore's: bit 0 = resident */
};

void cache_probe(struct mcp_resident *r, int fd, uint64_t off, uint64_t len,
		 long page);
bool cache_covers(const struct mcp_resident *r, int fd, uint64_t off,
		  uint64_t len);
void cache_release(const struct mcp_resident *r, int fd, int mode,
		   uint64_t off, uint64_t len, long page);
void cache_fetch(int fd, uint64_t off, uint64_t len);
void cache_drop(int fd, uint64_t off, uint64_t len);

#endif
