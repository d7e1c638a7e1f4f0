/*
 * journal.c - the journal of --resume, as bytes and as a file.
 *
 * The format (version 1), every number little-endian:
 *
 *   0   8  magic "mcpjrnl\n"
 *   8   4  version
 *  12   4  length of the partial file's name, 1..NAME_MAX
 *  16  72  SOURCE's device, inode, size, mtime seconds, mtime
 *          nanoseconds; the chunk size; the number of chunks; the
 *          partial file's device and inode (nine 64-bit numbers)
 *  88   n  the partial file's name
 *   .   b  one bit per chunk, chunk i in byte i/8, bit i%8: durable
 *   .   8  XXH3-64 of everything before it
 *
 * A journal is never changed in place: journal_write writes a whole new
 * one under a temporary name, makes it durable (fdatasync) and renames
 * it over the old, so a crash at any moment leaves the old journal or
 * the new one, and anything else (a torn file, bit rot, a hand edit)
 * fails the checksum.  The magic tells one of our journals, which may
 * be replaced, from an unrelated file of the same name, which may not.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "atomic.h"
#include "journal.h"

static const unsigned char magic[8] = "mcpjrnl\n";

#define HEAD_LEN 88
#define SUM_LEN 8
/* The biggest journal there can be. */
#define MAX_LEN (HEAD_LEN + NAME_MAX + MCP_JOURNAL_MAX_CHUNKS / 8 + SUM_LEN)

