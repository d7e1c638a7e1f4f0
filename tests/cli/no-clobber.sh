#!/bin/sh
# -n and --no-clobber leave an existing DEST alone: same bytes, same
# mtime, exit 0 and silent.  A missing DEST is still copied.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 9000
random_file dst 3000
cp dst saved
set_old_mtime dst
before=$(file_mtime dst)
for opt in -n --no-clobber; do
	expect_exit 0 "$MCP" "$opt" src dst
	expect_silent
	expect_same saved dst
	[ "$(file_mtime dst)" = "$before" ] || fail "$opt: dst mtime changed"
done

expect_exit 0 "$MCP" -n src new
expect_silent
expect_same src new
no_leftovers . src dst saved new
