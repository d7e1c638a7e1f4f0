/*
 * files.c - DEST as a file: where it goes, the same-file and overwrite
 * rules, opening (or creating, or a temporary file for --atomic, or a
 * device written in place), its final metadata, making it durable, and
 * removing it when a copy fails.  SOURCE is in source.c, DEST's size and
 * reservation in space.c.  Each function prints its own error ("mcp:
 * PATH: what: reason") before it returns -1, so callers only decide what
 * to do next.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "files.h"
#include "msg.h"
#include "preserve.h"
#include "quote.h"
#include "resume.h"
#include "signals.h"

/* Where `src` goes inside directory `dir`: dir/basename(src), ignoring
 * trailing slashes on either.  Standard input has no name to give it.
 * Returns NULL (printed) on failure. */
char *files_dest_in_dir(const char *dir, const char *src)
{
	size_t end = strlen(src), start, dlen = strlen(dir);
	char *path;

	if (strcmp(src, "-") == 0) {
		msg_errorf("-: cannot copy standard input into directory %s: "
			   "it has no name; give DEST as a file name", quote(dir));
		return NULL;
	}
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

/* The same file: the same inode, or two nodes of one device. */
static bool same_file(const struct stat *a, const struct stat *b)
{
	if ((S_ISBLK(a->st_mode) && S_ISBLK(b->st_mode)) ||
	    (S_ISCHR(a->st_mode) && S_ISCHR(b->st_mode)))
		if (a->st_rdev == b->st_rdev)
			return true;
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* A DEST written in place rather than replaced. */
static bool is_through(mode_t mode)
{
	return S_ISFIFO(mode) || S_ISCHR(mode) || S_ISBLK(mode);
}

static int refuse_same(const struct mcp_files *f)
{
	msg_errorf("%s and %s are the same file", quote(f->src),
		   quote(f->dst));
	return -1;
}

/*
 * Whether the open descriptor fd (our stdout or stderr) is the file st,
 * where what we print would overwrite or follow the copied bytes.  Not
 * /dev/null or a terminal: nothing printed there is kept with the data.
 */
static bool is_output(int fd, const struct stat *st)
{
	struct stat out;

	if (fstat(fd, &out) != 0 || !same_file(&out, st))
		return false;
	if (S_ISCHR(out.st_mode) &&
	    (out.st_rdev == makedev(1, 3) || isatty(fd)))
		return false;
	return true;
}

/*
 * Before anything is created or written: refuse a DEST that is our
 * standard output (with --json, which writes there) or standard error
 * (where errors, warnings, -v, -P, --stats and SIGUSR1's line go), as in
 * `mcp --json SRC DEST >DEST`: the object would be written over the
 * start of the copy, or after its end into a pipe or a device.  The
 * shell has made such a DEST before mcp starts, so a DEST that does not
 * exist yet is neither.  Returns 0, or -1 after printing.
 */
int files_check_output(const char *dst, bool json)
{
	struct stat st;

	if (stat(dst, &st) != 0)
		return 0;
	if (json && is_output(STDOUT_FILENO, &st)) {
		msg_errorf("%s: is standard output, where --json writes; not "
			   "copying into it", quote_bare(dst));
		return -1;
	}
	if (is_output(STDERR_FILENO, &st)) {
		msg_errorf("%s: is standard error, where mcp writes; not "
			   "copying into it", quote_bare(dst));
		return -1;
	}
	return 0;
}

/* What kind of existing DEST check_existing found. */
enum existing {
	EXISTING_REFUSED = -1, /* printed: the source itself, a directory,
				  a socket; not to be written */
	EXISTING_REGULAR = 0,  /* a regular file, to empty and rewrite */
	EXISTING_THROUGH = 1,  /* a device or a FIFO, to write in place */
};

static enum existing check_existing(const struct mcp_files *f,
				    const struct stat *st)
{
	if (same_file(st, &f->src_st)) {
		refuse_same(f);
		return EXISTING_REFUSED;
	}
	if (S_ISDIR(st->st_mode)) {
		msg_error(f->dst, "cannot overwrite directory", EISDIR);
		return EXISTING_REFUSED;
	}
	if (is_through(st->st_mode))
		return EXISTING_THROUGH;
	if (!S_ISREG(st->st_mode)) {
		msg_errorf("%s: not a regular file, device or FIFO; refusing "
			   "to replace it", quote_bare(f->dst));
		return EXISTING_REFUSED;
	}
	return EXISTING_REGULAR;
}

/* The file we opened is not the kind stat saw a moment before. */
static int refuse_swapped(const struct mcp_files *f)
{
	msg_errorf("%s: replaced by another kind of file while being opened",
		   quote_bare(f->dst));
	return -1;
}

/* Open DEST into f->dst_fd, again after EINTR unless a terminating
 * signal came.  Returns 0, or -1 with errno set; prints nothing. */
static int open_dest(struct mcp_files *f, int flags)
{
	do
		f->dst_fd = open(f->dst, flags);
	while (f->dst_fd < 0 && errno == EINTR && !signals_caught());
	return f->dst_fd < 0 ? -1 : 0;
}

/* The checks of open_checked (below) once DEST is open.  Returns 0 (*st
 * filled), or -1 after printing. */
static int check_opened(struct mcp_files *f, enum existing want,
			struct stat *st)
{
	enum existing kind;

	if (fstat(f->dst_fd, st) != 0) {
		msg_error(f->dst, "cannot stat", errno);
		return -1;
	}
	kind = check_existing(f, st);
	if (kind == EXISTING_REFUSED)
		return -1;
	return kind == want ? 0 : refuse_swapped(f);
}

/*
 * Open the existing DEST with `flags` and check that what was opened is
 * still the kind of file stat saw (check_existing's `want`), since the
 * path may have changed meanwhile.
 * A terminating signal ends an open that waits (a FIFO's reader).
 * Returns 0 (*st filled), or -1 after printing (nothing for a signal).
 */
static int open_checked(struct mcp_files *f, int flags, enum existing want,
			struct stat *st)
{
	if (open_dest(f, flags) != 0) {
		if (errno != EINTR)
			msg_error(f->dst, "cannot open", errno);
		return -1;
	}
	return check_opened(f, want, st);
}

/* Whether the regular DEST just opened can be mapped for writing; if
 * its file system refuses, the copy goes through read/write.  Asked only
 * when SOURCE has a size, i.e. when the copy would map DEST at all. */
static void probe_dest(struct mcp_files *f)
{
	if (!f->src_stream)
		f->dst_map_err = files_probe_map(f->dst_fd,
						 PROT_READ | PROT_WRITE);
}

/* Create DEST, which must not exist, owner-only until finished.
 * Returns 0, or -1 with errno set; prints nothing. */
static int create_dest(struct mcp_files *f)
{
	f->dst_fd = open(f->dst, O_RDWR | O_CREAT | O_EXCL | O_NOCTTY |
			 O_CLOEXEC, S_IRUSR | S_IWUSR);
	if (f->dst_fd < 0)
		return -1;
	f->dst_new = true;
	probe_dest(f);
	return 0;
}

/*
 * -f, as cp -f: the existing DEST could not be opened (a file the user
 * may not write, in a directory the user may), so remove it and create
 * it anew.  DEST goes only because the user asked for this and only
 * once it could not be opened; a symbolic link is removed itself, not
 * what it points to.  Returns 0, or -1 after printing.
 */
static int recreate(struct mcp_files *f)
{
	if (unlink(f->dst) != 0) {
		msg_error(f->dst, "cannot remove", errno);
		return -1;
	}
	if (create_dest(f) != 0) {
		msg_error(f->dst, "cannot create", errno);
		return -1;
	}
	return 0;
}

/* Open an existing DEST and empty it, after checking the opened file
 * itself is not SOURCE (the path may have changed since stat); with
 * `force`, one that cannot be opened is replaced (recreate).  Whether
 * it can be mapped is known before it is emptied.  When ftruncate
 * fails, DEST still holds its old contents: it is not ours to remove, so
 * this is a failure like any before the copy starts. */
static int open_existing(struct mcp_files *f, bool force)
{
	struct stat st, lst;

	if (open_dest(f, O_RDWR | O_NOCTTY | O_CLOEXEC) != 0) {
		if (errno == EINTR)
			return -1;
		if (force)
			return recreate(f);
		msg_error(f->dst, "cannot open", errno);
		return -1;
	}
	if (check_opened(f, EXISTING_REGULAR, &st) != 0)
		return -1;
	f->dst_link = lstat(f->dst, &lst) == 0 && S_ISLNK(lst.st_mode);
	probe_dest(f);
	/* Dropping the old blocks first means mapped writes never read
	 * them back in from the disk. */
	if (ftruncate(f->dst_fd, 0) != 0) {
		msg_error(f->dst, "cannot truncate", errno);
		return -1;
	}
	return 0;
}

/* Returns -1 with errno set; prints nothing. */
static int set_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/*
 * Open an existing device or FIFO DEST (of type `mode`, as stat saw it)
 * to write into it as it is: no O_CREAT, no O_TRUNC, and it is never
 * emptied or removed.  A block device is opened O_EXCL, which Linux
 * refuses (EBUSY) while the device is mounted or otherwise claimed: an
 * image written over a live file system would wreck it.  Opening a FIFO
 * waits for a reader, as a shell redirection does; a terminating signal
 * ends the wait (EINTR; one landing between the last check and the open
 * itself is only noticed at the next signal or reader).  Our FIFO
 * descriptor is then made non-blocking, so that a write never waits
 * where stream.c cannot see a signal.  With readback (--verify; only a
 * block device gets here with it) it is opened for reading too.  Returns
 * 0, or -1 after printing (nothing printed for a signal).
 */
static int open_through(struct mcp_files *f, mode_t mode, bool readback)
{
	int flags = (readback ? O_RDWR : O_WRONLY) | O_NOCTTY | O_CLOEXEC |
		    (S_ISBLK(mode) ? O_EXCL : 0);
	struct stat st;

	f->dst_through = true;
	if (open_checked(f, flags, EXISTING_THROUGH, &st) != 0)
		return -1;
	if (S_ISFIFO(st.st_mode) && set_nonblock(f->dst_fd) != 0) {
		msg_error(f->dst, "cannot set non-blocking mode", errno);
		return -1;
	}
	return 0;
}

/* What an existing DEST is when --verify could not read it back, as
 * "a FIFO", or NULL: a FIFO's reads wait for another writer, and a
 * character device's give something else than what was written to it
 * (/dev/null, a terminal).  A regular file and a block device read back;
 * a DEST that does not exist yet will be a regular file. */
const char *files_unreadable_kind(const char *dst)
{
	struct stat st;

	if (stat(dst, &st) != 0)
		return NULL;
	if (S_ISFIFO(st.st_mode))
		return "a FIFO";
	if (S_ISCHR(st.st_mode))
		return "a character device";
	return NULL;
}

/* A symbolic link whose target does not exist. */
static bool is_dangling(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	       stat(path, &st) != 0;
}

static int refuse_dangling(const struct mcp_files *f)
{
	msg_errorf("%s: not writing through dangling symlink",
		   quote_bare(f->dst));
	return -1;
}

/* With --atomic: write into a temporary file beside DEST (beside its
 * target, when DEST is a symbolic link) instead of DEST itself. */
static int open_temp(struct mcp_files *f)
{
	if (f->dst_new && is_dangling(f->dst))
		return refuse_dangling(f);
	f->dst_fd = atomic_open(&f->tmp, f->dst, true);
	if (f->dst_fd < 0)
		return -1;
	f->atomic = true;
	probe_dest(f);
	return 0;
}

/* With --resume: write into the partial file beside DEST (beside its
 * target, when DEST is a symbolic link), continuing the copy its journal
 * records, or starting it over (resume.c). */
static int open_partial(struct mcp_files *f, const struct mcp_opts *o)
{
	if (f->dst_new && is_dangling(f->dst))
		return refuse_dangling(f);
	if (resume_open(f->resume, f, o) != 0)
		return -1;
	probe_dest(f);
	return 0;
}

/*
 * Open DEST for the copy: refuse the same file, skip an existing one with
 * no_clobber, create a new one (owner-only until finished), empty an
 * existing regular file, or open a device or FIFO to write through; with
 * atomic, a temporary file instead of creating or emptying.  Returns
 * FILES_DEST_OPEN to copy, FILES_DEST_KEPT to skip, FILES_DEST_FAILED
 * after printing (DEST untouched; no message when a signal interrupted
 * the open).
 */
enum files_dest files_open_dest(struct mcp_files *f, const char *dst,
				const struct mcp_opts *o)
{
	struct stat st;

	f->dst = dst;
	if (stat(dst, &st) == 0) {
		enum existing kind = check_existing(f, &st);

		if (kind == EXISTING_REFUSED)
			return FILES_DEST_FAILED;
		if (kind == EXISTING_REGULAR && files_same_data(f, dst, &st))
			return refuse_same(f);
		if (o->no_clobber)
			return FILES_DEST_KEPT;
		if (kind == EXISTING_THROUGH && (o->atomic || o->resume)) {
			/* nothing to rename over */
			msg_errorf("%s: not a regular file; refusing to "
				   "replace it", quote_bare(dst));
			return FILES_DEST_FAILED;
		}
		if (kind == EXISTING_THROUGH) /* written in place */
			return open_through(f, st.st_mode, o->verify);
		f->dst_st = st;
		if (o->resume)
			return open_partial(f, o);
		return o->atomic ? open_temp(f) : open_existing(f, o->force);
	}
	if (errno != ENOENT) {
		msg_error(dst, "cannot stat", errno);
		return FILES_DEST_FAILED;
	}
	f->dst_new = true;
	if (o->resume)
		return open_partial(f, o);
	if (o->atomic)
		return open_temp(f);
	if (create_dest(f) == 0)
		return FILES_DEST_OPEN;
	f->dst_new = false;
	if (errno == EEXIST && is_dangling(dst))
		return refuse_dangling(f);
	if (errno == EEXIST) /* it appeared since stat: treat as existing */
		return o->no_clobber ? FILES_DEST_KEPT
				     : open_existing(f, o->force);
	msg_error(dst, "cannot create", errno);
	return FILES_DEST_FAILED;
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
		if (!signals_caught()) /* else cut short by it: say nothing */
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

/*
 * fsync the directory holding `path`, so that a new name, or a removed
 * one, is durable too.  A directory the user may write and search but
 * not read (a drop box, mode 0733) cannot be opened to be synced, and a
 * descriptor opened O_PATH cannot be fsync'd; then syncfs through
 * `file_fd`, a descriptor of a file on the same file system (DEST's, or
 * -1 if closed), syncs the whole file system, the directory with it.
 * Returns 0, or -1 after printing.
 */
static int sync_parent(const char *path, int file_fd)
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
	if (fd < 0 && errno == EACCES && file_fd >= 0)
		rc = syncfs(file_fd);
	else if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL))
		rc = -1;
	if (rc != 0)
		msg_error(dir, "cannot sync directory", errno);
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* A new DEST gets SOURCE's permission bits less the umask, as with cp;
 * from standard input, 0666 less the umask, as a shell redirection. */
static int set_mode(struct mcp_files *f)
{
	mode_t mask = umask(0);
	mode_t mode = f->src_stdin ? 0666 : f->src_st.st_mode & 0777;

	umask(mask);
	if (fchmod(f->dst_fd, mode & ~mask) != 0) {
		msg_error(f->dst, "cannot set permissions", errno);
		return -1;
	}
	return 0;
}

/*
 * DEST's final mode, owner and times.  What --preserve names comes from
 * SOURCE: each attribute is tried even when another failed, and each
 * failure has its line, as with cp -p.  What it does not name is as
 * without it: a new DEST's mode comes from SOURCE and the umask (after
 * the owner, which may clear set-ID bits), and an existing DEST keeps its
 * own owner and mode, which a temporary file replacing it must copy.
 * Times come after the last write to the data (the workers have finished
 * and unmapped everything), and before the fsync that makes them
 * durable.  A device or FIFO written in place keeps its own metadata,
 * even with -p.  Returns 0, or -1 after printing.
 */
static int set_metadata(struct mcp_files *f, unsigned preserve)
{
	const struct stat *old = f->atomic && !f->dst_new ? &f->dst_st : NULL;
	const struct stat *owner, *mode;
	int rc;

	if (f->dst_through)
		return 0;
	owner = preserve & MCP_PRESERVE_OWNERSHIP ? &f->src_st : old;
	mode = preserve & MCP_PRESERVE_MODE ? &f->src_st : old;
	rc = preserve_attrs(f->dst_fd, f->dst, owner, mode);
	if (!mode && f->dst_new && set_mode(f) != 0)
		rc = -1;
	if (preserve & MCP_PRESERVE_TIMESTAMPS &&
	    preserve_times(f->dst_fd, f->dst, &f->src_st) != 0)
		rc = -1;
	return rc;
}

/* Put the complete temporary file in DEST's place.  It is named (if it
 * was unnamed) and closed first, so that a late write error reported by
 * close stops the rename.  A terminating signal that came during the
 * final fsync stops it too: the old DEST stays.  Returns 0, or -1 after
 * printing (nothing for a signal). */
static int replace_dest(struct mcp_files *f, const struct mcp_opts *o)
{
	int fd = f->dst_fd;

	if (signals_caught() || atomic_name(&f->tmp, fd) != 0)
		return -1;
	f->dst_fd = -1;
	if (close(fd) != 0) {
		msg_error(f->dst, "close", errno);
		return -1;
	}
	return atomic_replace(&f->tmp, o->no_clobber, o->sync);
}

/*
 * --no-sync: report a write-back that already failed, which close alone
 * can miss.  Each worker's _exit closes its copy of DEST's descriptor, and
 * on FUSE (and NFS) every close takes the mapping's error flag and clears
 * it, so the parent's close returns 0 over a corrupt DEST.  The error also
 * stays in the file's error sequence, which only a wait reports: waiting
 * for the pages already under write-back starts no new write-back, so the
 * copy still ends once the data is in the page cache.  Returns 0, or -1
 * after printing.
 */
static int check_writeback(const struct mcp_files *f, int fd)
{
#ifdef HAVE_SYNC_FILE_RANGE
	if (!f->dst_through &&
	    sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE) != 0) {
		msg_error(f->dst, "write-back", errno);
		return -1;
	}
#else
	(void)f;
	(void)fd;
#endif
	return 0;
}

