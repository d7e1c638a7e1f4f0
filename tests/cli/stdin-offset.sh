#!/bin/sh
# `mcp - DEST` with a regular file as standard input copies from the
# offset it is at, as cat would, not from the start of the file, and
# leaves the offset at the end: from 0 (mapped, -j 2) as from elsewhere
# (read/write).
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 1048676
# The rest of src after its first 100 bytes.
tail -c +101 src >rest
[ "$(file_size rest)" = 1048576 ] || hard_error "tail gave $(file_size rest) bytes"

# dd reads exactly one block of 100 bytes, leaving the shared offset at
# 100 for mcp (head may read ahead further).
rc=0
{
	dd bs=100 count=1 of=/dev/null status=none
	"$MCP" - dst
} <src >"$OUT" 2>"$ERR" || rc=$?
[ "$rc" = 0 ] || { show_output; fail "mcp - dst at offset 100: $(describe_status "$rc")"; }
expect_silent
expect_same rest dst

# From offset 0 all of it; a second mcp on the same descriptor then
# finds nothing left, as a second cat would: an empty DEST.
rm dst
rc=0
{
	"$MCP" -j 2 - dst
	"$MCP" - dst2
} <src >"$OUT" 2>"$ERR" || rc=$?
[ "$rc" = 0 ] || { show_output; fail "mcp - dst; mcp - dst2: $(describe_status "$rc")"; }
expect_silent
expect_same src dst
: >empty
expect_same empty dst2
no_leftovers . src rest dst dst2 empty
