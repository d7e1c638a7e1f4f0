/*
 * fuzz_options.c - libFuzzer target for the whole command line:
 * options_parse, then options_free.
 *
 * The input is split on NUL bytes into up to MAX_ARGS argument strings
 * (each NUL ends one; bytes after the last NUL make a last one), after a
 * fixed argv[0] "mcp".
 *
 * --help, -?, --usage, -V and --version print and then fclose(stdout),
 * which would break every later run in the same process, so inputs that
 * could reach them are skipped (see could_show_info).  popt 1.19 matches
 * long options only in full, only after "--" (it has no single-dash long
 * options unless a table asks for them, and mcp's does not), and reads
 * a single-dash argument as a cluster of short options, where the first
 * one that takes an argument eats the rest; the filter is stricter than
 * that, and a help path that still gets through is caught: it returns
 * -1 with status 0, which aborts here.
 *
 * What options_parse prints goes to counting streams that discard it
 * (glibc: stdout and stderr are plain variables we may point elsewhere;
 * file descriptors 1 and 2 stay as they are, so libFuzzer's own output
 * and sanitizer reports still show).  That lets the target check that a
 * success prints nothing and a usage error prints something.
 *
 * On success: jobs 1..MCP_JOBS_MAX, sparse/verbosity/progress_ms in
 * range, at least two operands, NULL-terminated, copies of argv's
 * strings in argv order; an operand that looks like an option comes
 * after "--", and everything after "--" is an operand.  With no option-
 * like argument at all, the result is exact: the defaults, and argv[1..]
 * as the operands.  On failure: status 2 (or 1), no operands left.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "mcp.h"
#include "options.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 16

/* Where our own complaints go: the real stderr. */
static FILE *report;
/* Bytes options_parse wrote to stdout and to stderr. */
static size_t out_bytes, err_bytes;

#ifdef __GLIBC__
static ssize_t count_write(void *cookie, const char *buf, size_t n)
{
	(void)buf;
	*(size_t *)cookie += n;
	return (ssize_t)n;
}

static FILE *counting_stream(size_t *counter)
{
	cookie_io_functions_t io = { .write = count_write };
	FILE *f = fopencookie(counter, "w", io);

	if (!f) {
		perror("fuzz_options: fopencookie");
		abort();
	}
	setvbuf(f, NULL, _IONBF, 0);
	return f;
}
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* popt stops at the first operand under these; the operand checks
	 * below assume GNU-style permutation. */
	unsetenv("POSIXLY_CORRECT");
	unsetenv("POSIX_ME_HARDER");
	if (report)
		return 0;
#ifdef __GLIBC__
	report = stderr;
	stdout = counting_stream(&out_bytes);
	stderr = counting_stream(&err_bytes);
#else
	/* Elsewhere: point the descriptors at /dev/null (libFuzzer's own
	 * output goes too; run it with -close_fd_mask=3 instead). */
	{
		int keep = dup(STDERR_FILENO);

		report = keep >= 0 ? fdopen(keep, "w") : NULL;
		if (!report || !freopen("/dev/null", "w", stdout) ||
		    !freopen("/dev/null", "w", stderr))
			abort();
	}
#endif
	return 0;
}

static void fail(const char *what, int argc, const char **argv)
{
	fprintf(report, "fuzz_options: %s\n  argv:", what);
	for (int i = 0; i < argc; i++) {
		fputs(" \"", report);
		for (const char *p = argv[i]; *p; p++) {
			unsigned char c = (unsigned char)*p;

			if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
				fputc(c, report);
			else
				fprintf(report, "\\x%02x", c);
		}
		fputc('"', report);
	}
	fputc('\n', report);
	fflush(report);
	abort();
}

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond))                                             \
			fail("check failed: " #cond, argc, argv);        \
	} while (0)

/* Is a (the first n bytes of a name) a prefix of b, or b of a? */
static bool prefix_either(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b);

	return strncmp(a, b, n < m ? n : m) == 0;
}

/* Could this argument, anywhere on the line, show help, usage or the
 * version?  Deliberately over-cautious: any single-dash argument with a
 * V or a ? in it (a cluster like -qV, or an option's argument that would
 * not reach them: lost, but safe), and any double-dash name that is a
 * prefix of help/usage/version or starts with one, whatever follows '='
 * (popt 1.19 matches only the full name, but costs nothing).  Single-
 * dash long names ("-help") are not checked: popt reads them as short
 * option clusters unless a table entry has POPT_ARGFLAG_ONEDASH, and
 * mcp's have not (and "-v", "-u" must stay fuzzable). */
static bool could_show_info(const char *s)
{
	static const char *const names[] = { "help", "usage", "version" };
	const char *name = s + 2;
	size_t len;

	if (s[0] != '-' || s[1] == '\0')
		return false;
	if (s[1] != '-')
		return strchr(s, 'V') || strchr(s, '?');
	while (*name == '-')
		name++;
	if (*name == '\0')
		return false; /* "--", or more dashes: no name */
	len = strcspn(name, "=");
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (prefix_either(name, len, names[i]))
			return true;
	return false;
}

/* An argument popt may take for an option: a dash and something. */
static bool optionish(const char *s)
{
	return s[0] == '-' && s[1] != '\0';
}

/* The first index after `after` where argv has the text p; -1 if none.
 * (popt hands back copies of argv's strings, not the pointers.) */