static size_t bitmap_len(uint64_t n_chunks)
{
	return (size_t)((n_chunks + 7) / 8);
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * A fresh journal, no chunk done, for a copy of SOURCE `src` in chunks
 * of chunk_size (> 0) into the partial file `part` named part_name.
 * Returns 0, or -1 with errno (EINVAL: too many chunks or a bad name;
 * ENOMEM).  Prints nothing.
 */
int journal_init(struct mcp_journal *j, const struct stat *src,
		 uint64_t chunk_size, const struct stat *part,
		 const char *part_name)
{
	uint64_t size = (uint64_t)src->st_size;
	size_t name_len = strlen(part_name);

	memset(j, 0, sizeof *j);
	if (chunk_size == 0 || name_len == 0 || name_len > NAME_MAX ||
	    (size + chunk_size - 1) / chunk_size > MCP_JOURNAL_MAX_CHUNKS) {
		errno = EINVAL;
		return -1;
	}
	j->src_dev = (uint64_t)src->st_dev;
	j->src_ino = (uint64_t)src->st_ino;
	j->src_size = size;
	j->src_mtime_sec = (int64_t)src->st_mtim.tv_sec;
	j->src_mtime_nsec = (uint64_t)src->st_mtim.tv_nsec;
	j->chunk_size = chunk_size;
	j->n_chunks = (size + chunk_size - 1) / chunk_size;
	j->part_dev = (uint64_t)part->st_dev;
	j->part_ino = (uint64_t)part->st_ino;
	memcpy(j->part_name, part_name, name_len + 1);
	j->done = calloc(bitmap_len(j->n_chunks) + 1, 1);
	return j->done ? 0 : -1;
}

void journal_free(struct mcp_journal *j)
{
	free(j->done);
	j->done = NULL;
}

/* The journal's length in bytes, as journal_encode writes it. */
size_t journal_size(const struct mcp_journal *j)
{
	return HEAD_LEN + strlen(j->part_name) + bitmap_len(j->n_chunks) +
	       SUM_LEN;
}

/* Write the journal into buf, journal_size(j) bytes. */
void journal_encode(const struct mcp_journal *j, unsigned char *buf)
{
	size_t name_len = strlen(j->part_name);
	size_t map = bitmap_len(j->n_chunks);
	const uint64_t nums[9] = {
		j->src_dev,	     j->src_ino,	  j->src_size,
		(uint64_t)j->src_mtime_sec, j->src_mtime_nsec, j->chunk_size,
		j->n_chunks,	     j->part_dev,	  j->part_ino,
	};
	unsigned char *p = buf;

	memcpy(p, magic, sizeof magic);
	put32(p + 8, MCP_JOURNAL_VERSION);
	put32(p + 12, (uint32_t)name_len);
	for (int i = 0; i < 9; i++)
		put64(p + 16 + 8 * i, nums[i]);
	p += HEAD_LEN;
	memcpy(p, j->part_name, name_len);
	p += name_len;
	memcpy(p, j->done, map);
	p += map;
	put64(p, XXH3_64bits(buf, (size_t)(p - buf)));
}

/* The fields of a header whose length and checksum were found right;
 * JOURNAL_OK or JOURNAL_DAMAGED for values no journal_init makes. */
static int check_fields(const struct mcp_journal *j, size_t name_len)
{
	const char *n = j->part_name;

	if (j->chunk_size == 0 ||
	    j->n_chunks != j->src_size / j->chunk_size +
				   (j->src_size % j->chunk_size != 0) ||
	    j->src_mtime_nsec >= 1000000000)
		return JOURNAL_DAMAGED;
	if (memchr(n, '/', name_len) || strlen(n) != name_len ||
	    strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
		return JOURNAL_DAMAGED;
	/* Bits past the last chunk are never set. */
	if (j->n_chunks % 8 &&
	    j->done[j->n_chunks / 8] >> (j->n_chunks % 8) != 0)
		return JOURNAL_DAMAGED;
	return JOURNAL_OK;
}

/* Read the numbers and the name of a journal of the right length. */
static void take_head(const unsigned char *buf, size_t name_len,
		      struct mcp_journal *j)
{
	uint64_t nums[9];

	for (int i = 0; i < 9; i++)
		nums[i] = get64(buf + 16 + 8 * i);
	j->src_dev = nums[0];
	j->src_ino = nums[1];
	j->src_size = nums[2];
	j->src_mtime_sec = (int64_t)nums[3];
	j->src_mtime_nsec = nums[4];
	j->chunk_size = nums[5];
	j->n_chunks = nums[6];
	j->part_dev = nums[7];
	j->part_ino = nums[8];
	memcpy(j->part_name, buf + HEAD_LEN, name_len);
	j->part_name[name_len] = '\0';
}

/* Whether len bytes could be a journal of n_chunks with a name of
 * name_len (checked before anything is allocated). */
static bool right_length(size_t len, uint32_t name_len, uint64_t n_chunks)
{
	if (name_len == 0 || name_len > NAME_MAX ||
	    n_chunks > MCP_JOURNAL_MAX_CHUNKS)
		return false;
	return len == HEAD_LEN + name_len + bitmap_len(n_chunks) + SUM_LEN;
}

/*
 * Decode len bytes into *j (whose done bitmap is then allocated, to be
 * released with journal_free).  Returns an enum journal_verdict: only
 * JOURNAL_OK fills *j; JOURNAL_ERROR (out of memory, errno set).
 */
int journal_decode(const unsigned char *buf, size_t len,
		   struct mcp_journal *j)
{
	size_t name_len, map;
	int verdict;

	memset(j, 0, sizeof *j);
	if (len == 0 ||
	    memcmp(buf, magic, len < sizeof magic ? len : sizeof magic) != 0)
		return JOURNAL_FOREIGN;
	if (len < 16)
		return JOURNAL_DAMAGED;
	if (get32(buf + 8) != MCP_JOURNAL_VERSION)
		return JOURNAL_VERSION;
	if (len < HEAD_LEN ||
	    !right_length(len, get32(buf + 12), get64(buf + 16 + 8 * 6)))
		return JOURNAL_DAMAGED;
	if (XXH3_64bits(buf, len - SUM_LEN) != get64(buf + len - SUM_LEN))
		return JOURNAL_DAMAGED;
	name_len = get32(buf + 12);
	take_head(buf, name_len, j);
	map = bitmap_len(j->n_chunks);
	j->done = calloc(map + 1, 1);
	if (!j->done)
		return JOURNAL_ERROR;
	memcpy(j->done, buf + HEAD_LEN + name_len, map);
	verdict = check_fields(j, name_len);
	if (verdict != JOURNAL_OK)
		journal_free(j);
	return verdict;
}

/* Why a journal was not used, for -v. */
const char *journal_verdict_text(int verdict)
{
	switch (verdict) {
	case JOURNAL_OK: return "usable";
	case JOURNAL_NONE: return "no journal";
	case JOURNAL_FOREIGN: return "not a journal of mcp";
	case JOURNAL_VERSION: return "journal of another version of mcp";
	case JOURNAL_DAMAGED: return "journal damaged";
	default: return "journal unreadable";
	}
}

/* Whether SOURCE `src` is still the file the journal was made for: the
 * same device, inode, size and modification time to the nanosecond. */
int journal_same_source(const struct mcp_journal *j, const struct stat *src)
{
	return j->src_dev == (uint64_t)src->st_dev &&
	       j->src_ino == (uint64_t)src->st_ino &&
	       j->src_size == (uint64_t)src->st_size &&
	       j->src_mtime_sec == (int64_t)src->st_mtim.tv_sec &&
	       j->src_mtime_nsec == (uint64_t)src->st_mtim.tv_nsec;
}

uint64_t journal_done_count(const struct mcp_journal *j)
{
	uint64_t n = 0;

	for (size_t i = 0; i < bitmap_len(j->n_chunks); i++)
		n += (uint64_t)__builtin_popcount(j->done[i]);
	return n;
}

void journal_mark(struct mcp_journal *j, uint64_t index)
{
	if (index < j->n_chunks)
		j->done[index / 8] |= (unsigned char)(1u << (index % 8));
}

int journal_is_done(const struct mcp_journal *j, uint64_t index)
{
	return index < j->n_chunks && (j->done[index / 8] >> (index % 8)) & 1;
}

/* Read up to `room` bytes of fd into buf; returns the count or -1. */
static ssize_t read_all(int fd, unsigned char *buf, size_t room)
{
	size_t got = 0;

	while (got < room) {
		ssize_t n = read(fd, buf + got, room - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * Read the journal `name` in the directory dir_fd into *j.  Returns an
 * enum journal_verdict; with JOURNAL_ERROR, errno says why.  A symbolic
 * link or anything but a regular file there is JOURNAL_FOREIGN.  Prints
 * nothing.
 */
int journal_read(int dir_fd, const char *name, struct mcp_journal *j)
{
	unsigned char *buf;
	struct stat st;
	ssize_t len;
	int fd, verdict;

	memset(j, 0, sizeof *j);
	fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
					  O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? JOURNAL_NONE
		       : errno == ELOOP ? JOURNAL_FOREIGN
					: JOURNAL_ERROR;
	/* st is read only once fstat has filled it. */
	verdict = fstat(fd, &st) != 0	  ? JOURNAL_ERROR
		  : !S_ISREG(st.st_mode) ? JOURNAL_FOREIGN
					 : JOURNAL_NONE;
	if (verdict != JOURNAL_NONE) {
		(void)close(fd); /* read-only: nothing to lose */
		return verdict;
	}
	buf = malloc(MAX_LEN + 1);
	len = buf ? read_all(fd, buf, MAX_LEN + 1) : -1;
	if (len < 0)
		verdict = JOURNAL_ERROR;
	else if (len > (ssize_t)MAX_LEN) /* bigger than any journal */
		verdict = memcmp(buf, magic, sizeof magic) ? JOURNAL_FOREIGN
							   : JOURNAL_DAMAGED;
	else
		verdict = journal_decode(buf, (size_t)len, j);
	free(buf);
	(void)close(fd); /* read-only: nothing to lose */
	return verdict;
}

/* Write all of buf to fd; returns 0 or -1 with errno. */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Create a new file for the journal under a fresh temporary name in
 * dir_fd, put in tmp.  Returns its descriptor or -1 with errno. */
static int create_temp(int dir_fd, const char *name, char *tmp, size_t size)
{
	for (int i = 0; i < 100; i++) {
		int fd;

		if (atomic_temp_name(tmp, size, name, atomic_random_bits()) <
		    0) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = openat(dir_fd, tmp,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC,
			    S_IRUSR | S_IWUSR);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* The fixed name a journal update is linked under before the rename:
 * "NAME.new" (resume.c leaves room for it). */
static void new_name(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s.new", name);
}

/* Whether the file `tmp` in dir_fd is an update of ours that a SIGKILL
 * left between its link and its rename: one of our journals (by its
 * magic; it was complete before it got a name). */
static bool is_stale_update(int dir_fd, const char *tmp)
{
	struct mcp_journal j;
	int v = journal_read(dir_fd, tmp, &j);

	if (v == JOURNAL_OK)
		journal_free(&j);
	return v == JOURNAL_OK || v == JOURNAL_DAMAGED ||
	       v == JOURNAL_VERSION;
}

/* Remove a journal update of ours that a SIGKILL left behind for the
 * journal `name`, if any.  Anything else of that name stays. */
void journal_remove_stale(int dir_fd, const char *name)
{
	char tmp[NAME_MAX + 8];

	new_name(tmp, sizeof tmp, name);
	if (is_stale_update(dir_fd, tmp))
		(void)unlinkat(dir_fd, tmp, 0);
}

/*
 * Write the journal into a new file with a name in tmp: an unnamed
 * O_TMPFILE, written and synced, then linked as "NAME.new", so that a
 * SIGKILL before the rename leaves at most that one complete file,
 * which the next update (or journal_remove_stale) removes; where the
 * file system has no O_TMPFILE, a file of a fresh random name.  Returns
 * the descriptor of a synced file, or -1 with errno.
 */
static int write_temp(int dir_fd, const char *name, const unsigned char *buf,
		      size_t len, char *tmp, size_t size)
{
	char proc[64];
	int fd = openat(dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC,
			S_IRUSR | S_IWUSR);
	int rc;

	if (fd < 0)
		fd = create_temp(dir_fd, name, tmp, size);
	else
		tmp[0] = '\0';
	if (fd < 0)
		return -1;
	if (write_all(fd, buf, len) != 0 || fdatasync(fd) != 0)
		goto fail;
	if (tmp[0])
		return fd;
	new_name(tmp, size, name);
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	rc = linkat(AT_FDCWD, proc, dir_fd, tmp, AT_SYMLINK_FOLLOW);
	if (rc != 0 && errno == EEXIST && is_stale_update(dir_fd, tmp) &&
	    unlinkat(dir_fd, tmp, 0) == 0)
		rc = linkat(AT_FDCWD, proc, dir_fd, tmp, AT_SYMLINK_FOLLOW);
	if (rc == 0)
		return fd;
	tmp[0] = '\0'; /* not ours to remove */
fail:
	rc = errno;
	if (tmp[0])
		(void)unlinkat(dir_fd, tmp, 0);
	close(fd);
	errno = rc;
	return -1;
}

/*
 * Replace the journal `name` in dir_fd by *j: written whole under a
 * temporary name, made durable, then renamed over the old one, so that
 * a crash leaves either.  The rename itself is not synced: until the
 * directory is, a crash may bring back the old journal, which only
 * claims less.  Returns 0, or -1 with errno (the temporary file is
 * gone).  Prints nothing.
 */
int journal_write(int dir_fd, const char *name, const struct mcp_journal *j)
{
	size_t len = journal_size(j);
	unsigned char *buf = malloc(len);
	char tmp[NAME_MAX + 8];
	int fd = -1, rc = -1, err;

	if (!buf)
		return -1;
	journal_encode(j, buf);
	fd = write_temp(dir_fd, name, buf, len, tmp, sizeof tmp);
	free(buf);
	if (fd < 0)
		return -1;
	rc = close(fd);
	if (rc == 0)
		rc = renameat(dir_fd, tmp, dir_fd, name);
	err = errno;
	if (rc != 0)
		(void)unlinkat(dir_fd, tmp, 0);
	errno = err;
	return rc;
}
