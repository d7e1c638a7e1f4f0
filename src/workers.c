/*
 * workers.c - the pool of workers.h, as forked processes.
 *
 * The parent makes one anonymous shared mapping before it forks: a queue
 * (an atomic index of the next chunk), a stop flag, and a slot per worker
 * holding its byte counter and its fault.  Each worker takes chunk after
 * chunk from the queue, passing over those the skip hook refuses, until
 * the queue is empty or the stop flag is up, and ends with _exit(): 0
 * when it stopped cleanly, 1 after recording a fault in its slot.
 * Workers never print; the parent prints for them.  Memory a task asks
 * for (workers_alloc) is a shared mapping of its own, made before the
 * fork like the pool's.
 *
 * A chunk the task calls finished sets its bit in a shared bitmap (made
 * only when there is a chunk_done hook to tell).  The parent scans the
 * bits of the chunks handed out so far that it has not told yet, from
 * the lowest chunk not told, and calls the hook for each: so the scan
 * covers about the chunks in flight, whatever the size of the plan.
 *
 * The parent does no copying while workers run.  It blocks SIGCHLD and
 * the terminating signals and waits for them with sigtimedwait, reaping
 * every worker it started; only to run the caller's hooks (the tick, a
 * finished chunk) or print a warning does it let the terminating signals
 * in, so that a write to a stderr nobody reads can still be stopped.
 * The first failure (a fault, or a worker that died of a signal or
 * exited oddly) raises the stop flag so the others finish their current
 * window and leave.  A terminating signal kills the workers outright:
 * the caller removes the incomplete DEST anyway.  Workers also die with
 * the parent (PR_SET_PDEATHSIG), so a killed mcp leaves no orphan
 * writing into a file nobody will finish.
 *
 * With one worker's worth of work the parent runs the loop itself and
 * forks nothing; it then runs the hooks between chunks.
 *
 * SIGUSR1 is waited for like the others but stops nothing: it is a
 * request for a status line, which the task's tick prints.
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

#include "msg.h"
#include "plan.h"
#include "signals.h"
#include "workers.h"

/* How often the parent wakes while waiting, with nothing to reap. */
#define WAIT_TICK_MS 100
/* Shared mappings a pool holds: its own, the chunk bitmap, the task's. */
#define MAX_REGIONS 8
#define BITS 64

struct shared;

/* One per worker, in the shared mapping; each field is written by one
 * process only (the fault by the parent once the worker is gone). */
struct workers_slot {
	_Atomic uint64_t bytes_done; /* finished (on disk, with sync on) */
	struct mcp_fault fault;      /* the worker's failure, if any */
	struct shared *sh;           /* the mapping it lies in */
	unsigned index;
};

/* The anonymous shared mapping, made before fork. */
struct shared {
	_Atomic uint64_t next_chunk; /* the queue: the next index to take */
	_Atomic int stop;            /* set on the first failure or a signal */
	_Atomic int first_fault;     /* slot that failed first, or -1 */
	_Atomic uint64_t *done;      /* a bit per finished chunk, or NULL */
	unsigned n_slots;
	struct workers_slot slot[];
};

/* A shared mapping the pool unmaps when it is freed. */
struct region {
	void *p;
	size_t size;
};

/* The caller's handle: private memory, which each worker inherits as it
 * was at the fork and only reads. */
struct workers_pool {
	const struct mcp_plan *plan;
	struct workers_task task;
	struct shared *sh;
	uint64_t skipped;     /* bytes of the chunks skip refused */
	unsigned started;     /* worker processes forked; 0: ran here */
	uint64_t *told;       /* chunks told to chunk_done or skipped */
	uint64_t low_word;    /* every chunk of the words below is told */
	struct region region[MAX_REGIONS];
	unsigned n_regions;
};

static uint64_t words(uint64_t n_chunks)
{
	return (n_chunks + BITS - 1) / BITS;
}

/* Zeroed shared memory, unmapped with the pool.  Returns NULL with errno
 * set; prints nothing. */
void *workers_alloc(struct workers_pool *p, size_t size)
{
	void *m;

	if (p->n_regions == MAX_REGIONS) {
		errno = ENOMEM;
		return NULL;
	}
	m = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	p->region[p->n_regions].p = m;
	p->region[p->n_regions++].size = size ? size : 1;
	return m;
}

void workers_free(struct workers_pool *p)
{
	if (!p)
		return;
	while (p->n_regions > 0) {
		p->n_regions--;
		munmap(p->region[p->n_regions].p, p->region[p->n_regions].size);
	}
	free(p->told);
	free(p);
}

