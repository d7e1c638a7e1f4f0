/*
 * atomic.c - the temporary file of --atomic.  It lives in DEST's own
 * directory, so that renameat replaces DEST in one step.  Where the file
 * system allows, it is an unnamed O_TMPFILE that has no name at all until
 * the copy is complete (nothing to remove even after SIGKILL); otherwise
 * it is ".NAME.mcp-XXXXXX", created with O_EXCL.  Functions that return
 * -1 have printed their error.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "msg.h"
#include "quote.h"

/* How many random names to try before giving up on EEXIST. */
#define NAME_TRIES 100

static const char letters[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/*
 * Write ".NAME.mcp-XXXXXX" into buf[size], the X's drawn from `bits`.
 * NAME is cut short when the whole would exceed NAME_MAX or buf.
 * Returns the length, or -1 when not even the suffix fits.  Pure.
 */
int atomic_temp_name(char *buf, size_t size, const char *name,
		     uint64_t bits)
{
	size_t fixed = 1 + strlen(MCP_ATOMIC_MARK) + MCP_ATOMIC_RANDOM;
	size_t len = strlen(name), room, at;

	if (size == 0)
		return -1;
	room = size - 1 < NAME_MAX ? size - 1 : NAME_MAX;
	if (room < fixed)
		return -1;
	if (len > room - fixed)
		len = room - fixed;
	buf[0] = '.';
	memcpy(buf + 1, name, len);
	at = 1 + len;
	memcpy(buf + at, MCP_ATOMIC_MARK, strlen(MCP_ATOMIC_MARK));
	at += strlen(MCP_ATOMIC_MARK);
	for (int i = 0; i < MCP_ATOMIC_RANDOM; i++) {
		buf[at++] = letters[bits % (sizeof letters - 1)];
		bits /= sizeof letters - 1;
	}
	buf[at] = '\0';
	return (int)at;
}

/* Bits for a temporary name.  O_EXCL makes any name safe, so without
 * getrandom the clock and the pid do. */
uint64_t atomic_random_bits(void)
{
	struct timespec ts;
	uint64_t r;

	if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
		return r;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		ts.tv_sec = ts.tv_nsec = 0;
	return ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
	       ((uint64_t)getpid() << 40);
}

/* Put a fresh temporary name in a->tmp and call make(a, fd), until it
 * does not fail with EEXIST.  Returns make's result; -1 with errno. */
static int with_new_name(struct mcp_atomic *a, int fd,
			 int (*make)(struct mcp_atomic *, int))
{
	int rc = -1;

	for (int i = 0; i < NAME_TRIES; i++) {
		if (atomic_temp_name(a->tmp, sizeof a->tmp, a->name,
				     atomic_random_bits()) < 0) {
			errno = ENAMETOOLONG;
			break;
		}
		rc = make(a, fd);
		if (rc >= 0 || errno != EEXIST)
			break;
	}
	if (rc < 0)
		a->tmp[0] = '\0';
	return rc;
}

static int create_named(struct mcp_atomic *a, int unused)
{
	(void)unused;
	return openat(a->dir_fd, a->tmp,
		      O_RDWR | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC,
		      S_IRUSR | S_IWUSR);
}

/* An unnamed file in the directory, if the file system has O_TMPFILE
 * and /proc lets us give it a name later; else -1 (nothing printed: the
 * caller falls back to a named file, which reports any real error). */
static int open_unnamed(struct mcp_atomic *a)
{
	char proc[64];
	struct stat st, pst;
	int fd = openat(a->dir_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC,
			S_IRUSR | S_IWUSR);

	if (fd < 0)
		return -1;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	if (fstat(fd, &st) == 0 && stat(proc, &pst) == 0 &&
	    st.st_dev == pst.st_dev && st.st_ino == pst.st_ino)
		return fd;
	close(fd);
	return -1;
}

/* Split `path` into a->dir_fd and a->name.  Returns 0 or -1 (printed). */
static int open_dir(struct mcp_atomic *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir;

	if (!*base) { /* "" or "dir/": no file name to create */
		msg_error(a->dst, "cannot create", *path ? EISDIR : ENOENT);
		return -1;
	}
	dir = slash ? strndup(path, (size_t)(slash - path) + 1) : strdup(".");
	a->name = strdup(base);
	if (!dir || !a->name) {
		msg_error(a->dst, NULL, errno);
		free(dir);
		return -1;
	}
	a->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* A drop box (mode 0733): writable and searchable, not readable.
	 * O_PATH serves for the *at calls; only fsync needs more. */
	if (a->dir_fd < 0 && errno == EACCES)
		a->dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (a->dir_fd < 0) /* worded as when DEST itself is created */
		msg_error(a->dst, "cannot create", errno);
	free(dir);
	return a->dir_fd < 0 ? -1 : 0;
}

/* The file DEST stands for: the target of a symbolic link, which is
 * replaced while the link stays a link.  NULL after printing. */
static char *final_path(const char *dst)
{
	struct stat st;
	char *path;

	if (lstat(dst, &st) == 0 && S_ISLNK(st.st_mode))
		path = realpath(dst, NULL);
	else
		path = strdup(dst);
	if (!path)
		msg_error(dst, "cannot resolve", errno);
	return path;
}

/*
 * A directory opened O_PATH cannot be fsync'd (EBADF).  Keep a second
 * descriptor of the temporary file `fd` then, which outlives its close
 * before the rename: syncfs through it syncs the whole file system, the
 * directory with it.  Returns 0, or -1 after printing.
 */
static int keep_sync_fd(struct mcp_atomic *a, int fd)
{
	int flags = fcntl(a->dir_fd, F_GETFL);

	if (flags < 0 || (flags & O_PATH) == 0)
		return 0;
	a->sync_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (a->sync_fd < 0) {
		msg_error(a->dst, "cannot create a temporary file", errno);
		return -1;
	}
	return 0;
}

/* Start with nothing open, no name. */
static void blank(struct mcp_atomic *a, const char *dst)
{
	a->dst = dst;
	a->dir_fd = -1;
	a->sync_fd = -1;
	a->name = NULL;
	a->tmp[0] = '\0';
	a->extra[0] = '\0';
}

/*
 * Create the temporary file for DEST, owner-only (0600) until finished;
 * unnamed if allowed and possible.  Returns its descriptor, open for
 * reading and writing, or -1 after printing (nothing is left behind).
 */
int atomic_open(struct mcp_atomic *a, const char *dst, bool unnamed)
{
	char *path = final_path(dst);
	int fd = -1;

	blank(a, dst);
	if (path && open_dir(a, path) == 0) {
		fd = unnamed ? open_unnamed(a) : -1;
		if (fd < 0)
			fd = with_new_name(a, -1, create_named);
		if (fd < 0)
			msg_error(dst, "cannot create a temporary file", errno);
		if (fd >= 0 && keep_sync_fd(a, fd) != 0) {
			close(fd);
			fd = -1;
		}
	}
	free(path);
	if (fd < 0)
		atomic_abort(a);
	return fd;
}

/*
 * Open DEST's directory (its target's, through a symbolic link) for a
 * temporary file the caller makes itself, as --resume makes its partial
 * file; atomic_adopt then hands it over.  Returns 0, or -1 after
 * printing (atomic_abort releases what was opened).
 */
int atomic_begin(struct mcp_atomic *a, const char *dst)
{
	char *path = final_path(dst);
	int rc = -1;

	blank(a, dst);
	if (path)
		rc = open_dir(a, path);
	free(path);
	return rc;
}

/* Take fd, named `name` in a->dir_fd, as the temporary file: renamed
 * over DEST by atomic_replace, removed by atomic_abort unless kept.
 * Returns 0, or -1 after printing. */
int atomic_adopt(struct mcp_atomic *a, int fd, const char *name)
{
	if (keep_sync_fd(a, fd) != 0)
		return -1;
	snprintf(a->tmp, sizeof a->tmp, "%s", name);
	return 0;
}

/* Leave the temporary file where it is: atomic_abort forgets its name
 * instead of removing it (--resume keeps a partial copy). */
void atomic_keep(struct mcp_atomic *a)
{
	a->tmp[0] = '\0';
}

static int link_unnamed(struct mcp_atomic *a, int fd)
{
	char proc[64];

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, a->dir_fd, a->tmp, AT_SYMLINK_FOLLOW);
}

