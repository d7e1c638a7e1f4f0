#!/bin/sh
# DEST in a directory that does not exist: "cannot create", exit 1, and
# nothing created, neither the directory nor a file.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file a 3000
expect_exit 1 "$MCP" a nodir/b
expect_no_stdout
expect_stderr "mcp: nodir/b: cannot create: No such file or directory"
no_leftovers . a

expect_exit 1 "$MCP" -j 2 a nodir/deeper/b
expect_no_stdout
expect_stderr "mcp: nodir/deeper/b: cannot create: No such file or directory"
no_leftovers . a
