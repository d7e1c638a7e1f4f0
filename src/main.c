/*
 * main.c - mcp: copy large files through memory mappings split across
 * worker processes.  Parse the options, copy each operand, and map the
 * outcome to the exit status: 0, 1 when any copy failed, 2 for usage.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "window.h"
#include "files.h"
#include "job.h"
#include "msg.h"
#include "options.h"
#include "quote.h"
#include "report.h"
#include "signals.h"

/* After a terminating signal the copy is cleaned up; now die of it. */
static void die_if_signalled(void)
{
	int sig = signals_caught();

	if (sig)
		signals_die(sig);
}

/*
 * A closed stdin, stdout or stderr would be the next file opened: DEST,
 * into which our output (--json, --stats, an error) would then go.  Put
 * /dev/null there, read-only, so that writing to it fails and is
 * reported instead.  Returns 0, or -1 (nothing can be printed).
 */
static int guard_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		got = open("/dev/null", O_RDONLY);
		if (got != fd) {
			if (got >= 0)
				close(got);
			return -1;
		}
	}
	return 0;
}

/*
 * The DESTs this run has written into one DIRECTORY, by device and inode,
 * as cp remembers them: two SOURCEs of the same name (a/x b/x DIR) would
 * otherwise have the second copy silently replace the first, or, when it
 * failed, remove it.  Device and inode catch every spelling of the name.
 */
struct made {
	struct stat *st;
	int n;
};

/* Whether dst is a file this run already wrote; if so, say so. */
static bool just_created(const struct made *m, const char *src, const char *dst)
{
	struct stat st;

	if (!m || stat(dst, &st) != 0)
		return false;
	for (int i = 0; i < m->n; i++)
		if (m->st[i].st_dev == st.st_dev &&
		    m->st[i].st_ino == st.st_ino) {
			msg_errorf("will not overwrite just-created %s "
				   "with %s",
				   quote(dst), quote(src));
			return true;
		}
	return false;
}

/* Remember the DEST a copy has just finished.  Only a finished one: a
 * failed copy removed its DEST, and its inode may go to another file. */
static void remember(struct made *m, const char *dst)
{
	if (m && stat(dst, &m->st[m->n]) == 0)
		m->n++;
}

/* One copy, told about as asked (-P, --stats, --json).  With -n, a DEST
 * made by this run is skipped like any existing one, as cp -n does. */
static int copy_one(const struct mcp_opts *o, const char *src, const char *dst,
		    struct made *m)
{
	int rc = -1;

	report_begin(src, dst);
	if (o->no_clobber || !just_created(m, src, dst))
		rc = job_copy(o, src, dst);
	report_end(rc);
	if (rc == 0)
		remember(m, dst);
	return rc;
}

/* Copy each SOURCE into DIRECTORY; one failure does not stop the rest. */
static int copy_into(const struct mcp_opts *o, int n_src, const char *dir)
{
	int status = MCP_EXIT_OK;
	struct made m = {calloc((size_t)n_src, sizeof *m.st), 0};

	if (!m.st) {
		msg_error(dir, NULL, errno);
		return MCP_EXIT_FAILURE;
	}
	for (int i = 0; i < n_src; i++) {
		const char *src = o->operands[i];
		char *dst = files_dest_in_dir(dir, src);

		if (!dst || copy_one(o, src, dst, &m) != 0)
			status = MCP_EXIT_FAILURE;
		free(dst);
		if (signals_caught())
			break;
	}
	free(m.st);
	die_if_signalled();
	return status;
}

/* Whether the copies go into the last operand, a directory: when it is
 * one (cp's rule), unless -T says it is DEST itself. */
static bool into_dir(const struct mcp_opts *o)
{
	return o->target != MCP_TARGET_FILE &&
	       files_is_dir(o->operands[o->n_operands - 1]);
}

/*
 * Refuse the whole run, before any DEST is created or emptied, when one
 * of them is where our output goes (files_check_output).  Standard input
 * as a SOURCE into DIRECTORY has no DEST: that is refused later.
 * Returns 0, or -1 after printing.
 */
static int check_outputs(const struct mcp_opts *o)
{
	const char *last = o->operands[o->n_operands - 1];
	int rc = 0;

	if (!into_dir(o))
		return o->n_operands == 2 && o->target != MCP_TARGET_DIR
			       ? files_check_output(last, o->json)
			       : 0;
	for (int i = 0; i < o->n_operands - 1 && rc == 0; i++) {
		char *dst;

		if (strcmp(o->operands[i], "-") == 0)
			continue;
		dst = files_dest_in_dir(last, o->operands[i]);
		if (!dst || files_check_output(dst, o->json) != 0)
			rc = -1;
		free(dst);
	}
	return rc;
}

