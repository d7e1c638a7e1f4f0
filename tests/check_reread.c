/*
 * check_reread.c - --verify of a copy made through read/write, on real
 * files under $TMPDIR: reread_compare finds the first differing byte
 * exactly (in the first and last byte, either side of a buffer), where
 * a shorter DEST ends, and where the copy ends in a longer one, and
 * names a SOURCE that shrank; reread_digest tells a DEST that matches
 * the checksum of what was read from one that does not, by a byte or by
 * its size; a checksum taken in pieces equals one taken at once; a read
 * error is a fault naming DEST.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "check_util.h"
#include "digest.h"
#include "reread.h"
#include "signals.h"
#include "stream.h"

#define BUF ((uint64_t)MCP_STREAM_BUF)
#define NONE UINT64_MAX

static const struct {
	uint64_t size;  /* bytes of SOURCE, and of the copy */
	uint64_t flip;  /* the byte of DEST turned wrong, or NONE */
	int64_t grow;   /* bytes DEST has more (or fewer) than SOURCE */
	uint64_t first; /* the expected first difference, or NONE */
} cases[] = {
	{ 0, NONE, 0, NONE },
	{ 1, NONE, 0, NONE },
	{ 3 * BUF + 5, NONE, 0, NONE },
	{ 3 * BUF + 5, 0, 0, 0 },
	{ 3 * BUF + 5, BUF - 1, 0, BUF - 1 }, /* last of a buffer */
	{ 3 * BUF + 5, BUF, 0, BUF },         /* first of the next */
	{ 3 * BUF + 5, 3 * BUF + 4, 0, 3 * BUF + 4 },
	{ 2 * BUF, NONE, -7, 2 * BUF - 7 },   /* DEST shorter */
	{ 2 * BUF, NONE, 1, 2 * BUF },        /* DEST longer */
	{ 2 * BUF, BUF + 9, -3, BUF + 9 },    /* the byte comes first */
	{ 0, NONE, 1, 0 },
};

static void fill(char *p, uint64_t n, unsigned seed)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;

	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (char)x;
	}
}

