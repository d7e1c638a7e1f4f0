/*
 * options.c - the only file that knows popt.  It turns argv into a
 * struct mcp_opts, or prints a usage error (exit 2), or answers --help,
 * --usage and --version on stdout (exit 0, or 1 if stdout fails).
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <popt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "options.h"

enum {
	OPT_JOBS = 1,
	OPT_CHUNK,
	OPT_NO_SYNC,
	OPT_NO_CLOBBER,
	OPT_FORCE,
	OPT_VERBOSE,
	OPT_QUIET,
	OPT_HELP,
	OPT_USAGE,
	OPT_VERSION,
	OPT_PRESERVE,
	OPT_PRESERVE_ALL,
	OPT_ATOMIC,
	OPT_SPARSE,
	OPT_VERIFY,
	OPT_PROGRESS,
	OPT_STATS,
	OPT_JSON,
	OPT_PROGRESS_MS,
	OPT_CACHE,
	OPT_SYNC_METHOD,
	OPT_REFLINK,
	OPT_TARGET_DIR,
	OPT_NO_TARGET_DIR,
	OPT_RESUME,
	OPT_JOURNAL_MS,
};

static struct poptOption copy_table[] = {
	{ "jobs", 'j', POPT_ARG_STRING, NULL, OPT_JOBS,
	  "copy with N worker processes, 1 to 1024; 1 forks none "
	  "(default: the CPUs mcp may run on)", "N" },
	{ "chunk-size", 'c', POPT_ARG_STRING, NULL, OPT_CHUNK,
	  "hand out the work in chunks of SIZE bytes, rounded up to the page "
	  "size (default: a few chunks per worker, 2M to 64M)", "SIZE" },
	{ "target-directory", 't', POPT_ARG_STRING, NULL, OPT_TARGET_DIR,
	  "copy every SOURCE into DIR", "DIR" },
	{ "no-target-directory", 'T', POPT_ARG_NONE, NULL, OPT_NO_TARGET_DIR,
	  "treat DEST as a file, even if it is a directory", NULL },
	{ NULL, 'p', POPT_ARG_NONE, NULL, OPT_PRESERVE_ALL,
	  "same as --preserve=mode,ownership,timestamps", NULL },
	{ "preserve", '\0', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
	  OPT_PRESERVE,
	  "keep these of SOURCE's attributes: mode (set-ID bits too), "
	  "ownership (owner and group, where permitted), timestamps (access "
	  "and modification), all (the default of a bare --preserve)",
	  "ATTR_LIST" },
	{ "sparse", '\0', POPT_ARG_STRING, NULL, OPT_SPARSE,
	  "auto: keep SOURCE's holes as holes in DEST; always: also pages of "
	  "zeros; never: write every byte (default: auto)", "WHEN" },
	{ "reflink", '\0', POPT_ARG_STRING | POPT_ARGFLAG_OPTIONAL, NULL,
	  OPT_REFLINK,
	  "auto: make DEST a clone sharing SOURCE's blocks where the file "
	  "system can (XFS, btrfs), else copy; always (the default of a bare "
	  "--reflink): clone or fail; never: copy every byte (default: auto)",
	  "WHEN" },
	{ "cache", '\0', POPT_ARG_STRING, NULL, OPT_CACHE,
	  "auto: leave the page cache as found, dropping the pages of SOURCE "
	  "that were not cached and DEST's once written back; keep: leave "
	  "every page cached; drop: drop them all (default: auto)", "MODE" },
	POPT_TABLEEND
};

static struct poptOption safety_table[] = {
	{ "no-sync", '\0', POPT_ARG_NONE, NULL, OPT_NO_SYNC,
	  "return once the data is in the page cache, as cp does "
	  "(default: each chunk is written back and DEST fsynced before exit)", NULL },
	{ "sync-method", '\0', POPT_ARG_STRING, NULL, OPT_SYNC_METHOD,
	  "how each window is written back: range: sync_file_range, one "
	  "window behind the copy; msync: msync before it is unmapped, "
	  "waiting for it (default: range)", "HOW" },
	{ "no-clobber", 'n', POPT_ARG_NONE, NULL, OPT_NO_CLOBBER,
	  "never overwrite an existing DEST; skip it", NULL },
	{ "force", 'f', POPT_ARG_NONE, NULL, OPT_FORCE,
	  "if an existing DEST cannot be opened, remove it and try again, "
	  "as cp -f (nothing to do with -n, --atomic or --resume)", NULL },
	{ "atomic", '\0', POPT_ARG_NONE, NULL, OPT_ATOMIC,
	  "copy into a temporary file beside DEST and rename it over DEST "
	  "only once complete: a failed copy leaves the old DEST as it was",
	  NULL },
	{ "resume", '\0', POPT_ARG_NONE, NULL, OPT_RESUME,
	  "copy into a partial file beside DEST with a journal of its durable "
	  "chunks, renamed over DEST once complete; after an interruption the "
	  "same command continues where it stopped (not with --no-sync or a "
	  "pipe)", NULL },
	{ "verify", '\0', POPT_ARG_NONE, NULL, OPT_VERIFY,
	  "after the copy, write DEST back, read it again and compare it with "
	  "SOURCE; a difference fails the copy", NULL },
	POPT_TABLEEND
};

static struct poptOption output_table[] = {
	{ "verbose", 'v', POPT_ARG_NONE, NULL, OPT_VERBOSE,
	  "say what is copied, with sizes and workers, on stderr", NULL },
	{ "quiet", 'q', POPT_ARG_NONE, NULL, OPT_QUIET,
	  "print errors only, no warnings", NULL },
	{ "progress", 'P', POPT_ARG_NONE, NULL, OPT_PROGRESS,
	  "show the progress of each copy on stderr: bytes, percent, rate "
	  "and time left", NULL },
	{ "stats", '\0', POPT_ARG_NONE, NULL, OPT_STATS,
	  "at the end, print dd's summary line on stderr: bytes, time and "
	  "rate", NULL },
	{ "json", '\0', POPT_ARG_NONE, NULL, OPT_JSON,
	  "at the end, print the summary as one JSON object on stdout "
	  "(its keys: man mcp, JSON output)", NULL },
	/* For the tests: milliseconds between progress lines. */
	{ "progress-interval", '\0',
	  POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN, NULL, OPT_PROGRESS_MS,
	  NULL, "MS" },
	/* For the tests: milliseconds between --resume's journal updates. */
	{ "journal-interval", '\0',
	  POPT_ARG_STRING | POPT_ARGFLAG_DOC_HIDDEN, NULL, OPT_JOURNAL_MS,
	  NULL, "MS" },
	POPT_TABLEEND
};

