/*
 * files.c - everything about SOURCE and DEST as files rather than bytes.
 * Each function prints its own error ("mcp: PATH: what: reason") before
 * it returns -1, so callers only decide what to do next.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "files.h"
#include "msg.h"
#include "sparse.h"

/* Where `src` goes inside directory `dir`: dir/basename(src), ignoring
 * trailing slashes on either.  Returns NULL (printed) on failure. */
char *files_dest_in_dir(const char *dir, const char *src)
{
	size_t end = strlen(src), start, dlen = strlen(dir);
	char *path;

	while (end > 1 && src[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && src[start - 1] != '/')
		start--;
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	path = malloc(dlen + 1 + (end - start) + 1);
	if (!path) {
		msg_error(src, NULL, errno);
		return NULL;
	}
	memcpy(path, dir, dlen);
	path[dlen] = '/';
	memcpy(path + dlen + 1, src + start, end - start);
	path[dlen + 1 + end - start] = '\0';
	return path;
}

bool files_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

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

/* Fix f->size from the opened source; refuse what cannot be mapped. */
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
		msg_errorf("%s: cannot be memory-mapped: only regular files and "
			   "block devices can be copied", f->src);
		return -1;
	}
	f->size = (uint64_t)st->st_size;
	return 0;
}

/*
 * Open SOURCE read-only and fix the number of bytes to copy.  O_NONBLOCK
 * keeps a FIFO from hanging the open; mmap does not care about it.
 * Returns 0, or -1 after printing.
 */