static int temp_file(void)
{
	char path[PATH_MAX];
	int fd = check_tmpfile(path, sizeof path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(unlink(path), 0);
	return fd;
}

/* A file holding n bytes of data. */
static int file_of(const char *data, uint64_t n)
{
	int fd = temp_file();

	if (n > 0)
		ck_assert_int_eq(pwrite(fd, data, n, 0), (ssize_t)n);
	return fd;
}

/* DEST for row i: SOURCE's bytes, one flipped, grown or cut. */
static int dest_for(int i, const char *data)
{
	uint64_t size = cases[i].size;
	int fd = file_of(data, size);

	if (cases[i].flip != NONE) {
		char c = (char)~data[cases[i].flip];

		ck_assert_int_eq(pwrite(fd, &c, 1, (off_t)cases[i].flip), 1);
	}
	ck_assert_int_eq(ftruncate(fd, (off_t)((int64_t)size +
					       cases[i].grow)), 0);
	return fd;
}

static char *data_for(int i)
{
	char *data = malloc(cases[i].size + 1);

	ck_assert_ptr_nonnull(data);
	fill(data, cases[i].size, (unsigned)i + 1);
	return data;
}

START_TEST(test_compare)
{
	char *data = data_for(_i);
	int src = file_of(data, cases[_i].size), dst = dest_for(_i, data);
	struct mcp_fault fault;
	uint64_t diff = NONE;
	int rc;

	memset(&fault, 0, sizeof fault);
	rc = reread_compare(src, dst, cases[_i].size, &diff, &fault);
	ck_assert_int_eq(fault.side, MCP_SIDE_NONE);
	ck_assert_int_eq(rc, cases[_i].first == NONE ? 0 : 1);
	if (rc == 1)
		ck_assert_uint_eq(diff, cases[_i].first);
	free(data);
	close(src);
	close(dst);
}
END_TEST

/* The checksum of everything in data, taken in uneven pieces. */
static struct mcp_digest_value sum_of(const char *data, uint64_t n)
{
	struct mcp_digest *d = digest_new();
	struct mcp_digest_value v;
	uint64_t off = 0, piece = 1;

	ck_assert_ptr_nonnull(d);
	while (off < n) {
		uint64_t len = n - off < piece ? n - off : piece;

		digest_add(d, data + off, (size_t)len);
		off += len;
		piece = piece * 3 + 1;
	}
	v = digest_value(d);
	digest_free(d);
	return v;
}

START_TEST(test_digest)
{
	char *data = data_for(_i);
	struct mcp_digest_value want = sum_of(data, cases[_i].size);
	int dst = dest_for(_i, data);
	struct mcp_fault fault;

	memset(&fault, 0, sizeof fault);
	ck_assert_int_eq(reread_digest(dst, cases[_i].size, &want, &fault),
			 cases[_i].first == NONE ? 0 : 1);
	ck_assert_int_eq(fault.side, MCP_SIDE_NONE);
	free(data);
	close(dst);
}
END_TEST

/* One checksum whatever the pieces; a different one for other bytes. */
START_TEST(test_digest_pieces)
{
	static char data[3 * 4096 + 7];
	struct mcp_digest *d = digest_new();
	struct mcp_digest_value whole, pieces, other;

	ck_assert_ptr_nonnull(d);
	fill(data, sizeof data, 5);
	digest_add(d, data, sizeof data);
	whole = digest_value(d);
	digest_free(d);
	pieces = sum_of(data, sizeof data);
	ck_assert(digest_equal(&whole, &pieces));
	data[4096] ^= 1;
	other = sum_of(data, sizeof data);
	ck_assert(!digest_equal(&whole, &other));
}
END_TEST

/* A SOURCE shorter than the copy is a fault naming it, not a
 * difference. */
START_TEST(test_source_shrank)
{
	char *data = data_for(2);
	int src = file_of(data, BUF + 10), dst = file_of(data, 3 * BUF + 5);
	struct mcp_fault fault;
	uint64_t diff = NONE;

	memset(&fault, 0, sizeof fault);
	ck_assert_int_eq(reread_compare(src, dst, 3 * BUF + 5, &diff, &fault),
			 -1);
	ck_assert_int_eq(fault.side, MCP_SIDE_SRC);
	ck_assert_int_eq(fault.err, MCP_ECHANGED);
	ck_assert_uint_eq(fault.offset, BUF + 10);
	free(data);
	close(src);
	close(dst);
}
END_TEST

/* DEST that cannot be read: a fault naming DEST and the read, for both
 * ways of verifying. */
START_TEST(test_read_error)
{
	char *data = data_for(2);
	int src = file_of(data, 4096), dst = file_of(data, 4096);
	struct mcp_digest_value want = sum_of(data, 4096);
	struct mcp_fault fault;
	uint64_t diff = NONE;
	char path[64];
	int wo;

	snprintf(path, sizeof path, "/proc/self/fd/%d", dst);
	wo = open(path, O_WRONLY);
	ck_assert_int_ge(wo, 0);
	memset(&fault, 0, sizeof fault);
	ck_assert_int_eq(reread_compare(src, wo, 4096, &diff, &fault), -1);
	ck_assert_int_eq(fault.side, MCP_SIDE_DST);
	ck_assert_int_eq(fault.err, EBADF);
	ck_assert_str_eq(fault.what, "read");
	memset(&fault, 0, sizeof fault);
	ck_assert_int_eq(reread_digest(wo, 4096, &want, &fault), -1);
	ck_assert_int_eq(fault.side, MCP_SIDE_DST);
	ck_assert_int_eq(fault.err, EBADF);
	free(data);
	close(wo);
	close(src);
	close(dst);
}
END_TEST

static void setup(void)
{
	ck_assert_int_eq(signals_init(), 0);
}

static Suite *reread_suite(void)
{
	Suite *s = suite_create("reread");
	TCase *tc = tcase_create("reread");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_compare, 0, ARRAY_LEN(cases));
	tcase_add_loop_test(tc, test_digest, 0, ARRAY_LEN(cases));
	tcase_add_test(tc, test_digest_pieces);
	tcase_add_test(tc, test_source_shrank);
	tcase_add_test(tc, test_read_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(reread_suite());
}
