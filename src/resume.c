/*
 * resume.c - --resume: copy into a partial file beside DEST, keep a
 * journal of the chunks that are durable in it, and on the next run
 * copy only the others.
 *
 * The partial file is ".NAME.mcp-partial" in DEST's directory (another
 * name when that one is taken by a file we cannot prove is ours), the
 * journal ".NAME.mcp-journal" (journal.c).  The partial file is ours
 * only when a valid journal names it by device and inode: any other
 * file of that name is never reused, emptied or removed.
 *
 * A run either continues (the journal is valid, names the partial file,
 * and SOURCE has the device, inode, size and mtime it records) or starts
 * over, saying why with -v.  Starting over writes a fresh journal that
 * marks nothing done before the partial file is emptied, so no journal
 * ever claims data that is not there.  While copying, the parent marks
 * each chunk the workers finished (written back), and about once a
 * second makes the partial file durable (fdatasync) and then writes the
 * journal: a chunk is recorded only once its data is on stable storage.
 * On success the partial file is renamed over DEST as --atomic does and
 * the journal removed; on a failure or a signal both stay when the
 * journal records any chunk, and mcp says how far the copy got.
 * Functions that return -1 have printed their error.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "msg.h"
#include "plan.h"
#include "progress.h"
#include "quote.h"
#include "resume.h"
#include "signals.h"

#define PARTIAL_SUFFIX ".mcp-partial"
#define JOURNAL_SUFFIX ".mcp-journal"
/* A NAME cut to fit is followed by '~' and 16 hex digits of its hash, so
 * that two long names alike in their first 200 bytes do not share. */
#define HASH_LEN 17

/*
 * The partial file's and the journal's names for DEST's file name
 * `name`: ".NAME.mcp-partial" and ".NAME.mcp-journal", with NAME cut
 * and hashed when the whole would exceed NAME_MAX or size - 1.  Returns
 * 0, or -1 when size leaves no room.  Pure.
 */
int resume_names(const char *name, char *partial, char *journal, size_t size)
{
	size_t room = size > NAME_MAX ? NAME_MAX : size - 1;
	/* +4: the journal's updates are linked as NAME.new (journal.c). */
	size_t fixed = 1 + strlen(PARTIAL_SUFFIX) + 4, len = strlen(name);
	char hash[HASH_LEN + 1] = "";

	if (size == 0 || room < fixed + HASH_LEN + 1)
		return -1;
	if (len > room - fixed) {
		snprintf(hash, sizeof hash, "~%016llx",
			 (unsigned long long)XXH3_64bits(name, len));
		len = room - fixed - HASH_LEN;
	}
	snprintf(partial, size, ".%.*s%s" PARTIAL_SUFFIX, (int)len, name,
		 hash);
	snprintf(journal, size, ".%.*s%s" JOURNAL_SUFFIX, (int)len, name,
		 hash);
	return 0;
}

/* The bytes of the chunks marked in bitmap `map` of journal j. */
static uint64_t marked_bytes(const struct mcp_journal *j,
			     const unsigned char *map)
{
	uint64_t sum = 0;

	for (uint64_t i = 0; i < j->n_chunks; i++)
		if ((map[i / 8] >> (i % 8)) & 1)
			sum += i + 1 < j->n_chunks
				       ? j->chunk_size
				       : j->src_size - i * j->chunk_size;
	return sum;
}

/* fsync DEST's directory, or where it could only be opened O_PATH (a
 * drop box), syncfs through the partial file.  Returns 0 or -1, errno. */
static int sync_dir(const struct mcp_resume *r)
{
	int flags = fcntl(r->dir_fd, F_GETFL);

	if (flags >= 0 && (flags & O_PATH))
		return syncfs(r->part_fd);
	return fsync(r->dir_fd) != 0 && errno != EINVAL ? -1 : 0;
}

