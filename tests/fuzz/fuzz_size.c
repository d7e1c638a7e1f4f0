/*
 * fuzz_size.c - libFuzzer target for the strict argument parsers in
 * options.c: options_parse_size, options_parse_jobs and
 * options_parse_sparse.  The input, cut at its first NUL, is the text of
 * the argument.  Each parser is checked against a model written here
 * from its documented grammar, independently of the code under test:
 *
 *   size:   one or more decimal digits, then nothing or a suffix: one
 *           of K M G T P E in either case, alone or followed by "iB"
 *           (powers of 1024), or followed by "B" (powers of 1000), as
 *           dd reads them; the value must fit in uint64_t (computed
 *           here in unsigned __int128).
 *   jobs:   one or more decimal digits and nothing else, value
 *           1..MCP_JOBS_MAX; leading zeros are fine ("0001024").
 *   sparse: exactly "auto", "always" or "never".
 *
 * Any disagreement prints the input and aborts.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"
#include "options.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef unsigned __int128 u128;

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_size: %s: input \"", what);
	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fputs("\"\n", stderr);
	abort();
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The model of options_parse_size: 0 and *value, or -1. */
static int model_size(const char *text, uint64_t *value)
{
	const u128 limit = (u128)UINT64_MAX;
	u128 v = 0, scale = 1;
	const char *p = text;
	int shift;

	if (!is_digit(*p))
		return -1;
	for (; is_digit(*p); p++) {
		v = v * 10 + (u128)(*p - '0');
		if (v > limit)
			return -1; /* and stays over: digits only grow it */
	}
	if (*p != '\0') {
		static const char letters[] = "KkMmGgTtPpEe";
		const char *l = strchr(letters, *p);
		int power;

		if (!l)
			return -1;
		power = (int)(l - letters) / 2 + 1;
		if (strcmp(p + 1, "") == 0 || strcmp(p + 1, "iB") == 0)
			shift = 1024;
		else if (strcmp(p + 1, "B") == 0)
			shift = 1000;
		else
			return -1;
		while (power--)
			scale *= (u128)shift;
	}
	if (v * scale > limit) /* v < 2^64, scale <= 2^60: no wrap */
		return -1;
	*value = (uint64_t)(v * scale);
	return 0;
}

/* The model of options_parse_jobs: 0 and *value, or -1. */
static int model_jobs(const char *text, unsigned *value)
{
	const char *p = text;
	size_t len;
	unsigned v = 0;

	if (*p == '\0')
		return -1;
	for (const char *q = p; *q; q++)
		if (!is_digit(*q))
			return -1;
	while (*p == '0')
		p++;
	len = strlen(p);
	if (len == 0 || len > 4) /* all zeros, or >= 10000 */
		return -1;
	for (; *p; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (v < 1 || v > MCP_JOBS_MAX)
		return -1;
	*value = v;
	return 0;
}

static int model_sparse(const char *text)
{
	if (strcmp(text, "auto") == 0)
		return MCP_SPARSE_AUTO;
	if (strcmp(text, "always") == 0)
		return MCP_SPARSE_ALWAYS;
	if (strcmp(text, "never") == 0)
		return MCP_SPARSE_NEVER;
	return -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	uint64_t got_size = 0, want_size = 0;
	unsigned got_jobs = 0, want_jobs = 0;
	int got, want;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	got = options_parse_size(text, &got_size);
	want = model_size(text, &want_size);
	if (got != want)
		fail(got == 0 ? "options_parse_size accepted a bad size"
			      : "options_parse_size rejected a good size",
		     text);
	if (got == 0 && got_size != want_size)
		fail("options_parse_size got the value wrong", text);

	got = options_parse_jobs(text, &got_jobs);
	want = model_jobs(text, &want_jobs);
	if (got != want)
		fail(got == 0 ? "options_parse_jobs accepted a bad count"
			      : "options_parse_jobs rejected a good count",
		     text);
	if (got == 0 && (got_jobs != want_jobs || got_jobs < 1 ||
			 got_jobs > MCP_JOBS_MAX))
		fail("options_parse_jobs got the value wrong", text);

	got = options_parse_sparse(text);
	want = model_sparse(text);
	if (got != want)
		fail("options_parse_sparse disagrees with the model", text);

	free(text);
	return 0;
}
