/*
 * window.c - mapping one window of both files, and the guard around code
 * that touches it.  A mapping turns I/O errors into signals: reading a
 * page of SOURCE past its (new) end, or one the disk cannot deliver,
 * raises SIGBUS, and so does a page of DEST the file system cannot back.
 * The handler jumps back out of memcpy (or memcmp) to code that says
 * which of these it was.  Nothing here prints: failures become faults.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "sparse.h"
#include "window.h"

static sigjmp_buf bus_env;
static volatile sig_atomic_t bus_armed;
static void *volatile bus_addr;

/* Outside a guarded call a SIGBUS is a bug: die of it as usual. */
static void on_sigbus(int sig, siginfo_t *info, void *uctx)
{
	(void)uctx;
	if (!bus_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	bus_armed = 0;
	bus_addr = info->si_addr;
	siglongjmp(bus_env, 1);
}

/* Install the SIGBUS handler in the calling process.  Returns -1 with
 * errno set on failure; prints nothing. */
int window_install_sigbus(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, NULL);
}

/* Map SOURCE's part of the window read-only and DEST's with dst_prot,
 * both shared.  Returns 0, or -1 with the fault recorded and nothing
 * left mapped.
 *
 * SOURCE's mapping is marked MADV_RANDOM: its pages are read ahead by
 * mcp itself (cache_fetch) before they are touched, and the kernel's own
 * read-ahead on a fault would read past the window, into pages another
 * worker may have copied and dropped already (--cache); touching a page
 * that an earlier reader marked for read-ahead would do the same.  The
 * advice changes only what is read ahead, so its result is ignored. */
int window_map(struct mcp_window *w, int dst_prot, struct mcp_fault *f)
{
	void *p;

	p = mmap(NULL, w->len, PROT_READ, MAP_SHARED, w->src_fd, (off_t)w->off);
	if (p == MAP_FAILED) {
		fault_set(f, MCP_SIDE_SRC, errno, "mmap", w->off);
		return -1;
	}
	(void)madvise(p, w->len, MADV_RANDOM);
	w->src = p;
	p = mmap(NULL, w->len, dst_prot, MAP_SHARED, w->dst_fd, (off_t)w->off);
	if (p == MAP_FAILED) {
		fault_set(f, MCP_SIDE_DST, errno, "mmap", w->off);
		munmap((void *)w->src, w->len);
		return -1;
	}
	w->dst = p;
	return 0;
}

/*
 * After window_map failed: whether it was for want of address space
 * (ENOMEM, as under ulimit -v) in a window big enough to cut in two.  If
 * so, the fault is forgotten and *first is the length of the first half,
 * a whole number of pages: the caller maps and handles the halves one
 * after the other, so a copy under a tight limit goes on in smaller
 * windows instead of failing.  Any other failure stays recorded.
 */
bool window_split(const struct mcp_window *w, uint64_t page,
		  struct mcp_fault *f, uint64_t *first)
{
	if (f->err != ENOMEM || w->len <= page)
		return false;
	*first = (w->len / 2 + page - 1) / page * page;
	memset(f, 0, sizeof *f);
	return true;
}

/* Unmap both halves.  rc is the result so far: an unmap failure is
 * recorded only when nothing failed before.  Returns 0 or -1. */
int window_unmap(struct mcp_window *w, int rc, struct mcp_fault *f)
{
	if (munmap(w->dst, w->len) != 0 && rc == 0) {
		fault_set(f, MCP_SIDE_DST, errno, "munmap", w->off);
		rc = -1;
	}
	if (munmap((void *)w->src, w->len) != 0 && rc == 0) {
		fault_set(f, MCP_SIDE_SRC, errno, "munmap", w->off);
		rc = -1;
	}
	return rc;
}

/* True when the file behind fd (a regular file) now ends before `end`. */
static bool shrank(int fd, uint64_t end)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_size < end;
}

