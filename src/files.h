/*
 * files.h - SOURCE and DEST as files: opening and checking them, the
 * same-file and overwrite rules, sizing and reserving DEST, making it
 * durable, and removing it when a copy fails.
 */
#ifndef MCP_FILES_H
#define MCP_FILES_H

#include <sys/stat.h>

#include "mcp.h"

struct mcp_files {
	const char *src;   /* the paths, as the user named them */
	const char *dst;
	int src_fd;
	int dst_fd;
	struct stat src_st;
	uint64_t size;     /* bytes to copy, fixed when SOURCE is opened */
	bool dst_new;      /* we created DEST */
	bool dst_link;     /* DEST's path is a symbolic link */
	int sparse;        /* enum mcp_sparse: reserve only SOURCE's data */
};

char *files_dest_in_dir(const char *dir, const char *src);
bool files_is_dir(const char *path);
int files_open_source(struct mcp_files *f, const char *src);
int files_open_dest(struct mcp_files *f, const char *dst, bool no_clobber);
int files_size_dest(struct mcp_files *f);
int files_check_source(const struct mcp_files *f);
int files_reread_dest(struct mcp_files *f);
int files_finish(struct mcp_files *f, bool sync);
void files_discard(struct mcp_files *f);
void files_close(struct mcp_files *f);

#endif