static struct poptOption help_table[] = {
	{ "help", '?', POPT_ARG_NONE, NULL, OPT_HELP,
	  "show this help and exit", NULL },
	{ "usage", '\0', POPT_ARG_NONE, NULL, OPT_USAGE,
	  "show a short usage message and exit", NULL },
	{ "version", 'V', POPT_ARG_NONE, NULL, OPT_VERSION,
	  "show the version and exit", NULL },
	POPT_TABLEEND
};

static struct poptOption main_table[] = {
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, copy_table, 0,
	  "Copy options:", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, safety_table, 0,
	  "Safety options:", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, output_table, 0,
	  "Output options:", NULL },
	{ NULL, '\0', POPT_ARG_INCLUDE_TABLE, help_table, 0,
	  "Help options:", NULL },
	POPT_TABLEEND
};

static const char synopsis[] =
	"[OPTION]... [-T] SOURCE DEST\n"
	"  or:  " PACKAGE " [OPTION]... SOURCE... DIRECTORY\n"
	"  or:  " PACKAGE " [OPTION]... -t DIRECTORY SOURCE...\n"
	"Copy SOURCE to DEST, or each SOURCE into DIRECTORY, through memory\n"
	"mappings split into page-aligned chunks across worker processes.";

static const char epilogue[] =
	"\nSIZE is a number of bytes, optionally followed by K, M, G, T, P or E\n"
	"(powers of 1024; also KiB, MiB...) or kB, MB, GB... (powers of 1000).\n"
	"SOURCE - is standard input.  Pipes, character devices and /proc "
	"files are\ncopied with read/write; a device or FIFO DEST is written "
	"in place.\n"
	"By default the copy is durable: exit status 0 means DEST is on "
	"stable storage.\n"
	"A failed copy removes the incomplete DEST.\n"
	"SIGUSR1 prints dd's summary line for the copy in progress; the copy "
	"goes on.\n"
	"\nExit status: 0 success, 1 a copy failed, 2 usage error.\n"
	"Full documentation: man " PACKAGE "\n"
	"Report bugs to: " PACKAGE_BUGREPORT "\n"
	"Home page: <" PACKAGE_URL ">\n";

