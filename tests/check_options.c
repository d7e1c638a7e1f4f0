/*
 * check_options.c - the command line: the strict parsers for job counts
 * and sizes, whole argv vectors through options_parse() with stderr
 * captured, and --help/--usage/--version, which close stdout and so run
 * in a child process of their own.
 */
#include <config.h>

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include "check_util.h"
#include "options.h"

#define KIB 1024ULL
#define MIB (1ULL << 20)
#define TIB (1ULL << 40)

/* Decimal digits only, 1..1024.  Leading zeros are accepted ("007" is
 * 7, "0001024" is 1024): the parser reads digits, not a C literal. */
static const struct {
	const char *text;
	int rc;
	unsigned jobs;
} jobs_cases[] = {
	{ "1", 0, 1 },
	{ "2", 0, 2 },
	{ "1024", 0, 1024 },
	{ "007", 0, 7 },
	{ "0001024", 0, 1024 },
	{ "", -1, 0 },
	{ "0", -1, 0 },
	{ "000", -1, 0 },
	{ "-1", -1, 0 },
	{ "+1", -1, 0 },
	{ " 1", -1, 0 },
	{ "1 ", -1, 0 },
	{ "1x", -1, 0 },
	{ "x", -1, 0 },
	{ "1025", -1, 0 },
	{ "0x10", -1, 0 },
	{ "99999999999999999999", -1, 0 },
	{ "4294967297", -1, 0 },
};

START_TEST(test_parse_jobs)
{
	unsigned jobs = 0;
	int rc = options_parse_jobs(jobs_cases[_i].text, &jobs);

	ck_assert_msg(rc == jobs_cases[_i].rc, "jobs '%s': rc %d",
		      jobs_cases[_i].text, rc);
	if (rc == 0)
		ck_assert_uint_eq(jobs, jobs_cases[_i].jobs);
}
END_TEST

/* Digits, then at most one suffix, as dd reads them: K M G T P E in
 * either case, alone or with iB (powers of 1024), or with B (powers of
 * 1000).  "0" parses (the chunk-size option rejects it later). */
static const struct {
	const char *text;
	int rc;
	uint64_t size;
} size_cases[] = {
	{ "0", 0, 0 },
	{ "1", 0, 1 },
	{ "4096", 0, 4096 },
	{ "1K", 0, KIB },
	{ "1k", 0, KIB },
	{ "1M", 0, KIB * KIB },
	{ "1m", 0, KIB * KIB },
	{ "3G", 0, 3 * KIB * KIB * KIB },
	{ "2T", 0, 2 * TIB },
	{ "16777215T", 0, 16777215 * TIB },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "018446744073709551615", 0, UINT64_MAX },
	{ "", -1, 0 },
	{ "K", -1, 0 },
	{ "1KB", 0, 1000 },
	{ "1kB", 0, 1000 },
	{ "1KiB", 0, KIB },
	{ "1kiB", 0, KIB },
	{ "5MiB", 0, 5 * KIB * KIB },
	{ "5MB", 0, 5000000 },
	{ "2GB", 0, 2000000000 },
	{ "2GiB", 0, 2 * KIB * KIB * KIB },
	{ "3TB", 0, 3000000000000ULL },
	{ "1P", 0, 1024 * TIB },
	{ "1PB", 0, 1000000000000000ULL },
	{ "15E", 0, 15 * 1024 * 1024 * TIB },
	{ "15EiB", 0, 15 * 1024 * 1024 * TIB },
	{ "18EB", 0, 18000000000000000000ULL },
	{ "16E", -1, 0 },
	{ "19EB", -1, 0 },
	{ "1Kib", -1, 0 },
	{ "1KIB", -1, 0 },
	{ "1Kb", -1, 0 },
	{ "1KiBB", -1, 0 },
	{ "1iB", -1, 0 },
	{ "1Z", -1, 0 },
	{ "1.5M", -1, 0 },
	{ "-1", -1, 0 },
	{ "+1", -1, 0 },
	{ " 1", -1, 0 },
	{ "1 ", -1, 0 },
	{ "1B", -1, 0 },
	{ "18446744073709551616", -1, 0 },
	{ "99999999999999999999", -1, 0 },
	{ "16777216T", -1, 0 },
	{ "17179869184G", -1, 0 },
	{ "0x10", -1, 0 },
};

