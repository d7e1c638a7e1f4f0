/*
 * job.c - the life of one copy: open SOURCE and DEST, then the named
 * steps of the table `steps`: make DEST a clone of SOURCE where
 * --reflink allows (reflink.c), else size and reserve DEST and copy
 * (plan the chunks and run them with copy_files, or, for what cannot be
 * mapped, the read/write loop of stream.c); check SOURCE did not shrink,
 * verify DEST when asked, leave standard input's offset where reading
 * would have; then make DEST durable.  From the moment DEST is created
 * or emptied, every failure and every terminating signal removes it; with --atomic they remove the
 * temporary file instead, and DEST is left as it was; with --resume they
 * keep its partial file when its journal records chunks (resume.c).  The
 * one failure that keeps DEST is -p's, once the data is complete and
 * durable: an attribute that could not be preserved.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "copy.h"
#include "digest.h"
#include "files.h"
#include "job.h"
#include "msg.h"
#include "plan.h"
#include "quote.h"
#include "reflink.h"
#include "report.h"
#include "reread.h"
#include "resume.h"
#include "signals.h"
#include "stream.h"
#include "verify.h"
#include "workers.h"

/* After a complete mapped copy: drop what --cache says of the whole
 * files once more.  Each window was dropped as it went; this catches a
 * page-cache folio that straddled two workers' windows (a chunk size
 * not a multiple of 2 MiB), which neither could drop.  DEST's pages are
 * clean by now with sync; without, drop has the kernel write them back
 * and drop those it can. */
static void sweep(const struct mcp_opts *o, const struct mcp_files *f)
{
	if (o->cache == MCP_CACHE_DROP)
		cache_drop(f->src_fd, 0, 0);
	if (o->cache == MCP_CACHE_DROP ||
	    (o->cache == MCP_CACHE_AUTO && o->sync))
		cache_drop(f->dst_fd, 0, 0);
}

/* -v: the holes a copy left unwritten. */
static void say_holes(const struct mcp_files *f, uint64_t holes)
{
	if (holes > 0)
		msg_verbosef("%s: %llu bytes of holes left unwritten",
			     quote(f->dst), (unsigned long long)holes);
}

/* The mapped copy of the plan: copy_files (copy.c) with the job's
 * hooks, and what is printed and reported of it.  Returns 0, or -1
 * after printing (nothing is printed for a terminating signal). */
static int copy_mapped(const struct mcp_opts *o, const struct mcp_files *f,
		    const struct mcp_plan *plan,
		    const struct workers_hooks *hooks)
{
	struct mcp_copy_ctx ctx = {
		.src_fd = f->src_fd,
		.dst_fd = f->dst_fd,
		.plan = plan,
		.sync = o->sync,
		.sparse = f->sparse,
		.cache = o->cache,
		.sync_method = o->sync_method,
	};
	struct copy_outcome out;
	enum workers_result rc = copy_files(&ctx, hooks, &out);

	report_copied(out.bytes);
	report_workers(out.workers);
	if (rc == WORKERS_FAILED && !signals_caught())
		msg_fault(&out.fault, f->src, f->dst);
	if (rc == WORKERS_DONE)
		sweep(o, f);
	report_holes(out.holes);
	if (rc == WORKERS_DONE)
		say_holes(f, out.holes);
	return rc == WORKERS_DONE ? 0 : -1;
}

/* The chunk plan for f under the options.  Returns 0, or -1 after
 * printing. */
static int make_plan(const struct mcp_opts *o, const struct mcp_files *f,
		     struct mcp_plan *plan)
{
	/* --resume: the journal's chunks, whatever -c says now. */
	uint64_t chunk = f->resume ? resume_chunk_size(f->resume)
				   : o->chunk_size;

	if (plan_make(f->size, sysconf(_SC_PAGESIZE), o->jobs, chunk,
		      plan) != 0) {
		msg_error(f->src, "cannot plan the copy", errno);
		return -1;
	}
	return 0;
}

