/*
 * msg.c - diagnostics on stderr.  Errors always print; warnings unless
 * --quiet; notes only with --verbose.  Success prints nothing, so cron
 * sees silence.  A progress line left open on a terminal is ended before
 * any other line, and the first error since msg_error_reset is kept for
 * the JSON report.
 */
#include <config.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "quote.h"

static int verbosity = MCP_NORMAL;
/* A progress line without its newline is on stderr. */
static bool line_open;
/* The first error since msg_error_reset, without the "mcp: " prefix. */
static char first_error[512];
static bool have_error;

void msg_set_verbosity(int v)
{
	verbosity = v;
}

int msg_verbosity(void)
{
	return verbosity;
}

/* Progress tells us whether it left its line open on the terminal. */
void msg_line_open(bool open)
{
	line_open = open;
}

/* End an open progress line, so the next line starts at the margin. */
void msg_end_line(void)
{
	if (line_open)
		fputc('\n', stderr);
	line_open = false;
}

/* Forget the error kept so far: a new file begins. */
void msg_error_reset(void)
{
	have_error = false;
	first_error[0] = '\0';
}

/* The first error printed since msg_error_reset (cut to a few hundred
 * bytes), or NULL. */
const char *msg_first_error(void)
{
	return have_error ? first_error : NULL;
}

static void keep_error(const char *fmt, va_list ap)
{
	if (have_error)
		return;
	vsnprintf(first_error, sizeof first_error, fmt, ap);
	have_error = true;
}

static void vprint(const char *fmt, va_list ap)
{
	msg_end_line();
	fputs(PACKAGE ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* "mcp: PATH: WHAT: strerror(err)"; WHAT may be NULL.  A PATH with a
 * control character in it is shell-quoted (quote.c). */
void msg_error(const char *path, const char *what, int err)
{
	path = quote_bare(path);
	if (what)
		msg_errorf("%s: %s: %s", path, what, strerror(err));
	else
		msg_errorf("%s: %s", path, strerror(err));
}

void msg_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep_error(fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

/* A line of output asked for (--stats, SIGUSR1), not a diagnostic: no
 * "mcp: " prefix, printed whatever the verbosity. */
void msg_line(const char *fmt, ...)
{
	va_list ap;

	msg_end_line();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void msg_warnf(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < MCP_NORMAL)
		return;
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

void msg_verbosef(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < MCP_VERBOSE)
		return;
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

/* A worker's fault, recorded as data in the shared mapping, as one line. */
void msg_fault(const struct mcp_fault *f, const char *src, const char *dst)
{
	const char *path = quote_bare(f->side == MCP_SIDE_SRC ? src : dst);

	switch (f->err) {
	case MCP_ECHANGED:
		msg_errorf("%s: file changed during copy", path);
		break;
	case MCP_EKILLED:
		msg_errorf("%s: copy worker %u (pid %ld) was killed by signal "
			   "%d (%s)",
			   path, f->worker + 1, (long)f->pid, f->aux,
			   strsignal(f->aux));
		break;
	case MCP_EEXIT:
		msg_errorf("%s: copy worker %u (pid %ld) exited with status %d",
			   path, f->worker + 1, (long)f->pid, f->aux);
		break;
	case MCP_EDIFFER:
		msg_errorf("%s: verify failed: first difference at byte %llu",
			   path, (unsigned long long)f->offset);
		break;
	case MCP_EDIGEST: /* where, a checksum cannot say */
		msg_errorf("%s: verify failed: does not match what was read "
			   "from %s",
			   path, quote(src));
		break;
	default:
		msg_error(path, f->what, f->err);
		break;
	}
}
