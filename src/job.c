/*
 * job.c - the life of one copy: open SOURCE, open DEST, size and reserve
 * it, plan the chunks, run the workers, check SOURCE did not shrink, make
 * DEST durable.  From the moment DEST is created or emptied, every
 * failure and every terminating signal removes it.
 */
#include <config.h>

#include <errno.h>
#include <unistd.h>

#include "copy.h"
#include "files.h"
#include "job.h"
#include "msg.h"
#include "plan.h"
#include "report.h"
#include "signals.h"
#include "workers.h"

/* What the workers run: copy_chunk and copy_drain over our files. */
static int run_chunk(void *arg, const struct mcp_chunk *chunk,
		     struct mcp_slot *slot)
{
	return copy_chunk(arg, chunk, slot);
}

static int drain(void *arg, struct mcp_slot *slot)
{
	return copy_drain(arg, slot);
}

/* Run the planned copy across the workers.  Returns 0, or -1 after
 * printing (nothing is printed for a terminating signal). */
static int run_plan(const struct mcp_files *f, const struct mcp_plan *plan,
		    bool sync)
{
	struct mcp_shared *sh = workers_shared_new(plan->workers ? plan->workers
								  : 1);
	struct mcp_copy_ctx ctx = { f->src_fd, f->dst_fd, plan, sync, NULL };
	struct mcp_task task = { run_chunk, drain, &ctx, report_tick, NULL };
	const struct mcp_fault *fault;
	int rc;

	if (!sh) {
		msg_error(f->dst, "cannot map the shared work area", errno);
		return -1;
	}
	ctx.stop = &sh->stop;
	report_watch(sh);
	rc = workers_run(plan, &task, sh);
	report_watch(NULL);
	fault = workers_fault(sh);
	if (rc != 0 && fault && !signals_caught())
		msg_fault(fault, f->src, f->dst);
	workers_shared_free(sh);
	return rc;
}

static int copy_bytes(const struct mcp_opts *o, const struct mcp_files *f)
{
	struct mcp_plan plan;

	if (plan_make(f->size, sysconf(_SC_PAGESIZE), o->jobs, o->chunk_size,
		      &plan) != 0) {
		msg_error(f->src, "cannot plan the copy", errno);
		return -1;
	}
	report_plan(&plan);
	if (plan.n_chunks == 0) {
		msg_verbosef("'%s' -> '%s': 0 bytes", f->src, f->dst);
		return 0;
	}
	msg_verbosef("'%s' -> '%s': %llu bytes, %u worker%s, %llu-byte chunks",
		     f->src, f->dst, (unsigned long long)f->size, plan.workers,
		     plan.workers == 1 ? "" : "s",
		     (unsigned long long)plan.chunk_size);
	return run_plan(f, &plan, o->sync);
}

/*
 * Copy src to dst.  Returns 0 on success (or a skip under --no-clobber),
 * -1 after printing the error.  When a terminating signal arrived, DEST
 * is removed and the caller must die by signals_caught().
 */
int job_copy(const struct mcp_opts *o, const char *src, const char *dst)
{
	struct mcp_files f;
	int rc;

	if (files_open_source(&f, src) != 0)
		goto fail;
	rc = files_open_dest(&f, dst, o->no_clobber);
	if (rc == 1) {
		msg_verbosef("'%s' exists; not overwritten", dst);
		report_skipped();
		files_close(&f);
		return 0;
	}
	if (rc == -1)
		goto fail;
	if (rc == -2 || signals_caught() || files_size_dest(&f) != 0 ||
	    copy_bytes(o, &f) != 0 || signals_caught() ||
	    files_check_source(&f) != 0 || files_finish(&f, o->sync) != 0)
		goto discard;
	files_close(&f);
	return 0;
discard:
	files_discard(&f);
	return -1;
fail:
	files_close(&f);
	return -1;
}
