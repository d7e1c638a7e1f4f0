#!/bin/sh
# Overwriting a larger existing DEST leaves exactly SOURCE's size and
# bytes, and DEST keeps its own mode.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 5000
random_file dst 1048576
chmod 644 src
chmod 600 dst
expect_exit 0 "$MCP" src dst
expect_silent
expect_same src dst
[ "$(file_mode dst)" = 600 ] || fail "dst mode is $(file_mode dst), not 600"

# Down to nothing: an empty SOURCE empties DEST.
: >empty
expect_exit 0 "$MCP" -j 2 empty dst
expect_silent
expect_same empty dst
[ "$(file_mode dst)" = 600 ] || fail "dst mode is $(file_mode dst), not 600"
no_leftovers . src dst empty
