/*
 * report.c - what mcp tells about its copies, only when asked: the live
 * progress of each copy (-P), dd's summary line (--stats; SIGUSR1 prints
 * it mid-copy whatever the options, as dd does), and one JSON object on
 * stdout (--json), printed even when a copy failed.  One run per
 * process, so the state is this file's own, as msg.c's verbosity is.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "options.h"
#include "progress.h"
#include "quote.h"
#include "report.h"
#include "signals.h"
#include "workers.h"

#define NS_PER_MS 1000000ULL

/* One SOURCE -> DEST copy, as it is told. */
struct record {
	const char *src;
	const char *dst;     /* malloc'd once kept for --json */
	uint64_t size;       /* bytes to copy */
	uint64_t bytes;      /* copied: all, or those before a failure */
	uint64_t ns;         /* from report_begin to report_end */
	uint64_t chunk_size; /* 0 when no plan was made */
	uint64_t holes;      /* bytes of holes left unwritten (--sparse) */
	uint64_t resumed;    /* --resume: bytes an earlier run had copied */
	unsigned workers;    /* worker processes that ran; 0: mcp itself */
	bool ok, skipped, synced, verified;
	bool cloned;         /* --reflink: DEST shares SOURCE's extents */
	char error[256];     /* the first error, when !ok */
};

static struct {
	const struct mcp_opts *o; /* NULL: not asked to report anything */
	bool several;             /* names on each line, "files" in JSON */
	const char *dest;         /* the last operand */
	uint64_t start_ns;        /* when the run began, as dd counts */
	uint64_t begin_ns;        /* when the copy in progress began */
	struct record cur;        /* the copy in progress */
	bool in_file;
	char *name;               /* "'SRC' -> 'DST'" with several */
	struct mcp_progress progress;
	bool drawing;             /* -P, and the copy has its plan */
	uint64_t copied;          /* bytes of the files copied */
	struct record *kept;      /* finished copies, for --json */
	size_t n_kept, room;
	char error[256];          /* the run's first error, for --json */
	bool lost;                /* a record could not be kept */
	bool told;                /* we wrote on stderr */
} rep;

/*
 * Start reporting on a run of n_sources copies into dest.  Returns 0, or
 * -1 after printing when the records --json needs cannot be made.
 */
int report_init(const struct mcp_opts *o, int n_sources, const char *dest)
{
	memset(&rep, 0, sizeof rep);
	rep.start_ns = progress_now();
	rep.several = n_sources > 1;
	rep.dest = dest;
	if (o->json && n_sources > 0) {
		rep.kept = calloc((size_t)n_sources, sizeof *rep.kept);
		if (!rep.kept) {
			msg_errorf("cannot prepare the JSON report: %s",
				   strerror(errno));
			return -1;
		}
		rep.room = (size_t)n_sources;
	}
	rep.o = o;
	return 0;
}

/* "'SRC' -> 'DST'", naming the copy when there are several sources,
 * each name quoted as in diagnostics; without memory for it the lines
 * go unnamed. */
static char *make_name(const char *src, const char *dst)
{
	const char *s = quote(src), *d = quote(dst);
	size_t size = strlen(s) + strlen(d) + sizeof " -> ";
	char *p = malloc(size);

	if (p)
		snprintf(p, size, "%s -> %s", s, d);
	return p;
}

/* A copy from src to dst begins. */
void report_begin(const char *src, const char *dst)
{
	if (!rep.o)
		return;
	memset(&rep.cur, 0, sizeof rep.cur);
	rep.cur.src = src;
	rep.cur.dst = dst;
	rep.in_file = true;
	rep.name = rep.several ? make_name(src, dst) : NULL;
	msg_error_reset();
	rep.begin_ns = progress_now();
}

/* The copy has its plan: the size is known; progress can start. */
/* Start drawing -P's progress for a copy of `total` bytes (or
 * PROGRESS_UNKNOWN). */
static void start_drawing(uint64_t total)
{
	if (!rep.o->progress)
		return;
	progress_begin(&rep.progress, stderr, rep.name, total, rep.begin_ns);
	if (rep.o->progress_ms >= 0)
		progress_set_interval(&rep.progress,
				      (uint64_t)rep.o->progress_ms * NS_PER_MS);
	rep.drawing = true;
	rep.told = true;
}

void report_plan(const struct mcp_plan *plan)
{
	if (!rep.o || !rep.in_file)
		return;
	rep.cur.size = plan->size;
	rep.cur.chunk_size = plan->chunk_size;
	start_drawing(plan->size - rep.cur.resumed);
}