START_TEST(test_parse_size)
{
	uint64_t size = 0;
	int rc = options_parse_size(size_cases[_i].text, &size);

	ck_assert_msg(rc == size_cases[_i].rc, "size '%s': rc %d",
		      size_cases[_i].text, rc);
	if (rc == 0)
		ck_assert_uint_eq(size, size_cases[_i].size);
}
END_TEST

/* Command lines after "mcp" that parse; jobs 0 means the default. */
static const struct {
	const char *args[8];
	unsigned jobs;
	uint64_t chunk;
	bool sync, no_clobber;
	int verbosity;
	const char *ops[4];
} argv_cases[] = {
	{ { "a", "b" }, 0, 0, true, false, 0, { "a", "b" } },
	{ { "a", "b", "-j", "4" }, 4, 0, true, false, 0, { "a", "b" } },
	{ { "--jobs=3", "a", "b" }, 3, 0, true, false, 0, { "a", "b" } },
	{ { "-j3", "a", "b" }, 3, 0, true, false, 0, { "a", "b" } },
	{ { "-j", "2", "--", "-j", "b" }, 2, 0, true, false, 0, { "-j", "b" } },
	{ { "--no-sync", "a", "b" }, 0, 0, false, false, 0, { "a", "b" } },
	{ { "a", "-n", "b" }, 0, 0, true, true, 0, { "a", "b" } },
	{ { "-v", "a", "b" }, 0, 0, true, false, 1, { "a", "b" } },
	{ { "-q", "a", "b" }, 0, 0, true, false, -1, { "a", "b" } },
	{ { "-nv", "a", "b" }, 0, 0, true, true, 1, { "a", "b" } },
	{ { "-c", "1M", "a", "b" }, 0, MIB, true, false, 0, { "a", "b" } },
	{ { "--chunk-size=4k", "a", "b" }, 0, 4 * KIB, true, false, 0,
	  { "a", "b" } },
	{ { "-", "b" }, 0, 0, true, false, 0, { "-", "b" } },
	{ { "a", "b", "dir" }, 0, 0, true, false, 0, { "a", "b", "dir" } },
};

/* Command lines that are usage errors: exit status 2. */
static const struct {
	const char *args[8];
} usage_cases[] = {
	{ { "--bogus", "a", "b" } },
	{ { "-x", "a", "b" } },
	{ { "a", "b", "-j" } },
	{ { "-j", "0", "a", "b" } },
	{ { "-j", "1025", "a", "b" } },
	{ { "--jobs=", "a", "b" } },
	{ { "-c", "0", "a", "b" } },
	{ { "-c", "1x", "a", "b" } },
	{ { "-c", "16777216T", "a", "b" } },
	{ { NULL } },
	{ { "a" } },
	{ { "-j", "2", "a" } },
	{ { "--progress-interval=", "a", "b" } },
	{ { "--progress-interval=60001", "a", "b" } },
	{ { "--progress-interval=1s", "a", "b" } },
	{ { "--progress-interval=-1", "a", "b" } },
	{ { "--stats=yes", "a", "b" } },
};

