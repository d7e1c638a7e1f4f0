#!/bin/sh
# A FIFO SOURCE is read until its writer closes it, whether the writer
# is there before mcp starts or comes later: mcp waits for it rather than
# taking "no writer yet" for an empty file.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

need_cmd timeout
random_file src 2097171
mkfifo fifo

# The writer first: it blocks in its open until mcp opens the FIFO.
cat src >fifo &
expect_exit 0 within 10 "$MCP" fifo dst
expect_silent
wait
expect_same src dst

# mcp first; the writer comes half a second later.
rm dst
(sleep 0.5 && cat src >fifo) &
expect_exit 0 within 10 "$MCP" fifo dst
expect_silent
wait
expect_same src dst
[ -p fifo ] || fail "the FIFO is gone"
no_leftovers . src fifo dst
