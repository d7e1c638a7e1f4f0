/*
 * reread.h - --verify for a copy made through read/write: DEST read back
 * with read(2) and compared byte for byte with SOURCE read again, or,
 * when SOURCE could be read only once (a pipe), with the checksum of
 * what was read from it.
 */
#ifndef MCP_REREAD_H
#define MCP_REREAD_H

#include "digest.h"
#include "fault.h"
#include "mcp.h"

enum mcp_compare reread_compare(int src_fd, int dst_fd, uint64_t size,
				uint64_t *diff, struct mcp_fault *fault);
enum mcp_compare reread_digest(int dst_fd, uint64_t size,
			       const struct mcp_digest_value *want,
			       struct mcp_fault *fault);

#endif
