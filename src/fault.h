/*
 * fault.h - what went wrong, as data: a worker cannot print, so a
 * failure is recorded where it happens (which file, which errno or which
 * of mcp's own codes, which operation, where) and printed once by the
 * parent (msg_fault), naming the file.
 */
#ifndef MCP_FAULT_H
#define MCP_FAULT_H

#include <stdint.h>
#include <sys/types.h>

/* Which file a fault concerns. */
enum mcp_side {
	MCP_SIDE_NONE = 0,
	MCP_SIDE_SRC,
	MCP_SIDE_DST,
};

/* errno-like codes for faults that have no errno of their own; errno
 * values are positive, these negative. */
enum mcp_fault_code {
	MCP_ECHANGED = -1, /* the source shrank under us */
	MCP_EKILLED = -2,  /* a worker died by a signal (signal in `aux`) */
	MCP_EEXIT = -3,    /* a worker exited oddly (status in `aux`) */
	MCP_EDIFFER = -4,  /* --verify: DEST differs from `offset` on */
	MCP_EDIGEST = -5,  /* --verify: DEST does not match the checksum
			      of what was read from SOURCE */
};

struct mcp_fault {
	int side;         /* enum mcp_side; MCP_SIDE_NONE: no fault */
	int err;          /* errno, or an enum mcp_fault_code */
	const char *what; /* the failed operation ("msync"), or NULL */
	int aux;          /* signal number or exit status, with MCP_E* */
	unsigned worker;  /* which worker, for MCP_EKILLED/MCP_EEXIT */
	pid_t pid;
	uint64_t offset;  /* where in the file, when known */
};

void fault_set(struct mcp_fault *f, int side, int err, const char *what,
	       uint64_t offset);
void fault_worker_ended(struct mcp_fault *f, unsigned worker, pid_t pid,
			int status);

#endif
