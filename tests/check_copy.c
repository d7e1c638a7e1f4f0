/*
 * check_copy.c - copy_chunk() between real files under $TMPDIR: every
 * chunk of a plan, with windows smaller than the chunk, with and without
 * sync; then the ways one chunk ends early: a stop request, a SOURCE that
 * shrank after planning (SIGBUS, caught), files that cannot be mapped;
 * and copy_files with its hooks, chunks told done and chunks skipped.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "check_util.h"
#include "copy.h"
#include "plan.h"
#include "signals.h"
#include "window.h"

#define MIB (1ULL << 20)

/* SOURCE, full of pseudo-random bytes, and DEST of the same size, both
 * unlinked at once so that a failed test leaves nothing behind.  src_wo
 * and dst_ro are second descriptors that cannot be mapped as needed. */
struct pair {
	int src_fd, dst_fd, dst_ro, src_wo;
	unsigned char *data;
	uint64_t size;
};

static long page;

static void fill(unsigned char *p, uint64_t n, uint64_t seed)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;

	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (unsigned char)x;
	}
}

static int temp_file(int *second, int flags)
{
	char path[PATH_MAX];
	int fd = check_tmpfile(path, sizeof path);

	ck_assert_int_ge(fd, 0);
	*second = open(path, flags);
	ck_assert_int_ge(*second, 0);
	ck_assert_int_eq(unlink(path), 0);
	return fd;
}

static void pair_open(struct pair *f, uint64_t size, uint64_t seed)
{
	f->size = size;
	f->data = malloc(size);
	ck_assert_ptr_nonnull(f->data);
	fill(f->data, size, seed);
	f->src_fd = temp_file(&f->src_wo, O_WRONLY);
	f->dst_fd = temp_file(&f->dst_ro, O_RDONLY);
	ck_assert_int_eq(pwrite(f->src_fd, f->data, size, 0), (ssize_t)size);
	ck_assert_int_eq(ftruncate(f->dst_fd, (off_t)size), 0);
}

static void pair_close(struct pair *f)
{
	close(f->src_fd);
	close(f->src_wo);
	close(f->dst_fd);
	close(f->dst_ro);
	free(f->data);
}