/*
 * A SIGBUS carries no errno.  Ask the file system for the page of DEST
 * that faulted, as the fault did: fallocate fails the same way, with
 * ENOSPC for a full disk, EDQUOT for a quota (which statvfs cannot see:
 * the disk has room, this user has none), or EIO.  Returns that errno,
 * or 0 when the page can be had now or the call cannot say
 * (EOPNOTSUPP).  KEEP_SIZE: the page may lie past the end of a window at
 * the end of the file, and DEST's size must not change.  A DEST that
 * failed is removed, so the block the probe may take is given back.
 */
static int probe_dest(const struct mcp_window *w, const char *a)
{
#if defined HAVE_FALLOCATE && defined FALLOC_FL_KEEP_SIZE
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t off = (w->off + (uint64_t)(a - w->dst)) / page * page;

	if (fallocate(w->dst_fd, FALLOC_FL_KEEP_SIZE, (off_t)off,
		      (off_t)page) == 0)
		return 0;
	return errno == ENOSPC || errno == EDQUOT || errno == EIO ? errno : 0;
#else
	(void)w, (void)a;
	return 0;
#endif
}

/* Name the SIGBUS: a file shrank, DEST ran out of space or quota, or
 * the device behind one of them failed. */
static void classify_sigbus(const struct mcp_window *w, struct mcp_fault *f)
{
	const char *a = bus_addr;
	bool in_src = a >= w->src && a < w->src + w->len;
	int fd = in_src ? w->src_fd : w->dst_fd;
	int side = in_src ? MCP_SIDE_SRC : MCP_SIDE_DST;
	struct statvfs vfs;
	int err;

	if (shrank(fd, w->off + w->len))
		fault_set(f, side, MCP_ECHANGED, NULL, w->off);
	else if (!in_src && (err = probe_dest(w, a)) != 0)
		fault_set(f, side, err, NULL, w->off);
	else if (!in_src && fstatvfs(fd, &vfs) == 0 && vfs.f_bavail == 0)
		fault_set(f, side, ENOSPC, NULL, w->off);
	else
		fault_set(f, side, EIO, NULL, w->off);
}

/*
 * Run fn(w, arg) over the mapped window, turning a SIGBUS into a fault.
 * Nothing local changes between sigsetjmp and the jump, so nothing is
 * clobbered.  Returns fn's result, or -1 with the fault recorded.
 */
int window_guard(struct mcp_window *w,
		 int (*fn)(struct mcp_window *w, void *arg), void *arg,
		 struct mcp_fault *f)
{
	int rc;

	if (sigsetjmp(bus_env, 1) != 0) {
		classify_sigbus(w, f);
		return -1;
	}
	bus_armed = 1;
	rc = fn(w, arg);
	bus_armed = 0;
	return rc;
}

/*
 * The next data segment of one side's file in [pos, end of window w), in
 * *d, or an empty segment at the end of the window when the rest is a
 * hole.  w need not be mapped.  Returns 0, or -1 with the fault recorded
 * at the start of the window (a file that shrank, an lseek failure).
 */
int window_next_data(const struct mcp_window *w, int side, uint64_t pos,
		     uint64_t page, struct mcp_range *d, struct mcp_fault *f)
{
	int fd = side == MCP_SIDE_SRC ? w->src_fd : w->dst_fd;
	uint64_t end = w->off + w->len;

	switch (sparse_next_data(fd, pos, end, page, d)) {
	case MCP_SPARSE_DATA:
		return 0;
	case MCP_SPARSE_HOLE:
		d->offset = end;
		d->length = 0;
		return 0;
	case MCP_SPARSE_SHRANK:
		fault_set(f, side, MCP_ECHANGED, NULL, w->off);
		return -1;
	default:
		fault_set(f, side, errno, "lseek", w->off);
		return -1;
	}
}

/*
 * The walk that copy and verify share, from a chunk down to the bytes.
 */

