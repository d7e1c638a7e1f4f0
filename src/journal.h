/*
 * journal.h - --resume's journal: which chunks of one copy are durable,
 * and the facts that make continuing that copy safe (SOURCE's identity,
 * size and mtime, the chunk size, the partial file's name and identity).
 * The codec is pure; journal_read and journal_write do the file's I/O.
 */
#ifndef MCP_JOURNAL_H
#define MCP_JOURNAL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define MCP_JOURNAL_VERSION 1
/* The most chunks a journal records: its bitmap stays at 128 KiB or
 * less, cheap to rewrite every second.  --resume raises the chunk size
 * of bigger files to fit. */
#define MCP_JOURNAL_MAX_CHUNKS (1ULL << 20)

struct mcp_journal {
	uint64_t src_dev;
	uint64_t src_ino;
	uint64_t src_size;
	int64_t src_mtime_sec;
	uint64_t src_mtime_nsec;
	uint64_t chunk_size;
	uint64_t n_chunks;
	uint64_t part_dev;  /* the partial file it speaks for */
	uint64_t part_ino;
	char part_name[NAME_MAX + 1]; /* its name in DEST's directory */
	unsigned char *done; /* bitmap of durable chunks, (n_chunks+7)/8 */
};

/* What journal_decode and journal_read found. */
enum journal_verdict {
	JOURNAL_OK = 0,
	JOURNAL_NONE,     /* no file of that name */
	JOURNAL_FOREIGN,  /* not a journal at all: not ours to replace */
	JOURNAL_VERSION,  /* one of ours, of another format version */
	JOURNAL_DAMAGED,  /* one of ours, cut short or altered */
	JOURNAL_ERROR,    /* it could not be read (errno) */
};

int journal_init(struct mcp_journal *j, const struct stat *src,
		 uint64_t chunk_size, const struct stat *part,
		 const char *part_name);
void journal_free(struct mcp_journal *j);
size_t journal_size(const struct mcp_journal *j);
void journal_encode(const struct mcp_journal *j, unsigned char *buf);
int journal_decode(const unsigned char *buf, size_t len,
		   struct mcp_journal *j);
const char *journal_verdict_text(int verdict);
int journal_same_source(const struct mcp_journal *j, const struct stat *src);
uint64_t journal_done_count(const struct mcp_journal *j);
void journal_mark(struct mcp_journal *j, uint64_t index);
int journal_is_done(const struct mcp_journal *j, uint64_t index);
int journal_read(int dir_fd, const char *name, struct mcp_journal *j);
void journal_remove_stale(int dir_fd, const char *name);
int journal_write(int dir_fd, const char *name, const struct mcp_journal *j);

#endif