/* --resume: of the copy in progress, `bytes` were copied by an earlier
 * run and are not copied again.  Before report_plan: -P, --stats and
 * --json count only what this run copies. */
void report_resumed(uint64_t bytes)
{
	if (rep.o && rep.in_file)
		rep.cur.resumed = bytes;
}

/* The copy in progress left `bytes` of holes unwritten (--sparse). */
void report_holes(uint64_t bytes)
{
	if (rep.o && rep.in_file)
		rep.cur.holes = bytes;
}

/* The copy in progress passed --verify. */
void report_verified(void)
{
	if (rep.o && rep.in_file)
		rep.cur.verified = true;
}

/* The copy in progress was made as a clone of all `size` bytes: they
 * count as copied, though none was written. */
void report_cloned(uint64_t size)
{
	if (!rep.o || !rep.in_file)
		return;
	rep.cur.size = size;
	rep.cur.bytes = size;
	rep.cur.cloned = true;
}

/* A copy through read/write (stream.c) of `total` bytes, or
 * PROGRESS_UNKNOWN for a pipe: it reports with report_count. */
void report_stream(uint64_t total)
{
	if (!rep.o || !rep.in_file)
		return;
	rep.cur.size = total == PROGRESS_UNKNOWN ? 0 : total;
	start_drawing(total);
}

/* The read/write path's counter: `bytes` written so far.  Draws and
 * answers SIGUSR1 as the workers' wait loop does. */
void report_count(uint64_t bytes)
{
	if (!rep.o || !rep.in_file)
		return;
	rep.cur.bytes = bytes;
	report_tick(NULL);
}

/* The workers' tick, in the parent: their count so far, then what
 * report_tick draws or prints. */
void report_workers_tick(void *unused, const struct workers_pool *pool)
{
	if (!rep.o || !rep.in_file)
		return;
	rep.cur.bytes = workers_bytes_done(pool);
	report_tick(unused);
}

/* The workers' final count, once they are done: kept without drawing,
 * as report_end draws the last line. */
void report_copied(uint64_t bytes)
{
	if (rep.o && rep.in_file)
		rep.cur.bytes = bytes;
}

/* The worker processes that ran the copy in progress (0: mcp copied
 * it itself), for --json's "workers". */
void report_workers(unsigned n)
{
	if (rep.o && rep.in_file)
		rep.cur.workers = n;
}

/* -n left an existing DEST alone. */
void report_skipped(void)
{
	rep.cur.skipped = true;
}

/* dd's line for `bytes` in `ns`, named when there are several sources. */
static void stats_line(const char *name, uint64_t bytes, uint64_t ns)
{
	char line[PROGRESS_LINE_LEN];

	progress_dd_stats(line, sizeof line, bytes, ns);
	msg_line("%s%s%s", name ? name : "", name ? ": " : "", line);
	rep.told = true;
}

/*
 * Whether stderr takes a line now without waiting.  A status line is
 * not worth waiting for: stderr may be a pipe or a terminal nobody
 * drains (a stalled ssh session, Ctrl-S, a pager), and a write that
 * waits there would hold the copy, and its cleanup, up.  Such a line is
 * left for a later tick instead.  An error (POLLERR, a closed reader)
 * counts as room: the write reports it, or raises SIGPIPE.
 */
static bool stderr_room(void)
{
	struct pollfd p = { .fd = STDERR_FILENO, .events = POLLOUT };

	return poll(&p, 1, 0) != 0;
}

/* The workers' tick, in the parent: a status line if SIGUSR1 asked for
 * one, and the progress line when it is due, when stderr has room for
 * them (the request then waits for a later tick).  The lines at the end
 * of a copy (report_end) are always written. */
void report_tick(void *unused)
{
	uint64_t now;

	(void)unused;
	/* Ask stderr for room only when there is a line to write. */
	if (!rep.o || !rep.in_file ||
	    (!rep.drawing && !signals_status_pending()) || !stderr_room())
		return;
	now = progress_now();
	if (signals_status_wanted())
		stats_line(rep.name, rep.cur.bytes, now - rep.begin_ns);
	if (rep.drawing)
		progress_update(&rep.progress, rep.cur.bytes, now);
}

/* Keep the finished copy for the JSON object.  Its DEST may be freed by
 * the caller, so it is copied. */
