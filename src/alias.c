/*
 * alias.c - the same file behind two device and inode numbers.  Part of
 * the files module (files.h).
 *
 * overlayfs gives the files of its merged view its own st_dev, and a
 * file copied up keeps the inode number of the lower file it came from,
 * so merged/f matches upper/f, which holds its data, in neither number:
 * `mcp merged/f upper/f` emptied DEST, that is SOURCE, and copied zeros.
 * What can be compared is where the data is: overlayfs hands a mapping
 * to the real file, and a page of the page cache belongs to one inode
 * only, so two files whose first pages are one page frame are one file,
 * whatever their names and numbers (FUSE passthrough is another such
 * stack).  /proc/self/pagemap tells the frame to CAP_SYS_ADMIN only;
 * without it the frames read as 0 and such an alias is not recognised.
 * (On a DAX file system two reflinked files could share a frame too;
 * such a copy would be refused, loudly, never done wrong.)
 *
 * A file not yet copied up is its lower file: merged/g and lower/g are
 * one page cache.  Writing lower/g from merged/g would empty SOURCE.
 * Writing merged/g from lower/g would copy it up first and leave lower/g
 * whole, but it copies a file onto itself; both are refused, as the
 * same file now.  Once copied up, merged/g and lower/g are two files and
 * both copies go ahead.
 */
#include <config.h>

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "files.h"

#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_PFN ((1ULL << 55) - 1)

/* The page frame that holds byte 0 of the open file fd, or 0 when it
 * cannot be told.  MAP_POPULATE reads the page in without touching the
 * mapping, so a file cut short meanwhile cannot raise SIGBUS. */
static uint64_t first_frame(int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t entry = 0;
	void *map;
	int pm;

	if (page <= 0)
		return 0;
	map = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED | MAP_POPULATE, fd,
		   0);
	if (map == MAP_FAILED)
		return 0;
	pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pm >= 0) {
		off_t at =
		    (off_t)((uintptr_t)map / (uintptr_t)page * sizeof entry);

		if (pread(pm, &entry, sizeof entry, at) != sizeof entry)
			entry = 0;
		close(pm);
	}
	munmap(map, (size_t)page);
	return entry & PAGEMAP_PRESENT ? entry & PAGEMAP_PFN : 0;
}

/*
 * Whether the existing regular file dst (as stat saw it: `st`) holds
 * SOURCE's data under other numbers.  Only files of one size can be one
 * file; empty ones have no page to compare, and emptying an empty file
 * loses nothing.  dst is opened read-only: an overlay copies a file up
 * when it is opened for writing, which would change what we compare.
 * False when it cannot be told.
 */
bool files_same_data(const struct mcp_files *f, const char *dst,
		     const struct stat *st)
{
	struct stat dst_st;
	uint64_t frame;
	int fd;

	if (!S_ISREG(f->src_st.st_mode) || !S_ISREG(st->st_mode) ||
	    f->src_st.st_size != st->st_size || st->st_size == 0)
		return false;
	frame = first_frame(f->src_fd);
	if (frame == 0)
		return false;
	fd = open(dst, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &dst_st) != 0 || !S_ISREG(dst_st.st_mode) ||
	    first_frame(fd) != frame) {
		close(fd);
		return false;
	}
	close(fd);
	return true;
}
