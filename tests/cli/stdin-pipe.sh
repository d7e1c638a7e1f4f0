#!/bin/sh
# `... | mcp - DEST` copies the whole pipe, byte for byte, silently; a
# new DEST gets mode 0666 less the umask, as a shell redirection would.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

# More than the stream buffer and the pipe buffer, not a round size.
random_file src 3145739
umask 027
expect_pipe_exit 0 src "$MCP" - dst
expect_silent
expect_same src dst
[ "$(file_mode dst)" = 640 ] || fail "dst mode is $(file_mode dst), not 640"

# An existing DEST is emptied and rewritten, keeping its mode.
chmod 600 dst
random_file src2 1000
expect_pipe_exit 0 src2 "$MCP" -j 2 - dst
expect_silent
expect_same src2 dst
[ "$(file_mode dst)" = 600 ] || fail "dst mode is $(file_mode dst), not 600"
no_leftovers . src src2 dst
