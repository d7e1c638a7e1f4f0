/*
 * check_workers.c - workers_run() with a fake chunk function, so the
 * process design is tested without files: every chunk runs exactly once,
 * a failing chunk stops the other workers early, a killed worker is
 * named, more jobs than chunks is fine, and every worker is reaped; the
 * hooks run in the parent, chunk_done once per finished chunk, and skip
 * keeps chunks from running.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "check_util.h"
#include "plan.h"
#include "signals.h"
#include "workers.h"

#define PAGE 4096

enum mode {
	ALL_OK,
	FAIL_5, /* chunk 5 records an EIO fault and fails */
	KILL_3, /* the worker that takes chunk 3 is killed by SIGKILL */
};

/* What the fake sees in every worker: the counters live in a shared
 * mapping, since the workers are forked processes. */
struct fake {
	enum mode mode;
	uint64_t bad;           /* the chunk that fails or is killed */
	_Atomic unsigned *runs; /* times each chunk was run */
};

/* A chunk after the bad one takes 2 ms at a time until the copy is
 * stopped (500 ms at most), so whether the other workers stop early
 * does not hang on the scheduler. */
static void slow_chunk(const struct workers_slot *slot)
{
	struct timespec ts = { 0, 2000000 };

	for (int i = 0; i < 250 && !workers_slot_stopped(slot); i++)
		nanosleep(&ts, NULL);
}

static enum workers_result fake_chunk(void *arg, const struct mcp_chunk *c,
				      const struct mcp_chunk *next,
				      struct workers_slot *slot)
{
	const struct fake *fk = arg;
	struct mcp_fault *f = workers_slot_fault(slot);

	(void)next;
	atomic_fetch_add(&fk->runs[c->index], 1);
	if (fk->mode == FAIL_5 && c->index == fk->bad) {
		f->side = MCP_SIDE_SRC;
		f->err = EIO;
		f->what = "test";
		f->offset = c->offset;
		return WORKERS_FAILED;
	}
	if (fk->mode == KILL_3 && c->index == fk->bad)
		raise(SIGKILL);
	if (fk->mode != ALL_OK && c->index > fk->bad)
		slow_chunk(slot);
	workers_slot_count(slot, c->length);
	return WORKERS_DONE;
}

/* Chunks of one page, the last one short; workers as plan_make says. */
static const struct {
	uint64_t n_chunks;
	unsigned jobs;
	enum mode mode;
} cases[] = {
	{ 64, 4, ALL_OK },
	{ 64, 1, ALL_OK }, /* in the calling process */
	{ 3, 16, ALL_OK }, /* more jobs than chunks */
	{ 64, 64, ALL_OK },
	{ 0, 4, ALL_OK }, /* an empty file: nothing to run */
	{ 64, 4, FAIL_5 },
	{ 64, 1, FAIL_5 },
	{ 64, 4, KILL_3 },
};

/* The fault the row expects, or none. */
static void check_fault(enum mode mode, const struct mcp_plan *plan,
			const struct mcp_fault *f)
{
	if (mode == ALL_OK) {
		ck_assert_ptr_null(f);
		return;
	}
	ck_assert_ptr_nonnull(f);
	if (mode == FAIL_5) {
		ck_assert_int_eq(f->side, MCP_SIDE_SRC);
		ck_assert_int_eq(f->err, EIO);
		ck_assert_str_eq(f->what, "test");
		ck_assert_uint_eq(f->offset, 5 * PAGE); /* chunk 5's */
	} else {
		ck_assert_int_eq(f->side, MCP_SIDE_DST);
		ck_assert_int_eq(f->err, MCP_EKILLED);
		ck_assert_int_eq(f->aux, SIGKILL);
		ck_assert_int_gt(f->pid, 0);
		ck_assert_uint_lt(f->worker, plan->workers);
	}
}

/* No chunk ran twice; all ran unless one failed, and then the others
 * stopped early.  The bytes counted are those of the chunks that
 * finished. */
