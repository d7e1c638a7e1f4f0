#!/bin/sh
# A DEST that is a character device, /dev/null, is written to, never
# replaced: exit 0, silent, and /dev/null is still the device.  From a
# regular file, from a pipe, and into a directory's worth of names.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

[ -c /dev/null ] || skip "/dev/null is not a character device"
random_file src 2000000
before=$(stat -c '%F %t:%T %a' /dev/null)

expect_exit 0 "$MCP" src /dev/null
expect_silent
expect_exit 0 "$MCP" -j 2 --no-sync src /dev/null
expect_silent
expect_pipe_exit 0 src "$MCP" - /dev/null
expect_silent

# DEST written through a symbolic link to the device.
ln -s /dev/null null-link
expect_exit 0 "$MCP" src null-link
expect_silent
[ -L null-link ] || fail "the symbolic link was replaced"

[ "$(stat -c '%F %t:%T %a' /dev/null)" = "$before" ] ||
	fail "/dev/null changed: $(stat -c '%F %t:%T %a' /dev/null)"
no_leftovers . src null-link
