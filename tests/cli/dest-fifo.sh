#!/bin/sh
# A DEST that is a FIFO is written into, never replaced: its reader gets
# every byte, mcp exits 0 once the reader has them all, and the FIFO is
# still there afterwards.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd timeout
# Many times the pipe buffer, so mcp must wait for the reader.
random_file src 5242887
mkfifo fifo

cat fifo >out &
reader=$!
expect_exit 0 within 20 "$MCP" src fifo
expect_silent
wait "$reader" || fail "the reader failed"
expect_same src out
[ -p fifo ] || fail "the FIFO was replaced"

# The reader comes after mcp: mcp waits in its open, as a shell would.
rm out
(sleep 0.5 && cat fifo >out) &
reader=$!
expect_pipe_exit 0 src within 20 "$MCP" - fifo
expect_silent
wait "$reader" || fail "the reader failed"
expect_same src out
[ -p fifo ] || fail "the FIFO was replaced"
no_leftovers . src fifo out