/*
 * Finish a complete copy: final metadata, fsync of DEST unless !o->sync,
 * and a checked close; then, with --atomic, the rename over DEST.  The
 * directory is synced too when it has a new name.  An attribute that -p
 * could not preserve (DEST owned by another user, say) does not cost the
 * data, as with cp -p: DEST is still made durable and kept, and the copy
 * fails.  With --atomic it stops the rename instead: the old DEST stays.
 * Returns FILES_FINISHED; FILES_FINISH_PARTIAL when DEST is complete,
 * durable and closed but lacks an attribute (printed); or
 * FILES_FINISH_FAILED after printing (the caller then discards DEST or
 * the temporary file).
 */
enum files_finish files_finish(struct mcp_files *f, const struct mcp_opts *o)
{
	enum files_finish done = FILES_FINISHED;
	int fd = f->dst_fd;

	if (set_metadata(f, o->preserve) != 0) {
		if (!o->preserve || f->atomic)
			return FILES_FINISH_FAILED;
		done = FILES_FINISH_PARTIAL;
	}
	if (o->sync && fsync(fd) != 0 && !(f->dst_through && errno == EINVAL)) {
		msg_error(f->dst, "fsync", errno);
		return FILES_FINISH_FAILED;
	}
	if (!o->sync && check_writeback(f, fd) != 0)
		return FILES_FINISH_FAILED;
	if (f->atomic)
		return replace_dest(f, o);
	/* Before the close: sync_parent may need DEST's descriptor. */
	if (o->sync && f->dst_new && sync_parent(f->dst, fd) != 0)
		return FILES_FINISH_FAILED;
	f->dst_fd = -1;
	if (close(fd) != 0) {
		msg_error(f->dst, "close", errno);
		return FILES_FINISH_FAILED;
	}
	return done;
}