static const char version_text[] =
	PACKAGE " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n"
	"Copyright (C) 2026 The mcp authors.\n"
	"License MIT: <https://opensource.org/licenses/MIT>.\n"
	"This is free software: you are free to change and redistribute it.\n"
	"There is NO WARRANTY, to the extent permitted by law.\n"
	"Home page: <" PACKAGE_URL ">\n";

/* Flush and close stdout, reporting a failure (a full disk, a closed
 * pipe) as an error.  Returns 0 or -1 after printing. */
int options_close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		msg_errorf("write error: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* The usage error protocol: one line, the hint, exit status 2. */
static int usage_error(const char *fmt, const char *arg)
{
	fputs(PACKAGE ": ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry '" PACKAGE " --help' for more information.\n", stderr);
	return MCP_EXIT_USAGE;
}

/* A usage error found after parsing, such as an option DEST cannot
 * honour: printed as the others.  Returns MCP_EXIT_USAGE. */
int options_usage_error(const char *what)
{
	return usage_error("%s", what);
}

/* Parse a job count: decimal digits only, 1..MCP_JOBS_MAX.
 * Returns 0 or -1; prints nothing. */
int options_parse_jobs(const char *text, unsigned *jobs)
{
	unsigned long v = 0;
	const char *p = text;

	if (!*p)
		return -1;
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > MCP_JOBS_MAX)
			return -1;
	}
	if (v < 1)
		return -1;
	*jobs = (unsigned)v;
	return 0;
}

/* base to the power n, or 0 past 64 bits. */
static uint64_t power(uint64_t base, unsigned n)
{
	uint64_t v = 1;

	while (n--) {
		if (v > UINT64_MAX / base)
			return 0;
		v *= base;
	}
	return v;
}

/* The multiplier of a size suffix, or 0 if it is not one.  As dd reads
 * them: K, M, G, T, P, E alone or with iB are powers of 1024, with B
 * powers of 1000 (kB, MB...); the letter in either case. */
static uint64_t suffix_scale(const char *s)
{
	static const char units[] = "KMGTPE";
	const char *u;
	unsigned n;

	if (s[0] == '\0')
		return 1;
	u = strchr(units, toupper((unsigned char)s[0]));
	if (!u)
		return 0;
	n = (unsigned)(u - units + 1);
	if (strcmp(s + 1, "") == 0 || strcmp(s + 1, "iB") == 0)
		return power(1024, n);
	if (strcmp(s + 1, "B") == 0)
		return power(1000, n);
	return 0;
}

/* Parse a size: decimal digits, then optionally a suffix: K M G T P E
 * (either case) alone or followed by iB for powers of 1024, or by B for
 * powers of 1000.  Rejects signs, spaces, junk and overflow.
 * Returns 0 or -1; prints nothing. */
int options_parse_size(const char *text, uint64_t *size)
{
	uint64_t v = 0, scale;
	const char *p = text;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	scale = suffix_scale(p);
	if (scale == 0 || v > UINT64_MAX / scale)
		return -1;
	*size = v * scale;
	return 0;
}

/* The index of `text` among the n names, in full, or -1. */
static int find_name(const char *text, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(text, names[i]) == 0)
			return i;
	return -1;
}

/* Parse --sparse's WHEN: auto, always or never, in full.  Returns the
 * enum mcp_sparse value, or -1; prints nothing. */
int options_parse_sparse(const char *text)
{
	static const char *const names[] = {
		[MCP_SPARSE_AUTO] = "auto",
		[MCP_SPARSE_ALWAYS] = "always",
		[MCP_SPARSE_NEVER] = "never",
	};

	return find_name(text, names, (int)(sizeof names / sizeof names[0]));
}

/* Parse --reflink's WHEN: auto, always or never, in full; none (a bare
 * --reflink) is always, as with cp.  Returns the enum mcp_reflink
 * value, or -1; prints nothing. */