/* Run options_parse over "mcp" + args with stderr going to err[size]. */
static int parse_captured(const char *const *args, struct mcp_opts *o,
			  int *status, char *err, size_t size)
{
	const char *argv[16] = { "mcp" };
	FILE *tmp = tmpfile();
	int argc = 1, saved, rc;
	size_t n;

	ck_assert_ptr_nonnull(tmp);
	for (; args[argc - 1]; argc++)
		argv[argc] = args[argc - 1];
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	dup2(fileno(tmp), STDERR_FILENO);
	rc = options_parse(argc, argv, o, status);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(err, 1, size - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	return rc;
}

START_TEST(test_parse_argv)
{
	struct mcp_opts o;
	char err[1024];
	int status = 12345, n = 0;
	int rc = parse_captured(argv_cases[_i].args, &o, &status, err,
				sizeof err);

	ck_assert_int_eq(rc, 0);
	ck_assert_msg(err[0] == '\0', "printed on success: %s", err);
	ck_assert_uint_eq(o.jobs, argv_cases[_i].jobs ? argv_cases[_i].jobs
						      : options_default_jobs());
	ck_assert_uint_eq(o.chunk_size, argv_cases[_i].chunk);
	ck_assert(o.sync == argv_cases[_i].sync);
	ck_assert(o.no_clobber == argv_cases[_i].no_clobber);
	ck_assert_int_eq(o.verbosity, argv_cases[_i].verbosity);
	for (; argv_cases[_i].ops[n]; n++)
		ck_assert_str_eq(o.operands[n], argv_cases[_i].ops[n]);
	ck_assert_int_eq(o.n_operands, n);
	ck_assert_ptr_null(o.operands[n]);
	options_free(&o);
}
END_TEST

/* -p and --atomic: each sets its own flag, and only that. */
static const struct {
	const char *args[8];
	unsigned preserve;
	bool atomic;
} flag_cases[] = {
	{ { "a", "b" }, 0, false },
	{ { "-p", "a", "b" }, MCP_PRESERVE_ALL, false },
	{ { "a", "b", "--preserve" }, MCP_PRESERVE_ALL, false },
	{ { "--atomic", "a", "b" }, 0, true },
	{ { "-pn", "--atomic", "a", "b" }, MCP_PRESERVE_ALL, true },
	{ { "--", "-p", "b" }, 0, false },
};

START_TEST(test_parse_flags)
{
	struct mcp_opts o;
	char err[1024];
	int status = 12345;
	int rc = parse_captured(flag_cases[_i].args, &o, &status, err,
				sizeof err);

	ck_assert_int_eq(rc, 0);
	ck_assert_msg(err[0] == '\0', "printed on success: %s", err);
	ck_assert_uint_eq(o.preserve, flag_cases[_i].preserve);
	ck_assert(o.atomic == flag_cases[_i].atomic);
	ck_assert_int_eq(o.n_operands, 2);
	options_free(&o);
}
END_TEST

/* The output options: off unless given; the progress interval -1 (the
 * default) unless the hidden test switch sets it. */
static const struct {
	const char *args[8];
	bool progress, stats, json;
	long progress_ms;
} output_cases[] = {
	{ { "a", "b" }, false, false, false, -1 },
	{ { "-P", "a", "b" }, true, false, false, -1 },
	{ { "a", "--progress", "b" }, true, false, false, -1 },
	{ { "--stats", "a", "b" }, false, true, false, -1 },
	{ { "--json", "a", "b" }, false, false, true, -1 },
	{ { "-vP", "--json", "--stats", "a", "b" }, true, true, true, -1 },
	{ { "--progress-interval=0", "a", "b" }, false, false, false, 0 },
	{ { "--progress-interval", "60000", "a", "b" }, false, false, false,
	  60000 },
};

START_TEST(test_parse_output)
{
	struct mcp_opts o;
	char err[1024];
	int status = 12345;

	ck_assert_int_eq(parse_captured(output_cases[_i].args, &o, &status,
					err, sizeof err),
			 0);
	ck_assert_msg(err[0] == '\0', "printed on success: %s", err);
	ck_assert(o.progress == output_cases[_i].progress);
	ck_assert(o.stats == output_cases[_i].stats);
	ck_assert(o.json == output_cases[_i].json);
	ck_assert_int_eq(o.progress_ms, output_cases[_i].progress_ms);
	ck_assert_int_eq(o.n_operands, 2);
	options_free(&o);
}
END_TEST

/* One "mcp: " line, then the hint, and exit status 2. */
START_TEST(test_usage_error)
{
	const char *hint = "Try 'mcp --help' for more information.\n";
	struct mcp_opts o;
	char err[1024];
	int status = 12345;
	int rc = parse_captured(usage_cases[_i].args, &o, &status, err,
				sizeof err);

	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(status, MCP_EXIT_USAGE);
	ck_assert_msg(strncmp(err, "mcp: ", 5) == 0, "stderr: %s", err);
	ck_assert_msg(strstr(err, hint) != NULL, "stderr: %s", err);
	ck_assert_ptr_null(o.operands);
}
END_TEST

/* --sparse=WHEN and --verify: rc 0 with the mode and the flag, or a
 * usage error (rc -1). */
static const struct {
	const char *args[6];
	int rc, sparse;
	bool verify;
} sparse_cases[] = {
	{ { "a", "b" }, 0, MCP_SPARSE_AUTO, false },
	{ { "--sparse=auto", "a", "b" }, 0, MCP_SPARSE_AUTO, false },
	{ { "--sparse=always", "a", "b" }, 0, MCP_SPARSE_ALWAYS, false },
	{ { "a", "b", "--sparse", "never" }, 0, MCP_SPARSE_NEVER, false },
	{ { "--sparse=never", "--sparse=always", "a", "b" }, 0,
	  MCP_SPARSE_ALWAYS, false },
	{ { "--verify", "a", "b" }, 0, MCP_SPARSE_AUTO, true },
	{ { "a", "--verify", "--sparse=never", "b" }, 0, MCP_SPARSE_NEVER,
	  true },
	{ { "--sparse=bogus", "a", "b" }, -1, 0, false },
	{ { "--sparse=", "a", "b" }, -1, 0, false },
	{ { "--sparse=Never", "a", "b" }, -1, 0, false },
	{ { "--sparse=auto2", "a", "b" }, -1, 0, false },
	{ { "a", "b", "--sparse" }, -1, 0, false },
	{ { "--verify=yes", "a", "b" }, -1, 0, false },
};

START_TEST(test_parse_sparse)
{
	struct mcp_opts o;
	char err[1024];
	int status = 12345;
	int rc = parse_captured(sparse_cases[_i].args, &o, &status, err,
				sizeof err);

	ck_assert_int_eq(rc, sparse_cases[_i].rc);
	if (rc != 0) {
		ck_assert_int_eq(status, MCP_EXIT_USAGE);
		ck_assert_msg(strncmp(err, "mcp: ", 5) == 0, "stderr: %s", err);
		return;
	}
	ck_assert_int_eq(o.sparse, sparse_cases[_i].sparse);
	ck_assert(o.verify == sparse_cases[_i].verify);
	options_free(&o);
}
END_TEST

/* --cache=MODE and --sync-method=HOW: rc 0 with both, or a usage
 * error (rc -1). */
static const struct {
	const char *args[6];
	int rc, cache, sync_method;
} cache_cases[] = {
	{ { "a", "b" }, 0, MCP_CACHE_AUTO, MCP_SYNC_RANGE },
	{ { "--cache=auto", "a", "b" }, 0, MCP_CACHE_AUTO, MCP_SYNC_RANGE },
	{ { "--cache=keep", "a", "b" }, 0, MCP_CACHE_KEEP, MCP_SYNC_RANGE },
	{ { "a", "b", "--cache", "drop" }, 0, MCP_CACHE_DROP, MCP_SYNC_RANGE },
	{ { "--cache=drop", "--cache=keep", "a", "b" }, 0, MCP_CACHE_KEEP,
	  MCP_SYNC_RANGE },
	{ { "--sync-method=msync", "a", "b" }, 0, MCP_CACHE_AUTO,
	  MCP_SYNC_MSYNC },
	{ { "--sync-method", "range", "--cache=drop", "a", "b" }, 0,
	  MCP_CACHE_DROP, MCP_SYNC_RANGE },
	{ { "--cache=", "a", "b" }, -1, 0, 0 },
	{ { "--cache=Keep", "a", "b" }, -1, 0, 0 },
	{ { "--cache=dropped", "a", "b" }, -1, 0, 0 },
	{ { "a", "b", "--cache" }, -1, 0, 0 },
	{ { "--sync-method=fsync", "a", "b" }, -1, 0, 0 },
	{ { "--sync-method=", "a", "b" }, -1, 0, 0 },
};

START_TEST(test_parse_cache)
{
	struct mcp_opts o;
	char err[1024];
	int status = 12345;
	int rc = parse_captured(cache_cases[_i].args, &o, &status, err,
				sizeof err);

	ck_assert_int_eq(rc, cache_cases[_i].rc);
	if (rc != 0) {
		ck_assert_int_eq(status, MCP_EXIT_USAGE);
		ck_assert_msg(strncmp(err, "mcp: ", 5) == 0, "stderr: %s", err);
		return;
	}
	ck_assert_int_eq(o.cache, cache_cases[_i].cache);
	ck_assert_int_eq(o.sync_method, cache_cases[_i].sync_method);
	options_free(&o);
}
END_TEST

/* --reflink[=WHEN]: rc 0 with the mode and both operands (a bare
 * --reflink is always and never takes SOURCE as its WHEN), or a usage
 * error (rc -1); always cannot go with --sparse=never. */
static const struct {
	const char *args[6];
	int rc, reflink;
} reflink_cases[] = {
	{ { "a", "b" }, 0, MCP_REFLINK_AUTO },
	{ { "--reflink=auto", "a", "b" }, 0, MCP_REFLINK_AUTO },
	{ { "--reflink=always", "a", "b" }, 0, MCP_REFLINK_ALWAYS },
	{ { "--reflink=never", "a", "b" }, 0, MCP_REFLINK_NEVER },
	{ { "--reflink", "a", "b" }, 0, MCP_REFLINK_ALWAYS },
	{ { "a", "b", "--reflink" }, 0, MCP_REFLINK_ALWAYS },
	{ { "--reflink", "never", "b" }, 0, MCP_REFLINK_ALWAYS },
	{ { "--reflink=never", "--reflink", "a", "b" }, 0,
	  MCP_REFLINK_ALWAYS },
	{ { "--", "--reflink", "b" }, 0, MCP_REFLINK_AUTO },
	{ { "--reflink=never", "--sparse=never", "a", "b" }, 0,
	  MCP_REFLINK_NEVER },
	{ { "--sparse=never", "a", "b" }, 0, MCP_REFLINK_AUTO },
	{ { "--reflink", "--sparse=never", "a", "b" }, -1, 0 },
	{ { "--sparse=never", "--reflink=always", "a", "b" }, -1, 0 },
	{ { "--reflink=", "a", "b" }, -1, 0 },
	{ { "--reflink=Always", "a", "b" }, -1, 0 },
	{ { "--reflink=yes", "a", "b" }, -1, 0 },
};

START_TEST(test_parse_reflink)
{
	struct mcp_opts o;
	char err[1024];
	int status = 12345;
	int rc = parse_captured(reflink_cases[_i].args, &o, &status, err,
				sizeof err);

	ck_assert_int_eq(rc, reflink_cases[_i].rc);
	if (rc != 0) {
		ck_assert_int_eq(status, MCP_EXIT_USAGE);
		ck_assert_msg(strncmp(err, "mcp: ", 5) == 0, "stderr: %s", err);
		return;
	}
	ck_assert_msg(err[0] == '\0', "printed on success: %s", err);
	ck_assert_int_eq(o.reflink, reflink_cases[_i].reflink);
	ck_assert_int_eq(o.n_operands, 2);
	options_free(&o);
}
END_TEST

/* --preserve[=ATTR_LIST]: rc 0 with the attributes and both operands
 * (a bare --preserve is all and never takes SOURCE as its list; lists
 * add up), or a usage error (rc -1) naming the word it does not know. */
static const struct {
	const char *args[6];
	int rc;
	unsigned bits;
	const char *bad;
} preserve_cases[] = {
	{ { "--preserve=mode", "a", "b" }, 0, MCP_PRESERVE_MODE, NULL },
	{ { "--preserve=ownership", "a", "b" }, 0, MCP_PRESERVE_OWNERSHIP,
	  NULL },
	{ { "--preserve=timestamps", "a", "b" }, 0, MCP_PRESERVE_TIMESTAMPS,
	  NULL },
	{ { "--preserve=mode,timestamps", "a", "b" }, 0,
	  MCP_PRESERVE_MODE | MCP_PRESERVE_TIMESTAMPS, NULL },
	{ { "--preserve=all", "a", "b" }, 0, MCP_PRESERVE_ALL, NULL },
	{ { "--preserve", "a", "b" }, 0, MCP_PRESERVE_ALL, NULL },
	{ { "--preserve", "mode", "b" }, 0, MCP_PRESERVE_ALL, NULL },
	{ { "--preserve=mode", "--preserve=ownership", "a", "b" }, 0,
	  MCP_PRESERVE_MODE | MCP_PRESERVE_OWNERSHIP, NULL },
	{ { "--preserve=timestamps", "-p", "a", "b" }, 0, MCP_PRESERVE_ALL,
	  NULL },
	{ { "--", "--preserve", "b" }, 0, 0, NULL },
	{ { "--preserve=", "a", "b" }, -1, 0, "''" },
	{ { "--preserve=mode,", "a", "b" }, -1, 0, "''" },
	{ { "--preserve=Mode", "a", "b" }, -1, 0, "'Mode'" },
	{ { "--preserve=mode,links", "a", "b" }, -1, 0, "'links'" },
	{ { "--preserve=timestampsxxxxxxxxxx", "a", "b" }, -1, 0,
	  "'timestampsxxxxxxxxxx'" },
};

START_TEST(test_parse_preserve)
{
	struct mcp_opts o;
	char err[1024];
	int status = 12345;
	int rc = parse_captured(preserve_cases[_i].args, &o, &status, err,
				sizeof err);

	ck_assert_int_eq(rc, preserve_cases[_i].rc);
	if (rc != 0) {
		ck_assert_int_eq(status, MCP_EXIT_USAGE);
		ck_assert_msg(strstr(err, preserve_cases[_i].bad) != NULL,
			      "stderr: %s", err);
		return;
	}
	ck_assert_msg(err[0] == '\0', "printed on success: %s", err);
	ck_assert_uint_eq(o.preserve, preserve_cases[_i].bits);
	ck_assert_int_eq(o.n_operands, 2);
	options_free(&o);
}
END_TEST

START_TEST(test_default_jobs)
{
	unsigned jobs = options_default_jobs();

	ck_assert_uint_ge(jobs, 1);
	ck_assert_uint_le(jobs, MCP_JOBS_MAX);
}
END_TEST

/* Options answered on stdout.  full: stdout is /dev/full, so closing it
 * fails and the status is 1 with "write error" on stderr. */
static const struct {
	const char *arg;
	bool full;
	int status;
	const char *out, *err;
} info_cases[] = {
	{ "--help", false, 0, "Exit status: 0 success", "" },
	{ "-?", false, 0, "--chunk-size=SIZE", "" },
	{ "--usage", false, 0, "Usage: mcp", "" },
	{ "--version", false, 0, "mcp (mcp) ", "" },
	{ "-V", false, 0, "NO WARRANTY", "" },
	{ "--help", true, 1, "", "mcp: write error: " },
	{ "--usage", true, 1, "", "mcp: write error: " },
	{ "--version", true, 1, "", "mcp: write error: " },
};

static void slurp(FILE *f, char *buf, size_t size)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* In a child: stdout to out (or /dev/full), stderr to err; exit with
 * the status options_parse chose. */
static void info_child(const char *arg, bool full, FILE *out, FILE *err)
{
	const char *argv[] = { "mcp", arg, "a", "b", NULL };
	int fd = full ? open("/dev/full", O_WRONLY) : fileno(out);
	struct mcp_opts o;
	int status;

	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
	    dup2(fileno(err), STDERR_FILENO) < 0)
		_exit(98);
	if (options_parse(4, argv, &o, &status) == 0)
		_exit(99);
	_exit(status);
}

