/*
 * check_report.c - strings in the JSON report.  Whatever bytes a file
 * name holds, the output must be one valid JSON string: quotes,
 * backslashes and control characters escaped, valid UTF-8 kept, and
 * each byte of invalid UTF-8 replaced by U+FFFD.
 */
#include <config.h>

#include <string.h>

#include "check_util.h"
#include "report.h"

static const struct {
	const char *in, *out;
} strings[] = {
	{ "", "\"\"" },
	{ "big.img", "\"big.img\"" },
	{ "a\"b\\c/d", "\"a\\\"b\\\\c/d\"" },
	{ "\n\t\r", "\"\\n\\t\\r\"" },
	{ "\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"" },
	{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },                 /* U+00E9 */
	{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },               /* U+20AC */
	{ "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },       /* U+1F600 */
	{ "\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"" },       /* U+10FFFF */
	{ "\xff", "\"\\ufffd\"" },                            /* never */
	{ "a\xc3", "\"a\\ufffd\"" },                          /* cut short */
	{ "\xc3(", "\"\\ufffd(\"" },                          /* bad follower */
	{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },                 /* overlong / */
	{ "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" },      /* overlong */
	{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },      /* surrogate */
	/* past U+10FFFF */
	{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
	{ "\x80x", "\"\\ufffdx\"" },                          /* lone follower */
};

START_TEST(test_json_string)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	ck_assert_ptr_nonnull(f);
	report_json_string(f, strings[_i].in);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(buf, strings[_i].out);
	free(buf);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("json");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_loop_test(tc, test_json_string, 0, ARRAY_LEN(strings));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(report_suite());
}
