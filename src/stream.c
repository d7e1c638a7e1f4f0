/*
 * stream.c - the read/write path, for what cannot be memory-mapped:
 * standard input, pipes and FIFOs, character devices, files of /proc and
 * /sys whose sizes are not their contents; and for a DEST that is a
 * device or a FIFO, written in place.  One process and one page-aligned
 * buffer: read(2) what comes, write(2) all of it, until end of file or
 * until the bytes SOURCE had when it was opened, when that is known.
 *
 * A FIFO, a terminal or a socket may keep a read or a write waiting
 * forever, and Ctrl-C must still stop the copy.  Before each read or
 * write of such a file the loop waits in poll(2), a tick at a time,
 * checking for a terminating signal in between: the handlers are
 * installed without SA_RESTART, so a signal ends the poll at once with
 * EINTR, and the tick catches one that lands just before poll is
 * entered.  Once poll says ready, the read does not block; the writes do
 * not either, because files.c opens a FIFO DEST non-blocking.
 *
 * The page cache (--cache) and the write-back of a durable copy follow
 * the mapped path's rules, a span at a time (span.c).
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "msg.h"
#include "signals.h"
#include "span.h"
#include "stream.h"

/* How long poll waits before looking at the signal flag again. */
#define POLL_TICK_MS 100

/* True for a file whose reads or writes may wait for another process
 * (or a person) indefinitely.  Regular files and block devices never do;
 * if fstat fails, poll costs nothing and keeps us safe. */
static bool may_block(int fd)
{
	struct stat st;

	return fstat(fd, &st) != 0 ||
	       !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode));
}

/* Wait until fd is ready for `events`.  Readiness includes POLLHUP and
 * POLLERR: the read or write that follows says what they mean.  Returns
 * 0, or -1 when a terminating signal arrived (nothing printed) or after
 * printing poll's error. */
static int wait_ready(int fd, short events, const char *path)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		int r;

		if (signals_caught())
			return -1;
		r = poll(&p, 1, POLL_TICK_MS);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR) {
			msg_error(path, "poll", errno);
			return -1;
		}
	}
}

/* Read up to len bytes of SOURCE, waiting first when it may block.
 * Returns the count, 0 at end of file, or -1 after printing (nothing
 * printed when a terminating signal stopped it). */
static ssize_t read_some(const struct mcp_stream *s, bool wait, char *buf,
			 size_t len)
{
	for (;;) {
		ssize_t n;

		if (signals_caught() ||
		    (wait && wait_ready(s->src_fd, POLLIN, s->src) != 0))
			return -1;
		n = read(s->src_fd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EAGAIN)
			wait = true; /* non-blocking after all: poll first */
		else if (errno != EINTR) {
			msg_error(s->src, "read", errno);
			return -1;
		}
	}
}

/* A failed write, in the words the mapped path uses for a full disk. */
static void write_error(const struct mcp_stream *s, int err)
{
	if (err == ENOSPC || err == EDQUOT || err == EFBIG)
		msg_error(s->dst, NULL, err);
	else
		msg_error(s->dst, "write", err);
}

/* Write all len bytes to DEST, through short writes, counting each in
 * s->bytes.  Returns 0, or -1 after printing (nothing printed when a
 * terminating signal stopped it). */
static int write_all(struct mcp_stream *s, bool wait, const char *buf,
		     size_t len)
{
	while (len > 0) {
		ssize_t n;

		if (signals_caught() ||
		    (wait && wait_ready(s->dst_fd, POLLOUT, s->dst) != 0))
			return -1;
		n = write(s->dst_fd, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			s->bytes += (uint64_t)n;
			if (s->count)
				s->count(s->bytes);
		} else if (n < 0 && errno == EAGAIN) {
			wait = true; /* non-blocking after all: poll first */
		} else if (n == 0 || errno != EINTR) {
			/* 0 for a non-empty write: a device with no room. */
			write_error(s, n == 0 ? ENOSPC : errno);
			return -1;
		}
	}
	return 0;
}

/* A failed write-back of DEST, from span.c. */
static int writeback_error(const struct mcp_stream *s)
{
	msg_error(s->dst, "sync_file_range", errno);
	return -1;
}

/* The copy loop.  Returns 0 or -1 as stream_copy does. */
static int pump(struct mcp_stream *s, char *buf)
{
	bool src_wait = may_block(s->src_fd), dst_wait = may_block(s->dst_fd);
	struct mcp_span sp;

	span_begin(&sp, s->src_fd, s->dst_fd, s->cache, s->sync);
	while (s->bytes < s->limit) {
		uint64_t left = s->limit - s->bytes;
		ssize_t n = read_some(s, src_wait, buf,
				      left < MCP_STREAM_BUF ? (size_t)left
							    : MCP_STREAM_BUF);

		if (n < 0)
			return -1;
		if (n == 0)
			break;
		if (s->digest)
			digest_add(s->digest, buf, (size_t)n);
		span_read(&sp, (uint64_t)n);
		if (write_all(s, dst_wait, buf, (size_t)n) != 0)
			return -1;
		if (span_written(&sp, (uint64_t)n) != 0)
			return writeback_error(s);
	}
	if (s->limit != MCP_STREAM_TO_EOF && s->bytes < s->limit) {
		msg_errorf("%s: file changed during copy", s->src);
		return -1;
	}
	return span_end(&sp) == 0 ? 0 : writeback_error(s);
}

/*
 * Copy SOURCE to DEST from their current offsets with read(2) and
 * write(2), until end of file or s->limit bytes.  A SOURCE that ends
 * before a known limit has shrunk: "file changed during copy".  Returns 0,
 * or -1 after printing; when a terminating signal stopped the copy it
 * returns -1 at once and prints nothing (signals_caught says which).
 */
int stream_copy(struct mcp_stream *s)
{
	long page = sysconf(_SC_PAGESIZE);
	void *buf;
	int err, rc;

	s->bytes = 0;
	/* Page-aligned, as O_DIRECT would need and the kernel copies best. */
	err = posix_memalign(&buf, page > 0 ? (size_t)page : 4096,
			     MCP_STREAM_BUF);
	if (err != 0) {
		msg_error(s->src, "cannot allocate the copy buffer", err);
		return -1;
	}
	rc = pump(s, buf);
	free(buf);
	return rc;
}
