/*
 * sparse.c - the holes of a file and the zeros in its data.  The file
 * system says where data is (lseek SEEK_DATA and SEEK_HOLE); segments are
 * rounded out to whole pages, the unit of a mapping, so a segment may
 * take in a few zeros of the hole beside it but never skips data.  A file
 * system without SEEK_DATA has no holes as far as mcp is concerned: the
 * whole range is data.  Prints nothing.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sparse.h"

static uint64_t round_down(uint64_t x, uint64_t page)
{
	return x / page * page;
}

/* The end of a segment: x rounded up to a page, but not past `end`.
 * Offsets come from off_t, so x + page cannot overflow. */
static uint64_t clip_up(uint64_t x, uint64_t page, uint64_t end)
{
	uint64_t up = (x + page - 1) / page * page;

	return up < end ? up : end;
}

/* lseek said ENXIO at `off`: no data from there to the end of the file.
 * That is a hole unless the file now ends before `end`. */
static int no_more_data(int fd, uint64_t end)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return MCP_SPARSE_ERROR;
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < end)
		return MCP_SPARSE_SHRANK;
	return MCP_SPARSE_HOLE;
}

/*
 * The first data segment of fd in [off, end), off a multiple of page,
 * rounded out to pages and clipped to end, in *data.  Returns an enum
 * mcp_sparse_next: MCP_SPARSE_ERROR leaves errno set.
 */
int sparse_next_data(int fd, uint64_t off, uint64_t end, uint64_t page,
		     struct mcp_range *data)
{
	off_t d, h;

	if (off >= end)
		return MCP_SPARSE_HOLE;
	d = lseek(fd, (off_t)off, SEEK_DATA);
	if (d < 0 && errno == ENXIO)
		return no_more_data(fd, end);
	if (d < 0 && errno != EINVAL)
		return MCP_SPARSE_ERROR;
	if (d < 0) { /* no SEEK_DATA here: all of it is data */
		data->offset = off;
		data->length = end - off;
		return MCP_SPARSE_DATA;
	}
	if ((uint64_t)d >= end)
		return MCP_SPARSE_HOLE;
	h = lseek(fd, d, SEEK_HOLE);
	if (h < 0)
		return errno == ENXIO ? no_more_data(fd, end)
				      : MCP_SPARSE_ERROR;
	data->offset = round_down((uint64_t)d, page);
	data->length = clip_up((uint64_t)h, page, end) - data->offset;
	return MCP_SPARSE_DATA;
}

/* True when the len bytes at p are all zero.  Comparing the block with
 * itself shifted by one byte lets memcmp do the work at its speed. */
bool sparse_is_zero(const void *p, size_t len)
{
	const unsigned char *c = p;

	return len == 0 || (c[0] == 0 && memcmp(c, c + 1, len - 1) == 0);
}

/* How many bytes at p, in whole pages (the last one may be short),
 * are pages of zeros (zero true) or pages with data (zero false). */
size_t sparse_run(const char *p, size_t len, size_t page, bool zero)
{
	size_t n = 0;

	while (n < len) {
		size_t step = len - n < page ? len - n : page;

		if (sparse_is_zero(p + n, step) != zero)
			break;
		n += step;
	}
	return n;
}
