/*
 * check_journal.c - --resume's journal: encoding and decoding round
 * trip, and every kind of bad journal rejected (damaged, truncated,
 * extended, wrong version, not a journal at all); the SOURCE identity
 * check; and the file's life in a private directory (written, replaced,
 * read back, no temporary file left).
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_util.h"
#include "journal.h"

/* A journal of 21 chunks of 4096 bytes (the last one short), chunks 0,
 * 7, 8 and 20 done, encoded into *len bytes (malloc'd). */
static unsigned char *sample(struct mcp_journal *j, size_t *len)
{
	struct stat src, part;
	unsigned char *buf;

	memset(&src, 0, sizeof src);
	memset(&part, 0, sizeof part);
	src.st_dev = 42;
	src.st_ino = 4711;
	src.st_size = 20 * 4096 + 100;
	src.st_mtim.tv_sec = 1700000000;
	src.st_mtim.tv_nsec = 123456789;
	part.st_dev = 43;
	part.st_ino = 99;
	ck_assert_int_eq(journal_init(j, &src, 4096, &part, ".d.mcp-partial"),
			 0);
	ck_assert_uint_eq(j->n_chunks, 21);
	journal_mark(j, 0);
	journal_mark(j, 7);
	journal_mark(j, 8);
	journal_mark(j, 20);
	journal_mark(j, 21); /* past the end: ignored */
	*len = journal_size(j);
	buf = malloc(*len);
	ck_assert_ptr_nonnull(buf);
	journal_encode(j, buf);
	return buf;
}

START_TEST(test_round_trip)
{
	struct mcp_journal j, k;
	size_t len;
	unsigned char *buf = sample(&j, &len);

	ck_assert_int_eq(journal_decode(buf, len, &k), JOURNAL_OK);
	ck_assert_uint_eq(k.src_dev, 42);
	ck_assert_uint_eq(k.src_ino, 4711);
	ck_assert_uint_eq(k.src_size, 20 * 4096 + 100);
	ck_assert_int_eq(k.src_mtime_sec, 1700000000);
	ck_assert_uint_eq(k.src_mtime_nsec, 123456789);
	ck_assert_uint_eq(k.chunk_size, 4096);
	ck_assert_uint_eq(k.n_chunks, 21);
	ck_assert_uint_eq(k.part_dev, 43);
	ck_assert_uint_eq(k.part_ino, 99);
	ck_assert_str_eq(k.part_name, ".d.mcp-partial");
	ck_assert_uint_eq(journal_done_count(&k), 4);
	for (uint64_t i = 0; i < 22; i++)
		ck_assert_int_eq(journal_is_done(&k, i),
				 i == 0 || i == 7 || i == 8 || i == 20);
	journal_free(&k);
	journal_free(&j);
	free(buf);
}
END_TEST

/* Every single bit flipped anywhere is caught. */
START_TEST(test_every_bit_flip)
{
	struct mcp_journal j, k;
	size_t len;
	unsigned char *buf = sample(&j, &len);

	for (size_t i = 0; i < len * 8; i++) {
		int v;

		buf[i / 8] ^= (unsigned char)(1u << (i % 8));
		v = journal_decode(buf, len, &k);
		ck_assert_msg(v != JOURNAL_OK, "bit %zu flipped, accepted", i);
		buf[i / 8] ^= (unsigned char)(1u << (i % 8));
	}
	journal_free(&j);
	free(buf);
}
END_TEST

/* Every truncation is rejected; one of ours is called damaged (or
 * foreign when not even the magic is left). */
START_TEST(test_truncated)
{
	struct mcp_journal j, k;
	size_t len;
	unsigned char *buf = sample(&j, &len);

	for (size_t n = 0; n < len; n++) {
		int v = journal_decode(buf, n, &k);

		ck_assert_msg(v == (n == 0 ? JOURNAL_FOREIGN : JOURNAL_DAMAGED),
			      "cut to %zu: verdict %d", n, v);
	}
	journal_free(&j);
	free(buf);
}
END_TEST

START_TEST(test_extended)
{
	struct mcp_journal j, k;
	size_t len;
	unsigned char *buf = sample(&j, &len), *more = calloc(len + 9, 1);

	ck_assert_ptr_nonnull(more);
	memcpy(more, buf, len);
	for (size_t extra = 1; extra <= 9; extra++)
		ck_assert_int_eq(journal_decode(more, len + extra, &k),
				 JOURNAL_DAMAGED);
	journal_free(&j);
	free(more);
	free(buf);
}
END_TEST

START_TEST(test_other_version)
{
	struct mcp_journal j, k;
	size_t len;
	unsigned char *buf = sample(&j, &len);

	buf[8] = 2; /* version 2, of a format we do not know */
	ck_assert_int_eq(journal_decode(buf, len, &k), JOURNAL_VERSION);
	buf[8] = 0;
	ck_assert_int_eq(journal_decode(buf, len, &k), JOURNAL_VERSION);
	journal_free(&j);
	free(buf);
}
END_TEST

START_TEST(test_foreign)
{
	static const char text[] = "a file that only shares the name\n";
	struct mcp_journal k;

	ck_assert_int_eq(journal_decode((const unsigned char *)text,
					sizeof text - 1, &k),
			 JOURNAL_FOREIGN);
	ck_assert_int_eq(journal_decode((const unsigned char *)"m", 1, &k),
			 JOURNAL_DAMAGED); /* the start of our magic */
}
END_TEST