/* DEST holds exactly SOURCE's bytes. */
static void check_dest(const struct pair *f)
{
	unsigned char *got = malloc(f->size + 1);
	struct stat st;

	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(fstat(f->dst_fd, &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, f->size);
	ck_assert_int_eq(pread(f->dst_fd, got, f->size + 1, 0),
			 (ssize_t)f->size);
	ck_assert_msg(memcmp(got, f->data, f->size) == 0, "DEST differs");
	free(got);
}

/* A pool that lends a copy run by hand its slot and its shared state:
 * the test is the worker. */
struct rig {
	struct workers_pool *pool;
	struct workers_slot *slot;
};

static void rig_open(struct rig *r, const struct mcp_plan *plan,
		     struct mcp_copy_ctx *ctx)
{
	static const struct workers_task none = { NULL, NULL, NULL, { 0 } };

	r->pool = workers_new(plan, &none);
	ck_assert_ptr_nonnull(r->pool);
	ck_assert_int_eq(copy_attach(ctx, r->pool), 0);
	r->slot = workers_slot(r->pool, 0);
}

/* The plan for f, with its window cut to `window` (0: as planned),
 * rounded up to a page so that every window starts on one. */
static void make_plan(const struct pair *f, uint64_t chunk, uint64_t window,
		      struct mcp_plan *plan)
{
	ck_assert_int_eq(plan_make(f->size, page, 1, chunk, plan), 0);
	window = (window + (uint64_t)page - 1) / (uint64_t)page;
	window *= (uint64_t)page;
	if (window && window < plan->window)
		plan->window = window;
}

/* A chunk copied with sync_file_range is not finished until its last
 * window's write-back is waited for: by the next chunk or the drain. */
static void check_closing(const struct mcp_copy_ctx *ctx, bool sync,
			  uint64_t index)
{
#ifdef HAVE_SYNC_FILE_RANGE
	if (!sync || ctx->sync_method != MCP_SYNC_RANGE)
		return;
	ck_assert(ctx->lanes[0].closing);
	ck_assert_uint_eq(ctx->lanes[0].closes.index, index);
#else
	(void)ctx, (void)sync, (void)index;
#endif
}

static const struct {
	uint64_t size, chunk, window;
} copy_cases[] = {
	{ 1, 0, 0 },
	{ 4095, 0, 0 },
	{ 4096, 0, 0 },
	{ 4097, 4096, 0 },
	{ 3 * MIB + 5, 0, 0 },
	{ 3 * MIB + 5, MIB, 8192 },
	{ 3 * MIB + 5, 40960, 8192 },
	{ 3 * MIB + 5, 12288, 8192 }, /* a short window ends each chunk */
};

/* Every chunk, in order with sync and in reverse order without: chunks
 * are independent of each other.  Each --sparse mode: a dense SOURCE
 * copies the same way through all of them. */
START_TEST(test_copy)
{
	for (int run = 0; run < 6; run++) {
		int sync = run % 2, sparse = run / 2;
		struct mcp_chunk chunk;
		struct mcp_plan plan;
		struct pair f;
		struct rig r;
		uint64_t bytes;

		pair_open(&f, copy_cases[_i].size, (uint64_t)_i);
		make_plan(&f, copy_cases[_i].chunk, copy_cases[_i].window,
			  &plan);
		/* Every --cache mode and --sync-method in turn: the bytes
		 * must not depend on them. */
		struct mcp_copy_ctx ctx = { f.src_fd, f.dst_fd, &plan,
					    sync,     sparse,   (_i + run) % 3,
					    (_i + run / 3) % 2, NULL };
		rig_open(&r, &plan, &ctx);
		for (uint64_t i = 0; i < plan.n_chunks; i++) {
			uint64_t at = sync ? i : plan.n_chunks - 1 - i;
			struct mcp_chunk next;
			bool have_next;

			ck_assert(plan_chunk(&plan, at, &chunk));
			/* The chunk a worker took next, read ahead. */
			have_next = plan_chunk(&plan, at + 1, &next) && sync;
			ck_assert_int_eq(copy_chunk(&ctx, &chunk,
						    have_next ? &next : NULL,
						    r.slot),
					 WORKERS_DONE);
			check_closing(&ctx, sync, at);
		}
		/* Copied windows are counted, or pending until the drain. */
		bytes = workers_bytes_done(r.pool);
		ck_assert_uint_eq(bytes + ctx.lanes[0].pending.length, f.size);
		ck_assert_int_eq(copy_drain(&ctx, r.slot), WORKERS_DONE);
		ck_assert_uint_eq(ctx.lanes[0].pending.length, 0);
		ck_assert(!ctx.lanes[0].closing);
		bytes = workers_bytes_done(r.pool);
		ck_assert_uint_eq(bytes, f.size);
		ck_assert_int_eq(workers_slot_fault(r.slot)->side,
				 MCP_SIDE_NONE);
		ck_assert_uint_eq(copy_holes(&ctx, 1), 0);
		check_dest(&f);
		pair_close(&f);
		workers_free(r.pool);
	}
}
END_TEST

enum fault_kind {
	STOP,	      /* the stop flag is already up */
	SHRINK,	      /* SOURCE cut to two windows and 100 bytes */
	SHRINK_TWICE, /* the same, after one SIGBUS already caught */
	DST_CUT,      /* DEST cut to nothing */
	DST_RDONLY,   /* DEST opened O_RDONLY */
	SRC_WRONLY,   /* SOURCE opened O_WRONLY */
};

/* A 3 MiB+5 file in 1 MiB chunks, copied with two-page windows.
 * windows: how many windows finish before the fault, which is reported
 * at the start of the next one. */
static const struct {
	enum fault_kind kind;
	uint64_t index;
	int result, side, err;
	const char *what;
	uint64_t windows;
} fault_cases[] = {
	{ STOP, 1, WORKERS_STOPPED, MCP_SIDE_NONE, 0, NULL, 0 },
	{ SHRINK, 0, WORKERS_FAILED, MCP_SIDE_SRC, MCP_ECHANGED, NULL, 1 },
	{ SHRINK, 1, WORKERS_FAILED, MCP_SIDE_SRC, MCP_ECHANGED, NULL, 0 },
	{ SHRINK_TWICE, 2, WORKERS_FAILED, MCP_SIDE_SRC, MCP_ECHANGED, NULL,
	  0 },
	{ DST_CUT, 1, WORKERS_FAILED, MCP_SIDE_DST, MCP_ECHANGED, NULL, 0 },
	{ DST_RDONLY, 1, WORKERS_FAILED, MCP_SIDE_DST, EACCES, "mmap", 0 },
	{ SRC_WRONLY, 1, WORKERS_FAILED, MCP_SIDE_SRC, EACCES, "mmap", 0 },
};

/* Spoil the files as the row says, after planning. */
static void spoil(enum fault_kind kind, struct pair *f,
		  struct mcp_copy_ctx *ctx, struct rig *r)
{
	struct mcp_copy_ctx other = *ctx;
	struct mcp_chunk first;
	struct rig scratch;

	switch (kind) {
	case STOP: workers_stop(r->pool); break;
	case SHRINK:
	case SHRINK_TWICE:
		ck_assert_int_eq(ftruncate(f->src_fd, ctx->plan->window + 100),
				 0);
		break;
	case DST_CUT: ck_assert_int_eq(ftruncate(f->dst_fd, 0), 0); break;
	case DST_RDONLY: ctx->dst_fd = f->dst_ro; break;
	case SRC_WRONLY: ctx->src_fd = f->src_wo; break;
	}
	if (kind != SHRINK_TWICE)
		return;
	rig_open(&scratch, ctx->plan, &other);
	ck_assert(plan_chunk(ctx->plan, 0, &first));
	ck_assert_int_eq(copy_chunk(&other, &first, NULL, scratch.slot),
			 WORKERS_FAILED);
	workers_free(scratch.pool);
}

START_TEST(test_fault)
{
	struct mcp_chunk chunk;
	struct mcp_plan plan;
	struct mcp_fault *fault;
	struct pair f;
	struct rig r;
	uint64_t done, bytes;

	pair_open(&f, 3 * MIB + 5, 7);
	make_plan(&f, MIB, 2 * (uint64_t)page, &plan);
	struct mcp_copy_ctx ctx = { f.src_fd,	    f.dst_fd,
				    &plan,	    true,
				    MCP_SPARSE_AUTO, MCP_CACHE_AUTO,
				    MCP_SYNC_RANGE,  NULL };
	rig_open(&r, &plan, &ctx);
	spoil(fault_cases[_i].kind, &f, &ctx, &r);
	ck_assert(plan_chunk(&plan, fault_cases[_i].index, &chunk));
	ck_assert_int_eq(copy_chunk(&ctx, &chunk, NULL, r.slot),
			 fault_cases[_i].result);
	done = fault_cases[_i].windows * plan.window;
	bytes = workers_bytes_done(r.pool);
	ck_assert_uint_eq(bytes + ctx.lanes[0].pending.length, done);
	fault = workers_slot_fault(r.slot);
	ck_assert_int_eq(fault->side, fault_cases[_i].side);
	ck_assert_int_eq(fault->err, fault_cases[_i].err);
	if (fault_cases[_i].what)
		ck_assert_str_eq(fault->what, fault_cases[_i].what);
	else
		ck_assert_ptr_null(fault->what);
	if (fault_cases[_i].side != MCP_SIDE_NONE)
		ck_assert_uint_eq(fault->offset, chunk.offset + done);
	pair_close(&f);
	workers_free(r.pool);
}
END_TEST

/* window_split: only an ENOMEM of a window longer than a page is cut,
 * into a first half of whole pages, and the fault is then forgotten. */
static const struct {
	uint64_t len;
	int err;
	bool split;
	uint64_t first; /* in pages, or bytes when len is not a page multiple */
} split_cases[] = {
	{ 1, ENOMEM, false, 0 },
	{ 4096, ENOMEM, false, 0 },
	{ 8192, ENOMEM, true, 4096 },
	{ 12288, ENOMEM, true, 8192 },
	{ 4097, ENOMEM, true, 4096 },
	{ 64 * MIB, ENOMEM, true, 32 * MIB },
	{ 64 * MIB, EACCES, false, 0 },
	{ 64 * MIB, ENODEV, false, 0 },
};

START_TEST(test_split)
{
	struct mcp_window w = { -1, -1, 0, split_cases[_i].len, NULL, NULL };
	struct mcp_fault f = { MCP_SIDE_DST, split_cases[_i].err, "mmap", 0,
			       0, 0, 0 };
	uint64_t first = 0;

	ck_assert(window_split(&w, 4096, &f, &first) == split_cases[_i].split);
	if (!split_cases[_i].split) {
		ck_assert_int_eq(f.err, split_cases[_i].err);
		return;
	}
	ck_assert_uint_eq(first, split_cases[_i].first);
	ck_assert_int_eq(f.side, MCP_SIDE_NONE);
	ck_assert_int_eq(f.err, 0);
}
END_TEST

/* Under an address-space limit that leaves room for a few MiB, a chunk
 * whose 8 MiB window cannot be mapped is copied in smaller pieces, and
 * copied right.  (Check forks each test, so the limit dies with it.) */
START_TEST(test_tight_address_space)
{
#if defined(__SANITIZE_ADDRESS__)
	return; /* ASan's shadow memory needs terabytes of address space */
#else
	struct mcp_chunk chunk;
	struct mcp_plan plan;
	struct rlimit lim;
	struct pair f;
	struct rig r;
	unsigned long vm_pages = 0;
	FILE *statm;

	pair_open(&f, 8 * MIB + 5, 11);
	make_plan(&f, 16 * MIB, 0, &plan);
	ck_assert_uint_ge(plan.window, 8 * MIB);
	statm = fopen("/proc/self/statm", "r");
	ck_assert_ptr_nonnull(statm);
	ck_assert_int_eq(fscanf(statm, "%lu", &vm_pages), 1);
	fclose(statm);
	ck_assert_int_eq(getrlimit(RLIMIT_AS, &lim), 0);
	lim.rlim_cur = vm_pages * (rlim_t)page + 6 * MIB;
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &lim), 0);
	struct mcp_copy_ctx ctx = { f.src_fd,	     f.dst_fd,
				    &plan,	     true,
				    MCP_SPARSE_NEVER, MCP_CACHE_AUTO,
				    MCP_SYNC_RANGE,   NULL };
	rig_open(&r, &plan, &ctx);
	ck_assert(plan_chunk(&plan, 0, &chunk));
	ck_assert_int_eq(copy_chunk(&ctx, &chunk, NULL, r.slot), WORKERS_DONE);
	ck_assert_int_eq(copy_drain(&ctx, r.slot), WORKERS_DONE);
	ck_assert_int_eq(workers_slot_fault(r.slot)->side, MCP_SIDE_NONE);
	ck_assert_uint_eq(workers_bytes_done(r.pool), f.size);
	lim.rlim_cur = lim.rlim_max; /* room again to read DEST back */
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &lim), 0);
	check_dest(&f);
	pair_close(&f);
	workers_free(r.pool);