static int copy_bytes(const struct mcp_opts *o, const struct mcp_files *f,
		      const struct workers_hooks *hooks)
{
	struct mcp_plan plan;

	if (make_plan(o, f, &plan) != 0)
		return -1;
	report_plan(&plan);
	if (plan.n_chunks == 0) {
		msg_verbosef("%s -> %s: 0 bytes", quote(f->src), quote(f->dst));
		return 0;
	}
	msg_verbosef("%s -> %s: %llu bytes, %u worker%s, %llu-byte chunks",
		     quote(f->src), quote(f->dst), (unsigned long long)f->size,
		     plan.workers,
		     plan.workers == 1 ? "" : "s",
		     (unsigned long long)plan.chunk_size);
	return copy_mapped(o, f, &plan, hooks);
}

/* -v: a file system refused to map SOURCE, DEST or both, which were
 * meant to be mapped: say which, and why, since the copy is slower. */
static void say_unmapped(const struct mcp_files *f)
{
	const char *which = !f->dst_map_err   ? "SOURCE"
			    : !f->src_map_err ? "DEST"
					      : "SOURCE and DEST";
	int err = f->src_map_err ? f->src_map_err : f->dst_map_err;

	msg_verbosef("%s -> %s: cannot map %s (%s); copying %llu bytes "
		     "through read/write",
		     quote(f->src), quote(f->dst), which, strerror(err),
		     (unsigned long long)f->size);
}

/* What the read/write path leaves for --verify: the bytes it wrote and,
 * when SOURCE cannot be read twice, the checksum of what it read. */
struct passed {
	uint64_t bytes;
	struct mcp_digest *digest;
	bool differ; /* --verify found DEST unlike SOURCE */
	bool cloned; /* DEST is a clone: nothing to read back */
};

/* Copy through read(2) and write(2): to end of file when SOURCE's size
 * is unknown, else the size it had when opened.  Returns 0, or -1 after
 * printing (nothing is printed for a terminating signal). */
static int stream_bytes(const struct mcp_opts *o, const struct mcp_files *f,
			struct passed *p)
{
	struct mcp_stream s = {
		.src_fd = f->src_fd,
		.dst_fd = f->dst_fd,
		.src = f->src,
		.dst = f->dst,
		.limit = f->src_stream ? MCP_STREAM_TO_EOF : f->size,
		.count = report_count,
		.digest = p->digest,
		.cache = o->cache,
		.sync = o->sync,
	};
	int rc;

	if (f->src_stream)
		msg_verbosef("%s -> %s: read/write to end of file",
			     quote(f->src), quote(f->dst));
	else if (f->src_map_err || f->dst_map_err)
		say_unmapped(f);
	else
		msg_verbosef("%s -> %s: %llu bytes, read/write",
			     quote(f->src), quote(f->dst),
			     (unsigned long long)f->size);
	/* MCP_STREAM_TO_EOF and PROGRESS_UNKNOWN are both UINT64_MAX. */
	report_stream(s.limit);
	rc = stream_copy(&s);
	p->bytes = s.bytes;
	return rc;
}

/* Move the bytes: through mappings and workers where both files allow
 * it, else through read/write.  --verify of a SOURCE that cannot be read
 * again (a pipe) needs the checksum of the bytes as they pass.  Returns
 * 0 or -1 as those do. */
static int copy_data(const struct mcp_opts *o, const struct mcp_files *f,
		     struct passed *p, const struct workers_hooks *hooks)
{
	if (!files_streamed(f))
		return copy_bytes(o, f, hooks);
	if (o->verify && f->src_stream && !(p->digest = digest_new())) {
		msg_error(f->src, "cannot allocate the checksum", errno);
		return -1;
	}
	return stream_bytes(o, f, p);
}

/*
 * Compare DEST, read back, with SOURCE: by the workers over the copy's
 * plan when both are mapped; else read with read(2), against SOURCE read
 * again, or against the checksum of what was read from a SOURCE that
 * cannot be read twice.  Returns as verify_files (a planning failure is
 * MCP_CMP_FAILED, printed, with *fault untouched).
 */
static enum mcp_compare compare_dest(const struct mcp_opts *o, const struct mcp_files *f,
			const struct passed *p, uint64_t *diff,
			struct mcp_fault *fault)
{
	struct mcp_digest_value sum;
	struct mcp_plan plan;