int options_parse_reflink(const char *text)
{
	static const char *const names[] = {
		[MCP_REFLINK_AUTO] = "auto",
		[MCP_REFLINK_ALWAYS] = "always",
		[MCP_REFLINK_NEVER] = "never",
	};

	if (!text)
		return MCP_REFLINK_ALWAYS;
	return find_name(text, names, (int)(sizeof names / sizeof names[0]));
}

/* Parse --cache's MODE: auto, keep or drop, in full.  Returns the enum
 * mcp_cache value, or -1; prints nothing. */
int options_parse_cache(const char *text)
{
	static const char *const names[] = {
		[MCP_CACHE_AUTO] = "auto",
		[MCP_CACHE_KEEP] = "keep",
		[MCP_CACHE_DROP] = "drop",
	};

	return find_name(text, names, (int)(sizeof names / sizeof names[0]));
}

/* Parse --sync-method's HOW: range or msync, in full.  Returns the enum
 * mcp_sync_method value, or -1; prints nothing. */
int options_parse_sync_method(const char *text)
{
	static const char *const names[] = {
		[MCP_SYNC_RANGE] = "range",
		[MCP_SYNC_MSYNC] = "msync",
	};

	return find_name(text, names, (int)(sizeof names / sizeof names[0]));
}

/* Parse --preserve's ATTR_LIST: mode, ownership, timestamps or all,
 * each in full, separated by commas; none (a bare --preserve) is all.
 * Returns the MCP_PRESERVE_* bits and 0, or -1 with *bad pointing at the
 * first word that is none of them (cut at its comma); prints nothing. */
