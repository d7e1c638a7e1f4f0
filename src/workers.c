/*
 * workers.c - the process design.
 *
 * The parent makes one anonymous shared mapping before it forks: a queue
 * (an atomic index of the next chunk), a stop flag, and a slot per worker
 * holding its byte counter and its fault.  Each worker takes chunk after
 * chunk from the queue until the queue is empty or the stop flag is up,
 * and ends with _exit(): 0 when it stopped cleanly, 1 after recording a
 * fault in its slot.  Workers never print; the parent prints for them.
 *
 * The parent does no copying while workers run.  It blocks SIGCHLD and
 * the terminating signals and waits for them with sigtimedwait, reaping
 * every worker it started; only to print (the tick, a warning) does it
 * let the terminating signals in, so that a write to a stderr nobody
 * reads can still be stopped.  The first failure (a fault, or a worker that
 * died of a signal or exited oddly) raises the stop flag so the others
 * finish their current window and leave.  A terminating signal kills the
 * workers outright: the caller removes the incomplete DEST anyway.
 * Workers also die with the parent (PR_SET_PDEATHSIG), so a killed mcp
 * leaves no orphan writing into a file nobody will finish.
 *
 * With one worker's worth of work the parent runs the loop itself and
 * forks nothing.
 *
 * SIGUSR1 is waited for like the others but stops nothing: it is a
 * request for a status line, which the task's tick prints.  The tick runs
 * after every wake of the wait loop, or between chunks when the parent
 * copies itself, and only in the parent.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "copy.h"
#include "msg.h"
#include "plan.h"
#include "signals.h"
#include "workers.h"

/* How often the parent wakes while waiting, with nothing to reap. */
#define WAIT_TICK_MS 100

static size_t shared_size(unsigned n_slots)
{
	return sizeof(struct mcp_shared) + n_slots * sizeof(struct mcp_slot);
}

/* The shared mapping for n_slots workers, zeroed.  Returns NULL with
 * errno set; prints nothing. */
struct mcp_shared *workers_shared_new(unsigned n_slots)
{
	struct mcp_shared *sh;

	sh = mmap(NULL, shared_size(n_slots), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return NULL;
	atomic_init(&sh->next_chunk, 0);
	atomic_init(&sh->stop, 0);
	atomic_init(&sh->first_fault, -1);
	sh->n_slots = n_slots;
	return sh;
}

void workers_shared_free(struct mcp_shared *sh)
{
	if (sh)
		munmap(sh, shared_size(sh->n_slots));
}

/* Bytes finished by all workers so far. */
uint64_t workers_bytes_done(const struct mcp_shared *sh)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < sh->n_slots; i++)
		sum += atomic_load(&sh->slot[i].bytes_done);
	return sum;
}

/* Of the bytes done, those left as holes in DEST (--sparse). */
uint64_t workers_holes_skipped(const struct mcp_shared *sh)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < sh->n_slots; i++)
		sum += atomic_load(&sh->slot[i].holes);
	return sum;
}

/* The fault that stopped the copy first, or NULL. */
const struct mcp_fault *workers_fault(const struct mcp_shared *sh)
{
	int i = atomic_load(&sh->first_fault);

	return i < 0 ? NULL : &sh->slot[i].fault;
}

/* Make slot i's fault the copy's fault unless another came first, and
 * tell everybody to stop. */
static void claim_fault(struct mcp_shared *sh, unsigned i)
{
	int none = -1;

	atomic_compare_exchange_strong(&sh->first_fault, &none, (int)i);
	atomic_store(&sh->stop, 1);
}

/* Take the next chunk from the queue into *chunk; false when it is
 * empty. */
static bool take(const struct mcp_plan *plan, struct mcp_shared *sh,
		 struct mcp_chunk *chunk)
{
	return plan_chunk(plan, atomic_fetch_add(&sh->next_chunk, 1), chunk);
}

/* Take chunks from the queue until it is empty, stopped, or one fails,
 * then drain; tick after each chunk when told to (the parent only).
 * Each chunk is taken one chunk ahead and named in slot->next while the
 * one before runs, so the worker reads ahead only what it will copy
 * itself: another worker's read-ahead would make pages look cached
 * before their reader asked whether they were (--cache=auto, cache.c).
 * Returns 0, or 1 after a fault was recorded in slot i. */
static int worker_loop(const struct mcp_plan *plan, const struct mcp_task *t,
		       struct mcp_shared *sh, unsigned i, bool tick)
{
	struct mcp_slot *slot = &sh->slot[i];
	struct mcp_chunk chunk, next = { 0, 0, 0 };
	bool have = take(plan, sh, &chunk), have_next;
	int rc = MCP_COPY_DONE;

	while (have && rc == MCP_COPY_DONE) {
		if (atomic_load(&sh->stop))
			return 0;
		have_next = take(plan, sh, &next);
		slot->next.offset = have_next ? next.offset : 0;
		slot->next.length = have_next ? next.length : 0;
		rc = t->run(t->arg, &chunk, slot);
		if (tick && t->tick)
			t->tick(t->tick_arg);
		chunk = next;
		have = have_next;
	}
	if (rc == MCP_COPY_DONE && t->drain)
		rc = t->drain(t->arg, slot);
	if (rc == MCP_COPY_FAILED) {
		claim_fault(sh, i);
		return 1;
	}
	return 0;
}

/* The child's side of fork: never returns. */
static void worker_main(const struct mcp_plan *plan, const struct mcp_task *t,
			struct mcp_shared *sh, unsigned i, pid_t parent)
{
	signals_child_reset();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(2);
	/* A name of its own, so that pgrep -x mcp, pkill -USR1 -x mcp and
	 * top find the parent only.  A worker left with mcp's name still
	 * copies (and ignores SIGUSR1), so a failure is not worth dying. */
	(void)prctl(PR_SET_NAME, MCP_WORKER_NAME);
	_exit(worker_loop(plan, t, sh, i, false));
}