static void keep(const struct record *r)
{
	struct record *k;

	if (rep.n_kept >= rep.room)
		return;
	k = &rep.kept[rep.n_kept++];
	*k = *r;
	k->dst = strdup(r->dst);
	if (!k->dst) {
		msg_error(r->dst, "cannot keep for the JSON report", errno);
		rep.lost = true;
	}
}

/* The lines that end a copy: a status line still asked for (SIGUSR1),
 * -P's last line, --stats. */
static void tell_end(const struct record *r, uint64_t now)
{
	if (signals_status_wanted())
		stats_line(rep.name, r->bytes, r->ns);
	if (rep.drawing)
		progress_end(&rep.progress, r->bytes, now, r->ok);
	if (rep.o->stats && r->ok && !r->skipped)
		stats_line(rep.name, r->bytes, r->ns);
}

/* The copy that report_begin started ended with rc (0 or -1): finish its
 * progress, print its --stats line, keep it for --json. */
void report_end(int rc)
{
	struct record *r = &rep.cur;
	uint64_t now;

	if (!rep.o || !rep.in_file)
		return;
	now = progress_now();
	r->ns = now - rep.begin_ns;
	r->ok = rc == 0;
	if (r->ok && !r->skipped) {
		/* A pipe's size is known only from what was written. */
		r->bytes = r->size - r->resumed > r->bytes
				   ? r->size - r->resumed
				   : r->bytes;
		r->synced = rep.o->sync;
		rep.copied += r->bytes;
	}
	if (!r->ok) {
		const char *e = msg_first_error();

		snprintf(r->error, sizeof r->error, "%s",
			 e ? e : "copy failed");
		if (!rep.error[0])
			snprintf(rep.error, sizeof rep.error, "%s", r->error);
	}
	/* After a terminating signal mcp only cleans up and dies of it: no
	 * more lines, as the signal that could end a write waiting on a
	 * stalled stderr has already come. */
	if (!signals_caught())
		tell_end(r, now);
	if (rep.o->json)
		keep(r);
	free(rep.name);
	rep.name = NULL;
	rep.drawing = rep.in_file = false;
}

/* The UTF-8 sequence that starts at s: its length, or 0 when s[0] does
 * not start a valid one (overlong, a surrogate, past U+10FFFF, cut). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned lo = 0x80, hi = 0xBF;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

/*
 * s as a JSON string, quotes included.  Quotes, backslashes and control
 * characters are escaped; valid UTF-8 passes through; each byte that is
 * not part of valid UTF-8 (file names are bytes) becomes U+FFFD, so the
 * output is always valid JSON, at the price of such names.
 */
void report_json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	while (*p) {
		size_t n = utf8_len(p);

		if (n == 0) {
			fputs("\\ufffd", out);
			n = 1;
		} else if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p);
		} else if (*p == '\n') {
			fputs("\\n", out);
		} else if (*p == '\t') {
			fputs("\\t", out);
		} else if (*p == '\r') {
			fputs("\\r", out);
		} else if (*p < 0x20) {
			fprintf(out, "\\u%04x", *p);
		} else {
			fwrite(p, 1, n, out);
		}
		p += n;
	}
	fputc('"', out);
}

static void json_string_or_null(FILE *out, const char *s)
{
	if (s)
		report_json_string(out, s);
	else
		fputs("null", out);
}

/* "bytes", "seconds" and "bytes_per_second", with seconds exact to the
 * microsecond and no float that could print as nan or inf. */
static void json_amounts(FILE *out, uint64_t bytes, uint64_t ns)
{
	fprintf(out,
		"\"bytes\":%" PRIu64 ",\"seconds\":%" PRIu64 ".%06" PRIu64
		",\"bytes_per_second\":%" PRIu64,
		bytes, ns / 1000000000, ns % 1000000000 / 1000,
		progress_per_second(bytes, ns));
}

/* The version of the JSON object's schema (man page, JSON OUTPUT):
 * raised when a key changes meaning or goes, not when one is added. */
#define JSON_VERSION 1

/* One copy as a JSON object; `top`: the whole output, with the schema's
 * version first, rather than one of "files". */
