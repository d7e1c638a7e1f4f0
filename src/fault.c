/*
 * fault.c - filling in a fault record (fault.h).  Async-signal-safe and
 * free of stdio, so a worker may record its own.
 */
#include <config.h>

#include <sys/wait.h>

#include "fault.h"

void fault_set(struct mcp_fault *f, int side, int err, const char *what,
	       uint64_t offset)
{
	f->side = side;
	f->err = err;
	f->what = what;
	f->offset = offset;
}

/* Worker `worker` (pid) ended with wait status `status` without a fault
 * of its own: killed by a signal, or an exit status it never uses.  The
 * fault is DEST's, whose copy is now incomplete. */
void fault_worker_ended(struct mcp_fault *f, unsigned worker, pid_t pid,
			int status)
{
	f->side = MCP_SIDE_DST;
	f->worker = worker;
	f->pid = pid;
	if (WIFSIGNALED(status)) {
		f->err = MCP_EKILLED;
		f->aux = WTERMSIG(status);
	} else {
		f->err = MCP_EEXIT;
		f->aux = WEXITSTATUS(status);
	}
}