	if (p->digest) {
		sum = digest_value(p->digest);
		return reread_digest(f->dst_fd, p->bytes, &sum, fault);
	}
	if (files_streamed(f))
		return reread_compare(f->src_fd, f->dst_fd, f->size, diff,
				      fault);
	if (make_plan(o, f, &plan) != 0)
		return MCP_CMP_FAILED;
	return verify_files(&plan, f->src_fd, f->dst_fd, o->cache, diff,
			    fault);
}

/* -v: what DEST was found to match. */
static void say_verified(const struct mcp_files *f, const struct passed *p)
{
	if (p->digest)
		msg_verbosef("%s: verified: %llu bytes match what was read "
			     "from %s",
			     quote(f->dst), (unsigned long long)p->bytes,
			     quote(f->src));
	else
		msg_verbosef("%s: verified: %llu bytes identical to %s",
			     quote(f->dst), (unsigned long long)f->size,
			     quote(f->src));
}

/*
 * --verify: DEST, written back and read again from the storage, must
 * hold SOURCE's bytes.  Every copy that gets here can be verified: a
 * DEST that cannot be read back (a FIFO, a character device) was
 * refused as a usage error before anything was written.  Returns 0, or
 * -1 after printing (nothing for a terminating signal).
 */
static int verify_copy(const struct mcp_opts *o, struct mcp_files *f,
		       struct passed *p)
{
	struct mcp_fault fault;
	uint64_t diff = 0;
	enum mcp_compare rc;

	/* The fdatasync of files_reread_dest can take long, and a signal
	 * during it must not wait for the whole comparison. */
	if (files_reread_dest(f) != 0 || signals_caught())
		return -1;
	memset(&fault, 0, sizeof fault);
	rc = compare_dest(o, f, p, &diff, &fault);
	if (rc == MCP_CMP_SAME) {
		say_verified(f, p);
		report_verified();
		return 0;
	}
	if (rc == MCP_CMP_DIFFER) {
		p->differ = true;
		fault.side = MCP_SIDE_DST;
		fault.err = p->digest ? MCP_EDIGEST : MCP_EDIFFER;
		fault.offset = diff;
	}
	if (!signals_caught() && fault.side != MCP_SIDE_NONE)
		msg_fault(&fault, f->src, f->dst);
	return -1;
}

/* One copy, as its steps see it.  `hooks` are what the workers of a
 * mapped copy call in the parent: a step before the copy may add to
 * them. */
struct job {
	const struct mcp_opts *o;
	struct mcp_files f;
	struct passed p;
	struct workers_hooks hooks;
	struct mcp_resume resume; /* with --resume (f.resume points here) */
};

/* DEST becomes a clone of SOURCE where --reflink allows and the file
 * system can (reflink.c): decided before DEST's blocks are reserved,
 * which a clone would waste. */
static int step_clone(struct job *j)
{
	int rc;

	/* --resume going on with a partial file keeps the chunks an
	 * earlier run made durable: a clone that failed would empty the
	 * file under its journal.  The bytes are copied, as they were. */
	if (j->f.resume && j->f.resume->prior_bytes > 0)
		return 0;
	rc = reflink_try(j->o, &j->f);
	j->p.cloned = rc > 0;
	return rc < 0 ? -1 : 0;
}

/* DEST takes SOURCE's size (and its blocks are reserved). */
static int step_size(struct job *j)
{
	return j->p.cloned ? 0 : files_size_dest(&j->f);
}

static int step_copy(struct job *j)
{
	return j->p.cloned ? 0 : copy_data(j->o, &j->f, &j->p, &j->hooks);
}

/* --resume: the journal's updates during the copy did not fail the
 * data (a failed fdatasync of the partial file). */
static int step_check_resume(struct job *j)
{
	return j->f.resume ? resume_check(j->f.resume, &j->f) : 0;
}

/* SOURCE did not shrink under the copy. */
static int step_check_source(struct job *j)
{
	return files_check_source(&j->f);
}

/* --verify; a clone shares SOURCE's blocks: there is nothing of its
 * own to read back (reflink.c). */
static int step_verify(struct job *j)
{
	return j->o->verify && !j->p.cloned ? verify_copy(j->o, &j->f, &j->p)
					     : 0;
}

/* A mapped standard input left at the end of what was copied, after
 * the copy's and --verify's lseeks (files_leave_source). */
static int step_leave_source(struct job *j)
{
	return files_leave_source(&j->f);
}

