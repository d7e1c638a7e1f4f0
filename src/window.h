/*
 * window.h - the same byte range of SOURCE and DEST mapped side by side,
 * the SIGBUS guard for touching those mappings, and the one walk that
 * copy.c (writing) and verify.c (reading) share: a chunk window by
 * window (window_each), a window segment of data by segment
 * (window_walk), a segment mapped and guarded, halved when the address
 * space is short (window_apply).
 */
#ifndef MCP_WINDOW_H
#define MCP_WINDOW_H

#include "fault.h"
#include "mcp.h"

struct mcp_window {
	int src_fd;
	int dst_fd;
	uint64_t off;    /* page-aligned */
	uint64_t len;    /* > 0; may end in a partial page at the end of file */
	const char *src; /* mapped by window_map */
	char *dst;
};

int window_install_sigbus(void);
int window_map(struct mcp_window *w, int dst_prot, struct mcp_fault *f);
bool window_split(const struct mcp_window *w, uint64_t page,
		  struct mcp_fault *f, uint64_t *first);
int window_unmap(struct mcp_window *w, int rc, struct mcp_fault *f);
int window_guard(struct mcp_window *w,
		 int (*fn)(struct mcp_window *w, void *arg), void *arg,
		 struct mcp_fault *f);
int window_next_data(const struct mcp_window *w, int side, uint64_t pos,
		     uint64_t page, struct mcp_range *d, struct mcp_fault *f);

/* Which parts of a window are walked. */
enum window_data {
	WINDOW_ALL,       /* all of it, holes read as zeros */
	WINDOW_SRC_DATA,  /* SOURCE's data segments (lseek SEEK_DATA) */
	WINDOW_ANY_DATA,  /* where either file has data */
};

/* One walk over the windows of two files. */
struct window_walk {
	int src_fd;
	int dst_fd;
	uint64_t page;
	int data;                 /* enum window_data */
	void (*hole)(void *arg, uint64_t len);    /* may be NULL */
	int (*segment)(void *arg, uint64_t off, uint64_t len);
	void *arg;
	struct mcp_fault *fault;  /* where a failure is recorded */
};

int window_each(const struct mcp_chunk *chunk, uint64_t window,
		int (*fn)(void *arg, uint64_t off, uint64_t len), void *arg);
int window_walk(const struct window_walk *walk, uint64_t off, uint64_t len);
int window_apply(const struct window_walk *walk, uint64_t off, uint64_t len,
		 int dst_prot, int (*fn)(struct mcp_window *w, void *arg),
		 void *arg);

#endif