/* The shared mapping for n_slots workers.  Returns 0, or -1 with errno
 * set. */
static int map_shared(struct workers_pool *p, unsigned n_slots)
{
	struct shared *sh = workers_alloc(
		p, sizeof *sh + n_slots * sizeof(struct workers_slot));

	if (!sh)
		return -1;
	atomic_init(&sh->next_chunk, 0);
	atomic_init(&sh->stop, 0);
	atomic_init(&sh->first_fault, -1);
	sh->n_slots = n_slots;
	for (unsigned i = 0; i < n_slots; i++) {
		sh->slot[i].sh = sh;
		sh->slot[i].index = i;
	}
	p->sh = sh;
	return 0;
}

/* With a chunk_done hook: the shared bitmap the workers set and the
 * parent's own of what it told.  Returns 0, or -1 with errno set. */
static int map_done(struct workers_pool *p)
{
	uint64_t n = words(p->plan->n_chunks);

	if (!p->task.hooks.chunk_done || n == 0)
		return 0;
	p->sh->done = workers_alloc(p, n * sizeof *p->sh->done);
	p->told = calloc(n, sizeof *p->told);
	return p->sh->done && p->told ? 0 : -1;
}

/* Ask skip about every chunk: sum the bytes it refuses, and count them
 * as told, so the scan for finished chunks passes over them. */
static void count_skipped(struct workers_pool *p)
{
	const struct workers_hooks *h = &p->task.hooks;
	struct mcp_chunk c;

	for (uint64_t i = 0; h->skip && plan_chunk(p->plan, i, &c); i++) {
		if (!h->skip(h->skip_arg, i))
			continue;
		p->skipped += c.length;
		if (p->told)
			p->told[i / BITS] |= 1ULL << (i % BITS);
	}
}

/* A pool to run the task over the plan.  Returns NULL with errno set;
 * prints nothing. */
struct workers_pool *workers_new(const struct mcp_plan *plan,
				 const struct workers_task *task)
{
	struct workers_pool *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->plan = plan;
	p->task = *task;
	if (map_shared(p, plan->workers ? plan->workers : 1) != 0 ||
	    map_done(p) != 0) {
		int err = errno;

		workers_free(p);
		errno = err;
		return NULL;
	}
	count_skipped(p);
	return p;
}

unsigned workers_count(const struct workers_pool *p)
{
	return p->sh->n_slots;
}

/* The worker processes workers_run forked and ran: 0 when the caller
 * ran the plan itself (one worker planned, or no fork succeeded). */
unsigned workers_started(const struct workers_pool *p)
{
	return p->started;
}

struct workers_slot *workers_slot(struct workers_pool *p, unsigned i)
{
	return &p->sh->slot[i];
}

/* Bytes finished by all workers so far: this run's only, never those
 * of skipped chunks. */
uint64_t workers_bytes_done(const struct workers_pool *p)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < p->sh->n_slots; i++)
		sum += atomic_load(&p->sh->slot[i].bytes_done);
	return sum;
}

/* Bytes of the chunks the skip hook refused. */
uint64_t workers_bytes_skipped(const struct workers_pool *p)
{
	return p->skipped;
}

/* The fault that stopped the run first, or NULL. */
const struct mcp_fault *workers_fault(const struct workers_pool *p)
{
	int i = atomic_load(&p->sh->first_fault);

	return i < 0 ? NULL : &p->sh->slot[i].fault;
}

unsigned workers_slot_index(const struct workers_slot *slot)
{
	return slot->index;
}

/* Ask every worker to stop at its next window, as a failure does. */
void workers_stop(struct workers_pool *p)
{
	atomic_store(&p->sh->stop, 1);
}

/* Whether the run is being stopped: the task should leave at its next
 * window. */
bool workers_slot_stopped(const struct workers_slot *slot)
{
	return atomic_load(&slot->sh->stop) != 0;
}

struct mcp_fault *workers_slot_fault(struct workers_slot *slot)
{
	return &slot->fault;
}

/* Progress: `bytes` more are finished. */
void workers_slot_count(struct workers_slot *slot, uint64_t bytes)
{
	atomic_fetch_add(&slot->bytes_done, bytes);
}

/* The chunk is finished, for good: tell the parent's chunk_done. */
void workers_slot_chunk_done(struct workers_slot *slot,
			     const struct mcp_chunk *chunk)
{
	if (slot->sh->done)
		atomic_fetch_or(&slot->sh->done[chunk->index / BITS],
				1ULL << (chunk->index % BITS));
}

