/*
 * reread.c - --verify where the copy went through read/write (stream.c):
 * a SOURCE or DEST that could not be mapped, a block device DEST, a
 * pipe SOURCE.  One process reads DEST back from its start, a buffer at
 * a time, and compares it either with SOURCE read again (a regular file
 * or a block device, which read the same twice) or, for what can be read
 * only once, with the checksum stream.c took of the bytes as they
 * passed.  A DEST longer than the copy is a difference where the copy
 * ends, unless it is a block device, whose bytes past the copy were
 * never ours.  Nothing here prints: failures become faults, as in
 * verify.c, so the caller words them the same way.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reread.h"
#include "signals.h"
#include "stream.h"
#include "window.h"

/* Read up to len bytes at off, through short reads; fewer only at end
 * of file.  Returns the count, or -1 with errno set (EINTR once a
 * terminating signal came, for the caller to see signals_caught). */
static ssize_t read_at(int fd, char *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, (off_t)(off + got));

		if (n == 0)
			break;
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (errno != EINTR || signals_caught())
			return -1;
	}
	return (ssize_t)got;
}

/* The first index below len where a and b differ, or len. */
static size_t first_difference(const char *a, const char *b, size_t len)
{
	size_t i = 0;

	if (memcmp(a, b, len) == 0)
		return len;
	while (a[i] == b[i])
		i++;
	return i;
}

/* The size of a regular DEST, or UINT64_MAX for a device, whose end is
 * not the copy's.  Returns 0, or -1 with the fault recorded. */
static int dest_size(int dst_fd, uint64_t *size, struct mcp_fault *fault)
{
	struct stat st;

	if (fstat(dst_fd, &st) != 0) {
		fault_set(fault, MCP_SIDE_DST, errno, "fstat", 0);
		return -1;
	}
	*size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : UINT64_MAX;
	return 0;
}

/* One buffer's worth at off: returns 0 when equal, 1 with *diff, -1 with
 * the fault recorded or for a signal. */
static int compare_block(int src_fd, int dst_fd, char *s, char *d,
			 size_t len, uint64_t off, uint64_t *diff,
			 struct mcp_fault *fault)
{
	ssize_t ns = read_at(src_fd, s, len, off), nd;
	size_t at;

	if (ns < 0) {
		if (!signals_caught())
			fault_set(fault, MCP_SIDE_SRC, errno, "read", off);
		return -1;
	}
	if ((size_t)ns < len) { /* as verify.c: name the cause */
		fault_set(fault, MCP_SIDE_SRC, MCP_ECHANGED, NULL,
			     off + (uint64_t)ns);
		return -1;
	}
	nd = read_at(dst_fd, d, len, off);
	if (nd < 0) {
		if (!signals_caught())
			fault_set(fault, MCP_SIDE_DST, errno, "read", off);
		return -1;
	}
	at = first_difference(s, d, (size_t)nd);
	if (at == len)
		return 0;
	*diff = off + at; /* a byte that differs, or where DEST ends */
	return 1;
}

/*
 * Compare the first `size` bytes of SOURCE and DEST, read from offset 0.
 * Returns MCP_CMP_SAME when equal (and a regular DEST is no longer);
 * MCP_CMP_DIFFER with *diff, the first differing offset (where DEST
 * ends, when it is shorter); MCP_CMP_FAILED when a fault (recorded in *fault: a read error, or SOURCE shorter than
 * size, MCP_ECHANGED) or a terminating signal (signals_caught, *fault
 * untouched) stopped it.  Prints nothing.
 */
enum mcp_compare reread_compare(int src_fd, int dst_fd, uint64_t size,
				uint64_t *diff, struct mcp_fault *fault)
{
	char *s = malloc(MCP_STREAM_BUF), *d = malloc(MCP_STREAM_BUF);
	uint64_t off = 0, dst_size;
	int rc = dest_size(dst_fd, &dst_size, fault);

	if (rc == 0 && (!s || !d)) {
		fault_set(fault, MCP_SIDE_DST, ENOMEM, NULL, 0);
		rc = -1;
	}
	(void)posix_fadvise(dst_fd, 0, (off_t)size, POSIX_FADV_SEQUENTIAL);
	while (rc == 0 && off < size) {
		size_t len = size - off < MCP_STREAM_BUF ? (size_t)(size - off)
							 : MCP_STREAM_BUF;

		rc = signals_caught() ? -1
				      : compare_block(src_fd, dst_fd, s, d, len,
						      off, diff, fault);
		off += len;
	}
	if (rc == 0 && dst_size != UINT64_MAX && dst_size > size) {
		*diff = size;
		rc = 1;
	}
	free(s);
	free(d);
	return rc;
}

/* Checksum `size` bytes of DEST from offset 0 into d.  Returns 0, 1 when
 * DEST ends before them, -1 as reread_digest. */
static int digest_dest(int dst_fd, uint64_t size, struct mcp_digest *d,
		       char *buf, struct mcp_fault *fault)
{
	uint64_t off = 0;

	while (off < size) {
		size_t len = size - off < MCP_STREAM_BUF ? (size_t)(size - off)
							 : MCP_STREAM_BUF;
		ssize_t n = signals_caught() ? -1
					     : read_at(dst_fd, buf, len, off);

		if (n < 0) {
			if (!signals_caught())
				fault_set(fault, MCP_SIDE_DST, errno,
					     "read", off);
			return -1;
		}
		if ((size_t)n < len)
			return 1;
		digest_add(d, buf, len);
		off += len;
	}
	return 0;
}

/*
 * Whether the first `size` bytes of DEST, read from offset 0, have the
 * checksum `want` of what was read from SOURCE (and a regular DEST has
 * exactly that size).  Returns MCP_CMP_SAME when they match,
 * MCP_CMP_DIFFER when not, MCP_CMP_FAILED when a fault (recorded) or a
 * terminating signal (signals_caught) stopped it.  Prints nothing.
 */
enum mcp_compare reread_digest(int dst_fd, uint64_t size,
			       const struct mcp_digest_value *want,
			       struct mcp_fault *fault)
{
	struct mcp_digest *d = digest_new();
	char *buf = malloc(MCP_STREAM_BUF);
	uint64_t dst_size;
	int rc = dest_size(dst_fd, &dst_size, fault);

	if (rc == 0 && (!d || !buf)) {
		fault_set(fault, MCP_SIDE_DST, ENOMEM, NULL, 0);
		rc = -1;
	}
	if (rc == 0 && dst_size != UINT64_MAX && dst_size != size)
		rc = 1;
	(void)posix_fadvise(dst_fd, 0, (off_t)size, POSIX_FADV_SEQUENTIAL);
	if (rc == 0)
		rc = digest_dest(dst_fd, size, d, buf, fault);
	if (rc == 0) {
		struct mcp_digest_value got = digest_value(d);

		rc = digest_equal(&got, want) ? MCP_CMP_SAME : MCP_CMP_DIFFER;
	}
	digest_free(d);
	free(buf);
	return rc;
}
