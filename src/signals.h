/*
 * signals.h - SIGINT, SIGTERM and SIGHUP stop the copy, clean up, and
 * then kill mcp with the same signal, so a shell sees the real cause;
 * SIGUSR1 asks for a status line.
 */
#ifndef MCP_SIGNALS_H
#define MCP_SIGNALS_H

#include <signal.h>

#include "mcp.h"

int signals_init(void);
void signals_watch(_Atomic int *stop);
int signals_caught(void);
bool signals_status_pending(void);
bool signals_status_wanted(void);
int signals_block(sigset_t *old);
int signals_restore(const sigset_t *old);
int signals_let_term(bool on);
int signals_wait(long timeout_ms);
void signals_child_reset(void);
void signals_die(int sig);

#endif
