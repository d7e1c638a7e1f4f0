/*
 * files.h - SOURCE and DEST as files: opening and checking them, the
 * same-file and overwrite rules, sizing and reserving DEST, its final
 * metadata, making it durable, and removing it (or, with --atomic, the
 * temporary file) when a copy fails.  Also which files must go through
 * the read/write path (stream.c) instead of mappings.  Implemented in
 * source.c (SOURCE), space.c (DEST's size and reservation), alias.c (one
 * file under two device and inode numbers), probe.c (whether a file
 * system allows shared mappings) and files.c (the rest of DEST).
 */
#ifndef MCP_FILES_H
#define MCP_FILES_H

#include <sys/stat.h>

#include "atomic.h"
#include "mcp.h"

struct mcp_resume;

struct mcp_files {
	const char *src;   /* the paths, as the user named them */
	const char *dst;
	int src_fd;
	int dst_fd;
	struct stat src_st;
	uint64_t size;     /* bytes to copy, fixed when SOURCE is opened */
	bool dst_new;      /* we created DEST */
	bool dst_link;     /* DEST's path is a symbolic link */
	bool src_stream;   /* SOURCE cannot be mapped: read it to end of file;
			      `size` is then unknown (0) */
	bool src_stdin;    /* SOURCE is "-", standard input */
	bool dst_through;  /* DEST is a device or a FIFO: written in place,
			      never created, emptied or removed */
	int src_map_err;   /* nonzero (ENODEV) when SOURCE's file system */
	int dst_map_err;   /* or DEST's refuses shared mappings: the copy
			      goes through read/write, sizes still known */
	bool atomic;       /* dst_fd is a temporary file that replaces DEST */
	struct stat dst_st; /* the DEST that existed, when !dst_new */
	struct mcp_atomic tmp; /* with atomic: where the temporary file is */
	int sparse;        /* enum mcp_sparse: reserve only SOURCE's data */
	struct mcp_resume *resume; /* with --resume: its partial file and
				      journal (set by the caller) */
};

/* What files_open_dest did. */
enum files_dest {
	FILES_DEST_FAILED = -1, /* printed; DEST untouched */
	FILES_DEST_OPEN = 0,    /* open for the copy */
	FILES_DEST_KEPT = 1,    /* it exists and --no-clobber keeps it */
};

/* What files_finish did. */
enum files_finish {
	FILES_FINISH_FAILED = -1, /* printed; DEST is to be discarded */
	FILES_FINISHED = 0,       /* complete, durable, closed */
	FILES_FINISH_PARTIAL = 1, /* that, but -p fell short (printed) */
};

char *files_dest_in_dir(const char *dir, const char *src);
bool files_is_dir(const char *path);
int files_check_output(const char *dst, bool json);
bool files_same_data(const struct mcp_files *f, const char *dst,
		     const struct stat *st);
const char *files_unreadable_kind(const char *dst);
int files_probe_map(int fd, int prot);
int files_open_source(struct mcp_files *f, const char *src);
enum files_dest files_open_dest(struct mcp_files *f, const char *dst,
				const struct mcp_opts *o);
int files_size_dest(struct mcp_files *f);
int files_check_source(const struct mcp_files *f);
int files_leave_source(const struct mcp_files *f);
int files_reread_dest(struct mcp_files *f);
enum files_finish files_finish(struct mcp_files *f, const struct mcp_opts *o);
void files_discard(struct mcp_files *f, bool sync);
void files_close(struct mcp_files *f);
bool files_streamed(const struct mcp_files *f);

#endif