static int find_arg(const char *p, int argc, const char **argv, int after)
{
	for (int i = after + 1; i < argc; i++)
		if (strcmp(argv[i], p) == 0)
			return i;
	return -1;
}

static void check_success(const struct mcp_opts *o, int argc,
			  const char **argv, bool plain, int dashdash)
{
	int last = 0, n;
	/* With -t DIR the operands from the command line are all but the
	 * last, which is DIR (from "-tDIR", "-t DIR" or its long form). */
	int n_pos = o->n_operands - (o->target == MCP_TARGET_DIR ? 1 : 0);

	CHECK(o->jobs >= 1 && o->jobs <= MCP_JOBS_MAX);
	CHECK(o->verbosity == MCP_QUIET || o->verbosity == MCP_NORMAL ||
	      o->verbosity == MCP_VERBOSE);
	CHECK(o->sparse == MCP_SPARSE_AUTO || o->sparse == MCP_SPARSE_ALWAYS ||
	      o->sparse == MCP_SPARSE_NEVER);
	CHECK(o->progress_ms == -1 ||
	      (o->progress_ms >= 0 && o->progress_ms <= 60000));
	CHECK(o->journal_ms == -1 ||
	      (o->journal_ms >= 0 && o->journal_ms <= 60000));
	/* --resume needs durable chunks: never with --no-sync. */
	CHECK(!o->resume || o->sync);
	CHECK(o->operands != NULL);
	CHECK(o->n_operands >= 2);
	CHECK(o->n_operands <= argc - 1);
	CHECK(o->operands[o->n_operands] == NULL);
	CHECK(o->target != MCP_TARGET_DIR || o->operands[n_pos] != NULL);
	for (n = 0; n < n_pos; n++) {
		const char *op = o->operands[n];
		int at;

		CHECK(op != NULL);
		/* A copy of one of argv's strings, in argv's order; one
		 * that looks like an option only from after "--". */
		if (optionish(op)) {
			CHECK(dashdash >= 1);
			at = find_arg(op, argc, argv,
				      last > dashdash ? last : dashdash);
		} else {
			at = find_arg(op, argc, argv, last);
		}
		CHECK(at > last);
		last = at;
	}
	/* Everything after "--" is an operand: the last ones, in order.
	 * Not said with -t: as with getopt, "-t --" makes "--" the
	 * directory, so the first "--" need not end the options. */
	if (dashdash >= 1 && o->target != MCP_TARGET_DIR) {
		int k = argc - 1 - dashdash;

		CHECK(n_pos >= k);
		for (int i = 0; i < k; i++)
			CHECK(strcmp(o->operands[n_pos - k + i],
				      argv[dashdash + 1 + i]) == 0);
	}
	/* Nothing but operands: the defaults, and every argument. */
	if (plain) {
		CHECK(o->n_operands == argc - 1);
		for (n = 0; n < o->n_operands; n++)
			CHECK(strcmp(o->operands[n], argv[n + 1]) == 0);
		CHECK(o->jobs == options_default_jobs());
		CHECK(o->chunk_size == 0);
		CHECK(o->sync);
		CHECK(!o->no_clobber);
		CHECK(o->verbosity == MCP_NORMAL);
		CHECK(!o->preserve);
		CHECK(!o->atomic);
		CHECK(o->sparse == MCP_SPARSE_AUTO);
		CHECK(!o->verify);
		CHECK(!o->progress);
		CHECK(!o->stats);
		CHECK(!o->json);
		CHECK(o->progress_ms == -1);
		CHECK(!o->resume);
		CHECK(o->journal_ms == -1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *argv[MAX_ARGS + 2] = { "mcp" };
	int argc = 1, status = 12345, rc, dashdash = -1;
	size_t out0, err0;
	struct mcp_opts o;
	bool plain = true;
	char *buf;

	if (!report)
		LLVMFuzzerInitialize(NULL, NULL);
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t at = 0; at < size && argc <= MAX_ARGS;) {
		argv[argc++] = buf + at;
		at += strlen(buf + at) + 1;
	}
	argv[argc] = NULL;

	for (int i = 1; i < argc; i++) {
		if (could_show_info(argv[i])) {
			free(buf);
			return -1; /* "not this one": newer libFuzzer drops it */
		}
		if (optionish(argv[i]))
			plain = false;
		if (dashdash < 0 && strcmp(argv[i], "--") == 0)
			dashdash = i;
	}

	out0 = out_bytes;
	err0 = err_bytes;
	memset(&o, 0x5a, sizeof o);
	rc = options_parse(argc, argv, &o, &status);
	if (rc == 0) {
		check_success(&o, argc, argv, plain, dashdash);
		CHECK(out_bytes == out0);
		CHECK(err_bytes == err0);
		options_free(&o);
		CHECK(o.operands == NULL && o.n_operands == 0);
	} else {
		CHECK(rc == -1);
		if (status == MCP_EXIT_OK)
			fail("help, usage or version got past the filter "
			     "(stdout is closed now)",
			     argc, argv);
		CHECK(status == MCP_EXIT_USAGE || status == MCP_EXIT_FAILURE);
		CHECK(err_bytes > err0);
		CHECK(out_bytes == out0);
		CHECK(o.operands == NULL && o.n_operands == 0);
		if (plain)
			CHECK(argc - 1 < 2);
	}
	free(buf);
	return 0;
}
