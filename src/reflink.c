/*
 * reflink.c - --reflink=WHEN, as cp defines it: DEST becomes a clone of
 * SOURCE (the FICLONE ioctl: XFS with reflink, btrfs, bcachefs, NFS 4.2
 * servers that can) that shares SOURCE's extents, so 100 GB take
 * milliseconds and no new blocks.  Tried once, on the emptied DEST,
 * before its blocks are reserved (a reservation would be wasted on a
 * clone); auto falls back to the byte copy, always fails instead.  A
 * clone is all or nothing: DEST is empty again whenever it fails.
 */
#include <config.h>

#include <errno.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "quote.h"
#include "reflink.h"
#include "report.h"

/* Whether DEST can be a clone at all: a pipe and a device have no
 * extents to share. */
static bool clonable(const struct mcp_files *f)
{
	return !f->src_stream && !f->dst_through && S_ISREG(f->src_st.st_mode);
}

/* Whether the clone is asked for.  --sparse=never asks for every byte
 * written into DEST's own blocks, which a clone would not give: auto
 * then copies (options.c refuses always with never). */
static bool wanted(const struct mcp_opts *o)
{
	return o->reflink != MCP_REFLINK_NEVER && o->sparse != MCP_SPARSE_NEVER;
}

/* Whether err is the ordinary answer of a file system that cannot clone
 * these two files (no reflink, two file systems, not a file it can
 * clone): auto then copies without a word, even with -v.  Anything
 * else (ENOSPC, EIO, ...) is worth a -v line before the copy. */
static bool cannot_clone(int err)
{
	return err == EOPNOTSUPP || err == ENOTTY || err == EXDEV ||
	       err == EINVAL || err == ENOSYS;
}

/* DEST holds what SOURCE held at the clone, which may be more than the
 * size it had when opened (it grew since): cut DEST to that size, as the
 * byte copy would have copied.  Less means SOURCE shrank: the copy
 * fails, as a byte copy would.  Returns 0, or -1 after printing. */
static int fit_size(const struct mcp_files *f)
{
	struct stat st;

	if (fstat(f->dst_fd, &st) != 0) {
		msg_error(f->dst, "cannot stat", errno);
		return -1;
	}
	if ((uint64_t)st.st_size < f->size) {
		msg_errorf("%s: file changed during copy", f->src);
		return -1;
	}
	if ((uint64_t)st.st_size > f->size &&
	    ftruncate(f->dst_fd, (off_t)f->size) != 0) {
		msg_error(f->dst, "cannot set size", errno);
		return -1;
	}
	return 0;
}

/* A clone that failed may have shared part of SOURCE already: DEST must
 * be empty again before the byte copy, which relies on it.  Returns 0,
 * or -1 after printing. */
static int undo(const struct mcp_files *f)
{
	if (ftruncate(f->dst_fd, 0) != 0) {
		msg_error(f->dst, "cannot empty", errno);
		return -1;
	}
	return 0;
}

/*
 * Make DEST (already open and empty) a clone of SOURCE when --reflink
 * asks for it.  Returns 1 when DEST is the clone, with SOURCE's size
 * (nothing is left to copy: the caller goes on to the source check,
 * --verify and files_finish); 0 when the bytes are to be copied (not
 * asked, or auto and the file system cannot); -1 after printing.
 */
int reflink_try(const struct mcp_opts *o, struct mcp_files *f)
{
	int err;

	if (!wanted(o))
		return 0;
	if (!clonable(f)) {
		if (o->reflink != MCP_REFLINK_ALWAYS)
			return 0;
		msg_errorf("%s: cannot clone: not a regular file",
			   f->dst_through ? f->dst : f->src);
		return -1;
	}
	if (ioctl(f->dst_fd, FICLONE, f->src_fd) == 0) {
		if (fit_size(f) != 0)
			return -1;
		msg_verbosef("%s -> %s: %llu bytes, cloned", quote(f->src),
			     quote(f->dst), (unsigned long long)f->size);
		report_cloned(f->size);
		/* --verify has nothing to read back: DEST's blocks are
		 * SOURCE's own, so a comparison would read each block twice
		 * and compare it with itself.  The clone is the check. */
		if (o->verify) {
			msg_verbosef("%s: verified: a clone of %s",
				     quote(f->dst), quote(f->src));
			report_verified();
		}
		return 1;
	}
	err = errno;
	if (undo(f) != 0)
		return -1;
	if (o->reflink == MCP_REFLINK_ALWAYS) {
		msg_error(f->dst, "cannot clone", err);
		return -1;
	}
	if (!cannot_clone(err))
		msg_verbosef("%s -> %s: not cloned (%s); copying the bytes",
			     quote(f->src), quote(f->dst), strerror(err));
	return 0;
}
