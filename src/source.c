/*
 * source.c - SOURCE as a file: opening it (standard input included),
 * deciding whether it can be mapped and how many bytes it holds, and
 * checking after the copy that it still holds them.  Part of the files
 * module (files.h); each function prints its own error before it
 * returns -1.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "files.h"
#include "msg.h"
#include "quote.h"

/* True for files of kernel pseudo file systems, whose sizes lie. */
static bool on_pseudo_fs(int fd)
{
	struct statfs fs;

	if (fstatfs(fd, &fs) != 0)
		return false;
	switch (fs.f_type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
		return true;
	default:
		return false;
	}
}

/* Fix f->size from the opened source, or mark it for the read/write
 * path: FIFOs, character devices, sockets, and pseudo files whose size
 * is not their contents.  Returns 0, or -1 after printing. */
static int source_size(struct mcp_files *f)
{
	const struct stat *st = &f->src_st;
	uint64_t bytes;

	if (S_ISDIR(st->st_mode)) {
		msg_error(f->src, NULL, EISDIR);
		return -1;
	}
	if (S_ISBLK(st->st_mode)) {
		if (ioctl(f->src_fd, BLKGETSIZE64, &bytes) != 0) {
			msg_error(f->src, "cannot read device size", errno);
			return -1;
		}
		f->size = bytes;
		return 0;
	}
	if (!S_ISREG(st->st_mode) || on_pseudo_fs(f->src_fd)) {
		f->src_stream = true;
		return 0;
	}
	f->size = (uint64_t)st->st_size;
	return 0;
}

/* SOURCE "-": standard input, from its current offset.  A regular file
 * at offset 0 is mapped like any other (files_check_source then moves
 * the offset to the end, as reading it would); anything else, or from
 * elsewhere in the file, takes the read/write path.  A descriptor of our
 * own (dup) lets files_close treat it like any other.  Returns 0, or -1
 * after printing. */
static int open_stdin(struct mcp_files *f)
{
	f->src_stdin = true;
	f->src_stream = true;
	f->src_fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
	if (f->src_fd < 0) {
		msg_error(f->src, "cannot read standard input", errno);
		return -1;
	}
	if (fstat(f->src_fd, &f->src_st) != 0) {
		msg_error(f->src, "cannot stat", errno);
		return -1;
	}
	if (S_ISDIR(f->src_st.st_mode)) {
		msg_error(f->src, NULL, EISDIR);
		return -1;
	}
	if (S_ISREG(f->src_st.st_mode) && !on_pseudo_fs(f->src_fd) &&
	    lseek(f->src_fd, 0, SEEK_CUR) == 0) {
		f->src_stream = false;
		f->size = (uint64_t)f->src_st.st_size;
	}
	return 0;
}

/* A SOURCE of known size whose file system refuses shared mappings is
 * read with read(2) instead; its size still bounds the copy.  Nothing
 * is mapped of an empty one, so it needs no asking. */
static void probe_source(struct mcp_files *f)
{
	if (!f->src_stream && f->size > 0)
		f->src_map_err = files_probe_map(f->src_fd, PROT_READ);
}

/*
 * Open SOURCE read-only and fix the number of bytes to copy, or mark it
 * for the read/write path.  O_NONBLOCK keeps a FIFO without a writer from
 * hanging the open; it stays set, as stream.c polls before every read
 * (and mmap does not care).  Returns 0, or -1 after printing.
 */
int files_open_source(struct mcp_files *f, const char *src)
{
	memset(f, 0, sizeof *f);
	f->src = src;
	f->src_fd = f->dst_fd = -1;
	if (strcmp(src, "-") == 0) {
		if (open_stdin(f) != 0)
			return -1;
		probe_source(f);
		return 0;
	}
	f->src_fd = open(src, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (f->src_fd < 0) {
		msg_error(src, "cannot open", errno);
		return -1;
	}
	if (fstat(f->src_fd, &f->src_st) != 0) {
		msg_error(src, "cannot stat", errno);
		return -1;
	}
	if (source_size(f) != 0)
		return -1;
	probe_source(f);
	return 0;
}

/* After the copy: SOURCE must still hold every byte we copied, else the
 * copy mixes old and new data.  Returns 0, or -1 after printing. */
int files_check_source(const struct mcp_files *f)
{
	struct stat st;

	if (f->src_stream || !S_ISREG(f->src_st.st_mode))
		return 0;
	if (fstat(f->src_fd, &st) != 0) {
		msg_error(f->src, "cannot stat", errno);
		return -1;
	}
	if ((uint64_t)st.st_size < f->size) {
		msg_errorf("%s: file changed during copy", quote_bare(f->src));
		return -1;
	}
	return 0;
}

/*
 * Once nothing reads SOURCE any more: leave mapped standard input at the
 * end of what was copied, where reading it would have left it, for the
 * next command on the same descriptor ({ mcp - dst; cat >rest; } <file).
 * Its offset is shared with our descriptor, and the lseek SEEK_DATA and
 * SEEK_HOLE of the copy and of --verify move it, so this comes after
 * both.  Returns 0, or -1 after printing.
 */
int files_leave_source(const struct mcp_files *f)
{
	if (!f->src_stdin || f->src_stream)
		return 0;
	if (lseek(f->src_fd, (off_t)f->size, SEEK_SET) < 0) {
		msg_error(f->src, "cannot seek", errno);
		return -1;
	}
	return 0;
}