static void check_runs(const struct fake *fk, const struct mcp_plan *plan,
		       uint64_t bytes)
{
	enum mode mode = fk->mode;
	uint64_t ran = 0, sum = 0, bad = fk->bad;
	struct mcp_chunk c;

	for (uint64_t i = 0; plan_chunk(plan, i, &c); i++) {
		unsigned n = atomic_load(&fk->runs[i]);

		ck_assert_msg(mode == ALL_OK ? n == 1 : n <= 1,
			      "chunk %llu ran %u times", (unsigned long long)i,
			      n);
		ran += n;
		if (n && (mode == ALL_OK || i != bad))
			sum += c.length;
	}
	ck_assert_uint_eq(bytes, sum);
	if (mode == ALL_OK)
		ck_assert_uint_eq(sum, plan->size);
	else if (plan->workers == 1)
		ck_assert_uint_eq(ran, bad + 1);
	else
		ck_assert_uint_lt(ran, plan->n_chunks);
	if (mode != ALL_OK)
		ck_assert_uint_eq(atomic_load(&fk->runs[bad]), 1);
}

START_TEST(test_run)
{
	uint64_t n = cases[_i].n_chunks, size = n ? (n - 1) * PAGE + 100 : 0;
	size_t runs_size = (n ? n : 1) * sizeof(_Atomic unsigned);
	struct fake fk = { cases[_i].mode, cases[_i].mode == FAIL_5 ? 5 : 3,
			   NULL };
	struct workers_task task = { fake_chunk, NULL, &fk, { 0 } };
	struct workers_pool *pool;
	struct mcp_plan plan;
	sigset_t mask;
	enum workers_result rc;

	ck_assert_int_eq(plan_make(size, PAGE, cases[_i].jobs, PAGE, &plan), 0);
	ck_assert_uint_eq(plan.n_chunks, n);
	fk.runs = mmap(NULL, runs_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(fk.runs != MAP_FAILED);
	pool = workers_new(&plan, &task);
	ck_assert_ptr_nonnull(pool);
	rc = workers_run(pool);
	ck_assert_int_eq(rc, cases[_i].mode == ALL_OK ? WORKERS_DONE
						      : WORKERS_FAILED);
	check_fault(cases[_i].mode, &plan, workers_fault(pool));
	check_runs(&fk, &plan, workers_bytes_done(pool));
	/* Every worker reaped, and SIGCHLD no longer blocked. */
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &mask), 0);
	ck_assert(!sigismember(&mask, SIGCHLD));
	workers_free(pool);
	munmap(fk.runs, runs_size);
}
END_TEST

/* What the tick saw.  It runs in the parent, so plain memory does for
 * what only the parent reads; the workers read and write `shared`. */
struct probe {
	pid_t parent;
	unsigned calls;
	bool status_wanted; /* the SIGUSR1 it sent came back as a request */
	struct {
		_Atomic unsigned in_workers; /* ticks run in a worker */
		_Atomic int seen;            /* status_wanted, for workers */
	} *shared;
};

/* The first tick sends the parent a SIGUSR1: blocked while it waits for
 * workers, it arrives through the wait; the next ticks look for it. */
static void probe_tick(void *arg, const struct workers_pool *pool)
{
	(void)pool;
	struct probe *pr = arg;

	if (getpid() != pr->parent) {
		atomic_fetch_add(&pr->shared->in_workers, 1);
		return;
	}
	if (pr->calls++ == 0) {
		ck_assert_int_eq(kill(pr->parent, SIGUSR1), 0);
		return;
	}
	if (signals_status_wanted()) {
		pr->status_wanted = true;
		atomic_store(&pr->shared->seen, 1);
	}
}

/* A chunk that sends its process a SIGUSR1, which must kill no worker.
 * It takes 20 ms; in a worker, it also waits (2 s at most) until the
 * parent saw its request, so that the copy cannot end before. */