int files_open_source(struct mcp_files *f, const char *src)
{
	memset(f, 0, sizeof *f);
	f->src = src;
	f->src_fd = f->dst_fd = -1;
	if (strcmp(src, "-") == 0) {
		msg_errorf("-: copying from standard input is not supported: "
			   "it cannot be memory-mapped");
		return -1;
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
	return source_size(f);
}

static bool same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static int refuse_same(const struct mcp_files *f)
{
	msg_errorf("'%s' and '%s' are the same file", f->src, f->dst);
	return -1;
}

/* Refuse an existing DEST we must not write: the source itself, a
 * directory, or something that is not a regular file. */
static int check_existing(const struct mcp_files *f, const struct stat *st)
{
	if (same_inode(st, &f->src_st))
		return refuse_same(f);
	if (S_ISDIR(st->st_mode)) {
		msg_error(f->dst, "cannot overwrite directory", EISDIR);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		msg_errorf("%s: not a regular file; refusing to replace it",
			   f->dst);
		return -1;
	}
	return 0;
}

/* Open an existing DEST and empty it, after checking the opened file
 * itself is not SOURCE (the path may have changed since stat). */
static int open_existing(struct mcp_files *f)
{
	struct stat st, lst;

	f->dst_fd = open(f->dst, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (f->dst_fd < 0) {
		msg_error(f->dst, "cannot open", errno);
		return -1;
	}
	if (fstat(f->dst_fd, &st) != 0) {
		msg_error(f->dst, "cannot stat", errno);
		return -1;
	}
	if (check_existing(f, &st) != 0)
		return -1;
	f->dst_link = lstat(f->dst, &lst) == 0 && S_ISLNK(lst.st_mode);
	/* Dropping the old blocks first means mapped writes never read
	 * them back in from the disk. */
	if (ftruncate(f->dst_fd, 0) != 0) {
		msg_error(f->dst, "cannot truncate", errno);
		return -2; /* the old DEST may be gone: discard it */
	}
	return 0;
}

/* A symbolic link whose target does not exist. */
static bool is_dangling(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	       stat(path, &st) != 0;
}

/*
 * Open DEST for the copy: refuse the same file, skip an existing one with
 * no_clobber, create a new one (owner-only until finished) or empty an
 * existing one.  Returns 0 to copy, 1 to skip, -1 after printing (DEST
 * untouched), -2 after printing when DEST must be discarded.
 */
int files_open_dest(struct mcp_files *f, const char *dst, bool no_clobber)
{
	struct stat st;

	f->dst = dst;
	if (stat(dst, &st) == 0) {
		if (check_existing(f, &st) != 0)
			return -1;
		if (no_clobber)
			return 1;
		return open_existing(f);
	}
	if (errno != ENOENT) {
		msg_error(dst, "cannot stat", errno);
		return -1;
	}
	f->dst_fd = open(dst, O_RDWR | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC,
			 S_IRUSR | S_IWUSR);
	if (f->dst_fd >= 0) {
		f->dst_new = true;
		return 0;
	}
	if (errno == EEXIST && is_dangling(dst)) {
		msg_errorf("%s: not writing through dangling symlink", dst);
		return -1;
	}
	if (errno == EEXIST) /* it appeared since stat: treat as existing */
		return no_clobber ? 1 : open_existing(f);
	msg_error(dst, "cannot create", errno);
	return -1;
}

/* fallocate [off, off+len) of DEST; returns 0 or an errno value. */
static int reserve_range(int fd, uint64_t off, uint64_t len)
{
#if defined HAVE_FALLOCATE
	return fallocate(fd, 0, (off_t)off, (off_t)len) == 0 ? 0 : errno;
#elif defined HAVE_POSIX_FALLOCATE
	return posix_fallocate(fd, (off_t)off, (off_t)len);
#else
	(void)fd, (void)off, (void)len;
	return EOPNOTSUPP;
#endif
}

/*
 * Reserve the blocks DEST will need: all of them with --sparse=never;
 * with auto only those of SOURCE's data segments (page-rounded, as the
 * copy writes them), so the holes stay holes; with always none, since
 * which pages of the data are zeros is known only while copying, and
 * reserving them would ask for room DEST will not take (a written-out
 * image of zeros would not fit where its copy does).  A full disk is
 * then met by a worker and reported as such.  Returns 0, an errno value
 * from fallocate, or -1 after printing when SOURCE cannot be read.
 */
static int reserve_all(struct mcp_files *f)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), pos = 0;
	struct mcp_range d;

	if (f->sparse == MCP_SPARSE_NEVER)
		return reserve_range(f->dst_fd, 0, f->size);
	if (f->sparse == MCP_SPARSE_ALWAYS)
		return 0;
	while (pos < f->size) {
		int rc = sparse_next_data(f->src_fd, pos, f->size, page, &d);
		if (rc == MCP_SPARSE_HOLE)
			break;
		if (rc == MCP_SPARSE_SHRANK) {
			msg_errorf("%s: file changed during copy", f->src);
			return -1;
		}
		if (rc != MCP_SPARSE_DATA) {
			msg_error(f->src, "lseek", errno);
			return -1;
		}
		rc = reserve_range(f->dst_fd, d.offset, d.length);
		if (rc != 0)
			return rc;
		pos = d.offset + d.length;
	}
	return 0;
}

/* Reserve DEST's blocks so a full disk fails here, not as a SIGBUS in a
 * worker.  File systems that cannot reserve are copied without.
 * Returns 0, or -1 after printing. */
static int reserve(struct mcp_files *f)
{
	int err = reserve_all(f);

	if (err <= 0)
		return err;
	if (err == EOPNOTSUPP || err == ENOSYS || err == EINVAL) {
		msg_verbosef("%s: space not reserved: %s", f->dst,
			     strerror(err));
		return 0;
	}
	if (err == ENOSPC || err == EDQUOT || err == EFBIG)
		msg_error(f->dst, NULL, err);
	else
		msg_error(f->dst, "cannot reserve space", err);
	return -1;
}

/* Give DEST its final size and reserve its blocks.  DEST is empty here
 * (new, or emptied by files_open_dest), so every byte the copy does not
 * write reads as zero: --sparse relies on it.  Returns 0, or -1 after
 * printing. */
