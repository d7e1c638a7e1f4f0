/*
 * main.c - mcp: copy large files through memory mappings split across
 * worker processes.  Parse the options, copy each operand, and map the
 * outcome to the exit status: 0, 1 when any copy failed, 2 for usage.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "window.h"
#include "files.h"
#include "job.h"
#include "msg.h"
#include "options.h"
#include "signals.h"

/* After a terminating signal the copy is cleaned up; now die of it. */
static void die_if_signalled(void)
{
	int sig = signals_caught();

	if (sig)
		signals_die(sig);
}

/* Copy each SOURCE into DIRECTORY; one failure does not stop the rest. */
static int copy_into(const struct mcp_opts *o, int n_src, const char *dir)
{
	int status = MCP_EXIT_OK;

	for (int i = 0; i < n_src; i++) {
		const char *src = o->operands[i];
		char *dst = files_dest_in_dir(dir, src);

		if (!dst || job_copy(o, src, dst) != 0)
			status = MCP_EXIT_FAILURE;
		free(dst);
		die_if_signalled();
	}
	return status;
}

static int run(const struct mcp_opts *o)
{
	const char *last = o->operands[o->n_operands - 1];

	if (files_is_dir(last))
		return copy_into(o, o->n_operands - 1, last);
	if (o->n_operands > 2) {
		msg_errorf("target '%s' is not a directory", last);
		return MCP_EXIT_FAILURE;
	}
	if (job_copy(o, o->operands[0], last) != 0) {
		die_if_signalled();
		return MCP_EXIT_FAILURE;
	}
	die_if_signalled();
	return MCP_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct mcp_opts opts;
	int status;

	if (options_parse(argc, (const char **)argv, &opts, &status) != 0)
		return status;
	msg_set_verbosity(opts.verbosity);
	if (signals_init() != 0 || window_install_sigbus() != 0) {
		msg_errorf("cannot install signal handlers");
		options_free(&opts);
		return MCP_EXIT_FAILURE;
	}
	status = run(&opts);
	options_free(&opts);
	return status;
}