static enum workers_result usr1_chunk(void *arg, const struct mcp_chunk *c,
				      const struct mcp_chunk *next,
				      struct workers_slot *slot)
{
	struct timespec ts = { 0, 20000000 };
	const struct probe *pr = arg;

	(void)next;
	raise(SIGUSR1);
	nanosleep(&ts, NULL);
	for (int i = 0; i < 100 && getpid() != pr->parent &&
			!atomic_load(&pr->shared->seen);
	     i++)
		nanosleep(&ts, NULL);
	workers_slot_count(slot, c->length);
	return WORKERS_DONE;
}

/*
 * The tick runs in the parent only, while the copy goes on, with one
 * worker (-j 1: between chunks) or several (the wait loop).  SIGUSR1
 * stops nothing: the workers ignore it, the parent turns it into a
 * status request that the tick takes.
 */
START_TEST(test_tick)
{
	static const unsigned jobs[] = { 1, 4 };
	struct probe pr = { getpid(), 0, false, NULL };
	struct workers_task task = { usr1_chunk, NULL, &pr,
				     { .tick = probe_tick, .tick_arg = &pr } };
	struct workers_pool *pool;
	struct mcp_plan plan;

	pr.shared = mmap(NULL, sizeof *pr.shared, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(pr.shared != MAP_FAILED);
	ck_assert_int_eq(plan_make(8 * PAGE, PAGE, jobs[_i], PAGE, &plan), 0);
	pool = workers_new(&plan, &task);
	ck_assert_ptr_nonnull(pool);
	ck_assert_int_eq(workers_run(pool), WORKERS_DONE);
	ck_assert_uint_eq(workers_bytes_done(pool), 8 * PAGE);
	ck_assert_uint_gt(pr.calls, 0);
	ck_assert(pr.status_wanted);
	ck_assert_uint_eq(atomic_load(&pr.shared->in_workers), 0);
	workers_free(pool);
	munmap(pr.shared, sizeof *pr.shared);
}
END_TEST

/* What the chunk_done and skip test sees.  `runs` is shared with the
 * workers; `told` is written by the hook, in the parent only. */
struct told {
	pid_t parent;
	_Atomic unsigned *runs;
	unsigned told[64];
	unsigned told_elsewhere; /* hook calls outside the parent */
	uint64_t fail;           /* the chunk that fails, or UINT64_MAX */
};

/* The chunk a worker has run but not yet called done, as a copy holds
 * its last window until the next chunk's first or the drain: each
 * process has its own. */
static struct mcp_chunk held;
static bool holding;

static bool skip_third(void *arg, uint64_t index)
{
	(void)arg;
	return index % 3 == 1;
}

static void count_told(void *arg, const struct mcp_chunk *c)
{
	struct told *t = arg;

	if (getpid() != t->parent)
		t->told_elsewhere++;
	else if (c->index < 64)
		t->told[c->index]++;
}

static enum workers_result late_chunk(void *arg, const struct mcp_chunk *c,
				      const struct mcp_chunk *next,
				      struct workers_slot *slot)
{
	struct told *t = arg;

	(void)next;
	atomic_fetch_add(&t->runs[c->index], 1);
	if (c->index == t->fail) {
		workers_slot_fault(slot)->side = MCP_SIDE_DST;
		workers_slot_fault(slot)->err = EIO;
		return WORKERS_FAILED;
	}
	if (holding)
		workers_slot_chunk_done(slot, &held);
	held = *c;
	holding = true;
	workers_slot_count(slot, c->length);
	return WORKERS_DONE;
}

static enum workers_result late_drain(void *arg, struct workers_slot *slot)
{
	(void)arg;
	if (holding)
		workers_slot_chunk_done(slot, &held);
	holding = false;
	return WORKERS_DONE;
}

/* 64 chunks of a page; every third is skipped; chunk 20 fails in the
 * second pair of rows. */
static const struct {
	unsigned jobs;
	bool fail;
} hook_cases[] = {
	{ 1, false }, { 4, false }, { 1, true }, { 4, true },
};

/*
 * chunk_done is called in the parent, once for each chunk the task
 * said was done, also for one said done only by the drain and when the
 * run failed; skip keeps chunks from ever running, and their bytes are
 * counted apart from the bytes done.
 */
START_TEST(test_hooks)
{
	struct told t = { getpid(), NULL, { 0 }, 0,
			  hook_cases[_i].fail ? 20 : UINT64_MAX };
	struct workers_task task = {
		late_chunk, late_drain, &t,
		{ .chunk_done = count_told, .done_arg = &t, .skip = skip_third }
	};
	uint64_t skipped = 0, size = 64 * PAGE;
	struct workers_pool *pool;
	struct mcp_plan plan;
	enum workers_result rc;

	holding = false;
	t.runs = mmap(NULL, 64 * sizeof *t.runs, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(t.runs != MAP_FAILED);
	ck_assert_int_eq(plan_make(size, PAGE, hook_cases[_i].jobs, PAGE,
				   &plan),
			 0);
	pool = workers_new(&plan, &task);
	ck_assert_ptr_nonnull(pool);
	rc = workers_run(pool);
	ck_assert_int_eq(rc, hook_cases[_i].fail ? WORKERS_FAILED
						 : WORKERS_DONE);
	ck_assert_uint_eq(t.told_elsewhere, 0);
	for (uint64_t i = 0; i < 64; i++) {
		unsigned runs = atomic_load(&t.runs[i]);

		if (skip_third(NULL, i)) {
			skipped += PAGE;
			ck_assert_uint_eq(runs, 0);
		}
		ck_assert_uint_le(runs, 1);
		/* Told only what ran and did not fail, and only once. */
		ck_assert_uint_le(t.told[i], runs);
		if (i == t.fail)
			ck_assert_uint_eq(t.told[i], 0);
		if (!hook_cases[_i].fail)
			ck_assert_uint_eq(t.told[i], runs);
		if (!skip_third(NULL, i) && !hook_cases[_i].fail)
			ck_assert_uint_eq(runs, 1);
	}
	ck_assert_uint_eq(workers_bytes_skipped(pool), skipped);
	if (!hook_cases[_i].fail)
		ck_assert_uint_eq(workers_bytes_done(pool), size - skipped);
	workers_free(pool);
	munmap(t.runs, 64 * sizeof *t.runs);
}
END_TEST

/* A worker that ended without a fault of its own: the fault names it,
 * its pid, and the signal or the exit status (fault.c). */
START_TEST(test_worker_ended)
{
	static const struct {
		int sig, status, err;
	} ends[] = {
		{ SIGKILL, 0, MCP_EKILLED },
		{ 0, 3, MCP_EEXIT },
	};
	struct mcp_fault f;
	int status;
	pid_t pid;

	for (size_t i = 0; i < ARRAY_LEN(ends); i++) {
		memset(&f, 0, sizeof f);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			if (ends[i].sig)
				raise(ends[i].sig);
			_exit(ends[i].status);
		}
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		fault_worker_ended(&f, 7, pid, status);
		ck_assert_int_eq(f.side, MCP_SIDE_DST);
		ck_assert_int_eq(f.err, ends[i].err);
		ck_assert_int_eq(f.aux, ends[i].sig ? ends[i].sig
						    : ends[i].status);
		ck_assert_uint_eq(f.worker, 7);
		ck_assert_int_eq(f.pid, pid);
	}
}
END_TEST

/* The parent's wait takes SIGCHLD with sigtimedwait, at its default. */
static void setup(void)
{
	ck_assert_int_eq(signals_init(), 0);
}

static Suite *workers_suite(void)
{
	Suite *s = suite_create("workers");
	TCase *tc = tcase_create("workers");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_run, 0, ARRAY_LEN(cases));
	tcase_add_loop_test(tc, test_tick, 0, 2);
	tcase_add_loop_test(tc, test_hooks, 0, ARRAY_LEN(hook_cases));
	tcase_add_test(tc, test_worker_ended);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(workers_suite());
}
