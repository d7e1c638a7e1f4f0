/*
 * signals.c - how mcp hears the signals that end it.
 *
 * In the parent, a handler records the first terminating signal and
 * raises the stop flag of the copy in progress (an atomic store, which is
 * async-signal-safe).  While the parent waits for workers it blocks these
 * signals and SIGCHLD and takes them with sigtimedwait, so no signal can
 * slip in between a check and a blocking wait.  Signals that were ignored
 * when mcp started (nohup, `&` in a script) stay ignored, as in cp.
 *
 * SIGUSR1 asks for a status line, as with dd: its handler (or the wait)
 * only raises a flag, which the parent's progress tick takes.  It is
 * caught even when it was ignored at the start, as dd does, and with
 * SA_RESTART, so it breaks no system call.  Workers ignore it.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "signals.h"

/* SIGPIPE too: when the reader of -P or --json output goes away
 * (mcp -P ... 2>&1 | head), dying of it at once would leave DEST. */
static const int term_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
#define N_TERM_SIGS (sizeof term_sigs / sizeof term_sigs[0])

static volatile sig_atomic_t caught;
static _Atomic int *volatile watched;
static bool ignored[N_TERM_SIGS];
static _Atomic int status_wanted;

static void on_term(int sig)
{
	_Atomic int *stop = watched;

	if (!caught)
		caught = sig;
	if (stop)
		atomic_store(stop, 1);
}

static void on_usr1(int sig)
{
	(void)sig;
	atomic_store(&status_wanted, 1);
}

/* Catch SIGUSR1 whatever it was, without interrupting system calls. */
static int catch_usr1(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	return sigaction(SIGUSR1, &sa, NULL);
}

/* Install the handlers.  Returns -1 with errno set; prints nothing. */
int signals_init(void)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_TERM_SIGS; i++) {
		if (sigaction(term_sigs[i], NULL, &old) != 0)
			return -1;
		ignored[i] = old.sa_handler == SIG_IGN;
		sa.sa_handler = ignored[i] ? SIG_IGN : on_term;
		if (sigaction(term_sigs[i], &sa, NULL) != 0)
			return -1;
	}
	if (catch_usr1() != 0)
		return -1;
	/* Past RLIMIT_FSIZE (ulimit -f) the kernel sends SIGXFSZ, whose
	 * default kills us with DEST left behind.  Ignored, the ftruncate or
	 * write fails with EFBIG instead, which is reported and cleaned up
	 * like any error.  Workers inherit this. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGXFSZ, &sa, NULL) != 0)
		return -1;
	/* An inherited SIG_IGN for SIGCHLD would make the kernel reap our
	 * workers itself and hide how they ended. */
	sa.sa_handler = SIG_DFL;
	return sigaction(SIGCHLD, &sa, NULL);
}

/* Whether a status line is asked for, leaving the request in place. */
bool signals_status_pending(void)
{
	return atomic_load(&status_wanted) != 0;
}

/* Whether a status line was asked for (SIGUSR1) since the last call. */
bool signals_status_wanted(void)
{
	return atomic_exchange(&status_wanted, 0) != 0;
}

/* The stop flag the handler raises, or NULL. */
void signals_watch(_Atomic int *stop)
{
	watched = stop;
}

/* The first terminating signal received so far, or 0. */
int signals_caught(void)
{
	return caught;
}

/* SIGCHLD, SIGUSR1 and the terminating signals we listen to.  An ignored signal
 * must stay out: Linux keeps a blocked signal pending even when it is
 * ignored, and sigtimedwait would then hand it to us. */
static void wait_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < N_TERM_SIGS; i++)
		if (!ignored[i])
			sigaddset(set, term_sigs[i]);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGUSR1);
}

/* Block the signals signals_wait takes; the old mask goes to *old. */
int signals_block(sigset_t *old)
{
	sigset_t set;

	wait_set(&set);
	return sigprocmask(SIG_BLOCK, &set, old);
}

int signals_restore(const sigset_t *old)
{
	return sigprocmask(SIG_SETMASK, old, NULL);
}

/*
 * While signals_block is in force: let the terminating signals in (on)
 * or keep them out again (off), SIGCHLD and SIGUSR1 staying blocked.
 * For output: a write to a stderr nobody reads (a stalled ssh session,
 * Ctrl-S, a pager) waits for ever, and with these signals blocked
 * nothing but SIGKILL could stop mcp, leaving DEST.  Let in, their
 * handler (installed without SA_RESTART) ends such a write with EINTR.
 * Returns -1 with errno set.
 */
int signals_let_term(bool on)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < N_TERM_SIGS; i++)
		if (!ignored[i])
			sigaddset(&set, term_sigs[i]);
	return sigprocmask(on ? SIG_UNBLOCK : SIG_BLOCK, &set, NULL);
}

/*
 * With the signals blocked, wait up to timeout_ms for one of them.
 * Returns the signal (a terminating one is also recorded as caught, a
 * SIGUSR1 as a status request), 0 on timeout, -1 with errno on error.
 */
int signals_wait(long timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, timeout_ms % 1000 * 1000000 };
	sigset_t set;
	int sig;

	wait_set(&set);
	do
		sig = sigtimedwait(&set, NULL, &ts);
	while (sig < 0 && errno == EINTR);
	if (sig < 0)
		return errno == EAGAIN ? 0 : -1;
	if (sig == SIGUSR1)
		on_usr1(sig);
	else if (sig != SIGCHLD)
		on_term(sig);
	return sig;
}

/* In a freshly forked worker: the dispositions mcp started with, and an
 * empty mask, so a worker dies of SIGINT/SIGTERM like any process; but
 * SIGUSR1 ignored, so a status request aimed at the whole process group
 * kills no worker (one pending from the parent's mask is dropped); and
 * SIGWINCH, which -P's parent listens to, back to being ignored. */
void signals_child_reset(void)
{
	sigset_t none;

	for (size_t i = 0; i < N_TERM_SIGS; i++)
		signal(term_sigs[i], ignored[i] ? SIG_IGN : SIG_DFL);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGWINCH, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Die by `sig` after cleaning up, as if it had never been caught. */
void signals_die(int sig)
{
	sigset_t set;

	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* Only reached if the signal could not kill us. */
	_exit(128 + sig); /* cppcheck-suppress unreachableCode */
}
