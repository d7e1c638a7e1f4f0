#!/bin/sh
# --atomic replaces an existing DEST by a new file (a new inode) with
# SOURCE's bytes and the old DEST's mode, silently, and leaves no
# temporary file behind.  Other hard links keep the old contents.
set -eu
# shellcheck source=SCRIPTDIR/lib.sh
. "$MCP_SRCDIR/tests/cli/lib.sh"

random_file src 3000000
chmod 644 src
random_file dst 1048576
chmod 604 dst
cp dst saved
ln dst hard
inode=$(stat -c %i dst)
expect_exit 0 "$MCP" --atomic -j 2 -c 64K src dst
expect_silent
expect_same src dst
[ "$(stat -c %i dst)" != "$inode" ] || fail "dst is the same inode"
[ "$(file_mode dst)" = 604 ] || fail "dst mode $(file_mode dst), not 604"
expect_same saved hard
no_leftovers . src dst saved hard

# Again, down to an empty file, with one worker.
: >empty
expect_exit 0 "$MCP" --atomic -j 1 empty dst
expect_silent
expect_same empty dst
[ "$(file_mode dst)" = 604 ] || fail "dst mode $(file_mode dst), not 604"
no_leftovers . src dst saved hard empty
