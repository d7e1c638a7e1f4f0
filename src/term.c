/*
 * term.c - how wide the terminal is, for -P's line, which must never
 * wrap: a wrapped line cannot be redrawn in place with \r, and each
 * redraw would scroll the terminal instead.  The width is asked for once
 * (TIOCGWINSZ) and again only after the terminal says it changed
 * (SIGWINCH), not on every redraw.
 */
#include <config.h>

#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>

#include "term.h"

static volatile sig_atomic_t resized;
static bool watching;
static unsigned columns;

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

/* Listen to SIGWINCH, whose default is to be ignored.  SA_RESTART, so a
 * resize never ends a read or write early.  Failing that, the width
 * read first stays: a line that may wrap, not a failed copy. */
static void watch(void)
{
	struct sigaction sa;

	watching = true;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGWINCH, &sa, NULL);
}

/* The columns of the terminal on fd: TERM_DEFAULT_COLUMNS when it does
 * not say (0 columns, or not a terminal after all). */
unsigned term_columns(int fd)
{
	struct winsize ws;

	if (!watching)
		watch();
	if (columns && !resized)
		return columns;
	resized = 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		columns = ws.ws_col;
	else
		columns = TERM_DEFAULT_COLUMNS;
	return columns;
}
