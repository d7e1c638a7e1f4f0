/*
 * sparse.h - where a file's data lies (lseek SEEK_DATA/SEEK_HOLE) and
 * which pages hold nothing but zeros, for --sparse and --verify.
 */
#ifndef MCP_SPARSE_H
#define MCP_SPARSE_H

#include <stddef.h>

#include "mcp.h"

/* What sparse_next_data found. */
enum mcp_sparse_next {
	MCP_SPARSE_DATA = 1,    /* a data segment, in *data */
	MCP_SPARSE_HOLE = 0,    /* no data before the end of the range */
	MCP_SPARSE_ERROR = -1,  /* lseek or fstat failed: errno */
	MCP_SPARSE_SHRANK = -2, /* the file now ends before the range does */
};

int sparse_next_data(int fd, uint64_t off, uint64_t end, uint64_t page,
		     struct mcp_range *data);
bool sparse_is_zero(const void *p, size_t len);
size_t sparse_run(const char *p, size_t len, size_t page, bool zero);

#endif