/* --verify to DEST dst: a usage error, printed, when dst cannot be
 * read back.  Returns 0 or MCP_EXIT_USAGE. */
static int check_readable(const char *dst)
{
	const char *kind = files_unreadable_kind(dst);
	char why[PATH_MAX + 128];

	if (!kind)
		return 0;
	snprintf(why, sizeof why,
		 "--verify: %s is %s, which cannot be read back", quote(dst),
		 kind);
	return options_usage_error(why);
}

/*
 * --verify reads DEST back; where it cannot (a FIFO, a character
 * device), the option cannot be honoured and no copy may start: a usage
 * error, before anything is written.  With -n an existing DEST is
 * skipped anyway.  Standard input has no name in a DIRECTORY (the copy
 * says so).  Returns 0, MCP_EXIT_USAGE, or MCP_EXIT_FAILURE (printed).
 */
static int check_verifiable(const struct mcp_opts *o)
{
	const char *last = o->operands[o->n_operands - 1];
	int rc = 0;

	if (!o->verify || o->no_clobber)
		return 0;
	if (!into_dir(o))
		return o->target == MCP_TARGET_DIR ? 0 : check_readable(last);
	for (int i = 0; rc == 0 && i < o->n_operands - 1; i++) {
		char *dst;

		if (strcmp(o->operands[i], "-") == 0)
			continue;
		dst = files_dest_in_dir(last, o->operands[i]);
		rc = dst ? check_readable(dst) : MCP_EXIT_FAILURE;
		free(dst);
	}
	return rc;
}

/*
 * --resume continues a copy from SOURCE's chunks, which needs a SOURCE
 * that can be read again at any offset and is the same file next time:
 * standard input, a pipe, a FIFO, a character device or a socket is a
 * usage error, before anything is written; so is a block device, whose
 * mtime does not change when its contents do.  Returns 0 or MCP_EXIT_USAGE.
 */
static int check_resumable(const struct mcp_opts *o)
{
	char why[PATH_MAX + 128];

	if (!o->resume)
		return 0;
	for (int i = 0; i < o->n_operands - 1; i++) {
		const char *src = o->operands[i];
		struct stat st;

		if (strcmp(src, "-") != 0 &&
		    (stat(src, &st) != 0 || S_ISREG(st.st_mode) ||
		     S_ISDIR(st.st_mode)))
			continue; /* the copy itself reports what is wrong */
		if (strcmp(src, "-") != 0 && S_ISBLK(st.st_mode))
			snprintf(why, sizeof why,
				 "--resume: '%s' is a block device, whose "
				 "changes between two runs cannot be seen",
				 src);
		else
			snprintf(why, sizeof why,
				 "--resume: '%s' is %s, which cannot be read "
				 "again",
				 src, strcmp(src, "-") == 0
					      ? "standard input"
					      : "a pipe or a device");
		return options_usage_error(why);
	}
	return 0;
}

static int run(const struct mcp_opts *o)
{
	const char *last = o->operands[o->n_operands - 1];

	if (into_dir(o))
		return copy_into(o, o->n_operands - 1, last);
	if (o->n_operands > 2 || o->target == MCP_TARGET_DIR) {
		msg_errorf("target %s is not a directory", quote(last));
		return MCP_EXIT_FAILURE;
	}
	if (copy_one(o, o->operands[0], last, NULL) != 0) {
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

	if (guard_std_fds() != 0)
		return MCP_EXIT_FAILURE;
	if (options_parse(argc, (const char **)argv, &opts, &status) != 0)
		return status;
	msg_set_verbosity(opts.verbosity);
	status = check_verifiable(&opts);
	if (status == 0)
		status = check_resumable(&opts);
	if (status != 0) {
		options_free(&opts);
		return status;
	}
	if (signals_init() != 0 || window_install_sigbus() != 0) {
		msg_errorf("cannot install signal handlers");
		options_free(&opts);
		return MCP_EXIT_FAILURE;
	}
	/* Before report_init: no JSON either, as it could land in DEST. */
	if (check_outputs(&opts) != 0) {
		options_free(&opts);
		return MCP_EXIT_FAILURE;
	}
	if (report_init(&opts, opts.n_operands - 1,
			opts.operands[opts.n_operands - 1]) != 0) {
		options_free(&opts);
		return MCP_EXIT_FAILURE;
	}
	status = report_finish(run(&opts));
	options_free(&opts);
	return status;
}