/*
 * The partial file a valid journal names, if it is still that file (same
 * device and inode, a regular file): its descriptor, open for reading
 * and writing, or -1 when there is none to use (said with -v).  *cont is
 * set when the copy can continue in it: SOURCE unchanged and the file
 * of SOURCE's size.
 */
static int adopt_old(const struct mcp_files *f, const struct mcp_resume *r,
		     const struct mcp_journal *old, bool *cont)
{
	struct stat st;
	int fd = openat(r->dir_fd, old->part_name,
			O_RDWR | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);

	*cont = false;
	if (fd < 0) {
		msg_verbosef("%s: no partial file %s (%s); starting over",
			     quote(f->dst), quote(old->part_name),
			     strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_dev != old->part_dev ||
	    (uint64_t)st.st_ino != old->part_ino) {
		msg_verbosef("%s: %s is not the partial file the journal "
			     "names; leaving it alone and starting over",
			     quote(f->dst), quote(old->part_name));
		close(fd);
		return -1;
	}
	if (!journal_same_source(old, &f->src_st))
		msg_verbosef("%s: %s changed since the interrupted copy; "
			     "starting over", quote(f->dst), quote(f->src));
	else if ((uint64_t)st.st_size != old->src_size)
		msg_verbosef("%s: the partial file has %llu bytes, not "
			     "%llu; starting over", quote(f->dst),
			     (unsigned long long)st.st_size,
			     (unsigned long long)old->src_size);
	else
		*cont = true;
	return fd;
}

/* The chunk size of a fresh copy: as the plan would choose it (or -c
 * asks), raised where the journal could not hold so many chunks.
 * Returns it, or 0 after printing. */
static uint64_t fresh_chunk(const struct mcp_files *f,
			    const struct mcp_opts *o)
{
	struct mcp_plan p;
	uint64_t need;

	if (plan_make(f->size, sysconf(_SC_PAGESIZE), o->jobs, o->chunk_size,
		      &p) != 0) {
		msg_error(f->src, "cannot plan the copy", errno);
		return 0;
	}
	if (p.n_chunks <= MCP_JOURNAL_MAX_CHUNKS)
		return p.chunk_size;
	need = f->size / MCP_JOURNAL_MAX_CHUNKS + 1;
	need = (need + MCP_CHUNK_MIN_AUTO - 1) / MCP_CHUNK_MIN_AUTO *
	       MCP_CHUNK_MIN_AUTO;
	msg_verbosef("%s: chunks of %llu bytes, so that the journal "
		     "holds at most %llu", quote(f->dst),
		     (unsigned long long)need,
		     (unsigned long long)MCP_JOURNAL_MAX_CHUNKS);
	return need;
}

/* Create a new partial file: `want` if free, else a fresh name beside
 * it (the file of that name is not proven ours: it stays as it is).
 * Its name goes to name[NAME_MAX + 1].  Returns the descriptor, or -1
 * after printing. */
static int create_partial(const struct mcp_files *f,
			  const struct mcp_resume *r, const char *want,
			  char *name)
{
	int fd = -1;

	snprintf(name, NAME_MAX + 1, "%s", want);
	for (int i = 0; i < 100 && fd < 0; i++) {
		fd = openat(r->dir_fd, name,
			    O_RDWR | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC,
			    S_IRUSR | S_IWUSR);
		if (fd >= 0 || errno != EEXIST)
			break;
		if (i == 0)
			msg_verbosef("%s: %s exists and is not known to "
				     "be mcp's; leaving it alone",
				     quote(f->dst), quote(want));
		if (atomic_temp_name(name, NAME_MAX + 1, want + 1,
				     atomic_random_bits()) < 0) {
			errno = ENAMETOOLONG;
			break;
		}
	}
	if (fd < 0)
		msg_error(f->dst, "cannot create the partial file", errno);
	return fd;
}

/*
 * Start over in fd (a partial file of ours, or -1 to create one named
 * like `want`): a fresh journal that marks nothing is made durable
 * first, then the file is emptied, so no journal claims what the file no
 * longer holds.  Returns the descriptor, or -1 after printing (a file
 * created here is removed again).
 */
static int start_over(struct mcp_resume *r, const struct mcp_files *f,
		      const struct mcp_opts *o, int fd, const char *want,
		      const char *have)
{
	uint64_t chunk = fresh_chunk(f, o);
	char name[NAME_MAX + 1];
	bool created = fd < 0;
	struct stat st;

	snprintf(name, sizeof name, "%s", have ? have : want);
	if (chunk == 0 || (fd < 0 && (fd = create_partial(f, r, want,
							   name)) < 0))
		goto fail;
	if (fstat(fd, &st) != 0 ||
	    journal_init(&r->j, &f->src_st, chunk, &st, name) != 0) {
		msg_error(f->dst, "cannot start the journal", errno);
		goto fail;
	}
	if (journal_write(r->dir_fd, r->journal_name, &r->j) != 0) {
		msg_error(f->dst, "cannot write the journal", errno);
		goto fail;
	}
	r->part_fd = fd;
	if (ftruncate(fd, 0) != 0 || sync_dir(r) != 0) {
		msg_error(f->dst, "cannot start the partial file", errno);
		goto fail;
	}
	return fd;
fail:
	if (fd >= 0 && created)
		(void)unlinkat(r->dir_fd, name, 0);
	if (fd >= 0)
		close(fd);
	r->part_fd = -1;
	return -1;
}

/* Continue in the partial file of journal *old, which r takes over. */
static void carry_on(struct mcp_resume *r, const struct mcp_files *f,
		     const struct mcp_opts *o, struct mcp_journal *old)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t want = (o->chunk_size + page - 1) / page * page;
	size_t map = (size_t)(old->n_chunks + 7) / 8;

	r->j = *old;
	r->prior = r->j.done;
	r->j.done = calloc(map + 1, 1);
	if (!r->j.done) { /* then this run marks nothing new */
		r->j.done = r->prior;
		r->prior = NULL;
	} else {
		memcpy(r->j.done, r->prior, map);
	}
	r->prior_bytes = marked_bytes(&r->j, r->j.done);
	r->saved_bytes = r->prior_bytes;
	if (o->chunk_size && want != r->j.chunk_size)
		msg_verbosef("%s: -c ignored: continuing in the journal's "
			     "chunks of %llu bytes", quote(f->dst),
			     (unsigned long long)r->j.chunk_size);
	msg_verbosef("%s: resuming in %s: %llu of %llu bytes already "
		     "done", quote(f->dst), quote(r->j.part_name),
		     (unsigned long long)r->prior_bytes,
		     (unsigned long long)r->j.src_size);
}

