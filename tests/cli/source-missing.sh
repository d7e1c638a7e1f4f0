#!/bin/sh
# A SOURCE that does not exist: one error line naming it, exit 1, and no
# DEST created.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

expect_exit 1 "$MCP" nosuch dst
expect_no_stdout
expect_stderr "mcp: nosuch: cannot open: No such file or directory"
no_leftovers .

mkdir d
expect_exit 1 "$MCP" nosuch d
expect_no_stdout
expect_stderr "mcp: nosuch: cannot open: No such file or directory"
no_leftovers d
