/*
 * span.h - the page cache and the write-back of the read/write path
 * (stream.c), a span of the files at a time: --cache for SOURCE and
 * DEST, and, when the copy is durable, DEST written back as it goes.
 */
#ifndef MCP_SPAN_H
#define MCP_SPAN_H

#include "mcp.h"

/* The unit: as large as the mapped path's window. */
#define MCP_SPAN MCP_WINDOW_MAX

struct mcp_span {
	int cache;          /* enum mcp_cache */
	bool sync;          /* write DEST back span by span */
	int src_fd;
	int dst_fd;
	bool src_paged;     /* a file with a page cache and an offset */
	bool dst_paged;
	uint64_t src_pos;   /* file offsets reached so far */
	uint64_t dst_pos;
	uint64_t dst_done;  /* DEST below this is written back (or let go) */
	struct mcp_range pending; /* written back, not yet waited for */
};

void span_begin(struct mcp_span *sp, int src_fd, int dst_fd, int cache,
		bool sync);
void span_read(struct mcp_span *sp, uint64_t n);
int span_written(struct mcp_span *sp, uint64_t n);
int span_end(struct mcp_span *sp);

#endif
