#!/bin/sh
# --atomic into a DIRECTORY: each SOURCE becomes DIRECTORY/NAME, new or
# replacing one there, and the directory holds nothing else afterwards.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

mkdir dir
random_file a 200000
random_file b 5000
random_file dir/b 100
inode=$(stat -c %i dir/b)
expect_exit 0 "$MCP" --atomic -j 2 a b dir
expect_silent
expect_same a dir/a
expect_same b dir/b
[ "$(stat -c %i dir/b)" != "$inode" ] || fail "dir/b is the same inode"
no_leftovers dir a b

expect_exit 0 "$MCP" --atomic a dir/
expect_silent
expect_same a dir/a
no_leftovers dir a b