/* Run fn over each window of the chunk, in order, each at most `window`
 * bytes.  Returns 0 after the last, or the first nonzero fn returned,
 * which ends the walk. */
int window_each(const struct mcp_chunk *chunk, uint64_t window,
		int (*fn)(void *arg, uint64_t off, uint64_t len), void *arg)
{
	uint64_t done = 0;

	while (done < chunk->length) {
		uint64_t len = chunk->length - done;
		int rc;

		if (len > window)
			len = window;
		rc = fn(arg, chunk->offset + done, len);
		if (rc != 0)
			return rc;
		done += len;
	}
	return 0;
}

/* The next segment of walk->data's kind in [pos, end of w): the rest
 * of the window, SOURCE's next data, or the first of either file's next
 * data.  An empty segment at the window's end means only holes remain.
 * Returns 0, or -1 with the fault recorded. */
static int next_segment(const struct window_walk *walk,
			const struct mcp_window *w, uint64_t pos,
			struct mcp_range *seg)
{
	struct mcp_range d;

	if (walk->data == WINDOW_ALL) {
		seg->offset = pos;
		seg->length = w->off + w->len - pos;
		return 0;
	}
	if (window_next_data(w, MCP_SIDE_SRC, pos, walk->page, seg,
			     walk->fault) != 0)
		return -1;
	if (walk->data == WINDOW_SRC_DATA)
		return 0;
	if (window_next_data(w, MCP_SIDE_DST, pos, walk->page, &d,
			     walk->fault) != 0)
		return -1;
	if (d.offset < seg->offset)
		*seg = d;
	return 0;
}

/*
 * Walk the window [off, off+len) as walk->data says: walk->hole (may be
 * NULL) for each hole before a segment or at the end, walk->segment for
 * each segment.  Returns 0, -1 with the fault recorded, or the first
 * nonzero walk->segment returned, which ends the walk.
 */
int window_walk(const struct window_walk *walk, uint64_t off, uint64_t len)
{
	struct mcp_window w = { walk->src_fd, walk->dst_fd, off, len, NULL,
				NULL };
	uint64_t pos = off, end = off + len;
	struct mcp_range seg;
	int rc;

	while (pos < end) {
		if (next_segment(walk, &w, pos, &seg) != 0)
			return -1;
		if (seg.offset > pos && walk->hole)
			walk->hole(walk->arg, seg.offset - pos);
		if (seg.length == 0)
			break; /* holes to the end */
		rc = walk->segment(walk->arg, seg.offset, seg.length);
		if (rc != 0)
			return rc;
		pos = seg.offset + seg.length;
	}
	return 0;
}

/*
 * Map [off, off+len) of both files (DEST with dst_prot) and run fn over
 * it under the SIGBUS guard, then unmap.  Where the mapping fails for
 * want of address space the range is halved (window_split) and each
 * half done in turn.  Returns 0, -1 with the fault recorded, or the
 * nonzero fn returned, which ends the range there.
 */
int window_apply(const struct window_walk *walk, uint64_t off, uint64_t len,
		 int dst_prot, int (*fn)(struct mcp_window *w, void *arg),
		 void *arg)
{
	struct mcp_window w = { walk->src_fd, walk->dst_fd, off, len, NULL,
				NULL };
	uint64_t half;
	int rc;

	if (window_map(&w, dst_prot, walk->fault) != 0) {
		if (!window_split(&w, walk->page, walk->fault, &half))
			return -1;
		rc = window_apply(walk, off, half, dst_prot, fn, arg);
		return rc != 0 ? rc
			       : window_apply(walk, off + half, len - half,
					      dst_prot, fn, arg);
	}
	rc = window_guard(&w, fn, arg, walk->fault);
	/* An unmap failure counts unless a fault came first. */
	if (window_unmap(&w, rc < 0 ? rc : 0, walk->fault) != 0)
		return -1;
	return rc;
}
