#!/bin/sh
# Standard input that is a directory (`mcp - DEST < /`) is refused up
# front with "Is a directory", exit 1: no new DEST, an existing one
# untouched.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

expect_exit 1 "$MCP" - dst </
expect_no_stdout
expect_stderr "mcp: -: Is a directory"
no_leftovers .

random_file dst 5000
cp dst saved
expect_exit 1 "$MCP" - dst <"$WORK"
expect_no_stdout
expect_stderr "mcp: -: Is a directory"
expect_same saved dst
no_leftovers . dst saved