/* The journal is not ours (FOREIGN) or cannot be read (ERROR): refuse,
 * touching nothing.  Returns -1 after printing. */
static int refuse_journal(const struct mcp_files *f,
			  const struct mcp_resume *r, int verdict)
{
	if (verdict == JOURNAL_FOREIGN)
		msg_errorf("%s: %s is not a journal of mcp; not touching "
			   "it", quote_bare(f->dst), quote(r->journal_name));
	else
		msg_error(f->dst, "cannot read the journal", errno);
	return -1;
}

/*
 * Open the partial file for DEST (f->dst, SOURCE open in f): continue the
 * interrupted copy its journal records, or start over.  On success
 * f->dst_fd is the partial file, made --atomic's temporary file (renamed
 * over DEST once complete), and the journal goes with DEST's
 * replacement.  Returns 0, or -1 after printing (nothing of ours left
 * behind that was not there before).
 */
int resume_open(struct mcp_resume *r, struct mcp_files *f,
		const struct mcp_opts *o)
{
	char want[NAME_MAX + 1];
	struct mcp_journal old;
	bool cont = false;
	int verdict, fd = -1;

	memset(r, 0, sizeof *r);
	r->part_fd = r->dir_fd = -1;
	/* main refused the rest; the journal's identity is a file's. */
	if (!S_ISREG(f->src_st.st_mode)) {
		msg_errorf("%s: --resume needs a regular file", f->src);
		return -1;
	}
	f->atomic = true; /* files_close releases f->tmp */
	if (atomic_begin(&f->tmp, f->dst) != 0)
		return -1;
	r->dir_fd = f->tmp.dir_fd;
	if (resume_names(f->tmp.name, want, r->journal_name,
			 sizeof want) != 0) {
		msg_error(f->dst, "cannot resume", ENAMETOOLONG);
		return -1;
	}
	journal_remove_stale(r->dir_fd, r->journal_name);
	verdict = journal_read(r->dir_fd, r->journal_name, &old);
	if (verdict == JOURNAL_FOREIGN || verdict == JOURNAL_ERROR)
		return refuse_journal(f, r, verdict);
	if (verdict == JOURNAL_OK)
		fd = adopt_old(f, r, &old, &cont);
	else if (verdict != JOURNAL_NONE)
		msg_verbosef("%s: %s: %s; starting over", quote(f->dst),
			     journal_verdict_text(verdict),
			     quote(r->journal_name));
	if (cont) {
		carry_on(r, f, o, &old);
		r->part_fd = fd;
	} else {
		fd = start_over(r, f, o, fd, want,
				fd >= 0 ? old.part_name : NULL);
		if (verdict == JOURNAL_OK)
			journal_free(&old);
		if (fd < 0)
			return -1;
	}
	f->dst_fd = fd;
	snprintf(f->tmp.extra, sizeof f->tmp.extra, "%s", r->journal_name);
	r->saved_ns = progress_now();
	r->fixed = o->journal_ms >= 0;
	r->interval_ns = o->journal_ms >= 0
				 ? (uint64_t)o->journal_ms * 1000000
				 : MCP_RESUME_SAVE_NS;
	return atomic_adopt(&f->tmp, fd, r->j.part_name);
}

