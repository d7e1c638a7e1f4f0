/*
 * msg.h - every line mcp prints on stderr goes through here, so the
 * format ("mcp: PATH: what failed: reason") and the verbosity rules
 * live in one place.  Parent process only: workers never print.
 */
#ifndef MCP_MSG_H
#define MCP_MSG_H

#include "fault.h"
#include "mcp.h"

#define MCP_PRINTF(f, a) __attribute__((format(printf, f, a)))

void msg_set_verbosity(int verbosity);
int msg_verbosity(void);
void msg_error(const char *path, const char *what, int err);
void msg_errorf(const char *fmt, ...) MCP_PRINTF(1, 2);
void msg_warnf(const char *fmt, ...) MCP_PRINTF(1, 2);
void msg_verbosef(const char *fmt, ...) MCP_PRINTF(1, 2);
void msg_line(const char *fmt, ...) MCP_PRINTF(1, 2);
void msg_line_open(bool open);
void msg_end_line(void);
void msg_error_reset(void);
const char *msg_first_error(void);
void msg_fault(const struct mcp_fault *fault, const char *src,
	       const char *dst);

#endif
