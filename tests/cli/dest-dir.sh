#!/bin/sh
# A DEST that is a directory receives DEST/basename(SOURCE), with or
# without a trailing slash on DEST, whatever directory SOURCE is in.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

mkdir d sub
random_file sub/a 7000

expect_exit 0 "$MCP" sub/a d
expect_silent
expect_same sub/a d/a

rm d/a
expect_exit 0 "$MCP" sub/a d/
expect_silent
expect_same sub/a d/a

rm d/a
expect_exit 0 "$MCP" -j 2 "$WORK/sub/a" "$WORK/d//"
expect_silent
expect_same sub/a d/a
no_leftovers d a