int options_parse_preserve(const char *text, unsigned *bits, char *bad,
			   size_t bad_size)
{
	static const char *const names[] = {
		"mode", "ownership", "timestamps", "all",
	};
	static const unsigned values[] = {
		MCP_PRESERVE_MODE, MCP_PRESERVE_OWNERSHIP,
		MCP_PRESERVE_TIMESTAMPS, MCP_PRESERVE_ALL,
	};
	const char *p = text;

	*bits = text ? 0 : MCP_PRESERVE_ALL;
	while (p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char word[16];
		int i = -1;

		if (len < sizeof word) {
			memcpy(word, p, len);
			word[len] = '\0';
			i = find_name(word, names, 4);
		}
		if (i < 0) {
			snprintf(bad, bad_size, "%.*s", (int)len, p);
			return -1;
		}
		*bits |= values[i];
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* The CPUs this process may run on, as nproc counts them. */
unsigned options_default_jobs(void)
{
	cpu_set_t set;
	long n = 0;

	if (sched_getaffinity(0, sizeof set, &set) == 0)
		n = CPU_COUNT(&set);
	if (n < 1)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > MCP_JOBS_MAX ? MCP_JOBS_MAX : (unsigned)n;
}

/* Parse the hidden --progress-interval and --journal-interval: 0 to
 * 60000 ms.  Returns 0 or
 * -1; prints nothing. */
static int parse_ms(const char *text, long *ms)
{
	long v = 0;

	if (!*text)
		return -1;
	for (const char *p = text; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p - '0');
		if (v > 60000)
			return -1;
	}
	*ms = v;
	return 0;
}

/* -t's DIRECTORY, and the operands with it appended, until
 * options_free. */
static char *target_dir;
static const char **with_target;

/* -t DIR or -T, which exclude each other, as in cp.  Returns -1 to go
 * on, or the exit status. */
static int set_target(struct mcp_opts *o, int target, const char *dir)
{
	if (o->target != MCP_TARGET_AUTO && o->target != target)
		return usage_error("cannot combine --target-directory (-t) and "
				   "--no-target-directory (-T)%s", "");
	o->target = target;
	if (!dir)
		return -1;
	free(target_dir);
	target_dir = strdup(dir);
	if (!target_dir) {
		msg_errorf("cannot parse the command line: %s",
			   strerror(errno));
		return MCP_EXIT_FAILURE;
	}
	return -1;
}

/* --preserve=ATTR_LIST: its attributes join those of earlier ones, as
 * with cp.  Returns -1 to go on, or the exit status. */
static int set_preserve(struct mcp_opts *o, const char *arg)
{
	unsigned bits;
	char bad[256];

	if (options_parse_preserve(arg, &bits, bad, sizeof bad) != 0)
		return usage_error("invalid argument '%s' for '--preserve' "
				   "(mode, ownership, timestamps or all)", bad);
	o->preserve |= bits;
	return -1;
}

/* Apply the option `val` with argument `arg`.  Returns -1 to go on, or
 * the exit status to end with. */
static int apply(poptContext ctx, int val, const char *arg,
		 struct mcp_opts *o)
{
	switch (val) {
	case OPT_JOBS:
		if (options_parse_jobs(arg, &o->jobs) != 0)
			return usage_error("invalid number of jobs: '%s' "
					   "(1 to 1024)", arg);
		return -1;
	case OPT_CHUNK:
		if (options_parse_size(arg, &o->chunk_size) != 0 ||
		    o->chunk_size == 0)
			return usage_error("invalid chunk size: '%s'", arg);
		return -1;
	case OPT_SPARSE:
		o->sparse = options_parse_sparse(arg);
		if (o->sparse < 0)
			return usage_error("invalid --sparse mode: '%s' (auto, "
					   "always or never)", arg);
		return -1;
	case OPT_REFLINK:
		o->reflink = options_parse_reflink(arg);
		if (o->reflink < 0)
			return usage_error("invalid --reflink mode: '%s' (auto, "
					   "always or never)", arg);
		return -1;
	case OPT_CACHE:
		o->cache = options_parse_cache(arg);
		if (o->cache < 0)
			return usage_error("invalid --cache mode: '%s' (auto, "
					   "keep or drop)", arg);
		return -1;
	case OPT_SYNC_METHOD:
		o->sync_method = options_parse_sync_method(arg);
		if (o->sync_method < 0)
			return usage_error("invalid --sync-method: '%s' (range "
					   "or msync)", arg);
		return -1;
	case OPT_TARGET_DIR: return set_target(o, MCP_TARGET_DIR, arg);
	case OPT_NO_TARGET_DIR: return set_target(o, MCP_TARGET_FILE, NULL);
	case OPT_VERIFY: o->verify = true; return -1;
	case OPT_NO_SYNC: o->sync = false; return -1;
	case OPT_NO_CLOBBER: o->no_clobber = true; return -1;
	case OPT_FORCE: o->force = true; return -1;
	case OPT_PRESERVE: return set_preserve(o, arg);
	case OPT_PRESERVE_ALL: o->preserve |= MCP_PRESERVE_ALL; return -1;
	case OPT_ATOMIC: o->atomic = true; return -1;
	case OPT_RESUME: o->resume = true; return -1;
	case OPT_VERBOSE: o->verbosity = MCP_VERBOSE; return -1;
	case OPT_QUIET: o->verbosity = MCP_QUIET; return -1;
	case OPT_PROGRESS: o->progress = true; return -1;
	case OPT_STATS: o->stats = true; return -1;
	case OPT_JSON: o->json = true; return -1;
	case OPT_PROGRESS_MS:
		if (parse_ms(arg, &o->progress_ms) != 0)
			return usage_error("invalid progress interval: '%s'",
					   arg);
		return -1;
	case OPT_JOURNAL_MS:
		if (parse_ms(arg, &o->journal_ms) != 0)
			return usage_error("invalid journal interval: '%s'",
					   arg);
		return -1;
	case OPT_HELP:
		poptPrintHelp(ctx, stdout, 0);
		fputs(epilogue, stdout);
		break;
	case OPT_USAGE:
		poptPrintUsage(ctx, stdout, 0);
		break;
	case OPT_VERSION:
		fputs(version_text, stdout);
		break;
	}
	return options_close_stdout() == 0 ? MCP_EXIT_OK : MCP_EXIT_FAILURE;
}

/* The context whose storage the operands point into, until
 * options_free. */
static poptContext parsed;

/* -t: the n sources, then DIRECTORY, as the last operand always is.
 * Returns -1, or the exit status. */
static int append_target(const char **args, int n, struct mcp_opts *o)
{
	with_target = calloc((size_t)n + 2, sizeof *with_target);
	if (!with_target) {
		msg_errorf("cannot parse the command line: %s",
			   strerror(errno));
		return MCP_EXIT_FAILURE;
	}
	memcpy(with_target, args, (size_t)n * sizeof *args);
	with_target[n] = target_dir;
	o->operands = with_target;
	o->n_operands = n + 1;
	return -1;
}

/* Take the operands from popt's context and check their number. */
static int take_operands(poptContext ctx, struct mcp_opts *o)
{
	const char **args = poptGetArgs(ctx);
	int n = 0;

	while (args && args[n])
		n++;
	if (n == 0)
		return usage_error("missing file operand%s", "");
	if (o->target == MCP_TARGET_DIR)
		return append_target(args, n, o);
	if (n == 1)
		return usage_error("missing destination file operand after "
				   "'%s'", args[0]);
	if (o->target == MCP_TARGET_FILE && n > 2)
		return usage_error("extra operand '%s'", args[2]);
	o->operands = args;
	o->n_operands = n;
	return -1;
}

/* Run popt over argv; returns -1 to go on or an exit status. */
static int run_popt(poptContext ctx, struct mcp_opts *o)
{
	int val, end = -1;

	poptSetOtherOptionHelp(ctx, synopsis);
	while (end < 0 && (val = poptGetNextOpt(ctx)) > 0) {
		char *arg = poptGetOptArg(ctx);

		end = apply(ctx, val, arg, o);
		free(arg);
	}
	if (end >= 0)
		return end;
	if (val < -1) {
		char why[512];

		snprintf(why, sizeof why, "%s: %s",
			 poptBadOption(ctx, POPT_BADOPTION_NOALIAS),
			 poptStrerror(val));
		return usage_error("%s", why);
	}
	if (o->reflink == MCP_REFLINK_ALWAYS && o->sparse == MCP_SPARSE_NEVER)
		return usage_error("--reflink=always cannot honour "
				   "--sparse=never%s", "");
	if (o->resume && !o->sync)
		return usage_error("--resume needs durable chunks; it cannot be "
				   "combined with --no-sync%s", "");
	return take_operands(ctx, o);
}

/* argv with each bare --reflink or --preserve spelled out, until
 * options_free. */
static const char **spelled;

/* What a bare optional-argument option means, spelled out; NULL for
 * any other word. */
static const char *spelled_out(const char *arg)
{
	if (strcmp(arg, "--reflink") == 0)
		return "--reflink=always";
	if (strcmp(arg, "--preserve") == 0)
		return "--preserve=all";
	return NULL;
}

/*
 * cp takes WHEN only as --reflink=WHEN, and ATTR_LIST only as
 * --preserve=ATTR_LIST; popt's optional argument would take the next
 * word (SOURCE) as its value.  So a bare --reflink or --preserve, before
 * any "--", is spelled out before popt sees it.  Returns argv, or a copy
 * kept in `spelled`; NULL when memory for it is lacking.
 */
static const char **spell_bare(int argc, const char **argv)
{
	int i;

	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (spelled_out(argv[i]))
			break;
	if (i == argc || strcmp(argv[i], "--") == 0)
		return argv;
	spelled = calloc((size_t)argc + 1, sizeof *spelled);
	if (!spelled)
		return NULL;
	for (i = 0; i < argc; i++)
		spelled[i] = argv[i];
	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (spelled_out(argv[i]))
			spelled[i] = spelled_out(argv[i]);
	return spelled;
}

/*
 * Fill *opts from argv.  Returns 0 to go on with the copy; otherwise
 * returns -1 and *status is the exit status (help shown, or a usage
 * error printed).
 */
int options_parse(int argc, const char **argv, struct mcp_opts *opts,
		  int *status)
{
	poptContext ctx;

	memset(opts, 0, sizeof *opts);
	opts->jobs = options_default_jobs();
	opts->sync = true;
	opts->verbosity = MCP_NORMAL;
	opts->progress_ms = -1;
	opts->journal_ms = -1;
	argv = spell_bare(argc, argv);
	ctx = argv ? poptGetContext(PACKAGE, argc, argv, main_table, 0) : NULL;
	if (!ctx) {
		msg_errorf("cannot parse the command line");
		options_free(opts);
		*status = MCP_EXIT_FAILURE;
		return -1;
	}
	*status = run_popt(ctx, opts);
	parsed = ctx;
	if (*status < 0)
		return 0;
	options_free(opts);
	return -1;
}

/* Release what options_parse kept; the operands die with it. */
void options_free(struct mcp_opts *opts)
{
	if (parsed)
		poptFreeContext(parsed);
	parsed = NULL;
	free(spelled);
	spelled = NULL;
	free(with_target);
	with_target = NULL;
	free(target_dir);
	target_dir = NULL;
	opts->operands = NULL;
	opts->n_operands = 0;
}
