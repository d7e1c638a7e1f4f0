#!/bin/sh
# On the read/write path a full disk cannot be found out up front (a
# pipe's size is unknown): the write that fails says "No space left on
# device", exit 1, and DEST is removed.  Needs root to mount a tmpfs.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
mkdir mnt
mount -t tmpfs -o size=4m mcp-test "$WORK/mnt" 2>/dev/null ||
	skip "cannot mount a tmpfs"
at_exit "umount '$WORK/mnt' || umount -l '$WORK/mnt'"
random_file src 8388608

expect_pipe_exit 1 src "$MCP" - mnt/dst
expect_no_stdout
expect_stderr "mcp: mnt/dst: No space left on device"
no_leftovers mnt
