/*
 * stream.h - the read/write path, for what cannot be memory-mapped: one
 * process, one buffer, read(2) then write(2) until the end of SOURCE.
 */
#ifndef MCP_STREAM_H
#define MCP_STREAM_H

#include "mcp.h"

/* Bytes read and written at a time: big enough that the system calls
 * cost nothing, small enough to stay in the CPU's caches. */
#define MCP_STREAM_BUF (1U << 20)

/* A limit meaning "until read(2) says end of file". */
#define MCP_STREAM_TO_EOF UINT64_MAX

struct mcp_digest;

/* One copy through the buffer.  The caller fills the first five fields,
 * `count`, `digest`, `cache` and `sync`;
 * stream_copy keeps `bytes` up to date, write by write, so a progress
 * report or a summary needs nothing but this counter. */
struct mcp_stream {
	int src_fd;
	int dst_fd;
	const char *src;  /* the paths, for messages */
	const char *dst;
	uint64_t limit;   /* bytes SOURCE had when opened, or MCP_STREAM_TO_EOF */
	uint64_t bytes;   /* written to DEST so far */
	void (*count)(uint64_t bytes); /* told after each write, or NULL */
	struct mcp_digest *digest; /* fed every byte read, or NULL: --verify
				      of a SOURCE that cannot be reread */
	int cache;        /* enum mcp_cache, for both files (span.c) */
	bool sync;        /* write DEST back as it goes (span.c) */
};

int stream_copy(struct mcp_stream *s);

#endif
