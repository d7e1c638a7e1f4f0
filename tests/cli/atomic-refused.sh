#!/bin/sh
# --atomic keeps the refusals of a plain copy: -n skips an existing DEST
# (exit 0, untouched), the same file is refused, and so is a DEST that is
# not a regular file.  No temporary file is left by any of them.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 9000
random_file dst 3000
cp dst saved
ln src hard
mkfifo fifo
set_old_mtime dst src
before=$(file_mtime dst)
inode=$(stat -c %i dst)

expect_exit 0 "$MCP" --atomic -n src dst
expect_silent
expect_same saved dst
[ "$(file_mtime dst)" = "$before" ] || fail "-n: dst mtime changed"
[ "$(stat -c %i dst)" = "$inode" ] || fail "-n: dst was replaced"

expect_exit 0 "$MCP" --atomic -n src new
expect_silent
expect_same src new

for same in src hard ./src; do
	expect_exit 1 "$MCP" --atomic src "$same"
	expect_no_stdout
	expect_stderr_has "are the same file"
	[ "$(file_mtime src)" = "$before" ] || fail "src $same: src changed"
done

expect_exit 1 "$MCP" --atomic src fifo
expect_no_stdout
expect_stderr "mcp: fifo: not a regular file; refusing to replace it"
[ -p fifo ] || fail "fifo was replaced"
no_leftovers . src dst saved hard fifo new
