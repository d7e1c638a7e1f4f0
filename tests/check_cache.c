/*
 * check_cache.c - cache.c on a real file under $TMPDIR: a probe records
 * what is cached, and cache_release drops, by mode, exactly the pages a
 * record says were not, whole runs at a time.  Skips (passes without
 * checking) where the file's pages cannot be dropped (tmpfs).
 */
#include <config.h>

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cache.h"
#include "check_util.h"

#define PAGES 64

static long page;

/* Which of the file's PAGES pages are cached: one letter each, c or -. */
static void cached(int fd, char *out)
{
	unsigned char vec[PAGES];
	void *p = mmap(NULL, PAGES * (size_t)page, PROT_READ, MAP_SHARED, fd,
		       0);

	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_int_eq(mincore(p, PAGES * (size_t)page, vec), 0);
	ck_assert_int_eq(munmap(p, PAGES * (size_t)page), 0);
	for (int i = 0; i < PAGES; i++)
		out[i] = vec[i] & 1 ? 'c' : '-';
	out[PAGES] = '\0';
}

/* A file of PAGES pages, written back and all of it cached, or -1 when
 * its pages cannot be dropped here. */
static int cached_file(void)
{
	static char buf[PAGES * 65536];
	char path[4096], now[PAGES + 1];
	int fd = check_tmpfile(path, sizeof path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(unlink(path), 0);
	memset(buf, 0x5a, sizeof buf);
	ck_assert_int_eq(write(fd, buf, PAGES * (size_t)page),
			 (ssize_t)(PAGES * page));
	ck_assert_int_eq(fsync(fd), 0);
	cache_drop(fd, 0, 0);
	cached(fd, now);
	if (strchr(now, 'c')) { /* tmpfs: nothing to drop */
		close(fd);
		return -1;
	}
	ck_assert_int_eq(pread(fd, buf, PAGES * (size_t)page, 0),
			 (ssize_t)(PAGES * page));
	return fd;
}

/* The record: pages marked '-' in `was` were not cached.  Released over
 * [from, to) pages with `mode`, the file must show `want`. */
static const struct {
	const char *was;
	int mode;
	int from, to;
	const char *want;
} cases[] = {
	{ "cc----cccc--cc-c" "cccccccccccccccc" "cccccccccccccccc"
	  "cccccccccccccccc",
	  MCP_CACHE_AUTO, 0, 16,
	  "cc----cccc--cc-c" "cccccccccccccccc" "cccccccccccccccc"
	  "cccccccccccccccc" },
	{ "----------------" "----------------" "----------------"
	  "----------------",
	  MCP_CACHE_AUTO, 8, 40,
	  "cccccccc--------" "----------------" "--------cccccccc"
	  "cccccccccccccccc" },
	{ "----------------" "----------------" "----------------"
	  "----------------",
	  MCP_CACHE_KEEP, 0, 64,
	  "cccccccccccccccc" "cccccccccccccccc" "cccccccccccccccc"
	  "cccccccccccccccc" },
	{ "cccccccccccccccc" "cccccccccccccccc" "cccccccccccccccc"
	  "cccccccccccccccc",
	  MCP_CACHE_DROP, 16, 32,
	  "cccccccccccccccc" "----------------" "cccccccccccccccc"
	  "cccccccccccccccc" },
	{ "cccccccccccccccc" "cccccccccccccccc" "cccccccccccccccc"
	  "cccccccccccccccc",
	  MCP_CACHE_AUTO, 0, 64,
	  "cccccccccccccccc" "cccccccccccccccc" "cccccccccccccccc"
	  "cccccccccccccccc" },
};

START_TEST(test_release)
{
	static struct mcp_resident r;
	char now[PAGES + 1];
	int fd = cached_file();

	if (fd < 0)
		return;
	r.fd = fd;
	r.off = 0;
	r.len = PAGES * (uint64_t)page;
	for (int i = 0; i < PAGES; i++)
		r.vec[i] = cases[_i].was[i] == 'c';
	cache_release(&r, fd, cases[_i].mode,
		      (uint64_t)cases[_i].from * (uint64_t)page,
		      (uint64_t)(cases[_i].to - cases[_i].from) *
			      (uint64_t)page,
		      page);
	cached(fd, now);
	ck_assert_str_eq(now, cases[_i].want);
	close(fd);
}
END_TEST

/* A probe sees what is cached; a range it did not record, or another
 * file, is not covered (auto then keeps everything). */
START_TEST(test_probe)
{
	static struct mcp_resident r;
	char now[PAGES + 1];
	int fd = cached_file();

	if (fd < 0)
		return;
	cache_drop(fd, 0, 8 * (uint64_t)page);
	cache_probe(&r, fd, 0, PAGES * (uint64_t)page, page);
	for (int i = 0; i < PAGES; i++)
		ck_assert_int_eq(r.vec[i] & 1, i >= 8);
	ck_assert(cache_covers(&r, fd, page, 4 * (uint64_t)page));
	ck_assert(!cache_covers(&r, fd, 60 * (uint64_t)page,
				8 * (uint64_t)page));
	ck_assert(!cache_covers(&r, fd + 1, 0, (uint64_t)page));
	cache_release(&r, fd, MCP_CACHE_AUTO, 60 * (uint64_t)page,
		      8 * (uint64_t)page, page);
	cached(fd, now);
	ck_assert_str_eq(now, "--------cccccccc" "cccccccccccccccc"
			      "cccccccccccccccc" "cccccccccccccccc");
	close(fd);
}
END_TEST

static Suite *cache_suite(void)
{
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("core");

	page = sysconf(_SC_PAGESIZE);
	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_loop_test(tc, test_release, 0, ARRAY_LEN(cases));
	tcase_add_test(tc, test_probe);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(cache_suite());
}
