/*
 * atomic.h - --atomic: the copy goes into a temporary file beside DEST,
 * which replaces DEST by rename only once it is complete.
 */
#ifndef MCP_ATOMIC_H
#define MCP_ATOMIC_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The temporary file's suffix after ".NAME": a marker and random letters. */
#define MCP_ATOMIC_MARK ".mcp-"
#define MCP_ATOMIC_RANDOM 6

struct mcp_atomic {
	const char *dst; /* DEST as the user named it, for messages */
	int dir_fd;      /* the directory the final file lives in, or -1;
			    O_PATH when it cannot be read (see sync_fd) */
	int sync_fd;     /* for such a directory, the temporary file's open
			    description, to syncfs through; else -1 */
	char *name;      /* the final name inside it (a link's target) */
	char tmp[NAME_MAX + 1]; /* the temporary name while one exists, or "" */
	char extra[NAME_MAX + 1]; /* a file of ours to remove once DEST is
				     replaced (--resume's journal), or "" */
};

int atomic_temp_name(char *buf, size_t size, const char *name,
		     uint64_t bits);
uint64_t atomic_random_bits(void);
int atomic_open(struct mcp_atomic *a, const char *dst, bool unnamed);
int atomic_begin(struct mcp_atomic *a, const char *dst);
int atomic_adopt(struct mcp_atomic *a, int fd, const char *name);
void atomic_keep(struct mcp_atomic *a);
int atomic_name(struct mcp_atomic *a, int fd);
int atomic_replace(struct mcp_atomic *a, bool no_replace, bool sync);
void atomic_abort(struct mcp_atomic *a);

#endif
