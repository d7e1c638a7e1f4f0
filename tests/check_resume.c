/*
 * check_resume.c - --resume's pure parts: the partial file's and the
 * journal's names for a DEST name (cut and hashed to fit NAME_MAX, two
 * long names alike in their start kept apart), and the sizes of the
 * "copy interrupted" message.
 */
#include <config.h>

#include <limits.h>
#include <string.h>

#include "check_util.h"
#include "resume.h"

START_TEST(test_names)
{
	char p[NAME_MAX + 1], j[NAME_MAX + 1];

	ck_assert_int_eq(resume_names("disk.img", p, j, sizeof p), 0);
	ck_assert_str_eq(p, ".disk.img.mcp-partial");
	ck_assert_str_eq(j, ".disk.img.mcp-journal");
	ck_assert_int_eq(resume_names(".hidden", p, j, sizeof p), 0);
	ck_assert_str_eq(p, "..hidden.mcp-partial");
	/* No room at all. */
	ck_assert_int_eq(resume_names("x", p, j, 10), -1);
	ck_assert_int_eq(resume_names("x", p, j, 0), -1);
}
END_TEST

/* The longest names: cut, hashed, and room left for the journal's
 * ".new" (journal.c). */
START_TEST(test_long_names)
{
	char a[NAME_MAX + 1], b[NAME_MAX + 1];
	char pa[NAME_MAX + 1], ja[NAME_MAX + 1], pb[NAME_MAX + 1],
		jb[NAME_MAX + 1];

	memset(a, 'a', NAME_MAX);
	a[NAME_MAX] = '\0';
	memcpy(b, a, sizeof b);
	b[NAME_MAX - 1] = 'b'; /* differs only in its last byte */
	ck_assert_int_eq(resume_names(a, pa, ja, sizeof pa), 0);
	ck_assert_int_eq(resume_names(b, pb, jb, sizeof pb), 0);
	ck_assert_uint_le(strlen(pa) + 4, NAME_MAX);
	ck_assert_uint_le(strlen(ja) + 4, NAME_MAX);
	ck_assert_str_ne(pa, pb);
	ck_assert_str_ne(ja, jb);
	ck_assert_ptr_nonnull(strstr(pa, ".mcp-partial"));
	ck_assert_ptr_nonnull(strstr(ja, ".mcp-journal"));
	ck_assert_ptr_nonnull(strchr(pa, '~'));
	/* The longest name that needs no cut is kept whole. */
	a[NAME_MAX - 17] = '\0';
	ck_assert_int_eq(resume_names(a, pa, ja, sizeof pa), 0);
	ck_assert_ptr_null(strchr(pa, '~'));
	ck_assert_uint_eq(strlen(pa), NAME_MAX - 4);
}
END_TEST

static const struct {
	uint64_t n;
	const char *want;
} sizes[] = {
	{ 0, "0 bytes" },
	{ 1023, "1023 bytes" },
	{ 1024, "1.0 KiB" },
	{ 1535, "1.4 KiB" }, /* rounded down */
	{ 33554432, "32.0 MiB" },
	{ 33554431, "31.9 MiB" }, /* never "32.0" short of it */
	{ 65712999629ULL, "61.2 GiB" },
	{ 65712999628ULL, "61.1 GiB" },
	{ 73014444032ULL, "68.0 GiB" },
	{ 2ULL << 40, "2.0 TiB" },
	{ UINT64_MAX, "15.9 EiB" },
};

START_TEST(test_size_text)
{
	char buf[32];

	resume_size_text(buf, sizeof buf, sizes[_i].n);
	ck_assert_str_eq(buf, sizes[_i].want);
}
END_TEST

static Suite *resume_suite(void)
{
	Suite *s = suite_create("resume");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_long_names);
	tcase_add_loop_test(tc, test_size_text, 0, ARRAY_LEN(sizes));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(resume_suite());
}