/*
 * Remove what a failed copy left.  Through a symbolic link we cannot
 * unlink the file itself, so it is emptied instead: never a full-size
 * file that looks finished.  With --atomic, only the temporary file goes;
 * a device or FIFO written in place was never ours to remove: it is only
 * closed.  With `sync`, the directory is synced after the unlink: until
 * then a crash can bring the name back, on a file sized in full whose
 * data never reached the disk, a file of zeros that looks finished.
 * (--no-sync makes no promise about a crash, for a finished copy either.)
 */
void files_discard(struct mcp_files *f, bool sync)
{
	int rc;

	if (f->atomic || f->dst_through) { /* nothing of DEST to remove */
		files_close(f);
		return;
	}
	rc = f->dst_fd >= 0 ? ftruncate(f->dst_fd, 0)
			    : f->dst_link ? truncate(f->dst, 0) : 0;
	if (rc != 0)
		msg_error(f->dst, "cannot truncate", errno);
	/* Through a link the emptied file stays: make its new size durable,
	 * or a crash could bring back the full size over unwritten data. */
	if (rc == 0 && sync && f->dst_link && f->dst_fd >= 0 &&
	    fsync(f->dst_fd) != 0)
		msg_error(f->dst, "fsync", errno);
	if (!f->dst_link) {
		if (unlink(f->dst) == 0) {
			if (sync)
				(void)sync_parent(f->dst, f->dst_fd);
		} else if (errno != ENOENT) {
			msg_error(f->dst, "cannot remove", errno);
		}
	}
	files_close(f);
}

void files_close(struct mcp_files *f)
{
	if (f->dst_fd >= 0)
		close(f->dst_fd);
	if (f->src_fd >= 0)
		close(f->src_fd);
	f->dst_fd = f->src_fd = -1;
	if (f->atomic)
		atomic_abort(&f->tmp);
	f->atomic = false;
}

/* Whether the copy goes through read/write (stream.c) rather than
 * mappings: SOURCE cannot be mapped, or DEST is written in place (a FIFO
 * cannot be mapped, and a device cannot be sized with ftruncate), or a
 * file system refuses to map either file. */
bool files_streamed(const struct mcp_files *f)
{
	return f->src_stream || f->dst_through || f->src_map_err ||
	       f->dst_map_err;
}