int files_size_dest(struct mcp_files *f)
{
	if (f->size == 0)
		return 0;
	if (ftruncate(f->dst_fd, (off_t)f->size) != 0) {
		msg_error(f->dst, errno == EFBIG ? NULL : "cannot set size",
			  errno);
		return -1;
	}
	return reserve(f);
}

/* After the copy: SOURCE must still hold every byte we copied, else the
 * copy mixes old and new data.  Returns 0, or -1 after printing. */
int files_check_source(const struct mcp_files *f)
{
	struct stat st;

	if (!S_ISREG(f->src_st.st_mode))
		return 0;
	if (fstat(f->src_fd, &st) != 0) {
		msg_error(f->src, "cannot stat", errno);
		return -1;
	}
	if ((uint64_t)st.st_size < f->size) {
		msg_errorf("%s: file changed during copy", f->src);
		return -1;
	}
	return 0;
}

/*
 * Before --verify: write DEST back (fdatasync, with or without --no-sync:
 * comparing with the page cache would prove nothing about the disk), then
 * drop its now clean pages from the cache, so the comparison reads what
 * the storage holds.  Returns 0, or -1 after printing.
 */
int files_reread_dest(struct mcp_files *f)
{
	int err;

	if (fdatasync(f->dst_fd) != 0) {
		msg_error(f->dst, "fdatasync", errno);
		return -1;
	}
	err = posix_fadvise(f->dst_fd, 0, 0, POSIX_FADV_DONTNEED);
	if (err != 0) {
		msg_error(f->dst, "posix_fadvise", err);
		return -1;
	}
	return 0;
}

/* fsync the directory holding `path`, so a new name is durable too. */
static int sync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, (size_t)(slash - path) + 1)
			  : strdup(".");
	int fd, rc = 0;

	if (!dir) {
		msg_error(path, NULL, errno);
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL)) {
		msg_error(dir, "cannot sync directory", errno);
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* A new DEST gets SOURCE's permission bits less the umask, as with cp. */
static int set_mode(struct mcp_files *f)
{
	mode_t mask = umask(0);

	umask(mask);
	if (fchmod(f->dst_fd, f->src_st.st_mode & 0777 & ~mask) != 0) {
		msg_error(f->dst, "cannot set permissions", errno);
		return -1;
	}
	return 0;
}

/*
 * Finish a complete copy: final mode for a new DEST, fsync of DEST (and
 * of its directory when new) unless !sync, and a checked close.  Returns
 * 0, or -1 after printing (the caller then discards DEST).
 */
int files_finish(struct mcp_files *f, bool sync)
{
	int fd = f->dst_fd;

	if (f->dst_new && set_mode(f) != 0)
		return -1;
	if (sync && fsync(fd) != 0) {
		msg_error(f->dst, "fsync", errno);
		return -1;
	}
	f->dst_fd = -1;
	if (close(fd) != 0) {
		msg_error(f->dst, "close", errno);
		return -1;
	}
	if (sync && f->dst_new && sync_parent(f->dst) != 0)
		return -1;
	return 0;
}

/*
 * Remove what a failed copy left.  Through a symbolic link we cannot
 * unlink the file itself, so it is emptied instead: never a full-size
 * file that looks finished.
 */
void files_discard(struct mcp_files *f)
{
	int rc = f->dst_fd >= 0 ? ftruncate(f->dst_fd, 0)
				: f->dst_link ? truncate(f->dst, 0) : 0;

	if (rc != 0)
		msg_error(f->dst, "cannot truncate", errno);
	if (!f->dst_link && unlink(f->dst) != 0 && errno != ENOENT)
		msg_error(f->dst, "cannot remove", errno);
	files_close(f);
}

void files_close(struct mcp_files *f)
{
	if (f->dst_fd >= 0)
		close(f->dst_fd);
	if (f->src_fd >= 0)
		close(f->src_fd);
	f->dst_fd = f->src_fd = -1;
}
