#!/bin/sh
# A SOURCE that is a directory is refused with one line naming it, exit 1,
# and no DEST created.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

mkdir sdir d
expect_exit 1 "$MCP" sdir dst
expect_no_stdout
expect_stderr_has "mcp: sdir: "
no_leftovers . sdir d

expect_exit 1 "$MCP" sdir d
expect_no_stdout
expect_stderr_has "mcp: sdir: "
no_leftovers d
no_leftovers sdir