/* Call chunk_done for each chunk in word w finished and not yet told. */
static void tell_word(struct workers_pool *p, uint64_t w)
{
	uint64_t fresh = atomic_load(&p->sh->done[w]) & ~p->told[w];
	struct mcp_chunk c;

	while (fresh) {
		uint64_t bit = fresh & -fresh;
		uint64_t i = w * BITS + (uint64_t)__builtin_ctzll(fresh);

		p->told[w] |= bit;
		fresh &= ~bit;
		if (plan_chunk(p->plan, i, &c))
			p->task.hooks.chunk_done(p->task.hooks.done_arg, &c);
	}
}

/* Whether every chunk of word w is told. */
static bool word_told(const struct workers_pool *p, uint64_t w)
{
	uint64_t n = p->plan->n_chunks - w * BITS;

	return p->told[w] == (n >= BITS ? ~0ULL : (1ULL << n) - 1);
}

/* In the parent: tell chunk_done of the chunks finished since the last
 * call, scanning only those handed out and not all told. */
static void tell_done(struct workers_pool *p)
{
	uint64_t end, w;

	if (!p->sh->done)
		return;
	end = atomic_load(&p->sh->next_chunk);
	if (end > p->plan->n_chunks)
		end = p->plan->n_chunks;
	for (w = p->low_word; w < words(end); w++)
		tell_word(p, w);
	while (p->low_word < words(p->plan->n_chunks) &&
	       word_told(p, p->low_word))
		p->low_word++;
}

/* In the parent: the caller's hooks, finished chunks first. */
static void run_hooks(struct workers_pool *p)
{
	tell_done(p);
	if (p->task.hooks.tick)
		p->task.hooks.tick(p->task.hooks.tick_arg, p);
}

/* Make slot i's fault the run's fault unless another came first, and
 * tell everybody to stop. */
static void claim_fault(struct shared *sh, unsigned i)
{
	int none = -1;

	atomic_compare_exchange_strong(&sh->first_fault, &none, (int)i);
	atomic_store(&sh->stop, 1);
}

/* Take the next chunk from the queue into *chunk, passing over those
 * skip refuses; false when the queue is empty. */
static bool take(const struct workers_pool *p, struct mcp_chunk *chunk)
{
	const struct workers_hooks *h = &p->task.hooks;

	while (plan_chunk(p->plan, atomic_fetch_add(&p->sh->next_chunk, 1),
			  chunk))
		if (!h->skip || !h->skip(h->skip_arg, chunk->index))
			return true;
	return false;
}

/* Take chunks from the queue until it is empty, stopped, or one fails,
 * then drain; run the hooks after each chunk when told to (the parent
 * only).  Each chunk is taken one chunk ahead and passed as `next` while
 * the one before runs, so the worker reads ahead only what it will copy
 * itself: another worker's read-ahead would make pages look cached
 * before their reader asked whether they were (--cache=auto, cache.c).
 * Returns 0, or 1 after a fault was recorded in slot i. */
static int worker_loop(struct workers_pool *p, unsigned i, bool hooks)
{
	const struct workers_task *t = &p->task;
	struct workers_slot *slot = &p->sh->slot[i];
	struct mcp_chunk chunk, next = { 0, 0, 0 };
	bool have = take(p, &chunk), have_next;
	enum workers_result rc = WORKERS_DONE;

	while (have && rc == WORKERS_DONE) {
		if (atomic_load(&p->sh->stop))
			return 0;
		have_next = take(p, &next);
		rc = t->run(t->arg, &chunk, have_next ? &next : NULL, slot);
		if (hooks)
			run_hooks(p);
		chunk = next;
		have = have_next;
	}
	if (rc == WORKERS_DONE && t->drain)
		rc = t->drain(t->arg, slot);
	if (rc == WORKERS_FAILED) {
		claim_fault(p->sh, i);
		return 1;
	}
	return 0;
}

/* The child's side of fork: never returns. */
static void worker_main(struct workers_pool *p, unsigned i, pid_t parent)
{
	signals_child_reset();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(2);
	/* A name of its own, so that pgrep -x mcp, pkill -USR1 -x mcp and
	 * top find the parent only.  A worker left with mcp's name still
	 * copies (and ignores SIGUSR1), so a failure is not worth dying. */
	(void)prctl(PR_SET_NAME, MCP_WORKER_NAME);
	_exit(worker_loop(p, i, false));
}

