/*
 * check_quote.c - file names in diagnostics: quoted as coreutils quotes
 * them (its shell-escape-always style), one line whatever they hold.
 */
#include <config.h>

#include <string.h>

#include "check_util.h"
#include "quote.h"

static const struct {
	const char *name, *quoted, *bare;
} names[] = {
	{ "a", "'a'", "a" },
	{ "", "''", "" },
	{ "a b", "'a b'", "a b" },
	{ "/srv/disk.img", "'/srv/disk.img'", "/srv/disk.img" },
	{ "it's", "\"it's\"", "it's" },
	{ "it's $HOME", "'it'\\''s $HOME'", "it's $HOME" },
	{ "a\nb", "'a'$'\\n''b'", "'a'$'\\n''b'" },
	{ "\n", "$'\\n'", "$'\\n'" },
	{ "a\n\tb", "'a'$'\\n\\t''b'", "'a'$'\\n\\t''b'" },
	{ "x\033[2J", "'x'$'\\033''[2J'", "'x'$'\\033''[2J'" },
	{ "del\177", "'del'$'\\177'", "'del'$'\\177'" },
	{ "'\n'", "\\'$'\\n'\\'", "\\'$'\\n'\\'" },
	{ "caf\xc3\xa9", "'caf\xc3\xa9'", "caf\xc3\xa9" },
};

START_TEST(test_quote)
{
	ck_assert_str_eq(quote(names[_i].name), names[_i].quoted);
	ck_assert_str_eq(quote_bare(names[_i].name), names[_i].bare);
}
END_TEST

/* Two quotes in one message: each keeps its own. */
START_TEST(test_two_slots)
{
	const char *a = quote("a"), *b = quote("b\n");

	ck_assert_str_eq(a, "'a'");
	ck_assert_str_eq(b, "'b'$'\\n'");
}
END_TEST

/* A name too long for the room is cut, and says so. */
START_TEST(test_cut)
{
	char buf[16];
	static char name[QUOTE_MAX * 2];

	quote_to(buf, sizeof buf, "abcdefghijklmnopqrstuvwxyz");
	ck_assert_str_eq(buf, "'abcdefghijk...");
	memset(name, '\n', sizeof name - 1);
	ck_assert_uint_eq(strlen(quote(name)), QUOTE_MAX - 1);
	ck_assert_str_eq(quote(name) + QUOTE_MAX - 4, "...");
	quote_to(buf, 4, "a");
	ck_assert_str_eq(buf, "");
}
END_TEST

static Suite *quote_suite(void)
{
	Suite *s = suite_create("quote");
	TCase *tc = tcase_create("quote");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_loop_test(tc, test_quote, 0, ARRAY_LEN(names));
	tcase_add_test(tc, test_two_slots);
	tcase_add_test(tc, test_cut);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(quote_suite());
}