START_TEST(test_info)
{
	FILE *out = tmpfile(), *err = tmpfile();
	char out_text[8192], err_text[1024];
	int wstatus;
	pid_t pid;

	ck_assert(out && err);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		info_child(info_cases[_i].arg, info_cases[_i].full, out, err);
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	slurp(out, out_text, sizeof out_text);
	slurp(err, err_text, sizeof err_text);
	ck_assert_msg(WIFEXITED(wstatus), "child died: %#x", wstatus);
	ck_assert_int_eq(WEXITSTATUS(wstatus), info_cases[_i].status);
	ck_assert_msg(strstr(out_text, info_cases[_i].out), "stdout: %s",
		      out_text);
	if (*info_cases[_i].err)
		ck_assert_msg(strstr(err_text, info_cases[_i].err),
			      "stderr: %s", err_text);
	else
		ck_assert_msg(!*err_text, "stderr: %s", err_text);
}
END_TEST

/* popt lets POSIXLY_CORRECT end the options at the first operand; the
 * table above assumes GNU-style permutation. */
static void setup(void)
{
	unsetenv("POSIXLY_CORRECT");
	unsetenv("POSIX_ME_HARDER");
}

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");

	tcase_set_timeout(tc, CHECK_TIMEOUT);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, test_parse_jobs, 0, ARRAY_LEN(jobs_cases));
	tcase_add_loop_test(tc, test_parse_size, 0, ARRAY_LEN(size_cases));
	tcase_add_loop_test(tc, test_parse_argv, 0, ARRAY_LEN(argv_cases));
	tcase_add_loop_test(tc, test_usage_error, 0, ARRAY_LEN(usage_cases));
	tcase_add_loop_test(tc, test_parse_output, 0, ARRAY_LEN(output_cases));
	tcase_add_test(tc, test_default_jobs);
	tcase_add_loop_test(tc, test_info, 0, ARRAY_LEN(info_cases));
	tcase_add_loop_test(tc, test_parse_flags, 0, ARRAY_LEN(flag_cases));
	tcase_add_loop_test(tc, test_parse_sparse, 0, ARRAY_LEN(sparse_cases));
	tcase_add_loop_test(tc, test_parse_cache, 0, ARRAY_LEN(cache_cases));
	tcase_add_loop_test(tc, test_parse_reflink, 0,
			    ARRAY_LEN(reflink_cases));
	tcase_add_loop_test(tc, test_parse_preserve, 0,
			    ARRAY_LEN(preserve_cases));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_main(options_suite());
}