/* Print or run a hook with the terminating signals let in: stderr may
 * be a pipe nobody drains, and a write that waits there must not outlive
 * a SIGTERM (signals_let_term).  A signal that comes is then the
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
static unsigned start_workers(struct workers_pool *p, pid_t *pids)
{
	unsigned n, want = p->plan->workers;
	pid_t parent = getpid();

	for (n = 0; n < want; n++) {
		pids[n] = fork();
		if (pids[n] == 0)
			worker_main(p, n, parent);
		if (pids[n] < 0)
			break;
	}
	if (n < want)
		warn_fork(n, want, errno);
	return n;
}

/* Worker i ended with `status`: turn an unexpected end into its fault. */
static void judge_exit(struct shared *sh, unsigned i, pid_t pid, int status)
{
	struct mcp_fault *f = &sh->slot[i].fault;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1 &&
	    f->side != MCP_SIDE_NONE)
		return; /* it recorded its own fault and claimed it */
	fault_worker_ended(f, i, pid, status);
	claim_fault(sh, i);
}

/* Reap whichever workers have ended; returns how many are still alive. */
static unsigned reap(struct shared *sh, pid_t *pids, unsigned n, bool killed)
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

/* The hooks at a wake of the wait loop, with the terminating signals
 * let in. */
static void hooks_let_term(struct workers_pool *p)
{
	let_term(true);
	run_hooks(p);
	let_term(false);
}

/*
 * Wait until every worker is reaped, killing them on a terminating
 * signal, and run the hooks at each wake.  The signal is taken by
 * signals_wait, or by the handler: before the signals were blocked, or
 * while a hook let them in; signals_caught covers both.
 */
static void wait_workers(struct workers_pool *p, pid_t *pids, unsigned n)
{
	bool killed = false;

	while (reap(p->sh, pids, n, killed) > 0) {
		if (signals_caught() && !killed) {
			atomic_store(&p->sh->stop, 1);
			kill_all(pids, n);
			killed = true;
		}
		(void)signals_wait(WAIT_TICK_MS); /* an error: wait a tick */
		if (!killed && !signals_caught())
			hooks_let_term(p);
	}
}

/* How the run ended: a fault first, then a terminating signal. */
static enum workers_result outcome(const struct workers_pool *p)
{
	if (workers_fault(p))
		return WORKERS_FAILED;
	return signals_caught() ? WORKERS_STOPPED : WORKERS_DONE;
}

/* Run the plan in the calling process, as -j 1 does. */
static enum workers_result run_here(struct workers_pool *p)
{
	signals_watch(&p->sh->stop);
	if (signals_caught())
		atomic_store(&p->sh->stop, 1);
	(void)worker_loop(p, 0, true); /* a fault is claimed: outcome */
	signals_watch(NULL);
	tell_done(p);
	return outcome(p);
}

/* Record that the run could not start (err), as slot 0's fault. */
static enum workers_result cannot_start(struct workers_pool *p, int err)
{
	p->sh->slot[0].fault.side = MCP_SIDE_DST;
	p->sh->slot[0].fault.err = err;
	claim_fault(p->sh, 0);
	return WORKERS_FAILED;
}

/*
 * Run every chunk of the plan that skip does not refuse, with
 * plan->workers processes (none forked for one).  Returns WORKERS_DONE
 * when every such chunk finished; WORKERS_FAILED when a fault stopped
 * the run (workers_fault says which); WORKERS_STOPPED when a terminating
 * signal did (signals_caught says which).  Every finished chunk has
 * been told to chunk_done.  Prints only warnings.
 */
enum workers_result workers_run(struct workers_pool *p)
{
	sigset_t old;
	pid_t *pids;
	unsigned n;

	/* A signal that came during what went before (a long fallocate or
	 * fdatasync): fork nothing, copy nothing. */
	if (signals_caught())
		return WORKERS_STOPPED;
	if (p->plan->workers <= 1)
		return run_here(p);
	pids = calloc(p->plan->workers, sizeof *pids);
	if (!pids || signals_block(&old) != 0) {
		int err = errno;

		free(pids);
		return cannot_start(p, err);
	}
	n = start_workers(p, pids);
	p->started = n;
	wait_workers(p, pids, n);
	/* Chunks finished after the last wake, or before a failure. */
	let_term(true);
	tell_done(p);
	let_term(false);
	signals_restore(&old);
	free(pids);
	if (n == 0)
		return run_here(p);
	return outcome(p);
}