/* Print with the terminating signals let in: stderr may be a pipe
 * nobody drains, and a write that waits there must not outlive a
 * SIGTERM (signals_let_term).  A signal that comes is then the
 * handler's; the wait loop sees it in signals_caught. */
static void let_term(bool on)
{
	(void)signals_let_term(on); /* only EINVAL, for a bad set */
}

/* fork failed after n of `want` workers started. */
static void warn_fork(unsigned n, unsigned want, int err)
{
	let_term(true);
	if (n == 0)
		msg_warnf("could start no workers: fork: %s; copying in "
			  "one process", strerror(err));
	else
		msg_warnf("could start only %u of %u workers: fork: %s", n,
			  want, strerror(err));
	let_term(false);
}

/* Fork up to plan->workers workers.  Returns how many started (their
 * pids in pids), warning when fork failed (EAGAIN under RLIMIT_NPROC,
 * ENOMEM): the queue lets any number of workers finish the plan, so
 * fewer workers only make the copy slower. */
static unsigned start_workers(const struct mcp_plan *plan,
			      const struct mcp_task *t, struct mcp_shared *sh,
			      pid_t *pids)
{
	pid_t parent = getpid();
	unsigned n;

	for (n = 0; n < plan->workers; n++) {
		pids[n] = fork();
		if (pids[n] == 0)
			worker_main(plan, t, sh, n, parent);
		if (pids[n] < 0)
			break;
	}
	if (n < plan->workers)
		warn_fork(n, plan->workers, errno);
	return n;
}

/* Worker i ended with `status`: turn an unexpected end into its fault. */
static void judge_exit(struct mcp_shared *sh, unsigned i, pid_t pid,
		       int status)
{
	struct mcp_fault *f = &sh->slot[i].fault;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1 &&
	    f->side != MCP_SIDE_NONE)
		return; /* it recorded its own fault and claimed it */
	f->side = MCP_SIDE_DST;
	f->worker = i;
	f->pid = pid;
	if (WIFSIGNALED(status)) {
		f->err = MCP_EKILLED;
		f->aux = WTERMSIG(status);
	} else {
		f->err = MCP_EEXIT;
		f->aux = WEXITSTATUS(status);
	}
	claim_fault(sh, i);
}

/* Reap whichever workers have ended; returns how many are still alive. */
static unsigned reap(struct mcp_shared *sh, pid_t *pids, unsigned n,
		     bool killed)
{
	unsigned alive = 0;

	for (unsigned i = 0; i < n; i++) {
		int status;
		pid_t r;

		if (pids[i] <= 0)
			continue;
		r = waitpid(pids[i], &status, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR)) {
			alive++;
			continue;
		}
		if (r == pids[i] && !killed)
			judge_exit(sh, i, r, status);
		pids[i] = 0;
	}
	return alive;
}

static void kill_all(pid_t *pids, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
}

/*
 * Wait until every worker is reaped, killing them on a terminating
 * signal, and tick at each wake.  The signal is taken by signals_wait,
 * or by the handler: before the signals were blocked, or while the tick
 * let them in; signals_caught covers both.
 */
static void wait_workers(const struct mcp_task *t, struct mcp_shared *sh,
			 pid_t *pids, unsigned n)
{
	bool killed = false;

	while (reap(sh, pids, n, killed) > 0) {
		if (signals_caught() && !killed) {
			atomic_store(&sh->stop, 1);
			kill_all(pids, n);
			killed = true;
		}
		(void)signals_wait(WAIT_TICK_MS); /* an error: wait a tick */
		if (t->tick && !killed && !signals_caught()) {
			let_term(true);
			t->tick(t->tick_arg);
			let_term(false);
		}
	}
}

/* Run the plan in the calling process, as -j 1 does.  Returns 0, or -1
 * after a fault or a terminating signal. */
static int run_here(const struct mcp_plan *plan, const struct mcp_task *t,
		    struct mcp_shared *sh)
{
	int rc;

	signals_watch(&sh->stop);
	if (signals_caught())
		atomic_store(&sh->stop, 1);
	rc = worker_loop(plan, t, sh, 0, true);
	signals_watch(NULL);
	return rc == 0 && !signals_caught() ? 0 : -1;
}

/*
 * Run every chunk of the plan with plan->workers processes (none forked
 * for one).  Returns 0 when every chunk finished; -1 when a fault stopped
 * the copy (workers_fault says which) or a terminating signal did
 * (signals_caught says which).  Prints only warnings.
 */
int workers_run(const struct mcp_plan *plan, const struct mcp_task *t,
		struct mcp_shared *sh)
{
	sigset_t old;
	pid_t *pids;
	unsigned n;

	/* A signal that came during what went before (a long fallocate or
	 * fdatasync): fork nothing, copy nothing. */
	if (signals_caught())
		return -1;
	if (plan->workers <= 1)
		return run_here(plan, t, sh);
	pids = calloc(plan->workers, sizeof *pids);
	if (!pids || signals_block(&old) != 0) {
		sh->slot[0].fault.side = MCP_SIDE_DST;
		sh->slot[0].fault.err = errno;
		claim_fault(sh, 0);
		free(pids);
		return -1;
	}
	n = start_workers(plan, t, sh, pids);
	wait_workers(t, sh, pids, n);
	signals_restore(&old);
	free(pids);
	if (n == 0)
		return run_here(plan, t, sh);
	return workers_fault(sh) || signals_caught() ? -1 : 0;
}