/* A journal whose checksum is right but whose fields no mcp writes:
 * re-encoded after the change, so only the field checks can catch it. */
START_TEST(test_bad_fields)
{
	struct mcp_journal j, k;
	size_t len;
	unsigned char *buf = sample(&j, &len);

	for (int c = 0; c < 5; c++) {
		struct mcp_journal bad = j;
		unsigned char done[3];

		memcpy(done, j.done, sizeof done);
		bad.done = done;
		if (c == 0)
			bad.n_chunks = 20; /* does not cover the size */
		else if (c == 1)
			bad.src_mtime_nsec = 1000000000;
		else if (c == 2)
			strcpy(bad.part_name, "a/b");
		else if (c == 3)
			strcpy(bad.part_name, "..");
		else
			done[2] |= 0x80; /* chunk 23 of 21 */
		journal_encode(&bad, buf);
		ck_assert_msg(journal_decode(buf, journal_size(&bad), &k) ==
				      JOURNAL_DAMAGED,
			      "case %d accepted", c);
	}
	journal_free(&j);
	free(buf);
}
END_TEST

START_TEST(test_same_source)
{
	struct mcp_journal j;
	struct stat st;
	size_t len;
	unsigned char *buf = sample(&j, &len);

	memset(&st, 0, sizeof st);
	st.st_dev = 42;
	st.st_ino = 4711;
	st.st_size = 20 * 4096 + 100;
	st.st_mtim.tv_sec = 1700000000;
	st.st_mtim.tv_nsec = 123456789;
	ck_assert(journal_same_source(&j, &st));
	st.st_mtim.tv_nsec++; /* touched, a nanosecond later */
	ck_assert(!journal_same_source(&j, &st));
	st.st_mtim.tv_nsec--;
	st.st_size++;
	ck_assert(!journal_same_source(&j, &st));
	st.st_size--;
	st.st_ino++; /* replaced by another file */
	ck_assert(!journal_same_source(&j, &st));
	st.st_ino--;
	st.st_dev++;
	ck_assert(!journal_same_source(&j, &st));
	journal_free(&j);
	free(buf);
}
END_TEST

START_TEST(test_too_many_chunks)
{
	struct mcp_journal j;
	struct stat src, part;

	memset(&src, 0, sizeof src);
	memset(&part, 0, sizeof part);
	src.st_size = (off_t)(MCP_JOURNAL_MAX_CHUNKS * 4096 + 1);
	ck_assert_int_eq(journal_init(&j, &src, 4096, &part, "p"), -1);
	ck_assert_int_eq(errno, EINVAL);
	src.st_size = (off_t)(MCP_JOURNAL_MAX_CHUNKS * 4096);
	ck_assert_int_eq(journal_init(&j, &src, 4096, &part, "p"), 0);
	journal_free(&j);
}
END_TEST

/* Entries in dir other than . and .. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

START_TEST(test_file)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	struct mcp_journal j, k;
	size_t len;
	unsigned char *buf = sample(&j, &len);
	int dfd, fd;

	snprintf(dir, sizeof dir, "%s/mcp-journal-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(dfd, 0);
	ck_assert_int_eq(journal_read(dfd, "j", &k), JOURNAL_NONE);
	ck_assert_int_eq(journal_write(dfd, "j", &j), 0);
	journal_mark(&j, 3);
	ck_assert_int_eq(journal_write(dfd, "j", &j), 0); /* replaced */
	ck_assert_int_eq(count_entries(dir), 1);
	ck_assert_int_eq(journal_read(dfd, "j", &k), JOURNAL_OK);
	ck_assert_uint_eq(journal_done_count(&k), 5);
	journal_free(&k);
	/* Cut short on the disk: damaged. */
	fd = openat(dfd, "j", O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)len - 1), 0);
	close(fd);
	ck_assert_int_eq(journal_read(dfd, "j", &k), JOURNAL_DAMAGED);
	/* A symbolic link or a directory of that name is no journal. */
	ck_assert_int_eq(unlinkat(dfd, "j", 0), 0);
	ck_assert_int_eq(symlinkat("elsewhere", dfd, "j"), 0);
	ck_assert_int_eq(journal_read(dfd, "j", &k), JOURNAL_FOREIGN);
	ck_assert_int_eq(unlinkat(dfd, "j", 0), 0);
	ck_assert_int_eq(mkdirat(dfd, "j", 0700), 0);
	ck_assert_int_eq(journal_read(dfd, "j", &k), JOURNAL_FOREIGN);
	ck_assert_int_eq(unlinkat(dfd, "j", AT_REMOVEDIR), 0);
	close(dfd);
	ck_assert_int_eq(rmdir(dir), 0);
	journal_free(&j);
	free(buf);
}
END_TEST

static Suite *journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_every_bit_flip);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_extended);
	tcase_add_test(tc, test_other_version);
	tcase_add_test(tc, test_foreign);
	tcase_add_test(tc, test_bad_fields);
	tcase_add_test(tc, test_same_source);
	tcase_add_test(tc, test_too_many_chunks);
	tcase_add_test(tc, test_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(journal_suite());
}
