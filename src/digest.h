/*
 * digest.h - a checksum of a byte stream, for --verify of what cannot be
 * read twice: the bytes of a pipe as they pass through the read/write
 * path, then DEST as it is read back.  xxHash's XXH3, 128 bits.
 */
#ifndef MCP_DIGEST_H
#define MCP_DIGEST_H

#include <stddef.h>

#include "mcp.h"

/* The running state; opaque, so that only digest.c sees xxhash.h. */
struct mcp_digest;

/* A finished checksum. */
struct mcp_digest_value {
	uint64_t low;
	uint64_t high;
};

struct mcp_digest *digest_new(void);
void digest_add(struct mcp_digest *d, const void *buf, size_t len);
struct mcp_digest_value digest_value(const struct mcp_digest *d);
bool digest_equal(const struct mcp_digest_value *a,
		  const struct mcp_digest_value *b);
void digest_free(struct mcp_digest *d);

#endif