static void json_record(FILE *out, const struct record *r, bool top)
{
	fputc('{', out);
	if (top)
		fprintf(out, "\"version\":%d,", JSON_VERSION);
	fputs("\"source\":", out);
	report_json_string(out, r->src);
	fputs(",\"dest\":", out);
	json_string_or_null(out, r->dst);
	fputc(',', out);
	json_amounts(out, r->bytes, r->ns);
	fprintf(out, ",\"jobs\":%u,\"workers\":%u,\"chunk_size\":",
		rep.o->jobs, r->workers);
	if (r->chunk_size)
		fprintf(out, "%" PRIu64, r->chunk_size);
	else
		fputs("null", out);
	fprintf(out,
		",\"synced\":%s,\"verified\":%s,\"cloned\":%s"
		",\"sparse_holes_skipped\":%" PRIu64
		",\"resumed_bytes\":%" PRIu64 ",\"skipped\":%s,\"error\":",
		r->synced ? "true" : "false", r->verified ? "true" : "false",
		r->cloned ? "true" : "false", r->holes, r->resumed,
		r->skipped ? "true" : "false");
	json_string_or_null(out, r->ok ? NULL : r->error);
	fputc('}', out);
}

/* Every kept copy was verified (and there was one). */
static bool all_verified(void)
{
	for (size_t i = 0; i < rep.n_kept; i++)
		if (!rep.kept[i].verified)
			return false;
	return rep.n_kept > 0;
}

/* The most worker processes any one copy ran: copies run one after
 * another, so this is the most that ran at once. */
static unsigned workers_most(void)
{
	unsigned most = 0;

	for (size_t i = 0; i < rep.n_kept; i++)
		if (rep.kept[i].workers > most)
			most = rep.kept[i].workers;
	return most;
}

static uint64_t holes_total(void)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < rep.n_kept; i++)
		sum += rep.kept[i].holes;
	return sum;
}

static uint64_t resumed_total(void)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < rep.n_kept; i++)
		sum += rep.kept[i].resumed;
	return sum;
}

/* Several sources: the copies in "files", the totals beside them. */
static void json_several(FILE *out, int status, const char *error,
			 uint64_t ns)
{
	fprintf(out, "{\"version\":%d,\"dest\":", JSON_VERSION);
	report_json_string(out, rep.dest);
	fputs(",\"files\":[", out);
	for (size_t i = 0; i < rep.n_kept; i++) {
		if (i > 0)
			fputc(',', out);
		json_record(out, &rep.kept[i], false);
	}
	fputs("],", out);
	json_amounts(out, rep.copied, ns);
	fprintf(out,
		",\"jobs\":%u,\"workers\":%u,\"synced\":%s,\"verified\":%s"
		",\"sparse_holes_skipped\":%" PRIu64 ",\"resumed_bytes\":%"
		PRIu64 ",\"error\":",
		rep.o->jobs, workers_most(),
		status == MCP_EXIT_OK && rep.o->sync ? "true" : "false",
		status == MCP_EXIT_OK && all_verified() ? "true" : "false",
		holes_total(), resumed_total());
	json_string_or_null(out, error);
	fputc('}', out);
}

/* The JSON object on stdout.  Returns 0, or -1 after printing when
 * stdout could not take it. */
static int write_json(int status, uint64_t ns)
{
	const char *error = NULL;

	/* The first failed copy's error, else one that came before any copy
	 * ("target 'x' is not a directory"). */
	if (status != MCP_EXIT_OK)
		error = rep.error[0] ? rep.error : msg_first_error();
	if (status != MCP_EXIT_OK && !error)
		error = "copy failed";
	if (rep.several || rep.n_kept != 1)
		json_several(stdout, status, error, ns);
	else
		json_record(stdout, &rep.kept[0], true);
	fputc('\n', stdout);
	return options_close_stdout();
}

/*
 * The run ended with `status`: the total line of --stats (with several
 * sources), the JSON object of --json.  Returns the status to exit with:
 * a failure as well when stdout or stderr could not take what was asked.
 */
int report_finish(int status)
{
	uint64_t ns;

	if (!rep.o)
		return status;
	ns = progress_now() - rep.start_ns;
	if (rep.several && rep.o->stats)
		stats_line("total", rep.copied, ns);
	if (rep.lost)
		status = MCP_EXIT_FAILURE;
	if (rep.o->json && write_json(status, ns) != 0)
		status = MCP_EXIT_FAILURE;
	if (rep.told && (fflush(stderr) != 0 || ferror(stderr)))
		status = MCP_EXIT_FAILURE;
	for (size_t i = 0; i < rep.n_kept; i++)
		free((void *)rep.kept[i].dst);
	free(rep.kept);
	rep.kept = NULL;
	rep.o = NULL;
	return status;
}
