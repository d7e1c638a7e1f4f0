/*
 * resume.h - --resume: the partial file beside DEST and its journal,
 * from choosing them (continue, or start over, and why) to keeping them
 * when a copy is interrupted.  Parent process only.
 */
#ifndef MCP_RESUME_H
#define MCP_RESUME_H

#include "files.h"
#include "journal.h"
#include "mcp.h"

/* Between two journal updates while copying: often enough that little
 * is copied twice, rarely enough to cost nothing measurable. */
#define MCP_RESUME_SAVE_NS 1000000000ULL
/* ... but at least this many times as long as the last fdatasync of
 * the partial file took: the updates cost at most about 1/20 of the
 * copy's time, however slow the disk's cache flush. */
#define MCP_RESUME_SYNC_SHARE 20
/* ... and never more than this apart, so that an interruption costs at
 * most these seconds of copying again. */
#define MCP_RESUME_SAVE_MAX_NS 10000000000ULL

struct mcp_resume {
	struct mcp_journal j;     /* what is durable, this run included */
	unsigned char *prior;     /* chunks durable before this run */
	uint64_t prior_bytes;     /* their bytes, not copied again */
	char journal_name[NAME_MAX + 1];
	int dir_fd;               /* DEST's directory (f->tmp's) */
	int part_fd;              /* the partial file (f->dst_fd) */
	uint64_t saved_ns;        /* when the journal was last written */
	uint64_t interval_ns;     /* between two writes, at least */
	uint64_t sync_ns;         /* how long the last fdatasync took */
	bool fixed;               /* interval_ns only (a test's) */
	uint64_t unsaved;         /* chunks done since */
	uint64_t saved_bytes;     /* what the journal on the disk records */
	int err;                  /* a failed update: errno, 0 if none */
	const char *err_what;
};

int resume_names(const char *name, char *partial, char *journal,
		 size_t size);
int resume_open(struct mcp_resume *r, struct mcp_files *f,
		const struct mcp_opts *o);
uint64_t resume_chunk_size(const struct mcp_resume *r);
bool resume_skip(void *arg, uint64_t index);
void resume_chunk_done(void *arg, const struct mcp_chunk *chunk);
int resume_check(struct mcp_resume *r, const struct mcp_files *f);
void resume_keep(struct mcp_resume *r, struct mcp_files *f, bool spoiled);
void resume_free(struct mcp_resume *r);
void resume_size_text(char *buf, size_t size, uint64_t n);

#endif