/*
 * What is done to a DEST that is open and is ours to remove, in order,
 * before files_finish makes it durable and final.  Each returns 0, or -1
 * after printing (nothing for a terminating signal).  A signal is
 * checked for before the first and after each, since any can take long:
 * the handler only records it, and a step goes on regardless.
 */
static int (*const steps[])(struct job *j) = {
	step_clone,	   step_size,	step_copy,	   step_check_resume,
	step_check_source, step_verify, step_leave_source,
};

/* Run the steps.  Returns 0, or -1 as soon as one failed or a
 * terminating signal came. */
static int run_steps(struct job *j)
{
	if (signals_caught())
		return -1;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i](j) != 0 || signals_caught())
			return -1;
	return 0;
}

/* Whether a terminating signal came during files_finish (the final
 * fsync can take seconds): that too removes DEST, as the contract says
 * of a signal before the copy is done.  With --atomic the rename is the
 * point of no return, and files_finish checked before it. */
static bool finished_too_late(const struct mcp_opts *o)
{
	return !o->atomic && !o->resume && signals_caught();
}

/* How opening the two files went. */
enum job_open {
	JOB_OPENED,  /* both open, DEST ours to remove on failure */
	JOB_KEPT,    /* --no-clobber: DEST exists and is left alone */
	JOB_FAILED,  /* printed; nothing of ours to remove */
};

/* --resume: the workers skip the chunks an earlier run made durable,
 * and tell the journal of each they finish; this run counts only the
 * others.  The read/write path has no chunks: it copies everything. */
static void resume_hooks(struct job *j)
{
	struct mcp_resume *r = j->f.resume;

	j->hooks.skip = resume_skip;
	j->hooks.skip_arg = r;
	j->hooks.chunk_done = resume_chunk_done;
	j->hooks.done_arg = r;
	report_resumed(files_streamed(&j->f) ? 0 : r->prior_bytes);
}

static enum job_open open_files(struct job *j, const char *src,
				const char *dst)
{
	if (files_open_source(&j->f, src) != 0) {
		files_close(&j->f);
		return JOB_FAILED;
	}
	j->f.sparse = j->o->sparse;
	j->f.resume = j->o->resume ? &j->resume : NULL;
	switch (files_open_dest(&j->f, dst, j->o)) {
	case FILES_DEST_OPEN:
		if (j->f.resume)
			resume_hooks(j);
		return JOB_OPENED;
	case FILES_DEST_KEPT:
		msg_verbosef("%s exists; not overwritten", quote(dst));
		report_skipped();
		files_close(&j->f);
		return JOB_KEPT;
	case FILES_DEST_FAILED: break;
	}
	files_close(&j->f);
	return JOB_FAILED;
}

/* A failed copy: remove DEST (or the temporary file); --resume keeps
 * what is durable, unless --verify proved it wrong.  Returns -1. */
static int discard(struct job *j)
{
	if (j->f.resume)
		resume_keep(j->f.resume, &j->f, j->p.differ);
	files_discard(&j->f, j->o->sync);
	digest_free(j->p.digest);
	resume_free(&j->resume);
	return -1;
}

/*
 * Copy src to dst.  Returns 0 on success (or a skip under --no-clobber),
 * -1 after printing the error (DEST is then gone, unless only -p fell
 * short).  When a terminating signal arrived, DEST (or --atomic's
 * temporary file) is removed and the caller must die by signals_caught().
 */
int job_copy(const struct mcp_opts *o, const char *src, const char *dst)
{
	struct job j = { .o = o,
			 .p = { 0, NULL, false, false },
			 .hooks = { .tick = report_workers_tick } };
	enum files_finish rc;

	switch (open_files(&j, src, dst)) {
	case JOB_KEPT: return 0;
	case JOB_FAILED: resume_free(&j.resume); return -1;
	case JOB_OPENED: break;
	}
	if (run_steps(&j) != 0)
		return discard(&j);
	rc = files_finish(&j.f, o);
	if (rc == FILES_FINISH_FAILED || finished_too_late(o))
		return discard(&j);
	files_close(&j.f); /* kept, also when -p fell short */
	digest_free(j.p.digest);
	resume_free(&j.resume);
	return rc == FILES_FINISHED ? 0 : -1;
}
