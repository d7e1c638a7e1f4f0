/*
 * digest.c - XXH3-128 over a byte stream, through libxxhash.  A fast
 * non-cryptographic hash is enough: it guards against the storage, not
 * against an adversary, and it must keep up with a pipe at memory speed.
 * 128 bits make a chance collision of a damaged DEST negligible.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <xxhash.h>

#include "digest.h"

struct mcp_digest {
	XXH3_state_t *state;
};

/* A fresh, empty checksum.  Returns NULL with errno set. */
struct mcp_digest *digest_new(void)
{
	struct mcp_digest *d = malloc(sizeof *d);

	if (!d)
		return NULL;
	d->state = XXH3_createState();
	if (!d->state || XXH3_128bits_reset(d->state) != XXH_OK) {
		XXH3_freeState(d->state);
		free(d);
		errno = ENOMEM;
		return NULL;
	}
	return d;
}

/* Add len bytes.  XXH3 fails only for a NULL state or buffer, which a
 * caller never passes, so nothing comes back. */
void digest_add(struct mcp_digest *d, const void *buf, size_t len)
{
	if (len > 0)
		(void)XXH3_128bits_update(d->state, buf, len);
}

/* The checksum of everything added so far; more may still be added. */
struct mcp_digest_value digest_value(const struct mcp_digest *d)
{
	XXH128_hash_t h = XXH3_128bits_digest(d->state);
	struct mcp_digest_value v = { h.low64, h.high64 };

	return v;
}

bool digest_equal(const struct mcp_digest_value *a,
		  const struct mcp_digest_value *b)
{
	return a->low == b->low && a->high == b->high;
}

void digest_free(struct mcp_digest *d)
{
	if (!d)
		return;
	XXH3_freeState(d->state);
	free(d);
}
