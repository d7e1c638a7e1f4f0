/*
 * window.h - the same byte range of SOURCE and DEST mapped side by side,
 * and the SIGBUS guard for touching those mappings.  copy.c writes
 * through windows, verify.c reads through them.
 */
#ifndef MCP_WINDOW_H
#define MCP_WINDOW_H

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
void window_fault(struct mcp_fault *f, int side, int err, const char *what,
		  uint64_t offset);
int window_map(struct mcp_window *w, int dst_prot, struct mcp_fault *f);
bool window_split(const struct mcp_window *w, uint64_t page,
		  struct mcp_fault *f, uint64_t *first);
int window_unmap(struct mcp_window *w, int rc, struct mcp_fault *f);
int window_guard(struct mcp_window *w,
		 int (*fn)(struct mcp_window *w, void *arg), void *arg,
		 struct mcp_fault *f);
int window_next_data(const struct mcp_window *w, int side, uint64_t pos,
		     uint64_t page, struct mcp_range *d, struct mcp_fault *f);

#endif
