#!/bin/sh
# RLIMIT_FSIZE (ulimit -f) smaller than SOURCE: mcp reports "File too
# large", exits 1 and removes DEST, through the mapped path and the
# read/write path alike.  Without care the kernel's SIGXFSZ would kill
# mcp and leave DEST behind.
set -eu
# shellcheck source=SCRIPTDIR/../cli/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
need_cmd prlimit
random_file src 8388608

for jobs in 1 4; do
	expect_exit 1 prlimit --fsize=1048576 "$MCP" -j "$jobs" src dst
	expect_no_stdout
	expect_stderr "mcp: dst: File too large"
	no_leftovers . src
done

# Over an existing DEST, and with --atomic over one: the old file stays.
random_file old 1000
cp old keep
expect_exit 1 prlimit --fsize=1048576 "$MCP" --atomic src old
expect_stderr "mcp: old: File too large"
cmp old keep || fail "--atomic changed the old DEST"
no_leftovers . src old keep

# The read/write path: a pipe meets the limit at a write, part way.
expect_pipe_exit 1 src prlimit --fsize=1048576 "$MCP" - dst
expect_no_stdout
expect_stderr "mcp: dst: File too large"
no_leftovers . src old keep
