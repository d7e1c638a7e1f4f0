/*
 * reflink.h - --reflink: DEST made a clone of SOURCE, sharing its
 * extents, instead of a copy of its bytes, where the file system can.
 */
#ifndef MCP_REFLINK_H
#define MCP_REFLINK_H

#include "files.h"
#include "mcp.h"

int reflink_try(const struct mcp_opts *o, struct mcp_files *f);

#endif
