#!/bin/sh
# A full disk fails up front with "No space left on device", exit 1, and
# leaves no DEST, new or existing.  Needs root to mount a small tmpfs.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_root
mkdir mnt
mount -t tmpfs -o size=16m mcp-test "$WORK/mnt" 2>/dev/null ||
	skip "cannot mount a tmpfs"
at_exit "umount '$WORK/mnt' || umount -l '$WORK/mnt'"
random_file src 33554432

expect_exit 1 "$MCP" -j 2 src mnt/dst
expect_no_stdout
expect_stderr "mcp: mnt/dst: No space left on device"
no_leftovers mnt

# An existing small DEST is emptied for the copy, so it goes too: never
# a file that looks like a finished copy.
random_file mnt/small 10
expect_exit 1 "$MCP" -j 2 src mnt/small
expect_no_stdout
expect_stderr "mcp: mnt/small: No space left on device"
no_leftovers mnt

# Into the directory, with one worker.
expect_exit 1 "$MCP" -j 1 src mnt
expect_no_stdout
expect_stderr "mcp: mnt/src: No space left on device"
no_leftovers mnt