/* The chunk size the copy must be planned with. */
uint64_t resume_chunk_size(const struct mcp_resume *r)
{
	return r->j.chunk_size;
}

/* The pool's question: was chunk `index` durable before this run?  Reads
 * only what existed before the workers started. */
bool resume_skip(void *arg, uint64_t index)
{
	const struct mcp_resume *r = arg;

	return r->prior && index < r->j.n_chunks &&
	       (r->prior[index / 8] >> (index % 8)) & 1;
}

/* Make what the journal will claim durable, then write it: fdatasync of
 * the partial file first, so that no chunk is recorded before its data
 * (and the metadata to find it) is on stable storage.  A failed
 * fdatasync fails the copy (resume_check): its error is reported once
 * only, and the final fsync would not see it again.  A journal that
 * cannot be written only costs resumability: a warning, once. */
static void save(struct mcp_resume *r)
{
	static bool warned;
	uint64_t t0 = progress_now();

	if (r->err || r->unsaved == 0)
		return;
	if (fdatasync(r->part_fd) != 0) {
		r->err = errno;
		r->err_what = "fdatasync";
		return;
	}
	r->sync_ns = progress_now() - t0;
	if (journal_write(r->dir_fd, r->journal_name, &r->j) != 0) {
		if (!warned)
			msg_warnf("%s: cannot update the journal: %s",
				  r->journal_name, strerror(errno));
		warned = true;
		return;
	}
	r->unsaved = 0;
	r->saved_ns = progress_now();
	r->saved_bytes = marked_bytes(&r->j, r->j.done);
}

/* How long after the last journal update the next is due: the
 * interval, or where making the partial file durable took long (a busy
 * disk: the fdatasync waits for its cache flush, which holds the
 * workers' writes up too), MCP_RESUME_SYNC_SHARE times as long, so that
 * the updates never take more than a small share of the copy; but never
 * more than MCP_RESUME_SAVE_MAX_NS. */
