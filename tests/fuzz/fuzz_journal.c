/*
 * fuzz_journal.c - libFuzzer target for journal_decode, --resume's
 * journal parser, the one part of mcp that reads a file an earlier run
 * (or anyone) may have left in any state.
 *
 * Byte 0 of the input chooses how the rest is used: even, as it is;
 * odd, with its last 8 bytes replaced by the right checksum of what
 * comes before them, so that inputs get past the checksum to the
 * checks of the fields.  Then:
 *
 *   - the verdict is one of enum journal_verdict, and only JOURNAL_OK
 *     leaves a bitmap allocated;
 *   - an accepted journal is canonical: journal_size is the input's
 *     length, and journal_encode gives the input back byte for byte;
 *   - its fields hold what journal_init makes: a chunk size > 0, as many
 *     chunks as cover the size and at most MCP_JOURNAL_MAX_CHUNKS, a
 *     name of 1..NAME_MAX bytes without '/' that is not . or .., an mtime
 *     under a second of nanoseconds, no chunk marked past the last, and
 *     journal_is_done agreeing with journal_done_count.
 */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "fuzz_journal: check failed: %s\n", \
				#cond);                                  \
			abort();                                         \
		}                                                        \
	} while (0)

/* The invariants of an accepted journal j, decoded from buf[len]. */
static void check_ok(const struct mcp_journal *j, const uint8_t *buf,
		     size_t len)
{
	size_t name_len = strlen(j->part_name);
	uint64_t n = 0, marked = 0;
	unsigned char *again;

	CHECK(j->done != NULL);
	CHECK(journal_size(j) == len);
	again = malloc(len);
	CHECK(again != NULL);
	journal_encode(j, again);
	CHECK(memcmp(again, buf, len) == 0);
	free(again);
	CHECK(j->chunk_size > 0);
	n = j->src_size / j->chunk_size + (j->src_size % j->chunk_size != 0);
	CHECK(j->n_chunks == n);
	CHECK(j->n_chunks <= MCP_JOURNAL_MAX_CHUNKS);
	CHECK(name_len >= 1 && name_len <= NAME_MAX);
	CHECK(strchr(j->part_name, '/') == NULL);
	CHECK(strcmp(j->part_name, ".") != 0 && strcmp(j->part_name, "..") != 0);
	CHECK(j->src_mtime_nsec < 1000000000);
	for (uint64_t i = 0; i < j->n_chunks + 8; i++)
		marked += (uint64_t)(journal_is_done(j, i) != 0);
	CHECK(marked == journal_done_count(j));
	CHECK(marked <= j->n_chunks);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcp_journal j;
	uint8_t *buf;
	size_t len;
	int v;

	if (size == 0)
		return 0;
	len = size - 1;
	buf = malloc(len + 1);
	CHECK(buf != NULL);
	memcpy(buf, data + 1, len);
	if ((data[0] & 1) && len >= 8) {
		uint64_t sum = XXH3_64bits(buf, len - 8);

		for (int i = 0; i < 8; i++)
			buf[len - 8 + (size_t)i] = (uint8_t)(sum >> (8 * i));
	}
	v = journal_decode(buf, len, &j);
	CHECK(v >= JOURNAL_OK && v <= JOURNAL_ERROR);
	CHECK(v != JOURNAL_NONE);
	if (v == JOURNAL_OK) {
		check_ok(&j, buf, len);
		journal_free(&j);
	} else {
		CHECK(j.done == NULL);
	}
	free(buf);
	return 0;
}
