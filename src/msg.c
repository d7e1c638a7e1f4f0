/*
 * msg.c - diagnostics on stderr.  Errors always print; warnings unless
 * --quiet; notes only with --verbose.  Success prints nothing, so cron
 * sees silence.
 */
#include <config.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"

static int verbosity = MCP_NORMAL;

void msg_set_verbosity(int v)
{
	verbosity = v;
}

int msg_verbosity(void)
{
	return verbosity;
}

static void vprint(const char *fmt, va_list ap)
{
	fputs(PACKAGE ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* "mcp: PATH: WHAT: strerror(err)"; WHAT may be NULL. */
void msg_error(const char *path, const char *what, int err)
{
	if (what)
		fprintf(stderr, PACKAGE ": %s: %s: %s\n", path, what,
			strerror(err));
	else
		fprintf(stderr, PACKAGE ": %s: %s\n", path, strerror(err));
}

void msg_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
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
	const char *path = f->side == MCP_SIDE_SRC ? src : dst;

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
	default:
		msg_error(path, f->what, f->err);
		break;
	}
}