static uint64_t next_save(const struct mcp_resume *r)
{
	uint64_t scaled = r->sync_ns * MCP_RESUME_SYNC_SHARE;

	if (r->fixed) /* --journal-interval, for the tests */
		return r->interval_ns;
	if (scaled > MCP_RESUME_SAVE_MAX_NS)
		scaled = MCP_RESUME_SAVE_MAX_NS;
	return r->interval_ns > scaled ? r->interval_ns : scaled;
}

/* The pool's hook, in the parent: chunk `chunk` is written back.  Mark
 * it; write the journal when the last write is a second old. */
void resume_chunk_done(void *arg, const struct mcp_chunk *chunk)
{
	struct mcp_resume *r = arg;

	journal_mark(&r->j, chunk->index);
	r->unsaved++;
	/* After a terminating signal, only mark: resume_keep saves once,
	 * and the copy stops sooner. */
	if (!signals_caught() &&
	    progress_now() - r->saved_ns >= next_save(r))
		save(r);
}

/* After the copy: a failed fdatasync of the partial file fails it.
 * Returns 0, or -1 after printing. */
int resume_check(struct mcp_resume *r, const struct mcp_files *f)
{
	if (r->err == 0)
		return 0;
	msg_error(f->dst, r->err_what, r->err);
	return -1;
}

/* Whether stderr takes a line now: after a signal, a stderr nobody
 * reads must not hold up mcp's death (report.c's rule). */
static bool stderr_room(void)
{
	struct pollfd p = { .fd = STDERR_FILENO, .events = POLLOUT };

	return poll(&p, 1, 0) != 0;
}

/* n bytes as "61.2 GiB": one decimal in the largest binary unit that
 * keeps the number at 1 or more, "N bytes" below a KiB. */
void resume_size_text(char *buf, size_t size, uint64_t n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	unsigned u = 0;
	uint64_t tenths;

	if (n < 1024) {
		snprintf(buf, size, "%llu bytes", (unsigned long long)n);
		return;
	}
	while (u < 5 && n >> (10 * (u + 2)) != 0)
		u++;
	/* In whole arithmetic, rounded down: a copy one byte short never
	 * reads as all done. */
	tenths = (uint64_t)((unsigned __int128)n * 10 >> (10 * (u + 1)));
	snprintf(buf, size, "%llu.%llu %s", (unsigned long long)(tenths / 10),
		 (unsigned long long)(tenths % 10), units[u]);
}

/* Tell how far the kept partial copy got, and how to continue. */
static void say_kept(const struct mcp_resume *r, const struct mcp_files *f,
		     uint64_t done)
{
	char have[32], all[32];

	if (!stderr_room())
		return;
	resume_size_text(have, sizeof have, done);
	resume_size_text(all, sizeof all, r->j.src_size);
	msg_errorf("%s: copy interrupted, %s of %s done; run the same "
		   "command with --resume to continue", f->dst, have, all);
}

/*
 * The copy failed or was interrupted.  Record what finished, unless
 * `spoiled` (the partial file is known wrong, as when --verify found a
 * difference).  When the journal on the disk then records any chunk,
 * keep it and the partial file and say so; else remove the journal
 * (durably, before files_discard removes the partial file: a journal
 * must not outlive the data it speaks for).
 */
void resume_keep(struct mcp_resume *r, struct mcp_files *f, bool spoiled)
{
	if (r->part_fd < 0)
		return;
	f->tmp.extra[0] = '\0';
	if (!spoiled)
		save(r);
	if (!spoiled && r->saved_bytes > 0) {
		atomic_keep(&f->tmp);
		say_kept(r, f, r->saved_bytes);
		return;
	}
	if (unlinkat(r->dir_fd, r->journal_name, 0) != 0 && errno != ENOENT)
		msg_error(r->journal_name, "cannot remove", errno);
	else if (sync_dir(r) != 0)
		msg_error(f->dst, "cannot sync directory", errno);
}

void resume_free(struct mcp_resume *r)
{
	journal_free(&r->j);
	free(r->prior);
	r->prior = NULL;
}
