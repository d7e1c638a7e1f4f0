/*
 * probe.c - whether a file's file system lets it be mapped shared.  FUSE
 * in direct I/O mode (unless the server allows mmap) and 9p with
 * cache=none refuse MAP_SHARED with ENODEV, while read(2) and write(2)
 * work: such a file goes through the read/write path (stream.c).  Asking
 * right after the open, with a one-page mapping that is never touched,
 * decides before DEST is emptied or sized, instead of failing at the
 * first window with DEST already gone.  Part of the files module
 * (files.h); prints nothing.
 */
#include <config.h>

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "files.h"

/*
 * Map one page of fd, shared, with prot, and unmap it at once.  The file
 * system's mmap method decides whatever the file's size, so an empty
 * file answers too (its page is never touched, so no SIGBUS).  Returns
 * ENODEV when the file system refuses shared mappings, else 0: other
 * failures (ENOMEM under ulimit -v, which windows are split for) are
 * left to the mapped path, which knows what to do with them.
 */
int files_probe_map(int fd, int prot)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = page > 0 ? (size_t)page : 4096;
	void *p = mmap(NULL, len, prot, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return errno == ENODEV ? ENODEV : 0;
	/* Unmapping a whole mapping of our own fails only with a bug. */
	(void)munmap(p, len);
	return 0;
}