/* Give the complete file `fd` a temporary name, if it has none yet: a
 * name can be renamed over DEST, and the descriptor may then be closed.
 * (linkat cannot replace DEST itself.)  Returns 0 or -1 (printed). */
int atomic_name(struct mcp_atomic *a, int fd)
{
	if (a->tmp[0])
		return 0;
	if (with_new_name(a, fd, link_unnamed) != 0) {
		msg_error(a->dst, "cannot link the temporary file", errno);
		return -1;
	}
	return 0;
}

/* fsync the directory, or where it could only be opened O_PATH, syncfs
 * through the file (see keep_sync_fd).  Returns 0, or -1 with errno. */
static int sync_dir(const struct mcp_atomic *a)
{
	if (a->sync_fd >= 0)
		return syncfs(a->sync_fd);
	return fsync(a->dir_fd) != 0 && errno != EINVAL ? -1 : 0;
}

/*
 * Put the named, closed temporary file in DEST's place: renameat, or
 * with no_replace a link that fails if DEST has appeared meanwhile.  Then
 * fsync the directory unless !sync.  Returns 0 or -1 (printed); once
 * DEST is replaced, atomic_abort removes nothing.
 */
int atomic_replace(struct mcp_atomic *a, bool no_replace, bool sync)
{
	if (no_replace) {
		if (linkat(a->dir_fd, a->tmp, a->dir_fd, a->name, 0) != 0) {
			msg_error(a->dst, "cannot create", errno);
			return -1;
		}
	} else if (renameat(a->dir_fd, a->tmp, a->dir_fd, a->name) != 0) {
		msg_error(a->dst, "cannot rename into place", errno);
		return -1;
	}
	if (no_replace && unlinkat(a->dir_fd, a->tmp, 0) != 0) {
		msg_errorf("%s: cannot remove the temporary file %s: %s",
			   quote_bare(a->dst), quote(a->tmp), strerror(errno));
		a->tmp[0] = '\0'; /* now a second link to DEST: not to retry */
		return -1;
	}
	a->tmp[0] = '\0';
	/* Before the directory is synced, so that one sync covers both. */
	if (a->extra[0] && unlinkat(a->dir_fd, a->extra, 0) != 0 &&
	    errno != ENOENT)
		msg_warnf("%s: cannot remove '%s': %s", a->dst, a->extra,
			  strerror(errno));
	a->extra[0] = '\0';
	if (sync && sync_dir(a) != 0) {
		msg_error(a->dst, "cannot sync directory", errno);
		return -1;
	}
	return 0;
}

/* Remove the temporary file if it still has a name (the copy failed or
 * was interrupted) and release the rest.  An unnamed one vanishes when
 * its descriptor is closed.  DEST itself is never touched. */
void atomic_abort(struct mcp_atomic *a)
{
	if (a->tmp[0] && unlinkat(a->dir_fd, a->tmp, 0) != 0 &&
	    errno != ENOENT)
		msg_errorf("%s: cannot remove the temporary file %s: %s",
			   quote_bare(a->dst), quote(a->tmp), strerror(errno));
	a->tmp[0] = '\0';
	if (a->sync_fd >= 0)
		close(a->sync_fd);
	a->sync_fd = -1;
	if (a->dir_fd >= 0)
		close(a->dir_fd);
	a->dir_fd = -1;
	free(a->name);
	a->name = NULL;
}
