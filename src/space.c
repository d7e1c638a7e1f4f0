/*
 * space.c - giving DEST its size and reserving its blocks before any
 * worker writes, so a full disk is an error up front rather than a
 * SIGBUS mid-copy; with --sparse only SOURCE's data is reserved.  Part
 * of the files module (files.h); each function prints its own error
 * before it returns -1.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "msg.h"
#include "quote.h"
#include "signals.h"
#include "sparse.h"

/* Reserve this much at a time: fallocate of terabytes can take minutes
 * and no signal ends it, so a terminating signal is looked for between
 * steps. */
#define RESERVE_STEP (1ULL << 30)

/* fallocate [off, off+len) of DEST; returns 0 or an errno value. */
static int reserve_step(int fd, uint64_t off, uint64_t len)
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

/* Reserve [off, off+len) a step at a time.  Returns 0, an errno value,
 * or EINTR once a terminating signal came. */
static int reserve_range(int fd, uint64_t off, uint64_t len)
{
	while (len > 0) {
		uint64_t n = len < RESERVE_STEP ? len : RESERVE_STEP;
		int err;

		if (signals_caught())
			return EINTR;
		err = reserve_step(fd, off, n);
		if (err != 0)
			return err;
		off += n;
		len -= n;
	}
	return 0;
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
	/* A signal ended it (tmpfs's fallocate gives up with EINTR), or came
	 * during it: the caller cleans up and dies of it, saying nothing. */
	if (signals_caught())
		return -1;
	if (err == EOPNOTSUPP || err == ENOSYS || err == EINVAL) {
		msg_verbosef("%s: space not reserved: %s", quote_bare(f->dst),
			     strerror(err));
		return 0;
	}
	if (err == ENOSPC || err == EDQUOT || err == EFBIG)
		msg_error(f->dst, NULL, err);
	else
		msg_error(f->dst, "cannot reserve space", err);
	return -1;
}

/* A block device DEST must hold all of SOURCE, known in advance: say
 * so before writing a byte.  Returns 0, or -1 after printing. */
static int check_room(const struct mcp_files *f)
{
	struct stat st;
	uint64_t bytes;

	if (f->src_stream)
		return 0; /* a write past the end will say ENOSPC */
	if (fstat(f->dst_fd, &st) != 0) {
		msg_error(f->dst, "cannot stat", errno);
		return -1;
	}
	if (!S_ISBLK(st.st_mode))
		return 0;
	if (ioctl(f->dst_fd, BLKGETSIZE64, &bytes) != 0) {
		msg_error(f->dst, "cannot read device size", errno);
		return -1;
	}
	if (bytes < f->size) {
		msg_error(f->dst, NULL, ENOSPC);
		return -1;
	}
	return 0;
}

/* Give DEST its final size and reserve its blocks; for a device, check
 * SOURCE fits.  Nothing to do on the read/write path: DEST grows as it
 * is written (SOURCE's size may be unknown, and reserve_all's SEEK_DATA
 * would move the offset stream.c reads SOURCE from).  A regular DEST is
 * empty here (new, or emptied by files_open_dest), so every byte the
 * copy does not write reads as zero: --sparse relies on it (a device
 * DEST is written in full by stream.c).  Returns 0, or -1 after
 * printing. */
int files_size_dest(struct mcp_files *f)
{
	if (f->dst_through)
		return check_room(f);
	if (files_streamed(f) || f->size == 0)
		return 0;
	if (ftruncate(f->dst_fd, (off_t)f->size) != 0) {
		msg_error(f->dst, errno == EFBIG ? NULL : "cannot set size",
			  errno);
		return -1;
	}
	return reserve(f);
}