#endif
}
END_TEST

/* What copy_files told its hooks, in the parent. */
struct seen {
	unsigned told[16];
	pid_t parent;
	bool elsewhere;
};

static bool skip_odd(void *arg, uint64_t index)
{
	(void)arg;
	return index % 2 == 1;
}

static void note_done(void *arg, const struct mcp_chunk *c)
{
	struct seen *s = arg;

	if (getpid() != s->parent || c->index >= 16)
		s->elsewhere = true;
	else
		s->told[c->index]++;
}

/*
 * copy_files across three workers, with sync (the last window of a
 * chunk is waited for by the next chunk or the drain) and without: every
 * chunk but the skipped ones is copied and told done once, in the
 * parent; the skipped ones are never written (DEST reads zeros there)
 * and their bytes are counted apart from the bytes copied.
 */
START_TEST(test_files)
{
	struct seen seen = { { 0 }, getpid(), false };
	struct workers_hooks hooks = { .chunk_done = note_done,
				       .done_arg = &seen,
				       .skip = skip_odd };
	unsigned char *got;
	struct copy_outcome out;
	struct mcp_chunk c;
	struct mcp_plan plan;
	struct pair f;
	uint64_t skipped = 0;

	pair_open(&f, 3 * MIB + 5, 13);
	ck_assert_int_eq(plan_make(f.size, page, 3, 256 * 1024, &plan), 0);
	ck_assert_uint_le(plan.n_chunks, 16);
	plan.window = 8 * (uint64_t)page;
	struct mcp_copy_ctx ctx = { f.src_fd,	    f.dst_fd,
				    &plan,	    _i == 0,
				    MCP_SPARSE_AUTO, MCP_CACHE_AUTO,
				    MCP_SYNC_RANGE,  NULL };
	ck_assert_int_eq(copy_files(&ctx, &hooks, &out), WORKERS_DONE);
	ck_assert(!seen.elsewhere);
	got = malloc(f.size);
	ck_assert_ptr_nonnull(got);
	ck_assert_int_eq(pread(f.dst_fd, got, f.size, 0), (ssize_t)f.size);
	for (uint64_t i = 0; plan_chunk(&plan, i, &c); i++) {
		if (skip_odd(NULL, i)) {
			skipped += c.length;
			ck_assert_uint_eq(seen.told[i], 0);
			for (uint64_t b = 0; b < c.length; b++)
				ck_assert_uint_eq(got[c.offset + b], 0);
			continue;
		}
		ck_assert_uint_eq(seen.told[i], 1);
		ck_assert(memcmp(got + c.offset, f.data + c.offset,
				 c.length) == 0);
	}
	ck_assert_uint_eq(out.skipped, skipped);
	ck_assert_uint_eq(out.bytes, f.size - skipped);
	ck_assert_uint_eq(out.holes, 0);
	free(got);
	pair_close(&f);
}
END_TEST

static void setup(void)
{
	page = sysconf(_SC_PAGESIZE);
	ck_assert_int_eq(window_install_sigbus(), 0);
	ck_assert_int_eq(signals_init(), 0); /* copy_files waits with them */
}

static Suite *copy_suite(void)
{
	Suite *s = suite_create("copy");
	TCase *tc = tcase_create("copy");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_copy, 0, ARRAY_LEN(copy_cases));
	tcase_add_loop_test(tc, test_fault, 0, ARRAY_LEN(fault_cases));
	tcase_add_loop_test(tc, test_split, 0, ARRAY_LEN(split_cases));
	tcase_add_test(tc, test_tight_address_space);
	tcase_add_loop_test(tc, test_files, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(copy_suite());
}
